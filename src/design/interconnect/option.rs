//! One option (optical or routed) for one demand over its paths.

use super::client::{grey_optic, hand_off_fibre, patch_for};
use super::line::{best_mode, route_fibre, route_spans, section_splits_k, LineChoice};
use super::router::{add_router, router_for};
use super::tally::{line_system, shelves, Finished, Tally};
use super::*;
use crate::analyse::optical::{self, SpanInput};
use crate::design::media::fits;
use crate::design::routes::RoutePath;
use crate::price;

/// Designs one option for one demand over the given paths.
pub(super) fn design_option(
    ctx: &Ctx<'_>,
    kind: OptionKind,
    demand: &Demand,
    paths_used: &[RoutePath],
    used_pairs: &BTreeMap<usize, u64>,
) -> OptionDesign {
    let mut t = Tally::default();
    let mut designed = Vec::new();
    let mut reasons = Vec::new();
    let mut handoff: Vec<SiteHandOff> = Vec::new();
    let hall_m = |site: &str| -> f64 {
        ctx.scenario.sites.iter().find(|s| s.name == site).map_or(300.0, |s| s.layout.across_hall_m.0)
    };
    for (path_no, path) in paths_used.iter().enumerate() {
        let mut hops = Vec::new();
        let mut latency = 0.0;
        let mut capacity = u64::MAX;
        for &(ri, rev) in path {
            let route = &ctx.scenario.fibre_routes[ri];
            let (from, to) = if rev {
                (&route.between[1], &route.between[0])
            } else {
                (&route.between[0], &route.between[1])
            };
            // Candidate coherent optics: transponders for the optical layer,
            // pluggables for router ports (falling back to grey router ports into transponders).
            let candidates: Vec<&CoherentOptic> = ctx
                .catalog
                .coherent_optics
                .iter()
                .filter(|o| match (kind, o.kind) {
                    (_, CoherentKind::Transponder) => true,
                    // A pluggable only counts for the routed option when some router card takes it.
                    (OptionKind::Routed, CoherentKind::Pluggable) => o.form_factor.is_some_and(|f| {
                        ctx.catalog
                            .line_cards
                            .iter()
                            .any(|c| c.ports.iter().any(|g| !g.management && fits(f, g.form_factor)))
                    }),
                    (OptionKind::Optical, CoherentKind::Pluggable) => false,
                })
                .collect();
            if candidates.is_empty() {
                reasons.push(format!(
                    "the catalog has no {} for route {}",
                    if kind == OptionKind::Optical { "transponder" } else { "coherent optic" },
                    route.id
                ));
                break;
            }
            let fibre = route_fibre(route);
            let free_pairs =
                u64::from(route.fibre_pairs).saturating_sub(used_pairs.get(&ri).copied().unwrap_or(0));
            let all_spans = match route_spans(ctx, route, &fibre) {
                Ok(v) => v,
                Err(e) => {
                    reasons.push(format!("route {}: {e}", route.id));
                    break;
                }
            };
            // The best optic and mode over a run of spans; regenerating
            // sections use transponders only.
            let choose = |spans: &[SpanInput], transponders_only: bool| {
                let mut chosen = None;
                let mut why_not = Vec::new();
                let mut ordered: Vec<&CoherentOptic> = candidates
                    .iter()
                    .copied()
                    .filter(|o| !transponders_only || o.kind == CoherentKind::Transponder)
                    .collect();
                ordered.sort_by_key(|o| {
                    (kind == OptionKind::Routed && o.kind == CoherentKind::Transponder, o.id.clone())
                });
                let mut best_key: Option<(bool, std::cmp::Reverse<u64>, u64, i128)> = None;
                for optic in ordered {
                    match best_mode(ctx, optic, &fibre, spans, demand.gbps.0) {
                        Ok(line) if line.pairs > free_pairs => why_not.push(format!(
                            "{} needs {} fibre pairs for {} wavelengths; route {} has {free_pairs} free",
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
            };
            // Whole route first; then regeneration at inline sites: the fewest
            // sections that work (more sections only shorten each one, so a
            // binary search finds it). Amplifier gain is not fixed by regenerating.
            let n = all_spans.len();
            let try_split = |k: usize| -> Result<Vec<_>, String> {
                let split = section_splits_k(n, k);
                split.iter().map(|&(a, b)| choose(&all_spans[a..b], k > 1).map(|c| (a, b, c))).collect()
            };
            let mut sections = None;
            let mut first_failure = String::new();
            match try_split(1) {
                Ok(p) => sections = Some(p),
                Err(e) => {
                    let amplifier_limited = e.contains("amplifier") || e.contains("booster");
                    first_failure = e;
                    if !amplifier_limited
                        && n > 1
                        && candidates.iter().any(|o| o.kind == CoherentKind::Transponder)
                    {
                        let (mut lo, mut hi) = (1, n);
                        let mut best = try_split(n).ok();
                        if best.is_some() {
                            while hi - lo > 1 {
                                let mid = (lo + hi) / 2;
                                match try_split(mid) {
                                    Ok(p) => {
                                        hi = mid;
                                        best = Some(p);
                                    }
                                    Err(_) => lo = mid,
                                }
                            }
                        }
                        sections = best;
                    }
                }
            }
            let Some(mut sections) = sections else {
                let regen_tried = candidates.iter().any(|o| o.kind == CoherentKind::Transponder) && n > 1;
                reasons.push(format!(
                    "route {}: no coherent mode is feasible{} ({first_failure})",
                    route.id,
                    if regen_tried && !first_failure.contains("amplifier") {
                        ", even regenerated at every amplifier site"
                    } else {
                        ""
                    }
                ));
                break;
            };
            if rev {
                sections.reverse();
            }
            let n_sections = sections.len();
            for (section_no, (first, last, (optic, line))) in sections.into_iter().enumerate() {
                let LineChoice { verdict: v, mux, waves, pairs, amps, spans } = line;
                // Section ends in the route's own direction, then turned round for a reversed hop.
                let forward = |span_index: usize| -> String {
                    if span_index == 0 {
                        route.between[0].clone()
                    } else if span_index == all_spans.len() {
                        route.between[1].clone()
                    } else {
                        inline_site(&route.id, span_index)
                    }
                };
                let (sec_from, sec_to) =
                    if rev { (forward(last), forward(first)) } else { (forward(first), forward(last)) };
                let _ = (section_no, n_sections, from, to);
                let hop = Hop {
                    route: route.id.clone(),
                    from: sec_from,
                    to: sec_to,
                    length_km: spans.iter().map(|x| x.length_km).sum(),
                    spans: spans.len(),
                    inline_sites: spans.len().saturating_sub(1),
                    first_span: first,
                    optic: optic.id.clone(),
                    mode: v.mode.clone(),
                    line_rate_gbps: v.line_rate_gbps,
                    wavelengths: waves,
                    fibre_pairs: pairs,
                    spare_channels: pairs * u64::from(mux.channels) - waves,
                    verdict: v,
                };
                line_system(&mut t, &hop, mux, &amps, route);
                let copy =
                    if paths_used.len() > 1 { format!(" (path {})", path_no + 1) } else { String::new() };
                // Terminals at both ends of the hop (back-to-back transponders at a regeneration site).
                for (end_no, site) in [&hop.from, &hop.to].into_iter().enumerate() {
                    let why = format!("{} wavelengths on route {}{copy}", hop.wavelengths, route.id);
                    let endpoint = *site == demand.between[0] || *site == demand.between[1];
                    if !endpoint && optic.kind == CoherentKind::Transponder {
                        // Regeneration or transit: back-to-back transponders, nothing dropped.
                        t.add(&optic.id, site, waves, &format!("regeneration, {why}"));
                        if let Some(g) = optic.client_ports.iter().find(|g| !g.management) {
                            let links = (waves * hop.line_rate_gbps).div_ceil(g.speed_gbps.0.max(1));
                            if let Some(o) = grey_optic(ctx.catalog, g.form_factor, g.speed_gbps, 3.0) {
                                t.add(&o.id, site, links, &format!("back-to-back regeneration optics{copy}"));
                                if end_no == 0 {
                                    if let Some(p) = patch_for(ctx.catalog, o, 3.0) {
                                        t.add(
                                            &p.id,
                                            site,
                                            links,
                                            &format!("back-to-back regeneration fibre{copy}"),
                                        );
                                    }
                                }
                            }
                        }
                        continue;
                    }
                    match (kind, optic.kind) {
                        (_, CoherentKind::Transponder) => {
                            t.add(&optic.id, site, waves, &why);
                            // Client hand-off: grey links from the transponder clients to the
                            // fabric (optical) or to the router, and the router's own links to
                            // the fabric (routed).
                            let client = optic.client_ports.iter().find(|g| !g.management);
                            if let Some(g) = client {
                                let links = (waves * hop.line_rate_gbps).div_ceil(g.speed_gbps.0.max(1));
                                if kind == OptionKind::Routed {
                                    // Router ports: one to each transponder client, one to the fabric.
                                    let dist = hall_m(site);
                                    match grey_optic(ctx.catalog, g.form_factor, g.speed_gbps, dist) {
                                        Some(o) => {
                                            let what = "router to transponder";
                                            t.add(&o.id, site, 2 * links, &format!("{what} optics{copy}"));
                                            if let Err(e) = hand_off_fibre(
                                                &mut t,
                                                ctx.catalog,
                                                o,
                                                dist,
                                                site,
                                                links,
                                                &format!("{what} fibre{copy}"),
                                            ) {
                                                reasons.push(e);
                                            }
                                        }
                                        None => reasons.push(format!(
                                            "no grey optic joins the {} clients of {} over {} m",
                                            g.speed_gbps, optic.id, dist
                                        )),
                                    }
                                    match router_for(ctx, 2 * links, g.speed_gbps, Some(g.form_factor)) {
                                        Ok(r) => {
                                            add_router(&mut t, &r, site, &copy);
                                            handoff.push(hand_off(
                                                site,
                                                links,
                                                g.speed_gbps,
                                                r.cage,
                                                "routers",
                                            ));
                                        }
                                        Err(e) => reasons.push(e),
                                    }
                                } else {
                                    // The clients hand off straight to the fabric.
                                    handoff.push(hand_off(
                                        site,
                                        links,
                                        g.speed_gbps,
                                        g.form_factor,
                                        &format!("{} clients", optic.id),
                                    ));
                                }
                            }
                        }
                        (OptionKind::Routed, CoherentKind::Pluggable) => {
                            t.add(&optic.id, site, waves, &why);
                            // Router: the line ports plus, where traffic drops, as many
                            // fabric-facing ports of the same speed (a transit router has none).
                            let host_speed =
                                Gbps(optic.modes.iter().map(|m| m.line_rate_gbps.0).max().unwrap_or(400));
                            let host = crate::units::ETHERNET_RATES_GBPS
                                .iter()
                                .copied()
                                .find(|r| *r >= host_speed.0)
                                .unwrap_or(400);
                            let host = Gbps(host);
                            let fabric_links =
                                if endpoint { (waves * hop.line_rate_gbps).div_ceil(host.0) } else { 0 };
                            match router_for(ctx, waves + fabric_links, host, optic.form_factor) {
                                Ok(r) => {
                                    add_router(&mut t, &r, site, &copy);
                                    if fabric_links > 0 {
                                        handoff.push(hand_off(site, fabric_links, host, r.cage, "routers"));
                                    }
                                }
                                Err(e) => reasons.push(e),
                            }
                        }
                        // The optical option only considers transponders (filtered above).
                        (OptionKind::Optical, CoherentKind::Pluggable) => {}
                    }
                }
                latency += hop.verdict.length_km * optical::GROUP_INDEX / optical::LIGHT_M_PER_S * 1e6
                    + 2.0 * DSP_LATENCY_MS;
                if kind == OptionKind::Routed {
                    // A router at each end that is a site (none at a regeneration hut).
                    let real = |x: &str| ctx.scenario.sites.iter().any(|s| s.name == x);
                    latency +=
                        ROUTER_LATENCY_MS * f64::from(u8::from(real(&hop.from)) + u8::from(real(&hop.to)));
                }
                capacity = capacity.min(hop.wavelengths * hop.line_rate_gbps);
                hops.push(hop);
            }
        }
        // `+ 0.0`: an empty sum of f64 is -0.0, which JSON would show as `-0.0`.
        let length = hops.iter().map(|h| h.length_km).sum::<f64>() + 0.0;
        designed.push(PathDesign {
            capacity_gbps: if capacity == u64::MAX { 0 } else { capacity },
            hops,
            length_km: length,
            latency_ms: (latency * 1e4).round() / 1e4,
        });
    }
    shelves(&mut t, ctx.catalog);
    let Finished { parts, cost, typ, max, ftyp, fmax, ru } = t.finish(ctx.catalog, ctx.scenario);
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
        latency_ms: designed.iter().map(|p| p.latency_ms).fold(0.0, f64::max),
        gsnr_db: worst.map_or(0.0, |h| h.verdict.gsnr_db),
        margin_db: worst.map_or(0.0, |h| h.verdict.margin_db),
        paths: designed,
        power_typical_w: typ,
        power_max_w: max,
        facility_typical_w: ftyp,
        facility_max_w: fmax,
        rack_units: ru,
        cost,
        parts,
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
        need: HandOffNeed { speed_gbps: speed, cage, links, equipment: equipment.to_string() },
    }
}
