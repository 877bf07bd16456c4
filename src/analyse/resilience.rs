//! What survives a failure: every leaf, spine, superspine, leaf–spine and
//! spine–superspine member link, router, optical terminal, inline amplifier
//! site and fibre route is failed in turn (and pairs of them, within a
//! budget, one per relation of the two: `pairs.rs`), and the capacity that
//! remains is measured on the graphs: each site's bisection, each demand's
//! max-flow, each leaf's uplinks.
//!
//! Identical devices in identical positions fail identically, so fabric
//! elements are grouped in equivalence classes (same kind, same side of the
//! bisection cut, same pod size, same servers on it and on it alone) and one
//! of each is evaluated; tests hold this against evaluating every element. Structural single
//! points of failure come from articulation points and bridges (petgraph).
//! Each evaluation also counts the servers it strands (`stranded`), and each
//! worst figure names the failure that gives it (`worst`).

mod judge;
mod pairs;
mod stranded;
mod worst;

use super::capacity;
use crate::design::media::LinkClass;
use crate::plan::Plan;
use crate::topology::{self, Bundle, NodeId, NodeKind, Topology};
use judge::Judge;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use worst::natural_cmp;

/// One element that can fail.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Element {
    /// A device of a site's fabric.
    SiteNode { site: usize, node: NodeId },
    /// One member link of a fabric bundle.
    SiteMember { site: usize, a: NodeId, b: NodeId },
    /// A router, optical terminal or inline amplifier site of the interconnect.
    InterconnectNode(NodeId),
    /// A whole fibre route (every span of it).
    Route(String),
    /// One line card of a router: the router keeps (cards − 1)/cards of its capacity.
    LineCard(NodeId),
}

/// The kind of an element, for grouping.
fn class_name(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Leaf => "leaf",
        NodeKind::BorderLeaf => "border leaf",
        NodeKind::Spine => "spine",
        NodeKind::Superspine => "superspine",
        NodeKind::Router => "router",
        NodeKind::Terminal => "optical terminal",
        NodeKind::Amplifier => "amplifier site",
        NodeKind::Roadm => "ROADM",
        NodeKind::Servers => "servers",
        NodeKind::Site => "site border",
    }
}

/// The graphs failures are evaluated on.
pub struct Graphs {
    sites: Vec<(String, Topology)>,
    /// Each site's server groups, for the servers a failure strands.
    groups: Vec<stranded::ServerGroups>,
    interconnect: Topology,
    routes: topology::RouteSpans,
    demands: Vec<(String, String, u64, bool)>,
    /// Each demand's own graph (same node ids as `interconnect`) and its
    /// intact max-flow: a demand is carried only by its own wavelengths.
    demand_graphs: Vec<DemandGraph>,
}

struct DemandGraph {
    graph: Topology,
    routes: topology::RouteSpans,
    ends: Option<(NodeId, NodeId)>,
    intact_gbps: u64,
}

impl Graphs {
    pub fn of(plan: &Plan) -> Graphs {
        let sites: Vec<(String, Topology)> =
            plan.sites.iter().map(|s| (s.name.clone(), topology::site_graph(&s.fabric))).collect();
        let groups = sites.iter().map(|(_, t)| stranded::ServerGroups::of(t)).collect();
        let designs: Vec<_> = plan.interconnect.iter().map(|d| d.design.clone()).collect();
        let (interconnect, routes) = topology::interconnect_graph_with_routes(&designs);
        let demands = plan
            .interconnect
            .iter()
            .map(|d| {
                (
                    d.design.between[0].clone(),
                    d.design.between[1].clone(),
                    d.design.demand_gbps.0,
                    d.design.protection == crate::model::Protection::Diverse,
                )
            })
            .collect();
        let demand_graphs = (0..designs.len())
            .map(|i| {
                let (graph, routes) = topology::demand_graph_with_routes(&designs, i);
                let [a, b] = &designs[i].between;
                let ends = graph.find(&format!("{a}/border")).zip(graph.find(&format!("{b}/border")));
                let intact_gbps =
                    ends.map_or(0, |(x, y)| capacity::max_flow(&graph, &[(x, None)], &[(y, None)]));
                DemandGraph { graph, routes, ends, intact_gbps }
            })
            .collect();
        Graphs { sites, groups, interconnect, routes, demands, demand_graphs }
    }
}

/// The capacity left after a set of failures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// What failed (ids).
    pub failed: Vec<String>,
    pub class: String,
    /// How many elements this evaluation stands for (its equivalence class).
    pub represents: u64,
    /// Bisection of the sites the failure touches, Gb/s.
    pub bisection_gbps: BTreeMap<String, u64>,
    /// Max-flow of each demand, Gb/s.
    pub demand_gbps: Vec<u64>,
    /// Smallest uplink capacity left to any surviving leaf, per touched site.
    pub min_leaf_uplink_gbps: BTreeMap<String, u64>,
    /// Servers with no path left to the rest of their site (its other
    /// servers and its border), per touched site; the rule is in
    /// `resilience/stranded.rs`.
    pub stranded_servers: BTreeMap<String, u64>,
}

impl Outcome {
    /// The failure's name: its elements joined by ` + `.
    pub fn name(&self) -> String {
        self.failed.join(" + ")
    }
}

/// How one class of failures fares at worst.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassReport {
    pub class: String,
    pub elements: u64,
    pub evaluated: u64,
    /// The element of the worst outcome: the smallest share left of a
    /// site's bisection, of a site's servers still connected or of a
    /// demand's Gb/s, then of a demand's intact max-flow; on a tie, the
    /// first name in natural order (`leaf-2` before `leaf-10`).
    pub worst: String,
    /// Worst bisection left, as a share of the intact one, and the element
    /// that leaves it, per site. In this and the other worst figures the
    /// element named is one that gives the figure: on a tie `worst` if it
    /// does, else the first name in natural order.
    pub worst_bisection_pct: BTreeMap<String, (f64, String)>,
    /// Worst effective leaf oversubscription (infinite: a leaf without
    /// uplinks) and the element that causes it, per site.
    pub worst_leaf_oversubscription: BTreeMap<String, (f64, String)>,
    /// Most servers stranded and the element that strands them, per site
    /// where some element of the class strands any.
    pub worst_stranded_servers: BTreeMap<String, (u64, String)>,
    /// Demands whose max-flow falls below their Gb/s, by index.
    pub demands_short: Vec<usize>,
}

/// A demand's fate under every single failure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemandFate {
    pub between: [String; 2],
    pub gbps: u64,
    pub diverse: bool,
    pub intact_gbps: u64,
    /// Lowest max-flow over all single failures.
    pub worst_gbps: u64,
    pub worst_failure: String,
    pub survives_any_single_failure: bool,
}

/// Pairs of failures evaluated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepthTwo {
    /// Representative pairs evaluated (one per class pair and relation of
    /// its two elements, `resilience/pairs.rs`) out of all of them.
    pub pairs_evaluated: u64,
    pub pairs_total: u64,
    /// Share of element pairs that the pairs evaluated stand for.
    pub coverage_pct: f64,
    /// Worst bisection share and its pair, per site.
    pub worst_bisection_pct: BTreeMap<String, (f64, String)>,
    /// Most servers stranded and the pair that strands them, per site where
    /// some pair strands any.
    pub worst_stranded_servers: BTreeMap<String, (u64, String)>,
    /// Demands that some evaluated pair cuts below their Gb/s.
    pub demands_short: Vec<usize>,
}

/// Something to add to fix a shortfall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    pub problem: String,
    pub add: String,
    /// Net price of the addition, when the catalog prices it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<String>,
}

/// The whole failure analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailureReport {
    pub depth: u8,
    pub intact_bisection_gbps: BTreeMap<String, u64>,
    pub classes: Vec<ClassReport>,
    pub demands: Vec<DemandFate>,
    /// Devices whose loss disconnects the graph (articulation points), by id.
    pub articulation_points: Vec<String>,
    /// Single links whose loss disconnects it (bridges of one member), by ends.
    pub bridges: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth_two: Option<DepthTwo>,
    pub fixes: Vec<Fix>,
    /// Fixes planned as new designs (`crate::fixes`), filled above this stage.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub planned_fixes: Vec<crate::fixes::PlannedFix>,
    pub single_failures_evaluated: u64,
    pub single_failures_total: u64,
}

/// Capacity function for a set of failures on one graph.
fn capacity_after<'a>(
    nodes: &'a HashSet<NodeId>,
    members: &'a [(NodeId, NodeId)],
    edges: &'a HashSet<(NodeId, NodeId)>,
) -> impl Fn(NodeId, NodeId, &Bundle) -> u64 + Sync + 'a {
    move |a, b, bundle| {
        if nodes.contains(&a) || nodes.contains(&b) || edges.contains(&(a, b)) || edges.contains(&(b, a)) {
            return 0;
        }
        let lost = members.iter().filter(|&&(x, y)| (x, y) == (a, b) || (x, y) == (b, a)).count() as u64;
        bundle.count.saturating_sub(lost) * bundle.gbps.0
    }
}

/// Evaluates a set of failed elements.
fn evaluate(g: &Graphs, failed: &[Element], class: String, represents: u64) -> Outcome {
    let mut bisection = BTreeMap::new();
    let mut min_uplink = BTreeMap::new();
    let mut stranded = BTreeMap::new();
    let touched: BTreeSet<usize> = failed
        .iter()
        .filter_map(|e| match e {
            Element::SiteNode { site, .. } | Element::SiteMember { site, .. } => Some(*site),
            _ => None,
        })
        .collect();
    for site in touched {
        let name = &g.sites[site].0;
        let f = site_figures(g, failed, site);
        bisection.insert(name.clone(), f.bisection_gbps);
        min_uplink.insert(name.clone(), f.min_leaf_uplink_gbps);
        stranded.insert(name.clone(), f.stranded_servers);
    }
    Outcome {
        failed: failed.iter().map(|e| element_id(g, e)).collect(),
        class,
        represents,
        bisection_gbps: bisection,
        demand_gbps: demand_flows(g, failed),
        min_leaf_uplink_gbps: min_uplink,
        stranded_servers: stranded,
    }
}

/// What a failure leaves of one site.
struct SiteFigures {
    bisection_gbps: u64,
    min_leaf_uplink_gbps: u64,
    stranded_servers: u64,
}

/// Bisection, smallest leaf uplink and stranded servers of `site` under the
/// failures of `failed` that are in it.
fn site_figures(g: &Graphs, failed: &[Element], site: usize) -> SiteFigures {
    let (name, t) = &g.sites[site];
    let nodes: HashSet<NodeId> = failed
        .iter()
        .filter_map(|e| match e {
            Element::SiteNode { site: s, node } if *s == site => Some(*node),
            _ => None,
        })
        .collect();
    let members: Vec<(NodeId, NodeId)> = failed
        .iter()
        .filter_map(|e| match e {
            Element::SiteMember { site: s, a, b } if *s == site => Some((*a, *b)),
            _ => None,
        })
        .collect();
    let none = HashSet::new();
    let cap = capacity_after(&nodes, &members, &none);
    // Uplinks left to the leaves that survive.
    let min_leaf_uplink_gbps = t
        .nodes()
        .filter(|(id, n)| n.kind == NodeKind::Leaf && !nodes.contains(id))
        .map(|(id, _)| {
            t.bundles_at(id)
                .filter(|(_, b)| b.class == LinkClass::LeafSpine)
                .map(|(other, b)| cap(id, other, b))
                .sum::<u64>()
        })
        .min()
        .unwrap_or(0);
    SiteFigures {
        bisection_gbps: capacity::bisection_gbps_with(t, name, &cap),
        min_leaf_uplink_gbps,
        stranded_servers: g.groups[site].stranded(t, &cap),
    }
}

/// Each demand's max-flow under the interconnect failures of `failed`.
fn demand_flows(g: &Graphs, failed: &[Element]) -> Vec<u64> {
    // Interconnect failures, by node id (the same in the joint graph and in
    // each demand's own graph).
    let ic_ids: Vec<&str> = failed
        .iter()
        .filter_map(|e| match e {
            Element::InterconnectNode(n) => Some(g.interconnect.node(*n).id.as_str()),
            _ => None,
        })
        .collect();
    let card_ids: Vec<(&str, u64)> = failed
        .iter()
        .filter_map(|e| match e {
            Element::LineCard(n) => {
                let node = g.interconnect.node(*n);
                Some((node.id.as_str(), node.group.unwrap_or(1).max(1)))
            }
            _ => None,
        })
        .collect();
    let failed_routes: Vec<&str> = failed
        .iter()
        .filter_map(|e| match e {
            Element::Route(r) => Some(r.as_str()),
            _ => None,
        })
        .collect();
    g.demand_graphs
        .iter()
        .map(|d| {
            let Some((x, y)) = d.ends else { return 0 };
            let t = &d.graph;
            let nodes: HashSet<NodeId> = ic_ids.iter().filter_map(|id| t.find(id)).collect();
            let edges: HashSet<(NodeId, NodeId)> =
                failed_routes.iter().filter_map(|r| d.routes.get(*r)).flatten().copied().collect();
            let cards: Vec<(NodeId, u64)> =
                card_ids.iter().filter_map(|(id, k)| t.find(id).map(|n| (n, *k))).collect();
            if nodes.is_empty() && edges.is_empty() && cards.is_empty() {
                return d.intact_gbps;
            }
            let base = capacity_after(&nodes, &[], &edges);
            let cap = |a: NodeId, b: NodeId, bundle: &Bundle| -> u64 {
                let full = base(a, b, bundle);
                // A router that lost a card keeps the share of its capacity on the others.
                cards.iter().filter(|(n, _)| *n == a || *n == b).fold(full, |c, (_, k)| c * (k - 1) / k)
            };
            capacity::max_flow_with(t, &[(x, None)], &[(y, None)], &cap)
        })
        .collect()
}

fn element_id(g: &Graphs, e: &Element) -> String {
    match e {
        Element::SiteNode { site, node } => g.sites[*site].1.node(*node).id.clone(),
        Element::SiteMember { site, a, b } => {
            let t = &g.sites[*site].1;
            format!("one link {} - {}", t.node(*a).id, t.node(*b).id)
        }
        Element::InterconnectNode(n) => g.interconnect.node(*n).id.clone(),
        Element::Route(r) => format!("route {r}"),
        Element::LineCard(n) => format!("one line card of {}", g.interconnect.node(*n).id),
    }
}

/// The servers with a port on switch `id`, and those of them with no port
/// on any other switch (what its loss alone cuts off).
fn servers_on(t: &Topology, id: NodeId) -> (u64, u64) {
    let mut on = (0, 0);
    for (o, _) in t.bundles_at(id).filter(|(o, _)| t.node(*o).kind == NodeKind::Servers) {
        let servers = t.node(o).servers.unwrap_or(0);
        on.0 += servers;
        if t.bundles_at(o).all(|(leaf, _)| leaf == id) {
            on.1 += servers;
        }
    }
    on
}

/// Every single failure, grouped in equivalence classes: (class name,
/// symmetry key) → elements.
fn classes(g: &Graphs, use_symmetry: bool) -> BTreeMap<(String, String), Vec<Element>> {
    let mut out: BTreeMap<(String, String), Vec<Element>> = BTreeMap::new();
    for (si, (name, t)) in g.sites.iter().enumerate() {
        let (half_a, _) = capacity::bisection_halves(t, name);
        let in_a: HashSet<NodeId> = half_a.iter().map(|x| x.0).collect();
        // Side of the cut of every switch: which halves its racks (below it) are in.
        let rack_side = |rack: NodeId| if in_a.contains(&rack) { 1u8 } else { 2u8 };
        let mut side: std::collections::HashMap<NodeId, u8> = std::collections::HashMap::new();
        let mut pod_size: std::collections::HashMap<u64, u64> = std::collections::HashMap::new();
        for (id, n) in t.nodes() {
            if n.kind == NodeKind::Leaf {
                *pod_size.entry(n.group.unwrap_or(0)).or_default() += 1;
                let s = t
                    .bundles_at(id)
                    .filter(|(o, _)| t.node(*o).kind == NodeKind::Servers)
                    .fold(0u8, |acc, (o, _)| acc | rack_side(o));
                side.insert(id, s);
            }
        }
        // A pod that straddles the cut behaves unlike one on a single side.
        let mut pod_side: std::collections::HashMap<u64, u8> = std::collections::HashMap::new();
        for (id, n) in t.nodes().filter(|(_, n)| n.kind == NodeKind::Leaf) {
            *pod_side.entry(n.group.unwrap_or(0)).or_default() |= side.get(&id).copied().unwrap_or(0);
        }
        for (id, _) in t.nodes().filter(|(_, n)| n.kind == NodeKind::Spine) {
            let s = t
                .bundles_at(id)
                .filter(|(o, _)| t.node(*o).kind == NodeKind::Leaf)
                .fold(0u8, |acc, (o, _)| acc | side.get(&o).copied().unwrap_or(0));
            side.insert(id, s);
        }
        for (id, _) in t.nodes().filter(|(_, n)| n.kind == NodeKind::Superspine) {
            let s = t.bundles_at(id).fold(0u8, |acc, (o, _)| acc | side.get(&o).copied().unwrap_or(0));
            side.insert(id, s);
        }
        for (id, n) in t.nodes() {
            let key_of = |id: NodeId| -> String {
                let n = t.node(id);
                let (rack_servers, alone) = servers_on(t, id);
                let pod = n.group.and_then(|p| pod_size.get(&p)).copied().unwrap_or(0);
                let pod_side = if n.kind == NodeKind::Leaf {
                    n.group.and_then(|p| pod_side.get(&p)).copied().unwrap_or(0)
                } else {
                    0
                };
                format!(
                    "side {} pod {} pod side {} rack {} alone {}",
                    side.get(&id).copied().unwrap_or(0),
                    pod,
                    pod_side,
                    rack_servers,
                    alone
                )
            };
            match n.kind {
                NodeKind::Leaf | NodeKind::BorderLeaf | NodeKind::Spine | NodeKind::Superspine => {
                    let key = if use_symmetry { format!("{name} {}", key_of(id)) } else { n.id.clone() };
                    out.entry((format!("{name}: {}", class_name(n.kind)), key))
                        .or_default()
                        .push(Element::SiteNode { site: si, node: id });
                }
                _ => {}
            }
        }
        for (a, b, bundle) in t.bundles() {
            if matches!(bundle.class, LinkClass::LeafSpine | LinkClass::SpineSuperspine) {
                let (lower, upper) = if matches!(t.node(a).kind, NodeKind::Leaf)
                    || (t.node(a).kind == NodeKind::Spine && t.node(b).kind == NodeKind::Superspine)
                {
                    (a, b)
                } else {
                    (b, a)
                };
                let key = if use_symmetry {
                    format!(
                        "{name} lower side {} upper side {} members {}",
                        side.get(&lower).copied().unwrap_or(0),
                        side.get(&upper).copied().unwrap_or(0),
                        bundle.count
                    )
                } else {
                    format!("{} {}", t.node(a).id, t.node(b).id)
                };
                out.entry((format!("{name}: {} link", bundle.class.as_str()), key))
                    .or_default()
                    .push(Element::SiteMember { site: si, a, b });
            }
        }
    }
    // The interconnect: few elements, each evaluated on its own.
    for (id, n) in g.interconnect.nodes() {
        if matches!(n.kind, NodeKind::Router | NodeKind::Terminal | NodeKind::Amplifier | NodeKind::Roadm) {
            out.entry((class_name(n.kind).to_string(), n.id.clone()))
                .or_default()
                .push(Element::InterconnectNode(id));
            // A router also loses one line card at a time (`group` = its cards).
            if n.kind == NodeKind::Router && n.group.unwrap_or(0) > 0 {
                out.entry(("router line card".to_string(), n.id.clone()))
                    .or_default()
                    .push(Element::LineCard(id));
            }
        }
    }
    for route in g.routes.keys() {
        out.entry(("fibre route".to_string(), route.clone()))
            .or_default()
            .push(Element::Route(route.clone()));
    }
    out
}

/// Options of the analysis.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub depth: u8,
    /// Most pair evaluations at depth 2.
    pub pair_budget: u64,
    /// Group identical elements (the default); `false` evaluates every one.
    pub use_symmetry: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { depth: 1, pair_budget: 2000, use_symmetry: true }
    }
}

/// Puts the first two elements of each class in natural order of their
/// names (`leaf-2` before `leaf-10`) at its front: the first stands for the
/// class and the first two for a pair within it, so that a class is named by
/// its first element, as it would be among all its elements evaluated.
fn first_by_name(g: &Graphs, groups: &mut BTreeMap<(String, String), Vec<Element>>) {
    for v in groups.values_mut().filter(|v| v.len() > 1) {
        let mut names: Vec<String> = v.iter().map(|e| element_id(g, e)).collect();
        for i in 0..2 {
            let first = (i..v.len()).min_by(|&x, &y| natural_cmp(&names[x], &names[y])).unwrap_or(i);
            v.swap(i, first);
            names.swap(i, first);
        }
    }
}

/// Runs the analysis; `tick` is called once per evaluation (progress).
pub fn analyse(
    plan: &Plan,
    _catalog: &crate::model::Catalog,
    options: Options,
    tick: &(dyn Fn() + Sync),
) -> FailureReport {
    let g = Graphs::of(plan);
    let intact: BTreeMap<String, u64> =
        plan.sites.iter().map(|s| (s.name.clone(), s.bisection_gbps.0)).collect();
    let intact_flow = evaluate(&g, &[], "intact".into(), 1).demand_gbps;
    let mut groups = classes(&g, options.use_symmetry);
    first_by_name(&g, &mut groups);
    let total: u64 = groups.values().map(|v| v.len() as u64).sum();
    let reps: Vec<((String, String), Element, u64)> =
        groups.iter().map(|(k, v)| (k.clone(), v[0].clone(), v.len() as u64)).collect();
    let outcomes: Vec<Outcome> = reps
        .par_iter()
        .map(|((class, _), e, n)| {
            let o = evaluate(&g, std::slice::from_ref(e), class.clone(), *n);
            tick();
            o
        })
        .collect();

    let judge = Judge {
        intact: &intact,
        servers: g.sites.iter().zip(&g.groups).map(|((name, _), r)| (name.clone(), r.servers)).collect(),
        down_gbps: plan
            .sites
            .iter()
            .map(|s| (s.name.clone(), s.fabric.leaf.down_links * s.fabric.leaf.down_speed_gbps.0))
            .collect(),
        demands: &g.demands,
        intact_flow: &intact_flow,
    };
    let mut by_class: BTreeMap<String, Vec<&Outcome>> = BTreeMap::new();
    for o in &outcomes {
        by_class.entry(o.class.clone()).or_default().push(o);
    }
    let class_reports: Vec<ClassReport> =
        by_class.iter().map(|(class, list)| judge.class_report(class, list)).collect();
    let demands = judge.demand_fates(&outcomes);

    let (articulation_points, bridges) = structural(&g);
    let depth_two =
        (options.depth >= 2).then(|| pairs::pairs(&g, &groups, &judge, options.pair_budget, tick));
    let fixes = fixes(plan, &g, &demands);
    FailureReport {
        depth: options.depth,
        intact_bisection_gbps: intact.clone(),
        classes: class_reports,
        demands,
        articulation_points,
        bridges,
        depth_two,
        fixes,
        planned_fixes: Vec::new(),
        single_failures_evaluated: reps.len() as u64,
        single_failures_total: total,
    }
}

fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        100.0
    } else {
        (part as f64 / whole as f64 * 1000.0).round() / 10.0
    }
}

/// Articulation points and single-link bridges of every graph.
fn structural(g: &Graphs) -> (Vec<String>, Vec<String>) {
    let mut points = Vec::new();
    let mut bridges = Vec::new();
    for t in g.sites.iter().map(|(_, t)| t).chain(std::iter::once(&g.interconnect)) {
        let (p, b) = single_points(t);
        points.extend(p);
        bridges.extend(b);
    }
    points.sort();
    bridges.sort();
    (points, bridges)
}

/// The devices (articulation points) and single links (bridges of one
/// member) whose loss splits a graph, by id; racks of servers are left out
/// (they hang on their leaves by design).
pub fn single_points(t: &Topology) -> (Vec<String>, Vec<String>) {
    use petgraph::graph::{NodeIndex, UnGraph};
    use petgraph::visit::EdgeRef;
    let mut u: UnGraph<(), u64> = UnGraph::with_capacity(t.node_bound(), t.bundle_count());
    for _ in 0..t.node_bound() {
        u.add_node(());
    }
    for (a, b, bundle) in t.bundles() {
        u.add_edge(NodeIndex::new(a.index()), NodeIndex::new(b.index()), bundle.count);
    }
    let mut ids: Vec<Option<NodeId>> = vec![None; t.node_bound()];
    for (id, _) in t.nodes() {
        ids[id.index()] = Some(id);
    }
    let mut points: Vec<String> = petgraph::algo::articulation_points::articulation_points(&u)
        .into_iter()
        .filter_map(|p| ids[p.index()])
        .map(|id| t.node(id))
        .filter(|n| n.kind != NodeKind::Servers)
        .map(|n| n.id.clone())
        .collect();
    let mut bridges: Vec<String> = petgraph::algo::bridges::bridges(&u)
        .filter(|e| *e.weight() == 1)
        .filter_map(|e| Some((ids[e.source().index()]?, ids[e.target().index()]?)))
        .map(|(a, b)| (t.node(a), t.node(b)))
        .filter(|(a, b)| a.kind != NodeKind::Servers && b.kind != NodeKind::Servers)
        .map(|(a, b)| format!("{} - {}", a.id, b.id))
        .collect();
    points.sort();
    bridges.sort();
    (points, bridges)
}

/// What to add to fix each shortfall the analysis alone can name. A leaf
/// above its target after a spine loss is fixed by designing the site again
/// (`crate::fixes`), which this stage does not do: data flows down.
fn fixes(plan: &Plan, g: &Graphs, demands: &[DemandFate]) -> Vec<Fix> {
    let mut out = Vec::new();
    for (site, (name, t)) in plan.sites.iter().zip(&g.sites) {
        if site.fabric.homing != crate::model::Homing::Single {
            continue;
        }
        // What each leaf's loss alone cuts off: the servers on it alone.
        let alone: Vec<u64> = t
            .nodes()
            .filter(|(_, n)| n.kind == NodeKind::Leaf)
            .map(|(id, _)| servers_on(t, id).1)
            .filter(|&n| n > 0)
            .collect();
        let (Some(lo), Some(hi)) = (alone.iter().min(), alone.iter().max()) else { continue };
        let count = if lo == hi { format!("{hi}") } else { format!("{lo} to {hi}") };
        out.push(Fix {
            problem: format!(
                "{name}: a leaf failure cuts off the {count} servers on that leaf alone (single-homed)"
            ),
            add: "dual-home the servers (`homing: dual`, two NIC ports per server)".into(),
            cost: None,
        });
    }
    for d in demands.iter().filter(|d| d.diverse && !d.survives_any_single_failure) {
        out.push(Fix {
            problem: format!(
                "{} - {}: {} leaves {} of the {} Gb/s it must keep",
                d.between[0], d.between[1], d.worst_failure, d.worst_gbps, d.gbps
            ),
            add: "add a fibre route diverse from the failed one, or a second router at each end".into(),
            cost: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topology::Node;
    use crate::units::Gbps;

    fn graph(edges: &[(&str, &str, u64)]) -> Topology {
        let mut t = Topology::default();
        for (a, b, count) in edges {
            let mut id = |name: &str| {
                t.find(name).unwrap_or_else(|| {
                    t.add_node(Node {
                        id: name.into(),
                        kind: NodeKind::Spine,
                        site: "s".into(),
                        group: None,
                        servers: None,
                        model: None,
                    })
                })
            };
            let (x, y) = (id(a), id(b));
            t.add_bundle(
                x,
                y,
                Bundle { count: *count, gbps: Gbps(100), class: LinkClass::LeafSpine, length_km: 0.0 },
            );
        }
        t
    }

    #[test]
    fn single_points_of_hand_built_graphs() {
        // A chain a - b - c: b splits it, and both single links are bridges.
        let (p, b) = single_points(&graph(&[("a", "b", 1), ("b", "c", 1)]));
        assert_eq!(p, ["b"]);
        assert_eq!(b, ["a - b", "b - c"]);
        // A ring has none.
        let (p, b) = single_points(&graph(&[("a", "b", 1), ("b", "c", 1), ("c", "a", 1)]));
        assert!(p.is_empty() && b.is_empty());
        // Two rings joined at d: d is a single point; a bundle of two links is no single link.
        let (p, b) = single_points(&graph(&[
            ("a", "b", 1),
            ("b", "d", 1),
            ("d", "a", 1),
            ("d", "e", 1),
            ("e", "f", 1),
            ("f", "d", 1),
            ("f", "g", 2),
        ]));
        assert_eq!(p, ["d", "f"]);
        assert!(b.is_empty(), "{b:?}");
    }
}
