//! The interconnect as one network: every chosen wavelength on shared line
//! systems. Each route's fibre pairs are lit as the wavelengths need them,
//! one mux per pair chosen for everything that rides the route, channels
//! assigned across demands (first-fit or last-fit, in a stated order), one
//! line system (mux, boosters, preamplifiers, inline amplifiers) per lit
//! pair and section whatever demands use it, and shelves pooled per site
//! for the cards of every demand.

use super::line::{line_amps, route_fibre, route_spans};
use super::option::optic_spacing;
use super::router::{add_pool, pool, RouterNeed, RouterPool};
use super::spectrum::{place_lightpath, Leg, RouteSpectrum, Slot};
use super::tally::{line_system, shelves, Finished, LineRun, Tally};
use super::*;
use crate::model::{Grid, SpectrumOrder, SpectrumPolicy};
use crate::price;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// One wavelength on one line: the channel map `interconnect_network.spectrum[]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Wavelength {
    pub route: String,
    /// 1-based, in the order the route's pairs are lit.
    pub fibre_pair: u32,
    /// The section's ends: the route's sites, or inline sites where it is regenerated.
    pub from: String,
    pub to: String,
    /// 1-based channel of the mux's plan (the first slot, on a flexible grid).
    pub channel: u32,
    /// Slots the wavelength takes (1 on a fixed grid).
    pub slots: u32,
    pub frequency_thz: f64,
    /// 1-based index of the demand in the scenario.
    pub demand: usize,
    /// 1 (working) or 2 (protect).
    pub path: usize,
    pub optic: String,
    pub mode: String,
}

/// One line system: a lit fibre pair over one section of a route.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineSystem {
    pub route: String,
    pub fibre_pair: u32,
    pub from: String,
    pub to: String,
    pub spans: usize,
    pub mux: String,
    pub grid: Grid,
    /// Channels (slots, on a flexible grid) of the mux's plan.
    pub channels: u32,
    pub used_channels: u32,
    pub wavelengths: u32,
    /// The demands (1-based) with a wavelength on it.
    pub demands: Vec<usize>,
}

/// A whole-network design: every demand on the option the design names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkDesign {
    /// `all-optical`, `all-routed`, `all-fabric-zr` or `chosen`.
    pub name: String,
    pub feasible: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The option of each demand, in scenario order (`null` where none).
    pub options: Vec<Option<OptionKind>>,
    /// Hardware net: every option's own equipment, the line systems and shelves once.
    pub capex: Money,
    /// Support over the scenario's horizon at the deal's yearly rate.
    pub support: Money,
    /// Energy over the horizon at the scenario's tariff (typical power through each site's PUE).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub energy: Option<Money>,
    pub power_typical_w: Watts,
    pub power_max_w: Watts,
    pub facility_typical_w: Watts,
    pub facility_max_w: Watts,
    pub rack_units: f64,
    pub worst_margin_db: f64,
    pub fibre_pairs_lit: u64,
}

/// The chosen interconnect as one network (`interconnect_network` in plan.json).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Network {
    pub spectrum_policy: SpectrumPolicy,
    /// Demands (1-based) in the order they were given spectrum.
    pub assignment_order: Vec<usize>,
    pub lines: Vec<LineSystem>,
    pub spectrum: Vec<Wavelength>,
    /// DCI routers per site and plane, sized once for every demand through them.
    pub routers: Vec<RouterPool>,
    /// What the network buys once for every demand: line systems, shelves and routers.
    pub parts: Vec<PartCount>,
    /// How the chosen mix of options was found.
    pub mix_search: super::MixSearch,
    pub designs: Vec<NetworkDesign>,
}

impl Network {
    /// The design of the chosen options.
    pub fn chosen(&self) -> Option<&NetworkDesign> {
        self.designs.iter().find(|d| d.name == "chosen")
    }
}

/// A network put together for one choice of option per demand.
pub(super) struct Assembly {
    pub(super) lines: Vec<LineSystem>,
    pub(super) spectrum: Vec<Wavelength>,
    pub(super) routers: Vec<RouterPool>,
    pub(super) parts: Vec<PartCount>,
    /// Per demand: the hops of its option as placed (mux, verdict, pairs, spare channels).
    pub(super) hops: Vec<Option<Vec<Vec<Hop>>>>,
    /// Demands whose wavelengths found no room, with the route that blocked them.
    pub(super) blocked: Vec<(usize, String)>,
    pub(super) design: NetworkDesign,
}

/// The smallest spacing (GHz) of a hop's mode.
fn hop_spacing(ctx: &Ctx<'_>, hop: &Hop) -> f64 {
    ctx.catalog
        .coherent_optics
        .iter()
        .find(|c| c.id == hop.optic)
        .map_or(0.0, |c| optic_spacing(c, &hop.mode))
}

/// The order demands get spectrum in.
pub(super) fn assignment_order(scenario: &Scenario) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scenario.demands.len()).collect();
    if scenario.spectrum.order == SpectrumOrder::ProtectedLargestFirst {
        order.sort_by_key(|&i| {
            let d = &scenario.demands[i];
            (d.protection == Protection::None, std::cmp::Reverse(d.gbps.0), i)
        });
    }
    order
}

/// The option a demand rides in `choice`.
fn option_of(d: &DemandDesign, kind: Option<OptionKind>) -> Option<&OptionDesign> {
    kind.and_then(|k| d.options.iter().find(|o| o.kind == k && o.feasible))
}

/// A route's sections, as `(first span, spans)` in route order.
type Sections = Vec<(usize, usize)>;

/// A route with a section structure: what one mux is chosen for.
type LineKey = (String, Sections);

/// Hops of a path grouped by route: the route, the hops' indices, and the
/// route's section structure.
fn route_groups(path: &PathDesign) -> Vec<(String, Vec<usize>, Sections)> {
    let mut out: Vec<(String, Vec<usize>, Sections)> = Vec::new();
    for (i, h) in path.hops.iter().enumerate() {
        match out.iter_mut().find(|g| g.0 == h.route) {
            Some(g) => g.1.push(i),
            None => out.push((h.route.clone(), vec![i], Vec::new())),
        }
    }
    for g in &mut out {
        let mut s: Vec<(usize, usize)> =
            g.1.iter().map(|&i| (path.hops[i].first_span, path.hops[i].spans)).collect();
        s.sort_unstable();
        g.2 = s;
    }
    out
}

/// Per route and section structure, the one mux every wavelength on it can
/// use (the cheapest line systems for what rides it, then the fewest pairs),
/// or none: then each keeps the mux it chose alone, on pairs of its own.
fn route_muxes(
    ctx: &Ctx<'_>,
    demands: &[DemandDesign],
    choice: &[Option<OptionKind>],
) -> BTreeMap<LineKey, Option<usize>> {
    // (route, structure) -> list of (feasible mux set, wavelengths, spacing, section)
    type Need = (Vec<usize>, u64, f64, usize);
    let mut needs: BTreeMap<LineKey, Vec<Need>> = BTreeMap::new();
    for (d, kind) in demands.iter().zip(choice) {
        let Some(o) = option_of(d, *kind) else { continue };
        for p in &o.paths {
            for (route, idx, sections) in route_groups(p) {
                for i in idx {
                    let h = &p.hops[i];
                    let section = sections.iter().position(|s| *s == (h.first_span, h.spans)).unwrap_or(0);
                    let spacing = hop_spacing(ctx, h);
                    let muxes = h.on_muxes.iter().map(|(m, _)| *m).collect();
                    needs.entry((route.clone(), sections.clone())).or_default().push((
                        muxes,
                        h.wavelengths,
                        spacing,
                        section,
                    ));
                }
            }
        }
    }
    let price = |id: &str| ctx.catalog.item(id).map_or(0, |i| price::cents(price::unit_net(ctx.catalog, i)));
    let watts = |id: &str| ctx.catalog.item(id).map_or(0.0, |i| i.power().typical.0);
    let scores: BTreeMap<LineKey, Vec<(usize, MuxScore)>> = needs
        .into_iter()
        .map(|(key, list)| {
            let (route_id, sections) = &key;
            let route = ctx.scenario.fibre_routes.iter().find(|r| &r.id == route_id);
            // One pair's line systems, but for the muxes: the same whatever the mux.
            let mut per_pair = (0i128, 0.0f64, 0i128);
            if let Some(route) = route {
                let fibre = route_fibre(route);
                let spans = route_spans(ctx, route, &fibre).unwrap_or_default();
                for &(first, n) in sections {
                    let Some(run) = spans.get(first..first + n) else { continue };
                    let Ok((amps, _)) = line_amps(ctx, &fibre, run) else { continue };
                    let huts = n.saturating_sub(1) as i128;
                    let inline = amps.inline.map_or("", |a| a.id.as_str());
                    per_pair.0 +=
                        2 * (price(&amps.booster.id) + price(&amps.preamp.id)) + 2 * huts * price(inline);
                    per_pair.1 += 2.0 * (watts(&amps.booster.id) + watts(&amps.preamp.id))
                        + 2.0 * huts as f64 * watts(inline);
                    per_pair.2 += 2;
                }
            }
            let available = route.map_or(0, |r| u64::from(r.fibre_pairs));
            let scored = (0..ctx.catalog.mux_demux.len())
                .filter(|m| list.iter().all(|(set, ..)| set.contains(m)))
                .filter_map(|m| {
                    let mux = &ctx.catalog.mux_demux[m];
                    let mut slots = vec![0u64; sections.len()];
                    for (_, waves, spacing, section) in &list {
                        slots[*section] += waves * u64::from(mux.slots_for(*spacing)?);
                    }
                    let pairs = slots.iter().map(|s| s.div_ceil(u64::from(mux.channels))).max().unwrap_or(0);
                    let n = i128::from(pairs);
                    let cost = n * (per_pair.0 + per_pair.2 * price(&mux.id));
                    let power =
                        (n as f64 * (per_pair.1 + per_pair.2 as f64 * watts(&mux.id)) * 1000.0) as i128;
                    let rank = if ctx.rank_power { (power, cost) } else { (cost, power) };
                    // Muxes that fit the route's pairs first, then the objective, then fewer pairs.
                    Some((m, (pairs > available, rank, pairs)))
                })
                .collect();
            (key, scored)
        })
        .collect();
    one_plan_per_express_run(scores, &express_runs(demands, choice))
}

/// A mux's standing on one route: past the route's pairs, the objective, pairs.
type MuxScore = (bool, (i128, i128), u64);

/// The line keys (route, whole) of every expressed lightpath of the chosen
/// options: each run must have one channel plan on all its routes.
fn express_runs(demands: &[DemandDesign], choice: &[Option<OptionKind>]) -> Vec<Vec<LineKey>> {
    let mut runs = Vec::new();
    for (d, kind) in demands.iter().zip(choice) {
        let Some(o) = option_of(d, *kind) else { continue };
        for p in &o.paths {
            let mut i = 0;
            while i < p.hops.len() {
                let j = (i..p.hops.len()).take_while(|&k| p.hops[k].lightpath == p.hops[i].lightpath).count();
                if j > 1 {
                    runs.push(
                        p.hops[i..i + j].iter().map(|h| (h.route.clone(), vec![(0, h.spans)])).collect(),
                    );
                }
                i += j;
            }
        }
    }
    runs
}

/// The best mux per line key; keys joined by expressed lightpaths (a
/// wavelength keeps its channel through a ROADM) take one mux together,
/// the best for all of them, or none (each wavelength keeps its own).
fn one_plan_per_express_run(
    scores: BTreeMap<LineKey, Vec<(usize, MuxScore)>>,
    runs: &[Vec<LineKey>],
) -> BTreeMap<LineKey, Option<usize>> {
    let keys: Vec<&LineKey> = scores.keys().collect();
    let index = |k: &LineKey| keys.binary_search(&k).ok();
    let mut parent: Vec<usize> = (0..keys.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for run in runs {
        let ids: Vec<usize> = run.iter().filter_map(index).collect();
        for w in ids.windows(2) {
            let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..keys.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out = BTreeMap::new();
    for members in groups.values() {
        let lists: Vec<&Vec<(usize, MuxScore)>> = members.iter().map(|&i| &scores[keys[i]]).collect();
        let best = lists[0]
            .iter()
            .filter_map(|&(m, _)| {
                let mut total: MuxScore = (false, (0, 0), 0);
                for l in &lists {
                    let (_, s) = l.iter().find(|(x, _)| *x == m)?;
                    total = (total.0 || s.0, (total.1 .0 + s.1 .0, total.1 .1 + s.1 .1), total.2 + s.2);
                }
                Some((total, m))
            })
            .min()
            .map(|(_, m)| m);
        for &i in members {
            out.insert(keys[i].clone(), best);
        }
    }
    out
}

/// Puts the network together for one option per demand: muxes per route,
/// spectrum in `order`, line systems per lit pair and section, shelves
/// pooled per site, and the totals.
pub(super) fn assemble(
    ctx: &Ctx<'_>,
    demands: &[DemandDesign],
    choice: &[Option<OptionKind>],
    order: &[usize],
    name: &str,
) -> Assembly {
    let fit = ctx.scenario.spectrum.fit;
    let muxes = route_muxes(ctx, demands, choice);
    let mut routes: BTreeMap<String, RouteSpectrum> = ctx
        .scenario
        .fibre_routes
        .iter()
        .map(|r| (r.id.clone(), RouteSpectrum { available: r.fibre_pairs, pairs: Vec::new() }))
        .collect();
    let mut hops: Vec<Option<Vec<Vec<Hop>>>> = vec![None; demands.len()];
    let mut placed: Vec<(usize, usize, usize, Slot, u32)> = Vec::new(); // demand, path, hop, slot, width
    let mut blocked = Vec::new();
    for &di in order {
        let Some(o) = option_of(&demands[di], choice[di]) else { continue };
        let snapshot = routes.clone();
        let mut mine = Vec::new();
        let mut paths: Vec<Vec<Hop>> = o.paths.iter().map(|p| p.hops.clone()).collect();
        let mut block = None;
        'paths: for (pi, p) in o.paths.iter().enumerate() {
            // Per hop: its route's section structure, its section and its mux.
            let mut at: Vec<(Sections, usize, usize)> = Vec::with_capacity(p.hops.len());
            let mut keep = vec![true; p.hops.len()];
            for (route, idx, sections) in route_groups(p) {
                let shared = muxes.get(&(route.clone(), sections.clone())).copied().flatten();
                for i in idx {
                    let hop = &mut paths[pi][i];
                    let m = shared.or_else(|| ctx.catalog.mux_demux.iter().position(|x| x.id == hop.mux));
                    let Some(m) = m else {
                        keep[i] = false;
                        continue;
                    };
                    if let Some((_, v)) = hop.on_muxes.iter().find(|(x, _)| *x == m) {
                        hop.verdict = v.clone();
                        hop.mux = ctx.catalog.mux_demux[m].id.clone();
                    }
                    let section =
                        sections.iter().position(|s| *s == (hop.first_span, hop.spans)).unwrap_or(0);
                    at.resize(p.hops.len(), (Vec::new(), 0, 0));
                    at[i] = (sections.clone(), section, m);
                }
            }
            // Lightpath by lightpath: one wavelength takes the same channel on every hop of it.
            let mut i = 0;
            while i < p.hops.len() {
                let n = (i..p.hops.len()).take_while(|&k| p.hops[k].lightpath == p.hops[i].lightpath).count();
                let run: Vec<usize> = (i..i + n).filter(|&k| keep[k]).collect();
                i += n;
                let Some(&first) = run.first() else { continue };
                let m = at[first].2;
                let mux = &ctx.catalog.mux_demux[m];
                let width = mux.slots_for(hop_spacing(ctx, &paths[pi][first])).unwrap_or(1);
                for _ in 0..paths[pi][first].wavelengths {
                    let legs: Vec<Leg<'_>> = run
                        .iter()
                        .map(|&k| Leg { route: &p.hops[k].route, sections: &at[k].0, section: at[k].1 })
                        .collect();
                    match place_lightpath(&mut routes, &legs, m, width, mux.channels, fit) {
                        Ok(slots) => {
                            mine.extend(run.iter().zip(slots).map(|(&k, slot)| (di, pi, k, slot, width)))
                        }
                        Err(route) => {
                            block = Some(route);
                            break 'paths;
                        }
                    }
                }
            }
        }
        match block {
            Some(route) => {
                routes = snapshot;
                blocked.push((di, route));
            }
            None => {
                placed.extend(mine);
                hops[di] = Some(paths);
            }
        }
    }
    finish_assembly(ctx, demands, choice, name, routes, hops, placed, blocked)
}

/// Line systems, channel map, parts and totals of an assembled network.
#[allow(clippy::too_many_arguments)]
fn finish_assembly(
    ctx: &Ctx<'_>,
    demands: &[DemandDesign],
    choice: &[Option<OptionKind>],
    name: &str,
    routes: BTreeMap<String, RouteSpectrum>,
    mut hops: Vec<Option<Vec<Vec<Hop>>>>,
    placed: Vec<(usize, usize, usize, Slot, u32)>,
    blocked: Vec<(usize, String)>,
) -> Assembly {
    let route_of = |id: &str| ctx.scenario.fibre_routes.iter().find(|r| r.id == id);
    // Section ends, by route and section structure.
    let ends = |route: &FibreRoute, first: usize, spans: usize, n: usize| -> (String, String) {
        (span_end(route, first, n), span_end(route, first + spans, n))
    };
    // Spans per route, worked out once.
    let n_spans: BTreeMap<&str, usize> = ctx
        .scenario
        .fibre_routes
        .iter()
        .map(|r| (r.id.as_str(), route_spans(ctx, r, &route_fibre(r)).map_or(0, |s| s.len())))
        .collect();
    let mut spectrum = Vec::new();
    let mut on_line: BTreeMap<(String, usize, usize), (u32, Vec<usize>)> = BTreeMap::new();
    // The pair ends a wavelength passes through optically: ROADM degrees there.
    let mut degrees: BTreeMap<(&str, usize, &str), usize> = BTreeMap::new();
    for &(di, pi, hi, (pair, section, start), width) in &placed {
        let h = &hops[di].as_ref().expect("placed")[pi][hi];
        for (site, r) in [&h.from, &h.to].into_iter().zip(h.roadm) {
            if let Some(r) = r {
                degrees.insert((h.route.as_str(), pair, site.as_str()), r);
            }
        }
        let Some(route) = route_of(&h.route) else { continue };
        let mux = ctx.catalog.mux_demux.iter().find(|m| m.id == h.mux).expect("a catalog mux");
        let n = n_spans.get(h.route.as_str()).copied().unwrap_or(0);
        let (from, to) = ends(route, h.first_span, h.spans, n);
        spectrum.push(Wavelength {
            route: h.route.clone(),
            fibre_pair: pair as u32 + 1,
            from,
            to,
            channel: start as u32 + 1,
            slots: width,
            frequency_thz: mux.frequency_thz(start as u32 + 1, width),
            demand: di + 1,
            path: pi + 1,
            optic: h.optic.clone(),
            mode: h.mode.clone(),
        });
        let e = on_line.entry((h.route.clone(), pair, section)).or_default();
        e.0 += 1;
        if !e.1.contains(&(di + 1)) {
            e.1.push(di + 1);
        }
    }
    spectrum.sort_by(|a, b| {
        (&a.route, a.fibre_pair, &a.from, a.channel).cmp(&(&b.route, b.fibre_pair, &b.from, b.channel))
    });
    let mut lines = Vec::new();
    let mut t = Tally::default();
    for route in &ctx.scenario.fibre_routes {
        let Some(rs) = routes.get(&route.id) else { continue };
        let fibre = route_fibre(route);
        let Ok(all_spans) = route_spans(ctx, route, &fibre) else { continue };
        for (pi, pair) in rs.pairs.iter().enumerate() {
            let mux = &ctx.catalog.mux_demux[pair.mux];
            for (si, &(first, spans)) in pair.sections.iter().enumerate() {
                let (from, to) = ends(route, first, spans, all_spans.len());
                let Some(run_spans) = all_spans.get(first..first + spans) else { continue };
                if let Ok((amps, _)) = line_amps(ctx, &fibre, run_spans) {
                    let run = LineRun {
                        route: &route.id,
                        from: &from,
                        to: &to,
                        first_span: first,
                        inline_sites: spans.saturating_sub(1),
                    };
                    let degree = |site: &str| {
                        degrees.get(&(route.id.as_str(), pi, site)).map(|&r| &ctx.catalog.roadm_degrees[r])
                    };
                    line_system(&mut t, &run, 1, mux, &amps, [degree(&from), degree(&to)]);
                }
                let (waves, mut ds) = on_line.remove(&(route.id.clone(), pi, si)).unwrap_or_default();
                ds.sort_unstable();
                lines.push(LineSystem {
                    route: route.id.clone(),
                    fibre_pair: pi as u32 + 1,
                    from,
                    to,
                    spans,
                    mux: mux.id.clone(),
                    grid: mux.grid,
                    channels: mux.channels,
                    used_channels: pair.used(si),
                    wavelengths: waves,
                    demands: ds,
                });
            }
        }
    }
    // Each placed hop: the pairs it is on and the channels they leave free.
    let mut on_pairs: BTreeMap<(usize, usize, usize), BTreeSet<(usize, usize)>> = BTreeMap::new();
    for p in &placed {
        on_pairs.entry((p.0, p.1, p.2)).or_default().insert((p.3 .0, p.3 .1));
    }
    for (di, paths) in hops.iter_mut().enumerate() {
        let Some(paths) = paths else { continue };
        for (pi, path) in paths.iter_mut().enumerate() {
            for (hi, h) in path.iter_mut().enumerate() {
                let pairs = on_pairs.remove(&(di, pi, hi)).unwrap_or_default();
                h.fibre_pairs = pairs.len() as u64;
                h.spare_channels = pairs
                    .iter()
                    .filter_map(|&(pair, section)| {
                        let p = &routes.get(&h.route)?.pairs[pair];
                        Some(u64::from(ctx.catalog.mux_demux[p.mux].channels - p.used(section)))
                    })
                    .sum();
            }
        }
    }
    // Routers per site and plane, for every placed demand's ports.
    let mut needs: BTreeMap<(String, usize), Vec<RouterNeed>> = BTreeMap::new();
    for (di, d) in demands.iter().enumerate() {
        if hops[di].is_none() {
            continue;
        }
        for n in option_of(d, choice[di]).map_or(&[][..], |o| o.router_ports.as_slice()) {
            needs.entry((n.site.clone(), n.plane)).or_default().push(n.clone());
        }
    }
    let mut routers = Vec::new();
    let mut router_reasons = Vec::new();
    for ((site, plane), list) in &needs {
        match pool(ctx, site, *plane, list) {
            Ok(p) => {
                add_pool(&mut t, &p);
                routers.push(p);
            }
            Err(e) => router_reasons.push(e),
        }
    }
    // Shelves for every card at a site: every demand's terminals and the line amplifiers.
    let mut own = Tally::default();
    for (di, d) in demands.iter().enumerate() {
        if hops[di].is_none() {
            continue;
        }
        if let Some(o) = option_of(d, choice[di]) {
            for p in &o.parts {
                own.add(&p.item, &p.site, p.quantity, &p.why);
            }
        }
    }
    let mut cards = own.clone();
    cards.absorb(&t);
    t.absorb(&shelves(&cards, ctx.catalog));
    let mut all = own;
    all.absorb(&t);
    let totals = all.finish(ctx.catalog, ctx.scenario);
    let parts = t.finish(ctx.catalog, ctx.scenario).parts;
    let mut design = network_design(ctx, demands, choice, name, &hops, &blocked, &totals, &lines);
    if !router_reasons.is_empty() {
        design.feasible = false;
        let mut r: Vec<String> = design.reason.take().into_iter().collect();
        r.extend(router_reasons);
        design.reason = Some(r.join("; "));
    }
    Assembly { lines, spectrum, routers, parts, hops, blocked, design }
}

/// The figures of a network design.
#[allow(clippy::too_many_arguments)]
fn network_design(
    ctx: &Ctx<'_>,
    demands: &[DemandDesign],
    choice: &[Option<OptionKind>],
    name: &str,
    hops: &[Option<Vec<Vec<Hop>>>],
    blocked: &[(usize, String)],
    totals: &Finished,
    lines: &[LineSystem],
) -> NetworkDesign {
    let mut reasons: Vec<String> = Vec::new();
    for (di, d) in demands.iter().enumerate() {
        if option_of(d, choice[di]).is_none() {
            reasons.push(format!(
                "demand {} ({} to {}) has no such option",
                di + 1,
                d.between[0],
                d.between[1]
            ));
        }
    }
    for (di, route) in blocked {
        reasons.push(format!("demand {}: no spectrum left on route {route}", di + 1));
    }
    let worst = hops
        .iter()
        .flatten()
        .flat_map(|paths| paths.iter().flatten())
        .map(|h| h.verdict.margin_db)
        .fold(f64::INFINITY, f64::min);
    let years = Decimal::from(ctx.scenario.horizon_years);
    let support = Money(
        (totals.cost.amount() * ctx.catalog.deal.support.pct_per_year / Decimal::ONE_HUNDRED * years)
            .round_dp(2),
    );
    let energy = ctx.scenario.energy.as_ref().map(|e| {
        let kwh = Decimal::try_from(totals.ftyp.0 / 1000.0 * 8760.0).unwrap_or_default() * years;
        Money((kwh * e.price_per_kwh.amount()).round_dp(2))
    });
    let mut pairs: Vec<(&str, u32)> = lines.iter().map(|l| (l.route.as_str(), l.fibre_pair)).collect();
    pairs.sort_unstable();
    pairs.dedup();
    NetworkDesign {
        name: name.to_string(),
        feasible: reasons.is_empty(),
        reason: (!reasons.is_empty()).then(|| reasons.join("; ")),
        options: choice.to_vec(),
        capex: totals.cost,
        support,
        energy,
        power_typical_w: totals.typ,
        power_max_w: totals.max,
        facility_typical_w: totals.ftyp,
        facility_max_w: totals.fmax,
        rack_units: totals.ru,
        worst_margin_db: if worst.is_finite() { worst } else { 0.0 },
        fibre_pairs_lit: pairs.len() as u64,
    }
}

/// Gives the chosen options spectrum and builds the network; a demand whose
/// chosen option is blocked on a route takes its other feasible option if
/// that one fits, else it is left without one and says where it was
/// blocked. Also the whole-network designs (all optical, all routed) where
/// every demand has that option.
pub(super) fn build(ctx: &Ctx<'_>, demands: &mut [DemandDesign]) -> Network {
    let order = assignment_order(ctx.scenario);
    let mut choice: Vec<Option<OptionKind>> = demands.iter().map(|d| d.chosen).collect();
    let mut a = assemble(ctx, demands, &choice, &order, "chosen");
    // A blocked demand tries its other options, one demand at a time.
    let mut tried: Vec<(usize, String)> = Vec::new();
    while let Some((di, route)) = a.blocked.iter().find(|b| !tried.iter().any(|t| t.0 == b.0)).cloned() {
        tried.push((di, route.clone()));
        let first = choice[di];
        let others: Vec<OptionKind> = demands[di]
            .options
            .iter()
            .filter(|o| o.feasible && Some(o.kind) != first)
            .map(|o| o.kind)
            .collect();
        let mut fixed = false;
        for k in others {
            let mut c = choice.clone();
            c[di] = Some(k);
            let b = assemble(ctx, demands, &c, &order, "chosen");
            if !b.blocked.iter().any(|x| x.0 == di) {
                let was = first.map_or("its option", |k| k.as_str());
                demands[di].why =
                    format!("{was} is blocked on route {route} (no channel left); {}", k.as_str());
                demands[di].chosen = Some(k);
                choice = c;
                a = b;
                fixed = true;
                break;
            }
        }
        if !fixed {
            demands[di].chosen = None;
            demands[di].why = format!(
                "blocked on route {route}: every channel of its {} fibre pairs is taken by demands given spectrum first",
                ctx.scenario.fibre_routes.iter().find(|r| r.id == route).map_or(0, |r| r.fibre_pairs)
            );
            choice[di] = None;
        }
    }
    // The mix best for the network as a whole, and each option's margin in it.
    let (mix, mix_search, marginal) = {
        let mut mixes = super::mix::Mixes::new(ctx, demands, &order);
        let (mix, search) = super::mix::best_mix(&mut mixes, &choice);
        let marginal = super::mix::marginal_capex(&mut mixes, &mix);
        (mix, search, marginal)
    };
    for (i, d) in demands.iter_mut().enumerate() {
        if mix[i] != choice[i] {
            let (was, now) =
                (choice[i].map_or("none", |k| k.as_str()), mix[i].map_or("none", |k| k.as_str()));
            d.why = format!(
                "{now} in the network (sharing line systems, ROADMs and routers with the other demands makes the whole better by the objective; {} search); alone, {was}: {}",
                mix_search.method, d.why
            );
            d.chosen = mix[i];
        }
    }
    for (d, row) in demands.iter_mut().zip(marginal.into_iter().flatten()) {
        for (kind, capex) in row {
            if let Some(o) = d.options.iter_mut().find(|o| o.kind == kind) {
                o.marginal_capex = Some(capex);
            }
        }
    }
    choice = mix;
    let a = assemble(ctx, demands, &choice, &order, "chosen");
    // Every mix leaves these without spectrum (the search puts the fewest
    // blocked first): they are refused, saying where.
    for (di, route) in &a.blocked {
        let pairs = ctx.scenario.fibre_routes.iter().find(|r| &r.id == route).map_or(0, |r| r.fibre_pairs);
        demands[*di].chosen = None;
        demands[*di].why = format!(
            "blocked on route {route}: every channel of its {pairs} fibre pairs is taken by demands given spectrum first, whichever options the others take"
        );
    }
    for (d, paths) in demands.iter_mut().zip(&a.hops) {
        let Some(paths) = paths else { continue };
        let Some(o) = d.options.iter_mut().find(|o| Some(o.kind) == d.chosen) else { continue };
        for (p, hops) in o.paths.iter_mut().zip(paths) {
            p.hops = hops.clone();
            p.lightpaths = super::option::lightpaths(ctx, &p.hops);
        }
        let worst = o
            .paths
            .iter()
            .flat_map(|p| p.hops.iter())
            .min_by(|a, b| a.verdict.margin_db.total_cmp(&b.verdict.margin_db));
        if let Some(w) = worst {
            o.gsnr_db = w.verdict.gsnr_db;
            o.margin_db = w.verdict.margin_db;
        }
    }
    let mut designs = Vec::new();
    if demands.is_empty() {
        return Network { spectrum_policy: ctx.scenario.spectrum, ..Network::default() };
    }
    for kind in [OptionKind::Optical, OptionKind::Routed, OptionKind::FabricZr] {
        let c: Vec<Option<OptionKind>> = vec![Some(kind); demands.len()];
        if demands.iter().all(|d| option_of(d, Some(kind)).is_some()) && c != choice {
            designs.push(assemble(ctx, demands, &c, &order, &format!("all-{}", kind.as_str())).design);
        } else if c == choice {
            let mut same = a.design.clone();
            same.name = format!("all-{}", kind.as_str());
            designs.push(same);
        }
    }
    designs.push(a.design.clone());
    Network {
        spectrum_policy: ctx.scenario.spectrum,
        assignment_order: order.iter().map(|i| i + 1).collect(),
        lines: a.lines,
        spectrum: a.spectrum,
        routers: a.routers,
        parts: a.parts,
        mix_search,
        designs,
    }
}
