//! `cassandra_config_network_authorizer_allow_all`: Cassandra lets every role log in through every data centre (AllowAllNetworkAuthorizer).

use super::auth::AUTH_DOC;
use super::{cis, meta};
use crate::node::yaml_lines;
use crate::{Generation, Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

/// ## What it does
/// From 4.0: fails when `network_authorizer` is `AllowAllNetworkAuthorizer` or unset.
/// ## Why is this bad?
/// A role meant for one data centre can log in through any other.
pub static CHECK: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_network_authorizer_allow_all",
        "Cassandra lets every role log in through every data centre (AllowAllNetworkAuthorizer)",
        Severity::Low,
        "From Cassandra 4.0: fails when `network_authorizer` is AllowAllNetworkAuthorizer or \
not set. Not judged on 3.x, which has no such setting.",
        "Roles cannot be confined to the data centres they belong to: credentials for an \
analytics DC work against the transactional one.",
        "Set `network_authorizer: CassandraNetworkAuthorizer` and ALTER ROLE ... WITH ACCESS \
TO DATACENTERS.",
        &[AUTH_DOC],
        &[cis("3.6")],
    ),
    run: network_authorizer,
};

fn network_authorizer(node: &Node) -> Vec<Judgement> {
    let id = CHECK.meta.id;
    if node.generation == Some(Generation::V3) {
        return Vec::new();
    }
    let fix = yaml_lines("network_authorizer", "CassandraNetworkAuthorizer");
    let judgement = match node.class_name("network_authorizer") {
        None => node.judge_yaml(
            id,
            Status::Fail,
            "network_authorizer",
            node.get("network_authorizer"),
            "network_authorizer is not set: every role may log in through every data centre".into(),
            fix,
        ),
        Some((class, entry)) if class == "AllowAllNetworkAuthorizer" => node.judge_yaml(
            id,
            Status::Fail,
            "network_authorizer",
            Some(entry),
            "network_authorizer is AllowAllNetworkAuthorizer: data-centre access is not restricted"
                .into(),
            fix,
        ),
        Some((class, entry)) => node.judge_yaml(
            id,
            Status::Pass,
            "network_authorizer",
            Some(entry),
            format!("network_authorizer is {class}"),
            Vec::new(),
        ),
    };
    vec![judgement]
}
