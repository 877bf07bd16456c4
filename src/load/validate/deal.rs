//! The deal's terms: currency, dates, discounts, volume tiers, support.

use super::*;

pub(super) fn check_deal(c: &mut Checker, deal: &Deal) {
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
