//! Time to report one error in the largest document dcplan reads: an 8 MiB
//! scenario written as one line of minified JSON, with one misspelt field
//! near its end. Locating a problem used to rescan the line for every value
//! (quadratic: about two hours at this size); goal (README) under 1 s for
//! the whole load on a 2-core machine. The document is JSON, read by
//! serde_json (`load/yaml/json.rs`); the same document as YAML flow
//! (unquoted keys) goes through the guard, libyaml and yaml-rust2's index,
//! and is timed too (linear, but about four times slower). And the text
//! report of 2,000 errors on such a line: each snippet used to scan the
//! whole line for its ends (16 s for the report; 0.3 s as JSON).

use criterion::{criterion_group, criterion_main, Criterion};
use dcplan::load::{self, yaml::LocationIndex, Source};
use dcplan::model::Catalog;

/// The document, and the path of its one error.
fn one_line_document() -> (String, &'static str) {
    const SPANS: usize = 90;
    let spans = vec![r#"{"length_km":1}"#; SPANS].join(",");
    let route = |i: usize, spans: &str| {
        format!(
            r#"{{"id":"r{i}","between":["a","b"],"length_km":{SPANS},"fibre_pairs":1,"fibre":"g652d","spans":[{spans}]}}"#
        )
    };
    let site = |name: &str| {
        format!(
            r#"{{"name":"{name}","servers":100,"nics_per_server":2,"nic_speed_gbps":25,"servers_per_rack":40,"rack_power_budget_kw":18,"pue":1.3,"layout":{{"in_rack_m":3,"in_row_m":30,"across_hall_m":150}}}}"#
        )
    };
    let head = format!(
        r#"{{"kind":"scenario","format_version":1,"name":"one line","fabric":{{"leaf_oversubscription":3,"spine_oversubscription":1}},"sites":[{},{}],"fibre_routes":["#,
        site("a"),
        site("b")
    );
    let typo = spans.replacen("length_km", "lenght_km", 1);
    let last = route(0, &typo);
    let budget = load::MAX_FILE_BYTES as usize - head.len() - last.len() - 8;
    let mut routes = Vec::new();
    let mut size = 0;
    while routes.len() + 1 < dcplan::limits::MAX_ROUTES {
        let r = route(routes.len() + 1, &spans);
        if size + r.len() + 1 > budget {
            break;
        }
        size += r.len() + 1;
        routes.push(r);
    }
    let path = Box::leak(format!("fibre_routes[{}].spans[0].lenght_km", routes.len()).into_boxed_str());
    routes.push(last);
    (format!("{head}{}]}}\n", routes.join(",")), path)
}

/// The one-line document with the first span of `routes` routes spread
/// along the line misspelt (`lengtk_km`, the same length: an unknown field
/// and a missing one, two diagnostics each).
fn many_errors_document(routes: usize) -> String {
    let (text, _) = one_line_document();
    let every = text.matches(r#""spans":["#).count() / routes;
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split(r#""spans":[{"length_km""#).enumerate() {
        if i > 0 {
            let wrong = (i - 1) % every == 0 && (i - 1) / every < routes;
            out.push_str(if wrong { r#""spans":[{"lengtk_km""# } else { r#""spans":[{"length_km""# });
        }
        out.push_str(part);
    }
    out
}

/// The JSON document as YAML flow: `"key":` written `key: `.
fn unquoted_keys(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 8);
    let mut rest = json;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('"').expect("a closed string");
        let word = &after[..close];
        if after[close + 1..].starts_with(':') && word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            out.push_str(word);
            out.push_str(": ");
            rest = &after[close + 2..];
        } else {
            out.push_str(&rest[open..open + close + 2]);
            rest = &after[close + 1..];
        }
    }
    out.push_str(rest);
    out
}

fn bench_diagnostics(c: &mut Criterion) {
    let (text, path) = one_line_document();
    assert!(text.len() as u64 <= load::MAX_FILE_BYTES && text.len() > 7 << 20, "{} bytes", text.len());
    assert_eq!(text.lines().count(), 1);
    let catalog: Catalog = load::load_catalog(&Source::embedded_catalog()).expect("catalog").value;
    let source = Source::new("one-line.json", text.clone());
    let report = load::load_scenario(&source, &catalog).expect_err("one error");
    assert!(
        report.diagnostics.iter().any(|d| d.path.as_deref() == Some(path) && d.location.is_some()),
        "{:?}",
        report.diagnostics
    );

    let mut group = c.benchmark_group("diagnostics");
    group.sample_size(10);
    group.bench_function("locate-8mib-one-line", |b| b.iter(|| LocationIndex::build(&text, [path])));
    group.bench_function("load-8mib-one-line", |b| {
        b.iter(|| load::load_scenario(&source, &catalog).expect_err("one error"))
    });
    let flow = Source::new("one-line.yaml", unquoted_keys(&text));
    assert!(!flow.text.starts_with("{\""));
    let report = load::load_scenario(&flow, &catalog).expect_err("one error");
    assert!(report.diagnostics.iter().any(|d| d.path.as_deref() == Some(path)), "{:?}", report.diagnostics);
    group.bench_function("load-8mib-one-line-yaml-flow", |b| {
        b.iter(|| load::load_scenario(&flow, &catalog).expect_err("one error"))
    });
    let many = Source::new("many-errors.json", many_errors_document(1000));
    let report = load::load_scenario(&many, &catalog).expect_err("2,000 errors");
    assert!(report.diagnostics.len() >= 2000, "{} diagnostics", report.diagnostics.len());
    group.bench_function("text-report-2000-errors-one-line", |b| {
        b.iter(|| dcplan::render::diagnostics::to_text(&report))
    });
    group.finish();
}

criterion_group!(benches, bench_diagnostics);
criterion_main!(benches);
