//! Structurally valid but adversarial scenarios, built from raw bytes: shared
//! by the `plan` fuzz target (fuzz/fuzz_targets/plan.rs, through `#[path]`)
//! and the property tests in tests/it/pipeline.rs, so that CI runs the same
//! cases the fuzzer explores. Values lean to the edges: one server or ten
//! million, routes of a metre or half the planet, demands no fibre can carry,
//! every model excluded, rates and ratios just inside and just outside the
//! validator's ranges.

/// Reads decisions from bytes; past the end every decision is 0.
pub struct Draw<'a> {
    data: &'a [u8],
    at: usize,
    /// Chance in 256 that [`Draw::either`] takes an edge value.
    edge: u8,
}

impl<'a> Draw<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Draw { data, at: 0, edge: 32 }
    }

    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn below(&mut self, n: u64) -> u64 {
        let v = u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()]);
        u64::from(v) % n.max(1)
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.byte() as usize % xs.len()]
    }

    fn chance(&mut self, in_256: u8) -> bool {
        self.byte() < in_256
    }

    /// A typical value, or now and then an edge one.
    fn either<T: Copy>(&mut self, typical: &[T], edge: &[T]) -> T {
        if self.chance(self.edge) {
            self.pick(edge)
        } else {
            self.pick(typical)
        }
    }
}

const SERVERS_EDGE: &[u64] = &[1, 2, 7, 47, 48, 65_536, 250_000, 1_000_000, 10_000_000];
const NICS: &[u32] = &[1, 2];
const NICS_EDGE: &[u32] = &[4, 8];
const NIC_GBPS: &[u64] = &[25, 25, 100];
const NIC_GBPS_EDGE: &[u64] = &[10, 50, 200, 400, 800];
const PER_RACK: &[u32] = &[16, 20, 32];
const PER_RACK_EDGE: &[u32] = &[1, 2, 48, 64, 200];
const BUDGET_KW: &[f64] = &[18.0, 25.0];
const BUDGET_KW_EDGE: &[f64] = &[0.5, 5.0, 12.0, 200.0];
const SERVER_W: &[f64] = &[250.0, 400.0];
const SERVER_W_EDGE: &[f64] = &[10.0, 800.0, 20_000.0];
const PUE: &[f64] = &[1.2, 1.3, 1.5];
const PUE_EDGE: &[f64] = &[1.0, 3.0];
const OVERSUB: &[f64] = &[2.0, 3.0, 4.0];
const OVERSUB_EDGE: &[f64] = &[1.0, 1.5, 64.0];
const LENGTH_KM: &[f64] = &[20.0, 46.0, 74.0, 120.0];
const LENGTH_KM_EDGE: &[f64] = &[0.001, 0.5, 600.0, 2_500.0, 20_000.0];
const PAIRS: &[u32] = &[2, 4, 8];
const PAIRS_EDGE: &[u32] = &[1, 1000];
const GBPS: &[u64] = &[400, 1_600, 4_800, 12_800];
const GBPS_EDGE: &[u64] = &[1, 100_000, 1_000_000, 100_000_000];

/// A scenario in the format `dcplan` reads. `models` are the catalog's
/// switch ids, for allow and exclude lists (all of them, some, or one that
/// does not exist).
pub fn scenario_yaml(data: &[u8], models: &[&str]) -> String {
    let mut d = Draw::new(data);
    // Half the scenarios are plausible ones (edges only in the counts), so
    // that the planner's whole path is exercised, not only its refusals.
    d.edge = if d.chance(128) { 0 } else { 48 };
    let n_sites = 1 + d.below(5) as usize;
    let mut y = String::from("kind: scenario\nformat_version: 1\nname: adversarial\n");
    y.push_str(&format!("objective: {}\n", d.pick(&["cost", "power"])));
    y.push_str(&format!("growth_headroom_pct: {}\n", d.either(&[0.0, 10.0, 20.0], &[100.0, 1000.0])));
    // Dual homing wants two NIC ports: one scenario in eight asks for it anyway.
    let dual = d.chance(64);
    let nics_ok_for_dual = !d.chance(32);
    y.push_str(&format!(
        "fabric:\n  leaf_oversubscription: {}\n  spine_oversubscription: {}\n  homing: {}\n  tiers: {}\n",
        d.either(OVERSUB, OVERSUB_EDGE),
        d.either(&[1.0, 1.0, 2.0], &[1.5, 3.0, 64.0]),
        if dual { "dual" } else { "single" },
        d.either(&["auto"], &["2", "3"])
    ));
    let models_line = |d: &mut Draw, key: &str| -> String {
        let list: Vec<&str> = match d.byte() % 8 {
            0 => models.to_vec(),
            1 => vec!["no-such-model"],
            2 => models.iter().take(1).copied().collect(),
            _ => models.iter().copied().filter(|_| d.chance(64)).collect(),
        };
        format!("{key}: [{}]", list.join(", "))
    };
    if d.chance(40) {
        y.push_str(&format!("  {}\n", models_line(&mut d, "excluded_models")));
    } else if d.chance(24) {
        y.push_str(&format!("  {}\n", models_line(&mut d, "allowed_models")));
    }
    if d.chance(64) {
        y.push_str(&format!(
            "spares_pct: {{optics: {}, cables: {}}}\n",
            d.pick(&[0.0, 2.0, 100.0]),
            d.pick(&[0.0, 1.0])
        ));
    }
    if d.chance(64) {
        y.push_str(&format!(
            "energy: {{price_per_kwh: \"{}\", years: {}}}\n",
            d.pick(&["0", "0.09", "10"]),
            d.pick(&[1, 5, 30])
        ));
    }
    y.push_str("sites:\n");
    for i in 0..n_sites {
        // Mostly small, now and then extreme: the fuzzer's speed depends on it.
        let servers = if d.chance(24) { d.pick(SERVERS_EDGE) } else { 1 + d.below(5_000) };
        let nics = if dual && nics_ok_for_dual { d.either(&[2], &[4, 8]) } else { d.either(NICS, NICS_EDGE) };
        y.push_str(&format!(
            "  - name: s{i}\n    servers: {servers}\n    nics_per_server: {nics}\n    nic_speed_gbps: {}\n    servers_per_rack: {}\n    rack_power_budget_kw: {}\n    pue: {}\n",
            d.either(NIC_GBPS, NIC_GBPS_EDGE),
            d.either(PER_RACK, PER_RACK_EDGE),
            d.either(BUDGET_KW, BUDGET_KW_EDGE),
            d.either(PUE, PUE_EDGE)
        ));
        if d.chance(128) {
            y.push_str(&format!("    server_power_w: {}\n", d.either(SERVER_W, SERVER_W_EDGE)));
        }
        if d.chance(64) {
            y.push_str(&format!(
                "    layout: {{in_rack_m: {}, in_row_m: {}, across_hall_m: {}}}\n",
                d.either(&[2.0, 3.0], &[0.1, 20.0]),
                d.either(&[30.0], &[0.5, 500.0]),
                d.either(&[200.0], &[1.0, 10_000.0])
            ));
        }
        if d.chance(48) {
            y.push_str(&format!(
                "    fabric:\n      leaf_oversubscription: {}\n      homing: {}\n",
                d.either(OVERSUB, OVERSUB_EDGE),
                if nics >= 2 && d.chance(128) { "dual" } else { "single" }
            ));
            if d.chance(96) {
                y.push_str(&format!("      {}\n", models_line(&mut d, "excluded_models")));
            }
        }
    }
    if n_sites < 2 {
        return y;
    }
    // Routes: a ring, some chords, now and then a parallel route.
    let mut routes = Vec::new();
    for i in 0..n_sites {
        // Two sites get two routes, so that diverse demands have a chance.
        routes.push((i, (i + 1) % n_sites));
    }
    for _ in 0..d.below(3) {
        let a = d.below(n_sites as u64) as usize;
        let b = d.below(n_sites as u64) as usize;
        if a != b {
            routes.push((a, b));
        }
    }
    y.push_str("fibre_routes:\n");
    for (k, (a, b)) in routes.iter().enumerate() {
        let length = d.either(LENGTH_KM, LENGTH_KM_EDGE);
        y.push_str(&format!(
            "  - id: r{k}\n    between: [s{a}, s{b}]\n    length_km: {length}\n    fibre_pairs: {}\n    fibre: {}\n",
            d.either(PAIRS, PAIRS_EDGE),
            d.pick(&["g652d", "g654e", "g655"])
        ));
        if d.chance(64) {
            y.push_str(&format!("    attenuation_db_per_km: {}\n", d.pick(&[0.1, 0.2, 0.25, 1.0])));
        }
        if d.chance(64) && (1.0..=300.0).contains(&length) {
            // Spans that add up to the route, each with or without a measured loss.
            let n = 1 + d.below(3);
            let each = length / n as f64;
            y.push_str("    spans:\n");
            for s in 0..n {
                let l = if s + 1 == n { length - each * (n - 1) as f64 } else { each };
                y.push_str(&format!("      - {{length_km: {l}"));
                if d.chance(96) {
                    y.push_str(&format!(", loss_db: {}", d.either(&[4.1, 12.0, 20.0], &[0.0, 70.0])));
                }
                y.push_str("}\n");
            }
        }
    }
    let n_demands = d.below(5);
    if n_demands > 0 {
        y.push_str("demands:\n");
    }
    for _ in 0..n_demands {
        let a = d.below(n_sites as u64);
        let b = (a + 1 + d.below(n_sites as u64 - 1)) % n_sites as u64;
        y.push_str(&format!(
            "  - between: [s{a}, s{b}]\n    gbps: {}\n    protection: {}\n",
            d.either(GBPS, GBPS_EDGE),
            d.pick(&["none", "diverse"])
        ));
    }
    y
}

/// What became of one scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The validator refused it, with diagnostics.
    Invalid,
    /// Valid, but the catalog cannot meet it (exit 1), with a reason.
    Infeasible,
    /// Planned, priced, analysed for failures, rendered and exported.
    Planned,
    /// Planned, priced and rendered; too large for the failure analysis
    /// (see [`FAILURE_BUNDLES`]).
    PlannedLarge,
}

/// Sites above this many servers are planned, priced and rendered but not
/// exported cable by cable: a million-row run list goes through the same
/// branches as a thousand-row one, and each row costs the fuzzer time.
const EXPORT_SERVERS: u64 = 500;

/// Sites exported so far (all threads), so a test can check the exports
/// are still reached.
pub static EXPORTED_SITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Failure analysis (a max-flow per failure class) runs when the site graphs
/// have at most this many bundles in all. Its cost grows with the graph and
/// its branches do not: a 250,000-server site takes seconds per run, which
/// would hold the fuzzer on a few inputs. The extreme counts still go
/// through loading, planning (with its own max-flow), pricing and rendering.
const FAILURE_BUNDLES: usize = 5_000;

/// The whole pipeline on one scenario text, with the invariants that must
/// hold whatever the input: no panic, and figures that add up.
pub fn run_pipeline(catalog: &dcplan::model::Catalog, yaml: &str) -> Outcome {
    use dcplan::load::{self, Source};
    use dcplan::render;
    let source = Source::new("adversarial.yaml", yaml);
    let scenario = match load::load_scenario(&source, catalog) {
        Ok(s) => s.value,
        Err(report) => {
            assert!(report.has_errors(), "refused without an error");
            assert!(!render::diagnostics::to_text(&report).is_empty());
            return Outcome::Invalid;
        }
    };
    let plan = match dcplan::plan::plan(catalog, &scenario) {
        Ok(p) => p,
        Err(e) => {
            assert!(!e.to_string().trim().is_empty(), "an infeasible plan without a reason");
            return Outcome::Infeasible;
        }
    };
    // Servers and ports add up from the sites to the totals.
    let servers: u64 = scenario.sites.iter().map(|s| s.servers).sum();
    assert_eq!(plan.sites.iter().map(|s| s.fabric.servers).sum::<u64>(), servers);
    for s in &plan.sites {
        assert!(s.power.typical_w.0.is_finite() && s.power.typical_w.0 >= 0.0, "{}: power", s.name);
        assert!(s.power.typical_w.0 <= s.power.max_w.0 + 1e-6, "{}: typical above max", s.name);
    }
    // Money reconciles to the cent. The totals are sums of the lines; the
    // independent check is that each part's lines, shared out over the sites,
    // add up to the deal's price of the part's whole quantity.
    let bom = dcplan::price::bom::bill_of_materials(catalog, &scenario, &plan);
    let lines: rust_decimal::Decimal = bom.lines.iter().map(|l| l.extended_net_price.amount()).sum();
    assert_eq!(lines, bom.totals.net.amount(), "BOM lines do not add up to the net total");
    let mut parts: std::collections::BTreeMap<
        (String, String),
        (u64, rust_decimal::Decimal, dcplan::money::Money, dcplan::model::Category),
    > = Default::default();
    for l in &bom.lines {
        assert!(l.extended_net_price.amount() >= rust_decimal::Decimal::ZERO, "negative line {l:?}");
        assert!(l.spares <= l.quantity, "{l:?}");
        if l.category == dcplan::model::Category::Support {
            continue;
        }
        let e = parts.entry((l.part_number.clone(), l.item.clone())).or_insert((
            0,
            rust_decimal::Decimal::ZERO,
            l.unit_list_price,
            l.category,
        ));
        e.0 += l.quantity;
        e.1 += l.extended_net_price.amount();
    }
    for ((part, _), (quantity, net, list, category)) in &parts {
        let whole = dcplan::price::bom::item_net(&catalog.deal, *category, *list, *quantity);
        assert_eq!(*net, whole.amount(), "{part}: {quantity} units priced {net}, the deal says {whole}");
    }
    // Every rendering.
    let json = render::plan::to_json_with_cost(&plan, &bom, None);
    serde_json::from_str::<serde_json::Value>(&json).expect("plan JSON parses");
    let _ = render::plan::to_text(&plan, &bom);
    let _ = render::plan::to_markdown(&plan, &bom);
    let _ = render::interconnect::compare_text(&plan);
    let _ = render::interconnect::compare_markdown(&plan);
    serde_json::from_str::<serde_json::Value>(&render::interconnect::compare_json(&plan))
        .expect("compare JSON");
    let _ = render::bom::to_csv(&bom);
    serde_json::from_str::<serde_json::Value>(&render::bom::to_json(&bom)).expect("BOM JSON parses");
    let _ = render::bom::to_markdown(&bom);
    render::bom::to_xlsx(&bom).expect("the workbook builds");
    let bundles: usize = plan.sites.iter().map(|s| s.graph_bundles).sum();
    let failures = (bundles <= FAILURE_BUNDLES).then(|| {
        dcplan::analyse::resilience::analyse(
            &plan,
            catalog,
            dcplan::analyse::resilience::Options::default(),
            &|| {},
        )
    });
    if let Some(f) = &failures {
        let _ = render::failures::to_text(f);
        let _ = render::failures::to_markdown(f);
    }
    let html = render::html::report(&plan, &scenario, &bom, failures.as_ref(), None);
    assert!(html.ends_with("</html>\n") || html.ends_with("</html>"), "report.html is cut short");
    // Exports: no port carries two links, one module per optic cage.
    for s in plan.sites.iter().filter(|s| s.fabric.servers <= EXPORT_SERVERS) {
        let csv = render::export::cabling_csv(&s.fabric, catalog);
        let mut ports = std::collections::BTreeSet::new();
        let mut reader = csv::Reader::from_reader(csv.as_slice());
        for rec in reader.deserialize::<std::collections::BTreeMap<String, String>>() {
            let rec = rec.expect("run list row");
            for side in ["a", "b"] {
                let (dev, port) = (&rec[&format!("{side}_device")], &rec[&format!("{side}_port")]);
                assert!(
                    port == "rear" || ports.insert((dev.clone(), port.clone())),
                    "{}: port used twice: {rec:?}",
                    s.name
                );
            }
        }
        let _ = render::export::containerlab(&s.fabric, catalog, Some(4), render::export::SRLINUX_IMAGE);
        EXPORTED_SITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    let small: Vec<&dcplan::plan::SitePlan> =
        plan.sites.iter().filter(|s| s.fabric.servers <= EXPORT_SERVERS).collect();
    let files = render::export::netbox(&small, catalog, &catalog.vendor, render::export::DeviceTypes::Own);
    let file = |name: &str| -> String {
        String::from_utf8(files.iter().find(|(n, _)| n == name).expect(name).1.clone()).expect("UTF-8 CSV")
    };
    let bays: Vec<String> = file("module_bays.csv").lines().skip(1).map(str::to_string).collect();
    let unique: std::collections::BTreeSet<&String> = bays.iter().collect();
    assert_eq!(unique.len(), bays.len(), "a module bay twice");
    assert_eq!(file("modules.csv").lines().count(), bays.len() + 1, "one module per bay");
    if failures.is_some() {
        Outcome::Planned
    } else {
        Outcome::PlannedLarge
    }
}
