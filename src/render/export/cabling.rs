//! The cable run list: one row per link of a site, with where both ends
//! are (row, rack, RU, device, port), the modules and the cable.

use crate::design::fabric::{FabricDesign, LinkGroup};
use crate::design::media::Per;
use crate::design::placement::{self, Placed};
use crate::model::Catalog;
use crate::render::csv;
use std::io::{self, Write};

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
const CABLING_COLUMNS: [&str; 17] = [
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

/// One row per link of a site, with where both ends are (row, rack, RU,
/// device, port), the modules and the cable.
fn cabling_rows<W: Write>(
    w: &mut csv::Writer<W>,
    design: &FabricDesign,
    catalog: &Catalog,
) -> io::Result<()> {
    let (placed, runs) = placement::place(design, catalog, None);
    let by_name: std::collections::HashMap<&str, &Placed> =
        placed.iter().map(|p| (p.name.as_str(), p)).collect();
    let find = |name: &str| by_name.get(name).copied();
    let media = media_by_group(design);
    let none =
        Media { module_a: String::new(), module_b: String::new(), cable: "-".into(), length: String::new() };
    for r in &runs {
        let m = media.get(r.group).unwrap_or(&none);
        // Each end holds the module of the group its port belongs to.
        let module = |g: usize, a_side: bool| -> &str {
            media.get(g).map_or("", |x| if a_side { x.module_a.as_str() } else { x.module_b.as_str() })
        };
        // A server has no place of its own: it stands in its leaf's rack.
        fn loc(p: Option<&Placed>) -> (&str, &str, String) {
            match p {
                Some(p) => (p.row.as_str(), p.rack.as_str(), p.ru.to_string()),
                None => ("", "", String::new()),
            }
        }
        let (ar, ak, au) = loc(find(&r.a_device));
        let b = find(&r.b_device);
        let (br, bk, bu) =
            if b.is_none() && r.class == "server-leaf" { (ar, ak, String::new()) } else { loc(b) };
        w.row([
            design.site.as_str(),
            r.class,
            ar,
            ak,
            &au,
            &placement::device_name(&design.site, &r.a_device),
            &r.a_port,
            module(r.a_group, true),
            &m.cable,
            &m.length,
            br,
            bk,
            &bu,
            &placement::device_name(&design.site, &r.b_device),
            &r.b_port,
            module(r.b_group, false),
            &r.speed_gbps.to_string(),
        ])?;
    }
    Ok(())
}
