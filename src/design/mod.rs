//! Design stage: from a validated scenario and catalog, decide which models,
//! how many, and with which optics and cables. Pure arithmetic on the model;
//! the graph comes after, in `topology`.

pub mod fabric;
pub mod interconnect;
pub mod lab;
pub mod media;
pub mod placement;
pub mod ports;
pub mod routes;
pub mod servers;
pub mod wiring;

use std::fmt;

/// Why no design meets the scenario: the constraint that failed and by how much.
#[derive(Debug, Clone, PartialEq)]
pub struct Infeasible {
    pub site: String,
    /// The constraint, in a few words (e.g. `rack power budget`).
    pub constraint: String,
    /// What failed, with the numbers.
    pub detail: String,
}

impl fmt::Display for Infeasible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "site `{}`: {}: {}", self.site, self.constraint, self.detail)
    }
}

impl std::error::Error for Infeasible {}

/// Links a site's interconnect equipment needs from the fabric: what the
/// interconnect design asks (its terminals' client ports or its routers'
/// fabric-facing ports) and the fabric reserves, cables and prices.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct HandOffNeed {
    /// Link speed, which is the equipment port's speed.
    pub speed_gbps: crate::units::Gbps,
    /// The equipment port's cage.
    pub cage: crate::model::FormFactor,
    pub links: u64,
    /// What the links join, e.g. `transponder clients` or `routers`.
    pub equipment: String,
    /// A coherent pluggable (catalog id) held in the fabric's own port
    /// (the `fabric-zr` option): each link is one port of a cage that takes
    /// it ([`media::takes_coherent`]), at `speed_gbps`, with no fabric-side
    /// optic and no cable; the interconnect buys the pluggable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pluggable: Option<String>,
}
