//! The responder's handler fed recorded events (tests/events/, EventBridge "AWS API Call
//! via CloudTrail" events as AWS delivers them, with the group, rule and trail ids of
//! resources made on moto put in), with the SDK pointed at the moto server:
//!
//!   scripts/with-moto cargo test -p ringfence-respond     (.venv/bin on PATH for `aws`)
//!
//! Apply mode revokes exactly the rule the event added (moto confirms; the backup is in
//! the log first), a dry run changes nothing but shows the plan, StopLogging is undone,
//! notify reaches a subscribed SQS queue, a scheduled scan's report lands in S3 and
//! parses, and scheduled expiry runs. Benign and malformed events are in `offline.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ringfence_respond::{ActionKind, Log, Mode, Responder, Status, handle};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

/// moto's state is shared: one test at a time, each from a reset server.
static MOTO: Mutex<()> = Mutex::new(());

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";

fn endpoint() -> String {
    std::env::var("RINGFENCE_MOTO_ENDPOINT").expect(
        "RINGFENCE_MOTO_ENDPOINT is not set: these tests need the moto server. Run them with \
         PATH=$PWD/.venv/bin:$PATH scripts/with-moto cargo test -p ringfence-respond \
         (scripts/setup-venv first)",
    )
}

fn lock() -> std::sync::MutexGuard<'static, ()> {
    let guard = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    let status = Command::new("python3")
        .args([
            "-c",
            "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + '/moto-api/reset', method='POST'))",
            &endpoint(),
        ])
        .status()
        .unwrap();
    assert!(status.success(), "could not reset moto");
    guard
}

fn aws(args: &[&str]) -> Value {
    let output = Command::new("aws")
        .args([
            "--endpoint-url",
            &endpoint(),
            "--region",
            REGION,
            "--output",
            "json",
        ])
        .args(args)
        .output()
        .expect(
            "the AWS CLI (`aws`) is not on PATH: run scripts/setup-venv and put .venv/bin on PATH",
        );
    assert!(
        output.status.success(),
        "aws {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or(Value::Null)
}

fn text(v: &Value) -> String {
    v.as_str().unwrap().to_string()
}

/// A responder on moto, its log kept.
fn responder(vars: &[(&str, &str)]) -> (Responder, Arc<Mutex<Vec<String>>>) {
    let mut map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    map.insert("RINGFENCE_ENDPOINT_URL".into(), endpoint());
    let mut responder = Responder::from_lookup(|name| map.get(name).cloned()).unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    responder.log = Log::new(move |line| sink.lock().unwrap().push(line.to_string()));
    (responder, lines)
}

fn event(name: &str, substitutions: &[(&str, &str)]) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/events")
        .join(name);
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (from, to) in substitutions {
        text = text.replace(from, to);
    }
    text.into_bytes()
}

/// A group with tcp 5432 from 10.0.0.0/8 (stays) and tcp 22 from the internet (the
/// event's rule); the group id and the 22 rule's id.
fn group_with_ssh_open() -> (String, String) {
    let vpc = text(&aws(&["ec2", "create-vpc", "--cidr-block", "10.0.0.0/16"])["Vpc"]["VpcId"]);
    let group = text(
        &aws(&[
            "ec2",
            "create-security-group",
            "--group-name",
            "bastion",
            "--description",
            "bastion",
            "--vpc-id",
            &vpc,
        ])["GroupId"],
    );
    aws(&[
        "ec2",
        "authorize-security-group-ingress",
        "--group-id",
        &group,
        "--protocol",
        "tcp",
        "--port",
        "5432",
        "--cidr",
        "10.0.0.0/8",
    ]);
    let added = aws(&[
        "ec2",
        "authorize-security-group-ingress",
        "--group-id",
        &group,
        "--protocol",
        "tcp",
        "--port",
        "22",
        "--cidr",
        "0.0.0.0/0",
    ]);
    let rule = text(&added["SecurityGroupRules"][0]["SecurityGroupRuleId"]);
    (group, rule)
}

/// The group's ingress rules as (protocol, from, to, cidr).
fn ingress(group: &str) -> Vec<(String, i64, i64, String)> {
    let rules = aws(&[
        "ec2",
        "describe-security-group-rules",
        "--filters",
        &format!("Name=group-id,Values={group}"),
    ]);
    let mut out: Vec<_> = rules["SecurityGroupRules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["IsEgress"] == false)
        .map(|r| {
            (
                text(&r["IpProtocol"]),
                r["FromPort"].as_i64().unwrap_or(-1),
                r["ToPort"].as_i64().unwrap_or(-1),
                r["CidrIpv4"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn ssh() -> (String, i64, i64, String) {
    ("tcp".into(), 22, 22, "0.0.0.0/0".into())
}

fn postgres() -> (String, i64, i64, String) {
    ("tcp".into(), 5432, 5432, "10.0.0.0/8".into())
}

#[test]
fn apply_revokes_exactly_the_rule_the_event_opened_after_logging_the_backup() {
    let _moto = lock();
    let (group, rule) = group_with_ssh_open();
    assert_eq!(ingress(&group), vec![ssh(), postgres()]);
    let (responder, log) = responder(&[("RINGFENCE_MODE", "apply")]);
    let input = event(
        "authorize-ssh-to-world.json",
        &[("__GROUP__", &group), ("__RULE__", &rule)],
    );

    let outcome = handle(&input, &responder).unwrap();

    assert_eq!(outcome.mode, Mode::Apply);
    let finding = &outcome.findings[0];
    assert_eq!(finding.check_id, ringfence_respond::INGRESS_OPENED);
    assert_eq!(finding.resource.id, group);
    let revoke = outcome
        .actions
        .iter()
        .find(|a| a.action == ActionKind::Revoke)
        .unwrap();
    assert_eq!(revoke.status, Status::Done, "{}", revoke.detail);
    assert!(revoke.detail.contains(&rule), "{}", revoke.detail);
    assert!(revoke.detail.contains("verified"), "{}", revoke.detail);
    assert!(!outcome.failed());
    // moto confirms: the internet rule is gone, the private one stays.
    assert_eq!(ingress(&group), vec![postgres()]);
    // The backup was logged (before the change: the apply engine writes it first), and
    // it holds the revoked rule exactly, with the group's ingress before.
    let log = log.lock().unwrap();
    let backup_line = log
        .iter()
        .find(|l| l.contains("ringfence_backup"))
        .expect("no backup in the log");
    let backup: Value = serde_json::from_str(backup_line).unwrap();
    let g = &backup["ringfence_backup"]["groups"][0];
    assert_eq!(g["group_id"], group.as_str());
    assert_eq!(g["revoke"].as_array().unwrap().len(), 1);
    assert_eq!(g["revoke"][0]["rule_id"], rule.as_str());
    assert_eq!(g["revoke"][0]["peer"]["cidr"], "0.0.0.0/0");
    assert_eq!(g["ingress_before"].as_array().unwrap().len(), 2);
    assert_eq!(
        revoke.backup.as_ref().unwrap().groups[0].revoke[0]
            .rule_id
            .as_deref(),
        Some(rule.as_str())
    );

    // The same event again (a retry): nothing left to revoke, nothing else touched.
    let again = handle(&input, &responder).unwrap();
    let revoke = again
        .actions
        .iter()
        .find(|a| a.action == ActionKind::Revoke)
        .unwrap();
    assert_eq!(revoke.status, Status::Skipped, "{}", revoke.detail);
    assert_eq!(ingress(&group), vec![postgres()]);
}

#[test]
fn a_dry_run_changes_nothing_and_shows_the_plan() {
    let _moto = lock();
    let (group, rule) = group_with_ssh_open();
    let (responder, log) = responder(&[]);
    let input = event(
        "authorize-ssh-to-world.json",
        &[("__GROUP__", &group), ("__RULE__", &rule)],
    );

    let outcome = handle(&input, &responder).unwrap();

    assert_eq!(outcome.mode, Mode::DryRun);
    let revoke = &outcome.actions[0];
    assert_eq!(revoke.action, ActionKind::Revoke);
    assert_eq!(revoke.status, Status::Planned);
    assert!(
        revoke.detail.starts_with("dry run: would revoke"),
        "{}",
        revoke.detail
    );
    let plan = revoke.plan.as_ref().unwrap();
    assert_eq!(plan.groups.len(), 1);
    assert_eq!(plan.groups[0].changes.len(), 1);
    assert_eq!(
        plan.groups[0].changes[0].revoke.rule_id.as_deref(),
        Some(rule.as_str())
    );
    assert!(plan.groups[0].changes[0].authorize.is_empty());
    let commands = revoke.commands.as_deref().unwrap();
    assert!(
        commands.contains("revoke-security-group-ingress"),
        "{commands}"
    );
    assert!(commands.contains(&group), "{commands}");
    assert!(revoke.backup.is_none());
    assert!(log.lock().unwrap().is_empty(), "a dry run logs no backup");
    assert_eq!(ingress(&group), vec![ssh(), postgres()]);

    // Report mode: the finding, no action at all.
    let (responder, _) = self::responder(&[("RINGFENCE_MODE", "report")]);
    let outcome = handle(&input, &responder).unwrap();
    assert_eq!(outcome.findings.len(), 1);
    assert!(outcome.actions.is_empty());
    assert_eq!(ingress(&group), vec![ssh(), postgres()]);
}

#[test]
fn stop_logging_is_undone_and_other_weakenings_are_reported() {
    let _moto = lock();
    aws(&["s3api", "create-bucket", "--bucket", "trail-logs"]);
    let trail = aws(&[
        "cloudtrail",
        "create-trail",
        "--name",
        "org-trail",
        "--s3-bucket-name",
        "trail-logs",
    ]);
    let arn = text(&trail["TrailARN"]);
    aws(&["cloudtrail", "start-logging", "--name", "org-trail"]);
    aws(&["cloudtrail", "stop-logging", "--name", "org-trail"]);
    let logging = |_: ()| {
        aws(&["cloudtrail", "get-trail-status", "--name", "org-trail"])["IsLogging"].clone()
    };
    assert_eq!(logging(()), false);
    let input = event("stop-logging.json", &[("__TRAIL__", &arn)]);

    // Dry run first: planned, still stopped.
    let (responder, _) = responder(&[]);
    let outcome = handle(&input, &responder).unwrap();
    assert_eq!(outcome.actions[0].action, ActionKind::StartLogging);
    assert_eq!(outcome.actions[0].status, Status::Planned);
    assert_eq!(logging(()), false);

    let (responder, _) = self::responder(&[("RINGFENCE_MODE", "apply")]);
    let outcome = handle(&input, &responder).unwrap();
    assert_eq!(
        outcome.findings[0].check_id,
        ringfence_respond::TRAIL_WEAKENED
    );
    let action = &outcome.actions[0];
    assert_eq!(action.action, ActionKind::StartLogging);
    assert_eq!(action.status, Status::Done, "{}", action.detail);
    assert_eq!(action.target, arn);
    assert_eq!(logging(()), true);

    // UpdateTrail turning validation off: reported for a person, nothing called.
    let outcome = handle(&event("update-trail-validation-off.json", &[]), &responder).unwrap();
    assert_eq!(
        outcome.findings[0].check_id,
        ringfence_respond::TRAIL_WEAKENED
    );
    assert_eq!(outcome.actions[0].status, Status::Manual);
    assert!(
        outcome.actions[0].detail.contains("only StopLogging"),
        "{}",
        outcome.actions[0].detail
    );
}

#[test]
fn notify_publishes_the_findings_to_a_subscribed_queue() {
    let _moto = lock();
    let queue_url = text(&aws(&["sqs", "create-queue", "--queue-name", "alerts"])["QueueUrl"]);
    let queue_arn = text(
        &aws(&[
            "sqs",
            "get-queue-attributes",
            "--queue-url",
            &queue_url,
            "--attribute-names",
            "QueueArn",
        ])["Attributes"]["QueueArn"],
    );
    let topic = text(&aws(&["sns", "create-topic", "--name", "ringfence"])["TopicArn"]);
    aws(&[
        "sns",
        "subscribe",
        "--topic-arn",
        &topic,
        "--protocol",
        "sqs",
        "--notification-endpoint",
        &queue_arn,
        "--attributes",
        "RawMessageDelivery=true",
    ]);
    let (responder, _) = responder(&[
        ("RINGFENCE_MODE", "apply"),
        ("RINGFENCE_ACTIONS", "notify"),
        ("RINGFENCE_SNS_TOPIC_ARN", &topic),
    ]);

    let outcome = handle(&event("root-console-login.json", &[]), &responder).unwrap();

    assert_eq!(outcome.findings[0].check_id, "trail_root_user_activity");
    let notify = outcome.actions.last().unwrap();
    assert_eq!(notify.action, ActionKind::Notify);
    assert_eq!(notify.status, Status::Done, "{}", notify.detail);
    assert!(notify.message_id.is_some());
    let received = aws(&[
        "sqs",
        "receive-message",
        "--queue-url",
        &queue_url,
        "--wait-time-seconds",
        "2",
    ]);
    let body = text(&received["Messages"][0]["Body"]);
    let message: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(message["ringfence"], "respond");
    assert_eq!(
        message["findings"][0]["check_id"],
        "trail_root_user_activity"
    );
    assert_eq!(
        message["findings"][0]["event"]["actor"]["arn"],
        format!("arn:aws:iam::{ACCOUNT}:root")
    );
    assert_eq!(message["event"]["event_id"], "root-console-login");
    // Never a credential: the responder's own keys are nowhere in it.
    assert!(!body.contains("testing"), "{body}");

    // A benign event sends nothing.
    let outcome = handle(&event("describe-instances.json", &[]), &responder).unwrap();
    assert!(outcome.actions.is_empty());
}

#[test]
fn a_scheduled_scan_puts_its_report_in_s3() {
    let _moto = lock();
    aws(&["s3api", "create-bucket", "--bucket", "reports"]);
    let vpc = text(&aws(&["ec2", "create-vpc", "--cidr-block", "10.1.0.0/16"])["Vpc"]["VpcId"]);
    let group = text(
        &aws(&[
            "ec2",
            "create-security-group",
            "--group-name",
            "cassandra",
            "--description",
            "cassandra",
            "--vpc-id",
            &vpc,
        ])["GroupId"],
    );
    aws(&[
        "ec2",
        "authorize-security-group-ingress",
        "--group-id",
        &group,
        "--protocol",
        "tcp",
        "--port",
        "9042",
        "--cidr",
        "0.0.0.0/0",
    ]);
    let (responder, _) = responder(&[("RINGFENCE_REPORT_PREFIX", "scans/")]);
    let request = format!(
        r#"{{"ringfence": "scan", "account": "{ACCOUNT}", "region": "{REGION}", "bucket": "reports"}}"#
    );

    let outcome = handle(request.as_bytes(), &responder).unwrap();

    assert!(!outcome.failed(), "{}", outcome.to_json());
    let scan = outcome.scan.as_ref().unwrap();
    assert_eq!(scan.account.as_deref(), Some(ACCOUNT));
    assert!(
        scan.key.starts_with(&format!("scans/{ACCOUNT}/{REGION}/")),
        "{}",
        scan.key
    );
    assert_eq!(
        scan.latest_key,
        format!("scans/{ACCOUNT}/{REGION}/latest.json")
    );
    assert!(scan.failing > 0);
    for key in [&scan.key, &scan.latest_key] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report.json");
        aws(&[
            "s3api",
            "get-object",
            "--bucket",
            "reports",
            "--key",
            key,
            file.to_str().unwrap(),
        ]);
        let report: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let open: Vec<&Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| {
                f["check_id"] == "ec2_securitygroup_allow_ingress_from_internet_to_cassandra_ports"
                    && f["resource"]["id"] == group.as_str()
            })
            .collect();
        assert_eq!(open.len(), 1, "{key}");
        assert!(open[0]["fix"].is_object(), "the finding carries its fix");
    }

    // The request in an EventBridge event's detail, and the wrong account: refused.
    let wrong = r#"{"detail-type": "ringfence scan", "source": "acme.ops",
        "detail": {"ringfence": "scan", "account": "210987654321", "region": "us-east-1", "bucket": "reports"}}"#;
    let err = handle(wrong.as_bytes(), &responder)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("210987654321") && err.contains("role"),
        "{err}"
    );

    // No bucket anywhere: said before any call.
    let err = handle(
        br#"{"ringfence": "scan", "region": "us-east-1"}"#,
        &responder,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("RINGFENCE_REPORT_BUCKET"), "{err}");
}

#[test]
fn a_scheduled_expiry_revokes_only_expired_grants() {
    let _moto = lock();
    let (group, _) = group_with_ssh_open();
    aws(&[
        "ec2",
        "authorize-security-group-ingress",
        "--group-id",
        &group,
        "--ip-permissions",
        "IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=198.51.100.7/32,Description=\"ringfence-grant until=2020-01-01T00:00:00Z old\"}]",
    ]);
    let request = br#"{"ringfence": "expire", "region": "us-east-1"}"#;

    let (responder, _) = responder(&[]);
    let outcome = handle(request, &responder).unwrap();
    let report = outcome.expire.as_ref().unwrap();
    assert!(report.dry_run);
    assert_eq!(report.would_revoke.len(), 1);
    assert_eq!(ingress(&group).len(), 3);

    let (responder, _) = self::responder(&[("RINGFENCE_MODE", "apply")]);
    let outcome = handle(request, &responder).unwrap();
    let report = outcome.expire.as_ref().unwrap();
    assert_eq!(report.revoked.len(), 1, "{}", outcome.to_json());
    assert!(!outcome.failed());
    assert_eq!(ingress(&group), vec![ssh(), postgres()]);
}

#[test]
fn an_action_that_cannot_reach_aws_fails_in_the_outcome_not_silently() {
    // Credentials as with-moto sets them, but nothing listens at the endpoint.
    endpoint();
    let input = event(
        "authorize-ssh-to-world.json",
        &[("__GROUP__", "sg-0abc"), ("__RULE__", "sgr-0abc")],
    );
    let mut responder = Responder::from_lookup(|name| match name {
        "RINGFENCE_MODE" => Some("apply".to_string()),
        "RINGFENCE_ENDPOINT_URL" => Some("http://127.0.0.1:9".to_string()),
        _ => None,
    })
    .unwrap();
    responder.log = Log::new(|_| {});
    let outcome = handle(&input, &responder).unwrap();
    assert_eq!(outcome.findings.len(), 1);
    assert_eq!(outcome.actions[0].status, Status::Failed);
    assert!(
        outcome.actions[0]
            .detail
            .contains("could not read the group"),
        "{}",
        outcome.actions[0].detail
    );
    assert!(outcome.failed());
}
