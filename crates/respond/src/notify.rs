//! The SNS message: the findings and what was done about them, as JSON. It carries what
//! the outcome carries about the event (who, when, from where) and never a credential:
//! no request bodies, no plans, no backups.

use crate::config::{Mode, Responder};
use crate::outcome::{Action, ActionKind, Outcome, Status};
use ringfence_findings::Status as FindingStatus;
use serde_json::{Value, json};

/// SNS takes 256 KiB; findings past this much are counted, not listed.
const MAX_MESSAGE: usize = 200 * 1024;
/// SNS subjects: at most 100 printable ASCII characters.
const MAX_SUBJECT: usize = 100;

/// Publishes the event's findings at or above the threshold (after the other actions,
/// so the message says what was done).
pub fn publish_event(outcome: &Outcome, responder: &Responder) -> Action {
    let findings: Vec<Value> = outcome
        .findings
        .iter()
        .filter(|f| f.status != FindingStatus::Pass && f.severity >= responder.notify_min_severity)
        .map(|f| {
            json!({
                "check_id": f.check_id,
                "severity": f.severity,
                "status": f.status,
                "resource": f.resource,
                "message": f.message,
                "event": f.event,
                "exposure": f.exposure.as_ref().map(|e| json!({"ports": e.ports, "sources": e.sources, "rules": e.rules})),
            })
        })
        .collect();
    let topic = responder.topic_arn.clone().unwrap_or_default();
    if findings.is_empty() {
        return Action::new(
            ActionKind::Notify,
            Status::Skipped,
            topic,
            format!(
                "nothing to send: no finding at or above {}",
                responder.notify_min_severity
            ),
        );
    }
    let actions: Vec<Value> = outcome
        .actions
        .iter()
        .map(|a| {
            json!({"action": a.action, "status": a.status, "target": a.target,
                   "region": a.region, "detail": a.detail})
        })
        .collect();
    let first = outcome
        .findings
        .iter()
        .find(|f| f.status != FindingStatus::Pass)
        .map(|f| f.check_id)
        .unwrap_or_default();
    let subject = format!(
        "ringfence: {} finding(s): {first}{}",
        findings.len(),
        outcome
            .event
            .as_ref()
            .map(|e| format!(" ({} in {})", e.event_name, e.region))
            .unwrap_or_default()
    );
    let body = |findings: &[Value], left_off: usize| {
        json!({
            "ringfence": "respond",
            "version": crate::outcome::OUTCOME_VERSION,
            "mode": outcome.mode,
            "event": outcome.event,
            "findings": findings,
            "findings_left_off": left_off,
            "actions": actions,
        })
        .to_string()
    };
    let mut keep = findings.len();
    let mut message = body(&findings, 0);
    while message.len() > MAX_MESSAGE && keep > 1 {
        keep /= 2;
        message = body(&findings[..keep], findings.len() - keep);
    }
    send(responder, &topic, &subject, &message)
}

/// Publishes a scan's summary and where its report is, when it has failing findings.
pub fn publish_scan(outcome: &Outcome, responder: &Responder) -> Action {
    let topic = responder.topic_arn.clone().unwrap_or_default();
    let Some(scan) = &outcome.scan else {
        return Action::new(ActionKind::Notify, Status::Skipped, topic, "no scan");
    };
    if scan.failing == 0 {
        return Action::new(
            ActionKind::Notify,
            Status::Skipped,
            topic,
            "nothing to send: the scan has no failing finding",
        );
    }
    let subject = format!(
        "ringfence: {} failing finding(s) in {} {}",
        scan.failing,
        scan.account.as_deref().unwrap_or("?"),
        scan.region
    );
    let message = json!({
        "ringfence": "scan",
        "version": crate::outcome::OUTCOME_VERSION,
        "scan": scan,
        "report": format!("s3://{}/{}", scan.bucket, scan.key),
    })
    .to_string();
    send(responder, &topic, &subject, &message)
}

fn send(responder: &Responder, topic: &str, subject: &str, message: &str) -> Action {
    let subject = clean_subject(subject);
    if responder.mode != Mode::Apply {
        return Action::new(
            ActionKind::Notify,
            Status::Planned,
            topic,
            format!(
                "dry run: would publish {subject:?} ({} bytes)",
                message.len()
            ),
        );
    }
    match ringfence_aws::respond::publish(&responder.aws, topic, &subject, message) {
        Ok(id) => {
            let mut action = Action::new(
                ActionKind::Notify,
                Status::Done,
                topic,
                format!("published {subject:?}"),
            );
            action.message_id = Some(id);
            action
        }
        Err(e) => Action::new(ActionKind::Notify, Status::Failed, topic, e),
    }
}

/// Printable ASCII, no line breaks, at most 100 characters (SNS refuses others).
fn clean_subject(subject: &str) -> String {
    let mut clean: String = subject
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .collect();
    if clean.len() > MAX_SUBJECT {
        clean.truncate(MAX_SUBJECT - 3);
        clean.push_str("...");
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_what_sns_takes() {
        let long = "é\n".repeat(80);
        let s = clean_subject(&long);
        assert!(s.len() <= MAX_SUBJECT);
        assert!(s.chars().all(|c| c.is_ascii_graphic() || c == ' '));
    }
}
