//! The cable run list a technician works from: one row per physical piece
//! (a cable, a patch cord, a trunk leg), each with its own label, colour,
//! part number and length, and where both of its ends are: row, rack, RU,
//! device and port, or the patch-panel port or cassette it lands on.
//!
//! - A piece's label is its cable's NetBox label (`<site>-c00001`, the same
//!   numbering as `netbox/cables.rs`: a broken-out port's cable is one
//!   cable) with `.N` for each piece of a cable made of several; cables
//!   NetBox is not given are numbered `-s` (to servers) and `-h` (hand-off
//!   to the interconnect). A trunk is labelled `-t` on its own: it is
//!   shared by many cables.
//! - Pieces follow the media the BOM orders (`design::media::fibre_path`):
//!   a direct cord is one piece; a broken-out port's multi-fibre cord runs
//!   to a breakout cassette at the far end (`<rack>-cas<N>`, rear `mpo`,
//!   front ports by lane) and a duplex cord per lane runs on from it; a
//!   structured run is a cord into a patch panel in each rack
//!   (`<rack>-pp<N>`, 48 front ports each) and a trunk between them.
//! - Trunks are cut as the BOM counts them: per upper switch, its links of
//!   a group in order, as many a trunk as its fibres carry; a trunk whose
//!   links reach switches in several racks has a leg (a row) per rack.
//! - Panels and cassettes get no RU: dcplan does not lay out the racks'
//!   cable-management space.

mod pieces;

use super::netbox::cables as netbox_cables;
use super::netbox::{cable_type, cage_of};
use crate::design::fabric::{FabricDesign, LinkGroup};
use crate::design::media::Per;
use crate::design::placement::{self, Run};
use crate::model::{Cable, Catalog};
use crate::render::csv;
use pieces::{cage_links, shape_of, write_run, Numbers, Shape};
use std::collections::HashMap;
use std::io::{self, Write};
use std::rc::Rc;

/// What a link group's runs are made of.
pub(crate) struct Media {
    /// The optic at each end (empty for a cable).
    pub module_a: String,
    pub module_b: String,
    /// The cable or fibre pieces, joined by `+`, and the longest piece's length.
    pub cable: String,
    pub length: String,
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
pub(crate) fn media_by_group(design: &FabricDesign) -> Vec<Media> {
    design.links.iter().map(media_of).collect()
}

/// The cable run list's columns.
const CABLING_COLUMNS: [&str; 29] = [
    "site",
    "label",
    "cable",
    "piece",
    "class",
    "speed_gbps",
    "colour",
    "item",
    "part_number",
    "length_m",
    "links",
    "a_row",
    "a_rack",
    "a_ru",
    "a_device",
    "a_port",
    "a_module",
    "a_module_part",
    "b_row",
    "b_rack",
    "b_ru",
    "b_device",
    "b_port",
    "b_module",
    "b_module_part",
    "a_end_label",
    "b_end_label",
    "estimated",
    "note",
];

/// The cable run list of a site as CSV (one header row).
pub fn cabling_csv(design: &FabricDesign, catalog: &Catalog) -> Vec<u8> {
    csv::to_bytes(|w| {
        w.row(CABLING_COLUMNS)?;
        cabling_rows(w, design, catalog)
    })
    .unwrap_or_default()
}

/// The cable run list of some sites as CSV, one header for the whole file,
/// written to `out` site by site.
pub fn cabling_to<W: Write>(out: W, designs: &[&FabricDesign], catalog: &Catalog) -> io::Result<W> {
    let mut w = csv::Writer::new(out);
    w.row(CABLING_COLUMNS)?;
    for d in designs {
        cabling_rows(&mut w, d, catalog)?;
    }
    w.finish()
}

/// One end of a piece. Texts a site repeats on many rows are shared.
#[derive(Clone, Default)]
struct Spot {
    row: Rc<str>,
    rack: Rc<str>,
    ru: Rc<str>,
    device: Rc<str>,
    port: String,
    /// The module in the port (a device's port only): its catalog id, its
    /// part number, and whether that part number is an estimate.
    module_id: Rc<str>,
    module: Rc<str>,
    module_estimated: bool,
}

/// The jacket colour of a cable, by the colours NetBox is given
/// (TIA-598-C: OS2 yellow, OM3/OM4 aqua; copper black).
fn colour_name(cable_type: &str) -> &'static str {
    match netbox_cables::colour(cable_type) {
        "ffeb3b" => "yellow",
        "00ffff" => "aqua",
        "000000" => "black",
        _ => "",
    }
}

/// What the list says of a catalog item: the cable it is (if one), its
/// part number, whether the part number is an estimate.
#[derive(Clone, Copy)]
struct ItemInfo<'c> {
    cable: Option<&'c Cable>,
    part_number: &'c str,
    estimated: bool,
}

fn item_info<'c>(catalog: &'c Catalog, id: &str) -> ItemInfo<'c> {
    let item = catalog.item(id);
    ItemInfo {
        cable: catalog.cables.iter().find(|c| c.id == id),
        part_number: item.map_or("", |i| i.part_number()),
        estimated: item.is_some_and(|i| i.estimates().contains_key("part_number")),
    }
}

/// Everything a site's rows are written from.
struct SiteCtx<'a> {
    design: &'a FabricDesign,
    media: Vec<Media>,
    shapes: Vec<Shape>,
    types: Vec<&'static str>,
    leaf_ru: f64,
    /// (device name, cage) of every broken-out cage → its links.
    cage_links: HashMap<(String, String), u64>,
    site_slug: String,
    /// The site's cable labels before their number.
    label_prefix: String,
    /// Each placed switch's place and name, made once.
    spots: HashMap<&'a str, Spot>,
    /// Each module's catalog id, part number and whether that is an estimate.
    modules: HashMap<&'a str, (Rc<str>, Rc<str>, bool)>,
    /// Every item the site's media use, looked up once.
    items: HashMap<&'a str, ItemInfo<'a>>,
}

impl SiteCtx<'_> {
    fn info(&self, id: &str) -> ItemInfo<'_> {
        self.items.get(id).copied().unwrap_or(ItemInfo { cable: None, part_number: "", estimated: false })
    }

    /// Where a run's device port is.
    fn spot(&self, r: &Run, a_side: bool) -> Spot {
        let (device, port, group) =
            if a_side { (&r.a_device, &r.a_port, r.a_group) } else { (&r.b_device, &r.b_port, r.b_group) };
        let module = match (&r.a_module, a_side) {
            (Some(m), true) => m.as_str(),
            _ => self.media.get(group).map_or("", |m| if a_side { &m.module_a } else { &m.module_b }),
        };
        let (module_id, module, module_estimated) = self.modules.get(module).cloned().unwrap_or_default();
        let with_module = |at: &Spot| Spot {
            port: port.clone(),
            module_id: module_id.clone(),
            module: module.clone(),
            module_estimated,
            ..at.clone()
        };
        if let Some(at) = self.spots.get(device.as_str()) {
            return with_module(at);
        }
        // A server stands in its leaf's rack; the interconnect's equipment
        // and line systems are not placed.
        let mut at = match (r.class == "server-leaf", self.spots.get(r.a_device.as_str())) {
            (true, Some(leaf)) => Spot {
                ru: placement::server_ru(self.design, self.leaf_ru, device)
                    .map_or_else(|| "".into(), |u| u.to_string().into()),
                ..leaf.clone()
            },
            _ => Spot::default(),
        };
        at.device = placement::device_name_in(&self.site_slug, device).into();
        with_module(&at)
    }
}

/// One row: a piece between two spots.
struct Row<'r> {
    label: &'r str,
    cable: &'r str,
    piece: &'r str,
    run: &'r Run,
    part: usize,
    group: usize,
    a: &'r Spot,
    b: &'r Spot,
    /// Links of the plan the piece carries (none said for a trunk leg).
    links: Option<u64>,
    note: &'r str,
}

fn write_row<W: Write>(w: &mut csv::Writer<W>, ctx: &SiteCtx<'_>, row: Row<'_>) -> io::Result<()> {
    let part = ctx.design.links.get(row.group).and_then(|g| g.media.parts.get(row.part));
    let item = part.map_or("", |p| p.item.as_str());
    let info = ctx.info(item);
    let kind = info
        .cable
        .map_or(ctx.types.get(row.group).copied().unwrap_or(""), |c| super::netbox::cable_type_of(c));
    let length = part.and_then(|p| p.length_m).map(|l| crate::units::trim_float(l.0)).unwrap_or_default();
    let end_label = |far: &Spot| format!("{} to {} {}", row.label, far.device, far.port);
    let estimated: Vec<&str> = [
        (info.estimated, "part_number"),
        (row.a.module_estimated, "a_module"),
        (row.b.module_estimated, "b_module"),
    ]
    .into_iter()
    .filter_map(|(e, what)| e.then_some(what))
    .collect();
    w.row([
        ctx.design.site.as_str(),
        row.label,
        row.cable,
        row.piece,
        row.run.class,
        &row.run.speed_gbps.to_string(),
        colour_name(kind),
        item,
        info.part_number,
        &length,
        &row.links.map(|l| l.to_string()).unwrap_or_default(),
        &row.a.row,
        &row.a.rack,
        &row.a.ru,
        &row.a.device,
        &row.a.port,
        &row.a.module_id,
        &row.a.module,
        &row.b.row,
        &row.b.rack,
        &row.b.ru,
        &row.b.device,
        &row.b.port,
        &row.b.module_id,
        &row.b.module,
        &end_label(row.b),
        &end_label(row.a),
        &estimated.join(" "),
        row.note,
    ])
}

/// Writes a site's rows, run by run.
fn cabling_rows<W: Write>(
    w: &mut csv::Writer<W>,
    design: &FabricDesign,
    catalog: &Catalog,
) -> io::Result<()> {
    let (placed, runs) = placement::place(design, catalog, None);
    let site_slug = crate::text::slug(&design.site);
    // The items of the link groups' media, and the coherent pluggables of
    // the hand-off that the switches' ports hold themselves.
    let pluggables = design.handoff.iter().filter_map(|h| h.pluggable.as_deref());
    let items: HashMap<&str, ItemInfo<'_>> = design
        .links
        .iter()
        .flat_map(|g| g.media.parts.iter())
        .map(|p| p.item.as_str())
        .chain(pluggables)
        .map(|id| (id, item_info(catalog, id)))
        .collect();
    let spots = placed
        .iter()
        .map(|p| {
            let spot = Spot {
                row: p.row.as_str().into(),
                rack: p.rack.as_str().into(),
                ru: p.ru.to_string().into(),
                device: placement::device_name_in(&site_slug, &p.name).into(),
                ..Spot::default()
            };
            (p.name.as_str(), spot)
        })
        .collect();
    let modules =
        items.iter().map(|(id, i)| (*id, (Rc::from(*id), Rc::from(i.part_number), i.estimated))).collect();
    let ctx = SiteCtx {
        design,
        spots,
        modules,
        media: media_by_group(design),
        shapes: design.links.iter().map(shape_of).collect(),
        types: design.links.iter().map(|g| cable_type(g, catalog)).collect(),
        leaf_ru: catalog.switch(&design.leaf.switch_id).map_or(1.0, |s| s.rack_units),
        cage_links: cage_links(design, &runs),
        site_slug,
        label_prefix: netbox_cables::label_prefix(&design.site),
        items,
    };
    let (_, of_run) = netbox_cables::cables(&runs);
    let mut n = Numbers::default();
    for (r, cable) in runs.iter().zip(of_run) {
        let label = match cable {
            Some(c) => netbox_cables::label(&ctx.label_prefix, 'c', c),
            None => {
                let series = match r.class {
                    "server-leaf" => 's',
                    placement::COHERENT_LINE => 'z',
                    _ => 'h',
                };
                n.off_label(&ctx.label_prefix, series, &r.a_device, &r.a_port)
            }
        };
        write_run(w, &ctx, &mut n, r, &label)?;
    }
    Ok(())
}
