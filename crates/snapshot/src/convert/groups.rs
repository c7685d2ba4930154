//! Security groups, flattened to one rule per source, and the `sgr-` ids matched onto them.

use super::{Builder, Owner, opt, origin, tags};
use crate::aws_json::{self, Permission};
use crate::error::{Place, SnapshotError, parse_json};
use ringfence_model::{
    GroupRef, Ipv4Net, Ipv6Net, ResourceKind, Rule, SecurityGroup, Source, Traffic,
};
use std::collections::HashMap;
use std::path::Path;

const KIND: ResourceKind = ResourceKind::SecurityGroups;

pub(super) fn security_groups(
    b: &mut Builder,
    bytes: &[u8],
    path: &Path,
) -> Result<(), SnapshotError> {
    let file: aws_json::SecurityGroupsFile = parse_json(bytes, path, KIND)?;
    let file_id = b.file(path);
    b.note_next_token(KIND, None, file.next_token.as_ref());
    b.estate.security_groups.reserve(file.security_groups.len());
    for (i, group) in file.security_groups.into_iter().enumerate() {
        b.note_owner(Owner::SecurityGroup, group.owner_id.as_ref());
        let place = |list: &str, j: usize| format!("SecurityGroups[{i}].{list}[{j}]");
        let ingress = flatten(group.ip_permissions, path, |j| place("IpPermissions", j))?;
        let egress = flatten(group.ip_permissions_egress, path, |j| {
            place("IpPermissionsEgress", j)
        })?;
        b.estate.security_groups.push(SecurityGroup {
            id: group.group_id.own(),
            name: group.group_name.map(|n| n.own()).unwrap_or_default(),
            description: group.description.map(|d| d.own()).unwrap_or_default(),
            vpc_id: opt(group.vpc_id),
            owner_id: opt(group.owner_id),
            ingress,
            egress,
            tags: tags(group.tags),
            origin: origin(file_id, i),
        });
    }
    Ok(())
}

/// One [`Rule`] per source of each permission, each with its own description, so that a
/// finding can name the exact CIDR or group that opens a port.
fn flatten(
    permissions: Vec<Permission>,
    path: &Path,
    place: impl Fn(usize) -> String,
) -> Result<Vec<Rule>, SnapshotError> {
    let count = permissions
        .iter()
        .map(|p| {
            p.ip_ranges.len()
                + p.ipv6_ranges.len()
                + p.prefix_list_ids.len()
                + p.user_id_group_pairs.len()
        })
        .sum();
    let mut rules = Vec::with_capacity(count);
    for (j, permission) in permissions.into_iter().enumerate() {
        let traffic = Traffic::from_aws(
            &permission.ip_protocol,
            permission.from_port,
            permission.to_port,
        )
        .map_err(|error| SnapshotError::invalid(path, Place::path(place(j)), error.to_string()))?;
        let rule = |source, description| Rule {
            id: None,
            traffic,
            source,
            description: opt(description),
        };
        for range in permission.ip_ranges {
            rules.push(rule(Source::V4(range.cidr_ip.0), range.description));
        }
        for range in permission.ipv6_ranges {
            rules.push(rule(Source::V6(range.cidr_ipv6.0), range.description));
        }
        for list in permission.prefix_list_ids {
            rules.push(rule(
                Source::PrefixList(list.prefix_list_id.own()),
                list.description,
            ));
        }
        for pair in permission.user_id_group_pairs {
            let group = GroupRef {
                group_id: opt(pair.group_id),
                group_name: opt(pair.group_name),
                user_id: opt(pair.user_id),
                vpc_id: opt(pair.vpc_id),
                peering_status: opt(pair.peering_status),
            };
            rules.push(rule(Source::Group(group), pair.description));
        }
    }
    Ok(rules)
}

/// A rule's source as `describe-security-group-rules` names it.
#[derive(Clone, Copy, PartialEq)]
enum SourceKey<'a> {
    V4(Ipv4Net),
    V6(Ipv6Net),
    PrefixList(&'a str),
    Group(&'a str),
}

impl SourceKey<'_> {
    fn matches(&self, source: &Source) -> bool {
        match (self, source) {
            (SourceKey::V4(a), Source::V4(b)) => a == b,
            (SourceKey::V6(a), Source::V6(b)) => a == b,
            (SourceKey::PrefixList(a), Source::PrefixList(b)) => *a == b,
            (SourceKey::Group(a), Source::Group(b)) => b.group_id.as_deref() == Some(*a),
            _ => false,
        }
    }
}

struct Entry<'a> {
    id: &'a str,
    egress: bool,
    traffic: Traffic,
    source: SourceKey<'a>,
}

/// Sets [`Rule::id`] from `describe-security-group-rules`, whose one-rule-per-source
/// shape is the same as ours: match on group, direction, traffic and source.
pub(super) fn rule_ids(b: &mut Builder, bytes: &[u8], path: &Path) -> Result<(), SnapshotError> {
    const KIND: ResourceKind = ResourceKind::SecurityGroupRules;
    let file: aws_json::SecurityGroupRulesFile = parse_json(bytes, path, KIND)?;
    b.file(path);
    b.note_next_token(KIND, None, file.next_token.as_ref());
    let mut by_group: HashMap<&str, Vec<Entry>> = HashMap::new();
    for (i, rule) in file.security_group_rules.iter().enumerate() {
        let traffic = Traffic::from_aws(&rule.ip_protocol, rule.from_port, rule.to_port).map_err(
            |error| {
                SnapshotError::invalid(
                    path,
                    Place::path(format!("SecurityGroupRules[{i}]")),
                    error.to_string(),
                )
            },
        )?;
        let source = if let Some(cidr) = rule.cidr_ipv4 {
            SourceKey::V4(cidr.0)
        } else if let Some(cidr) = rule.cidr_ipv6 {
            SourceKey::V6(cidr.0)
        } else if let Some(list) = rule.prefix_list_id.as_deref() {
            SourceKey::PrefixList(list)
        } else if let Some(group) = rule
            .referenced_group_info
            .as_ref()
            .and_then(|g| g.group_id.as_deref())
        {
            SourceKey::Group(group)
        } else {
            continue;
        };
        by_group.entry(&rule.group_id).or_default().push(Entry {
            id: &rule.security_group_rule_id,
            egress: rule.is_egress,
            traffic,
            source,
        });
    }
    for group in &mut b.estate.security_groups {
        let Some(entries) = by_group.get(group.id.as_str()) else {
            continue;
        };
        for entry in entries {
            let rules = if entry.egress {
                &mut group.egress
            } else {
                &mut group.ingress
            };
            if let Some(rule) = rules.iter_mut().find(|rule| {
                rule.id.is_none()
                    && rule.traffic == entry.traffic
                    && entry.source.matches(&rule.source)
            }) {
                rule.id = Some(entry.id.to_string());
            }
        }
    }
    Ok(())
}
