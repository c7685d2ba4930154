//! One struct per AWS resource kind, holding what exposure and reachability need.

use crate::{Origin, Source, Traffic};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Tags in the order AWS listed them.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Tags(pub Vec<(String, String)>);

impl Tags {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The `Name` tag, which consoles and reports show as the resource's name.
    pub fn name(&self) -> Option<&str> {
        self.get("Name")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Vpc {
    pub id: String,
    pub owner_id: Option<String>,
    pub cidrs_v4: Vec<Ipv4Net>,
    pub cidrs_v6: Vec<Ipv6Net>,
    pub is_default: bool,
    pub tags: Tags,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub owner_id: Option<String>,
    pub availability_zone: Option<String>,
    pub cidr_v4: Option<Ipv4Net>,
    pub cidrs_v6: Vec<Ipv6Net>,
    pub map_public_ip_on_launch: bool,
    pub tags: Tags,
    pub origin: Origin,
}

/// One permission for one source: `describe-security-group-rules` granularity, so a
/// rule id (`sgr-`) names exactly one of these.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub id: Option<String>,
    pub traffic: Traffic,
    pub source: Source,
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub description: String,
    pub vpc_id: Option<String>,
    pub owner_id: Option<String>,
    pub ingress: Vec<Rule>,
    pub egress: Vec<Rule>,
    pub tags: Tags,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PrefixListEntry {
    pub cidr: IpNet,
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PrefixList {
    pub id: String,
    pub name: Option<String>,
    pub owner_id: Option<String>,
    pub address_family: Option<String>,
    /// `None` when the entries were not read: rules naming this list cannot be judged.
    pub entries: Option<Vec<PrefixListEntry>>,
    pub tags: Tags,
    pub origin: Origin,
}

/// A public IPv4 address bound to a private one: auto-assigned (`IpOwnerId` `amazon`)
/// or an Elastic IP (`AllocationId`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Association {
    pub public_ip: Ipv4Addr,
    pub allocation_id: Option<String>,
    pub association_id: Option<String>,
    pub ip_owner_id: Option<String>,
}

impl Association {
    /// `ip_owner_id` of an address infrastructure as code asks for (a public IP at launch,
    /// an Elastic IP) that AWS only picks at deploy: public, but no number yet.
    pub const ASSIGNED_AT_DEPLOY: &'static str = "assigned-at-deploy";

    /// A public IPv4 that will exist once deployed; `public_ip` is a placeholder never shown.
    pub fn at_deploy() -> Self {
        Association {
            public_ip: Ipv4Addr::UNSPECIFIED,
            allocation_id: None,
            association_id: None,
            ip_owner_id: Some(Self::ASSIGNED_AT_DEPLOY.to_string()),
        }
    }

    pub fn is_at_deploy(&self) -> bool {
        self.ip_owner_id.as_deref() == Some(Self::ASSIGNED_AT_DEPLOY)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivateIp {
    pub address: Option<Ipv4Addr>,
    pub primary: bool,
    pub association: Option<Association>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub instance_id: Option<String>,
    pub device_index: Option<u32>,
    pub status: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NetworkInterface {
    pub id: String,
    pub subnet_id: Option<String>,
    pub vpc_id: Option<String>,
    pub owner_id: Option<String>,
    pub availability_zone: Option<String>,
    pub interface_type: Option<String>,
    pub status: Option<String>,
    pub description: Option<String>,
    /// The groups AWS applies to this interface: the truth for exposure, whatever
    /// the instance's top-level list says.
    pub groups: Vec<String>,
    pub private_ips: Vec<PrivateIp>,
    pub ipv6_addresses: Vec<Ipv6Addr>,
    pub attachment: Option<Attachment>,
    pub tags: Tags,
    pub origin: Origin,
}

impl NetworkInterface {
    pub fn public_ipv4s(&self) -> impl Iterator<Item = Ipv4Addr> + '_ {
        self.private_ips.iter().filter_map(|ip| {
            ip.association
                .as_ref()
                .filter(|a| !a.is_at_deploy())
                .map(|a| a.public_ip)
        })
    }

    /// Infrastructure as code gives this interface a public IPv4 that AWS picks at deploy.
    pub fn public_ipv4_at_deploy(&self) -> bool {
        self.private_ips.iter().any(|ip| {
            ip.association
                .as_ref()
                .is_some_and(Association::is_at_deploy)
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstanceState {
    Pending,
    Running,
    ShuttingDown,
    Terminated,
    Stopping,
    Stopped,
    Other(String),
}

impl InstanceState {
    pub fn from_aws(name: &str) -> Self {
        match name {
            "pending" => InstanceState::Pending,
            "running" => InstanceState::Running,
            "shutting-down" => InstanceState::ShuttingDown,
            "terminated" => InstanceState::Terminated,
            "stopping" => InstanceState::Stopping,
            "stopped" => InstanceState::Stopped,
            other => InstanceState::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            InstanceState::Pending => "pending",
            InstanceState::Running => "running",
            InstanceState::ShuttingDown => "shutting-down",
            InstanceState::Terminated => "terminated",
            InstanceState::Stopping => "stopping",
            InstanceState::Stopped => "stopped",
            InstanceState::Other(other) => other,
        }
    }

    /// Terminated (or terminating) instances will never receive traffic again.
    pub fn is_gone(&self) -> bool {
        matches!(
            self,
            InstanceState::Terminated | InstanceState::ShuttingDown
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    pub id: String,
    pub owner_id: Option<String>,
    pub state: InstanceState,
    pub instance_type: Option<String>,
    pub vpc_id: Option<String>,
    pub subnet_id: Option<String>,
    pub private_ip: Option<Ipv4Addr>,
    pub public_ip: Option<Ipv4Addr>,
    /// The instance-level group list; used only when no interface of the instance is known.
    pub security_groups: Vec<String>,
    /// Ids of the attached interfaces, primary first.
    pub network_interfaces: Vec<String>,
    pub tags: Tags,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteDestination {
    V4(Ipv4Net),
    V6(Ipv6Net),
    PrefixList(String),
}

/// Where a route sends traffic; only an internet gateway admits traffic from the internet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteTarget {
    Local,
    InternetGateway(String),
    EgressOnlyInternetGateway(String),
    NatGateway(String),
    TransitGateway(String),
    VpcPeering(String),
    NetworkInterface(String),
    Instance(String),
    VirtualPrivateGateway(String),
    Other(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub destination: RouteDestination,
    pub target: RouteTarget,
    /// `false` for blackhole routes, which carry nothing.
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteTableAssociation {
    pub subnet_id: Option<String>,
    pub gateway_id: Option<String>,
    pub main: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RouteTable {
    pub id: String,
    pub vpc_id: String,
    pub owner_id: Option<String>,
    pub associations: Vec<RouteTableAssociation>,
    pub routes: Vec<Route>,
    pub tags: Tags,
    pub origin: Origin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AclAction {
    Allow,
    Deny,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AclEntry {
    pub rule_number: u32,
    pub egress: bool,
    pub action: AclAction,
    pub traffic: Traffic,
    pub cidr: IpNet,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NetworkAcl {
    pub id: String,
    pub vpc_id: String,
    pub owner_id: Option<String>,
    pub is_default: bool,
    pub entries: Vec<AclEntry>,
    /// Subnets explicitly associated with this ACL.
    pub subnet_ids: Vec<String>,
    pub tags: Tags,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq)]
pub struct InternetGateway {
    pub id: String,
    pub owner_id: Option<String>,
    /// VPCs this gateway is attached to.
    pub vpc_ids: Vec<String>,
    pub tags: Tags,
    pub origin: Origin,
}

/// An Elastic IP.
#[derive(Clone, Debug, PartialEq)]
pub struct Address {
    pub public_ip: Ipv4Addr,
    pub allocation_id: Option<String>,
    pub association_id: Option<String>,
    pub instance_id: Option<String>,
    pub network_interface_id: Option<String>,
    pub private_ip: Option<Ipv4Addr>,
    pub tags: Tags,
    pub origin: Origin,
}
