//! `ringfence respond --event FILE`: the Lambda handler on the command line. These need
//! no AWS call (dry runs of events that plan without reading anything); the handler's
//! actions against moto are tested in crates/respond.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::Value;

fn event(name: &str) -> std::path::PathBuf {
    repo_root().join("crates/respond/tests/events").join(name)
}

fn respond(args: &[&str]) -> (i32, Value, String) {
    let output = ringfence()
        .arg("respond")
        .args(args)
        // Nothing listens there: a call made by mistake fails instead of leaving.
        .env("RINGFENCE_ENDPOINT_URL", "http://127.0.0.1:9")
        .env_remove("RINGFENCE_MODE")
        .env_remove("RINGFENCE_ACTIONS")
        .env_remove("RINGFENCE_SNS_TOPIC_ARN")
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (
        output.status.code().unwrap(),
        doc,
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

#[test]
fn a_benign_event_exits_0_with_nothing_done() {
    let (code, doc, _) = respond(&[
        "--event",
        event("describe-instances.json").to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert_eq!(doc["kind"], "event");
    assert_eq!(doc["mode"], "dry-run");
    assert!(doc["actions"].as_array().unwrap().is_empty());
}

#[test]
fn a_stopped_trail_is_a_finding_with_a_planned_restart() {
    let path = event("stop-logging.json");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("__TRAIL__", "org-trail");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stop.json");
    std::fs::write(&file, text).unwrap();
    let (code, doc, _) = respond(&["--event", file.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(
        doc["findings"][0]["check_id"],
        "trail_cloudtrail_stopped_or_weakened"
    );
    assert_eq!(doc["actions"][0]["action"], "start-logging");
    assert_eq!(doc["actions"][0]["status"], "planned");
    // Report mode: the finding, no action.
    let (code, doc, _) = respond(&["--event", file.to_str().unwrap(), "--mode", "report"]);
    assert_eq!(code, 1);
    assert!(doc["actions"].as_array().unwrap().is_empty());
}

#[test]
fn bad_input_and_settings_exit_2_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(&file, "{\"detail-type\": ").unwrap();
    let (code, _, stderr) = respond(&["--event", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("bad.json") && stderr.contains("not JSON"),
        "{stderr}"
    );
    let (code, _, stderr) = respond(&[
        "--event",
        event("describe-instances.json").to_str().unwrap(),
        "--mode",
        "yolo",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("RINGFENCE_MODE"), "{stderr}");
    let (code, _, stderr) = respond(&[
        "--event",
        event("describe-instances.json").to_str().unwrap(),
        "--actions",
        "notify",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("RINGFENCE_SNS_TOPIC_ARN"), "{stderr}");
}
