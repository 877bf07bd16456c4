//! The physical link model of a fibre route: span losses, amplifier noise
//! (ASE), nonlinear interference from the closed-form Gaussian-noise model,
//! and the generalised SNR that decides which coherent modes work.
//!
//! References:
//! - ASE of an amplifier of gain G and noise figure NF, referred to its
//!   output in a bandwidth B: P_ASE = NF·h·f·B·G; with every gain equal to
//!   the span loss before it, OSNR = P_ch / Σ P_ASE, which for N identical
//!   spans is the textbook 58 + P_ch − NF − span loss − 10·log10 N (dB, 0.1 nm).
//! - NLI: P. Poggiolini et al., "The GN model of non-linear propagation in
//!   uncompensated coherent optical systems", J. Lightwave Technol. 30(24),
//!   2012 — the incoherent closed form per span, summed over the channels of
//!   the comb (self-channel and cross-channel terms), spans added
//!   incoherently; the same closed form is GNPy's `gn_model_analytic`.
//! - GSNR: 1/GSNR = 1/OSNR_ASE + 1/SNR_NLI, in one reference bandwidth.
//!
//! Units: SI inside (W, Hz, m, s); dB and dBm at the boundary, names say which.

use serde::Serialize;

/// Planck's constant, J·s (SI 2019, exact).
pub const PLANCK_J_S: f64 = 6.626_070_15e-34;
/// Speed of light in vacuum, m/s (exact).
pub const LIGHT_M_PER_S: f64 = 299_792_458.0;
/// The reference bandwidth of OSNR: 0.1 nm near 1550 nm = 12.5 GHz.
pub const REFERENCE_BANDWIDTH_HZ: f64 = 12.5e9;
/// Group index of standard single-mode fibre near 1550 nm (ITU-T G.652
/// typical 1.4682), giving 4.897 µs of delay per km.
pub const GROUP_INDEX: f64 = 1.4682;
/// Nonlinear refractive index of silica, m²/W (2.6e-20 is the usual value
/// for G.652 fibre; it gives γ ≈ 1.27 /W/km at 83 µm²).
pub const N2_M2_PER_W: f64 = 2.6e-20;

/// Decibels to a linear ratio.
pub fn db_to_lin(db: f64) -> f64 {
    10f64.powf(db / 10.0)
}

/// A linear ratio to decibels.
pub fn lin_to_db(x: f64) -> f64 {
    10.0 * x.log10()
}

/// dBm to watts.
pub fn dbm_to_w(dbm: f64) -> f64 {
    1e-3 * db_to_lin(dbm)
}

/// The fibre of a route.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Fibre {
    pub attenuation_db_per_km: f64,
    pub dispersion_ps_per_nm_km: f64,
    pub effective_area_um2: f64,
    /// Nonlinear coefficient γ.
    pub gamma_per_w_km: f64,
}

impl Fibre {
    /// Standard single-mode fibre (ITU-T G.652.D): 0.2 dB/km, 16.7 ps/nm/km,
    /// 83 µm², γ from n₂ = 2.6e-20 m²/W at 193.5 THz (≈ 1.27 /W/km).
    pub fn g652d() -> Fibre {
        Fibre::with_area(0.2, 16.7, 83.0)
    }

    /// Low-loss large-area fibre (ITU-T G.654.E typical): 0.17 dB/km,
    /// 21 ps/nm/km, 125 µm².
    pub fn g654e() -> Fibre {
        Fibre::with_area(0.17, 21.0, 125.0)
    }

    /// Non-zero dispersion-shifted fibre (ITU-T G.655 typical): 0.22 dB/km,
    /// 4.5 ps/nm/km, 72 µm².
    pub fn g655() -> Fibre {
        Fibre::with_area(0.22, 4.5, 72.0)
    }

    /// The documented defaults of a fibre standard.
    pub fn for_standard(standard: crate::model::FibreStandard) -> Fibre {
        match standard {
            crate::model::FibreStandard::G652d => Fibre::g652d(),
            crate::model::FibreStandard::G654e => Fibre::g654e(),
            crate::model::FibreStandard::G655 => Fibre::g655(),
        }
    }

    /// A fibre whose γ follows from its effective area: γ = 2π·n₂·f/(c·A_eff).
    pub fn with_area(
        attenuation_db_per_km: f64,
        dispersion_ps_per_nm_km: f64,
        effective_area_um2: f64,
    ) -> Fibre {
        let f = CENTRE_HZ;
        let gamma_per_w_m =
            2.0 * std::f64::consts::PI * N2_M2_PER_W * f / (LIGHT_M_PER_S * effective_area_um2 * 1e-12);
        Fibre {
            attenuation_db_per_km,
            dispersion_ps_per_nm_km,
            effective_area_um2,
            gamma_per_w_km: gamma_per_w_m * 1e3,
        }
    }

    /// Power attenuation α in 1/m (a dB/km value divided by 10·log10 e).
    fn alpha_per_m(&self) -> f64 {
        self.attenuation_db_per_km / (10.0 * std::f64::consts::E.log10()) / 1e3
    }

    /// |β₂| in s²/m at frequency `f`: D·λ²/(2πc).
    fn beta2_abs(&self, f: f64) -> f64 {
        let lambda = LIGHT_M_PER_S / f;
        let d_s_per_m2 = self.dispersion_ps_per_nm_km * 1e-12 / (1e-9 * 1e3);
        d_s_per_m2 * lambda * lambda / (2.0 * std::f64::consts::PI * LIGHT_M_PER_S)
    }
}

/// Frequency of the channel under test: 193.5 THz (≈ 1549.3 nm), mid C-band.
pub const CENTRE_HZ: f64 = 193.5e12;

/// A fully loaded, evenly spaced comb of identical channels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Comb {
    /// Launch power per channel into every span.
    pub launch_dbm: f64,
    pub baud_gbd: f64,
    pub spacing_ghz: f64,
    pub channels: u32,
}

/// One span of a line: its length and, when measured, its loss.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SpanInput {
    pub length_km: f64,
    /// Measured loss; otherwise attenuation × length + connector allowance.
    pub loss_db: Option<f64>,
}

/// Line parameters that are not the fibre or the comb.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LineParams {
    /// Amplifier noise figure.
    pub nf_db: f64,
    /// Connector and splice allowance added to each span's fibre loss.
    pub connector_loss_db: f64,
}

/// What one span contributes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanResult {
    pub length_km: f64,
    pub loss_db: f64,
    /// Gain of the amplifier after the span (= its loss).
    pub gain_db: f64,
    /// OSNR of this amplifier's ASE alone, 0.1 nm.
    pub osnr_ase_db: f64,
    /// SNR of this span's NLI alone, 0.1 nm.
    pub snr_nli_db: f64,
    /// Accumulated up to this span, 0.1 nm.
    pub osnr_ase_cumulative_db: f64,
    pub gsnr_cumulative_db: f64,
}

/// End-to-end figures of a line, for the centre channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkResult {
    pub spans: Vec<SpanResult>,
    pub length_km: f64,
    /// ASE-limited OSNR, 0.1 nm, line only.
    pub osnr_ase_db: f64,
    /// SNR of the nonlinear interference, 0.1 nm.
    pub snr_nli_db: f64,
    /// Generalised SNR (ASE and NLI), 0.1 nm, line only.
    pub gsnr_db: f64,
    /// GSNR in the signal bandwidth (the symbol rate).
    pub gsnr_signal_db: f64,
    /// Launch power per channel that maximises GSNR (where NLI = ASE / 2).
    pub optimum_launch_dbm: f64,
    /// GSNR at that launch power, 0.1 nm.
    pub gsnr_at_optimum_db: f64,
    /// Accumulated chromatic dispersion.
    pub dispersion_ps_per_nm: f64,
    /// Propagation delay of the fibre alone.
    pub fibre_latency_ms: f64,
}

/// Per-span NLI efficiency η (W⁻²) of the centre channel: P_NLI = η·P³ when
/// every channel carries P. Closed-form incoherent GN model, given the
/// comb's Σψ from [`nli_psi_sum`].
fn nli_efficiency(fibre: &Fibre, comb: &Comb, length_m: f64, psi_sum: f64) -> f64 {
    use std::f64::consts::PI;
    let alpha = fibre.alpha_per_m();
    let l_eff = (1.0 - (-alpha * length_m).exp()) / alpha;
    let l_eff_a = 1.0 / alpha;
    let beta2 = fibre.beta2_abs(CENTRE_HZ);
    let gamma = fibre.gamma_per_w_km * 1e-3;
    let r = comb.baud_gbd * 1e9;
    // G_NLI = (16/27)·γ²·L_eff²·G³·Σψ / (2π·|β₂|·L_eff,a), G = P/R; P_NLI = G_NLI·R.
    let g_factor = 16.0 / 27.0 * gamma * gamma * l_eff * l_eff * psi_sum / (2.0 * PI * beta2 * l_eff_a);
    g_factor / (r * r)
}

/// Σψ of the GN model over the comb, seen from its centre channel. It
/// depends on the fibre's loss and dispersion and on the comb, not on a
/// span's length or the launch power, so it is computed once per such set
/// and remembered: the interconnect search propagates the same comb over
/// many runs of spans (each mode, mux and regeneration split).
fn nli_psi_sum(fibre: &Fibre, comb: &Comb) -> f64 {
    type Key = (u64, u64, u64, u64, u32);
    thread_local! {
        static MEMO: std::cell::RefCell<std::collections::HashMap<Key, f64>> = Default::default();
    }
    let key = (
        fibre.attenuation_db_per_km.to_bits(),
        fibre.dispersion_ps_per_nm_km.to_bits(),
        comb.baud_gbd.to_bits(),
        comb.spacing_ghz.to_bits(),
        comb.channels,
    );
    if let Some(psi) = MEMO.with(|m| m.borrow().get(&key).copied()) {
        return psi;
    }
    let psi = psi_sum_of(fibre, comb);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        // A bound, not a cache policy: a run sees a handful of fibres and modes.
        if m.len() >= 4096 {
            m.clear();
        }
        m.insert(key, psi);
    });
    psi
}

fn psi_sum_of(fibre: &Fibre, comb: &Comb) -> f64 {
    use std::f64::consts::PI;
    let l_eff_a = 1.0 / fibre.alpha_per_m();
    let beta2 = fibre.beta2_abs(CENTRE_HZ);
    let r = comb.baud_gbd * 1e9;
    let df = comb.spacing_ghz * 1e9;
    let k = i64::from(comb.channels.max(1));
    // Channel under test in the middle of the comb (the lower middle for an even count).
    let cut = (k - 1) / 2;
    let a = PI * PI * beta2 * l_eff_a;
    let mut psi_sum = 0.0;
    for ch in 0..k {
        let offset = ((ch - cut) as f64 * df).abs();
        psi_sum += if ch == cut {
            (0.5 * a * r * r).asinh()
        } else {
            (a * r * (offset + r / 2.0)).asinh() - (a * r * (offset - r / 2.0)).asinh()
        };
    }
    psi_sum
}

/// The loss of a span as the line sees it.
pub fn span_loss_db(fibre: &Fibre, line: &LineParams, span: &SpanInput) -> f64 {
    span.loss_db.unwrap_or(fibre.attenuation_db_per_km * span.length_km + line.connector_loss_db)
}

/// Propagates the centre channel of `comb` over `spans`, each followed by
/// an amplifier whose gain equals the span's loss.
pub fn propagate(fibre: &Fibre, comb: &Comb, line: &LineParams, spans: &[SpanInput]) -> LinkResult {
    let p_ch = dbm_to_w(comb.launch_dbm);
    let nf = db_to_lin(line.nf_db);
    let h_f_b = PLANCK_J_S * CENTRE_HZ * REFERENCE_BANDWIDTH_HZ;
    let r = comb.baud_gbd * 1e9;
    let mut ase_total = 0.0; // W in 0.1 nm
    let mut eta_total = 0.0; // W⁻², P_NLI in the signal bandwidth = η·P³
    let mut out = Vec::with_capacity(spans.len());
    let mut length_km = 0.0;
    let psi_sum = nli_psi_sum(fibre, comb);
    for span in spans {
        let loss = span_loss_db(fibre, line, span);
        let ase = nf * h_f_b * db_to_lin(loss);
        let eta = nli_efficiency(fibre, comb, span.length_km * 1e3, psi_sum);
        ase_total += ase;
        eta_total += eta;
        length_km += span.length_km;
        // NLI power in 0.1 nm: its PSD is flat over the channel, η·P³/R per Hz.
        let nli_ref = |eta: f64| eta * p_ch.powi(3) / r * REFERENCE_BANDWIDTH_HZ;
        let gsnr_cum = p_ch / (ase_total + nli_ref(eta_total));
        out.push(SpanResult {
            length_km: span.length_km,
            loss_db: loss,
            gain_db: loss,
            osnr_ase_db: lin_to_db(p_ch / ase),
            snr_nli_db: lin_to_db(p_ch / nli_ref(eta)),
            osnr_ase_cumulative_db: lin_to_db(p_ch / ase_total),
            gsnr_cumulative_db: lin_to_db(gsnr_cum),
        });
    }
    let nli_ref_total = eta_total * p_ch.powi(3) / r * REFERENCE_BANDWIDTH_HZ;
    let osnr = p_ch / ase_total;
    let snr_nli = p_ch / nli_ref_total;
    let gsnr = 1.0 / (1.0 / osnr + 1.0 / snr_nli);
    // d/dP [P / (A + c·P³)] = 0  ⇒  c·P³ = A/2 with c = η·B_ref/R.
    let c = eta_total * REFERENCE_BANDWIDTH_HZ / r;
    let p_opt = (ase_total / (2.0 * c)).cbrt();
    let gsnr_opt = p_opt / (ase_total + c * p_opt.powi(3));
    LinkResult {
        spans: out,
        length_km,
        osnr_ase_db: lin_to_db(osnr),
        snr_nli_db: lin_to_db(snr_nli),
        gsnr_db: lin_to_db(gsnr),
        gsnr_signal_db: lin_to_db(gsnr) - lin_to_db(r / REFERENCE_BANDWIDTH_HZ),
        optimum_launch_dbm: lin_to_db(p_opt / 1e-3),
        gsnr_at_optimum_db: lin_to_db(gsnr_opt),
        dispersion_ps_per_nm: fibre.dispersion_ps_per_nm_km * length_km,
        fibre_latency_ms: length_km * 1e3 * GROUP_INDEX / LIGHT_M_PER_S * 1e3,
    }
}

/// OSNR (0.1 nm) of one amplifier's ASE alone: gain `gain_db`, noise figure
/// `nf_db`, putting out `out_dbm` per channel (P_ASE = NF·h·f·B·G, as in
/// [`propagate`]).
pub fn amplifier_osnr_db(out_dbm: f64, gain_db: f64, nf_db: f64) -> f64 {
    let ase = db_to_lin(nf_db) * PLANCK_J_S * CENTRE_HZ * REFERENCE_BANDWIDTH_HZ * db_to_lin(gain_db);
    lin_to_db(dbm_to_w(out_dbm) / ase)
}

/// Sums SNRs (dB, one reference bandwidth) of noise sources that add up
/// incoherently: 1/SNR = Σ 1/SNR_i.
pub fn combine_snr_db(snrs_db: &[f64]) -> f64 {
    let inv: f64 = snrs_db.iter().map(|s| 1.0 / db_to_lin(*s)).sum();
    if inv > 0.0 {
        lin_to_db(1.0 / inv)
    } else {
        f64::INFINITY
    }
}

/// Adds a transmitter's own OSNR (0.1 nm) to a line GSNR (0.1 nm).
pub fn with_transmitter(gsnr_db: f64, tx_osnr_db: Option<f64>) -> f64 {
    match tx_osnr_db {
        Some(tx) => lin_to_db(1.0 / (1.0 / db_to_lin(gsnr_db) + 1.0 / db_to_lin(tx))),
        None => gsnr_db,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(n: usize, km: f64) -> Vec<SpanInput> {
        vec![SpanInput { length_km: km, loss_db: None }; n]
    }

    const LINE: LineParams = LineParams { nf_db: 5.5, connector_loss_db: 0.0 };

    #[test]
    fn the_remembered_psi_sum_is_the_computed_one() {
        for (fibre, baud, spacing, channels) in [
            (Fibre::g652d(), 63.1, 75.0, 64),
            (Fibre::g652d(), 32.0, 50.0, 96),
            (Fibre::g655(), 63.1, 75.0, 64),
        ] {
            let comb = Comb { launch_dbm: 0.0, baud_gbd: baud, spacing_ghz: spacing, channels };
            let direct = psi_sum_of(&fibre, &comb);
            assert_eq!(nli_psi_sum(&fibre, &comb).to_bits(), direct.to_bits());
            assert_eq!(nli_psi_sum(&fibre, &comb).to_bits(), direct.to_bits(), "second call, from memory");
        }
    }

    #[test]
    fn standard_fibre_parameters_match_the_textbook() {
        let f = Fibre::g652d();
        // γ = 2π·n₂·f/(c·A_eff) ≈ 1.27 /W/km at 83 µm².
        assert!((f.gamma_per_w_km - 1.27).abs() < 0.01, "{}", f.gamma_per_w_km);
        // |β₂| ≈ 21.3 ps²/km for 16.7 ps/nm/km near 1550 nm.
        let beta2_ps2_per_km = f.beta2_abs(CENTRE_HZ) * 1e24 * 1e3;
        assert!((beta2_ps2_per_km - 21.3).abs() < 0.2, "{beta2_ps2_per_km}");
        // α = 0.2 dB/km ⇒ 0.04605 /km.
        assert!((f.alpha_per_m() * 1e3 - 0.046_05).abs() < 1e-4);
    }

    #[test]
    fn ase_osnr_follows_the_58_db_rule() {
        // OSNR ≈ 58 + P − NF − span loss − 10·log10 N (the 58 is −10·log10(h·f·12.5 GHz) in dBm).
        let constant = -lin_to_db(PLANCK_J_S * CENTRE_HZ * REFERENCE_BANDWIDTH_HZ / 1e-3);
        assert!((constant - 57.95).abs() < 0.02, "{constant}");
        for (n, km, p) in [(1, 80.0, 0.0), (10, 80.0, 0.0), (20, 100.0, 3.0), (5, 60.0, -2.0)] {
            let comb = Comb { launch_dbm: p, baud_gbd: 32.0, spacing_ghz: 50.0, channels: 80 };
            let r = propagate(&Fibre::g652d(), &comb, &LINE, &spans(n, km));
            let textbook = constant + p - 5.5 - 0.2 * km - lin_to_db(n as f64);
            assert!((r.osnr_ase_db - textbook).abs() < 1e-9, "{n}x{km}: {} vs {textbook}", r.osnr_ase_db);
        }
    }

    #[test]
    fn nli_grows_with_the_cube_of_power_and_spans_add() {
        let f = Fibre::g652d();
        let comb = |p| Comb { launch_dbm: p, baud_gbd: 64.0, spacing_ghz: 75.0, channels: 64 };
        let a = propagate(&f, &comb(0.0), &LINE, &spans(1, 80.0));
        let b = propagate(&f, &comb(3.0), &LINE, &spans(1, 80.0));
        // SNR_NLI = P/(ηP³) falls 2 dB per dB of launch power.
        assert!(((a.snr_nli_db - b.snr_nli_db) - 6.0).abs() < 1e-9);
        let ten = propagate(&f, &comb(0.0), &LINE, &spans(10, 80.0));
        assert!(((a.snr_nli_db - ten.snr_nli_db) - 10.0).abs() < 1e-9);
    }

    #[test]
    fn optimum_launch_on_80_km_ssmf_is_where_the_literature_puts_it() {
        // Around 0 dBm per channel on 80 km spans of standard fibre at 32–64 GBd
        // (Poggiolini et al. 2012): the full C-band at 32 GBd sits a little
        // below, 64 GBd channels (twice the power for the same spectral
        // density) a little above.
        let mut optima = Vec::new();
        for (baud, spacing, channels) in [(32.0, 50.0, 80), (64.0, 75.0, 64)] {
            let comb = Comb { launch_dbm: 0.0, baud_gbd: baud, spacing_ghz: spacing, channels };
            let r = propagate(&Fibre::g652d(), &comb, &LINE, &spans(10, 80.0));
            assert!((-2.5..=2.5).contains(&r.optimum_launch_dbm), "{baud} GBd: {}", r.optimum_launch_dbm);
            optima.push(r.optimum_launch_dbm);
            // At the optimum the NLI is half the ASE: GSNR = OSNR_ASE − 10·log10(1.5).
            let at_opt = propagate(
                &Fibre::g652d(),
                &Comb { launch_dbm: r.optimum_launch_dbm, ..comb },
                &LINE,
                &spans(10, 80.0),
            );
            assert!((at_opt.gsnr_db - (at_opt.osnr_ase_db - lin_to_db(1.5))).abs() < 1e-6);
            assert!((at_opt.gsnr_db - r.gsnr_at_optimum_db).abs() < 1e-6);
        }
        assert!(optima[1] > optima[0] + 1.0, "{optima:?}");
    }

    #[test]
    fn signal_bandwidth_conversion_and_latency() {
        let comb = Comb { launch_dbm: 0.0, baud_gbd: 64.0, spacing_ghz: 75.0, channels: 64 };
        let r = propagate(&Fibre::g652d(), &comb, &LINE, &spans(2, 50.0));
        assert!((r.gsnr_db - r.gsnr_signal_db - lin_to_db(64.0 / 12.5)).abs() < 1e-9);
        // About 4.9 µs per km.
        assert!((r.fibre_latency_ms - 100.0 * 0.004_897).abs() < 1e-4);
        assert_eq!(r.dispersion_ps_per_nm, 1670.0);
    }

    /// Reference values from GNPy 3.0.1 (Telecom Infra Project), computed
    /// here on 2026-11-25 with its closed-form GN solver (`gn_model_analytic`):
    /// G.652 fibre 0.2 dB/km, 16.7 ps/nm/km, A_eff 83 µm² (γ 1.2704 /W/km at
    /// 193.5 THz), no connector loss, no Raman; a fixed-gain EDFA after each
    /// span, gain = span loss, NF 5.5 dB; no booster, no ROADM, no
    /// transmitter OSNR; centre channel (the lower middle one) at 193.5 THz.
    /// Figures per span added N times with the signal held at P (GNPy's own
    /// end-to-end run differs by at most 0.16 dB because it lets the signal
    /// give up power to the noise). Columns: spans, km, dBm, GBd, GHz,
    /// channels, OSNR_ASE, SNR_NLI, GSNR (all 0.1 nm), GSNR in the signal band.
    type Case = (usize, f64, f64, f64, f64, u32, f64, f64, f64, f64);
    const GNPY_3_0_1: &[Case] = &[
        (1, 80.0, 0.0, 32.0, 50.0, 80, 36.45, 33.99, 32.04, 27.96),
        (10, 80.0, 0.0, 32.0, 50.0, 80, 26.45, 23.99, 22.04, 17.96),
        (10, 80.0, 0.0, 64.0, 75.0, 64, 26.45, 31.54, 25.28, 18.19),
        (5, 100.0, 1.0, 63.1, 87.5, 54, 26.46, 32.89, 25.57, 18.54),
        (20, 80.0, 2.0, 32.0, 50.0, 96, 25.44, 16.84, 16.28, 12.20),
    ];

    #[test]
    fn gn_model_matches_gnpy() {
        for &(n, km, p, baud, spacing, channels, osnr, nli, gsnr, gsnr_sig) in GNPY_3_0_1 {
            let comb = Comb { launch_dbm: p, baud_gbd: baud, spacing_ghz: spacing, channels };
            let r = propagate(&Fibre::g652d(), &comb, &LINE, &spans(n, km));
            let case = format!("{n} x {km} km, {p} dBm, {baud} GBd / {spacing} GHz x {channels}");
            for (what, ours, theirs) in [
                ("OSNR", r.osnr_ase_db, osnr),
                ("SNR_NLI", r.snr_nli_db, nli),
                ("GSNR", r.gsnr_db, gsnr),
                ("GSNR signal", r.gsnr_signal_db, gsnr_sig),
            ] {
                assert!((ours - theirs).abs() < 0.02, "{case}: {what} {ours:.3} vs GNPy {theirs}");
            }
        }
        // GNPy's launch-power sweep (0.1 dB steps) puts the optimum at +0.7 dBm
        // (64 GBd, 75 GHz, 64 ch) and -1.8 dBm (32 GBd, 50 GHz, 80 ch) on 10 x 80 km.
        for (baud, spacing, channels, p_opt) in [(64.0, 75.0, 64, 0.7), (32.0, 50.0, 80, -1.8)] {
            let comb = Comb { launch_dbm: 0.0, baud_gbd: baud, spacing_ghz: spacing, channels };
            let r = propagate(&Fibre::g652d(), &comb, &LINE, &spans(10, 80.0));
            assert!((r.optimum_launch_dbm - p_opt).abs() < 0.06, "{baud} GBd: {}", r.optimum_launch_dbm);
        }
    }
}
