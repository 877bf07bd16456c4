//! Optical express: a path through transit sites kept in the optical
//! domain where the light reaches. Each site between two routes of a path
//! is either a ROADM the wavelengths pass through (two WSS degrees, the
//! express loss made up by the next line's booster, a filtering penalty
//! per pass) or a regeneration (back-to-back transponders, or a router for
//! pluggables). The path is cut into lightpaths, runs of whole routes
//! expressed end to end, by an exact search over the cuts.

use super::line::{best_mode_express, route_fibre, route_spans, ExpressChoice, ExpressLeg};
use super::option::{route_sections, Section};
use super::tally::{line_system, LineRun, Tally};
use super::*;
use crate::analyse::optical::SpanInput;
use crate::design::routes::RoutePath;
use crate::price;

/// A run of a path carried by one set of wavelengths from add to drop.
pub(super) enum Group<'a> {
    /// One route, whole or cut into regenerated sections at its inline sites.
    Route { route: usize, rev: bool, n_spans: usize, sections: Vec<Section<'a>> },
    /// Two or more whole routes, expressed through a ROADM at each site between them.
    Express(Box<Express<'a>>),
}

/// Routes expressed end to end.
pub(super) struct Express<'a> {
    /// `(route, reversed)` in path order.
    pub(super) legs: Vec<(usize, bool)>,
    pub(super) spans: Vec<Vec<SpanInput>>,
    pub(super) optic: &'a CoherentOptic,
    pub(super) choice: ExpressChoice<'a>,
    /// Index of the ROADM degree model in the catalog.
    pub(super) roadm: usize,
}

/// Objective of a group (cheapest or leanest terminals, regenerators and
/// ROADM degrees), then the regenerations it makes.
type Score = (i128, i128, usize);

/// The path cut into lightpaths at the fewest regenerations for the least
/// terminal cost. Exact: every cut of the path's transit sites is a sum of
/// independent groups, so a shortest path over cut points finds the best;
/// a run of routes that is infeasible stays so when longer (more noise,
/// more length, more filtering, no more fibre pairs), so each start
/// extends only until the first infeasible run.
pub(super) fn path_groups<'a>(
    ctx: &Ctx<'a>,
    kind: OptionKind,
    demand: &Demand,
    path: &RoutePath,
    candidates: &[&'a CoherentOptic],
) -> Result<Vec<Group<'a>>, String> {
    let m = path.len();
    let mut alone: Vec<Option<(Score, usize, Vec<Section<'a>>)>> = Vec::with_capacity(m);
    for &(ri, rev) in path {
        let route = &ctx.scenario.fibre_routes[ri];
        let (n, mut sections) = route_sections(ctx, kind, demand, route, candidates)?;
        if rev {
            sections.reverse();
        }
        let score = sections_score(ctx, &sections);
        alone.push(Some((score, n, sections)));
    }
    // best[j]: the best cut of the first j routes, and where its last group starts.
    let mut best: Vec<Option<(Score, usize)>> = vec![None; m + 1];
    best[0] = Some(((0, 0, 0), 0));
    let mut express: BTreeMap<(usize, usize), Express<'a>> = BTreeMap::new();
    for i in 0..m {
        let Some((base, _)) = best[i] else { continue };
        let junction = usize::from(i > 0);
        let (s, _, sections) = alone[i].as_ref().expect("every route designed");
        let ends = transit_ends(i, i + 1, m);
        relax(
            &mut best,
            i + 1,
            add(add(base, *s, junction), routers_score(ctx, kind, sections_ends(sections), ends), 0),
            i,
        );
        if ctx.catalog.roadm_degrees.is_empty() {
            continue;
        }
        for j in i + 2..=m {
            let Some(e) = express_run(ctx, kind, demand, &path[i..j], candidates) else { break };
            let r = routers_score(ctx, kind, [(e.optic, e.choice.waves); 2], transit_ends(i, j, m));
            relax(&mut best, j, add(add(base, express_score(ctx, &e), junction), r, 0), i);
            express.insert((i, j), e);
        }
    }
    let mut cuts = Vec::new();
    let mut j = m;
    while j > 0 {
        let (_, i) = best[j].expect("the route-by-route cut always exists");
        cuts.push((i, j));
        j = i;
    }
    cuts.reverse();
    Ok(cuts
        .into_iter()
        .map(|(i, j)| match express.remove(&(i, j)) {
            Some(e) if j > i + 1 => Group::Express(Box::new(e)),
            _ => {
                let (_, n_spans, sections) = alone[i].take().expect("each route used once");
                Group::Route { route: path[i].0, rev: path[i].1, n_spans, sections }
            }
        })
        .collect())
}

/// Which ends of the run of routes `i..j` of `m` are transit sites.
fn transit_ends(i: usize, j: usize, m: usize) -> [bool; 2] {
    [i > 0, j < m]
}

/// The optic and wavelengths at each end of a route's sections.
fn sections_ends<'a>(sections: &[Section<'a>]) -> [(&'a CoherentOptic, u64); 2] {
    let end = |s: &Section<'a>| (s.2 .0, s.2 .1.waves);
    [end(&sections[0]), end(&sections[sections.len() - 1])]
}

/// For the routed option, the router that pluggables ending at a transit
/// site plug into there (as the option buys it alone); nothing for
/// transponders, which regenerate back to back.
fn routers_score(
    ctx: &Ctx<'_>,
    kind: OptionKind,
    ends: [(&CoherentOptic, u64); 2],
    transit: [bool; 2],
) -> Score {
    let mut score = (0, 0, 0);
    if kind != OptionKind::Routed {
        return score;
    }
    for ((optic, waves), transit) in ends.into_iter().zip(transit) {
        if !transit || optic.kind != CoherentKind::Pluggable {
            continue;
        }
        let host = super::option::host_speed(optic);
        if let Ok(r) = super::router::router_for(ctx, waves, host, optic.form_factor) {
            let (a, b) = weigh(ctx, r.card, r.cards);
            let (c, d) = weigh(ctx, r.chassis, r.chassis_count);
            score = (score.0 + a + c, score.1 + b + d, 0);
        }
    }
    score
}

fn add(a: Score, b: Score, junction: usize) -> Score {
    (a.0 + b.0, a.1 + b.1, a.2 + b.2 + junction)
}

fn relax(best: &mut [Option<(Score, usize)>], j: usize, score: Score, from: usize) {
    if best[j].is_none_or(|(s, _)| score < s) {
        best[j] = Some((score, from));
    }
}

/// Price (cents) and typical power (mW) of `n` of an item, ordered by the objective.
fn weigh(ctx: &Ctx<'_>, item: &dyn CatalogItem, n: u64) -> (i128, i128) {
    let cents = price::cents(price::unit_net(ctx.catalog, item)) * i128::from(n);
    let mw = (item.power().typical.0 * 1000.0).round() as i128 * i128::from(n);
    if ctx.rank_power {
        (mw, cents)
    } else {
        (cents, mw)
    }
}

/// A route's sections: the optic at both ends of each, the regenerations between.
fn sections_score(ctx: &Ctx<'_>, sections: &[Section<'_>]) -> Score {
    let mut score = (0, 0, sections.len().saturating_sub(1));
    for (_, _, (optic, line)) in sections {
        let (a, b) = weigh(ctx, *optic, 2 * line.waves);
        score.0 += a;
        score.1 += b;
    }
    score
}

/// An expressed run: the optic at both ends, two ROADM degrees per fibre
/// pair at each site between.
fn express_score(ctx: &Ctx<'_>, e: &Express<'_>) -> Score {
    let (a, b) = weigh(ctx, e.optic, 2 * e.choice.waves);
    let passes = e.legs.len() as u64 - 1;
    let (c, d) = weigh(ctx, &ctx.catalog.roadm_degrees[e.roadm], 2 * passes * e.choice.pairs);
    (a + c, b + d, 0)
}

/// The best optic, mode and ROADM model for a run of whole routes
/// expressed end to end, or none when nothing reaches: for the routed
/// option pluggables before transponders, then the fastest mode, the
/// fewest fibre pairs, the lowest price.
fn express_run<'a>(
    ctx: &Ctx<'a>,
    kind: OptionKind,
    demand: &Demand,
    legs: &[(usize, bool)],
    candidates: &[&'a CoherentOptic],
) -> Option<Express<'a>> {
    let mut spans = Vec::with_capacity(legs.len());
    let mut fibres = Vec::with_capacity(legs.len());
    let mut pairs_on = u64::MAX;
    for &(ri, rev) in legs {
        let route = &ctx.scenario.fibre_routes[ri];
        let fibre = route_fibre(route);
        let mut s = route_spans(ctx, route, &fibre).ok()?;
        if rev {
            s.reverse();
        }
        pairs_on = pairs_on.min(u64::from(route.fibre_pairs));
        spans.push(s);
        fibres.push(fibre);
    }
    let express_legs: Vec<ExpressLeg<'_>> =
        fibres.iter().zip(&spans).map(|(f, s)| ExpressLeg { fibre: *f, spans: s }).collect();
    type Key = (bool, std::cmp::Reverse<u64>, u64, i128, i128);
    let mut found: Option<(Key, &'a CoherentOptic, ExpressChoice<'a>, usize)> = None;
    for (ri, roadm) in ctx.catalog.roadm_degrees.iter().enumerate() {
        for &optic in candidates {
            let Ok(choice) = best_mode_express(ctx, optic, &express_legs, roadm, demand.gbps.0) else {
                continue;
            };
            if choice.pairs > pairs_on {
                continue;
            }
            let per_wave = price::cents(price::unit_net(ctx.catalog, optic));
            let passes = legs.len() as u64 - 1;
            let key = (
                kind == OptionKind::Routed && optic.kind == CoherentKind::Transponder,
                std::cmp::Reverse(choice.verdict.line_rate_gbps),
                choice.pairs,
                per_wave * i128::from(choice.waves),
                weigh(ctx, roadm, 2 * passes * choice.pairs).0,
            );
            if found.as_ref().is_none_or(|(k, ..)| key < *k) {
                found = Some((key, optic, choice, ri));
            }
        }
    }
    let (_, optic, choice, roadm) = found?;
    Some(Express { legs: legs.to_vec(), spans, optic, choice, roadm })
}

/// The hops of an expressed run, one per route in path order, each with
/// the run's end-to-end verdict, and the line systems the demand would
/// need alone on them (a ROADM degree instead of a mux at each site the
/// light passes through).
pub(super) fn express_hops(ctx: &Ctx<'_>, e: &Express<'_>, lightpath: usize, lines: &mut Tally) -> Vec<Hop> {
    let c = &e.choice;
    let per_pair =
        c.mux.wavelengths_for(super::option::optic_spacing(e.optic, &c.verdict.mode)).map_or(1, u64::from);
    let last = e.legs.len() - 1;
    let mut hops = Vec::with_capacity(e.legs.len());
    for (k, (&(ri, rev), spans)) in e.legs.iter().zip(&e.spans).enumerate() {
        let route = &ctx.scenario.fibre_routes[ri];
        let n = spans.len();
        let (a, b) = (span_end(route, 0, n), span_end(route, n, n));
        let (from, to) = if rev { (b, a) } else { (a, b) };
        let roadm = [(k > 0).then_some(e.roadm), (k < last).then_some(e.roadm)];
        let hop = Hop {
            route: route.id.clone(),
            from,
            to,
            length_km: spans.iter().map(|x| x.length_km).sum(),
            spans: n,
            inline_sites: n.saturating_sub(1),
            first_span: 0,
            optic: e.optic.id.clone(),
            mode: c.verdict.mode.clone(),
            line_rate_gbps: c.verdict.line_rate_gbps,
            wavelengths: c.waves,
            mux: c.mux.id.clone(),
            fibre_pairs: c.pairs,
            spare_channels: c.pairs * per_pair - c.waves,
            verdict: c.verdict.clone(),
            on_muxes: c.on_muxes.clone(),
            lightpath,
            roadm,
        };
        let degrees = roadm.map(|r| r.map(|r| &ctx.catalog.roadm_degrees[r]));
        line_system(lines, &LineRun::of(&hop), c.pairs, c.mux, &c.amps[k], degrees);
        hops.push(hop);
    }
    hops
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{self, Source};

    /// Sites s0..s4 in a chain of four routes of the given lengths.
    fn chain(km: &[f64]) -> (Catalog, Scenario) {
        let catalog = load::load_catalog(&Source::embedded_catalog()).expect("embedded").value;
        let site = "servers: 200, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 20, rack_power_budget_kw: 15, pue: 1.3";
        let mut s = String::from(
            "kind: scenario\nformat_version: 1\nname: c\nfabric: {leaf_oversubscription: 3}\nsites:\n",
        );
        for i in 0..=km.len() {
            s += &format!("  - {{name: s{i}, {site}}}\n");
        }
        s += "fibre_routes:\n";
        for (i, k) in km.iter().enumerate() {
            s += &format!(
                "  - {{id: r{i}, between: [s{i}, s{}], length_km: {k}, fibre_pairs: 2, fibre: g652d}}\n",
                i + 1
            );
        }
        s += &format!("demands:\n  - {{between: [s0, s{}], gbps: 800}}\n", km.len());
        let scenario = load::load_scenario(&Source::new("c.yaml", s), &catalog).expect("loads").value;
        (catalog, scenario)
    }

    fn score_of(ctx: &Ctx<'_>, kind: OptionKind, groups: &[Group<'_>], m: usize) -> Score {
        let mut start = 0;
        let mut total = (0, 0, 0);
        for g in groups {
            let (s, ends, n) = match g {
                Group::Route { sections, .. } => (sections_score(ctx, sections), sections_ends(sections), 1),
                Group::Express(e) => (express_score(ctx, e), [(e.optic, e.choice.waves); 2], e.legs.len()),
            };
            let r = routers_score(ctx, kind, ends, transit_ends(start, start + n, m));
            total = add(add(total, s, usize::from(start > 0)), r, 0);
            start += n;
        }
        total
    }

    /// Every way of cutting the path at its transit sites, scored alike.
    fn brute_force(ctx: &Ctx<'_>, kind: OptionKind, demand: &Demand, path: &RoutePath) -> Option<Score> {
        let m = path.len();
        let candidates = super::super::option::candidates(ctx, kind);
        let mut best: Option<Score> = None;
        for mask in 0..(1u32 << (m - 1)) {
            // Bit k set: a cut (regeneration) at the site after route k.
            let mut total = (0, 0, 0);
            let mut start = 0;
            let mut ok = true;
            for end in 1..=m {
                if end < m && mask & (1 << (end - 1)) == 0 {
                    continue;
                }
                let transit = transit_ends(start, end, m);
                let s = if end - start == 1 {
                    let route = &ctx.scenario.fibre_routes[path[start].0];
                    match route_sections(ctx, kind, demand, route, &candidates) {
                        Ok((_, sections)) => add(
                            sections_score(ctx, &sections),
                            routers_score(ctx, kind, sections_ends(&sections), transit),
                            0,
                        ),
                        Err(_) => {
                            ok = false;
                            break;
                        }
                    }
                } else {
                    match express_run(ctx, kind, demand, &path[start..end], &candidates) {
                        Some(e) => add(
                            express_score(ctx, &e),
                            routers_score(ctx, kind, [(e.optic, e.choice.waves); 2], transit),
                            0,
                        ),
                        None => {
                            ok = false;
                            break;
                        }
                    }
                };
                total = add(total, s, usize::from(start > 0));
                start = end;
            }
            if ok && best.is_none_or(|b| total < b) {
                best = Some(total);
            }
        }
        best
    }

    #[test]
    fn the_cut_search_finds_what_trying_every_cut_finds() {
        for km in [
            vec![60.0, 60.0, 60.0, 60.0],
            vec![40.0, 120.0, 30.0, 90.0],
            vec![600.0, 700.0, 900.0, 800.0],
            vec![1600.0, 1600.0, 20.0, 20.0],
        ] {
            let (catalog, scenario) = chain(&km);
            let ctx = Ctx { catalog: &catalog, scenario: &scenario, rank_power: false };
            let path: RoutePath = (0..km.len()).map(|i| (i, false)).collect();
            let demand = &scenario.demands[0];
            for kind in [OptionKind::Optical, OptionKind::Routed] {
                let candidates = super::super::option::candidates(&ctx, kind);
                let groups = path_groups(&ctx, kind, demand, &path, &candidates).expect("designs");
                assert_eq!(
                    Some(score_of(&ctx, kind, &groups, km.len())),
                    brute_force(&ctx, kind, demand, &path),
                    "{km:?} {kind:?}"
                );
            }
        }
    }
}
