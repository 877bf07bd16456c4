//! `dcplan failures`: the worst outcome of each class of failure, demands
//! under failure, structural single points of failure, and fixes.

use super::table::{md_line, Table};
use crate::analyse::resilience::FailureReport;
use crate::fixes::{DesignSummary, Outcome, PlannedFix};
use crate::money::Money;
use std::collections::BTreeMap;

/// Each site's worst figure, `figure` formatting it, with the element that
/// gives it in brackets where that is not the class's worst case; `empty`
/// when no site has one.
fn per_site<T>(
    worst: &BTreeMap<String, (T, String)>,
    worst_case: &str,
    empty: &str,
    figure: impl Fn(&T) -> String,
) -> String {
    if worst.is_empty() {
        return empty.into();
    }
    let cells: Vec<String> = worst
        .iter()
        .map(|(site, (v, element))| {
            let by = if element == worst_case { String::new() } else { format!(" ({element})") };
            format!("{site} {}{by}", figure(v))
        })
        .collect();
    cells.join(", ")
}

fn class_table(r: &FailureReport) -> Table {
    let mut t = Table::new(&[
        "failure class",
        "elements>",
        "evaluated>",
        "worst bisection left",
        "worst leaf OS",
        "most servers stranded",
        "demands short",
        "worst case",
    ]);
    for c in &r.classes {
        let w = c.worst.as_str();
        let bis = per_site(&c.worst_bisection_pct, w, "-", |p| format!("{p}%"));
        let os = per_site(&c.worst_leaf_oversubscription, w, "-", |o| {
            if o.is_finite() {
                format!("{o}:1")
            } else {
                "cut off".into()
            }
        });
        // A class that touches a site but strands nothing says so.
        let none = if c.worst_bisection_pct.is_empty() { "-" } else { "none" };
        let stranded = per_site(&c.worst_stranded_servers, w, none, |n| n.to_string());
        t.row(vec![
            c.class.clone(),
            c.elements.to_string(),
            c.evaluated.to_string(),
            bis,
            os,
            stranded,
            if c.demands_short.is_empty() {
                "none".into()
            } else {
                c.demands_short.iter().map(|i| format!("#{}", i + 1)).collect::<Vec<_>>().join(" ")
            },
            c.worst.clone(),
        ]);
    }
    t
}

fn demand_table(r: &FailureReport) -> Table {
    let mut t = Table::new(&[
        "#",
        "between",
        "demand>",
        "protection",
        "intact>",
        "worst single failure>",
        "survives",
        "worst failure",
    ]);
    for (i, d) in r.demands.iter().enumerate() {
        t.row(vec![
            format!("#{}", i + 1),
            format!("{} - {}", d.between[0], d.between[1]),
            format!("{} Gb/s", d.gbps),
            if d.diverse { "diverse".into() } else { "none".into() },
            format!("{} Gb/s", d.intact_gbps),
            format!("{} Gb/s", d.worst_gbps),
            match (d.survives_any_single_failure, d.diverse) {
                (true, _) => "yes".into(),
                (false, true) => "NO (protected!)".into(),
                (false, false) => "no (unprotected)".into(),
            },
            d.worst_failure.clone(),
        ]);
    }
    t
}

fn lines(r: &FailureReport) -> Vec<String> {
    let mut v = vec![format!(
        "Single failures: {} elements in {} equivalence classes, one evaluated per class.",
        r.single_failures_total, r.single_failures_evaluated
    )];
    if let Some(d2) = &r.depth_two {
        let worst = per_site(&d2.worst_bisection_pct, "", "-", |p| format!("{p}%"));
        let stranded = per_site(&d2.worst_stranded_servers, "", "none", |n| n.to_string());
        v.push(format!(
            "Pairs of failures: {} of {} class pairs evaluated, one pair each, standing for {}% of all element pairs if every pair of a class pair fares like its representative (two elements alike alone need not be alike together); worst bisection left: {}; most servers stranded (no path left to the rest of their site): {}; demands short under some pair: {}.",
            d2.pairs_evaluated,
            d2.pairs_total,
            d2.coverage_pct,
            worst,
            stranded,
            if d2.demands_short.is_empty() { "none".into() } else { d2.demands_short.iter().map(|i| format!("#{}", i + 1)).collect::<Vec<_>>().join(" ") }
        ));
    }
    v.push(format!(
        "Structural single points of failure: {} devices ({}), {} single links ({}).",
        r.articulation_points.len(),
        sample(&r.articulation_points),
        r.bridges.len(),
        sample(&r.bridges)
    ));
    for f in &r.planned_fixes {
        v.extend(planned_lines(f));
    }
    for f in &r.fixes {
        v.push(format!(
            "Fix: {} -> {}{}",
            f.problem,
            f.add,
            f.cost.as_ref().map(|c| format!(" (net {c})")).unwrap_or_default()
        ));
    }
    v
}

/// A fabric's shape in a few words.
fn design(d: &DesignSummary) -> String {
    let mut s = format!(
        "{} tiers, {} uplinks of {}G per leaf, {} to each of {} {} spines per pod, {} pods ({} spines)",
        d.tiers,
        d.uplinks_per_leaf,
        d.uplink_speed_gbps,
        d.links_per_spine,
        d.spines_per_pod,
        d.spine,
        d.pods,
        d.spines
    );
    if let Some(ss) = &d.superspine {
        s.push_str(&format!(
            ", {} planes of {} {} superspines ({})",
            d.planes, d.superspines_per_plane, ss, d.superspines
        ));
    }
    s
}

fn signed(m: Money) -> String {
    if m.amount().is_sign_negative() {
        m.to_string()
    } else {
        format!("+{m}")
    }
}

/// A planned fix: the new design, its whole-BOM price, the parts that
/// change and the failure run again on it; or why no design meets it.
pub fn planned_lines(f: &PlannedFix) -> Vec<String> {
    let Some(before) = &f.before else {
        // A demand's fix: nothing to design again.
        let reason = match &f.outcome {
            Outcome::Infeasible { reason } => reason.as_str(),
            Outcome::Planned(_) => "",
        };
        return vec![format!(
            "Fix: {}: {} -> needs {}: no fix within the catalog ({reason})",
            f.site, f.problem, f.constraint
        )];
    };
    let head = format!("Fix: {}: {} -> designed again with `{}`", f.site, f.problem, f.constraint);
    let p = match &f.outcome {
        Outcome::Infeasible { reason } => {
            return vec![format!(
                "{head}: no design in the catalog meets it ({reason}); from {}",
                design(before)
            )]
        }
        Outcome::Planned(p) => p,
    };
    let c = &p.check;
    let verdict = if c.meets_target { "within" } else { "STILL ABOVE" };
    let parts: Vec<String> = p
        .price
        .items
        .iter()
        .map(|i| {
            let dq = i.quantity_after as i128 - i.quantity_before as i128;
            format!("{} {} ({}) {dq:+} ({})", i.category, i.model, i.part_number, signed(i.net))
        })
        .collect();
    let check = if c.figure.contains("oversubscription") {
        format!(
            "on the fixed design losing a spine leaves a leaf at {}:1 ({}), {verdict} the {}:1 target",
            c.value, c.worst_case, c.target
        )
    } else {
        format!(
            "on the fixed design the worst leaf loss ({}) strands {} servers, {verdict} the target of {}",
            c.worst_case, c.value, c.target
        )
    };
    vec![
        format!(
            "{head}: {} instead of {}; whole BOM {} net (hardware {}, support {}; site {} {})",
            design(&p.after),
            design(before),
            signed(p.price.net),
            signed(p.price.hardware_net),
            signed(p.price.support),
            f.site,
            signed(p.price.site_net)
        ),
        format!(
            "Fix parts ({}): {}",
            f.site,
            if parts.is_empty() { "none".into() } else { parts.join(", ") }
        ),
        format!("Fix check ({}): {check}", f.site),
    ]
}

fn sample(ids: &[String]) -> String {
    match ids.len() {
        0 => "none".into(),
        n if n <= 4 => ids.join(", "),
        n => format!("{}, … and {} more", ids[..3].join(", "), n - 3),
    }
}

pub fn to_text(r: &FailureReport) -> String {
    let mut out = format!(
        "Failure analysis (depth {})\n\n{}\n{}",
        r.depth,
        class_table(r).to_text(),
        if r.demands.is_empty() { String::new() } else { format!("\n{}", demand_table(r).to_text()) }
    );
    out.push('\n');
    for l in lines(r) {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

pub fn to_markdown(r: &FailureReport) -> String {
    let mut out = format!("# Failure analysis (depth {})\n\n{}\n", r.depth, class_table(r).to_markdown());
    if !r.demands.is_empty() {
        out.push_str(&format!("## Demands\n\n{}\n", demand_table(r).to_markdown()));
    }
    for l in lines(r) {
        out.push_str(&format!("- {}\n", md_line(&l)));
    }
    out
}

pub fn to_json(r: &FailureReport) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_default();
    s.push('\n');
    s
}
