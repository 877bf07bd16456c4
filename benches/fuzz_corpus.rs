//! Time of the `plan` fuzz target's work on each input of its corpus
//! (fuzz/corpus/plan), in a plain release build: what bounds the fuzzer's
//! executions per second (README, "Fuzzing"), and which inputs are slow.
//! Run: `RAYON_NUM_THREADS=1 cargo bench --bench fuzz_corpus`. With
//! `DCPLAN_DUMP_SLOWEST=DIR` the scenarios of the ten slowest inputs are
//! written to DIR, to run again with the CLI.

#[path = "../tests/adversarial.rs"]
mod adversarial;

use dcplan::load::{self, Source};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let merchant = std::fs::read_to_string(root.join("catalogs/merchant-whitebox.yaml")).expect("catalog");
    // Indexed by the input's first byte, as in fuzz/fuzz_targets/plan.rs.
    let catalogs = [
        load::load_catalog(&Source::embedded_catalog()).expect("embedded catalog").value,
        load::load_catalog(&Source::new("merchant-whitebox.yaml", merchant)).expect("merchant catalog").value,
    ];
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("fuzz/corpus/plan"))
        .expect("fuzz/corpus/plan")
        .map(|e| e.expect("corpus entry").path())
        .collect();
    files.sort();
    let mut runs: Vec<(f64, adversarial::Outcome, PathBuf, String)> = Vec::new();
    let started = Instant::now();
    for file in files {
        let bytes = std::fs::read(&file).expect("corpus file");
        let Some((&which, rest)) = bytes.split_first() else { continue };
        let catalog = &catalogs[usize::from(which & 1)];
        let models: Vec<&str> = catalog.switches.iter().map(|s| s.id.as_str()).collect();
        let yaml = adversarial::scenario_yaml(rest, &models);
        let t = Instant::now();
        let outcome = adversarial::run_pipeline(catalog, &yaml);
        runs.push((t.elapsed().as_secs_f64() * 1e3, outcome, file, yaml));
    }
    let total_s = started.elapsed().as_secs_f64();
    let mut ms: Vec<f64> = runs.iter().map(|r| r.0).collect();
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms.get(((ms.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for r in &runs {
        *outcomes.entry(format!("{:?}", r.1)).or_default() += 1;
    }
    println!(
        "plan fuzz corpus: {} inputs in {:.1} s; per input: mean {:.2} ms, median {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.0} ms ({:.0} inputs/s); {:?}",
        runs.len(),
        total_s,
        ms.iter().sum::<f64>() / ms.len().max(1) as f64,
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0),
        runs.len() as f64 / total_s,
        outcomes
    );
    runs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let dump = std::env::var_os("DCPLAN_DUMP_SLOWEST").map(PathBuf::from);
    for (ms, outcome, file, yaml) in runs.iter().take(10) {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        println!("  {ms:8.1} ms  {outcome:?}  {name}");
        if let Some(dir) = &dump {
            std::fs::create_dir_all(dir).expect("dump folder");
            std::fs::write(dir.join(format!("{name}.yaml")), yaml).expect("dump file");
        }
    }
}
