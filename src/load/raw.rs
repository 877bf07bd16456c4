//! The file formats exactly as written: one struct per YAML document kind.
//!
//! Every item sits in a [`Lenient`] slot, so that one broken switch does not
//! hide the problems of the next one: `dcplan check` reports them all. These
//! structs are also the source of the published JSON Schemas.

use super::yaml::Lenient;
use crate::model::*;
use schemars::JsonSchema;
use serde::Deserialize;

/// The document kinds dcplan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Catalog,
    Scenario,
    Route,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Catalog => "catalog",
            DocKind::Scenario => "scenario",
            DocKind::Route => "route",
        }
    }
}

/// The format version this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// A catalog file: what a vendor deal supplies.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "dcplan catalog",
    description = "What a vendor deal supplies, with datasheet sources and the deal's terms."
)]
pub struct CatalogFile {
    /// Always `catalog`.
    pub kind: DocKind,
    /// Format version; this build reads 1.
    pub format_version: u32,
    /// Name of the deal.
    pub name: String,
    /// Vendor supplying the deal.
    pub vendor: String,
    #[serde(default)]
    pub description: String,
    pub deal: Lenient<Deal>,
    #[serde(default)]
    pub switches: Vec<Lenient<Switch>>,
    #[serde(default)]
    pub router_chassis: Vec<Lenient<RouterChassis>>,
    #[serde(default)]
    pub line_cards: Vec<Lenient<LineCard>>,
    #[serde(default)]
    pub grey_optics: Vec<Lenient<GreyOptic>>,
    #[serde(default)]
    pub coherent_optics: Vec<Lenient<CoherentOptic>>,
    #[serde(default)]
    pub mux_demux: Vec<Lenient<MuxDemux>>,
    #[serde(default)]
    pub roadm_degrees: Vec<Lenient<RoadmDegree>>,
    #[serde(default)]
    pub amplifiers: Vec<Lenient<Amplifier>>,
    #[serde(default)]
    pub shelves: Vec<Lenient<Shelf>>,
    #[serde(default)]
    pub cables: Vec<Lenient<Cable>>,
}

/// A scenario file: what the buyer needs.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "dcplan scenario",
    description = "Sites, fabric policy, fibre routes and inter-site demands to plan for."
)]
pub struct ScenarioFile {
    /// Always `scenario`.
    pub kind: DocKind,
    /// Format version; this build reads 1.
    pub format_version: u32,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub objective: Objective,
    /// Extra capacity to leave for growth, in percent of today's servers.
    #[serde(default)]
    pub growth_headroom_pct: f64,
    pub fabric: Lenient<FabricPolicy>,
    pub sites: Vec<Lenient<Site>>,
    #[serde(default)]
    pub fibre_routes: Vec<Lenient<FibreRoute>>,
    #[serde(default)]
    pub demands: Vec<Lenient<Demand>>,
    /// Spares to order, in percent of each line's quantity (rounded up up to
    /// a whole unit), per category, e.g. `{optics: 2, cables: 1}`.
    #[serde(default)]
    pub spares_pct: std::collections::BTreeMap<Category, f64>,
    /// Energy price and years, for the cost of ownership in the bill of materials.
    #[serde(default)]
    pub energy: Option<Lenient<Energy>>,
    /// Years the cost of ownership covers, for support and energy alike
    /// (default: `energy.years`, else the deal's support years).
    #[serde(default)]
    pub horizon_years: Option<u32>,
    /// Designs within this percentage of the best objective tie (default 1);
    /// among them the smallest share of a leaf's uplinks on one spine (blast
    /// radius) wins, then fewer devices, less power, fewer optics, the
    /// better objective, then the lower net cost.
    #[serde(default)]
    pub tie_within_pct: Option<f64>,
    /// How wavelengths get channels: `fit` (`first-fit`, default, or
    /// `last-fit`) and `order` (`protected-largest-first`, default, or `scenario`).
    #[serde(default)]
    pub spectrum: SpectrumPolicy,
}

/// A route file: one fibre line span by span, for `dcplan link --route`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "dcplan route",
    description = "One amplified fibre line, span by span, for the link calculator."
)]
pub struct RouteFile {
    /// Always `route`.
    pub kind: DocKind,
    /// Format version; this build reads 1.
    pub format_version: u32,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Fibre standard, which sets attenuation, dispersion and effective area.
    #[serde(default = "default_fibre")]
    pub fibre: FibreStandard,
    /// Attenuation override.
    #[serde(default)]
    pub attenuation_db_per_km: Option<f64>,
    /// Connector and splice allowance per span, added to length × attenuation
    /// for spans without a measured loss.
    #[serde(default)]
    pub connector_loss_db: Option<f64>,
    pub spans: Vec<Lenient<Span>>,
}

fn default_fibre() -> FibreStandard {
    FibreStandard::G652d
}
