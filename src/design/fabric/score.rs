//! One candidate fabric costed exactly: its link groups by the wiring, the
//! media of each, switches, power, and the objective's value. The search
//! and [`evaluate`] (the brute-force tests' entry) share this code, so a
//! design is scored the same way however it was found.

use super::handoff::{self, Via};
use super::leaf::{check_rack_budget, LeafFit};
use super::{ceil_ratio, Context, LinkGroup};
use crate::design::media::{End, LinkClass};
use crate::design::ports::{self, Split};
use crate::design::wiring::{self, Block, Kind, Tally};
use crate::model::*;
use crate::price::{self, cents};
use crate::units::Gbps;
use serde::Serialize;

/// Every choice that makes a fabric, by catalog id and count.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Choice {
    pub leaf: String,
    pub leaves_per_rack: u64,
    pub leaf_up_speed_gbps: Gbps,
    pub uplinks_per_leaf: u64,
    pub spine: String,
    pub spines_per_pod: u64,
    /// Three tiers: the superspine model and the spine-superspine figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superspine: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spine_up_speed_gbps: Option<Gbps>,
    pub spine_uplinks: u64,
    pub pods: u64,
    pub superspines_per_plane: u64,
    /// The hand-off on border leaves of this model (their count follows
    /// from the rules of `fabric::border`), or on the top tier's ports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub border_leaf: Option<String>,
}

/// A candidate's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Score {
    /// The objective's value: cents for `cost` and `tco`, mW for `power`.
    pub objective: i128,
    /// Net price of switches, optics and cables at the category discounts, in cents.
    pub cost_cents: i128,
    pub power_typical_mw: i128,
    pub switches: u64,
    /// Pluggable modules (optics), cables aside.
    pub optics: u64,
    /// Links from a leaf to one spine, of its uplinks: the share of a
    /// leaf's uplinks one spine failure takes.
    pub links_per_spine: u64,
    pub uplinks_per_leaf: u64,
}

impl Score {
    /// Order among designs within the tie tolerance: a smaller share of a
    /// leaf's uplinks on one spine (what one spine failure takes), then
    /// fewer devices, then less power, then fewer optics, then the
    /// objective, then the net cost (under `power` two designs of the same
    /// watts and devices may differ by millions; under `cost` it is the
    /// objective again). Designs equal on all of these keep the order found.
    pub fn tie_order(&self, other: &Score) -> std::cmp::Ordering {
        (self.links_per_spine * other.uplinks_per_leaf)
            .cmp(&(other.links_per_spine * self.uplinks_per_leaf))
            .then(self.switches.cmp(&other.switches))
            .then(self.power_typical_mw.cmp(&other.power_typical_mw))
            .then(self.optics.cmp(&other.optics))
            .then(self.objective.cmp(&other.objective))
            .then(self.cost_cents.cmp(&other.cost_cents))
    }
}

/// The counts of a candidate beyond its leaf fit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Shape {
    pub uplinks: u64,
    pub spines_per_pod: u64,
    pub pods: u64,
    pub leaves_per_pod: u64,
    pub spine_speed_up: Gbps,
    pub spine_uplinks: u64,
    pub superspines_per_plane: u64,
    /// Where the interconnect's hand-off is taken.
    pub via: Via,
}

/// A costed candidate, with what rebuilds it.
#[derive(Debug, Clone)]
pub(super) struct Scored {
    pub score: Score,
    pub power_w: f64,
    pub shape: Shape,
    pub max_servers: u64,
}

/// The link groups of one class: every link of the blocks, tallied by the
/// pair of port kinds it joins (see [`wiring`]), with the media of each pair.
pub(super) fn link_groups(
    ctx: &Context<'_>,
    class: LinkClass,
    speed: Gbps,
    a: &[Kind],
    b: &[Kind],
    blocks: &[Block],
) -> Result<Vec<LinkGroup>, String> {
    let tallies = wiring::tally(a, b, blocks)?;
    let mut merged: Vec<(End, End, Tally)> = Vec::new();
    for ((ka, kb), t) in tallies {
        let (ea, eb) = (a[ka].end, b[kb].end);
        match merged.iter_mut().find(|(x, y, _)| *x == ea && *y == eb) {
            Some((_, _, into)) => {
                into.links += t.links;
                into.a_ports += t.a_ports;
                into.b_ports += t.b_ports;
                for (n, k) in t.a_spread {
                    *into.a_spread.entry(n).or_default() += k;
                }
            }
            None => merged.push((ea, eb, t)),
        }
    }
    merged
        .into_iter()
        .filter(|(_, _, t)| t.links > 0)
        .map(|(ea, eb, t)| {
            Ok(LinkGroup {
                class,
                links: t.links,
                speed_gbps: speed,
                a_breakout: ea.breakout.map(|x| x.to_string()),
                b_breakout: eb.breakout.map(|x| x.to_string()),
                a_ports: t.a_ports,
                b_ports: t.b_ports,
                a_end: ea,
                b_end: eb,
                a_spread: t.a_spread.into_iter().collect(),
                media: ctx.media(class, ea, eb, speed)?,
            })
        })
        .collect()
}

/// Pods of leaves under their spines: every pod holds `per_pod` leaves but
/// the last, which holds what is left.
pub fn pod_blocks(leaves: u64, per_pod: u64, spines_per_pod: u64, m: u64) -> Vec<Block> {
    let per_pod = per_pod.max(1);
    let full = leaves / per_pod;
    let rest = leaves % per_pod;
    let mut v = vec![Block { a: spines_per_pod, b: per_pod, m, copies: full }];
    if rest > 0 {
        v.push(Block { a: spines_per_pod, b: rest, m, copies: 1 });
    }
    v
}

/// Leaves per pod when `leaves` leaves form `pods` even pods of whole racks.
pub(super) fn per_pod(leaves: u64, pods: u64, leaves_per_rack: u64) -> u64 {
    leaves.div_ceil(pods.max(1)).div_ceil(leaves_per_rack) * leaves_per_rack
}

/// Net cost (cents), typical power (W) and modules of link groups.
pub(super) fn groups_score(groups: &[LinkGroup]) -> (i128, f64, u64) {
    groups.iter().fold((0, 0.0, 0), |(c, p, n), g| {
        let (gc, gp) = g.media.score(g.counts());
        (c + gc, p + gp, n + g.media.modules(g.counts()))
    })
}

pub(super) fn switch_cents(ctx: &Context<'_>, s: &Switch) -> i128 {
    cents(price::unit_net(ctx.catalog, s))
}

/// Leaf-to-spine links: `uplinks` per leaf, over the pods of `blocks`, on
/// spines whose down ports are `spine_split`.
pub(super) fn leaf_spine_groups(
    ctx: &Context<'_>,
    fit: &LeafFit<'_>,
    spine: &Switch,
    spine_split: &Split,
    blocks: &[Block],
    uplinks: u64,
) -> Result<Vec<LinkGroup>, String> {
    let up_uses = fit
        .split
        .place_up(fit.leaf, fit.up_speed, uplinks)
        .ok_or_else(|| format!("{} cannot place {} uplinks", fit.leaf.id, uplinks))?;
    let a = wiring::kinds(spine, &spine_split.down);
    let b = wiring::kinds(fit.leaf, &up_uses);
    link_groups(ctx, LinkClass::LeafSpine, fit.up_speed, &a, &b, blocks)
}

/// The spine's ports for a shape: its down links, and room for its uplinks.
pub(super) fn spine_split(fit: &LeafFit<'_>, spine: &Switch, shape: &Shape, three: bool) -> Option<Split> {
    let m = shape.uplinks / shape.spines_per_pod.max(1);
    let up = if three { shape.spine_speed_up } else { fit.up_speed };
    ports::split(spine, fit.up_speed, shape.leaves_per_pod * m, up)
}

/// The leaves, spines and the links below the spines of a candidate: what
/// every choice above the pods (spine uplinks, superspines) shares.
#[derive(Debug, Clone)]
pub(super) struct Lower {
    pub split: Split,
    /// Two tiers: fabric links of the leaves' speed one spine takes with
    /// the hand-off set aside.
    pub top_capacity: u64,
    pub cost_cents: i128,
    pub power_w: f64,
    pub optics: u64,
    pub switches: u64,
}

/// The rule `survive_spine_loss`: the busiest leaf, with `d` server links
/// of speed `s`, still meets its target `t` on the `u − m` uplinks of speed
/// `U` left when one spine (the `m` links to it) fails: `d·s ≤ t·(u − m)·U`.
pub(super) fn check_spine_loss(
    ctx: &Context<'_>,
    fit: &LeafFit<'_>,
    uplinks: u64,
    m: u64,
) -> Result<(), String> {
    let t = ctx.policy.leaf_oversubscription;
    let down = (fit.down * ctx.site.nic_speed_gbps.0) as f64;
    let left = uplinks.saturating_sub(m) * fit.up_speed.0;
    if down <= t * left as f64 + 1e-9 {
        return Ok(());
    }
    let os = if left == 0 { f64::INFINITY } else { down / left as f64 };
    Err(format!(
        "surviving a spine loss: {} server links of {} on {} uplinks of {}, {} to each spine, leave {}:1 after one fails, above {}:1",
        fit.down,
        ctx.site.nic_speed_gbps,
        uplinks,
        fit.up_speed,
        m,
        super::trim((os * 100.0).round() / 100.0),
        super::trim(t)
    ))
}

/// Two tiers: the fabric links one of `n` spines takes beside what `via`
/// sets aside, if that is room for every leaf of the growth target with `m`
/// links each.
pub(super) fn two_tier_room(
    ctx: &Context<'_>,
    fit: &LeafFit<'_>,
    spine: &Switch,
    n: u64,
    m: u64,
    via: Via,
) -> Result<u64, String> {
    let capacity = handoff::top_capacity(ctx, spine, n, fit.up_speed, via);
    if fit.leaves_target * m > capacity {
        return Err(too_few_spine_ports(ctx, fit, spine, m, capacity, via));
    }
    Ok(capacity)
}

/// Two tiers: whether one of `n` spines has room for every leaf of the
/// growth target with `m` links each beside what `via` sets aside (what
/// [`two_tier_room`] checks, without the reason).
pub(super) fn two_tier_fits(
    ctx: &Context<'_>,
    fit: &LeafFit<'_>,
    spine: &Switch,
    n: u64,
    m: u64,
    via: Via,
) -> bool {
    fit.leaves_target * m <= handoff::top_capacity(ctx, spine, n, fit.up_speed, via)
}

fn too_few_spine_ports(
    ctx: &Context<'_>,
    fit: &LeafFit<'_>,
    spine: &Switch,
    m: u64,
    capacity: u64,
    via: Via,
) -> String {
    {
        format!(
            "two tiers: {} leaves (with growth) × {} links each need more than the {} links one {} spine has{}",
            fit.leaves_target,
            m,
            capacity,
            spine.id,
            match (ctx.handoff.is_empty(), via) {
                (true, _) => "",
                (false, Via::Top) => " beside its hand-off to the interconnect",
                (false, Via::Border(_)) => " beside its ports for the border leaves",
            }
        )
    }
}

/// Costs the leaves, server links, spines and leaf-spine links of a shape
/// (its uplinks, spines per pod, pods and pod size), with the rack budget.
pub(super) fn lower_part(
    ctx: &Context<'_>,
    fit: &LeafFit<'_>,
    spine: &Switch,
    shape: &Shape,
    three: bool,
) -> Result<Lower, String> {
    let n = shape.spines_per_pod;
    if n < 2 || shape.uplinks % n != 0 || shape.uplinks < fit.up_min || shape.uplinks > fit.up_max {
        return Err(format!("{} uplinks do not spread evenly over {} spines", shape.uplinks, n));
    }
    let m = shape.uplinks / n;
    if ctx.policy.survive_spine_loss {
        check_spine_loss(ctx, fit, shape.uplinks, m)?;
    }
    let (split, top_capacity, hand) = if three {
        let split = spine_split(fit, spine, shape, three).ok_or_else(|| {
            format!("a {} spine cannot take {} links of {}", spine.id, shape.leaves_per_pod * m, fit.up_speed)
        })?;
        (split, 0, (0, 0.0, 0, 0))
    } else {
        let capacity = two_tier_room(ctx, fit, spine, n, m, shape.via)?;
        let (split, _) = handoff::top_split(ctx, spine, n, fit.up_speed, fit.leaves * m, shape.via)?;
        let hand = handoff::score(ctx, spine, n, fit.up_speed, shape.via)?;
        (split, capacity, hand)
    };
    let blocks = if three {
        pod_blocks(fit.leaves, shape.leaves_per_pod, n, m)
    } else {
        vec![Block { a: n, b: fit.leaves, m, copies: 1 }]
    };
    let ls = leaf_spine_groups(ctx, fit, spine, &split, &blocks, shape.uplinks)?;
    check_rack_budget(ctx, fit, &ls)?;
    let (c, w, o) = groups_score(&ls);
    let spines = shape.pods * n;
    Ok(Lower {
        split,
        top_capacity,
        cost_cents: fit.own_cents + i128::from(spines) * switch_cents(ctx, spine) + c + hand.0,
        power_w: fit.own_w + spines as f64 * spine.power_w.typical.0 + w + hand.1,
        optics: fit.own_optics + o + hand.2,
        switches: fit.leaves + spines + hand.3,
    })
}

/// Scores one candidate exactly, or says which rule it breaks.
pub(super) fn score_shape(
    ctx: &Context<'_>,
    fit: &LeafFit<'_>,
    spine: &Switch,
    superspine: Option<&Switch>,
    shape: Shape,
) -> Result<Scored, String> {
    let lower = lower_part(ctx, fit, spine, &shape, superspine.is_some())?;
    score_above(ctx, fit, spine, superspine, shape, &lower)
}

/// Scores a candidate whose lower part is already costed.
pub(super) fn score_above(
    ctx: &Context<'_>,
    fit: &LeafFit<'_>,
    spine: &Switch,
    superspine: Option<&Switch>,
    shape: Shape,
    lower: &Lower,
) -> Result<Scored, String> {
    let m = shape.uplinks / shape.spines_per_pod.max(1);
    let (mut cost, mut power, mut optics, mut switches) =
        (lower.cost_cents, lower.power_w, lower.optics, lower.switches);
    let max_servers = match superspine {
        None => lower.top_capacity / m / fit.leaves_per_rack * ctx.site.rack_size(),
        Some(ss) => {
            let (c, w, o, n_ss, max) = score_top(ctx, fit, spine, ss, &shape, &lower.split)?;
            (cost, power, optics, switches) = (cost + c, power + w, optics + o, switches + n_ss);
            max
        }
    };
    let power_mw = (power * 1000.0).round() as i128;
    Ok(Scored {
        score: Score {
            objective: ctx.weights.value(cost, power_mw),
            cost_cents: cost,
            power_typical_mw: power_mw,
            switches,
            optics,
            links_per_spine: m,
            uplinks_per_leaf: shape.uplinks,
        },
        power_w: power,
        shape,
        max_servers: max_servers.max(fit.target_servers),
    })
}

/// The superspine tier of a three-tier shape: its cost, power, modules,
/// switches and the most servers it takes.
fn score_top(
    ctx: &Context<'_>,
    fit: &LeafFit<'_>,
    spine: &Switch,
    ss: &Switch,
    shape: &Shape,
    split: &Split,
) -> Result<(i128, f64, u64, u64, u64), String> {
    let (up2, u2, n2) = (shape.spine_speed_up, shape.spine_uplinks, shape.superspines_per_plane);
    let m = shape.uplinks / shape.spines_per_pod;
    let t2 = ctx.policy.spine_oversubscription;
    let down = shape.leaves_per_pod * m;
    let need2 = ceil_ratio((down * fit.up_speed.0) as f64, t2 * up2.0 as f64).max(1);
    if u2 < need2 || n2 == 0 || u2 % n2 != 0 {
        return Err(format!(
            "{u2} spine uplinks of {up2} miss the {t2}:1 target or do not spread over {n2} superspines"
        ));
    }
    let m2 = u2 / n2;
    let pods_used = fit.leaves.div_ceil(shape.leaves_per_pod.max(1));
    if pods_used != shape.pods {
        return Err(format!("{} pods of {} leaves leave one empty", shape.pods, shape.leaves_per_pod));
    }
    let n_ss = shape.spines_per_pod * n2;
    let capacity = handoff::top_capacity(ctx, ss, n_ss, up2, shape.via);
    let pods_target = fit.leaves_target.div_ceil(shape.leaves_per_pod.max(1));
    if pods_target * m2 > capacity {
        return Err(format!(
            "{} pods (with growth) of {} leaves need more than the {} links of {} at {}{}",
            pods_target,
            shape.leaves_per_pod,
            capacity,
            ss.id,
            up2,
            if ctx.handoff.is_empty() { "" } else { " beside its hand-off to the interconnect" }
        ));
    }
    let (ss_split, _) = handoff::top_split(ctx, ss, n_ss, up2, shape.pods * m2, shape.via)?;
    let hand = handoff::score(ctx, ss, n_ss, up2, shape.via)?;
    let spine_up = split
        .place_up(spine, up2, u2)
        .ok_or_else(|| format!("a {} spine has no room for {} uplinks of {}", spine.id, u2, up2))?;
    let a = wiring::kinds(ss, &ss_split.down);
    let b = wiring::kinds(spine, &spine_up);
    let planes = [Block { a: n2, b: shape.pods, m: m2, copies: shape.spines_per_pod }];
    let groups = link_groups(ctx, LinkClass::SpineSuperspine, up2, &a, &b, &planes)?;
    let (c, w, o) = groups_score(&groups);
    let cost = c + hand.0 + i128::from(n_ss) * switch_cents(ctx, ss);
    let power = w + hand.1 + n_ss as f64 * ss.power_w.typical.0;
    let o = o + hand.2;
    let max_servers = capacity / m2 * (shape.leaves_per_pod / fit.leaves_per_rack) * ctx.site.rack_size();
    Ok((cost, power, o, n_ss + hand.3, max_servers))
}

#[cfg(test)]
mod tests {
    use super::super::evaluate;
    use super::*;
    use crate::load::{self, Source};

    fn scenario(catalog: &Catalog, survive: bool) -> Scenario {
        let text = format!(
            "kind: scenario\nformat_version: 1\nname: t\nfabric: {{leaf_oversubscription: 3, homing: single, survive_spine_loss: {survive}}}\nsites:\n  - {{name: lab, servers: 40, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 40, rack_power_budget_kw: 15, pue: 1.5}}\n"
        );
        load::load_scenario(&Source::new("t.yaml", text), catalog).expect("scenario").value
    }

    fn choice(uplinks: u64, spines: u64) -> Choice {
        Choice {
            leaf: "leaf-48x25".into(),
            leaves_per_rack: 1,
            leaf_up_speed_gbps: Gbps(100),
            uplinks_per_leaf: uplinks,
            spine: "spine-32x100".into(),
            spines_per_pod: spines,
            superspine: None,
            spine_up_speed_gbps: None,
            spine_uplinks: 0,
            pods: 1,
            superspines_per_plane: 0,
            border_leaf: None,
        }
    }

    /// 40 server links of 25G (1000 Gb/s) at 3:1: 4 uplinks of 100G over 2
    /// spines meet the target intact (2.5:1) but leave 5:1 after a spine
    /// loss, over 4 spines 3.33:1; 6 over 3 spines keep 2.5:1.
    #[test]
    fn survive_spine_loss_refuses_shapes_that_break_it() {
        let text = include_str!("../../../tests/data/mini-catalog.yaml");
        let catalog = load::load_catalog(&Source::new("mini.yaml", text)).expect("catalog").value;
        let (plain, strict) = (scenario(&catalog, false), scenario(&catalog, true));
        let site = &plain.sites[0];
        for (u, n) in [(4, 2), (4, 4)] {
            assert!(evaluate(&catalog, &plain, site, &choice(u, n)).is_ok(), "{u}/{n} without the rule");
            let err = evaluate(&catalog, &strict, &strict.sites[0], &choice(u, n)).unwrap_err();
            assert!(err.contains("surviving a spine loss"), "{err}");
        }
        assert!(evaluate(&catalog, &strict, &strict.sites[0], &choice(6, 3)).is_ok());
        assert!(evaluate(&catalog, &strict, &strict.sites[0], &choice(5, 5)).is_ok());
    }
}
