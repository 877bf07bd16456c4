//! How the outcomes of failures compare with the intact plan: which is the
//! worst of a class, and each class's and demand's worst figures, each
//! with the failure that gives it.

use super::worst::{natural_cmp, Worst};
use super::{pct, ClassReport, DemandFate, Outcome};
use std::cmp::Reverse;
use std::collections::BTreeMap;

/// What the outcomes are measured against: the intact plan.
pub(super) struct Judge<'a> {
    pub(super) intact: &'a BTreeMap<String, u64>,
    /// Servers of each site.
    pub(super) servers: BTreeMap<String, u64>,
    /// Server-facing capacity of a leaf, per site.
    pub(super) down_gbps: BTreeMap<String, u64>,
    pub(super) demands: &'a [(String, String, u64, bool)],
    pub(super) intact_flow: &'a [u64],
}

impl Judge<'_> {
    /// How badly an outcome hurts, lower is worse: first the smallest share
    /// left of a site's bisection, of a site's servers still connected or of
    /// a demand's Gb/s as the intact plan serves it (what the service
    /// loses), then the smallest share left of a demand's intact max-flow
    /// (headroom lost where the demand is met).
    fn severity(&self, o: &Outcome) -> (f64, f64) {
        let sites = o.bisection_gbps.iter().map(|(site, b)| pct(*b, self.intact[site]));
        let servers = o.stranded_servers.iter().map(|(site, s)| {
            let all = self.servers[site];
            pct(all.saturating_sub(*s), all)
        });
        let served = self
            .demands
            .iter()
            .zip(self.intact_flow.iter().zip(&o.demand_gbps))
            .map(|(d, (whole, got))| pct((*got).min(d.2), (*whole).min(d.2)));
        let headroom = self.intact_flow.iter().zip(&o.demand_gbps).map(|(whole, got)| pct(*got, *whole));
        (sites.chain(servers).chain(served).fold(100.0, f64::min), headroom.fold(100.0, f64::min))
    }

    /// The worst outcome of a set: by severity, then by name.
    fn worst<'o>(&self, list: &[&'o Outcome]) -> Option<&'o Outcome> {
        list.iter()
            .map(|o| (self.severity(o), o.name(), *o))
            .min_by(|a, b| {
                (a.0 .0.total_cmp(&b.0 .0))
                    .then(a.0 .1.total_cmp(&b.0 .1))
                    .then_with(|| natural_cmp(&a.1, &b.1))
            })
            .map(|(_, _, o)| o)
    }

    /// A class's worst figures, each with the element that gives it.
    pub(super) fn class_report(&self, class: &str, list: &[&Outcome]) -> ClassReport {
        let worst = self.worst(list).map(Outcome::name).unwrap_or_default();
        let prefer = Some(worst.as_str());
        let mut bisection = Worst::new(prefer);
        let mut uplink = Worst::new(prefer);
        let mut stranded = Worst::new(prefer);
        for o in list {
            let name = o.name();
            for (site, b) in &o.bisection_gbps {
                bisection.offer(site, *b, &name);
            }
            for (site, up) in &o.min_leaf_uplink_gbps {
                uplink.offer(site, *up, &name);
            }
            for (site, s) in o.stranded_servers.iter().filter(|(_, s)| **s > 0) {
                stranded.offer(site, Reverse(*s), &name);
            }
        }
        let demands_short: Vec<usize> = (0..self.demands.len())
            .filter(|&i| list.iter().any(|o| o.demand_gbps[i] < self.demands[i].2))
            .collect();
        ClassReport {
            class: class.to_string(),
            elements: list.iter().map(|o| o.represents).sum(),
            evaluated: list.len() as u64,
            worst: worst.clone(),
            worst_bisection_pct: bisection.report(|site, b| pct(b, self.intact[site])),
            worst_leaf_oversubscription: uplink.report(|site, up| {
                if up == 0 {
                    f64::INFINITY
                } else {
                    (self.down_gbps[site] as f64 / up as f64 * 100.0).round() / 100.0
                }
            }),
            worst_stranded_servers: stranded.report(|_, Reverse(s)| s),
            demands_short,
        }
    }

    /// Each demand's lowest max-flow over the single failures, and the
    /// failure that gives it (the first by name on a tie).
    pub(super) fn demand_fates(&self, outcomes: &[Outcome]) -> Vec<DemandFate> {
        self.demands
            .iter()
            .enumerate()
            .map(|(i, (a, b, gbps, diverse))| {
                let (worst_gbps, worst_failure) = outcomes
                    .iter()
                    .map(|o| (o.demand_gbps[i], o.name()))
                    .min_by(|x, y| x.0.cmp(&y.0).then_with(|| natural_cmp(&x.1, &y.1)))
                    .unwrap_or((self.intact_flow[i], String::new()));
                DemandFate {
                    between: [a.clone(), b.clone()],
                    gbps: *gbps,
                    diverse: *diverse,
                    intact_gbps: self.intact_flow[i],
                    worst_gbps,
                    worst_failure,
                    survives_any_single_failure: worst_gbps >= *gbps,
                }
            })
            .collect()
    }
}
