use ipnet::{Ipv4Net, Ipv6Net};
use std::fmt;

/// Another security group named as a rule's source: traffic from that group's
/// members, never the internet by itself.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct GroupRef {
    pub group_id: Option<String>,
    pub group_name: Option<String>,
    pub user_id: Option<String>,
    pub vpc_id: Option<String>,
    pub peering_status: Option<String>,
}

/// Where a security-group rule admits (or, for egress, sends) traffic.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    V4(Ipv4Net),
    V6(Ipv6Net),
    /// A managed prefix list, resolved through [`crate::PrefixList`] entries.
    PrefixList(String),
    Group(GroupRef),
    /// A source infrastructure as code names but that cannot be resolved before deploy
    /// (a `data.` source, a variable without a value, `Fn::ImportValue`), with the reason
    /// and the file:line. Never the internet and never safe: what it touches is unknown.
    Unresolved(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::V4(net) => write!(f, "{net}"),
            Source::V6(net) => write!(f, "{net}"),
            Source::PrefixList(id) => write!(f, "{id}"),
            Source::Unresolved(why) => write!(f, "unresolved ({why})"),
            Source::Group(group) => match (&group.user_id, &group.group_id, &group.group_name) {
                (Some(user), Some(id), _) => write!(f, "{user}/{id}"),
                (None, Some(id), _) => write!(f, "{id}"),
                (_, None, Some(name)) => write!(f, "group {name}"),
                (_, None, None) => write!(f, "unnamed group"),
            },
        }
    }
}
