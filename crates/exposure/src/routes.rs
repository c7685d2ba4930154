//! Longest-prefix match over whole address sets: which route each part of a set of
//! destinations takes.

use crate::interval::{IntervalSet, Point};

/// One route as a destination range, its prefix length, and the caller's handle for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteRange<A: Point, T> {
    pub range: (A, A),
    pub prefix_len: u8,
    pub target: T,
}

/// Splits `destinations` by the most specific route covering each part; what no route
/// covers comes back last.
pub fn longest_prefix<A: Point, T: Copy>(
    routes: &[RouteRange<A, T>],
    destinations: &IntervalSet<A>,
) -> (Vec<(IntervalSet<A>, T)>, IntervalSet<A>) {
    let mut ordered: Vec<&RouteRange<A, T>> = routes.iter().collect();
    ordered.sort_by_key(|r| std::cmp::Reverse(r.prefix_len));
    let mut rest = destinations.clone();
    let mut parts = Vec::new();
    for route in ordered {
        if rest.is_empty() {
            break;
        }
        let part = rest.intersection(&IntervalSet::from_range(route.range.0, route.range.1));
        if !part.is_empty() {
            rest = rest.difference(&part);
            parts.push((part, route.target));
        }
    }
    (parts, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_route_wins_for_each_part() {
        let routes = [
            RouteRange {
                range: (0u8, 255),
                prefix_len: 0,
                target: "igw",
            },
            RouteRange {
                range: (0, 63),
                prefix_len: 2,
                target: "nat",
            },
        ];
        let (parts, rest) = longest_prefix(&routes, &IntervalSet::full());
        assert!(rest.is_empty());
        assert_eq!(
            parts,
            vec![
                (IntervalSet::from_range(0, 63), "nat"),
                (IntervalSet::from_range(64, 255), "igw")
            ]
        );
    }

    #[test]
    fn uncovered_destinations_are_returned() {
        let routes = [RouteRange {
            range: (10u8, 20),
            prefix_len: 4,
            target: 1,
        }];
        let (_, rest) = longest_prefix(&routes, &IntervalSet::from_range(0, 30));
        assert_eq!(rest, IntervalSet::from_ranges([(0, 9), (21, 30)]));
    }
}
