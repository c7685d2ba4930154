//! Steps in the AWS console, in words, for people who fix by hand.

use super::cli::one_line;
use crate::{Peer, Permission, Plan};
use std::fmt::Write;

fn source_words(p: &Permission) -> String {
    match &p.peer {
        Peer::Cidr { cidr } | Peer::Ipv6Cidr { cidr } => format!("Custom, {cidr}"),
        Peer::PrefixList { id } => format!("Custom, prefix list {id}"),
        Peer::Group { group_id, .. } => format!("Custom, security group {group_id}"),
    }
}

fn type_words(p: &Permission) -> String {
    match (p.protocol.as_str(), p.from_port, p.to_port) {
        ("-1", _, _) => "All traffic".into(),
        ("tcp", Some(f), Some(t)) => format!("Custom TCP, port range {}", range(f, t)),
        ("udp", Some(f), Some(t)) => format!("Custom UDP, port range {}", range(f, t)),
        ("icmp", _, _) => "All ICMP - IPv4".into(),
        ("icmpv6", _, _) => "All ICMP - IPv6".into(),
        (other, _, _) => format!("Custom protocol {other}"),
    }
}

fn range(from: i32, to: i32) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from}-{to}")
    }
}

pub fn render(plan: &Plan) -> String {
    let mut s = String::new();
    if plan.groups.is_empty() {
        s.push_str("Nothing to fix: no failing exposure finding names a security-group rule.\n");
    }
    for (n, group) in plan.groups.iter().enumerate() {
        let _ = writeln!(
            s,
            "{}. Security group {} ({}) in {} [{}]",
            n + 1,
            group.group_id,
            one_line(&group.group_name),
            group.region,
            group.safety.as_str()
        );
        let _ = writeln!(
            s,
            "   Open the EC2 console in region {}, Network & Security > Security Groups, select {}, tab \"Inbound rules\", \"Edit inbound rules\".",
            group.region, group.group_id
        );
        let mut step = 'a';
        for change in &group.changes {
            let id = change
                .revoke
                .rule_id
                .as_deref()
                .map(|id| format!(" (rule {id})"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "   {step}) Delete the rule {}, source {}{id}. [{}] {}",
                type_words(&change.revoke),
                change.revoke.peer.text(),
                change.safety.as_str(),
                one_line(&change.reason)
            );
            step = char::from_u32(step as u32 + 1).unwrap_or('z');
            for add in &change.authorize {
                let desc = add
                    .description
                    .as_deref()
                    .map(|d| format!(", description \"{}\"", one_line(d)))
                    .unwrap_or_default();
                let _ = writeln!(
                    s,
                    "   {step}) Add rule: type {}, source {}{desc}.",
                    type_words(add),
                    source_words(add)
                );
                step = char::from_u32(step as u32 + 1).unwrap_or('z');
            }
        }
        s.push_str("   Then \"Save rules\".\n\n");
    }
    if !plan.display_only.is_empty() {
        s.push_str("Not fixed here (display only):\n");
        for u in &plan.display_only {
            let _ = writeln!(
                s,
                "- {} on {}: {} in {}: {}",
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
