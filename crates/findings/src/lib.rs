//! Findings as data: what failed, on which resource, with the evidence and the check's
//! metadata. Checks produce them; reports and fixes consume them without recomputing.

mod finding;
mod meta;
mod report;

pub use finding::{
    Exposure, Finding, Location, PathHop, PortSpan, Reachability, Resource, ResourceType,
    RuleEvidence, Status,
};
pub use meta::{Alias, CheckMeta, Compliance, Severity, Tool};
pub use report::{IncompleteEntry, Report, SCHEMA, SCHEMA_VERSION, Summary, Tool as ToolInfo};
