//! The ACL evaluator against a brute-force, packet-by-packet model on random small ACLs.

use proptest::prelude::*;
use ringfence_exposure::interval::IntervalSet;
use ringfence_exposure::nacl::{AclRule, evaluate};
use ringfence_model::PortRange;

/// The reference: walk the entries in rule order for one packet.
fn brute_force(rules: &[AclRule<u8>], port: u16, addr: u8) -> bool {
    let mut ordered = rules.to_vec();
    ordered.sort_by_key(|r| r.rule_number);
    ordered
        .iter()
        .find(|r| r.ports.contains(port) && r.remote.0 <= addr && addr <= r.remote.1)
        .is_some_and(|r| r.allow)
}

fn rule() -> impl Strategy<Value = AclRule<u8>> {
    (
        1u32..200,
        any::<bool>(),
        0u16..24,
        0u16..24,
        any::<u8>(),
        any::<u8>(),
    )
        .prop_map(|(n, allow, a, b, x, y)| AclRule {
            rule_number: n,
            allow,
            ports: PortRange {
                from: a.min(b),
                to: a.max(b),
            },
            remote: (x.min(y), x.max(y)),
        })
}

fn unique_numbers(rules: Vec<AclRule<u8>>) -> Vec<AclRule<u8>> {
    let mut seen = std::collections::HashSet::new();
    rules
        .into_iter()
        .filter(|r| seen.insert(r.rule_number))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn matches_the_packet_by_packet_model(
        rules in prop::collection::vec(rule(), 0..8).prop_map(unique_numbers),
        from in 0u16..24, len in 0u16..8,
        remotes in prop::collection::vec((any::<u8>(), any::<u8>()), 0..4),
    ) {
        let ports = PortRange { from, to: from + len };
        let remotes: IntervalSet<u8> = remotes.into_iter().map(|(a, b)| (a.min(b), a.max(b))).collect();
        let outcome = evaluate(&rules, ports, &remotes);
        for port in ports.from..=ports.to {
            for addr in 0..=255u8 {
                let expected = remotes.contains(addr) && brute_force(&rules, port, addr);
                let got = outcome
                    .allowed
                    .iter()
                    .any(|a| a.ports.contains(port) && a.remote.contains(addr));
                prop_assert_eq!(got, expected, "port {} addr {}", port, addr);
                // The rule credited with allowing a packet is the one that decides it.
                if let Some(a) = outcome.allowed.iter().find(|a| a.ports.contains(port) && a.remote.contains(addr)) {
                    let mut ordered = rules.clone();
                    ordered.sort_by_key(|r| r.rule_number);
                    let first = ordered.iter().find(|r| r.ports.contains(port) && r.remote.0 <= addr && addr <= r.remote.1).unwrap();
                    prop_assert_eq!(a.rule_number, first.rule_number);
                }
            }
        }
        // Something not allowed was denied by a rule or by `*`.
        let everything_allowed = (ports.from..=ports.to).all(|p| remotes.ranges().iter().all(|&(lo, hi)| (lo..=hi).all(|a| brute_force(&rules, p, a))));
        prop_assert_eq!(outcome.denied_by.is_empty(), everything_allowed || remotes.is_empty());
    }
}

#[test]
fn a_deny_before_an_allow_wins() {
    let rules = [
        AclRule {
            rule_number: 100,
            allow: true,
            ports: PortRange::ALL,
            remote: (0u8, 255),
        },
        AclRule {
            rule_number: 90,
            allow: false,
            ports: PortRange::single(9042),
            remote: (0, 255),
        },
    ];
    let all: IntervalSet<u8> = IntervalSet::full();
    let outcome = evaluate(&rules, PortRange::single(9042), &all);
    assert!(outcome.allows_nothing());
    assert_eq!(outcome.denied_by, vec![Some(90)]);
    let outcome = evaluate(&rules, PortRange::new(9041, 9043).unwrap(), &all);
    assert_eq!(outcome.allowed.len(), 2, "{outcome:?}");
}

#[test]
fn no_matching_rule_meets_the_final_deny() {
    let outcome = evaluate::<u8>(&[], PortRange::single(22), &IntervalSet::full());
    assert!(outcome.allows_nothing());
    assert_eq!(outcome.denied_by, vec![None]);
}

#[test]
fn a_partial_cidr_allows_exactly_its_part() {
    let rules = [AclRule {
        rule_number: 10,
        allow: true,
        ports: PortRange::ALL,
        remote: (0u8, 127),
    }];
    let outcome = evaluate(&rules, PortRange::single(9042), &IntervalSet::full());
    assert_eq!(outcome.remotes(), IntervalSet::from_range(0, 127));
    assert_eq!(outcome.denied_by, vec![None]);
}
