//! Border leaves: the interconnect's hand-off on switches of their own.
//!
//! Instead of taking the hand-off on the top tier's own ports
//! ([`super::handoff`]), a design may put it on border leaves: `B` switches
//! of a leaf-capable model (at least two, an even count, so that losing one
//! leaves the other half of every need), standing in the interconnect's row
//! beside the equipment they join. Each takes its share of every need's
//! links on its down ports (at the need's speed, natively or by breakout:
//! `⌈L/B⌉` on the first `L mod B`, as the top tier spreads them) and joins
//! every top switch (the spines of a two-tier fabric, the superspines of a
//! three-tier one) with `p` links at the top tier's fabric speed, as a leaf
//! joins its spines.
//!
//! Sizing, stated as the rules of the design space (the brute force in
//! `tests/it/search.rs` enumerates under the same rules):
//! - **Non-blocking toward the fabric**: a border leaf's uplink capacity is
//!   at least what it hands off, `n·p·U ≥ Σ ⌈Lᵢ/B⌉·sᵢ`, so `p` is the
//!   fewest links per top switch that meet it. A border leaf is a leaf
//!   whose "servers" are the interconnect, at 1:1: the interconnect's
//!   demands are sized for their full rate (and their protection), and a
//!   Clos leaf passes what its uplinks carry (RFC 7938 §3.1, the
//!   oversubscription of a leaf is its server-facing over uplink capacity;
//!   `../shared/reference/clos-sizing.md`). Oversubscribing it would cap a
//!   demand below what the interconnect was designed to carry.
//! - **Count**: the fewest even `B ≥ 2` whose ports hold their share and
//!   their uplinks. More border leaves add two switches each and never a
//!   hand-off link or optic less; the count is a rule here, not a choice of
//!   the search (README, "Known simplifications").
//! - Their uplinks take top-tier ports set aside before the fabric's own,
//!   as the top tier's hand-off does ([`super::handoff::top_split`]): the
//!   growth figure counts only what is left.

use super::handoff::{need_groups, HandOff};
use super::score::link_groups;
use super::{Context, LinkGroup};
use crate::design::media::LinkClass;
use crate::design::ports::{self, PortUse};
use crate::design::wiring::{self, Block};
use crate::model::{FabricRole, Switch};
use crate::units::Gbps;
use std::rc::Rc;

/// The border leaves of one top tier: how many, and the ports they use.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct BorderPlan<'a> {
    pub sw: &'a Switch,
    pub count: u64,
    /// Links from each border leaf to each top switch.
    pub per_top: u64,
    /// Top switches, and the speed of the uplinks (the top tier's fabric speed).
    pub n_top: u64,
    pub speed: Gbps,
    /// The ports of one border leaf for each need, and for its uplinks.
    pub down: Vec<Vec<PortUse>>,
    pub up: Vec<PortUse>,
    /// Most hand-off capacity one border leaf carries (Gb/s).
    pub carried_gbps: u64,
}

impl BorderPlan<'_> {
    /// What each top switch sets aside for the border leaves' uplinks.
    pub fn reserve(&self) -> (Gbps, u64) {
        (self.speed, self.count * self.per_top)
    }
}

/// A border-leaf plan, or why the model cannot play the role here.
pub(super) type PlanResult<'a> = Result<Rc<BorderPlan<'a>>, String>;

/// The border leaves of model `ctx.border_models[model]` under `n_top` top
/// switches whose fabric links run at `speed` (remembered).
pub(super) fn plan<'a>(ctx: &Context<'a>, model: usize, n_top: u64, speed: Gbps) -> PlanResult<'a> {
    let key = (model, n_top, speed);
    if let Some(hit) = ctx.border_plans.borrow().get(&key) {
        return hit.clone();
    }
    let made = size(ctx, ctx.border_models[model], n_top, speed).map(Rc::new);
    ctx.border_plans.borrow_mut().insert(key, made.clone());
    made
}

/// The fewest even count of `sw` that holds the hand-off and its uplinks.
fn size<'a>(ctx: &Context<'a>, sw: &'a Switch, n_top: u64, speed: Gbps) -> Result<BorderPlan<'a>, String> {
    if let Some(reason) = super::leaf::over_rack_budget(ctx, &[sw]) {
        return Err(reason);
    }
    let n_top = n_top.max(1);
    if ports::max_links(sw, speed) < n_top {
        return Err(format!(
            "a {} border leaf has no room for a link of {} to each of {} top switches",
            sw.id, speed, n_top
        ));
    }
    let total: u64 = ctx.handoff.iter().map(|h| h.links).sum();
    // Past this count a border leaf would carry nothing: more cannot help.
    let most = total.div_ceil(2).max(1);
    // More border leaves each carry less and need fewer uplinks, so the
    // counts that fit are all those from the fewest up: found by bisection
    // over the even counts 2·k.
    let fits = |k: u64| fit(ctx, sw, 2 * k, n_top, speed);
    if fits(most).is_none() {
        return Err(format!(
            "{} border leaves of {} cannot take their share of the hand-off with uplinks of {} to each of {} top switches",
            2 * most,
            sw.id,
            speed,
            n_top
        ));
    }
    let (mut lo, mut hi) = (0, most);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if fits(mid).is_some() {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    fits(hi).ok_or_else(|| "the border leaves no longer fit".to_string())
}

/// `count` border leaves of `sw`, if each holds its share and its uplinks.
fn fit<'a>(ctx: &Context<'a>, sw: &'a Switch, count: u64, n_top: u64, speed: Gbps) -> Option<BorderPlan<'a>> {
    let shares: Vec<(Gbps, u64)> =
        ctx.handoff.iter().map(|h| (h.speed_gbps, h.links.div_ceil(count))).collect();
    let carried_gbps: u64 = shares.iter().map(|(s, k)| s.0 * k).sum();
    let per_top = carried_gbps.div_ceil(n_top * speed.0).max(1);
    let (split, down) = ports::split_reserving_on(sw, &shares, &ctx.holds, speed, 0, speed)?;
    let up = split.place_up(sw, speed, n_top * per_top)?;
    Some(BorderPlan { sw, count, per_top, n_top, speed, down, up, carried_gbps })
}

/// The border leaves' link groups: the hand-off on their down ports (a run
/// along the interconnect's row), and their uplinks to the top tier on the
/// ports `top_reserved` set aside on each top switch `top`.
pub(super) fn groups(
    ctx: &Context<'_>,
    plan: &BorderPlan<'_>,
    top: &Switch,
    top_reserved: &[PortUse],
) -> Result<Vec<LinkGroup>, String> {
    let row = ctx.site.layout.in_row_m;
    let mut out = need_groups(ctx, plan.sw, plan.count, &plan.down, row)?;
    let a = wiring::kinds(top, top_reserved);
    let b = wiring::kinds(plan.sw, &plan.up);
    let block = [Block { a: plan.n_top, b: plan.count, m: plan.per_top, copies: 1 }];
    out.extend(link_groups(ctx, LinkClass::BorderUplink, plan.speed, &a, &b, &block)?);
    Ok(out)
}

/// The border-leaf tier of a realised design.
pub(super) fn tier(plan: &BorderPlan<'_>) -> super::Tier {
    let sw = plan.sw;
    let down: Vec<PortUse> = plan.down.iter().flatten().copied().collect();
    let used = down.iter().chain(&plan.up).map(|u| u.ports).sum();
    super::Tier {
        role: FabricRole::BorderLeaf,
        switch_id: sw.id.clone(),
        model: sw.model.clone(),
        count: plan.count,
        down_links: down.iter().map(|u| u.ports * u.links_per_port).sum(),
        down_speed_gbps: ctx_speed(plan),
        up_links: plan.n_top * plan.per_top,
        up_speed_gbps: plan.speed,
        links_per_peer_up: plan.per_top,
        ports_total: sw.ports.iter().filter(|g| !g.management).map(|g| u64::from(g.count)).sum(),
        ports_used: used,
        power_w: sw.power_w,
        rack_units: sw.rack_units,
        down_uses: down,
        up_uses: plan.up.clone(),
        handoff_uses: plan.down.clone(),
    }
}

/// The speed of the first need's links (the tier's down speed as shown).
fn ctx_speed(plan: &BorderPlan<'_>) -> Gbps {
    plan.down
        .iter()
        .flatten()
        .next()
        .map(|u| {
            let g = &plan.sw.ports[u.group];
            u.breakout.map_or(g.speed_gbps, |b| b.speed_gbps)
        })
        .unwrap_or(plan.speed)
}

/// The hand-off of a design with border leaves, one line per need.
pub(super) fn describe(ctx: &Context<'_>, plan: &BorderPlan<'_>, groups: &[LinkGroup]) -> Vec<HandOff> {
    super::handoff::describe(ctx, plan.sw, FabricRole::BorderLeaf, plan.count, &plan.down, groups)
}
