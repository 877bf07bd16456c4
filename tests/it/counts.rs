//! Every optic and cable in the bill of materials is a port end or a cable
//! of the cable plan, plus the declared spares, per site and part.
//!
//! Per site and catalog item:
//! - an optic (grey, or a coherent pluggable): BOM quantity − the line's
//!   spares − the share of the interconnect equipment not yet placed ==
//!   the distinct (device, cage) ends that carry it in the cable run list
//!   (`export --to cabling`) == its modules in NetBox's modules.csv, plus
//!   the server-side (NIC) modules NetBox leaves out;
//! - a cable bought per link or per port (DAC, AOC, breakout cable, patch
//!   cord): BOM quantity − spares − that share == the runs (or the
//!   broken-out cages) of the run list that use it.
//!
//! How the sides are told apart, from the code:
//! - BOM lines are per (site, item) and merge every need of that item at
//!   that site (src/price/bom.rs `needs`): fabric link groups and the chosen
//!   interconnect option alike. A line's `why` lists its distinct reasons,
//!   joined by "; ": `<class> links: N × S` for a fabric link group,
//!   `optical|routed|fabric-zr interconnect A - B: …` for the interconnect.
//!   Spares are the scenario's percentage of the merged quantity, so
//!   `quantity − spares` is fabric + interconnect exactly.
//! - The `fabric-zr` option's coherent pluggables sit in ports of the
//!   fabric's own switches (the hand-off ports set aside for them): each is
//!   the A-end module of a `coherent-line` run (to the site's DWDM line
//!   system, a far end not placed yet; the BOM buys no cord for it, so the
//!   run names no item) and a module in NetBox, and is counted like the
//!   fabric's optics.
//! - The `optical` and `routed` options' equipment (transponders, routers
//!   and the optics in them) is not placed yet: its share comes from those
//!   chosen options' parts (site, item, quantity) in plan.json, and must be
//!   there exactly when the `why` names such an interconnect. Line systems
//!   (muxes, amplifiers, shelves) are neither optics nor cables.
//! - The run list has the fabric's links (server-leaf, leaf-spine,
//!   spine-superspine, border-uplink from border leaves to the top tier,
//!   and hand-off from the top tier or the border leaves to the interconnect
//!   equipment, whose both optics and fibre the fabric buys) and the
//!   coherent-line runs, one row per physical piece: a piece counts once by
//!   its label (the legs of a breakout cable share one), a trunk once by its
//!   cable (its legs to several racks share one), a module once per
//!   (device, cage).
//! - NetBox has no servers and no interconnect equipment: the NIC-side
//!   module of a server link and the equipment-side module of a hand-off
//!   link are not modules there (src/render/export/mod.rs `ends_off_fabric`).
//!   That share of the BOM is the server-leaf and hand-off groups' b-port
//!   parts in plan.json.
//!
//! Item ids do not carry lengths and BOM lines are per item, so lengths
//! are not compared. Trunks (`fibre-trunk`, `Per::Links(n)`) are bought
//! per upper switch (`design::wiring`; a hand-off's per need), and the run
//! list cuts them the same way, so they are compared like the rest.
//!
//! Besides the counts, the run list itself must be sound: no two pieces end
//! on one port, and a site has exactly servers × NIC ports pieces ending
//! at a server's NIC. The counts above need not show those errors (a DAC is one per run
//! either way), and a partial last rack overcounted alike by the BOM and by
//! the run list would agree.

use crate::support::*;
use dcplan::design::interconnect::OptionKind;
use dcplan::design::media::{LinkClass, Per};
use dcplan::load::{self, Source};
use dcplan::model::{CableKind, Catalog, CoherentKind};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;

/// Fabric link classes, and the line side of the coherent pluggables in
/// the fabric's ports: the only classes in the run list.
const FABRIC_CLASSES: [&str; 5] =
    ["server-leaf", "leaf-spine", "spine-superspine", "hand-off", "border-uplink"];
const COHERENT_LINE: &str = "coherent-line";

/// Classes whose far (B) end is off the fabric: servers, and the
/// interconnect equipment a hand-off link joins. NetBox has neither.
const OFF_FABRIC: [&str; 2] = ["server-leaf", "hand-off"];

/// How an item is counted against the run list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counted {
    /// A grey optic: one per (device, cage) end.
    Optic,
    /// A DAC or AOC: one per run.
    PerRun,
    /// A breakout DAC or AOC: one per broken-out cage.
    PerBrokenOutCage,
    /// A fibre patch cord: per run, or per cage at a broken-out end.
    Cord,
    /// A fibre trunk: shared, not counted.
    Trunk,
}

fn counted(catalog: &Catalog, item: &str) -> Option<Counted> {
    if catalog.grey_optics.iter().any(|o| o.id == item) || is_pluggable(catalog, item) {
        return Some(Counted::Optic);
    }
    catalog.cables.iter().find(|c| c.id == item).map(|c| match c.kind {
        CableKind::Dac | CableKind::Aoc => Counted::PerRun,
        CableKind::BreakoutDac | CableKind::BreakoutAoc => Counted::PerBrokenOutCage,
        CableKind::FibrePatch => Counted::Cord,
        CableKind::FibreTrunk => Counted::Trunk,
    })
}

/// A coherent pluggable (a transponder's line side is built in: no optic of its own).
fn is_pluggable(catalog: &Catalog, item: &str) -> bool {
    catalog.coherent_optics.iter().any(|o| o.id == item && o.kind == CoherentKind::Pluggable)
}

/// The module types of NetBox's modules.csv: a grey optic's or a coherent pluggable's model.
fn optics_of_model<'c>(catalog: &'c Catalog, model: &str) -> Vec<&'c str> {
    let grey = catalog.grey_optics.iter().filter(|o| o.model == model).map(|o| o.id.as_str());
    let coherent = catalog
        .coherent_optics
        .iter()
        .filter(|o| o.model == model && o.kind == CoherentKind::Pluggable)
        .map(|o| o.id.as_str());
    grey.chain(coherent).collect()
}

/// One BOM line, as far as this check needs it.
struct Line {
    site: String,
    item: String,
    quantity: u64,
    spares: u64,
    why: String,
}

/// Everything the check reads, from the binary's files or from the library.
#[derive(Default)]
struct Inputs {
    lines: Vec<Line>,
    /// Parts of the chosen interconnect options whose equipment is not
    /// placed (`optical`, `routed`), per (site, item).
    interconnect: BTreeMap<(String, String), u64>,
    /// Server-side (NIC) modules of server-leaf links in the BOM, per (site, item).
    nic_modules: BTreeMap<(String, String), u64>,
    /// Run lists (CSV, each with its header).
    cabling: Vec<String>,
    /// NetBox's modules.csv and devices.csv.
    modules_csv: String,
    devices_csv: String,
    /// Server ports (servers × NIC ports) per site, for a note on the run list.
    server_ports: BTreeMap<String, u64>,
}

/// The counts of one item at one site.
#[derive(Debug, Clone, Copy)]
struct Tally {
    counted: Counted,
    /// BOM quantity − spares − interconnect share.
    bom: u64,
    /// Ends (optics) or runs and broken-out cages (cables) in the run list.
    cabling: u64,
    /// Modules in NetBox's modules.csv (optics only).
    netbox: u64,
    /// Of `bom`, modules on the server side of server links (not in NetBox).
    nic: u64,
}

impl Tally {
    fn ok(&self) -> bool {
        self.bom == self.cabling && (self.counted != Counted::Optic || self.netbox + self.nic == self.bom)
    }

    fn describe(&self, site: &str, item: &str) -> String {
        if self.counted == Counted::Optic {
            format!(
                "{site:<24} {item:<26} bom {:>7}  cabling {:>7}  netbox {:>7} (expected {}: bom less {} NIC-side)",
                self.bom,
                self.cabling,
                self.netbox,
                self.bom.saturating_sub(self.nic),
                self.nic
            )
        } else {
            format!("{site:<24} {item:<26} bom {:>7}  cabling {:>7}", self.bom, self.cabling)
        }
    }
}

struct Outcome {
    table: Table,
    /// Unsound run lists and inputs the check could not read as it expects (each a failure).
    problems: Vec<String>,
}

impl Outcome {
    fn mismatches(&self) -> Vec<String> {
        let mut out: Vec<String> = self.problems.clone();
        out.sort();
        out.dedup();
        out.extend(self.table.iter().filter(|(_, t)| !t.ok()).map(|((s, i), t)| t.describe(s, i)));
        out
    }

    fn report(&self) -> String {
        let mut s = String::new();
        for ((site, item), t) in &self.table {
            s.push_str(&format!("{} {}\n", if t.ok() { "  " } else { "≠ " }, t.describe(site, item)));
        }
        s
    }
}

/// The cage of a port: a broken-out lane `ethernet-1/12/3` sits in `ethernet-1/12`.
fn cage(port: &str) -> &str {
    match port.match_indices('/').nth(1) {
        Some((i, _)) => &port[..i],
        None => port,
    }
}

type Table = BTreeMap<(String, String), Tally>;

fn tally<'t>(table: &'t mut Table, site: &str, item: &str, counted: Counted) -> &'t mut Tally {
    table.entry((site.to_string(), item.to_string())).or_insert(Tally {
        counted,
        bom: 0,
        cabling: 0,
        netbox: 0,
        nic: 0,
    })
}

fn check(catalog: &Catalog, inputs: &Inputs) -> Outcome {
    let mut problems = Vec::new();
    let mut table = Table::new();

    // The BOM's fabric share.
    for l in &inputs.lines {
        let Some(counted) = counted(catalog, &l.item) else { continue };
        let key = (l.site.clone(), l.item.clone());
        let installed = l.quantity - l.spares;
        let interconnect = inputs.interconnect.get(&key).copied().unwrap_or(0);
        let (mut fabric_why, mut interconnect_why) = (false, false);
        for reason in l.why.split("; ") {
            // The coherent pluggables of `fabric-zr` sit in the fabric's
            // ports: counted like the fabric's optics.
            if FABRIC_CLASSES.iter().any(|c| reason.starts_with(&format!("{c} links: ")))
                || reason.starts_with("fabric-zr interconnect ")
            {
                fabric_why = true;
            } else if reason.starts_with("optical interconnect ")
                || reason.starts_with("routed interconnect ")
            {
                interconnect_why = true;
            } else {
                problems.push(format!(
                    "{} {}: a reason neither fabric nor interconnect: {reason:?}",
                    l.site, l.item
                ));
            }
        }
        if interconnect_why != (interconnect > 0) {
            problems.push(format!(
                "{} {}: the BOM line's why {} the interconnect, the chosen options have {interconnect} of it: {:?}",
                l.site,
                l.item,
                if interconnect_why { "names" } else { "does not name" },
                l.why
            ));
        }
        let Some(fabric) = installed.checked_sub(interconnect) else {
            problems.push(format!(
                "{} {}: {installed} installed (quantity {} less {} spares) but {interconnect} for the interconnect",
                l.site, l.item, l.quantity, l.spares
            ));
            continue;
        };
        if !fabric_why {
            if fabric != 0 {
                problems.push(format!(
                    "{} {}: {fabric} beyond the interconnect's share, but the why names no fabric links: {:?}",
                    l.site, l.item, l.why
                ));
            }
            continue;
        }
        tally(&mut table, &l.site, &l.item, counted).bom += fabric;
    }
    for ((site, item), n) in &inputs.nic_modules {
        tally(&mut table, site, item, Counted::Optic).nic += n;
    }

    // The run list: one row per physical piece. A piece counts once by its
    // label (a breakout cable's legs share it); a trunk once by its cable
    // (its legs to several racks share it).
    let mut ends: BTreeMap<(String, String, String), BTreeSet<String>> = BTreeMap::new();
    let mut pieces: BTreeSet<(String, String)> = BTreeSet::new();
    let mut ports: HashSet<String> = HashSet::new();
    let mut twice: BTreeMap<(String, String), (u64, String)> = BTreeMap::new();
    let mut server_runs: BTreeMap<String, u64> = BTreeMap::new();
    for text in &inputs.cabling {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().expect("run list header").clone();
        let col =
            |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
        let [c_site, c_class, c_label, c_cable, c_item, c_adev, c_aport, c_amod, c_bdev, c_bport, c_bmod] = [
            "site", "class", "label", "cable", "item", "a_device", "a_port", "a_module", "b_device",
            "b_port", "b_module",
        ]
        .map(col);
        for rec in reader.records() {
            let rec = rec.expect("run list row");
            let site = &rec[c_site];
            let class = &rec[c_class];
            if !FABRIC_CLASSES.contains(&class) && class != COHERENT_LINE {
                problems.push(format!("{site}: a run of class {class:?} in the run list"));
            }
            // A server link's last piece ends at the server's NIC port.
            if class == "server-leaf" && rec[c_bport].starts_with("nic-") {
                *server_runs.entry(site.to_string()).or_default() += 1;
            }
            let a = (&rec[c_adev], &rec[c_aport]);
            let b = (&rec[c_bdev], &rec[c_bport]);
            for ((dev, port), module) in [(a, &rec[c_amod]), (b, &rec[c_bmod])] {
                // A trunk leg starts at its panel's rear, a cassette's cord at its rear.
                if port != "rear" && !ports.insert(format!("{site}\t{dev}\t{port}")) {
                    let e = twice.entry((site.to_string(), class.to_string())).or_insert((0, String::new()));
                    e.0 += 1;
                    if e.1.is_empty() {
                        e.1 = format!("{dev} {port}");
                    }
                }
                if module.is_empty() {
                    continue;
                }
                if counted(catalog, module) != Some(Counted::Optic) {
                    problems.push(format!("{site}: module {module:?} is not a grey optic of the catalog"));
                }
                ends.entry((site.to_string(), dev.to_string(), cage(port).to_string()))
                    .or_default()
                    .insert(module.to_string());
            }
            let item = &rec[c_item];
            if class == COHERENT_LINE {
                // A coherent pluggable's line side: the BOM buys no cord for it.
                if !item.is_empty() || !is_pluggable(catalog, &rec[c_amod]) {
                    problems.push(format!("{site}: a {class} run of {item:?} from {:?}", &rec[c_amod]));
                }
                continue;
            }
            match counted(catalog, item) {
                Some(Counted::Optic) | None => {
                    problems
                        .push(format!("{site}: {item:?} in the item column is not a cable of the catalog"));
                }
                Some(kind) => {
                    let key = if kind == Counted::Trunk { &rec[c_cable] } else { &rec[c_label] };
                    if pieces.insert((site.to_string(), key.to_string())) {
                        tally(&mut table, site, item, kind).cabling += 1;
                    }
                }
            }
        }
    }
    for ((site, dev, cage), modules) in &ends {
        if modules.len() > 1 {
            problems.push(format!("{site}: cage {dev} {cage} carries {modules:?}"));
        }
        for m in modules {
            tally(&mut table, site, m, Counted::Optic).cabling += 1;
        }
    }
    for (site, ports) in &inputs.server_ports {
        let runs = server_runs.get(site).copied().unwrap_or(0);
        if runs != *ports {
            problems
                .push(format!("{site}: {runs} server-leaf runs in the run list for {ports} server ports"));
        }
    }
    for ((site, class), (n, first)) in &twice {
        problems.push(format!(
            "{site}: {n} {class} run ends on a port another run already uses (first: {first})"
        ));
    }

    // NetBox: modules by device type name, devices by site.
    let mut site_of = BTreeMap::new();
    let mut reader = csv::Reader::from_reader(inputs.devices_csv.as_bytes());
    for rec in reader.deserialize::<BTreeMap<String, String>>() {
        let rec = rec.expect("devices.csv row");
        site_of.insert(rec["name"].clone(), rec["site"].clone());
    }
    let mut reader = csv::Reader::from_reader(inputs.modules_csv.as_bytes());
    for rec in reader.deserialize::<BTreeMap<String, String>>() {
        let rec = rec.expect("modules.csv row");
        let Some(site) = site_of.get(&rec["device"]) else {
            problems.push(format!("modules.csv: no device {:?} in devices.csv", rec["device"]));
            continue;
        };
        let ids = optics_of_model(catalog, &rec["module_type"]);
        match ids[..] {
            [id] => tally(&mut table, site, id, Counted::Optic).netbox += 1,
            _ => problems.push(format!(
                "modules.csv: module type {:?} is {} optics",
                rec["module_type"],
                ids.len()
            )),
        }
    }
    Outcome { table, problems }
}

fn assert_counts(label: &str, outcome: &Outcome) {
    let mismatches = outcome.mismatches();
    assert!(
        mismatches.is_empty(),
        "{label}: {} mismatches of BOM (less spares and unplaced interconnect), run list and NetBox:\n{}\n\nevery item:\n{}",
        mismatches.len(),
        mismatches.join("\n"),
        outcome.report()
    );
    eprintln!("{label}:\n{}", outcome.report());
}

fn catalog_of(path: Option<&str>) -> Catalog {
    let source = match path {
        Some(p) => load::read_source(&root().join(p)).expect("catalog file"),
        None => Source::embedded_catalog(),
    };
    load::load_catalog(&source).expect("shipped catalog").value
}

fn key(v: &serde_json::Value, a: &str, b: &str) -> (String, String) {
    (v[a].as_str().expect(a).to_string(), v[b].as_str().expect(b).to_string())
}

/// The shipped scenario through the binary: `bom`, `plan --format json`,
/// `export --to cabling` and `export --to netbox`.
fn shipped(scenario: &str, catalog: Option<&str>) -> Outcome {
    let dir = tempfile::tempdir().expect("temp dir");
    let with_catalog = |mut args: Vec<String>| -> Vec<String> {
        if let Some(c) = catalog {
            args.extend(["--catalog".to_string(), c.to_string()]);
        }
        args
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = dcplan(&args);
        assert_eq!(out.status.code(), Some(0), "dcplan {}: {}", args.join(" "), stderr(&out));
        out
    };
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let s = format!("scenarios/{scenario}.yaml");
    let owned = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    run(with_catalog(owned(&["bom", &s, "--out", &path("bom.json")])));
    let plan = run(with_catalog(owned(&["plan", &s, "--format", "json"])));
    run(with_catalog(owned(&["export", &s, "--to", "cabling", "--out", &path("cabling.csv")])));
    run(with_catalog(owned(&["export", &s, "--to", "netbox", "--out", &path("netbox")])));

    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).expect(name);
    let bom: serde_json::Value = serde_json::from_str(&read("bom.json")).expect("BOM JSON");
    let plan: serde_json::Value = serde_json::from_slice(&plan.stdout).expect("plan JSON");
    let mut inputs = Inputs {
        cabling: vec![read("cabling.csv")],
        modules_csv: read("netbox/modules.csv"),
        devices_csv: read("netbox/devices.csv"),
        ..Inputs::default()
    };
    for l in bom["lines"].as_array().expect("BOM lines") {
        let (site, item) = key(l, "site", "item");
        inputs.lines.push(Line {
            site,
            item,
            quantity: l["quantity"].as_u64().expect("quantity"),
            spares: l["spares"].as_u64().expect("spares"),
            why: l["why"].as_str().expect("why").to_string(),
        });
    }
    for d in plan["interconnect"].as_array().expect("interconnect") {
        let Some(chosen) = d["chosen"].as_str().filter(|&k| k != "fabric-zr") else { continue };
        for o in d["options"].as_array().unwrap().iter().filter(|o| o["kind"] == chosen) {
            for p in o["parts"].as_array().unwrap() {
                *inputs.interconnect.entry(key(p, "site", "item")).or_default() +=
                    p["quantity"].as_u64().unwrap();
            }
        }
    }
    let cat = catalog_of(catalog);
    for site in plan["sites"].as_array().expect("sites") {
        let name = site["name"].as_str().unwrap();
        inputs.server_ports.insert(name.to_string(), site["server_ports"].as_u64().expect("server_ports"));
        for g in site["fabric"]["links"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| OFF_FABRIC.iter().any(|c| g["class"] == *c))
        {
            for p in g["parts"].as_array().unwrap().iter().filter(|p| p["per"] == "b-port") {
                let item = p["item"].as_str().unwrap();
                if counted(&cat, item) == Some(Counted::Optic) {
                    *inputs.nic_modules.entry((name.to_string(), item.to_string())).or_default() +=
                        p["quantity"].as_u64().unwrap();
                }
            }
        }
    }
    check(&cat, &inputs)
}

#[test]
fn example_bom_matches_its_run_list_and_netbox() {
    assert_counts("example", &shipped("example", None));
}

#[test]
fn beijing_metro_bom_matches_its_run_list_and_netbox() {
    assert_counts("beijing-metro", &shipped("beijing-metro", None));
}

#[test]
fn beijing_metro_on_merchant_silicon_bom_matches_its_run_list_and_netbox() {
    assert_counts(
        "beijing-metro, merchant-whitebox",
        &shipped("beijing-metro", Some("catalogs/merchant-whitebox.yaml")),
    );
}

#[test]
fn hyperscale_bom_matches_its_run_list_and_netbox() {
    assert_counts("hyperscale", &shipped("hyperscale", None));
}

/// The same figures from the library, for a plan already made.
fn from_library(catalog: &Catalog, scenario: &dcplan::model::Scenario, plan: &dcplan::plan::Plan) -> Inputs {
    use dcplan::render::export;
    let bom = dcplan::price::bom::bill_of_materials(catalog, scenario, plan);
    let mut inputs = Inputs {
        lines: bom
            .lines
            .iter()
            .map(|l| Line {
                site: l.site.clone(),
                item: l.item.clone(),
                quantity: l.quantity,
                spares: l.spares,
                why: l.why.clone(),
            })
            .collect(),
        ..Inputs::default()
    };
    for d in &plan.interconnect {
        let placed = |o: &&dcplan::design::interconnect::OptionDesign| o.kind == OptionKind::FabricZr;
        for o in d.design.options.iter().filter(|o| Some(o.kind) == d.design.chosen && !placed(o)) {
            for p in &o.parts {
                *inputs.interconnect.entry((p.site.clone(), p.item.clone())).or_default() += p.quantity;
            }
        }
    }
    for s in &plan.sites {
        inputs.server_ports.insert(s.name.clone(), s.fabric.server_ports);
        for g in
            s.fabric.links.iter().filter(|g| matches!(g.class, LinkClass::ServerLeaf | LinkClass::HandOff))
        {
            for p in g.media.parts.iter().filter(|p| p.per == Per::BPort) {
                if counted(catalog, &p.item) == Some(Counted::Optic) {
                    *inputs.nic_modules.entry((s.name.clone(), p.item.clone())).or_default() +=
                        g.counts().of(p.per);
                }
            }
        }
        inputs.cabling.push(String::from_utf8(export::cabling_csv(&s.fabric, catalog)).expect("UTF-8"));
    }
    let sites: Vec<&dcplan::plan::SitePlan> = plan.sites.iter().collect();
    let files = export::netbox(&sites, catalog, &catalog.vendor, export::DeviceTypes::Own);
    let file = |name: &str| -> String {
        String::from_utf8(files.iter().find(|(n, _)| n == name).expect(name).1.clone()).expect("UTF-8")
    };
    inputs.modules_csv = file("modules.csv");
    inputs.devices_csv = file("devices.csv");
    inputs
}

fn catalog(merchant: bool) -> &'static Catalog {
    static NOKIA: OnceLock<Catalog> = OnceLock::new();
    static MERCHANT: OnceLock<Catalog> = OnceLock::new();
    if merchant {
        MERCHANT.get_or_init(|| catalog_of(Some("catalogs/merchant-whitebox.yaml")))
    } else {
        NOKIA.get_or_init(|| catalog_of(None))
    }
}

/// Homing and NIC ports per server; rack sizes (none: the generator's 32
/// or 40); in-rack runs (8 m is past every DAC: AOCs or optics at the
/// servers, so NIC-side modules).
const HOMING_NICS: [(&str, u32); 5] = [("dual", 2), ("dual", 4), ("single", 1), ("single", 2), ("single", 4)];
const RACK_SIZES: [Option<u32>; 4] = [None, Some(20), Some(24), Some(48)];
const IN_RACK_M: [u32; 2] = [3, 8];

/// A scenario of `dcplan generate`, changed where the generator has one
/// value: homing and NIC ports, rack size, the in-rack run, and a rack
/// budget that leaves room for the larger racks.
#[derive(Debug, Clone)]
struct Case {
    seed: u64,
    servers: u64,
    sites: u32,
    merchant: bool,
    homing_nics: (&'static str, u32),
    per_rack: Option<u32>,
    in_rack_m: u32,
}

impl Case {
    fn strategy() -> impl Strategy<Value = Case> {
        (
            any::<u64>(),
            40u64..900,
            1u32..4,
            any::<bool>(),
            prop::sample::select(HOMING_NICS.to_vec()),
            prop::sample::select(RACK_SIZES.to_vec()),
            prop::sample::select(IN_RACK_M.to_vec()),
        )
            .prop_map(|(seed, servers, sites, merchant, homing_nics, per_rack, in_rack_m)| Case {
                seed,
                servers,
                sites,
                merchant,
                homing_nics,
                per_rack,
                in_rack_m,
            })
    }

    fn yaml(&self) -> String {
        let spec = dcplan::generate::Spec {
            servers: self.servers,
            sites: self.sites,
            seed: self.seed,
            demands: None,
        };
        let mut yaml = dcplan::generate::scenario_yaml(spec);
        let mut replace = |from: &str, to: &str| {
            assert!(yaml.contains(from), "the generator no longer writes {from:?}:\n{yaml}");
            yaml = yaml.replace(from, to);
        };
        let (homing, nics) = self.homing_nics;
        replace("homing: dual", &format!("homing: {homing}"));
        replace("nics_per_server: 2", &format!("nics_per_server: {nics}"));
        replace("rack_power_budget_kw: 22", "rack_power_budget_kw: 80");
        replace("in_rack_m: 3", &format!("in_rack_m: {}", self.in_rack_m));
        if let Some(n) = self.per_rack {
            for size in ["servers_per_rack: 32", "servers_per_rack: 40"] {
                yaml = yaml.replace(size, &format!("servers_per_rack: {n}"));
            }
        }
        yaml
    }

    /// The scenario and its plan, or `None` when the catalog cannot meet it.
    fn plan(&self) -> (String, dcplan::model::Scenario, Option<dcplan::plan::Plan>) {
        let c = catalog(self.merchant);
        let yaml = self.yaml();
        let scenario = load::load_scenario(&Source::new("generated.yaml", yaml.clone()), c)
            .unwrap_or_else(|r| panic!("{}\n{yaml}", dcplan::render::diagnostics::to_text(&r)))
            .value;
        let plan = dcplan::plan::plan(c, &scenario).ok();
        (yaml, scenario, plan)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 64, .. ProptestConfig::default() })]

    /// Small generated scenarios, through the library: sites of a few
    /// hundred servers (rarely a whole number of racks), one to three sites
    /// with the interconnect between them, several leaves per rack (dual
    /// homing, or NIC ports and rack sizes that need more than one leaf).
    #[test]
    fn generated_boms_match_their_run_lists_and_netbox(case in Case::strategy()) {
        let c = catalog(case.merchant);
        let (yaml, scenario, plan) = case.plan();
        prop_assume!(plan.is_some(), "infeasible");
        let plan = plan.unwrap();
        let outcome = check(c, &from_library(c, &scenario, &plan));
        let leaves_per_rack: Vec<u64> = plan.sites.iter().map(|s| s.fabric.leaves_per_rack).collect();
        let mismatches = outcome.mismatches();
        prop_assert!(
            mismatches.is_empty(),
            "{} mismatches (catalog {}, leaves per rack {leaves_per_rack:?}):\n{}\n\nevery item:\n{}\nscenario:\n{yaml}",
            mismatches.len(),
            c.name,
            mismatches.join("\n"),
            outcome.report()
        );
    }
}

/// The cases above reach what the check is about: partial last racks,
/// several leaves per rack (also more leaves than NIC ports), NIC-side
/// modules, broken-out ports and the interconnect at the same sites.
#[test]
fn the_generated_cases_reach_partial_racks_leaves_per_rack_and_nic_modules() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut seen: BTreeMap<&str, u32> = BTreeMap::new();
    let mut planned = 0;
    for _ in 0..48 {
        let case = Case::strategy().new_tree(&mut runner).unwrap().current();
        let (_, _, Some(plan)) = case.plan() else { continue };
        planned += 1;
        let mut hit = |what: &'static str, yes: bool| *seen.entry(what).or_default() += u32::from(yes);
        hit("interconnect", !plan.interconnect.is_empty());
        for s in &plan.sites {
            let f = &s.fabric;
            let nics = f.server_ports / f.servers.max(1);
            hit("partial last rack", f.servers % f.servers_per_rack != 0);
            hit("hand-off", !f.handoff.is_empty());
            hit("leaves per rack > 1", f.leaves_per_rack > 1);
            hit("leaves per rack > NIC ports", f.leaves_per_rack > nics);
            hit("broken-out ports", f.links.iter().any(|g| g.a_breakout.is_some() || g.b_breakout.is_some()));
            hit(
                "NIC-side modules",
                f.links.iter().any(|g| {
                    g.class == LinkClass::ServerLeaf && g.media.parts.iter().any(|p| p.per == Per::BPort)
                }),
            );
        }
    }
    assert!(planned >= 30, "only {planned} of 48 generated cases planned");
    for what in [
        "interconnect",
        "hand-off",
        "partial last rack",
        "leaves per rack > 1",
        "leaves per rack > NIC ports",
        "broken-out ports",
        "NIC-side modules",
    ] {
        assert!(seen.get(what).copied().unwrap_or(0) >= 2, "{what}: {seen:?}");
    }
    eprintln!("{planned} planned: {seen:?}");
}

/// A site whose hand-off is on border leaves (`search::border_scenario`):
/// their hand-off optics and their uplinks to the spines are in the BOM as
/// in the cable run list and NetBox's modules, and they are NetBox devices.
#[test]
fn border_leaves_bom_matches_its_run_list_and_netbox() {
    let c = super::search::border_catalog();
    let scenario = super::search::border_scenario(&c, "cost", 1.0);
    let site = dcplan::plan::plan_site(&c, &scenario, &scenario.sites[0], &super::search::slow_need())
        .expect("a site with border leaves");
    let border = site.fabric.border_leaf.clone().expect("border leaves");
    let plan = dcplan::plan::Plan {
        scenario: scenario.name.clone(),
        catalog: c.name.clone(),
        currency: c.deal.currency.clone(),
        objective: scenario.objective,
        sites: vec![site],
        interconnect: Vec::new(),
        interconnect_network: Default::default(),
        interconnect_graph: (0, 0),
    };
    let inputs = from_library(&c, &scenario, &plan);
    assert_eq!(
        inputs.devices_csv.lines().filter(|l| l.contains("border-leaf")).count() as u64,
        border.count,
        "{}",
        inputs.devices_csv
    );
    // Each border-leaf uplink ends on a port of its own of a border leaf.
    let mut reader = csv::Reader::from_reader(inputs.cabling[0].as_bytes());
    let mut uplink_ports = BTreeSet::new();
    for rec in reader.deserialize::<BTreeMap<String, String>>() {
        let rec = rec.expect("run list row");
        if rec["class"] != "border-uplink" {
            continue;
        }
        for side in ["a", "b"] {
            let (dev, port) = (&rec[&format!("{side}_device")], &rec[&format!("{side}_port")]);
            if dev.contains("-border-leaf-") {
                uplink_ports.insert((dev.clone(), cage(port).to_string()));
            }
        }
    }
    assert_eq!(uplink_ports.len() as u64, border.count * border.up_links);
    assert_counts("border leaves", &check(&c, &inputs));
}
