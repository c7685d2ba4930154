//! Security groups, flattened to one rule per source, and the `sgr-` ids matched onto them.

use super::{Builder, Owner, opt, origin, tags};
use crate::aws_json::{self, Permission, Str};
use crate::error::{Place, SnapshotError, parse_json};
use crate::stream::{Elements, GiveUp};
use ringfence_model::{
    FileId, GroupRef, Ipv4Net, Ipv6Net, ResourceKind, Rule, SecurityGroup, Source, Traffic,
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
        let group = security_group(group, i, file_id, path)?;
        b.estate.security_groups.push(group);
    }
    Ok(())
}

/// One group of `describe-security-groups`, the `i`th.
fn security_group(
    group: aws_json::SecurityGroup,
    i: usize,
    file_id: FileId,
    path: &Path,
) -> Result<SecurityGroup, SnapshotError> {
    let place = |list: &str, j: usize| format!("SecurityGroups[{i}].{list}[{j}]");
    let ingress = flatten(group.ip_permissions, path, |j| place("IpPermissions", j))?;
    let egress = flatten(group.ip_permissions_egress, path, |j| {
        place("IpPermissionsEgress", j)
    })?;
    Ok(SecurityGroup {
        id: group.group_id.own(),
        name: group.group_name.map(|n| n.own()).unwrap_or_default(),
        description: group.description.map(|d| d.own()).unwrap_or_default(),
        vpc_id: opt(group.vpc_id),
        owner_id: opt(group.owner_id),
        ingress,
        egress,
        tags: tags(group.tags),
        origin: origin(file_id, i),
    })
}

/// The groups of `describe-security-groups`, streamed; each with its `OwnerId` to note.
pub(super) struct GroupElements<'p> {
    pub file_id: FileId,
    pub path: &'p Path,
}

impl Elements for GroupElements<'_> {
    type Item<'a> = (SecurityGroup, Option<Str<'a>>);

    fn convert<'a>(&self, i: usize, element: &'a [u8]) -> Result<Self::Item<'a>, GiveUp> {
        let raw: aws_json::SecurityGroup<'a> =
            serde_json::from_slice(element).map_err(|_| GiveUp::Shape)?;
        let owner = raw.owner_id.clone();
        let group = security_group(raw, i, self.file_id, self.path).map_err(|_| GiveUp::Shape)?;
        Ok((group, owner))
    }
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
#[derive(Clone, PartialEq)]
enum SourceKey {
    V4(Ipv4Net),
    V6(Ipv6Net),
    PrefixList(String),
    Group(String),
}

impl SourceKey {
    fn matches(&self, source: &Source) -> bool {
        match (self, source) {
            (SourceKey::V4(a), Source::V4(b)) => a == b,
            (SourceKey::V6(a), Source::V6(b)) => a == b,
            (SourceKey::PrefixList(a), Source::PrefixList(b)) => a == b,
            (SourceKey::Group(a), Source::Group(b)) => b.group_id.as_deref() == Some(a.as_str()),
            _ => false,
        }
    }
}

pub(super) struct Entry {
    id: String,
    egress: bool,
    traffic: Traffic,
    source: SourceKey,
}

/// `describe-security-group-rules` read and indexed by group id, waiting for the groups
/// it names (so that it can be read at the same time as `describe-security-groups`).
#[derive(Default)]
pub(crate) struct RuleIds {
    by_group: HashMap<String, Vec<Entry>>,
}

/// Sets [`Rule::id`] from `describe-security-group-rules`, whose one-rule-per-source
/// shape is the same as ours: match on group, direction, traffic and source.
pub(super) fn rule_ids(b: &mut Builder, bytes: &[u8], path: &Path) -> Result<(), SnapshotError> {
    let ids = read_rule_ids(b, bytes, path)?;
    apply_rule_ids(&mut b.estate.security_groups, ids);
    Ok(())
}

/// Parses `describe-security-group-rules` into [`RuleIds`].
pub(super) fn read_rule_ids(
    b: &mut Builder,
    bytes: &[u8],
    path: &Path,
) -> Result<RuleIds, SnapshotError> {
    const KIND: ResourceKind = ResourceKind::SecurityGroupRules;
    let file: aws_json::SecurityGroupRulesFile = parse_json(bytes, path, KIND)?;
    b.file(path);
    b.note_next_token(KIND, None, file.next_token.as_ref());
    let mut ids = RuleIds::default();
    for (i, rule) in file.security_group_rules.into_iter().enumerate() {
        if let Some((group, entry)) = rule_entry(rule, i, path)? {
            ids.insert(group, entry);
        }
    }
    Ok(ids)
}

impl RuleIds {
    pub(super) fn insert(&mut self, group: Str<'_>, entry: Entry) {
        // Rules come grouped by group: the key is allocated once per group.
        match self.by_group.get_mut(&*group) {
            Some(entries) => entries.push(entry),
            None => {
                self.by_group.insert(group.own(), vec![entry]);
            }
        }
    }
}

/// One rule of `describe-security-group-rules`, the `i`th, with its group's id; `None`
/// for a rule without a source this model knows.
fn rule_entry<'a>(
    rule: aws_json::SecurityGroupRule<'a>,
    i: usize,
    path: &Path,
) -> Result<Option<(Str<'a>, Entry)>, SnapshotError> {
    let traffic =
        Traffic::from_aws(&rule.ip_protocol, rule.from_port, rule.to_port).map_err(|error| {
            SnapshotError::invalid(
                path,
                Place::path(format!("SecurityGroupRules[{i}]")),
                error.to_string(),
            )
        })?;
    let source = if let Some(cidr) = rule.cidr_ipv4 {
        SourceKey::V4(cidr.0)
    } else if let Some(cidr) = rule.cidr_ipv6 {
        SourceKey::V6(cidr.0)
    } else if let Some(list) = rule.prefix_list_id {
        SourceKey::PrefixList(list.own())
    } else if let Some(group) = rule.referenced_group_info.and_then(|g| g.group_id) {
        SourceKey::Group(group.own())
    } else {
        return Ok(None);
    };
    let entry = Entry {
        id: rule.security_group_rule_id.own(),
        egress: rule.is_egress,
        traffic,
        source,
    };
    Ok(Some((rule.group_id, entry)))
}

/// The rules of `describe-security-group-rules`, streamed.
pub(super) struct RuleElements<'p> {
    pub path: &'p Path,
}

impl Elements for RuleElements<'_> {
    type Item<'a> = Option<(Str<'a>, Entry)>;

    fn convert<'a>(&self, i: usize, element: &'a [u8]) -> Result<Self::Item<'a>, GiveUp> {
        let raw: aws_json::SecurityGroupRule<'a> =
            serde_json::from_slice(element).map_err(|_| GiveUp::Shape)?;
        rule_entry(raw, i, self.path).map_err(|_| GiveUp::Shape)
    }
}

/// Matches the ids onto the groups' rules; ids of groups not read are dropped.
pub(super) fn apply_rule_ids(groups: &mut [SecurityGroup], mut ids: RuleIds) {
    if ids.by_group.is_empty() {
        return;
    }
    for group in groups {
        let Some(entries) = ids.by_group.remove(group.id.as_str()) else {
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
                rule.id = Some(entry.id);
            }
        }
    }
}
