//! Golden files of every export on the example scenario, byte for byte:
//! the containerlab topology, the cable run list and the NetBox CSVs. They
//! live as plain files under tests/golden/, so a change is an ordinary
//! `git diff`; `DCPLAN_BLESS=1 cargo test golden` rewrites them.

use crate::support::*;
use std::path::Path;

fn assert_golden(name: &str, actual: &[u8]) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("DCPLAN_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (DCPLAN_BLESS=1 cargo test golden writes it)", path.display()));
    if expected != actual {
        let (e, a) = (String::from_utf8_lossy(&expected), String::from_utf8_lossy(actual));
        let line = e
            .lines()
            .zip(a.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(e.lines().count().min(a.lines().count()));
        panic!(
            "{name} differs from its golden file at line {}:\n  golden: {:?}\n  now:    {:?}\n({} lines golden, {} now; review, then DCPLAN_BLESS=1 cargo test golden)",
            line + 1,
            e.lines().nth(line).unwrap_or("<end>"),
            a.lines().nth(line).unwrap_or("<end>"),
            e.lines().count(),
            a.lines().count()
        );
    }
}

fn export(dir: &Path, args: &[&str]) {
    let run = dcplan(args);
    assert_eq!(run.status.code(), Some(0), "{args:?}: {}", stderr(&run));
    assert!(dir.exists());
}

#[test]
fn golden_exports_of_the_example() {
    let dir = std::env::temp_dir().join(format!("dcplan-golden-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let clab = dir.join("lab.clab.yml");
    let cabling = dir.join("cabling.csv");
    let netbox = dir.join("netbox");
    let s = "scenarios/example.yaml";
    export(
        &dir,
        &["export", s, "--to", "containerlab", "--site", "bj-yizhuang-dc1", "--out", clab.to_str().unwrap()],
    );
    export(&dir, &["export", s, "--to", "cabling", "--out", cabling.to_str().unwrap()]);
    export(&dir, &["export", s, "--to", "netbox", "--out", netbox.to_str().unwrap()]);
    assert_golden("example/bj-yizhuang-dc1.clab.yml", &std::fs::read(&clab).unwrap());
    assert_golden("example/cabling.csv", &std::fs::read(&cabling).unwrap());
    let mut written = files(&netbox, "csv");
    written.extend(files(&netbox, "json"));
    let names: Vec<String> =
        written.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        [
            "cables.csv",
            "device_roles.csv",
            "devices.csv",
            "interface_speeds.csv",
            "locations.csv",
            "manufacturers.csv",
            "module_bays.csv",
            "module_types.csv",
            "modules.csv",
            "platforms.csv",
            "power_feeds.csv",
            "power_panels.csv",
            "rack_roles.csv",
            "racks.csv",
            "sites.csv",
            "tags.csv",
            "device_types.json"
        ]
    );
    for (path, name) in written.iter().zip(&names) {
        assert_golden(&format!("example/netbox/{name}"), &std::fs::read(path).unwrap());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The Markdown reports not covered elsewhere, as a wiki or a pull request
/// shows them.
#[test]
fn golden_markdown_reports() {
    for (name, args) in [
        ("bom_example.md", &["bom", "scenarios/example.yaml", "--format", "markdown"][..]),
        ("compare_beijing-metro.md", &["compare", "scenarios/beijing-metro.yaml", "--format", "markdown"]),
        (
            "failures_beijing-metro.md",
            &["failures", "scenarios/beijing-metro.yaml", "--format", "markdown", "--quiet"],
        ),
    ] {
        let run = dcplan(args);
        assert_eq!(run.status.code(), Some(0), "{args:?}: {}", stderr(&run));
        assert_golden(&format!("markdown/{name}"), &run.stdout);
    }
}
