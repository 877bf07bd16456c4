//! The pricing rounds of `plan` (`src/price/volume.rs`): the unit prices a
//! kept plan was compared at are the volume tiers its own order reaches,
//! re-derived here from the bill of materials' pricing of whole
//! quantities (`item_net`), not from the code that set them.

use crate::support::root;
use dcplan::load::{self, Source};
use dcplan::model::{Catalog, TierMode};
use dcplan::price::bom::{bill_of_materials, item_net};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

fn load(catalog: &str, scenario: &str) -> (Catalog, dcplan::model::Scenario) {
    let text = |p: &str| std::fs::read_to_string(root().join(p)).expect("shipped file");
    let c = load::load_catalog(&Source::new(catalog, text(catalog))).expect("catalog").value;
    let s = load::load_scenario(&Source::new(scenario, text(scenario)), &c).expect("scenario").value;
    (c, s)
}

/// The unit price of the last of `q` units: under all-units tiers every
/// unit's, under incremental ones the `q`-th unit's.
fn price_at(catalog: &Catalog, id: &str, q: u64) -> Decimal {
    let item = catalog.item(id).expect("in the catalog");
    let net = |n: u64| item_net(&catalog.deal, item.category(), item.list_price(), n).amount();
    let schedule = catalog.deal.volume_tiers.iter().find(|s| s.category == item.category());
    match schedule.map(|s| s.mode) {
        Some(TierMode::Incremental) => net(q) - net(q - 1),
        _ => net(q) / Decimal::from(q),
    }
}

#[test]
fn a_kept_plan_is_priced_at_the_tiers_its_own_order_reaches() {
    let mut checked = 0;
    for scenario in ["scenarios/example.yaml", "scenarios/beijing-metro.yaml", "scenarios/hyperscale.yaml"] {
        for catalog in ["catalogs/nokia-xiaomi-2017.yaml", "catalogs/merchant-whitebox.yaml"] {
            let (c, s) = load(catalog, scenario);
            let plan = dcplan::plan::plan(&c, &s).expect("the shipped scenarios plan");
            let p = &plan.pricing;
            assert!(
                p.rounds >= 2 && p.kept_round >= 1 && p.kept_round <= p.rounds,
                "{scenario} {catalog}: {p:?}"
            );
            if !p.at_own_tiers {
                // Said so in plan.json; the example on the merchant
                // catalog is one (README, "Prices").
                continue;
            }
            let bom = bill_of_materials(&c, &s, &plan);
            let mut bought: BTreeMap<&str, u64> = BTreeMap::new();
            for l in bom.lines.iter().filter(|l| l.category != dcplan::model::Category::Support) {
                *bought.entry(&l.item).or_default() += l.quantity;
            }
            let priced = plan.priced_catalog(&c);
            for (id, q) in &bought {
                let item = c.item(id).expect("in the catalog");
                let used = dcplan::price::unit_net(&priced, item).amount();
                assert_eq!(used, price_at(&c, id, *q), "{scenario} {catalog}: {id} x {q}");
                checked += 1;
            }
            // Some item is bought deep enough to reach a tier.
            assert!(!p.tier_prices.is_empty(), "{scenario} {catalog}");
        }
    }
    assert!(checked > 50, "{checked} items checked");
}

#[test]
fn a_deal_without_volume_tiers_plans_once_at_its_category_discounts() {
    let (mut c, s) = load("catalogs/nokia-xiaomi-2017.yaml", "scenarios/beijing-metro.yaml");
    c.deal.volume_tiers.clear();
    let plan = dcplan::plan::plan(&c, &s).expect("plans");
    assert_eq!((plan.pricing.rounds, plan.pricing.kept_round, plan.pricing.at_own_tiers), (1, 1, true));
    assert!(plan.pricing.tier_prices.is_empty());
}
