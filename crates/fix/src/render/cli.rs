//! The AWS CLI script: per group, authorize what stays, then revoke the flagged rules.

use crate::{GroupFix, Permission, Plan, ip_permissions_json};
use std::fmt::Write;

/// `'text'` for `sh`, single quotes inside escaped.
pub(crate) fn sh_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Text safe inside a `#` comment: a line break in a group name must not end the comment.
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The `aws ec2` commands for one group (no comments), in the order they run.
pub fn commands(group: &GroupFix) -> Vec<String> {
    let mut out = Vec::new();
    let target = format!(
        "--region {} --group-id {}",
        sh_quote(&group.region),
        sh_quote(&group.group_id)
    );
    let authorize: Vec<&Permission> = group
        .changes
        .iter()
        .flat_map(|c| c.authorize.iter())
        .collect();
    if !authorize.is_empty() {
        out.push(format!(
            "aws ec2 authorize-security-group-ingress {target} --ip-permissions {}",
            sh_quote(&ip_permissions_json(&authorize, true))
        ));
    }
    let ids: Vec<&str> = group
        .changes
        .iter()
        .filter_map(|c| c.revoke.rule_id.as_deref())
        .collect();
    if !ids.is_empty() {
        let ids: Vec<String> = ids.iter().map(|id| sh_quote(id)).collect();
        out.push(format!(
            "aws ec2 revoke-security-group-ingress {target} --security-group-rule-ids {}",
            ids.join(" ")
        ));
    }
    let by_permission: Vec<&Permission> = group
        .changes
        .iter()
        .filter(|c| c.revoke.rule_id.is_none())
        .map(|c| &c.revoke)
        .collect();
    if !by_permission.is_empty() {
        out.push(format!(
            "aws ec2 revoke-security-group-ingress {target} --ip-permissions {}",
            sh_quote(&ip_permissions_json(&by_permission, false))
        ));
    }
    out
}

pub fn render(plan: &Plan) -> String {
    let mut s = String::new();
    let changes: usize = plan.groups.iter().map(|g| g.changes.len()).sum();
    s.push_str("#!/bin/sh\n");
    let _ = writeln!(
        s,
        "# ringfence fix: {changes} rule change(s) in {} security group(s).",
        plan.groups.len()
    );
    s.push_str(
        "# For each group, what stays is authorized first, then the flagged rules are revoked,\n\
         # so no connection that should stay is cut. Review every needs-review change first.\n",
    );
    s.push_str("set -e\n");
    for group in &plan.groups {
        s.push('\n');
        let _ = writeln!(
            s,
            "# {} ({}) in {}{}: {}",
            group.group_id,
            one_line(&group.group_name),
            group
                .account
                .as_deref()
                .map(|a| format!("{a}/"))
                .unwrap_or_default(),
            group.region,
            group.safety.as_str()
        );
        for change in &group.changes {
            let _ = writeln!(
                s,
                "#   revoke {}{} [{}]: {}",
                change.revoke.text(),
                change
                    .revoke
                    .rule_id
                    .as_deref()
                    .map(|id| format!(" ({id})"))
                    .unwrap_or_default(),
                change.safety.as_str(),
                one_line(&change.reason)
            );
            for add in &change.authorize {
                let _ = writeln!(s, "#   authorize {}", one_line(&add.text()));
            }
        }
        for command in commands(group) {
            s.push_str(&command);
            s.push('\n');
        }
    }
    if !plan.display_only.is_empty() {
        s.push_str("\n# Not fixed here (display only):\n");
        for u in &plan.display_only {
            let _ = writeln!(
                s,
                "#   {} on {}: {} in {}: {}",
                u.check_id,
                u.resource_id,
                one_line(&u.rule),
                u.group_id,
                one_line(&u.reason)
            );
        }
    }
    s
}
