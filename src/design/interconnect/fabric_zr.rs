//! The `fabric-zr` option: coherent pluggables (400ZR, ZR+) straight in
//! the data-center fabric's own switches, with no router and no
//! transponder.
//!
//! Per route it rides the same line systems as the other options and picks
//! its optic the same way ([`option::design_option`]), among the pluggables
//! that some fabric switch of the catalog takes (a cage the pluggable fits,
//! whose `coherent_max_module_w` is at least the module's maximum power).
//! Pluggables do not regenerate: a route no pluggable reaches end to end
//! leaves the option infeasible there.
//!
//! At each site a wavelength lands on (both ends, and a third site a path
//! passes through, whose switches take the wavelengths in on one port and
//! out on another) the option buys one pluggable a wavelength and asks the
//! site's fabric for one port a wavelength at the pluggable's host speed
//! ([`HandOffNeed::pluggable`]): the fabric sets them aside on the top
//! tier's (or its border leaves') cages that take the pluggable, and buys
//! no optic and no cable for them.
//!
//! The interconnect is designed before the fabrics (`plan.rs`), so here the
//! option is offered where a switch model allowed at the site takes the
//! pluggable; the fabric search then only puts these ports on cages that
//! take it, and a site whose fabric cannot is planned again without the
//! option (`plan.rs`, [`super::design_without`]).

use super::option;
use super::*;
use crate::design::media::takes_coherent;
use crate::design::routes::RoutePath;
use std::collections::BTreeSet;

/// What the hand-off calls the ports holding the pluggables of one path.
pub(super) fn equipment(optic: &CoherentOptic, plane: usize) -> String {
    format!("{} in the fabric (path {plane})", optic.id)
}

/// Whether some fabric switch of the catalog takes the pluggable.
pub(super) fn offered(catalog: &Catalog, optic: &CoherentOptic) -> bool {
    catalog.switches.iter().any(|s| switch_takes(s, optic))
}

/// Whether a switch has a data cage that takes the pluggable.
fn switch_takes(sw: &Switch, optic: &CoherentOptic) -> bool {
    sw.ports.iter().any(|g| takes_coherent(g, optic))
}

/// Whether a switch model allowed at `site` (its fabric policy) takes the
/// pluggable, as a top-tier switch or a border leaf.
fn site_takes(ctx: &Ctx<'_>, site: &str, optic: &CoherentOptic) -> bool {
    let Some(s) = ctx.scenario.sites.iter().find(|s| s.name == site) else { return true };
    let policy = ctx.scenario.policy_for(s);
    ctx.catalog.switches.iter().any(|sw| {
        (policy.allowed_models.is_empty() || policy.allowed_models.contains(&sw.id))
            && !policy.excluded_models.contains(&sw.id)
            && switch_takes(sw, optic)
    })
}

/// The host speed of a pluggable: the smallest Ethernet rate that carries
/// its fastest mode (a 400ZR sits in a 400G port).
pub(super) fn host_speed(optic: &CoherentOptic) -> Gbps {
    let fastest = optic.modes.iter().map(|m| m.line_rate_gbps.0).max().unwrap_or(400);
    Gbps(crate::units::ETHERNET_RATES_GBPS.iter().copied().find(|r| *r >= fastest).unwrap_or(fastest))
}

/// The fabric ports that hold one hop end's pluggables at `site`.
pub(super) fn port_need(site: &str, hop: &Hop, optic: &CoherentOptic, plane: usize) -> SiteHandOff {
    SiteHandOff {
        site: site.to_string(),
        need: HandOffNeed {
            speed_gbps: host_speed(optic),
            cage: optic.form_factor.unwrap_or(FormFactor::QsfpDd),
            links: hop.wavelengths,
            equipment: equipment(optic, plane),
            pluggable: Some(optic.id.clone()),
        },
    }
}

/// Why no pluggable of the catalog can sit in a fabric switch: each
/// pluggable against the best cage of its form factor.
fn none_offered(catalog: &Catalog) -> String {
    let pluggables: Vec<&CoherentOptic> =
        catalog.coherent_optics.iter().filter(|o| o.kind == CoherentKind::Pluggable).collect();
    if pluggables.is_empty() {
        return "the catalog has no coherent pluggable".into();
    }
    let each: Vec<String> = pluggables
        .iter()
        .map(|o| {
            let Some(ff) = o.form_factor else { return format!("{} has no form factor", o.id) };
            let best = catalog
                .switches
                .iter()
                .flat_map(|s| &s.ports)
                .filter(|g| !g.management && crate::design::media::fits(ff, g.form_factor))
                .filter_map(|g| g.coherent_max_module_w)
                .map(|w| w.0)
                .fold(None, |m: Option<f64>, w| Some(m.map_or(w, |m| m.max(w))));
            match best {
                Some(w) => format!(
                    "{} draws up to {} W; the catalog's fabric cages it fits take at most {w} W",
                    o.id, o.power_w.max.0
                ),
                None => format!(
                    "no fabric switch cage of the catalog that {} fits takes coherent pluggables",
                    o.id
                ),
            }
        })
        .collect();
    format!("no fabric switch takes a coherent pluggable ({})", each.join("; "))
}

/// The option for one demand over its paths, or why not.
pub(super) fn design(
    ctx: &Ctx<'_>,
    demand: &Demand,
    paths: &Result<Vec<RoutePath>, String>,
    withdrawn: &BTreeSet<String>,
) -> OptionDesign {
    let kind = OptionKind::FabricZr;
    let paths = match paths {
        Ok(p) => p,
        Err(reason) => return OptionDesign::infeasible(kind, reason),
    };
    if let Some(site) = demand.between.iter().find(|s| withdrawn.contains(*s)) {
        return OptionDesign::infeasible(
            kind,
            &format!("the fabric of {site} cannot hold the pluggables (its sizing failed with them)"),
        );
    }
    if !ctx
        .catalog
        .coherent_optics
        .iter()
        .any(|o| o.kind == CoherentKind::Pluggable && offered(ctx.catalog, o))
    {
        return OptionDesign::infeasible(kind, &none_offered(ctx.catalog));
    }
    let mut o = option::design_option(ctx, kind, demand, paths);
    let mut reasons: Vec<String> = Vec::new();
    for h in &o.handoff {
        let Some(optic) = h.need.pluggable.as_ref().and_then(|id| find(ctx, id)) else { continue };
        let msg = if withdrawn.contains(&h.site) {
            format!("the fabric of {} cannot hold the pluggables (its sizing failed with them)", h.site)
        } else if !site_takes(ctx, &h.site, optic) {
            format!("no switch model allowed at {} takes {}", h.site, optic.id)
        } else {
            continue;
        };
        if !reasons.contains(&msg) {
            reasons.push(msg);
        }
    }
    if !reasons.is_empty() {
        o.feasible = false;
        let all: Vec<String> = o.reason.take().into_iter().chain(reasons).collect();
        o.reason = Some(all.join("; "));
    }
    o
}

fn find<'a>(ctx: &Ctx<'a>, id: &str) -> Option<&'a CoherentOptic> {
    ctx.catalog.coherent_optics.iter().find(|o| o.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{self, Source};

    fn catalog() -> Catalog {
        load::load_catalog(&Source::embedded_catalog()).expect("embedded catalog").value
    }

    fn optic<'a>(c: &'a Catalog, id: &str) -> &'a CoherentOptic {
        c.coherent_optics.iter().find(|o| o.id == id).expect(id)
    }

    #[test]
    fn a_400zr_sits_in_a_20_w_qsfp_dd_cage_and_a_zr_plus_does_not() {
        let c = catalog();
        let (zr, zrp, cfp2) = (
            optic(&c, "qsfpdd-400zr"),
            optic(&c, "qsfpdd-openzr-plus"),
            optic(&c, "cfp2-dco-400g-multihaul"),
        );
        // 18 W max within the cages' 20 W; 22.5 W beyond it; a CFP2 fits no QSFP-DD cage.
        assert!(offered(&c, zr));
        assert!(!offered(&c, zrp));
        assert!(!offered(&c, cfp2));
        let h4 = c.switches.iter().find(|s| s.id == "ixr-h4").expect("ixr-h4");
        assert!(switch_takes(h4, zr));
        // A 100G-only spine has no coherent cage.
        let h2 = c.switches.iter().find(|s| s.id == "ixr-h2").expect("ixr-h2");
        assert!(!switch_takes(h2, zr));
    }

    #[test]
    fn a_cage_without_a_class_or_below_the_module_takes_none() {
        let c = catalog();
        let zr = optic(&c, "qsfpdd-400zr");
        let mut g = c.switches.iter().find(|s| s.id == "ixr-h4").expect("ixr-h4").ports[0].clone();
        assert!(takes_coherent(&g, zr));
        g.coherent_max_module_w = Some(Watts(17.9));
        assert!(!takes_coherent(&g, zr), "18 W max is over a 17.9 W class");
        g.coherent_max_module_w = Some(Watts(18.0));
        assert!(takes_coherent(&g, zr), "exactly the class fits");
        g.coherent_max_module_w = None;
        assert!(!takes_coherent(&g, zr));
        g.coherent_max_module_w = Some(Watts(20.0));
        g.management = true;
        assert!(!takes_coherent(&g, zr), "never a management port");
    }

    #[test]
    fn the_host_speed_is_the_fastest_mode_rounded_up_to_an_ethernet_rate() {
        let c = catalog();
        assert_eq!(host_speed(optic(&c, "qsfpdd-400zr")), Gbps(400));
        assert_eq!(host_speed(optic(&c, "qsfpdd-openzr-plus")), Gbps(400));
        let mut slow = optic(&c, "qsfpdd-openzr-plus").clone();
        slow.modes.retain(|m| m.line_rate_gbps.0 <= 300);
        assert_eq!(host_speed(&slow), Gbps(400), "300G rides a 400G port");
        slow.modes.retain(|m| m.line_rate_gbps.0 <= 100);
        assert_eq!(host_speed(&slow), Gbps(100));
    }

    #[test]
    fn with_no_cage_class_the_reason_names_each_pluggable_and_the_best_cage() {
        let mut c = catalog();
        for s in &mut c.switches {
            for g in &mut s.ports {
                g.coherent_max_module_w = g.coherent_max_module_w.map(|_| Watts(12.0));
            }
        }
        let why = none_offered(&c);
        assert!(
            why.contains(
                "qsfpdd-400zr draws up to 18 W; the catalog's fabric cages it fits take at most 12 W"
            ),
            "{why}"
        );
        assert!(why.contains("cfp2-dco-400g-multihaul"), "{why}");
        assert!(c.coherent_optics.iter().all(|o| !offered(&c, o)));
    }
}
