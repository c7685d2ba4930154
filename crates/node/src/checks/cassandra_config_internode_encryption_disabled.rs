//! `cassandra_config_internode_encryption_disabled`: Cassandra nodes talk to each other in plaintext.

use super::encryption::{DOC, SERVER};
use super::{cis, meta};
use crate::node::yaml_lines;
use crate::yaml::Value;
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

pub static CHECK: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_internode_encryption_disabled",
        "Cassandra nodes talk to each other in plaintext",
        Severity::High,
        "Fails when `server_encryption_options.internode_encryption` is `none` or not set (none \
is the default), or when `optional: true` still accepts plaintext peers. `dc` and `rack` pass \
with a note (only traffic between data centres / racks is encrypted). The 4.x \
`server_encryption_options.enabled` flag does not turn internode TLS on; it is reported as such.",
        "Replicated rows, hints and credentials cross the network readable and changeable, and \
without client certificates any host that reaches port 7000 is taken for a peer.",
        "Set `server_encryption_options.internode_encryption: all` with a keystore and \
truststore, and `require_client_auth: true`.",
        &[DOC],
        &[cis("5.1")],
    ),
    run: internode,
};

fn internode(node: &Node) -> Vec<Judgement> {
    let id = CHECK.meta.id;
    let key = "server_encryption_options.internode_encryption";
    let entry = node.get(key).filter(|e| e.value != Value::Null);
    let mode = entry
        .and_then(|e| e.value.as_str())
        .map(|v| v.trim().to_ascii_lowercase());
    let legacy_enabled = node
        .get("server_encryption_options.enabled")
        .is_some_and(|e| e.value.as_bool() == Some(true));
    let fix = yaml_lines(key, "all");
    let mut out = Vec::new();
    match mode.as_deref() {
        None | Some("none") => {
            let mut message = match mode {
                None => "internode_encryption is not set: nodes talk in plaintext (default none)"
                    .to_string(),
                Some(_) => "internode_encryption is none: nodes talk in plaintext".to_string(),
            };
            if legacy_enabled {
                message.push_str(
                    "; server_encryption_options.enabled: true does not turn it on, internode_encryption does",
                );
            }
            out.push(node.judge_yaml(id, Status::Fail, key, entry, message, fix));
        }
        Some(mode @ ("all" | "dc" | "rack")) => {
            let optional = node.get(&format!("{SERVER}.optional"));
            if let Some(opt) = optional.filter(|o| o.value.as_bool() == Some(true)) {
                out.push(node.judge_yaml(
                    id,
                    Status::Fail,
                    "server_encryption_options.optional",
                    Some(opt),
                    format!("internode_encryption is {mode} but optional: true still accepts plaintext peers"),
                    yaml_lines("server_encryption_options.optional", "false"),
                ));
            } else {
                let scope = match mode {
                    "all" => "every peer",
                    "dc" => "peers in other data centres only",
                    _ => "peers in other racks only",
                };
                out.push(node.judge_yaml(
                    id,
                    Status::Pass,
                    key,
                    entry,
                    format!("internode_encryption is {mode}: encrypted to {scope}"),
                    Vec::new(),
                ));
            }
        }
        Some(other) => out.push(node.judge_yaml(
            id,
            Status::Skip,
            key,
            entry,
            format!("internode_encryption is {other:?}, not one of none, all, dc, rack"),
            fix,
        )),
    }
    out
}
