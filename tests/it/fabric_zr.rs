//! The `fabric-zr` option on networks small enough to check by hand:
//! 400ZR pluggables in the fabric's own 400G QSFP-DD cages, no router, no
//! transponder; the hand-off is the fabric's ports that hold them.

use super::support::{dcplan, root, stdout};
use dcplan::design::interconnect::{OptionDesign, OptionKind};
use dcplan::design::media::LinkClass;
use dcplan::load::{self, Source};
use dcplan::model::Catalog;
use dcplan::plan::Plan;

const SITE: &str = "servers: 200, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 20, rack_power_budget_kw: 15, pue: 1.3";

/// The shipped Nokia catalog's text, with every coherent class set to `watts`.
fn catalog_text(watts: u32) -> String {
    let text = std::fs::read_to_string(root().join("catalogs/nokia-xiaomi-2017.yaml")).expect("catalog");
    text.replace("coherent_max_module_w: 20", &format!("coherent_max_module_w: {watts}"))
}

/// Sites in a chain, one route between neighbours, one unprotected demand end to end.
fn scenario(sites: &[&str], km: f64, gbps: u64) -> String {
    let mut s = String::from(
        "kind: scenario\nformat_version: 1\nname: zr\nfabric: {leaf_oversubscription: 3}\nsites:\n",
    );
    for n in sites {
        s += &format!("  - {{name: {n}, {SITE}}}\n");
    }
    s += "fibre_routes:\n";
    for w in sites.windows(2) {
        s += &format!(
            "  - {{id: {a}-{b}, between: [{a}, {b}], length_km: {km}, fibre_pairs: 2, fibre: g652d}}\n",
            a = w[0],
            b = w[1]
        );
    }
    s += &format!(
        "demands:\n  - {{between: [{}, {}], gbps: {gbps}, protection: none}}\n",
        sites[0],
        sites[sites.len() - 1]
    );
    s
}

fn plan_of(catalog_text: &str, scenario_text: &str) -> Plan {
    let catalog: Catalog =
        load::load_catalog(&Source::new("c.yaml", catalog_text.to_string())).expect("catalog loads").value;
    let scenario = load::load_scenario(&Source::new("s.yaml", scenario_text.to_string()), &catalog)
        .unwrap_or_else(|r| panic!("{}", dcplan::render::diagnostics::to_text(&r)))
        .value;
    dcplan::plan::plan(&catalog, &scenario).expect("plans")
}

fn option(plan: &Plan, kind: OptionKind) -> &OptionDesign {
    plan.interconnect[0].design.options.iter().find(|o| o.kind == kind).expect("the option")
}

fn quantity(o: &OptionDesign, site: &str, item: &str) -> u64 {
    o.parts.iter().filter(|p| p.site == site && p.item == item).map(|p| p.quantity).sum()
}

#[test]
fn a_1_6t_demand_over_60_km_rides_four_400zr_a_side_in_the_fabric() {
    let p = plan_of(&catalog_text(20), &scenario(&["a", "b"], 60.0, 1600));
    let d = &p.interconnect[0].design;
    assert_eq!(d.chosen, Some(OptionKind::FabricZr), "{}", d.why);
    let zr = option(&p, OptionKind::FabricZr);
    // 1.6T over 400G wavelengths: 4, one 400ZR at each end of each.
    assert_eq!(zr.paths[0].hops[0].wavelengths, 4);
    assert_eq!(zr.paths[0].hops[0].optic, "qsfpdd-400zr");
    for site in ["a", "b"] {
        assert_eq!(quantity(zr, site, "qsfpdd-400zr"), 4, "{site}");
    }
    // The pluggables are all it buys: no router, no card, no grey optic, no transponder.
    let items: Vec<&str> = zr.parts.iter().map(|p| p.item.as_str()).collect();
    assert_eq!(items, ["qsfpdd-400zr", "qsfpdd-400zr"], "{:#?}", zr.parts);
    assert!(zr.router_ports.is_empty());
    assert!(zr
        .standalone_line_parts
        .iter()
        .all(|p| !p.item.starts_with("sr-") && !p.item.starts_with("iom")));
    // Cheaper than routed (routers and their hand-off optics) and than optical.
    let routed = option(&p, OptionKind::Routed);
    assert!(routed.feasible && zr.cost < routed.cost, "{} vs {}", zr.cost, routed.cost);
    assert!(d.why.starts_with("fabric-zr costs"), "{}", d.why);
    // Each fabric sets aside 4 ports holding the pluggables, with no optic or cable of its own.
    for site in &p.sites {
        let h = &site.fabric.handoff;
        assert_eq!(h.len(), 1, "{}: {h:#?}", site.name);
        assert_eq!((h[0].links, h[0].ports, h[0].speed_gbps.0), (4, 4, 400), "{}", site.name);
        assert_eq!(h[0].pluggable.as_deref(), Some("qsfpdd-400zr"));
        assert!(site.fabric.links.iter().all(|g| g.class != LinkClass::HandOff), "{}", site.name);
    }
    // Every demand has it, so the network has its design.
    let names: Vec<&str> = p.interconnect_network.designs.iter().map(|d| d.name.as_str()).collect();
    assert!(names.contains(&"all-fabric-zr"), "{names:?}");
    assert_eq!(p.interconnect[0].max_flow_gbps.0, 1600);
}

#[test]
fn a_site_a_path_passes_through_takes_the_wavelengths_in_and_out() {
    // Without ROADMs in the catalog, the transit site's switches take the
    // wavelengths in and out: two pluggables a hop at each end, four at b.
    let text = catalog_text(20);
    let (head, tail) = text.split_once("\nroadm_degrees:\n").expect("the catalog has ROADM degrees");
    let no_roadm =
        format!("{head}\n{}", &tail[tail.find("\namplifiers:\n").expect("amplifiers follow") + 1..]);
    let p = plan_of(&no_roadm, &scenario(&["a", "b", "c"], 40.0, 800));
    let zr = option(&p, OptionKind::FabricZr);
    assert!(zr.feasible, "{:?}", zr.reason);
    let at = |zr: &OptionDesign| ["a", "b", "c"].map(|s| quantity(zr, s, "qsfpdd-400zr"));
    assert_eq!(at(zr), [2, 4, 2]);
    let b: u64 = zr.handoff.iter().filter(|h| h.site == "b").map(|h| h.need.links).sum();
    assert_eq!(b, 4, "ports in and out at the transit site");
    // With them, the light passes b on a ROADM (two degrees cost less than
    // four more pluggables): nothing in b's switches.
    let p = plan_of(&text, &scenario(&["a", "b", "c"], 40.0, 800));
    let zr = option(&p, OptionKind::FabricZr);
    assert_eq!(at(zr), [2, 0, 2]);
    assert_eq!(zr.paths[0].lightpaths[0].expressed_at, vec!["b".to_string()]);
    assert!(!zr.handoff.iter().any(|h| h.site == "b"));
}

#[test]
fn cages_below_the_pluggables_power_leave_fabric_zr_infeasible_with_the_reason() {
    let p = plan_of(&catalog_text(12), &scenario(&["a", "b"], 60.0, 1600));
    let d = &p.interconnect[0].design;
    let zr = option(&p, OptionKind::FabricZr);
    assert!(!zr.feasible);
    let why = zr.reason.as_deref().unwrap_or_default();
    assert!(
        why.contains("qsfpdd-400zr draws up to 18 W; the catalog's fabric cages it fits take at most 12 W"),
        "{why}"
    );
    assert_ne!(d.chosen, Some(OptionKind::FabricZr));
    assert!(p.sites.iter().all(|s| s.fabric.handoff.iter().all(|h| h.pluggable.is_none())));
    let names: Vec<&str> = p.interconnect_network.designs.iter().map(|d| d.name.as_str()).collect();
    assert!(!names.contains(&"all-fabric-zr"), "{names:?}");
}

#[test]
fn the_cli_reports_the_third_option() {
    let dir = std::env::temp_dir().join(format!("dcplan-zr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (c, s) = (dir.join("c.yaml"), dir.join("s.yaml"));
    std::fs::write(&c, catalog_text(20)).expect("write");
    std::fs::write(&s, scenario(&["a", "b"], 60.0, 1600)).expect("write");
    let o = dcplan(&["plan", s.to_str().expect("utf-8"), "--catalog", c.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(out.contains("fabric-zr  yes"), "{out}");
    assert!(out.contains("all-fabric-zr"), "{out}");
    let o = dcplan(&[
        "plan",
        s.to_str().expect("utf-8"),
        "--catalog",
        c.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["interconnect"][0]["chosen"], "fabric-zr");
    assert_eq!(json["sites"][0]["fabric"]["handoff"][0]["pluggable"], "qsfpdd-400zr");
    let _ = std::fs::remove_dir_all(&dir);
}
