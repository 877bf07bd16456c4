//! JSON documents, read as JSON: YAML 1.2 is a superset of JSON, so a
//! document that serde_json reads whole means the same as YAML, and
//! serde_json reads it some thirty times faster than libyaml after the
//! guard's pass (an 8 MiB one-line scenario: about 0.1 s instead of 2 s).
//! A document serde_json does not read whole (not JSON, a syntax error,
//! deeper than its 128 levels, past the expansion budget) goes the YAML
//! way, whose diagnostics are the ones reported. A property test checks
//! that both ways build the same value.
//!
//! JSON has no aliases and no tags, so the guard has nothing to bound that
//! the file size and [`Bounded`]'s count do not already bound.

use super::guard::Budget;
use super::index::{Marker, Node, TScalarStyle};
use serde::de::{DeserializeSeed, IgnoredAny};
use serde::Deserialize;
use serde_yaml::Value;
use std::borrow::Cow;

/// Whether a text may be a JSON document of fields: its first byte after
/// JSON's blanks opens an object (a YAML document rarely starts so).
fn starts_an_object(text: &str) -> bool {
    text.bytes().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')) == Some(b'{')
}

/// The characters a YAML stream may hold (YAML 1.1's printable set, as
/// libyaml checks it): serde_json writes and reads a DEL, a C1 control or
/// U+FFFE raw, which libyaml refuses.
fn yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// Whether a character means the same to serde_json and libyaml inside a
/// JSON text: printable for YAML, and not one of YAML 1.1's line breaks
/// beyond LF and CR (NEL, LS, PS), which JSON allows raw in a string and
/// YAML folds into a space there or refuses in a key of a flow mapping.
fn reads_alike(c: char) -> bool {
    yaml_printable(c) && !yaml_line_break(c)
}

/// YAML 1.1's line breaks beyond LF and CR: they move libyaml's marks to
/// a new line, where the JSON scanner's would not.
fn yaml_line_break(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Whether a number reads alike as JSON and as YAML: an integer in u64 or
/// i64, or a float. YAML reads `-0` as the integer 0 (serde_json: the float
/// -0.0) and refuses an integer past 64 bits (serde_json: a float).
fn number_reads_alike(literal: &str) -> bool {
    let digits = literal.strip_prefix('-').unwrap_or(literal);
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    literal != "-0" && (literal.parse::<u64>().is_ok() || literal.parse::<i64>().is_ok())
}

/// Whether every number of a valid JSON text reads alike as YAML.
fn numbers_read_alike(text: &str) -> bool {
    Scanner::new(text).all(|(node, _)| match node {
        Node::Scalar(literal, TScalarStyle::Plain) => number_reads_alike(&literal),
        _ => true,
    })
}

/// The document's value, when it is a JSON object that serde_json reads
/// whole within the expansion budget, and the YAML way would read alike;
/// `None` sends it the YAML way.
pub(super) fn parse(text: &str) -> Option<Value> {
    if !starts_an_object(text) || !text.chars().all(reads_alike) {
        return None;
    }
    let budget = Budget::new(true);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = budget.seed().deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    numbers_read_alike(text).then_some(value)
}

/// The index's events for a text that is a whole JSON object (checked first,
/// with nothing built); `None` for any other text.
pub(super) fn events(text: &str) -> Option<impl Iterator<Item = (Node<'_>, Marker)>> {
    if !starts_an_object(text) || text.chars().any(yaml_line_break) {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    IgnoredAny::deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(Scanner::new(text))
}

/// A walk over a valid JSON text: where each value starts, and its text
/// for strings (the keys that paths name).
struct Scanner<'t> {
    text: &'t str,
    at: usize,
    line: usize,
    col: usize,
    started: bool,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Self {
        Scanner { text, at: 0, line: 1, col: 0, started: false }
    }

    /// Skips blanks, counting line breaks as `Lines` does (`\r\n` once).
    fn skip_blanks(&mut self) {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.at) {
            match b {
                b' ' | b'\t' => self.col += 1,
                b'\n' => {
                    self.line += 1;
                    self.col = 0;
                }
                b'\r' => {
                    if bytes.get(self.at + 1) != Some(&b'\n') {
                        self.line += 1;
                        self.col = 0;
                    }
                }
                _ => return,
            }
            self.at += 1;
        }
    }

    /// Moves past `len` bytes of one line.
    fn advance(&mut self, len: usize) {
        let passed = &self.text[self.at..self.at + len];
        self.col += passed.bytes().filter(|b| b & 0xC0 != 0x80).count();
        self.at += len;
    }

    /// The string that starts here (at its `"`): its text and its length
    /// in bytes, quotes included.
    fn string(&self) -> (Cow<'t, str>, usize) {
        let bytes = self.text.as_bytes();
        let mut i = self.at + 1;
        let mut escaped = false;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => {
                    escaped = true;
                    i += 1;
                }
                b'"' => break,
                _ => {}
            }
            i += 1;
        }
        let end = (i + 1).min(bytes.len());
        let quoted = &self.text[self.at..end];
        let text = if escaped {
            Cow::Owned(serde_json::from_str::<String>(quoted).unwrap_or_default())
        } else {
            Cow::Borrowed(&quoted[1..quoted.len().saturating_sub(1)])
        };
        (text, end - self.at)
    }

    /// The length of the number or literal that starts here.
    fn literal_len(&self) -> usize {
        self.text.as_bytes()[self.at..]
            .iter()
            .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))
            .unwrap_or(self.text.len() - self.at)
    }
}

impl<'t> Iterator for Scanner<'t> {
    type Item = (Node<'t>, Marker);

    fn next(&mut self) -> Option<Self::Item> {
        if !self.started {
            self.started = true;
            return Some((Node::DocumentStart, Marker { line: 1, col: 0 }));
        }
        loop {
            self.skip_blanks();
            let marker = Marker { line: self.line, col: self.col };
            let (node, len) = match *self.text.as_bytes().get(self.at)? {
                b',' | b':' => (None, 1),
                b'{' => (Some(Node::Start { map: true }), 1),
                b'[' => (Some(Node::Start { map: false }), 1),
                b'}' | b']' => (Some(Node::End), 1),
                b'"' => {
                    let (text, len) = self.string();
                    (Some(Node::Scalar(text, TScalarStyle::DoubleQuoted)), len)
                }
                _ => {
                    let len = self.literal_len().max(1);
                    let text = Cow::Borrowed(&self.text[self.at..self.at + len]);
                    (Some(Node::Scalar(text, TScalarStyle::Plain)), len)
                }
            };
            self.advance(len);
            if let Some(node) = node {
                return Some((node, marker));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The value as the YAML way builds it.
    fn as_yaml(text: &str) -> Value {
        let budget = Budget::new(false);
        budget.seed().deserialize(serde_yaml::Deserializer::from_str(text)).expect("YAML reads JSON")
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let text = prop_oneof![
            "[a-z_]{0,8}",
            "[ -~]{0,12}",
            any::<String>().prop_map(|s| s.chars().filter(|c| !c.is_control()).take(8).collect()),
            Just("é \u{1F600} \\ \" / \u{7f}".to_string()),
            Just("x\u{2028}y\u{85}".to_string()),
        ];
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<u64>().prop_map(|n| n.into()),
            any::<i64>().prop_map(|n| n.into()),
            (-1e6f64..1e6).prop_map(|f| serde_json::json!(f)),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| serde_json::json!(f)),
            text.clone().prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                prop::collection::btree_map(text.clone(), inner, 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Whatever JSON object the JSON way reads, the YAML way reads the
        /// same, written compact or pretty.
        #[test]
        fn the_json_way_builds_what_the_yaml_way_builds(
            fields in prop::collection::btree_map("[a-z]{1,6}", json_value(), 0..6),
            pretty in any::<bool>(),
        ) {
            let object = serde_json::Value::Object(fields.into_iter().collect());
            let text = if pretty {
                serde_json::to_string_pretty(&object).unwrap()
            } else {
                serde_json::to_string(&object).unwrap()
            };
            let fast = parse(&text);
            // Only YAML's unprintable characters (U+FFFE, say) and its
            // extra line breaks send a generated object the YAML way: its
            // numbers all read alike.
            prop_assert_eq!(fast.is_some(), text.chars().all(reads_alike), "{}", text);
            if let Some(fast) = fast {
                prop_assert_eq!(fast, as_yaml(&text), "{}", text);
            }
        }
    }

    #[test]
    fn numbers_at_the_edges_read_alike_or_go_the_yaml_way() {
        for number in [
            "-0",
            "0.0",
            "-0.0",
            "1e3",
            "1E+3",
            "2.5e-3",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1e400",
            "123456789012345678901234567890",
        ] {
            let text = format!("{{\"n\": {number}}}");
            if let Some(fast) = parse(&text) {
                let budget = Budget::new(false);
                let slow = budget.seed().deserialize(serde_yaml::Deserializer::from_str(&text));
                assert_eq!(Some(fast), slow.ok(), "{text}");
            }
        }
    }

    #[test]
    fn texts_that_are_not_whole_json_objects_go_the_yaml_way() {
        for text in [
            "kind: scenario\n",
            "[1, 2]",
            "{kind: scenario}",
            "{\"a\": 1} x",
            "\u{feff}{\"a\": 1}",
            "{\"a\": 1}\n---\n{}",
        ] {
            assert!(parse(text).is_none(), "{text}");
            assert!(events(text).is_none(), "{text}");
        }
        assert!(parse("{\"a\": \"\\ud800\"}").is_none(), "a lone surrogate");
        // YAML's own line breaks, raw in a key or a value: YAML folds them
        // or refuses them, and numbers its lines by them.
        for text in ["{\"\u{2028}\": null}", "{\"a\": \"x\u{2029}y\"}", "{\"a\": \"x\u{85}y\"}"] {
            assert!(parse(text).is_none(), "{text}");
            assert!(events(text).is_none(), "{text}");
        }
        // Valid JSON that YAML refuses, or reads otherwise, is read the YAML way.
        for text in [
            "{\"a\": 1, \"a\": 2}",
            "{\"a\": \"\u{7f}\"}",
            "{\"a\": \"\u{9b}\"}",
            "{\"a\": -0}",
            "{\"a\": [18446744073709551616]}",
            "{\"a\": -9223372036854775809}",
        ] {
            assert!(parse(text).is_none(), "{text}");
            assert!(events(text).is_some(), "{text}");
        }
        // Deeper than serde_json reads: the YAML way refuses it with its limit.
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&deep).is_none());
    }

    #[test]
    fn events_give_where_each_value_starts() {
        let text = "{\"a\": [1, \"é\\n\"],\r\n \"b\": {\"c\": null}}";
        let nodes: Vec<(Node<'_>, (usize, usize))> =
            events(text).unwrap().map(|(n, m)| (n, (m.line, m.col))).collect();
        let scalar = |t: &'static str, s| Node::Scalar(Cow::Borrowed(t), s);
        assert_eq!(
            nodes,
            [
                (Node::DocumentStart, (1, 0)),
                (Node::Start { map: true }, (1, 0)),
                (scalar("a", TScalarStyle::DoubleQuoted), (1, 1)),
                (Node::Start { map: false }, (1, 6)),
                (scalar("1", TScalarStyle::Plain), (1, 7)),
                (Node::Scalar(Cow::Owned("é\n".into()), TScalarStyle::DoubleQuoted), (1, 10)),
                (Node::End, (1, 15)),
                (scalar("b", TScalarStyle::DoubleQuoted), (2, 1)),
                (Node::Start { map: true }, (2, 6)),
                (scalar("c", TScalarStyle::DoubleQuoted), (2, 7)),
                (scalar("null", TScalarStyle::Plain), (2, 12)),
                (Node::End, (2, 16)),
                (Node::End, (2, 17)),
            ]
        );
    }
}
