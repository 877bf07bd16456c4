//! Second pass over a parsed file: build the validated model, and collect
//! every problem at once (duplicate ids, dangling references, figures out of
//! physical range, figures that contradict each other).
//!
//! Each check names the path of the offending value; `load` turns paths into
//! line and column only when there is something to report.
//!
//! `catalog.rs` (the catalog and what all its items share), `items.rs` (each
//! kind of item), `deal.rs` (the deal's terms), `scenario.rs` (scenarios and
//! route files).

use super::raw::{CatalogFile, RouteFile, ScenarioFile, FORMAT_VERSION};
use super::yaml::{describe_serde_error, join_path, Lenient};
use crate::diag::{closest, Code, Diagnostic};
use crate::limits;
use crate::model::*;
use crate::units::{Gbps, Meters, ETHERNET_RATES_GBPS};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Collects diagnostics; every check is a small method with a path.
#[derive(Default)]
struct Checker {
    diagnostics: Vec<Diagnostic>,
    /// Names and ids of items that failed to parse (already reported).
    broken_names: BTreeSet<String>,
}

/// A path to report a problem at, written out only when there is one (a
/// scenario of 450,000 spans checks 900,000 figures).
trait LazyPath {
    fn path(self) -> String;
}

impl LazyPath for &str {
    fn path(self) -> String {
        self.to_string()
    }
}

impl LazyPath for &String {
    fn path(self) -> String {
        self.clone()
    }
}

impl<F: FnOnce() -> String> LazyPath for F {
    fn path(self) -> String {
        self()
    }
}

impl Checker {
    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn error(&mut self, code: Code, path: impl Into<String>, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::error(code, path, message));
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// A section with at most `max` items (crate::limits).
    fn at_most(&mut self, section: &str, len: usize, max: usize, what: &str) -> bool {
        if len <= max {
            return true;
        }
        self.error(Code::OutOfRange, section, format!("{len} {what}, more than dcplan plans at once"))
            .found_mut(len)
            .expected_mut(format!("at most {max} {what}"))
            .hint_mut("split the input into several files and plan them one by one");
        false
    }

    /// Reports each item's parse problems and returns the items that could
    /// be built (even with problems, so their other figures are checked
    /// too); remembers the names of items that could not, so references to
    /// them are not reported again.
    fn items<T>(&mut self, section: &str, items: Vec<Lenient<T>>) -> Vec<(String, T)> {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let path = format!("{section}[{i}]");
            if let Some(t) = self.one(&path, item) {
                out.push((path, t));
            }
        }
        out
    }

    fn one<T>(&mut self, path: &str, item: Lenient<T>) -> Option<T> {
        for e in &item.errors {
            self.push(describe_serde_error(&join_path(path, &e.path), &e.message));
        }
        if item.value.is_none() {
            self.broken_names.extend(item.errors.first().and_then(|e| e.name.clone()));
        }
        item.value
    }

    /// A finite number in `[min, max]`; `what` says what the number is.
    /// The path is written out only for a number out of range.
    fn range(&mut self, path: impl LazyPath, value: f64, min: f64, max: f64, what: &str) -> bool {
        if value.is_finite() && value >= min && value <= max && (value > 0.0 || min <= 0.0) {
            return true;
        }
        let path = path.path();
        let path = path.as_str();
        let expected = format!("a number from {min} to {max}");
        if !value.is_finite() {
            self.error(Code::NotFinite, path, format!("{what} is not a finite number"))
                .found_mut(value)
                .expected_mut(expected);
            return false;
        }
        if value <= 0.0 && min > 0.0 {
            self.error(Code::NotPositive, path, format!("{what} must be positive"))
                .found_mut(short(value))
                .expected_mut(expected);
            return false;
        }
        if value < min || value > max {
            let shown = short(value);
            self.error(Code::OutOfRange, path, format!("{what} {shown} is outside the sensible range"))
                .found_mut(shown)
                .expected_mut(expected);
            return false;
        }
        true
    }

    fn count(&mut self, path: &str, value: u64, min: u64, max: u64, what: &str) -> bool {
        if value == 0 && min > 0 {
            self.error(Code::NotPositive, path, format!("{what} must be at least {min}"))
                .found_mut(value)
                .expected_mut(format!("a whole number from {min} to {max}"));
            return false;
        }
        if value < min || value > max {
            self.error(Code::OutOfRange, path, format!("{what} {value} is outside the sensible range"))
                .found_mut(value)
                .expected_mut(format!("a whole number from {min} to {max}"));
            return false;
        }
        true
    }

    /// An Ethernet rate; true when it is one.
    fn ethernet_rate(&mut self, path: &str, rate: Gbps) -> bool {
        if rate.0 == 0 {
            self.error(Code::NotPositive, path, "a port speed of 0 Gb/s")
                .found_mut(rate.0)
                .expected_mut(rate_list());
            return false;
        }
        if ETHERNET_RATES_GBPS.contains(&rate.0) {
            return true;
        }
        let nearest = ETHERNET_RATES_GBPS.iter().min_by_key(|r| r.abs_diff(rate.0)).copied().unwrap_or(100);
        let d = self
            .error(Code::NonStandardRate, path, format!("{} Gb/s is not an Ethernet rate", rate.0))
            .found_mut(rate.0)
            .expected_mut(rate_list());
        let hint = if rate.0 >= 1000 && ETHERNET_RATES_GBPS.contains(&(rate.0 / 1000)) {
            format!("speeds are in Gb/s: {} Mb/s is {} Gb/s", rate.0, rate.0 / 1000)
        } else {
            format!("the nearest Ethernet rate is {nearest}")
        };
        d.hint = Some(hint);
        false
    }

    fn non_empty(&mut self, path: &str, value: &str, what: &str) {
        if value.trim().is_empty() {
            self.error(Code::MissingField, path, format!("{what} is empty"))
                .expected_mut(format!("a non-empty {what}"));
        }
    }

    fn percent(&mut self, path: &str, value: Decimal, max: Decimal, what: &str) {
        if value < Decimal::ZERO || value > max {
            self.error(Code::OutOfRange, path, format!("{what} {value}% is outside 0–{max}%"))
                .found_mut(value)
                .expected_mut(format!("a percentage from 0 to {max}"));
        }
    }
}

/// Builder-style setters on a diagnostic already pushed.
trait DiagnosticExt {
    fn found_mut(&mut self, found: impl std::fmt::Display) -> &mut Self;
    fn expected_mut(&mut self, expected: impl Into<String>) -> &mut Self;
    fn hint_mut(&mut self, hint: impl Into<String>) -> &mut Self;
}

impl DiagnosticExt for Diagnostic {
    fn found_mut(&mut self, found: impl std::fmt::Display) -> &mut Self {
        self.found = Some(found.to_string());
        self
    }
    fn expected_mut(&mut self, expected: impl Into<String>) -> &mut Self {
        self.expected = Some(expected.into());
        self
    }
    fn hint_mut(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }
}

fn rate_list() -> String {
    let rates: Vec<String> = ETHERNET_RATES_GBPS.iter().map(u64::to_string).collect();
    format!("one of {} (Gb/s)", rates.join(", "))
}

fn check_version(c: &mut Checker, version: u32) {
    if version != FORMAT_VERSION {
        c.error(
            Code::UnsupportedVersion,
            "format_version",
            format!("format version {version} is not supported"),
        )
        .found_mut(version)
        .expected_mut(FORMAT_VERSION.to_string())
        .hint_mut("this build of dcplan reads format_version 1");
    }
}

mod catalog;
mod deal;
mod items;
mod scenario;

pub use catalog::catalog;
pub use scenario::{route, scenario, Route};

fn strip<T>(items: Vec<(String, T)>) -> Vec<T> {
    items.into_iter().map(|(_, t)| t).collect()
}

/// A number as written, in scientific notation when it is huge or tiny
/// (`1e308`, not 309 digits).
fn short(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e15 || x.abs() < 1e-6) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

fn trim(x: f64) -> String {
    crate::units::trim_float((x * 100.0).round() / 100.0)
}

/// Site names and route ids name nodes (`site/leaf-3`, `route/ila2`) and
/// appear in every report, file name and export: letters (any script),
/// digits, `-`, `_`, `.` and spaces only, so no `/` splits a node id and no
/// markup character changes a Markdown or HTML report.
fn check_name(c: &mut Checker, path: &str, name: &str, what: &str) {
    if crate::text::forbidden_char(name, false).is_some() {
        // Already reported, with every other text of the file (`control-character`).
        return;
    }
    let allowed = |ch: char| ch.is_alphanumeric() || matches!(ch, '-' | '_' | '.' | ' ');
    if let Some(bad) = name.chars().find(|ch| !allowed(*ch)) {
        let fixed: String = name.chars().map(|ch| if allowed(ch) { ch } else { '-' }).collect();
        c.error(Code::InvalidValue, path, format!("a {what} cannot contain {bad:?}"))
            .found_mut(name)
            .expected_mut("letters, digits, `-`, `_`, `.` or spaces")
            .hint_mut(format!("for example `{fixed}`"));
    }
}
