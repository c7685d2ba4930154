//! `cassandra_config_authorizer_allow_all`: Cassandra gives every role every permission (AllowAllAuthorizer).

use super::auth::AUTH_DOC;
use super::{cis, meta};
use crate::node::yaml_lines;
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

/// ## What it does
/// Fails when `authorizer` is `AllowAllAuthorizer`, or unset (its default).
/// ## Why is this bad?
/// Every authenticated role may do anything, including dropping keyspaces and reading
/// `system_auth`.
pub static CHECK: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_authorizer_allow_all",
        "Cassandra gives every role every permission (AllowAllAuthorizer)",
        Severity::High,
        "Fails when cassandra.yaml's `authorizer` is AllowAllAuthorizer or is not set \
(AllowAllAuthorizer is the default).",
        "Any role that logs in, an application's included, can read and drop every keyspace: \
one leaked application password is the whole cluster.",
        "Set `authorizer: CassandraAuthorizer` and GRANT each role only what it needs.",
        &[AUTH_DOC],
        &[cis("2.2")],
    ),
    run: authorizer,
};

fn authorizer(node: &Node) -> Vec<Judgement> {
    let id = CHECK.meta.id;
    let fix = yaml_lines("authorizer", "CassandraAuthorizer");
    let judgement = match node.class_name("authorizer") {
        None => node.judge_yaml(
            id,
            Status::Fail,
            "authorizer",
            node.get("authorizer"),
            "authorizer is not set: the default AllowAllAuthorizer grants every permission".into(),
            fix,
        ),
        Some((class, entry)) if class == "AllowAllAuthorizer" => node.judge_yaml(
            id,
            Status::Fail,
            "authorizer",
            Some(entry),
            "authorizer is AllowAllAuthorizer: every role may do everything".into(),
            fix,
        ),
        Some((class, entry)) => node.judge_yaml(
            id,
            Status::Pass,
            "authorizer",
            Some(entry),
            format!("authorizer is {class}: permissions are enforced"),
            Vec::new(),
        ),
    };
    vec![judgement]
}
