//! Depth 2: pairs of failures. Two members of one class (or of two classes)
//! need not fare alike as a pair: two leaves that share a rack's servers
//! strand them, two in other racks do not; two spines of one pod cut it
//! off, two of different pods do not. So each class pair is evaluated once
//! per *relation* of its two elements: the first class's representative is
//! fixed and the other class's members are told apart by how they stand to
//! it (joined or not, the same pod or not, and the nodes both reach in one
//! hop, by kind and by how many neighbours that middle node has), one
//! member per relation in class order. A fabric's symmetries keep these
//! relations, so pairs that differ by a symmetry share one; the converse
//! (one relation, one fate) is not proven: tests hold the most servers
//! stranded against every pair of small fabrics, split NICs included.

use super::worst::Worst;
use super::{evaluate, pct, DepthTwo, Element, Graphs, Judge, Outcome};
use crate::topology::{NodeId, NodeKind, Topology};
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How a node stands to a fixed one: joined to it, in its pod, and the
/// nodes both are joined to, counted by (kind, neighbours of that node).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Relation {
    joined: bool,
    same_group: bool,
    common: Vec<((NodeKind, usize), u64)>,
}

/// What one node reaches in one and two hops, for [`Relation`]s to it.
struct Around {
    group: Option<u64>,
    joined: BTreeSet<NodeId>,
    /// Per node two hops away: the middle nodes by (kind, degree).
    two_hops: HashMap<NodeId, BTreeMap<(NodeKind, usize), u64>>,
}

impl Around {
    fn of(t: &Topology, node: NodeId) -> Around {
        let joined: BTreeSet<NodeId> = t.bundles_at(node).map(|(o, _)| o).collect();
        let mut two_hops: HashMap<NodeId, BTreeMap<(NodeKind, usize), u64>> = HashMap::new();
        for &mid in &joined {
            let around_mid: BTreeSet<NodeId> = t.bundles_at(mid).map(|(o, _)| o).collect();
            let key = (t.node(mid).kind, around_mid.len());
            for o in around_mid.into_iter().filter(|&o| o != node) {
                *two_hops.entry(o).or_default().entry(key).or_default() += 1;
            }
        }
        Around { group: t.node(node).group, joined, two_hops }
    }

    fn relation(&self, t: &Topology, other: NodeId) -> Relation {
        Relation {
            joined: self.joined.contains(&other),
            same_group: self.group.is_some() && self.group == t.node(other).group,
            common: self
                .two_hops
                .get(&other)
                .map(|m| m.iter().map(|(k, v)| (*k, *v)).collect())
                .unwrap_or_default(),
        }
    }
}

/// One pair to evaluate: class names, the two elements, and twice the
/// element pairs it stands for (a pair within a class counts each of its
/// unordered pairs from both ends).
struct Todo {
    classes: (String, String),
    pair: (Element, Element),
    doubled: u64,
}

/// The representative pairs of classes `a` and `b` (`same`: one class):
/// one per relation of `b`'s members to `a[0]` when both are devices of one
/// site, else the first of each.
fn class_pairs(
    g: &Graphs,
    a: &[Element],
    b: &[Element],
    same: bool,
    around: Option<&Around>,
) -> Vec<(Element, Element, u64)> {
    let (na, nb) = (a.len() as u64, b.len() as u64);
    let rest = if same { &b[1..] } else { b };
    if rest.is_empty() {
        return Vec::new();
    }
    let site_nodes = match (&a[0], &rest[0]) {
        (Element::SiteNode { site: s, .. }, Element::SiteNode { site: t, .. }) if s == t => Some(*s),
        _ => None,
    };
    let (Some(site), Some(around)) = (site_nodes, around) else {
        let doubled = if same { na * (na - 1) } else { 2 * na * nb };
        return vec![(a[0].clone(), rest[0].clone(), doubled)];
    };
    let t = &g.sites[site].1;
    let mut seen: Vec<(Relation, Element, u64)> = Vec::new();
    let mut index: HashMap<Relation, usize> = HashMap::new();
    for e in rest {
        let Element::SiteNode { node, .. } = e else { continue };
        let r = around.relation(t, *node);
        match index.get(&r) {
            Some(&i) => seen[i].2 += 1,
            None => {
                index.insert(r.clone(), seen.len());
                seen.push((r, e.clone(), 1));
            }
        }
    }
    // Within a class every member is some pair's fixed end: n × c / 2 pairs
    // of a relation met c times from one end, doubled.
    let scale = if same { na } else { 2 * na };
    seen.into_iter().map(|(_, e, c)| (a[0].clone(), e, c * scale)).collect()
}

/// Pairs of class representatives, one per relation, within a budget.
pub(super) fn pairs(
    g: &Graphs,
    groups: &BTreeMap<(String, String), Vec<Element>>,
    judge: &Judge,
    budget: u64,
    tick: &(dyn Fn() + Sync),
) -> DepthTwo {
    let keys: Vec<&(String, String)> = groups.keys().collect();
    let arounds: Vec<Option<Around>> = keys
        .iter()
        .map(|k| match groups[*k].first() {
            Some(Element::SiteNode { site, node }) => Some(Around::of(&g.sites[*site].1, *node)),
            _ => None,
        })
        .collect();
    let mut todo: Vec<Todo> = Vec::new();
    for i in 0..keys.len() {
        for j in i..keys.len() {
            let (a, b) = (&groups[keys[i]], &groups[keys[j]]);
            for (x, y, doubled) in class_pairs(g, a, b, i == j, arounds[i].as_ref()) {
                todo.push(Todo { classes: (keys[i].0.clone(), keys[j].0.clone()), pair: (x, y), doubled });
            }
        }
    }
    let pairs_total = todo.len() as u64;
    let n: u64 = groups.values().map(|v| v.len() as u64).sum();
    let all_doubled = n * n.saturating_sub(1);
    todo.truncate(budget as usize);
    let covered: u64 = todo.iter().map(|t| t.doubled).sum();
    let results: Vec<Outcome> = todo
        .par_iter()
        .map(|t| {
            let (ca, cb) = &t.classes;
            let o = evaluate(
                g,
                &[t.pair.0.clone(), t.pair.1.clone()],
                format!("{ca} + {cb}"),
                t.doubled.div_ceil(2),
            );
            tick();
            o
        })
        .collect();
    let mut bisection = Worst::new(None);
    let mut stranded = Worst::new(None);
    let mut short = BTreeSet::new();
    for o in &results {
        let name = o.name();
        for (site, b) in &o.bisection_gbps {
            bisection.offer(site, *b, &name);
        }
        for (site, s) in o.stranded_servers.iter().filter(|(_, s)| **s > 0) {
            stranded.offer(site, Reverse(*s), &name);
        }
        for (i, d) in g.demands.iter().enumerate() {
            if o.demand_gbps[i] < d.2 {
                short.insert(i);
            }
        }
    }
    DepthTwo {
        pairs_evaluated: results.len() as u64,
        pairs_total,
        coverage_pct: if all_doubled == 0 {
            100.0
        } else {
            (covered as f64 / all_doubled as f64 * 1000.0).round() / 10.0
        },
        worst_bisection_pct: bisection.report(|site, b| pct(b, judge.intact[site])),
        worst_stranded_servers: stranded.report(|_, Reverse(s)| s),
        demands_short: short.into_iter().collect(),
    }
}
