//! TLS between nodes and to clients: on, required, with client certificates, strong
//! protocols, and not the sample keystore passwords.

use super::{cis, meta};
use crate::node::yaml_lines;
use crate::yaml::Value;
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

const DOC: &str = "https://cassandra.apache.org/doc/latest/cassandra/managing/operating/security.html#tls-ssl-encryption";
const SERVER: &str = "server_encryption_options";
const CLIENT_OPTS: &str = "client_encryption_options";

pub static INTERNODE: NodeCheck = NodeCheck {
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
    let id = INTERNODE.meta.id;
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

pub static CLIENT: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_client_encryption_disabled",
        "Cassandra clients connect in plaintext",
        Severity::High,
        "Fails when `client_encryption_options.enabled` is false or not set (false is the \
default), or when it is on with `optional: true`, which still accepts plaintext clients on the \
same port.",
        "Passwords and query results cross the network in the clear: anyone on the path reads \
the PasswordAuthenticator credentials and then the data.",
        "Set `client_encryption_options.enabled: true` with a keystore, and `optional: false`.",
        &[DOC],
        &[cis("5.2")],
    ),
    run: client,
};

fn client(node: &Node) -> Vec<Judgement> {
    let id = CLIENT.meta.id;
    let key = "client_encryption_options.enabled";
    let entry = node.get(key).filter(|e| e.value != Value::Null);
    let fix = yaml_lines(key, "true");
    let judgement = match entry.map(|e| e.value.as_bool()) {
        None => node.judge_yaml(
            id,
            Status::Fail,
            key,
            None,
            "client_encryption_options.enabled is not set: clients connect in plaintext (default false)".into(),
            fix,
        ),
        Some(Some(false)) => node.judge_yaml(
            id,
            Status::Fail,
            key,
            entry,
            "client_encryption_options.enabled is false: clients connect in plaintext".into(),
            fix,
        ),
        Some(Some(true)) => match node
            .get(&format!("{CLIENT_OPTS}.optional"))
            .filter(|o| o.value.as_bool() == Some(true))
        {
            Some(optional) => node.judge_yaml(
                id,
                Status::Fail,
                "client_encryption_options.optional",
                Some(optional),
                "client encryption is on but optional: true still accepts plaintext clients".into(),
                yaml_lines("client_encryption_options.optional", "false"),
            ),
            None => node.judge_yaml(
                id,
                Status::Pass,
                key,
                entry,
                "client_encryption_options.enabled is true: clients must use TLS".into(),
                Vec::new(),
            ),
        },
        Some(None) => node.judge_yaml(
            id,
            Status::Skip,
            key,
            entry,
            "client_encryption_options.enabled is neither true nor false".into(),
            fix,
        ),
    };
    vec![judgement]
}

/// Whether each side's TLS is on, so the checks that refine it judge only where it is.
fn tls_on(node: &Node, options: &str) -> bool {
    if options == SERVER {
        node.get("server_encryption_options.internode_encryption")
            .and_then(|e| e.value.as_str())
            .is_some_and(|m| !m.trim().eq_ignore_ascii_case("none"))
    } else {
        node.get("client_encryption_options.enabled")
            .is_some_and(|e| e.value.as_bool() == Some(true))
    }
}

pub static CLIENT_AUTH: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_tls_client_auth_not_required",
        "Cassandra's TLS does not require a client certificate",
        Severity::Medium,
        "Where internode or client TLS is on, fails when its `require_client_auth` is not true \
(5.0 also allows `optional`, which does not require one). Skipped where that TLS is off.",
        "Without client certificates, TLS hides the traffic but lets any host in: for \
internode traffic, any host that reaches 7000/7001 can pose as a peer.",
        "Set `require_client_auth: true` under server_encryption_options (and under \
client_encryption_options where clients have certificates), with a truststore.",
        &[DOC],
        &[cis("5.1"), cis("5.2")],
    ),
    run: client_auth,
};

fn client_auth(node: &Node) -> Vec<Judgement> {
    let id = CLIENT_AUTH.meta.id;
    [SERVER, CLIENT_OPTS]
        .into_iter()
        .map(|options| {
            let key = format!("{options}.require_client_auth");
            let entry = node.get(&key).filter(|e| e.value != Value::Null);
            if !tls_on(node, options) {
                return node.judge_yaml(
                    id,
                    Status::Skip,
                    &key,
                    entry,
                    format!("{options}: TLS is off, so client certificates are moot (see the encryption checks)"),
                    Vec::new(),
                );
            }
            let value = entry
                .and_then(|e| e.value.as_str())
                .map(|v| v.trim().to_ascii_lowercase());
            if value.as_deref() == Some("true") {
                node.judge_yaml(
                    id,
                    Status::Pass,
                    &key,
                    entry,
                    format!("{key} is true: peers must present a trusted certificate"),
                    Vec::new(),
                )
            } else {
                node.judge_yaml(
                    id,
                    Status::Fail,
                    &key,
                    entry,
                    format!(
                        "{key} is {}: TLS is on but any host may connect without a certificate",
                        value.as_deref().unwrap_or("not set (default false)")
                    ),
                    yaml_lines(&key, "true"),
                )
            }
        })
        .collect()
}

const WEAK_PROTOCOLS: &[&str] = &[
    "sslv2",
    "sslv2hello",
    "sslv3",
    "ssl",
    "tlsv1",
    "tlsv1.0",
    "tlsv1.1",
];
const WEAK_CIPHER_MARKS: &[&str] = &[
    "_RC4_", "_DES_", "_3DES_", "DES40", "_NULL_", "EXPORT", "_anon_", "_MD5",
];

pub static WEAK_TLS: NodeCheck = NodeCheck {
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
    let id = WEAK_TLS.meta.id;
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

pub static DEFAULT_PASSWORD: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_config_keystore_default_password",
        "Cassandra's keystore or truststore password is the sample default (cassandra)",
        Severity::High,
        "Fails for each `keystore_password`, `truststore_password` or `key_password` under the \
encryption options that is still `cassandra`, the value the sample cassandra.yaml ships with.",
        "Anyone who copies the keystore file opens it with the published password and holds \
the node's private key: they can pose as the node or decrypt its traffic.",
        "Re-create the keystore and truststore with a generated password and set it in \
cassandra.yaml (readable only by the cassandra user).",
        &[DOC],
        &[cis("5.1"), cis("5.2")],
    ),
    run: default_password,
};

fn default_password(node: &Node) -> Vec<Judgement> {
    let id = DEFAULT_PASSWORD.meta.id;
    let mut out = Vec::new();
    for options in [SERVER, CLIENT_OPTS] {
        for setting in ["keystore_password", "truststore_password", "key_password"] {
            let key = format!("{options}.{setting}");
            let Some(entry) = node.get(&key) else {
                continue;
            };
            let Some(value) = entry.value.as_str() else {
                continue;
            };
            out.push(if value == "cassandra" {
                node.judge_yaml(
                    id,
                    Status::Fail,
                    &key,
                    Some(entry),
                    format!("{key} is the sample default \"cassandra\""),
                    yaml_lines(&key, "<a generated password>"),
                )
            } else {
                node.judge_yaml(
                    id,
                    Status::Pass,
                    &key,
                    Some(entry),
                    format!("{key} is not the sample default"),
                    Vec::new(),
                )
            });
        }
    }
    out
}
