//! Failure analysis: symmetry classes give the same answers as failing
//! every element; protected demands survive any single route cut and
//! unprotected ones do not; structural single points of failure.

use crate::support::*;
use dcplan::analyse::resilience::{analyse, Options};
use dcplan::load::{self, Source};

fn plan_of(yaml: &str) -> (dcplan::model::Catalog, dcplan::plan::Plan) {
    let catalog = load::load_catalog(&Source::embedded_catalog()).unwrap().value;
    let scenario = load::load_scenario(&Source::new("t.yaml", yaml), &catalog).unwrap().value;
    let plan = dcplan::plan::plan(&catalog, &scenario).unwrap();
    (catalog, plan)
}

fn generated(servers: u64, sites: u32, seed: u64) -> String {
    dcplan::generate::scenario_yaml(dcplan::generate::Spec { servers, sites, seed })
}

#[test]
fn symmetry_classes_equal_brute_force() {
    let example = std::fs::read_to_string(root().join("scenarios/example.yaml")).unwrap();
    // Three tiers with 9/9/8-leaf pods: the middle pod straddles the
    // bisection cut, so its leaves are not like those of the other pods.
    let straddling = STRADDLING_POD.to_string();
    let straddling_dual = STRADDLING_POD.replace("homing: single", "homing: dual");
    for yaml in [example, generated(3_000, 2, 5), generated(1_300, 3, 9), straddling, straddling_dual] {
        let (catalog, plan) = plan_of(&yaml);
        let fast = analyse(&plan, &catalog, Options::default(), &|| {});
        let slow = analyse(&plan, &catalog, Options { use_symmetry: false, ..Options::default() }, &|| {});
        assert_eq!(fast.single_failures_total, slow.single_failures_total);
        assert!(fast.single_failures_evaluated < slow.single_failures_evaluated);
        assert_eq!(fast.classes.len(), slow.classes.len());
        for (f, s) in fast.classes.iter().zip(&slow.classes) {
            assert_eq!(f.class, s.class);
            assert_eq!(f.elements, s.elements, "{}", f.class);
            assert_eq!(f.worst_bisection_pct, s.worst_bisection_pct, "{}", f.class);
            assert_eq!(f.worst_leaf_oversubscription, s.worst_leaf_oversubscription, "{}", f.class);
            assert_eq!(f.demands_short, s.demands_short, "{}", f.class);
        }
        for (f, s) in fast.demands.iter().zip(&slow.demands) {
            assert_eq!(f.worst_gbps, s.worst_gbps);
        }
    }
}

const STRADDLING_POD: &str = r#"
kind: scenario
format_version: 1
name: three tier
fabric: {leaf_oversubscription: 3, spine_oversubscription: 3.0, homing: single, tiers: 3}
sites:
  - {name: a, servers: 1010, nics_per_server: 2, nic_speed_gbps: 25, servers_per_rack: 40, rack_power_budget_kw: 18, pue: 1.3}
"#;

const TWO_ROUTES: &str = r#"
kind: scenario
format_version: 1
name: two routes
fabric: {leaf_oversubscription: 3, homing: single}
sites:
  - {name: a, servers: 200, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 20, rack_power_budget_kw: 15, pue: 1.3}
  - {name: b, servers: 200, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 20, rack_power_budget_kw: 15, pue: 1.3}
fibre_routes:
  - {id: north, between: [a, b], length_km: 40, fibre_pairs: 2, fibre: g652d}
  - {id: south, between: [a, b], length_km: 60, fibre_pairs: 2, fibre: g652d}
demands:
  - {between: [a, b], gbps: 1600, protection: PROTECTION}
"#;

#[test]
fn a_protected_demand_survives_any_route_cut_and_an_unprotected_one_does_not() {
    let (catalog, plan) = plan_of(&TWO_ROUTES.replace("PROTECTION", "diverse"));
    let r = analyse(&plan, &catalog, Options::default(), &|| {});
    let d = &r.demands[0];
    assert!(d.diverse && d.survives_any_single_failure, "{d:?}");
    assert!(d.worst_gbps >= 1600);
    // Unprotected: one path, and cutting its route drops the demand to zero.
    let (catalog, plan) = plan_of(&TWO_ROUTES.replace("PROTECTION", "none"));
    let r = analyse(&plan, &catalog, Options::default(), &|| {});
    let d = &r.demands[0];
    assert!(!d.survives_any_single_failure, "{d:?}");
    assert_eq!(d.worst_gbps, 0);
    assert!(
        d.worst_failure.starts_with("route ")
            || d.worst_failure.contains("terminal")
            || d.worst_failure.contains("router")
    );
    // And the report says so.
    let dir = std::env::temp_dir().join(format!("dcplan-fail-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("s.yaml");
    std::fs::write(&path, TWO_ROUTES.replace("PROTECTION", "none")).unwrap();
    let out = dcplan(&["failures", path.to_str().unwrap(), "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("no (unprotected)"), "{}", stdout(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn single_homed_leaves_are_structural_single_points_of_failure() {
    let (catalog, plan) = plan_of(&TWO_ROUTES.replace("PROTECTION", "diverse"));
    let r = analyse(&plan, &catalog, Options::default(), &|| {});
    // Every single-homed leaf cuts its rack off: an articulation point.
    let leaves = plan.sites.iter().map(|s| s.fabric.leaf.count).sum::<u64>() as usize;
    assert_eq!(r.articulation_points.iter().filter(|p| p.contains("/leaf-")).count(), leaves);
    assert!(r.fixes.iter().any(|f| f.add.contains("dual-home")));
    // Dual-homed racks have no such point.
    let example = std::fs::read_to_string(root().join("scenarios/example.yaml")).unwrap();
    let (catalog, plan) = plan_of(&example);
    let r = analyse(&plan, &catalog, Options::default(), &|| {});
    assert!(r.articulation_points.is_empty(), "{:?}", r.articulation_points);
}

#[test]
fn depth_two_reports_its_coverage_and_the_json_is_stable() {
    let a = dcplan(&[
        "failures",
        "scenarios/beijing-metro.yaml",
        "--depth",
        "2",
        "--pair-budget",
        "300",
        "--format",
        "json",
        "--quiet",
    ]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    let json: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    let d2 = &json["depth_two"];
    assert_eq!(d2["pairs_evaluated"], 300);
    assert!(d2["pairs_total"].as_u64().unwrap() > 300);
    assert!(d2["coverage_pct"].as_f64().unwrap() < 100.0);
    let b = dcplan(&[
        "failures",
        "scenarios/beijing-metro.yaml",
        "--depth",
        "2",
        "--pair-budget",
        "300",
        "--format",
        "json",
        "--quiet",
    ]);
    assert_eq!(a.stdout, b.stdout);
}

/// Three unprotected demands round a triangle: cutting route a-b must cut
/// demand a-b, even though b-c and a-c wavelengths would make a path through
/// c. Each demand is carried only by its own equipment.
#[test]
fn a_demand_is_not_rescued_by_another_demands_wavelengths() {
    let site = |n: &str| {
        format!("  - {{name: {n}, servers: 200, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 20, rack_power_budget_kw: 15, pue: 1.3}}\n")
    };
    let yaml = format!(
        "kind: scenario\nformat_version: 1\nname: triangle\nfabric: {{leaf_oversubscription: 3, homing: single}}\nsites:\n{}{}{}fibre_routes:\n  - {{id: ab, between: [a, b], length_km: 40, fibre_pairs: 2, fibre: g652d}}\n  - {{id: bc, between: [b, c], length_km: 60, fibre_pairs: 2, fibre: g652d}}\n  - {{id: ac, between: [a, c], length_km: 60, fibre_pairs: 2, fibre: g652d}}\ndemands:\n  - {{between: [a, b], gbps: 1600, protection: none}}\n  - {{between: [b, c], gbps: 1600, protection: none}}\n  - {{between: [a, c], gbps: 1600, protection: none}}\n",
        site("a"),
        site("b"),
        site("c")
    );
    let (catalog, plan) = plan_of(&yaml);
    let r = analyse(&plan, &catalog, Options::default(), &|| {});
    for (fate, d) in r.demands.iter().zip(&plan.interconnect) {
        assert_eq!(fate.intact_gbps, d.max_flow_gbps.0, "{fate:?}");
        assert_eq!(fate.worst_gbps, 0, "{fate:?}");
        assert!(!fate.survives_any_single_failure, "{fate:?}");
    }
    // Each demand's worst failure is on its own route, never on another's.
    for (fate, route) in r.demands.iter().zip(["ab", "bc", "ac"]) {
        assert!(fate.worst_failure.contains(route), "{fate:?}");
    }
}

/// A site of one rack has no cut between racks; its bisection is half the
/// server capacity that reaches a working leaf, so losing the only leaf of
/// a single-homed rack leaves nothing.
#[test]
fn a_one_rack_site_loses_its_bisection_with_its_leaf() {
    let yaml = "kind: scenario\nformat_version: 1\nname: one rack\nfabric: {leaf_oversubscription: 3, homing: single}\nsites:\n  - {name: a, servers: 20, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 20, rack_power_budget_kw: 15, pue: 1.3}\n";
    let (catalog, plan) = plan_of(yaml);
    let r = analyse(&plan, &catalog, Options::default(), &|| {});
    assert_eq!(r.intact_bisection_gbps["a"], 20 * 25 / 2);
    let leaf = r.classes.iter().find(|c| c.class == "a: leaf").expect("a leaf class");
    assert_eq!(leaf.worst_bisection_pct["a"], 0.0, "{leaf:?}");
}

/// With routers in the interconnect, losing one line card is a failure of
/// its own: a router keeps the share of its capacity on its other cards.
#[test]
fn router_line_cards_are_failed_one_at_a_time() {
    let text = std::fs::read_to_string(root().join("catalogs/merchant-whitebox.yaml")).unwrap();
    let catalog = load::load_catalog(&Source::new("merchant-whitebox.yaml", text)).unwrap().value;
    let yaml = std::fs::read_to_string(root().join("scenarios/beijing-metro.yaml")).unwrap();
    let scenario = load::load_scenario(&Source::new("m.yaml", yaml), &catalog).unwrap().value;
    let plan = dcplan::plan::plan(&catalog, &scenario).unwrap();
    let r = analyse(&plan, &catalog, Options::default(), &|| {});
    let routers = r.classes.iter().find(|c| c.class == "router").expect("routed interconnect");
    let cards = r.classes.iter().find(|c| c.class == "router line card").expect("a line-card class");
    assert_eq!(cards.elements, routers.elements, "one card class per router");
    // A card loss hurts no more demands than losing the whole router.
    assert!(cards.demands_short.iter().all(|d| routers.demands_short.contains(d)), "{cards:?} {routers:?}");
}

/// The worst case of a class is the failure that hurts most, not the first
/// one: in the metro triangle only the unprotected demand can be cut, so
/// the worst route is the one it rides and the worst terminal one of that
/// route's (found here from the scenario's own text).
#[test]
fn the_worst_case_of_an_interconnect_class_is_the_failure_that_cuts_a_demand() {
    let text = std::fs::read_to_string(root().join("scenarios/beijing-metro.yaml")).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let ends = |v: &serde_yaml::Value| -> std::collections::BTreeSet<String> {
        v["between"].as_sequence().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
    };
    let unprotected: Vec<_> = doc["demands"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|d| d["protection"].as_str() == Some("none"))
        .map(ends)
        .collect();
    assert_eq!(unprotected.len(), 1, "the metro example has one unprotected demand");
    let route = doc["fibre_routes"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|r| ends(r) == unprotected[0])
        .map(|r| r["id"].as_str().unwrap().to_string())
        .expect("a route between the unprotected demand's sites");
    let (catalog, plan) = plan_of(&text);
    let report = analyse(&plan, &catalog, Options::default(), &|| {});
    let class =
        |name: &str| report.classes.iter().find(|c| c.class == name).unwrap_or_else(|| panic!("{name}"));
    let routes = class("fibre route");
    assert!(routes.evaluated > 1 && !routes.demands_short.is_empty());
    assert_eq!(routes.worst, format!("route {route}"));
    let terminals = class("optical terminal");
    assert!(terminals.evaluated > 1 && !terminals.demands_short.is_empty());
    assert!(terminals.worst.contains(&format!("-{route}-")), "{}", terminals.worst);
}
