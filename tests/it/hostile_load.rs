//! Hostile inputs to the loader, each a finding of issue 16 with its
//! reproducer built here: exit 2 with a diagnostic at the right place,
//! never a panic (101), a hang or unbounded memory. Big inputs are
//! generated, not committed.

use crate::support::*;
use serde_json::Value;
use std::path::Path;

/// `dcplan check --format json` on a file: the exit code and the diagnostics.
fn check_file(path: &Path) -> (Option<i32>, Vec<Value>) {
    let out = dcplan(&["check", "--format", "json", &path.to_string_lossy()]);
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(&out), stderr(&out)));
    (out.status.code(), json.as_array().cloned().unwrap_or_default())
}

/// `check_file` on a text written to a temporary file.
fn check_text(text: &str) -> (Option<i32>, Vec<Value>) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("input.yaml");
    std::fs::write(&path, text).expect("write the input");
    check_file(&path)
}

/// The one error with `code`, or a panic listing what was reported.
fn the_error<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    let found: Vec<&Value> =
        diagnostics.iter().filter(|d| d["code"] == code && d["severity"] == "error").collect();
    assert_eq!(found.len(), 1, "expected one `{code}` error, got {diagnostics:#?}");
    found[0]
}

/// A scenario of `sites` sites written as one line of flow YAML, with the
/// last site's `servers` misspelt: the shape that made diagnostics
/// quadratic in the line's length.
fn one_line_scenario(sites: usize) -> String {
    let site = |i: usize, servers: &str| {
        format!(
            "{{name: s{i}, {servers}: 10, nics_per_server: 2, nic_speed_gbps: 25, servers_per_rack: 40, \
             rack_power_budget_kw: 18, pue: 1.3, layout: {{in_rack_m: 3, in_row_m: 30, across_hall_m: 150}}}}"
        )
    };
    let mut line = String::from("sites: [");
    for i in 0..sites {
        line.push_str(&site(i, if i + 1 == sites { "servrs" } else { "servers" }));
        line.push_str(if i + 1 == sites { "]" } else { ", " });
    }
    format!(
        "kind: scenario\nformat_version: 1\nname: long line\n\
         fabric: {{leaf_oversubscription: 3, spine_oversubscription: 1}}\n{line}\n"
    )
}

#[test]
fn one_error_on_a_long_line_is_located_without_rescanning_the_line() {
    // 1,000 sites in 200 KB on one line: 25 s before the index was linear.
    let text = one_line_scenario(1000);
    let (code, diagnostics) = check_text(&text);
    assert_eq!(code, Some(2));
    let d = the_error(&diagnostics, "unknown-field");
    assert_eq!(d["path"], "sites[999].servrs");
    let line = text.lines().nth(4).expect("the sites line");
    let column = line.find("servrs").expect("the typo") + 1;
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(5), Some(column as u64)));
}
