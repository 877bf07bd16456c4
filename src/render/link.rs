//! `dcplan link`: the link calculator's report, per span and end to end,
//! with the assumptions it used, as text or JSON.

use super::table::Table;
use crate::analyse::optical::{Comb, Fibre, LineParams, LinkResult};
use crate::analyse::reach::ModeVerdict;
use serde::Serialize;

/// Everything the calculator was given or assumed.
#[derive(Debug, Clone, Serialize)]
pub struct Assumptions {
    pub route: String,
    pub fibre: Fibre,
    pub comb: Comb,
    pub line: LineParams,
    pub centre_thz: f64,
    pub reference_bandwidth_ghz: f64,
    pub planning_margin_db: f64,
}

#[derive(Serialize)]
struct LinkJson<'a> {
    assumptions: &'a Assumptions,
    #[serde(flatten)]
    result: &'a LinkResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    optic: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    required_osnr_db: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin_db: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    feasible: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    modes: &'a [ModeVerdict],
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn rounded(result: &LinkResult) -> LinkResult {
    let mut r = result.clone();
    for s in &mut r.spans {
        s.loss_db = r2(s.loss_db);
        s.gain_db = r2(s.gain_db);
        s.osnr_ase_db = r2(s.osnr_ase_db);
        s.snr_nli_db = r2(s.snr_nli_db);
        s.osnr_ase_cumulative_db = r2(s.osnr_ase_cumulative_db);
        s.gsnr_cumulative_db = r2(s.gsnr_cumulative_db);
    }
    r.osnr_ase_db = r2(r.osnr_ase_db);
    r.snr_nli_db = r2(r.snr_nli_db);
    r.gsnr_db = r2(r.gsnr_db);
    r.gsnr_signal_db = r2(r.gsnr_signal_db);
    r.optimum_launch_dbm = r2(r.optimum_launch_dbm);
    r.gsnr_at_optimum_db = r2(r.gsnr_at_optimum_db);
    r.dispersion_ps_per_nm = r2(r.dispersion_ps_per_nm);
    r.fibre_latency_ms = (r.fibre_latency_ms * 1e4).round() / 1e4;
    r
}

/// The chosen mode: the fastest feasible one, else the fastest.
fn headline(modes: &[ModeVerdict]) -> Option<&ModeVerdict> {
    modes.iter().find(|m| m.feasible).or_else(|| modes.first())
}

/// The report as JSON.
pub fn to_json(a: &Assumptions, result: &LinkResult, modes: &[ModeVerdict]) -> String {
    let r = rounded(result);
    let h = headline(modes);
    let doc = LinkJson {
        assumptions: a,
        result: &r,
        optic: h.map(|m| m.optic.as_str()),
        mode: h.map(|m| m.mode.as_str()),
        required_osnr_db: h.map(|m| m.required_osnr_db),
        margin_db: h.map(|m| m.margin_db),
        feasible: h.map(|m| m.feasible),
        reason: h.and_then(|m| m.reason.as_deref()),
        modes,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The report as text.
pub fn to_text(a: &Assumptions, result: &LinkResult, modes: &[ModeVerdict]) -> String {
    let r = rounded(result);
    let mut out = format!(
        "Link `{}`: {} spans, {} km\n",
        a.route,
        r.spans.len(),
        crate::units::trim_float(r.length_km)
    );
    out.push_str(&format!(
        "Assumptions: fibre {} dB/km, {} ps/nm/km, A_eff {} µm², γ {:.3} /W/km; amplifier NF {} dB, gain = span loss; \
connectors {} dB per span; {} channels of {} GBd at {} GHz, {} dBm per channel; centre channel at {} THz; OSNR in {} GHz (0.1 nm)\n",
        a.fibre.attenuation_db_per_km,
        a.fibre.dispersion_ps_per_nm_km,
        a.fibre.effective_area_um2,
        a.fibre.gamma_per_w_km,
        a.line.nf_db,
        a.line.connector_loss_db,
        a.comb.channels,
        a.comb.baud_gbd,
        a.comb.spacing_ghz,
        a.comb.launch_dbm,
        a.centre_thz,
        a.reference_bandwidth_ghz
    ));
    let mut t = Table::new(&[
        "span",
        "km>",
        "loss dB>",
        "OSNR ASE dB>",
        "SNR NLI dB>",
        "OSNR so far>",
        "GSNR so far>",
    ]);
    for (i, s) in r.spans.iter().enumerate() {
        t.row(vec![
            (i + 1).to_string(),
            crate::units::trim_float(s.length_km),
            format!("{:.2}", s.loss_db),
            format!("{:.2}", s.osnr_ase_db),
            format!("{:.2}", s.snr_nli_db),
            format!("{:.2}", s.osnr_ase_cumulative_db),
            format!("{:.2}", s.gsnr_cumulative_db),
        ]);
    }
    out.push('\n');
    out.push_str(&t.to_text());
    out.push_str(&format!(
        "\nEnd to end (0.1 nm, line only): OSNR (ASE) {:.2} dB, SNR (NLI) {:.2} dB, GSNR {:.2} dB; GSNR in the signal bandwidth {:.2} dB\n",
        r.osnr_ase_db, r.snr_nli_db, r.gsnr_db, r.gsnr_signal_db
    ));
    out.push_str(&format!(
        "Optimum launch {:.2} dBm per channel (GSNR {:.2} dB); dispersion {} ps/nm; fibre latency {:.3} ms\n",
        r.optimum_launch_dbm, r.gsnr_at_optimum_db, r.dispersion_ps_per_nm, r.fibre_latency_ms
    ));
    if !modes.is_empty() {
        let mut t = Table::new(&[
            "optic",
            "mode",
            "rate>",
            "GBd>",
            "launch dBm>",
            "GSNR+Tx dB>",
            "required dB>",
            "margin dB>",
            "reach km>",
            "feasible",
        ]);
        for m in modes {
            t.row(vec![
                m.optic.clone(),
                m.mode.clone(),
                format!("{}G", m.line_rate_gbps),
                crate::units::trim_float(m.baud_gbd),
                format!("{:.2}", m.launch_dbm),
                format!("{:.2}", m.gsnr_with_tx_db),
                format!("{:.1}", m.required_osnr_db),
                format!("{:.2}", m.margin_db),
                crate::units::trim_float(m.reach_km),
                if m.feasible { "yes".into() } else { format!("no: {}", m.reason.as_deref().unwrap_or("")) },
            ]);
        }
        out.push_str(&format!(
            "\nModes (each with its own comb: its symbol rate, its spacing, the C band full; planning margin {} dB)\n",
            a.planning_margin_db
        ));
        out.push_str(&t.to_text());
    }
    out
}
