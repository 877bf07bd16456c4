//! The YAML layer: the only module that uses `serde_yaml` (unmaintained, so
//! replacing it must stay a one-file change) and `yaml-rust2` (used only to
//! find where a path sits in the text, once there is a problem to point at).
//!
//! Limits against hostile input: serde_yaml caps nesting (128 levels) and
//! alias expansion (the "billion laughs"); the file size is capped before
//! parsing by `load::read_source`.

use crate::diag::{closest, Code, Diagnostic, Location};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

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
    let value = parse_value(text).map_err(|d| vec![d])?;
    let (t, errors) = recover::<T>(value);
    let diagnostics: Vec<Diagnostic> =
        errors.iter().map(|(path, msg)| describe_serde_error(path, msg)).collect();
    match t {
        Some(t) => Ok((t, diagnostics)),
        None => Err(diagnostics),
    }
}

/// Parses the YAML itself: syntax, limits, duplicate keys, one document.
pub fn parse_value(text: &str) -> Result<serde_yaml::Value, Diagnostic> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, serde_yaml::Value>(deserializer).map_err(|e| {
        let path = path_text(e.path());
        let inner = e.into_inner();
        let location = inner.location().map(|l| Location {
            line: l.line(),
            column: l.column(),
            start: l.index(),
            end: l.index(),
        });
        let mut diag = describe_serde_error(&path, &strip_position(&inner.to_string()));
        if diag.code == Code::InvalidValue || diag.code == Code::InvalidType {
            // A syntax-level problem reaches us as a message without a path.
            diag.code = syntax_code(&diag.message).unwrap_or(diag.code);
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
            return diag.at(second_document(text).unwrap_or(Location {
                line: 1,
                column: 1,
                start: 0,
                end: 0,
            }));
        }
        if diag.path.is_none() || matches!(diag.code, Code::YamlSyntax | Code::YamlLimit) {
            if let Some(location) = location {
                diag = diag.at(location);
            }
        }
        diag
    })
}

/// The error for a file with no document in it: nothing but blanks,
/// comments or `---`/`...` markers.
pub fn empty_document() -> Diagnostic {
    Diagnostic::error(Code::EmptyDocument, "", "the file holds no YAML document")
        .hint("a catalog starts with `kind: catalog`, a scenario with `kind: scenario`")
}

/// The `kind` field of a document, read leniently, before the full parse.
pub fn peek_kind(text: &str) -> Result<Option<serde_yaml::Value>, Diagnostic> {
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(serde_yaml::Value::Mapping(mut fields)) => Ok(fields.remove("kind")),
        Ok(serde_yaml::Value::Null) => Err(empty_document()),
        Ok(other) => Err(Diagnostic::error(Code::NotAMapping, "", "the document is not a mapping of fields")
            .found(value_kind(&other))
            .expected("a mapping such as `kind: scenario`")),
        Err(_) => parse_value(text).map(|_| None),
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
pub fn value_text(value: &serde_yaml::Value) -> String {
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

fn syntax_code(message: &str) -> Option<Code> {
    if message.contains("recursion limit exceeded") || message.contains("repetition limit exceeded") {
        Some(Code::YamlLimit)
    } else if message.contains("more than one document") {
        Some(Code::MultipleDocuments)
    } else if message.contains("while scanning")
        || message.contains("while parsing")
        || message.contains("did not find expected")
        || message.contains("found character that cannot start")
        || message.contains("mapping values are not allowed")
        || message.contains("found unexpected end of stream")
        || message.contains("unknown anchor")
        || message.contains("control characters are not allowed")
        || message.contains("invalid leading UTF-8")
        || message.contains("invalid trailing UTF-8")
    {
        Some(Code::YamlSyntax)
    } else {
        None
    }
}

/// Turns one serde message into a diagnostic with code, found, expected and hint.
pub fn describe_serde_error(path: &str, message: &str) -> Diagnostic {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = split_backticked(rest);
        let options = backticked_list(expected);
        // serde_path_to_error already ends the path with the unknown key.
        let field_path = if path == field || path.ends_with(&format!(".{field}")) {
            path.to_string()
        } else {
            join_path(path, &field)
        };
        let mut diag = Diagnostic::error(Code::UnknownField, field_path, format!("unknown field `{field}`"))
            .at_key()
            .found(&field)
            .expected(if options.is_empty() {
                "no fields here".to_string()
            } else {
                format!("one of {}", quote_list(&options))
            });
        if let Some(unit_hint) = unit_field_hint(&field, &options) {
            diag.code = Code::WrongUnit;
            diag = diag.hint(unit_hint);
        } else if let Some(best) = closest(&field, options.iter().map(String::as_str)) {
            diag = diag.hint(format!("did you mean `{best}`?"));
        }
        return diag;
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let (field, _) = split_backticked(rest);
        return Diagnostic::error(Code::MissingField, path, format!("missing field `{field}`"))
            .expected(format!("a `{field}` field here"))
            .hint(format!("add `{field}:` to this entry"));
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (found, expected) = split_backticked(rest);
        let options = backticked_list(expected);
        let mut diag = Diagnostic::error(Code::InvalidValue, path, format!("`{found}` is not allowed here"))
            .found(&found)
            .expected(format!("one of {}", quote_list(&options)));
        if let Some(best) = closest(&found, options.iter().map(String::as_str)) {
            diag = diag.hint(format!("did you mean `{best}`?"));
        }
        return diag;
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "another type"));
        let expected = humane_type(expected);
        let mut diag =
            Diagnostic::error(Code::InvalidType, path, format!("expected {expected}, found {found}"))
                .found(found)
                .expected(expected.to_string());
        if let Some(number) = number_with_unit(found) {
            diag.code = Code::WrongUnit;
            diag = diag.hint(format!(
                "write the number alone (`{number}`): the unit is in the field name{}",
                path.rsplit('.').next().map(|f| format!(" `{f}`")).unwrap_or_default()
            ));
        }
        return diag;
    }
    if message.contains("u128") || message.contains("i128") {
        return Diagnostic::error(Code::OutOfRange, path, "a number too large to read")
            .expected("a number of at most 20 digits")
            .hint("check for a missing decimal point or extra digits");
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (found, raw_expected) = rest.split_once(", expected ").unwrap_or((rest, "another value"));
        let expected = humane_type(raw_expected);
        let limit = match raw_expected {
            "u8" => Some(u64::from(u8::MAX)),
            "u16" => Some(u64::from(u16::MAX)),
            "u32" => Some(u64::from(u32::MAX)),
            _ => None,
        };
        if let (Some(limit), true) =
            (limit, found.starts_with("integer `") && !found.starts_with("integer `-"))
        {
            return Diagnostic::error(
                Code::OutOfRange,
                path,
                format!(
                    "{} is too large for this field",
                    found.trim_start_matches("integer ").trim_matches('`')
                ),
            )
            .found(found.trim_start_matches("integer ").trim_matches('`'))
            .expected(format!("at most {limit}"));
        }
        if found.starts_with("integer `-") {
            return Diagnostic::error(
                Code::NotPositive,
                path,
                "a negative number where a count or a rate is expected",
            )
            .found(found.trim_start_matches("integer ").trim_matches('`'))
            .expected(expected);
        }
        return Diagnostic::error(Code::InvalidValue, path, format!("expected {expected}, found {found}"))
            .found(found)
            .expected(expected.to_string());
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        return Diagnostic::error(Code::InvalidValue, path, format!("wrong number of entries: {rest}"));
    }
    let code = syntax_code(message).unwrap_or(Code::InvalidValue);
    let mut diag = Diagnostic::error(code, path, message.to_string());
    if code == Code::YamlSyntax && message.contains("flow") {
        diag = diag.hint("a `[` or `{` is not closed, or a comma is missing between items");
    } else if code == Code::YamlSyntax {
        diag = diag.hint("check the indentation and that every `key:` is followed by a space");
    }
    match code {
        Code::YamlLimit => {
            diag = diag.hint(
                "dcplan refuses deeply nested YAML and runaway alias expansion; write the data out plainly",
            )
        }
        Code::MultipleDocuments => {
            diag = diag.hint("put each catalog or scenario in its own file (remove the extra `---`)")
        }
        _ => {}
    }
    diag
}

/// serde names Rust types ("u64", "struct Site"); users read YAML.
fn humane_type(expected: &str) -> String {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number, 0 or more".to_string(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_string(),
        "f32" | "f64" => "a number".to_string(),
        "a sequence" => "a list".to_string(),
        "a map" => "a mapping of fields".to_string(),
        "a boolean" => "`true` or `false`".to_string(),
        other => match other.strip_prefix("struct ") {
            Some(name) => format!("a mapping of fields ({name})"),
            None => other.to_string(),
        },
    }
}

fn split_backticked(rest: &str) -> (String, &str) {
    match rest.split_once('`') {
        Some((word, tail)) => (word.to_string(), tail),
        None => (rest.to_string(), ""),
    }
}

fn backticked_list(text: &str) -> Vec<String> {
    text.split('`').enumerate().filter(|(i, _)| i % 2 == 1).map(|(_, s)| s.to_string()).collect()
}

fn quote_list(items: &[String]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

/// Field-name suffixes that carry a unit, and what the unit is.
const UNIT_SUFFIXES: &[(&str, &str)] = &[
    ("_gbps", "Gb/s"),
    ("_mbps", "Mb/s"),
    ("_tbps", "Tb/s"),
    ("_w", "watts"),
    ("_kw", "kilowatts"),
    ("_km", "kilometres"),
    ("_m", "metres"),
    ("_db", "dB"),
    ("_dbm", "dBm"),
    ("_ghz", "GHz"),
    ("_gbd", "GBd"),
    ("_pct", "percent"),
];

fn unit_of(field: &str) -> Option<(&str, &'static str)> {
    UNIT_SUFFIXES
        .iter()
        .filter(|(suffix, _)| field.ends_with(suffix))
        .max_by_key(|(suffix, _)| suffix.len())
        .map(|(suffix, unit)| (&field[..field.len() - suffix.len()], *unit))
}

/// `length_m` where the format has `length_km`: say so plainly.
fn unit_field_hint(field: &str, options: &[String]) -> Option<String> {
    let (stem, unit) = unit_of(field)?;
    let stem_of = |o: &str| unit_of(o).map(|(s, u)| (s.to_string(), u));
    let (right, right_unit) = options.iter().find_map(|o| match stem_of(o) {
        Some((s, u)) if s == stem && u != unit => Some((o.clone(), u)),
        _ => None,
    })?;
    Some(format!(
        "this field is `{right}`, in {right_unit}, not {unit}: convert the value and rename the field"
    ))
}

/// `string "80 km"` → `80` when the text is a number followed by a unit.
fn number_with_unit(found: &str) -> Option<String> {
    let text = found.strip_prefix("string ")?.trim_matches('"');
    let number: String = text.chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-').collect();
    let unit = text[number.len()..].trim();
    if number.is_empty() || unit.is_empty() || number.parse::<f64>().is_err() {
        return None;
    }
    unit.chars().all(|c| c.is_alphabetic() || c == '/' || c == '%').then_some(number)
}

/// Where each path of a document sits in its text.
#[derive(Debug, Default)]
pub struct LocationIndex {
    entries: HashMap<String, Entry>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: Option<Location>,
    value: Location,
}

impl LocationIndex {
    /// Indexes a document. A document that yaml-rust2 cannot parse gives an
    /// index of what came before the problem: still useful, never a panic.
    pub fn build(text: &str) -> LocationIndex {
        IndexBuilder::new(text).run()
    }

    /// The location of a path's key (for unknown fields) or value.
    pub fn locate(&self, path: &str, want_key: bool) -> Option<Location> {
        let mut path = path.to_string();
        loop {
            if let Some(entry) = self.entries.get(&path) {
                return Some(if want_key { entry.key.unwrap_or(entry.value) } else { entry.value });
            }
            // Fall back to the nearest enclosing node that exists in the text
            // (a missing field is reported at its parent).
            path = parent_path(&path)?;
        }
    }
}

fn parent_path(path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(path[..cut].to_string())
}

enum Frame {
    Map { path: String, flow: bool, pending_key: Option<(String, Location)> },
    Seq { path: String, flow: bool, next: usize },
}

struct IndexBuilder<'a> {
    text: &'a str,
    /// Byte offset of each line start, for turning line/column into bytes.
    line_starts: Vec<usize>,
    stack: Vec<Frame>,
    entries: HashMap<String, Entry>,
}

/// Deeper than serde_yaml accepts; the index never needs more.
const MAX_INDEX_DEPTH: usize = 130;

impl<'a> IndexBuilder<'a> {
    fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        IndexBuilder { text, line_starts, stack: Vec::new(), entries: HashMap::new() }
    }

    fn run(mut self) -> LocationIndex {
        let mut parser = Parser::new_from_str(self.text);
        let mut documents = 0;
        while let Ok((event, marker)) = parser.next_token() {
            match event {
                Event::StreamEnd => break,
                Event::DocumentStart => {
                    documents += 1;
                    if documents > 1 {
                        break;
                    }
                }
                Event::Scalar(value, style, _, _) => self.scalar(value, style, marker),
                Event::Alias(_) => {
                    self.node_start(marker, false, None);
                }
                Event::SequenceStart(..) => {
                    if self.stack.len() >= MAX_INDEX_DEPTH {
                        break;
                    }
                    let flow = self.char_at(marker) == Some('[');
                    if let Some(path) = self.node_start(marker, flow, None) {
                        self.stack.push(Frame::Seq { path, flow, next: 0 });
                    }
                }
                Event::MappingStart(..) => {
                    if self.stack.len() >= MAX_INDEX_DEPTH {
                        break;
                    }
                    let flow = self.char_at(marker) == Some('{');
                    if let Some(path) = self.node_start(marker, flow, None) {
                        self.stack.push(Frame::Map { path, flow, pending_key: None });
                    }
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    self.stack.pop();
                }
                _ => {}
            }
        }
        LocationIndex { entries: self.entries }
    }

    fn in_flow(&self) -> bool {
        self.stack.iter().any(|f| match f {
            Frame::Map { flow, .. } | Frame::Seq { flow, .. } => *flow,
        })
    }

    fn scalar(&mut self, value: String, style: TScalarStyle, marker: Marker) {
        let location = self.scalar_location(marker, style);
        if let Some(Frame::Map { pending_key, .. }) = self.stack.last_mut() {
            if pending_key.is_none() {
                *pending_key = Some((value, location));
                return;
            }
        }
        self.node_start(marker, false, Some(location));
    }

    /// Records a node (value) at the current position; returns its path.
    fn node_start(&mut self, marker: Marker, flow: bool, scalar: Option<Location>) -> Option<String> {
        let location = scalar.unwrap_or_else(|| self.container_location(marker, flow));
        let (path, key) = match self.stack.last_mut() {
            None => (String::new(), None),
            Some(Frame::Seq { path, next, .. }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                (p, None)
            }
            Some(Frame::Map { path, pending_key, .. }) => match pending_key.take() {
                Some((k, key_location)) => (join_path(path, &k), Some(key_location)),
                // A complex key (a mapping used as a key): not addressable.
                None => return None,
            },
        };
        self.entries.entry(path.clone()).or_insert(Entry { key, value: location });
        Some(path)
    }

    fn byte_offset(&self, marker: Marker) -> usize {
        // yaml-rust2 counts lines from 1 and columns in characters from 0.
        let line_start = self.line_starts.get(marker.line().saturating_sub(1)).copied().unwrap_or(0);
        let line = &self.text[line_start..];
        let column_bytes: usize = line.chars().take(marker.col()).map(char::len_utf8).sum();
        (line_start + column_bytes).min(self.text.len())
    }

    fn char_at(&self, marker: Marker) -> Option<char> {
        self.text[self.byte_offset(marker)..].chars().next()
    }

    fn location(&self, marker: Marker, start: usize, end: usize) -> Location {
        Location { line: marker.line(), column: marker.col() + 1, start, end: end.max(start) }
    }

    fn line_end(&self, start: usize) -> usize {
        self.text[start..].find(['\n', '\r']).map_or(self.text.len(), |i| start + i)
    }

    fn container_location(&self, marker: Marker, flow: bool) -> Location {
        let start = self.byte_offset(marker);
        let end = if flow { start + 1 } else { self.trimmed_line_end(start) };
        self.location(marker, start, end)
    }

    fn trimmed_line_end(&self, start: usize) -> usize {
        let end = self.line_end(start);
        let line = &self.text[start..end];
        let line = match line.find(" #") {
            Some(i) => &line[..i],
            None => line,
        };
        start + line.trim_end().len()
    }

    fn scalar_location(&self, marker: Marker, style: TScalarStyle) -> Location {
        let start = self.byte_offset(marker);
        let rest = &self.text[start..];
        let end = match style {
            TScalarStyle::DoubleQuoted => {
                closing_quote(rest, '"').map_or(self.line_end(start), |i| start + i + 1)
            }
            TScalarStyle::SingleQuoted => {
                closing_quote(rest, '\'').map_or(self.line_end(start), |i| start + i + 1)
            }
            TScalarStyle::Plain => {
                let mut end = self.trimmed_line_end(start);
                if self.in_flow() {
                    if let Some(i) = self.text[start..end].find([',', ']', '}']) {
                        end = start + self.text[start..start + i].trim_end().len();
                    }
                }
                if let Some(i) = self.text[start..end].find(": ") {
                    end = start + i;
                }
                end
            }
            _ => self.trimmed_line_end(start),
        };
        self.location(marker, start, end.max(start + rest.chars().next().map_or(0, char::len_utf8)))
    }
}

fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let mut chars = text.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && text[i + 1..].starts_with('\'') {
                chars.next();
                continue;
            }
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_points_at_keys_and_values() {
        let text = "kind: scenario\nsites:\n  - name: a\n    servers: 10\n  - {name: \"b\", servers: 20}\n";
        let index = LocationIndex::build(text);
        let at = |p: &str, key: bool| {
            let l = index.locate(p, key).unwrap();
            (l.line, l.column, &text[l.start..l.end])
        };
        assert_eq!(at("kind", false), (1, 7, "scenario"));
        assert_eq!(at("sites[0].servers", true), (4, 5, "servers"));
        assert_eq!(at("sites[0].servers", false), (4, 14, "10"));
        assert_eq!(at("sites[1].name", false), (5, 12, "\"b\""));
        assert_eq!(at("sites[1].servers", false), (5, 26, "20"));
        // Missing paths fall back to the nearest parent that exists.
        assert_eq!(at("sites[0].nics_per_server", false).0, 3);
    }

    #[test]
    fn index_survives_non_ascii_and_broken_text() {
        let text = "name: Pékin – métro\nservers: 5\n";
        let index = LocationIndex::build(text);
        let l = index.locate("servers", false).unwrap();
        assert_eq!(&text[l.start..l.end], "5");
        let _ = LocationIndex::build("a: [1, 2\nb: {");
    }

    #[test]
    fn unknown_field_with_other_unit_is_called_a_unit_mistake() {
        let d = describe_serde_error(
            "fibre_routes[0]",
            "unknown field `length_m`, expected one of `id`, `length_km`, `fibre`",
        );
        assert_eq!(d.code, Code::WrongUnit);
        assert_eq!(d.path.as_deref(), Some("fibre_routes[0].length_m"));
        assert!(d.hint.unwrap().contains("`length_km`, in kilometres"));
    }

    #[test]
    fn unknown_field_gets_did_you_mean() {
        let d = describe_serde_error("", "unknown field `servrs`, expected one of `name`, `servers`");
        assert_eq!(d.code, Code::UnknownField);
        assert_eq!(d.hint.as_deref(), Some("did you mean `servers`?"));
    }

    #[test]
    fn number_with_unit_is_a_unit_mistake() {
        let d = describe_serde_error("length_km", "invalid type: string \"80 km\", expected f64");
        assert_eq!(d.code, Code::WrongUnit);
        assert!(d.hint.unwrap().contains("`80`"));
    }

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
        assert_eq!(err.code, Code::YamlLimit, "{err:?}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse_value(&text).unwrap_err();
        assert_eq!(err.code, Code::YamlLimit, "{err:?}");
        let _ = LocationIndex::build(&text);
    }
}
