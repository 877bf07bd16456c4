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
