#!/usr/bin/env python3
"""Writes examples/trail: CloudTrail logs in the S3 layout and EventBridge events, with
every pattern `ringfence trail` detects next to benign look-alikes.

    scripts/trail-example.py [OUT]      (default: examples/trail)

Event ids say what each event is: `fail-...` events must be reported (by the detector
the id names), `pass-...` events must not. examples/trail/CASES.md lists them; the
tests in crates/trail/tests read the ids back.
"""

import gzip
import json
import sys
from pathlib import Path

ACCOUNT = "111122223333"

ALICE = {
    "type": "IAMUser",
    "principalId": "AIDAEXAMPLEALICE0001",
    "arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
    "accountId": ACCOUNT,
    "accessKeyId": "AKIAEXAMPLEALICE0001",
    "userName": "alice",
}
MALLORY = {
    "type": "IAMUser",
    "principalId": "AIDAEXAMPLEMALLORY01",
    "arn": f"arn:aws:iam::{ACCOUNT}:user/mallory",
    "accountId": ACCOUNT,
    "accessKeyId": "AKIAEXAMPLEMALLORY01",
    "userName": "mallory",
}
BOB = {
    "type": "IAMUser",
    "principalId": "AIDAEXAMPLEBOB000001",
    "arn": f"arn:aws:iam::{ACCOUNT}:user/bob",
    "accountId": ACCOUNT,
    "accessKeyId": "AKIAEXAMPLEBOB000001",
    "userName": "bob",
}
DEPLOY = {
    "type": "AssumedRole",
    "principalId": "AROAEXAMPLEDEPLOY001:ci-42",
    "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/ci-42",
    "accountId": ACCOUNT,
    "accessKeyId": "ASIAEXAMPLEDEPLOY001",
    "sessionContext": {
        "sessionIssuer": {
            "type": "Role",
            "principalId": "AROAEXAMPLEDEPLOY001",
            "arn": f"arn:aws:iam::{ACCOUNT}:role/deploy",
            "accountId": ACCOUNT,
            "userName": "deploy",
        },
        "attributes": {"creationDate": "2026-11-20T08:00:00Z", "mfaAuthenticated": "false"},
    },
}
ROOT = {
    "type": "Root",
    "principalId": ACCOUNT,
    "arn": f"arn:aws:iam::{ACCOUNT}:root",
    "accountId": ACCOUNT,
    "accessKeyId": "ASIAEXAMPLEROOT00001",
}
IPS = {
    "alice": "198.51.100.7",
    "mallory": "185.220.101.4",
    "bob": "198.51.100.23",
    "deploy": "203.0.113.20",
    "root": "192.0.2.55",
}
AGENTS = {
    "alice": "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64",
    "mallory": "Boto3/1.34.0 md/Botocore#1.34.0 Python/3.12.1",
    "bob": "aws-cli/2.15.0 Python/3.11.6 Darwin/23.1.0",
    "deploy": "APN/1.0 HashiCorp/1.0 Terraform/1.9.5",
    "root": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
}
WHO = {"alice": ALICE, "mallory": MALLORY, "bob": BOB, "deploy": DEPLOY, "root": ROOT}


def record(event_id, time, who, name, source="ec2.amazonaws.com", region="us-east-1",
           request=None, response=None, error=None, read_only=False, event_type="AwsApiCall"):
    r = {
        "eventVersion": "1.09",
        "userIdentity": WHO[who],
        "eventTime": time,
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": IPS[who],
        "userAgent": AGENTS[who],
        "requestParameters": request,
        "responseElements": response,
        "requestID": f"req-{event_id}",
        "eventID": event_id,
        "readOnly": read_only,
        "eventType": event_type,
        "managementEvent": True,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
    }
    if error:
        r["errorCode"] = error
        r["errorMessage"] = "the request failed"
        r["responseElements"] = None
    return r


def perms(protocol, lo, hi, v4=(), v6=(), lists=()):
    p = {"ipProtocol": protocol, "groups": {}}
    if lo is not None:
        p["fromPort"] = lo
        p["toPort"] = hi
    p["ipRanges"] = {"items": [{"cidrIp": c} for c in v4]} if v4 else {}
    p["ipv6Ranges"] = {"items": [{"cidrIpv6": c} for c in v6]} if v6 else {}
    p["prefixListIds"] = {"items": [{"prefixListId": c} for c in lists]} if lists else {}
    return {"items": [p]}


def authorize(event_id, time, who, group, protocol, lo, hi, v4=(), v6=(), rule_ids=(), error=None):
    request = {"groupId": group, "ipPermissions": perms(protocol, lo, hi, v4, v6)}
    sources = [("cidrIpv4", c) for c in v4] + [("cidrIpv6", c) for c in v6]
    rules = []
    for (field, cidr), rule_id in zip(sources, rule_ids):
        rule = {"groupOwnerId": ACCOUNT, "groupId": group, "securityGroupRuleId": rule_id,
                "isEgress": False, "ipProtocol": protocol, field: cidr}
        if lo is not None:
            rule["fromPort"] = lo
            rule["toPort"] = hi
        rules.append(rule)
    response = {"requestId": f"req-{event_id}", "_return": True,
                "securityGroupRuleSet": {"items": rules}}
    return record(event_id, time, who, "AuthorizeSecurityGroupIngress",
                  request=request, response=response, error=error)


def revoke(event_id, time, who, group, rule_ids):
    request = {"groupId": group,
               "securityGroupRuleIds": {"items": [{"securityGroupRuleId": r} for r in rule_ids]}}
    return record(event_id, time, who, "RevokeSecurityGroupIngress", request=request,
                  response={"requestId": f"req-{event_id}", "_return": True})


def run_instances(event_id, time, who, instance, instance_type, groups):
    request = {"instanceType": instance_type, "instancesSet": {"items": [{"imageId": "ami-0example", "minCount": 1, "maxCount": 1}]},
               "groupSet": {"items": [{"groupId": g} for g in groups]}}
    response = {"requestId": f"req-{event_id}", "ownerId": ACCOUNT, "instancesSet": {"items": [{
        "instanceId": instance, "instanceType": instance_type, "imageId": "ami-0example",
        "instanceState": {"code": 0, "name": "pending"},
        "groupSet": {"items": [{"groupId": g, "groupName": g} for g in groups]},
        "networkInterfaceSet": {"items": [{"networkInterfaceId": "eni-" + instance[2:]}]},
    }]}}
    return record(event_id, time, who, "RunInstances", request=request, response=response)


def us_east_1_morning():
    t = "2026-11-20T"
    return [
        record("pass-unread-describe", t + "08:55:00Z", "alice", "DescribeInstances",
               request={"instancesSet": {}}, read_only=True),
        # --- ingress opened to the internet ---
        authorize("fail-ingress-ssh-world", t + "09:00:00Z", "mallory", "sg-0aaa1", "tcp", 22, 22,
                  v4=["0.0.0.0/0"], rule_ids=["sgr-0aaa100000001"]),
        authorize("pass-ingress-https-world", t + "09:01:00Z", "deploy", "sg-0bbb2", "tcp", 443, 443,
                  v4=["0.0.0.0/0"], rule_ids=["sgr-0bbb200000001"]),
        authorize("pass-ingress-postgres-private", t + "09:02:00Z", "deploy", "sg-0bbb2", "tcp", 5432, 5432,
                  v4=["10.0.0.0/8"], rule_ids=["sgr-0bbb200000002"]),
        authorize("fail-ingress-cassandra-range-ipv6", t + "09:03:00Z", "alice", "sg-0ccc3", "tcp", 9000, 9100,
                  v6=["::/0"], rule_ids=["sgr-0ccc300000001"]),
        record("fail-ingress-modify-mysql", t + "09:04:00Z", "alice", "ModifySecurityGroupRules",
               request={"ModifySecurityGroupRulesRequest": {"GroupId": "sg-0ddd4", "SecurityGroupRule": {
                   "SecurityGroupRuleId": "sgr-0ddd400000001",
                   "SecurityGroupRule": {"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306,
                                         "CidrIpv4": "0.0.0.0/0", "Description": "temp"}, "tag": 1}}},
               response={"ModifySecurityGroupRulesResponse": {"return": True}}),
        authorize("fail-ingress-all-traffic", t + "09:05:00Z", "mallory", "sg-0eee5", "-1", None, None,
                  v4=["0.0.0.0/0"], rule_ids=["sgr-0eee500000001"]),
        authorize("pass-ingress-denied-call", t + "09:06:00Z", "mallory", "sg-0bbb2", "tcp", 22, 22,
                  v4=["0.0.0.0/0"], error="Client.UnauthorizedOperation"),
        authorize("pass-ingress-ssh-office", t + "09:07:00Z", "alice", "sg-0bbb2", "tcp", 22, 22,
                  v4=["198.51.100.0/24"], rule_ids=["sgr-0bbb200000003"]),
        # --- opened and closed again within the window ---
        authorize("fail-ingress-8443-flap-open", t + "10:00:00Z", "mallory", "sg-0fff6", "tcp", 8443, 8443,
                  v4=["0.0.0.0/0"], rule_ids=["sgr-0fff600000001"]),
        revoke("fail-flap-8443-closed", t + "10:12:30Z", "mallory", "sg-0fff6", ["sgr-0fff600000001"]),
        authorize("pass-flap-https-open", t + "11:00:00Z", "deploy", "sg-0fff6", "tcp", 443, 443,
                  v4=["0.0.0.0/0"], rule_ids=["sgr-0fff600000002"]),
        revoke("pass-flap-https-closed-late", t + "12:30:00Z", "deploy", "sg-0fff6", ["sgr-0fff600000002"]),
        # --- network ACLs and routes ---
        record("fail-nacl-rdp-world", t + "13:00:00Z", "alice", "CreateNetworkAclEntry",
               request={"networkAclId": "acl-0n1", "ruleNumber": 90, "egress": False, "ruleAction": "allow",
                        "protocol": "6", "portRange": {"from": 3389, "to": 3389}, "cidrBlock": "0.0.0.0/0"},
               response={"requestId": "r", "_return": True}),
        record("pass-nacl-https-world", t + "13:01:00Z", "alice", "CreateNetworkAclEntry",
               request={"networkAclId": "acl-0n1", "ruleNumber": 100, "egress": False, "ruleAction": "allow",
                        "protocol": "6", "portRange": {"from": 443, "to": 443}, "cidrBlock": "0.0.0.0/0"},
               response={"requestId": "r", "_return": True}),
        record("pass-nacl-deny-all", t + "13:02:00Z", "alice", "ReplaceNetworkAclEntry",
               request={"networkAclId": "acl-0n1", "ruleNumber": 110, "egress": False, "ruleAction": "deny",
                        "protocol": "-1", "cidrBlock": "0.0.0.0/0"},
               response={"requestId": "r", "_return": True}),
        record("pass-nacl-egress-all", t + "13:03:00Z", "alice", "CreateNetworkAclEntry",
               request={"networkAclId": "acl-0n1", "ruleNumber": 120, "egress": True, "ruleAction": "allow",
                        "protocol": "-1", "cidrBlock": "0.0.0.0/0"},
               response={"requestId": "r", "_return": True}),
        record("fail-route-default-igw", t + "13:10:00Z", "deploy", "CreateRoute",
               request={"routeTableId": "rtb-0r1", "destinationCidrBlock": "0.0.0.0/0", "gatewayId": "igw-0i1"},
               response={"requestId": "r", "_return": True}),
        record("pass-route-default-nat", t + "13:11:00Z", "deploy", "CreateRoute",
               request={"routeTableId": "rtb-0r2", "destinationCidrBlock": "0.0.0.0/0", "natGatewayId": "nat-0n1"},
               response={"requestId": "r", "_return": True}),
        # --- public addresses onto instances ---
        run_instances("pass-run-web", t + "14:00:00Z", "deploy", "i-0web1", "t3.micro", ["sg-0aaa1"]),
        run_instances("pass-run-app", t + "14:00:30Z", "deploy", "i-0app2", "t3.micro", ["sg-0bbb2"]),
        record("fail-address-onto-open-instance", t + "14:05:00Z", "alice", "AssociateAddress",
               request={"instanceId": "i-0web1", "allocationId": "eipalloc-0e1", "allowReassociation": False},
               response={"requestId": "r", "_return": True, "associationId": "eipassoc-0a1"}),
        record("pass-address-onto-closed-instance", t + "14:06:00Z", "alice", "AssociateAddress",
               request={"instanceId": "i-0app2", "allocationId": "eipalloc-0e2"},
               response={"requestId": "r", "_return": True, "associationId": "eipassoc-0a2"}),
        # --- CloudTrail stopped or weakened ---
        record("fail-trail-stop-logging", t + "15:00:00Z", "mallory", "StopLogging",
               source="cloudtrail.amazonaws.com",
               request={"name": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/org-trail"}, response=None),
        record("pass-trail-start-logging", t + "15:20:00Z", "alice", "StartLogging",
               source="cloudtrail.amazonaws.com",
               request={"name": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/org-trail"}, response=None),
        record("fail-trail-single-region", t + "15:30:00Z", "mallory", "UpdateTrail",
               source="cloudtrail.amazonaws.com",
               request={"name": "org-trail", "isMultiRegionTrail": False},
               response={"name": "org-trail", "isMultiRegionTrail": False}),
        record("pass-trail-new-bucket", t + "15:31:00Z", "alice", "UpdateTrail",
               source="cloudtrail.amazonaws.com",
               request={"name": "org-trail", "s3BucketName": "org-trail-logs-2"},
               response={"name": "org-trail"}),
        record("fail-trail-selectors-drop-management", t + "15:40:00Z", "mallory", "PutEventSelectors",
               source="cloudtrail.amazonaws.com",
               request={"trailName": "org-trail", "eventSelectors": [
                   {"readWriteType": "All", "includeManagementEvents": False,
                    "dataResources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}]},
               response={"trailARN": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/org-trail"}),
        record("pass-trail-selectors-all", t + "15:41:00Z", "alice", "PutEventSelectors",
               source="cloudtrail.amazonaws.com",
               request={"trailName": "org-trail", "eventSelectors": [
                   {"readWriteType": "All", "includeManagementEvents": True, "dataResources": []}]},
               response={"trailARN": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/org-trail"}),
        # --- the root user ---
        record("fail-root-create-access-key", t + "16:00:00Z", "root", "CreateAccessKey",
               source="iam.amazonaws.com", request={}, response={"accessKey": {"accessKeyId": "AKIAROOTKEY", "status": "Active"}}),
        dict(record("pass-root-service-event", t + "16:01:00Z", "root", "SharedSnapshotCopyInitiated",
                    event_type="AwsServiceEvent"), userIdentity={**ROOT, "invokedBy": "ec2.amazonaws.com"}),
        # --- snapshots copied out of the allowed regions ---
        record("pass-copy-db-snapshot-same-region", t + "17:00:00Z", "alice", "CopyDBSnapshot",
               source="rds.amazonaws.com",
               request={"sourceDBSnapshotIdentifier": "orders-1", "kmsKeyId": "alias/orders",
                        "targetDBSnapshotIdentifier": "orders-1-encrypted"},
               response={"dBSnapshotIdentifier": "orders-1-encrypted"}),
        # --- watched instance types after hours (Friday 20 November 2026) ---
        run_instances("pass-run-gpu-in-hours", t + "10:30:00Z", "deploy", "i-0gpu1", "p4d.24xlarge", ["sg-0bbb2"]),
        run_instances("fail-run-gpu-after-hours", t + "23:30:00Z", "mallory", "i-0gpu2", "p4d.24xlarge", ["sg-0bbb2"]),
        run_instances("pass-run-small-after-hours", t + "23:40:00Z", "mallory", "i-0small", "t3.micro", ["sg-0bbb2"]),
    ]


def burst():
    events = []
    for i in range(20):
        events.append(record(
            # The tenth change within ten minutes makes the burst; one finding for it all.
            f"fail-burst-bob-{i:02}" if i == 9 else f"pass-burst-bob-{i:02}",
            f"2026-11-20T18:{i // 5:02}:{(i % 5) * 10:02}Z", "bob",
            "UpdateSecurityGroupRuleDescriptionsIngress",
            request={"groupId": "sg-0bbb2", "securityGroupRuleDescriptions": {
                "items": [{"securityGroupRuleId": "sgr-0bbb200000002", "description": f"rev {i}"}]}},
            response={"requestId": "r", "_return": True}))
    for i in range(5):
        events.append(record(
            f"pass-few-changes-{i}", f"2026-11-20T18:3{i}:00Z", "deploy",
            "AuthorizeSecurityGroupIngress",
            request={"groupId": "sg-0bbb2", "ipPermissions": perms("tcp", 8000 + i, 8000 + i, v4=["10.1.0.0/16"])},
            response={"requestId": "r", "_return": True}))
    return events


def ap_southeast_1():
    return [
        record("fail-copy-snapshot-out", "2026-11-20T17:05:00Z", "mallory", "CopySnapshot",
               region="ap-southeast-1",
               request={"sourceSnapshotId": "snap-0source1", "sourceRegion": "us-east-1",
                        "description": "copy", "encrypted": False},
               response={"requestId": "r", "snapshotId": "snap-0copy1"}),
    ]


def eventbridge():
    def wrap(rec, detail_type="AWS API Call via CloudTrail"):
        return {"version": "0", "id": "eb-" + rec["eventID"], "detail-type": detail_type,
                "source": "aws." + rec["eventSource"].split(".")[0], "account": ACCOUNT,
                "time": rec["eventTime"], "region": rec["awsRegion"], "resources": [], "detail": rec}
    lines = [
        wrap(record("fail-root-console-login", "2026-11-21T07:00:00Z", "root", "ConsoleLogin",
                    source="signin.amazonaws.com", request=None,
                    response={"ConsoleLogin": "Success"}, event_type="AwsConsoleSignIn"),
             "AWS Console Sign In via CloudTrail"),
        wrap(record("fail-copy-cluster-snapshot-out", "2026-11-21T07:10:00Z", "alice", "CopyDBClusterSnapshot",
                    source="rds.amazonaws.com", region="sa-east-1",
                    request={"sourceDBClusterSnapshotIdentifier": f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster-snapshot:ledger",
                             "targetDBClusterSnapshotIdentifier": "ledger-copy"},
                    response={"dBClusterSnapshotIdentifier": "ledger-copy"})),
        {"version": "0", "id": "eb-not-cloudtrail", "detail-type": "EC2 Instance State-change Notification",
         "source": "aws.ec2", "account": ACCOUNT, "time": "2026-11-21T07:20:00Z", "region": "us-east-1",
         "resources": [], "detail": {"instance-id": "i-0web1", "state": "running"}},
    ]
    return "".join(json.dumps(line) + "\n" for line in lines)


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/trail")
    base = out / "AWSLogs" / ACCOUNT / "CloudTrail"
    records = us_east_1_morning() + burst() + ap_southeast_1()
    # As CloudTrail delivers them: per region, a file every few minutes whose name
    # carries the time it was written (after every event in it); one line of JSON,
    # gzipped. Here: one file per region and hour of events.
    files = {}
    for r in records:
        files.setdefault((r["awsRegion"], r["eventTime"][:13]), []).append(r)
    for (region, hour), batch in sorted(files.items()):
        last = max(r["eventTime"] for r in batch)
        h, m = int(last[11:13]), int(last[14:16]) + 5
        h, m = (h + m // 60, m % 60)
        stamp = f"{last[:4]}{last[5:7]}{last[8:10]}T{h:02}{m:02}Z"
        path = base / region / last[:4] / last[5:7] / last[8:10] / f"{ACCOUNT}_CloudTrail_{region}_{stamp}_{hour[11:13]}h.json.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"Records": batch}, separators=(",", ":")).encode()
        path.write_bytes(gzip.compress(data, mtime=0))
    events = out / "eventbridge" / "events.jsonl"
    events.parent.mkdir(parents=True, exist_ok=True)
    events.write_text(eventbridge())


if __name__ == "__main__":
    main()
