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
//! The search space, every axis chosen independently: the leaf model and
//! leaves per rack (the fewest that hold a rack's server ports, up to
//! [`MAX_LEAVES_PER_RACK`]); the leaf-spine speed and the spine-superspine
//! speed (any speed both ends run, natively or by breakout, faster or slower
//! than the other tier's); uplinks per leaf (from the fewest that meet the
//! target to every free port); spines per pod (every divisor of the uplinks
//! from two, down to one link per spine); the spine and superspine models;
//! pods (from the fewest up); spine uplinks; superspines per plane. Every
//! candidate is costed exactly ([`evaluate`]); a branch is cut only when a
//! lower bound of its objective, non-decreasing along the axis being
//! enumerated, is above the best found (with the tie tolerance), which
//! cannot lose the optimum (`tests/it/search.rs` checks it by brute force).
//!
//! Module map: `leaf` (how leaves take a rack's servers), `score` (one
//! candidate costed, and the objective), `evaluator` (the brute-force
//! tests' entry), `search` (the enumeration and its bounds; `search/three`
//! the three-tier part), `handoff` and `border` (the interconnect's hand-off
//! on the top tier or on border leaves, chosen per candidate),
//! `realise` (the chosen candidate as a full design, and why).

mod alternatives;
mod border;
mod evaluator;
mod handoff;
mod leaf;
mod realise;
mod score;
mod search;

pub use evaluator::{evaluate, Evaluator};
pub use handoff::HandOff;
pub use leaf::server_blocks;
pub use score::{pod_blocks, Choice, Score};

use super::media::{self, Counts, End, LinkClass, LinkSpec, MediaChoice, Rank};
use super::ports::PortUse;
use super::Infeasible;
use crate::model::*;
use crate::money::Money;
use crate::units::{Gbps, Watts};
use serde::Serialize;
use std::cell::RefCell;
/// The search's caches: looked up per candidate, never iterated (no order
/// reaches an output), so a fast hasher with fixed keys.
type Cache<K, V> = RefCell<std::collections::HashMap<K, V, ahash::RandomState>>;

/// An empty cache (fixed seeds: the same on every run).
fn cache<K, V>() -> Cache<K, V> {
    RefCell::new(std::collections::HashMap::with_hasher(ahash::RandomState::with_seeds(1, 2, 3, 4)))
}

/// Most leaves one rack may hold.
pub const MAX_LEAVES_PER_RACK: u64 = 8;

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
    /// The top tier's ports set aside for each hand-off need, in the order
    /// of [`FabricDesign::handoff`] (empty below the top).
    #[serde(skip)]
    pub handoff_uses: Vec<Vec<PortUse>>,
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
    /// Cost of ownership over the scenario's horizon (objective `tco`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tco: Option<Money>,
    /// Why the combination cannot meet the scenario, or why the search
    /// did not need to size it in full (`bounded`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Ruled out by a lower bound above the chosen design's objective:
    /// feasible or not, it cannot win.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub bounded: bool,
    /// The objective's value (cents, or mW for `power`), for sorting.
    #[serde(skip)]
    pub objective: Option<i128>,
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
    /// What the site hands off to the interconnect, per need, and on which
    /// switches (the top tier's, or the border leaves'); empty when the
    /// site has no demand.
    pub handoff: Vec<HandOff>,
    /// The border leaves, when the hand-off is on switches of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub border_leaf: Option<Tier>,
    pub oversubscription: Oversubscription,
    pub targets: Oversubscription,
    pub growth: Growth,
    /// Net price of switches, optics and cables (category discounts only).
    pub cost: Money,
    /// Why this combination: the rule for the tier count, the objective,
    /// the tie rule that decided, the runner-up.
    pub why: String,
    /// Every choice the search made, enough to evaluate the design again
    /// ([`evaluate`]).
    pub choice: Choice,
    /// The design's figures as the search scored them.
    pub score: Score,
    /// Candidates the search costed in full, and whether it stopped at its
    /// budget ([`crate::limits::site_candidates`]) before the bounds closed
    /// every branch (then the design is the best found, not proven optimal).
    pub candidates_costed: u64,
    pub search_exhausted: bool,
    /// Combinations of models sized, and how many could meet the scenario.
    pub alternatives_evaluated: usize,
    pub alternatives_feasible: usize,
    /// The best feasible combinations and a sample of the infeasible ones
    /// with their reasons (at most [`ALTERNATIVES_SHOWN`] of each).
    pub alternatives: Vec<Alternative>,
    /// The site's power budget of one rack, in watts: what a network rack
    /// may hold (`analyse::racks::switches_per_network_rack`, used by the
    /// rack count and by placement alike).
    #[serde(skip)]
    pub rack_budget_w: Watts,
    /// Rack units of one server, when the scenario gives them or 1 U
    /// servers fit (see `Site::server_rack_units`).
    #[serde(skip)]
    pub server_rack_units: Option<u32>,
}

/// How many feasible and infeasible alternatives a design keeps to explain itself.
pub const ALTERNATIVES_SHOWN: usize = 10;

impl FabricDesign {
    /// The tiers from the bottom up, then the border leaves (if any).
    pub fn tier_list(&self) -> Vec<&Tier> {
        let mut v = vec![&self.leaf, &self.spine];
        v.extend(self.superspine.as_ref());
        v.extend(self.border_leaf.as_ref());
        v
    }

    /// The top tier (superspines in three tiers, spines in two).
    pub fn top(&self) -> &Tier {
        self.superspine.as_ref().unwrap_or(&self.spine)
    }
}

/// A link class, its two ends, its speed and its run length (bits of the metres).
type MediaKey = (LinkClass, End, End, Gbps, u64);

/// How the objective weighs a candidate's net cost and typical power.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Weights {
    objective: Objective,
    /// Cents per cent of hardware (support over the horizon added, `tco`).
    per_cent: f64,
    /// Cents per mW of typical power over the horizon at the meter (`tco`).
    per_mw: f64,
}

impl Weights {
    fn of(scenario: &Scenario, catalog: &Catalog, site: &Site) -> Weights {
        let years = f64::from(scenario.horizon_years);
        use rust_decimal::prelude::ToPrimitive;
        let support = catalog.deal.support.pct_per_year.to_f64().unwrap_or(0.0);
        let kwh_cents = scenario
            .energy
            .as_ref()
            .map_or(0.0, |e| e.price_per_kwh.amount().to_f64().unwrap_or(0.0) * 100.0);
        Weights {
            objective: scenario.objective,
            per_cent: 1.0 + support / 100.0 * years,
            // mW × PUE × 8,760 h × years → kWh (÷ 10⁶), × cents per kWh.
            per_mw: site.pue * 8760.0 * years / 1e6 * kwh_cents,
        }
    }

    /// The objective's value: cents (cost, tco) or mW (power); lower is better.
    fn value(&self, cost_cents: i128, power_mw: i128) -> i128 {
        match self.objective {
            Objective::Cost => cost_cents,
            Objective::Power => power_mw,
            Objective::Tco => {
                (cost_cents as f64 * self.per_cent + power_mw as f64 * self.per_mw).round() as i128
            }
        }
    }

    /// A lower bound of the value from lower bounds of cost and power
    /// (`value` never decreases in either).
    fn floor(&self, cost_cents: f64, power_mw: f64) -> i128 {
        let v = match self.objective {
            Objective::Cost => cost_cents,
            Objective::Power => power_mw,
            Objective::Tco => cost_cents * self.per_cent + power_mw * self.per_mw,
        };
        (v - 1.0).floor().max(0.0) as i128
    }
}

/// A top switch (its address in the catalog), the speed of its fabric links,
/// the number of top switches and the way of the hand-off ([`handoff::Via::key`]),
/// which set the links set aside.
type TopKey = (usize, Gbps, u64, u64);

/// A hand-off's net cost (cents), typical power (W), modules and switches,
/// or why it cannot be made.
type HandOffScore = Result<handoff::Figures, String>;

/// What does not change while models are compared.
struct Context<'a> {
    catalog: &'a Catalog,
    site: &'a Site,
    policy: FabricPolicy,
    /// How media choices are ranked: by cost (objectives cost and tco) or power.
    rank: Rank,
    weights: Weights,
    tie_within_pct: f64,
    growth_factor: f64,
    /// What the site hands off to the interconnect, at the top tier.
    handoff: Vec<super::HandOffNeed>,
    /// Per need, the coherent pluggable its ports hold (`fabric-zr`), if any.
    holds: Vec<Option<&'a CoherentOptic>>,
    /// Fabric links a top switch takes beside its hand-off, by switch, speed
    /// and the links set aside.
    top_capacity: Cache<TopKey, u64>,
    /// The hand-off's cost, power, modules and switches by top switch,
    /// count, fabric speed and way.
    handoff_scores: Cache<(usize, u64, Gbps, u64), HandOffScore>,
    /// The models that may be border leaves (the leaf candidates), and
    /// their sizing by model, top switches and speed.
    border_models: Vec<&'a Switch>,
    border_plans: Cache<(usize, u64, Gbps), border::PlanResult<'a>>,
    media: Cache<MediaKey, Result<MediaChoice, String>>,
}

impl<'a> Context<'a> {
    fn new(
        catalog: &'a Catalog,
        scenario: &Scenario,
        site: &'a Site,
        handoff: &[super::HandOffNeed],
    ) -> Context<'a> {
        let mut ctx = Context {
            handoff: handoff.iter().filter(|h| h.links > 0).cloned().collect(),
            holds: Vec::new(),
            top_capacity: cache(),
            handoff_scores: cache(),
            border_models: Vec::new(),
            border_plans: cache(),
            catalog,
            site,
            policy: scenario.policy_for(site),
            rank: if scenario.objective == Objective::Power { Rank::Power } else { Rank::Cost },
            weights: Weights::of(scenario, catalog, site),
            tie_within_pct: scenario.tie_within_pct,
            growth_factor: 1.0 + scenario.growth_headroom_pct / 100.0,
            media: cache(),
        };
        if !ctx.handoff.is_empty() {
            ctx.border_models = ctx.candidates(FabricRole::Leaf);
        }
        ctx.holds = handoff::holds(catalog, &ctx.handoff);
        ctx
    }

    fn media(&self, class: LinkClass, a: End, b: End, speed: Gbps) -> Result<MediaChoice, String> {
        self.media_over(class, a, b, speed, class.distance(&self.site.layout))
    }

    /// [`Context::media`] for a run of `distance` rather than the class's own.
    fn media_over(
        &self,
        class: LinkClass,
        a: End,
        b: End,
        speed: Gbps,
        distance: crate::units::Meters,
    ) -> Result<MediaChoice, String> {
        let key = (class, a, b, speed, distance.0.to_bits());
        if let Some(hit) = self.media.borrow().get(&key) {
            return hit.clone();
        }
        let spec = LinkSpec { class, a, b, link_speed: speed, distance };
        let choice = media::choose(self.catalog, &spec, self.rank);
        self.media.borrow_mut().insert(key, choice.clone());
        choice
    }

    fn candidates(&self, role: FabricRole) -> Vec<&'a Switch> {
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

    /// The highest objective value that can still win: the best so far
    /// plus the tie tolerance.
    fn threshold(&self, best: i128) -> i128 {
        best + (best as f64 * self.tie_within_pct / 100.0).ceil() as i128
    }
}

/// Sizes one site with nothing to hand off (see [`design_site_with`]).
pub fn design_site(catalog: &Catalog, scenario: &Scenario, site: &Site) -> Result<FabricDesign, Infeasible> {
    design_site_with(catalog, scenario, site, &[])
}

/// Sizes one site: every allowed combination of models, speeds and counts
/// (see the module's documentation), the best by the objective, ties broken
/// by the scenario's rules, with the interconnect's `handoff` links set
/// aside and cabled at the top tier.
pub fn design_site_with(
    catalog: &Catalog,
    scenario: &Scenario,
    site: &Site,
    handoff: &[super::HandOffNeed],
) -> Result<FabricDesign, Infeasible> {
    let ctx = Context::new(catalog, scenario, site, handoff);
    let fail = |constraint: &str, detail: String| Infeasible {
        site: site.name.clone(),
        constraint: constraint.to_string(),
        detail,
    };
    if ctx.policy.homing == Homing::Dual && site.nics_per_server < 2 {
        return Err(fail(
            "dual homing",
            format!("servers have {} NIC port; dual homing needs at least 2", site.nics_per_server),
        ));
    }
    for (role, name) in [(FabricRole::Leaf, "leaf"), (FabricRole::Spine, "spine")] {
        if ctx.candidates(role).is_empty() {
            return Err(fail(
                "models",
                format!(
                    "no catalog model may play the {name} role (check allowed_models and excluded_models)"
                ),
            ));
        }
    }
    let budget = crate::limits::site_candidates(scenario.sites.len());
    let found = search::run(&ctx, budget);
    match found.chosen {
        Some(chosen) => {
            let mut d = realise::realise(&ctx, chosen, &found.ways, found.alternatives).map_err(|d| fail("design", d))?;
            d.candidates_costed = found.evaluated;
            d.search_exhausted = found.exhausted;
            if found.exhausted {
                tracing::warn!(site = %site.name, "fabric search stopped at its budget of {budget} candidates");
                d.why.push_str(&format!(
                    "; the search stopped at its budget of {budget} candidates: the best design found, not proven optimal"
                ));
            }
            Ok(d)
        }
        None if found.exhausted => Err(fail(
            "search budget",
            format!(
                "the fabric search stopped at its budget of {budget} candidates before finding a design; for example: {}",
                found.closest
            ),
        )),
        None => {
            let what = match ctx.policy.tiers {
                Tiers::Two => "two-tier fabric",
                _ => "fabric of up to three tiers",
            };
            Err(fail(
                what,
                format!(
                    "no combination of catalog models meets the scenario; for example: {}",
                    found.closest
                ),
            ))
        }
    }
}

fn trim(x: f64) -> String {
    crate::units::trim_float((x * 100.0).round() / 100.0)
}

fn ceil_ratio(numerator: f64, denominator: f64) -> u64 {
    (numerator / denominator - 1e-9).ceil().max(0.0) as u64
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Divisors of `n` from `min` up, ascending.
fn divisors(n: u64, min: u64) -> impl Iterator<Item = u64> {
    (min.max(1)..=n).filter(move |d| n % d == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{self, Source};

    fn example() -> (Catalog, Scenario) {
        let catalog = load::load_catalog(&Source::embedded_catalog()).expect("embedded catalog").value;
        let text = include_str!("../../../scenarios/example.yaml").to_string();
        let scenario =
            load::load_scenario(&Source::new("example.yaml", text), &catalog).expect("example").value;
        (catalog, scenario)
    }

    #[test]
    fn a_search_that_runs_out_of_budget_says_so() {
        let (catalog, scenario) = example();
        let ctx = Context::new(&catalog, &scenario, &scenario.sites[0], &[]);
        let full = search::run(&ctx, crate::limits::MAX_SITE_CANDIDATES);
        assert!(!full.exhausted && full.chosen.is_some());
        let cut = search::run(&ctx, 3);
        assert!(cut.exhausted);
        assert_eq!(cut.evaluated, 3);
    }

    #[test]
    fn the_plan_budget_is_shared_by_sites_within_bounds() {
        use crate::limits::*;
        assert_eq!(site_candidates(1), MAX_SITE_CANDIDATES);
        assert_eq!(site_candidates(20), MAX_PLAN_CANDIDATES / 20);
        assert_eq!(site_candidates(MAX_SITES), MIN_SITE_CANDIDATES);
    }

    #[test]
    fn tco_weighs_support_and_energy_over_the_horizon() {
        let (catalog, mut scenario) = example();
        scenario.objective = Objective::Tco;
        scenario.horizon_years = 5;
        scenario.energy = Some(Energy { price_per_kwh: "0.10".parse().expect("money"), years: 5 });
        let site = &scenario.sites[0];
        let w = Weights::of(&scenario, &catalog, site);
        // Support 10 % a year for 5 years: a cent of hardware costs 1.5 cents.
        assert!((w.per_cent - 1.5).abs() < 1e-12);
        // 1 W (1,000 mW) for 5 years at PUE 1.35: 59.13 kWh at 10 cents.
        assert!((w.value(0, 1000) as f64 - 591.3).abs() <= 1.0);
        assert_eq!(w.value(100, 0), 150);
    }
}
