//! The switch-to-switch cables of one site as NetBox's cable import reads
//! them: type, length, a label and a colour on every cable, and a
//! broken-out port as one cable (NetBox's breakout profile, 1 connector of
//! N positions to N connectors) from the port to the ports of its lanes'
//! peers, as it is bought: one breakout cable or trunk, not N.

use super::{cage_of, TAG};
use crate::design::placement::Run;
use crate::render::csv;
use crate::render::export::{ends_off_fabric, Media};
use std::collections::BTreeMap;
use std::io::{self, Write};

pub(super) const COLUMNS: [&str; 14] = [
    "side_a_device",
    "side_a_type",
    "side_a_name",
    "side_b_device",
    "side_b_type",
    "side_b_name",
    "type",
    "profile",
    "status",
    "label",
    "color",
    "length",
    "length_unit",
    "tags",
];

/// NetBox's colour for a cable type: the jacket colours of TIA-598-C for
/// fibre (OS2 yellow, OM3/OM4 aqua), black for copper.
pub(crate) fn colour(cable_type: &str) -> &'static str {
    match cable_type {
        "smf-os2" => "ffeb3b",
        "mmf-om4" | "aoc" => "00ffff",
        "dac-passive" => "000000",
        _ => "",
    }
}

/// Whether a port is a broken-out lane (`ethernet-1/N/L`).
fn is_lane(port: &str) -> bool {
    port.matches('/').count() > 1
}

/// The lane number of a broken-out port (`ethernet-1/N/L` → L).
fn lane(port: &str) -> u32 {
    port.rsplit('/').next().and_then(|l| l.parse().ok()).unwrap_or(0)
}

/// One cable: its A end (a port), its B ends (ports, in lane order), and
/// the run it stands for (its group sets type and length).
pub(crate) struct Cable<'r> {
    a: (&'r str, String),
    b: Vec<(&'r str, String)>,
    run: &'r Run,
    lanes: usize,
}

/// The site's cables: a run between two whole ports is a cable; the runs
/// of one broken-out port (on either side) are one cable from that port.
/// Also, for each run, the index of its cable (none for a run off the
/// fabric), by which the cable run list labels it alike.
pub(crate) fn cables(runs: &[Run]) -> (Vec<Cable<'_>>, Vec<Option<usize>>) {
    let mut out: Vec<Cable<'_>> = Vec::new();
    let mut of_run = vec![None; runs.len()];
    // (device, cage) of a broken-out port → its cable in `out`.
    let mut open: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (i, r) in runs.iter().enumerate().filter(|(_, r)| !ends_off_fabric(r)) {
        let (a_lane, b_lane) = (is_lane(&r.a_port), is_lane(&r.b_port));
        // The broken-out side is the cable's A end; B is the peer.
        let (hub, hub_port, peer, peer_port) = match (a_lane, b_lane) {
            (false, true) => (&r.b_device, &r.b_port, &r.a_device, &r.a_port),
            _ => (&r.a_device, &r.a_port, &r.b_device, &r.b_port),
        };
        if !(a_lane || b_lane) {
            out.push(Cable {
                a: (hub, hub_port.clone()),
                b: vec![(peer, peer_port.clone())],
                run: r,
                lanes: 1,
            });
            of_run[i] = Some(out.len() - 1);
            continue;
        }
        let cage = cage_of(hub_port);
        let peer_port = if is_lane(peer_port) { cage_of(peer_port) } else { peer_port.as_str() };
        let at = *open.entry((hub.as_str(), cage)).or_insert_with(|| {
            out.push(Cable { a: (hub, cage.to_string()), b: Vec::new(), run: r, lanes: 0 });
            out.len() - 1
        });
        of_run[i] = Some(at);
        let cable = &mut out[at];
        let end = (peer.as_str(), peer_port.to_string());
        if !cable.b.contains(&end) {
            cable.b.push(end);
        }
        cable.lanes = cable.lanes.max(lane(hub_port) as usize);
    }
    (out, of_run)
}

/// The label of a site's cable number `n` (from 0), on the cable in NetBox
/// and in the cable run list: `<site slug, at most 40>-c00001`; `prefix`
/// is [`label_prefix`] of the site.
pub(crate) fn label(prefix: &str, series: char, n: usize) -> String {
    format!("{prefix}-{series}{:05}", n + 1)
}

/// The part of a site's cable labels before the number.
pub(crate) fn label_prefix(site: &str) -> String {
    crate::text::slug(site).chars().take(40).collect()
}

/// NetBox's profile for a cable from one port to `ends` ports over `lanes` lanes.
fn profile(lanes: usize, ends: usize) -> String {
    match (lanes, ends) {
        (_, 1) => String::new(),
        (l, _) => format!("breakout-1c{l}p-{l}c1p"),
    }
}

/// Writes the site's cables. `device` gives a placed switch's NetBox name;
/// `channelized`, whether its device type channelizes its broken-out
/// cages (then such a port's cable has the breakout profile; else it is a
/// plain cable from the port to its peers, which NetBox accepts but cannot
/// trace lane by lane).
pub(super) fn write<W: Write>(
    w: &mut csv::Writer<W>,
    site: &str,
    runs: &[Run],
    media: &[Media],
    cable_types: &[&str],
    device: &dyn Fn(&str) -> String,
    channelized: &dyn Fn(&str) -> bool,
) -> io::Result<()> {
    let prefix = label_prefix(site);
    for (n, c) in cables(runs).0.iter().enumerate() {
        let kind = cable_types.get(c.run.group).copied().unwrap_or("");
        let length = media.get(c.run.group).map_or("", |m| m.length.as_str());
        let b_devices: Vec<String> = c.b.iter().map(|(d, _)| device(d)).collect();
        let b_names: Vec<&str> = c.b.iter().map(|(_, p)| p.as_str()).collect();
        w.row([
            device(c.a.0).as_str(),
            "dcim.interface",
            &c.a.1,
            &b_devices.join(","),
            "dcim.interface",
            &b_names.join(","),
            kind,
            &if channelized(c.a.0) { profile(c.lanes, c.b.len()) } else { String::new() },
            "planned",
            &label(&prefix, 'c', n),
            colour(kind),
            length,
            "m",
            TAG,
        ])?;
    }
    Ok(())
}
