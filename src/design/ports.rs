//! How a switch's front panel is split between down links (toward servers
//! or the tier below) and uplinks, with breakouts where the speeds differ.

use crate::design::media::takes_coherent;
use crate::model::{Breakout, CoherentOptic, PortGroup, Switch};
use crate::units::Gbps;

/// One way to use the ports of one port group for links at one speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortUse {
    /// Index of the port group in the switch's `ports`.
    pub group: usize,
    /// Physical ports used.
    pub ports: u64,
    /// Links each port carries: 1 natively, the lanes when broken out.
    pub links_per_port: u64,
    /// The breakout used, if any.
    pub breakout: Option<Breakout>,
}

/// A switch's ports split into down links at one speed and up links at
/// another (either may run on broken-out ports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub down: Vec<PortUse>,
    /// Down links placed.
    pub down_links: u64,
    /// Up links the free ports could still carry at the up speed.
    pub up_links_free: u64,
    /// Ports still free after the down links, per group.
    free: Vec<u64>,
}

/// Links of `speed` one port of `group` can carry: natively (1) or by its
/// widest breakout to that speed.
pub fn links_per_port(group: &PortGroup, speed: Gbps) -> Option<(u64, Option<Breakout>)> {
    if group.management {
        return None;
    }
    if group.speed_gbps == speed {
        return Some((1, None));
    }
    group
        .breakouts
        .iter()
        .filter(|b| b.speed_gbps == speed)
        .max_by_key(|b| b.lanes)
        .map(|b| (u64::from(b.lanes), Some(*b)))
}

/// Every link speed a switch can run, natively or by breakout, ascending.
pub fn link_speeds(switch: &Switch) -> Vec<Gbps> {
    let mut v: Vec<Gbps> = switch
        .ports
        .iter()
        .filter(|g| !g.management)
        .flat_map(|g| std::iter::once(g.speed_gbps).chain(g.breakouts.iter().map(|b| b.speed_gbps)))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Most links of `speed` the switch can terminate with every port used.
pub fn max_links(switch: &Switch, speed: Gbps) -> u64 {
    switch.ports.iter().filter_map(|g| links_per_port(g, speed).map(|(k, _)| k * u64::from(g.count))).sum()
}

fn up_per_port(switch: &Switch, group: usize, up_speed: Gbps) -> u64 {
    links_per_port(&switch.ports[group], up_speed).map_or(0, |(k, _)| k)
}

/// Places `down_links` links of `down_speed`, keeping as much room as
/// possible for links of `up_speed`: ports are taken in the order that gives
/// up the fewest up links per down link placed. `None` when the switch
/// cannot place that many down links.
pub fn split(switch: &Switch, down_speed: Gbps, down_links: u64, up_speed: Gbps) -> Option<Split> {
    split_reserving(switch, &[], down_speed, down_links, up_speed).map(|(s, _)| s)
}

/// [`split`] after setting ports aside for `reserve` (links of a speed
/// each, e.g. the interconnect hand-off at the top tier): each reservation
/// takes the ports that give up the fewest links of `down_speed`, then the
/// down links are placed as [`split`] places them. Returns the split and
/// the ports each reservation took.
pub fn split_reserving(
    switch: &Switch,
    reserve: &[(Gbps, u64)],
    down_speed: Gbps,
    down_links: u64,
    up_speed: Gbps,
) -> Option<(Split, Vec<Vec<PortUse>>)> {
    split_reserving_on(switch, reserve, &[], down_speed, down_links, up_speed)
}

/// [`split_reserving`] where reservation `i` may be held to cages that
/// take the coherent pluggable `holds[i]` (the `fabric-zr` hand-off): one
/// link a port, at the port's native speed, on a group whose cage takes it
/// ([`takes_coherent`]). A reservation past the end of `holds`, or `None`,
/// takes any port.
pub fn split_reserving_on(
    switch: &Switch,
    reserve: &[(Gbps, u64)],
    holds: &[Option<&CoherentOptic>],
    down_speed: Gbps,
    down_links: u64,
    up_speed: Gbps,
) -> Option<(Split, Vec<Vec<PortUse>>)> {
    let mut free: Vec<u64> =
        switch.ports.iter().map(|g| if g.management { 0 } else { u64::from(g.count) }).collect();
    let mut reserved = Vec::with_capacity(reserve.len());
    for (i, &(speed, links)) in reserve.iter().enumerate() {
        let only = holds.get(i).copied().flatten();
        reserved.push(take_keeping(switch, &mut free, speed, links, down_speed, only)?);
    }
    let down = take_keeping(switch, &mut free, down_speed, down_links, up_speed, None)?;
    let placed = down.iter().map(|d| d.ports * d.links_per_port).sum();
    let up_links_free = (0..switch.ports.len()).map(|g| free[g] * up_per_port(switch, g, up_speed)).sum();
    Some((Split { down, down_links: placed, up_links_free, free }, reserved))
}

/// Takes ports of `free` for `links` links of `speed`, in the order that
/// gives up the fewest links of `keep` per link placed (compared exactly),
/// then most links per port; only native ports of cages that take `only`,
/// when given.
fn take_keeping(
    switch: &Switch,
    free: &mut [u64],
    speed: Gbps,
    links: u64,
    keep: Gbps,
    only: Option<&CoherentOptic>,
) -> Option<Vec<PortUse>> {
    let mut candidates: Vec<(usize, u64, Option<Breakout>, u64)> = switch
        .ports
        .iter()
        .enumerate()
        .filter(|(_, g)| only.is_none_or(|o| g.speed_gbps == speed && takes_coherent(g, o)))
        .filter_map(|(i, g)| links_per_port(g, speed).map(|(k, b)| (i, k, b, up_per_port(switch, i, keep))))
        .collect();
    candidates.sort_by(|a, b| (a.3 * b.1).cmp(&(b.3 * a.1)).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0)));
    let mut remaining = links;
    let mut uses = Vec::new();
    for (group, k, breakout, _) in candidates {
        if remaining == 0 {
            break;
        }
        let ports = remaining.div_ceil(k).min(free[group]);
        if ports == 0 {
            continue;
        }
        remaining = remaining.saturating_sub(ports * k);
        free[group] -= ports;
        uses.push(PortUse { group, ports, links_per_port: k, breakout });
    }
    (remaining == 0).then_some(uses)
}

impl Split {
    /// Links of `speed` the ports left free could still carry.
    pub fn free_links(&self, switch: &Switch, speed: Gbps) -> u64 {
        (0..switch.ports.len()).map(|g| self.free[g] * up_per_port(switch, g, speed)).sum()
    }

    /// Places `links` up links at `up_speed` on the free ports, native ports
    /// first (one module per link), then broken-out ones.
    pub fn place_up(&self, switch: &Switch, up_speed: Gbps, links: u64) -> Option<Vec<PortUse>> {
        let mut groups: Vec<(usize, u64, Option<Breakout>)> = switch
            .ports
            .iter()
            .enumerate()
            .filter_map(|(i, g)| links_per_port(g, up_speed).map(|(k, b)| (i, k, b)))
            .collect();
        groups.sort_by_key(|&(i, k, _)| (k, i));
        let mut remaining = links;
        let mut uses = Vec::new();
        for (group, k, breakout) in groups {
            if remaining == 0 {
                break;
            }
            let ports = remaining.div_ceil(k).min(self.free[group]);
            if ports == 0 {
                continue;
            }
            remaining = remaining.saturating_sub(ports * k);
            uses.push(PortUse { group, ports, links_per_port: k, breakout });
        }
        (remaining == 0).then_some(uses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FormFactor, PowerDraw};
    use crate::money::Money;
    use crate::units::Watts;

    fn switch(groups: Vec<PortGroup>) -> Switch {
        Switch {
            id: "t".into(),
            model: "t".into(),
            part_number: "t".into(),
            description: String::new(),
            roles: vec![],
            ports: groups,
            capacity_fd_gbps: Gbps(0),
            quoted_capacity: None,
            silicon: None,
            rack_units: 1.0,
            power_w: PowerDraw { typical: Watts(1.0), max: Watts(1.0) },
            list_price: Money::ZERO,
            source: String::new(),
            estimates: Default::default(),
            netbox_library: None,
        }
    }

    fn group(count: u32, speed: u64, breakouts: &[(u32, u64)]) -> PortGroup {
        PortGroup {
            count,
            speed_gbps: Gbps(speed),
            form_factor: FormFactor::Qsfp28,
            breakouts: breakouts.iter().map(|&(l, s)| Breakout { lanes: l, speed_gbps: Gbps(s) }).collect(),
            management: false,
            coherent_max_module_w: None,
        }
    }

    #[test]
    fn native_server_ports_leave_every_uplink_free() {
        // 48x25G + 8x100G: 40 servers on the 25G ports, all eight 100G ports stay uplinks.
        let s = switch(vec![group(48, 25, &[]), group(8, 100, &[(4, 25)])]);
        let split = split(&s, Gbps(25), 40, Gbps(100)).unwrap();
        assert_eq!(split.up_links_free, 8);
        assert_eq!(split.down_links, 40);
        // 60 servers: 48 native, 12 more on three 100G ports broken out 4x25G.
        let split = super::split(&s, Gbps(25), 60, Gbps(100)).unwrap();
        assert_eq!(split.up_links_free, 5);
        assert_eq!(split.down_links, 60);
    }

    #[test]
    fn breakout_of_uplink_speed_ports_costs_uplinks() {
        // 32x100G with 4x25G breakout, 48 server ports: 12 ports broken out, 20 left.
        let s = switch(vec![group(32, 100, &[(4, 25), (4, 10)])]);
        let split = split(&s, Gbps(25), 48, Gbps(100)).unwrap();
        assert_eq!(split.up_links_free, 20);
        assert_eq!(split.down[0].breakout.unwrap().lanes, 4);
        assert!(super::split(&s, Gbps(25), 129, Gbps(100)).is_none());
        assert_eq!(max_links(&s, Gbps(25)), 128);
    }

    #[test]
    fn same_speed_down_and_up_share_the_ports() {
        let s = switch(vec![group(32, 100, &[])]);
        assert_eq!(split(&s, Gbps(100), 16, Gbps(100)).unwrap().up_links_free, 16);
        assert!(split(&s, Gbps(25), 1, Gbps(100)).is_none());
    }

    #[test]
    fn broken_out_uplinks_multiply_the_radix() {
        // 64x400G with 4x100G breakout: 32 server links on 8 ports, 224 uplinks of 100G left.
        let s = switch(vec![group(64, 400, &[(4, 100), (2, 200)])]);
        let split = split(&s, Gbps(100), 32, Gbps(100)).unwrap();
        assert_eq!(split.up_links_free, 224);
        let up = split.place_up(&s, Gbps(100), 10).unwrap();
        assert_eq!(up[0].ports, 3);
        assert_eq!(max_links(&s, Gbps(100)), 256);
        assert_eq!(link_speeds(&s), vec![Gbps(100), Gbps(200), Gbps(400)]);
    }

    #[test]
    fn down_links_avoid_ports_that_carry_the_most_uplinks() {
        // 48x25G + 8x100G (4x25G): 25G servers on native ports first.
        let s = switch(vec![group(48, 25, &[]), group(8, 100, &[(4, 25)])]);
        let split = split(&s, Gbps(25), 48, Gbps(100)).unwrap();
        assert_eq!(split.up_links_free, 8);
        assert_eq!(split.down.len(), 1);
    }

    #[test]
    fn reservations_take_the_ports_that_cost_the_fewest_fabric_links() {
        // 32x400G (4x100G) + 4x100G: 6 hand-off links of 100G go on the
        // native 100G ports first (4), then one 400G port broken out (2 of 4
        // lanes); 31 ports of 400G stay for the fabric.
        let s = switch(vec![group(32, 400, &[(4, 100)]), group(4, 100, &[])]);
        let (split, reserved) = split_reserving(&s, &[(Gbps(100), 6)], Gbps(400), 20, Gbps(400)).unwrap();
        assert_eq!(reserved[0].iter().map(|u| u.ports * u.links_per_port).sum::<u64>(), 8);
        assert_eq!(reserved[0][0].group, 1);
        assert_eq!(split.down_links, 20);
        assert_eq!(split.free_links(&s, Gbps(400)), 11);
        // Nothing set aside: the same as `split`.
        let (plain, none) = split_reserving(&s, &[], Gbps(400), 20, Gbps(400)).unwrap();
        assert_eq!(Some(plain), super::split(&s, Gbps(400), 20, Gbps(400)));
        assert!(none.is_empty());
        // More than the panel holds with the fabric's links: refused.
        assert!(split_reserving(&s, &[(Gbps(100), 40)], Gbps(400), 30, Gbps(400)).is_none());
    }
}
