//! Design stage: from a validated scenario and catalog, decide which models,
//! how many, and with which optics and cables. Pure arithmetic on the model;
//! the graph comes after, in `topology`.

pub mod fabric;
pub mod interconnect;
pub mod media;
pub mod placement;
pub mod ports;
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
