//! `cassandra_config_tls_weak_protocol`: Cassandra's TLS allows a broken protocol version or cipher suite.

use super::encryption::{CLIENT_OPTS, DOC, SERVER, WEAK_CIPHER_MARKS, WEAK_PROTOCOLS};
use super::{cis, meta};
use crate::node::yaml_lines;
use crate::yaml::Value;
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

pub static CHECK: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_tls_weak_protocol",
        "Cassandra's TLS allows a broken protocol version or cipher suite",
        Severity::High,
        "Under server_encryption_options and client_encryption_options: fails when `protocol` \
or `accepted_protocols` names SSLv3, TLSv1 or TLSv1.1, or when `cipher_suites` lists an RC4, \
DES, 3DES, NULL, EXPORT, anonymous or MD5 suite. Unset settings pass (the JVM's defaults \
disable these).",
        "A downgrade or a known attack on the old protocol recovers what TLS was meant to hide.",
        "Set `accepted_protocols: [TLSv1.2, TLSv1.3]` and remove weak suites from \
`cipher_suites` (or drop it to use the JVM's defaults).",
        &[DOC],
        &[cis("5.1"), cis("5.2")],
    ),
    run: weak_tls,
};

fn weak_tls(node: &Node) -> Vec<Judgement> {
    let id = CHECK.meta.id;
    let mut out = Vec::new();
    for options in [SERVER, CLIENT_OPTS] {
        if node.get(options).is_none() {
            continue;
        }
        for setting in ["protocol", "accepted_protocols"] {
            let key = format!("{options}.{setting}");
            let Some(entry) = node.get(&key).filter(|e| e.value != Value::Null) else {
                continue;
            };
            let values = match &entry.value {
                Value::Scalar(s) => vec![s.clone()],
                Value::List(items) => items.clone(),
                _ => Vec::new(),
            };
            let weak: Vec<&String> = values
                .iter()
                .filter(|v| WEAK_PROTOCOLS.contains(&v.trim().to_ascii_lowercase().as_str()))
                .collect();
            out.push(if weak.is_empty() {
                node.judge_yaml(
                    id,
                    Status::Pass,
                    &key,
                    Some(entry),
                    format!("{key}: {}", values.join(", ")),
                    Vec::new(),
                )
            } else {
                let fix = if setting == "protocol" {
                    yaml_lines(&key, "TLS")
                } else {
                    yaml_lines(&key, "[TLSv1.2, TLSv1.3]")
                };
                node.judge_yaml(
                    id,
                    Status::Fail,
                    &key,
                    Some(entry),
                    format!(
                        "{key} allows {}",
                        weak.iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    fix,
                )
            });
        }
        let key = format!("{options}.cipher_suites");
        if let Some(entry) = node.get(&key).filter(|e| e.value != Value::Null) {
            let suites = match &entry.value {
                Value::List(items) => items.clone(),
                Value::Scalar(s) => s.split(',').map(|x| x.trim().to_string()).collect(),
                _ => Vec::new(),
            };
            let weak: Vec<&String> = suites
                .iter()
                .filter(|s| {
                    WEAK_CIPHER_MARKS
                        .iter()
                        .any(|m| s.to_ascii_uppercase().contains(&m.to_ascii_uppercase()))
                })
                .collect();
            let strong: Vec<&String> = suites.iter().filter(|s| !weak.contains(s)).collect();
            out.push(if weak.is_empty() {
                node.judge_yaml(
                    id,
                    Status::Pass,
                    &key,
                    Some(entry),
                    format!("{key}: no broken suite"),
                    Vec::new(),
                )
            } else {
                node.judge_yaml(
                    id,
                    Status::Fail,
                    &key,
                    Some(entry),
                    format!(
                        "{key} allows {}",
                        weak.iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    yaml_lines(
                        &key,
                        &format!(
                            "[{}]",
                            strong
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ),
                )
            });
        }
    }
    out
}
