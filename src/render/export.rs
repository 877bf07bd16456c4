//! Exports to the tools operators already run: a cable run list (CSV), a
//! containerlab topology of a site's fabric (SR Linux nodes) and CSV files
//! for NetBox's bulk import.

use crate::design::fabric::{FabricDesign, LinkGroup};
use crate::design::media::Per;
use crate::design::placement::{self, Placed, Run};
use crate::model::Catalog;

/// What a link group's runs are made of.
struct Media {
    /// The optic at each end (empty for a cable).
    module_a: String,
    module_b: String,
    /// The cable or fibre pieces, joined by `+`, and the longest piece's length.
    cable: String,
    length: String,
}

fn media_of(g: &LinkGroup) -> Media {
    let mut m = Media {
        module_a: String::new(),
        module_b: String::new(),
        cable: String::new(),
        length: String::new(),
    };
    let mut longest: Option<f64> = None;
    for p in g.media.parts.iter() {
        match (g.media.kind, p.per) {
            ("optics", Per::APort) if m.module_a.is_empty() => m.module_a = p.item.clone(),
            ("optics", Per::BPort) if m.module_b.is_empty() => m.module_b = p.item.clone(),
            _ => {
                if !m.cable.is_empty() {
                    m.cable.push('+');
                }
                m.cable.push_str(&p.item);
                // The longest piece is the run's length.
                if let Some(l) = p.length_m {
                    if longest.is_none_or(|x| l.0 > x) {
                        longest = Some(l.0);
                    }
                }
            }
        }
    }
    if m.cable.is_empty() {
        m.cable = "-".into();
    }
    m.length = longest.map(crate::units::trim_float).unwrap_or_default();
    m
}

/// The media of every link group of a design, by group index.
fn media_by_group(design: &FabricDesign) -> Vec<Media> {
    design.links.iter().map(media_of).collect()
}

/// The cable run list of a site as CSV: one row per link, with where both
/// ends are (row, rack, RU, device, port), the modules and the cable.
pub fn cabling_csv(design: &FabricDesign, catalog: &Catalog) -> Vec<u8> {
    let (placed, runs) = placement::place(design, catalog, None);
    let by_name: std::collections::HashMap<&str, &Placed> =
        placed.iter().map(|p| (p.name.as_str(), p)).collect();
    let find = |name: &str| by_name.get(name).copied();
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "site",
        "class",
        "row",
        "rack",
        "ru",
        "device",
        "port",
        "module",
        "cable",
        "length_m",
        "peer_row",
        "peer_rack",
        "peer_ru",
        "peer_device",
        "peer_port",
        "peer_module",
        "speed_gbps",
    ]);
    let media = media_by_group(design);
    let none =
        Media { module_a: String::new(), module_b: String::new(), cable: "-".into(), length: String::new() };
    for r in &runs {
        let m = media.get(r.group).unwrap_or(&none);
        // Each end holds the module of the group its port belongs to.
        let module = |g: usize, a_side: bool| -> String {
            media
                .get(g)
                .map_or(String::new(), |x| if a_side { x.module_a.clone() } else { x.module_b.clone() })
        };
        let (a, b): (Option<&Placed>, Option<&Placed>) = (find(&r.a_device), find(&r.b_device));
        let loc = |p: Option<&Placed>| match p {
            Some(p) => (p.row.clone(), p.rack.clone(), p.ru.to_string()),
            None => {
                // A server: in the rack its name gives.
                (String::new(), String::new(), String::new())
            }
        };
        let (ar, ak, au) = loc(a);
        // A server stands in its leaf's rack.
        let (br, bk, bu) = if b.is_none() && r.class == "server-leaf" {
            (ar.clone(), ak.clone(), String::new())
        } else {
            loc(b)
        };
        let modules = (module(r.a_group, true), module(r.b_group, false));
        let _ = w.write_record([
            design.site.as_str(),
            r.class,
            &ar,
            &ak,
            &au,
            &r.a_device,
            &r.a_port,
            &modules.0,
            &m.cable,
            &m.length,
            &br,
            &bk,
            &bu,
            &r.b_device,
            &r.b_port,
            &modules.1,
            &r.speed_gbps.to_string(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// SR Linux hardware types of the 7220/7250 IXR families that containerlab
/// can emulate (the `type` of a `nokia_srlinux` node: containerlab.dev/manual/kinds/srl,
/// the `srlTypes` table of containerlab's nodes/srl/srl.go and the `type`
/// enum of its clab.schema.json). The later ones (H4-32D, H5, 18e, X1b,
/// X3b) came with newer containerlab releases.
const SRL_TYPES: &[&str] = &[
    "ixrd1", "ixrd2", "ixrd2l", "ixrd3", "ixrd3l", "ixrd4", "ixrd5", "ixrh2", "ixrh3", "ixrh4", "ixrh432d",
    "ixrh5", "ixrh532d", "ixrh564d", "ixrh564o", "ixr6", "ixr6e", "ixr10", "ixr10e", "ixr18e", "ixrx1b",
    "ixrx3b",
];

/// SR Linux node type of a Nokia 7220/7250 IXR catalog id (`ixr-d2l` →
/// `ixrd2l`), if containerlab knows that type.
pub fn srl_type(switch_id: &str) -> Option<String> {
    let id = switch_id.to_ascii_lowercase();
    let rest = id.strip_prefix("ixr-")?;
    let ty = format!("ixr{}", rest.replace('-', ""));
    SRL_TYPES.contains(&ty.as_str()).then_some(ty)
}

/// A run whose far end is not a switch of the fabric: a server, or the
/// interconnect equipment a hand-off link joins (neither is in the lab or
/// in NetBox's import).
fn ends_off_fabric(r: &Run) -> bool {
    r.class == "server-leaf" || r.class == "hand-off"
}

fn clab_port(port: &str) -> String {
    // ethernet-1/N → e1-N; a broken-out lane ethernet-1/N/L → e1-N-L.
    port.trim_start_matches("ethernet-").replace('/', "-").replacen("1-", "e1-", 1)
}

fn clab_name(name: &str) -> String {
    name.replace('.', "-")
}

/// A containerlab topology of a site's fabric (switches and the links
/// between them), scaled down to `max_leaves` leaves for a lab.
pub fn containerlab(
    design: &FabricDesign,
    catalog: &Catalog,
    max_leaves: Option<u64>,
) -> Result<String, String> {
    let (placed, runs) = placement::place(design, catalog, max_leaves);
    let mut out = format!(
        "# containerlab topology of the `{}` fabric, generated by dcplan{}.\n# Deploy: containerlab deploy -t <this file>\nname: dcplan-{}\ntopology:\n  kinds:\n    nokia_srlinux:\n      image: ghcr.io/nokia/srlinux\n  nodes:\n",
        design.site,
        max_leaves.map(|m| format!(" (first {m} leaves)")).unwrap_or_default(),
        design.site.to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "-")
    );
    for p in &placed {
        let ty = srl_type(&p.switch_id).ok_or_else(|| {
            format!(
                "{} ({}) has no SR Linux node type: containerlab export needs Nokia SR Linux models",
                p.switch_id, p.model
            )
        })?;
        out.push_str(&format!("    {}:\n      kind: nokia_srlinux\n      type: {ty}\n", clab_name(&p.name)));
    }
    // containerlab's schema wants at least one link when `links` is given;
    // a one-switch site has none.
    let mut links = runs.iter().filter(|r: &&Run| !ends_off_fabric(r)).peekable();
    if links.peek().is_some() {
        out.push_str("  links:\n");
    }
    for r in links {
        out.push_str(&format!(
            "    - endpoints: [\"{}:{}\", \"{}:{}\"]\n",
            clab_name(&r.a_device),
            clab_port(&r.a_port),
            clab_name(&r.b_device),
            clab_port(&r.b_port)
        ));
    }
    Ok(out)
}

/// NetBox interface type of a port (the `type` choices of NetBox's importer).
fn netbox_interface_type(port: &str, speed_gbps: u64) -> &'static str {
    if port.matches('/').count() > 1 {
        // A broken-out lane has no cage of its own.
        return "other";
    }
    match speed_gbps {
        10 => "10gbase-x-sfpp",
        25 => "25gbase-x-sfp28",
        50 => "50gbase-x-sfp56",
        100 => "100gbase-x-qsfp28",
        200 => "200gbase-x-qsfp56",
        400 => "400gbase-x-qsfpdd",
        800 => "800gbase-x-qsfpdd",
        _ => "other",
    }
}

/// NetBox cable type of a link's media.
fn netbox_cable_type(g: &LinkGroup, catalog: &Catalog) -> &'static str {
    for p in g.media.parts.iter() {
        if let Some(c) = catalog.cables.iter().find(|c| c.id == p.item) {
            use crate::model::{CableKind, FibreKind};
            return match (c.kind, c.fibre) {
                (CableKind::Dac | CableKind::BreakoutDac, _) => "dac-passive",
                (CableKind::Aoc | CableKind::BreakoutAoc, _) => "aoc",
                (_, Some(FibreKind::Smf)) => "smf-os2",
                (_, Some(FibreKind::Mmf)) => "mmf-om4",
                _ => "",
            };
        }
    }
    ""
}

fn slug(text: &str) -> String {
    let mut s: String =
        text.to_ascii_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    s.trim_matches('-').to_string()
}

fn csv_of(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
}

/// The cage a port's optic sits in: a broken-out lane `ethernet-1/12/3`
/// shares the module in `ethernet-1/12` with its sibling lanes.
fn cage_of(port: &str) -> &str {
    match port.match_indices('/').nth(1) {
        Some((i, _)) => &port[..i],
        None => port,
    }
}

/// CSV files for NetBox's bulk import, in import order: manufacturers,
/// device roles, device types (named as in the community device-type
/// library), module types for the optics, sites, racks, devices with rack and
/// position, a module bay per optic cage, the optics as modules in them,
/// interfaces, and the switch-to-switch cables with type and length. Server
/// and hand-off links end on servers and interconnect equipment NetBox does
/// not know, so they are left out (the switch-side optic of such a link is
/// still a module on the switch).
pub fn netbox(
    plan_sites: &[&crate::plan::SitePlan],
    catalog: &Catalog,
    vendor: &str,
) -> Vec<(String, Vec<u8>)> {
    let mut sites = Vec::new();
    let mut racks = std::collections::BTreeSet::new();
    let mut types = std::collections::BTreeSet::new();
    let mut devices = Vec::new();
    let mut interfaces = Vec::new();
    let mut cables = Vec::new();
    // (device, cage) → optic id: one module per cage, whatever its lanes.
    let mut modules = std::collections::BTreeMap::new();
    for sp in plan_sites {
        let d = &sp.fabric;
        sites.push(vec![d.site.clone(), slug(&d.site), "planned".into()]);
        let (placed, runs) = placement::place(d, catalog, None);
        let device = |name: &str| format!("{}-{}", d.site, name.replace('.', "-"));
        for p in &placed {
            racks.insert((d.site.clone(), p.rack.clone()));
            let part = catalog.switch(&p.switch_id).map(|s| s.part_number.clone()).unwrap_or_default();
            let ru = catalog.switch(&p.switch_id).map_or(1.0, |s| s.rack_units);
            types.insert((p.model.clone(), part, crate::units::trim_float(ru)));
            devices.push(vec![
                device(&p.name),
                p.role.as_str().into(),
                vendor.into(),
                p.model.clone(),
                "planned".into(),
                d.site.clone(),
                p.rack.clone(),
                p.ru.to_string(),
                "front".into(),
            ]);
        }
        // Per link group: its cable type and run length; per port, the
        // module of the group it belongs to.
        let media = media_by_group(d);
        let cable_types: Vec<&str> = d.links.iter().map(|g| netbox_cable_type(g, catalog)).collect();
        for r in &runs {
            let a_optic = media.get(r.a_group).map_or("", |m| m.module_a.as_str());
            let b_optic = media.get(r.b_group).map_or("", |m| m.module_b.as_str());
            let cable_type = cable_types.get(r.group).copied().unwrap_or("");
            let run_m = media.get(r.group).map(|m| m.length.clone()).unwrap_or_default();
            if !a_optic.is_empty() {
                modules
                    .entry((device(&r.a_device), cage_of(&r.a_port).to_string()))
                    .or_insert_with(|| a_optic.to_string());
            }
            if !b_optic.is_empty() && !ends_off_fabric(r) {
                modules
                    .entry((device(&r.b_device), cage_of(&r.b_port).to_string()))
                    .or_insert_with(|| b_optic.to_string());
            }
            interfaces.push(vec![
                device(&r.a_device),
                r.a_port.clone(),
                netbox_interface_type(&r.a_port, r.speed_gbps).into(),
            ]);
            if ends_off_fabric(r) {
                continue;
            }
            interfaces.push(vec![
                device(&r.b_device),
                r.b_port.clone(),
                netbox_interface_type(&r.b_port, r.speed_gbps).into(),
            ]);
            cables.push(vec![
                device(&r.a_device),
                "dcim.interface".into(),
                r.a_port.clone(),
                device(&r.b_device),
                "dcim.interface".into(),
                r.b_port.clone(),
                cable_type.to_string(),
                "planned".into(),
                run_m.clone(),
                "m".into(),
            ]);
        }
    }
    interfaces.sort();
    interfaces.dedup();
    let optic = |id: &str| -> (String, String, String) {
        if let Some(o) = catalog.grey_optics.iter().find(|o| o.id == id) {
            return (o.model.clone(), o.part_number.clone(), o.standard.clone());
        }
        if let Some(o) = catalog.coherent_optics.iter().find(|o| o.id == id) {
            return (o.model.clone(), o.part_number.clone(), o.description.clone());
        }
        (id.to_string(), String::new(), String::new())
    };
    let module_types: std::collections::BTreeSet<(String, String, String)> =
        modules.values().map(|id| optic(id)).collect();
    vec![
        ("manufacturers.csv".into(), csv_of(&["name", "slug"], &[vec![vendor.into(), slug(vendor)]])),
        (
            "device_roles.csv".into(),
            csv_of(
                &["name", "slug", "color"],
                &[
                    vec!["leaf".into(), "leaf".into(), "4caf50".into()],
                    vec!["spine".into(), "spine".into(), "2196f3".into()],
                    vec!["superspine".into(), "superspine".into(), "9c27b0".into()],
                ],
            ),
        ),
        (
            "device_types.csv".into(),
            csv_of(
                &["manufacturer", "model", "slug", "part_number", "u_height", "is_full_depth"],
                &types
                    .iter()
                    .map(|(m, p, u)| {
                        vec![
                            vendor.into(),
                            m.clone(),
                            slug(&format!("{vendor} {m}")),
                            p.clone(),
                            u.clone(),
                            "true".into(),
                        ]
                    })
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "module_types.csv".into(),
            csv_of(
                &["manufacturer", "model", "part_number", "description"],
                &module_types
                    .iter()
                    .map(|(m, p, d)| vec![vendor.into(), m.clone(), p.clone(), d.clone()])
                    .collect::<Vec<_>>(),
            ),
        ),
        ("sites.csv".into(), csv_of(&["name", "slug", "status"], &sites)),
        (
            "racks.csv".into(),
            csv_of(
                &["site", "name", "status", "u_height"],
                &racks
                    .iter()
                    .map(|(s, r)| vec![s.clone(), r.clone(), "planned".into(), "47".into()])
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "devices.csv".into(),
            csv_of(
                &[
                    "name",
                    "role",
                    "manufacturer",
                    "device_type",
                    "status",
                    "site",
                    "rack",
                    "position",
                    "face",
                ],
                &devices,
            ),
        ),
        (
            "module_bays.csv".into(),
            csv_of(
                &["device", "name", "position", "description"],
                &modules
                    .keys()
                    .map(|(dev, cage)| {
                        vec![
                            dev.clone(),
                            cage.clone(),
                            cage.trim_start_matches("ethernet-").into(),
                            "optic cage".into(),
                        ]
                    })
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "modules.csv".into(),
            csv_of(
                &["device", "module_bay", "module_type", "status"],
                &modules
                    .iter()
                    .map(|((dev, cage), id)| vec![dev.clone(), cage.clone(), optic(id).0, "planned".into()])
                    .collect::<Vec<_>>(),
            ),
        ),
        ("interfaces.csv".into(), csv_of(&["device", "name", "type"], &interfaces)),
        (
            "cables.csv".into(),
            csv_of(
                &[
                    "side_a_device",
                    "side_a_type",
                    "side_a_name",
                    "side_b_device",
                    "side_b_type",
                    "side_b_name",
                    "type",
                    "status",
                    "length",
                    "length_unit",
                ],
                &cables,
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sr_linux_names() {
        assert_eq!(srl_type("ixr-d2l").as_deref(), Some("ixrd2l"));
        assert_eq!(srl_type("ixr-h4").as_deref(), Some("ixrh4"));
        assert_eq!(srl_type("IXR-H5-64D").as_deref(), Some("ixrh564d"));
        assert_eq!(srl_type("ixr-x1b").as_deref(), Some("ixrx1b"));
        assert_eq!(srl_type("wb-th4-64x400g"), None);
        assert_eq!(srl_type("ixr-q9"), None, "not a type containerlab knows");
        assert_eq!(clab_port("ethernet-1/49"), "e1-49");
        assert_eq!(clab_port("ethernet-1/12/3"), "e1-12-3");
    }
}
