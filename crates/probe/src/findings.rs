//! Probe results as findings, so every report format renders them: a failing finding
//! for each port that answers from here, a passing one for each that does not.

use crate::outcome::{Cql, CqlAuth, Outcome, Service, Unidentified};
use crate::prober::ProbeResult;
use crate::scope::TargetSpec;
use ringfence_findings::{CheckMeta, Finding, Resource, ResourceType, Status};
use ringfence_node::endpoint::{
    CQL_DEFAULT_SUPERUSER, CQL_EXPOSED, CQL_NO_AUTH, INTERNODE_EXPOSED, JMX_EXPOSED, PORT_OPEN,
    THRIFT_EXPOSED,
};
use std::net::{IpAddr, SocketAddr};

/// The checks whose findings a probe run can produce for one service, to count as run.
pub fn metas() -> &'static [&'static CheckMeta] {
    ringfence_node::endpoint::PROBE_CHECKS
}

fn resource(result: &ProbeResult) -> Resource {
    let addr = SocketAddr::new(result.target.ip, result.port.number);
    Resource {
        kind: ResourceType::NetworkEndpoint,
        id: addr.to_string(),
        name: match &result.target.spec {
            TargetSpec::Name(n) => Some(n.clone()),
            TargetSpec::Ip(_) => None,
        },
        region: String::new(),
        account: None,
        location: None,
    }
}

/// The check a closed port passes: the one it would have failed.
fn check_for(service: Service) -> &'static CheckMeta {
    match service {
        Service::Cql | Service::CqlTls => &CQL_NO_AUTH,
        Service::Internode => &INTERNODE_EXPOSED,
        Service::Jmx => &JMX_EXPOSED,
        Service::Thrift => &THRIFT_EXPOSED,
        Service::Tcp => &PORT_OPEN,
    }
}

/// "answers as Cassandra 4.1 (CQL 3.4.6, native protocol v5, TLS)".
pub fn describe_cql(cql: &Cql) -> String {
    let mut parts = Vec::new();
    if let Some(cql_version) = cql.values("CQL_VERSION").first() {
        parts.push(format!("CQL {cql_version}"));
    }
    parts.push(format!("native protocol v{}", cql.protocol));
    let versions = cql.values("PROTOCOL_VERSIONS");
    if !versions.is_empty() {
        parts.push(format!("offers {}", versions.join(", ")));
    }
    let compression = cql.values("COMPRESSION");
    if !compression.is_empty() {
        parts.push(format!("compression {}", compression.join("/")));
    }
    if cql.v5_framing == Some(true) {
        parts.push("v5 framing verified".into());
    } else if cql.v5_framing == Some(false) {
        parts.push("v5 framing NOT verified".into());
    }
    parts.push(if cql.tls {
        "over TLS".into()
    } else {
        "plaintext".into()
    });
    let release = cql
        .release_hint()
        .map_or_else(|| "Cassandra".to_string(), |r| format!("Cassandra {r}"));
    format!("answers as {release} ({})", parts.join(", "))
}

fn short_class(class: &str) -> &str {
    class.rsplit('.').next().unwrap_or(class)
}

pub fn to_findings(results: &[ProbeResult]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for result in results {
        let port = result.port.number;
        let res = resource(result);
        let finding = |meta: &'static CheckMeta, status: Status, message: String| {
            Finding::new(meta, status, res.clone(), format!("{port} {message}"))
        };
        match &result.outcome {
            Outcome::Refused => findings.push(finding(
                check_for(result.port.service),
                Status::Pass,
                "refuses connections from here".into(),
            )),
            Outcome::Filtered => findings.push(finding(
                check_for(result.port.service),
                Status::Pass,
                "does not answer a connection attempt (filtered or down)".into(),
            )),
            Outcome::Unreachable(why) => findings.push(finding(
                check_for(result.port.service),
                Status::Skip,
                format!("could not be reached: {why}"),
            )),
            Outcome::Cassandra(cql) => {
                let what = describe_cql(cql);
                match &cql.auth {
                    CqlAuth::NotRequired => findings.push(finding(
                        &CQL_NO_AUTH,
                        Status::Fail,
                        format!("{what}, no authentication required"),
                    )),
                    CqlAuth::Required(class) => {
                        findings.push(finding(
                            &CQL_EXPOSED,
                            Status::Fail,
                            format!("{what}, authentication required ({})", short_class(class)),
                        ));
                        findings.push(finding(
                            &CQL_NO_AUTH,
                            Status::Pass,
                            format!("{what}, asks for credentials ({})", short_class(class)),
                        ));
                        match cql.default_login {
                            Some(true) => findings.push(finding(
                                &CQL_DEFAULT_SUPERUSER,
                                Status::Fail,
                                format!("{what}: the default superuser cassandra/cassandra logs in"),
                            )),
                            Some(false) => findings.push(finding(
                                &CQL_DEFAULT_SUPERUSER,
                                Status::Pass,
                                format!("{what}: cassandra/cassandra is refused"),
                            )),
                            None => {}
                        }
                    }
                    CqlAuth::Refused(code, message) => findings.push(finding(
                        &CQL_EXPOSED,
                        Status::Fail,
                        format!("{what}; STARTUP refused (error 0x{code:04x}: {message})"),
                    )),
                    CqlAuth::NoAnswer => findings.push(finding(
                        &CQL_EXPOSED,
                        Status::Fail,
                        format!("{what}; no answer to STARTUP, so whether it asks for a password is unknown"),
                    )),
                }
            }
            Outcome::Jmx { ack } => findings.push(finding(
                &JMX_EXPOSED,
                Status::Fail,
                if *ack {
                    "answers as a Java RMI endpoint (JRMP ProtocolAck): JMX is reachable".into()
                } else {
                    "answers as a Java RMI endpoint (JRMP ProtocolNotSupported)".into()
                },
            )),
            Outcome::Thrift { version } => findings.push(finding(
                &THRIFT_EXPOSED,
                Status::Fail,
                match version {
                    Some(v) => format!(
                        "answers as Cassandra Thrift (describe_version: {})",
                        v.trim_end_matches('\0')
                    ),
                    None => {
                        "answers as a Thrift server (describe_version raised an exception)".into()
                    }
                },
            )),
            Outcome::Internode { tls, plaintext } => findings.push(finding(
                &INTERNODE_EXPOSED,
                Status::Fail,
                match (tls, plaintext) {
                    (true, false) => "accepts connections: TLS handshake completes, plaintext is dropped at once (TLS likely required)".into(),
                    (true, true) => "accepts connections: TLS handshake completes, and plaintext is accepted too".into(),
                    (false, true) => "accepts connections: no TLS, plaintext accepted (plaintext internode)".into(),
                    (false, false) => "accepts connections, then drops both plaintext and a TLS handshake".into(),
                },
            )),
            Outcome::Unidentified { tls, what } => {
                let over = if *tls { " over TLS" } else { "" };
                let not = match what {
                    Unidentified::Accepted => String::new(),
                    _ => ", not as Cassandra".to_string(),
                };
                findings.push(finding(
                    &PORT_OPEN,
                    Status::Fail,
                    format!("{what}{over}{not}"),
                ));
            }
        }
    }
    findings
}

/// One line for a result: the failing finding's message, else the passing one's.
pub fn summary(result: &ProbeResult) -> String {
    let findings = to_findings(std::slice::from_ref(result));
    findings
        .iter()
        .find(|f| f.status == Status::Fail)
        .or_else(|| findings.first())
        .map_or_else(String::new, |f| f.message.clone())
}

/// `ip:port` for messages, IPv6 in brackets.
pub fn endpoint(ip: IpAddr, port: u16) -> String {
    SocketAddr::new(ip, port).to_string()
}
