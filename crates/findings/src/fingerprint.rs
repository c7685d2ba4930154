//! Stable finding identities, so a scan can be compared with an earlier one (baselines)
//! and a finding keeps its id in Security Hub, code scanning and dashboards.
//!
//! The fingerprint hashes what the finding is about — the check, the account, the
//! region, the resource and the ports of the exposure — and never its wording, its
//! severity or its reachability, which change without the finding becoming another.

use crate::Finding;

/// Bumped if the hashed fields ever change: old baselines then say so rather than
/// silently reporting everything as new.
const VERSION: &str = "ringfence-fingerprint-v1";

/// What a fingerprint is computed from; built from a [`Finding`] or read back from an
/// earlier JSON report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FingerprintKey<'a> {
    pub check_id: &'a str,
    pub account: &'a str,
    pub region: &'a str,
    pub resource_id: &'a str,
    /// (protocol, from, to) of each port span, in any order.
    pub ports: Vec<(&'a str, u16, u16)>,
    /// The CloudTrail event a `ringfence trail` finding is about: one resource changed
    /// twice is two findings.
    pub event_id: Option<&'a str>,
}

impl<'a> FingerprintKey<'a> {
    pub fn of(finding: &'a Finding) -> Self {
        FingerprintKey {
            check_id: finding.check_id,
            account: finding.resource.account.as_deref().unwrap_or(""),
            region: &finding.resource.region,
            resource_id: &finding.resource.id,
            ports: finding
                .exposure
                .iter()
                .flat_map(|e| e.ports.iter())
                .map(|p| (p.protocol.as_str(), p.from, p.to))
                .collect(),
            event_id: finding.event.as_ref().map(|e| e.event_id.as_str()),
        }
    }

    /// 32 lowercase hex digits (128-bit FNV-1a): the same on every platform and release.
    pub fn fingerprint(&self) -> String {
        let mut ports = self.ports.clone();
        ports.sort_unstable();
        ports.dedup();
        let mut hasher = Fnv128::default();
        for field in [
            VERSION,
            self.check_id,
            self.account,
            self.region,
            self.resource_id,
        ] {
            hasher.field(field.as_bytes());
        }
        for (protocol, from, to) in ports {
            hasher.field(format!("{protocol}/{from}-{to}").as_bytes());
        }
        if let Some(event) = self.event_id {
            hasher.field(format!("event/{event}").as_bytes());
        }
        format!("{:032x}", hasher.0)
    }
}

impl Finding {
    /// The finding's stable identity: see the module documentation.
    pub fn fingerprint(&self) -> String {
        FingerprintKey::of(self).fingerprint()
    }
}

struct Fnv128(u128);

impl Default for Fnv128 {
    fn default() -> Self {
        Fnv128(0x6c62_272e_07bb_0142_62b8_2175_6295_c58d)
    }
}

impl Fnv128 {
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    fn byte(&mut self, b: u8) {
        self.0 ^= u128::from(b);
        self.0 = self.0.wrapping_mul(Self::PRIME);
    }

    /// A field and its length, so that ("ab", "c") and ("a", "bc") differ.
    fn field(&mut self, bytes: &[u8]) {
        for b in (bytes.len() as u64).to_le_bytes() {
            self.byte(b);
        }
        for &b in bytes {
            self.byte(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(ports: Vec<(&'static str, u16, u16)>) -> FingerprintKey<'static> {
        FingerprintKey {
            check_id: "ec2_instance_port_cassandra_exposed_to_internet",
            account: "123456789012",
            region: "us-east-1",
            resource_id: "i-0123",
            ports,
            event_id: None,
        }
    }

    #[test]
    fn two_events_on_one_resource_are_two_findings() {
        let mut first = key(vec![]);
        first.event_id = Some("e-1");
        let mut second = key(vec![]);
        second.event_id = Some("e-2");
        assert_ne!(first.fingerprint(), second.fingerprint());
        assert_ne!(first.fingerprint(), key(vec![]).fingerprint());
    }

    #[test]
    fn the_fingerprint_is_pinned() {
        // A change here breaks every user's baseline: bump VERSION instead.
        assert_eq!(
            key(vec![("tcp", 9042, 9042)]).fingerprint(),
            "53fc0e959305eb1c65733c4f8c433fd3"
        );
    }

    #[test]
    fn port_order_does_not_matter_but_ports_do() {
        let a = key(vec![("tcp", 9042, 9042), ("tcp", 7000, 7001)]);
        let b = key(vec![("tcp", 7000, 7001), ("tcp", 9042, 9042)]);
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(
            a.fingerprint(),
            key(vec![("tcp", 9042, 9042)]).fingerprint()
        );
        assert_ne!(
            key(vec![("tcp", 9042, 9042)]).fingerprint(),
            key(vec![("udp", 9042, 9042)]).fingerprint()
        );
    }

    #[test]
    fn field_boundaries_count() {
        let mut a = key(vec![]);
        let mut b = key(vec![]);
        a.account = "1234";
        a.region = "5us-east-1";
        b.account = "12345";
        b.region = "us-east-1";
        assert_ne!(a.fingerprint(), b.fingerprint());
    }
}
