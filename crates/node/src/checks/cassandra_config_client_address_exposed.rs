//! `cassandra_config_client_address_exposed`: Cassandra's client address is every interface or a public address.

use super::addresses::{DOC, judge_addresses};
use super::{cis, meta};
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::Severity;

/// ## What it does
/// Fails when `rpc_address`, `broadcast_rpc_address` or `native_transport_address` is
/// `0.0.0.0`/`::` or a public address.
/// ## Why is this bad?
/// The client ports (9042, 9142, and 9160 on 3.x) then face the internet.
pub static CHECK: NodeCheck = NodeCheck {
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

fn client(node: &Node) -> Vec<Judgement> {
    judge_addresses(
        node,
        CHECK.meta.id,
        &[
            "rpc_address",
            "native_transport_address",
            "broadcast_rpc_address",
        ],
        "rpc_interface",
        "rpc_address",
    )
}
