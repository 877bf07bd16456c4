//! Clos fabric sizing for one site: leaves in every rack, spines, and when
//! the spines run out of ports, pods joined by superspine planes.
//!
//! Counts follow from port counts and the oversubscription targets, never
//! from a bandwidth figure alone (RFC 7938 §3; Al-Fares et al., SIGCOMM 2008):
//! - a leaf with `d` server links of speed `s` and `u` uplinks of speed `U`
//!   meets a target `t` when `d·s ≤ t·u·U`;
//! - each leaf spreads its `u` uplinks evenly over `n` spines (`m = u/n`
//!   links to each), so a spine with `P` links at `U` serves `P/m` leaves;
//! - in three tiers, spine `j` of every pod joins superspine plane `j`, and a
//!   superspine with `Q` links at `U₂` serves `Q/m₂` pods.
//!
//! Link speeds between tiers are choices too: a 400G port broken out 4x100G
//! quadruples a switch's radix, which is how large fabrics stay at three tiers.
//! Every allowed combination of models and speeds is sized; the objective
//! (cost or power) picks one, and the others are kept to explain the choice.

use super::media::{self, Counts, End, LinkClass, LinkSpec, MediaChoice, Rank};
use super::ports::{self, PortUse, Split};
use super::wiring::{self, Block, Kind, Tally};
use super::Infeasible;
use crate::model::*;
use crate::money::Money;
use crate::price::{self, cents};
use crate::units::{Gbps, Watts};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;

/// Most leaves one rack may hold.
const MAX_LEAVES_PER_RACK: u64 = 8;

/// How far above the minimum the search looks for uplink counts that divide
/// evenly over the spines (or superspines). Beyond a few extra links, more
/// uplinks only add optics.
const UPLINK_SEARCH_SPAN: u64 = 4;

/// One tier of switches in a design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tier {
    pub role: FabricRole,
    pub switch_id: String,
    pub model: String,
    /// Switches in the tier (all pods, all planes).
    pub count: u64,
    /// Links toward the tier below (servers for leaves), per switch.
    pub down_links: u64,
    pub down_speed_gbps: Gbps,
    /// Links toward the tier above, per switch (0 at the top tier).
    pub up_links: u64,
    pub up_speed_gbps: Gbps,
    /// Parallel links from one switch of this tier to each switch it joins above.
    pub links_per_peer_up: u64,
    /// Data ports on the front panel, per switch.
    pub ports_total: u64,
    /// Ports in use (a broken-out port counts once), per switch.
    pub ports_used: u64,
    /// Power of one switch, without optics.
    pub power_w: PowerDraw,
    pub rack_units: f64,
    #[serde(skip)]
    pub down_uses: Vec<PortUse>,
    #[serde(skip)]
    pub up_uses: Vec<PortUse>,
}

impl Tier {
    pub fn ports_spare(&self) -> u64 {
        self.ports_total.saturating_sub(self.ports_used)
    }
}

/// Links of one class between one kind of port and another, with the
/// parts that make them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkGroup {
    pub class: LinkClass,
    /// Links in the whole site.
    pub links: u64,
    pub speed_gbps: Gbps,
    /// Breakout on the upper (A) side, e.g. `4x100G`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a_breakout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b_breakout: Option<String>,
    /// Ports (one module each) these links take on the upper side and on
    /// the lower side, by the wiring (see [`super::wiring`]).
    pub a_ports: u64,
    pub b_ports: u64,
    /// The kind of port at each end.
    #[serde(skip)]
    pub a_end: End,
    #[serde(skip)]
    pub b_end: End,
    /// Links of this group on one upper switch → upper switches with that
    /// many (a trunk is never shared between two switches).
    #[serde(skip)]
    pub a_spread: Vec<(u64, u64)>,
    pub media: MediaChoice,
}

impl LinkGroup {
    pub fn counts(&self) -> Counts<'_> {
        Counts { a_ports: self.a_ports, b_ports: self.b_ports, links: self.links, a_spread: &self.a_spread }
    }
}

/// Oversubscription achieved (or targeted) at each tier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Oversubscription {
    /// Server-facing over uplink capacity, per leaf.
    pub leaf: f64,
    /// Leaf-facing over superspine-facing capacity, per spine (3 tiers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spine: Option<f64>,
}

/// Room to grow without a new tier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Growth {
    /// Servers the scenario asks room for: servers × (1 + growth headroom).
    pub target_servers: u64,
    /// Most servers this fabric takes by adding racks (and pods), without a new tier.
    pub max_servers: u64,
    pub headroom_servers: u64,
}

/// One candidate combination of models and its outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    pub leaf: String,
    pub spine: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superspine: Option<String>,
    pub tiers: u8,
    /// Link speeds leaf→spine and spine→superspine of the best variant.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub link_speeds_gbps: Vec<Gbps>,
    pub feasible: bool,
    /// Net price of switches, optics and cables (category discounts applied).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power_typical_w: Option<Watts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub switches: Option<u64>,
    /// Why the combination cannot meet the scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The designed fabric of one site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FabricDesign {
    pub site: String,
    pub tiers: u8,
    pub servers: u64,
    pub server_ports: u64,
    pub server_speed_gbps: Gbps,
    pub homing: Homing,
    pub racks: u64,
    pub servers_per_rack: u64,
    pub leaves_per_rack: u64,
    /// Pods (1 in a two-tier fabric).
    pub pods: u64,
    pub leaves_per_pod: u64,
    /// Spines per pod, which is also the number of superspine planes.
    pub spines_per_pod: u64,
    pub superspines_per_plane: u64,
    pub leaf: Tier,
    pub spine: Tier,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superspine: Option<Tier>,
    pub links: Vec<LinkGroup>,
    pub oversubscription: Oversubscription,
    pub targets: Oversubscription,
    pub growth: Growth,
    /// Net price of switches, optics and cables (category discounts only).
    pub cost: Money,
    /// Why this combination: the rule for the tier count, the objective, the runner-up.
    pub why: String,
    /// Combinations of models sized, and how many could meet the scenario.
    pub alternatives_evaluated: usize,
    pub alternatives_feasible: usize,
    /// The best feasible combinations and a sample of the infeasible ones
    /// with their reasons (at most [`ALTERNATIVES_SHOWN`] of each).
    pub alternatives: Vec<Alternative>,
}

/// How many feasible and infeasible alternatives a design keeps to explain itself.
pub const ALTERNATIVES_SHOWN: usize = 10;

impl FabricDesign {
    /// The tiers from the bottom up.
    pub fn tier_list(&self) -> Vec<&Tier> {
        let mut v = vec![&self.leaf, &self.spine];
        v.extend(self.superspine.as_ref());
        v
    }
}

type MediaKey = (LinkClass, End, End, Gbps);

/// A combination of models: leaf, spine, superspine.
type Combo = (String, String, Option<String>);

/// What does not change while models are compared.
struct Context<'a> {
    catalog: &'a Catalog,
    site: &'a Site,
    policy: FabricPolicy,
    rank: Rank,
    growth_factor: f64,
    media: RefCell<HashMap<MediaKey, Result<MediaChoice, String>>>,
}

impl Context<'_> {
    fn media(&self, class: LinkClass, a: End, b: End, speed: Gbps) -> Result<MediaChoice, String> {
        let key = (class, a, b, speed);
        if let Some(hit) = self.media.borrow().get(&key) {
            return hit.clone();
        }
        let spec = LinkSpec { class, a, b, link_speed: speed, distance: class.distance(&self.site.layout) };
        let choice = media::choose(self.catalog, &spec, self.rank);
        self.media.borrow_mut().insert(key, choice.clone());
        choice
    }

    fn candidates(&self, role: FabricRole) -> Vec<&Switch> {
        let mut v: Vec<&Switch> = self
            .catalog
            .switches
            .iter()
            .filter(|s| s.roles.contains(&role))
            .filter(|s| self.policy.allowed_models.is_empty() || self.policy.allowed_models.contains(&s.id))
            .filter(|s| !self.policy.excluded_models.contains(&s.id))
            .collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    fn score(&self, cost: i128, power: f64) -> (i128, i128) {
        let power_mw = (power * 1000.0).round() as i128;
        match self.rank {
            Rank::Cost => (cost, power_mw),
            Rank::Power => (power_mw, cost),
        }
    }
}

/// The link groups of one class: every link of the blocks, tallied by the
/// pair of port kinds it joins (see [`wiring`]), with the media of each pair.
fn link_groups(
    ctx: &Context<'_>,
    class: LinkClass,
    speed: Gbps,
    a: &[Kind],
    b: &[Kind],
    blocks: &[Block],
) -> Result<Vec<LinkGroup>, String> {
    let tallies = wiring::tally(a, b, blocks)?;
    let mut merged: Vec<(End, End, Tally)> = Vec::new();
    for ((ka, kb), t) in tallies {
        let (ea, eb) = (a[ka].end, b[kb].end);
        match merged.iter_mut().find(|(x, y, _)| *x == ea && *y == eb) {
            Some((_, _, into)) => {
                into.links += t.links;
                into.a_ports += t.a_ports;
                into.b_ports += t.b_ports;
                for (n, k) in t.a_spread {
                    *into.a_spread.entry(n).or_default() += k;
                }
            }
            None => merged.push((ea, eb, t)),
        }
    }
    merged
        .into_iter()
        .filter(|(_, _, t)| t.links > 0)
        .map(|(ea, eb, t)| {
            Ok(LinkGroup {
                class,
                links: t.links,
                speed_gbps: speed,
                a_breakout: ea.breakout.map(|x| x.to_string()),
                b_breakout: eb.breakout.map(|x| x.to_string()),
                a_ports: t.a_ports,
                b_ports: t.b_ports,
                a_end: ea,
                b_end: eb,
                a_spread: t.a_spread.into_iter().collect(),
                media: ctx.media(class, ea, eb, speed)?,
            })
        })
        .collect()
}

fn groups_score(groups: &[LinkGroup]) -> (i128, f64) {
    groups.iter().fold((0, 0.0), |(c, p), g| {
        let (gc, gp) = g.media.score(g.counts());
        (c + gc, p + gp)
    })
}

/// How leaves attach the servers of one rack, at one uplink speed.
#[derive(Debug, Clone)]
struct LeafFit<'a> {
    leaf: &'a Switch,
    up_speed: Gbps,
    leaves_per_rack: u64,
    /// Server links per leaf.
    down: u64,
    split: Split,
    up_min: u64,
    up_max: u64,
    /// Server links of the whole site, with media.
    server_groups: Vec<LinkGroup>,
    /// Maximum power of the server links' media in the fullest rack.
    rack_server_media_max_w: f64,
}

fn ceil_ratio(numerator: f64, denominator: f64) -> u64 {
    (numerator / denominator - 1e-9).ceil().max(0.0) as u64
}

/// Server links per leaf: a rack's NIC ports, NIC by NIC, spread evenly
/// over its leaves (the first leaves take one more when they do not divide),
/// the last rack holding what is left. One block per leaf: the whole site,
/// and the fullest rack.
pub fn server_blocks(site: &Site, leaves_per_rack: u64) -> (Vec<Block>, Vec<Block>) {
    let rack = site.rack_size();
    let nics = u64::from(site.nics_per_server);
    let racks = site.servers.div_ceil(rack);
    let last = site.servers - racks.saturating_sub(1) * rack;
    let shares = |ports: u64, copies: u64| {
        let (q, rem) = (ports / leaves_per_rack, ports % leaves_per_rack);
        [(q + 1, rem * copies), (q, (leaves_per_rack - rem) * copies)]
    };
    let full_racks = if last == rack { racks } else { racks.saturating_sub(1) };
    let mut site_shares = shares(rack * nics, full_racks).to_vec();
    if last != rack {
        site_shares.extend(shares(last * nics, 1));
    }
    let block = |(b, copies): (u64, u64)| Block { a: 1, b, m: 1, copies };
    let site_blocks = site_shares.into_iter().map(block).collect();
    let rack_blocks = shares(rack.min(site.servers) * nics, 1).into_iter().map(block).collect();
    (site_blocks, rack_blocks)
}

fn leaf_fit<'a>(ctx: &Context<'_>, leaf: &'a Switch, up_speed: Gbps) -> Result<LeafFit<'a>, String> {
    let site = ctx.site;
    let s = site.nic_speed_gbps;
    if ports::max_links(leaf, s) == 0 {
        return Err(format!("{} has no port that runs at {} (natively or by breakout)", leaf.id, s));
    }
    let per_rack = site.rack_size() * u64::from(site.nics_per_server);
    let dual = ctx.policy.homing == Homing::Dual;
    let t = ctx.policy.leaf_oversubscription;
    let mut last_err = String::new();
    let mut leaves_per_rack = if dual { 2 } else { 1 };
    while leaves_per_rack <= MAX_LEAVES_PER_RACK {
        let down = per_rack.div_ceil(leaves_per_rack);
        // d·s ≤ t·u·U  ⇒  u ≥ d·s/(t·U); at least two uplinks so that no leaf hangs on one spine.
        let need = ceil_ratio((down * s.0) as f64, t * up_speed.0 as f64).max(2);
        match ports::split(leaf, s, down, up_speed) {
            Some(split) if split.up_links_free >= need => {
                let nic = End { cage: media::nic_form_factor(s), port_speed: s, breakout: None };
                let a = wiring::kinds(leaf, &split.down);
                let b = wiring::nic_kinds(nic);
                let (site_blocks, rack_blocks) = server_blocks(site, leaves_per_rack);
                let server_groups = link_groups(ctx, LinkClass::ServerLeaf, s, &a, &b, &site_blocks)?;
                let rack_groups = link_groups(ctx, LinkClass::ServerLeaf, s, &a, &b, &rack_blocks)?;
                return Ok(LeafFit {
                    leaf,
                    up_speed,
                    leaves_per_rack,
                    down,
                    up_min: need,
                    up_max: split.up_links_free,
                    split,
                    server_groups,
                    rack_server_media_max_w: rack_groups
                        .iter()
                        .map(|g| g.media.totals(g.counts()).2 .0)
                        .sum(),
                });
            }
            Some(split) => {
                last_err = format!(
                    "{}: {} server links per leaf leave {} uplinks of {}, {} needed for {}:1",
                    leaf.id,
                    down,
                    split.up_links_free,
                    up_speed,
                    need,
                    trim(t)
                );
            }
            None => last_err = format!("{} cannot place {} server links of {}", leaf.id, down, s),
        }
        leaves_per_rack += if dual { 2 } else { 1 };
    }
    Err(last_err)
}

fn trim(x: f64) -> String {
    crate::units::trim_float((x * 100.0).round() / 100.0)
}

/// Divisors of `n` from `min` up, ascending.
fn divisors(n: u64, min: u64) -> impl Iterator<Item = u64> {
    (min.max(1)..=n).filter(move |d| n % d == 0)
}

/// The shape of a candidate: every count needed to rebuild it.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    uplinks: u64,
    spines_per_pod: u64,
    pods: u64,
    leaves_per_pod: u64,
    spine_speed_up: Gbps,
    spine_uplinks: u64,
    superspines_per_plane: u64,
    max_servers: u64,
}

#[derive(Debug, Clone)]
struct Scored {
    key: (i128, i128),
    cost_cents: i128,
    power_w: f64,
    switches: u64,
    shape: Shape,
}

/// Racks and leaves at a site, and the leaves and servers of the growth target.
fn counts(ctx: &Context<'_>, fit: &LeafFit<'_>) -> (u64, u64, u64) {
    let r = ctx.site.rack_size();
    let racks = ctx.site.servers.div_ceil(r);
    // servers × (1 + g), rounded up, without floating-point noise (12,000 × 1.1 is 13,200).
    let target_servers = (ctx.site.servers as f64 * ctx.growth_factor - 1e-6).ceil() as u64;
    (racks * fit.leaves_per_rack, target_servers.div_ceil(r) * fit.leaves_per_rack, target_servers)
}

/// The power of one server rack against its budget: servers at their
/// stated draw, leaves and every module in the rack at maximum.
fn check_rack_budget(
    ctx: &Context<'_>,
    fit: &LeafFit<'_>,
    uplink_groups: &[LinkGroup],
    leaves: u64,
) -> Result<(), String> {
    let servers_w = ctx.site.rack_size() as f64 * ctx.site.server_power_w.map_or(0.0, |w| w.0);
    // Leaf-side (B) share of the uplinks' modules and cables, spread evenly over the leaves.
    let uplink_b_w: f64 =
        uplink_groups.iter().map(|g| g.media.b_side_power(g.counts()).1).sum::<f64>() / leaves.max(1) as f64;
    let load = servers_w
        + fit.rack_server_media_max_w
        + fit.leaves_per_rack as f64 * (fit.leaf.power_w.max.0 + uplink_b_w);
    let budget = ctx.site.rack_power_budget_kw.0 * 1000.0;
    if load > budget {
        let fits = match ctx.site.server_power_w {
            Some(w) if w.0 > 0.0 => {
                let n = ((budget - (load - servers_w)) / w.0).floor().max(0.0);
                format!("; at most {n} servers of {} fit beside these leaves", w)
            }
            _ => String::new(),
        };
        return Err(format!(
            "a rack of {} servers and {} × {} draws up to {:.1} kW, {:.1} kW over the {} kW rack budget{fits}",
            ctx.site.rack_size(),
            fit.leaves_per_rack,
            fit.leaf.id,
            load / 1000.0,
            (load - budget) / 1000.0,
            crate::units::trim_float(ctx.site.rack_power_budget_kw.0)
        ));
    }
    Ok(())
}

fn switch_cents(ctx: &Context<'_>, s: &Switch) -> i128 {
    cents(price::unit_net(ctx.catalog, s))
}

/// Pods of leaves under their spines: every pod holds `per_pod` leaves but
/// the last, which holds what is left.
pub fn pod_blocks(leaves: u64, per_pod: u64, spines_per_pod: u64, m: u64) -> Vec<Block> {
    let per_pod = per_pod.max(1);
    let full = leaves / per_pod;
    let rest = leaves % per_pod;
    let mut v = vec![Block { a: spines_per_pod, b: per_pod, m, copies: full }];
    if rest > 0 {
        v.push(Block { a: spines_per_pod, b: rest, m, copies: 1 });
    }
    v
}

/// Leaf-to-spine links: `uplinks` per leaf, over the pods of `blocks`, on
/// spines whose down ports are `spine_split`.
fn leaf_spine_groups(
    ctx: &Context<'_>,
    fit: &LeafFit<'_>,
    spine: &Switch,
    spine_split: &Split,
    blocks: &[Block],
    uplinks: u64,
) -> Result<Vec<LinkGroup>, String> {
    let up_uses = fit
        .split
        .place_up(fit.leaf, fit.up_speed, uplinks)
        .ok_or_else(|| format!("{} cannot place {} uplinks", fit.leaf.id, uplinks))?;
    let a = wiring::kinds(spine, &spine_split.down);
    let b = wiring::kinds(fit.leaf, &up_uses);
    link_groups(ctx, LinkClass::LeafSpine, fit.up_speed, &a, &b, blocks)
}

struct Outcome {
    alternative: Alternative,
    best: Option<Scored>,
}

fn alternative(
    leaf: &Switch,
    spine: &Switch,
    superspine: Option<&Switch>,
    speeds: Vec<Gbps>,
    best: Option<&Scored>,
    reason: String,
) -> Alternative {
    Alternative {
        leaf: leaf.id.clone(),
        spine: spine.id.clone(),
        superspine: superspine.map(|s| s.id.clone()),
        tiers: if superspine.is_some() { 3 } else { 2 },
        link_speeds_gbps: if best.is_some() { speeds } else { Vec::new() },
        feasible: best.is_some(),
        cost: best.map(|b| Money(rust_decimal::Decimal::from_i128_with_scale(b.cost_cents, 2))),
        power_typical_w: best.map(|b| Watts((b.power_w * 10.0).round() / 10.0)),
        switches: best.map(|b| b.switches),
        reason: if best.is_some() { None } else { Some(reason) },
    }
}

/// A switch whose maximum draw exceeds the rack budget fits no rack.
fn over_rack_budget(ctx: &Context<'_>, switches: &[&Switch]) -> Option<String> {
    let budget = ctx.site.rack_power_budget_kw.0 * 1000.0;
    switches.iter().find(|s| s.power_w.max.0 > budget).map(|s| {
        format!(
            "one {} draws up to {:.1} kW, more than the {} kW rack budget",
            s.id,
            s.power_w.max.0 / 1000.0,
            crate::units::trim_float(ctx.site.rack_power_budget_kw.0)
        )
    })
}

fn evaluate_two(ctx: &Context<'_>, fit: &LeafFit<'_>, spine: &Switch) -> Outcome {
    let leaf = fit.leaf;
    if let Some(reason) = over_rack_budget(ctx, &[spine]) {
        return Outcome { alternative: alternative(leaf, spine, None, vec![], None, reason), best: None };
    }
    let u_speed = fit.up_speed;
    let capacity = ports::max_links(spine, u_speed);
    let (n_leaves, n_leaves_target, target_servers) = counts(ctx, fit);
    let mut reason = format!(
        "two tiers: {} leaves (with growth) × at least {} uplinks of {} need more than the {} links one {} spine has",
        n_leaves_target, fit.up_min, u_speed, capacity, spine.id
    );
    if capacity == 0 {
        reason = format!("{} has no port for {} uplinks", spine.id, u_speed);
    }
    let leaf_cents = switch_cents(ctx, leaf);
    let spine_cents = switch_cents(ctx, spine);
    let (server_cents, server_w) = groups_score(&fit.server_groups);
    let mut best: Option<Scored> = None;
    for u in fit.up_min..=fit.up_max.min(fit.up_min + UPLINK_SEARCH_SPAN) {
        for n_spines in divisors(u, 2) {
            let m = u / n_spines;
            if capacity == 0 || n_leaves_target * m > capacity {
                continue;
            }
            let Some(spine_split) = ports::split(spine, u_speed, n_leaves * m, u_speed) else { continue };
            let blocks = [Block { a: n_spines, b: n_leaves, m, copies: 1 }];
            let groups = match leaf_spine_groups(ctx, fit, spine, &spine_split, &blocks, u) {
                Ok(g) => g,
                Err(e) => {
                    reason = e;
                    continue;
                }
            };
            if let Err(e) = check_rack_budget(ctx, fit, &groups, n_leaves) {
                reason = e;
                continue;
            }
            let (media_cents, media_w) = groups_score(&groups);
            let cost = i128::from(n_leaves) * leaf_cents
                + i128::from(n_spines) * spine_cents
                + media_cents
                + server_cents;
            let power = n_leaves as f64 * leaf.power_w.typical.0
                + n_spines as f64 * spine.power_w.typical.0
                + media_w
                + server_w;
            let max_racks = capacity / m / fit.leaves_per_rack;
            let scored = Scored {
                key: ctx.score(cost, power),
                cost_cents: cost,
                power_w: power,
                switches: n_leaves + n_spines,
                shape: Shape {
                    uplinks: u,
                    spines_per_pod: n_spines,
                    pods: 1,
                    leaves_per_pod: n_leaves,
                    max_servers: (max_racks * ctx.site.rack_size()).max(target_servers),
                    ..Shape::default()
                },
            };
            if best.as_ref().is_none_or(|b| scored.key < b.key) {
                best = Some(scored);
            }
        }
    }
    Outcome { alternative: alternative(leaf, spine, None, vec![u_speed], best.as_ref(), reason), best }
}

/// Largest pod (in leaves, whole racks) whose spines, with `m` links to
/// each leaf, keep enough uplinks at `up2` for the spine target.
fn max_pod(ctx: &Context<'_>, fit: &LeafFit<'_>, spine: &Switch, m: u64, up2: Gbps) -> Option<u64> {
    let u_speed = fit.up_speed;
    let t2 = ctx.policy.spine_oversubscription;
    let ok = |leaves: u64| -> bool {
        let links = leaves * m;
        ports::split(spine, u_speed, links, up2).is_some_and(|split| {
            split.up_links_free >= ceil_ratio((links * u_speed.0) as f64, t2 * up2.0 as f64).max(1)
        })
    };
    let step = fit.leaves_per_rack;
    let (mut lo, mut hi) = (0u64, ports::max_links(spine, u_speed) / m / step + 1);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if ok(mid * step) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo > 0).then_some(lo * step)
}

fn evaluate_three(
    ctx: &Context<'_>,
    fit: &LeafFit<'_>,
    spine: &Switch,
    up2: Gbps,
    superspine: &Switch,
) -> Outcome {
    let leaf = fit.leaf;
    if let Some(reason) = over_rack_budget(ctx, &[spine, superspine]) {
        return Outcome {
            alternative: alternative(leaf, spine, Some(superspine), vec![], None, reason),
            best: None,
        };
    }
    let u_speed = fit.up_speed;
    let t2 = ctx.policy.spine_oversubscription;
    let ss_capacity = ports::max_links(superspine, up2);
    let speeds = vec![u_speed, up2];
    let (n_leaves, n_leaves_target, target_servers) = counts(ctx, fit);
    let mut reason = if ports::max_links(spine, u_speed) == 0 {
        format!("{} has no port for {} uplinks", spine.id, u_speed)
    } else if ss_capacity == 0 {
        format!("{} has no port for {} links from {}", superspine.id, up2, spine.id)
    } else {
        format!(
            "{} spines and {} superspines at {}/{} do not form pods",
            spine.id, superspine.id, u_speed, up2
        )
    };
    let leaf_cents = switch_cents(ctx, leaf);
    let spine_cents = switch_cents(ctx, spine);
    let ss_cents = switch_cents(ctx, superspine);
    let (server_cents, server_w) = groups_score(&fit.server_groups);
    let mut best: Option<Scored> = None;
    if ss_capacity == 0 || ports::max_links(spine, u_speed) == 0 {
        return Outcome {
            alternative: alternative(leaf, spine, Some(superspine), speeds, None, reason),
            best,
        };
    }
    let mut pod_cache: HashMap<u64, Option<u64>> = HashMap::new();
    for u in fit.up_min..=fit.up_max.min(fit.up_min + UPLINK_SEARCH_SPAN) {
        for n_spines in divisors(u, 2) {
            let m = u / n_spines;
            let Some(pod_max) = *pod_cache.entry(m).or_insert_with(|| max_pod(ctx, fit, spine, m, up2))
            else {
                reason = format!(
                    "a {} spine cannot keep {}:1 toward {} superspine links even for one rack of {} leaves",
                    spine.id,
                    trim(t2),
                    up2,
                    leaf.id
                );
                continue;
            };
            let pods = n_leaves.div_ceil(pod_max);
            let pods_target = n_leaves_target.div_ceil(pod_max);
            // Even pods of whole racks.
            let per_pod = n_leaves.div_ceil(pods).div_ceil(fit.leaves_per_rack) * fit.leaves_per_rack;
            let down = per_pod * m;
            let Some(spine_split) = ports::split(spine, u_speed, down, up2) else { continue };
            let need2 = ceil_ratio((down * u_speed.0) as f64, t2 * up2.0 as f64).max(1);
            let n_spines_total = pods * n_spines;
            let blocks = pod_blocks(n_leaves, per_pod, n_spines, m);
            let ls_groups = match leaf_spine_groups(ctx, fit, spine, &spine_split, &blocks, u) {
                Ok(g) => g,
                Err(e) => {
                    reason = e;
                    continue;
                }
            };
            if let Err(e) = check_rack_budget(ctx, fit, &ls_groups, n_leaves) {
                reason = e;
                continue;
            }
            let (ls_cents, ls_w) = groups_score(&ls_groups);
            let most_links_per_superspine = ss_capacity / pods_target.max(1);
            if most_links_per_superspine == 0 {
                reason = format!(
                    "{} pods (with growth) of at most {} leaves need more than the {} links of {} at {}",
                    pods_target, pod_max, ss_capacity, superspine.id, up2
                );
                continue;
            }
            for u2 in need2..=spine_split.up_links_free.min(need2 + UPLINK_SEARCH_SPAN) {
                // Fewest superspines per plane whose links to each pod's spine divide u2.
                let Some(n_ss) = divisors(u2, u2.div_ceil(most_links_per_superspine)).next() else {
                    continue;
                };
                let m2 = u2 / n_ss;
                let Some(ss_split) = ports::split(superspine, up2, pods * m2, up2) else { continue };
                let Some(spine_up) = spine_split.place_up(spine, up2, u2) else { continue };
                let n_ss_total = n_spines * n_ss;
                let a = wiring::kinds(superspine, &ss_split.down);
                let b = wiring::kinds(spine, &spine_up);
                let planes = [Block { a: n_ss, b: pods, m: m2, copies: n_spines }];
                let ss_groups = match link_groups(ctx, LinkClass::SpineSuperspine, up2, &a, &b, &planes) {
                    Ok(g) => g,
                    Err(e) => {
                        reason = e;
                        continue;
                    }
                };
                let (ss_media_cents, ss_media_w) = groups_score(&ss_groups);
                let cost = i128::from(n_leaves) * leaf_cents
                    + i128::from(n_spines_total) * spine_cents
                    + i128::from(n_ss_total) * ss_cents
                    + server_cents
                    + ls_cents
                    + ss_media_cents;
                let power = n_leaves as f64 * leaf.power_w.typical.0
                    + n_spines_total as f64 * spine.power_w.typical.0
                    + n_ss_total as f64 * superspine.power_w.typical.0
                    + server_w
                    + ls_w
                    + ss_media_w;
                let max_pods = ss_capacity / m2;
                let max_servers = max_pods * (pod_max / fit.leaves_per_rack) * ctx.site.rack_size();
                let scored = Scored {
                    key: ctx.score(cost, power),
                    cost_cents: cost,
                    power_w: power,
                    switches: n_leaves + n_spines_total + n_ss_total,
                    shape: Shape {
                        uplinks: u,
                        spines_per_pod: n_spines,
                        pods,
                        leaves_per_pod: per_pod,
                        spine_speed_up: up2,
                        spine_uplinks: u2,
                        superspines_per_plane: n_ss,
                        max_servers: max_servers.max(target_servers),
                    },
                };
                if best.as_ref().is_none_or(|b| scored.key < b.key) {
                    best = Some(scored);
                }
            }
        }
    }
    Outcome { alternative: alternative(leaf, spine, Some(superspine), speeds, best.as_ref(), reason), best }
}

/// The winning candidate so far, with what is needed to rebuild it.
struct Best<'a> {
    scored: Scored,
    fit: LeafFit<'a>,
    spine: &'a Switch,
    superspine: Option<&'a Switch>,
}

fn keep<'a>(
    slot: &mut Option<Best<'a>>,
    outcome: Option<Scored>,
    fit: &LeafFit<'a>,
    spine: &'a Switch,
    superspine: Option<&'a Switch>,
) {
    if let Some(scored) = outcome {
        if slot.as_ref().is_none_or(|b| scored.key < b.scored.key) {
            *slot = Some(Best { scored, fit: fit.clone(), spine, superspine });
        }
    }
}

/// Sizes one site: every allowed combination of models and link speeds, the
/// best by the objective.
pub fn design_site(catalog: &Catalog, scenario: &Scenario, site: &Site) -> Result<FabricDesign, Infeasible> {
    let policy = scenario.policy_for(site);
    let rank = match scenario.objective {
        Objective::Cost => Rank::Cost,
        Objective::Power => Rank::Power,
    };
    let ctx = Context {
        catalog,
        site,
        policy: policy.clone(),
        rank,
        growth_factor: 1.0 + scenario.growth_headroom_pct / 100.0,
        media: RefCell::default(),
    };
    let fail = |constraint: &str, detail: String| Infeasible {
        site: site.name.clone(),
        constraint: constraint.to_string(),
        detail,
    };
    if policy.homing == Homing::Dual && site.nics_per_server < 2 {
        return Err(fail(
            "dual homing",
            format!("servers have {} NIC port; dual homing needs at least 2", site.nics_per_server),
        ));
    }
    let leaves = ctx.candidates(FabricRole::Leaf);
    let spines = ctx.candidates(FabricRole::Spine);
    let superspines = ctx.candidates(FabricRole::Superspine);
    for (role, list) in [("leaf", &leaves), ("spine", &spines)] {
        if list.is_empty() {
            return Err(fail(
                "models",
                format!(
                    "no catalog model may play the {role} role (check allowed_models and excluded_models)"
                ),
            ));
        }
    }

    let s = site.nic_speed_gbps;
    let mut fits: Vec<LeafFit<'_>> = Vec::new();
    let mut alternatives: Vec<Alternative> = Vec::new();
    for leaf in &leaves {
        let mut reasons = Vec::new();
        let before = fits.len();
        for up in ports::link_speeds(leaf).into_iter().filter(|u| *u >= s) {
            match leaf_fit(&ctx, leaf, up) {
                Ok(f) => fits.push(f),
                Err(e) => reasons.push(e),
            }
        }
        if fits.len() == before {
            alternatives.push(Alternative {
                leaf: leaf.id.clone(),
                spine: "-".into(),
                superspine: None,
                tiers: 0,
                link_speeds_gbps: Vec::new(),
                feasible: false,
                cost: None,
                power_typical_w: None,
                switches: None,
                reason: Some(
                    reasons
                        .pop()
                        .unwrap_or_else(|| format!("{} has no port as fast as the servers' {}", leaf.id, s)),
                ),
            });
        }
    }

    // Best variant (over link speeds) of each combination of models.
    let mut by_combo: HashMap<Combo, (Alternative, Option<(i128, i128)>)> = HashMap::new();
    let mut record = |alt: Alternative, key: Option<(i128, i128)>| {
        let id = (alt.leaf.clone(), alt.spine.clone(), alt.superspine.clone());
        match by_combo.get(&id) {
            Some((_, Some(old))) if key.is_none_or(|k| k >= *old) => {}
            // Of two failures, keep the one that says more about the scenario.
            Some((old, None)) if key.is_none() && reason_rank(&alt) >= reason_rank(old) => {}
            _ => {
                by_combo.insert(id, (alt, key));
            }
        }
    };

    let mut best_two: Option<Best<'_>> = None;
    if policy.tiers != Tiers::Three {
        for fit in &fits {
            for spine in &spines {
                let o = evaluate_two(&ctx, fit, spine);
                record(o.alternative, o.best.as_ref().map(|b| b.key));
                keep(&mut best_two, o.best, fit, spine, None);
            }
        }
    }
    // Three tiers only when two cannot do it (fewer switches and hops otherwise).
    let mut best_three: Option<Best<'_>> = None;
    if policy.tiers == Tiers::Three || (policy.tiers == Tiers::Auto && best_two.is_none()) {
        for fit in &fits {
            for spine in spines.iter().filter(|sp| ports::max_links(sp, fit.up_speed) > 0) {
                for up2 in ports::link_speeds(spine).into_iter().filter(|v| *v >= fit.up_speed) {
                    for ss in &superspines {
                        let o = evaluate_three(&ctx, fit, spine, up2, ss);
                        record(o.alternative, o.best.as_ref().map(|b| b.key));
                        keep(&mut best_three, o.best, fit, spine, Some(ss));
                    }
                }
            }
        }
    }
    alternatives.extend(by_combo.into_values().map(|(a, _)| a));
    sort_alternatives(&mut alternatives, rank);

    let chosen = match best_two.or(best_three) {
        Some(b) => b,
        None => {
            let tiers_tried = if policy.tiers == Tiers::Two { 2 } else { 3 };
            let closest = alternatives
                .iter()
                .filter(|a| a.tiers == tiers_tried)
                .min_by_key(|a| reason_rank(a))
                .or_else(|| alternatives.iter().min_by_key(|a| reason_rank(a)))
                .and_then(|a| a.reason.clone())
                .unwrap_or_else(|| "no combination of models was evaluated".into());
            let what = match policy.tiers {
                Tiers::Two => "two-tier fabric",
                _ => "fabric of up to three tiers",
            };
            return Err(fail(
                what,
                format!("no combination of catalog models meets the scenario; for example: {closest}"),
            ));
        }
    };
    realise(&ctx, chosen, alternatives).map_err(|d| fail("design", d))
}

/// How telling a failure is: running out of ports or power says more about
/// the scenario than a model that simply lacks a port speed.
fn reason_rank(a: &Alternative) -> u8 {
    let r = a.reason.as_deref().unwrap_or("");
    if r.contains("need more than") || r.contains("pods (with growth)") {
        0
    } else if r.contains("rack budget") {
        1
    } else if r.contains("cannot keep") {
        2
    } else if r.contains("no cable or optic") {
        3
    } else {
        4
    }
}

fn sort_alternatives(alternatives: &mut [Alternative], rank: Rank) {
    let key = |x: &Alternative| {
        let cost = x.cost.map_or(i128::MAX, cents);
        let power = x.power_typical_w.map_or(i128::MAX, |w| (w.0 * 1000.0) as i128);
        let primary = match rank {
            Rank::Cost => (cost, power),
            Rank::Power => (power, cost),
        };
        (!x.feasible, primary, x.tiers, x.leaf.clone(), x.spine.clone(), x.superspine.clone())
    };
    alternatives.sort_by_cached_key(key);
}

/// Turns the winning shape into a full design with tiers, links and totals.
fn realise(
    ctx: &Context<'_>,
    chosen: Best<'_>,
    alternatives: Vec<Alternative>,
) -> Result<FabricDesign, String> {
    let Best { scored, fit, spine, superspine } = chosen;
    let shape = scored.shape;
    let site = ctx.site;
    let leaf = fit.leaf;
    let s = site.nic_speed_gbps;
    let u_speed = fit.up_speed;
    let (n_leaves, _, target_servers) = counts(ctx, &fit);
    let racks = site.servers.div_ceil(site.rack_size());
    let server_ports = site.servers * u64::from(site.nics_per_server);
    let tiers: u8 = if superspine.is_some() { 3 } else { 2 };
    let n_spines = shape.pods * shape.spines_per_pod;
    let m = shape.uplinks / shape.spines_per_pod;
    let spine_down = shape.leaves_per_pod * m;
    let up2 = shape.spine_speed_up;
    let spine_split = ports::split(spine, u_speed, spine_down, if tiers == 3 { up2 } else { u_speed })
        .ok_or("the spine's ports no longer fit")?;
    let leaf_up =
        fit.split.place_up(leaf, u_speed, shape.uplinks).ok_or("the leaf's uplinks no longer fit")?;
    let data_ports =
        |sw: &Switch| -> u64 { sw.ports.iter().filter(|g| !g.management).map(|g| u64::from(g.count)).sum() };
    let used = |uses: &[&[PortUse]]| -> u64 { uses.iter().flat_map(|u| u.iter()).map(|u| u.ports).sum() };

    let leaf_tier = Tier {
        role: FabricRole::Leaf,
        switch_id: leaf.id.clone(),
        model: leaf.model.clone(),
        count: n_leaves,
        down_links: fit.down,
        down_speed_gbps: s,
        up_links: shape.uplinks,
        up_speed_gbps: u_speed,
        links_per_peer_up: m,
        ports_total: data_ports(leaf),
        ports_used: used(&[&fit.split.down, &leaf_up]),
        power_w: leaf.power_w,
        rack_units: leaf.rack_units,
        down_uses: fit.split.down.clone(),
        up_uses: leaf_up,
    };

    let mut links: Vec<LinkGroup> = fit.server_groups.clone();
    let blocks = if tiers == 3 {
        pod_blocks(n_leaves, shape.leaves_per_pod, shape.spines_per_pod, m)
    } else {
        vec![Block { a: n_spines, b: n_leaves, m, copies: 1 }]
    };
    links.extend(leaf_spine_groups(ctx, &fit, spine, &spine_split, &blocks, shape.uplinks)?);

    let mut spine_tier = Tier {
        role: FabricRole::Spine,
        switch_id: spine.id.clone(),
        model: spine.model.clone(),
        count: n_spines,
        down_links: spine_down,
        down_speed_gbps: u_speed,
        up_links: 0,
        up_speed_gbps: Gbps(0),
        links_per_peer_up: 0,
        ports_total: data_ports(spine),
        ports_used: used(&[&spine_split.down]),
        power_w: spine.power_w,
        rack_units: spine.rack_units,
        down_uses: spine_split.down.clone(),
        up_uses: Vec::new(),
    };

    let mut superspine_tier = None;
    let mut spine_os = None;
    if let Some(ss) = superspine {
        let n_ss = shape.spines_per_pod * shape.superspines_per_plane;
        let m2 = shape.spine_uplinks / shape.superspines_per_plane;
        let ss_split =
            ports::split(ss, up2, shape.pods * m2, up2).ok_or("the superspine's ports no longer fit")?;
        let spine_up = spine_split
            .place_up(spine, up2, shape.spine_uplinks)
            .ok_or("the spine's uplinks no longer fit")?;
        let a = wiring::kinds(ss, &ss_split.down);
        let b = wiring::kinds(spine, &spine_up);
        let planes =
            [Block { a: shape.superspines_per_plane, b: shape.pods, m: m2, copies: shape.spines_per_pod }];
        links.extend(link_groups(ctx, LinkClass::SpineSuperspine, up2, &a, &b, &planes)?);
        spine_tier.up_links = shape.spine_uplinks;
        spine_tier.up_speed_gbps = up2;
        spine_tier.links_per_peer_up = m2;
        spine_tier.ports_used = used(&[&spine_split.down, &spine_up]);
        spine_tier.up_uses = spine_up;
        superspine_tier = Some(Tier {
            role: FabricRole::Superspine,
            switch_id: ss.id.clone(),
            model: ss.model.clone(),
            count: n_ss,
            down_links: shape.pods * m2,
            down_speed_gbps: up2,
            up_links: 0,
            up_speed_gbps: Gbps(0),
            links_per_peer_up: 0,
            ports_total: data_ports(ss),
            ports_used: used(&[&ss_split.down]),
            power_w: ss.power_w,
            rack_units: ss.rack_units,
            down_uses: ss_split.down.clone(),
            up_uses: Vec::new(),
        });
        spine_os = Some(round2((spine_down * u_speed.0) as f64 / (shape.spine_uplinks * up2.0) as f64));
    }

    let leaf_os = round2((fit.down * s.0) as f64 / (shape.uplinks * u_speed.0) as f64);
    let mut cost = rust_decimal::Decimal::ZERO;
    for t in [&leaf_tier, &spine_tier].into_iter().chain(superspine_tier.as_ref()) {
        let sw = ctx.catalog.switch(&t.switch_id).ok_or("a chosen switch is not in the catalog")?;
        cost += price::unit_net(ctx.catalog, sw).amount() * rust_decimal::Decimal::from(t.count);
    }
    for l in &links {
        cost += l.media.totals(l.counts()).0.amount();
    }

    let why = explain(
        ctx,
        tiers,
        &leaf_tier,
        &spine_tier,
        superspine_tier.as_ref(),
        &alternatives,
        cost,
        scored.power_w,
    );
    let alternatives_evaluated = alternatives.len();
    let alternatives_feasible = alternatives.iter().filter(|a| a.feasible).count();
    let mut shown: Vec<Alternative> =
        alternatives.iter().filter(|a| a.feasible).take(ALTERNATIVES_SHOWN).cloned().collect();
    shown.extend(alternatives.iter().filter(|a| !a.feasible).take(ALTERNATIVES_SHOWN).cloned());
    Ok(FabricDesign {
        site: site.name.clone(),
        tiers,
        servers: site.servers,
        server_ports,
        server_speed_gbps: s,
        homing: ctx.policy.homing,
        racks,
        servers_per_rack: site.rack_size(),
        leaves_per_rack: fit.leaves_per_rack,
        pods: shape.pods,
        leaves_per_pod: shape.leaves_per_pod,
        spines_per_pod: shape.spines_per_pod,
        superspines_per_plane: shape.superspines_per_plane,
        leaf: leaf_tier,
        spine: spine_tier,
        superspine: superspine_tier,
        links,
        oversubscription: Oversubscription { leaf: leaf_os, spine: spine_os },
        targets: Oversubscription {
            leaf: ctx.policy.leaf_oversubscription,
            spine: (tiers == 3).then_some(ctx.policy.spine_oversubscription),
        },
        growth: Growth {
            target_servers,
            max_servers: shape.max_servers,
            headroom_servers: shape.max_servers.saturating_sub(site.servers),
        },
        cost: Money(cost.round_dp(2)),
        why,
        alternatives_evaluated,
        alternatives_feasible,
        alternatives: shown,
    })
}

#[allow(clippy::too_many_arguments)]
fn explain(
    ctx: &Context<'_>,
    tiers: u8,
    leaf: &Tier,
    spine: &Tier,
    superspine: Option<&Tier>,
    alternatives: &[Alternative],
    cost: rust_decimal::Decimal,
    power_w: f64,
) -> String {
    let objective = match ctx.rank {
        Rank::Cost => "lowest net cost",
        Rank::Power => "lowest typical power",
    };
    let rule = match (tiers, ctx.policy.tiers) {
        (2, Tiers::Two) => "two tiers, as the scenario asks",
        (3, Tiers::Three) => "three tiers, as the scenario asks",
        (2, _) => "two tiers, because one spine has a port for every leaf (growth included)",
        _ => "three tiers, because no spine has ports for every leaf",
    };
    let combo = match superspine {
        Some(ss) => {
            format!("{} leaves, {} spines and {} superspines", leaf.switch_id, spine.switch_id, ss.switch_id)
        }
        None => format!("{} leaves and {} spines", leaf.switch_id, spine.switch_id),
    };
    let feasible = alternatives.iter().filter(|a| a.feasible && a.tiers == tiers).count();
    let mut why =
        format!("{rule}; {combo} have the {objective} of {feasible} feasible {tiers}-tier combinations");
    let is_chosen = |a: &Alternative| {
        a.leaf == leaf.switch_id
            && a.spine == spine.switch_id
            && a.superspine == superspine.map(|s| s.switch_id.clone())
    };
    if let Some(r) = alternatives.iter().find(|a| a.feasible && !is_chosen(a)) {
        let name = match &r.superspine {
            Some(ss) => format!("{}/{}/{}", r.leaf, r.spine, ss),
            None => format!("{}/{}", r.leaf, r.spine),
        };
        let extra_cost = r.cost.map(|c| Money((c.amount() - cost).round_dp(2)));
        let delta = match (ctx.rank, extra_cost, r.power_typical_w) {
            (Rank::Power, _, Some(p)) if p.0 - power_w >= 0.5 => format!("draws {:.0} W more", p.0 - power_w),
            (_, Some(c), _) if c.amount() > rust_decimal::Decimal::ZERO => format!("costs {c} more"),
            (Rank::Power, Some(c), _) => format!("draws the same power and costs {c} more"),
            _ => "ties".to_string(),
        };
        why.push_str(&format!("; the runner-up, {name}, {delta}"));
    }
    why
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
