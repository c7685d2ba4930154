//! SDK types to the JSON `aws ec2 describe-*` prints (PascalCase), field for field where
//! the model reads it: the live scan then goes through the snapshot loader, so live and
//! offline cannot disagree, and `ringfence snapshot aws` writes what the CLI would.

use aws_sdk_ec2::types as ec2;
use serde_json::{Map, Value, json};

/// An object without the fields that are absent, as the AWS CLI prints it.
struct Obj(Map<String, Value>);

impl Obj {
    fn new() -> Self {
        Obj(Map::new())
    }

    fn s(mut self, key: &str, value: Option<&str>) -> Self {
        if let Some(v) = value {
            self.0.insert(key.into(), Value::String(v.to_string()));
        }
        self
    }

    fn n(mut self, key: &str, value: Option<i64>) -> Self {
        if let Some(v) = value {
            self.0.insert(key.into(), json!(v));
        }
        self
    }

    fn b(mut self, key: &str, value: Option<bool>) -> Self {
        if let Some(v) = value {
            self.0.insert(key.into(), Value::Bool(v));
        }
        self
    }

    fn v(mut self, key: &str, value: Value) -> Self {
        self.0.insert(key.into(), value);
        self
    }

    fn o(self, key: &str, value: Option<Value>) -> Self {
        match value {
            Some(v) => self.v(key, v),
            None => self,
        }
    }

    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

fn list<T>(items: &[T], f: impl Fn(&T) -> Value) -> Value {
    Value::Array(items.iter().map(f).collect())
}

fn tags(items: &[ec2::Tag]) -> Value {
    list(items, |t| {
        Obj::new().s("Key", t.key()).s("Value", t.value()).done()
    })
}

fn group_identifiers(items: &[ec2::GroupIdentifier]) -> Value {
    list(items, |g| {
        Obj::new()
            .s("GroupId", g.group_id())
            .s("GroupName", g.group_name())
            .done()
    })
}

/// A top-level document: `{"SecurityGroups": [...]}`.
pub fn document(key: &str, items: Vec<Value>) -> Vec<u8> {
    let mut map = Map::new();
    map.insert(key.into(), Value::Array(items));
    serde_json::to_vec_pretty(&Value::Object(map)).unwrap_or_default()
}

fn permission(p: &ec2::IpPermission) -> Value {
    Obj::new()
        .s("IpProtocol", p.ip_protocol())
        .n("FromPort", p.from_port().map(i64::from))
        .n("ToPort", p.to_port().map(i64::from))
        .v(
            "IpRanges",
            list(p.ip_ranges(), |r| {
                Obj::new()
                    .s("CidrIp", r.cidr_ip())
                    .s("Description", r.description())
                    .done()
            }),
        )
        .v(
            "Ipv6Ranges",
            list(p.ipv6_ranges(), |r| {
                Obj::new()
                    .s("CidrIpv6", r.cidr_ipv6())
                    .s("Description", r.description())
                    .done()
            }),
        )
        .v(
            "PrefixListIds",
            list(p.prefix_list_ids(), |r| {
                Obj::new()
                    .s("PrefixListId", r.prefix_list_id())
                    .s("Description", r.description())
                    .done()
            }),
        )
        .v(
            "UserIdGroupPairs",
            list(p.user_id_group_pairs(), |g| {
                Obj::new()
                    .s("GroupId", g.group_id())
                    .s("GroupName", g.group_name())
                    .s("UserId", g.user_id())
                    .s("VpcId", g.vpc_id())
                    .s("PeeringStatus", g.peering_status())
                    .s("Description", g.description())
                    .done()
            }),
        )
        .done()
}

pub fn security_group(g: &ec2::SecurityGroup) -> Value {
    Obj::new()
        .s("GroupId", g.group_id())
        .s("GroupName", g.group_name())
        .s("Description", g.description())
        .s("VpcId", g.vpc_id())
        .s("OwnerId", g.owner_id())
        .v("IpPermissions", list(g.ip_permissions(), permission))
        .v(
            "IpPermissionsEgress",
            list(g.ip_permissions_egress(), permission),
        )
        .v("Tags", tags(g.tags()))
        .done()
}

pub fn security_group_rule(r: &ec2::SecurityGroupRule) -> Value {
    Obj::new()
        .s("SecurityGroupRuleId", r.security_group_rule_id())
        .s("GroupId", r.group_id())
        .s("GroupOwnerId", r.group_owner_id())
        .b("IsEgress", r.is_egress())
        .s("IpProtocol", r.ip_protocol())
        .n("FromPort", r.from_port().map(i64::from))
        .n("ToPort", r.to_port().map(i64::from))
        .s("CidrIpv4", r.cidr_ipv4())
        .s("CidrIpv6", r.cidr_ipv6())
        .s("PrefixListId", r.prefix_list_id())
        .o(
            "ReferencedGroupInfo",
            r.referenced_group_info().map(|g| {
                Obj::new()
                    .s("GroupId", g.group_id())
                    .s("UserId", g.user_id())
                    .s("VpcId", g.vpc_id())
                    .s("PeeringStatus", g.peering_status())
                    .done()
            }),
        )
        .s("Description", r.description())
        .v("Tags", tags(r.tags()))
        .done()
}

pub fn reservation(r: &ec2::Reservation) -> Value {
    Obj::new()
        .s("ReservationId", r.reservation_id())
        .s("OwnerId", r.owner_id())
        .v("Groups", group_identifiers(r.groups()))
        .v("Instances", list(r.instances(), instance))
        .done()
}

fn instance(i: &ec2::Instance) -> Value {
    Obj::new()
        .s("InstanceId", i.instance_id())
        .s("InstanceType", i.instance_type().map(|t| t.as_str()))
        .s("ImageId", i.image_id())
        .o(
            "State",
            i.state().map(|s| {
                Obj::new()
                    .n("Code", s.code().map(i64::from))
                    .s("Name", s.name().map(|n| n.as_str()))
                    .done()
            }),
        )
        .o(
            "Placement",
            i.placement().map(|p| {
                Obj::new()
                    .s("AvailabilityZone", p.availability_zone())
                    .done()
            }),
        )
        .s("VpcId", i.vpc_id())
        .s("SubnetId", i.subnet_id())
        .s("PrivateIpAddress", i.private_ip_address())
        .s("PublicIpAddress", i.public_ip_address())
        .v("SecurityGroups", group_identifiers(i.security_groups()))
        .v(
            "NetworkInterfaces",
            list(i.network_interfaces(), instance_interface),
        )
        .v("Tags", tags(i.tags()))
        .done()
}

fn instance_interface(n: &ec2::InstanceNetworkInterface) -> Value {
    Obj::new()
        .s("NetworkInterfaceId", n.network_interface_id())
        .s("SubnetId", n.subnet_id())
        .s("VpcId", n.vpc_id())
        .s("OwnerId", n.owner_id())
        .s("Status", n.status().map(|s| s.as_str()))
        .s("Description", n.description())
        .s("InterfaceType", n.interface_type())
        .v("Groups", group_identifiers(n.groups()))
        .s("PrivateIpAddress", n.private_ip_address())
        .v(
            "PrivateIpAddresses",
            list(n.private_ip_addresses(), |p| {
                Obj::new()
                    .s("PrivateIpAddress", p.private_ip_address())
                    .b("Primary", p.primary())
                    .o(
                        "Association",
                        p.association().map(|a| {
                            Obj::new()
                                .s("PublicIp", a.public_ip())
                                .s("IpOwnerId", a.ip_owner_id())
                                .done()
                        }),
                    )
                    .done()
            }),
        )
        .v(
            "Ipv6Addresses",
            list(n.ipv6_addresses(), |a| {
                Obj::new().s("Ipv6Address", a.ipv6_address()).done()
            }),
        )
        .o(
            "Attachment",
            n.attachment().map(|a| {
                Obj::new()
                    .s("AttachmentId", a.attachment_id())
                    .n("DeviceIndex", a.device_index().map(i64::from))
                    .s("Status", a.status().map(|s| s.as_str()))
                    .done()
            }),
        )
        .o(
            "Association",
            n.association().map(|a| {
                Obj::new()
                    .s("PublicIp", a.public_ip())
                    .s("IpOwnerId", a.ip_owner_id())
                    .done()
            }),
        )
        .done()
}

pub fn network_interface(n: &ec2::NetworkInterface) -> Value {
    let association = |a: &ec2::NetworkInterfaceAssociation| {
        Obj::new()
            .s("PublicIp", a.public_ip())
            .s("IpOwnerId", a.ip_owner_id())
            .s("AllocationId", a.allocation_id())
            .s("AssociationId", a.association_id())
            .done()
    };
    Obj::new()
        .s("NetworkInterfaceId", n.network_interface_id())
        .s("SubnetId", n.subnet_id())
        .s("VpcId", n.vpc_id())
        .s("OwnerId", n.owner_id())
        .s("AvailabilityZone", n.availability_zone())
        .s("InterfaceType", n.interface_type().map(|t| t.as_str()))
        .s("Status", n.status().map(|s| s.as_str()))
        .s("Description", n.description())
        .v("Groups", group_identifiers(n.groups()))
        .s("PrivateIpAddress", n.private_ip_address())
        .v(
            "PrivateIpAddresses",
            list(n.private_ip_addresses(), |p| {
                Obj::new()
                    .s("PrivateIpAddress", p.private_ip_address())
                    .b("Primary", p.primary())
                    .o("Association", p.association().map(association))
                    .done()
            }),
        )
        .v(
            "Ipv6Addresses",
            list(n.ipv6_addresses(), |a| {
                Obj::new().s("Ipv6Address", a.ipv6_address()).done()
            }),
        )
        .o(
            "Attachment",
            n.attachment().map(|a| {
                Obj::new()
                    .s("AttachmentId", a.attachment_id())
                    .s("InstanceId", a.instance_id())
                    .s("InstanceOwnerId", a.instance_owner_id())
                    .n("DeviceIndex", a.device_index().map(i64::from))
                    .s("Status", a.status().map(|s| s.as_str()))
                    .done()
            }),
        )
        .o("Association", n.association().map(association))
        .v("TagSet", tags(n.tag_set()))
        .done()
}

pub fn subnet(s: &ec2::Subnet) -> Value {
    Obj::new()
        .s("SubnetId", s.subnet_id())
        .s("VpcId", s.vpc_id())
        .s("OwnerId", s.owner_id())
        .s("AvailabilityZone", s.availability_zone())
        .s("CidrBlock", s.cidr_block())
        .v(
            "Ipv6CidrBlockAssociationSet",
            list(s.ipv6_cidr_block_association_set(), |a| {
                Obj::new()
                    .s("AssociationId", a.association_id())
                    .s("Ipv6CidrBlock", a.ipv6_cidr_block())
                    .o(
                        "Ipv6CidrBlockState",
                        a.ipv6_cidr_block_state()
                            .map(|st| Obj::new().s("State", st.state().map(|x| x.as_str())).done()),
                    )
                    .done()
            }),
        )
        .b("MapPublicIpOnLaunch", s.map_public_ip_on_launch())
        .v("Tags", tags(s.tags()))
        .done()
}

pub fn vpc(v: &ec2::Vpc) -> Value {
    Obj::new()
        .s("VpcId", v.vpc_id())
        .s("OwnerId", v.owner_id())
        .s("CidrBlock", v.cidr_block())
        .v(
            "CidrBlockAssociationSet",
            list(v.cidr_block_association_set(), |a| {
                Obj::new()
                    .s("AssociationId", a.association_id())
                    .s("CidrBlock", a.cidr_block())
                    .o(
                        "CidrBlockState",
                        a.cidr_block_state()
                            .map(|st| Obj::new().s("State", st.state().map(|x| x.as_str())).done()),
                    )
                    .done()
            }),
        )
        .v(
            "Ipv6CidrBlockAssociationSet",
            list(v.ipv6_cidr_block_association_set(), |a| {
                Obj::new()
                    .s("AssociationId", a.association_id())
                    .s("Ipv6CidrBlock", a.ipv6_cidr_block())
                    .o(
                        "Ipv6CidrBlockState",
                        a.ipv6_cidr_block_state()
                            .map(|st| Obj::new().s("State", st.state().map(|x| x.as_str())).done()),
                    )
                    .done()
            }),
        )
        .b("IsDefault", v.is_default())
        .v("Tags", tags(v.tags()))
        .done()
}

pub fn route_table(t: &ec2::RouteTable) -> Value {
    Obj::new()
        .s("RouteTableId", t.route_table_id())
        .s("VpcId", t.vpc_id())
        .s("OwnerId", t.owner_id())
        .v(
            "Associations",
            list(t.associations(), |a| {
                Obj::new()
                    .s("RouteTableAssociationId", a.route_table_association_id())
                    .s("RouteTableId", a.route_table_id())
                    .s("SubnetId", a.subnet_id())
                    .s("GatewayId", a.gateway_id())
                    .b("Main", a.main())
                    .done()
            }),
        )
        .v(
            "Routes",
            list(t.routes(), |r| {
                Obj::new()
                    .s("DestinationCidrBlock", r.destination_cidr_block())
                    .s("DestinationIpv6CidrBlock", r.destination_ipv6_cidr_block())
                    .s("DestinationPrefixListId", r.destination_prefix_list_id())
                    .s("GatewayId", r.gateway_id())
                    .s(
                        "EgressOnlyInternetGatewayId",
                        r.egress_only_internet_gateway_id(),
                    )
                    .s("NatGatewayId", r.nat_gateway_id())
                    .s("TransitGatewayId", r.transit_gateway_id())
                    .s("VpcPeeringConnectionId", r.vpc_peering_connection_id())
                    .s("NetworkInterfaceId", r.network_interface_id())
                    .s("InstanceId", r.instance_id())
                    .s("CarrierGatewayId", r.carrier_gateway_id())
                    .s("LocalGatewayId", r.local_gateway_id())
                    .s("CoreNetworkArn", r.core_network_arn())
                    .s("Origin", r.origin().map(|o| o.as_str()))
                    .s("State", r.state().map(|s| s.as_str()))
                    .done()
            }),
        )
        .v("Tags", tags(t.tags()))
        .done()
}

pub fn network_acl(a: &ec2::NetworkAcl) -> Value {
    Obj::new()
        .s("NetworkAclId", a.network_acl_id())
        .s("VpcId", a.vpc_id())
        .s("OwnerId", a.owner_id())
        .b("IsDefault", a.is_default())
        .v(
            "Entries",
            list(a.entries(), |e| {
                Obj::new()
                    .n("RuleNumber", e.rule_number().map(i64::from))
                    .s("Protocol", e.protocol())
                    .s("RuleAction", e.rule_action().map(|r| r.as_str()))
                    .b("Egress", e.egress())
                    .s("CidrBlock", e.cidr_block())
                    .s("Ipv6CidrBlock", e.ipv6_cidr_block())
                    .o(
                        "PortRange",
                        e.port_range().map(|p| {
                            Obj::new()
                                .n("From", p.from().map(i64::from))
                                .n("To", p.to().map(i64::from))
                                .done()
                        }),
                    )
                    .o(
                        "IcmpTypeCode",
                        e.icmp_type_code().map(|c| {
                            Obj::new()
                                .n("Type", c.r#type().map(i64::from))
                                .n("Code", c.code().map(i64::from))
                                .done()
                        }),
                    )
                    .done()
            }),
        )
        .v(
            "Associations",
            list(a.associations(), |s| {
                Obj::new()
                    .s("NetworkAclAssociationId", s.network_acl_association_id())
                    .s("NetworkAclId", s.network_acl_id())
                    .s("SubnetId", s.subnet_id())
                    .done()
            }),
        )
        .v("Tags", tags(a.tags()))
        .done()
}

pub fn internet_gateway(g: &ec2::InternetGateway) -> Value {
    Obj::new()
        .s("InternetGatewayId", g.internet_gateway_id())
        .s("OwnerId", g.owner_id())
        .v(
            "Attachments",
            list(g.attachments(), |a| {
                Obj::new()
                    .s("State", a.state().map(|s| s.as_str()))
                    .s("VpcId", a.vpc_id())
                    .done()
            }),
        )
        .v("Tags", tags(g.tags()))
        .done()
}

pub fn address(a: &ec2::Address) -> Value {
    Obj::new()
        .s("PublicIp", a.public_ip())
        .s("AllocationId", a.allocation_id())
        .s("AssociationId", a.association_id())
        .s("Domain", a.domain().map(|d| d.as_str()))
        .s("InstanceId", a.instance_id())
        .s("NetworkInterfaceId", a.network_interface_id())
        .s("NetworkInterfaceOwnerId", a.network_interface_owner_id())
        .s("PrivateIpAddress", a.private_ip_address())
        .v("Tags", tags(a.tags()))
        .done()
}

pub fn prefix_list(p: &ec2::ManagedPrefixList) -> Value {
    Obj::new()
        .s("PrefixListId", p.prefix_list_id())
        .s("AddressFamily", p.address_family())
        .s("State", p.state().map(|s| s.as_str()))
        .s("PrefixListArn", p.prefix_list_arn())
        .s("PrefixListName", p.prefix_list_name())
        .n("MaxEntries", p.max_entries().map(i64::from))
        .n("Version", p.version())
        .v("Tags", tags(p.tags()))
        .s("OwnerId", p.owner_id())
        .done()
}

pub fn prefix_list_entry(e: &ec2::PrefixListEntry) -> Value {
    Obj::new()
        .s("Cidr", e.cidr())
        .s("Description", e.description())
        .done()
}
