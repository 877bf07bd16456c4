//! The fixes `failures` plans for real: a site whose leaves miss their
//! target after a spine loss is designed again under `survive_spine_loss`,
//! priced as the whole BOM difference, and checked by the same failure on
//! the fixed design; where no design meets it, the fix says so.

use crate::support::*;
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::str::FromStr;

fn json_of(args: &[&str]) -> Value {
    let o = dcplan(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("JSON")
}

fn money(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or_else(|| panic!("money as a string: {v}"))).expect("decimal")
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dcplan-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The scenario at `path` with `survive_spine_loss: true` set in `site`'s
/// fabric override, written as YAML into `dir`.
fn with_rule(path: &Path, site: &str, dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(path).expect("scenario");
    let mut doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    let sites = doc.get_mut("sites").and_then(|s| s.as_sequence_mut()).expect("sites");
    let s = sites.iter_mut().find(|s| s.get("name").and_then(|n| n.as_str()) == Some(site)).expect("site");
    let map = s.as_mapping_mut().expect("site mapping");
    let fabric = map.entry("fabric".into()).or_insert_with(|| serde_yaml::Value::Mapping(Default::default()));
    fabric.as_mapping_mut().expect("fabric mapping").insert("survive_spine_loss".into(), true.into());
    let out = dir.join(format!("{site}.yaml"));
    std::fs::write(&out, serde_yaml::to_string(&doc).expect("YAML out")).expect("write");
    out
}

/// The worst leaf oversubscription after a spine loss at `site`.
fn spine_loss(report: &Value, site: &str) -> f64 {
    let class = format!("{site}: spine");
    let c =
        report["classes"].as_array().unwrap().iter().find(|c| c["class"] == class.as_str()).expect("class");
    c["worst_leaf_oversubscription"][site][0].as_f64().expect("figure")
}

#[test]
fn planned_spine_fixes_meet_the_target_and_cost_the_bom_difference() {
    let metro = root().join("scenarios/beijing-metro.yaml");
    let metro_s = metro.to_str().unwrap();
    let report = json_of(&["failures", metro_s, "--format", "json"]);
    let fixes = report["planned_fixes"].as_array().expect("planned fixes");
    let sites: Vec<&str> = fixes.iter().map(|f| f["site"].as_str().unwrap()).collect();
    assert_eq!(sites, ["bj-yizhuang", "bj-shunyi", "bj-changping"]);
    let original = json_of(&["bom", metro_s, "--format", "json"]);
    let dir = temp_dir("planned-fix");
    for fix in fixes {
        let site = fix["site"].as_str().unwrap();
        let out = &fix["outcome"];
        assert_eq!(out["status"], "planned", "{site}");
        // The check: the same failure on the fixed design meets the target.
        let check = &out["check"];
        let target = check["target"].as_f64().unwrap();
        assert_eq!(check["meets_target"], true, "{site}: {check}");
        assert!(check["worst_leaf_oversubscription"].as_f64().unwrap() <= target + 1e-9);
        // A fifth spine per pod is a fifth superspine plane.
        let (before, after) = (&fix["before"], &out["after"]);
        assert!(after["spines_per_pod"].as_u64() > before["spines_per_pod"].as_u64(), "{site}");
        assert_eq!(after["planes"], after["spines_per_pod"], "{site}");
        // The price: the whole BOM difference, recomputed from two `dcplan bom` runs.
        let fixed_path = with_rule(&metro, site, &dir);
        let fixed_s = fixed_path.to_str().unwrap();
        let fixed = json_of(&["bom", fixed_s, "--format", "json"]);
        let diff = |k: &str| money(&fixed["totals"][k]) - money(&original["totals"][k]);
        let price = &out["price"];
        for k in ["hardware_net", "support", "net"] {
            assert_eq!(money(&price[k]), diff(k), "{site}: {k}");
        }
        let by_site = money(&fixed["totals"]["by_site"][site]) - money(&original["totals"]["by_site"][site]);
        assert_eq!(money(&price["site_net"]), by_site, "{site}");
        let items: Decimal = price["items"].as_array().unwrap().iter().map(|i| money(&i["net"])).sum();
        assert_eq!(items, diff("hardware_net"), "{site}: the parts add up to the hardware");
        for cat in ["fabric", "optics", "cables"] {
            assert!(price["items"].as_array().unwrap().iter().any(|i| i["category"] == cat), "{site}: {cat}");
        }
        // And the scenario with the rule set by hand: that site needs no fix.
        let rerun = json_of(&["failures", fixed_s, "--format", "json"]);
        // The check (the fixed site analysed alone) is the whole fixed plan's figure.
        assert_eq!(
            spine_loss(&rerun, site),
            check["worst_leaf_oversubscription"].as_f64().unwrap(),
            "{site}"
        );
        let left =
            rerun["planned_fixes"].as_array().map_or(0, |v| v.iter().filter(|f| f["site"] == site).count());
        assert_eq!(left, 0, "{site}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A leaf with two 100G uplink ports and no breakouts: at 1:1 it meets its
/// target on both, but never after losing one of its two spines.
#[test]
fn no_design_in_the_catalog_says_so() {
    let dir = temp_dir("planned-fix-infeasible");
    let mini = std::fs::read_to_string(root().join("tests/data/mini-catalog.yaml")).unwrap();
    let catalog = mini
        .replace(
            "{count: 8, speed_gbps: 100, form_factor: qsfp28, breakouts: [{lanes: 4, speed_gbps: 25}]}",
            "{count: 2, speed_gbps: 100, form_factor: qsfp28}",
        )
        .replace(
            "{count: 32, speed_gbps: 100, form_factor: qsfp28, breakouts: [{lanes: 4, speed_gbps: 25}]}",
            "{count: 32, speed_gbps: 100, form_factor: qsfp28}",
        );
    assert_ne!(catalog, mini);
    let hand = std::fs::read_to_string(root().join("tests/data/handcheck.yaml")).unwrap();
    let scenario = hand.replace("leaf_oversubscription: 3", "leaf_oversubscription: 1");
    let (c, s) = (dir.join("catalog.yaml"), dir.join("scenario.yaml"));
    std::fs::write(&c, catalog).unwrap();
    std::fs::write(&s, scenario).unwrap();
    let (c, s) = (c.to_str().unwrap(), s.to_str().unwrap());
    let report = json_of(&["failures", s, "--catalog", c, "--format", "json"]);
    let fix = &report["planned_fixes"][0];
    assert_eq!(fix["site"], "lab");
    assert_eq!(fix["outcome"]["status"], "infeasible");
    let reason = fix["outcome"]["reason"].as_str().unwrap();
    assert!(reason.contains("surviving a spine loss"), "{reason}");
    let text = stdout(&dcplan(&["failures", s, "--catalog", c]));
    assert!(text.contains("no design in the catalog meets it"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
