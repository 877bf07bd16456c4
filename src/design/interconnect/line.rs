//! The physics of one line: a route's spans, its amplifiers, and the best
//! mode of an optic on it with each mux of the catalog.

use super::{Ctx, CONNECTOR_LOSS_DB, MAX_SPAN_KM};
use crate::analyse::optical::{self, Fibre, LineParams, SpanInput};
use crate::analyse::reach::{self, Launch, ModeVerdict};
use crate::model::*;
use crate::price;

/// The spans of a route: as given, or the fewest equal spans of at most
/// [`MAX_SPAN_KM`] whose loss (with connectors) an amplifier can make up.
pub(super) fn route_spans(
    ctx: &Ctx<'_>,
    route: &FibreRoute,
    fibre: &Fibre,
) -> Result<Vec<SpanInput>, String> {
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
pub(super) struct Amps<'a> {
    pub(super) booster: &'a Amplifier,
    pub(super) preamp: &'a Amplifier,
    pub(super) inline: Option<&'a Amplifier>,
    pub(super) nf_db: f64,
    pub(super) max_output_dbm: f64,
}

pub(super) fn pick_amp<'a>(ctx: &Ctx<'a>, role: AmplifierRole, gain: f64) -> Option<&'a Amplifier> {
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

pub(super) fn amps<'a>(ctx: &Ctx<'a>, losses: &[f64]) -> Result<Amps<'a>, String> {
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
pub(super) fn route_fibre(route: &FibreRoute) -> Fibre {
    let mut fibre = Fibre::for_standard(route.fibre);
    if let Some(a) = route.attenuation_db_per_km {
        fibre.attenuation_db_per_km = a;
    }
    fibre
}

/// `n` spans cut into `k` contiguous, balanced sections (regeneration at
/// the inline amplifier sites between them).
pub(super) fn section_splits_k(n: usize, k: usize) -> Vec<(usize, usize)> {
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
pub(super) struct LineChoice<'a> {
    pub(super) verdict: ModeVerdict,
    pub(super) mux: &'a MuxDemux,
    pub(super) waves: u64,
    pub(super) pairs: u64,
    pub(super) amps: Amps<'a>,
    pub(super) spans: Vec<SpanInput>,
    /// The chosen mode's verdict through every mux of the catalog that
    /// carries it feasibly (by mux index): the network may light the line
    /// with any of them.
    pub(super) on_muxes: Vec<(usize, ModeVerdict)>,
}

/// The amplifiers a run of spans needs, and its line parameters.
pub(super) fn line_amps<'a>(
    ctx: &Ctx<'a>,
    fibre: &Fibre,
    spans: &[SpanInput],
) -> Result<(Amps<'a>, LineParams), String> {
    let line0 = LineParams { nf_db: 5.0, connector_loss_db: CONNECTOR_LOSS_DB };
    let losses: Vec<f64> = spans.iter().map(|s| optical::span_loss_db(fibre, &line0, s)).collect();
    let amps = amps(ctx, &losses)?;
    let line = LineParams { nf_db: amps.nf_db, ..line0 };
    Ok((amps, line))
}

/// The best mode of an optic on a route with the catalog's mux plans:
/// fastest feasible, then the mux that lights it with the fewest pairs.
/// Each mode is judged with the comb the mux carries it in (a flexible
/// grid packs as many as its slots allow).
pub(super) fn best_mode<'a>(
    ctx: &Ctx<'a>,
    optic: &'a CoherentOptic,
    fibre: &Fibre,
    spans: &[SpanInput],
    demand_gbps: u64,
) -> Result<LineChoice<'a>, String> {
    let fibre = *fibre;
    let spans = spans.to_vec();
    let (amps, line) = line_amps(ctx, &fibre, &spans)?;
    let (verdict, mi, waves, pairs, on_muxes) =
        fastest_on_muxes(ctx, optic, demand_gbps, "", |mode, channels| {
            let per_channel_max = amps.max_output_dbm - optical::lin_to_db(f64::from(channels));
            reach::judge_mode(
                optic,
                mode,
                &fibre,
                &line,
                &spans,
                Launch::Optimum { max_per_channel_dbm: per_channel_max },
                Some(channels),
                reach::DEFAULT_PLANNING_MARGIN_DB,
            )
        })?;
    Ok(LineChoice { verdict, mux: &ctx.catalog.mux_demux[mi], waves, pairs, amps, spans, on_muxes })
}

/// The fastest feasible mode of an optic through the catalog's muxes (each
/// mode judged by `judge` with the comb the mux carries it in), then the
/// mux that lights it with the fewest pairs: the verdict, the mux's index,
/// wavelengths, pairs, and the chosen mode's verdict through every mux
/// that carries it feasibly. `what` follows the optic in the reason.
#[allow(clippy::type_complexity)]
fn fastest_on_muxes(
    ctx: &Ctx<'_>,
    optic: &CoherentOptic,
    demand_gbps: u64,
    what: &str,
    mut judge: impl FnMut(&CoherentMode, u32) -> ModeVerdict,
) -> Result<(ModeVerdict, usize, u64, u64, Vec<(usize, ModeVerdict)>), String> {
    let mut best: Option<(ModeVerdict, usize, u64, u64)> = None;
    let mut feasible: Vec<(usize, ModeVerdict)> = Vec::new();
    let mut last_reason = format!("{} has no mode that fits a mux of the catalog", optic.id);
    // Modes fastest first (then by name), as `reach::judge_all` orders them.
    let mut modes: Vec<&CoherentMode> = optic.modes.iter().collect();
    modes.sort_by(|a, b| b.line_rate_gbps.cmp(&a.line_rate_gbps).then(a.name.cmp(&b.name)));
    for (mi, mux) in ctx.catalog.mux_demux.iter().enumerate() {
        for &mode in &modes {
            let Some(channels) = mux.wavelengths_for(mode.min_spacing_ghz.0).filter(|c| *c > 0) else {
                continue;
            };
            let v = judge(mode, channels);
            if !v.feasible {
                last_reason =
                    format!("{} {}{what}: {}", optic.id, v.mode, v.reason.clone().unwrap_or_default());
                continue;
            }
            let waves = demand_gbps.div_ceil(v.line_rate_gbps.max(1));
            let pairs = waves.div_ceil(u64::from(channels));
            let key = (std::cmp::Reverse(v.line_rate_gbps), pairs);
            let better =
                best.as_ref().is_none_or(|(b, _, _, bp)| key < (std::cmp::Reverse(b.line_rate_gbps), *bp));
            feasible.push((mi, v.clone()));
            if better {
                best = Some((v, mi, waves, pairs));
            }
        }
    }
    let (verdict, mi, waves, pairs) = best.ok_or(last_reason)?;
    let on_muxes = feasible.into_iter().filter(|(_, v)| v.mode == verdict.mode).collect();
    Ok((verdict, mi, waves, pairs, on_muxes))
}

/// One line of an expressed wavelength, in path order: the route's fibre
/// and spans.
pub(super) struct ExpressLeg<'a> {
    pub(super) fibre: Fibre,
    pub(super) spans: &'a [SpanInput],
}

/// The line an expressed wavelength gets: its best mode end to end through
/// `roadm` at every site between the legs, with the catalog's mux plans
/// (one plan on every leg: the wavelength keeps its frequency), and each
/// leg's amplifiers.
pub(super) struct ExpressChoice<'a> {
    pub(super) verdict: ModeVerdict,
    pub(super) mux: &'a MuxDemux,
    pub(super) waves: u64,
    pub(super) pairs: u64,
    /// Per leg: its amplifiers.
    pub(super) amps: Vec<Amps<'a>>,
    pub(super) on_muxes: Vec<(usize, ModeVerdict)>,
}

/// [`best_mode`] for a wavelength expressed through ROADMs of model
/// `roadm` between the legs: fastest feasible mode, then fewest pairs.
pub(super) fn best_mode_express<'a>(
    ctx: &Ctx<'a>,
    optic: &'a CoherentOptic,
    legs: &[ExpressLeg<'_>],
    roadm: &RoadmDegree,
    demand_gbps: u64,
) -> Result<ExpressChoice<'a>, String> {
    let mut lines = Vec::with_capacity(legs.len());
    for leg in legs {
        lines.push(line_amps(ctx, &leg.fibre, leg.spans)?);
    }
    let passes: Vec<reach::ExpressPass> = lines[1..]
        .iter()
        .map(|(amps, _)| reach::ExpressPass {
            loss_db: roadm.express_loss_db.0,
            booster_nf_db: amps.booster.noise_figure_db.0,
            filtering_penalty_db: roadm.filtering_penalty_db.0,
        })
        .collect();
    let (verdict, mi, waves, pairs, on_muxes) =
        fastest_on_muxes(ctx, optic, demand_gbps, " expressed", |mode, channels| {
            let per_channel = optical::lin_to_db(f64::from(channels));
            let express: Vec<reach::ExpressLine<'_>> = legs
                .iter()
                .zip(&lines)
                .map(|(leg, (amps, line))| reach::ExpressLine {
                    fibre: &leg.fibre,
                    line,
                    spans: leg.spans,
                    launch: Launch::Optimum { max_per_channel_dbm: amps.max_output_dbm - per_channel },
                })
                .collect();
            reach::judge_express(
                optic,
                mode,
                &express,
                Some(channels),
                &passes,
                reach::DEFAULT_PLANNING_MARGIN_DB,
            )
        })?;
    let amps = lines.into_iter().map(|(a, _)| a).collect();
    Ok(ExpressChoice { verdict, mux: &ctx.catalog.mux_demux[mi], waves, pairs, amps, on_muxes })
}
