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

/// Reads `path` as the given kind of input into an estate (region `iac`, since code does
/// not say where it will be deployed). For a [`Kind::Directory`], the first unreadable
/// file is the error; [`load_tree`] goes on past it.
pub fn load(path: &Path, kind: Kind) -> Result<Estate, IacError> {
    match kind {
        Kind::Terraform => terraform::load(path).map(|(estate, _)| estate),
        Kind::Plan => plan::load(path),
        Kind::CloudFormation => cloudformation::load(path),
        Kind::Directory => {
            let (estate, mut errors) = load_tree(path)?;
            match errors.is_empty() {
                true => Ok(estate),
                false => Err(errors.remove(0)),
            }
        }
    }
}

/// Reads every input under a folder: each folder of `.tf` files is a root module unless a
/// root read before it (shallower first) calls it as a local module; each template and
/// plan file is read on its own. Inputs are kept apart (one scope each, named after their
/// path relative to `dir`) so that two roots with an `aws_security_group.web` each stay
/// two groups. A file that cannot be read does not stop the others: it is returned among
/// the errors, and the caller reports it (exit 2). Only when nothing could be read is the
/// first error the result.
pub fn load_tree(dir: &Path) -> Result<(Estate, Vec<IacError>), IacError> {
    let mut tf_dirs = Vec::new();
    let mut files = Vec::new();
    walk(dir, 0, &mut tf_dirs, &mut files);
    tf_dirs.sort_by_key(|d| (d.components().count(), d.clone()));
    files.sort();
    let mut estate = Estate::default();
    let mut errors = Vec::new();
    // Folders some root calls as a local module are read through their caller only (the
    // caller's inputs, not the module's defaults), wherever they sit in the tree.
    let mut modules: std::collections::HashSet<std::path::PathBuf> = tf_dirs
        .iter()
        .flat_map(|d| terraform::local_module_calls(d))
        .collect();
    let mut loaded = 0;
    let mut add = |mut part: Estate, input: &Path| {
        let rel = input.strip_prefix(dir).unwrap_or(input);
        let name = if rel.as_os_str().is_empty() {
            build::REGION.to_string()
        } else {
            format!("{}:{}", build::REGION, rel.display())
        };
        for scope in &mut part.scopes {
            scope.region = name.clone();
        }
        estate.merge(part);
    };
    for tf in &tf_dirs {
        let key = tf.canonicalize().unwrap_or_else(|_| tf.clone());
        if modules.contains(&key) {
            continue;
        }
        match terraform::load(tf) {
            Ok((part, called)) => {
                modules.extend(called);
                add(part, tf);
                loaded += 1;
            }
            Err(e) => errors.push(e),
        }
    }
    for file in &files {
        let result = match detect::detect_file(file) {
            Some(Kind::Plan) => plan::load(file),
            Some(Kind::CloudFormation) => cloudformation::load(file),
            _ => continue,
        };
        match result {
            Ok(part) => {
                add(part, file);
                loaded += 1;
            }
            Err(e) => errors.push(e),
        }
    }
    if loaded == 0 {
        return Err(match errors.is_empty() {
            true => IacError::Empty {
                path: dir.to_path_buf(),
            },
            false => errors.remove(0),
        });
    }
    Ok((estate, errors))
}

/// Folders holding `.tf` files, and candidate template/plan files, under `dir`.
fn walk(
    dir: &Path,
    depth: u32,
    tf_dirs: &mut Vec<std::path::PathBuf>,
    files: &mut Vec<std::path::PathBuf>,
) {
    if depth > 32 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut has_tf = false;
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !detect::skipped_dir(&name) {
                walk(&path, depth + 1, tf_dirs, files);
            }
        } else if name.ends_with(".tf") || name.ends_with(".tf.json") {
            has_tf = true;
        } else if detect::detect_file(&path).is_some() {
            files.push(path);
        }
    }
    if has_tf {
        tf_dirs.push(dir.to_path_buf());
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
    let mut bytes = std::fs::read(path).map_err(|e| IacError::io(path, e))?;
    // A UTF-8 byte-order mark (Windows editors write one) is not part of the text.
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
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
