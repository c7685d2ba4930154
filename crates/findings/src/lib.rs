//! Findings as data: what failed, on which resource, with the evidence and the check's
//! metadata. Checks produce them; reports and fixes consume them without recomputing.

mod finding;
mod fingerprint;
pub mod frameworks;
mod meta;
mod report;
pub mod time;

pub use finding::{
    Actor, BaselineState, EventEvidence, Exposure, Finding, Location, PathHop, PortSpan,
    ProbeEvidence, Reachability, RelatedEvent, Resource, ResourceType, RuleEvidence, Status,
};
pub use fingerprint::FingerprintKey;
pub use frameworks::{Control, FRAMEWORKS, Framework};
pub use meta::{Alias, CheckMeta, Compliance, Enablement, Severity, Tool};
pub use report::{
    BaselineOutcome, ComplianceOutcome, ControlOutcome, ExpiredMute, FixedFinding, IncompleteEntry,
    MutelistOutcome, Report, SCHEMA, SCHEMA_VERSION, Summary, TimelineEntry, Tool as ToolInfo,
    TrailOutcome,
};
