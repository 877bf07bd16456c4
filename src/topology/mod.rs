//! Topology stage: a designed fabric as a graph. Nodes are devices (or a
//! group of a rack's servers that sit on the same leaves); edges are bundles of identical links, one
//! edge with a count, so a 200,000-server site stays a graph of thousands of
//! nodes. petgraph is wrapped here and never appears in a public signature.

use crate::design::fabric::FabricDesign;
use crate::design::media::LinkClass;
use crate::design::servers;
use crate::units::Gbps;
use petgraph::stable_graph::{NodeIndex, StableGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use petgraph::Undirected;
use serde::Serialize;
use std::collections::HashMap;

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// The servers of one rack that sit on the same leaves, as one group
    /// (the whole rack unless a single-homed rack has several leaves).
    Servers,
    Leaf,
    /// A leaf that carries the interconnect's hand-off (joined to every top switch).
    #[serde(rename = "border-leaf")]
    BorderLeaf,
    Spine,
    Superspine,
    /// A site as seen by the interconnect: its fabric's border.
    Site,
    Router,
    /// An optical terminal (transponders and the line system's end).
    Terminal,
    /// An inline amplifier site.
    Amplifier,
    /// A ROADM: wavelengths pass a site optically, on its WSS degrees.
    Roadm,
}

/// A device or a group of servers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// Unique id, e.g. `dc1/leaf-12`.
    pub id: String,
    pub kind: NodeKind,
    pub site: String,
    /// Pod of a leaf or spine; plane of a superspine; rack of a server
    /// group; line cards of a router.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<u64>,
    /// Servers in a server group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub servers: Option<u64>,
    /// Catalog id of a switch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// A bundle of identical parallel links.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bundle {
    /// Member links.
    pub count: u64,
    /// Speed of each member.
    pub gbps: Gbps,
    pub class: LinkClass,
    /// Fibre length of a span between sites (0 inside a site).
    #[serde(skip_serializing_if = "is_zero")]
    pub length_km: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

impl Bundle {
    /// Capacity of the bundle in each direction.
    pub fn capacity_gbps(&self) -> u64 {
        self.count * self.gbps.0
    }
}

/// Opaque handle to a node of a [`Topology`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(NodeIndex);

impl NodeId {
    /// Dense position of the node, for algorithms that use arrays.
    pub fn index(self) -> usize {
        self.0.index()
    }
}

/// The graph of one or more sites.
#[derive(Debug, Clone, Default)]
pub struct Topology {
    graph: StableGraph<Node, Bundle, Undirected>,
    by_id: HashMap<String, NodeIndex>,
}

impl Topology {
    pub fn add_node(&mut self, node: Node) -> NodeId {
        let id = node.id.clone();
        let ix = self.graph.add_node(node);
        self.by_id.insert(id, ix);
        NodeId(ix)
    }

    pub fn add_bundle(&mut self, a: NodeId, b: NodeId, bundle: Bundle) {
        if bundle.count > 0 {
            self.graph.add_edge(a.0, b.0, bundle);
        }
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.graph[id.0]
    }

    pub fn find(&self, id: &str) -> Option<NodeId> {
        self.by_id.get(id).copied().map(NodeId)
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn bundle_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Upper bound of node positions (`NodeId::index` is below it).
    pub fn node_bound(&self) -> usize {
        self.graph.node_indices().map(|i| i.index() + 1).max().unwrap_or(0)
    }

    /// Nodes in insertion order.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeId, &Node)> {
        self.graph.node_indices().map(move |i| (NodeId(i), &self.graph[i]))
    }

    /// Bundles with both ends, in insertion order.
    pub fn bundles(&self) -> impl Iterator<Item = (NodeId, NodeId, &Bundle)> {
        (&self.graph).edge_references().map(|e| (NodeId(e.source()), NodeId(e.target()), e.weight()))
    }

    /// Bundles at a node, with the node at the other end.
    pub fn bundles_at(&self, id: NodeId) -> impl Iterator<Item = (NodeId, &Bundle)> {
        self.graph.edges(id.0).map(move |e| {
            let other = if e.source() == id.0 { e.target() } else { e.source() };
            (NodeId(other), e.weight())
        })
    }

    /// Copies every node and bundle of `other` into this graph (ids stay
    /// unique because every id carries its site).
    pub fn absorb(&mut self, other: &Topology) {
        let mut map = HashMap::new();
        for (id, node) in other.nodes() {
            let new = self.find(&node.id).unwrap_or_else(|| self.add_node(node.clone()));
            map.insert(id, new);
        }
        for (a, b, bundle) in other.bundles() {
            self.add_bundle(map[&a], map[&b], *bundle);
        }
    }

    /// The underlying petgraph graph, for reference algorithms in tests.
    #[doc(hidden)]
    pub fn petgraph(&self) -> &StableGraph<Node, Bundle, Undirected> {
        &self.graph
    }
}

/// Builds the graph of one site's fabric: the server groups of each rack,
/// leaves, the spines of each pod, and the superspine planes.
pub fn site_graph(design: &FabricDesign) -> Topology {
    let mut t = Topology::default();
    let site = &design.site;
    let n = |kind: NodeKind, id: String, group: Option<u64>, servers: Option<u64>, model: Option<&str>| {
        Node { id, kind, site: site.clone(), group, servers, model: model.map(str::to_string) }
    };
    let nics = design.server_ports / design.servers.max(1);

    // Spines per pod and superspines per plane first, so leaves can join them.
    let mut spines: Vec<Vec<NodeId>> = Vec::new();
    for pod in 0..design.pods {
        let ids = (0..design.spines_per_pod)
            .map(|j| {
                t.add_node(n(
                    NodeKind::Spine,
                    format!("{site}/spine-{pod}.{j}"),
                    Some(pod),
                    None,
                    Some(&design.spine.switch_id),
                ))
            })
            .collect();
        spines.push(ids);
    }
    if let Some(ss) = &design.superspine {
        for plane in 0..design.spines_per_pod {
            let plane_ids: Vec<NodeId> = (0..design.superspines_per_plane)
                .map(|k| {
                    t.add_node(n(
                        NodeKind::Superspine,
                        format!("{site}/superspine-{plane}.{k}"),
                        Some(plane),
                        None,
                        Some(&ss.switch_id),
                    ))
                })
                .collect();
            let m2 = design.spine.links_per_peer_up;
            for pod_spines in &spines {
                for &top in &plane_ids {
                    t.add_bundle(
                        pod_spines[plane as usize],
                        top,
                        Bundle {
                            count: m2,
                            gbps: design.spine.up_speed_gbps,
                            class: LinkClass::SpineSuperspine,
                            length_km: 0.0,
                        },
                    );
                }
            }
        }
    }

    border_leaves(design, &mut t, &spines);
    let mut servers_left = design.servers;
    // Full racks share one layout of server groups: worked out once.
    let full = servers::server_groups(design.servers_per_rack, nics, design.leaves_per_rack);
    for rack in 0..design.racks {
        let in_rack = servers_left.min(design.servers_per_rack);
        servers_left -= in_rack;
        let groups = if in_rack == design.servers_per_rack {
            full.clone()
        } else {
            servers::server_groups(in_rack, nics, design.leaves_per_rack)
        };
        rack_nodes(design, &mut t, &spines, rack, &groups);
    }
    t
}

/// One rack: a node per server group (the whole rack, `site/rack-R`, when
/// every server sits on the same leaves; else `site/rack-R/sF-L`, its slots,
/// so that a leaf failure cuts off exactly the servers that hang on it
/// alone), then each leaf with its bundle from every group that has ports
/// on it and its uplinks to its pod's spines.
fn rack_nodes(
    design: &FabricDesign,
    t: &mut Topology,
    spines: &[Vec<NodeId>],
    rack: u64,
    groups: &[servers::ServerGroup],
) {
    let site = &design.site;
    let node = |kind: NodeKind, id: String, group: Option<u64>, servers: Option<u64>, model: Option<&str>| {
        Node { id, kind, site: site.clone(), group, servers, model: model.map(str::to_string) }
    };
    let ids: Vec<NodeId> = groups
        .iter()
        .map(|g| {
            let id = match (groups.len(), g.servers) {
                (1, _) => format!("{site}/rack-{rack}"),
                (_, 1) => format!("{site}/rack-{rack}/s{}", g.first),
                _ => format!("{site}/rack-{rack}/s{}-{}", g.first, g.first + g.servers - 1),
            };
            t.add_node(node(NodeKind::Servers, id, Some(rack), Some(g.servers), None))
        })
        .collect();
    let per_leaf_pod = design.leaves_per_pod.max(1);
    for j in 0..design.leaves_per_rack {
        let leaf_no = rack * design.leaves_per_rack + j;
        let pod = leaf_no / per_leaf_pod;
        let leaf = t.add_node(node(
            NodeKind::Leaf,
            format!("{site}/leaf-{leaf_no}"),
            Some(pod),
            None,
            Some(&design.leaf.switch_id),
        ));
        for (g, &id) in groups.iter().zip(&ids) {
            let ports: u64 = g.leaves.iter().filter(|l| l.0 == j).map(|l| l.1).sum();
            let class = LinkClass::ServerLeaf;
            let bundle =
                Bundle { count: g.servers * ports, gbps: design.server_speed_gbps, class, length_km: 0.0 };
            t.add_bundle(id, leaf, bundle);
        }
        for &spine in &spines[pod as usize] {
            let (count, gbps) = (design.leaf.links_per_peer_up, design.leaf.up_speed_gbps);
            t.add_bundle(leaf, spine, Bundle { count, gbps, class: LinkClass::LeafSpine, length_km: 0.0 });
        }
    }
}

/// The border leaves of a design, each joined to every top switch (the
/// spines of `spines` in two tiers, the superspines in three) by a bundle of
/// its uplinks to that switch (class `border-uplink`).
fn border_leaves(design: &FabricDesign, t: &mut Topology, spines: &[Vec<NodeId>]) {
    let Some(b) = &design.border_leaf else { return };
    let site = &design.site;
    let tops: Vec<NodeId> = match &design.superspine {
        Some(_) => (0..design.spines_per_pod)
            .flat_map(|plane| (0..design.superspines_per_plane).map(move |k| (plane, k)))
            .filter_map(|(plane, k)| t.find(&format!("{site}/superspine-{plane}.{k}")))
            .collect(),
        None => spines.iter().flatten().copied().collect(),
    };
    for i in 0..b.count {
        let node = t.add_node(Node {
            id: format!("{site}/border-leaf-{i}"),
            kind: NodeKind::BorderLeaf,
            site: site.clone(),
            group: None,
            servers: None,
            model: Some(b.switch_id.clone()),
        });
        for &top in &tops {
            t.add_bundle(
                node,
                top,
                Bundle {
                    count: b.links_per_peer_up,
                    gbps: b.up_speed_gbps,
                    class: LinkClass::BorderUplink,
                    length_km: 0.0,
                },
            );
        }
    }
}

/// The interconnect as a graph: a node per site (its fabric's border), the
/// routers or optical terminals at each end of every hop, the inline
/// amplifier sites of each route (shared by every line on the route), and
/// one edge per fibre span with its length, carrying the hop's wavelengths.
pub fn interconnect_graph(demands: &[crate::design::interconnect::DemandDesign]) -> Topology {
    interconnect_graph_with_routes(demands).0
}

/// The ends of every span bundle of each fibre route, by route id.
pub type RouteSpans = std::collections::BTreeMap<String, Vec<(NodeId, NodeId)>>;

/// [`interconnect_graph`], and which span bundles ride each fibre route.
pub fn interconnect_graph_with_routes(
    demands: &[crate::design::interconnect::DemandDesign],
) -> (Topology, RouteSpans) {
    build_interconnect(demands.iter().enumerate())
}

/// The graph of demand `index` alone, with the node ids it has in the whole
/// interconnect graph: a demand's max-flow must use only its own equipment,
/// never another demand's wavelengths.
pub fn demand_graph_with_routes(
    demands: &[crate::design::interconnect::DemandDesign],
    index: usize,
) -> (Topology, RouteSpans) {
    build_interconnect(demands.iter().enumerate().skip(index).take(1))
}

fn build_interconnect<'a>(
    demands: impl Iterator<Item = (usize, &'a crate::design::interconnect::DemandDesign)>,
) -> (Topology, RouteSpans) {
    use crate::design::interconnect::OptionKind;
    let mut t = Topology::default();
    let mut routes = RouteSpans::new();
    let node = |t: &mut Topology, id: String, kind: NodeKind, site: &str| -> NodeId {
        t.find(&id).unwrap_or_else(|| {
            t.add_node(Node { id, kind, site: site.to_string(), group: None, servers: None, model: None })
        })
    };
    for (d_no, d) in demands {
        let Some(kind) = d.chosen else { continue };
        let Some(option) = d.options.iter().find(|o| o.kind == kind) else { continue };
        for (p_no, path) in option.paths.iter().enumerate() {
            for hop in &path.hops {
                let capacity = Bundle {
                    count: hop.wavelengths,
                    gbps: Gbps(hop.line_rate_gbps),
                    class: LinkClass::HandOff,
                    length_km: 0.0,
                };
                let end = |t: &mut Topology, site: &str, roadm: Option<usize>| -> NodeId {
                    if roadm.is_some() {
                        // Expressed: the site's ROADM, shared by every wavelength through it.
                        return node(t, format!("{site}/roadm"), NodeKind::Roadm, site);
                    }
                    if site.contains("/ila") {
                        // A regeneration site: back-to-back terminals, shared by the sections.
                        return node(t, format!("{site}/regen-d{d_no}-p{p_no}"), NodeKind::Terminal, site);
                    }
                    let border = node(t, format!("{site}/border"), NodeKind::Site, site);
                    let (id, k) = match kind {
                        // The pluggables of one path in the site's own switches
                        // (`full_topology` joins the border to the switches).
                        OptionKind::FabricZr => {
                            (format!("{site}/fabric-zr-d{d_no}-p{p_no}"), NodeKind::Terminal)
                        }
                        OptionKind::Routed => (format!("{site}/router-d{d_no}-p{p_no}"), NodeKind::Router),
                        OptionKind::Optical => {
                            (format!("{site}/terminal-{}-d{d_no}-p{p_no}", hop.route), NodeKind::Terminal)
                        }
                    };
                    let existed = t.find(&id).is_some();
                    let n = node(t, id, k, site);
                    if !existed {
                        t.add_bundle(border, n, capacity);
                        if k == NodeKind::Router {
                            // A router's `group` is its number of line cards, for card failures.
                            let copy = if option.paths.len() > 1 {
                                format!(" (path {})", p_no + 1)
                            } else {
                                String::new()
                            };
                            let cards: u64 = option
                                .parts
                                .iter()
                                .chain(&option.standalone_line_parts)
                                .filter(|p| p.site == site && p.why == format!("router line cards{copy}"))
                                .map(|p| p.quantity)
                                .sum();
                            t.graph[n.0].group = Some(cards);
                        }
                    }
                    n
                };
                let a = end(&mut t, &hop.from, hop.roadm[0]);
                let b = end(&mut t, &hop.to, hop.roadm[1]);
                // Spans between the terminals, through the route's inline amplifier sites.
                let per_span = hop.length_km / hop.spans.max(1) as f64;
                let mut prev = a;
                for k in 1..=hop.inline_sites {
                    let ila = node(
                        &mut t,
                        crate::design::interconnect::inline_site(&hop.route, hop.first_span + k),
                        NodeKind::Amplifier,
                        &hop.route,
                    );
                    t.add_bundle(
                        prev,
                        ila,
                        Bundle { class: LinkClass::Span, length_km: per_span, ..capacity },
                    );
                    routes.entry(hop.route.clone()).or_default().push((prev, ila));
                    prev = ila;
                }
                t.add_bundle(prev, b, Bundle { class: LinkClass::Span, length_km: per_span, ..capacity });
                routes.entry(hop.route.clone()).or_default().push((prev, b));
            }
        }
    }
    (t, routes)
}
