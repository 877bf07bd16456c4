use super::*;
use crate::load::{self, Source};
use proptest::prelude::*;

/// A scenario of `sites` one-rack sites and `routes` (a, b, km).
fn scenario<K: std::fmt::Display>(sites: usize, routes: &[(usize, usize, K)]) -> Scenario {
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

/// The search as it was before its bounds (issue 16): a stack of partial
/// paths, every neighbour pushed, then every pair of site paths compared.
/// Kept to hold the bounded search to exactly its choices.
fn reference_site_paths(g: &RouteGraph, a: &str, b: &str) -> Vec<SitePath> {
    let (from, to) = (g.number[a], g.number[b]);
    let mut out = Vec::new();
    let mut stack: Vec<Vec<usize>> = vec![vec![from]];
    while let Some(sites) = stack.pop() {
        let at = sites[sites.len() - 1];
        if at == to {
            out.push(SitePath { sites });
            continue;
        }
        if sites.len() > MAX_HOPS {
            continue;
        }
        for &next in &g.adjacent[at] {
            if !sites.contains(&next) {
                let mut longer = sites.clone();
                longer.push(next);
                stack.push(longer);
            }
        }
    }
    out
}

/// Every pair of [`reference_site_paths`] compared, as `disjoint_pair` did
/// before its bound; `None` where no pair is disjoint.
fn reference_pair(g: &RouteGraph, a: &str, b: &str) -> Option<Vec<RoutePath>> {
    let all = reference_site_paths(g, a, b);
    type Key = (usize, f64, Vec<usize>, Vec<usize>);
    let mut best: Option<(Key, Vec<RoutePath>)> = None;
    for (i, p) in all.iter().enumerate() {
        let hops_p: Vec<(usize, usize)> = p.sites.windows(2).map(|w| pair(w[0], w[1])).collect();
        for q in &all[i..] {
            let shared = |x: usize, y: usize| hops_p.contains(&pair(x, y));
            let (Some(first), Some(second)) = (g.along(p, &|_, _| false), g.along(q, &shared)) else {
                continue;
            };
            let (kf, ks) = (g.key(&first), g.key(&second));
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
    best.map(|(_, p)| p)
}

/// Routes among `sites` sites from raw triples, self-loops dropped.
fn routes_of<K: Copy>(sites: usize, raw: Vec<(usize, usize, K)>) -> Vec<(usize, usize, K)> {
    raw.into_iter().map(|(a, b, km)| (a % sites, b % sites, km)).filter(|(a, b, _)| a != b).collect()
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
        match (g.disjoint_pair(a, b, &mut PairBudget::default()), want) {
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

    /// The bounded search makes exactly the choices of comparing every
    /// pair of site paths, ties included (few distinct lengths, many
    /// parallel routes, lengths that do not add up exactly in binary), on
    /// graphs too big to list every route path.
    #[test]
    fn the_bounded_search_chooses_what_every_pair_chooses(
        sites in 3usize..9,
        raw in proptest::collection::vec((0usize..9, 0usize..9, 1u32..5), 1..40),
        tenths in any::<bool>(),
    ) {
        let routes: Vec<(usize, usize, f64)> = routes_of(sites, raw)
            .into_iter()
            .map(|(a, b, km)| (a, b, if tenths { f64::from(km) / 10.0 } else { f64::from(km) }))
            .collect();
        prop_assume!(!routes.is_empty());
        let s = scenario(sites, &routes);
        let g = RouteGraph::new(&s);
        for (a, b) in [("s0", "s1"), ("s1", "s0"), ("s2", "s0")] {
            if !g.number.contains_key(a) || !g.number.contains_key(b) {
                continue;
            }
            prop_assert_eq!(g.site_paths(a, b).unwrap(), reference_site_paths(&g, a, b));
            let got = g.disjoint_pair(a, b, &mut PairBudget::default()).ok();
            prop_assert_eq!(got, reference_pair(&g, a, b));
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
    let pair = g.disjoint_pair("s0", "s3", &mut PairBudget::default()).unwrap();
    assert!((key(&s, &pair[1]).1 - 30.0).abs() < 1e-9, "the second shortest is also 10 km");
}

/// A complete mesh of 52 sites has 50·49 + 50 + 1 paths of up to three
/// routes between two sites: more than the search considers, refused.
#[test]
fn a_mesh_beyond_the_bound_is_refused_with_the_numbers() {
    let n = 52;
    let routes: Vec<(usize, usize, u32)> = (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b, 10))).collect();
    let s = scenario(n, &routes);
    let err = RouteGraph::new(&s).best("s0", "s1").unwrap_err();
    assert!(err.contains("more than 2000 paths"), "{err}");
}

/// A full mesh of 40 sites, lengths varied: between two sites 1,445 site
/// paths, a million pairs, of which the bounded search compares a handful,
/// choosing what comparing them all chooses.
#[test]
fn a_dense_mesh_compares_few_pairs() {
    let n = 40;
    let routes: Vec<(usize, usize, u32)> =
        (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b, 10 + ((a * 7 + b * 13) % 50) as u32))).collect();
    let s = scenario(n, &routes);
    let g = RouteGraph::new(&s);
    assert_eq!(g.site_paths("s0", "s1").unwrap().len(), 1 + 38 + 38 * 37);
    let mut budget = PairBudget::default();
    for (a, b) in [("s0", "s1"), ("s5", "s17"), ("s39", "s2")] {
        let before = budget.compared();
        let got = g.disjoint_pair(a, b, &mut budget).unwrap();
        assert_eq!(Some(got), reference_pair(&g, a, b), "{a} to {b}");
        assert!(budget.compared() - before <= 100, "{a} to {b}: {} pairs", budget.compared() - before);
    }
}

/// No pair is disjoint where every path crosses one route: answered
/// without comparing a pair, with the route named.
#[test]
fn a_route_every_path_uses_is_named_without_comparing_pairs() {
    // s0 - s2 alone, then a mesh of s1..s12 and s2.
    let mut routes = vec![(0usize, 2usize, 5u32)];
    for a in 1..13 {
        for b in a + 1..13 {
            routes.push((a, b, 10));
        }
    }
    let s = scenario(13, &routes);
    let g = RouteGraph::new(&s);
    let mut budget = PairBudget::default();
    let err = g.disjoint_pair("s0", "s1", &mut budget).unwrap_err();
    assert!(err.ends_with("every path uses route r0"), "{err}");
    assert_eq!(budget.compared(), 0);
    assert_eq!(reference_pair(&g, "s0", "s1"), None);
}
