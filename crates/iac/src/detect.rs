//! What kind of input a path is, from its name and a look at its first bytes.

use std::io::Read;
use std::path::Path;

/// An input ringfence reads as infrastructure as code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A directory of `.tf` files (a root module), or one `.tf` file.
    Terraform,
    /// `terraform show -json plan` output.
    Plan,
    /// A CloudFormation template, YAML or JSON.
    CloudFormation,
}

/// The kind of `path`, or `None` when it is not infrastructure as code (a snapshot folder,
/// `aws`, or something else the caller reports). A directory holding `describe-*.json`
/// is a snapshot, even if it also holds `.tf` files.
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
        return entries
            .iter()
            .any(|n| n.ends_with(".tf"))
            .then_some(Kind::Terraform);
    }
    if !path.is_file() {
        return None;
    }
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".tf") {
        return Some(Kind::Terraform);
    }
    let head = head(path);
    let text = String::from_utf8_lossy(&head);
    let json = name.ends_with(".json");
    if json && text.contains("\"format_version\"") {
        return Some(Kind::Plan);
    }
    let template = [".yaml", ".yml", ".json", ".template"]
        .iter()
        .any(|ext| name.ends_with(ext));
    if template && (text.contains("AWSTemplateFormatVersion") || text.contains("Resources")) {
        return Some(Kind::CloudFormation);
    }
    if json && (text.contains("\"planned_values\"") || text.contains("\"resource_changes\"")) {
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
