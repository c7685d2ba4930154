//! Network ACLs, evaluated exactly: entries in rule-number order, the first entry that
//! matches a packet decides, and whatever no entry matches meets the final `*` deny.

use crate::interval::{IntervalSet, Point};
use ringfence_model::PortRange;

/// One ACL entry reduced to what decides a packet of one protocol and address family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AclRule<A: Point> {
    pub rule_number: u32,
    pub allow: bool,
    /// The destination ports it matches (the client's ports for the reply direction).
    pub ports: PortRange,
    /// The remote addresses it matches, as an inclusive range.
    pub remote: (A, A),
}

/// What an ACL lets through of a set of packets: for each stretch of ports, the remote
/// addresses allowed and the rule that allowed them, and the rules that denied the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AclOutcome<A: Point> {
    pub allowed: Vec<Allowed<A>>,
    /// Deny rules that matched some of the packets; `None` stands for the final `*` entry.
    pub denied_by: Vec<Option<u32>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allowed<A: Point> {
    pub ports: PortRange,
    pub remote: IntervalSet<A>,
    pub rule_number: u32,
}

impl<A: Point> AclOutcome<A> {
    /// Every remote address allowed on some port.
    pub fn remotes(&self) -> IntervalSet<A> {
        let mut all = IntervalSet::new();
        for allowed in &self.allowed {
            all.union_with(&allowed.remote);
        }
        all
    }

    pub fn allows_nothing(&self) -> bool {
        self.allowed.is_empty()
    }
}

/// Evaluates `rules` (already filtered to the packets' protocol, direction and address
/// family) for packets to `ports` from or to `remotes`. Exact: a rule that matches part of
/// the ports or part of the addresses decides exactly that part.
pub fn evaluate<A: Point>(
    rules: &[AclRule<A>],
    ports: PortRange,
    remotes: &IntervalSet<A>,
) -> AclOutcome<A> {
    let mut ordered: Vec<&AclRule<A>> = rules.iter().collect();
    ordered.sort_by_key(|r| r.rule_number);
    // Between two consecutive port boundaries the same rules apply.
    let mut bounds: Vec<u32> = vec![u32::from(ports.from), u32::from(ports.to) + 1];
    for rule in &ordered {
        for b in [u32::from(rule.ports.from), u32::from(rule.ports.to) + 1] {
            if b > u32::from(ports.from) && b <= u32::from(ports.to) {
                bounds.push(b);
            }
        }
    }
    bounds.sort_unstable();
    bounds.dedup();
    let mut outcome = AclOutcome {
        allowed: Vec::new(),
        denied_by: Vec::new(),
    };
    for pair in bounds.windows(2) {
        // Bounds lie within `ports`, so they fit a port.
        let stretch = PortRange {
            from: pair[0] as u16,
            to: (pair[1] - 1) as u16,
        };
        let mut rest = remotes.clone();
        for rule in ordered.iter().filter(|r| r.ports.contains(stretch.from)) {
            if rest.is_empty() {
                break;
            }
            let matched = rest.intersection(&IntervalSet::from_range(rule.remote.0, rule.remote.1));
            if matched.is_empty() {
                continue;
            }
            rest = rest.difference(&matched);
            if rule.allow {
                push_allowed(&mut outcome.allowed, stretch, matched, rule.rule_number);
            } else if !outcome.denied_by.contains(&Some(rule.rule_number)) {
                outcome.denied_by.push(Some(rule.rule_number));
            }
        }
        if !rest.is_empty() && !outcome.denied_by.contains(&None) {
            outcome.denied_by.push(None);
        }
    }
    outcome
}

/// Appends, merging with the previous stretch when it continues it with the same result.
fn push_allowed<A: Point>(
    allowed: &mut Vec<Allowed<A>>,
    ports: PortRange,
    remote: IntervalSet<A>,
    rule_number: u32,
) {
    if let Some(last) = allowed.last_mut()
        && last.rule_number == rule_number
        && last.remote == remote
        && u32::from(last.ports.to) + 1 == u32::from(ports.from)
    {
        last.ports.to = ports.to;
        return;
    }
    allowed.push(Allowed {
        ports,
        remote,
        rule_number,
    });
}
