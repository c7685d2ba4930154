//! `cassandra_config_authenticator_allow_all`: Cassandra lets every client in without a password (AllowAllAuthenticator).

use super::auth::AUTH_DOC;
use super::{cis, meta};
use crate::node::yaml_lines;
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

/// ## What it does
/// Fails when `authenticator` is `AllowAllAuthenticator`, or unset (its default).
/// ## Why is this bad?
/// Anyone who reaches 9042 reads, writes and drops every keyspace: no password is asked.
/// ## Remediation
/// `authenticator: PasswordAuthenticator` (or a mutual-TLS authenticator), then change
/// the default `cassandra` superuser's password.
pub static CHECK: NodeCheck = NodeCheck {
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
    let id = CHECK.meta.id;
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
