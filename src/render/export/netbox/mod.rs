//! Files for NetBox's bulk import (NetBox 4.7, tested against a real one:
//! `tests/it/netbox.rs`), written as they are made: devices, sites and
//! cables row by row as each site is placed; the files NetBox wants
//! sorted (racks, locations, power, types, modules) are kept compactly and
//! written at the end.
//!
//! Device types carry their component templates (`types.rs`), so NetBox
//! creates every interface, optic-cage module bay and power port itself
//! when a device is imported; a broken-out port is one cable with NetBox's
//! breakout profile from the port to its lanes' peers (`cables.rs`).
//! Everything carries the tag `dcplan`, to find the import again.

pub(crate) mod cables;
mod types;

use super::cabling::media_by_group;
use super::ends_off_fabric;
use crate::design::fabric::LinkGroup;
use crate::design::placement;
use crate::model::{Catalog, LibraryDeviceType};
use crate::render::csv;
use crate::text::slug;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};

/// The files, in NetBox's import order: the tag, manufacturer, platform,
/// device and rack roles, device types with their templates, module types
/// for the optics, sites, a location per row, racks, a power panel per row
/// and two feeds per rack, devices with rack and position, a module bay
/// for each cage that holds an optic, the optics as modules in them, and
/// the switch-to-switch cables; last, not an import but the input of the
/// custom script `contrib/netbox/dcplan_interface_speeds.py`, the speed of
/// every switch port a run uses.
pub const NETBOX_FILES: [&str; 17] = [
    "tags.csv",
    "manufacturers.csv",
    "platforms.csv",
    "device_roles.csv",
    "rack_roles.csv",
    "device_types.json",
    "module_types.csv",
    "sites.csv",
    "locations.csv",
    "racks.csv",
    "power_panels.csv",
    "power_feeds.csv",
    "devices.csv",
    "module_bays.csv",
    "modules.csv",
    "cables.csv",
    "interface_speeds.csv",
];

// Indices into NETBOX_FILES.
const TAGS: usize = 0;
const MANUFACTURERS: usize = 1;
const PLATFORMS: usize = 2;
const ROLES: usize = 3;
const RACK_ROLES: usize = 4;
const DEVICE_TYPES: usize = 5;
const MODULE_TYPES: usize = 6;
const SITES: usize = 7;
const LOCATIONS: usize = 8;
const RACKS: usize = 9;
const POWER_PANELS: usize = 10;
const POWER_FEEDS: usize = 11;
const DEVICES: usize = 12;
const MODULE_BAYS: usize = 13;
const MODULES: usize = 14;
const CABLES: usize = 15;
const SPEEDS: usize = 16;
const FILES: usize = NETBOX_FILES.len();

/// The tag on every object dcplan exports.
pub const TAG: &str = "dcplan";

/// The network operating system of the switches dcplan places (SR Linux
/// names its ports `ethernet-1/N`, as placement does).
const PLATFORM: (&str, &str) = ("SR Linux", "sr-linux");

/// Rack height: the network racks' height (`analyse::racks`), server racks alike.
const RACK_UNITS: &str = "47";

/// Rack form: an enclosed four-post cabinet, as a data hall's racks are
/// (dcplan's assumption; the scenario does not say).
const RACK_FORM: &str = "4-post-cabinet";

/// Feeds: three-phase 400 V (line to line), the smallest IEC 60309 rating
/// whose continuous load at `FEED_UTILISATION_PCT` covers the rack budget.
const FEED_VOLTS: f64 = 400.0;
const FEED_AMPS: [u32; 4] = [16, 32, 63, 125];
const FEED_UTILISATION_PCT: u32 = 80;

/// NetBox cable type of a link's media: that of its first cable.
pub(crate) fn cable_type(g: &LinkGroup, catalog: &Catalog) -> &'static str {
    g.media
        .parts
        .iter()
        .find_map(|p| catalog.cables.iter().find(|c| c.id == p.item))
        .map_or("", cable_type_of)
}

/// NetBox cable type of a catalog cable.
pub(crate) fn cable_type_of(c: &crate::model::Cable) -> &'static str {
    use crate::model::{CableKind, FibreKind};
    match (c.kind, c.fibre) {
        (CableKind::Dac | CableKind::BreakoutDac, _) => "dac-passive",
        (CableKind::Aoc | CableKind::BreakoutAoc, _) => "aoc",
        (_, Some(FibreKind::Smf)) => "smf-os2",
        (_, Some(FibreKind::Mmf)) => "mmf-om4",
        _ => "",
    }
}

/// The cage a port's optic sits in: a broken-out lane `ethernet-1/12/3`
/// shares the module in `ethernet-1/12` with its sibling lanes.
pub(crate) fn cage_of(port: &str) -> &str {
    match port.match_indices('/').nth(1) {
        Some((i, _)) => &port[..i],
        None => port,
    }
}

/// Which device types the NetBox files refer to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DeviceTypes {
    /// dcplan's own, exported in `device_types.json` with their templates
    /// (broken-out cages channelized, each lane a channel).
    #[default]
    Own,
    /// Those of NetBox's community device-type library, for every switch
    /// the catalog maps to one (`netbox_library`), imported into NetBox
    /// from the library first; dcplan's own for the others. The library's
    /// switches hold supplies as modules (their power ports on them), and
    /// their cages are not channelized: a broken-out port's cable ends on
    /// the port and its peers without NetBox's breakout profile.
    Library,
}

/// The library's device type a switch is imported as, when `types` asks
/// for the library and the catalog maps the switch to one.
fn library_type<'c>(
    types: DeviceTypes,
    catalog: &'c Catalog,
    switch_id: &str,
) -> Option<&'c LibraryDeviceType> {
    if types != DeviceTypes::Library {
        return None;
    }
    catalog.switch(switch_id).and_then(|sw| sw.netbox_library.as_ref())
}

/// What the sites leave for the files NetBox wants sorted: racks with
/// their row and role, the switch models used, and one module per cage.
#[derive(Default)]
struct Sorted {
    /// (site, rack) → (row, network rack?, the site's rack budget in W).
    racks: BTreeMap<(String, String), (String, bool, f64)>,
    /// The switch models placed (catalog id) with their broken-out cages:
    /// a device type each.
    types: BTreeSet<(String, types::Breakouts)>,
    /// (device, cage) → optic id: the first optic seen in a cage is its module.
    modules: BTreeMap<(String, String), String>,
    /// (device, bay) → the library's supply module type, for switches of
    /// the library's types.
    supplies: BTreeMap<(String, String), String>,
}

/// The NetBox files in memory, by file name (for tests and the fuzz harness).
pub fn netbox(
    plan_sites: &[&crate::plan::SitePlan],
    catalog: &Catalog,
    vendor: &str,
    types: DeviceTypes,
) -> Vec<(String, Vec<u8>)> {
    let out: [Vec<u8>; FILES] = Default::default();
    let out = netbox_to(plan_sites, catalog, vendor, types, out).unwrap_or_default();
    NETBOX_FILES.iter().zip(out).map(|(n, b)| (n.to_string(), b)).collect()
}

/// Writes the files for NetBox's bulk import, each to its writer in `out`
/// (in the order of [`NETBOX_FILES`]), and gives the writers back. Server
/// and hand-off links end on servers and interconnect equipment NetBox
/// does not know, so they are left out (the switch-side optic of such a
/// link is still a module on the switch).
pub fn netbox_to<W: Write>(
    plan_sites: &[&crate::plan::SitePlan],
    catalog: &Catalog,
    vendor: &str,
    types: DeviceTypes,
    out: [W; FILES],
) -> io::Result<[W; FILES]> {
    let mut w = out.map(csv::Writer::new);
    w[TAGS].row(["name", "slug", "color", "weight", "description"])?;
    w[TAGS].row([TAG, TAG, "607d8b", "1000", "planned by dcplan"])?;
    w[MANUFACTURERS].row(["name", "slug", "tags"])?;
    w[MANUFACTURERS].row([vendor, &slug(vendor), TAG])?;
    w[PLATFORMS].row(["name", "slug", "manufacturer", "tags"])?;
    w[PLATFORMS].row([PLATFORM.0, PLATFORM.1, vendor, TAG])?;
    w[ROLES].row(["name", "slug", "color", "tags"])?;
    for (role, color) in
        [("leaf", "4caf50"), ("border-leaf", "ff9800"), ("spine", "2196f3"), ("superspine", "9c27b0")]
    {
        w[ROLES].row([role, role, color, TAG])?;
    }
    w[RACK_ROLES].row(["name", "slug", "color", "description", "tags"])?;
    w[RACK_ROLES].row(["servers", "servers", "8bc34a", "server rack with its leaves", TAG])?;
    w[RACK_ROLES].row(["network", "network", "3f51b5", "spines, superspines or border leaves", TAG])?;
    w[SITES].row(["name", "slug", "status", "tags"])?;
    w[DEVICES].row([
        "name",
        "role",
        "manufacturer",
        "device_type",
        "platform",
        "status",
        "site",
        "location",
        "rack",
        "position",
        "face",
        "airflow",
        "tags",
    ])?;
    w[CABLES].row(cables::COLUMNS)?;
    w[SPEEDS].row(["site", "device", "name", "speed"])?;
    let mut sorted = Sorted::default();
    for sp in plan_sites {
        site_rows(&mut w, &mut sorted, sp, catalog, vendor, types)?;
    }
    sorted_rows(&mut w, &sorted, catalog, vendor)?;
    let mut done = Vec::with_capacity(w.len());
    for f in w {
        done.push(f.finish()?);
    }
    // The device types are JSON (their templates are lists): written
    // straight to their file, which no CSV row went to.
    let json = device_types_json(&sorted, catalog, vendor)?;
    done[DEVICE_TYPES].write_all(&json)?;
    done.try_into().map_err(|_| io::Error::other("NetBox files lost"))
}

/// One site: its row in sites.csv, its devices and cables written at once,
/// its racks, types and modules kept for the sorted files.
fn site_rows<W: Write>(
    w: &mut [csv::Writer<W>; FILES],
    sorted: &mut Sorted,
    sp: &crate::plan::SitePlan,
    catalog: &Catalog,
    vendor: &str,
    types: DeviceTypes,
) -> io::Result<()> {
    let d = &sp.fabric;
    w[SITES].row([d.site.as_str(), &slug(&d.site), "planned", TAG])?;
    let (placed, runs) = placement::place(d, catalog, None);
    let device = |name: &str| placement::device_name(&d.site, name);
    let breakouts = breakouts_by_role(d, &placed, &runs);
    // The switches of the library's types: their cages are not channelized.
    let mut unchannelized: BTreeSet<&str> = BTreeSet::new();
    for p in &placed {
        let network = p.role != crate::model::FabricRole::Leaf;
        sorted
            .racks
            .insert((d.site.clone(), p.rack.clone()), (p.row.clone(), network, sp.racks.rack_budget_w.0));
        let model = match library_type(types, catalog, &p.switch_id) {
            Some(lib) => {
                unchannelized.insert(&p.name);
                for bay in &lib.power_bays {
                    sorted.supplies.insert((device(&p.name), bay.clone()), lib.power_supply.clone());
                }
                lib.model.clone()
            }
            None => {
                let cages = breakouts.get(&p.role).cloned().unwrap_or_default();
                let model = types::model_name(&p.model, &cages);
                sorted.types.insert((p.switch_id.clone(), cages));
                model
            }
        };
        w[DEVICES].row([
            device(&p.name).as_str(),
            p.role.as_str(),
            vendor,
            &model,
            PLATFORM.0,
            "planned",
            &d.site,
            &p.row,
            &p.rack,
            &p.ru.to_string(),
            "front",
            "front-to-rear",
            TAG,
        ])?;
    }
    let media = media_by_group(d);
    for r in &runs {
        let a_optic = match &r.a_module {
            Some(m) => m.as_str(),
            None => media.get(r.a_group).map_or("", |m| m.module_a.as_str()),
        };
        if !a_optic.is_empty() {
            sorted
                .modules
                .entry((device(&r.a_device), cage_of(&r.a_port).to_string()))
                .or_insert(a_optic.into());
        }
        if ends_off_fabric(r) {
            continue;
        }
        let b_optic = media.get(r.b_group).map_or("", |m| m.module_b.as_str());
        if !b_optic.is_empty() {
            sorted
                .modules
                .entry((device(&r.b_device), cage_of(&r.b_port).to_string()))
                .or_insert(b_optic.into());
        }
    }
    let cable_types: Vec<&str> = d.links.iter().map(|g| cable_type(g, catalog)).collect();
    let channelized = |name: &str| !unchannelized.contains(name);
    speed_rows(&mut w[SPEEDS], &d.site, &runs, &device, &channelized)?;
    cables::write(&mut w[CABLES], &d.site, &runs, &media, &cable_types, &device, &channelized)
}

/// The speed (NetBox: Kbps) of each switch port the site's runs use, both
/// ends of a run between switches, the switch end of one to a server or
/// a hand-off: a broken-out lane where its cage is channelized (the cage
/// itself has none), nothing for a lane of a cage that is not.
fn speed_rows<W: Write>(
    w: &mut csv::Writer<W>,
    site: &str,
    runs: &[placement::Run],
    device: &dyn Fn(&str) -> String,
    channelized: &dyn Fn(&str) -> bool,
) -> io::Result<()> {
    for r in runs {
        let kbps = r.speed_gbps.saturating_mul(1_000_000).to_string();
        let far = (!ends_off_fabric(r)).then_some((&r.b_device, &r.b_port));
        for (dev, port) in std::iter::once((&r.a_device, &r.a_port)).chain(far) {
            if cage_of(port) != port && !channelized(dev) {
                continue;
            }
            w.row([site, &device(dev), port, &kbps])?;
        }
    }
    Ok(())
}

/// The broken-out cages of each role's switches at a site, with their
/// lanes: every switch of a role gets the union (a channelized cage with
/// no cable is harmless), so one device type serves the role.
fn breakouts_by_role(
    d: &crate::design::fabric::FabricDesign,
    placed: &[placement::Placed],
    runs: &[placement::Run],
) -> BTreeMap<crate::model::FabricRole, types::Breakouts> {
    let role: HashMap<&str, crate::model::FabricRole> =
        placed.iter().map(|p| (p.name.as_str(), p.role)).collect();
    let mut out: BTreeMap<crate::model::FabricRole, types::Breakouts> = BTreeMap::new();
    for r in runs {
        let ends = [(&r.a_device, &r.a_port, r.a_group, true), (&r.b_device, &r.b_port, r.b_group, false)];
        for (dev, port, group, a_side) in ends {
            let Some(&role) = role.get(dev.as_str()) else { continue };
            if port.matches('/').count() < 2 {
                continue;
            }
            let end = d.links.get(group).map(|g| if a_side { g.a_end } else { g.b_end });
            let Some(lanes) = end.and_then(|e| e.breakout).map(|b| b.lanes) else { continue };
            let Some(n) = cage_of(port).rsplit('/').next().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            out.entry(role).or_default().insert(n, lanes);
        }
    }
    out
}

/// Amperes of each of a rack's two feeds: the smallest rating whose
/// continuous load covers the budget (three-phase: √3·V·A); `None` when
/// not even the largest does (then the largest, and the feed says so).
fn feed_amps(budget_w: f64) -> (u32, bool) {
    let usable = |a: u32| 3f64.sqrt() * FEED_VOLTS * f64::from(a) * f64::from(FEED_UTILISATION_PCT) / 100.0;
    match FEED_AMPS.into_iter().find(|&a| usable(a) >= budget_w) {
        Some(a) => (a, true),
        None => (FEED_AMPS[FEED_AMPS.len() - 1], false),
    }
}

/// The device types of the switches placed, with their templates, as JSON.
fn device_types_json(sorted: &Sorted, catalog: &Catalog, vendor: &str) -> io::Result<Vec<u8>> {
    let device_types: Vec<types::DeviceType<'_>> = sorted
        .types
        .iter()
        .filter_map(|(id, cages)| catalog.switch(id).map(|sw| (sw, cages)))
        .map(|(sw, cages)| {
            let model = types::model_name(&sw.model, cages);
            types::device_type(sw, vendor, slug(&format!("{vendor} {model}")), model, cages)
        })
        .collect();
    let mut json = serde_json::to_vec_pretty(&device_types).map_err(io::Error::other)?;
    json.push(b'\n');
    Ok(json)
}

/// The files NetBox wants sorted, from what the sites left in `sorted`.
fn sorted_rows<W: Write>(
    w: &mut [csv::Writer<W>; FILES],
    sorted: &Sorted,
    catalog: &Catalog,
    vendor: &str,
) -> io::Result<()> {
    w[LOCATIONS].row(["site", "name", "slug", "status", "description", "tags"])?;
    let rows: BTreeSet<(&str, &str)> =
        sorted.racks.iter().map(|((s, _), (row, _, _))| (s.as_str(), row.as_str())).collect();
    for &(site, row) in &rows {
        w[LOCATIONS].row([site, row, &slug(row), "planned", "a row of racks", TAG])?;
    }
    w[POWER_PANELS].row(["site", "location", "name", "description", "tags"])?;
    for &(site, row) in &rows {
        let panel = format!("{row}-panel");
        w[POWER_PANELS].row([site, row, &panel, "feeds A and B of every rack in the row", TAG])?;
    }
    w[RACKS].row([
        "site",
        "location",
        "name",
        "status",
        "role",
        "form_factor",
        "width",
        "u_height",
        "tags",
    ])?;
    w[POWER_FEEDS].row([
        "site",
        "power_panel",
        "location",
        "rack",
        "name",
        "status",
        "type",
        "supply",
        "phase",
        "voltage",
        "amperage",
        "max_utilization",
        "description",
        "tags",
    ])?;
    for ((site, rack), (row, network, budget_w)) in &sorted.racks {
        let role = if *network { "network" } else { "servers" };
        w[RACKS].row([site.as_str(), row, rack, "planned", role, RACK_FORM, "19", RACK_UNITS, TAG])?;
        let (amps, enough) = feed_amps(*budget_w);
        let amps = amps.to_string();
        let mut description = format!("rack budget {} kW", crate::units::trim_float(budget_w / 1000.0));
        if !enough {
            description.push_str(": more than one feed pair of the largest rating carries");
        }
        for (side, kind) in [("A", "primary"), ("B", "redundant")] {
            w[POWER_FEEDS].row([
                site.as_str(),
                &format!("{row}-panel"),
                row,
                rack,
                &format!("{rack}-{side}"),
                "planned",
                kind,
                "ac",
                "three-phase",
                &crate::units::trim_float(FEED_VOLTS),
                &amps,
                &FEED_UTILISATION_PCT.to_string(),
                &description,
                TAG,
            ])?;
        }
    }
    let optic = |id: &str| -> (String, String, String) {
        if let Some(o) = catalog.grey_optics.iter().find(|o| o.id == id) {
            return (o.model.clone(), o.part_number.clone(), o.standard.clone());
        }
        if let Some(o) = catalog.coherent_optics.iter().find(|o| o.id == id) {
            return (o.model.clone(), o.part_number.clone(), o.description.clone());
        }
        (id.to_string(), String::new(), String::new())
    };
    let described: HashMap<&str, (String, String, String)> =
        sorted.modules.values().map(|id| (id.as_str(), optic(id))).collect();
    let used: BTreeSet<&(String, String, String)> = described.values().collect();
    w[MODULE_TYPES].row(["manufacturer", "model", "part_number", "description", "tags"])?;
    for (m, p, d) in used {
        w[MODULE_TYPES].row([vendor, m, p, d, TAG])?;
    }
    w[MODULE_BAYS].row(["device", "name", "position", "description", "tags"])?;
    w[MODULES].row(["device", "module_bay", "module_type", "status", "tags"])?;
    for ((dev, cage), id) in &sorted.modules {
        w[MODULE_BAYS].row([dev.as_str(), cage, cage.trim_start_matches("ethernet-"), "optic cage", TAG])?;
        w[MODULES].row([dev.as_str(), cage, &described[id.as_str()].0, "planned", TAG])?;
    }
    for ((dev, bay), supply) in &sorted.supplies {
        w[MODULES].row([dev.as_str(), bay, supply, "planned", TAG])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_are_the_smallest_rating_that_carries_the_budget() {
        // √3 · 400 V · A · 80 %: 16 A 8.9 kW, 32 A 17.7 kW, 63 A 34.9 kW, 125 A 69.3 kW.
        assert_eq!(feed_amps(8_000.0), (16, true));
        assert_eq!(feed_amps(17_000.0), (32, true));
        assert_eq!(feed_amps(18_000.0), (63, true));
        assert_eq!(feed_amps(69_000.0), (125, true));
        assert_eq!(feed_amps(100_000.0), (125, false));
    }
}
