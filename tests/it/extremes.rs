//! Every numeric figure of the formats set to its type's extremes (0, the
//! largest and smallest integers, past them, huge and tiny floats, NaN,
//! infinities, negatives): the loader answers with a value or with errors,
//! never a panic (the validator multiplied figures it had already found
//! invalid: `lanes × speed_gbps` overflowed). One figure at a time over
//! every figure of fixtures that write them all, then random combinations.
//! A scenario that still loads is planned too.

use dcplan::load::{self, Source};
use dcplan::model::Catalog;
use proptest::prelude::*;
use serde_yaml::Value;
use std::sync::OnceLock;

const CATALOG: &str = include_str!("../data/every-figure-catalog.yaml");
const SCENARIO: &str = include_str!("../data/every-figure-scenario.yaml");
const ROUTE: &str = include_str!("../data/every-figure-route.yaml");

/// Written in place of a number, then replaced by the extreme's text (so
/// that values YAML cannot hold as numbers, like 2⁶⁴, reach the loader as
/// written).
const HOLE: &str = "HOLE_FOR_AN_EXTREME";

/// Extremes of the integer and float types, as YAML writes them.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999999999999999",
    "0.5",
    "-0.0",
    "-1.5",
    "1e308",
    "-1e308",
    "1e-308",
    "5e-324",
    ".nan",
    ".inf",
    "-.inf",
];

/// Extremes of the decimal amounts (prices, percentages), written as text.
const DECIMALS: &[&str] = &[
    "\"0\"",
    "\"-1\"",
    "\"0.001\"",
    "\"1e30\"",
    "\"79228162514264337593543950335\"",
    "\"79228162514264337593543950336\"",
    "\"0.0000000000000000000000000001\"",
    "\"NaN\"",
    "\"-0\"",
    "1e308",
    "-1",
];

/// The paths of every number, and of every decimal written as text, in a document.
fn figures(
    value: &Value,
    path: &mut Vec<Value>,
    numbers: &mut Vec<Vec<Value>>,
    decimals: &mut Vec<Vec<Value>>,
) {
    match value {
        Value::Number(_) => numbers.push(path.clone()),
        Value::String(s) if s.parse::<f64>().is_ok() => decimals.push(path.clone()),
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Value::Number(i.into()));
                figures(item, path, numbers, decimals);
                path.pop();
            }
        }
        Value::Mapping(map) => {
            for (key, item) in map {
                path.push(key.clone());
                figures(item, path, numbers, decimals);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(value: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match step {
        Value::Number(i) => &mut v[i.as_u64().expect("an index") as usize],
        key => v.get_mut(key).expect("a key on the path"),
    })
}

/// The document with each (path, text) figure replaced.
fn with(document: &Value, changes: &[(&[Value], &str)]) -> String {
    let mut value = document.clone();
    for (path, _) in changes {
        *at(&mut value, path) = Value::String(HOLE.into());
    }
    let mut text = serde_yaml::to_string(&value).expect("YAML");
    for (_, extreme) in changes {
        text = text.replacen(HOLE, extreme, 1);
    }
    text
}

struct Fixture {
    document: Value,
    numbers: Vec<Vec<Value>>,
    decimals: Vec<Vec<Value>>,
}

fn fixture(text: &str) -> Fixture {
    let document: Value = serde_yaml::from_str(text).expect("fixture YAML");
    let (mut numbers, mut decimals) = (Vec::new(), Vec::new());
    figures(&document, &mut Vec::new(), &mut numbers, &mut decimals);
    Fixture { document, numbers, decimals }
}

fn embedded() -> &'static Catalog {
    static EMBEDDED: OnceLock<Catalog> = OnceLock::new();
    EMBEDDED.get_or_init(|| load::load_catalog(&Source::embedded_catalog()).expect("embedded").value)
}

/// Loads a document of `kind` (and plans a scenario that loads); true when
/// it loaded. A refusal must carry an error: exit 2, never 0 with nothing said.
fn load_kind(kind: &str, text: &str) -> bool {
    let source = Source::new("extreme.yaml", text);
    let result = match kind {
        "catalog" => load::load_catalog(&source).map(|_| ()),
        "route" => load::load_route(&source).map(|_| ()),
        _ => load::load_scenario(&source, embedded()).map(|loaded| {
            // Planned against the shipped catalog: accepted figures must not
            // panic further on either (infeasible is a fine answer).
            let _ = dcplan::plan::plan(embedded(), &loaded.value);
        }),
    };
    match result {
        Ok(()) => true,
        Err(report) => {
            assert!(report.has_errors(), "refused without an error:\n{text}");
            false
        }
    }
}

fn fixtures() -> [(&'static str, &'static Fixture); 3] {
    static ALL: OnceLock<[Fixture; 3]> = OnceLock::new();
    let all = ALL.get_or_init(|| [fixture(CATALOG), fixture(SCENARIO), fixture(ROUTE)]);
    [("catalog", &all[0]), ("scenario", &all[1]), ("route", &all[2])]
}

#[test]
fn the_fixtures_write_many_figures_and_load_clean() {
    let counts: Vec<(usize, usize)> =
        fixtures().iter().map(|(_, f)| (f.numbers.len(), f.decimals.len())).collect();
    assert!(counts[0].0 >= 80 && counts[0].1 >= 15, "catalog figures: {counts:?}");
    assert!(counts[1].0 >= 30 && counts[2].0 >= 5, "scenario and route figures: {counts:?}");
    // The scenario is checked against the embedded catalog; the catalog
    // fixture on its own.
    assert!(load::load_catalog(&Source::new("c.yaml", CATALOG)).is_ok());
    assert!(load_kind("scenario", SCENARIO) && load_kind("route", ROUTE));
}

#[test]
fn every_figure_at_every_extreme_loads_or_is_refused_never_panics() {
    let mut loaded = 0;
    let mut refused = 0;
    for (kind, f) in fixtures() {
        for (paths, extremes) in [(&f.numbers, NUMBERS), (&f.decimals, DECIMALS)] {
            for path in paths {
                for extreme in extremes {
                    let text = with(&f.document, &[(path, extreme)]);
                    let ok = std::panic::catch_unwind(|| load_kind(kind, &text))
                        .unwrap_or_else(|_| panic!("{kind}: {path:?} = {extreme} panicked"));
                    if ok {
                        loaded += 1;
                    } else {
                        refused += 1;
                    }
                }
            }
        }
    }
    // Most extremes are refused; a few (0, 1, 2, 0.5, a tiny loss) are fine
    // figures somewhere.
    assert!(refused > 5 * loaded && loaded > 0, "{loaded} loaded, {refused} refused");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    /// Several figures of one document at extremes together (a product of
    /// two of them is where an overflow hides).
    #[test]
    fn figures_at_extremes_together_never_panic(
        which in 0usize..3,
        picks in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..6),
    ) {
        let (kind, f) = fixtures()[which];
        let all: Vec<(&[Value], &[&str])> = f.numbers.iter().map(|p| (p.as_slice(), NUMBERS))
            .chain(f.decimals.iter().map(|p| (p.as_slice(), DECIMALS)))
            .collect();
        let mut changes: Vec<(&[Value], &str)> = Vec::new();
        for (figure, extreme) in &picks {
            let (path, extremes) = all[figure.index(all.len())];
            if changes.iter().all(|(p, _)| *p != path) {
                changes.push((path, extremes[extreme.index(extremes.len())]));
            }
        }
        let text = with(&f.document, &changes);
        load_kind(kind, &text);
    }
}
