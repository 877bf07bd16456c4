//! The bill of materials at the deal's prices: one line per orderable item
//! per site, priced by the deal's terms, with totals that reconcile to the
//! cent.
//!
//! Pricing rules, written once:
//! 1. unit net before volume = list × (1 − category discount), to the cent;
//! 2. volume tiers apply per part number, on the quantity of that part across
//!    the whole order: `all-units` gives every unit the discount of the tier
//!    the total reaches; `incremental` gives each unit the discount of the
//!    tier it falls in (units 1–99 one price, 100–499 the next, …);
//! 3. a tier's unit price = unit net before volume × (1 − tier discount), to
//!    the cent; an item's net = Σ units × their unit price, exact;
//! 4. an item's net is shared over its sites' lines in proportion to their
//!    quantities, to the cent, the rounding remainder going to the largest
//!    lines first (so lines always add up to the item's net);
//! 5. support per year = support % × hardware net of the site, to the cent,
//!    one line per site, times the deal's years.
//!
//! Rounding is half away from zero.

use crate::model::*;
use crate::money::Money;
use crate::plan::Plan;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::collections::BTreeMap;

fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A quantity of one item at one site, with the reasons it is there.
#[derive(Debug, Clone, PartialEq)]
struct Need {
    site: String,
    item: String,
    quantity: u64,
    why: Vec<String>,
    spares: u64,
    /// Of the quantity (spares aside), the units a site's fabric uses.
    fabric: u64,
}

/// One line of the bill of materials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BomLine {
    pub site: String,
    pub category: Category,
    pub part_number: String,
    pub item: String,
    pub model: String,
    pub description: String,
    /// Units ordered, spares included.
    pub quantity: u64,
    /// Of which spares (by the scenario's spares policy).
    pub spares: u64,
    pub unit_list_price: Money,
    pub category_discount_pct: Decimal,
    /// Volume discount on top, averaged over the units of this line.
    pub volume_discount_pct: Decimal,
    /// Extended net / quantity, to the cent (an average under incremental tiers).
    pub unit_net_price: Money,
    pub extended_list_price: Money,
    pub extended_net_price: Money,
    pub unit_power_typical_w: f64,
    pub unit_power_max_w: f64,
    pub power_typical_w: f64,
    pub power_max_w: f64,
    pub rack_units: f64,
    /// Which links or devices required the line.
    pub why: String,
    /// `true` for list-price figures that are estimates in the catalog.
    pub price_estimate: bool,
}

/// Totals of a bill of materials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BomTotals {
    pub list: Money,
    /// Hardware at net prices (capex).
    pub hardware_net: Money,
    /// Support over the deal's years.
    pub support: Money,
    /// Hardware and support.
    pub net: Money,
    pub by_site: BTreeMap<String, Money>,
    /// Per site, the net price of the fabric's installed switches, optics
    /// and cables at these prices (volume tiers included; spares and
    /// support not): each line's net shared by quantity over fabric units,
    /// other units and spares, to the cent.
    pub fabric_by_site: BTreeMap<String, Money>,
    pub by_category: BTreeMap<String, Money>,
    pub power_typical_w: f64,
    pub power_max_w: f64,
    pub rack_units: f64,
    /// Years of the cost of ownership (the scenario's `horizon_years`).
    pub horizon_years: u32,
    /// Support at the deal's yearly rate over the horizon (the rate assumed
    /// to continue past the deal's own term).
    pub support_over_horizon: Money,
    /// Energy over the horizon at the scenario's price, through each site's PUE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub energy: Option<Money>,
    /// Capex, support over the horizon and energy over the horizon.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_of_ownership: Option<Money>,
}

/// A priced bill of materials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bom {
    pub currency: String,
    pub catalog: String,
    pub scenario: String,
    pub support_pct_per_year: Decimal,
    pub support_years: u32,
    pub lines: Vec<BomLine>,
    pub totals: BomTotals,
}

fn add(needs: &mut BTreeMap<(String, String), Need>, site: &str, item: &str, quantity: u64, why: String) {
    add_for(needs, site, item, quantity, why, false);
}

fn add_for(
    needs: &mut BTreeMap<(String, String), Need>,
    site: &str,
    item: &str,
    quantity: u64,
    why: String,
    fabric: bool,
) {
    if quantity == 0 {
        return;
    }
    let need = needs.entry((site.to_string(), item.to_string())).or_insert_with(|| Need {
        site: site.to_string(),
        item: item.to_string(),
        quantity: 0,
        why: Vec::new(),
        spares: 0,
        fabric: 0,
    });
    need.quantity += quantity;
    if fabric {
        need.fabric += quantity;
    }
    if !need.why.contains(&why) {
        need.why.push(why);
    }
}

/// Everything the plan needs, per site and item.
fn needs(plan: &Plan) -> BTreeMap<(String, String), Need> {
    let mut needs = BTreeMap::new();
    for site in &plan.sites {
        let f = &site.fabric;
        for t in f.tier_list() {
            add_for(
                &mut needs,
                &site.name,
                &t.switch_id,
                t.count,
                format!("{} tier: {} × {}", t.role.as_str(), t.count, t.model),
                true,
            );
        }
        for g in &f.links {
            for p in g.media.parts.iter() {
                let q = g.counts().of(p.per);
                add_for(
                    &mut needs,
                    &site.name,
                    &p.item,
                    q,
                    format!("{} links: {} × {}", g.class.as_str(), g.links, g.speed_gbps),
                    true,
                );
            }
        }
    }
    for d in &plan.interconnect {
        let Some(o) = d.design.options.iter().find(|o| Some(o.kind) == d.design.chosen) else { continue };
        let kind = o.kind.as_str();
        for p in &o.parts {
            add(
                &mut needs,
                &p.site,
                &p.item,
                p.quantity,
                format!("{kind} interconnect {} - {}: {}", d.design.between[0], d.design.between[1], p.why),
            );
        }
    }
    // Line systems and shelves, bought once for every demand on them.
    for p in &plan.interconnect_network.parts {
        add(&mut needs, &p.site, &p.item, p.quantity, format!("interconnect line systems: {}", p.why));
    }
    needs
}

/// Extra discount (percent) a tier schedule gives to the `n`-th unit (1-based)
/// or to all units of a total, by mode.
fn tier_pct(schedule: &VolumeSchedule, quantity: u64) -> Decimal {
    schedule
        .tiers
        .iter()
        .filter(|t| t.from_quantity <= quantity)
        .map(|t| t.extra_discount_pct)
        .next_back()
        .unwrap_or(Decimal::ZERO)
}

/// Net price of `quantity` units of an item under the deal: category
/// discount, then volume tiers. Returns the total, exact to the cent.
pub fn item_net(deal: &Deal, category: Category, list: Money, quantity: u64) -> Money {
    let hundred = Decimal::ONE_HUNDRED;
    let d = deal.discounts_pct.get(&category).copied().unwrap_or(Decimal::ZERO);
    let before_volume = cents(list.amount() * (hundred - d) / hundred);
    let unit_at = |pct: Decimal| cents(before_volume * (hundred - pct) / hundred);
    let Some(schedule) = deal.volume_tiers.iter().find(|s| s.category == category) else {
        return Money(before_volume * Decimal::from(quantity));
    };
    match schedule.mode {
        TierMode::AllUnits => Money(unit_at(tier_pct(schedule, quantity)) * Decimal::from(quantity)),
        TierMode::Incremental => {
            let mut total = Decimal::ZERO;
            let tiers = &schedule.tiers;
            for (i, t) in tiers.iter().enumerate() {
                let start = t.from_quantity.max(1);
                if start > quantity {
                    break;
                }
                let end = tiers.get(i + 1).map_or(quantity, |next| (next.from_quantity - 1).min(quantity));
                if end >= start {
                    total += unit_at(t.extra_discount_pct) * Decimal::from(end - start + 1);
                }
            }
            // Units below the first tier's start pay the price before volume.
            let first = tiers.first().map_or(1, |t| t.from_quantity.max(1));
            if first > 1 {
                total += before_volume * Decimal::from((first - 1).min(quantity));
            }
            Money(total)
        }
    }
}

/// Shares `total` over `quantities` in proportion, to the cent, so that the
/// shares add up to `total` exactly (largest remainder, ties by position).
fn allocate(total: Decimal, quantities: &[u64]) -> Vec<Decimal> {
    let sum: u64 = quantities.iter().sum();
    if sum == 0 {
        return vec![Decimal::ZERO; quantities.len()];
    }
    let total_cents = (total * Decimal::ONE_HUNDRED).round();
    let mut shares: Vec<(Decimal, Decimal, usize)> = quantities
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let exact = total_cents * Decimal::from(*q) / Decimal::from(sum);
            (exact.floor(), exact - exact.floor(), i)
        })
        .collect();
    let given: Decimal = shares.iter().map(|s| s.0).sum();
    let mut left = (total_cents - given).to_string().parse::<i64>().unwrap_or(0);
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| shares[b].1.cmp(&shares[a].1).then(a.cmp(&b)));
    for i in order {
        if left <= 0 {
            break;
        }
        shares[i].0 += Decimal::ONE;
        left -= 1;
    }
    shares.into_iter().map(|s| s.0 / Decimal::ONE_HUNDRED).collect()
}

/// Prices everything a plan needs under the catalog's deal.
pub fn bill_of_materials(catalog: &Catalog, scenario: &Scenario, plan: &Plan) -> Bom {
    let deal = &catalog.deal;
    let mut needs = needs(plan);
    // Spares, per line, rounded up to whole units.
    for need in needs.values_mut() {
        if let Some(item) = catalog.item(&need.item) {
            if let Some(pct) = scenario.spares_pct.get(&item.category()) {
                need.spares = (need.quantity as f64 * pct / 100.0 - 1e-9).ceil().max(0.0) as u64;
                need.quantity += need.spares;
            }
        }
    }
    // Quantities per item across sites, for volume tiers and allocation.
    let mut by_item: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    for need in needs.values() {
        by_item.entry(need.item.clone()).or_default().push((need.site.clone(), need.quantity));
    }
    let mut extended: BTreeMap<(String, String), Decimal> = BTreeMap::new();
    for (item_id, sites) in &by_item {
        let Some(item) = catalog.item(item_id) else { continue };
        let total_q: u64 = sites.iter().map(|s| s.1).sum();
        let net = item_net(deal, item.category(), item.list_price(), total_q);
        let quantities: Vec<u64> = sites.iter().map(|s| s.1).collect();
        for ((site, _), share) in sites.iter().zip(allocate(net.amount(), &quantities)) {
            extended.insert((site.clone(), item_id.clone()), share);
        }
    }
    let hundred = Decimal::ONE_HUNDRED;
    let mut lines = Vec::new();
    let mut fabric_by_site: BTreeMap<String, Money> = BTreeMap::new();
    for ((site, item_id), need) in &needs {
        let Some(item) = catalog.item(item_id) else { continue };
        let category = item.category();
        let list = item.list_price().amount();
        let q = Decimal::from(need.quantity);
        let ext_net = extended.get(&(site.clone(), item_id.clone())).copied().unwrap_or(Decimal::ZERO);
        if need.fabric > 0 {
            let rest = need.quantity - need.spares - need.fabric;
            let share = allocate(ext_net, &[need.fabric, rest, need.spares])[0];
            let entry = fabric_by_site.entry(site.clone()).or_insert(Money::ZERO);
            *entry = Money(entry.amount() + share);
        }
        let ext_list = list * q;
        let d = deal.discounts_pct.get(&category).copied().unwrap_or(Decimal::ZERO);
        let before_volume = cents(list * (hundred - d) / hundred) * q;
        let volume_pct = if before_volume > Decimal::ZERO {
            ((Decimal::ONE - ext_net / before_volume) * hundred).round_dp(2).max(Decimal::ZERO)
        } else {
            Decimal::ZERO
        };
        // A cable draws at each of its ends (a breakout cable at 1 + lanes).
        let ends = catalog.cables.iter().find(|c| &c.id == item_id).map_or(1.0, |c| match c.kind {
            CableKind::Dac | CableKind::Aoc => 2.0,
            CableKind::BreakoutDac | CableKind::BreakoutAoc => {
                1.0 + c.breakout.map_or(1.0, |b| f64::from(b.lanes))
            }
            CableKind::FibrePatch | CableKind::FibreTrunk => 0.0,
        });
        let power = item.power();
        let (unit_typ, unit_max) = (power.typical.0 * ends, power.max.0 * ends);
        // Spares sit on the shelf: no power, no rack space.
        let installed = (need.quantity - need.spares) as f64;
        let json = item.to_json();
        lines.push(BomLine {
            site: site.clone(),
            category,
            part_number: item.part_number().to_string(),
            item: item_id.clone(),
            model: item.model().to_string(),
            description: json
                .get("description")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            quantity: need.quantity,
            spares: need.spares,
            unit_list_price: Money(list),
            category_discount_pct: d,
            volume_discount_pct: volume_pct,
            unit_net_price: Money(cents(ext_net / q)),
            extended_list_price: Money(cents(ext_list)),
            extended_net_price: Money(ext_net),
            unit_power_typical_w: unit_typ,
            unit_power_max_w: unit_max,
            power_typical_w: round1(unit_typ * installed),
            power_max_w: round1(unit_max * installed),
            rack_units: catalog.rack_units_of(item_id) * installed,
            why: need.why.join("; "),
            price_estimate: item.estimates().contains_key("list_price"),
        });
    }
    // Support: one line per site over the deal's years.
    let mut support_lines = Vec::new();
    let sites: Vec<String> = {
        let mut v: Vec<String> = lines.iter().map(|l| l.site.clone()).collect();
        v.dedup();
        v
    };
    for site in &sites {
        let hardware: Decimal =
            lines.iter().filter(|l| &l.site == site).map(|l| l.extended_net_price.amount()).sum();
        let per_year = cents(hardware * deal.support.pct_per_year / hundred);
        let amount = per_year * Decimal::from(deal.support.years);
        if amount > Decimal::ZERO {
            support_lines.push(BomLine {
                site: site.clone(),
                category: Category::Support,
                part_number: "SUPPORT".into(),
                item: "support".into(),
                model: format!("Support, {}% of hardware net per year", deal.support.pct_per_year),
                description: format!("{} years of support on this site's hardware", deal.support.years),
                quantity: u64::from(deal.support.years),
                spares: 0,
                unit_list_price: Money(per_year),
                category_discount_pct: Decimal::ZERO,
                volume_discount_pct: Decimal::ZERO,
                unit_net_price: Money(per_year),
                extended_list_price: Money(amount),
                extended_net_price: Money(amount),
                unit_power_typical_w: 0.0,
                unit_power_max_w: 0.0,
                power_typical_w: 0.0,
                power_max_w: 0.0,
                rack_units: 0.0,
                why: format!(
                    "deal terms: support {}% per year for {} years",
                    deal.support.pct_per_year, deal.support.years
                ),
                price_estimate: deal.estimates.contains_key("support"),
            });
        }
    }
    lines.extend(support_lines);
    lines.sort_by(|a, b| {
        (&a.site, a.category, &a.part_number, &a.item).cmp(&(&b.site, b.category, &b.part_number, &b.item))
    });

    let sum = |f: &dyn Fn(&BomLine) -> bool| -> Decimal {
        lines.iter().filter(|l| f(l)).map(|l| l.extended_net_price.amount()).sum()
    };
    let hardware_net = sum(&|l| l.category != Category::Support);
    let support = sum(&|l| l.category == Category::Support);
    let mut by_site = BTreeMap::new();
    let mut by_category = BTreeMap::new();
    for l in &lines {
        *by_site.entry(l.site.clone()).or_insert(Money::ZERO) = Money(
            by_site.get(&l.site).map_or(Decimal::ZERO, |m: &Money| m.amount())
                + l.extended_net_price.amount(),
        );
        let c = l.category.as_str().to_string();
        let prev = by_category.get(&c).map_or(Decimal::ZERO, |m: &Money| m.amount());
        by_category.insert(c, Money(prev + l.extended_net_price.amount()));
    }
    let power_typical: f64 = lines.iter().map(|l| l.power_typical_w).sum();
    let power_max: f64 = lines.iter().map(|l| l.power_max_w).sum();
    let energy = scenario.energy.as_ref().map(|e| {
        // kWh at the meter: each site's equipment through its PUE (huts at 1).
        let kwh: Decimal = lines
            .iter()
            .map(|l| {
                let pue = scenario.sites.iter().find(|s| s.name == l.site).map_or(1.0, |s| s.pue);
                Decimal::from_f64_retain(
                    l.power_typical_w * pue * 8760.0 * f64::from(scenario.horizon_years) / 1000.0,
                )
                .unwrap_or_default()
            })
            .sum();
        Money(cents(kwh * e.price_per_kwh.amount()))
    });
    let net = hardware_net + support;
    let support_per_year: Decimal =
        lines.iter().filter(|l| l.category == Category::Support).map(|l| l.unit_net_price.amount()).sum();
    let support_over_horizon = support_per_year * Decimal::from(scenario.horizon_years);
    Bom {
        currency: deal.currency.clone(),
        catalog: catalog.name.clone(),
        scenario: scenario.name.clone(),
        support_pct_per_year: deal.support.pct_per_year,
        support_years: deal.support.years,
        totals: BomTotals {
            list: Money(
                lines
                    .iter()
                    .filter(|l| l.category != Category::Support)
                    .map(|l| l.extended_list_price.amount())
                    .sum(),
            ),
            hardware_net: Money(hardware_net),
            support: Money(support),
            net: Money(net),
            by_site,
            fabric_by_site,
            by_category,
            power_typical_w: round1(power_typical),
            power_max_w: round1(power_max),
            rack_units: lines.iter().map(|l| l.rack_units).sum(),
            horizon_years: scenario.horizon_years,
            support_over_horizon: Money(support_over_horizon),
            cost_of_ownership: energy.map(|e| Money(hardware_net + support_over_horizon + e.amount())),
            energy,
        },
        lines,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn deal(mode: TierMode) -> Deal {
        Deal {
            currency: "USD".into(),
            valid_from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            valid_until: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            discounts_pct: [(Category::Optics, Decimal::from(50))].into_iter().collect(),
            volume_tiers: vec![VolumeSchedule {
                category: Category::Optics,
                mode,
                tiers: vec![
                    VolumeTier { from_quantity: 1, extra_discount_pct: Decimal::ZERO },
                    VolumeTier { from_quantity: 100, extra_discount_pct: Decimal::from(10) },
                    VolumeTier { from_quantity: 500, extra_discount_pct: Decimal::from(20) },
                ],
            }],
            support: SupportTerms { pct_per_year: Decimal::from(10), years: 3 },
            source: "test".into(),
            estimates: Default::default(),
        }
    }

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn all_units_tiers_discount_every_unit_once_reached() {
        let d = deal(TierMode::AllUnits);
        // 99 units: 50 % off 99.99 = 50.00 (49.995 rounds half away from zero), no volume tier.
        assert_eq!(item_net(&d, Category::Optics, m("99.99"), 99), m("4950.00"));
        // 100 units: every unit at 50.00 × 0.9 = 45.00.
        assert_eq!(item_net(&d, Category::Optics, m("99.99"), 100), m("4500.00"));
        // 600 units: every unit at 50.00 × 0.8 = 40.00.
        assert_eq!(item_net(&d, Category::Optics, m("99.99"), 600), m("24000.00"));
    }

    #[test]
    fn incremental_tiers_discount_only_the_units_inside_them() {
        let d = deal(TierMode::Incremental);
        // 600 units: 99 at 50.00, 400 at 45.00, 101 at 40.00 = 4950 + 18000 + 4040.
        assert_eq!(item_net(&d, Category::Optics, m("99.99"), 600), m("26990.00"));
        assert_eq!(item_net(&d, Category::Optics, m("99.99"), 99), m("4950.00"));
        // A category without a schedule only gets its discount (none here).
        assert_eq!(item_net(&d, Category::Fabric, m("1000.00"), 3), m("3000.00"));
    }

    #[test]
    fn allocation_adds_up_to_the_cent() {
        let shares = allocate(m("100.00").amount(), &[1, 1, 1]);
        assert_eq!(shares.iter().copied().sum::<Decimal>(), Decimal::from(100));
        assert_eq!(shares, vec![Decimal::new(3334, 2), Decimal::new(3333, 2), Decimal::new(3333, 2)]);
        let shares = allocate(m("26990.00").amount(), &[7, 593]);
        assert_eq!(shares.iter().copied().sum::<Decimal>(), Decimal::new(2699000, 2));
    }

    proptest::proptest! {
        /// Incremental tiers equal pricing every unit one by one; every
        /// allocation of an item's net over sites adds up to it exactly.
        #[test]
        fn tiers_and_allocation_reconcile(
            list_cents in 1u64..10_000_000,
            discount in 0u32..90,
            tier2 in 2u64..300,
            tier3 in 300u64..2000,
            pct2 in 0u32..20,
            pct3 in 20u32..40,
            quantity in 1u64..3000,
            split in proptest::collection::vec(1u64..50, 1..6),
        ) {
            let mut d = deal(TierMode::Incremental);
            d.discounts_pct.insert(Category::Optics, Decimal::from(discount));
            d.volume_tiers[0].tiers = vec![
                VolumeTier { from_quantity: 1, extra_discount_pct: Decimal::ZERO },
                VolumeTier { from_quantity: tier2, extra_discount_pct: Decimal::from(pct2) },
                VolumeTier { from_quantity: tier3, extra_discount_pct: Decimal::from(pct3) },
            ];
            let list = Money(Decimal::new(list_cents as i64, 2));
            let hundred = Decimal::ONE_HUNDRED;
            let before = cents(list.amount() * (hundred - Decimal::from(discount)) / hundred);
            let naive: Decimal = (1..=quantity)
                .map(|n| {
                    let pct = if n >= tier3 { pct3 } else if n >= tier2 { pct2 } else { 0 };
                    cents(before * (hundred - Decimal::from(pct)) / hundred)
                })
                .sum();
            let total = item_net(&d, Category::Optics, list, quantity);
            proptest::prop_assert_eq!(total.amount(), naive);
            let shares = allocate(total.amount(), &split);
            proptest::prop_assert_eq!(shares.iter().copied().sum::<Decimal>(), total.amount());
            proptest::prop_assert!(shares.iter().all(|s| *s >= Decimal::ZERO));
            // All units: every unit at the reached tier's price.
            d.volume_tiers[0].mode = TierMode::AllUnits;
            let pct = if quantity >= tier3 { pct3 } else if quantity >= tier2 { pct2 } else { 0 };
            let all = cents(before * (hundred - Decimal::from(pct)) / hundred) * Decimal::from(quantity);
            proptest::prop_assert_eq!(item_net(&d, Category::Optics, list, quantity).amount(), all);
        }
    }
}
