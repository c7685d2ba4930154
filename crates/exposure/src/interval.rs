//! Sets of points kept as sorted inclusive ranges.
//!
//! Ports and addresses are never expanded into individual values: a rule for `0-65535` or
//! `0.0.0.0/0` is one range, so the exposure engine's cost grows with the number of rules, not
//! with the size of what they allow.

use std::fmt::Debug;
use std::hash::Hash;

/// A totally ordered, bounded, discrete point type, so that ranges can be closed at both ends
/// and adjacency (`hi + 1 == lo`) is well defined without overflow.
pub trait Point: Copy + Ord + Eq + Hash + Debug + Send + Sync + 'static {
    const MIN: Self;
    const MAX: Self;
    /// `None` at `MAX`, so callers must handle the edge instead of overflowing.
    fn succ(self) -> Option<Self>;
    /// `None` at `MIN`, so callers must handle the edge instead of underflowing.
    fn pred(self) -> Option<Self>;
    /// `hi - lo + 1` as `u128`, saturating: the full `u128` space has 2^128 points. Zero if
    /// `lo > hi`.
    fn span(lo: Self, hi: Self) -> u128;
}

macro_rules! impl_point {
    ($($t:ty),*) => {$(
        impl Point for $t {
            const MIN: Self = <$t>::MIN;
            const MAX: Self = <$t>::MAX;
            #[inline]
            fn succ(self) -> Option<Self> {
                self.checked_add(1)
            }
            #[inline]
            fn pred(self) -> Option<Self> {
                self.checked_sub(1)
            }
            #[inline]
            fn span(lo: Self, hi: Self) -> u128 {
                if lo > hi {
                    0
                } else {
                    u128::from(hi - lo).saturating_add(1)
                }
            }
        }
    )*};
}

// `u8` exists so property tests can compare against a brute-force model of all 256 points.
impl_point!(u8, u16, u32, u128);

/// Sorted, disjoint, non-adjacent inclusive ranges.
///
/// The representation is canonical, so equal sets compare (and hash) equal: `0.0.0.0/1` plus
/// `128.0.0.0/1` is the same value as `0.0.0.0/0`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IntervalSet<T: Point> {
    ranges: Vec<(T, T)>,
}

// Written by hand: a derive would needlessly require `T: Default`.
impl<T: Point> Default for IntervalSet<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether a range ending at `hi` touches or overlaps one starting at `lo` (with `lo` not
/// before the start of the first range), so the two must be stored as one.
#[inline]
fn joins<T: Point>(hi: T, lo: T) -> bool {
    match hi.succ() {
        Some(next) => lo <= next,
        None => true,
    }
}

/// Appends `(lo, hi)` to ranges sorted by start, merging with the last range when they touch.
/// Requires `lo` to be no smaller than the last range's start.
#[inline]
fn push_merged<T: Point>(out: &mut Vec<(T, T)>, lo: T, hi: T) {
    if let Some(last) = out.last_mut()
        && joins(last.1, lo)
    {
        if hi > last.1 {
            last.1 = hi;
        }
        return;
    }
    out.push((lo, hi));
}

impl<T: Point> IntervalSet<T> {
    /// The empty set; does not allocate.
    pub const fn new() -> Self {
        Self { ranges: Vec::new() }
    }

    /// Every point, e.g. all ports for protocol `-1`.
    pub fn full() -> Self {
        Self {
            ranges: vec![(T::MIN, T::MAX)],
        }
    }

    /// Empty if `lo > hi`, so a reversed rule range allows nothing rather than panicking.
    pub fn from_range(lo: T, hi: T) -> Self {
        if lo > hi {
            Self::new()
        } else {
            Self {
                ranges: vec![(lo, hi)],
            }
        }
    }

    /// Accepts ranges in any order, overlapping or adjacent; reversed ranges are ignored.
    pub fn from_ranges(iter: impl IntoIterator<Item = (T, T)>) -> Self {
        let mut raw: Vec<(T, T)> = iter.into_iter().filter(|&(lo, hi)| lo <= hi).collect();
        raw.sort_unstable();
        let mut ranges = Vec::with_capacity(raw.len());
        for (lo, hi) in raw {
            push_merged(&mut ranges, lo, hi);
        }
        ranges.shrink_to_fit();
        Self { ranges }
    }

    /// Like [`Self::from_ranges`], but sorts and merges in a caller's scratch buffer (left
    /// empty) so the result is the only allocation: the engine builds one set per segment.
    pub fn from_scratch(buf: &mut Vec<(T, T)>) -> Self {
        buf.retain(|&(lo, hi)| lo <= hi);
        buf.sort_unstable();
        let mut len = 0;
        for k in 0..buf.len() {
            let (lo, hi) = buf[k];
            if len > 0 && joins(buf[len - 1].1, lo) {
                if hi > buf[len - 1].1 {
                    buf[len - 1].1 = hi;
                }
            } else {
                buf[len] = (lo, hi);
                len += 1;
            }
        }
        let ranges = buf[..len].to_vec();
        buf.clear();
        Self { ranges }
    }

    /// Adds one range in place (a no-op if `lo > hi`), merging whatever it touches.
    pub fn insert(&mut self, lo: T, hi: T) {
        if lo > hi {
            return;
        }
        // First range that ends at or after `lo - 1`: it is the first one `[lo, hi]` can join.
        let start = self
            .ranges
            .partition_point(|&(_, h)| h.succ().is_some_and(|next| next < lo));
        // One past the last range that starts at or before `hi + 1`.
        let end = match hi.succ() {
            Some(next) => self.ranges.partition_point(|&(l, _)| l <= next),
            None => self.ranges.len(),
        };
        if start == end {
            self.ranges.insert(start, (lo, hi));
            return;
        }
        let new_lo = lo.min(self.ranges[start].0);
        let new_hi = hi.max(self.ranges[end - 1].1);
        self.ranges[start] = (new_lo, new_hi);
        self.ranges.drain(start + 1..end);
    }

    pub fn union(&self, other: &Self) -> Self {
        if other.ranges.is_empty() {
            return self.clone();
        }
        if self.ranges.is_empty() {
            return other.clone();
        }
        let (a, b) = (&self.ranges, &other.ranges);
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let next = if j == b.len() || (i < a.len() && a[i].0 <= b[j].0) {
                i += 1;
                a[i - 1]
            } else {
                j += 1;
                b[j - 1]
            };
            push_merged(&mut out, next.0, next.1);
        }
        Self { ranges: out }
    }

    /// In-place union, for accumulating many rules into one set.
    pub fn union_with(&mut self, other: &Self) {
        // A few ranges are cheaper to splice in than to rebuild the whole vector.
        if other.ranges.len() <= 2 {
            for &(lo, hi) in &other.ranges {
                self.insert(lo, hi);
            }
        } else {
            *self = self.union(other);
        }
    }

    pub fn intersection(&self, other: &Self) -> Self {
        let (a, b) = (&self.ranges, &other.ranges);
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            let lo = a[i].0.max(b[j].0);
            let hi = a[i].1.min(b[j].1);
            if lo <= hi {
                // Pieces come from gaps-separated ranges, so they are already canonical.
                out.push((lo, hi));
            }
            if a[i].1 < b[j].1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        Self { ranges: out }
    }

    pub fn difference(&self, other: &Self) -> Self {
        let b = &other.ranges;
        let mut out = Vec::new();
        let mut j = 0;
        'outer: for &(lo, hi) in &self.ranges {
            while j < b.len() && b[j].1 < lo {
                j += 1;
            }
            let mut cur = lo;
            while j < b.len() && b[j].0 <= hi {
                let (blo, bhi) = b[j];
                if blo > cur
                    && let Some(end) = blo.pred()
                {
                    out.push((cur, end));
                }
                match bhi.succ() {
                    Some(next) if bhi < hi => {
                        cur = next;
                        j += 1;
                    }
                    // `b[j]` covers the rest of this range and may reach into the next one.
                    _ => continue 'outer,
                }
            }
            out.push((cur, hi));
        }
        Self { ranges: out }
    }

    pub fn complement(&self) -> Self {
        let mut out = Vec::with_capacity(self.ranges.len() + 1);
        let mut cur = T::MIN;
        for &(lo, hi) in &self.ranges {
            if lo > cur
                && let Some(end) = lo.pred()
            {
                out.push((cur, end));
            }
            match hi.succ() {
                Some(next) => cur = next,
                None => return Self { ranges: out },
            }
        }
        out.push((cur, T::MAX));
        Self { ranges: out }
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    #[inline]
    pub fn is_full(&self) -> bool {
        self.ranges == [(T::MIN, T::MAX)]
    }

    /// Binary search, so single-point lookups stay cheap on large sets.
    pub fn contains(&self, p: T) -> bool {
        let i = self.ranges.partition_point(|&(_, hi)| hi < p);
        self.ranges.get(i).is_some_and(|&(lo, _)| lo <= p)
    }

    /// Linear merge without allocating, for use in hot loops.
    pub fn is_superset(&self, other: &Self) -> bool {
        let a = &self.ranges;
        let mut i = 0;
        for &(lo, hi) in &other.ranges {
            while i < a.len() && a[i].1 < lo {
                i += 1;
            }
            // Canonical form: a covered range lies inside one single range of `self`.
            match a.get(i) {
                Some(&(alo, ahi)) if alo <= lo && hi <= ahi => {}
                _ => return false,
            }
        }
        true
    }

    /// Linear merge without allocating, for use in hot loops.
    pub fn intersects(&self, other: &Self) -> bool {
        let (a, b) = (&self.ranges, &other.ranges);
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            if a[i].1 < b[j].0 {
                i += 1;
            } else if b[j].1 < a[i].0 {
                j += 1;
            } else {
                return true;
            }
        }
        false
    }

    /// Points in both sets, counted by a linear merge without building the intersection:
    /// "how much of the internet does this admit" is asked of every segment.
    pub fn intersection_count(&self, other: &Self) -> u128 {
        let (a, b) = (&self.ranges, &other.ranges);
        let (mut i, mut j, mut total) = (0, 0, 0u128);
        while i < a.len() && j < b.len() {
            let lo = a[i].0.max(b[j].0);
            let hi = a[i].1.min(b[j].1);
            total = total.saturating_add(T::span(lo, hi));
            if a[i].1 < b[j].1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        total
    }

    /// Whether every point of `[lo, hi]` is in the set (true for a reversed, empty range).
    pub fn contains_range(&self, lo: T, hi: T) -> bool {
        if lo > hi {
            return true;
        }
        let i = self.ranges.partition_point(|&(_, h)| h < lo);
        self.ranges.get(i).is_some_and(|&(l, h)| l <= lo && hi <= h)
    }

    /// Number of points, saturating at `u128::MAX` (only the full `u128` set saturates).
    pub fn count(&self) -> u128 {
        self.ranges
            .iter()
            .fold(0u128, |acc, &(lo, hi)| acc.saturating_add(T::span(lo, hi)))
    }

    /// The canonical ranges: sorted, disjoint and non-adjacent.
    #[inline]
    pub fn ranges(&self) -> &[(T, T)] {
        &self.ranges
    }
}

impl<T: Point> FromIterator<(T, T)> for IntervalSet<T> {
    fn from_iter<I: IntoIterator<Item = (T, T)>>(iter: I) -> Self {
        Self::from_ranges(iter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type S16 = IntervalSet<u16>;
    type S128 = IntervalSet<u128>;

    #[test]
    fn span_edges() {
        assert_eq!(u8::span(0, 255), 256);
        assert_eq!(u16::span(5, 4), 0);
        assert_eq!(u32::span(0, u32::MAX), 1 << 32);
        assert_eq!(u128::span(0, u128::MAX), u128::MAX);
        assert_eq!(u128::span(1, u128::MAX), u128::MAX);
        assert_eq!(u128::span(7, 7), 1);
    }

    #[test]
    fn succ_pred_stop_at_bounds() {
        assert_eq!(u16::MAX.succ(), None);
        assert_eq!(u16::MIN.pred(), None);
        assert_eq!(u128::MAX.succ(), None);
        assert_eq!(41u32.succ(), Some(42));
    }

    #[test]
    fn full_u128_count_saturates() {
        assert_eq!(S128::full().count(), u128::MAX);
        let halves = S128::from_ranges([(0, u128::MAX / 2), (u128::MAX / 2 + 1, u128::MAX)]);
        assert!(halves.is_full());
        assert_eq!(halves.count(), u128::MAX);
        assert_eq!(S128::from_range(1, u128::MAX).count(), u128::MAX);
        assert_eq!(S128::from_range(2, u128::MAX).count(), u128::MAX - 1);
    }

    #[test]
    fn full_u16_count_is_exact() {
        assert_eq!(S16::full().count(), 65536);
        assert_eq!(S16::new().count(), 0);
    }

    #[test]
    fn reversed_range_is_empty() {
        assert!(S16::from_range(10, 9).is_empty());
        assert_eq!(S16::from_ranges([(10, 9), (3, 3)]).ranges(), &[(3, 3)]);
        let mut s = S16::new();
        s.insert(5, 4);
        assert!(s.is_empty());
    }

    #[test]
    fn adjacent_ranges_merge() {
        let s = S16::from_ranges([(10, 19), (0, 9), (20, 20)]);
        assert_eq!(s.ranges(), &[(0, 20)]);
        let mut t = S16::from_ranges([(0, 4), (6, 10)]);
        assert_eq!(t.ranges().len(), 2);
        t.insert(5, 5);
        assert_eq!(t.ranges(), &[(0, 10)]);
        assert_eq!(
            S16::from_range(0, 4).union(&S16::from_range(5, 9)),
            S16::from_range(0, 9)
        );
    }

    #[test]
    fn gap_of_one_does_not_merge() {
        let s = S16::from_ranges([(0, 4), (6, 9)]);
        assert_eq!(s.ranges(), &[(0, 4), (6, 9)]);
        assert_eq!(s.complement().ranges(), &[(5, 5), (10, u16::MAX)]);
    }

    #[test]
    fn halves_make_full() {
        let s = S16::from_ranges([(0x8000, u16::MAX), (0, 0x7fff)]);
        assert!(s.is_full());
        assert_eq!(s, S16::full());
        let mut t = S16::from_range(0, 0x7fff);
        t.union_with(&S16::from_range(0x8000, u16::MAX));
        assert!(t.is_full());
    }

    #[test]
    fn complement_at_bounds() {
        assert!(S16::new().complement().is_full());
        assert!(S16::full().complement().is_empty());
        assert_eq!(
            S16::from_range(0, 0).complement().ranges(),
            &[(1, u16::MAX)]
        );
        assert_eq!(
            S16::from_range(u16::MAX, u16::MAX).complement().ranges(),
            &[(0, u16::MAX - 1)]
        );
        assert_eq!(
            S128::from_range(0, u128::MAX - 1).complement().ranges(),
            &[(u128::MAX, u128::MAX)]
        );
    }

    #[test]
    fn insert_at_max_merges_everything_after() {
        let mut s = S16::from_ranges([(10, 20), (30, 40), (u16::MAX, u16::MAX)]);
        s.insert(15, u16::MAX);
        assert_eq!(s.ranges(), &[(10, u16::MAX)]);
        s.insert(0, 9);
        assert!(s.is_full());
    }

    #[test]
    fn difference_at_bounds() {
        let all = S16::full();
        assert_eq!(
            all.difference(&S16::from_range(0, 0)).ranges(),
            &[(1, u16::MAX)]
        );
        assert_eq!(
            all.difference(&S16::from_range(u16::MAX, u16::MAX))
                .ranges(),
            &[(0, u16::MAX - 1)]
        );
        assert!(all.difference(&all).is_empty());
        let holes = S16::from_ranges([(1, 1), (3, 3)]);
        assert_eq!(
            S16::from_range(0, 4).difference(&holes).ranges(),
            &[(0, 0), (2, 2), (4, 4)]
        );
    }

    #[test]
    fn contains_and_queries() {
        let s = S16::from_ranges([(22, 22), (80, 443)]);
        assert!(s.contains(22) && s.contains(80) && s.contains(443) && s.contains(200));
        assert!(!s.contains(21) && !s.contains(23) && !s.contains(444) && !s.contains(0));
        assert!(S16::full().contains(u16::MAX) && S16::full().contains(0));
        assert!(s.is_superset(&S16::from_range(100, 200)));
        assert!(!s.is_superset(&S16::from_range(20, 22)));
        assert!(s.is_superset(&S16::new()));
        assert!(S16::new().is_superset(&S16::new()));
        assert!(s.intersects(&S16::from_range(443, 500)));
        assert!(!s.intersects(&S16::from_range(23, 79)));
        assert!(!s.intersects(&S16::new()));
    }

    #[test]
    fn collects_from_iterator() {
        let s: S16 = [(443, 443), (80, 80), (81, 81)].into_iter().collect();
        assert_eq!(s.ranges(), &[(80, 81), (443, 443)]);
        assert_eq!(S16::default(), S16::new());
    }
}
