//! The combinations of models a search has tried, as alternatives a design
//! keeps to explain itself: each with its best figures, or the most telling
//! reason it failed or was bounded out.

use super::score::Scored;
use super::{Alternative, Context};
use crate::model::*;
use crate::money::Money;
use crate::units::{Gbps, Watts};

/// How telling a failure is: running out of ports or power, or a leaf that
/// cannot survive a spine loss, says more about the scenario than a model
/// that simply lacks a port speed.
pub(super) fn reason_rank(a: &Alternative) -> u8 {
    let r = a.reason.as_deref().unwrap_or("");
    if a.bounded {
        5
    } else if r.contains("need more than")
        || r.contains("pods (with growth)")
        || r.contains("surviving a spine loss")
    {
        0
    } else if r.contains("rack budget") {
        1
    } else if r.contains("cannot keep") {
        2
    } else if r.contains("no cable or optic") {
        3
    } else {
        4
    }
}

pub(super) fn alternative(
    ctx: &Context<'_>,
    leaf: &Switch,
    spine: &Switch,
    superspine: Option<&Switch>,
    speeds: Vec<Gbps>,
    best: Option<&Scored>,
    reason: String,
) -> Alternative {
    let money = |c: i128| Money(rust_decimal::Decimal::from_i128_with_scale(c, 2));
    Alternative {
        leaf: leaf.id.clone(),
        spine: spine.id.clone(),
        superspine: superspine.map(|s| s.id.clone()),
        tiers: if superspine.is_some() { 3 } else { 2 },
        link_speeds_gbps: if best.is_some() { speeds } else { Vec::new() },
        feasible: best.is_some(),
        cost: best.map(|b| money(b.score.cost_cents)),
        power_typical_w: best.map(|b| Watts((b.power_w * 10.0).round() / 10.0)),
        switches: best.map(|b| b.score.switches),
        tco: best.filter(|_| ctx.weights.objective == Objective::Tco).map(|b| money(b.score.objective)),
        reason: if best.is_some() { None } else { Some(reason) },
        bounded: false,
        objective: best.map(|b| b.score.objective),
    }
}

pub(super) fn bounded(
    ctx: &Context<'_>,
    leaf: &Switch,
    spine: &Switch,
    ss: Option<&Switch>,
    floor: i128,
    best: i128,
) -> Alternative {
    let mut a = alternative(ctx, leaf, spine, ss, Vec::new(), None, String::new());
    a.bounded = true;
    a.reason =
        Some(format!("bounded out: no design of these models scores under {floor}, the best scores {best}"));
    a
}

pub(super) fn sort_alternatives(alternatives: &mut [Alternative]) {
    alternatives.sort_by_cached_key(|x| {
        (
            !x.feasible,
            x.bounded,
            x.objective.unwrap_or(i128::MAX),
            x.tiers,
            x.leaf.clone(),
            x.spine.clone(),
            x.superspine.clone(),
        )
    });
}
