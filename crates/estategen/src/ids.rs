//! AWS-looking ids (`sg-0f3a...`, 17 hex digits) that are unique within a region and
//! reproducible from the seed, kept as integers until they are written.

use serde::{Serialize, Serializer};
use std::fmt;

/// SplitMix64's finaliser: a bijection on `u64`, so distinct inputs give distinct ids.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A 12-digit account id.
pub(crate) fn account(seed: u64, index: usize) -> String {
    let n = mix(seed.wrapping_mul(31).wrapping_add(index as u64 + 7));
    format!("{:012}", 100_000_000_000 + n % 900_000_000_000)
}

/// The kinds of id, each with its own prefix and sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Vpc,
    VpcCidrAssoc,
    Subnet,
    SubnetCidrAssoc,
    Group,
    Rule,
    PrefixList,
    Instance,
    Reservation,
    Eni,
    EniAttach,
    Volume,
    Ami,
    RouteTable,
    RouteTableAssoc,
    Acl,
    AclAssoc,
    Igw,
    Nat,
    Alloc,
    EipAssoc,
}

impl Kind {
    const COUNT: usize = 21;

    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Vpc => "vpc",
            Kind::VpcCidrAssoc => "vpc-cidr-assoc",
            Kind::Subnet => "subnet",
            Kind::SubnetCidrAssoc => "subnet-cidr-assoc",
            Kind::Group => "sg",
            Kind::Rule => "sgr",
            Kind::PrefixList => "pl",
            Kind::Instance => "i",
            Kind::Reservation => "r",
            Kind::Eni => "eni",
            Kind::EniAttach => "eni-attach",
            Kind::Volume => "vol",
            Kind::Ami => "ami",
            Kind::RouteTable => "rtb",
            Kind::RouteTableAssoc => "rtbassoc",
            Kind::Acl => "acl",
            Kind::AclAssoc => "aclassoc",
            Kind::Igw => "igw",
            Kind::Nat => "nat",
            Kind::Alloc => "eipalloc",
            Kind::EipAssoc => "eipassoc",
        }
    }
}

/// An id: its kind and its 64 random-looking bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Id {
    pub kind: Kind,
    pub bits: u64,
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:017x}", self.kind.prefix(), self.bits)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Hands out ids of each kind: `mix(base + n)` is unique for each `n`.
pub(crate) struct Ids {
    base: [u64; Kind::COUNT],
    next: [u64; Kind::COUNT],
}

impl Ids {
    pub fn new(seed: u64) -> Self {
        let mut base = [0; Kind::COUNT];
        for (i, b) in base.iter_mut().enumerate() {
            *b = mix(seed ^ mix(i as u64 + 0x51));
        }
        Ids {
            base,
            next: [0; Kind::COUNT],
        }
    }

    pub fn next(&mut self, kind: Kind) -> Id {
        let k = kind as usize;
        let n = self.next[k];
        self.next[k] += 1;
        Id {
            kind,
            bits: mix(self.base[k].wrapping_add(n)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_look_like_aws_ids_and_do_not_repeat() {
        let mut ids = Ids::new(7);
        let all: HashSet<String> = (0..10_000)
            .map(|_| ids.next(Kind::Group).to_string())
            .collect();
        assert_eq!(all.len(), 10_000);
        let one = ids.next(Kind::Group).to_string();
        assert_eq!(one.len(), "sg-".len() + 17);
        assert!(one[3..].bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn accounts_have_twelve_digits() {
        for i in 0..100 {
            let a = account(3, i);
            assert_eq!(a.len(), 12);
            assert!(a.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
