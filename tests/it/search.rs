//! The fabric search against brute force: on small catalogs (four models,
//! radix up to 32, mixed speeds and breakouts) and sites of a few hundred
//! servers, every design the rules allow is enumerated here, without the
//! search's loops or bounds, and scored through `fabric::Evaluator`. None
//! may beat the design the search chose, the search must pick the same
//! winner the tie rules (restated here) pick from the brute-force set, and
//! its `why` must name the rule that decided.

use dcplan::design::fabric::{design_site_with, Choice, Evaluator, Score};
use dcplan::design::media::LinkClass;
use dcplan::design::ports;
use dcplan::design::HandOffNeed;
use dcplan::load::{self, Source};
use dcplan::model::{Catalog, FabricRole, Scenario, Tiers};
use dcplan::units::Gbps;

const CATALOG: &str = r#"
kind: catalog
format_version: 1
name: brute-force
vendor: test
deal:
  currency: USD
  valid_from: 2024-01-01
  valid_until: 2030-01-01
  discounts_pct: {fabric: "30", optics: "50", cables: "20"}
  support: {pct_per_year: "12", years: 3}
  source: test fixture
switches:
  - id: a28
    model: A28
    part_number: A28
    roles: [leaf]
    ports:
      - {count: 24, speed_gbps: 25, form_factor: sfp28}
      - {count: 4, speed_gbps: 100, form_factor: qsfp28, breakouts: [{lanes: 4, speed_gbps: 25}]}
    capacity_fd_gbps: 1000
    rack_units: 1
    power_w: {typical: 120, max: 250}
    list_price: "9000.00"
    source: test fixture
  - id: b16
    model: B16
    part_number: B16
    roles: [leaf, spine, superspine]
    ports:
      - {count: 16, speed_gbps: 100, form_factor: qsfp28, breakouts: [{lanes: 4, speed_gbps: 25}]}
    capacity_fd_gbps: 1600
    rack_units: 1
    power_w: {typical: 150, max: 300}
    list_price: "14000.00"
    source: test fixture
  - id: c32
    model: C32
    part_number: C32
    roles: [spine, superspine]
    ports:
      - {count: 32, speed_gbps: 100, form_factor: qsfp28, breakouts: [{lanes: 4, speed_gbps: 25}]}
    capacity_fd_gbps: 3200
    rack_units: 1
    power_w: {typical: 260, max: 520}
    list_price: "30000.00"
    source: test fixture
  - id: d8
    model: D8
    part_number: D8
    roles: [leaf, spine, superspine]
    ports:
      - {count: 8, speed_gbps: 400, form_factor: qsfp-dd, breakouts: [{lanes: 4, speed_gbps: 100}]}
    capacity_fd_gbps: 3200
    rack_units: 1
    power_w: {typical: 240, max: 480}
    list_price: "26000.00"
    source: test fixture
grey_optics:
  - id: sr4
    model: 100G SR4
    part_number: SR4
    standard: 100GBASE-SR4
    form_factor: qsfp28
    speed_gbps: 100
    reach_m: 100
    fibre: mmf
    connector: mpo12
    power_w: {typical: 2.5, max: 3.5}
    list_price: "300.00"
    source: test fixture
cables:
  - id: dac25
    model: 25G DAC
    part_number: DAC25
    kind: dac
    form_factor: sfp28
    speed_gbps: 25
    connector: integrated
    length_options_m: [1, 2, 3]
    reach_m: 3
    power_w: {typical: 0.1, max: 0.2}
    list_price: "40.00"
    source: test fixture
  - id: dac100x4
    model: 100G to 4x25G DAC
    part_number: DAC100X4
    kind: breakout-dac
    form_factor: qsfp28
    speed_gbps: 100
    breakout: {lanes: 4, speed_gbps: 25}
    connector: integrated
    length_options_m: [1, 2, 3]
    reach_m: 3
    power_w: {typical: 0.1, max: 0.2}
    list_price: "120.00"
    source: test fixture
  - id: aoc100
    model: 100G AOC
    part_number: AOC100
    kind: aoc
    form_factor: qsfp28
    speed_gbps: 100
    connector: integrated
    length_options_m: [10, 20, 30]
    reach_m: 30
    power_w: {typical: 1.5, max: 2.0}
    list_price: "420.00"
    source: test fixture
  - id: aoc400
    model: 400G AOC
    part_number: AOC400
    kind: aoc
    form_factor: qsfp-dd
    speed_gbps: 400
    connector: integrated
    length_options_m: [10, 20, 30]
    reach_m: 30
    power_w: {typical: 5.0, max: 7.0}
    list_price: "1500.00"
    source: test fixture
  - id: aoc400x4
    model: 400G to 4x100G AOC
    part_number: AOC400X4
    kind: breakout-aoc
    form_factor: qsfp-dd
    speed_gbps: 400
    breakout: {lanes: 4, speed_gbps: 100}
    connector: integrated
    length_options_m: [10, 20, 30]
    reach_m: 30
    power_w: {typical: 3.0, max: 4.0}
    list_price: "1300.00"
    source: test fixture
  - id: aoc100x4
    model: 100G to 4x25G AOC
    part_number: AOC100X4
    kind: breakout-aoc
    form_factor: qsfp28
    speed_gbps: 100
    breakout: {lanes: 4, speed_gbps: 25}
    connector: integrated
    length_options_m: [10, 20, 30]
    reach_m: 30
    power_w: {typical: 1.2, max: 1.6}
    list_price: "380.00"
    source: test fixture
  - id: mpo
    model: OM4 MPO-12 patch cord
    part_number: MPO
    kind: fibre-patch
    fibre: mmf
    connector: mpo12
    length_options_m: [10, 30]
    reach_m: 100
    power_w: {typical: 0, max: 0}
    list_price: "60.00"
    source: test fixture
"#;

fn catalog() -> Catalog {
    load::load_catalog(&Source::new("brute.yaml", CATALOG.to_string())).expect("test catalog is valid").value
}

#[allow(clippy::too_many_arguments)]
fn scenario(
    catalog: &Catalog,
    objective: &str,
    tie: f64,
    servers: u64,
    per_rack: u64,
    nic_gbps: u64,
    homing: &str,
    tiers: &str,
    leaf_os: f64,
) -> Scenario {
    let nics = if homing == "dual" { 2 } else { 1 };
    let yaml = format!(
        r#"
kind: scenario
format_version: 1
name: brute
objective: {objective}
tie_within_pct: {tie}
growth_headroom_pct: 0
energy: {{price_per_kwh: "0.12", years: 5}}
fabric: {{leaf_oversubscription: {leaf_os}, spine_oversubscription: 1.5, homing: {homing}, tiers: {tiers}}}
sites:
  - name: s
    servers: {servers}
    nics_per_server: {nics}
    nic_speed_gbps: {nic_gbps}
    servers_per_rack: {per_rack}
    rack_power_budget_kw: 30
    pue: 1.4
    layout: {{in_rack_m: 2, in_row_m: 10, across_hall_m: 30}}
"#
    );
    load::load_scenario(&Source::new("s.yaml", yaml), catalog).expect("test scenario is valid").value
}

fn ids(catalog: &Catalog, role: FabricRole) -> Vec<&str> {
    catalog.switches.iter().filter(|s| s.roles.contains(&role)).map(|s| s.id.as_str()).collect()
}

fn speeds(catalog: &Catalog, id: &str) -> Vec<Gbps> {
    ports::link_speeds(catalog.switch(id).unwrap())
}

/// Every design the rules allow, scored: each model, leaves per rack,
/// speed, count and divisor in full, nothing cut by a bound. The ranges
/// come from the rules themselves: uplinks from the fewest that meet the
/// leaf target to every free port; spine uplinks from the fewest that meet
/// the spine target (computed here) to every port the spine has left.
fn brute_force(catalog: &Catalog, scenario: &Scenario, handoff: &[HandOffNeed]) -> Vec<(Choice, Score)> {
    let two = if scenario.fabric.tiers == Tiers::Three {
        Vec::new()
    } else {
        enumerate(catalog, scenario, false, handoff)
    };
    // Auto: three tiers only where two cannot do it.
    if scenario.fabric.tiers == Tiers::Two || (scenario.fabric.tiers == Tiers::Auto && !two.is_empty()) {
        return two;
    }
    enumerate(catalog, scenario, true, handoff)
}

/// Every two-tier design, or every three-tier one.
fn enumerate(
    catalog: &Catalog,
    scenario: &Scenario,
    three: bool,
    handoff: &[HandOffNeed],
) -> Vec<(Choice, Score)> {
    let site = &scenario.sites[0];
    let eval = Evaluator::with_handoff(catalog, scenario, site, handoff);
    let racks = site.servers.div_ceil(site.rack_size());
    let t2 = scenario.fabric.spine_oversubscription;
    let mut out = Vec::new();
    // The hand-off on the top tier's ports, or on border leaves of every
    // leaf-capable model (their count and uplinks follow from the rules).
    let mut ways: Vec<Option<String>> = vec![None];
    if handoff.iter().any(|h| h.links > 0) {
        ways.extend(ids(catalog, FabricRole::Leaf).into_iter().map(|id| Some(id.to_string())));
    }
    let mut try_it = |c: Choice| {
        for way in &ways {
            let c = Choice { border_leaf: way.clone(), ..c.clone() };
            if let Ok(s) = eval.score(&c) {
                out.push((c, s));
            }
        }
    };
    for leaf in ids(catalog, FabricRole::Leaf) {
        for lpr in 1..=8u64 {
            let leaves = eval.leaves(lpr);
            for up in speeds(catalog, leaf) {
                let Ok((u_min, u_max)) = eval.uplink_range(leaf, up, lpr) else { continue };
                for u in u_min..=u_max {
                    for spine in ids(catalog, FabricRole::Spine) {
                        for n in (1..=u).filter(|n| u % n == 0) {
                            let two = Choice {
                                leaf: leaf.into(),
                                leaves_per_rack: lpr,
                                leaf_up_speed_gbps: up,
                                uplinks_per_leaf: u,
                                spine: spine.into(),
                                spines_per_pod: n,
                                superspine: None,
                                spine_up_speed_gbps: None,
                                spine_uplinks: 0,
                                pods: 1,
                                superspines_per_plane: 0,
                                border_leaf: None,
                            };
                            if !three {
                                try_it(two);
                                continue;
                            }
                            for ss in ids(catalog, FabricRole::Superspine) {
                                for up2 in speeds(catalog, ss) {
                                    for pods in 1..=racks {
                                        let per_pod = leaves.div_ceil(pods).div_ceil(lpr) * lpr;
                                        let down = per_pod * (u / n);
                                        let Some(split) =
                                            ports::split(catalog.switch(spine).unwrap(), up, down, up2)
                                        else {
                                            continue;
                                        };
                                        let need2 = ((down * up.0) as f64 / (t2 * up2.0 as f64) - 1e-9)
                                            .ceil()
                                            .max(1.0)
                                            as u64;
                                        for u2 in need2..=split.up_links_free {
                                            for n2 in (1..=u2).filter(|k| u2 % k == 0) {
                                                try_it(Choice {
                                                    superspine: Some(ss.into()),
                                                    spine_up_speed_gbps: Some(up2),
                                                    spine_uplinks: u2,
                                                    pods,
                                                    superspines_per_plane: n2,
                                                    ..two.clone()
                                                });
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// The objective as the README states it, from a design's cost and power:
/// `cost` cents, `power` mW, `tco` the cost plus 12 % a year of support and
/// the energy (W × PUE 1.4 × 8,760 h at 12 cents a kWh), over 5 years.
fn objective(name: &str, s: &Score) -> i128 {
    match name {
        "cost" => s.cost_cents,
        "power" => s.power_typical_mw,
        _ => {
            let support = s.cost_cents as f64 * (1.0 + 0.12 * 5.0);
            let energy = s.power_typical_mw as f64 / 1e6 * 1.4 * 8760.0 * 5.0 * 12.0;
            (support + energy).round() as i128
        }
    }
}

/// One tie rule: how two designs compare on it.
type Rule = fn(&Score, &Score) -> std::cmp::Ordering;

/// The tie rules as the README states them, in order, each a comparison
/// (less is better) and the name the `why` gives it: the share of a leaf's
/// uplinks on one spine (blast radius), devices, power, optics, the
/// objective, then the net cost.
fn tie_rules() -> [(&'static str, Rule); 6] {
    [
        ("blast radius", |a, b| {
            // links_per_spine / uplinks_per_leaf, compared as fractions.
            (u128::from(a.links_per_spine) * u128::from(b.uplinks_per_leaf))
                .cmp(&(u128::from(b.links_per_spine) * u128::from(a.uplinks_per_leaf)))
        }),
        ("devices", |a, b| a.switches.cmp(&b.switches)),
        ("power", |a, b| a.power_typical_mw.cmp(&b.power_typical_mw)),
        ("optics", |a, b| a.optics.cmp(&b.optics)),
        ("the objective", |a, b| a.objective.cmp(&b.objective)),
        ("net cost", |a, b| a.cost_cents.cmp(&b.cost_cents)),
    ]
}

/// The order of the tie rules, and the first rule on which `a` and `b` differ.
fn tie_rank(a: &Score, b: &Score) -> (std::cmp::Ordering, Option<&'static str>) {
    tie_rules()
        .into_iter()
        .map(|(name, rule)| (rule(a, b), Some(name)))
        .find(|(o, _)| o.is_ne())
        .unwrap_or((std::cmp::Ordering::Equal, None))
}

/// The search on `scenario` against the brute-force set `all` (scored with
/// the same media ranking), under the objective `name`.
fn check(
    catalog: &Catalog,
    (scenario, handoff): (&Scenario, &[HandOffNeed]),
    all: &[(Choice, Score)],
    name: &str,
    label: &str,
) {
    let all: Vec<(&Choice, Score)> =
        all.iter().map(|(c, s)| (c, Score { objective: objective(name, s), ..*s })).collect();
    let chosen = design_site_with(catalog, scenario, &scenario.sites[0], handoff);
    let Some(min) = all.iter().map(|(_, s)| s.objective).min() else {
        assert!(
            chosen.is_err(),
            "{label}: brute force finds nothing, the search finds {:?}",
            chosen.map(|d| d.choice)
        );
        return;
    };
    let d = chosen
        .unwrap_or_else(|e| panic!("{label}: brute force finds {} designs, the search none: {e}", all.len()));
    // The search's figures are the evaluator's for the same choice, and its
    // objective the one stated above (within a cent of rounding for tco).
    let again = Evaluator::with_handoff(catalog, scenario, &scenario.sites[0], handoff)
        .score(&d.choice)
        .expect("the chosen design scores");
    assert_eq!(again, d.score, "{label}");
    assert!((objective(name, &d.score) - d.score.objective).abs() <= 1, "{label}: {:?}", d.score);
    let d_score = Score { objective: objective(name, &d.score), ..d.score };
    // Nothing better than the tie allows, and the tie rules' own winner.
    let limit = min + (min as f64 * scenario.tie_within_pct / 100.0).ceil() as i128;
    assert!(d_score.objective <= limit, "{label}: chose {} with the best at {min}", d_score.objective);
    let mut tied: Vec<&(&Choice, Score)> = all.iter().filter(|(_, s)| s.objective <= limit).collect();
    tied.sort_by(|a, b| tie_rank(&a.1, &b.1).0);
    let best = tied[0];
    assert_eq!(
        tie_rank(&d_score, &best.1),
        (std::cmp::Ordering::Equal, None),
        "{label}: the search chose {:?} = {:?}, the brute force's winner is {:?} = {:?}",
        d.choice,
        d_score,
        best.0,
        best.1
    );
    // The `why` names the rule that decided: the first on which the winner
    // beats the first design it does not equal on every rule.
    match tied.iter().find(|c| tie_rank(&d_score, &c.1).0.is_ne()) {
        Some(runner_up) => {
            let rule = tie_rank(&d_score, &runner_up.1).1.unwrap();
            assert!(d.why.contains(&format!(" on {rule} (")), "{label}: {rule} decided: {}", d.why);
        }
        None if tied.len() > 1 => assert!(d.why.contains("equal to it on every rule"), "{label}: {}", d.why),
        None => assert!(!d.why.contains("within the tie"), "{label}: {}", d.why),
    }
}

/// Every objective and tie tolerance on one site: one enumeration ranked
/// by cost (objectives cost and tco rank media alike), one by power.
fn check_all(c: &Catalog, case: (u64, u64, u64, &str, f64), tiers: &str) {
    check_all_with(c, case, tiers, &[]);
}

fn check_all_with(c: &Catalog, case: (u64, u64, u64, &str, f64), tiers: &str, handoff: &[HandOffNeed]) {
    let (servers, per_rack, nic, homing, os) = case;
    for media_rank in ["cost", "power"] {
        let base = scenario(c, media_rank, 0.0, servers, per_rack, nic, homing, tiers, os);
        let all = brute_force(c, &base, handoff);
        let objectives: &[&str] = if media_rank == "cost" { &["cost", "tco"] } else { &["power"] };
        for name in objectives {
            for tie in [0.0, 1.0] {
                let s = scenario(c, name, tie, servers, per_rack, nic, homing, tiers, os);
                check(
                    c,
                    (&s, handoff),
                    &all,
                    name,
                    &format!("{name} tie {tie}: {servers} servers at {nic}G {homing}, tiers {tiers}"),
                );
            }
        }
    }
}

#[test]
fn two_tier_search_misses_nothing_brute_force_finds() {
    let c = catalog();
    for case in [(240, 24, 25, "single", 3.0), (384, 16, 25, "dual", 2.0), (150, 20, 100, "single", 4.0)] {
        check_all(&c, case, "2");
    }
}

/// A dearer twin of the A28 leaf (same ports and watts): under `power`
/// every design on it ties with one on the A28 on every rule but the net
/// cost, which must decide, and the `why` must say so.
#[test]
fn net_cost_breaks_a_tie_the_other_rules_leave() {
    let twin = CATALOG.replacen(
        "switches:\n",
        "switches:\n  - id: a28p\n    model: A28 premium\n    part_number: A28P\n    roles: [leaf]\n    ports:\n      - {count: 24, speed_gbps: 25, form_factor: sfp28}\n      - {count: 4, speed_gbps: 100, form_factor: qsfp28, breakouts: [{lanes: 4, speed_gbps: 25}]}\n    capacity_fd_gbps: 1000\n    rack_units: 1\n    power_w: {typical: 120, max: 250}\n    list_price: \"12000.00\"\n    source: test fixture\n",
        1,
    );
    let c = load::load_catalog(&Source::new("twin.yaml", twin)).expect("twin catalog is valid").value;
    let case = (240, 24, 25, "single", 3.0);
    check_all(&c, case, "2");
    let s = scenario(&c, "power", 0.0, case.0, case.1, case.2, case.3, "2", case.4);
    let d = design_site_with(&c, &s, &s.sites[0], &[]).expect("a design");
    assert_eq!(d.choice.leaf, "a28", "{}", d.why);
    assert!(d.why.contains("wins the tie over a28p/") && d.why.contains(" on net cost ("), "{}", d.why);
}

#[test]
fn three_tier_search_misses_nothing_brute_force_finds() {
    let c = catalog();
    for case in [(96, 24, 25, "single", 3.0), (80, 20, 25, "dual", 2.5)] {
        check_all(&c, case, "3");
    }
}

#[test]
fn auto_tiers_search_misses_nothing_brute_force_finds() {
    let c = catalog();
    for case in [(96, 24, 25, "single", 3.0), (480, 24, 25, "single", 3.0)] {
        check_all(&c, case, "auto");
    }
}

/// With links to hand off to the interconnect, set aside at the top tier:
/// 100G into QSFP28 (native on the spines, broken out nowhere) and 25G
/// (broken out 4x25G), at sizes that push some designs to three tiers.
#[test]
fn search_with_a_hand_off_misses_nothing_brute_force_finds() {
    let c = catalog();
    let need = |links, speed| HandOffNeed {
        speed_gbps: Gbps(speed),
        cage: if speed == 100 { dcplan::model::FormFactor::Qsfp28 } else { dcplan::model::FormFactor::Sfp28 },
        links,
        equipment: "test clients".into(),
        pluggable: None,
    };
    let cases = [
        ((240, 24, 25, "single", 3.0), "2", vec![need(6, 100)]),
        ((240, 24, 25, "single", 3.0), "auto", vec![need(30, 100), need(7, 25)]),
        ((96, 24, 25, "single", 3.0), "3", vec![need(9, 100)]),
    ];
    for (case, tiers, handoff) in cases {
        check_all_with(&c, case, tiers, &handoff);
        // The cases are not vacuous: the search designs the hand-off, every link of it.
        let (servers, per_rack, nic, homing, os) = case;
        let s = scenario(&c, "cost", 0.0, servers, per_rack, nic, homing, tiers, os);
        let d = design_site_with(&c, &s, &s.sites[0], &handoff).expect("a design with its hand-off");
        let links: u64 = d.handoff.iter().map(|h| h.links).sum();
        assert_eq!(links, handoff.iter().map(|h| h.links).sum::<u64>(), "{tiers}: {:?}", d.handoff);
        let grouped: u64 = d.links.iter().filter(|g| g.class == LinkClass::HandOff).map(|g| g.links).sum();
        assert_eq!(grouped, links, "{tiers}");
    }
}

/// The catalog above with a 25G SR optic and LC patch cords
/// (`tests/data/border-catalog.yaml`).
pub(crate) fn border_catalog() -> Catalog {
    let text = include_str!("../data/border-catalog.yaml").to_string();
    load::load_catalog(&Source::new("border-catalog.yaml", text)).expect("border catalog is valid").value
}

/// 240 servers at 25G in racks of 24 on two tiers of A28 leaves and D8
/// spines only: the D8's 400G ports break out to 100G, never to 25G, so
/// the spines cannot take a 25G hand-off; border leaves can (A28, native
/// SFP28 ports, 100G uplinks to the spines).
pub(crate) fn border_scenario(catalog: &Catalog, objective: &str, tie: f64) -> Scenario {
    let yaml = format!(
        r#"
kind: scenario
format_version: 1
name: border
objective: {objective}
tie_within_pct: {tie}
growth_headroom_pct: 0
energy: {{price_per_kwh: "0.12", years: 5}}
fabric: {{leaf_oversubscription: 3, homing: single, tiers: 2, allowed_models: [a28, d8]}}
sites:
  - name: s
    servers: 240
    nics_per_server: 1
    nic_speed_gbps: 25
    servers_per_rack: 24
    rack_power_budget_kw: 30
    pue: 1.4
    layout: {{in_rack_m: 2, in_row_m: 10, across_hall_m: 30}}
"#
    );
    load::load_scenario(&Source::new("border.yaml", yaml), catalog).expect("border scenario is valid").value
}

/// 40 links of 25G into SFP28 clients.
pub(crate) fn slow_need() -> Vec<HandOffNeed> {
    vec![HandOffNeed {
        speed_gbps: Gbps(25),
        cage: dcplan::model::FormFactor::Sfp28,
        links: 40,
        equipment: "test clients".into(),
        pluggable: None,
    }]
}

/// Where the top tier has no port for the hand-off, border leaves win: the
/// brute force (which enumerates both ways) finds only border-leaf designs,
/// and the search picks the best of them under every objective. The border
/// leaves are an even count, non-blocking toward the fabric, and in the graph.
#[test]
fn border_leaves_win_where_the_top_tier_cannot_take_the_hand_off() {
    use dcplan::topology::{self, NodeKind};
    let c = border_catalog();
    let need = slow_need();
    for (name, rank) in [("cost", "cost"), ("tco", "cost"), ("power", "power")] {
        let all = brute_force(&c, &border_scenario(&c, rank, 0.0), &need);
        assert!(!all.is_empty(), "{name}: the brute force finds no design");
        assert!(all.iter().all(|(ch, _)| ch.border_leaf.is_some()), "{name}: a top-tier design exists");
        for tie in [0.0, 1.0] {
            let s = border_scenario(&c, name, tie);
            check(&c, (&s, &need), &all, name, &format!("border leaves, {name} tie {tie}"));
        }
    }
    let s = border_scenario(&c, "cost", 1.0);
    let d = design_site_with(&c, &s, &s.sites[0], &need).expect("a design with border leaves");
    let b = d.border_leaf.as_ref().expect("border leaves");
    assert_eq!(d.choice.border_leaf.as_deref(), Some(b.switch_id.as_str()));
    assert_eq!(d.handoff[0].role, FabricRole::BorderLeaf);
    assert_eq!(d.handoff[0].switches, b.count);
    assert!(b.count >= 2 && b.count % 2 == 0, "{} border leaves", b.count);
    // Non-blocking: the busiest border leaf's hand-off fits its uplinks.
    let busiest = 40u64.div_ceil(b.count) * 25;
    assert!(b.up_links * b.up_speed_gbps.0 >= busiest, "{} x {} for {busiest}G", b.up_links, b.up_speed_gbps);
    assert_eq!(b.up_links, d.spine.count * b.links_per_peer_up);
    assert!(d.why.contains("hand-off on border leaves"), "{}", d.why);
    // Every link of the hand-off on them, and their uplinks on the spines' set-aside ports.
    let class_links =
        |k: LinkClass| -> u64 { d.links.iter().filter(|g| g.class == k).map(|g| g.links).sum() };
    assert_eq!(class_links(LinkClass::HandOff), 40);
    assert_eq!(class_links(LinkClass::BorderUplink), b.count * b.up_links);
    assert!(d.tier_list().iter().any(|t| t.role == FabricRole::BorderLeaf && t.count == b.count));
    assert!(d.score.switches >= d.leaf.count + d.spine.count + b.count);
    // In the graph: a node each, joined to every spine by its uplinks.
    let g = topology::site_graph(&d);
    let border: Vec<_> =
        g.nodes().filter(|(_, n)| n.kind == NodeKind::BorderLeaf).map(|(id, _)| id).collect();
    assert_eq!(border.len() as u64, b.count);
    for id in border {
        let ends: Vec<_> = g.bundles_at(id).collect();
        assert_eq!(ends.len() as u64, d.spine.count);
        assert!(ends
            .iter()
            .all(|(o, x)| g.node(*o).kind == NodeKind::Spine && x.count == b.links_per_peer_up));
    }
}

/// Where the spines have ports to spare for a few fast links, the hand-off
/// stays on them: border leaves are tried (the brute force has feasible
/// ones) and lose, and the `why` says by how much.
#[test]
fn top_tier_ports_win_where_they_are_to_spare() {
    let c = catalog();
    let need = vec![HandOffNeed {
        speed_gbps: Gbps(100),
        cage: dcplan::model::FormFactor::Qsfp28,
        links: 6,
        equipment: "test clients".into(),
        pluggable: None,
    }];
    let s = scenario(&c, "cost", 1.0, 240, 24, 25, "single", "2", 3.0);
    let all = brute_force(&c, &s, &need);
    assert!(all.iter().any(|(ch, _)| ch.border_leaf.is_some()), "no feasible border-leaf design");
    check(&c, (&s, &need), &all, "cost", "top tier, cost tie 1");
    let d = design_site_with(&c, &s, &s.sites[0], &need).expect("a design");
    assert!(d.border_leaf.is_none() && d.choice.border_leaf.is_none());
    assert_eq!(d.handoff[0].role, FabricRole::Spine);
    assert!(d.why.contains("hand-off on the spines' own ports: "), "{}", d.why);
    assert!(d.why.contains("border leaves"), "{}", d.why);
    // The best border-leaf design the brute force finds is dearer.
    let best_border = all.iter().filter(|(ch, _)| ch.border_leaf.is_some()).map(|(_, s)| s.cost_cents).min();
    assert!(best_border > Some(d.score.cost_cents));
}
