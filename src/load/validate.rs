//! Second pass over a parsed file: build the validated model, and collect
//! every problem at once (duplicate ids, dangling references, figures out of
//! physical range, figures that contradict each other).
//!
//! Each check names the path of the offending value; `load` turns paths into
//! line and column only when there is something to report.

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
    fn range(&mut self, path: &str, value: f64, min: f64, max: f64, what: &str) -> bool {
        if !value.is_finite() {
            self.error(Code::NotFinite, path, format!("{what} is not a finite number"))
                .found_mut(value)
                .expected_mut(format!("a number from {min} to {max}"));
            return false;
        }
        if value <= 0.0 && min > 0.0 {
            self.error(Code::NotPositive, path, format!("{what} must be positive"))
                .found_mut(value)
                .expected_mut(format!("a number from {min} to {max}"));
            return false;
        }
        if value < min || value > max {
            self.error(Code::OutOfRange, path, format!("{what} {value} is outside the sensible range"))
                .found_mut(value)
                .expected_mut(format!("a number from {min} to {max}"));
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

    fn ethernet_rate(&mut self, path: &str, rate: Gbps) {
        if rate.0 == 0 {
            self.error(Code::NotPositive, path, "a port speed of 0 Gb/s")
                .found_mut(rate.0)
                .expected_mut(rate_list());
        } else if !ETHERNET_RATES_GBPS.contains(&rate.0) {
            let nearest =
                ETHERNET_RATES_GBPS.iter().min_by_key(|r| r.abs_diff(rate.0)).copied().unwrap_or(100);
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
        }
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

/// Validates a parsed catalog file. Returns the catalog when there is no
/// error, and every diagnostic (errors and warnings) in any case.
pub fn catalog(file: CatalogFile, parsed: Vec<Diagnostic>) -> (Option<Catalog>, Vec<Diagnostic>) {
    let mut c = Checker { diagnostics: parsed, ..Checker::default() };
    check_version(&mut c, file.format_version);
    c.non_empty("name", &file.name, "catalog name");
    c.non_empty("vendor", &file.vendor, "vendor");

    let deal = c.one("deal", file.deal);
    if [
        ("switches", file.switches.len()),
        ("router_chassis", file.router_chassis.len()),
        ("line_cards", file.line_cards.len()),
        ("grey_optics", file.grey_optics.len()),
        ("coherent_optics", file.coherent_optics.len()),
        ("mux_demux", file.mux_demux.len()),
        ("amplifiers", file.amplifiers.len()),
        ("shelves", file.shelves.len()),
        ("cables", file.cables.len()),
    ]
    .map(|(section, len)| c.at_most(section, len, limits::MAX_CATALOG_ITEMS, "items"))
    .contains(&false)
    {
        // Past a limit, checking every item would only make the refusal slow.
        return (None, c.diagnostics);
    }
    let switches = c.items("switches", file.switches);
    let router_chassis = c.items("router_chassis", file.router_chassis);
    let line_cards = c.items("line_cards", file.line_cards);
    let grey_optics = c.items("grey_optics", file.grey_optics);
    let coherent_optics = c.items("coherent_optics", file.coherent_optics);
    let mux_demux = c.items("mux_demux", file.mux_demux);
    let amplifiers = c.items("amplifiers", file.amplifiers);
    let shelves = c.items("shelves", file.shelves);
    let cables = c.items("cables", file.cables);

    if let Some(deal) = &deal {
        check_deal(&mut c, deal);
    }

    // Ids are one namespace across sections: a scenario names an id without
    // saying which section it is in.
    let mut all: Vec<(&str, &dyn CatalogItem)> = Vec::new();
    fn add<'a, T: CatalogItem>(all: &mut Vec<(&'a str, &'a dyn CatalogItem)>, items: &'a [(String, T)]) {
        all.extend(items.iter().map(|(p, i)| (p.as_str(), i as &dyn CatalogItem)));
    }
    add(&mut all, &switches);
    add(&mut all, &router_chassis);
    add(&mut all, &line_cards);
    add(&mut all, &grey_optics);
    add(&mut all, &coherent_optics);
    add(&mut all, &mux_demux);
    add(&mut all, &amplifiers);
    add(&mut all, &shelves);
    add(&mut all, &cables);
    check_common(&mut c, &all);

    for (path, s) in &switches {
        check_switch(&mut c, path, s);
    }
    let broken = c.broken_names.clone();
    let mut chassis_ids: BTreeSet<&str> = router_chassis.iter().map(|(_, r)| r.id.as_str()).collect();
    chassis_ids.extend(broken.iter().map(String::as_str));
    for (path, r) in &router_chassis {
        check_chassis(&mut c, path, r);
    }
    for (path, card) in &line_cards {
        check_line_card(&mut c, path, card, &chassis_ids, &router_chassis);
    }
    for (path, o) in &grey_optics {
        check_grey_optic(&mut c, path, o);
    }
    for (path, o) in &coherent_optics {
        check_coherent(&mut c, path, o);
    }
    let mut shelf_ids: BTreeSet<&str> = shelves.iter().map(|(_, s)| s.id.as_str()).collect();
    shelf_ids.extend(broken.iter().map(String::as_str));
    for (path, o) in &coherent_optics {
        if let Some(shelf) = &o.shelf {
            check_shelf_ref(&mut c, &format!("{path}.shelf"), shelf, &shelf_ids);
        }
    }
    for (path, m) in &mux_demux {
        check_mux(&mut c, path, m);
    }
    for (path, a) in &amplifiers {
        check_amplifier(&mut c, path, a, &shelf_ids);
    }
    for (path, s) in &shelves {
        c.count(&format!("{path}.slots"), s.slots.into(), 1, 64, "slot count");
    }
    for (path, cable) in &cables {
        check_cable(&mut c, path, cable);
    }

    let has_errors = c.diagnostics.iter().any(Diagnostic::is_error);
    let catalog = match (has_errors, deal) {
        (false, Some(deal)) => Some(Catalog {
            name: file.name,
            vendor: file.vendor,
            description: file.description,
            deal,
            switches: strip(switches),
            router_chassis: strip(router_chassis),
            line_cards: strip(line_cards),
            grey_optics: strip(grey_optics),
            coherent_optics: strip(coherent_optics),
            mux_demux: strip(mux_demux),
            amplifiers: strip(amplifiers),
            shelves: strip(shelves),
            cables: strip(cables),
        }),
        _ => None,
    };
    (catalog, c.diagnostics)
}

fn strip<T>(items: Vec<(String, T)>) -> Vec<T> {
    items.into_iter().map(|(_, t)| t).collect()
}

fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
        && id.len() <= 64
}

fn check_common(c: &mut Checker, all: &[(&str, &dyn CatalogItem)]) {
    let mut seen_ids: HashMap<&str, &str> = HashMap::new();
    let mut seen_parts: HashMap<&str, &str> = HashMap::new();
    for (path, item) in all {
        let id = item.id();
        if !is_valid_id(id) {
            c.error(Code::InvalidValue, format!("{path}.id"), format!("`{id}` is not a valid id"))
                .found_mut(id)
                .expected_mut("lowercase letters, digits, `-`, `_` or `.`, at most 64 characters")
                .hint_mut(format!("for example `{}`", id.to_lowercase().replace([' ', '/'], "-")));
        }
        if let Some(first) = seen_ids.insert(id, path) {
            c.error(Code::DuplicateId, format!("{path}.id"), format!("id `{id}` is already used by {first}"))
                .found_mut(id)
                .expected_mut("an id no other item of the catalog has")
                .hint_mut("ids are unique across all sections: rename one of the two");
        }
        c.non_empty(&format!("{path}.model"), item.model(), "model name");
        c.non_empty(&format!("{path}.part_number"), item.part_number(), "part number");
        if !item.part_number().trim().is_empty() {
            if let Some(first) = seen_parts.insert(item.part_number(), path) {
                c.push(
                    Diagnostic::warning(
                        Code::DuplicatePartNumber,
                        format!("{path}.part_number"),
                        format!("part number `{}` is also used by {first}", item.part_number()),
                    )
                    .hint("two items with one part number will be merged on a purchase order"),
                );
            }
        }
        if item.source().trim().len() < 5 {
            c.error(Code::MissingSource, format!("{path}.source"), "the item has no datasheet source")
                .found_mut(item.source())
                .expected_mut("a URL or a document reference (title, number, date)")
                .hint_mut(
                    "every catalog figure needs a source; list figures that are judgement under `estimates`",
                );
        }
        let price = item.list_price().amount();
        if price <= Decimal::ZERO {
            c.error(Code::NotPositive, format!("{path}.list_price"), "the list price must be positive")
                .found_mut(price)
                .expected_mut("an amount greater than 0");
        } else if price > Decimal::from(limits::MAX_UNIT_PRICE) {
            c.error(Code::OutOfRange, format!("{path}.list_price"), "a unit list price beyond any real part")
                .found_mut(price)
                .expected_mut(format!("at most {}", limits::MAX_UNIT_PRICE));
        }
        check_power(c, path, item.power(), item.kind_name());
        check_estimates(c, path, *item);
    }
}

/// Upper bounds of sane power per unit, by kind, in watts.
fn max_power_w(kind: &str) -> f64 {
    match kind {
        "router chassis" | "switch" | "shelf" => 60_000.0,
        "line card" | "coherent optic" => 5_000.0,
        "grey optic" | "cable" => 50.0,
        _ => 2_000.0,
    }
}

fn check_power(c: &mut Checker, path: &str, power: PowerDraw, kind: &str) {
    let limit = max_power_w(kind);
    let typical_ok =
        c.range(&format!("{path}.power_w.typical"), power.typical.0, 0.0, limit, "typical power");
    let max_ok = c.range(&format!("{path}.power_w.max"), power.max.0, 0.0, limit, "maximum power");
    if typical_ok && max_ok && power.typical.0 > power.max.0 {
        c.error(
            Code::Inconsistent,
            format!("{path}.power_w.typical"),
            format!("typical power {} is above maximum power {}", power.typical, power.max),
        )
        .found_mut(power.typical)
        .expected_mut(format!("at most {}", power.max))
        .hint_mut("typical is the everyday draw, max the worst case: swap them?");
    }
}

fn check_estimates(c: &mut Checker, path: &str, item: &dyn CatalogItem) {
    if item.estimates().is_empty() {
        return;
    }
    let fields = item_fields(item);
    for (field, basis) in item.estimates() {
        let top = field.split(['.', '[']).next().unwrap_or(field);
        let key_path = format!("{path}.estimates.{field}");
        if !fields.iter().any(|f| f == top) || top == "estimates" || top == "source" {
            let mut d = Diagnostic::error(
                Code::UnknownEstimate,
                key_path.clone(),
                format!("`{field}` is not a figure of this {}", item.kind_name()),
            )
            .at_key()
            .found(field)
            .expected(format!("one of the item's fields: {}", fields.join(", ")));
            if let Some(best) = closest(top, fields.iter().map(String::as_str)) {
                d = d.hint(format!("did you mean `{best}`?"));
            }
            c.push(d);
        }
        if basis.trim().len() < 10 {
            c.error(Code::MissingSource, key_path, "an estimate without a basis")
                .found_mut(basis)
                .expected_mut("a sentence saying what the estimate is based on");
        }
    }
}

fn item_fields(item: &dyn CatalogItem) -> Vec<String> {
    // The serialized item's keys are exactly the fields written for it.
    item.to_json().as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

fn check_deal(c: &mut Checker, deal: &Deal) {
    let p = "deal";
    let currency = &deal.currency;
    if currency.len() != 3 || !currency.chars().all(|ch| ch.is_ascii_uppercase()) {
        c.error(
            Code::InvalidValue,
            format!("{p}.currency"),
            format!("`{currency}` is not an ISO 4217 currency code"),
        )
        .found_mut(currency)
        .expected_mut("three capital letters, e.g. USD, EUR, CNY");
    }
    if deal.valid_until <= deal.valid_from {
        c.error(
            Code::Inconsistent,
            format!("{p}.valid_until"),
            format!("the deal ends ({}) before it starts ({})", deal.valid_until, deal.valid_from),
        )
        .found_mut(deal.valid_until)
        .expected_mut(format!("a date after {}", deal.valid_from));
    }
    let hundred = Decimal::from(100);
    if deal.discounts_pct.contains_key(&Category::Support) {
        c.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("{p}.discounts_pct.support"),
                "support is priced by the support terms, not by a discount",
            )
            .at_key()
            .hint("set `support.pct_per_year` instead, and remove `support` from `discounts_pct`"),
        );
    }
    for (category, pct) in &deal.discounts_pct {
        c.percent(&format!("{p}.discounts_pct.{}", category.as_str()), *pct, Decimal::from(99), "discount");
    }
    let mut scheduled = BTreeSet::new();
    for (i, schedule) in deal.volume_tiers.iter().enumerate() {
        let sp = format!("{p}.volume_tiers[{i}]");
        if !scheduled.insert(schedule.category) {
            c.error(
                Code::DuplicateId,
                format!("{sp}.category"),
                format!("a second volume schedule for `{}`", schedule.category.as_str()),
            )
            .hint_mut("merge the tiers into one schedule per category");
        }
        if schedule.tiers.is_empty() {
            c.error(Code::MissingField, format!("{sp}.tiers"), "a volume schedule without tiers");
        }
        let mut previous: Option<&VolumeTier> = None;
        for (j, tier) in schedule.tiers.iter().enumerate() {
            let tp = format!("{sp}.tiers[{j}]");
            if tier.from_quantity == 0 {
                c.error(
                    Code::NotPositive,
                    format!("{tp}.from_quantity"),
                    "a tier must start at quantity 1 or more",
                )
                .found_mut(0);
            }
            c.percent(
                &format!("{tp}.extra_discount_pct"),
                tier.extra_discount_pct,
                Decimal::from(99),
                "extra discount",
            );
            if let Some(prev) = previous {
                if tier.from_quantity <= prev.from_quantity {
                    c.error(
                        Code::Inconsistent,
                        format!("{tp}.from_quantity"),
                        format!(
                            "tier starts at {} but the tier before starts at {}",
                            tier.from_quantity, prev.from_quantity
                        ),
                    )
                    .expected_mut(format!("more than {}", prev.from_quantity))
                    .hint_mut("list tiers in increasing quantity");
                }
                if tier.extra_discount_pct < prev.extra_discount_pct {
                    c.error(
                        Code::Inconsistent,
                        format!("{tp}.extra_discount_pct"),
                        "a larger volume gets a smaller discount than the tier before",
                    )
                    .found_mut(tier.extra_discount_pct)
                    .expected_mut(format!("at least {}", prev.extra_discount_pct));
                }
            }
            previous = Some(tier);
        }
    }
    c.percent(&format!("{p}.support.pct_per_year"), deal.support.pct_per_year, hundred, "support");
    c.count(&format!("{p}.support.years"), deal.support.years.into(), 1, 15, "support years");
    let fields: Vec<String> = serde_json::to_value(deal)
        .ok()
        .and_then(|v| v.as_object().map(|o| o.keys().cloned().collect()))
        .unwrap_or_default();
    for (field, basis) in &deal.estimates {
        let top = field.split(['.', '[']).next().unwrap_or(field);
        if !fields.iter().any(|f| f == top) || top == "estimates" || top == "source" {
            let mut d = Diagnostic::error(
                Code::UnknownEstimate,
                format!("{p}.estimates.{field}"),
                format!("`{field}` is not a term of the deal"),
            )
            .at_key()
            .found(field)
            .expected(format!("one of: {}", fields.join(", ")));
            if let Some(best) = closest(top, fields.iter().map(String::as_str)) {
                d = d.hint(format!("did you mean `{best}`?"));
            }
            c.push(d);
        }
        if basis.trim().len() < 10 {
            c.error(Code::MissingSource, format!("{p}.estimates.{field}"), "an estimate without a basis")
                .expected_mut("a sentence saying what the estimate is based on");
        }
    }
    if deal.source.trim().len() < 5 {
        c.error(Code::MissingSource, format!("{p}.source"), "the deal terms have no source")
            .expected_mut("a URL or document reference, with estimated terms listed under `estimates`");
    }
}

fn check_ports(c: &mut Checker, path: &str, ports: &[PortGroup]) {
    if ports.is_empty() {
        c.error(Code::MissingField, path, "no ports").expected_mut("at least one port group");
    }
    for (i, group) in ports.iter().enumerate() {
        let gp = format!("{path}[{i}]");
        c.count(&format!("{gp}.count"), group.count.into(), 1, 1152, "port count");
        c.ethernet_rate(&format!("{gp}.speed_gbps"), group.speed_gbps);
        for (j, b) in group.breakouts.iter().enumerate() {
            check_breakout(c, &format!("{gp}.breakouts[{j}]"), *b, group.speed_gbps);
        }
    }
}

fn check_breakout(c: &mut Checker, path: &str, b: Breakout, port: Gbps) {
    c.count(&format!("{path}.lanes"), b.lanes.into(), 2, 8, "breakout lanes");
    c.ethernet_rate(&format!("{path}.speed_gbps"), b.speed_gbps);
    let total = u64::from(b.lanes) * b.speed_gbps.0;
    if port.0 > 0 && total > port.0 {
        c.error(
            Code::Inconsistent,
            path,
            format!(
                "breakout {}x{} Gb/s carries {} Gb/s, more than the {} Gb/s port",
                b.lanes, b.speed_gbps.0, total, port.0
            ),
        )
        .found_mut(format!("{}x{}", b.lanes, b.speed_gbps.0))
        .expected_mut(format!("lanes × speed ≤ {} Gb/s", port.0));
    }
}

fn data_port_gbps(ports: &[PortGroup]) -> u64 {
    ports.iter().filter(|p| !p.management).map(|p| u64::from(p.count) * p.speed_gbps.0).sum()
}

fn check_rack_units(c: &mut Checker, path: &str, ru: f64, allow_zero: bool) {
    let min = if allow_zero { 0.0 } else { 0.5 };
    if c.range(path, ru, min, 48.0, "height in rack units") && (ru * 2.0).fract() != 0.0 {
        c.error(Code::InvalidValue, path, format!("{ru} RU is not a whole or half rack unit"))
            .found_mut(ru)
            .expected_mut("a multiple of 0.5");
    }
}

fn check_switch(c: &mut Checker, path: &str, s: &Switch) {
    if s.roles.is_empty() {
        c.error(Code::MissingField, format!("{path}.roles"), "a switch with no role")
            .expected_mut("one or more of `leaf`, `spine`, `superspine`");
    }
    check_ports(c, &format!("{path}.ports"), &s.ports);
    check_rack_units(c, &format!("{path}.rack_units"), s.rack_units, false);
    let ports_gbps = data_port_gbps(&s.ports);
    if s.capacity_fd_gbps.0 == 0 {
        c.error(Code::NotPositive, format!("{path}.capacity_fd_gbps"), "switching capacity of 0");
    } else if ports_gbps != s.capacity_fd_gbps.0 {
        let d = Diagnostic::warning(
            Code::CapacityMismatch,
            format!("{path}.capacity_fd_gbps"),
            format!(
                "capacity {} Gb/s differs from the sum of the data ports, {} Gb/s",
                s.capacity_fd_gbps.0, ports_gbps
            ),
        )
        .found(s.capacity_fd_gbps.0)
        .expected(format!("{ports_gbps} (one direction, full duplex)"));
        let d = if s.capacity_fd_gbps.0 == 2 * ports_gbps {
            d.hint("this looks like the half-duplex (both directions) figure: put it in `quoted_capacity` with `duplex: half`")
        } else {
            d
        };
        c.push(d);
    }
    if let Some(q) = s.quoted_capacity {
        let implied = match q.duplex {
            crate::model::Duplex::Half => q.gbps.0 / 2,
            crate::model::Duplex::Full => q.gbps.0,
        };
        if implied != s.capacity_fd_gbps.0 {
            c.push(
                Diagnostic::warning(
                    Code::CapacityMismatch,
                    format!("{path}.quoted_capacity"),
                    format!(
                        "the quoted {} Gb/s ({}) means {} Gb/s one way, but capacity_fd_gbps is {}",
                        q.gbps.0,
                        if q.duplex == crate::model::Duplex::Half { "half duplex" } else { "full duplex" },
                        implied,
                        s.capacity_fd_gbps.0
                    ),
                )
                .hint("half duplex (HD) counts both directions: HD = 2 × FD"),
            );
        }
    }
}

fn check_chassis(c: &mut Checker, path: &str, r: &RouterChassis) {
    c.count(&format!("{path}.slots"), r.slots.into(), 1, 64, "slot count");
    check_rack_units(c, &format!("{path}.rack_units"), r.rack_units, false);
    if r.slot_capacity_fd_gbps.0 == 0 {
        c.error(Code::NotPositive, format!("{path}.slot_capacity_fd_gbps"), "slot capacity of 0");
    }
    if r.fabric_capacity_fd_gbps.0 == 0 {
        c.error(Code::NotPositive, format!("{path}.fabric_capacity_fd_gbps"), "fabric capacity of 0");
    } else if r.fabric_capacity_fd_gbps.0 < r.slot_capacity_fd_gbps.0 {
        c.error(
            Code::Inconsistent,
            format!("{path}.fabric_capacity_fd_gbps"),
            "the chassis fabric carries less than one slot",
        )
        .found_mut(r.fabric_capacity_fd_gbps.0)
        .expected_mut(format!("at least the slot capacity, {} Gb/s", r.slot_capacity_fd_gbps.0));
    }
}

fn check_line_card(
    c: &mut Checker,
    path: &str,
    card: &LineCard,
    chassis_ids: &BTreeSet<&str>,
    chassis: &[(String, RouterChassis)],
) {
    check_ports(c, &format!("{path}.ports"), &card.ports);
    c.non_empty(&format!("{path}.network_processor"), &card.network_processor, "network processor");
    if card.forwarding_capacity_fd_gbps.0 == 0 {
        c.error(Code::NotPositive, format!("{path}.forwarding_capacity_fd_gbps"), "forwarding capacity of 0");
    }
    if card.compatible_chassis.is_empty() {
        c.error(Code::MissingField, format!("{path}.compatible_chassis"), "the card fits no chassis")
            .expected_mut("one or more router_chassis ids");
    }
    for (i, id) in card.compatible_chassis.iter().enumerate() {
        let rp = format!("{path}.compatible_chassis[{i}]");
        if !chassis_ids.contains(id.as_str()) {
            let d = c
                .error(Code::UnknownReference, rp, format!("no router chassis `{id}` in this catalog"))
                .found_mut(id)
                .expected_mut("an id from `router_chassis`");
            if let Some(best) = closest(id, chassis_ids.iter().copied()) {
                d.hint = Some(format!("did you mean `{best}`?"));
            }
        } else if let Some((_, ch)) = chassis.iter().find(|(_, ch)| &ch.id == id) {
            if card.forwarding_capacity_fd_gbps.0 > ch.slot_capacity_fd_gbps.0 {
                c.push(
                    Diagnostic::warning(
                        Code::Inconsistent,
                        format!("{path}.forwarding_capacity_fd_gbps"),
                        format!(
                            "the card forwards {} Gb/s but a `{id}` slot carries {} Gb/s",
                            card.forwarding_capacity_fd_gbps.0, ch.slot_capacity_fd_gbps.0
                        ),
                    )
                    .hint("the planner will cap the card at the slot capacity in that chassis"),
                );
            }
        }
    }
}

fn check_grey_optic(c: &mut Checker, path: &str, o: &GreyOptic) {
    c.ethernet_rate(&format!("{path}.speed_gbps"), o.speed_gbps);
    c.non_empty(&format!("{path}.standard"), &o.standard, "standard name");
    if let Some(b) = o.breakout {
        check_breakout(c, &format!("{path}.breakout"), b, o.speed_gbps);
    }
    match (&o.breakout, &o.lane_standard) {
        (Some(_), None) => {
            c.error(
                Code::MissingField,
                format!("{path}.breakout"),
                "a breakout optic without its lane standard",
            )
            .expected_mut("`lane_standard:` (e.g. 100GBASE-DR for a 400GBASE-DR4)")
            .hint_mut("the far-end module must speak the lane standard; dcplan pairs optics by it");
        }
        (None, Some(_)) => {
            c.error(
                Code::Inconsistent,
                format!("{path}.lane_standard"),
                "a lane standard on an optic without breakout",
            )
            .hint_mut("remove `lane_standard:` or add `breakout:`");
        }
        _ => {}
    }
    let rp = format!("{path}.reach_m");
    if c.range(&rp, o.reach_m.0, 0.5, 200_000.0, "reach") && o.fibre == FibreKind::Mmf && o.reach_m.0 > 550.0
    {
        c.error(Code::OutOfRange, rp, format!("{} on multimode fibre", o.reach_m))
            .found_mut(o.reach_m)
            .expected_mut("at most 550 m: multimode reach at 10G and above ends there (OM4/OM5)")
            .hint_mut("is this a single-mode optic (`fibre: smf`), or is the reach in feet?");
    }
}

/// Bits one dual-polarisation symbol can carry, per modulation.
fn bits_per_symbol(m: Modulation) -> f64 {
    match m {
        Modulation::DpQpsk => 4.0,
        Modulation::Dp8qam => 6.0,
        Modulation::Dp16qam => 8.0,
        Modulation::Dp32qam => 10.0,
        Modulation::Dp64qam | Modulation::DpPcs => 12.0,
    }
}

fn check_coherent(c: &mut Checker, path: &str, o: &CoherentOptic) {
    match o.kind {
        CoherentKind::Pluggable if o.form_factor.is_none() => {
            c.error(Code::MissingField, path, "a pluggable without a form factor")
                .expected_mut("`form_factor:` (e.g. qsfp-dd, cfp2)");
        }
        CoherentKind::Transponder if o.client_ports.is_empty() => {
            c.error(Code::MissingField, path, "a transponder without client ports")
                .expected_mut("`client_ports:` (e.g. 4 x 100G QSFP28)");
        }
        _ => {}
    }
    if !o.client_ports.is_empty() {
        check_ports(c, &format!("{path}.client_ports"), &o.client_ports);
    }
    check_rack_units(c, &format!("{path}.rack_units"), o.rack_units, true);
    let tx = o.tx_power_dbm;
    let a = c.range(&format!("{path}.tx_power_dbm.min"), tx.min.0, -30.0, 15.0, "minimum launch power");
    let b = c.range(&format!("{path}.tx_power_dbm.max"), tx.max.0, -30.0, 15.0, "maximum launch power");
    if a && b && tx.min.0 > tx.max.0 {
        c.error(Code::Inconsistent, format!("{path}.tx_power_dbm"), "minimum launch power above maximum");
    }
    if let Some(osnr) = o.tx_osnr_db {
        c.range(&format!("{path}.tx_osnr_db"), osnr.0, 15.0, 60.0, "transmitter OSNR");
    }
    if o.modes.is_empty() {
        c.error(Code::MissingField, format!("{path}.modes"), "no operating mode")
            .expected_mut("at least one mode (rate, baud, modulation, required OSNR, reach)");
    }
    for (i, m) in o.modes.iter().enumerate() {
        let mp = format!("{path}.modes[{i}]");
        c.count(&format!("{mp}.line_rate_gbps"), m.line_rate_gbps.0, 1, 3200, "line rate");
        let baud_ok = c.range(&format!("{mp}.baud_gbd"), m.baud_gbd.0, 1.0, 200.0, "symbol rate");
        c.range(&format!("{mp}.required_osnr_db"), m.required_osnr_db.0, 5.0, 40.0, "required OSNR");
        c.range(&format!("{mp}.reach_km"), m.reach_km.0, 0.1, 20_000.0, "reach");
        let spacing_ok =
            c.range(&format!("{mp}.min_spacing_ghz"), m.min_spacing_ghz.0, 6.25, 1000.0, "channel spacing");
        if baud_ok && spacing_ok && m.min_spacing_ghz.0 < m.baud_gbd.0 {
            c.error(
                Code::Inconsistent,
                format!("{mp}.min_spacing_ghz"),
                format!("a {} signal does not fit in {}", m.baud_gbd, m.min_spacing_ghz),
            )
            .expected_mut(format!(
                "at least {} GHz (the signal is about as wide as its symbol rate)",
                m.baud_gbd.0
            ));
        }
        let max_gbps = m.baud_gbd.0 * bits_per_symbol(m.modulation);
        if baud_ok && (m.line_rate_gbps.0 as f64) > max_gbps {
            c.error(
                Code::Inconsistent,
                format!("{mp}.line_rate_gbps"),
                format!(
                    "{} Gb/s cannot be carried by {} at {}: at most {:.0} Gb/s before FEC",
                    m.line_rate_gbps.0,
                    name_of(&m.modulation),
                    m.baud_gbd,
                    max_gbps
                ),
            )
            .hint_mut("check the symbol rate (GBd) and the modulation");
        }
    }
}

fn check_mux(c: &mut Checker, path: &str, m: &MuxDemux) {
    c.count(&format!("{path}.channels"), m.channels.into(), 1, 256, "channel count");
    let spacing_ok = c.range(&format!("{path}.spacing_ghz"), m.spacing_ghz.0, 6.25, 400.0, "channel spacing");
    c.range(&format!("{path}.insertion_loss_db"), m.insertion_loss_db.0, 0.1, 20.0, "insertion loss");
    check_rack_units(c, &format!("{path}.rack_units"), m.rack_units, true);
    // ITU-T G.694.1: the C+L bands span about 12 THz.
    let width_ghz = f64::from(m.channels) * m.spacing_ghz.0;
    if spacing_ok && width_ghz > 12_000.0 {
        c.error(
            Code::Inconsistent,
            format!("{path}.channels"),
            format!(
                "{} channels at {} need {:.1} THz, more than the C and L bands",
                m.channels,
                m.spacing_ghz,
                width_ghz / 1000.0
            ),
        );
    }
}

fn check_amplifier(c: &mut Checker, path: &str, a: &Amplifier, shelves: &BTreeSet<&str>) {
    if a.roles.is_empty() {
        c.error(Code::MissingField, format!("{path}.roles"), "an amplifier with no role")
            .expected_mut("one or more of `booster`, `preamp`, `inline`");
    }
    let lo = c.range(&format!("{path}.gain_db.min"), a.gain_db.min.0, 0.0, 45.0, "minimum gain");
    let hi = c.range(&format!("{path}.gain_db.max"), a.gain_db.max.0, 1.0, 45.0, "maximum gain");
    if lo && hi && a.gain_db.min.0 > a.gain_db.max.0 {
        c.error(Code::Inconsistent, format!("{path}.gain_db"), "minimum gain above maximum gain");
    }
    let nf = a.noise_figure_db.0;
    if nf.is_finite() && nf < 3.0 {
        c.error(
            Code::OutOfRange,
            format!("{path}.noise_figure_db"),
            format!("noise figure {nf} dB is below the 3 dB quantum limit"),
        )
        .found_mut(nf)
        .expected_mut("at least 3 dB: no phase-insensitive optical amplifier beats it")
        .hint_mut("EDFAs are typically 4.5–6 dB");
    } else {
        c.range(&format!("{path}.noise_figure_db"), nf, 3.0, 20.0, "noise figure");
    }
    c.range(&format!("{path}.max_output_dbm"), a.max_output_dbm.0, 0.0, 30.0, "maximum output power");
    check_rack_units(c, &format!("{path}.rack_units"), a.rack_units, true);
    if let Some(shelf) = &a.shelf {
        check_shelf_ref(c, &format!("{path}.shelf"), shelf, shelves);
    }
}

fn check_cable(c: &mut Checker, path: &str, cable: &Cable) {
    let copper_or_active = matches!(
        cable.kind,
        CableKind::Dac | CableKind::BreakoutDac | CableKind::Aoc | CableKind::BreakoutAoc
    );
    if copper_or_active {
        if cable.form_factor.is_none() {
            c.error(Code::MissingField, path, "a direct-attach cable without a form factor")
                .expected_mut("`form_factor:` of the cable's plugs");
        }
        match cable.speed_gbps {
            None => {
                c.error(Code::MissingField, path, "a direct-attach cable without a speed")
                    .expected_mut("`speed_gbps:`");
            }
            Some(speed) => c.ethernet_rate(&format!("{path}.speed_gbps"), speed),
        }
    } else if cable.fibre.is_none() {
        c.error(Code::MissingField, path, "a fibre cable without a fibre type")
            .expected_mut("`fibre: smf` or `fibre: mmf`");
    }
    match (cable.kind, cable.fibres) {
        (CableKind::FibreTrunk, None) => {
            c.error(Code::MissingField, path, "a trunk without its fibre count")
                .expected_mut("`fibres:` (e.g. 144)");
        }
        (CableKind::FibreTrunk, Some(n)) => {
            c.count(&format!("{path}.fibres"), n.into(), 2, 6912, "fibre count");
        }
        (_, Some(_)) => {
            c.error(Code::Inconsistent, format!("{path}.fibres"), "only a fibre trunk has a fibre count")
                .hint_mut("remove `fibres:` or make the cable `kind: fibre-trunk`");
        }
        _ => {}
    }
    let breakout_kind = matches!(cable.kind, CableKind::BreakoutDac | CableKind::BreakoutAoc);
    match (breakout_kind, cable.breakout, cable.speed_gbps) {
        (true, None, _) => {
            c.error(Code::MissingField, path, "a breakout cable without its split")
                .expected_mut("`breakout: {lanes: 4, speed_gbps: 25}`");
        }
        (_, Some(b), Some(speed)) => check_breakout(c, &format!("{path}.breakout"), b, speed),
        _ => {}
    }
    if cable.length_options_m.is_empty() {
        c.error(Code::MissingField, format!("{path}.length_options_m"), "no orderable length")
            .expected_mut("one or more lengths in metres");
    }
    let mut previous = Meters(0.0);
    for (i, len) in cable.length_options_m.iter().enumerate() {
        let lp = format!("{path}.length_options_m[{i}]");
        if c.range(&lp, len.0, 0.1, 10_000.0, "cable length") && len.0 <= previous.0 {
            c.error(Code::Inconsistent, lp, "lengths must be listed in increasing order").found_mut(len);
        }
        previous = *len;
    }
    let rp = format!("{path}.reach_m");
    if c.range(&rp, cable.reach_m.0, 0.1, 10_000.0, "reach") {
        if previous.0 > cable.reach_m.0 {
            c.error(
                Code::Inconsistent,
                rp.clone(),
                format!("a {previous} length is offered but the reach is {}", cable.reach_m),
            );
        }
        // Passive copper at 25G per lane and above ends at a few metres.
        if matches!(cable.kind, CableKind::Dac | CableKind::BreakoutDac) && cable.reach_m.0 > 10.0 {
            c.error(Code::OutOfRange, rp, format!("passive copper cannot reach {}", cable.reach_m))
                .expected_mut("at most 10 m (25G-lane DAC reach is 3–5 m)")
                .hint_mut("longer runs need an AOC or optics and fibre");
        }
    }
}

/// Validates a parsed scenario against the catalog it will be planned with.
pub fn scenario(
    file: ScenarioFile,
    catalog: &Catalog,
    parsed: Vec<Diagnostic>,
) -> (Option<Scenario>, Vec<Diagnostic>) {
    let mut c = Checker { diagnostics: parsed, ..Checker::default() };
    check_version(&mut c, file.format_version);
    c.non_empty("name", &file.name, "scenario name");
    c.range("growth_headroom_pct", file.growth_headroom_pct, 0.0, 1000.0, "growth headroom");
    let fabric = c.one("fabric", file.fabric);
    let within = [
        c.at_most("sites", file.sites.len(), limits::MAX_SITES, "sites"),
        c.at_most("fibre_routes", file.fibre_routes.len(), limits::MAX_ROUTES, "fibre routes"),
        c.at_most("demands", file.demands.len(), limits::MAX_DEMANDS, "demands"),
    ];
    if within.contains(&false) {
        // Past a limit, checking every item would only make the refusal slow.
        return (None, c.diagnostics);
    }
    let sites = c.items("sites", file.sites);
    let routes = c.items("fibre_routes", file.fibre_routes);
    let demands = c.items("demands", file.demands);

    if let Some(policy) = &fabric {
        check_policy(&mut c, "fabric", &Overrideable::from(policy), catalog);
    }
    if sites.is_empty() && c.diagnostics.iter().all(|d| !d.path.as_deref().unwrap_or("").starts_with("sites"))
    {
        c.error(Code::MissingField, "sites", "a scenario with no site").expected_mut("one or more sites");
    }
    let total: u64 = sites.iter().map(|(_, s)| s.servers.min(limits::MAX_SERVERS_PER_SITE + 1)).sum();
    if total > limits::MAX_SERVERS_TOTAL {
        c.error(Code::OutOfRange, "sites", format!("{total} servers in all, more than dcplan plans at once"))
            .found_mut(total)
            .expected_mut(format!("at most {} servers over all sites", limits::MAX_SERVERS_TOTAL))
            .hint_mut("split the scenario into several files and plan them one by one");
    }
    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    for (path, site) in &sites {
        check_site(&mut c, path, site, catalog);
        let homing = site.fabric.as_ref().and_then(|f| f.homing).or(fabric.as_ref().map(|f| f.homing));
        if homing == Some(Homing::Dual) && site.nics_per_server < 2 {
            c.error(
                Code::Inconsistent,
                format!("{path}.nics_per_server"),
                format!(
                    "dual homing needs at least 2 NIC ports per server; site `{}` has {}",
                    site.name, site.nics_per_server
                ),
            )
            .found_mut(site.nics_per_server)
            .expected_mut("2 or more (one to each leaf of the pair)")
            .hint_mut("set `nics_per_server: 2`, or `homing: single` under the site's `fabric:`");
        }
        if let Some(first) = names.insert(site.name.as_str(), path.as_str()) {
            c.error(
                Code::DuplicateId,
                format!("{path}.name"),
                format!("site `{}` is already defined at {first}", site.name),
            )
            .found_mut(&site.name)
            .expected_mut("a site name not used before");
        }
    }
    let site_names: Vec<&str> = names.keys().copied().collect();
    let broken = c.broken_names.clone();
    let mut route_ids = BTreeMap::new();
    for (path, route) in &routes {
        if let Some(first) = route_ids.insert(route.id.as_str(), path.as_str()) {
            c.error(
                Code::DuplicateId,
                format!("{path}.id"),
                format!("route `{}` is already defined at {first}", route.id),
            )
            .found_mut(&route.id);
        }
        c.non_empty(&format!("{path}.id"), &route.id, "route id");
        check_name(&mut c, &format!("{path}.id"), &route.id, "route id");
        check_between(&mut c, path, &route.between, &site_names, &broken);
        check_route(&mut c, path, route);
    }
    for (path, demand) in &demands {
        check_between(&mut c, path, &demand.between, &site_names, &broken);
        c.count(&format!("{path}.gbps"), demand.gbps.0, 1, limits::MAX_DEMAND_GBPS, "demand (Gb/s)");
    }

    for (category, pct) in &file.spares_pct {
        c.range(&format!("spares_pct.{}", category.as_str()), *pct, 0.0, 100.0, "spares (percent)");
    }
    let energy = file.energy.and_then(|e| c.one("energy", e));
    if let Some(e) = &energy {
        if e.price_per_kwh.amount() < rust_decimal::Decimal::ZERO
            || e.price_per_kwh.amount() > rust_decimal::Decimal::from(10)
        {
            c.error(Code::OutOfRange, "energy.price_per_kwh", "an energy price outside 0 to 10 per kWh")
                .found_mut(e.price_per_kwh)
                .hint_mut("the price is per kWh, in the catalog's currency");
        }
        c.count("energy.years", e.years.into(), 1, 30, "years of operation");
    }
    if let Some(h) = file.horizon_years {
        c.count("horizon_years", h.into(), 1, 30, "years of the cost of ownership");
        if let Some(e) = energy.as_ref().filter(|e| e.years != h) {
            c.error(Code::Inconsistent, "horizon_years", "one horizon for support and energy")
                .found_mut(format!("horizon_years: {h}, energy.years: {}", e.years))
                .hint_mut("give both the same number of years");
        }
    }
    let tie_within_pct = file.tie_within_pct.unwrap_or(1.0);
    c.range("tie_within_pct", tie_within_pct, 0.0, 10.0, "tie tolerance (percent)");
    if file.objective == Objective::Tco && energy.is_none() {
        c.error(Code::MissingField, "objective", "an `energy` price for the `tco` objective")
            .found_mut("objective: tco without `energy`")
            .hint_mut("add `energy: {price_per_kwh: \"0.10\", years: 5}`, or use `objective: cost`");
    }
    let has_errors = c.diagnostics.iter().any(Diagnostic::is_error);
    let scenario = match (has_errors, fabric) {
        (false, Some(fabric)) => Some(Scenario {
            name: file.name,
            description: file.description,
            objective: file.objective,
            growth_headroom_pct: file.growth_headroom_pct,
            fabric,
            sites: strip(sites),
            fibre_routes: strip(routes),
            demands: strip(demands),
            spares_pct: file.spares_pct,
            horizon_years: file
                .horizon_years
                .or(energy.as_ref().map(|e| e.years))
                .unwrap_or(catalog.deal.support.years),
            tie_within_pct,
            energy,
        }),
        _ => None,
    };
    (scenario, c.diagnostics)
}

/// The policy fields a scenario or a site may set, for one set of checks.
struct Overrideable<'a> {
    leaf: Option<f64>,
    spine: Option<f64>,
    allowed: Option<&'a [String]>,
    excluded: Option<&'a [String]>,
}

impl<'a> From<&'a FabricPolicy> for Overrideable<'a> {
    fn from(p: &'a FabricPolicy) -> Self {
        Overrideable {
            leaf: Some(p.leaf_oversubscription),
            spine: Some(p.spine_oversubscription),
            allowed: Some(&p.allowed_models),
            excluded: Some(&p.excluded_models),
        }
    }
}

impl<'a> From<&'a FabricPolicyOverride> for Overrideable<'a> {
    fn from(p: &'a FabricPolicyOverride) -> Self {
        Overrideable {
            leaf: p.leaf_oversubscription,
            spine: p.spine_oversubscription,
            allowed: p.allowed_models.as_deref(),
            excluded: p.excluded_models.as_deref(),
        }
    }
}

fn check_policy(c: &mut Checker, path: &str, p: &Overrideable<'_>, catalog: &Catalog) {
    for (field, value) in [("leaf_oversubscription", p.leaf), ("spine_oversubscription", p.spine)] {
        if let Some(v) = value {
            let fp = format!("{path}.{field}");
            if v.is_finite() && v > 0.0 && v < 1.0 {
                c.error(Code::OutOfRange, fp, format!("oversubscription {v} is below 1:1"))
                    .found_mut(v)
                    .expected_mut("a ratio of at least 1 (1 = non-blocking, 3 = 3:1)")
                    .hint_mut(format!("did you mean {}:1? write `{}`", trim(1.0 / v), trim(1.0 / v)));
            } else {
                c.range(&fp, v, 1.0, 64.0, "oversubscription");
            }
        }
    }
    let switch_ids: Vec<&str> = catalog.switches.iter().map(|s| s.id.as_str()).collect();
    for (field, list) in [("allowed_models", p.allowed), ("excluded_models", p.excluded)] {
        for (i, id) in list.unwrap_or_default().iter().enumerate() {
            if catalog.switch(id).is_none() {
                let mut d = Diagnostic::error(
                    Code::UnknownModel,
                    format!("{path}.{field}[{i}]"),
                    format!("unknown model `{id}`"),
                )
                .found(id)
                .expected(format!("a switch id of the catalog `{}`", catalog.name));
                d.hint = Some(match closest(id, switch_ids.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None if catalog.item(id).is_some() => {
                        format!("`{id}` is in the catalog but is not a fabric switch")
                    }
                    None => "`dcplan catalog` lists the switches the catalog supplies".to_string(),
                });
                c.push(d);
            }
        }
    }
    if let (Some(allowed), Some(excluded)) = (p.allowed, p.excluded) {
        for (i, id) in excluded.iter().enumerate() {
            if allowed.contains(id) {
                c.error(
                    Code::Inconsistent,
                    format!("{path}.excluded_models[{i}]"),
                    format!("`{id}` is both allowed and excluded"),
                )
                .found_mut(id);
            }
        }
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
    let allowed = |ch: char| ch.is_alphanumeric() || matches!(ch, '-' | '_' | '.' | ' ');
    if let Some(bad) = name.chars().find(|ch| !allowed(*ch)) {
        let fixed: String = name.chars().map(|ch| if allowed(ch) { ch } else { '-' }).collect();
        c.error(Code::InvalidValue, path, format!("a {what} cannot contain {bad:?}"))
            .found_mut(name)
            .expected_mut("letters, digits, `-`, `_`, `.` or spaces")
            .hint_mut(format!("for example `{fixed}`"));
    }
}

fn check_site(c: &mut Checker, path: &str, s: &Site, catalog: &Catalog) {
    c.non_empty(&format!("{path}.name"), &s.name, "site name");
    check_name(c, &format!("{path}.name"), &s.name, "site name");
    c.count(&format!("{path}.servers"), s.servers, 1, limits::MAX_SERVERS_PER_SITE, "server count");
    c.count(&format!("{path}.nics_per_server"), s.nics_per_server.into(), 1, 8, "NICs per server");
    c.ethernet_rate(&format!("{path}.nic_speed_gbps"), s.nic_speed_gbps);
    c.count(&format!("{path}.servers_per_rack"), s.servers_per_rack.into(), 1, 200, "servers per rack");
    if let Some(w) = s.server_power_w {
        c.range(&format!("{path}.server_power_w"), w.0, 10.0, 20_000.0, "server power (W)");
    }
    let kw = s.rack_power_budget_kw.0;
    if kw.is_finite() && kw > 1000.0 {
        c.error(Code::WrongUnit, format!("{path}.rack_power_budget_kw"), format!("a rack budget of {kw} kW"))
            .found_mut(kw)
            .expected_mut("kilowatts, typically 5 to 50")
            .hint_mut(format!("this looks like watts: {} kW?", trim(kw / 1000.0)));
    } else {
        c.range(&format!("{path}.rack_power_budget_kw"), kw, 0.5, 200.0, "rack power budget (kW)");
    }
    if s.pue.is_finite() && s.pue < 1.0 && s.pue > 0.0 {
        c.error(Code::OutOfRange, format!("{path}.pue"), format!("PUE {} is below 1", s.pue))
            .found_mut(s.pue)
            .expected_mut("at least 1.0: a facility cannot draw less than its IT load")
            .hint_mut("typical values are 1.1 to 1.6");
    } else {
        c.range(&format!("{path}.pue"), s.pue, 1.0, 3.0, "PUE");
    }
    let l = s.layout;
    let lp = format!("{path}.layout");
    c.range(&format!("{lp}.in_rack_m"), l.in_rack_m.0, 0.1, 20.0, "in-rack distance (m)");
    c.range(&format!("{lp}.in_row_m"), l.in_row_m.0, 0.5, 500.0, "in-row distance (m)");
    c.range(&format!("{lp}.across_hall_m"), l.across_hall_m.0, 1.0, 10_000.0, "across-hall distance (m)");
    if let Some(o) = &s.fabric {
        check_policy(c, &format!("{path}.fabric"), &Overrideable::from(o), catalog);
    }
}

fn check_between(
    c: &mut Checker,
    path: &str,
    between: &[String; 2],
    sites: &[&str],
    broken: &BTreeSet<String>,
) {
    for (i, name) in between.iter().enumerate() {
        if !sites.contains(&name.as_str()) && !broken.contains(name) {
            let d = c
                .error(
                    Code::UnknownReference,
                    format!("{path}.between[{i}]"),
                    format!("no site named `{name}`"),
                )
                .found_mut(name)
                .expected_mut(format!("one of the scenario's sites: {}", sites.join(", ")));
            if let Some(best) = closest(name, sites.iter().copied()) {
                d.hint = Some(format!("did you mean `{best}`?"));
            }
        }
    }
    if between[0] == between[1] {
        c.error(Code::Inconsistent, format!("{path}.between"), format!("both ends are `{}`", between[0]))
            .expected_mut("two different sites");
    }
}

fn check_route(c: &mut Checker, path: &str, r: &FibreRoute) {
    let length_ok =
        c.range(&format!("{path}.length_km"), r.length_km.0, 0.001, 20_000.0, "route length (km)");
    c.count(&format!("{path}.fibre_pairs"), r.fibre_pairs.into(), 1, 1000, "fibre pairs");
    if let Some(a) = r.attenuation_db_per_km {
        c.range(&format!("{path}.attenuation_db_per_km"), a, 0.1, 1.0, "attenuation (dB/km)");
    }
    let mut total = 0.0;
    let mut spans_ok = true;
    for (i, span) in r.spans.iter().enumerate() {
        let sp = format!("{path}.spans[{i}]");
        spans_ok &= c.range(&format!("{sp}.length_km"), span.length_km.0, 0.001, 300.0, "span length (km)");
        total += span.length_km.0;
        if let Some(loss) = span.loss_db {
            if c.range(&format!("{sp}.loss_db"), loss.0, 0.0, 70.0, "span loss (dB)")
                && span.length_km.0 > 0.0
            {
                // Below ~0.14 dB/km no deployed silica fibre is known (record ~0.14).
                let per_km = loss.0 / span.length_km.0;
                if per_km < 0.14 {
                    c.push(
                        Diagnostic::warning(
                            Code::Inconsistent,
                            format!("{sp}.loss_db"),
                            format!(
                                "{} over {} is {:.3} dB/km, below any deployed fibre",
                                loss, span.length_km, per_km
                            ),
                        )
                        .hint("is the loss per span (dB), not per km?"),
                    );
                }
            }
        }
    }
    if length_ok && spans_ok && !r.spans.is_empty() {
        let diff = (total - r.length_km.0).abs();
        if diff > 0.01 * r.length_km.0.max(1.0) {
            c.error(
                Code::Inconsistent,
                format!("{path}.length_km"),
                format!(
                    "the spans add up to {} km but the route is {}",
                    crate::units::trim_float(total),
                    r.length_km
                ),
            )
            .found_mut(r.length_km)
            .expected_mut(format!(
                "{} km (the sum of the spans, within 1 %)",
                crate::units::trim_float(total)
            ));
        }
    }
}

/// A validated route file.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub name: String,
    pub fibre: FibreStandard,
    pub attenuation_db_per_km: Option<f64>,
    pub connector_loss_db: Option<f64>,
    pub spans: Vec<Span>,
}

/// Validates a route file.
pub fn route(file: RouteFile, parsed: Vec<Diagnostic>) -> (Option<Route>, Vec<Diagnostic>) {
    let mut c = Checker { diagnostics: parsed, ..Checker::default() };
    check_version(&mut c, file.format_version);
    c.non_empty("name", &file.name, "route name");
    if let Some(a) = file.attenuation_db_per_km {
        c.range("attenuation_db_per_km", a, 0.1, 1.0, "attenuation (dB/km)");
    }
    if let Some(l) = file.connector_loss_db {
        c.range("connector_loss_db", l, 0.0, 10.0, "connector loss (dB)");
    }
    let spans = c.items("spans", file.spans);
    if spans.is_empty() && c.diagnostics.is_empty() {
        c.error(Code::MissingField, "spans", "a route with no span").expected_mut("one or more spans");
    }
    for (path, span) in &spans {
        c.range(&format!("{path}.length_km"), span.length_km.0, 0.001, 300.0, "span length (km)");
        if let Some(loss) = span.loss_db {
            c.range(&format!("{path}.loss_db"), loss.0, 0.0, 70.0, "span loss (dB)");
        }
    }
    let ok = !c.diagnostics.iter().any(Diagnostic::is_error);
    let route = ok.then(|| Route {
        name: file.name,
        fibre: file.fibre,
        attenuation_db_per_km: file.attenuation_db_per_km,
        connector_loss_db: file.connector_loss_db,
        spans: strip(spans),
    });
    (route, c.diagnostics)
}

fn check_shelf_ref(c: &mut Checker, path: &str, shelf: &str, shelves: &BTreeSet<&str>) {
    if !shelves.contains(shelf) {
        let d = c
            .error(Code::UnknownReference, path, format!("no shelf `{shelf}` in this catalog"))
            .found_mut(shelf)
            .expected_mut("an id from `shelves`");
        if let Some(best) = closest(shelf, shelves.iter().copied()) {
            d.hint = Some(format!("did you mean `{best}`?"));
        }
    }
}
