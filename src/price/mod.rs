//! Price stage. For now the one rule the designer needs to compare
//! alternatives: a unit's net price after the deal's category discount.
//! Volume tiers and support come with the bill of materials.

use crate::model::{Catalog, CatalogItem, Category};
use crate::money::Money;
pub mod bom;

use rust_decimal::Decimal;

/// Net unit price after the deal's discount for the item's category, to the cent.
pub fn unit_net(catalog: &Catalog, item: &dyn CatalogItem) -> Money {
    unit_net_in(catalog, item.category(), item.list_price())
}

/// Net unit price of a list price in a category, to the cent (half away from zero).
pub fn unit_net_in(catalog: &Catalog, category: Category, list: Money) -> Money {
    let pct = catalog.deal.discounts_pct.get(&category).copied().unwrap_or(Decimal::ZERO);
    let factor = (Decimal::ONE_HUNDRED - pct) / Decimal::ONE_HUNDRED;
    Money(
        (list.amount() * factor)
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
    )
}

/// An amount in whole cents, for exact integer arithmetic in searches.
pub fn cents(m: Money) -> i128 {
    (m.amount() * Decimal::ONE_HUNDRED).round().try_into().unwrap_or(i128::MAX / 4)
}
