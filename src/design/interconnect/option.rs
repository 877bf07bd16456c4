//! One option (optical or routed) for one demand over its paths: the optic
//! and mode of each route (regenerated at inline sites when nothing reaches
//! end to end), the terminals, routers and client links at each end, and
//! what the line systems would cost if the demand were alone on them.

use super::client::{grey_optic, hand_off_fibre, patch_for};
use super::express::{express_hops, path_groups, Group};
use super::line::{best_mode, route_fibre, route_spans, section_splits_k, LineChoice};
use super::router::{add_router, router_for, RouterNeed};
use super::tally::{line_system, shelves, Finished, LineRun, Tally};
use super::*;
use crate::analyse::optical::{self, SpanInput};
use crate::design::media::fits;
use crate::design::routes::RoutePath;
use crate::price;

/// What an option collects while its paths are designed: its own
/// equipment, the line systems it would need alone, why it cannot work.
#[derive(Default)]
struct Build {
    own: Tally,
    lines: Tally,
    reasons: Vec<String>,
    handoff: Vec<SiteHandOff>,
    /// Router ports per site and plane; the network pools them.
    routers: Vec<RouterNeed>,
    /// The plane of the path being designed (1 working, 2 protect).
    plane: usize,
}

/// A section of a route carried by one optic and mode: spans `first..last`.
pub(super) type Section<'a> = (usize, usize, (&'a CoherentOptic, LineChoice<'a>));

/// Designs one option for one demand over the given paths.
pub(super) fn design_option(
    ctx: &Ctx<'_>,
    kind: OptionKind,
    demand: &Demand,
    paths_used: &[RoutePath],
) -> OptionDesign {
    let mut b = Build::default();
    let candidates = candidates(ctx, kind);
    let mut designed = Vec::new();
    for (path_no, path) in paths_used.iter().enumerate() {
        b.plane = path_no + 1;
        let copy = if paths_used.len() > 1 { format!(" (path {})", path_no + 1) } else { String::new() };
        let mut hops: Vec<Hop> = Vec::new();
        let groups = match path_groups(ctx, kind, demand, path, &candidates) {
            Ok(g) => g,
            Err(e) => {
                b.reasons.push(e);
                designed.push(path_design(ctx, kind, hops));
                continue;
            }
        };
        for group in groups {
            match group {
                Group::Route { route, rev, n_spans, sections } => {
                    let route = &ctx.scenario.fibre_routes[route];
                    for section in sections {
                        let (mut hop, optic) = section_hop(route, n_spans, rev, section, &mut b.lines);
                        hop.lightpath = hops.last().map_or(0, |h| h.lightpath + 1);
                        terminals(ctx, &mut b, kind, demand, &hop, optic, &copy);
                        hops.push(hop);
                    }
                }
                Group::Express(e) => {
                    let lightpath = hops.last().map_or(0, |h| h.lightpath + 1);
                    let run = express_hops(ctx, &e, lightpath, &mut b.lines);
                    let mut ends = run[0].clone();
                    ends.to = run[run.len() - 1].to.clone();
                    ends.route = run.iter().map(|h| h.route.as_str()).collect::<Vec<_>>().join(" + ");
                    terminals(ctx, &mut b, kind, demand, &ends, e.optic, &copy);
                    hops.extend(run);
                }
            }
        }
        designed.push(path_design(ctx, kind, hops));
    }
    finish(ctx, kind, demand, paths_used, designed, b)
}

/// Coherent optics the option may use: transponders for the optical layer;
/// for the routed one, pluggables some router card takes, then transponders
/// behind grey router ports.
pub(super) fn candidates<'a>(ctx: &Ctx<'a>, kind: OptionKind) -> Vec<&'a CoherentOptic> {
    ctx.catalog
        .coherent_optics
        .iter()
        .filter(|o| match (kind, o.kind) {
            // Pluggables some fabric switch takes, and nothing else.
            (OptionKind::FabricZr, k) => {
                k == CoherentKind::Pluggable && super::fabric_zr::offered(ctx.catalog, o)
            }
            (_, CoherentKind::Transponder) => true,
            (OptionKind::Routed, CoherentKind::Pluggable) => o.form_factor.is_some_and(|f| {
                ctx.catalog
                    .line_cards
                    .iter()
                    .any(|c| c.ports.iter().any(|g| !g.management && fits(f, g.form_factor)))
            }),
            (OptionKind::Optical, CoherentKind::Pluggable) => false,
        })
        .collect()
}

/// The sections of a route, in its own direction: the whole route when an
/// optic reaches, else the fewest regenerated sections that work (more
/// sections only shorten each one, so a binary search finds the fewest).
/// Amplifier gain is not fixed by regenerating.
pub(super) fn route_sections<'a>(
    ctx: &Ctx<'a>,
    kind: OptionKind,
    demand: &Demand,
    route: &FibreRoute,
    candidates: &[&'a CoherentOptic],
) -> Result<(usize, Vec<Section<'a>>), String> {
    if candidates.is_empty() {
        return Err(format!(
            "the catalog has no {} for route {}",
            if kind == OptionKind::Optical { "transponder" } else { "coherent optic" },
            route.id
        ));
    }
    let fibre = route_fibre(route);
    let all_spans = route_spans(ctx, route, &fibre).map_err(|e| format!("route {}: {e}", route.id))?;
    let choose = |spans: &[SpanInput], transponders_only: bool| {
        choose_optic(ctx, kind, demand, route, &fibre, spans, candidates, transponders_only)
    };
    let n = all_spans.len();
    let try_split = |k: usize| -> Result<Vec<Section<'a>>, String> {
        let split = section_splits_k(n, k);
        split.iter().map(|&(a, b)| choose(&all_spans[a..b], k > 1).map(|c| (a, b, c))).collect()
    };
    let first_failure = match try_split(1) {
        Ok(p) => return Ok((n, p)),
        Err(e) => e,
    };
    let amplifier_limited = first_failure.contains("amplifier") || first_failure.contains("booster");
    let transponders = candidates.iter().any(|o| o.kind == CoherentKind::Transponder);
    if !amplifier_limited && n > 1 && transponders {
        if let Ok(mut best) = try_split(n) {
            let (mut lo, mut hi) = (1, n);
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                match try_split(mid) {
                    Ok(p) => {
                        hi = mid;
                        best = p;
                    }
                    Err(_) => lo = mid,
                }
            }
            return Ok((n, best));
        }
    }
    let regen_tried = transponders && n > 1 && !first_failure.contains("amplifier");
    Err(format!(
        "route {}: no coherent mode is feasible{} ({first_failure})",
        route.id,
        if regen_tried { ", even regenerated at every amplifier site" } else { "" }
    ))
}

/// The best optic and mode over a run of spans: for the routed option
/// pluggables before transponders, then the fastest mode, the fewest fibre
/// pairs and the lowest price for the demand's wavelengths. A demand alone
/// must fit the route's fibre pairs; sharing them is the network's work.
#[allow(clippy::too_many_arguments)]
fn choose_optic<'a>(
    ctx: &Ctx<'a>,
    kind: OptionKind,
    demand: &Demand,
    route: &FibreRoute,
    fibre: &optical::Fibre,
    spans: &[SpanInput],
    candidates: &[&'a CoherentOptic],
    transponders_only: bool,
) -> Result<(&'a CoherentOptic, LineChoice<'a>), String> {
    let pairs_on_route = u64::from(route.fibre_pairs);
    let mut chosen = None;
    let mut why_not = Vec::new();
    let mut ordered: Vec<&CoherentOptic> = candidates
        .iter()
        .copied()
        .filter(|o| !transponders_only || o.kind == CoherentKind::Transponder)
        .collect();
    ordered
        .sort_by_key(|o| (kind == OptionKind::Routed && o.kind == CoherentKind::Transponder, o.id.clone()));
    let mut best_key: Option<(bool, std::cmp::Reverse<u64>, u64, i128)> = None;
    for optic in ordered {
        match best_mode(ctx, optic, fibre, spans, demand.gbps.0) {
            Ok(line) if line.pairs > pairs_on_route => why_not.push(format!(
                "{} needs {} fibre pairs for {} wavelengths; route {} has {pairs_on_route}",
                optic.id, line.pairs, line.waves, route.id
            )),
            Ok(line) => {
                let per_wave = price::cents(price::unit_net(ctx.catalog, optic));
                let key = (
                    kind == OptionKind::Routed && optic.kind == CoherentKind::Transponder,
                    std::cmp::Reverse(line.verdict.line_rate_gbps),
                    line.pairs,
                    per_wave * i128::from(line.waves),
                );
                if best_key.as_ref().is_none_or(|k| key < *k) {
                    best_key = Some(key);
                    chosen = Some((optic, line));
                }
            }
            Err(e) => why_not.push(e),
        }
    }
    chosen.ok_or_else(|| why_not.join("; "))
}

/// The hop a section makes (turned round for a reversed route), with the
/// line system the demand would need alone on it.
fn section_hop<'a>(
    route: &FibreRoute,
    n_spans: usize,
    rev: bool,
    section: Section<'a>,
    lines: &mut Tally,
) -> (Hop, &'a CoherentOptic) {
    let (first, last, (optic, line)) = section;
    let LineChoice { verdict: v, mux, waves, pairs, amps, spans, on_muxes } = line;
    let forward = |span_index: usize| span_end(route, span_index, n_spans);
    let (from, to) = if rev { (forward(last), forward(first)) } else { (forward(first), forward(last)) };
    let per_pair = mux.wavelengths_for(optic_spacing(optic, &v.mode)).map_or(1, u64::from);
    let hop = Hop {
        route: route.id.clone(),
        from,
        to,
        length_km: spans.iter().map(|x| x.length_km).sum(),
        spans: spans.len(),
        inline_sites: spans.len().saturating_sub(1),
        first_span: first,
        optic: optic.id.clone(),
        mode: v.mode.clone(),
        line_rate_gbps: v.line_rate_gbps,
        wavelengths: waves,
        mux: mux.id.clone(),
        fibre_pairs: pairs,
        spare_channels: pairs * per_pair - waves,
        verdict: v,
        on_muxes,
        lightpath: 0,
        roadm: [None, None],
    };
    line_system(lines, &LineRun::of(&hop), pairs, mux, &amps, [None, None]);
    (hop, optic)
}

/// The smallest spacing of an optic's mode (GHz).
pub(super) fn optic_spacing(optic: &CoherentOptic, mode: &str) -> f64 {
    optic.modes.iter().find(|m| m.name == mode).map_or(0.0, |m| m.min_spacing_ghz.0)
}

/// Terminals at both ends of a hop: back-to-back transponders at a transit
/// or regeneration site, else the optic and what joins it to the fabric.
fn terminals(
    ctx: &Ctx<'_>,
    b: &mut Build,
    kind: OptionKind,
    demand: &Demand,
    hop: &Hop,
    optic: &CoherentOptic,
    copy: &str,
) {
    let waves = hop.wavelengths;
    for (end_no, site) in [&hop.from, &hop.to].into_iter().enumerate() {
        let why = format!("{waves} wavelengths on route {}{copy}", hop.route);
        let endpoint = *site == demand.between[0] || *site == demand.between[1];
        if !endpoint && optic.kind == CoherentKind::Transponder {
            back_to_back(ctx, &mut b.own, hop, optic, site, end_no == 0, &why, copy);
            continue;
        }
        match (kind, optic.kind) {
            (_, CoherentKind::Transponder) => {
                b.own.add(&optic.id, site, waves, &why);
                transponder_clients(ctx, b, kind, hop, optic, site, copy);
            }
            (OptionKind::Routed, CoherentKind::Pluggable) => {
                b.own.add(&optic.id, site, waves, &why);
                pluggable_router(ctx, b, hop, optic, site, endpoint, copy);
            }
            // In the fabric's own ports, at an end or a transit site alike.
            (OptionKind::FabricZr, CoherentKind::Pluggable) => {
                b.own.add(&optic.id, site, waves, &why);
                b.handoff.push(super::fabric_zr::port_need(site, hop, optic, b.plane));
            }
            // The optical option only considers transponders.
            (OptionKind::Optical, CoherentKind::Pluggable) => {}
        }
    }
}

/// Regeneration or transit: back-to-back transponders, nothing dropped;
/// their clients joined by short cords (counted once, at the first end).
#[allow(clippy::too_many_arguments)]
fn back_to_back(
    ctx: &Ctx<'_>,
    own: &mut Tally,
    hop: &Hop,
    optic: &CoherentOptic,
    site: &str,
    first_end: bool,
    why: &str,
    copy: &str,
) {
    own.add(&optic.id, site, hop.wavelengths, &format!("regeneration, {why}"));
    let Some(g) = optic.client_ports.iter().find(|g| !g.management) else { return };
    let links = (hop.wavelengths * hop.line_rate_gbps).div_ceil(g.speed_gbps.0.max(1));
    let Some(o) = grey_optic(ctx.catalog, g.form_factor, g.speed_gbps, 3.0) else { return };
    own.add(&o.id, site, links, &format!("back-to-back regeneration optics{copy}"));
    if first_end {
        if let Some(p) = patch_for(ctx.catalog, o, 3.0) {
            own.add(&p.id, site, links, &format!("back-to-back regeneration fibre{copy}"));
        }
    }
}

/// A transponder's clients: straight to the fabric (optical option), or to
/// routers whose other ports face the fabric (routed option).
fn transponder_clients(
    ctx: &Ctx<'_>,
    b: &mut Build,
    kind: OptionKind,
    hop: &Hop,
    optic: &CoherentOptic,
    site: &str,
    copy: &str,
) {
    let Some(g) = optic.client_ports.iter().find(|g| !g.management) else { return };
    let links = (hop.wavelengths * hop.line_rate_gbps).div_ceil(g.speed_gbps.0.max(1));
    if kind == OptionKind::Optical {
        let equipment = format!("{} clients", optic.id);
        b.handoff.push(hand_off(site, links, g.speed_gbps, g.form_factor, &equipment));
        return;
    }
    // Router ports: one to each transponder client, one to the fabric.
    let dist = ctx.scenario.sites.iter().find(|s| s.name == site).map_or(300.0, |s| s.layout.across_hall_m.0);
    match grey_optic(ctx.catalog, g.form_factor, g.speed_gbps, dist) {
        Some(o) => {
            let what = "router to transponder";
            b.own.add(&o.id, site, 2 * links, &format!("{what} optics{copy}"));
            let fibre_why = format!("{what} fibre{copy}");
            if let Err(e) = hand_off_fibre(&mut b.own, ctx.catalog, o, dist, site, links, &fibre_why) {
                b.reasons.push(e);
            }
        }
        None => b.reasons.push(format!(
            "no grey optic joins the {} clients of {} over {} m",
            g.speed_gbps, optic.id, dist
        )),
    }
    let ports = 2 * links;
    b.routers.push(RouterNeed {
        site: site.to_string(),
        plane: b.plane,
        speed_gbps: g.speed_gbps,
        cage: Some(g.form_factor),
        ports,
    });
    match router_for(ctx, ports, g.speed_gbps, Some(g.form_factor)) {
        Ok(r) => {
            add_router(&mut b.lines, &r, site, copy);
            b.handoff.push(hand_off(site, links, g.speed_gbps, r.cage, "routers"));
        }
        Err(e) => b.reasons.push(e),
    }
}

/// A router holding coherent pluggables: the line ports plus, where traffic
/// drops, as many fabric-facing ports of the host speed (none in transit).
fn pluggable_router(
    ctx: &Ctx<'_>,
    b: &mut Build,
    hop: &Hop,
    optic: &CoherentOptic,
    site: &str,
    endpoint: bool,
    copy: &str,
) {
    let host = host_speed(optic);
    let fabric_links = if endpoint { (hop.wavelengths * hop.line_rate_gbps).div_ceil(host.0) } else { 0 };
    let ports = hop.wavelengths + fabric_links;
    b.routers.push(RouterNeed {
        site: site.to_string(),
        plane: b.plane,
        speed_gbps: host,
        cage: optic.form_factor,
        ports,
    });
    match router_for(ctx, ports, host, optic.form_factor) {
        Ok(r) => {
            add_router(&mut b.lines, &r, site, copy);
            if fabric_links > 0 {
                b.handoff.push(hand_off(site, fabric_links, host, r.cage, "routers"));
            }
        }
        Err(e) => b.reasons.push(e),
    }
}

/// The Ethernet speed of the host port a pluggable needs: its fastest mode's.
pub(super) fn host_speed(optic: &CoherentOptic) -> Gbps {
    let fastest = optic.modes.iter().map(|m| m.line_rate_gbps.0).max().unwrap_or(400);
    Gbps(crate::units::ETHERNET_RATES_GBPS.iter().copied().find(|r| *r >= fastest).unwrap_or(400))
}

/// A path of hops with its length, latency, capacity and lightpaths.
fn path_design(ctx: &Ctx<'_>, kind: OptionKind, hops: Vec<Hop>) -> PathDesign {
    let mut latency = 0.0;
    let mut capacity = u64::MAX;
    let real = |x: &str| ctx.scenario.sites.iter().any(|s| s.name == x);
    for (i, hop) in hops.iter().enumerate() {
        latency += hop.length_km * optical::GROUP_INDEX / optical::LIGHT_M_PER_S * 1e6;
        let starts = i == 0 || hops[i - 1].lightpath != hop.lightpath;
        if starts {
            // A DSP at each end of a lightpath.
            latency += 2.0 * DSP_LATENCY_MS;
        }
        let ends = hops.get(i + 1).is_none_or(|n| n.lightpath != hop.lightpath);
        if kind == OptionKind::Routed {
            // A router at each end of a lightpath that is a site (none at a
            // regeneration hut, none where the light is expressed).
            let at = |site: &str, here: bool| f64::from(u8::from(here && real(site)));
            latency += ROUTER_LATENCY_MS * (at(&hop.from, starts) + at(&hop.to, ends));
        }
        capacity = capacity.min(hop.wavelengths * hop.line_rate_gbps);
    }
    // `+ 0.0`: an empty sum of f64 is -0.0, which JSON would show as `-0.0`.
    let length = hops.iter().map(|h| h.length_km).sum::<f64>() + 0.0;
    PathDesign {
        capacity_gbps: if capacity == u64::MAX { 0 } else { capacity },
        lightpaths: lightpaths(ctx, &hops),
        hops,
        length_km: length,
        latency_ms: (latency * 1e4).round() / 1e4,
    }
}

/// The hops of a path as lightpaths.
pub(super) fn lightpaths(ctx: &Ctx<'_>, hops: &[Hop]) -> Vec<Lightpath> {
    let real = |x: &str| ctx.scenario.sites.iter().any(|s| s.name == x);
    let (first, last) = match (hops.first(), hops.last()) {
        (Some(f), Some(l)) => (f.from.clone(), l.to.clone()),
        _ => return Vec::new(),
    };
    let mut out: Vec<Lightpath> = Vec::new();
    for (i, h) in hops.iter().enumerate() {
        if i > 0 && hops[i - 1].lightpath == h.lightpath {
            let lp = out.last_mut().expect("a lightpath is open");
            lp.expressed_at.push(h.from.clone());
            lp.routes.push(h.route.clone());
            lp.to = h.to.clone();
            lp.length_km += h.length_km;
            continue;
        }
        out.push(Lightpath {
            from: h.from.clone(),
            to: h.to.clone(),
            starts_in: "add",
            ends_in: "drop",
            routes: vec![h.route.clone()],
            expressed_at: Vec::new(),
            optic: h.optic.clone(),
            mode: h.mode.clone(),
            wavelengths: h.wavelengths,
            length_km: h.length_km,
            gsnr_db: h.verdict.gsnr_with_tx_db,
            margin_db: h.verdict.margin_db,
        });
    }
    for lp in &mut out {
        lp.length_km = (lp.length_km * 100.0).round() / 100.0 + 0.0;
        if lp.from != first || !real(&lp.from) {
            lp.starts_in = "regeneration";
        }
        if lp.to != last || !real(&lp.to) {
            lp.ends_in = "regeneration";
        }
    }
    out
}

/// The option with its parts and totals: its own equipment, and the line
/// systems, shelves and routers it would need alone (`standalone_line_parts`); the
/// totals are the demand's alone, which is how options are compared.
fn finish(
    ctx: &Ctx<'_>,
    kind: OptionKind,
    demand: &Demand,
    paths_used: &[RoutePath],
    designed: Vec<PathDesign>,
    b: Build,
) -> OptionDesign {
    let Build { own, mut lines, reasons, handoff, routers, .. } = b;
    let mut all = own.clone();
    all.absorb(&lines);
    lines.absorb(&shelves(&all, ctx.catalog));
    all = own.clone();
    all.absorb(&lines);
    let Finished { cost, typ, max, ftyp, fmax, ru, .. } = all.finish(ctx.catalog, ctx.scenario);
    let parts = own.finish(ctx.catalog, ctx.scenario).parts;
    let line_parts = lines.finish(ctx.catalog, ctx.scenario).parts;
    let complete = designed.iter().zip(paths_used).all(|(d, p)| d.hops.len() >= p.len());
    let feasible = reasons.is_empty() && complete && !designed.is_empty();
    let capacity = designed.iter().map(|p| p.capacity_gbps).min().unwrap_or(0);
    let worst = designed
        .iter()
        .flat_map(|p| p.hops.iter())
        .min_by(|a, b| a.verdict.margin_db.total_cmp(&b.verdict.margin_db));
    OptionDesign {
        kind,
        feasible,
        reason: (!reasons.is_empty()).then(|| reasons.join("; ")),
        capacity_gbps: capacity,
        spare_gbps: capacity.saturating_sub(demand.gbps.0),
        latency_ms: designed.first().map_or(0.0, |p| p.latency_ms),
        protect_latency_ms: designed.get(1).map(|p| p.latency_ms),
        gsnr_db: worst.map_or(0.0, |h| h.verdict.gsnr_db),
        margin_db: worst.map_or(0.0, |h| h.verdict.margin_db),
        paths: designed,
        power_typical_w: typ,
        power_max_w: max,
        facility_typical_w: ftyp,
        facility_max_w: fmax,
        rack_units: ru,
        cost,
        marginal_capex: None,
        parts,
        standalone_line_parts: line_parts,
        router_ports: routers,
        handoff,
    }
}

pub(super) fn hand_off(
    site: &str,
    links: u64,
    speed: Gbps,
    cage: FormFactor,
    equipment: &str,
) -> SiteHandOff {
    SiteHandOff {
        site: site.to_string(),
        need: HandOffNeed {
            speed_gbps: speed,
            cage,
            links,
            equipment: equipment.to_string(),
            pluggable: None,
        },
    }
}
