//! The YAML layer: the only module that uses `serde_yaml` (unmaintained, so
//! replacing it must stay a change to this folder) and `yaml-rust2` (to
//! check a document before libyaml reads it, and to find where a path sits
//! in the text once there is a problem to point at).
//!
//! Limits against hostile input (`guard`): nesting, the size of the document
//! with every alias expanded (the "billion laughs" in any shape) and tags are
//! checked before anything is built; the file size is capped before parsing
//! by `load::read_source`. A JSON document is read as JSON (`json`): the
//! same value, far faster, and nothing to guard against.

mod describe;
mod guard;
mod index;
mod json;
mod lines;
mod text;

pub use describe::describe_serde_error;
pub use index::LocationIndex;

use crate::diag::{Code, Diagnostic, Location};
use describe::syntax_code;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{DeserializeOwned, DeserializeSeed};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;

/// An item read on its own: every problem serde finds in it (bad fields are
/// set aside one by one to find the next), and the item itself when it
/// could still be built, so that one broken item neither hides the problems
/// of the next nor its own remaining ones.
#[derive(Debug, Clone)]
pub struct Lenient<T> {
    pub value: Option<T>,
    pub errors: Vec<ItemError>,
}

/// Why one item did not parse cleanly: a path relative to the item, and
/// serde's message; and the item's `name` or `id` when it has one, so that
/// references to a broken item are not reported as dangling too.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemError {
    pub path: String,
    pub message: String,
    pub name: Option<String>,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_yaml::Value::deserialize(deserializer)?;
        let name =
            ["name", "id"].iter().find_map(|k| value.get(k).and_then(|v| v.as_str()).map(str::to_string));
        let (value, errors) = recover::<T>(value);
        let errors = errors
            .into_iter()
            .map(|(path, message)| ItemError { path, message, name: name.clone() })
            .collect();
        Ok(Lenient { value, errors })
    }
}

/// Most problems looked for in one item or document.
const MAX_PROBLEMS_PER_ITEM: usize = 32;

/// Deserializes `T`, setting aside each offending field to find the next
/// problem. Returns `T` when it could be built without the offending fields,
/// and every (path, message) found.
fn recover<T: DeserializeOwned>(mut value: serde_yaml::Value) -> (Option<T>, Vec<(String, String)>) {
    let mut errors = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    while errors.len() < MAX_PROBLEMS_PER_ITEM {
        let (path, message) = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(t) => return (Some(t), errors),
            Err(e) => (path_text(e.path()), e.inner().to_string()),
        };
        if let Some(rest) = message.strip_prefix("missing field `") {
            // A field we set aside ourselves is not missing news.
            let field = rest.split('`').next().unwrap_or_default();
            if !removed.contains(&join_path(&path, field)) {
                errors.push((path, message));
            }
            return (None, errors);
        }
        let target = path.clone();
        errors.push((path, message));
        if target.is_empty() || !remove_at(&mut value, &target) {
            return (None, errors);
        }
        removed.push(target);
    }
    (None, errors)
}

/// Removes the value at a path like `sites[2].layout.in_rack_m`.
fn remove_at(value: &mut serde_yaml::Value, path: &str) -> bool {
    let mut segments: Vec<Segment> = Vec::new();
    for part in path.split('.') {
        let (key, rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            segments.push(Segment::Key(key.to_string()));
        }
        for idx in rest.split('[').filter(|x| !x.is_empty()) {
            match idx.trim_end_matches(']').parse() {
                Ok(i) => segments.push(Segment::Index(i)),
                Err(_) => return false,
            }
        }
    }
    let Some((last, parents)) = segments.split_last() else { return false };
    let mut at = value;
    for seg in parents {
        let next = match seg {
            Segment::Key(k) => at.get_mut(k.as_str()),
            Segment::Index(i) => at.get_mut(*i),
        };
        match next {
            Some(n) => at = n,
            None => return false,
        }
    }
    match (last, at) {
        (Segment::Key(k), serde_yaml::Value::Mapping(m)) => m.remove(k.as_str()).is_some(),
        (Segment::Index(i), serde_yaml::Value::Sequence(s)) if *i < s.len() => {
            s.remove(*i);
            true
        }
        _ => false,
    }
}

enum Segment {
    Key(String),
    Index(usize),
}

impl<T: JsonSchema> JsonSchema for Lenient<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

fn path_text(path: &serde_path_to_error::Path) -> String {
    let text = path.to_string();
    if text == "." {
        String::new()
    } else {
        text
    }
}

/// Joins a parent path and a relative one: `sites[2]` + `layout.in_rack_m`.
pub fn join_path(parent: &str, child: &str) -> String {
    match (parent.is_empty(), child.is_empty()) {
        (true, _) => child.to_string(),
        (_, true) => parent.to_string(),
        _ if child.starts_with('[') => format!("{parent}{child}"),
        _ => format!("{parent}.{child}"),
    }
}

/// Parses a whole document into `T`: the value with the problems found on
/// the way (offending top-level fields set aside), or every problem when
/// `T` cannot be built. YAML that does not parse at all is one diagnostic.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
    Document::parse(text)?.read()
}

/// Parses the YAML itself: syntax, limits (nesting, alias expansion:
/// `guard`), duplicate keys, one document. The value, and the tags
/// refused (errors that do not stop the read).
fn parse_value(text: &str) -> Result<(serde_yaml::Value, Vec<Diagnostic>), Vec<Diagnostic>> {
    if let Some(value) = json::parse(text) {
        return Ok((value, Vec::new()));
    }
    let checked = guard::check(text)?;
    let budget = guard::Budget::new(checked.complete);
    let mut track = serde_path_to_error::Track::new();
    let deserializer = serde_yaml::Deserializer::from_str(text);
    let parsed = budget.seed().deserialize(serde_path_to_error::Deserializer::new(deserializer, &mut track));
    match parsed {
        Ok(value) => Ok((value, checked.tags.into_iter().chain(budget.unreported_tags(text)).collect())),
        Err(e) => Err(vec![parse_error(text, &path_text(&track.path()), e)]),
    }
}

/// serde_yaml's error for a document as one diagnostic.
fn parse_error(text: &str, path: &str, inner: serde_yaml::Error) -> Diagnostic {
    let location = inner.location().map(|l| Location {
        line: l.line(),
        column: l.column(),
        start: l.index(),
        end: l.index(),
    });
    let mut diag = describe_serde_error(path, &strip_position(&inner.to_string()));
    if diag.code == Code::InvalidValue || diag.code == Code::InvalidType {
        // A syntax-level problem reaches us as a message without a path.
        diag.code = syntax_code(&diag.message).unwrap_or(diag.code);
    }
    if let Some(at) = diag.message.find(guard::SIZE_MESSAGE) {
        // serde_yaml puts the path it was building in front: it is noise here.
        diag.message = diag.message[at..].to_string();
    }
    if let Some(rest) = diag.message.split("duplicate entry with key ").nth(1) {
        let key = rest.trim_matches('"').to_string();
        diag = Diagnostic::error(
            Code::DuplicateKey,
            "",
            format!("the field `{key}` appears twice in one mapping"),
        )
        .found(&key)
        .expected("each field once")
        .hint("YAML keeps only one of the two values: delete the one you do not mean");
        if let Some(l) = location.and_then(|l| duplicate_key_location(text, &key, l)) {
            return diag.at(l);
        }
        return match location {
            Some(l) => diag.at(l),
            None => diag,
        };
    }
    if diag.code == Code::MultipleDocuments {
        return diag.at(second_document(text).unwrap_or(Location { line: 1, column: 1, start: 0, end: 0 }));
    }
    if diag.path.is_none() || matches!(diag.code, Code::YamlSyntax | Code::YamlLimit) {
        if let Some(location) = location {
            diag = diag.at(location);
        }
    }
    diag
}

/// The error for a file with no document in it: nothing but blanks,
/// comments or `---`/`...` markers.
pub fn empty_document() -> Diagnostic {
    Diagnostic::error(Code::EmptyDocument, "", "the file holds no YAML document")
        .hint("a catalog starts with `kind: catalog`, a scenario with `kind: scenario`")
}

/// A document parsed (within the bounds of `guard`), not yet read into a
/// format's types: parsed once, its `kind` looked at, then read.
#[derive(Debug, Clone)]
pub struct Document {
    value: serde_yaml::Value,
    /// Problems found while parsing that do not stop the read (unknown tags).
    problems: Vec<Diagnostic>,
}

impl Document {
    pub fn parse(text: &str) -> Result<Document, Vec<Diagnostic>> {
        parse_value(text).map(|(value, problems)| Document { value, problems })
    }

    /// The `kind` field as text, if there is one; when the document is
    /// empty or not a mapping, that error and the parse's other problems.
    pub fn kind(&self) -> Result<Option<String>, Vec<Diagnostic>> {
        let error = match &self.value {
            serde_yaml::Value::Mapping(fields) => return Ok(fields.get("kind").map(value_text)),
            serde_yaml::Value::Null => empty_document(),
            other => Diagnostic::error(Code::NotAMapping, "", "the document is not a mapping of fields")
                .found(value_kind(other))
                .expected("a mapping such as `kind: scenario`"),
        };
        Err(self.problems.iter().cloned().chain([error]).collect())
    }

    /// The parse's problems that do not stop the read, with another one.
    pub fn problems_and(&self, diagnostic: Diagnostic) -> Vec<Diagnostic> {
        self.problems.iter().cloned().chain([diagnostic]).collect()
    }

    /// Reads the document into `T`: every text checked (`text`), then each
    /// item read on its own.
    pub fn read<T: DeserializeOwned>(self) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut diagnostics = self.problems;
        diagnostics.extend(text::check(&self.value));
        let (t, errors) = recover::<T>(self.value);
        diagnostics.extend(errors.iter().map(|(path, msg)| describe_serde_error(path, msg)));
        match t {
            Some(t) => Ok((t, diagnostics)),
            None => Err(diagnostics),
        }
    }
}

fn value_kind(value: &serde_yaml::Value) -> &'static str {
    match value {
        serde_yaml::Value::Null => "nothing",
        serde_yaml::Value::Bool(_) => "a boolean",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "a text",
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::Mapping(_) => "a mapping",
        serde_yaml::Value::Tagged(_) => "a tagged value",
    }
}

/// Renders a YAML value back as short text, for `found` fields.
fn value_text(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).map(|s| s.trim_end().to_string()).unwrap_or_default(),
    }
}

/// The second occurrence of `key:` in the mapping that starts at `start`
/// (serde_yaml reports the mapping, not the key).
fn duplicate_key_location(text: &str, key: &str, start: Location) -> Option<Location> {
    let from = text.get(start.index_hint()..)?;
    let needle = format!("{key}:");
    let mut seen = 0;
    let mut offset = start.index_hint();
    for line in from.split_inclusive('\n') {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let t = trimmed.trim_start();
        if t.starts_with(&needle) || t.starts_with(&format!("{{{needle}")) {
            seen += 1;
            if seen == 2 {
                let col = line.find(&needle)?;
                let line_no = text[..offset].matches('\n').count() + 1;
                return Some(Location {
                    line: line_no,
                    column: col + 1,
                    start: offset + col,
                    end: offset + col + key.len(),
                });
            }
        }
        offset += line.len();
    }
    None
}

/// The `---` that starts a second document.
fn second_document(text: &str) -> Option<Location> {
    let mut offset = 0;
    let mut content_seen = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let t = line.trim_end();
        if t == "---" || t.starts_with("--- ") {
            if content_seen {
                return Some(Location { line: i + 1, column: 1, start: offset, end: offset + 3 });
            }
        } else if !t.trim_start().is_empty() && !t.trim_start().starts_with('#') {
            content_seen = true;
        }
        offset += line.len();
    }
    None
}

fn strip_position(message: &str) -> String {
    // libyaml: "did not find expected ',' or ']' at line 34 column 9, while
    // parsing a flow sequence at line 33 column 14". The first position is
    // kept apart as the location; the second says where the construct began.
    let message = match message.split_once(", while ") {
        Some((what, context)) => {
            let what = what.split(" at line ").next().unwrap_or(what);
            match context.split_once(" at line ") {
                Some((construct, at)) => format!(
                    "{what} (while {construct} that starts at line {})",
                    at.replacen(" column ", ", column ", 1)
                ),
                None => format!("{what} (while {context})"),
            }
        }
        None => message.to_string(),
    };
    match message.rfind(" at line ") {
        Some(i) if !message.contains("(while ") => message[..i].to_string(),
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = parse_value(&text).unwrap_err();
        assert_eq!(err[0].code, Code::YamlLimit, "{err:?}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse_value(&text).unwrap_err();
        assert_eq!(err[0].code, Code::YamlLimit, "{err:?}");
        let _ = LocationIndex::build(&text, ["[0][0][0]"]);
    }
}
