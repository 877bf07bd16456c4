//! Fabric sizing against closed forms from outside the code (Al-Fares et
//! al., SIGCOMM 2008; RFC 7938 §3), and invariants that must hold for any
//! scenario.

use dcplan::analyse::capacity;
use dcplan::design::fabric::{design_site, FabricDesign};
use dcplan::load::{self, Source};
use dcplan::model::{Catalog, Scenario};
use dcplan::topology;
use proptest::prelude::*;

/// A catalog with one k-port switch of `speed` Gb/s for every role, and a
/// passive cable long enough for every run, so only port counts matter.
fn uniform_catalog(k: u32, speed: u64) -> Catalog {
    let ff = if speed == 100 { "qsfp28" } else { "qsfp-dd" };
    let yaml = format!(
        r#"
kind: catalog
format_version: 1
name: uniform k={k}
vendor: test
deal:
  currency: USD
  valid_from: 2024-01-01
  valid_until: 2025-01-01
  discounts_pct: {{}}
  support: {{pct_per_year: "0", years: 1}}
  source: test fixture
switches:
  - id: k{k}
    model: K{k}
    part_number: K{k}
    roles: [leaf, spine, superspine]
    ports: [{{count: {k}, speed_gbps: {speed}, form_factor: {ff}}}]
    capacity_fd_gbps: {cap}
    rack_units: 1
    power_w: {{typical: 100, max: 200}}
    list_price: "1000.00"
    source: test fixture
cables:
  - id: dac
    model: DAC
    part_number: DAC
    kind: dac
    form_factor: {ff}
    speed_gbps: {speed}
    connector: integrated
    length_options_m: [1, 2, 3]
    reach_m: 3
    power_w: {{typical: 0, max: 0}}
    list_price: "10.00"
    source: test fixture
"#,
        cap = u64::from(k) * speed
    );
    load::load_catalog(&Source::new("uniform.yaml", yaml)).expect("test catalog is valid").value
}

fn scenario(
    catalog: &Catalog,
    servers: u64,
    per_rack: u64,
    speed: u64,
    leaf_os: f64,
    spine_os: f64,
    tiers: &str,
) -> Scenario {
    let yaml = format!(
        r#"
kind: scenario
format_version: 1
name: test
growth_headroom_pct: 0
fabric: {{leaf_oversubscription: {leaf_os}, spine_oversubscription: {spine_os}, homing: single, tiers: {tiers}}}
sites:
  - name: s
    servers: {servers}
    nics_per_server: 1
    nic_speed_gbps: {speed}
    servers_per_rack: {per_rack}
    rack_power_budget_kw: 100
    pue: 1.2
    layout: {{in_rack_m: 1, in_row_m: 2, across_hall_m: 3}}
"#
    );
    load::load_scenario(&Source::new("s.yaml", yaml), catalog).expect("test scenario is valid").value
}

fn design(catalog: &Catalog, scenario: &Scenario) -> FabricDesign {
    design_site(catalog, scenario, &scenario.sites[0]).expect("feasible")
}

#[test]
fn fat_tree_of_k_port_switches_serves_k3_over_4_hosts_with_5k2_over_4_switches() {
    for k in [4u64, 8, 16, 32, 64] {
        let catalog = uniform_catalog(k as u32, 100);
        let hosts = k * k * k / 4;
        let s = scenario(&catalog, hosts, k / 2, 100, 1.0, 1.0, "auto");
        let d = design(&catalog, &s);
        let switches: u64 = d.tier_list().iter().map(|t| t.count).sum();
        assert_eq!(d.tiers, 3, "k={k}");
        assert_eq!(
            switches,
            5 * k * k / 4,
            "k={k}: {} leaves, {} spines, {} superspines",
            d.leaf.count,
            d.spine.count,
            d.superspine.as_ref().unwrap().count
        );
        assert_eq!(d.pods, k, "k={k}");
        assert_eq!(d.oversubscription.leaf, 1.0);
        assert_eq!(d.oversubscription.spine, Some(1.0));
        // Full bisection: half the hosts send to the other half at line rate.
        let g = topology::site_graph(&d);
        assert_eq!(capacity::bisection_gbps(&g, "s"), hosts * 100 / 2, "k={k}");
    }
}

#[test]
fn two_tier_limit_is_spine_ports_times_leaf_down_ports() {
    // RFC 7938 §3.1: with k-port switches and a leaf split of d down / u up
    // (d/u ≤ t), one link per leaf–spine pair, a spine serves k leaves, so two
    // tiers end at k·d servers. k = 32, t = 3: d = 24, u = 8, 768 servers.
    let catalog = uniform_catalog(32, 100);
    let at_limit = scenario(&catalog, 32 * 24, 24, 100, 3.0, 1.0, "auto");
    let d = design(&catalog, &at_limit);
    assert_eq!((d.tiers, d.leaf.count, d.spine.count), (2, 32, 8));
    assert_eq!(d.leaf.up_links, 8);
    assert_eq!(d.growth.max_servers, 768);
    // One more rack needs a third tier.
    let beyond = scenario(&catalog, 32 * 24 + 24, 24, 100, 3.0, 1.0, "auto");
    assert_eq!(design(&catalog, &beyond).tiers, 3);
    // Forcing two tiers beyond the limit is an infeasible scenario, with the reason.
    let forced = scenario(&catalog, 32 * 24 + 24, 24, 100, 3.0, 1.0, "2");
    let err = design_site(&catalog, &forced, &forced.sites[0]).unwrap_err();
    assert!(err.detail.contains("need more than the 32 links"), "{err}");
}

#[test]
fn two_tier_bisection_equals_the_closed_form() {
    // Bisection of a leaf–spine = half the leaves' uplink capacity when the
    // leaves are oversubscribed: (L/2)·u·U.
    let catalog = uniform_catalog(32, 100);
    let s = scenario(&catalog, 600, 24, 100, 3.0, 1.0, "auto");
    let d = design(&catalog, &s);
    let g = topology::site_graph(&d);
    let closed = d.leaf.count / 2 * d.leaf.up_links * 100;
    assert_eq!(capacity::bisection_gbps(&g, "s"), closed);
}

#[test]
fn max_flow_agrees_with_petgraph_on_the_metro_fabrics() {
    let catalog = load::load_catalog(&Source::embedded_catalog()).unwrap().value;
    let text = std::fs::read_to_string(crate::support::root().join("scenarios/beijing-metro.yaml")).unwrap();
    let s = load::load_scenario(&Source::new("metro", text), &catalog).unwrap().value;
    for site in &s.sites {
        let d = design_site(&catalog, &s, site).unwrap();
        let g = topology::site_graph(&d);
        let racks: Vec<_> =
            g.nodes().filter(|(_, n)| n.kind == topology::NodeKind::Servers).map(|(id, _)| id).collect();
        let half = racks.len() / 2;
        let with_cap = |ids: &[topology::NodeId]| -> Vec<_> {
            ids.iter().map(|&r| (r, Some(capacity::attached_gbps(&g, r)))).collect()
        };
        let (a, b) = (with_cap(&racks[..half]), with_cap(&racks[half..]));
        assert_eq!(capacity::max_flow(&g, &a, &b), capacity::max_flow_petgraph(&g, &a, &b), "{}", site.name);
    }
}

fn arbitrary_case() -> impl Strategy<Value = (u32, u64, u64, u64, f64, f64, bool)> {
    (
        prop::sample::select(vec![16u32, 32, 48, 64]),
        prop::sample::select(vec![25u64, 100]),
        1u64..4000,
        prop::sample::select(vec![8u64, 16, 20, 24, 32, 40]),
        prop::sample::select(vec![1.0, 1.5, 2.0, 3.0, 4.0]),
        prop::sample::select(vec![1.0, 1.5, 2.0]),
        any::<bool>(),
    )
}

fn mixed_catalog(k: u32) -> Catalog {
    // Ports of 100G that break out 4x25G, so 25G servers attach by breakout.
    let yaml = format!(
        r#"
kind: catalog
format_version: 1
name: mixed
vendor: test
deal:
  currency: USD
  valid_from: 2024-01-01
  valid_until: 2025-01-01
  discounts_pct: {{fabric: "30"}}
  support: {{pct_per_year: "0", years: 1}}
  source: test fixture
switches:
  - id: sw
    model: SW
    part_number: SW
    roles: [leaf, spine, superspine]
    ports: [{{count: {k}, speed_gbps: 100, form_factor: qsfp28, breakouts: [{{lanes: 4, speed_gbps: 25}}]}}]
    capacity_fd_gbps: {cap}
    rack_units: 1
    power_w: {{typical: 150, max: 300}}
    list_price: "1000.00"
    source: test fixture
cables:
  - {{id: dac, model: DAC, part_number: DAC, kind: dac, form_factor: qsfp28, speed_gbps: 100, connector: integrated, length_options_m: [1, 3], reach_m: 3, power_w: {{typical: 0.1, max: 0.2}}, list_price: "10.00", source: test fixture}}
  - {{id: dac25, model: DAC25, part_number: DAC25, kind: dac, form_factor: sfp28, speed_gbps: 25, connector: integrated, length_options_m: [1, 3], reach_m: 3, power_w: {{typical: 0.1, max: 0.1}}, list_price: "5.00", source: test fixture}}
  - {{id: bdac, model: BDAC, part_number: BDAC, kind: breakout-dac, form_factor: qsfp28, speed_gbps: 100, breakout: {{lanes: 4, speed_gbps: 25}}, connector: integrated, length_options_m: [1, 3], reach_m: 3, power_w: {{typical: 0.1, max: 0.2}}, list_price: "20.00", source: test fixture}}
"#,
        cap = u64::from(k) * 100
    );
    load::load_catalog(&Source::new("mixed.yaml", yaml)).expect("mixed catalog is valid").value
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// For any scenario: every server port is attached, no switch uses more
    /// ports than it has, uplinks spread evenly, targets are met, and power
    /// adds up; or the design is refused with a reason.
    #[test]
    fn designs_keep_their_invariants((k, speed, servers, per_rack, leaf_os, spine_os, dual) in arbitrary_case()) {
        let catalog = mixed_catalog(k);
        let homing = if dual { "dual" } else { "single" };
        let nics = if dual { 2 } else { 1 };
        let yaml = format!(
            "kind: scenario\nformat_version: 1\nname: p\ngrowth_headroom_pct: 10\nfabric: {{leaf_oversubscription: {leaf_os}, spine_oversubscription: {spine_os}, homing: {homing}}}\nsites:\n  - {{name: s, servers: {servers}, nics_per_server: {nics}, nic_speed_gbps: {speed}, servers_per_rack: {per_rack}, rack_power_budget_kw: 200, pue: 1.3, layout: {{in_rack_m: 1, in_row_m: 2, across_hall_m: 3}}}}\n"
        );
        let s = load::load_scenario(&Source::new("p.yaml", yaml), &catalog).expect("valid").value;
        let d = match design_site(&catalog, &s, &s.sites[0]) {
            Ok(d) => d,
            Err(e) => {
                prop_assert!(!e.detail.is_empty());
                return Ok(());
            }
        };
        // Every server port is attached, in the design and in the graph.
        let server_links: u64 = d.links.iter().filter(|l| l.class.as_str() == "server-leaf").map(|l| l.links).sum();
        prop_assert_eq!(server_links, servers * nics);
        let g = topology::site_graph(&d);
        let attached: u64 = g.nodes().filter(|(_, n)| n.kind == topology::NodeKind::Servers)
            .map(|(id, _)| capacity::attached_gbps(&g, id)).sum();
        prop_assert_eq!(attached, servers * nics * speed);
        for t in d.tier_list() {
            prop_assert!(t.ports_used <= t.ports_total, "{} uses {} of {}", t.switch_id, t.ports_used, t.ports_total);
            prop_assert!(t.down_links + t.up_links <= k as u64 * 4);
        }
        // Uplinks spread evenly: every leaf reaches every spine of its pod equally.
        prop_assert_eq!(d.leaf.links_per_peer_up * d.spines_per_pod, d.leaf.up_links);
        if let Some(ss) = &d.superspine {
            prop_assert_eq!(d.spine.links_per_peer_up * d.superspines_per_plane, d.spine.up_links);
            prop_assert!(ss.down_links <= ss.ports_total * 4);
        }
        // Targets met.
        prop_assert!(d.oversubscription.leaf <= leaf_os + 0.005);
        if let Some(o) = d.oversubscription.spine {
            prop_assert!(o <= spine_os + 0.005);
        }
        // Power adds up to the device figures.
        let p = dcplan::analyse::power::site_power(&d, &s.sites[0]);
        let switches_w: f64 = d.tier_list().iter().map(|t| t.count as f64 * 150.0).sum();
        let media_w: f64 = d.links.iter().map(|l| l.media.totals(l.counts()).1 .0).sum();
        prop_assert!((p.typical_w.0 - (switches_w + media_w)).abs() < 0.5, "{} vs {}", p.typical_w.0, switches_w + media_w);
        prop_assert!(p.max_w.0 >= p.typical_w.0);
        prop_assert!((p.facility_typical_w.0 - p.typical_w.0 * 1.3).abs() < 1.0);
        // Bisection never exceeds half the server capacity.
        prop_assert!(capacity::bisection_gbps(&g, "s") * 2 <= servers * nics * speed + per_rack * nics * speed);
    }
}

#[test]
fn media_never_falls_short_of_the_run_nor_mixes_fibre_types() {
    use dcplan::model::{CableKind, FibreKind};
    for catalog_source in [Source::embedded_catalog(), {
        let p = crate::support::root().join("catalogs/merchant-whitebox.yaml");
        load::read_source(&p).unwrap()
    }] {
        let catalog = load::load_catalog(&catalog_source).unwrap().value;
        for name in ["example", "beijing-metro", "hyperscale"] {
            let text = std::fs::read_to_string(crate::support::root().join(format!("scenarios/{name}.yaml")))
                .unwrap();
            let s = load::load_scenario(&Source::new(name, text), &catalog).unwrap().value;
            for site in &s.sites {
                let d = design_site(&catalog, &s, site).unwrap();
                for group in &d.links {
                    let run = group.class.distance(&site.layout).0;
                    let mut fibres: Vec<FibreKind> = Vec::new();
                    let mut longest_fibre = 0.0f64;
                    for part in group.media.parts.iter() {
                        if let Some(o) = catalog.grey_optics.iter().find(|o| o.id == part.item) {
                            assert!(
                                o.reach_m.0 >= run,
                                "{name}/{}: {} reaches {} < {run} m",
                                site.name,
                                o.id,
                                o.reach_m.0
                            );
                            fibres.push(o.fibre);
                        } else if let Some(c) = catalog.cables.iter().find(|c| c.id == part.item) {
                            match c.kind {
                                CableKind::FibrePatch | CableKind::FibreTrunk => {
                                    fibres.extend(c.fibre);
                                    longest_fibre = longest_fibre.max(part.length_m.unwrap().0);
                                }
                                _ => {
                                    assert!(c.reach_m.0 >= run && part.length_m.unwrap().0 >= run, "{}", c.id)
                                }
                            }
                        } else {
                            panic!("{} is not an optic or a cable", part.item);
                        }
                    }
                    if group.media.kind == "optics" {
                        assert!(
                            longest_fibre >= run,
                            "{name}/{}: fibre {longest_fibre} m < {run} m",
                            site.name
                        );
                        assert!(
                            fibres.windows(2).all(|w| w[0] == w[1]),
                            "{name}/{}: mixed fibre {fibres:?}",
                            site.name
                        );
                    }
                }
            }
        }
    }
}

/// The hand-off is designed into the fabric: every link the chosen
/// interconnect needs at a site is a `hand-off` link of its top tier, on
/// ports counted as used, and the growth figure is what is left beside it.
#[test]
fn the_interconnect_hand_off_is_set_aside_on_the_top_tier() {
    let root = crate::support::root();
    let catalog = crate::support::without_fabric_zr(
        load::load_catalog(&Source::embedded_catalog()).expect("catalog").value,
    );
    let text = std::fs::read_to_string(root.join("scenarios/beijing-metro.yaml")).expect("metro");
    let scenario =
        load::load_scenario(&Source::new("beijing-metro.yaml", text), &catalog).expect("metro").value;
    let plan = dcplan::plan::plan(&catalog, &scenario).expect("metro plans");
    let graph = dcplan::plan::full_topology(&plan);
    for (site, model) in plan.sites.iter().zip(&scenario.sites) {
        let f = &site.fabric;
        let needs = plan.handoff_needs(&site.name);
        assert!(!needs.is_empty(), "{}: every metro site has a demand", site.name);
        let wanted: u64 = needs.iter().map(|h| h.links).sum();
        let designed: u64 = f.handoff.iter().map(|h| h.links).sum();
        let grouped: u64 = f
            .links
            .iter()
            .filter(|g| g.class == dcplan::design::media::LinkClass::HandOff)
            .map(|g| g.links)
            .sum();
        assert_eq!((designed, grouped), (wanted, wanted), "{}", site.name);
        let top = f.superspine.as_ref().unwrap_or(&f.spine);
        for h in &f.handoff {
            assert_eq!(h.role, top.role);
            assert!(h.links_per_switch * top.count >= h.links);
        }
        let reserved: u64 = top.handoff_uses.iter().flatten().map(|u| u.ports).sum();
        assert!(reserved > 0 && top.ports_used <= top.ports_total, "{}: {top:?}", site.name);
        // Growth counts only the top tier's ports left beside the hand-off:
        // the panel less the ports set aside, at the tier's down speed.
        let sw = catalog.switch(&top.switch_id).expect("top switch");
        let left: u64 = sw
            .ports
            .iter()
            .enumerate()
            .map(|(g, group)| {
                let taken: u64 =
                    top.handoff_uses.iter().flatten().filter(|u| u.group == g).map(|u| u.ports).sum();
                let lanes =
                    dcplan::design::ports::links_per_port(group, top.down_speed_gbps).map_or(0, |(k, _)| k);
                (u64::from(group.count) - taken) * lanes
            })
            .sum();
        let per_peer = if f.tiers == 3 { f.spine.links_per_peer_up } else { f.leaf.links_per_peer_up };
        let expected = if f.tiers == 3 {
            left / per_peer * (f.leaves_per_pod / f.leaves_per_rack) * model.rack_size()
        } else {
            left / per_peer / f.leaves_per_rack * model.rack_size()
        };
        assert_eq!(f.growth.max_servers, expected.max(f.growth.target_servers), "{}", site.name);
        let bare = design_site(&catalog, &scenario, model).expect("bare design");
        assert!(bare.handoff.is_empty());
        // The whole graph joins the site's border to its top tier with exactly those links.
        let border = graph.find(&format!("{}/border", site.name)).expect("border");
        let to_fabric: u64 = graph
            .bundles_at(border)
            .filter(|(_, b)| b.class == dcplan::design::media::LinkClass::HandOff && b.gbps.0 == 100)
            .map(|(_, b)| b.count)
            .sum();
        assert!(to_fabric >= wanted, "{}: {to_fabric} hand-off links on the graph for {wanted}", site.name);
    }
}
