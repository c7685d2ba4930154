//! JMX (port 7199): local only, or remote with authentication and TLS.
//!
//! `cassandra-env.sh` decides: `LOCAL_JMX=yes` (the stock default) binds JMX to
//! 127.0.0.1 with authentication off, which is safe; anything else binds every interface
//! with whatever `com.sun.management.jmxremote.*` options the remote branch sets.

use super::meta;
use crate::env::JvmOption;
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};
use std::path::PathBuf;

const DOC: &str =
    "https://cassandra.apache.org/doc/latest/cassandra/managing/operating/security.html#jmx-access";
const AUTHENTICATE: &str = "com.sun.management.jmxremote.authenticate";
const SSL: &str = "com.sun.management.jmxremote.ssl";

/// What the files say about JMX, and where they say it.
struct Jmx<'a> {
    remote: bool,
    /// Which branch of the script's `if [ "$LOCAL_JMX" = "yes" ]` applies.
    branch_local: bool,
    /// The setting that made it remote (or local): name, file, line.
    evidence: (String, PathBuf, Option<u32>, String),
    node: &'a Node,
}

impl Jmx<'_> {
    fn of(node: &Node) -> Option<Jmx<'_>> {
        if node.env_path.is_none() && node.jvm_option_files.is_empty() {
            return None;
        }
        let assignment = node.jvm.local_jmx.as_ref();
        let local = assignment.is_none_or(|a| a.value.eq_ignore_ascii_case("yes"));
        let remote_port = [
            "cassandra.jmx.remote.port",
            "com.sun.management.jmxremote.port",
        ]
        .iter()
        .find_map(|name| node.jvm.property(local, name));
        let file = node
            .env_path
            .clone()
            .or_else(|| node.jvm_option_files.first().cloned())
            .unwrap_or_default();
        let evidence = match (assignment, remote_port) {
            (Some(a), _) if !local => (
                "LOCAL_JMX".to_string(),
                a.file.clone(),
                Some(a.line),
                format!("LOCAL_JMX={}", a.value),
            ),
            (_, Some(port)) => (
                port.name.clone(),
                port.file.clone(),
                Some(port.line),
                format!("-D{}={}", port.name, port.value.as_deref().unwrap_or("")),
            ),
            (Some(a), None) => (
                "LOCAL_JMX".to_string(),
                a.file.clone(),
                Some(a.line),
                format!("LOCAL_JMX={}", a.value),
            ),
            (None, None) => (
                "LOCAL_JMX".to_string(),
                file,
                None,
                "LOCAL_JMX not set (local only)".to_string(),
            ),
        };
        Some(Jmx {
            remote: !local || remote_port.is_some(),
            branch_local: local,
            evidence,
            node,
        })
    }

    fn local(&self) -> bool {
        !self.remote
    }

    fn option(&self, name: &str) -> Option<&JvmOption> {
        self.node.jvm.property(self.branch_local, name)
    }

    fn judge(
        &self,
        check_id: &'static str,
        status: Status,
        option: Option<&JvmOption>,
        message: String,
        fix: Vec<String>,
    ) -> Judgement {
        let (setting, file, line) = match option {
            Some(o) => (o.name.clone(), o.file.clone(), Some(o.line)),
            None => (
                self.evidence.0.clone(),
                self.evidence.1.clone(),
                self.evidence.2,
            ),
        };
        Judgement {
            check_id,
            status,
            setting,
            file,
            line,
            message,
            fix,
        }
    }

    /// A JVM option line in the form of the file it goes into: the file the option is
    /// already in, else `cassandra-env.sh` when there is one.
    fn option_line(&self, option: &str, found: Option<&JvmOption>) -> String {
        let in_options_file = match found {
            Some(o) => o.file.extension().is_some_and(|e| e == "options"),
            None => self.node.env_path.is_none(),
        };
        if !in_options_file {
            format!("JVM_OPTS=\"$JVM_OPTS -D{option}\"")
        } else {
            format!("-D{option}")
        }
    }

    fn skip(node: &Node, check_id: &'static str) -> Vec<Judgement> {
        vec![Judgement {
            check_id,
            status: Status::Skip,
            setting: "LOCAL_JMX".into(),
            file: node.yaml_path.with_file_name("cassandra-env.sh"),
            line: None,
            message: "no cassandra-env.sh or jvm*.options beside cassandra.yaml: JMX not judged"
                .into(),
            fix: Vec::new(),
        }]
    }
}

pub static AUTHENTICATION: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_jmx_remote_authentication_disabled",
        "Cassandra's remote JMX asks no password",
        Severity::Critical,
        "Fails when JMX is remote (LOCAL_JMX is not yes, or a remote JMX port is set) and \
`com.sun.management.jmxremote.authenticate=false` applies. Local-only JMX passes.",
        "Anyone who reaches port 7199 runs nodetool operations (decommission, truncate, \
snapshot) and, through JMX's MLet and deserialization paths, code on the node.",
        "Set LOCAL_JMX=yes and use nodetool over SSH, or keep \
`-Dcom.sun.management.jmxremote.authenticate=true` with a password file.",
        &[DOC],
        &[],
    ),
    run: authentication,
};

fn authentication(node: &Node) -> Vec<Judgement> {
    let id = AUTHENTICATION.meta.id;
    let Some(jmx) = Jmx::of(node) else {
        return Jmx::skip(node, id);
    };
    if jmx.local() {
        return vec![jmx.judge(
            id,
            Status::Pass,
            None,
            format!("{}: JMX listens on 127.0.0.1 only", jmx.evidence.3),
            Vec::new(),
        )];
    }
    let option = jmx.option(AUTHENTICATE);
    let off = option.is_some_and(|o| o.value.as_deref() == Some("false"));
    vec![if off {
        jmx.judge(
            id,
            Status::Fail,
            option,
            format!(
                "remote JMX ({}) with {AUTHENTICATE}=false: no password",
                jmx.evidence.3
            ),
            vec![jmx.option_line(&format!("{AUTHENTICATE}=true"), option)],
        )
    } else {
        jmx.judge(
            id,
            Status::Pass,
            option,
            format!("remote JMX ({}) requires authentication", jmx.evidence.3),
            Vec::new(),
        )
    }]
}

pub static SSL_CHECK: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_jmx_remote_ssl_disabled",
        "Cassandra's remote JMX is not encrypted",
        Severity::High,
        "Fails when JMX is remote and `com.sun.management.jmxremote.ssl=true` does not apply \
(Cassandra's remote JMX server is plaintext unless told otherwise). Local-only JMX passes.",
        "JMX passwords and every operation cross the network in the clear.",
        "Set LOCAL_JMX=yes, or `-Dcom.sun.management.jmxremote.ssl=true` with a keystore \
(`-Djavax.net.ssl.keyStore`, `-Djavax.net.ssl.keyStorePassword`).",
        &[DOC],
        &[],
    ),
    run: ssl,
};

fn ssl(node: &Node) -> Vec<Judgement> {
    let id = SSL_CHECK.meta.id;
    let Some(jmx) = Jmx::of(node) else {
        return Jmx::skip(node, id);
    };
    if jmx.local() {
        return vec![jmx.judge(
            id,
            Status::Pass,
            None,
            format!("{}: JMX listens on 127.0.0.1 only", jmx.evidence.3),
            Vec::new(),
        )];
    }
    let option = jmx.option(SSL);
    let on = option.is_some_and(|o| o.value.as_deref() == Some("true"));
    vec![if on {
        jmx.judge(
            id,
            Status::Pass,
            option,
            format!("remote JMX ({}) uses TLS", jmx.evidence.3),
            Vec::new(),
        )
    } else {
        jmx.judge(
            id,
            Status::Fail,
            option,
            format!(
                "remote JMX ({}) without {SSL}=true: plaintext",
                jmx.evidence.3
            ),
            vec![
                jmx.option_line(&format!("{SSL}=true"), option),
                jmx.option_line("javax.net.ssl.keyStore=<path to the keystore>", option),
                jmx.option_line("javax.net.ssl.keyStorePassword=<its password>", option),
            ],
        )
    }]
}

pub static ALL_INTERFACES: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_jmx_all_interfaces",
        "Cassandra's JMX port listens on every interface",
        Severity::Medium,
        "Fails when JMX is remote (LOCAL_JMX is not yes, or a remote JMX port is set): the JMX \
and RMI ports then listen on every interface, public ones included.",
        "JMX is an administration interface with a long record of remote-code-execution \
issues; on every interface it is one security-group mistake from the internet.",
        "Set LOCAL_JMX=yes in cassandra-env.sh and run nodetool on the node (over SSH).",
        &[DOC],
        &[super::cis("3.5")],
    ),
    run: all_interfaces,
};

fn all_interfaces(node: &Node) -> Vec<Judgement> {
    let id = ALL_INTERFACES.meta.id;
    let Some(jmx) = Jmx::of(node) else {
        return Jmx::skip(node, id);
    };
    let port = node
        .jvm
        .jmx_port
        .as_ref()
        .map_or("7199".to_string(), |p| p.value.clone());
    vec![if jmx.remote {
        // Remote because of a port property: that line must go, LOCAL_JMX alone won't do.
        let mut fix = Vec::new();
        if jmx.evidence.0 != "LOCAL_JMX" {
            fix.push(format!(
                "# remove from {}: {}",
                jmx.evidence.1.display(),
                jmx.evidence.3
            ));
        }
        fix.push("LOCAL_JMX=yes".to_string());
        jmx.judge(
            id,
            Status::Fail,
            None,
            format!(
                "{}: JMX port {port} listens on every interface",
                jmx.evidence.3
            ),
            fix,
        )
    } else {
        jmx.judge(
            id,
            Status::Pass,
            None,
            format!(
                "{}: JMX port {port} listens on 127.0.0.1 only",
                jmx.evidence.3
            ),
            Vec::new(),
        )
    }]
}
