//! Which leaf each server port of a rack lands on, stated once: the rack's
//! NIC ports are numbered NIC by NIC (every server's first NIC, then every
//! server's second, …) and cut into one contiguous range per leaf, the
//! first leaves taking one more when they do not divide. The fabric's
//! counts (`fabric::server_blocks`), the placement's port names and the
//! graph's server groups all follow this rule, so which servers a leaf
//! failure cuts off is the same everywhere.

/// The ports of a rack's leaf `j` of `leaves`: the first port number and how
/// many, out of `ports` NIC ports in the rack.
pub fn port_range(ports: u64, leaves: u64, j: u64) -> (u64, u64) {
    let leaves = leaves.max(1);
    let (q, rem) = (ports / leaves, ports % leaves);
    (j * q + j.min(rem), q + u64::from(j < rem))
}

/// The leaf (of `leaves`, 0 the first) that takes port `port` of a rack of
/// `ports` NIC ports: the inverse of [`port_range`].
pub fn leaf_of_port(ports: u64, leaves: u64, port: u64) -> u64 {
    let leaves = leaves.max(1);
    let (q, rem) = (ports / leaves, ports % leaves);
    let long = (q + 1) * rem;
    if port < long {
        port / (q + 1)
    } else {
        rem + (port - long) / q.max(1)
    }
}

/// Servers of one rack that sit on the same leaves with the same number of
/// ports on each: what a leaf failure does to one of them it does to all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerGroup {
    /// The first server's slot in the rack (0 the lowest) and how many servers.
    pub first: u64,
    pub servers: u64,
    /// Per leaf of the rack (0 the first) that a server of the group has a
    /// port on, its ports there, in leaf order.
    pub leaves: Vec<(u64, u64)>,
}

/// The server groups of a rack of `servers` servers with `nics` ports each
/// over `leaves` leaves. Server `s` has port `s + k·servers` for NIC `k`, so
/// the leaves of its NICs never decrease with `s`: a group is a contiguous
/// run of slots, and a rack has at most `leaves` groups.
pub fn server_groups(servers: u64, nics: u64, leaves: u64) -> Vec<ServerGroup> {
    let ports = servers * nics;
    let leaves_of = |s: u64| -> Vec<(u64, u64)> {
        let mut out: Vec<(u64, u64)> = Vec::new();
        for k in 0..nics {
            let leaf = leaf_of_port(ports, leaves, s + k * servers);
            match out.last_mut() {
                Some((l, n)) if *l == leaf => *n += 1,
                _ => out.push((leaf, 1)),
            }
        }
        out
    };
    let mut groups: Vec<ServerGroup> = Vec::new();
    for s in 0..servers {
        let on = leaves_of(s);
        match groups.last_mut() {
            Some(g) if g.leaves == on => g.servers += 1,
            _ => groups.push(ServerGroup { first: s, servers: 1, leaves: on }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_the_ports_and_invert() {
        for ports in 0..60 {
            for leaves in 1..9 {
                let mut next = 0;
                for j in 0..leaves {
                    let (start, n) = port_range(ports, leaves, j);
                    assert_eq!(start, next);
                    for p in start..start + n {
                        assert_eq!(leaf_of_port(ports, leaves, p), j, "{ports} {leaves} {p}");
                    }
                    next += n;
                }
                assert_eq!(next, ports);
            }
        }
    }

    #[test]
    fn groups_by_hand() {
        // Single-homed, five leaves: eight servers each.
        let g = server_groups(40, 1, 5);
        assert_eq!(g.len(), 5);
        assert_eq!(g[1], ServerGroup { first: 8, servers: 8, leaves: vec![(1, 1)] });
        // Two NICs on two leaves: every server on both, one group.
        assert_eq!(
            server_groups(40, 2, 2),
            [ServerGroup { first: 0, servers: 40, leaves: vec![(0, 1), (1, 1)] }]
        );
        // Two NICs on one leaf: both ports there.
        assert_eq!(server_groups(5, 2, 1), [ServerGroup { first: 0, servers: 5, leaves: vec![(0, 2)] }]);
        // 80 ports over three leaves (27, 27, 26): leaf 0 holds NIC 0 of
        // servers 0-26, leaf 1 NIC 0 of 27-39 and NIC 1 of 0-13, leaf 2 NIC 1 of 14-39.
        let group =
            |first, servers, leaves: &[(u64, u64)]| ServerGroup { first, servers, leaves: leaves.to_vec() };
        assert_eq!(
            server_groups(40, 2, 3),
            [
                group(0, 14, &[(0, 1), (1, 1)]),
                group(14, 13, &[(0, 1), (2, 1)]),
                group(27, 13, &[(1, 1), (2, 1)])
            ]
        );
    }

    #[test]
    fn groups_hold_every_port_of_each_leaf() {
        for servers in 1..30 {
            for nics in 1..5 {
                for leaves in 1..9 {
                    let groups = server_groups(servers, nics, leaves);
                    assert!(groups.len() as u64 <= leaves.max(1));
                    assert_eq!(groups.iter().map(|g| g.servers).sum::<u64>(), servers);
                    for j in 0..leaves {
                        let on_j: u64 = groups
                            .iter()
                            .flat_map(|g| g.leaves.iter().filter(|l| l.0 == j).map(move |l| g.servers * l.1))
                            .sum();
                        assert_eq!(on_j, port_range(servers * nics, leaves, j).1);
                    }
                }
            }
        }
    }
}
