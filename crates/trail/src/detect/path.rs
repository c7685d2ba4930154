//! Changes that open a path rather than a port: network ACL entries, routes to an
//! internet gateway, and public addresses put on instances whose groups are open.

use super::groups::judge;
use super::{
    BOUNDARY, CIS_NACL_CHANGES, CIS_ROUTE_CHANGES, CONFIG_CHANGE_CONTROL, Ctx, Detector, by,
    finding, raise, reaches_internet,
};
use crate::event::Event;
use crate::state::{GroupChange, cidr, key, number, text};
use ringfence_exposure::resolve;
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity, Status};
use ringfence_model::{IpNet, ScopeId, Source, Traffic};
use serde_json::Value;

pub static NETWORK_ACL_OPENED: Detector = Detector {
    meta: CheckMeta {
        id: "trail_networkacl_entry_opens_internet_path",
        title: "A network ACL entry lets the internet in on a sensitive or uncommon port",
        severity: Severity::High,
        resource_type: ResourceType::AwsEc2NetworkAcl,
        description: "Fails for each CreateNetworkAclEntry or ReplaceNetworkAclEntry that allows inbound traffic from the whole internet (or a public range at least as wide as the wide-range threshold) on all protocols, or on a port range that holds a catalog service or an uncommon port.",
        risk: "The network ACL is the subnet's second wall; an allow-all entry from the internet leaves the security groups alone between a sensitive service and everyone.",
        remediation: "Replace the entry with one limited to the ports the subnet serves publicly (80, 443), or delete it.",
        references: &["https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html"],
        categories: &["trail", "internet-exposed"],
        compliance: &[CIS_NACL_CHANGES, BOUNDARY, CONFIG_CHANGE_CONTROL],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run: network_acl_opened,
};

pub static ROUTE_TO_INTERNET_GATEWAY: Detector = Detector {
    meta: CheckMeta {
        id: "trail_route_to_internet_gateway_added",
        title: "A route to an internet gateway was added or redirected",
        severity: Severity::Medium,
        resource_type: ResourceType::AwsEc2RouteTable,
        description: "Fails for each CreateRoute or ReplaceRoute that sends a destination to an internet gateway (igw-): the subnets of that route table become public for that destination. A default route (0.0.0.0/0, ::/0) is graded high.",
        risk: "A route to an internet gateway turns a private subnet public: every instance in it with a public address becomes reachable through its security groups alone.",
        remediation: "If the subnet is meant to be private, route through a NAT gateway instead and remove the route.",
        references: &["https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html"],
        categories: &["trail", "internet-exposed"],
        compliance: &[CIS_ROUTE_CHANGES, BOUNDARY, CONFIG_CHANGE_CONTROL],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run: route_to_internet_gateway,
};

pub static ADDRESS_ONTO_OPEN_INSTANCE: Detector = Detector {
    meta: CheckMeta {
        id: "trail_address_associated_with_open_instance",
        title: "A public address was put on an instance whose security groups are open",
        severity: Severity::High,
        resource_type: ResourceType::AwsEc2Instance,
        description: "Fails for each AssociateAddress onto an instance (or its network interface) one of whose security groups admits the internet on a sensitive or uncommon port, judged with the exposure checks on the groups as the snapshot (--estate) and the trail so far describe them. An instance whose groups are unknown is counted in the summary, not judged.",
        risk: "An open security group is latent until the instance gets a public address; the association is the moment the exposure becomes real.",
        remediation: "Disassociate the address, or close the group's open ports before giving the instance a public address.",
        references: &[
            "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateAddress.html",
        ],
        categories: &["trail", "internet-exposed"],
        compliance: &[BOUNDARY, CONFIG_CHANGE_CONTROL],
        aliases: &[],
        enablement: Enablement::Default,
    },
    run: address_onto_open_instance,
};

/// Whether `net` is the internet as the checks count it: all of it, or a public range
/// at least as wide as the threshold.
fn is_internet(ctx: &Ctx<'_>, net: &IpNet) -> bool {
    let source = match *net {
        IpNet::V4(n) => Source::V4(n),
        IpNet::V6(n) => Source::V6(n),
    };
    reaches_internet(ctx, &resolve(&source, ScopeId(0), |_, _| None).0)
}

fn network_acl_opened(
    ctx: &mut Ctx<'_>,
    event: &Event,
    _: Option<&GroupChange>,
    out: &mut Vec<Finding>,
) {
    if !matches!(
        event.name.as_str(),
        "CreateNetworkAclEntry" | "ReplaceNetworkAclEntry"
    ) || !event.succeeded()
    {
        return;
    }
    let Some(request) = event.request::<Value>() else {
        return;
    };
    let egress = request
        .get("egress")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let allow = text(&request, "ruleAction").is_some_and(|a| a.eq_ignore_ascii_case("allow"));
    let Some(source) = cidr(&request, "cidrBlock", "ipv6CidrBlock") else {
        return;
    };
    if egress || !allow || !is_internet(ctx, &source) {
        return;
    }
    let protocol = match request.get("protocol") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return,
    };
    let range = request.get("portRange");
    let ports = |field: &str| range.and_then(|r| number(r, field));
    let Ok(traffic) = Traffic::from_aws(&protocol, ports("from"), ports("to")) else {
        return;
    };
    let (what, severity) = match traffic {
        Traffic::All => ("all traffic".to_string(), Severity::High),
        Traffic::Tcp(p) | Traffic::Udp(p) => {
            let transport = if matches!(traffic, Traffic::Tcp(_)) {
                ringfence_exposure::Transport::Tcp
            } else {
                ringfence_exposure::Transport::Udp
            };
            let services: Vec<&str> = ctx
                .config
                .checks
                .catalog
                .services
                .iter()
                .filter(|s| {
                    s.transport == transport && s.ports.iter().any(|sp| sp.intersect(&p).is_some())
                })
                .map(|s| s.name.as_str())
                .collect();
            let uncommon = !ctx.config.checks.common_ports.contains_range(p.from, p.to);
            if services.is_empty() && !uncommon {
                return;
            }
            let ports = if p.from == p.to {
                format!("{}/{}", transport.name(), p.from)
            } else {
                format!("{}/{}-{}", transport.name(), p.from, p.to)
            };
            let severity = if services.is_empty() {
                Severity::Medium
            } else {
                Severity::High
            };
            let what = if services.is_empty() {
                format!("{ports} (uncommon ports)")
            } else {
                format!("{ports} ({})", services.join(", "))
            };
            (what, severity)
        }
        _ => return,
    };
    let id = text(&request, "networkAclId").unwrap_or("unknown network ACL");
    let rule = number(&request, "ruleNumber").map_or(String::new(), |n| format!(" rule {n}"));
    let message = format!(
        "{} {}: network ACL {id}{rule} allows {what} in from {source}",
        event.name,
        by(event)
    );
    let mut f = finding(
        &NETWORK_ACL_OPENED.meta,
        event,
        ResourceType::AwsEc2NetworkAcl,
        id,
        message,
    );
    f.severity = severity;
    out.push(f);
}

fn route_to_internet_gateway(
    ctx: &mut Ctx<'_>,
    event: &Event,
    _: Option<&GroupChange>,
    out: &mut Vec<Finding>,
) {
    if !matches!(event.name.as_str(), "CreateRoute" | "ReplaceRoute") || !event.succeeded() {
        return;
    }
    let Some(request) = event.request::<Value>() else {
        return;
    };
    let Some(gateway) = text(&request, "gatewayId").filter(|g| g.starts_with("igw-")) else {
        return;
    };
    let destination = cidr(&request, "destinationCidrBlock", "destinationIpv6CidrBlock");
    let destination_text = destination.map_or_else(
        || {
            text(&request, "destinationPrefixListId")
                .unwrap_or("a destination")
                .to_string()
        },
        |d| d.to_string(),
    );
    let id = text(&request, "routeTableId").unwrap_or("unknown route table");
    let default_route = destination.is_some_and(|d| d.prefix_len() == 0);
    let wide = destination.is_some_and(|d| is_internet(ctx, &d));
    let message = format!(
        "{} {}: route table {id} now sends {destination_text} to internet gateway {gateway}{}",
        event.name,
        by(event),
        if default_route {
            " (the default route: its subnets are public)"
        } else {
            ""
        }
    );
    let mut f = finding(
        &ROUTE_TO_INTERNET_GATEWAY.meta,
        event,
        ResourceType::AwsEc2RouteTable,
        id,
        message,
    );
    if default_route || wide {
        f.severity = Severity::High;
    }
    out.push(f);
}

fn address_onto_open_instance(
    ctx: &mut Ctx<'_>,
    event: &Event,
    _: Option<&GroupChange>,
    out: &mut Vec<Finding>,
) {
    if event.name != "AssociateAddress" || !event.succeeded() {
        return;
    }
    let Some(request) = event.request::<Value>() else {
        return;
    };
    let Some(instance) = ctx.state.instance_of(event, &request) else {
        ctx.unjudged += 1;
        return;
    };
    let Some(groups) = ctx.state.instances.get(&key(event, &instance)).cloned() else {
        ctx.unjudged += 1;
        return;
    };
    let mut open = Vec::new();
    let mut severity = None;
    let mut any_known = false;
    for group in &groups {
        let group_key = key(event, group);
        let Some(state) = ctx.state.groups.get(&group_key).cloned() else {
            continue;
        };
        any_known = true;
        for f in judge(ctx, &group_key, &state, state.ingress.clone()) {
            if f.status != Status::Fail {
                continue;
            }
            let spans = f.exposure.as_ref().map_or(Vec::new(), |e| {
                e.ports
                    .iter()
                    .map(|s| {
                        let ports = match (s.protocol.as_str(), s.from == s.to) {
                            ("-1", _) => "all traffic".to_string(),
                            (protocol, true) => format!("{protocol}/{}", s.from),
                            (protocol, false) => format!("{protocol}/{}-{}", s.from, s.to),
                        };
                        match &s.service {
                            Some(service) => format!("{ports} ({service})"),
                            None => ports,
                        }
                    })
                    .collect()
            });
            severity = severity.max(Some(raise(f.severity)));
            open.push(format!("{group}: {}", spans.join(", ")));
        }
    }
    if !any_known {
        ctx.unjudged += 1;
        return;
    }
    if open.is_empty() {
        return;
    }
    open.sort();
    open.dedup();
    let address = text(&request, "publicIp")
        .or(text(&request, "allocationId"))
        .unwrap_or("an address");
    let message = format!(
        "AssociateAddress {}: {address} put on instance {instance}, whose security groups admit the internet ({})",
        by(event),
        open.join("; ")
    );
    let mut f = finding(
        &ADDRESS_ONTO_OPEN_INSTANCE.meta,
        event,
        ResourceType::AwsEc2Instance,
        &instance,
        message,
    );
    f.severity = severity
        .unwrap_or(ADDRESS_ONTO_OPEN_INSTANCE.meta.severity)
        .min(Severity::Critical);
    out.push(f);
}
