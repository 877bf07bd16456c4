//! Speed of `plan` on the shipped scenarios: design, graph build, bisection
//! max-flow and power, for every site. Goal (README): hyperscale under 200 ms
//! on a 2-core machine.

use criterion::{criterion_group, criterion_main, Criterion};
use dcplan::load::{self, Source};
use std::path::Path;

fn inputs(name: &str) -> (dcplan::model::Catalog, dcplan::model::Scenario) {
    let catalog = load::load_catalog(&Source::embedded_catalog()).expect("catalog").value;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.yaml"));
    let source = load::read_source(&path).expect("scenario file");
    let scenario = load::load_scenario(&source, &catalog).expect("scenario").value;
    (catalog, scenario)
}

fn bench_plan(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan");
    group.sample_size(20);
    for name in ["example", "beijing-metro", "hyperscale"] {
        let (catalog, scenario) = inputs(name);
        group.bench_function(name, |b| b.iter(|| dcplan::plan::plan(&catalog, &scenario).expect("plan")));
    }
    // The whole command's work: parse and validate both files, then plan.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hyperscale.yaml");
    group.bench_function("hyperscale-with-loading", |b| {
        b.iter(|| {
            let catalog = load::load_catalog(&Source::embedded_catalog()).expect("catalog").value;
            let source = load::read_source(&path).expect("scenario file");
            let scenario = load::load_scenario(&source, &catalog).expect("scenario").value;
            dcplan::plan::plan(&catalog, &scenario).expect("plan")
        })
    });
    group.finish();
}

criterion_group!(benches, bench_plan);
criterion_main!(benches);
