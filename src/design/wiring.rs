//! The wiring of a fabric, stated once: which port (and lane) of which
//! switch each link uses. The quantities the BOM orders and the cable plan
//! the exports list both come from here, so an optic is bought for every
//! port end a cable reaches, and for no other.
//!
//! Links of one class join identical switches in blocks: a pod for
//! leaf-spine, a plane for spine-superspine, a leaf and its servers for
//! server-leaf. In a block of `a` upper and `b` lower switches with `m`
//! links between each pair, the `r`-th link between upper switch `x` and
//! lower switch `y` is link number `y·m + r` of `x` and link number
//! `x·m + r` of `y`. A switch numbers its links over its port uses in
//! order, port by port and lane by lane.
//!
//! A broken-out port is one module whatever its lanes reach: it is counted
//! once, in the group of the link on its first lane, and the exports give
//! every lane of it that group's module.

use super::media::End;
use super::ports::PortUse;
use crate::model::Switch;
use std::collections::BTreeMap;

/// Consecutive link numbers of a switch on one kind of port.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Kind {
    pub end: End,
    /// First link number on these ports.
    pub first: u64,
    /// Link numbers in the range (ports × lanes).
    pub links: u64,
    /// Links one port carries.
    pub lanes: u64,
}

/// The kinds of port a switch's links run on, by link number.
pub fn kinds(switch: &Switch, uses: &[PortUse]) -> Vec<Kind> {
    let mut first = 0;
    uses.iter()
        .filter(|u| u.ports > 0)
        .map(|u| {
            let g = &switch.ports[u.group];
            let kind = Kind {
                end: End { cage: g.form_factor, port_speed: g.speed_gbps, breakout: u.breakout },
                first,
                links: u.ports * u.links_per_port,
                lanes: u.links_per_port.max(1),
            };
            first += kind.links;
            kind
        })
        .collect()
}

/// A server NIC: one port per link, as many as asked.
pub fn nic_kinds(end: End) -> Vec<Kind> {
    vec![Kind { end, first: 0, links: u64::MAX, lanes: 1 }]
}

/// The kind link number `n` runs on, and whether it is its port's first lane.
pub fn locate(kinds: &[Kind], n: u64) -> Option<(usize, bool)> {
    kinds
        .iter()
        .position(|k| n >= k.first && n - k.first < k.links)
        .map(|i| (i, (n - kinds[i].first) % kinds[i].lanes == 0))
}

/// The link number that holds the first lane of the port of link number `n`.
pub fn port_head(kinds: &[Kind], n: u64) -> u64 {
    match locate(kinds, n) {
        Some((i, _)) => {
            let k = &kinds[i];
            k.first + (n - k.first) / k.lanes * k.lanes
        }
        None => n,
    }
}

/// `copies` identical blocks of `a` upper and `b` lower switches, `m` links
/// between each pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub a: u64,
    pub b: u64,
    pub m: u64,
    pub copies: u64,
}

/// What the links of one pair of port kinds add up to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub links: u64,
    /// Ports whose first lane carries a link of this pair, on each side.
    pub a_ports: u64,
    pub b_ports: u64,
    /// Links of this pair on one upper switch → upper switches with that many.
    pub a_spread: BTreeMap<u64, u64>,
}

/// Lower switches `y` in `0..b` whose link `y·m + r` falls in `kind`, and
/// how many of those are the first lane of their port.
fn count_in(kind: &Kind, b: u64, m: u64, r: u64) -> (u64, u64) {
    let lo = kind.first.saturating_sub(r).div_ceil(m);
    let hi = (kind.first.saturating_add(kind.links).saturating_sub(r)).div_ceil(m).min(b);
    if hi <= lo {
        return (0, 0);
    }
    if kind.lanes == 1 {
        return (hi - lo, hi - lo);
    }
    // Whether y·m + r is a first lane repeats with period `lanes` in y.
    let mut heads = 0;
    for y in lo..hi.min(lo + kind.lanes) {
        if (y * m + r - kind.first) % kind.lanes == 0 {
            heads += (hi - 1 - y) / kind.lanes + 1;
        }
    }
    (hi - lo, heads)
}

/// Tallies every link of the blocks by the pair of port kinds it joins:
/// (upper kind, lower kind) → tally. Fails when a switch has fewer links
/// than the blocks ask of it.
pub fn tally(
    a_kinds: &[Kind],
    b_kinds: &[Kind],
    blocks: &[Block],
) -> Result<BTreeMap<(usize, usize), Tally>, String> {
    let capacity = |kinds: &[Kind]| kinds.iter().map(|k| k.links).fold(0u64, u64::saturating_add);
    let mut out: BTreeMap<(usize, usize), Tally> = BTreeMap::new();
    for blk in blocks.iter().filter(|k| k.a > 0 && k.b > 0 && k.m > 0 && k.copies > 0) {
        if blk.b * blk.m > capacity(a_kinds) || blk.a * blk.m > capacity(b_kinds) {
            return Err(format!(
                "{} × {} links per pair need more ports than the switches have",
                blk.a * blk.b,
                blk.m
            ));
        }
        for x in 0..blk.a {
            let mut on_x: BTreeMap<(usize, usize), u64> = BTreeMap::new();
            for r in 0..blk.m {
                let (kb, b_head) =
                    locate(b_kinds, x * blk.m + r).ok_or("a lower switch has too few ports")?;
                for (ka, kind) in a_kinds.iter().enumerate() {
                    let (n, heads) = count_in(kind, blk.b, blk.m, r);
                    if n == 0 {
                        continue;
                    }
                    let t = out.entry((ka, kb)).or_default();
                    t.links += n * blk.copies;
                    t.a_ports += heads * blk.copies;
                    if b_head {
                        t.b_ports += n * blk.copies;
                    }
                    *on_x.entry((ka, kb)).or_default() += n;
                }
            }
            for (key, n) in on_x {
                *out.entry(key).or_default().a_spread.entry(n).or_default() += blk.copies;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Breakout, FormFactor};
    use crate::units::Gbps;

    fn kind(first: u64, ports: u64, lanes: u64) -> Kind {
        let breakout = (lanes > 1).then_some(Breakout { lanes: lanes as u32, speed_gbps: Gbps(100) });
        Kind {
            end: End { cage: FormFactor::QsfpDd, port_speed: Gbps(100 * lanes), breakout },
            first,
            links: ports * lanes,
            lanes,
        }
    }

    /// Every link walked one by one: the reference the closed form must match.
    fn brute(a: &[Kind], b: &[Kind], blk: Block) -> BTreeMap<(usize, usize), Tally> {
        let mut out: BTreeMap<(usize, usize), Tally> = BTreeMap::new();
        let mut a_seen = std::collections::BTreeSet::new();
        let mut b_seen = std::collections::BTreeSet::new();
        for x in 0..blk.a {
            let mut on_x: BTreeMap<(usize, usize), u64> = BTreeMap::new();
            for y in 0..blk.b {
                for r in 0..blk.m {
                    let (na, nb) = (y * blk.m + r, x * blk.m + r);
                    let (ka, _) = locate(a, na).unwrap();
                    let (kb, _) = locate(b, nb).unwrap();
                    let t = out.entry((ka, kb)).or_default();
                    t.links += blk.copies;
                    // A port belongs to the pair of its first lane's link.
                    if port_head(a, na) == na && a_seen.insert((x, na)) {
                        t.a_ports += blk.copies;
                    }
                    if port_head(b, nb) == nb && b_seen.insert((y, nb)) {
                        t.b_ports += blk.copies;
                    }
                    *on_x.entry((ka, kb)).or_default() += 1;
                }
            }
            for (key, n) in on_x {
                *out.entry(key).or_default().a_spread.entry(n).or_default() += blk.copies;
            }
        }
        out
    }

    #[test]
    fn closed_form_matches_walking_every_link() {
        let sides: Vec<Vec<Kind>> = vec![
            vec![kind(0, 64, 1)],
            vec![kind(0, 22, 1), kind(22, 6, 4)],
            vec![kind(0, 3, 4), kind(12, 40, 1)],
            vec![kind(0, 5, 2), kind(10, 3, 1), kind(13, 20, 4)],
        ];
        for a in &sides {
            for b in &sides {
                for m in 1..=4 {
                    for na in 1..=5 {
                        for nb in 1..=9 {
                            let blk = Block { a: na, b: nb, m, copies: 3 };
                            let cap = |k: &[Kind]| k.iter().map(|k| k.links).sum::<u64>();
                            if nb * m > cap(a) || na * m > cap(b) {
                                assert!(tally(a, b, &[blk]).is_err());
                                continue;
                            }
                            assert_eq!(tally(a, b, &[blk]).unwrap(), brute(a, b, blk), "{a:?} {b:?} {blk:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_broken_out_port_is_one_module() {
        // One upper switch, 4x100G breakouts, 6 lower switches with one link each:
        // 6 links on 2 ports (the second half used).
        let t = tally(&[kind(0, 8, 4)], &[kind(0, 4, 1)], &[Block { a: 1, b: 6, m: 1, copies: 1 }]).unwrap();
        let only = &t[&(0, 0)];
        assert_eq!((only.links, only.a_ports, only.b_ports), (6, 2, 6));
    }
}
