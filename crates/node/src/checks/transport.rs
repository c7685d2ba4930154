//! Extra doors: the Thrift server of 3.x, and a plaintext CQL port beside the TLS one.

use super::meta;
use crate::node::yaml_lines;
use crate::yaml::Value;
use crate::{Generation, Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

const DOC: &str =
    "https://cassandra.apache.org/doc/latest/cassandra/managing/configuration/cass_yaml_file.html";

pub static THRIFT: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_thrift_enabled",
        "Cassandra runs the legacy Thrift server (start_rpc: true)",
        Severity::High,
        "On 3.x, fails when `start_rpc` is true: the Thrift RPC server listens on `rpc_port` \
(9160). Thrift was removed in 4.0: there the setting is ignored and passes with a note.",
        "Thrift is an unmaintained second client protocol with its own attack surface and no \
client encryption in most deployments; few operators remember it is listening.",
        "Set `start_rpc: false` (and move the last Thrift clients to CQL).",
        &[DOC],
        &[],
    ),
    run: thrift,
};

fn thrift(node: &Node) -> Vec<Judgement> {
    let id = THRIFT.meta.id;
    let entry = node.get("start_rpc").filter(|e| e.value != Value::Null);
    let removed = node.generation.is_some_and(|g| g >= Generation::V4_0);
    let judgement = match entry.map(|e| e.value.as_bool()) {
        Some(Some(true)) if removed => node.judge_yaml(
            id,
            Status::Pass,
            "start_rpc",
            entry,
            format!(
                "start_rpc: true is ignored: Thrift was removed in 4.0 (this file is {}); delete the line",
                node.generation.map_or("4.0+", |g| g.as_str())
            ),
            Vec::new(),
        ),
        Some(Some(true)) => {
            let port = node
                .get("rpc_port")
                .and_then(|e| e.value.as_str())
                .unwrap_or("9160");
            node.judge_yaml(
                id,
                Status::Fail,
                "start_rpc",
                entry,
                format!("start_rpc is true: the Thrift server listens on port {port}"),
                yaml_lines("start_rpc", "false"),
            )
        }
        _ if removed => node.judge_yaml(
            id,
            Status::Pass,
            "start_rpc",
            entry,
            "no Thrift server: removed in 4.0".into(),
            Vec::new(),
        ),
        _ => node.judge_yaml(
            id,
            Status::Pass,
            "start_rpc",
            entry,
            "start_rpc is false or not set (default false): no Thrift server".into(),
            Vec::new(),
        ),
    };
    vec![judgement]
}

pub static DUAL_PORT: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_native_transport_dual_port",
        "Cassandra serves plaintext CQL beside TLS on a second port",
        Severity::Medium,
        "Fails when client encryption is on and `native_transport_port_ssl` is set to a port \
other than `native_transport_port`: TLS is served on the SSL port and plaintext stays on the \
other (deprecated in 5.0). Passes when the setting is absent or equal.",
        "Clients and attackers alike can skip TLS by connecting to the plaintext port: \
encryption on paper, not in fact.",
        "Remove `native_transport_port_ssl` and serve TLS on `native_transport_port` with \
`client_encryption_options.optional: false`.",
        &[DOC],
        &[],
    ),
    run: dual_port,
};

fn dual_port(node: &Node) -> Vec<Judgement> {
    let id = DUAL_PORT.meta.id;
    let ssl = node
        .get("native_transport_port_ssl")
        .filter(|e| e.value != Value::Null);
    let plain = node
        .get("native_transport_port")
        .and_then(|e| e.value.as_str())
        .unwrap_or("9042")
        .to_string();
    let encrypted = node
        .get("client_encryption_options.enabled")
        .is_some_and(|e| e.value.as_bool() == Some(true));
    let judgement = match ssl.and_then(|e| e.value.as_str()) {
        Some(port) if port != plain && encrypted => node.judge_yaml(
            id,
            Status::Fail,
            "native_transport_port_ssl",
            ssl,
            format!("native_transport_port_ssl is {port}: TLS there, plaintext CQL still on {plain}"),
            vec![
                format!("# remove the line: native_transport_port_ssl: {port}"),
                "client_encryption_options:".to_string(),
                "  optional: false".to_string(),
            ],
        ),
        Some(port) if port != plain => node.judge_yaml(
            id,
            Status::Pass,
            "native_transport_port_ssl",
            ssl,
            format!("native_transport_port_ssl is {port} but client encryption is off (see cassandra_config_client_encryption_disabled)"),
            Vec::new(),
        ),
        _ => node.judge_yaml(
            id,
            Status::Pass,
            "native_transport_port_ssl",
            ssl,
            format!("one CQL port ({plain})"),
            Vec::new(),
        ),
    };
    vec![judgement]
}
