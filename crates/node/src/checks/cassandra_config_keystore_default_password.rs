//! `cassandra_config_keystore_default_password`: Cassandra's keystore or truststore password is the sample default (cassandra).

use super::encryption::{CLIENT_OPTS, DOC, SERVER};
use super::{cis, meta};
use crate::node::yaml_lines;
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

pub static CHECK: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_keystore_default_password",
        "Cassandra's keystore or truststore password is the sample default (cassandra)",
        Severity::High,
        "Fails for each `keystore_password`, `truststore_password` or `key_password` under the \
encryption options that is still `cassandra`, the value the sample cassandra.yaml ships with.",
        "Anyone who copies the keystore file opens it with the published password and holds \
the node's private key: they can pose as the node or decrypt its traffic.",
        "Re-create the keystore and truststore with a generated password and set it in \
cassandra.yaml (readable only by the cassandra user).",
        &[DOC],
        &[cis("5.1"), cis("5.2")],
    ),
    run: default_password,
};

fn default_password(node: &Node) -> Vec<Judgement> {
    let id = CHECK.meta.id;
    let mut out = Vec::new();
    for options in [SERVER, CLIENT_OPTS] {
        for setting in ["keystore_password", "truststore_password", "key_password"] {
            let key = format!("{options}.{setting}");
            let Some(entry) = node.get(&key) else {
                continue;
            };
            let Some(value) = entry.value.as_str() else {
                continue;
            };
            out.push(if value == "cassandra" {
                node.judge_yaml(
                    id,
                    Status::Fail,
                    &key,
                    Some(entry),
                    format!("{key} is the sample default \"cassandra\""),
                    yaml_lines(&key, "<a generated password>"),
                )
            } else {
                node.judge_yaml(
                    id,
                    Status::Pass,
                    &key,
                    Some(entry),
                    format!("{key} is not the sample default"),
                    Vec::new(),
                )
            });
        }
    }
    out
}
