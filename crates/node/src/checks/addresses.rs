//! What the address checks share: judging each address setting the same way.

use super::{Reach, reach};
use crate::node::yaml_lines;
use crate::yaml::Value;
use crate::{Judgement, Node};
use ringfence_findings::Status;

pub(super) const DOC: &str =
    "https://cassandra.apache.org/doc/latest/cassandra/managing/configuration/cass_yaml_file.html";

pub(super) fn judge_addresses(
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
