//! The chosen candidate as a full design: tiers with their port uses, link
//! groups with media, oversubscription, growth, cost, and why it won.

use super::handoff::{self, Via};
use super::score::{leaf_spine_groups, link_groups, pod_blocks};
use super::search::Ways;
use super::search::{Candidate, Chosen};
use super::*;
use crate::design::media::LinkClass;
use crate::design::ports;
use crate::design::wiring::{self, Block};
use crate::price;

/// Turns the winning shape into a full design with tiers, links and totals.
pub(super) fn realise(
    ctx: &Context<'_>,
    chosen: Chosen<'_>,
    ways: &Ways<'_>,
    alternatives: Vec<Alternative>,
) -> Result<FabricDesign, String> {
    let Candidate { scored, fit, spine, superspine } = chosen.winner.clone();
    let shape = scored.shape;
    let site = ctx.site;
    let leaf = fit.leaf;
    let s = site.nic_speed_gbps;
    let u_speed = fit.up_speed;
    let (n_leaves, target_servers) = (fit.leaves, fit.target_servers);
    let racks = site.servers.div_ceil(site.rack_size());
    let server_ports = site.servers * u64::from(site.nics_per_server);
    let tiers: u8 = if superspine.is_some() { 3 } else { 2 };
    let n_spines = shape.pods * shape.spines_per_pod;
    let m = shape.uplinks / shape.spines_per_pod;
    let spine_down = shape.leaves_per_pod * m;
    let up2 = shape.spine_speed_up;
    let (spine_split, spine_reserved) = if tiers == 3 {
        (ports::split(spine, u_speed, spine_down, up2).ok_or("the spine's ports no longer fit")?, Vec::new())
    } else {
        handoff::top_split(ctx, spine, n_spines, u_speed, spine_down, shape.via)?
    };
    let leaf_up =
        fit.split.place_up(leaf, u_speed, shape.uplinks).ok_or("the leaf's uplinks no longer fit")?;
    let data_ports =
        |sw: &Switch| -> u64 { sw.ports.iter().filter(|g| !g.management).map(|g| u64::from(g.count)).sum() };
    let used = |uses: &[&[PortUse]]| -> u64 { uses.iter().flat_map(|u| u.iter()).map(|u| u.ports).sum() };

    let leaf_tier = Tier {
        role: FabricRole::Leaf,
        switch_id: leaf.id.clone(),
        model: leaf.model.clone(),
        count: n_leaves,
        down_links: fit.down,
        down_speed_gbps: s,
        up_links: shape.uplinks,
        up_speed_gbps: u_speed,
        links_per_peer_up: m,
        ports_total: data_ports(leaf),
        ports_used: used(&[&fit.split.down, &leaf_up]),
        power_w: leaf.power_w,
        rack_units: leaf.rack_units,
        down_uses: fit.split.down.clone(),
        up_uses: leaf_up,
        handoff_uses: Vec::new(),
    };

    let mut links: Vec<LinkGroup> = fit.server_groups.clone();
    let blocks = if tiers == 3 {
        pod_blocks(n_leaves, shape.leaves_per_pod, shape.spines_per_pod, m)
    } else {
        vec![Block { a: n_spines, b: n_leaves, m, copies: 1 }]
    };
    links.extend(leaf_spine_groups(ctx, &fit, spine, &spine_split, &blocks, shape.uplinks)?);

    let mut spine_tier = Tier {
        role: FabricRole::Spine,
        switch_id: spine.id.clone(),
        model: spine.model.clone(),
        count: n_spines,
        down_links: spine_down,
        down_speed_gbps: u_speed,
        up_links: 0,
        up_speed_gbps: Gbps(0),
        links_per_peer_up: 0,
        ports_total: data_ports(spine),
        ports_used: used(&[&spine_split.down]) + spine_reserved.iter().map(|u| used(&[u])).sum::<u64>(),
        power_w: spine.power_w,
        rack_units: spine.rack_units,
        down_uses: spine_split.down.clone(),
        up_uses: Vec::new(),
        handoff_uses: spine_reserved.clone(),
    };
    let mut handoff = Vec::new();
    let mut border_leaf = None;
    if tiers == 2 && !ctx.handoff.is_empty() {
        let top = (spine, FabricRole::Spine, n_spines, u_speed);
        (handoff, border_leaf) = hand_off(ctx, top, shape.via, &spine_reserved, &mut links)?;
    }

    let mut superspine_tier = None;
    let mut spine_os = None;
    if let Some(ss) = superspine {
        let n_ss = shape.spines_per_pod * shape.superspines_per_plane;
        let m2 = shape.spine_uplinks / shape.superspines_per_plane;
        let (ss_split, ss_reserved) = handoff::top_split(ctx, ss, n_ss, up2, shape.pods * m2, shape.via)?;
        let spine_up = spine_split
            .place_up(spine, up2, shape.spine_uplinks)
            .ok_or("the spine's uplinks no longer fit")?;
        let a = wiring::kinds(ss, &ss_split.down);
        let b = wiring::kinds(spine, &spine_up);
        let planes =
            [Block { a: shape.superspines_per_plane, b: shape.pods, m: m2, copies: shape.spines_per_pod }];
        links.extend(link_groups(ctx, LinkClass::SpineSuperspine, up2, &a, &b, &planes)?);
        if !ctx.handoff.is_empty() {
            let top = (ss, FabricRole::Superspine, n_ss, up2);
            (handoff, border_leaf) = hand_off(ctx, top, shape.via, &ss_reserved, &mut links)?;
        }
        spine_tier.up_links = shape.spine_uplinks;
        spine_tier.up_speed_gbps = up2;
        spine_tier.links_per_peer_up = m2;
        spine_tier.ports_used = used(&[&spine_split.down, &spine_up]);
        spine_tier.up_uses = spine_up;
        superspine_tier = Some(Tier {
            role: FabricRole::Superspine,
            switch_id: ss.id.clone(),
            model: ss.model.clone(),
            count: n_ss,
            down_links: shape.pods * m2,
            down_speed_gbps: up2,
            up_links: 0,
            up_speed_gbps: Gbps(0),
            links_per_peer_up: 0,
            ports_total: data_ports(ss),
            ports_used: used(&[&ss_split.down]) + ss_reserved.iter().map(|u| used(&[u])).sum::<u64>(),
            power_w: ss.power_w,
            rack_units: ss.rack_units,
            down_uses: ss_split.down.clone(),
            up_uses: Vec::new(),
            handoff_uses: ss_reserved,
        });
        spine_os = Some(round2((spine_down * u_speed.0) as f64 / (shape.spine_uplinks * up2.0) as f64));
    }

    let leaf_os = round2((fit.down * s.0) as f64 / (shape.uplinks * u_speed.0) as f64);
    let mut cost = rust_decimal::Decimal::ZERO;
    for t in [&leaf_tier, &spine_tier].into_iter().chain(superspine_tier.as_ref()).chain(border_leaf.as_ref())
    {
        let sw = ctx.catalog.switch(&t.switch_id).ok_or("a chosen switch is not in the catalog")?;
        cost += price::unit_net(ctx.catalog, sw).amount() * rust_decimal::Decimal::from(t.count);
    }
    for l in &links {
        cost += l.media.totals(l.counts()).0.amount();
    }

    let mut why = explain(ctx, tiers, &chosen, &alternatives);
    if !ctx.handoff.is_empty() {
        why.push_str(&format!("; {}", explain_handoff(ctx, &chosen.winner, ways)));
    }
    let choice = Choice {
        leaf: leaf.id.clone(),
        leaves_per_rack: fit.leaves_per_rack,
        leaf_up_speed_gbps: u_speed,
        uplinks_per_leaf: shape.uplinks,
        spine: spine.id.clone(),
        spines_per_pod: shape.spines_per_pod,
        superspine: superspine.map(|s| s.id.clone()),
        spine_up_speed_gbps: superspine.map(|_| up2),
        spine_uplinks: shape.spine_uplinks,
        pods: shape.pods,
        superspines_per_plane: shape.superspines_per_plane,
        border_leaf: match shape.via {
            Via::Top => None,
            Via::Border(i) => Some(ctx.border_models[i].id.clone()),
        },
    };
    let alternatives_evaluated = alternatives.len();
    let alternatives_feasible = alternatives.iter().filter(|a| a.feasible).count();
    let mut shown: Vec<Alternative> =
        alternatives.iter().filter(|a| a.feasible).take(ALTERNATIVES_SHOWN).cloned().collect();
    shown.extend(alternatives.iter().filter(|a| !a.feasible).take(ALTERNATIVES_SHOWN).cloned());
    Ok(FabricDesign {
        site: site.name.clone(),
        rack_budget_w: crate::units::Watts(site.rack_power_budget_kw.0 * 1000.0),
        server_rack_units: site
            .server_rack_units
            .or((u64::from(site.servers_per_rack) < crate::analyse::racks::NETWORK_RACK_UNITS as u64)
                .then_some(1)),
        tiers,
        servers: site.servers,
        server_ports,
        server_speed_gbps: s,
        homing: ctx.policy.homing,
        racks,
        servers_per_rack: site.rack_size(),
        leaves_per_rack: fit.leaves_per_rack,
        pods: shape.pods,
        leaves_per_pod: shape.leaves_per_pod,
        spines_per_pod: shape.spines_per_pod,
        superspines_per_plane: shape.superspines_per_plane,
        leaf: leaf_tier,
        spine: spine_tier,
        superspine: superspine_tier,
        links,
        handoff,
        border_leaf,
        oversubscription: Oversubscription { leaf: leaf_os, spine: spine_os },
        targets: Oversubscription {
            leaf: ctx.policy.leaf_oversubscription,
            spine: (tiers == 3).then_some(ctx.policy.spine_oversubscription),
        },
        growth: Growth {
            target_servers,
            max_servers: scored.max_servers,
            headroom_servers: scored.max_servers.saturating_sub(site.servers),
        },
        cost: Money(cost.round_dp(2)),
        why,
        choice,
        score: scored.score,
        candidates_costed: 0,
        search_exhausted: false,
        alternatives_evaluated,
        alternatives_feasible,
        alternatives: shown,
    })
}

/// A top tier: its model, role, switch count and fabric speed.
type Top<'s> = (&'s Switch, FabricRole, u64, Gbps);

/// The hand-off of the winner taken `via` the top tier `top` (whose ports
/// for it are `reserved`): its description, the border-leaf tier if any,
/// and its link groups added to `links`.
fn hand_off(
    ctx: &Context<'_>,
    (sw, role, n, speed): Top<'_>,
    via: Via,
    reserved: &[Vec<PortUse>],
    links: &mut Vec<LinkGroup>,
) -> Result<(Vec<HandOff>, Option<Tier>), String> {
    let groups = handoff::groups(ctx, sw, n, speed, via, reserved)?;
    let out = match via {
        Via::Top => (handoff::describe(ctx, sw, role, n, reserved, &groups), None),
        Via::Border(i) => {
            let plan = super::border::plan(ctx, i, n, speed)?;
            (super::border::describe(ctx, &plan, &groups), Some(super::border::tier(&plan)))
        }
    };
    links.extend(groups);
    Ok(out)
}

/// Why the hand-off is where it is: the best design of the other way (top
/// tier or border leaves), by how much it loses and on which rule.
fn explain_handoff(ctx: &Context<'_>, w: &Candidate<'_>, ways: &Ways<'_>) -> String {
    let top_name = if w.superspine.is_some() { "superspines" } else { "spines" };
    let (this, other, other_name) = match w.scored.shape.via {
        Via::Top => {
            (format!("hand-off on the {top_name}' own ports"), &ways.border, "border leaves".to_string())
        }
        Via::Border(i) => (
            format!("hand-off on border leaves ({})", ctx.border_models[i].id),
            &ways.top,
            format!("the {top_name}' own ports"),
        ),
    };
    let Some(o) = other else {
        return match (w.scored.shape.via, &ways.border_reason) {
            (Via::Top, Some(r)) if !ways.border_bounded => {
                format!("{this}: border leaves cannot be made here ({r})")
            }
            _ => format!("{this}: no design with it on {other_name} came within the search's bounds"),
        };
    };
    let (ws, os) = (&w.scored.score, &o.scored.score);
    // Beyond the tie tolerance the objective decided; within it, a tie rule.
    if os.objective > ctx.threshold(ws.objective) {
        return format!(
            "{this}: the best design with it on {other_name} scores {} more (the objective)",
            units(ctx, os.objective - ws.objective)
        );
    }
    if os.objective < ws.objective {
        return format!(
            "{this}: the best design with it on {other_name} scores {} less but loses the tie on {}",
            units(ctx, ws.objective - os.objective),
            tie_rule(ctx, ws, os)
        );
    }
    format!(
        "{this}: the best design with it on {other_name} scores {} more and loses the tie on {}",
        units(ctx, os.objective - ws.objective),
        tie_rule(ctx, ws, os)
    )
}

/// A candidate as the `why` names it: its models and counts.
fn candidate_name(c: &Candidate<'_>) -> String {
    let models = match c.superspine {
        Some(ss) => format!("{}/{}/{}", c.fit.leaf.id, c.spine.id, ss.id),
        None => format!("{}/{}", c.fit.leaf.id, c.spine.id),
    };
    let sh = &c.scored.shape;
    format!(
        "{models} ({} per rack, {} uplinks of {}, {} spines per pod{})",
        c.fit.leaves_per_rack,
        sh.uplinks,
        c.fit.up_speed,
        sh.spines_per_pod,
        c.superspine.map_or(String::new(), |_| format!(
            ", {} pods, {} spine uplinks of {}, {} superspines per plane",
            sh.pods, sh.spine_uplinks, sh.spine_speed_up, sh.superspines_per_plane
        ))
    )
}

/// Why the winner: the rule for the tier count, the objective, the tie
/// rule that decided (when one did), and the runner-up combination.
fn explain(ctx: &Context<'_>, tiers: u8, chosen: &Chosen<'_>, alternatives: &[Alternative]) -> String {
    let w = &chosen.winner;
    let objective = match ctx.weights.objective {
        Objective::Cost => "lowest net cost",
        Objective::Power => "lowest typical power",
        Objective::Tco => "lowest cost of ownership",
    };
    let rule = match (tiers, ctx.policy.tiers) {
        (2, Tiers::Two) => "two tiers, as the scenario asks",
        (3, Tiers::Three) => "three tiers, as the scenario asks",
        (2, _) => "two tiers, because one spine has a port for every leaf (growth included)",
        _ => "three tiers, because no spine has ports for every leaf",
    };
    let name = candidate_name;
    let feasible = alternatives.iter().filter(|a| a.feasible && a.tiers == tiers).count();
    let mut why = match &chosen.best_objective {
        None => format!(
            "{rule}; {} has the {objective} of {feasible} feasible {tiers}-tier combinations of models",
            name(w)
        ),
        Some(b) => format!(
            "{rule}; {} is within {}% of the {objective} ({} scores {} less) and wins the tie on {}",
            name(w),
            trim(ctx.tie_within_pct),
            name(b),
            delta(ctx, &w.scored.score, &b.scored.score),
            tie_rule(ctx, &w.scored.score, &b.scored.score)
        ),
    };
    // The rule that decided: what the winner beats the runner-up of the tie on.
    if let Some(r) = &chosen.runner_up {
        let rule = tie_rule(ctx, &w.scored.score, &r.scored.score);
        why.push_str(&match chosen.best_objective {
            Some(_) => format!("; the runner-up of the tie, {}, loses on {rule}", name(r)),
            None => format!(" and wins the tie over {} on {rule}", name(r)),
        });
    }
    match (chosen.tied, chosen.equal) {
        (1, _) => {}
        (n, 0) => why.push_str(&format!(" ({n} designs within the tie)")),
        (n, e) => why.push_str(&format!(
            " ({n} designs within the tie; {e} equal to it on every rule, of which the first found is kept)"
        )),
    }
    let is_chosen = |a: &Alternative| {
        a.leaf == w.fit.leaf.id && a.spine == w.spine.id && a.superspine == w.superspine.map(|s| s.id.clone())
    };
    if let Some(r) = alternatives.iter().find(|a| a.feasible && !is_chosen(a)) {
        let other = match &r.superspine {
            Some(ss) => format!("{}/{}/{}", r.leaf, r.spine, ss),
            None => format!("{}/{}", r.leaf, r.spine),
        };
        let d = r.objective.map_or(0, |o| o - w.scored.score.objective);
        let how = match d.cmp(&0) {
            std::cmp::Ordering::Greater => format!("{} more", units(ctx, d)),
            std::cmp::Ordering::Equal => "the same but loses the tie".to_string(),
            std::cmp::Ordering::Less => format!("{} less but loses the tie", units(ctx, -d)),
        };
        why.push_str(&format!("; the best other combination of models, {other}, scores {how}"));
    }
    why
}

/// An objective difference in its unit.
fn units(ctx: &Context<'_>, v: i128) -> String {
    match ctx.weights.objective {
        Objective::Power => format!("{:.0} W", v as f64 / 1000.0),
        _ => Money(rust_decimal::Decimal::from_i128_with_scale(v, 2)).to_string(),
    }
}

fn delta(ctx: &Context<'_>, w: &Score, b: &Score) -> String {
    units(ctx, w.objective - b.objective)
}

/// The first tie rule on which the winner beats `other` (the order of
/// [`Score::tie_order`]).
fn tie_rule(ctx: &Context<'_>, w: &Score, other: &Score) -> String {
    if w.links_per_spine * other.uplinks_per_leaf != other.links_per_spine * w.uplinks_per_leaf {
        format!(
            "blast radius (one spine carries {} of a leaf's {} uplinks, not {} of {})",
            w.links_per_spine, w.uplinks_per_leaf, other.links_per_spine, other.uplinks_per_leaf
        )
    } else if w.switches != other.switches {
        format!("devices ({} fewer)", other.switches.saturating_sub(w.switches))
    } else if w.power_typical_mw != other.power_typical_mw {
        format!("power ({:.0} W less)", (other.power_typical_mw - w.power_typical_mw) as f64 / 1000.0)
    } else if w.optics != other.optics {
        format!("optics ({} fewer)", other.optics.saturating_sub(w.optics))
    } else if w.objective != other.objective {
        format!("the objective ({} less)", units(ctx, other.objective - w.objective))
    } else if w.cost_cents != other.cost_cents {
        let less = Money(rust_decimal::Decimal::from_i128_with_scale(other.cost_cents - w.cost_cents, 2));
        format!("net cost ({less} less)")
    } else {
        "the order the search found them in (equal on every rule)".into()
    }
}
