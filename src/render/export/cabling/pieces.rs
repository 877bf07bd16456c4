//! A run's pieces: how a link group's links are made (its shape), and
//! the panel ports, cassettes, trunks and labels they are given.

use super::netbox_cables;
use super::{cage_of, write_row, Row, SiteCtx, Spot};
use crate::design::fabric::{FabricDesign, LinkGroup};
use crate::design::media::Per;
use crate::design::placement::{self, Run};
use crate::render::csv;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};

/// Front ports of one patch panel.
const PANEL_PORTS: u64 = 48;

/// How a link group's links are made, as pieces from A to B.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Shape {
    /// One cable or cord from port to port (a breakout cable: one per
    /// broken-out port, its legs to the lanes' peers).
    Direct { part: usize },
    /// A multi-fibre cord from the broken-out side to a cassette at the
    /// other side, and a duplex cord per lane from the cassette on.
    Cassette { trunk_cord: usize, lane_cord: usize, a_broken: bool },
    /// A cord into a panel at each end and a trunk between the panels.
    Structured { a_cord: usize, b_cord: usize, trunk: usize, per_trunk: u64 },
    /// No fibre or cable part (should not happen; the row says so).
    None,
}

pub(super) fn shape_of(g: &LinkGroup) -> Shape {
    let fibre: Vec<(usize, Per)> =
        g.media.parts.iter().enumerate().filter(|(_, p)| !p.module).map(|(i, p)| (i, p.per)).collect();
    if let Some(&(trunk, Per::Links(n))) = fibre.iter().find(|(_, p)| matches!(p, Per::Links(_))) {
        let cords: Vec<usize> = fibre.iter().filter(|(i, _)| *i != trunk).map(|(i, _)| *i).collect();
        if let [a_cord, b_cord] = cords[..] {
            return Shape::Structured { a_cord, b_cord, trunk, per_trunk: n.max(1) };
        }
    }
    match fibre[..] {
        [(part, _)] => Shape::Direct { part },
        [(first, Per::APort), (second, _)] if g.media.kind == "optics" => {
            Shape::Cassette { trunk_cord: first, lane_cord: second, a_broken: true }
        }
        [(first, _), (second, Per::BPort)] if g.media.kind == "optics" => {
            Shape::Cassette { trunk_cord: second, lane_cord: first, a_broken: false }
        }
        _ => Shape::None,
    }
}

/// Panel ports and cassettes handed out rack by rack, trunks by upper
/// switch, labels by series: everything numbered in run order, so the
/// list is the same on every run.
#[derive(Default)]
pub(super) struct Numbers {
    panel_ports: HashMap<String, u64>,
    cassettes: HashMap<String, u64>,
    /// (upper device, group) → its links of the group so far.
    trunk_links: HashMap<(String, usize), u64>,
    /// (upper device, group, trunk of that switch) → site trunk number.
    trunks: HashMap<(String, usize, u64), usize>,
    /// (trunk, far rack): the legs written.
    legs: HashSet<(usize, String)>,
    /// Off-fabric cables: (series, device, cage) → number.
    off: BTreeMap<(char, String, String), usize>,
    off_count: HashMap<char, usize>,
    /// Pieces already written (a broken-out port's cord, cassette cords).
    done: HashSet<String>,
    /// Fixtures given to keys (a port's cassette, its panel port).
    fixtures: HashMap<String, Spot>,
    /// Pieces of each cable so far.
    pieces: HashMap<String, u32>,
}

impl Numbers {
    /// The next front port of a panel in `rack`.
    fn panel_port(&mut self, rack: &str) -> (String, String) {
        let n = self.panel_ports.entry(rack.to_string()).or_default();
        let (panel, port) = (*n / PANEL_PORTS + 1, *n % PANEL_PORTS + 1);
        *n += 1;
        (format!("{}-pp{panel}", crate::text::slug(rack)), port.to_string())
    }

    /// A new cassette in `rack`.
    fn cassette(&mut self, rack: &str) -> String {
        let n = self.cassettes.entry(rack.to_string()).or_default();
        *n += 1;
        format!("{}-cas{n}", crate::text::slug(rack))
    }

    /// The label of an off-fabric run's cable: one per port (a broken-out
    /// port's cable once).
    pub(super) fn off_label(&mut self, prefix: &str, series: char, device: &str, port: &str) -> String {
        let next = *self.off_count.get(&series).unwrap_or(&0);
        // A whole port's cable is its own; a broken-out cage's, its lanes'.
        let n = if port.matches('/').count() > 1 {
            *self.off.entry((series, device.to_string(), cage_of(port).to_string())).or_insert(next)
        } else {
            next
        };
        if n == next {
            self.off_count.insert(series, next + 1);
        }
        netbox_cables::label(prefix, series, n)
    }

    /// The fixture given to `key`, made by `make` the first time.
    fn fixture(&mut self, key: &str, make: impl FnOnce(&mut Numbers) -> Spot) -> Spot {
        if let Some(spot) = self.fixtures.get(key) {
            return spot.clone();
        }
        let spot = make(self);
        self.fixtures.insert(key.to_string(), spot.clone());
        spot
    }

    /// The site trunk a run's link rides: its upper switch's links of the
    /// group in order, `per_trunk` a trunk, as the BOM counts them. The
    /// design buys a hand-off's trunks per need, each need's equipment
    /// (`handoff-N`) apart.
    fn trunk_of(&mut self, r: &Run, per_trunk: u64) -> usize {
        let upper =
            if r.class == "hand-off" { format!("{} {}", r.a_device, r.b_device) } else { r.a_device.clone() };
        let k = self.trunk_links.entry((upper.clone(), r.group)).or_default();
        let of_switch = *k / per_trunk;
        *k += 1;
        let next = self.trunks.len();
        *self.trunks.entry((upper, r.group, of_switch)).or_insert(next)
    }

    /// Whether a piece is written for the first time.
    fn first(&mut self, piece: &str) -> bool {
        self.done.insert(piece.to_string())
    }
}

/// A place in a rack that is not a device's port: a panel or cassette port.
fn fixture(at: &Spot, device: String, port: String) -> Spot {
    Spot { row: at.row.clone(), rack: at.rack.clone(), device: device.into(), port, ..Spot::default() }
}

/// The rack a far end's panel stands in, named for the hand-off when the
/// far end is not placed.
fn rack_key(site: &str, s: &Spot) -> String {
    if s.rack.is_empty() {
        format!("{}-handoff", crate::text::slug(site))
    } else {
        s.rack.to_string()
    }
}

/// Links on each broken-out cage of a site, by device name and cage.
pub(super) fn cage_links(design: &FabricDesign, runs: &[Run]) -> HashMap<(String, String), u64> {
    let mut out: HashMap<(String, String), u64> = HashMap::new();
    let site = crate::text::slug(&design.site);
    for r in runs {
        for (device, port) in [(&r.a_device, &r.a_port), (&r.b_device, &r.b_port)] {
            if port.matches('/').count() > 1 {
                let key = (placement::device_name_in(&site, device), cage_of(port).to_string());
                *out.entry(key).or_default() += 1;
            }
        }
    }
    out
}

/// The lane of a broken-out port (`ethernet-1/N/L` → L), 1 for a whole port.
fn lane_of(port: &str) -> &str {
    if port.matches('/').count() > 1 {
        port.rsplit('/').next().unwrap_or("1")
    } else {
        "1"
    }
}

/// One run being written: its site's context, its ends and its cable's label.
struct RunRows<'a, 'c> {
    ctx: &'a SiteCtx<'c>,
    r: &'a Run,
    label: &'a str,
    a: Spot,
    b: Spot,
}

impl RunRows<'_, '_> {
    fn site(&self) -> &str {
        &self.ctx.design.site
    }

    /// A row for the run's whole cable (one piece).
    fn whole<W: Write>(&self, w: &mut csv::Writer<W>, part: usize, note: &str) -> io::Result<()> {
        let row = Row {
            label: self.label,
            cable: self.label,
            piece: "1",
            run: self.r,
            part,
            group: self.r.group,
            a: &self.a,
            b: &self.b,
            links: Some(1),
            note,
        };
        write_row(w, self.ctx, row)
    }

    /// A piece of the run's cable, written the first time `key` is seen
    /// (a broken-out cage's cord once for its lanes), numbered `.N`.
    fn piece<W: Write>(
        &self,
        w: &mut csv::Writer<W>,
        n: &mut Numbers,
        key: String,
        part: usize,
        x: &Spot,
        y: &Spot,
    ) -> io::Result<()> {
        if !n.first(&key) {
            return Ok(());
        }
        let no = n.pieces.entry(self.label.to_string()).or_default();
        *no += 1;
        let name = format!("{}.{no}", self.label);
        // A piece at a broken-out cage carries all the cage's links.
        let links = [x, y]
            .iter()
            .find_map(|e| self.ctx.cage_links.get(&(e.device.to_string(), e.port.clone())).copied())
            .unwrap_or(1);
        let row = Row {
            label: &name,
            cable: self.label,
            piece: &no.to_string(),
            run: self.r,
            part,
            group: self.r.group,
            a: x,
            b: y,
            links: Some(links),
            note: "",
        };
        write_row(w, self.ctx, row)
    }

    /// A multi-fibre cord from the broken-out cage to a cassette in the
    /// far end's rack, and a duplex cord per lane on from it.
    fn cassette<W: Write>(
        &self,
        w: &mut csv::Writer<W>,
        n: &mut Numbers,
        (trunk_cord, lane_cord, a_broken): (usize, usize, bool),
    ) -> io::Result<()> {
        let (r, site) = (self.r, self.site());
        let (hub, far) = if a_broken { (&self.a, &self.b) } else { (&self.b, &self.a) };
        let hub_port = if a_broken { &r.a_port } else { &r.b_port };
        let key = format!("cas {} {}", hub.device, cage_of(hub_port));
        let cassette = n.fixture(&key, |n| fixture(far, n.cassette(&rack_key(site, far)), String::new()));
        let rear = Spot { port: "mpo".into(), ..cassette.clone() };
        let front = Spot { port: lane_of(hub_port).into(), ..cassette };
        let hub_cage = Spot { port: cage_of(hub_port).into(), ..hub.clone() };
        if a_broken {
            self.piece(w, n, format!("{key} trunk"), trunk_cord, &hub_cage, &rear)?;
            self.piece(w, n, format!("{key} {hub_port}"), lane_cord, &front, far)
        } else {
            self.piece(w, n, format!("{key} {hub_port}"), lane_cord, far, &front)?;
            self.piece(w, n, format!("{key} trunk"), trunk_cord, &rear, &hub_cage)
        }
    }

    /// A cord into a panel in each end's rack, and the trunk leg between
    /// the panels (once per trunk and far rack).
    fn structured<W: Write>(
        &self,
        w: &mut csv::Writer<W>,
        n: &mut Numbers,
        (a_cord, b_cord, trunk, per_trunk): (usize, usize, usize, u64),
    ) -> io::Result<()> {
        let (r, site, a, b) = (self.r, self.site(), &self.a, &self.b);
        let g = &self.ctx.design.links[r.group];
        // A broken-out port's cord (and its panel port) serves its lanes.
        let end = |s: &Spot, port: &str, broken: bool| {
            let port = if broken { cage_of(port) } else { port };
            (format!("pp {} {port}", s.device), Spot { port: port.to_string(), ..s.clone() })
        };
        let (a_key, a_dev) = end(a, &r.a_port, g.a_breakout.is_some());
        let (b_key, b_dev) = end(b, &r.b_port, g.b_breakout.is_some());
        let panel_port = |n: &mut Numbers, at: &Spot| {
            let (panel, port) = n.panel_port(&rack_key(site, at));
            fixture(at, panel, port)
        };
        let a_pp = n.fixture(&a_key, |n| panel_port(n, a));
        let b_pp = n.fixture(&b_key, |n| panel_port(n, b));
        self.piece(w, n, a_key, a_cord, &a_dev, &a_pp)?;
        let t = n.trunk_of(r, per_trunk);
        if n.legs.insert((t, rack_key(site, b))) {
            let t_label = netbox_cables::label(&self.ctx.label_prefix, 't', t);
            let leg = n.pieces.entry(t_label.clone()).or_default();
            *leg += 1;
            let name = format!("{t_label}.{leg}");
            let (x, y) = (Spot { port: "rear".into(), ..a_pp }, Spot { port: "rear".into(), ..b_pp.clone() });
            let note = format!("trunk leg: links of {} share it", a.device);
            let row = Row {
                label: &name,
                cable: &t_label,
                piece: &leg.to_string(),
                run: r,
                part: trunk,
                group: r.group,
                a: &x,
                b: &y,
                links: None,
                note: &note,
            };
            write_row(w, self.ctx, row)?;
        }
        self.piece(w, n, b_key, b_cord, &b_pp, &b_dev)
    }
}

/// The rows of one run's pieces, each piece once (a broken-out port's
/// shared cord with its first lane).
pub(super) fn write_run<W: Write>(
    w: &mut csv::Writer<W>,
    ctx: &SiteCtx<'_>,
    n: &mut Numbers,
    r: &Run,
    label: &str,
) -> io::Result<()> {
    let rows = RunRows { ctx, r, label, a: ctx.spot(r, true), b: ctx.spot(r, false) };
    match ctx.shapes.get(r.group).copied().unwrap_or(Shape::None) {
        // A breakout cable is one piece for its port; a row per leg.
        Shape::Direct { part } => rows.whole(w, part, ""),
        Shape::Cassette { trunk_cord, lane_cord, a_broken } => {
            rows.cassette(w, n, (trunk_cord, lane_cord, a_broken))
        }
        Shape::Structured { a_cord, b_cord, trunk, per_trunk } => {
            rows.structured(w, n, (a_cord, b_cord, trunk, per_trunk))
        }
        Shape::None if r.class == crate::design::placement::COHERENT_LINE => rows.whole(
            w,
            usize::MAX,
            "coherent pluggable's line side to the DWDM line system; no cord in the plan",
        ),
        Shape::None => rows.whole(w, usize::MAX, "no cable in the plan"),
    }
}
