//! Each detector on the edges the example trail does not walk: split CIDRs, prefix
//! lists, a snapshot's existing rules, revokes by permission, advanced selectors, the
//! root user's allowed calls.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ringfence_findings::{Finding, Status};
use ringfence_model::{
    Attachment, Estate, NetworkInterface, Origin, PrefixList, PrefixListEntry, Rule, Scope,
    SecurityGroup, Source, Tags, Traffic,
};
use ringfence_trail::{Engine, Event, State, TrailConfig};
use serde_json::{Value, json};

fn event(id: &str, time: &str, name: &str, source: &str, request: Value, response: Value) -> Event {
    event_by(
        id,
        time,
        name,
        source,
        request,
        response,
        json!({"type": "IAMUser", "arn": "arn:aws:iam::1:user/u", "accountId": "1"}),
    )
}

fn event_by(
    id: &str,
    time: &str,
    name: &str,
    source: &str,
    request: Value,
    response: Value,
    identity: Value,
) -> Event {
    let record = json!({
        "eventTime": time, "eventName": name, "eventSource": source, "awsRegion": "us-east-1",
        "eventID": id, "recipientAccountId": "1", "userIdentity": identity,
        "requestParameters": request, "responseElements": response,
    });
    ringfence_trail::parse_event(record.to_string().as_bytes(), id).unwrap()
}

fn authorize(id: &str, time: &str, group: &str, port: u16, cidr: &str) -> Event {
    let range = if cidr.contains(':') {
        json!({"ipv6Ranges": {"items": [{"cidrIpv6": cidr}]}})
    } else if cidr.starts_with("pl-") {
        json!({"prefixListIds": {"items": [{"prefixListId": cidr}]}})
    } else {
        json!({"ipRanges": {"items": [{"cidrIp": cidr}]}})
    };
    let mut permission = json!({"ipProtocol": "tcp", "fromPort": port, "toPort": port});
    for (k, v) in range.as_object().unwrap() {
        permission[k] = v.clone();
    }
    event(
        id,
        time,
        "AuthorizeSecurityGroupIngress",
        "ec2.amazonaws.com",
        json!({"groupId": group, "ipPermissions": {"items": [permission]}}),
        Value::Null,
    )
}

fn run(config: &TrailConfig, state: State, events: &[Event]) -> Vec<Finding> {
    let mut engine = Engine::new(config, state);
    events.iter().flat_map(|e| engine.observe(e)).collect()
}

fn ids(findings: &[Finding]) -> Vec<(String, &'static str, Status)> {
    findings
        .iter()
        .map(|f| {
            (
                f.event.as_ref().unwrap().event_id.clone(),
                f.check_id,
                f.status,
            )
        })
        .collect()
}

const INGRESS: &str = "trail_securitygroup_ingress_opened_to_internet";
const FLAP: &str = "trail_securitygroup_port_opened_and_closed";

#[test]
fn halves_of_the_internet_add_up_to_all_of_it() {
    let config = TrailConfig::default();
    let findings = run(
        &config,
        State::default(),
        &[
            authorize("half-1", "2026-11-20T09:00:00Z", "sg-1", 5432, "0.0.0.0/1"),
            authorize(
                "half-2",
                "2026-11-20T09:10:00Z",
                "sg-1",
                5432,
                "128.0.0.0/1",
            ),
        ],
    );
    // Half the internet is already a wide public range on a database port; the second
    // half makes it the whole internet: a new exposure (the database check's).
    assert_eq!(ids(&findings).len(), 2, "{:#?}", ids(&findings));
    assert!(
        findings[1].message.contains("PostgreSQL"),
        "{}",
        findings[1].message
    );
    assert!(
        findings[1]
            .exposure
            .as_ref()
            .unwrap()
            .reason_detail
            .as_deref()
            .unwrap()
            .contains("database_ports")
    );
}

fn estate_with(group_rules: Vec<Rule>, list: Option<Vec<&str>>) -> Estate {
    let mut estate = Estate::default();
    let scope = estate.scope_id(Scope {
        account: Some("1".into()),
        region: "us-east-1".into(),
    });
    let origin = Origin {
        scope,
        ..Origin::default()
    };
    estate.security_groups.push(SecurityGroup {
        id: "sg-1".into(),
        name: "web".into(),
        description: String::new(),
        vpc_id: Some("vpc-1".into()),
        owner_id: Some("1".into()),
        ingress: group_rules,
        egress: Vec::new(),
        tags: Tags::default(),
        origin,
    });
    if let Some(entries) = list {
        estate.prefix_lists.push(PrefixList {
            id: "pl-1".into(),
            name: Some("everyone".into()),
            owner_id: Some("1".into()),
            address_family: Some("IPv4".into()),
            entries: Some(
                entries
                    .iter()
                    .map(|c| PrefixListEntry {
                        cidr: c.parse().unwrap(),
                        description: None,
                    })
                    .collect(),
            ),
            tags: Tags::default(),
            origin,
        });
    }
    estate.network_interfaces.push(NetworkInterface {
        id: "eni-1".into(),
        subnet_id: None,
        vpc_id: Some("vpc-1".into()),
        owner_id: None,
        availability_zone: None,
        interface_type: None,
        status: None,
        description: None,
        groups: vec!["sg-1".into()],
        private_ips: Vec::new(),
        ipv6_addresses: Vec::new(),
        attachment: Some(Attachment {
            instance_id: Some("i-1".into()),
            device_index: Some(0),
            status: None,
        }),
        tags: Tags::default(),
        origin,
    });
    estate
}

fn ssh_world() -> Rule {
    Rule {
        id: Some("sgr-1".into()),
        traffic: Traffic::from_aws("tcp", Some(22), Some(22)).unwrap(),
        source: Source::V4("0.0.0.0/0".parse().unwrap()),
        description: None,
    }
}

#[test]
fn prefix_lists_are_judged_from_the_snapshot_or_skipped() {
    let config = TrailConfig::default();
    let event = authorize("pl", "2026-11-20T09:00:00Z", "sg-1", 3306, "pl-1");
    let unknown = run(&config, State::default(), std::slice::from_ref(&event));
    assert_eq!(ids(&unknown), [("pl".to_string(), INGRESS, Status::Skip)]);
    let known = State::from_estate(&estate_with(Vec::new(), Some(vec!["0.0.0.0/0"])));
    let found = run(&config, known, std::slice::from_ref(&event));
    assert_eq!(ids(&found), [("pl".to_string(), INGRESS, Status::Fail)]);
    let private = State::from_estate(&estate_with(Vec::new(), Some(vec!["10.0.0.0/8"])));
    assert!(run(&config, private, &[event]).is_empty());
}

#[test]
fn a_port_already_open_in_the_snapshot_is_not_opened_again() {
    let config = TrailConfig::default();
    let state = State::from_estate(&estate_with(vec![ssh_world()], None));
    let again = authorize("again", "2026-11-20T09:00:00Z", "sg-1", 22, "::/0");
    // IPv6 is a new door to the same port: the check's spans are the same port, already
    // failing, so nothing new opened.
    assert!(run(&config, state, &[again]).is_empty());
}

#[test]
fn an_address_onto_an_instance_the_snapshot_knows_is_judged() {
    let config = TrailConfig::default();
    let associate = |id: &str, request: Value| {
        event(
            id,
            "2026-11-20T10:00:00Z",
            "AssociateAddress",
            "ec2.amazonaws.com",
            request,
            Value::Null,
        )
    };
    let open = State::from_estate(&estate_with(vec![ssh_world()], None));
    let found = run(
        &config,
        open,
        &[associate(
            "by-eni",
            json!({"networkInterfaceId": "eni-1", "allocationId": "eipalloc-1"}),
        )],
    );
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("tcp/22 (SSH)"),
        "{}",
        found[0].message
    );
    let closed = State::from_estate(&estate_with(Vec::new(), None));
    assert!(
        run(
            &config,
            closed,
            &[associate("closed", json!({"instanceId": "i-1"}))]
        )
        .is_empty()
    );
    // Unknown instance: counted, not judged.
    let mut engine = Engine::new(&config, State::default());
    assert!(
        engine
            .observe(&associate("unknown", json!({"instanceId": "i-9"})))
            .is_empty()
    );
    assert_eq!(engine.unjudged()[0].1, 1);
}

#[test]
fn revokes_by_permission_and_deleted_groups_close_an_opening() {
    let config = TrailConfig::default();
    let open = authorize("open", "2026-11-20T09:00:00Z", "sg-1", 443, "0.0.0.0/0");
    let revoke = event(
        "revoke",
        "2026-11-20T09:20:00Z",
        "RevokeSecurityGroupIngress",
        "ec2.amazonaws.com",
        json!({"groupId": "sg-1", "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}),
        Value::Null,
    );
    assert_eq!(
        ids(&run(&config, State::default(), &[open.clone(), revoke])),
        [("revoke".to_string(), FLAP, Status::Fail)]
    );
    let delete = event(
        "delete",
        "2026-11-20T09:29:00Z",
        "DeleteSecurityGroup",
        "ec2.amazonaws.com",
        json!({"groupId": "sg-1"}),
        Value::Null,
    );
    assert_eq!(
        ids(&run(&config, State::default(), &[open.clone(), delete])),
        [("delete".to_string(), FLAP, Status::Fail)]
    );
    let late = event(
        "late",
        "2026-11-20T09:31:00Z",
        "DeleteSecurityGroup",
        "ec2.amazonaws.com",
        json!({"groupId": "sg-1"}),
        Value::Null,
    );
    assert!(run(&config, State::default(), &[open, late]).is_empty());
}

#[test]
fn a_failed_call_and_an_egress_rule_open_nothing() {
    let config = TrailConfig::default();
    let mut failed = authorize("failed", "2026-11-20T09:00:00Z", "sg-1", 22, "0.0.0.0/0");
    failed.error_code = Some("Client.UnauthorizedOperation".into());
    let egress_authorize = event(
        "egress",
        "2026-11-20T09:01:00Z",
        "AuthorizeSecurityGroupEgress",
        "ec2.amazonaws.com",
        json!({"groupId": "sg-1"}),
        json!({"securityGroupRuleSet": {"items": [{"securityGroupRuleId": "sgr-e1", "isEgress": true, "ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0"}]}}),
    );
    let modify_egress = event(
        "modify-egress",
        "2026-11-20T09:02:00Z",
        "ModifySecurityGroupRules",
        "ec2.amazonaws.com",
        json!({"ModifySecurityGroupRulesRequest": {"GroupId": "sg-1", "SecurityGroupRule": {"SecurityGroupRuleId": "sgr-e1", "SecurityGroupRule": {"IpProtocol": "-1", "CidrIpv4": "0.0.0.0/0"}}}}),
        Value::Null,
    );
    assert!(
        run(
            &config,
            State::default(),
            &[failed, egress_authorize, modify_egress]
        )
        .is_empty()
    );
}

#[test]
fn a_burst_needs_its_count_within_its_window() {
    let config = TrailConfig {
        burst_changes: 5,
        ..TrailConfig::default()
    };
    let change = |i: usize, minute: usize| {
        event(
            &format!("c{i}"),
            &format!("2026-11-20T09:{minute:02}:00Z"),
            "RevokeSecurityGroupIngress",
            "ec2.amazonaws.com",
            json!({"groupId": "sg-1"}),
            Value::Null,
        )
    };
    // Five changes, but spread over 20 minutes: never five within ten.
    let spread: Vec<Event> = (0..5).map(|i| change(i, i * 5)).collect();
    assert!(run(&config, State::default(), &spread).is_empty());
    let tight: Vec<Event> = (0..5).map(|i| change(i, i)).collect();
    assert_eq!(run(&config, State::default(), &tight).len(), 1);
}

#[test]
fn trail_weakenings_by_update_and_advanced_selectors() {
    let config = TrailConfig::default();
    let trail = |id: &str, name: &str, request: Value| {
        event(
            id,
            "2026-11-20T09:00:00Z",
            name,
            "cloudtrail.amazonaws.com",
            request,
            Value::Null,
        )
    };
    let management = |read_only: Option<&str>| {
        let mut fields = vec![json!({"field": "eventCategory", "equals": ["Management"]})];
        if let Some(r) = read_only {
            fields.push(json!({"field": "readOnly", "equals": [r]}));
        }
        json!({"trailName": "t", "advancedEventSelectors": [{"name": "m", "fieldSelectors": fields}]})
    };
    let events = [
        trail(
            "validation-off",
            "UpdateTrail",
            json!({"name": "t", "enableLogFileValidation": false}),
        ),
        trail("delete", "DeleteTrail", json!({"name": "t"})),
        trail(
            "data-only",
            "PutEventSelectors",
            json!({"trailName": "t", "advancedEventSelectors": [{"name": "d", "fieldSelectors": [{"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::S3::Object"]}]}]}),
        ),
        trail("reads-only", "PutEventSelectors", management(Some("true"))),
        trail("all-management", "PutEventSelectors", management(None)),
        trail(
            "kms-excluded",
            "PutEventSelectors",
            json!({"trailName": "t", "eventSelectors": [{"readWriteType": "All", "includeManagementEvents": true, "excludeManagementEventSources": ["kms.amazonaws.com"]}]}),
        ),
        trail("start", "StartLogging", json!({"name": "t"})),
    ];
    let found: Vec<String> = run(&config, State::default(), &events)
        .iter()
        .map(|f| f.event.as_ref().unwrap().event_id.clone())
        .collect();
    assert_eq!(
        found,
        [
            "validation-off",
            "delete",
            "data-only",
            "reads-only",
            "kms-excluded"
        ]
    );
}

#[test]
fn the_root_users_allowed_calls_and_services_acting_for_it_pass() {
    let root = json!({"type": "Root", "arn": "arn:aws:iam::1:root", "accountId": "1"});
    let by_service =
        json!({"type": "Root", "arn": "arn:aws:iam::1:root", "invokedBy": "support.amazonaws.com"});
    let events = [
        event_by(
            "login",
            "2026-11-20T09:00:00Z",
            "ConsoleLogin",
            "signin.amazonaws.com",
            Value::Null,
            Value::Null,
            root.clone(),
        ),
        event_by(
            "key",
            "2026-11-20T09:01:00Z",
            "CreateAccessKey",
            "iam.amazonaws.com",
            json!({}),
            Value::Null,
            root,
        ),
        event_by(
            "service",
            "2026-11-20T09:02:00Z",
            "DescribeCases",
            "support.amazonaws.com",
            json!({}),
            Value::Null,
            by_service,
        ),
    ];
    let config = TrailConfig {
        root_allowed: vec!["ConsoleLogin".into()],
        ..TrailConfig::default()
    };
    let found = run(&config, State::default(), &events);
    assert_eq!(
        ids(&found),
        [("key".to_string(), "trail_root_user_activity", Status::Fail)]
    );
}

#[test]
fn ipv6_network_acls_and_routes_count() {
    let config = TrailConfig::default();
    let events = [
        event(
            "acl-v6",
            "2026-11-20T09:00:00Z",
            "CreateNetworkAclEntry",
            "ec2.amazonaws.com",
            json!({"networkAclId": "acl-1", "ruleNumber": 5, "egress": false, "ruleAction": "allow", "protocol": "-1", "ipv6CidrBlock": "::/0"}),
            Value::Null,
        ),
        event(
            "acl-office",
            "2026-11-20T09:01:00Z",
            "CreateNetworkAclEntry",
            "ec2.amazonaws.com",
            json!({"networkAclId": "acl-1", "ruleNumber": 6, "egress": false, "ruleAction": "allow", "protocol": "-1", "cidrBlock": "203.0.113.0/24"}),
            Value::Null,
        ),
        event(
            "route-v6",
            "2026-11-20T09:02:00Z",
            "ReplaceRoute",
            "ec2.amazonaws.com",
            json!({"routeTableId": "rtb-1", "destinationIpv6CidrBlock": "::/0", "gatewayId": "igw-1"}),
            Value::Null,
        ),
        event(
            "route-peer",
            "2026-11-20T09:03:00Z",
            "CreateRoute",
            "ec2.amazonaws.com",
            json!({"routeTableId": "rtb-1", "destinationCidrBlock": "10.1.0.0/16", "vpcPeeringConnectionId": "pcx-1"}),
            Value::Null,
        ),
    ];
    let found = run(&config, State::default(), &events);
    let got: Vec<(String, &str)> = ids(&found).into_iter().map(|(id, c, _)| (id, c)).collect();
    assert_eq!(
        got,
        [
            (
                "acl-v6".to_string(),
                "trail_networkacl_entry_opens_internet_path"
            ),
            (
                "route-v6".to_string(),
                "trail_route_to_internet_gateway_added"
            ),
        ]
    );
    assert_eq!(found[1].severity, ringfence_findings::Severity::High);
}

#[test]
fn a_prefix_list_created_in_the_trail_is_judged_by_its_entries() {
    let config = TrailConfig::default();
    let create = event(
        "create-pl",
        "2026-11-20T08:00:00Z",
        "CreateManagedPrefixList",
        "ec2.amazonaws.com",
        json!({"CreateManagedPrefixListRequest": {"PrefixListName": "anyone", "AddressFamily": "IPv4", "MaxEntries": 5,
               "Entry": [{"Cidr": "0.0.0.0/1"}, {"Cidr": "128.0.0.0/1"}]}}),
        json!({"CreateManagedPrefixListResponse": {"prefixList": {"prefixListId": "pl-new", "state": "create-in-progress"}}}),
    );
    let narrow = event(
        "narrow-pl",
        "2026-11-20T08:30:00Z",
        "ModifyManagedPrefixList",
        "ec2.amazonaws.com",
        json!({"ModifyManagedPrefixListRequest": {"PrefixListId": "pl-new", "RemoveEntry": [{"Cidr": "128.0.0.0/1"}]}}),
        Value::Null,
    );
    let world = authorize("use-pl", "2026-11-20T09:00:00Z", "sg-1", 6379, "pl-new");
    assert_eq!(
        ids(&run(
            &config,
            State::default(),
            &[create.clone(), world.clone()]
        )),
        [("use-pl".to_string(), INGRESS, Status::Fail)]
    );
    // Half the internet is still a wide public range on Redis's port: still a finding.
    let half = run(&config, State::default(), &[create, narrow, world]);
    assert_eq!(ids(&half), [("use-pl".to_string(), INGRESS, Status::Fail)]);
    assert!(half[0].message.contains("Redis"), "{}", half[0].message);
}

#[test]
fn instances_groups_come_from_their_interfaces_too() {
    let config = TrailConfig::default();
    let open = authorize("open", "2026-11-20T09:00:00Z", "sg-9", 3389, "0.0.0.0/0");
    let launch = event(
        "launch",
        "2026-11-20T09:05:00Z",
        "RunInstances",
        "ec2.amazonaws.com",
        json!({"instanceType": "t3.micro"}),
        json!({"instancesSet": {"items": [{"instanceId": "i-9", "instanceType": "t3.micro",
               "networkInterfaceSet": {"items": [{"networkInterfaceId": "eni-9", "groupSet": {"items": [{"groupId": "sg-9"}]}}]}}]}}),
    );
    let associate = event(
        "associate",
        "2026-11-20T09:10:00Z",
        "AssociateAddress",
        "ec2.amazonaws.com",
        json!({"networkInterfaceId": "eni-9", "allocationId": "eipalloc-9"}),
        Value::Null,
    );
    let found = run(&config, State::default(), &[open, launch, associate]);
    let got: Vec<&str> = found.iter().map(|f| f.check_id).collect();
    assert_eq!(
        got,
        [INGRESS, "trail_address_associated_with_open_instance"]
    );
}
