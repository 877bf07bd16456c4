//! The same inputs give byte-identical outputs: every command, every format
//! and every file, run three times under different thread counts, time
//! zones and locales (what differs from one machine to the next).

use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One run of `args` (`{out}` stands for a fresh output folder): stdout and
/// every file written, by name.
fn run(args: &[&str], env: &[(&str, &str)], out: &Path) -> Vec<(String, Vec<u8>)> {
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).unwrap();
    let args: Vec<String> = args.iter().map(|a| a.replace("{out}", out.to_str().unwrap())).collect();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dcplan"));
    cmd.args(&args).current_dir(root()).env_remove("RUST_LOG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    assert!(o.status.code() == Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    let mut got = vec![("stdout".to_string(), o.stdout)];
    let mut stack: Vec<PathBuf> = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
            } else {
                let name = p.strip_prefix(out).unwrap().to_string_lossy().into_owned();
                got.push((name, std::fs::read(&p).unwrap()));
            }
        }
    }
    got
}

#[test]
fn every_command_gives_the_same_bytes_every_time() {
    let m = "scenarios/beijing-metro.yaml";
    let e = "scenarios/example.yaml";
    let commands: Vec<Vec<&str>> = vec![
        vec!["plan", e],
        vec!["plan", m, "--format", "json"],
        vec!["plan", m, "--format", "markdown"],
        vec!["plan", m, "--out", "{out}"],
        vec!["plan", e, "--catalog", "catalogs/merchant-whitebox.yaml", "--format", "json"],
        vec!["bom", m],
        vec!["bom", m, "--out", "{out}/bom.csv"],
        vec!["bom", m, "--out", "{out}/bom.json"],
        vec!["bom", m, "--out", "{out}/bom.md"],
        vec!["bom", m, "--out", "{out}/bom.xlsx"],
        vec!["compare", m],
        vec!["compare", m, "--format", "json"],
        vec![
            "compare",
            m,
            "--catalog",
            "catalogs/nokia-xiaomi-2017.yaml",
            "--catalog",
            "catalogs/merchant-whitebox.yaml",
        ],
        vec!["failures", m, "--quiet"],
        vec!["failures", m, "--quiet", "--format", "json"],
        vec!["failures", e, "--quiet", "--depth", "2", "--pair-budget", "300", "--format", "markdown"],
        vec!["graph", m, "--format", "json"],
        vec!["graph", m, "--format", "dot"],
        vec!["graph", m, "--format", "graphml"],
        vec!["graph", m, "--max-flow", "bj-yizhuang/border", "bj-shunyi/border"],
        vec!["export", e, "--to", "containerlab", "--site", "bj-yizhuang-dc1", "--out", "{out}/lab.clab.yml"],
        vec!["export", m, "--to", "cabling", "--out", "{out}/cabling.csv"],
        vec!["export", m, "--to", "netbox", "--out", "{out}/netbox"],
        vec!["catalog"],
        vec!["catalog", "--format", "json"],
        vec!["schema", "scenario"],
        vec!["check", m, "--format", "json"],
        vec!["generate", "--servers", "50000", "--sites", "5", "--seed", "3"],
        vec!["link", "--route", "tests/data/route-horinger-south.yaml", "--optic", "qsfpdd-openzr-plus"],
    ];
    let machines: [&[(&str, &str)]; 3] = [
        &[("RAYON_NUM_THREADS", "1"), ("TZ", "UTC"), ("LC_ALL", "C")],
        &[("RAYON_NUM_THREADS", "2"), ("TZ", "Asia/Shanghai"), ("LC_ALL", "zh_CN.UTF-8")],
        &[("RAYON_NUM_THREADS", "7"), ("TZ", "America/Los_Angeles"), ("LC_ALL", "de_DE.UTF-8")],
    ];
    let base = std::env::temp_dir().join(format!("dcplan-determinism-{}", std::process::id()));
    for args in &commands {
        let runs: Vec<_> =
            machines.iter().enumerate().map(|(i, env)| run(args, env, &base.join(i.to_string()))).collect();
        assert!(runs[0].len() > 1 || !runs[0][0].1.is_empty(), "{args:?} wrote nothing");
        for (i, r) in runs.iter().enumerate().skip(1) {
            let names = |r: &Vec<(String, Vec<u8>)>| r.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
            assert_eq!(names(r), names(&runs[0]), "{args:?}: run {i} wrote other files");
            for ((name, a), (_, b)) in runs[0].iter().zip(r) {
                assert!(a == b, "{args:?}: {name} differs between run 0 and run {i}");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&base);
}

/// A time appears only when asked for.
#[test]
fn a_timestamp_only_with_timestamp() {
    let dir = std::env::temp_dir().join(format!("dcplan-stamp-{}", std::process::id()));
    for (flag, stamped) in [(None, false), (Some("--timestamp"), true)] {
        let mut args =
            vec!["plan", "scenarios/example.yaml", "--out", dir.to_str().unwrap(), "--format", "json"];
        args.extend(flag);
        let out = dcplan(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let file: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("plan.json")).unwrap()).unwrap();
        let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
        assert_eq!(json["generated_at"].is_string(), stamped);
        assert_eq!(file["generated_at"], json["generated_at"]);
        assert_eq!(html.contains("id=\"generated-at\""), stamped);
        if stamped {
            let at = json["generated_at"].as_str().unwrap();
            assert!(at.len() == 20 && at.ends_with('Z') && at.starts_with("20"), "{at}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
