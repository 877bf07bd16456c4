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
