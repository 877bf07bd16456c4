//! The catalog: its sections, and what every item shares (ids, part
//! numbers, sources, prices, power, estimates).

use super::*;
use super::{deal::*, items::*};

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
        ("roadm_degrees", file.roadm_degrees.len()),
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
    let roadm_degrees = c.items("roadm_degrees", file.roadm_degrees);
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
    add(&mut all, &roadm_degrees);
    add(&mut all, &amplifiers);
    add(&mut all, &shelves);
    add(&mut all, &cables);
    check_common(&mut c, &all);

    for (path, s) in &switches {
        check_switch(&mut c, path, s);
    }
    check_model_slugs(&mut c, &file.vendor, &switches);
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
    for (path, r) in &roadm_degrees {
        check_roadm(&mut c, path, r, &shelf_ids);
    }
    for (path, a) in &amplifiers {
        check_amplifier(&mut c, path, a, &shelf_ids);
    }
    for (path, s) in &shelves {
        check_shelf(&mut c, path, s);
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
            roadm_degrees: strip(roadm_degrees),
            amplifiers: strip(amplifiers),
            shelves: strip(shelves),
            cables: strip(cables),
        }),
        _ => None,
    };
    (catalog, c.diagnostics)
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

/// Sane power per unit, by kind, in watts: an active device draws
/// something (passive ones, a mux or a cable, may draw nothing).
fn power_range_w(kind: &str) -> (f64, f64) {
    match kind {
        "router chassis" | "switch" => (1.0, 60_000.0),
        "shelf" => (0.0, 60_000.0),
        "line card" | "coherent optic" => (1.0, 5_000.0),
        "amplifier" => (1.0, 2_000.0),
        "grey optic" => (0.1, 50.0),
        "cable" => (0.0, 50.0),
        _ => (0.0, 2_000.0),
    }
}

fn check_power(c: &mut Checker, path: &str, power: PowerDraw, kind: &str) {
    let (min, max) = power_range_w(kind);
    let typical_ok = c.range(&format!("{path}.power_w.typical"), power.typical.0, min, max, "typical power");
    if !typical_ok && min > 0.0 && power.typical.0 == 0.0 {
        c.diagnostics.last_mut().expect("just reported").hint_mut(format!(
            "a {kind} draws power when it runs: give its typical draw from the datasheet (or an estimate under `estimates`)"
        ));
    }
    let max_ok = c.range(&format!("{path}.power_w.max"), power.max.0, min, max, "maximum power");
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

/// A switch model becomes a NetBox device type, identified by the slug of
/// `vendor model` (`crate::text::slug`) and written once per model, part
/// number and height: two of those with one slug would collide there.
fn check_model_slugs(c: &mut Checker, vendor: &str, switches: &[(String, Switch)]) {
    let mut slugs: BTreeMap<String, (&str, &Switch)> = BTreeMap::new();
    for (path, s) in switches {
        let slug = crate::text::slug(&format!("{vendor} {}", s.model));
        let Some((first_path, first)) = slugs.get(&slug) else {
            slugs.insert(slug, (path.as_str(), s));
            continue;
        };
        let same_type = first.model == s.model
            && first.part_number == s.part_number
            && crate::units::trim_float(first.rack_units) == crate::units::trim_float(s.rack_units);
        if !same_type {
            let message = if first.model == s.model {
                format!(
                    "switch model `{}` is also {first_path}'s, with another part number or height: \
                     two NetBox device types with one slug `{slug}`",
                    s.model
                )
            } else {
                format!(
                    "switch `{}` and `{}` ({first_path}) would be two NetBox device types with one slug `{slug}`",
                    s.model, first.model
                )
            };
            c.error(Code::DuplicateId, format!("{path}.model"), message)
            .found_mut(&s.model)
            .expected_mut("a model name whose lowercase ASCII letters and digits no other switch model shares")
            .hint_mut(
                "NetBox identifies a device type by its slug: name the two models apart, or make them one item",
            );
        }
    }
}
