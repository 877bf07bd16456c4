//! The interconnect in reports: per demand, the optical, routed and
//! fabric-zr options side by side, the choice and why; and `dcplan compare`.

use super::table::{md_line, md_text, Table};
use crate::design::interconnect::{Lightpath, OptionDesign, PartCount, PathDesign};
use crate::plan::{DemandPlan, Plan};
use crate::units::{trim_float, Gbps, Watts};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Serialize)]
pub(crate) struct OptionJson<'a> {
    kind: &'static str,
    feasible: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    capacity_gbps: u64,
    spare_gbps: u64,
    power_w: PowerJson,
    rack_units: f64,
    /// The working path's.
    latency_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    protect_latency_ms: Option<f64>,
    gsnr_db: f64,
    margin_db: f64,
    /// Net price at the deal's category discounts (decimal string), the
    /// demand alone: its own parts and the line systems it would need alone.
    cost: String,
    /// What the demand on this option adds to the chosen network's capex.
    #[serde(skip_serializing_if = "Option::is_none")]
    marginal_capex: Option<String>,
    paths: &'a [PathDesign],
    /// Its own equipment, bought for it.
    parts: &'a [PartCount],
    /// The line systems and shelves it would need alone (the network buys
    /// them once for every demand: `interconnect_network.parts`).
    standalone_line_parts: &'a [PartCount],
}

#[derive(Serialize)]
struct PowerJson {
    typical: Watts,
    max: Watts,
    /// At the meter: each part through its site's PUE.
    facility_typical: Watts,
    facility_max: Watts,
}

#[derive(Serialize)]
pub(crate) struct DemandJson<'a> {
    between: &'a [String; 2],
    demand_gbps: Gbps,
    protection: &'a crate::model::Protection,
    max_flow_gbps: Gbps,
    chosen: Option<&'static str>,
    why: &'a str,
    options: Vec<OptionJson<'a>>,
}

fn option_json(o: &OptionDesign) -> OptionJson<'_> {
    OptionJson {
        kind: o.kind.as_str(),
        feasible: o.feasible,
        reason: o.reason.as_deref(),
        capacity_gbps: o.capacity_gbps,
        spare_gbps: o.spare_gbps,
        power_w: PowerJson {
            typical: o.power_typical_w,
            max: o.power_max_w,
            facility_typical: o.facility_typical_w,
            facility_max: o.facility_max_w,
        },
        rack_units: o.rack_units,
        latency_ms: o.latency_ms,
        protect_latency_ms: o.protect_latency_ms,
        gsnr_db: o.gsnr_db,
        margin_db: o.margin_db,
        cost: o.cost.to_string(),
        marginal_capex: o.marginal_capex.map(|m| m.to_string()),
        paths: &o.paths,
        parts: &o.parts,
        standalone_line_parts: &o.standalone_line_parts,
    }
}

/// The `interconnect[]` entries of plan.json.
pub(crate) fn json_entries(plan: &Plan) -> Vec<DemandJson<'_>> {
    plan.interconnect.iter().map(demand_json).collect()
}

fn demand_json(d: &DemandPlan) -> DemandJson<'_> {
    DemandJson {
        between: &d.design.between,
        demand_gbps: d.design.demand_gbps,
        protection: &d.design.protection,
        max_flow_gbps: d.max_flow_gbps,
        chosen: d.design.chosen.map(|k| k.as_str()),
        why: &d.design.why,
        options: d.design.options.iter().map(option_json).collect(),
    }
}

fn rate(gbps: u64) -> String {
    if gbps >= 1000 {
        format!("{} Tb/s", trim_float(gbps as f64 / 1000.0))
    } else {
        format!("{gbps} Gb/s")
    }
}

fn path_text(p: &PathDesign) -> String {
    let mut out = String::new();
    for (i, lp) in p.lightpaths.iter().enumerate() {
        if i > 0 {
            out.push_str(&format!(", regenerated at {}, then ", lp.from));
        }
        let express = if lp.expressed_at.is_empty() {
            String::new()
        } else {
            format!(", expressed at {}", lp.expressed_at.join(", "))
        };
        out.push_str(&format!(
            "{} ({} km): {} x {} {}{express}, margin {:.1} dB",
            lp.routes.join(" + "),
            trim_float(lp.length_km),
            lp.wavelengths,
            lp.optic,
            lp.mode,
            lp.margin_db
        ));
    }
    let pairs: Vec<String> = p.hops.iter().map(|h| format!("{} on {}", h.fibre_pairs, h.route)).collect();
    if !pairs.is_empty() {
        out.push_str(&format!(" (fibre pairs: {})", pairs.join(", ")));
    }
    out
}

/// One lightpath of a chosen option, for the report's wavelength table.
pub struct LightpathRow<'a> {
    /// 1-based, in the scenario.
    pub demand: usize,
    pub path: usize,
    pub lightpath: &'a Lightpath,
    /// `(fibre pair, channel)` its wavelengths take on its first route (the
    /// same channels on every route it is expressed over).
    pub channels: Vec<(u32, u32)>,
}

/// Every lightpath of the chosen options, in demand and path order, with
/// its channels from the channel map.
pub fn lightpath_rows(plan: &Plan) -> Vec<LightpathRow<'_>> {
    let mut rows = Vec::new();
    for (di, d) in plan.interconnect.iter().enumerate() {
        let Some(o) = d.design.chosen.and_then(|k| d.design.options.iter().find(|o| o.kind == k)) else {
            continue;
        };
        for (pi, p) in o.paths.iter().enumerate() {
            for lp in &p.lightpaths {
                // The first route's section: its ends, in either direction.
                let end = lp.expressed_at.first().unwrap_or(&lp.to);
                let ends = [lp.from.as_str(), end.as_str()];
                let mut channels: Vec<(u32, u32)> = plan
                    .interconnect_network
                    .spectrum
                    .iter()
                    .filter(|w| w.demand == di + 1 && w.path == pi + 1 && w.route == lp.routes[0])
                    .filter(|w| ends.contains(&w.from.as_str()) && ends.contains(&w.to.as_str()))
                    .map(|w| (w.fibre_pair, w.channel))
                    .collect();
                channels.sort_unstable();
                rows.push(LightpathRow { demand: di + 1, path: pi + 1, lightpath: lp, channels });
            }
        }
    }
    rows
}

/// Channels as runs per fibre pair: `pair 1: 1-32, 40; pair 2: 1-4`.
pub fn channel_runs(channels: &[(u32, u32)]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < channels.len() {
        let pair = channels[i].0;
        let mut runs: Vec<String> = Vec::new();
        while i < channels.len() && channels[i].0 == pair {
            let mut j = i;
            while j + 1 < channels.len()
                && channels[j + 1].0 == pair
                && channels[j + 1].1 == channels[j].1 + 1
            {
                j += 1;
            }
            let (a, b) = (channels[i].1, channels[j].1);
            runs.push(if j > i { format!("{a}-{b}") } else { a.to_string() });
            i = j + 1;
        }
        out.push(format!("pair {pair}: {}", runs.join(", ")));
    }
    out.join("; ")
}

/// The side-by-side table of the options of every demand.
pub fn comparison_table(plan: &Plan) -> Table {
    let mut t = Table::new(&[
        "between",
        "demand>",
        "protection",
        "option",
        "feasible",
        "capacity>",
        "power typ>",
        "RU>",
        "latency ms>",
        "GSNR dB>",
        "margin dB>",
        "net price>",
        "marginal>",
        "chosen",
    ]);
    for d in &plan.interconnect {
        for o in &d.design.options {
            t.row(vec![
                format!("{} - {}", d.design.between[0], d.design.between[1]),
                rate(d.design.demand_gbps.0),
                crate::model::name_of(&d.design.protection),
                o.kind.as_str().into(),
                if o.feasible { "yes".into() } else { "no".into() },
                if o.feasible { rate(o.capacity_gbps) } else { "-".into() },
                if o.feasible { format!("{:.1} kW", o.power_typical_w.0 / 1000.0) } else { "-".into() },
                if o.feasible { trim_float(o.rack_units) } else { "-".into() },
                if o.feasible { format!("{:.3}", o.latency_ms) } else { "-".into() },
                if o.feasible { format!("{:.1}", o.gsnr_db) } else { "-".into() },
                if o.feasible { format!("{:.1}", o.margin_db) } else { "-".into() },
                if o.feasible { o.cost.to_string() } else { "-".into() },
                o.marginal_capex.map_or_else(|| "-".into(), |m| m.to_string()),
                if d.design.chosen == Some(o.kind) { "<- chosen".into() } else { String::new() },
            ]);
        }
    }
    t
}

/// Lines explaining each demand: the paths, the choice, the reasons.
pub fn details(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for d in &plan.interconnect {
        out.push(format!(
            "{} - {}: {} {}; max-flow between the sites on its own lines {}; {}",
            d.design.between[0],
            d.design.between[1],
            rate(d.design.demand_gbps.0),
            crate::model::name_of(&d.design.protection),
            rate(d.max_flow_gbps.0),
            d.design.why
        ));
        for o in &d.design.options {
            match (&o.reason, o.feasible) {
                (Some(r), false) => out.push(format!("  {}: infeasible: {r}", o.kind.as_str())),
                _ => {
                    for (i, p) in o.paths.iter().enumerate() {
                        out.push(format!("  {} path {}: {}", o.kind.as_str(), i + 1, path_text(p)));
                    }
                }
            }
        }
    }
    out
}

/// Totals of the chosen options and of each kind across all demands.
/// All demands served one way (`optical`, `routed`, `fabric-zr`, or each demand's
/// `chosen` option): sums over the demands where that way is feasible.
pub struct OptionTotals {
    pub kind: &'static str,
    pub feasible: usize,
    pub demands: usize,
    pub power_typical_w: f64,
    pub rack_units: f64,
    pub capacity_gbps: u64,
    /// Latency does not add up: the slowest demand's.
    pub worst_latency_ms: f64,
    pub cost: rust_decimal::Decimal,
}

pub fn option_totals(plan: &Plan) -> Vec<OptionTotals> {
    ["optical", "routed", "fabric-zr", "chosen"]
        .into_iter()
        .map(|kind| {
            let feasible: Vec<&OptionDesign> = plan
                .interconnect
                .iter()
                .filter_map(|d| {
                    d.design.options.iter().find(|o| match kind {
                        "chosen" => d.design.chosen == Some(o.kind),
                        k => o.kind.as_str() == k,
                    })
                })
                .filter(|o| o.feasible)
                .collect();
            let name = if kind == "chosen" { "chosen".to_string() } else { format!("all-{kind}") };
            let network = plan.interconnect_network.designs.iter().find(|d| d.name == name && d.feasible);
            OptionTotals {
                kind,
                feasible: feasible.len(),
                demands: plan.interconnect.len(),
                // The whole network where every demand has the option (line
                // systems once); else the demands that have it, each alone.
                power_typical_w: network.map_or_else(
                    || feasible.iter().map(|o| o.power_typical_w.0).sum(),
                    |n| n.power_typical_w.0,
                ),
                rack_units: network
                    .map_or_else(|| feasible.iter().map(|o| o.rack_units).sum(), |n| n.rack_units),
                capacity_gbps: feasible.iter().map(|o| o.capacity_gbps).sum(),
                worst_latency_ms: feasible.iter().map(|o| o.latency_ms).fold(0.0, f64::max),
                cost: network
                    .map_or_else(|| feasible.iter().map(|o| o.cost.amount()).sum(), |n| n.capex.amount()),
            }
        })
        .collect()
}

/// The whole-network designs: every demand one way, and the chosen mix,
/// each with its line systems counted once.
pub fn totals_table(plan: &Plan) -> Table {
    let mut t = Table::new(&[
        "network design",
        "feasible",
        "net price>",
        "support>",
        "energy>",
        "power typ>",
        "RU>",
        "fibre pairs>",
        "worst margin dB>",
    ]);
    for d in &plan.interconnect_network.designs {
        let yes = |x: String| if d.feasible { x } else { "-".into() };
        t.row(vec![
            d.name.clone(),
            if d.feasible { "yes".into() } else { "no".into() },
            yes(d.capex.to_string()),
            yes(d.support.to_string()),
            yes(d.energy.map_or("-".into(), |e| e.to_string())),
            yes(format!("{:.1} kW", d.power_typical_w.0 / 1000.0 + 0.0)),
            yes(trim_float(d.rack_units)),
            yes(d.fibre_pairs_lit.to_string()),
            yes(format!("{:.1}", d.worst_margin_db)),
        ]);
    }
    t
}

/// One line on the chosen network's line systems and spectrum.
pub fn network_summary(plan: &Plan) -> String {
    let n = &plan.interconnect_network;
    let mut pairs: Vec<(&str, u32)> = n.lines.iter().map(|l| (l.route.as_str(), l.fibre_pair)).collect();
    pairs.sort_unstable();
    pairs.dedup();
    let routes: BTreeSet<&str> = n.lines.iter().map(|l| l.route.as_str()).collect();
    let used: u64 = n.lines.iter().map(|l| u64::from(l.used_channels)).sum();
    let all: u64 = n.lines.iter().map(|l| u64::from(l.channels)).sum();
    let order = match n.spectrum_policy.order {
        crate::model::SpectrumOrder::ProtectedLargestFirst => "protected and largest demands first",
        crate::model::SpectrumOrder::Scenario => "in scenario order",
    };
    let fit = match n.spectrum_policy.fit {
        crate::model::SpectrumFit::FirstFit => "first-fit",
        crate::model::SpectrumFit::LastFit => "last-fit",
    };
    let roadms: BTreeSet<&str> = plan
        .interconnect
        .iter()
        .filter_map(|d| d.design.chosen.and_then(|k| d.design.options.iter().find(|o| o.kind == k)))
        .flat_map(|o| o.paths.iter().flat_map(|p| p.lightpaths.iter().flat_map(|l| l.expressed_at.iter())))
        .map(String::as_str)
        .collect();
    let express = if roadms.is_empty() {
        String::new()
    } else {
        format!(
            " Wavelengths pass optically through ROADMs at {}.",
            roadms.into_iter().collect::<Vec<_>>().join(", ")
        )
    };
    format!(
        "Network: {} line system(s) on {} fibre pair(s) of {} route(s), shared by every demand on them; {} wavelength(s) on {used} of {all} channels ({fit}, {order}).{express} Per-demand prices are each demand alone (marginal: what the demand adds to the chosen network); the network designs below count each line system once. Mix of options: {}.",
        n.lines.len(),
        pairs.len(),
        routes.len(),
        n.spectrum.len(),
        n.mix_search.note
    )
}

#[derive(Serialize)]
struct CompareJson<'a> {
    scenario: &'a str,
    catalog: &'a str,
    currency: &'a str,
    demands: Vec<DemandJson<'a>>,
    network_designs: &'a [crate::design::interconnect::NetworkDesign],
}

/// `dcplan compare` as text.
pub fn compare_text(plan: &Plan) -> String {
    let mut out = format!(
        "Interconnect for `{}` with the catalog `{}` (prices in {})\n\n",
        plan.scenario, plan.catalog, plan.currency
    );
    if plan.interconnect.is_empty() {
        out.push_str("The scenario has no inter-site demand.\n");
        return out;
    }
    out.push_str(&comparison_table(plan).to_text());
    out.push('\n');
    out.push_str(HAND_OFF_NOTE);
    out.push_str("\n\n");
    for line in details(plan) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&network_summary(plan));
    out.push_str("\n\nNetwork designs\n");
    out.push_str(&totals_table(plan).to_text());
    out
}

/// The per-demand details as a Markdown list, paths nested under their demand.
pub(crate) fn details_markdown(plan: &Plan) -> String {
    let mut out = String::new();
    for line in details(plan) {
        let nested = if line.starts_with(' ') { "  " } else { "" };
        out.push_str(&format!("{nested}- {}\n", md_line(line.trim_start())));
    }
    out
}

/// What the options' figures leave out.
const HAND_OFF_NOTE: &str = "Price, power and rack units leave out the hand-off to each site's fabric (both optics and the fibre of every link from the transponder clients or router ports to the top tier), which the fabric designs and prices for the chosen option, and for fabric-zr the fabric's own ports that hold the pluggables: see each site's hand-off in the plan.";

/// `dcplan compare` as Markdown.
pub fn compare_markdown(plan: &Plan) -> String {
    let mut out = format!(
        "# Interconnect: {}\n\nCatalog: {}. Prices in {}.\n\n",
        md_text(&plan.scenario),
        md_text(&plan.catalog),
        md_text(&plan.currency)
    );
    if plan.interconnect.is_empty() {
        out.push_str("The scenario has no inter-site demand.\n");
        return out;
    }
    out.push_str(&comparison_table(plan).to_markdown());
    out.push('\n');
    out.push_str(HAND_OFF_NOTE);
    out.push_str("\n\n");
    out.push_str(&details_markdown(plan));
    out.push('\n');
    out.push_str(&md_line(&network_summary(plan)));
    out.push_str("\n\n## Network designs\n\n");
    out.push_str(&totals_table(plan).to_markdown());
    out
}

/// `dcplan compare` as JSON.
pub fn compare_json(plan: &Plan) -> String {
    let doc = CompareJson {
        scenario: &plan.scenario,
        catalog: &plan.catalog,
        currency: &plan.currency,
        demands: json_entries(plan),
        network_designs: &plan.interconnect_network.designs,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// Columns of `spectrum.csv`, one row per wavelength on a line.
pub const SPECTRUM_COLUMNS: [&str; 11] = [
    "route",
    "fibre_pair",
    "from",
    "to",
    "channel",
    "slots",
    "frequency_thz",
    "demand",
    "path",
    "optic",
    "mode",
];

/// The channel map (`interconnect_network.spectrum`) as CSV, in the same order.
pub fn spectrum_csv(plan: &Plan) -> Vec<u8> {
    super::csv::to_bytes(|w| {
        w.row(SPECTRUM_COLUMNS)?;
        for s in &plan.interconnect_network.spectrum {
            w.row([
                s.route.clone(),
                s.fibre_pair.to_string(),
                s.from.clone(),
                s.to.clone(),
                s.channel.to_string(),
                s.slots.to_string(),
                format!("{:.5}", s.frequency_thz),
                s.demand.to_string(),
                s.path.to_string(),
                s.optic.clone(),
                s.mode.clone(),
            ])?;
        }
        Ok(())
    })
    .unwrap_or_default()
}
