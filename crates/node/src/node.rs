//! One node's configuration, read once; the checks only read this.

use crate::env::JvmSettings;
use crate::yaml::{Entry, Value, YamlFile};
use crate::{Judgement, NodeError};
use ringfence_findings::Status;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The Cassandra release line a `cassandra.yaml` was written for: the same setting has
/// different names (4.1 dropped the `_in_ms`/`_in_mb` suffixes, 4.0 removed Thrift's
/// `start_rpc`, 5.0 deprecated `native_transport_port_ssl`), and a setting one line
/// ignores is no risk there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Generation {
    V3,
    V4_0,
    V4_1,
    V5_0,
}

impl Generation {
    pub fn as_str(&self) -> &'static str {
        match self {
            Generation::V3 => "3.x",
            Generation::V4_0 => "4.0",
            Generation::V4_1 => "4.1",
            Generation::V5_0 => "5.0",
        }
    }
}

impl fmt::Display for Generation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Generation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "3" | "3.0" | "3.11" | "3.x" => Ok(Generation::V3),
            "4.0" => Ok(Generation::V4_0),
            "4" | "4.1" | "4.x" => Ok(Generation::V4_1),
            "5" | "5.0" | "5.x" => Ok(Generation::V5_0),
            other => Err(format!(
                "unknown Cassandra version {other:?} (expected 3.11, 4.0, 4.1 or 5.0)"
            )),
        }
    }
}

/// Settings only one release line (or a later one) writes, most recent first: the first
/// line with one of its markers present is the file's. 3.x comes last because upgraded
/// files keep 3.x names such as `start_rpc`, which 4.0 and later ignore.
const MARKERS: &[(Generation, &[&str])] = &[
    (
        Generation::V5_0,
        &[
            "storage_compatibility_mode",
            "default_compaction",
            "dynamic_data_masking_enabled",
            "sstable.selected_format",
            "default_secondary_index",
        ],
    ),
    (
        Generation::V4_1,
        &[
            "read_request_timeout",
            "write_request_timeout",
            "commitlog_sync_period",
            "key_cache_size",
            "max_hint_window",
            "paxos_variant",
        ],
    ),
    (
        Generation::V4_0,
        &[
            "full_query_logging_options",
            "audit_logging_options",
            "diagnostic_events_enabled",
            "automatic_sstable_upgrade",
        ],
    ),
    (
        Generation::V3,
        &[
            "start_rpc",
            "rpc_port",
            "rpc_server_type",
            "thrift_framed_transport_size_in_mb",
            "thrift_prepared_statements_cache_size_mb",
            "request_scheduler",
        ],
    ),
];

/// A node's configuration: `cassandra.yaml`, and the JVM settings from
/// `cassandra-env.sh` and `jvm*.options` beside it.
#[derive(Clone, Debug)]
pub struct Node {
    pub yaml_path: PathBuf,
    pub yaml: YamlFile,
    /// `cassandra-env.sh`, when the folder has one.
    pub env_path: Option<PathBuf>,
    pub jvm_option_files: Vec<PathBuf>,
    pub jvm: JvmSettings,
    /// `None` when no marker setting says which release line wrote the file.
    pub generation: Option<Generation>,
}

impl Node {
    /// Reads a configuration folder, or a `cassandra.yaml` and the files beside it.
    pub fn load(path: &Path) -> Result<Node, NodeError> {
        let metadata = fs::metadata(path).map_err(|e| NodeError::new(path, e.to_string()))?;
        let (yaml_path, dir) = if metadata.is_dir() {
            let yaml = path.join("cassandra.yaml");
            if !yaml.is_file() {
                return Err(NodeError::new(
                    path,
                    "no cassandra.yaml in this folder (give the node's conf folder or the file)",
                ));
            }
            (yaml, path.to_path_buf())
        } else {
            let dir = path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from("."));
            (path.to_path_buf(), dir)
        };
        let yaml = YamlFile::parse(&read(&yaml_path)?, &yaml_path)?;
        let mut jvm = JvmSettings::default();
        let env = dir.join("cassandra-env.sh");
        let env_path = if env.is_file() {
            jvm.read_env_sh(&read(&env)?, &env);
            Some(env)
        } else {
            None
        };
        let mut jvm_option_files: Vec<PathBuf> = fs::read_dir(&dir)
            .map_err(|e| NodeError::new(&dir, e.to_string()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("jvm") && n.ends_with(".options"))
            })
            .collect();
        jvm_option_files.sort();
        for file in &jvm_option_files {
            jvm.read_jvm_options(&read(file)?, file);
        }
        Ok(Node::from_parts(
            yaml_path,
            yaml,
            env_path,
            jvm_option_files,
            jvm,
        ))
    }

    /// A node from already-read parts (tests, and callers that have the text).
    pub fn from_parts(
        yaml_path: PathBuf,
        yaml: YamlFile,
        env_path: Option<PathBuf>,
        jvm_option_files: Vec<PathBuf>,
        jvm: JvmSettings,
    ) -> Node {
        let generation = MARKERS
            .iter()
            .find(|(_, keys)| keys.iter().any(|k| yaml.entries.contains_key(*k)))
            .map(|(g, _)| *g);
        Node {
            yaml_path,
            yaml,
            env_path,
            jvm_option_files,
            jvm,
            generation,
        }
    }

    /// Overrides the release line the markers suggested (`--cassandra-version`).
    pub fn with_generation(mut self, generation: Generation) -> Node {
        self.generation = Some(generation);
        self
    }

    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.yaml.entries.get(key)
    }

    /// The first of several names for one setting that the file sets (a null value
    /// counts as not set).
    pub fn first(&self, keys: &[&str]) -> Option<&Entry> {
        keys.iter()
            .filter_map(|k| self.get(k))
            .find(|e| e.value != Value::Null)
    }

    /// A class setting's short name (`AllowAllAuthenticator`), written either as a
    /// string (`authenticator: org.apache...AllowAllAuthenticator`) or, from 5.0, as a
    /// mapping with `class_name`; and the entry that names it.
    pub fn class_name(&self, key: &str) -> Option<(String, &Entry)> {
        let entry = self.get(key)?;
        let (name, entry) = match &entry.value {
            Value::Scalar(name) => (name.clone(), entry),
            Value::Mapping => {
                let inner = self.get(&format!("{key}.class_name"))?;
                (inner.value.as_str()?.to_string(), inner)
            }
            _ => return None,
        };
        let short = name.rsplit('.').next().unwrap_or(&name).trim().to_string();
        (!short.is_empty()).then_some((short, entry))
    }

    /// A judgement about a `cassandra.yaml` setting.
    pub fn judge_yaml(
        &self,
        check_id: &'static str,
        status: Status,
        key: &str,
        entry: Option<&Entry>,
        message: String,
        fix: Vec<String>,
    ) -> Judgement {
        Judgement {
            check_id,
            status,
            setting: entry.map_or_else(|| key.to_string(), |e| e.key.clone()),
            file: self.yaml_path.clone(),
            line: entry.map(|e| e.line),
            message,
            fix,
        }
    }
}

/// The YAML lines that set `dotted` to `value`: `a.b: v` becomes `a:` / `  b: v`.
pub fn yaml_lines(dotted: &str, value: &str) -> Vec<String> {
    let parts: Vec<&str> = dotted.split('.').collect();
    let last = parts.len().saturating_sub(1);
    parts
        .iter()
        .enumerate()
        .map(|(depth, part)| {
            let indent = "  ".repeat(depth);
            if depth == last {
                format!("{indent}{part}: {value}")
            } else {
                format!("{indent}{part}:")
            }
        })
        .collect()
}

fn read(path: &Path) -> Result<String, NodeError> {
    fs::read_to_string(path).map_err(|e| NodeError::new(path, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_fix_lines_are_indented() {
        assert_eq!(
            yaml_lines("client_encryption_options.enabled", "true"),
            vec!["client_encryption_options:", "  enabled: true"]
        );
        assert_eq!(
            yaml_lines("authenticator", "PasswordAuthenticator"),
            vec!["authenticator: PasswordAuthenticator"]
        );
    }

    #[test]
    fn a_missing_folder_is_an_error_not_a_panic() {
        let error = Node::load(Path::new("/nonexistent/conf")).expect_err("missing");
        assert!(
            error.to_string().starts_with("/nonexistent/conf"),
            "{error}"
        );
    }
}
