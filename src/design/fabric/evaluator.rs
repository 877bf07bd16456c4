//! The brute-force tests' entry: fully specified designs scored through
//! the search's own code ([`super::score`]), with leaf fits and lower
//! parts remembered between calls.

use super::handoff::Via;
use super::leaf::{self, LeafFit};
use super::score::{lower_part, per_pod, score_above, Choice, Lower, Score, Shape};
use super::Context;
use crate::model::*;
use crate::units::Gbps;

/// Scores fully specified designs of one site under the scenario's rules:
/// the brute-force tests enumerate choices through this, and the search
/// scores its candidates with the same code. Leaf fits and media are
/// remembered between calls.
pub struct Evaluator<'a> {
    ctx: Context<'a>,
    fits: std::cell::RefCell<FitCache<'a>>,
    lowers: std::cell::RefCell<LowerCache>,
}

/// Lower parts by leaf fit, spine, uplinks, spines per pod, pods, pod size,
/// spine uplink speed and three tiers.
type LowerCache =
    std::collections::HashMap<(String, Gbps, u64, String, [u64; 6], bool), Result<Lower, String>>;

type FitCache<'a> = std::collections::HashMap<(String, Gbps, u64), Result<std::rc::Rc<LeafFit<'a>>, String>>;

impl<'a> Evaluator<'a> {
    pub fn new(catalog: &'a Catalog, scenario: &Scenario, site: &'a Site) -> Evaluator<'a> {
        Evaluator::with_handoff(catalog, scenario, site, &[])
    }

    /// An evaluator for a site that hands `handoff` off to the interconnect.
    pub fn with_handoff(
        catalog: &'a Catalog,
        scenario: &Scenario,
        site: &'a Site,
        handoff: &[crate::design::HandOffNeed],
    ) -> Evaluator<'a> {
        Evaluator {
            ctx: Context::new(catalog, scenario, site, handoff),
            fits: Default::default(),
            lowers: Default::default(),
        }
    }

    fn fit(
        &self,
        leaf: &'a Switch,
        up: Gbps,
        leaves_per_rack: u64,
    ) -> Result<std::rc::Rc<LeafFit<'a>>, String> {
        self.fits
            .borrow_mut()
            .entry((leaf.id.clone(), up, leaves_per_rack))
            .or_insert_with(|| leaf::leaf_fit(&self.ctx, leaf, up, leaves_per_rack).map(std::rc::Rc::new))
            .clone()
    }

    /// Uplinks per leaf the rules allow for this leaf model, uplink speed
    /// and leaves per rack (the fewest that meet the target to every free
    /// port), or why the leaves cannot take the rack's servers at all.
    pub fn uplink_range(&self, leaf: &str, up: Gbps, leaves_per_rack: u64) -> Result<(u64, u64), String> {
        let sw = self.ctx.catalog.switch(leaf).ok_or_else(|| format!("no switch {leaf}"))?;
        let fit = self.fit(sw, up, leaves_per_rack)?;
        Ok((fit.up_min, fit.up_max))
    }

    /// Leaves at the site with this many per rack.
    pub fn leaves(&self, leaves_per_rack: u64) -> u64 {
        self.ctx.site.servers.div_ceil(self.ctx.site.rack_size()) * leaves_per_rack
    }

    /// The design's score, or the rule it breaks.
    pub fn score(&self, choice: &Choice) -> Result<Score, String> {
        let ctx = &self.ctx;
        let find = |id: &str, role: FabricRole| {
            ctx.candidates(role)
                .into_iter()
                .find(|s| s.id == id)
                .ok_or_else(|| format!("{id} may not be a {}", role.as_str()))
        };
        let leaf_sw = find(&choice.leaf, FabricRole::Leaf)?;
        let spine = find(&choice.spine, FabricRole::Spine)?;
        let superspine = match &choice.superspine {
            Some(id) => Some(find(id, FabricRole::Superspine)?),
            None => None,
        };
        let tiers_ok = match ctx.policy.tiers {
            Tiers::Two => superspine.is_none(),
            Tiers::Three => superspine.is_some(),
            Tiers::Auto => true,
        };
        if !tiers_ok {
            return Err("the scenario fixes the number of tiers".into());
        }
        if (ctx.policy.homing == Homing::Dual && choice.leaves_per_rack % 2 != 0)
            || choice.leaves_per_rack == 0
            || choice.leaves_per_rack > super::MAX_LEAVES_PER_RACK
        {
            return Err(format!("{} leaves per rack break the homing rule", choice.leaves_per_rack));
        }
        let fit = self.fit(leaf_sw, choice.leaf_up_speed_gbps, choice.leaves_per_rack)?;
        for s in std::iter::once(spine).chain(superspine) {
            if let Some(reason) = leaf::over_rack_budget(ctx, &[s]) {
                return Err(reason);
            }
        }
        let three = superspine.is_some();
        let via = match &choice.border_leaf {
            None => Via::Top,
            Some(id) if ctx.handoff.is_empty() => return Err(format!("{id}: the site hands nothing off")),
            Some(id) => Via::Border(
                ctx.border_models
                    .iter()
                    .position(|s| s.id == *id)
                    .ok_or_else(|| format!("{id} may not be a border leaf"))?,
            ),
        };
        let pods = if three { choice.pods.max(1) } else { 1 };
        let shape = Shape {
            uplinks: choice.uplinks_per_leaf,
            spines_per_pod: choice.spines_per_pod,
            pods,
            leaves_per_pod: if three { per_pod(fit.leaves, pods, fit.leaves_per_rack) } else { fit.leaves },
            spine_speed_up: choice.spine_up_speed_gbps.filter(|_| three).unwrap_or(Gbps(0)),
            spine_uplinks: if three { choice.spine_uplinks } else { 0 },
            superspines_per_plane: if three { choice.superspines_per_plane } else { 0 },
            via,
        };
        let key = (
            fit.leaf.id.clone(),
            fit.up_speed,
            fit.leaves_per_rack,
            spine.id.clone(),
            [
                shape.uplinks,
                shape.spines_per_pod,
                shape.pods,
                shape.leaves_per_pod,
                shape.spine_speed_up.0,
                if three { 0 } else { via.key() },
            ],
            three,
        );
        let lower = self
            .lowers
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| lower_part(ctx, &fit, spine, &shape, three))
            .clone()?;
        score_above(ctx, &fit, spine, superspine, shape, &lower).map(|s| s.score)
    }
}

/// Scores one fully specified design (see [`Evaluator`]).
pub fn evaluate(
    catalog: &Catalog,
    scenario: &Scenario,
    site: &Site,
    choice: &Choice,
) -> Result<Score, String> {
    Evaluator::new(catalog, scenario, site).score(choice)
}
