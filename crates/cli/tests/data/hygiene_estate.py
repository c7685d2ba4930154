"""Builds the hygiene cases of crates/cli/tests/hygiene_moto.rs in a moto server, with boto3.

    python hygiene_estate.py ENDPOINT build     # the groups, instances, flow log, trail, recorder
    python hygiene_estate.py ENDPOINT start     # start the trail's logging and the recorder

Every case is named after what it shows; `hy-` groups and instances fail or pass the check
their name says (the test holds the table). Prints the ids as JSON.
"""
import json
import sys

import boto3

endpoint, step = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=endpoint, region_name="us-east-1",
          aws_access_key_id="testing", aws_secret_access_key="testing")
ec2 = boto3.client("ec2", **kw)
s3 = boto3.client("s3", **kw)
cloudtrail = boto3.client("cloudtrail", **kw)
config = boto3.client("config", **kw)
AMI = ec2.describe_images()["Images"][0]["ImageId"]

if step == "start":
    cloudtrail.start_logging(Name="hy-org-trail")
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    print("{}")
    sys.exit(0)

vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
default_group = ec2.describe_security_groups(
    Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}]
)["SecurityGroups"][0]["GroupId"]
# The estate VPC's default group emptied (CIS 5.4): only the default VPC's keeps its rules.
ec2.revoke_security_group_egress(GroupId=default_group, IpPermissions=[
    {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])

ids = {"hy-vpc-default-group": default_group}


def group(name, ingress=(), egress=None):
    gid = ec2.create_security_group(GroupName=name, Description=f"case {name}", VpcId=vpc)["GroupId"]
    ids[name] = gid
    if ingress:
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=list(ingress))
    if egress is not None:
        ec2.revoke_security_group_egress(GroupId=gid, IpPermissions=[
            {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        if egress:
            ec2.authorize_security_group_egress(GroupId=gid, IpPermissions=list(egress))
    return gid


def tcp(port, to=None, cidrs=(), groups=()):
    return {"IpProtocol": "tcp", "FromPort": port, "ToPort": port if to is None else to,
            "IpRanges": [{"CidrIp": c} for c in cidrs],
            "UserIdGroupPairs": [{"GroupId": g} for g in groups]}


def instance(name, groups):
    iid = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                            SubnetId=subnet, SecurityGroupIds=list(groups),
                            TagSpecifications=[{"ResourceType": "instance",
                                                "Tags": [{"Key": "Name", "Value": name}]}]
                            )["Instances"][0]["InstanceId"]
    ids[name] = iid
    return iid


web = group("hy-used-web", [tcp(443, cidrs=["0.0.0.0/0"])])
group("hy-unused")
bastion = group("hy-bastion", [tcp(22, cidrs=["198.51.100.0/24"])])
overlap = group("hy-overlap", [tcp(22, cidrs=["10.0.5.0/24"]), tcp(0, 65535, cidrs=["10.0.0.0/8"])])
group("hy-wide-range", [tcp(1024, 65535, cidrs=["52.95.110.0/24"])])
ping = group("hy-ping-world", [{"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1,
                                "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
group("hy-egress-locked", egress=[tcp(443, cidrs=["0.0.0.0/0"])])
group("hy-ssh-vpc-wide", [tcp(22, cidrs=["10.0.0.0/16"])])
group("hy-ssh-from-bastion", [tcp(22, groups=[bastion])])
ring = group("hy-cassandra-ring", [tcp(7000, 7001, cidrs=["10.0.0.0/16"])])
good_ring = group("hy-cassandra-good")
ec2.authorize_security_group_ingress(GroupId=good_ring, IpPermissions=[tcp(7000, 7001, groups=[good_ring])])
group("hy-prod-db-ubuntu")
group("launch-wizard-1")
extra = [group(f"hy-role-{i}") for i in range(1, 6)]

instance("hy-in-default-group", [default_group])
instance("hy-own-group", [web])
instance("hy-six-groups", [web] + extra)
instance("hy-internal-ping", [ping])
instance("hy-overlap-host", [overlap])
instance("hy-cassandra-1", [ring])
instance("hy-cassandra-good-1", [good_ring])
instance("hy-bastion-host", [bastion])

# The estate VPC logs its flows to S3; the default VPC has no flow log.
s3.create_bucket(Bucket="hy-flow-logs")
ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL",
                     LogDestinationType="s3", LogDestination="arn:aws:s3:::hy-flow-logs")
ids["hy-vpc"] = vpc

# A multi-region trail and a recorder, not started yet ("start" starts them).
s3.create_bucket(Bucket="hy-trail")
cloudtrail.create_trail(Name="hy-org-trail", S3BucketName="hy-trail", IsMultiRegionTrail=True)
config.put_configuration_recorder(ConfigurationRecorder={
    "name": "default", "roleARN": "arn:aws:iam::123456789012:role/config",
    "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}})
config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "hy-trail"})
print(json.dumps(ids))
