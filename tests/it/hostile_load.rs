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

/// The same scenario as minified JSON (the finding's other shape: 565 KB
/// took 37.6 s to report one typo), read by serde_json rather than libyaml:
/// the same diagnostics, at the same places, as its YAML twin, and the
/// printed snippet is a window of the line, not the line.
#[test]
fn a_minified_json_scenario_is_diagnosed_as_its_yaml_twin_is() {
    let yaml_text = one_line_scenario(300);
    let value: serde_json::Value = serde_yaml::from_str(&yaml_text).expect("YAML");
    let json_text = serde_json::to_string(&value).expect("JSON");
    let twin = serde_json::to_string(&value).expect("JSON").replace("\"servers\":10", "\"servers\": 10");
    let (code, by_json) = check_text(&json_text);
    assert_eq!(code, Some(2));
    let d = the_error(&by_json, "unknown-field");
    assert_eq!(d["path"], "sites[299].servrs");
    let column = json_text.find("\"servrs\"").expect("the typo") + 1;
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(1), Some(column as u64)));
    // The JSON read as YAML flow (a space after one colon makes no
    // difference to YAML, and keeps serde_json's reading apart from
    // libyaml's only if the two disagreed): the same diagnostics.
    let flow = format!("# a comment makes it YAML\n{twin}");
    let (_, by_yaml) = check_text(&flow);
    let strip = |ds: &[Value], line_shift: u64| -> Vec<(Value, Value, Option<u64>)> {
        ds.iter()
            .map(|d| (d["code"].clone(), d["path"].clone(), d["line"].as_u64().map(|l| l - line_shift)))
            .collect()
    };
    assert_eq!(strip(&by_json, 0), strip(&by_yaml, 1));
    // The text report shows a window of the 100 KB line.
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("input.json");
    std::fs::write(&path, &json_text).expect("write the input");
    let out = dcplan(&["check", &path.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let report = stderr(&out);
    assert!(report.len() < 4_000 && report.contains("\"servrs\""), "{} bytes: {report}", report.len());
}

/// A scenario of nearly 8 MiB on one line of minified JSON: routes of 90
/// spans each, an unknown field in the first span of `errors` of them,
/// spread along the line.
fn one_line_with_errors(errors: usize) -> String {
    let spans = vec![r#"{"length_km":1}"#; 90].join(",");
    let wrong = spans.replacen(r#"{"length_km":1}"#, r#"{"length_km":1,"colour":1}"#, 1);
    let route = |i: usize, spans: &str| {
        format!(
            r#"{{"id":"r{i}","between":["a","b"],"length_km":90,"fibre_pairs":1,"fibre":"g652d","spans":[{spans}]}}"#
        )
    };
    let site = |name: &str| {
        format!(
            r#"{{"name":"{name}","servers":100,"nics_per_server":2,"nic_speed_gbps":25,"servers_per_rack":40,"rack_power_budget_kw":18,"pue":1.3}}"#
        )
    };
    let routes = (7 << 20) / route(0, &spans).len();
    let every = routes / errors;
    let all: Vec<String> = (0..routes)
        .map(|i| route(i, if i % every == 0 && i / every < errors { &wrong } else { &spans }))
        .collect();
    format!(
        r#"{{"kind":"scenario","format_version":1,"name":"one line","fabric":{{"leaf_oversubscription":3}},"sites":[{},{}],"fibre_routes":[{}]}}"#,
        site("a"),
        site("b"),
        all.join(",")
    ) + "\n"
}

/// 2,000 errors on one line of 7 MiB: the text report scanned the whole
/// line for each snippet (16 s; 0.3 s as JSON). Each snippet is a window
/// of the line, found without scanning it (`benches/diagnostics.rs` times it).
#[test]
fn thousands_of_errors_on_one_long_line_are_each_shown_as_a_short_window() {
    let text = one_line_with_errors(2000);
    assert!(text.len() > 7 << 20 && text.lines().count() == 1, "{} bytes", text.len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one-line.json");
    std::fs::write(&path, &text).unwrap();
    let out = dcplan(&["check", &path.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let report = stderr(&out);
    assert_eq!(report.matches("error[unknown-field]").count(), 2000, "{}", &report[..2000]);
    let snippets: Vec<&str> = report.lines().filter(|l| l.starts_with("1 | ")).collect();
    assert_eq!(snippets.len(), 2000);
    for line in &snippets {
        assert!(line.len() < 200 && line.contains(r#""colour":1"#), "{line}");
    }
    assert!(report.len() < 2000 * 1000, "{} bytes", report.len());
}

/// The issue's alias bomb: a list of 10,000 scalars referenced through four
/// levels of ten aliases, 60 KB that expand to 10⁸ values (it exhausted 6 GiB).
fn alias_bomb() -> String {
    let mut text = String::from("kind: scenario\nformat_version: 1\nname: bomb\n");
    text.push_str(&format!("a0: &a0 [{}]\n", vec!["x"; 10_000].join(", ")));
    for i in 1..=4 {
        text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(", ")));
    }
    text
}

#[test]
fn an_alias_bomb_within_the_jump_limit_is_refused_at_the_alias_that_crosses_the_bound() {
    let text = alias_bomb();
    assert!(text.len() < 70_000, "{} bytes", text.len());
    let (code, diagnostics) = check_text(&text);
    assert_eq!(code, Some(2));
    let d = the_error(&diagnostics, "yaml-limit");
    assert!(d["message"].as_str().unwrap().contains("2,000,000 values"), "{d}");
    // 10,000 + 10 × 10,000 + 100 × 10,000 ... crosses 2,000,000 inside `a3`.
    assert_eq!(d["line"], 7, "{d}");
    // `plan` refuses it the same way, before building anything.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.yaml");
    std::fs::write(&path, &text).unwrap();
    let out = dcplan(&["plan", &path.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(format!("{}{}", stdout(&out), stderr(&out)).contains("error[yaml-limit]"));
}

#[test]
fn deep_flow_nesting_on_one_line_is_refused_before_libyaml_reads_it() {
    // 160 KB of `[`: 54 s in libyaml before serde_yaml counted a level.
    let text = format!("kind: scenario\nx: {}{}\n", "[".repeat(80_000), "]".repeat(80_000));
    let (code, diagnostics) = check_text(&text);
    assert_eq!(code, Some(2));
    let d = the_error(&diagnostics, "yaml-limit");
    assert_eq!(d["line"], 2, "{d}");
    assert!(d["message"].as_str().unwrap().contains("deeper than 128 levels"), "{d}");
}

#[test]
fn yaml_tags_other_than_the_core_ones_are_errors_at_their_line() {
    let catalog = std::fs::read_to_string(root().join("catalogs/merchant-whitebox.yaml")).unwrap();
    for (tag, shown) in [
        ("!!binary", "!!binary"),
        ("!foo", "!foo"),
        ("!<tag:example.com,2024:x>", "!<tag:example.com,2024:x>"),
    ] {
        let text = catalog.replacen("model: FS N9600-64OD", &format!("model: {tag} RlMgTjk2MDA="), 1);
        let line = text.lines().position(|l| l.contains(tag)).unwrap() + 1;
        let (code, diagnostics) = check_text(&text);
        assert_eq!(code, Some(2), "{tag}");
        let d = the_error(&diagnostics, "unknown-tag");
        assert_eq!((d["line"].as_u64(), d["found"].as_str()), (Some(line as u64), Some(shown)), "{d}");
    }
    // A core tag that means what it says is still read.
    let text = catalog.replacen("model: FS N9600-64OD", "model: !!str FS N9600-64OD", 1);
    assert_eq!(check_text(&text).0, Some(0));
}

/// A one-site scenario with the site's name written as given (YAML escapes
/// and all), and a second site when `second` is given.
fn scenario_with_sites(first: &str, second: Option<&str>) -> String {
    let site = |name: &str| {
        format!(
            "  - name: {name}\n    servers: 96\n    nics_per_server: 2\n    nic_speed_gbps: 25\n    servers_per_rack: 24\n    \
             rack_power_budget_kw: 18\n    pue: 1.3\n    layout: {{in_rack_m: 3, in_row_m: 30, across_hall_m: 150}}\n"
        )
    };
    let mut text = String::from(
        "kind: scenario\nformat_version: 1\nname: names\nfabric: {leaf_oversubscription: 3, spine_oversubscription: 1}\nsites:\n",
    );
    text.push_str(&site(first));
    if let Some(second) = second {
        text.push_str(&site(second));
    }
    text
}

/// Every byte `check` prints, in text and in JSON, for a file.
fn everything_printed(text: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input.yaml");
    std::fs::write(&path, text).unwrap();
    let mut all = Vec::new();
    for args in [vec!["check"], vec!["check", "--format", "json"]] {
        let out = dcplan(&[args.as_slice(), &[path.to_str().unwrap()]].concat());
        assert_eq!(out.status.code(), Some(2), "{}{}", stdout(&out), stderr(&out));
        all.extend(out.stdout);
        all.extend(out.stderr);
    }
    all
}

#[test]
fn control_characters_written_as_yaml_escapes_are_refused_and_never_printed() {
    for name in [r#""\u001b[2J\u001b]0;pwned\u0007""#, r#""\0""#, r#""a\u202eb""#, r#""two\nlines""#] {
        let text = scenario_with_sites(name, None);
        let (code, diagnostics) = check_text(&text);
        assert_eq!(code, Some(2), "{name}");
        let d = the_error(&diagnostics, "control-character");
        assert_eq!((d["path"].as_str(), d["line"].as_u64()), (Some("sites[0].name"), Some(6)), "{d}");
        // Nothing the terminal would act on, whatever the output format.
        let printed = everything_printed(&text);
        let raw: Vec<u8> = printed
            .iter()
            .copied()
            .filter(|b| *b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t') || *b == 0x7f)
            .collect();
        assert!(raw.is_empty(), "{name}: raw control bytes {raw:?} in the output");
        assert!(!String::from_utf8_lossy(&printed).contains('\u{202e}'), "{name}");
    }
    // In a catalog, any field: the model of a switch.
    let catalog = std::fs::read_to_string(root().join("catalogs/merchant-whitebox.yaml")).unwrap();
    let text = catalog.replacen("model: FS N9600-64OD", r#"model: "FS\u001b[31m N9600""#, 1);
    let (code, diagnostics) = check_text(&text);
    assert_eq!(code, Some(2));
    assert_eq!(the_error(&diagnostics, "control-character")["path"], "switches[0].model");
}

#[test]
fn names_longer_than_a_spreadsheet_cell_and_far_shorter_ones_are_refused() {
    // 32,768 characters: what `bom --out x.xlsx` failed on after `check` passed.
    for length in [32_768, 257] {
        let text = scenario_with_sites(&"s".repeat(length), None);
        let (code, diagnostics) = check_text(&text);
        assert_eq!(code, Some(2), "{length}");
        let d = the_error(&diagnostics, "too-long");
        assert_eq!(
            (d["path"].as_str(), d["expected"].as_str()),
            (Some("sites[0].name"), Some("at most 256 characters"))
        );
    }
    assert_eq!(check_text(&scenario_with_sites(&"s".repeat(256), None)).0, Some(0));
}

#[test]
fn sites_whose_netbox_slugs_collide_are_refused_naming_both() {
    let text = scenario_with_sites("Site A", Some(r#""site a ""#));
    let (code, diagnostics) = check_text(&text);
    assert_eq!(code, Some(2));
    let d = the_error(&diagnostics, "duplicate-id");
    assert_eq!((d["path"].as_str(), d["line"].as_u64()), (Some("sites[1].name"), Some(14)), "{d}");
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("`site a `") && message.contains("`Site A`") && message.contains("`site-a`"),
        "{message}"
    );
}

#[test]
fn the_loader_slugs_sites_as_the_netbox_export_does() {
    let names = ["Site A", "b_2.x", "Pékin Métro 1", "--x--y--"];
    let mut text = scenario_with_sites(names[0], None);
    for name in &names[1..] {
        let extra = scenario_with_sites(name, None);
        text.push_str(&extra[extra.find("  - name:").unwrap()..]);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sites.yaml");
    std::fs::write(&path, &text).unwrap();
    let out_dir = dir.path().join("netbox");
    let out =
        dcplan(&["export", "--to", "netbox", &path.to_string_lossy(), "--out", &out_dir.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let csv = std::fs::read_to_string(out_dir.join("sites.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let exported: Vec<(String, String)> =
        rows.records().map(|r| r.unwrap()).map(|r| (r[0].to_string(), r[1].to_string())).collect();
    assert_eq!(exported.len(), names.len());
    for (name, slug) in exported {
        assert_eq!(slug, dcplan::text::slug(&name), "{name}");
    }
}

/// Runs `dcplan` with a deadline: a hang is a failure, not a stuck test.
fn dcplan_within(args: &[&str], seconds: u64) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dcplan"))
        .args(args)
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("dcplan runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while child.try_wait().expect("wait").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("dcplan {args:?} still running after {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_as_an_input_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("scenario.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success(), "mkfifo");
    let fifo = fifo.to_str().unwrap();
    // No writer ever comes: before, `check` waited forever.
    for args in [
        vec!["check", fifo],
        vec!["plan", fifo],
        vec!["plan", "scenarios/example.yaml", "--catalog", fifo],
        vec!["check", "/dev/zero"],
    ] {
        let out = dcplan_within(&args, 20);
        let printed = format!("{}{}", stdout(&out), stderr(&out));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {printed}");
        assert!(printed.contains("not a regular file"), "{args:?}: {printed}");
    }
}

#[test]
fn an_alias_bomb_in_a_document_only_libyaml_reads_is_refused_too() {
    // yaml-rust2, which measures the expansion without expanding, stops at
    // the tab after `z:`; libyaml reads on, and the value it builds is counted.
    let text = alias_bomb().replacen("name: bomb\n", "name: bomb\nz:\tq\n", 1);
    let (code, diagnostics) = check_text(&text);
    assert_eq!(code, Some(2));
    let d = the_error(&diagnostics, "yaml-limit");
    assert!(d["message"].as_str().unwrap().starts_with("with its aliases expanded"), "{d}");
}

/// Alias bombs of several shapes, the text after a document's head: each
/// expands far beyond the bounds while the file stays under 12 KB.
fn alias_bomb_shapes() -> Vec<(&'static str, String)> {
    let list = |n: usize, item: &str| vec![item.to_string(); n].join(", ");
    let mut shapes = Vec::new();
    // Flow lists: ten of ten, six levels (10⁶ values and then some).
    let mut flow = format!("a0: &a0 [{}]\n", list(10, "x"));
    for i in 1..=6 {
        flow.push_str(&format!("a{i}: &a{i} [{}]\n", list(10, &format!("*a{}", i - 1))));
    }
    shapes.push(("flow lists", flow));
    // Block mappings: each level a mapping of ten keys, each the level below.
    let mut block = String::from("m0: &m0\n");
    block.extend((0..10).map(|k| format!("  k{k}: v\n")));
    for i in 1..=7 {
        block.push_str(&format!("m{i}: &m{i}\n"));
        block.extend((0..10).map(|k| format!("  k{k}: *m{}\n", i - 1)));
    }
    shapes.push(("block mappings", block));
    // Merge keys: each level merges the one below and holds it ten times more.
    let mut merge =
        format!("g0: &g0 {{{}}}\n", (0..10).map(|k| format!("k{k}: v")).collect::<Vec<_>>().join(", "));
    for i in 1..=7 {
        let held: Vec<String> = (0..10).map(|k| format!("h{k}: *g{}", i - 1)).collect();
        merge.push_str(&format!("g{i}: &g{i} {{<<: *g{}, {}}}\n", i - 1, held.join(", ")));
    }
    shapes.push(("merge keys", merge));
    // One long text aliased 1,700 times: 8.5 MB of text from 12 KB.
    let text = format!("s: &s \"{}\"\nt: [{}]\n", "y".repeat(5_000), list(1_700, "*s"));
    shapes.push(("a long text aliased many times", text));
    // A chain of pairs, each the one below twice: 2³⁰ values.
    let mut chain = String::from("c0: &c0 [x, x]\n");
    for i in 1..30 {
        chain.push_str(&format!("c{i}: &c{i} [*c{}, *c{}]\n", i - 1, i - 1));
    }
    shapes.push(("a chain of pairs", chain));
    shapes
}

/// Every shape, as a scenario and as a catalog, refused as `yaml-limit`
/// (exit 2) by `check` and by `plan`, before anything is built.
#[test]
fn alias_bombs_of_every_shape_are_refused_as_scenario_and_as_catalog() {
    let heads = [
        ("scenario", "kind: scenario\nformat_version: 1\nname: bomb\n"),
        ("catalog", "kind: catalog\nformat_version: 1\nname: bomb\nvendor: Test\n"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (shape, body) in alias_bomb_shapes() {
        for (kind, head) in heads {
            let text = format!("{head}{body}");
            assert!(text.len() < 12_000, "{shape}: {} bytes", text.len());
            let (code, diagnostics) = check_text(&text);
            assert_eq!(code, Some(2), "{shape} as {kind}: {diagnostics:#?}");
            let d = the_error(&diagnostics, "yaml-limit");
            assert!(d["message"].as_str().unwrap().contains("aliases expanded"), "{shape} as {kind}: {d}");
            let path = dir.path().join(format!("{kind}.yaml"));
            std::fs::write(&path, &text).unwrap();
            let path = path.to_string_lossy();
            let args = match kind {
                "scenario" => vec!["plan", &path],
                _ => vec!["plan", "scenarios/example.yaml", "--catalog", &path],
            };
            let out = dcplan(&args);
            assert_eq!(out.status.code(), Some(2), "{shape} as {kind}: {}", stderr(&out));
            assert!(stderr(&out).contains("error[yaml-limit]"), "{shape} as {kind}: {}", stderr(&out));
        }
    }
}
