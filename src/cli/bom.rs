//! `dcplan bom`: the bill of materials on stdout or into one file, whose
//! extension chooses the format.

use super::{emit, emit_then_commit, inputs_of, output, output_error, planned, say, BomFormat, EXIT_INPUT};
use clap::ValueEnum;
use dcplan::render;
use std::path::Path;
use std::process::ExitCode;

/// The format a `--out` file's extension names (`None` for a workbook), or
/// the refusal to print.
fn format_of(out: &Path, format: Option<BomFormat>) -> Result<Option<BomFormat>, String> {
    if output::names_a_folder(out) {
        return Err(output::folder_for_a_file(out));
    }
    let ext = out.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let from_ext = match ext.as_str() {
        "csv" => Some(BomFormat::Csv),
        "json" => Some(BomFormat::Json),
        "md" => Some(BomFormat::Markdown),
        "xlsx" => None,
        _ => {
            return Err(format!(
                "cannot tell the format of {}: use .csv, .json, .md or .xlsx (or - for stdout)",
                out.display()
            ))
        }
    };
    if let Some(f) = format.filter(|f| Some(*f) != from_ext) {
        return Err(format!(
            "--format {} disagrees with the extension of {}\n  hint: drop --format; the extension chooses the file's format",
            f.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default(),
            out.display()
        ));
    }
    Ok(from_ext)
}

pub fn run(
    scenario_path: &Path,
    catalog_path: Option<&Path>,
    out: Option<&Path>,
    format: Option<BomFormat>,
) -> ExitCode {
    let dash = out.is_some_and(|o| o.as_os_str() == "-");
    let out = out.filter(|_| !dash);
    let file_format = match out.map(|o| format_of(o, format)).transpose() {
        Ok(f) => f,
        Err(e) => {
            say!("error: {e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let (catalog, scenario, plan) = match planned(scenario_path, catalog_path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let bom = dcplan::price::bom::bill_of_materials(&catalog, &scenario, &plan);
    let Some(out) = out else {
        // `--out -` has always meant CSV on stdout.
        let stdout_format = format.unwrap_or(if dash { BomFormat::Csv } else { BomFormat::Table });
        return emit(&match stdout_format {
            BomFormat::Table => render::bom::to_table(&bom),
            BomFormat::Csv => String::from_utf8_lossy(&render::bom::to_csv(&bom)).into_owned(),
            BomFormat::Json => render::bom::to_json(&bom),
            BomFormat::Markdown => render::bom::to_markdown(&bom),
        });
    };
    let bytes = match file_format.flatten() {
        Some(BomFormat::Csv) => render::bom::to_csv(&bom),
        Some(BomFormat::Json) => render::bom::to_json(&bom).into_bytes(),
        Some(BomFormat::Markdown | BomFormat::Table) => render::bom::to_markdown(&bom).into_bytes(),
        None => match render::bom::to_xlsx(&bom) {
            Ok(b) => b,
            Err(e) => return output_error(&format!("cannot build the workbook: {e}")),
        },
    };
    let staged = output::Stage::file(out, &inputs_of(scenario_path, catalog_path)).and_then(|mut stage| {
        let name = stage.file_name();
        stage.write(&name, &bytes)?;
        Ok(stage)
    });
    match staged {
        Ok(stage) => emit_then_commit(&render::bom::to_text(&bom), stage),
        Err(e) => output_error(&e),
    }
}
