//! The enumeration of candidate fabrics and the bounds that cut it.
//!
//! Every bound is a lower bound of the objective of every candidate below
//! a node of the enumeration, built from lower bounds of cost and power
//! that never decrease along the axis the loop walks (more uplinks, more
//! spines, more pods, more spine uplinks, more superspines each add links
//! or switches): once a bound is above the best objective found plus the
//! tie tolerance, the rest of that loop cannot hold a winner or a tie.

use super::alternatives::{alternative, bounded, reason_rank, sort_alternatives};
use super::leaf::{leaf_fits, over_rack_budget, LeafFit};
use super::score::{lower_part, per_pod, score_above, score_shape, switch_cents, Scored, Shape};
use super::{ceil_ratio, divisors, trim, Alternative, Context};
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
    pub alternatives: Vec<Alternative>,
    pub closest: String,
    /// Candidates costed, and whether the search stopped at its budget.
    pub evaluated: u64,
    pub exhausted: bool,
}

/// The winner, the candidate with the best objective (the same one unless a
/// tie rule decided), and the tie's size.
pub(super) struct Chosen<'a> {
    pub winner: Candidate<'a>,
    pub best_objective: Option<Candidate<'a>>,
    pub tied: usize,
}

type Combo = (String, String, Option<String>);

struct State<'a> {
    best: Option<i128>,
    pool: Vec<Candidate<'a>>,
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
    let mut st = State { best: None, pool: Vec::new(), combos: HashMap::new(), evaluated: 0, budget };
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
    Found { chosen: choose(st.pool), alternatives, closest, evaluated, exhausted }
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
    let winner = pool.swap_remove(0);
    Some(Chosen { winner, best_objective, tied })
}

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
        let floor = |spines: f64| {
            ctx.weights.floor(
                fc + leaves * u as f64 * lc + spines * sc,
                (fw + leaves * u as f64 * lw + spines * sw) * 1000.0,
            )
        };
        if floor(spines_floor) > st.threshold(ctx) {
            if best.is_none() && u == fit.up_min {
                st.record(bounded(ctx, leaf, spine, None, floor(spines_floor), st.best.unwrap_or(0)));
            }
            break;
        }
        for n in divisors(u, 2) {
            if floor(n as f64) > st.threshold(ctx) {
                continue 'uplinks;
            }
            let shape = Shape {
                uplinks: u,
                spines_per_pod: n,
                pods: 1,
                leaves_per_pod: fit.leaves,
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
                Err(e) => reason = e,
            }
        }
    }
    st.record(alternative(ctx, leaf, spine, None, vec![u_speed], best.as_ref(), reason));
}

/// Largest pod (in leaves, whole racks) whose spines, with `m` links to
/// each leaf, keep enough uplinks at `up2` for the spine target.
fn max_pod(ctx: &Context<'_>, fit: &LeafFit<'_>, spine: &Switch, m: u64, up2: Gbps) -> Option<u64> {
    let u_speed = fit.up_speed;
    let t2 = ctx.policy.spine_oversubscription;
    let ok = |leaves: u64| -> bool {
        let links = leaves * m;
        ports::split(spine, u_speed, links, up2).is_some_and(|split| {
            split.up_links_free >= ceil_ratio((links * u_speed.0) as f64, t2 * up2.0 as f64).max(1)
        })
    };
    let step = fit.leaves_per_rack;
    let (mut lo, mut hi) = (0u64, ports::max_links(spine, u_speed) / m / step + 1);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if ok(mid * step) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo > 0).then_some(lo * step)
}

/// Floors of the parts of a three-tier candidate that do not depend on the
/// inner choices, per link and per switch.
struct ThreeFloors {
    fit: (f64, f64),
    link1: (f64, f64),
    link2: (f64, f64),
    spine: (f64, f64),
    ss: (f64, f64),
    ss_capacity: u64,
}

impl ThreeFloors {
    /// The objective's floor for `links1` leaf-spine links, `spines` spines,
    /// `links2` spine-superspine links and `ss` superspines.
    fn floor(&self, ctx: &Context<'_>, links1: u64, spines: u64, links2: u64, ss: u64) -> i128 {
        let (l1, s, l2, x) = (links1 as f64, spines as f64, links2 as f64, ss as f64);
        let c = self.fit.0 + l1 * self.link1.0 + s * self.spine.0 + l2 * self.link2.0 + x * self.ss.0;
        let w = self.fit.1 + l1 * self.link1.1 + s * self.spine.1 + l2 * self.link2.1 + x * self.ss.1;
        ctx.weights.floor(c, w * 1000.0)
    }
}

fn three_tier<'a>(
    ctx: &Context<'_>,
    fit: &LeafFit<'a>,
    spine: &'a Switch,
    up2: Gbps,
    superspine: &'a Switch,
    st: &mut State<'a>,
) {
    if !st.spend() {
        return;
    }
    let leaf = fit.leaf;
    let u_speed = fit.up_speed;
    let speeds = vec![u_speed, up2];
    let fail = |st: &mut State<'a>, reason: String| {
        st.record(alternative(ctx, leaf, spine, Some(superspine), speeds.clone(), None, reason));
    };
    if let Some(reason) = over_rack_budget(ctx, &[spine, superspine]) {
        return fail(st, reason);
    }
    let ss_capacity = ports::max_links(superspine, up2);
    let spine_capacity = ports::max_links(spine, u_speed);
    let (Some(link1), Some(link2)) = (
        link_floor(ctx, LinkClass::LeafSpine, u_speed, spine, leaf),
        link_floor(ctx, LinkClass::SpineSuperspine, up2, superspine, spine),
    ) else {
        return fail(
            st,
            format!(
                "no cable or optic joins the tiers of {}/{}/{} at {}/{}",
                leaf.id, spine.id, superspine.id, u_speed, up2
            ),
        );
    };
    let f = ThreeFloors {
        fit: fit_floor(fit),
        link1,
        link2,
        spine: (switch_cents(ctx, spine) as f64, spine.power_w.typical.0),
        ss: (switch_cents(ctx, superspine) as f64, superspine.power_w.typical.0),
        ss_capacity,
    };
    let t2 = ctx.policy.spine_oversubscription;
    let mut reason = format!(
        "{} spines and {} superspines at {}/{} do not form pods",
        spine.id, superspine.id, u_speed, up2
    );
    let mut best: Option<Scored> = None;
    let mut pod_cache: HashMap<u64, Option<u64>> = HashMap::new();
    for u in fit.up_min..=fit.up_max {
        let links1 = fit.leaves * u;
        let links2 = ceil_ratio((links1 * u_speed.0) as f64, t2 * up2.0 as f64);
        let floor_u = f.floor(
            ctx,
            links1,
            links1.div_ceil(spine_capacity).max(2),
            links2,
            links2.div_ceil(ss_capacity),
        );
        if floor_u > st.threshold(ctx) {
            if best.is_none() && u == fit.up_min {
                st.record(bounded(ctx, leaf, spine, Some(superspine), floor_u, st.best.unwrap_or(0)));
            }
            break;
        }
        for n in divisors(u, 2) {
            let m = u / n;
            let Some(pod_max) = *pod_cache.entry(m).or_insert_with(|| max_pod(ctx, fit, spine, m, up2))
            else {
                reason = format!(
                    "a {} spine cannot keep {}:1 toward {} superspine links even for one rack of {} leaves",
                    spine.id,
                    trim(t2),
                    up2,
                    leaf.id
                );
                continue;
            };
            let racks = fit.leaves / fit.leaves_per_rack;
            for pods in fit.leaves.div_ceil(pod_max)..=racks.max(1) {
                if f.floor(ctx, links1, pods * n, links2, links2.div_ceil(ss_capacity)) > st.threshold(ctx) {
                    break;
                }
                let per = per_pod(fit.leaves, pods, fit.leaves_per_rack);
                if fit.leaves.div_ceil(per) != pods {
                    continue;
                }
                if st.exhausted() {
                    break;
                }
                // More pods are smaller pods: more of them to take in, so
                // once the superspines cannot, they cannot for any more.
                if !pods_at(
                    ctx,
                    fit,
                    spine,
                    (superspine, up2),
                    &f,
                    (u, n, pods, per),
                    st,
                    &mut best,
                    &mut reason,
                ) {
                    break;
                }
            }
        }
    }
    st.record(alternative(ctx, leaf, spine, Some(superspine), speeds, best.as_ref(), reason));
}

/// The rest of a three-tier candidate once its pods are laid out: spine
/// uplinks from the fewest that meet the spine target, superspines per
/// plane from the fewest whose ports take every pod (growth included).
#[allow(clippy::too_many_arguments)]
fn pods_at<'a>(
    ctx: &Context<'_>,
    fit: &LeafFit<'a>,
    spine: &'a Switch,
    (superspine, up2): (&'a Switch, Gbps),
    f: &ThreeFloors,
    (u, n, pods, per): (u64, u64, u64, u64),
    st: &mut State<'a>,
    best: &mut Option<Scored>,
    reason: &mut String,
) -> bool {
    let m = u / n;
    let t2 = ctx.policy.spine_oversubscription;
    let links1 = fit.leaves * u;
    let spines = pods * n;
    let pods_target = fit.leaves_target.div_ceil(per);
    let most_m2 = f.ss_capacity / pods_target.max(1);
    if most_m2 == 0 {
        *reason = format!(
            "{} pods (with growth) of {} leaves need more than the {} links of {} at {}",
            pods_target, per, f.ss_capacity, superspine.id, up2
        );
        return false;
    }
    let base = Shape {
        uplinks: u,
        spines_per_pod: n,
        pods,
        leaves_per_pod: per,
        spine_speed_up: up2,
        ..Shape::default()
    };
    // Leaves, spines and the links between them are the same whatever the
    // spine uplinks and superspines: costed once.
    let lower = match lower_part(ctx, fit, spine, &base, true) {
        Ok(l) => l,
        Err(e) => {
            *reason = e;
            return true;
        }
    };
    let need2 = ceil_ratio((per * m * fit.up_speed.0) as f64, t2 * up2.0 as f64).max(1);
    for u2 in need2..=lower.split.up_links_free {
        let links2 = spines * u2;
        if f.floor(ctx, links1, spines, links2, links2.div_ceil(f.ss_capacity)) > st.threshold(ctx) {
            break;
        }
        for n2 in divisors(u2, u2.div_ceil(most_m2)) {
            if f.floor(ctx, links1, spines, links2, n * n2) > st.threshold(ctx) {
                break;
            }
            let shape = Shape { spine_uplinks: u2, superspines_per_plane: n2, ..base };
            if !st.spend() {
                return false;
            }
            match score_above(ctx, fit, spine, Some(superspine), shape, &lower) {
                Ok(s) => {
                    if best.as_ref().is_none_or(|b| s.score.objective < b.score.objective) {
                        *best = Some(s.clone());
                    }
                    st.offer(
                        ctx,
                        Candidate { scored: s, fit: fit.clone(), spine, superspine: Some(superspine) },
                    );
                }
                Err(e) => *reason = e,
            }
        }
    }
    true
}
