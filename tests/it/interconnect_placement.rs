//! The interconnect's equipment as `placement::interconnect_equipment`
//! places it, against the BOM: per site and item, every DCI router chassis,
//! line card, optical shelf, transponder, amplifier, ROADM degree and mux
//! the BOM buys (quantity − spares) is one unit placed, on every shipped
//! scenario with every shipped catalog; every card sits in a slot of its
//! own of a placed holder, and no two racked units share a rack unit.

use crate::support::*;
use dcplan::design::placement::{interconnect_equipment, Equipment};
use dcplan::load::{self, Source};
use dcplan::model::{Catalog, CoherentKind};
use std::collections::{BTreeMap, BTreeSet};

fn catalog_of(path: Option<&str>) -> Catalog {
    let source = match path {
        Some(p) => load::read_source(&root().join(p)).expect("catalog file"),
        None => Source::embedded_catalog(),
    };
    load::load_catalog(&source).expect("shipped catalog").value
}

/// Whether the BOM's item is interconnect equipment (not an optic, a cable or a switch).
fn is_equipment(c: &Catalog, item: &str) -> bool {
    c.router_chassis.iter().any(|x| x.id == item)
        || c.line_cards.iter().any(|x| x.id == item)
        || c.shelves.iter().any(|x| x.id == item)
        || c.amplifiers.iter().any(|x| x.id == item)
        || c.roadm_degrees.iter().any(|x| x.id == item)
        || c.mux_demux.iter().any(|x| x.id == item)
        || c.coherent_optics.iter().any(|x| x.id == item && x.kind == CoherentKind::Transponder)
}

/// The mismatches between the BOM and the equipment placed, and what is unsound in it.
fn problems(c: &Catalog, scenario_path: &str) -> (Vec<String>, usize) {
    let source = load::read_source(&root().join(scenario_path)).expect("scenario file");
    let scenario = load::load_scenario(&source, c).expect("shipped scenario").value;
    let plan = dcplan::plan::plan(c, &scenario).expect("shipped plan");
    let bom = dcplan::price::bom::bill_of_materials(c, &scenario, &plan);
    let placed = interconnect_equipment(&plan, c);
    let mut out = Vec::new();
    let mut bought: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for l in bom.lines.iter().filter(|l| is_equipment(c, &l.item)) {
        *bought.entry((l.site.as_str(), l.item.as_str())).or_default() += l.quantity - l.spares;
    }
    let mut counted: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for e in &placed {
        *counted.entry((e.site.as_str(), e.item.as_str())).or_default() += 1;
    }
    for key in bought.keys().chain(counted.keys()).collect::<BTreeSet<_>>() {
        let (b, p) = (bought.get(key).copied().unwrap_or(0), counted.get(key).copied().unwrap_or(0));
        if b != p {
            out.push(format!("{} {}: BOM {b}, placed {p}", key.0, key.1));
        }
    }
    out.extend(soundness(&placed));
    (out, placed.len())
}

fn soundness(placed: &[Equipment]) -> Vec<String> {
    let mut out = Vec::new();
    let mut names = BTreeSet::new();
    let mut units = BTreeSet::new();
    let mut slots = BTreeSet::new();
    let racked: BTreeSet<(&str, &str)> =
        placed.iter().filter(|e| e.ru.is_some()).map(|e| (e.site.as_str(), e.name.as_str())).collect();
    for e in placed {
        if !names.insert((e.site.as_str(), e.name.as_str())) {
            out.push(format!("{} {}: named twice", e.site, e.name));
        }
        match (e.ru, &e.holder, e.slot) {
            (Some(ru), None, None) => {
                // The unit's rack units, as the catalog gives them, are not
                // in `Equipment`: its lowest one is enough to find a clash.
                if !units.insert((e.site.clone(), e.rack.clone(), ru)) {
                    out.push(format!("{} {}: RU {ru} of {} taken twice", e.site, e.name, e.rack));
                }
                if !e.row.ends_with("-interconnect") {
                    out.push(format!("{} {}: in row {}", e.site, e.name, e.row));
                }
            }
            (None, Some(h), Some(slot)) => {
                if !racked.contains(&(e.site.as_str(), h.as_str())) {
                    out.push(format!("{} {}: in {h}, which is not placed", e.site, e.name));
                }
                if !slots.insert((e.site.clone(), h.clone(), slot)) {
                    out.push(format!("{} {}: slot {slot} of {h} taken twice", e.site, e.name));
                }
            }
            _ => out.push(format!("{} {}: neither racked nor a card: {e:?}", e.site, e.name)),
        }
    }
    out
}

#[test]
fn every_shipped_plan_s_interconnect_equipment_is_placed_as_the_bom_buys_it() {
    let mut total = 0;
    for catalog in [None, Some("catalogs/merchant-whitebox.yaml")] {
        let c = catalog_of(catalog);
        for s in ["example", "beijing-metro", "hyperscale"] {
            let (problems, n) = problems(&c, &format!("scenarios/{s}.yaml"));
            assert!(problems.is_empty(), "{s} on {}:\n{}", c.name, problems.join("\n"));
            total += n;
        }
    }
    // The metro and hyperscale plans light lines at every site: the check is not empty.
    assert!(total > 100, "only {total} units placed");
}
