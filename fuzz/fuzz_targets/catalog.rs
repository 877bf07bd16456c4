//! The catalog loader on any bytes: a catalog or diagnostics, never a panic.
#![no_main]

use dcplan::load::{self, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = load::text_from_bytes(data) else { return };
    let source = Source::new("fuzz.yaml", text);
    let _ = load::detect_kind(&source);
    match load::load_catalog(&source) {
        Ok(loaded) => {
            // A catalog that loads also lists and serializes.
            let _ = dcplan::render::catalog::to_text(&loaded.value);
            let _ = serde_json::to_string(&loaded.value).expect("a loaded catalog serializes");
        }
        Err(report) => {
            assert!(report.has_errors());
            let _ = dcplan::render::diagnostics::to_text(&report);
            let _ = dcplan::render::diagnostics::to_json(std::slice::from_ref(&report));
        }
    }
});
