//! `scan aws` and `snapshot aws`: the live source, and where its data goes.

use crate::Outcome;
use crate::args::{LiveArgs, SnapshotArgs};
use ringfence_aws::{Collected, Layout, Options, RoleSource};
use ringfence_findings::IncompleteEntry;
use ringfence_model::Estate;
use std::path::Path;
use std::time::Duration;

/// The word that names the live source where a snapshot folder would go.
pub const AWS: &str = "aws";

pub(crate) fn options(live: &LiveArgs) -> Options {
    Options {
        profile: live.profile.clone(),
        regions: live.region.clone(),
        roles: RoleSource {
            role_arns: live.role_arn.clone(),
            role_file: live.role_file.clone(),
            role_name: live.role_name.clone(),
            organization: live.org,
        },
        external_id: live.external_id.clone(),
        endpoint_url: live.endpoint_url.clone(),
        concurrency: live.concurrency,
        timeout: Duration::from_secs(live.call_timeout),
        quiet: live.quiet,
    }
}

fn collect(live: &LiveArgs, layout: Layout) -> Result<Collected, String> {
    ringfence_aws::collect_as(&options(live), layout).map_err(|e| e.to_string())
}

/// Failures above one region, in the report's `incomplete` list.
fn failures(collected: &Collected) -> Vec<IncompleteEntry> {
    collected
        .failures
        .iter()
        .map(|f| IncompleteEntry {
            account: f.account.clone(),
            region: f.region.clone().unwrap_or_else(|| "*".into()),
            kind: f.call.clone(),
            subject: None,
            reason: f.reason.clone(),
        })
        .collect()
}

/// The estate to scan: a snapshot folder, or the live accounts when the path is `aws`.
pub fn load_source(path: &Path, live: &LiveArgs) -> Result<(Estate, Vec<IncompleteEntry>), String> {
    if path != Path::new(AWS) {
        if live.is_set() {
            return Err(format!(
                "live-scan options (--profile, --region, --role-arn, ...) apply to `ringfence scan aws`, not to the folder {}",
                path.display()
            ));
        }
        return ringfence_snapshot::load(path)
            .map(|e| (e, Vec::new()))
            .map_err(|e| e.to_string());
    }
    // Documents only parsed again: compact.
    let collected = collect(live, Layout::Compact)?;
    let mut estate = Estate::default();
    for region in &collected.regions {
        estate.merge(
            region
                .to_estate()
                .map_err(|e| format!("live data did not convert: {e}"))?,
        );
    }
    Ok((estate, failures(&collected)))
}

/// `ringfence snapshot aws --out DIR`: the same files the AWS CLI would print.
pub fn snapshot(args: &SnapshotArgs) -> Result<Outcome, String> {
    if args.source != AWS {
        return Err(format!(
            "unknown source {:?}: `ringfence snapshot aws --out DIR`",
            args.source
        ));
    }
    // Documents written for people: indented.
    let collected = collect(&args.live, Layout::Indented)?;
    for region in &collected.regions {
        region
            .write(&args.out)
            .map_err(|e| format!("{}: {e}", args.out.display()))?;
    }
    let gaps: usize = collected
        .regions
        .iter()
        .map(|r| r.failures.len())
        .sum::<usize>()
        + collected.failures.len();
    for f in &collected.failures {
        eprintln!(
            "ringfence: {} {}: {} failed: {}",
            f.account.as_deref().unwrap_or("?"),
            f.region.as_deref().unwrap_or("*"),
            f.call,
            f.reason
        );
    }
    for region in &collected.regions {
        for f in &region.failures {
            eprintln!(
                "ringfence: {} {}: {}{} failed: {}",
                region.account.as_deref().unwrap_or("?"),
                region.region,
                f.kind.command(),
                f.subject
                    .as_deref()
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default(),
                f.reason
            );
        }
    }
    Ok(if gaps > 0 {
        Outcome::Incomplete
    } else {
        Outcome::Clean
    })
}
