//! Running the binary and reading its output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `dcplan` with arguments, from the repository root.
pub fn dcplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dcplan"))
        .args(args)
        .current_dir(root())
        .env_remove("RUST_LOG")
        .output()
        .expect("the dcplan binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Files of a folder with an extension, sorted.
pub fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

/// The rows of a CSV file, as maps from header to cell.
pub fn csv_rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("a CSV file");
    let headers = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a row");
            headers.iter().zip(r.iter()).map(|(h, c)| (h.to_string(), c.to_string())).collect()
        })
        .collect()
}

/// `catalog` with no fabric cage taking a coherent pluggable: for the tests
/// of routers, optical terminals and hand-off cables, which the `fabric-zr`
/// option (400ZR in the switches' own cages) would otherwise replace.
pub fn without_fabric_zr(mut catalog: dcplan::model::Catalog) -> dcplan::model::Catalog {
    for s in &mut catalog.switches {
        for g in &mut s.ports {
            g.coherent_max_module_w = None;
        }
    }
    catalog
}
