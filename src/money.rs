//! Money: an exact decimal amount. Prices are never floating point, so that
//! every total reconciles to the cent.
//!
//! In YAML a price is written as decimal text (`"1234.50"`) or a whole
//! number (`1234`). A number with a fraction or an exponent (`1234.5`,
//! `1e3`) is refused: YAML reads it as a floating-point number, which holds
//! most amounts only approximately, so the file would not say exactly what
//! it costs.

use rust_decimal::Decimal;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// An exact amount of money in the catalog's one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub Decimal);

impl Money {
    /// Zero in any currency.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// The decimal amount.
    pub fn amount(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Two decimals at least: money is shown to the cent.
        let rounded = self.0.normalize();
        if rounded.scale() < 2 {
            write!(f, "{:.2}", rounded)
        } else {
            write!(f, "{}", rounded)
        }
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MoneyVisitor;
        impl de::Visitor<'_> for MoneyVisitor {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal amount such as \"1234.50\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
                parse_amount(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
                Ok(Money(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
                Ok(Money(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
                Err(E::custom(format!("{FLOAT_PRICE} `{v}`")))
            }
        }
        deserializer.deserialize_any(MoneyVisitor)
    }
}

/// The start of the error for a price written as a floating-point number
/// (`load::yaml` gives it its hint).
pub const FLOAT_PRICE: &str = "a price written as a floating-point number:";

fn parse_amount(text: &str) -> Result<Money, String> {
    let trimmed = text.trim();
    Decimal::from_str_exact(trimmed)
        .or_else(|_| Decimal::from_scientific(trimmed))
        .map(Money)
        .map_err(|_| format!("`{text}` is not a decimal amount (write digits only, e.g. \"1234.50\")"))
}

impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An exact decimal amount in the deal's currency, as text (\"1234.50\") or a whole number.",
            "anyOf": [
                {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"},
                {"type": "integer"}
            ]
        })
    }
}

impl FromStr for Money {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_amount(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str) -> Money {
        serde_json::from_value(serde_json::from_str(yaml).unwrap()).unwrap()
    }

    #[test]
    fn decimal_text_and_whole_numbers_are_read_exactly() {
        assert_eq!(read("\"0.1\"").to_string(), "0.10");
        assert_eq!(read("\"1234.5\"").to_string(), "1234.50");
        assert_eq!(read("12").to_string(), "12.00");
        assert_eq!(read("-3").to_string(), "-3.00");
        assert_eq!(read("\"0.125\"").to_string(), "0.125");
    }

    #[test]
    fn a_floating_point_price_is_refused() {
        for text in ["0.1", "12.5", "1e3", "1.0"] {
            let err = serde_json::from_str::<Money>(text).unwrap_err();
            assert!(err.to_string().starts_with(FLOAT_PRICE), "{text}: {err}");
        }
    }

    #[test]
    fn text_that_is_not_an_amount_is_refused() {
        let err = serde_json::from_str::<Money>("\"12 USD\"").unwrap_err();
        assert!(err.to_string().contains("not a decimal amount"), "{err}");
    }
}
