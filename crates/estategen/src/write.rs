//! The planned region written as the AWS CLI prints it: one file per `describe-*` command,
//! 4-space indented, fields in the order the CLI shows them. Each file is streamed through
//! a `BufWriter`; the files of a region are written in parallel.

use crate::Summary;
use crate::ids::Id;
use crate::plan::{
    Acl, Address, Cidr, Eni, EniKind, Group, Instance, Permission, Plan, PrefixList, Public,
    RouteTable, Source, State, Subnet, Target, Vpc,
};
use rayon::prelude::*;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::ser::PrettyFormatter;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::Path;

type Job<'a> = Box<dyn Fn() -> io::Result<u64> + Send + Sync + 'a>;

pub(crate) fn region(plan: &Plan, dir: &Path) -> io::Result<Summary> {
    let entries_dir = dir.join("get-managed-prefix-list-entries");
    fs::create_dir_all(&entries_dir)?;
    let file = |name: &str| dir.join(format!("{name}.json"));
    // Largest first, so that the two halves of the work even out.
    let mut jobs: Vec<Job<'_>> = vec![
        Box::new(|| {
            write_file(
                &file("describe-instances"),
                "Reservations",
                &Seq(|| {
                    plan.reservations
                        .iter()
                        .map(|r| ReservationJson { plan, r })
                }),
            )
        }),
        Box::new(|| {
            write_file(
                &file("describe-network-interfaces"),
                "NetworkInterfaces",
                &Seq(|| plan.enis.iter().map(|e| EniJson { plan, e })),
            )
        }),
        Box::new(|| {
            write_file(
                &file("describe-security-groups"),
                "SecurityGroups",
                &Seq(|| plan.groups.iter().map(|g| GroupJson { plan, g })),
            )
        }),
        Box::new(|| {
            write_file(
                &file("describe-security-group-rules"),
                "SecurityGroupRules",
                &Seq(|| rules(plan)),
            )
        }),
        Box::new(|| {
            write_file(
                &file("describe-subnets"),
                "Subnets",
                &Seq(|| plan.subnets.iter().map(|s| SubnetJson { plan, s })),
            )
        }),
        Box::new(|| {
            write_file(
                &file("describe-route-tables"),
                "RouteTables",
                &Seq(|| plan.route_tables.iter().map(|t| RouteTableJson { plan, t })),
            )
        }),
        Box::new(|| {
            write_file(
                &file("describe-network-acls"),
                "NetworkAcls",
                &Seq(|| plan.acls.iter().map(|a| AclJson { plan, a })),
            )
        }),
        Box::new(|| {
            write_file(
                &file("describe-vpcs"),
                "Vpcs",
                &Seq(|| plan.vpcs.iter().map(|v| VpcJson { plan, v })),
            )
        }),
        Box::new(|| {
            write_file(
                &file("describe-internet-gateways"),
                "InternetGateways",
                &Seq(|| {
                    plan.vpcs
                        .iter()
                        .filter(|v| v.igw.is_some())
                        .map(|v| IgwJson { plan, v })
                }),
            )
        }),
        Box::new(|| {
            write_file(
                &file("describe-addresses"),
                "Addresses",
                &Seq(|| plan.addresses.iter().map(|a| AddressJson { plan, a })),
            )
        }),
        Box::new(|| {
            write_file(
                &file("describe-managed-prefix-lists"),
                "PrefixLists",
                &Seq(|| plan.prefix_lists.iter().map(|l| PrefixListJson { plan, l })),
            )
        }),
    ];
    for list in &plan.prefix_lists {
        let path = entries_dir.join(format!("{}.json", list.id));
        jobs.push(Box::new(move || {
            write_file(
                &path,
                "Entries",
                &Seq(|| {
                    list.entries.iter().map(|(cidr, description)| EntryJson {
                        cidr: Text(cidr),
                        description: *description,
                    })
                }),
            )
        }));
    }
    let sizes: Vec<u64> = jobs
        .par_iter()
        .map(|job| job())
        .collect::<io::Result<_>>()?;
    let rules = |perms: fn(&Group) -> &Vec<Permission>| {
        plan.groups
            .iter()
            .flat_map(|g| perms(g).iter())
            .map(|p| p.grants.len())
            .sum()
    };
    Ok(Summary {
        region_folders: 1,
        vpcs: plan.vpcs.len(),
        subnets: plan.subnets.len(),
        route_tables: plan.route_tables.len(),
        network_acls: plan.acls.len(),
        internet_gateways: plan.vpcs.iter().filter(|v| v.igw.is_some()).count(),
        security_groups: plan.groups.len(),
        ingress_rules: rules(|g| &g.ingress),
        egress_rules: rules(|g| &g.egress),
        prefix_lists: plan.prefix_lists.len(),
        instances: plan.instances.len(),
        network_interfaces: plan.enis.len(),
        addresses: plan.addresses.len(),
        files: sizes.len(),
        bytes: sizes.iter().sum(),
    })
}

/// `{"<key>": [...]}` and a final newline, as the AWS CLI prints it; returns the size.
fn write_file(path: &Path, key: &str, items: &impl Serialize) -> io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut ser =
        serde_json::Serializer::with_formatter(&mut out, PrettyFormatter::with_indent(b"    "));
    let mut map = ser.serialize_map(Some(1))?;
    map.serialize_entry(key, items)?;
    map.end()?;
    out.write_all(b"\n")?;
    out.into_inner().map_err(io::IntoInnerError::into_error)?;
    Ok(fs::metadata(path)?.len())
}

/// A list produced on demand, so that nothing but the plan is held in memory.
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: IntoIterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// Anything displayable, written as a JSON string without an intermediate `String`.
struct Text<T>(T);

impl<T: fmt::Display> Serialize for Text<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Cidr::V4(addr, len) => write!(f, "{}/{len}", Ipv4Addr::from(addr)),
            Cidr::V6(addr, len) => write!(f, "{}/{len}", Ipv6Addr::from(addr)),
        }
    }
}

fn ip4(addr: u32) -> Text<Ipv4Addr> {
    Text(Ipv4Addr::from(addr))
}

/// `2024-03-05T12:34:56.000Z` from seconds since 1970.
struct Time(u64);

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = (self.0 / 86_400) as i64;
        let secs = self.0 % 86_400;
        // Howard Hinnant's civil-from-days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

struct Arn<'a> {
    plan: &'a Plan,
    kind: &'static str,
    id: Id,
}

impl fmt::Display for Arn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:aws:ec2:{}:{}:{}/{}",
            self.plan.region, self.plan.account, self.kind, self.id
        )
    }
}

fn arn<'a>(plan: &'a Plan, kind: &'static str, id: Id) -> Text<Arn<'a>> {
    Text(Arn { plan, kind, id })
}

struct Zone<'a>(&'a Plan, u8);

impl fmt::Display for Zone<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            self.0.region,
            ["a", "b", "c"][usize::from(self.1 % 3)]
        )
    }
}

/// `use1-az4`: the zone id, from the region's initials.
struct ZoneId<'a>(&'a Plan, u8);

impl fmt::Display for ZoneId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = self.0.region.split('-');
        let country = parts.next().unwrap_or("");
        let direction = parts.next().unwrap_or("");
        let number = parts.next().unwrap_or("");
        let initial = direction.get(..1).unwrap_or("");
        write!(f, "{country}{initial}{number}-az{}", self.1 + 1)
    }
}

/// `ip-10-0-2-4.ec2.internal`, `ec2-54-1-2-3.compute-1.amazonaws.com`.
struct Dns<'a> {
    plan: &'a Plan,
    addr: u32,
    public: bool,
}

impl fmt::Display for Dns<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.addr.to_be_bytes();
        let east = self.plan.region == "us-east-1";
        match (self.public, east) {
            (false, true) => write!(f, "ip-{a}-{b}-{c}-{d}.ec2.internal"),
            (false, false) => write!(
                f,
                "ip-{a}-{b}-{c}-{d}.{}.compute.internal",
                self.plan.region
            ),
            (true, true) => write!(f, "ec2-{a}-{b}-{c}-{d}.compute-1.amazonaws.com"),
            (true, false) => write!(
                f,
                "ec2-{a}-{b}-{c}-{d}.{}.compute.amazonaws.com",
                self.plan.region
            ),
        }
    }
}

fn dns<'a>(plan: &'a Plan, addr: u32, public: bool) -> Text<Dns<'a>> {
    Text(Dns { plan, addr, public })
}

struct Mac(u64);

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0.to_be_bytes();
        write!(
            f,
            "02:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            b[3], b[4], b[5], b[6], b[7]
        )
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Tag<'a> {
    key: &'a str,
    value: &'a str,
}

struct Tags<'a>(&'a [(&'static str, String)]);

impl Serialize for Tags<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|(key, value)| Tag { key, value }))
    }
}

/// A `Name` tag, or none.
struct NameTag<'a>(Option<&'a str>);

impl Serialize for NameTag<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.map(|value| Tag { key: "Name", value }))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct StateJson {
    state: &'static str,
}

const ASSOCIATED: StateJson = StateJson {
    state: "associated",
};

#[derive(Serialize)]
struct Empty {}

/// `{}` where the value is absent, as the AWS CLI prints an empty `Association`.
struct OrEmpty<T>(Option<T>);

impl<T: Serialize> Serialize for OrEmpty<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Some(value) => value.serialize(s),
            None => Empty {}.serialize(s),
        }
    }
}

/// `""` where the value is absent, as the AWS CLI prints an empty `PublicDnsName`.
struct OrBlank<T>(Option<T>);

impl<T: Serialize> Serialize for OrBlank<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Some(value) => value.serialize(s),
            None => s.serialize_str(""),
        }
    }
}

// ---- VPCs, subnets, route tables, network ACLs, gateways -------------------------------

struct VpcJson<'a> {
    plan: &'a Plan,
    v: &'a Vpc,
}

impl Serialize for VpcJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct V6Assoc<'a> {
            association_id: Id,
            ipv6_cidr_block: Text<&'a Cidr>,
            ipv6_cidr_block_state: StateJson,
            ipv6_pool: &'static str,
            network_border_group: &'static str,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct V4Assoc {
            association_id: Id,
            cidr_block: Text<Cidr>,
            cidr_block_state: StateJson,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Json<'a> {
            owner_id: &'a str,
            instance_tenancy: &'static str,
            ipv6_cidr_block_association_set: Vec<V6Assoc<'a>>,
            cidr_block_association_set: [V4Assoc; 1],
            is_default: bool,
            tags: NameTag<'a>,
            vpc_id: Id,
            state: &'static str,
            cidr_block: Text<Cidr>,
            dhcp_options_id: &'static str,
        }
        let v = self.v;
        let v6 = v.v6.map(|(block, assoc)| (Cidr::V6(block, 56), assoc));
        Json {
            owner_id: &self.plan.account,
            instance_tenancy: "default",
            ipv6_cidr_block_association_set: v6
                .as_ref()
                .map(|(cidr, assoc)| V6Assoc {
                    association_id: *assoc,
                    ipv6_cidr_block: Text(cidr),
                    ipv6_cidr_block_state: ASSOCIATED,
                    ipv6_pool: "Amazon",
                    network_border_group: self.plan.region,
                })
                .into_iter()
                .collect(),
            cidr_block_association_set: [V4Assoc {
                association_id: v.cidr_assoc,
                cidr_block: Text(Cidr::V4(v.cidr, 16)),
                cidr_block_state: ASSOCIATED,
            }],
            is_default: v.default,
            tags: NameTag((!v.default).then_some(v.name.as_str())),
            vpc_id: v.id,
            state: "available",
            cidr_block: Text(Cidr::V4(v.cidr, 16)),
            dhcp_options_id: "default",
        }
        .serialize(s)
    }
}

struct SubnetJson<'a> {
    plan: &'a Plan,
    s: &'a Subnet,
}

impl Serialize for SubnetJson<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct V6Assoc {
            association_id: Id,
            ipv6_cidr_block: Text<Cidr>,
            ipv6_cidr_block_state: StateJson,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct DnsOptions {
            hostname_type: &'static str,
            enable_resource_name_dns_a_record: bool,
            #[serde(rename = "EnableResourceNameDnsAAAARecord")]
            enable_resource_name_dns_aaaa_record: bool,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Json<'a> {
            availability_zone_id: Text<ZoneId<'a>>,
            owner_id: &'a str,
            assign_ipv6_address_on_creation: bool,
            ipv6_cidr_block_association_set: Vec<V6Assoc>,
            tags: NameTag<'a>,
            subnet_arn: Text<Arn<'a>>,
            ipv6_native: bool,
            private_dns_name_options_on_launch: DnsOptions,
            subnet_id: Id,
            state: &'static str,
            vpc_id: Id,
            cidr_block: Text<Cidr>,
            available_ip_address_count: u32,
            availability_zone: Text<Zone<'a>>,
            default_for_az: bool,
            map_public_ip_on_launch: bool,
        }
        let (plan, s) = (self.plan, self.s);
        let vpc = &plan.vpcs[s.vpc as usize];
        Json {
            availability_zone_id: Text(ZoneId(plan, s.az)),
            owner_id: &plan.account,
            assign_ipv6_address_on_creation: false,
            ipv6_cidr_block_association_set: s
                .v6
                .map(|(block, assoc)| V6Assoc {
                    association_id: assoc,
                    ipv6_cidr_block: Text(Cidr::V6(block, 64)),
                    ipv6_cidr_block_state: ASSOCIATED,
                })
                .into_iter()
                .collect(),
            tags: NameTag((!vpc.default).then_some(s.name.as_str())),
            subnet_arn: arn(plan, "subnet", s.id),
            ipv6_native: false,
            private_dns_name_options_on_launch: DnsOptions {
                hostname_type: "ip-name",
                enable_resource_name_dns_a_record: false,
                enable_resource_name_dns_aaaa_record: false,
            },
            subnet_id: s.id,
            state: "available",
            vpc_id: vpc.id,
            cidr_block: Text(Cidr::V4(s.cidr, 20)),
            available_ip_address_count: 4091u32.saturating_sub(s.used),
            availability_zone: Text(Zone(plan, s.az)),
            default_for_az: vpc.default,
            map_public_ip_on_launch: s.public,
        }
        .serialize(ser)
    }
}

struct RouteTableJson<'a> {
    plan: &'a Plan,
    t: &'a RouteTable,
}

impl Serialize for RouteTableJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct AssocJson {
            main: bool,
            route_table_association_id: Id,
            route_table_id: Id,
            #[serde(skip_serializing_if = "Option::is_none")]
            subnet_id: Option<Id>,
            association_state: StateJson,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct RouteJson {
            #[serde(skip_serializing_if = "Option::is_none")]
            destination_cidr_block: Option<Text<Cidr>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            destination_ipv6_cidr_block: Option<Text<Cidr>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            gateway_id: Option<Text<GatewayId>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            nat_gateway_id: Option<Id>,
            origin: &'static str,
            state: &'static str,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Json<'a, A, R> {
            associations: A,
            propagating_vgws: [(); 0],
            route_table_id: Id,
            routes: R,
            tags: NameTag<'a>,
            vpc_id: Id,
            owner_id: &'a str,
        }
        let (plan, t) = (self.plan, self.t);
        Json {
            associations: Seq(|| {
                let main = t.main.map(|id| AssocJson {
                    main: true,
                    route_table_association_id: id,
                    route_table_id: t.id,
                    subnet_id: None,
                    association_state: ASSOCIATED,
                });
                main.into_iter()
                    .chain(t.subnets.iter().map(|&(subnet, id)| AssocJson {
                        main: false,
                        route_table_association_id: id,
                        route_table_id: t.id,
                        subnet_id: Some(plan.subnets[subnet as usize].id),
                        association_state: ASSOCIATED,
                    }))
            }),
            propagating_vgws: [],
            route_table_id: t.id,
            routes: Seq(|| {
                t.routes.iter().map(|r| {
                    let (v4, v6) = match r.dest {
                        c @ Cidr::V4(..) => (Some(Text(c)), None),
                        c @ Cidr::V6(..) => (None, Some(Text(c))),
                    };
                    let (gateway_id, nat_gateway_id, origin) = match r.target {
                        Target::Local => (Some(Text(GatewayId::Local)), None, "CreateRouteTable"),
                        Target::Igw(id) => (Some(Text(GatewayId::Igw(id))), None, "CreateRoute"),
                        Target::Nat(id) => (None, Some(id), "CreateRoute"),
                    };
                    RouteJson {
                        destination_cidr_block: v4,
                        destination_ipv6_cidr_block: v6,
                        gateway_id,
                        nat_gateway_id,
                        origin,
                        state: "active",
                    }
                })
            }),
            tags: NameTag(t.name.as_deref()),
            vpc_id: plan.vpcs[t.vpc as usize].id,
            owner_id: &plan.account,
        }
        .serialize(s)
    }
}

enum GatewayId {
    Local,
    Igw(Id),
}

impl fmt::Display for GatewayId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GatewayId::Local => f.write_str("local"),
            GatewayId::Igw(id) => id.fmt(f),
        }
    }
}

struct AclJson<'a> {
    plan: &'a Plan,
    a: &'a Acl,
}

impl Serialize for AclJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct AssocJson {
            network_acl_association_id: Id,
            network_acl_id: Id,
            subnet_id: Id,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Ports {
            from: u16,
            to: u16,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct EntryJson {
            #[serde(skip_serializing_if = "Option::is_none")]
            cidr_block: Option<Text<Cidr>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            ipv6_cidr_block: Option<Text<Cidr>>,
            egress: bool,
            #[serde(skip_serializing_if = "Option::is_none")]
            port_range: Option<Ports>,
            protocol: &'static str,
            rule_action: &'static str,
            rule_number: u16,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Json<'a, A, E> {
            associations: A,
            entries: E,
            is_default: bool,
            network_acl_id: Id,
            tags: NameTag<'a>,
            vpc_id: Id,
            owner_id: &'a str,
        }
        let (plan, a) = (self.plan, self.a);
        Json {
            associations: Seq(|| {
                a.subnets.iter().map(|&(subnet, id)| AssocJson {
                    network_acl_association_id: id,
                    network_acl_id: a.id,
                    subnet_id: plan.subnets[subnet as usize].id,
                })
            }),
            entries: Seq(|| {
                a.entries.iter().map(|e| {
                    let (v4, v6) = match e.cidr {
                        c @ Cidr::V4(..) => (Some(Text(c)), None),
                        c @ Cidr::V6(..) => (None, Some(Text(c))),
                    };
                    EntryJson {
                        cidr_block: v4,
                        ipv6_cidr_block: v6,
                        egress: e.egress,
                        port_range: e.ports.map(|(from, to)| Ports { from, to }),
                        protocol: e.protocol,
                        rule_action: if e.allow { "allow" } else { "deny" },
                        rule_number: e.number,
                    }
                })
            }),
            is_default: a.default,
            network_acl_id: a.id,
            tags: NameTag(a.name.as_deref()),
            vpc_id: plan.vpcs[a.vpc as usize].id,
            owner_id: &plan.account,
        }
        .serialize(s)
    }
}

struct IgwJson<'a> {
    plan: &'a Plan,
    v: &'a Vpc,
}

impl Serialize for IgwJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct AttachmentJson {
            state: &'static str,
            vpc_id: Id,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Json<'a> {
            attachments: [AttachmentJson; 1],
            internet_gateway_id: Option<Id>,
            owner_id: &'a str,
            tags: Tags<'a>,
        }
        let name = [("Name", format!("{}-igw", self.v.name))];
        Json {
            attachments: [AttachmentJson {
                state: "available",
                vpc_id: self.v.id,
            }],
            internet_gateway_id: self.v.igw,
            owner_id: &self.plan.account,
            tags: Tags(&name),
        }
        .serialize(s)
    }
}

// ---- prefix lists and Elastic IPs ------------------------------------------------------

struct PrefixListJson<'a> {
    plan: &'a Plan,
    l: &'a PrefixList,
}

impl Serialize for PrefixListJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Json<'a> {
            prefix_list_id: Id,
            address_family: &'static str,
            state: &'static str,
            prefix_list_arn: Text<Arn<'a>>,
            prefix_list_name: &'a str,
            max_entries: u32,
            version: u32,
            tags: NameTag<'a>,
            owner_id: &'a str,
        }
        let l = self.l;
        Json {
            prefix_list_id: l.id,
            address_family: if l.v6 { "IPv6" } else { "IPv4" },
            state: "create-complete",
            prefix_list_arn: arn(self.plan, "prefix-list", l.id),
            prefix_list_name: l.name,
            max_entries: l.max_entries,
            version: 1,
            tags: NameTag(Some(l.name)),
            owner_id: &self.plan.account,
        }
        .serialize(s)
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EntryJson<'a> {
    cidr: Text<&'a Cidr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'static str>,
}

struct AddressJson<'a> {
    plan: &'a Plan,
    a: &'a Address,
}

impl Serialize for AddressJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Json<'a> {
            allocation_id: Id,
            #[serde(skip_serializing_if = "Option::is_none")]
            association_id: Option<Id>,
            domain: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            network_interface_id: Option<Id>,
            #[serde(skip_serializing_if = "Option::is_none")]
            network_interface_owner_id: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            private_ip_address: Option<Text<Ipv4Addr>>,
            tags: NameTag<'a>,
            #[serde(skip_serializing_if = "Option::is_none")]
            instance_id: Option<Id>,
            public_ip: Text<Ipv4Addr>,
            public_ipv4_pool: &'static str,
            network_border_group: &'static str,
        }
        let (plan, a) = (self.plan, self.a);
        let eni = a.eni.map(|e| &plan.enis[e as usize]);
        let instance = eni
            .and_then(|e| e.attachment.as_ref())
            .and_then(|at| at.instance)
            .map(|i| plan.instances[i as usize].id);
        Json {
            allocation_id: a.alloc,
            association_id: a.assoc,
            domain: "vpc",
            network_interface_id: eni.map(|e| e.id),
            network_interface_owner_id: eni.map(|_| plan.account.as_str()),
            private_ip_address: eni.map(|e| ip4(e.private_ip)),
            tags: NameTag(a.name.as_deref()),
            instance_id: instance,
            public_ip: ip4(a.ip),
            public_ipv4_pool: "amazon",
            network_border_group: plan.region,
        }
        .serialize(s)
    }
}

// ---- security groups and their rules ---------------------------------------------------

struct GroupJson<'a> {
    plan: &'a Plan,
    g: &'a Group,
}

impl Serialize for GroupJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Json<'a, I, E> {
            group_id: Id,
            ip_permissions_egress: E,
            tags: Tags<'a>,
            vpc_id: Id,
            security_group_arn: Text<Arn<'a>>,
            owner_id: &'a str,
            group_name: &'a str,
            description: &'a str,
            ip_permissions: I,
        }
        let (plan, g) = (self.plan, self.g);
        Json {
            group_id: g.id,
            ip_permissions_egress: Seq(|| g.egress.iter().map(|p| PermissionJson { plan, p })),
            tags: Tags(&g.tags),
            vpc_id: plan.vpcs[g.vpc as usize].id,
            security_group_arn: arn(plan, "security-group", g.id),
            owner_id: &plan.account,
            group_name: &g.name,
            description: &g.description,
            ip_permissions: Seq(|| g.ingress.iter().map(|p| PermissionJson { plan, p })),
        }
        .serialize(s)
    }
}

struct PermissionJson<'a> {
    plan: &'a Plan,
    p: &'a Permission,
}

impl Serialize for PermissionJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct PairJson<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<&'static str>,
            user_id: &'a str,
            group_id: Id,
        }
        #[derive(Serialize)]
        struct RangeJson<'a> {
            #[serde(rename = "CidrIp")]
            cidr: Text<&'a Cidr>,
            #[serde(rename = "Description", skip_serializing_if = "Option::is_none")]
            description: Option<&'static str>,
        }
        #[derive(Serialize)]
        struct Range6Json<'a> {
            #[serde(rename = "CidrIpv6")]
            cidr: Text<&'a Cidr>,
            #[serde(rename = "Description", skip_serializing_if = "Option::is_none")]
            description: Option<&'static str>,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct ListJson {
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<&'static str>,
            prefix_list_id: Id,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Json<A, B, C, D> {
            ip_protocol: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            from_port: Option<i32>,
            #[serde(skip_serializing_if = "Option::is_none")]
            to_port: Option<i32>,
            user_id_group_pairs: A,
            ip_ranges: B,
            ipv6_ranges: C,
            prefix_list_ids: D,
        }
        let (plan, p) = (self.plan, self.p);
        Json {
            ip_protocol: p.proto.name(),
            from_port: p.has_ports().then_some(p.from),
            to_port: p.has_ports().then_some(p.to),
            user_id_group_pairs: Seq(|| {
                p.grants.iter().filter_map(|g| match g.source {
                    Source::Group(group) => Some(PairJson {
                        description: g.description,
                        user_id: &plan.account,
                        group_id: plan.groups[group as usize].id,
                    }),
                    _ => None,
                })
            }),
            ip_ranges: Seq(|| {
                p.grants.iter().filter_map(|g| match &g.source {
                    Source::Cidr(cidr @ Cidr::V4(..)) => Some(RangeJson {
                        cidr: Text(cidr),
                        description: g.description,
                    }),
                    _ => None,
                })
            }),
            ipv6_ranges: Seq(|| {
                p.grants.iter().filter_map(|g| match &g.source {
                    Source::Cidr(cidr @ Cidr::V6(..)) => Some(Range6Json {
                        cidr: Text(cidr),
                        description: g.description,
                    }),
                    _ => None,
                })
            }),
            prefix_list_ids: Seq(|| {
                p.grants.iter().filter_map(|g| match g.source {
                    Source::List(list) => Some(ListJson {
                        description: g.description,
                        prefix_list_id: plan.prefix_lists[list as usize].id,
                    }),
                    _ => None,
                })
            }),
        }
        .serialize(s)
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ReferencedGroupJson<'a> {
    group_id: Id,
    user_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct RuleJson<'a> {
    security_group_rule_id: Id,
    group_id: Id,
    group_owner_id: &'a str,
    is_egress: bool,
    ip_protocol: &'static str,
    from_port: i32,
    to_port: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    cidr_ipv4: Option<Text<&'a Cidr>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cidr_ipv6: Option<Text<&'a Cidr>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prefix_list_id: Option<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    referenced_group_info: Option<ReferencedGroupJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'static str>,
    tags: [(); 0],
    security_group_rule_arn: Text<Arn<'a>>,
}

/// `describe-security-group-rules`: one entry per source, egress first as AWS lists them.
fn rules(plan: &Plan) -> impl Iterator<Item = RuleJson<'_>> {
    plan.groups.iter().flat_map(move |g| {
        let egress = g.egress.iter().map(|p| (true, p));
        let ingress = g.ingress.iter().map(|p| (false, p));
        egress.chain(ingress).flat_map(move |(is_egress, p)| {
            p.grants.iter().map(move |grant| {
                let (v4, v6, list, group) = match &grant.source {
                    Source::Cidr(c @ Cidr::V4(..)) => (Some(Text(c)), None, None, None),
                    Source::Cidr(c @ Cidr::V6(..)) => (None, Some(Text(c)), None, None),
                    Source::List(l) => (None, None, Some(plan.prefix_lists[*l as usize].id), None),
                    Source::Group(other) => (
                        None,
                        None,
                        None,
                        Some(ReferencedGroupJson {
                            group_id: plan.groups[*other as usize].id,
                            user_id: &plan.account,
                        }),
                    ),
                };
                let (from, to) = if p.has_ports() {
                    (p.from, p.to)
                } else {
                    (-1, -1)
                };
                RuleJson {
                    security_group_rule_id: grant.rule,
                    group_id: g.id,
                    group_owner_id: &plan.account,
                    is_egress,
                    ip_protocol: p.proto.name(),
                    from_port: from,
                    to_port: to,
                    cidr_ipv4: v4,
                    cidr_ipv6: v6,
                    prefix_list_id: list,
                    referenced_group_info: group,
                    description: grant.description,
                    tags: [],
                    security_group_rule_arn: arn(plan, "security-group-rule", grant.rule),
                }
            })
        })
    })
}

// ---- instances and network interfaces --------------------------------------------------

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct GroupIdentifier<'a> {
    group_id: Id,
    group_name: &'a str,
}

fn group_list<'a>(plan: &'a Plan, groups: &'a [u32]) -> GroupList<'a> {
    GroupList { plan, groups }
}

/// `[{"GroupId": ..., "GroupName": ...}]`, as instances and interfaces list their groups.
struct GroupList<'a> {
    plan: &'a Plan,
    groups: &'a [u32],
}

impl Serialize for GroupList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.groups.iter().map(|&g| {
            let group = &self.plan.groups[g as usize];
            GroupIdentifier {
                group_id: group.id,
                group_name: &group.name,
            }
        }))
    }
}

/// The public side of an address, as `Association` objects show it.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AssociationJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    allocation_id: Option<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    association_id: Option<Id>,
    ip_owner_id: &'a str,
    public_dns_name: Text<Dns<'a>>,
    public_ip: Text<Ipv4Addr>,
}

fn association<'a>(plan: &'a Plan, public: Option<Public>) -> Option<AssociationJson<'a>> {
    let (ip, owner, eip) = match public? {
        Public::Amazon(ip) => (ip, "amazon", None),
        Public::AmazonElb(ip) => (ip, "amazon-elb", None),
        Public::Elastic(a) => {
            let address = &plan.addresses[a as usize];
            (
                address.ip,
                plan.account.as_str(),
                Some((address.alloc, address.assoc)),
            )
        }
    };
    Some(AssociationJson {
        allocation_id: eip.map(|(alloc, _)| alloc),
        association_id: eip.and_then(|(_, assoc)| assoc),
        ip_owner_id: owner,
        public_dns_name: dns(plan, ip, true),
        public_ip: ip4(ip),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PrivateIpJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    association: Option<AssociationJson<'a>>,
    primary: bool,
    private_dns_name: Text<Dns<'a>>,
    private_ip_address: Text<Ipv4Addr>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Ipv6Json {
    ipv6_address: Text<Ipv6Addr>,
}

struct ReservationJson<'a> {
    plan: &'a Plan,
    r: &'a crate::plan::Reservation,
}

impl Serialize for ReservationJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Json<'a, I> {
            reservation_id: Id,
            owner_id: &'a str,
            groups: [(); 0],
            instances: I,
        }
        let plan = self.plan;
        Json {
            reservation_id: self.r.id,
            owner_id: &plan.account,
            groups: [],
            instances: Seq(|| {
                self.r.instances.iter().map(|&i| InstanceJson {
                    plan,
                    i: &plan.instances[i as usize],
                })
            }),
        }
        .serialize(s)
    }
}

struct InstanceJson<'a> {
    plan: &'a Plan,
    i: &'a Instance,
}

impl Serialize for InstanceJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Ebs {
            attach_time: Text<Time>,
            delete_on_termination: bool,
            status: &'static str,
            volume_id: Id,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Device {
            device_name: &'static str,
            ebs: Ebs,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Reason {
            code: &'static str,
            message: &'static str,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Metadata {
            state: &'static str,
            http_tokens: &'static str,
            http_put_response_hop_limit: u32,
            http_endpoint: &'static str,
            http_protocol_ipv6: &'static str,
            instance_metadata_tags: &'static str,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct StateJson {
            code: u32,
            name: &'static str,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Placement<'a> {
            group_name: &'static str,
            tenancy: &'static str,
            availability_zone: Text<Zone<'a>>,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Monitoring {
            state: &'static str,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Json<'a, N> {
            architecture: &'static str,
            block_device_mappings: Vec<Device>,
            client_token: String,
            ebs_optimized: bool,
            hypervisor: &'static str,
            network_interfaces: N,
            root_device_name: &'static str,
            root_device_type: &'static str,
            security_groups: GroupList<'a>,
            source_dest_check: bool,
            state_reason: Reason,
            tags: Tags<'a>,
            virtualization_type: &'static str,
            hibernation_options: Empty,
            metadata_options: Metadata,
            instance_id: Id,
            image_id: Id,
            #[serde(skip_serializing_if = "Option::is_none")]
            key_name: Option<&'static str>,
            state: StateJson,
            #[serde(skip_serializing_if = "Option::is_none")]
            private_dns_name: Option<Text<Dns<'a>>>,
            public_dns_name: OrBlank<Text<Dns<'a>>>,
            state_transition_reason: &'static str,
            ami_launch_index: u32,
            product_codes: [(); 0],
            instance_type: &'static str,
            launch_time: Text<Time>,
            placement: Placement<'a>,
            platform_details: &'static str,
            monitoring: Monitoring,
            #[serde(skip_serializing_if = "Option::is_none")]
            subnet_id: Option<Id>,
            #[serde(skip_serializing_if = "Option::is_none")]
            vpc_id: Option<Id>,
            #[serde(skip_serializing_if = "Option::is_none")]
            private_ip_address: Option<Text<Ipv4Addr>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            public_ip_address: Option<Text<Ipv4Addr>>,
        }
        let (plan, i) = (self.plan, self.i);
        let subnet = &plan.subnets[i.subnet as usize];
        let gone = i.state == State::Terminated;
        let public_ip = i
            .enis
            .first()
            .and_then(|&e| match plan.enis[e as usize].public? {
                Public::Amazon(ip) | Public::AmazonElb(ip) => Some(ip),
                Public::Elastic(a) => Some(plan.addresses[a as usize].ip),
            });
        let tags = [
            ("Name", i.name.clone()),
            ("team", i.team.to_string()),
            ("env", i.env.to_string()),
        ];
        let stopped = i.state != State::Running;
        Json {
            architecture: if i.instance_type.starts_with("m6g") {
                "arm64"
            } else {
                "x86_64"
            },
            block_device_mappings: if gone {
                Vec::new()
            } else {
                vec![Device {
                    device_name: "/dev/xvda",
                    ebs: Ebs {
                        attach_time: Text(Time(i.launch)),
                        delete_on_termination: true,
                        status: "attached",
                        volume_id: i.volume,
                    },
                }]
            },
            client_token: format!("{}-{}", i.name, i.launch),
            ebs_optimized: !i.instance_type.starts_with("t3"),
            hypervisor: "xen",
            network_interfaces: Seq(|| {
                i.enis.iter().map(|&e| EmbeddedEniJson {
                    plan,
                    e: &plan.enis[e as usize],
                })
            }),
            root_device_name: "/dev/xvda",
            root_device_type: "ebs",
            security_groups: group_list(plan, &i.groups),
            source_dest_check: true,
            state_reason: match i.state {
                State::Running => Reason {
                    code: "",
                    message: "",
                },
                State::Stopped => Reason {
                    code: "Client.UserInitiatedShutdown",
                    message: "Client.UserInitiatedShutdown: User initiated shutdown",
                },
                State::Terminated => Reason {
                    code: "Client.UserInitiatedShutdown",
                    message: "Client.UserInitiatedShutdown: User initiated shutdown",
                },
            },
            tags: Tags(&tags),
            virtualization_type: "hvm",
            hibernation_options: Empty {},
            metadata_options: Metadata {
                state: "applied",
                http_tokens: "required",
                http_put_response_hop_limit: 2,
                http_endpoint: "enabled",
                http_protocol_ipv6: "disabled",
                instance_metadata_tags: "disabled",
            },
            instance_id: i.id,
            image_id: i.ami,
            key_name: i.key,
            state: StateJson {
                code: i.state.code(),
                name: i.state.name(),
            },
            private_dns_name: (!gone).then(|| dns(plan, i.private_ip, false)),
            public_dns_name: OrBlank(public_ip.map(|ip| dns(plan, ip, true))),
            state_transition_reason: if stopped {
                "User initiated (2025-05-01 10:00:00 GMT)"
            } else {
                ""
            },
            ami_launch_index: i.launch_index,
            product_codes: [],
            instance_type: i.instance_type,
            launch_time: Text(Time(i.launch)),
            placement: Placement {
                group_name: "",
                tenancy: "default",
                availability_zone: Text(Zone(plan, subnet.az)),
            },
            platform_details: "Linux/UNIX",
            monitoring: Monitoring { state: "disabled" },
            subnet_id: (!gone).then_some(subnet.id),
            vpc_id: (!gone).then(|| plan.vpcs[subnet.vpc as usize].id),
            private_ip_address: (!gone).then(|| ip4(i.private_ip)),
            public_ip_address: public_ip.map(ip4),
        }
        .serialize(s)
    }
}

/// An interface as `describe-instances` shows it inside the instance.
struct EmbeddedEniJson<'a> {
    plan: &'a Plan,
    e: &'a Eni,
}

impl Serialize for EmbeddedEniJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct AttachmentJson {
            attach_time: Text<Time>,
            attachment_id: Id,
            delete_on_termination: bool,
            device_index: u32,
            status: &'static str,
            network_card_index: u32,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Json<'a, P, V> {
            association: OrEmpty<AssociationJson<'a>>,
            attachment: Option<AttachmentJson>,
            description: &'static str,
            groups: GroupList<'a>,
            ipv6_addresses: V,
            mac_address: Text<Mac>,
            network_interface_id: Id,
            owner_id: &'a str,
            private_dns_name: Text<Dns<'a>>,
            private_ip_address: Text<Ipv4Addr>,
            private_ip_addresses: P,
            source_dest_check: bool,
            status: &'static str,
            subnet_id: Id,
            vpc_id: Id,
            interface_type: &'static str,
        }
        let (plan, e) = (self.plan, self.e);
        let subnet = &plan.subnets[e.subnet as usize];
        let association = || association(plan, e.public);
        Json {
            association: OrEmpty(association()),
            attachment: e.attachment.as_ref().map(|a| AttachmentJson {
                attach_time: Text(Time(e.time)),
                attachment_id: a.id,
                delete_on_termination: a.device == 0,
                device_index: a.device,
                status: "attached",
                network_card_index: 0,
            }),
            description: if e.attachment.as_ref().is_some_and(|a| a.device == 0) {
                "Primary network interface"
            } else {
                ""
            },
            groups: group_list(plan, &e.groups),
            ipv6_addresses: Seq(|| {
                e.ipv6.map(|a| Ipv6Json {
                    ipv6_address: Text(Ipv6Addr::from(a)),
                })
            }),
            mac_address: Text(Mac(e.mac)),
            network_interface_id: e.id,
            owner_id: &plan.account,
            private_dns_name: dns(plan, e.private_ip, false),
            private_ip_address: ip4(e.private_ip),
            private_ip_addresses: Seq(move || {
                std::iter::once(PrivateIpJson {
                    association: association(),
                    primary: true,
                    private_dns_name: dns(plan, e.private_ip, false),
                    private_ip_address: ip4(e.private_ip),
                })
            }),
            source_dest_check: true,
            status: "in-use",
            subnet_id: subnet.id,
            vpc_id: plan.vpcs[subnet.vpc as usize].id,
            interface_type: "interface",
        }
        .serialize(s)
    }
}

/// An interface as `describe-network-interfaces` shows it.
struct EniJson<'a> {
    plan: &'a Plan,
    e: &'a Eni,
}

impl Serialize for EniJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct AttachmentJson<'a> {
            attach_time: Text<Time>,
            attachment_id: Id,
            delete_on_termination: bool,
            device_index: u32,
            network_card_index: u32,
            #[serde(skip_serializing_if = "Option::is_none")]
            instance_id: Option<Id>,
            instance_owner_id: &'a str,
            status: &'static str,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Json<'a, P, V> {
            #[serde(skip_serializing_if = "Option::is_none")]
            association: Option<AssociationJson<'a>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            attachment: Option<AttachmentJson<'a>>,
            availability_zone: Text<Zone<'a>>,
            description: Text<Description<'a>>,
            groups: GroupList<'a>,
            interface_type: &'static str,
            ipv6_addresses: V,
            mac_address: Text<Mac>,
            network_interface_id: Id,
            owner_id: &'a str,
            private_dns_name: Text<Dns<'a>>,
            private_ip_address: Text<Ipv4Addr>,
            private_ip_addresses: P,
            #[serde(skip_serializing_if = "Option::is_none")]
            requester_id: Option<&'static str>,
            requester_managed: bool,
            source_dest_check: bool,
            status: &'static str,
            subnet_id: Id,
            tag_set: Tags<'a>,
            vpc_id: Id,
        }
        let (plan, e) = (self.plan, self.e);
        let subnet = &plan.subnets[e.subnet as usize];
        let association = || association(plan, e.public);
        let (interface_type, requester, owner) = match e.kind {
            EniKind::Instance => ("interface", None, plan.account.as_str()),
            EniKind::Nat(_) => ("nat_gateway", Some("AROAIMFRTXA2ZDOCCMCQA"), "amazon-aws"),
            EniKind::LoadBalancer(_) => ("interface", Some("amazon-elb"), "amazon-elb"),
        };
        let instance = e
            .attachment
            .as_ref()
            .and_then(|a| a.instance)
            .map(|i| &plan.instances[i as usize]);
        let tags: Vec<(&'static str, String)> = match instance {
            Some(i) => vec![(
                "Name",
                format!(
                    "{}-eth{}",
                    i.name,
                    e.attachment.as_ref().map_or(0, |a| a.device)
                ),
            )],
            None => Vec::new(),
        };
        Json {
            association: association(),
            attachment: e.attachment.as_ref().map(|a| AttachmentJson {
                attach_time: Text(Time(e.time)),
                attachment_id: a.id,
                delete_on_termination: a.device == 0,
                device_index: a.device,
                network_card_index: 0,
                instance_id: instance.map(|i| i.id),
                instance_owner_id: owner,
                status: "attached",
            }),
            availability_zone: Text(Zone(plan, subnet.az)),
            description: Text(Description(e)),
            groups: group_list(plan, &e.groups),
            interface_type,
            ipv6_addresses: Seq(|| {
                e.ipv6.map(|a| Ipv6Json {
                    ipv6_address: Text(Ipv6Addr::from(a)),
                })
            }),
            mac_address: Text(Mac(e.mac)),
            network_interface_id: e.id,
            owner_id: &plan.account,
            private_dns_name: dns(plan, e.private_ip, false),
            private_ip_address: ip4(e.private_ip),
            private_ip_addresses: Seq(move || {
                std::iter::once(PrivateIpJson {
                    association: association(),
                    primary: true,
                    private_dns_name: dns(plan, e.private_ip, false),
                    private_ip_address: ip4(e.private_ip),
                })
            }),
            requester_id: requester,
            requester_managed: requester.is_some(),
            source_dest_check: matches!(e.kind, EniKind::Instance),
            status: "in-use",
            subnet_id: subnet.id,
            tag_set: Tags(&tags),
            vpc_id: plan.vpcs[subnet.vpc as usize].id,
        }
        .serialize(s)
    }
}

struct Description<'a>(&'a Eni);

impl fmt::Display for Description<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.kind {
            EniKind::Instance => match &self.0.attachment {
                Some(a) if a.device == 0 => f.write_str("Primary network interface"),
                _ => f.write_str(""),
            },
            EniKind::Nat(nat) => write!(f, "Interface for NAT Gateway {nat}"),
            EniKind::LoadBalancer(name) => f.write_str(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_iso_8601() {
        assert_eq!(Time(0).to_string(), "1970-01-01T00:00:00.000Z");
        assert_eq!(Time(1_709_641_296).to_string(), "2024-03-05T12:21:36.000Z");
        assert_eq!(Time(951_782_400).to_string(), "2000-02-29T00:00:00.000Z");
    }
}
