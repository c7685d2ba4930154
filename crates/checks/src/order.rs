//! The report a scan prints: findings in a stable order, and every gap in the input.

use crate::{Check, REGISTRY, optional_inputs};
use ringfence_findings::{Finding, IncompleteEntry, Report};
use ringfence_model::{Estate, ResourceKind};
use std::cmp::Reverse;

/// The findings document of a scan that ran `checks`: findings worst first, then in
/// registry order, then by place and id (stable across runs, so reports diff cleanly);
/// then the estate's gaps, sorted, and `extra_gaps` (the live source's) after them.
pub fn report_of(
    estate: &Estate,
    mut findings: Vec<Finding>,
    extra_gaps: Vec<IncompleteEntry>,
    checks: &[&'static Check],
) -> Report {
    sort(&mut findings);
    let mut gaps = incomplete(estate, checks);
    gaps.extend(extra_gaps);
    Report::new(findings, gaps, checks.len())
}

fn sort(findings: &mut [Finding]) {
    let order = |id: &str| {
        REGISTRY
            .iter()
            .position(|c| c.meta.id == id)
            .unwrap_or(usize::MAX)
    };
    findings.sort_by_cached_key(|f| {
        (
            f.status,
            Reverse(f.severity),
            order(f.check_id),
            f.resource.account.clone(),
            f.resource.region.clone(),
            f.resource.id.clone(),
        )
    });
}

/// Every gap in what was read, and the optional data a check that ran needed but did not
/// get (the audit-trail files are nobody's business otherwise).
fn incomplete(estate: &Estate, checks: &[&'static Check]) -> Vec<IncompleteEntry> {
    let needed: Vec<ResourceKind> = checks
        .iter()
        .flat_map(|c| optional_inputs(c).iter().copied())
        .collect();
    let mut entries: Vec<IncompleteEntry> = estate
        .incomplete
        .iter()
        .chain(
            estate
                .unread
                .iter()
                .filter(|gap| needed.contains(&gap.kind)),
        )
        .map(|gap| {
            let scope = estate.scope(gap.scope);
            IncompleteEntry {
                account: scope.account.clone(),
                region: scope.region.clone(),
                kind: gap.kind.command().to_string(),
                subject: gap.subject.clone(),
                reason: gap.reason.clone(),
            }
        })
        .collect();
    entries.sort();
    entries.dedup();
    entries
}
