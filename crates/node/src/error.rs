use std::fmt;
use std::path::{Path, PathBuf};

/// A configuration that cannot be read: the file, the line when there is one, and what
/// was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl NodeError {
    pub fn new(file: &Path, message: impl Into<String>) -> Self {
        NodeError {
            file: file.to_path_buf(),
            line: None,
            message: message.into(),
        }
    }

    pub fn at(file: &Path, line: usize, message: impl Into<String>) -> Self {
        NodeError {
            file: file.to_path_buf(),
            line: Some(line),
            message: message.into(),
        }
    }
}

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for NodeError {}
