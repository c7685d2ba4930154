//! `cassandra_config_client_encryption_disabled`: Cassandra clients connect in plaintext.

use super::encryption::{CLIENT_OPTS, DOC};
use super::{cis, meta};
use crate::node::yaml_lines;
use crate::yaml::Value;
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

pub static CHECK: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_client_encryption_disabled",
        "Cassandra clients connect in plaintext",
        Severity::High,
        "Fails when `client_encryption_options.enabled` is false or not set (false is the \
default), or when it is on with `optional: true`, which still accepts plaintext clients on the \
same port.",
        "Passwords and query results cross the network in the clear: anyone on the path reads \
the PasswordAuthenticator credentials and then the data.",
        "Set `client_encryption_options.enabled: true` with a keystore, and `optional: false`.",
        &[DOC],
        &[cis("5.2")],
    ),
    run: client,
};

fn client(node: &Node) -> Vec<Judgement> {
    let id = CHECK.meta.id;
    let key = "client_encryption_options.enabled";
    let entry = node.get(key).filter(|e| e.value != Value::Null);
    let fix = yaml_lines(key, "true");
    let judgement = match entry.map(|e| e.value.as_bool()) {
        None => node.judge_yaml(
            id,
            Status::Fail,
            key,
            None,
            "client_encryption_options.enabled is not set: clients connect in plaintext (default false)".into(),
            fix,
        ),
        Some(Some(false)) => node.judge_yaml(
            id,
            Status::Fail,
            key,
            entry,
            "client_encryption_options.enabled is false: clients connect in plaintext".into(),
            fix,
        ),
        Some(Some(true)) => match node
            .get(&format!("{CLIENT_OPTS}.optional"))
            .filter(|o| o.value.as_bool() == Some(true))
        {
            Some(optional) => node.judge_yaml(
                id,
                Status::Fail,
                "client_encryption_options.optional",
                Some(optional),
                "client encryption is on but optional: true still accepts plaintext clients".into(),
                yaml_lines("client_encryption_options.optional", "false"),
            ),
            None => node.judge_yaml(
                id,
                Status::Pass,
                key,
                entry,
                "client_encryption_options.enabled is true: clients must use TLS".into(),
                Vec::new(),
            ),
        },
        Some(None) => node.judge_yaml(
            id,
            Status::Skip,
            key,
            entry,
            "client_encryption_options.enabled is neither true nor false".into(),
            fix,
        ),
    };
    vec![judgement]
}
