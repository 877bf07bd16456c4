//! Unit prices at the volume tiers an order reaches, for the designers.
//!
//! The designers compare candidates at one unit price per item, so a
//! search stays linear in the counts it walks. The deal's volume tiers
//! make the price of an item depend on how many of it the whole order buys,
//! across sites and the interconnect. `plan` therefore prices in rounds:
//! the first at the category discounts alone, each next one at the prices
//! below, taken from the bill of materials of the plan before, until a
//! plan is priced at the tiers its own order reaches (see `crate::plan`).
//!
//! The price of an item is its unit net at the tier it reaches:
//! - an item the order buys: the tier its whole quantity reaches, spares
//!   included, as the bill of materials counts it. Under all-units tiers
//!   that is every unit's price; under incremental tiers it is the price of
//!   one unit more or less (the margin), which is what tells two designs
//!   near the plan apart;
//! - an item the order does not buy, in a category with tiers: the deepest
//!   tier any bought item of its category reaches. That is what it would
//!   get if it replaced that item, and an optimistic price for the items
//!   that would replace fewer; the round after prices it at its own
//!   quantity, and `plan` keeps whichever round's order is cheaper.

use super::bom::{tier_reached, unit_at_tier, Bom};
use crate::model::{Catalog, Category};
use crate::money::Money;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Per item id, the unit net price at the tier the order of `bom` reaches,
/// for every item whose category has volume tiers and whose price there
/// differs from its category-discount price.
pub fn tier_prices(catalog: &Catalog, bom: &Bom) -> BTreeMap<String, Money> {
    let deal = &catalog.deal;
    let mut bought: BTreeMap<&str, u64> = BTreeMap::new();
    for l in &bom.lines {
        if l.category != Category::Support {
            *bought.entry(l.item.as_str()).or_default() += l.quantity;
        }
    }
    let mut deepest: BTreeMap<Category, Decimal> = BTreeMap::new();
    for (id, q) in &bought {
        let Some(item) = catalog.item(id) else { continue };
        if let Some(pct) = tier_reached(deal, item.category(), *q) {
            let d = deepest.entry(item.category()).or_default();
            *d = (*d).max(pct);
        }
    }
    let mut prices = BTreeMap::new();
    for item in catalog.items() {
        let category = item.category();
        let pct = match bought.get(item.id()) {
            Some(q) => tier_reached(deal, category, *q),
            None => deepest.get(&category).copied(),
        };
        let Some(pct) = pct.filter(|p| !p.is_zero()) else { continue };
        prices.insert(item.id().to_string(), Money(unit_at_tier(deal, category, item.list_price(), pct)));
    }
    prices
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::price::bom::item_net;

    fn catalog() -> Catalog {
        crate::load::catalog_from(None).expect("the embedded catalog loads").value
    }

    fn bom_of(catalog: &Catalog, items: &[(&str, u64)]) -> Bom {
        let lines = items
            .iter()
            .map(|(id, q)| {
                let item = catalog.item(id).expect("in the catalog");
                crate::price::bom::BomLine {
                    site: "s".into(),
                    category: item.category(),
                    part_number: item.part_number().into(),
                    item: id.to_string(),
                    model: item.model().into(),
                    description: String::new(),
                    quantity: *q,
                    spares: 0,
                    unit_list_price: item.list_price(),
                    category_discount_pct: Decimal::ZERO,
                    volume_discount_pct: Decimal::ZERO,
                    unit_net_price: Money(Decimal::ZERO),
                    extended_list_price: Money(Decimal::ZERO),
                    extended_net_price: Money(Decimal::ZERO),
                    unit_power_typical_w: 0.0,
                    unit_power_max_w: 0.0,
                    power_typical_w: 0.0,
                    power_max_w: 0.0,
                    rack_units: 0.0,
                    why: String::new(),
                    price_estimate: false,
                }
            })
            .collect();
        Bom {
            currency: "USD".into(),
            catalog: String::new(),
            scenario: String::new(),
            support_pct_per_year: Decimal::ZERO,
            support_years: 0,
            lines,
            totals: Default::default(),
        }
    }

    /// The margin of an order: what one unit more costs under the deal.
    fn margin(catalog: &Catalog, id: &str, q: u64) -> Money {
        let item = catalog.item(id).expect("in the catalog");
        let at = |n| item_net(&catalog.deal, item.category(), item.list_price(), n).amount();
        Money(at(q + 1) - at(q))
    }

    #[test]
    fn a_bought_item_is_priced_at_the_margin_of_its_order() {
        let c = catalog();
        let switch = c.switches[0].id.clone();
        let optic = c.grey_optics[0].id.clone();
        // Inside a tier (not at its first unit), one unit more costs the
        // tier's unit price, under all-units (fabric) and incremental
        // (optics) schedules alike.
        let bom = bom_of(&c, &[(&switch, 700), (&optic, 20_000)]);
        let p = tier_prices(&c, &bom);
        assert_eq!(p[&switch], margin(&c, &switch, 700));
        assert_eq!(p[&optic], margin(&c, &optic, 20_000));
        // Below every tier, the category discount alone: not in the map.
        let small = tier_prices(&c, &bom_of(&c, &[(&switch, 3)]));
        assert!(!small.contains_key(&switch));
    }

    #[test]
    fn an_unbought_item_gets_the_deepest_tier_of_its_category() {
        let c = catalog();
        let (a, b) = (c.switches[0].id.clone(), c.switches[1].id.clone());
        let p = tier_prices(&c, &bom_of(&c, &[(&a, 700)]));
        let item = c.item(&b).expect("in the catalog");
        let pct = tier_reached(&c.deal, item.category(), 700).expect("fabric has tiers");
        assert_eq!(p[&b], Money(unit_at_tier(&c.deal, item.category(), item.list_price(), pct)));
        // Other categories' items bought nothing and reach nothing.
        assert!(!p.contains_key(&c.grey_optics[0].id));
    }
}
