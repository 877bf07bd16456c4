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
    with_override(path, site, dir, "survive_spine_loss", true.into(), None)
}

/// The scenario at `path` with `key: value` in `site`'s fabric override
/// (and its `nics_per_server` set when given), written as YAML into `dir`.
fn with_override(
    path: &Path,
    site: &str,
    dir: &Path,
    key: &str,
    value: serde_yaml::Value,
    nics: Option<u64>,
) -> PathBuf {
    let text = std::fs::read_to_string(path).expect("scenario");
    let mut doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    let sites = doc.get_mut("sites").and_then(|s| s.as_sequence_mut()).expect("sites");
    let s = sites.iter_mut().find(|s| s.get("name").and_then(|n| n.as_str()) == Some(site)).expect("site");
    let map = s.as_mapping_mut().expect("site mapping");
    let fabric = map.entry("fabric".into()).or_insert_with(|| serde_yaml::Value::Mapping(Default::default()));
    fabric.as_mapping_mut().expect("fabric mapping").insert(key.into(), value);
    if let Some(n) = nics {
        map.insert("nics_per_server".into(), n.into());
    }
    let out = dir.join(format!("{site}-{key}.yaml"));
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
    let all = report["planned_fixes"].as_array().expect("planned fixes");
    let fixes: Vec<&Value> = all.iter().filter(|f| f["constraint"] == "survive_spine_loss: true").collect();
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
        assert_eq!(check["figure"], "worst leaf oversubscription after a spine loss");
        assert!(check["value"].as_f64().unwrap() <= target + 1e-9);
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
        assert_eq!(spine_loss(&rerun, site), check["value"].as_f64().unwrap(), "{site}");
        let left = rerun["planned_fixes"].as_array().map_or(0, |v| {
            v.iter().filter(|f| f["site"] == site && f["constraint"] == fix["constraint"]).count()
        });
        assert_eq!(left, 0, "{site}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Metro's bj-changping is single-homed (one NIC port a server): a leaf
/// loss strands its rack. The fix is planned with `homing: dual` and two NIC
/// ports a server, priced as the whole BOM difference, and checked: no leaf
/// loss strands a server on the fixed design. The unpriced advice it
/// replaces is gone.
#[test]
fn the_dual_homing_fix_is_planned_priced_and_checked() {
    let metro = root().join("scenarios/beijing-metro.yaml");
    let metro_s = metro.to_str().unwrap();
    let report = json_of(&["failures", metro_s, "--format", "json"]);
    let fix = report["planned_fixes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["constraint"].as_str().is_some_and(|c| c.starts_with("homing: dual")))
        .expect("a dual-homing fix");
    assert_eq!(fix["site"], "bj-changping");
    assert!(fix["problem"].as_str().unwrap().contains("strands 32 servers"), "{fix}");
    let out = &fix["outcome"];
    assert_eq!(out["status"], "planned");
    let check = &out["check"];
    assert_eq!(
        (check["figure"].as_str(), check["value"].as_f64()),
        (Some("servers stranded by a leaf loss"), Some(0.0))
    );
    assert_eq!(check["meets_target"], true);
    let advice = report["fixes"].as_array().unwrap();
    assert!(
        !advice.iter().any(|a| a["problem"].as_str().unwrap().starts_with("bj-changping: ")),
        "{advice:?}"
    );
    let dir = temp_dir("planned-dual");
    let fixed = with_override(&metro, "bj-changping", &dir, "homing", "dual".into(), Some(2));
    let fixed_s = fixed.to_str().unwrap();
    let (before, after) =
        (json_of(&["bom", metro_s, "--format", "json"]), json_of(&["bom", fixed_s, "--format", "json"]));
    for k in ["hardware_net", "support", "net"] {
        assert_eq!(money(&out["price"][k]), money(&after["totals"][k]) - money(&before["totals"][k]), "{k}");
    }
    let rerun = json_of(&["failures", fixed_s, "--format", "json"]);
    let class =
        rerun["classes"].as_array().unwrap().iter().find(|c| c["class"] == "bj-changping: leaf").unwrap();
    assert!(class["worst_stranded_servers"].get("bj-changping").is_none(), "{class}");
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
