//! The scan pipeline: snapshot → model → exposure → checks → report.

use crate::Outcome;
use crate::args::{FormatArg, ListArgs, ScanArgs};
use crate::output::{emit, style};
use ringfence_checks::{Config, Context, REGISTRY, Selection};
use ringfence_exposure::{Evaluation, Network, WideThreshold};
use ringfence_findings::{Finding, IncompleteEntry, Report, Status};
use ringfence_model::Estate;
use ringfence_report::Format;
use std::cmp::Reverse;

fn format(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
    }
}

pub fn run(args: &ScanArgs) -> Result<Outcome, String> {
    let selection = Selection {
        include: args.checks.clone(),
        exclude: args.exclude_checks.clone(),
        min_severity: args.severity,
    };
    let checks = selection.resolve().map_err(|e| e.to_string())?;
    let (estate, live_gaps) = crate::live::load_source(&args.path, &args.live)?;
    let config = Config {
        wide: WideThreshold {
            v4_prefix: args.wide_prefix,
            ..WideThreshold::default()
        },
        emit_passes: args.passed,
        ..Config::default()
    };
    let eval = Evaluation::of(&estate);
    let network = Network::of(&estate);
    let ctx = Context {
        estate: &estate,
        eval: &eval,
        network: &network,
        config: &config,
    };
    let mut findings = ringfence_checks::run(&checks, &ctx);
    sort(&mut findings);
    let mut gaps = incomplete(&estate);
    gaps.extend(live_gaps);
    let report = Report::new(findings, gaps, checks.len());

    emit(&args.output, |out| {
        ringfence_report::render(
            &report,
            format(args.output.format),
            style(&args.output),
            out,
        )
    })?;

    let failing = report
        .findings
        .iter()
        .any(|f| f.status == Status::Fail && f.severity >= args.fail_on);
    Ok(if failing {
        Outcome::Findings
    } else if !report.incomplete.is_empty() || report.summary.skip > 0 {
        Outcome::Incomplete
    } else {
        Outcome::Clean
    })
}

/// Worst first, then in registry order, then by place and id: stable across runs.
fn sort(findings: &mut [Finding]) {
    let order = |id: &str| {
        REGISTRY
            .iter()
            .position(|c| c.meta.id == id)
            .unwrap_or(usize::MAX)
    };
    findings.sort_by(|a, b| {
        (
            a.status,
            Reverse(a.severity),
            order(a.check_id),
            &a.resource.account,
            &a.resource.region,
            &a.resource.id,
        )
            .cmp(&(
                b.status,
                Reverse(b.severity),
                order(b.check_id),
                &b.resource.account,
                &b.resource.region,
                &b.resource.id,
            ))
    });
}

fn incomplete(estate: &Estate) -> Vec<IncompleteEntry> {
    let mut entries: Vec<IncompleteEntry> = estate
        .incomplete
        .iter()
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

pub fn list_checks(args: &ListArgs) -> Result<Outcome, String> {
    emit(&args.output, |out| {
        ringfence_report::render_checks(
            REGISTRY,
            format(args.output.format),
            style(&args.output),
            out,
        )
    })?;
    Ok(Outcome::Clean)
}

pub fn list_catalog(args: &ListArgs) -> Result<Outcome, String> {
    let catalog = ringfence_checks::Catalog::embedded();
    emit(&args.output, |out| {
        ringfence_report::render_catalog(
            &catalog,
            format(args.output.format),
            style(&args.output),
            out,
        )
    })?;
    Ok(Outcome::Clean)
}
