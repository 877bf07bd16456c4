//! The best two route-disjoint paths, without comparing every pair of site
//! paths: a 40-site full mesh has 1,445 site paths between two sites, about
//! a million pairs, and a plan may have a thousand diverse demands.
//!
//! A pair's cost (its routes together, then its length together) is the
//! sum of its two paths' costs, and neither path costs less than the
//! shortest routes along its site path. So with the site paths sorted by
//! that bound, once the bounds of a pair exceed the best pair found no
//! later pair can beat it: the search stops there and the choice is the
//! one every pair compared would give (a test holds it against that).

use super::{pair, RouteGraph, RoutePath, SitePath, MAX_HOPS};
use crate::limits::MAX_PLAN_PATH_PAIRS;
use std::cmp::Ordering;

/// Pairs of site paths the pair searches of one plan have compared, held
/// to [`MAX_PLAN_PATH_PAIRS`]: the bound of the search stops early on any
/// mesh but not on one that ties everywhere, and a plan has up to 1,000
/// demands. The count of each search depends on its two sites alone, so
/// whether a plan goes beyond it does not depend on the order of its demands.
#[derive(Debug, Default)]
pub struct PairBudget {
    compared: u64,
}

impl PairBudget {
    /// Pairs compared so far.
    pub fn compared(&self) -> u64 {
        self.compared
    }

    /// Whether the searches went beyond [`MAX_PLAN_PATH_PAIRS`].
    pub fn exhausted(&self) -> bool {
        self.compared > MAX_PLAN_PATH_PAIRS
    }

    /// Counts one pair; false once beyond the bound.
    fn take(&mut self) -> bool {
        self.compared += 1;
        !self.exhausted()
    }

    /// Why a search stopped.
    pub fn reason() -> String {
        format!(
            "the searches for two route-disjoint paths compared more than {MAX_PLAN_PATH_PAIRS} pairs of paths in this plan (MAX_PLAN_PATH_PAIRS, a limit of dcplan): the fibre routes are too evenly meshed around too many diverse demands"
        )
    }
}

/// A route path along a site path as the pair search compares it, held
/// without allocating: route indices in order, the number of routes and
/// the length (summed in order, as [`RouteGraph::key`] sums it).
#[derive(Debug, Clone, Copy)]
struct Lite {
    routes: [usize; MAX_HOPS],
    hops: usize,
    km: f64,
}

impl Lite {
    fn ids(&self) -> &[usize] {
        &self.routes[..self.hops]
    }

    /// The module's order on paths: fewest routes, shortest, lowest route indices.
    fn order(&self, other: &Lite) -> Ordering {
        self.hops.cmp(&other.hops).then(self.km.total_cmp(&other.km)).then(self.ids().cmp(other.ids()))
    }
}

/// A site path as the pair search uses it: its hops (site pairs, lower
/// first), the route path of shortest routes, and the second shortest
/// route on each hop where there is one.
#[derive(Debug, Clone, Copy)]
struct Along {
    hops: [(usize, usize); MAX_HOPS],
    next: [Option<usize>; MAX_HOPS],
    first: Lite,
}

/// The site paths in the order of their bounds (fewest routes, then the
/// shortest routes' length; equal bounds in the order of `all`), each
/// number of routes sorted only when the search reaches it: on a mesh the
/// best pair is found among the paths of one and two routes, and the many
/// of three are never looked at.
struct ByBound<'p> {
    all: &'p [SitePath],
    /// Indices into `all` by number of routes, not yet sorted in.
    waiting: Vec<Vec<usize>>,
    sorted: Vec<(usize, Along)>,
}

impl<'p> ByBound<'p> {
    fn new(all: &'p [SitePath]) -> ByBound<'p> {
        let mut waiting = vec![Vec::new(); MAX_HOPS + 1];
        for (i, p) in all.iter().enumerate() {
            if let Some(w) = waiting.get_mut(p.sites.len().saturating_sub(1)) {
                w.push(i);
            }
        }
        waiting.reverse();
        ByBound { all, waiting, sorted: Vec::new() }
    }

    /// The `n`-th path in the order of bounds, sorting in the paths of the
    /// next number of routes as far as needed.
    fn get(&mut self, graph: &RouteGraph, n: usize) -> Option<(usize, Along)> {
        while self.sorted.len() <= n {
            let next = self.waiting.pop()?;
            let mut group: Vec<(usize, Along)> =
                next.into_iter().filter_map(|i| graph.along_lite(&self.all[i]).map(|a| (i, a))).collect();
            // Stable: equal lengths keep the order of `all`.
            group.sort_by(|x, y| x.1.first.km.total_cmp(&y.1.first.km));
            self.sorted.extend(group);
        }
        Some(self.sorted[n])
    }
}

/// What decides between two pairs: routes together, length together, then
/// the better path's route indices and the other's.
struct PairKey {
    hops: usize,
    km: f64,
    lo: Lite,
    hi: Lite,
}

impl PairKey {
    fn order(&self, other: &PairKey) -> Ordering {
        self.hops
            .cmp(&other.hops)
            .then(self.km.total_cmp(&other.km))
            .then(self.lo.ids().cmp(other.lo.ids()))
            .then(self.hi.ids().cmp(other.hi.ids()))
    }
}

/// Whether every pair of two paths with these bounds costs more than
/// `best`: its routes together, then its length together, are at least the
/// bounds' sums (a path's length never falls below its shortest routes',
/// and floating-point addition is monotone).
fn beyond(x: &Lite, y: &Lite, best: &PairKey) -> bool {
    (x.hops + y.hops).cmp(&best.hops).then((x.km + y.km).total_cmp(&best.km)) == Ordering::Greater
}

/// The site pairs of a path's hops, lower site first.
fn hops(p: &SitePath) -> impl Iterator<Item = (usize, usize)> + '_ {
    p.sites.windows(2).map(|w| pair(w[0], w[1]))
}

impl RouteGraph<'_> {
    /// The best two route-disjoint paths from `a` to `b` (the better
    /// first), or why there are none. Two site paths make a pair in the
    /// order [`RouteGraph::site_paths`] lists them: the earlier takes the
    /// shortest route on each hop, the later the second shortest where both
    /// use the same two sites; the same pair as comparing every pair gives.
    pub fn disjoint_pair(&self, a: &str, b: &str, budget: &mut PairBudget) -> Result<Vec<RoutePath>, String> {
        let all = self.site_paths(a, b)?;
        if all.is_empty() {
            return Err(format!("no fibre route joins {a} and {b}"));
        }
        let none = || {
            let route = self.common_route(&all).map_or("in common", |r| &self.scenario.fibre_routes[r].id);
            format!(
                "diverse protection needs two paths between {a} and {b} that share no fibre route; every path uses route {route}"
            )
        };
        // A route every path uses: no pair at all, known without comparing any.
        if self.common_route(&all).is_some() {
            return Err(none());
        }
        let (p, q) = self.best_pair(&all, budget)?.ok_or_else(none)?;
        self.pair_paths(&all[p], &all[q]).ok_or_else(none)
    }

    /// The best pair, as indices into `all` (the earlier first), compared
    /// in the order of their bounds and no further than they can win.
    fn best_pair(&self, all: &[SitePath], budget: &mut PairBudget) -> Result<Option<(usize, usize)>, String> {
        let mut by_bound = ByBound::new(all);
        let mut best: Option<(PairKey, usize, usize)> = None;
        let mut n = 0;
        while let Some((i, ai)) = by_bound.get(self, n) {
            if best.as_ref().is_some_and(|b| beyond(&ai.first, &ai.first, &b.0)) {
                break;
            }
            let mut m = n;
            while let Some((j, aj)) = by_bound.get(self, m) {
                if best.as_ref().is_some_and(|b| beyond(&ai.first, &aj.first, &b.0)) {
                    break;
                }
                if !budget.take() {
                    return Err(PairBudget::reason());
                }
                let ((p, ap), (q, aq)) = if i <= j { ((i, ai), (j, aj)) } else { ((j, aj), (i, ai)) };
                if let Some(key) = self.pair_key(&ap, &aq) {
                    if best.as_ref().is_none_or(|b| key.order(&b.0) == Ordering::Less) {
                        best = Some((key, p, q));
                    }
                }
                m += 1;
            }
            n += 1;
        }
        Ok(best.map(|(_, p, q)| (p, q)))
    }

    /// The pair of `p` (shortest routes) and `q` (the second shortest on
    /// the hops it shares with `p`), `None` where a shared hop has one route.
    fn pair_key(&self, p: &Along, q: &Along) -> Option<PairKey> {
        let f = p.first;
        let s = self.second(q, p)?;
        let (lo, hi) = if f.order(&s) != Ordering::Greater { (f, s) } else { (s, f) };
        Some(PairKey { hops: lo.hops + hi.hops, km: lo.km + hi.km, lo, hi })
    }

    /// The route path along `q` as [`RouteGraph::along`] takes it for the
    /// later path of a pair: the second shortest route on the hops it
    /// shares with `p`, its length summed again only then.
    fn second(&self, q: &Along, p: &Along) -> Option<Lite> {
        let mut lite = q.first;
        let mut changed = false;
        for k in 0..q.first.hops {
            if p.hops[..p.first.hops].contains(&q.hops[k]) {
                lite.routes[k] = q.next[k]?;
                changed = true;
            }
        }
        if changed {
            lite.km = self.km(lite.ids());
        }
        Some(lite)
    }

    /// A site path's hops with their shortest and second shortest routes.
    fn along_lite(&self, p: &SitePath) -> Option<Along> {
        let mut a = Along {
            hops: [(0, 0); MAX_HOPS],
            next: [None; MAX_HOPS],
            first: Lite { routes: [0; MAX_HOPS], hops: 0, km: 0.0 },
        };
        for (k, h) in hops(p).enumerate() {
            let routes = self.routes(h.0, h.1);
            *a.hops.get_mut(k)? = h;
            a.first.routes[k] = *routes.first()?;
            a.next[k] = routes.get(1).copied();
            a.first.hops = k + 1;
        }
        a.first.km = self.km(a.first.ids());
        Some(a)
    }

    /// The length of routes in order, summed as [`RouteGraph::key`] sums it.
    fn km(&self, routes: &[usize]) -> f64 {
        routes.iter().map(|&r| self.scenario.fibre_routes[r].length_km.0).sum()
    }

    /// The chosen pair as route paths, the better first.
    fn pair_paths(&self, p: &SitePath, q: &SitePath) -> Option<Vec<RoutePath>> {
        let on_p: Vec<(usize, usize)> = hops(p).collect();
        let shared = |x: usize, y: usize| on_p.contains(&pair(x, y));
        let (first, second) = (self.along(p, &|_, _| false)?, self.along(q, &shared)?);
        Some(if super::order(&self.key(&first), &self.key(&second)) != Ordering::Greater {
            vec![first, second]
        } else {
            vec![second, first]
        })
    }

    /// A route every path must use: the only route between two sites that
    /// every site path passes.
    fn common_route(&self, all: &[SitePath]) -> Option<usize> {
        let h = hops(&all[0])
            .find(|h| self.routes(h.0, h.1).len() == 1 && all.iter().all(|p| hops(p).any(|g| g == *h)))?;
        Some(self.routes(h.0, h.1)[0])
    }
}
