//! The audit trail around the network: VPC flow logs, CloudTrail trails and AWS Config
//! recorders. Read from optional files; whether they were read at all is in
//! [`crate::Estate::unread`], so a check can tell "none" from "not known".

use crate::{Origin, Tags};

/// One `describe-flow-logs` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowLog {
    pub id: String,
    /// The VPC, subnet or network interface it captures.
    pub resource_id: String,
    /// `ACTIVE` when it delivers; AWS prints no other value today.
    pub status: Option<String>,
    /// `ACCEPT`, `REJECT` or `ALL`.
    pub traffic_type: Option<String>,
    /// `SUCCESS`, or why delivery to the destination fails.
    pub deliver_status: Option<String>,
    pub tags: Tags,
    pub origin: Origin,
}

impl FlowLog {
    /// Logs something: active (or saying nothing about it) and delivering.
    pub fn is_active(&self) -> bool {
        self.status.as_deref().is_none_or(|s| s == "ACTIVE")
            && self
                .deliver_status
                .as_deref()
                .is_none_or(|s| s == "SUCCESS")
    }
}

/// One `describe-trails` entry with its `get-trail-status` answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trail {
    pub name: String,
    pub arn: Option<String>,
    pub home_region: Option<String>,
    pub is_multi_region: bool,
    pub is_organization_trail: bool,
    /// `get-trail-status` `IsLogging`; `None` when the status was not read.
    pub is_logging: Option<bool>,
    pub origin: Origin,
}

/// One `describe-configuration-recorders` entry with its status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigRecorder {
    pub name: String,
    /// `recordingGroup.allSupported`.
    pub all_supported: bool,
    /// `describe-configuration-recorder-status` `recording`; `None` when not read.
    pub recording: Option<bool>,
    /// `lastStatus`: `Success`, `Failure` or `Pending`.
    pub last_status: Option<String>,
    pub origin: Origin,
}
