//! `ringfence respond --event FILE`: the Lambda responder's handler, run here on one
//! event or scheduled request (dry runs, tests, replaying what the function received).

use crate::Outcome;
use clap::Args;
use ringfence_respond::{Log, Responder, handle};
use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

/// Flags override the environment variables the Lambda function reads (README,
/// "Responding in real time"); anything not given as a flag is read from them.
#[derive(Args, Debug)]
pub struct RespondArgs {
    /// The event: an EventBridge CloudTrail event, a CloudTrail record, or a scheduled
    /// request (`{"ringfence": "scan", ...}`); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub event: PathBuf,
    /// report: findings only; dry-run: plan every action, take none; apply: act.
    /// [env: RINGFENCE_MODE] [default: dry-run]
    #[arg(long, value_name = "MODE")]
    pub mode: Option<String>,
    /// Actions that are on: revoke, start-logging, notify (comma-separated), or none.
    /// [env: RINGFENCE_ACTIONS]
    #[arg(long, value_name = "LIST")]
    pub actions: Option<String>,
    /// The SNS topic notify publishes to. [env: RINGFENCE_SNS_TOPIC_ARN]
    #[arg(long, value_name = "ARN")]
    pub sns_topic_arn: Option<String>,
    /// The bucket scheduled scans write their report to. [env: RINGFENCE_REPORT_BUCKET]
    #[arg(long, value_name = "BUCKET")]
    pub report_bucket: Option<String>,
    /// The checks' config file (ringfence.toml). [env: RINGFENCE_CONFIG]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Endpoint for every AWS call (emulators, VPC endpoints). [env: RINGFENCE_ENDPOINT_URL]
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// AWS profile to use.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
}

pub fn run(args: &RespondArgs) -> Result<Outcome, String> {
    let mut flags: HashMap<&str, String> = HashMap::new();
    let mut set = |name, value: Option<String>| {
        if let Some(v) = value {
            flags.insert(name, v);
        }
    };
    set("RINGFENCE_MODE", args.mode.clone());
    set("RINGFENCE_ACTIONS", args.actions.clone());
    set("RINGFENCE_SNS_TOPIC_ARN", args.sns_topic_arn.clone());
    set("RINGFENCE_REPORT_BUCKET", args.report_bucket.clone());
    set(
        "RINGFENCE_CONFIG",
        args.config.as_ref().map(|p| p.display().to_string()),
    );
    set("RINGFENCE_ENDPOINT_URL", args.endpoint_url.clone());
    let mut responder = Responder::from_lookup(|name| {
        flags
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok())
    })?;
    responder.aws.profile = args.profile.clone();
    responder.log = Log::stderr();

    let input = if args.event.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("standard input: {e}"))?;
        buf
    } else {
        std::fs::read(&args.event).map_err(|e| format!("{}: {e}", args.event.display()))?
    };
    let outcome =
        handle(&input, &responder).map_err(|e| format!("{}: {e}", args.event.display()))?;
    let text = serde_json::to_string_pretty(&outcome).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(if outcome.failed() {
        Outcome::Incomplete
    } else if outcome.has_findings() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
