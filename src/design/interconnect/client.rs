//! Grey optics and fibre for client, hand-off and back-to-back links.

use super::tally::Tally;
use crate::design::media::fits;
use crate::model::*;
use crate::price;
use crate::units::Gbps;

/// A grey optic for a client or hand-off link of `speed` into a `cage`, over `distance_m`.
pub(super) fn grey_optic(
    catalog: &Catalog,
    cage: FormFactor,
    speed: Gbps,
    distance_m: f64,
) -> Option<&GreyOptic> {
    let mut v: Vec<&GreyOptic> = catalog
        .grey_optics
        .iter()
        .filter(|o| {
            fits(o.form_factor, cage)
                && o.speed_gbps == speed
                && o.breakout.is_none()
                && o.reach_m.0 >= distance_m
        })
        .collect();
    v.sort_by(|a, b| price::unit_net(catalog, *a).cmp(&price::unit_net(catalog, *b)).then(a.id.cmp(&b.id)));
    v.into_iter().next()
}

/// A patch cord for a grey optic over a distance.
pub(super) fn patch_for<'a>(catalog: &'a Catalog, optic: &GreyOptic, distance_m: f64) -> Option<&'a Cable> {
    catalog
        .cables
        .iter()
        .filter(|c| {
            c.kind == CableKind::FibrePatch && c.fibre == Some(optic.fibre) && c.connector == optic.connector
        })
        .filter(|c| c.reach_m.0 >= distance_m && c.length_options_m.iter().any(|l| l.0 >= distance_m))
        .min_by(|a, b| price::unit_net(catalog, *a).cmp(&price::unit_net(catalog, *b)).then(a.id.cmp(&b.id)))
}

/// Fibre for `links` hand-off links of a grey optic over `distance_m`: a
/// patch cord per link when one reaches, else a structured run (a short cord
/// at each end and a share of a trunk).
pub(super) fn hand_off_fibre(
    t: &mut Tally,
    catalog: &Catalog,
    optic: &GreyOptic,
    distance_m: f64,
    site: &str,
    links: u64,
    why: &str,
) -> Result<(), String> {
    if let Some(p) = patch_for(catalog, optic, distance_m) {
        t.add(&p.id, site, links, why);
        return Ok(());
    }
    let cord = patch_for(catalog, optic, 3.0);
    let trunk = catalog
        .cables
        .iter()
        .filter(|c| {
            c.kind == CableKind::FibreTrunk && c.fibre == Some(optic.fibre) && c.reach_m.0 >= distance_m
        })
        .filter(|c| c.length_options_m.iter().any(|l| l.0 >= distance_m))
        .min_by(|a, b| price::unit_net(catalog, *a).cmp(&price::unit_net(catalog, *b)).then(a.id.cmp(&b.id)));
    match (cord, trunk) {
        (Some(c), Some(tr)) => {
            t.add(&c.id, site, 2 * links, why);
            let per_trunk = (u64::from(tr.fibres.unwrap_or(2)) / 2).max(1);
            t.add(&tr.id, site, links.div_ceil(per_trunk), why);
            Ok(())
        }
        _ => Err(format!(
            "no fibre in the catalog runs {} m for {} hand-off links ({})",
            distance_m, optic.id, site
        )),
    }
}
