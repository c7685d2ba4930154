//! What the probe may touch: exactly the hosts and ports the user named. Nothing here
//! widens a target: no CIDR expansion, no port ranges, no scanning.

use crate::outcome::Service;
use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

/// Cassandra's ports: internode, internode TLS, JMX, CQL, CQL TLS, Thrift, DSE DSEFS.
pub const CASSANDRA_PORTS: [u16; 7] = [7000, 7001, 7199, 9042, 9142, 9160, 5599];
/// More ports than this in one run is a scan, not a proof.
pub const MAX_PORTS: usize = 32;
/// More hosts than this in one run is a sweep.
pub const MAX_TARGETS: usize = 256;
pub const DEFAULT_RATE: f64 = 10.0;
pub const MAX_RATE: f64 = 100.0;
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeError(pub String);

impl fmt::Display for ScopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScopeError {}

/// A host as the user wrote it: an IP address or a DNS name (resolved once, to one
/// address, before anything is sent).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TargetSpec {
    Ip(IpAddr),
    Name(String),
}

impl TargetSpec {
    /// Accepts an IP address or a host name; refuses anything that names more than one
    /// host (a CIDR, a range, a wildcard, a list) or carries a port.
    pub fn parse(text: &str) -> Result<TargetSpec, ScopeError> {
        let t = text.trim();
        let refuse = |why: &str| {
            Err(ScopeError(format!(
                "refusing target {t:?}: {why}; name each host (an IP address or a host name)"
            )))
        };
        if t.is_empty() {
            return refuse("empty");
        }
        if t.contains('/') {
            return refuse("a CIDR block names many hosts and the probe never expands one");
        }
        if t.contains('*') || t.contains(',') || t.contains(' ') {
            return refuse("a wildcard or a list");
        }
        let bare = t.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            if ip.is_unspecified() || ip.is_multicast() {
                return refuse("not a single host");
            }
            if let IpAddr::V4(v4) = ip
                && v4.is_broadcast()
            {
                return refuse("a broadcast address");
            }
            return Ok(TargetSpec::Ip(ip));
        }
        if t.contains('-')
            && t.chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        {
            return refuse("an address range");
        }
        if t.contains(':') {
            return refuse("ports go in --ports, not in the host");
        }
        let valid = t.len() <= 253
            && t.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
        if !valid {
            return refuse("not an IP address or a host name");
        }
        Ok(TargetSpec::Name(t.to_ascii_lowercase()))
    }
}

impl fmt::Display for TargetSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetSpec::Ip(ip) => write!(f, "{ip}"),
            TargetSpec::Name(n) => f.write_str(n),
        }
    }
}

/// A port and the protocol to speak there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Port {
    pub number: u16,
    pub service: Service,
}

impl Port {
    /// The port with the protocol its number is known for (CQL for unknown ones).
    pub fn new(number: u16) -> Port {
        Port {
            number,
            service: Service::for_port(number),
        }
    }
}

/// `cassandra`, or a comma-separated list of single ports, each optionally naming the
/// protocol to speak (`19042/cql`, `17199/jmx`) for services moved off their usual
/// port. Ranges are refused: the probe proves named services, it does not sweep.
pub fn parse_ports(text: &str) -> Result<Vec<Port>, ScopeError> {
    let mut ports: BTreeMap<u16, Service> = BTreeMap::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if part.eq_ignore_ascii_case("cassandra") {
            for number in CASSANDRA_PORTS {
                ports.entry(number).or_insert(Service::for_port(number));
            }
            continue;
        }
        let (number, service) = match part.split_once('/') {
            Some((n, s)) => (
                n.trim(),
                Some(Service::parse(s).ok_or_else(|| {
                    ScopeError(format!(
                        "{part:?}: unknown protocol {s:?} (cql, cql-tls, internode, jmx, thrift, tcp)"
                    ))
                })?),
            ),
            None => (part, None),
        };
        if number.contains('-') || number.contains(':') {
            return Err(ScopeError(format!(
                "refusing port range {part:?}: list each port (or `cassandra`)"
            )));
        }
        match number.parse::<u16>() {
            Ok(0) | Err(_) => {
                return Err(ScopeError(format!(
                    "{part:?} is not a port (1-65535) or `cassandra`"
                )));
            }
            Ok(n) => {
                ports.insert(n, service.unwrap_or(Service::for_port(n)));
            }
        }
    }
    if ports.is_empty() {
        return Err(ScopeError("no port to probe".into()));
    }
    if ports.len() > MAX_PORTS {
        return Err(ScopeError(format!(
            "{} ports is a scan, not a proof: at most {MAX_PORTS}",
            ports.len()
        )));
    }
    Ok(ports
        .into_iter()
        .map(|(number, service)| Port { number, service })
        .collect())
}

/// How hard the probe may knock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// New connections per second, over all targets and ports.
    pub rate: f64,
    /// For each connect, and for each answer awaited.
    pub timeout: Duration,
    /// Opt in: where CQL asks for a password, try the default superuser
    /// (`cassandra`/`cassandra`) once, and nothing else.
    pub try_default_credentials: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            rate: DEFAULT_RATE,
            timeout: DEFAULT_TIMEOUT,
            try_default_credentials: false,
        }
    }
}

impl Limits {
    pub fn new(rate: f64, timeout: Duration) -> Result<Limits, ScopeError> {
        if !(rate.is_finite() && rate > 0.0 && rate <= MAX_RATE) {
            return Err(ScopeError(format!(
                "--rate must be above 0 and at most {MAX_RATE} connections per second"
            )));
        }
        if timeout.is_zero() || timeout > Duration::from_secs(60) {
            return Err(ScopeError(
                "--timeout must be between 0 and 60 seconds".into(),
            ));
        }
        Ok(Limits {
            rate,
            timeout,
            try_default_credentials: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_hosts_are_accepted() {
        assert_eq!(
            TargetSpec::parse("127.0.0.1"),
            Ok(TargetSpec::Ip("127.0.0.1".parse().expect("ip")))
        );
        assert_eq!(
            TargetSpec::parse("[::1]"),
            Ok(TargetSpec::Ip("::1".parse().expect("ip")))
        );
        assert_eq!(
            TargetSpec::parse("Node1.Example.com"),
            Ok(TargetSpec::Name("node1.example.com".into()))
        );
    }

    #[test]
    fn anything_naming_more_than_one_host_is_refused() {
        for bad in [
            "10.0.0.0/24",
            "10.0.0.1/32",
            "10.0.0.1-10.0.0.9",
            "10.0.0.1-9",
            "*",
            "a,b",
            "0.0.0.0",
            "::",
            "255.255.255.255",
            "224.0.0.1",
            "host:9042",
            "",
            "bad_host!",
        ] {
            assert!(TargetSpec::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn ports_are_single_and_few() {
        assert_eq!(parse_ports("cassandra").expect("ok").len(), 7);
        assert_eq!(
            parse_ports("9042, 9142,9042").expect("ok"),
            vec![Port::new(9042), Port::new(9142)]
        );
        assert_eq!(
            parse_ports("19042/cql,17199/JMX").expect("ok"),
            vec![
                Port {
                    number: 17199,
                    service: Service::Jmx
                },
                Port {
                    number: 19042,
                    service: Service::Cql
                },
            ]
        );
        assert!(parse_ports("9042/ftp").is_err());
        assert!(parse_ports("9000-9100/cql").is_err());
        assert!(parse_ports("1-1024").is_err());
        assert!(parse_ports("0").is_err());
        assert!(parse_ports("70000").is_err());
        assert!(parse_ports("").is_err());
        let many: Vec<String> = (1000..1040).map(|p| p.to_string()).collect();
        assert!(parse_ports(&many.join(",")).is_err());
    }

    #[test]
    fn limits_are_bounded() {
        assert!(Limits::new(0.0, DEFAULT_TIMEOUT).is_err());
        assert!(Limits::new(f64::NAN, DEFAULT_TIMEOUT).is_err());
        assert!(Limits::new(1000.0, DEFAULT_TIMEOUT).is_err());
        assert!(Limits::new(10.0, Duration::ZERO).is_err());
        assert!(Limits::new(10.0, Duration::from_secs(2)).is_ok());
    }
}
