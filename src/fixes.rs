//! Fixes planned for real. For each site where losing a spine leaves a leaf
//! above its oversubscription target, the scenario is planned again with
//! that site's `survive_spine_loss` set (the whole search, tiers and
//! superspine planes included); for each single-homed site whose leaf
//! failure strands servers, with `homing: dual` (and two NIC ports per
//! server where they have one). Both plans are priced as whole bills of
//! materials, and the failure analysis is run again on the fixed plan to
//! check that the same failure now keeps the target. A protected demand
//! that some single failure still cuts needs a fibre route the scenario
//! does not have: that fix is reported as beyond the catalog, with why.
//!
//! This is orchestration above the stages: it calls `plan`, `price` and
//! `analyse` in turn, and none of them calls back.

use crate::analyse::resilience::{self, FailureReport};
use crate::design::fabric::FabricDesign;
use crate::model::{Catalog, Category, FabricPolicyOverride, Homing, Scenario};
use crate::money::Money;
use crate::plan::{self, Plan};
use crate::price::bom::{self, Bom};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// A fix planned as a new design of one site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedFix {
    pub site: String,
    /// The shortfall: the worst leaf oversubscription after a spine loss.
    pub problem: String,
    /// The constraint the site was designed again under.
    pub constraint: String,
    /// The site's design before the fix (none for a demand's fix).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<DesignSummary>,
    /// The fixed design, or why none in the catalog meets the constraint.
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Outcome {
    /// A design meets the constraint: what it is, what it costs more.
    Planned(Box<Planned>),
    /// No design in the catalog meets it.
    Infeasible { reason: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Planned {
    pub after: DesignSummary,
    pub price: PriceDelta,
    pub check: Check,
}

/// The shape of a site's fabric, as far as a fix changes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignSummary {
    pub tiers: u8,
    pub leaf: String,
    pub leaves: u64,
    pub uplinks_per_leaf: u64,
    pub uplink_speed_gbps: u64,
    /// Of a leaf's uplinks, those to one spine.
    pub links_per_spine: u64,
    pub spine: String,
    pub pods: u64,
    pub spines_per_pod: u64,
    pub spines: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superspine: Option<String>,
    /// Superspine planes (one per spine of a pod) and superspines in each.
    pub planes: u64,
    pub superspines_per_plane: u64,
    pub superspines: u64,
}

/// The whole bill of materials' difference, fixed minus original: every
/// site's lines at the order's volume tiers, spares and support included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriceDelta {
    pub hardware_net: Money,
    pub support: Money,
    /// Hardware and support.
    pub net: Money,
    /// The site's own total (hardware and support).
    pub site_net: Money,
    /// Items whose quantity or net changed, by part number.
    pub items: Vec<ItemDelta>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemDelta {
    pub part_number: String,
    pub category: String,
    pub model: String,
    /// Units in the whole order (spares included), before and after.
    pub quantity_before: u64,
    pub quantity_after: u64,
    pub net: Money,
}

/// The same failure run on the fixed design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// What is measured: `worst leaf oversubscription after a spine loss`
    /// (a ratio, `n:1`) or `servers stranded by a leaf loss` (a count).
    pub figure: String,
    /// The worst value over the failure's class, the element that gives
    /// it, and the target it must not exceed.
    pub value: f64,
    pub worst_case: String,
    pub target: f64,
    pub meets_target: bool,
}

/// A rule a site is designed again under.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Rule {
    /// `survive_spine_loss`, for a leaf target.
    SpineLoss { target: f64 },
    /// `homing: dual`.
    DualHoming,
}

impl Rule {
    fn figure(self) -> &'static str {
        match self {
            Rule::SpineLoss { .. } => "worst leaf oversubscription after a spine loss",
            Rule::DualHoming => "servers stranded by a leaf loss",
        }
    }

    fn target(self) -> f64 {
        match self {
            Rule::SpineLoss { target } => target,
            Rule::DualHoming => 0.0,
        }
    }

    /// The figure on a failure report, and the element that gives it.
    fn measure(self, report: &FailureReport, site: &str) -> Option<(f64, String)> {
        match self {
            Rule::SpineLoss { .. } => spine_loss(report, site),
            Rule::DualHoming => {
                let class = format!("{site}: leaf");
                let c = report.classes.iter().find(|c| c.class == class)?;
                Some(
                    c.worst_stranded_servers
                        .get(site)
                        .map_or((0.0, "none".into()), |(n, e)| (*n as f64, e.clone())),
                )
            }
        }
    }
}

/// The worst leaf oversubscription after a spine loss at `site`, with the spine.
fn spine_loss(report: &FailureReport, site: &str) -> Option<(f64, String)> {
    let class = format!("{site}: spine");
    report.classes.iter().find(|c| c.class == class)?.worst_leaf_oversubscription.get(site).cloned()
}

/// Plans a fix for every shortfall of `report` (the analysis of `plan`)
/// that a new design can mend, with the same `options`: sites whose leaves
/// miss their target after a spine loss, single-homed sites whose leaf
/// failure strands servers; and says why a protected demand that a single
/// failure cuts cannot be mended within the scenario.
pub fn plan_fixes(
    catalog: &Catalog,
    scenario: &Scenario,
    plan: &Plan,
    report: &FailureReport,
    options: resilience::Options,
) -> Vec<PlannedFix> {
    use rayon::prelude::*;
    let mut work: Vec<(&crate::plan::SitePlan, Rule, String)> = Vec::new();
    for site in &plan.sites {
        let target = site.fabric.targets.leaf;
        if let Some((os, _)) = spine_loss(report, &site.name).filter(|(os, _)| *os > target + 1e-9) {
            let problem = format!("losing a spine leaves a leaf at {os}:1, above the {target}:1 target");
            work.push((site, Rule::SpineLoss { target }, problem));
        }
        if let Some((n, leaf)) = Rule::DualHoming.measure(report, &site.name).filter(|(n, _)| *n > 0.0) {
            let problem = format!("losing a leaf ({leaf}) strands {n} servers: they are single-homed");
            work.push((site, Rule::DualHoming, problem));
        }
    }
    let mut out: Vec<PlannedFix> = Vec::new();
    if !work.is_empty() {
        let bom = bom::bill_of_materials(catalog, scenario, plan);
        // Sites are planned independently: their fixes too, in parallel.
        out = work
            .par_iter()
            .map(|(site, rule, problem)| {
                let (fixed, constraint) = rule_scenario(scenario, &site.name, *rule);
                PlannedFix {
                    site: site.name.clone(),
                    problem: problem.clone(),
                    constraint,
                    before: Some(summary(&site.fabric)),
                    outcome: outcome(catalog, &fixed, (plan, &bom), &site.name, *rule, options),
                }
            })
            .collect();
    }
    for d in report.demands.iter().filter(|d| d.diverse && !d.survives_any_single_failure) {
        out.push(PlannedFix {
            site: format!("{} - {}", d.between[0], d.between[1]),
            problem: format!("{} leaves {} of the {} Gb/s it must keep", d.worst_failure, d.worst_gbps, d.gbps),
            constraint: "two paths that share no fibre route, site or amplifier hut".into(),
            before: None,
            outcome: Outcome::Infeasible {
                reason: format!(
                    "the failure takes both paths the scenario's fibre routes allow ({}); a fibre route that avoids it must be added to `fibre_routes`, which no catalog item can do",
                    d.worst_failure
                ),
            },
        });
    }
    out
}

/// Plans the fixes of `report` ([`plan_fixes`]) into it, and drops the
/// analysis' unpriced advice that a planned fix now covers (dual homing of
/// a site, a route for a demand).
pub fn attach(
    catalog: &Catalog,
    scenario: &Scenario,
    plan: &Plan,
    report: &mut FailureReport,
    options: resilience::Options,
) {
    report.planned_fixes = plan_fixes(catalog, scenario, plan, report, options);
    let planned = &report.planned_fixes;
    report.fixes.retain(|advice| {
        !planned.iter().any(|f| {
            let demand = f.before.is_none();
            let dual = f.constraint.starts_with("homing: dual");
            advice.problem.starts_with(&format!("{}: ", f.site))
                && (demand || (dual && advice.add.contains("dual")))
        })
    });
}

/// The scenario with `rule` set at one site, and the rule as the scenario says it.
fn rule_scenario(scenario: &Scenario, site: &str, rule: Rule) -> (Scenario, String) {
    match rule {
        Rule::SpineLoss { .. } => (with_spine_loss_rule(scenario, site), "survive_spine_loss: true".into()),
        Rule::DualHoming => {
            let mut fixed = scenario.clone();
            let mut constraint = "homing: dual".to_string();
            for s in fixed.sites.iter_mut().filter(|s| s.name == site) {
                s.fabric.get_or_insert_with(FabricPolicyOverride::default).homing = Some(Homing::Dual);
                if s.nics_per_server < 2 {
                    constraint = format!(
                        "homing: dual, with 2 NIC ports per server (they have {}; the servers' NICs are not in the BOM)",
                        s.nics_per_server
                    );
                    s.nics_per_server = 2;
                }
            }
            (fixed, constraint)
        }
    }
}

/// The scenario with `survive_spine_loss` set at one site.
pub fn with_spine_loss_rule(scenario: &Scenario, site: &str) -> Scenario {
    let mut fixed = scenario.clone();
    for s in fixed.sites.iter_mut().filter(|s| s.name == site) {
        s.fabric.get_or_insert_with(FabricPolicyOverride::default).survive_spine_loss = Some(true);
    }
    fixed
}

/// The site designed again under `fixed_scenario` (its rule set), priced as
/// the whole BOM's difference and checked by the same failure.
fn outcome(
    catalog: &Catalog,
    fixed_scenario: &Scenario,
    (original_plan, original): (&Plan, &Bom),
    site: &str,
    rule: Rule,
    options: resilience::Options,
) -> Outcome {
    // Sites are planned independently and the interconnect does not depend
    // on a fabric: the fixed plan is the original with this site planned
    // again (what `plan::plan` of the fixed scenario gives; the tests hold
    // its BOM against `dcplan bom` of that scenario).
    let Some(model_site) = fixed_scenario.sites.iter().find(|s| s.name == site) else {
        return Outcome::Infeasible { reason: format!("no site {site} in the scenario") };
    };
    let handoff = original_plan.handoff_needs(site);
    let after = match plan::plan_site(catalog, fixed_scenario, model_site, &handoff) {
        Ok(p) => p,
        Err(e) => return Outcome::Infeasible { reason: format!("{}: {}", e.constraint, e.detail) },
    };
    let mut fixed = original_plan.clone();
    for s in fixed.sites.iter_mut().filter(|s| s.name == site) {
        *s = after.clone();
    }
    let fixed_bom = bom::bill_of_materials(catalog, fixed_scenario, &fixed);
    // The same failure on the fixed design: a site's fabric failures touch
    // that site alone, so its graph is analysed without the others and the
    // interconnect (tests/it/failures_planned.rs holds this against the
    // analysis of the whole fixed plan).
    let alone = Plan {
        scenario: fixed.scenario.clone(),
        catalog: fixed.catalog.clone(),
        currency: fixed.currency.clone(),
        objective: fixed.objective,
        sites: vec![after.clone()],
        interconnect: Vec::new(),
        interconnect_network: Default::default(),
        interconnect_graph: (0, 0),
    };
    let rerun = resilience::analyse(&alone, catalog, options, &|| {});
    let (value, worst_case) = rule.measure(&rerun, site).unwrap_or((0.0, "none".into()));
    let target = rule.target();
    Outcome::Planned(Box::new(Planned {
        after: summary(&after.fabric),
        price: delta(original, &fixed_bom, site),
        check: Check {
            figure: rule.figure().into(),
            value,
            worst_case,
            target,
            meets_target: value <= target + 1e-9,
        },
    }))
}

pub fn summary(f: &FabricDesign) -> DesignSummary {
    let ss = f.superspine.as_ref();
    let three = ss.is_some();
    DesignSummary {
        tiers: f.tiers,
        leaf: f.leaf.switch_id.clone(),
        leaves: f.leaf.count,
        uplinks_per_leaf: f.leaf.up_links,
        uplink_speed_gbps: f.leaf.up_speed_gbps.0,
        links_per_spine: f.leaf.links_per_peer_up,
        spine: f.spine.switch_id.clone(),
        pods: f.pods,
        spines_per_pod: f.spines_per_pod,
        spines: f.spine.count,
        superspine: ss.map(|t| t.switch_id.clone()),
        planes: if three { f.spines_per_pod } else { 0 },
        superspines_per_plane: if three { f.superspines_per_plane } else { 0 },
        superspines: ss.map_or(0, |t| t.count),
    }
}

/// Quantity and net of each part over the whole order, support aside.
fn by_part(b: &Bom) -> BTreeMap<String, (String, String, u64, Decimal)> {
    let mut m: BTreeMap<String, (String, String, u64, Decimal)> = BTreeMap::new();
    for l in b.lines.iter().filter(|l| l.category != Category::Support) {
        let e = m
            .entry(l.part_number.clone())
            .or_insert_with(|| (l.category.as_str().to_string(), l.model.clone(), 0, Decimal::ZERO));
        e.2 += l.quantity;
        e.3 += l.extended_net_price.amount();
    }
    m
}

/// The whole BOM's difference, fixed minus original.
pub fn delta(original: &Bom, fixed: &Bom, site: &str) -> PriceDelta {
    let d = |a: Money, b: Money| Money(b.amount() - a.amount());
    let site_total = |b: &Bom| b.totals.by_site.get(site).copied().unwrap_or(Money::ZERO);
    let (before, after) = (by_part(original), by_part(fixed));
    let mut parts: Vec<&String> = before.keys().chain(after.keys()).collect();
    parts.sort();
    parts.dedup();
    let items = parts
        .into_iter()
        .filter_map(|p| {
            let zero = || (String::new(), String::new(), 0, Decimal::ZERO);
            let (a, b) = (before.get(p).cloned(), after.get(p).cloned());
            let (cat, model) = b.as_ref().or(a.as_ref()).map(|x| (x.0.clone(), x.1.clone()))?;
            let (a, b) = (a.unwrap_or_else(zero), b.unwrap_or_else(zero));
            (a.2 != b.2 || a.3 != b.3).then(|| ItemDelta {
                part_number: p.clone(),
                category: cat,
                model,
                quantity_before: a.2,
                quantity_after: b.2,
                net: Money(b.3 - a.3),
            })
        })
        .collect();
    PriceDelta {
        hardware_net: d(original.totals.hardware_net, fixed.totals.hardware_net),
        support: d(original.totals.support, fixed.totals.support),
        net: d(original.totals.net, fixed.totals.net),
        site_net: d(site_total(original), site_total(fixed)),
        items,
    }
}
