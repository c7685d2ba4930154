//! `ringfence trail` end to end: formats, the timeline, exit codes, bad input, escaping.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::ringfence;
use serde_json::Value;

const EXAMPLE: &str = "examples/trail";

fn run(args: &[&str]) -> (i32, String, String) {
    let output = ringfence().args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_example_trail_as_json_carries_actors_and_a_timeline() {
    let (code, stdout, stderr) = run(&[
        "trail",
        EXAMPLE,
        "--snapshot-regions",
        "us-east-1,eu-west-1",
        "--instance-types",
        "p4d.*",
        "-f",
        "json",
    ]);
    assert_eq!(code, 1, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let timeline = doc["trail"]["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 18);
    assert_eq!(timeline[0]["event_id"], "fail-ingress-ssh-world");
    assert_eq!(
        timeline[0]["actor"],
        "arn:aws:iam::111122223333:user/mallory"
    );
    let first = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["event"]["event_id"] == "fail-ingress-ssh-world")
        .unwrap();
    assert_eq!(
        first["event"]["actor"]["access_key_id"],
        "AKIAEXAMPLEMALLORY01"
    );
    assert_eq!(first["event"]["actor"]["source_ip"], "185.220.101.4");
    assert_eq!(first["event"]["time"], "2026-11-20T09:00:00Z");
    assert_eq!(first["exposure"]["ports"][0]["from"], 22);
    assert_eq!(doc["trail"]["files"], 14);
}

#[test]
fn the_timeline_table_runs_in_event_order() {
    let (code, stdout, _) = run(&["trail", EXAMPLE, "--timeline", "--color", "never"]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("Timeline"), "{stdout}");
    let ssh = stdout.find("2026-11-20T09:00:00Z").unwrap();
    let root = stdout.find("2026-11-21T07:00:00Z").unwrap();
    assert!(ssh < root);
}

#[test]
fn every_format_renders_trail_findings() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(&[
        "trail",
        EXAMPLE,
        "-f",
        "table,json,ocsf,asff,sarif,csv,junit,html",
        "--output-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    let csv = std::fs::read_to_string(dir.path().join("ringfence.csv")).unwrap();
    assert!(csv.contains("trail_root_user_activity"));
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(name)).unwrap()).unwrap()
    };
    let by_event = |doc: &Value, pointer: &str, id: &str| -> Value {
        doc.as_array()
            .unwrap()
            .iter()
            .find(|f| f.pointer(pointer).and_then(Value::as_str) == Some(id))
            .cloned()
            .unwrap_or_else(|| panic!("{id} at {pointer}"))
    };
    let ocsf = by_event(
        &read("ringfence.ocsf.json"),
        "/api/request/uid",
        "fail-ingress-ssh-world",
    );
    assert_eq!(
        ocsf["actor"]["user"]["uid"],
        "arn:aws:iam::111122223333:user/mallory"
    );
    assert_eq!(ocsf["api"]["operation"], "AuthorizeSecurityGroupIngress");
    assert_eq!(ocsf["src_endpoint"]["ip"], "185.220.101.4");
    let asff = by_event(
        &read("ringfence.asff.json"),
        "/ProductFields/ringfence~1EventId",
        "fail-ingress-ssh-world",
    );
    assert_eq!(
        asff["Action"]["AwsApiCallAction"]["Api"],
        "AuthorizeSecurityGroupIngress"
    );
    assert_eq!(
        asff["Action"]["AwsApiCallAction"]["RemoteIpDetails"]["IpAddressV4"],
        "185.220.101.4"
    );
    assert_eq!(asff["FirstObservedAt"], "2026-11-20T09:00:00Z");
}

#[test]
fn bad_arguments_and_paths_exit_2() {
    for args in [
        vec!["trail", "no/such/dir"],
        vec!["trail", EXAMPLE, "--detector", "trail_nonsense"],
        vec!["trail", EXAMPLE, "--business-hours", "Mon-Fri 19:00-08:00"],
        vec!["trail", EXAMPLE, "--flap-window", "soon"],
        vec!["trail", EXAMPLE, "--burst", "1/10m"],
    ] {
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("error"), "{args:?}: {stderr}");
    }
}

#[test]
fn an_unreadable_file_alone_is_incomplete_not_clean() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.json");
    std::fs::write(&file, r#"{"not": "cloudtrail"}"#).unwrap();
    let (code, stdout, stderr) = run(&["trail", file.to_str().unwrap(), "--color", "never"]);
    assert_eq!(code, 3, "{stdout}{stderr}");
    assert!(stderr.contains("not CloudTrail"), "{stderr}");
    assert!(stdout.contains("Incomplete"), "{stdout}");
}

#[test]
fn actor_names_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("log.json");
    let record = serde_json::json!({"Records": [{
        "eventTime": "2026-11-20T09:00:00Z", "eventName": "ConsoleLogin",
        "eventSource": "signin.amazonaws.com", "awsRegion": "us-east-1", "eventID": "e1",
        "userIdentity": {"type": "Root", "arn": "arn:aws:iam::1:root\u{1b}[2J\u{1b}]0;pwned\u{7}"},
        "userAgent": "agent\u{1b}[31m"
    }]});
    std::fs::write(&file, record.to_string()).unwrap();
    let (code, stdout, _) = run(&["trail", file.to_str().unwrap(), "--color", "never"]);
    assert_eq!(code, 1);
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    assert!(!stdout.contains('\u{7}'), "{stdout:?}");
}

#[test]
fn the_checks_listing_includes_the_detectors() {
    let (code, stdout, _) = run(&["checks", "-f", "json"]);
    assert_eq!(code, 0);
    for detector in ringfence_trail::DETECTORS {
        assert!(
            stdout.contains(&format!("\"{}\"", detector.meta.id)),
            "{}",
            detector.meta.id
        );
    }
}

#[test]
fn the_config_files_trail_section_is_read_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("ringfence.toml");
    std::fs::write(
        &config,
        "[trail]\nsnapshot_regions = [\"us-east-1\"]\nroot_allowed = [\"ConsoleLogin\"]\n",
    )
    .unwrap();
    let ids = |args: &[&str]| {
        let (_, stdout, stderr) = run(args);
        let doc: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stderr}"));
        doc["trail"]["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["event_id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let from_file = ids(&[
        "trail",
        EXAMPLE,
        "--config",
        config.to_str().unwrap(),
        "-f",
        "json",
    ]);
    assert!(from_file.contains(&"fail-copy-snapshot-out".to_string()));
    assert!(!from_file.contains(&"fail-root-console-login".to_string()));
    let flag_wins = ids(&[
        "trail",
        EXAMPLE,
        "--config",
        config.to_str().unwrap(),
        "--root-allowed",
        "GetCallerIdentity",
        "-f",
        "json",
    ]);
    assert!(flag_wins.contains(&"fail-root-console-login".to_string()));
}

#[test]
fn a_time_window_keeps_its_events_only() {
    let (code, stdout, stderr) = run(&[
        "trail",
        EXAMPLE,
        "--since",
        "2026-11-20T15:00:00Z",
        "--until",
        "2026-11-20T16:30:00Z",
        "-f",
        "json",
    ]);
    assert_eq!(code, 1, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let ids: Vec<&str> = doc["trail"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "fail-trail-stop-logging",
            "fail-trail-single-region",
            "fail-trail-selectors-drop-management",
            "fail-root-create-access-key"
        ]
    );
    assert!(doc["trail"]["outside_window_records"].as_u64().unwrap() > 0);
    // A duration counts back from now (SOURCE_DATE_EPOCH moves now).
    let output = ringfence()
        .args(["trail", EXAMPLE, "--since", "1h", "-f", "json"])
        .env("SOURCE_DATE_EPOCH", "1795246800") // 2026-11-21T07:40:00Z
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids: Vec<&str> = doc["trail"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["fail-root-console-login", "fail-copy-cluster-snapshot-out"]
    );
    let (code, _, stderr) = run(&["trail", EXAMPLE, "--since", "tomorrow"]);
    assert_eq!(code, 2, "{stderr}");
}
