//! Exports: the cable run list and the containerlab topology.

use crate::support::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[test]
fn cabling_lists_every_link_once_with_both_ends() {
    let dir = std::env::temp_dir().join(format!("dcplan-cab-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("cabling.csv");
    let run = dcplan(&[
        "export",
        "scenarios/beijing-metro.yaml",
        "--to",
        "cabling",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let plan: serde_json::Value =
        serde_json::from_slice(&dcplan(&["plan", "scenarios/beijing-metro.yaml", "--format", "json"]).stdout)
            .unwrap();
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let mut per_class: HashMap<(String, String), u64> = HashMap::new();
    let mut ports = BTreeSet::new();
    let mut labels = BTreeSet::new();
    for rec in reader.deserialize::<BTreeMap<String, String>>() {
        let rec = rec.unwrap();
        let site = &rec["site"];
        // A link's first piece starts at its upper switch, which has an
        // RU; later pieces start at a panel or cassette, which has none.
        if !rec["a_ru"].is_empty() {
            let links: u64 = rec["links"].parse().unwrap_or_else(|_| panic!("links of {rec:?}"));
            *per_class.entry((site.clone(), rec["class"].clone())).or_default() += links;
        }
        // No port carries two pieces (the legs of a trunk leave their
        // panel's rear together).
        for side in ["a", "b"] {
            let (dev, port) = (&rec[&format!("{side}_device")], &rec[&format!("{side}_port")]);
            if port != "rear" {
                assert!(
                    ports.insert((site.clone(), dev.clone(), port.clone())),
                    "{side} end of {rec:?} used twice"
                );
            }
        }
        // Every piece has its own label, the same at both ends.
        assert!(labels.insert((rec["label"].clone(), rec["a_port"].clone())), "label twice: {rec:?}");
        assert!(
            rec["a_end_label"].starts_with(&rec["label"]) && rec["b_end_label"].starts_with(&rec["label"])
        );
        assert!(!rec["a_rack"].is_empty() || rec["class"] == "hand-off", "no location: {rec:?}");
        if rec["class"] == "coherent-line" {
            // A coherent pluggable in the switch's port; no cord in the plan.
            assert!(rec["item"].is_empty() && !rec["a_module_part"].is_empty(), "{rec:?}");
        } else {
            assert!(!rec["colour"].is_empty() && !rec["part_number"].is_empty(), "{rec:?}");
        }
        if rec["class"] == "server-leaf" && rec["b_port"].starts_with("nic-") {
            assert!(!rec["b_ru"].is_empty(), "a server without its RU: {rec:?}");
        }
    }
    for site in plan["sites"].as_array().unwrap() {
        let name = site["name"].as_str().unwrap();
        for l in site["fabric"]["links"].as_array().unwrap() {
            let class = l["class"].as_str().unwrap().to_string();
            let links: u64 = site["fabric"]["links"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|x| x["class"] == class.as_str())
                .map(|x| x["links"].as_u64().unwrap())
                .sum();
            assert_eq!(
                per_class.get(&(name.to_string(), class.clone())).copied().unwrap_or(0),
                links,
                "{name} {class}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn containerlab_topology_is_consistent_and_lab_sized() {
    let dir = std::env::temp_dir().join(format!("dcplan-clab-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("lab.clab.yml");
    let run = dcplan(&[
        "export",
        "scenarios/beijing-metro.yaml",
        "--to",
        "containerlab",
        "--site",
        "bj-changping",
        "--max-leaves",
        "6",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let doc: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let nodes = doc["topology"]["nodes"].as_mapping().unwrap();
    let leaves = nodes.keys().filter(|k| k.as_str().unwrap().starts_with("bj-changping-leaf-")).count();
    assert_eq!(leaves, 6);
    for (_, n) in nodes {
        assert_eq!(n["kind"], "nokia_srlinux");
        // containerlab 0.79's names, with dashes (the dash-less ones are deprecated).
        assert!(n["type"].as_str().unwrap().starts_with("ixr-"), "{n:?}");
    }
    // A pinned image, and a management network that holds every node.
    let image = doc["topology"]["kinds"]["nokia_srlinux"]["image"].as_str().unwrap();
    assert!(image.rsplit('/').next().unwrap().contains(':'), "untagged image {image}");
    let subnet = doc["mgmt"]["ipv4-subnet"].as_str().unwrap();
    let prefix: u32 = subnet.split('/').nth(1).unwrap().parse().unwrap();
    assert!((1u64 << (32 - prefix)) - 3 >= nodes.len() as u64, "{subnet} for {} nodes", nodes.len());
    let mut used = BTreeSet::new();
    for l in doc["topology"]["links"].as_sequence().unwrap() {
        for e in l["endpoints"].as_sequence().unwrap() {
            let (node, port) = e.as_str().unwrap().split_once(':').unwrap();
            assert!(nodes.contains_key(node), "{node} is not a node");
            assert!(port.starts_with("e1-"));
            assert!(used.insert(e.as_str().unwrap().to_string()), "{e:?} used twice");
        }
    }
    // Only SR Linux models can go to containerlab.
    let bad = dcplan(&[
        "export",
        "scenarios/example.yaml",
        "--catalog",
        "catalogs/merchant-whitebox.yaml",
        "--to",
        "containerlab",
        "--site",
        "bj-yizhuang-dc1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("SR Linux"), "{}", stderr(&bad));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn netbox_csvs_reference_only_what_they_define() {
    let dir = std::env::temp_dir().join(format!("dcplan-nb-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let run = dcplan(&["export", "scenarios/example.yaml", "--to", "netbox", "--out", dir.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let read = |name: &str| csv_rows(&dir.join(name));
    let devices = read("devices.csv");
    let names: BTreeSet<&str> = devices.iter().map(|d| d["name"].as_str()).collect();
    let device_types: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("device_types.json")).unwrap()).unwrap();
    let ports_of: HashMap<String, BTreeSet<String>> = device_types
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let names = t["interfaces"].as_array().unwrap().iter();
            (
                t["model"].as_str().unwrap().to_string(),
                names.map(|i| i["name"].as_str().unwrap().to_string()).collect(),
            )
        })
        .collect();
    let types: BTreeSet<String> = ports_of.keys().cloned().collect();
    let racks: BTreeSet<String> = read("racks.csv").into_iter().map(|r| r["name"].clone()).collect();
    let roles: BTreeSet<String> = read("device_roles.csv").into_iter().map(|r| r["slug"].clone()).collect();
    for d in &devices {
        assert!(
            types.contains(&d["device_type"]) && racks.contains(&d["rack"]) && roles.contains(&d["role"]),
            "{d:?}"
        );
        assert!(d["position"].parse::<u32>().unwrap() >= 1);
    }
    assert_eq!(names.len(), devices.len(), "device names are unique");
    let type_of: HashMap<&str, &str> =
        devices.iter().map(|d| (d["name"].as_str(), d["device_type"].as_str())).collect();
    let cables = read("cables.csv");
    assert!(!cables.is_empty());
    let mut labels = BTreeSet::new();
    for c in &cables {
        // Every end is a port its device's type has (a breakout: one port
        // on side A, its lanes' peers on side B).
        for side in ["side_a", "side_b"] {
            let devices: Vec<&str> = c[&format!("{side}_device")].split(',').collect();
            let ports: Vec<&str> = c[&format!("{side}_name")].split(',').collect();
            assert_eq!(devices.len(), ports.len(), "{c:?}");
            for (d, p) in devices.iter().zip(&ports) {
                assert!(names.contains(d), "{c:?}");
                assert!(ports_of[type_of[d]].contains(*p), "{d} has no port {p}: {c:?}");
            }
        }
        assert_eq!(c["length_unit"], "m");
        assert!(labels.insert(c["label"].clone()), "labels are unique: {c:?}");
        assert!(!c["color"].is_empty() && c["tags"] == "dcplan", "{c:?}");
        let lanes = c["side_b_name"].split(',').count();
        assert_eq!(c["profile"].is_empty(), lanes == 1, "{c:?}");
    }
    // The example's models are named as the catalog names them.
    assert!(types.contains("7220 IXR-D2L"), "{types:?}");

    // Optics are modules, one per cage, in a bay of their device, of a type
    // the module types define; per model they add up to the plan's optics.
    let module_types: BTreeSet<String> =
        read("module_types.csv").into_iter().map(|t| t["model"].clone()).collect();
    let bays: BTreeSet<(String, String)> =
        read("module_bays.csv").into_iter().map(|b| (b["device"].clone(), b["name"].clone())).collect();
    let mut per_model: HashMap<String, u64> = HashMap::new();
    let modules = read("modules.csv");
    for m in &modules {
        assert!(names.contains(m["device"].as_str()), "{m:?}");
        assert!(bays.contains(&(m["device"].clone(), m["module_bay"].clone())), "{m:?} has no bay");
        assert!(module_types.contains(&m["module_type"]), "{m:?} has no module type");
        *per_model.entry(m["module_type"].clone()).or_default() += 1;
    }
    assert_eq!(bays.len(), modules.len(), "one module per bay");
    let catalog: serde_json::Value =
        serde_json::from_slice(&dcplan(&["catalog", "--format", "json"]).stdout).unwrap();
    let model_of = |id: &str| -> Option<String> {
        let optic = catalog["grey_optics"].as_array().unwrap().iter().find(|o| o["id"] == id)?;
        Some(optic["model"].as_str().unwrap().to_string())
    };
    let plan: serde_json::Value =
        serde_json::from_slice(&dcplan(&["plan", "scenarios/example.yaml", "--format", "json"]).stdout)
            .unwrap();
    let mut planned: HashMap<String, u64> = HashMap::new();
    for site in plan["sites"].as_array().unwrap() {
        for l in site["fabric"]["links"].as_array().unwrap() {
            if l["media"] != "optics" {
                continue;
            }
            for p in l["parts"].as_array().unwrap() {
                if let Some(model) = model_of(p["item"].as_str().unwrap()) {
                    *planned.entry(model).or_default() += p["quantity"].as_u64().unwrap();
                }
            }
        }
    }
    assert!(!planned.is_empty());
    assert_eq!(per_model, planned);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The containerlab exports of a scenario's sites, as JSON values.
fn clab_exports(scenario: &str, extra: &[&str]) -> Vec<(String, serde_json::Value)> {
    let plan: serde_json::Value =
        serde_json::from_slice(&dcplan(&["plan", scenario, "--format", "json"]).stdout).unwrap();
    let dir = std::env::temp_dir().join(format!("dcplan-clab-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut out = Vec::new();
    for site in plan["sites"].as_array().unwrap() {
        let name = site["name"].as_str().unwrap();
        let file = dir.join(format!("{name}.clab.yml"));
        let mut args =
            vec!["export", scenario, "--to", "containerlab", "--site", name, "--out", file.to_str().unwrap()];
        args.extend_from_slice(extra);
        let run = dcplan(&args);
        assert_eq!(run.status.code(), Some(0), "{name}: {}", stderr(&run));
        let yaml: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        out.push((format!("{scenario} {name} {extra:?}"), serde_json::to_value(yaml).unwrap()));
    }
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn schema_errors(validator: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    validator.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

fn clab_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/data/containerlab/topology.schema.json")).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).expect("the schema compiles")
}

#[test]
fn containerlab_exports_are_valid_against_the_topology_schema() {
    let ours = clab_validator();
    // The full published schema, when a copy is at hand (.ci/run fetches one
    // when the network allows; nothing is fetched from here).
    let published = std::env::var_os("DCPLAN_CLAB_SCHEMA").map(|path| {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("DCPLAN_CLAB_SCHEMA: {e}"));
        jsonschema::validator_for(&serde_json::from_str(&text).unwrap())
            .expect("the published schema compiles")
    });
    if published.is_none() {
        eprintln!("note: DCPLAN_CLAB_SCHEMA not set; checked against tests/data/containerlab only");
    }
    // A one-switch site: no links at all.
    let dir = std::env::temp_dir().join(format!("dcplan-clab-one-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let one = dir.join("one.yaml");
    std::fs::write(&one, "kind: scenario\nformat_version: 1\nname: one rack\nfabric: {leaf_oversubscription: 3, homing: single}\nsites:\n  - {name: a, servers: 20, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 20, rack_power_budget_kw: 15, pue: 1.3}\n").unwrap();
    let mut docs = clab_exports("scenarios/example.yaml", &[]);
    docs.extend(clab_exports("scenarios/beijing-metro.yaml", &["--max-leaves", "4"]));
    docs.extend(clab_exports(one.to_str().unwrap(), &[]));
    assert!(docs.len() >= 5);
    for (what, doc) in &docs {
        let errors = schema_errors(&ours, doc);
        assert!(errors.is_empty(), "{what}: {errors:#?}");
        if let Some(v) = &published {
            let errors = schema_errors(v, doc);
            assert!(errors.is_empty(), "{what} against the published schema: {errors:#?}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The schema check catches what containerlab would refuse.
#[test]
fn the_topology_schema_rejects_what_containerlab_refuses() {
    let v = clab_validator();
    let (_, good) = clab_exports("scenarios/example.yaml", &["--max-leaves", "2"]).remove(0);
    assert!(schema_errors(&v, &good).is_empty());
    type Break = Box<dyn Fn(&mut serde_json::Value)>;
    let broken: Vec<(&str, Break)> = vec![
        ("no name", Box::new(|d| d.as_object_mut().unwrap().remove("name").map(drop).unwrap())),
        ("unknown top-level key", Box::new(|d| d["topolgy"] = serde_json::json!({}))),
        (
            "deprecated dash-less type",
            Box::new(|d| {
                let n = d["topology"]["nodes"].as_object_mut().unwrap().values_mut().next().unwrap();
                n["type"] = "ixrd2l".into();
            }),
        ),
        (
            "untagged image",
            Box::new(|d| {
                d["topology"]["kinds"]["nokia_srlinux"]["image"] = "ghcr.io/nokia/srlinux".into();
            }),
        ),
        ("empty links", Box::new(|d| d["topology"]["links"] = serde_json::json!([]))),
        (
            "one-ended link",
            Box::new(|d| {
                let l = &mut d["topology"]["links"][0]["endpoints"];
                l.as_array_mut().unwrap().pop();
            }),
        ),
        (
            "Linux interface name",
            Box::new(|d| {
                d["topology"]["links"][0]["endpoints"][0] = "leaf-0:eth1".into();
            }),
        ),
        (
            "a link to itself",
            Box::new(|d| {
                let e = d["topology"]["links"][0]["endpoints"][0].clone();
                d["topology"]["links"][0]["endpoints"][1] = e;
            }),
        ),
    ];
    for (what, f) in broken {
        let mut doc = good.clone();
        f(&mut doc);
        assert!(!schema_errors(&v, &doc).is_empty(), "{what} passed the schema");
    }
}

/// One placement for every output: the NetBox racks are the plan's racks
/// (as many of each role), numbered without gaps, one tier to a network
/// rack, and no network rack holds more switches than the rack budget
/// allows at their maximum draw (optics not even counted).
#[test]
fn exported_racks_are_the_plans_racks_within_the_power_budget() {
    let catalog: serde_json::Value =
        serde_json::from_slice(&dcplan(&["catalog", "--format", "json"]).stdout).unwrap();
    // A device type is the catalog's model, with its broken-out cages after it.
    let max_w = |device_type: &str| -> f64 {
        let model = device_type.split(" (breakout ").next().unwrap();
        let sw =
            catalog["switches"].as_array().unwrap().iter().find(|s| s["model"] == model).expect("a switch");
        sw["power_w"]["max"].as_f64().unwrap()
    };
    for scenario in ["scenarios/example.yaml", "scenarios/beijing-metro.yaml", "scenarios/hyperscale.yaml"] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("nb");
        let run = dcplan(&["export", scenario, "--to", "netbox", "--out", out.to_str().unwrap()]);
        assert!(run.status.success(), "{}", stderr(&run));
        let read = |name: &str| -> Vec<HashMap<String, String>> {
            let mut r = csv::Reader::from_path(out.join(name)).unwrap();
            let headers = r.headers().unwrap().clone();
            r.records()
                .map(|x| headers.iter().zip(x.unwrap().iter()).map(|(h, v)| (h.into(), v.into())).collect())
                .collect()
        };
        let racks = read("racks.csv");
        let devices = read("devices.csv");
        let plan: serde_json::Value =
            serde_json::from_slice(&dcplan(&["plan", scenario, "--format", "json"]).stdout).unwrap();
        for site in plan["sites"].as_array().unwrap() {
            let name = site["name"].as_str().unwrap();
            let figures = &site["rack_figures"];
            let of_role =
                |role: &str| racks.iter().filter(|r| r["site"] == name && r["role"] == role).count() as u64;
            assert_eq!(of_role("network"), figures["network_racks"].as_u64().unwrap(), "{scenario} {name}");
            assert_eq!(of_role("servers"), figures["server_racks"].as_u64().unwrap(), "{scenario} {name}");
            let budget_w = figures["rack_budget_w"].as_f64().unwrap();
            let mut per_rack: BTreeMap<&str, Vec<&HashMap<String, String>>> = BTreeMap::new();
            for d in devices.iter().filter(|d| d["site"] == name && d["role"] != "leaf") {
                per_rack.entry(d["rack"].as_str()).or_default().push(d);
            }
            for (rack, held) in &per_rack {
                let roles: BTreeSet<&str> = held.iter().map(|d| d["role"].as_str()).collect();
                assert_eq!(roles.len(), 1, "{rack} mixes tiers: {roles:?}");
                let draw: f64 = held.iter().map(|d| max_w(&d["device_type"])).sum();
                assert!(draw <= budget_w, "{rack}: {draw} W of switches against a {budget_w} W budget");
            }
            // Numbered without gaps, per kind of network rack.
            for kind in ["-net-", "-border-"] {
                let mut numbers: Vec<u64> = per_rack
                    .keys()
                    .filter_map(|r| r.rsplit_once(kind).and_then(|(_, n)| n.parse().ok()))
                    .collect();
                numbers.sort_unstable();
                assert!(numbers.iter().enumerate().all(|(i, &n)| n == i as u64), "{name}{kind}: {numbers:?}");
            }
        }
    }
}

#[test]
fn servers_that_do_not_fit_their_rack_are_refused_at_their_line() {
    let dir = std::env::temp_dir().join(format!("dcplan-sru-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("s.yaml");
    std::fs::write(&file, "kind: scenario\nformat_version: 1\nname: tall servers\nfabric: {leaf_oversubscription: 3, homing: single}\nsites:\n  - name: a\n    servers: 80\n    nics_per_server: 1\n    nic_speed_gbps: 25\n    servers_per_rack: 40\n    server_rack_units: 2\n    rack_power_budget_kw: 15\n    pue: 1.3\n").unwrap();
    let run = dcplan(&["check", file.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(err.contains("s.yaml:11:24") && err.contains("40 servers of 2 U take 80 U"), "{err}");
    assert!(err.contains("lower servers_per_rack to 20"), "{err}");
    // Servers that fit get their RU, from 1 up, 2 U apart.
    std::fs::write(
        &file,
        std::fs::read_to_string(&file).unwrap().replace("servers_per_rack: 40", "servers_per_rack: 20"),
    )
    .unwrap();
    let out = dir.join("cabling.csv");
    let run = dcplan(&["export", file.to_str().unwrap(), "--to", "cabling", "--out", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let mut rus = BTreeSet::new();
    for rec in reader.deserialize::<BTreeMap<String, String>>() {
        let rec = rec.unwrap();
        if rec["b_port"].starts_with("nic-") && rec["b_rack"] == "a-r00-00" {
            rus.insert(rec["b_ru"].parse::<u32>().unwrap());
        }
    }
    assert_eq!(rus, (0..20).map(|k| 1 + 2 * k).collect::<BTreeSet<u32>>());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn netbox_speeds_are_every_used_switch_port_at_its_runs_speed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nb");
    let cabling = dir.path().join("cabling.csv");
    let s = "scenarios/example.yaml";
    assert!(dcplan(&["export", s, "--to", "netbox", "--out", out.to_str().unwrap()]).status.success());
    assert!(dcplan(&["export", s, "--to", "cabling", "--out", cabling.to_str().unwrap()]).status.success());
    let speeds = csv_rows(&out.join("interface_speeds.csv"));
    let held: BTreeSet<(String, String, u64)> = speeds
        .iter()
        .map(|r| (r["device"].clone(), r["name"].clone(), r["speed"].parse().unwrap()))
        .collect();
    assert_eq!(held.len(), speeds.len(), "each port once");
    // The run list's pieces name every switch port at their ends (servers'
    // NICs and hand-off ports are not switches'), at the run's speed; a
    // cage whose piece carries several links is broken out, its lanes
    // `<cage>/L` each at that speed.
    let mut expected = BTreeSet::new();
    let list = csv::Reader::from_path(&cabling).unwrap().into_deserialize::<HashMap<String, String>>();
    for row in list.map(Result::unwrap) {
        let kbps: u64 = row["speed_gbps"].parse::<u64>().unwrap() * 1_000_000;
        let links: u64 = row["links"].parse().unwrap_or(1);
        for side in ["a", "b"] {
            let (dev, port) = (&row[&format!("{side}_device")], &row[&format!("{side}_port")]);
            if !port.starts_with("ethernet-1/") || dev.contains("-server-") {
                continue;
            }
            if links > 1 && port.matches('/').count() == 1 {
                expected.extend((1..=links).map(|l| (dev.clone(), format!("{port}/{l}"), kbps)));
            } else {
                expected.insert((dev.clone(), port.clone(), kbps));
            }
        }
    }
    assert_eq!(held, expected);
    // Lanes of the channelized spine cages are there, at the lane's speed.
    assert!(held
        .iter()
        .any(|(d, p, s)| d.contains("spine") && p.matches('/').count() == 2 && *s == 100_000_000));
}

#[test]
fn netbox_export_with_the_library_s_types_refers_to_them_and_installs_supplies() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nb");
    let args = ["export", "scenarios/example.yaml", "--to", "netbox", "--device-types", "library", "--out"];
    let run = dcplan(&[&args[..], &[out.to_str().unwrap()]].concat());
    assert!(run.status.success(), "{}", stderr(&run));
    let catalog: serde_json::Value =
        serde_json::from_slice(&dcplan(&["catalog", "--format", "json"]).stdout).unwrap();
    let library: HashMap<&str, &serde_json::Value> = catalog["switches"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| Some((s["netbox_library"]["model"].as_str()?, &s["netbox_library"])))
        .collect();
    let devices = csv_rows(&out.join("devices.csv"));
    assert!(devices.iter().all(|d| library.contains_key(d["device_type"].as_str())), "all from the library");
    assert_eq!(std::fs::read_to_string(out.join("device_types.json")).unwrap().trim(), "[]");
    // Two supplies a switch, each in one of its type's supply bays.
    let supplies: Vec<_> = csv_rows(&out.join("modules.csv"))
        .into_iter()
        .filter(|m| m["module_bay"].starts_with("PS"))
        .collect();
    assert_eq!(supplies.len(), 2 * devices.len());
    for m in &supplies {
        let d = devices.iter().find(|d| d["name"] == m["device"]).unwrap();
        let lib = library[d["device_type"].as_str()];
        assert_eq!(m["module_type"], lib["power_supply"].as_str().unwrap());
        assert!(lib["power_bays"].as_array().unwrap().iter().any(|b| b == m["module_bay"].as_str()));
    }
    // Cages are not channelized: no profile, no lane among the speeds.
    let cables = csv_rows(&out.join("cables.csv"));
    assert!(cables.iter().any(|c| c["side_b_name"].contains(',')));
    assert!(cables.iter().all(|c| c["profile"].is_empty()));
    assert!(csv_rows(&out.join("interface_speeds.csv")).iter().all(|r| r["name"].matches('/').count() == 1));
    // The option is the NetBox export's only.
    let cabling = dir.path().join("c.csv");
    let other = dcplan(&[
        "export",
        "scenarios/example.yaml",
        "--to",
        "cabling",
        "--device-types",
        "library",
        "--out",
        cabling.to_str().unwrap(),
    ]);
    assert_eq!(other.status.code(), Some(2));
    assert!(stderr(&other).contains("--to netbox"), "{}", stderr(&other));
}
