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
pub use netbox::{netbox, netbox_to, NETBOX_FILES};

use crate::design::fabric::FabricDesign;
use crate::design::placement::Run;
pub(crate) use cabling::Media;

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

/// A run whose far end is not a switch of the fabric: a server, or the
/// interconnect equipment a hand-off link joins (neither is in the lab or
/// in NetBox's import).
pub(crate) fn ends_off_fabric(r: &Run) -> bool {
    r.class == "server-leaf" || r.class == "hand-off"
}
