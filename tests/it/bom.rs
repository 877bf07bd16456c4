//! The bill of materials: totals that reconcile to the cent, outputs that
//! spreadsheets read back, and part counts that match the design.

use crate::support::*;
use dcplan::load::{self, Source};
use dcplan::model::Category;
use rust_decimal::Decimal;
use std::str::FromStr;

fn dec(v: &serde_json::Value) -> Decimal {
    Decimal::from_str(v.as_str().expect("prices are decimal strings")).expect("a decimal")
}

fn bom_json(scenario: &str, catalog: Option<&str>) -> serde_json::Value {
    // One folder per call: tests run in parallel and may ask for the same scenario.
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "dcplan-bom-{}-{call}-{}",
        std::process::id(),
        scenario.replace('/', "_")
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("bom.json");
    let mut args = vec!["bom", scenario, "--out", out.to_str().unwrap()];
    if let Some(c) = catalog {
        args.extend(["--catalog", c]);
    }
    let run = dcplan(&args);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let json = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    json
}

#[test]
fn lines_add_up_to_every_total_to_the_cent() {
    for (scenario, catalog) in [
        ("scenarios/example.yaml", None),
        ("scenarios/beijing-metro.yaml", None),
        ("scenarios/hyperscale.yaml", None),
        ("scenarios/beijing-metro.yaml", Some("catalogs/merchant-whitebox.yaml")),
    ] {
        let b = bom_json(scenario, catalog);
        assert_eq!(b["currency"], "USD");
        let lines = b["lines"].as_array().unwrap();
        let sum: Decimal = lines.iter().map(|l| dec(&l["extended_net_price"])).sum();
        assert_eq!(sum, dec(&b["totals"]["net"]), "{scenario}");
        let by_site: Decimal = b["totals"]["by_site"].as_object().unwrap().values().map(dec).sum();
        let by_cat: Decimal = b["totals"]["by_category"].as_object().unwrap().values().map(dec).sum();
        assert_eq!(by_site, sum);
        assert_eq!(by_cat, sum);
        assert_eq!(dec(&b["totals"]["hardware_net"]) + dec(&b["totals"]["support"]), sum);
        for l in lines {
            for key in [
                "part_number",
                "site",
                "category",
                "quantity",
                "unit_list_price",
                "unit_net_price",
                "extended_net_price",
            ] {
                assert!(!l[key].is_null(), "{key}");
            }
            // Net never above list, and the unit net times the quantity is the line within a cent per unit.
            let q = Decimal::from(l["quantity"].as_u64().unwrap());
            assert!(dec(&l["extended_net_price"]) <= dec(&l["extended_list_price"]));
            assert!(
                (dec(&l["unit_net_price"]) * q - dec(&l["extended_net_price"])).abs()
                    <= q * Decimal::new(1, 2)
            );
        }
    }
}

#[test]
fn csv_reads_back_with_a_standard_reader() {
    let out = dcplan(&["bom", "scenarios/beijing-metro.yaml", "--out", "-"]);
    assert_eq!(out.status.code(), Some(0));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    let net = headers.iter().position(|h| h == "extended_net_price").unwrap();
    let mut sum = Decimal::ZERO;
    let mut n = 0;
    for record in reader.records() {
        let record = record.expect("a well-formed CSV record");
        assert_eq!(record.len(), headers.len());
        sum += Decimal::from_str(&record[net]).unwrap();
        n += 1;
    }
    let json = bom_json("scenarios/beijing-metro.yaml", None);
    assert_eq!(n, json["lines"].as_array().unwrap().len());
    assert_eq!(sum, dec(&json["totals"]["net"]));
}

#[test]
fn workbook_reads_back_with_the_same_lines_and_totals() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = std::env::temp_dir().join(format!("dcplan-xlsx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bom.xlsx");
    let out = dcplan(&["bom", "scenarios/beijing-metro.yaml", "--out", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut wb: Xlsx<_> = open_workbook(&path).expect("a workbook");
    let lines = wb.worksheet_range("Lines").expect("a Lines sheet");
    let json = bom_json("scenarios/beijing-metro.yaml", None);
    assert_eq!(lines.height() - 1, json["lines"].as_array().unwrap().len());
    let header: Vec<String> = lines.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let net = header.iter().position(|h| h == "extended_net_price").unwrap();
    let mut sum = 0.0;
    for row in lines.rows().skip(1) {
        match &row[net] {
            Data::Float(f) => sum += f,
            other => panic!("prices are numbers in the workbook, found {other:?}"),
        }
    }
    let total: f64 = json["totals"]["net"].as_str().unwrap().parse().unwrap();
    assert!((sum - total).abs() < 0.01, "{sum} vs {total}");
    let totals = wb.worksheet_range("Totals").expect("a Totals sheet");
    let net_row = totals.rows().find(|r| r[0] == "net total").expect("a net total row");
    match &net_row[1] {
        Data::Float(f) => assert!((f - total).abs() < 0.01),
        other => panic!("the total is a number, found {other:?}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn part_counts_cross_check_the_design() {
    let catalog = load::load_catalog(&Source::embedded_catalog()).unwrap().value;
    let text = std::fs::read_to_string(root().join("scenarios/hyperscale.yaml")).unwrap();
    let scenario = load::load_scenario(&Source::new("hs", text), &catalog).unwrap().value;
    let plan = dcplan::plan::plan(&catalog, &scenario).unwrap();
    let bom = dcplan::price::bom::bill_of_materials(&catalog, &scenario, &plan);
    let qty = |site: &str, item: &str| -> u64 {
        bom.lines.iter().filter(|l| l.site == site && l.item == item).map(|l| l.quantity - l.spares).sum()
    };
    for s in &plan.sites {
        // Switches: what the design counted.
        for t in s.fabric.tier_list() {
            let same_model_other_tiers: u64 =
                s.fabric.tier_list().iter().filter(|o| o.switch_id == t.switch_id).map(|o| o.count).sum();
            assert_eq!(qty(&s.name, &t.switch_id), same_model_other_tiers, "{} {}", s.name, t.switch_id);
        }
        // Optics: one module per port used at each end of every optical link.
        for g in &s.fabric.links {
            let lanes = |e: &dcplan::design::media::End| e.breakout.map_or(1, |b| u64::from(b.lanes));
            if g.media.kind == "optics" {
                assert!(
                    g.a_ports * lanes(&g.a_end) >= g.links && g.b_ports * lanes(&g.b_end) >= g.links,
                    "{:?}",
                    g.class
                );
            }
        }
    }
    // Interconnect: inline amplifiers = 2 per fibre pair at every inline site of a route.
    for d in &plan.interconnect {
        let o = d.design.options.iter().find(|o| Some(o.kind) == d.design.chosen).unwrap();
        for p in &o.paths {
            for h in &p.hops {
                for k in 1..=h.inline_sites {
                    let site = dcplan::design::interconnect::inline_site(&h.route, h.first_span + k);
                    let inline: u64 = bom
                        .lines
                        .iter()
                        .filter(|l| {
                            l.site == site && l.category == Category::Optical && l.item.contains("amp")
                        })
                        .map(|l| l.quantity)
                        .sum();
                    assert!(
                        inline >= 2 * h.fibre_pairs,
                        "{site}: {inline} amplifiers for {} pairs",
                        h.fibre_pairs
                    );
                }
            }
        }
        // Routers: line cards fit the chassis slots.
        if let Some(o) = d
            .design
            .options
            .iter()
            .find(|o| o.kind == dcplan::design::interconnect::OptionKind::Routed && o.feasible)
        {
            let mut by_site: std::collections::BTreeMap<&str, (u64, u64)> = Default::default();
            for p in o.parts.iter().chain(&o.standalone_line_parts) {
                if let Some(c) = catalog.router_chassis.iter().find(|c| c.id == p.item) {
                    by_site.entry(&p.site).or_default().0 += p.quantity * u64::from(c.slots);
                }
                if catalog.line_cards.iter().any(|c| c.id == p.item) {
                    by_site.entry(&p.site).or_default().1 += p.quantity;
                }
            }
            for (site, (slots, cards)) in by_site {
                assert!(cards <= slots, "{site}: {cards} cards in {slots} slots");
            }
        }
    }
    // The network's pooled routers: cards fit their chassis, and the BOM buys them.
    for r in &plan.interconnect_network.routers {
        let chassis = catalog.router_chassis.iter().find(|c| c.id == r.model).unwrap();
        let cards: u64 = r.cards.iter().map(|c| c.quantity).sum();
        assert_eq!(cards + r.slots_free, r.chassis * u64::from(chassis.slots));
        assert!(qty(&r.site, &r.model) >= r.chassis);
    }
}

#[test]
fn spares_and_cost_of_ownership_follow_the_scenario() {
    let b = bom_json("scenarios/beijing-metro.yaml", None);
    let lines = b["lines"].as_array().unwrap();
    // 2 % optics spares, rounded up per line.
    for l in lines.iter().filter(|l| l["category"] == "optics") {
        let q = l["quantity"].as_u64().unwrap();
        let s = l["spares"].as_u64().unwrap();
        let base = q - s;
        assert_eq!(s, (base * 2).div_ceil(100), "{l:#}");
    }
    assert!(lines.iter().filter(|l| l["category"] == "fabric").all(|l| l["spares"] == 0));
    // One horizon for support and energy: the scenario's 5 years of energy,
    // and support at the deal's yearly rate for as long (its term is 3).
    let t = &b["totals"];
    assert_eq!(t["horizon_years"], 5);
    assert_eq!(dec(&t["support_over_horizon"]), dec(&t["support"]) / Decimal::from(3) * Decimal::from(5));
    let tco = dec(&t["cost_of_ownership"]);
    assert_eq!(tco, dec(&t["hardware_net"]) + dec(&t["support_over_horizon"]) + dec(&t["energy"]));
    assert!(dec(&t["energy"]) > Decimal::ZERO);
}

#[test]
fn plan_out_writes_the_bom_beside_plan_json_with_the_cost() {
    let dir = std::env::temp_dir().join(format!("dcplan-planbom-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dcplan(&["plan", "scenarios/example.yaml", "--out", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("plan.json")).unwrap()).unwrap();
    let bom: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("bom.json")).unwrap()).unwrap();
    assert!(dir.join("bom.csv").exists());
    assert_eq!(plan["totals"]["currency"], "USD");
    assert_eq!(plan["totals"]["cost"], bom["totals"]["net"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_deals_side_by_side() {
    let out = dcplan(&[
        "compare",
        "scenarios/example.yaml",
        "--catalog",
        "catalogs/nokia-xiaomi-2017.yaml",
        "--catalog",
        "catalogs/merchant-whitebox.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let deals = json["deals"].as_array().unwrap();
    assert_eq!(deals.len(), 2);
    for d in deals {
        for key in [
            "capex",
            "support",
            "power_typical_w",
            "rack_units",
            "server_capacity_gbps",
            "net_per_server_gbps",
        ] {
            assert!(!d[key].is_null(), "{key}");
        }
    }
    assert_ne!(deals[0]["capex"], deals[1]["capex"]);
}

#[test]
fn bad_bom_outputs_are_refused() {
    let out = dcplan(&["bom", "scenarios/example.yaml", "--out", "/tmp/bom.pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("use .csv, .json, .md or .xlsx"), "{}", stderr(&out));
}

#[test]
fn a_small_bill_priced_by_hand() {
    // One 48x25G leaf (4 uplinks of 100G for 3:1), two 32x100G spines (2 links
    // each), 40 DACs, 4 SR4 links (8 modules, 4 MPO cords). Deal: fabric -40 %,
    // optics -50 %, cables -20 %; tiers not reached; support 10 % x 3 years.
    let b = bom_json("tests/data/handcheck.yaml", Some("tests/data/mini-catalog.yaml"));
    let line = |item: &str| -> (u64, Decimal) {
        let l = b["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["item"] == item)
            .unwrap_or_else(|| panic!("{item}"));
        (l["quantity"].as_u64().unwrap(), dec(&l["extended_net_price"]))
    };
    assert_eq!(line("leaf-48x25"), (1, Decimal::new(600000, 2))); // 10,000 x 0.6
    assert_eq!(line("spine-32x100"), (2, Decimal::new(2400000, 2))); // 2 x 20,000 x 0.6
    assert_eq!(line("sr4-100"), (8, Decimal::new(40000, 2))); // 8 x 100 x 0.5
    assert_eq!(line("dac-25"), (40, Decimal::new(96000, 2))); // 40 x 30 x 0.8
    assert_eq!(line("patch-mmf-mpo12"), (4, Decimal::new(16000, 2))); // 4 x 50 x 0.8
    assert_eq!(dec(&b["totals"]["hardware_net"]), Decimal::new(3152000, 2));
    assert_eq!(dec(&b["totals"]["support"]), Decimal::new(945600, 2)); // 3,152 x 3
    assert_eq!(dec(&b["totals"]["net"]), Decimal::new(4097600, 2));
}

#[test]
fn the_plans_fabric_price_is_the_boms() {
    for scenario in ["scenarios/example.yaml", "scenarios/beijing-metro.yaml", "scenarios/hyperscale.yaml"] {
        let plan = dcplan(&["plan", scenario, "--format", "json"]);
        assert_eq!(plan.status.code(), Some(0), "{}", stderr(&plan));
        let plan: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
        let b = bom_json(scenario, None);
        for site in plan["sites"].as_array().unwrap() {
            let name = site["name"].as_str().unwrap();
            assert_eq!(
                dec(&site["fabric"]["cost_net"]),
                dec(&b["totals"]["fabric_by_site"][name]),
                "{scenario} {name}"
            );
        }
    }
    // One site and no interconnect: every line is the fabric's, so its price
    // is each line's net without its spares' share (within a cent a line).
    let b = bom_json("scenarios/example.yaml", None);
    let lines = b["lines"].as_array().unwrap();
    let installed: Decimal = lines
        .iter()
        .filter(|l| l["category"] != "support")
        .map(|l| {
            let q = Decimal::from(l["quantity"].as_u64().unwrap());
            let s = Decimal::from(l["spares"].as_u64().unwrap());
            dec(&l["extended_net_price"]) * (q - s) / q
        })
        .sum();
    let fabric = dec(&b["totals"]["fabric_by_site"]["bj-yizhuang-dc1"]);
    assert!((installed - fabric).abs() <= Decimal::new(lines.len() as i64, 2), "{installed} vs {fabric}");
    // The fabric's share never exceeds the site's hardware.
    assert!(fabric <= dec(&b["totals"]["by_site"]["bj-yizhuang-dc1"]));
}
