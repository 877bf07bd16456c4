//! Paths between two sites over the scenario's fibre routes, without ever
//! listing every path.
//!
//! Routes that join the same two sites are parallel: they are grouped, and
//! the search runs over *site* paths (sequences of distinct sites, at most
//! [`MAX_HOPS`] routes long). On a site path the best routes are known
//! without enumerating them: the shortest parallel route on each hop (its
//! lowest index on a tie), and for two route-disjoint paths the two
//! shortest wherever both use the same pair of sites. So a scenario with
//! thousands of parallel routes has as few site paths as its sites allow,
//! and the work is bounded by [`MAX_SITE_PATHS`] site paths and
//! [`MAX_PATH_STEPS`] steps of the search, beyond which the demand is
//! refused with the numbers rather than searched for minutes.
//!
//! The choice, exactly: one path, the fewest routes, then the shortest,
//! then the lowest route indices in order; two route-disjoint paths, the
//! fewest routes together, then the shortest together, then the same
//! order on the first path and the second.

use crate::model::Scenario;
use std::collections::BTreeMap;

/// Most routes a path may chain (each transit site costs terminals).
pub const MAX_HOPS: usize = 3;
/// Most site paths between two sites the search considers.
pub const MAX_SITE_PATHS: usize = 2_000;
/// Most steps (partial site paths extended) of one search.
pub const MAX_PATH_STEPS: usize = 1_000_000;

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
#[derive(Debug, Clone)]
struct SitePath {
    sites: Vec<usize>,
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

    /// Every site path from `a` to `b` of at most [`MAX_HOPS`] routes, or
    /// why the search would be too large.
    fn site_paths(&self, a: &str, b: &str) -> Result<Vec<SitePath>, String> {
        let (Some(&from), Some(&to)) = (self.number.get(a), self.number.get(b)) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let mut steps = 0usize;
        let mut stack: Vec<Vec<usize>> = vec![vec![from]];
        while let Some(sites) = stack.pop() {
            steps += 1;
            if steps > MAX_PATH_STEPS {
                return Err(format!(
                    "the fibre routes around {a} and {b} are too meshed to search: more than {MAX_PATH_STEPS} partial paths of up to {MAX_HOPS} routes (a limit of dcplan)"
                ));
            }
            let at = sites[sites.len() - 1];
            if at == to {
                if out.len() == MAX_SITE_PATHS {
                    return Err(format!(
                        "more than {MAX_SITE_PATHS} paths of up to {MAX_HOPS} routes through distinct sites join {a} and {b} (a limit of dcplan)"
                    ));
                }
                out.push(SitePath { sites });
                continue;
            }
            if sites.len() > MAX_HOPS {
                continue;
            }
            for &next in &self.adjacent[at] {
                if !sites.contains(&next) {
                    let mut longer = sites.clone();
                    longer.push(next);
                    stack.push(longer);
                }
            }
        }
        Ok(out)
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

    /// The best two route-disjoint paths from `a` to `b` (the better
    /// first), or why there are none.
    pub fn disjoint_pair(&self, a: &str, b: &str) -> Result<Vec<RoutePath>, String> {
        let all = self.site_paths(a, b)?;
        if all.is_empty() {
            return Err(format!("no fibre route joins {a} and {b}"));
        }
        type Key = (usize, f64, Vec<usize>, Vec<usize>);
        let mut best: Option<(Key, Vec<RoutePath>)> = None;
        for (i, p) in all.iter().enumerate() {
            let hops_p: Vec<(usize, usize)> = p.sites.windows(2).map(|w| pair(w[0], w[1])).collect();
            for q in &all[i..] {
                // Where both use the same two sites, the second takes the second shortest route.
                let shared = |x: usize, y: usize| hops_p.contains(&pair(x, y));
                let (Some(first), Some(second)) = (self.along(p, &|_, _| false), self.along(q, &shared))
                else {
                    continue;
                };
                let (kf, ks) = (self.key(&first), self.key(&second));
                let (lo, hi, pair_paths) = if order(&kf, &ks) != std::cmp::Ordering::Greater {
                    (kf, ks, vec![first, second])
                } else {
                    (ks, kf, vec![second, first])
                };
                let key: Key = (lo.0 + hi.0, lo.1 + hi.1, lo.2, hi.2);
                let better = best.as_ref().is_none_or(|(b, _)| {
                    key.0.cmp(&b.0).then(key.1.total_cmp(&b.1)).then(key.2.cmp(&b.2)).then(key.3.cmp(&b.3))
                        == std::cmp::Ordering::Less
                });
                if better {
                    best = Some((key, pair_paths));
                }
            }
        }
        best.map(|(_, p)| p).ok_or_else(|| {
            format!(
                "diverse protection needs two paths between {a} and {b} that share no fibre route; every path uses route {}",
                self.shared_route(&all)
            )
        })
    }

    /// A route every path must use: a single route between two sites that
    /// every site path passes.
    fn shared_route(&self, all: &[SitePath]) -> String {
        let hops =
            |p: &SitePath| -> Vec<(usize, usize)> { p.sites.windows(2).map(|w| pair(w[0], w[1])).collect() };
        hops(&all[0])
            .into_iter()
            .find(|h| self.routes(h.0, h.1).len() == 1 && all.iter().all(|p| hops(p).contains(h)))
            .map(|h| self.scenario.fibre_routes[self.routes(h.0, h.1)[0]].id.clone())
            .unwrap_or_else(|| "in common".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{self, Source};
    use proptest::prelude::*;

    /// A scenario of `sites` one-rack sites and `routes` (a, b, km).
    fn scenario(sites: usize, routes: &[(usize, usize, u32)]) -> Scenario {
        let mut y = String::from("kind: scenario\nformat_version: 1\nname: routes\nfabric: {leaf_oversubscription: 3, homing: single}\nsites:\n");
        for s in 0..sites {
            y.push_str(&format!("  - {{name: s{s}, servers: 8, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 8, rack_power_budget_kw: 15, pue: 1.5}}\n"));
        }
        y.push_str("fibre_routes:\n");
        for (i, (a, b, km)) in routes.iter().enumerate() {
            y.push_str(&format!(
                "  - {{id: r{i}, between: [s{a}, s{b}], length_km: {km}, fibre_pairs: 4, fibre: g652d}}\n"
            ));
        }
        let catalog = load::load_catalog(&Source::embedded_catalog()).expect("catalog").value;
        match load::load_scenario(&Source::new("routes.yaml", y), &catalog) {
            Ok(s) => s.value,
            Err(e) => panic!("scenario: {:?}", e.diagnostics.first().map(|d| &d.message)),
        }
    }

    /// Every simple route path of up to MAX_HOPS routes, listed whole (what
    /// the search must never do on a big input, and may on a small one).
    fn every_path(s: &Scenario, a: &str, b: &str) -> Vec<RoutePath> {
        let mut out = Vec::new();
        let mut stack: Vec<(String, RoutePath, Vec<String>)> = vec![(a.into(), vec![], vec![a.into()])];
        while let Some((at, path, seen)) = stack.pop() {
            if at == b {
                out.push(path);
                continue;
            }
            if path.len() >= MAX_HOPS {
                continue;
            }
            for (i, r) in s.fibre_routes.iter().enumerate() {
                let next = if r.between[0] == at {
                    Some((&r.between[1], false))
                } else if r.between[1] == at {
                    Some((&r.between[0], true))
                } else {
                    None
                };
                if let Some((n, rev)) = next.filter(|(n, _)| !seen.contains(n)) {
                    let (mut p, mut v) = (path.clone(), seen.clone());
                    p.push((i, rev));
                    v.push(n.clone());
                    stack.push((n.clone(), p, v));
                }
            }
        }
        out
    }

    fn key(s: &Scenario, p: &RoutePath) -> (usize, f64, Vec<usize>) {
        (
            p.len(),
            p.iter().map(|(i, _)| s.fibre_routes[*i].length_km.0).sum(),
            p.iter().map(|(i, _)| *i).collect(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        /// The best path and the best disjoint pair equal the brute force's
        /// over every route path, under the order the module states.
        #[test]
        fn the_search_finds_what_brute_force_finds(
            sites in 3usize..6,
            raw in proptest::collection::vec((0usize..6, 0usize..6, 1u32..90), 1..12),
        ) {
            let routes: Vec<(usize, usize, u32)> =
                raw.into_iter().map(|(a, b, km)| (a % sites, b % sites, km)).filter(|(a, b, _)| a != b).collect();
            prop_assume!(!routes.is_empty());
            let s = scenario(sites, &routes);
            let g = RouteGraph::new(&s);
            let (a, b) = ("s0", "s1");
            let all = every_path(&s, a, b);
            let best = all.iter().min_by(|x, y| order(&key(&s, x), &key(&s, y)));
            let got = g.best(a, b).unwrap();
            prop_assert_eq!(got.as_ref().map(|p| key(&s, p)), best.map(|p| key(&s, p)));
            // Disjoint pairs: fewest routes together, then shortest together.
            let mut want: Option<(usize, f64)> = None;
            for (i, x) in all.iter().enumerate() {
                for y in &all[i + 1..] {
                    if x.iter().any(|(r, _)| y.iter().any(|(q, _)| q == r)) {
                        continue;
                    }
                    let (kx, ky) = (key(&s, x), key(&s, y));
                    let k = (kx.0 + ky.0, kx.1 + ky.1);
                    if want.is_none_or(|w| k.0 < w.0 || (k.0 == w.0 && k.1 < w.1 - 1e-9)) {
                        want = Some(k);
                    }
                }
            }
            match (g.disjoint_pair(a, b), want) {
                (Ok(pair), Some(w)) => {
                    prop_assert_eq!(pair.len(), 2);
                    prop_assert!(!pair[0].iter().any(|(r, _)| pair[1].iter().any(|(q, _)| q == r)));
                    let (k0, k1) = (key(&s, &pair[0]), key(&s, &pair[1]));
                    prop_assert_eq!(k0.0 + k1.0, w.0);
                    prop_assert!((k0.1 + k1.1 - w.1).abs() < 1e-9);
                    prop_assert!(order(&k0, &k1) != std::cmp::Ordering::Greater);
                    for p in &pair {
                        prop_assert!(all.contains(p), "{:?} is a path", p);
                    }
                }
                (Err(_), None) => {}
                (got, want) => prop_assert!(false, "search {:?}, brute force {:?}", got, want),
            }
        }
    }

    /// 1,666 parallel routes on each of three hops (4,998 routes): about
    /// 4.6·10⁹ route paths, one site path; answered at once.
    #[test]
    fn thousands_of_parallel_routes_are_one_site_path() {
        let mut routes = Vec::new();
        for hop in 0..3 {
            for k in 0..1666u32 {
                routes.push((hop, hop + 1, 10 + k % 50));
            }
        }
        let s = scenario(4, &routes);
        let g = RouteGraph::new(&s);
        let best = g.best("s0", "s3").unwrap().expect("a path");
        assert_eq!(key(&s, &best).0, 3);
        assert!((key(&s, &best).1 - 30.0).abs() < 1e-9);
        let pair = g.disjoint_pair("s0", "s3").unwrap();
        assert!((key(&s, &pair[1]).1 - 30.0).abs() < 1e-9, "the second shortest is also 10 km");
    }

    /// A complete mesh of 52 sites has 50·49 + 50 + 1 paths of up to three
    /// routes between two sites: more than the search considers, refused.
    #[test]
    fn a_mesh_beyond_the_bound_is_refused_with_the_numbers() {
        let n = 52;
        let routes: Vec<(usize, usize, u32)> =
            (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b, 10))).collect();
        let s = scenario(n, &routes);
        let err = RouteGraph::new(&s).best("s0", "s1").unwrap_err();
        assert!(err.contains("more than 2000 paths"), "{err}");
    }
}
