//! `report.html`: one self-contained page (no network, works from a
//! file:// URL, prints cleanly) with the summary, a diagram per site, a map
//! of the sites and their interconnect, charts, the bill of materials and
//! the failure summary. Pure SVG and a few lines of script for sorting.
//! Key figures carry `data-*` attributes so a test can hold the page to
//! plan.json.

use crate::analyse::resilience::FailureReport;
use crate::plan::{Plan, SitePlan};
use crate::price::bom::Bom;
use crate::units::trim_float;
use std::fmt::Write;

use super::graph::escape as esc;
use super::plan::{kw, rate};

const STYLE: &str = r#"
.mismatch{background:#fdd;outline:2px solid #c00}
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2em;color:#222;max-width:1200px}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left}
th{background:#f3f3f3;cursor:pointer}td.n{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:1em}.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;min-width:10em}
.card b{display:block;font-size:1.3em}.muted{color:#666;font-size:.9em}svg text{font-family:inherit}
@media print{body{margin:0}th{cursor:default}.noprint{display:none}h2{page-break-after:avoid}svg,table{page-break-inside:avoid}}
"#;

const SCRIPT: &str = r#"
document.querySelectorAll('table.sortable th').forEach(function(th, i){
  th.addEventListener('click', function(){
    var table = th.closest('table'), body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.dataset.asc !== '1'; th.dataset.asc = asc ? '1' : '0';
    rows.sort(function(a, b){
      var x = a.cells[i].dataset.v || a.cells[i].textContent, y = b.cells[i].dataset.v || b.cells[i].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return asc ? c : -c;
    });
    rows.forEach(function(r){ body.appendChild(r); });
  });
});
// The reader's own check that the bill adds up: the extended lines, summed in
// whole cents, must equal the net total printed above the table.
(function(){
  var table = document.getElementById('bom'), hw = document.getElementById('bom-net');
  if (!table || !hw) return;
  var cents = 0;
  Array.prototype.forEach.call(table.tBodies[0].rows, function(r){
    cents += Math.round(parseFloat(r.cells[7].dataset.v) * 100);
  });
  var want = Math.round(parseFloat(hw.dataset.value) * 100);
  document.documentElement.dataset.bomLinesCents = String(cents);
  document.documentElement.dataset.bomCheck = cents === want ? 'ok' : 'mismatch';
  if (cents !== want) { hw.className = 'mismatch'; hw.title = 'the lines add up to ' + (cents / 100).toFixed(2); }
})();
document.documentElement.dataset.ready = '1';
"#;

/// A diagram of a site's fabric: tiers as rows, link bundles between them.
fn site_svg(s: &SitePlan) -> String {
    let f = &s.fabric;
    let tiers = f.tier_list();
    let h = 70 + tiers.len() as u32 * 110;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="760" height="{h}" role="img" aria-label="fabric of {}">"#,
        esc(&s.name)
    );
    let y_of = |i: usize| -> u32 { 30 + (tiers.len() - 1 - i) as u32 * 110 };
    for (i, t) in tiers.iter().enumerate() {
        let y = y_of(i);
        let _ = write!(
            svg,
            r##"<rect x="230" y="{y}" width="300" height="56" rx="6" fill="#e8f0fe" stroke="#4a76c9"/><text x="380" y="{}" text-anchor="middle" font-size="15">{} × {}</text><text x="380" y="{}" text-anchor="middle" font-size="12" fill="#555">{} · {}/{} ports used</text>"##,
            y + 24,
            t.count,
            esc(&t.model),
            y + 44,
            t.role.as_str(),
            t.ports_used,
            t.ports_total
        );
        if i + 1 < tiers.len() {
            let up = &tiers[i + 1];
            let _ = write!(
                svg,
                r##"<line x1="380" y1="{}" x2="380" y2="{}" stroke="#888" stroke-width="3"/><text x="395" y="{}" font-size="12">{} × {} links ({} per {}) · {} oversubscription {}:1</text>"##,
                y,
                y_of(i + 1) + 56,
                y - 22,
                t.count * t.up_links,
                t.up_speed_gbps,
                t.up_links,
                t.role.as_str(),
                t.role.as_str(),
                trim_float(if i == 0 {
                    f.oversubscription.leaf
                } else {
                    f.oversubscription.spine.unwrap_or(1.0)
                })
            );
            let _ = up;
        }
    }
    let y = y_of(0) + 56;
    let _ = write!(
        svg,
        r##"<line x1="380" y1="{y}" x2="380" y2="{}" stroke="#888" stroke-width="3"/><text x="395" y="{}" font-size="12">{} servers · {} × {} · {} racks</text></svg>"##,
        y + 20,
        y + 16,
        f.servers,
        f.server_ports,
        f.server_speed_gbps,
        f.racks
    );
    svg
}

/// The sites on a circle, fibre routes between them with their lengths,
/// and each demand's chosen option with its margin.
fn map_svg(plan: &Plan, scenario: &crate::model::Scenario) -> String {
    let n = plan.sites.len().max(1);
    let (cx, cy, r) = (380.0, 230.0, 170.0);
    let pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
            (cx + r * a.cos(), cy + r * a.sin())
        })
        .collect();
    let at = |name: &str| plan.sites.iter().position(|s| s.name == name).map(|i| pos[i]);
    let mut svg = String::from(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="760" height="470" role="img" aria-label="map of the sites">"#,
    );
    for (k, route) in scenario.fibre_routes.iter().enumerate() {
        if let (Some(a), Some(b)) = (at(&route.between[0]), at(&route.between[1])) {
            let bend = 18.0 * (k % 3) as f64;
            let (mx, my) = ((a.0 + b.0) / 2.0 + bend, (a.1 + b.1) / 2.0 - bend);
            let _ = write!(
                svg,
                r##"<path d="M{:.0},{:.0} Q{mx:.0},{my:.0} {:.0},{:.0}" fill="none" stroke="#c77" stroke-width="2"/><text x="{mx:.0}" y="{my:.0}" font-size="11" fill="#a44">{} · {} km</text>"##,
                a.0,
                a.1,
                b.0,
                b.1,
                esc(&route.id),
                trim_float(route.length_km.0)
            );
        }
    }
    for (i, s) in plan.sites.iter().enumerate() {
        let (x, y) = pos[i];
        let _ = write!(
            svg,
            r##"<circle cx="{x:.0}" cy="{y:.0}" r="26" fill="#4a76c9"/><text x="{x:.0}" y="{:.0}" text-anchor="middle" font-size="12">{}</text><text x="{x:.0}" y="{:.0}" text-anchor="middle" font-size="11" fill="#555">{} servers</text>"##,
            y + 42.0,
            esc(&s.name),
            y + 56.0,
            s.fabric.servers
        );
    }
    let mut ly = 20.0;
    for d in &plan.interconnect {
        let chosen = d.design.options.iter().find(|o| Some(o.kind) == d.design.chosen);
        let _ = write!(
            svg,
            r#"<text x="10" y="{ly:.0}" font-size="11">{} – {}: {} {} · {}</text>"#,
            esc(&d.design.between[0]),
            esc(&d.design.between[1]),
            rate(d.design.demand_gbps.0),
            chosen.map_or("-", |o| o.kind.as_str()),
            chosen.map_or(String::new(), |o| format!("margin {:.1} dB", o.margin_db))
        );
        ly += 15.0;
    }
    svg.push_str("</svg>");
    svg
}

/// A horizontal bar chart of labelled values, shown to one decimal.
fn bars(title: &str, unit: &str, rows: &[(String, f64, &str)]) -> String {
    bars_to(title, unit, 1, rows)
}

/// A horizontal bar chart of labelled values, shown to `decimals` places.
fn bars_to(title: &str, unit: &str, decimals: i32, rows: &[(String, f64, &str)]) -> String {
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(1e-9);
    let h = 30 + rows.len() as u32 * 22;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="760" height="{h}" role="img" aria-label="{}"><text x="0" y="16" font-size="13" font-weight="bold">{}</text>"#,
        esc(title),
        esc(title)
    );
    for (i, (label, v, color)) in rows.iter().enumerate() {
        let y = 26 + i as u32 * 22;
        let w = 420.0 * v / max;
        let _ = write!(
            svg,
            r#"<text x="0" y="{}" font-size="11">{}</text><rect x="250" y="{y}" width="{w:.1}" height="16" fill="{color}" data-label="{}" data-v="{v}"/><text x="{:.0}" y="{}" font-size="11">{} {}</text>"#,
            y + 12,
            esc(label),
            esc(label),
            255.0 + w,
            y + 12,
            trim_float((v * 10f64.powi(decimals)).round() / 10f64.powi(decimals)),
            unit
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The whole report.
pub fn report(
    plan: &Plan,
    scenario: &crate::model::Scenario,
    bom: &Bom,
    failures: Option<&FailureReport>,
    generated_at: Option<&str>,
) -> String {
    let mut h = String::new();
    // The same totals as plan.json, so the page and the file cannot disagree.
    let totals = super::plan::totals(plan);
    let typical = totals.power_w.typical;
    let servers = totals.servers;
    let server_gbps: u64 =
        plan.sites.iter().map(|s| s.fabric.server_ports * s.fabric.server_speed_gbps.0).sum();
    let _ = write!(
        h,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>dcplan: {}</title><style>{STYLE}</style></head><body>"#,
        esc(&plan.scenario)
    );
    let _ = write!(
        h,
        "<h1>{}</h1><p class=\"muted\">Catalog: {}. Prices in {}. Generated by dcplan {}{}.</p>",
        esc(&plan.scenario),
        esc(&plan.catalog),
        esc(&plan.currency),
        env!("CARGO_PKG_VERSION"),
        generated_at.map(|t| format!(" at <time id=\"generated-at\">{}</time>", esc(t))).unwrap_or_default()
    );
    let _ = write!(
        h,
        r#"<div class="cards"><div class="card">Sites<b id="sites" data-value="{}">{}</b></div><div class="card">Servers<b id="servers" data-value="{servers}">{servers}</b></div><div class="card">Server capacity<b id="server-capacity" data-value="{server_gbps}">{}</b></div><div class="card">Power, typical<b id="power-typical" data-value="{:.1}">{}</b></div><div class="card">Net price<b id="cost" data-value="{}">{} {}</b></div></div>"#,
        plan.sites.len(),
        plan.sites.len(),
        rate(server_gbps),
        typical.0,
        kw(typical),
        bom.totals.net,
        bom.totals.net,
        esc(&bom.currency)
    );
    // Assumptions.
    let f = &scenario.fabric;
    let _ = write!(
        h,
        "<h2>Assumptions</h2><ul><li>Objective: {}; growth headroom {}%.</li><li>Leaf oversubscription target {}:1, spine {}:1; {} homing; tiers {}.</li><li>Optical line: 1 dB of connectors per span, spans of at most 100 km when a route gives none, 2 dB planning margin over each mode's required OSNR.</li><li>Prices: list price less the deal's category discount and volume tiers; support {}% a year for {} years.</li></ul>",
        crate::model::name_of(&scenario.objective),
        trim_float(scenario.growth_headroom_pct),
        trim_float(f.leaf_oversubscription),
        trim_float(f.spine_oversubscription),
        crate::model::name_of(&f.homing),
        match f.tiers {
            crate::model::Tiers::Auto => "chosen by the planner".to_string(),
            crate::model::Tiers::Two => "2".into(),
            crate::model::Tiers::Three => "3".into(),
        },
        bom.support_pct_per_year,
        bom.support_years
    );
    // Sites.
    h.push_str("<h2>Sites</h2><table class=\"sortable\"><thead><tr><th>site</th><th>servers</th><th>tiers</th><th>bisection</th><th>leaf OS</th><th>power typ</th><th>power max</th><th>RU</th></tr></thead><tbody>");
    for s in &plan.sites {
        let _ = write!(
            h,
            r#"<tr id="site-{}"><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n bisection" data-v="{}">{}</td><td class="n">{}:1</td><td class="n" data-v="{}">{}</td><td class="n" data-v="{}">{}</td><td class="n">{}</td></tr>"#,
            esc(&s.name),
            esc(&s.name),
            s.fabric.servers,
            s.fabric.tiers,
            s.bisection_gbps.0,
            rate(s.bisection_gbps.0),
            trim_float(s.fabric.oversubscription.leaf),
            s.power.typical_w.0,
            kw(s.power.typical_w),
            s.power.max_w.0,
            kw(s.power.max_w),
            trim_float(s.rack_units)
        );
    }
    h.push_str("</tbody></table>");
    for s in &plan.sites {
        let _ = write!(h, "<h3>{}</h3><p class=\"muted\">{}</p>", esc(&s.name), esc(&s.fabric.why));
        for ho in &s.fabric.handoff {
            let _ = write!(
                h,
                "<p class=\"handoff\">Hand-off to the interconnect: {} links of {} on {} {} ({}), up to {} links on {} ports each, to the {}.</p>",
                ho.links,
                ho.speed_gbps,
                ho.switches,
                ho.role.plural(),
                esc(&ho.switch),
                ho.links_per_switch,
                ho.ports_per_switch,
                esc(&ho.equipment)
            );
        }
        h.push_str(&site_svg(s));
    }
    // Map and interconnect.
    if !plan.interconnect.is_empty() {
        h.push_str("<h2>Interconnect</h2>");
        h.push_str(&map_svg(plan, scenario));
        // Optical, routed and fabric-zr, per demand and for all demands: cost,
        // power, capacity and latency.
        let color = |kind: &str| match kind {
            "optical" => "#4a76c9",
            "routed" => "#e0883a",
            "fabric-zr" => "#8a5cc2",
            _ => "#6a9f58",
        };
        let money_k = |m: rust_decimal::Decimal| m.to_string().parse::<f64>().unwrap_or(0.0) / 1000.0;
        let (mut cost_rows, mut power_rows, mut capacity_rows, mut latency_rows) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for d in &plan.interconnect {
            for o in d.design.options.iter().filter(|o| o.feasible) {
                let label = format!("{}–{} {}", d.design.between[0], d.design.between[1], o.kind.as_str());
                let c = color(o.kind.as_str());
                cost_rows.push((label.clone(), money_k(o.cost.amount()), c));
                power_rows.push((label.clone(), o.power_typical_w.0 / 1000.0, c));
                capacity_rows.push((label.clone(), o.capacity_gbps as f64 / 1000.0, c));
                latency_rows.push((label, o.latency_ms, c));
            }
        }
        h.push_str("<div class=\"charts\" id=\"per-demand\"><h3>Per demand</h3>");
        h.push_str(&bars(&format!("Net price per option (thousand {})", plan.currency), "k", &cost_rows));
        h.push_str(&bars("Typical power per option", "kW", &power_rows));
        h.push_str(&bars("Capacity per option (weakest path)", "Tb/s", &capacity_rows));
        h.push_str(&bars_to("One-way latency per option (working path)", "ms", 3, &latency_rows));
        h.push_str("</div>");
        let totals = super::interconnect::option_totals(plan);
        let label = |t: &super::interconnect::OptionTotals| {
            let all = if t.kind == "chosen" { "as chosen" } else { t.kind };
            format!("all {all} ({}/{} feasible)", t.feasible, t.demands)
        };
        let rows = |value: &dyn Fn(&super::interconnect::OptionTotals) -> f64| -> Vec<(String, f64, &str)> {
            totals.iter().map(|t| (label(t), value(t), color(t.kind))).collect()
        };
        h.push_str("<div class=\"charts\" id=\"all-demands\"><h3>All demands, as one network</h3>");
        h.push_str(&bars(
            &format!("Net price (thousand {})", plan.currency),
            "k",
            &rows(&|t| money_k(t.cost)),
        ));
        h.push_str(&bars("Typical power", "kW", &rows(&|t| t.power_typical_w / 1000.0)));
        h.push_str(&bars("Capacity", "Tb/s", &rows(&|t| t.capacity_gbps as f64 / 1000.0)));
        h.push_str(&bars_to("Slowest demand's latency", "ms", 3, &rows(&|t| t.worst_latency_ms)));
        h.push_str("</div>");
        h.push_str("<table class=\"sortable\"><thead><tr><th>between</th><th>demand</th><th>option</th><th>feasible</th><th>capacity</th><th>latency ms</th><th>GSNR dB</th><th>margin dB</th><th>net price</th><th>marginal</th><th>chosen</th></tr></thead><tbody>");
        for d in &plan.interconnect {
            for o in &d.design.options {
                let _ = write!(
                    h,
                    "<tr><td>{} – {}</td><td class=\"n\" data-v=\"{}\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.3}</td><td class=\"n\">{:.1}</td><td class=\"n\">{:.1}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                    esc(&d.design.between[0]),
                    esc(&d.design.between[1]),
                    d.design.demand_gbps.0,
                    rate(d.design.demand_gbps.0),
                    o.kind.as_str(),
                    if o.feasible { "yes".to_string() } else { format!("no: {}", esc(o.reason.as_deref().unwrap_or(""))) },
                    rate(o.capacity_gbps),
                    o.latency_ms,
                    o.gsnr_db,
                    o.margin_db,
                    o.cost,
                    o.marginal_capex.map_or_else(|| "-".to_string(), |m| m.to_string()),
                    if d.design.chosen == Some(o.kind) { "chosen" } else { "" }
                );
            }
        }
        h.push_str("</tbody></table>");
        let _ = write!(h, "<p class=\"network\">{}</p>", esc(&super::interconnect::network_summary(plan)));
        h.push_str("<table class=\"sortable\" id=\"network-designs\"><thead><tr><th>network design</th><th>feasible</th><th>net price</th><th>support</th><th>energy</th><th>power typ kW</th><th>RU</th><th>fibre pairs</th><th>worst margin dB</th></tr></thead><tbody>");
        for d in &plan.interconnect_network.designs {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}</td></tr>",
                esc(&d.name),
                if d.feasible { "yes".to_string() } else { format!("no: {}", esc(d.reason.as_deref().unwrap_or(""))) },
                d.capex,
                d.support,
                d.energy.map_or("-".to_string(), |e| e.to_string()),
                d.power_typical_w.0 / 1000.0,
                crate::units::trim_float(d.rack_units),
                d.fibre_pairs_lit,
                d.worst_margin_db
            );
        }
        h.push_str("</tbody></table>");
        lightpath_table(&mut h, plan);
    }
    // Power and cost by category.
    let cat_rows: Vec<(String, f64, &str)> = bom
        .totals
        .by_category
        .iter()
        .map(|(c, m)| (c.clone(), m.amount().to_string().parse::<f64>().unwrap_or(0.0) / 1000.0, "#6a9f58"))
        .collect();
    h.push_str("<h2>Cost and power</h2>");
    h.push_str(&bars(&format!("Net price by category (thousand {})", bom.currency), "k", &cat_rows));
    let power_rows: Vec<(String, f64, &str)> = plan
        .sites
        .iter()
        .flat_map(|s| {
            s.power
                .by_class
                .iter()
                .map(move |c| (format!("{} {}", s.name, c.class), c.typical_w.0 / 1000.0, "#b55d9a"))
        })
        .collect();
    h.push_str(&bars("Typical power by site and class", "kW", &power_rows));
    // Failures.
    if let Some(r) = failures {
        h.push_str("<h2>Failures</h2><table class=\"sortable\"><thead><tr><th>failure class</th><th>elements</th><th>worst bisection left</th><th>demands short</th><th>worst case</th></tr></thead><tbody>");
        for c in &r.classes {
            let bis: Vec<String> =
                c.worst_bisection_pct.iter().map(|(s, (p, _))| format!("{s} {p}%")).collect();
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&c.class),
                c.elements,
                esc(&bis.join(", ")),
                if c.demands_short.is_empty() {
                    "none".to_string()
                } else {
                    c.demands_short.len().to_string()
                },
                esc(&c.worst)
            );
        }
        h.push_str("</tbody></table>");
        for line in r.planned_fixes.iter().flat_map(super::failures::planned_lines) {
            let _ = write!(h, "<p>{}</p>", esc(&line));
        }
        for fix in &r.fixes {
            let _ = write!(
                h,
                "<p>Fix: {} → {}{}</p>",
                esc(&fix.problem),
                esc(&fix.add),
                fix.cost.as_ref().map(|c| format!(" (net {c})")).unwrap_or_default()
            );
        }
    }
    // The BOM.
    let _ = write!(h, "<h2>Bill of materials</h2><p>Net total <b id=\"bom-net\" data-value=\"{}\">{} {}</b> (hardware <span id=\"bom-hardware\" data-value=\"{}\">{}</span>, support {}). Click a column to sort.</p>", bom.totals.net, bom.totals.net, esc(&bom.currency), bom.totals.hardware_net, bom.totals.hardware_net, bom.totals.support);
    h.push_str("<table class=\"sortable\" id=\"bom\"><thead><tr><th>site</th><th>category</th><th>part number</th><th>model</th><th>qty</th><th>unit list</th><th>unit net</th><th>extended net</th></tr></thead><tbody>");
    for l in &bom.lines {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td></tr>",
            esc(&l.site),
            l.category.as_str(),
            esc(&l.part_number),
            esc(&l.model),
            l.quantity,
            l.unit_list_price,
            l.unit_list_price,
            l.unit_net_price,
            l.unit_net_price,
            l.extended_net_price,
            l.extended_net_price
        );
    }
    h.push_str("</tbody></table>");
    let _ = writeln!(h, "<script>{SCRIPT}</script></body></html>");
    h
}

/// Where each chosen wavelength is added, expressed, and dropped or regenerated.
fn lightpath_table(h: &mut String, plan: &Plan) {
    let rows = super::interconnect::lightpath_rows(plan);
    if rows.is_empty() {
        return;
    }
    h.push_str("<h3>Wavelengths: added, expressed, dropped, regenerated</h3>");
    h.push_str("<table class=\"sortable\" id=\"lightpaths\"><thead><tr><th>demand</th><th>path</th><th>from</th><th>expressed at</th><th>to</th><th>routes</th><th>optic</th><th>mode</th><th>wavelengths</th><th>channels</th><th>margin dB</th></tr></thead><tbody>");
    for r in rows {
        let lp = r.lightpath;
        let _ = write!(
            h,
            "<tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{} ({})</td><td>{}</td><td>{} ({})</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{:.1}</td></tr>",
            r.demand,
            r.path,
            esc(&lp.from),
            lp.starts_in,
            esc(&lp.expressed_at.join(", ")),
            esc(&lp.to),
            lp.ends_in,
            esc(&lp.routes.join(" + ")),
            esc(&lp.optic),
            esc(&lp.mode),
            lp.wavelengths,
            esc(&super::interconnect::channel_runs(&r.channels)),
            lp.margin_db
        );
    }
    h.push_str("</tbody></table>");
}
