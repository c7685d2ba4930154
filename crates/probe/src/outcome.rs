//! What answered on a port, as data: the findings and every report are built from this.

use std::fmt;

/// The protocol the probe speaks to a port: from the port number, or named by the user
/// (`19042/cql`) for services on other ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Service {
    /// CQL: plaintext first, TLS if the plaintext attempt is cut off.
    Cql,
    /// CQL over TLS first (9142), plaintext if the TLS handshake fails.
    CqlTls,
    /// Internode messaging (7000/7001): accepted, TLS offered, plaintext refused or not.
    Internode,
    /// JMX through RMI (7199): the JRMP handshake.
    Jmx,
    /// Thrift (9160): a framed `describe_version` call.
    Thrift,
    /// Only whether a TCP connection is accepted (DSEFS 5599, anything not Cassandra).
    Tcp,
}

impl Service {
    pub fn for_port(port: u16) -> Service {
        match port {
            7000 | 7001 => Service::Internode,
            7199 => Service::Jmx,
            9142 => Service::CqlTls,
            9160 => Service::Thrift,
            5599 => Service::Tcp,
            _ => Service::Cql,
        }
    }

    pub fn parse(name: &str) -> Option<Service> {
        match name.trim().to_ascii_lowercase().as_str() {
            "cql" => Some(Service::Cql),
            "cql-tls" | "cqltls" => Some(Service::CqlTls),
            "internode" => Some(Service::Internode),
            "jmx" | "rmi" => Some(Service::Jmx),
            "thrift" => Some(Service::Thrift),
            "tcp" => Some(Service::Tcp),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Service::Cql => "cql",
            Service::CqlTls => "cql-tls",
            Service::Internode => "internode",
            Service::Jmx => "jmx",
            Service::Thrift => "thrift",
            Service::Tcp => "tcp",
        }
    }
}

/// How the server answered STARTUP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CqlAuth {
    /// READY: no authentication required.
    NotRequired,
    /// AUTHENTICATE, naming the authenticator class.
    Required(String),
    /// ERROR: code and message.
    Refused(i32, String),
    /// SUPPORTED came back, then nothing (timeout or close) after STARTUP.
    NoAnswer,
}

/// A CQL handshake that got as far as SUPPORTED.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cql {
    pub tls: bool,
    /// The protocol version the handshake completed with.
    pub protocol: u8,
    /// The SUPPORTED string multimap, as sent.
    pub supported: Vec<(String, Vec<String>)>,
    pub auth: CqlAuth,
    /// v5 only: whether a framed OPTIONS after STARTUP got a framed SUPPORTED whose CRC24
    /// and CRC32 held.
    pub v5_framing: Option<bool>,
    /// With `--try-default-credentials`: whether `cassandra`/`cassandra` logged in
    /// (`None`: not tried, or no clear answer).
    pub default_login: Option<bool>,
}

impl Cql {
    pub fn values(&self, key: &str) -> &[String] {
        self.supported
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// The Cassandra release line the CQL version belongs to (3.4.4 is 3.11, 3.4.5 is
    /// 4.0, 3.4.6 is 4.1, 3.4.7 is 5.0): a hint, since forks and DSE report their own.
    pub fn release_hint(&self) -> Option<&'static str> {
        let cql = self.values("CQL_VERSION").first()?;
        match cql.as_str() {
            "3.4.0" | "3.4.1" | "3.4.2" | "3.4.3" => Some("3.x"),
            "3.4.4" => Some("3.11"),
            "3.4.5" => Some("4.0"),
            "3.4.6" => Some("4.1"),
            "3.4.7" => Some("5.0"),
            _ => None,
        }
    }
}

/// Something accepted the connection but was not identified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unidentified {
    /// Accepted, and nothing came back before the timeout.
    Silent,
    /// Accepted and closed without a byte.
    ClosedAtOnce,
    /// An HTTP server: its status line.
    Http(String),
    /// A TLS alert: the port wants TLS (and the TLS attempt did not identify it either).
    TlsAlert,
    /// Other bytes (the first few, in hex).
    Bytes(String),
    /// Only a TCP connection was attempted (a port the probe has no protocol for).
    Accepted,
}

impl fmt::Display for Unidentified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unidentified::Silent => f.write_str("accepts connections and never answers"),
            Unidentified::ClosedAtOnce => {
                f.write_str("accepts connections and closes them at once")
            }
            Unidentified::Http(line) => write!(f, "answers as an HTTP server ({line})"),
            Unidentified::TlsAlert => f.write_str("answers with a TLS alert"),
            Unidentified::Bytes(hex) => write!(f, "answers with unrecognised bytes ({hex})"),
            Unidentified::Accepted => f.write_str("accepts connections"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Connection refused: nothing listens, or a firewall rejects.
    Refused,
    /// No answer to the connection attempt before the timeout: filtered.
    Filtered,
    /// Another connection error (no route, ...).
    Unreachable(String),
    Cassandra(Cql),
    /// The JRMP handshake was acknowledged (`ack`) or refused with ProtocolNotSupported:
    /// either way an RMI endpoint.
    Jmx {
        ack: bool,
    },
    Thrift {
        version: Option<String>,
    },
    /// Accepted a connection: whether a TLS handshake succeeded, and whether a
    /// plaintext messaging header was kept (answered or waited on) rather than dropped.
    Internode {
        tls: bool,
        plaintext: bool,
    },
    Unidentified {
        tls: bool,
        what: Unidentified,
    },
}

impl Outcome {
    /// Whether the port accepted a connection at all.
    pub fn is_open(&self) -> bool {
        !matches!(
            self,
            Outcome::Refused | Outcome::Filtered | Outcome::Unreachable(_)
        )
    }
}

/// Up to 16 bytes, in hex, for a message.
pub fn hex_prefix(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Names what a first answer looks like.
pub fn classify(bytes: &[u8]) -> Unidentified {
    if bytes.is_empty() {
        Unidentified::ClosedAtOnce
    } else if bytes.starts_with(b"HTTP/") {
        let line = bytes
            .split(|&b| b == b'\r' || b == b'\n')
            .next()
            .unwrap_or_default();
        Unidentified::Http(String::from_utf8_lossy(line).chars().take(80).collect())
    } else if bytes[0] == 0x15 && bytes.get(1) == Some(&0x03) {
        Unidentified::TlsAlert
    } else {
        Unidentified::Bytes(hex_prefix(bytes))
    }
}
