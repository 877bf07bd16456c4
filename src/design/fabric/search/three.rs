//! The three-tier part of the enumeration: pods, spine uplinks and
//! superspines per plane, with their bounds (see the parent module).

use super::super::alternatives::{alternative, bounded};
use super::super::handoff::{self, Via};
use super::super::leaf::{over_rack_budget, LeafFit};
use super::super::score::{lower_part, per_pod, score_above, switch_cents, Scored, Shape};
use super::super::{ceil_ratio, divisors, trim, Context};
use super::{fit_floor, link_floor, Candidate, State};
use crate::design::media::LinkClass;
use crate::design::ports;
use crate::model::*;
use crate::units::Gbps;
use std::collections::HashMap;

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
        self.floor_with(ctx, (links1, spines, links2, ss), (0, 0.0))
    }

    /// [`ThreeFloors::floor`] with a hand-off's exact cost (cents) and power (W) added.
    fn floor_with(
        &self,
        ctx: &Context<'_>,
        (links1, spines, links2, ss): (u64, u64, u64, u64),
        hand: (i128, f64),
    ) -> i128 {
        let (l1, s, l2, x) = (links1 as f64, spines as f64, links2 as f64, ss as f64);
        let c = self.fit.0 + l1 * self.link1.0 + s * self.spine.0 + l2 * self.link2.0 + x * self.ss.0;
        let w = self.fit.1 + l1 * self.link1.1 + s * self.spine.1 + l2 * self.link2.1 + x * self.ss.1;
        ctx.weights.floor(c + hand.0 as f64, (w + hand.1) * 1000.0)
    }
}

pub(super) fn three_tier<'a>(
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
            for via in Via::all(ctx) {
                let Some(hand) = handoff::figures(ctx, superspine, n * n2, up2, via) else {
                    st.refuse(via, || handoff::score(ctx, superspine, n * n2, up2, via).err(), reason);
                    continue;
                };
                if f.floor_with(ctx, (links1, spines, links2, n * n2), (hand.0, hand.1)) > st.threshold(ctx) {
                    st.ways.border_bounded |= via != Via::Top;
                    continue;
                }
                let shape = Shape { spine_uplinks: u2, superspines_per_plane: n2, via, ..base };
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
                    Err(e) => st.refuse(via, || Some(e), reason),
                }
            }
        }
    }
    true
}
