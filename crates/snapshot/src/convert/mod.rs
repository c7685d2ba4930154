//! Turns the parsed AWS JSON of one region folder into an [`Estate`] with one scope.
//!
//! Each file is read, parsed, converted and dropped on its own, either straight into one
//! builder ([`Builder::add`]) or into a builder of its own ([`Builder::part`]) that is
//! merged in later ([`Builder::absorb`]), so that the files of a folder can be converted in
//! parallel and merged in a fixed order. What needs two files (rule ids, interfaces seen
//! only inside instances, prefix-list entries) is settled as the later one arrives or in
//! [`Builder::finish`].

mod audit;
mod groups;
mod instances;
mod network;

use crate::aws_json::{Str, Tag};
use crate::error::SnapshotError;
use crate::stream::{GiveUp, stream};
use ringfence_model::{
    Estate, FileId, Incomplete, NetworkInterface, Origin, Position, PrefixList, ResourceKind,
    Scope, ScopeId, Source, Tags,
};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fs::File;
use std::path::Path;

/// The one scope of a region estate; [`Estate::merge`] renumbers it.
const SCOPE: ScopeId = ScopeId(0);

pub(crate) struct Builder {
    estate: Estate,
    /// Rule ids read by [`Builder::part`] before the groups they name: matched onto the
    /// groups when the part is absorbed.
    rule_ids: Option<groups::RuleIds>,
    /// The first 12-digit `OwnerId` seen of each [`Owner`] rank: the account when no
    /// folder names it.
    owners: [Option<String>; 4],
    /// The first availability zone seen: the region when no folder names it.
    zone: Option<String>,
    /// Interfaces read from inside `describe-instances`, kept only when
    /// `describe-network-interfaces` does not list them.
    embedded_interfaces: Vec<NetworkInterface>,
    /// `get-trail-status` answers by trail name, put on their trails in `finish`.
    trail_status: Vec<(String, bool)>,
    /// Recorder statuses, put on their recorders in `finish`.
    recorder_status: Vec<audit::RecorderStatus>,
}

impl Builder {
    pub fn new() -> Self {
        Builder {
            estate: Estate::default(),
            rule_ids: None,
            owners: Default::default(),
            zone: None,
            embedded_interfaces: Vec::new(),
            trail_status: Vec::new(),
            recorder_status: Vec::new(),
        }
    }

    /// Parses and converts one file. Security groups must come before
    /// `describe-security-group-rules`, whose ids are matched onto them.
    pub fn add(
        &mut self,
        kind: ResourceKind,
        bytes: &[u8],
        path: &Path,
    ) -> Result<(), SnapshotError> {
        match kind {
            ResourceKind::SecurityGroups => groups::security_groups(self, bytes, path),
            ResourceKind::SecurityGroupRules => groups::rule_ids(self, bytes, path),
            ResourceKind::Instances => instances::instances(self, bytes, path),
            ResourceKind::NetworkInterfaces => instances::network_interfaces(self, bytes, path),
            ResourceKind::Subnets => network::subnets(self, bytes, path),
            ResourceKind::Vpcs => network::vpcs(self, bytes, path),
            ResourceKind::RouteTables => network::route_tables(self, bytes, path),
            ResourceKind::NetworkAcls => network::network_acls(self, bytes, path),
            ResourceKind::InternetGateways => network::internet_gateways(self, bytes, path),
            ResourceKind::Addresses => network::addresses(self, bytes, path),
            ResourceKind::ManagedPrefixLists => network::prefix_lists(self, bytes, path),
            ResourceKind::PrefixListEntries => {
                let id = path
                    .file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
                    .unwrap_or_default();
                network::prefix_list_entries(self, &id, bytes, path)
            }
            ResourceKind::FlowLogs => audit::flow_logs(self, bytes, path),
            ResourceKind::Trails => audit::trails(self, bytes, path),
            ResourceKind::TrailStatus => {
                let name = path
                    .file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
                    .unwrap_or_default();
                audit::trail_status(self, &name, bytes, path)
            }
            ResourceKind::ConfigRecorders => audit::recorders(self, bytes, path),
            ResourceKind::ConfigRecorderStatus => audit::recorder_status(self, bytes, path),
        }
    }

    /// Parses and converts one file into a builder of its own, to be [`Builder::absorb`]ed
    /// later; needs nothing from any other file, so files can be converted in parallel.
    pub fn part(kind: ResourceKind, bytes: &[u8], path: &Path) -> Result<Builder, SnapshotError> {
        let mut part = Builder::new();
        if kind == ResourceKind::SecurityGroupRules {
            part.rule_ids = Some(groups::read_rule_ids(&mut part, bytes, path)?);
        } else {
            part.add(kind, bytes, path)?;
        }
        Ok(part)
    }

    /// Like [`Builder::part`] for the big files (groups, rule ids, instances, interfaces),
    /// streamed from `file` a chunk at a time ([`crate::stream`]) and converted in
    /// parallel. `Ok(None)` for other kinds, and when the fast path gave up (bad or unusual
    /// JSON): read the file whole with [`Builder::part`] then, which says exactly what is
    /// wrong.
    pub fn part_streamed(
        kind: ResourceKind,
        file: File,
        path: &Path,
    ) -> Result<Option<Builder>, SnapshotError> {
        let mut b = Builder::new();
        let file_id = b.file(path);
        let result = match kind {
            ResourceKind::SecurityGroups => {
                let elements = groups::GroupElements { file_id, path };
                stream(file, "SecurityGroups", &elements, |(group, owner)| {
                    b.note_owner(Owner::SecurityGroup, owner.as_ref());
                    b.estate.security_groups.push(group);
                })
            }
            ResourceKind::SecurityGroupRules => {
                let mut ids = groups::RuleIds::default();
                let elements = groups::RuleElements { path };
                let result = stream(file, "SecurityGroupRules", &elements, |item| {
                    if let Some((group, entry)) = item {
                        ids.insert(group, entry);
                    }
                });
                b.rule_ids = Some(ids);
                result
            }
            ResourceKind::Instances => {
                let elements = instances::ReservationElements { file_id };
                stream(file, "Reservations", &elements, |item| {
                    b.note_owner(Owner::Reservation, item.owner.as_ref());
                    b.note_zone(item.zone.as_deref());
                    b.estate.instances.extend(item.instances);
                    b.embedded_interfaces.extend(item.interfaces);
                })
            }
            ResourceKind::NetworkInterfaces => {
                let elements = instances::InterfaceElements { file_id };
                stream(
                    file,
                    "NetworkInterfaces",
                    &elements,
                    |(interface, owner, zone)| {
                        b.note_owner(Owner::Interface, owner.as_ref());
                        b.note_zone(zone.as_deref());
                        b.estate.network_interfaces.push(interface);
                    },
                )
            }
            _ => return Ok(None),
        };
        match result {
            Ok(token) => {
                let token = token.map(|t| Str(Cow::Owned(t)));
                b.note_next_token(kind, None, token.as_ref());
                Ok(Some(b))
            }
            Err(GiveUp::Shape) => Ok(None),
            Err(GiveUp::Io(e)) => Err(SnapshotError::io(path, "file", e)),
        }
    }

    /// Merges a [`Builder::part`] in, as if its file had been [`Builder::add`]ed here: its
    /// resources follow this builder's, its file ids are renumbered, and the first owner
    /// and zone seen stay the first. Parts must come in the order `add` would take them
    /// (security groups before their rule ids).
    pub fn absorb(&mut self, part: Builder) {
        let Builder {
            estate,
            rule_ids,
            owners,
            zone,
            embedded_interfaces,
            trail_status,
            recorder_status,
        } = part;
        let Estate {
            scopes: _,
            files,
            vpcs,
            subnets,
            security_groups,
            prefix_lists,
            network_interfaces,
            instances,
            route_tables,
            network_acls,
            internet_gateways,
            addresses,
            flow_logs,
            trails,
            config_recorders,
            incomplete,
            unread,
        } = estate;
        let base = u32::try_from(self.estate.files.len()).unwrap_or(u32::MAX);
        self.estate.files.extend(files);
        fn append<T>(
            to: &mut Vec<T>,
            mut from: Vec<T>,
            base: u32,
            origin: fn(&mut T) -> &mut Origin,
        ) {
            if base > 0 {
                for item in &mut from {
                    let origin = origin(item);
                    origin.file = FileId(origin.file.0 + base);
                }
            }
            if to.is_empty() {
                *to = from;
            } else {
                to.append(&mut from);
            }
        }
        let e = &mut self.estate;
        append(&mut e.vpcs, vpcs, base, |r| &mut r.origin);
        append(&mut e.subnets, subnets, base, |r| &mut r.origin);
        append(&mut e.security_groups, security_groups, base, |r| {
            &mut r.origin
        });
        append(&mut e.prefix_lists, prefix_lists, base, |r| &mut r.origin);
        append(&mut e.network_interfaces, network_interfaces, base, |r| {
            &mut r.origin
        });
        append(&mut e.instances, instances, base, |r| &mut r.origin);
        append(&mut e.route_tables, route_tables, base, |r| &mut r.origin);
        append(&mut e.network_acls, network_acls, base, |r| &mut r.origin);
        append(&mut e.internet_gateways, internet_gateways, base, |r| {
            &mut r.origin
        });
        append(&mut e.addresses, addresses, base, |r| &mut r.origin);
        append(&mut e.flow_logs, flow_logs, base, |r| &mut r.origin);
        append(&mut e.trails, trails, base, |r| &mut r.origin);
        append(&mut e.config_recorders, config_recorders, base, |r| {
            &mut r.origin
        });
        self.trail_status.extend(trail_status);
        self.recorder_status.extend(recorder_status);
        self.estate.unread.extend(unread);
        append(
            &mut self.embedded_interfaces,
            embedded_interfaces,
            base,
            |r| &mut r.origin,
        );
        self.estate.incomplete.extend(incomplete);
        for (slot, owner) in self.owners.iter_mut().zip(owners) {
            if slot.is_none() {
                *slot = owner;
            }
        }
        if self.zone.is_none() {
            self.zone = zone;
        }
        if let Some(ids) = rule_ids {
            groups::apply_rule_ids(&mut self.estate.security_groups, ids);
        }
    }

    /// Optional audit data that is not known.
    pub fn unread(&mut self, kind: ResourceKind, subject: Option<&str>, reason: String) {
        self.estate.unread.push(Incomplete {
            scope: SCOPE,
            kind,
            subject: subject.map(str::to_string),
            reason,
        });
    }

    /// Trails whose `get-trail-status` is wanted, by name.
    pub fn trails_wanted(&self) -> Vec<String> {
        let mut names: Vec<String> = self.estate.trails.iter().map(|t| t.name.clone()).collect();
        names.dedup();
        names
    }

    pub fn add_trail_status(
        &mut self,
        name: &str,
        bytes: &[u8],
        path: &Path,
    ) -> Result<(), SnapshotError> {
        audit::trail_status(self, name, bytes, path)
    }

    pub fn add_prefix_list_entries(
        &mut self,
        id: &str,
        bytes: &[u8],
        path: &Path,
    ) -> Result<(), SnapshotError> {
        network::prefix_list_entries(self, id, bytes, path)
    }

    /// Records that a file is absent, saying what can no longer be judged. An optional
    /// audit file goes to `unread`: only the checks that need it care.
    pub fn missing(&mut self, kind: ResourceKind) {
        if kind.is_optional_audit() {
            let reason = format!("{}.json is missing: {}", kind.command(), consequence(kind));
            self.unread(kind, None, reason);
            return;
        }
        self.estate.incomplete.push(Incomplete {
            scope: SCOPE,
            kind,
            subject: None,
            reason: format!("{}.json is missing: {}", kind.command(), consequence(kind)),
        });
    }

    /// A kind (or one prefix list's entries) that could not be read from a live source.
    pub fn failed(&mut self, kind: ResourceKind, subject: Option<&str>, reason: &str) {
        if kind.is_optional_audit() {
            let reason = format!("{} failed: {reason}: {}", kind.command(), consequence(kind));
            self.unread(kind, subject, reason);
            return;
        }
        self.estate.incomplete.push(Incomplete {
            scope: SCOPE,
            kind,
            subject: subject.map(str::to_string),
            reason: format!("{} failed: {reason}: {}", kind.command(), consequence(kind)),
        });
    }

    /// A prefix list whose entries are unknown stays in the estate with `entries: None`, so
    /// rules naming it are judged as unknown rather than as matching nothing.
    pub fn missing_prefix_list_entries(&mut self, id: &str) {
        if !self.estate.prefix_lists.iter().any(|list| list.id == id) {
            let origin = self.first_reference(id);
            self.estate.prefix_lists.push(PrefixList {
                id: id.to_string(),
                name: None,
                owner_id: None,
                address_family: None,
                entries: None,
                tags: Tags::default(),
                origin,
            });
        }
        self.estate.incomplete.push(Incomplete {
            scope: SCOPE,
            kind: ResourceKind::PrefixListEntries,
            subject: Some(id.to_string()),
            reason: format!(
                "{}/{id}.json is missing: rules naming {id} cannot be judged",
                ResourceKind::PrefixListEntries.command()
            ),
        });
    }

    /// Prefix lists whose entries are needed: those listed and those any rule names,
    /// in first-seen order.
    pub fn prefix_lists_wanted(&self) -> Vec<String> {
        let mut seen = HashSet::new();
        let listed = self.estate.prefix_lists.iter().map(|list| list.id.as_str());
        let referenced = self
            .estate
            .security_groups
            .iter()
            .flat_map(|group| group.ingress.iter().chain(&group.egress))
            .filter_map(|rule| match &rule.source {
                Source::PrefixList(id) => Some(id.as_str()),
                _ => None,
            });
        listed
            .chain(referenced)
            .filter(|id| seen.insert(*id))
            .map(str::to_string)
            .collect()
    }

    /// The region estate, its scope named by the folder where it says, else by the data.
    pub fn finish(mut self, account: Option<&str>, region: Option<&str>) -> Estate {
        audit::settle(&mut self);
        instances::merge_embedded_interfaces(&mut self.estate, self.embedded_interfaces);
        let region = region
            .map(str::to_string)
            .or_else(|| self.zone.as_deref().and_then(crate::layout::region_of_zone))
            .unwrap_or_else(|| "unknown".to_string());
        let account = account
            .map(str::to_string)
            .or_else(|| self.owners.into_iter().flatten().next());
        self.estate.scopes.clear();
        self.estate.scopes.push(Scope { account, region });
        self.estate
    }

    fn file(&mut self, path: &Path) -> FileId {
        self.estate.files.push(path.to_path_buf());
        FileId(u32::try_from(self.estate.files.len() - 1).unwrap_or(u32::MAX))
    }

    fn note_owner(&mut self, rank: Owner, owner: Option<&Str<'_>>) {
        let slot = &mut self.owners[rank as usize];
        if slot.is_none()
            && let Some(owner) = owner.filter(|o| crate::layout::is_account_id(o))
        {
            *slot = Some(owner.to_string());
        }
    }

    fn note_zone(&mut self, zone: Option<&str>) {
        if self.zone.is_none()
            && let Some(zone) = zone.filter(|z| !z.is_empty())
        {
            self.zone = Some(zone.to_string());
        }
    }

    /// A file holding `NextToken` is one page of a paginated answer: the rest is unknown.
    fn note_next_token(&mut self, kind: ResourceKind, subject: Option<&str>, token: Option<&Str>) {
        if token.is_some_and(|t| !t.is_empty()) {
            let file = match subject {
                Some(id) => format!("{}/{id}.json", kind.command()),
                None => format!("{}.json", kind.command()),
            };
            self.estate.incomplete.push(Incomplete {
                scope: SCOPE,
                kind,
                subject: subject.map(str::to_string),
                reason: format!(
                    "{file} holds only the first page (it has a NextToken): what follows was not read"
                ),
            });
        }
    }

    fn first_reference(&self, prefix_list: &str) -> Origin {
        self.estate
            .security_groups
            .iter()
            .find(|group| {
                group
                    .ingress
                    .iter()
                    .chain(&group.egress)
                    .any(|rule| matches!(&rule.source, Source::PrefixList(id) if id == prefix_list))
            })
            .map(|group| group.origin)
            .unwrap_or_default()
    }
}

/// How surely an `OwnerId` is the account that took the snapshot, surest first. Prefix
/// lists are left out: AWS's own say `AWS`, and shared ones name another account, as
/// VPCs, subnets and their tables may when a VPC is shared.
#[derive(Clone, Copy)]
enum Owner {
    /// `describe-instances` shows only the caller's own instances.
    Reservation = 0,
    SecurityGroup = 1,
    Interface = 2,
    Shareable = 3,
}

fn origin(file: FileId, index: usize) -> Origin {
    Origin::new(
        SCOPE,
        file,
        Position::Item(u32::try_from(index).unwrap_or(u32::MAX)),
    )
}

/// An optional string, with AWS's empty string (`"InstanceId": ""`) read as absent.
fn opt(value: Option<Str<'_>>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(Str::own)
}

fn tags(raw: Vec<Tag<'_>>) -> Tags {
    Tags(
        raw.into_iter()
            .map(|tag| (tag.key.own(), tag.value.map(Str::own).unwrap_or_default()))
            .collect(),
    )
}

fn consequence(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::SecurityGroups => {
            "security groups are unknown, so no rule in this region can be judged"
        }
        ResourceKind::SecurityGroupRules => "rules carry no sgr- ids",
        ResourceKind::Instances => {
            "instances are unknown, so exposures cannot be tied to instances"
        }
        ResourceKind::NetworkInterfaces => {
            "only interfaces shown inside describe-instances are known; those of load balancers, NAT gateways, Lambda, RDS and other services, and their public addresses, are not"
        }
        ResourceKind::Subnets => {
            "subnets are unknown, so public IP auto-assignment and route-table association cannot be judged"
        }
        ResourceKind::Vpcs => "VPCs are unknown, so VPC address ranges cannot be judged",
        ResourceKind::RouteTables => {
            "route tables are unknown, so whether a path from the internet exists cannot be judged"
        }
        ResourceKind::NetworkAcls => {
            "network ACLs are unknown, so whether they block traffic cannot be judged"
        }
        ResourceKind::InternetGateways => {
            "internet gateways are unknown, so whether a route leads to the internet cannot be judged"
        }
        ResourceKind::Addresses => "Elastic IPs are unknown beyond those shown on interfaces",
        ResourceKind::ManagedPrefixLists => {
            "managed prefix lists are unknown; rules naming one are judged only where its entries file exists"
        }
        ResourceKind::PrefixListEntries => {
            "prefix-list entries are unknown, so rules naming prefix lists cannot be judged"
        }
        ResourceKind::FlowLogs => "whether VPCs have flow logs cannot be judged",
        ResourceKind::Trails => "whether a multi-region CloudTrail trail logs cannot be judged",
        ResourceKind::TrailStatus => "whether the trails are logging cannot be judged",
        ResourceKind::ConfigRecorders => "whether AWS Config records cannot be judged",
        ResourceKind::ConfigRecorderStatus => {
            "whether the AWS Config recorders are recording cannot be judged"
        }
    }
}
