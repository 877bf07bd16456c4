//! Bounds on a document before anything is built from it.
//!
//! serde_yaml bounds nesting and the number of alias jumps, not what the
//! aliases expand to: 60 KB of anchors referenced through four levels of
//! ten aliases build 10⁸ nodes. And libyaml, under serde_yaml, takes time
//! quadratic in the depth of flow nesting (`[[[[…`) before serde_yaml
//! counts a single level. So two guards:
//!
//! - [`check`], a pass over yaml-rust2's events (which never expand an
//!   alias): nesting depth, the size of the document with every alias
//!   expanded (each anchor's size worked out once, so a bomb is measured in
//!   time linear in its text), and tags. Too deep or too large, it refuses
//!   before libyaml sees the text; an unknown tag is an error reported
//!   with the document's other problems.
//! - [`Bounded`], the value serde_yaml builds, counted node by node: the
//!   same bound on the expansion, for a document that yaml-rust2 rejects
//!   but libyaml reads (the two parsers disagree on details), so that no
//!   shape of input escapes the bound; it also collects the tags of such a
//!   document, which `check` could not see.

use super::lines::Lines;
use crate::diag::{Code, Diagnostic};
use crate::limits::{MAX_UNCHECKED_FLOW_COLLECTIONS, MAX_YAML_DEPTH, MAX_YAML_NODES, MAX_YAML_SCALAR_BYTES};
use crate::units::thousands;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_yaml::{Mapping, Value};
use std::cell::{Cell, RefCell};
use std::fmt;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

/// The core-schema tags serde_yaml reads as they mean; any other tag is
/// refused (serde_yaml would drop `!!binary` silently and keep `!foo` as a
/// value no field expects).
const KNOWN_TAGS: &[&str] = &["str", "int", "float", "bool", "null", "seq", "map"];
const CORE_SCHEMA: &str = "tag:yaml.org,2002:";

/// Most tag errors reported for one document.
const MAX_TAG_ERRORS: usize = 32;

/// The size of a node with its aliases expanded.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    nodes: u64,
    bytes: u64,
}

impl Size {
    fn add(&mut self, other: Size) {
        self.nodes = self.nodes.saturating_add(other.nodes);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

/// An open collection: its anchor (0 for none) and its size so far.
struct Open {
    anchor: usize,
    size: Size,
}

/// What [`check`] found in a document that may be built.
#[derive(Debug)]
pub(super) struct Checked {
    /// The tags it refuses: errors, reported with the document's other
    /// problems (the document is built without them).
    pub(super) tags: Vec<Diagnostic>,
    /// Whether yaml-rust2 read the whole document: if not, its tags and
    /// nesting are unknown, and [`Bounded`] refuses any tag itself.
    pub(super) complete: bool,
}

/// Checks a document's nesting, expanded size and tags before it is parsed
/// for real. `Ok` when within bounds, or when yaml-rust2 cannot read the
/// document (then serde_yaml's own diagnostic says why, and [`Bounded`]
/// bounds the expansion) unless the document holds enough flow collections
/// to make libyaml slow. `Err` when nothing may be built.
pub(super) fn check(text: &str) -> Result<Checked, Vec<Diagnostic>> {
    let lines = Lines::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut anchors: Vec<Option<Size>> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut total = Size::default();
    let mut tags = Vec::new();
    let mut documents = 0;
    loop {
        let (event, marker) = match parser.next_token() {
            Ok(next) => next,
            Err(e) => return unchecked(text, &lines, &e),
        };
        let (anchor, tag, own) = match &event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    // serde_yaml refuses a second document: no need to read it.
                    break;
                }
                continue;
            }
            Event::Scalar(value, _, anchor, tag) => {
                (*anchor, tag.as_ref(), Size { nodes: 1, bytes: value.len() as u64 })
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                (*anchor, tag.as_ref(), Size { nodes: 1, bytes: 0 })
            }
            Event::Alias(id) => match anchors.get(*id).copied().flatten() {
                Some(size) => (0, None, size),
                None => return Err(vec![recursive_alias(&lines, marker)]),
            },
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = stack.pop() else { continue };
                if open.anchor > 0 {
                    set(&mut anchors, open.anchor, open.size);
                }
                if let Some(parent) = stack.last_mut() {
                    parent.size.add(open.size);
                }
                continue;
            }
            _ => continue,
        };
        if let Some(tag) = tag.filter(|t| !is_known(t)) {
            if tags.len() < MAX_TAG_ERRORS {
                tags.push(unknown_tag(&lines, marker, &format!("{}{}", tag.handle, tag.suffix)));
            }
        }
        total.add(own);
        if total.nodes > MAX_YAML_NODES || total.bytes > MAX_YAML_SCALAR_BYTES {
            return Err(vec![too_large(&lines, marker, total)]);
        }
        if matches!(event, Event::SequenceStart(..) | Event::MappingStart(..)) {
            if stack.len() >= MAX_YAML_DEPTH {
                return Err(vec![too_deep(&lines, marker)]);
            }
            // Until it is closed, an anchor names a node of unknown size:
            // an alias to it inside it would expand forever.
            if anchor > 0 {
                set_open(&mut anchors, anchor);
            }
            stack.push(Open { anchor, size: own });
        } else {
            if anchor > 0 {
                set(&mut anchors, anchor, own);
            }
            if let Some(parent) = stack.last_mut() {
                parent.size.add(own);
            }
        }
    }
    Ok(Checked { tags, complete: true })
}

fn set(anchors: &mut Vec<Option<Size>>, id: usize, size: Size) {
    if anchors.len() <= id {
        anchors.resize(id + 1, None);
    }
    anchors[id] = Some(size);
}

fn set_open(anchors: &mut Vec<Option<Size>>, id: usize) {
    if anchors.len() <= id {
        anchors.resize(id + 1, None);
    }
    anchors[id] = None;
}

fn is_known(tag: &yaml_rust2::parser::Tag) -> bool {
    let full = format!("{}{}", tag.handle, tag.suffix);
    full.strip_prefix(CORE_SCHEMA).is_some_and(|name| KNOWN_TAGS.contains(&name))
}

/// yaml-rust2 stopped on something libyaml may still read. The document goes
/// on to serde_yaml, whose diagnostic says what is wrong, unless it holds
/// so many flow collections that libyaml's time (quadratic in their
/// nesting) could not be bounded without yaml-rust2's depth check.
fn unchecked(
    text: &str,
    lines: &Lines<'_>,
    error: &yaml_rust2::ScanError,
) -> Result<Checked, Vec<Diagnostic>> {
    if error.info().contains("recursion limit exceeded") {
        return Err(vec![too_deep(lines, *error.marker())]);
    }
    let flow = text.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
    if flow <= MAX_UNCHECKED_FLOW_COLLECTIONS {
        return Ok(Checked { tags: Vec::new(), complete: false });
    }
    let marker = error.marker();
    Err(vec![Diagnostic::error(Code::YamlSyntax, "", format!("{} (YAML 1.2)", error.info()))
        .expected("YAML 1.2")
        .hint(format!(
            "dcplan reads a document with more than {MAX_UNCHECKED_FLOW_COLLECTIONS} `[` or `{{` only when it \
             is strict YAML 1.2: fix this first"
        ))
        .at(lines.location(marker.line(), marker.col(), 1))])
}

fn limit_hint() -> &'static str {
    "dcplan refuses deeply nested YAML and runaway alias expansion; write the data out plainly"
}

fn too_large(lines: &Lines<'_>, marker: Marker, size: Size) -> Diagnostic {
    let nodes = thousands(MAX_YAML_NODES);
    let what = if size.nodes > MAX_YAML_NODES {
        format!("more than {nodes} values")
    } else {
        format!("more than {} MiB of text", MAX_YAML_SCALAR_BYTES >> 20)
    };
    // Underline the alias (or the value) that crosses the limit.
    let at = lines.offset(marker.line(), marker.col());
    let token = lines.text()[at..].find(|c: char| c.is_whitespace() || ",[]{}".contains(c));
    Diagnostic::error(Code::YamlLimit, "", format!("{SIZE_MESSAGE} {what}"))
        .expected(format!(
            "at most {nodes} values and {} MiB of text, aliases expanded",
            MAX_YAML_SCALAR_BYTES >> 20
        ))
        .hint(limit_hint())
        .at(lines.location(marker.line(), marker.col(), token.unwrap_or(1).clamp(1, 64)))
}

fn too_deep(lines: &Lines<'_>, marker: Marker) -> Diagnostic {
    Diagnostic::error(Code::YamlLimit, "", format!("nesting deeper than {MAX_YAML_DEPTH} levels"))
        .expected(format!("at most {MAX_YAML_DEPTH} levels of lists and mappings"))
        .hint(limit_hint())
        .at(lines.location(marker.line(), marker.col(), 1))
}

fn recursive_alias(lines: &Lines<'_>, marker: Marker) -> Diagnostic {
    Diagnostic::error(Code::YamlLimit, "", "an alias inside the node it refers to expands without end")
        .expected("an alias to a node defined before it, outside it")
        .hint(limit_hint())
        .at(lines.location(marker.line(), marker.col(), 1))
}

fn unknown_tag(lines: &Lines<'_>, marker: Marker, tag: &str) -> Diagnostic {
    let shown = match tag.strip_prefix(CORE_SCHEMA) {
        Some(name) => format!("!!{name}"),
        None if tag.starts_with('!') => tag.to_string(),
        None => format!("!<{tag}>"),
    };
    let location = lines.location(marker.line(), marker.col(), shown.len());
    unknown_tag_diagnostic(&shown).at(location)
}

fn unknown_tag_diagnostic(shown: &str) -> Diagnostic {
    Diagnostic::error(Code::UnknownTag, "", format!("the YAML tag `{shown}` is not read by dcplan"))
        .found(shown)
        .expected("a plain value, without a tag")
        .hint("remove the tag; quote the value to make it a text (`\"...\"`)")
}

/// The start of serde_yaml's message when [`Bounded`] stops an expansion.
pub(super) const SIZE_MESSAGE: &str = "with its aliases expanded, the document holds";

/// Builds a [`Value`] as serde_yaml's own `Deserialize` does, counting every
/// node and scalar byte it is given, aliases replayed included, and stopping
/// past the limits. A node with a tag serde_yaml does not resolve is built
/// without it; the tag is kept for [`Budget::unreported_tags`] unless
/// [`check`] has reported it.
#[derive(Clone, Copy)]
pub(super) struct Bounded<'a> {
    budget: &'a Budget,
}

/// What is left to build.
pub(super) struct Budget {
    nodes: Cell<u64>,
    bytes: Cell<u64>,
    tags_reported: bool,
    /// Tags met while building, when [`check`] could not report them.
    tags: RefCell<Vec<String>>,
}

impl Budget {
    /// `tags_reported`: [`check`] read the whole document, so every tag is
    /// reported already.
    pub(super) fn new(tags_reported: bool) -> Self {
        Budget {
            nodes: Cell::new(MAX_YAML_NODES),
            bytes: Cell::new(MAX_YAML_SCALAR_BYTES),
            tags_reported,
            tags: RefCell::new(Vec::new()),
        }
    }

    /// The tags met while building a document [`check`] could not read, as
    /// errors, each at the first place its text appears.
    pub(super) fn unreported_tags(&self, text: &str) -> Vec<Diagnostic> {
        let lines = Lines::new(text);
        let tags = self.tags.borrow();
        tags.iter()
            .map(|tag| {
                // serde_yaml gives `!foo` as `foo`, or as `!foo`.
                let bare = tag.trim_start_matches('!');
                let forms = [format!("!{bare}"), format!("!<{bare}>")];
                let found = forms.iter().find_map(|form| text.find(form.as_str()).map(|at| (form, at)));
                let written = found.map_or(forms[0].as_str(), |(form, _)| form.as_str());
                let d = unknown_tag_diagnostic(written);
                match found {
                    Some((_, at)) => {
                        let (line, column) = lines.line_column(at);
                        d.at(lines.location(line, column, written.len()))
                    }
                    None => d,
                }
            })
            .collect()
    }

    pub(super) fn seed(&self) -> Bounded<'_> {
        Bounded { budget: self }
    }

    fn spend<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        let nodes = self.nodes.get().checked_sub(1);
        let bytes = self.bytes.get().checked_sub(bytes as u64);
        match (nodes, bytes) {
            (Some(n), Some(b)) => {
                self.nodes.set(n);
                self.bytes.set(b);
                Ok(())
            }
            _ => Err(E::custom(format!(
                "{SIZE_MESSAGE} more than {} values or {} MiB of text",
                thousands(MAX_YAML_NODES),
                MAX_YAML_SCALAR_BYTES >> 20
            ))),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Bounded<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Bounded<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        self.budget.spend(0)?;
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        self.budget.spend(0)?;
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        self.budget.spend(0)?;
        Ok(Value::Number(u.into()))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        self.budget.spend(0)?;
        Ok(Value::Number(f.into()))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        self.budget.spend(s.len())?;
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        self.budget.spend(s.len())?;
        Ok(Value::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.budget.spend(0)?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.budget.spend(0)?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.budget.spend(0)?;
        let mut mapping = Mapping::new();
        while let Some(key) = map.next_key_seed(self)? {
            if mapping.contains_key(&key) {
                // serde_yaml's own wording, which `parse_value` recognises.
                return Err(de::Error::custom(format!("duplicate entry {}", duplicate_key(&key))));
            }
            let value = map.next_value_seed(self)?;
            mapping.insert(key, value);
        }
        Ok(Value::Mapping(mapping))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // serde_yaml hands a node with a tag it does not resolve over as an enum.
        let (tag, contents): (String, _) = data.variant()?;
        if !self.budget.tags_reported {
            let mut tags = self.budget.tags.borrow_mut();
            if tags.len() < MAX_TAG_ERRORS && !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        contents.newtype_variant_seed(self)
    }
}

fn duplicate_key(key: &Value) -> String {
    match key {
        Value::Null => "with null key".to_string(),
        Value::Bool(b) => format!("with key `{b}`"),
        Value::Number(n) => format!("with key {n}"),
        Value::String(s) => format!("with key {s:?}"),
        Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => "in YAML map".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn codes(text: &str) -> Vec<Code> {
        match check(text) {
            Ok(checked) => checked.tags.iter().map(|d| d.code).collect(),
            Err(ds) => ds.iter().map(|d| d.code).collect(),
        }
    }

    /// An anchored list of `width` scalars, then `levels` levels of `fan`
    /// aliases each to the level below, in flow or block style.
    fn bomb(width: usize, levels: usize, fan: usize, block: bool) -> String {
        let mut text = format!("a0: &a0 [{}]\n", vec!["x"; width].join(", "));
        for i in 1..=levels {
            let refs = vec![format!("*a{}", i - 1); fan];
            if block {
                text.push_str(&format!(
                    "a{i}: &a{i}\n{}",
                    refs.iter().map(|r| format!("  - {r}\n")).collect::<String>()
                ));
            } else {
                text.push_str(&format!("a{i}: &a{i} [{}]\n", refs.join(", ")));
            }
        }
        text
    }

    #[test]
    fn alias_bombs_of_every_shape_are_refused_before_anything_is_built() {
        let mut map_fan = String::from("m0: &m0 {");
        map_fan.push_str(&(0..1000).map(|i| format!("k{i}: v")).collect::<Vec<_>>().join(", "));
        map_fan.push_str("}\n");
        for i in 1..=4 {
            let p = i - 1;
            map_fan.push_str(&format!(
                "m{i}: &m{i} {{{}}}\n",
                (0..10).map(|j| format!("k{j}: *m{p}")).collect::<Vec<_>>().join(", ")
            ));
        }
        let mut chain = String::from("c0: &c0 [x, x]\n");
        for i in 1..40 {
            chain.push_str(&format!("c{i}: &c{i} [*c{}, *c{}]\n", i - 1, i - 1));
        }
        let long = "y".repeat(100_000);
        let mut bytes = format!("s: &s \"{long}\"\nl: [");
        bytes.push_str(&vec!["*s"; 100].join(", "));
        bytes.push_str("]\n");
        let shapes = [
            ("the issue's: 10,000 scalars, four levels of ten", bomb(10_000, 4, 10, false)),
            ("block style", bomb(10_000, 4, 10, true)),
            ("wide fan", bomb(10, 1, 300_000, false)),
            ("mappings", map_fan),
            ("a deep chain of pairs", chain),
            ("text, not nodes", bytes),
            (
                "aliases as keys",
                format!("k: &k [{}]\nm: {{? *k : 1, ? [*k, *k, *k] : 2}}\n", vec!["x"; 1_000_000].join(",")),
            ),
        ];
        for (what, text) in shapes {
            let start = Instant::now();
            let diagnostics = check(&text).expect_err(what);
            assert_eq!(diagnostics[0].code, Code::YamlLimit, "{what}: {diagnostics:?}");
            assert!(diagnostics[0].location.is_some(), "{what}");
            let checked = start.elapsed();
            // And the fallback inside serde_yaml's own parse stops too.
            let budget = Budget::new(false);
            let err = budget.seed().deserialize(serde_yaml::Deserializer::from_str(&text)).expect_err(what);
            assert!(
                err.to_string().contains(SIZE_MESSAGE) || err.to_string().contains("limit exceeded"),
                "{what}: {err}"
            );
            eprintln!("{what}: refused in {checked:?} (the fallback in {:?})", start.elapsed() - checked);
        }
    }

    #[test]
    fn aliases_within_the_bounds_are_read() {
        assert_eq!(codes(&bomb(100, 2, 10, false)), []);
        let value = parse(&bomb(100, 2, 10, true));
        assert_eq!(value["a2"][9][0][99], Value::String("x".into()));
    }

    fn parse(text: &str) -> Value {
        assert!(check(text).expect("within bounds").tags.is_empty());
        Budget::new(false).seed().deserialize(serde_yaml::Deserializer::from_str(text)).expect("parses")
    }

    #[test]
    fn an_alias_inside_its_own_anchor_is_refused() {
        assert_eq!(codes("a: &a [1, *a]\n"), [Code::YamlLimit]);
        assert_eq!(codes("a: &a {b: *a}\n"), [Code::YamlLimit]);
        // A later anchor of the same name is another node.
        assert_eq!(codes("a: &a [1]\nb: &a [*a]\n"), [Code::YamlLimit]);
        assert_eq!(codes("a: &a [1]\nb: *a\nc: &a [*a]\n"), [Code::YamlLimit]);
        assert_eq!(codes("a: &a [1]\nb: [*a, *a]\n"), []);
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_libyaml_reads_it() {
        let start = Instant::now();
        let text = format!("a: {}{}\n", "[".repeat(2_000_000), "]".repeat(2_000_000));
        let diagnostics = check(&text).unwrap_err();
        assert_eq!(diagnostics[0].code, Code::YamlLimit);
        assert_eq!(diagnostics[0].location.map(|l| l.line), Some(1));
        eprintln!("4 MB of nesting refused in {:?}", start.elapsed());
        let ok = format!("a: {}{}\n", "[".repeat(MAX_YAML_DEPTH - 1), "]".repeat(MAX_YAML_DEPTH - 1));
        assert_eq!(codes(&ok), []);
        let too_deep = format!("a: {}{}\n", "[".repeat(MAX_YAML_DEPTH), "]".repeat(MAX_YAML_DEPTH));
        assert_eq!(codes(&too_deep), [Code::YamlLimit]);
    }

    #[test]
    fn unknown_tags_are_refused_and_core_ones_read() {
        for text in [
            "a: !!binary aGk=\n",
            "a: !foo bar\n",
            "a: ! x\n",
            "a: !!set {x}\n",
            "a: !<tag:x> 1\n",
            "a: !!timestamp 2020-01-01\n",
            "%TAG !! tag:evil.example,2024:\n---\na: !!str x\n",
            "a: !!map {b: 1}\nc: !!python/object x\n",
        ] {
            let found = codes(text);
            assert!(!found.is_empty() && found.iter().all(|c| *c == Code::UnknownTag), "{text}: {found:?}");
        }
        let d = &check("a:\n  b: !foo bar\n").unwrap().tags[0];
        assert_eq!((d.location.unwrap().line, d.found.as_deref()), (2, Some("!foo")));
        for text in [
            "a: !!str 5\n",
            "a: !!int '5'\n",
            "a: !!float 1\n",
            "a: !!map {b: 1}\n",
            "a: !!seq [1]\n",
            "a: !<tag:yaml.org,2002:str> x\n",
            "a: !!bool true\n",
            "a: !!null ~\n",
        ] {
            assert_eq!(codes(text), [], "{text}");
        }
        // The fallback: a tag serde_yaml keeps is built without it and kept
        // to be reported, unless `check` has reported it already.
        let text = "a: 1\nb: !foo x\n";
        for reported in [false, true] {
            let budget = Budget::new(reported);
            let value = budget.seed().deserialize(serde_yaml::Deserializer::from_str(text)).unwrap();
            assert_eq!(value["b"], Value::String("x".into()));
            let tags = budget.unreported_tags(text);
            assert_eq!(tags.len(), usize::from(!reported));
            if let Some(d) = tags.first() {
                assert_eq!(
                    (d.code, d.location.map(|l| (l.line, l.column))),
                    (Code::UnknownTag, Some((2, 4)))
                );
            }
        }
    }

    #[test]
    fn a_document_yaml_rust2_rejects_is_left_to_serde_yaml_unless_it_is_flow_heavy() {
        // libyaml reads these; yaml-rust2 refuses the tab after `:` and the
        // continuation line of a quoted scalar indented like its key.
        for head in ["a:\tb\n", "a:\n  b: \"x\n  y\"\n"] {
            let mut parser = Parser::new_from_str(head);
            assert!(
                std::iter::from_fn(|| Some(parser.next_token())).take(20).any(|e| e.is_err()),
                "{head:?}"
            );
            assert_eq!(codes(&format!("{head}c: [1, !foo 2]\n")), [], "{head:?}");
            let flow = format!("{head}c: [{}]\n", vec!["[1]"; MAX_UNCHECKED_FLOW_COLLECTIONS].join(","));
            assert_eq!(codes(&flow), [Code::YamlSyntax], "{head:?}");
        }
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(
            [thousands(0), thousands(999), thousands(1000), thousands(2_000_000)],
            ["0", "999", "1,000", "2,000,000"]
        );
    }

    #[test]
    fn a_duplicate_key_is_reported_as_serde_yaml_does() {
        let err = Budget::new(false)
            .seed()
            .deserialize(serde_yaml::Deserializer::from_str("a: 1\na: 2\n"))
            .unwrap_err();
        assert!(err.to_string().contains("duplicate entry with key \"a\""), "{err}");
    }
}
