//! The example trail (examples/trail, written by scripts/trail-example.py): every
//! `fail-...` event is reported by its detector with the right actor and time, and no
//! `pass-...` event is — whether the logs are read gzipped in the S3 layout, as plain
//! JSON, or as EventBridge events one per line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ringfence_findings::{Report, Status};
use ringfence_trail::{Engine, State, TrailConfig};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Each failing event of the example, the detector that must report it, and who did it.
const EXPECTED: &[(&str, &str, &str)] = &[
    (
        "fail-ingress-ssh-world",
        "trail_securitygroup_ingress_opened_to_internet",
        "user/mallory",
    ),
    (
        "fail-ingress-cassandra-range-ipv6",
        "trail_securitygroup_ingress_opened_to_internet",
        "user/alice",
    ),
    (
        "fail-ingress-modify-mysql",
        "trail_securitygroup_ingress_opened_to_internet",
        "user/alice",
    ),
    (
        "fail-ingress-all-traffic",
        "trail_securitygroup_ingress_opened_to_internet",
        "user/mallory",
    ),
    (
        "fail-ingress-8443-flap-open",
        "trail_securitygroup_ingress_opened_to_internet",
        "user/mallory",
    ),
    (
        "fail-flap-8443-closed",
        "trail_securitygroup_port_opened_and_closed",
        "user/mallory",
    ),
    (
        "fail-burst-bob-09",
        "trail_securitygroup_change_burst",
        "user/bob",
    ),
    (
        "fail-nacl-rdp-world",
        "trail_networkacl_entry_opens_internet_path",
        "user/alice",
    ),
    (
        "fail-route-default-igw",
        "trail_route_to_internet_gateway_added",
        "assumed-role/deploy/ci-42",
    ),
    (
        "fail-address-onto-open-instance",
        "trail_address_associated_with_open_instance",
        "user/alice",
    ),
    (
        "fail-trail-stop-logging",
        "trail_cloudtrail_stopped_or_weakened",
        "user/mallory",
    ),
    (
        "fail-trail-single-region",
        "trail_cloudtrail_stopped_or_weakened",
        "user/mallory",
    ),
    (
        "fail-trail-selectors-drop-management",
        "trail_cloudtrail_stopped_or_weakened",
        "user/mallory",
    ),
    (
        "fail-root-create-access-key",
        "trail_root_user_activity",
        ":root",
    ),
    (
        "fail-root-console-login",
        "trail_root_user_activity",
        ":root",
    ),
    (
        "fail-copy-snapshot-out",
        "trail_snapshot_copied_to_unapproved_region",
        "user/mallory",
    ),
    (
        "fail-copy-cluster-snapshot-out",
        "trail_snapshot_copied_to_unapproved_region",
        "user/alice",
    ),
    (
        "fail-run-gpu-after-hours",
        "trail_instance_type_launched_outside_hours",
        "user/mallory",
    ),
];

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/trail")
}

fn config() -> TrailConfig {
    TrailConfig {
        snapshot_regions: Some(vec!["us-east-1".into(), "eu-west-1".into()]),
        watched_instance_types: vec!["p4d.*".into()],
        ..TrailConfig::default()
    }
}

fn analyse(paths: &[PathBuf], config: &TrailConfig) -> Report {
    let input = ringfence_trail::read(paths).expect("the example reads");
    ringfence_trail::report(input, Engine::new(config, State::default()))
}

/// (event id, detector) of every failing finding.
fn found(report: &Report) -> BTreeSet<(String, String)> {
    report
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| {
            let event = f.event.as_ref().expect("trail findings carry their event");
            (event.event_id.clone(), f.check_id.to_string())
        })
        .collect()
}

fn expected() -> BTreeSet<(String, String)> {
    EXPECTED
        .iter()
        .map(|(id, check, _)| (id.to_string(), check.to_string()))
        .collect()
}

#[test]
fn every_pattern_is_found_with_its_actor_and_time_and_nothing_benign() {
    let report = analyse(&[example()], &config());
    assert_eq!(found(&report), expected());
    for (id, check, actor) in EXPECTED {
        let finding = report
            .findings
            .iter()
            .find(|f| f.check_id == *check && f.event.as_ref().is_some_and(|e| e.event_id == *id))
            .expect("found above");
        let event = finding.event.as_ref().expect("event");
        assert!(
            event
                .actor
                .arn
                .as_deref()
                .is_some_and(|a| a.ends_with(actor)),
            "{id}: actor {:?}",
            event.actor
        );
        assert!(
            event.actor.source_ip.is_some() && event.actor.user_agent.is_some(),
            "{id}"
        );
        assert!(event.actor.access_key_id.is_some(), "{id}");
        assert!(event.time.starts_with("2026-11-2"), "{id}: {}", event.time);
        assert!(
            finding.message.contains(&event.time),
            "{id}: {}",
            finding.message
        );
    }
    let trail = report.trail.as_ref().expect("trail outcome");
    assert_eq!(trail.timeline.len(), EXPECTED.len());
    let times: Vec<&str> = trail.timeline.iter().map(|t| t.time.as_str()).collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "the timeline is in event order");
    assert!(report.incomplete.is_empty(), "{:?}", report.incomplete);
    assert_eq!(
        trail.ignored.get("EC2 Instance State-change Notification"),
        Some(&1)
    );
}

#[test]
fn the_times_are_the_events_own() {
    let report = analyse(&[example()], &config());
    let flap = report
        .findings
        .iter()
        .find(|f| f.check_id == "trail_securitygroup_port_opened_and_closed")
        .expect("flap");
    let event = flap.event.as_ref().expect("event");
    assert_eq!(event.time, "2026-11-20T10:12:30Z");
    assert_eq!(event.related.len(), 1);
    assert_eq!(event.related[0].event_id, "fail-ingress-8443-flap-open");
    assert_eq!(event.related[0].time, "2026-11-20T10:00:00Z");
    let burst = report
        .findings
        .iter()
        .find(|f| f.check_id == "trail_securitygroup_change_burst")
        .expect("burst");
    // Ten changes make the burst; the ten after it belong to the same burst.
    assert_eq!(burst.event.as_ref().expect("event").related.len(), 10);
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.check_id == "trail_securitygroup_change_burst")
            .count(),
        1
    );
}

#[test]
fn without_settings_copies_out_of_region_and_expensive_types_are_still_watched() {
    // No allowed regions: every copy into another region than its source's; no watched
    // list: the built-in expensive families (p4d.* among them).
    let report = analyse(&[example()], &TrailConfig::default());
    assert_eq!(found(&report), expected());
    let copy = report
        .findings
        .iter()
        .find(|f| f.check_id == "trail_snapshot_copied_to_unapproved_region")
        .unwrap();
    assert_eq!(copy.severity, ringfence_findings::Severity::Medium);
}

/// Copies the example with every `.json.gz` log decompressed to `.json`.
fn plain_copy(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            plain_copy(&path, &target);
        } else if let Some(name) = path.to_str().and_then(|p| p.strip_suffix(".gz")) {
            let mut text = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("open"))
                .read_to_end(&mut text)
                .expect("gunzip");
            let name = Path::new(name).file_name().expect("name");
            std::fs::write(to.join(name), text).expect("write");
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

#[test]
fn plain_json_logs_read_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    plain_copy(&example(), dir.path());
    let report = analyse(&[dir.path().to_path_buf()], &config());
    assert_eq!(found(&report), expected());
}

#[test]
fn eventbridge_events_read_the_same() {
    // Every record of the logs as an EventBridge event, one per line.
    let dir = tempfile::tempdir().expect("tempdir");
    plain_copy(&example(), dir.path());
    let mut lines = String::new();
    let mut logs = Vec::new();
    collect_logs(dir.path(), &mut logs);
    for log in &logs {
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(log).expect("read")).expect("json");
        for record in doc["Records"].as_array().expect("records") {
            let event = serde_json::json!({
                "version": "0", "id": "x", "detail-type": "AWS API Call via CloudTrail",
                "source": "aws.ec2", "account": "111122223333", "time": record["eventTime"],
                "region": record["awsRegion"], "resources": [], "detail": record,
            });
            lines.push_str(&event.to_string());
            lines.push('\n');
        }
        std::fs::remove_file(log).expect("rm");
    }
    std::fs::write(dir.path().join("events-from-logs.jsonl"), lines).expect("write");
    let report = analyse(&[dir.path().to_path_buf()], &config());
    assert_eq!(found(&report), expected());
}

fn collect_logs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect_logs(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}
