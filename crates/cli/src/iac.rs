//! `scan <path>` on infrastructure as code: the kind of input is detected from the path
//! (a directory of `.tf`, a plan JSON, a CloudFormation template); anything else goes on
//! to the snapshot and live sources.

use crate::args::LiveArgs;
use ringfence_findings::IncompleteEntry;
use ringfence_model::Estate;
use std::path::Path;

/// Extensions that can only mean code: a missing file with one of them is reported as
/// such, not as a missing snapshot folder.
const CODE_EXTENSIONS: [&str; 5] = ["tf", "json", "yaml", "yml", "template"];

/// The estate to scan, what could not be read, and whether some input was bad (a file in
/// a scanned folder of code that does not parse): then the report is still written, every
/// bad file is named on stderr and in `incomplete`, and the scan exits 2.
pub fn load_source(
    path: &Path,
    live: &LiveArgs,
) -> Result<(Estate, Vec<IncompleteEntry>, bool), String> {
    if let Some(kind) = ringfence_iac::detect(path) {
        if live.is_set() {
            return Err(format!(
                "live-scan options (--profile, --region, --role-arn, ...) apply to `ringfence scan aws`, not to {}",
                path.display()
            ));
        }
        if kind == ringfence_iac::Kind::Directory {
            let (estate, errors) = ringfence_iac::load_tree(path).map_err(|e| e.to_string())?;
            let gaps: Vec<IncompleteEntry> = errors
                .iter()
                .map(|e| {
                    eprintln!("ringfence: error: {e}");
                    IncompleteEntry {
                        account: None,
                        region: "iac".into(),
                        kind: "code".into(),
                        subject: None,
                        reason: e.to_string(),
                    }
                })
                .collect();
            let bad = !gaps.is_empty();
            return Ok((estate, gaps, bad));
        }
        let estate = ringfence_iac::load(path, kind).map_err(|e| e.to_string())?;
        return Ok((estate, Vec::new(), false));
    }
    if !path.exists()
        && path
            .extension()
            .is_some_and(|x| CODE_EXTENSIONS.iter().any(|c| x == *c))
    {
        return Err(format!("{}: no such file", path.display()));
    }
    let describe = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("describe-"));
    if path.is_file() && !describe {
        return Err(format!(
            "{}: not a Terraform file, plan JSON (`terraform show -json`) or CloudFormation template (no AWSTemplateFormatVersion or Resources), and not a snapshot folder",
            path.display()
        ));
    }
    crate::live::load_source(path, live).map(|(estate, gaps)| (estate, gaps, false))
}
