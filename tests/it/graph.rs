//! Graph export, recomputed independently, and the scenario generator.

use crate::support::*;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;

/// Max-flow recomputed from the exported JSON alone, with petgraph's
/// Edmonds–Karp: what any user can do with another tool.
fn max_flow_from_json(json: &serde_json::Value, a: &str, b: &str) -> u64 {
    let mut g: DiGraph<(), u64> = DiGraph::new();
    let mut ix: HashMap<&str, NodeIndex> = HashMap::new();
    for n in json["nodes"].as_array().unwrap() {
        ix.insert(n["id"].as_str().unwrap(), g.add_node(()));
    }
    for e in json["edges"].as_array().unwrap() {
        let (x, y) = (ix[e["a"].as_str().unwrap()], ix[e["b"].as_str().unwrap()]);
        let c = e["count"].as_u64().unwrap() * e["gbps"].as_u64().unwrap();
        g.add_edge(x, y, c);
        g.add_edge(y, x, c);
    }
    petgraph::algo::ford_fulkerson(&g, ix[a], ix[b]).0
}

#[test]
fn exported_graph_gives_the_same_max_flow_to_another_tool() {
    let out = dcplan(&["graph", "scenarios/beijing-metro.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for n in json["nodes"].as_array().unwrap().iter().take(5) {
        assert!(n["id"].is_string() && n["kind"].is_string() && n["site"].is_string());
    }
    for (a, b) in [("bj-yizhuang/border", "bj-shunyi/border"), ("bj-yizhuang/rack-0", "bj-changping/rack-3")]
    {
        let ours = dcplan(&["graph", "scenarios/beijing-metro.yaml", "--max-flow", a, b, "--format", "json"]);
        assert_eq!(ours.status.code(), Some(0), "{}", stderr(&ours));
        let ours: serde_json::Value = serde_json::from_slice(&ours.stdout).unwrap();
        assert_eq!(ours["max_flow_gbps"].as_u64().unwrap(), max_flow_from_json(&json, a, b), "{a} -> {b}");
    }
    let plain = dcplan(&[
        "graph",
        "scenarios/beijing-metro.yaml",
        "--max-flow",
        "bj-yizhuang/rack-0",
        "bj-shunyi/rack-0",
    ]);
    assert_eq!(stdout(&plain).trim().parse::<u64>().unwrap(), 800);
}

#[test]
fn dot_and_graphml_carry_every_node_and_edge() {
    let json: serde_json::Value =
        serde_json::from_slice(&dcplan(&["graph", "scenarios/example.yaml"]).stdout).unwrap();
    let (n, e) = (json["nodes"].as_array().unwrap().len(), json["edges"].as_array().unwrap().len());
    let dot = stdout(&dcplan(&["graph", "scenarios/example.yaml", "--format", "dot"]));
    assert!(dot.starts_with("graph dcplan {"));
    assert_eq!(dot.matches(" -- ").count(), e);
    let graphml = stdout(&dcplan(&["graph", "scenarios/example.yaml", "--format", "graphml"]));
    assert_eq!(graphml.matches("<node ").count(), n);
    assert_eq!(graphml.matches("<edge ").count(), e);
    let bad = dcplan(&["graph", "scenarios/example.yaml", "--max-flow", "nope", "bj-yizhuang-dc1/rack-0"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn generated_scenarios_are_deterministic_valid_and_plannable() {
    let a = dcplan(&["generate", "--servers", "50000", "--sites", "3", "--seed", "42"]);
    let b = dcplan(&["generate", "--servers", "50000", "--sites", "3", "--seed", "42"]);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    let c = dcplan(&["generate", "--servers", "50000", "--sites", "3", "--seed", "43"]);
    assert_ne!(a.stdout, c.stdout);
    let dir = std::env::temp_dir().join(format!("dcplan-gen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("gen.yaml");
    std::fs::write(&path, &a.stdout).unwrap();
    let p = path.to_str().unwrap();
    assert_eq!(dcplan(&["check", "--deny-warnings", p]).status.code(), Some(0));
    let plan = dcplan(&["plan", p, "--format", "json"]);
    assert_eq!(plan.status.code(), Some(0), "{}", stderr(&plan));
    let json: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    assert_eq!(json["totals"]["servers"], 50000);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Whatever the number of sites, a generated scenario plans (every diverse
/// demand has two disjoint short paths) and holds exactly the servers asked for.
#[test]
fn generated_scenarios_plan_at_any_site_count() {
    let catalog = dcplan::load::load_catalog(&dcplan::load::Source::embedded_catalog()).unwrap().value;
    for (servers, sites) in [(20_000, 5), (20_000, 8), (20_000, 16), (40_000, 64), (10, 64)] {
        for seed in 1..=3 {
            let yaml = dcplan::generate::scenario_yaml(dcplan::generate::Spec {
                servers,
                sites,
                seed,
                demands: None,
            });
            let scenario = dcplan::load::load_scenario(&dcplan::load::Source::new("g.yaml", yaml), &catalog)
                .unwrap_or_else(|e| panic!("{servers}/{sites}/{seed}: {e:?}"))
                .value;
            let plan = dcplan::plan::plan(&catalog, &scenario)
                .unwrap_or_else(|e| panic!("{servers} servers, {sites} sites, seed {seed}: {e:?}"));
            assert_eq!(plan.sites.iter().map(|s| s.fabric.servers).sum::<u64>(), servers);
        }
    }
}
