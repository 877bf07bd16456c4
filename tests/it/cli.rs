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
    assert!(stdout(&out).contains("error[io-error]"), "{}", stdout(&out));
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
    assert!(stdout(&out).contains("did you mean `ixr-d3`?"), "{}", stdout(&out));
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
