//! What a vendor deal supplies: fabric switches, routers and line cards,
//! optics, optical line-system parts, cables, and the deal's commercial terms.
//!
//! Every item carries `id`, `model`, `part_number`, `list_price` and a
//! `source`; figures that are not from the source are listed in `estimates`
//! with their basis, so a reader always knows which numbers are datasheet
//! values and which are judgement.

use super::common::*;
use super::grid::Grid;
use crate::money::Money;
use crate::units::{Db, Dbm, Gbaud, Gbps, Ghz, Km, Meters};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Figures that are estimates: field name → basis of the estimate.
pub type Estimates = BTreeMap<String, String>;

/// A role a fabric switch may play in a Clos fabric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FabricRole {
    /// Top-of-rack switch that servers attach to.
    Leaf,
    /// Second tier: joins the leaves of a fabric or of a pod.
    Spine,
    /// Third tier: joins the pods.
    Superspine,
    /// A leaf that carries the interconnect's hand-off instead of servers:
    /// a role of the design (any leaf-capable model may play it), never
    /// written in a catalog.
    #[serde(rename = "border-leaf", skip_deserializing)]
    BorderLeaf,
}

impl FabricRole {
    /// The name as written in the catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            FabricRole::Leaf => "leaf",
            FabricRole::Spine => "spine",
            FabricRole::Superspine => "superspine",
            FabricRole::BorderLeaf => "border-leaf",
        }
    }

    /// The role's name in prose, plural (`spines`, `border leaves`).
    pub fn plural(self) -> &'static str {
        match self {
            FabricRole::Leaf => "leaves",
            FabricRole::Spine => "spines",
            FabricRole::Superspine => "superspines",
            FabricRole::BorderLeaf => "border leaves",
        }
    }
}

/// How a datasheet quoted a capacity: both directions added (half duplex,
/// "HD", Nokia's convention for switches) or one direction (full duplex, "FD").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Duplex {
    Half,
    Full,
}

/// A capacity exactly as the datasheet printed it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotedCapacity {
    /// The printed figure.
    pub gbps: Gbps,
    /// Whether it counts both directions (half) or one (full).
    pub duplex: Duplex,
}

/// A fixed-configuration fabric switch (leaf, spine or superspine).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Switch {
    /// Catalog-wide unique id, referenced by scenarios.
    pub id: String,
    /// Marketing model name.
    pub model: String,
    /// Orderable part number.
    pub part_number: String,
    #[serde(default)]
    pub description: String,
    /// Roles this switch may play.
    pub roles: Vec<FabricRole>,
    /// Front-panel ports.
    pub ports: Vec<PortGroup>,
    /// Switching capacity in one direction (full duplex) = sum of data-port rates.
    pub capacity_fd_gbps: Gbps,
    /// The capacity as the datasheet printed it, when it printed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quoted_capacity: Option<QuotedCapacity>,
    /// Switching silicon, when a public source names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silicon: Option<String>,
    /// Height in rack units.
    pub rack_units: f64,
    /// Power without optics.
    pub power_w: PowerDraw,
    pub list_price: Money,
    /// URL or document the figures come from.
    pub source: String,
    /// Figures that are estimates: field name → basis.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub estimates: Estimates,
    /// This switch's device type in NetBox's community device-type library,
    /// when the library has one whose data ports are the catalog's, named
    /// as dcplan names them (`ethernet-1/N`, front-panel order): `export
    /// --to netbox --device-types library` then refers to it instead of
    /// exporting a type of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub netbox_library: Option<LibraryDeviceType>,
}

/// A device type of NetBox's community device-type library
/// (github.com/netbox-community/devicetype-library), as a NetBox that
/// imported it holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LibraryDeviceType {
    /// The library's file, e.g. `device-types/Nokia/7220-IXR-D2L-25-100GE.yaml`.
    pub file: String,
    /// Its `model`, which NetBox's device import refers to.
    pub model: String,
    /// Its `slug`.
    pub slug: String,
    /// Its module bays for the power supplies (the library models
    /// removable supplies as modules, their power ports on the module).
    pub power_bays: Vec<String>,
    /// The library's module type (`model`) of the supply dcplan installs
    /// in each: AC, front-to-rear airflow, as placement mounts switches.
    pub power_supply: String,
    /// The module type's file in the library.
    pub power_supply_file: String,
}

/// A modular router chassis (or a fixed router, as a chassis with one slot).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouterChassis {
    pub id: String,
    pub model: String,
    pub part_number: String,
    #[serde(default)]
    pub description: String,
    /// Line-card slots.
    pub slots: u32,
    /// Forwarding capacity one slot can carry, one direction.
    pub slot_capacity_fd_gbps: Gbps,
    /// Switch-fabric capacity of the whole chassis, one direction.
    pub fabric_capacity_fd_gbps: Gbps,
    pub rack_units: f64,
    /// Power of the common equipment (control, fabric, fans) without line cards.
    pub power_w: PowerDraw,
    pub list_price: Money,
    pub source: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub estimates: Estimates,
}

/// A router line card on a network processor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LineCard {
    pub id: String,
    pub model: String,
    pub part_number: String,
    #[serde(default)]
    pub description: String,
    /// Network-processor family and generation, e.g. `FP4`.
    pub network_processor: String,
    pub ports: Vec<PortGroup>,
    /// Forwarding capacity of the card, one direction.
    pub forwarding_capacity_fd_gbps: Gbps,
    /// Chassis ids this card fits.
    pub compatible_chassis: Vec<String>,
    pub power_w: PowerDraw,
    pub list_price: Money,
    pub source: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub estimates: Estimates,
}

/// A grey (non-coherent) pluggable optic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GreyOptic {
    pub id: String,
    pub model: String,
    pub part_number: String,
    #[serde(default)]
    pub description: String,
    /// IEEE or MSA name, e.g. `100GBASE-SR4`.
    pub standard: String,
    pub form_factor: FormFactor,
    pub speed_gbps: Gbps,
    /// When the module feeds several slower ports (400G-DR4 → 4x100G-DR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakout: Option<Breakout>,
    /// Standard of each broken-out lane, which the module at the far end
    /// must speak (`100GBASE-DR` for a `400GBASE-DR4`). Required with `breakout`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lane_standard: Option<String>,
    /// Longest run on the stated fibre.
    pub reach_m: Meters,
    pub fibre: FibreKind,
    pub connector: Connector,
    pub power_w: PowerDraw,
    pub list_price: Money,
    pub source: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub estimates: Estimates,
}

/// Whether a coherent interface is a pluggable in a host port or a transponder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CoherentKind {
    /// A digital coherent optic plugged into a router or switch port (400ZR, ZR+).
    Pluggable,
    /// A transponder or muxponder in an optical shelf, fed by grey client optics.
    Transponder,
}

/// Modulation format of a coherent mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Modulation {
    DpQpsk,
    #[serde(rename = "dp-8qam")]
    Dp8qam,
    #[serde(rename = "dp-16qam")]
    Dp16qam,
    #[serde(rename = "dp-32qam")]
    Dp32qam,
    #[serde(rename = "dp-64qam")]
    Dp64qam,
    /// Probabilistically shaped constellation.
    DpPcs,
}

/// One operating mode (rate, baud, modulation) of a coherent interface.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoherentMode {
    /// Short name, e.g. `400G-16QAM`.
    pub name: String,
    /// Client data rate carried by one wavelength in this mode.
    pub line_rate_gbps: Gbps,
    /// Symbol rate.
    pub baud_gbd: Gbaud,
    pub modulation: Modulation,
    /// Forward error correction, e.g. `CFEC`, `oFEC`.
    pub fec: String,
    /// Back-to-back OSNR needed at the receiver, in 0.1 nm (12.5 GHz).
    pub required_osnr_db: Db,
    /// Reach the vendor or specification states for this mode.
    pub reach_km: Km,
    /// Narrowest channel spacing the mode fits in.
    pub min_spacing_ghz: Ghz,
}

/// Range of a tunable figure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DbmRange {
    pub min: Dbm,
    pub max: Dbm,
}

/// A coherent DWDM interface: pluggable (400ZR, ZR+) or transponder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoherentOptic {
    pub id: String,
    pub model: String,
    pub part_number: String,
    #[serde(default)]
    pub description: String,
    pub kind: CoherentKind,
    /// Form factor of a pluggable; absent for a transponder card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_factor: Option<FormFactor>,
    /// Client ports of a transponder (absent for a pluggable: the host port is the client).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub client_ports: Vec<PortGroup>,
    /// Operating modes, fastest first.
    pub modes: Vec<CoherentMode>,
    /// Transmit (launch) power range of the module.
    pub tx_power_dbm: DbmRange,
    /// The transmitter's own OSNR in 0.1 nm, when specified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx_osnr_db: Option<Db>,
    /// Rack units of a standalone transponder; 0 for a pluggable or a card in a shelf.
    #[serde(default)]
    pub rack_units: f64,
    /// Shelf a transponder card plugs into (one slot per card).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shelf: Option<String>,
    pub power_w: PowerDraw,
    pub list_price: Money,
    pub source: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub estimates: Estimates,
}

/// A passive DWDM multiplexer/demultiplexer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MuxDemux {
    pub id: String,
    pub model: String,
    pub part_number: String,
    #[serde(default)]
    pub description: String,
    /// Number of channels of the channel plan (slots, on a flexible grid).
    pub channels: u32,
    /// Channel spacing of the plan (the slot width, on a flexible grid).
    pub spacing_ghz: Ghz,
    /// A fixed grid (one wavelength a channel) or a flexible one (a
    /// wavelength takes as many adjacent slots as its mode's spacing needs).
    #[serde(default)]
    pub grid: Grid,
    /// Centre frequency of channel (or slot) 1, the plan's highest; the
    /// others follow at `spacing_ghz` below it. Default 196.1 THz, the first
    /// channel of the OIF 400ZR plans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_channel_thz: Option<f64>,
    /// Insertion loss, mux or demux, per pass.
    pub insertion_loss_db: Db,
    pub rack_units: f64,
    /// Passive parts draw nothing; the field stays for uniform power sums.
    pub power_w: PowerDraw,
    pub list_price: Money,
    pub source: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub estimates: Estimates,
}

/// One degree of a ROADM: the wavelength-selective switch that ends a
/// fibre pair at a site where wavelengths pass through optically. A
/// wavelength expressed through a site crosses two degrees (in and out);
/// its express loss is made up by the booster of the outgoing line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoadmDegree {
    pub id: String,
    pub model: String,
    pub part_number: String,
    #[serde(default)]
    pub description: String,
    /// Loss of one express pass through the node, degree to degree.
    pub express_loss_db: Db,
    /// OSNR penalty of one express pass's filtering (the two WSS passbands
    /// a wavelength crosses), added to the mode's required OSNR.
    pub filtering_penalty_db: Db,
    /// Shelf the degree card plugs into, when it is not a standalone unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shelf: Option<String>,
    pub rack_units: f64,
    pub power_w: PowerDraw,
    pub list_price: Money,
    pub source: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub estimates: Estimates,
}

/// Where in a line an amplifier may sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AmplifierRole {
    /// After the mux, into the first span.
    Booster,
    /// Before the demux, at the end of the last span.
    Preamp,
    /// At an in-line amplifier site between two spans.
    Inline,
}

/// A gain range in dB.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DbRange {
    pub min: Db,
    pub max: Db,
}

/// An optical amplifier (EDFA).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Amplifier {
    pub id: String,
    pub model: String,
    pub part_number: String,
    #[serde(default)]
    pub description: String,
    pub roles: Vec<AmplifierRole>,
    pub gain_db: DbRange,
    pub noise_figure_db: Db,
    /// Total output power the amplifier can deliver.
    pub max_output_dbm: Dbm,
    /// Shelf the amplifier card plugs into, when it is not a standalone unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shelf: Option<String>,
    pub rack_units: f64,
    pub power_w: PowerDraw,
    pub list_price: Money,
    pub source: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub estimates: Estimates,
}

/// A shelf (chassis) of the optical line system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shelf {
    pub id: String,
    pub model: String,
    pub part_number: String,
    #[serde(default)]
    pub description: String,
    pub slots: u32,
    pub rack_units: f64,
    /// Power of the shelf itself (controller, fans), without cards.
    pub power_w: PowerDraw,
    pub list_price: Money,
    pub source: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub estimates: Estimates,
}

/// Kind of cable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CableKind {
    /// Passive direct-attach copper.
    Dac,
    /// Direct-attach copper that splits one port into several.
    BreakoutDac,
    /// Active optical cable.
    Aoc,
    /// Active optical cable that splits one port into several.
    BreakoutAoc,
    /// Fibre patch cord between two optics.
    FibrePatch,
    /// Multi-fibre trunk between patch panels.
    FibreTrunk,
}

/// A cable: copper or active optical (the cable is the module at both ends),
/// or fibre between two optics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cable {
    pub id: String,
    pub model: String,
    pub part_number: String,
    #[serde(default)]
    pub description: String,
    pub kind: CableKind,
    /// Cage the cable plugs into (DAC/AOC); absent for plain fibre.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_factor: Option<FormFactor>,
    /// Data rate (DAC/AOC); absent for plain fibre.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_gbps: Option<Gbps>,
    /// Split of a breakout cable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakout: Option<Breakout>,
    /// Fibre type of a fibre cable or AOC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fibre: Option<FibreKind>,
    pub connector: Connector,
    /// Fibre strands in a trunk (fibre-trunk only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fibres: Option<u32>,
    /// Orderable lengths.
    pub length_options_m: Vec<Meters>,
    /// Longest supported run.
    pub reach_m: Meters,
    /// Power per cable end (0 for passive copper and fibre).
    pub power_w: PowerDraw,
    pub list_price: Money,
    pub source: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub estimates: Estimates,
}

/// Price category of an item, for discounts and totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Fabric,
    Routing,
    Optical,
    Optics,
    Cables,
    Support,
}

impl Category {
    /// The name as written in the catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Fabric => "fabric",
            Category::Routing => "routing",
            Category::Optical => "optical",
            Category::Optics => "optics",
            Category::Cables => "cables",
            Category::Support => "support",
        }
    }
}

/// Whether a volume tier's discount applies to every unit once the
/// threshold is reached, or only to the units that fall inside the tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TierMode {
    /// Reaching the tier discounts all units ("all-units" discount).
    AllUnits,
    /// Only the units inside the tier's range get its discount ("incremental").
    Incremental,
}

/// One step of a volume-discount schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VolumeTier {
    /// Quantity from which the tier applies (the first tier usually starts at 1).
    pub from_quantity: u64,
    /// Extra discount on the already category-discounted price, in percent.
    pub extra_discount_pct: Decimal,
}

/// A volume-discount schedule for one category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VolumeSchedule {
    pub category: Category,
    pub mode: TierMode,
    pub tiers: Vec<VolumeTier>,
}

/// Support (maintenance) terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportTerms {
    /// Yearly support as a percentage of the net hardware price.
    pub pct_per_year: Decimal,
    /// Years of support the deal covers.
    pub years: u32,
}

/// The commercial terms of the deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deal {
    /// ISO 4217 currency code of every price in the catalog.
    pub currency: String,
    /// First day the deal's prices apply.
    pub valid_from: NaiveDate,
    /// Last day the deal's prices apply.
    pub valid_until: NaiveDate,
    /// Discount off list price per category, in percent.
    pub discounts_pct: BTreeMap<Category, Decimal>,
    /// Volume discounts on top of the category discount.
    #[serde(default)]
    pub volume_tiers: Vec<VolumeSchedule>,
    pub support: SupportTerms,
    pub source: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub estimates: Estimates,
}

/// Common view of every priced catalog item.
pub trait CatalogItem {
    fn id(&self) -> &str;
    fn model(&self) -> &str;
    fn part_number(&self) -> &str;
    fn list_price(&self) -> Money;
    fn source(&self) -> &str;
    fn estimates(&self) -> &Estimates;
    fn power(&self) -> PowerDraw;
    fn category(&self) -> Category;
    /// Kind of item, as named in the catalog's sections (singular).
    fn kind_name(&self) -> &'static str;
    /// The item as JSON, as it would be written in the catalog.
    fn to_json(&self) -> serde_json::Value;
}

macro_rules! catalog_item {
    ($ty:ty, $category:expr, $kind:literal) => {
        impl CatalogItem for $ty {
            fn id(&self) -> &str {
                &self.id
            }
            fn model(&self) -> &str {
                &self.model
            }
            fn part_number(&self) -> &str {
                &self.part_number
            }
            fn list_price(&self) -> Money {
                self.list_price
            }
            fn source(&self) -> &str {
                &self.source
            }
            fn estimates(&self) -> &Estimates {
                &self.estimates
            }
            fn power(&self) -> PowerDraw {
                self.power_w
            }
            fn category(&self) -> Category {
                $category
            }
            fn kind_name(&self) -> &'static str {
                $kind
            }
            fn to_json(&self) -> serde_json::Value {
                serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
            }
        }
    };
}

catalog_item!(Switch, Category::Fabric, "switch");
catalog_item!(RouterChassis, Category::Routing, "router chassis");
catalog_item!(LineCard, Category::Routing, "line card");
catalog_item!(GreyOptic, Category::Optics, "grey optic");
catalog_item!(CoherentOptic, Category::Optical, "coherent optic");
catalog_item!(MuxDemux, Category::Optical, "mux/demux");
catalog_item!(RoadmDegree, Category::Optical, "ROADM degree");
catalog_item!(Amplifier, Category::Optical, "amplifier");
catalog_item!(Shelf, Category::Optical, "shelf");
catalog_item!(Cable, Category::Cables, "cable");

/// A validated catalog: every id is unique, every reference resolves, every
/// figure is in range. Built only by `load::validate`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Catalog {
    pub name: String,
    pub vendor: String,
    #[serde(default)]
    pub description: String,
    pub deal: Deal,
    pub switches: Vec<Switch>,
    pub router_chassis: Vec<RouterChassis>,
    pub line_cards: Vec<LineCard>,
    pub grey_optics: Vec<GreyOptic>,
    pub coherent_optics: Vec<CoherentOptic>,
    pub mux_demux: Vec<MuxDemux>,
    /// ROADM degrees, for wavelengths expressed through a site.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roadm_degrees: Vec<RoadmDegree>,
    pub amplifiers: Vec<Amplifier>,
    pub shelves: Vec<Shelf>,
    pub cables: Vec<Cable>,
}

impl Catalog {
    /// Every priced item, section by section, in file order.
    pub fn items(&self) -> impl Iterator<Item = &dyn CatalogItem> {
        fn each<T: CatalogItem>(v: &[T]) -> impl Iterator<Item = &dyn CatalogItem> {
            v.iter().map(|x| x as &dyn CatalogItem)
        }
        each(&self.switches)
            .chain(each(&self.router_chassis))
            .chain(each(&self.line_cards))
            .chain(each(&self.grey_optics))
            .chain(each(&self.coherent_optics))
            .chain(each(&self.mux_demux))
            .chain(each(&self.roadm_degrees))
            .chain(each(&self.amplifiers))
            .chain(each(&self.shelves))
            .chain(each(&self.cables))
    }

    /// The switch with this id.
    pub fn switch(&self, id: &str) -> Option<&Switch> {
        self.switches.iter().find(|s| s.id == id)
    }

    /// Any item with this id.
    pub fn item(&self, id: &str) -> Option<&dyn CatalogItem> {
        self.items().find(|i| i.id() == id)
    }

    /// Rack units one unit of an item takes of its own (a card in a shelf
    /// takes none: the shelf is counted).
    pub fn rack_units_of(&self, id: &str) -> f64 {
        if let Some(x) = self.switches.iter().find(|x| x.id == id) {
            return x.rack_units;
        }
        if let Some(x) = self.router_chassis.iter().find(|x| x.id == id) {
            return x.rack_units;
        }
        if let Some(x) = self.shelves.iter().find(|x| x.id == id) {
            return x.rack_units;
        }
        if let Some(x) = self.mux_demux.iter().find(|x| x.id == id) {
            return x.rack_units;
        }
        if let Some(x) = self.roadm_degrees.iter().find(|x| x.id == id) {
            return if x.shelf.is_some() { 0.0 } else { x.rack_units };
        }
        if let Some(x) = self.amplifiers.iter().find(|x| x.id == id) {
            return if x.shelf.is_some() { 0.0 } else { x.rack_units };
        }
        if let Some(x) = self.coherent_optics.iter().find(|x| x.id == id) {
            return if x.shelf.is_some() { 0.0 } else { x.rack_units };
        }
        0.0
    }
}
