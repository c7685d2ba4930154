//! The AWS network estate that every source produces and every check reads.
//!
//! The model knows AWS networking and nothing about where it came from: a snapshot
//! folder, the live API or infrastructure as code all build the same [`Estate`]. Each
//! resource keeps its [`Origin`] so that a report can point back at it.

mod audit;
mod estate;
mod origin;
mod resources;
mod source;
mod traffic;

pub use audit::{ConfigRecorder, FlowLog, Trail};
pub use estate::{Estate, EstateIndex, FastMap, Incomplete, ResourceKind};
pub use origin::{FileId, Origin, Position, Scope, ScopeId};
pub use resources::{
    AclAction, AclEntry, Address, Association, Attachment, Instance, InstanceState,
    InternetGateway, NetworkAcl, NetworkInterface, PrefixList, PrefixListEntry, PrivateIp, Route,
    RouteDestination, RouteTable, RouteTableAssociation, RouteTarget, Rule, SecurityGroup, Subnet,
    Tags, Vpc,
};
pub use source::{GroupRef, Source};
pub use traffic::{IcmpSpec, PortRange, Traffic, TrafficError};

pub use ipnet::{IpNet, Ipv4Net, Ipv6Net};
