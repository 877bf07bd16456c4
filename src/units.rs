//! Unit newtypes. A number that carries a physical unit gets a type, so that a
//! length in kilometres can never be added to a loss in decibels by mistake.
//!
//! Every newtype is `#[serde(transparent)]`: in YAML and JSON it is a plain
//! number, and the unit lives in the field name (`length_km`, `power_w`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! float_unit {
    ($(#[$doc:meta])* $name:ident, $suffix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize, JsonSchema)]
        #[serde(transparent)]
        pub struct $name(pub f64);

        impl $name {
            /// The bare number, for arithmetic at an algorithm boundary.
            pub fn get(self) -> f64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}{}", crate::units::trim_float(self.0), $suffix)
            }
        }

        impl std::ops::Add for $name {
            type Output = $name;
            fn add(self, rhs: $name) -> $name {
                $name(self.0 + rhs.0)
            }
        }

        impl std::iter::Sum for $name {
            fn sum<I: Iterator<Item = $name>>(iter: I) -> $name {
                $name(iter.map(|x| x.0).sum())
            }
        }
    };
}

float_unit!(
    /// Electrical power in watts.
    Watts, " W"
);
float_unit!(
    /// Length in kilometres (fibre routes, spans, reach of coherent optics).
    Km, " km"
);
float_unit!(
    /// Length in metres (cables, grey-optic reach, distances inside a hall).
    Meters, " m"
);
float_unit!(
    /// A ratio or a loss in decibels.
    Db, " dB"
);
float_unit!(
    /// An absolute optical power in dBm (decibels relative to 1 mW).
    Dbm, " dBm"
);
float_unit!(
    /// A frequency or bandwidth in gigahertz (channel spacing).
    Ghz, " GHz"
);
float_unit!(
    /// A symbol rate in gigabaud.
    Gbaud, " GBd"
);
float_unit!(
    /// Power in kilowatts (rack budgets).
    Kw, " kW"
);

/// A data rate in gigabits per second. Integral: every Ethernet rate and every
/// sum of them is a whole number of Gb/s, so capacities add up exactly.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct Gbps(pub u64);

impl Gbps {
    /// The bare number.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Gbps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 >= 1000 && self.0 % 100 == 0 {
            write!(f, "{}T", trim_float(self.0 as f64 / 1000.0))
        } else {
            write!(f, "{}G", self.0)
        }
    }
}

/// The Ethernet port rates dcplan accepts, in Gb/s (IEEE 802.3 rates).
pub const ETHERNET_RATES_GBPS: &[u64] = &[1, 10, 25, 40, 50, 100, 200, 400, 800, 1600];

/// A count with thousands separators: 1234567 → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Formats a float without a trailing `.0` and without noise digits.
pub fn trim_float(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{:.3}", x);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(2_000_000), "2,000,000");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn display_keeps_units_and_drops_noise() {
        assert_eq!(Watts(250.0).to_string(), "250 W");
        assert_eq!(Km(80.25).to_string(), "80.25 km");
        assert_eq!(Db(0.1 + 0.2).to_string(), "0.3 dB");
        assert_eq!(Gbps(400).to_string(), "400G");
        assert_eq!(Gbps(12800).to_string(), "12.8T");
    }

    #[test]
    fn sums_stay_typed() {
        let total: Watts = [Watts(1.5), Watts(2.5)].into_iter().sum();
        assert_eq!(total, Watts(4.0));
    }
}
