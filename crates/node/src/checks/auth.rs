//! Who may connect, and what they may do: `authenticator`, `authorizer`,
//! `network_authorizer`.

use super::{cis, meta};
use crate::node::yaml_lines;
use crate::{Generation, Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

const AUTH_DOC: &str =
    "https://cassandra.apache.org/doc/latest/cassandra/managing/operating/security.html";

/// ## What it does
/// Fails when `authenticator` is `AllowAllAuthenticator`, or unset (its default).
/// ## Why is this bad?
/// Anyone who reaches 9042 reads, writes and drops every keyspace: no password is asked.
/// ## Remediation
/// `authenticator: PasswordAuthenticator` (or a mutual-TLS authenticator), then change
/// the default `cassandra` superuser's password.
pub static AUTHENTICATOR: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_authenticator_allow_all",
        "Cassandra lets every client in without a password (AllowAllAuthenticator)",
        Severity::Critical,
        "Fails when cassandra.yaml's `authenticator` is AllowAllAuthenticator or is not set \
(AllowAllAuthenticator is the default). Accepts the class as a string or, from 5.0, as a \
mapping with `class_name`.",
        "Anyone who can reach the CQL port can read, change and delete every table: the \
security group is then the only wall.",
        "Set `authenticator: PasswordAuthenticator` (and raise the system_auth replication), \
then change the default `cassandra` role's password.",
        &[AUTH_DOC],
        &[cis("2.1")],
    ),
    run: authenticator,
};

fn authenticator(node: &Node) -> Vec<Judgement> {
    let id = AUTHENTICATOR.meta.id;
    let fix = yaml_lines("authenticator", "PasswordAuthenticator");
    let judgement = match node.class_name("authenticator") {
        None => node.judge_yaml(
            id,
            Status::Fail,
            "authenticator",
            node.get("authenticator"),
            "authenticator is not set: the default AllowAllAuthenticator asks no password".into(),
            fix,
        ),
        Some((class, entry)) if class == "AllowAllAuthenticator" => node.judge_yaml(
            id,
            Status::Fail,
            "authenticator",
            Some(entry),
            "authenticator is AllowAllAuthenticator: every client gets in without a password"
                .into(),
            fix,
        ),
        Some((class, entry)) => node.judge_yaml(
            id,
            Status::Pass,
            "authenticator",
            Some(entry),
            format!("authenticator is {class}: clients must authenticate"),
            Vec::new(),
        ),
    };
    vec![judgement]
}

/// ## What it does
/// Fails when `authorizer` is `AllowAllAuthorizer`, or unset (its default).
/// ## Why is this bad?
/// Every authenticated role may do anything, including dropping keyspaces and reading
/// `system_auth`.
pub static AUTHORIZER: NodeCheck = NodeCheck {
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
    let id = AUTHORIZER.meta.id;
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

/// ## What it does
/// From 4.0: fails when `network_authorizer` is `AllowAllNetworkAuthorizer` or unset.
/// ## Why is this bad?
/// A role meant for one data centre can log in through any other.
pub static NETWORK_AUTHORIZER: NodeCheck = NodeCheck {
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
    let id = NETWORK_AUTHORIZER.meta.id;
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
