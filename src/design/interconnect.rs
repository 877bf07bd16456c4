//! Data-center interconnect: for every demand, an optical option (a DWDM
//! line system with transponders) and a routed option (FP4-class routers at
//! each end, coherent pluggables in their ports where the line allows, grey
//! optics into transponders where it does not), each designed end to end on
//! the physical link model and priced, so the two can be compared honestly.
//!
//! Both options ride the same line system on a route: a mux/demux per fibre
//! pair at each end, a booster and a preamplifier per pair at each end, and
//! two inline amplifiers (one per direction) per pair at each inline site.
//! A demand with `protection: diverse` gets two route-disjoint paths, each
//! able to carry all of it, ending on different routers (routed option): it
//! survives the loss of any one route or router.

use super::media::fits;
use super::routes::{RouteGraph, RoutePath};
use super::{HandOffNeed, Infeasible};
use crate::analyse::optical::{self, Fibre, LineParams, SpanInput};
use crate::analyse::reach::{self, Launch, ModeVerdict};
use crate::model::*;
use crate::money::Money;
use crate::price;
use crate::units::{Gbps, Watts};
use serde::Serialize;
use std::collections::BTreeMap;

/// Connector and splice allowance per span when the route gives no measured loss.
pub const CONNECTOR_LOSS_DB: f64 = 1.0;
/// Latency of one coherent DSP with FEC, each end (estimate: tens of µs for
/// soft-decision FEC; 10 µs taken).
pub const DSP_LATENCY_MS: f64 = 0.01;
/// Latency of one router traversal (estimate: 20 µs for a deep-buffer
/// FP4-class router at low load).
pub const ROUTER_LATENCY_MS: f64 = 0.02;
/// Longest span when a route gives no spans: amplifier huts are usually
/// 80–100 km apart (GNPy's automatic design splits fibres at 150 km).
pub const MAX_SPAN_KM: f64 = 100.0;

/// The two ways of carrying a demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OptionKind {
    Optical,
    Routed,
}

impl OptionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OptionKind::Optical => "optical",
            OptionKind::Routed => "routed",
        }
    }
}

/// A quantity of one catalog item at one place, and why it is there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartCount {
    pub item: String,
    pub site: String,
    pub quantity: u64,
    pub why: String,
}

/// One route of a path, with its line system and the wavelengths on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hop {
    pub route: String,
    pub from: String,
    pub to: String,
    pub length_km: f64,
    pub spans: usize,
    pub inline_sites: usize,
    /// Index of the hop's first span on its route (regenerated sections start later).
    pub first_span: usize,
    pub optic: String,
    pub mode: String,
    pub line_rate_gbps: u64,
    pub wavelengths: u64,
    pub fibre_pairs: u64,
    /// Channels left free on the lit pairs, for growth.
    pub spare_channels: u64,
    pub verdict: ModeVerdict,
}

/// A path of hops carrying a demand (or, for a protected demand, one of its two copies).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathDesign {
    pub hops: Vec<Hop>,
    pub length_km: f64,
    pub latency_ms: f64,
    pub capacity_gbps: u64,
}

/// One option for one demand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionDesign {
    pub kind: OptionKind,
    pub feasible: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub paths: Vec<PathDesign>,
    /// Capacity that survives any single failure the protection covers (the
    /// weakest path for a protected demand).
    pub capacity_gbps: u64,
    pub spare_gbps: u64,
    pub power_typical_w: Watts,
    pub power_max_w: Watts,
    /// At the meter: each part through its site's PUE (amplifier huts at 1).
    pub facility_typical_w: Watts,
    pub facility_max_w: Watts,
    pub rack_units: f64,
    pub latency_ms: f64,
    /// Worst hop's line GSNR and margin.
    pub gsnr_db: f64,
    pub margin_db: f64,
    pub cost: Money,
    pub parts: Vec<PartCount>,
    /// Links the option needs from each site's fabric (its terminals'
    /// client ports or its routers' fabric-facing ports). The fabric
    /// reserves, cables and prices them (`sites[].fabric.handoff`); `cost`
    /// and `parts` leave them out.
    pub handoff: Vec<SiteHandOff>,
}

/// Hand-off links one option needs at one site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteHandOff {
    pub site: String,
    #[serde(flatten)]
    pub need: HandOffNeed,
}

/// What each site's fabric must hand off to the chosen interconnect
/// options, merged per speed, cage and equipment, sorted.
pub fn handoff_needs(demands: &[DemandDesign]) -> BTreeMap<String, Vec<HandOffNeed>> {
    let mut merged: BTreeMap<String, BTreeMap<(Gbps, FormFactor, String), u64>> = BTreeMap::new();
    for d in demands {
        let Some(option) = d.chosen.and_then(|k| d.options.iter().find(|o| o.kind == k)) else { continue };
        for h in &option.handoff {
            let key = (h.need.speed_gbps, h.need.cage, h.need.equipment.clone());
            *merged.entry(h.site.clone()).or_default().entry(key).or_default() += h.need.links;
        }
    }
    merged
        .into_iter()
        .map(|(site, m)| {
            let needs = m
                .into_iter()
                .map(|((speed_gbps, cage, equipment), links)| HandOffNeed {
                    speed_gbps,
                    cage,
                    links,
                    equipment,
                })
                .collect();
            (site, needs)
        })
        .collect()
}

/// The interconnect for one demand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemandDesign {
    pub between: [String; 2],
    pub demand_gbps: Gbps,
    pub protection: Protection,
    pub options: Vec<OptionDesign>,
    pub chosen: Option<OptionKind>,
    pub why: String,
}

struct Ctx<'a> {
    catalog: &'a Catalog,
    scenario: &'a Scenario,
    rank_power: bool,
}

/// The spans of a route: as given, or the fewest equal spans of at most
/// [`MAX_SPAN_KM`] whose loss (with connectors) an amplifier can make up.
fn route_spans(ctx: &Ctx<'_>, route: &FibreRoute, fibre: &Fibre) -> Result<Vec<SpanInput>, String> {
    if !route.spans.is_empty() {
        return Ok(route
            .spans
            .iter()
            .map(|s| SpanInput { length_km: s.length_km.0, loss_db: s.loss_db.map(|l| l.0) })
            .collect());
    }
    let max_gain = ctx
        .catalog
        .amplifiers
        .iter()
        .filter(|a| a.roles.contains(&AmplifierRole::Inline) || a.roles.contains(&AmplifierRole::Preamp))
        .map(|a| a.gain_db.max.0)
        .fold(0.0, f64::max);
    if max_gain <= 0.0 {
        return Err("the catalog has no inline amplifier or preamplifier".into());
    }
    let budget = max_gain - CONNECTOR_LOSS_DB;
    if budget <= 0.0 {
        return Err("no amplifier has gain for even a short span".into());
    }
    let fibre_loss = fibre.attenuation_db_per_km * route.length_km.0;
    let by_loss = (fibre_loss / budget).ceil();
    let by_length = (route.length_km.0 / MAX_SPAN_KM).ceil();
    let n = by_loss.max(by_length).max(1.0) as usize;
    Ok(vec![SpanInput { length_km: route.length_km.0 / n as f64, loss_db: None }; n])
}

/// Amplifiers for a line: the cheapest (or leanest) booster, preamp and
/// inline units whose gain range covers the losses, and the worst NF.
struct Amps<'a> {
    booster: &'a Amplifier,
    preamp: &'a Amplifier,
    inline: Option<&'a Amplifier>,
    nf_db: f64,
    max_output_dbm: f64,
}

fn pick_amp<'a>(ctx: &Ctx<'a>, role: AmplifierRole, gain: f64) -> Option<&'a Amplifier> {
    let mut v: Vec<&Amplifier> = ctx
        .catalog
        .amplifiers
        .iter()
        .filter(|a| a.roles.contains(&role) && a.gain_db.max.0 >= gain)
        .collect();
    v.sort_by(|a, b| {
        let pa = price::unit_net(ctx.catalog, *a);
        let pb = price::unit_net(ctx.catalog, *b);
        let by = if ctx.rank_power {
            a.power_w.typical.0.total_cmp(&b.power_w.typical.0).then(pa.cmp(&pb))
        } else {
            pa.cmp(&pb)
        };
        // An amplifier whose gain range covers the loss comes first; one that
        // cannot go that low needs a pad (an attenuator ahead of it) instead.
        let pads = |x: &Amplifier| x.gain_db.min.0 > gain;
        pads(a)
            .cmp(&pads(b))
            .then(by)
            .then(a.noise_figure_db.0.total_cmp(&b.noise_figure_db.0))
            .then(a.id.cmp(&b.id))
    });
    v.into_iter().next()
}

fn amps<'a>(ctx: &Ctx<'a>, losses: &[f64]) -> Result<Amps<'a>, String> {
    let worst_inline = losses[..losses.len() - 1].iter().copied().fold(0.0, f64::max);
    let last = *losses.last().unwrap_or(&0.0);
    let booster = pick_amp(ctx, AmplifierRole::Booster, 0.0).ok_or("the catalog has no booster amplifier")?;
    let preamp = pick_amp(ctx, AmplifierRole::Preamp, last)
        .ok_or_else(|| format!("no preamplifier makes up the last span's {last:.1} dB"))?;
    let inline = if losses.len() > 1 {
        Some(pick_amp(ctx, AmplifierRole::Inline, worst_inline).ok_or_else(|| {
            format!("no inline amplifier makes up a {worst_inline:.1} dB span (add an amplifier site or a higher-gain card)")
        })?)
    } else {
        None
    };
    let nf = [Some(preamp), inline].into_iter().flatten().map(|a| a.noise_figure_db.0).fold(0.0, f64::max);
    let max_out = [Some(booster), Some(preamp), inline]
        .into_iter()
        .flatten()
        .map(|a| a.max_output_dbm.0)
        .fold(f64::MAX, f64::min);
    Ok(Amps { booster, preamp, inline, nf_db: nf, max_output_dbm: max_out })
}

/// The fibre of a route: its standard's defaults, with the route's override.
fn route_fibre(route: &FibreRoute) -> Fibre {
    let mut fibre = Fibre::for_standard(route.fibre);
    if let Some(a) = route.attenuation_db_per_km {
        fibre.attenuation_db_per_km = a;
    }
    fibre
}

/// `n` spans cut into `k` contiguous, balanced sections (regeneration at
/// the inline amplifier sites between them).
fn section_splits_k(n: usize, k: usize) -> Vec<(usize, usize)> {
    let k = k.clamp(1, n.max(1));
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..k {
        let len = n / k + usize::from(i < n % k);
        out.push((start, start + len));
        start += len;
    }
    out
}

/// The line a route gets for one optic: its best mode, mux, wavelengths,
/// fibre pairs, amplifiers and spans.
struct LineChoice<'a> {
    verdict: ModeVerdict,
    mux: &'a MuxDemux,
    waves: u64,
    pairs: u64,
    amps: Amps<'a>,
    spans: Vec<SpanInput>,
}

/// The best mode of an optic on a route with the catalog's mux plans:
/// fastest feasible, then the mux that lights it with the fewest pairs.
fn best_mode<'a>(
    ctx: &Ctx<'a>,
    optic: &'a CoherentOptic,
    fibre: &Fibre,
    spans: &[SpanInput],
    demand_gbps: u64,
) -> Result<LineChoice<'a>, String> {
    let fibre = *fibre;
    let spans = spans.to_vec();
    let line0 = LineParams { nf_db: 5.0, connector_loss_db: CONNECTOR_LOSS_DB };
    let losses: Vec<f64> = spans.iter().map(|s| optical::span_loss_db(&fibre, &line0, s)).collect();
    let amps = amps(ctx, &losses)?;
    let line = LineParams { nf_db: amps.nf_db, ..line0 };
    let mut best: Option<(ModeVerdict, &MuxDemux, u64, u64)> = None;
    let mut last_reason = format!("{} has no mode that fits a mux of the catalog", optic.id);
    for mux in &ctx.catalog.mux_demux {
        let channels = mux.channels;
        let per_channel_max = amps.max_output_dbm - optical::lin_to_db(f64::from(channels));
        for v in reach::judge_all(
            optic,
            &fibre,
            &line,
            &spans,
            Launch::Optimum { max_per_channel_dbm: per_channel_max },
            Some(channels),
            reach::DEFAULT_PLANNING_MARGIN_DB,
        ) {
            let mode = optic.modes.iter().find(|m| m.name == v.mode).expect("verdict of a mode");
            if mode.min_spacing_ghz.0 > mux.spacing_ghz.0 {
                continue;
            }
            if !v.feasible {
                last_reason = format!("{} {}: {}", optic.id, v.mode, v.reason.clone().unwrap_or_default());
                continue;
            }
            let waves = demand_gbps.div_ceil(v.line_rate_gbps.max(1));
            let pairs = waves.div_ceil(u64::from(channels));
            let key = (std::cmp::Reverse(v.line_rate_gbps), pairs);
            let better = match &best {
                None => true,
                Some((b, _, _, bp)) => key < (std::cmp::Reverse(b.line_rate_gbps), *bp),
            };
            if better {
                best = Some((v, mux, waves, pairs));
            }
        }
    }
    let (verdict, mux, waves, pairs) = best.ok_or(last_reason)?;
    Ok(LineChoice { verdict, mux, waves, pairs, amps, spans })
}

/// An option's parts with their totals.
struct Finished {
    parts: Vec<PartCount>,
    cost: Money,
    typ: Watts,
    max: Watts,
    ftyp: Watts,
    fmax: Watts,
    ru: f64,
}

/// Accumulates parts, power, space and cost of an option.
#[derive(Default)]
struct Tally {
    parts: BTreeMap<(String, String, String), u64>,
}

impl Tally {
    fn add(&mut self, item: &str, site: &str, quantity: u64, why: &str) {
        if quantity > 0 {
            *self.parts.entry((site.to_string(), item.to_string(), why.to_string())).or_default() += quantity;
        }
    }

    fn finish(self, catalog: &Catalog, scenario: &Scenario) -> Finished {
        let mut cost = rust_decimal::Decimal::ZERO;
        let (mut typ, mut max, mut ftyp, mut fmax, mut ru) = (0.0, 0.0, 0.0, 0.0, 0.0);
        let mut parts = Vec::new();
        for ((site, item, why), q) in self.parts {
            if let Some(i) = catalog.item(&item) {
                let pue = scenario.sites.iter().find(|s| s.name == site).map_or(1.0, |s| s.pue);
                cost += price::unit_net(catalog, i).amount() * rust_decimal::Decimal::from(q);
                typ += i.power().typical.0 * q as f64;
                max += i.power().max.0 * q as f64;
                ftyp += i.power().typical.0 * q as f64 * pue;
                fmax += i.power().max.0 * q as f64 * pue;
                ru += catalog.rack_units_of(&item) * q as f64;
            }
            parts.push(PartCount { item, site, quantity: q, why });
        }
        let r1 = |x: f64| Watts((x * 10.0).round() / 10.0);
        Finished {
            parts,
            cost: Money(cost.round_dp(2)),
            typ: r1(typ),
            max: r1(max),
            ftyp: r1(ftyp),
            fmax: r1(fmax),
            ru,
        }
    }
}

/// Name of the k-th inline amplifier site of a route (site names and route
/// ids cannot contain `/`, so this never collides with a site).
pub fn inline_site(route: &str, k: usize) -> String {
    format!("{route}/ila{k}")
}

/// Adds the line system of one hop (both ends and the inline sites).
fn line_system(t: &mut Tally, hop: &Hop, mux: &MuxDemux, amps: &Amps<'_>, route: &FibreRoute) {
    let pairs = hop.fibre_pairs;
    for site in [&hop.from, &hop.to] {
        t.add(&mux.id, site, pairs, &format!("mux/demux, route {}", route.id));
        t.add(&amps.booster.id, site, pairs, &format!("booster, route {}", route.id));
        t.add(&amps.preamp.id, site, pairs, &format!("preamplifier, route {}", route.id));
    }
    if let Some(inline) = amps.inline {
        for k in 1..=hop.inline_sites {
            let site = inline_site(&route.id, hop.first_span + k);
            t.add(
                &inline.id,
                &site,
                2 * pairs,
                &format!("inline amplifiers (both directions), route {}", route.id),
            );
        }
    }
}

/// Shelves for the cards counted so far, per site.
fn shelves(t: &mut Tally, catalog: &Catalog) {
    let mut slots: BTreeMap<(String, String), u64> = BTreeMap::new();
    for ((site, item, _), q) in &t.parts {
        let shelf =
            catalog.amplifiers.iter().find(|a| &a.id == item).and_then(|a| a.shelf.clone()).or_else(|| {
                catalog.coherent_optics.iter().find(|o| &o.id == item).and_then(|o| o.shelf.clone())
            });
        if let Some(shelf) = shelf {
            *slots.entry((site.clone(), shelf)).or_default() += q;
        }
    }
    for ((site, shelf), used) in slots {
        if let Some(s) = catalog.shelves.iter().find(|s| s.id == shelf) {
            t.add(&shelf, &site, used.div_ceil(u64::from(s.slots.max(1))), "shelf for the line cards");
        }
    }
}

/// A grey optic for a client or hand-off link of `speed` into a `cage`, over `distance_m`.
fn grey_optic(catalog: &Catalog, cage: FormFactor, speed: Gbps, distance_m: f64) -> Option<&GreyOptic> {
    let mut v: Vec<&GreyOptic> = catalog
        .grey_optics
        .iter()
        .filter(|o| {
            fits(o.form_factor, cage)
                && o.speed_gbps == speed
                && o.breakout.is_none()
                && o.reach_m.0 >= distance_m
        })
        .collect();
    v.sort_by(|a, b| price::unit_net(catalog, *a).cmp(&price::unit_net(catalog, *b)).then(a.id.cmp(&b.id)));
    v.into_iter().next()
}

/// A patch cord for a grey optic over a distance.
fn patch_for<'a>(catalog: &'a Catalog, optic: &GreyOptic, distance_m: f64) -> Option<&'a Cable> {
    catalog
        .cables
        .iter()
        .filter(|c| {
            c.kind == CableKind::FibrePatch && c.fibre == Some(optic.fibre) && c.connector == optic.connector
        })
        .filter(|c| c.reach_m.0 >= distance_m && c.length_options_m.iter().any(|l| l.0 >= distance_m))
        .min_by(|a, b| price::unit_net(catalog, *a).cmp(&price::unit_net(catalog, *b)).then(a.id.cmp(&b.id)))
}

/// Fibre for `links` hand-off links of a grey optic over `distance_m`: a
/// patch cord per link when one reaches, else a structured run (a short cord
/// at each end and a share of a trunk).
fn hand_off_fibre(
    t: &mut Tally,
    catalog: &Catalog,
    optic: &GreyOptic,
    distance_m: f64,
    site: &str,
    links: u64,
    why: &str,
) -> Result<(), String> {
    if let Some(p) = patch_for(catalog, optic, distance_m) {
        t.add(&p.id, site, links, why);
        return Ok(());
    }
    let cord = patch_for(catalog, optic, 3.0);
    let trunk = catalog
        .cables
        .iter()
        .filter(|c| {
            c.kind == CableKind::FibreTrunk && c.fibre == Some(optic.fibre) && c.reach_m.0 >= distance_m
        })
        .filter(|c| c.length_options_m.iter().any(|l| l.0 >= distance_m))
        .min_by(|a, b| price::unit_net(catalog, *a).cmp(&price::unit_net(catalog, *b)).then(a.id.cmp(&b.id)));
    match (cord, trunk) {
        (Some(c), Some(tr)) => {
            t.add(&c.id, site, 2 * links, why);
            let per_trunk = (u64::from(tr.fibres.unwrap_or(2)) / 2).max(1);
            t.add(&tr.id, site, links.div_ceil(per_trunk), why);
            Ok(())
        }
        _ => Err(format!(
            "no fibre in the catalog runs {} m for {} hand-off links ({})",
            distance_m, optic.id, site
        )),
    }
}

/// A router: chassis and line cards able to hold `ports` ports of `speed`
/// (line-rate ports per card capped by its forwarding and slot capacity).
struct RouterBuild<'a> {
    chassis: &'a RouterChassis,
    card: &'a LineCard,
    cards: u64,
    chassis_count: u64,
    cage: FormFactor,
}

fn router_for<'a>(
    ctx: &Ctx<'a>,
    ports: u64,
    speed: Gbps,
    cage_for: Option<FormFactor>,
) -> Result<RouterBuild<'a>, String> {
    let mut best: Option<(i128, RouterBuild<'a>)> = None;
    for card in &ctx.catalog.line_cards {
        let Some(group) = card.ports.iter().find(|g| {
            !g.management && g.speed_gbps == speed && cage_for.is_none_or(|f| fits(f, g.form_factor))
        }) else {
            continue;
        };
        for chassis in ctx.catalog.router_chassis.iter().filter(|c| card.compatible_chassis.contains(&c.id)) {
            let fwd = card.forwarding_capacity_fd_gbps.0.min(chassis.slot_capacity_fd_gbps.0);
            let usable = u64::from(group.count).min(fwd / speed.0.max(1));
            if usable == 0 {
                continue;
            }
            let cards = ports.div_ceil(usable);
            let chassis_count = cards.div_ceil(u64::from(chassis.slots));
            let cost = price::cents(price::unit_net(ctx.catalog, card)) * i128::from(cards)
                + price::cents(price::unit_net(ctx.catalog, chassis)) * i128::from(chassis_count);
            let power = (card.power_w.typical.0 * cards as f64
                + chassis.power_w.typical.0 * chassis_count as f64) as i128;
            let key = if ctx.rank_power { power * 1_000_000 + cost / 1000 } else { cost };
            if best.as_ref().is_none_or(|(k, _)| key < *k) {
                best =
                    Some((key, RouterBuild { chassis, card, cards, chassis_count, cage: group.form_factor }));
            }
        }
    }
    best.map(|(_, b)| b)
        .ok_or_else(|| format!("no router line card in the catalog has {speed} ports for the coherent optic"))
}

/// Designs one option for one demand over the given paths.
fn design_option(
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

fn hand_off(site: &str, links: u64, speed: Gbps, cage: FormFactor, equipment: &str) -> SiteHandOff {
    SiteHandOff {
        site: site.to_string(),
        need: HandOffNeed { speed_gbps: speed, cage, links, equipment: equipment.to_string() },
    }
}

fn add_router(t: &mut Tally, r: &RouterBuild<'_>, site: &str, copy: &str) {
    t.add(&r.chassis.id, site, r.chassis_count, &format!("router chassis{copy}"));
    t.add(&r.card.id, site, r.cards, &format!("router line cards{copy}"));
}

/// Designs both options for every demand of the scenario.
pub fn design(catalog: &Catalog, scenario: &Scenario) -> Result<Vec<DemandDesign>, Infeasible> {
    let ctx = Ctx { catalog, scenario, rank_power: scenario.objective == Objective::Power };
    let mut out = Vec::new();
    // Fibre pairs taken on each route by the demands already designed (in
    // scenario order): a route's pairs are shared, never counted twice.
    let mut used_pairs: BTreeMap<usize, u64> = BTreeMap::new();
    let routes = RouteGraph::new(scenario);
    for demand in &scenario.demands {
        let [a, b] = &demand.between;
        let chosen_paths: Result<Vec<RoutePath>, String> = match demand.protection {
            Protection::None => routes
                .best(a, b)
                .and_then(|p| p.map(|p| vec![p]).ok_or_else(|| format!("no fibre route joins {a} and {b}"))),
            Protection::Diverse => routes.disjoint_pair(a, b),
        };
        let options = match &chosen_paths {
            Ok(p) => vec![
                design_option(&ctx, OptionKind::Optical, demand, p, &used_pairs),
                design_option(&ctx, OptionKind::Routed, demand, p, &used_pairs),
            ],
            Err(reason) => [OptionKind::Optical, OptionKind::Routed]
                .into_iter()
                .map(|kind| OptionDesign {
                    kind,
                    feasible: false,
                    reason: Some(reason.clone()),
                    paths: Vec::new(),
                    capacity_gbps: 0,
                    spare_gbps: 0,
                    power_typical_w: Watts(0.0),
                    power_max_w: Watts(0.0),
                    facility_typical_w: Watts(0.0),
                    facility_max_w: Watts(0.0),
                    rack_units: 0.0,
                    latency_ms: 0.0,
                    gsnr_db: 0.0,
                    margin_db: 0.0,
                    cost: Money::ZERO,
                    parts: Vec::new(),
                    handoff: Vec::new(),
                })
                .collect(),
        };
        let feasible: Vec<&OptionDesign> = options.iter().filter(|o| o.feasible).collect();
        let pick = feasible.iter().min_by(|x, y| {
            if ctx.rank_power {
                x.power_typical_w.0.total_cmp(&y.power_typical_w.0).then(x.cost.cmp(&y.cost))
            } else {
                x.cost.cmp(&y.cost).then(x.power_typical_w.0.total_cmp(&y.power_typical_w.0))
            }
        });
        let why = match (pick, feasible.len()) {
            (None, _) => format!(
                "no option can carry it: {}",
                options
                    .iter()
                    .filter_map(|o| o.reason.as_ref().map(|r| format!("{}: {r}", o.kind.as_str())))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            (Some(p), 1) => format!("only the {} option is feasible", p.kind.as_str()),
            (Some(p), _) => {
                let other = feasible.iter().find(|o| o.kind != p.kind).expect("two feasible");
                if ctx.rank_power {
                    format!(
                        "{} draws {:.0} W less ({:.0} W vs {:.0} W typical)",
                        p.kind.as_str(),
                        other.power_typical_w.0 - p.power_typical_w.0,
                        p.power_typical_w.0,
                        other.power_typical_w.0
                    )
                } else {
                    format!(
                        "{} costs {} less ({} vs {})",
                        p.kind.as_str(),
                        Money((other.cost.amount() - p.cost.amount()).round_dp(2)),
                        p.cost,
                        other.cost
                    )
                }
            }
        };
        if let Some(p) = pick {
            // Sections of one route run one after the other: the route gives the most any of them takes.
            let mut taken: BTreeMap<usize, u64> = BTreeMap::new();
            for hop in p.paths.iter().flat_map(|path| path.hops.iter()) {
                if let Some(ri) = scenario.fibre_routes.iter().position(|r| r.id == hop.route) {
                    let e = taken.entry(ri).or_default();
                    *e = (*e).max(hop.fibre_pairs);
                }
            }
            for (ri, pairs) in taken {
                *used_pairs.entry(ri).or_default() += pairs;
            }
        }
        out.push(DemandDesign {
            between: demand.between.clone(),
            demand_gbps: demand.gbps,
            protection: demand.protection,
            chosen: pick.map(|p| p.kind),
            why,
            options,
        });
    }
    Ok(out)
}
