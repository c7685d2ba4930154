//! What a set of security groups lets in, as the union of all their ingress rules.

use crate::{FlatRule, Reach, RuleRef, Transport};
use ringfence_model::{PortRange, Traffic};

/// A stretch of one transport's port space over which the same rules apply.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub ports: PortRange,
    /// Union of the addresses every applying rule admits.
    pub reach: Reach,
    pub rules: Vec<RuleRef>,
    /// Some applying rule's source could not be resolved.
    pub unresolved: bool,
}

/// Ingress through a set of groups (one group, an interface's groups, an instance's),
/// split into segments so any question about ports is answered exactly, ranges included.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    pub tcp: Vec<Segment>,
    pub udp: Vec<Segment>,
    /// Rules with protocol `-1` (every protocol, every port), and what they admit together.
    pub all_protocols: Option<Segment>,
}

impl Profile {
    /// The union of `rules`: AWS applies the most permissive combination of every rule.
    pub fn of<'a>(rules: impl IntoIterator<Item = &'a FlatRule>) -> Self {
        let rules: Vec<&FlatRule> = rules.into_iter().collect();
        let all: Vec<&FlatRule> = rules
            .iter()
            .copied()
            .filter(|r| r.traffic == Traffic::All)
            .collect();
        Profile {
            tcp: segments(rules.iter().copied(), Transport::Tcp),
            udp: segments(rules.iter().copied(), Transport::Udp),
            all_protocols: (!all.is_empty()).then(|| merge(PortRange::ALL, all.into_iter())),
        }
    }

    pub fn segments(&self, transport: Transport) -> &[Segment] {
        match transport {
            Transport::Tcp => &self.tcp,
            Transport::Udp => &self.udp,
        }
    }

    /// The parts of `ports` on `transport` that some rule opens, each with its reach.
    pub fn within(
        &self,
        transport: Transport,
        ports: PortRange,
    ) -> impl Iterator<Item = (PortRange, &Segment)> {
        self.segments(transport)
            .iter()
            .filter_map(move |segment| segment.ports.intersect(&ports).map(|part| (part, segment)))
    }
}

fn merge<'a>(ports: PortRange, rules: impl Iterator<Item = &'a FlatRule>) -> Segment {
    let mut segment = Segment {
        ports,
        reach: Reach::default(),
        rules: Vec::new(),
        unresolved: false,
    };
    for rule in rules {
        segment.reach.union_with(&rule.reach);
        segment.rules.push(rule.at);
        segment.unresolved |= rule.unresolved;
    }
    segment
}

/// Sweeps the rules' port boundaries: between two consecutive boundaries the same rules
/// apply, so each elementary stretch is one segment. Ports no rule opens get none.
pub fn segments<'a>(
    rules: impl IntoIterator<Item = &'a FlatRule>,
    transport: Transport,
) -> Vec<Segment> {
    let applying: Vec<(&FlatRule, PortRange)> = rules
        .into_iter()
        .filter_map(|rule| rule.ports(transport).map(|ports| (rule, ports)))
        .collect();
    if applying.is_empty() {
        return Vec::new();
    }
    let mut bounds: Vec<u32> = applying
        .iter()
        .flat_map(|(_, p)| [u32::from(p.from), u32::from(p.to) + 1])
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut out = Vec::with_capacity(bounds.len());
    for pair in bounds.windows(2) {
        let (lo, hi) = (pair[0], pair[1] - 1);
        let active = applying
            .iter()
            .filter(|(_, p)| u32::from(p.from) <= lo && lo <= u32::from(p.to))
            .map(|(rule, _)| *rule);
        // Bounds never exceed 65536, so `lo`/`hi` fit a port.
        let ports = PortRange {
            from: lo as u16,
            to: hi as u16,
        };
        let segment = merge(ports, active);
        if !segment.rules.is_empty() {
            out.push(segment);
        }
    }
    out
}
