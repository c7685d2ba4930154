//! A synthetic CloudTrail archive in the S3 layout, for the `ringfence trail` throughput
//! benchmark: mostly the read-only noise real trails are made of, with the calls the
//! detectors watch sprinkled in (a few of them alarming).

use flate2::Compression;
use flate2::write::GzEncoder;
use rayon::prelude::*;
use serde_json::{Value, json};
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

#[derive(Clone, Debug)]
pub struct TrailParams {
    /// Stop once this many compressed bytes are written.
    pub bytes: u64,
    /// Records per log file.
    pub records_per_file: usize,
    pub seed: u64,
    pub accounts: usize,
    pub regions: usize,
}

impl TrailParams {
    pub fn check(&self) -> Result<(), String> {
        if self.bytes == 0 || self.records_per_file == 0 {
            return Err("the size and the records per file must be positive".to_string());
        }
        if self.accounts == 0 || self.regions == 0 || self.regions > REGIONS.len() {
            return Err(format!(
                "between 1 and {} regions, and at least one account",
                REGIONS.len()
            ));
        }
        Ok(())
    }
}

#[derive(Clone, Debug, Default)]
pub struct TrailSummary {
    pub files: usize,
    pub records: u64,
    pub compressed: u64,
    pub json: u64,
}

impl fmt::Display for TrailSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} files, {} records, {:.1} MiB gzipped ({:.1} MiB of JSON)",
            self.files,
            self.records,
            self.compressed as f64 / 1048576.0,
            self.json as f64 / 1048576.0
        )
    }
}

const REGIONS: [&str; 6] = [
    "us-east-1",
    "eu-west-1",
    "us-west-2",
    "ap-southeast-1",
    "eu-central-1",
    "sa-east-1",
];

/// Writes files until the compressed total reaches `params.bytes`, a batch of files in
/// parallel at a time.
pub fn generate_trail(params: &TrailParams, out: &Path) -> io::Result<TrailSummary> {
    let mut summary = TrailSummary::default();
    let batch = rayon::current_num_threads().max(1) * 4;
    let mut index = 0usize;
    while summary.compressed < params.bytes {
        let written: Vec<io::Result<(u64, u64, u64)>> = (index..index + batch)
            .into_par_iter()
            .map(|i| write_file(params, out, i))
            .collect();
        for result in written {
            let (records, compressed, json) = result?;
            summary.files += 1;
            summary.records += records;
            summary.compressed += compressed;
            summary.json += json;
        }
        index += batch;
    }
    Ok(summary)
}

fn write_file(params: &TrailParams, out: &Path, index: usize) -> io::Result<(u64, u64, u64)> {
    let mut rng =
        fastrand::Rng::with_seed(params.seed ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let account = format!(
        "{:012}",
        100_000_000_000u64 + (index % params.accounts) as u64
    );
    let region = REGIONS[(index / params.accounts) % params.regions];
    // Five minutes per file, as CloudTrail delivers, from 1 November 2026.
    let slot = index / (params.accounts * params.regions);
    let start = 1_793_491_200i64 + slot as i64 * 300;
    let day = (slot * 300) / 86_400 + 1;
    let dir = out.join(format!(
        "AWSLogs/{account}/CloudTrail/{region}/2026/11/{:02}",
        day.min(30)
    ));
    fs::create_dir_all(&dir)?;
    let stamp = time_text(start).replace(['-', ':'], "");
    let name = format!(
        "{account}_CloudTrail_{region}_{}Z_{index:08x}.json.gz",
        &stamp[..13]
    );
    let mut json = Vec::with_capacity(params.records_per_file * 1200);
    json.extend_from_slice(b"{\"Records\":[");
    for i in 0..params.records_per_file {
        if i > 0 {
            json.push(b',');
        }
        let time = start + (i as i64 * 300) / params.records_per_file as i64;
        let record = record(&mut rng, &account, region, time, index, i);
        serde_json::to_writer(&mut json, &record)?;
    }
    json.extend_from_slice(b"]}");
    let file = fs::File::create(dir.join(name))?;
    let mut encoder = GzEncoder::new(io::BufWriter::new(file), Compression::default());
    encoder.write_all(&json)?;
    let mut writer = encoder.finish()?;
    writer.flush()?;
    let compressed = writer.get_ref().metadata()?.len();
    Ok((
        params.records_per_file as u64,
        compressed,
        json.len() as u64,
    ))
}

/// `2026-11-01T00:00:00Z` for seconds since the epoch (days from 1 November 2026).
fn time_text(secs: i64) -> String {
    let base = 1_793_491_200i64; // 2026-11-01T00:00:00Z
    let offset = secs - base;
    let day = 1 + offset / 86_400;
    let rem = offset % 86_400;
    format!(
        "2026-11-{:02}T{:02}:{:02}:{:02}Z",
        day.min(30),
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

fn identity(rng: &mut fastrand::Rng, account: &str) -> Value {
    match rng.u8(0..10) {
        0..=5 => {
            let role = ["app", "deploy", "lambda-exec", "ecs-task", "monitoring"][rng.usize(0..5)];
            json!({
                "type": "AssumedRole",
                "principalId": format!("AROA{:016X}:session-{}", rng.u64(..), rng.u16(..)),
                "arn": format!("arn:aws:sts::{account}:assumed-role/{role}/session-{}", rng.u16(..)),
                "accountId": account,
                "accessKeyId": format!("ASIA{:016X}", rng.u64(..)),
                "sessionContext": {
                    "sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLE", "arn": format!("arn:aws:iam::{account}:role/{role}"), "accountId": account, "userName": role},
                    "attributes": {"creationDate": "2026-11-01T00:00:00Z", "mfaAuthenticated": "false"}
                }
            })
        }
        6..=8 => {
            let user = ["alice", "bob", "carol", "dave", "erin"][rng.usize(0..5)];
            json!({
                "type": "IAMUser",
                "principalId": format!("AIDA{:016X}", rng.u64(..)),
                "arn": format!("arn:aws:iam::{account}:user/{user}"),
                "accountId": account,
                "accessKeyId": format!("AKIA{:016X}", rng.u64(..)),
                "userName": user
            })
        }
        _ => json!({"type": "AWSService", "invokedBy": "ec2.amazonaws.com"}),
    }
}

/// One record: all but one in five hundred are calls nobody watches; the rest are the
/// calls detectors read, and one in ten thousand is alarming.
fn record(
    rng: &mut fastrand::Rng,
    account: &str,
    region: &str,
    time: i64,
    file: usize,
    i: usize,
) -> Value {
    let (source, name, request, read_only): (&str, &str, Value, bool) = match rng.u16(0..10_000) {
        0..=2999 => (
            "ec2.amazonaws.com",
            "DescribeInstances",
            json!({"instancesSet": {}, "filterSet": {"items": [{"name": "tag:team", "valueSet": {"items": [{"value": "payments"}]}}]}}),
            true,
        ),
        3000..=4499 => (
            "sts.amazonaws.com",
            "AssumeRole",
            json!({"roleArn": format!("arn:aws:iam::{account}:role/app"), "roleSessionName": format!("s{}", rng.u32(..)), "durationSeconds": 3600}),
            false,
        ),
        4500..=5999 => (
            "kms.amazonaws.com",
            "Decrypt",
            json!({"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"aws:lambda:FunctionArn": format!("arn:aws:lambda:{region}:{account}:function:f{}", rng.u8(..))}}),
            true,
        ),
        6000..=6999 => (
            "logs.amazonaws.com",
            "CreateLogStream",
            json!({"logGroupName": format!("/aws/lambda/f{}", rng.u8(..)), "logStreamName": format!("2026/11/01/[$LATEST]{:032x}", rng.u128(..))}),
            false,
        ),
        7000..=7999 => (
            "ec2.amazonaws.com",
            "DescribeSecurityGroups",
            json!({"securityGroupSet": {}, "securityGroupIdSet": {"items": [{"groupId": format!("sg-{:017x}", rng.u64(..) >> 4)}]}}),
            true,
        ),
        8000..=8999 => (
            "s3.amazonaws.com",
            "ListBuckets",
            json!({"Host": "s3.amazonaws.com"}),
            true,
        ),
        9000..=9979 => (
            "monitoring.amazonaws.com",
            "PutMetricData",
            json!({"namespace": "App", "metricData": [{"metricName": "latency", "value": rng.f64(), "unit": "Milliseconds"}]}),
            false,
        ),
        9980..=9991 => (
            "ec2.amazonaws.com",
            "AuthorizeSecurityGroupIngress",
            {
                let world = rng.u8(0..20) == 0;
                let port = [443u16, 8080, 5432, 22, 9042, 6379][rng.usize(0..6)];
                let cidr = if world {
                    "0.0.0.0/0".to_string()
                } else {
                    format!("10.{}.0.0/16", rng.u8(..))
                };
                json!({"groupId": format!("sg-{:017x}", rng.u64(..) >> 4), "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": port, "toPort": port, "groups": {}, "ipRanges": {"items": [{"cidrIp": cidr}]}, "ipv6Ranges": {}, "prefixListIds": {}}]}})
            },
            false,
        ),
        9992..=9997 => (
            "ec2.amazonaws.com",
            "RunInstances",
            json!({"instanceType": "t3.micro", "instancesSet": {"items": [{"imageId": "ami-0example", "minCount": 1, "maxCount": 1}]}}),
            false,
        ),
        9998 => (
            "cloudtrail.amazonaws.com",
            "UpdateTrail",
            json!({"name": "org-trail", "s3BucketName": "org-trail-logs"}),
            false,
        ),
        _ => (
            "cloudtrail.amazonaws.com",
            "StopLogging",
            json!({"name": "org-trail"}),
            false,
        ),
    };
    json!({
        "eventVersion": "1.09",
        "userIdentity": identity(rng, account),
        "eventTime": time_text(time),
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": format!("{}.{}.{}.{}", rng.u8(1..224), rng.u8(..), rng.u8(..), rng.u8(..)),
        "userAgent": "aws-sdk-go-v2/1.30.0 os/linux lang/go#1.22.5 md/GOOS#linux api/ec2#1.170.0",
        "requestParameters": request,
        "responseElements": null,
        "requestID": format!("{:08x}-{:04x}-{:04x}", rng.u32(..), rng.u16(..), rng.u16(..)),
        "eventID": format!("{file:08x}-{i:08x}-{:016x}", rng.u64(..)),
        "readOnly": read_only,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": account,
        "eventCategory": "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": format!("{}.{region}.amazonaws.com", source.split('.').next().unwrap_or("ec2"))}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_writes_the_s3_layout_until_the_size_is_reached() {
        let dir = tempfile::tempdir().unwrap();
        let params = TrailParams {
            bytes: 50_000,
            records_per_file: 200,
            seed: 7,
            accounts: 2,
            regions: 2,
        };
        let summary = generate_trail(&params, dir.path()).unwrap();
        assert!(summary.compressed >= 50_000);
        assert_eq!(summary.records, summary.files as u64 * 200);
        let account_dir = dir
            .path()
            .join("AWSLogs/100000000000/CloudTrail/us-east-1/2026/11/01");
        assert!(account_dir.is_dir());
    }

    #[test]
    fn times_are_rfc3339() {
        assert_eq!(time_text(1_793_491_200), "2026-11-01T00:00:00Z");
        assert_eq!(
            time_text(1_793_491_200 + 86_400 + 3_661),
            "2026-11-02T01:01:01Z"
        );
    }
}
