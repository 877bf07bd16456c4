//! Data-center interconnect: for every demand, an optical option (a DWDM
//! line system with transponders) and a routed option (FP4-class routers at
//! each end, coherent pluggables in their ports where the line allows, grey
//! optics into transponders where it does not), each designed end to end on
//! the physical link model and priced, so the two can be compared honestly.
//!
//! Both options ride the same line system on a route: a mux/demux per fibre
//! pair at each end, a booster and a preamplifier per pair at each end, and
//! two inline amplifiers (one per direction) per pair at each inline site.
//! A demand with `protection: diverse` gets two route-disjoint paths, each
//! able to carry all of it, ending on different routers (routed option): it
//! survives the loss of any one route or router.

mod client;
mod express;
mod fabric_zr;
mod line;
mod mix;
mod network;
mod option;
mod router;
mod spectrum;
mod tally;

pub use mix::MixSearch;
pub use network::{LineSystem, Network, NetworkDesign, Wavelength};
pub use router::{PortsAtSpeed, RouterNeed, RouterPool};

use super::routes::{PairBudget, RouteGraph, RoutePath};
use super::{HandOffNeed, Infeasible};
use crate::analyse::reach::ModeVerdict;
use crate::model::*;
use crate::money::Money;
use crate::units::{Gbps, Watts};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Connector and splice allowance per span when the route gives no measured loss.
pub const CONNECTOR_LOSS_DB: f64 = 1.0;
/// Latency of one coherent DSP with FEC, each end (estimate: tens of µs for
/// soft-decision FEC; 10 µs taken).
pub const DSP_LATENCY_MS: f64 = 0.01;
/// Latency of one router traversal (estimate: 20 µs for a deep-buffer
/// FP4-class router at low load).
pub const ROUTER_LATENCY_MS: f64 = 0.02;
/// Longest span when a route gives no spans: amplifier huts are usually
/// 80–100 km apart (GNPy's automatic design splits fibres at 150 km).
pub const MAX_SPAN_KM: f64 = 100.0;

/// The ways of carrying a demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OptionKind {
    Optical,
    Routed,
    /// Coherent pluggables in the fabric's own switches ([`fabric_zr`]).
    #[serde(rename = "fabric-zr")]
    FabricZr,
}

impl OptionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OptionKind::Optical => "optical",
            OptionKind::Routed => "routed",
            OptionKind::FabricZr => "fabric-zr",
        }
    }
}

/// A quantity of one catalog item at one place, and why it is there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartCount {
    pub item: String,
    pub site: String,
    pub quantity: u64,
    pub why: String,
}

/// One route of a path, with its line system and the wavelengths on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hop {
    pub route: String,
    pub from: String,
    pub to: String,
    pub length_km: f64,
    pub spans: usize,
    pub inline_sites: usize,
    /// Index of the hop's first span on its route (regenerated sections start later).
    pub first_span: usize,
    pub optic: String,
    pub mode: String,
    pub line_rate_gbps: u64,
    pub wavelengths: u64,
    /// The mux of the line system the wavelengths ride.
    pub mux: String,
    /// Fibre pairs the wavelengths are on (alone, before the network shares
    /// the route's pairs; as placed, for the chosen option).
    pub fibre_pairs: u64,
    /// Channels left free on those pairs, for growth.
    pub spare_channels: u64,
    pub verdict: ModeVerdict,
    /// The mode's verdict through each catalog mux that carries it (by
    /// index): the network may light the route with any of them.
    #[serde(skip)]
    pub(crate) on_muxes: Vec<(usize, ModeVerdict)>,
    /// Index in its path of the lightpath the hop belongs to: the hops of
    /// one lightpath are expressed through ROADMs between them.
    #[serde(skip)]
    pub(crate) lightpath: usize,
    /// The ROADM degree (catalog index) at the hop's `from` and `to` ends,
    /// where the wavelengths pass through a site optically.
    #[serde(skip)]
    pub(crate) roadm: [Option<usize>; 2],
}

/// Wavelengths from where they are added to where they are dropped or
/// regenerated, kept in the optical domain in between.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lightpath {
    /// Where the wavelengths are added: a demand's end, or a regeneration site.
    pub from: String,
    /// Where they are dropped or regenerated.
    pub to: String,
    /// `add` (a demand's end) or `regeneration`.
    pub starts_in: &'static str,
    /// `drop` (a demand's end) or `regeneration`.
    pub ends_in: &'static str,
    pub routes: Vec<String>,
    /// Sites the wavelengths pass through on a ROADM.
    pub expressed_at: Vec<String>,
    pub optic: String,
    pub mode: String,
    pub wavelengths: u64,
    pub length_km: f64,
    pub gsnr_db: f64,
    pub margin_db: f64,
}

/// A path of hops carrying a demand (or, for a protected demand, one of its two copies).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathDesign {
    pub hops: Vec<Hop>,
    /// The hops as lightpaths: where each set of wavelengths is added,
    /// expressed, and dropped or regenerated.
    pub lightpaths: Vec<Lightpath>,
    pub length_km: f64,
    pub latency_ms: f64,
    pub capacity_gbps: u64,
}

/// One option for one demand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionDesign {
    pub kind: OptionKind,
    pub feasible: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub paths: Vec<PathDesign>,
    /// Capacity that survives any single failure the protection covers (the
    /// weakest path for a protected demand).
    pub capacity_gbps: u64,
    pub spare_gbps: u64,
    pub power_typical_w: Watts,
    pub power_max_w: Watts,
    /// At the meter: each part through its site's PUE (amplifier huts at 1).
    pub facility_typical_w: Watts,
    pub facility_max_w: Watts,
    pub rack_units: f64,
    /// Latency of the working path (the first).
    pub latency_ms: f64,
    /// Latency of the protect path, for a protected demand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protect_latency_ms: Option<f64>,
    /// Worst hop's line GSNR and margin.
    pub gsnr_db: f64,
    pub margin_db: f64,
    /// The demand alone: its own equipment and the line systems and shelves
    /// it would need if nothing else rode them (how options are compared).
    pub cost: Money,
    /// What the chosen network's capex changes by when the demand rides
    /// this option rather than not being carried, the other demands as
    /// chosen (shared line systems, ROADMs and routers counted once); for
    /// plans of up to [`mix::MAX_SEARCH_DEMANDS`] demands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marginal_capex: Option<Money>,
    /// The option's own equipment (terminals, pluggables, routers, client
    /// optics and fibre); bought for the demand.
    pub parts: Vec<PartCount>,
    /// Line systems, shelves and routers the demand would need alone. Not
    /// bought as such: the network lights each route's pairs once for every
    /// demand on them and sizes each site's routers once for all of them
    /// (`interconnect_network.parts`).
    pub standalone_line_parts: Vec<PartCount>,
    /// Router ports the option needs per site and plane (the network's
    /// routers hold them).
    pub router_ports: Vec<router::RouterNeed>,
    /// Links the option needs from each site's fabric (its terminals'
    /// client ports or its routers' fabric-facing ports). The fabric
    /// reserves, cables and prices them (`sites[].fabric.handoff`); `cost`
    /// and `parts` leave them out.
    pub handoff: Vec<SiteHandOff>,
}

/// Hand-off links one option needs at one site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteHandOff {
    pub site: String,
    #[serde(flatten)]
    pub need: HandOffNeed,
}

/// What each site's fabric must hand off to the chosen interconnect
/// options, merged per speed, cage and equipment, sorted.
pub fn handoff_needs(demands: &[DemandDesign]) -> BTreeMap<String, Vec<HandOffNeed>> {
    type Key = (Gbps, FormFactor, String, Option<String>);
    let mut merged: BTreeMap<String, BTreeMap<Key, u64>> = BTreeMap::new();
    for d in demands {
        let Some(option) = d.chosen.and_then(|k| d.options.iter().find(|o| o.kind == k)) else { continue };
        for h in &option.handoff {
            let key = (h.need.speed_gbps, h.need.cage, h.need.equipment.clone(), h.need.pluggable.clone());
            *merged.entry(h.site.clone()).or_default().entry(key).or_default() += h.need.links;
        }
    }
    merged
        .into_iter()
        .map(|(site, m)| {
            let needs = m
                .into_iter()
                .map(|((speed_gbps, cage, equipment, pluggable), links)| HandOffNeed {
                    speed_gbps,
                    cage,
                    links,
                    equipment,
                    pluggable,
                })
                .collect();
            (site, needs)
        })
        .collect()
}

/// The interconnect for one demand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemandDesign {
    pub between: [String; 2],
    pub demand_gbps: Gbps,
    pub protection: Protection,
    pub options: Vec<OptionDesign>,
    pub chosen: Option<OptionKind>,
    pub why: String,
}

pub(super) struct Ctx<'a> {
    pub(super) catalog: &'a Catalog,
    pub(super) scenario: &'a Scenario,
    pub(super) rank_power: bool,
}

/// Name of the k-th inline amplifier site of a route (site names and route
/// ids cannot contain `/`, so this never collides with a site).
pub fn inline_site(route: &str, k: usize) -> String {
    format!("{route}/ila{k}")
}

/// The place at span boundary `k` of a route of `n` spans: its first site,
/// its last, or the inline site between.
pub(super) fn span_end(route: &FibreRoute, k: usize, n: usize) -> String {
    match k {
        0 => route.between[0].clone(),
        k if k == n => route.between[1].clone(),
        k => inline_site(&route.id, k),
    }
}

/// Each demand's paths, searched once per pair of sites and protection:
/// the paths depend on the routes alone, and a plan may repeat a pair of
/// sites hundreds of times.
struct Paths<'a> {
    graph: RouteGraph<'a>,
    budget: PairBudget,
    found: BTreeMap<(&'a str, &'a str, bool), Result<Vec<RoutePath>, String>>,
}

impl<'a> Paths<'a> {
    fn new(scenario: &'a Scenario) -> Paths<'a> {
        Paths { graph: RouteGraph::new(scenario), budget: PairBudget::default(), found: BTreeMap::new() }
    }

    /// The demand's path (two route-disjoint ones for `diverse`) or why
    /// there is none; the whole plan is refused once the pair searches go
    /// beyond [`crate::limits::MAX_PLAN_PATH_PAIRS`].
    fn of(&mut self, demand: &'a Demand) -> Result<Result<Vec<RoutePath>, String>, Infeasible> {
        let [a, b] = &demand.between;
        let diverse = demand.protection == Protection::Diverse;
        if let Some(found) = self.found.get(&(a.as_str(), b.as_str(), diverse)) {
            return Ok(found.clone());
        }
        let paths = if diverse {
            self.graph.disjoint_pair(a, b, &mut self.budget)
        } else {
            self.graph
                .best(a, b)
                .and_then(|p| p.map(|p| vec![p]).ok_or_else(|| format!("no fibre route joins {a} and {b}")))
        };
        if self.budget.exhausted() {
            return Err(Infeasible {
                site: format!("{a} to {b}"),
                constraint: "path search".into(),
                detail: PairBudget::reason(),
            });
        }
        self.found.insert((a, b, diverse), paths.clone());
        Ok(paths)
    }
}

/// The interconnect: every demand with its options, and the chosen ones as one network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interconnect {
    pub demands: Vec<DemandDesign>,
    pub network: Network,
}

/// Designs both options for every demand of the scenario, chooses one per
/// demand by the objective, and puts the chosen ones together as one
/// network (shared line systems, spectrum, pooled shelves).
pub fn design(catalog: &Catalog, scenario: &Scenario) -> Result<Interconnect, Infeasible> {
    design_without(catalog, scenario, &BTreeSet::new())
}

/// [`design`] with the `fabric-zr` option withdrawn from every demand that
/// lands on a site of `no_fabric_zr` (sites whose fabric could not hold
/// the pluggables: `plan.rs` plans them again so).
pub fn design_without(
    catalog: &Catalog,
    scenario: &Scenario,
    no_fabric_zr: &BTreeSet<String>,
) -> Result<Interconnect, Infeasible> {
    let ctx = Ctx { catalog, scenario, rank_power: scenario.objective == Objective::Power };
    let mut paths = Paths::new(scenario);
    let mut demands = Vec::with_capacity(scenario.demands.len());
    for d in &scenario.demands {
        let chosen_paths = paths.of(d)?;
        demands.push(design_demand(&ctx, d, chosen_paths, no_fabric_zr));
    }
    let network = network::build(&ctx, &mut demands);
    Ok(Interconnect { demands, network })
}

/// Every option of one demand over its paths, and the one the objective picks.
fn design_demand(
    ctx: &Ctx<'_>,
    demand: &Demand,
    chosen_paths: Result<Vec<RoutePath>, String>,
    no_fabric_zr: &BTreeSet<String>,
) -> DemandDesign {
    let mut options: Vec<OptionDesign> = [OptionKind::Optical, OptionKind::Routed]
        .into_iter()
        .map(|kind| match &chosen_paths {
            Ok(p) => option::design_option(ctx, kind, demand, p),
            Err(reason) => OptionDesign::infeasible(kind, reason),
        })
        .collect();
    options.push(fabric_zr::design(ctx, demand, &chosen_paths, no_fabric_zr));
    let (chosen, why) = pick(ctx, &options);
    DemandDesign {
        between: demand.between.clone(),
        demand_gbps: demand.gbps,
        protection: demand.protection,
        chosen,
        why,
        options,
    }
}

impl OptionDesign {
    /// An option that cannot be designed at all.
    fn infeasible(kind: OptionKind, reason: &str) -> OptionDesign {
        OptionDesign {
            kind,
            feasible: false,
            reason: Some(reason.to_string()),
            paths: Vec::new(),
            capacity_gbps: 0,
            spare_gbps: 0,
            power_typical_w: Watts(0.0),
            power_max_w: Watts(0.0),
            facility_typical_w: Watts(0.0),
            facility_max_w: Watts(0.0),
            rack_units: 0.0,
            latency_ms: 0.0,
            protect_latency_ms: None,
            gsnr_db: 0.0,
            margin_db: 0.0,
            cost: Money::ZERO,
            marginal_capex: None,
            parts: Vec::new(),
            standalone_line_parts: Vec::new(),
            router_ports: Vec::new(),
            handoff: Vec::new(),
        }
    }
}

/// The feasible option the objective prefers, and why (against the
/// runner-up, and the third where there is one).
fn pick(ctx: &Ctx<'_>, options: &[OptionDesign]) -> (Option<OptionKind>, String) {
    let mut feasible: Vec<&OptionDesign> = options.iter().filter(|o| o.feasible).collect();
    feasible.sort_by(|x, y| {
        if ctx.rank_power {
            x.power_typical_w.0.total_cmp(&y.power_typical_w.0).then(x.cost.cmp(&y.cost))
        } else {
            x.cost.cmp(&y.cost).then(x.power_typical_w.0.total_cmp(&y.power_typical_w.0))
        }
        .then(x.kind.cmp(&y.kind))
    });
    let figure = |o: &OptionDesign| {
        if ctx.rank_power {
            format!("{:.0} W", o.power_typical_w.0)
        } else {
            o.cost.to_string()
        }
    };
    let why = match feasible.as_slice() {
        [] => format!(
            "no option can carry it: {}",
            options
                .iter()
                .filter_map(|o| o.reason.as_ref().map(|r| format!("{}: {r}", o.kind.as_str())))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        [p] => format!("only the {} option is feasible", p.kind.as_str()),
        [p, other, rest @ ..] => {
            let against =
                if rest.is_empty() { String::new() } else { format!(" than {}", other.kind.as_str()) };
            let third: String = rest.iter().map(|o| format!("; {} {}", o.kind.as_str(), figure(o))).collect();
            if ctx.rank_power {
                format!(
                    "{} draws {:.0} W less{against} ({:.0} W vs {:.0} W typical{third})",
                    p.kind.as_str(),
                    other.power_typical_w.0 - p.power_typical_w.0,
                    p.power_typical_w.0,
                    other.power_typical_w.0
                )
            } else {
                format!(
                    "{} costs {} less{against} ({} vs {}{third})",
                    p.kind.as_str(),
                    Money((other.cost.amount() - p.cost.amount()).round_dp(2)),
                    p.cost,
                    other.cost
                )
            }
        }
    };
    (feasible.first().map(|p| p.kind), why)
}
