//! One region's estate, planned in memory as compact records before any JSON is written,
//! so that every file agrees with every other (rule ids, interfaces, groups, addresses).

use crate::Cell;
use crate::ids::{Id, Ids, Kind};
use fastrand::Rng;

/// An address block, IPv4 or IPv6, as first address and prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cidr {
    V4(u32, u8),
    V6(u128, u8),
}

const fn v4(a: u8, b: u8, c: u8, d: u8) -> u32 {
    u32::from_be_bytes([a, b, c, d])
}

pub(crate) const WORLD_V4: Cidr = Cidr::V4(0, 0);
pub(crate) const WORLD_V6: Cidr = Cidr::V6(0, 0);

pub(crate) struct Vpc {
    pub id: Id,
    /// The /16.
    pub cidr: u32,
    pub cidr_assoc: Id,
    /// The /56 and its association id.
    pub v6: Option<(u128, Id)>,
    pub default: bool,
    pub igw: Option<Id>,
    pub name: String,
}

pub(crate) struct Subnet {
    pub id: Id,
    pub vpc: u32,
    pub az: u8,
    /// The /20.
    pub cidr: u32,
    pub public: bool,
    /// The /64 and its association id.
    pub v6: Option<(u128, Id)>,
    pub name: String,
    /// Addresses handed out so far.
    pub used: u32,
}

pub(crate) enum Target {
    Local,
    Igw(Id),
    Nat(Id),
}

pub(crate) struct Route {
    pub dest: Cidr,
    pub target: Target,
}

pub(crate) struct RouteTable {
    pub id: Id,
    pub vpc: u32,
    /// The main table's association id.
    pub main: Option<Id>,
    /// Explicit associations: subnet and association id.
    pub subnets: Vec<(u32, Id)>,
    pub routes: Vec<Route>,
    pub name: Option<String>,
}

pub(crate) struct AclEntry {
    pub number: u16,
    pub egress: bool,
    /// `-1`, `6` or `17`, as AWS prints network ACL protocols.
    pub protocol: &'static str,
    pub allow: bool,
    pub cidr: Cidr,
    pub ports: Option<(u16, u16)>,
}

pub(crate) struct Acl {
    pub id: Id,
    pub vpc: u32,
    pub default: bool,
    pub entries: Vec<AclEntry>,
    pub subnets: Vec<(u32, Id)>,
    pub name: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Proto {
    All,
    Tcp,
    Udp,
    Icmp,
    Icmpv6,
}

impl Proto {
    pub fn name(self) -> &'static str {
        match self {
            Proto::All => "-1",
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
            Proto::Icmp => "icmp",
            Proto::Icmpv6 => "icmpv6",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    Cidr(Cidr),
    /// Index into [`Plan::prefix_lists`].
    List(u32),
    /// Index into [`Plan::groups`].
    Group(u32),
}

/// One source of one permission: one rule, with its `sgr-` id.
pub(crate) struct Grant {
    pub source: Source,
    pub description: Option<&'static str>,
    pub rule: Id,
}

pub(crate) struct Permission {
    pub proto: Proto,
    pub from: i32,
    pub to: i32,
    pub grants: Vec<Grant>,
}

impl Permission {
    /// AWS omits the ports of protocol `-1` in `IpPermissions`.
    pub fn has_ports(&self) -> bool {
        self.proto != Proto::All
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tier {
    Default,
    Bastion,
    Monitoring,
    Lb,
    Web,
    Api,
    Worker,
    Db,
    Cache,
    Cassandra,
    Kafka,
    Search,
}

impl Tier {
    fn name(self) -> &'static str {
        match self {
            Tier::Default => "default",
            Tier::Bastion => "bastion-access",
            Tier::Monitoring => "monitoring",
            Tier::Lb => "alb",
            Tier::Web => "web",
            Tier::Api => "api",
            Tier::Worker => "worker",
            Tier::Db => "db",
            Tier::Cache => "cache",
            Tier::Cassandra => "cassandra",
            Tier::Kafka => "kafka",
            Tier::Search => "search",
        }
    }

    /// The ports this tier serves: (protocol, from, to, weight).
    fn ports(self) -> &'static [(Proto, i32, i32, u32)] {
        use Proto::*;
        match self {
            Tier::Default => &[(All, -1, -1, 1)],
            Tier::Bastion => &[(Tcp, 22, 22, 8), (Tcp, 3389, 3389, 2)],
            Tier::Monitoring => &[
                (Tcp, 9100, 9100, 4),
                (Tcp, 9090, 9090, 2),
                (Udp, 161, 161, 2),
                (Tcp, 5985, 5986, 1),
                (Icmp, 8, -1, 2),
                (Icmpv6, -1, -1, 1),
            ],
            Tier::Lb => &[(Tcp, 443, 443, 8), (Tcp, 80, 80, 5), (Tcp, 8443, 8443, 1)],
            Tier::Web => &[
                (Tcp, 443, 443, 4),
                (Tcp, 80, 80, 3),
                (Tcp, 8080, 8080, 4),
                (Tcp, 22, 22, 3),
                (Tcp, 3000, 3000, 1),
            ],
            Tier::Api => &[
                (Tcp, 8080, 8080, 4),
                (Tcp, 8443, 8443, 2),
                (Tcp, 443, 443, 2),
                (Tcp, 5000, 5000, 1),
                (Tcp, 9090, 9090, 1),
                (Tcp, 8000, 8999, 1),
            ],
            Tier::Worker => &[
                (Tcp, 22, 22, 3),
                (Tcp, 8000, 8999, 2),
                (Tcp, 1024, 65535, 1),
                (All, -1, -1, 1),
            ],
            Tier::Db => &[
                (Tcp, 5432, 5432, 5),
                (Tcp, 3306, 3306, 4),
                (Tcp, 1433, 1433, 1),
                (Tcp, 1521, 1521, 1),
                (Tcp, 27017, 27017, 2),
            ],
            Tier::Cache => &[
                (Tcp, 6379, 6379, 5),
                (Tcp, 11211, 11211, 2),
                (Udp, 11211, 11211, 1),
            ],
            Tier::Cassandra => &[
                (Tcp, 9042, 9042, 6),
                (Tcp, 9142, 9142, 1),
                (Tcp, 7000, 7001, 3),
                (Tcp, 7199, 7199, 2),
                (Tcp, 7000, 7199, 2),
                (Tcp, 9160, 9160, 1),
            ],
            Tier::Kafka => &[
                (Tcp, 9092, 9092, 5),
                (Tcp, 9093, 9094, 1),
                (Tcp, 2181, 2181, 2),
            ],
            Tier::Search => &[
                (Tcp, 9200, 9200, 4),
                (Tcp, 9300, 9300, 2),
                (Tcp, 5601, 5601, 2),
            ],
        }
    }

    /// Tiers meant to face clients from anywhere (on their web ports).
    fn public_facing(self) -> bool {
        matches!(self, Tier::Lb | Tier::Web)
    }
}

/// Rules every kind of group picks up over the years, whatever it serves.
const GENERIC_PORTS: &[(Proto, i32, i32, u32)] = &[
    (Proto::Tcp, 22, 22, 10),
    (Proto::Tcp, 443, 443, 6),
    (Proto::Tcp, 80, 80, 3),
    (Proto::Tcp, 0, 65535, 3),
    (Proto::Tcp, 1024, 65535, 2),
    (Proto::Tcp, 30000, 32767, 2),
    (Proto::Tcp, 7000, 7199, 1),
    (Proto::Tcp, 3389, 3389, 2),
    (Proto::Tcp, 8080, 8080, 3),
    (Proto::Tcp, 9100, 9100, 2),
    (Proto::Tcp, 2049, 2049, 1),
    (Proto::Tcp, 5900, 5910, 1),
    (Proto::Tcp, 4000, 4100, 1),
    (Proto::Tcp, 10250, 10250, 1),
    (Proto::Udp, 53, 53, 2),
    (Proto::Udp, 123, 123, 1),
    (Proto::Udp, 500, 500, 1),
    (Proto::Udp, 4500, 4500, 1),
    (Proto::Udp, 0, 65535, 1),
    (Proto::All, -1, -1, 4),
    (Proto::Icmp, -1, -1, 2),
    (Proto::Icmp, 8, -1, 2),
];

const DESCRIPTIONS: &[&str] = &[
    "from the application tier",
    "office VPN",
    "monitoring",
    "health checks",
    "legacy - do not remove",
    "temporary access for migration",
    "Cassandra clients",
    "CI runners",
    "partner integration",
    "load balancer",
    "ops bastion",
    "TICKET-4711 debugging",
];

const APPS: &[&str] = &[
    "payments",
    "orders",
    "search",
    "auth",
    "billing",
    "catalog",
    "inventory",
    "analytics",
    "reporting",
    "ledger",
    "gateway",
    "notifications",
    "profile",
    "checkout",
    "shipping",
    "recommendations",
    "media",
    "chat",
    "metrics",
    "audit",
];

const TEAMS: &[&str] = &["platform", "data", "core", "growth", "risk", "infra", "web"];
const ENVS: &[&str] = &["prod", "prod", "prod", "staging", "dev"];

pub(crate) struct Group {
    pub id: Id,
    pub vpc: u32,
    pub name: String,
    pub description: String,
    pub ingress: Vec<Permission>,
    pub egress: Vec<Permission>,
    pub tags: Vec<(&'static str, String)>,
}

pub(crate) struct PrefixList {
    pub id: Id,
    pub name: &'static str,
    pub v6: bool,
    pub max_entries: u32,
    pub entries: Vec<(Cidr, Option<&'static str>)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    Running,
    Stopped,
    Terminated,
}

impl State {
    pub fn code(self) -> u32 {
        match self {
            State::Running => 16,
            State::Stopped => 80,
            State::Terminated => 48,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            State::Running => "running",
            State::Stopped => "stopped",
            State::Terminated => "terminated",
        }
    }
}

pub(crate) struct Instance {
    pub id: Id,
    pub subnet: u32,
    /// Indices into [`Plan::enis`], primary first.
    pub enis: Vec<u32>,
    /// The instance-level group list (the primary interface's).
    pub groups: Vec<u32>,
    pub state: State,
    pub instance_type: &'static str,
    pub ami: Id,
    pub volume: Id,
    pub launch: u64,
    pub launch_index: u32,
    pub name: String,
    pub team: &'static str,
    pub env: &'static str,
    pub private_ip: u32,
    pub key: Option<&'static str>,
}

pub(crate) struct Reservation {
    pub id: Id,
    pub instances: Vec<u32>,
}

/// Who owns a public address AWS assigned (not an Elastic IP).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Public {
    Amazon(u32),
    AmazonElb(u32),
    /// Index into [`Plan::addresses`].
    Elastic(u32),
}

pub(crate) enum EniKind {
    Instance,
    Nat(Id),
    LoadBalancer(String),
}

pub(crate) struct Attachment {
    pub instance: Option<u32>,
    pub device: u32,
    pub id: Id,
}

pub(crate) struct Eni {
    pub id: Id,
    pub subnet: u32,
    pub groups: Vec<u32>,
    pub private_ip: u32,
    pub public: Option<Public>,
    pub ipv6: Option<u128>,
    pub attachment: Option<Attachment>,
    pub kind: EniKind,
    pub mac: u64,
    pub time: u64,
}

pub(crate) struct Address {
    pub ip: u32,
    pub alloc: Id,
    pub assoc: Option<Id>,
    /// Index into [`Plan::enis`].
    pub eni: Option<u32>,
    pub name: Option<String>,
}

pub(crate) struct Plan {
    pub account: String,
    pub region: &'static str,
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub route_tables: Vec<RouteTable>,
    pub acls: Vec<Acl>,
    pub groups: Vec<Group>,
    pub prefix_lists: Vec<PrefixList>,
    pub reservations: Vec<Reservation>,
    pub instances: Vec<Instance>,
    pub enis: Vec<Eni>,
    pub addresses: Vec<Address>,
}

/// A group while the region is planned: its tier and application, before its rules.
struct Shell {
    tier: Tier,
    /// Index into `Builder::apps`, none for the default and shared groups.
    app: Option<u32>,
}

struct App {
    name: String,
    groups: Vec<u32>,
}

struct VpcGroups {
    default: u32,
    bastion: Option<u32>,
    monitoring: Option<u32>,
    all: Vec<u32>,
    apps: Vec<u32>,
    public_subnets: Vec<u32>,
    private_subnets: Vec<u32>,
}

struct Builder {
    rng: Rng,
    ids: Ids,
    plan: Plan,
    shells: Vec<Shell>,
    apps: Vec<App>,
    per_vpc: Vec<VpcGroups>,
}

/// 2023-01-01T00:00:00Z: launch times fall in the two and a half years after it.
const EPOCH: u64 = 1_672_531_200;

fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

fn weighted<T: Copy>(rng: &mut Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.u32(..total);
    for &(item, w) in items {
        if x < w {
            return item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.f64() < p
}

/// A public address in one of the ranges AWS hands out.
fn public_ip(rng: &mut Rng) -> u32 {
    let first = pick(rng, &[3u8, 13, 18, 34, 35, 44, 52, 54]);
    (u32::from(first) << 24) | rng.u32(0x0001_0000..0x00ff_ff00)
}

impl Plan {
    pub fn build(cell: &Cell) -> Plan {
        let mut b = Builder {
            rng: Rng::with_seed(cell.seed),
            ids: Ids::new(cell.seed),
            plan: Plan {
                account: cell.account.clone(),
                region: cell.region,
                vpcs: Vec::new(),
                subnets: Vec::new(),
                route_tables: Vec::new(),
                acls: Vec::new(),
                groups: Vec::with_capacity(cell.groups),
                prefix_lists: Vec::new(),
                reservations: Vec::new(),
                instances: Vec::with_capacity(cell.instances),
                enis: Vec::with_capacity(cell.instances * 5 / 4),
                addresses: Vec::new(),
            },
            shells: Vec::with_capacity(cell.groups),
            apps: Vec::new(),
            per_vpc: Vec::new(),
        };
        b.prefix_lists();
        let vpcs = (cell.groups.div_ceil(500))
            .max(cell.instances.div_ceil(4000))
            .max(1)
            .min(cell.groups.max(1));
        let share = |total: usize, i: usize| total / vpcs + usize::from(i < total % vpcs);
        for v in 0..vpcs {
            b.vpc(v, share(cell.groups, v));
        }
        for g in 0..b.plan.groups.len() {
            b.rules(g);
        }
        for v in 0..vpcs {
            b.instances(v, share(cell.instances, v));
            b.load_balancers(v);
        }
        b.spare_addresses();
        b.plan
    }
}

impl Builder {
    fn prefix_lists(&mut self) {
        let office: Vec<Cidr> = (0..8)
            .map(|_| Cidr::V4(public_ip(&mut self.rng) & 0xffff_ff00, 24))
            .collect();
        let lists: Vec<(&'static str, bool, Vec<Cidr>)> = vec![
            ("corp-offices", false, office),
            (
                "corp-vpn",
                false,
                vec![
                    Cidr::V4(v4(10, 200, 0, 0), 16),
                    Cidr::V4(v4(192, 168, 100, 0), 24),
                ],
            ),
            (
                "internal-all",
                false,
                vec![
                    Cidr::V4(v4(10, 0, 0, 0), 8),
                    Cidr::V4(v4(172, 16, 0, 0), 12),
                    Cidr::V4(v4(192, 168, 0, 0), 16),
                ],
            ),
            ("partner-acme", false, self.public_blocks(3, 28)),
            ("partner-globex", false, self.public_blocks(2, 27)),
            ("partner-initech", false, self.public_blocks(4, 29)),
            ("monitoring-saas", false, self.public_blocks(5, 24)),
            ("cdn-origin-facing", false, self.public_blocks(10, 22)),
            (
                "office-ipv6",
                true,
                vec![
                    Cidr::V6(0x2a05_d018_0000_0000_0000_0000_0000_0000, 36),
                    Cidr::V6(0x2a05_d018_1000_0000_0000_0000_0000_0000, 36),
                ],
            ),
            // Someone's "temporary" list: together its entries are the whole internet.
            (
                "legacy-any",
                false,
                vec![Cidr::V4(0, 1), Cidr::V4(v4(128, 0, 0, 0), 1)],
            ),
        ];
        for (name, v6, cidrs) in lists {
            let id = self.ids.next(Kind::PrefixList);
            let entries = cidrs
                .into_iter()
                .map(|c| {
                    let d = chance(&mut self.rng, 0.5).then(|| pick(&mut self.rng, DESCRIPTIONS));
                    (c, d)
                })
                .collect::<Vec<_>>();
            self.plan.prefix_lists.push(PrefixList {
                id,
                name,
                v6,
                max_entries: (entries.len() as u32).next_power_of_two().max(5) * 2,
                entries,
            });
        }
    }

    fn public_blocks(&mut self, n: usize, prefix: u8) -> Vec<Cidr> {
        let mask = u32::MAX << (32 - u32::from(prefix));
        (0..n)
            .map(|_| Cidr::V4(public_ip(&mut self.rng) & mask, prefix))
            .collect()
    }

    fn vpc(&mut self, index: usize, groups: usize) {
        let default = index == 0;
        let vpc_index = self.plan.vpcs.len() as u32;
        let cidr = if default {
            v4(172, 31, 0, 0)
        } else {
            v4(10, ((index - 1) % 256) as u8, 0, 0)
        };
        let v6 = (!default && chance(&mut self.rng, 0.4)).then(|| {
            let high = 0x2600_1f18_u128 << 96;
            let random = u128::from(self.rng.u32(..0x00ff_ffff)) << 72;
            (high | random, self.ids.next(Kind::VpcCidrAssoc))
        });
        let igw = (default || chance(&mut self.rng, 0.9)).then(|| self.ids.next(Kind::Igw));
        let name = if default {
            "default-vpc".to_string()
        } else {
            format!("{}-{}-vpc", pick(&mut self.rng, ENVS), index)
        };
        let vpc = Vpc {
            id: self.ids.next(Kind::Vpc),
            cidr,
            cidr_assoc: self.ids.next(Kind::VpcCidrAssoc),
            v6,
            default,
            igw,
            name,
        };

        // Subnets: the default VPC's three default subnets are public; other VPCs have
        // three public (when they have an internet gateway) and three private ones.
        let count = if default { 3 } else { 6 };
        let mut public_subnets = Vec::new();
        let mut private_subnets = Vec::new();
        for s in 0..count {
            let public = default || (igw.is_some() && s < 3);
            let id = self.ids.next(Kind::Subnet);
            let subnet_v6 = vpc.v6.map(|(block, _)| {
                (
                    block | (u128::from(s as u32) << 64),
                    self.ids.next(Kind::SubnetCidrAssoc),
                )
            });
            let index = self.plan.subnets.len() as u32;
            if public {
                public_subnets.push(index);
            } else {
                private_subnets.push(index);
            }
            self.plan.subnets.push(Subnet {
                id,
                vpc: vpc_index,
                az: (s % 3) as u8,
                cidr: cidr | ((s as u32) << 12),
                public,
                v6: subnet_v6,
                name: format!(
                    "{}-{}-{}",
                    vpc.name,
                    if public { "public" } else { "private" },
                    ["a", "b", "c"][s % 3]
                ),
                used: 0,
            });
        }

        self.route_tables(vpc_index, &vpc, &public_subnets, &private_subnets);
        self.acls(vpc_index, &vpc, &private_subnets, &public_subnets);
        self.plan.vpcs.push(vpc);

        // Groups: the default group, two shared ones, then applications of 3-6 tiers.
        let mut all = Vec::with_capacity(groups);
        let default_group = self.add_group(vpc_index, Tier::Default, None);
        all.push(default_group);
        let (bastion, monitoring) = if groups >= 3 {
            let bastion = self.add_group(vpc_index, Tier::Bastion, None);
            let monitoring = self.add_group(vpc_index, Tier::Monitoring, None);
            all.extend([bastion, monitoring]);
            (Some(bastion), Some(monitoring))
        } else {
            (None, None)
        };
        let mut apps = Vec::new();
        let backends = [
            Tier::Worker,
            Tier::Db,
            Tier::Cache,
            Tier::Cassandra,
            Tier::Kafka,
            Tier::Search,
        ];
        while all.len() < groups {
            let app = self.apps.len() as u32;
            self.apps.push(App {
                name: format!("{}-{}", pick(&mut self.rng, APPS), app),
                groups: Vec::new(),
            });
            apps.push(app);
            let size = self.rng.usize(3..=6).min(groups - all.len());
            let mut tiers = Vec::with_capacity(size);
            if chance(&mut self.rng, 0.5) {
                tiers.push(Tier::Lb);
            }
            tiers.push(if chance(&mut self.rng, 0.5) {
                Tier::Web
            } else {
                Tier::Api
            });
            while tiers.len() < size {
                let tier = pick(&mut self.rng, &backends);
                if !tiers.contains(&tier) {
                    tiers.push(tier);
                }
            }
            tiers.truncate(size);
            for tier in tiers {
                all.push(self.add_group(vpc_index, tier, Some(app)));
            }
        }
        self.per_vpc.push(VpcGroups {
            default: default_group,
            bastion,
            monitoring,
            all,
            apps,
            public_subnets,
            private_subnets,
        });
    }

    fn add_group(&mut self, vpc_index: u32, tier: Tier, app: Option<u32>) -> u32 {
        let index = self.plan.groups.len() as u32;
        let id = self.ids.next(Kind::Group);
        let (name, description) = match (tier, app) {
            (Tier::Default, _) => (
                "default".to_string(),
                "default VPC security group".to_string(),
            ),
            (_, Some(a)) => {
                let app = &self.apps[a as usize].name;
                (
                    format!("{app}-{}-sg", tier.name()),
                    format!("{} tier of {app}", tier.name()),
                )
            }
            (_, None) => (
                format!("shared-{}-{}", tier.name(), vpc_index),
                format!("shared {} for every application in the VPC", tier.name()),
            ),
        };
        let tags = if tier == Tier::Default {
            Vec::new()
        } else {
            vec![
                ("Name", name.clone()),
                ("team", pick(&mut self.rng, TEAMS).to_string()),
                ("env", pick(&mut self.rng, ENVS).to_string()),
            ]
        };
        self.plan.groups.push(Group {
            id,
            vpc: vpc_index,
            name,
            description,
            ingress: Vec::new(),
            egress: Vec::new(),
            tags,
        });
        self.shells.push(Shell { tier, app });
        if let Some(a) = app {
            self.apps[a as usize].groups.push(index);
        }
        index
    }

    fn route_tables(&mut self, vpc_index: u32, vpc: &Vpc, public: &[u32], private: &[u32]) {
        let local = |vpc: &Vpc| {
            let mut routes = vec![Route {
                dest: Cidr::V4(vpc.cidr, 16),
                target: Target::Local,
            }];
            if let Some((block, _)) = vpc.v6 {
                routes.push(Route {
                    dest: Cidr::V6(block, 56),
                    target: Target::Local,
                });
            }
            routes
        };
        let to_internet = |routes: &mut Vec<Route>, igw: Id, v6: bool| {
            routes.push(Route {
                dest: WORLD_V4,
                target: Target::Igw(igw),
            });
            if v6 {
                routes.push(Route {
                    dest: WORLD_V6,
                    target: Target::Igw(igw),
                });
            }
        };
        // The main table: the default VPC's routes to the internet; others' only locally.
        let mut main_routes = local(vpc);
        if vpc.default
            && let Some(igw) = vpc.igw
        {
            to_internet(&mut main_routes, igw, false);
        }
        let main = RouteTable {
            id: self.ids.next(Kind::RouteTable),
            vpc: vpc_index,
            main: Some(self.ids.next(Kind::RouteTableAssoc)),
            subnets: Vec::new(),
            routes: main_routes,
            name: None,
        };
        self.plan.route_tables.push(main);
        if vpc.default {
            return;
        }
        if let Some(igw) = vpc.igw {
            let mut routes = local(vpc);
            to_internet(&mut routes, igw, vpc.v6.is_some());
            let subnets = public
                .iter()
                .map(|&s| (s, self.ids.next(Kind::RouteTableAssoc)))
                .collect();
            let table = RouteTable {
                id: self.ids.next(Kind::RouteTable),
                vpc: vpc_index,
                main: None,
                subnets,
                routes,
                name: Some(format!("{}-public", vpc.name)),
            };
            self.plan.route_tables.push(table);
        }
        let mut routes = local(vpc);
        if vpc.igw.is_some() {
            // Private subnets leave through a NAT gateway in the first public subnet.
            let nat = self.ids.next(Kind::Nat);
            routes.push(Route {
                dest: WORLD_V4,
                target: Target::Nat(nat),
            });
            if let Some(&subnet) = public.first() {
                self.nat_interface(nat, subnet);
            }
        }
        let subnets = private
            .iter()
            .map(|&s| (s, self.ids.next(Kind::RouteTableAssoc)))
            .collect();
        let table = RouteTable {
            id: self.ids.next(Kind::RouteTable),
            vpc: vpc_index,
            main: None,
            subnets,
            routes,
            name: Some(format!("{}-private", vpc.name)),
        };
        self.plan.route_tables.push(table);
    }

    fn acls(&mut self, vpc_index: u32, vpc: &Vpc, private: &[u32], public: &[u32]) {
        let custom = !vpc.default && !private.is_empty() && chance(&mut self.rng, 0.3);
        let entry = |number, egress, protocol, allow, cidr, ports| AclEntry {
            number,
            egress,
            protocol,
            allow,
            cidr,
            ports,
        };
        let mut default_entries = Vec::new();
        for egress in [true, false] {
            default_entries.push(entry(100, egress, "-1", true, WORLD_V4, None));
            if vpc.v6.is_some() {
                default_entries.push(entry(101, egress, "-1", true, WORLD_V6, None));
            }
            default_entries.push(entry(32767, egress, "-1", false, WORLD_V4, None));
            if vpc.v6.is_some() {
                default_entries.push(entry(32768, egress, "-1", false, WORLD_V6, None));
            }
        }
        let mut default_subnets: Vec<u32> = public.to_vec();
        if !custom {
            default_subnets.extend_from_slice(private);
        }
        default_subnets.sort_unstable();
        let subnets = default_subnets
            .into_iter()
            .map(|s| (s, self.ids.next(Kind::AclAssoc)))
            .collect();
        let acl = Acl {
            id: self.ids.next(Kind::Acl),
            vpc: vpc_index,
            default: true,
            entries: default_entries,
            subnets,
            name: None,
        };
        self.plan.acls.push(acl);
        if !custom {
            return;
        }
        let internal = Cidr::V4(v4(10, 0, 0, 0), 8);
        let mut entries = vec![
            entry(50, false, "6", false, WORLD_V4, Some((22, 22))),
            entry(60, false, "6", false, WORLD_V4, Some((3389, 3389))),
        ];
        if chance(&mut self.rng, 0.3) {
            entries.push(entry(70, false, "6", false, WORLD_V4, Some((7000, 7199))));
        }
        entries.extend([
            entry(100, false, "-1", true, internal, None),
            entry(110, false, "6", true, WORLD_V4, Some((443, 443))),
            entry(120, false, "6", true, WORLD_V4, Some((1024, 65535))),
            entry(130, false, "17", true, WORLD_V4, Some((1024, 65535))),
            entry(32767, false, "-1", false, WORLD_V4, None),
            entry(100, true, "-1", true, WORLD_V4, None),
            entry(32767, true, "-1", false, WORLD_V4, None),
        ]);
        let subnets = private
            .iter()
            .map(|&s| (s, self.ids.next(Kind::AclAssoc)))
            .collect();
        let acl = Acl {
            id: self.ids.next(Kind::Acl),
            vpc: vpc_index,
            default: false,
            entries,
            subnets,
            name: Some(format!("{}-private-acl", vpc.name)),
        };
        self.plan.acls.push(acl);
    }

    fn next_ip(&mut self, subnet: u32) -> u32 {
        let s = &mut self.plan.subnets[subnet as usize];
        // A /20 has 4096 addresses; AWS keeps the first four and the last.
        let ip = s.cidr + 4 + s.used % 4091;
        s.used += 1;
        ip
    }

    fn elastic_ip(&mut self, eni: Option<u32>, name: Option<String>) -> u32 {
        let index = self.plan.addresses.len() as u32;
        let address = Address {
            ip: public_ip(&mut self.rng),
            alloc: self.ids.next(Kind::Alloc),
            assoc: eni.map(|_| self.ids.next(Kind::EipAssoc)),
            eni,
            name,
        };
        self.plan.addresses.push(address);
        index
    }

    fn nat_interface(&mut self, nat: Id, subnet: u32) {
        let eni = self.plan.enis.len() as u32;
        let address = self.elastic_ip(Some(eni), Some(format!("{nat}-eip")));
        let interface = Eni {
            id: self.ids.next(Kind::Eni),
            subnet,
            groups: Vec::new(),
            private_ip: self.next_ip(subnet),
            public: Some(Public::Elastic(address)),
            ipv6: None,
            attachment: Some(Attachment {
                instance: None,
                device: 1,
                id: self.ids.next(Kind::EniAttach),
            }),
            kind: EniKind::Nat(nat),
            mac: self.rng.u64(..1 << 40),
            time: EPOCH + self.rng.u64(..30_000_000),
        };
        self.plan.enis.push(interface);
    }

    /// A group's rules: about nine ingress sources (mostly private addresses and other
    /// groups, a few of them public) over its tier's ports and some generic ones, and
    /// AWS's default egress.
    fn rules(&mut self, g: usize) {
        let tier = self.shells[g].tier;
        let vpc = self.plan.groups[g].vpc as usize;
        let mut ingress: Vec<Permission> = Vec::new();
        if tier == Tier::Default {
            self.grant(
                &mut ingress,
                (Proto::All, -1, -1),
                Source::Group(g as u32),
                None,
            );
        } else {
            let sources = self.rng.usize(2..=16);
            for _ in 0..sources {
                let from_tier = chance(&mut self.rng, 0.75);
                let (proto, from, to) = if from_tier {
                    let (p, f, t, _) = weighted_ports(&mut self.rng, tier.ports());
                    (p, f, t)
                } else {
                    let (p, f, t, _) = weighted_ports(&mut self.rng, GENERIC_PORTS);
                    (p, f, t)
                };
                let web = from_tier
                    && tier.public_facing()
                    && proto == Proto::Tcp
                    && matches!(from, 80 | 443 | 8443);
                let source = self.source(g, vpc, web, proto);
                let description =
                    chance(&mut self.rng, 0.35).then(|| pick(&mut self.rng, DESCRIPTIONS));
                match source {
                    // Split halves: one rule each, in the same permission.
                    Picked::Halves => {
                        for half in [Cidr::V4(0, 1), Cidr::V4(v4(128, 0, 0, 0), 1)] {
                            self.grant(
                                &mut ingress,
                                (proto, from, to),
                                Source::Cidr(half),
                                description,
                            );
                        }
                    }
                    Picked::One(source) => {
                        self.grant(&mut ingress, (proto, from, to), source, description);
                    }
                }
            }
        }
        let v6 = self.plan.vpcs[vpc].v6.is_some();
        let mut egress = Vec::new();
        let roll = self.rng.f64();
        if roll < 0.05 {
            self.grant(
                &mut egress,
                (Proto::Tcp, 443, 443),
                Source::Cidr(WORLD_V4),
                None,
            );
            self.grant(
                &mut egress,
                (Proto::Tcp, 80, 80),
                Source::Cidr(WORLD_V4),
                None,
            );
            self.grant(
                &mut egress,
                (Proto::Udp, 53, 53),
                Source::Cidr(Cidr::V4(v4(10, 0, 0, 0), 8)),
                Some("DNS"),
            );
        } else {
            self.grant(
                &mut egress,
                (Proto::All, -1, -1),
                Source::Cidr(WORLD_V4),
                None,
            );
            if v6 || roll > 0.75 {
                self.grant(
                    &mut egress,
                    (Proto::All, -1, -1),
                    Source::Cidr(WORLD_V6),
                    None,
                );
            }
        }
        let group = &mut self.plan.groups[g];
        group.ingress = ingress;
        group.egress = egress;
    }

    /// Adds a source to the permission for these ports (AWS keeps one permission per
    /// protocol and port range), unless that exact rule exists already.
    fn grant(
        &mut self,
        permissions: &mut Vec<Permission>,
        (proto, from, to): (Proto, i32, i32),
        source: Source,
        description: Option<&'static str>,
    ) {
        let index = match permissions
            .iter()
            .position(|p| p.proto == proto && p.from == from && p.to == to)
        {
            Some(i) => i,
            None => {
                permissions.push(Permission {
                    proto,
                    from,
                    to,
                    grants: Vec::new(),
                });
                permissions.len() - 1
            }
        };
        let permission = &mut permissions[index];
        if permission.grants.iter().any(|g| g.source == source) {
            return;
        }
        // An IPv4 rule on ICMPv6 (or the reverse) is not something AWS accepts.
        let family_ok = !matches!(
            (proto, source),
            (Proto::Icmpv6, Source::Cidr(Cidr::V4(..))) | (Proto::Icmp, Source::Cidr(Cidr::V6(..)))
        );
        if !family_ok {
            if permission.grants.is_empty() {
                permissions.remove(index);
            }
            return;
        }
        permission.grants.push(Grant {
            source,
            description,
            rule: self.ids.next(Kind::Rule),
        });
    }

    fn source(&mut self, g: usize, vpc: usize, web: bool, proto: Proto) -> Picked {
        let r = self.rng.f64();
        if web {
            // A load balancer's or web tier's HTTPS: often open to everyone.
            return if r < 0.45 {
                Picked::One(Source::Cidr(WORLD_V4))
            } else if r < 0.55 {
                Picked::One(Source::Cidr(WORLD_V6))
            } else if r < 0.65 {
                Picked::One(Source::List(self.list_by_name("cdn-origin-facing")))
            } else {
                self.private_source(g, vpc)
            };
        }
        if proto == Proto::Icmpv6 {
            return Picked::One(Source::Cidr(if r < 0.1 {
                WORLD_V6
            } else {
                Cidr::V6(0xfd00_u128 << 112, 8)
            }));
        }
        // Everything else: mostly private; a little of everything risky.
        if r < 0.004 {
            Picked::One(Source::Cidr(WORLD_V4))
        } else if r < 0.0055 {
            Picked::One(Source::Cidr(WORLD_V6))
        } else if r < 0.006 {
            Picked::Halves
        } else if r < 0.007 {
            // A "narrowed" rule that still admits sixteen million addresses.
            let first = pick(&mut self.rng, &[11u8, 52, 54, 100, 185]);
            Picked::One(Source::Cidr(Cidr::V4(u32::from(first) << 24, 8)))
        } else if r < 0.07 {
            // An office, a partner, a home address: a public /32 to /24.
            let prefix = pick(&mut self.rng, &[32u8, 32, 32, 29, 28, 24]);
            let mask = u32::MAX << (32 - u32::from(prefix));
            Picked::One(Source::Cidr(Cidr::V4(
                public_ip(&mut self.rng) & mask,
                prefix,
            )))
        } else if r < 0.085 {
            let prefix = pick(&mut self.rng, &[48u8, 56, 64]);
            let block = (0x2a05_d018_u128 << 96) | (u128::from(self.rng.u64(..)) << 32);
            let mask = u128::MAX << (128 - u32::from(prefix));
            Picked::One(Source::Cidr(Cidr::V6(block & mask, prefix)))
        } else if r < 0.135 {
            let lists = self.plan.prefix_lists.len() as u32;
            // The whole-internet list is rare; the others share the rest.
            let list = if chance(&mut self.rng, 0.01) {
                self.list_by_name("legacy-any")
            } else {
                self.rng.u32(..lists - 1)
            };
            Picked::One(Source::List(list))
        } else {
            self.private_source(g, vpc)
        }
    }

    fn private_source(&mut self, g: usize, vpc: usize) -> Picked {
        let r = self.rng.f64();
        if r < 0.35 {
            return Picked::One(Source::Group(self.reference(g, vpc)));
        }
        let cidr = self.plan.vpcs[vpc].cidr;
        Picked::One(Source::Cidr(if r < 0.55 {
            Cidr::V4(cidr, 16)
        } else if r < 0.7 {
            Cidr::V4(cidr | (self.rng.u32(0..16) << 12), 20)
        } else if r < 0.8 {
            Cidr::V4(cidr | (self.rng.u32(0..256) << 8), 24)
        } else if r < 0.88 {
            Cidr::V4(v4(10, 0, 0, 0), 8)
        } else if r < 0.94 {
            Cidr::V4(v4(172, 16, 0, 0), 12)
        } else {
            Cidr::V4(v4(192, 168, self.rng.u8(..), 0), 24)
        }))
    }

    /// Another group of the same VPC: of the same application mostly, else a shared one.
    fn reference(&mut self, g: usize, vpc: usize) -> u32 {
        let r = self.rng.f64();
        let groups = &self.per_vpc[vpc];
        if r < 0.6
            && let Some(app) = self.shells[g].app
        {
            let members = &self.apps[app as usize].groups;
            return members[self.rng.usize(..members.len())];
        }
        if r < 0.85 {
            if let Some(bastion) = groups.bastion
                && chance(&mut self.rng, 0.5)
            {
                return bastion;
            }
            if let Some(monitoring) = groups.monitoring {
                return monitoring;
            }
        }
        groups.all[self.rng.usize(..groups.all.len())]
    }

    fn list_by_name(&self, name: &str) -> u32 {
        self.plan
            .prefix_lists
            .iter()
            .position(|l| l.name == name)
            .unwrap_or(0) as u32
    }

    /// Instances of one VPC: each runs one tier of one application, mostly with that
    /// tier's usual groups (instances of an auto-scaling group share them), sometimes with
    /// a hand-picked set of one to five.
    fn instances(&mut self, vpc: usize, count: usize) {
        let mut reservation: Option<u32> = None;
        for n in 0..count {
            let groups = &self.per_vpc[vpc];
            let (app, primary) = if groups.apps.is_empty() {
                (None, groups.all[self.rng.usize(..groups.all.len())])
            } else {
                let app = groups.apps[self.rng.usize(..groups.apps.len())];
                let members = &self.apps[app as usize].groups;
                (Some(app), members[self.rng.usize(..members.len())])
            };
            let tier = self.shells[primary as usize].tier;
            let combo = self.combo(vpc, primary);
            let state = weighted(
                &mut self.rng,
                &[
                    (State::Running, 90),
                    (State::Stopped, 8),
                    (State::Terminated, 2),
                ],
            );
            let groups = &self.per_vpc[vpc];
            let wants_public = if tier.public_facing() { 0.7 } else { 0.15 };
            let subnets = if !groups.public_subnets.is_empty()
                && (groups.private_subnets.is_empty() || chance(&mut self.rng, wants_public))
            {
                &groups.public_subnets
            } else {
                &groups.private_subnets
            };
            let subnet = subnets[self.rng.usize(..subnets.len())];
            let index = self.plan.instances.len() as u32;
            let launch = EPOCH + self.rng.u64(..78_000_000);
            let name = match app {
                Some(app) => format!("{}-{}-{n:05}", self.apps[app as usize].name, tier.name()),
                None => format!("host-{n:05}"),
            };

            // Interfaces; a terminated instance has none left.
            let eni_count = if state == State::Terminated {
                0
            } else {
                weighted(&mut self.rng, &[(1usize, 75), (2, 20), (3, 5)])
            };
            let mut enis = Vec::with_capacity(eni_count);
            let public_subnet = self.plan.subnets[subnet as usize].public;
            for device in 0..eni_count {
                let eni = self.plan.enis.len() as u32;
                let eni_groups = if device == 0 || chance(&mut self.rng, 0.5) {
                    combo.clone()
                } else {
                    let all = &self.per_vpc[vpc].all;
                    let mut other = vec![all[self.rng.usize(..all.len())]];
                    let second = all[self.rng.usize(..all.len())];
                    if chance(&mut self.rng, 0.5) && !other.contains(&second) {
                        other.push(second);
                    }
                    other
                };
                let public = if !public_subnet {
                    None
                } else if chance(&mut self.rng, if device == 0 { 0.15 } else { 0.1 }) {
                    let name = format!("{name}-eth{device}");
                    Some(Public::Elastic(self.elastic_ip(Some(eni), Some(name))))
                } else if device == 0 && state == State::Running && chance(&mut self.rng, 0.85) {
                    Some(Public::Amazon(public_ip(&mut self.rng)))
                } else {
                    None
                };
                let ipv6 = self.plan.subnets[subnet as usize]
                    .v6
                    .filter(|_| chance(&mut self.rng, 0.3))
                    .map(|(block, _)| block | u128::from(self.rng.u64(1..)));
                let interface = Eni {
                    id: self.ids.next(Kind::Eni),
                    subnet,
                    groups: eni_groups,
                    private_ip: self.next_ip(subnet),
                    public,
                    ipv6,
                    attachment: Some(Attachment {
                        instance: Some(index),
                        device: device as u32,
                        id: self.ids.next(Kind::EniAttach),
                    }),
                    kind: EniKind::Instance,
                    mac: self.rng.u64(..1 << 40),
                    time: launch,
                };
                self.plan.enis.push(interface);
                enis.push(eni);
            }
            let private_ip = match enis.first() {
                Some(&e) => self.plan.enis[e as usize].private_ip,
                None => self.next_ip(subnet),
            };

            // Most launches are one instance; some launch a few together.
            let joins = reservation
                .is_some_and(|r| self.plan.reservations[r as usize].instances.len() < 4)
                && chance(&mut self.rng, 0.2);
            let r = match reservation {
                Some(r) if joins => r,
                _ => {
                    let r = self.plan.reservations.len() as u32;
                    self.plan.reservations.push(Reservation {
                        id: self.ids.next(Kind::Reservation),
                        instances: Vec::new(),
                    });
                    reservation = Some(r);
                    r
                }
            };
            let launch_index = self.plan.reservations[r as usize].instances.len() as u32;
            self.plan.reservations[r as usize].instances.push(index);
            let instance = Instance {
                id: self.ids.next(Kind::Instance),
                subnet,
                enis,
                groups: if state == State::Terminated {
                    Vec::new()
                } else {
                    combo
                },
                state,
                instance_type: pick(
                    &mut self.rng,
                    &[
                        "t3.micro",
                        "t3.medium",
                        "m5.large",
                        "m5.xlarge",
                        "c5.2xlarge",
                        "r5.large",
                        "r6i.2xlarge",
                        "i3.2xlarge",
                        "m6g.large",
                    ],
                ),
                ami: Id {
                    kind: Kind::Ami,
                    bits: crate::ids::mix(self.rng.u64(..8)),
                },
                volume: self.ids.next(Kind::Volume),
                launch,
                launch_index,
                name,
                team: pick(&mut self.rng, TEAMS),
                env: pick(&mut self.rng, ENVS),
                private_ip,
                key: chance(&mut self.rng, 0.5).then_some("ops-key"),
            };
            self.plan.instances.push(instance);
        }
    }

    /// The groups an instance of `primary`'s tier gets: usually the tier's standard set,
    /// sometimes one to five picked by hand.
    fn combo(&mut self, vpc: usize, primary: u32) -> Vec<u32> {
        let groups = &self.per_vpc[vpc];
        let mut combo = vec![primary];
        if chance(&mut self.rng, 0.55) {
            combo.extend(groups.bastion);
            if primary & 1 == 0 {
                combo.extend(groups.monitoring);
            }
        } else {
            let n = weighted(
                &mut self.rng,
                &[(1usize, 30), (2, 35), (3, 20), (4, 10), (5, 5)],
            );
            let mut tries = 0;
            while combo.len() < n && tries < 20 {
                let g = groups.all[self.rng.usize(..groups.all.len())];
                if !combo.contains(&g) {
                    combo.push(g);
                }
                tries += 1;
            }
        }
        combo.dedup();
        if combo.is_empty() {
            combo.push(groups.default);
        }
        combo
    }

    /// Internet-facing load balancers' interfaces: no instance, public addresses that
    /// AWS owns, the load balancer's group.
    fn load_balancers(&mut self, vpc: usize) {
        let groups = &self.per_vpc[vpc];
        if groups.public_subnets.len() < 2 {
            return;
        }
        let lbs: Vec<(u32, String)> = groups
            .apps
            .iter()
            .filter_map(|&a| {
                let app = &self.apps[a as usize];
                app.groups
                    .iter()
                    .find(|&&g| self.shells[g as usize].tier == Tier::Lb)
                    .map(|&g| (g, app.name.clone()))
            })
            .collect();
        let subnets = groups.public_subnets.clone();
        for (group, app) in lbs {
            let suffix = self.rng.u64(..);
            for &subnet in subnets.iter().take(2) {
                let interface = Eni {
                    id: self.ids.next(Kind::Eni),
                    subnet,
                    groups: vec![group],
                    private_ip: self.next_ip(subnet),
                    public: Some(Public::AmazonElb(public_ip(&mut self.rng))),
                    ipv6: None,
                    attachment: Some(Attachment {
                        instance: None,
                        device: 1,
                        id: self.ids.next(Kind::EniAttach),
                    }),
                    kind: EniKind::LoadBalancer(format!("ELB app/{app}-alb/{suffix:016x}")),
                    mac: self.rng.u64(..1 << 40),
                    time: EPOCH + self.rng.u64(..78_000_000),
                };
                self.plan.enis.push(interface);
            }
        }
    }

    /// Elastic IPs allocated and never associated, or left behind.
    fn spare_addresses(&mut self) {
        let spare = self.plan.addresses.len() / 50 + 1;
        for n in 0..spare {
            self.elastic_ip(None, Some(format!("spare-{n}")));
        }
    }
}

enum Picked {
    One(Source),
    /// `0.0.0.0/1` and `128.0.0.0/1`: the whole internet in two rules.
    Halves,
}

fn weighted_ports(
    rng: &mut Rng,
    ports: &'static [(Proto, i32, i32, u32)],
) -> (Proto, i32, i32, u32) {
    let total: u32 = ports.iter().map(|p| p.3).sum();
    let mut x = rng.u32(..total);
    for &p in ports {
        if x < p.3 {
            return p;
        }
        x -= p.3;
    }
    ports[ports.len() - 1]
}
