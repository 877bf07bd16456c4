//! Optics and cables for each class of link: the cheapest (or least power
//! hungry) way the catalog offers to join two ports over a run's length.
//!
//! Rules that are never broken: an optic or cable never serves a run
//! longer than its reach; both ends of an optical link use the same fibre
//! type (no single-mode optic on a multimode patch); a module only goes into
//! a cage it fits.

use crate::model::*;
use crate::money::Money;
use crate::price;
use crate::units::{Gbps, Meters, Watts};
use serde::Serialize;

/// Where a link runs, which sets its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkClass {
    /// Server to leaf, inside the rack.
    ServerLeaf,
    /// Leaf to spine, along the row.
    LeafSpine,
    /// Spine to superspine, across the hall.
    SpineSuperspine,
    /// A site's fabric to its interconnect terminal or router.
    HandOff,
    /// A border leaf to the top tier, across the hall.
    BorderUplink,
    /// Wavelengths over one amplified fibre span between sites.
    Span,
}

impl LinkClass {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkClass::ServerLeaf => "server-leaf",
            LinkClass::LeafSpine => "leaf-spine",
            LinkClass::SpineSuperspine => "spine-superspine",
            LinkClass::HandOff => "hand-off",
            LinkClass::BorderUplink => "border-uplink",
            LinkClass::Span => "span",
        }
    }

    /// The run length of this class at a site.
    pub fn distance(self, layout: &crate::model::Layout) -> Meters {
        match self {
            LinkClass::ServerLeaf => layout.in_rack_m,
            LinkClass::LeafSpine => layout.in_row_m,
            // A hand-off from the top tier crosses the hall; from a border
            // leaf it is a run along the interconnect's row
            // (`fabric::border`, which asks for that distance itself).
            LinkClass::SpineSuperspine | LinkClass::BorderUplink | LinkClass::HandOff => layout.across_hall_m,
            LinkClass::Span => Meters(0.0),
        }
    }
}

/// Whether a module of form factor `module` fits a cage of form factor `cage`
/// (the QSFP and SFP families are backward compatible: a QSFP28 fits a
/// QSFP-DD cage and runs at 100G).
pub fn fits(module: FormFactor, cage: FormFactor) -> bool {
    use FormFactor::*;
    fn rank(f: FormFactor) -> Option<(u8, u8)> {
        Some(match f {
            Sfp => (0, 0),
            SfpPlus => (0, 1),
            Sfp28 => (0, 2),
            Sfp56 => (0, 3),
            QsfpPlus => (1, 0),
            Qsfp28 => (1, 1),
            Qsfp56 => (1, 2),
            Qsfp112 => (1, 3),
            QsfpDd => (1, 4),
            _ => return None,
        })
    }
    if module == cage {
        return true;
    }
    match (rank(module), rank(cage)) {
        // QSFP112 and QSFP-DD are different widths past QSFP56: only QSFP56 and older fit both.
        (Some((fm, rm)), Some((fc, rc))) => fm == fc && rm < rc && !(module == Qsfp112 && cage == QsfpDd),
        _ => false,
    }
}

/// Whether a cage of `group` holds the coherent pluggable `optic`: the
/// cage is a data port whose vendor supports coherent pluggables, the
/// module fits it, and the module's maximum power is within the cage's
/// class (`coherent_max_module_w`).
pub fn takes_coherent(group: &PortGroup, optic: &CoherentOptic) -> bool {
    let (Some(class), Some(ff)) = (group.coherent_max_module_w, optic.form_factor) else { return false };
    optic.kind == CoherentKind::Pluggable
        && !group.management
        && fits(ff, group.form_factor)
        && optic.power_w.max.0 <= class.0
}

/// The usual NIC cage for a server port speed.
pub fn nic_form_factor(speed: Gbps) -> FormFactor {
    match speed.0 {
        0..=1 => FormFactor::Rj45,
        2..=10 => FormFactor::SfpPlus,
        11..=25 => FormFactor::Sfp28,
        26..=50 => FormFactor::Sfp56,
        51..=100 => FormFactor::Qsfp28,
        101..=200 => FormFactor::Qsfp56,
        _ => FormFactor::QsfpDd,
    }
}

/// One side of a link class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct End {
    /// Cage of the port.
    pub cage: FormFactor,
    /// Native speed of the port.
    pub port_speed: Gbps,
    /// Breakout in use on this port.
    pub breakout: Option<Breakout>,
}

impl End {
    fn lanes(&self) -> u64 {
        self.breakout.map_or(1, |b| u64::from(b.lanes))
    }
}

/// What a link class asks for: side A (the upper switch's port) to side B
/// (the lower switch's port or a server NIC), either maybe broken out, over
/// `distance`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkSpec {
    pub class: LinkClass,
    pub a: End,
    pub b: End,
    pub link_speed: Gbps,
    pub distance: Meters,
}

/// What one part of a media choice is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Per {
    /// One per port used on side A.
    APort,
    /// One per port used on side B.
    BPort,
    /// One per link.
    Link,
    /// One per this many links (a shared trunk).
    Links(u64),
}

/// One orderable part of a media choice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    pub item: String,
    pub per: Per,
    /// Length ordered, for cables and fibre.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length_m: Option<Meters>,
    #[serde(skip)]
    pub unit_cost: Money,
    /// `unit_cost` in cents, for exact integer sums in the search.
    #[serde(skip)]
    pub unit_cents: i128,
    /// Power of one unit in place (a cable counts its powered ends).
    #[serde(skip)]
    pub power_typical: Watts,
    #[serde(skip)]
    pub power_max: Watts,
    /// Share of the part's power that sits at side B (the lower switch or
    /// the server): 1 for a B-side module, ½ for a straight cable.
    #[serde(skip)]
    pub b_share: f64,
    /// A pluggable module (an optic), rather than a cable or fibre.
    #[serde(skip)]
    pub module: bool,
}

/// The parts that make one kind of link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaChoice {
    /// `cable` (DAC/AOC, both ends in one part) or `optics` (modules and fibre).
    pub kind: &'static str,
    /// Shared: the search copies a choice into every link group it tries.
    pub parts: std::sync::Arc<[Part]>,
}

/// Quantities a media choice is multiplied by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts<'a> {
    pub a_ports: u64,
    pub b_ports: u64,
    pub links: u64,
    /// Links on one side-A switch → switches with that many: a trunk is
    /// never shared between two of them.
    pub a_spread: &'a [(u64, u64)],
}

impl Counts<'_> {
    pub fn of(&self, per: Per) -> u64 {
        match per {
            Per::APort => self.a_ports,
            Per::BPort => self.b_ports,
            Per::Link => self.links,
            Per::Links(n) => {
                self.a_spread.iter().map(|&(links, switches)| switches * links.div_ceil(n.max(1))).sum()
            }
        }
    }
}

impl MediaChoice {
    /// Typical and maximum power of these quantities that sits at side B.
    pub fn b_side_power(&self, counts: Counts) -> (f64, f64) {
        self.parts.iter().fold((0.0, 0.0), |(t, m), p| {
            let n = counts.of(p.per) as f64;
            (t + p.power_typical.0 * n * p.b_share, m + p.power_max.0 * n * p.b_share)
        })
    }

    /// Net cost in cents and typical power for these quantities (for the search).
    pub fn score(&self, counts: Counts) -> (i128, f64) {
        let mut cost = 0i128;
        let mut typ = 0.0;
        for p in self.parts.iter() {
            let n = counts.of(p.per);
            cost += p.unit_cents * i128::from(n);
            typ += p.power_typical.0 * n as f64;
        }
        (cost, typ)
    }

    /// Pluggable modules for these quantities.
    pub fn modules(&self, counts: Counts) -> u64 {
        self.parts.iter().filter(|p| p.module).map(|p| counts.of(p.per)).sum()
    }

    /// Least net cost (cents) and typical power one link can take, whatever
    /// the count: a port carries at most its lanes' links, a trunk its
    /// share. A lower bound for the search, never a price.
    pub fn per_link_floor(&self, a_lanes: u64, b_lanes: u64) -> (f64, f64) {
        self.parts.iter().fold((0.0, 0.0), |(c, w), p| {
            let share = match p.per {
                Per::APort => 1.0 / a_lanes.max(1) as f64,
                Per::BPort => 1.0 / b_lanes.max(1) as f64,
                Per::Link => 1.0,
                Per::Links(n) => 1.0 / n.max(1) as f64,
            };
            (c + p.unit_cents as f64 * share, w + p.power_typical.0 * share)
        })
    }

    /// Net cost, typical and maximum power for these quantities.
    pub fn totals(&self, counts: Counts) -> (Money, Watts, Watts) {
        let mut cost = rust_decimal::Decimal::ZERO;
        let (mut typ, mut max) = (0.0, 0.0);
        for p in self.parts.iter() {
            let n = counts.of(p.per);
            cost += p.unit_cost.amount() * rust_decimal::Decimal::from(n);
            typ += p.power_typical.0 * n as f64;
            max += p.power_max.0 * n as f64;
        }
        (Money(cost), Watts(typ), Watts(max))
    }
}

/// What the objective ranks first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rank {
    Cost,
    Power,
}

fn shortest_length(options: &[Meters], distance: Meters) -> Option<Meters> {
    options.iter().copied().find(|l| l.0 >= distance.0)
}

fn module_ok(o: &GreyOptic, end: &End, link_speed: Gbps, distance: Meters) -> bool {
    fits(o.form_factor, end.cage)
        && o.reach_m.0 >= distance.0
        && match end.breakout {
            // A breakout-capable module (400G-DR4) also runs whole at its own speed.
            None => o.speed_gbps == link_speed,
            Some(b) => o.speed_gbps == end.port_speed && o.breakout == Some(b),
        }
}

fn part(catalog: &Catalog, item: &dyn CatalogItem, per: Per, length_m: Option<Meters>, ends: f64) -> Part {
    let power = item.power();
    // Where the powered ends sit: a module at its own side; a straight cable
    // half and half; a breakout cable one end at its broken-out side, the
    // lanes at the other.
    let b_share = match per {
        Per::BPort if ends <= 1.0 => 1.0,
        Per::APort if ends <= 1.0 => 0.0,
        Per::APort => (ends - 1.0) / ends,
        Per::BPort => 1.0 / ends,
        Per::Link | Per::Links(_) => 0.5,
    };
    Part {
        b_share,
        module: item.category() == Category::Optics,
        item: item.id().to_string(),
        per,
        length_m,
        unit_cost: price::unit_net(catalog, item),
        unit_cents: crate::price::cents(price::unit_net(catalog, item)),
        power_typical: Watts(power.typical.0 * ends),
        power_max: Watts(power.max.0 * ends),
    }
}

/// Every way the catalog can make this link, best first by `rank` for a
/// reference bundle of links (the least common multiple of the breakouts).
pub fn options(catalog: &Catalog, spec: &LinkSpec, rank: Rank) -> Vec<MediaChoice> {
    let (ka, kb) = (spec.a.lanes(), spec.b.lanes());
    let mut out = Vec::new();

    for c in &catalog.cables {
        let Some(ff) = c.form_factor else { continue };
        let Some(length) = shortest_length(&c.length_options_m, spec.distance) else { continue };
        if c.reach_m.0 < spec.distance.0 {
            continue;
        }
        let straight = matches!(c.kind, CableKind::Dac | CableKind::Aoc);
        let breakout = matches!(c.kind, CableKind::BreakoutDac | CableKind::BreakoutAoc);
        let choice = match (spec.a.breakout, spec.b.breakout) {
            (None, None) if straight && c.breakout.is_none() => {
                (fits(ff, spec.a.cage) && fits(ff, spec.b.cage) && c.speed_gbps == Some(spec.link_speed))
                    .then(|| part(catalog, c, Per::Link, Some(length), 2.0))
            }
            (Some(b), None) if breakout => {
                (fits(ff, spec.a.cage) && c.breakout == Some(b) && c.speed_gbps == Some(spec.a.port_speed))
                    .then(|| part(catalog, c, Per::APort, Some(length), 1.0 + f64::from(b.lanes)))
            }
            (None, Some(b)) if breakout => {
                (fits(ff, spec.b.cage) && c.breakout == Some(b) && c.speed_gbps == Some(spec.b.port_speed))
                    .then(|| part(catalog, c, Per::BPort, Some(length), 1.0 + f64::from(b.lanes)))
            }
            _ => None,
        };
        if let Some(p) = choice {
            out.push(MediaChoice { kind: "cable", parts: vec![p].into() });
        }
    }

    for a in catalog.grey_optics.iter().filter(|o| module_ok(o, &spec.a, spec.link_speed, spec.distance)) {
        for b in catalog.grey_optics.iter().filter(|o| module_ok(o, &spec.b, spec.link_speed, spec.distance))
        {
            if b.fibre != a.fibre {
                continue;
            }
            // Both ends speak one standard: the module's own, or a broken-out lane's.
            let speaks = |o: &GreyOptic, broken: bool| {
                if broken {
                    o.lane_standard.clone()
                } else {
                    Some(o.standard.clone())
                }
            };
            if speaks(a, spec.a.breakout.is_some()) != speaks(b, spec.b.breakout.is_some()) {
                continue;
            }
            let mut parts =
                vec![part(catalog, a, Per::APort, None, 1.0), part(catalog, b, Per::BPort, None, 1.0)];
            let complete = match fibre_path(catalog, spec, a, b) {
                Some(fibre) => {
                    parts.extend(fibre);
                    true
                }
                None => false,
            };
            if complete {
                out.push(MediaChoice { kind: "optics", parts: parts.into() });
            }
        }
    }

    // Rank on a bundle both breakouts divide evenly.
    // Large enough that a shared trunk is costed by its share, not whole.
    let bundle = lcm(ka, kb) * 72;
    let spread = [(bundle, 1)];
    let counts = Counts { a_ports: bundle / ka, b_ports: bundle / kb, links: bundle, a_spread: &spread };
    out.sort_by(|x, y| {
        let (cx, tx, _) = x.totals(counts);
        let (cy, ty, _) = y.totals(counts);
        let by_cost = cx.cmp(&cy);
        let by_power = tx.0.total_cmp(&ty.0);
        let first = match rank {
            Rank::Cost => by_cost.then(by_power),
            Rank::Power => by_power.then(by_cost),
        };
        first.then_with(|| media_key(x).cmp(&media_key(y)))
    });
    out
}

/// Length of the patch cords at each end of a structured (trunked) run:
/// from the port to the patch panel in the same rack.
const PANEL_CORD_M: f64 = 3.0;

/// Fibres one module uses on its connector (parallel optics use 8 of an
/// MPO-12's 12 positions).
fn connector_fibres(c: Connector) -> u64 {
    match c {
        Connector::Lc | Connector::Sn => 2,
        Connector::Cs => 4,
        Connector::Mpo12 => 8,
        Connector::Mpo16 => 16,
        Connector::Integrated => 0,
    }
}

fn cheapest<'c>(
    catalog: &'c Catalog,
    candidates: impl Iterator<Item = (&'c Cable, Meters)>,
) -> Option<(&'c Cable, Meters)> {
    candidates.min_by(|x, y| {
        price::unit_net(catalog, x.0).cmp(&price::unit_net(catalog, y.0)).then(x.0.id.cmp(&y.0.id))
    })
}

fn patch(
    catalog: &Catalog,
    fibre: FibreKind,
    connector: Connector,
    length: Meters,
) -> Option<(&Cable, Meters)> {
    cheapest(
        catalog,
        catalog
            .cables
            .iter()
            .filter(|f| f.kind == CableKind::FibrePatch && f.fibre == Some(fibre) && f.connector == connector)
            .filter(|f| f.reach_m.0 >= length.0)
            .filter_map(|f| shortest_length(&f.length_options_m, length).map(|l| (f, l))),
    )
}

/// The fibre between two modules. Between two plain modules, one patch cord
/// per link when one is long enough. A broken-out module takes one cord on
/// its multi-fibre connector to a breakout cassette at the far end, and a
/// short duplex cord per lane from the cassette to each far module (the
/// cassette itself is not a catalog item yet). Runs longer than any cord go
/// structured: short cords into patch panels at both ends and a share of a
/// trunk across; two broken-out ends always meet in a patch field.
fn fibre_path(catalog: &Catalog, spec: &LinkSpec, a: &GreyOptic, b: &GreyOptic) -> Option<Vec<Part>> {
    let fibre = a.fibre;
    let short = Meters(PANEL_CORD_M.min(spec.distance.0));
    let direct: Vec<(Per, Connector, Meters)> = match (spec.a.breakout.is_some(), spec.b.breakout.is_some()) {
        (false, false) => vec![(Per::Link, a.connector, spec.distance)],
        (true, false) => vec![(Per::APort, a.connector, spec.distance), (Per::Link, b.connector, short)],
        (false, true) => vec![(Per::Link, a.connector, short), (Per::BPort, b.connector, spec.distance)],
        (true, true) => Vec::new(),
    };
    let cords = |ends: Vec<(Per, Connector, Meters)>| -> Option<Vec<Part>> {
        ends.into_iter()
            .map(|(per, conn, len)| {
                patch(catalog, fibre, conn, len).map(|(f, l)| part(catalog, f, per, Some(l), 0.0))
            })
            .collect()
    };
    if !direct.is_empty() {
        if let Some(parts) = cords(direct) {
            return Some(parts);
        }
    }
    let a_per = if spec.a.breakout.is_some() { Per::APort } else { Per::Link };
    let b_per = if spec.b.breakout.is_some() { Per::BPort } else { Per::Link };
    let mut parts = cords(vec![(a_per, a.connector, short), (b_per, b.connector, short)])?;
    let lanes = |e: &End| e.breakout.map_or(1, |x| u64::from(x.lanes));
    let per_link = (connector_fibres(a.connector) / lanes(&spec.a))
        .max(connector_fibres(b.connector) / lanes(&spec.b))
        .max(2);
    let (trunk, length) = cheapest(
        catalog,
        catalog
            .cables
            .iter()
            .filter(|t| {
                t.kind == CableKind::FibreTrunk && t.fibre == Some(fibre) && t.reach_m.0 >= spec.distance.0
            })
            .filter(|t| t.fibres.is_some_and(|n| u64::from(n) >= per_link))
            .filter_map(|t| shortest_length(&t.length_options_m, spec.distance).map(|l| (t, l))),
    )?;
    let links_per_trunk = u64::from(trunk.fibres.unwrap_or(0)) / per_link;
    parts.push(part(catalog, trunk, Per::Links(links_per_trunk), Some(length), 0.0));
    Some(parts)
}

fn lcm(a: u64, b: u64) -> u64 {
    fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    a / gcd(a, b).max(1) * b
}

fn media_key(m: &MediaChoice) -> String {
    m.parts.iter().map(|p| p.item.as_str()).collect::<Vec<_>>().join("/")
}

/// The best way to make this link, or why there is none.
pub fn choose(catalog: &Catalog, spec: &LinkSpec, rank: Rank) -> Result<MediaChoice, String> {
    options(catalog, spec, rank).into_iter().next().ok_or_else(|| {
        let side = |e: &End| match e.breakout {
            Some(b) => format!("{} {} port broken out {}", e.port_speed, e.cage.as_str(), b),
            None => format!("{} {} port", spec.link_speed, e.cage.as_str()),
        };
        format!(
            "no cable or optic pair in the catalog joins a {} to a {} over {} ({})",
            side(&spec.a),
            side(&spec.b),
            spec.distance,
            spec.class.as_str()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cages_are_backward_compatible_within_a_family_only() {
        assert!(fits(FormFactor::Qsfp28, FormFactor::QsfpDd));
        assert!(fits(FormFactor::Sfp28, FormFactor::Sfp28));
        assert!(fits(FormFactor::SfpPlus, FormFactor::Sfp28));
        assert!(!fits(FormFactor::QsfpDd, FormFactor::Qsfp28));
        assert!(!fits(FormFactor::Sfp28, FormFactor::Qsfp28));
        assert!(!fits(FormFactor::Osfp, FormFactor::QsfpDd));
    }
}
