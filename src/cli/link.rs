//! `dcplan link`: the optical link calculator.

use super::{emit, input_error, print_warnings, say, LinkArgs, TableFormat, EXIT_INPUT};
use dcplan::analyse::optical::{self, Comb, Fibre, LineParams, SpanInput, CENTRE_HZ, REFERENCE_BANDWIDTH_HZ};
use dcplan::analyse::reach::{self, Launch};
use dcplan::diag::InputError;
use dcplan::render::link::{self, Assumptions};
use std::process::ExitCode;

fn usage(message: &str) -> ExitCode {
    say!("error: {message}");
    ExitCode::from(EXIT_INPUT)
}

pub fn run(args: &LinkArgs) -> ExitCode {
    // The line: identical spans, or a route file.
    let (name, standard_fibre, spans, route_connector) = match &args.route {
        Some(path) => {
            let source = match dcplan::load::read_source(path) {
                Ok(s) => s,
                Err(r) => return input_error(&InputError { reports: vec![r] }),
            };
            match dcplan::load::load_route(&source) {
                Ok(loaded) => {
                    print_warnings(&loaded.warnings);
                    let r = loaded.value;
                    let mut fibre = Fibre::for_standard(r.fibre);
                    if let Some(a) = r.attenuation_db_per_km {
                        fibre.attenuation_db_per_km = a;
                    }
                    let spans: Vec<SpanInput> = r
                        .spans
                        .iter()
                        .map(|s| SpanInput { length_km: s.length_km.0, loss_db: s.loss_db.map(|l| l.0) })
                        .collect();
                    (r.name, fibre, spans, r.connector_loss_db)
                }
                Err(r) => return input_error(&InputError { reports: vec![r] }),
            }
        }
        None => {
            let (Some(n), Some(km)) = (args.spans, args.span_km) else {
                return usage("give --spans and --span-km, or --route FILE");
            };
            if n == 0 || n > 1000 || !(km > 0.0 && km <= 300.0) {
                return usage("--spans must be 1 to 1000 and --span-km above 0 and at most 300");
            }
            (
                format!("{n} x {km} km"),
                Fibre::g652d(),
                vec![SpanInput { length_km: km, loss_db: None }; n as usize],
                None,
            )
        }
    };
    // Every number given must be a finite number: NaN and infinity are refused.
    let given = [
        args.span_km,
        args.fiber_loss_db_per_km,
        args.dispersion_ps_per_nm_km,
        args.effective_area_um2,
        args.connector_loss_db,
        Some(args.nf_db),
        args.launch_dbm,
        args.baud_gbd,
        args.spacing_ghz,
        Some(args.planning_margin_db),
    ];
    if given.iter().flatten().any(|x| !x.is_finite()) {
        return usage("every number must be finite (no NaN or infinity)");
    }
    if !(0.0..=20.0).contains(&args.planning_margin_db) {
        return usage("--planning-margin-db must be 0 to 20 dB");
    }
    let mut fibre = standard_fibre;
    if let Some(a) = args.fiber_loss_db_per_km {
        if !(0.1..=1.0).contains(&a) {
            return usage("--fiber-loss-db-per-km must be between 0.1 and 1.0");
        }
        fibre.attenuation_db_per_km = a;
    }
    if args.dispersion_ps_per_nm_km.is_some() || args.effective_area_um2.is_some() {
        fibre = Fibre::with_area(
            fibre.attenuation_db_per_km,
            args.dispersion_ps_per_nm_km.unwrap_or(fibre.dispersion_ps_per_nm_km),
            args.effective_area_um2.unwrap_or(fibre.effective_area_um2),
        );
        if !((0.1..=50.0).contains(&fibre.dispersion_ps_per_nm_km)
            && (10.0..=500.0).contains(&fibre.effective_area_um2))
        {
            return usage("--dispersion-ps-per-nm-km must be 0.1 to 50 and --effective-area-um2 10 to 500");
        }
    }
    let connector = args.connector_loss_db.or(route_connector).unwrap_or(0.0);
    if !(0.0..=10.0).contains(&connector) || !(3.0..=20.0).contains(&args.nf_db) {
        return usage("--connector-loss-db must be 0 to 10 and --nf-db 3 to 20 (3 dB is the quantum limit)");
    }
    let line = LineParams { nf_db: args.nf_db, connector_loss_db: connector };

    // The optic, when asked for.
    let optic = match &args.optic {
        None => None,
        Some(id) => {
            let catalog = match dcplan::load::catalog_from(args.catalog.as_deref()) {
                Ok(c) => c.value,
                Err(e) => return input_error(&e),
            };
            match catalog.coherent_optics.iter().find(|o| &o.id == id) {
                Some(o) => Some(o.clone()),
                None => {
                    let ids: Vec<&str> = catalog.coherent_optics.iter().map(|o| o.id.as_str()).collect();
                    let hint = dcplan::diag::closest(id, ids.iter().copied())
                        .map(|b| format!("; did you mean `{b}`?"))
                        .unwrap_or_default();
                    return usage(&format!(
                        "no coherent optic `{id}` in the catalog (it has: {}){hint}",
                        ids.join(", ")
                    ));
                }
            }
        }
    };
    let fastest = optic.as_ref().and_then(|o| o.modes.iter().max_by_key(|m| m.line_rate_gbps.0));
    let baud = args.baud_gbd.or(fastest.map(|m| m.baud_gbd.0)).unwrap_or(64.0);
    let spacing = args.spacing_ghz.or(fastest.map(|m| m.min_spacing_ghz.0)).unwrap_or(75.0);
    if !(1.0..=200.0).contains(&baud) || spacing < baud || spacing > 1000.0 {
        return usage("--baud-gbd must be 1 to 200 and --spacing-ghz at least the symbol rate");
    }
    let channels = args.channels.unwrap_or(((reach::C_BAND_GHZ / spacing).floor() as u32).max(1));
    if channels == 0 || channels > 1000 || f64::from(channels) * spacing > 12_000.0 {
        return usage("--channels must be 1 to 1000, and the comb (channels × spacing) at most the 12 THz of the C and L bands");
    }
    let launch = args.launch_dbm.unwrap_or(0.0);
    if !(-20.0..=20.0).contains(&launch) {
        return usage("--launch-dbm must be between -20 and 20 dBm per channel");
    }
    let comb = Comb { launch_dbm: launch, baud_gbd: baud, spacing_ghz: spacing, channels };
    let result = optical::propagate(&fibre, &comb, &line, &spans);
    let modes = match &optic {
        Some(o) => reach::judge_all(
            o,
            &fibre,
            &line,
            &spans,
            Launch::Dbm(launch),
            args.channels,
            args.planning_margin_db,
        ),
        None => Vec::new(),
    };
    let assumptions = Assumptions {
        route: name,
        fibre,
        comb,
        line,
        centre_thz: CENTRE_HZ / 1e12,
        reference_bandwidth_ghz: REFERENCE_BANDWIDTH_HZ / 1e9,
        planning_margin_db: args.planning_margin_db,
    };
    let text = match args.format {
        TableFormat::Table => link::to_text(&assumptions, &result, &modes),
        TableFormat::Json => link::to_json(&assumptions, &result, &modes),
    };
    emit(&text)
}
