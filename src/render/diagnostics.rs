//! Diagnostics as text (with the offending source line, like rustc) or as
//! JSON (for scripts and editors).
//!
//! The snippet is the offending line alone, cut to a window around the
//! problem when the line is long (a minified document is one line of up to
//! 8 MiB): the time to render a diagnostic and the size of what it prints
//! do not grow with the line.

use crate::diag::{Diagnostic, FileReport, Location, Severity};
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Chars, Config};
use serde::Serialize;
use std::ops::Range;

/// Most bytes of a line shown on each side of the problem.
const CONTEXT_BYTES: usize = 60;
/// Most bytes of the problem itself underlined.
const MAX_LABEL_BYTES: usize = 120;
/// What stands for the cut part of a long line.
const CUT: &str = "...";

/// Renders one file's diagnostics as text, each with its source snippet.
pub fn to_text(report: &FileReport) -> String {
    let config = Config { chars: Chars::ascii(), ..Config::default() };
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&one(&config, report, d));
    }
    out
}

/// The line a diagnostic points at, as codespan sees it: the line (or a
/// window of it) as the whole source, numbered as in the file.
struct Snippet<'a> {
    name: &'a str,
    source: String,
    /// The label's range in `source`.
    label: Range<usize>,
    line: usize,
    /// The file's column of `source`'s first character, minus one: the
    /// characters of the line left out before the window, less the `...`.
    columns_before: usize,
}

impl<'a> Snippet<'a> {
    /// `None` when the location does not fall in the text.
    fn new(name: &'a str, text: &str, l: Location) -> Option<Self> {
        if l.start > l.end || l.end > text.len() || !text.is_char_boundary(l.start) {
            return None;
        }
        let (line_start, line_end) = line_around(text, l.start);
        Some(Self::within(name, text, l, line_start, line_end))
    }

    /// The snippet of a location on the line from `line_start` to `line_end`.
    fn within(name: &'a str, text: &str, l: Location, line_start: usize, line_end: usize) -> Self {
        let label_end = floor(text, l.end.min(line_end).min(l.start + MAX_LABEL_BYTES));
        let from = floor(text, l.start.saturating_sub(CONTEXT_BYTES).max(line_start));
        let to = floor(text, (label_end + CONTEXT_BYTES).min(line_end));
        let (before, after) =
            (if from > line_start { CUT } else { "" }, if to < line_end { CUT } else { "" });
        let source = format!("{before}{}{after}", &text[from..to]);
        let label = before.len() + (l.start - from)..before.len() + (label_end - from);
        let shown_before = before.chars().count() + text[from..l.start].chars().count();
        let columns_before = l.column.saturating_sub(1).saturating_sub(shown_before);
        Snippet { name, source, label, line: l.line, columns_before }
    }
}

/// The start and end of the line holding byte `at`, looked for no further
/// than the window [`Snippet::new`] can show: where the line goes on
/// beyond it, a position past the window stands for its end (the window
/// is cut there alike). A minified document is one line: scanning the whole
/// of it for each of its diagnostics made a report of thousands quadratic.
fn line_around(text: &str, at: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let is_break = |b: &u8| *b == b'\n' || *b == b'\r';
    // `floor` moves a window's edge back by at most 3 bytes to a char
    // boundary: 4 more bytes back tell a line that starts at the window's
    // edge from one that starts before it.
    let back = at.saturating_sub(CONTEXT_BYTES + 4);
    let line_start = bytes[back..at].iter().rposition(is_break).map_or(back, |i| back + i + 1);
    let ahead = text.len().min(at + MAX_LABEL_BYTES + CONTEXT_BYTES + 1);
    let line_end = bytes[at..ahead].iter().position(is_break).map_or(ahead, |i| at + i);
    (line_start, line_end)
}

/// The largest char boundary at or before `at`.
fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl<'a> Files<'a> for Snippet<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.source)
    }

    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, FilesError> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, FilesError> {
        Ok(self.line)
    }

    fn column_number(&'a self, (): (), _line_index: usize, byte_index: usize) -> Result<usize, FilesError> {
        let shown = self.source.get(..byte_index).map_or(0, |s| s.chars().count());
        Ok(self.columns_before + shown + 1)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        match line_index {
            0 => Ok(0..self.source.len()),
            _ => Err(FilesError::LineTooLarge { given: line_index, max: 0 }),
        }
    }
}

fn one(config: &Config, report: &FileReport, d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    let mut notes = Vec::new();
    if let Some(found) = &d.found {
        notes.push(format!("found: {found}"));
    }
    if let Some(expected) = &d.expected {
        notes.push(format!("expected: {expected}"));
    }
    if let Some(hint) = &d.hint {
        notes.push(format!("hint: {hint}"));
    }
    let mut cs =
        CsDiagnostic::new(severity).with_code(d.code.as_str()).with_message(&d.message).with_notes(notes);
    let snippet = d
        .location
        .filter(|_| !report.text.is_empty())
        .and_then(|l| Snippet::new(&report.file, &report.text, l));
    match snippet {
        Some(snippet) => {
            let label = Label::primary((), snippet.label.clone());
            let label = match &d.path {
                Some(p) => label.with_message(p.as_str()),
                None => label,
            };
            cs = cs.with_labels(vec![label]);
            term::emit_into_string(config, &snippet, &cs).unwrap_or_else(|_| plain(report, d))
        }
        None => plain(report, d),
    }
}

/// A diagnostic without a source snippet (no text, or no location).
fn plain(report: &FileReport, d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!("{severity}[{}]: {}\n", d.code, d.message);
    match (d.location, &d.path) {
        (Some(l), _) => out.push_str(&format!("  --> {}:{}:{}\n", report.file, l.line, l.column)),
        (None, Some(p)) => out.push_str(&format!("  --> {} ({p})\n", report.file)),
        (None, None) => out.push_str(&format!("  --> {}\n", report.file)),
    }
    for (label, value) in [("found", &d.found), ("expected", &d.expected), ("hint", &d.hint)] {
        if let Some(v) = value {
            out.push_str(&format!("  = {label}: {v}\n"));
        }
    }
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
}

/// All diagnostics of several files as one JSON array.
pub fn to_json(reports: &[FileReport]) -> String {
    let all: Vec<JsonDiagnostic<'_>> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().map(|d| JsonDiagnostic { file: &r.file, diagnostic: d }))
        .collect();
    let mut text = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Location};

    /// The snippet with the whole line scanned for its ends, as it was.
    fn whole_line<'a>(text: &str, l: Location) -> Snippet<'a> {
        let bytes = text.as_bytes();
        let line_start =
            bytes[..l.start].iter().rposition(|&b| b == b'\n' || b == b'\r').map_or(0, |i| i + 1);
        let line_end = bytes[l.start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(text.len(), |i| l.start + i);
        Snippet::within("f", text, l, line_start, line_end)
    }

    proptest::proptest! {
        /// Looking for a line's ends only as far as the window shows gives
        /// the snippet the whole line gives: lines shorter and longer than
        /// the window, breaks and multi-byte characters at its edges.
        #[test]
        fn the_bounded_line_gives_the_whole_lines_snippet(
            parts in proptest::collection::vec((0usize..130, proptest::sample::select(vec!["a", "é", "€", "𝄞", "\n", "\r"])), 0..12),
            at in 0usize..2000,
            len in 0usize..300,
        ) {
            let text: String = parts.iter().map(|(n, s)| format!("{}{s}", "x".repeat(*n))).collect();
            let start = floor(&text, at.min(text.len()));
            let end = floor(&text, (start + len).min(text.len()));
            let l = Location { line: 1, column: text[..start].chars().count() + 1, start, end };
            let got = Snippet::new("f", &text, l).expect("a snippet");
            let want = whole_line(&text, l);
            proptest::prop_assert_eq!(&got.source, &want.source);
            proptest::prop_assert_eq!(got.label, want.label);
            proptest::prop_assert_eq!(got.columns_before, want.columns_before);
        }
    }

    #[test]
    fn text_names_file_line_column_code_and_hint() {
        let text = "kind: scenario\nservers: ten\n";
        let d = Diagnostic::error(Code::InvalidType, "servers", "expected u64, found string \"ten\"")
            .hint("write a number")
            .at(Location { line: 2, column: 10, start: 24, end: 27 });
        let report = FileReport { file: "s.yaml".into(), text: text.into(), diagnostics: vec![d] };
        let out = to_text(&report);
        assert!(out.contains("error[invalid-type]"), "{out}");
        assert!(out.contains("s.yaml:2:10"), "{out}");
        assert!(out.contains("servers: ten"), "{out}");
        assert!(out.contains("hint: write a number"), "{out}");
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_problem_with_its_real_column() {
        let head = format!("{{\"kind\": \"scenario\", \"a\": [{}", "1, ".repeat(100_000));
        let text = format!("{head}\"é\", \"bad\", 2]}}\n");
        let start = head.len() + "\"é\", ".len();
        let column = text[..start].chars().count() + 1;
        let d = Diagnostic::error(Code::InvalidType, "a[100001]", "expected a number").at(Location {
            line: 1,
            column,
            start,
            end: start + 5,
        });
        let report = FileReport { file: "s.json".into(), text: text.clone(), diagnostics: vec![d] };
        let out = to_text(&report);
        assert!(out.contains(&format!("s.json:1:{column}")), "{out}");
        assert!(out.len() < 1_000, "{} bytes", out.len());
        let shown = out.lines().find(|l| l.contains("\"bad\"")).expect("the line");
        assert!(shown.contains("...1, 1, ") && shown.contains("\"é\", \"bad\", 2]}"), "{out}");
        let marks = out.lines().find(|l| l.contains("^^^^^")).expect("the underline");
        let chars_before = |line: &str, at: usize| line[..at].chars().count();
        assert_eq!(
            marks.find('^').map(|i| chars_before(marks, i)),
            shown.find("\"bad\"").map(|i| chars_before(shown, i)),
            "{out}"
        );
    }
}
