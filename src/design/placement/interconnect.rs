//! Where the interconnect's equipment goes at each site: DCI routers and
//! their line cards, optical shelves and the cards in them (transponders,
//! muxponders, amplifiers, ROADM degrees), and the racked line-system
//! units (muxes, amplifiers or transponders of their own height), walked
//! from the plan data the BOM buys them from (`price::bom`'s needs): the
//! chosen options' parts and `interconnect_network.parts`, the routers
//! through `interconnect_network.routers` (the pools those parts come from).
//!
//! Conventions (stated once): a site's equipment stands in the
//! interconnect's row (`<site>-interconnect`, where border leaves stand
//! too), in racks of its own, `<site>-icx-NN`, filled from RU 1 up, a new
//! rack when the next unit does not fit in [`RACK_UNITS`]: routers plane by
//! plane, then shelves, then the racked units, each kind in catalog-id
//! order. A card goes into the next free slot of a shelf (or chassis) of
//! the model it plugs into, slots numbered from 1; a card is named after
//! its holder and slot (`optical-shelf-0-slot-3`). Optics (grey and
//! coherent pluggables) and cables are not equipment: they are modules in
//! ports and pieces of runs. Rack power is not budgeted here.

use crate::design::interconnect::PartCount;
use crate::model::Catalog;
use crate::plan::Plan;
use serde::Serialize;
use std::collections::BTreeMap;

/// Rack units of an interconnect rack.
pub const RACK_UNITS: u64 = 42;

/// One unit of the interconnect's equipment at a site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Equipment {
    pub site: String,
    pub name: String,
    /// Catalog id and model.
    pub item: String,
    pub model: String,
    /// `dci-router`, `line-card`, `optical-shelf`, `transponder`,
    /// `amplifier`, `roadm-degree` or `mux`.
    pub role: &'static str,
    pub row: String,
    /// The rack of the unit, or of its holder for a card.
    pub rack: String,
    /// Lowest rack unit a racked unit occupies; `None` for a card.
    pub ru: Option<u32>,
    /// For a card: the shelf or router chassis it sits in, and its slot (1-based).
    pub holder: Option<String>,
    pub slot: Option<u32>,
}

/// What a catalog item is, as far as placement goes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind<'c> {
    /// Racked on its own, `units` high.
    Racked { role: &'static str, units: f64 },
    /// A card in a shelf of model `shelf`.
    Card { role: &'static str, shelf: &'c str },
}

/// The placement kind of an interconnect item; `None` for what is not
/// equipment (optics, cables, switches) and for router chassis and line
/// cards, which are placed by their pools.
fn kind_of<'c>(catalog: &'c Catalog, item: &str) -> Option<Kind<'c>> {
    let racked_or_card = |role, units, shelf: &'c Option<String>| match shelf {
        Some(shelf) => Kind::Card { role, shelf: shelf.as_str() },
        None => Kind::Racked { role, units },
    };
    if let Some(s) = catalog.shelves.iter().find(|s| s.id == item) {
        return Some(Kind::Racked { role: "optical-shelf", units: s.rack_units });
    }
    if let Some(o) = catalog.coherent_optics.iter().find(|o| o.id == item) {
        return (o.kind == crate::model::CoherentKind::Transponder)
            .then(|| racked_or_card("transponder", o.rack_units, &o.shelf));
    }
    if let Some(a) = catalog.amplifiers.iter().find(|a| a.id == item) {
        return Some(racked_or_card("amplifier", a.rack_units, &a.shelf));
    }
    if let Some(r) = catalog.roadm_degrees.iter().find(|r| r.id == item) {
        return Some(racked_or_card("roadm-degree", r.rack_units, &r.shelf));
    }
    catalog.mux_demux.iter().find(|m| m.id == item).map(|m| Kind::Racked { role: "mux", units: m.rack_units })
}

/// The racks of one site's interconnect, filled from RU 1 up.
struct Racks<'a> {
    site: &'a str,
    rack: u64,
    used: u64,
}

impl Racks<'_> {
    /// The rack and lowest RU of the next unit `units` high (at least 1).
    fn slot(&mut self, units: f64) -> (String, u32) {
        let units = (units.ceil() as u64).clamp(1, RACK_UNITS);
        if self.used + units > RACK_UNITS {
            self.rack += 1;
            self.used = 0;
        }
        let ru = self.used + 1;
        self.used += units;
        (format!("{}-icx-{:02}", self.site, self.rack), ru as u32)
    }
}

/// A site's equipment being placed.
struct Site<'a> {
    racks: Racks<'a>,
    out: Vec<Equipment>,
    /// Units named so far per name stem.
    named: BTreeMap<&'static str, u64>,
}

impl<'a> Site<'a> {
    fn new(site: &'a str) -> Site<'a> {
        Site { racks: Racks { site, rack: 0, used: 0 }, out: Vec::new(), named: BTreeMap::new() }
    }

    fn next_name(&mut self, stem: &'static str) -> String {
        let n = self.named.entry(stem).or_default();
        *n += 1;
        format!("{stem}-{}", *n - 1)
    }

    /// A racked unit, named `name`; returns its index in `out`.
    fn rack(&mut self, name: String, item: (&str, &str), role: &'static str, units: f64) -> usize {
        let (rack, ru) = self.racks.slot(units);
        let site = self.racks.site;
        self.out.push(Equipment {
            site: site.to_string(),
            name,
            item: item.0.to_string(),
            model: item.1.to_string(),
            role,
            row: format!("{site}-interconnect"),
            rack,
            ru: Some(ru),
            holder: None,
            slot: None,
        });
        self.out.len() - 1
    }

    /// A card in slot `slot` of the unit at `holder` (an index in `out`).
    fn card(&mut self, holder: usize, slot: u32, item: (&str, &str), role: &'static str) {
        let Some(h) = self.out.get(holder) else { return };
        let (name, rack, row) = (format!("{}-slot-{slot}", h.name), h.rack.clone(), h.row.clone());
        let holder = h.name.clone();
        self.out.push(Equipment {
            site: self.racks.site.to_string(),
            name,
            item: item.0.to_string(),
            model: item.1.to_string(),
            role,
            row,
            rack,
            ru: None,
            holder: Some(holder),
            slot: Some(slot),
        });
    }
}

/// The parts the BOM buys for the interconnect, merged per site and item
/// (the chosen options' own and the network's).
fn parts_by_site(plan: &Plan) -> BTreeMap<&str, BTreeMap<&str, u64>> {
    let chosen = plan
        .interconnect
        .iter()
        .filter_map(|d| d.design.options.iter().find(|o| Some(o.kind) == d.design.chosen))
        .flat_map(|o| o.parts.iter());
    let mut out: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
    for p in chosen.chain(&plan.interconnect_network.parts) {
        let p: &PartCount = p;
        *out.entry(p.site.as_str()).or_default().entry(p.item.as_str()).or_default() += p.quantity;
    }
    out
}

/// Every site's interconnect equipment, sites in name order, each placed by
/// the conventions of this module.
pub fn interconnect_equipment(plan: &Plan, catalog: &Catalog) -> Vec<Equipment> {
    let parts = parts_by_site(plan);
    let mut sites: Vec<&str> = parts.keys().copied().collect();
    sites.extend(plan.interconnect_network.routers.iter().map(|r| r.site.as_str()));
    sites.sort_unstable();
    sites.dedup();
    let none = BTreeMap::new();
    let mut out = Vec::new();
    for site in sites {
        let mut s = Site::new(site);
        routers(&mut s, plan, catalog);
        line_equipment(&mut s, parts.get(site).unwrap_or(&none), catalog);
        out.append(&mut s.out);
    }
    out
}

/// The site's DCI routers, pool by pool (plane order): each pool's chassis,
/// its cards in their slots in order.
fn routers(s: &mut Site<'_>, plan: &Plan, catalog: &Catalog) {
    let site = s.racks.site;
    for pool in plan.interconnect_network.routers.iter().filter(|p| p.site == site) {
        let Some(chassis) = catalog.router_chassis.iter().find(|c| c.id == pool.model) else { continue };
        let first = s.out.len();
        for k in 0..pool.chassis {
            let name = format!("dci-router-{}-{k}", pool.plane);
            s.rack(name, (&chassis.id, &chassis.model), "dci-router", chassis.rack_units);
        }
        let slots = u64::from(chassis.slots.max(1));
        let mut next = 0u64;
        for card in &pool.cards {
            let model =
                catalog.line_cards.iter().find(|c| c.id == card.item).map_or("", |c| c.model.as_str());
            for _ in 0..card.quantity {
                let (k, slot) = (next / slots, next % slots + 1);
                if k < pool.chassis {
                    s.card(first + k as usize, slot as u32, (&card.item, model), "line-card");
                }
                next += 1;
            }
        }
    }
}

/// The site's shelves with their cards, then its racked units.
fn line_equipment(s: &mut Site<'_>, parts: &BTreeMap<&str, u64>, catalog: &Catalog) {
    let model = |id: &str| catalog.item(id).map_or_else(String::new, |i| i.model().to_string());
    // Cards per shelf model, in item order.
    let mut cards: BTreeMap<&str, Vec<(&str, &'static str, u64)>> = BTreeMap::new();
    for (&item, &q) in parts {
        if let Some(Kind::Card { role, shelf }) = kind_of(catalog, item) {
            cards.entry(shelf).or_default().push((item, role, q));
        }
    }
    for (&item, &q) in parts {
        let Some(Kind::Racked { role: "optical-shelf", units }) = kind_of(catalog, item) else { continue };
        let slots = catalog.shelves.iter().find(|x| x.id == item).map_or(1, |x| u64::from(x.slots.max(1)));
        let shelf_model = model(item);
        let shelves: Vec<usize> = (0..q)
            .map(|_| {
                let name = s.next_name("optical-shelf");
                s.rack(name, (item, &shelf_model), "optical-shelf", units)
            })
            .collect();
        let mut next = 0u64;
        for &(card, role, n) in cards.get(item).into_iter().flatten() {
            let card_model = model(card);
            for _ in 0..n {
                if let Some(&holder) = shelves.get((next / slots) as usize) {
                    s.card(holder, (next % slots + 1) as u32, (card, &card_model), role);
                }
                next += 1;
            }
        }
    }
    for (&item, &q) in parts {
        let Some(Kind::Racked { role, units }) = kind_of(catalog, item) else { continue };
        if role == "optical-shelf" {
            continue;
        }
        let item_model = model(item);
        for _ in 0..q {
            let name = s.next_name(role);
            s.rack(name, (item, &item_model), role, units);
        }
    }
}
