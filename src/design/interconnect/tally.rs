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
#[derive(Default)]
pub(super) struct Tally {
    pub(super) parts: BTreeMap<(String, String, String), u64>,
}

impl Tally {
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

/// Adds the line system of one hop (both ends and the inline sites).
pub(super) fn line_system(t: &mut Tally, hop: &Hop, mux: &MuxDemux, amps: &Amps<'_>, route: &FibreRoute) {
    let pairs = hop.fibre_pairs;
    for site in [&hop.from, &hop.to] {
        t.add(&mux.id, site, pairs, &format!("mux/demux, route {}", route.id));
        t.add(&amps.booster.id, site, pairs, &format!("booster, route {}", route.id));
        t.add(&amps.preamp.id, site, pairs, &format!("preamplifier, route {}", route.id));
    }
    if let Some(inline) = amps.inline {
        for k in 1..=hop.inline_sites {
            let site = inline_site(&route.id, hop.first_span + k);
            t.add(
                &inline.id,
                &site,
                2 * pairs,
                &format!("inline amplifiers (both directions), route {}", route.id),
            );
        }
    }
}

/// Shelves for the cards counted so far, per site.
pub(super) fn shelves(t: &mut Tally, catalog: &Catalog) {
    let mut slots: BTreeMap<(String, String), u64> = BTreeMap::new();
    for ((site, item, _), q) in &t.parts {
        let shelf =
            catalog.amplifiers.iter().find(|a| &a.id == item).and_then(|a| a.shelf.clone()).or_else(|| {
                catalog.coherent_optics.iter().find(|o| &o.id == item).and_then(|o| o.shelf.clone())
            });
        if let Some(shelf) = shelf {
            *slots.entry((site.clone(), shelf)).or_default() += q;
        }
    }
    for ((site, shelf), used) in slots {
        if let Some(s) = catalog.shelves.iter().find(|s| s.id == shelf) {
            t.add(&shelf, &site, used.div_ceil(u64::from(s.slots.max(1))), "shelf for the line cards");
        }
    }
}
