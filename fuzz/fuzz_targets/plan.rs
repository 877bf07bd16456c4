//! The whole pipeline (load, plan, price, analyse failures, render every
//! format, export) on structurally valid but adversarial scenarios built
//! from the fuzzer's bytes by tests/adversarial.rs, the same builder the
//! property tests in tests/it/pipeline.rs use. Invariants (totals add up to
//! the cent, typical power under max) are asserted there.
#![no_main]

#[path = "../../tests/adversarial.rs"]
mod adversarial;

use dcplan::load::{self, Source};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn catalogs() -> &'static [dcplan::model::Catalog; 2] {
    static CATALOGS: OnceLock<[dcplan::model::Catalog; 2]> = OnceLock::new();
    CATALOGS.get_or_init(|| {
        let merchant = include_str!("../../catalogs/merchant-whitebox.yaml");
        [
            load::load_catalog(&Source::embedded_catalog()).expect("embedded catalog").value,
            load::load_catalog(&Source::new("merchant-whitebox.yaml", merchant))
                .expect("merchant catalog")
                .value,
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let catalog = &catalogs()[usize::from(which & 1)];
    let models: Vec<&str> = catalog.switches.iter().map(|s| s.id.as_str()).collect();
    adversarial::run_pipeline(catalog, &adversarial::scenario_yaml(rest, &models));
});
