//! One CloudTrail event: the detectors, then a response per finding.

use crate::config::{Mode, Responder};
use crate::outcome::{Action, ActionKind, EventSummary, Kind, Outcome, Status};
use crate::{Error, notify};
use ringfence_findings::{Finding, Status as FindingStatus};
use ringfence_fix::{Format, Plan};
use ringfence_trail::{Engine, Event, State};

/// The ingress detector: its findings name the rules the event added.
pub const INGRESS_OPENED: &str = "trail_securitygroup_ingress_opened_to_internet";
/// The CloudTrail detector: `StopLogging` is undone, other weakenings are reported.
pub const TRAIL_WEAKENED: &str = "trail_cloudtrail_stopped_or_weakened";

/// Where findings' evidence says the event came from.
const ORIGIN: &str = "event";

pub fn handle(input: &[u8], responder: &Responder) -> Result<Outcome, Error> {
    let mut outcome = Outcome::new(Kind::Event, responder.mode);
    let event = match ringfence_trail::read_event(input, ORIGIN) {
        Ok(Some(event)) => event,
        Ok(None) => {
            outcome.note = Some(
                "a CloudTrail call no detector reads: nothing to judge, nothing done".to_string(),
            );
            return Ok(outcome);
        }
        Err(problem) => return Err(Error::Event(problem.reason)),
    };
    outcome.event = Some(summary(&event));
    let mut engine = Engine::with(
        &responder.trail,
        State::default(),
        responder.detectors.clone(),
    );
    outcome.findings = engine.observe(&event);
    if outcome.findings.is_empty() {
        outcome.note = Some(format!(
            "{} judged by {} detector(s): no finding, nothing done",
            event.name,
            responder.detectors.len()
        ));
        return Ok(outcome);
    }
    if responder.mode == Mode::Report {
        return Ok(outcome);
    }
    let mut actions = Vec::new();
    for finding in &outcome.findings {
        match finding.check_id {
            INGRESS_OPENED if responder.actions.revoke => actions.push(revoke(finding, responder)),
            TRAIL_WEAKENED if responder.actions.start_logging => {
                actions.push(start_logging(&event, finding, responder));
            }
            _ => {}
        }
    }
    outcome.actions = actions;
    if responder.actions.notify {
        let action = notify::publish_event(&outcome, responder);
        outcome.actions.push(action);
    }
    Ok(outcome)
}

fn summary(event: &Event) -> EventSummary {
    EventSummary {
        event_id: event.id.clone(),
        event_name: event.name.clone(),
        event_source: event.source.clone(),
        time: event.time_text.clone(),
        region: event.region.clone(),
        account: event.account.clone(),
        actor: event.actor.clone(),
        error_code: event.error_code.clone(),
    }
}

fn for_finding(mut action: Action, finding: &Finding) -> Action {
    action.region = Some(finding.resource.region.clone());
    action.check_id = Some(finding.check_id.to_string());
    action
}

/// Revokes exactly the rules the finding names (by rule id when the event's response
/// listed it, else by protocol, ports and source), through the fix engine: the group is
/// read now, the plan removes those whole rules and nothing else, the backup goes to the
/// log before any change, and the group is read again to verify.
fn revoke(finding: &Finding, responder: &Responder) -> Action {
    let group = finding.resource.id.as_str();
    let region = finding.resource.region.as_str();
    let act = |status, detail: String| {
        for_finding(
            Action::new(ActionKind::Revoke, status, group, detail),
            finding,
        )
    };
    if finding.status != FindingStatus::Fail {
        return act(
            Status::Manual,
            "not revoked: a source of the rule could not be resolved, so whether it admits the internet is not known; look at the group".to_string(),
        );
    }
    let estate = match ringfence_aws::respond::read_group(&responder.aws, region, group) {
        Ok(Some(estate)) => estate,
        Ok(None) => {
            return act(
                Status::Skipped,
                format!(
                    "nothing to revoke: {group} does not exist in {region} for the responder's credentials (deleted since, or the event came from another account)"
                ),
            );
        }
        Err(e) => return act(Status::Failed, format!("could not read the group: {e}")),
    };
    if let (Some(event_account), Some(owner)) = (
        finding.resource.account.as_deref(),
        estate
            .security_groups
            .first()
            .and_then(|g| g.owner_id.as_deref()),
    ) && event_account != owner
    {
        return act(
            Status::Failed,
            format!(
                "the event is from account {event_account} but the responder reads {group} in account {owner}: not touched"
            ),
        );
    }
    let options = ringfence_fix::plan::Options {
        // Undo the change: the rules the event added go, whole; nothing is put back.
        remove_whole_rule: true,
        trusted_cidrs: Vec::new(),
        self_internode: false,
    };
    let plan = Plan::of(&estate, std::slice::from_ref(finding), &options);
    if plan.groups.is_empty() {
        let why: Vec<String> = plan.display_only.iter().map(|u| u.reason.clone()).collect();
        return act(
            Status::Skipped,
            format!(
                "nothing to revoke: the rules are no longer there ({})",
                why.join("; ")
            ),
        );
    }
    let commands = ringfence_fix::render(&plan, Format::Cli);
    let rules: Vec<String> = plan
        .groups
        .iter()
        .flat_map(|g| g.changes.iter())
        .map(|c| match &c.revoke.rule_id {
            Some(id) => format!("{id} ({})", c.revoke.text()),
            None => c.revoke.text(),
        })
        .collect();
    let mut action = act(Status::Planned, format!("revoke {}", rules.join(", ")));
    action.commands = Some(commands);
    if responder.mode != Mode::Apply {
        action.detail = format!("dry run: would {}", action.detail);
        action.plan = Some(plan);
        return action;
    }
    let mut backup_copy = None;
    let log = responder.log.clone();
    let mut write_backup = |backup: &ringfence_fix::Backup| {
        let line = serde_json::json!({"ringfence_backup": backup}).to_string();
        log.write(&line);
        backup_copy = Some(backup.clone());
        Ok(())
    };
    let result = ringfence_aws::apply::apply_with(&responder.aws, &plan, &mut write_backup);
    action.backup = backup_copy;
    action.plan = Some(plan);
    match result {
        Ok(report) if report.all_done() => {
            action.status = Status::Done;
            let details: Vec<String> = report.groups.iter().map(|g| g.detail.clone()).collect();
            action.detail = format!("{}: {}", action.detail, details.join("; "));
        }
        Ok(report) => {
            action.status = Status::Failed;
            let details: Vec<String> = report
                .groups
                .iter()
                .map(|g| format!("{}: {}", g.group_id, g.detail))
                .collect();
            action.detail = format!("{}: {}", action.detail, details.join("; "));
        }
        Err(e) => {
            action.status = Status::Failed;
            action.detail = format!("{}: {e}", action.detail);
        }
    }
    action
}

/// `StartLogging` for a `StopLogging` event; other weakenings are for a person.
fn start_logging(event: &Event, finding: &Finding, responder: &Responder) -> Action {
    let trail = finding.resource.id.as_str();
    let region = finding.resource.region.as_str();
    let act = |status, detail: String| {
        for_finding(
            Action::new(ActionKind::StartLogging, status, trail, detail),
            finding,
        )
    };
    if event.name != "StopLogging" {
        return act(
            Status::Manual,
            format!(
                "{} is not undone automatically (only StopLogging is): {}",
                event.name, finding.message
            ),
        );
    }
    if trail == "unknown trail" {
        return act(
            Status::Manual,
            "the event does not name the trail: restart its logging by hand".to_string(),
        );
    }
    if responder.mode != Mode::Apply {
        return act(
            Status::Planned,
            format!("dry run: would call StartLogging on {trail} in {region}"),
        );
    }
    match ringfence_aws::respond::start_logging(&responder.aws, region, trail) {
        Ok(logging) if logging.already => act(
            Status::Skipped,
            "nothing to do: the trail logs again already".to_string(),
        ),
        Ok(_) => act(
            Status::Done,
            "StartLogging sent; GetTrailStatus says it logs".to_string(),
        ),
        Err(e) => act(Status::Failed, e),
    }
}
