//! What a lab keeps of a site: the rule of `export --max-leaves N`
//! ([`LabScope`]), which placement follows and `render::export::runs_bound`
//! counts with.

use super::fabric::FabricDesign;

/// What a lab of the first `max_leaves` leaves keeps of a site (the rule
/// `export --max-leaves N` follows; `None`, or N at least the site's
/// leaves, keeps the whole site):
///
/// - the first N leaves, and the pods they stand in: `ceil(N / leaves per
///   pod)`, with every spine of those pods (a leaf joins every spine of its
///   pod);
/// - in each spine plane, the superspines those spines' uplinks need at the
///   design's ratio of uplinks to down links: a spine of the fullest lab
///   pod (k = min(N, leaves per pod) leaves) needs `u = ceil(spine uplinks
///   × k / leaves per pod)` uplinks, so the plane keeps `ceil(u / links per
///   pair)` superspines, at least 1 and at most the design's; each lab spine
///   keeps the design's links to every lab superspine of its plane, on the
///   same ports as in the whole site;
/// - border leaves, each with its uplinks to the top switches kept (all of
///   them, as each joins every top switch), and the hand-off runs of the
///   top switches and border leaves kept.
///
/// Every switch kept has a link, and every port keeps the name it has in
/// the whole site, so a lab's endpoints are the cable list's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabScope {
    pub leaves: u64,
    pub pods: u64,
    pub superspines_per_plane: u64,
}

/// The switches a lab of `max_leaves` leaves keeps ([`LabScope`]).
pub fn lab_scope(design: &FabricDesign, max_leaves: Option<u64>) -> LabScope {
    let all = design.leaf.count;
    let leaves = max_leaves.map_or(all, |m| m.min(all));
    let per_pod = design.leaves_per_pod.max(1);
    let pods = leaves.div_ceil(per_pod);
    let planes_full = design.superspines_per_plane;
    let superspines_per_plane = if leaves == all {
        planes_full
    } else if pods == 0 || design.superspine.is_none() {
        0
    } else {
        let fullest = u128::from(leaves.min(per_pod));
        let needed = (u128::from(design.spine.up_links) * fullest).div_ceil(u128::from(per_pod));
        let per_pair = u128::from(design.spine.links_per_peer_up.max(1));
        let keep = u64::try_from(needed.div_ceil(per_pair)).unwrap_or(u64::MAX);
        keep.clamp(1, planes_full.max(1)).min(planes_full)
    };
    LabScope { leaves, pods, superspines_per_plane }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{self, Source};

    /// The example's design (two tiers) given a superspine tier of
    /// `per_plane` superspines per plane, `spine_up` uplinks a spine with
    /// `per_pair` links to each, and `leaves` leaves in pods of `per_pod`.
    fn design(leaves: u64, per_pod: u64, spine_up: u64, per_pair: u64, per_plane: u64) -> FabricDesign {
        let catalog = load::load_catalog(&Source::embedded_catalog()).expect("embedded catalog").value;
        let text = include_str!("../../scenarios/example.yaml").to_string();
        let scenario =
            load::load_scenario(&Source::new("example.yaml", text), &catalog).expect("example").value;
        let plan = crate::plan::plan(&catalog, &scenario).expect("the example plans");
        let mut d = plan.sites[0].fabric.clone();
        d.superspine = Some(d.spine.clone());
        d.leaf.count = leaves;
        d.leaves_per_pod = per_pod;
        d.spine.up_links = spine_up;
        d.spine.links_per_peer_up = per_pair;
        d.superspines_per_plane = per_plane;
        d
    }

    #[test]
    fn a_lab_keeps_what_its_leaves_need() {
        // (leaves, per pod, spine uplinks, links per pair, superspines per
        // plane), --max-leaves, then (leaves, pods, superspines per plane).
        let cases = [
            // bj-changping: 4 of 15 leaves need 16 of 60 uplinks, 2 superspines of 12 links.
            ((250, 15, 60, 12, 5), Some(4), (4, 1, 2)),
            ((250, 15, 60, 12, 5), Some(1), (1, 1, 1)),
            ((250, 15, 60, 12, 5), Some(15), (15, 1, 5)),
            ((250, 15, 60, 12, 5), Some(16), (16, 2, 5)),
            ((250, 15, 60, 12, 5), Some(250), (250, 17, 5)),
            ((250, 15, 60, 12, 5), Some(9999), (250, 17, 5)),
            ((250, 15, 60, 12, 5), None, (250, 17, 5)),
            ((250, 15, 60, 12, 5), Some(0), (0, 0, 0)),
            // One link to each superspine: as many superspines as uplinks needed.
            ((64, 32, 16, 1, 16), Some(5), (5, 1, 3)),
            // A partial last pod of a whole site still keeps every superspine.
            ((10, 32, 16, 1, 16), Some(10), (10, 1, 16)),
        ];
        for ((leaves, per_pod, up, pair, plane), max, (l, p, s)) in cases {
            let got = lab_scope(&design(leaves, per_pod, up, pair, plane), max);
            assert_eq!(
                got,
                LabScope { leaves: l, pods: p, superspines_per_plane: s },
                "{leaves}/{per_pod} {max:?}"
            );
        }
        // Two tiers: no superspine to keep.
        let mut two = design(100, 100, 0, 0, 0);
        two.superspine = None;
        assert_eq!(lab_scope(&two, Some(4)), LabScope { leaves: 4, pods: 1, superspines_per_plane: 0 });
    }
}
