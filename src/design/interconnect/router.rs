//! DCI routers: chassis and line cards for a number of ports of one speed.

use super::tally::Tally;
use super::{Ctx, PartCount};
use crate::design::media::fits;
use crate::model::*;
use crate::price;
use crate::units::Gbps;
use serde::Serialize;
use std::collections::BTreeMap;

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

/// Router ports one option needs at a site, on one diversity plane.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouterNeed {
    pub site: String,
    /// 1 for the working path's routers, 2 for the protect path's.
    pub plane: usize,
    pub speed_gbps: Gbps,
    /// The cage the ports must take (a pluggable's), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cage: Option<FormFactor>,
    pub ports: u64,
}

/// The routers of one site and plane, sized once for every demand through
/// them (`interconnect_network.routers[]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouterPool {
    pub site: String,
    pub plane: usize,
    pub model: String,
    pub chassis: u64,
    pub cards: Vec<PartCount>,
    pub slots_used: u64,
    pub slots_free: u64,
    /// Per port speed: ports the demands use and ports the cards leave free (at line rate).
    pub ports: Vec<PortsAtSpeed>,
}

/// Ports of one speed in a router pool.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortsAtSpeed {
    pub speed_gbps: Gbps,
    pub used: u64,
    pub free: u64,
}

/// Sizes the routers of one site and plane for all its needs: for every
/// chassis model, each need's (speed, cage) on the card compatible with it
/// that holds its ports for the least (fewest watts, for `power`), the cards
/// of all needs sharing the chassis; the cheapest chassis model wins. Exact
/// over one chassis model per pool and one card model per (speed, cage);
/// ports of two speeds on one card are not mixed.
pub(super) fn pool<'a>(
    ctx: &Ctx<'a>,
    site: &str,
    plane: usize,
    needs: &[RouterNeed],
) -> Result<RouterPool, String> {
    let mut merged: BTreeMap<(Gbps, Option<FormFactor>), u64> = BTreeMap::new();
    for n in needs {
        *merged.entry((n.speed_gbps, n.cage)).or_default() += n.ports;
    }
    let price = |i: &dyn CatalogItem| price::cents(price::unit_net(ctx.catalog, i));
    let mut best: Option<(i128, RouterPool)> = None;
    for chassis in &ctx.catalog.router_chassis {
        let mut cost = 0i128;
        let mut watts = 0.0;
        let mut cards: BTreeMap<String, u64> = BTreeMap::new();
        let mut ports = BTreeMap::new();
        let mut ok = true;
        for (&(speed, cage), &want) in &merged {
            let pick = ctx
                .catalog
                .line_cards
                .iter()
                .filter(|c| c.compatible_chassis.contains(&chassis.id))
                .filter_map(|card| {
                    let group = card.ports.iter().find(|g| {
                        !g.management && g.speed_gbps == speed && cage.is_none_or(|f| fits(f, g.form_factor))
                    })?;
                    let fwd = card.forwarding_capacity_fd_gbps.0.min(chassis.slot_capacity_fd_gbps.0);
                    let usable = u64::from(group.count).min(fwd / speed.0.max(1));
                    (usable > 0).then(|| (card, want.div_ceil(usable), usable))
                })
                .min_by_key(|(card, n, _)| {
                    let c = price(*card) * i128::from(*n);
                    let w = (card.power_w.typical.0 * *n as f64 * 1000.0) as i128;
                    if ctx.rank_power {
                        (w, c, card.id.clone())
                    } else {
                        (c, w, card.id.clone())
                    }
                });
            let Some((card, n, usable)) = pick else {
                ok = false;
                break;
            };
            cost += price(card) * i128::from(n);
            watts += card.power_w.typical.0 * n as f64;
            *cards.entry(card.id.clone()).or_default() += n;
            let e: &mut (u64, u64) = ports.entry(speed).or_default();
            e.0 += want;
            e.1 += n * usable - want;
        }
        if !ok {
            continue;
        }
        let used: u64 = cards.values().sum();
        let count = used.div_ceil(u64::from(chassis.slots.max(1)));
        cost += price(chassis) * i128::from(count);
        watts += chassis.power_w.typical.0 * count as f64;
        let key = if ctx.rank_power { (watts * 1000.0) as i128 } else { cost };
        if best.as_ref().is_none_or(|(k, _)| key < *k) {
            let pool = RouterPool {
                site: site.to_string(),
                plane,
                model: chassis.id.clone(),
                chassis: count,
                cards: cards
                    .into_iter()
                    .map(|(item, quantity)| PartCount {
                        item,
                        site: site.to_string(),
                        quantity,
                        why: format!("DCI router line cards, plane {plane}"),
                    })
                    .collect(),
                slots_used: used,
                slots_free: count * u64::from(chassis.slots) - used,
                ports: ports
                    .into_iter()
                    .map(|(speed_gbps, (used, free))| PortsAtSpeed { speed_gbps, used, free })
                    .collect(),
            };
            best = Some((key, pool));
        }
    }
    best.map(|(_, p)| p)
        .ok_or_else(|| format!("no router chassis in the catalog holds the ports at {site} (plane {plane})"))
}

/// The parts of a pool, for the network's tally.
pub(super) fn add_pool(t: &mut Tally, p: &RouterPool) {
    t.add(&p.model, &p.site, p.chassis, &format!("DCI router chassis, plane {}", p.plane));
    for c in &p.cards {
        t.add(&c.item, &c.site, c.quantity, &c.why);
    }
}
