//! The pipeline end to end: validated inputs in, a plan out. Sites are
//! independent, so each is designed, built as a graph and analysed on its own.

use crate::analyse::{capacity, power, racks};
use crate::design::fabric::{self, FabricDesign};
use crate::design::interconnect;
use crate::design::{HandOffNeed, Infeasible};
use crate::model::{Catalog, Scenario};
use crate::money::Money;
use crate::price::{bom, volume};
use crate::topology;
use crate::units::Gbps;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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
    /// The unit prices the designs were compared at.
    pub pricing: Pricing,
}

/// How a plan's designs were priced (`price::volume`): in rounds, the
/// first at the deal's category discounts, each next one at the volume
/// tiers the order of the round before reaches.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Pricing {
    /// Rounds planned (1 when the deal has no volume tiers).
    pub rounds: u32,
    /// The round whose plan was kept: the one whose whole order scores
    /// best under the objective at the bill of materials' prices.
    pub kept_round: u32,
    /// Whether the kept plan was compared at the tiers its own order
    /// reaches (the rounds met a fixed point).
    pub at_own_tiers: bool,
    /// The unit prices the kept plan was compared at, where they differ
    /// from the category discount alone, by item id.
    pub tier_prices: BTreeMap<String, Money>,
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
    /// The catalog at the unit prices this plan was compared at, for
    /// designing more at the same prices (a fix, a site again).
    pub fn priced_catalog(&self, catalog: &Catalog) -> Catalog {
        Catalog { tier_prices: self.pricing.tier_prices.clone(), ..catalog.clone() }
    }

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
    let mut plan = design_site(catalog, scenario, site, handoff)?;
    analyse_site(&mut plan);
    Ok(plan)
}

/// A site's design with its power and racks, its graph not yet built nor
/// analysed (`analyse_site`): what a pricing round needs.
fn design_site(
    catalog: &Catalog,
    scenario: &Scenario,
    site: &crate::model::Site,
    handoff: &[HandOffNeed],
) -> Result<SitePlan, Infeasible> {
    let design = fabric::design_site_with(catalog, scenario, site, handoff)?;
    let power = power::site_power(&design, site);
    let rack_units = design.tier_list().iter().map(|t| t.rack_units * t.count as f64).sum();
    Ok(SitePlan {
        name: site.name.clone(),
        bisection_gbps: Gbps(0),
        graph_nodes: 0,
        graph_bundles: 0,
        power,
        rack_units,
        racks: racks::site_racks(&design, site),
        fabric: design,
    })
}

/// Builds a designed site's graph and measures its bisection on it.
fn analyse_site(plan: &mut SitePlan) {
    let graph = topology::site_graph(&plan.fabric);
    plan.bisection_gbps = Gbps(capacity::bisection_gbps(&graph, &plan.name));
    plan.graph_nodes = graph.node_count();
    plan.graph_bundles = graph.bundle_count();
    tracing::info!(site = %plan.name, tiers = plan.fabric.tiers, nodes = plan.graph_nodes, bisection = plan.bisection_gbps.0, "site planned");
}

/// Pricing rounds after the first: enough for the shipped scenarios to
/// meet their fixed point (two rounds in all), and a bound on the time.
const TIER_ROUNDS: u32 = 2;

/// Plans the interconnect, then every site (in parallel) with what it
/// hands off to it; the result is in scenario order. Under a deal with
/// volume tiers, planned again at the unit prices the order reaches
/// (`price::volume`) until the prices stop moving or [`TIER_ROUNDS`] more
/// rounds are spent; the round whose whole order scores best under the
/// objective, at the bill of materials' prices, is kept.
pub fn plan(catalog: &Catalog, scenario: &Scenario) -> Result<Plan, PlanError> {
    let mut best = plan_once(catalog, scenario, None)?;
    best.pricing.rounds = 1;
    best.pricing.kept_round = 1;
    if catalog.deal.volume_tiers.is_empty() {
        best.pricing.at_own_tiers = true;
        return Ok(analysed(best));
    }
    let mut best_bom = bom::bill_of_materials(catalog, scenario, &best);
    let mut priced = catalog.clone();
    let mut last = best.pricing.clone();
    for round in 2..=TIER_ROUNDS + 1 {
        let prices = volume::tier_prices(catalog, &best_bom);
        if prices == priced.tier_prices {
            best.pricing.at_own_tiers = true;
            break;
        }
        priced.tier_prices = prices;
        last.rounds = round;
        let guess = handoff_of(&best);
        let Ok(next) = plan_once(&priced, scenario, Some(&guess)) else { break };
        tracing::info!(
            round,
            items = priced.tier_prices.len(),
            "planned again at the volume tiers the order reaches"
        );
        let next_bom = bom::bill_of_materials(catalog, scenario, &next);
        if !keeps(scenario, &next_bom, &best_bom) {
            break;
        }
        best = next;
        best_bom = next_bom;
        last.kept_round = round;
        last.tier_prices = priced.tier_prices.clone();
        best.pricing = last.clone();
    }
    best.pricing.rounds = last.rounds;
    if !best.pricing.at_own_tiers && best.pricing.kept_round == last.rounds {
        // The last round's plan is kept: priced at its own tiers when its
        // order reaches the tiers it was compared at.
        best.pricing.at_own_tiers = volume::tier_prices(catalog, &best_bom) == best.pricing.tier_prices;
    }
    Ok(analysed(best))
}

/// What each site of a plan hands off to its interconnect.
fn handoff_of(plan: &Plan) -> Needs {
    let designs: Vec<interconnect::DemandDesign> =
        plan.interconnect.iter().map(|d| d.design.clone()).collect();
    interconnect::handoff_needs(&designs)
}

/// The plan with every site's graph built and analysed, in parallel.
fn analysed(mut plan: Plan) -> Plan {
    use rayon::prelude::*;
    plan.sites.par_iter_mut().for_each(analyse_site);
    plan
}

/// Whether a later round's order replaces the kept one: the same order
/// (priced at the later, truer prices), or a different one that scores
/// better by more than the scenario's tie tolerance. Within it, the tie
/// rules (blast radius, devices, power, optics) chose the kept order's
/// designs at consistent prices, and a later round, priced partly at the
/// optimistic tiers of items the kept order does not buy, does not undo
/// them.
fn keeps(scenario: &Scenario, next: &bom::Bom, kept: &bom::Bom) -> bool {
    let order = |b: &bom::Bom| -> BTreeMap<(String, String), u64> {
        b.lines.iter().map(|l| ((l.site.clone(), l.item.clone()), l.quantity)).collect()
    };
    let (n, k) = (order_score(scenario, next), order_score(scenario, kept));
    if order(next) == order(kept) {
        return n <= k;
    }
    let tolerance = scenario.tie_within_pct.max(0.0) / 100.0;
    (n.0 as f64) * (1.0 + tolerance) < k.0 as f64 || (tolerance == 0.0 && n < k)
}

/// What a whole order weighs under the scenario's objective, at the bill of
/// materials' prices, in cents (and mW under `power`), smaller is better.
fn order_score(scenario: &Scenario, bom: &bom::Bom) -> (i128, i128) {
    let c = |m: Money| crate::price::cents(m);
    let t = &bom.totals;
    match scenario.objective {
        crate::model::Objective::Cost => (c(t.hardware_net), 0),
        crate::model::Objective::Tco => (c(t.cost_of_ownership.unwrap_or(t.net)), c(t.hardware_net)),
        crate::model::Objective::Power => ((t.power_typical_w * 1000.0).round() as i128, c(t.hardware_net)),
    }
}

/// One round of [`plan`]: every stage at the catalog's unit prices.
fn plan_once(catalog: &Catalog, scenario: &Scenario, guess: Option<&Needs>) -> Result<Plan, PlanError> {
    let (mut reasons, mut demands, mut network, mut results) =
        plan_stages(catalog, scenario, &BTreeSet::new(), guess);
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
        (reasons, demands, network, results) = plan_stages(catalog, scenario, &withdrawn, None);
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
        pricing: Pricing::default(),
    })
}

/// The interconnect's reasons, demands and network, and every site planned
/// (in parallel) with what it hands off to it, with `fabric-zr` withdrawn
/// at the sites of `withdrawn`.
type Stages = (Vec<Infeasible>, Vec<interconnect::DemandDesign>, Option<interconnect::Network>, SiteResults);
type SiteResults = Vec<Result<SitePlan, Infeasible>>;

fn plan_stages(
    catalog: &Catalog,
    scenario: &Scenario,
    withdrawn: &BTreeSet<String>,
    guess: Option<&Needs>,
) -> Stages {
    let design_interconnect = || {
        let mut reasons = Vec::new();
        let (demands, network) = match interconnect::design_without(catalog, scenario, withdrawn) {
            Ok(d) => (d.demands, Some(d.network)),
            Err(e) => {
                reasons.push(e);
                (Vec::new(), None)
            }
        };
        (reasons, demands, network)
    };
    // The interconnect does not depend on a fabric; each fabric sets aside
    // the ports its site's chosen interconnect needs. Given a guess of
    // those (the round before's), the fabrics are designed while the
    // interconnect is, and again only if the guess was wrong.
    let ((reasons, demands, network), guessed) = match guess {
        Some(g) => rayon::join(design_interconnect, || Some((g.clone(), design_sites(catalog, scenario, g)))),
        None => (design_interconnect(), None),
    };
    let needs = interconnect::handoff_needs(&demands);
    let results = match guessed {
        Some((g, results)) if g == needs => results,
        _ => design_sites(catalog, scenario, &needs),
    };
    (reasons, demands, network, results)
}

/// What each site hands off to the interconnect, by site name.
type Needs = BTreeMap<String, Vec<HandOffNeed>>;

/// Every site designed (in parallel) with what it hands off.
fn design_sites(catalog: &Catalog, scenario: &Scenario, needs: &Needs) -> SiteResults {
    use rayon::prelude::*;
    scenario
        .sites
        .par_iter()
        .map(|site| {
            let handoff = needs.get(&site.name).map_or(&[][..], |v| v.as_slice());
            design_site(catalog, scenario, site, handoff)
        })
        .collect()
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
