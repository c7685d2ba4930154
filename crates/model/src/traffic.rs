use std::fmt;

/// An inclusive range of ports, as AWS writes them (`FromPort`..=`ToPort`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PortRange {
    pub from: u16,
    pub to: u16,
}

impl PortRange {
    pub const ALL: PortRange = PortRange { from: 0, to: 65535 };

    /// `None` when `from > to`: a reversed range allows nothing and is an input error.
    pub fn new(from: u16, to: u16) -> Option<Self> {
        (from <= to).then_some(PortRange { from, to })
    }

    pub fn single(port: u16) -> Self {
        PortRange {
            from: port,
            to: port,
        }
    }

    pub fn contains(&self, port: u16) -> bool {
        self.from <= port && port <= self.to
    }

    /// Number of ports in the range (at most 65536, so it needs more than a `u16`).
    pub fn len(&self) -> u32 {
        u32::from(self.to) - u32::from(self.from) + 1
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn intersect(&self, other: &PortRange) -> Option<PortRange> {
        PortRange::new(self.from.max(other.from), self.to.min(other.to))
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

/// ICMP type and code; `None` means "any".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct IcmpSpec {
    pub icmp_type: Option<u8>,
    pub code: Option<u8>,
}

/// What a rule lets through, with AWS's conventions already applied: protocol `-1`
/// is everything, a numbered protocol other than TCP/UDP/ICMP ignores ports, and
/// ICMP carries type/code rather than ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Traffic {
    All,
    Tcp(PortRange),
    Udp(PortRange),
    Icmp(IcmpSpec),
    Icmpv6(IcmpSpec),
    /// Any other IP protocol number, every "port" of it.
    Other(u8),
}

/// Why a protocol/port combination cannot be what AWS means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrafficError {
    UnknownProtocol(String),
    PortOutOfRange { field: &'static str, value: i64 },
    ReversedRange { from: u16, to: u16 },
    MissingPort { field: &'static str },
}

impl fmt::Display for TrafficError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrafficError::UnknownProtocol(p) => write!(
                f,
                "protocol {p:?} is not one AWS accepts (expected -1, tcp, udp, icmp, icmpv6 or a number 0-255)"
            ),
            TrafficError::PortOutOfRange { field, value } => {
                write!(f, "{field} {value} is outside 0-65535 (or -1 for all)")
            }
            TrafficError::ReversedRange { from, to } => {
                write!(f, "port range {from}-{to} is reversed (FromPort > ToPort)")
            }
            TrafficError::MissingPort { field } => {
                write!(
                    f,
                    "{field} is missing while the other end of the range is given"
                )
            }
        }
    }
}

impl std::error::Error for TrafficError {}

impl Traffic {
    /// Every TCP port and every UDP port, and so on: what `-1` grants.
    pub const ALL: Traffic = Traffic::All;

    /// Reads AWS's `IpProtocol`/`FromPort`/`ToPort` triple (security-group rules,
    /// CloudTrail requests, IaC) into what it allows.
    pub fn from_aws(
        protocol: &str,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<Self, TrafficError> {
        let protocol = protocol.trim().to_ascii_lowercase();
        Ok(match protocol.as_str() {
            "-1" | "all" => Traffic::All,
            "tcp" | "6" => Traffic::Tcp(port_range(from, to)?),
            "udp" | "17" => Traffic::Udp(port_range(from, to)?),
            "icmp" | "1" => Traffic::Icmp(icmp_spec(from, to)?),
            "icmpv6" | "58" => Traffic::Icmpv6(icmp_spec(from, to)?),
            other => match other.parse::<u8>() {
                Ok(number) => Traffic::Other(number),
                Err(_) => return Err(TrafficError::UnknownProtocol(protocol)),
            },
        })
    }

    /// The IP protocol number, `None` for "all protocols".
    pub fn protocol_number(&self) -> Option<u8> {
        match self {
            Traffic::All => None,
            Traffic::Tcp(_) => Some(6),
            Traffic::Udp(_) => Some(17),
            Traffic::Icmp(_) => Some(1),
            Traffic::Icmpv6(_) => Some(58),
            Traffic::Other(n) => Some(*n),
        }
    }

    /// The name AWS prints for the protocol.
    pub fn protocol_name(&self) -> String {
        match self {
            Traffic::All => "-1".into(),
            Traffic::Tcp(_) => "tcp".into(),
            Traffic::Udp(_) => "udp".into(),
            Traffic::Icmp(_) => "icmp".into(),
            Traffic::Icmpv6(_) => "icmpv6".into(),
            Traffic::Other(n) => n.to_string(),
        }
    }
}

impl fmt::Display for Traffic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Traffic::All => write!(f, "all traffic"),
            Traffic::Tcp(ports) => write!(f, "tcp/{ports}"),
            Traffic::Udp(ports) => write!(f, "udp/{ports}"),
            Traffic::Icmp(spec) | Traffic::Icmpv6(spec) => {
                let name = if matches!(self, Traffic::Icmp(_)) {
                    "icmp"
                } else {
                    "icmpv6"
                };
                match (spec.icmp_type, spec.code) {
                    (None, _) => write!(f, "{name} (all types)"),
                    (Some(t), None) => write!(f, "{name} type {t}"),
                    (Some(t), Some(c)) => write!(f, "{name} type {t} code {c}"),
                }
            }
            Traffic::Other(n) => write!(f, "protocol {n}"),
        }
    }
}

fn port(field: &'static str, value: i64) -> Result<Option<u16>, TrafficError> {
    match value {
        -1 => Ok(None),
        0..=65535 => Ok(Some(value as u16)),
        _ => Err(TrafficError::PortOutOfRange { field, value }),
    }
}

fn port_range(from: Option<i64>, to: Option<i64>) -> Result<PortRange, TrafficError> {
    let (from, to) = match (from, to) {
        (None, None) => return Ok(PortRange::ALL),
        (Some(_), None) => return Err(TrafficError::MissingPort { field: "ToPort" }),
        (None, Some(_)) => return Err(TrafficError::MissingPort { field: "FromPort" }),
        (Some(from), Some(to)) => (port("FromPort", from)?, port("ToPort", to)?),
    };
    match (from, to) {
        // `-1` on TCP/UDP is how some emitters write "every port".
        (None, None) => Ok(PortRange::ALL),
        (None, Some(_)) => Err(TrafficError::PortOutOfRange {
            field: "FromPort",
            value: -1,
        }),
        (Some(_), None) => Err(TrafficError::PortOutOfRange {
            field: "ToPort",
            value: -1,
        }),
        (Some(from), Some(to)) => {
            PortRange::new(from, to).ok_or(TrafficError::ReversedRange { from, to })
        }
    }
}

fn icmp_part(field: &'static str, value: Option<i64>) -> Result<Option<u8>, TrafficError> {
    match value {
        None | Some(-1) => Ok(None),
        Some(v @ 0..=255) => Ok(Some(v as u8)),
        Some(value) => Err(TrafficError::PortOutOfRange { field, value }),
    }
}

fn icmp_spec(from: Option<i64>, to: Option<i64>) -> Result<IcmpSpec, TrafficError> {
    Ok(IcmpSpec {
        icmp_type: icmp_part("FromPort", from)?,
        code: icmp_part("ToPort", to)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_and_named_protocols_mean_the_same() {
        let named = Traffic::from_aws("tcp", Some(22), Some(22)).unwrap();
        let numbered = Traffic::from_aws("6", Some(22), Some(22)).unwrap();
        assert_eq!(named, numbered);
        assert_eq!(
            Traffic::from_aws("17", Some(53), Some(53)).unwrap(),
            Traffic::Udp(PortRange::single(53))
        );
    }

    #[test]
    fn minus_one_is_all_traffic_whatever_the_ports() {
        assert_eq!(Traffic::from_aws("-1", None, None).unwrap(), Traffic::All);
        assert_eq!(
            Traffic::from_aws("-1", Some(0), Some(0)).unwrap(),
            Traffic::All
        );
    }

    #[test]
    fn other_protocol_numbers_ignore_ports() {
        assert_eq!(
            Traffic::from_aws("50", Some(1), Some(2)).unwrap(),
            Traffic::Other(50)
        );
    }

    #[test]
    fn icmp_carries_type_and_code_not_ports() {
        let echo = Traffic::from_aws("icmp", Some(8), Some(-1)).unwrap();
        assert_eq!(
            echo,
            Traffic::Icmp(IcmpSpec {
                icmp_type: Some(8),
                code: None
            })
        );
    }

    #[test]
    fn impossible_ports_are_errors() {
        assert_eq!(
            Traffic::from_aws("tcp", Some(70000), Some(70000)),
            Err(TrafficError::PortOutOfRange {
                field: "FromPort",
                value: 70000
            })
        );
        assert_eq!(
            Traffic::from_aws("tcp", Some(100), Some(10)),
            Err(TrafficError::ReversedRange { from: 100, to: 10 })
        );
        assert!(Traffic::from_aws("tcp", Some(-5), Some(10)).is_err());
        assert!(Traffic::from_aws("gre", None, None).is_err());
        assert!(Traffic::from_aws("256", None, None).is_err());
    }

    #[test]
    fn tcp_with_minus_one_ports_is_every_port() {
        assert_eq!(
            Traffic::from_aws("tcp", Some(-1), Some(-1)).unwrap(),
            Traffic::Tcp(PortRange::ALL)
        );
    }
}
