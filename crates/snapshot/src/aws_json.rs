//! The JSON the AWS CLI prints, reduced to the fields ringfence reads. Strings borrow
//! from the file where they can; every other field is skipped unparsed.

use crate::cidr::{AnyCidr, Ip6, MaybeIp4, V4Cidr, V6Cidr};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

/// A string borrowed from the input unless it had escapes to undo.
///
/// `Cow<str>` itself only borrows as a direct field with `#[serde(borrow)]`, not inside an
/// `Option`, hence this wrapper.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Str<'a>(pub Cow<'a, str>);

impl Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Str<'_> {
    pub fn own(self) -> String {
        self.0.into_owned()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(Visitor)
    }
}

/// AWS prints `null` for some empty lists (moto prints `"Tags": null`).
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}

type S<'a> = Option<Str<'a>>;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a tag object")]
pub(crate) struct Tag<'a> {
    #[serde(borrow)]
    pub key: Str<'a>,
    #[serde(default, borrow)]
    pub value: S<'a>,
}

// ---- describe-security-groups ----------------------------------------------------------

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws ec2 describe-security-groups`"
)]
pub(crate) struct SecurityGroupsFile<'a> {
    #[serde(borrow)]
    pub security_groups: Vec<SecurityGroup<'a>>,
    #[serde(default, borrow)]
    pub next_token: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a security group object")]
pub(crate) struct SecurityGroup<'a> {
    #[serde(borrow)]
    pub group_id: Str<'a>,
    #[serde(default, borrow)]
    pub group_name: S<'a>,
    #[serde(default, borrow)]
    pub description: S<'a>,
    #[serde(default, borrow)]
    pub vpc_id: S<'a>,
    #[serde(default, borrow)]
    pub owner_id: S<'a>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub ip_permissions: Vec<Permission<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub ip_permissions_egress: Vec<Permission<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub tags: Vec<Tag<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "an IpPermission object")]
pub(crate) struct Permission<'a> {
    #[serde(borrow)]
    pub ip_protocol: Str<'a>,
    #[serde(default)]
    pub from_port: Option<i64>,
    #[serde(default)]
    pub to_port: Option<i64>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub ip_ranges: Vec<IpRange<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub ipv6_ranges: Vec<Ipv6Range<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub prefix_list_ids: Vec<PrefixListId<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub user_id_group_pairs: Vec<GroupPair<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "an IpRange object")]
pub(crate) struct IpRange<'a> {
    pub cidr_ip: V4Cidr,
    #[serde(default, borrow)]
    pub description: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "an Ipv6Range object")]
pub(crate) struct Ipv6Range<'a> {
    pub cidr_ipv6: V6Cidr,
    #[serde(default, borrow)]
    pub description: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a PrefixListId object")]
pub(crate) struct PrefixListId<'a> {
    #[serde(borrow)]
    pub prefix_list_id: Str<'a>,
    #[serde(default, borrow)]
    pub description: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a UserIdGroupPair object")]
pub(crate) struct GroupPair<'a> {
    #[serde(default, borrow)]
    pub group_id: S<'a>,
    #[serde(default, borrow)]
    pub group_name: S<'a>,
    #[serde(default, borrow)]
    pub user_id: S<'a>,
    #[serde(default, borrow)]
    pub vpc_id: S<'a>,
    #[serde(default, borrow)]
    pub peering_status: S<'a>,
    #[serde(default, borrow)]
    pub description: S<'a>,
}

// ---- describe-security-group-rules -----------------------------------------------------

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws ec2 describe-security-group-rules`"
)]
pub(crate) struct SecurityGroupRulesFile<'a> {
    #[serde(borrow)]
    pub security_group_rules: Vec<SecurityGroupRule<'a>>,
    #[serde(default, borrow)]
    pub next_token: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a security group rule object")]
pub(crate) struct SecurityGroupRule<'a> {
    #[serde(borrow)]
    pub security_group_rule_id: Str<'a>,
    #[serde(borrow)]
    pub group_id: Str<'a>,
    pub is_egress: bool,
    #[serde(borrow)]
    pub ip_protocol: Str<'a>,
    #[serde(default)]
    pub from_port: Option<i64>,
    #[serde(default)]
    pub to_port: Option<i64>,
    #[serde(default)]
    pub cidr_ipv4: Option<V4Cidr>,
    #[serde(default)]
    pub cidr_ipv6: Option<V6Cidr>,
    #[serde(default, borrow)]
    pub prefix_list_id: S<'a>,
    #[serde(default, borrow)]
    pub referenced_group_info: Option<ReferencedGroup<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a ReferencedGroupInfo object")]
pub(crate) struct ReferencedGroup<'a> {
    #[serde(default, borrow)]
    pub group_id: S<'a>,
}

// ---- describe-instances and describe-network-interfaces --------------------------------

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws ec2 describe-instances`"
)]
pub(crate) struct InstancesFile<'a> {
    #[serde(borrow)]
    pub reservations: Vec<Reservation<'a>>,
    #[serde(default, borrow)]
    pub next_token: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a reservation object")]
pub(crate) struct Reservation<'a> {
    #[serde(default, borrow)]
    pub owner_id: S<'a>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub instances: Vec<Instance<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "an instance object")]
pub(crate) struct Instance<'a> {
    #[serde(borrow)]
    pub instance_id: Str<'a>,
    #[serde(default, borrow)]
    pub state: Option<InstanceState<'a>>,
    #[serde(default, borrow)]
    pub instance_type: S<'a>,
    #[serde(default, borrow)]
    pub vpc_id: S<'a>,
    #[serde(default, borrow)]
    pub subnet_id: S<'a>,
    #[serde(default)]
    pub private_ip_address: MaybeIp4,
    #[serde(default)]
    pub public_ip_address: MaybeIp4,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub security_groups: Vec<GroupIdentifier<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub tags: Vec<Tag<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub network_interfaces: Vec<NetworkInterface<'a>>,
    #[serde(default, borrow)]
    pub placement: Option<Placement<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "an instance State object")]
pub(crate) struct InstanceState<'a> {
    #[serde(default, borrow)]
    pub name: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a Placement object")]
pub(crate) struct Placement<'a> {
    #[serde(default, borrow)]
    pub availability_zone: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a group object")]
pub(crate) struct GroupIdentifier<'a> {
    #[serde(default, borrow)]
    pub group_id: S<'a>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws ec2 describe-network-interfaces`"
)]
pub(crate) struct NetworkInterfacesFile<'a> {
    #[serde(borrow)]
    pub network_interfaces: Vec<NetworkInterface<'a>>,
    #[serde(default, borrow)]
    pub next_token: S<'a>,
}

/// Both the standalone interface and the one embedded in an instance; the latter has
/// no `AvailabilityZone` or `TagSet` and no `Attachment.InstanceId`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a network interface object")]
pub(crate) struct NetworkInterface<'a> {
    #[serde(borrow)]
    pub network_interface_id: Str<'a>,
    #[serde(default, borrow)]
    pub subnet_id: S<'a>,
    #[serde(default, borrow)]
    pub vpc_id: S<'a>,
    #[serde(default, borrow)]
    pub owner_id: S<'a>,
    #[serde(default, borrow)]
    pub availability_zone: S<'a>,
    #[serde(default, borrow)]
    pub interface_type: S<'a>,
    #[serde(default, borrow)]
    pub status: S<'a>,
    #[serde(default, borrow)]
    pub description: S<'a>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub groups: Vec<GroupIdentifier<'a>>,
    #[serde(default)]
    pub private_ip_address: MaybeIp4,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub private_ip_addresses: Vec<PrivateIp<'a>>,
    #[serde(default, deserialize_with = "nullable")]
    pub ipv6_addresses: Vec<Ipv6Address>,
    #[serde(default, borrow)]
    pub attachment: Option<Attachment<'a>>,
    #[serde(default, borrow)]
    pub association: Option<Association<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub tag_set: Vec<Tag<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a PrivateIpAddresses object")]
pub(crate) struct PrivateIp<'a> {
    #[serde(default)]
    pub private_ip_address: MaybeIp4,
    #[serde(default)]
    pub primary: Option<bool>,
    #[serde(default, borrow)]
    pub association: Option<Association<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "an Association object")]
pub(crate) struct Association<'a> {
    #[serde(default)]
    pub public_ip: MaybeIp4,
    #[serde(default, borrow)]
    pub ip_owner_id: S<'a>,
    #[serde(default, borrow)]
    pub allocation_id: S<'a>,
    #[serde(default, borrow)]
    pub association_id: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "an Ipv6Addresses object")]
pub(crate) struct Ipv6Address {
    pub ipv6_address: Ip6,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "an Attachment object")]
pub(crate) struct Attachment<'a> {
    #[serde(default, borrow)]
    pub instance_id: S<'a>,
    #[serde(default)]
    pub device_index: Option<u32>,
    #[serde(default, borrow)]
    pub status: S<'a>,
}

// ---- subnets, VPCs, route tables, network ACLs, gateways, addresses --------------------

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws ec2 describe-subnets`"
)]
pub(crate) struct SubnetsFile<'a> {
    #[serde(borrow)]
    pub subnets: Vec<Subnet<'a>>,
    #[serde(default, borrow)]
    pub next_token: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a subnet object")]
pub(crate) struct Subnet<'a> {
    #[serde(borrow)]
    pub subnet_id: Str<'a>,
    #[serde(borrow)]
    pub vpc_id: Str<'a>,
    #[serde(default, borrow)]
    pub owner_id: S<'a>,
    #[serde(default, borrow)]
    pub availability_zone: S<'a>,
    #[serde(default)]
    pub cidr_block: Option<V4Cidr>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub ipv6_cidr_block_association_set: Vec<Ipv6CidrAssociation<'a>>,
    #[serde(default)]
    pub map_public_ip_on_launch: Option<bool>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub tags: Vec<Tag<'a>>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "an Ipv6CidrBlockAssociationSet object"
)]
pub(crate) struct Ipv6CidrAssociation<'a> {
    #[serde(default)]
    pub ipv6_cidr_block: Option<V6Cidr>,
    #[serde(default, borrow)]
    pub ipv6_cidr_block_state: Option<CidrState<'a>>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "a CidrBlockAssociationSet object"
)]
pub(crate) struct CidrAssociation<'a> {
    #[serde(default)]
    pub cidr_block: Option<V4Cidr>,
    #[serde(default, borrow)]
    pub cidr_block_state: Option<CidrState<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a CIDR block state object")]
pub(crate) struct CidrState<'a> {
    #[serde(default, borrow)]
    pub state: S<'a>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws ec2 describe-vpcs`"
)]
pub(crate) struct VpcsFile<'a> {
    #[serde(borrow)]
    pub vpcs: Vec<Vpc<'a>>,
    #[serde(default, borrow)]
    pub next_token: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a VPC object")]
pub(crate) struct Vpc<'a> {
    #[serde(borrow)]
    pub vpc_id: Str<'a>,
    #[serde(default, borrow)]
    pub owner_id: S<'a>,
    #[serde(default)]
    pub cidr_block: Option<V4Cidr>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub cidr_block_association_set: Vec<CidrAssociation<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub ipv6_cidr_block_association_set: Vec<Ipv6CidrAssociation<'a>>,
    #[serde(default)]
    pub is_default: Option<bool>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub tags: Vec<Tag<'a>>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws ec2 describe-route-tables`"
)]
pub(crate) struct RouteTablesFile<'a> {
    #[serde(borrow)]
    pub route_tables: Vec<RouteTable<'a>>,
    #[serde(default, borrow)]
    pub next_token: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a route table object")]
pub(crate) struct RouteTable<'a> {
    #[serde(borrow)]
    pub route_table_id: Str<'a>,
    #[serde(borrow)]
    pub vpc_id: Str<'a>,
    #[serde(default, borrow)]
    pub owner_id: S<'a>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub associations: Vec<RouteTableAssociation<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub routes: Vec<Route<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub tags: Vec<Tag<'a>>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "a route table association object"
)]
pub(crate) struct RouteTableAssociation<'a> {
    #[serde(default, borrow)]
    pub subnet_id: S<'a>,
    #[serde(default, borrow)]
    pub gateway_id: S<'a>,
    #[serde(default)]
    pub main: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a route object")]
pub(crate) struct Route<'a> {
    #[serde(default)]
    pub destination_cidr_block: Option<V4Cidr>,
    #[serde(default)]
    pub destination_ipv6_cidr_block: Option<V6Cidr>,
    #[serde(default, borrow)]
    pub destination_prefix_list_id: S<'a>,
    #[serde(default, borrow)]
    pub gateway_id: S<'a>,
    #[serde(default, borrow)]
    pub egress_only_internet_gateway_id: S<'a>,
    #[serde(default, borrow)]
    pub nat_gateway_id: S<'a>,
    #[serde(default, borrow)]
    pub transit_gateway_id: S<'a>,
    #[serde(default, borrow)]
    pub vpc_peering_connection_id: S<'a>,
    #[serde(default, borrow)]
    pub network_interface_id: S<'a>,
    #[serde(default, borrow)]
    pub instance_id: S<'a>,
    #[serde(default, borrow)]
    pub carrier_gateway_id: S<'a>,
    #[serde(default, borrow)]
    pub local_gateway_id: S<'a>,
    #[serde(default, borrow)]
    pub core_network_arn: S<'a>,
    #[serde(default, borrow)]
    pub state: S<'a>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws ec2 describe-network-acls`"
)]
pub(crate) struct NetworkAclsFile<'a> {
    #[serde(borrow)]
    pub network_acls: Vec<NetworkAcl<'a>>,
    #[serde(default, borrow)]
    pub next_token: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a network ACL object")]
pub(crate) struct NetworkAcl<'a> {
    #[serde(borrow)]
    pub network_acl_id: Str<'a>,
    #[serde(borrow)]
    pub vpc_id: Str<'a>,
    #[serde(default, borrow)]
    pub owner_id: S<'a>,
    #[serde(default)]
    pub is_default: Option<bool>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub entries: Vec<AclEntry<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub associations: Vec<AclAssociation<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub tags: Vec<Tag<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a network ACL entry object")]
pub(crate) struct AclEntry<'a> {
    pub rule_number: u32,
    #[serde(borrow)]
    pub protocol: Str<'a>,
    pub rule_action: RuleAction,
    pub egress: bool,
    #[serde(default)]
    pub cidr_block: Option<V4Cidr>,
    #[serde(default)]
    pub ipv6_cidr_block: Option<V6Cidr>,
    #[serde(default)]
    pub port_range: Option<AclPortRange>,
    #[serde(default)]
    pub icmp_type_code: Option<IcmpTypeCode>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RuleAction {
    Allow,
    Deny,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a PortRange object")]
pub(crate) struct AclPortRange {
    #[serde(default)]
    pub from: Option<i64>,
    #[serde(default)]
    pub to: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "an IcmpTypeCode object")]
pub(crate) struct IcmpTypeCode {
    #[serde(default, rename = "Type")]
    pub icmp_type: Option<i64>,
    #[serde(default)]
    pub code: Option<i64>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "a network ACL association object"
)]
pub(crate) struct AclAssociation<'a> {
    #[serde(default, borrow)]
    pub subnet_id: S<'a>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws ec2 describe-internet-gateways`"
)]
pub(crate) struct InternetGatewaysFile<'a> {
    #[serde(borrow)]
    pub internet_gateways: Vec<InternetGateway<'a>>,
    #[serde(default, borrow)]
    pub next_token: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "an internet gateway object")]
pub(crate) struct InternetGateway<'a> {
    #[serde(borrow)]
    pub internet_gateway_id: Str<'a>,
    #[serde(default, borrow)]
    pub owner_id: S<'a>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub attachments: Vec<GatewayAttachment<'a>>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub tags: Vec<Tag<'a>>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "an internet gateway attachment object"
)]
pub(crate) struct GatewayAttachment<'a> {
    #[serde(default, borrow)]
    pub vpc_id: S<'a>,
    #[serde(default, borrow)]
    pub state: S<'a>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws ec2 describe-addresses`"
)]
pub(crate) struct AddressesFile<'a> {
    #[serde(borrow)]
    pub addresses: Vec<Address<'a>>,
    #[serde(default, borrow)]
    pub next_token: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "an address object")]
pub(crate) struct Address<'a> {
    /// Absent for carrier IPs (Wavelength), which the internet cannot reach.
    #[serde(default)]
    pub public_ip: MaybeIp4,
    #[serde(default, borrow)]
    pub allocation_id: S<'a>,
    #[serde(default, borrow)]
    pub association_id: S<'a>,
    #[serde(default, borrow)]
    pub instance_id: S<'a>,
    #[serde(default, borrow)]
    pub network_interface_id: S<'a>,
    #[serde(default)]
    pub private_ip_address: MaybeIp4,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub tags: Vec<Tag<'a>>,
}

// ---- managed prefix lists --------------------------------------------------------------

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws ec2 describe-managed-prefix-lists`"
)]
pub(crate) struct PrefixListsFile<'a> {
    #[serde(borrow)]
    pub prefix_lists: Vec<PrefixList<'a>>,
    #[serde(default, borrow)]
    pub next_token: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a prefix list object")]
pub(crate) struct PrefixList<'a> {
    #[serde(borrow)]
    pub prefix_list_id: Str<'a>,
    #[serde(default, borrow)]
    pub prefix_list_name: S<'a>,
    #[serde(default, borrow)]
    pub owner_id: S<'a>,
    #[serde(default, borrow)]
    pub address_family: S<'a>,
    #[serde(default, borrow, deserialize_with = "nullable")]
    pub tags: Vec<Tag<'a>>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "PascalCase",
    expecting = "the JSON object printed by `aws ec2 get-managed-prefix-list-entries`"
)]
pub(crate) struct PrefixListEntriesFile<'a> {
    #[serde(borrow)]
    pub entries: Vec<PrefixListEntry<'a>>,
    #[serde(default, borrow)]
    pub next_token: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", expecting = "a prefix list entry object")]
pub(crate) struct PrefixListEntry<'a> {
    pub cidr: AnyCidr,
    #[serde(default, borrow)]
    pub description: S<'a>,
}
