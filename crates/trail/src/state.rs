//! What the trail has taught so far: each security group's ingress rules (seeded from a
//! snapshot when one is given), which rule ids are egress, and each instance's groups.
//! Detectors judge a change against the state just before it.

use crate::event::Event;
use ringfence_model::{
    Estate, GroupRef, IpNet, Origin, PrefixList, PrefixListEntry, Rule, Scope, SecurityGroup,
    Source, Tags, Traffic,
};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Resources are keyed by region and id (ids are unique within an account and region;
/// a trail mixing accounts keeps them apart by account too).
pub type Key = (String, String, String);

pub fn key(event: &Event, id: &str) -> Key {
    (
        event.account.clone().unwrap_or_default(),
        event.region.clone(),
        id.to_string(),
    )
}

#[derive(Clone, Debug, Default)]
pub struct GroupState {
    pub name: Option<String>,
    pub vpc_id: Option<String>,
    pub ingress: Vec<Rule>,
    /// The group's ingress before the trail began is known (it came from a snapshot).
    pub seeded: bool,
}

/// What a security-group event did to a group's ingress.
#[derive(Clone, Debug)]
pub struct GroupChange {
    pub key: Key,
    pub before: GroupState,
    pub added: Vec<Rule>,
    pub removed: Vec<Rule>,
    /// The group was deleted (everything it opened closes with it).
    pub deleted: bool,
}

impl GroupChange {
    pub fn after(&self) -> Vec<Rule> {
        let mut rules: Vec<Rule> = self
            .before
            .ingress
            .iter()
            .filter(|r| !self.removed.contains(r))
            .cloned()
            .collect();
        if !self.deleted {
            rules.extend(self.added.iter().cloned());
        }
        rules
    }
}

#[derive(Debug, Default)]
pub struct State {
    pub groups: HashMap<Key, GroupState>,
    /// Rule ids known to be egress (their changes are not ingress changes).
    pub egress_rules: HashSet<Key>,
    /// Instance id -> its security groups.
    pub instances: HashMap<Key, Vec<String>>,
    /// Network interface id -> its instance.
    pub interfaces: HashMap<Key, String>,
    /// Prefix lists, from the snapshot, by (account, region, id).
    pub prefix_lists: HashMap<Key, PrefixList>,
}

impl State {
    /// Seeds what a snapshot says: groups, egress rule ids, instances, prefix lists.
    pub fn from_estate(estate: &Estate) -> State {
        let mut state = State::default();
        let scope_key = |scope: &Scope, id: &str| {
            (
                scope.account.clone().unwrap_or_default(),
                scope.region.clone(),
                id.to_string(),
            )
        };
        for group in &estate.security_groups {
            let scope = estate.scope(group.origin.scope);
            state.groups.insert(
                scope_key(scope, &group.id),
                GroupState {
                    name: Some(group.name.clone()),
                    vpc_id: group.vpc_id.clone(),
                    ingress: group.ingress.clone(),
                    seeded: true,
                },
            );
            for rule in &group.egress {
                if let Some(id) = &rule.id {
                    state.egress_rules.insert(scope_key(scope, id));
                }
            }
        }
        for interface in &estate.network_interfaces {
            let scope = estate.scope(interface.origin.scope);
            if let Some(instance) = interface
                .attachment
                .as_ref()
                .and_then(|a| a.instance_id.clone())
            {
                state
                    .interfaces
                    .insert(scope_key(scope, &interface.id), instance.clone());
                let groups = state
                    .instances
                    .entry(scope_key(scope, &instance))
                    .or_default();
                for group in &interface.groups {
                    if !groups.contains(group) {
                        groups.push(group.clone());
                    }
                }
            }
        }
        for list in &estate.prefix_lists {
            let scope = estate.scope(list.origin.scope);
            state
                .prefix_lists
                .insert(scope_key(scope, &list.id), list.clone());
        }
        state
    }

    /// Applies a security-group event; returns what it changed in ingress.
    pub fn apply(&mut self, event: &Event) -> Option<GroupChange> {
        if !event.succeeded() {
            return None;
        }
        let request: Value = event.request()?;
        let response: Value = event.response().unwrap_or(Value::Null);
        match event.name.as_str() {
            "CreateSecurityGroup" => {
                let id = text(&response, "groupId")?;
                let state = self.groups.entry(key(event, id)).or_default();
                state.name = text(&request, "groupName").map(str::to_string);
                state.vpc_id = text(&request, "vpcId").map(str::to_string);
                let added = permissions(&request);
                self.change(event, id, added, Vec::new(), false)
            }
            "AuthorizeSecurityGroupIngress" => {
                let id = self.group_id(event, &request)?;
                let mut added = rules_from_response(&response, false);
                if added.is_empty() {
                    added = permissions(&request);
                }
                self.change(event, &id, added, Vec::new(), false)
            }
            "AuthorizeSecurityGroupEgress" => {
                for rule in rules_from_response(&response, true) {
                    if let Some(id) = rule.id {
                        self.egress_rules.insert(key(event, &id));
                    }
                }
                None
            }
            "RevokeSecurityGroupIngress" => {
                let id = self.group_id(event, &request)?;
                let listed = permissions(&request);
                let ids = rule_ids(&request);
                let state = self.groups.get(&key(event, &id));
                let removed: Vec<Rule> = state
                    .map(|s| {
                        s.ingress
                            .iter()
                            .filter(|r| {
                                r.id.as_ref().is_some_and(|rid| ids.contains(rid))
                                    || listed.iter().any(|l| same_permission(l, r))
                            })
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                self.change(event, &id, Vec::new(), removed, false)
            }
            "ModifySecurityGroupRules" => {
                let body = request
                    .get("ModifySecurityGroupRulesRequest")
                    .unwrap_or(&request);
                let id = text_any(body, &["GroupId", "groupId"])?.to_string();
                let mut added = Vec::new();
                let mut removed = Vec::new();
                for update in items(
                    body.get("SecurityGroupRule")
                        .or(body.get("securityGroupRule")),
                ) {
                    let Some(rule_id) =
                        text_any(update, &["SecurityGroupRuleId", "securityGroupRuleId"])
                    else {
                        continue;
                    };
                    if self.egress_rules.contains(&key(event, rule_id)) {
                        continue;
                    }
                    let spec = update
                        .get("SecurityGroupRule")
                        .or(update.get("securityGroupRule"))
                        .unwrap_or(update);
                    if let Some(state) = self.groups.get(&key(event, &id)) {
                        removed.extend(
                            state
                                .ingress
                                .iter()
                                .filter(|r| r.id.as_deref() == Some(rule_id))
                                .cloned(),
                        );
                    }
                    if let Some(mut rule) = rule_of(spec) {
                        rule.id = Some(rule_id.to_string());
                        added.push(rule);
                    }
                }
                self.change(event, &id, added, removed, false)
            }
            "DeleteSecurityGroup" => {
                let id = self.group_id(event, &request)?;
                let removed = self
                    .groups
                    .get(&key(event, &id))
                    .map(|s| s.ingress.clone())
                    .unwrap_or_default();
                let change = self.change(event, &id, Vec::new(), removed, true);
                self.groups.remove(&key(event, &id));
                change
            }
            "RunInstances" => {
                let group_ids = |set: Option<&Value>| -> Vec<String> {
                    items(set)
                        .filter_map(|g| text(g, "groupId").map(str::to_string))
                        .collect()
                };
                let requested = group_ids(request.get("groupSet"));
                for instance in items(response.get("instancesSet")) {
                    let Some(id) = text(instance, "instanceId") else {
                        continue;
                    };
                    let mut groups = group_ids(instance.get("groupSet"));
                    for interface in items(instance.get("networkInterfaceSet")) {
                        if let Some(eni) = text(interface, "networkInterfaceId") {
                            self.interfaces.insert(key(event, eni), id.to_string());
                        }
                        groups.extend(group_ids(interface.get("groupSet")));
                    }
                    if groups.is_empty() {
                        groups = requested.clone();
                    }
                    groups.sort();
                    groups.dedup();
                    self.instances.insert(key(event, id), groups);
                }
                None
            }
            "CreateManagedPrefixList" => {
                let id =
                    find(&response, &["prefixListId", "PrefixListId"]).and_then(Value::as_str)?;
                let entries =
                    prefix_entries(find(&request, &["Entry", "Entries", "entry", "entries"]));
                self.prefix_lists.insert(
                    key(event, id),
                    PrefixList {
                        id: id.to_string(),
                        name: find(&request, &["PrefixListName", "prefixListName"])
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        owner_id: event.account.clone(),
                        address_family: None,
                        entries: Some(entries),
                        tags: Tags::default(),
                        origin: Origin::default(),
                    },
                );
                None
            }
            "ModifyManagedPrefixList" => {
                let id =
                    find(&request, &["PrefixListId", "prefixListId"]).and_then(Value::as_str)?;
                let add = prefix_entries(find(
                    &request,
                    &["AddEntry", "AddEntries", "addEntry", "addEntries"],
                ));
                let remove = prefix_entries(find(
                    &request,
                    &[
                        "RemoveEntry",
                        "RemoveEntries",
                        "removeEntry",
                        "removeEntries",
                    ],
                ));
                // A list whose entries were never known stays unknown: the additions are
                // not all of it.
                if let Some(entries) = self
                    .prefix_lists
                    .get_mut(&key(event, id))
                    .and_then(|l| l.entries.as_mut())
                {
                    entries.retain(|e| !remove.iter().any(|r| r.cidr == e.cidr));
                    entries.extend(add);
                }
                None
            }
            "ModifyInstanceAttribute" => {
                let id = text(&request, "instanceId")?;
                let groups: Vec<String> = items(request.pointer("/groupSet"))
                    .filter_map(|g| text(g, "groupId"))
                    .map(str::to_string)
                    .collect();
                if !groups.is_empty() {
                    self.instances.insert(key(event, id), groups);
                }
                None
            }
            _ => None,
        }
    }

    /// The instance an `AssociateAddress` binds to, directly or through its interface.
    pub fn instance_of(&self, event: &Event, request: &Value) -> Option<String> {
        if let Some(id) = text(request, "instanceId") {
            return Some(id.to_string());
        }
        let eni = text(request, "networkInterfaceId")?;
        self.interfaces.get(&key(event, eni)).cloned()
    }

    fn group_id(&self, event: &Event, request: &Value) -> Option<String> {
        if let Some(id) = text(request, "groupId") {
            return Some(id.to_string());
        }
        // The default VPC's groups may be named instead.
        let name = text(request, "groupName")?;
        let (account, region) = (event.account.clone().unwrap_or_default(), &event.region);
        self.groups
            .iter()
            .find(|((a, r, _), g)| *a == account && r == region && g.name.as_deref() == Some(name))
            .map(|((_, _, id), _)| id.clone())
            .or_else(|| Some(name.to_string()))
    }

    fn change(
        &mut self,
        event: &Event,
        id: &str,
        added: Vec<Rule>,
        removed: Vec<Rule>,
        deleted: bool,
    ) -> Option<GroupChange> {
        let key = key(event, id);
        let state = self.groups.entry(key.clone()).or_default();
        let before = state.clone();
        state.ingress.retain(|r| !removed.contains(r));
        if !deleted {
            for rule in &added {
                if !state.ingress.contains(rule) {
                    state.ingress.push(rule.clone());
                }
            }
        }
        Some(GroupChange {
            key,
            before,
            added,
            removed,
            deleted,
        })
    }

    /// A one-group estate of the group's ingress `rules`, with the snapshot's prefix lists
    /// of its account and region: what the checks judge.
    pub fn estate_of(&self, key: &Key, state: &GroupState, rules: Vec<Rule>) -> Estate {
        let (account, region, id) = key;
        let mut estate = Estate::default();
        let scope = estate.scope_id(Scope {
            account: (!account.is_empty()).then(|| account.clone()),
            region: region.clone(),
        });
        let origin = Origin {
            scope,
            ..Origin::default()
        };
        estate.security_groups.push(SecurityGroup {
            id: id.clone(),
            name: state.name.clone().unwrap_or_default(),
            description: String::new(),
            vpc_id: state.vpc_id.clone(),
            owner_id: (!account.is_empty()).then(|| account.clone()),
            ingress: rules,
            egress: Vec::new(),
            tags: Tags::default(),
            origin,
        });
        for ((a, r, _), list) in &self.prefix_lists {
            if a == account && r == region {
                let mut list = list.clone();
                list.origin = origin;
                estate.prefix_lists.push(list);
            }
        }
        estate
    }
}

/// Both rules admit the same traffic from the same source (descriptions aside): how a
/// revoke by permission finds the rule it removes.
fn same_permission(a: &Rule, b: &Rule) -> bool {
    a.traffic == b.traffic && a.source == b.source
}

/// `{"items": [...]}`, a bare array, or one object: CloudTrail writes lists all three ways.
pub fn items(value: Option<&Value>) -> Box<dyn Iterator<Item = &Value> + '_> {
    match value {
        Some(Value::Array(list)) => Box::new(list.iter()),
        Some(Value::Object(map)) => match map.get("items") {
            Some(Value::Array(list)) => Box::new(list.iter()),
            Some(_) => Box::new(std::iter::empty()),
            None if map.is_empty() => Box::new(std::iter::empty()),
            None => Box::new(std::iter::once(value.unwrap_or(&Value::Null))),
        },
        _ => Box::new(std::iter::empty()),
    }
}

pub fn text<'v>(value: &'v Value, field: &str) -> Option<&'v str> {
    value.get(field).and_then(Value::as_str)
}

fn text_any<'v>(value: &'v Value, fields: &[&str]) -> Option<&'v str> {
    fields.iter().find_map(|f| text(value, f))
}

pub fn number(value: &Value, field: &str) -> Option<i64> {
    match value.get(field)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The rules of a request's `ipPermissions` (or the old single `cidrIp` form), one per
/// source, as `describe-security-group-rules` would list them.
pub fn permissions(request: &Value) -> Vec<Rule> {
    let mut rules = Vec::new();
    for permission in items(request.get("ipPermissions")) {
        let Some(traffic) = traffic_of(permission, "ipProtocol", "fromPort", "toPort") else {
            continue;
        };
        let mut push = |source: Source, description: Option<&str>| {
            rules.push(Rule {
                id: None,
                traffic,
                source,
                description: description.map(str::to_string),
            });
        };
        for range in items(permission.get("ipRanges")) {
            if let Some(net) = text(range, "cidrIp").and_then(|c| c.parse().ok()) {
                push(Source::V4(net), text(range, "description"));
            }
        }
        for range in items(permission.get("ipv6Ranges")) {
            if let Some(net) = text(range, "cidrIpv6").and_then(|c| c.parse().ok()) {
                push(Source::V6(net), text(range, "description"));
            }
        }
        for list in items(permission.get("prefixListIds")) {
            if let Some(id) = text(list, "prefixListId") {
                push(
                    Source::PrefixList(id.to_string()),
                    text(list, "description"),
                );
            }
        }
        for group in items(permission.get("groups")) {
            push(
                Source::Group(GroupRef {
                    group_id: text(group, "groupId").map(str::to_string),
                    group_name: text(group, "groupName").map(str::to_string),
                    user_id: text(group, "userId").map(str::to_string),
                    ..GroupRef::default()
                }),
                text(group, "description"),
            );
        }
    }
    // The old form: one CIDR and one port range at the top of the request.
    if let (Some(cidr), Some(traffic)) = (
        text(request, "cidrIp").and_then(|c| c.parse().ok()),
        traffic_of(request, "ipProtocol", "fromPort", "toPort"),
    ) {
        rules.push(Rule {
            id: None,
            traffic,
            source: Source::V4(cidr),
            description: None,
        });
    }
    rules
}

/// The rules an authorize call's response lists (with their `sgr-` ids).
fn rules_from_response(response: &Value, egress: bool) -> Vec<Rule> {
    items(response.get("securityGroupRuleSet"))
        .filter(|r| r.get("isEgress").and_then(Value::as_bool).unwrap_or(egress) == egress)
        .filter_map(|r| {
            let mut rule = rule_of(r)?;
            rule.id = text(r, "securityGroupRuleId").map(str::to_string);
            Some(rule)
        })
        .collect()
}

/// One rule as the response and `ModifySecurityGroupRules` spell it (`cidrIpv4` or
/// `CidrIpv4`, ...).
fn rule_of(spec: &Value) -> Option<Rule> {
    let field = |camel: &str, pascal: &str| text(spec, camel).or(text(spec, pascal));
    let traffic = traffic_of(spec, "ipProtocol", "fromPort", "toPort")
        .or_else(|| traffic_of(spec, "IpProtocol", "FromPort", "ToPort"))?;
    let source = if let Some(net) = field("cidrIpv4", "CidrIpv4").and_then(|c| c.parse().ok()) {
        Source::V4(net)
    } else if let Some(net) = field("cidrIpv6", "CidrIpv6").and_then(|c| c.parse().ok()) {
        Source::V6(net)
    } else if let Some(list) = field("prefixListId", "PrefixListId") {
        Source::PrefixList(list.to_string())
    } else {
        let group = field("referencedGroupId", "ReferencedGroupId").or_else(|| {
            spec.get("referencedGroupInfo")
                .and_then(|g| text(g, "groupId"))
        });
        Source::Group(GroupRef {
            group_id: group.map(str::to_string),
            ..GroupRef::default()
        })
    };
    Some(Rule {
        id: None,
        traffic,
        source,
        description: field("description", "Description").map(str::to_string),
    })
}

fn traffic_of(value: &Value, protocol: &str, from: &str, to: &str) -> Option<Traffic> {
    let protocol = match value.get(protocol)? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    Traffic::from_aws(&protocol, number(value, from), number(value, to)).ok()
}

fn rule_ids(request: &Value) -> Vec<String> {
    items(request.get("securityGroupRuleIds"))
        .chain(items(request.get("SecurityGroupRuleIds")))
        .filter_map(|v| match v {
            Value::String(s) => Some(s.clone()),
            other => text(other, "securityGroupRuleId").map(str::to_string),
        })
        .collect()
}

/// The first value under any of `keys`, searched depth first: the newer EC2 calls wrap
/// their parameters (`CreateManagedPrefixListRequest`) and spell them in PascalCase.
fn find<'v>(value: &'v Value, keys: &[&str]) -> Option<&'v Value> {
    match value {
        Value::Object(map) => keys
            .iter()
            .find_map(|k| map.get(*k))
            .or_else(|| map.values().find_map(|v| find(v, keys))),
        Value::Array(list) => list.iter().find_map(|v| find(v, keys)),
        _ => None,
    }
}

fn prefix_entries(value: Option<&Value>) -> Vec<PrefixListEntry> {
    items(value)
        .filter_map(|e| {
            let cidr = text(e, "Cidr").or(text(e, "cidr"))?.parse().ok()?;
            Some(PrefixListEntry {
                cidr,
                description: text(e, "Description")
                    .or(text(e, "description"))
                    .map(str::to_string),
            })
        })
        .collect()
}

/// A CIDR of a network ACL entry or a route.
pub fn cidr(value: &Value, v4: &str, v6: &str) -> Option<IpNet> {
    text(value, v4)
        .or(text(value, v6))
        .and_then(|c| c.parse().ok())
}
