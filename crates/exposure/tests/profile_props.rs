//! Profiles against a port-by-port model: for every port, the segment that holds it must
//! name exactly the rules that open that port and admit exactly the union of their sources.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use ringfence_exposure::addr::{V4Set, V6Set};
use ringfence_exposure::{FlatRule, Profile, Reach, RuleRef, Transport};
use ringfence_model::{PortRange, Traffic};

/// Ports stay below this so the model can look at every one (plus 65535 for `-1`).
const TOP: u16 = 48;

fn traffic() -> impl Strategy<Value = Traffic> {
    let range = (0..TOP, 0..8u16).prop_map(|(from, len)| PortRange {
        from,
        to: (from + len).min(TOP),
    });
    prop_oneof![
        4 => range.clone().prop_map(Traffic::Tcp),
        2 => range.prop_map(Traffic::Udp),
        1 => Just(Traffic::All),
    ]
}

fn reach() -> impl Strategy<Value = Reach> {
    (
        prop::collection::vec((0..64u32, 0..16u32), 0..3),
        prop::collection::vec((0..64u128, 0..16u128), 0..2),
    )
        .prop_map(|(v4, v6)| Reach {
            v4: v4.into_iter().map(|(lo, len)| (lo, lo + len)).collect(),
            v6: v6.into_iter().map(|(lo, len)| (lo, lo + len)).collect(),
        })
}

fn rules() -> impl Strategy<Value = Vec<FlatRule>> {
    prop::collection::vec((traffic(), reach(), prop::bool::weighted(0.1)), 0..12).prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(i, (traffic, reach, unresolved))| FlatRule {
                at: RuleRef {
                    group: (i / 4) as u32,
                    rule: i as u32,
                },
                traffic,
                reach,
                unresolved,
            })
            .collect()
    })
}

fn check(rules: &[FlatRule], transport: Transport) {
    let profile = Profile::of(rules);
    let segments = profile.segments(transport);
    for pair in segments.windows(2) {
        assert!(pair[0].ports.to < pair[1].ports.from, "sorted and disjoint");
    }
    for port in (0..=TOP + 1).chain([u16::MAX]) {
        let opening: Vec<&FlatRule> = rules
            .iter()
            .filter(|r| {
                r.ports(transport)
                    .is_some_and(|p| p.from <= port && port <= p.to)
            })
            .collect();
        let found: Vec<_> = profile.within(transport, PortRange::single(port)).collect();
        if opening.is_empty() {
            assert!(found.is_empty(), "port {port}: no rule opens it");
            continue;
        }
        assert_eq!(found.len(), 1, "port {port} lies in one segment");
        let (part, segment) = found[0];
        assert_eq!(part, PortRange::single(port));
        let want: Vec<RuleRef> = opening.iter().map(|r| r.at).collect();
        assert_eq!(
            segment.rules, want,
            "port {port}: the rules, in input order"
        );
        let mut v4 = V4Set::new();
        let mut v6 = V6Set::new();
        for r in &opening {
            v4.union_with(&r.reach.v4);
            v6.union_with(&r.reach.v6);
        }
        assert_eq!(segment.reach, Reach { v4, v6 }, "port {port}: the union");
        assert_eq!(
            segment.unresolved,
            opening.iter().any(|r| r.unresolved),
            "port {port}: unresolved"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn segments_match_a_port_by_port_model(rules in rules()) {
        check(&rules, Transport::Tcp);
        check(&rules, Transport::Udp);
    }

    #[test]
    fn within_a_range_is_the_overlapping_segments_clipped(
        rules in rules(),
        from in 0..TOP,
        len in 0..20u16,
    ) {
        let profile = Profile::of(&rules);
        let ports = PortRange { from, to: from + len };
        let got: Vec<(PortRange, &ringfence_exposure::Segment)> =
            profile.within(Transport::Tcp, ports).collect();
        let want: Vec<(PortRange, &ringfence_exposure::Segment)> = profile
            .tcp
            .iter()
            .filter_map(|s| s.ports.intersect(&ports).map(|p| (p, s)))
            .collect();
        prop_assert_eq!(got, want);
    }
}
