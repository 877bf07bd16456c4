//! The scenario and route loaders on any bytes, against the shipped catalog:
//! a scenario or diagnostics, never a panic.
#![no_main]

use dcplan::load::{self, Source};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn catalog() -> &'static dcplan::model::Catalog {
    static CATALOG: OnceLock<dcplan::model::Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| load::load_catalog(&Source::embedded_catalog()).expect("embedded catalog").value)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = load::text_from_bytes(data) else { return };
    let source = Source::new("fuzz.yaml", text);
    for result in [load::load_scenario(&source, catalog()).map(|_| ()), load::load_route(&source).map(|_| ())]
    {
        if let Err(report) = result {
            assert!(report.has_errors());
            let _ = dcplan::render::diagnostics::to_text(&report);
        }
    }
});
