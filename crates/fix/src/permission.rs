//! One ingress permission for one source, as AWS's `IpPermissions` write it.

use ringfence_model::{Rule, Source, Traffic};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The one source of a permission.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Peer {
    Cidr {
        cidr: String,
    },
    Ipv6Cidr {
        cidr: String,
    },
    PrefixList {
        id: String,
    },
    Group {
        group_id: String,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        user_id: Option<String>,
    },
}

impl Peer {
    pub fn of_source(source: &Source) -> Peer {
        match source {
            Source::V4(net) => Peer::Cidr {
                cidr: net.to_string(),
            },
            Source::V6(net) => Peer::Ipv6Cidr {
                cidr: net.to_string(),
            },
            Source::PrefixList(id) => Peer::PrefixList { id: id.clone() },
            // Never the evidence of an exposure (it admits no known address); shown as is.
            Source::Unresolved(why) => Peer::PrefixList { id: why.clone() },
            Source::Group(g) => Peer::Group {
                group_id: g
                    .group_id
                    .clone()
                    .or_else(|| g.group_name.clone())
                    .unwrap_or_default(),
                user_id: g.user_id.clone(),
            },
        }
    }

    /// The CIDR, prefix list or group id, as people read it.
    pub fn text(&self) -> &str {
        match self {
            Peer::Cidr { cidr } | Peer::Ipv6Cidr { cidr } => cidr,
            Peer::PrefixList { id } => id,
            Peer::Group { group_id, .. } => group_id,
        }
    }
}

/// A security-group ingress permission for exactly one source.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Permission {
    /// The `sgr-` id, for a rule that exists and whose id was read.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rule_id: Option<String>,
    /// `tcp`, `udp`, `icmp`, `icmpv6`, `-1` or a protocol number.
    pub protocol: String,
    /// `FromPort` (ICMP: the type, -1 any); absent for `-1` and other protocols.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub from_port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub to_port: Option<i32>,
    pub peer: Peer,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
}

impl Permission {
    pub fn of_rule(rule: &Rule) -> Permission {
        let (protocol, from, to) = match rule.traffic {
            Traffic::All => ("-1".to_string(), None, None),
            Traffic::Tcp(p) => ("tcp".into(), Some(p.from.into()), Some(p.to.into())),
            Traffic::Udp(p) => ("udp".into(), Some(p.from.into()), Some(p.to.into())),
            Traffic::Icmp(spec) | Traffic::Icmpv6(spec) => (
                rule.traffic.protocol_name(),
                Some(spec.icmp_type.map_or(-1, i32::from)),
                Some(spec.code.map_or(-1, i32::from)),
            ),
            Traffic::Other(n) => (n.to_string(), None, None),
        };
        Permission {
            rule_id: rule.id.clone(),
            protocol,
            from_port: from,
            to_port: to,
            peer: Peer::of_source(&rule.source),
            description: rule.description.clone(),
        }
    }

    /// The same protocol, ports and source (ids and descriptions aside).
    pub fn same_access(&self, other: &Permission) -> bool {
        self.protocol == other.protocol
            && self.from_port == other.from_port
            && self.to_port == other.to_port
            && self.peer == other.peer
    }

    /// `tcp 0-9041`, `all traffic`, `icmp (all types)`.
    pub fn traffic_text(&self) -> String {
        match (self.protocol.as_str(), self.from_port, self.to_port) {
            ("-1", _, _) => "all traffic".into(),
            ("icmp" | "icmpv6", Some(-1) | None, _) => format!("{} (all types)", self.protocol),
            ("icmp" | "icmpv6", Some(t), Some(-1) | None) => format!("{} type {t}", self.protocol),
            ("icmp" | "icmpv6", Some(t), Some(c)) => format!("{} type {t} code {c}", self.protocol),
            (p, Some(f), Some(t)) if f == t => format!("{p} {f}"),
            (p, Some(f), Some(t)) => format!("{p} {f}-{t}"),
            (p, _, _) => format!("protocol {p}"),
        }
    }

    /// `tcp 0-9041 from 0.0.0.0/0`.
    pub fn text(&self) -> String {
        format!("{} from {}", self.traffic_text(), self.peer.text())
    }

    /// The `IpPermissions` entry AWS takes and prints. Descriptions are left out with
    /// `with_description == false` (a revoke matches on access, not on words).
    pub fn ip_permission(&self, with_description: bool) -> Value {
        let mut map = serde_json::Map::new();
        map.insert("IpProtocol".into(), json!(self.protocol));
        if let Some(from) = self.from_port {
            map.insert("FromPort".into(), json!(from));
        }
        if let Some(to) = self.to_port {
            map.insert("ToPort".into(), json!(to));
        }
        let description = self.description.as_ref().filter(|_| with_description);
        let mut entry = |key: &str, field: &str, value: &str| {
            let mut e = serde_json::Map::new();
            e.insert(field.into(), json!(value));
            if let Some(d) = description {
                e.insert("Description".into(), json!(d));
            }
            map.insert(key.into(), json!([Value::Object(e)]));
        };
        match &self.peer {
            Peer::Cidr { cidr } => entry("IpRanges", "CidrIp", cidr),
            Peer::Ipv6Cidr { cidr } => entry("Ipv6Ranges", "CidrIpv6", cidr),
            Peer::PrefixList { id } => entry("PrefixListIds", "PrefixListId", id),
            Peer::Group { group_id, user_id } => {
                let mut e = serde_json::Map::new();
                e.insert("GroupId".into(), json!(group_id));
                if let Some(user) = user_id {
                    e.insert("UserId".into(), json!(user));
                }
                if let Some(d) = description {
                    e.insert("Description".into(), json!(d));
                }
                map.insert("UserIdGroupPairs".into(), json!([Value::Object(e)]));
            }
        }
        Value::Object(map)
    }
}

/// `[...]` of permissions as one compact JSON line, for `--ip-permissions '...'`.
pub fn ip_permissions_json(perms: &[&Permission], with_description: bool) -> String {
    let list: Vec<Value> = perms
        .iter()
        .map(|p| p.ip_permission(with_description))
        .collect();
    Value::Array(list).to_string()
}

impl Permission {
    /// The model rule this permission grants (`None` when its protocol or ports are not
    /// ones AWS accepts).
    pub fn to_rule(&self) -> Option<Rule> {
        use ringfence_model::GroupRef;
        let traffic = Traffic::from_aws(
            &self.protocol,
            self.from_port.map(i64::from),
            self.to_port.map(i64::from),
        )
        .ok()?;
        let source = match &self.peer {
            Peer::Cidr { cidr } => Source::V4(cidr.parse().ok()?),
            Peer::Ipv6Cidr { cidr } => Source::V6(cidr.parse().ok()?),
            Peer::PrefixList { id } => Source::PrefixList(id.clone()),
            Peer::Group { group_id, user_id } => Source::Group(GroupRef {
                group_id: Some(group_id.clone()),
                user_id: user_id.clone(),
                ..GroupRef::default()
            }),
        };
        Some(Rule {
            id: self.rule_id.clone(),
            traffic,
            source,
            description: self.description.clone(),
        })
    }
}
