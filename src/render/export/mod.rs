//! Exports to the tools operators already run: a cable run list (CSV), a
//! containerlab topology of a site's fabric (SR Linux nodes) and CSV files
//! for NetBox's bulk import (`netbox.rs`).
//!
//! The cable-by-cable exports are written as they are made, to the writer
//! they are given, one site at a time: memory holds one site's placement,
//! not the whole file. [`runs_bound`] tells how many cable runs a site
//! gives before any is placed, so that the CLI can refuse an export beyond
//! [`crate::limits::MAX_EXPORT_RUNS`] up front.

mod cabling;
mod containerlab;
mod netbox;

pub use cabling::{cabling_csv, cabling_to};
pub use containerlab::{containerlab, srl_type, CONTAINERLAB_VERSION, SRLINUX_IMAGE};
pub use netbox::{netbox, netbox_to, DeviceTypes, NETBOX_FILES};

use crate::design::fabric::FabricDesign;
use crate::design::placement::Run;
pub(crate) use cabling::Media;

/// At most how many cable runs [`placement::place`] gives for a site (with
/// `max_leaves`, the lab of [`placement::LabScope`]), from the design's
/// counts alone: server links of the leaves placed, their uplinks, the
/// uplinks of the spines of the pods they use to the superspines kept, and
/// the hand-off and border links of the whole site. Exact for a whole site.
pub fn runs_bound(design: &FabricDesign, max_leaves: Option<u64>) -> u64 {
    let lab = crate::design::placement::lab_scope(design, max_leaves);
    let leaves = lab.leaves;
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
    let spine_up = lab.superspines_per_plane.saturating_mul(design.spine.links_per_peer_up.max(1));
    let spine_ss = match design.superspine {
        Some(_) => {
            lab.pods.saturating_mul(design.spines_per_pod).saturating_mul(design.spine.up_links.min(spine_up))
        }
        None => 0,
    };
    // A hand-off's runs, or the line runs of its coherent pluggables alike.
    let handoff = design.handoff.iter().map(|h| h.links).fold(0, u64::saturating_add);
    let border = design.border_leaf.as_ref().map_or(0, |b| b.count.saturating_mul(b.up_links));
    servers.saturating_add(leaf_spine).saturating_add(spine_ss).saturating_add(handoff).saturating_add(border)
}

/// A run whose far end is not a switch of the fabric: a server, the
/// interconnect equipment a hand-off link joins, or the DWDM line system
/// a coherent pluggable's line side joins (none is in the lab or in
/// NetBox's import).
pub(crate) fn ends_off_fabric(r: &Run) -> bool {
    r.class == "server-leaf" || r.class == "hand-off" || r.class == crate::design::placement::COHERENT_LINE
}
