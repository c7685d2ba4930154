//! `ringfence grant` and `ringfence expire` against the moto EC2 emulator
//! (`scripts/with-moto cargo test -p ringfence --test grant_moto`): a grant is exactly one
//! rule carrying its expiry; expire revokes exactly the expired grants, ingress and
//! egress, and nothing else; dry runs and second runs change nothing; failures are
//! incomplete (exit 3); bad requests exit 2 before any call.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use ringfence_findings::time::Timestamp;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Output};
use std::sync::Mutex;

static MOTO: Mutex<()> = Mutex::new(());

const EAST: &str = "us-east-1";
const WEST: &str = "us-west-2";

/// Nothing listens there: a call that gets sent fails.
const NOWHERE: &str = "http://127.0.0.1:9";

fn endpoint() -> String {
    std::env::var("RINGFENCE_MOTO_ENDPOINT").expect(
        "RINGFENCE_MOTO_ENDPOINT is not set: these tests need the moto EC2 emulator. Run them with \
         scripts/with-moto cargo test -p ringfence --test grant_moto (scripts/setup-venv first)",
    )
}

fn reset() {
    let status = Command::new("python3")
        .args([
            "-c",
            "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + '/moto-api/reset', method='POST'))",
            &endpoint(),
        ])
        .status()
        .unwrap();
    assert!(status.success(), "could not reset moto");
}

fn aws(region: &str, args: &[&str]) -> Value {
    let output = Command::new("aws")
        .args([
            "--endpoint-url",
            &endpoint(),
            "--region",
            region,
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

fn group(region: &str, name: &str) -> String {
    let vpc = aws(
        region,
        &["ec2", "create-vpc", "--cidr-block", "10.0.0.0/16"],
    )["Vpc"]["VpcId"]
        .as_str()
        .unwrap()
        .to_string();
    aws(
        region,
        &[
            "ec2",
            "create-security-group",
            "--group-name",
            name,
            "--description",
            name,
            "--vpc-id",
            &vpc,
        ],
    )["GroupId"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Adds one rule; its id.
fn rule(region: &str, group: &str, egress: bool, permission: &str) -> String {
    let verb = if egress {
        "authorize-security-group-egress"
    } else {
        "authorize-security-group-ingress"
    };
    let out = aws(
        region,
        &[
            "ec2",
            verb,
            "--group-id",
            group,
            "--ip-permissions",
            permission,
        ],
    );
    out["SecurityGroupRules"][0]["SecurityGroupRuleId"]
        .as_str()
        .unwrap()
        .to_string()
}

fn tcp(port: u16, cidr: &str, description: &str) -> String {
    serde_json::json!([{
        "IpProtocol": "tcp", "FromPort": port, "ToPort": port,
        "IpRanges": [{"CidrIp": cidr, "Description": description}]
    }])
    .to_string()
}

/// Every rule of the region by id: (group, egress, protocol, from, to, peer, description).
type RuleKey = (String, bool, String, i64, i64, String, String);

fn rules(region: &str) -> BTreeMap<String, RuleKey> {
    aws(region, &["ec2", "describe-security-group-rules"])["SecurityGroupRules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
            (
                s("SecurityGroupRuleId"),
                (
                    s("GroupId"),
                    r["IsEgress"] == true,
                    s("IpProtocol"),
                    r["FromPort"].as_i64().unwrap_or(-1),
                    r["ToPort"].as_i64().unwrap_or(-1),
                    format!("{}{}", s("CidrIpv4"), s("CidrIpv6")),
                    s("Description"),
                ),
            )
        })
        .collect()
}

fn ids(rules: &BTreeMap<String, RuleKey>) -> BTreeSet<String> {
    rules.keys().cloned().collect()
}

/// A day ago, to the minute: a clock the grant guard accepts (never ahead of the system).
fn t0() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    now / 60 * 60 - 86_400
}

fn at(secs: i64) -> String {
    Timestamp(secs).rfc3339()
}

/// `ringfence ARGS --endpoint-url moto --region REGION -q` with the clock at `clock`.
fn run(clock: i64, region: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = ringfence();
    cmd.env("SOURCE_DATE_EPOCH", clock.to_string())
        .env_remove("RINGFENCE_TEST_FAULT")
        .args(args)
        .args(["--endpoint-url", &endpoint(), "-q"]);
    if let Some(region) = region {
        cmd.args(["--region", region]);
    }
    cmd.output().unwrap()
}

fn json_of(output: &Output, code: i32) -> Value {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn grant(clock: i64, region: &str, args: &[&str]) -> Value {
    let mut all = vec!["grant", "-f", "json"];
    all.extend_from_slice(args);
    json_of(&run(clock, Some(region), &all), 0)
}

fn expire(clock: i64, region: Option<&str>, extra: &[&str], code: i32) -> Value {
    let mut all = vec!["expire", "-f", "json"];
    all.extend_from_slice(extra);
    let doc = json_of(&run(clock, region, &all), code);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["now"], at(clock));
    doc
}

/// The rule ids of one list of an expire report.
fn listed(doc: &Value, list: &str) -> BTreeSet<String> {
    doc[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {doc:#}"))
        .iter()
        .map(|r| r["rule_id"].as_str().unwrap().to_string())
        .collect()
}

fn set(ids: &[&String]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn expire_revokes_exactly_the_expired_grants() {
    let _guard = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    reset();
    let t0 = t0();
    let g = group(EAST, "app");
    // The neighbours: an ordinary rule, one that already covers the grant, two look-alike
    // descriptions, a marker that cannot be read, and an egress grant written by hand
    // with an offset, due with the ssh grant.
    let https = rule(EAST, &g, false, &tcp(443, "0.0.0.0/0", "https"));
    let office = rule(
        EAST,
        &g,
        false,
        &serde_json::json!([{"IpProtocol": "tcp", "FromPort": 0, "ToPort": 1024,
            "IpRanges": [{"CidrIp": "203.0.113.0/24", "Description": "office"}]}])
        .to_string(),
    );
    let lookalike = rule(
        EAST,
        &g,
        false,
        &tcp(
            8080,
            "198.51.100.0/24",
            "ringfence-granted until=2000-01-01T00:00:00Z",
        ),
    );
    let quoted = rule(
        EAST,
        &g,
        false,
        &tcp(
            8081,
            "198.51.100.0/24",
            "old ringfence-grant until=2000-01-01T00:00:00Z",
        ),
    );
    let malformed = rule(
        EAST,
        &g,
        false,
        &tcp(8443, "198.51.100.9/32", "ringfence-grant until=soon"),
    );
    let offset = at(t0 + 1800 + 3600).replace('Z', "+01:00");
    let egress = rule(
        EAST,
        &g,
        true,
        &tcp(
            5432,
            "10.0.0.0/16",
            &format!("ringfence-grant until={offset} db"),
        ),
    );
    let before = rules(EAST);

    // Exactly one new rule, carrying the marker.
    let ssh = grant(
        t0,
        EAST,
        &[
            "--group-id",
            &g,
            "--port",
            "22",
            "--cidr",
            "203.0.113.7",
            "--for",
            "30m",
            "--reason",
            "Jane's laptop\n(ticket #42)",
        ],
    );
    let description = format!(
        "ringfence-grant until={} Jane_s laptop (ticket #42)",
        at(t0 + 1800)
    );
    assert_eq!(ssh["until"], at(t0 + 1800), "{ssh:#}");
    assert_eq!(ssh["description"], description.as_str());
    assert_eq!(ssh["cidr"], "203.0.113.7/32");
    assert_eq!(ssh["covered_by"], serde_json::json!([office]));
    let ssh_id = ssh["rule_id"].as_str().unwrap().to_string();
    let mut want = before.clone();
    want.insert(
        ssh_id.clone(),
        (
            g.clone(),
            false,
            "tcp".into(),
            22,
            22,
            "203.0.113.7/32".into(),
            description,
        ),
    );
    assert_eq!(rules(EAST), want, "one rule added, nothing else");

    // A second grant, not due at the first one's expiry: UDP, a range, IPv6, a day.
    let udp = grant(
        t0,
        EAST,
        &[
            "--group-id",
            &g,
            "--port",
            "8000-8100",
            "--protocol",
            "udp",
            "--cidr",
            "2001:db8::7",
            "--for",
            "24h",
        ],
    );
    assert_eq!(udp["until"], at(t0 + 86_400));
    assert_eq!(udp["cidr"], "2001:db8::7/128");
    let udp_id = udp["rule_id"].as_str().unwrap().to_string();

    // The same grant again is refused, naming the rule that is there.
    let again = run(
        t0,
        Some(EAST),
        &[
            "grant",
            "--group-id",
            &g,
            "--port",
            "22",
            "--cidr",
            "203.0.113.7/32",
            "--for",
            "1h",
        ],
    );
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("already has tcp 22 from 203.0.113.7/32, a grant until")
            && stderr.contains(&ssh_id)
            && stderr.contains("nothing granted"),
        "{stderr}"
    );
    let granted = rules(EAST);
    assert_eq!(granted.len(), before.len() + 2);

    // A second before the expiry: nothing is touched; the malformed marker is reported
    // (exit 1), not revoked.
    let early = expire(t0 + 1799, Some(EAST), &[], 1);
    assert!(listed(&early, "revoked").is_empty(), "{early:#}");
    assert_eq!(listed(&early, "kept"), set(&[&ssh_id, &udp_id, &egress]));
    assert_eq!(listed(&early, "malformed"), set(&[&malformed]));
    assert!(
        early["malformed"][0]["problem"]
            .as_str()
            .unwrap()
            .contains("until=soon"),
        "{early:#}"
    );
    assert!(early["failures"].as_array().unwrap().is_empty());
    assert_eq!(rules(EAST), granted);

    // A dry run at the expiry lists what is due and changes nothing.
    let dry = expire(t0 + 1800, Some(EAST), &["--dry-run"], 1);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(listed(&dry, "would_revoke"), set(&[&ssh_id, &egress]));
    assert!(listed(&dry, "revoked").is_empty());
    assert_eq!(rules(EAST), granted, "a dry run changes nothing");

    // At the expiry (until <= now): exactly the two due grants go, ingress and egress.
    let done = expire(t0 + 1800, Some(EAST), &[], 1);
    assert_eq!(
        listed(&done, "revoked"),
        set(&[&ssh_id, &egress]),
        "{done:#}"
    );
    let directions: BTreeSet<&str> = done["revoked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["direction"].as_str().unwrap())
        .collect();
    assert_eq!(directions, BTreeSet::from(["egress", "ingress"]));
    assert_eq!(listed(&done, "kept"), set(&[&udp_id]));
    assert_eq!(listed(&done, "malformed"), set(&[&malformed]));
    let mut left = granted.clone();
    left.remove(&ssh_id);
    left.remove(&egress);
    assert_eq!(rules(EAST), left, "only the expired grants are gone");
    for survivor in [&https, &office, &lookalike, &quoted, &malformed, &udp_id] {
        assert!(left.contains_key(survivor), "{survivor}");
    }

    // A second run is a no-op.
    let second = expire(t0 + 1800, Some(EAST), &[], 1);
    assert!(listed(&second, "revoked").is_empty(), "{second:#}");
    assert_eq!(rules(EAST), left);

    // The table says the same in words.
    let table = run(t0 + 1800, Some(EAST), &["expire", "--dry-run"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("0 would be revoked, 1 kept, 1 malformed, 0 failed"),
        "{text}"
    );
    assert!(
        text.contains("MALFORMED") && text.contains(&malformed),
        "{text}"
    );
    assert!(
        String::from_utf8_lossy(&table.stderr).contains("left alone"),
        "the malformed marker is warned about"
    );
}

#[test]
fn expire_without_a_region_reads_every_region() {
    let _guard = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    reset();
    let t0 = t0();
    let east = group(EAST, "east");
    let west = group(WEST, "west");
    let args = |g: &str| {
        [
            "--group-id",
            g,
            "--port",
            "9042",
            "--cidr",
            "198.51.100.7",
            "--for",
            "1h",
        ]
        .map(str::to_string)
    };
    let a = grant(t0, EAST, &args(&east).each_ref().map(String::as_str));
    let b = grant(t0, WEST, &args(&west).each_ref().map(String::as_str));
    assert_eq!(
        (a["region"].as_str(), b["region"].as_str()),
        (Some(EAST), Some(WEST))
    );

    // The table form of a grant.
    let c = run(
        t0,
        Some(WEST),
        &[
            "grant",
            "--group-id",
            &west,
            "--port",
            "22",
            "--cidr",
            "198.51.100.7",
            "--for",
            "2h",
        ],
    );
    let text = String::from_utf8_lossy(&c.stdout);
    assert_eq!(
        c.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&c.stderr)
    );
    assert!(
        text.starts_with(&format!(
            "granted tcp 22 from 198.51.100.7/32 on {west} ({WEST}) until {}",
            at(t0 + 7200)
        )),
        "{text}"
    );

    let doc = expire(t0 + 3600, None, &[], 0);
    let revoked: BTreeSet<(String, String)> = doc["revoked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["region"].as_str().unwrap().to_string(),
                r["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let id = |v: &Value| v["rule_id"].as_str().unwrap().to_string();
    assert_eq!(
        revoked,
        BTreeSet::from([(EAST.to_string(), id(&a)), (WEST.to_string(), id(&b))]),
        "{doc:#}"
    );
    assert_eq!(listed(&doc, "kept").len(), 1);
    assert!(!ids(&rules(EAST)).contains(&id(&a)));
    assert!(!ids(&rules(WEST)).contains(&id(&b)));
}

#[test]
fn a_failed_revoke_is_incomplete_never_success() {
    let _guard = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    reset();
    let t0 = t0();
    let g = group(EAST, "app");
    let mut granted = Vec::new();
    for cidr in ["198.51.100.1", "198.51.100.2"] {
        let doc = grant(
            t0,
            EAST,
            &[
                "--group-id",
                &g,
                "--port",
                "22",
                "--cidr",
                cidr,
                "--for",
                "10m",
            ],
        );
        granted.push(doc["rule_id"].as_str().unwrap().to_string());
    }
    let output = ringfence()
        .env("SOURCE_DATE_EPOCH", (t0 + 600).to_string())
        .env("RINGFENCE_TEST_FAULT", "fail-after-first-revoke")
        .args(["expire", "-f", "json", "-q", "--region", EAST])
        .args(["--endpoint-url", &endpoint()])
        .output()
        .unwrap();
    let doc = json_of(&output, 3);
    assert_eq!(doc["revoked"].as_array().unwrap().len(), 1, "{doc:#}");
    let failures = doc["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{doc:#}");
    assert_eq!(failures[0]["call"], "ec2:RevokeSecurityGroupIngress");
    let failed = failures[0]["rule_id"].as_str().unwrap().to_string();
    assert!(granted.contains(&failed));
    assert!(
        ids(&rules(EAST)).contains(&failed),
        "the failed one is still there"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&failed) && stderr.contains("failed"),
        "{stderr}"
    );

    // The next run finishes the job.
    let doc = expire(t0 + 600, Some(EAST), &[], 0);
    assert_eq!(listed(&doc, "revoked"), BTreeSet::from([failed]));
    assert!(granted.iter().all(|id| !ids(&rules(EAST)).contains(id)));
}

#[test]
fn a_grant_on_a_missing_group_exits_2() {
    let _guard = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    reset();
    let output = run(
        t0(),
        Some(EAST),
        &[
            "grant",
            "--group-id",
            "sg-0123456789abcdef0",
            "--port",
            "22",
            "--cidr",
            "203.0.113.7",
            "--for",
            "30m",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("sg-0123456789abcdef0: no such security group in us-east-1"),
        "{stderr}"
    );
}

/// `ringfence ARGS` with fake credentials and no real profile, pointed at nothing.
fn offline(args: &[&str]) -> Output {
    let empty = repo_root().join("scripts/aws-config-empty");
    ringfence()
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", &empty)
        .env("AWS_SHARED_CREDENTIALS_FILE", &empty)
        .env_remove("AWS_PROFILE")
        .env_remove("SOURCE_DATE_EPOCH")
        .args(args)
        .args(["--endpoint-url", NOWHERE, "--call-timeout", "2", "-q"])
        .output()
        .unwrap()
}

/// Flags replaced in a good request, flags added, what the error says.
type BadCase = (
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
    &'static str,
);

#[test]
fn bad_grants_exit_2_before_any_call() {
    let base = [
        ("--group-id", "sg-0123456789abcdef0"),
        ("--port", "22"),
        ("--cidr", "203.0.113.7"),
        ("--for", "30m"),
    ];
    let cases: &[BadCase] = &[
        (&[("--port", "70000")], &[], "port 70000 is not in 0-65535"),
        (&[("--port", "100-20")], &[], "runs backwards"),
        (&[("--port", "ssh")], &[], "not a port or a port range"),
        (
            &[("--cidr", "0.0.0.0/0")],
            &[],
            "0.0.0.0/0 is the whole internet",
        ),
        (&[("--cidr", "::/0")], &[], "::/0 is the whole internet"),
        (&[("--cidr", "10.0.0.0/8")], &[], "wider than /24"),
        (
            &[("--cidr", "203.0.113.7/24")],
            &[],
            "the network is 203.0.113.0/24",
        ),
        (
            &[("--cidr", "my-laptop")],
            &[],
            "neither an IP address nor a CIDR",
        ),
        (
            &[("--for", "25h")],
            &[],
            "25h is longer than the cap of 24h",
        ),
        (
            &[("--for", "2h")],
            &["--max-duration", "1h"],
            "longer than the cap of 1h",
        ),
        (&[("--for", "30")], &[], "\"30\" is not a duration"),
        (&[("--for", "1h1h")], &[], "is not a duration"),
        (&[("--for", "0m")], &[], "no time at all"),
        (
            &[("--group-id", "i-0123456789abcdef0")],
            &[],
            "not a security group id",
        ),
        (&[], &["--protocol", "icmp"], "invalid value 'icmp'"),
        (
            &[],
            &["--region", "us-east-1", "--region", "eu-west-1"],
            "give --region once",
        ),
    ];
    for (overrides, extra, says) in cases {
        let mut args = vec!["grant"];
        for (flag, value) in base {
            let value = overrides
                .iter()
                .find(|(f, _)| *f == flag)
                .map_or(value, |(_, v)| v);
            args.extend([flag, value]);
        }
        args.extend_from_slice(extra);
        let output = offline(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{overrides:?} {extra:?}: {stderr}"
        );
        assert!(stderr.contains(says), "{overrides:?} {extra:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{overrides:?}");
    }

    // --allow-wide lets the whole internet through validation: the call is sent (and
    // fails here, nothing listening: exit 3, nothing granted).
    let output = offline(&[
        "grant",
        "--group-id",
        "sg-0123456789abcdef0",
        "--port",
        "22",
        "--cidr",
        "0.0.0.0/0",
        "--for",
        "30m",
        "--allow-wide",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("nothing granted"), "{stderr}");
}

#[test]
fn expire_that_cannot_reach_aws_is_incomplete() {
    let output = offline(&["expire", "-f", "json", "--region", "us-east-1"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(!doc["failures"].as_array().unwrap().is_empty(), "{doc:#}");
    assert!(stderr.contains("failed"), "{stderr}");
}
