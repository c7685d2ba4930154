//! Errors that name the file and the line, so a person can fix the code without reading
//! ringfence's source. The CLI maps every one to exit code 2.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum IacError {
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Refused before reading: see [`crate::MAX_FILE_BYTES`].
    #[error("{}: {size} bytes is larger than the {} MiB ringfence reads from one template or plan", path.display(), crate::MAX_FILE_BYTES / (1024 * 1024))]
    TooLarge { path: PathBuf, size: u64 },
    /// Not valid HCL / YAML / JSON, or a tag that is not a CloudFormation intrinsic.
    #[error("{}:{line}{}: {message}", path.display(), column.map(|c| format!(":{c}")).unwrap_or_default())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: Option<usize>,
        message: String,
    },
    /// Well-formed, but not what the format requires (a plan without `format_version`, a
    /// template whose `Resources` is not a mapping).
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// Nothing here is Terraform, a plan or a template.
    #[error("{}: no Terraform (.tf), plan JSON or CloudFormation template found", path.display())]
    Empty { path: PathBuf },
}

impl IacError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        IacError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
