//! `ringfence trail PATH...`: who opened what, and when, from CloudTrail logs.

use crate::Outcome;
use crate::args::OutputArgs;
use crate::node::finish_styled;
use crate::output::style;
use clap::Args;
use ringfence_findings::Severity;
use ringfence_policy::Settings;
use ringfence_trail::{
    BusinessHours, DETECTORS, Engine, State, TrailConfig, Window, parse_duration,
};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct TrailArgs {
    /// CloudTrail log files or folders (the S3 layout
    /// `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz`, plain `.json`), and
    /// files of EventBridge "AWS API Call via CloudTrail" events, one per line.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// A snapshot folder of the estate before the logs begin: groups' existing rules,
    /// instances' groups and prefix-list entries make the judgement exact.
    #[arg(long, value_name = "SNAPSHOT_DIR")]
    pub estate: Option<PathBuf>,
    /// Run only these detectors (ids, comma-separated); default: every enabled one.
    #[arg(long = "detector", value_name = "ID", value_delimiter = ',')]
    pub detectors: Vec<String>,
    /// Never run these detectors.
    #[arg(long = "exclude-detector", value_name = "ID", value_delimiter = ',')]
    pub exclude: Vec<String>,
    /// The config file (default: ./ringfence.toml when present): its `[trail]` section,
    /// and the catalog, common ports and wide-range threshold the exposure checks use.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A rule opened to the internet and closed within this is reported [default: 30m].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub flap_window: Option<jiff::SignedDuration>,
    /// A burst of security-group changes by one principal: N changes within DURATION
    /// [default: 10/10m].
    #[arg(long, value_name = "N/DURATION", value_parser = parse_burst)]
    pub burst: Option<(usize, jiff::SignedDuration)>,
    /// API calls the root user may make without a finding (comma-separated event names,
    /// e.g. ConsoleLogin).
    #[arg(long, value_name = "EVENT", value_delimiter = ',')]
    pub root_allowed: Vec<String>,
    /// Regions snapshots may be copied into (comma-separated); without it, any copy into
    /// another region is reported.
    #[arg(long, value_name = "REGION", value_delimiter = ',')]
    pub snapshot_regions: Option<Vec<String>>,
    /// Instance types to launch only within business hours (comma-separated; `p4d.*` is
    /// a family, `*.metal`); default: the GPU, accelerator and very-large families.
    #[arg(long, value_name = "TYPE", value_delimiter = ',')]
    pub instance_types: Vec<String>,
    /// When the watched instance types may be launched: days, hours and an IANA time
    /// zone [default: Mon-Fri 08:00-19:00 UTC].
    #[arg(long, value_name = "HOURS", value_parser = BusinessHours::parse)]
    pub business_hours: Option<BusinessHours>,
    /// Judge only events at or after this time: RFC 3339 (`2026-11-20T09:00:00Z`) or a
    /// duration back from now (`24h`). Files delivered before it are not opened.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub since: Option<jiff::Timestamp>,
    /// Judge only events before this time (RFC 3339, or a duration back from now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub until: Option<jiff::Timestamp>,
    /// The table shows the findings in the order they happened, one line each.
    #[arg(long)]
    pub timeline: bool,
    /// Exit 1 only for findings at or above this severity.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity, default_value = "info")]
    pub fail_on: Severity,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    text.parse()
}

/// RFC 3339, or a duration back from now (`SOURCE_DATE_EPOCH` moves now, for tests).
fn parse_time(text: &str) -> Result<jiff::Timestamp, String> {
    if let Ok(at) = text.trim().parse::<jiff::Timestamp>() {
        return Ok(at);
    }
    let back = parse_duration(text).map_err(|_| {
        format!("{text:?} is neither an RFC 3339 time (2026-11-20T09:00:00Z) nor a duration (24h)")
    })?;
    let now = jiff::Timestamp::from_second(ringfence_findings::time::Timestamp::now().0)
        .map_err(|e| e.to_string())?;
    now.checked_sub(back).map_err(|e| e.to_string())
}

fn parse_burst(text: &str) -> Result<(usize, jiff::SignedDuration), String> {
    let (count, window) = text
        .split_once('/')
        .ok_or_else(|| format!("{text:?}: expected N/DURATION, e.g. 20/10m"))?;
    let count: usize = count
        .trim()
        .parse()
        .ok()
        .filter(|n| *n >= 2)
        .ok_or_else(|| format!("{text:?}: N must be a whole number of at least 2"))?;
    Ok((count, parse_duration(window)?))
}

pub fn run(args: &TrailArgs) -> Result<Outcome, String> {
    let settings = Settings::locate(args.config.as_deref()).map_err(|e| e.to_string())?;
    let file = &settings.trail;
    let defaults = TrailConfig::default();
    let (burst_changes, burst_window) = args
        .burst
        .or(file.burst)
        .unwrap_or((defaults.burst_changes, defaults.burst_window));
    // The command line wins over the file, the file over the defaults.
    let either = |flag: &Vec<String>, file: &Vec<String>| {
        if flag.is_empty() {
            file.clone()
        } else {
            flag.clone()
        }
    };
    let config = TrailConfig {
        checks: settings.config.clone(),
        flap_window: args
            .flap_window
            .or(file.flap_window)
            .unwrap_or(defaults.flap_window),
        burst_changes,
        burst_window,
        root_allowed: either(&args.root_allowed, &file.root_allowed),
        snapshot_regions: args
            .snapshot_regions
            .clone()
            .or_else(|| file.snapshot_regions.clone()),
        watched_instance_types: either(&args.instance_types, &file.instance_types),
        business_hours: args
            .business_hours
            .clone()
            .or_else(|| file.business_hours.clone())
            .unwrap_or(defaults.business_hours),
    };
    let mut detectors = Vec::new();
    for id in &args.detectors {
        detectors.push(ringfence_trail::detect::find(id).ok_or_else(|| unknown(id))?);
    }
    for id in &args.exclude {
        ringfence_trail::detect::find(id).ok_or_else(|| unknown(id))?;
    }
    if detectors.is_empty() {
        detectors = DETECTORS
            .iter()
            .copied()
            .filter(|d| ringfence_trail::detect::enabled(d))
            .collect();
    }
    detectors.retain(|d| {
        !args
            .exclude
            .iter()
            .any(|x| d.meta.id.eq_ignore_ascii_case(x.trim()))
    });
    let state = match &args.estate {
        Some(dir) => State::from_estate(&ringfence_snapshot::load(dir).map_err(|e| e.to_string())?),
        None => State::default(),
    };
    if let (Some(since), Some(until)) = (args.since, args.until)
        && since >= until
    {
        return Err(format!("--since {since} is not before --until {until}"));
    }
    let window = Window {
        since: args.since,
        until: args.until,
    };
    let report = ringfence_trail::analyse(
        &args.paths,
        &window,
        Engine::with(&config, state, detectors),
    )
    .map_err(|e| e.to_string())?;
    for gap in &report.incomplete {
        eprintln!(
            "ringfence: warning: {}: {}",
            gap.subject.as_deref().unwrap_or(&gap.kind),
            gap.reason
        );
    }
    let mut style = style(&args.output);
    style.timeline = args.timeline;
    finish_styled(&report, &args.output, args.fail_on, style)
}

fn unknown(id: &str) -> String {
    let known: Vec<&str> = DETECTORS.iter().map(|d| d.meta.id).collect();
    format!("unknown detector {id:?} (known: {})", known.join(", "))
}
