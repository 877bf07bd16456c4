//! Capacity on the graph: maximum flow between groups of nodes (Dinic's
//! algorithm), and the bisection bandwidth of a site.
//!
//! Links are full duplex: a bundle of `c` Gb/s carries `c` in each direction
//! at once, so each bundle becomes a pair of arcs of capacity `c` that are
//! each other's residual (the standard undirected max-flow construction).

use crate::topology::{NodeId, NodeKind, Topology};

/// A flow network in compressed arrays, built once per query set.
struct Network {
    /// First arc of each node (index into `next`/`to`/`cap`), or `usize::MAX`.
    head: Vec<usize>,
    next: Vec<usize>,
    to: Vec<usize>,
    cap: Vec<u64>,
}

const NONE: usize = usize::MAX;

impl Network {
    fn new(nodes: usize) -> Self {
        Network { head: vec![NONE; nodes], next: Vec::new(), to: Vec::new(), cap: Vec::new() }
    }

    /// Adds `a → b` with capacity `forward` and `b → a` with `backward`.
    fn add(&mut self, a: usize, b: usize, forward: u64, backward: u64) {
        for (from, to, cap) in [(a, b, forward), (b, a, backward)] {
            self.to.push(to);
            self.cap.push(cap);
            self.next.push(self.head[from]);
            self.head[from] = self.to.len() - 1;
        }
    }

    /// Dinic's maximum flow from `s` to `t`.
    fn max_flow(&mut self, s: usize, t: usize) -> u64 {
        let n = self.head.len();
        let mut total = 0u64;
        let mut level = vec![0u32; n];
        let mut queue = Vec::with_capacity(n);
        let mut current = vec![NONE; n];
        loop {
            // Breadth-first levels on the residual graph.
            level.iter_mut().for_each(|l| *l = u32::MAX);
            level[s] = 0;
            queue.clear();
            queue.push(s);
            let mut qi = 0;
            while qi < queue.len() {
                let v = queue[qi];
                qi += 1;
                let mut e = self.head[v];
                while e != NONE {
                    let w = self.to[e];
                    if self.cap[e] > 0 && level[w] == u32::MAX {
                        level[w] = level[v] + 1;
                        queue.push(w);
                    }
                    e = self.next[e];
                }
            }
            if level[t] == u32::MAX {
                return total;
            }
            current.copy_from_slice(&self.head);
            // Blocking flow by iterative depth-first search with current arcs.
            loop {
                let pushed = self.augment(s, t, &level, &mut current);
                if pushed == 0 {
                    break;
                }
                total += pushed;
            }
        }
    }

    /// One augmenting path along increasing levels; returns the flow pushed.
    fn augment(&mut self, s: usize, t: usize, level: &[u32], current: &mut [usize]) -> u64 {
        let mut path: Vec<usize> = Vec::new(); // arcs
        let mut v = s;
        loop {
            if v == t {
                let pushed = path.iter().map(|&e| self.cap[e]).min().unwrap_or(0);
                for &e in &path {
                    self.cap[e] -= pushed;
                    self.cap[e ^ 1] += pushed;
                }
                return pushed;
            }
            let mut advanced = false;
            while current[v] != NONE {
                let e = current[v];
                let w = self.to[e];
                if self.cap[e] > 0 && level[w] == level[v] + 1 {
                    path.push(e);
                    v = w;
                    advanced = true;
                    break;
                }
                current[v] = self.next[e];
            }
            if !advanced {
                // Dead end: retreat and never try this arc again in this phase.
                match path.pop() {
                    None => return 0,
                    Some(e) => {
                        v = self.to[e ^ 1];
                        current[v] = self.next[current[v]];
                    }
                }
            }
        }
    }
}

/// Maximum flow in Gb/s from a set of sources to a set of sinks, each
/// with the capacity it may inject or absorb (`None`: unlimited).
pub fn max_flow(
    topology: &Topology,
    sources: &[(NodeId, Option<u64>)],
    sinks: &[(NodeId, Option<u64>)],
) -> u64 {
    max_flow_with(topology, sources, sinks, &|_, _, b| b.capacity_gbps())
}

/// A bundle's capacity after a failure, from the bundle and its ends.
pub type CapacityFn<'a> = dyn Fn(NodeId, NodeId, &crate::topology::Bundle) -> u64 + Sync + 'a;

/// Maximum flow with each bundle's capacity given by `capacity` (a failed
/// device gives its bundles 0; a failed member link takes one link off).
pub fn max_flow_with(
    topology: &Topology,
    sources: &[(NodeId, Option<u64>)],
    sinks: &[(NodeId, Option<u64>)],
    capacity: &CapacityFn<'_>,
) -> u64 {
    let n = topology.node_bound();
    let (s, t) = (n, n + 1);
    let mut net = Network::new(n + 2);
    for (a, b, bundle) in topology.bundles() {
        let c = capacity(a, b, bundle);
        if c > 0 {
            net.add(a.index(), b.index(), c, c);
        }
    }
    for &(node, cap) in sources {
        net.add(s, node.index(), cap.unwrap_or(u64::MAX / 4), 0);
    }
    for &(node, cap) in sinks {
        net.add(node.index(), t, cap.unwrap_or(u64::MAX / 4), 0);
    }
    net.max_flow(s, t)
}

/// The same maximum flow computed by petgraph's Dinic implementation on a
/// directed copy of the graph (each bundle as two opposite arcs).
pub fn max_flow_petgraph(
    topology: &Topology,
    sources: &[(NodeId, Option<u64>)],
    sinks: &[(NodeId, Option<u64>)],
) -> u64 {
    use petgraph::graph::{DiGraph, NodeIndex};
    let n = topology.node_bound();
    let mut g: DiGraph<(), u64> =
        DiGraph::with_capacity(n + 2, topology.bundle_count() * 2 + sources.len() + sinks.len());
    for _ in 0..n + 2 {
        g.add_node(());
    }
    for (a, b, bundle) in topology.bundles() {
        let c = bundle.capacity_gbps();
        g.add_edge(NodeIndex::new(a.index()), NodeIndex::new(b.index()), c);
        g.add_edge(NodeIndex::new(b.index()), NodeIndex::new(a.index()), c);
    }
    let (s, t) = (NodeIndex::new(n), NodeIndex::new(n + 1));
    for &(node, cap) in sources {
        g.add_edge(s, NodeIndex::new(node.index()), cap.unwrap_or(u64::MAX / 4));
    }
    for &(node, cap) in sinks {
        g.add_edge(NodeIndex::new(node.index()), t, cap.unwrap_or(u64::MAX / 4));
    }
    petgraph::algo::dinics(&g, s, t).0
}

/// Server-facing capacity of a server group (all its links to leaves).
pub fn attached_gbps(topology: &Topology, node: NodeId) -> u64 {
    topology.bundles_at(node).map(|(_, b)| b.capacity_gbps()).sum()
}

/// Bisection bandwidth of a site: the maximum flow from one half of the
/// racks to the other, split in rack order (which keeps pods whole, the
/// hardest balanced cut of a Clos fabric). Gb/s, one direction.
pub fn bisection_gbps(topology: &Topology, site: &str) -> u64 {
    bisection_gbps_with(topology, site, &|_, _, b| b.capacity_gbps())
}

/// One half of a site's server groups, each with its server-facing capacity.
pub type Half = Vec<(NodeId, Option<u64>)>;

/// Splits a site's racks into the two halves of its bisection (rack order,
/// so pods stay whole); a rack's server groups (`group`: its rack) stay on
/// one side, but for a site of one rack, whose groups are split.
pub fn bisection_halves(topology: &Topology, site: &str) -> (Half, Half) {
    // Racks in order: consecutive server groups of the same rack.
    let mut racks: Vec<(Option<u64>, u64, Half)> = Vec::new();
    for (id, n) in topology.nodes().filter(|(_, n)| n.kind == NodeKind::Servers && n.site == site) {
        let gbps = attached_gbps(topology, id);
        match racks.last_mut() {
            Some((rack, total, groups)) if rack.is_some() && *rack == n.group => {
                *total += gbps;
                groups.push((id, Some(gbps)));
            }
            _ => racks.push((n.group, gbps, vec![(id, Some(gbps))])),
        }
    }
    if let [(rack, _, groups)] = &racks[..] {
        // One rack: its server groups on different leaves cross through
        // the spines, so they are split as racks would be.
        racks = groups.iter().map(|&(id, gbps)| (*rack, gbps.unwrap_or(0), vec![(id, gbps)])).collect();
    }
    let total: u64 = racks.iter().map(|r| r.1).sum();
    let (mut a, mut b, mut a_gbps) = (Vec::new(), Vec::new(), 0);
    for (_, gbps, groups) in racks {
        if a_gbps * 2 < total {
            a_gbps += gbps;
            a.extend(groups);
        } else {
            b.extend(groups);
        }
    }
    (a, b)
}

/// Bisection with each bundle's capacity given by `capacity`.
pub fn bisection_gbps_with(topology: &Topology, site: &str, capacity: &CapacityFn<'_>) -> u64 {
    let (half_a, half_b) = bisection_halves(topology, site);
    if half_b.is_empty() {
        // One server group: its halves meet inside its leaves, which do not
        // block; half of what still reaches a working leaf crosses.
        let attached: u64 = half_a
            .iter()
            .map(|&(rack, limit)| {
                let reach: u64 = topology.bundles_at(rack).map(|(leaf, b)| capacity(rack, leaf, b)).sum();
                limit.map_or(reach, |l| l.min(reach))
            })
            .sum();
        return attached / 2;
    }
    // Border leaves carry the hand-off, not traffic between racks: routing
    // is valley-free (up, then down; RFC 7938 §5), so no flow turns from a
    // top switch down into a border leaf and back up to another.
    let no_valley = |a: NodeId, b: NodeId, bundle: &crate::topology::Bundle| {
        if bundle.class == crate::design::media::LinkClass::BorderUplink {
            0
        } else {
            capacity(a, b, bundle)
        }
    };
    max_flow_with(topology, &half_a, &half_b, &no_valley)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::media::LinkClass;
    use crate::topology::{Bundle, Node};
    use crate::units::Gbps;

    fn node(t: &mut Topology, id: &str) -> NodeId {
        t.add_node(Node {
            id: id.into(),
            kind: NodeKind::Leaf,
            site: "s".into(),
            group: None,
            servers: None,
            model: None,
        })
    }

    fn link(t: &mut Topology, a: NodeId, b: NodeId, count: u64) {
        t.add_bundle(a, b, Bundle { count, gbps: Gbps(10), class: LinkClass::LeafSpine, length_km: 0.0 });
    }

    #[test]
    fn max_flow_of_a_textbook_network() {
        // Two disjoint paths (10 and 20 Gb/s) and a cross link: min cut 30 Gb/s.
        let mut t = Topology::default();
        let [a, b, c, d] = ["a", "b", "c", "d"].map(|id| node(&mut t, id));
        link(&mut t, a, b, 1);
        link(&mut t, a, c, 2);
        link(&mut t, b, d, 3);
        link(&mut t, c, d, 1);
        link(&mut t, b, c, 5);
        assert_eq!(max_flow(&t, &[(a, None)], &[(d, None)]), 30);
        // Links are full duplex: the reverse direction carries as much.
        assert_eq!(max_flow(&t, &[(d, None)], &[(a, None)]), 30);
        // A source capped at 15 Gb/s.
        assert_eq!(max_flow(&t, &[(a, Some(15))], &[(d, None)]), 15);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, .. Default::default() })]

        /// Dinic here and Edmonds–Karp in petgraph agree on random graphs.
        #[test]
        fn agrees_with_petgraph_ford_fulkerson(
            n in 2usize..12,
            edges in proptest::collection::vec((0usize..12, 0usize..12, 1u64..20), 0..40),
        ) {
            use petgraph::graph::{DiGraph, NodeIndex};
            let mut t = Topology::default();
            let ids: Vec<NodeId> = (0..n).map(|i| node(&mut t, &format!("n{i}"))).collect();
            let mut g: DiGraph<(), u64> = DiGraph::new();
            for _ in 0..n {
                g.add_node(());
            }
            for (a, b, c) in edges {
                let (a, b) = (a % n, b % n);
                if a == b {
                    continue;
                }
                link(&mut t, ids[a], ids[b], c);
                g.add_edge(NodeIndex::new(a), NodeIndex::new(b), c * 10);
                g.add_edge(NodeIndex::new(b), NodeIndex::new(a), c * 10);
            }
            let ours = max_flow(&t, &[(ids[0], None)], &[(ids[n - 1], None)]);
            let (theirs, _) = petgraph::algo::ford_fulkerson(&g, NodeIndex::new(0), NodeIndex::new(n - 1));
            proptest::prop_assert_eq!(ours, theirs);
        }
    }
}
