//! CSV files for NetBox's bulk import, written as they are made: devices,
//! sites and cables row by row as each site is placed; the files NetBox
//! wants sorted (racks, device and module types, module bays, modules,
//! interfaces) are kept compactly (indices and one text buffer, not a
//! string per cell) and written at the end.

use super::{ends_off_fabric, media_by_group, placement, Catalog, LinkGroup};
use crate::render::csv;
use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write};

/// The files, in NetBox's import order: manufacturers, device roles, device
/// types (named as in the community device-type library), module types for
/// the optics, sites, racks, devices with rack and position, a module bay
/// per optic cage, the optics as modules in them, interfaces, and the
/// switch-to-switch cables with type and length.
pub const NETBOX_FILES: [&str; 11] = [
    "manufacturers.csv",
    "device_roles.csv",
    "device_types.csv",
    "module_types.csv",
    "sites.csv",
    "racks.csv",
    "devices.csv",
    "module_bays.csv",
    "modules.csv",
    "interfaces.csv",
    "cables.csv",
];

// Indices into NETBOX_FILES.
const MANUFACTURERS: usize = 0;
const ROLES: usize = 1;
const DEVICE_TYPES: usize = 2;
const MODULE_TYPES: usize = 3;
const SITES: usize = 4;
const RACKS: usize = 5;
const DEVICES: usize = 6;
const MODULE_BAYS: usize = 7;
const MODULES: usize = 8;
const INTERFACES: usize = 9;
const CABLES: usize = 10;

/// NetBox interface types (the `type` choices of NetBox's importer).
const INTERFACE_TYPES: [&str; 8] = [
    "other",
    "10gbase-x-sfpp",
    "25gbase-x-sfp28",
    "50gbase-x-sfp56",
    "100gbase-x-qsfp28",
    "200gbase-x-qsfp56",
    "400gbase-x-qsfpdd",
    "800gbase-x-qsfpdd",
];

/// The NetBox interface type of a port, as an index into [`INTERFACE_TYPES`].
fn interface_type(port: &str, speed_gbps: u64) -> u8 {
    if port.matches('/').count() > 1 {
        // A broken-out lane has no cage of its own.
        return 0;
    }
    match speed_gbps {
        10 => 1,
        25 => 2,
        50 => 3,
        100 => 4,
        200 => 5,
        400 => 6,
        800 => 7,
        _ => 0,
    }
}

/// NetBox cable type of a link's media.
fn cable_type(g: &LinkGroup, catalog: &Catalog) -> &'static str {
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

/// The cage a port's optic sits in: a broken-out lane `ethernet-1/12/3`
/// shares the module in `ethernet-1/12` with its sibling lanes.
fn cage_of(port: &str) -> &str {
    match port.match_indices('/').nth(1) {
        Some((i, _)) => &port[..i],
        None => port,
    }
}

/// Where a short text sits in [`Sorted::text`].
#[derive(Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

/// The rows NetBox wants sorted, kept small: device names once, ports and
/// cages in one buffer, optics by index.
#[derive(Default)]
struct Sorted {
    devices: Vec<String>,
    text: String,
    optics: Vec<String>,
    optic_index: HashMap<String, u32>,
    /// (device, port, interface type).
    interfaces: Vec<(u32, Span, u8)>,
    /// (device, cage, optic): the first optic seen in a cage is its module.
    modules: Vec<(u32, Span, u32)>,
    racks: BTreeSet<(String, String)>,
    types: BTreeSet<(String, String, String)>,
}

impl Sorted {
    fn put(&mut self, s: &str) -> io::Result<Span> {
        let too_big = || io::Error::other("the NetBox export is too large to index");
        let start = u32::try_from(self.text.len()).map_err(|_| too_big())?;
        let len = u32::try_from(s.len()).map_err(|_| too_big())?;
        start.checked_add(len).ok_or_else(too_big)?;
        self.text.push_str(s);
        Ok(Span { start, len })
    }

    fn get(&self, s: Span) -> &str {
        &self.text[s.start as usize..(s.start + s.len) as usize]
    }

    fn device(&mut self, name: String) -> u32 {
        self.devices.push(name);
        (self.devices.len() - 1) as u32
    }

    fn optic(&mut self, id: &str) -> u32 {
        if let Some(&i) = self.optic_index.get(id) {
            return i;
        }
        self.optics.push(id.to_string());
        let i = (self.optics.len() - 1) as u32;
        self.optic_index.insert(id.to_string(), i);
        i
    }

    /// Each device's place in name order (equal names, equal places).
    fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.devices.len() as u32).collect();
        order.sort_by(|a, b| self.devices[*a as usize].cmp(&self.devices[*b as usize]));
        let mut rank = vec![0u32; self.devices.len()];
        let mut r = 0u32;
        for (i, &d) in order.iter().enumerate() {
            if i > 0 && self.devices[d as usize] != self.devices[order[i - 1] as usize] {
                r += 1;
            }
            rank[d as usize] = r;
        }
        rank
    }
}

/// The NetBox CSVs in memory, by file name (for tests and the fuzz harness).
pub fn netbox(
    plan_sites: &[&crate::plan::SitePlan],
    catalog: &Catalog,
    vendor: &str,
) -> Vec<(String, Vec<u8>)> {
    let out: [Vec<u8>; 11] = Default::default();
    let out = netbox_to(plan_sites, catalog, vendor, out).unwrap_or_default();
    NETBOX_FILES.iter().zip(out).map(|(n, b)| (n.to_string(), b)).collect()
}

/// Writes the CSV files for NetBox's bulk import, each to its writer in
/// `out` (in the order of [`NETBOX_FILES`]), and gives the writers back.
/// Server and hand-off links end on servers and interconnect equipment
/// NetBox does not know, so they are left out (the switch-side optic of such
/// a link is still a module on the switch).
pub fn netbox_to<W: Write>(
    plan_sites: &[&crate::plan::SitePlan],
    catalog: &Catalog,
    vendor: &str,
    out: [W; 11],
) -> io::Result<[W; 11]> {
    let mut w = out.map(csv::Writer::new);
    w[MANUFACTURERS].row(["name", "slug"])?;
    w[MANUFACTURERS].row([vendor, &slug(vendor)])?;
    w[ROLES].row(["name", "slug", "color"])?;
    for (role, color) in
        [("leaf", "4caf50"), ("border-leaf", "ff9800"), ("spine", "2196f3"), ("superspine", "9c27b0")]
    {
        w[ROLES].row([role, role, color])?;
    }
    w[SITES].row(["name", "slug", "status"])?;
    w[DEVICES].row([
        "name",
        "role",
        "manufacturer",
        "device_type",
        "status",
        "site",
        "rack",
        "position",
        "face",
    ])?;
    w[CABLES].row([
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
    ])?;
    let mut sorted = Sorted::default();
    for sp in plan_sites {
        site_rows(&mut w, &mut sorted, &sp.fabric, catalog, vendor)?;
    }
    sorted_rows(&mut w, &mut sorted, catalog, vendor)?;
    let mut done = Vec::with_capacity(w.len());
    for f in w {
        done.push(f.finish()?);
    }
    done.try_into().map_err(|_| io::Error::other("NetBox files lost"))
}

/// One site: its row in sites.csv, its devices and cables written at once,
/// its racks, types, modules and interfaces kept for the sorted files.
fn site_rows<W: Write>(
    w: &mut [csv::Writer<W>; 11],
    sorted: &mut Sorted,
    d: &crate::design::fabric::FabricDesign,
    catalog: &Catalog,
    vendor: &str,
) -> io::Result<()> {
    w[SITES].row([d.site.as_str(), &slug(&d.site), "planned"])?;
    let (placed, runs) = placement::place(d, catalog, None);
    let device = |name: &str| format!("{}-{}", d.site, name.replace('.', "-"));
    let mut ids: HashMap<&str, u32> = HashMap::with_capacity(placed.len());
    for p in &placed {
        sorted.racks.insert((d.site.clone(), p.rack.clone()));
        let part = catalog.switch(&p.switch_id).map(|s| s.part_number.clone()).unwrap_or_default();
        let ru = catalog.switch(&p.switch_id).map_or(1.0, |s| s.rack_units);
        sorted.types.insert((p.model.clone(), part, crate::units::trim_float(ru)));
        let name = device(&p.name);
        w[DEVICES].row([
            name.as_str(),
            p.role.as_str(),
            vendor,
            &p.model,
            "planned",
            &d.site,
            &p.rack,
            &p.ru.to_string(),
            "front",
        ])?;
        ids.insert(p.name.as_str(), sorted.device(name));
    }
    // Every end is a placed switch; one that is not gets a name of its own
    // (equal names sort as one, so nothing depends on it being shared).
    let id_of = |sorted: &mut Sorted, name: &str| match ids.get(name) {
        Some(&i) => i,
        None => sorted.device(device(name)),
    };
    // Per link group: its cable type and run length; per port, the module
    // of the group it belongs to.
    let media = media_by_group(d);
    let cable_types: Vec<&str> = d.links.iter().map(|g| cable_type(g, catalog)).collect();
    for r in &runs {
        let a_optic = media.get(r.a_group).map_or("", |m| m.module_a.as_str());
        let b_optic = media.get(r.b_group).map_or("", |m| m.module_b.as_str());
        let a = id_of(sorted, &r.a_device);
        if !a_optic.is_empty() {
            let (cage, optic) = (sorted.put(cage_of(&r.a_port))?, sorted.optic(a_optic));
            sorted.modules.push((a, cage, optic));
        }
        let port = sorted.put(&r.a_port)?;
        sorted.interfaces.push((a, port, interface_type(&r.a_port, r.speed_gbps)));
        if ends_off_fabric(r) {
            continue;
        }
        let b = id_of(sorted, &r.b_device);
        if !b_optic.is_empty() {
            let (cage, optic) = (sorted.put(cage_of(&r.b_port))?, sorted.optic(b_optic));
            sorted.modules.push((b, cage, optic));
        }
        let port = sorted.put(&r.b_port)?;
        sorted.interfaces.push((b, port, interface_type(&r.b_port, r.speed_gbps)));
        let run_m = media.get(r.group).map_or("", |m| m.length.as_str());
        w[CABLES].row([
            device(&r.a_device).as_str(),
            "dcim.interface",
            &r.a_port,
            &device(&r.b_device),
            "dcim.interface",
            &r.b_port,
            cable_types.get(r.group).copied().unwrap_or(""),
            "planned",
            run_m,
            "m",
        ])?;
    }
    Ok(())
}

/// The files NetBox wants sorted, from what the sites left in `sorted`.
fn sorted_rows<W: Write>(
    w: &mut [csv::Writer<W>; 11],
    sorted: &mut Sorted,
    catalog: &Catalog,
    vendor: &str,
) -> io::Result<()> {
    w[DEVICE_TYPES].row(["manufacturer", "model", "slug", "part_number", "u_height", "is_full_depth"])?;
    for (m, p, u) in &sorted.types {
        w[DEVICE_TYPES].row([vendor, m, &slug(&format!("{vendor} {m}")), p, u, "true"])?;
    }
    w[RACKS].row(["site", "name", "status", "u_height"])?;
    for (s, r) in &sorted.racks {
        w[RACKS].row([s.as_str(), r, "planned", "47"])?;
    }
    let rank = sorted.ranks();
    // One module per cage, whatever its lanes: the first optic seen in it.
    let mut modules = std::mem::take(&mut sorted.modules);
    modules.sort_by(|x, y| (rank[x.0 as usize], sorted.get(x.1)).cmp(&(rank[y.0 as usize], sorted.get(y.1))));
    modules.dedup_by(|later, first| {
        rank[later.0 as usize] == rank[first.0 as usize] && sorted.get(later.1) == sorted.get(first.1)
    });
    let optic = |id: &str| -> (String, String, String) {
        if let Some(o) = catalog.grey_optics.iter().find(|o| o.id == id) {
            return (o.model.clone(), o.part_number.clone(), o.standard.clone());
        }
        if let Some(o) = catalog.coherent_optics.iter().find(|o| o.id == id) {
            return (o.model.clone(), o.part_number.clone(), o.description.clone());
        }
        (id.to_string(), String::new(), String::new())
    };
    let described: Vec<(String, String, String)> = sorted.optics.iter().map(|id| optic(id)).collect();
    let used: BTreeSet<&(String, String, String)> =
        modules.iter().map(|m| &described[m.2 as usize]).collect();
    w[MODULE_TYPES].row(["manufacturer", "model", "part_number", "description"])?;
    for (m, p, d) in used {
        w[MODULE_TYPES].row([vendor, m, p, d])?;
    }
    w[MODULE_BAYS].row(["device", "name", "position", "description"])?;
    w[MODULES].row(["device", "module_bay", "module_type", "status"])?;
    for &(dev, cage, o) in &modules {
        let (dev, cage) = (sorted.devices[dev as usize].as_str(), sorted.get(cage));
        w[MODULE_BAYS].row([dev, cage, cage.trim_start_matches("ethernet-"), "optic cage"])?;
        w[MODULES].row([dev, cage, &described[o as usize].0, "planned"])?;
    }
    drop(modules);
    let mut interfaces = std::mem::take(&mut sorted.interfaces);
    let key = |x: &(u32, Span, u8)| (rank[x.0 as usize], sorted.get(x.1), INTERFACE_TYPES[x.2 as usize]);
    interfaces.sort_by(|x, y| key(x).cmp(&key(y)));
    interfaces.dedup_by(|x, y| key(x) == key(y));
    w[INTERFACES].row(["device", "name", "type"])?;
    for &(dev, port, ty) in &interfaces {
        w[INTERFACES].row([
            sorted.devices[dev as usize].as_str(),
            sorted.get(port),
            INTERFACE_TYPES[ty as usize],
        ])?;
    }
    Ok(())
}
