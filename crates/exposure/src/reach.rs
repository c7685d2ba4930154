//! The addresses a set of rules admits, and what that means for the internet.

use crate::addr::{V4Set, V6Set, public_v4, public_v6};

/// Addresses admitted, IPv4 and IPv6 apart.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Reach {
    pub v4: V4Set,
    pub v6: V6Set,
}

/// How wide a public range must be to count as "the internet" for a sensitive service:
/// a database open to a /8 is open to sixteen million strangers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WideThreshold {
    pub v4_prefix: u8,
    pub v6_prefix: u8,
}

impl Default for WideThreshold {
    fn default() -> Self {
        WideThreshold {
            v4_prefix: 8,
            v6_prefix: 8,
        }
    }
}

impl WideThreshold {
    /// How many public IPv4 and IPv6 addresses a reach must admit to be wide.
    pub fn needed(&self) -> (u128, u128) {
        let v4 = 1u128 << (32 - u32::from(self.v4_prefix.min(32)));
        let v6 = 1u128
            .checked_shl(128 - u32::from(self.v6_prefix.clamp(1, 128)))
            .unwrap_or(u128::MAX);
        (v4, v6)
    }
}

impl Reach {
    pub fn union_with(&mut self, other: &Reach) {
        self.v4.union_with(&other.v4);
        self.v6.union_with(&other.v6);
    }

    pub fn is_empty(&self) -> bool {
        self.v4.is_empty() && self.v6.is_empty()
    }

    /// Open to the world: the union covers the whole public IPv4 or IPv6 internet, however
    /// it is split into CIDRs (`0.0.0.0/1` + `128.0.0.0/1` is `0.0.0.0/0`).
    pub fn is_world(&self) -> bool {
        self.v4.is_superset(public_v4()) || self.v6.is_superset(public_v6())
    }

    /// Only the part of the internet: private, loopback and documentation ranges removed.
    pub fn public(&self) -> Reach {
        Reach {
            v4: self.v4.intersection(public_v4()),
            v6: self.v6.intersection(public_v6()),
        }
    }

    pub fn touches_internet(&self) -> bool {
        self.v4.intersects(public_v4()) || self.v6.intersects(public_v6())
    }

    /// Admits at least as many public addresses as one prefix of the threshold's size holds.
    /// Counted without building the public part: checks ask this of every segment.
    pub fn is_wide(&self, threshold: WideThreshold) -> bool {
        let (v4_needed, v6_needed) = threshold.needed();
        // The whole set's size bounds its public part's: most sets fail on it at once.
        (self.v4.count() >= v4_needed && self.v4.intersection_count(public_v4()) >= v4_needed)
            || (self.v6.count() >= v6_needed
                && self.v6.intersection_count(public_v6()) >= v6_needed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(ranges: &[(u32, u32)]) -> Reach {
        Reach {
            v4: V4Set::from_ranges(ranges.iter().copied()),
            v6: V6Set::new(),
        }
    }

    #[test]
    fn split_halves_are_the_world() {
        assert!(v4(&[(0, 0x7fff_ffff), (0x8000_0000, u32::MAX)]).is_world());
    }

    #[test]
    fn every_public_range_without_private_space_is_still_the_world() {
        let reach = Reach {
            v4: public_v4().clone(),
            v6: V6Set::new(),
        };
        assert!(reach.is_world());
    }

    #[test]
    fn missing_one_public_address_is_not_the_world() {
        let eight_eight = u32::from(std::net::Ipv4Addr::new(8, 8, 8, 8));
        assert!(!v4(&[(0, eight_eight - 1), (eight_eight + 1, u32::MAX)]).is_world());
    }

    #[test]
    fn a_public_slash_8_is_wide_a_private_one_is_not() {
        let eleven = v4(&[(11 << 24, (12 << 24) - 1)]);
        let ten = v4(&[(10 << 24, (11 << 24) - 1)]);
        assert!(eleven.is_wide(WideThreshold::default()));
        assert!(!ten.is_wide(WideThreshold::default()));
        assert!(!v4(&[(11 << 24, (11 << 24) + 0xff_fffe)]).is_wide(WideThreshold::default()));
    }

    #[test]
    fn ipv6_world_is_the_whole_public_space() {
        let reach = Reach {
            v4: V4Set::new(),
            v6: V6Set::full(),
        };
        assert!(reach.is_world());
        assert!(reach.is_wide(WideThreshold::default()));
    }
}
