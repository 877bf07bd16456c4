//! `dcplan check FILE...`: validate catalogs and scenarios, all problems at once.

use super::{emit, stderr_text, EXIT_INPUT};
use dcplan::diag::{Code, Diagnostic, FileReport};
use dcplan::load::{self, raw::DocKind, Source};
use dcplan::model::Catalog;
use dcplan::render;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What `check` found in one file.
struct Checked {
    report: FileReport,
    summary: String,
}

pub fn run(files: &[PathBuf], catalog_path: Option<&Path>, json: bool, deny_warnings: bool) -> ExitCode {
    let mut results: Vec<Checked> = Vec::new();
    // The catalog scenarios are checked against: --catalog, else the embedded one.
    let reference = load::catalog_from(catalog_path);
    if let (Err(e), Some(path)) = (&reference, catalog_path) {
        for report in &e.reports {
            results
                .push(Checked { report: report.clone(), summary: format!("{} (--catalog)", path.display()) });
        }
    }
    let reference: Option<Catalog> = reference.ok().map(|l| l.value);

    for path in files {
        let source = match load::read_source(path) {
            Ok(s) => s,
            Err(report) => {
                results.push(Checked { summary: format!("{}: unreadable", report.file), report });
                continue;
            }
        };
        results.push(check_one(&source, reference.as_ref(), catalog_path));
    }

    let reports: Vec<FileReport> = results.iter().map(|r| r.report.clone()).collect();
    let errors: usize = reports.iter().map(|r| r.diagnostics.iter().filter(|d| d.is_error()).count()).sum();
    let warnings: usize =
        reports.iter().map(|r| r.diagnostics.iter().filter(|d| !d.is_error()).count()).sum();
    // JSON is the command's output (stdout); the text report is diagnostics (stderr).
    let code = if json {
        emit(&render::diagnostics::to_json(&reports))
    } else {
        let mut out = String::new();
        for r in &results {
            out.push_str(&render::diagnostics::to_text(&r.report));
        }
        for r in &results {
            out.push_str(&format!("{}\n", r.summary));
        }
        out.push_str(&format!("checked {} file(s): {errors} error(s), {warnings} warning(s)\n", files.len()));
        stderr_text(&out);
        ExitCode::SUCCESS
    };
    if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::from(EXIT_INPUT)
    } else {
        code
    }
}

fn check_one(source: &Source, reference: Option<&Catalog>, catalog_path: Option<&Path>) -> Checked {
    let kind = match load::detect_kind(source) {
        Ok(kind) => kind,
        Err(report) => {
            let yaml_broken = report.diagnostics.iter().any(|d| {
                matches!(
                    d.code,
                    Code::YamlSyntax
                        | Code::YamlLimit
                        | Code::DuplicateKey
                        | Code::MultipleDocuments
                        | Code::BinaryInput
                )
            });
            let why = if yaml_broken {
                "not valid YAML"
            } else {
                "not a catalog, scenario or route dcplan can read"
            };
            return Checked { summary: format!("FAIL  {} ({why})", source.name), report };
        }
    };
    match kind {
        DocKind::Catalog => match load::load_catalog(source) {
            Ok(loaded) => Checked {
                summary: format!(
                    "ok    {} (catalog `{}`: {} items)",
                    source.name,
                    loaded.value.name,
                    loaded.value.items().count()
                ),
                report: loaded.warnings,
            },
            Err(report) => Checked { summary: format!("FAIL  {} (catalog)", source.name), report },
        },
        DocKind::Route => match load::load_route(source) {
            Ok(loaded) => Checked {
                summary: format!(
                    "ok    {} (route `{}`: {} spans)",
                    source.name,
                    loaded.value.name,
                    loaded.value.spans.len()
                ),
                report: loaded.warnings,
            },
            Err(report) => Checked { summary: format!("FAIL  {} (route)", source.name), report },
        },
        DocKind::Scenario => {
            let Some(catalog) = reference else {
                let d = Diagnostic::error(
                    Code::UnknownReference,
                    "",
                    "the scenario cannot be checked: the catalog to check it against has errors",
                )
                .hint("fix the catalog given with --catalog first");
                return Checked {
                    summary: format!("FAIL  {} (scenario)", source.name),
                    report: FileReport {
                        file: source.name.clone(),
                        text: source.text.clone(),
                        diagnostics: vec![d],
                    },
                };
            };
            let against = catalog_path.map_or_else(
                || format!("{} (embedded)", load::EMBEDDED_CATALOG_NAME),
                |p| p.display().to_string(),
            );
            match load::load_scenario(source, catalog) {
                Ok(loaded) => Checked {
                    summary: format!(
                        "ok    {} (scenario `{}`: {} sites, {} servers; models checked against {against})",
                        source.name,
                        loaded.value.name,
                        loaded.value.sites.len(),
                        loaded.value.total_servers()
                    ),
                    report: loaded.warnings,
                },
                Err(report) => Checked { summary: format!("FAIL  {} (scenario)", source.name), report },
            }
        }
    }
}
