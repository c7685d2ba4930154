use crate::{Finding, Severity, Status};
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
    /// Failing findings per severity.
    pub by_severity: BTreeMap<Severity, usize>,
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
        }
    }
}
