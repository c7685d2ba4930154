//! SDK types to the JSON `aws ec2 describe-*` prints (PascalCase), field for field where
//! the model reads it: the live scan then goes through the snapshot loader, so live and
//! offline cannot disagree, and `ringfence snapshot aws` writes what the CLI would.
//!
//! Each SDK value is serialized straight into the document's bytes (no `serde_json::Value`
//! in between: building one allocated every key and string twice). Every object's keys
//! are written in sorted order, so the indented documents are byte for byte what
//! serde_json prints for the same content held in a `Value` (which sorts its keys).

use aws_sdk_ec2::types as ec2;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// How a document is printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// No whitespace: the live scan only parses the documents again.
    #[default]
    Compact,
    /// Indented, for people: what `ringfence snapshot aws` writes.
    Indented,
}

/// A top-level document: `{"SecurityGroups": [...]}`.
pub fn document<V: Serialize + ?Sized>(layout: Layout, key: &str, items: &V) -> Vec<u8> {
    struct Document<'a, V: ?Sized>(&'a str, &'a V);
    impl<V: Serialize + ?Sized> Serialize for Document<'_, V> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry(self.0, self.1)?;
            map.end()
        }
    }
    let document = Document(key, items);
    let printed = match layout {
        Layout::Compact => serde_json::to_vec(&document),
        Layout::Indented => serde_json::to_vec_pretty(&document),
    };
    // Serializing strings, numbers and booleans into memory cannot fail.
    printed.unwrap_or_default()
}

/// An SDK value (or a list of them) as the AWS CLI prints it.
pub struct Cli<'a, T: ?Sized>(pub &'a T);

impl<T> Serialize for Cli<'_, [T]>
where
    for<'b> Cli<'b, T>: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(Cli))
    }
}

/// The fields of one object; absent ones are left out, as the AWS CLI leaves them out.
struct Fields<'m, M>(&'m mut M);

impl<M: SerializeMap> Fields<'_, M> {
    /// A field that is always printed (lists: empty ones too).
    fn put<V: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<&mut Self, M::Error> {
        self.0.serialize_entry(key, value)?;
        Ok(self)
    }

    /// A field printed only when present.
    fn opt<V: Serialize>(
        &mut self,
        key: &'static str,
        value: Option<V>,
    ) -> Result<&mut Self, M::Error> {
        if let Some(value) = value {
            self.0.serialize_entry(key, &value)?;
        }
        Ok(self)
    }
}

/// `Serialize` for `Cli<'_, $ty>`: `$body` writes the fields through `$f`, keys in
/// sorted order.
macro_rules! object {
    ($ty:ty, |$v:ident, $f:ident| $body:expr) => {
        impl Serialize for Cli<'_, $ty> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let $v = self.0;
                let mut map = serializer.serialize_map(None)?;
                let $f = &mut Fields(&mut map);
                $body;
                map.end()
            }
        }
    };
}

object!(ec2::Tag, |t, f| f
    .opt("Key", t.key())?
    .opt("Value", t.value())?);

object!(ec2::GroupIdentifier, |g, f| f
    .opt("GroupId", g.group_id())?
    .opt("GroupName", g.group_name())?);

object!(ec2::IpPermission, |p, f| f
    .opt("FromPort", p.from_port())?
    .opt("IpProtocol", p.ip_protocol())?
    .put("IpRanges", &Cli(p.ip_ranges()))?
    .put("Ipv6Ranges", &Cli(p.ipv6_ranges()))?
    .put("PrefixListIds", &Cli(p.prefix_list_ids()))?
    .opt("ToPort", p.to_port())?
    .put("UserIdGroupPairs", &Cli(p.user_id_group_pairs()))?);

object!(ec2::IpRange, |r, f| f
    .opt("CidrIp", r.cidr_ip())?
    .opt("Description", r.description())?);

object!(ec2::Ipv6Range, |r, f| f
    .opt("CidrIpv6", r.cidr_ipv6())?
    .opt("Description", r.description())?);

object!(ec2::PrefixListId, |r, f| f
    .opt("Description", r.description())?
    .opt("PrefixListId", r.prefix_list_id())?);

object!(ec2::UserIdGroupPair, |g, f| f
    .opt("Description", g.description())?
    .opt("GroupId", g.group_id())?
    .opt("GroupName", g.group_name())?
    .opt("PeeringStatus", g.peering_status())?
    .opt("UserId", g.user_id())?
    .opt("VpcId", g.vpc_id())?);

object!(ec2::SecurityGroup, |g, f| f
    .opt("Description", g.description())?
    .opt("GroupId", g.group_id())?
    .opt("GroupName", g.group_name())?
    .put("IpPermissions", &Cli(g.ip_permissions()))?
    .put("IpPermissionsEgress", &Cli(g.ip_permissions_egress()))?
    .opt("OwnerId", g.owner_id())?
    .put("Tags", &Cli(g.tags()))?
    .opt("VpcId", g.vpc_id())?);

object!(ec2::SecurityGroupRule, |r, f| f
    .opt("CidrIpv4", r.cidr_ipv4())?
    .opt("CidrIpv6", r.cidr_ipv6())?
    .opt("Description", r.description())?
    .opt("FromPort", r.from_port())?
    .opt("GroupId", r.group_id())?
    .opt("GroupOwnerId", r.group_owner_id())?
    .opt("IpProtocol", r.ip_protocol())?
    .opt("IsEgress", r.is_egress())?
    .opt("PrefixListId", r.prefix_list_id())?
    .opt("ReferencedGroupInfo", r.referenced_group_info().map(Cli))?
    .opt("SecurityGroupRuleId", r.security_group_rule_id())?
    .put("Tags", &Cli(r.tags()))?
    .opt("ToPort", r.to_port())?);

object!(ec2::ReferencedSecurityGroup, |g, f| f
    .opt("GroupId", g.group_id())?
    .opt("PeeringStatus", g.peering_status())?
    .opt("UserId", g.user_id())?
    .opt("VpcId", g.vpc_id())?);

object!(ec2::Reservation, |r, f| f
    .put("Groups", &Cli(r.groups()))?
    .put("Instances", &Cli(r.instances()))?
    .opt("OwnerId", r.owner_id())?
    .opt("ReservationId", r.reservation_id())?);

object!(ec2::Instance, |i, f| f
    .opt("ImageId", i.image_id())?
    .opt("InstanceId", i.instance_id())?
    .opt("InstanceType", i.instance_type().map(|t| t.as_str()))?
    .put("NetworkInterfaces", &Cli(i.network_interfaces()))?
    .opt("Placement", i.placement().map(Cli))?
    .opt("PrivateIpAddress", i.private_ip_address())?
    .opt("PublicIpAddress", i.public_ip_address())?
    .put("SecurityGroups", &Cli(i.security_groups()))?
    .opt("State", i.state().map(Cli))?
    .opt("SubnetId", i.subnet_id())?
    .put("Tags", &Cli(i.tags()))?
    .opt("VpcId", i.vpc_id())?);

object!(ec2::InstanceState, |s, f| f
    .opt("Code", s.code())?
    .opt("Name", s.name().map(|n| n.as_str()))?);

object!(ec2::Placement, |p, f| f
    .opt("AvailabilityZone", p.availability_zone())?);

object!(ec2::InstanceNetworkInterface, |n, f| f
    .opt("Association", n.association().map(Cli))?
    .opt("Attachment", n.attachment().map(Cli))?
    .opt("Description", n.description())?
    .put("Groups", &Cli(n.groups()))?
    .opt("InterfaceType", n.interface_type())?
    .put("Ipv6Addresses", &Cli(n.ipv6_addresses()))?
    .opt("NetworkInterfaceId", n.network_interface_id())?
    .opt("OwnerId", n.owner_id())?
    .opt("PrivateIpAddress", n.private_ip_address())?
    .put("PrivateIpAddresses", &Cli(n.private_ip_addresses()))?
    .opt("Status", n.status().map(|s| s.as_str()))?
    .opt("SubnetId", n.subnet_id())?
    .opt("VpcId", n.vpc_id())?);

object!(ec2::InstancePrivateIpAddress, |p, f| f
    .opt("Association", p.association().map(Cli))?
    .opt("Primary", p.primary())?
    .opt("PrivateIpAddress", p.private_ip_address())?);

object!(ec2::InstanceNetworkInterfaceAssociation, |a, f| f
    .opt("IpOwnerId", a.ip_owner_id())?
    .opt("PublicIp", a.public_ip())?);

object!(ec2::InstanceIpv6Address, |a, f| f
    .opt("Ipv6Address", a.ipv6_address())?);

object!(ec2::InstanceNetworkInterfaceAttachment, |a, f| f
    .opt("AttachmentId", a.attachment_id())?
    .opt("DeviceIndex", a.device_index())?
    .opt("Status", a.status().map(|s| s.as_str()))?);

object!(ec2::NetworkInterface, |n, f| f
    .opt("Association", n.association().map(Cli))?
    .opt("Attachment", n.attachment().map(Cli))?
    .opt("AvailabilityZone", n.availability_zone())?
    .opt("Description", n.description())?
    .put("Groups", &Cli(n.groups()))?
    .opt("InterfaceType", n.interface_type().map(|t| t.as_str()))?
    .put("Ipv6Addresses", &Cli(n.ipv6_addresses()))?
    .opt("NetworkInterfaceId", n.network_interface_id())?
    .opt("OwnerId", n.owner_id())?
    .opt("PrivateIpAddress", n.private_ip_address())?
    .put("PrivateIpAddresses", &Cli(n.private_ip_addresses()))?
    .opt("Status", n.status().map(|s| s.as_str()))?
    .opt("SubnetId", n.subnet_id())?
    .put("TagSet", &Cli(n.tag_set()))?
    .opt("VpcId", n.vpc_id())?);

object!(ec2::NetworkInterfaceAssociation, |a, f| f
    .opt("AllocationId", a.allocation_id())?
    .opt("AssociationId", a.association_id())?
    .opt("IpOwnerId", a.ip_owner_id())?
    .opt("PublicIp", a.public_ip())?);

object!(ec2::NetworkInterfacePrivateIpAddress, |p, f| f
    .opt("Association", p.association().map(Cli))?
    .opt("Primary", p.primary())?
    .opt("PrivateIpAddress", p.private_ip_address())?);

object!(ec2::NetworkInterfaceIpv6Address, |a, f| f
    .opt("Ipv6Address", a.ipv6_address())?);

object!(ec2::NetworkInterfaceAttachment, |a, f| f
    .opt("AttachmentId", a.attachment_id())?
    .opt("DeviceIndex", a.device_index())?
    .opt("InstanceId", a.instance_id())?
    .opt("InstanceOwnerId", a.instance_owner_id())?
    .opt("Status", a.status().map(|s| s.as_str()))?);

object!(ec2::Subnet, |s, f| f
    .opt("AvailabilityZone", s.availability_zone())?
    .opt("CidrBlock", s.cidr_block())?
    .put(
        "Ipv6CidrBlockAssociationSet",
        &Cli(s.ipv6_cidr_block_association_set())
    )?
    .opt("MapPublicIpOnLaunch", s.map_public_ip_on_launch())?
    .opt("OwnerId", s.owner_id())?
    .opt("SubnetId", s.subnet_id())?
    .put("Tags", &Cli(s.tags()))?
    .opt("VpcId", s.vpc_id())?);

object!(ec2::SubnetIpv6CidrBlockAssociation, |a, f| f
    .opt("AssociationId", a.association_id())?
    .opt("Ipv6CidrBlock", a.ipv6_cidr_block())?
    .opt("Ipv6CidrBlockState", a.ipv6_cidr_block_state().map(Cli))?);

object!(ec2::SubnetCidrBlockState, |s, f| f
    .opt("State", s.state().map(|x| x.as_str()))?);

object!(ec2::Vpc, |v, f| f
    .opt("CidrBlock", v.cidr_block())?
    .put(
        "CidrBlockAssociationSet",
        &Cli(v.cidr_block_association_set())
    )?
    .put(
        "Ipv6CidrBlockAssociationSet",
        &Cli(v.ipv6_cidr_block_association_set())
    )?
    .opt("IsDefault", v.is_default())?
    .opt("OwnerId", v.owner_id())?
    .put("Tags", &Cli(v.tags()))?
    .opt("VpcId", v.vpc_id())?);

object!(ec2::VpcCidrBlockAssociation, |a, f| f
    .opt("AssociationId", a.association_id())?
    .opt("CidrBlock", a.cidr_block())?
    .opt("CidrBlockState", a.cidr_block_state().map(Cli))?);

object!(ec2::VpcIpv6CidrBlockAssociation, |a, f| f
    .opt("AssociationId", a.association_id())?
    .opt("Ipv6CidrBlock", a.ipv6_cidr_block())?
    .opt("Ipv6CidrBlockState", a.ipv6_cidr_block_state().map(Cli))?);

object!(ec2::VpcCidrBlockState, |s, f| f
    .opt("State", s.state().map(|x| x.as_str()))?);

object!(ec2::RouteTable, |t, f| f
    .put("Associations", &Cli(t.associations()))?
    .opt("OwnerId", t.owner_id())?
    .opt("RouteTableId", t.route_table_id())?
    .put("Routes", &Cli(t.routes()))?
    .put("Tags", &Cli(t.tags()))?
    .opt("VpcId", t.vpc_id())?);

object!(ec2::RouteTableAssociation, |a, f| f
    .opt("GatewayId", a.gateway_id())?
    .opt("Main", a.main())?
    .opt("RouteTableAssociationId", a.route_table_association_id())?
    .opt("RouteTableId", a.route_table_id())?
    .opt("SubnetId", a.subnet_id())?);

object!(ec2::Route, |r, f| f
    .opt("CarrierGatewayId", r.carrier_gateway_id())?
    .opt("CoreNetworkArn", r.core_network_arn())?
    .opt("DestinationCidrBlock", r.destination_cidr_block())?
    .opt("DestinationIpv6CidrBlock", r.destination_ipv6_cidr_block())?
    .opt("DestinationPrefixListId", r.destination_prefix_list_id())?
    .opt(
        "EgressOnlyInternetGatewayId",
        r.egress_only_internet_gateway_id()
    )?
    .opt("GatewayId", r.gateway_id())?
    .opt("InstanceId", r.instance_id())?
    .opt("LocalGatewayId", r.local_gateway_id())?
    .opt("NatGatewayId", r.nat_gateway_id())?
    .opt("NetworkInterfaceId", r.network_interface_id())?
    .opt("Origin", r.origin().map(|o| o.as_str()))?
    .opt("State", r.state().map(|s| s.as_str()))?
    .opt("TransitGatewayId", r.transit_gateway_id())?
    .opt("VpcPeeringConnectionId", r.vpc_peering_connection_id())?);

object!(ec2::NetworkAcl, |a, f| f
    .put("Associations", &Cli(a.associations()))?
    .put("Entries", &Cli(a.entries()))?
    .opt("IsDefault", a.is_default())?
    .opt("NetworkAclId", a.network_acl_id())?
    .opt("OwnerId", a.owner_id())?
    .put("Tags", &Cli(a.tags()))?
    .opt("VpcId", a.vpc_id())?);

object!(ec2::NetworkAclEntry, |e, f| f
    .opt("CidrBlock", e.cidr_block())?
    .opt("Egress", e.egress())?
    .opt("IcmpTypeCode", e.icmp_type_code().map(Cli))?
    .opt("Ipv6CidrBlock", e.ipv6_cidr_block())?
    .opt("PortRange", e.port_range().map(Cli))?
    .opt("Protocol", e.protocol())?
    .opt("RuleAction", e.rule_action().map(|r| r.as_str()))?
    .opt("RuleNumber", e.rule_number())?);

object!(ec2::PortRange, |p, f| f
    .opt("From", p.from())?
    .opt("To", p.to())?);

object!(ec2::IcmpTypeCode, |c, f| f
    .opt("Code", c.code())?
    .opt("Type", c.r#type())?);

object!(ec2::NetworkAclAssociation, |s, f| f
    .opt("NetworkAclAssociationId", s.network_acl_association_id())?
    .opt("NetworkAclId", s.network_acl_id())?
    .opt("SubnetId", s.subnet_id())?);

object!(ec2::InternetGateway, |g, f| f
    .put("Attachments", &Cli(g.attachments()))?
    .opt("InternetGatewayId", g.internet_gateway_id())?
    .opt("OwnerId", g.owner_id())?
    .put("Tags", &Cli(g.tags()))?);

object!(ec2::InternetGatewayAttachment, |a, f| f
    .opt("State", a.state().map(|s| s.as_str()))?
    .opt("VpcId", a.vpc_id())?);

object!(ec2::Address, |a, f| f
    .opt("AllocationId", a.allocation_id())?
    .opt("AssociationId", a.association_id())?
    .opt("Domain", a.domain().map(|d| d.as_str()))?
    .opt("InstanceId", a.instance_id())?
    .opt("NetworkInterfaceId", a.network_interface_id())?
    .opt("NetworkInterfaceOwnerId", a.network_interface_owner_id())?
    .opt("PrivateIpAddress", a.private_ip_address())?
    .opt("PublicIp", a.public_ip())?
    .put("Tags", &Cli(a.tags()))?);

object!(ec2::ManagedPrefixList, |p, f| f
    .opt("AddressFamily", p.address_family())?
    .opt("MaxEntries", p.max_entries())?
    .opt("OwnerId", p.owner_id())?
    .opt("PrefixListArn", p.prefix_list_arn())?
    .opt("PrefixListId", p.prefix_list_id())?
    .opt("PrefixListName", p.prefix_list_name())?
    .opt("State", p.state().map(|s| s.as_str()))?
    .put("Tags", &Cli(p.tags()))?
    .opt("Version", p.version())?);

object!(ec2::PrefixListEntry, |e, f| f
    .opt("Cidr", e.cidr())?
    .opt("Description", e.description())?);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Indented output equals what serde_json prints for the same content as a `Value`
    /// (keys sorted at every level); compact output is the same content.
    fn assert_printed_as_value<V: Serialize + ?Sized>(key: &str, items: &V) {
        let indented = document(Layout::Indented, key, items);
        let value: Value = serde_json::from_slice(&indented).unwrap();
        assert_eq!(
            String::from_utf8(indented).unwrap(),
            serde_json::to_string_pretty(&value).unwrap()
        );
        let compact: Value =
            serde_json::from_slice(&document(Layout::Compact, key, items)).unwrap();
        assert_eq!(compact, value);
    }

    fn tag() -> ec2::Tag {
        ec2::Tag::builder().key("Name").value("web \"1\"").build()
    }

    #[test]
    fn every_field_of_a_security_group_in_sorted_order() {
        let permission = ec2::IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(22)
            .to_port(22)
            .ip_ranges(
                ec2::IpRange::builder()
                    .cidr_ip("0.0.0.0/0")
                    .description("ssh")
                    .build(),
            )
            .ipv6_ranges(ec2::Ipv6Range::builder().cidr_ipv6("::/0").build())
            .prefix_list_ids(
                ec2::PrefixListId::builder()
                    .prefix_list_id("pl-1")
                    .description("office")
                    .build(),
            )
            .user_id_group_pairs(
                ec2::UserIdGroupPair::builder()
                    .group_id("sg-2")
                    .group_name("peer")
                    .user_id("123456789012")
                    .vpc_id("vpc-1")
                    .peering_status("active")
                    .description("peer")
                    .build(),
            )
            .build();
        let group = ec2::SecurityGroup::builder()
            .group_id("sg-1")
            .group_name("web")
            .description("web servers")
            .vpc_id("vpc-1")
            .owner_id("123456789012")
            .ip_permissions(permission.clone())
            .ip_permissions_egress(permission)
            .tags(tag())
            .build();
        assert_printed_as_value("SecurityGroups", &Cli([group.clone(), group].as_slice()));
        let rule = ec2::SecurityGroupRule::builder()
            .security_group_rule_id("sgr-1")
            .group_id("sg-1")
            .group_owner_id("123456789012")
            .is_egress(false)
            .ip_protocol("-1")
            .from_port(-1)
            .to_port(-1)
            .cidr_ipv4("10.0.0.0/8")
            .cidr_ipv6("::/0")
            .prefix_list_id("pl-1")
            .referenced_group_info(
                ec2::ReferencedSecurityGroup::builder()
                    .group_id("sg-2")
                    .user_id("123456789012")
                    .vpc_id("vpc-1")
                    .peering_status("active")
                    .build(),
            )
            .description("all")
            .tags(tag())
            .build();
        assert_printed_as_value("SecurityGroupRules", &Cli([rule].as_slice()));
        assert_printed_as_value("SecurityGroups", &Cli(&[][..] as &[ec2::SecurityGroup]));
    }

    #[test]
    fn every_field_of_instances_and_interfaces_in_sorted_order() {
        let association = ec2::InstanceNetworkInterfaceAssociation::builder()
            .public_ip("52.95.0.1")
            .ip_owner_id("amazon")
            .build();
        let interface = ec2::InstanceNetworkInterface::builder()
            .network_interface_id("eni-1")
            .subnet_id("subnet-1")
            .vpc_id("vpc-1")
            .owner_id("123456789012")
            .status(ec2::NetworkInterfaceStatus::InUse)
            .description("primary")
            .interface_type("interface")
            .groups(ec2::GroupIdentifier::builder().group_id("sg-1").build())
            .private_ip_address("10.0.0.5")
            .private_ip_addresses(
                ec2::InstancePrivateIpAddress::builder()
                    .private_ip_address("10.0.0.5")
                    .primary(true)
                    .association(association.clone())
                    .build(),
            )
            .ipv6_addresses(
                ec2::InstanceIpv6Address::builder()
                    .ipv6_address("2001:db8::5")
                    .build(),
            )
            .attachment(
                ec2::InstanceNetworkInterfaceAttachment::builder()
                    .attachment_id("eni-attach-1")
                    .device_index(0)
                    .status(ec2::AttachmentStatus::Attached)
                    .build(),
            )
            .association(association)
            .build();
        let instance = ec2::Instance::builder()
            .instance_id("i-1")
            .instance_type(ec2::InstanceType::T3Micro)
            .image_id("ami-1")
            .state(
                ec2::InstanceState::builder()
                    .code(16)
                    .name(ec2::InstanceStateName::Running)
                    .build(),
            )
            .placement(
                ec2::Placement::builder()
                    .availability_zone("us-east-1a")
                    .build(),
            )
            .vpc_id("vpc-1")
            .subnet_id("subnet-1")
            .private_ip_address("10.0.0.5")
            .public_ip_address("52.95.0.1")
            .security_groups(ec2::GroupIdentifier::builder().group_id("sg-1").build())
            .network_interfaces(interface)
            .tags(tag())
            .build();
        let reservation = ec2::Reservation::builder()
            .reservation_id("r-1")
            .owner_id("123456789012")
            .instances(instance)
            .build();
        assert_printed_as_value("Reservations", &Cli([reservation].as_slice()));

        let association = ec2::NetworkInterfaceAssociation::builder()
            .public_ip("52.95.0.1")
            .ip_owner_id("amazon")
            .allocation_id("eipalloc-1")
            .association_id("eipassoc-1")
            .build();
        let interface = ec2::NetworkInterface::builder()
            .network_interface_id("eni-1")
            .subnet_id("subnet-1")
            .vpc_id("vpc-1")
            .owner_id("123456789012")
            .availability_zone("us-east-1a")
            .interface_type(ec2::NetworkInterfaceType::Interface)
            .status(ec2::NetworkInterfaceStatus::InUse)
            .description("primary")
            .groups(ec2::GroupIdentifier::builder().group_id("sg-1").build())
            .private_ip_address("10.0.0.5")
            .private_ip_addresses(
                ec2::NetworkInterfacePrivateIpAddress::builder()
                    .private_ip_address("10.0.0.5")
                    .primary(true)
                    .association(association.clone())
                    .build(),
            )
            .ipv6_addresses(
                ec2::NetworkInterfaceIpv6Address::builder()
                    .ipv6_address("2001:db8::5")
                    .build(),
            )
            .attachment(
                ec2::NetworkInterfaceAttachment::builder()
                    .attachment_id("eni-attach-1")
                    .instance_id("i-1")
                    .instance_owner_id("123456789012")
                    .device_index(0)
                    .status(ec2::AttachmentStatus::Attached)
                    .build(),
            )
            .association(association)
            .tag_set(tag())
            .build();
        assert_printed_as_value("NetworkInterfaces", &Cli([interface].as_slice()));
    }

    #[test]
    fn every_field_of_the_network_in_sorted_order() {
        let subnet = ec2::Subnet::builder()
            .subnet_id("subnet-1")
            .vpc_id("vpc-1")
            .owner_id("123456789012")
            .availability_zone("us-east-1a")
            .cidr_block("10.0.0.0/24")
            .ipv6_cidr_block_association_set(
                ec2::SubnetIpv6CidrBlockAssociation::builder()
                    .association_id("subnet-cidr-assoc-1")
                    .ipv6_cidr_block("2001:db8::/64")
                    .ipv6_cidr_block_state(
                        ec2::SubnetCidrBlockState::builder()
                            .state(ec2::SubnetCidrBlockStateCode::Associated)
                            .build(),
                    )
                    .build(),
            )
            .map_public_ip_on_launch(true)
            .tags(tag())
            .build();
        assert_printed_as_value("Subnets", &Cli([subnet].as_slice()));
        let state = ec2::VpcCidrBlockState::builder()
            .state(ec2::VpcCidrBlockStateCode::Associated)
            .build();
        let vpc = ec2::Vpc::builder()
            .vpc_id("vpc-1")
            .owner_id("123456789012")
            .cidr_block("10.0.0.0/16")
            .cidr_block_association_set(
                ec2::VpcCidrBlockAssociation::builder()
                    .association_id("vpc-cidr-assoc-1")
                    .cidr_block("10.0.0.0/16")
                    .cidr_block_state(state.clone())
                    .build(),
            )
            .ipv6_cidr_block_association_set(
                ec2::VpcIpv6CidrBlockAssociation::builder()
                    .association_id("vpc-cidr-assoc-2")
                    .ipv6_cidr_block("2001:db8::/56")
                    .ipv6_cidr_block_state(state)
                    .build(),
            )
            .is_default(false)
            .tags(tag())
            .build();
        assert_printed_as_value("Vpcs", &Cli([vpc].as_slice()));
        let table = ec2::RouteTable::builder()
            .route_table_id("rtb-1")
            .vpc_id("vpc-1")
            .owner_id("123456789012")
            .associations(
                ec2::RouteTableAssociation::builder()
                    .route_table_association_id("rtbassoc-1")
                    .route_table_id("rtb-1")
                    .subnet_id("subnet-1")
                    .gateway_id("igw-1")
                    .main(false)
                    .build(),
            )
            .routes(
                ec2::Route::builder()
                    .destination_cidr_block("0.0.0.0/0")
                    .destination_ipv6_cidr_block("::/0")
                    .destination_prefix_list_id("pl-1")
                    .gateway_id("igw-1")
                    .egress_only_internet_gateway_id("eigw-1")
                    .nat_gateway_id("nat-1")
                    .transit_gateway_id("tgw-1")
                    .vpc_peering_connection_id("pcx-1")
                    .network_interface_id("eni-1")
                    .instance_id("i-1")
                    .carrier_gateway_id("cagw-1")
                    .local_gateway_id("lgw-1")
                    .core_network_arn("arn:aws:networkmanager::1:core-network/1")
                    .origin(ec2::RouteOrigin::CreateRoute)
                    .state(ec2::RouteState::Active)
                    .build(),
            )
            .tags(tag())
            .build();
        assert_printed_as_value("RouteTables", &Cli([table].as_slice()));
        let acl = ec2::NetworkAcl::builder()
            .network_acl_id("acl-1")
            .vpc_id("vpc-1")
            .owner_id("123456789012")
            .is_default(true)
            .entries(
                ec2::NetworkAclEntry::builder()
                    .rule_number(100)
                    .protocol("6")
                    .rule_action(ec2::RuleAction::Allow)
                    .egress(false)
                    .cidr_block("0.0.0.0/0")
                    .ipv6_cidr_block("::/0")
                    .port_range(ec2::PortRange::builder().from(22).to(22).build())
                    .icmp_type_code(ec2::IcmpTypeCode::builder().r#type(8).code(0).build())
                    .build(),
            )
            .associations(
                ec2::NetworkAclAssociation::builder()
                    .network_acl_association_id("aclassoc-1")
                    .network_acl_id("acl-1")
                    .subnet_id("subnet-1")
                    .build(),
            )
            .tags(tag())
            .build();
        assert_printed_as_value("NetworkAcls", &Cli([acl].as_slice()));
        let gateway = ec2::InternetGateway::builder()
            .internet_gateway_id("igw-1")
            .owner_id("123456789012")
            .attachments(
                ec2::InternetGatewayAttachment::builder()
                    .state(ec2::AttachmentStatus::Attached)
                    .vpc_id("vpc-1")
                    .build(),
            )
            .tags(tag())
            .build();
        assert_printed_as_value("InternetGateways", &Cli([gateway].as_slice()));
        let address = ec2::Address::builder()
            .public_ip("52.95.0.1")
            .allocation_id("eipalloc-1")
            .association_id("eipassoc-1")
            .domain(ec2::DomainType::Vpc)
            .instance_id("i-1")
            .network_interface_id("eni-1")
            .network_interface_owner_id("123456789012")
            .private_ip_address("10.0.0.5")
            .tags(tag())
            .build();
        assert_printed_as_value("Addresses", &Cli([address].as_slice()));
        let list = ec2::ManagedPrefixList::builder()
            .prefix_list_id("pl-1")
            .address_family("IPv4")
            .state(ec2::PrefixListState::CreateComplete)
            .prefix_list_arn("arn:aws:ec2:us-east-1:123456789012:prefix-list/pl-1")
            .prefix_list_name("office")
            .max_entries(10)
            .version(3)
            .tags(tag())
            .owner_id("123456789012")
            .build();
        assert_printed_as_value("PrefixLists", &Cli([list].as_slice()));
        let entry = ec2::PrefixListEntry::builder()
            .cidr("203.0.113.0/24")
            .description("office")
            .build();
        assert_printed_as_value("Entries", &Cli([entry].as_slice()));
    }
}
