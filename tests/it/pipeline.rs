//! The whole pipeline on structurally valid but adversarial scenarios: the
//! cases the `plan` fuzz target explores (fuzz/), run as property tests so
//! that CI repeats them. Plus every crash the fuzzers found, kept as a
//! regression test.

#[path = "../adversarial.rs"]
mod adversarial;

use adversarial::{run_pipeline, scenario_yaml, Outcome};
use dcplan::load::{self, Source};
use proptest::prelude::*;
use std::sync::OnceLock;

fn catalog(merchant: bool) -> &'static dcplan::model::Catalog {
    static NOKIA: OnceLock<dcplan::model::Catalog> = OnceLock::new();
    static MERCHANT: OnceLock<dcplan::model::Catalog> = OnceLock::new();
    if merchant {
        MERCHANT.get_or_init(|| {
            let text =
                std::fs::read_to_string(crate::support::root().join("catalogs/merchant-whitebox.yaml"))
                    .unwrap();
            load::load_catalog(&Source::new("merchant-whitebox.yaml", text)).unwrap().value
        })
    } else {
        NOKIA.get_or_init(|| load::load_catalog(&Source::embedded_catalog()).unwrap().value)
    }
}

fn models(c: &dcplan::model::Catalog) -> Vec<&str> {
    c.switches.iter().map(|s| s.id.as_str()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn adversarial_scenarios_never_panic_and_add_up(bytes in prop::collection::vec(any::<u8>(), 0..256), merchant in any::<bool>()) {
        let c = catalog(merchant);
        let yaml = scenario_yaml(&bytes, &models(c));
        run_pipeline(c, &yaml);
    }
}

/// The generator reaches every outcome, so the property above is not
/// quietly testing only the validator.
#[test]
fn the_generator_reaches_plans_refusals_and_infeasible_scenarios() {
    let c = catalog(false);
    let exported_before = adversarial::EXPORTED_SITES.load(std::sync::atomic::Ordering::Relaxed);
    let mut seen = std::collections::BTreeMap::new();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..120 {
        let bytes: Vec<u8> = (0..200)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        *seen.entry(format!("{:?}", run_pipeline(c, &scenario_yaml(&bytes, &models(c))))).or_insert(0) += 1;
    }
    for o in [Outcome::Planned, Outcome::Infeasible, Outcome::Invalid] {
        assert!(seen.contains_key(&format!("{o:?}")), "never {o:?}: {seen:?}");
    }
    assert!(seen[&format!("{:?}", Outcome::Planned)] >= 40, "too few plans: {seen:?}");
    // Other tests may export at the same time: the count only grows.
    let exported = adversarial::EXPORTED_SITES.load(std::sync::atomic::Ordering::Relaxed) - exported_before;
    assert!(exported >= 15, "only {exported} sites small enough to export");
    eprintln!("outcomes: {seen:?}, sites exported: {exported}");
}

/// A fixed sixteenth of the `plan` fuzzer's corpus (the files whose name,
/// a SHA-1 of the content, starts with `0`) through the pipeline, each with
/// the catalog its first byte picks as in the fuzz target: CI has no
/// nightly compiler to fuzz with, but it repeats inputs the fuzzer kept.
#[test]
fn a_sample_of_the_plan_fuzz_corpus_runs_through_the_pipeline() {
    let dir = crate::support::root().join("fuzz/corpus/plan");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .expect("fuzz/corpus/plan")
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('0')))
        .collect();
    files.sort();
    assert!(files.len() >= 50, "only {} sampled corpus inputs", files.len());
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let Some((&which, rest)) = bytes.split_first() else { continue };
        let c = catalog(which & 1 == 1);
        run_pipeline(c, &scenario_yaml(rest, &models(c)));
    }
}

/// Issue 16's path explosion: 4 sites, 1,666 parallel routes on each of
/// three hops (4,998 routes, about 4.6·10⁹ route paths) and one demand, and
/// the two-hop variant. The planner used to list every path (43 s and out
/// of memory); it must now plan (or refuse) as a normal scenario does.
#[test]
fn thousands_of_parallel_routes_plan_without_listing_every_path() {
    for (hops, protection) in [(3usize, "diverse"), (2, "none")] {
        let mut y = String::from(
            "kind: scenario\nformat_version: 1\nname: routes\nfabric: {leaf_oversubscription: 3, homing: single}\nsites:\n",
        );
        for s in 0..=hops {
            y.push_str(&format!("  - {{name: s{s}, servers: 40, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 40, rack_power_budget_kw: 15, pue: 1.5}}\n"));
        }
        y.push_str("fibre_routes:\n");
        let per_hop = 4998 / hops;
        for h in 0..hops {
            for k in 0..per_hop {
                y.push_str(&format!(
                    "  - {{id: r{h}-{k}, between: [s{h}, s{}], length_km: {}, fibre_pairs: 4, fibre: g652d}}\n",
                    h + 1,
                    20 + k % 40
                ));
            }
        }
        y.push_str(&format!(
            "demands:\n  - {{between: [s0, s{hops}], gbps: 400, protection: {protection}}}\n"
        ));
        let dir = std::env::temp_dir().join(format!("dcplan-routes-{}-{hops}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("routes.yaml");
        std::fs::write(&path, y).unwrap();
        let out = crate::support::dcplan(&["plan", path.to_str().unwrap(), "--format", "json"]);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(out.status.code(), Some(0), "{hops} hops: {}", crate::support::stderr(&out));
        let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("plan.json");
        let demand = &plan["interconnect"][0];
        let paths = demand["options"][0]["paths"].as_array().expect("paths");
        assert_eq!(paths.len(), if protection == "diverse" { 2 } else { 1 });
        // The shortest parallel routes: 20 km a hop, and 20 km again for the protect path.
        for p in paths {
            assert_eq!(p["length_km"].as_f64(), Some(20.0 * hops as f64), "{p}");
        }
    }
}

/// A scenario of one-rack sites, `routes` (a, b, km) among them and
/// `demands` (a, b) of 100 Gb/s with diverse protection.
fn routes_scenario(sites: &[String], routes: &[(usize, usize, u32)], demands: &[(usize, usize)]) -> String {
    let mut y = String::from(
        "kind: scenario\nformat_version: 1\nname: routes\nfabric: {leaf_oversubscription: 3, homing: single}\nsites:\n",
    );
    for s in sites {
        y.push_str(&format!("  - {{name: {s}, servers: 40, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 40, rack_power_budget_kw: 15, pue: 1.5}}\n"));
    }
    y.push_str("fibre_routes:\n");
    for (i, (a, b, km)) in routes.iter().enumerate() {
        y.push_str(&format!(
            "  - {{id: r{i}, between: [{}, {}], length_km: {km}, fibre_pairs: 1000, fibre: g652d}}\n",
            sites[*a], sites[*b]
        ));
    }
    y.push_str("demands:\n");
    for (a, b) in demands {
        y.push_str(&format!(
            "  - {{between: [{}, {}], gbps: 100, protection: diverse}}\n",
            sites[*a], sites[*b]
        ));
    }
    y
}

/// Runs `plan --format json` on a scenario written to a temporary file.
fn plan_json(name: &str, yaml: &str) -> std::process::Output {
    let dir = std::env::temp_dir().join(format!("dcplan-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(&path, yaml).unwrap();
    let out = crate::support::dcplan(&["plan", path.to_str().unwrap(), "--format", "json"]);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// Issue 16's dense mesh: 40 sites, every pair joined (780 routes, 1,445
/// site paths and about a million pairs of them between two sites), 1,000
/// diverse demands over distinct ordered pairs of sites. Comparing every
/// pair took 0.7 s a demand; the bounded search plans it, each demand on
/// the direct route and the best two-route path, and compares about two
/// pairs a demand (counted, not timed: `benches/plan.rs` times it).
#[test]
fn a_dense_mesh_with_a_thousand_diverse_demands_plans() {
    let n = 40;
    let sites: Vec<String> = (0..n).map(|s| format!("s{s}")).collect();
    let routes: Vec<(usize, usize, u32)> =
        (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b, 10 + ((a * 7 + b * 13) % 50) as u32))).collect();
    let demands: Vec<(usize, usize)> =
        (0..n).flat_map(|a| (0..n).filter(move |&b| b != a).map(move |b| (a, b))).take(1000).collect();
    let yaml = routes_scenario(&sites, &routes, &demands);
    let catalog = catalog(false);
    let scenario = load::load_scenario(&Source::new("mesh.yaml", yaml.clone()), catalog).unwrap().value;
    let graph = dcplan::design::routes::RouteGraph::new(&scenario);
    let mut budget = dcplan::design::routes::PairBudget::default();
    for d in &scenario.demands {
        graph.disjoint_pair(&d.between[0], &d.between[1], &mut budget).expect("a disjoint pair");
    }
    assert!(budget.compared() <= 10 * 1000, "{} pairs compared", budget.compared());
    let out = plan_json("mesh", &yaml);
    assert_eq!(out.status.code(), Some(0), "{}", crate::support::stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("plan.json");
    let interconnect = plan["interconnect"].as_array().expect("interconnect");
    assert_eq!(interconnect.len(), 1000);
    for d in interconnect {
        let hops: Vec<usize> = d["options"][0]["paths"]
            .as_array()
            .expect("paths")
            .iter()
            .map(|p| p["hops"].as_array().map_or(0, |h| h.len()))
            .collect();
        assert_eq!(hops, [1, 2], "{}", d["between"]);
    }
}

/// A mesh whose paths tie everywhere: 68 sites on each side of two layers
/// of 30, every layer joined to the next (4,980 routes of 10 km), so each
/// of 1,000 demands has 900 equally long paths of three routes and some
/// 400,000 pairs to compare for its tie. The plan is refused with the
/// bound named (exit 1) once the searches pass it, not searched for minutes.
#[test]
fn a_mesh_that_ties_everywhere_is_refused_at_the_pair_bound() {
    let (sides, layer) = (68, 30);
    let mut sites: Vec<String> = (0..sides).map(|i| format!("a{i}")).collect();
    sites.extend((0..layer).map(|i| format!("x{i}")));
    sites.extend((0..layer).map(|i| format!("y{i}")));
    sites.extend((0..sides).map(|i| format!("b{i}")));
    let (x0, y0, b0) = (sides, sides + layer, sides + 2 * layer);
    let mut routes = Vec::new();
    for x in x0..y0 {
        routes.extend((0..sides).map(|a| (a, x, 10)));
        routes.extend((y0..b0).map(|y| (x, y, 10)));
    }
    for y in y0..b0 {
        routes.extend((b0..b0 + sides).map(|b| (y, b, 10)));
    }
    assert_eq!(routes.len(), 4980);
    let demands: Vec<(usize, usize)> =
        (0..sides).flat_map(|a| (b0..b0 + sides).map(move |b| (a, b))).take(1000).collect();
    let out = plan_json("ties", &routes_scenario(&sites, &routes, &demands));
    let err = crate::support::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("path search") && err.contains("MAX_PLAN_PATH_PAIRS"), "{err}");
}
