//! The metadata of `ringfence probe`'s checks: what answering on a Cassandra port from
//! the outside proves. The probe crate produces the findings; the metadata lives here
//! so every report renders node and probe findings with one dependency.

use ringfence_findings::frameworks::CIS_CASSANDRA;
use ringfence_findings::{CheckMeta, Compliance, ResourceType, Severity};

const PROTOCOL: &str = "https://github.com/apache/cassandra/blob/trunk/doc/native_protocol_v5.spec";
const LISTEN: Compliance = Compliance {
    framework: CIS_CASSANDRA.name,
    control: "3.5",
};
const AUTHN: Compliance = Compliance {
    framework: CIS_CASSANDRA.name,
    control: "2.1",
};

const fn probe_meta(
    id: &'static str,
    title: &'static str,
    severity: Severity,
    description: &'static str,
    risk: &'static str,
    remediation: &'static str,
    compliance: &'static [Compliance],
) -> CheckMeta {
    CheckMeta {
        id,
        title,
        severity,
        resource_type: ResourceType::NetworkEndpoint,
        description,
        risk,
        remediation,
        references: &[PROTOCOL],
        categories: &["cassandra-node", "probe"],
        compliance,
        aliases: &[],
        // `ringfence node` and `ringfence probe` run all of theirs; scans never list them.
        enablement: ringfence_findings::Enablement::Default,
    }
}

pub static CQL_NO_AUTH: CheckMeta = probe_meta(
    "cassandra_endpoint_cql_no_authentication",
    "Cassandra answers CQL from here and asks no password",
    Severity::Critical,
    "The probe sent OPTIONS and STARTUP (native protocol v5, then v4) and the server answered \
READY: no authentication is required. Passes when it answers AUTHENTICATE, or does not answer.",
    "Anyone who reaches this address and port reads, changes and deletes every table.",
    "Close the port to the internet (security group) and set `authenticator: \
PasswordAuthenticator` on every node.",
    &[LISTEN, AUTHN],
);

pub static CQL_EXPOSED: CheckMeta = probe_meta(
    "cassandra_endpoint_cql_exposed",
    "Cassandra answers CQL from here (authentication required)",
    Severity::High,
    "The server answered the CQL handshake and asked for credentials (AUTHENTICATE names the \
authenticator): the database is reachable and only a password stands in the way.",
    "Passwords can be guessed, the default `cassandra` role may still exist, and protocol bugs \
are reachable before authentication.",
    "Close the port to the internet: only the application's subnets should reach 9042/9142.",
    &[LISTEN],
);

pub static INTERNODE_EXPOSED: CheckMeta = probe_meta(
    "cassandra_endpoint_internode_exposed",
    "Cassandra's internode port accepts connections from here",
    Severity::High,
    "Port 7000 or 7001 accepted a TCP connection; the probe says whether a TLS handshake \
succeeded (TLS required or optional) or not.",
    "Without internode TLS and client certificates, a host that reaches the port can pose as a \
peer, join the ring and receive replicated data.",
    "Close 7000/7001 to everything but the other nodes, and turn on internode encryption with \
`require_client_auth: true`.",
    &[LISTEN],
);

pub static JMX_EXPOSED: CheckMeta = probe_meta(
    "cassandra_endpoint_jmx_exposed",
    "Cassandra's JMX (RMI) port answers from here",
    Severity::Critical,
    "Port 7199 answered the JRMP handshake (JRMI, protocol ack): an RMI registry, so JMX, is \
listening.",
    "JMX administers the node (decommission, truncate, snapshot) and has a long record of \
remote code execution when reachable.",
    "Close 7199 to the internet and set LOCAL_JMX=yes in cassandra-env.sh.",
    &[LISTEN],
);

pub static THRIFT_EXPOSED: CheckMeta = probe_meta(
    "cassandra_endpoint_thrift_exposed",
    "Cassandra's legacy Thrift port answers from here",
    Severity::High,
    "Port 9160 answered a framed Thrift `describe_version` call.",
    "Thrift is the legacy, unmaintained client API; reachable, it is a second way in.",
    "Set `start_rpc: false` (3.x) and close 9160 to the internet.",
    &[LISTEN],
);

pub static PORT_OPEN: CheckMeta = probe_meta(
    "cassandra_endpoint_port_open",
    "A Cassandra port accepts connections from here, but not as Cassandra",
    Severity::Medium,
    "The port accepted a TCP connection but what answered was not identified as Cassandra \
(an HTTP server, something silent, a connection closed at once, a TLS service).",
    "Something listens on a port the security group opened for Cassandra: either the rule is \
wider than needed or another service sits there.",
    "Find what listens on the port and close the rule if nothing should.",
    &[LISTEN],
);

pub static CQL_DEFAULT_SUPERUSER: CheckMeta = probe_meta(
    "cassandra_endpoint_default_superuser_login",
    "Cassandra accepts the default superuser's password from here",
    Severity::Critical,
    "Opt in (`ringfence probe --try-default-credentials`): where the server asks for a password, the probe answers once with the role `cassandra` and the password `cassandra` that PasswordAuthenticator's default role manager creates at first start. Fails on AUTH_SUCCESS; passes on a bad-credentials error. No other credentials are ever tried.",
    "The default superuser's password is public: anyone who reaches the port owns every keyspace, every role and every permission.",
    "Create your own superuser, then `ALTER ROLE cassandra WITH PASSWORD = '...' AND SUPERUSER = false AND LOGIN = false` (or drop it), and close the port to the internet.",
    &[LISTEN, AUTHN],
);

/// Every probe check's metadata, in report order.
pub static PROBE_CHECKS: &[&CheckMeta] = &[
    &CQL_DEFAULT_SUPERUSER,
    &CQL_NO_AUTH,
    &CQL_EXPOSED,
    &JMX_EXPOSED,
    &INTERNODE_EXPOSED,
    &THRIFT_EXPOSED,
    &PORT_OPEN,
];
