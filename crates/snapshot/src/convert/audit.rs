//! Flow logs, CloudTrail trails and their status, AWS Config recorders and their status:
//! small optional files, parsed into owned values. A trail's or recorder's status arrives
//! in another file and is matched by name in [`Builder::finish`](super::Builder::finish).

use super::{Builder, origin, tags};
use crate::aws_json::Tag;
use crate::error::{SnapshotError, parse_json};
use ringfence_model::{ConfigRecorder, FlowLog, Incomplete, ResourceKind, Trail};
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws ec2 describe-flow-logs`"
)]
struct FlowLogsFile<'a> {
    #[serde(default, borrow)]
    flow_logs: Vec<RawFlowLog<'a>>,
    #[serde(default)]
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a flow log object")]
struct RawFlowLog<'a> {
    flow_log_id: String,
    resource_id: String,
    #[serde(default)]
    flow_log_status: Option<String>,
    #[serde(default)]
    traffic_type: Option<String>,
    #[serde(default)]
    deliver_logs_status: Option<String>,
    #[serde(default, borrow)]
    tags: Option<Vec<Tag<'a>>>,
}

#[derive(Deserialize)]
#[serde(expecting = "the JSON object printed by `aws cloudtrail describe-trails`")]
struct TrailsFile {
    #[serde(rename = "trailList", default)]
    trails: Vec<RawTrail>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a trail object")]
struct RawTrail {
    name: String,
    #[serde(rename = "TrailARN", default)]
    trail_arn: Option<String>,
    #[serde(default)]
    home_region: Option<String>,
    #[serde(default)]
    is_multi_region_trail: Option<bool>,
    #[serde(default)]
    is_organization_trail: Option<bool>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws cloudtrail get-trail-status`"
)]
struct TrailStatusFile {
    is_logging: bool,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws configservice describe-configuration-recorders`"
)]
struct RecordersFile {
    #[serde(default)]
    configuration_recorders: Vec<RawRecorder>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "camelCase",
    expecting = "a configuration recorder object"
)]
struct RawRecorder {
    name: String,
    #[serde(default)]
    recording_group: Option<RecordingGroup>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecordingGroup {
    #[serde(default)]
    all_supported: Option<bool>,
}

#[derive(Deserialize)]
#[serde(
    expecting = "the JSON object printed by `aws configservice describe-configuration-recorder-status`"
)]
struct RecorderStatusFile {
    #[serde(rename = "ConfigurationRecordersStatus", default)]
    statuses: Vec<RawRecorderStatus>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "camelCase",
    expecting = "a configuration recorder status object"
)]
struct RawRecorderStatus {
    name: String,
    #[serde(default)]
    recording: Option<bool>,
    #[serde(default)]
    last_status: Option<String>,
}

/// A recorder's status, waiting for its recorder.
#[derive(Clone, Debug)]
pub(crate) struct RecorderStatus {
    pub name: String,
    pub recording: Option<bool>,
    pub last_status: Option<String>,
}

pub(super) fn flow_logs(b: &mut Builder, bytes: &[u8], path: &Path) -> Result<(), SnapshotError> {
    const KIND: ResourceKind = ResourceKind::FlowLogs;
    let file: FlowLogsFile = parse_json(bytes, path, KIND)?;
    let file_id = b.file(path);
    if file.next_token.as_deref().is_some_and(|t| !t.is_empty()) {
        // A partial list could miss the one flow log a VPC has: unknown, not "none".
        b.unread(
            KIND,
            None,
            format!(
                "{}.json holds only the first page (it has a NextToken)",
                KIND.command()
            ),
        );
    }
    for (i, raw) in file.flow_logs.into_iter().enumerate() {
        b.estate.flow_logs.push(FlowLog {
            id: raw.flow_log_id,
            resource_id: raw.resource_id,
            status: raw.flow_log_status,
            traffic_type: raw.traffic_type,
            deliver_status: raw.deliver_logs_status,
            tags: tags(raw.tags.unwrap_or_default()),
            origin: origin(file_id, i),
        });
    }
    Ok(())
}

pub(super) fn trails(b: &mut Builder, bytes: &[u8], path: &Path) -> Result<(), SnapshotError> {
    let file: TrailsFile = parse_json(bytes, path, ResourceKind::Trails)?;
    let file_id = b.file(path);
    for (i, raw) in file.trails.into_iter().enumerate() {
        b.estate.trails.push(Trail {
            name: raw.name,
            arn: raw.trail_arn,
            home_region: raw.home_region,
            is_multi_region: raw.is_multi_region_trail.unwrap_or(false),
            is_organization_trail: raw.is_organization_trail.unwrap_or(false),
            is_logging: None,
            origin: origin(file_id, i),
        });
    }
    Ok(())
}

/// `get-trail-status/<name>.json`.
pub(super) fn trail_status(
    b: &mut Builder,
    name: &str,
    bytes: &[u8],
    path: &Path,
) -> Result<(), SnapshotError> {
    let file: TrailStatusFile = parse_json(bytes, path, ResourceKind::TrailStatus)?;
    b.trail_status.push((name.to_string(), file.is_logging));
    Ok(())
}

pub(super) fn recorders(b: &mut Builder, bytes: &[u8], path: &Path) -> Result<(), SnapshotError> {
    let file: RecordersFile = parse_json(bytes, path, ResourceKind::ConfigRecorders)?;
    let file_id = b.file(path);
    for (i, raw) in file.configuration_recorders.into_iter().enumerate() {
        b.estate.config_recorders.push(ConfigRecorder {
            name: raw.name,
            all_supported: raw
                .recording_group
                .and_then(|g| g.all_supported)
                .unwrap_or(false),
            recording: None,
            last_status: None,
            origin: origin(file_id, i),
        });
    }
    Ok(())
}

pub(super) fn recorder_status(
    b: &mut Builder,
    bytes: &[u8],
    path: &Path,
) -> Result<(), SnapshotError> {
    let file: RecorderStatusFile = parse_json(bytes, path, ResourceKind::ConfigRecorderStatus)?;
    b.recorder_status
        .extend(file.statuses.into_iter().map(|s| RecorderStatus {
            name: s.name,
            recording: s.recording,
            last_status: s.last_status,
        }));
    Ok(())
}

/// Puts each status on its trail or recorder; one whose status was not read stays
/// `None`, and says so, when its kind was read at all.
pub(super) fn settle(b: &mut Builder) {
    let trail_status = std::mem::take(&mut b.trail_status);
    let recorder_status = std::mem::take(&mut b.recorder_status);
    let mut unknown = Vec::new();
    for trail in &mut b.estate.trails {
        trail.is_logging = trail_status
            .iter()
            .find(|(name, _)| *name == trail.name)
            .map(|(_, logging)| *logging);
        if trail.is_logging.is_none() {
            unknown.push(Incomplete {
                scope: super::SCOPE,
                kind: ResourceKind::TrailStatus,
                subject: Some(trail.name.clone()),
                reason: format!(
                    "{}/{}.json is missing: whether trail {} is logging is unknown",
                    ResourceKind::TrailStatus.command(),
                    trail.name,
                    trail.name
                ),
            });
        }
    }
    let status_read = !b
        .estate
        .unread
        .iter()
        .any(|gap| gap.kind == ResourceKind::ConfigRecorderStatus);
    for recorder in &mut b.estate.config_recorders {
        if let Some(status) = recorder_status.iter().find(|s| s.name == recorder.name) {
            recorder.recording = status.recording;
            recorder.last_status = status.last_status.clone();
        } else if status_read {
            // The status file was read and does not list it: it has never recorded.
            recorder.recording = Some(false);
        }
    }
    b.estate.unread.extend(unknown);
}
