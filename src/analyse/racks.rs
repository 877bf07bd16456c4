//! Racks: what one server rack draws (servers, its leaves and every module
//! in it), and how many network racks the spines and superspines fill,
//! packed by rack units and by the rack power budget.

use crate::design::fabric::{FabricDesign, Tier};
use crate::design::media::LinkClass;
use crate::model::{FabricRole, Site};
use crate::units::Watts;
use serde::Serialize;

/// Usable rack units in a network rack (a 47 U rack less patch panels and
/// power distribution).
pub const NETWORK_RACK_UNITS: f64 = 42.0;

/// Rack figures of a site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RackReport {
    pub server_racks: u64,
    /// One full server rack: servers at their stated draw, leaves and the
    /// modules in the rack.
    pub server_rack_typical_w: Watts,
    pub server_rack_max_w: Watts,
    pub rack_budget_w: Watts,
    /// Racks holding spines and superspines.
    pub network_racks: u64,
    /// Rack units of leaves (in the server racks) and of the network racks' devices.
    pub leaf_rack_units_per_rack: f64,
    pub network_rack_units: f64,
}

/// Typical and maximum power of the modules and cable ends one switch of a
/// tier carries (the server ends of in-rack links count with the leaf).
fn module_power_per_switch(design: &FabricDesign, tier: &Tier) -> (f64, f64) {
    let (mut typ, mut max) = (0.0, 0.0);
    for g in &design.links {
        let counts = g.counts();
        let (_, total_t, total_m) = g.media.totals(counts);
        let (b_t, b_m) = g.media.b_side_power(counts);
        let (t, m) = match (g.class, tier.role) {
            (LinkClass::ServerLeaf, FabricRole::Leaf) => (total_t.0, total_m.0),
            (LinkClass::LeafSpine, FabricRole::Spine)
            | (LinkClass::SpineSuperspine, FabricRole::Superspine) => (total_t.0 - b_t, total_m.0 - b_m),
            (LinkClass::LeafSpine, FabricRole::Leaf) | (LinkClass::SpineSuperspine, FabricRole::Spine) => {
                (b_t, b_m)
            }
            // A border leaf carries its hand-off ports' modules and its uplinks' own end.
            (LinkClass::HandOff, FabricRole::BorderLeaf) => (total_t.0 - b_t, total_m.0 - b_m),
            (LinkClass::BorderUplink, FabricRole::BorderLeaf) => (b_t, b_m),
            (LinkClass::BorderUplink, FabricRole::Spine | FabricRole::Superspine)
                if Some(tier.role) == design.border_leaf.as_ref().map(|_| design.top().role) =>
            {
                (total_t.0 - b_t, total_m.0 - b_m)
            }
            _ => (0.0, 0.0),
        };
        typ += t;
        max += m;
    }
    let count = tier.count.max(1) as f64;
    (typ / count, max / count)
}

/// How many switches of a tier (above the leaves) one network rack holds:
/// as many as fit its rack units and, at their maximum draw with the
/// modules they carry, the site's rack budget; at least one. The one rule
/// for the rack count here and for placement (`design::placement`).
pub fn switches_per_network_rack(design: &FabricDesign, tier: &Tier) -> u64 {
    let (_, module_max) = module_power_per_switch(design, tier);
    let by_space = (NETWORK_RACK_UNITS / tier.rack_units.max(0.5)).floor() as u64;
    let by_power = (design.rack_budget_w.0 / (tier.power_w.max.0 + module_max)).floor() as u64;
    by_space.min(by_power).max(1)
}

/// Rack figures of a designed site.
pub fn site_racks(design: &FabricDesign, site: &Site) -> RackReport {
    let budget = site.rack_power_budget_kw.0 * 1000.0;
    let (leaf_mod_t, leaf_mod_m) = module_power_per_switch(design, &design.leaf);
    let server_w = site.server_power_w.map_or(0.0, |w| w.0) * design.servers_per_rack as f64;
    let l = design.leaves_per_rack as f64;
    let mut network_racks = 0;
    let mut network_ru = 0.0;
    for tier in design.tier_list().into_iter().filter(|t| t.role != FabricRole::Leaf) {
        network_racks += tier.count.div_ceil(switches_per_network_rack(design, tier));
        network_ru += tier.rack_units * tier.count as f64;
    }
    let round = |x: f64| Watts((x * 10.0).round() / 10.0);
    RackReport {
        server_racks: design.racks,
        server_rack_typical_w: round(server_w + l * (design.leaf.power_w.typical.0 + leaf_mod_t)),
        server_rack_max_w: round(server_w + l * (design.leaf.power_w.max.0 + leaf_mod_m)),
        rack_budget_w: round(budget),
        network_racks,
        leaf_rack_units_per_rack: design.leaf.rack_units * l,
        network_rack_units: network_ru,
    }
}
