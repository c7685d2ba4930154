//! Security-group rules reduced to what the engine needs, sources resolved to addresses.

use crate::Reach;
use crate::addr::{V4Set, V6Set, v4_range, v6_range};
use ringfence_model::{
    EstateIndex, IpNet, PortRange, PrefixList, ScopeId, SecurityGroup, Source, Traffic,
};

/// Where a rule sits in the estate: `estate.security_groups[group].ingress[rule]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleRef {
    pub group: u32,
    pub rule: u32,
}

/// The transport protocols whose ports name services.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transport {
    Tcp,
    Udp,
}

impl Transport {
    pub fn name(&self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
        }
    }
}

/// One ingress rule as the engine sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct FlatRule {
    pub at: RuleRef,
    pub traffic: Traffic,
    pub reach: Reach,
    /// The source names a prefix list whose entries are unknown, or could not be resolved
    /// at all (infrastructure as code): the rule's reach is a lower bound, so nothing it touches may be called safe.
    pub unresolved: bool,
}

impl FlatRule {
    /// Admits part of the public internet, or might: its source is unresolved.
    pub fn admits_internet(&self) -> bool {
        self.unresolved || self.reach.touches_internet()
    }

    /// The ports of `transport` this rule opens, if any; protocol `-1` opens them all.
    pub fn ports(&self, transport: Transport) -> Option<PortRange> {
        match (self.traffic, transport) {
            (Traffic::All, _) => Some(PortRange::ALL),
            (Traffic::Tcp(ports), Transport::Tcp) | (Traffic::Udp(ports), Transport::Udp) => {
                Some(ports)
            }
            _ => None,
        }
    }
}

/// Resolves rule sources to addresses; a security-group source admits its members,
/// which are never the internet, so it resolves to nothing.
/// The addresses a rule's source names, and whether they are unknown (an unread prefix
/// list, a value code left unresolved). `list` finds a prefix list by scope and id.
/// Ingress and egress (hygiene checks) resolve through this one function.
pub fn resolve<'l>(
    source: &Source,
    scope: ScopeId,
    list: impl Fn(ScopeId, &str) -> Option<&'l PrefixList>,
) -> (Reach, bool) {
    let mut reach = Reach::default();
    match source {
        Source::V4(net) => {
            let (lo, hi) = v4_range(net);
            reach.v4 = V4Set::from_range(lo, hi);
        }
        Source::V6(net) => {
            let (lo, hi) = v6_range(net);
            reach.v6 = V6Set::from_range(lo, hi);
        }
        Source::Group(_) => {}
        Source::Unresolved(_) => return (reach, true),
        Source::PrefixList(id) => {
            let entries = list(scope, id).and_then(|l| l.entries.as_ref());
            let Some(entries) = entries else {
                return (reach, true);
            };
            reach.v4 = entries
                .iter()
                .filter_map(|e| match &e.cidr {
                    IpNet::V4(net) => Some(v4_range(net)),
                    IpNet::V6(_) => None,
                })
                .collect();
            reach.v6 = entries
                .iter()
                .filter_map(|e| match &e.cidr {
                    IpNet::V6(net) => Some(v6_range(net)),
                    IpNet::V4(_) => None,
                })
                .collect();
        }
    }
    (reach, false)
}

/// The ingress rules of one group, resolved.
pub(crate) fn flatten(
    group_index: u32,
    group: &SecurityGroup,
    lists: &[PrefixList],
    index: &EstateIndex<'_>,
) -> Vec<FlatRule> {
    group
        .ingress
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let list =
                |scope: ScopeId, id: &str| index.prefix_lists.get(&(scope, id)).map(|&i| &lists[i]);
            let (reach, unresolved) = resolve(&rule.source, group.origin.scope, list);
            FlatRule {
                at: RuleRef {
                    group: group_index,
                    rule: i as u32,
                },
                traffic: rule.traffic,
                reach,
                unresolved,
            }
        })
        .collect()
}
