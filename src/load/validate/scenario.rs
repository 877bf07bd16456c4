//! Scenarios (policy, sites, routes, demands, energy) and route files.

use super::*;

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
    check_site_slugs(&mut c, &sites);
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
            spectrum: file.spectrum,
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

/// Servers of `units` RU each must leave at least one of a rack's 42 RU
/// to its leaves.
fn check_servers_fit(c: &mut Checker, at: &str, s: &Site, units: u32) {
    let used = u64::from(s.servers_per_rack) * u64::from(units);
    let room = crate::analyse::racks::NETWORK_RACK_UNITS as u64 - 1;
    if used > room {
        c.error(
            Code::InvalidValue,
            at,
            format!("{} servers of {units} U take {used} U of a rack", s.servers_per_rack),
        )
        .found_mut(units)
        .expected_mut(format!(
            "servers that leave the leaves at least 1 U of {} (at most {room} U of servers)",
            room + 1
        ))
        .hint_mut(format!("lower servers_per_rack to {}", room / u64::from(units)));
    }
}

fn check_site(c: &mut Checker, path: &str, s: &Site, catalog: &Catalog) {
    c.non_empty(&format!("{path}.name"), &s.name, "site name");
    check_name(c, &format!("{path}.name"), &s.name, "site name");
    c.count(&format!("{path}.servers"), s.servers, 1, limits::MAX_SERVERS_PER_SITE, "server count");
    c.count(&format!("{path}.nics_per_server"), s.nics_per_server.into(), 1, 8, "NICs per server");
    c.ethernet_rate(&format!("{path}.nic_speed_gbps"), s.nic_speed_gbps);
    c.count(&format!("{path}.servers_per_rack"), s.servers_per_rack.into(), 1, 200, "servers per rack");
    if let Some(u) = s.server_rack_units {
        let at = format!("{path}.server_rack_units");
        if c.count(&at, u.into(), 1, 10, "rack units per server") {
            check_servers_fit(c, &at, s, u);
        }
    }
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
        let sp = || format!("{path}.spans[{i}]");
        let length_path = || format!("{}.length_km", sp());
        spans_ok &= c.range(length_path, span.length_km.0, 0.001, 300.0, "span length (km)");
        total += span.length_km.0;
        if let Some(loss) = span.loss_db {
            if c.range(|| format!("{}.loss_db", sp()), loss.0, 0.0, 70.0, "span loss (dB)")
                && span.length_km.0 > 0.0
            {
                // Below ~0.14 dB/km no deployed silica fibre is known (record ~0.14).
                let per_km = loss.0 / span.length_km.0;
                if per_km < 0.14 {
                    c.push(
                        Diagnostic::warning(
                            Code::Inconsistent,
                            format!("{}.loss_db", sp()),
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

/// NetBox identifies a site by its slug (`crate::text::slug`): two names
/// that differ only in case or punctuation (`Site A`, `site a `) would be
/// one site there. A name with no ASCII letter or digit has no slug at all.
fn check_site_slugs(c: &mut Checker, sites: &[(String, Site)]) {
    let mut slugs: BTreeMap<String, (&str, &str)> = BTreeMap::new();
    // A name with a control character is refused already.
    for (path, site) in sites.iter().filter(|(_, s)| crate::text::forbidden_char(&s.name, false).is_none()) {
        let slug = crate::text::slug(&site.name);
        match slugs.get(&slug) {
            Some((first_path, first)) if *first != site.name => {
                c.error(
                    Code::DuplicateId,
                    format!("{path}.name"),
                    if slug.is_empty() {
                        format!(
                            "sites `{}` and `{first}` ({first_path}) have no ASCII letter or digit: both have an empty NetBox slug",
                            site.name
                        )
                    } else {
                        format!(
                            "sites `{}` and `{first}` ({first_path}) have the same NetBox slug `{slug}`",
                            site.name
                        )
                    },
                )
                .found_mut(&site.name)
                .expected_mut("a name whose lowercase ASCII letters and digits no other site shares")
                .hint_mut("NetBox identifies sites by slug, so the export would merge them: rename one of the two");
            }
            Some(_) => {}
            None => {
                if slug.is_empty() {
                    c.push(
                        Diagnostic::warning(
                            Code::InvalidValue,
                            format!("{path}.name"),
                            format!("site `{}` has no ASCII letter or digit: its NetBox slug is empty", site.name),
                        )
                        .hint("NetBox refuses an empty slug: add a Latin name or a number if you export to NetBox"),
                    );
                }
                slugs.insert(slug, (path.as_str(), site.name.as_str()));
            }
        }
    }
}
