//! The startup config of a lab node: SR Linux CLI `set` lines that give
//! every cage the lab uses the breakout mode or port speed the plan runs it
//! at, and enable every interface the lab's links use.
//!
//! containerlab v0.79.0 takes a multi-line `startup-config` in the topology
//! as the file's content (`utils/file.go`,
//! `ProcessDownloadableAndEmbeddedFile`: a value with a line break is an
//! embedded blob), and applies a config that does not start with `{` as
//! CLI lines over its own default config, in the same candidate, before
//! the commit (`nodes/srl/srl.go`: `addDefaultConfig`,
//! `addOverlayCLIConfig`, `commitConfig`). Its default config sets every
//! broken-out endpoint's cage to 4x25G
//! (`nodes/srl/srl_default_config.go.tpl`); the lines here set the plan's
//! mode over it.
//!
//! Syntax of SR Linux 25.3 (the release of the pinned image), from Nokia's
//! SR Linux 25.3 Interfaces Guide: "Breakout ports"
//! (documentation.nokia.com/srlinux/25-3/books/interfaces/breakout-ports.html:
//! `interface ethernet-1/N breakout-mode` with `num-breakout-ports` and
//! `breakout-port-speed`, its ports named `ethernet-1/N/L`; a breakout
//! connector takes no `port-speed`) and "Interface port speed
//! configuration" (…/interface-port-speed-configuration.html:
//! `interface ethernet-1/N ethernet port-speed`, speeds written `25G`,
//! `100G`); containerlab's default config above writes breakout lines in
//! the same form.

use crate::design::ports::links_per_port;
use crate::model::Switch;
use crate::units::Gbps;
use std::collections::{BTreeMap, BTreeSet};

/// How the plan runs a cage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// At its native speed: nothing to set.
    Native,
    /// As one port below its native speed (`ethernet port-speed`).
    Speed(u64),
    /// Broken out into `lanes` ports of `speed` Gb/s (`breakout-mode`).
    Breakout { lanes: u32, speed: u64 },
}

/// One interface of a lab link: its cage, its lane on a broken-out cage,
/// and how the cage runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Iface {
    pub cage: u64,
    pub lane: Option<u64>,
    pub mode: Mode,
}

/// The numbers of a placement port name: `ethernet-1/N` or
/// `ethernet-1/N/L`.
fn port_numbers(port: &str) -> Option<(u64, Option<u64>)> {
    let rest = port.strip_prefix("ethernet-1/")?;
    let mut parts = rest.split('/');
    let cage = parts.next()?.parse().ok()?;
    let lane = parts.next().map(str::parse).transpose().ok()?;
    (parts.next().is_none() && cage >= 1 && lane.is_none_or(|l| l >= 1)).then_some((cage, lane))
}

/// An SR Linux speed name (`port-speed` and `breakout-port-speed` values).
fn speed_name(gbps: u64) -> String {
    format!("{gbps}G")
}

/// Port speeds SR Linux 25.3 names in whole Gb/s, and the breakouts its
/// platforms offer (the Breakout ports guide's table: 2, 4 or 8 ports of
/// 10G to 400G).
const PORT_SPEEDS: &[u64] = &[1, 10, 25, 40, 50, 100, 200, 400, 800];
const BREAKOUT_PORTS: &[u32] = &[2, 4, 8];
const BREAKOUT_SPEEDS: &[u64] = &[10, 25, 50, 100, 200, 400];

impl Iface {
    /// The interface a placement port of `switch` is, run at `speed_gbps`,
    /// by the rule placement named it with (`ports::links_per_port`: a
    /// port's widest breakout to the speed). A one-lane "breakout" is the
    /// cage run as one port at the lower speed (`ethernet-1/N` in SR
    /// Linux, at a `port-speed`).
    pub fn of(switch: &Switch, port: &str, speed_gbps: u64) -> Result<Iface, String> {
        let unknown = || format!("{}: no port {port} at {speed_gbps} Gb/s in its catalog entry", switch.id);
        let (cage, lane) = port_numbers(port).ok_or_else(unknown)?;
        let mut first = 1;
        let group = switch.ports.iter().filter(|g| !g.management).find(|g| {
            let found = (first..first + u64::from(g.count)).contains(&cage);
            first += u64::from(g.count);
            found
        });
        let group = group.ok_or_else(unknown)?;
        let mode = match (lane, links_per_port(group, Gbps(speed_gbps))) {
            (Some(_), Some((_, Some(b)))) if b.lanes == 1 => Mode::Speed(b.speed_gbps.0),
            (Some(_), Some((_, Some(b)))) => Mode::Breakout { lanes: b.lanes, speed: b.speed_gbps.0 },
            (None, _) if speed_gbps == group.speed_gbps.0 => Mode::Native,
            (None, _) if speed_gbps < group.speed_gbps.0 => Mode::Speed(speed_gbps),
            _ => return Err(unknown()),
        };
        let lane = if matches!(mode, Mode::Breakout { .. }) { lane } else { None };
        let iface = Iface { cage, lane, mode };
        iface.check(switch)?;
        Ok(iface)
    }

    /// Refuses a speed or breakout SR Linux has no value for.
    fn check(&self, switch: &Switch) -> Result<(), String> {
        let ok = match self.mode {
            Mode::Native => true,
            Mode::Speed(s) => PORT_SPEEDS.contains(&s),
            Mode::Breakout { lanes, speed } => {
                BREAKOUT_PORTS.contains(&lanes) && BREAKOUT_SPEEDS.contains(&speed)
            }
        };
        if ok {
            return Ok(());
        }
        Err(format!(
            "{}: the plan runs {} as {:?}, which SR Linux cannot be configured for\n  hint: SR Linux port speeds are {}, breakouts 2, 4 or 8 ports of 10G to 400G; fix the switch's ports in the catalog",
            switch.id,
            self.srl_name(),
            self.mode,
            PORT_SPEEDS.iter().map(|&s| speed_name(s)).collect::<Vec<_>>().join(", ")
        ))
    }

    /// The SR Linux interface name: `ethernet-1/N`, a breakout port
    /// `ethernet-1/N/L`.
    pub fn srl_name(&self) -> String {
        match self.lane {
            Some(l) => format!("ethernet-1/{}/{l}", self.cage),
            None => format!("ethernet-1/{}", self.cage),
        }
    }

    /// The interface as a containerlab endpoint names it: `e1-N`, `e1-N-L`.
    pub fn clab_name(&self) -> String {
        match self.lane {
            Some(l) => format!("e1-{}-{l}", self.cage),
            None => format!("e1-{}", self.cage),
        }
    }
}

/// The startup config of a node whose lab links use `ifaces`: per cage in
/// port order, the cage enabled, its breakout mode or port speed when it
/// does not run natively, then its breakout ports in use enabled. Empty
/// when the node has no link.
pub(super) fn startup_config(ifaces: &[Iface]) -> Result<String, String> {
    let mut cages: BTreeMap<u64, (Mode, BTreeSet<u64>)> = BTreeMap::new();
    for i in ifaces {
        let (mode, lanes) = cages.entry(i.cage).or_insert((i.mode, BTreeSet::new()));
        if *mode != i.mode {
            return Err(format!("ethernet-1/{} is run as {mode:?} and as {:?}", i.cage, i.mode));
        }
        lanes.extend(i.lane);
    }
    let mut out = String::new();
    for (cage, (mode, lanes)) in &cages {
        let base = format!("set / interface ethernet-1/{cage}");
        out.push_str(&format!("{base} admin-state enable\n"));
        match *mode {
            Mode::Native => {}
            Mode::Speed(s) => out.push_str(&format!("{base} ethernet port-speed {}\n", speed_name(s))),
            Mode::Breakout { lanes: n, speed } => out.push_str(&format!(
                "{base} breakout-mode num-breakout-ports {n} breakout-port-speed {}\n",
                speed_name(speed)
            )),
        }
        for lane in lanes {
            out.push_str(&format!("{base}/{lane} admin-state enable\n"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Breakout, FormFactor, PortGroup};

    fn switch(groups: Vec<PortGroup>) -> Switch {
        use crate::load::{self, Source};
        let catalog = load::load_catalog(&Source::embedded_catalog()).expect("embedded catalog").value;
        let mut s = catalog.switch("ixr-d2l").expect("a switch").clone();
        s.ports = groups;
        s
    }

    fn group(count: u32, speed: u64, breakouts: &[(u32, u64)], management: bool) -> PortGroup {
        PortGroup {
            count,
            speed_gbps: Gbps(speed),
            form_factor: FormFactor::QsfpDd,
            breakouts: breakouts.iter().map(|&(lanes, s)| Breakout { lanes, speed_gbps: Gbps(s) }).collect(),
            management,
            coherent_max_module_w: None,
        }
    }

    #[test]
    fn interfaces_by_the_placement_rule() {
        // A management port first (not numbered), 4 x 100G, then 4 x 400G
        // that break out to 4x100G, 2x200G or run as one 100G port.
        let sw = switch(vec![
            group(1, 1, &[], true),
            group(4, 100, &[], false),
            group(4, 400, &[(4, 100), (2, 200), (1, 40)], false),
        ]);
        let of = |port: &str, speed: u64| Iface::of(&sw, port, speed);
        assert_eq!(of("ethernet-1/2", 100).unwrap(), Iface { cage: 2, lane: None, mode: Mode::Native });
        let four = Iface { cage: 6, lane: Some(3), mode: Mode::Breakout { lanes: 4, speed: 100 } };
        assert_eq!(of("ethernet-1/6/3", 100).unwrap(), four);
        assert_eq!(four.clab_name(), "e1-6-3");
        assert_eq!(four.srl_name(), "ethernet-1/6/3");
        assert_eq!(of("ethernet-1/7/2", 200).unwrap().mode, Mode::Breakout { lanes: 2, speed: 200 });
        let one = of("ethernet-1/8/1", 40).unwrap();
        assert_eq!(one, Iface { cage: 8, lane: None, mode: Mode::Speed(40) });
        assert_eq!(one.clab_name(), "e1-8");
        assert_eq!(of("ethernet-1/5", 100).unwrap().mode, Mode::Speed(100));
        // Nothing the switch has: an error, never a panic.
        for (port, speed) in
            [("ethernet-1/9", 400), ("ethernet-1/0", 100), ("ethernet-1/6/1", 25), ("eth0", 1)]
        {
            assert!(of(port, speed).is_err(), "{port}");
        }
        assert!(of("ethernet-1/2/1", 100).is_err(), "a native port has no lanes");
    }

    #[test]
    fn speeds_sr_linux_has_no_value_for_are_refused() {
        let sw = switch(vec![group(2, 400, &[(3, 100), (4, 30)], false)]);
        let e = Iface::of(&sw, "ethernet-1/1/1", 100).unwrap_err();
        assert!(e.contains("hint:"), "{e}");
        assert!(Iface::of(&sw, "ethernet-1/1", 300).is_err());
    }

    #[test]
    fn one_config_line_set_per_cage_in_port_order() {
        let b = Mode::Breakout { lanes: 4, speed: 100 };
        let ifaces = [
            Iface { cage: 10, lane: Some(2), mode: b },
            Iface { cage: 2, lane: None, mode: Mode::Native },
            Iface { cage: 10, lane: Some(1), mode: b },
            Iface { cage: 3, lane: None, mode: Mode::Speed(25) },
        ];
        assert_eq!(
            startup_config(&ifaces).unwrap(),
            "set / interface ethernet-1/2 admin-state enable\n\
             set / interface ethernet-1/3 admin-state enable\n\
             set / interface ethernet-1/3 ethernet port-speed 25G\n\
             set / interface ethernet-1/10 admin-state enable\n\
             set / interface ethernet-1/10 breakout-mode num-breakout-ports 4 breakout-port-speed 100G\n\
             set / interface ethernet-1/10/1 admin-state enable\n\
             set / interface ethernet-1/10/2 admin-state enable\n"
        );
        assert_eq!(startup_config(&[]).unwrap(), "");
        let clash =
            [ifaces[0], Iface { cage: 10, lane: Some(3), mode: Mode::Breakout { lanes: 2, speed: 200 } }];
        assert!(startup_config(&clash).is_err());
    }
}
