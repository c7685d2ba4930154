//! What the hygiene checks share: findings on resources that are not about an exposure
//! path (no reachability verdict), which groups are applied where, and small source and
//! port predicates. Kept apart from the exposure helpers (`verdict`, `openings`, `path`).

use crate::Context;
use foldhash::HashMap;
use ringfence_exposure::Reach;
use ringfence_findings::{CheckMeta, Finding, Location, Resource, ResourceType, Status};
use ringfence_model::{
    Estate, Incomplete, Instance, Origin, Position, PrefixList, ResourceKind, Rule, ScopeId,
    SecurityGroup, Source, Tags, Traffic,
};
use std::fmt::{self, Write};

/// A finding of a hygiene check: FAIL and SKIP always, PASS only when passes are wanted.
/// The resource and the message are built only for a finding that is kept: most groups
/// and instances pass most checks.
pub(crate) fn finding(
    ctx: &Context<'_>,
    meta: &'static CheckMeta,
    status: Status,
    resource: impl FnOnce() -> Resource,
    message: impl FnOnce() -> String,
) -> Option<Finding> {
    (status != Status::Pass || ctx.config.emit_passes)
        .then(|| Finding::new(meta, status, resource(), message()))
}

/// How people name a group in messages: `sg-0123 (web-frontend)`.
pub(crate) fn group_label(group: &SecurityGroup) -> String {
    GroupLabel(group).to_string()
}

/// [`group_label`] as a value to format in place.
pub(crate) struct GroupLabel<'a>(pub &'a SecurityGroup);

impl fmt::Display for GroupLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let group = self.0;
        write!(
            f,
            "{} ({})",
            group.id,
            group.tags.name().unwrap_or(&group.name)
        )
    }
}

pub(crate) fn instance_label(instance: &Instance) -> String {
    match instance.tags.name() {
        Some(name) => format!("{} ({name})", instance.id),
        None => instance.id.clone(),
    }
}

/// The resource a finding is about, pointing at where it was read.
pub(crate) fn resource(
    estate: &Estate,
    kind: ResourceType,
    id: &str,
    name: Option<&str>,
    origin: &Origin,
    owner: Option<&str>,
) -> Resource {
    let scope = estate.scope(origin.scope);
    let list = match kind {
        ResourceType::AwsEc2SecurityGroup => Some("SecurityGroups"),
        ResourceType::AwsEc2Vpc => Some("Vpcs"),
        ResourceType::AwsCloudTrailTrail => Some("trailList"),
        ResourceType::AwsConfigConfigurationRecorder => Some("ConfigurationRecorders"),
        _ => None,
    };
    let location = estate.file(origin.file).map(|file| Location {
        file: file.display().to_string(),
        pointer: match (list, origin.position) {
            (Some(list), Position::Item(i)) => Some(format!("/{list}/{i}")),
            _ => None,
        },
        line: match origin.position {
            Position::Line(line) => Some(line),
            _ => None,
        },
    });
    Resource {
        kind,
        id: id.to_string(),
        name: name.map(str::to_string),
        region: scope.region.clone(),
        account: scope.account.clone().or_else(|| owner.map(str::to_string)),
        location,
    }
}

pub(crate) fn group_resource(estate: &Estate, group: &SecurityGroup) -> Resource {
    resource(
        estate,
        ResourceType::AwsEc2SecurityGroup,
        &group.id,
        Some(name_of(&group.tags, &group.name)),
        &group.origin,
        group.owner_id.as_deref(),
    )
}

pub(crate) fn instance_resource(estate: &Estate, instance: &Instance) -> Resource {
    resource(
        estate,
        ResourceType::AwsEc2Instance,
        &instance.id,
        instance.tags.name(),
        &instance.origin,
        instance.owner_id.as_deref(),
    )
}

fn name_of<'a>(tags: &'a Tags, fallback: &'a str) -> &'a str {
    tags.name().unwrap_or(fallback)
}

/// The gap that keeps `kind` from being judged in `scope`, if the source said so.
pub(crate) fn gap(estate: &Estate, scope: ScopeId, kind: ResourceKind) -> Option<&Incomplete> {
    estate
        .incomplete
        .iter()
        .chain(&estate.unread)
        .find(|g| g.scope == scope && g.kind == kind && g.subject.is_none())
}

/// AWS names every VPC's default group `default`, and no other group may take the name.
pub(crate) fn is_default_group(group: &SecurityGroup) -> bool {
    group.name == "default"
}

/// Where two groups meet: a network interface, or an instance whose interfaces are unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Place {
    Interface(usize),
    Instance(usize),
}

impl Place {
    pub fn id<'e>(&self, estate: &'e Estate) -> &'e str {
        match *self {
            Place::Interface(e) => &estate.network_interfaces[e].id,
            Place::Instance(i) => &estate.instances[i].id,
        }
    }
}

/// For each group, the other groups applied with it on some network interface (or on an
/// instance whose interfaces are unknown), each once with one place where they meet: what
/// a rule of the group is combined with when AWS decides.
pub(crate) fn co_applied(ctx: &Context<'_>) -> Vec<Vec<(u32, Place)>> {
    let estate = ctx.estate;
    let mut with: Vec<Vec<(u32, Place)>> = vec![Vec::new(); estate.security_groups.len()];
    for (i, exposure) in ctx.eval.instances.iter().enumerate() {
        if estate.instances[i].state.is_gone() {
            continue;
        }
        for interface in &exposure.interfaces {
            if interface.groups.len() < 2 {
                continue;
            }
            let place = match interface.interface {
                Some(e) => Place::Interface(e),
                None => Place::Instance(i),
            };
            for &a in &interface.groups {
                for &b in &interface.groups {
                    if a != b {
                        with[a as usize].push((b, place));
                    }
                }
            }
        }
    }
    for list in &mut with {
        list.sort_unstable();
        list.dedup_by_key(|(g, _)| *g);
    }
    with
}

/// Group indices by (scope, id) and by (scope, name), for config entries and references
/// that name a group either way.
pub(crate) struct GroupNames<'e> {
    by_id: HashMap<(ScopeId, &'e str), usize>,
}

impl<'e> GroupNames<'e> {
    pub fn of(estate: &'e Estate) -> Self {
        GroupNames {
            by_id: estate
                .security_groups
                .iter()
                .enumerate()
                .map(|(i, g)| ((g.origin.scope, g.id.as_str()), i))
                .collect(),
        }
    }

    /// The group a rule's group source names in the rule's own scope.
    pub fn referenced(&self, scope: ScopeId, source: &Source) -> Option<usize> {
        match source {
            Source::Group(r) => r
                .group_id
                .as_deref()
                .and_then(|id| self.by_id.get(&(scope, id)).copied()),
            _ => None,
        }
    }
}

/// Whether `entry` (a group id or name from the config file) names `group`.
pub(crate) fn names_group(entry: &str, group: &SecurityGroup) -> bool {
    entry == group.id || entry == group.name
}

/// Appends the rule's protocol and ports as people read them: `tcp/22`,
/// `udp/1000-2000`, `icmp`, `all traffic`.
fn push_traffic(out: &mut String, traffic: &Traffic) {
    // Writing into a String cannot fail.
    let _ = match traffic {
        Traffic::All => write!(out, "all traffic"),
        Traffic::Tcp(p) => write!(out, "tcp/{p}"),
        Traffic::Udp(p) => write!(out, "udp/{p}"),
        Traffic::Icmp(_) => write!(out, "icmp"),
        Traffic::Icmpv6(_) => write!(out, "icmpv6"),
        Traffic::Other(n) => write!(out, "protocol {n}"),
    };
}

/// `tcp/22 from 10.0.0.0/8` (`sgr-...`).
pub(crate) fn describe_rule(rule: &Rule) -> String {
    let mut text = String::with_capacity(64);
    push_rule(&mut text, rule);
    text
}

/// [`describe_rule`], appended to `out`.
pub(crate) fn push_rule(out: &mut String, rule: &Rule) {
    push_traffic(out, &rule.traffic);
    let _ = write!(out, " from {}", rule.source);
    if let Some(id) = &rule.id {
        let _ = write!(out, " ({id})");
    }
}

/// `tcp/22 to 0.0.0.0/0` for egress rules.
pub(crate) fn describe_egress(rule: &Rule) -> String {
    let mut text = String::with_capacity(64);
    push_traffic(&mut text, &rule.traffic);
    let _ = write!(text, " to {}", rule.source);
    if let Some(id) = &rule.id {
        let _ = write!(text, " ({id})");
    }
    text
}

/// The TCP ports a rule opens: every port for protocol -1.
pub(crate) fn tcp_ports(traffic: &Traffic) -> Option<ringfence_model::PortRange> {
    match traffic {
        Traffic::All => Some(ringfence_model::PortRange::ALL),
        Traffic::Tcp(p) => Some(*p),
        _ => None,
    }
}

/// Joins at most `max` items, saying how many more there are.
pub(crate) fn list(items: &[String], max: usize) -> String {
    list_counted(&items[..items.len().min(max)], items.len())
}

/// Joins the items `shown`, the first of `total`, saying how many more there are: what
/// [`list`] prints, for a check that builds the text of only the items it shows.
pub(crate) fn list_counted(shown: &[String], total: usize) -> String {
    if total <= shown.len() {
        shown.join("; ")
    } else {
        format!("{}; and {} more", shown.join("; "), total - shown.len())
    }
}

/// Managed prefix lists by (scope, id), to resolve egress destinations (the engine
/// resolves only ingress sources).
pub(crate) struct Destinations<'e> {
    lists: HashMap<(ScopeId, &'e str), &'e PrefixList>,
}

impl<'e> Destinations<'e> {
    pub fn of(estate: &'e Estate) -> Self {
        Destinations {
            lists: estate
                .prefix_lists
                .iter()
                .map(|l| ((l.origin.scope, l.id.as_str()), l))
                .collect(),
        }
    }

    /// The addresses a rule's CIDR or prefix list names; `None` for a prefix list whose
    /// entries are unknown or an unresolved value. A group names no addresses.
    pub fn resolve(&self, scope: ScopeId, source: &Source) -> Option<Reach> {
        let (reach, unknown) = ringfence_exposure::resolve(source, scope, |scope, id| {
            self.lists.get(&(scope, id)).copied()
        });
        (!unknown).then_some(reach)
    }
}

/// Whether `traffic` carries TCP `port` (protocol -1 carries every port).
pub(crate) fn carries_tcp(traffic: &Traffic, port: u16) -> bool {
    tcp_ports(traffic).is_some_and(|p| p.contains(port))
}

/// A resource that stands for a whole account and region (no trail, no recorder): named
/// after the account, as Prowler does, with no place in a file.
pub(crate) fn region_resource(
    estate: &Estate,
    kind: ResourceType,
    scope: ScopeId,
    id: Option<&str>,
    origin: Option<&Origin>,
) -> Resource {
    let s = estate.scope(scope);
    match (id, origin) {
        (Some(id), Some(origin)) => resource(estate, kind, id, Some(id), origin, None),
        _ => Resource {
            kind,
            id: s
                .account
                .clone()
                .unwrap_or_else(|| "unknown-account".to_string()),
            name: None,
            region: s.region.clone(),
            account: s.account.clone(),
            location: None,
        },
    }
}
