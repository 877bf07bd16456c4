//! Line and column to byte offset, in time that does not grow with the
//! length of a line: line starts are indexed once, a position on the line
//! is found by walking forward from the last one asked for (the parser's
//! positions come in document order), and an all-ASCII text needs no walk.

use crate::diag::Location;
use std::cell::Cell;

/// A text's lines as yaml-rust2 counts them: `\r\n`, `\n` and a lone `\r`
/// each end a line; columns count characters from 0.
pub(super) struct Lines<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// Byte offset of every `\n` and `\r`.
    breaks: Vec<usize>,
    ascii: bool,
    /// The last position converted: (line index, column, byte offset).
    cursor: Cell<(usize, usize, usize)>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut breaks = Vec::new();
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\n' => {
                    breaks.push(i);
                    starts.push(i + 1);
                }
                b'\r' => {
                    breaks.push(i);
                    if bytes.get(i + 1) != Some(&b'\n') {
                        starts.push(i + 1);
                    }
                }
                _ => {}
            }
        }
        Lines { text, starts, breaks, ascii: text.is_ascii(), cursor: Cell::new((0, 0, 0)) }
    }

    pub(super) fn text(&self) -> &'a str {
        self.text
    }

    /// The byte offset of a 1-based line and a 0-based column in characters.
    pub(super) fn offset(&self, line: usize, column: usize) -> usize {
        let index = line.saturating_sub(1).min(self.starts.len() - 1);
        let line_start = self.starts[index];
        if self.ascii {
            return (line_start + column).min(self.text.len());
        }
        let (cursor_line, cursor_column, cursor_byte) = self.cursor.get();
        let (mut at_column, mut at_byte) = if cursor_line == index && cursor_column <= column {
            (cursor_column, cursor_byte)
        } else {
            (0, line_start)
        };
        let mut chars = self.text[at_byte..].chars();
        while at_column < column {
            match chars.next() {
                Some(c) => {
                    at_byte += c.len_utf8();
                    at_column += 1;
                }
                None => break,
            }
        }
        self.cursor.set((index, at_column, at_byte));
        at_byte
    }

    /// The 1-based line and 0-based column (in characters) of byte `at`.
    pub(super) fn line_column(&self, at: usize) -> (usize, usize) {
        let index = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        let start = self.starts[index].min(at);
        (index + 1, self.text.get(start..at).map_or(0, |s| s.chars().count()))
    }

    /// Where the line holding byte `at` ends (its line break, or the end of the text).
    pub(super) fn line_end(&self, at: usize) -> usize {
        let i = self.breaks.partition_point(|&b| b < at);
        self.breaks.get(i).copied().unwrap_or(self.text.len())
    }

    /// A location from a 1-based line and 0-based column, spanning `len` bytes
    /// (cut at the end of the line).
    pub(super) fn location(&self, line: usize, column: usize, len: usize) -> Location {
        let start = self.offset(line, column);
        let end = floor_boundary(self.text, (start + len).min(self.line_end(start)));
        Location { line, column: column + 1, start, end: end.max(start) }
    }
}

/// The largest char boundary at or before `at`.
pub(super) fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters_and_every_kind_of_line_break() {
        let text = "ab\r\ncé d\rx\ny";
        let lines = Lines::new(text);
        assert_eq!(lines.offset(1, 1), 1);
        assert_eq!(lines.offset(2, 0), 4);
        assert_eq!(&text[lines.offset(2, 2)..], " d\rx\ny");
        // Asked out of order, still right.
        assert_eq!(lines.offset(2, 1), 5);
        assert_eq!(&text[lines.offset(3, 0)..], "x\ny");
        assert_eq!(&text[lines.offset(4, 0)..], "y");
        assert_eq!(lines.line_end(0), 2);
        assert_eq!(lines.line_end(4), 9);
        assert_eq!(lines.line_end(12), text.len());
        assert_eq!(lines.line_column(7), (2, 2));
        assert_eq!(lines.line_column(10), (3, 0));
        // Past the end: clamped, never a panic.
        assert_eq!(lines.offset(9, 99), text.len());
    }
}
