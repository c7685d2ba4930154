//! What users tune, read and validated before a scan: the `ringfence.toml` config file,
//! the mutelist (exceptions with a reason and an expiry date) and the baseline (an earlier
//! JSON report, so that only new findings fail). Each error names the file and the place.

mod baseline;
mod config_file;
mod glob;
mod mutelist;

pub use baseline::Baseline;
pub use config_file::{CONFIG_FILE_NAME, Settings, TrailSettings};
pub use glob::glob_match;
pub use mutelist::{MuteRule, Mutelist};

use std::fmt;
use std::path::{Path, PathBuf};

/// A policy file that cannot be used: which file, where in it, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    pub file: PathBuf,
    pub message: String,
}

impl PolicyError {
    pub(crate) fn new(file: &Path, message: impl Into<String>) -> Self {
        PolicyError {
            file: file.to_path_buf(),
            message: message.into(),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

impl std::error::Error for PolicyError {}

/// Line and column (1-based) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

pub(crate) fn read(path: &Path) -> Result<String, PolicyError> {
    std::fs::read_to_string(path).map_err(|e| PolicyError::new(path, format!("cannot read: {e}")))
}
