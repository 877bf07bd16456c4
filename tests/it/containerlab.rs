//! containerlab topologies against containerlab's own rules (v0.79.0, the
//! version the README names) and against the plan: the lab `--max-leaves`
//! keeps, interface and node names, and the startup configs.

use crate::support::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The containerlab export of one site, as JSON.
fn export(scenario: &str, site: &str, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lab.clab.yml");
    let mut args =
        vec!["export", scenario, "--to", "containerlab", "--site", site, "--out", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let run = dcplan(&args);
    assert_eq!(run.status.code(), Some(0), "{site} {extra:?}: {}", stderr(&run));
    let yaml: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    serde_json::to_value(yaml).unwrap()
}

fn json_of(args: &[&str]) -> Value {
    let run = dcplan(args);
    assert!(run.status.success(), "{args:?}: {}", stderr(&run));
    serde_json::from_slice(&run.stdout).unwrap()
}

/// A whole-string regular expression match, through the JSON Schema
/// validator's regex engine (the test has no regex crate of its own).
struct Pattern(jsonschema::Validator);

impl Pattern {
    fn new(re: &str) -> Pattern {
        let schema = serde_json::json!({"type": "string", "pattern": format!("^(?:{re})$")});
        Pattern(jsonschema::validator_for(&schema).expect("the pattern compiles"))
    }
    fn matches(&self, s: &str) -> bool {
        self.0.is_valid(&Value::from(s))
    }
}

/// The exports every test here looks at: two tiers whole and as a lab,
/// three tiers as labs of one pod and of two.
fn exports() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (scenario, site, extra) in [
        ("scenarios/example.yaml", "bj-yizhuang-dc1", &[][..]),
        ("scenarios/example.yaml", "bj-yizhuang-dc1", &["--max-leaves", "4"][..]),
        ("scenarios/beijing-metro.yaml", "bj-changping", &["--max-leaves", "4"][..]),
        ("scenarios/beijing-metro.yaml", "bj-changping", &["--max-leaves", "20"][..]),
    ] {
        out.push((format!("{site} {extra:?}"), export(scenario, site, extra)));
    }
    out
}

/// Each link's two endpoints as (node, interface).
fn endpoints(doc: &Value) -> Vec<[(String, String); 2]> {
    let links = doc["topology"]["links"].as_array().map_or(&[][..], Vec::as_slice);
    links
        .iter()
        .map(|l| {
            let end = |i: usize| {
                let (n, p) = l["endpoints"][i].as_str().unwrap().split_once(':').unwrap();
                (n.to_string(), p.to_string())
            };
            [end(0), end(1)]
        })
        .collect()
}

/// A plan's site by name.
fn site<'a>(plan: &'a Value, name: &str) -> &'a Value {
    plan["sites"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap()
}

/// The tier of a plan's site by role.
fn tier<'a>(site: &'a Value, role: &str) -> Option<&'a Value> {
    site["fabric"]["switches"].as_array().unwrap().iter().find(|t| t["role"] == role)
}

/// `--max-leaves` keeps the pods its leaves use, their spines, and in each
/// plane the superspines the spines' uplinks need (design/lab.rs states the
/// rule); every lab switch has a link and every lab spine keeps the
/// design's links to every lab superspine of its plane.
#[test]
fn a_lab_keeps_every_tier_to_what_its_leaves_need() {
    let metro = json_of(&["plan", "scenarios/beijing-metro.yaml", "--format", "json"]);
    let example = json_of(&["plan", "scenarios/example.yaml", "--format", "json"]);
    // (plan, scenario, site, leaves, then leaves, spines, superspines): the
    // counts worked out by hand from the plans (bj-changping: 15 leaves a
    // pod, 4 planes, 60 uplinks a spine, 12 to each of 5 superspines; 4
    // leaves need 16 uplinks, so 2 superspines a plane).
    let cases = [
        (&metro, "scenarios/beijing-metro.yaml", "bj-changping", 4, (4, 4, 8)),
        (&metro, "scenarios/beijing-metro.yaml", "bj-changping", 1, (1, 4, 4)),
        (&metro, "scenarios/beijing-metro.yaml", "bj-changping", 20, (20, 8, 20)),
        (&example, "scenarios/example.yaml", "bj-yizhuang-dc1", 4, (4, 4, 0)),
    ];
    for (plan, scenario, name, leaves, (want_leaves, want_spines, want_ss)) in cases {
        let doc = export(scenario, name, &["--max-leaves", &leaves.to_string()]);
        let nodes: BTreeSet<String> = doc["topology"]["nodes"].as_object().unwrap().keys().cloned().collect();
        let count = |role: &str| nodes.iter().filter(|n| n.starts_with(&format!("{name}-{role}-"))).count();
        let what = format!("{name} --max-leaves {leaves}");
        assert_eq!(
            (count("leaf"), count("spine"), count("superspine")),
            (want_leaves, want_spines, want_ss),
            "{what}"
        );
        assert_eq!(count("border-leaf"), 0, "{what}: no border leaves planned");
        // The rule, from the plan's own figures.
        let f = &site(plan, name)["fabric"];
        let per_pod = f["leaves_per_pod"].as_u64().unwrap();
        let planes = f["spines_per_pod"].as_u64().unwrap();
        let pods = (leaves as u64).div_ceil(per_pod);
        assert_eq!(count("spine") as u64, pods * planes, "{what}");
        if let Some(spine) = tier(site(plan, name), "spine").filter(|_| f["superspines_per_plane"] != 0) {
            let (up, pair) =
                (spine["up_links"].as_u64().unwrap(), spine["links_per_peer_up"].as_u64().unwrap());
            let needed = (up * (leaves as u64).min(per_pod)).div_ceil(per_pod);
            let per_plane = needed.div_ceil(pair).clamp(1, f["superspines_per_plane"].as_u64().unwrap());
            assert_eq!(count("superspine") as u64, per_plane * planes, "{what}");
            // Every lab spine to every lab superspine of its plane, `pair` links each.
            let mut pairs: BTreeMap<(String, String), u64> = BTreeMap::new();
            for [a, b] in endpoints(&doc) {
                if a.0.contains("-superspine-") {
                    *pairs.entry((a.0, b.0)).or_default() += 1;
                }
            }
            for ss in nodes.iter().filter(|n| n.contains("-superspine-")) {
                let plane = ss.rsplit('-').nth(1).unwrap();
                for sp in nodes.iter().filter(|n| n.contains("-spine-") && n.ends_with(&format!("-{plane}")))
                {
                    assert_eq!(pairs.remove(&(ss.clone(), sp.clone())), Some(pair), "{what}: {ss} to {sp}");
                }
            }
            assert!(pairs.is_empty(), "{what}: links across planes {pairs:?}");
        }
        lab_is_closed(&what, &doc);
    }
}

/// Every node has a link, every endpoint names a node of the lab, no
/// interface is used twice.
fn lab_is_closed(what: &str, doc: &Value) {
    let nodes: BTreeSet<&str> =
        doc["topology"]["nodes"].as_object().unwrap().keys().map(String::as_str).collect();
    let mut linked = BTreeSet::new();
    let mut used = BTreeSet::new();
    for ends in endpoints(doc) {
        for (node, port) in ends {
            assert!(nodes.contains(node.as_str()), "{what}: {node} is not a node of the lab");
            assert!(used.insert((node.clone(), port.clone())), "{what}: {node}:{port} used twice");
            linked.insert(node);
        }
    }
    let lonely: Vec<&&str> = nodes.iter().filter(|n| !linked.contains(**n)).collect();
    assert!(lonely.is_empty(), "{what}: nodes without a link: {lonely:?}");
}

#[test]
fn every_lab_is_closed() {
    for (what, doc) in exports() {
        lab_is_closed(&what, &doc);
    }
}

/// Endpoint interfaces as containerlab v0.79.0's SR Linux kind accepts them
/// (nodes/srl/srl.go, `CheckInterfaceName`: `(:?e|ethernet)\d+-\d+(-\d+)?`
/// or `mgmt0`; `GetMappedInterfaceName`: every index at least 1), and node
/// names as its schema allows them (schemas/clab.schema.json,
/// `topology.nodes` pattern properties: `^[a-zA-Z0-9][a-zA-Z0-9-._|]*$`).
/// Matched against the whole name: stricter than Go's unanchored
/// `MatchString` containerlab calls.
#[test]
fn names_follow_containerlab_rules() {
    let interface = Pattern::new(r"(:?e|ethernet)\d+-\d+(-\d+)?|mgmt0");
    let node_name = Pattern::new(r"[a-zA-Z0-9][a-zA-Z0-9-._|]*");
    assert!(interface.matches("e1-49") && interface.matches("e1-12-3") && !interface.matches("eth1"));
    assert!(!interface.matches("e1-1/2") && !node_name.matches("-leaf") && !node_name.matches("leaf 0"));
    for (what, doc) in exports() {
        for name in doc["topology"]["nodes"].as_object().unwrap().keys() {
            assert!(node_name.matches(name), "{what}: node name {name}");
        }
        for (node, port) in endpoints(&doc).into_iter().flatten() {
            assert!(interface.matches(&port), "{what}: {node}:{port}");
            let indices = port.trim_start_matches('e').split('-').map(|i| i.parse::<u64>().unwrap());
            assert!(indices.clone().all(|i| i >= 1), "{what}: {node}:{port}");
        }
    }
}

/// One cage of a catalog switch by its front-panel number (data ports
/// numbered in group order, management ports left out, as placement does).
fn cage_group<'a>(catalog: &'a Value, switch_id: &str, cage: u64) -> &'a Value {
    let sw = catalog["switches"].as_array().unwrap().iter().find(|s| s["id"] == switch_id).unwrap();
    let mut first = 1;
    for g in sw["ports"].as_array().unwrap().iter().filter(|g| g["management"] != true) {
        let count = g["count"].as_u64().unwrap();
        if (first..first + count).contains(&cage) {
            return g;
        }
        first += count;
    }
    panic!("{switch_id} has no cage {cage}")
}

/// The speed of the links between two roles, from the plan's tiers.
fn link_speed(site: &Value, a: &str, b: &str) -> u64 {
    let lower = if a.contains("-superspine-") || b.contains("-superspine-") { "spine" } else { "leaf" };
    tier(site, lower).unwrap()["up_speed_gbps"].as_u64().unwrap()
}

/// The startup configs: well-formed lines of the forms SR Linux 25.3
/// takes; every broken-out cage with exactly one breakout-mode line, with
/// the lanes and speed of the plan (the catalog's widest breakout of the
/// cage to the link's speed); no speed or breakout on a cage the lab does
/// not break out; every endpoint's interface (and a lane's cage) enabled.
#[test]
fn startup_configs_set_every_breakout_and_enable_every_interface() {
    let catalog = json_of(&["catalog", "--format", "json"]);
    let enable = Pattern::new(r"set / interface ethernet-1/[1-9][0-9]*(/[1-9][0-9]*)? admin-state enable");
    let speed = "(1|10|25|40|50|100|200|400|800)G";
    let port_speed =
        Pattern::new(&format!(r"set / interface ethernet-1/[1-9][0-9]* ethernet port-speed {speed}"));
    let breakout = Pattern::new(&format!(
        r"set / interface ethernet-1/[1-9][0-9]* breakout-mode num-breakout-ports (2|4|8) breakout-port-speed {speed}"
    ));
    let plans = [
        ("bj-yizhuang-dc1", json_of(&["plan", "scenarios/example.yaml", "--format", "json"])),
        ("bj-changping", json_of(&["plan", "scenarios/beijing-metro.yaml", "--format", "json"])),
    ];
    for (what, doc) in exports() {
        let (name, plan) = plans.iter().find(|(n, _)| what.starts_with(n)).unwrap();
        let site = site(plan, name);
        let mut lanes_of: BTreeMap<(String, u64), (u64, BTreeSet<u64>)> = BTreeMap::new();
        let mut ifaces: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for [a, b] in endpoints(&doc) {
            let gbps = link_speed(site, &a.0, &b.0);
            for (node, port) in [a, b] {
                let n: Vec<u64> = port[1..].split('-').map(|i| i.parse().unwrap()).collect();
                let srl = n.iter().skip(1).map(u64::to_string).collect::<Vec<_>>().join("/");
                ifaces.entry(node.clone()).or_default().insert(format!("ethernet-1/{srl}"));
                if let [_, cage, lane] = n[..] {
                    let entry = lanes_of.entry((node, cage)).or_insert((gbps, BTreeSet::new()));
                    assert_eq!(entry.0, gbps, "{what}: one speed a cage");
                    entry.1.insert(lane);
                }
            }
        }
        for (node, n) in doc["topology"]["nodes"].as_object().unwrap() {
            let config = n["startup-config"].as_str().unwrap_or_default();
            let lines: Vec<&str> = config.lines().collect();
            for l in &lines {
                assert!(
                    enable.matches(l) || port_speed.matches(l) || breakout.matches(l),
                    "{what} {node}: {l}"
                );
            }
            assert_eq!(
                lines.iter().collect::<BTreeSet<_>>().len(),
                lines.len(),
                "{what} {node}: a line twice"
            );
            let has = |l: String| lines.contains(&l.as_str());
            for i in ifaces.get(node).into_iter().flatten() {
                assert!(
                    has(format!("set / interface {i} admin-state enable")),
                    "{what} {node}: {i} not enabled"
                );
                let cage = i.splitn(3, '/').take(2).collect::<Vec<_>>().join("/");
                assert!(has(format!("set / interface {cage} admin-state enable")), "{what} {node}: {cage}");
            }
            let switch_id = n["type"].as_str().unwrap();
            for l in lines.iter().filter(|l| l.contains(" breakout-mode ") || l.contains(" port-speed ")) {
                let cage: u64 =
                    l.split(' ').nth(3).unwrap().trim_start_matches("ethernet-1/").parse().unwrap();
                let Some((gbps, lanes)) = lanes_of.get(&(node.clone(), cage)) else {
                    panic!("{what} {node}: {l} on a cage the lab does not break out");
                };
                let widest = cage_group(&catalog, switch_id, cage)["breakouts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|b| b["speed_gbps"] == *gbps)
                    .map(|b| b["lanes"].as_u64().unwrap())
                    .max()
                    .unwrap();
                let want = format!(
                    "set / interface ethernet-1/{cage} breakout-mode num-breakout-ports {widest} breakout-port-speed {gbps}G"
                );
                assert_eq!(*l, want, "{what} {node}");
                assert!(lanes.iter().all(|&x| x <= widest), "{what} {node}: lanes {lanes:?} of {widest}");
            }
            for (_, cage) in lanes_of.keys().filter(|(n, _)| n == node) {
                let prefix = format!("set / interface ethernet-1/{cage} breakout-mode ");
                assert_eq!(
                    lines.iter().filter(|l| l.starts_with(&prefix)).count(),
                    1,
                    "{what} {node}: cage {cage}"
                );
            }
        }
    }
}

/// The lab rule at the placement: border leaves (every one, each with its
/// uplinks to the spines a lab keeps), and the hand-off runs of the top
/// switches kept only.
#[test]
fn a_lab_places_border_leaves_and_hand_offs_only_of_switches_kept() {
    use dcplan::design::placement;
    let c = super::search::border_catalog();
    let scenario = super::search::border_scenario(&c, "cost", 1.0);
    let site =
        dcplan::plan::plan_site(&c, &scenario, &scenario.sites[0], &super::search::slow_need()).unwrap();
    let border = site.fabric.border_leaf.clone().expect("border leaves");
    let metro = {
        let catalog = crate::support::without_fabric_zr(
            dcplan::load::load_catalog(&dcplan::load::Source::embedded_catalog()).unwrap().value,
        );
        let source = dcplan::load::read_source(&root().join("scenarios/beijing-metro.yaml")).unwrap();
        let scenario = dcplan::load::load_scenario(&source, &catalog).unwrap().value;
        let plan = dcplan::plan::plan(&catalog, &scenario).unwrap();
        (catalog, plan.sites.into_iter().find(|s| s.name == "bj-changping").unwrap())
    };
    for (catalog, design, leaves) in [(&c, &site.fabric, 3), (&metro.0, &metro.1.fabric, 4)] {
        let (placed, runs) = placement::place(design, catalog, Some(leaves));
        let names: BTreeSet<&str> = placed.iter().map(|p| p.name.as_str()).collect();
        let mut linked = BTreeSet::new();
        for r in &runs {
            assert!(names.contains(r.a_device.as_str()), "{}: {} not placed", design.site, r.a_device);
            linked.insert(r.a_device.as_str());
            if r.class != "server-leaf" && r.class != "hand-off" {
                assert!(names.contains(r.b_device.as_str()), "{}: {} not placed", design.site, r.b_device);
                linked.insert(r.b_device.as_str());
            }
        }
        assert_eq!(linked, names, "{}: every switch placed has a run", design.site);
    }
    let (placed, runs) = placement::place(&site.fabric, &c, Some(3));
    let borders = placed.iter().filter(|p| p.name.starts_with("border-leaf-")).count() as u64;
    assert_eq!(borders, border.count);
    let uplinks = runs.iter().filter(|r| r.class == "border-uplink").count() as u64;
    assert_eq!(uplinks, border.count * border.up_links, "each border leaf to every spine kept");
    let (_, whole) = placement::place(&site.fabric, &c, None);
    let handoff = |runs: &[placement::Run]| runs.iter().filter(|r| r.class == "hand-off").count();
    assert_eq!(handoff(&runs), handoff(&whole), "every border leaf's hand-off");
    // bj-changping hands off at its superspines: a lab keeps those of the superspines kept.
    let (placed, runs) = placement::place(&metro.1.fabric, &metro.0, Some(4));
    let (_, whole) = placement::place(&metro.1.fabric, &metro.0, None);
    assert!(handoff(&runs) < handoff(&whole) && handoff(&runs) > 0);
    let whole_of: BTreeSet<(&str, &str)> =
        whole.iter().map(|r| (r.a_device.as_str(), r.a_port.as_str())).collect();
    for r in runs.iter().filter(|r| r.class != "server-leaf") {
        assert!(
            whole_of.contains(&(r.a_device.as_str(), r.a_port.as_str())),
            "{r:?}: a port the site does not use"
        );
    }
    assert!(
        placed.iter().any(|p| p.name == "superspine-3.1")
            && !placed.iter().any(|p| p.name == "superspine-0.2")
    );
}

/// The export is the same bytes every run, and `--max-leaves 0` is refused
/// with a hint.
#[test]
fn lab_exports_repeat_and_an_empty_lab_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut texts = Vec::new();
    for i in 0..2 {
        let file = dir.path().join(format!("lab{i}.clab.yml"));
        let args = [
            "export",
            "scenarios/beijing-metro.yaml",
            "--to",
            "containerlab",
            "--site",
            "bj-changping",
            "--max-leaves",
            "4",
            "--out",
            file.to_str().unwrap(),
        ];
        assert!(dcplan(&args).status.success());
        texts.push(std::fs::read(&file).unwrap());
    }
    assert_eq!(texts[0], texts[1]);
    let file = dir.path().join("empty.clab.yml");
    let run = dcplan(&[
        "export",
        "scenarios/example.yaml",
        "--to",
        "containerlab",
        "--site",
        "bj-yizhuang-dc1",
        "--max-leaves",
        "0",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(stderr(&run).contains("hint:"), "{}", stderr(&run));
    assert!(!file.exists());
}
