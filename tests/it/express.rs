//! Optical express on chains of three sites small enough to check by hand:
//! where the light passes the middle site on a ROADM, where it cannot and
//! is regenerated there, and what the ROADM costs and does to the budget.

use dcplan::analyse::optical;
use dcplan::design::interconnect::{OptionDesign, OptionKind};
use dcplan::load::{self, Source};
use dcplan::model::Catalog;
use dcplan::plan::Plan;

fn catalog() -> Catalog {
    super::support::without_fabric_zr(
        load::load_catalog(&Source::embedded_catalog()).expect("embedded catalog").value,
    )
}

const SITE: &str = "servers: 200, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 20, rack_power_budget_kw: 15, pue: 1.3";

/// Sites a, b, c; routes a-b and b-c of the given lengths; the demands.
fn chain(km_ab: f64, km_bc: f64, demands: &[(&str, &str, u64)]) -> Plan {
    let mut s = String::from(
        "kind: scenario\nformat_version: 1\nname: chain\nfabric: {leaf_oversubscription: 3}\nsites:\n",
    );
    for n in ["a", "b", "c"] {
        s += &format!("  - {{name: {n}, {SITE}}}\n");
    }
    s += &format!(
        "fibre_routes:\n  - {{id: ab, between: [a, b], length_km: {km_ab}, fibre_pairs: 4, fibre: g652d}}\n  - {{id: bc, between: [b, c], length_km: {km_bc}, fibre_pairs: 4, fibre: g652d}}\ndemands:\n"
    );
    for (a, b, gbps) in demands {
        s += &format!("  - {{between: [{a}, {b}], gbps: {gbps}}}\n");
    }
    let catalog = catalog();
    let scenario = load::load_scenario(&Source::new("chain.yaml", s), &catalog)
        .unwrap_or_else(|r| panic!("{}", dcplan::render::diagnostics::to_text(&r)))
        .value;
    dcplan::plan::plan(&catalog, &scenario).expect("plans")
}

fn optical_option(p: &Plan, demand: usize) -> &OptionDesign {
    p.interconnect[demand].design.options.iter().find(|o| o.kind == OptionKind::Optical).expect("optical")
}

/// Coherent optics of an option at a site.
fn coherent_at(c: &Catalog, o: &OptionDesign, site: &str) -> u64 {
    o.parts
        .iter()
        .filter(|x| x.site == site && c.coherent_optics.iter().any(|k| k.id == x.item))
        .map(|x| x.quantity)
        .sum()
}

#[test]
fn two_short_routes_are_expressed_through_the_middle_site_and_the_budget_adds_up_by_hand() {
    let c = catalog();
    let roadm = &c.roadm_degrees[0];
    let p = chain(30.0, 30.0, &[("a", "c", 400)]);
    let o = optical_option(&p, 0);
    assert!(o.feasible, "{:?}", o.reason);
    let path = &o.paths[0];
    assert_eq!(path.lightpaths.len(), 1, "{:#?}", path.lightpaths);
    let lp = &path.lightpaths[0];
    assert_eq!((lp.from.as_str(), lp.to.as_str()), ("a", "c"));
    assert_eq!((lp.starts_in, lp.ends_in), ("add", "drop"));
    assert_eq!(lp.expressed_at, vec!["b".to_string()]);
    // No transponder at the middle site: one at each end per wavelength.
    assert_eq!(coherent_at(&c, o, "b"), 0);
    assert_eq!(coherent_at(&c, o, "a"), lp.wavelengths);
    // Alone, a ROADM degree ends each route's pair at b instead of a mux.
    let at_b = |item: &str| {
        o.standalone_line_parts
            .iter()
            .filter(|x| x.site == "b" && x.item == item)
            .map(|x| x.quantity)
            .sum::<u64>()
    };
    let pairs: u64 = path.hops.iter().map(|h| h.fibre_pairs).sum();
    assert_eq!(at_b(&roadm.id), pairs);
    assert_eq!(at_b(&path.hops[0].mux), 0);

    // By hand: 1/GSNR = 1/GSNR(a-b) + 1/GSNR(b-c) + 1/OSNR(booster making
    // up the express loss), each line alone as a one-route demand sees it;
    // required OSNR + the filtering penalty.
    let v = &path.hops[0].verdict;
    let single = chain(30.0, 30.0, &[("a", "b", 400), ("b", "c", 400)]);
    let line_gsnr = |d: usize| {
        let h = &optical_option(&single, d).paths[0].hops[0];
        assert_eq!((h.mode.as_str(), h.mux.as_str()), (v.mode.as_str(), path.hops[0].mux.as_str()));
        h.verdict.gsnr_db
    };
    let booster = c
        .amplifiers
        .iter()
        .filter(|a| a.roles.contains(&dcplan::model::AmplifierRole::Booster))
        .map(|a| a.noise_figure_db.0)
        .next()
        .unwrap();
    let h_nu_b = 6.626_070_15e-34 * 193.5e12 * 12.5e9;
    let pass = 10.0
        * (10f64.powf(v.launch_dbm / 10.0) * 1e-3 / (10f64.powf(booster / 10.0) * h_nu_b)).log10()
        - roadm.express_loss_db.0;
    let expected = optical::combine_snr_db(&[line_gsnr(0), line_gsnr(1), pass]);
    assert!((v.gsnr_db - expected).abs() < 0.05, "express GSNR {} vs {expected} by hand", v.gsnr_db);
    assert_eq!(v.express_passes, 1);
    let optic = c.coherent_optics.iter().find(|x| x.id == path.hops[0].optic).unwrap();
    let mode = optic.modes.iter().find(|m| m.name == v.mode).unwrap();
    assert!((v.required_osnr_db - (mode.required_osnr_db.0 + roadm.filtering_penalty_db.0)).abs() < 1e-9);
}

#[test]
fn past_every_mode_s_reach_end_to_end_the_middle_site_regenerates() {
    // 1,600 km each: every mode of the muxponder reaches one route (its
    // slowest mode is rated for 3,000 km), none reaches 3,200 km.
    let c = catalog();
    let p = chain(1600.0, 1600.0, &[("a", "c", 100)]);
    let o = optical_option(&p, 0);
    assert!(o.feasible, "{:?}", o.reason);
    let path = &o.paths[0];
    assert_eq!(path.lightpaths.len(), 2, "{:#?}", path.lightpaths);
    assert_eq!((path.lightpaths[0].to.as_str(), path.lightpaths[0].ends_in), ("b", "regeneration"));
    assert_eq!((path.lightpaths[1].from.as_str(), path.lightpaths[1].starts_in), ("b", "regeneration"));
    assert!(path.lightpaths.iter().all(|l| l.expressed_at.is_empty()));
    // Back to back at b: one transponder per wavelength of each lightpath.
    let waves: u64 = path.lightpaths.iter().map(|l| l.wavelengths).sum();
    assert_eq!(coherent_at(&c, o, "b"), waves);
    assert!(!o.standalone_line_parts.iter().any(|x| c.roadm_degrees.iter().any(|r| r.id == x.item)));
}

#[test]
fn an_expressed_wavelength_keeps_its_channel_on_both_routes_first_free_on_both() {
    // b-c's demand is the largest and gets spectrum first, then a-b's, then
    // a-c's expressed one: it must take a channel free on both routes.
    let p = chain(30.0, 30.0, &[("a", "b", 400), ("b", "c", 800), ("a", "c", 400)]);
    let net = &p.interconnect_network;
    let express: Vec<_> = net.spectrum.iter().filter(|w| w.demand == 3).collect();
    let d3 = &p.interconnect[2].design;
    let chosen = d3.options.iter().find(|o| Some(o.kind) == d3.chosen).unwrap();
    if chosen.paths[0].lightpaths.len() != 1 {
        panic!("demand 3 is not expressed: {:#?}", chosen.paths[0].lightpaths);
    }
    let on = |route: &str| {
        express.iter().filter(|w| w.route == route).map(|w| (w.fibre_pair, w.channel)).collect::<Vec<_>>()
    };
    let (ab, bc) = (on("ab"), on("bc"));
    assert_eq!(ab.len(), bc.len());
    for ((_, x), (_, y)) in ab.iter().zip(&bc) {
        assert_eq!(x, y, "same channel on both routes");
    }
    // First fit: every lower channel is taken on one of the two pairs it uses.
    for ((pa, ch), (pb, _)) in ab.iter().zip(&bc) {
        for lower in 1..*ch {
            let taken = |route: &str, pair: u32| {
                net.spectrum.iter().any(|w| w.route == route && w.fibre_pair == pair && w.channel == lower)
            };
            assert!(taken("ab", *pa) || taken("bc", *pb), "channel {lower} was free on both");
        }
    }
}
