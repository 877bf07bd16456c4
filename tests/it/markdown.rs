//! `--format markdown` renders as intended in a wiki page or a pull-request
//! comment: parsed by a CommonMark + GFM parser, every table is whole, no
//! user text turns into markup, and no demand number becomes an issue link.

use crate::support::*;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use rust_decimal::Decimal;
use std::str::FromStr;

/// A Markdown document as a GFM renderer sees it.
#[derive(Debug, Default)]
struct Rendered {
    /// Heading texts, in order.
    headings: Vec<String>,
    /// Tables: rows of cell texts, the header first.
    tables: Vec<Vec<Vec<String>>>,
    /// Markup found that the output never means to make.
    unwanted: Vec<String>,
    /// Plain text (not code) that GitHub would turn into an issue link.
    issue_refs: Vec<String>,
}

fn render(md: &str) -> Rendered {
    let mut r = Rendered::default();
    let mut heading: Option<String> = None;
    let mut cell: Option<String> = None;
    let mut row: Vec<String> = Vec::new();
    let mut columns = 0;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => r.headings.extend(heading.take()),
            Event::Start(Tag::Table(aligns)) => {
                columns = aligns.len();
                r.tables.push(Vec::new());
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => row.extend(cell.take()),
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                let cells = std::mem::take(&mut row);
                assert_eq!(
                    cells.len(),
                    columns,
                    "a row with {} cells in a {columns}-column table: {cells:?}",
                    cells.len()
                );
                r.tables.last_mut().unwrap().push(cells);
            }
            Event::Text(t) => {
                let chars: Vec<char> = t.chars().collect();
                for (i, c) in chars.iter().enumerate() {
                    let starts = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '&');
                    if *c == '#' && starts && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
                        r.issue_refs.push(t.to_string());
                    }
                }
                for buf in [&mut heading, &mut cell].into_iter().flatten() {
                    buf.push_str(&t);
                }
            }
            Event::Code(t) => {
                for buf in [&mut heading, &mut cell].into_iter().flatten() {
                    buf.push_str(&t);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => r.unwanted.push(format!("html {h}")),
            Event::Start(
                t @ (Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)),
            ) => r.unwanted.push(format!("{t:?}")),
            _ => {}
        }
    }
    r
}

fn markdown_of(args: &[&str]) -> Rendered {
    let run = dcplan(args);
    assert_eq!(run.status.code(), Some(0), "{args:?}: {}", stderr(&run));
    let r = render(&stdout(&run));
    assert!(r.unwanted.is_empty(), "{args:?} renders markup it does not mean: {:?}", r.unwanted);
    assert!(r.issue_refs.is_empty(), "{args:?} would link issues: {:?}", r.issue_refs);
    r
}

fn json_of(args: &[&str]) -> serde_json::Value {
    serde_json::from_slice(&dcplan(args).stdout).unwrap()
}

#[test]
fn every_markdown_report_renders_whole() {
    for args in [
        &["plan", "scenarios/example.yaml", "--format", "markdown"][..],
        &["plan", "scenarios/beijing-metro.yaml", "--format", "markdown"],
        &["compare", "scenarios/beijing-metro.yaml", "--format", "markdown"],
        &["compare", "scenarios/example.yaml", "--format", "markdown"],
        &[
            "compare",
            "scenarios/beijing-metro.yaml",
            "--catalog",
            "catalogs/nokia-xiaomi-2017.yaml",
            "--catalog",
            "catalogs/merchant-whitebox.yaml",
            "--format",
            "markdown",
        ],
        &["bom", "scenarios/beijing-metro.yaml", "--format", "markdown"],
        &["failures", "scenarios/beijing-metro.yaml", "--format", "markdown", "--quiet"],
    ] {
        let md = markdown_of(args);
        let no_demands = args[1] == "scenarios/example.yaml" && args[0] == "compare";
        assert_eq!(md.tables.is_empty(), no_demands, "{args:?}: {} tables", md.tables.len());
    }
}

#[test]
fn the_markdown_bom_adds_up_to_the_json_bom() {
    let md = markdown_of(&["bom", "scenarios/beijing-metro.yaml", "--format", "markdown"]);
    let json = json_of(&["bom", "scenarios/beijing-metro.yaml", "--format", "json"]);
    let lines = &md.tables[0];
    assert_eq!(lines.len() - 1, json["lines"].as_array().unwrap().len());
    let col = lines[0].iter().position(|h| h == "extended net").unwrap();
    let sum: Decimal = lines[1..].iter().map(|r| Decimal::from_str(&r[col]).unwrap()).sum();
    assert_eq!(sum, Decimal::from_str(json["totals"]["net"].as_str().unwrap()).unwrap());
    // An estimated price keeps its `~` as text.
    assert!(lines[1..].iter().any(|r| r[5].ends_with(" ~")), "{:?}", lines[1]);
}

#[test]
fn the_markdown_failure_report_lists_every_class_and_demand() {
    let args = ["failures", "scenarios/beijing-metro.yaml", "--quiet", "--format"];
    let md = markdown_of(&[&args[..], &["markdown"]].concat());
    let json = json_of(&[&args[..], &["json"]].concat());
    assert_eq!(md.tables[0].len() - 1, json["classes"].as_array().unwrap().len());
    assert_eq!(md.tables[1].len() - 1, json["demands"].as_array().unwrap().len());
    // Demand numbers read as `#1`, as code rather than links.
    assert_eq!(md.tables[1][1][0], "#1");
}

/// Names are the user's: whatever they hold comes out as text.
#[test]
fn user_text_stays_text() {
    let name = "Hall *A* | <b>x</b> ~y~ #7 [z](http://e.example) _u_";
    let text = std::fs::read_to_string(root().join("scenarios/example.yaml")).unwrap();
    let line = text.lines().find(|l| l.starts_with("name:")).expect("a name line").to_string();
    let text = text.replacen(&line, &format!("name: {}", serde_json::to_string(name).unwrap()), 1);
    let dir = std::env::temp_dir().join(format!("dcplan-md-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("named.yaml");
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap();
    for (args, heading) in [
        (vec!["plan", p, "--format", "markdown"], format!("Plan: {name}")),
        (vec!["compare", p, "--format", "markdown"], format!("Interconnect: {name}")),
        (vec!["bom", p, "--format", "markdown"], format!("Bill of materials: {name}")),
    ] {
        let md = markdown_of(&args);
        assert_eq!(md.headings[0], heading, "{args:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
