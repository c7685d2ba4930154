use crate::{
    Address, ConfigRecorder, FlowLog, Instance, InternetGateway, NetworkAcl, NetworkInterface,
    PrefixList, RouteTable, Scope, ScopeId, SecurityGroup, Subnet, Trail, Vpc, origin::Files,
};
use std::fmt;
use std::path::Path;

/// The kinds of resource a source reads, one per `describe-*` call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceKind {
    SecurityGroups,
    SecurityGroupRules,
    Instances,
    NetworkInterfaces,
    Subnets,
    Vpcs,
    RouteTables,
    NetworkAcls,
    InternetGateways,
    Addresses,
    ManagedPrefixLists,
    PrefixListEntries,
    /// Optional: what the flow-log check reads.
    FlowLogs,
    /// Optional, `aws cloudtrail describe-trails`.
    Trails,
    /// Optional, `aws cloudtrail get-trail-status`, one file per trail.
    TrailStatus,
    /// Optional, `aws configservice describe-configuration-recorders`.
    ConfigRecorders,
    /// Optional, `aws configservice describe-configuration-recorder-status`.
    ConfigRecorderStatus,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 17] = [
        ResourceKind::SecurityGroups,
        ResourceKind::SecurityGroupRules,
        ResourceKind::Instances,
        ResourceKind::NetworkInterfaces,
        ResourceKind::Subnets,
        ResourceKind::Vpcs,
        ResourceKind::RouteTables,
        ResourceKind::NetworkAcls,
        ResourceKind::InternetGateways,
        ResourceKind::Addresses,
        ResourceKind::ManagedPrefixLists,
        ResourceKind::PrefixListEntries,
        ResourceKind::FlowLogs,
        ResourceKind::Trails,
        ResourceKind::TrailStatus,
        ResourceKind::ConfigRecorders,
        ResourceKind::ConfigRecorderStatus,
    ];

    /// The audit-trail kinds: optional files, needed only by the checks that read them.
    /// Their absence is kept in [`Estate::unread`], not in [`Estate::incomplete`].
    pub fn is_optional_audit(&self) -> bool {
        matches!(
            self,
            ResourceKind::FlowLogs
                | ResourceKind::Trails
                | ResourceKind::TrailStatus
                | ResourceKind::ConfigRecorders
                | ResourceKind::ConfigRecorderStatus
        )
    }

    /// The AWS CLI service the command belongs to (`aws <service> <command>`).
    pub fn service(&self) -> &'static str {
        match self {
            ResourceKind::Trails | ResourceKind::TrailStatus => "cloudtrail",
            ResourceKind::ConfigRecorders | ResourceKind::ConfigRecorderStatus => "configservice",
            _ => "ec2",
        }
    }

    /// The AWS CLI command whose output holds this kind; the snapshot file is named after it.
    pub fn command(&self) -> &'static str {
        match self {
            ResourceKind::SecurityGroups => "describe-security-groups",
            ResourceKind::SecurityGroupRules => "describe-security-group-rules",
            ResourceKind::Instances => "describe-instances",
            ResourceKind::NetworkInterfaces => "describe-network-interfaces",
            ResourceKind::Subnets => "describe-subnets",
            ResourceKind::Vpcs => "describe-vpcs",
            ResourceKind::RouteTables => "describe-route-tables",
            ResourceKind::NetworkAcls => "describe-network-acls",
            ResourceKind::InternetGateways => "describe-internet-gateways",
            ResourceKind::Addresses => "describe-addresses",
            ResourceKind::ManagedPrefixLists => "describe-managed-prefix-lists",
            ResourceKind::PrefixListEntries => "get-managed-prefix-list-entries",
            ResourceKind::FlowLogs => "describe-flow-logs",
            ResourceKind::Trails => "describe-trails",
            ResourceKind::TrailStatus => "get-trail-status",
            ResourceKind::ConfigRecorders => "describe-configuration-recorders",
            ResourceKind::ConfigRecorderStatus => "describe-configuration-recorder-status",
        }
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.command())
    }
}

/// Something that could not be read, so that a report never mistakes "unknown" for "safe".
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Incomplete {
    pub scope: ScopeId,
    pub kind: ResourceKind,
    /// The one resource affected (a prefix list id, say), when not the whole kind.
    pub subject: Option<String>,
    /// What narrows as a result, in words ("rules naming pl-123 cannot be judged").
    pub reason: String,
}

/// Everything read from one or more accounts and regions.
#[derive(Clone, Debug, Default)]
pub struct Estate {
    pub scopes: Vec<Scope>,
    pub files: Files,
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub security_groups: Vec<SecurityGroup>,
    pub prefix_lists: Vec<PrefixList>,
    pub network_interfaces: Vec<NetworkInterface>,
    pub instances: Vec<Instance>,
    pub route_tables: Vec<RouteTable>,
    pub network_acls: Vec<NetworkAcl>,
    pub internet_gateways: Vec<InternetGateway>,
    pub addresses: Vec<Address>,
    pub flow_logs: Vec<FlowLog>,
    pub trails: Vec<Trail>,
    pub config_recorders: Vec<ConfigRecorder>,
    pub incomplete: Vec<Incomplete>,
    /// Optional audit-trail data ([`ResourceKind::is_optional_audit`]) that was not read:
    /// the checks that need it answer SKIP with this reason, and a scan lists it as
    /// incomplete only when such a check ran.
    pub unread: Vec<Incomplete>,
}

impl Estate {
    /// The scope's id, adding it when new.
    pub fn scope_id(&mut self, scope: Scope) -> ScopeId {
        match self.scopes.iter().position(|s| *s == scope) {
            Some(i) => ScopeId(i as u32),
            None => {
                self.scopes.push(scope);
                ScopeId((self.scopes.len() - 1) as u32)
            }
        }
    }

    pub fn scope(&self, id: ScopeId) -> &Scope {
        &self.scopes[id.0 as usize]
    }

    pub fn file(&self, id: crate::FileId) -> Option<&Path> {
        self.files.get(id.0 as usize).map(|p| p.as_path())
    }

    /// Appends another estate (another region or account), renumbering its scopes and files.
    pub fn merge(&mut self, other: Estate) {
        let scope_map: Vec<ScopeId> = other.scopes.into_iter().map(|s| self.scope_id(s)).collect();
        let file_base = self.files.len() as u32;
        self.files.extend(other.files);
        let fix = |origin: &mut crate::Origin| {
            origin.scope = scope_map[origin.scope.0 as usize];
            origin.file = crate::FileId(origin.file.0 + file_base);
        };
        // Renumbered in place and moved, not copied: the first region's vectors are taken
        // whole.
        macro_rules! take {
            ($($field:ident),*) => {$(
                let mut items = other.$field;
                items.iter_mut().for_each(|r| fix(&mut r.origin));
                if self.$field.is_empty() {
                    self.$field = items;
                } else {
                    self.$field.append(&mut items);
                }
            )*};
        }
        take!(
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
            config_recorders
        );
        self.incomplete
            .extend(other.incomplete.into_iter().map(|mut i| {
                i.scope = scope_map[i.scope.0 as usize];
                i
            }));
        self.unread.extend(other.unread.into_iter().map(|mut i| {
            i.scope = scope_map[i.scope.0 as usize];
            i
        }));
    }

    /// Why `kind` is not known in `scope`, when it was not read.
    pub fn unread_reason(&self, scope: ScopeId, kind: ResourceKind) -> Option<&str> {
        self.unread
            .iter()
            .find(|gap| gap.scope == scope && gap.kind == kind && gap.subject.is_none())
            .map(|gap| gap.reason.as_str())
    }

    pub fn index(&self) -> EstateIndex<'_> {
        EstateIndex::new(self)
    }
}

type Key<'a> = (ScopeId, &'a str);

/// A hash map with a fast, per-process randomly seeded hasher: index lookups by AWS id run
/// hundreds of thousands of times per scan, and SipHash was a visible share of it.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Lookups by (scope, id), built once per scan.
#[derive(Debug)]
pub struct EstateIndex<'a> {
    pub security_groups: FastMap<Key<'a>, usize>,
    pub prefix_lists: FastMap<Key<'a>, usize>,
    pub network_interfaces: FastMap<Key<'a>, usize>,
    pub subnets: FastMap<Key<'a>, usize>,
    pub vpcs: FastMap<Key<'a>, usize>,
    /// Interfaces attached to each instance, primary (device index 0) first.
    pub interfaces_of_instance: FastMap<Key<'a>, Vec<usize>>,
}

impl<'a> EstateIndex<'a> {
    fn new(estate: &'a Estate) -> Self {
        fn by_id<'a, T>(items: &'a [T], key: impl Fn(&'a T) -> Key<'a>) -> FastMap<Key<'a>, usize> {
            items
                .iter()
                .enumerate()
                .map(|(i, item)| (key(item), i))
                .collect()
        }
        let mut interfaces_of_instance: FastMap<Key<'a>, Vec<usize>> = FastMap::default();
        for (i, eni) in estate.network_interfaces.iter().enumerate() {
            if let Some(instance) = eni
                .attachment
                .as_ref()
                .and_then(|a| a.instance_id.as_deref())
            {
                interfaces_of_instance
                    .entry((eni.origin.scope, instance))
                    .or_default()
                    .push(i);
            }
        }
        for list in interfaces_of_instance.values_mut() {
            list.sort_by_key(|&i| {
                let eni = &estate.network_interfaces[i];
                (
                    eni.attachment
                        .as_ref()
                        .and_then(|a| a.device_index)
                        .unwrap_or(u32::MAX),
                    i,
                )
            });
        }
        EstateIndex {
            security_groups: by_id(&estate.security_groups, |g| (g.origin.scope, g.id.as_str())),
            prefix_lists: by_id(&estate.prefix_lists, |p| (p.origin.scope, p.id.as_str())),
            network_interfaces: by_id(&estate.network_interfaces, |n| {
                (n.origin.scope, n.id.as_str())
            }),
            subnets: by_id(&estate.subnets, |s| (s.origin.scope, s.id.as_str())),
            vpcs: by_id(&estate.vpcs, |v| (v.origin.scope, v.id.as_str())),
            interfaces_of_instance,
        }
    }
}
