//! What one invocation did: the findings, and every action with its status. The Lambda
//! returns it as its result (and logs it); `ringfence respond` prints it.

use crate::config::Mode;
use ringfence_aws::grant::ExpireReport;
use ringfence_findings::{Actor, Finding};
use ringfence_fix::{Backup, Plan};
use serde::Serialize;

/// The outcome document's version (README, "Responding in real time").
pub const OUTCOME_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A CloudTrail event (EventBridge "AWS API Call via CloudTrail", or a bare record).
    Event,
    /// A scheduled scan of one account and region.
    Scan,
    /// A scheduled expiry of time-boxed grants.
    Expire,
}

#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    pub version: u32,
    pub kind: Kind,
    pub mode: Mode,
    /// The CloudTrail event, when one came in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<EventSummary>,
    /// Why nothing was judged (a call no detector reads), when so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub findings: Vec<Finding>,
    pub actions: Vec<Action>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan: Option<ScanSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expire: Option<ExpireReport>,
}

impl Outcome {
    pub fn new(kind: Kind, mode: Mode) -> Outcome {
        Outcome {
            version: OUTCOME_VERSION,
            kind,
            mode,
            event: None,
            note: None,
            findings: Vec::new(),
            actions: Vec::new(),
            scan: None,
            expire: None,
        }
    }

    /// Some action failed, or the expiry could not finish: the Lambda reports the
    /// invocation as failed (after logging this outcome) so that alarms and retries see it.
    pub fn failed(&self) -> bool {
        self.actions.iter().any(|a| a.status == Status::Failed)
            || self.expire.as_ref().is_some_and(|e| !e.failures.is_empty())
    }

    /// Failing (or unjudgeable) findings: what a person should look at.
    pub fn has_findings(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.status != ringfence_findings::Status::Pass)
            || self.scan.as_ref().is_some_and(|s| s.failing > 0)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

/// The event that came in, enough to find it again.
#[derive(Clone, Debug, Serialize)]
pub struct EventSummary {
    pub event_id: String,
    pub event_name: String,
    pub event_source: String,
    pub time: String,
    pub region: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub actor: Actor,
    /// The call failed (it changed nothing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    Revoke,
    StartLogging,
    Notify,
    PutReport,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Done, and verified where AWS can be asked.
    Done,
    /// Dry run: what apply mode would do.
    Planned,
    /// Nothing to do (already closed, already logging, the action is off, nothing to send).
    Skipped,
    /// Not automated: a person has to act (a deleted trail, an unresolvable source).
    Manual,
    Failed,
}

/// One response, to one finding (or to the invocation, for notify and put-report).
#[derive(Clone, Debug, Serialize)]
pub struct Action {
    pub action: ActionKind,
    pub status: Status,
    /// The security group, trail, topic or `s3://bucket/key`.
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The finding it answers (its check id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_id: Option<String>,
    /// What was done, or why not, in words.
    pub detail: String,
    /// The fix plan (revoke).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
    /// The same plan as AWS CLI commands (revoke).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commands: Option<String>,
    /// What was revoked, exactly, as `ringfence undo` reads it (written to the log first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup: Option<Backup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
}

impl Action {
    pub fn new(
        action: ActionKind,
        status: Status,
        target: impl Into<String>,
        detail: impl Into<String>,
    ) -> Action {
        Action {
            action,
            status,
            target: target.into(),
            region: None,
            check_id: None,
            detail: detail.into(),
            plan: None,
            commands: None,
            backup: None,
            message_id: None,
        }
    }
}

/// Where a scheduled scan's report went, and its counts.
#[derive(Clone, Debug, Serialize)]
pub struct ScanSummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub region: String,
    pub bucket: String,
    /// `<prefix><account>/<region>/<YYYYMMDDTHHMMSSZ>.json`.
    pub key: String,
    /// `<prefix><account>/<region>/latest.json`: the same report.
    pub latest_key: String,
    pub checks_run: usize,
    /// Failing findings.
    pub failing: usize,
    pub by_severity: std::collections::BTreeMap<String, usize>,
    /// What could not be read (the report lists each).
    pub incomplete: usize,
}
