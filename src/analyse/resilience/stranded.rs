//! Servers stranded by a failure: servers with no path left to the rest of
//! their site, its other servers and its border, both of which they reach
//! through the fabric's top tier (superspines in three tiers, spines in two:
//! where the border attaches).
//!
//! The site's graph has a node per server group: the servers of a rack that
//! sit on the same leaves (`design::servers`), so a single-homed rack with
//! several leaves has a group per leaf and a leaf's loss cuts off its own
//! servers only. After a failure the surviving bundles (capacity above 0)
//! split the graph into connected components. The site's *main fabric* is
//! the component that holds a top-tier switch and the most servers (on a
//! tie, which strands as many either way, the one with the group first in
//! rack order). A group is stranded when it is not on the main fabric: a
//! single-homed group whose leaf failed, the racks of a pod that lost all
//! its spines (each left alone with its leaves), a pod whose spines lost
//! every superspine, or the smaller side when the top tier itself is split.
//! With no top-tier switch left every group is stranded. Only groups on the
//! main fabric of the intact site count, so a failure is charged only with
//! what it cuts off.
//!
//! One union-find pass over the site's bundles per evaluation: no max-flow.

use crate::analyse::capacity::CapacityFn;
use crate::topology::{NodeId, NodeKind, Topology};

/// The server groups of one site and which of them the intact site connects.
pub(super) struct ServerGroups {
    /// Each server group and how many servers it holds, in rack order.
    groups: Vec<(NodeId, u64)>,
    /// The switches of the top tier.
    top: Vec<NodeId>,
    /// Whether each group is on the main fabric when nothing has failed.
    intact: Vec<bool>,
    /// Servers of the site.
    pub(super) servers: u64,
}

impl ServerGroups {
    pub(super) fn of(t: &Topology) -> ServerGroups {
        let groups: Vec<(NodeId, u64)> = t
            .nodes()
            .filter(|(_, n)| n.kind == NodeKind::Servers)
            .map(|(id, n)| (id, n.servers.unwrap_or(0)))
            .collect();
        let tier = t.nodes().map(|(_, n)| n.kind).filter(|k| *k != NodeKind::Servers).max();
        let top = t.nodes().filter(|(_, n)| Some(n.kind) == tier).map(|(id, _)| id).collect();
        let mut site = ServerGroups { groups, top, intact: Vec::new(), servers: 0 };
        site.intact = site.on_main_fabric(t, &|_, _, b| b.capacity_gbps());
        site.servers = site.groups.iter().map(|r| r.1).sum();
        site
    }

    /// Servers the failure described by `capacity` strands.
    pub(super) fn stranded(&self, t: &Topology, capacity: &CapacityFn<'_>) -> u64 {
        let now = self.on_main_fabric(t, capacity);
        self.groups
            .iter()
            .zip(self.intact.iter().zip(&now))
            .filter(|(_, (was, is))| **was && !**is)
            .map(|((_, servers), _)| servers)
            .sum()
    }

    /// Whether each group is on the main fabric of the graph left by `capacity`.
    fn on_main_fabric(&self, t: &Topology, capacity: &CapacityFn<'_>) -> Vec<bool> {
        let n = t.node_bound();
        let mut sets = UnionFind::new(n);
        for (a, b, bundle) in t.bundles() {
            if capacity(a, b, bundle) > 0 {
                sets.union(a.index(), b.index());
            }
        }
        // Per component (by root): servers, its first group, and whether it
        // holds a top-tier switch.
        let mut servers = vec![0u64; n];
        let mut first = vec![usize::MAX; n];
        let roots: Vec<usize> = self.groups.iter().map(|(id, _)| sets.find(id.index())).collect();
        for (i, (&root, &(_, s))) in roots.iter().zip(&self.groups).enumerate() {
            servers[root] += s;
            first[root] = first[root].min(i);
        }
        let mut top = vec![false; n];
        for id in &self.top {
            top[sets.find(id.index())] = true;
        }
        let main = roots
            .iter()
            .copied()
            .filter(|&r| top[r])
            .max_by(|&x, &y| servers[x].cmp(&servers[y]).then(first[y].cmp(&first[x])));
        roots.iter().map(|&r| Some(r) == main).collect()
    }
}

/// Disjoint sets over `0..n` (union by size, path halving).
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind { parent: (0..n).collect(), size: vec![1; n] }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::media::LinkClass;
    use crate::topology::{Bundle, Node};
    use crate::units::Gbps;
    use NodeKind::{Leaf, Servers, Spine, Superspine};

    /// A site from `(name, kind, servers)` nodes and single links.
    fn site(nodes: &[(&str, NodeKind, u64)], links: &[(&str, &str)]) -> Topology {
        let mut t = Topology::default();
        for &(id, kind, servers) in nodes {
            let servers = (kind == Servers).then_some(servers);
            t.add_node(Node { id: id.into(), kind, site: "s".into(), group: None, servers, model: None });
        }
        for (a, b) in links {
            let (a, b) = (t.find(a).unwrap(), t.find(b).unwrap());
            t.add_bundle(
                a,
                b,
                Bundle { count: 1, gbps: Gbps(100), class: LinkClass::LeafSpine, length_km: 0.0 },
            );
        }
        t
    }

    /// Capacity with the named switches failed.
    fn without<'a>(
        t: &'a Topology,
        failed: &'a [&str],
    ) -> impl Fn(NodeId, NodeId, &Bundle) -> u64 + Sync + 'a {
        let ids: Vec<NodeId> = failed.iter().map(|f| t.find(f).unwrap()).collect();
        move |a, b, bundle| if ids.contains(&a) || ids.contains(&b) { 0 } else { bundle.capacity_gbps() }
    }

    /// Two pods of two single-homed racks (pod 1: 30 and 10 servers, pod 2:
    /// 20 and `last`), two spines per pod, two planes of one superspine
    /// each (the first spine of every pod in plane 0, the second in plane 1).
    fn two_pods(last: u64) -> Topology {
        let mut nodes =
            vec![("r0", Servers, 30), ("r1", Servers, 10), ("r2", Servers, 20), ("r3", Servers, last)];
        nodes.extend(["l0", "l1", "l2", "l3"].map(|l| (l, Leaf, 0)));
        nodes.extend(["s0", "s1", "s2", "s3"].map(|s| (s, Spine, 0)));
        nodes.extend(["ss0", "ss1"].map(|s| (s, Superspine, 0)));
        let mut links = vec![("r0", "l0"), ("r1", "l1"), ("r2", "l2"), ("r3", "l3")];
        links.extend([("l0", "s0"), ("l0", "s1"), ("l1", "s0"), ("l1", "s1")]);
        links.extend([("l2", "s2"), ("l2", "s3"), ("l3", "s2"), ("l3", "s3")]);
        links.extend([("s0", "ss0"), ("s2", "ss0"), ("s1", "ss1"), ("s3", "ss1")]);
        site(&nodes, &links)
    }

    #[test]
    fn what_each_failure_strands_by_hand() {
        let t = two_pods(25);
        let racks = ServerGroups::of(&t);
        assert_eq!(racks.servers, 85);
        let stranded = |failed: &[&str]| racks.stranded(&t, &without(&t, failed));
        assert_eq!(stranded(&[]), 0);
        // A single-homed rack's leaf: that rack.
        assert_eq!(stranded(&["l1"]), 10);
        // One spine of a pod: nothing; both: the pod's racks.
        assert_eq!(stranded(&["s0"]), 0);
        assert_eq!(stranded(&["s0", "s1"]), 40);
        assert_eq!(stranded(&["s2", "s3"]), 45);
        // One superspine: nothing; both: no top tier left, every rack.
        assert_eq!(stranded(&["ss0"]), 0);
        assert_eq!(stranded(&["ss0", "ss1"]), 85);
        // Pod 1's plane-1 spine and the plane-0 superspine: pod 1 keeps
        // its spines' links to each other but reaches no superspine.
        assert_eq!(stranded(&["s1", "ss0"]), 40);
        // The top tier split: pod 1 on ss0, pod 2 on ss1; pod 2 is larger.
        assert_eq!(stranded(&["s1", "s2"]), 40);
        // Unless pod 2 also loses a rack.
        assert_eq!(stranded(&["s1", "s2", "l3"]), 20 + 25);
    }

    #[test]
    fn a_two_tier_site_without_its_spines_strands_every_rack() {
        let t = site(
            &[("r0", Servers, 20), ("r1", Servers, 20), ("l0", Leaf, 0), ("l1", Leaf, 0), ("s", Spine, 0)],
            &[("r0", "l0"), ("r1", "l1"), ("l0", "s"), ("l1", "s")],
        );
        let racks = ServerGroups::of(&t);
        assert_eq!(racks.stranded(&t, &without(&t, &["s"])), 40);
        // A leaf: its rack only; the other still reaches the spine.
        assert_eq!(racks.stranded(&t, &without(&t, &["l0"])), 20);
    }

    #[test]
    fn a_one_rack_site_is_stranded_without_a_path_to_its_spines() {
        let t = site(
            &[("r0", Servers, 40), ("l0", Leaf, 0), ("l1", Leaf, 0), ("s", Spine, 0)],
            &[("r0", "l0"), ("r0", "l1"), ("l0", "s"), ("l1", "s")],
        );
        let racks = ServerGroups::of(&t);
        let stranded = |failed: &[&str]| racks.stranded(&t, &without(&t, failed));
        assert_eq!(stranded(&[]), 0);
        assert_eq!(stranded(&["l0"]), 0);
        assert_eq!(stranded(&["l0", "l1"]), 40);
        assert_eq!(stranded(&["s"]), 40);
    }

    #[test]
    fn a_single_homed_rack_on_two_leaves_loses_one_leafs_servers() {
        // One rack as two groups of 8, each on its own leaf, and a second rack.
        let t = site(
            &[
                ("r0/s0-7", Servers, 8),
                ("r0/s8-15", Servers, 8),
                ("r1", Servers, 16),
                ("l0", Leaf, 0),
                ("l1", Leaf, 0),
                ("l2", Leaf, 0),
                ("s", Spine, 0),
            ],
            &[("r0/s0-7", "l0"), ("r0/s8-15", "l1"), ("r1", "l2"), ("l0", "s"), ("l1", "s"), ("l2", "s")],
        );
        let groups = ServerGroups::of(&t);
        assert_eq!(groups.stranded(&t, &without(&t, &["l0"])), 8);
        assert_eq!(groups.stranded(&t, &without(&t, &["l1"])), 8);
        assert_eq!(groups.stranded(&t, &without(&t, &["l0", "l1"])), 16);
    }

    #[test]
    fn a_rack_the_intact_site_leaves_out_is_never_charged() {
        // r1 has no link at all: stranded before anything fails.
        let t = site(
            &[
                ("r0", Servers, 20),
                ("r1", Servers, 20),
                ("r2", Servers, 20),
                ("l0", Leaf, 0),
                ("l2", Leaf, 0),
                ("s", Spine, 0),
            ],
            &[("r0", "l0"), ("r2", "l2"), ("l0", "s"), ("l2", "s")],
        );
        let racks = ServerGroups::of(&t);
        assert_eq!(racks.stranded(&t, &without(&t, &[])), 0);
        assert_eq!(racks.stranded(&t, &without(&t, &["l2"])), 20);
        assert_eq!(racks.stranded(&t, &without(&t, &["s"])), 40);
    }
}
