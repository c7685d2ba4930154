//! Resources in Terraform's schema (from HCL, from a plan, or CloudFormation translated to
//! it) into the model. One mapper for every input, so the same code means the same thing
//! whichever way it was written.
//!
//! Unknown values never turn into a pass: a rule whose source, protocol or ports cannot be
//! resolved keeps a [`Source::Unresolved`] source naming the expression and its file:line;
//! a group an instance names but the code does not declare stays a missing group (SKIP).

use crate::value::{LINE, Res, Val};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use ringfence_model::{
    AclAction, AclEntry, Association, Attachment, Estate, FileId, GroupRef, Incomplete, Instance,
    InstanceState, InternetGateway, NetworkAcl, NetworkInterface, Origin, Position, PrefixList,
    PrefixListEntry, PrivateIp, ResourceKind, Route, RouteDestination, RouteTable,
    RouteTableAssociation, RouteTarget, Rule, Scope, ScopeId, SecurityGroup, Source, Subnet, Tags,
    Traffic, Vpc,
};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// The region findings show for code: it is not deployed anywhere yet.
pub(crate) const REGION: &str = "iac";

struct Builder<'r> {
    estate: Estate,
    scope: ScopeId,
    by_kind: BTreeMap<&'r str, Vec<&'r Res>>,
    groups: HashMap<String, usize>,
    interfaces: HashMap<String, usize>,
    /// Instance address → index of its primary interface.
    primary: HashMap<String, usize>,
    route_tables: HashMap<String, usize>,
    acls: HashMap<String, usize>,
    igws: HashMap<String, usize>,
    lists: HashMap<String, usize>,
}

/// Builds the estate from resources of every file in `files`.
pub(crate) fn build(resources: &[Res], files: Vec<PathBuf>) -> Estate {
    let mut estate = Estate {
        files,
        ..Estate::default()
    };
    let scope = estate.scope_id(Scope {
        account: None,
        region: REGION.into(),
    });
    let mut by_kind: BTreeMap<&str, Vec<&Res>> = BTreeMap::new();
    for res in resources {
        by_kind.entry(res.kind.as_str()).or_default().push(res);
    }
    let mut b = Builder {
        estate,
        scope,
        by_kind,
        groups: HashMap::new(),
        interfaces: HashMap::new(),
        primary: HashMap::new(),
        route_tables: HashMap::new(),
        acls: HashMap::new(),
        igws: HashMap::new(),
        lists: HashMap::new(),
    };
    b.vpcs();
    b.subnets();
    b.prefix_lists();
    b.security_groups();
    b.standalone_rules();
    b.interfaces();
    b.instances();
    b.attachments();
    b.elastic_ips();
    b.gateways();
    b.route_tables();
    b.network_acls();
    b.estate
}

fn text(v: &Val) -> Option<String> {
    v.text()
}

/// A reference that must be a string id; unknown values keep their reason as the id so
/// that the lookup fails and the reason shows.
fn id_of(v: &Val) -> Option<String> {
    match v {
        Val::Unknown(why) => Some(why.clone()),
        other => other.text(),
    }
}

fn tags_of(v: &Val) -> Tags {
    match v {
        Val::Map(map) => Tags(
            map.iter()
                .filter_map(|(k, v)| v.text().map(|v| (k.clone(), v)))
                .collect(),
        ),
        // CloudFormation's list of {Key, Value}.
        Val::List(items) => Tags(
            items
                .iter()
                .filter_map(|t| Some((t.get("Key").text()?, t.get("Value").text()?)))
                .collect(),
        ),
        _ => Tags::default(),
    }
}

fn parse_net(text: &str) -> Option<IpNet> {
    let text = text.trim();
    text.parse::<IpNet>()
        .ok()
        .or_else(|| {
            // A bare address is a /32 (or /128).
            text.parse::<std::net::IpAddr>().ok().map(IpNet::from)
        })
        .map(|n| n.trunc())
}

/// Whether a route's destination or target is a value that cannot be resolved.
fn route_unknown(a: &Val) -> bool {
    [
        "cidr_block",
        "ipv6_cidr_block",
        "destination_cidr_block",
        "destination_ipv6_cidr_block",
        "destination_prefix_list_id",
        "gateway_id",
        "egress_only_gateway_id",
        "nat_gateway_id",
        "transit_gateway_id",
        "vpc_peering_connection_id",
        "network_interface_id",
    ]
    .iter()
    .any(|k| a.get(k).unknown().is_some())
}

fn line_of(v: &Val, res: &Res) -> u32 {
    v.get(LINE).int().map_or(res.line, |l| l as u32)
}

impl<'r> Builder<'r> {
    fn of(&self, kind: &str) -> Vec<&'r Res> {
        self.by_kind.get(kind).cloned().unwrap_or_default()
    }

    fn origin(&self, file: FileId, line: u32) -> Origin {
        Origin::new(self.scope, file, Position::Line(line))
    }

    /// `main.tf:12`, as reasons and rule ids show a place.
    fn at(&self, file: FileId, line: u32) -> String {
        let name = self
            .estate
            .file(file)
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        format!("{name}:{line}")
    }

    fn vpcs(&mut self) {
        for res in self.of("aws_vpc") {
            let a = &res.attrs;
            let cidr = text(a.get("cidr_block")).and_then(|t| match parse_net(&t) {
                Some(IpNet::V4(n)) => Some(n),
                _ => None,
            });
            let origin = self.origin(res.file, res.line);
            self.estate.vpcs.push(Vpc {
                id: res.address.clone(),
                owner_id: None,
                cidrs_v4: cidr.into_iter().collect(),
                cidrs_v6: Vec::new(),
                is_default: false,
                tags: tags_of(a.get("tags")),
                origin,
            });
            // What AWS creates with every VPC: a main route table with only the local
            // route, and a default network ACL that allows everything both ways. Code
            // that replaces them (aws_default_route_table, aws_default_network_acl,
            // aws_main_route_table_association) takes their place below.
            self.estate.route_tables.push(RouteTable {
                id: format!("{}.main_route_table", res.address),
                vpc_id: res.address.clone(),
                owner_id: None,
                associations: vec![RouteTableAssociation {
                    subnet_id: None,
                    gateway_id: None,
                    main: true,
                }],
                // An unknown VPC CIDR gives no local route rather than a guessed one.
                routes: cidr
                    .map(|cidr| Route {
                        destination: RouteDestination::V4(cidr),
                        target: RouteTarget::Local,
                        active: true,
                    })
                    .into_iter()
                    .collect(),
                tags: Tags::default(),
                origin,
            });
            let all = |egress, cidr: IpNet| AclEntry {
                rule_number: 100,
                egress,
                action: AclAction::Allow,
                traffic: Traffic::All,
                cidr,
            };
            let v4: IpNet = "0.0.0.0/0".parse().unwrap_or(IpNet::V4(Ipv4Net::default()));
            let v6: IpNet = "::/0".parse().unwrap_or(IpNet::V6(Ipv6Net::default()));
            self.acls.insert(
                format!("{}.default_network_acl_id", res.address),
                self.estate.network_acls.len(),
            );
            self.estate.network_acls.push(NetworkAcl {
                id: format!("{}.default_network_acl", res.address),
                vpc_id: res.address.clone(),
                owner_id: None,
                is_default: true,
                entries: vec![all(false, v4), all(true, v4), all(false, v6), all(true, v6)],
                subnet_ids: Vec::new(),
                tags: Tags::default(),
                origin,
            });
        }
    }

    fn subnets(&mut self) {
        for res in self.of("aws_subnet") {
            let a = &res.attrs;
            let cidr = text(a.get("cidr_block")).and_then(|t| match parse_net(&t) {
                Some(IpNet::V4(n)) => Some(n),
                _ => None,
            });
            let v6 = text(a.get("ipv6_cidr_block")).and_then(|t| match parse_net(&t) {
                Some(IpNet::V6(n)) => Some(n),
                _ => None,
            });
            self.estate.subnets.push(Subnet {
                id: res.address.clone(),
                vpc_id: id_of(a.get("vpc_id")).unwrap_or_default(),
                owner_id: None,
                availability_zone: text(a.get("availability_zone")),
                cidr_v4: cidr,
                cidrs_v6: v6.into_iter().collect(),
                map_public_ip_on_launch: a.get("map_public_ip_on_launch").truth() == Some(true),
                tags: tags_of(a.get("tags")),
                origin: self.origin(res.file, res.line),
            });
        }
    }

    fn prefix_lists(&mut self) {
        for res in self.of("aws_ec2_managed_prefix_list") {
            let a = &res.attrs;
            let entries: Option<Vec<PrefixListEntry>> = a
                .get("entry")
                .items()
                .into_iter()
                .map(|e| {
                    Some(PrefixListEntry {
                        cidr: parse_net(&text(e.get("cidr"))?)?,
                        description: text(e.get("description")),
                    })
                })
                .collect();
            self.lists
                .insert(res.address.clone(), self.estate.prefix_lists.len());
            self.estate.prefix_lists.push(PrefixList {
                id: res.address.clone(),
                name: text(a.get("name")),
                owner_id: None,
                address_family: text(a.get("address_family")),
                // Any entry that cannot be resolved makes the whole list unknown.
                entries,
                tags: tags_of(a.get("tags")),
                origin: self.origin(res.file, res.line),
            });
        }
        for res in self.of("aws_ec2_managed_prefix_list_entry") {
            let a = &res.attrs;
            let Some(list) = id_of(a.get("prefix_list_id")) else {
                continue;
            };
            let entry = text(a.get("cidr")).and_then(|c| parse_net(&c));
            if let Some(&i) = self.lists.get(&list) {
                let list = &mut self.estate.prefix_lists[i];
                match (entry, list.entries.as_mut()) {
                    (Some(cidr), Some(entries)) => entries.push(PrefixListEntry {
                        cidr,
                        description: text(a.get("description")),
                    }),
                    _ => list.entries = None,
                }
            }
        }
    }

    fn group_index(&mut self, id: &str, file: FileId, line: u32) -> usize {
        if let Some(&g) = self.groups.get(id) {
            return g;
        }
        // A rule for a group the code does not declare (a variable, a data source, a
        // literal sg- id): judged on its own, as a group holding what the code adds.
        let g = self.estate.security_groups.len();
        self.estate.security_groups.push(SecurityGroup {
            id: id.to_string(),
            name: id.to_string(),
            description: "not declared in this code; only the rules the code adds to it".into(),
            vpc_id: None,
            owner_id: None,
            ingress: Vec::new(),
            egress: Vec::new(),
            tags: Tags::default(),
            origin: self.origin(file, line),
        });
        self.groups.insert(id.to_string(), g);
        g
    }

    fn security_groups(&mut self) {
        // A VPC's default group, when the code manages its rules, is judged like any other.
        let mut all = self.of("aws_security_group");
        all.extend(self.of("aws_default_security_group"));
        for res in all {
            let a = &res.attrs;
            let fallback = if res.kind == "aws_default_security_group" {
                "default".to_string()
            } else {
                res.address.clone()
            };
            let name = text(a.get("name"))
                .or_else(|| text(a.get("name_prefix")))
                .unwrap_or(fallback);
            let mut ingress = Vec::new();
            for (i, block) in a.get("ingress").items().into_iter().enumerate() {
                let line = line_of(block, res);
                let id = format!("{} ingress[{i}] ({})", res.address, self.at(res.file, line));
                ingress.extend(self.rules(block, &res.address, id, res.file, line));
            }
            let mut egress = Vec::new();
            for (i, block) in a.get("egress").items().into_iter().enumerate() {
                let line = line_of(block, res);
                let id = format!("{} egress[{i}] ({})", res.address, self.at(res.file, line));
                egress.extend(self.rules(block, &res.address, id, res.file, line));
            }
            self.groups
                .insert(res.address.clone(), self.estate.security_groups.len());
            self.estate.security_groups.push(SecurityGroup {
                id: res.address.clone(),
                name,
                description: text(a.get("description")).unwrap_or_default(),
                vpc_id: id_of(a.get("vpc_id")),
                owner_id: None,
                ingress,
                egress,
                tags: tags_of(a.get("tags")),
                origin: self.origin(res.file, res.line),
            });
        }
    }

    fn standalone_rules(&mut self) {
        let mut all: Vec<(&Res, bool)> = Vec::new();
        for res in self.of("aws_security_group_rule") {
            let egress = text(res.attrs.get("type")).as_deref() == Some("egress");
            all.push((res, egress));
        }
        for res in self.of("aws_vpc_security_group_ingress_rule") {
            all.push((res, false));
        }
        for res in self.of("aws_vpc_security_group_egress_rule") {
            all.push((res, true));
        }
        for (res, egress) in all {
            let a = &res.attrs;
            let group = id_of(a.get("security_group_id"))
                .unwrap_or_else(|| format!("{} (no security_group_id)", res.address));
            let g = self.group_index(&group, res.file, res.line);
            let id = format!("{} ({})", res.address, self.at(res.file, res.line));
            let rules = self.rules(a, &group, id, res.file, res.line);
            let target = &mut self.estate.security_groups[g];
            if egress {
                target.egress.extend(rules);
            } else {
                target.ingress.extend(rules);
            }
        }
    }

    /// One rule block (inline, `aws_security_group_rule`, or the VPC rule resources) into
    /// one model rule per source.
    fn rules(&self, a: &Val, group: &str, id: String, file: FileId, line: u32) -> Vec<Rule> {
        let at = self.at(file, line);
        let protocol = if a.get("ip_protocol").is_null() {
            a.get("protocol")
        } else {
            a.get("ip_protocol")
        };
        let port = |key: &str| -> Result<Option<i64>, String> {
            match a.get(key) {
                Val::Null => Ok(None),
                Val::Unknown(why) => Err(why.clone()),
                v => v
                    .int()
                    .map(Some)
                    .ok_or_else(|| format!("{key} {v:?} is not a port number at {at}")),
            }
        };
        let traffic: Result<Traffic, String> = (|| {
            let protocol = match protocol {
                Val::Unknown(why) => return Err(why.clone()),
                Val::Null => return Err(format!("no protocol at {at}")),
                p => p.text().unwrap_or_default(),
            };
            let (from, to) = (port("from_port")?, port("to_port")?);
            Traffic::from_aws(&protocol, from, to).map_err(|e| format!("{e} at {at}"))
        })();

        let mut sources: Vec<Source> = Vec::new();
        let mut add_nets = |v: &Val, family: &str| match v {
            Val::Unknown(why) => sources.push(Source::Unresolved(why.clone())),
            v => {
                for item in v.items() {
                    match item {
                        Val::Unknown(why) => sources.push(Source::Unresolved(why.clone())),
                        item => match item.text().as_deref().map(parse_net) {
                            Some(Some(IpNet::V4(n))) => sources.push(Source::V4(n)),
                            Some(Some(IpNet::V6(n))) => sources.push(Source::V6(n)),
                            _ => sources.push(Source::Unresolved(format!(
                                "{family} {item:?} is not a CIDR at {at}"
                            ))),
                        },
                    }
                }
            }
        };
        add_nets(a.get("cidr_blocks"), "cidr_blocks");
        add_nets(a.get("ipv6_cidr_blocks"), "ipv6_cidr_blocks");
        add_nets(a.get("cidr_ipv4"), "cidr_ipv4");
        add_nets(a.get("cidr_ipv6"), "cidr_ipv6");
        for key in ["prefix_list_ids", "prefix_list_id"] {
            for item in a.get(key).items() {
                sources.push(match item {
                    Val::Unknown(why) => Source::Unresolved(why.clone()),
                    // A list the code does not declare stays unknown: SKIP, never PASS.
                    item => Source::PrefixList(item.text().unwrap_or_default()),
                });
            }
        }
        for key in [
            "security_groups",
            "source_security_group_id",
            "referenced_security_group_id",
        ] {
            for item in a.get(key).items() {
                sources.push(Source::Group(GroupRef {
                    group_id: id_of(item),
                    ..GroupRef::default()
                }));
            }
        }
        match a.get("self") {
            Val::Unknown(_) | Val::Null => {}
            v if v.truth() == Some(true) => sources.push(Source::Group(GroupRef {
                group_id: Some(group.to_string()),
                ..GroupRef::default()
            })),
            _ => {}
        }
        let description = text(a.get("description"));
        match traffic {
            Ok(traffic) => sources
                .into_iter()
                .map(|source| Rule {
                    id: Some(id.clone()),
                    traffic,
                    source,
                    description: description.clone(),
                })
                .collect(),
            // Protocol or ports unknown: whatever address sources it names may open
            // anything, so they are unresolved over every port. Group sources stay what
            // they are (never the internet).
            Err(why) => sources
                .into_iter()
                .map(|source| Rule {
                    id: Some(id.clone()),
                    traffic: Traffic::All,
                    source: match source {
                        Source::Group(g) => Source::Group(g),
                        Source::Unresolved(w) => Source::Unresolved(w),
                        other => Source::Unresolved(format!("{why} (for source {other})")),
                    },
                    description: description.clone(),
                })
                .collect(),
        }
    }

    /// Group ids from a list of ids or names (`security_groups` on an instance names
    /// groups; a name the code declares becomes that group's id).
    fn group_ids(&self, v: &Val) -> Vec<String> {
        v.items()
            .into_iter()
            .filter_map(id_of)
            .map(|id| {
                if self.groups.contains_key(&id) {
                    return id;
                }
                self.estate
                    .security_groups
                    .iter()
                    .find(|g| g.name == id)
                    .map_or(id, |g| g.id.clone())
            })
            .collect()
    }

    fn subnet_of(&self, id: &str) -> Option<&Subnet> {
        self.estate.subnets.iter().find(|s| s.id == id)
    }

    fn interfaces(&mut self) {
        for res in self.of("aws_network_interface") {
            let a = &res.attrs;
            let attachment = a.get("attachment").items().first().map(|att| Attachment {
                instance_id: id_of(att.get("instance")),
                device_index: att.get("device_index").int().map(|d| d as u32),
                status: None,
            });
            self.interfaces
                .insert(res.address.clone(), self.estate.network_interfaces.len());
            self.estate.network_interfaces.push(NetworkInterface {
                id: res.address.clone(),
                subnet_id: id_of(a.get("subnet_id")),
                vpc_id: None,
                owner_id: None,
                availability_zone: None,
                interface_type: None,
                status: None,
                description: text(a.get("description")),
                groups: self.group_ids(a.get("security_groups")),
                private_ips: vec![PrivateIp {
                    address: None,
                    primary: true,
                    association: None,
                }],
                ipv6_addresses: Vec::new(),
                attachment,
                tags: tags_of(a.get("tags")),
                origin: self.origin(res.file, res.line),
            });
        }
    }

    fn instances(&mut self) {
        for res in self.of("aws_instance") {
            let a = &res.attrs;
            let blocks = a.get("network_interface").items();
            let mut attached = Vec::new();
            let mut has_primary = false;
            for block in &blocks {
                let Some(eni) = id_of(block.get("network_interface_id")) else {
                    continue;
                };
                let device = block.get("device_index").int().unwrap_or(0) as u32;
                if let Some(&e) = self.interfaces.get(&eni) {
                    self.estate.network_interfaces[e].attachment = Some(Attachment {
                        instance_id: Some(res.address.clone()),
                        device_index: Some(device),
                        status: None,
                    });
                    has_primary |= device == 0;
                    if device == 0 {
                        self.primary.insert(res.address.clone(), e);
                    }
                }
                attached.push(eni);
            }
            let mut groups = self.group_ids(a.get("vpc_security_group_ids"));
            groups.extend(self.group_ids(a.get("security_groups")));
            let subnet_id = id_of(a.get("subnet_id"));
            if !has_primary {
                // The primary interface AWS creates at launch, carrying the instance's
                // groups, subnet and public address.
                let public = match a.get("associate_public_ip_address") {
                    v if v.truth().is_some() => v.truth() == Some(true),
                    // Not said: the subnet decides. A subnet the code does not declare
                    // might map one, so the address is taken as possible and the verdict
                    // stops at the unknown subnet.
                    _ => match subnet_id.as_deref().and_then(|s| self.subnet_of(s)) {
                        Some(subnet) => subnet.map_public_ip_on_launch,
                        None => true,
                    },
                };
                let id = format!("{}.primary_network_interface", res.address);
                self.primary
                    .insert(res.address.clone(), self.estate.network_interfaces.len());
                self.interfaces
                    .insert(id.clone(), self.estate.network_interfaces.len());
                self.estate.network_interfaces.push(NetworkInterface {
                    id: id.clone(),
                    subnet_id: subnet_id.clone(),
                    vpc_id: None,
                    owner_id: None,
                    availability_zone: None,
                    interface_type: Some("interface".into()),
                    status: None,
                    description: Some(format!("primary interface of {}", res.address)),
                    groups: groups.clone(),
                    private_ips: vec![PrivateIp {
                        address: None,
                        primary: true,
                        association: public.then(Association::at_deploy),
                    }],
                    ipv6_addresses: Vec::new(),
                    attachment: Some(Attachment {
                        instance_id: Some(res.address.clone()),
                        device_index: Some(0),
                        status: None,
                    }),
                    tags: Tags::default(),
                    origin: self.origin(res.file, res.line),
                });
                attached.insert(0, id);
            }
            self.estate.instances.push(Instance {
                id: res.address.clone(),
                owner_id: None,
                state: InstanceState::Running,
                instance_type: text(a.get("instance_type")),
                vpc_id: None,
                subnet_id,
                private_ip: None,
                public_ip: None,
                security_groups: groups,
                network_interfaces: attached,
                tags: tags_of(a.get("tags")),
                origin: self.origin(res.file, res.line),
            });
        }
    }

    fn attachments(&mut self) {
        for res in self.of("aws_network_interface_attachment") {
            let a = &res.attrs;
            let (Some(eni), Some(instance)) = (
                id_of(a.get("network_interface_id")),
                id_of(a.get("instance_id")),
            ) else {
                continue;
            };
            if let Some(&e) = self.interfaces.get(&eni) {
                self.estate.network_interfaces[e].attachment = Some(Attachment {
                    instance_id: Some(instance.clone()),
                    device_index: a.get("device_index").int().map(|d| d as u32),
                    status: None,
                });
            }
            if let Some(i) = self.estate.instances.iter_mut().find(|i| i.id == instance)
                && !i.network_interfaces.contains(&eni)
            {
                i.network_interfaces.push(eni);
            }
        }
        for res in self.of("aws_network_interface_sg_attachment") {
            let a = &res.attrs;
            let (Some(group), Some(eni)) = (
                id_of(a.get("security_group_id")),
                id_of(a.get("network_interface_id")),
            ) else {
                continue;
            };
            if let Some(&e) = self.interfaces.get(&eni) {
                let groups = &mut self.estate.network_interfaces[e].groups;
                if !groups.contains(&group) {
                    groups.push(group);
                }
            }
        }
    }

    fn elastic_ips(&mut self) {
        let mut targets: Vec<(Option<String>, Option<String>)> = Vec::new();
        for res in self.of("aws_eip") {
            let a = &res.attrs;
            targets.push((id_of(a.get("instance")), id_of(a.get("network_interface"))));
        }
        for res in self.of("aws_eip_association") {
            let a = &res.attrs;
            targets.push((
                id_of(a.get("instance_id")),
                id_of(a.get("network_interface_id")),
            ));
        }
        for (instance, eni) in targets {
            let e = eni
                .and_then(|e| self.interfaces.get(&e).copied())
                .or_else(|| instance.and_then(|i| self.primary.get(&i).copied()));
            if let Some(e) = e
                && let Some(ip) = self.estate.network_interfaces[e].private_ips.first_mut()
            {
                ip.association = Some(Association::at_deploy());
            }
        }
    }

    fn gateways(&mut self) {
        for res in self.of("aws_internet_gateway") {
            self.igws
                .insert(res.address.clone(), self.estate.internet_gateways.len());
            self.estate.internet_gateways.push(InternetGateway {
                id: res.address.clone(),
                owner_id: None,
                vpc_ids: id_of(res.attrs.get("vpc_id")).into_iter().collect(),
                tags: tags_of(res.attrs.get("tags")),
                origin: self.origin(res.file, res.line),
            });
        }
        for res in self.of("aws_internet_gateway_attachment") {
            let a = &res.attrs;
            if let (Some(igw), Some(vpc)) =
                (id_of(a.get("internet_gateway_id")), id_of(a.get("vpc_id")))
                && let Some(&i) = self.igws.get(&igw)
            {
                self.estate.internet_gateways[i].vpc_ids.push(vpc);
            }
        }
    }

    fn route(&self, a: &Val, dest_v4: &str, dest_v6: &str) -> Option<Route> {
        let destination = match (text(a.get(dest_v4)), text(a.get(dest_v6))) {
            (Some(v4), _) => match parse_net(&v4)? {
                IpNet::V4(n) => RouteDestination::V4(n),
                IpNet::V6(n) => RouteDestination::V6(n),
            },
            (None, Some(v6)) => match parse_net(&v6)? {
                IpNet::V4(n) => RouteDestination::V4(n),
                IpNet::V6(n) => RouteDestination::V6(n),
            },
            _ => RouteDestination::PrefixList(text(a.get("destination_prefix_list_id"))?),
        };
        let target = if let Some(g) = id_of(a.get("gateway_id")) {
            if g == "local" {
                RouteTarget::Local
            } else if g.starts_with("igw-") || self.igws.contains_key(&g) {
                RouteTarget::InternetGateway(g)
            } else {
                RouteTarget::Other(g)
            }
        } else if let Some(g) = id_of(a.get("egress_only_gateway_id")) {
            RouteTarget::EgressOnlyInternetGateway(g)
        } else if let Some(g) = id_of(a.get("nat_gateway_id")) {
            RouteTarget::NatGateway(g)
        } else if let Some(g) = id_of(a.get("transit_gateway_id")) {
            RouteTarget::TransitGateway(g)
        } else if let Some(g) = id_of(a.get("vpc_peering_connection_id")) {
            RouteTarget::VpcPeering(g)
        } else if let Some(g) = id_of(a.get("network_interface_id")) {
            RouteTarget::NetworkInterface(g)
        } else {
            RouteTarget::Other("unknown".into())
        };
        Some(Route {
            destination,
            target,
            active: true,
        })
    }

    fn route_tables(&mut self) {
        // Tables with a route that cannot be resolved: table id, where the route is.
        let mut unknown: Vec<(String, String)> = Vec::new();
        for (kind, default) in [
            ("aws_route_table", false),
            ("aws_default_route_table", true),
        ] {
            for res in self.of(kind) {
                let a = &res.attrs;
                let vpc_id = if default {
                    id_of(a.get("default_route_table_id"))
                        .map(|id| id.trim_end_matches(".default_route_table_id").to_string())
                        .unwrap_or_default()
                } else {
                    id_of(a.get("vpc_id")).unwrap_or_default()
                };
                let mut routes: Vec<Route> = Vec::new();
                for r in a.get("route").items() {
                    if route_unknown(r) {
                        unknown.push((res.address.clone(), self.at(res.file, line_of(r, res))));
                    }
                    routes.extend(self.route(r, "cidr_block", "ipv6_cidr_block"));
                }
                if default {
                    // The VPC's main table is replaced by this one.
                    if let Some(main) = self
                        .estate
                        .route_tables
                        .iter()
                        .position(|t| t.vpc_id == vpc_id && t.id.ends_with(".main_route_table"))
                    {
                        let old = self.estate.route_tables.remove(main);
                        routes.extend(old.routes);
                    }
                }
                self.route_tables
                    .insert(res.address.clone(), self.estate.route_tables.len());
                self.estate.route_tables.push(RouteTable {
                    id: res.address.clone(),
                    vpc_id,
                    owner_id: None,
                    associations: if default {
                        vec![RouteTableAssociation {
                            subnet_id: None,
                            gateway_id: None,
                            main: true,
                        }]
                    } else {
                        Vec::new()
                    },
                    routes,
                    tags: tags_of(a.get("tags")),
                    origin: self.origin(res.file, res.line),
                });
            }
        }
        // Indices may have moved when a main table was replaced.
        self.route_tables = self
            .estate
            .route_tables
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        for res in self.of("aws_route") {
            let a = &res.attrs;
            let Some(table) = id_of(a.get("route_table_id")) else {
                continue;
            };
            if route_unknown(a) {
                unknown.push((table.clone(), self.at(res.file, res.line)));
            }
            let route = self.route(a, "destination_cidr_block", "destination_ipv6_cidr_block");
            if let (Some(&t), Some(route)) = (self.route_tables.get(&table), route) {
                self.estate.route_tables[t].routes.push(route);
            }
        }
        for res in self.of("aws_route_table_association") {
            let a = &res.attrs;
            let (Some(table), Some(subnet)) =
                (id_of(a.get("route_table_id")), id_of(a.get("subnet_id")))
            else {
                continue;
            };
            if let Some(&t) = self.route_tables.get(&table) {
                self.estate.route_tables[t]
                    .associations
                    .push(RouteTableAssociation {
                        subnet_id: Some(subnet),
                        gateway_id: None,
                        main: false,
                    });
            }
        }
        for res in self.of("aws_main_route_table_association") {
            let a = &res.attrs;
            let (Some(table), Some(vpc)) = (id_of(a.get("route_table_id")), id_of(a.get("vpc_id")))
            else {
                continue;
            };
            for t in self
                .estate
                .route_tables
                .iter_mut()
                .filter(|t| t.vpc_id == vpc)
            {
                t.associations.retain(|a| !a.main);
            }
            if let Some(&t) = self.route_tables.get(&table) {
                self.estate.route_tables[t]
                    .associations
                    .push(RouteTableAssociation {
                        subnet_id: None,
                        gateway_id: None,
                        main: true,
                    });
            }
        }
        self.unknown_route_tables(unknown);
    }

    fn acl_entry(&self, a: &Val, egress: bool, number: &str, action: &str) -> Option<AclEntry> {
        let cidr = text(a.get("cidr_block"))
            .or_else(|| text(a.get("ipv6_cidr_block")))
            .and_then(|c| parse_net(&c))?;
        let protocol = text(a.get("protocol"))?;
        let traffic =
            Traffic::from_aws(&protocol, a.get("from_port").int(), a.get("to_port").int()).ok()?;
        Some(AclEntry {
            rule_number: a.get(number).int()? as u32,
            egress,
            action: match text(a.get(action))?.to_ascii_lowercase().as_str() {
                "allow" => AclAction::Allow,
                _ => AclAction::Deny,
            },
            traffic,
            cidr,
        })
    }

    fn network_acls(&mut self) {
        // ACLs with an entry that cannot be resolved: id of the ACL, where the entry is.
        let mut unknown: Vec<(String, String)> = Vec::new();
        for (kind, default) in [
            ("aws_network_acl", false),
            ("aws_default_network_acl", true),
        ] {
            for res in self.of(kind) {
                let a = &res.attrs;
                let mut entries = Vec::new();
                let mut unresolved = None;
                for (key, egress) in [("ingress", false), ("egress", true)] {
                    for block in a.get(key).items() {
                        match self.acl_entry(block, egress, "rule_no", "action") {
                            Some(entry) => entries.push(entry),
                            None => {
                                unresolved.get_or_insert(self.at(res.file, line_of(block, res)));
                            }
                        }
                    }
                }
                if let Some(at) = unresolved {
                    let id = if default {
                        id_of(a.get("default_network_acl_id"))
                            .map(|id| id.replace(".default_network_acl_id", ".default_network_acl"))
                            .unwrap_or_default()
                    } else {
                        res.address.clone()
                    };
                    unknown.push((id, at));
                }
                let subnet_ids: Vec<String> = a
                    .get("subnet_ids")
                    .items()
                    .into_iter()
                    .filter_map(id_of)
                    .collect();
                let vpc_id = if default {
                    let id = id_of(a.get("default_network_acl_id")).unwrap_or_default();
                    // Replaces the VPC's implicit default ACL.
                    if let Some(&i) = self.acls.get(&id) {
                        self.estate.network_acls[i].entries = entries.clone();
                    }
                    id.trim_end_matches(".default_network_acl_id").to_string()
                } else {
                    id_of(a.get("vpc_id")).unwrap_or_default()
                };
                if default {
                    continue;
                }
                self.acls
                    .insert(res.address.clone(), self.estate.network_acls.len());
                self.estate.network_acls.push(NetworkAcl {
                    id: res.address.clone(),
                    vpc_id,
                    owner_id: None,
                    is_default: false,
                    entries,
                    subnet_ids,
                    tags: tags_of(a.get("tags")),
                    origin: self.origin(res.file, res.line),
                });
            }
        }
        for res in self.of("aws_network_acl_rule") {
            let a = &res.attrs;
            let Some(acl) = id_of(a.get("network_acl_id")) else {
                continue;
            };
            let egress = a.get("egress").truth() == Some(true);
            let Some(&i) = self.acls.get(&acl) else {
                continue;
            };
            match self.acl_entry(a, egress, "rule_number", "rule_action") {
                Some(entry) => self.estate.network_acls[i].entries.push(entry),
                None => unknown.push((
                    self.estate.network_acls[i].id.clone(),
                    self.at(res.file, res.line),
                )),
            }
        }
        for res in self.of("aws_network_acl_association") {
            let a = &res.attrs;
            if let (Some(acl), Some(subnet)) =
                (id_of(a.get("network_acl_id")), id_of(a.get("subnet_id")))
                && let Some(&i) = self.acls.get(&acl)
            {
                self.estate.network_acls[i].subnet_ids.push(subnet);
            }
        }
        self.unknown_acls(unknown);
    }

    /// A route table with a route that cannot be resolved (its destination or target)
    /// cannot say where traffic goes; as with network ACLs, it and its VPC's main table are
    /// left out so that the subnets it could apply to judge `unknown`, and `incomplete`
    /// names the route.
    fn unknown_route_tables(&mut self, unknown: Vec<(String, String)>) {
        let mut drop: Vec<String> = Vec::new();
        for (id, at) in unknown {
            let vpc = self
                .estate
                .route_tables
                .iter()
                .find(|t| t.id == id)
                .map(|t| t.vpc_id.clone());
            drop.push(id.clone());
            if let Some(vpc) = vpc {
                drop.extend(
                    self.estate
                        .route_tables
                        .iter()
                        .filter(|t| t.vpc_id == vpc && t.associations.iter().any(|a| a.main))
                        .map(|t| t.id.clone()),
                );
            }
            self.estate.incomplete.push(Incomplete {
                scope: self.scope,
                kind: ResourceKind::RouteTables,
                subject: Some(id.clone()),
                reason: format!(
                    "a route of {id} at {at} cannot be resolved: the subnets it or its VPC's main table could apply to are judged unknown"
                ),
            });
        }
        self.estate.route_tables.retain(|t| !drop.contains(&t.id));
    }

    /// An ACL with an entry that cannot be resolved cannot say what it lets through. The
    /// model has no "unknown ACL", and leaving the entry out (or the ACL, whose subnets
    /// would fall back to the allow-all default) could call a path reachable or blocked on
    /// a guess. So the ACL and its VPC's default one are left out: every subnet that could
    /// be using it judges `unknown` ("no network ACL for subnet ..."), and `incomplete`
    /// names the entry.
    fn unknown_acls(&mut self, unknown: Vec<(String, String)>) {
        let mut drop: Vec<String> = Vec::new();
        for (id, at) in unknown {
            let vpc = self
                .estate
                .network_acls
                .iter()
                .find(|acl| acl.id == id)
                .map(|acl| acl.vpc_id.clone());
            drop.push(id.clone());
            if let Some(vpc) = vpc {
                drop.extend(
                    self.estate
                        .network_acls
                        .iter()
                        .filter(|acl| acl.is_default && acl.vpc_id == vpc)
                        .map(|acl| acl.id.clone()),
                );
            }
            self.estate.incomplete.push(Incomplete {
                scope: self.scope,
                kind: ResourceKind::NetworkAcls,
                subject: Some(id.clone()),
                reason: format!(
                    "an entry of network ACL {id} at {at} cannot be resolved: the subnets it or its VPC's default ACL could apply to are judged unknown"
                ),
            });
        }
        self.estate
            .network_acls
            .retain(|acl| !drop.contains(&acl.id));
    }
}
