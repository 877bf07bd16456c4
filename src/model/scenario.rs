//! What the buyer needs: sites with servers and racks, the fabric policy,
//! fibre routes between sites, and the demands that cross them.

use crate::units::{Db, Gbps, Km, Kw, Meters, Watts};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// What the planner minimises when several designs meet the targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// Lowest net price under the deal.
    #[default]
    Cost,
    /// Lowest typical power.
    Power,
    /// Lowest cost of ownership over `horizon_years`: hardware net, support
    /// at the deal's yearly rate and energy (typical power × PUE × tariff).
    Tco,
}

/// Which free channel a wavelength takes on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SpectrumFit {
    /// The lowest-numbered free channel (the plan's highest frequency).
    #[default]
    FirstFit,
    /// The highest-numbered free channel.
    LastFit,
}

/// In which order demands get their spectrum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SpectrumOrder {
    /// Protected demands first, then the largest, then scenario order.
    #[default]
    ProtectedLargestFirst,
    /// The order of `demands` in the scenario.
    Scenario,
}

/// How wavelengths are given channels across demands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpectrumPolicy {
    #[serde(default)]
    pub fit: SpectrumFit,
    #[serde(default)]
    pub order: SpectrumOrder,
}

/// How servers attach to leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Homing {
    /// Each server NIC port lands on one leaf.
    #[default]
    Single,
    /// Each server lands on a leaf pair in its rack (NICs split over the two).
    Dual,
}

/// Number of switching tiers: chosen by the planner, or fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tiers {
    /// Two tiers when the spines have ports for every leaf, else three.
    #[default]
    Auto,
    /// Leaf and spine.
    Two,
    /// Leaf, spine and superspine (pods).
    Three,
}

impl Serialize for Tiers {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Tiers::Auto => s.serialize_str("auto"),
            Tiers::Two => s.serialize_u8(2),
            Tiers::Three => s.serialize_u8(3),
        }
    }
}

impl<'de> Deserialize<'de> for Tiers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Tiers;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`auto`, 2 or 3")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Tiers, E> {
                match v {
                    "auto" => Ok(Tiers::Auto),
                    "2" => Ok(Tiers::Two),
                    "3" => Ok(Tiers::Three),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tiers, E> {
                match v {
                    2 => Ok(Tiers::Two),
                    3 => Ok(Tiers::Three),
                    _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tiers, E> {
                match v {
                    2 => Ok(Tiers::Two),
                    3 => Ok(Tiers::Three),
                    _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Tiers {
    fn schema_name() -> Cow<'static, str> {
        "Tiers".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Switching tiers: `auto` (2 when the spines have ports for every leaf, else 3), 2 or 3.",
            "anyOf": [{"const": "auto"}, {"enum": [2, 3]}]
        })
    }
}

/// The fabric policy: targets and model preferences. Set once for the
/// scenario; a site may override any field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FabricPolicy {
    /// Leaf oversubscription target: server-facing over uplink capacity
    /// (3.0 means 3:1). At least 1.
    pub leaf_oversubscription: f64,
    /// Spine oversubscription target in a 3-tier design (leaf-facing over
    /// superspine-facing capacity). At least 1.
    #[serde(default = "one")]
    pub spine_oversubscription: f64,
    #[serde(default)]
    pub homing: Homing,
    #[serde(default)]
    pub tiers: Tiers,
    /// Only these catalog switch ids may be used (empty: any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_models: Vec<String>,
    /// These catalog switch ids must not be used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_models: Vec<String>,
    /// Every leaf still meets `leaf_oversubscription` after losing any one
    /// spine: `d·s ≤ t·(u − m)·U`, with `m` of its `u` uplinks on each spine.
    #[serde(default, skip_serializing_if = "is_false")]
    pub survive_spine_loss: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn one() -> f64 {
    1.0
}

/// A site's changes to the scenario-wide fabric policy.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FabricPolicyOverride {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaf_oversubscription: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spine_oversubscription: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homing: Option<Homing>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiers: Option<Tiers>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_models: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded_models: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survive_spine_loss: Option<bool>,
}

impl FabricPolicy {
    /// This policy with a site's overrides applied.
    pub fn with_override(&self, o: &FabricPolicyOverride) -> FabricPolicy {
        FabricPolicy {
            leaf_oversubscription: o.leaf_oversubscription.unwrap_or(self.leaf_oversubscription),
            spine_oversubscription: o.spine_oversubscription.unwrap_or(self.spine_oversubscription),
            homing: o.homing.unwrap_or(self.homing),
            tiers: o.tiers.unwrap_or(self.tiers),
            allowed_models: o.allowed_models.clone().unwrap_or_else(|| self.allowed_models.clone()),
            excluded_models: o.excluded_models.clone().unwrap_or_else(|| self.excluded_models.clone()),
            survive_spine_loss: o.survive_spine_loss.unwrap_or(self.survive_spine_loss),
        }
    }
}

/// Cable-run distances inside a site, by link class.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// Server to leaf, inside the rack.
    #[serde(default = "default_in_rack")]
    pub in_rack_m: Meters,
    /// Leaf to spine within a row (end-of-row spines).
    #[serde(default = "default_in_row")]
    pub in_row_m: Meters,
    /// Across the hall (spine to superspine, or to the routers).
    #[serde(default = "default_across_hall")]
    pub across_hall_m: Meters,
}

fn default_in_rack() -> Meters {
    Meters(3.0)
}
fn default_in_row() -> Meters {
    Meters(30.0)
}
fn default_across_hall() -> Meters {
    Meters(300.0)
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            in_rack_m: default_in_rack(),
            in_row_m: default_in_row(),
            across_hall_m: default_across_hall(),
        }
    }
}

/// A data-center site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Unique site name, referenced by routes and demands.
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Servers to attach.
    pub servers: u64,
    /// Fabric-facing NIC ports per server.
    pub nics_per_server: u32,
    /// Speed of each NIC port.
    pub nic_speed_gbps: Gbps,
    pub servers_per_rack: u32,
    /// Rack units of one server: servers stand from RU 1 up, the rack's
    /// leaves from RU 42 down. When absent, 1 U if the servers fit so (the
    /// cable run list then gives each server's RU), else no RU is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_rack_units: Option<u32>,
    /// Typical draw of one server, for the rack power budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_power_w: Option<Watts>,
    /// Power a rack may draw.
    pub rack_power_budget_kw: Kw,
    /// Power usage effectiveness of the facility (facility power / IT power).
    pub pue: f64,
    /// Cable-run distances; defaults are 3 m in rack, 30 m in row, 300 m across the hall.
    #[serde(default)]
    pub layout: Layout,
    /// Changes to the scenario's fabric policy for this site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fabric: Option<FabricPolicyOverride>,
}

impl Site {
    /// Servers in a full rack: `servers_per_rack`, or all the servers when
    /// there are fewer (a site of 10 servers is one rack of 10).
    pub fn rack_size(&self) -> u64 {
        u64::from(self.servers_per_rack).min(self.servers).max(1)
    }
}

/// Fibre standard of a route, which sets the physical defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FibreStandard {
    /// ITU-T G.652.D standard single-mode fibre.
    G652d,
    /// ITU-T G.654.E low-loss, large-effective-area fibre.
    G654e,
    /// ITU-T G.655 non-zero dispersion-shifted fibre.
    G655,
}

/// One amplified span of a route.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Span {
    pub length_km: Km,
    /// Measured end-to-end loss of the span; when absent it follows from
    /// length × attenuation + connectors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss_db: Option<Db>,
}

/// A fibre route between two sites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FibreRoute {
    /// Unique route id.
    pub id: String,
    /// The two site names the route joins.
    pub between: [String; 2],
    pub length_km: Km,
    /// Fibre pairs available to the deal on this route.
    pub fibre_pairs: u32,
    pub fibre: FibreStandard,
    /// Spans, when known; their lengths add up to `length_km`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<Span>,
    /// Attenuation override for this route's fibre.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attenuation_db_per_km: Option<f64>,
}

/// Protection a demand requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Protection {
    /// One path is enough.
    #[default]
    None,
    /// Must survive the loss of any one fibre route or router.
    Diverse,
}

/// Traffic that must cross between two sites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// The two site names.
    pub between: [String; 2],
    pub gbps: Gbps,
    #[serde(default)]
    pub protection: Protection,
}

/// Energy price and horizon for a cost of ownership.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Energy {
    /// Price of a kWh at the meter, in the catalog's currency.
    pub price_per_kwh: crate::money::Money,
    /// Years of operation the cost of ownership covers.
    pub years: u32,
}

/// A validated scenario: every site name is unique, every route and demand
/// names existing sites, every model exists in the catalog it was checked
/// against. Built only by `load::validate`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub objective: Objective,
    pub growth_headroom_pct: f64,
    pub fabric: FabricPolicy,
    pub sites: Vec<Site>,
    pub fibre_routes: Vec<FibreRoute>,
    pub demands: Vec<Demand>,
    /// Spares to order, in percent of each line's quantity (rounded up), per category.
    pub spares_pct: std::collections::BTreeMap<crate::model::Category, f64>,
    pub energy: Option<Energy>,
    /// Years the cost of ownership covers, for support and energy alike
    /// (`horizon_years`, else `energy.years`, else the deal's support years).
    pub horizon_years: u32,
    /// Designs whose objective is within this percentage of the best tie;
    /// among them the smallest share of a leaf's uplinks on one spine (blast
    /// radius) wins, then fewer devices, less power, fewer optics, the
    /// better objective, then the lower net cost.
    pub tie_within_pct: f64,
    /// How the interconnect's wavelengths get their channels.
    pub spectrum: SpectrumPolicy,
}

impl Scenario {
    /// The fabric policy in force at a site.
    pub fn policy_for(&self, site: &Site) -> FabricPolicy {
        match &site.fabric {
            Some(o) => self.fabric.with_override(o),
            None => self.fabric.clone(),
        }
    }

    /// Servers in all sites.
    pub fn total_servers(&self) -> u64 {
        self.sites.iter().map(|s| s.servers).sum()
    }
}
