//! The chosen mix: the option per demand that makes the whole network best
//! by the objective, once line systems, ROADMs, shelves and routers are
//! shared. Each demand's own best (designed alone) is where the search
//! starts; sharing can make another option cheaper at the margin (a route
//! already lit, a router already there).
//!
//! Exact when the mixes are few enough to assemble every one; otherwise a
//! local search (one demand changed at a time, kept when the network gets
//! better, until no single change helps), which is not proven optimal and
//! says so; beyond [`MAX_SEARCH_DEMANDS`] each demand keeps its own best.

use super::network::{assemble, Assembly};
use super::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Mixes assembled one by one for an exact answer.
pub const MAX_EXACT_MIXES: u64 = 64;
/// Demands up to which the local search and the marginal costs run (each
/// step assembles the network once per demand and option).
pub const MAX_SEARCH_DEMANDS: usize = 64;
/// Passes of the local search over every demand.
const MAX_PASSES: usize = 8;

/// How the chosen mix was found (`interconnect_network.mix_search`).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct MixSearch {
    /// `exact`, `local` or `per-demand`.
    pub method: &'static str,
    /// Networks assembled to find it.
    pub mixes_assembled: u64,
    pub note: String,
}

/// A network's standing and capex per mix, each mix assembled once (the
/// search and the marginal costs ask for the same mixes again).
pub(super) struct Mixes<'c, 'a> {
    ctx: &'c Ctx<'a>,
    demands: &'c [DemandDesign],
    order: &'c [usize],
    seen: BTreeMap<Vec<Option<OptionKind>>, Assessed>,
}

/// Demands left without spectrum, then the objective's figure.
type Rank = (usize, Decimal);

/// A mix's rank, capex and the demands it leaves without spectrum.
type Assessed = (Rank, Decimal, Vec<usize>);

impl<'c, 'a> Mixes<'c, 'a> {
    pub(super) fn new(ctx: &'c Ctx<'a>, demands: &'c [DemandDesign], order: &'c [usize]) -> Self {
        Mixes { ctx, demands, order, seen: BTreeMap::new() }
    }

    /// The rank and capex of the network of `choice`.
    fn eval(&mut self, choice: &[Option<OptionKind>]) -> &Assessed {
        if !self.seen.contains_key(choice) {
            let a = assemble(self.ctx, self.demands, choice, self.order, "mix");
            let blocked = a.blocked.iter().map(|b| b.0).collect();
            self.seen.insert(choice.to_vec(), (rank(self.ctx, &a), a.design.capex.amount(), blocked));
        }
        &self.seen[choice]
    }
}

/// A network's standing: demands left without spectrum first, then the objective.
fn rank(ctx: &Ctx<'_>, a: &Assembly) -> Rank {
    let d = &a.design;
    let value = match ctx.scenario.objective {
        Objective::Cost => d.capex.amount(),
        Objective::Power => Decimal::try_from(d.power_typical_w.0).unwrap_or_default(),
        Objective::Tco => {
            d.capex.amount() + d.support.amount() + d.energy.map_or(Decimal::ZERO, |e| e.amount())
        }
    };
    (a.blocked.len(), value)
}

/// The feasible options of each demand.
fn choices(demands: &[DemandDesign]) -> Vec<Vec<OptionKind>> {
    demands.iter().map(|d| d.options.iter().filter(|o| o.feasible).map(|o| o.kind).collect()).collect()
}

/// The best mix from `start` (each demand's own choice, after blocking):
/// the choice and how it was found.
pub(super) fn best_mix(
    mixes_seen: &mut Mixes<'_, '_>,
    start: &[Option<OptionKind>],
) -> (Vec<Option<OptionKind>>, MixSearch) {
    let demands = mixes_seen.demands;
    let options = choices(demands);
    // Demands with no option, or a fixed one (refused after blocking), stay as they are.
    let free: Vec<usize> =
        (0..demands.len()).filter(|&i| start[i].is_some() && options[i].len() > 1).collect();
    if free.is_empty() {
        let note = "every demand has one feasible option".to_string();
        return (start.to_vec(), MixSearch { method: "exact", mixes_assembled: 0, note });
    }
    let mixes = free.iter().try_fold(1u64, |n, &i| n.checked_mul(options[i].len() as u64));
    let mut count = 0u64;
    let mut eval = |c: &[Option<OptionKind>]| {
        count += 1;
        mixes_seen.eval(c).0
    };
    if let Some(n) = mixes.filter(|n| *n <= MAX_EXACT_MIXES) {
        let mut best = (eval(start), start.to_vec());
        for k in 0..n {
            let mut c = start.to_vec();
            let mut rest = k;
            for &i in &free {
                let len = options[i].len() as u64;
                c[i] = Some(options[i][(rest % len) as usize]);
                rest /= len;
            }
            if c == start {
                continue;
            }
            let r = eval(&c);
            if r < best.0 {
                best = (r, c);
            }
        }
        let note =
            format!("every one of the {n} mixes of the demands' feasible options assembled as a network");
        return (best.1, MixSearch { method: "exact", mixes_assembled: count, note });
    }
    if demands.len() > MAX_SEARCH_DEMANDS {
        let note = format!(
            "{} demands, more than the {MAX_SEARCH_DEMANDS} the search runs for: each demand keeps the option that is best for it alone",
            demands.len()
        );
        return (start.to_vec(), MixSearch { method: "per-demand", mixes_assembled: 0, note });
    }
    let mut c = start.to_vec();
    let mut best = eval(&c);
    let mut passes = 0;
    loop {
        passes += 1;
        let mut improved = false;
        for &i in &free {
            for &k in &options[i] {
                if c[i] == Some(k) {
                    continue;
                }
                let mut t = c.clone();
                t[i] = Some(k);
                let r = eval(&t);
                if r < best {
                    best = r;
                    c = t;
                    improved = true;
                }
            }
        }
        if !improved || passes >= MAX_PASSES {
            break;
        }
    }
    let note = format!(
        "local search: one demand's option changed at a time while the network got better (passes: {passes}); \
         a local optimum, not proven the best of the {} mixes",
        mixes.map_or_else(|| "more than 2^64".to_string(), |n| n.to_string())
    );
    (c, MixSearch { method: "local", mixes_assembled: count, note })
}

/// Per demand and feasible option: what the network's capex changes by
/// when the demand rides that option rather than not being carried, the
/// rest of the mix as chosen (`None` past [`MAX_SEARCH_DEMANDS`]); none
/// for an option blocked on spectrum beside the others.
pub(super) fn marginal_capex(
    mixes: &mut Mixes<'_, '_>,
    choice: &[Option<OptionKind>],
) -> Option<Vec<Vec<(OptionKind, Money)>>> {
    let demands = mixes.demands;
    if demands.len() > MAX_SEARCH_DEMANDS {
        return None;
    }
    let mut out = Vec::with_capacity(demands.len());
    for (i, d) in demands.iter().enumerate() {
        let mut without = choice.to_vec();
        without[i] = None;
        let base = mixes.eval(&without).1;
        let mut row = Vec::new();
        for o in d.options.iter().filter(|o| o.feasible) {
            let mut with = choice.to_vec();
            with[i] = Some(o.kind);
            let (_, capex, blocked) = mixes.eval(&with);
            // An option that finds no spectrum beside the others adds nothing it could carry.
            if !blocked.contains(&i) {
                row.push((o.kind, Money((*capex - base).round_dp(2))));
            }
        }
        out.push(row);
    }
    Some(out)
}
