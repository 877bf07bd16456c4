//! The interconnect as one network: shared line systems, the channel map,
//! blocking, and the whole-network designs, on networks small enough to
//! check by hand.

use super::support::{dcplan, root, stderr};
use dcplan::load::{self, Source};
use dcplan::model::Catalog;
use dcplan::plan::{Plan, PlanError};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

fn catalog() -> Catalog {
    super::support::without_fabric_zr(
        load::load_catalog(&Source::embedded_catalog()).expect("embedded catalog").value,
    )
}

const SITE: &str = "servers: 200, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 20, rack_power_budget_kw: 15, pue: 1.3";

/// A scenario of `sites`, `routes` (id, a, b, km, pairs) and `demands` (a, b, Gb/s, diverse).
fn scenario(
    sites: &[&str],
    routes: &[(&str, &str, &str, f64, u32)],
    demands: &[(&str, &str, u64, bool)],
) -> String {
    let mut s = String::from(
        "kind: scenario\nformat_version: 1\nname: net\nfabric: {leaf_oversubscription: 3}\nsites:\n",
    );
    for n in sites {
        s += &format!("  - {{name: {n}, {SITE}}}\n");
    }
    s += "fibre_routes:\n";
    for (id, a, b, km, pairs) in routes {
        s += &format!(
            "  - {{id: {id}, between: [{a}, {b}], length_km: {km}, fibre_pairs: {pairs}, fibre: g652d}}\n"
        );
    }
    s += "demands:\n";
    for (a, b, gbps, diverse) in demands {
        let p = if *diverse { "diverse" } else { "none" };
        s += &format!("  - {{between: [{a}, {b}], gbps: {gbps}, protection: {p}}}\n");
    }
    s
}

fn plan_of(text: &str) -> Result<Plan, PlanError> {
    let catalog = catalog();
    let scenario = load::load_scenario(&Source::new("net.yaml", text.to_string()), &catalog)
        .unwrap_or_else(|r| panic!("{}", dcplan::render::diagnostics::to_text(&r)))
        .value;
    dcplan::plan::plan(&catalog, &scenario)
}

/// Channels (slots) per fibre pair the network lit on `route`, from its lines.
fn channels_on(plan: &Plan, route: &str) -> u32 {
    plan.interconnect_network.lines.iter().find(|l| l.route == route).expect("a lit line").channels
}

#[test]
fn two_demands_on_one_route_share_one_line_system() {
    let p = plan_of(&scenario(
        &["a", "b"],
        &[("r", "a", "b", 40.0, 4)],
        &[("a", "b", 4000, false), ("b", "a", 4000, false)],
    ))
    .expect("plans");
    let lines: Vec<_> = p.interconnect_network.lines.iter().filter(|l| l.route == "r").collect();
    assert_eq!(lines.len(), 1, "one pair lit for both: {lines:#?}");
    assert_eq!(lines[0].demands, vec![1, 2]);
    // One mux, booster and preamplifier per end of that pair, whatever rides it.
    let mux = &lines[0].mux;
    for site in ["a", "b"] {
        let muxes: u64 = p
            .interconnect_network
            .parts
            .iter()
            .filter(|x| x.site == site && &x.item == mux)
            .map(|x| x.quantity)
            .sum();
        assert_eq!(muxes, 1, "{site}");
    }
    // Alone, each demand would have lit a pair of its own.
    for d in &p.interconnect {
        let o = d.design.options.iter().find(|o| Some(o.kind) == d.design.chosen).unwrap();
        assert!(o.standalone_line_parts.iter().any(|x| &x.item == mux && x.quantity == 1));
    }
}

#[test]
fn a_route_fills_exactly_and_one_wavelength_more_is_blocked_on_it() {
    // One demand alone tells the line rate and mode; the most channels any
    // catalog mux gives that mode is what one pair can carry (40 km: every
    // mux's comb is feasible), and the network picks that mux when needed.
    let probe =
        plan_of(&scenario(&["a", "b"], &[("r", "a", "b", 40.0, 1)], &[("a", "b", 400, false)])).unwrap();
    let hop = &probe.interconnect[0].design.options.iter().find(|o| o.feasible).unwrap().paths[0].hops[0];
    let rate = hop.line_rate_gbps;
    let c = catalog();
    let optic = c.coherent_optics.iter().find(|o| o.id == hop.optic).unwrap();
    let spacing = optic.modes.iter().find(|m| m.name == hop.mode).unwrap().min_spacing_ghz.0;
    let channels =
        c.mux_demux.iter().filter_map(|m| m.wavelengths_for(spacing)).max().map(u64::from).unwrap();
    // Two demands that fill the one pair to its last channel.
    let half = channels / 2 * rate;
    let rest = (channels - channels / 2) * rate;
    let full = plan_of(&scenario(
        &["a", "b"],
        &[("r", "a", "b", 40.0, 1)],
        &[("a", "b", half, false), ("a", "b", rest, false)],
    ))
    .expect("a route filled exactly plans");
    let line = &full.interconnect_network.lines[0];
    assert_eq!((line.used_channels, line.channels), (channels as u32, channels as u32), "{line:#?}");
    assert_eq!(full.interconnect_network.spectrum.len() as u64, channels);
    // One more wavelength's worth: the demand given spectrum last is blocked on the route.
    let over = plan_of(&scenario(
        &["a", "b"],
        &[("r", "a", "b", 40.0, 1)],
        &[("a", "b", half, false), ("a", "b", rest, false), ("a", "b", rate, false)],
    ))
    .expect_err("no room for the third");
    let text = over.to_string();
    assert!(text.contains("blocked on route r"), "{text}");
    assert!(text.contains("a to b"), "{text}");
}

#[test]
fn the_shipped_cli_case_of_two_demands_over_one_route_is_blocked_with_the_route() {
    let out = dcplan(&["plan", "tests/data/shared-route.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("blocked on route r1"), "{}", stderr(&out));
}

#[test]
fn first_fit_fills_from_channel_one_and_last_fit_from_the_top() {
    let base = scenario(&["a", "b"], &[("r", "a", "b", 40.0, 2)], &[("a", "b", 1200, false)]);
    let first = plan_of(&base).unwrap();
    let channels: BTreeSet<u32> = first.interconnect_network.spectrum.iter().map(|s| s.channel).collect();
    let n = channels.len() as u32;
    assert_eq!(channels, (1..=n).collect());
    let last = plan_of(&base.replace("demands:\n", "spectrum: {fit: last-fit}\ndemands:\n")).unwrap();
    let top = channels_on(&last, "r");
    let channels: BTreeSet<u32> = last.interconnect_network.spectrum.iter().map(|s| s.channel).collect();
    assert_eq!(channels, (top - n + 1..=top).collect());
    // The frequencies follow the plan: channel 1 is the highest.
    let f = |p: &Plan, ch: u32| {
        p.interconnect_network.spectrum.iter().find(|s| s.channel == ch).unwrap().frequency_thz
    };
    assert!(f(&first, 1) > f(&last, top));
}

#[test]
fn protected_and_larger_demands_get_spectrum_first_unless_the_scenario_orders_them() {
    let text = scenario(
        &["a", "b", "c"],
        &[("ab", "a", "b", 40.0, 2), ("bc", "b", "c", 40.0, 2), ("ac", "a", "c", 60.0, 2)],
        &[("a", "b", 400, false), ("a", "b", 800, false), ("a", "c", 400, true)],
    );
    let p = plan_of(&text).unwrap();
    assert_eq!(p.interconnect_network.assignment_order, vec![3, 2, 1]);
    let on_ab_first = |p: &Plan| {
        p.interconnect_network.spectrum.iter().find(|s| s.route == "ab" && s.channel == 1).map(|s| s.demand)
    };
    assert_eq!(on_ab_first(&p), Some(3), "the protected demand's path over ab takes channel 1");
    let p = plan_of(&text.replace("demands:\n", "spectrum: {order: scenario}\ndemands:\n")).unwrap();
    assert_eq!(p.interconnect_network.assignment_order, vec![1, 2, 3]);
    assert_eq!(on_ab_first(&p), Some(1));
}

#[test]
fn a_protected_demand_reports_its_working_paths_latency_and_its_protect_paths_beside_it() {
    let out = dcplan(&["plan", "scenarios/beijing-metro.yaml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut checked = 0;
    for d in json["interconnect"].as_array().unwrap() {
        for o in d["options"].as_array().unwrap().iter().filter(|o| o["feasible"] == true) {
            let paths = o["paths"].as_array().unwrap();
            assert_eq!(o["latency_ms"], paths[0]["latency_ms"]);
            if d["protection"] == "diverse" {
                assert_eq!(o["protect_latency_ms"], paths[1]["latency_ms"]);
                checked += 1;
            } else {
                assert!(o.get("protect_latency_ms").is_none());
            }
        }
    }
    assert!(checked >= 2);
}

#[test]
fn the_bill_of_materials_buys_each_line_system_once() {
    let text = std::fs::read_to_string(root().join("scenarios/beijing-metro.yaml")).unwrap();
    let catalog = catalog();
    let scenario = load::load_scenario(&Source::new("metro", text), &catalog).unwrap().value;
    let plan = dcplan::plan::plan(&catalog, &scenario).unwrap();
    let bom = dcplan::price::bom::bill_of_materials(&catalog, &scenario, &plan);
    // A mux/demux or, where wavelengths pass through, a ROADM degree at
    // each end of each lit line, nothing per demand.
    let lines = plan.interconnect_network.lines.len() as u64;
    let ends: u64 = bom
        .lines
        .iter()
        .filter(|l| {
            catalog.mux_demux.iter().any(|m| m.id == l.item)
                || catalog.roadm_degrees.iter().any(|m| m.id == l.item)
        })
        .map(|l| l.quantity - l.spares)
        .sum();
    assert_eq!(ends, 2 * lines);
    // The chosen design counts what the BOM buys for the interconnect: its parts at their unit net.
    let chosen = plan.interconnect_network.chosen().unwrap();
    let mut parts: BTreeMap<(String, String), u64> = BTreeMap::new();
    for d in &plan.interconnect {
        let o = d.design.options.iter().find(|o| Some(o.kind) == d.design.chosen).unwrap();
        for p in o.parts.iter().chain(&[]) {
            *parts.entry((p.site.clone(), p.item.clone())).or_default() += p.quantity;
        }
    }
    for p in &plan.interconnect_network.parts {
        *parts.entry((p.site.clone(), p.item.clone())).or_default() += p.quantity;
    }
    let mut sum = rust_decimal::Decimal::ZERO;
    for ((_, item), q) in &parts {
        let i = catalog.item(item).unwrap();
        sum += dcplan::price::unit_net(&catalog, i).amount() * rust_decimal::Decimal::from(*q);
    }
    assert_eq!(chosen.capex.amount(), sum.round_dp(2));
}

/// A small random network: sites in a ring with chords, random pairs, demands.
fn network() -> impl Strategy<Value = String> {
    (
        3usize..6,
        prop::collection::vec((1u32..4, 20.0f64..120.0), 8),
        prop::collection::vec((0usize..6, 0usize..6, 1u64..40, any::<bool>()), 1..7),
        any::<bool>(),
    )
        .prop_map(|(n, routes, demands, last)| {
            let names: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
            let mut rs = Vec::new();
            for i in 0..n {
                let (pairs, km) = routes[i];
                rs.push((format!("r{i}"), names[i].clone(), names[(i + 1) % n].clone(), km.round(), pairs));
            }
            let (pairs, km) = routes[7];
            rs.push(("chord".to_string(), names[0].clone(), names[2].clone(), km.round(), pairs));
            let ds: Vec<(String, String, u64, bool)> = demands
                .into_iter()
                .filter(|(a, b, _, _)| a % n != b % n)
                .map(|(a, b, w, d)| (names[a % n].clone(), names[b % n].clone(), w * 400, d))
                .collect();
            let sites: Vec<&str> = names.iter().map(String::as_str).collect();
            let routes: Vec<(&str, &str, &str, f64, u32)> =
                rs.iter().map(|(id, a, b, km, p)| (id.as_str(), a.as_str(), b.as_str(), *km, *p)).collect();
            let demands: Vec<(&str, &str, u64, bool)> =
                ds.iter().map(|(a, b, w, d)| (a.as_str(), b.as_str(), *w, *d)).collect();
            let mut s = scenario(&sites, &routes, &demands);
            if last {
                s = s.replace("demands:\n", "spectrum: {fit: last-fit}\ndemands:\n");
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// No two wavelengths share a slot of a line; every line's use is its
    /// wavelengths' slots; every chosen hop's wavelengths are on the map;
    /// no route lights more pairs than it has.
    #[test]
    fn the_channel_map_has_no_collision(text in network()) {
        let Ok(p) = plan_of(&text) else { return Ok(()) };
        let net = &p.interconnect_network;
        let mut taken: BTreeSet<(String, u32, String, u32)> = BTreeSet::new();
        let mut per_line: BTreeMap<(String, u32, String), u32> = BTreeMap::new();
        for w in &net.spectrum {
            for k in 0..w.slots {
                prop_assert!(taken.insert((w.route.clone(), w.fibre_pair, w.from.clone(), w.channel + k)), "{w:?} collides");
            }
            *per_line.entry((w.route.clone(), w.fibre_pair, w.from.clone())).or_default() += w.slots;
        }
        for l in &net.lines {
            prop_assert_eq!(per_line.get(&(l.route.clone(), l.fibre_pair, l.from.clone())).copied().unwrap_or(0), l.used_channels);
            prop_assert!(l.used_channels <= l.channels);
            let route = text.lines().find(|x| x.contains(&format!("id: {},", l.route))).unwrap();
            let pairs: u32 = route.split("fibre_pairs: ").nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
            prop_assert!(l.fibre_pair <= pairs);
        }
        for (i, d) in p.interconnect.iter().enumerate() {
            let o = d.design.options.iter().find(|o| Some(o.kind) == d.design.chosen).unwrap();
            for (pi, path) in o.paths.iter().enumerate() {
                let mut want: BTreeMap<&str, u64> = BTreeMap::new();
                for h in &path.hops {
                    *want.entry(&h.route).or_default() += h.wavelengths;
                }
                for (route, waves) in want {
                    let on_map = net.spectrum.iter().filter(|w| w.demand == i + 1 && w.path == pi + 1 && w.route == route).count() as u64;
                    prop_assert_eq!(on_map, waves, "demand {} path {} route {}", i + 1, pi + 1, route);
                }
                // An expressed lightpath keeps its channels on every route it crosses.
                for lp in path.lightpaths.iter().filter(|l| l.routes.len() > 1) {
                    let channels = |route: &str| {
                        let mut c: Vec<u32> = net.spectrum.iter().filter(|w| w.demand == i + 1 && w.path == pi + 1 && w.route == route).map(|w| w.channel).collect();
                        c.sort_unstable();
                        c
                    };
                    let first = channels(&lp.routes[0]);
                    for r in &lp.routes[1..] {
                        prop_assert_eq!(&channels(r), &first, "demand {} path {}: {:?}", i + 1, pi + 1, lp);
                    }
                }
            }
        }
    }

    /// Where every mix was tried, the chosen network costs no more than any
    /// whole-network design, and each chosen option's margin is known.
    #[test]
    fn the_chosen_mix_is_no_worse_than_any_single_option_network(text in network()) {
        let Ok(p) = plan_of(&text) else { return Ok(()) };
        let net = &p.interconnect_network;
        let Some(chosen) = net.chosen() else { return Ok(()) };
        if net.mix_search.method == "exact" && chosen.feasible {
            for d in net.designs.iter().filter(|d| d.feasible) {
                prop_assert!(chosen.capex <= d.capex, "{} {} < chosen {}", d.name, d.capex, chosen.capex);
            }
        }
        for d in &p.interconnect {
            if let Some(o) = d.design.options.iter().find(|o| Some(o.kind) == d.design.chosen) {
                prop_assert!(o.marginal_capex.is_some(), "{:?}", o.kind);
            }
        }
    }
}

#[test]
fn a_generated_network_of_many_demands_gets_every_wavelength_a_channel_of_its_own() {
    let yaml = dcplan::generate::scenario_yaml(dcplan::generate::Spec {
        servers: 3200,
        sites: 16,
        seed: 3,
        demands: Some(200),
    });
    let p = plan_of(&yaml).expect("the generated network plans");
    let net = &p.interconnect_network;
    let mut taken = BTreeSet::new();
    for w in &net.spectrum {
        for k in 0..w.slots {
            assert!(taken.insert((w.route.clone(), w.fibre_pair, w.from.clone(), w.channel + k)), "{w:?}");
        }
    }
    let waves: u64 = p
        .interconnect
        .iter()
        .filter_map(|d| d.design.options.iter().find(|o| Some(o.kind) == d.design.chosen))
        .flat_map(|o| o.paths.iter().flat_map(|p| p.hops.iter()))
        .map(|h| h.wavelengths)
        .sum();
    assert_eq!(net.spectrum.len() as u64, waves);
    assert!(net.lines.iter().all(|l| l.used_channels <= l.channels));
    assert_eq!(p.interconnect.len(), 200);
}

#[test]
fn two_routed_demands_at_a_site_share_its_routers_cards() {
    let text = std::fs::read_to_string(root().join("catalogs/merchant-whitebox.yaml")).unwrap();
    let catalog = super::support::without_fabric_zr(
        load::load_catalog(&Source::new("merchant.yaml", text)).unwrap().value,
    );
    let yaml = scenario(
        &["a", "b"],
        &[("r", "a", "b", 40.0, 2)],
        &[("a", "b", 2400, false), ("b", "a", 2400, false)],
    );
    let scenario = load::load_scenario(&Source::new("net.yaml", yaml), &catalog).unwrap().value;
    let p = dcplan::plan::plan(&catalog, &scenario).expect("plans");
    let mut alone = 0;
    for d in &p.interconnect {
        let o = d.design.options.iter().find(|o| Some(o.kind) == d.design.chosen).unwrap();
        assert_eq!(o.kind.as_str(), "routed");
        alone += o
            .standalone_line_parts
            .iter()
            .filter(|x| x.site == "a" && catalog.line_cards.iter().any(|c| c.id == x.item))
            .map(|x| x.quantity)
            .sum::<u64>();
    }
    let pooled: Vec<_> = p.interconnect_network.routers.iter().filter(|r| r.site == "a").collect();
    assert_eq!(pooled.len(), 1, "one plane: {pooled:#?}");
    let cards: u64 = pooled[0].cards.iter().map(|c| c.quantity).sum();
    let used: u64 = pooled[0].ports.iter().map(|x| x.used).sum();
    let ports_alone: u64 = p
        .interconnect
        .iter()
        .filter_map(|d| d.design.options.iter().find(|o| Some(o.kind) == d.design.chosen))
        .flat_map(|o| o.router_ports.iter().filter(|n| n.site == "a"))
        .map(|n| n.ports)
        .sum();
    assert_eq!(used, ports_alone, "the pool holds every demand's ports");
    assert!(cards < alone, "pooled {cards} cards, {alone} alone");
}
