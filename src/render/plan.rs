//! `dcplan plan` output: a terminal summary, Markdown, and the JSON wire
//! format documented in the README (`plan.json`).
//!
//! The JSON types here are separate from the domain types so the file
//! format can stay stable while the code changes.

use super::table::{md_line, md_text, Table};
use crate::analyse::power::ClassPower;
use crate::design::fabric::{Alternative, FabricDesign, Growth, Oversubscription, Tier};
use crate::design::media::Per;
use crate::plan::{Plan, SitePlan};
use crate::units::{trim_float, Gbps, Watts};
use serde::Serialize;

/// Version of the plan.json layout.
pub const PLAN_FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct PlanJson<'a> {
    format_version: u32,
    /// Only with `--timestamp`: without it, the same inputs give the same bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    generated_at: Option<&'a str>,
    scenario: &'a str,
    catalog: &'a str,
    currency: &'a str,
    objective: &'a crate::model::Objective,
    sites: Vec<SiteJson<'a>>,
    interconnect: Vec<super::interconnect::DemandJson<'a>>,
    interconnect_network: &'a crate::design::interconnect::Network,
    interconnect_graph: GraphJson,
    totals: TotalsJson,
}

#[derive(Serialize)]
struct SiteJson<'a> {
    name: &'a str,
    servers: u64,
    server_ports: u64,
    server_speed_gbps: Gbps,
    homing: &'a crate::model::Homing,
    racks: u64,
    servers_per_rack: u64,
    fabric: FabricJson<'a>,
    power_w: PowerJson<'a>,
    /// Rack units of network equipment.
    rack_units: f64,
    #[serde(rename = "rack_figures")]
    rack_report: &'a crate::analyse::racks::RackReport,
    growth: &'a Growth,
}

#[derive(Serialize)]
struct FabricJson<'a> {
    tiers: u8,
    switches: Vec<SwitchJson<'a>>,
    bisection_gbps: Gbps,
    oversubscription: &'a Oversubscription,
    targets: &'a Oversubscription,
    leaves_per_rack: u64,
    pods: u64,
    leaves_per_pod: u64,
    spines_per_pod: u64,
    superspines_per_plane: u64,
    links: Vec<LinkJson<'a>>,
    /// What the top tier hands off to the interconnect: role, switch,
    /// links, speed, ports set aside per switch.
    handoff: &'a [crate::design::fabric::HandOff],
    /// Net price of the installed switches, optics and cables: the bill of
    /// materials' (volume tiers included) when priced, else the search's
    /// (category discounts).
    cost_net: String,
    graph: GraphJson,
    why: &'a str,
    alternatives_evaluated: usize,
    alternatives_feasible: usize,
    alternatives: &'a [Alternative],
    /// Every choice the search made, and how many candidates it costed.
    choice: &'a crate::design::fabric::Choice,
    candidates_costed: u64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    search_exhausted: bool,
}

#[derive(Serialize)]
struct GraphJson {
    nodes: usize,
    bundles: usize,
}

#[derive(Serialize)]
struct SwitchJson<'a> {
    role: &'static str,
    id: &'a str,
    model: &'a str,
    count: u64,
    ports_total: u64,
    ports_used: u64,
    ports_spare: u64,
    down_links: u64,
    down_speed_gbps: Gbps,
    up_links: u64,
    up_speed_gbps: Gbps,
    links_per_peer_up: u64,
    rack_units: f64,
}

#[derive(Serialize)]
struct LinkJson<'a> {
    class: &'static str,
    links: u64,
    speed_gbps: Gbps,
    #[serde(skip_serializing_if = "Option::is_none")]
    a_breakout: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    b_breakout: Option<&'a str>,
    a_ports: u64,
    b_ports: u64,
    media: &'static str,
    parts: Vec<PartJson<'a>>,
}

#[derive(Serialize)]
struct PartJson<'a> {
    item: &'a str,
    quantity: u64,
    per: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    length_m: Option<f64>,
}

#[derive(Serialize)]
struct PowerJson<'a> {
    typical: Watts,
    max: Watts,
    facility_typical: Watts,
    facility_max: Watts,
    pue: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    servers: Option<Watts>,
    w_per_gbps: f64,
    by_class: &'a [ClassPower],
}

#[derive(Serialize)]
pub(crate) struct TotalsJson {
    /// Net total of the bill of materials (hardware and support), decimal string.
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<String>,
    /// Hardware at net prices.
    #[serde(skip_serializing_if = "Option::is_none")]
    capex: Option<String>,
    pub(crate) servers: u64,
    switches: u64,
    /// Fabric and chosen interconnect together.
    pub(crate) power_w: PowerTotals,
    /// The chosen interconnect options alone.
    interconnect_power_w: PowerTotals,
    rack_units: f64,
    bisection_gbps_sum: Gbps,
}

#[derive(Serialize)]
pub(crate) struct PowerTotals {
    pub(crate) typical: Watts,
    max: Watts,
    facility_typical: Watts,
    facility_max: Watts,
}

fn per_text(per: Per) -> String {
    match per {
        Per::APort => "a-port".into(),
        Per::BPort => "b-port".into(),
        Per::Link => "link".into(),
        Per::Links(n) => format!("{n}-links"),
    }
}

fn role(t: &Tier) -> &'static str {
    t.role.as_str()
}

fn site_json<'a>(s: &'a SitePlan, bom: Option<&crate::price::bom::Bom>) -> SiteJson<'a> {
    let f = &s.fabric;
    SiteJson {
        name: &s.name,
        servers: f.servers,
        server_ports: f.server_ports,
        server_speed_gbps: f.server_speed_gbps,
        homing: &f.homing,
        racks: f.racks,
        servers_per_rack: f.servers_per_rack,
        fabric: FabricJson {
            tiers: f.tiers,
            switches: f
                .tier_list()
                .into_iter()
                .map(|t| SwitchJson {
                    role: role(t),
                    id: &t.switch_id,
                    model: &t.model,
                    count: t.count,
                    ports_total: t.ports_total,
                    ports_used: t.ports_used,
                    ports_spare: t.ports_spare(),
                    down_links: t.down_links,
                    down_speed_gbps: t.down_speed_gbps,
                    up_links: t.up_links,
                    up_speed_gbps: t.up_speed_gbps,
                    links_per_peer_up: t.links_per_peer_up,
                    rack_units: t.rack_units,
                })
                .collect(),
            bisection_gbps: s.bisection_gbps,
            oversubscription: &f.oversubscription,
            targets: &f.targets,
            leaves_per_rack: f.leaves_per_rack,
            pods: f.pods,
            leaves_per_pod: f.leaves_per_pod,
            spines_per_pod: f.spines_per_pod,
            superspines_per_plane: f.superspines_per_plane,
            links: f
                .links
                .iter()
                .map(|l| LinkJson {
                    class: l.class.as_str(),
                    links: l.links,
                    speed_gbps: l.speed_gbps,
                    a_breakout: l.a_breakout.as_deref(),
                    b_breakout: l.b_breakout.as_deref(),
                    a_ports: l.a_ports,
                    b_ports: l.b_ports,
                    media: l.media.kind,
                    parts: l
                        .media
                        .parts
                        .iter()
                        .map(|p| PartJson {
                            item: &p.item,
                            quantity: l.counts().of(p.per),
                            per: per_text(p.per),
                            length_m: p.length_m.map(|m| m.0),
                        })
                        .collect(),
                })
                .collect(),
            handoff: &f.handoff,
            cost_net: fabric_price(s, bom).to_string(),
            graph: GraphJson { nodes: s.graph_nodes, bundles: s.graph_bundles },
            why: &f.why,
            choice: &f.choice,
            candidates_costed: f.candidates_costed,
            search_exhausted: f.search_exhausted,
            alternatives_evaluated: f.alternatives_evaluated,
            alternatives_feasible: f.alternatives_feasible,
            alternatives: &f.alternatives,
        },
        power_w: PowerJson {
            typical: s.power.typical_w,
            max: s.power.max_w,
            facility_typical: s.power.facility_typical_w,
            facility_max: s.power.facility_max_w,
            pue: s.power.pue,
            servers: s.power.servers_w,
            w_per_gbps: s.power.w_per_gbps,
            by_class: &s.power.by_class,
        },
        rack_units: s.rack_units,
        rack_report: &s.racks,
        growth: &f.growth,
    }
}

/// Power of the chosen interconnect options, and at the meter (each part
/// through the PUE of the site it stands in; inline amplifier huts at 1).
fn interconnect_power(plan: &Plan) -> PowerTotals {
    let zero = Watts(0.0);
    let d = plan.interconnect_network.chosen();
    PowerTotals {
        typical: d.map_or(zero, |d| d.power_typical_w),
        max: d.map_or(zero, |d| d.power_max_w),
        facility_typical: d.map_or(zero, |d| d.facility_typical_w),
        facility_max: d.map_or(zero, |d| d.facility_max_w),
    }
}

fn round1(x: f64) -> Watts {
    Watts((x * 10.0).round() / 10.0)
}

/// The plan's totals, as plan.json gives them (the HTML report shows the same).
pub(crate) fn totals(plan: &Plan) -> TotalsJson {
    let sum = |f: &dyn Fn(&SitePlan) -> f64| plan.sites.iter().map(f).sum::<f64>();
    let ic = interconnect_power(plan);
    TotalsJson {
        cost: None,
        currency: None,
        capex: None,
        servers: plan.sites.iter().map(|s| s.fabric.servers).sum(),
        switches: plan.sites.iter().flat_map(|s| s.fabric.tier_list()).map(|t| t.count).sum(),
        power_w: PowerTotals {
            typical: round1(sum(&|s| s.power.typical_w.0) + ic.typical.0),
            max: round1(sum(&|s| s.power.max_w.0) + ic.max.0),
            facility_typical: round1(sum(&|s| s.power.facility_typical_w.0) + ic.facility_typical.0),
            facility_max: round1(sum(&|s| s.power.facility_max_w.0) + ic.facility_max.0),
        },
        interconnect_power_w: ic,
        rack_units: sum(&|s| s.rack_units) + plan.interconnect_network.chosen().map_or(0.0, |d| d.rack_units),
        bisection_gbps_sum: Gbps(plan.sites.iter().map(|s| s.bisection_gbps.0).sum()),
    }
}

/// The plan as JSON (plan.json), without prices.
pub fn to_json(plan: &Plan) -> String {
    json_doc(plan, None, None)
}

/// The plan as JSON with the bill of materials' totals (`totals.cost`,
/// `totals.currency`), and `generated_at` when a time is given.
pub fn to_json_with_cost(plan: &Plan, bom: &crate::price::bom::Bom, generated_at: Option<&str>) -> String {
    json_doc(plan, Some(bom), generated_at)
}

fn json_doc(plan: &Plan, bom: Option<&crate::price::bom::Bom>, generated_at: Option<&str>) -> String {
    let mut summary = totals(plan);
    if let Some(b) = bom {
        summary.cost = Some(b.totals.net.to_string());
        summary.currency = Some(b.currency.clone());
        summary.capex = Some(b.totals.hardware_net.to_string());
    }
    let doc = PlanJson {
        format_version: PLAN_FORMAT_VERSION,
        generated_at,
        scenario: &plan.scenario,
        catalog: &plan.catalog,
        currency: &plan.currency,
        objective: &plan.objective,
        sites: plan.sites.iter().map(|s| site_json(s, bom)).collect(),
        interconnect: super::interconnect::json_entries(plan),
        interconnect_network: &plan.interconnect_network,
        interconnect_graph: GraphJson {
            nodes: plan.interconnect_graph.0,
            bundles: plan.interconnect_graph.1,
        },
        totals: summary,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

pub(crate) fn kw(w: Watts) -> String {
    format!("{:.1} kW", w.0 / 1000.0)
}

/// A rate in the largest unit that keeps it at least 1 (Gb/s, Tb/s, Pb/s).
pub(crate) fn rate(gbps: u64) -> String {
    if gbps >= 1_000_000 {
        format!("{} Pb/s", trim_float(gbps as f64 / 1e6))
    } else if gbps >= 1000 {
        format!("{} Tb/s", trim_float(gbps as f64 / 1e3))
    } else {
        format!("{gbps} Gb/s")
    }
}

fn ratio(x: f64) -> String {
    format!("{}:1", trim_float(x))
}

fn media_text(l: &crate::design::fabric::LinkGroup) -> String {
    l.media
        .parts
        .iter()
        .map(|p| {
            let n = l.counts().of(p.per);
            match p.length_m {
                Some(m) => format!("{n} x {} ({} m)", p.item, trim_float(m.0)),
                None => format!("{n} x {}", p.item),
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn site_tables(s: &SitePlan) -> (Table, Table, Table) {
    let f: &FabricDesign = &s.fabric;
    let mut switches = Table::new(&["role", "model", "id", "count>", "ports used/total", "down", "up"]);
    for t in f.tier_list() {
        switches.row(vec![
            role(t).into(),
            t.model.clone(),
            t.switch_id.clone(),
            t.count.to_string(),
            format!("{}/{}", t.ports_used, t.ports_total),
            format!("{} x {}", t.down_links, t.down_speed_gbps),
            if t.up_links > 0 { format!("{} x {}", t.up_links, t.up_speed_gbps) } else { "-".into() },
        ]);
    }
    let mut links = Table::new(&["class", "links>", "speed", "media"]);
    for l in &f.links {
        let speed = match (&l.a_breakout, &l.b_breakout) {
            (Some(a), _) => format!("{} (upper port {a})", l.speed_gbps),
            (None, Some(b)) => format!("{} (lower port {b})", l.speed_gbps),
            _ => l.speed_gbps.to_string(),
        };
        links.row(vec![l.class.as_str().into(), l.links.to_string(), speed, media_text(l)]);
    }
    let mut power = Table::new(&["class", "units>", "typical>", "max>"]);
    for c in &s.power.by_class {
        power.row(vec![c.class.clone(), c.units.to_string(), kw(c.typical_w), kw(c.max_w)]);
    }
    (switches, links, power)
}

/// A site's fabric at the bill of materials' prices (volume tiers
/// included) when there is one, else at the search's (category discounts).
fn fabric_price(s: &SitePlan, bom: Option<&crate::price::bom::Bom>) -> crate::money::Money {
    bom.and_then(|b| b.totals.fabric_by_site.get(&s.name).copied()).unwrap_or(s.fabric.cost)
}

fn site_lines(s: &SitePlan, bom: &crate::price::bom::Bom) -> Vec<String> {
    let f = &s.fabric;
    let mut v = vec![
        format!(
            "{} servers ({} x {} ports, {}-homed), {} racks of {}, {} leaves per rack",
            f.servers,
            f.server_ports,
            f.server_speed_gbps,
            crate::model::name_of(&f.homing),
            f.racks,
            f.servers_per_rack,
            f.leaves_per_rack
        ),
        match f.tiers {
            2 => format!("Fabric: 2 tiers (leaf-spine), {} spines", f.spine.count),
            _ => format!(
                "Fabric: 3 tiers, {} pods of {} leaves and {} spines; {} superspine planes of {}",
                f.pods, f.leaves_per_pod, f.spines_per_pod, f.spines_per_pod, f.superspines_per_plane
            ),
        },
        format!(
            "Oversubscription: leaf {} (target {}){}",
            ratio(f.oversubscription.leaf),
            ratio(f.targets.leaf),
            match (f.oversubscription.spine, f.targets.spine) {
                (Some(a), Some(t)) => format!(", spine {} (target {})", ratio(a), ratio(t)),
                _ => String::new(),
            }
        ),
        format!(
            "Bisection: {} (max-flow on a graph of {} nodes and {} link bundles)",
            rate(s.bisection_gbps.0),
            s.graph_nodes,
            s.graph_bundles
        ),
        format!(
            "Growth: room for {} servers without a new tier ({} more; target {}){}",
            f.growth.max_servers,
            f.growth.headroom_servers,
            f.growth.target_servers,
            if f.handoff.is_empty() { "" } else { ", beside the hand-off" }
        ),
        f.handoff
            .iter()
            .map(|h| {
                format!(
                    "Hand-off: {} x {} from {} {} ({}, up to {} links on {} ports each) to the {}{}",
                    h.links,
                    h.speed_gbps,
                    h.switches,
                    h.role.plural(),
                    h.switch,
                    h.links_per_switch,
                    h.ports_per_switch,
                    h.equipment,
                    border_uplinks(f)
                )
            })
            .collect::<Vec<_>>()
            .join("\n  "),
        format!(
            "Power: {} typical, {} max; at the meter (PUE {}) {} typical; {:.3} W per Gb/s of server capacity{}",
            kw(s.power.typical_w),
            kw(s.power.max_w),
            trim_float(s.power.pue),
            kw(s.power.facility_typical_w),
            s.power.w_per_gbps,
            s.power.servers_w.map(|w| format!("; servers {}", kw(w))).unwrap_or_default()
        ),
        format!(
            "Racks: a server rack draws {} typical, {} max (budget {}); spines and superspines fill {} network racks; {} RU of network gear",
            kw(s.racks.server_rack_typical_w),
            kw(s.racks.server_rack_max_w),
            kw(s.racks.rack_budget_w),
            s.racks.network_racks,
            trim_float(s.rack_units)
        ),
        format!(
            "Fabric net price (installed switches, optics and cables at the BOM's prices, volume tiers included; spares and support aside): {}",
            fabric_price(s, Some(bom))
        ),
        format!("Why: {}", f.why),
    ];
    v.retain(|l| !l.is_empty());
    v
}

/// The plan as a terminal summary.
pub fn to_text(plan: &Plan, bom: &crate::price::bom::Bom) -> String {
    let mut out = format!("Plan for `{}` with the catalog `{}`\n", plan.scenario, plan.catalog);
    for s in &plan.sites {
        out.push_str(&format!("\nSite {}\n", s.name));
        for line in site_lines(s, bom) {
            out.push_str(&format!("  {line}\n"));
        }
        let (switches, links, power) = site_tables(s);
        for t in [switches, links, power] {
            out.push('\n');
            for line in t.to_text().lines() {
                out.push_str(&format!("  {line}\n"));
            }
        }
    }
    if !plan.interconnect.is_empty() {
        out.push_str("\nInterconnect (optical, routed and fabric-zr per demand)\n");
        for line in super::interconnect::comparison_table(plan).to_text().lines() {
            out.push_str(&format!("  {line}\n"));
        }
        for line in super::interconnect::details(plan) {
            out.push_str(&format!("  {line}\n"));
        }
        out.push_str(&format!("  {}\n", super::interconnect::network_summary(plan)));
        for line in super::interconnect::totals_table(plan).to_text().lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    let t = totals(plan);
    out.push_str(&format!(
        "\nTotal: {} servers, {} switches, network power {} typical / {} max ({} at the meter), {} RU\n",
        t.servers,
        t.switches,
        kw(t.power_w.typical),
        kw(t.power_w.max),
        kw(t.power_w.facility_typical),
        trim_float(t.rack_units)
    ));
    out
}

/// The plan as Markdown (a wiki page or a pull-request comment).
pub fn to_markdown(plan: &Plan, bom: &crate::price::bom::Bom) -> String {
    let mut out = format!(
        "# Plan: {}\n\nCatalog: {}. Prices in {}.\n",
        md_text(&plan.scenario),
        md_text(&plan.catalog),
        md_text(&plan.currency)
    );
    for s in &plan.sites {
        out.push_str(&format!("\n## Site {}\n\n", md_text(&s.name)));
        for line in site_lines(s, bom) {
            out.push_str(&format!("- {}\n", md_line(&line)));
        }
        let (switches, links, power) = site_tables(s);
        out.push_str(&format!(
            "\n### Switches\n\n{}\n### Links\n\n{}\n### Power\n\n{}",
            switches.to_markdown(),
            links.to_markdown(),
            power.to_markdown()
        ));
    }
    if !plan.interconnect.is_empty() {
        out.push_str("\n## Interconnect\n\n");
        out.push_str(&super::interconnect::comparison_table(plan).to_markdown());
        out.push('\n');
        out.push_str(&super::interconnect::details_markdown(plan));
        out.push_str(&format!("\n{}\n\n", md_line(&super::interconnect::network_summary(plan))));
        out.push_str(&super::interconnect::totals_table(plan).to_markdown());
    }
    let t = totals(plan);
    out.push_str(&format!(
        "\n## Totals\n\n| servers | switches | typical power | max power | at the meter | rack units |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n| {} | {} | {} | {} | {} | {} |\n",
        t.servers,
        t.switches,
        kw(t.power_w.typical),
        kw(t.power_w.max),
        kw(t.power_w.facility_typical),
        trim_float(t.rack_units)
    ));
    out
}

/// How a design's border leaves join its top tier, for the "Hand-off:" line.
fn border_uplinks(f: &crate::design::fabric::FabricDesign) -> String {
    match &f.border_leaf {
        None => String::new(),
        Some(b) => format!(
            "; each border leaf joins all {} {} with {} x {} ({} uplinks, non-blocking)",
            f.top().count,
            f.top().role.plural(),
            b.links_per_peer_up,
            b.up_speed_gbps,
            b.up_links
        ),
    }
}
