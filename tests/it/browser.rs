//! The HTML report opened in a real browser: headless Chromium loads
//! report.html, runs its script, and the rendered page must show the same
//! figures as plan.json and bom.json, with no script error on the console.
//!
//! Without a browser on the machine the test says so loudly and passes;
//! with `DCPLAN_REQUIRE_BROWSER=1` (set by `.ci/run` once it has installed
//! Chromium) a missing browser is a failure.

use crate::support::{dcplan, stderr};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The browser to use: `DCPLAN_BROWSER`, else the first Chromium on PATH.
fn browser() -> Option<PathBuf> {
    if let Some(b) = std::env::var_os("DCPLAN_BROWSER") {
        return Some(PathBuf::from(b));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Loads a page headless; returns the DOM after scripts ran and the console log.
fn render(browser: &Path, page: &Path, profile: &Path) -> (String, String) {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("the browser starts");
    assert!(out.status.success(), "browser failed: {}", String::from_utf8_lossy(&out.stderr));
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The `data-value` of the element with this id, as the browser rendered it.
fn data_value<'a>(dom: &'a str, id: &str) -> &'a str {
    let at = dom.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no element #{id}"));
    let tag_end = at + dom[at..].find('>').expect("tag closes");
    let tag = &dom[at..tag_end];
    let v = tag.find("data-value=\"").unwrap_or_else(|| panic!("#{id} has no data-value")) + 12;
    &tag[v..v + tag[v..].find('"').expect("attribute closes")]
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).expect("written")).expect("valid JSON")
}

#[test]
fn the_report_renders_in_a_browser_with_the_plan_figures() {
    let Some(browser) = browser() else {
        assert!(
            std::env::var("DCPLAN_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "DCPLAN_REQUIRE_BROWSER=1 but no Chromium found (set DCPLAN_BROWSER)"
        );
        eprintln!("SKIPPED: no Chromium on PATH, report.html was not checked in a browser");
        return;
    };
    for scenario in ["example", "beijing-metro"] {
        let dir = std::env::temp_dir().join(format!("dcplan-browser-{}-{scenario}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = dcplan(&["plan", &format!("scenarios/{scenario}.yaml"), "--out", dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let (dom, log) = render(&browser, &dir.join("report.html"), &dir.join("profile"));

        // The script ran to the end, without an error on the console.
        let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
        assert!(console.is_empty(), "{scenario}: console output: {console:#?}");
        assert!(dom.contains("data-ready=\"1\""), "{scenario}: the report's script did not finish");
        // The browser summed the BOM lines itself, in cents, and found the total.
        assert!(dom.contains("data-bom-check=\"ok\""), "{scenario}: BOM lines do not add up in the browser");

        let plan = json(&dir.join("plan.json"));
        let bom = json(&dir.join("bom.json"));
        let totals = &plan["totals"];
        assert_eq!(data_value(&dom, "sites"), plan["sites"].as_array().unwrap().len().to_string());
        assert_eq!(data_value(&dom, "servers"), totals["servers"].to_string());
        assert_eq!(data_value(&dom, "cost"), totals["cost"].as_str().unwrap());
        assert_eq!(data_value(&dom, "bom-net"), bom["totals"]["net"].as_str().unwrap());
        let power: f64 = data_value(&dom, "power-typical").parse().unwrap();
        // power_w covers the whole plan: the sites' fabrics and the interconnect.
        let want = totals["power_w"]["typical"].as_f64().unwrap();
        assert!((power - want).abs() < 0.05, "{scenario}: power {power} W shown, plan says {want} W");
        // One diagram per site, and every site has its row.
        for site in plan["sites"].as_array().unwrap() {
            let name = site["name"].as_str().unwrap();
            assert!(
                dom.contains(&format!("aria-label=\"fabric of {name}\"")),
                "{scenario}: no diagram of {name}"
            );
            assert!(dom.contains(&format!("id=\"site-{name}\"")), "{scenario}: no row for {name}");
        }
        // Optical against routed, per demand: every feasible option has its
        // bar in the cost, power, capacity and latency charts, at the plan's figure.
        let chart = |title: &str| -> &str {
            let at = dom
                .find(&format!("aria-label=\"{title}\""))
                .unwrap_or_else(|| panic!("{scenario}: no chart {title}"));
            &dom[at..at + dom[at..].find("</svg>").unwrap()]
        };
        for d in plan["interconnect"].as_array().unwrap() {
            let between = d["between"].as_array().unwrap();
            for o in d["options"].as_array().unwrap().iter().filter(|o| o["feasible"] == true) {
                let label = format!(
                    "{}–{} {}",
                    between[0].as_str().unwrap(),
                    between[1].as_str().unwrap(),
                    o["kind"].as_str().unwrap()
                );
                for (title, value) in [
                    ("One-way latency per option (working path)", o["latency_ms"].as_f64().unwrap()),
                    ("Capacity per option (weakest path)", o["capacity_gbps"].as_f64().unwrap() / 1000.0),
                    ("Typical power per option", o["power_w"]["typical"].as_f64().unwrap() / 1000.0),
                ] {
                    let bar = chart(title);
                    let at = bar
                        .find(&format!("data-label=\"{label}\" data-v=\""))
                        .unwrap_or_else(|| panic!("{scenario}: no bar {label} in {title}"));
                    let rest = &bar[at..];
                    let v: f64 =
                        rest.split("data-v=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
                    assert!(
                        (v - value).abs() < 1e-6,
                        "{scenario}: {title} shows {v} for {label}, plan.json says {value}"
                    );
                }
            }
        }
        // The whole-network designs, each at plan.json's price.
        for d in plan["interconnect_network"]["designs"].as_array().unwrap() {
            let row = format!(
                "<tr><td>{}</td><td>yes</td><td class=\"n\">{}</td>",
                d["name"].as_str().unwrap(),
                d["capex"].as_str().unwrap()
            );
            assert!(dom.contains(&row), "{scenario}: no network design row {row}");
        }
        if !plan["interconnect"].as_array().unwrap().is_empty() {
            for title in ["Slowest demand's latency", "Capacity", "Typical power"] {
                assert_eq!(
                    chart(title).matches("<rect").count(),
                    4,
                    "{scenario}: {title}: optical, routed, fabric-zr, chosen"
                );
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
