//! Cassandra node hardening: the second wall behind the security group.
//!
//! [`Node::load`] reads a node's configuration folder (`cassandra.yaml`, and beside it
//! `cassandra-env.sh` and `jvm*.options` when present) into one view in which the
//! setting names of Cassandra 3.x, 4.0, 4.1 and 5.0 mean the same thing; each check in
//! [`NODE_CHECKS`] is metadata plus one function from that view to [`Judgement`]s, every
//! one pointing at `file:line` and carrying the exact lines that fix it.
//!
//! The metadata of `ringfence probe`'s checks lives here too ([`endpoint`]), so the report
//! crate finds every Cassandra check's title with one light dependency.

mod checks;
pub mod endpoint;
pub mod env;
mod error;
mod node;
pub mod yaml;

pub use checks::NODE_CHECKS;
pub use error::NodeError;
pub use node::{Generation, Node};

use ringfence_findings::{CheckMeta, Finding, Location, Resource, ResourceType, Status};
use std::path::PathBuf;

/// A node check: its metadata, and the function that judges the configuration.
pub struct NodeCheck {
    pub meta: CheckMeta,
    pub run: fn(&Node) -> Vec<Judgement>,
}

impl std::fmt::Debug for NodeCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeCheck")
            .field("id", &self.meta.id)
            .finish()
    }
}

/// One setting judged: what was found, where, and the lines that fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    pub check_id: &'static str,
    pub status: Status,
    /// The setting judged, as the file names it (`client_encryption_options.enabled`,
    /// `LOCAL_JMX`).
    pub setting: String,
    pub file: PathBuf,
    /// Where the setting is; `None` when it is absent and its default is what was judged.
    pub line: Option<u32>,
    pub message: String,
    /// The exact lines to set (YAML for `cassandra.yaml`, shell or JVM option lines for
    /// the others); empty when nothing needs changing.
    pub fix: Vec<String>,
}

/// Every node check's metadata and aliases, for the report crate and `ringfence checks`.
pub fn find_meta(id: &str) -> Option<&'static CheckMeta> {
    let id = id.trim();
    NODE_CHECKS
        .iter()
        .map(|c| &c.meta)
        .chain(endpoint::PROBE_CHECKS.iter().copied())
        .find(|m| m.id.eq_ignore_ascii_case(id))
}

/// Runs every node check over the configuration.
pub fn audit(node: &Node) -> Vec<Judgement> {
    NODE_CHECKS.iter().flat_map(|c| (c.run)(node)).collect()
}

impl Judgement {
    /// The judgement as a finding, so every report format renders it: the resource is
    /// the setting, its place the file, the line in `location` and leading the message, the
    /// fix appended to it.
    pub fn to_finding(&self) -> Option<Finding> {
        let meta = find_meta(self.check_id)?;
        let file = self.file.display().to_string();
        // The file is the finding's place (`resource.region`, `location.file`); the line
        // leads the message so people see it, and stays out of the fingerprint so an
        // edit elsewhere in the file does not make the finding look new.
        let mut message = match self.line {
            Some(line) => format!("line {line}: {}", self.message),
            None => format!("(not set) {}", self.message),
        };
        if !self.fix.is_empty() {
            // One line each, as they go into the file.
            message.push_str(&format!("; fix:\n{}", self.fix.join("\n")));
        }
        let resource = Resource {
            kind: ResourceType::CassandraConfig,
            id: self.setting.clone(),
            name: None,
            region: file.clone(),
            account: None,
            location: Some(Location {
                file,
                pointer: None,
                line: self.line,
            }),
        };
        Some(Finding::new(meta, self.status, resource, message))
    }
}
