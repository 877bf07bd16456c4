//! Small shared pieces of the model: ports, form factors, power, provenance.

use crate::units::{Gbps, Watts};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A group of identical front-panel ports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PortGroup {
    /// How many ports of this kind.
    pub count: u32,
    /// Native speed of each port.
    pub speed_gbps: Gbps,
    /// Cage type.
    pub form_factor: FormFactor,
    /// Ways one port may be split into several slower ports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakouts: Vec<Breakout>,
    /// Management or auxiliary ports, never used for the fabric.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub management: bool,
    /// The most a coherent pluggable (400ZR, ZR+) may draw in one of these
    /// cages (its maximum power, W), where the vendor supports coherent
    /// pluggables in them; absent, the cages take none. A pluggable fits
    /// when its form factor fits the cage and its maximum power is at most
    /// this (the `fabric-zr` interconnect option).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coherent_max_module_w: Option<Watts>,
}

/// One port split into `lanes` ports of `speed_gbps` each (400G → 4x100G).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Breakout {
    /// Number of ports one physical port becomes.
    pub lanes: u32,
    /// Speed of each resulting port.
    pub speed_gbps: Gbps,
}

impl std::fmt::Display for Breakout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.lanes, self.speed_gbps)
    }
}

/// Pluggable cage and module form factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FormFactor {
    Rj45,
    Sfp,
    SfpPlus,
    Sfp28,
    Sfp56,
    QsfpPlus,
    Qsfp28,
    Qsfp56,
    QsfpDd,
    Qsfp112,
    Osfp,
    Cfp2,
}

impl FormFactor {
    /// The name as written in the catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            FormFactor::Rj45 => "rj45",
            FormFactor::Sfp => "sfp",
            FormFactor::SfpPlus => "sfp-plus",
            FormFactor::Sfp28 => "sfp28",
            FormFactor::Sfp56 => "sfp56",
            FormFactor::QsfpPlus => "qsfp-plus",
            FormFactor::Qsfp28 => "qsfp28",
            FormFactor::Qsfp56 => "qsfp56",
            FormFactor::QsfpDd => "qsfp-dd",
            FormFactor::Qsfp112 => "qsfp112",
            FormFactor::Osfp => "osfp",
            FormFactor::Cfp2 => "cfp2",
        }
    }
}

/// Typical and maximum electrical power of one unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PowerDraw {
    /// Typical draw at room temperature and typical load.
    pub typical: Watts,
    /// Maximum draw: worst case, used for power provisioning.
    pub max: Watts,
}

/// Type of optical fibre a run or an optic is made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FibreKind {
    /// Single-mode fibre (OS2, G.652).
    Smf,
    /// Multimode fibre (OM3, OM4, OM5).
    Mmf,
}

/// Optical connector on a module or a cable end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Connector {
    Lc,
    Mpo12,
    Mpo16,
    Cs,
    Sn,
    /// Direct-attach copper or active cable: the cable is the module.
    Integrated,
}

/// The name an enum value has in the file formats (its serde name), for
/// reports: one spelling everywhere.
pub fn name_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}
