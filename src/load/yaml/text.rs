//! Every text of a parsed document checked after unescaping, whatever the
//! field (a new field is covered without a new check): no control,
//! bidirectional or separator character (`crate::text`), and a length that
//! every output can hold (a spreadsheet cell holds 32,767 characters).
//! Descriptions, sources and the reasons under `estimates` are free text:
//! longer, and line feeds and tabs allowed; every other text (a name, an
//! id, a key, a part number) is one short line.

use super::join_path;
use crate::diag::{Code, Diagnostic};
use crate::limits::{MAX_NAME_CHARS, MAX_TEXT_CHARS};
use crate::text::{escape, forbidden_char};
use serde_yaml::Value;

/// Most text problems reported for one document.
const MAX_TEXT_PROBLEMS: usize = 32;

/// Fields whose values are free text.
const FREE_TEXT_FIELDS: &[&str] = &["description", "source"];

/// One step of the path to a value; the path is written out only for a problem.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

struct Walk<'a> {
    path: Vec<Step<'a>>,
    problems: Vec<Diagnostic>,
}

/// The problems of every text in a document.
pub(super) fn check(document: &Value) -> Vec<Diagnostic> {
    let mut walk = Walk { path: Vec::new(), problems: Vec::new() };
    walk.value(document, false);
    walk.problems
}

impl<'a> Walk<'a> {
    fn value(&mut self, value: &'a Value, free_text: bool) {
        if self.problems.len() >= MAX_TEXT_PROBLEMS {
            return;
        }
        match value {
            Value::String(text) => self.text(text, free_text, false),
            Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.path.push(Step::Index(i));
                    self.value(item, free_text);
                    self.path.pop();
                }
            }
            Value::Mapping(fields) => {
                let estimates = matches!(self.path.last(), Some(Step::Key("estimates")));
                for (key, item) in fields {
                    let Some(name) = key.as_str() else {
                        // A key that is not text (a number, a list) is refused
                        // by the format; its texts are checked all the same.
                        self.value(key, false);
                        self.value(item, false);
                        continue;
                    };
                    self.path.push(Step::Key(name));
                    self.text(name, false, true);
                    self.value(item, estimates || FREE_TEXT_FIELDS.contains(&name));
                    self.path.pop();
                }
            }
            Value::Tagged(tagged) => self.value(&tagged.value, free_text),
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    fn path_text(&self) -> String {
        self.path.iter().fold(String::new(), |path, step| match step {
            Step::Key(k) => join_path(&path, k),
            Step::Index(i) => format!("{path}[{i}]"),
        })
    }

    fn text(&mut self, text: &str, free_text: bool, is_key: bool) {
        let what = if is_key {
            "a field name"
        } else if free_text {
            "a free text"
        } else {
            "a name or value"
        };
        if let Some(c) = forbidden_char(text, free_text) {
            let mut d = Diagnostic::error(
                Code::ControlCharacter,
                self.path_text(),
                format!("{what} holds the character {}", c.escape_unicode()),
            )
            .found(escape(text))
            .expected(if free_text {
                "printable text (line feeds and tabs allowed)"
            } else {
                "printable text on one line"
            })
            .hint("remove the escape (`\\u001b`, `\\0`, ...) from the quoted text: terminals and reports would act on it");
            if is_key {
                d = d.at_key();
            }
            self.problems.push(d);
            return;
        }
        let max = if free_text { MAX_TEXT_CHARS } else { MAX_NAME_CHARS };
        // Counting stops past the limit: a long text costs no more than a short one.
        let chars = text.chars().take(max + 1).count();
        if chars > max {
            let shown: String = text.chars().take(40).collect();
            let mut d = Diagnostic::error(
                Code::TooLong,
                self.path_text(),
                format!("{what} of {} characters", text.chars().count()),
            )
            .found(format!("{}…", escape(&shown)))
            .expected(format!("at most {max} characters"))
            .hint(if free_text {
                "shorten it: long notes belong in the document the source names"
            } else {
                "names, ids and part numbers are short; a longer text belongs in `description`"
            });
            if is_key {
                d = d.at_key();
            }
            self.problems.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(yaml: &str) -> Vec<(Code, String)> {
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        check(&value).into_iter().map(|d| (d.code, d.path.unwrap_or_default())).collect()
    }

    #[test]
    fn escaped_controls_are_found_in_any_field_and_key() {
        assert_eq!(
            problems(
                "sites:\n  - name: \"\\u001b[2J\\u001b]0;pwned\\u0007\"\n    x: \"\\0\"\n\"k\\u0000\": 1\n"
            ),
            [
                (Code::ControlCharacter, "sites[0].name".to_string()),
                (Code::ControlCharacter, "sites[0].x".to_string()),
                (Code::ControlCharacter, "k\0".to_string()),
            ]
        );
        assert_eq!(problems("a: [\"\\u202e\"]\n"), [(Code::ControlCharacter, "a[0]".to_string())]);
    }

    #[test]
    fn free_text_may_hold_line_feeds_and_tabs_names_may_not() {
        assert_eq!(
            problems("description: \"a\\nb\\tc\"\nsource: \"x\\ny\"\nestimates: {power_w: \"a\\nb\"}\n"),
            []
        );
        assert_eq!(problems("name: \"a\\nb\"\n"), [(Code::ControlCharacter, "name".to_string())]);
        assert_eq!(
            problems("description: \"a\\rb\"\n"),
            [(Code::ControlCharacter, "description".to_string())]
        );
        // `estimates` makes its values free text, not its keys.
        assert_eq!(
            problems("estimates: {\"a\\nb\": x}\n"),
            [(Code::ControlCharacter, "estimates.a\nb".to_string())]
        );
    }

    #[test]
    fn names_and_texts_have_a_length() {
        let name = "n".repeat(MAX_NAME_CHARS);
        assert_eq!(problems(&format!("name: {name}\ndescription: {}\n", "d".repeat(MAX_TEXT_CHARS))), []);
        assert_eq!(problems(&format!("name: {name}n\n")), [(Code::TooLong, "name".to_string())]);
        assert_eq!(
            problems(&format!("description: {}\n", "d".repeat(MAX_TEXT_CHARS + 1))),
            [(Code::TooLong, "description".to_string())]
        );
        // Excel's limit, the case.
        assert_eq!(
            problems(&format!("model: {}\n", "m".repeat(32_768))),
            [(Code::TooLong, "model".to_string())]
        );
    }
}
