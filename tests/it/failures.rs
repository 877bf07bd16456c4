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

/// [`plan_of`] with no fabric cage taking a coherent pluggable, for the
/// tests about routers, terminals and routes (`fabric-zr` would carry the
/// demands in the switches instead).
fn plan_without_fabric_zr(yaml: &str) -> (dcplan::model::Catalog, dcplan::plan::Plan) {
    let catalog =
        crate::support::without_fabric_zr(load::load_catalog(&Source::embedded_catalog()).unwrap().value);
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
    let embedded = [example, generated(3_000, 2, 5), generated(1_300, 3, 9), straddling, straddling_dual];
    // Racks on several leaves: a group of servers per leaf, or split NICs.
    let several = [Case::mini(SEVERAL_LEAVES), Case::mini(SPLIT_NICS)];
    for case in embedded.iter().map(|y| Case::embedded(y)).chain(several) {
        let (catalog, plan) = case.plan();
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
    let (catalog, plan) = plan_without_fabric_zr(&TWO_ROUTES.replace("PROTECTION", "diverse"));
    let r = analyse(&plan, &catalog, Options::default(), &|| {});
    let d = &r.demands[0];
    assert!(d.diverse && d.survives_any_single_failure, "{d:?}");
    assert!(d.worst_gbps >= 1600);
    // Unprotected: one path, and cutting its route drops the demand to zero.
    let (catalog, plan) = plan_without_fabric_zr(&TWO_ROUTES.replace("PROTECTION", "none"));
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
    let (catalog, plan) = plan_without_fabric_zr(&yaml);
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
    let catalog = crate::support::without_fabric_zr(
        load::load_catalog(&Source::new("merchant-whitebox.yaml", text)).unwrap().value,
    );
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
    let (catalog, plan) = plan_without_fabric_zr(&text);
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

/// Racks of 100 single-homed servers (the last of 50) at 1:1 on the mini
/// catalog's 48-port leaves: four leaves a rack, 25 servers on each (13,
/// 13, 12 and 12 in the last rack), so a leaf's loss strands its own
/// servers only.
const SEVERAL_LEAVES: &str = r#"
kind: scenario
format_version: 1
name: several leaves a rack
fabric: {leaf_oversubscription: 1, homing: single}
sites:
  - {name: a, servers: 250, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 100, rack_power_budget_kw: 15, pue: 1.3}
"#;

/// Two NICs a server, single-homed, four leaves a rack: NIC by NIC, a
/// server's two ports land on leaves `k` and `k + 2` of its rack.
const SPLIT_NICS: &str = r#"
kind: scenario
format_version: 1
name: split NICs
fabric: {leaf_oversubscription: 1, homing: single}
sites:
  - {name: a, servers: 130, nics_per_server: 2, nic_speed_gbps: 25, servers_per_rack: 60, rack_power_budget_kw: 15, pue: 1.3}
"#;

const MINI: &str = "tests/data/mini-catalog.yaml";

/// A scenario and its catalog (the embedded one when `None`).
struct Case {
    yaml: String,
    catalog: Option<&'static str>,
}

impl Case {
    fn embedded(yaml: &str) -> Case {
        Case { yaml: yaml.to_string(), catalog: None }
    }

    fn mini(yaml: &str) -> Case {
        Case { yaml: yaml.to_string(), catalog: Some(MINI) }
    }

    fn plan(&self) -> (dcplan::model::Catalog, dcplan::plan::Plan) {
        let Some(path) = self.catalog else { return plan_of(&self.yaml) };
        let text = std::fs::read_to_string(root().join(path)).unwrap();
        let catalog = load::load_catalog(&Source::new(path, text)).unwrap().value;
        let scenario =
            load::load_scenario(&Source::new("t.yaml", self.yaml.as_str()), &catalog).unwrap().value;
        let plan = dcplan::plan::plan(&catalog, &scenario).unwrap();
        (catalog, plan)
    }
}

/// A site's fabric rebuilt from the CLI's outputs alone, not from
/// `dcplan::topology`: the switches and the links between them from
/// plan.json by the wiring rules of a folded Clos, and every server with
/// its own links from the cable run list (`export --to cabling`), so a
/// server is cut off exactly when every leaf its ports land on is.
struct Fabric {
    site: String,
    /// Every server by id, in rack and slot order.
    servers: Vec<String>,
    kind: std::collections::BTreeMap<String, &'static str>,
    /// `(lower, upper, members, Gb/s per member)`; a server's links to one
    /// leaf are one bundle.
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

/// Each site's fabric, from `dcplan plan --format json` and `dcplan export
/// --to cabling` of a scenario.
fn fabrics_of(case: &Case) -> Vec<Fabric> {
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("dcplan-fabric-{}-{run}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (path, runs) = (dir.join("s.yaml"), dir.join("cabling.csv"));
    std::fs::write(&path, &case.yaml).unwrap();
    let catalog = case.catalog.map(|c| root().join(c).to_str().unwrap().to_string());
    let with_catalog = |args: &[&str]| -> std::process::Output {
        let mut all: Vec<&str> = args.to_vec();
        if let Some(c) = &catalog {
            all.extend(["--catalog", c.as_str()]);
        }
        dcplan(&all)
    };
    let out = with_catalog(&["plan", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let export =
        with_catalog(&["export", path.to_str().unwrap(), "--to", "cabling", "--out", runs.to_str().unwrap()]);
    assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));
    let rows = csv_rows(&runs);
    let _ = std::fs::remove_dir_all(&dir);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["sites"].as_array().unwrap().iter().map(|s| fabric_of(s, &rows)).collect()
}

fn fabric_of(s: &serde_json::Value, rows: &[std::collections::BTreeMap<String, String>]) -> Fabric {
    let n = |v: &serde_json::Value| v.as_u64().unwrap();
    let (site, f) = (s["name"].as_str().unwrap().to_string(), &s["fabric"]);
    let switch = |role: &str| f["switches"].as_array().unwrap().iter().find(|x| x["role"] == role).cloned();
    let leaf = switch("leaf").unwrap();
    let (spine, superspine) = (switch("spine").unwrap(), switch("superspine"));
    let (pods, per_pod, spines) = (n(&f["pods"]), n(&f["leaves_per_pod"]), n(&f["spines_per_pod"]));
    let per_plane = if superspine.is_some() { n(&f["superspines_per_plane"]) } else { 0 };
    let mut fab = Fabric {
        site: site.clone(),
        servers: Vec::new(),
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
    for l in 0..n(&leaf["count"]) {
        let id = format!("{site}/leaf-{l}");
        fab.kind.insert(id.clone(), "leaf");
        for s in 0..spines {
            let up = (n(&leaf["links_per_peer_up"]), n(&leaf["up_speed_gbps"]));
            fab.bundles.push((id.clone(), format!("{site}/spine-{}.{s}", l / per_pod), up.0, up.1));
        }
    }
    let groups = fab.add_servers(rows);
    assert_eq!(fab.servers.len() as u64, n(&s["servers"]), "{site}: every server has a run");
    // The planner's graph has a node per server group (a rack's servers on
    // the same leaves with as many ports on each) and a bundle per group and leaf.
    let switches = fab.kind.values().filter(|k| **k != "server").count();
    assert_eq!((switches + groups.len()) as u64, n(&f["graph"]["nodes"]), "{site}");
    let switch_bundles = fab.bundles.iter().filter(|b| fab.kind[&b.0] != "server").count();
    let group_bundles: usize = groups.iter().map(|g| g.1.len()).sum();
    assert_eq!((switch_bundles + group_bundles) as u64, n(&f["graph"]["bundles"]), "{site}");
    fab
}

/// A rack and the ports its servers have on each leaf.
type GroupKey = (String, std::collections::BTreeMap<String, u64>);

impl Fabric {
    /// Every server of the site and its links, from the cable run list's
    /// server-leaf runs (`SITE-leaf-N` to `SITE-server-rR-sK`, one row a
    /// link); returns the distinct server groups.
    fn add_servers(
        &mut self,
        rows: &[std::collections::BTreeMap<String, String>],
    ) -> std::collections::BTreeSet<GroupKey> {
        let mut links: std::collections::BTreeMap<(u64, u64), std::collections::BTreeMap<String, u64>> =
            Default::default();
        let mut gbps = 0;
        for r in rows.iter().filter(|r| r["site"] == self.site && r["class"] == "server-leaf") {
            let leaf = r["a_device"].rsplit_once("-leaf-").unwrap().1;
            let (rack, slot) = r["b_device"].rsplit_once("-server-r").unwrap().1.split_once("-s").unwrap();
            let server = (rack.parse().unwrap(), slot.parse().unwrap());
            *links.entry(server).or_default().entry(format!("{}/leaf-{leaf}", self.site)).or_default() +=
                r["links"].parse::<u64>().unwrap();
            gbps = r["speed_gbps"].parse().unwrap();
        }
        let mut groups = std::collections::BTreeSet::new();
        for ((rack, slot), on) in links {
            let id = format!("{}/server-r{rack}-s{slot}", self.site);
            self.kind.insert(id.clone(), "server");
            self.servers.push(id.clone());
            for (leaf, count) in &on {
                self.bundles.push((id.clone(), leaf.clone(), *count, gbps));
            }
            groups.insert((format!("rack-{rack}"), on));
        }
        groups
    }

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
        let devices = self.kind.iter().filter(|(_, k)| **k != "server").map(|(id, _)| Failure {
            devices: vec![id.clone()],
            name: id.clone(),
            ..Failure::default()
        });
        let links = self.bundles.iter().filter(|b| self.kind[&b.0] != "server").map(|(a, b, ..)| Failure {
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
    /// reachability (breadth-first search from each server): the main
    /// fabric is the group of connected servers and switches that holds a
    /// switch of the top tier (superspines, else spines) and the most
    /// servers (the first met, on a tie); every server outside it is stranded.
    fn stranded(&self, f: &Failure) -> u64 {
        let mut adjacent: std::collections::HashMap<&str, Vec<&str>> = Default::default();
        for (a, b, ..) in self.surviving(f) {
            adjacent.entry(a).or_default().push(b);
            adjacent.entry(b).or_default().push(a);
        }
        // Breadth-first from each server not yet reached, in rack and slot
        // order: its group is what it reaches.
        let mut reached: std::collections::HashSet<&str> = Default::default();
        let top = ["superspine", "spine", "leaf"].into_iter().find(|k| self.kind.values().any(|v| v == k));
        let mut main: Option<Vec<&str>> = None;
        for server in &self.servers {
            if !reached.insert(server) {
                continue;
            }
            let mut group = vec![server.as_str()];
            let mut next = 0;
            while next < group.len() {
                for w in adjacent.get(group[next]).into_iter().flatten() {
                    if reached.insert(*w) {
                        group.push(*w);
                    }
                }
                next += 1;
            }
            let servers: Vec<&str> = group.iter().copied().filter(|v| self.kind[*v] == "server").collect();
            let has_top = group.iter().any(|v| Some(self.kind[*v]) == top);
            if has_top && main.as_ref().is_none_or(|m| servers.len() > m.len()) {
                main = Some(servers);
            }
        }
        (self.servers.len() - main.map_or(0, |m| m.len())) as u64
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

/// The fabrics the reference is held against: the small ones first (every
/// pair of their elements is evaluated), then a split-NIC one and a large one.
fn fabric_scenarios() -> Vec<Case> {
    let straddling_dual = STRADDLING_POD.replace("homing: single", "homing: dual");
    vec![
        Case::embedded(TWO_TIER),
        Case::embedded(STRADDLING_POD),
        Case::embedded(&straddling_dual),
        Case::mini(SEVERAL_LEAVES),
        Case::mini(SPLIT_NICS),
        Case::embedded(&generated(1_300, 3, 9)),
    ]
}

/// Each class's most servers stranded, and its worst leaf oversubscription,
/// each with the element named, equal a plain reachability count and an
/// uplink sum on the fabric rebuilt from plan.json and the cable run list
/// over every single failure (not one per class).
#[test]
fn single_failures_strand_what_plain_reachability_says() {
    for case in fabric_scenarios() {
        let (catalog, plan) = case.plan();
        let report = analyse(&plan, &catalog, Options::default(), &|| {});
        for fab in fabrics_of(&case) {
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
/// plain reachability, and the pair named strands that many. The split-NIC
/// fabric is among them: there two leaves alike alone share servers only in
/// some pairs, so a class pair is evaluated once per relation of its two
/// elements, not by its first two.
#[test]
fn pairs_strand_what_plain_reachability_says() {
    // Every pair of elements: the small fabrics only.
    for case in &fabric_scenarios()[..5] {
        let (catalog, plan) = case.plan();
        let report = analyse(&plan, &catalog, Options { depth: 2, ..Options::default() }, &|| {});
        let d2 = report.depth_two.as_ref().unwrap();
        assert_eq!(d2.pairs_evaluated, d2.pairs_total, "every class pair within the budget");
        for fab in fabrics_of(case) {
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
    let fab = &fabrics_of(&Case::embedded(STRADDLING_POD))[0];
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

/// A single-homed rack on several leaves: a leaf's loss strands the servers
/// on it (25; 13 or 12 in the last rack of 50), not the whole rack and not
/// none; the advice says how many, and the dual-homing fix is planned,
/// priced and checked.
#[test]
fn a_single_homed_rack_on_several_leaves_loses_one_leafs_servers() {
    let case = Case::mini(SEVERAL_LEAVES);
    let (catalog, plan) = case.plan();
    assert_eq!(plan.sites[0].fabric.leaves_per_rack, 4);
    let r = analyse(&plan, &catalog, Options::default(), &|| {});
    let leaf = r.classes.iter().find(|c| c.class == "a: leaf").unwrap();
    assert_eq!(leaf.worst_stranded_servers["a"], (25, "a/leaf-0".to_string()));
    let fab = &fabrics_of(&case)[0];
    let lose = |d: &str| fab.stranded(&Failure { devices: vec![d.to_string()], ..Failure::default() });
    assert_eq!([lose("a/leaf-0"), lose("a/leaf-7"), lose("a/leaf-8"), lose("a/leaf-11")], [25, 25, 13, 12]);
    let advice: Vec<&str> = r.fixes.iter().map(|f| f.problem.as_str()).collect();
    assert!(
        advice.contains(&"a: a leaf failure cuts off the 12 to 25 servers on that leaf alone (single-homed)"),
        "{advice:?}"
    );

    let dir = std::env::temp_dir().join(format!("dcplan-several-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("s.yaml");
    std::fs::write(&path, SEVERAL_LEAVES).unwrap();
    let mini = root().join(MINI);
    let args = [
        "failures",
        path.to_str().unwrap(),
        "--catalog",
        mini.to_str().unwrap(),
        "--quiet",
        "--format",
        "json",
    ];
    let out = dcplan(&args);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fix = json["planned_fixes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["constraint"].as_str().unwrap().starts_with("homing: dual"))
        .expect("the dual-homing fix is planned");
    assert_eq!(fix["problem"], "losing a leaf (a/leaf-0) strands 25 servers: they are single-homed");
    assert_eq!(fix["outcome"]["status"], "planned", "{fix}");
    assert_eq!(fix["outcome"]["check"]["meets_target"], true, "{fix}");
    assert!(fix["outcome"]["price"]["net"].as_str().unwrap().parse::<f64>().unwrap() > 0.0, "{fix}");
    // The planned fix replaces the unpriced advice.
    let advice = json["fixes"].as_array().unwrap();
    assert!(advice.iter().all(|f| !f["add"].as_str().unwrap().contains("dual")), "{advice:?}");
}
