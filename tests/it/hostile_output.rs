//! The output side attacked as a hostile user would (issue 16): formula
//! text in every CSV, output sets killed mid-run or written by two runs at
//! once, a stdout that cannot be written, a trailing slash, an export far
//! beyond what a file can usefully hold, and an environment that tries to
//! make dcplan panic. Each finding's reproducer is a test here.

use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A fresh folder for one test, removed when it ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("dcplan-hostile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn entries(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn cmd(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dcplan"));
    c.args(args).current_dir(root()).env_remove("RUST_LOG");
    c
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ---------------------------------------------------------------------------
// Formula text (OWASP CSV injection)

const FORMULA: &str = "=cmd|' /C calc'!A0";

/// The Nokia catalog with every model starting with a formula, every part
/// number with `+`, the vendor with `@`; the example with a site `-A1`.
fn hostile_inputs(dir: &Scratch) -> (PathBuf, PathBuf) {
    let text = std::fs::read_to_string(root().join("catalogs/nokia-xiaomi-2017.yaml")).unwrap();
    let mut catalog: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let map = catalog.as_mapping_mut().unwrap();
    map.insert("vendor".into(), format!("@SUM(1+1)*{FORMULA}").into());
    for (_, section) in map.iter_mut() {
        for item in section.as_sequence_mut().into_iter().flatten() {
            let Some(item) = item.as_mapping_mut() else { continue };
            for (field, prefix) in [("model", format!("{FORMULA} ")), ("part_number", "+".to_string())] {
                if let Some(serde_yaml::Value::String(v)) = item.get_mut(field) {
                    *v = format!("{prefix}{v}");
                }
            }
        }
    }
    let catalog_path = dir.path("catalog.yaml");
    std::fs::write(&catalog_path, serde_yaml::to_string(&catalog).unwrap()).unwrap();
    let scenario = std::fs::read_to_string(root().join("scenarios/example.yaml"))
        .unwrap()
        .replace("name: bj-yizhuang-dc1", "name: \"-A1\"");
    let scenario_path = dir.path("scenario.yaml");
    std::fs::write(&scenario_path, scenario).unwrap();
    (catalog_path, scenario_path)
}

/// Every cell of a CSV; none may start a formula unless it is a number.
fn assert_inert(name: &str, bytes: &[u8]) -> Vec<String> {
    let mut cells = Vec::new();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes);
    for record in reader.records() {
        let record = record.unwrap_or_else(|e| panic!("{name}: {e}"));
        for cell in record.iter() {
            let number = cell.parse::<f64>().is_ok() && !cell.contains(['+', 'e', 'E', 'i', 'n', 'N']);
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']) || number,
                "{name}: live cell {cell:?}"
            );
            cells.push(cell.to_string());
        }
    }
    cells
}

#[test]
fn formula_text_is_inert_in_every_csv_and_a_string_in_the_workbook() {
    let dir = Scratch::new("formula");
    let (catalog, scenario) = hostile_inputs(&dir);
    let (c, sc) = (s(&catalog), s(&scenario));
    let run = |args: &[&str]| {
        let out = cmd(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        out
    };
    let (plan_dir, netbox_dir) = (dir.path("plan"), dir.path("netbox"));
    run(&["plan", sc, "--catalog", c, "--out", s(&plan_dir)]);
    run(&["bom", sc, "--catalog", c, "--out", s(&dir.path("bom.csv"))]);
    run(&["bom", sc, "--catalog", c, "--out", s(&dir.path("bom.xlsx"))]);
    run(&["export", sc, "--catalog", c, "--to", "cabling", "--out", s(&dir.path("cabling.csv"))]);
    run(&["export", sc, "--catalog", c, "--to", "netbox", "--out", s(&netbox_dir)]);
    let stdout_csv = run(&["bom", sc, "--catalog", c, "--out", "-"]).stdout;
    let mut csvs: Vec<(String, Vec<u8>)> = vec![("bom --out -".into(), stdout_csv)];
    for path in [files(&plan_dir, "csv"), files(&netbox_dir, "csv"), files(&dir.0, "csv")].concat() {
        csvs.push((path.display().to_string(), std::fs::read(&path).unwrap()));
    }
    let netbox_csvs = dcplan::render::export::NETBOX_FILES.iter().filter(|f| f.ends_with(".csv")).count();
    // bom --out -, plan --out (bom.csv, spectrum.csv), NetBox, bom.csv and cabling.csv.
    assert_eq!(csvs.len(), 1 + 2 + netbox_csvs + 2, "every CSV dcplan writes");
    let mut all = Vec::new();
    for (name, bytes) in &csvs {
        all.extend(assert_inert(name, bytes));
    }
    // The hostile text is there, made inert, in each kind of cell.
    for expected in [format!("'{FORMULA} "), "'-A1".into(), format!("'@SUM(1+1)*{FORMULA}")] {
        assert!(all.iter().any(|c| c.starts_with(&expected)), "no cell starts with {expected:?}");
    }
    assert!(all.iter().any(|c| c.starts_with("'+")), "no part number cell");

    // The workbook holds the very text, as strings; formulas only in Totals.
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(dir.path("bom.xlsx")).unwrap();
    let lines = wb.worksheet_range("Lines").unwrap();
    let strings: Vec<&String> = lines
        .rows()
        .flat_map(|r| r.iter())
        .filter_map(|d| match d {
            Data::String(s) => Some(s),
            _ => None,
        })
        .collect();
    assert!(strings.iter().any(|s| s.starts_with(FORMULA)), "the model is a string cell");
    assert!(strings.iter().any(|s| *s == "-A1"), "the site is a string cell");
    let formulas = wb.worksheet_formula("Lines").unwrap();
    assert!(formulas.rows().flatten().all(|f| f.is_empty()), "a formula in the Lines sheet");
    let totals = wb.worksheet_formula("Totals").unwrap();
    assert!(
        totals.rows().flatten().any(|f| f.contains("\"=-A1\"")),
        "the site's total matches the name as text: {:?}",
        totals.rows().flatten().filter(|f| !f.is_empty()).collect::<Vec<_>>()
    );
}

// ---------------------------------------------------------------------------
// A whole output set or none

/// A plan set: each file's name and bytes.
type Set = Vec<(String, Vec<u8>)>;

/// The four files of a plan set, by name, as read through one open handle
/// on the folder: what a reader that opened the folder sees, all from one
/// folder even while runs switch it. `None` while no set is there.
fn snapshot(dir: &Path) -> Option<Set> {
    use rustix::fs::{openat, Mode, OFlags, CWD};
    let fd = openat(CWD, dir, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty()).ok()?;
    let mut set = Vec::new();
    for name in ["bom.csv", "bom.json", "plan.json", "report.html"] {
        let f = openat(&fd, name, OFlags::RDONLY, Mode::empty()).ok()?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::fs::File::from(f), &mut bytes).ok()?;
        set.push((name.to_string(), bytes));
    }
    Some(set)
}

/// Two scenarios whose sets differ in every file, and each one's set.
fn two_sets(dir: &Scratch) -> [(PathBuf, Set); 2] {
    let a = root().join("scenarios/example.yaml");
    let b = dir.path("b.yaml");
    let text = std::fs::read_to_string(&a).unwrap();
    std::fs::write(
        &b,
        text.replace("servers: 2000", "servers: 1200").replace("name: Example", "name: Other"),
    )
    .unwrap();
    [a, b].map(|scenario| {
        let out = dir.path(&format!("ref-{}", scenario.file_stem().unwrap().to_string_lossy()));
        let run = cmd(&["plan", s(&scenario), "--out", s(&out)]).output().unwrap();
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        let set = snapshot(&out).expect("a whole set");
        (scenario, set)
    })
}

/// Which of the two sets a snapshot is; a mix of the two fails.
fn which(set: &[(String, Vec<u8>)], sets: &[(PathBuf, Set); 2]) -> usize {
    for (i, (_, reference)) in sets.iter().enumerate() {
        if set == reference.as_slice() {
            return i;
        }
    }
    let from: Vec<String> = set
        .iter()
        .map(|(name, bytes)| {
            let i = sets.iter().position(|(_, r)| r.iter().any(|(n, b)| n == name && b == bytes));
            format!("{name} from {}", i.map_or("neither run".to_string(), |i| format!("run {i}")))
        })
        .collect();
    panic!("a mixed set: {}", from.join(", "));
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_old_set_or_the_new_one_and_no_leftover() {
    let dir = Scratch::new("kill");
    let sets = two_sets(&dir);
    let target = dir.path("out").join("D");
    let started = std::time::Instant::now();
    let first = cmd(&["plan", s(&sets[0].0), "--out", s(&target)]).output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    // Kills spread over a whole run, so that some land in the writes and
    // the switch; what is checked does not depend on where they land.
    let run_time = started.elapsed();
    let iterations = 30u32;
    let mut seen = [0usize; 2];
    for i in 0..iterations {
        let scenario = &sets[(i % 2) as usize].0;
        let mut child = cmd(&["plan", s(scenario), "--out", s(&target)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(run_time * (i + 1) / iterations);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let set = snapshot(&target).expect("the target always holds a whole set");
        seen[which(&set, &sets)] += 1;
    }
    // The next run cleans up after every killed one.
    let last = cmd(&["plan", s(&sets[1].0), "--out", s(&target)]).output().unwrap();
    assert_eq!(last.status.code(), Some(0), "{}", stderr(&last));
    assert_eq!(which(&snapshot(&target).unwrap(), &sets), 1);
    let beside: Vec<String> = std::fs::read_dir(dir.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(beside, ["D"], "leftovers beside the target (sets seen after kills: {seen:?})");
    let inside: Vec<String> =
        std::fs::read_dir(&target).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(inside.len(), 5, "{inside:?}");
}

#[test]
fn concurrent_runs_into_one_folder_each_switch_a_whole_set() {
    let dir = Scratch::new("concurrent");
    let sets = two_sets(&dir);
    let target = dir.path("out").join("D");
    let done = std::sync::atomic::AtomicBool::new(false);
    let looks = std::thread::scope(|scope| {
        // A reader that keeps looking at the folder while the runs switch it.
        let reader = scope.spawn(|| {
            let mut looks = 0usize;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                if let Some(set) = snapshot(&target) {
                    which(&set, &sets);
                    looks += 1;
                }
                // Room for the runs on a small machine (not a timing check).
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            looks
        });
        for _ in 0..10 {
            let children: Vec<_> = sets
                .iter()
                .map(|(scenario, _)| {
                    cmd(&["plan", s(scenario), "--out", s(&target)])
                        .stdout(Stdio::null())
                        .stderr(Stdio::piped())
                        .spawn()
                        .unwrap()
                })
                .collect();
            for child in children {
                let out = child.wait_with_output().unwrap();
                assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            }
            which(&snapshot(&target).expect("a whole set"), &sets);
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        reader.join().unwrap()
    });
    assert!(looks > 0, "the reader never saw a set");
    let beside: Vec<String> = std::fs::read_dir(dir.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(beside, ["D"]);
}

#[test]
fn files_beside_the_set_are_kept_and_a_folder_in_it_is_refused() {
    let dir = Scratch::new("keep");
    let target = dir.path("D");
    let plan = |scenario: &str| cmd(&["plan", scenario, "--out", s(&target)]).output().unwrap();
    assert_eq!(plan("scenarios/example.yaml").status.code(), Some(0));
    std::fs::write(target.join("notes.txt"), "mine").unwrap();
    let bom = cmd(&["bom", "scenarios/example.yaml", "--out", s(&target.join("bom.xlsx"))]).output().unwrap();
    assert_eq!(bom.status.code(), Some(0), "{}", stderr(&bom));
    let out = plan("scenarios/beijing-metro.yaml");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(target.join("notes.txt")).unwrap(), "mine");
    assert!(target.join("bom.xlsx").is_file());
    std::fs::create_dir(target.join("sub")).unwrap();
    let before = snapshot(&target);
    let out = plan("scenarios/example.yaml");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("it holds sub/"), "{}", stderr(&out));
    assert_eq!(snapshot(&target), before);
    assert_eq!(dir.entries(), ["D"]);
}

// ---------------------------------------------------------------------------
// The small ones

fn run_to(args: &[&str], stdout: std::fs::File) -> Output {
    cmd(args).stdout(stdout).output().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_report_that_cannot_be_printed_fails_the_run_and_switches_nothing() {
    let dir = Scratch::new("full");
    let (target, file) = (dir.path("D"), dir.path("bom.csv"));
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let out = run_to(&["plan", "scenarios/example.yaml", "--out", s(&target)], full());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot write the report to stdout"), "{}", stderr(&out));
    let out = run_to(&["bom", "scenarios/example.yaml", "--out", s(&file)], full());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(dir.entries(), Vec::<String>::new(), "nothing was written");
    // Over an earlier set: it stays as it was.
    assert_eq!(dcplan(&["plan", "scenarios/example.yaml", "--out", s(&target)]).status.code(), Some(0));
    let before = snapshot(&target).unwrap();
    let out = run_to(&["plan", "scenarios/beijing-metro.yaml", "--out", s(&target)], full());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(snapshot(&target).unwrap(), before);
    assert_eq!(dir.entries(), ["D"]);
}

#[test]
fn a_trailing_slash_names_a_folder_where_one_file_goes() {
    let dir = Scratch::new("slash");
    for (args, name) in [
        (vec!["bom", "scenarios/example.yaml", "--out"], "x.csv/"),
        (vec!["bom", "scenarios/example.yaml", "--out"], "x.xlsx/."),
        (vec!["export", "scenarios/example.yaml", "--to", "cabling", "--out"], "c.csv/"),
        (
            vec![
                "export",
                "scenarios/example.yaml",
                "--to",
                "containerlab",
                "--site",
                "bj-yizhuang-dc1",
                "--out",
            ],
            "l.yml/",
        ),
    ] {
        let path = format!("{}/{name}", dir.0.display());
        let out = dcplan(&[args, vec![path.as_str()]].concat());
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains("names a folder"), "{name}: {}", stderr(&out));
    }
    assert_eq!(dir.entries(), Vec::<String>::new(), "nothing was written");
}

#[test]
fn check_reports_on_stderr_and_prints_json_on_stdout() {
    let text = dcplan(&["check", "tests/bad/unknown-model.yaml", "scenarios/example.yaml"]);
    assert_eq!(text.status.code(), Some(2));
    assert_eq!(stdout(&text), "", "diagnostics on stdout");
    assert!(stderr(&text).contains("error[unknown-model]"), "{}", stderr(&text));
    assert!(stderr(&text).contains("checked 2 file(s): 1 error(s)"), "{}", stderr(&text));
    let json = dcplan(&["check", "--format", "json", "tests/bad/unknown-model.yaml"]);
    assert_eq!(json.status.code(), Some(2));
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    assert_eq!(parsed[0]["code"], "unknown-model");
    assert_eq!(stderr(&json), "");
}

#[test]
fn the_environment_cannot_make_dcplan_panic() {
    let plain = dcplan(&["plan", "scenarios/example.yaml"]);
    assert_eq!(plain.status.code(), Some(0));
    for (var, value) in [("RUST_MIN_STACK", "999999999999999"), ("RAYON_NUM_THREADS", "not-a-number")] {
        let out = cmd(&["plan", "scenarios/example.yaml"]).env(var, value).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{var}={value}: {}", stderr(&out));
        assert_eq!(out.stdout, plain.stdout, "{var}={value}");
    }
    // A stderr that cannot be written: the input error's exit code, not a panic's.
    #[cfg(target_os = "linux")]
    {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = cmd(&["plan", "no/such/file.yaml"]).stderr(full).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
    }
}

/// The bound the limit is checked with is the number of runs placed.
#[test]
fn the_run_count_known_before_placing_is_the_count_placed() {
    use dcplan::design::placement;
    use dcplan::load::{self, Source};
    use dcplan::render::export::runs_bound;
    let catalog = load::load_catalog(&Source::embedded_catalog()).unwrap().value;
    for name in ["example", "beijing-metro", "hyperscale"] {
        let source = load::read_source(&root().join(format!("scenarios/{name}.yaml"))).unwrap();
        let scenario = load::load_scenario(&source, &catalog).unwrap().value;
        let plan = dcplan::plan::plan(&catalog, &scenario).unwrap();
        for site in &plan.sites {
            let placed = placement::place(&site.fabric, &catalog, None).1.len() as u64;
            assert_eq!(runs_bound(&site.fabric, None), placed, "{name}/{}", site.name);
            for leaves in [1, 4, 37] {
                let lab = placement::place(&site.fabric, &catalog, Some(leaves)).1.len() as u64;
                assert!(
                    runs_bound(&site.fabric, Some(leaves)) >= lab,
                    "{name}/{} with {leaves} leaves",
                    site.name
                );
            }
        }
    }
}

#[test]
fn an_export_beyond_the_limit_is_refused_before_anything_is_placed() {
    let dir = Scratch::new("limit");
    // 1,600,000 dual-homed servers: about 5.4 million cable runs.
    let mut yaml = String::from(
        "kind: scenario\nformat_version: 1\nname: many runs\nfabric: {leaf_oversubscription: 3.0, spine_oversubscription: 1.0, homing: dual, tiers: auto}\nsites:\n",
    );
    for i in 0..8 {
        yaml.push_str(&format!(
            "  - {{name: s{i}, servers: 200000, nics_per_server: 2, nic_speed_gbps: 100, servers_per_rack: 32, server_power_w: 550, rack_power_budget_kw: 22, pue: 1.2, layout: {{in_rack_m: 3, in_row_m: 40, across_hall_m: 300}}}}\n"
        ));
    }
    let scenario = dir.path("many.yaml");
    std::fs::write(&scenario, yaml).unwrap();
    for (to, out) in [("cabling", "c.csv"), ("netbox", "netbox")] {
        let out = dcplan(&["export", s(&scenario), "--to", to, "--out", s(&dir.path(out))]);
        assert_eq!(out.status.code(), Some(2), "{to}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("refusing to export") && err.contains("the limit is 4,000,000"), "{to}: {err}");
        assert!(err.contains("--site"), "{to}: {err}");
    }
    assert_eq!(dir.entries(), ["many.yaml"], "nothing was written");
}
