//! Where everything goes: rows, racks and rack units for every switch, and
//! a port on each side of every fabric link, so that the plan can become a
//! cable run list and a lab topology.
//!
//! Conventions (stated once): server racks stand in rows of
//! [`RACKS_PER_ROW`]; a rack's leaves sit at the top (RU 42 down); spines
//! and superspines fill network racks from RU 1 up, spines pod by pod,
//! superspines plane by plane, each tier from a rack of its own, as many a
//! rack as its space and the rack budget allow
//! ([`switches_per_network_rack`], the rule the plan's rack count uses, so
//! the plan, the cable list, NetBox and the report agree); border leaves
//! stand in racks of their own in the interconnect's row, by the same rule. Ports are numbered
//! `ethernet-1/N` in front-panel order over the data-port groups (SR Linux
//! naming), a broken-out port's lanes `ethernet-1/N/L`; down links take the
//! first ports, uplinks the next.

mod interconnect;

pub use interconnect::{interconnect_equipment, Equipment};

use super::fabric::{FabricDesign, Tier};
pub use super::lab::{lab_scope, LabScope};
use super::media::{self, End, LinkClass};
use super::ports::PortUse;
use super::wiring::{self, Kind};
use crate::analyse::racks::switches_per_network_rack;
use crate::model::{Catalog, FabricRole, Switch};
use serde::Serialize;

/// Server racks in a row.
pub const RACKS_PER_ROW: u64 = 20;

/// The network racks filled so far: the current rack's number and how
/// many switches it holds.
#[derive(Default)]
struct NetRacks {
    rack: u64,
    used: u64,
}

impl NetRacks {
    /// The rack and position of the next switch of a tier whose racks
    /// hold `per_rack`.
    fn slot(&mut self, per_rack: u64) -> (u64, u64) {
        if self.used >= per_rack.max(1) {
            self.rack += 1;
            self.used = 0;
        }
        self.used += 1;
        (self.rack, self.used - 1)
    }

    /// Places switch `name` of `tier` in the next network rack slot: each
    /// tier from a rack of its own, as many a rack as fit its space and the
    /// rack budget (the rule the plan's rack count uses).
    fn put(
        &mut self,
        design: &FabricDesign,
        tier: &Tier,
        name: String,
        role: FabricRole,
        placed: &mut Vec<Placed>,
    ) {
        let (rack, pos) = self.slot(switches_per_network_rack(design, tier));
        let site = &design.site;
        placed.push(Placed {
            name,
            role,
            model: tier.model.clone(),
            switch_id: tier.switch_id.clone(),
            row: format!("{site}-network"),
            rack: format!("{site}-net-{rack:02}"),
            ru: (1.0 + pos as f64 * tier.rack_units.max(1.0)) as u32,
        });
    }

    /// The next tier starts in a rack of its own.
    fn new_tier(&mut self) {
        if self.used > 0 {
            self.rack += 1;
            self.used = 0;
        }
    }
}

/// A switch placed in a rack.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placed {
    pub name: String,
    pub role: FabricRole,
    pub model: String,
    pub switch_id: String,
    pub row: String,
    pub rack: String,
    /// Lowest rack unit the switch occupies.
    pub ru: u32,
}

/// The name a placed switch or a server goes by in every export (the cable
/// run list, NetBox, containerlab), so that a label printed from one
/// matches the others: the site's slug in front, dots as dashes
/// (`bj-yizhuang-dc1-spine-0-3`; a host name of letters, digits and `-`).
pub fn device_name(site: &str, name: &str) -> String {
    device_name_in(&crate::text::slug(site), name)
}

/// [`device_name`] with the site's slug worked out once (the exports name
/// every device of a site).
pub fn device_name_in(site_slug: &str, name: &str) -> String {
    let mut out = String::with_capacity(site_slug.len() + name.len() + 1);
    if !site_slug.is_empty() {
        out.push_str(site_slug);
        out.push('-');
    }
    out.extend(name.chars().map(|c| if c == '.' { '-' } else { c }));
    out
}

/// One cable run: a link between two ports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub class: &'static str,
    pub a_device: String,
    pub a_port: String,
    pub b_device: String,
    pub b_port: String,
    pub speed_gbps: u64,
    /// The design's link group (index in `links`) this run belongs to, and
    /// the groups whose module sits in the port at each end: a broken-out
    /// port holds the module of the group of its first lane.
    pub group: usize,
    pub a_group: usize,
    pub b_group: usize,
    /// The module at the A end when no link group carries it (then `group`
    /// is [`NO_GROUP`]): the interconnect's coherent pluggable in a fabric
    /// switch's own port, which the BOM buys with the interconnect.
    pub a_module: Option<String>,
}

/// The `group` of a run that belongs to no link group of the fabric.
pub const NO_GROUP: usize = usize::MAX;

/// The class of the run from a coherent pluggable in a fabric switch's
/// port to the site's DWDM line system.
pub const COHERENT_LINE: &str = "coherent-line";

/// Which link group each link of one class belongs to, by the wiring.
struct Groups<'a> {
    design: &'a FabricDesign,
    class: LinkClass,
    a: Vec<Kind>,
    b: Vec<Kind>,
    m: u64,
}

impl Groups<'_> {
    fn lookup(&self, a_no: u64, b_no: u64) -> usize {
        let end = |kinds: &[Kind], n: u64| wiring::locate(kinds, n).map(|(i, _)| kinds[i].end);
        let (ea, eb) = (end(&self.a, a_no), end(&self.b, b_no));
        self.design
            .links
            .iter()
            .position(|g| g.class == self.class && Some(g.a_end) == ea && Some(g.b_end) == eb)
            .unwrap_or(0)
    }

    /// The run's group and the groups of the modules at its ends, for the
    /// `r`-th link between upper switch `x` and lower switch `y` of a block.
    fn of(&self, x: u64, y: u64, r: u64) -> (usize, usize, usize) {
        let m = self.m.max(1);
        let (a_no, b_no) = (y * m + r, x * m + r);
        let ha = wiring::port_head(&self.a, a_no);
        let hb = wiring::port_head(&self.b, b_no);
        (self.lookup(a_no, b_no), self.lookup(ha, x * m + ha % m), self.lookup(y * m + hb % m, hb))
    }
}

/// Hands out the ports of one switch in front-panel order.
#[derive(Clone)]
struct Ports {
    /// First port number of each group (data groups only), and ports taken so far in it.
    base: Vec<u64>,
    taken: Vec<u64>,
}

impl Ports {
    fn new(switch: &Switch) -> Ports {
        let mut base = Vec::new();
        let mut next = 1;
        for g in &switch.ports {
            base.push(next);
            if !g.management {
                next += u64::from(g.count);
            }
        }
        Ports { base, taken: vec![0; switch.ports.len()] }
    }

    /// The names of `links` links placed on `uses`, in order.
    fn take(&mut self, uses: &[PortUse], links: u64) -> Vec<String> {
        let mut out = Vec::new();
        for u in uses {
            for _ in 0..u.ports {
                if out.len() as u64 >= links {
                    return out;
                }
                let port = self.base[u.group] + self.taken[u.group];
                self.taken[u.group] += 1;
                if u.breakout.is_some() {
                    for lane in 1..=u.links_per_port {
                        if (out.len() as u64) < links {
                            out.push(format!("ethernet-1/{port}/{lane}"));
                        }
                    }
                } else {
                    out.push(format!("ethernet-1/{port}"));
                }
            }
        }
        out
    }
}

/// Places a site's switches and names both ends of every switch-to-switch
/// and server link. `max_leaves` keeps a lab of the first leaves only
/// ([`LabScope`] states what else it keeps).
pub fn place(design: &FabricDesign, catalog: &Catalog, max_leaves: Option<u64>) -> (Vec<Placed>, Vec<Run>) {
    let mut placed = Vec::new();
    let mut runs = Vec::new();
    let site = &design.site;
    let switch = |id: &str| catalog.switch(id);
    let (Some(leaf_sw), Some(spine_sw)) = (switch(&design.leaf.switch_id), switch(&design.spine.switch_id))
    else {
        return (placed, runs);
    };
    let ss_sw = design.superspine.as_ref().and_then(|t| switch(&t.switch_id));
    let lab = lab_scope(design, max_leaves);
    let (n_leaves, pods_used) = (lab.leaves, lab.pods);
    let l = design.leaves_per_rack.max(1);

    // Leaves in the server racks. Every leaf's ports are named alike:
    // server links on the first, uplinks on the next.
    let mut ports = Ports::new(leaf_sw);
    let leaf_down = ports.take(&design.leaf.down_uses, design.leaf.down_links);
    let leaf_up = ports.take(&design.leaf.up_uses, design.leaf.up_links);
    let nic = End {
        cage: media::nic_form_factor(design.server_speed_gbps),
        port_speed: design.server_speed_gbps,
        breakout: None,
    };
    let servers = Groups {
        design,
        class: LinkClass::ServerLeaf,
        a: wiring::kinds(leaf_sw, &design.leaf.down_uses),
        b: wiring::nic_kinds(nic),
        m: 1,
    };
    let nics = (design.server_ports / design.servers.max(1)).max(1);
    for i in 0..n_leaves {
        let rack_no = i / l;
        let row = rack_no / RACKS_PER_ROW;
        placed.push(Placed {
            name: format!("leaf-{i}"),
            role: FabricRole::Leaf,
            model: design.leaf.model.clone(),
            switch_id: design.leaf.switch_id.clone(),
            row: format!("{site}-row-{row:02}"),
            rack: format!("{site}-r{row:02}-{:02}", rack_no % RACKS_PER_ROW),
            ru: (42.0 - (i % l) as f64 * leaf_sw.rack_units.max(1.0)) as u32,
        });
        // The rack's NIC ports, NIC by NIC, spread evenly over its leaves
        // (`design::servers`, as `fabric::server_blocks` counts them).
        let in_rack = design
            .servers
            .saturating_sub(rack_no * design.servers_per_rack)
            .min(design.servers_per_rack)
            .max(1);
        let (start, share) = crate::design::servers::port_range(in_rack * nics, l, i % l);
        for (k, p) in leaf_down.iter().take(share as usize).enumerate() {
            let port_no = start + k as u64;
            let (group, a_group, b_group) = servers.of(0, k as u64, 0);
            runs.push(Run {
                class: "server-leaf",
                a_device: format!("leaf-{i}"),
                a_port: p.clone(),
                b_device: server_name(rack_no, port_no % in_rack),
                b_port: format!("nic-{}", port_no / in_rack),
                speed_gbps: design.server_speed_gbps.0,
                group,
                a_group,
                b_group,
                a_module: None,
            });
        }
    }

    // Spines, pod by pod, and superspines, plane by plane, in network
    // racks (`NetRacks::put`).
    let mut n_net = NetRacks::default();
    let m = design.leaf.links_per_peer_up.max(1);
    let mut ports = Ports::new(spine_sw);
    let spine_down = ports.take(&design.spine.down_uses, design.spine.down_links);
    let spine_up = ports.take(&design.spine.up_uses, design.spine.up_links);
    let leaf_spine = Groups {
        design,
        class: LinkClass::LeafSpine,
        a: wiring::kinds(spine_sw, &design.spine.down_uses),
        b: wiring::kinds(leaf_sw, &design.leaf.up_uses),
        m,
    };
    for pod in 0..pods_used {
        for j in 0..design.spines_per_pod {
            n_net.put(design, &design.spine, format!("spine-{pod}.{j}"), FabricRole::Spine, &mut placed);
            let first_leaf = pod * design.leaves_per_pod;
            for (k, p) in spine_down.iter().enumerate() {
                let (y, r) = (k as u64 / m, k as u64 % m);
                let leaf = first_leaf + y;
                if leaf >= n_leaves || y >= design.leaves_per_pod {
                    break;
                }
                let (group, a_group, b_group) = leaf_spine.of(j, y, r);
                runs.push(Run {
                    class: "leaf-spine",
                    a_device: format!("spine-{pod}.{j}"),
                    a_port: p.clone(),
                    b_device: format!("leaf-{leaf}"),
                    b_port: leaf_up[(j * m + r) as usize].clone(),
                    speed_gbps: design.leaf.up_speed_gbps.0,
                    group,
                    a_group,
                    b_group,
                    a_module: None,
                });
            }
        }
    }
    if design.superspine.is_none() {
        let names: Vec<String> = (0..design.spines_per_pod).map(|j| format!("spine-0.{j}")).collect();
        let kept = vec![pods_used > 0; names.len()];
        let top = Top { sw: spine_sw, tier: &design.spine, names: &names, kept: &kept };
        top_hand_off(design, catalog, &top, &mut ports, &mut placed, &mut runs);
    }
    if let (Some(ss), Some(tier)) = (ss_sw, design.superspine.as_ref()) {
        let below = Below { spine_sw, spine_up: &spine_up, lab };
        superspines(design, catalog, (ss, tier), &below, &mut n_net, &mut placed, &mut runs);
    }
    (placed, runs)
}

/// What the superspine tier joins: the spines' model and uplink port
/// names, and what the lab keeps.
struct Below<'a> {
    spine_sw: &'a Switch,
    spine_up: &'a [String],
    lab: LabScope,
}

/// The superspines, plane by plane (those of [`LabScope`]), their hand-off
/// and their links to the spines of the pods kept.
fn superspines(
    design: &FabricDesign,
    catalog: &Catalog,
    (ss, tier): (&Switch, &Tier),
    below: &Below<'_>,
    n_net: &mut NetRacks,
    placed: &mut Vec<Placed>,
    runs: &mut Vec<Run>,
) {
    let m2 = design.spine.links_per_peer_up.max(1);
    let mut ports = Ports::new(ss);
    let ss_down = ports.take(&tier.down_uses, tier.down_links);
    let per_plane = design.superspines_per_plane;
    let names: Vec<String> = (0..design.spines_per_pod)
        .flat_map(|plane| (0..per_plane).map(move |x| format!("superspine-{plane}.{x}")))
        .collect();
    let keep = below.lab.superspines_per_plane;
    let kept: Vec<bool> = (0..names.len() as u64).map(|i| i % per_plane.max(1) < keep).collect();
    let top = Top { sw: ss, tier, names: &names, kept: &kept };
    top_hand_off(design, catalog, &top, &mut ports.clone(), placed, runs);
    let spine_ss = Groups {
        design,
        class: LinkClass::SpineSuperspine,
        a: wiring::kinds(ss, &tier.down_uses),
        b: wiring::kinds(below.spine_sw, &design.spine.up_uses),
        m: m2,
    };
    n_net.new_tier();
    for plane in 0..design.spines_per_pod {
        for x in 0..keep {
            let name = format!("superspine-{plane}.{x}");
            n_net.put(design, tier, name.clone(), FabricRole::Superspine, placed);
            for (q, p) in ss_down.iter().enumerate() {
                let (pod, r) = (q as u64 / m2, q as u64 % m2);
                if pod >= below.lab.pods {
                    break;
                }
                let (group, a_group, b_group) = spine_ss.of(x, pod, r);
                runs.push(Run {
                    class: "spine-superspine",
                    a_device: name.clone(),
                    a_port: p.clone(),
                    b_device: format!("spine-{pod}.{plane}"),
                    b_port: below.spine_up[(x * m2 + r) as usize].clone(),
                    speed_gbps: design.spine.up_speed_gbps.0,
                    group,
                    a_group,
                    b_group,
                    a_module: None,
                });
            }
        }
    }
}

/// The top tier of a design: its model, tier and switch names (in the
/// order the fabric spreads links over them).
struct Top<'a> {
    sw: &'a Switch,
    tier: &'a Tier,
    names: &'a [String],
    /// Which of `names` the lab keeps (all of them for a whole site).
    kept: &'a [bool],
}

/// The hand-off at the top tier `top` (whose fabric ports `ports` has
/// already named): on its own ports, or on border leaves.
fn top_hand_off(
    design: &FabricDesign,
    catalog: &Catalog,
    top: &Top<'_>,
    ports: &mut Ports,
    placed: &mut Vec<Placed>,
    runs: &mut Vec<Run>,
) {
    // A lab without a top switch has no border leaf either: nothing it
    // would join.
    if !top.kept.contains(&true) {
        return;
    }
    match (&design.border_leaf, design.border_leaf.as_ref().and_then(|b| catalog.switch(&b.switch_id))) {
        (Some(b), Some(bsw)) => border_runs(design, bsw, b, top, ports, placed, runs),
        _ => hand_off_runs(design, top, ports, runs),
    }
}

/// Border leaves in the interconnect's racks (`<site>-border-NN`, in the
/// interconnect's row, from RU 1 up): their hand-off runs to the equipment,
/// then their uplinks, `m` to every top switch on the ports each top switch
/// set aside for them (after its fabric ports), by the wiring of one block
/// of the top switches over the border leaves.
fn border_runs(
    design: &FabricDesign,
    bsw: &Switch,
    b: &Tier,
    top: &Top<'_>,
    top_ports: &mut Ports,
    placed: &mut Vec<Placed>,
    runs: &mut Vec<Run>,
) {
    let site = &design.site;
    let per_rack = switches_per_network_rack(design, b);
    let names: Vec<String> = (0..b.count).map(|i| format!("border-leaf-{i}")).collect();
    for (i, name) in names.iter().enumerate() {
        let i = i as u64;
        placed.push(Placed {
            name: name.clone(),
            role: FabricRole::BorderLeaf,
            model: b.model.clone(),
            switch_id: b.switch_id.clone(),
            row: format!("{site}-interconnect"),
            rack: format!("{site}-border-{:02}", i / per_rack),
            ru: (1.0 + (i % per_rack) as f64 * bsw.rack_units.max(1.0)) as u32,
        });
    }
    let mut ports = Ports::new(bsw);
    let all = vec![true; names.len()];
    hand_off_runs(design, &Top { sw: bsw, tier: b, names: &names, kept: &all }, &mut ports, runs);
    let up = ports.take(&b.up_uses, b.up_links);
    let reserved = top.tier.handoff_uses.first().map_or(&[][..], Vec::as_slice);
    let m = b.links_per_peer_up.max(1);
    let down = top_ports.take(reserved, b.count * m);
    let groups = Groups {
        design,
        class: LinkClass::BorderUplink,
        a: wiring::kinds(top.sw, reserved),
        b: wiring::kinds(bsw, &b.up_uses),
        m,
    };
    for (x, top_name) in top.names.iter().enumerate().filter(|&(x, _)| top.kept[x]) {
        let x = x as u64;
        for (y, name) in names.iter().enumerate() {
            let y = y as u64;
            for r in 0..m {
                let (group, a_group, b_group) = groups.of(x, y, r);
                runs.push(Run {
                    class: "border-uplink",
                    a_device: top_name.clone(),
                    a_port: down[(y * m + r) as usize].clone(),
                    b_device: name.clone(),
                    b_port: up[(x * m + r) as usize].clone(),
                    speed_gbps: b.up_speed_gbps.0,
                    group,
                    a_group,
                    b_group,
                    a_module: None,
                });
            }
        }
    }
}

/// The hand-off runs of the top tier `top` (its switches in the order the
/// fabric spreads the links: the first `L mod n` carry one more), on the
/// ports set aside for each need, after the tier's fabric ports, for the
/// switches kept. The far end is the interconnect equipment of the need,
/// `handoff-<need>`, port by port over the site.
fn hand_off_runs(design: &FabricDesign, top: &Top<'_>, ports: &mut Ports, runs: &mut Vec<Run>) {
    let (sw, tier, names) = (top.sw, top.tier, top.names);
    let n = names.len() as u64;
    let taken: Vec<Vec<String>> = tier
        .handoff_uses
        .iter()
        .zip(&design.handoff)
        .map(|(uses, h)| ports.take(uses, h.links_per_switch))
        .collect();
    for (i, (h, uses)) in design.handoff.iter().zip(&tier.handoff_uses).enumerate() {
        if let Some(pluggable) = &h.pluggable {
            coherent_runs(h, pluggable, top, &taken[i], i, runs);
            continue;
        }
        let groups = Groups {
            design,
            class: LinkClass::HandOff,
            a: wiring::kinds(sw, uses),
            b: wiring::nic_kinds(End { cage: h.equipment_cage, port_speed: h.speed_gbps, breakout: None }),
            m: 1,
        };
        let (q, r) = (h.links / n.max(1), h.links % n.max(1));
        for (t, name) in names.iter().enumerate().filter(|&(t, _)| top.kept[t]) {
            let t = t as u64;
            let count = q + u64::from(t < r);
            let first = t * q + t.min(r);
            for (k, port) in taken[i].iter().take(count as usize).enumerate() {
                let (group, a_group, b_group) = groups.of(0, k as u64, 0);
                runs.push(Run {
                    class: "hand-off",
                    a_device: name.clone(),
                    a_port: port.clone(),
                    b_device: format!("handoff-{i}"),
                    b_port: format!("port-{}", first + k as u64),
                    speed_gbps: h.speed_gbps.0,
                    group,
                    a_group,
                    b_group,
                    a_module: None,
                });
            }
        }
    }
}

/// The line side of the coherent pluggables of hand-off need `need` (the
/// `fabric-zr` interconnect), one in each port the top tier `top` set
/// aside for it, switches in the fabric's order as for a hand-off: a run
/// from the switch's port, the pluggable its module, to the site's DWDM
/// line system, `dwdm-<need>`, port by port over the site. No link group
/// carries it (the BOM buys the pluggables with the interconnect and no
/// cord for the line side), so the run has none.
fn coherent_runs(
    h: &crate::design::fabric::HandOff,
    pluggable: &str,
    top: &Top<'_>,
    taken: &[String],
    need: usize,
    runs: &mut Vec<Run>,
) {
    let n = top.names.len() as u64;
    let (q, r) = (h.links / n.max(1), h.links % n.max(1));
    for (t, name) in top.names.iter().enumerate().filter(|&(t, _)| top.kept[t]) {
        let t = t as u64;
        let count = q + u64::from(t < r);
        let first = t * q + t.min(r);
        for (k, port) in taken.iter().take(count as usize).enumerate() {
            runs.push(Run {
                class: COHERENT_LINE,
                a_device: name.clone(),
                a_port: port.clone(),
                b_device: format!("dwdm-{need}"),
                b_port: format!("line-{}", first + k as u64),
                speed_gbps: h.speed_gbps.0,
                group: NO_GROUP,
                a_group: NO_GROUP,
                b_group: NO_GROUP,
                a_module: Some(pluggable.to_string()),
            });
        }
    }
}

/// The server in rack `rack` at position `slot` (0 the lowest), as the
/// runs name it.
fn server_name(rack: u64, slot: u64) -> String {
    format!("server-r{rack}-s{slot}")
}

/// The lowest RU of a run's server (`server-rR-sK`): servers stand from RU 1
/// up, `server_rack_units` each, below the rack's leaves (RU 42 down).
/// `None` when the design gives no server height or they would overlap.
pub fn server_ru(design: &FabricDesign, leaf_rack_units: f64, server: &str) -> Option<u32> {
    let units = u64::from(design.server_rack_units?);
    let slot: u64 = server.rsplit_once("-s")?.1.parse().ok()?;
    let leaves = (design.leaves_per_rack as f64 * leaf_rack_units.max(1.0)).ceil() as u64;
    let fits = design.servers_per_rack.saturating_mul(units).saturating_add(leaves) <= 42;
    (fits && slot < design.servers_per_rack).then(|| (1 + slot * units) as u32)
}
