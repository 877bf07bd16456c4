//! Price stage. The rule the designers compare alternatives by (a unit's
//! net price: the deal's category discount, and the volume tier the order
//! reaches once `plan` knows the order, see [`volume`]), and the bill of
//! materials, which prices its own quantities under every term of the deal.

use crate::model::{Catalog, CatalogItem, Category};
use crate::money::Money;
pub mod bom;
pub mod volume;

use rust_decimal::Decimal;

/// Net unit price after the deal's discount for the item's category and,
/// when the catalog carries them, the volume tier the order reaches
/// ([`volume::tier_prices`]), to the cent.
pub fn unit_net(catalog: &Catalog, item: &dyn CatalogItem) -> Money {
    match catalog.tier_prices.get(item.id()) {
        Some(p) => *p,
        None => unit_net_in(catalog, item.category(), item.list_price()),
    }
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
