//! `dcplan link`, the optical link calculator, as a user runs it.

use crate::support::*;

fn link_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["link", "--format", "json"];
    all.extend_from_slice(args);
    let out = dcplan(&all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn f(v: &serde_json::Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} missing in {v:#}"))
}

#[test]
fn json_carries_the_documented_figures_and_the_textbook_osnr() {
    let v = link_json(&["--spans", "10", "--span-km", "80", "--nf-db", "5", "--launch-dbm", "1"]);
    for key in ["osnr_ase_db", "snr_nli_db", "gsnr_db", "gsnr_signal_db"] {
        assert!(v[key].is_f64(), "{key}");
    }
    // 58 + P − NF − span loss − 10·log10 N, with 58 = −10·log10(h·f·12.5 GHz) = 57.95 at 193.5 THz.
    let textbook = 57.95 + 1.0 - 5.0 - 16.0 - 10.0;
    assert!((f(&v, "osnr_ase_db") - textbook).abs() < 0.02, "{}", f(&v, "osnr_ase_db"));
    // GSNR below both of its parts, and the signal-bandwidth figure 10·log10(64/12.5) lower.
    assert!(f(&v, "gsnr_db") < f(&v, "osnr_ase_db") && f(&v, "gsnr_db") < f(&v, "snr_nli_db"));
    assert!((f(&v, "gsnr_db") - f(&v, "gsnr_signal_db") - 7.09).abs() < 0.02);
    assert_eq!(v["spans"].as_array().unwrap().len(), 10);
    // The defaults are printed with the result.
    assert_eq!(v["assumptions"]["fibre"]["attenuation_db_per_km"], 0.2);
    assert_eq!(v["assumptions"]["fibre"]["dispersion_ps_per_nm_km"], 16.7);
}

#[test]
fn feasibility_flips_where_it_should() {
    // 400ZR over one 80 km amplified span: feasible.
    let near = link_json(&["--spans", "1", "--span-km", "80", "--optic", "qsfpdd-400zr"]);
    assert_eq!(near["feasible"], true, "{near:#}");
    assert!(f(&near, "margin_db") >= 2.0);
    assert_eq!(f(&near, "required_osnr_db"), 26.0);
    // 400ZR over 600 km: beyond its reach, and the reason says so.
    let far = link_json(&["--spans", "6", "--span-km", "100", "--optic", "qsfpdd-400zr"]);
    assert_eq!(far["feasible"], false);
    assert!(far["reason"].as_str().unwrap().contains("beyond the 120 km"), "{far:#}");
    // ZR+ takes over on the same line, at a lower rate if need be.
    let plus = link_json(&["--spans", "6", "--span-km", "100", "--optic", "qsfpdd-openzr-plus"]);
    assert_eq!(plus["feasible"], true, "{plus:#}");
    assert!(plus["mode"].as_str().unwrap().contains("G"));
}

#[test]
fn a_route_file_with_measured_losses() {
    let v = link_json(&["--route", "tests/data/route-horinger-south.yaml"]);
    let spans = v["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 9);
    assert_eq!(spans[0]["loss_db"], 18.1);
    // A span without a measured loss: 0.2 dB/km × 82 km + 1 dB of connectors.
    assert!((spans[2]["loss_db"].as_f64().unwrap() - 17.4).abs() < 1e-9);
    assert_eq!(v["length_km"], 760.0);
    let latency = f(&v, "fibre_latency_ms");
    assert!((latency - 760.0 * 0.004_897).abs() < 0.001, "{latency}");
}

#[test]
fn bad_link_inputs_exit_2() {
    assert_eq!(dcplan(&["link"]).status.code(), Some(2));
    assert_eq!(dcplan(&["link", "--spans", "0", "--span-km", "80"]).status.code(), Some(2));
    assert_eq!(dcplan(&["link", "--spans", "2", "--span-km", "80", "--nf-db", "2"]).status.code(), Some(2));
    let out = dcplan(&["link", "--spans", "2", "--span-km", "80", "--optic", "qsfpdd-400z"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `qsfpdd-400zr`?"), "{}", stderr(&out));
    let out = dcplan(&["link", "--route", "scenarios/example.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("error[wrong-kind]"), "{}", stderr(&out));
}

#[test]
fn non_finite_numbers_are_refused() {
    for args in [
        ["--spacing-ghz", "NaN"],
        ["--effective-area-um2", "inf"],
        ["--planning-margin-db", "nan"],
        ["--planning-margin-db", "-3"],
    ] {
        let mut all = vec!["link", "--spans", "1", "--span-km", "100", "--optic", "qsfpdd-400zr"];
        all.extend(args);
        assert_eq!(dcplan(&all).status.code(), Some(2), "{args:?}");
    }
}
