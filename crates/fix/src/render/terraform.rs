//! Terraform: `aws_vpc_security_group_ingress_rule` resources for what the plan adds, and
//! for each revoked rule the steps that remove it, as comments (Terraform cannot delete a
//! rule it does not manage).

use super::cli::{commands, one_line};
use crate::{Peer, Permission, Plan};
use std::collections::HashSet;
use std::fmt::Write;

/// An HCL string literal: quotes, backslashes, control characters and template
/// sequences (`${`, `%{`) escaped.
fn hcl_string(text: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A resource name: letters, digits and underscores, starting with a letter.
fn label(parts: &[&str], taken: &mut HashSet<String>) -> String {
    let raw = parts.join("_");
    let mut name: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    let name = name.trim_matches('_').to_string();
    let base = format!("ringfence_{name}");
    let mut candidate = base.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    candidate
}

fn resource(s: &mut String, name: &str, group_id: &str, p: &Permission) {
    let _ = writeln!(
        s,
        "resource \"aws_vpc_security_group_ingress_rule\" \"{name}\" {{"
    );
    let _ = writeln!(s, "  security_group_id = {}", hcl_string(group_id));
    let _ = writeln!(s, "  ip_protocol = {}", hcl_string(&p.protocol));
    if p.protocol != "-1" {
        if let Some(from) = p.from_port {
            let _ = writeln!(s, "  from_port = {from}");
        }
        if let Some(to) = p.to_port {
            let _ = writeln!(s, "  to_port = {to}");
        }
    }
    match &p.peer {
        Peer::Cidr { cidr } => {
            let _ = writeln!(s, "  cidr_ipv4 = {}", hcl_string(cidr));
        }
        Peer::Ipv6Cidr { cidr } => {
            let _ = writeln!(s, "  cidr_ipv6 = {}", hcl_string(cidr));
        }
        Peer::PrefixList { id } => {
            let _ = writeln!(s, "  prefix_list_id = {}", hcl_string(id));
        }
        Peer::Group { group_id, user_id } => {
            let id = match user_id {
                Some(user) => format!("{user}/{group_id}"),
                None => group_id.clone(),
            };
            let _ = writeln!(s, "  referenced_security_group_id = {}", hcl_string(&id));
        }
    }
    if let Some(d) = &p.description {
        let _ = writeln!(s, "  description = {}", hcl_string(d));
    }
    s.push_str("}\n");
}

pub fn render(plan: &Plan) -> String {
    let mut s = String::new();
    let mut taken = HashSet::new();
    s.push_str(
        "# ringfence fix (Terraform, AWS provider >= 5).\n\
         # The resources below are what each group keeps or gains in place of the revoked\n\
         # rules. For each revoked rule: if Terraform manages it, delete its `ingress` block\n\
         # (aws_security_group) or its aws_vpc_security_group_ingress_rule resource; if it does\n\
         # not, revoke it with the AWS CLI command given. Apply the resources before the revoke.\n",
    );
    for group in &plan.groups {
        let _ = writeln!(
            s,
            "\n# {} ({}) in {}: {}",
            group.group_id,
            one_line(&group.group_name),
            group.region,
            group.safety.as_str()
        );
        for change in &group.changes {
            let id = change
                .revoke
                .rule_id
                .as_deref()
                .map(|id| format!(" ({id})"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "# Revoke {}{id} [{}]: {}",
                one_line(&change.revoke.text()),
                change.safety.as_str(),
                one_line(&change.reason)
            );
        }
        for command in commands(group)
            .into_iter()
            .filter(|c| c.contains("revoke-security-group-ingress"))
        {
            let _ = writeln!(s, "#   {}", one_line(&command));
        }
        for change in &group.changes {
            for add in &change.authorize {
                let (from, to) = (
                    add.from_port.map(|p| p.to_string()).unwrap_or_default(),
                    add.to_port.map(|p| p.to_string()).unwrap_or_default(),
                );
                let proto = if add.protocol == "-1" {
                    "all"
                } else {
                    add.protocol.as_str()
                };
                let name = label(
                    &[&group.group_id, proto, &from, &to, add.peer.text()],
                    &mut taken,
                );
                s.push('\n');
                resource(&mut s, &name, &group.group_id, add);
            }
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
