//! Exports: the cable run list and the containerlab topology.

use crate::support::*;
use std::collections::{BTreeSet, HashMap};

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
    for rec in reader.records() {
        let rec = rec.unwrap();
        *per_class.entry((rec[0].to_string(), rec[1].to_string())).or_default() += 1;
        // No switch port carries two links.
        assert!(
            ports.insert((rec[0].to_string(), rec[5].to_string(), rec[6].to_string())),
            "{:?} used twice",
            &rec
        );
        if !rec[13].starts_with("server") {
            assert!(
                ports.insert((rec[0].to_string(), rec[13].to_string(), rec[14].to_string())),
                "{:?} used twice",
                &rec
            );
        }
        assert!(!rec[2].is_empty() && !rec[3].is_empty(), "no location: {:?}", &rec);
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
    let leaves = nodes.keys().filter(|k| k.as_str().unwrap().starts_with("leaf-")).count();
    assert_eq!(leaves, 6);
    for (_, n) in nodes {
        assert_eq!(n["kind"], "nokia_srlinux");
        assert!(n["type"].as_str().unwrap().starts_with("ixr"));
    }
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
    let read = |name: &str| -> Vec<HashMap<String, String>> {
        let mut r = csv::Reader::from_path(dir.join(name)).unwrap();
        let headers = r.headers().unwrap().clone();
        r.records()
            .map(|x| {
                headers.iter().zip(x.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()
            })
            .collect()
    };
    let devices = read("devices.csv");
    let names: BTreeSet<&str> = devices.iter().map(|d| d["name"].as_str()).collect();
    let types: BTreeSet<String> = read("device_types.csv").into_iter().map(|t| t["model"].clone()).collect();
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
    for i in read("interfaces.csv") {
        assert!(names.contains(i["device"].as_str()), "{i:?}");
    }
    let cables = read("cables.csv");
    assert!(!cables.is_empty());
    for c in &cables {
        assert!(
            names.contains(c["side_a_device"].as_str()) && names.contains(c["side_b_device"].as_str()),
            "{c:?}"
        );
        assert_eq!(c["length_unit"], "m");
    }
    // The example's models are named as in the NetBox device-type library.
    assert!(types.contains("7220 IXR-D2L"), "{types:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
