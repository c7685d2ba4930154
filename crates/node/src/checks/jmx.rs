//! What the JMX checks share: how `cassandra-env.sh` and `jvm*.options` make JMX (port
//! 7199) local only, or remote with authentication and TLS.
//!
//! `cassandra-env.sh` decides: `LOCAL_JMX=yes` (the stock default) binds JMX to
//! 127.0.0.1 with authentication off, which is safe; anything else binds every interface
//! with whatever `com.sun.management.jmxremote.*` options the remote branch sets.

use crate::env::JvmOption;
use crate::{Judgement, Node};
use ringfence_findings::Status;
use std::path::PathBuf;

pub(super) const DOC: &str =
    "https://cassandra.apache.org/doc/latest/cassandra/managing/operating/security.html#jmx-access";
pub(super) const AUTHENTICATE: &str = "com.sun.management.jmxremote.authenticate";
pub(super) const SSL: &str = "com.sun.management.jmxremote.ssl";

/// What the files say about JMX, and where they say it.
pub(super) struct Jmx<'a> {
    pub(super) remote: bool,
    /// Which branch of the script's `if [ "$LOCAL_JMX" = "yes" ]` applies.
    pub(super) branch_local: bool,
    /// The setting that made it remote (or local): name, file, line.
    pub(super) evidence: (String, PathBuf, Option<u32>, String),
    pub(super) node: &'a Node,
}

impl Jmx<'_> {
    pub(super) fn of(node: &Node) -> Option<Jmx<'_>> {
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

    pub(super) fn local(&self) -> bool {
        !self.remote
    }

    pub(super) fn option(&self, name: &str) -> Option<&JvmOption> {
        self.node.jvm.property(self.branch_local, name)
    }

    pub(super) fn judge(
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
    pub(super) fn option_line(&self, option: &str, found: Option<&JvmOption>) -> String {
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

    pub(super) fn skip(node: &Node, check_id: &'static str) -> Vec<Judgement> {
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
