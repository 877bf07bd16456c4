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
/// emulates, as containerlab v0.79.0 names them (the dashed names of the
/// `srlTypes` table in its nodes/srl/srl.go; the dash-less ones, `ixrd2l`,
/// are deprecated there: a warning on every node, removed after January
/// 2026).
pub const CONTAINERLAB_VERSION: &str = "0.79.0";
const SRL_TYPES: &[&str] = &[
    "ixr-d1",
    "ixr-d2",
    "ixr-d3",
    "ixr-d2l",
    "ixr-d3l",
    "ixr-d4",
    "ixr-d5",
    "ixr-h2",
    "ixr-h3",
    "ixr-h4",
    "ixr-h4-32d",
    "ixr-h5-32d",
    "ixr-h5-64d",
    "ixr-h5-64o",
    "ixr-h6",
    "ixr-6",
    "ixr-6e",
    "ixr-10",
    "ixr-10e",
    "ixr-18e",
    "ixr-x1b",
    "ixr-x3b",
    "ixr-x4",
    "ixr-x4-d",
];

/// The SR Linux image a lab runs unless `--image` says otherwise: a pinned
/// release (containerlab's own lab examples at v0.79.0 use 25.3.x), never
/// an untagged `latest` that changes under the lab.
pub const SRLINUX_IMAGE: &str = "ghcr.io/nokia/srlinux:25.3.2";

/// SR Linux node type of a Nokia 7220/7250 IXR catalog id (`ixr-d2l`,
/// `IXR-H5-64D` → `ixr-h5-64d`), if containerlab knows that type.
pub fn srl_type(switch_id: &str) -> Option<String> {
    let id = switch_id.to_ascii_lowercase();
    SRL_TYPES.contains(&id.as_str()).then_some(id)
}

/// The management subnet for `nodes` lab nodes: containerlab's default
/// network (172.20.20.0/24) holds 253; a bigger lab gets the smallest
/// aligned block of 172.20.0.0/16 that does (network, gateway and
/// broadcast addresses left out).
fn mgmt_subnet(nodes: u64) -> Result<String, String> {
    let prefix = (16..=24).rev().find(|&p| (1u64 << (32 - p)) - 3 >= nodes);
    match prefix {
        Some(24) => Ok("172.20.20.0/24".into()),
        Some(p) => Ok(format!("172.20.0.0/{p}")),
        None => Err(format!(
            "{nodes} lab nodes do not fit one management network (at most 65,533): lower --max-leaves"
        )),
    }
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
    image: &str,
) -> Result<String, String> {
    let (placed, runs) = placement::place(design, catalog, max_leaves);
    let name =
        design.site.to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "-");
    let mut out = format!(
        "# containerlab topology of the `{}` fabric, generated by dcplan{} for containerlab {CONTAINERLAB_VERSION}.\n# Deploy: containerlab deploy -t <this file>\nname: dcplan-{name}\nmgmt:\n  network: dcplan-{name}\n  ipv4-subnet: {}\ntopology:\n  kinds:\n    nokia_srlinux:\n      image: {image}\n  nodes:\n",
        design.site,
        max_leaves.map(|m| format!(" (first {m} leaves)")).unwrap_or_default(),
        mgmt_subnet(placed.len() as u64)?,
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
        assert_eq!(srl_type("ixr-d2l").as_deref(), Some("ixr-d2l"));
        assert_eq!(srl_type("ixr-h4").as_deref(), Some("ixr-h4"));
        assert_eq!(srl_type("IXR-H5-64D").as_deref(), Some("ixr-h5-64d"));
        assert_eq!(srl_type("ixr-x1b").as_deref(), Some("ixr-x1b"));
        assert_eq!(srl_type("wb-th4-64x400g"), None);
        assert_eq!(srl_type("ixr-q9"), None, "not a type containerlab knows");
        assert_eq!(clab_port("ethernet-1/49"), "e1-49");
        assert_eq!(clab_port("ethernet-1/12/3"), "e1-12-3");
    }

    #[test]
    fn the_management_network_holds_every_node() {
        assert_eq!(mgmt_subnet(1).unwrap(), "172.20.20.0/24");
        assert_eq!(mgmt_subnet(253).unwrap(), "172.20.20.0/24");
        assert_eq!(mgmt_subnet(254).unwrap(), "172.20.0.0/23");
        assert_eq!(mgmt_subnet(596).unwrap(), "172.20.0.0/22");
        assert_eq!(mgmt_subnet(65_533).unwrap(), "172.20.0.0/16");
        assert!(mgmt_subnet(65_534).is_err());
    }
}
