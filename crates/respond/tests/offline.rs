//! The handler on inputs that need no AWS call: benign events (no finding, no action),
//! malformed and foreign inputs (a clear error, never a panic), bad requests. The
//! endpoint points where nothing listens, so a call made by mistake fails loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ringfence_respond::{Error, Responder, handle};
use std::path::Path;

fn responder(mode: &str) -> Responder {
    Responder::from_lookup(|name| match name {
        "RINGFENCE_MODE" => Some(mode.to_string()),
        "RINGFENCE_ENDPOINT_URL" => Some("http://127.0.0.1:9".to_string()),
        _ => None,
    })
    .unwrap()
}

fn event(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/events")
            .join(name),
    )
    .unwrap()
}

#[test]
fn benign_events_get_no_action() {
    for mode in ["dry-run", "apply"] {
        let responder = responder(mode);
        // A call no detector reads.
        let outcome = handle(&event("describe-instances.json"), &responder).unwrap();
        assert!(outcome.findings.is_empty() && outcome.actions.is_empty());
        assert!(
            outcome
                .note
                .as_deref()
                .unwrap()
                .contains("no detector reads")
        );
        // A call a detector reads, that opens nothing to the internet.
        let outcome = handle(&event("authorize-postgres-from-vpc.json"), &responder).unwrap();
        assert!(
            outcome.findings.is_empty() && outcome.actions.is_empty(),
            "{}",
            outcome.to_json()
        );
        assert_eq!(
            outcome.event.as_ref().unwrap().event_name,
            "AuthorizeSecurityGroupIngress"
        );
        assert!(!outcome.failed() && !outcome.has_findings());
    }
}

#[test]
fn a_failed_call_changed_nothing_and_gets_no_action() {
    let mut text = String::from_utf8(event("authorize-ssh-to-world.json")).unwrap();
    text = text.replace(
        "\"eventCategory\": \"Management\"",
        "\"eventCategory\": \"Management\", \"errorCode\": \"Client.UnauthorizedOperation\"",
    );
    let outcome = handle(text.as_bytes(), &responder("apply")).unwrap();
    assert!(
        outcome.findings.is_empty() && outcome.actions.is_empty(),
        "{}",
        outcome.to_json()
    );
    assert_eq!(
        outcome.event.unwrap().error_code.as_deref(),
        Some("Client.UnauthorizedOperation")
    );
}

#[test]
fn malformed_and_foreign_inputs_are_clear_errors() {
    let responder = responder("apply");
    let full = event("stop-logging.json");
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (full[..full.len() / 2].to_vec(), "not JSON"),
        (b"".to_vec(), "not JSON"),
        (b"[1, 2, 3]".to_vec(), "a JSON object"),
        (b"{\"hello\": \"world\"}".to_vec(), "not CloudTrail"),
        (
            String::from_utf8(full.clone())
                .unwrap()
                .replace("\"eventTime\"", "\"eventTimeX\"")
                .into_bytes(),
            "eventTime",
        ),
        (
            br#"{"version": "0", "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2",
                "detail": {"instance-id": "i-1", "state": "running"}}"#
                .to_vec(),
            "not from CloudTrail",
        ),
        (
            br#"{"detail-type": "Scheduled Event", "source": "aws.events", "detail": {}}"#.to_vec(),
            "without a ringfence request",
        ),
        (br#"{"ringfence": "rescan", "region": "us-east-1"}"#.to_vec(), "not a request"),
        (br#"{"ringfence": "scan", "region": "us-east-1", "bukcet": "b"}"#.to_vec(), "bukcet"),
    ];
    for (input, says) in cases {
        let err = handle(&input, &responder).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(says),
            "{:?}: {text}",
            String::from_utf8_lossy(&input)
        );
        assert!(!matches!(err, Error::Aws(_) | Error::Internal(_)), "{text}");
    }
}
