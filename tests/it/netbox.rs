//! The NetBox export imported into a real NetBox (4.7, installed and
//! started by `.ci/run`), through NetBox's own bulk-import views
//! (`tests/netbox/import_check.py`), then read back: every file accepted
//! whole, and NetBox holding what the plan holds.
//!
//! Needs `DCPLAN_NETBOX_PYTHON` (the Python of a configured NetBox, with
//! `NETBOX_ROOT` set). Without it the test says so and passes, unless
//! `DCPLAN_REQUIRE_NETBOX=1` (set by `.ci/run` once NetBox is up), which
//! makes a missing NetBox a failure.

use crate::support::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;

fn netbox_python() -> Option<String> {
    let python = std::env::var("DCPLAN_NETBOX_PYTHON").ok().filter(|p| !p.is_empty());
    if python.is_none() {
        assert!(
            std::env::var("DCPLAN_REQUIRE_NETBOX").as_deref() != Ok("1"),
            "DCPLAN_REQUIRE_NETBOX=1 but DCPLAN_NETBOX_PYTHON is not set"
        );
        eprintln!("no NetBox (DCPLAN_NETBOX_PYTHON unset): the NetBox import test is skipped");
    }
    python
}

/// Exports `scenario` (one site, when given) for NetBox, imports it, and
/// checks what NetBox holds against the files and the plan.
/// `library`: exported with `--device-types library`, imported after the
/// community library's types (`tests/netbox/library_standin.py`).
/// `netbox_root`: the NetBox instance (its `NETBOX_ROOT`), when not the
/// environment's.
fn import_and_check(
    python: &str,
    netbox_root: Option<&str>,
    scenario: &str,
    site: Option<&str>,
    library: bool,
) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("netbox");
    let scenario = root().join(scenario);
    let mut args =
        vec!["export", scenario.to_str().unwrap(), "--to", "netbox", "--out", out.to_str().unwrap()];
    if let Some(site) = site {
        args.extend(["--site", site]);
    }
    if library {
        args.extend(["--device-types", "library"]);
    }
    let export = dcplan(&args);
    assert!(export.status.success(), "{}", stderr(&export));

    let script = root().join("tests/netbox/import_check.py");
    let mut import = Command::new(python);
    if let Some(instance) = netbox_root {
        import.env("NETBOX_ROOT", instance);
    }
    import.arg(&script).arg(&out);
    if library {
        import.arg("--library");
    }
    import.args(dcplan::render::export::NETBOX_FILES);
    let result = import.output().expect("run the NetBox import");
    eprintln!("{}", String::from_utf8_lossy(&result.stderr));
    assert!(
        result.status.success(),
        "NetBox refused the import:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let got: Value = serde_json::from_slice(&result.stdout).expect("the import's JSON");
    let nb = &got["netbox"];
    let count = |k: &str| nb[k].as_u64().unwrap_or_else(|| panic!("{k} in {nb}"));

    // Every row of every file is in NetBox.
    let csv = |name: &str| csv_rows(&out.join(name));
    let devices = csv("devices.csv");
    let cables = csv("cables.csv");
    let files = got["files"].as_array().expect("the files imported");
    assert!(files.iter().all(|f| f["rows"].as_u64().is_some()), "{files:?}");
    for (key, file) in [
        ("sites", "sites.csv"),
        ("locations", "locations.csv"),
        ("racks", "racks.csv"),
        ("power_feeds", "power_feeds.csv"),
        ("devices", "devices.csv"),
        ("module_bays", "module_bays.csv"),
        ("modules", "modules.csv"),
        ("cables", "cables.csv"),
    ] {
        assert_eq!(count(key), csv(file).len() as u64, "{key}: NetBox against {file}");
    }
    // The components NetBox made from the device types' templates.
    let types: Value =
        serde_json::from_slice(&std::fs::read(out.join("device_types.json")).unwrap()).expect("device types");
    let per_type = |model: &str, list: &str| -> u64 {
        let t = types.as_array().unwrap().iter().find(|t| t["model"] == model).expect("the device's type");
        t[list].as_array().map_or(0, |l| l.len() as u64)
    };
    let expected = |list: &str| devices.iter().map(|d| per_type(&d["device_type"], list)).sum::<u64>();
    // Every device has its type's interfaces and bays; NetBox's bays are
    // the templates' and the file's.
    assert_eq!(count("interfaces"), count("interfaces_from_templates"));
    assert_eq!(count("module_bays_all"), count("module_bays") + count("module_bays_from_templates"));
    if library {
        // The library's switches have no power ports of their own: each
        // supply installed is a module with one.
        assert!(count("module_bays_from_templates") >= 2 * devices.len() as u64, "supply bays");
    } else {
        assert_eq!(count("interfaces"), expected("interfaces"));
        assert_eq!(count("power_ports"), expected("power-ports"));
    }
    assert_eq!(count("power_ports"), 2 * devices.len() as u64, "two supplies a switch");
    assert_eq!(count("power_feeds"), 2 * count("racks"), "feeds A and B a rack");
    assert_eq!(nb["racks_by_form_factor"], serde_json::json!({"4-post-cabinet": count("racks")}));
    assert_eq!(count("tagged_devices"), devices.len() as u64, "every device tagged");

    // The devices are the plan's switches, where the plan put them.
    let mut plan_args = vec!["plan", scenario.to_str().unwrap(), "--format", "json"];
    let plan = dcplan(&plan_args);
    plan_args.clear();
    assert!(plan.status.success(), "{}", stderr(&plan));
    let plan: Value = serde_json::from_slice(&plan.stdout).expect("plan JSON");
    let mut switches: BTreeMap<String, u64> = BTreeMap::new();
    for s in plan["sites"].as_array().unwrap() {
        if site.is_some_and(|name| s["name"] != name) {
            continue;
        }
        for tier in s["fabric"]["switches"].as_array().unwrap() {
            let role = tier["role"].as_str().unwrap().to_string();
            *switches.entry(role).or_default() += tier["count"].as_u64().unwrap();
        }
    }
    let by_role: BTreeMap<String, u64> = nb["devices_by_role"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, n)| n.as_u64() != Some(0))
        .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
        .collect();
    assert_eq!(by_role, switches, "devices by role against the plan's tiers");
    let mut planned: Vec<Value> = devices
        .iter()
        .map(|d| {
            let ru: f64 = d["position"].parse().expect("a position");
            serde_json::json!([d["name"], d["rack"], ru])
        })
        .collect();
    planned.sort_by_key(|v| v.to_string());
    let mut held: Vec<Value> = nb["positions"].as_array().unwrap().clone();
    held.sort_by_key(|v| v.to_string());
    assert_eq!(held, planned, "rack and position of every device");

    // Cables: types and lengths as planned, every end on an interface.
    let mut types_planned: BTreeMap<String, u64> = BTreeMap::new();
    let mut length_m = 0.0;
    let mut ends = 0u64;
    for c in &cables {
        *types_planned.entry(c["type"].clone()).or_default() += 1;
        length_m += c["length"].parse::<f64>().unwrap_or(0.0);
        ends += 1 + c["side_b_name"].split(',').count() as u64;
    }
    let types_held: BTreeMap<String, u64> = nb["cables_by_type"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
        .collect();
    assert_eq!(types_held, types_planned);
    let held_m = nb["cable_length_m"].as_f64().unwrap();
    assert!((held_m - length_m).abs() < 0.05 * cables.len() as f64 + 0.1, "{held_m} m against {length_m} m");
    assert_eq!(count("interfaces_cabled"), ends, "each cable end on its interface");
    // Each cable by its label: its ends and its profile as the file says.
    let mut ends_planned: Vec<Value> = cables
        .iter()
        .map(|c| {
            let mut b: Vec<Value> = c["side_b_device"]
                .split(',')
                .zip(c["side_b_name"].split(','))
                .map(|(d, p)| serde_json::json!([d, p]))
                .collect();
            b.sort_by_key(|v| v.to_string());
            serde_json::json!([c["label"], [[c["side_a_device"], c["side_a_name"]]], b, c["profile"]])
        })
        .collect();
    ends_planned.sort_by_key(|v| v.to_string());
    let mut ends_held: Vec<Value> = nb["cable_ends"].as_array().unwrap().clone();
    ends_held.sort_by_key(|v| v.to_string());
    assert_eq!(ends_held, ends_planned, "each cable's ends");
    // Every port a run uses has the run's speed, set by the custom script
    // contrib/netbox/dcplan_interface_speeds.py, which NetBox's worker ran.
    let mut speeds_planned: Vec<Value> = csv("interface_speeds.csv")
        .iter()
        .map(|r| serde_json::json!([r["device"], r["name"], r["speed"].parse::<u64>().expect("Kbps")]))
        .collect();
    speeds_planned.sort_by_key(|v| v.to_string());
    let mut speeds_held: Vec<Value> = nb["speeds"].as_array().unwrap().clone();
    speeds_held.sort_by_key(|v| v.to_string());
    assert!(!speeds_planned.is_empty());
    assert_eq!(speeds_held, speeds_planned, "each used port's speed");
    assert!(cables.iter().any(|c| c["side_b_name"].contains(',')), "a breakout cable among them");
    if library {
        // The library's cages are not channelized: no breakout profile, no lanes.
        assert!(cables.iter().all(|c| c["profile"].is_empty()));
        assert_eq!(count("channels"), 0);
        return;
    }
    // Every lane of a broken-out cage is a channel NetBox traces, by the
    // cable's position, to the peer the plan gave that lane.
    let mut lanes_planned: Vec<Value> = Vec::new();
    for c in cables.iter().filter(|c| !c["profile"].is_empty()) {
        let peers = c["side_b_device"].split(',').zip(c["side_b_name"].split(','));
        for (k, (dev, port)) in peers.enumerate() {
            let lane = format!("{}/{}", c["side_a_name"], k + 1);
            lanes_planned.push(serde_json::json!([c["side_a_device"], lane, dev, port]));
        }
    }
    lanes_planned.sort_by_key(|v| v.to_string());
    let mut lanes_held: Vec<Value> = nb["channel_peers"].as_array().unwrap().clone();
    lanes_held.sort_by_key(|v| v.to_string());
    assert!(!lanes_planned.is_empty());
    assert_eq!(lanes_held, lanes_planned, "each lane's traced peer");
}

#[test]
fn the_netbox_export_imports_into_a_real_netbox_and_matches_the_plan() {
    let Some(python) = netbox_python() else { return };
    // The library's device types on a smaller hall, in the second NetBox
    // instance `.ci/netbox` sets up (a copy of the first's database), side
    // by side with the example; in the same one after it when there is none.
    let python = python.as_str();
    let second = std::env::var("DCPLAN_NETBOX_ROOT_B").ok().filter(|r| !r.is_empty());
    std::thread::scope(|s| {
        let library = second.as_deref().map(|root| {
            s.spawn(move || import_and_check(python, Some(root), "tests/data/netbox-small.yaml", None, true))
        });
        import_and_check(python, None, "scenarios/example.yaml", None, false);
        match library {
            Some(run) => run.join().expect("the library import"),
            None => import_and_check(python, None, "tests/data/netbox-small.yaml", None, true),
        }
    });
    // The smallest metro site (338 switches, 4,100 optics, 2,020 cables)
    // takes NetBox's importer about half an hour on this 2-core machine
    // (0.2 s an optic, 0.4 s a cable): beyond CI's budget, so on request.
    if std::env::var("DCPLAN_NETBOX_METRO").as_deref() == Ok("1") {
        import_and_check(python, None, "scenarios/beijing-metro.yaml", Some("bj-changping"), false);
    }
}
