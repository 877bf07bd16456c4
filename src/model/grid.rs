//! Channel plans: fixed and flexible grids of a mux, and the frequencies of
//! their channels (ITU-T G.694.1).

use super::catalog::MuxDemux;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How a mux's channel plan is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Grid {
    /// One wavelength per channel, whatever its mode's spacing (ITU-T G.694.1 fixed grid).
    #[default]
    Fixed,
    /// Slots of `spacing_ghz`; a wavelength takes ⌈mode spacing / slot⌉ adjacent slots (G.694.1 flexible grid).
    Flex,
}

/// Default centre frequency of a plan's first channel: the OIF 400ZR plans start at 196.1 THz.
pub const DEFAULT_FIRST_CHANNEL_THZ: f64 = 196.1;

impl MuxDemux {
    /// Slots one wavelength of a mode with `min_spacing_ghz` takes, if the plan can carry it.
    pub fn slots_for(&self, min_spacing_ghz: f64) -> Option<u32> {
        match self.grid {
            Grid::Fixed => (min_spacing_ghz <= self.spacing_ghz.0 + 1e-9).then_some(1),
            Grid::Flex => {
                let k = (min_spacing_ghz / self.spacing_ghz.0 - 1e-9).ceil().max(1.0) as u32;
                (k <= self.channels).then_some(k)
            }
        }
    }

    /// Wavelengths of such a mode one fibre pair carries through this mux.
    pub fn wavelengths_for(&self, min_spacing_ghz: f64) -> Option<u32> {
        self.slots_for(min_spacing_ghz).map(|k| self.channels / k)
    }

    /// Centre frequency (THz) of a wavelength on `slots` slots from slot `first` (1-based).
    pub fn frequency_thz(&self, first: u32, slots: u32) -> f64 {
        let f1 = self.first_channel_thz.unwrap_or(DEFAULT_FIRST_CHANNEL_THZ);
        let centre = f64::from(first - 1) + f64::from(slots - 1) / 2.0;
        ((f1 - centre * self.spacing_ghz.0 / 1000.0) * 1e5).round() / 1e5
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PowerDraw;
    use crate::units::{Db, Ghz, Watts};

    fn mux(grid: Grid, channels: u32, spacing: f64) -> MuxDemux {
        MuxDemux {
            id: "m".into(),
            model: "m".into(),
            part_number: "m".into(),
            description: String::new(),
            channels,
            spacing_ghz: Ghz(spacing),
            grid,
            first_channel_thz: None,
            insertion_loss_db: Db(5.0),
            rack_units: 1.0,
            power_w: PowerDraw { typical: Watts(0.0), max: Watts(0.0) },
            list_price: crate::money::Money::ZERO,
            source: String::new(),
            estimates: Default::default(),
        }
    }

    #[test]
    fn a_fixed_grid_takes_one_channel_a_wavelength_if_the_mode_fits_it() {
        let m = mux(Grid::Fixed, 64, 75.0);
        assert_eq!(m.slots_for(75.0), Some(1));
        assert_eq!(m.slots_for(50.0), Some(1));
        assert_eq!(m.slots_for(87.5), None);
        assert_eq!(m.wavelengths_for(50.0), Some(64));
        // The 400ZR 75 GHz plan: 196.100 down to 191.375 THz.
        assert_eq!(m.frequency_thz(1, 1), 196.1);
        assert_eq!(m.frequency_thz(64, 1), 191.375);
    }

    #[test]
    fn a_flexible_grid_takes_as_many_slots_as_the_spacing_needs_and_centres_the_wavelength() {
        let m = mux(Grid::Flex, 384, 12.5);
        assert_eq!(m.slots_for(75.0), Some(6));
        assert_eq!(m.slots_for(87.5), Some(7));
        assert_eq!(m.slots_for(80.0), Some(7));
        assert_eq!(m.wavelengths_for(75.0), Some(64));
        // Six slots from slot 1: centred 2.5 slots (31.25 GHz) below slot 1's centre.
        assert_eq!(m.frequency_thz(1, 6), 196.06875);
    }
}
