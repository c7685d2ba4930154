//! Detectors: each is metadata (like a check's) plus one function from an event, and
//! the state just before it, to findings.

mod audit;
mod groups;
mod path;

use crate::config::TrailConfig;
use crate::event::Event;
use crate::state::{GroupChange, Key, State};
use jiff::Timestamp;
use ringfence_checks::Check;
use ringfence_findings::frameworks::{CIS_AWS, NIST_800_53};
use ringfence_findings::{
    CheckMeta, Compliance, EventEvidence, Finding, RelatedEvent, Resource, ResourceType, Severity,
    Status,
};
use std::collections::{HashMap, VecDeque};

/// A detector: its metadata, and the function that judges one event.
pub struct Detector {
    pub meta: CheckMeta,
    pub run: fn(&mut Ctx<'_>, &Event, Option<&GroupChange>, &mut Vec<Finding>),
}

impl std::fmt::Debug for Detector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detector")
            .field("id", &self.meta.id)
            .finish()
    }
}

/// Every detector, in report order.
pub static DETECTORS: &[&Detector] = &[
    &groups::INGRESS_OPENED,
    &groups::OPENED_AND_CLOSED,
    &groups::CHANGE_BURST,
    &path::NETWORK_ACL_OPENED,
    &path::ROUTE_TO_INTERNET_GATEWAY,
    &path::ADDRESS_ONTO_OPEN_INSTANCE,
    &audit::TRAIL_WEAKENED,
    &audit::ROOT_ACTIVITY,
    &audit::SNAPSHOT_COPIED_OUT,
    &audit::INSTANCE_TYPE_OFF_HOURS,
];

/// A detector by id (case-insensitive).
pub fn find(id: &str) -> Option<&'static Detector> {
    DETECTORS
        .iter()
        .copied()
        .find(|d| d.meta.id.eq_ignore_ascii_case(id.trim()))
}

const fn cis(control: &'static str) -> Compliance {
    Compliance {
        framework: CIS_AWS.name,
        control,
    }
}

const fn nist(control: &'static str) -> Compliance {
    Compliance {
        framework: NIST_800_53.name,
        control,
    }
}

/// CIS AWS Foundations 4.x: monitor and alert on these changes.
const CIS_ROOT_USAGE: Compliance = cis("4.3");
const CIS_TRAIL_CHANGES: Compliance = cis("4.5");
const CIS_SG_CHANGES: Compliance = cis("4.10");
const CIS_NACL_CHANGES: Compliance = cis("4.11");
const CIS_ROUTE_CHANGES: Compliance = cis("4.13");
const AUDIT_REVIEW: Compliance = nist("AU-6");
const CONFIG_CHANGE_CONTROL: Compliance = nist("CM-3");
const BOUNDARY: Compliance = nist("SC-7");

/// What detectors share: the settings, what the trail taught so far, and each stateful
/// detector's memory.
pub struct Ctx<'c> {
    pub config: &'c TrailConfig,
    pub state: State,
    /// Rules opened to the internet and not yet closed: (group, rule) -> the opening.
    opened: HashMap<(Key, String), Opening>,
    /// Security-group changes per principal, within the burst window.
    changes: HashMap<String, Burst>,
    /// The checks that judge a group's ingress (the exposure checks on security groups).
    checks: Vec<&'static Check>,
    /// Address associations the address detector could not judge (instance unknown).
    unjudged: u64,
}

/// One principal's recent security-group changes.
#[derive(Debug, Default)]
struct Burst {
    recent: VecDeque<(Timestamp, RelatedEvent)>,
    /// A burst was reported and has not ended: the time of its latest change.
    reported: Option<Timestamp>,
}

#[derive(Clone, Debug)]
struct Opening {
    time: Timestamp,
    evidence: EventEvidence,
    rule: String,
}

/// Runs the detectors over events in time order.
pub struct Engine<'c> {
    ctx: Ctx<'c>,
    detectors: Vec<&'static Detector>,
}

impl<'c> Engine<'c> {
    /// The detectors that are on: the default ones, and the configured ones whose
    /// settings are given (the allowed snapshot regions, the watched instance types).
    pub fn new(config: &'c TrailConfig, state: State) -> Self {
        let detectors = DETECTORS.iter().copied().filter(|d| enabled(d)).collect();
        Engine::with(config, state, detectors)
    }

    pub fn with(config: &'c TrailConfig, state: State, detectors: Vec<&'static Detector>) -> Self {
        let checks = ringfence_checks::REGISTRY
            .iter()
            .copied()
            .filter(|c| {
                c.meta.resource_type == ResourceType::AwsEc2SecurityGroup
                    && c.meta.categories.contains(&"internet-exposed")
                    // Port 80 is a common port: opening it is not the alarm.
                    && !c.meta.id.ends_with("_to_port_80")
            })
            .collect();
        Engine {
            ctx: Ctx {
                config,
                state,
                opened: HashMap::new(),
                changes: HashMap::new(),
                checks,
                unjudged: 0,
            },
            detectors,
        }
    }

    pub fn detectors(&self) -> &[&'static Detector] {
        &self.detectors
    }

    /// Events a detector could not judge for want of data, by detector id.
    pub fn unjudged(&self) -> Vec<(&'static str, u64)> {
        vec![(path::ADDRESS_ONTO_OPEN_INSTANCE.meta.id, self.ctx.unjudged)]
    }

    /// Judges one event (events must come in time order), then learns from it.
    pub fn observe(&mut self, event: &Event) -> Vec<Finding> {
        let change = self.ctx.state.apply(event);
        let mut findings = Vec::new();
        for detector in &self.detectors {
            (detector.run)(&mut self.ctx, event, change.as_ref(), &mut findings);
        }
        findings
    }
}

/// Whether a detector runs without being named: its metadata says.
pub fn enabled(detector: &Detector) -> bool {
    detector.meta.enablement.is_default()
}

/// A failing finding of `meta` about `resource`, carrying the event.
fn finding(
    meta: &'static CheckMeta,
    event: &Event,
    kind: ResourceType,
    id: &str,
    message: String,
) -> Finding {
    let resource = Resource {
        kind,
        id: id.to_string(),
        name: None,
        region: event.region.clone(),
        account: event.account.clone(),
        location: None,
    };
    let mut finding = Finding::new(meta, Status::Fail, resource, message);
    finding.event = Some(Box::new(event.evidence()));
    finding
}

/// `by arn:aws:iam::1:user/alice from 203.0.113.9 at 2026-11-22T08:00:00Z`.
fn by(event: &Event) -> String {
    let mut text = format!("by {}", event.actor.label());
    if let Some(ip) = &event.actor.source_ip {
        text.push_str(&format!(" from {ip}"));
    }
    text.push_str(&format!(" at {}", event.time_text));
    text
}

/// The internet as the checks count it: all of it, or a public range at least as wide
/// as the wide-range threshold.
fn reaches_internet(ctx: &Ctx<'_>, reach: &ringfence_exposure::Reach) -> bool {
    reach.is_world() || reach.is_wide(ctx.config.checks.wide)
}

fn raise(severity: Severity) -> Severity {
    match severity {
        Severity::Info => Severity::Low,
        Severity::Low => Severity::Medium,
        Severity::Medium => Severity::High,
        Severity::High | Severity::Critical => Severity::Critical,
    }
}
