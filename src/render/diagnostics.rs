//! Diagnostics as text (with the offending source line, like rustc) or as
//! JSON (for scripts and editors).

use crate::diag::{Diagnostic, FileReport, Severity};
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Chars, Config};
use serde::Serialize;

/// Renders one file's diagnostics as text, each with its source snippet.
pub fn to_text(report: &FileReport) -> String {
    let file = SimpleFile::new(report.file.as_str(), report.text.as_str());
    let config = Config { chars: Chars::ascii(), ..Config::default() };
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&one(&file, &config, report, d));
    }
    out
}

fn one(file: &SimpleFile<&str, &str>, config: &Config, report: &FileReport, d: &Diagnostic) -> String {
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
    let has_text = !report.text.is_empty();
    match d.location {
        Some(l) if has_text && l.end <= report.text.len() && l.start <= l.end => {
            let label = Label::primary((), l.start..l.end.max(l.start));
            let label = match &d.path {
                Some(p) => label.with_message(p.as_str()),
                None => label,
            };
            cs = cs.with_labels(vec![label]);
            term::emit_into_string(config, file, &cs).unwrap_or_else(|_| plain(report, d))
        }
        _ => plain(report, d),
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
}
