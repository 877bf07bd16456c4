//! The pipeline end to end: validated inputs in, a plan out. Sites are
//! independent, so each is designed, built as a graph and analysed on its own.

use crate::analyse::{capacity, power, racks};
use crate::design::fabric::{self, FabricDesign};
use crate::design::interconnect;
use crate::design::{HandOffNeed, Infeasible};
use crate::model::{Catalog, Scenario};
use crate::topology;
use crate::units::Gbps;
use serde::Serialize;
use std::collections::BTreeSet;

/// Everything dcplan worked out for one site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SitePlan {
    pub name: String,
    pub fabric: FabricDesign,
    /// Bisection bandwidth from max-flow on the site's graph, one direction.
    pub bisection_gbps: Gbps,
    pub graph_nodes: usize,
    pub graph_bundles: usize,
    pub power: power::SitePower,
    /// Rack units of network equipment (leaves, spines, superspines).
    pub rack_units: f64,
    pub racks: racks::RackReport,
}

/// The interconnect of one demand, with the max-flow its chosen design
/// gives between the two sites on the joined graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemandPlan {
    #[serde(flatten)]
    pub design: interconnect::DemandDesign,
    pub max_flow_gbps: Gbps,
}

/// A plan for every site of a scenario, and the interconnect between them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub scenario: String,
    pub catalog: String,
    pub currency: String,
    pub objective: crate::model::Objective,
    pub sites: Vec<SitePlan>,
    pub interconnect: Vec<DemandPlan>,
    /// The chosen interconnect as one network: line systems, channel map,
    /// what they buy once, and the whole-network designs.
    pub interconnect_network: interconnect::Network,
    /// Nodes and bundles of the joined interconnect graph.
    pub interconnect_graph: (usize, usize),
}

/// Why a scenario cannot be planned: one reason per failing site.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanError {
    pub reasons: Vec<Infeasible>,
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for r in &self.reasons {
            writeln!(f, "{r}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PlanError {}

impl Plan {
    /// What `site` hands off to the plan's interconnect.
    pub fn handoff_needs(&self, site: &str) -> Vec<HandOffNeed> {
        let designs: Vec<interconnect::DemandDesign> =
            self.interconnect.iter().map(|d| d.design.clone()).collect();
        interconnect::handoff_needs(&designs).remove(site).unwrap_or_default()
    }
}

/// Plans one site, with the links it hands off to the interconnect.
pub fn plan_site(
    catalog: &Catalog,
    scenario: &Scenario,
    site: &crate::model::Site,
    handoff: &[HandOffNeed],
) -> Result<SitePlan, Infeasible> {
    let design = fabric::design_site_with(catalog, scenario, site, handoff)?;
    let graph = topology::site_graph(&design);
    let bisection = capacity::bisection_gbps(&graph, &site.name);
    let power = power::site_power(&design, site);
    let rack_units = design.tier_list().iter().map(|t| t.rack_units * t.count as f64).sum();
    tracing::info!(site = %site.name, tiers = design.tiers, nodes = graph.node_count(), bisection, "site planned");
    Ok(SitePlan {
        name: site.name.clone(),
        bisection_gbps: Gbps(bisection),
        graph_nodes: graph.node_count(),
        graph_bundles: graph.bundle_count(),
        power,
        rack_units,
        racks: racks::site_racks(&design, site),
        fabric: design,
    })
}

/// Plans the interconnect, then every site (in parallel) with what it
/// hands off to it; the result is in scenario order.
pub fn plan(catalog: &Catalog, scenario: &Scenario) -> Result<Plan, PlanError> {
    let (mut reasons, mut demands, mut network, mut results) =
        plan_stages(catalog, scenario, &BTreeSet::new());
    // A site whose fabric cannot hold the `fabric-zr` pluggables asked of it
    // is planned again with that option withdrawn from its demands (once:
    // withdrawing only takes pluggables away from a site).
    let withdrawn: BTreeSet<String> = scenario
        .sites
        .iter()
        .zip(&results)
        .filter(|(site, r)| r.is_err() && holds_pluggables(&demands, &site.name))
        .map(|(site, _)| site.name.clone())
        .collect();
    if !withdrawn.is_empty() {
        (reasons, demands, network, results) = plan_stages(catalog, scenario, &withdrawn);
    }
    let mut sites = Vec::new();
    let mut site_reasons = Vec::new();
    for r in results {
        match r {
            Ok(s) => sites.push(s),
            Err(e) => site_reasons.push(e),
        }
    }
    // Sites' reasons first, in scenario order, as before.
    site_reasons.append(&mut reasons);
    let mut reasons = site_reasons;
    for d in &demands {
        if d.chosen.is_none() {
            reasons.push(Infeasible {
                site: format!("{} to {}", d.between[0], d.between[1]),
                constraint: format!("interconnect of {} Gb/s", d.demand_gbps.0),
                detail: d.why.clone(),
            });
        }
    }
    if !reasons.is_empty() {
        return Err(PlanError { reasons });
    }
    let graph = topology::interconnect_graph(&demands);
    // Each demand's max-flow on the graph of its own design: what its lines
    // carry between its two sites; it must reach the demand.
    let interconnect: Vec<DemandPlan> = demands
        .into_iter()
        .map(|design| {
            let own = topology::interconnect_graph(std::slice::from_ref(&design));
            let border = |site: &str| own.find(&format!("{site}/border"));
            let flow = match (border(&design.between[0]), border(&design.between[1])) {
                (Some(a), Some(b)) => capacity::max_flow(&own, &[(a, None)], &[(b, None)]),
                _ => 0,
            };
            DemandPlan { design, max_flow_gbps: Gbps(flow) }
        })
        .collect();
    let short: Vec<Infeasible> = interconnect
        .iter()
        .filter(|d| d.max_flow_gbps < d.design.demand_gbps)
        .map(|d| Infeasible {
            site: format!("{} to {}", d.design.between[0], d.design.between[1]),
            constraint: "site-to-site max-flow".into(),
            detail: format!(
                "the design carries {} Gb/s of the {} Gb/s demand",
                d.max_flow_gbps.0, d.design.demand_gbps.0
            ),
        })
        .collect();
    if !short.is_empty() {
        return Err(PlanError { reasons: short });
    }
    Ok(Plan {
        scenario: scenario.name.clone(),
        catalog: catalog.name.clone(),
        currency: catalog.deal.currency.clone(),
        objective: scenario.objective,
        sites,
        interconnect,
        interconnect_network: network.expect("designed when nothing is infeasible"),
        interconnect_graph: (graph.node_count(), graph.bundle_count()),
    })
}

/// The interconnect's reasons, demands and network, and every site planned
/// (in parallel) with what it hands off to it, with `fabric-zr` withdrawn
/// at the sites of `withdrawn`.
type Stages = (Vec<Infeasible>, Vec<interconnect::DemandDesign>, Option<interconnect::Network>, SiteResults);
type SiteResults = Vec<Result<SitePlan, Infeasible>>;

fn plan_stages(catalog: &Catalog, scenario: &Scenario, withdrawn: &BTreeSet<String>) -> Stages {
    use rayon::prelude::*;
    let mut reasons = Vec::new();
    // The interconnect does not depend on a fabric; each fabric sets aside
    // the ports its site's chosen interconnect needs.
    let (demands, network) = match interconnect::design_without(catalog, scenario, withdrawn) {
        Ok(d) => (d.demands, Some(d.network)),
        Err(e) => {
            reasons.push(e);
            (Vec::new(), None)
        }
    };
    let needs = interconnect::handoff_needs(&demands);
    let results: SiteResults = scenario
        .sites
        .par_iter()
        .map(|site| {
            let handoff = needs.get(&site.name).map_or(&[][..], |v| v.as_slice());
            plan_site(catalog, scenario, site, handoff)
        })
        .collect();
    (reasons, demands, network, results)
}

/// Whether the chosen options put coherent pluggables in `site`'s fabric.
fn holds_pluggables(demands: &[interconnect::DemandDesign], site: &str) -> bool {
    interconnect::handoff_needs(demands).get(site).is_some_and(|n| n.iter().any(|h| h.pluggable.is_some()))
}

/// The whole plan as one graph: every site's fabric, the interconnect, and
/// each site's border joined to its border leaves (or, without them, its
/// top-tier switches) by the hand-off links
/// the fabric designed (`sites[].fabric.handoff`), spread as the fabric
/// spreads them: the first `L mod n` top switches carry one link more.
pub fn full_topology(plan: &Plan) -> topology::Topology {
    let mut all = topology::Topology::default();
    for site in &plan.sites {
        all.absorb(&topology::site_graph(&site.fabric));
    }
    let designs: Vec<interconnect::DemandDesign> =
        plan.interconnect.iter().map(|d| d.design.clone()).collect();
    let ic = topology::interconnect_graph(&designs);
    all.absorb(&ic);
    for site in &plan.sites {
        let Some(border) = all.find(&format!("{}/border", site.name)) else { continue };
        // The switches that carry the hand-off: the border leaves, else the top tier.
        let kind = match (&site.fabric.border_leaf, &site.fabric.superspine) {
            (Some(_), _) => topology::NodeKind::BorderLeaf,
            (None, Some(_)) => topology::NodeKind::Superspine,
            (None, None) => topology::NodeKind::Spine,
        };
        let tops: Vec<topology::NodeId> =
            all.nodes().filter(|(_, n)| n.site == site.name && n.kind == kind).map(|(id, _)| id).collect();
        let n = tops.len() as u64;
        for h in &site.fabric.handoff {
            let (q, r) = (h.links / n.max(1), h.links % n.max(1));
            for (i, t) in tops.iter().enumerate() {
                let count = q + u64::from((i as u64) < r);
                if count == 0 {
                    continue;
                }
                all.add_bundle(
                    border,
                    *t,
                    topology::Bundle {
                        count,
                        gbps: h.speed_gbps,
                        class: crate::design::media::LinkClass::HandOff,
                        length_km: 0.0,
                    },
                );
            }
        }
    }
    all
}
