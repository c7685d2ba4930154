//! Property tests of the interval algebra against a brute-force model.
//!
//! `u8` sets are compared point by point over all 256 values; `u16` sets are compared the same
//! way over all 65,536 values, with ranges drawn near the boundaries where off-by-one errors live.
//! CIDR decomposition is compared to a dynamic-programming minimum over 256-address windows.

use std::collections::HashSet;

use proptest::prelude::*;
use ringfence_exposure::addr::{V4Set, V6Set, v4_cidrs, v4_range, v6_cidrs, v6_range};
use ringfence_exposure::interval::{IntervalSet, Point};
use ringfence_model::Ipv4Net;

/// A set as one flag per point of the whole space.
type Model = Vec<bool>;

trait Small: Point + Into<usize> + TryFrom<usize> {}
impl Small for u8 {}
impl Small for u16 {}

fn size<T: Small>() -> usize {
    T::MAX.into() + 1
}

fn model_of<T: Small>(raw: &[(T, T)]) -> Model {
    let mut m = vec![false; size::<T>()];
    for &(lo, hi) in raw {
        if lo <= hi {
            m[lo.into()..=hi.into()].fill(true);
        }
    }
    m
}

fn model_of_set<T: Small>(s: &IntervalSet<T>) -> Model {
    model_of(s.ranges())
}

fn zip(a: &Model, b: &Model, f: impl Fn(bool, bool) -> bool) -> Model {
    a.iter().zip(b).map(|(&x, &y)| f(x, y)).collect()
}

/// Sorted, disjoint, non-adjacent, each range non-empty.
fn assert_canonical<T: Point>(s: &IntervalSet<T>) {
    let r = s.ranges();
    for &(lo, hi) in r {
        assert!(lo <= hi, "reversed range in {r:?}");
    }
    for w in r.windows(2) {
        let (a, b) = (w[0], w[1]);
        let gap = a.1.succ().expect("a range ends at MAX but another follows");
        assert!(
            gap < b.0,
            "overlapping or adjacent ranges {a:?} {b:?} in {r:?}"
        );
    }
}

/// Every operation on two sets, checked against the model and for canonical form.
fn check_ops<T: Small>(ra: &[(T, T)], rb: &[(T, T)], probe: T) {
    let a = IntervalSet::from_ranges(ra.iter().copied());
    let b = IntervalSet::from_ranges(rb.iter().copied());
    let (ma, mb) = (model_of(ra), model_of(rb));
    assert_canonical(&a);
    assert_canonical(&b);
    assert_eq!(model_of_set(&a), ma, "from_ranges");

    // insert, one range at a time, reaches the same canonical value.
    let mut inserted = IntervalSet::new();
    for &(lo, hi) in ra {
        inserted.insert(lo, hi);
        assert_canonical(&inserted);
    }
    assert_eq!(inserted, a, "insert");
    let mut scratch: Vec<(T, T)> = ra.iter().rev().copied().collect();
    assert_eq!(IntervalSet::from_scratch(&mut scratch), a, "from_scratch");
    assert!(scratch.is_empty(), "from_scratch leaves its buffer empty");
    let collected: IntervalSet<T> = ra.iter().rev().copied().collect();
    assert_eq!(collected, a, "order does not matter");

    let union = a.union(&b);
    let inter = a.intersection(&b);
    let diff = a.difference(&b);
    let comp = a.complement();
    let mut union_with = a.clone();
    union_with.union_with(&b);
    for s in [&union, &inter, &diff, &comp, &union_with] {
        assert_canonical(s);
    }
    assert_eq!(model_of_set(&union), zip(&ma, &mb, |x, y| x || y), "union");
    assert_eq!(
        model_of_set(&inter),
        zip(&ma, &mb, |x, y| x && y),
        "intersection"
    );
    assert_eq!(
        model_of_set(&diff),
        zip(&ma, &mb, |x, y| x && !y),
        "difference"
    );
    assert_eq!(model_of_set(&comp), zip(&ma, &ma, |x, _| !x), "complement");
    assert_eq!(union_with, union, "union_with");

    // Queries.
    let superset = ma.iter().zip(&mb).all(|(&x, &y)| x || !y);
    let intersects = ma.iter().zip(&mb).any(|(&x, &y)| x && y);
    assert_eq!(a.is_superset(&b), superset, "is_superset");
    assert_eq!(a.intersects(&b), intersects, "intersects");
    assert_eq!(
        a.count(),
        ma.iter().filter(|&&x| x).count() as u128,
        "count"
    );
    assert_eq!(
        a.intersection_count(&b),
        inter.count(),
        "intersection_count"
    );
    for &(lo, hi) in rb {
        let (from, to): (usize, usize) = (lo.into(), hi.into());
        let inside = (from..=to).all(|p| ma[p]);
        assert_eq!(
            a.contains_range(lo, hi),
            inside,
            "contains_range {lo:?}-{hi:?}"
        );
    }
    assert_eq!(a.is_empty(), !ma.contains(&true), "is_empty");
    assert_eq!(a.is_full(), !ma.contains(&false), "is_full");
    assert_eq!(a.contains(probe), ma[probe.into()], "contains probe");
    // Points where `contains` can go wrong: each range's ends and their neighbours.
    for &(lo, hi) in a.ranges().iter().chain(b.ranges()) {
        for p in [Some(lo), lo.pred(), Some(hi), hi.succ()]
            .into_iter()
            .flatten()
        {
            assert_eq!(a.contains(p), ma[p.into()], "contains {p:?}");
        }
    }

    // Laws.
    assert_eq!(
        union.complement(),
        comp.intersection(&b.complement()),
        "De Morgan (union)"
    );
    assert_eq!(
        inter.complement(),
        comp.union(&b.complement()),
        "De Morgan (intersection)"
    );
    assert_eq!(
        diff,
        a.intersection(&b.complement()),
        "difference via complement"
    );
    assert_eq!(comp.complement(), a, "double complement");
    assert_eq!(union, b.union(&a), "union commutes");
    assert_eq!(inter, b.intersection(&a), "intersection commutes");
    assert!(union.is_superset(&a) && union.is_superset(&b));
    assert!(a.is_superset(&inter) && a.is_superset(&diff));
    assert!(!diff.intersects(&b));
    assert!(a.union(&comp).is_full() && !a.intersects(&comp));
    assert_eq!(
        a.count().saturating_add(comp.count()),
        size::<T>() as u128,
        "count of a set and its complement"
    );
}

fn ranges<T: std::fmt::Debug>(
    point: impl Strategy<Value = T> + Clone,
) -> impl Strategy<Value = Vec<(T, T)>> {
    prop::collection::vec((point.clone(), point), 0..8)
}

/// `u16` points clustered at both ends and in the middle, so that ranges touch the boundaries
/// and each other often, with some drawn anywhere.
fn near_edges_u16() -> impl Strategy<Value = u16> + Clone {
    prop_oneof![
        0..=24u16,
        (u16::MAX - 24)..=u16::MAX,
        32_756..=32_780u16,
        any::<u16>(),
    ]
}

/// Sorts each pair so most generated ranges are non-empty; reversed pairs are tested separately.
fn sorted<T: Ord + Copy>(raw: Vec<(T, T)>) -> Vec<(T, T)> {
    raw.into_iter().map(|(x, y)| (x.min(y), x.max(y))).collect()
}

/// The fewest CIDR blocks exactly covering a subset of a 256-address window (aligned to 256),
/// by dynamic programming over every aligned block in the window.
fn minimal_block_count(inside: &[bool; 256]) -> usize {
    let mut best = [usize::MAX; 257];
    best[0] = 0;
    for i in 0..256 {
        if best[i] == usize::MAX {
            continue;
        }
        if !inside[i] {
            best[i + 1] = best[i + 1].min(best[i]);
            continue;
        }
        let mut size = 1;
        while i % size == 0 && i + size <= 256 && inside[i..i + size].iter().all(|&x| x) {
            best[i + size] = best[i + size].min(best[i] + 1);
            size *= 2;
        }
    }
    best[256]
}

/// Greedy by brute force: from each uncovered member, take the shortest prefix whose block
/// starts there and lies inside the set.
fn greedy_cidrs(set: &V4Set) -> Vec<Ipv4Net> {
    let mut out = Vec::new();
    for &(lo, hi) in set.ranges() {
        let mut at = u64::from(lo);
        while at <= u64::from(hi) {
            let addr = at as u32;
            let net = (0..=32u8)
                .map(|len| Ipv4Net::new_assert(addr.into(), len))
                .find(|net| {
                    u32::from(net.network()) == addr
                        && set.is_superset(&V4Set::from_range(addr, u32::from(net.broadcast())))
                })
                .expect("a /32 always fits");
            at = u64::from(u32::from(net.broadcast())) + 1;
            out.push(net);
        }
    }
    out
}

fn check_cidrs(set: &V4Set) -> Vec<Ipv4Net> {
    let cidrs = v4_cidrs(set);
    let back: V4Set = cidrs.iter().map(v4_range).collect();
    assert_eq!(&back, set, "CIDRs cover exactly the set");
    let total: u128 = cidrs.iter().map(|n| 1u128 << (32 - n.prefix_len())).sum();
    assert_eq!(total, set.count(), "CIDRs are pairwise disjoint");
    for w in cidrs.windows(2) {
        assert!(
            w[0].broadcast() < w[1].network(),
            "in order and disjoint: {w:?}"
        );
    }
    for net in &cidrs {
        // Maximal: the enclosing block is not inside the set, or it would have been used.
        if let Some(parent) = net.supernet() {
            let (lo, hi) = v4_range(&parent);
            assert!(
                !set.is_superset(&V4Set::from_range(lo, hi)),
                "{net} is not maximal"
            );
        }
    }
    assert_eq!(cidrs, greedy_cidrs(set), "same as brute-force greedy");
    cidrs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn u8_ops_match_model(
        ra in ranges(any::<u8>()).prop_map(sorted),
        rb in ranges(any::<u8>()).prop_map(sorted),
        probe in any::<u8>(),
    ) {
        check_ops(&ra, &rb, probe);
    }

    #[test]
    fn u8_reversed_ranges_are_ignored(ra in ranges(any::<u8>()), rb in ranges(any::<u8>())) {
        check_ops(&ra, &rb, 0);
    }

    #[test]
    fn u8_small_points_touch_often(
        ra in ranges(prop_oneof![0..=8u8, 247..=255u8]).prop_map(sorted),
        rb in ranges(prop_oneof![0..=8u8, 247..=255u8]).prop_map(sorted),
        probe in prop_oneof![0..=8u8, 247..=255u8],
    ) {
        check_ops(&ra, &rb, probe);
    }

    #[test]
    fn canonical_form_is_unique(ra in ranges(any::<u8>()).prop_map(sorted)) {
        // Splitting every range at every point gives the same value.
        let a = IntervalSet::from_ranges(ra.iter().copied());
        let points = ra.iter().flat_map(|&(lo, hi)| (lo..=hi).map(|p| (p, p)));
        prop_assert_eq!(IntervalSet::from_ranges(points), a.clone());
        let rebuilt = a.ranges().iter().fold(IntervalSet::new(), |acc, &(lo, hi)| {
            acc.union(&IntervalSet::from_range(lo, hi))
        });
        prop_assert_eq!(rebuilt, a);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn u16_ops_match_model_near_edges(
        ra in ranges(near_edges_u16()).prop_map(sorted),
        rb in ranges(near_edges_u16()).prop_map(sorted),
        probe in near_edges_u16(),
    ) {
        check_ops(&ra, &rb, probe);
    }

    #[test]
    fn v4_cidrs_are_minimal_in_a_window(
        window in prop_oneof![Just(0u32), Just(0x00ff_ffff), 0..=0x00ff_ffffu32],
        raw in ranges(any::<u8>()).prop_map(sorted),
    ) {
        let base = window << 8;
        let set: V4Set = raw.iter().map(|&(lo, hi)| (base + u32::from(lo), base + u32::from(hi))).collect();
        let cidrs = check_cidrs(&set);
        let mut inside = [false; 256];
        for (i, flag) in inside.iter_mut().enumerate() {
            *flag = set.contains(base + i as u32);
        }
        prop_assert_eq!(cidrs.len(), minimal_block_count(&inside));
    }

    #[test]
    fn v4_cidrs_of_wide_sets(
        raw in ranges(prop_oneof![
            any::<u32>(),
            0..=64u32,
            (u32::MAX - 64)..=u32::MAX,
            (0..=32u32).prop_map(|k| if k == 32 { 0 } else { 1u32 << k }),
        ]).prop_map(sorted),
    ) {
        let set: V4Set = raw.into_iter().collect();
        check_cidrs(&set);
    }

    #[test]
    fn v6_cidrs_round_trip(
        raw in ranges(prop_oneof![
            any::<u128>(),
            0..=64u128,
            (u128::MAX - 64)..=u128::MAX,
            (0..128u32).prop_map(|k| 1u128 << k),
        ]).prop_map(sorted),
    ) {
        let set: V6Set = raw.into_iter().collect();
        let cidrs = v6_cidrs(&set);
        let back: V6Set = cidrs.iter().map(v6_range).collect();
        prop_assert_eq!(&back, &set);
        let distinct: HashSet<_> = cidrs.iter().collect();
        prop_assert_eq!(distinct.len(), cidrs.len());
        for w in cidrs.windows(2) {
            prop_assert!(w[0].broadcast() < w[1].network());
        }
        for net in &cidrs {
            if let Some(parent) = net.supernet() {
                let (lo, hi) = v6_range(&parent);
                prop_assert!(!set.is_superset(&V6Set::from_range(lo, hi)), "{} is not maximal", net);
            }
        }
    }
}
