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
    dcplan::generate::scenario_yaml(dcplan::generate::Spec { servers, sites, seed, demands: None })
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
            // The figures and the elements named for them: a class is
            // named by its first element, as among all its elements.
            assert_eq!(f.worst, s.worst, "{}", f.class);
            assert_eq!(f.worst_bisection_pct, s.worst_bisection_pct, "{}", f.class);
            assert_eq!(f.worst_leaf_oversubscription, s.worst_leaf_oversubscription, "{}", f.class);
            assert_eq!(f.worst_stranded_servers, s.worst_stranded_servers, "{}", f.class);
            assert_eq!(f.demands_short, s.demands_short, "{}", f.class);
        }
        for (f, s) in fast.demands.iter().zip(&slow.demands) {
            assert_eq!(f.worst_gbps, s.worst_gbps);
            assert_eq!(f.worst_failure, s.worst_failure);
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
    assert_eq!(leaf.worst_bisection_pct["a"].0, 0.0, "{leaf:?}");
    assert_eq!(leaf.worst_stranded_servers["a"], (20, "a/leaf-0".to_string()), "{leaf:?}");
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

/// Ten racks of 20 single-homed servers on one leaf each, under the two
/// spines of a two-tier fabric: small enough to check by hand.
const TWO_TIER: &str = r#"
kind: scenario
format_version: 1
name: two tier
fabric: {leaf_oversubscription: 3, homing: single}
sites:
  - {name: a, servers: 200, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 20, rack_power_budget_kw: 15, pue: 1.3}
"#;

/// A site's fabric rebuilt from the plan's JSON by the wiring rules of a
/// folded Clos (not by `dcplan::topology`): racks, leaves, spines and
/// superspines by id, bundles with their member counts.
struct Fabric {
    site: String,
    /// Racks in rack order, with their servers.
    racks: Vec<(String, u64)>,
    kind: std::collections::BTreeMap<String, &'static str>,
    /// `(lower, upper, members, Gb/s per member)`.
    bundles: Vec<(String, String, u64, u64)>,
    /// Server-facing capacity of a leaf.
    leaf_down_gbps: u64,
}

/// What fails: devices by id and single member links by their bundle.
#[derive(Clone, Default)]
struct Failure {
    devices: Vec<String>,
    links: Vec<(String, String)>,
    name: String,
}

/// Each site's fabric, from `dcplan plan --format json` of a scenario.
fn fabrics_of(yaml: &str) -> Vec<Fabric> {
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("dcplan-fabric-{}-{run}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("s.yaml");
    std::fs::write(&path, yaml).unwrap();
    let out = dcplan(&["plan", path.to_str().unwrap(), "--format", "json"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["sites"].as_array().unwrap().iter().map(fabric_of).collect()
}

fn fabric_of(s: &serde_json::Value) -> Fabric {
    let n = |v: &serde_json::Value| v.as_u64().unwrap();
    let (site, f) = (s["name"].as_str().unwrap().to_string(), &s["fabric"]);
    let switch = |role: &str| f["switches"].as_array().unwrap().iter().find(|x| x["role"] == role).cloned();
    let leaf = switch("leaf").unwrap();
    let (spine, superspine) = (switch("spine").unwrap(), switch("superspine"));
    let (pods, per_pod, spines) = (n(&f["pods"]), n(&f["leaves_per_pod"]), n(&f["spines_per_pod"]));
    let per_plane = if superspine.is_some() { n(&f["superspines_per_plane"]) } else { 0 };
    let mut fab = Fabric {
        site: site.clone(),
        racks: Vec::new(),
        kind: Default::default(),
        bundles: Vec::new(),
        leaf_down_gbps: n(&leaf["down_links"]) * n(&leaf["down_speed_gbps"]),
    };
    for p in 0..pods {
        for j in 0..spines {
            fab.kind.insert(format!("{site}/spine-{p}.{j}"), "spine");
            for k in 0..per_plane {
                let top = format!("{site}/superspine-{j}.{k}");
                fab.kind.insert(top.clone(), "superspine");
                let up = (n(&spine["links_per_peer_up"]), n(&spine["up_speed_gbps"]));
                fab.bundles.push((format!("{site}/spine-{p}.{j}"), top, up.0, up.1));
            }
        }
    }
    let (per_rack, nics) = (n(&f["leaves_per_rack"]), n(&s["server_ports"]) / n(&s["servers"]));
    let mut left = n(&s["servers"]);
    for r in 0..n(&s["racks"]) {
        let servers = left.min(n(&s["servers_per_rack"]));
        left -= servers;
        let rack = format!("{site}/rack-{r}");
        fab.kind.insert(rack.clone(), "servers");
        fab.racks.push((rack.clone(), servers));
        for j in 0..per_rack {
            let l = r * per_rack + j;
            let id = format!("{site}/leaf-{l}");
            fab.kind.insert(id.clone(), "leaf");
            let ports = servers * nics / per_rack + u64::from(j < servers * nics % per_rack);
            if ports > 0 {
                fab.bundles.push((rack.clone(), id.clone(), ports, 0));
            }
            for s in 0..spines {
                let up = (n(&leaf["links_per_peer_up"]), n(&leaf["up_speed_gbps"]));
                fab.bundles.push((id.clone(), format!("{site}/spine-{}.{s}", l / per_pod), up.0, up.1));
            }
        }
    }
    // The same size as the planner's own graph.
    assert_eq!(fab.kind.len() as u64, n(&f["graph"]["nodes"]), "{site}");
    assert_eq!(fab.bundles.len() as u64, n(&f["graph"]["bundles"]), "{site}");
    fab
}

impl Fabric {
    /// The failure class of a device or link, as the report names it.
    fn class_of(&self, f: &Failure) -> String {
        match (f.devices.first(), f.links.first()) {
            (Some(d), _) => format!("{}: {}", self.site, self.kind[d]),
            (_, Some((a, _))) => {
                let link = if self.kind[a] == "leaf" { "leaf-spine" } else { "spine-superspine" };
                format!("{}: {link} link", self.site)
            }
            _ => unreachable!(),
        }
    }

    /// Every single failure: each switch, and one member of each
    /// leaf-spine and spine-superspine bundle.
    fn single_failures(&self) -> Vec<Failure> {
        let devices = self.kind.iter().filter(|(_, k)| **k != "servers").map(|(id, _)| Failure {
            devices: vec![id.clone()],
            name: id.clone(),
            ..Failure::default()
        });
        let links = self.bundles.iter().filter(|b| self.kind[&b.0] != "servers").map(|(a, b, ..)| Failure {
            links: vec![(a.clone(), b.clone())],
            name: format!("one link {a} - {b}"),
            ..Failure::default()
        });
        devices.chain(links).collect()
    }

    /// The bundles that survive a failure, with the members they keep.
    fn surviving(&self, f: &Failure) -> Vec<(&str, &str, u64, u64)> {
        self.bundles
            .iter()
            .filter(|(a, b, ..)| !f.devices.contains(a) && !f.devices.contains(b))
            .map(|(a, b, count, gbps)| {
                let lost = f.links.iter().filter(|l| (&l.0, &l.1) == (a, b)).count() as u64;
                (a.as_str(), b.as_str(), count.saturating_sub(lost), *gbps)
            })
            .filter(|b| b.2 > 0)
            .collect()
    }

    /// Servers with no path left to the site's main fabric, by plain
    /// reachability (breadth-first search from each rack): the main fabric
    /// is the group of connected racks and switches that holds a switch of
    /// the top tier (superspines, else spines) and the most servers; every
    /// rack outside it is stranded.
    fn stranded(&self, f: &Failure) -> u64 {
        let mut adjacent: std::collections::HashMap<&str, Vec<&str>> = Default::default();
        for (a, b, ..) in self.surviving(f) {
            adjacent.entry(a).or_default().push(b);
            adjacent.entry(b).or_default().push(a);
        }
        // Breadth-first from each rack not yet reached, in rack order: its
        // group is what it reaches, and a group is met first at its first rack.
        let mut reached: std::collections::HashSet<&str> = Default::default();
        let top = ["superspine", "spine", "leaf"].into_iter().find(|k| self.kind.values().any(|v| v == k));
        let mut main: Option<(u64, Vec<&str>)> = None;
        for (rack, _) in &self.racks {
            if !reached.insert(rack) {
                continue;
            }
            let mut group = vec![rack.as_str()];
            let mut next = 0;
            while next < group.len() {
                for w in adjacent.get(group[next]).into_iter().flatten() {
                    if reached.insert(*w) {
                        group.push(*w);
                    }
                }
                next += 1;
            }
            let racks: Vec<&str> = group.iter().copied().filter(|v| self.kind[*v] == "servers").collect();
            let servers: u64 = self.racks.iter().filter(|r| racks.contains(&r.0.as_str())).map(|r| r.1).sum();
            let has_top = group.iter().any(|v| Some(self.kind[*v]) == top);
            if has_top && main.as_ref().is_none_or(|m| servers > m.0) {
                main = Some((servers, racks));
            }
        }
        let on_main = main.map(|m| m.1).unwrap_or_default();
        self.racks.iter().filter(|r| !on_main.contains(&r.0.as_str())).map(|r| r.1).sum()
    }

    /// Smallest uplink capacity left to a surviving leaf, Gb/s.
    fn min_leaf_uplink(&self, f: &Failure) -> u64 {
        let surviving = self.surviving(f);
        self.kind
            .iter()
            .filter(|(id, k)| **k == "leaf" && !f.devices.contains(id))
            .map(|(id, _)| surviving.iter().filter(|b| b.0 == id).map(|b| b.2 * b.3).sum::<u64>())
            .min()
            .unwrap_or(0)
    }
}

/// Natural order of names, for ties: `leaf-2` before `leaf-10`.
fn natural(name: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut rest = name;
    while !rest.is_empty() {
        let text = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let digits = rest[text..].find(|c: char| !c.is_ascii_digit()).map_or(rest.len(), |d| text + d);
        out.push((rest[..text].to_string(), rest[text..digits].parse().unwrap_or(0)));
        rest = &rest[digits..];
    }
    out
}

/// The worst of `figure` (larger is worse) over `failures` and the failure
/// named for it: `prefer` if it gives that figure, else the first by name.
fn worst_of(failures: &[&Failure], figure: impl Fn(&Failure) -> u64, prefer: &str) -> (u64, String) {
    let worst = failures.iter().map(|f| figure(f)).max().unwrap();
    let mut at_worst: Vec<&str> =
        failures.iter().filter(|f| figure(f) == worst).map(|f| f.name.as_str()).collect();
    at_worst.sort_by_key(|n| natural(n));
    let name = if at_worst.contains(&prefer) { prefer } else { at_worst[0] };
    (worst, name.to_string())
}

fn fabric_scenarios() -> Vec<String> {
    let straddling_dual = STRADDLING_POD.replace("homing: single", "homing: dual");
    vec![TWO_TIER.to_string(), STRADDLING_POD.to_string(), straddling_dual, generated(1_300, 3, 9)]
}

/// Each class's most servers stranded, and its worst leaf oversubscription,
/// each with the element named, equal a plain reachability count and an
/// uplink sum on the fabric rebuilt from the plan's JSON over every single
/// failure (not one per class).
#[test]
fn single_failures_strand_what_plain_reachability_says() {
    for yaml in fabric_scenarios() {
        let (catalog, plan) = plan_of(&yaml);
        let report = analyse(&plan, &catalog, Options::default(), &|| {});
        for fab in fabrics_of(&yaml) {
            assert_eq!(fab.stranded(&Failure::default()), 0, "nothing stranded intact");
            let failures = fab.single_failures();
            let mut classes: std::collections::BTreeMap<String, Vec<&Failure>> = Default::default();
            for f in &failures {
                classes.entry(fab.class_of(f)).or_default().push(f);
            }
            for (class, list) in &classes {
                let c =
                    report.classes.iter().find(|c| &c.class == class).unwrap_or_else(|| panic!("{class}"));
                assert_eq!(c.elements, list.len() as u64, "{class}");
                let (most, name) = worst_of(list, |f| fab.stranded(f), &c.worst);
                let got = c.worst_stranded_servers.get(&fab.site);
                if most == 0 {
                    assert_eq!(got, None, "{class}");
                } else {
                    assert_eq!(got, Some(&(most, name)), "{class}");
                }
                // Fewest Gb/s up is the highest oversubscription.
                let (neg_up, name) = worst_of(list, |f| u64::MAX - fab.min_leaf_uplink(f), &c.worst);
                let up = u64::MAX - neg_up;
                let os = (fab.leaf_down_gbps as f64 / up as f64 * 100.0).round() / 100.0;
                assert_eq!(c.worst_leaf_oversubscription[&fab.site], (os, name), "{class}");
            }
        }
    }
}

/// At depth 2 the most servers stranded per site equals the most over every
/// pair of the site's elements (not only the pairs evaluated), counted by
/// plain reachability, and the pair named strands that many.
#[test]
fn pairs_strand_what_plain_reachability_says() {
    // Every pair of elements: the small fabrics only.
    for yaml in &fabric_scenarios()[..3] {
        let (catalog, plan) = plan_of(yaml);
        let report = analyse(&plan, &catalog, Options { depth: 2, ..Options::default() }, &|| {});
        let d2 = report.depth_two.as_ref().unwrap();
        assert_eq!(d2.pairs_evaluated, d2.pairs_total, "every class pair within the budget");
        for fab in fabrics_of(yaml) {
            let singles = fab.single_failures();
            let mut most = 0;
            for (i, x) in singles.iter().enumerate() {
                for y in &singles[i + 1..] {
                    let pair = Failure {
                        devices: [x.devices.clone(), y.devices.clone()].concat(),
                        links: [x.links.clone(), y.links.clone()].concat(),
                        name: String::new(),
                    };
                    most = most.max(fab.stranded(&pair));
                }
            }
            let Some((got, pair)) = d2.worst_stranded_servers.get(&fab.site) else {
                assert_eq!(most, 0, "{}", fab.site);
                continue;
            };
            assert_eq!(*got, most, "{}", fab.site);
            let named: Vec<&Failure> =
                pair.split(" + ").map(|n| singles.iter().find(|f| f.name == n).unwrap()).collect();
            let both = Failure {
                devices: named.iter().flat_map(|f| f.devices.clone()).collect(),
                links: named.iter().flat_map(|f| f.links.clone()).collect(),
                name: pair.clone(),
            };
            assert_eq!(fab.stranded(&both), most, "{pair}");
        }
    }
}

/// By hand. Two tiers, ten single-homed racks of 20: a leaf strands its
/// rack; both spines leave ten racks each alone with its leaf, so all 200
/// servers. Three tiers with pods of 9, 9 and 8 single-homed racks of 40
/// (the last rack 10) under two planes of one superspine: both spines of
/// the middle pod strand its 360 servers, of the last pod 7 × 40 + 10 = 290,
/// and both superspines leave no top tier: all 1010.
#[test]
fn stranded_servers_by_hand_and_in_the_report() {
    let (catalog, plan) = plan_of(TWO_TIER);
    let r = analyse(&plan, &catalog, Options { depth: 2, ..Options::default() }, &|| {});
    let class = |name: &str| r.classes.iter().find(|c| c.class == name).unwrap();
    assert_eq!(class("a: leaf").worst_stranded_servers["a"], (20, "a/leaf-0".to_string()));
    assert!(class("a: spine").worst_stranded_servers.is_empty());
    let d2 = r.depth_two.as_ref().unwrap();
    assert_eq!(d2.worst_stranded_servers["a"], (200, "a/spine-0.0 + a/spine-0.1".to_string()));
    assert_eq!(d2.worst_bisection_pct["a"], (0.0, "a/spine-0.0 + a/spine-0.1".to_string()));

    let (catalog, plan) = plan_of(STRADDLING_POD);
    let f = &plan.sites[0].fabric;
    assert_eq!((f.leaves_per_pod, f.spines_per_pod, f.superspines_per_plane), (9, 2, 1));
    let r = analyse(&plan, &catalog, Options { depth: 2, ..Options::default() }, &|| {});
    let d2 = r.depth_two.as_ref().unwrap();
    assert_eq!(d2.worst_stranded_servers["a"], (1010, "a/superspine-0.0 + a/superspine-1.0".to_string()));
    // The pods, by the reference count.
    let fab = &fabrics_of(STRADDLING_POD)[0];
    let devices =
        |d: &[&str]| Failure { devices: d.iter().map(|s| s.to_string()).collect(), ..Failure::default() };
    assert_eq!(fab.stranded(&devices(&["a/spine-1.0", "a/spine-1.1"])), 360);
    assert_eq!(fab.stranded(&devices(&["a/spine-2.0", "a/spine-2.1"])), 290);
    assert_eq!(fab.stranded(&devices(&["a/superspine-0.0", "a/superspine-1.0"])), 1010);

    // The reports say so, next to the worst bisection.
    let dir = std::env::temp_dir().join(format!("dcplan-stranded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("two-tier.yaml");
    std::fs::write(&path, TWO_TIER).unwrap();
    let p = path.to_str().unwrap();
    for format in ["table", "markdown"] {
        let out = dcplan(&["failures", p, "--depth", "2", "--quiet", "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("most servers stranded"), "{text}");
        assert!(text.contains("a 200 (a/spine-0.0 + a/spine-0.1)"), "{text}");
    }
    let out = dcplan(&["failures", p, "--depth", "2", "--quiet", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["depth_two"]["worst_stranded_servers"]["a"],
        serde_json::json!([200, "a/spine-0.0 + a/spine-0.1"])
    );
    let _ = std::fs::remove_dir_all(&dir);
}
