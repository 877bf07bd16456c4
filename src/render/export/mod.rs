//! Exports to the tools operators already run: a cable run list (CSV), a
//! containerlab topology of a site's fabric (SR Linux nodes) and CSV files
//! for NetBox's bulk import (`netbox.rs`).
//!
//! The cable-by-cable exports are written as they are made, to the writer
//! they are given, one site at a time: memory holds one site's placement,
//! not the whole file. [`runs_bound`] tells how many cable runs a site
//! gives before any is placed, so that the CLI can refuse an export beyond
//! [`crate::limits::MAX_EXPORT_RUNS`] up front.

mod netbox;

pub use netbox::{netbox, netbox_to, NETBOX_FILES};

use super::csv;
use crate::design::fabric::{FabricDesign, LinkGroup};
use crate::design::media::Per;
use crate::design::placement::{self, Placed, Run};
use crate::model::Catalog;
use std::io::{self, Write};

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
            &r.a_device,
            &r.a_port,
            module(r.a_group, true),
            &m.cable,
            &m.length,
            br,
            bk,
            &bu,
            &r.b_device,
            &r.b_port,
            module(r.b_group, false),
            &r.speed_gbps.to_string(),
        ])?;
    }
    Ok(())
}

/// At most how many cable runs [`placement::place`] gives for a site (with
/// `max_leaves`, the first leaves only), from the design's counts alone:
/// server links of the leaves placed, their uplinks, the uplinks of the
/// spines of the pods they use, and the hand-off links of the top tier.
/// Exact for a whole site.
pub fn runs_bound(design: &FabricDesign, max_leaves: Option<u64>) -> u64 {
    let leaves = max_leaves.map_or(design.leaf.count, |m| m.min(design.leaf.count));
    let server_links: u64 = design
        .links
        .iter()
        .filter(|g| g.class == crate::design::media::LinkClass::ServerLeaf)
        .map(|g| g.links)
        .fold(0, u64::saturating_add);
    let servers = if leaves == design.leaf.count {
        server_links
    } else {
        server_links.min(leaves.saturating_mul(design.leaf.down_links))
    };
    let leaf_spine = leaves.saturating_mul(design.leaf.up_links);
    let pods = leaves.div_ceil(design.leaves_per_pod.max(1));
    let spine_ss = match design.superspine {
        Some(_) => pods.saturating_mul(design.spines_per_pod).saturating_mul(design.spine.up_links),
        None => 0,
    };
    let handoff = design.handoff.iter().map(|h| h.links).fold(0, u64::saturating_add);
    let border = design.border_leaf.as_ref().map_or(0, |b| b.count.saturating_mul(b.up_links));
    servers.saturating_add(leaf_spine).saturating_add(spine_ss).saturating_add(handoff).saturating_add(border)
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
