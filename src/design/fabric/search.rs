//! The enumeration of candidate fabrics and the bounds that cut it.
//!
//! Every bound is a lower bound of the objective of every candidate below
//! a node of the enumeration, built from lower bounds of cost and power
//! that never decrease along the axis the loop walks (more uplinks, more
//! spines, more pods, more spine uplinks, more superspines each add links
//! or switches): once a bound is above the best objective found plus the
//! tie tolerance, the rest of that loop cannot hold a winner or a tie.

use super::alternatives::{alternative, bounded, reason_rank, sort_alternatives};
use super::handoff::{self, Via};
use super::leaf::{leaf_fits, over_rack_budget, LeafFit};
use super::score::{score_shape, switch_cents, two_tier_fits, two_tier_room, Scored, Shape};
use super::{divisors, Alternative, Context};
use crate::design::media::{End, LinkClass};
use crate::design::ports;
use crate::model::*;
use crate::units::Gbps;
use std::collections::HashMap;

/// A candidate with what rebuilds it.
#[derive(Debug, Clone)]
pub(super) struct Candidate<'a> {
    pub scored: Scored,
    pub fit: LeafFit<'a>,
    pub spine: &'a Switch,
    pub superspine: Option<&'a Switch>,
}

/// What the search found: the winner and the designs it tied with, every
/// combination of models with its best figures or its reason, and the most
/// telling reason when nothing fits.
pub(super) struct Found<'a> {
    pub chosen: Option<Chosen<'a>>,
    /// The best candidate of each way of handing off (top tier, border
    /// leaves) and why border leaves could not be made, for the `why`.
    pub ways: Ways<'a>,
    pub alternatives: Vec<Alternative>,
    pub closest: String,
    /// Candidates costed, and whether the search stopped at its budget.
    pub evaluated: u64,
    pub exhausted: bool,
}

/// The winner, the candidate with the best objective (the same one unless a
/// tie rule decided), the runner-up of the tie order (the first design the
/// winner beats on a rule: that rule decided) unless it is the one with the
/// best objective, the designs equal to the winner on every rule (the first
/// found is kept), and the tie's size.
pub(super) struct Chosen<'a> {
    pub winner: Candidate<'a>,
    pub best_objective: Option<Candidate<'a>>,
    pub runner_up: Option<Candidate<'a>>,
    pub equal: usize,
    pub tied: usize,
}

type Combo = (String, String, Option<String>);

/// The best candidate costed with the hand-off on the top tier and on
/// border leaves, and the last reason a border-leaf plan could not be made.
#[derive(Default)]
pub(super) struct Ways<'a> {
    pub top: Option<Candidate<'a>>,
    pub border: Option<Candidate<'a>>,
    pub border_reason: Option<String>,
    /// Whether a border-leaf candidate was cut by a bound before it was costed.
    pub border_bounded: bool,
}

struct State<'a> {
    best: Option<i128>,
    pool: Vec<Candidate<'a>>,
    ways: Ways<'a>,
    combos: HashMap<Combo, (Alternative, Option<i128>)>,
    /// Candidates (and combinations of models) costed so far, and the
    /// site's budget ([`crate::limits::site_candidates`]).
    evaluated: u64,
    budget: u64,
}

impl<'a> State<'a> {
    /// Counts one candidate about to be costed; `false` once the budget is spent.
    fn spend(&mut self) -> bool {
        self.evaluated += 1;
        self.evaluated <= self.budget
    }

    fn exhausted(&self) -> bool {
        self.evaluated > self.budget
    }

    fn threshold(&self, ctx: &Context<'_>) -> i128 {
        self.best.map_or(i128::MAX, |b| ctx.threshold(b))
    }

    fn offer(&mut self, ctx: &Context<'_>, c: Candidate<'a>) {
        let v = c.scored.score.objective;
        let way = match c.scored.shape.via {
            Via::Top => &mut self.ways.top,
            Via::Border(_) => &mut self.ways.border,
        };
        if way.as_ref().is_none_or(|w| v < w.scored.score.objective) {
            *way = Some(c.clone());
        }
        if v > self.threshold(ctx) {
            return;
        }
        if self.best.is_none_or(|b| v < b) {
            self.best = Some(v);
            let t = self.threshold(ctx);
            self.pool.retain(|p| p.scored.score.objective <= t);
        }
        self.pool.push(c);
    }

    /// Notes why a candidate handing off `via` was refused: the
    /// combination's reason for the top tier, the border leaves' own otherwise.
    /// The first border-leaf reason is kept (they are alike): `why` is
    /// only called when its text is kept.
    fn refuse(&mut self, via: Via, why: impl FnOnce() -> Option<String>, reason: &mut String) {
        match via {
            Via::Top => {
                if let Some(w) = why() {
                    *reason = w;
                }
            }
            Via::Border(_) if self.ways.border_reason.is_none() => self.ways.border_reason = why(),
            Via::Border(_) => {}
        }
    }

    /// Keeps per combination of models its best candidate, or the most telling reason.
    fn record(&mut self, alt: Alternative) {
        let id = (alt.leaf.clone(), alt.spine.clone(), alt.superspine.clone());
        let key = alt.objective;
        match self.combos.get(&id) {
            Some((_, Some(old))) if key.is_none_or(|k| k >= *old) => {}
            Some((old, None)) if key.is_none() && reason_rank(&alt) >= reason_rank(old) => {}
            _ => {
                self.combos.insert(id, (alt, key));
            }
        }
    }
}

/// Least cost (cents) and power (W) one link of `class` at `speed` can take
/// between any port of `a` (upper) and any port of `b` that runs it.
fn link_floor(
    ctx: &Context<'_>,
    class: LinkClass,
    speed: Gbps,
    a: &Switch,
    b: &Switch,
) -> Option<(f64, f64)> {
    let ends = |s: &Switch| -> Vec<(End, u64)> {
        s.ports
            .iter()
            .filter_map(|g| {
                ports::links_per_port(g, speed)
                    .map(|(k, brk)| (End { cage: g.form_factor, port_speed: g.speed_gbps, breakout: brk }, k))
            })
            .collect()
    };
    let mut best: Option<(f64, f64)> = None;
    for (ea, ka) in ends(a) {
        for (eb, kb) in ends(b) {
            if let Ok(m) = ctx.media(class, ea, eb, speed) {
                let (c, w) = m.per_link_floor(ka, kb);
                best = Some(best.map_or((c, w), |(bc, bw)| (bc.min(c), bw.min(w))));
            }
        }
    }
    best
}

/// The fit's own cost and power: its leaves and server links.
fn fit_floor(fit: &LeafFit<'_>) -> (f64, f64) {
    (fit.own_cents as f64, fit.own_w)
}

/// Runs the whole search.
pub(super) fn run<'a>(ctx: &Context<'a>, budget: u64) -> Found<'a> {
    let mut st = State {
        best: None,
        pool: Vec::new(),
        ways: Ways::default(),
        combos: HashMap::new(),
        evaluated: 0,
        budget,
    };
    let mut alternatives = Vec::new();
    let mut fits: Vec<LeafFit<'a>> = Vec::new();
    for leaf in ctx.candidates(FabricRole::Leaf) {
        let mut reasons = Vec::new();
        let before = fits.len();
        for up in ports::link_speeds(leaf) {
            match leaf_fits(ctx, leaf, up) {
                Ok(f) => fits.extend(f),
                Err(e) => reasons.push(e),
            }
        }
        if fits.len() == before {
            alternatives.push(Alternative {
                leaf: leaf.id.clone(),
                spine: "-".into(),
                superspine: None,
                tiers: 0,
                link_speeds_gbps: Vec::new(),
                feasible: false,
                cost: None,
                power_typical_w: None,
                switches: None,
                tco: None,
                reason: Some(reasons.pop().unwrap_or_else(|| format!("{} has no usable port", leaf.id))),
                bounded: false,
                objective: None,
            });
        }
    }
    // Cheapest fits first: a good design early cuts the most.
    fits.sort_by_cached_key(|f| {
        let (c, w) = fit_floor(f);
        (ctx.weights.floor(c, w * 1000.0), f.leaf.id.clone(), f.up_speed, f.leaves_per_rack)
    });
    let spines = ctx.candidates(FabricRole::Spine);
    let superspines = ctx.candidates(FabricRole::Superspine);
    if ctx.policy.tiers != Tiers::Three {
        for fit in &fits {
            for spine in &spines {
                two_tier(ctx, fit, spine, &mut st);
            }
        }
    }
    // Three tiers only when two cannot do it (fewer switches and hops otherwise).
    if ctx.policy.tiers == Tiers::Three || (ctx.policy.tiers == Tiers::Auto && st.pool.is_empty()) {
        for fit in &fits {
            for spine in spines.iter().filter(|s| ports::max_links(s, fit.up_speed) > 0) {
                for ss in &superspines {
                    let s_speeds = ports::link_speeds(spine);
                    for up2 in ports::link_speeds(ss).into_iter().filter(|v| s_speeds.contains(v)) {
                        three_tier(ctx, fit, spine, up2, ss, &mut st);
                    }
                }
            }
        }
    }
    let (evaluated, exhausted) = (st.evaluated.min(st.budget), st.exhausted());
    alternatives.extend(st.combos.into_values().map(|(a, _)| a));
    sort_alternatives(&mut alternatives);
    let tiers_tried = if ctx.policy.tiers == Tiers::Two { 2 } else { 3 };
    // A leaf that cannot survive a spine loss names the scenario's own rule:
    // said whatever the tiers.
    let spine_loss =
        |a: &&Alternative| a.reason.as_deref().is_some_and(|r| r.contains("surviving a spine loss"));
    let closest = alternatives
        .iter()
        .find(|a| !a.feasible && spine_loss(a))
        .or_else(|| {
            alternatives
                .iter()
                .filter(|a| a.tiers == tiers_tried && !a.feasible)
                .min_by_key(|a| reason_rank(a))
        })
        .or_else(|| alternatives.iter().filter(|a| !a.feasible).min_by_key(|a| reason_rank(a)))
        .and_then(|a| a.reason.clone())
        .unwrap_or_else(|| "no combination of models was evaluated".into());
    Found { chosen: choose(st.pool), ways: st.ways, alternatives, closest, evaluated, exhausted }
}

/// The winner among the candidates within the tie tolerance of the best.
fn choose(mut pool: Vec<Candidate<'_>>) -> Option<Chosen<'_>> {
    if pool.is_empty() {
        return None;
    }
    let tied = pool.len();
    // Stable on the order found, which is deterministic.
    pool.sort_by(|a, b| a.scored.score.tie_order(&b.scored.score));
    let best_at = pool
        .iter()
        .enumerate()
        .min_by_key(|(i, c)| (c.scored.score.objective, *i))
        .map(|(i, _)| i)
        .unwrap_or(0);
    let best_objective = (best_at != 0).then(|| pool[best_at].clone());
    // Sorted, the designs equal to the winner on every rule come right after it.
    let first = &pool[0].scored.score;
    let equal = pool[1..].iter().take_while(|c| c.scored.score.tie_order(first).is_eq()).count();
    let runner_up = pool.get(1 + equal).filter(|_| best_at != 1 + equal).cloned();
    let winner = pool.swap_remove(0);
    Some(Chosen { winner, best_objective, runner_up, equal, tied })
}

mod three;
use three::three_tier;

fn two_tier<'a>(ctx: &Context<'_>, fit: &LeafFit<'a>, spine: &'a Switch, st: &mut State<'a>) {
    // A combination's own set-up counts against the budget too.
    if !st.spend() {
        return;
    }
    let leaf = fit.leaf;
    let u_speed = fit.up_speed;
    let fail = |st: &mut State<'a>, reason: String| {
        st.record(alternative(ctx, leaf, spine, None, vec![], None, reason));
    };
    if let Some(reason) = over_rack_budget(ctx, &[spine]) {
        return fail(st, reason);
    }
    let capacity = ports::max_links(spine, u_speed);
    if capacity == 0 {
        return fail(st, format!("{} has no port for {} uplinks", spine.id, u_speed));
    }
    let Some((lc, lw)) = link_floor(ctx, LinkClass::LeafSpine, u_speed, spine, leaf) else {
        return fail(st, format!("no cable or optic joins {} and {} at {}", spine.id, leaf.id, u_speed));
    };
    let (fc, fw) = fit_floor(fit);
    let (sc, sw) = (switch_cents(ctx, spine) as f64, spine.power_w.typical.0);
    let mut reason = format!(
        "two tiers: {} leaves (with growth) × at least {} uplinks of {} need more than the {} links one {} spine has",
        fit.leaves_target, fit.up_min, u_speed, capacity, spine.id
    );
    let mut best: Option<Scored> = None;
    let leaves = fit.leaves as f64;
    'uplinks: for u in fit.up_min..=fit.up_max {
        let spines_floor = (fit.leaves * u).div_ceil(capacity).max(2) as f64;
        let floor = |spines: f64, (hc, hw): (i128, f64)| {
            ctx.weights.floor(
                fc + leaves * u as f64 * lc + spines * sc + hc as f64,
                (fw + leaves * u as f64 * lw + spines * sw + hw) * 1000.0,
            )
        };
        if floor(spines_floor, (0, 0.0)) > st.threshold(ctx) {
            if best.is_none() && u == fit.up_min {
                let f = floor(spines_floor, (0, 0.0));
                st.record(bounded(ctx, leaf, spine, None, f, st.best.unwrap_or(0)));
            }
            break;
        }
        for n in divisors(u, 2) {
            if floor(n as f64, (0, 0.0)) > st.threshold(ctx) {
                continue 'uplinks;
            }
            // No spine port set aside can make room the panel has not got:
            // then every way of handing off is refused, with the top tier's reason.
            if fit.leaves_target * (u / n) > capacity {
                reason = two_tier_room(ctx, fit, spine, n, u / n, Via::Top).err().unwrap_or(reason);
                continue;
            }
            for via in Via::all(ctx) {
                // Too few spine ports for the leaves: refused before it is costed.
                if !two_tier_fits(ctx, fit, spine, n, u / n, via) {
                    st.refuse(via, || two_tier_room(ctx, fit, spine, n, u / n, via).err(), &mut reason);
                    continue;
                }
                // The hand-off's own figures are exact and do not depend on
                // the rest of the shape: added to the floor.
                let Some(hand) = handoff::figures(ctx, spine, n, u_speed, via) else {
                    st.refuse(via, || handoff::score(ctx, spine, n, u_speed, via).err(), &mut reason);
                    continue;
                };
                if floor(n as f64, (hand.0, hand.1)) > st.threshold(ctx) {
                    st.ways.border_bounded |= via != Via::Top;
                    continue;
                }
                let shape = Shape {
                    uplinks: u,
                    spines_per_pod: n,
                    pods: 1,
                    leaves_per_pod: fit.leaves,
                    via,
                    ..Shape::default()
                };
                if !st.spend() {
                    break 'uplinks;
                }
                match score_shape(ctx, fit, spine, None, shape) {
                    Ok(s) => {
                        if best.as_ref().is_none_or(|b| s.score.objective < b.score.objective) {
                            best = Some(s.clone());
                        }
                        st.offer(ctx, Candidate { scored: s, fit: fit.clone(), spine, superspine: None });
                    }
                    Err(e) => st.refuse(via, || Some(e), &mut reason),
                }
            }
        }
    }
    st.record(alternative(ctx, leaf, spine, None, vec![u_speed], best.as_ref(), reason));
}
