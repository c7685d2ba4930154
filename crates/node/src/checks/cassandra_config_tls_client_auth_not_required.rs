//! `cassandra_config_tls_client_auth_not_required`: Cassandra's TLS does not require a client certificate.

use super::encryption::{CLIENT_OPTS, DOC, SERVER, tls_on};
use super::{cis, meta};
use crate::node::yaml_lines;
use crate::yaml::Value;
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

pub static CHECK: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_tls_client_auth_not_required",
        "Cassandra's TLS does not require a client certificate",
        Severity::Medium,
        "Where internode or client TLS is on, fails when its `require_client_auth` is not true \
(5.0 also allows `optional`, which does not require one). Skipped where that TLS is off.",
        "Without client certificates, TLS hides the traffic but lets any host in: for \
internode traffic, any host that reaches 7000/7001 can pose as a peer.",
        "Set `require_client_auth: true` under server_encryption_options (and under \
client_encryption_options where clients have certificates), with a truststore.",
        &[DOC],
        &[cis("5.1"), cis("5.2")],
    ),
    run: client_auth,
};

fn client_auth(node: &Node) -> Vec<Judgement> {
    let id = CHECK.meta.id;
    [SERVER, CLIENT_OPTS]
        .into_iter()
        .map(|options| {
            let key = format!("{options}.require_client_auth");
            let entry = node.get(&key).filter(|e| e.value != Value::Null);
            if !tls_on(node, options) {
                return node.judge_yaml(
                    id,
                    Status::Skip,
                    &key,
                    entry,
                    format!("{options}: TLS is off, so client certificates are moot (see the encryption checks)"),
                    Vec::new(),
                );
            }
            let value = entry
                .and_then(|e| e.value.as_str())
                .map(|v| v.trim().to_ascii_lowercase());
            if value.as_deref() == Some("true") {
                node.judge_yaml(
                    id,
                    Status::Pass,
                    &key,
                    entry,
                    format!("{key} is true: peers must present a trusted certificate"),
                    Vec::new(),
                )
            } else {
                node.judge_yaml(
                    id,
                    Status::Fail,
                    &key,
                    entry,
                    format!(
                        "{key} is {}: TLS is on but any host may connect without a certificate",
                        value.as_deref().unwrap_or("not set (default false)")
                    ),
                    yaml_lines(&key, "true"),
                )
            }
        })
        .collect()
}
