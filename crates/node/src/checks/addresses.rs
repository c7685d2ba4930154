//! Which interfaces the node listens on, and which addresses it announces.

use super::{Reach, cis, meta, reach};
use crate::node::yaml_lines;
use crate::yaml::Value;
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

const DOC: &str =
    "https://cassandra.apache.org/doc/latest/cassandra/managing/configuration/cass_yaml_file.html";

/// ## What it does
/// Fails when `listen_address` or `broadcast_address` is `0.0.0.0`/`::` or a public
/// address; skips a host name or an interface (what they resolve to is not in the file).
/// ## Why is this bad?
/// The internode port (7000/7001) then faces the internet: a rogue node can join.
pub static INTERNODE: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_internode_address_exposed",
        "Cassandra's internode address is every interface or a public address",
        Severity::High,
        "Judges `listen_address`, `broadcast_address` and `listen_interface`: 0.0.0.0, :: or a \
public address fails; a private address passes; a host name or an interface is skipped with \
the reason.",
        "Internode traffic (gossip, streaming, mutations) is unauthenticated unless internode TLS \
with client certificates is on: anyone who reaches the port can join the ring or read \
replicated data.",
        "Set `listen_address` (and `broadcast_address` if needed) to the node's private address.",
        &[DOC],
        &[cis("3.5")],
    ),
    run: internode,
};

/// ## What it does
/// Fails when `rpc_address`, `broadcast_rpc_address` or `native_transport_address` is
/// `0.0.0.0`/`::` or a public address.
/// ## Why is this bad?
/// The client ports (9042, 9142, and 9160 on 3.x) then face the internet.
pub static CLIENT: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_client_address_exposed",
        "Cassandra's client address is every interface or a public address",
        Severity::High,
        "Judges `rpc_address`, `broadcast_rpc_address`, `native_transport_address` and \
`rpc_interface`: 0.0.0.0, :: or a public address fails; a private address passes; a host name \
or an interface is skipped with the reason.",
        "CQL (and Thrift on 3.x) listen on every interface, so one security-group mistake puts \
the database on the internet.",
        "Set `rpc_address` to the node's private address (and leave `broadcast_rpc_address` \
unset or private).",
        &[DOC],
        &[cis("3.5")],
    ),
    run: client,
};

fn internode(node: &Node) -> Vec<Judgement> {
    judge_addresses(
        node,
        INTERNODE.meta.id,
        &["listen_address", "broadcast_address"],
        "listen_interface",
        "listen_address",
    )
}

fn client(node: &Node) -> Vec<Judgement> {
    judge_addresses(
        node,
        CLIENT.meta.id,
        &[
            "rpc_address",
            "native_transport_address",
            "broadcast_rpc_address",
        ],
        "rpc_interface",
        "rpc_address",
    )
}

fn judge_addresses(
    node: &Node,
    id: &'static str,
    keys: &[&str],
    interface_key: &str,
    primary: &str,
) -> Vec<Judgement> {
    let mut out = Vec::new();
    for key in keys {
        let Some(entry) = node.get(key).filter(|e| e.value != Value::Null) else {
            continue;
        };
        let Some(value) = entry.value.as_str() else {
            continue;
        };
        let fix = yaml_lines(key, "<this node's private address>");
        let (status, message, fix) = match reach(value) {
            Reach::AllInterfaces => (
                Status::Fail,
                format!("{key} is {value}: listens on every interface, public ones included"),
                fix,
            ),
            Reach::Public => (
                Status::Fail,
                format!("{key} is {value}, a public address"),
                fix,
            ),
            Reach::Private => (
                Status::Pass,
                format!("{key} is {value}, a private address"),
                Vec::new(),
            ),
            Reach::HostName => (
                Status::Skip,
                format!("{key} is the host name {value}: what it resolves to is not in the file"),
                Vec::new(),
            ),
        };
        out.push(node.judge_yaml(id, status, key, Some(entry), message, fix));
    }
    if let Some(entry) = node.get(interface_key).filter(|e| e.value != Value::Null) {
        let name = entry.value.as_str().unwrap_or_default();
        out.push(node.judge_yaml(
            id,
            Status::Skip,
            interface_key,
            Some(entry),
            format!("{interface_key} is {name}: whether that interface has a public address is not in the file"),
            Vec::new(),
        ));
    }
    let primary_set = node.get(primary).is_some_and(|e| e.value != Value::Null);
    let interface_set = node
        .get(interface_key)
        .is_some_and(|e| e.value != Value::Null);
    if !primary_set && !interface_set {
        out.push(node.judge_yaml(
            id,
            Status::Skip,
            primary,
            node.get(primary),
            format!("{primary} is not set: Cassandra uses the address the host name resolves to, which is not in the file"),
            yaml_lines(primary, "<this node's private address>"),
        ));
    }
    out
}
