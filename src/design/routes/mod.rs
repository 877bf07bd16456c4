//! Paths between two sites over the scenario's fibre routes, without ever
//! listing every path.
//!
//! Routes that join the same two sites are parallel: they are grouped, and
//! the search runs over *site* paths (sequences of distinct sites, at most
//! [`MAX_HOPS`] routes long). On a site path the best routes are known
//! without enumerating them: the shortest parallel route on each hop (its
//! lowest index on a tie), and for two route-disjoint paths the two
//! shortest wherever both use the same pair of sites. So a scenario with
//! thousands of parallel routes has as few site paths as its sites allow.
//!
//! The work is bounded for any input within the limits. The search extends
//! partial paths of up to `MAX_HOPS - 1` routes and then only looks up
//! whether the last site is a neighbour of the destination, so with
//! `MAX_HOPS = 3` it extends at most one partial path per site and per
//! (site, neighbour) pair: about `2 ·` [`MAX_ROUTES`] a search. Beyond
//! [`MAX_SITE_PATHS`] site paths the demand is refused with the numbers.
//! The pair search sorts the site paths by a bound on what any route path
//! along them costs and stops where no remaining pair can beat the best
//! found (exact: see [`RouteGraph::disjoint_pair`]); what it still
//! compares is counted across a plan against [`MAX_PLAN_PATH_PAIRS`].
//!
//! The choice, exactly: one path, the fewest routes, then the shortest,
//! then the lowest route indices in order; two route-disjoint paths, the
//! fewest routes together, then the shortest together, then the same
//! order on the first path and the second.

#[cfg(doc)]
use crate::limits::{MAX_PLAN_PATH_PAIRS, MAX_ROUTES};
use crate::model::Scenario;
use std::collections::BTreeMap;

mod pair;
pub use pair::PairBudget;

/// Most routes a path may chain (each transit site costs terminals).
pub const MAX_HOPS: usize = 3;
/// Most site paths between two sites the search considers.
pub const MAX_SITE_PATHS: usize = 2_000;

/// A path over routes: (route index, travelled from `between[1]` to `between[0]`).
pub type RoutePath = Vec<(usize, bool)>;

/// The fibre routes grouped by the pair of sites they join.
pub struct RouteGraph<'a> {
    scenario: &'a Scenario,
    /// Site numbers by name (route ends, in name order).
    number: BTreeMap<&'a str, usize>,
    /// Per site number, its neighbours (ascending).
    adjacent: Vec<Vec<usize>>,
    /// Per pair of site numbers (lower first), their routes, shortest first.
    parallel: BTreeMap<(usize, usize), Vec<usize>>,
}

/// A path over distinct sites, by number.
#[derive(Debug, Clone, PartialEq)]
struct SitePath {
    sites: Vec<usize>,
}

/// Appends `sites` and then `to` as a site path; false when that would be
/// one more than [`MAX_SITE_PATHS`].
fn arrive(sites: &[usize], to: usize, out: &mut Vec<SitePath>) -> bool {
    if out.len() == MAX_SITE_PATHS {
        return false;
    }
    let mut path = Vec::with_capacity(sites.len() + 1);
    path.extend_from_slice(sites);
    path.push(to);
    out.push(SitePath { sites: path });
    true
}

/// Fewest routes, then shortest, then lowest route indices.
fn order(x: &(usize, f64, Vec<usize>), y: &(usize, f64, Vec<usize>)) -> std::cmp::Ordering {
    x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)).then(x.2.cmp(&y.2))
}

fn pair(x: usize, y: usize) -> (usize, usize) {
    if x <= y {
        (x, y)
    } else {
        (y, x)
    }
}

impl<'a> RouteGraph<'a> {
    pub fn new(scenario: &'a Scenario) -> RouteGraph<'a> {
        let mut number: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &scenario.fibre_routes {
            for end in &r.between {
                number.entry(end.as_str()).or_insert(0);
            }
        }
        for (i, v) in number.values_mut().enumerate() {
            *v = i;
        }
        let mut adjacent = vec![Vec::new(); number.len()];
        let mut parallel: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for (i, r) in scenario.fibre_routes.iter().enumerate() {
            let (x, y) = (number[r.between[0].as_str()], number[r.between[1].as_str()]);
            if x == y {
                continue;
            }
            parallel.entry(pair(x, y)).or_default().push(i);
            adjacent[x].push(y);
            adjacent[y].push(x);
        }
        for v in &mut adjacent {
            v.sort_unstable();
            v.dedup();
        }
        let length = |i: usize| scenario.fibre_routes[i].length_km.0;
        for v in parallel.values_mut() {
            v.sort_by(|&a, &b| length(a).total_cmp(&length(b)).then(a.cmp(&b)));
        }
        RouteGraph { scenario, number, adjacent, parallel }
    }

    /// Every site path from `a` to `b` of at most [`MAX_HOPS`] routes, in
    /// the order of a depth-first search that tries neighbours from the
    /// highest number down (the order pairs are formed in; see
    /// [`RouteGraph::disjoint_pair`]), or why there are too many.
    fn site_paths(&self, a: &str, b: &str) -> Result<Vec<SitePath>, String> {
        let (Some(&from), Some(&to)) = (self.number.get(a), self.number.get(b)) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        if from == to {
            out.push(SitePath { sites: vec![from] });
        } else if !self.extend(&mut vec![from], to, &mut out) {
            return Err(format!(
                "more than {MAX_SITE_PATHS} paths of up to {MAX_HOPS} routes through distinct sites join {a} and {b} (a limit of dcplan)"
            ));
        }
        Ok(out)
    }

    /// Appends every path from `sites` on to `to`, depth first; false past
    /// [`MAX_SITE_PATHS`]. With one route left only `to` may follow: a
    /// lookup, not a walk over the last site's neighbours, which is what
    /// bounds a search by the number of routes rather than their cube.
    fn extend(&self, sites: &mut Vec<usize>, to: usize, out: &mut Vec<SitePath>) -> bool {
        let at = sites[sites.len() - 1];
        if sites.len() == MAX_HOPS {
            return self.adjacent[at].binary_search(&to).is_err() || arrive(sites, to, out);
        }
        for &next in self.adjacent[at].iter().rev() {
            let within = if next == to {
                arrive(sites, to, out)
            } else if sites.contains(&next) {
                true
            } else {
                sites.push(next);
                let within = self.extend(sites, to, out);
                sites.pop();
                within
            };
            if !within {
                return false;
            }
        }
        true
    }

    fn routes(&self, x: usize, y: usize) -> &[usize] {
        self.parallel.get(&pair(x, y)).map_or(&[][..], |v| v.as_slice())
    }

    /// The route path along `p`, taking the `k`-th shortest parallel route
    /// on the hops `second` says (the first shortest elsewhere).
    fn along(&self, p: &SitePath, second: &dyn Fn(usize, usize) -> bool) -> Option<RoutePath> {
        p.sites
            .windows(2)
            .map(|w| {
                let k = usize::from(second(w[0], w[1]));
                let r = *self.routes(w[0], w[1]).get(k)?;
                Some((r, self.number[self.scenario.fibre_routes[r].between[0].as_str()] != w[0]))
            })
            .collect()
    }

    fn length(&self, p: &RoutePath) -> f64 {
        p.iter().map(|(i, _)| self.scenario.fibre_routes[*i].length_km.0).sum()
    }

    /// The order of paths: fewest routes, shortest, lowest route indices.
    fn key(&self, p: &RoutePath) -> (usize, f64, Vec<usize>) {
        (p.len(), self.length(p), p.iter().map(|(i, _)| *i).collect())
    }

    /// The best path from `a` to `b`, `None` when no route joins them.
    pub fn best(&self, a: &str, b: &str) -> Result<Option<RoutePath>, String> {
        let best = self
            .site_paths(a, b)?
            .iter()
            .filter_map(|p| self.along(p, &|_, _| false))
            .min_by(|x, y| order(&self.key(x), &self.key(y)));
        Ok(best)
    }
}

#[cfg(test)]
mod tests;
