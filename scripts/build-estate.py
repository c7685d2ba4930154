#!/usr/bin/env python3
"""Build the ringfence test estate in a moto EC2 server, and optionally export it.

Every case is a small, named piece of network (security groups, instances,
interfaces, prefix lists, Elastic IPs; for the `reach-*` cases also subnets,
route tables, network ACLs, gateways and VPCs of their own) that shows one
thing about exposure or reachability.
Every resource of a case carries the tags `Name` (what it shows) and
`ringfence-case` (the case name), so tests can find it without knowing ids.

    scripts/build-estate.py [--endpoint URL] [--region R] [--out DIR]

The endpoint comes from --endpoint or $RINGFENCE_MOTO_ENDPOINT (see
scripts/with-moto). The server is reset first (POST /moto-api/reset) and its
random generator seeded, so ids are the same from run to run. With --out, the
region is exported with the AWS CLI into DIR/<region>/ by
scripts/export-snapshot, and DIR/CASES.md describes the cases.

This script only talks to a moto server: it refuses endpoints that are not on
127.0.0.1/localhost unless --allow-remote is given, so it can never build the
estate in a real account.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import boto3

SCRIPTS = Path(__file__).resolve().parent

# The one AMI in scripts/moto-amis.json (MOTO_AMIS_PATH).
AMI_ID = "ami-04681a1dbd79675a5"
INSTANCE_TYPE = "t3.micro"
SEED = 20240611

CASE_TAG = "ringfence-case"
ESTATE_TAG = "ringfence-estate"

WORLD4 = "0.0.0.0/0"
WORLD6 = "::/0"


# --------------------------------------------------------------------------
# Permission helpers


def perm(
    proto: str,
    from_port: int | None = None,
    to_port: int | None = None,
    v4: tuple[str, ...] = (),
    v6: tuple[str, ...] = (),
    prefix_lists: tuple[str, ...] = (),
    groups: tuple[str, ...] = (),
    desc: str | None = None,
) -> dict:
    """One IpPermission as AuthorizeSecurityGroupIngress takes it."""
    p: dict = {"IpProtocol": proto}
    if from_port is not None:
        p["FromPort"] = from_port
        p["ToPort"] = from_port if to_port is None else to_port

    def with_desc(d: dict) -> dict:
        if desc:
            d["Description"] = desc
        return d

    if v4:
        p["IpRanges"] = [with_desc({"CidrIp": c}) for c in v4]
    if v6:
        p["Ipv6Ranges"] = [with_desc({"CidrIpv6": c}) for c in v6]
    if prefix_lists:
        p["PrefixListIds"] = [with_desc({"PrefixListId": x}) for x in prefix_lists]
    if groups:
        p["UserIdGroupPairs"] = [with_desc({"GroupId": g}) for g in groups]
    return p


def tcp(port: int, to: int | None = None, **kw) -> dict:
    return perm("tcp", port, to, **kw)


def udp(port: int, to: int | None = None, **kw) -> dict:
    return perm("udp", port, to, **kw)


# --------------------------------------------------------------------------
# The estate under construction


@dataclass
class Estate:
    ec2: object
    region: str
    vpc_id: str = ""
    v6_prefix: str = ""  # the estate VPC's IPv6 /56 without its length, e.g. 2400:6500:d82f:0100
    public_subnet: str = ""
    private_subnet: str = ""
    igw_id: str = ""
    # case name -> list of (kind, id, Name tag)
    resources: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)

    def tags(self, name: str, case: str | None) -> list[dict]:
        t = [{"Key": "Name", "Value": name}, {"Key": ESTATE_TAG, "Value": "true"}]
        if case:
            t.append({"Key": CASE_TAG, "Value": case})
        return t

    def spec(self, kind: str, name: str, case: str | None) -> list[dict]:
        return [{"ResourceType": kind, "Tags": self.tags(name, case)}]

    def note(self, case: str, kind: str, rid: str, name: str) -> None:
        self.resources.setdefault(case, []).append((kind, rid, name))

    # -- building blocks ---------------------------------------------------

    def v6_subnet(self, n: int) -> str:
        """The n-th /64 of the estate VPC's /56: bump the 4th hextet's low byte."""
        parts = self.v6_prefix.split(":")
        parts[3] = f"{int(parts[3], 16) + n:x}"
        return ":".join(parts) + "::/64"

    def group(
        self, case: str, name: str, description: str, perms: list[dict], *, vpc: str | None = None
    ) -> str:
        gid = self.ec2.create_security_group(
            GroupName=name,
            Description=description,
            VpcId=vpc or self.vpc_id,
            TagSpecifications=self.spec("security-group", name, case),
        )["GroupId"]
        if perms:
            self.ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=perms)
        self.note(case, "security-group", gid, name)
        return gid

    def instance(
        self,
        case: str,
        name: str,
        groups: list[str],
        *,
        form: str,
        public: bool = False,
        ipv6: bool = False,
        subnet: str | None = None,
    ) -> str:
        """Launch one instance, in `subnet` if given, else the estate's public or
        private subnet.

        form="sg-ids": SubnetId + SecurityGroupIds (groups show in the
        instance's top-level SecurityGroups and on its interface);
        form="eni": NetworkInterfaces=[{DeviceIndex: 0, SubnetId, Groups}]
        (moto leaves the top-level SecurityGroups empty).
        """
        subnet = subnet or (self.public_subnet if public else self.private_subnet)
        args: dict = {
            "ImageId": AMI_ID,
            "InstanceType": INSTANCE_TYPE,
            "MinCount": 1,
            "MaxCount": 1,
            "TagSpecifications": self.spec("instance", name, case),
            # fixed, so that a rebuild prints the same describe-instances
            "ClientToken": f"ringfence-estate-{name}"[:64],
        }
        if form == "sg-ids":
            args["SubnetId"] = subnet
            args["SecurityGroupIds"] = groups
            if ipv6:
                args["Ipv6AddressCount"] = 1
        elif form == "eni":
            if ipv6:
                raise ValueError("moto ignores Ipv6AddressCount inside NetworkInterfaces")
            args["NetworkInterfaces"] = [
                {
                    "DeviceIndex": 0,
                    "SubnetId": subnet,
                    "Groups": groups,
                    "DeleteOnTermination": True,
                    "AssociatePublicIpAddress": False,
                }
            ]
        else:
            raise ValueError(form)
        inst = self.ec2.run_instances(**args)["Instances"][0]
        iid = inst["InstanceId"]
        self.note(case, "instance", iid, name)
        for eni in inst.get("NetworkInterfaces", []):
            eni_name = f"{name}-eth{eni['Attachment']['DeviceIndex']}"
            self.ec2.create_tags(
                Resources=[eni["NetworkInterfaceId"]], Tags=self.tags(eni_name, case)
            )
            self.note(case, "network-interface", eni["NetworkInterfaceId"], eni_name)
        return iid

    def primary_interface(self, iid: str) -> str:
        inst = self.ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
        return next(
            n["NetworkInterfaceId"]
            for n in inst["NetworkInterfaces"]
            if n["Attachment"]["DeviceIndex"] == 0
        )

    def vpc(self, case: str, name: str, cidr: str) -> str:
        vid = self.ec2.create_vpc(
            CidrBlock=cidr, TagSpecifications=self.spec("vpc", name, case)
        )["Vpc"]["VpcId"]
        self.note(case, "vpc", vid, name)
        return vid

    def internet_gateway(self, case: str, name: str, vpc: str) -> str:
        igw = self.ec2.create_internet_gateway(
            TagSpecifications=self.spec("internet-gateway", name, case)
        )["InternetGateway"]["InternetGatewayId"]
        self.ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
        self.note(case, "internet-gateway", igw, name)
        return igw

    def main_route_table(self, vpc: str) -> str:
        return self.ec2.describe_route_tables(
            Filters=[
                {"Name": "vpc-id", "Values": [vpc]},
                {"Name": "association.main", "Values": ["true"]},
            ]
        )["RouteTables"][0]["RouteTableId"]

    def subnet(
        self,
        case: str,
        name: str,
        cidr: str,
        *,
        vpc: str | None = None,
        ipv6: int | None = None,
    ) -> str:
        """A subnet of its own (the estate VPC unless `vpc`); `ipv6`=n gives it the
        n-th /64 of the estate VPC's IPv6 block."""
        args: dict = {
            "VpcId": vpc or self.vpc_id,
            "CidrBlock": cidr,
            "AvailabilityZone": f"{self.region}a",
            "TagSpecifications": self.spec("subnet", name, case),
        }
        if ipv6 is not None:
            args["Ipv6CidrBlock"] = self.v6_subnet(ipv6)
        sid = self.ec2.create_subnet(**args)["Subnet"]["SubnetId"]
        self.note(case, "subnet", sid, name)
        return sid

    def route_table(
        self, case: str, name: str, subnet: str, routes: list[dict], *, vpc: str | None = None
    ) -> str:
        """A route table with `routes` (CreateRoute arguments), explicitly associated
        with `subnet`. The local routes are there by themselves."""
        rt = self.ec2.create_route_table(
            VpcId=vpc or self.vpc_id, TagSpecifications=self.spec("route-table", name, case)
        )["RouteTable"]["RouteTableId"]
        for r in routes:
            self.ec2.create_route(RouteTableId=rt, **r)
        self.ec2.associate_route_table(RouteTableId=rt, SubnetId=subnet)
        self.note(case, "route-table", rt, name)
        return rt

    def network_acl(
        self, case: str, name: str, subnet: str, entries: list[dict], *, vpc: str | None = None
    ) -> str:
        """A custom network ACL with `entries` (CreateNetworkAclEntry arguments; the
        final `*` deny is there by itself), replacing the subnet's association."""
        acl = self.ec2.create_network_acl(
            VpcId=vpc or self.vpc_id, TagSpecifications=self.spec("network-acl", name, case)
        )["NetworkAcl"]["NetworkAclId"]
        for entry in entries:
            self.ec2.create_network_acl_entry(NetworkAclId=acl, **entry)
        current = self.ec2.describe_network_acls(
            Filters=[{"Name": "association.subnet-id", "Values": [subnet]}]
        )["NetworkAcls"][0]
        association = next(
            a["NetworkAclAssociationId"]
            for a in current["Associations"]
            if a["SubnetId"] == subnet
        )
        self.ec2.replace_network_acl_association(AssociationId=association, NetworkAclId=acl)
        self.note(case, "network-acl", acl, name)
        return acl

    def elastic_ip(self, case: str, name: str, address: str, interface: str) -> str:
        """An Elastic IP with an explicit, public-looking address (moto would hand out
        127.x otherwise), associated with `interface`."""
        alloc = self.ec2.allocate_address(
            Domain="vpc",
            Address=address,
            TagSpecifications=self.spec("elastic-ip", name, case),
        )["AllocationId"]
        self.ec2.associate_address(AllocationId=alloc, NetworkInterfaceId=interface)
        self.note(case, "elastic-ip", alloc, f"{name} {address}")
        return alloc

    def prefix_list(self, case: str, name: str, cidrs: list[str]) -> str:
        pl = self.ec2.create_managed_prefix_list(
            PrefixListName=name,
            AddressFamily="IPv4",
            MaxEntries=max(5, len(cidrs)),
            Entries=[{"Cidr": c, "Description": name} for c in cidrs],
            TagSpecifications=self.spec("prefix-list", name, case),
        )["PrefixList"]
        self.note(case, "prefix-list", pl["PrefixListId"], name)
        return pl["PrefixListId"]


# --------------------------------------------------------------------------
# The network every case lives in


def build_network(e: Estate) -> None:
    ec2 = e.ec2
    vpc = ec2.create_vpc(
        CidrBlock="10.0.0.0/16",
        AmazonProvidedIpv6CidrBlock=True,
        TagSpecifications=e.spec("vpc", "ringfence-estate-vpc", None),
    )["Vpc"]
    e.vpc_id = vpc["VpcId"]
    v6_block = vpc["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"]  # a /56
    e.v6_prefix = v6_block.split("::/")[0]  # e.g. 2400:6500:d82f:0100
    v6_subnet = e.v6_subnet

    igw = ec2.create_internet_gateway(
        TagSpecifications=e.spec("internet-gateway", "ringfence-estate-igw", None)
    )["InternetGateway"]
    e.igw_id = igw["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=e.igw_id, VpcId=e.vpc_id)

    e.public_subnet = ec2.create_subnet(
        VpcId=e.vpc_id,
        CidrBlock="10.0.1.0/24",
        Ipv6CidrBlock=v6_subnet(1),
        AvailabilityZone=f"{e.region}a",
        TagSpecifications=e.spec("subnet", "public-subnet-routed-to-igw", None),
    )["Subnet"]["SubnetId"]
    e.private_subnet = ec2.create_subnet(
        VpcId=e.vpc_id,
        CidrBlock="10.0.2.0/24",
        Ipv6CidrBlock=v6_subnet(2),
        AvailabilityZone=f"{e.region}a",
        TagSpecifications=e.spec("subnet", "private-subnet-no-igw-route", None),
    )["Subnet"]["SubnetId"]

    # Public route table: default routes (IPv4 and IPv6) to the internet gateway,
    # explicitly associated with the public subnet. The private subnet keeps the
    # VPC's main route table (local routes only).
    rt = ec2.create_route_table(
        VpcId=e.vpc_id,
        TagSpecifications=e.spec("route-table", "public-routes-to-igw", None),
    )["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock=WORLD4, GatewayId=e.igw_id)
    ec2.create_route(RouteTableId=rt, DestinationIpv6CidrBlock=WORLD6, GatewayId=e.igw_id)
    ec2.associate_route_table(RouteTableId=rt, SubnetId=e.public_subnet)

    main_rt = ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [e.vpc_id]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"][0]["RouteTableId"]
    ec2.create_tags(Resources=[main_rt], Tags=e.tags("main-routes-local-only", None))

    # The VPC's default network ACL. AWS gives an IPv6-enabled VPC's default ACL
    # rule 101 allowing ::/0 in and out; moto does not, so add it.
    nacl = ec2.describe_network_acls(
        Filters=[
            {"Name": "vpc-id", "Values": [e.vpc_id]},
            {"Name": "default", "Values": ["true"]},
        ]
    )["NetworkAcls"][0]
    nacl_id = nacl["NetworkAclId"]
    have_v6 = any(x.get("Ipv6CidrBlock") for x in nacl.get("Entries", []))
    if not have_v6:
        for egress in (False, True):
            ec2.create_network_acl_entry(
                NetworkAclId=nacl_id,
                RuleNumber=101,
                Protocol="-1",
                RuleAction="allow",
                Egress=egress,
                Ipv6CidrBlock=WORLD6,
            )
    ec2.create_tags(Resources=[nacl_id], Tags=e.tags("default-acl-allow-all", None))

    sg_default = ec2.describe_security_groups(
        Filters=[
            {"Name": "vpc-id", "Values": [e.vpc_id]},
            {"Name": "group-name", "Values": ["default"]},
        ]
    )["SecurityGroups"][0]["GroupId"]
    ec2.create_tags(Resources=[sg_default], Tags=e.tags("estate-vpc-default-group", None))


# --------------------------------------------------------------------------
# The cases


@dataclass
class Case:
    name: str
    setup: str
    expect: list[str]
    must_not: list[str]
    reach: str
    build: Callable[[Estate, "Case"], None]


CASES: list[Case] = []


def case(name: str, setup: str, expect: list[str], must_not: list[str], reach: str):
    def register(fn: Callable[[Estate, Case], None]):
        CASES.append(Case(name, setup, expect, must_not, reach, fn))
        return fn

    return register


def reach(verdict: str, reason: str | None, why: str) -> str:
    """The expected reachability of a case's open port(s), as CASES.md prints it:
    the verdict, the reason code (latent, blocked, unknown) and why in words."""
    head = f"**{verdict}**" + (f" (`{reason}`)" if reason else "")
    return f"{head}: {why}"


LATENT = reach(
    "latent",
    "no-public-address",
    "the interface has no public address (it is in the private subnet, whose route table "
    "has no route to the internet gateway either)",
)


def simple(e: Estate, c: Case, perms: list[dict], form: str, description: str, **kw) -> None:
    """One group named after the case, on one instance named after the case."""
    gid = e.group(c.name, c.name, description, perms)
    e.instance(c.name, c.name, [gid], form=form, **kw)


@case(
    "cassandra-cql-open-to-world",
    "running instance; its group allows tcp 9042 (CQL) from 0.0.0.0/0",
    ["Cassandra exposed — instance and security group — tcp 9042 (CQL) from 0.0.0.0/0"],
    ["any finding on a port other than tcp 9042"],
    LATENT,
)
def _(e, c):
    simple(e, c, [tcp(9042, v4=(WORLD4,))], "sg-ids", "CQL open to the world")


@case(
    "cassandra-range-7000-7199-open",
    "running instance; its group allows tcp 7000-7199 from 0.0.0.0/0",
    [
        "Cassandra exposed — instance and group — tcp 7000 (internode), 7001 (internode TLS), "
        "7199 (JMX), all in one rule 7000-7199",
        "unrestricted ingress on uncommon ports: the rest of 7000-7199 (7002-7198)",
    ],
    ["Cassandra finding for 9042, 9142 or 9160 (outside the range)"],
    LATENT,
)
def _(e, c):
    simple(e, c, [tcp(7000, 7199, v4=(WORLD4,))], "eni", "Cassandra internode and JMX range open")


@case(
    "all-traffic-open",
    "running instance; its group allows protocol -1 (all traffic) from 0.0.0.0/0",
    [
        "Cassandra exposed — instance and group — every Cassandra port (7000, 7001, 7199, 9042, 9142, 9160, ...)",
        "all ports / all protocols open to the internet",
        "unrestricted ingress on uncommon ports",
        "every database and remote-admin port (22, 3306, 3389, 5432, ...) open to the internet",
    ],
    [],
    LATENT,
)
def _(e, c):
    simple(e, c, [perm("-1", v4=(WORLD4,))], "sg-ids", "All traffic open")


@case(
    "all-tcp-ports-open",
    "running instance; its group allows tcp 0-65535 from 0.0.0.0/0",
    [
        "Cassandra exposed — instance and group — every Cassandra TCP port",
        "all TCP ports open to the internet",
        "unrestricted ingress on uncommon ports (tcp)",
        "every TCP database and remote-admin port open to the internet",
    ],
    ["anything about UDP or ICMP", "all *protocols* open (only TCP is)"],
    LATENT,
)
def _(e, c):
    simple(e, c, [tcp(0, 65535, v4=(WORLD4,))], "eni", "All TCP ports open")


@case(
    "cql-open-ipv6-only",
    "running instance in the PUBLIC subnet with one IPv6 address and no public IPv4; "
    "its group allows tcp 9042 from ::/0 only",
    ["Cassandra exposed — instance and group — tcp 9042 from ::/0 (IPv6)"],
    ["an IPv4 source in the finding"],
    reach(
        "reachable",
        None,
        "over IPv6: the public subnet routes ::/0 to the internet gateway, "
        "the ENI has an IPv6 address, the default ACL allows ::/0 (rule 101)",
    ),
)
def _(e, c):
    simple(e, c, [tcp(9042, v6=(WORLD6,))], "sg-ids", "CQL open to all IPv6", public=True, ipv6=True)


@case(
    "split-cidr-halves",
    "running instance; its group allows tcp 9042 from 0.0.0.0/1 and 128.0.0.0/1 "
    "(two IpRanges of one permission)",
    ["Cassandra exposed — instance and group — tcp 9042, open to the world (the two halves cover 0.0.0.0/0)"],
    ["reporting it merely as a 'wide range' instead of the whole internet"],
    LATENT,
)
def _(e, c):
    simple(e, c, [tcp(9042, v4=("0.0.0.0/1", "128.0.0.0/1"))], "sg-ids", "CQL open to both halves")


@case(
    "prefix-list-open",
    "customer-managed prefix list `prefix-list-open-halves` with entries 0.0.0.0/1 and "
    "128.0.0.0/1; the group allows tcp 9142 (CQL TLS) from the prefix list",
    ["Cassandra exposed — instance and group — tcp 9142 from the prefix list (resolves to the whole internet)"],
    [],
    LATENT,
)
def _(e, c):
    pl = e.prefix_list(c.name, "prefix-list-open-halves", ["0.0.0.0/1", "128.0.0.0/1"])
    simple(e, c, [tcp(9142, prefix_lists=(pl,))], "eni", "CQL TLS open through a prefix list")


@case(
    "prefix-list-private",
    "prefix list `prefix-list-private-10-8` with the entry 10.0.0.0/8; "
    "the group allows tcp 9042 from it",
    [],
    ["any finding"],
    "not exposed",
)
def _(e, c):
    pl = e.prefix_list(c.name, "prefix-list-private-10-8", ["10.0.0.0/8"])
    simple(e, c, [tcp(9042, prefix_lists=(pl,))], "sg-ids", "CQL from a private prefix list")


@case(
    "group-reference-only",
    "the group allows tcp 9042 only from another security group "
    "(`group-reference-only-clients`, which has no ingress of its own)",
    [],
    ["any finding (a group reference is never the internet by itself)"],
    "not exposed",
)
def _(e, c):
    clients = e.group(c.name, f"{c.name}-clients", "Cassandra clients (source group)", [])
    simple(e, c, [tcp(9042, groups=(clients,))], "eni", "CQL from a security group only")


@case(
    "private-only-sources",
    "the group allows tcp 9042 from 10.0.0.0/8 and 172.16.0.0/12",
    [],
    ["any finding"],
    "not exposed",
)
def _(e, c):
    simple(
        e, c, [tcp(9042, v4=("10.0.0.0/8", "172.16.0.0/12"))], "sg-ids", "CQL from private ranges"
    )


@case(
    "wide-public-range",
    "the group allows tcp 9042 from 11.0.0.0/8 (public, 16.7 million addresses, not the whole internet)",
    ["Cassandra exposed — instance and group — tcp 9042 to a wide public range (11.0.0.0/8)"],
    ["unrestricted ingress on uncommon ports (the source is not the whole internet)",
     "calling it open to the whole internet"],
    LATENT,
)
def _(e, c):
    simple(e, c, [tcp(9042, v4=("11.0.0.0/8",))], "eni", "CQL from a wide public range")


@case(
    "udp-9042-not-cql",
    "the group allows udp 9042 from 0.0.0.0/0",
    ["unrestricted ingress on uncommon ports — udp 9042"],
    ["Cassandra finding (CQL is TCP only)"],
    LATENT,
)
def _(e, c):
    simple(e, c, [udp(9042, v4=(WORLD4,))], "sg-ids", "UDP 9042 open")


@case(
    "dse-5599-and-jmx",
    "the group allows tcp 5599 and tcp 7199 from 0.0.0.0/0 (two permissions)",
    ["Cassandra exposed — instance and group — tcp 5599 (DataStax Enterprise) and tcp 7199 (JMX)"],
    ["Cassandra finding for 9042"],
    LATENT,
)
def _(e, c):
    simple(
        e,
        c,
        [tcp(5599, v4=(WORLD4,)), tcp(7199, v4=(WORLD4,))],
        "eni",
        "DSE and JMX open",
    )


@case(
    "several-groups-union",
    "one instance with two groups: `several-groups-union-low-half` allows tcp 9160 from "
    "0.0.0.0/1, `several-groups-union-high-half` allows tcp 9160 from 128.0.0.0/1",
    ["Cassandra exposed — INSTANCE — tcp 9160 (Thrift), open to the world through the union of its two groups",
     "each group on its own: tcp 9160 open to a wide public range (half the internet)"],
    ["either group reported as open to the whole world on its own"],
    LATENT,
)
def _(e, c):
    low = e.group(c.name, f"{c.name}-low-half", "Thrift from 0.0.0.0/1", [tcp(9160, v4=("0.0.0.0/1",))])
    high = e.group(
        c.name, f"{c.name}-high-half", "Thrift from 128.0.0.0/1", [tcp(9160, v4=("128.0.0.0/1",))]
    )
    e.instance(c.name, c.name, [low, high], form="sg-ids")


@case(
    "secondary-eni-open",
    "instance whose primary interface (device 0) has `secondary-eni-open-eth0-private` "
    "(tcp 9042 from 10.0.0.0/8 only); a second interface, made with CreateNetworkInterface "
    "and attached as device 1, has `secondary-eni-open-eth1-world` (tcp 9042 from 0.0.0.0/0)",
    ["Cassandra exposed — instance (through its interface eth1) and group "
     "`secondary-eni-open-eth1-world` — tcp 9042"],
    ["a finding on `secondary-eni-open-eth0-private`"],
    LATENT,
)
def _(e, c):
    private = e.group(
        c.name, f"{c.name}-eth0-private", "CQL from private range", [tcp(9042, v4=("10.0.0.0/8",))]
    )
    world = e.group(c.name, f"{c.name}-eth1-world", "CQL open to the world", [tcp(9042, v4=(WORLD4,))])
    iid = e.instance(c.name, c.name, [private], form="sg-ids")
    eni_name = f"{c.name}-eth1"
    eni = e.ec2.create_network_interface(
        SubnetId=e.private_subnet,
        Groups=[world],
        Description="secondary interface with an open group",
        TagSpecifications=e.spec("network-interface", eni_name, c.name),
    )["NetworkInterface"]["NetworkInterfaceId"]
    e.ec2.attach_network_interface(NetworkInterfaceId=eni, InstanceId=iid, DeviceIndex=1)
    e.note(c.name, "network-interface", eni, eni_name)


@case(
    "unattached-open-group",
    "a group that allows tcp 9160 from 0.0.0.0/0, attached to nothing",
    ["Cassandra exposed — security group only — tcp 9160"],
    ["any instance finding"],
    reach("latent", "not-attached", "group level: the group is attached to nothing"),
)
def _(e, c):
    e.group(c.name, c.name, "Thrift open, unused", [tcp(9160, v4=(WORLD4,))])


@case(
    "stopped-instance-open",
    "instance whose group allows tcp 9042 from 0.0.0.0/0, then stopped",
    ["Cassandra exposed — group — tcp 9042",
     "instance: still a finding, with its state (stopped) shown — a stopped instance can be "
     "started again (a judgement call: the builder's reading, not yet a decided rule)"],
    [],
    reach(
        "latent",
        "instance-stopped",
        "the instance is stopped (it would also have no public address and no route to the "
        "internet gateway)",
    ),
)
def _(e, c):
    gid = e.group(c.name, c.name, "CQL open, instance stopped", [tcp(9042, v4=(WORLD4,))])
    iid = e.instance(c.name, c.name, [gid], form="sg-ids")
    e.ec2.stop_instances(InstanceIds=[iid])


@case(
    "terminated-instance",
    "instance with a group that allows tcp 9042 from 0.0.0.0/0, then terminated "
    "(the instance stays listed as terminated; its group remains)",
    ["Cassandra exposed — group — tcp 9042"],
    ["an instance finding for the terminated instance"],
    reach(
        "latent",
        "not-attached",
        "group level: its only instance is terminated, so the group is attached to nothing "
        "that can receive traffic",
    ),
)
def _(e, c):
    gid = e.group(c.name, c.name, "CQL open, instance terminated", [tcp(9042, v4=(WORLD4,))])
    iid = e.instance(c.name, c.name, [gid], form="eni")
    e.ec2.terminate_instances(InstanceIds=[iid])


@case(
    "ssh-open-to-world",
    "the group allows tcp 22 from 0.0.0.0/0",
    ["remote-admin port exposed — instance and group — tcp 22 (SSH)"],
    ["unrestricted ingress on uncommon ports (22 is common)", "Cassandra finding"],
    LATENT,
)
def _(e, c):
    simple(e, c, [tcp(22, v4=(WORLD4,))], "eni", "SSH open")


@case(
    "mysql-open-to-world",
    "the group allows tcp 3306 from 0.0.0.0/0",
    ["database port exposed — instance and group — tcp 3306 (MySQL)"],
    ["Cassandra finding"],
    LATENT,
)
def _(e, c):
    simple(e, c, [tcp(3306, v4=(WORLD4,))], "sg-ids", "MySQL open")


@case(
    "uncommon-8080-open",
    "the group allows tcp 8080 from 0.0.0.0/0",
    ["unrestricted ingress on uncommon ports — tcp 8080"],
    ["Cassandra finding"],
    LATENT,
)
def _(e, c):
    simple(e, c, [tcp(8080, v4=(WORLD4,))], "eni", "HTTP alt open")


@case(
    "icmp-open-to-world",
    "the group allows icmp (all types and codes, FromPort/ToPort -1) from 0.0.0.0/0",
    [],
    ["any port finding (ICMP has types and codes, not ports)"],
    LATENT,
)
def _(e, c):
    simple(e, c, [perm("icmp", -1, -1, v4=(WORLD4,))], "sg-ids", "ICMP open")


@case(
    "https-open-to-world",
    "the group allows tcp 443 from 0.0.0.0/0",
    [],
    ["any finding (443 is a common port)"],
    LATENT,
)
def _(e, c):
    simple(e, c, [tcp(443, v4=(WORLD4,))], "eni", "HTTPS open")


@case(
    "closed-everything",
    "instance whose only group has no ingress rule at all (default egress only)",
    [],
    ["any finding"],
    "not exposed",
)
def _(e, c):
    simple(e, c, [], "eni", "No ingress")


@case(
    "shared-rule-public-and-private",
    "one permission on tcp 9042 with two IpRanges: 10.0.0.0/8 and 0.0.0.0/0",
    ["Cassandra exposed — instance and group — tcp 9042 from 0.0.0.0/0 "
     "(the source named is 0.0.0.0/0; 10.0.0.0/8 is not the reason)"],
    [],
    LATENT,
)
def _(e, c):
    simple(e, c, [tcp(9042, v4=("10.0.0.0/8", WORLD4))], "sg-ids", "CQL from private and world")


EIP_ADDRESS = "54.240.197.10"


@case(
    "eip-on-cassandra-node",
    f"running instance in the PUBLIC subnet (route 0.0.0.0/0 and ::/0 to the internet gateway); "
    f"its group allows tcp 9042 from 0.0.0.0/0; Elastic IP {EIP_ADDRESS} associated with its "
    f"primary interface",
    ["Cassandra exposed — instance and group — tcp 9042"],
    [],
    reach(
        "reachable",
        None,
        f"over IPv4 at {EIP_ADDRESS}: Elastic IP on the ENI, public route table with "
        f"0.0.0.0/0 to the internet gateway, default ACL allows all",
    ),
)
def _(e, c):
    gid = e.group(c.name, c.name, "CQL open, node with an Elastic IP", [tcp(9042, v4=(WORLD4,))])
    iid = e.instance(c.name, c.name, [gid], form="eni", public=True)
    eni = e.ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0][
        "NetworkInterfaces"
    ][0]["NetworkInterfaceId"]
    alloc = e.ec2.allocate_address(
        Domain="vpc",
        Address=EIP_ADDRESS,
        TagSpecifications=e.spec("elastic-ip", c.name, c.name),
    )["AllocationId"]
    e.ec2.associate_address(AllocationId=alloc, NetworkInterfaceId=eni)
    e.note(c.name, "elastic-ip", alloc, c.name)


# --------------------------------------------------------------------------
# Reachability cases: each in network of its own (its own subnet, route table and,
# where it matters, network ACL or VPC), so that no other case changes its verdict.
# Each has one group named after the case that opens tcp 9042 (CQL) to the internet.

CQL_WORLD4 = [tcp(9042, v4=(WORLD4,))]
CQL_WORLD6 = [tcp(9042, v6=(WORLD6,))]
TO_IGW4 = {"DestinationCidrBlock": WORLD4}
TO_IGW6 = {"DestinationIpv6CidrBlock": WORLD6}


def to_igw(e: Estate, *dests: dict) -> list[dict]:
    return [{**d, "GatewayId": e.igw_id} for d in (dests or (TO_IGW4,))]


def acl_entry(
    rule: int,
    action: str,
    *,
    egress: bool,
    proto: str = "-1",
    ports: tuple[int, int] | None = None,
    v4: str | None = None,
    v6: str | None = None,
) -> dict:
    """One CreateNetworkAclEntry (protocol "-1" all, "6" tcp, "17" udp)."""
    entry: dict = {"RuleNumber": rule, "RuleAction": action, "Egress": egress, "Protocol": proto}
    if ports:
        entry["PortRange"] = {"From": ports[0], "To": ports[1]}
    if v6:
        entry["Ipv6CidrBlock"] = v6
    else:
        entry["CidrBlock"] = v4 or WORLD4
    return entry


ALLOW_ALL_IN = acl_entry(100, "allow", egress=False)
ALLOW_ALL_OUT = acl_entry(100, "allow", egress=True)


def eip(n: int) -> str:
    """The n-th explicit, public-looking Elastic IP of the reachability cases."""
    return f"54.240.197.{10 + n}"


def public_subnet(e: Estate, c: Case, cidr: str, **kw) -> str:
    """A case subnet whose own route table sends 0.0.0.0/0 to the estate's internet gateway."""
    sid = e.subnet(c.name, f"{c.name}-public-subnet", cidr, **kw)
    e.route_table(c.name, f"{c.name}-routes-to-igw", sid, to_igw(e))
    return sid


def cql_node(e: Estate, c: Case, subnet: str, *, address: str | None, form: str = "eni") -> str:
    """The case's open group on one instance in `subnet`, with an Elastic IP on its
    primary interface if `address`."""
    gid = e.group(c.name, c.name, "CQL open to the world", CQL_WORLD4)
    iid = e.instance(c.name, c.name, [gid], form=form, subnet=subnet)
    if address:
        e.elastic_ip(c.name, c.name, address, e.primary_interface(iid))
    return iid


@case(
    "reach-no-public-ip",
    "instance in a subnet of its own whose route table sends 0.0.0.0/0 to the attached "
    "internet gateway (a public subnet), launched without a public IPv4 and no Elastic IP; "
    "its group allows tcp 9042 from 0.0.0.0/0",
    ["Cassandra exposed — instance and group — tcp 9042"],
    [],
    reach("latent", "no-public-address", "the route to the internet gateway is there, but the "
          "interface has no public IPv4 address"),
)
def _(e, c):
    cql_node(e, c, public_subnet(e, c, "10.0.10.0/24"), address=None)


@case(
    "reach-eip-no-igw-route",
    f"instance with Elastic IP {eip(1)} in a subnet of its own whose route table sends "
    "0.0.0.0/0 to a NAT gateway (`reach-eip-no-igw-route-nat`, itself in a public subnet with "
    f"Elastic IP {eip(20)}), not to the internet gateway; its group allows tcp 9042 from 0.0.0.0/0",
    ["Cassandra exposed — instance and group — tcp 9042"],
    [],
    reach("latent", "no-igw-route", "the interface has a public address, but its subnet's route "
          "table sends the replies to a NAT gateway, which admits no inbound connection"),
)
def _(e, c):
    nat_subnet = e.subnet(c.name, f"{c.name}-nat-subnet", "10.0.12.0/24")
    e.route_table(c.name, f"{c.name}-nat-subnet-routes-to-igw", nat_subnet, to_igw(e))
    nat_alloc = e.ec2.allocate_address(
        Domain="vpc",
        Address=eip(20),
        TagSpecifications=e.spec("elastic-ip", f"{c.name}-nat", c.name),
    )["AllocationId"]
    e.note(c.name, "elastic-ip", nat_alloc, f"{c.name}-nat {eip(20)}")
    nat = e.ec2.create_nat_gateway(
        SubnetId=nat_subnet,
        AllocationId=nat_alloc,
        TagSpecifications=e.spec("natgateway", f"{c.name}-nat", c.name),
    )["NatGateway"]["NatGatewayId"]
    e.note(c.name, "nat-gateway", nat, f"{c.name}-nat")
    sid = e.subnet(c.name, f"{c.name}-subnet", "10.0.11.0/24")
    e.route_table(
        c.name,
        f"{c.name}-routes-to-nat",
        sid,
        [{"DestinationCidrBlock": WORLD4, "NatGatewayId": nat}],
    )
    cql_node(e, c, sid, address=eip(1))


@case(
    "reach-main-table-scoped-to-vpc",
    f"VPC `reach-main-table-scoped-to-vpc` (10.30.0.0/16) with NO internet gateway; its subnet "
    "has no explicit route-table association, so it uses its own VPC's main table (local route "
    "only). In the same region, VPC `reach-main-table-scoped-to-vpc-decoy` (10.31.0.0/16) has "
    "an internet gateway and its MAIN route table sends 0.0.0.0/0 to it (and so does the VPC of "
    f"`reach-main-table-public`). The instance has Elastic IP {eip(2)}; its group allows tcp "
    "9042 from 0.0.0.0/0. (moto lets an Elastic IP be associated in a VPC with no internet "
    "gateway; AWS refuses that association, so an AWS estate shows the same verdict with an "
    "internet gateway attached that no route uses)",
    ["Cassandra exposed — instance and group — tcp 9042"],
    ["calling it reachable because another VPC's main table routes to an internet gateway "
     "(Prowler's region-wide main-table lookup does)"],
    reach("latent", "no-igw-route", "the subnet's route table is the main table of ITS OWN VPC, "
          "which has only the local route"),
)
def _(e, c):
    decoy = e.vpc(c.name, f"{c.name}-decoy", "10.31.0.0/16")
    decoy_igw = e.internet_gateway(c.name, f"{c.name}-decoy-igw", decoy)
    decoy_main = e.main_route_table(decoy)
    e.ec2.create_route(RouteTableId=decoy_main, DestinationCidrBlock=WORLD4, GatewayId=decoy_igw)
    e.ec2.create_tags(
        Resources=[decoy_main], Tags=e.tags(f"{c.name}-decoy-main-routes-to-igw", c.name)
    )
    e.note(c.name, "route-table", decoy_main, f"{c.name}-decoy-main-routes-to-igw")

    vpc = e.vpc(c.name, c.name, "10.30.0.0/16")
    main = e.main_route_table(vpc)
    e.ec2.create_tags(Resources=[main], Tags=e.tags(f"{c.name}-main-local-only", c.name))
    e.note(c.name, "route-table", main, f"{c.name}-main-local-only")
    sid = e.subnet(c.name, f"{c.name}-subnet-on-main-table", "10.30.1.0/24", vpc=vpc)
    gid = e.group(c.name, c.name, "CQL open to the world", CQL_WORLD4, vpc=vpc)
    iid = e.instance(c.name, c.name, [gid], form="eni", subnet=sid)
    e.elastic_ip(c.name, c.name, eip(2), e.primary_interface(iid))


@case(
    "reach-main-table-public",
    "VPC `reach-main-table-public` (10.20.0.0/16) with an attached internet gateway; its MAIN "
    "route table sends 0.0.0.0/0 to it; its subnet has no explicit association (so the main "
    f"table). The instance has Elastic IP {eip(3)}; its group allows tcp 9042 from 0.0.0.0/0",
    ["Cassandra exposed — instance and group — tcp 9042"],
    [],
    reach("reachable", None, "Elastic IP, the main table of the subnet's VPC routes 0.0.0.0/0 to "
          "its internet gateway, that VPC's default ACL allows all"),
)
def _(e, c):
    vpc = e.vpc(c.name, c.name, "10.20.0.0/16")
    igw = e.internet_gateway(c.name, f"{c.name}-igw", vpc)
    main = e.main_route_table(vpc)
    e.ec2.create_route(RouteTableId=main, DestinationCidrBlock=WORLD4, GatewayId=igw)
    e.ec2.create_tags(Resources=[main], Tags=e.tags(f"{c.name}-main-routes-to-igw", c.name))
    e.note(c.name, "route-table", main, f"{c.name}-main-routes-to-igw")
    sid = e.subnet(c.name, f"{c.name}-subnet-on-main-table", "10.20.1.0/24", vpc=vpc)
    gid = e.group(c.name, c.name, "CQL open to the world", CQL_WORLD4, vpc=vpc)
    iid = e.instance(c.name, c.name, [gid], form="eni", subnet=sid)
    e.elastic_ip(c.name, c.name, eip(3), e.primary_interface(iid))


@case(
    "reach-nacl-deny-before-allow",
    "public subnet of its own (0.0.0.0/0 to the internet gateway) with network ACL "
    "`reach-nacl-deny-before-allow-acl`: inbound rule 90 denies tcp 9042 from 0.0.0.0/0, rule "
    f"100 allows all; outbound rule 100 allows all. Elastic IP {eip(4)}; the group allows tcp "
    "9042 from 0.0.0.0/0",
    ["Cassandra exposed — instance and group — tcp 9042"],
    [],
    reach("blocked", "nacl-inbound-deny", "inbound rule 90 denies the request before rule 100 "
          "would allow it (lowest rule number first, first match wins)"),
)
def _(e, c):
    sid = public_subnet(e, c, "10.0.13.0/24")
    e.network_acl(
        c.name,
        f"{c.name}-acl",
        sid,
        [
            acl_entry(90, "deny", egress=False, proto="6", ports=(9042, 9042)),
            ALLOW_ALL_IN,
            ALLOW_ALL_OUT,
        ],
    )
    cql_node(e, c, sid, address=eip(4))


@case(
    "reach-nacl-no-return",
    "public subnet of its own with network ACL `reach-nacl-no-return-acl`: inbound rule 100 "
    "allows all; outbound only rule 100 allowing tcp 443 to 0.0.0.0/0 (then the `*` deny). "
    f"Elastic IP {eip(5)}; the group allows tcp 9042 from 0.0.0.0/0",
    ["Cassandra exposed — instance and group — tcp 9042"],
    [],
    reach("blocked", "nacl-return-deny", "the request gets in, but the replies to the client's "
          "ephemeral ports (1024-65535) meet the outbound `*` deny (network ACLs are stateless)"),
)
def _(e, c):
    sid = public_subnet(e, c, "10.0.14.0/24")
    e.network_acl(
        c.name,
        f"{c.name}-acl",
        sid,
        [ALLOW_ALL_IN, acl_entry(100, "allow", egress=True, proto="6", ports=(443, 443))],
    )
    cql_node(e, c, sid, address=eip(5))


@case(
    "reach-nacl-partial",
    "public subnet of its own with network ACL `reach-nacl-partial-acl`: inbound rule 90 "
    "denies tcp 9042 from 0.0.0.0/1, rule 100 allows all; outbound rule 100 allows all. "
    f"Elastic IP {eip(6)}; the group allows tcp 9042 from 0.0.0.0/0",
    ["Cassandra exposed — instance and group — tcp 9042"],
    [],
    reach("reachable", None, "but only from 128.0.0.0/1: the ACL denies the lower half of the "
          "internet (`reachable_sources` is narrower than `sources`)"),
)
def _(e, c):
    sid = public_subnet(e, c, "10.0.15.0/24")
    e.network_acl(
        c.name,
        f"{c.name}-acl",
        sid,
        [
            acl_entry(90, "deny", egress=False, proto="6", ports=(9042, 9042), v4="0.0.0.0/1"),
            ALLOW_ALL_IN,
            ALLOW_ALL_OUT,
        ],
    )
    cql_node(e, c, sid, address=eip(6))


@case(
    "reach-ipv6-only-path",
    "instance with one IPv6 address and no public IPv4 in a subnet of its own (10.0.16.0/24 + "
    "an IPv6 /64) whose route table has only ::/0 to the internet gateway (no IPv4 default "
    "route), and network ACL `reach-ipv6-only-path-acl` with only IPv6 entries: rule 101 "
    "allows all from and to ::/0 (AWS's rule 101 of an IPv6 VPC's default ACL, which moto "
    "does not create); its group allows tcp 9042 from ::/0 only",
    ["Cassandra exposed — instance and group — tcp 9042 from ::/0 (IPv6)"],
    ["an IPv4 source in the finding"],
    reach("reachable", None, "over IPv6 only: IPv6 address, ::/0 to the internet gateway, ACL "
          "rule 101 in and out"),
)
def _(e, c):
    sid = e.subnet(c.name, f"{c.name}-subnet", "10.0.16.0/24", ipv6=16)
    e.route_table(c.name, f"{c.name}-routes-v6-to-igw", sid, to_igw(e, TO_IGW6))
    e.network_acl(
        c.name,
        f"{c.name}-acl",
        sid,
        [
            acl_entry(101, "allow", egress=False, v6=WORLD6),
            acl_entry(101, "allow", egress=True, v6=WORLD6),
        ],
    )
    gid = e.group(c.name, c.name, "CQL open to all IPv6", CQL_WORLD6)
    e.instance(c.name, c.name, [gid], form="sg-ids", subnet=sid, ipv6=True)


@case(
    "reach-egress-only-igw",
    "instance with one IPv6 address and no public IPv4 in a subnet of its own (+ an IPv6 /64) "
    "whose route table sends ::/0 to an egress-only internet gateway "
    "(`reach-egress-only-igw-eigw`); the estate's default ACL (allows ::/0, rule 101); its "
    "group allows tcp 9042 from ::/0",
    ["Cassandra exposed — instance and group — tcp 9042 from ::/0 (IPv6)"],
    [],
    reach("latent", "egress-only-igw", "an egress-only internet gateway lets the instance out "
          "but admits no connection from the internet"),
)
def _(e, c):
    eigw = e.ec2.create_egress_only_internet_gateway(
        VpcId=e.vpc_id,
        TagSpecifications=e.spec("egress-only-internet-gateway", f"{c.name}-eigw", c.name),
    )["EgressOnlyInternetGateway"]["EgressOnlyInternetGatewayId"]
    e.note(c.name, "egress-only-internet-gateway", eigw, f"{c.name}-eigw")
    sid = e.subnet(c.name, f"{c.name}-subnet", "10.0.17.0/24", ipv6=17)
    e.route_table(
        c.name,
        f"{c.name}-routes-v6-to-eigw",
        sid,
        [{"DestinationIpv6CidrBlock": WORLD6, "EgressOnlyInternetGatewayId": eigw}],
    )
    gid = e.group(c.name, c.name, "CQL open to all IPv6", CQL_WORLD6)
    e.instance(c.name, c.name, [gid], form="sg-ids", subnet=sid, ipv6=True)


@case(
    "reach-eip-on-secondary-eni",
    "instance whose primary interface (device 0) is in a private subnet of its own (local "
    "route only), without a public address, with group `reach-eip-on-secondary-eni-private` "
    "(tcp 9042 from 10.0.0.0/8); a second interface `reach-eip-on-secondary-eni-eth1` "
    "(CreateNetworkInterface, attached as device 1) in a public subnet of its own, with group "
    f"`reach-eip-on-secondary-eni-world` (tcp 9042 from 0.0.0.0/0) and Elastic IP {eip(7)}",
    ["Cassandra exposed — instance (through eth1) and group `reach-eip-on-secondary-eni-world` "
     "— tcp 9042"],
    ["a finding on `reach-eip-on-secondary-eni-private`"],
    reach("reachable", None, "through the SECONDARY interface: its Elastic IP, its public "
          "subnet's route to the internet gateway; the path names eth1"),
)
def _(e, c):
    private_sid = e.subnet(c.name, f"{c.name}-private-subnet", "10.0.18.0/24")
    e.route_table(c.name, f"{c.name}-routes-local-only", private_sid, [])
    public_sid = public_subnet(e, c, "10.0.19.0/24")
    private = e.group(
        c.name, f"{c.name}-private", "CQL from private range", [tcp(9042, v4=("10.0.0.0/8",))]
    )
    world = e.group(c.name, f"{c.name}-world", "CQL open to the world", CQL_WORLD4)
    iid = e.instance(c.name, c.name, [private], form="eni", subnet=private_sid)
    eni_name = f"{c.name}-eth1"
    eni = e.ec2.create_network_interface(
        SubnetId=public_sid,
        Groups=[world],
        Description="secondary interface in a public subnet with an open group",
        TagSpecifications=e.spec("network-interface", eni_name, c.name),
    )["NetworkInterface"]["NetworkInterfaceId"]
    e.ec2.attach_network_interface(NetworkInterfaceId=eni, InstanceId=iid, DeviceIndex=1)
    e.note(c.name, "network-interface", eni, eni_name)
    e.elastic_ip(c.name, c.name, eip(7), eni)


@case(
    "reach-stopped-with-eip",
    f"instance with Elastic IP {eip(8)} in a public subnet of its own, its group allowing tcp "
    "9042 from 0.0.0.0/0; then stopped (the Elastic IP stays associated)",
    ["Cassandra exposed — group — tcp 9042",
     "instance: still a finding, with its state (stopped) shown"],
    [],
    reach("latent", "instance-stopped", "everything else is in place: starting the instance "
          "makes it reachable"),
)
def _(e, c):
    iid = cql_node(e, c, public_subnet(e, c, "10.0.20.0/24"), address=eip(8))
    e.ec2.stop_instances(InstanceIds=[iid])


# --------------------------------------------------------------------------
# CASES.md


def md_escape(s: str) -> str:
    return s.replace("|", "\\|")


def cases_md(e: Estate) -> str:
    lines = [
        "# The ringfence example estate",
        "",
        "Built by `scripts/build-estate.py` in a moto EC2 server (reset and seeded first), "
        "exported by `scripts/export-snapshot` with the AWS CLI into `"
        + e.region
        + "/`; regenerate with `scripts/regen-example`. The JSON files are exactly what "
        "`aws ec2 <command>` printed.",
        "",
        "## The network",
        "",
        f"- VPC `{e.vpc_id}` 10.0.0.0/16 with an Amazon-provided IPv6 /56 "
        "(Name `ringfence-estate-vpc`).",
        f"- Internet gateway `{e.igw_id}` attached to it.",
        f"- Public subnet `{e.public_subnet}` 10.0.1.0/24 + an IPv6 /64 "
        "(Name `public-subnet-routed-to-igw`): explicitly associated with route table "
        "`public-routes-to-igw` (0.0.0.0/0 and ::/0 to the internet gateway). "
        "No public IPv4 on launch.",
        f"- Private subnet `{e.private_subnet}` 10.0.2.0/24 + an IPv6 /64 "
        "(Name `private-subnet-no-igw-route`): no explicit association, so the VPC's main "
        "route table (`main-routes-local-only`, local routes only).",
        "- The VPC's default network ACL allows everything; moto does not add AWS's IPv6 "
        "rule 101 (allow ::/0 in and out), so the builder adds it.",
        "- Every case resource has the tags `Name` and `ringfence-case` = the case name. "
        "Instances and interfaces are in the private subnet unless the case says PUBLIC or "
        "(the `reach-*` cases) builds a subnet of its own.",
        "- Also present, as moto creates them: the region's default VPC (172.31.0.0/16) with "
        "its default subnets, main route table (local route only — moto gives it no internet "
        "gateway), ACL and `default` group; the estate VPC's own `default` group; the "
        "AWS-managed prefix lists (s3, dynamodb, cloudfront, ...). Built in a fresh server "
        "(as `scripts/regen-example` does) every id is the same from build to build; only "
        "timestamps change.",
        "",
        "Where moto's output differs from AWS (the snapshot keeps it as printed):",
        "",
        "- Both `default` groups have no ingress rule (AWS: all traffic from the group itself).",
        "- An instance launched with `NetworkInterfaces=[{..., Groups}]` has an empty top-level "
        "`SecurityGroups` in describe-instances; the groups are on its interfaces.",
        "- An interface attached to an instance with AttachNetworkInterface also lists the "
        "instance's groups (`secondary-eni-open-eth1` shows both `-eth0-private` and "
        "`-eth1-world`); AWS keeps only the interface's own groups. Same exposure either way.",
        "- describe-addresses has `\"InstanceId\": \"\"` for the Elastic IP associated through "
        "its interface; use `NetworkInterfaceId`/`AssociationId`.",
        "- describe-subnets prints `Ipv6CidrBlockState.State` as the string "
        "`\"{'State': 'associated'}\"`.",
        "- Interfaces made by RunInstances with `SecurityGroupIds` have "
        "`DeleteOnTermination: false` (AWS: true).",
        "- The terminated instance still lists its (deleted) interface in describe-instances; "
        "AWS lists none. describe-network-interfaces no longer has it.",
        "- The NAT gateway's interface (`reach-eip-no-igw-route`) has `InterfaceType` "
        "`interface`, no tags, a private address outside its subnet and the VPC's `default` "
        "group; AWS: `nat_gateway`, an address in the subnet, no security group.",
        "- An Elastic IP can be associated in a VPC without an internet gateway "
        "(`reach-main-table-scoped-to-vpc`); AWS refuses.",
        "- The custom network ACLs (`reach-*-acl`) list no `*` (rule 32767) deny entries; "
        "AWS lists them. Whatever no entry allows is denied either way.",
        "",
        "Findings are described by family, not by check id: *Cassandra exposed* (instance "
        "and/or security group), *uncommon ports* (unrestricted ingress on ports that are "
        "neither common nor catalogued), *all ports / all protocols*, *database* and "
        "*remote-admin* ports. Whether a catalogued port (Cassandra, database, admin) also "
        "counts as uncommon is left to the port catalog; the cases only assert it where the "
        "port is neither. 'Must not report' lists what a correct scan does not say. "
        "Both lists are about *ingress exposure* (capability 1): every group here keeps the "
        "default allow-all egress rule, so hygiene checks (capability 6, e.g. unrestricted "
        "egress) will have findings the lists do not mention.",
        "",
        "Reachability (capability 3), per case: the verdict for the instance's open port(s) "
        "(for a group-only case, the group's), in `exposure.reachability`, and for a verdict "
        "other than reachable the code in `exposure.reason`. *reachable* = the internet gets "
        "through now (public address, route to an internet gateway, network ACL in and out); "
        "*latent* = open group, no path from the internet today, one change away "
        "(`no-public-address`, `no-igw-route`, `egress-only-igw`, `instance-stopped`, "
        "`not-attached`); *blocked* = a network ACL stops the request (`nacl-inbound-deny`) "
        "or the reply (`nacl-return-deny`); *unknown* = data missing (`missing-data`). The "
        "`reach-*` cases each have a network of their own (subnet, route table, ACL or VPC), "
        "so that no other case changes their verdict.",
        "",
        "## Cases",
        "",
    ]
    for c in CASES:
        lines.append(f"### `{c.name}`")
        lines.append("")
        lines.append(f"- **Setup:** {c.setup}.")
        if c.expect:
            lines.append("- **Expected findings:**")
            lines.extend(f"  - {x}" for x in c.expect)
        else:
            lines.append("- **Expected findings:** none.")
        if c.must_not:
            lines.append("- **Must not report:**")
            lines.extend(f"  - {x}" for x in c.must_not)
        lines.append(f"- **Reachability:** {c.reach}.")
        res = e.resources.get(c.name, [])
        if res:
            lines.append("- **Resources:** " + ", ".join(f"{k} `{i}` ({n})" for k, i, n in res))
        lines.append("")
    lines.append(HYGIENE_MD)
    lines.append("## Summary")
    lines.append("")
    lines.append("| case | expected | must not | reachability |")
    lines.append("|---|---|---|---|")
    for c in CASES:
        exp = "; ".join(c.expect) if c.expect else "none"
        verdict = c.reach.split(":", 1)[0] if c.reach.startswith("**") else c.reach
        lines.append(
            f"| `{c.name}` | {md_escape(exp)} | {md_escape('; '.join(c.must_not)) or '—'} "
            f"| {md_escape(verdict)} |"
        )
    lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# The audit trail (hygiene checks, capability 6)

AUDIT_BUCKET = "ringfence-estate-audit"
TRAIL = "ringfence-estate-trail"


def build_audit_trail(e: Estate, endpoint: str) -> None:
    """A flow log on the estate VPC only, a multi-region trail that logs, and an AWS
    Config recorder that records: the estate VPC passes, every other VPC (the default
    VPC, the `reach-*` VPCs) fails `vpc_flow_logs_enabled`; CloudTrail and Config pass."""
    kw = dict(
        endpoint_url=endpoint,
        region_name=e.region,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
    )
    s3 = boto3.client("s3", **kw)
    s3.create_bucket(Bucket=AUDIT_BUCKET)
    made = e.ec2.create_flow_logs(
        ResourceIds=[e.vpc_id], ResourceType="VPC", TrafficType="ALL",
        LogDestinationType="s3", LogDestination=f"arn:aws:s3:::{AUDIT_BUCKET}",
        TagSpecifications=[{"ResourceType": "vpc-flow-log",
                            "Tags": [{"Key": "Name", "Value": "estate-vpc-flow-log"}]}],
    )
    if made.get("Unsuccessful"):
        raise SystemExit(f"build-estate: create_flow_logs failed: {made['Unsuccessful']}")
    cloudtrail = boto3.client("cloudtrail", **kw)
    cloudtrail.create_trail(Name=TRAIL, S3BucketName=AUDIT_BUCKET, IsMultiRegionTrail=True)
    cloudtrail.start_logging(Name=TRAIL)
    config = boto3.client("config", **kw)
    config.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": "arn:aws:iam::123456789012:role/aws-config",
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}})
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": AUDIT_BUCKET})
    config.start_configuration_recorder(ConfigurationRecorderName="default")


HYGIENE_MD = """## Hygiene (capability 6)

What the security-group hygiene checks that run by default report on this estate
(the exposure lists above do not mention them; `crates/cli/tests/common.rs`,
`assert_expected_hygiene_findings`, holds the same table):

| check | fails on (by `Name`) | why |
|---|---|---|
| `ec2_securitygroup_not_used` | `group-reference-only-clients`, `terminated-instance`, `unattached-open-group` | attached to no network interface (the terminated instance's interface is gone) |
| `ec2_securitygroup_default_restrict_traffic` | every `default` group | moto keeps AWS's allow-all egress rule on each (graded low while nothing uses the group, medium for the estate VPC's, which the NAT gateway's interface carries) |
| `ec2_securitygroup_wide_port_range_to_public` | `all-tcp-ports-open`, `all-traffic-open`, `cassandra-range-7000-7199-open` | more than 10 ports open to public addresses |
| `ec2_securitygroup_cassandra_internode_from_outside_cluster` | `all-tcp-ports-open`, `all-traffic-open`, `cassandra-range-7000-7199-open`, `dse-5599-and-jmx` | 7000/7001/7199/5599 admitted from 0.0.0.0/0, not from the cluster's own group |
| `ec2_securitygroup_rules_overlap` | `shared-rule-public-and-private`, `secondary-eni-open-eth0-private` | tcp/9042 from 10.0.0.0/8 overridden by tcp/9042 from 0.0.0.0/0 (in the same group; in `-eth1-world` on the same interface) |
| `ec2_instance_udp_icmp_from_outside_vpc` | `icmp-open-to-world`, `udp-9042-not-cql`, `all-traffic-open` | instances without a public address admitting ICMP / UDP from 0.0.0.0/0 |

Quiet by default on this estate: `ec2_instance_uses_default_security_group` (no instance is
in a `default` group), `ec2_instance_too_many_security_groups` (at most 2 per instance). The
naming-convention and bastion checks judge nothing without their config keys.

Opt-in checks, when asked for: `ec2_securitygroup_egress_unrestricted` and
`ec2_securitygroup_egress_ftp_to_internet` fail on every group (each keeps the allow-all
egress rule); `ec2_securitygroup_name_reveals_details` (built-in words)
fails on the five groups whose name or description names the database they protect:
`cassandra-cql-open-to-world`, `cassandra-range-7000-7199-open`, `eip-on-cassandra-node`,
`group-reference-only-clients` (description "Cassandra clients") and `mysql-open-to-world`;
`ec2_securitygroup_sensitive_service_on_default_port` fails on every group whose rule is made
for a catalogued service on its well-known port (most Cassandra cases: 9042, 7000, ...).

The audit trail (exported with the AWS CLI like the rest: `describe-flow-logs.json`,
`describe-trails.json`, `get-trail-status/{trail}.json`, `describe-configuration-recorders.json`,
`describe-configuration-recorder-status.json`):

- a flow log (ACTIVE, to S3) on the estate VPC only: `vpc_flow_logs_enabled` passes it and
  fails the default VPC and each `reach-*` case's own VPC;
- a multi-region trail `{trail}` that is logging: `cloudtrail_multi_region_enabled` passes;
- an AWS Config recorder `default` that records all supported types:
  `config_recorder_all_regions_enabled` passes.
""".replace("{trail}", TRAIL)


# --------------------------------------------------------------------------
# Main


def post(endpoint: str, path: str) -> None:
    req = urllib.request.Request(endpoint.rstrip("/") + path, data=b"", method="POST")
    with urllib.request.urlopen(req, timeout=30) as r:
        r.read()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--endpoint", default=os.environ.get("RINGFENCE_MOTO_ENDPOINT"),
                    help="moto server URL (default: $RINGFENCE_MOTO_ENDPOINT)")
    ap.add_argument("--region", default="us-east-1")
    ap.add_argument("--out", type=Path, help="export the snapshot folder here (DIR/<region>/ + DIR/CASES.md)")
    ap.add_argument("--allow-remote", action="store_true",
                    help="allow an endpoint that is not 127.0.0.1/localhost")
    ap.add_argument("--list", action="store_true", help="print the case names and exit")
    args = ap.parse_args(argv)

    if args.list:
        for c in CASES:
            print(c.name)
        return 0
    if not args.endpoint:
        ap.error("no endpoint: pass --endpoint or set RINGFENCE_MOTO_ENDPOINT (scripts/with-moto does)")
    host = urllib.parse.urlparse(args.endpoint).hostname
    if host not in ("127.0.0.1", "localhost", "::1") and not args.allow_remote:
        ap.error(f"refusing to build the test estate at {args.endpoint}: not a local moto server")

    try:
        post(args.endpoint, "/moto-api/reset")
        post(args.endpoint, f"/moto-api/seed?a={SEED}")
    except (urllib.error.URLError, OSError) as err:
        print(f"build-estate: cannot reach moto at {args.endpoint}: {err}", file=sys.stderr)
        return 1

    ec2 = boto3.client(
        "ec2",
        endpoint_url=args.endpoint,
        region_name=args.region,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
    )
    e = Estate(ec2=ec2, region=args.region)
    build_network(e)
    for c in CASES:
        c.build(e, c)
    # Last, so that the EC2 ids above stay what they were before the audit trail existed.
    build_audit_trail(e, args.endpoint)
    print(f"build-estate: {len(CASES)} cases built in {args.region} at {args.endpoint}", file=sys.stderr)

    if args.out:
        out: Path = args.out
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(SCRIPTS / "export-snapshot"), "--endpoint", args.endpoint,
             "--region", args.region, str(out)],
            check=True,
        )
        tmp = out / "CASES.md.tmp"
        tmp.write_text(cases_md(e), encoding="utf-8")
        tmp.replace(out / "CASES.md")
        print(f"build-estate: wrote {out / 'CASES.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
