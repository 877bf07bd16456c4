//! Power: typical and maximum draw of every device class, optics and cables
//! included; facility power through the site's PUE; watts per Gb/s of
//! server-facing capacity.

use crate::design::fabric::FabricDesign;
use crate::model::{FabricRole, Site};
use crate::units::Watts;
use serde::Serialize;

/// Typical and maximum power of one class of equipment at a site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassPower {
    /// `leaf`, `spine`, `superspine`, `optics-and-cables`.
    pub class: String,
    pub units: u64,
    pub typical_w: Watts,
    pub max_w: Watts,
}

/// The power of a site's network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SitePower {
    pub by_class: Vec<ClassPower>,
    /// Network equipment (switches, optics, cables).
    pub typical_w: Watts,
    pub max_w: Watts,
    /// Network power at the facility meter: IT power × PUE.
    pub facility_typical_w: Watts,
    pub facility_max_w: Watts,
    pub pue: f64,
    /// Servers at their stated draw, when the scenario gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub servers_w: Option<Watts>,
    /// Typical network watts per Gb/s of server-facing capacity.
    pub w_per_gbps: f64,
}

fn round1(x: f64) -> Watts {
    Watts((x * 10.0).round() / 10.0)
}

/// Sums the power of a designed fabric.
pub fn site_power(design: &FabricDesign, site: &Site) -> SitePower {
    let mut by_class = Vec::new();
    for tier in design.tier_list() {
        let name = match tier.role {
            FabricRole::Leaf => "leaf",
            FabricRole::Spine => "spine",
            FabricRole::Superspine => "superspine",
            FabricRole::BorderLeaf => "border-leaf",
        };
        by_class.push(ClassPower {
            class: name.to_string(),
            units: tier.count,
            typical_w: round1(tier.power_w.typical.0 * tier.count as f64),
            max_w: round1(tier.power_w.max.0 * tier.count as f64),
        });
    }
    let (mut typ, mut max, mut units) = (0.0, 0.0, 0u64);
    for group in &design.links {
        let (_, t, m) = group.media.totals(group.counts());
        typ += t.0;
        max += m.0;
        units += group.media.parts.iter().map(|p| group.counts().of(p.per)).sum::<u64>();
    }
    by_class.push(ClassPower {
        class: "optics-and-cables".to_string(),
        units,
        typical_w: round1(typ),
        max_w: round1(max),
    });
    let typical: f64 = by_class.iter().map(|c| c.typical_w.0).sum();
    let maximum: f64 = by_class.iter().map(|c| c.max_w.0).sum();
    let server_gbps = (design.server_ports * design.server_speed_gbps.0) as f64;
    SitePower {
        typical_w: round1(typical),
        max_w: round1(maximum),
        facility_typical_w: round1(typical * site.pue),
        facility_max_w: round1(maximum * site.pue),
        pue: site.pue,
        servers_w: site.server_power_w.map(|w| round1(w.0 * design.servers as f64)),
        w_per_gbps: if server_gbps > 0.0 { (typical / server_gbps * 1000.0).round() / 1000.0 } else { 0.0 },
        by_class,
    }
}
