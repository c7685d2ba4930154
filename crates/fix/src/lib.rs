//! Fixes as data: for each failing exposure finding, the exact permissions to revoke and
//! what to authorize back so nothing else is lost, with a safety level (ruff's
//! applicability); and the renderers that print a plan as an AWS CLI script, Terraform,
//! CloudFormation (YAML or JSON) or console steps. Renderers never run checks; the plan is
//! computed from the estate and the findings.

pub mod backup;
pub mod permission;
pub mod plan;
pub mod render;

pub use backup::{BACKUP_VERSION, Backup, GroupBackup, access_set, expected_after};
pub use permission::{Peer, Permission, ip_permissions_json};
pub use plan::{
    FindingChange, FindingFix, GroupFix, Options, PLAN_VERSION, Plan, RuleChange, Safety, Span,
    Unresolved, attach,
};
pub use render::{Format, render};
