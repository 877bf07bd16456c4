//! DCI routers: chassis and line cards for a number of ports of one speed.

use super::tally::Tally;
use super::Ctx;
use crate::design::media::fits;
use crate::model::*;
use crate::price;
use crate::units::Gbps;

/// A router: chassis and line cards able to hold `ports` ports of `speed`
/// (line-rate ports per card capped by its forwarding and slot capacity).
pub(super) struct RouterBuild<'a> {
    pub(super) chassis: &'a RouterChassis,
    pub(super) card: &'a LineCard,
    pub(super) cards: u64,
    pub(super) chassis_count: u64,
    pub(super) cage: FormFactor,
}

pub(super) fn router_for<'a>(
    ctx: &Ctx<'a>,
    ports: u64,
    speed: Gbps,
    cage_for: Option<FormFactor>,
) -> Result<RouterBuild<'a>, String> {
    let mut best: Option<(i128, RouterBuild<'a>)> = None;
    for card in &ctx.catalog.line_cards {
        let Some(group) = card.ports.iter().find(|g| {
            !g.management && g.speed_gbps == speed && cage_for.is_none_or(|f| fits(f, g.form_factor))
        }) else {
            continue;
        };
        for chassis in ctx.catalog.router_chassis.iter().filter(|c| card.compatible_chassis.contains(&c.id)) {
            let fwd = card.forwarding_capacity_fd_gbps.0.min(chassis.slot_capacity_fd_gbps.0);
            let usable = u64::from(group.count).min(fwd / speed.0.max(1));
            if usable == 0 {
                continue;
            }
            let cards = ports.div_ceil(usable);
            let chassis_count = cards.div_ceil(u64::from(chassis.slots));
            let cost = price::cents(price::unit_net(ctx.catalog, card)) * i128::from(cards)
                + price::cents(price::unit_net(ctx.catalog, chassis)) * i128::from(chassis_count);
            let power = (card.power_w.typical.0 * cards as f64
                + chassis.power_w.typical.0 * chassis_count as f64) as i128;
            let key = if ctx.rank_power { power * 1_000_000 + cost / 1000 } else { cost };
            if best.as_ref().is_none_or(|(k, _)| key < *k) {
                best =
                    Some((key, RouterBuild { chassis, card, cards, chassis_count, cage: group.form_factor }));
            }
        }
    }
    best.map(|(_, b)| b)
        .ok_or_else(|| format!("no router line card in the catalog has {speed} ports for the coherent optic"))
}

pub(super) fn add_router(t: &mut Tally, r: &RouterBuild<'_>, site: &str, copy: &str) {
    t.add(&r.chassis.id, site, r.chassis_count, &format!("router chassis{copy}"));
    t.add(&r.card.id, site, r.cards, &format!("router line cards{copy}"));
}
