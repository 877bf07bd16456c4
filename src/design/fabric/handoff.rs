//! The interconnect hand-off, designed into the fabric's top tier.
//!
//! The interconnect says what its equipment needs at a site
//! ([`HandOffNeed`]: links of a speed into a cage). The top tier (the
//! spines of a two-tier fabric, the superspines of a three-tier one) takes
//! them, spread as evenly as links go: with `L` links over `n` switches,
//! `L mod n` switches carry `⌈L/n⌉` and the others `⌊L/n⌋`. Every top
//! switch sets aside ports for `⌈L/n⌉` links of each need before its
//! fabric links are placed (the ports that cost the fewest fabric links,
//! [`ports::split_reserving`]), so the fabric's room to grow is what is
//! left after the hand-off, never the other way round. The links are a
//! link group of class `hand-off` like any other: the switch's optic, the
//! equipment's optic of the same standard, and the fibre between, across
//! the hall.
//!
//! The other way to hand off is on border leaves ([`super::border`]): then
//! the top tier sets aside ports for the border leaves' uplinks instead.
//! Which one a candidate uses is its [`Via`], an axis of the search.

use super::border;
use super::score::{groups_score, switch_cents};
use super::{Context, LinkGroup};
use crate::design::media::{End, LinkClass};
use crate::design::ports::{self, PortUse, Split};
use crate::design::wiring;
use crate::design::HandOffNeed;
use crate::model::{Catalog, CoherentOptic, FabricRole, Switch};
use crate::units::{Gbps, Meters};
use serde::Serialize;

/// What one tier of a design hands off to the interconnect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandOff {
    /// Who carries the links: the top tier (`spine`, `superspine`) or `border-leaf`.
    pub role: FabricRole,
    /// The switch model (catalog id) that carries the links.
    pub switch: String,
    /// Switches of the tier that carry hand-off links.
    pub switches: u64,
    /// Links in the whole site, at `speed_gbps`.
    pub links: u64,
    pub speed_gbps: Gbps,
    /// Most links on one switch, and the ports set aside for them on each.
    pub links_per_switch: u64,
    pub ports_per_switch: u64,
    /// Ports the links take over the whole tier (a broken-out port once).
    pub ports: u64,
    /// What the links join at the other end, and its ports' cage.
    pub equipment: String,
    pub equipment_cage: crate::model::FormFactor,
    /// The coherent pluggable the ports hold themselves (`fabric-zr`): no
    /// link group, optic or cable of the fabric's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pluggable: Option<String>,
}

/// Where a candidate takes the interconnect's hand-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(super) enum Via {
    /// On the top tier's own ports.
    #[default]
    Top,
    /// On border leaves of model `ctx.border_models[i]`.
    Border(usize),
}

impl Via {
    /// Every way the context allows, the top tier first.
    pub fn all(ctx: &Context<'_>) -> impl Iterator<Item = Via> {
        let border = if ctx.handoff.is_empty() { 0 } else { ctx.border_models.len() };
        std::iter::once(Via::Top).chain((0..border).map(Via::Border))
    }

    /// A number for cache keys: 0 for the top tier.
    pub fn key(self) -> u64 {
        match self {
            Via::Top => 0,
            Via::Border(i) => i as u64 + 1,
        }
    }
}

/// A hand-off's net cost (cents), typical power (W), modules and switches.
pub(super) type Figures = (i128, f64, u64, u64);

/// Links, ports, and (links on a switch, switches with that many) of one kind of port.
type KindTally = (u64, u64, Vec<(u64, u64)>);

/// Per need, the coherent pluggable its ports hold (a `fabric-zr` need:
/// the port is the interconnect's end, with no optic or cable of the
/// fabric's), resolved in the catalog.
pub(super) fn holds<'a>(catalog: &'a Catalog, needs: &[HandOffNeed]) -> Vec<Option<&'a CoherentOptic>> {
    needs
        .iter()
        .map(|h| h.pluggable.as_ref().and_then(|id| catalog.coherent_optics.iter().find(|o| &o.id == id)))
        .collect()
}

/// What `via` holds the top tier's reservations to: the needs' pluggables
/// on the top tier's own ports, nothing for the border leaves' uplinks.
fn top_holds<'c, 'a>(ctx: &'c Context<'a>, via: Via) -> &'c [Option<&'a CoherentOptic>] {
    match via {
        Via::Top => &ctx.holds,
        Via::Border(_) => &[],
    }
}

/// Links per switch to set aside for each need over `n` top switches.
pub(super) fn reservations(needs: &[HandOffNeed], n: u64) -> Vec<(Gbps, u64)> {
    needs.iter().map(|h| (h.speed_gbps, h.links.div_ceil(n.max(1)))).collect()
}

/// What each of `n` top switches whose fabric links run at `speed` sets
/// aside for `via`: the hand-off's own links, or the border leaves' uplinks.
pub(super) fn top_reserve(
    ctx: &Context<'_>,
    via: Via,
    n: u64,
    speed: Gbps,
) -> Result<Vec<(Gbps, u64)>, String> {
    match via {
        Via::Top => Ok(reservations(&ctx.handoff, n)),
        Via::Border(i) => Ok(vec![border::plan(ctx, i, n, speed)?.reserve()]),
    }
}

/// The top tier's ports: what `via` sets aside, then `down_links` fabric
/// links at `down_speed`; the split, and the ports each reservation took.
pub(super) fn top_split(
    ctx: &Context<'_>,
    sw: &Switch,
    n: u64,
    down_speed: Gbps,
    down_links: u64,
    via: Via,
) -> Result<(Split, Vec<Vec<PortUse>>), String> {
    let reserve = top_reserve(ctx, via, n, down_speed)?;
    let holds = top_holds(ctx, via);
    ports::split_reserving_on(sw, &reserve, holds, down_speed, down_links, down_speed).ok_or_else(|| {
        if reserve.is_empty() {
            format!("a {} cannot take {} links of {}", sw.id, down_links, down_speed)
        } else {
            let asked: Vec<String> = reserve.iter().map(|(s, k)| format!("{k} of {s}")).collect();
            format!(
                "a {} cannot take {} links of {} with {} set aside ({})",
                sw.id,
                down_links,
                down_speed,
                match via {
                    Via::Top => "hand-off links for the interconnect",
                    Via::Border(_) => "ports for the border leaves' uplinks",
                },
                asked.join(", ")
            )
        }
    })
}

/// Most fabric links of `speed` one of `n` top switches takes with `via`'s
/// ports set aside (what growth is measured against).
pub(super) fn top_capacity(ctx: &Context<'_>, sw: &Switch, n: u64, speed: Gbps, via: Via) -> u64 {
    if ctx.handoff.is_empty() {
        return ports::max_links(sw, speed);
    }
    // Per switch (the catalog's, by address: no string hashed per candidate), speed, count and way.
    let key = (std::ptr::from_ref(sw) as usize, speed, n, via.key());
    if let Some(&hit) = ctx.top_capacity.borrow().get(&key) {
        return hit;
    }
    let capacity = top_reserve(ctx, via, n, speed)
        .ok()
        .and_then(|reserve| ports::split_reserving_on(sw, &reserve, top_holds(ctx, via), speed, 0, speed))
        .map_or(0, |(split, _)| split.free_links(sw, speed));
    ctx.top_capacity.borrow_mut().insert(key, capacity);
    capacity
}

/// The hand-off link groups of `n` switches `sw` whose ports for each need
/// are `reserved`, spread as evenly as links go, over runs of `distance`.
pub(super) fn need_groups(
    ctx: &Context<'_>,
    sw: &Switch,
    n: u64,
    reserved: &[Vec<PortUse>],
    distance: Meters,
) -> Result<Vec<LinkGroup>, String> {
    let mut out: Vec<LinkGroup> = Vec::new();
    for (need, uses) in ctx.handoff.iter().zip(reserved) {
        if need.pluggable.is_some() {
            // The pluggable in the port is the interconnect's: no link group.
            continue;
        }
        let kinds = wiring::kinds(sw, uses);
        let equipment = End { cage: need.cage, port_speed: need.speed_gbps, breakout: None };
        let (q, r) = (need.links / n.max(1), need.links % n.max(1));
        // Per kind of port end (two port groups alike are one kind: their
        // links share trunks, as placement and the cable list run them):
        // links, ports, and links per switch → switches.
        let mut ends: Vec<End> = Vec::new();
        for kind in &kinds {
            if !ends.contains(&kind.end) {
                ends.push(kind.end);
            }
        }
        let mut per_kind: Vec<KindTally> = vec![(0, 0, Vec::new()); ends.len()];
        for (on_switch, switches) in [(q + 1, r), (q, n.max(1) - r)] {
            if switches == 0 {
                continue;
            }
            let mut left = on_switch;
            let mut on_this: Vec<u64> = vec![0; ends.len()];
            for kind in &kinds {
                let taken = left.min(kind.links);
                left -= taken;
                if taken == 0 {
                    continue;
                }
                let k = ends.iter().position(|e| *e == kind.end).unwrap_or(0);
                let (links, ports, _) = &mut per_kind[k];
                *links += taken * switches;
                *ports += taken.div_ceil(kind.lanes) * switches;
                on_this[k] += taken;
            }
            for (k, taken) in on_this.into_iter().enumerate().filter(|(_, t)| *t > 0) {
                per_kind[k].2.push((taken, switches));
            }
        }
        for (end, (links, ports, spread)) in ends.iter().zip(per_kind) {
            if links == 0 {
                continue;
            }
            let media = ctx.media_over(LinkClass::HandOff, *end, equipment, need.speed_gbps, distance)?;
            out.push(LinkGroup {
                class: LinkClass::HandOff,
                links,
                speed_gbps: need.speed_gbps,
                a_breakout: end.breakout.map(|b| b.to_string()),
                b_breakout: None,
                a_ports: ports,
                b_ports: links,
                a_end: *end,
                b_end: equipment,
                a_spread: spread,
                media,
            });
        }
    }
    Ok(out)
}

/// The link groups of `via` at `n` top switches `sw` whose fabric links run
/// at `down_speed`, the top's ports for it being `reserved` (as
/// [`top_split`] set them aside).
pub(super) fn groups(
    ctx: &Context<'_>,
    sw: &Switch,
    n: u64,
    down_speed: Gbps,
    via: Via,
    reserved: &[Vec<PortUse>],
) -> Result<Vec<LinkGroup>, String> {
    match via {
        Via::Top => need_groups(ctx, sw, n, reserved, LinkClass::HandOff.distance(&ctx.site.layout)),
        Via::Border(i) => {
            let plan = border::plan(ctx, i, n, down_speed)?;
            border::groups(ctx, &plan, sw, reserved.first().map_or(&[], Vec::as_slice))
        }
    }
}

/// Net cost (cents), typical power (W), modules and switches of `via` at
/// `n` top switches `sw` whose fabric links run at `down_speed`: all the
/// ports it sets aside depend on, so it is remembered.
pub(super) fn score(
    ctx: &Context<'_>,
    sw: &Switch,
    n: u64,
    down_speed: Gbps,
    via: Via,
) -> Result<Figures, String> {
    if ctx.handoff.is_empty() {
        return Ok((0, 0.0, 0, 0));
    }
    let key = (std::ptr::from_ref(sw) as usize, n, down_speed, via.key());
    if let Some(hit) = ctx.handoff_scores.borrow().get(&key) {
        return hit.clone();
    }
    let scored = top_split(ctx, sw, n, down_speed, 0, via).and_then(|(_, reserved)| {
        let (c, w, o) = groups_score(&groups(ctx, sw, n, down_speed, via, &reserved)?);
        Ok(match via {
            Via::Top => (c, w, o, 0),
            Via::Border(i) => {
                let plan = border::plan(ctx, i, n, down_speed)?;
                let b = plan.count;
                (
                    c + i128::from(b) * switch_cents(ctx, plan.sw),
                    w + b as f64 * plan.sw.power_w.typical.0,
                    o,
                    b,
                )
            }
        })
    });
    ctx.handoff_scores.borrow_mut().insert(key, scored.clone());
    scored
}

/// [`score`] without its reason: the search asks this per candidate, and
/// fetches the reason (a formatted text) only when it keeps one.
pub(super) fn figures(ctx: &Context<'_>, sw: &Switch, n: u64, down_speed: Gbps, via: Via) -> Option<Figures> {
    if ctx.handoff.is_empty() {
        return Some((0, 0.0, 0, 0));
    }
    let key = (std::ptr::from_ref(sw) as usize, n, down_speed, via.key());
    if let Some(hit) = ctx.handoff_scores.borrow().get(&key) {
        return hit.as_ref().ok().copied();
    }
    score(ctx, sw, n, down_speed, via).ok()
}

/// The hand-off of a realised design, one line per need, on `n` switches
/// `sw` of `role` whose ports for each need are `reserved`.
pub(super) fn describe(
    ctx: &Context<'_>,
    sw: &Switch,
    role: FabricRole,
    n: u64,
    reserved: &[Vec<PortUse>],
    groups: &[LinkGroup],
) -> Vec<HandOff> {
    let mut at = 0;
    ctx.handoff
        .iter()
        .zip(reserved)
        .map(|(need, uses)| {
            // A pluggable's ports have no link group: one port a link.
            let kinds = if need.pluggable.is_some() { 0 } else { wiring::kinds(sw, uses).len() };
            let mine = groups.iter().skip(at).take(kinds);
            at += kinds;
            let ports = if need.pluggable.is_some() { need.links } else { mine.map(|g| g.a_ports).sum() };
            HandOff {
                role,
                switch: sw.id.clone(),
                switches: n.min(need.links),
                links: need.links,
                speed_gbps: need.speed_gbps,
                links_per_switch: need.links.div_ceil(n.max(1)),
                ports_per_switch: uses.iter().map(|u| u.ports).sum(),
                ports,
                equipment: need.equipment.clone(),
                equipment_cage: need.cage,
                pluggable: need.pluggable.clone(),
            }
        })
        .collect()
}
