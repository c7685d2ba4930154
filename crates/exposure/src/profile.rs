//! What a set of security groups lets in, as the union of all their ingress rules.

use crate::addr::{V4Set, V6Set, public_v4, public_v6};
use crate::{FlatRule, Reach, RuleRef, Transport, WideThreshold};
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
    /// What every check asks of `reach`, answered once when the segment is built: each
    /// check asks it again of every segment of every group and instance.
    class: Class,
}

/// How much of the internet a reach admits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Class {
    world: bool,
    public_v4: u128,
    public_v6: u128,
}

impl Class {
    fn of(reach: &Reach) -> Self {
        Class {
            world: reach.is_world(),
            public_v4: reach.v4.intersection_count(public_v4()),
            public_v6: reach.v6.intersection_count(public_v6()),
        }
    }

    fn touches_internet(&self) -> bool {
        self.public_v4 > 0 || self.public_v6 > 0
    }
}

impl Segment {
    /// Builds a segment, classifying its reach once.
    pub fn new(ports: PortRange, reach: Reach, rules: Vec<RuleRef>, unresolved: bool) -> Self {
        let class = Class::of(&reach);
        Segment {
            ports,
            reach,
            rules,
            unresolved,
            class,
        }
    }

    /// [`Reach::is_world`] of `reach`.
    #[inline]
    pub fn is_world(&self) -> bool {
        self.class.world
    }

    /// [`Reach::is_wide`] of `reach`.
    #[inline]
    pub fn is_wide(&self, threshold: WideThreshold) -> bool {
        let (v4, v6) = threshold.needed();
        self.class.public_v4 >= v4 || self.class.public_v6 >= v6
    }

    /// [`Reach::touches_internet`] of `reach`.
    #[inline]
    pub fn touches_internet(&self) -> bool {
        self.class.touches_internet()
    }
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

    /// Every segment, `-1` first.
    pub fn all_segments(&self) -> impl Iterator<Item = &Segment> {
        self.all_protocols.iter().chain(&self.tcp).chain(&self.udp)
    }

    /// Some rule admits part of the internet: most groups and instances admit only private
    /// addresses and other groups, and every internet question about them is answered here.
    pub fn touches_internet(&self) -> bool {
        self.all_segments().any(Segment::touches_internet)
    }

    /// Some rule's source could not be resolved.
    pub fn unresolved(&self) -> bool {
        self.all_segments().any(|s| s.unresolved)
    }

    pub fn segments(&self, transport: Transport) -> &[Segment] {
        match transport {
            Transport::Tcp => &self.tcp,
            Transport::Udp => &self.udp,
        }
    }

    /// The parts of `ports` on `transport` that some rule opens, each with its reach.
    /// Segments are sorted and disjoint, so a binary search finds the first one that can
    /// overlap: checks ask this for every catalogued service of every instance.
    pub fn within(
        &self,
        transport: Transport,
        ports: PortRange,
    ) -> impl Iterator<Item = (PortRange, &Segment)> {
        let segments = self.segments(transport);
        let first = segments.partition_point(|s| s.ports.to < ports.from);
        segments[first..]
            .iter()
            .take_while(move |s| s.ports.from <= ports.to)
            .filter_map(move |segment| segment.ports.intersect(&ports).map(|part| (part, segment)))
    }
}

/// Scratch space reused across segments so each segment costs only its own storage.
#[derive(Default)]
struct Scratch {
    v4: Vec<(u32, u32)>,
    v6: Vec<(u128, u128)>,
}

impl Scratch {
    /// One segment over `ports` from the rules that apply there, in the order given.
    fn segment<'a>(
        &mut self,
        ports: PortRange,
        rules: impl Iterator<Item = &'a FlatRule>,
    ) -> Segment {
        let mut refs = Vec::new();
        let mut unresolved = false;
        for rule in rules {
            self.v4.extend_from_slice(rule.reach.v4.ranges());
            self.v6.extend_from_slice(rule.reach.v6.ranges());
            refs.push(rule.at);
            unresolved |= rule.unresolved;
        }
        let reach = Reach {
            v4: V4Set::from_scratch(&mut self.v4),
            v6: V6Set::from_scratch(&mut self.v6),
        };
        Segment::new(ports, reach, refs, unresolved)
    }
}

fn merge<'a>(ports: PortRange, rules: impl Iterator<Item = &'a FlatRule>) -> Segment {
    Scratch::default().segment(ports, rules)
}

/// Sweeps the rules' port boundaries: between two consecutive boundaries the same rules
/// apply, so each elementary stretch is one segment. Ports no rule opens get none.
/// The rules active at each stretch are kept as the sweep moves (rules start at a boundary
/// and leave after their last port), so the cost follows the segments' size, not
/// boundaries times rules.
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
    // Rule indices by first port; `active` stays in input order, as evidence lists them.
    let mut starts: Vec<usize> = (0..applying.len()).collect();
    starts.sort_by_key(|&k| applying[k].1.from);
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    let mut scratch = Scratch::default();
    let mut out = Vec::with_capacity(bounds.len());
    for pair in bounds.windows(2) {
        let (lo, hi) = (pair[0], pair[1] - 1);
        active.retain(|&k| lo <= u32::from(applying[k].1.to));
        while let Some(&k) = starts.get(next)
            && u32::from(applying[k].1.from) == lo
        {
            let at = active.partition_point(|&a| a < k);
            active.insert(at, k);
            next += 1;
        }
        if active.is_empty() {
            continue;
        }
        // Bounds never exceed 65536, so `lo`/`hi` fit a port.
        let ports = PortRange {
            from: lo as u16,
            to: hi as u16,
        };
        out.push(scratch.segment(ports, active.iter().map(|&k| applying[k].0)));
    }
    out
}
