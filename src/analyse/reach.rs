//! Which modes of a coherent optic work on a line: the GSNR margin against
//! each mode's required OSNR (the transmitter's own OSNR included when the
//! catalog gives it), and the mode's stated reach.

use super::optical::{self, Comb, Fibre, LineParams, LinkResult, SpanInput};
use crate::model::{CoherentMode, CoherentOptic};
use serde::Serialize;

/// System margin kept above a mode's required OSNR (GNPy's default
/// `sys_margins` is 2 dB: ageing, repairs, penalties not modelled).
pub const DEFAULT_PLANNING_MARGIN_DB: f64 = 2.0;

/// Width of the C band a line carries (191.3–196.1 THz, the 400ZR grid).
pub const C_BAND_GHZ: f64 = 4800.0;

/// The verdict on one mode of one optic over one line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModeVerdict {
    pub optic: String,
    pub mode: String,
    pub line_rate_gbps: u64,
    pub baud_gbd: f64,
    pub spacing_ghz: f64,
    pub channels: u32,
    pub launch_dbm: f64,
    pub required_osnr_db: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tx_osnr_db: Option<f64>,
    /// Line GSNR, 0.1 nm.
    pub gsnr_db: f64,
    /// Line and transmitter together, 0.1 nm: what the receiver sees.
    pub gsnr_with_tx_db: f64,
    /// `gsnr_with_tx_db − required_osnr_db`.
    pub margin_db: f64,
    pub planning_margin_db: f64,
    pub reach_km: f64,
    pub length_km: f64,
    pub feasible: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// ROADMs the wavelength is expressed through (0 on one line).
    #[serde(skip_serializing_if = "is_zero")]
    pub express_passes: usize,
    /// OSNR penalty of their filtering, included in `required_osnr_db`.
    #[serde(skip_serializing_if = "is_zero_f64")]
    pub filtering_penalty_db: f64,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn is_zero_f64(x: &f64) -> bool {
    *x == 0.0
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Judges one mode from a line's GSNR.
pub fn judge(
    optic: &CoherentOptic,
    mode: &CoherentMode,
    comb: &Comb,
    link: &LinkResult,
    planning_margin_db: f64,
) -> ModeVerdict {
    let with_tx = optical::with_transmitter(link.gsnr_db, optic.tx_osnr_db.map(|d| d.0));
    let margin = with_tx - mode.required_osnr_db.0;
    let mut reasons = Vec::new();
    if link.length_km > mode.reach_km.0 {
        reasons.push(format!(
            "the line is {} km, beyond the {} km this mode is rated for",
            crate::units::trim_float(link.length_km),
            crate::units::trim_float(mode.reach_km.0)
        ));
    }
    if margin < planning_margin_db {
        reasons.push(format!(
            "GSNR {:.1} dB gives a {:.1} dB margin over the {:.1} dB required OSNR, less than the {:.1} dB planning margin",
            with_tx,
            margin,
            mode.required_osnr_db.0,
            planning_margin_db
        ));
    }
    ModeVerdict {
        optic: optic.id.clone(),
        mode: mode.name.clone(),
        line_rate_gbps: mode.line_rate_gbps.0,
        baud_gbd: mode.baud_gbd.0,
        spacing_ghz: comb.spacing_ghz,
        channels: comb.channels,
        launch_dbm: round2(comb.launch_dbm),
        required_osnr_db: mode.required_osnr_db.0,
        tx_osnr_db: optic.tx_osnr_db.map(|d| d.0),
        gsnr_db: round2(link.gsnr_db),
        gsnr_with_tx_db: round2(with_tx),
        margin_db: round2(margin),
        planning_margin_db,
        reach_km: mode.reach_km.0,
        length_km: round2(link.length_km),
        feasible: reasons.is_empty(),
        reason: (!reasons.is_empty()).then(|| reasons.join("; ")),
        express_passes: 0,
        filtering_penalty_db: 0.0,
    }
}

/// How the launch power per channel is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Launch {
    /// A fixed power per channel.
    Dbm(f64),
    /// The GSNR optimum, capped by what the amplifiers can put out per channel.
    Optimum { max_per_channel_dbm: f64 },
}

/// Every mode of an optic over a line, each with its own comb (its symbol
/// rate, its narrowest spacing, the C band full of such channels unless
/// `channels` says otherwise), fastest mode first.
pub fn judge_all(
    optic: &CoherentOptic,
    fibre: &Fibre,
    line: &LineParams,
    spans: &[SpanInput],
    launch: Launch,
    channels: Option<u32>,
    planning_margin_db: f64,
) -> Vec<ModeVerdict> {
    let mut modes: Vec<&CoherentMode> = optic.modes.iter().collect();
    modes.sort_by(|a, b| b.line_rate_gbps.cmp(&a.line_rate_gbps).then(a.name.cmp(&b.name)));
    modes
        .into_iter()
        .map(|mode| judge_mode(optic, mode, fibre, line, spans, launch, channels, planning_margin_db))
        .collect()
}

/// [`judge_all`] for one mode of the optic.
#[allow(clippy::too_many_arguments)]
pub fn judge_mode(
    optic: &CoherentOptic,
    mode: &CoherentMode,
    fibre: &Fibre,
    line: &LineParams,
    spans: &[SpanInput],
    launch: Launch,
    channels: Option<u32>,
    planning_margin_db: f64,
) -> ModeVerdict {
    let spacing = mode.min_spacing_ghz.0;
    let n = channels.unwrap_or(((C_BAND_GHZ / spacing).floor() as u32).max(1));
    let mut comb = Comb { launch_dbm: 0.0, baud_gbd: mode.baud_gbd.0, spacing_ghz: spacing, channels: n };
    comb.launch_dbm = match launch {
        Launch::Dbm(p) => p,
        Launch::Optimum { max_per_channel_dbm } => {
            optical::propagate(fibre, &comb, line, spans).optimum_launch_dbm.min(max_per_channel_dbm)
        }
    };
    let link = optical::propagate(fibre, &comb, line, spans);
    judge(optic, mode, &comb, &link, planning_margin_db)
}

/// One line of an expressed wavelength: its fibre, line parameters, spans
/// and the launch power its boosters set (ROADMs re-equalise the power
/// per line, so each line has its own).
pub struct ExpressLine<'a> {
    pub fibre: &'a Fibre,
    pub line: &'a LineParams,
    pub spans: &'a [SpanInput],
    pub launch: Launch,
}

/// One ROADM a wavelength passes through, between two lines: its express
/// loss, which the next line's booster (of noise figure `booster_nf_db`)
/// makes up, and the OSNR penalty of its filtering.
pub struct ExpressPass {
    pub loss_db: f64,
    pub booster_nf_db: f64,
    pub filtering_penalty_db: f64,
}

/// One mode over several lines joined by ROADMs, the light kept in the
/// optical domain end to end: 1/GSNR sums every line's ASE and NLI and
/// every pass's noise; the mode must clear its required OSNR plus every
/// pass's filtering penalty plus the planning margin, and the whole length
/// must be within its reach. `passes[k]` sits between `lines[k]` and
/// `lines[k + 1]`; its booster puts out the next line's launch power.
pub fn judge_express(
    optic: &CoherentOptic,
    mode: &CoherentMode,
    lines: &[ExpressLine<'_>],
    channels: Option<u32>,
    passes: &[ExpressPass],
    planning_margin_db: f64,
) -> ModeVerdict {
    let spacing = mode.min_spacing_ghz.0;
    let n = channels.unwrap_or(((C_BAND_GHZ / spacing).floor() as u32).max(1));
    let mut snrs = Vec::with_capacity(lines.len() + passes.len());
    let mut length_km = 0.0;
    let mut comb = Comb { launch_dbm: 0.0, baud_gbd: mode.baud_gbd.0, spacing_ghz: spacing, channels: n };
    let mut first_launch = None;
    for (k, l) in lines.iter().enumerate() {
        let mut c = comb;
        c.launch_dbm = match l.launch {
            Launch::Dbm(p) => p,
            Launch::Optimum { max_per_channel_dbm } => {
                optical::propagate(l.fibre, &c, l.line, l.spans).optimum_launch_dbm.min(max_per_channel_dbm)
            }
        };
        first_launch.get_or_insert(c.launch_dbm);
        if let Some(p) = k.checked_sub(1).and_then(|k| passes.get(k)) {
            snrs.push(optical::amplifier_osnr_db(c.launch_dbm, p.loss_db, p.booster_nf_db));
        }
        let link = optical::propagate(l.fibre, &c, l.line, l.spans);
        snrs.push(link.gsnr_db);
        length_km += link.length_km;
    }
    comb.launch_dbm = first_launch.unwrap_or(0.0);
    let passes = &passes[..passes.len().min(lines.len().saturating_sub(1))];
    let penalty: f64 = passes.iter().map(|p| p.filtering_penalty_db).sum();
    let link = LinkResult {
        spans: Vec::new(),
        length_km,
        osnr_ase_db: 0.0,
        snr_nli_db: 0.0,
        gsnr_db: optical::combine_snr_db(&snrs),
        gsnr_signal_db: 0.0,
        optimum_launch_dbm: 0.0,
        gsnr_at_optimum_db: 0.0,
        dispersion_ps_per_nm: 0.0,
        fibre_latency_ms: 0.0,
    };
    let mut penalised = mode.clone();
    penalised.required_osnr_db.0 += penalty;
    let mut v = judge(optic, &penalised, &comb, &link, planning_margin_db);
    v.express_passes = passes.len();
    v.filtering_penalty_db = round2(penalty);
    v.required_osnr_db = round2(v.required_osnr_db);
    v
}
