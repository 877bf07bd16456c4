//! Deal against deal: one scenario planned and priced under several
//! catalogs, side by side.

use super::table::Table;
use crate::plan::Plan;
use crate::price::bom::Bom;
use crate::units::trim_float;
use rust_decimal::Decimal;
use serde::Serialize;

/// One deal's figures for the scenario.
#[derive(Debug, Clone, Serialize)]
pub struct DealRow {
    pub catalog_file: String,
    pub catalog: String,
    pub currency: String,
    /// Hardware at net prices.
    pub capex: String,
    pub support: String,
    pub net: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_of_ownership: Option<String>,
    pub power_typical_w: f64,
    pub power_max_w: f64,
    pub rack_units: f64,
    /// Server-facing capacity of all sites.
    pub server_capacity_gbps: u64,
    /// Sum of the sites' bisection bandwidths.
    pub bisection_gbps: u64,
    /// Inter-site capacity of the chosen interconnect options.
    pub interconnect_gbps: u64,
    /// Net total per Gb/s of server-facing capacity delivered.
    pub net_per_server_gbps: String,
    /// Net total per Gb/s of bisection bandwidth.
    pub net_per_bisection_gbps: String,
    pub switches: u64,
}

impl DealRow {
    pub fn new(catalog_file: String, plan: &Plan, bom: &Bom) -> DealRow {
        let server: u64 =
            plan.sites.iter().map(|s| s.fabric.server_ports * s.fabric.server_speed_gbps.0).sum();
        let bisection: u64 = plan.sites.iter().map(|s| s.bisection_gbps.0).sum();
        let interconnect: u64 = plan
            .interconnect
            .iter()
            .filter_map(|d| d.design.options.iter().find(|o| Some(o.kind) == d.design.chosen))
            .map(|o| o.capacity_gbps)
            .sum();
        let per = |gbps: u64| {
            if gbps == 0 {
                "-".to_string()
            } else {
                (bom.totals.net.amount() / Decimal::from(gbps)).round_dp(2).to_string()
            }
        };
        DealRow {
            catalog_file,
            catalog: bom.catalog.clone(),
            currency: bom.currency.clone(),
            capex: bom.totals.hardware_net.to_string(),
            support: bom.totals.support.to_string(),
            net: bom.totals.net.to_string(),
            cost_of_ownership: bom.totals.cost_of_ownership.map(|m| m.to_string()),
            power_typical_w: bom.totals.power_typical_w,
            power_max_w: bom.totals.power_max_w,
            rack_units: bom.totals.rack_units,
            server_capacity_gbps: server,
            bisection_gbps: bisection,
            interconnect_gbps: interconnect,
            net_per_server_gbps: per(server),
            net_per_bisection_gbps: per(bisection),
            switches: plan.sites.iter().flat_map(|s| s.fabric.tier_list()).map(|t| t.count).sum(),
        }
    }
}

fn table(rows: &[DealRow]) -> Table {
    let mut headers = vec!["figure"];
    let names: Vec<String> = rows.iter().map(|r| format!("{}>", r.catalog_file)).collect();
    headers.extend(names.iter().map(String::as_str));
    let mut t = Table::new(&headers);
    let mut add = |label: &str, f: &dyn Fn(&DealRow) -> String| {
        let mut row = vec![label.to_string()];
        row.extend(rows.iter().map(f));
        t.row(row);
    };
    add("deal", &|r| r.catalog.clone());
    add("capex (hardware, net)", &|r| format!("{} {}", r.capex, r.currency));
    add("support", &|r| format!("{} {}", r.support, r.currency));
    add("net total", &|r| format!("{} {}", r.net, r.currency));
    add("cost of ownership", &|r| {
        r.cost_of_ownership.clone().map_or("-".into(), |c| format!("{c} {}", r.currency))
    });
    add("power, typical", &|r| format!("{:.1} kW", r.power_typical_w / 1000.0));
    add("power, max", &|r| format!("{:.1} kW", r.power_max_w / 1000.0));
    add("rack units", &|r| trim_float(r.rack_units));
    add("switches", &|r| r.switches.to_string());
    add("server capacity", &|r| format!("{} Gb/s", r.server_capacity_gbps));
    add("bisection (sum of sites)", &|r| format!("{} Gb/s", r.bisection_gbps));
    add("interconnect capacity", &|r| format!("{} Gb/s", r.interconnect_gbps));
    add("net per Gb/s of server capacity", &|r| format!("{} {}", r.net_per_server_gbps, r.currency));
    add("net per Gb/s of bisection", &|r| format!("{} {}", r.net_per_bisection_gbps, r.currency));
    t
}

pub fn to_text(rows: &[DealRow]) -> String {
    format!("Deal against deal\n{}", table(rows).to_text())
}

pub fn to_markdown(rows: &[DealRow]) -> String {
    format!("# Deal against deal\n\n{}", table(rows).to_markdown())
}

pub fn to_json(rows: &[DealRow]) -> String {
    let mut s = serde_json::to_string_pretty(&serde_json::json!({ "deals": rows })).unwrap_or_default();
    s.push('\n');
    s
}
