//! What cannot be read is reported with the file and the place, counted, and never
//! crashes the run or disappears.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ringfence_trail::{Engine, ReadError, State, TrailConfig};
use std::path::{Path, PathBuf};

fn morning_gz() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../examples/trail/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/111122223333_CloudTrail_us-east-1_20261120T0912Z_09h.json.gz",
    )
}

fn record(id: &str, fields: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.09","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::1:user/a"}},{fields}"eventSource":"ec2.amazonaws.com","awsRegion":"us-east-1","eventID":"{id}","requestParameters":{{"groupId":"sg-1","ipPermissions":{{"items":[{{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{{"items":[{{"cidrIp":"0.0.0.0/0"}}]}}}}]}}}},"responseElements":null}}"#
    )
}

fn good(id: &str) -> String {
    record(
        id,
        r#""eventTime":"2026-11-20T09:00:00Z","eventName":"AuthorizeSecurityGroupIngress","#,
    )
}

#[test]
fn a_truncated_gzip_is_reported_and_what_came_before_it_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(morning_gz()).unwrap();
    let cut = dir.path().join("cut.json.gz");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let input = ringfence_trail::read(std::slice::from_ref(&cut)).unwrap();
    assert_eq!(input.problems.len(), 1, "{:?}", input.problems);
    let problem = &input.problems[0];
    assert_eq!(problem.file, cut.display().to_string());
    assert!(
        problem.reason.contains("truncated or corrupt gzip"),
        "{problem}"
    );
    assert!(
        input.stats.records > 0,
        "the records before the cut are read"
    );
    let report = ringfence_trail::report(
        input,
        Engine::new(&TrailConfig::default(), State::default()),
    );
    assert_eq!(report.incomplete.len(), 1);
    assert!(
        report.incomplete[0]
            .subject
            .as_deref()
            .is_some_and(|s| s.contains("cut.json.gz"))
    );
}

#[test]
fn a_json_file_that_is_not_cloudtrail_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.json");
    std::fs::write(&file, r#"{"hello": "world"}"#).unwrap();
    let input = ringfence_trail::read(&[file]).unwrap();
    assert_eq!(input.problems.len(), 1);
    assert!(
        input.problems[0].reason.contains("not CloudTrail"),
        "{}",
        input.problems[0]
    );
    assert!(input.events.is_empty());
}

#[test]
fn records_missing_fields_or_with_bad_times_are_counted_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("log.json");
    let records = [
        good("ok-1"),
        record("no-time", r#""eventName":"AuthorizeSecurityGroupIngress","#),
        record(
            "bad-time",
            r#""eventTime":"yesterday","eventName":"AuthorizeSecurityGroupIngress","#,
        ),
        record(
            "name-not-text",
            r#""eventTime":"2026-11-20T09:00:00Z","eventName":5,"#,
        ),
        good("ok-2"),
    ];
    std::fs::write(&file, format!(r#"{{"Records":[{}]}}"#, records.join(","))).unwrap();
    let input = ringfence_trail::read(&[file]).unwrap();
    assert!(input.problems.is_empty(), "{:?}", input.problems);
    assert_eq!(input.stats.records, 5);
    assert_eq!(input.events.len(), 2);
    assert_eq!(
        input.stats.skipped.get("record without eventTime"),
        Some(&1)
    );
    assert_eq!(
        input.stats.skipped.get("record without eventName"),
        Some(&1)
    );
    assert_eq!(
        input.stats.skipped.get("eventTime not an RFC 3339 time"),
        Some(&1)
    );
    let report = ringfence_trail::report(
        input,
        Engine::new(&TrailConfig::default(), State::default()),
    );
    assert_eq!(report.incomplete.len(), 3, "{:?}", report.incomplete);
    // The good records still count: the first opens SSH; the second authorizes the
    // same rule again and so opens nothing new.
    assert_eq!(report.summary.fail, 1);
    assert_eq!(report.trail.as_ref().unwrap().analysed, 2);
}

#[test]
fn a_broken_line_of_events_costs_that_line_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.jsonl");
    let wrap = |record: &str| {
        format!(
            r#"{{"version":"0","detail-type":"AWS API Call via CloudTrail","detail":{record}}}"#
        )
    };
    let text = format!(
        "{}\n{{\"version\": \"0\", \"detail\": {{\n{}\n",
        wrap(&good("line-1")),
        wrap(&good("line-3"))
    );
    std::fs::write(&file, text).unwrap();
    let input = ringfence_trail::read(std::slice::from_ref(&file)).unwrap();
    assert_eq!(input.events.len(), 2, "{:?}", input.problems);
    assert_eq!(input.problems.len(), 1);
    assert_eq!(
        input.problems[0]
            .place
            .as_deref()
            .map(|p| p.starts_with("line 2")),
        Some(true)
    );
    assert!(input.problems[0].reason.starts_with("malformed JSON"));
}

#[test]
fn garbage_and_arrays_are_malformed_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, [0xff_u8, 0x00, 0x13, 0x37, b'{']).unwrap();
    let array = dir.path().join("array.json");
    std::fs::write(&array, "[1, 2, 3]\n").unwrap();
    let input = ringfence_trail::read(&[garbage, array]).unwrap();
    assert_eq!(input.problems.len(), 2, "{:?}", input.problems);
}

#[test]
fn missing_paths_and_empty_folders_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    assert!(matches!(
        ringfence_trail::read(&[missing]),
        Err(ReadError::Path { .. })
    ));
    assert!(matches!(
        ringfence_trail::read(&[dir.path().to_path_buf()]),
        Err(ReadError::Empty(_))
    ));
}

#[test]
fn one_event_parses_for_the_responder() {
    let event = format!(
        r#"{{"version":"0","detail-type":"AWS API Call via CloudTrail","detail":{}}}"#,
        good("single")
    );
    let parsed = ringfence_trail::parse_event(event.as_bytes(), "event").unwrap();
    assert_eq!(parsed.id, "single");
    assert!(
        ringfence_trail::parse_event(b"{\"detail-type\":\"Other\",\"detail\":{}}", "event")
            .is_err()
    );
    assert!(ringfence_trail::parse_event(b"{\"detail-type\":", "event").is_err());
}

/// Every cut of a real log file, and a byte overwritten every few hundred bytes: an error
/// or fewer records, never a panic, and never more records than the whole file holds.
#[test]
fn cut_and_corrupted_logs_never_panic() {
    use std::io::Read;
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(morning_gz()).unwrap())
        .read_to_end(&mut json)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("log.json");
    std::fs::write(&file, &json).unwrap();
    let whole = ringfence_trail::read(std::slice::from_ref(&file))
        .unwrap()
        .stats
        .records;
    for cut in (1..json.len()).step_by(251) {
        std::fs::write(&file, &json[..cut]).unwrap();
        let input = ringfence_trail::read(std::slice::from_ref(&file)).unwrap();
        assert!(input.stats.records <= whole);
        assert!(!input.problems.is_empty(), "a cut at {cut} is reported");
    }
    for at in (0..json.len()).step_by(163) {
        let mut bad = json.clone();
        bad[at] = b"\"{}[]:,\\x\0"[at % 10];
        std::fs::write(&file, &bad).unwrap();
        let input = ringfence_trail::read(std::slice::from_ref(&file)).unwrap();
        assert!(input.stats.records <= whole);
    }
}
