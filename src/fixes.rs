//! Fixes planned for real: for each site where losing a spine leaves a leaf
//! above its oversubscription target, the scenario is planned again with
//! that site's `survive_spine_loss` set (the whole search, tiers and
//! superspine planes included), both plans are priced as whole bills of
//! materials, and the failure analysis is run again on the fixed plan to
//! check that the same failure now keeps the target.
//!
//! This is orchestration above the stages: it calls `plan`, `price` and
//! `analyse` in turn, and none of them calls back.

use crate::analyse::resilience::{self, FailureReport};
use crate::design::fabric::FabricDesign;
use crate::model::{Catalog, Category, FabricPolicyOverride, Scenario};
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
    /// The design before the fix.
    pub before: DesignSummary,
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
    /// Worst leaf oversubscription after a spine loss, and the spine.
    pub worst_leaf_oversubscription: f64,
    pub worst_case: String,
    pub target: f64,
    pub meets_target: bool,
}

/// The worst leaf oversubscription after a spine loss at `site`, with the spine.
fn spine_loss(report: &FailureReport, site: &str) -> Option<(f64, String)> {
    let class = format!("{site}: spine");
    report.classes.iter().find(|c| c.class == class)?.worst_leaf_oversubscription.get(site).cloned()
}

/// Plans a fix for every site whose leaves miss their target after a spine
/// loss (`report` being the analysis of `plan`), with the same `options`.
pub fn plan_fixes(
    catalog: &Catalog,
    scenario: &Scenario,
    plan: &Plan,
    report: &FailureReport,
    options: resilience::Options,
) -> Vec<PlannedFix> {
    use rayon::prelude::*;
    let short: Vec<(&crate::plan::SitePlan, f64, f64)> = plan
        .sites
        .iter()
        .filter_map(|site| {
            let target = site.fabric.targets.leaf;
            let (os, _) = spine_loss(report, &site.name)?;
            (os > target + 1e-9).then_some((site, os, target))
        })
        .collect();
    if short.is_empty() {
        return Vec::new();
    }
    let bom = bom::bill_of_materials(catalog, scenario, plan);
    // Sites are planned independently: their fixes too, in parallel.
    short
        .par_iter()
        .map(|&(site, os, target)| PlannedFix {
            site: site.name.clone(),
            problem: format!("losing a spine leaves a leaf at {os}:1, above the {target}:1 target"),
            constraint: "survive_spine_loss: true".into(),
            before: summary(&site.fabric),
            outcome: outcome(catalog, scenario, (plan, &bom), &site.name, target, options),
        })
        .collect()
}

/// The scenario with `survive_spine_loss` set at one site.
pub fn with_spine_loss_rule(scenario: &Scenario, site: &str) -> Scenario {
    let mut fixed = scenario.clone();
    for s in fixed.sites.iter_mut().filter(|s| s.name == site) {
        s.fabric.get_or_insert_with(FabricPolicyOverride::default).survive_spine_loss = Some(true);
    }
    fixed
}

fn outcome(
    catalog: &Catalog,
    scenario: &Scenario,
    (original_plan, original): (&Plan, &Bom),
    site: &str,
    target: f64,
    options: resilience::Options,
) -> Outcome {
    let fixed_scenario = with_spine_loss_rule(scenario, site);
    // Sites are planned independently and the interconnect does not depend
    // on a fabric: the fixed plan is the original with this site planned
    // again (what `plan::plan` of the fixed scenario gives; the tests hold
    // its BOM against `dcplan bom` of that scenario).
    let Some(model_site) = fixed_scenario.sites.iter().find(|s| s.name == site) else {
        return Outcome::Infeasible { reason: format!("no site {site} in the scenario") };
    };
    let handoff = original_plan.handoff_needs(site);
    let after = match plan::plan_site(catalog, &fixed_scenario, model_site, &handoff) {
        Ok(p) => p,
        Err(e) => return Outcome::Infeasible { reason: format!("{}: {}", e.constraint, e.detail) },
    };
    let mut fixed = original_plan.clone();
    for s in fixed.sites.iter_mut().filter(|s| s.name == site) {
        *s = after.clone();
    }
    let fixed_bom = bom::bill_of_materials(catalog, &fixed_scenario, &fixed);
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
        interconnect_graph: (0, 0),
    };
    let rerun = resilience::analyse(&alone, catalog, options, &|| {});
    let (os, worst_case) = spine_loss(&rerun, site).unwrap_or((0.0, "no spine".into()));
    Outcome::Planned(Box::new(Planned {
        after: summary(&after.fabric),
        price: delta(original, &fixed_bom, site),
        check: Check {
            worst_leaf_oversubscription: os,
            worst_case,
            target,
            meets_target: os <= target + 1e-9,
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
