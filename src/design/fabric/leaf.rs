//! How leaves take a rack's servers: leaves per rack, the server links of
//! each, the ports left for uplinks, and the power of a rack.

use super::score::{groups_score, link_groups, switch_cents};
use super::{ceil_ratio, trim, Context, LinkGroup, MAX_LEAVES_PER_RACK};
use crate::design::media::{self, End, LinkClass};
use crate::design::ports::{self, Split};
use crate::design::wiring::{self, Block};
use crate::model::*;
use crate::units::Gbps;

/// How leaves attach the servers of one rack, at one uplink speed.
#[derive(Debug, Clone)]
pub(super) struct LeafFit<'a> {
    pub leaf: &'a Switch,
    pub up_speed: Gbps,
    pub leaves_per_rack: u64,
    /// Server links of the busiest leaf.
    pub down: u64,
    pub split: Split,
    /// Fewest uplinks that meet the target, and most the free ports carry.
    pub up_min: u64,
    pub up_max: u64,
    /// Server links of the whole site, with media.
    pub server_groups: Vec<LinkGroup>,
    /// Maximum power of the server links' media in the fullest rack.
    pub rack_server_media_max_w: f64,
    /// The leaves and their server links: net cents, typical W and modules,
    /// the same for every candidate built on this fit.
    pub own_cents: i128,
    pub own_w: f64,
    pub own_optics: u64,
    /// Leaves at the site, leaves for the growth target, and the target's servers.
    pub leaves: u64,
    pub leaves_target: u64,
    pub target_servers: u64,
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

/// The leaves' fit with `leaves_per_rack` leaves in each rack, uplinks at `up_speed`.
pub(super) fn leaf_fit<'a>(
    ctx: &Context<'_>,
    leaf: &'a Switch,
    up_speed: Gbps,
    leaves_per_rack: u64,
) -> Result<LeafFit<'a>, String> {
    let site = ctx.site;
    let s = site.nic_speed_gbps;
    if ports::max_links(leaf, s) == 0 {
        return Err(format!("{} has no port that runs at {} (natively or by breakout)", leaf.id, s));
    }
    let per_rack = site.rack_size() * u64::from(site.nics_per_server);
    let t = ctx.policy.leaf_oversubscription;
    let down = per_rack.div_ceil(leaves_per_rack);
    // d·s ≤ t·u·U  ⇒  u ≥ d·s/(t·U); at least two uplinks so that no leaf hangs on one spine.
    let need = ceil_ratio((down * s.0) as f64, t * up_speed.0 as f64).max(2);
    let split = ports::split(leaf, s, down, up_speed)
        .ok_or_else(|| format!("{} cannot place {} server links of {}", leaf.id, down, s))?;
    if split.up_links_free < need {
        return Err(format!(
            "{}: {} server links per leaf leave {} uplinks of {}, {} needed for {}:1",
            leaf.id,
            down,
            split.up_links_free,
            up_speed,
            need,
            trim(t)
        ));
    }
    let nic = End { cage: media::nic_form_factor(s), port_speed: s, breakout: None };
    let a = wiring::kinds(leaf, &split.down);
    let b = wiring::nic_kinds(nic);
    let (site_blocks, rack_blocks) = server_blocks(site, leaves_per_rack);
    let server_groups = link_groups(ctx, LinkClass::ServerLeaf, s, &a, &b, &site_blocks)?;
    let rack_groups = link_groups(ctx, LinkClass::ServerLeaf, s, &a, &b, &rack_blocks)?;
    let r = site.rack_size();
    let racks = site.servers.div_ceil(r);
    let rack_server_media_max_w = rack_groups.iter().map(|g| g.media.totals(g.counts()).2 .0).sum();
    // servers × (1 + g), rounded up, without floating-point noise (12,000 × 1.1 is 13,200).
    let target_servers = (site.servers as f64 * ctx.growth_factor - 1e-6).ceil() as u64;
    let (server_c, server_w, server_o) = groups_score(&server_groups);
    let leaves = racks * leaves_per_rack;
    let fit = LeafFit {
        own_cents: i128::from(leaves) * switch_cents(ctx, leaf) + server_c,
        own_w: leaves as f64 * leaf.power_w.typical.0 + server_w,
        own_optics: server_o,
        leaf,
        up_speed,
        leaves_per_rack,
        down,
        up_min: need,
        up_max: split.up_links_free,
        split,
        server_groups,
        rack_server_media_max_w,
        leaves,
        leaves_target: target_servers.div_ceil(r) * leaves_per_rack,
        target_servers,
    };
    // Uplinks only add to a rack's draw: a rack over budget without them
    // is over budget with any.
    check_rack_budget(ctx, &fit, &[])?;
    Ok(fit)
}

/// Every fit of `leaf` at `up_speed`: leaves per rack from the fewest the
/// homing allows up to [`MAX_LEAVES_PER_RACK`] (in pairs when dual-homed),
/// or the reason the last one failed.
pub(super) fn leaf_fits<'a>(
    ctx: &Context<'_>,
    leaf: &'a Switch,
    up_speed: Gbps,
) -> Result<Vec<LeafFit<'a>>, String> {
    let dual = ctx.policy.homing == Homing::Dual;
    let step = if dual { 2 } else { 1 };
    let mut fits = Vec::new();
    let mut last_err = String::new();
    let mut l = step;
    while l <= MAX_LEAVES_PER_RACK {
        match leaf_fit(ctx, leaf, up_speed, l) {
            Ok(f) => fits.push(f),
            // The fewest leaves per rack say the most about why none fit.
            Err(e) if fits.is_empty() && last_err.is_empty() => last_err = e,
            Err(_) => {}
        }
        l += step;
    }
    if fits.is_empty() {
        Err(last_err)
    } else {
        Ok(fits)
    }
}

/// The power of one server rack against its budget: servers at their
/// stated draw, leaves and every module in the rack at maximum.
pub(super) fn check_rack_budget(
    ctx: &Context<'_>,
    fit: &LeafFit<'_>,
    uplink_groups: &[LinkGroup],
) -> Result<(), String> {
    let servers_w = ctx.site.rack_size() as f64 * ctx.site.server_power_w.map_or(0.0, |w| w.0);
    // Leaf-side (B) share of the uplinks' modules and cables, spread evenly over the leaves.
    let uplink_b_w: f64 = uplink_groups.iter().map(|g| g.media.b_side_power(g.counts()).1).sum::<f64>()
        / fit.leaves.max(1) as f64;
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

/// A switch whose maximum draw exceeds the rack budget fits no rack.
pub(super) fn over_rack_budget(ctx: &Context<'_>, switches: &[&Switch]) -> Option<String> {
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
