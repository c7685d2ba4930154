//! What `fix --apply` writes before it changes anything, and what `undo` reads.

use crate::Permission;
use serde::{Deserialize, Serialize};

pub const BACKUP_VERSION: u32 = 1;

/// One group's rules as read just before the change, and the change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupBackup {
    pub group_id: String,
    pub region: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub account: Option<String>,
    /// Every ingress rule of the group, exactly as read (rule ids, descriptions).
    pub ingress_before: Vec<Permission>,
    /// The rules revoked, exactly as read.
    pub revoke: Vec<Permission>,
    /// The permissions authorized.
    pub authorize: Vec<Permission>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backup {
    pub version: u32,
    /// When it was written (RFC 3339, UTC).
    pub created_at: String,
    pub groups: Vec<GroupBackup>,
}

/// The rules as access only (no ids or descriptions), sorted: for comparing rule sets.
pub fn access_set(perms: &[Permission]) -> Vec<Permission> {
    let mut out: Vec<Permission> = perms
        .iter()
        .map(|p| Permission {
            rule_id: None,
            description: None,
            ..p.clone()
        })
        .collect();
    out.sort_by_key(|p| serde_json::to_string(p).unwrap_or_default());
    out.dedup();
    out
}

/// `before` minus `revoke` plus `authorize`, as access.
pub fn expected_after(
    before: &[Permission],
    revoke: &[Permission],
    authorize: &[Permission],
) -> Vec<Permission> {
    let mut after: Vec<Permission> = before
        .iter()
        .filter(|p| !revoke.iter().any(|r| r.same_access(p)))
        .cloned()
        .collect();
    after.extend(authorize.iter().cloned());
    access_set(&after)
}
