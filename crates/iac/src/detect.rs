//! What kind of input a path is, from its name and a look at its first bytes.

use std::io::Read;
use std::path::Path;

/// An input ringfence reads as infrastructure as code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One `.tf` file (with the `.tfvars` beside it).
    Terraform,
    /// `terraform show -json plan` output.
    Plan,
    /// A CloudFormation template, YAML or JSON.
    CloudFormation,
    /// A folder of code: every folder of `.tf` files in it is a root module (unless another
    /// root calls it as a local module), every template and plan file is read.
    Directory,
}

/// Folders never read: tool caches (`.terraform` holds downloaded copies of remote
/// modules), VCS data, dependencies.
pub(crate) fn skipped_dir(name: &str) -> bool {
    name.starts_with('.') || name == "node_modules" || name == "target"
}

/// The kind of `path`, or `None` when it is not infrastructure as code (a snapshot folder,
/// `aws`, or something else the caller reports). A directory holding `describe-*.json`
/// is a snapshot, even if it also holds code.
pub fn detect(path: &Path) -> Option<Kind> {
    if path.is_dir() {
        let entries: Vec<_> = std::fs::read_dir(path)
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if entries
            .iter()
            .any(|n| n.starts_with("describe-") && n.ends_with(".json"))
        {
            return None;
        }
        return has_code(path, 0).then_some(Kind::Directory);
    }
    if !path.is_file() {
        return None;
    }
    detect_file(path)
}

/// Whether any file under `dir` is code ringfence reads (a bounded search).
fn has_code(dir: &Path, depth: u32) -> bool {
    if depth > 16 {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut subdirs = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !skipped_dir(&name) {
                subdirs.push(path);
            }
        } else if detect_file(&path).is_some() {
            return true;
        }
    }
    subdirs.iter().any(|d| has_code(d, depth + 1))
}

/// The kind of one file, from its name and first bytes.
pub(crate) fn detect_file(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".tf") || name.ends_with(".tf.json") {
        return Some(Kind::Terraform);
    }
    let json = name.ends_with(".json");
    let template = [".yaml", ".yml", ".json", ".template"]
        .iter()
        .any(|ext| name.ends_with(ext));
    if !template {
        return None;
    }
    let head = head(path);
    let text = String::from_utf8_lossy(&head);
    if json && text.contains("\"format_version\"") {
        return Some(Kind::Plan);
    }
    if text.contains("AWSTemplateFormatVersion") || text.contains("Resources") {
        return Some(Kind::CloudFormation);
    }
    if json
        && (text.contains("\"planned_values\"")
            || text.contains("\"resource_changes\"")
            || text.contains("\"terraform_version\""))
    {
        return Some(Kind::Plan);
    }
    None
}

/// The first 64 KiB: enough to see the top-level keys of a template or plan.
fn head(path: &Path) -> Vec<u8> {
    let mut buf = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(64 * 1024).read_to_end(&mut buf);
    }
    buf
}
