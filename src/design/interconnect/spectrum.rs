//! Channels on fibre pairs: which slots of a line are taken, and the
//! first-fit or last-fit search for a free run of them.
//!
//! A route's fibre pairs are lit one after another as wavelengths need
//! them. A lit pair has one mux (its channel plan) and one set of sections
//! (the whole route, or the pieces a regenerated route is cut into at its
//! inline sites); each section is a line system of its own, with its own
//! slots. A wavelength takes `slots` adjacent slots of one section of one
//! pair: one channel on a fixed grid, ⌈spacing / slot⌉ on a flexible one.

use crate::model::SpectrumFit;

/// One lit fibre pair of a route.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pair {
    /// Index of the mux in the catalog.
    pub(super) mux: usize,
    /// The sections, as `(first span, spans)`, in route order.
    pub(super) sections: Vec<(usize, usize)>,
    /// Per section, per slot: taken.
    pub(super) taken: Vec<Vec<bool>>,
}

impl Pair {
    pub(super) fn new(mux: usize, sections: Vec<(usize, usize)>, slots: u32) -> Pair {
        let taken = vec![vec![false; slots as usize]; sections.len()];
        Pair { mux, sections, taken }
    }

    /// The first slot (0-based) of a free run of `width` slots in `section`.
    pub(super) fn find(&self, section: usize, width: u32, fit: SpectrumFit) -> Option<usize> {
        let slots = &self.taken[section];
        let width = width as usize;
        if width == 0 || width > slots.len() {
            return None;
        }
        let free = |start: usize| slots[start..start + width].iter().all(|t| !t);
        let last_start = slots.len() - width;
        match fit {
            SpectrumFit::FirstFit => (0..=last_start).find(|&s| free(s)),
            SpectrumFit::LastFit => (0..=last_start).rev().find(|&s| free(s)),
        }
    }

    pub(super) fn take(&mut self, section: usize, start: usize, width: u32) {
        for t in &mut self.taken[section][start..start + width as usize] {
            debug_assert!(!*t, "slot taken twice");
            *t = true;
        }
    }

    /// Slots taken in a section.
    pub(super) fn used(&self, section: usize) -> u32 {
        self.taken[section].iter().filter(|t| **t).count() as u32
    }
}

/// A route's lit pairs and how many it has.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct RouteSpectrum {
    pub(super) available: u32,
    pub(super) pairs: Vec<Pair>,
}

/// Where a wavelength landed: pair index (0-based), section, first slot.
pub(super) type Slot = (usize, usize, usize);

impl RouteSpectrum {
    /// A place for one wavelength of `width` slots in section `section` of
    /// the structure `sections`, on a pair with mux `mux`: the first lit
    /// pair of that mux and structure with room (pairs in order, slots by
    /// `fit`), else a new pair if the route has one left.
    pub(super) fn place(
        &mut self,
        mux: usize,
        sections: &[(usize, usize)],
        section: usize,
        width: u32,
        plan_slots: u32,
        fit: SpectrumFit,
    ) -> Option<Slot> {
        for (i, p) in self.pairs.iter_mut().enumerate() {
            if p.mux != mux || p.sections != sections {
                continue;
            }
            if let Some(s) = p.find(section, width, fit) {
                p.take(section, s, width);
                return Some((i, section, s));
            }
        }
        if self.pairs.len() >= self.available as usize {
            return None;
        }
        let mut p = Pair::new(mux, sections.to_vec(), plan_slots);
        let s = p.find(section, width, fit)?;
        p.take(section, s, width);
        self.pairs.push(p);
        Some((self.pairs.len() - 1, section, s))
    }
}

impl RouteSpectrum {
    /// Where a wavelength could take slots `start..start + width` of
    /// `section`: the first lit pair of that mux and structure with them
    /// free (`Some(Some(pair))`), a new pair (`Some(None)`), or nowhere.
    fn room_at(
        &self,
        mux: usize,
        sections: &[(usize, usize)],
        section: usize,
        start: usize,
        width: u32,
        plan_slots: u32,
    ) -> Option<Option<usize>> {
        let end = start + width as usize;
        let lit = self.pairs.iter().position(|p| {
            p.mux == mux && p.sections == sections && p.taken[section][start..end].iter().all(|t| !t)
        });
        match lit {
            Some(i) => Some(Some(i)),
            None if self.pairs.len() < self.available as usize && end <= plan_slots as usize => Some(None),
            None => None,
        }
    }

    /// Takes the slots [`RouteSpectrum::room_at`] found.
    fn take_at(
        &mut self,
        room: Option<usize>,
        leg: &Leg<'_>,
        mux: usize,
        start: usize,
        width: u32,
        plan_slots: u32,
    ) -> Slot {
        let i = room.unwrap_or_else(|| {
            self.pairs.push(Pair::new(mux, leg.sections.to_vec(), plan_slots));
            self.pairs.len() - 1
        });
        self.pairs[i].take(leg.section, start, width);
        (i, leg.section, start)
    }
}

/// One hop of a lightpath: its route, the route's section structure and
/// the hop's section.
pub(super) struct Leg<'a> {
    pub(super) route: &'a str,
    pub(super) sections: &'a [(usize, usize)],
    pub(super) section: usize,
}

/// A place for one wavelength of a lightpath on every one of its hops. On
/// one hop, [`RouteSpectrum::place`]; expressed through ROADMs, the same
/// slots on every hop (the wavelength keeps its frequency): the first (or
/// last) start free on all of them, each on its first lit pair with room
/// or a new pair. Or the route (routes) that blocked it.
pub(super) fn place_lightpath(
    routes: &mut std::collections::BTreeMap<String, RouteSpectrum>,
    legs: &[Leg<'_>],
    mux: usize,
    width: u32,
    plan_slots: u32,
    fit: SpectrumFit,
) -> Result<Vec<Slot>, String> {
    if let [leg] = legs {
        let spectrum = routes.get_mut(leg.route).ok_or_else(|| leg.route.to_string())?;
        return spectrum
            .place(mux, leg.sections, leg.section, width, plan_slots, fit)
            .map(|slot| vec![slot])
            .ok_or_else(|| leg.route.to_string());
    }
    let w = width as usize;
    if w == 0 || w > plan_slots as usize {
        return Err(legs.iter().map(|l| l.route).collect::<Vec<_>>().join(", "));
    }
    let last_start = plan_slots as usize - w;
    let starts: Vec<usize> = match fit {
        SpectrumFit::FirstFit => (0..=last_start).collect(),
        SpectrumFit::LastFit => (0..=last_start).rev().collect(),
    };
    // The start (in fit order) that lights the fewest new pairs: lit pairs
    // are filled before a new one is lit, as on one hop.
    let mut best: Option<(usize, usize, Vec<Option<usize>>)> = None;
    for start in starts {
        let rooms: Option<Vec<Option<usize>>> = legs
            .iter()
            .map(|l| routes.get(l.route)?.room_at(mux, l.sections, l.section, start, width, plan_slots))
            .collect();
        let Some(rooms) = rooms else { continue };
        let new = rooms.iter().filter(|r| r.is_none()).count();
        if best.as_ref().is_none_or(|(n, ..)| new < *n) {
            best = Some((new, start, rooms));
            if new == 0 {
                break;
            }
        }
    }
    if let Some((_, start, rooms)) = best {
        let mut slots = Vec::with_capacity(legs.len());
        for (l, room) in legs.iter().zip(rooms) {
            let spectrum = routes.get_mut(l.route).expect("checked above");
            slots.push(spectrum.take_at(room, l, mux, start, width, plan_slots));
        }
        return Ok(slots);
    }
    // Name the routes with no room at all, else all of them (no common channel).
    let full: Vec<&str> = legs
        .iter()
        .filter(|l| {
            routes.get(l.route).is_none_or(|r| {
                (0..=last_start)
                    .all(|s| r.room_at(mux, l.sections, l.section, s, width, plan_slots).is_none())
            })
        })
        .map(|l| l.route)
        .collect();
    if full.is_empty() {
        let all: Vec<&str> = legs.iter().map(|l| l.route).collect();
        Err(format!(
            "{} (no channel free on all of them, which an expressed wavelength needs)",
            all.join(", ")
        ))
    } else {
        Err(full.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_fit_takes_the_lowest_free_run_and_last_fit_the_highest() {
        let mut p = Pair::new(0, vec![(0, 1)], 8);
        p.take(0, 0, 2);
        p.take(0, 3, 1);
        assert_eq!(p.find(0, 1, SpectrumFit::FirstFit), Some(2));
        assert_eq!(p.find(0, 2, SpectrumFit::FirstFit), Some(4));
        assert_eq!(p.find(0, 2, SpectrumFit::LastFit), Some(6));
        assert_eq!(p.find(0, 9, SpectrumFit::FirstFit), None);
        assert_eq!(p.used(0), 3);
    }

    #[test]
    fn a_route_lights_a_new_pair_only_when_the_lit_ones_are_full_and_blocks_past_its_pairs() {
        let mut r = RouteSpectrum { available: 2, pairs: Vec::new() };
        let s = [(0, 1)];
        let placed: Vec<Slot> =
            (0..4).map(|_| r.place(0, &s, 0, 1, 2, SpectrumFit::FirstFit).expect("room")).collect();
        assert_eq!(placed, vec![(0, 0, 0), (0, 0, 1), (1, 0, 0), (1, 0, 1)]);
        assert_eq!(r.place(0, &s, 0, 1, 2, SpectrumFit::FirstFit), None);
        // Another mux cannot share a lit pair, and there is none left.
        let mut r = RouteSpectrum { available: 2, pairs: Vec::new() };
        r.place(0, &s, 0, 1, 4, SpectrumFit::FirstFit).unwrap();
        assert_eq!(r.place(1, &s, 0, 1, 4, SpectrumFit::FirstFit).map(|x| x.0), Some(1));
        assert_eq!(r.place(2, &s, 0, 1, 4, SpectrumFit::FirstFit), None);
    }
}
