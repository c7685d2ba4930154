//! The responder's settings, read from environment variables (a Lambda function's
//! configuration). Every variable is documented in the README, "Responding in real
//! time"; a wrong value is an error naming the variable, before any event is handled.

use ringfence_findings::Severity;
use ringfence_policy::Settings;
use ringfence_trail::{BusinessHours, DETECTORS, Detector, TrailConfig};
use serde::Serialize;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// What the responder may do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Findings only: no action is planned or taken.
    Report,
    /// Every action is planned and shown (the exact rules, the commands), none is taken.
    #[default]
    DryRun,
    /// The actions that are on are taken.
    Apply,
}

impl Mode {
    pub fn parse(text: &str) -> Result<Mode, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "report" => Ok(Mode::Report),
            "dry-run" | "dryrun" | "dry_run" => Ok(Mode::DryRun),
            "apply" => Ok(Mode::Apply),
            other => Err(format!(
                "{other:?} is not a mode: report, dry-run (the default) or apply"
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Report => "report",
            Mode::DryRun => "dry-run",
            Mode::Apply => "apply",
        }
    }
}

/// Which responses are on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Actions {
    /// Revoke the rules an ingress finding names.
    pub revoke: bool,
    /// `StartLogging` on a trail whose logging was stopped.
    pub start_logging: bool,
    /// Publish the findings (and what was done) to the SNS topic.
    pub notify: bool,
}

impl Actions {
    /// `revoke,start-logging,notify`, or `none`.
    pub fn parse(text: &str) -> Result<Actions, String> {
        let mut actions = Actions {
            revoke: false,
            start_logging: false,
            notify: false,
        };
        for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match word.to_ascii_lowercase().as_str() {
                "revoke" => actions.revoke = true,
                "start-logging" | "startlogging" => actions.start_logging = true,
                "notify" => actions.notify = true,
                "none" => {}
                other => {
                    return Err(format!(
                        "{other:?} is not an action: revoke, start-logging, notify (comma-separated), or none"
                    ));
                }
            }
        }
        Ok(actions)
    }
}

/// Where the responder writes its log: the backup of every rule it is about to revoke
/// goes there before anything changes. The Lambda binary writes to stdout (CloudWatch
/// Logs); `ringfence respond` to stderr.
#[derive(Clone)]
pub struct Log(Arc<dyn Fn(&str) + Send + Sync>);

impl Log {
    pub fn new(write: impl Fn(&str) + Send + Sync + 'static) -> Log {
        Log(Arc::new(write))
    }

    pub fn stdout() -> Log {
        Log::new(|line| println!("{line}"))
    }

    pub fn stderr() -> Log {
        Log::new(|line| eprintln!("{line}"))
    }

    pub fn write(&self, line: &str) {
        (self.0)(line);
    }
}

impl fmt::Debug for Log {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Log")
    }
}

/// Detectors that need more than one event (a window, a count): one invocation sees one
/// event, so they never fire here. `ringfence trail` over the logs runs them.
pub const WINDOWED: &[&str] = &[
    "trail_securitygroup_port_opened_and_closed",
    "trail_securitygroup_change_burst",
];

/// Everything the handler needs besides the input.
#[derive(Clone, Debug)]
pub struct Responder {
    pub mode: Mode,
    pub actions: Actions,
    /// `RINGFENCE_SNS_TOPIC_ARN`.
    pub topic_arn: Option<String>,
    /// Findings below this are not published.
    pub notify_min_severity: Severity,
    /// Where scheduled scans put their report unless the request names a bucket.
    pub report_bucket: Option<String>,
    pub report_prefix: String,
    /// The bucket's region, when it is not the function's.
    pub report_bucket_region: Option<String>,
    /// The checks' settings (`RINGFENCE_CONFIG`): the scan and the ingress detector.
    pub settings: Settings,
    pub trail: TrailConfig,
    pub detectors: Vec<&'static Detector>,
    /// How to reach AWS: the function's own credentials; an endpoint for emulators and
    /// VPC endpoints (`RINGFENCE_ENDPOINT_URL`).
    pub aws: ringfence_aws::Options,
    pub log: Log,
}

/// The environment variables the responder reads, in the README's order.
pub const VARIABLES: &[&str] = &[
    "RINGFENCE_MODE",
    "RINGFENCE_ACTIONS",
    "RINGFENCE_SNS_TOPIC_ARN",
    "RINGFENCE_NOTIFY_MIN_SEVERITY",
    "RINGFENCE_REPORT_BUCKET",
    "RINGFENCE_REPORT_PREFIX",
    "RINGFENCE_REPORT_BUCKET_REGION",
    "RINGFENCE_CONFIG",
    "RINGFENCE_DETECTORS",
    "RINGFENCE_EXCLUDE_DETECTORS",
    "RINGFENCE_ROOT_ALLOWED",
    "RINGFENCE_SNAPSHOT_REGIONS",
    "RINGFENCE_INSTANCE_TYPES",
    "RINGFENCE_BUSINESS_HOURS",
    "RINGFENCE_ENDPOINT_URL",
];

impl Responder {
    /// The settings from the process environment.
    pub fn from_env() -> Result<Responder, String> {
        Responder::from_lookup(|name| std::env::var(name).ok())
    }

    /// The settings from `lookup` (a variable's value; empty counts as unset).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Responder, String> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let named = |name: &str, e: String| format!("{name}: {e}");
        let list = |name: &str| -> Vec<String> {
            get(name)
                .map(|v| {
                    v.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };

        let mode = match get("RINGFENCE_MODE") {
            Some(v) => Mode::parse(&v).map_err(|e| named("RINGFENCE_MODE", e))?,
            None => Mode::default(),
        };
        let topic_arn = get("RINGFENCE_SNS_TOPIC_ARN");
        if let Some(arn) = &topic_arn
            && !(arn.starts_with("arn:") && ringfence_aws::respond::arn_region(arn).is_some())
        {
            return Err(format!(
                "RINGFENCE_SNS_TOPIC_ARN: {arn:?} is not a topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)"
            ));
        }
        let actions = match get("RINGFENCE_ACTIONS") {
            Some(v) => Actions::parse(&v).map_err(|e| named("RINGFENCE_ACTIONS", e))?,
            None => Actions {
                revoke: true,
                start_logging: true,
                notify: topic_arn.is_some(),
            },
        };
        if actions.notify && topic_arn.is_none() {
            return Err(
                "RINGFENCE_ACTIONS has notify but RINGFENCE_SNS_TOPIC_ARN is not set".to_string(),
            );
        }
        let notify_min_severity = match get("RINGFENCE_NOTIFY_MIN_SEVERITY") {
            Some(v) => v
                .parse()
                .map_err(|e: String| named("RINGFENCE_NOTIFY_MIN_SEVERITY", e))?,
            None => Severity::Info,
        };
        let settings = match get("RINGFENCE_CONFIG") {
            Some(path) => Settings::load(Path::new(&path))
                .map_err(|e| named("RINGFENCE_CONFIG", e.to_string()))?,
            None => Settings::default(),
        };
        let business_hours = match get("RINGFENCE_BUSINESS_HOURS") {
            Some(v) => {
                BusinessHours::parse(&v).map_err(|e| named("RINGFENCE_BUSINESS_HOURS", e))?
            }
            None => BusinessHours::default(),
        };
        let snapshot_regions =
            get("RINGFENCE_SNAPSHOT_REGIONS").map(|_| list("RINGFENCE_SNAPSHOT_REGIONS"));
        let trail = TrailConfig {
            checks: settings.config.clone(),
            root_allowed: list("RINGFENCE_ROOT_ALLOWED"),
            snapshot_regions,
            watched_instance_types: list("RINGFENCE_INSTANCE_TYPES"),
            business_hours,
            ..TrailConfig::default()
        };
        let detectors = detectors(
            &list("RINGFENCE_DETECTORS"),
            &list("RINGFENCE_EXCLUDE_DETECTORS"),
        )?;
        let aws = ringfence_aws::Options {
            endpoint_url: get("RINGFENCE_ENDPOINT_URL"),
            concurrency: 16,
            timeout: std::time::Duration::from_secs(30),
            quiet: true,
            ..ringfence_aws::Options::default()
        };
        Ok(Responder {
            mode,
            actions,
            topic_arn,
            notify_min_severity,
            report_bucket: get("RINGFENCE_REPORT_BUCKET"),
            report_prefix: get("RINGFENCE_REPORT_PREFIX").unwrap_or_else(|| "ringfence/".into()),
            report_bucket_region: get("RINGFENCE_REPORT_BUCKET_REGION"),
            settings,
            trail,
            detectors,
            aws,
            log: Log::stdout(),
        })
    }
}

/// The detectors that run on one event: the named ones (else every enabled one), minus
/// the excluded ones and the windowed ones (they cannot fire on one event).
fn detectors(named: &[String], excluded: &[String]) -> Result<Vec<&'static Detector>, String> {
    let find = |variable: &str, id: &str| {
        ringfence_trail::detect::find(id).ok_or_else(|| {
            let known: Vec<&str> = DETECTORS.iter().map(|d| d.meta.id).collect();
            format!(
                "{variable}: unknown detector {id:?} (known: {})",
                known.join(", ")
            )
        })
    };
    let mut detectors = Vec::new();
    for id in named {
        let detector = find("RINGFENCE_DETECTORS", id)?;
        if WINDOWED.contains(&detector.meta.id) {
            return Err(format!(
                "RINGFENCE_DETECTORS: {id} needs a window of events and cannot fire on one; run `ringfence trail` over the logs for it"
            ));
        }
        detectors.push(detector);
    }
    for id in excluded {
        find("RINGFENCE_EXCLUDE_DETECTORS", id)?;
    }
    if detectors.is_empty() {
        detectors = DETECTORS
            .iter()
            .copied()
            .filter(|d| ringfence_trail::detect::enabled(d))
            .collect();
    }
    detectors.retain(|d| {
        !WINDOWED.contains(&d.meta.id)
            && !excluded
                .iter()
                .any(|x| d.meta.id.eq_ignore_ascii_case(x.trim()))
    });
    Ok(detectors)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::collections::HashMap;

    fn from(vars: &[(&str, &str)]) -> Result<Responder, String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Responder::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_are_a_dry_run_that_revokes_and_restarts_logging() {
        let r = from(&[]).unwrap();
        assert_eq!(r.mode, Mode::DryRun);
        assert!(r.actions.revoke && r.actions.start_logging && !r.actions.notify);
        assert_eq!(r.report_prefix, "ringfence/");
        for id in WINDOWED {
            assert!(!r.detectors.iter().any(|d| d.meta.id == *id), "{id}");
        }
        assert!(
            r.detectors
                .iter()
                .any(|d| d.meta.id == "trail_securitygroup_ingress_opened_to_internet")
        );
    }

    #[test]
    fn a_topic_turns_notify_on_by_default() {
        let r = from(&[(
            "RINGFENCE_SNS_TOPIC_ARN",
            "arn:aws:sns:us-east-1:123456789012:alerts",
        )])
        .unwrap();
        assert!(r.actions.notify);
        let r = from(&[
            (
                "RINGFENCE_SNS_TOPIC_ARN",
                "arn:aws:sns:us-east-1:123456789012:alerts",
            ),
            ("RINGFENCE_ACTIONS", "revoke"),
        ])
        .unwrap();
        assert!(r.actions.revoke && !r.actions.notify && !r.actions.start_logging);
    }

    #[test]
    fn mistakes_name_the_variable() {
        for (vars, variable) in [
            (vec![("RINGFENCE_MODE", "yolo")], "RINGFENCE_MODE"),
            (
                vec![("RINGFENCE_ACTIONS", "revoke,delete")],
                "RINGFENCE_ACTIONS",
            ),
            (
                vec![("RINGFENCE_ACTIONS", "notify")],
                "RINGFENCE_SNS_TOPIC_ARN",
            ),
            (
                vec![("RINGFENCE_SNS_TOPIC_ARN", "alerts")],
                "RINGFENCE_SNS_TOPIC_ARN",
            ),
            (
                vec![("RINGFENCE_DETECTORS", "trail_nope")],
                "RINGFENCE_DETECTORS",
            ),
            (
                vec![("RINGFENCE_DETECTORS", "trail_securitygroup_change_burst")],
                "RINGFENCE_DETECTORS",
            ),
            (
                vec![("RINGFENCE_BUSINESS_HOURS", "whenever")],
                "RINGFENCE_BUSINESS_HOURS",
            ),
            (
                vec![("RINGFENCE_NOTIFY_MIN_SEVERITY", "dire")],
                "RINGFENCE_NOTIFY_MIN_SEVERITY",
            ),
            (
                vec![("RINGFENCE_CONFIG", "/nonexistent/ringfence.toml")],
                "RINGFENCE_CONFIG",
            ),
        ] {
            let err = from(&vars).unwrap_err();
            assert!(err.contains(variable), "{vars:?}: {err}");
        }
    }

    #[test]
    fn configured_detectors_turn_on_with_their_settings() {
        let r = from(&[
            ("RINGFENCE_SNAPSHOT_REGIONS", "us-east-1,eu-west-1"),
            ("RINGFENCE_INSTANCE_TYPES", "p4d.*"),
            ("RINGFENCE_EXCLUDE_DETECTORS", "trail_root_user_activity"),
        ])
        .unwrap();
        let ids: Vec<&str> = r.detectors.iter().map(|d| d.meta.id).collect();
        assert!(ids.contains(&"trail_snapshot_copied_to_unapproved_region"));
        assert!(ids.contains(&"trail_instance_type_launched_outside_hours"));
        assert!(!ids.contains(&"trail_root_user_activity"));
    }
}
