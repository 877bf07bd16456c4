//! Property tests: whatever bytes or YAML arrive, the loader answers with a
//! value or diagnostics, never a panic.

use dcplan::load::{self, Source};
use proptest::prelude::*;

fn load_any(text: &str) {
    static CATALOG: std::sync::OnceLock<dcplan::model::Catalog> = std::sync::OnceLock::new();
    let catalog = CATALOG.get_or_init(|| {
        load::load_catalog(&Source::embedded_catalog()).expect("embedded catalog is valid").value
    });
    let source = Source::new("fuzz.yaml", text);
    let _ = load::detect_kind(&source);
    let _ = load::load_catalog(&source);
    let _ = load::load_scenario(&source, catalog);
    let _ = load::load_route(&source);
}

/// YAML-shaped text built from the formats' own vocabulary, so that the
/// fuzzer reaches the validator and not only the parser.
fn yamlish() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "kind",
        "format_version",
        "name",
        "sites",
        "servers",
        "nics_per_server",
        "nic_speed_gbps",
        "servers_per_rack",
        "rack_power_budget_kw",
        "pue",
        "fabric",
        "leaf_oversubscription",
        "fibre_routes",
        "between",
        "length_km",
        "spans",
        "demands",
        "gbps",
        "switches",
        "id",
        "ports",
        "count",
        "speed_gbps",
        "deal",
        "currency",
        "list_price",
        "power_w",
        "typical",
        "max",
        "source",
        "estimates",
        "tiers",
    ]);
    let scalar = prop::sample::select(vec![
        "scenario",
        "catalog",
        "1",
        "0",
        "-1",
        "1e308",
        ".nan",
        ".inf",
        "\"\"",
        "~",
        "[]",
        "{}",
        "25",
        "100",
        "3.5",
        "a",
        "*x",
        "&x 1",
        "!!binary aGk=",
        "2024-01-01",
        "\"80 km\"",
        "[a, b]",
        "{count: 1}",
    ]);
    let line = (0usize..4, key, scalar, any::<bool>()).prop_map(|(indent, k, v, dash)| {
        format!("{}{}{}: {}", "  ".repeat(indent), if dash { "- " } else { "" }, k, v)
    });
    prop::collection::vec(line, 0..40).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(text) = load::text_from_bytes(&bytes) {
            load_any(&text);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        load_any(&text);
    }

    #[test]
    fn arbitrary_yaml_never_panics(text in yamlish()) {
        load_any(&text);
    }

    #[test]
    fn mutated_shipped_scenario_never_panics(cut in 0usize..4000, insert in "[ :\\-\\[\\]{}#&*!|>'\"a-z0-9\n]{0,8}") {
        let base = include_str!("../../scenarios/beijing-metro.yaml");
        let mut at = cut.min(base.len());
        while !base.is_char_boundary(at) { at -= 1; }
        let text = format!("{}{}{}", &base[..at], insert, &base[at..]);
        load_any(&text);
    }
}

/// The fuzzers' corpora (fuzz/corpus/, kept minimal with libFuzzer's merge)
/// replayed through the loaders: every input the fuzzers found interesting
/// stays a test case in CI, which has no nightly compiler to fuzz with.
#[test]
fn the_fuzz_corpora_load_without_panics() {
    let root = crate::support::root().join("fuzz/corpus");
    let mut replayed = 0;
    for target in ["catalog", "scenario"] {
        let dir = root.join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            if let Ok(text) = load::text_from_bytes(&bytes) {
                // Each through the loader its fuzzer drove.
                let source = Source::new("corpus.yaml", text);
                if target == "catalog" {
                    let _ = load::load_catalog(&source);
                } else {
                    load_any(&source.text);
                }
                replayed += 1;
            }
        }
    }
    assert!(replayed >= 1000, "only {replayed} corpus inputs: is fuzz/corpus missing?");
}
