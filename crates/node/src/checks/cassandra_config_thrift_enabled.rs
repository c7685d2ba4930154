//! `cassandra_config_thrift_enabled`: Cassandra runs the legacy Thrift server (start_rpc: true).

use super::meta;
use super::transport::DOC;
use crate::node::yaml_lines;
use crate::yaml::Value;
use crate::{Generation, Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

pub static CHECK: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_thrift_enabled",
        "Cassandra runs the legacy Thrift server (start_rpc: true)",
        Severity::High,
        "On 3.x, fails when `start_rpc` is true: the Thrift RPC server listens on `rpc_port` \
(9160). Thrift was removed in 4.0: there the setting is ignored and passes with a note.",
        "Thrift is an unmaintained second client protocol with its own attack surface and no \
client encryption in most deployments; few operators remember it is listening.",
        "Set `start_rpc: false` (and move the last Thrift clients to CQL).",
        &[DOC],
        &[],
    ),
    run: thrift,
};

fn thrift(node: &Node) -> Vec<Judgement> {
    let id = CHECK.meta.id;
    let entry = node.get("start_rpc").filter(|e| e.value != Value::Null);
    let removed = node.generation.is_some_and(|g| g >= Generation::V4_0);
    let judgement = match entry.map(|e| e.value.as_bool()) {
        Some(Some(true)) if removed => node.judge_yaml(
            id,
            Status::Pass,
            "start_rpc",
            entry,
            format!(
                "start_rpc: true is ignored: Thrift was removed in 4.0 (this file is {}); delete the line",
                node.generation.map_or("4.0+", |g| g.as_str())
            ),
            Vec::new(),
        ),
        Some(Some(true)) => {
            let port = node
                .get("rpc_port")
                .and_then(|e| e.value.as_str())
                .unwrap_or("9160");
            node.judge_yaml(
                id,
                Status::Fail,
                "start_rpc",
                entry,
                format!("start_rpc is true: the Thrift server listens on port {port}"),
                yaml_lines("start_rpc", "false"),
            )
        }
        _ if removed => node.judge_yaml(
            id,
            Status::Pass,
            "start_rpc",
            entry,
            "no Thrift server: removed in 4.0".into(),
            Vec::new(),
        ),
        _ => node.judge_yaml(
            id,
            Status::Pass,
            "start_rpc",
            entry,
            "start_rpc is false or not set (default false): no Thrift server".into(),
            Vec::new(),
        ),
    };
    vec![judgement]
}
