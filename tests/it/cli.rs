//! The command line as a user meets it: commands, formats, exit codes.

use crate::support::*;

#[test]
fn catalog_lists_every_section_of_the_embedded_deal() {
    let out = dcplan(&["catalog"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for title in [
        "Fabric switches",
        "Router chassis",
        "Router line cards",
        "Grey optics",
        "Coherent optics",
        "Optical line system",
        "Cables",
    ] {
        assert!(text.contains(title), "missing section {title}");
    }
    assert!(text.contains("ixr-d3"), "{text}");
    assert!(text.contains('~'), "estimates are not marked");
}

#[test]
fn catalog_json_is_deterministic() {
    let a = dcplan(&["catalog", "--format", "json", "--catalog", "catalogs/merchant-whitebox.yaml"]);
    let b = dcplan(&["catalog", "--format", "json", "--catalog", "catalogs/merchant-whitebox.yaml"]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    let json: serde_json::Value = serde_json::from_slice(&a.stdout).expect("JSON");
    assert_eq!(json["deal"]["currency"], "USD");
}

#[test]
fn schema_prints_json_schema_for_both_formats() {
    for kind in ["catalog", "scenario"] {
        let out = dcplan(&["schema", kind]);
        assert_eq!(out.status.code(), Some(0));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert!(json["$schema"].as_str().unwrap_or("").contains("json-schema.org"));
        assert_eq!(json["additionalProperties"], false);
    }
}

#[test]
fn a_bad_catalog_given_with_catalog_flag_exits_2_with_its_problems() {
    let out = dcplan(&["catalog", "--catalog", "tests/bad/catalog-missing-source.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("error[missing-source]"), "{}", stderr(&out));
}

#[test]
fn a_missing_file_is_an_input_error() {
    let out = dcplan(&["check", "no/such/file.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("error[io-error]"), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(dcplan(&["check"]).status.code(), Some(2));
    assert_eq!(dcplan(&["no-such-command"]).status.code(), Some(2));
    assert_eq!(dcplan(&["schema", "bom"]).status.code(), Some(2));
    assert_eq!(dcplan(&["--help"]).status.code(), Some(0));
}

#[test]
fn a_scenario_naming_a_missing_model_gets_did_you_mean() {
    let out = dcplan(&["check", "tests/bad/unknown-model.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `ixr-d3`?"), "{}", stderr(&out));
}

#[test]
fn a_catalog_passed_as_a_scenario_is_refused_by_kind() {
    let out = dcplan(&["catalog", "--catalog", "scenarios/example.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("error[wrong-kind]"), "{}", stderr(&out));
}

#[test]
fn binary_large_and_empty_files_fail_fast_with_clear_codes() {
    let dir = std::env::temp_dir().join(format!("dcplan-it-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("binary.yaml", vec![0x89, b'P', b'N', b'G', 0, 0, 0xff, 0xfe], "binary-input"),
        ("nul.yaml", b"kind: scenario\n\0\0\0".to_vec(), "binary-input"),
        (
            "utf16.yaml",
            "kind: scenario".encode_utf16().flat_map(|u| u.to_le_bytes()).collect(),
            "binary-input",
        ),
        ("empty.yaml", Vec::new(), "empty-document"),
        ("blank.yaml", b"\n\n   \n".to_vec(), "empty-document"),
        ("comments.yaml", b"# a catalog, one day\n\n  # indented\n".to_vec(), "empty-document"),
        ("markers.yaml", b"# header\n---\n# body\n...\n".to_vec(), "empty-document"),
        ("huge.yaml", vec![b'#'; 100 * 1024 * 1024], "file-too-large"),
    ];
    for (name, bytes, code) in cases {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let started = std::time::Instant::now();
        let out = dcplan(&["check", "--format", "json", path.to_str().unwrap()]);
        let _ = started; // speed is a benchmark's business; here only the outcome.
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stdout(&out));
        assert!(stdout(&out).contains(&format!("\"code\": \"{code}\"")), "{name}: {}", stdout(&out));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Counts past dcplan's limits (src/limits.rs) are input errors at the
/// section's line, not a long run.
#[test]
fn counts_beyond_the_limits_are_refused_at_their_line() {
    let dir = std::env::temp_dir().join(format!("dcplan-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let site = |i: usize| {
        format!("  - {{name: s{i}, servers: 10, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 10, rack_power_budget_kw: 15, pue: 1.3}}\n")
    };
    let head = "kind: scenario\nformat_version: 1\nname: big\nfabric: {leaf_oversubscription: 3}\nsites:\n";
    let many_sites: String = head.to_string() + &(0..1001).map(site).collect::<String>();
    let mut many_demands = head.to_string() + &site(0) + &site(1);
    many_demands.push_str("fibre_routes:\n  - {id: r, between: [s0, s1], length_km: 10, fibre_pairs: 2, fibre: g652d}\ndemands:\n");
    for _ in 0..1001 {
        many_demands.push_str("  - {between: [s0, s1], gbps: 100}\n");
    }
    for (name, text, line, what) in
        [("sites.yaml", many_sites, 6, "1001 sites"), ("demands.yaml", many_demands, 11, "1001 demands")]
    {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = dcplan(&["check", "--format", "json", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stdout(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            json.as_array().unwrap().iter().any(|d| d["code"] == "out-of-range"
                && d["line"] == line
                && d["message"].as_str().unwrap().starts_with(what)),
            "{name}: {json:#}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn plan_json_has_the_documented_fields() {
    let out = dcplan(&["plan", "scenarios/beijing-metro.yaml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let sites = json["sites"].as_array().expect("sites[]");
    assert_eq!(sites.len(), 3);
    for site in sites {
        assert!(site["name"].is_string());
        let tiers = site["fabric"]["tiers"].as_u64().expect("tiers");
        assert!(tiers == 2 || tiers == 3);
        let switches = site["fabric"]["switches"].as_array().expect("switches[]");
        assert_eq!(switches.len() as u64, tiers);
        for s in switches {
            assert!(s["role"].is_string() && s["model"].is_string() && s["count"].as_u64().unwrap() > 0);
        }
        assert!(site["fabric"]["bisection_gbps"].as_u64().unwrap() > 0);
        assert!(site["fabric"]["oversubscription"]["leaf"].as_f64().unwrap() >= 1.0);
        let typical = site["power_w"]["typical"].as_f64().unwrap();
        assert!(site["power_w"]["max"].as_f64().unwrap() >= typical && typical > 0.0);
        assert!(site["rack_units"].as_f64().unwrap() > 0.0);
    }
    let fabric: f64 = sites.iter().map(|s| s["power_w"]["typical"].as_f64().unwrap()).sum();
    let interconnect = json["totals"]["interconnect_power_w"]["typical"].as_f64().unwrap();
    assert!(interconnect > 0.0);
    assert!((json["totals"]["power_w"]["typical"].as_f64().unwrap() - fabric - interconnect).abs() < 0.5);
    // The interconnect: every demand, with both options and the max-flow that carries it.
    let demands = json["interconnect"].as_array().expect("interconnect[]");
    assert_eq!(demands.len(), 3);
    for d in demands {
        assert!(d["between"].as_array().unwrap().len() == 2);
        let demand = d["demand_gbps"].as_u64().unwrap();
        assert!(d["max_flow_gbps"].as_u64().unwrap() >= demand, "{d:#}");
        assert!(d["chosen"].is_string());
        let options = d["options"].as_array().unwrap();
        assert_eq!(options.len(), 3);
        for o in options {
            for key in ["kind", "capacity_gbps", "power_w", "latency_ms", "gsnr_db", "margin_db", "feasible"]
            {
                assert!(!o[key].is_null(), "{key} missing");
            }
            if o["feasible"] == true {
                assert!(o["capacity_gbps"].as_u64().unwrap() >= demand);
            }
        }
    }
}

#[test]
fn plan_is_byte_identical_across_runs() {
    let a = dcplan(&["plan", "scenarios/hyperscale.yaml", "--format", "json"]);
    let b = dcplan(&["plan", "scenarios/hyperscale.yaml", "--format", "json"]);
    assert_eq!(a.status.code(), Some(0));
    assert!(a.stdout == b.stdout, "two runs differ");
}

#[test]
fn plan_out_writes_plan_json_and_refuses_to_overwrite_an_input() {
    let dir = std::env::temp_dir().join(format!("dcplan-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().unwrap();
    let out = dcplan(&["plan", "scenarios/example.yaml", "--out", d]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read(dir.join("plan.json")).expect("plan.json written");
    let printed = dcplan(&["plan", "scenarios/example.yaml", "--format", "json"]).stdout;
    assert_eq!(written, printed);
    // No temporary files are left behind.
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert_eq!(
        names,
        ["bom.csv", "bom.json", "plan.json", "report.html", "spectrum.csv"].map(std::ffi::OsString::from)
    );
    // An output named like an input is refused, and the input is untouched.
    let input = dir.join("plan.json");
    let before = std::fs::read(&input).unwrap();
    let scenario_copy = dir.join("s.yaml");
    std::fs::copy(root().join("scenarios/example.yaml"), &scenario_copy).unwrap();
    std::fs::rename(&scenario_copy, &input).unwrap();
    let out = dcplan(&["plan", input.to_str().unwrap(), "--out", d]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("refusing to overwrite the input"), "{}", stderr(&out));
    assert_ne!(std::fs::read(&input).unwrap(), before);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Outputs are replaced only by a run that succeeds, all of them or none.
#[test]
fn a_failed_run_leaves_the_previous_outputs_as_they_were() {
    let dir = std::env::temp_dir().join(format!("dcplan-keep-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().unwrap();
    assert_eq!(dcplan(&["plan", "scenarios/example.yaml", "--out", d]).status.code(), Some(0));
    let snapshot = || -> Vec<(std::ffi::OsString, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| (e.file_name(), std::fs::read(e.path()).unwrap_or_default()))
            .collect();
        v.sort();
        v
    };
    let before = snapshot();
    // Bad input (exit 2) and a scenario the catalog cannot meet (exit 1).
    for (scenario, code) in [("tests/bad/zero-servers.yaml", 2), ("tests/data/rack-over-budget.yaml", 1)] {
        let out = dcplan(&["plan", scenario, "--out", d]);
        assert_eq!(out.status.code(), Some(code), "{scenario}: {}", stderr(&out));
        assert_eq!(snapshot(), before, "{scenario} changed the outputs");
    }
    // A folder where report.html goes: nothing is replaced, not even the
    // files that could have been.
    std::fs::remove_file(dir.join("report.html")).unwrap();
    std::fs::create_dir(dir.join("report.html")).unwrap();
    let before = snapshot();
    let out = dcplan(&["plan", "scenarios/beijing-metro.yaml", "--out", d]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is not a plain file"), "{}", stderr(&out));
    assert_eq!(snapshot(), before, "a refused run changed the outputs");
    // Every command that writes files refuses to write over its input.
    let scenario = dir.join("s.csv");
    std::fs::copy(root().join("scenarios/example.yaml"), &scenario).unwrap();
    let s = scenario.to_str().unwrap();
    for args in [vec!["export", s, "--to", "cabling", "--out", s], vec!["bom", s, "--out", s]] {
        let out = dcplan(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("refusing to overwrite the input"), "{args:?}: {}", stderr(&out));
        assert_eq!(
            std::fs::read(&scenario).unwrap(),
            std::fs::read(root().join("scenarios/example.yaml")).unwrap()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn plan_into_an_unwritable_place_is_an_input_error() {
    let out = dcplan(&["plan", "scenarios/example.yaml", "--out", "/proc/dcplan-cannot-write-here"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot create the output folder"), "{}", stderr(&out));
    // Below a plain file, for every command that writes.
    let file = root().join("README.md");
    let below = file.join("out");
    let b = below.to_str().unwrap();
    for args in [
        vec!["plan", "scenarios/example.yaml", "--out", b],
        vec!["bom", "scenarios/example.yaml", "--out", &format!("{b}/bom.csv")],
        vec!["export", "scenarios/example.yaml", "--to", "netbox", "--out", b],
        vec!["export", "scenarios/example.yaml", "--to", "cabling", "--out", &format!("{b}/c.csv")],
    ] {
        let out = dcplan(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).starts_with("error: "), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn an_infeasible_scenario_exits_1_with_the_constraint_and_the_numbers() {
    let dir = std::env::temp_dir().join(format!("dcplan-inf-{}", std::process::id()));
    let out = dcplan(&["plan", "tests/data/rack-over-budget.yaml", "--out", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("site `hot`"), "{err}");
    assert!(err.contains("over the 15 kW rack budget"), "{err}");
    assert!(!dir.join("plan.json").exists(), "a failed plan wrote a file");
}

#[test]
fn a_diverse_demand_on_a_single_route_is_refused_with_the_reason() {
    let out = dcplan(&["plan", "tests/data/diverse-one-route.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("every path uses route a-b"), "{}", stderr(&out));
}

#[test]
fn compare_puts_both_options_side_by_side_for_both_deals() {
    for catalog in [None, Some("catalogs/merchant-whitebox.yaml")] {
        let mut args = vec!["compare", "scenarios/beijing-metro.yaml", "--format", "json"];
        args.extend(catalog.map(|c| ["--catalog", c]).into_iter().flatten());
        let out = dcplan(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for d in json["demands"].as_array().unwrap() {
            let kinds: Vec<&str> =
                d["options"].as_array().unwrap().iter().map(|o| o["kind"].as_str().unwrap()).collect();
            assert_eq!(kinds, ["optical", "routed", "fabric-zr"]);
            // The merchant deal has no transponder: its optical option says so.
            if catalog.is_some() {
                assert_eq!(d["options"][0]["feasible"], false);
                assert!(d["options"][0]["reason"].as_str().unwrap().contains("no transponder"));
            }
        }
    }
}

#[test]
fn a_route_beyond_every_reach_is_regenerated_at_amplifier_sites() {
    let out = dcplan(&["plan", "tests/data/regeneration.yaml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &json["interconnect"][0];
    assert!(d["max_flow_gbps"].as_u64().unwrap() >= 800);
    let optical = &d["options"][0];
    assert_eq!(optical["feasible"], true, "{optical:#}");
    let hops = optical["paths"][0]["hops"].as_array().unwrap();
    assert!(hops.len() >= 2, "no regeneration: {} section(s)", hops.len());
    // Every section is within its mode's reach, and the sections cover the route.
    let total: f64 = hops.iter().map(|h| h["length_km"].as_f64().unwrap()).sum();
    assert!((total - 4000.0).abs() < 1e-6);
    for h in hops {
        assert!(h["length_km"].as_f64().unwrap() <= h["verdict"]["reach_km"].as_f64().unwrap());
        assert!(h["verdict"]["margin_db"].as_f64().unwrap() >= 2.0);
    }
    let regen = optical["parts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["why"].as_str().unwrap().starts_with("regeneration"));
    assert!(regen, "no back-to-back transponders counted");
}

#[test]
fn regeneration_does_not_depend_on_the_direction_a_demand_is_written() {
    let text = std::fs::read_to_string(root().join("tests/data/regeneration.yaml")).unwrap();
    let dir = std::env::temp_dir().join(format!("dcplan-dir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let reversed = dir.join("reversed.yaml");
    std::fs::write(&reversed, text.replace("between: [west, east], gbps", "between: [east, west], gbps"))
        .unwrap();
    let parts = |path: &str| -> Vec<(String, String, u64)> {
        let out = dcplan(&["plan", path, "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut v: Vec<(String, String, u64)> = json["interconnect"][0]["options"][0]["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["site"].as_str().unwrap().into(),
                    p["item"].as_str().unwrap().into(),
                    p["quantity"].as_u64().unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(parts("tests/data/regeneration.yaml"), parts(reversed.to_str().unwrap()));
    let _ = std::fs::remove_dir_all(&dir);
}

/// An option with no path (the merchant catalog has no transponder for
/// Beijing's routes) has paths of no hops, whose length and latency are
/// empty sums: an empty sum of f64 is -0.0 in Rust, which JSON would show.
#[test]
fn plan_json_never_shows_a_negative_zero() {
    let out = dcplan(&[
        "plan",
        "scenarios/beijing-metro.yaml",
        "--catalog",
        "catalogs/merchant-whitebox.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let plan: serde_json::Value = serde_json::from_str(&text).expect("plan.json");
    let empty = plan["interconnect"]
        .as_array()
        .expect("interconnect")
        .iter()
        .flat_map(|d| d["options"].as_array().into_iter().flatten())
        .flat_map(|o| o["paths"].as_array().into_iter().flatten())
        .filter(|p| p["hops"].as_array().is_some_and(|h| h.is_empty()))
        .count();
    assert!(empty > 0, "no path without hops: the case is not exercised");
    assert!(!text.contains("-0.0"), "a negative zero in plan.json");
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The README's "Environment" section names every variable the code
/// reads by name (`env::var("…")`, `env::var_os("…")`; tracing's
/// `EnvFilter::…_default_env` reads `RUST_LOG`).
#[test]
fn the_readme_names_every_environment_variable_the_code_reads() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("\n## Environment\n").expect("an Environment section");
    let section = &readme[start + 1..];
    let section = &section[..section[1..].find("\n## ").map_or(section.len(), |i| i + 1)];
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut names = std::collections::BTreeSet::new();
    for file in files {
        let code = std::fs::read_to_string(&file).unwrap();
        for call in ["var(\"", "var_os(\""] {
            for (at, _) in code.match_indices(call) {
                let rest = &code[at + call.len()..];
                names.insert(rest[..rest.find('"').unwrap()].to_string());
            }
        }
        if code.contains("_default_env()") {
            names.insert("RUST_LOG".to_string());
        }
    }
    assert!(names.contains("RAYON_NUM_THREADS") && names.contains("RUST_LOG"), "{names:?}");
    for name in &names {
        assert!(
            section.contains(&format!("`{name}`")),
            "`{name}` is read in src/ but not in the README's Environment section"
        );
    }
}
