//! Load stage: bytes → text → typed documents → validated model.
//!
//! Reading is defensive: a file is refused before parsing when it is too
//! large, not UTF-8, or empty; the YAML layer caps nesting and aliases; the
//! validator reports every problem at once. Line and column are worked out
//! only when there is a problem to show.

pub mod raw;
mod read;
pub mod validate;
pub mod yaml;

pub use read::{read_source, text_from_bytes};

use crate::diag::{Code, Diagnostic, FileReport, InputError, Location};
use crate::model::{Catalog, Scenario};
use raw::{CatalogFile, DocKind, RouteFile, ScenarioFile};
use std::path::Path;

pub use crate::limits::MAX_FILE_BYTES;

/// Name of the catalog built into the binary.
pub const EMBEDDED_CATALOG_NAME: &str = "catalogs/nokia-xiaomi-2017.yaml";

/// The default catalog, compiled in so that dcplan works without files.
pub const EMBEDDED_CATALOG: &str = include_str!("../../catalogs/nokia-xiaomi-2017.yaml");

/// An input file's name and text.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
    /// The document as `detect_kind` parsed it, for the load that follows.
    parsed: ParsedOnce,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source { name: name.into(), text: text.into(), parsed: ParsedOnce::default() }
    }

    /// The catalog built into the binary.
    pub fn embedded_catalog() -> Self {
        Source::new(EMBEDDED_CATALOG_NAME, EMBEDDED_CATALOG)
    }

    fn report(&self, diagnostics: Vec<Diagnostic>) -> FileReport {
        FileReport { file: self.name.clone(), text: self.text.clone(), diagnostics }
    }
}

/// A parsed document kept from `detect_kind` to the load of the same text,
/// so that a large file is parsed once; taken by the load (never cloned,
/// never kept longer), and only for the text it was parsed from.
#[derive(Default)]
struct ParsedOnce(std::sync::Mutex<Option<(u64, yaml::Document)>>);

impl ParsedOnce {
    fn key(text: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut hasher);
        hasher.finish()
    }

    fn put(&self, text: &str, document: yaml::Document) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some((Self::key(text), document));
        }
    }

    fn take(&self, text: &str) -> Option<yaml::Document> {
        let (key, document) = self.0.lock().ok()?.take()?;
        (key == Self::key(text)).then_some(document)
    }
}

impl Clone for ParsedOnce {
    fn clone(&self) -> Self {
        ParsedOnce::default()
    }
}

impl std::fmt::Debug for ParsedOnce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ParsedOnce")
    }
}

/// The document of a source, parsed once.
fn document(source: &Source) -> Result<yaml::Document, FileReport> {
    if let Some(document) = source.parsed.take(&source.text) {
        return Ok(document);
    }
    if source.text.trim().is_empty() {
        return Err(source.report(resolve(source, vec![yaml::empty_document()])));
    }
    yaml::Document::parse(&source.text).map_err(|d| source.report(resolve(source, d)))
}

/// A document whose kind has been read from its `kind` field.
pub fn detect_kind(source: &Source) -> Result<DocKind, FileReport> {
    let document = document(source)?;
    let kind = kind_of(source, &document)?;
    source.parsed.put(&source.text, document);
    Ok(kind)
}

fn kind_of(source: &Source, document: &yaml::Document) -> Result<DocKind, FileReport> {
    // Reported with the parse's other problems (a tag on `kind:`, say).
    let fail = |d: Diagnostic| source.report(resolve(source, document.problems_and(d)));
    // A file of only comments or document markers parses as null: an empty document.
    let kind = document.kind().map_err(|d| source.report(resolve(source, d)))?;
    match kind.as_deref() {
        Some("catalog") => Ok(DocKind::Catalog),
        Some("scenario") => Ok(DocKind::Scenario),
        Some("route") => Ok(DocKind::Route),
        Some(other) => {
            let mut d = Diagnostic::error(
                Code::UnknownKind,
                "kind",
                format!("`{other}` is not a kind of document dcplan reads"),
            )
            .found(other)
            .expected("`catalog` or `scenario`");
            if let Some(best) = crate::diag::closest(other, ["catalog", "scenario", "route"]) {
                d = d.hint(format!("did you mean `{best}`?"));
            }
            Err(fail(d))
        }
        None => Err(fail(
            Diagnostic::error(Code::UnknownKind, "", "the document does not say what it is")
                .expected("a top-level `kind: catalog` or `kind: scenario`")
                .hint("add `kind: catalog` or `kind: scenario` as the first line"),
        )),
    }
}

/// A validated document and the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub value: T,
    pub warnings: FileReport,
}

/// Loads and validates a catalog.
pub fn load_catalog(source: &Source) -> Result<Loaded<Catalog>, FileReport> {
    let (file, parsed): (CatalogFile, _) = read(source, DocKind::Catalog)?;
    let (catalog, diagnostics) = validate::catalog(file, parsed);
    finish(source, catalog, diagnostics)
}

/// Loads and validates a scenario against the catalog it will be planned with.
pub fn load_scenario(source: &Source, catalog: &Catalog) -> Result<Loaded<Scenario>, FileReport> {
    let (file, parsed): (ScenarioFile, _) = read(source, DocKind::Scenario)?;
    let (scenario, diagnostics) = validate::scenario(file, catalog, parsed);
    finish(source, scenario, diagnostics)
}

/// Loads and validates a route file.
pub fn load_route(source: &Source) -> Result<Loaded<validate::Route>, FileReport> {
    let (file, parsed): (RouteFile, _) = read(source, DocKind::Route)?;
    let (route, diagnostics) = validate::route(file, parsed);
    finish(source, route, diagnostics)
}

/// The document of a source read into a format's types, when it is of the kind wanted.
fn read<T: serde::de::DeserializeOwned>(
    source: &Source,
    wanted: DocKind,
) -> Result<(T, Vec<Diagnostic>), FileReport> {
    let document = document(source)?;
    let kind = kind_of(source, &document)?;
    if kind != wanted {
        let d = Diagnostic::error(
            Code::WrongKind,
            "kind",
            format!("this file is a {}, but a {} is expected here", kind.as_str(), wanted.as_str()),
        )
        .found(kind.as_str())
        .expected(wanted.as_str())
        .hint(match wanted {
            DocKind::Catalog => "pass catalogs with `--catalog FILE`",
            DocKind::Scenario => "the scenario comes first; pass the catalog with `--catalog FILE`",
            DocKind::Route => "pass a route file (`kind: route`) with `--route FILE`",
        });
        return Err(source.report(resolve(source, document.problems_and(d))));
    }
    document.read().map_err(|d| source.report(resolve(source, d)))
}

fn finish<T>(
    source: &Source,
    value: Option<T>,
    diagnostics: Vec<Diagnostic>,
) -> Result<Loaded<T>, FileReport> {
    let diagnostics = resolve(source, diagnostics);
    match value {
        Some(value) if !diagnostics.iter().any(Diagnostic::is_error) => {
            Ok(Loaded { value, warnings: source.report(diagnostics) })
        }
        _ => Err(source.report(diagnostics)),
    }
}

/// Gives every diagnostic its line and column, and sorts them by position.
fn resolve(source: &Source, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if diagnostics.is_empty() {
        return diagnostics;
    }
    let wanted = diagnostics.iter().filter(|d| d.location.is_none()).map(|d| d.path.as_deref().unwrap_or(""));
    let index = yaml::LocationIndex::build(&source.text, wanted);
    for d in &mut diagnostics {
        if d.location.is_none() {
            let path = d.path.clone().unwrap_or_default();
            // A problem with the whole file is shown at its first line.
            d.location = index.locate(&path, d.target == crate::diag::Target::Key).or(Some(Location {
                line: 1,
                column: 1,
                start: 0,
                end: 0,
            }));
        }
    }
    for d in &mut diagnostics {
        d.escape_texts();
    }
    diagnostics.sort_by_key(|d| (d.location.map_or((0, 0), |l| (l.line, l.column)), d.severity, d.code));
    diagnostics
}

/// Loads the catalog to plan with: a file, or the embedded default.
pub fn catalog_from(path: Option<&Path>) -> Result<Loaded<Catalog>, InputError> {
    let source = match path {
        Some(p) => read_source(p).map_err(|r| InputError { reports: vec![r] })?,
        None => Source::embedded_catalog(),
    };
    load_catalog(&source).map_err(|r| InputError { reports: vec![r] })
}
