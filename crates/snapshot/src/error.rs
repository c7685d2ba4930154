//! Errors that name the file, the place inside it and what was expected, so a person can
//! fix the input without reading ringfence's source.

use ringfence_model::ResourceKind;
use serde::Deserialize;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Every way a snapshot folder can be unreadable; the CLI maps each to exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The folder or a file in it exists but cannot be read (or the folder does not exist).
    #[error("{}: cannot read {what}: {source}", path.display())]
    Io {
        path: PathBuf,
        what: &'static str,
        source: io::Error,
    },
    /// Nothing here is named like `aws ec2 describe-*` output, so it is likely the wrong path.
    #[error(
        "{}: not a snapshot folder: none of the expected files is in it, in region sub-folders or in account/region sub-folders; expected {}",
        path.display(),
        expected_files()
    )]
    NotASnapshot { path: PathBuf },
    /// A common slip: pointing at one of the files instead of their folder.
    #[error(
        "{}: is a file, not a snapshot folder; pass the folder that holds the describe-*.json files",
        path.display()
    )]
    NotAFolder { path: PathBuf },
    /// A file that is not what the AWS CLI prints: bad JSON, a wrong type, an impossible
    /// CIDR or port. Guessing what it meant could hide an exposure.
    #[error("{}: {place}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        place: Place,
        message: String,
    },
}

/// Where inside a file something went wrong: a JSON path such as
/// `SecurityGroups[3].IpPermissions[0].FromPort`, and the line and column when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub json_path: String,
    pub line_column: Option<(usize, usize)>,
}

impl Place {
    pub(crate) fn path(json_path: impl Into<String>) -> Self {
        Place {
            json_path: json_path.into(),
            line_column: None,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.json_path.is_empty() || self.json_path == "." {
            f.write_str("top level")?;
        } else {
            f.write_str(&self.json_path)?;
        }
        if let Some((line, column)) = self.line_column {
            write!(f, " (line {line}, column {column})")?;
        }
        Ok(())
    }
}

impl SnapshotError {
    pub(crate) fn io(path: &Path, what: &'static str, source: io::Error) -> Self {
        SnapshotError::Io {
            path: path.to_path_buf(),
            what,
            source,
        }
    }

    pub(crate) fn invalid(path: &Path, place: Place, message: impl Into<String>) -> Self {
        SnapshotError::Invalid {
            path: path.to_path_buf(),
            place,
            message: message.into(),
        }
    }
}

/// The file names a snapshot folder may hold, for messages that say what was expected.
pub(crate) fn expected_files() -> String {
    let mut names: Vec<String> = ResourceKind::ALL
        .iter()
        .filter(|kind| {
            !matches!(
                kind,
                ResourceKind::SecurityGroupRules | ResourceKind::PrefixListEntries
            ) && !kind.is_optional_audit()
        })
        .map(|kind| format!("{}.json", kind.command()))
        .collect();
    names.push(format!(
        "{}/<prefix-list-id>.json",
        ResourceKind::PrefixListEntries.command()
    ));
    names.push(format!(
        "optionally {}.json",
        ResourceKind::SecurityGroupRules.command()
    ));
    for kind in ResourceKind::ALL {
        if kind == ResourceKind::TrailStatus {
            names.push(format!("optionally {}/<trail-name>.json", kind.command()));
        } else if kind.is_optional_audit() {
            names.push(format!("optionally {}.json", kind.command()));
        }
    }
    names.join(", ")
}

/// Parses `bytes` as `T`. The fast path is plain `serde_json`; only a failure pays for a
/// second pass that tracks the JSON path, so the error can say where.
pub(crate) fn parse_json<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
    path: &Path,
    kind: ResourceKind,
) -> Result<T, SnapshotError> {
    // serde would also take an array as a struct, field by field; AWS never prints one.
    if let Some(offset) = bytes.iter().position(|b| !b.is_ascii_whitespace())
        && bytes[offset] == b'['
    {
        let before = &bytes[..offset];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = 1 + before.iter().rev().take_while(|&&b| b != b'\n').count();
        return Err(SnapshotError::invalid(
            path,
            Place {
                json_path: String::new(),
                line_column: Some((line, column)),
            },
            format!(
                "invalid type: array, expected the JSON object printed by `aws ec2 {}`",
                kind.command()
            ),
        ));
    }
    match serde_json::from_slice(bytes) {
        Ok(value) => Ok(value),
        Err(fast) => Err(locate::<T>(bytes, path, kind, fast)),
    }
}

fn locate<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
    path: &Path,
    kind: ResourceKind,
    fast: serde_json::Error,
) -> SnapshotError {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let (json_path, error) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(error) => {
            // `?` stands for a key that could not be read; the enclosing place is what helps.
            let mut json_path = error.path().to_string();
            while let Some(stripped) = json_path.strip_suffix(".?") {
                json_path.truncate(stripped.len());
            }
            (json_path, error.into_inner())
        }
        // The value parsed, so the fast path must have failed on what follows it.
        Ok(_) => match de.end() {
            Err(error) => (String::new(), error),
            Ok(()) => (String::new(), fast),
        },
    };
    let line_column = (error.line() > 0).then(|| (error.line(), error.column()));
    let mut message = error.to_string();
    if let Some((line, column)) = line_column {
        let suffix = format!(" at line {line} column {column}");
        if let Some(stripped) = message.strip_suffix(&suffix) {
            message.truncate(stripped.len());
        }
    }
    let top_level = json_path.is_empty() || json_path == ".";
    if top_level && message.starts_with("missing field") {
        message.push_str(&format!(
            " (expected the output of `aws ec2 {}`)",
            kind.command()
        ));
    }
    SnapshotError::invalid(
        path,
        Place {
            json_path,
            line_column,
        },
        message,
    )
}
