//! `dcplan catalog`: what a deal supplies, section by section, with every
//! estimated figure marked `~` so a reader can tell datasheet from judgement.

use super::table::Table;
use crate::model::*;
use crate::units::trim_float;
use serde::Serialize;

fn mark(item: &dyn CatalogItem, field: &str, text: String) -> String {
    if item.estimates().contains_key(field) {
        format!("~{text}")
    } else {
        text
    }
}

fn power(item: &dyn CatalogItem) -> String {
    let p = item.power();
    mark(item, "power_w", format!("{}/{}", trim_float(p.typical.0), trim_float(p.max.0)))
}

fn price(item: &dyn CatalogItem) -> String {
    mark(item, "list_price", item.list_price().to_string())
}

fn ports(groups: &[PortGroup]) -> String {
    groups
        .iter()
        .map(|g| {
            let mut s = format!("{}x{}G {}", g.count, g.speed_gbps.0, g.form_factor.as_str());
            if g.management {
                s.push_str(" (mgmt)");
            }
            if !g.breakouts.is_empty() {
                let b: Vec<String> =
                    g.breakouts.iter().map(|b| format!("{}x{}", b.lanes, b.speed_gbps.0)).collect();
                s.push_str(&format!(" [{}]", b.join(",")));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The catalog as terminal tables.
pub fn to_text(catalog: &Catalog) -> String {
    let mut out = format!("{} ({})\n", catalog.name, catalog.vendor);
    let deal = &catalog.deal;
    out.push_str(&format!(
        "Deal: prices in {}, valid {} to {}; support {}%/year for {} years.\n",
        deal.currency, deal.valid_from, deal.valid_until, deal.support.pct_per_year, deal.support.years
    ));
    let discounts: Vec<String> =
        deal.discounts_pct.iter().map(|(c, d)| format!("{} {}%", c.as_str(), d)).collect();
    out.push_str(&format!("Discounts: {}.\n", discounts.join(", ")));
    for s in &deal.volume_tiers {
        let tiers: Vec<String> =
            s.tiers.iter().map(|t| format!("from {}: +{}%", t.from_quantity, t.extra_discount_pct)).collect();
        let mode = match s.mode {
            TierMode::AllUnits => "all units",
            TierMode::Incremental => "units inside each tier",
        };
        out.push_str(&format!("Volume tiers, {} ({mode}): {}.\n", s.category.as_str(), tiers.join("; ")));
    }
    out.push_str(
        "Figures marked ~ are estimates (see `--format json` for their basis). Power is typical/max in W.\n",
    );

    let mut section = |title: &str, table: Table| {
        if !table.is_empty() {
            out.push_str(&format!("\n{title}\n{}", table.to_text()));
        }
    };

    let mut t = Table::new(&[
        "id",
        "model",
        "part number",
        "roles",
        "ports",
        "capacity FD",
        "RU>",
        "power W>",
        "list price>",
    ]);
    for s in &catalog.switches {
        let roles: Vec<&str> = s.roles.iter().map(|r| r.as_str()).collect();
        t.row(vec![
            s.id.clone(),
            s.model.clone(),
            s.part_number.clone(),
            roles.join(","),
            ports(&s.ports),
            mark(s, "capacity_fd_gbps", s.capacity_fd_gbps.to_string()),
            mark(s, "rack_units", trim_float(s.rack_units)),
            power(s),
            price(s),
        ]);
    }
    section("Fabric switches", t);

    let mut t = Table::new(&[
        "id",
        "model",
        "part number",
        "slots>",
        "slot FD",
        "fabric FD",
        "RU>",
        "power W>",
        "list price>",
    ]);
    for r in &catalog.router_chassis {
        t.row(vec![
            r.id.clone(),
            r.model.clone(),
            r.part_number.clone(),
            r.slots.to_string(),
            mark(r, "slot_capacity_fd_gbps", r.slot_capacity_fd_gbps.to_string()),
            mark(r, "fabric_capacity_fd_gbps", r.fabric_capacity_fd_gbps.to_string()),
            mark(r, "rack_units", trim_float(r.rack_units)),
            power(r),
            price(r),
        ]);
    }
    section("Router chassis", t);

    let mut t = Table::new(&[
        "id",
        "model",
        "part number",
        "NP",
        "ports",
        "forwarding FD",
        "fits",
        "power W>",
        "list price>",
    ]);
    for l in &catalog.line_cards {
        t.row(vec![
            l.id.clone(),
            l.model.clone(),
            l.part_number.clone(),
            l.network_processor.clone(),
            ports(&l.ports),
            mark(l, "forwarding_capacity_fd_gbps", l.forwarding_capacity_fd_gbps.to_string()),
            l.compatible_chassis.join(","),
            power(l),
            price(l),
        ]);
    }
    section("Router line cards", t);

    let mut t = Table::new(&[
        "id",
        "standard",
        "part number",
        "form",
        "speed",
        "reach",
        "fibre",
        "power W>",
        "list price>",
    ]);
    for o in &catalog.grey_optics {
        let speed = match o.breakout {
            Some(b) => format!("{} ({}x{}G)", o.speed_gbps, b.lanes, b.speed_gbps.0),
            None => o.speed_gbps.to_string(),
        };
        t.row(vec![
            o.id.clone(),
            o.standard.clone(),
            o.part_number.clone(),
            o.form_factor.as_str().to_string(),
            speed,
            mark(o, "reach_m", o.reach_m.to_string()),
            name_of(&o.fibre),
            power(o),
            price(o),
        ]);
    }
    section("Grey optics", t);

    let mut t =
        Table::new(&["id", "model", "kind", "modes (rate baud req.OSNR reach)", "power W>", "list price>"]);
    for o in &catalog.coherent_optics {
        let modes: Vec<String> = o
            .modes
            .iter()
            .map(|m| {
                format!(
                    "{}G {}GBd {}dB {}km",
                    m.line_rate_gbps.0,
                    trim_float(m.baud_gbd.0),
                    trim_float(m.required_osnr_db.0),
                    trim_float(m.reach_km.0)
                )
            })
            .collect();
        t.row(vec![
            o.id.clone(),
            o.model.clone(),
            name_of(&o.kind),
            mark(o, "modes", modes.join("; ")),
            power(o),
            price(o),
        ]);
    }
    section("Coherent optics", t);

    let mut t = Table::new(&["id", "model", "part number", "figures", "RU>", "power W>", "list price>"]);
    for m in &catalog.mux_demux {
        t.row(vec![
            m.id.clone(),
            m.model.clone(),
            m.part_number.clone(),
            format!(
                "{} ch x {} GHz, loss {}",
                m.channels,
                trim_float(m.spacing_ghz.0),
                mark(m, "insertion_loss_db", m.insertion_loss_db.to_string())
            ),
            trim_float(m.rack_units),
            power(m),
            price(m),
        ]);
    }
    for r in &catalog.roadm_degrees {
        t.row(vec![
            r.id.clone(),
            r.model.clone(),
            r.part_number.clone(),
            format!(
                "ROADM degree, express loss {}, filtering penalty {} a pass",
                mark(r, "express_loss_db", r.express_loss_db.to_string()),
                mark(r, "filtering_penalty_db", r.filtering_penalty_db.to_string())
            ),
            trim_float(r.rack_units),
            power(r),
            price(r),
        ]);
    }
    for a in &catalog.amplifiers {
        let roles: Vec<String> = a.roles.iter().map(name_of).collect();
        t.row(vec![
            a.id.clone(),
            a.model.clone(),
            a.part_number.clone(),
            format!(
                "{} gain {}-{} dB, NF {}",
                roles.join("/"),
                trim_float(a.gain_db.min.0),
                trim_float(a.gain_db.max.0),
                mark(a, "noise_figure_db", a.noise_figure_db.to_string())
            ),
            trim_float(a.rack_units),
            power(a),
            price(a),
        ]);
    }
    for s in &catalog.shelves {
        t.row(vec![
            s.id.clone(),
            s.model.clone(),
            s.part_number.clone(),
            format!("shelf, {} slots", s.slots),
            trim_float(s.rack_units),
            power(s),
            price(s),
        ]);
    }
    section("Optical line system", t);

    let mut t =
        Table::new(&["id", "model", "kind", "speed", "lengths m", "reach", "power W/end>", "list price>"]);
    for c in &catalog.cables {
        let lengths: Vec<String> = c.length_options_m.iter().map(|l| trim_float(l.0)).collect();
        t.row(vec![
            c.id.clone(),
            c.model.clone(),
            name_of(&c.kind),
            c.speed_gbps.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
            lengths.join(","),
            c.reach_m.to_string(),
            power(c),
            price(c),
        ]);
    }
    section("Cables", t);
    out
}

#[derive(Serialize)]
struct CatalogJson<'a> {
    #[serde(flatten)]
    catalog: &'a Catalog,
    item_count: usize,
}

/// The validated catalog as JSON, figures and their provenance included.
pub fn to_json(catalog: &Catalog) -> String {
    let doc = CatalogJson { catalog, item_count: catalog.items().count() };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
