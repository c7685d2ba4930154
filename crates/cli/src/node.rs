//! `ringfence node PATH`: audits a Cassandra node's configuration files.

use crate::Outcome;
use crate::args::OutputArgs;
use crate::output::{emit_all, style};
use clap::Args;
use ringfence_findings::time::Timestamp;
use ringfence_findings::{CheckMeta, ComplianceOutcome, Finding, Report, Severity, Status};
use ringfence_node::{Generation, NODE_CHECKS, Node};
use ringfence_report::{Context as RenderContext, Style};
use std::cmp::Reverse;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct NodeArgs {
    /// The node's conf folder (cassandra.yaml, and cassandra-env.sh and jvm*.options
    /// when present), or a cassandra.yaml (the other files are read from beside it).
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
    /// The Cassandra release line the files are for (3.11, 4.0, 4.1, 5.0); default:
    /// recognised from the setting names the file uses.
    #[arg(long, value_name = "VERSION", value_parser = parse_generation)]
    pub cassandra_version: Option<Generation>,
    /// Exit 1 only for failing findings at or above this severity.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity, default_value = "info")]
    pub fail_on: Severity,
    /// Report passing settings too.
    #[arg(long)]
    pub passed: bool,
    /// Run the checks mapped to a framework (cis-cassandra, nist-800-53, ...) and report
    /// by control.
    #[arg(long, value_name = "FRAMEWORK")]
    pub compliance: Option<String>,
}

fn parse_generation(text: &str) -> Result<Generation, String> {
    text.parse()
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    text.parse()
}

pub fn run(args: &NodeArgs) -> Result<Outcome, String> {
    let mut node = Node::load(&args.path).map_err(|e| e.to_string())?;
    if let Some(generation) = args.cassandra_version {
        node = node.with_generation(generation);
    }
    let framework = args
        .compliance
        .as_deref()
        .map(crate::scan::framework)
        .transpose()?;
    let mapped = |meta: &CheckMeta| {
        framework.is_none_or(|fw| meta.compliance.iter().any(|c| c.framework == fw.name))
    };
    let metas: Vec<&CheckMeta> = NODE_CHECKS
        .iter()
        .map(|c| &c.meta)
        .filter(|m| mapped(m))
        .collect();
    if metas.is_empty() {
        return Err(format!(
            "no node check is mapped to {} (`ringfence checks --compliance {}` lists what is)",
            args.compliance.as_deref().unwrap_or_default(),
            args.compliance.as_deref().unwrap_or_default()
        ));
    }
    let mut findings: Vec<Finding> = ringfence_node::audit(&node)
        .iter()
        .filter_map(|j| j.to_finding())
        .filter(|f| metas.iter().any(|m| m.id == f.check_id))
        .filter(|f| args.passed || f.status != Status::Pass)
        .collect();
    sort(&mut findings);
    let mut report = Report::new(findings, Vec::new(), metas.len());
    if let Some(framework) = framework {
        report.compliance_report = Some(ComplianceOutcome::of(framework, &metas, &report.findings));
    }
    finish(&report, &args.output, args.fail_on)
}

/// Worst first, then check order, then file and line.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                f.status,
                Reverse(f.severity),
                f.check_id,
                f.resource.region.clone(),
                f.resource.location.as_ref().and_then(|l| l.line),
                f.resource.id.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// Renders the report and maps it to the exit-code contract.
pub fn finish(report: &Report, output: &OutputArgs, fail_on: Severity) -> Result<Outcome, String> {
    finish_styled(report, output, fail_on, style(output))
}

pub fn finish_styled(
    report: &Report,
    output: &OutputArgs,
    fail_on: Severity,
    style: Style,
) -> Result<Outcome, String> {
    let ctx = RenderContext {
        style,
        generated_at: Timestamp::now(),
    };
    emit_all(output, |format, out| {
        ringfence_report::render_with(report, format, &ctx, out)
    })?;
    Ok(if report.fails_at(fail_on) {
        Outcome::Findings
    } else if report.summary.skip > 0 || !report.incomplete.is_empty() {
        Outcome::Incomplete
    } else {
        Outcome::Clean
    })
}
