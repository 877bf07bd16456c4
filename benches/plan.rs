//! Speed of `plan` on the shipped scenarios: design, graph build, bisection
//! max-flow and power, for every site. Goal (README): hyperscale under 200 ms
//! on a 2-core machine. And the interconnect of a dense mesh of fibre
//! routes with many diverse demands (issue 16).

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

fn bench_scale(c: &mut Criterion) {
    use dcplan::analyse::resilience::{analyse, Options};
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    let catalog = load::load_catalog(&Source::embedded_catalog()).expect("catalog").value;
    let (_, hyperscale) = inputs("hyperscale");
    let plan = dcplan::plan::plan(&catalog, &hyperscale).expect("plan");
    group.bench_function("failures-depth1-hyperscale", |b| {
        b.iter(|| analyse(&plan, &catalog, Options::default(), &|| {}))
    });
    // A generated 1,000,000-server scenario (4 sites, seed 7).
    let yaml = dcplan::generate::scenario_yaml(dcplan::generate::Spec {
        servers: 1_000_000,
        sites: 4,
        seed: 7,
        demands: None,
    });
    let million =
        load::load_scenario(&Source::new("generated.yaml", yaml), &catalog).expect("scenario").value;
    group.bench_function("plan-1m-servers", |b| {
        b.iter(|| dcplan::plan::plan(&catalog, &million).expect("plan"))
    });
    // A generated network of 64 sites and 1,000 demands (64,000 servers,
    // seed 1): the interconnect designed and its spectrum assigned.
    // Goal (README): under 5 s.
    let yaml = dcplan::generate::scenario_yaml(dcplan::generate::Spec {
        servers: 64_000,
        sites: 64,
        seed: 1,
        demands: Some(1000),
    });
    let network = load::load_scenario(&Source::new("network.yaml", yaml), &catalog).expect("scenario").value;
    group.bench_function("plan-64-sites-1000-demands", |b| {
        b.iter(|| dcplan::plan::plan(&catalog, &network).expect("plan"))
    });
    let big = dcplan::plan::plan(&catalog, &million).expect("plan");
    group.bench_function("failures-depth1-1m-servers", |b| {
        b.iter(|| analyse(&big, &catalog, Options::default(), &|| {}))
    });
    group.finish();
}

/// Issue 16's dense mesh: 40 sites, every pair joined by a fibre route
/// (780 routes; 1,445 site paths and about a million pairs of them between
/// two sites), 1,000 diverse demands over distinct ordered pairs of sites.
/// Comparing every pair took 0.7 s a demand (minutes for the plan).
fn dense_diverse_mesh() -> String {
    let n = 40;
    let mut y = String::from(
        "kind: scenario\nformat_version: 1\nname: mesh\nfabric: {leaf_oversubscription: 3, homing: single}\nsites:\n",
    );
    for s in 0..n {
        y.push_str(&format!("  - {{name: s{s}, servers: 40, nics_per_server: 1, nic_speed_gbps: 25, servers_per_rack: 40, rack_power_budget_kw: 15, pue: 1.5}}\n"));
    }
    y.push_str("fibre_routes:\n");
    for a in 0..n {
        for b in a + 1..n {
            let km = 10 + (a * 7 + b * 13) % 50;
            y.push_str(&format!(
                "  - {{id: r{a}-{b}, between: [s{a}, s{b}], length_km: {km}, fibre_pairs: 1000, fibre: g652d}}\n"
            ));
        }
    }
    y.push_str("demands:\n");
    let pairs = (0..n).flat_map(|a| (0..n).filter(move |&b| b != a).map(move |b| (a, b)));
    for (a, b) in pairs.take(1000) {
        y.push_str(&format!("  - {{between: [s{a}, s{b}], gbps: 100, protection: diverse}}\n"));
    }
    y
}

fn bench_mesh(c: &mut Criterion) {
    let mut group = c.benchmark_group("mesh");
    group.sample_size(10);
    let catalog = load::load_catalog(&Source::embedded_catalog()).expect("catalog").value;
    let source = Source::new("mesh.yaml", dense_diverse_mesh());
    let scenario = load::load_scenario(&source, &catalog).expect("scenario").value;
    group.bench_function("interconnect-40-site-mesh-1000-diverse", |b| {
        b.iter(|| dcplan::design::interconnect::design(&catalog, &scenario).expect("interconnect"))
    });
    group.bench_function("plan-40-site-mesh-1000-diverse", |b| {
        b.iter(|| dcplan::plan::plan(&catalog, &scenario).expect("plan"))
    });
    group.finish();
}

criterion_group!(benches, bench_plan, bench_scale, bench_mesh);
criterion_main!(benches);
