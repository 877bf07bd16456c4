//! Each kind of catalog item: ports and breakouts, switches, routers, line
//! cards, optics, the optical line system, cables.

use super::*;
use crate::units::Watts;

/// Port groups; true when every count and speed is valid (so that sums of
/// their products mean something).
fn check_ports(c: &mut Checker, path: &str, ports: &[PortGroup]) -> bool {
    if ports.is_empty() {
        c.error(Code::MissingField, path, "no ports").expected_mut("at least one port group");
    }
    let mut valid = true;
    for (i, group) in ports.iter().enumerate() {
        let gp = format!("{path}[{i}]");
        valid &= c.count(&format!("{gp}.count"), group.count.into(), 1, 1152, "port count");
        let speed_ok = c.ethernet_rate(&format!("{gp}.speed_gbps"), group.speed_gbps);
        valid &= speed_ok;
        for (j, b) in group.breakouts.iter().enumerate() {
            let port = speed_ok.then_some(group.speed_gbps);
            check_breakout(c, &format!("{gp}.breakouts[{j}]"), *b, port);
        }
        if let Some(w) = group.coherent_max_module_w {
            check_coherent_class(c, &format!("{gp}.coherent_max_module_w"), w, group.management);
        }
    }
    valid
}

/// A cage's coherent power class: a module's power (1 to 60 W; OIF 400ZR
/// modules declare CMIS power class 8, 18 W, and ZR+ about 22 W), on data
/// ports only.
fn check_coherent_class(c: &mut Checker, path: &str, w: Watts, management: bool) {
    c.range(path, w.0, 1.0, 60.0, "coherent module power class (W)");
    if management {
        c.error(Code::Inconsistent, path, "a management port group takes no coherent pluggable")
            .expected_mut("coherent_max_module_w on data ports only");
    }
}

/// A breakout of a port of speed `port` (`None` when the port's own speed
/// is invalid: nothing is compared with it).
fn check_breakout(c: &mut Checker, path: &str, b: Breakout, port: Option<Gbps>) {
    let lanes_ok = c.count(&format!("{path}.lanes"), b.lanes.into(), 2, 8, "breakout lanes");
    let speed_ok = c.ethernet_rate(&format!("{path}.speed_gbps"), b.speed_gbps);
    let (Some(port), true, true) = (port, lanes_ok, speed_ok) else { return };
    // Both figures are bounded by now; checked all the same.
    let total = u64::from(b.lanes).saturating_mul(b.speed_gbps.0);
    if total > port.0 {
        c.error(
            Code::Inconsistent,
            path,
            format!(
                "breakout {}x{} Gb/s carries {} Gb/s, more than the {} Gb/s port",
                b.lanes, b.speed_gbps.0, total, port.0
            ),
        )
        .found_mut(format!("{}x{}", b.lanes, b.speed_gbps.0))
        .expected_mut(format!("lanes × speed ≤ {} Gb/s", port.0));
    }
}

/// The data ports' total speed; `None` if it does not fit (only possible
/// for figures already reported as invalid).
fn data_port_gbps(ports: &[PortGroup]) -> Option<u64> {
    ports
        .iter()
        .filter(|p| !p.management)
        .try_fold(0u64, |sum, p| sum.checked_add(u64::from(p.count).checked_mul(p.speed_gbps.0)?))
}

/// A capacity in Gb/s: at least 1, at most [`limits::MAX_DEVICE_GBPS`].
fn capacity(c: &mut Checker, path: &str, gbps: Gbps, what: &str) -> bool {
    c.count(path, gbps.0, 1, limits::MAX_DEVICE_GBPS, what)
}

fn check_rack_units(c: &mut Checker, path: &str, ru: f64, allow_zero: bool) {
    let min = if allow_zero { 0.0 } else { 0.5 };
    if c.range(path, ru, min, 48.0, "height in rack units") && (ru * 2.0).fract() != 0.0 {
        c.error(Code::InvalidValue, path, format!("{ru} RU is not a whole or half rack unit"))
            .found_mut(ru)
            .expected_mut("a multiple of 0.5");
    }
}

/// The community library's device type of a switch, as NetBox will be
/// asked for it: a slug NetBox and the library accept, a model and a
/// supply to refer to, supply bays named once each.
fn check_netbox_library(c: &mut Checker, path: &str, lib: &crate::model::LibraryDeviceType) {
    let slug_ok = !lib.slug.is_empty()
        && lib.slug.len() <= 100
        && lib.slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if !slug_ok {
        c.error(Code::InvalidValue, format!("{path}.slug"), "not a NetBox slug")
            .found_mut(&lib.slug)
            .expected_mut(
                "1 to 100 lowercase ASCII letters, digits, `-` or `_`, as the library's file has it",
            );
    }
    for (field, text) in [("model", &lib.model), ("power_supply", &lib.power_supply)] {
        if text.trim().is_empty() || text.chars().count() > 100 {
            c.error(Code::InvalidValue, format!("{path}.{field}"), "not a NetBox model name")
                .found_mut(text)
                .expected_mut("1 to 100 characters, the `model` of the library's file");
        }
    }
    let mut seen = BTreeSet::new();
    for (i, bay) in lib.power_bays.iter().enumerate() {
        if bay.trim().is_empty() || !seen.insert(bay.as_str()) {
            c.error(Code::InvalidValue, format!("{path}.power_bays[{i}]"), "an empty or repeated bay name")
                .found_mut(bay)
                .expected_mut("the name of one of the type's supply bays, each once");
        }
    }
    if lib.power_bays.is_empty() {
        c.error(Code::MissingField, format!("{path}.power_bays"), "no supply bay")
            .expected_mut("the type's supply bays, e.g. [PS1, PS2]");
    }
}

pub(super) fn check_switch(c: &mut Checker, path: &str, s: &Switch) {
    if let Some(lib) = &s.netbox_library {
        check_netbox_library(c, &format!("{path}.netbox_library"), lib);
    }
    if s.roles.is_empty() {
        c.error(Code::MissingField, format!("{path}.roles"), "a switch with no role")
            .expected_mut("one or more of `leaf`, `spine`, `superspine`");
    }
    let ports_ok = check_ports(c, &format!("{path}.ports"), &s.ports);
    check_rack_units(c, &format!("{path}.rack_units"), s.rack_units, false);
    let capacity_ok =
        capacity(c, &format!("{path}.capacity_fd_gbps"), s.capacity_fd_gbps, "switching capacity (Gb/s)");
    if let Some(q) = s.quoted_capacity {
        capacity(c, &format!("{path}.quoted_capacity.gbps"), q.gbps, "quoted capacity (Gb/s)");
    }
    let ports_gbps = data_port_gbps(&s.ports).filter(|_| ports_ok);
    let (Some(ports_gbps), true) = (ports_gbps, capacity_ok) else { return };
    if ports_gbps != s.capacity_fd_gbps.0 {
        let d = Diagnostic::warning(
            Code::CapacityMismatch,
            format!("{path}.capacity_fd_gbps"),
            format!(
                "capacity {} Gb/s differs from the sum of the data ports, {} Gb/s",
                s.capacity_fd_gbps.0, ports_gbps
            ),
        )
        .found(s.capacity_fd_gbps.0)
        .expected(format!("{ports_gbps} (one direction, full duplex)"));
        let d = if ports_gbps.checked_mul(2) == Some(s.capacity_fd_gbps.0) {
            d.hint("this looks like the half-duplex (both directions) figure: put it in `quoted_capacity` with `duplex: half`")
        } else {
            d
        };
        c.push(d);
    }
    if let Some(q) = s.quoted_capacity.filter(|q| q.gbps.0 <= limits::MAX_DEVICE_GBPS) {
        let implied = match q.duplex {
            crate::model::Duplex::Half => q.gbps.0 / 2,
            crate::model::Duplex::Full => q.gbps.0,
        };
        if implied != s.capacity_fd_gbps.0 {
            c.push(
                Diagnostic::warning(
                    Code::CapacityMismatch,
                    format!("{path}.quoted_capacity"),
                    format!(
                        "the quoted {} Gb/s ({}) means {} Gb/s one way, but capacity_fd_gbps is {}",
                        q.gbps.0,
                        if q.duplex == crate::model::Duplex::Half { "half duplex" } else { "full duplex" },
                        implied,
                        s.capacity_fd_gbps.0
                    ),
                )
                .hint("half duplex (HD) counts both directions: HD = 2 × FD"),
            );
        }
    }
}

pub(super) fn check_chassis(c: &mut Checker, path: &str, r: &RouterChassis) {
    c.count(&format!("{path}.slots"), r.slots.into(), 1, 64, "slot count");
    check_rack_units(c, &format!("{path}.rack_units"), r.rack_units, false);
    let slot_ok = capacity(
        c,
        &format!("{path}.slot_capacity_fd_gbps"),
        r.slot_capacity_fd_gbps,
        "slot capacity (Gb/s)",
    );
    let fabric_ok = capacity(
        c,
        &format!("{path}.fabric_capacity_fd_gbps"),
        r.fabric_capacity_fd_gbps,
        "fabric capacity (Gb/s)",
    );
    if slot_ok && fabric_ok && r.fabric_capacity_fd_gbps.0 < r.slot_capacity_fd_gbps.0 {
        c.error(
            Code::Inconsistent,
            format!("{path}.fabric_capacity_fd_gbps"),
            "the chassis fabric carries less than one slot",
        )
        .found_mut(r.fabric_capacity_fd_gbps.0)
        .expected_mut(format!("at least the slot capacity, {} Gb/s", r.slot_capacity_fd_gbps.0));
    }
}

pub(super) fn check_line_card(
    c: &mut Checker,
    path: &str,
    card: &LineCard,
    chassis_ids: &BTreeSet<&str>,
    chassis: &[(String, RouterChassis)],
) {
    check_ports(c, &format!("{path}.ports"), &card.ports);
    c.non_empty(&format!("{path}.network_processor"), &card.network_processor, "network processor");
    capacity(
        c,
        &format!("{path}.forwarding_capacity_fd_gbps"),
        card.forwarding_capacity_fd_gbps,
        "forwarding capacity (Gb/s)",
    );
    if card.compatible_chassis.is_empty() {
        c.error(Code::MissingField, format!("{path}.compatible_chassis"), "the card fits no chassis")
            .expected_mut("one or more router_chassis ids");
    }
    for (i, id) in card.compatible_chassis.iter().enumerate() {
        let rp = format!("{path}.compatible_chassis[{i}]");
        if !chassis_ids.contains(id.as_str()) {
            let d = c
                .error(Code::UnknownReference, rp, format!("no router chassis `{id}` in this catalog"))
                .found_mut(id)
                .expected_mut("an id from `router_chassis`");
            if let Some(best) = closest(id, chassis_ids.iter().copied()) {
                d.hint = Some(format!("did you mean `{best}`?"));
            }
        } else if let Some((_, ch)) = chassis.iter().find(|(_, ch)| &ch.id == id) {
            if card.forwarding_capacity_fd_gbps.0 > ch.slot_capacity_fd_gbps.0 {
                c.push(
                    Diagnostic::warning(
                        Code::Inconsistent,
                        format!("{path}.forwarding_capacity_fd_gbps"),
                        format!(
                            "the card forwards {} Gb/s but a `{id}` slot carries {} Gb/s",
                            card.forwarding_capacity_fd_gbps.0, ch.slot_capacity_fd_gbps.0
                        ),
                    )
                    .hint("the planner will cap the card at the slot capacity in that chassis"),
                );
            }
        }
    }
}

pub(super) fn check_grey_optic(c: &mut Checker, path: &str, o: &GreyOptic) {
    c.non_empty(&format!("{path}.standard"), &o.standard, "standard name");
    let speed_ok = c.ethernet_rate(&format!("{path}.speed_gbps"), o.speed_gbps);
    if let Some(b) = o.breakout {
        check_breakout(c, &format!("{path}.breakout"), b, speed_ok.then_some(o.speed_gbps));
    }
    match (&o.breakout, &o.lane_standard) {
        (Some(_), None) => {
            c.error(
                Code::MissingField,
                format!("{path}.breakout"),
                "a breakout optic without its lane standard",
            )
            .expected_mut("`lane_standard:` (e.g. 100GBASE-DR for a 400GBASE-DR4)")
            .hint_mut("the far-end module must speak the lane standard; dcplan pairs optics by it");
        }
        (None, Some(_)) => {
            c.error(
                Code::Inconsistent,
                format!("{path}.lane_standard"),
                "a lane standard on an optic without breakout",
            )
            .hint_mut("remove `lane_standard:` or add `breakout:`");
        }
        _ => {}
    }
    let rp = format!("{path}.reach_m");
    if c.range(&rp, o.reach_m.0, 0.5, 200_000.0, "reach") && o.fibre == FibreKind::Mmf && o.reach_m.0 > 550.0
    {
        c.error(Code::OutOfRange, rp, format!("{} on multimode fibre", o.reach_m))
            .found_mut(o.reach_m)
            .expected_mut("at most 550 m: multimode reach at 10G and above ends there (OM4/OM5)")
            .hint_mut("is this a single-mode optic (`fibre: smf`), or is the reach in feet?");
    }
}

/// The shortest reach a coherent mode may state: below it a link is a job
/// for grey optics, and a figure this small is usually metres.
const MIN_COHERENT_REACH_KM: f64 = 2.0;

/// Bits one dual-polarisation symbol can carry, per modulation.
fn bits_per_symbol(m: Modulation) -> f64 {
    match m {
        Modulation::DpQpsk => 4.0,
        Modulation::Dp8qam => 6.0,
        Modulation::Dp16qam => 8.0,
        Modulation::Dp32qam => 10.0,
        Modulation::Dp64qam | Modulation::DpPcs => 12.0,
    }
}

pub(super) fn check_coherent(c: &mut Checker, path: &str, o: &CoherentOptic) {
    match o.kind {
        CoherentKind::Pluggable if o.form_factor.is_none() => {
            c.error(Code::MissingField, path, "a pluggable without a form factor")
                .expected_mut("`form_factor:` (e.g. qsfp-dd, cfp2)");
        }
        CoherentKind::Transponder if o.client_ports.is_empty() => {
            c.error(Code::MissingField, path, "a transponder without client ports")
                .expected_mut("`client_ports:` (e.g. 4 x 100G QSFP28)");
        }
        _ => {}
    }
    if !o.client_ports.is_empty() {
        check_ports(c, &format!("{path}.client_ports"), &o.client_ports);
    }
    check_rack_units(c, &format!("{path}.rack_units"), o.rack_units, true);
    let tx = o.tx_power_dbm;
    let a = c.range(&format!("{path}.tx_power_dbm.min"), tx.min.0, -30.0, 15.0, "minimum launch power");
    let b = c.range(&format!("{path}.tx_power_dbm.max"), tx.max.0, -30.0, 15.0, "maximum launch power");
    if a && b && tx.min.0 > tx.max.0 {
        c.error(Code::Inconsistent, format!("{path}.tx_power_dbm"), "minimum launch power above maximum");
    }
    if let Some(osnr) = o.tx_osnr_db {
        c.range(&format!("{path}.tx_osnr_db"), osnr.0, 15.0, 60.0, "transmitter OSNR");
    }
    if o.modes.is_empty() {
        c.error(Code::MissingField, format!("{path}.modes"), "no operating mode")
            .expected_mut("at least one mode (rate, baud, modulation, required OSNR, reach)");
    }
    for (i, m) in o.modes.iter().enumerate() {
        let mp = format!("{path}.modes[{i}]");
        c.count(&format!("{mp}.line_rate_gbps"), m.line_rate_gbps.0, 1, 3200, "line rate");
        let baud_ok = c.range(&format!("{mp}.baud_gbd"), m.baud_gbd.0, 1.0, 200.0, "symbol rate");
        c.range(&format!("{mp}.required_osnr_db"), m.required_osnr_db.0, 5.0, 40.0, "required OSNR");
        let reach = m.reach_km.0;
        if reach.is_finite() && reach > 0.0 && reach < MIN_COHERENT_REACH_KM {
            c.error(Code::OutOfRange, format!("{mp}.reach_km"), format!("a coherent reach of {reach} km"))
                .found_mut(reach)
                .expected_mut(format!("from {MIN_COHERENT_REACH_KM} to 20000 km"))
                .hint_mut("coherent optics are for links of kilometres; is the reach in metres?");
        } else {
            c.range(&format!("{mp}.reach_km"), reach, MIN_COHERENT_REACH_KM, 20_000.0, "reach");
        }
        let spacing_ok =
            c.range(&format!("{mp}.min_spacing_ghz"), m.min_spacing_ghz.0, 6.25, 1000.0, "channel spacing");
        if baud_ok && spacing_ok && m.min_spacing_ghz.0 < m.baud_gbd.0 {
            c.error(
                Code::Inconsistent,
                format!("{mp}.min_spacing_ghz"),
                format!("a {} signal does not fit in {}", m.baud_gbd, m.min_spacing_ghz),
            )
            .expected_mut(format!(
                "at least {} GHz (the signal is about as wide as its symbol rate)",
                m.baud_gbd.0
            ));
        }
        let max_gbps = m.baud_gbd.0 * bits_per_symbol(m.modulation);
        if baud_ok && (m.line_rate_gbps.0 as f64) > max_gbps {
            c.error(
                Code::Inconsistent,
                format!("{mp}.line_rate_gbps"),
                format!(
                    "{} Gb/s cannot be carried by {} at {}: at most {:.0} Gb/s before FEC",
                    m.line_rate_gbps.0,
                    name_of(&m.modulation),
                    m.baud_gbd,
                    max_gbps
                ),
            )
            .hint_mut("check the symbol rate (GBd) and the modulation");
        }
    }
}

pub(super) fn check_mux(c: &mut Checker, path: &str, m: &MuxDemux) {
    // A flexible grid counts slots: 12 THz of 12.5 GHz slots is 960.
    let most = if m.grid == Grid::Flex { 960 } else { 256 };
    c.count(&format!("{path}.channels"), m.channels.into(), 1, most, "channel count");
    if let Some(f) = m.first_channel_thz {
        // ITU-T G.694.1 anchors the grid at 193.1 THz; the O to U bands lie within 184 to 238 THz.
        c.range(&format!("{path}.first_channel_thz"), f, 184.0, 238.0, "first channel's frequency (THz)");
    }
    let spacing_ok = c.range(&format!("{path}.spacing_ghz"), m.spacing_ghz.0, 6.25, 400.0, "channel spacing");
    c.range(&format!("{path}.insertion_loss_db"), m.insertion_loss_db.0, 0.1, 20.0, "insertion loss");
    check_rack_units(c, &format!("{path}.rack_units"), m.rack_units, true);
    // ITU-T G.694.1: the C+L bands span about 12 THz.
    let width_ghz = f64::from(m.channels) * m.spacing_ghz.0;
    if spacing_ok && width_ghz > 12_000.0 {
        c.error(
            Code::Inconsistent,
            format!("{path}.channels"),
            format!(
                "{} channels at {} need {:.1} THz, more than the C and L bands",
                m.channels,
                m.spacing_ghz,
                width_ghz / 1000.0
            ),
        );
    }
}

pub(super) fn check_roadm(c: &mut Checker, path: &str, r: &RoadmDegree, shelves: &BTreeSet<&str>) {
    // A node's express path is two WSS passes and a splitter at worst: some 20 dB.
    c.range(&format!("{path}.express_loss_db"), r.express_loss_db.0, 0.5, 30.0, "express loss");
    c.range(
        &format!("{path}.filtering_penalty_db"),
        r.filtering_penalty_db.0,
        0.0,
        3.0,
        "filtering penalty per pass",
    );
    check_rack_units(c, &format!("{path}.rack_units"), r.rack_units, true);
    if let Some(shelf) = &r.shelf {
        check_shelf_ref(c, &format!("{path}.shelf"), shelf, shelves);
    }
}

pub(super) fn check_amplifier(c: &mut Checker, path: &str, a: &Amplifier, shelves: &BTreeSet<&str>) {
    if a.roles.is_empty() {
        c.error(Code::MissingField, format!("{path}.roles"), "an amplifier with no role")
            .expected_mut("one or more of `booster`, `preamp`, `inline`");
    }
    let lo = c.range(&format!("{path}.gain_db.min"), a.gain_db.min.0, 0.0, 45.0, "minimum gain");
    let hi = c.range(&format!("{path}.gain_db.max"), a.gain_db.max.0, 1.0, 45.0, "maximum gain");
    if lo && hi && a.gain_db.min.0 > a.gain_db.max.0 {
        c.error(Code::Inconsistent, format!("{path}.gain_db"), "minimum gain above maximum gain");
    }
    let nf = a.noise_figure_db.0;
    if nf.is_finite() && nf < 3.0 {
        c.error(
            Code::OutOfRange,
            format!("{path}.noise_figure_db"),
            format!("noise figure {nf} dB is below the 3 dB quantum limit"),
        )
        .found_mut(nf)
        .expected_mut("at least 3 dB: no phase-insensitive optical amplifier beats it")
        .hint_mut("EDFAs are typically 4.5–6 dB");
    } else {
        c.range(&format!("{path}.noise_figure_db"), nf, 3.0, 20.0, "noise figure");
    }
    c.range(&format!("{path}.max_output_dbm"), a.max_output_dbm.0, 0.0, 30.0, "maximum output power");
    check_rack_units(c, &format!("{path}.rack_units"), a.rack_units, true);
    if let Some(shelf) = &a.shelf {
        check_shelf_ref(c, &format!("{path}.shelf"), shelf, shelves);
    }
}

pub(super) fn check_cable(c: &mut Checker, path: &str, cable: &Cable) {
    let copper_or_active = matches!(
        cable.kind,
        CableKind::Dac | CableKind::BreakoutDac | CableKind::Aoc | CableKind::BreakoutAoc
    );
    if copper_or_active {
        if cable.form_factor.is_none() {
            c.error(Code::MissingField, path, "a direct-attach cable without a form factor")
                .expected_mut("`form_factor:` of the cable's plugs");
        }
        match cable.speed_gbps {
            None => {
                c.error(Code::MissingField, path, "a direct-attach cable without a speed")
                    .expected_mut("`speed_gbps:`");
            }
            Some(speed) => {
                c.ethernet_rate(&format!("{path}.speed_gbps"), speed);
            }
        }
    } else if cable.fibre.is_none() {
        c.error(Code::MissingField, path, "a fibre cable without a fibre type")
            .expected_mut("`fibre: smf` or `fibre: mmf`");
    }
    match (cable.kind, cable.fibres) {
        (CableKind::FibreTrunk, None) => {
            c.error(Code::MissingField, path, "a trunk without its fibre count")
                .expected_mut("`fibres:` (e.g. 144)");
        }
        (CableKind::FibreTrunk, Some(n)) => {
            c.count(&format!("{path}.fibres"), n.into(), 2, 6912, "fibre count");
        }
        (_, Some(_)) => {
            c.error(Code::Inconsistent, format!("{path}.fibres"), "only a fibre trunk has a fibre count")
                .hint_mut("remove `fibres:` or make the cable `kind: fibre-trunk`");
        }
        _ => {}
    }
    let breakout_kind = matches!(cable.kind, CableKind::BreakoutDac | CableKind::BreakoutAoc);
    match (breakout_kind, cable.breakout, cable.speed_gbps) {
        (true, None, _) => {
            c.error(Code::MissingField, path, "a breakout cable without its split")
                .expected_mut("`breakout: {lanes: 4, speed_gbps: 25}`");
        }
        (_, Some(b), Some(speed)) => {
            let port = ETHERNET_RATES_GBPS.contains(&speed.0).then_some(speed);
            check_breakout(c, &format!("{path}.breakout"), b, port)
        }
        _ => {}
    }
    if cable.length_options_m.is_empty() {
        c.error(Code::MissingField, format!("{path}.length_options_m"), "no orderable length")
            .expected_mut("one or more lengths in metres");
    }
    let mut previous = Meters(0.0);
    for (i, len) in cable.length_options_m.iter().enumerate() {
        let lp = format!("{path}.length_options_m[{i}]");
        if c.range(&lp, len.0, 0.1, 10_000.0, "cable length") && len.0 <= previous.0 {
            c.error(Code::Inconsistent, lp, "lengths must be listed in increasing order").found_mut(len);
        }
        previous = *len;
    }
    let rp = format!("{path}.reach_m");
    if c.range(&rp, cable.reach_m.0, 0.1, 10_000.0, "reach") {
        if previous.0 > cable.reach_m.0 {
            c.error(
                Code::Inconsistent,
                rp.clone(),
                format!("a {previous} length is offered but the reach is {}", cable.reach_m),
            );
        }
        // Passive copper at 25G per lane and above ends at a few metres.
        if matches!(cable.kind, CableKind::Dac | CableKind::BreakoutDac) && cable.reach_m.0 > 10.0 {
            c.error(Code::OutOfRange, rp, format!("passive copper cannot reach {}", cable.reach_m))
                .expected_mut("at most 10 m (25G-lane DAC reach is 3–5 m)")
                .hint_mut("longer runs need an AOC or optics and fibre");
        }
    }
}

pub(super) fn check_shelf(c: &mut Checker, path: &str, s: &Shelf) {
    c.count(&format!("{path}.slots"), s.slots.into(), 1, 64, "slot count");
    check_rack_units(c, &format!("{path}.rack_units"), s.rack_units, false);
}

pub(super) fn check_shelf_ref(c: &mut Checker, path: &str, shelf: &str, shelves: &BTreeSet<&str>) {
    if !shelves.contains(shelf) {
        let d = c
            .error(Code::UnknownReference, path, format!("no shelf `{shelf}` in this catalog"))
            .found_mut(shelf)
            .expected_mut("an id from `shelves`");
        if let Some(best) = closest(shelf, shelves.iter().copied()) {
            d.hint = Some(format!("did you mean `{best}`?"));
        }
    }
}
