//! Where a document path sits in the text: built with yaml-rust2's event
//! parser, only once there is a problem to point at.

use super::join_path;
use crate::diag::Location;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

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
}
