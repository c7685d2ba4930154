//! The audit trail of one account and region: VPC flow logs (EC2), CloudTrail trails and
//! their status, AWS Config recorders and their status. Read beside the network, with
//! the same concurrency limit; each call that fails is kept as a failure of its kind, so
//! the checks that need it answer SKIP with the reason (AccessDenied is common: these
//! need permissions an exposure-only policy lacks), never PASS.

use crate::error::reason;
use crate::json::{Layout, document};
use ringfence_model::ResourceKind;
use ringfence_snapshot::{Failure, RegionDocuments};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The clients of one account and region.
pub(crate) struct Clients {
    pub ec2: aws_sdk_ec2::Client,
    pub cloudtrail: aws_sdk_cloudtrail::Client,
    pub config: aws_sdk_config::Client,
}

/// What was read: documents by kind, trail statuses by name, failures.
#[derive(Default)]
pub(crate) struct Audit {
    documents: Vec<(ResourceKind, Vec<u8>)>,
    trail_status: Vec<(String, Vec<u8>)>,
    failures: Vec<Failure>,
}

impl Audit {
    fn record(&mut self, kind: ResourceKind, result: Result<Vec<u8>, String>) {
        match result {
            Ok(bytes) => self.documents.push((kind, bytes)),
            Err(why) => self.failures.push(Failure {
                kind,
                subject: None,
                reason: why,
            }),
        }
    }

    pub fn merge_into(self, docs: &mut RegionDocuments) {
        docs.documents.extend(self.documents);
        docs.trail_status.extend(self.trail_status);
        docs.failures.extend(self.failures);
    }
}

/// Reads the four audit kinds of one region; `on_done` is told as each ends.
pub(crate) async fn region(
    clients: &Clients,
    limit: Arc<Semaphore>,
    layout: Layout,
    on_done: impl Fn(ResourceKind) + Send + Sync,
) -> Audit {
    let (flow_logs, trails, recorders, status) = tokio::join!(
        async {
            let _permit = limit.acquire().await;
            let result = clients
                .ec2
                .describe_flow_logs()
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>()
                .await
                .map(|logs| {
                    let logs: Vec<Value> = logs.iter().map(flow_log).collect();
                    document(layout, "FlowLogs", &logs)
                })
                .map_err(reason);
            on_done(ResourceKind::FlowLogs);
            result
        },
        async {
            let result = {
                let _permit = limit.acquire().await;
                clients.cloudtrail.describe_trails().send().await
            };
            let result = match result {
                Ok(out) => {
                    let names: Vec<(String, String)> = out
                        .trail_list()
                        .iter()
                        .filter_map(|t| {
                            let name = t.name()?.to_string();
                            let id = t.trail_arn().map_or(name.clone(), str::to_string);
                            Some((name, id))
                        })
                        .collect();
                    let trails: Vec<Value> = out.trail_list().iter().map(trail).collect();
                    let doc = document(layout, "trailList", &trails);
                    let statuses =
                        futures_util::future::join_all(names.into_iter().map(|(name, id)| {
                            let limit = Arc::clone(&limit);
                            async move {
                                let _permit = limit.acquire().await;
                                let status = clients
                                    .cloudtrail
                                    .get_trail_status()
                                    .name(id)
                                    .send()
                                    .await
                                    .map(|s| trail_status(layout, s.is_logging()))
                                    .map_err(reason);
                                (name, status)
                            }
                        }))
                        .await;
                    Ok((doc, statuses))
                }
                Err(e) => Err(reason(e)),
            };
            on_done(ResourceKind::Trails);
            result
        },
        async {
            let _permit = limit.acquire().await;
            let result = clients
                .config
                .describe_configuration_recorders()
                .send()
                .await
                .map(|out| {
                    let recorders: Vec<Value> =
                        out.configuration_recorders().iter().map(recorder).collect();
                    document(layout, "ConfigurationRecorders", &recorders)
                })
                .map_err(reason);
            on_done(ResourceKind::ConfigRecorders);
            result
        },
        async {
            let _permit = limit.acquire().await;
            let result = clients
                .config
                .describe_configuration_recorder_status()
                .send()
                .await
                .map(|out| {
                    let statuses: Vec<Value> = out
                        .configuration_recorders_status()
                        .iter()
                        .map(recorder_status)
                        .collect();
                    document(layout, "ConfigurationRecordersStatus", &statuses)
                })
                .map_err(reason);
            on_done(ResourceKind::ConfigRecorderStatus);
            result
        },
    );
    let mut audit = Audit::default();
    audit.record(ResourceKind::FlowLogs, flow_logs);
    match trails {
        Ok((doc, statuses)) => {
            audit.documents.push((ResourceKind::Trails, doc));
            for (name, status) in statuses {
                match status {
                    Ok(bytes) => audit.trail_status.push((name, bytes)),
                    Err(why) => audit.failures.push(Failure {
                        kind: ResourceKind::TrailStatus,
                        subject: Some(name),
                        reason: why,
                    }),
                }
            }
        }
        Err(why) => audit.record(ResourceKind::Trails, Err(why)),
    }
    audit.record(ResourceKind::ConfigRecorders, recorders);
    audit.record(ResourceKind::ConfigRecorderStatus, status);
    audit
}

/// Inserts the fields that are present, as the AWS CLI leaves absent ones out.
fn fields(pairs: &[(&str, Option<Value>)]) -> Value {
    let mut map = Map::new();
    for (key, value) in pairs {
        if let Some(value) = value {
            map.insert((*key).to_string(), value.clone());
        }
    }
    Value::Object(map)
}

fn s(value: Option<&str>) -> Option<Value> {
    value.map(|v| Value::String(v.to_string()))
}

fn flow_log(f: &aws_sdk_ec2::types::FlowLog) -> Value {
    let tags: Vec<Value> = f
        .tags()
        .iter()
        .map(|t| fields(&[("Key", s(t.key())), ("Value", s(t.value()))]))
        .collect();
    fields(&[
        ("FlowLogId", s(f.flow_log_id())),
        ("FlowLogStatus", s(f.flow_log_status())),
        ("DeliverLogsStatus", s(f.deliver_logs_status())),
        ("ResourceId", s(f.resource_id())),
        ("TrafficType", s(f.traffic_type().map(|t| t.as_str()))),
        (
            "LogDestinationType",
            s(f.log_destination_type().map(|t| t.as_str())),
        ),
        ("LogDestination", s(f.log_destination())),
        ("LogGroupName", s(f.log_group_name())),
        ("Tags", Some(Value::Array(tags))),
    ])
}

fn trail(t: &aws_sdk_cloudtrail::types::Trail) -> Value {
    fields(&[
        ("Name", s(t.name())),
        ("S3BucketName", s(t.s3_bucket_name())),
        (
            "IncludeGlobalServiceEvents",
            t.include_global_service_events().map(Value::Bool),
        ),
        (
            "IsMultiRegionTrail",
            t.is_multi_region_trail().map(Value::Bool),
        ),
        ("HomeRegion", s(t.home_region())),
        ("TrailARN", s(t.trail_arn())),
        (
            "LogFileValidationEnabled",
            t.log_file_validation_enabled().map(Value::Bool),
        ),
        (
            "IsOrganizationTrail",
            t.is_organization_trail().map(Value::Bool),
        ),
    ])
}

fn trail_status(layout: Layout, is_logging: Option<bool>) -> Vec<u8> {
    let value = fields(&[("IsLogging", is_logging.map(Value::Bool))]);
    let printed = match layout {
        Layout::Compact => serde_json::to_vec(&value),
        Layout::Indented => serde_json::to_vec_pretty(&value),
    };
    printed.unwrap_or_default()
}

fn recorder(r: &aws_sdk_config::types::ConfigurationRecorder) -> Value {
    let group = r.recording_group().map(|g| {
        json!({
            "allSupported": g.all_supported(),
            "includeGlobalResourceTypes": g.include_global_resource_types(),
        })
    });
    fields(&[
        ("name", s(r.name())),
        ("roleARN", s(r.role_arn())),
        ("recordingGroup", group),
    ])
}

fn recorder_status(r: &aws_sdk_config::types::ConfigurationRecorderStatus) -> Value {
    fields(&[
        ("name", s(r.name())),
        ("recording", Some(Value::Bool(r.recording()))),
        ("lastStatus", s(r.last_status().map(|l| l.as_str()))),
        ("lastErrorCode", s(r.last_error_code())),
    ])
}
