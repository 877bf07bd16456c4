//! The topology for other tools: JSON (nodes and edges, so anyone can
//! recompute max-flow), Graphviz DOT and GraphML.

use crate::topology::Topology;
use serde::Serialize;

#[derive(Serialize)]
struct NodeJson<'a> {
    id: &'a str,
    kind: &'a crate::topology::NodeKind,
    site: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    servers: Option<u64>,
}

#[derive(Serialize)]
struct EdgeJson<'a> {
    a: &'a str,
    b: &'a str,
    count: u64,
    /// Speed of each member link.
    gbps: u64,
    class: &'static str,
    #[serde(skip_serializing_if = "is_zero")]
    length_km: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

#[derive(Serialize)]
struct GraphJson<'a> {
    /// Links are full duplex: each edge carries `count × gbps` in each direction.
    directed: bool,
    nodes: Vec<NodeJson<'a>>,
    edges: Vec<EdgeJson<'a>>,
}

/// `nodes[]` with `id`, `kind`, `site`; `edges[]` with `a`, `b`, `count`, `gbps`.
pub fn to_json(t: &Topology) -> String {
    let doc = GraphJson {
        directed: false,
        nodes: t
            .nodes()
            .map(|(_, n)| NodeJson {
                id: &n.id,
                kind: &n.kind,
                site: &n.site,
                model: n.model.as_deref(),
                servers: n.servers,
            })
            .collect(),
        edges: t
            .bundles()
            .map(|(a, b, e)| EdgeJson {
                a: &t.node(a).id,
                b: &t.node(b).id,
                count: e.count,
                gbps: e.gbps.0,
                class: e.class.as_str(),
                length_km: e.length_km,
            })
            .collect(),
    };
    let mut s = serde_json::to_string(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// Text made safe inside XML/HTML content and double-quoted attributes.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The inside of a DOT double-quoted string: `"` and `\` escaped, so two
/// distinct ids never become one node.
fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Graphviz DOT (undirected); edge labels say `count x speed`.
pub fn to_dot(t: &Topology) -> String {
    let mut out = String::from("graph dcplan {\n  node [shape=box, fontsize=10];\n");
    for (_, n) in t.nodes() {
        let kind = crate::model::name_of(&n.kind);
        out.push_str(&format!(
            "  \"{}\" [label=\"{}\\n{}\", kind=\"{kind}\"];\n",
            dot_escape(&n.id),
            dot_escape(&n.id),
            kind
        ));
    }
    for (a, b, e) in t.bundles() {
        out.push_str(&format!(
            "  \"{}\" -- \"{}\" [label=\"{}x{}G\", count={}, gbps={}];\n",
            dot_escape(&t.node(a).id),
            dot_escape(&t.node(b).id),
            e.count,
            e.gbps.0,
            e.count,
            e.gbps.0
        ));
    }
    out.push_str("}\n");
    out
}

/// GraphML, with `kind`, `site`, `count`, `gbps` and `length_km` as data keys.
pub fn to_graphml(t: &Topology) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n  \
<key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n  \
<key id=\"site\" for=\"node\" attr.name=\"site\" attr.type=\"string\"/>\n  \
<key id=\"count\" for=\"edge\" attr.name=\"count\" attr.type=\"long\"/>\n  \
<key id=\"gbps\" for=\"edge\" attr.name=\"gbps\" attr.type=\"long\"/>\n  \
<key id=\"length_km\" for=\"edge\" attr.name=\"length_km\" attr.type=\"double\"/>\n  \
<graph id=\"dcplan\" edgedefault=\"undirected\">\n",
    );
    for (_, n) in t.nodes() {
        out.push_str(&format!(
            "    <node id=\"{}\"><data key=\"kind\">{}</data><data key=\"site\">{}</data></node>\n",
            escape(&n.id),
            crate::model::name_of(&n.kind),
            escape(&n.site)
        ));
    }
    for (a, b, e) in t.bundles() {
        out.push_str(&format!(
            "    <edge source=\"{}\" target=\"{}\"><data key=\"count\">{}</data><data key=\"gbps\">{}</data><data key=\"length_km\">{}</data></edge>\n",
            escape(&t.node(a).id),
            escape(&t.node(b).id),
            e.count,
            e.gbps.0,
            e.length_km
        ));
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

#[cfg(test)]
mod dot_tests {
    use super::dot_escape;

    #[test]
    fn distinct_ids_stay_distinct_in_dot() {
        assert_eq!(dot_escape(r#"a"b"#), r#"a\"b"#);
        assert_eq!(dot_escape(r"a\b"), r"a\\b");
        assert_ne!(dot_escape(r#"a"b"#), dot_escape("a'b"));
    }
}
