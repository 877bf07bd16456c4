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

use super::score::groups_score;
use super::{Context, LinkGroup};
use crate::design::media::{End, LinkClass};
use crate::design::ports::{self, PortUse, Split};
use crate::design::wiring;
use crate::design::HandOffNeed;
use crate::model::{FabricRole, Switch};
use crate::units::Gbps;
use serde::Serialize;

/// What one tier of a design hands off to the interconnect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandOff {
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
}

/// Links, ports, and (links on a switch, switches with that many) of one kind of port.
type KindTally = (u64, u64, Vec<(u64, u64)>);

/// Links per switch to set aside for each need over `n` top switches.
pub(super) fn reservations(needs: &[HandOffNeed], n: u64) -> Vec<(Gbps, u64)> {
    needs.iter().map(|h| (h.speed_gbps, h.links.div_ceil(n.max(1)))).collect()
}

/// The top tier's ports: the hand-off set aside, then `down_links` fabric
/// links at `down_speed`; the split, and the ports each need took.
pub(super) fn top_split(
    ctx: &Context<'_>,
    sw: &Switch,
    n: u64,
    down_speed: Gbps,
    down_links: u64,
) -> Result<(Split, Vec<Vec<PortUse>>), String> {
    let reserve = reservations(&ctx.handoff, n);
    ports::split_reserving(sw, &reserve, down_speed, down_links, down_speed).ok_or_else(|| {
        if reserve.is_empty() {
            format!("a {} cannot take {} links of {}", sw.id, down_links, down_speed)
        } else {
            let asked: Vec<String> = reserve.iter().map(|(s, k)| format!("{k} of {s}")).collect();
            format!(
                "a {} cannot take {} links of {} with hand-off links set aside for the interconnect ({})",
                sw.id,
                down_links,
                down_speed,
                asked.join(", ")
            )
        }
    })
}

/// Most fabric links of `speed` one top switch takes with the hand-off
/// set aside (what growth is measured against).
pub(super) fn top_capacity(ctx: &Context<'_>, sw: &Switch, n: u64, speed: Gbps) -> u64 {
    if ctx.handoff.is_empty() {
        return ports::max_links(sw, speed);
    }
    // Per switch (the catalog's, by address: no string hashed per candidate), speed and count.
    let key = (std::ptr::from_ref(sw) as usize, speed, n);
    if let Some(&hit) = ctx.top_capacity.borrow().get(&key) {
        return hit;
    }
    let reserve = reservations(&ctx.handoff, n);
    let capacity = match ports::split_reserving(sw, &reserve, speed, 0, speed) {
        Some((split, _)) => split.free_links(sw, speed),
        None => 0,
    };
    ctx.top_capacity.borrow_mut().insert(key, capacity);
    capacity
}

/// The hand-off link groups of `n` top switches whose ports for each need
/// are `reserved` (as [`top_split`] set them aside), with their media.
pub(super) fn groups(
    ctx: &Context<'_>,
    sw: &Switch,
    n: u64,
    reserved: &[Vec<PortUse>],
) -> Result<Vec<LinkGroup>, String> {
    let mut out: Vec<LinkGroup> = Vec::new();
    for (need, uses) in ctx.handoff.iter().zip(reserved) {
        let kinds = wiring::kinds(sw, uses);
        let equipment = End { cage: need.cage, port_speed: need.speed_gbps, breakout: None };
        let (q, r) = (need.links / n.max(1), need.links % n.max(1));
        // Per kind of port: links, ports, and links per switch → switches.
        let mut per_kind: Vec<KindTally> = vec![(0, 0, Vec::new()); kinds.len()];
        for (on_switch, switches) in [(q + 1, r), (q, n.max(1) - r)] {
            let mut left = on_switch;
            for (k, kind) in kinds.iter().enumerate() {
                let taken = left.min(kind.links);
                left -= taken;
                if taken == 0 || switches == 0 {
                    continue;
                }
                let (links, ports, spread) = &mut per_kind[k];
                *links += taken * switches;
                *ports += taken.div_ceil(kind.lanes) * switches;
                spread.push((taken, switches));
            }
        }
        for (kind, (links, ports, spread)) in kinds.iter().zip(per_kind) {
            if links == 0 {
                continue;
            }
            let media = ctx.media(LinkClass::HandOff, kind.end, equipment, need.speed_gbps)?;
            out.push(LinkGroup {
                class: LinkClass::HandOff,
                links,
                speed_gbps: need.speed_gbps,
                a_breakout: kind.end.breakout.map(|b| b.to_string()),
                b_breakout: None,
                a_ports: ports,
                b_ports: links,
                a_end: kind.end,
                b_end: equipment,
                a_spread: spread,
                media,
            });
        }
    }
    Ok(out)
}

/// Net cost (cents), typical power (W) and modules of the hand-off groups
/// of `n` top switches `sw` whose fabric links run at `down_speed` (which
/// is all the ports [`top_split`] sets aside depend on: remembered).
pub(super) fn score(
    ctx: &Context<'_>,
    sw: &Switch,
    n: u64,
    down_speed: Gbps,
    reserved: &[Vec<PortUse>],
) -> Result<(i128, f64, u64), String> {
    if ctx.handoff.is_empty() {
        return Ok((0, 0.0, 0));
    }
    let key = (std::ptr::from_ref(sw) as usize, n, down_speed);
    if let Some(hit) = ctx.handoff_scores.borrow().get(&key) {
        return hit.clone();
    }
    let scored = groups(ctx, sw, n, reserved).map(|g| groups_score(&g));
    ctx.handoff_scores.borrow_mut().insert(key, scored.clone());
    scored
}

/// The hand-off of a realised design, one line per need.
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
            let kinds = wiring::kinds(sw, uses).len();
            let mine = groups.iter().skip(at).take(kinds);
            at += kinds;
            HandOff {
                role,
                switch: sw.id.clone(),
                switches: n.min(need.links),
                links: need.links,
                speed_gbps: need.speed_gbps,
                links_per_switch: need.links.div_ceil(n.max(1)),
                ports_per_switch: uses.iter().map(|u| u.ports).sum(),
                ports: mine.map(|g| g.a_ports).sum(),
                equipment: need.equipment.clone(),
                equipment_cage: need.cage,
            }
        })
        .collect()
}
