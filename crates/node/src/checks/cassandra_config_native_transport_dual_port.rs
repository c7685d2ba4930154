//! `cassandra_config_native_transport_dual_port`: Cassandra serves plaintext CQL beside TLS on a second port.

use super::meta;
use super::transport::DOC;
use crate::yaml::Value;
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

pub static CHECK: NodeCheck = NodeCheck {
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
    let id = CHECK.meta.id;
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
