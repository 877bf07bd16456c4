//! Where a document path sits in the text: built from yaml-rust2's event
//! parser (or, for a JSON document, from the events of `json::events`, a
//! hundred times faster), only once there is a problem to point at, and only
//! for the paths asked about (and the nodes around them).
//!
//! Linear in the text: every position is found without rescanning its line
//! (`lines.rs`), a node's end is found by scanning the node alone (or a
//! bounded stretch of its line), and a node on no path asked about costs a
//! few comparisons: its path is never even written out.

use super::lines::{floor_boundary, Lines};
use crate::diag::Location;
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use yaml_rust2::parser::{Event, Parser};
pub(super) use yaml_rust2::scanner::TScalarStyle;

/// Where an event starts: a 1-based line and a 0-based column in
/// characters, as yaml-rust2 counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Marker {
    pub(super) line: usize,
    pub(super) col: usize,
}

impl Marker {
    fn line(self) -> usize {
        self.line
    }

    fn col(self) -> usize {
        self.col
    }
}

/// What the index reads of a document, in document order: the events of
/// either parser, with nothing the index does not use.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node<'t> {
    DocumentStart,
    /// A scalar: its text (a key's text is what paths name) and its style.
    Scalar(Cow<'t, str>, TScalarStyle),
    Alias,
    /// A collection opens: a mapping, or a sequence.
    Start {
        map: bool,
    },
    End,
}

/// yaml-rust2's events as [`Node`]s, up to the end of the stream or the
/// first error (an index of what came before it is still useful).
fn yaml_nodes(text: &str) -> impl Iterator<Item = (Node<'static>, Marker)> + '_ {
    let mut parser = Parser::new_from_str(text);
    std::iter::from_fn(move || loop {
        let (event, marker) = parser.next_token().ok()?;
        let at = Marker { line: marker.line(), col: marker.col() };
        let node = match event {
            Event::StreamEnd => return None,
            Event::DocumentStart => Node::DocumentStart,
            Event::Scalar(value, style, _, _) => Node::Scalar(Cow::Owned(value), style),
            Event::Alias(_) => Node::Alias,
            Event::SequenceStart(..) => Node::Start { map: false },
            Event::MappingStart(..) => Node::Start { map: true },
            Event::SequenceEnd | Event::MappingEnd => Node::End,
            _ => continue,
        };
        return Some((node, at));
    })
}

/// Where each path asked about sits in a document's text.
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
    /// Indexes where `paths` sit in a document, and the nodes enclosing them
    /// (a path missing from the text is located at its nearest parent). A
    /// document that yaml-rust2 cannot parse gives an index of what came
    /// before the problem: still useful, never a panic.
    pub fn build<'p>(text: &str, paths: impl IntoIterator<Item = &'p str>) -> LocationIndex {
        let builder = IndexBuilder::new(text, with_parents(paths));
        if builder.wanted.is_empty() {
            return LocationIndex::default();
        }
        match super::json::events(text) {
            Some(nodes) => builder.run(nodes),
            None => builder.run(yaml_nodes(text)),
        }
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

/// The paths and every parent of each, sorted, once each.
fn with_parents<'p>(paths: impl IntoIterator<Item = &'p str>) -> Vec<String> {
    let mut wanted: Vec<String> = Vec::new();
    for path in paths {
        let mut path = Some(path.to_string());
        while let Some(p) = path {
            path = parent_path(&p);
            wanted.push(p);
        }
    }
    wanted.sort();
    wanted.dedup();
    wanted
}

fn parent_path(path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(path[..cut].to_string())
}

/// The paths asked about that a node's path begins: a range of the sorted
/// list, and the length of the node's path (which all of them start with).
#[derive(Clone)]
struct Wanted {
    range: Range<usize>,
    len: usize,
}

/// A mapping key not yet paired with its value: its text and where it is.
struct Key<'t> {
    text: Cow<'t, str>,
    marker: Marker,
    style: TScalarStyle,
}

enum Kind<'t> {
    /// `key: None` while a key is awaited; `Some(key)` once it is read (and
    /// `Some(None)` for a key that is a collection or an alias, which no path
    /// can name).
    Map {
        key: Option<Option<Key<'t>>>,
    },
    Seq {
        next: usize,
    },
}

struct Frame<'t> {
    kind: Kind<'t>,
    /// In a flow collection (`[...]`, `{...}`), here or further out; known
    /// for frames on a wanted path, the only ones whose scalars are located.
    flow: bool,
    wanted: Option<Wanted>,
}

struct IndexBuilder<'a, 't> {
    lines: Lines<'a>,
    /// Every path asked about and its parents, sorted.
    wanted: Vec<String>,
    stack: Vec<Frame<'t>>,
    entries: HashMap<String, Entry>,
}

/// Deeper than serde_yaml accepts; the index never needs more.
const MAX_INDEX_DEPTH: usize = 130;

/// How far along its line a block collection or a block scalar's header is
/// underlined: enough to show it, and a bound on the work per node.
const MAX_SPAN_BYTES: usize = 256;

impl<'a, 't> IndexBuilder<'a, 't> {
    fn new(text: &'a str, wanted: Vec<String>) -> Self {
        IndexBuilder { lines: Lines::new(text), wanted, stack: Vec::new(), entries: HashMap::new() }
    }

    fn run(mut self, nodes: impl Iterator<Item = (Node<'t>, Marker)>) -> LocationIndex {
        let mut documents = 0;
        for (node, marker) in nodes {
            match node {
                Node::DocumentStart => {
                    documents += 1;
                    if documents > 1 {
                        break;
                    }
                }
                Node::Scalar(value, style) => self.scalar(value, style, marker),
                Node::Alias if !self.unnamed_key() => {
                    self.node(marker, Some(TScalarStyle::Plain));
                }
                Node::Alias => {}
                Node::Start { map } => {
                    if self.stack.len() >= MAX_INDEX_DEPTH {
                        break;
                    }
                    let parent_flow = self.stack.last().is_some_and(|f| f.flow);
                    let wanted = if self.unnamed_key() { None } else { self.node(marker, None) };
                    let flow = parent_flow
                        || (wanted.is_some() && self.char_at(marker) == Some(if map { '{' } else { '[' }));
                    let kind = if map { Kind::Map { key: None } } else { Kind::Seq { next: 0 } };
                    self.stack.push(Frame { kind, flow, wanted });
                }
                Node::End => {
                    self.stack.pop();
                }
            }
            if self.entries.len() == self.wanted.len() {
                break;
            }
        }
        LocationIndex { entries: self.entries }
    }

    fn scalar(&mut self, value: Cow<'t, str>, style: TScalarStyle, marker: Marker) {
        if let Some(Frame { kind: Kind::Map { key: key @ None }, .. }) = self.stack.last_mut() {
            *key = Some(Some(Key { text: value, marker, style }));
            return;
        }
        self.node(marker, Some(style));
    }

    /// When a mapping awaits a key and the node starting is not a scalar:
    /// the key is taken as read, with no name.
    fn unnamed_key(&mut self) -> bool {
        match self.stack.last_mut() {
            Some(Frame { kind: Kind::Map { key: key @ None }, .. }) => {
                *key = Some(None);
                true
            }
            _ => false,
        }
    }

    /// A node (a value) starts here: records it when its path is asked
    /// about, and returns the wanted paths it begins. `scalar` is the style
    /// of a scalar; `None` for a collection.
    fn node(&mut self, marker: Marker, scalar: Option<TScalarStyle>) -> Option<Wanted> {
        let (wanted, key) = match self.stack.last_mut() {
            None => (Some(Wanted { range: 0..self.wanted.len(), len: 0 }), None),
            Some(Frame { kind: Kind::Seq { next }, wanted, .. }) => {
                let index = *next;
                *next += 1;
                let wanted = wanted.clone();
                (wanted.and_then(|w| self.narrow(&w, &format!("[{index}]"))), None)
            }
            Some(Frame { kind: Kind::Map { key }, wanted, .. }) => {
                // A complex key (a mapping used as a key) is not addressable.
                let key = key.take().flatten()?;
                let wanted = wanted.clone();
                let child = wanted.and_then(|w| {
                    let step = step_to_key(w.len, &key.text);
                    self.narrow(&w, &step)
                });
                (child, Some(key))
            }
        };
        let w = wanted?;
        if self.wanted[w.range.start].len() == w.len {
            let in_flow = self.stack.last().is_some_and(|f| f.flow);
            let value = match scalar {
                Some(style) => self.scalar_location(marker, style, in_flow),
                None => self.container_location(marker),
            };
            let key = key.map(|k| self.scalar_location(k.marker, k.style, in_flow));
            let path = self.wanted[w.range.start].clone();
            self.entries.entry(path).or_insert(Entry { key, value });
        }
        Some(w)
    }

    /// The wanted paths that go on from `parent` by `step` (`[3]`, `.name`).
    fn narrow(&self, parent: &Wanted, step: &str) -> Option<Wanted> {
        let candidates = &self.wanted[parent.range.clone()];
        let step = step.as_bytes();
        let lower = candidates.partition_point(|w| &w.as_bytes()[parent.len..] < step);
        let count = candidates[lower..].partition_point(|w| w.as_bytes()[parent.len..].starts_with(step));
        let start = parent.range.start + lower;
        (count > 0).then(|| Wanted { range: start..start + count, len: parent.len + step.len() })
    }

    fn byte_offset(&self, marker: Marker) -> usize {
        // yaml-rust2 counts lines from 1 and columns in characters from 0.
        self.lines.offset(marker.line(), marker.col())
    }

    fn char_at(&self, marker: Marker) -> Option<char> {
        self.lines.text()[self.byte_offset(marker)..].chars().next()
    }

    fn location(&self, marker: Marker, start: usize, end: usize) -> Location {
        Location { line: marker.line(), column: marker.col() + 1, start, end: end.max(start) }
    }

    fn container_location(&self, marker: Marker) -> Location {
        let start = self.byte_offset(marker);
        let text = self.lines.text();
        let end = if matches!(text[start..].chars().next(), Some('[' | '{')) {
            start + 1
        } else {
            self.trimmed_line_end(start)
        };
        self.location(marker, start, end)
    }

    /// The end of the text from `start` on its line, comments and trailing
    /// blanks left out, looked for within [`MAX_SPAN_BYTES`].
    fn trimmed_line_end(&self, start: usize) -> usize {
        let text = self.lines.text();
        let end = floor_boundary(text, self.lines.line_end(start).min(start + MAX_SPAN_BYTES));
        let line = &text[start..end];
        let line = match line.find(" #") {
            Some(i) => &line[..i],
            None => line,
        };
        start + line.trim_end().len()
    }

    fn scalar_location(&self, marker: Marker, style: TScalarStyle, in_flow: bool) -> Location {
        let start = self.byte_offset(marker);
        let text = self.lines.text();
        let rest = &text[start..];
        let end = match style {
            TScalarStyle::DoubleQuoted => {
                closing_quote(rest, '"').map_or_else(|| self.lines.line_end(start), |i| start + i + 1)
            }
            TScalarStyle::SingleQuoted => {
                closing_quote(rest, '\'').map_or_else(|| self.lines.line_end(start), |i| start + i + 1)
            }
            TScalarStyle::Plain => start + plain_len(rest, in_flow),
            _ => self.trimmed_line_end(start),
        };
        self.location(marker, start, end.max(start + rest.chars().next().map_or(0, char::len_utf8)))
    }
}

/// What a key adds to its mapping's path (of `parent_len` bytes), as
/// [`super::join_path`] writes it.
fn step_to_key(parent_len: usize, key: &str) -> String {
    match (parent_len == 0, key.is_empty()) {
        (true, _) | (_, true) => key.to_string(),
        _ if key.starts_with('[') => key.to_string(),
        _ => format!(".{key}"),
    }
}

/// The length of a plain scalar's first line: up to a `: `, a comment, the
/// line's end, or (in a flow collection) a `,`, `]` or `}`, blanks trimmed.
fn plain_len(rest: &str, in_flow: bool) -> usize {
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let next = bytes.get(i + 1).copied();
        match bytes[i] {
            b'\n' | b'\r' => break,
            b',' | b']' | b'}' if in_flow => break,
            b':' if next == Some(b' ') => break,
            b' ' if next == Some(b'#') => break,
            _ => {}
        }
        i += 1;
    }
    // Every stop is an ASCII byte, so `i` is a char boundary.
    rest[..i].trim_end().len()
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
        let paths =
            ["kind", "sites[0].servers", "sites[1].name", "sites[1].servers", "sites[0].nics_per_server"];
        let index = LocationIndex::build(text, paths);
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
        let index = LocationIndex::build(text, ["servers"]);
        let l = index.locate("servers", false).unwrap();
        assert_eq!(&text[l.start..l.end], "5");
        let _ = LocationIndex::build("a: [1, 2\nb: {", ["a[1]", "b"]);
    }

    #[test]
    fn a_key_that_is_a_collection_does_not_shift_the_paths_after_it() {
        let text = "a:\n  {x: 1}: 2\n  [y]: 3\n  b: 4\nc: 5\n";
        let index = LocationIndex::build(text, ["a.b", "c"]);
        let at = |p: &str| {
            let l = index.locate(p, false).unwrap();
            (l.line, &text[l.start..l.end])
        };
        assert_eq!(at("a.b"), (4, "4"));
        assert_eq!(at("c"), (5, "5"));
    }

    #[test]
    fn flow_scalars_end_at_their_delimiters() {
        let text = "z: &z 1\na: [x , {k: v}, 'q''s', \"r\\\"\", *z]  # note\n";
        let paths = ["a[0]", "a[1].k", "a[2]", "a[3]", "a[4]"];
        let index = LocationIndex::build(text, paths);
        let spans: Vec<&str> =
            paths.iter().map(|p| index.locate(p, false).map_or("?", |l| &text[l.start..l.end])).collect();
        assert_eq!(spans, ["x", "v", "'q''s'", "\"r\\\"\"", "*z"]);
        // The key of a flow mapping, for unknown fields.
        let key = index.locate("a[1].k", true).unwrap();
        assert_eq!(&text[key.start..key.end], "k");
    }

    #[test]
    fn a_json_document_is_indexed_as_yaml_rust2_indexes_it() {
        let text = "{\"kind\": \"scenario\", \"sites\": [{\"name\": \"Pékin\", \"servers\": 10},\r\n  \
                    {\"n\\u0061me\": \"b\", \"servers\": [1, {\"x\": true}]}], \"z\": {}}";
        let paths = ["kind", "sites[0].servers", "sites[1].name", "sites[1].servers[1].x", "z", "z.missing"];
        let wanted = with_parents(paths);
        let by_json = IndexBuilder::new(text, wanted.clone()).run(super::super::json::events(text).unwrap());
        let by_yaml = IndexBuilder::new(text, wanted).run(yaml_nodes(text));
        for path in paths {
            for key in [false, true] {
                assert_eq!(by_json.locate(path, key), by_yaml.locate(path, key), "{path} {key}");
            }
        }
        assert_eq!(by_json.entries.len(), by_yaml.entries.len());
        let name = by_json.locate("sites[1].name", false).unwrap();
        assert_eq!(&text[name.start..name.end], "\"b\"");
    }

    #[test]
    fn only_the_paths_asked_about_are_kept() {
        let text = "a: [1, 2, 3]\nb: {c: 4}\n";
        let index = LocationIndex::build(text, ["b.c"]);
        assert!(index.entries.contains_key("b.c") && index.entries.contains_key("b"));
        assert!(!index.entries.contains_key("a") && !index.entries.contains_key("a[1]"));
        // Nothing asked: nothing parsed.
        assert!(LocationIndex::build(text, []).entries.is_empty());
    }
}
