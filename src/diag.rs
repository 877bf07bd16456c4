//! Diagnostics: every problem dcplan finds in an input, with a stable code,
//! where it is, what was found, what was expected, and a hint.
//!
//! The library only builds [`Diagnostic`] values; `render::diagnostics` turns
//! them into text or JSON. Codes are part of the interface (scripts match on
//! them): never rename one, only add.

use serde::Serialize;
use std::fmt;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be used (exit code 2).
    Error,
    /// The input can be used but is probably not what was meant.
    Warning,
}

macro_rules! codes {
    ($($variant:ident => $name:literal, $summary:literal;)*) => {
        /// Stable diagnostic codes, one per kind of problem.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, for documentation and tests.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The kebab-case name printed in `error[name]`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// One line saying what the code means.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)*
                }
            }
        }
    };
}

codes! {
    Io => "io-error", "the file cannot be read";
    FileTooLarge => "file-too-large", "the file is larger than dcplan reads";
    BinaryInput => "binary-input", "the file is not UTF-8 text";
    EmptyDocument => "empty-document", "the file holds no YAML document";
    YamlSyntax => "yaml-syntax", "the text is not valid YAML";
    MultipleDocuments => "multiple-documents", "the file holds more than one YAML document";
    YamlLimit => "yaml-limit", "nesting or alias expansion beyond dcplan's limits";
    UnknownTag => "unknown-tag", "a YAML tag (`!!binary`, `!foo`) dcplan does not read";
    ControlCharacter => "control-character", "a text holds a control or bidirectional character (written as an escape)";
    TooLong => "too-long", "a name or a text longer than dcplan accepts";
    NotAMapping => "not-a-mapping", "the document is not a mapping of fields";
    DuplicateKey => "duplicate-key", "one mapping names the same field twice";
    UnknownKind => "unknown-kind", "`kind` is missing or is neither `catalog` nor `scenario`";
    UnsupportedVersion => "unsupported-version", "`format_version` is not one this build reads";
    WrongKind => "wrong-kind", "a catalog was given where a scenario is expected, or the reverse";
    UnknownField => "unknown-field", "a field the format does not have";
    MissingField => "missing-field", "a required field is absent";
    InvalidType => "invalid-type", "a value of the wrong type (text where a number is expected...)";
    InvalidValue => "invalid-value", "a value outside the allowed set";
    WrongUnit => "wrong-unit", "a value or field written in another unit than the field's";
    NotPositive => "not-positive", "zero or a negative number where a positive one is needed";
    NotFinite => "not-finite", "NaN or infinity";
    OutOfRange => "out-of-range", "a number outside the physically sensible range";
    NonStandardRate => "non-standard-rate", "a port or NIC speed that is not an Ethernet rate";
    DuplicateId => "duplicate-id", "two items share an id or a name";
    UnknownReference => "unknown-reference", "a reference to an id or a name that does not exist";
    UnknownModel => "unknown-model", "a scenario names a model the catalog does not supply";
    Inconsistent => "inconsistent", "figures that contradict each other";
    MissingSource => "missing-source", "a catalog item without a datasheet source";
    UnknownEstimate => "unknown-estimate", "`estimates` names a figure the item does not have";
    CapacityMismatch => "capacity-mismatch", "the stated capacity differs from the sum of the ports";
    DuplicatePartNumber => "duplicate-part-number", "two items share a part number";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Which part of a `key: value` pair a diagnostic points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Key,
    Value,
}

/// A place in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte range of the offending text.
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
}

impl Location {
    /// Byte offset of the location (its line start when the offset is unknown).
    pub fn index_hint(&self) -> usize {
        self.start
    }
}

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// Path of the offending value in the document, e.g. `sites[2].servers`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip)]
    pub target: Target,
    /// Where it is, once resolved against the source text.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The offending value as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// What would have been accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a document path.
    pub fn error(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        let path = path.into();
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            path: if path.is_empty() { None } else { Some(path) },
            target: Target::Value,
            location: None,
            found: None,
            expected: None,
            hint: None,
        }
    }

    /// A warning at a document path.
    pub fn warning(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, path, message) }
    }

    /// Points at the key of the `key: value` pair rather than the value.
    pub fn at_key(mut self) -> Self {
        self.target = Target::Key;
        self
    }

    pub fn found(mut self, found: impl fmt::Display) -> Self {
        self.found = Some(found.to_string());
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the location directly (problems found before any path exists).
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Writes every control, bidirectional and separator character of the
    /// texts (which may quote the input) as an escape, so that printing the
    /// diagnostic cannot drive a terminal.
    pub fn escape_texts(&mut self) {
        let escape = |s: &mut String| {
            if let std::borrow::Cow::Owned(escaped) = crate::text::escape(s) {
                *s = escaped;
            }
        };
        escape(&mut self.message);
        for field in
            [&mut self.path, &mut self.found, &mut self.expected, &mut self.hint].into_iter().flatten()
        {
            escape(field);
        }
    }
}

/// All the diagnostics of one file, with the file's name and text so that
/// they can be shown with their source lines.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub file: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Inputs that could not be used: every problem of every file involved.
#[derive(Debug, Clone)]
pub struct InputError {
    pub reports: Vec<FileReport>,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n: usize = self.reports.iter().map(|r| r.diagnostics.len()).sum();
        write!(f, "{n} problem(s) in the input")
    }
}

impl std::error::Error for InputError {}

/// The closest candidate to `word`, for "did you mean" hints.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(word, candidate);
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_unique_kebab_case_and_documented() {
        let names: BTreeSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), Code::ALL.len(), "duplicate code name");
        for code in Code::ALL {
            let name = code.as_str();
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{name} is not kebab-case");
            assert!(!code.summary().is_empty());
        }
    }

    #[test]
    fn texts_quoting_the_input_are_escaped() {
        let mut d =
            Diagnostic::error(Code::InvalidValue, "sites[0].na\u{1b}me", "site `a\0b`").found("\u{1b}[2J");
        d.escape_texts();
        assert_eq!(d.message, "site `a\\u{0}b`");
        assert_eq!(d.path.as_deref(), Some("sites[0].na\\u{1b}me"));
        assert_eq!(d.found.as_deref(), Some("\\u{1b}[2J"));
    }

    #[test]
    fn did_you_mean_finds_near_misses_only() {
        let ids = ["ixr-d3", "ixr-d2", "ixr-h4"];
        assert_eq!(closest("ixr-d33", ids), Some("ixr-d3"));
        assert_eq!(closest("sr-14s", ids), None);
    }
}
