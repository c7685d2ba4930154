//! After the fact: who opened what, and when. Reads CloudTrail logs and EventBridge
//! events, replays the security-relevant calls against what is known of the estate, and
//! reports them as findings with the actor, the time and the event.
//!
//! Data flows one way, as in a scan: files -> [`read`] -> events in time order ->
//! [`Engine`] (detectors over a learned [`State`]) -> findings -> the report.

pub mod config;
pub mod detect;
pub mod event;
pub mod read;
pub mod state;

pub use config::{BusinessHours, TrailConfig, parse_duration};
pub use detect::{DETECTORS, Detector, Engine};
pub use event::Event;
pub use read::{
    Input, Problem, ReadError, ReadStats, Window, parse_event, read, read_event, stream,
    stream_within,
};
pub use state::State;

use ringfence_findings::{Finding, IncompleteEntry, Report, TimelineEntry, TrailOutcome};
use std::cmp::Reverse;
use std::collections::BTreeMap;

/// Reads `paths` a batch of files at a time and runs `engine` over the events as they
/// come: memory holds one batch, the detectors' state and the findings.
pub fn analyse(
    paths: &[std::path::PathBuf],
    window: &Window,
    mut engine: Engine<'_>,
) -> Result<Report, ReadError> {
    let mut findings: Vec<Finding> = Vec::new();
    let (stats, problems) = stream_within(paths, window, |batch| {
        for event in &batch {
            findings.extend(engine.observe(event));
        }
    })?;
    Ok(build(findings, stats, problems, &engine))
}

/// Runs `engine` over what was read and builds the report: findings worst first, the
/// timeline in event order, every unreadable file and skipped record listed as
/// incomplete.
pub fn report(input: Input, mut engine: Engine<'_>) -> Report {
    let mut findings: Vec<Finding> = Vec::new();
    for event in &input.events {
        findings.extend(engine.observe(event));
    }
    build(findings, input.stats, input.problems, &engine)
}

fn build(
    findings: Vec<Finding>,
    stats: ReadStats,
    problems: Vec<Problem>,
    engine: &Engine<'_>,
) -> Report {
    let detectors_run = engine.detectors().len();
    let unjudged = engine.unjudged();
    let mut incomplete: Vec<IncompleteEntry> = problems
        .iter()
        .map(|p| IncompleteEntry {
            account: None,
            region: String::new(),
            kind: "cloudtrail-log".to_string(),
            subject: Some(match &p.place {
                Some(place) => format!("{}: {place}", p.file),
                None => p.file.clone(),
            }),
            reason: p.reason.clone(),
        })
        .collect();
    for (reason, count) in &stats.skipped {
        incomplete.push(IncompleteEntry {
            account: None,
            region: String::new(),
            kind: "cloudtrail-record".to_string(),
            subject: None,
            reason: format!("{count} skipped: {reason}"),
        });
    }
    // The timeline is in event order (the engine saw them so); the findings list is
    // worst first.
    let mut report = Report::new(findings, incomplete, detectors_run);
    let timeline = report
        .findings
        .iter()
        .filter_map(|f| {
            let event = f.event.as_ref()?;
            Some(TimelineEntry {
                time: event.time.clone(),
                event_name: event.event_name.clone(),
                event_id: event.event_id.clone(),
                region: f.resource.region.clone(),
                account: f.resource.account.clone(),
                actor: event.actor.label().to_string(),
                check_id: f.check_id.to_string(),
                severity: f.severity,
                status: f.status,
                resource_id: f.resource.id.clone(),
                message: f.message.clone(),
                fingerprint: f.fingerprint.clone(),
            })
        })
        .collect();
    let order = |id: &str| DETECTORS.iter().position(|d| d.meta.id == id);
    report.findings.sort_by_cached_key(|f| {
        (
            f.status,
            Reverse(f.severity),
            order(f.check_id),
            f.event.as_ref().map(|e| e.time.clone()),
        )
    });
    report.trail = Some(TrailOutcome {
        files: stats.files,
        records: stats.records,
        analysed: stats.analysed,
        skipped: stats.skipped,
        ignored: stats.ignored,
        unjudged: unjudged
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(id, n)| (id.to_string(), n))
            .collect::<BTreeMap<_, _>>(),
        bytes: stats.bytes,
        outside_window_files: stats.outside_window_files,
        outside_window_records: stats.outside_window_records,
        timeline,
    });
    report
}
