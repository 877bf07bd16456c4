//! Every shipped catalog and scenario checks clean, carries its schema
//! modeline, and the shipped schemas are what `dcplan schema` prints.

use crate::support::*;

fn shipped() -> Vec<std::path::PathBuf> {
    let mut all = files(&root().join("catalogs"), "yaml");
    all.extend(files(&root().join("scenarios"), "yaml"));
    all
}

#[test]
fn shipped_catalogs_and_scenarios_check_clean() {
    let paths: Vec<String> = shipped().iter().map(|p| p.to_string_lossy().into_owned()).collect();
    assert!(paths.len() >= 5, "{paths:?}");
    let mut args = vec!["check", "--deny-warnings"];
    args.extend(paths.iter().map(String::as_str));
    let out = dcplan(&args);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("0 error(s), 0 warning(s)"), "{}", stderr(&out));
}

#[test]
fn shipped_scenarios_also_check_against_the_merchant_catalog() {
    let scenarios: Vec<String> =
        files(&root().join("scenarios"), "yaml").iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let mut args = vec!["check", "--catalog", "catalogs/merchant-whitebox.yaml"];
    args.extend(scenarios.iter().map(String::as_str));
    let out = dcplan(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn shipped_files_carry_the_schema_modeline() {
    for path in shipped() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let kind = if path.to_string_lossy().contains("catalogs") { "catalog" } else { "scenario" };
        let modeline = format!("# yaml-language-server: $schema=../schema/{kind}.schema.json");
        assert!(text.starts_with(&modeline), "{} does not start with {modeline}", path.display());
    }
}

#[test]
fn shipped_schemas_match_the_parser() {
    for kind in ["catalog", "scenario", "route"] {
        let out = dcplan(&["schema", kind]);
        assert_eq!(out.status.code(), Some(0));
        let file = root().join(format!("schema/{kind}.schema.json"));
        let shipped = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(
            shipped == stdout(&out),
            "{} is stale: regenerate it with `cargo run -- schema {kind} > schema/{kind}.schema.json`",
            file.display()
        );
    }
}

#[test]
fn every_nokia_figure_has_a_source_or_is_marked_estimate() {
    // `check` enforces a source per item; here: every Nokia price is marked
    // as an estimate, because Nokia publishes no price list.
    let out = dcplan(&["catalog", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let sections =
        ["switches", "router_chassis", "line_cards", "coherent_optics", "mux_demux", "amplifiers", "shelves"];
    let mut n = 0;
    for section in sections {
        for item in json[section].as_array().expect(section) {
            n += 1;
            let id = item["id"].as_str().unwrap_or("?");
            assert!(item["source"].as_str().is_some_and(|s| s.len() > 5), "{id}: no source");
            assert!(
                item["estimates"]["list_price"].is_string(),
                "{id}: a Nokia list price not marked as an estimate"
            );
        }
    }
    assert!(n >= 20, "only {n} Nokia items");
}
