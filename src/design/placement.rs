//! Where everything goes: rows, racks and rack units for every switch, and
//! a port on each side of every fabric link, so that the plan can become a
//! cable run list and a lab topology.
//!
//! Conventions (stated once): server racks stand in rows of
//! [`RACKS_PER_ROW`]; a rack's leaves sit at the top (RU 42 down); spines
//! and superspines fill network racks of [`NETWORK_RACK_UNITS`] from RU 1
//! up, spines pod by pod, superspines plane by plane. Ports are numbered
//! `ethernet-1/N` in front-panel order over the data-port groups (SR Linux
//! naming), a broken-out port's lanes `ethernet-1/N/L`; down links take the
//! first ports, uplinks the next.

use super::fabric::FabricDesign;
use super::ports::PortUse;
use crate::analyse::racks::NETWORK_RACK_UNITS;
use crate::model::{Catalog, FabricRole, Switch};
use serde::Serialize;

/// Server racks in a row.
pub const RACKS_PER_ROW: u64 = 20;

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

/// One cable run: a link between two ports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub class: &'static str,
    pub a_device: String,
    pub a_port: String,
    pub b_device: String,
    pub b_port: String,
    pub speed_gbps: u64,
}

/// Hands out the ports of one switch in front-panel order.
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
/// and server link. `max_leaves` keeps the first leaves only (a lab).
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
    let n_leaves = max_leaves.map_or(design.leaf.count, |m| m.min(design.leaf.count));
    let pods_used = n_leaves.div_ceil(design.leaves_per_pod.max(1));
    let l = design.leaves_per_rack.max(1);

    // Leaves in the server racks.
    // Uplink port names of every leaf (and spine), handed out in order.
    let mut leaf_up: Vec<std::collections::VecDeque<String>> = Vec::new();
    let nics = (design.server_ports / design.servers.max(1)).max(1);
    let per_leaf = (nics / l).max(1);
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
        let mut ports = Ports::new(leaf_sw);
        // Server links of the leaf (its share of the rack's servers).
        let names = ports.take(&design.leaf.down_uses, design.leaf.down_links);
        let j = i % l;
        for (k, p) in names.into_iter().enumerate() {
            let k = k as u64;
            runs.push(Run {
                class: "server-leaf",
                a_device: format!("leaf-{i}"),
                a_port: p,
                b_device: format!("server-r{rack_no}-s{}", k / per_leaf),
                b_port: format!("nic-{}", (j * per_leaf + k % per_leaf) % nics),
                speed_gbps: design.server_speed_gbps.0,
            });
        }
        leaf_up.push(ports.take(&design.leaf.up_uses, design.leaf.up_links).into());
    }

    // Spines, pod by pod, and superspines, plane by plane, in network racks.
    let net_slot = |name: String,
                    role: FabricRole,
                    model: &str,
                    id: &str,
                    ru: f64,
                    placed: &mut Vec<Placed>,
                    n: &mut u64| {
        let per_rack = (NETWORK_RACK_UNITS / ru.max(1.0)).floor().max(1.0) as u64;
        let rack = *n / per_rack;
        let pos = *n % per_rack;
        placed.push(Placed {
            name,
            role,
            model: model.to_string(),
            switch_id: id.to_string(),
            row: format!("{site}-network"),
            rack: format!("{site}-net-{rack:02}"),
            ru: (1.0 + pos as f64 * ru.max(1.0)) as u32,
        });
        *n += 1;
    };
    let mut n_net = 0u64;
    let m = design.leaf.links_per_peer_up.max(1);
    let mut spine_up: Vec<(u64, u64, std::collections::VecDeque<String>)> = Vec::new();
    for pod in 0..pods_used {
        for j in 0..design.spines_per_pod {
            net_slot(
                format!("spine-{pod}.{j}"),
                FabricRole::Spine,
                &design.spine.model,
                &design.spine.switch_id,
                spine_sw.rack_units,
                &mut placed,
                &mut n_net,
            );
            let mut ports = Ports::new(spine_sw);
            let down = ports.take(&design.spine.down_uses, design.spine.down_links);
            let first_leaf = pod * design.leaves_per_pod;
            for (k, p) in down.into_iter().enumerate() {
                let leaf = first_leaf + k as u64 / m;
                if leaf >= n_leaves || leaf >= first_leaf + design.leaves_per_pod {
                    break;
                }
                // Spines are visited in order, so a leaf's next uplinks go to this spine.
                let up = leaf_up[leaf as usize].pop_front().unwrap_or_default();
                runs.push(Run {
                    class: "leaf-spine",
                    a_device: format!("spine-{pod}.{j}"),
                    a_port: p,
                    b_device: format!("leaf-{leaf}"),
                    b_port: up,
                    speed_gbps: design.leaf.up_speed_gbps.0,
                });
            }
            spine_up.push((pod, j, ports.take(&design.spine.up_uses, design.spine.up_links).into()));
        }
    }
    if let (Some(ss), Some(tier)) = (ss_sw, design.superspine.as_ref()) {
        let m2 = design.spine.links_per_peer_up.max(1);
        for plane in 0..design.spines_per_pod {
            for k in 0..design.superspines_per_plane {
                let name = format!("superspine-{plane}.{k}");
                net_slot(
                    name.clone(),
                    FabricRole::Superspine,
                    &tier.model,
                    &tier.switch_id,
                    ss.rack_units,
                    &mut placed,
                    &mut n_net,
                );
                let mut ports = Ports::new(ss);
                let down = ports.take(&tier.down_uses, pods_used * m2);
                for (x, p) in down.into_iter().enumerate() {
                    let pod = x as u64 / m2;
                    let Some((_, _, sp)) = spine_up.iter_mut().find(|(pp, jj, _)| *pp == pod && *jj == plane)
                    else {
                        continue;
                    };
                    let up = sp.pop_front().unwrap_or_default();
                    runs.push(Run {
                        class: "spine-superspine",
                        a_device: name.clone(),
                        a_port: p,
                        b_device: format!("spine-{pod}.{plane}"),
                        b_port: up,
                        speed_gbps: design.spine.up_speed_gbps.0,
                    });
                }
            }
        }
    }
    (placed, runs)
}
