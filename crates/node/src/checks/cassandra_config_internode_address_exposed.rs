//! `cassandra_config_internode_address_exposed`: Cassandra's internode address is every interface or a public address.

use super::addresses::{DOC, judge_addresses};
use super::{cis, meta};
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::Severity;

/// ## What it does
/// Fails when `listen_address` or `broadcast_address` is `0.0.0.0`/`::` or a public
/// address; skips a host name or an interface (what they resolve to is not in the file).
/// ## Why is this bad?
/// The internode port (7000/7001) then faces the internet: a rogue node can join.
pub static CHECK: NodeCheck = NodeCheck {
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

fn internode(node: &Node) -> Vec<Judgement> {
    judge_addresses(
        node,
        CHECK.meta.id,
        &["listen_address", "broadcast_address"],
        "listen_interface",
        "listen_address",
    )
}
