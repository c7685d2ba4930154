//! Address and port sets, and what "the internet" is as such a set.
//!
//! Addresses are plain integers (IPv4 as `u32`, IPv6 as `u128`) so that CIDRs from many rules can
//! be unioned exactly: `0.0.0.0/1` plus `128.0.0.0/1` is open to the world just as `0.0.0.0/0`.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

use ringfence_model::{Ipv4Net, Ipv6Net};

use crate::interval::IntervalSet;

pub type V4Set = IntervalSet<u32>;
pub type V6Set = IntervalSet<u128>;
pub type PortSet = IntervalSet<u16>;

/// Inclusive first and last address, so a CIDR can join an interval set.
pub fn v4_range(net: &Ipv4Net) -> (u32, u32) {
    (u32::from(net.network()), u32::from(net.broadcast()))
}

/// Inclusive first and last address, so a CIDR can join an interval set.
pub fn v6_range(net: &Ipv6Net) -> (u128, u128) {
    (u128::from(net.network()), u128::from(net.broadcast()))
}

/// Range of an IPv4 block given as octets and prefix length, without parsing or failing.
const fn v4_block(octets: [u8; 4], prefix: u32) -> (u32, u32) {
    let base = u32::from_be_bytes(octets);
    let host = if prefix == 0 {
        u32::MAX
    } else {
        u32::MAX >> prefix
    };
    (base & !host, base | host)
}

/// Range of an IPv6 block given as its first 16-bit group and prefix length.
const fn v6_block(segments: [u16; 8], prefix: u32) -> (u128, u128) {
    let mut base = 0u128;
    let mut i = 0;
    while i < 8 {
        base = (base << 16) | segments[i] as u128;
        i += 1;
    }
    let host = if prefix == 0 {
        u128::MAX
    } else {
        u128::MAX >> prefix
    };
    (base & !host, base | host)
}

/// IANA special-purpose IPv4 blocks that are not globally reachable: a source in them is not
/// "the internet", so a rule for `10.0.0.0/8` is not a public exposure.
const V4_NOT_PUBLIC: [(u32, u32); 14] = [
    v4_block([0, 0, 0, 0], 8),
    v4_block([10, 0, 0, 0], 8),
    v4_block([100, 64, 0, 0], 10),
    v4_block([127, 0, 0, 0], 8),
    v4_block([169, 254, 0, 0], 16),
    v4_block([172, 16, 0, 0], 12),
    v4_block([192, 0, 0, 0], 24),
    v4_block([192, 0, 2, 0], 24),
    v4_block([192, 168, 0, 0], 16),
    v4_block([198, 18, 0, 0], 15),
    v4_block([198, 51, 100, 0], 24),
    v4_block([203, 0, 113, 0], 24),
    v4_block([224, 0, 0, 0], 4),
    // Reserved, including the limited broadcast 255.255.255.255.
    v4_block([240, 0, 0, 0], 4),
];

/// The public IPv4 internet: everything a rule's source could be that a stranger could hold.
/// Built once, since every rule in every group is intersected with it.
pub fn public_v4() -> &'static V4Set {
    static SET: OnceLock<V4Set> = OnceLock::new();
    SET.get_or_init(|| V4Set::full().difference(&V4Set::from_ranges(V4_NOT_PUBLIC)))
}

/// The public IPv6 internet: global unicast `2000::/3` minus the documentation blocks
/// `2001:db8::/32` and `3fff::/20`, which no one on the internet can hold.
pub fn public_v6() -> &'static V6Set {
    static SET: OnceLock<V6Set> = OnceLock::new();
    SET.get_or_init(|| {
        let (lo, hi) = v6_block([0x2000, 0, 0, 0, 0, 0, 0, 0], 3);
        let documentation = V6Set::from_ranges([
            v6_block([0x2001, 0x0db8, 0, 0, 0, 0, 0, 0], 32),
            v6_block([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20),
        ]);
        V6Set::from_range(lo, hi).difference(&documentation)
    })
}

/// Minimal aligned blocks exactly covering `[lo, hi]` on a `bits`-wide space, as
/// `(first address, prefix length)`. Shared by both families via `u128`.
fn cidr_blocks(lo: u128, hi: u128, bits: u32, out: &mut impl FnMut(u128, u8)) {
    let mut lo = lo;
    loop {
        // Largest block aligned at `lo`...
        let align = if lo == 0 {
            bits
        } else {
            lo.trailing_zeros().min(bits)
        };
        // ...that does not run past `hi`: 2^k - 1 <= hi - lo.
        let rest = hi - lo;
        let fits = if rest == u128::MAX {
            128
        } else {
            127 - (rest + 1).leading_zeros()
        };
        let k = align.min(fits);
        let host = if k == 128 {
            u128::MAX
        } else {
            (1u128 << k) - 1
        };
        // `k <= bits <= 128`, so the prefix length fits in a `u8`.
        out(lo, (bits - k) as u8);
        let end = lo | host;
        if end >= hi {
            return;
        }
        lo = end + 1;
    }
}

/// The set as the fewest CIDR blocks, in address order, for showing people what a rule really
/// lets in (for example only the public part of its source).
pub fn v4_cidrs(set: &V4Set) -> Vec<Ipv4Net> {
    let mut out = Vec::new();
    for &(lo, hi) in set.ranges() {
        cidr_blocks(u128::from(lo), u128::from(hi), 32, &mut |addr, len| {
            // The address came from a `u32` and `len <= 32`.
            out.push(Ipv4Net::new_assert(Ipv4Addr::from(addr as u32), len));
        });
    }
    out
}

/// The set as the fewest CIDR blocks, in address order, for showing people what a rule really
/// lets in (for example only the public part of its source).
pub fn v6_cidrs(set: &V6Set) -> Vec<Ipv6Net> {
    let mut out = Vec::new();
    for &(lo, hi) in set.ranges() {
        cidr_blocks(lo, hi, 128, &mut |addr, len| {
            out.push(Ipv6Net::new_assert(Ipv6Addr::from(addr), len));
        });
    }
    out
}

/// The fewest CIDRs that cover every address of `set` and nothing else of the public
/// internet: special-purpose ranges may fill the holes, so the public part of
/// `128.0.0.0/1` reads `128.0.0.0/1`, not eighty-odd blocks around 172.16.0.0/12.
pub fn display_v4_cidrs(set: &V4Set) -> Vec<Ipv4Net> {
    let special = public_v4().complement();
    v4_cidrs(&set.union(&special))
        .into_iter()
        .filter(|net| {
            let (lo, hi) = v4_range(net);
            set.intersects(&V4Set::from_range(lo, hi))
        })
        .collect()
}

/// [`display_v4_cidrs`] for IPv6.
pub fn display_v6_cidrs(set: &V6Set) -> Vec<Ipv6Net> {
    let special = public_v6().complement();
    v6_cidrs(&set.union(&special))
        .into_iter()
        .filter(|net| {
            let (lo, hi) = v6_range(net);
            set.intersects(&V6Set::from_range(lo, hi))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(s: &str) -> Ipv4Net {
        s.parse().unwrap()
    }

    fn v6(s: &str) -> Ipv6Net {
        s.parse().unwrap()
    }

    fn ip4(s: &str) -> u32 {
        u32::from(s.parse::<Ipv4Addr>().unwrap())
    }

    fn ip6(s: &str) -> u128 {
        u128::from(s.parse::<Ipv6Addr>().unwrap())
    }

    fn v4_set(nets: &[&str]) -> V4Set {
        nets.iter().map(|n| v4_range(&v4(n))).collect()
    }

    fn strings<T: ToString>(nets: &[T]) -> Vec<String> {
        nets.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn ranges_of_cidrs() {
        assert_eq!(v4_range(&v4("0.0.0.0/0")), (0, u32::MAX));
        assert_eq!(
            v4_range(&v4("10.1.2.3/8")),
            (ip4("10.0.0.0"), ip4("10.255.255.255"))
        );
        assert_eq!(
            v4_range(&v4("1.2.3.4/32")),
            (ip4("1.2.3.4"), ip4("1.2.3.4"))
        );
        assert_eq!(v6_range(&v6("::/0")), (0, u128::MAX));
        assert_eq!(
            v6_range(&v6("2001:db8::/32")),
            (
                ip6("2001:db8::"),
                ip6("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")
            )
        );
    }

    #[test]
    fn two_halves_are_the_whole_internet() {
        let halves = v4_set(&["0.0.0.0/1", "128.0.0.0/1"]);
        assert!(halves.is_full());
        assert_eq!(halves, v4_set(&["0.0.0.0/0"]));
        assert!(halves.is_superset(public_v4()));
        let v6_halves: V6Set = ["::/1", "8000::/1"]
            .iter()
            .map(|n| v6_range(&v6(n)))
            .collect();
        assert!(v6_halves.is_full());
    }

    #[test]
    fn public_v4_membership() {
        let public = public_v4();
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "52.95.110.1",
            "223.255.255.255",
            "100.63.255.255",
        ] {
            assert!(public.contains(ip4(ip)), "{ip} should be public");
        }
        for ip in [
            "10.1.2.3",
            "0.0.0.0",
            "100.64.0.1",
            "127.0.0.1",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.168.1.1",
            "198.19.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.255",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert!(!public.contains(ip4(ip)), "{ip} should not be public");
        }
        assert!(!public.intersects(&v4_set(&["10.0.0.0/8", "192.168.0.0/16"])));
        assert!(public.contains(ip4("172.32.0.0")) && public.contains(ip4("172.15.255.255")));
    }

    #[test]
    fn public_v6_membership() {
        let public = public_v6();
        assert!(public.contains(ip6("2600:1f18::1")));
        assert!(public.contains(ip6("2000::")));
        assert!(public.contains(ip6("3ffe:ffff::1")));
        assert!(public.contains(ip6("3fff:1000::")));
        for ip in [
            "2001:db8::1",
            "3fff::1",
            "3fff:fff::",
            "::1",
            "fe80::1",
            "fd00::1",
            "ff02::1",
            "4000::",
        ] {
            assert!(!public.contains(ip6(ip)), "{ip} should not be public");
        }
    }

    #[test]
    fn cidrs_of_whole_space() {
        assert_eq!(strings(&v4_cidrs(&V4Set::full())), ["0.0.0.0/0"]);
        assert_eq!(strings(&v6_cidrs(&V6Set::full())), ["::/0"]);
        assert!(v4_cidrs(&V4Set::new()).is_empty());
    }

    #[test]
    fn cidrs_of_odd_range() {
        let set = V4Set::from_range(ip4("1.0.0.0"), ip4("1.0.0.2"));
        assert_eq!(strings(&v4_cidrs(&set)), ["1.0.0.0/31", "1.0.0.2/32"]);
    }

    #[test]
    fn cidrs_at_top_of_space() {
        assert_eq!(
            strings(&v4_cidrs(&V4Set::from_range(u32::MAX, u32::MAX))),
            ["255.255.255.255/32"]
        );
        // Every power of two up to 128.0.0.0/1: 32 blocks, none of them mergeable.
        let expected: Vec<String> = (0..32)
            .map(|k| format!("{}/{}", Ipv4Addr::from(1u32 << k), 32 - k))
            .collect();
        assert_eq!(
            strings(&v4_cidrs(&V4Set::from_range(1, u32::MAX))),
            expected
        );
        assert_eq!(
            strings(&v6_cidrs(&V6Set::from_range(u128::MAX - 1, u128::MAX))),
            ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127"]
        );
    }

    #[test]
    fn public_v4_as_cidrs_round_trips() {
        let cidrs = v4_cidrs(public_v4());
        let back: V4Set = cidrs.iter().map(v4_range).collect();
        assert_eq!(&back, public_v4());
        assert!(strings(&cidrs).contains(&"8.0.0.0/7".to_string()));
    }

    #[test]
    fn public_v6_as_cidrs() {
        assert_eq!(
            strings(&v6_cidrs(public_v6()))[..3],
            ["2000::/16", "2001::/21", "2001:800::/22"]
        );
        let back: V6Set = v6_cidrs(public_v6()).iter().map(v6_range).collect();
        assert_eq!(&back, public_v6());
    }
}
