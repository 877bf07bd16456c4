//! Device types with their component templates, as NetBox's device-type
//! import reads them (JSON, a list of objects; YAML reads it too): every
//! front-panel port an interface, two power ports. NetBox then creates each
//! device's interfaces and power ports itself when the device is imported,
//! in one bulk insert per device: no file of tens of thousands of
//! interface rows to import. Module bays are not templates: NetBox saves
//! them one by one (they form a tree) and every module import reads all of
//! its device's bays, so only the cages that hold an optic get one
//! (`module_bays.csv`): 5 a leaf instead of 56 on the example, and the
//! import four times faster.

use crate::model::{FormFactor, Switch};
use serde::Serialize;
use std::collections::BTreeMap;

/// The broken-out cages of a switch as a role uses them: front-panel port
/// number (`ethernet-1/N`) → lanes. A cage here is channelized in its
/// device type (NetBox 4.7: `channels`), each lane a channel subinterface
/// `ethernet-1/N/L` bound to it (`parent`, `channel_id`), which the
/// cage's breakout cable reaches by position.
pub(super) type Breakouts = BTreeMap<u32, u32>;

/// NetBox's model name for a switch model with these broken-out cages:
/// the catalog's model when none, else the model and the cages, runs of
/// ports alike: `7220 IXR-D3L (breakout 1-16 4x, 33 2x)`, at most 100
/// characters (NetBox's limit).
pub(super) fn model_name(model: &str, cages: &Breakouts) -> String {
    if cages.is_empty() {
        return model.to_string();
    }
    let mut runs: Vec<(u32, u32, u32)> = Vec::new();
    for (&port, &lanes) in cages {
        match runs.last_mut() {
            Some((_, last, l)) if *last + 1 == port && *l == lanes => *last = port,
            _ => runs.push((port, port, lanes)),
        }
    }
    let summary: Vec<String> = runs
        .iter()
        .map(|&(a, b, l)| if a == b { format!("{a} {l}x") } else { format!("{a}-{b} {l}x") })
        .collect();
    let name = format!("{model} (breakout {})", summary.join(", "));
    if name.chars().count() <= 100 {
        return name;
    }
    let ports: u32 = runs.iter().map(|&(a, b, _)| b - a + 1).sum();
    let short = format!(" (breakout on {ports} ports, {}-{})", runs[0].0, runs[runs.len() - 1].1);
    model.chars().take(100 - short.chars().count()).chain(short.chars()).collect()
}

/// Power ports per switch: every 7220 IXR in the shipped catalog has two
/// load-sharing, 1+1 redundant supplies (Nokia's datasheets and SONiC's
/// platform code, ../shared/reference/hardware-facts-2.md §8).
pub(super) const POWER_PORTS: [&str; 2] = ["PS1", "PS2"];

#[derive(Serialize)]
pub(super) struct DeviceType<'a> {
    manufacturer: &'a str,
    model: String,
    slug: String,
    part_number: &'a str,
    u_height: f64,
    is_full_depth: bool,
    airflow: &'static str,
    description: String,
    comments: String,
    interfaces: Vec<InterfaceTemplate>,
    #[serde(rename = "power-ports")]
    power_ports: Vec<PowerPortTemplate>,
}

#[derive(Serialize)]
struct InterfaceTemplate {
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    mgmt_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    channels: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel_id: Option<u32>,
}

#[derive(Serialize)]
struct PowerPortTemplate {
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    /// The switch's maximum draw: either supply carries it alone.
    maximum_draw: u64,
    /// Its typical draw shared by both supplies.
    allocated_draw: u64,
}

/// NetBox's interface type for a port of this cage at this speed.
pub(super) fn interface_type(cage: FormFactor, speed_gbps: u64) -> &'static str {
    use FormFactor::*;
    match (cage, speed_gbps) {
        (Rj45, 1) => "1000base-t",
        (Rj45, 10) => "10gbase-t",
        (Sfp, 1) => "1000base-x-sfp",
        (SfpPlus, 10) => "10gbase-x-sfpp",
        (Sfp28, 25) => "25gbase-x-sfp28",
        (Sfp56, 50) => "50gbase-x-sfp56",
        (QsfpPlus, 40) => "40gbase-x-qsfpp",
        (Qsfp28, 100) => "100gbase-x-qsfp28",
        (Qsfp56, 200) => "200gbase-x-qsfp56",
        (QsfpDd, 100) => "100gbase-x-qsfpdd",
        (QsfpDd, 200) => "200gbase-x-qsfpdd",
        (QsfpDd, 400) => "400gbase-x-qsfpdd",
        (QsfpDd, 800) => "800gbase-x-qsfpdd",
        (Qsfp112, 400) => "400gbase-x-qsfp112",
        (Osfp, 400) => "400gbase-x-osfp",
        (Osfp, 800) => "800gbase-x-osfp",
        (Cfp2, 100) => "100gbase-x-cfp2",
        (Cfp2, 200) => "200gbase-x-cfp2",
        (Cfp2, 400) => "400gbase-x-cfp2",
        _ => "other",
    }
}

/// Every port of a switch as placement names them: data ports
/// `ethernet-1/N` in front-panel order over the data groups (as
/// `design::placement` numbers them), ports the catalog flags as
/// management `mgmt0`, `mgmt1`… (NetBox: management only);
/// each with its NetBox type and whether it is management.
pub(super) fn ports(sw: &Switch) -> Vec<(String, &'static str, bool)> {
    let mut out = Vec::new();
    let (mut next, mut mgmt) = (1u64, 0u64);
    for g in &sw.ports {
        let kind = interface_type(g.form_factor, g.speed_gbps.0);
        for _ in 0..g.count {
            if g.management {
                out.push((format!("mgmt{mgmt}"), kind, true));
                mgmt += 1;
            } else {
                out.push((format!("ethernet-1/{next}"), kind, false));
                next += 1;
            }
        }
    }
    out
}

/// The device type of a switch, with its templates.
pub(super) fn device_type<'a>(
    sw: &'a Switch,
    vendor: &'a str,
    slug: String,
    model: String,
    cages: &Breakouts,
) -> DeviceType<'a> {
    let mut interfaces = Vec::new();
    for (name, kind, mgmt_only) in ports(sw) {
        let port = name.strip_prefix("ethernet-1/").and_then(|n| n.parse::<u32>().ok());
        let channels = port.and_then(|n| cages.get(&n).copied()).filter(|_| !mgmt_only);
        let parent = InterfaceTemplate { name, kind, mgmt_only, channels, parent: None, channel_id: None };
        let lanes = (1..=channels.unwrap_or(0)).map(|l| InterfaceTemplate {
            name: format!("{}/{l}", parent.name),
            kind: "channel",
            mgmt_only: false,
            channels: None,
            parent: Some(parent.name.clone()),
            channel_id: Some(l),
        });
        let lanes: Vec<InterfaceTemplate> = lanes.collect();
        interfaces.push(parent);
        interfaces.extend(lanes);
    }
    let shared = (sw.power_w.typical.0 / POWER_PORTS.len() as f64).ceil().max(1.0) as u64;
    let power_ports = POWER_PORTS
        .iter()
        .map(|&name| PowerPortTemplate {
            name,
            kind: "iec-60320-c14",
            maximum_draw: sw.power_w.max.0.ceil().max(1.0) as u64,
            allocated_draw: shared,
        })
        .collect();
    DeviceType {
        manufacturer: vendor,
        model,
        slug,
        part_number: &sw.part_number,
        u_height: sw.rack_units,
        is_full_depth: true,
        airflow: "front-to-rear",
        description: sw.description.chars().take(200).collect(),
        comments: format!("dcplan catalog id `{}`; figures from {}", sw.id, sw.source),
        interfaces,
        power_ports,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_names_say_the_broken_out_cages_in_runs_within_netbox_s_limit() {
        let none = Breakouts::new();
        assert_eq!(model_name("7220 IXR-D3L", &none), "7220 IXR-D3L");
        let cages: Breakouts = (1..=16).map(|n| (n, 4)).chain([(33, 2), (35, 2)]).collect();
        assert_eq!(model_name("7220 IXR-D3L", &cages), "7220 IXR-D3L (breakout 1-16 4x, 33 2x, 35 2x)");
        let scattered: Breakouts = (1..=64).filter(|n| n % 2 == 1).map(|n| (n, 4)).collect();
        let name = model_name("7220 IXR-H4 64QSFPDD 2SFP+", &scattered);
        assert!(name.chars().count() <= 100, "{name}");
        assert_eq!(name, "7220 IXR-H4 64QSFPDD 2SFP+ (breakout on 32 ports, 1-63)");
    }
}
