use crate::{CheckMeta, Finding, Framework, Severity, Status};
use serde::Serialize;
use std::collections::BTreeMap;

/// Names the JSON document so consumers can tell it from other tools' output.
pub const SCHEMA: &str = "https://ringfence.dev/schemas/findings";
/// Bumped on any change that could break a consumer of the JSON output.
pub const SCHEMA_VERSION: u32 = 1;

/// Something that could not be read or judged: the scan is incomplete there.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct IncompleteEntry {
    pub account: Option<String>,
    pub region: String,
    /// The resource kind, as the AWS CLI command that lists it.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub checks_run: usize,
    pub fail: usize,
    pub pass: usize,
    pub skip: usize,
    /// Failing findings per severity (muted ones included).
    pub by_severity: BTreeMap<Severity, usize>,
    /// Failing findings a mutelist rule mutes (counted in `fail` too).
    #[serde(skip_serializing_if = "is_zero")]
    pub muted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn is_zero_u64(n: &u64) -> bool {
    *n == 0
}

impl Summary {
    pub fn of(findings: &[Finding], checks_run: usize) -> Self {
        let mut summary = Summary {
            checks_run,
            ..Summary::default()
        };
        for finding in findings {
            match finding.status {
                Status::Fail => {
                    summary.fail += 1;
                    summary.muted += usize::from(finding.muted);
                    *summary.by_severity.entry(finding.severity).or_default() += 1;
                }
                Status::Pass => summary.pass += 1,
                Status::Skip => summary.skip += 1,
            }
        }
        summary
    }
}

/// One scan's result: what every renderer reads.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub schema_version: u32,
    pub tool: Tool,
    pub summary: Summary,
    pub findings: Vec<Finding>,
    pub incomplete: Vec<IncompleteEntry>,
    /// With `--mutelist`: what it muted, and the rules that expired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutelist: Option<MutelistOutcome>,
    /// With `--baseline`: how many findings are new, and what was fixed since.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineOutcome>,
    /// With `--compliance`: the framework's controls and how they fare.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compliance_report: Option<ComplianceOutcome>,
    /// `ringfence trail`: what was read, and the findings in the order they happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trail: Option<TrailOutcome>,
}

/// What `ringfence trail` read and skipped, and its timeline.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TrailOutcome {
    pub files: u64,
    /// CloudTrail records and events seen.
    pub records: u64,
    /// Records a detector read (the rest were calls no detector watches).
    pub analysed: u64,
    /// Records skipped as unusable, by reason (also listed under `incomplete`).
    pub skipped: BTreeMap<String, u64>,
    /// EventBridge events that are not CloudTrail's, by detail type (nothing missed).
    pub ignored: BTreeMap<String, u64>,
    /// Events a detector could not judge for want of data (an address put on an
    /// instance the trail and the snapshot say nothing about), by detector.
    pub unjudged: BTreeMap<String, u64>,
    /// Bytes read (compressed, for gzip).
    pub bytes: u64,
    /// With `--since`/`--until`: files not opened (delivered outside the window) and
    /// records read but outside it.
    #[serde(skip_serializing_if = "is_zero_u64")]
    pub outside_window_files: u64,
    #[serde(skip_serializing_if = "is_zero_u64")]
    pub outside_window_records: u64,
    /// The findings in the order the events happened.
    pub timeline: Vec<TimelineEntry>,
}

/// One line of the timeline: when, who, what, and which finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub time: String,
    pub event_name: String,
    pub event_id: String,
    pub region: String,
    pub account: Option<String>,
    pub actor: String,
    pub check_id: String,
    pub severity: Severity,
    pub status: Status,
    pub resource_id: String,
    pub message: String,
    /// The finding's fingerprint, to join with `findings`.
    pub fingerprint: Option<String>,
}

/// What the mutelist did in this scan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MutelistOutcome {
    /// The mutelist file.
    pub source: String,
    pub rules: usize,
    /// Failing findings muted.
    pub muted: usize,
    /// Rules past their `expires` date: they mute nothing any more.
    pub expired: Vec<ExpiredMute>,
}

/// A mutelist rule past its date, and how many failing findings it would have muted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpiredMute {
    pub account: String,
    pub check: String,
    pub regions: Vec<String>,
    pub resources: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    pub reason: String,
    pub expires: String,
    /// Failing findings that match it and so fail again.
    pub findings: usize,
}

/// The comparison with an earlier report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BaselineOutcome {
    /// The baseline report file.
    pub source: String,
    /// Failing findings not in the baseline.
    pub new: usize,
    /// Failing findings already in the baseline.
    pub unchanged: usize,
    /// Failing in the baseline, not any more.
    pub fixed: Vec<FixedFinding>,
}

/// A baseline finding that no longer fails, as the baseline described it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FixedFinding {
    pub fingerprint: String,
    pub check_id: String,
    pub severity: Option<Severity>,
    pub resource_type: Option<String>,
    pub resource_id: String,
    pub resource_name: Option<String>,
    pub region: String,
    pub account: Option<String>,
    pub message: String,
}

/// A framework's controls, each judged by the findings of the checks mapped to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ComplianceOutcome {
    pub framework: &'static str,
    pub name: &'static str,
    pub controls: Vec<ControlOutcome>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ControlOutcome {
    pub control: &'static str,
    pub title: &'static str,
    /// FAIL when a check mapped to it fails (muted and baseline findings aside), else SKIP
    /// when one could not judge, else PASS. A control no check that ran maps to is SKIP.
    pub status: Status,
    pub checks: Vec<&'static str>,
    pub fail: usize,
    pub muted: usize,
    pub skip: usize,
}

impl ComplianceOutcome {
    /// Judges `framework`'s controls from the checks that ran and their findings.
    pub fn of(framework: &Framework, checks_run: &[&CheckMeta], findings: &[Finding]) -> Self {
        let controls = framework
            .controls
            .iter()
            .map(|control| {
                let checks: Vec<&'static str> = checks_run
                    .iter()
                    .filter(|meta| {
                        meta.compliance
                            .iter()
                            .any(|c| c.framework == framework.name && c.control == control.id)
                    })
                    .map(|meta| meta.id)
                    .collect();
                let mut outcome = ControlOutcome {
                    control: control.id,
                    title: control.title,
                    status: Status::Pass,
                    checks,
                    fail: 0,
                    muted: 0,
                    skip: 0,
                };
                for finding in findings
                    .iter()
                    .filter(|f| outcome.checks.contains(&f.check_id))
                {
                    match finding.status {
                        Status::Fail if finding.muted => outcome.muted += 1,
                        Status::Fail => outcome.fail += 1,
                        Status::Skip => outcome.skip += 1,
                        Status::Pass => {}
                    }
                }
                let failing = findings
                    .iter()
                    .any(|f| outcome.checks.contains(&f.check_id) && f.is_failing());
                outcome.status = if failing {
                    Status::Fail
                } else if outcome.skip > 0 || outcome.checks.is_empty() {
                    Status::Skip
                } else {
                    Status::Pass
                };
                outcome
            })
            .collect();
        ComplianceOutcome {
            framework: framework.id,
            name: framework.name,
            controls,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Report {
    pub fn new(
        findings: Vec<Finding>,
        incomplete: Vec<IncompleteEntry>,
        checks_run: usize,
    ) -> Self {
        let mut findings = findings;
        for finding in &mut findings {
            finding.fingerprint = Some(finding.fingerprint());
        }
        Report {
            schema: SCHEMA,
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "ringfence",
                version: env!("CARGO_PKG_VERSION"),
            },
            summary: Summary::of(&findings, checks_run),
            findings,
            incomplete,
            mutelist: None,
            baseline: None,
            compliance_report: None,
            trail: None,
        }
    }

    /// Recounts the summary after findings were muted or compared with a baseline.
    pub fn refresh_summary(&mut self) {
        self.summary = Summary::of(&self.findings, self.summary.checks_run);
    }

    /// Failing findings that count against the exit code (not muted, not in the
    /// baseline) at or above `threshold`.
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.findings
            .iter()
            .any(|f| f.is_failing() && f.severity >= threshold)
    }
}
