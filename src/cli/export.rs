//! `dcplan export`: a containerlab topology, the cable run list or the
//! NetBox import files, each written as it is made into its staged file.

use super::{commit, inputs_of, output, output_error, planned, say, ExportKind, EXIT_INPUT};
use dcplan::limits::MAX_EXPORT_RUNS;
use dcplan::plan::SitePlan;
use dcplan::render;
use dcplan::units::thousands;
use std::path::Path;
use std::process::ExitCode;

/// What an export is asked for besides its inputs and target.
pub struct Options<'a> {
    /// containerlab: keep only the first N leaves and what they need.
    pub max_leaves: Option<u64>,
    /// containerlab: the SR Linux image.
    pub image: &'a str,
    /// NetBox: whose device types the files refer to.
    pub types: render::export::DeviceTypes,
}

pub fn run(
    scenario_path: &Path,
    catalog_path: Option<&Path>,
    to: ExportKind,
    site: Option<&str>,
    options: &Options<'_>,
    out: &Path,
) -> ExitCode {
    let (max_leaves, image) = (options.max_leaves, options.image);
    if !matches!(to, ExportKind::Netbox) && options.types != render::export::DeviceTypes::Own {
        say!("error: --device-types chooses the device types of a NetBox export: give it with --to netbox");
        return ExitCode::from(EXIT_INPUT);
    }
    if !matches!(to, ExportKind::Netbox) && output::names_a_folder(out) {
        return output_error(&output::folder_for_a_file(out));
    }
    let (catalog, _, plan) = match planned(scenario_path, catalog_path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let sites: Vec<&SitePlan> = match site {
        Some(name) => match plan.sites.iter().find(|s| s.name == name) {
            Some(s) => vec![s],
            None => {
                let names: Vec<&str> = plan.sites.iter().map(|s| s.name.as_str()).collect();
                say!("error: no site `{name}` in the scenario (it has: {})", names.join(", "));
                return ExitCode::from(EXIT_INPUT);
            }
        },
        None => plan.sites.iter().collect(),
    };
    if matches!(to, ExportKind::Containerlab) && sites.len() != 1 {
        say!("error: a containerlab topology is one site's fabric: give --site NAME");
        return ExitCode::from(EXIT_INPUT);
    }
    let lab_leaves = if matches!(to, ExportKind::Containerlab) { max_leaves } else { None };
    if let Err(e) = within_limit(&sites, lab_leaves) {
        return output_error(&e);
    }
    let inputs = inputs_of(scenario_path, catalog_path);
    let staged = match to {
        ExportKind::Netbox => netbox(out, &sites, &catalog, options.types, &inputs),
        ExportKind::Cabling => output::Stage::file(out, &inputs).and_then(|mut stage| {
            let name = stage.file_name();
            let file = stage.create(&name)?;
            let designs: Vec<_> = sites.iter().map(|s| &s.fabric).collect();
            let file = render::export::cabling_to(file, &designs, &catalog)
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            stage.close(&name, file)?;
            Ok(stage)
        }),
        ExportKind::Containerlab => {
            render::export::containerlab(&sites[0].fabric, &catalog, max_leaves, image).and_then(|text| {
                let mut stage = output::Stage::file(out, &inputs)?;
                let name = stage.file_name();
                stage.write(&name, text.as_bytes())?;
                Ok(stage)
            })
        }
    };
    match staged {
        Ok(stage) => commit(stage),
        Err(e) => output_error(&e),
    }
}

/// Refuses, before anything is placed, an export of more cable runs than
/// [`MAX_EXPORT_RUNS`]: its rows would take minutes and gigabytes.
fn within_limit(sites: &[&SitePlan], max_leaves: Option<u64>) -> Result<(), String> {
    let runs = sites
        .iter()
        .map(|s| render::export::runs_bound(&s.fabric, max_leaves))
        .fold(0u64, u64::saturating_add);
    if runs <= MAX_EXPORT_RUNS {
        return Ok(());
    }
    let biggest = sites.iter().max_by_key(|s| render::export::runs_bound(&s.fabric, max_leaves));
    Err(format!(
        "refusing to export {} cable runs: the limit is {} (see \"Limits\" in the README)\n  hint: export fewer sites at a time with --site NAME{}",
        thousands(runs),
        thousands(MAX_EXPORT_RUNS),
        biggest
            .filter(|_| sites.len() > 1)
            .map(|s| format!(" (the largest, `{}`, has {})", s.name, thousands(render::export::runs_bound(&s.fabric, max_leaves))))
            .unwrap_or_default()
    ))
}

/// The NetBox files, all written in one pass over the sites.
fn netbox(
    out: &Path,
    sites: &[&SitePlan],
    catalog: &dcplan::model::Catalog,
    types: render::export::DeviceTypes,
    inputs: &[std::path::PathBuf],
) -> Result<output::Stage, String> {
    let names = &render::export::NETBOX_FILES;
    let mut stage = output::Stage::folder(out, names, inputs)?;
    let mut files = Vec::with_capacity(names.len());
    for name in names {
        files.push(stage.create(name)?);
    }
    let files: [output::Out; render::export::NETBOX_FILES.len()] =
        files.try_into().map_err(|_| "NetBox files lost".to_string())?;
    let files = render::export::netbox_to(sites, catalog, &catalog.vendor, types, files)
        .map_err(|e| format!("cannot write the NetBox files in {}: {e}", out.display()))?;
    for (name, file) in names.iter().zip(files) {
        stage.close(name, file)?;
    }
    Ok(stage)
}
