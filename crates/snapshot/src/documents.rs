//! A region's `describe-*` documents held in memory: what the live source reads, turned
//! into the model by the same code as a snapshot folder, and written out as one.

use crate::convert::Builder;
use crate::error::SnapshotError;
use crate::region::ORDER;
use ringfence_model::{Estate, ResourceKind};
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Something that could not be read, and why (AccessDenied, a timeout, HTTP 500).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub kind: ResourceKind,
    /// The one prefix list whose entries failed, when not the whole kind.
    pub subject: Option<String>,
    pub reason: String,
}

/// One account and region's documents, each the JSON `aws ec2 <command>` prints.
#[derive(Clone, Debug, Default)]
pub struct RegionDocuments {
    pub account: Option<String>,
    pub region: String,
    pub documents: BTreeMap<ResourceKind, Vec<u8>>,
    /// `get-managed-prefix-list-entries` per prefix-list id.
    pub prefix_list_entries: BTreeMap<String, Vec<u8>>,
    /// `get-trail-status` per trail name.
    pub trail_status: BTreeMap<String, Vec<u8>>,
    pub failures: Vec<Failure>,
}

impl RegionDocuments {
    /// Where the document lives in a snapshot folder, relative to its root: findings
    /// point there, and `write` puts it there.
    pub fn relative_path(&self, kind: ResourceKind) -> PathBuf {
        let mut path = PathBuf::new();
        if let Some(account) = &self.account {
            path.push(account);
        }
        path.push(&self.region);
        path.push(format!("{}.json", kind.command()));
        path
    }

    fn entries_path(&self, id: &str) -> PathBuf {
        self.relative_path(ResourceKind::PrefixListEntries)
            .with_extension("")
            .join(format!("{id}.json"))
    }

    fn trail_status_path(&self, name: &str) -> PathBuf {
        self.relative_path(ResourceKind::TrailStatus)
            .with_extension("")
            .join(format!("{name}.json"))
    }

    /// Converts exactly as [`crate::load`] converts the same files; failures become
    /// `incomplete` entries naming what failed and why.
    pub fn to_estate(&self) -> Result<Estate, SnapshotError> {
        let mut builder = Builder::new();
        for kind in ORDER {
            let path = self.relative_path(kind);
            if let Some(bytes) = self.documents.get(&kind) {
                builder.add(kind, bytes, &path)?;
            } else if let Some(failure) = self
                .failures
                .iter()
                .find(|f| f.kind == kind && f.subject.is_none())
            {
                builder.failed(kind, None, &failure.reason);
            } else if kind != ResourceKind::SecurityGroupRules {
                builder.missing(kind);
            }
        }
        for id in builder.prefix_lists_wanted() {
            match self.prefix_list_entries.get(&id) {
                Some(bytes) => {
                    builder.add_prefix_list_entries(&id, bytes, &self.entries_path(&id))?
                }
                None => {
                    builder.missing_prefix_list_entries(&id);
                    if let Some(failure) = self.failures.iter().find(|f| {
                        f.kind == ResourceKind::PrefixListEntries
                            && f.subject.as_deref() == Some(&id)
                    }) {
                        builder.failed(ResourceKind::PrefixListEntries, Some(&id), &failure.reason);
                    }
                }
            }
        }
        for name in builder.trails_wanted() {
            if let Some(bytes) = self.trail_status.get(&name) {
                builder.add_trail_status(&name, bytes, &self.trail_status_path(&name))?;
            } else if let Some(failure) = self.failures.iter().find(|f| {
                f.kind == ResourceKind::TrailStatus && f.subject.as_deref() == Some(&name)
            }) {
                builder.failed(ResourceKind::TrailStatus, Some(&name), &failure.reason);
            }
        }
        Ok(builder.finish(self.account.as_deref(), Some(&self.region)))
    }

    /// Writes the documents as a snapshot folder under `root` (`<account>/<region>/...`).
    pub fn write(&self, root: &Path) -> io::Result<()> {
        for (kind, bytes) in &self.documents {
            let path = root.join(self.relative_path(*kind));
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(path, bytes)?;
        }
        for (name, bytes) in &self.trail_status {
            let path = root.join(self.trail_status_path(name));
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(path, bytes)?;
        }
        for (id, bytes) in &self.prefix_list_entries {
            let path = root.join(self.entries_path(id));
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(path, bytes)?;
        }
        Ok(())
    }
}
