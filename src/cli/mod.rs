//! The command line: the only place that knows clap, prints, and decides
//! exit codes (0 success, 1 a plan that cannot meet the scenario, 2 bad
//! input or usage).

mod bom;
mod check;
mod export;
mod link;
mod output;
mod term;

pub(crate) use term::say;
use term::{emit, init_logging, print, start_workers};
pub(crate) use term::{note, stderr_text};

use clap::{Parser, Subcommand, ValueEnum};
use dcplan::diag::{FileReport, InputError};
use dcplan::render;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code for bad input or usage.
pub const EXIT_INPUT: u8 = 2;

#[derive(Parser)]
#[command(
    name = "dcplan",
    version,
    about = "Plan data-center fabrics, interconnect and bills of materials from a vendor deal's catalog",
    long_about = None
)]
struct Cli {
    /// More log output on stderr (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate catalog and scenario files; report every problem at once.
    Check {
        /// Catalog and scenario files (each says which it is with `kind:`).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Catalog to check scenarios against (default: the embedded Nokia deal).
        #[arg(long)]
        catalog: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Treat warnings as errors (exit 2).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// List what the catalog supplies, grouped by category.
    Catalog {
        /// Catalog file (default: the embedded Nokia deal).
        #[arg(long)]
        catalog: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// Size each site's fabric: tiers, models, counts, optics, capacity and power.
    Plan {
        /// Scenario file.
        scenario: PathBuf,
        /// Catalog file (default: the embedded Nokia deal).
        #[arg(long)]
        catalog: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        /// Also write plan.json, bom.csv, bom.json and report.html into this folder.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Stamp plan.json and report.html with the time of the run (UTC);
        /// without it, the same inputs give byte-identical outputs.
        #[arg(long)]
        timestamp: bool,
    },
    /// Bill of materials at the deal's prices: `.csv`, `.json`, `.md` or `.xlsx` by the file's extension; `-` writes CSV to stdout.
    Bom {
        /// Scenario file.
        scenario: PathBuf,
        /// Catalog file (default: the embedded Nokia deal).
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Output file (.csv, .json, .md or .xlsx: the extension chooses the
        /// format); without it, or with `-`, the BOM goes to stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Format on stdout (default: table; csv with `--out -`). With
        /// `--out FILE` it must agree with the file's extension.
        #[arg(long, value_enum)]
        format: Option<BomFormat>,
    },
    /// What survives each single failure (or pair, with --depth 2): bisection, demands, leaf uplinks.
    Failures {
        /// Scenario file.
        scenario: PathBuf,
        /// Catalog file (default: the embedded Nokia deal).
        #[arg(long)]
        catalog: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        /// 1: every single failure; 2: also pairs, within --pair-budget.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
        depth: u8,
        /// Most pairs of failures evaluated at depth 2.
        #[arg(long, default_value_t = 2000)]
        pair_budget: u64,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Export to other tools: a containerlab topology of a site's fabric, a cable run list (CSV), or NetBox import CSVs (into the folder --out).
    Export {
        /// Scenario file.
        scenario: PathBuf,
        /// Catalog file (default: the embedded Nokia deal).
        #[arg(long)]
        catalog: Option<PathBuf>,
        #[arg(long, value_enum)]
        to: ExportKind,
        /// Site to export (required for containerlab; cabling covers every site without it).
        #[arg(long)]
        site: Option<String>,
        /// Keep only the first N leaves and the switches they need (their pods' spines, the superspines those spines need): a lab-sized topology.
        #[arg(long)]
        max_leaves: Option<u64>,
        /// The SR Linux image of a containerlab topology.
        #[arg(long, default_value = dcplan::render::export::SRLINUX_IMAGE)]
        image: String,
        /// NetBox: the device types the files refer to: dcplan's own (exported with their templates), or the community device-type library's where the catalog names one (import those from the library first).
        #[arg(long, value_enum, default_value_t = NetboxTypes::Own)]
        device_types: NetboxTypes,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// The plan as a graph for other tools (JSON, DOT, GraphML), or the max-flow between two of its nodes.
    Graph {
        /// Scenario file.
        scenario: PathBuf,
        /// Catalog file (default: the embedded Nokia deal).
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Graph format [default: json]; with --max-flow, `json` prints `max_flow_gbps`, else a plain number.
        #[arg(long, value_enum)]
        format: Option<GraphFormat>,
        /// Print the max-flow in Gb/s between two node ids instead of the graph.
        #[arg(long, num_args = 2, value_names = ["NODE_A", "NODE_B"])]
        max_flow: Option<Vec<String>>,
    },
    /// Write a synthetic scenario to stdout (for scale tests, or as a starting point).
    Generate {
        /// Servers in all sites.
        #[arg(long)]
        servers: u64,
        /// Number of sites.
        #[arg(long, default_value_t = 1)]
        sites: u32,
        /// Seed of the generator: the same seed gives the same scenario.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Inter-site demands (default: one from each site to each of the next two).
        #[arg(long)]
        demands: Option<u32>,
    },
    /// Data-center interconnect per demand: the optical and the routed option side by side.
    Compare {
        /// Scenario file.
        scenario: PathBuf,
        /// Catalog file (default: the embedded Nokia deal). Give two to compare deals side by side.
        #[arg(long, num_args = 1, action = clap::ArgAction::Append)]
        catalog: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Optical link calculator: OSNR (ASE), NLI (closed-form GN model) and
    /// GSNR of an amplified line, and which coherent modes work on it.
    Link(LinkArgs),
    /// Print the JSON Schema of a file format.
    Schema {
        #[arg(value_enum)]
        which: SchemaKind,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum TableFormat {
    Table,
    Json,
}

#[derive(clap::Args)]
struct LinkArgs {
    /// Number of identical spans (each followed by an amplifier).
    #[arg(long, required_unless_present = "route", conflicts_with = "route")]
    spans: Option<u32>,
    /// Length of each span.
    #[arg(long, required_unless_present = "route", conflicts_with = "route")]
    span_km: Option<f64>,
    /// A route file (`kind: route`) with per-span lengths or measured losses.
    #[arg(long)]
    route: Option<PathBuf>,
    /// Fibre attenuation [default: 0.2, standard single-mode fibre].
    #[arg(long)]
    fiber_loss_db_per_km: Option<f64>,
    /// Chromatic dispersion [default: 16.7].
    #[arg(long)]
    dispersion_ps_per_nm_km: Option<f64>,
    /// Effective area [default: 83; γ follows from it].
    #[arg(long)]
    effective_area_um2: Option<f64>,
    /// Connector and splice loss added to each span [default: 0].
    #[arg(long)]
    connector_loss_db: Option<f64>,
    /// Amplifier noise figure.
    #[arg(long, default_value_t = 5.5)]
    nf_db: f64,
    /// Launch power per channel into each span [default: 0].
    #[arg(long, allow_negative_numbers = true)]
    launch_dbm: Option<f64>,
    /// Symbol rate [default: the optic's fastest mode, else 64].
    #[arg(long)]
    baud_gbd: Option<f64>,
    /// Channel spacing [default: the optic's, else 75].
    #[arg(long)]
    spacing_ghz: Option<f64>,
    /// Channels in the comb [default: the C band (4.8 THz) full].
    #[arg(long)]
    channels: Option<u32>,
    /// A coherent optic of the catalog: adds the margin and feasibility of each of its modes.
    #[arg(long)]
    optic: Option<String>,
    /// Catalog for `--optic` (default: the embedded Nokia deal).
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Margin kept above a mode's required OSNR.
    #[arg(long, default_value_t = dcplan::analyse::reach::DEFAULT_PLANNING_MARGIN_DB)]
    planning_margin_db: f64,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    format: TableFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportKind {
    Containerlab,
    Cabling,
    Netbox,
}

#[derive(Clone, Copy, ValueEnum)]
enum NetboxTypes {
    /// dcplan's own device types.
    Own,
    /// NetBox's community device-type library.
    Library,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Json,
    Dot,
    Graphml,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BomFormat {
    Table,
    Csv,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    Catalog,
    Scenario,
    Route,
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_INPUT } else { 0 });
        }
    };
    init_logging(cli.verbose);
    if let Err(e) = start_workers() {
        note(&format!("error: {e}"));
        return ExitCode::from(EXIT_INPUT);
    }
    match cli.command {
        Command::Check { files, catalog, format, deny_warnings } => {
            check::run(&files, catalog.as_deref(), matches!(format, CheckFormat::Json), deny_warnings)
        }
        Command::Catalog { catalog, format } => match dcplan::load::catalog_from(catalog.as_deref()) {
            Ok(loaded) => {
                print_warnings(&loaded.warnings);
                let text = match format {
                    TableFormat::Table => render::catalog::to_text(&loaded.value),
                    TableFormat::Json => render::catalog::to_json(&loaded.value),
                };
                emit(&text)
            }
            Err(e) => input_error(&e),
        },
        Command::Plan { scenario, catalog, format, out, timestamp } => {
            plan(&scenario, catalog.as_deref(), format, out.as_deref(), timestamp.then(now_utc).as_deref())
        }
        Command::Link(args) => link::run(&args),
        Command::Export { scenario, catalog, to, site, max_leaves, image, device_types, out } => {
            let types = match device_types {
                NetboxTypes::Own => dcplan::render::export::DeviceTypes::Own,
                NetboxTypes::Library => dcplan::render::export::DeviceTypes::Library,
            };
            let options = export::Options { max_leaves, image: &image, types };
            export::run(&scenario, catalog.as_deref(), to, site.as_deref(), &options, &out)
        }
        Command::Failures { scenario, catalog, format, depth, pair_budget, quiet } => {
            failures(&scenario, catalog.as_deref(), format, depth, pair_budget, quiet)
        }
        Command::Generate { servers, sites, seed, demands } => {
            let most = dcplan::limits::MAX_DEMANDS as u32;
            if servers == 0
                || servers > 10_000_000
                || sites == 0
                || sites > 64
                || demands.is_some_and(|d| d > most)
            {
                say!(
                    "error: --servers must be 1 to 10,000,000, --sites 1 to 64 and --demands at most {most}"
                );
                return ExitCode::from(EXIT_INPUT);
            }
            emit(&dcplan::generate::scenario_yaml(dcplan::generate::Spec { servers, sites, seed, demands }))
        }
        Command::Graph { scenario, catalog, format, max_flow } => {
            graph(&scenario, catalog.as_deref(), format, max_flow)
        }
        Command::Bom { scenario, catalog, out, format } => {
            bom::run(&scenario, catalog.as_deref(), out.as_deref(), format)
        }
        Command::Compare { scenario, catalog, format } if catalog.len() >= 2 => {
            deals(&scenario, &catalog, format)
        }
        Command::Compare { scenario, catalog, format } => {
            let plan = match planned(&scenario, catalog.first().map(|p| p.as_path())) {
                Ok((_, _, plan)) => plan,
                Err(code) => return code,
            };
            emit(&match format {
                ReportFormat::Table => render::interconnect::compare_text(&plan),
                ReportFormat::Json => render::interconnect::compare_json(&plan),
                ReportFormat::Markdown => render::interconnect::compare_markdown(&plan),
            })
        }
        Command::Schema { which } => {
            let schema = match which {
                SchemaKind::Catalog => dcplan::schema::catalog(),
                SchemaKind::Scenario => dcplan::schema::scenario(),
                SchemaKind::Route => dcplan::schema::route(),
            };
            emit(&dcplan::schema::to_text(&schema))
        }
    }
}

/// Exit code for a scenario no design can meet.
pub const EXIT_INFEASIBLE: u8 = 1;

/// Loads both inputs and plans: the first step of every planning command.
/// On failure, the exit code to return (2 bad input, 1 infeasible) after
/// the problems were printed.
fn planned(
    scenario: &std::path::Path,
    catalog: Option<&std::path::Path>,
) -> Result<(dcplan::model::Catalog, dcplan::model::Scenario, dcplan::plan::Plan), ExitCode> {
    let (catalog, scenario) = load_inputs(scenario, catalog).map_err(|e| input_error(&e))?;
    let plan = dcplan::plan::plan(&catalog, &scenario).map_err(|e| infeasible(&e))?;
    Ok((catalog, scenario, plan))
}

fn load_inputs(
    scenario: &std::path::Path,
    catalog: Option<&std::path::Path>,
) -> Result<(dcplan::model::Catalog, dcplan::model::Scenario), InputError> {
    let catalog = dcplan::load::catalog_from(catalog)?;
    print_warnings(&catalog.warnings);
    let source = dcplan::load::read_source(scenario).map_err(|r| InputError { reports: vec![r] })?;
    let loaded =
        dcplan::load::load_scenario(&source, &catalog.value).map_err(|r| InputError { reports: vec![r] })?;
    print_warnings(&loaded.warnings);
    Ok((catalog.value, loaded.value))
}

fn plan(
    scenario_path: &std::path::Path,
    catalog_path: Option<&std::path::Path>,
    format: ReportFormat,
    out: Option<&std::path::Path>,
    generated_at: Option<&str>,
) -> ExitCode {
    let (catalog, scenario, plan) = match planned(scenario_path, catalog_path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let bom = dcplan::price::bom::bill_of_materials(&catalog, &scenario, &plan);
    let text = match format {
        ReportFormat::Table => render::plan::to_text(&plan, &bom) + &render::bom::to_text(&bom),
        ReportFormat::Json => render::plan::to_json_with_cost(&plan, &bom, generated_at),
        ReportFormat::Markdown => {
            render::plan::to_markdown(&plan, &bom) + "\n" + &render::bom::to_markdown(&bom)
        }
    };
    let Some(dir) = out else { return emit(&text) };
    let inputs = inputs_of(scenario_path, catalog_path);
    let mut failures = dcplan::analyse::resilience::analyse(&plan, &catalog, Default::default(), &|| {});
    dcplan::fixes::attach(&catalog, &scenario, &plan, &mut failures, Default::default());
    let staged = (|| -> Result<output::Stage, String> {
        let mut stage = output::Stage::folder(dir, &output::PLAN_FILES, &inputs)?;
        stage.write("plan.json", render::plan::to_json_with_cost(&plan, &bom, generated_at).as_bytes())?;
        stage.write("bom.csv", &render::bom::to_csv(&bom))?;
        stage.write("bom.json", render::bom::to_json(&bom).as_bytes())?;
        stage.write("spectrum.csv", &render::interconnect::spectrum_csv(&plan))?;
        let html = render::html::report(&plan, &scenario, &bom, Some(&failures), generated_at);
        stage.write("report.html", html.as_bytes())?;
        Ok(stage)
    })();
    match staged {
        Ok(stage) => emit_then_commit(&text, stage),
        Err(e) => output_error(&e),
    }
}

/// The input files of a run, which no output may replace.
fn inputs_of(scenario: &std::path::Path, catalog: Option<&std::path::Path>) -> Vec<PathBuf> {
    let mut inputs = vec![scenario.to_path_buf()];
    inputs.extend(catalog.map(|p| p.to_path_buf()));
    inputs
}

/// Prints the report, then switches the staged files in. The report is
/// part of the run: if it cannot be printed (a full disk, not a closed
/// pipe), the run fails (exit 2) and the outputs are left as they were.
fn emit_then_commit(text: &str, stage: output::Stage) -> ExitCode {
    if let Err(e) = print(text) {
        note(&format!("error: cannot write the report to stdout: {e}; no file was written"));
        return ExitCode::from(EXIT_INPUT);
    }
    commit(stage)
}

/// Switches the staged files in.
fn commit(stage: output::Stage) -> ExitCode {
    match stage.commit() {
        Ok(written) => {
            for p in written {
                tracing::info!(path = %p.display(), "written");
            }
            ExitCode::SUCCESS
        }
        Err(e) => output_error(&e),
    }
}

/// An output that cannot be written: exit 2.
fn output_error(e: &str) -> ExitCode {
    note(&format!("error: {e}"));
    ExitCode::from(EXIT_INPUT)
}

/// The time of the run, for `--timestamp` (RFC 3339, UTC, whole seconds).
fn now_utc() -> String {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `compare --catalog A --catalog B`: the same scenario under each deal.
fn deals(scenario_path: &std::path::Path, catalogs: &[PathBuf], format: ReportFormat) -> ExitCode {
    let mut rows = Vec::new();
    for path in catalogs {
        let (catalog, scenario, plan) = match planned(scenario_path, Some(path)) {
            Ok(x) => x,
            Err(code) => return code,
        };
        let bom = dcplan::price::bom::bill_of_materials(&catalog, &scenario, &plan);
        rows.push(render::deals::DealRow::new(path.display().to_string(), &plan, &bom));
    }
    emit(&match format {
        ReportFormat::Table => render::deals::to_text(&rows),
        ReportFormat::Json => render::deals::to_json(&rows),
        ReportFormat::Markdown => render::deals::to_markdown(&rows),
    })
}

fn failures(
    scenario_path: &std::path::Path,
    catalog_path: Option<&std::path::Path>,
    format: ReportFormat,
    depth: u8,
    pair_budget: u64,
    quiet: bool,
) -> ExitCode {
    use std::io::IsTerminal;
    let (catalog, scenario, plan) = match planned(scenario_path, catalog_path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    // A progress bar on a terminal, shown only once the work has taken a second.
    let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} failure cases evaluated ({elapsed})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let started = std::time::Instant::now();
    let show = !quiet && std::io::stderr().is_terminal();
    let shown = std::sync::atomic::AtomicBool::new(false);
    let tick = || {
        bar.inc(1);
        if show
            && started.elapsed() > std::time::Duration::from_secs(1)
            && !shown.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    };
    let options = dcplan::analyse::resilience::Options { depth, pair_budget, use_symmetry: true };
    let mut report = dcplan::analyse::resilience::analyse(&plan, &catalog, options, &tick);
    dcplan::fixes::attach(&catalog, &scenario, &plan, &mut report, options);
    bar.finish_and_clear();
    emit(&match format {
        ReportFormat::Table => render::failures::to_text(&report),
        ReportFormat::Json => render::failures::to_json(&report),
        ReportFormat::Markdown => render::failures::to_markdown(&report),
    })
}

fn graph(
    scenario_path: &std::path::Path,
    catalog_path: Option<&std::path::Path>,
    format: Option<GraphFormat>,
    max_flow: Option<Vec<String>>,
) -> ExitCode {
    let (_, _, plan) = match planned(scenario_path, catalog_path) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let topology = dcplan::plan::full_topology(&plan);
    if let Some(pair) = max_flow {
        let find = |id: &str| {
            topology.find(id).ok_or_else(|| {
                let ids: Vec<&str> = topology.nodes().map(|(_, n)| n.id.as_str()).collect();
                let hint = dcplan::diag::closest(id, ids.iter().copied())
                    .map(|b| format!("; did you mean `{b}`?"))
                    .unwrap_or_default();
                format!(
                    "no node `{id}` in the graph{hint} (`dcplan graph {}` lists them)",
                    scenario_path.display()
                )
            })
        };
        let (a, b) = match (find(&pair[0]), find(&pair[1])) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                say!("error: {e}");
                return ExitCode::from(EXIT_INPUT);
            }
        };
        if a == b {
            say!("error: the two nodes are the same");
            return ExitCode::from(EXIT_INPUT);
        }
        let flow = dcplan::analyse::capacity::max_flow(&topology, &[(a, None)], &[(b, None)]);
        return emit(&match format {
            Some(GraphFormat::Json) => {
                let json = serde_json::json!({ "from": pair[0], "to": pair[1], "max_flow_gbps": flow });
                format!("{}\n", serde_json::to_string_pretty(&json).unwrap_or_default())
            }
            _ => format!("{flow}\n"),
        });
    }
    emit(&match format.unwrap_or(GraphFormat::Json) {
        GraphFormat::Json => render::graph::to_json(&topology),
        GraphFormat::Dot => render::graph::to_dot(&topology),
        GraphFormat::Graphml => render::graph::to_graphml(&topology),
    })
}

fn infeasible(e: &dcplan::plan::PlanError) -> ExitCode {
    for r in &e.reasons {
        say!("error[infeasible]: {r}");
    }
    say!("dcplan: the scenario cannot be met with this catalog; nothing was written");
    ExitCode::from(EXIT_INFEASIBLE)
}

pub(crate) fn print_warnings(report: &FileReport) {
    if !report.diagnostics.is_empty() {
        stderr_text(&render::diagnostics::to_text(report));
    }
}

/// Prints every problem of the inputs on stderr; exit code 2.
pub(crate) fn input_error(e: &InputError) -> ExitCode {
    for report in &e.reports {
        stderr_text(&render::diagnostics::to_text(report));
    }
    let errors: usize = e.reports.iter().map(|r| r.diagnostics.iter().filter(|d| d.is_error()).count()).sum();
    note(&format!("dcplan: {errors} error(s) in the input; nothing was planned"));
    ExitCode::from(EXIT_INPUT)
}
