//! Peak memory of `plan` on the hyperscale scenario, read from the kernel
//! (VmHWM, the resident high-water mark). Goal (README): under 500 MB.
//! Then the hyperscale exports, written to files as `dcplan export` writes
//! them (NetBox goal: under 200 MB, plan included), before the larger
//! runs raise the mark. Run: `cargo bench --bench peak_memory`.

use dcplan::load::{self, Source};
use std::path::Path;

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mb(kib: Option<u64>) -> String {
    kib.map_or("unknown".into(), |k| format!("{:.1} MB", k as f64 / 1024.0))
}

/// The hyperscale NetBox files and cable run list, streamed into files of a
/// temporary folder: the peak resident memory of the export commands.
fn exports(plan: &dcplan::plan::Plan, catalog: &dcplan::model::Catalog) {
    use dcplan::render::export;
    use std::io::BufWriter;
    let dir = std::env::temp_dir().join(format!("dcplan-bench-exports-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder for the exports");
    let sites: Vec<&dcplan::plan::SitePlan> = plan.sites.iter().collect();
    let started = std::time::Instant::now();
    let files = export::NETBOX_FILES
        .map(|name| BufWriter::new(std::fs::File::create(dir.join(name)).expect("a NetBox file")));
    let files = export::netbox_to(&sites, catalog, &catalog.vendor, export::DeviceTypes::Own, files)
        .expect("NetBox export");
    let bytes: u64 = files.iter().map(|f| f.get_ref().metadata().map_or(0, |m| m.len())).sum();
    drop(files);
    let netbox = vm_hwm_kib();
    println!(
        "export --to netbox of hyperscale: {:.0} ms, {bytes} bytes, peak resident memory {}",
        started.elapsed().as_secs_f64() * 1000.0,
        mb(netbox)
    );
    if let Some(k) = netbox {
        assert!(k < 200 * 1024, "peak memory {k} KiB exceeds the 200 MB goal of the NetBox export");
    }
    let started = std::time::Instant::now();
    let designs: Vec<_> = plan.sites.iter().map(|s| &s.fabric).collect();
    let file = BufWriter::new(std::fs::File::create(dir.join("cabling.csv")).expect("a file"));
    let file = export::cabling_to(file, &designs, catalog).expect("cable run list");
    let bytes = file.get_ref().metadata().map_or(0, |m| m.len());
    drop(file);
    println!(
        "export --to cabling of hyperscale: {:.0} ms, {bytes} bytes, peak resident memory {} (since the start)",
        started.elapsed().as_secs_f64() * 1000.0,
        mb(vm_hwm_kib())
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    // `cargo bench` passes --bench; nothing else is expected.
    let before = vm_hwm_kib();
    let started = std::time::Instant::now();
    let catalog = load::load_catalog(&Source::embedded_catalog()).expect("catalog").value;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hyperscale.yaml");
    let source = load::read_source(&path).expect("scenario file");
    let scenario = load::load_scenario(&source, &catalog).expect("scenario").value;
    let plan = dcplan::plan::plan(&catalog, &scenario).expect("plan");
    let json = dcplan::render::plan::to_json(&plan);
    let elapsed = started.elapsed();
    let after = vm_hwm_kib();
    println!(
        "plan hyperscale ({} servers, {} graph nodes): {:.1} ms, JSON {} bytes, peak resident memory {} (before: {})",
        scenario.total_servers(),
        plan.sites.iter().map(|s| s.graph_nodes).sum::<usize>(),
        elapsed.as_secs_f64() * 1000.0,
        json.len(),
        after.map_or("unknown".into(), |k| format!("{:.1} MB", k as f64 / 1024.0)),
        before.map_or("unknown".into(), |k| format!("{:.1} MB", k as f64 / 1024.0)),
    );
    if let Some(k) = after {
        assert!(k < 500 * 1024, "peak memory {k} KiB exceeds the 500 MB goal");
    }
    exports(&plan, &catalog);
    // The 1,000,000-server scenario: plan and single-failure analysis.
    let started = std::time::Instant::now();
    let yaml = dcplan::generate::scenario_yaml(dcplan::generate::Spec {
        servers: 1_000_000,
        sites: 4,
        seed: 7,
        demands: None,
    });
    let million =
        load::load_scenario(&Source::new("generated.yaml", yaml), &catalog).expect("scenario").value;
    let big = dcplan::plan::plan(&catalog, &million).expect("plan");
    let planned = started.elapsed();
    let report = dcplan::analyse::resilience::analyse(&big, &catalog, Default::default(), &|| {});
    let analysed = started.elapsed() - planned;
    let peak = vm_hwm_kib();
    println!(
        "1,000,000 servers: plan {:.0} ms, failures --depth 1 {:.0} ms ({} classes), peak resident memory {}",
        planned.as_secs_f64() * 1000.0,
        analysed.as_secs_f64() * 1000.0,
        report.single_failures_evaluated,
        peak.map_or("unknown".into(), |k| format!("{:.1} MB", k as f64 / 1024.0)),
    );
    if let Some(k) = peak {
        assert!(k < 2 * 1024 * 1024, "peak memory {k} KiB exceeds the 2 GB goal");
    }
}
