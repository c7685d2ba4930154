//! Infrastructure as code into the ringfence model: Terraform HCL (a small evaluator for
//! variables, locals, references, `count`/`for_each` over literals and local modules),
//! Terraform plan JSON (exact values) and CloudFormation YAML/JSON (intrinsics, parameters,
//! conditions).
//!
//! Every resource keeps its file and line ([`ringfence_model::Position::Line`]) so findings
//! point at code. A value that cannot be resolved before deploy is never guessed: a rule
//! source becomes [`ringfence_model::Source::Unresolved`] naming the expression and its
//! file:line, so the checks answer SKIP, never PASS. IaC resources have no AWS ids: each
//! gets a stable synthetic id from its address (`aws_security_group.cassandra`,
//! `module.db.aws_instance.node[0]`) or its CloudFormation logical id.

mod build;
mod cloudformation;
mod detect;
mod error;
mod plan;
mod terraform;
mod value;

pub use detect::{Kind, detect};
pub use error::IacError;

use ringfence_model::Estate;
use std::path::Path;

/// Files larger than this are refused: a template this big is a mistake or an attack, and
/// parsing it whole could exhaust memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads `path` as the given kind of input into an estate (one synthetic scope, region
/// `iac`, since code does not say where it will be deployed).
pub fn load(path: &Path, kind: Kind) -> Result<Estate, IacError> {
    match kind {
        Kind::Terraform => terraform::load(path),
        Kind::Plan => plan::load(path),
        Kind::CloudFormation => cloudformation::load(path),
    }
}

/// Reads a file as text, refusing huge files before reading them.
pub(crate) fn read_text(path: &Path) -> Result<String, IacError> {
    let meta = std::fs::metadata(path).map_err(|e| IacError::io(path, e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(IacError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| IacError::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        IacError::Syntax {
            path: path.to_path_buf(),
            line,
            column: None,
            message: "not UTF-8 text".into(),
        }
    })
}
