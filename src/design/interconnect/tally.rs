//! Parts, power, space and cost of what an option or the network buys.

use super::line::Amps;
use super::{inline_site, Hop, PartCount};
use crate::model::*;
use crate::money::Money;
use crate::price;
use crate::units::Watts;
use std::collections::BTreeMap;

pub(super) struct Finished {
    pub(super) parts: Vec<PartCount>,
    pub(super) cost: Money,
    pub(super) typ: Watts,
    pub(super) max: Watts,
    pub(super) ftyp: Watts,
    pub(super) fmax: Watts,
    pub(super) ru: f64,
}

/// Accumulates parts, power, space and cost of an option.
#[derive(Default, Clone)]
pub(super) struct Tally {
    pub(super) parts: BTreeMap<(String, String, String), u64>,
}

impl Tally {
    /// Adds everything another tally holds.
    pub(super) fn absorb(&mut self, other: &Tally) {
        for (k, q) in &other.parts {
            *self.parts.entry(k.clone()).or_default() += q;
        }
    }

    pub(super) fn add(&mut self, item: &str, site: &str, quantity: u64, why: &str) {
        if quantity > 0 {
            *self.parts.entry((site.to_string(), item.to_string(), why.to_string())).or_default() += quantity;
        }
    }

    pub(super) fn finish(self, catalog: &Catalog, scenario: &Scenario) -> Finished {
        let mut cost = rust_decimal::Decimal::ZERO;
        let (mut typ, mut max, mut ftyp, mut fmax, mut ru) = (0.0, 0.0, 0.0, 0.0, 0.0);
        let mut parts = Vec::new();
        for ((site, item, why), q) in self.parts {
            if let Some(i) = catalog.item(&item) {
                let pue = scenario.sites.iter().find(|s| s.name == site).map_or(1.0, |s| s.pue);
                cost += price::unit_net(catalog, i).amount() * rust_decimal::Decimal::from(q);
                typ += i.power().typical.0 * q as f64;
                max += i.power().max.0 * q as f64;
                ftyp += i.power().typical.0 * q as f64 * pue;
                fmax += i.power().max.0 * q as f64 * pue;
                ru += catalog.rack_units_of(&item) * q as f64;
            }
            parts.push(PartCount { item, site, quantity: q, why });
        }
        let r1 = |x: f64| Watts((x * 10.0).round() / 10.0);
        Finished {
            parts,
            cost: Money(cost.round_dp(2)),
            typ: r1(typ),
            max: r1(max),
            ftyp: r1(ftyp),
            fmax: r1(fmax),
            ru,
        }
    }
}

/// Where one line system runs: a route's spans `first_span..` between two
/// ends (the route's sites, or inline sites where it is regenerated).
pub(super) struct LineRun<'a> {
    pub(super) route: &'a str,
    pub(super) from: &'a str,
    pub(super) to: &'a str,
    pub(super) first_span: usize,
    pub(super) inline_sites: usize,
}

impl<'a> LineRun<'a> {
    pub(super) fn of(hop: &'a Hop) -> LineRun<'a> {
        LineRun {
            route: &hop.route,
            from: &hop.from,
            to: &hop.to,
            first_span: hop.first_span,
            inline_sites: hop.inline_sites,
        }
    }
}

/// Adds `pairs` line systems on a run: a mux/demux (or, at an end where
/// wavelengths pass through optically, a ROADM degree), a booster and a
/// preamplifier per pair at each end, and two inline amplifiers (one per
/// direction) per pair at each inline site.
pub(super) fn line_system(
    t: &mut Tally,
    run: &LineRun<'_>,
    pairs: u64,
    mux: &MuxDemux,
    amps: &Amps<'_>,
    degrees: [Option<&RoadmDegree>; 2],
) {
    let route = run.route;
    for (site, degree) in [run.from, run.to].into_iter().zip(degrees) {
        match degree {
            Some(d) => t.add(&d.id, site, pairs, &format!("ROADM degree, route {route}")),
            None => t.add(&mux.id, site, pairs, &format!("mux/demux, route {route}")),
        }
        t.add(&amps.booster.id, site, pairs, &format!("booster, route {route}"));
        t.add(&amps.preamp.id, site, pairs, &format!("preamplifier, route {route}"));
    }
    if let Some(inline) = amps.inline {
        for k in 1..=run.inline_sites {
            let site = inline_site(route, run.first_span + k);
            t.add(
                &inline.id,
                &site,
                2 * pairs,
                &format!("inline amplifiers (both directions), route {route}"),
            );
        }
    }
}

/// Shelves for the cards of a tally, per site (cards of every demand at a
/// site share them).
pub(super) fn shelves(t: &Tally, catalog: &Catalog) -> Tally {
    let mut slots: BTreeMap<(String, String), u64> = BTreeMap::new();
    for ((site, item, _), q) in &t.parts {
        let shelf = catalog
            .amplifiers
            .iter()
            .find(|a| &a.id == item)
            .and_then(|a| a.shelf.clone())
            .or_else(|| catalog.coherent_optics.iter().find(|o| &o.id == item).and_then(|o| o.shelf.clone()))
            .or_else(|| catalog.roadm_degrees.iter().find(|r| &r.id == item).and_then(|r| r.shelf.clone()));
        if let Some(shelf) = shelf {
            *slots.entry((site.clone(), shelf)).or_default() += q;
        }
    }
    let mut out = Tally::default();
    for ((site, shelf), used) in slots {
        if let Some(s) = catalog.shelves.iter().find(|s| s.id == shelf) {
            out.add(&shelf, &site, used.div_ceil(u64::from(s.slots.max(1))), "shelf for the line cards");
        }
    }
    out
}
