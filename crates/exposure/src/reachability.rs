//! Can a packet from the internet actually arrive? A public address on the interface, a
//! route for the replies through an internet gateway, and network ACLs that let the
//! request in and the reply out — each part of the source set and of the port range
//! judged exactly.

use crate::addr::{V4Set, V6Set, public_v4, public_v6, v4_cidrs, v4_range, v6_cidrs, v6_range};
use crate::interval::{IntervalSet, Point};
use crate::nacl::{self, AclRule};
use crate::network::Network;
use crate::routes::{RouteRange, longest_prefix};
use crate::{Reach, Transport};
use ringfence_model::{
    AclAction, Instance, InstanceState, IpNet, NetworkInterface, PortRange, ResourceKind,
    RouteDestination, RouteTarget, ScopeId, Subnet, Traffic,
};
use std::fmt::Write as _;

/// Why an exposure is not reachable now: a stable, documented code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    NoPublicAddress,
    NoIgwRoute,
    EgressOnlyIgw,
    NaclInboundDeny,
    NaclReturnDeny,
    InstanceStopped,
    NotAttached,
    MissingData,
}

impl Reason {
    pub const ALL: [Reason; 8] = [
        Reason::NoPublicAddress,
        Reason::NoIgwRoute,
        Reason::EgressOnlyIgw,
        Reason::NaclInboundDeny,
        Reason::NaclReturnDeny,
        Reason::InstanceStopped,
        Reason::NotAttached,
        Reason::MissingData,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Reason::NoPublicAddress => "no-public-address",
            Reason::NoIgwRoute => "no-igw-route",
            Reason::EgressOnlyIgw => "egress-only-igw",
            Reason::NaclInboundDeny => "nacl-inbound-deny",
            Reason::NaclReturnDeny => "nacl-return-deny",
            Reason::InstanceStopped => "instance-stopped",
            Reason::NotAttached => "not-attached",
            Reason::MissingData => "missing-data",
        }
    }
}

/// One step of the path from the internet to the workload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    /// `internet-gateway`, `route`, `network-acl-inbound`, `network-acl-outbound`,
    /// `security-group-rule`, `network-interface` or `instance`.
    pub kind: &'static str,
    pub id: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The internet gets through now: these sources, along this path. `narrowed` when a
    /// route or a network ACL lets only part of the admitted sources through.
    Reachable {
        sources: Reach,
        path: Vec<Hop>,
        narrowed: bool,
    },
    /// Open security group, no path today: one change away.
    Latent { reason: Reason, detail: String },
    /// A network ACL stops the request or the reply.
    Blocked { reason: Reason, detail: String },
    /// Data needed for the verdict is missing: never read as safe.
    Unknown { reason: Reason, detail: String },
}

impl Verdict {
    /// Reachable beats unknown beats latent beats blocked: the worst case is reported.
    pub fn rank(&self) -> u8 {
        match self {
            Verdict::Reachable { .. } => 3,
            Verdict::Unknown { .. } => 2,
            Verdict::Latent { .. } => 1,
            Verdict::Blocked { .. } => 0,
        }
    }

    /// The worse of two verdicts for the same exposure; reachable sources add up.
    pub fn worst(self, other: Verdict) -> Verdict {
        match (self, other) {
            (
                Verdict::Reachable {
                    mut sources,
                    path,
                    narrowed,
                },
                Verdict::Reachable {
                    sources: more,
                    narrowed: also_narrowed,
                    ..
                },
            ) => {
                sources.union_with(&more);
                Verdict::Reachable {
                    sources,
                    path,
                    narrowed: narrowed && also_narrowed,
                }
            }
            (a, b) => {
                if b.rank() > a.rank() {
                    b
                } else {
                    a
                }
            }
        }
    }

    pub fn reason(&self) -> Option<Reason> {
        match self {
            Verdict::Reachable { .. } => None,
            Verdict::Latent { reason, .. }
            | Verdict::Blocked { reason, .. }
            | Verdict::Unknown { reason, .. } => Some(*reason),
        }
    }
}

/// Where the traffic would land: an interface (with its instance, if attached), or an
/// instance whose interfaces are unknown.
#[derive(Clone, Copy, Debug)]
pub struct Endpoint<'e> {
    pub interface: Option<&'e NetworkInterface>,
    pub instance: Option<&'e Instance>,
}

/// The verdict for packets of `transport` to `ports` from `sources` (public addresses
/// the security groups admit) arriving at `endpoint`.
pub fn verdict(
    net: &Network<'_>,
    endpoint: Endpoint<'_>,
    transport: Transport,
    ports: PortRange,
    sources: &Reach,
) -> Verdict {
    if let Some(instance) = endpoint.instance
        && matches!(
            instance.state,
            InstanceState::Stopped | InstanceState::Stopping
        )
    {
        return Verdict::Latent {
            reason: Reason::InstanceStopped,
            detail: format!(
                "instance {} is {}: exposed again when started",
                instance.id,
                instance.state.as_str()
            ),
        };
    }
    let v4 =
        (!sources.v4.is_empty()).then(|| judge::<V4>(net, endpoint, transport, ports, &sources.v4));
    let v6 =
        (!sources.v6.is_empty()).then(|| judge::<V6>(net, endpoint, transport, ports, &sources.v6));
    match (v4, v6) {
        (Some(a), Some(b)) => a.worst(b),
        (Some(v), None) | (None, Some(v)) => v,
        (None, None) => Verdict::Unknown {
            reason: Reason::MissingData,
            detail: "no public source to judge".into(),
        },
    }
}

/// What differs between IPv4 and IPv6 along the path.
trait Family {
    type A: Point;
    const NAME: &'static str;
    fn public_address(net: &Network<'_>, endpoint: Endpoint<'_>) -> Option<String>;
    fn route(
        destination: &RouteDestination,
        net: &Network<'_>,
        scope: ScopeId,
    ) -> Vec<(Self::A, Self::A, u8)>;
    fn acl_range(cidr: &IpNet) -> Option<(Self::A, Self::A)>;
    fn into_reach(set: IntervalSet<Self::A>) -> Reach;
    fn describe(set: &IntervalSet<Self::A>) -> String;
}

struct V4;
struct V6;

impl Family for V4 {
    type A = u32;
    const NAME: &'static str = "IPv4";

    fn public_address(net: &Network<'_>, endpoint: Endpoint<'_>) -> Option<String> {
        let is_public = |ip: &std::net::Ipv4Addr| public_v4().contains(u32::from(*ip));
        let scope = endpoint
            .interface
            .map(|e| e.origin.scope)
            .or(endpoint.instance.map(|i| i.origin.scope))?;
        let primary = endpoint
            .interface
            .is_none_or(|e| e.attachment.as_ref().and_then(|a| a.device_index) == Some(0));
        let associated = endpoint
            .interface
            .and_then(|e| e.public_ipv4s().find(is_public));
        let elastic = net
            .elastic_ips(
                scope,
                endpoint.interface.map(|e| e.id.as_str()),
                primary
                    .then(|| endpoint.instance.map(|i| i.id.as_str()))
                    .flatten(),
            )
            .into_iter()
            .map(|i| net.estate.addresses[i].public_ip)
            .find(is_public);
        let instance = primary
            .then(|| {
                endpoint
                    .instance
                    .and_then(|i| i.public_ip)
                    .filter(is_public)
            })
            .flatten();
        associated
            .or(elastic)
            .or(instance)
            .map(|ip| ip.to_string())
            .or_else(|| {
                endpoint
                    .interface
                    .filter(|e| e.public_ipv4_at_deploy())
                    .map(|_| "(assigned at deploy)".to_string())
            })
    }

    fn route(
        destination: &RouteDestination,
        net: &Network<'_>,
        scope: ScopeId,
    ) -> Vec<(u32, u32, u8)> {
        match destination {
            RouteDestination::V4(net4) => {
                let (lo, hi) = v4_range(net4);
                vec![(lo, hi, net4.prefix_len())]
            }
            RouteDestination::V6(_) => vec![],
            RouteDestination::PrefixList(id) => {
                prefix_list_routes(net, scope, id, |cidr| match cidr {
                    IpNet::V4(n) => {
                        let (lo, hi) = v4_range(n);
                        Some((lo, hi, n.prefix_len()))
                    }
                    IpNet::V6(_) => None,
                })
            }
        }
    }

    fn acl_range(cidr: &IpNet) -> Option<(u32, u32)> {
        match cidr {
            IpNet::V4(n) => Some(v4_range(n)),
            IpNet::V6(_) => None,
        }
    }

    fn into_reach(set: V4Set) -> Reach {
        Reach {
            v4: set,
            v6: V6Set::new(),
        }
    }

    fn describe(set: &V4Set) -> String {
        describe_against(set, public_v4(), "IPv4", |s| {
            v4_cidrs(s).iter().map(ToString::to_string).collect()
        })
    }
}

impl Family for V6 {
    type A = u128;
    const NAME: &'static str = "IPv6";

    fn public_address(_net: &Network<'_>, endpoint: Endpoint<'_>) -> Option<String> {
        endpoint
            .interface?
            .ipv6_addresses
            .iter()
            .find(|ip| public_v6().contains(u128::from(**ip)))
            .map(ToString::to_string)
    }

    fn route(
        destination: &RouteDestination,
        net: &Network<'_>,
        scope: ScopeId,
    ) -> Vec<(u128, u128, u8)> {
        match destination {
            RouteDestination::V6(net6) => {
                let (lo, hi) = v6_range(net6);
                vec![(lo, hi, net6.prefix_len())]
            }
            RouteDestination::V4(_) => vec![],
            RouteDestination::PrefixList(id) => {
                prefix_list_routes(net, scope, id, |cidr| match cidr {
                    IpNet::V6(n) => {
                        let (lo, hi) = v6_range(n);
                        Some((lo, hi, n.prefix_len()))
                    }
                    IpNet::V4(_) => None,
                })
            }
        }
    }

    fn acl_range(cidr: &IpNet) -> Option<(u128, u128)> {
        match cidr {
            IpNet::V6(n) => Some(v6_range(n)),
            IpNet::V4(_) => None,
        }
    }

    fn into_reach(set: V6Set) -> Reach {
        Reach {
            v4: V4Set::new(),
            v6: set,
        }
    }

    fn describe(set: &V6Set) -> String {
        describe_against(set, public_v6(), "IPv6", |s| {
            v6_cidrs(s).iter().map(ToString::to_string).collect()
        })
    }
}

fn prefix_list_routes<A>(
    net: &Network<'_>,
    scope: ScopeId,
    id: &str,
    range: impl Fn(&IpNet) -> Option<A>,
) -> Vec<A> {
    net.prefix_list(scope, id)
        .and_then(|i| net.estate.prefix_lists[i].entries.as_ref())
        .map(|entries| entries.iter().filter_map(|e| range(&e.cidr)).collect())
        .unwrap_or_default()
}

/// A set of addresses in a few words: the whole internet, the internet but a few
/// ranges, or at most three CIDRs and a count.
fn describe_against<A: Point>(
    set: &IntervalSet<A>,
    public: &IntervalSet<A>,
    family: &str,
    cidrs: impl Fn(&IntervalSet<A>) -> Vec<String>,
) -> String {
    if set.is_superset(public) {
        return format!("the whole {family} internet");
    }
    let missing = cidrs(&public.difference(set));
    if set.intersection(public).count() > public.count() / 2 && missing.len() <= 3 {
        return format!("the {family} internet except {}", missing.join(", "));
    }
    let all = cidrs(set);
    if all.len() <= 3 {
        all.join(", ")
    } else {
        format!("{}, ... ({} ranges)", all[..3].join(", "), all.len())
    }
}

fn missing(detail: String) -> Verdict {
    Verdict::Unknown {
        reason: Reason::MissingData,
        detail,
    }
}

fn acl_rules<A: Point>(
    entries: &[ringfence_model::AclEntry],
    egress: bool,
    transport: Transport,
    range: impl Fn(&IpNet) -> Option<(A, A)>,
) -> Vec<AclRule<A>> {
    entries
        .iter()
        .filter(|e| e.egress == egress)
        .filter_map(|e| {
            let ports = match (e.traffic, transport) {
                (Traffic::All, _) => PortRange::ALL,
                (Traffic::Tcp(p), Transport::Tcp) | (Traffic::Udp(p), Transport::Udp) => p,
                _ => return None,
            };
            Some(AclRule {
                rule_number: e.rule_number,
                allow: e.action == AclAction::Allow,
                ports,
                remote: range(&e.cidr)?,
            })
        })
        .collect()
}

fn rule_list(numbers: &[Option<u32>]) -> String {
    numbers
        .iter()
        .map(|n| n.map_or("* (final deny)".to_string(), |n| format!("rule {n}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The ephemeral ports clients receive replies on, as the issue of any ACL reply rule.
const EPHEMERAL: PortRange = PortRange {
    from: 1024,
    to: 65535,
};

fn judge<F: Family>(
    net: &Network<'_>,
    endpoint: Endpoint<'_>,
    transport: Transport,
    ports: PortRange,
    sources: &IntervalSet<F::A>,
) -> Verdict {
    let estate = net.estate;
    let Some(scope) = endpoint
        .interface
        .map(|e| e.origin.scope)
        .or(endpoint.instance.map(|i| i.origin.scope))
    else {
        return missing("no interface or instance".into());
    };
    let label = endpoint
        .interface
        .map(|e| e.id.as_str())
        .or(endpoint.instance.map(|i| i.id.as_str()))
        .unwrap_or("?");

    // A public address for this family.
    let Some(address) = F::public_address(net, endpoint) else {
        return Verdict::Latent {
            reason: Reason::NoPublicAddress,
            detail: format!("{label} has no public {} address", F::NAME),
        };
    };

    // The subnet, its route table and its network ACL.
    let subnet_id = endpoint
        .interface
        .and_then(|e| e.subnet_id.as_deref())
        .or(endpoint.instance.and_then(|i| i.subnet_id.as_deref()));
    let Some(subnet_id) = subnet_id else {
        return missing(format!("{label} names no subnet"));
    };
    let Some(subnet) = net.subnet(scope, subnet_id).map(|i| &estate.subnets[i]) else {
        return missing(if net.is_missing(scope, ResourceKind::Subnets) {
            "describe-subnets was not read".into()
        } else {
            format!("subnet {subnet_id} is not in the input")
        });
    };
    let Some((table_index, explicit)) = net.route_table(scope, &subnet.id, &subnet.vpc_id) else {
        return missing(if net.is_missing(scope, ResourceKind::RouteTables) {
            "describe-route-tables was not read".into()
        } else {
            format!(
                "no route table for subnet {} (no association, no main table for {})",
                subnet.id, subnet.vpc_id
            )
        });
    };
    let table = &estate.route_tables[table_index];
    let how = if explicit {
        "explicitly associated".to_string()
    } else {
        format!("main table of {}", subnet.vpc_id)
    };

    // Replies go back to the sources through the most specific route for each of them.
    let routes: Vec<RouteRange<F::A, usize>> = table
        .routes
        .iter()
        .enumerate()
        .flat_map(|(i, route)| {
            F::route(&route.destination, net, scope)
                .into_iter()
                .map(move |(lo, hi, prefix_len)| RouteRange {
                    range: (lo, hi),
                    prefix_len,
                    target: i,
                })
        })
        .collect();
    let (parts, _unrouted) = longest_prefix(&routes, sources);
    // Addresses routed `local` are the VPC's own, not the internet: they neither count
    // as a path nor as narrowing one.
    let mut candidates = sources.clone();
    for (part, route_index) in &parts {
        if table.routes[*route_index].target == RouteTarget::Local {
            candidates = candidates.difference(part);
        }
    }
    let mut routed = IntervalSet::<F::A>::new();
    let mut via_gateway = None;
    let mut elsewhere = Vec::new();
    for (part, route_index) in &parts {
        let route = &table.routes[*route_index];
        match &route.target {
            RouteTarget::InternetGateway(igw)
                if route.active && gateway_serves(net, scope, igw, subnet) =>
            {
                routed.union_with(part);
                via_gateway.get_or_insert((igw.clone(), *route_index));
            }
            RouteTarget::Local => {}
            other => elsewhere.push((other.clone(), route.active)),
        }
    }
    let Some((igw, route_index)) = via_gateway else {
        if let Some((RouteTarget::EgressOnlyInternetGateway(eigw), _)) = elsewhere
            .iter()
            .find(|(t, _)| matches!(t, RouteTarget::EgressOnlyInternetGateway(_)))
        {
            return Verdict::Latent {
                reason: Reason::EgressOnlyIgw,
                detail: format!(
                    "route table {} ({how}) sends {} to egress-only gateway {eigw}, which admits no inbound connection",
                    table.id,
                    F::describe(sources)
                ),
            };
        }
        let targets: Vec<String> = elsewhere
            .iter()
            .map(|(t, active)| describe_target(t, *active))
            .collect();
        let detail = if targets.is_empty() {
            format!(
                "route table {} ({how}) has no route for {}",
                table.id,
                F::describe(sources)
            )
        } else {
            format!(
                "route table {} ({how}) sends {} via {}, not an internet gateway",
                table.id,
                F::describe(sources),
                targets.join(", ")
            )
        };
        return Verdict::Latent {
            reason: Reason::NoIgwRoute,
            detail,
        };
    };

    // The network ACL: the request in, then the reply out.
    let Some(acl) = net
        .network_acl(scope, &subnet.id, &subnet.vpc_id)
        .map(|i| &estate.network_acls[i])
    else {
        return missing(if net.is_missing(scope, ResourceKind::NetworkAcls) {
            "describe-network-acls was not read".into()
        } else {
            format!("no network ACL for subnet {}", subnet.id)
        });
    };
    let inbound = nacl::evaluate(
        &acl_rules(&acl.entries, false, transport, F::acl_range),
        ports,
        &routed,
    );
    if inbound.allows_nothing() {
        return Verdict::Blocked {
            reason: Reason::NaclInboundDeny,
            detail: format!(
                "network ACL {} denies {}/{ports} from {} ({})",
                acl.id,
                transport.name(),
                F::describe(&routed),
                rule_list(&inbound.denied_by)
            ),
        };
    }
    let admitted = inbound.remotes();
    let reply = nacl::evaluate(
        &acl_rules(&acl.entries, true, transport, F::acl_range),
        EPHEMERAL,
        &admitted,
    );
    let through = reply.remotes().intersection(&admitted);
    if through.is_empty() {
        return Verdict::Blocked {
            reason: Reason::NaclReturnDeny,
            detail: format!(
                "network ACL {} admits the request but denies the replies to {} on ports {EPHEMERAL} ({})",
                acl.id,
                F::describe(&admitted),
                rule_list(&reply.denied_by)
            ),
        };
    }

    let route = &table.routes[route_index];
    let mut path = vec![
        Hop {
            kind: "internet-gateway",
            id: igw.clone(),
            detail: format!("attached to {}", subnet.vpc_id),
        },
        Hop {
            kind: "route",
            id: table.id.clone(),
            detail: format!(
                "{} -> {igw} ({how})",
                describe_destination(&route.destination)
            ),
        },
        Hop {
            kind: "network-acl-inbound",
            id: acl.id.clone(),
            detail: allowed_detail(&inbound.allowed, transport, "from", F::describe),
        },
        Hop {
            kind: "network-acl-outbound",
            id: acl.id.clone(),
            detail: allowed_detail(&reply.allowed, transport, "replies to", F::describe),
        },
    ];
    if let Some(interface) = endpoint.interface {
        path.push(Hop {
            kind: "network-interface",
            id: interface.id.clone(),
            detail: format!("public {} {address} in {}", F::NAME, subnet.id),
        });
    }
    if let Some(instance) = endpoint.instance {
        path.push(Hop {
            kind: "instance",
            id: instance.id.clone(),
            detail: instance.state.as_str().to_string(),
        });
    }
    let narrowed = through != candidates;
    Verdict::Reachable {
        sources: F::into_reach(through),
        path,
        narrowed,
    }
}

/// An internet gateway carries traffic only for a VPC it is attached to; when gateways
/// were not read, the route table's word is taken.
fn gateway_serves(net: &Network<'_>, scope: ScopeId, igw: &str, subnet: &Subnet) -> bool {
    match net.internet_gateway(scope, igw) {
        Some(i) => net.estate.internet_gateways[i]
            .vpc_ids
            .contains(&subnet.vpc_id),
        None => net.is_missing(scope, ResourceKind::InternetGateways),
    }
}

fn describe_destination(destination: &RouteDestination) -> String {
    match destination {
        RouteDestination::V4(n) => n.to_string(),
        RouteDestination::V6(n) => n.to_string(),
        RouteDestination::PrefixList(id) => id.clone(),
    }
}

fn describe_target(target: &RouteTarget, active: bool) -> String {
    let text = match target {
        RouteTarget::Local => "local".to_string(),
        RouteTarget::InternetGateway(id) => format!("{id} (not attached to this VPC)"),
        RouteTarget::EgressOnlyInternetGateway(id)
        | RouteTarget::NatGateway(id)
        | RouteTarget::TransitGateway(id)
        | RouteTarget::VpcPeering(id)
        | RouteTarget::NetworkInterface(id)
        | RouteTarget::Instance(id)
        | RouteTarget::VirtualPrivateGateway(id)
        | RouteTarget::Other(id) => id.clone(),
    };
    if active {
        text
    } else {
        format!("{text} (blackhole)")
    }
}

fn allowed_detail<A: Point>(
    allowed: &[nacl::Allowed<A>],
    transport: Transport,
    direction: &str,
    describe: impl Fn(&IntervalSet<A>) -> String,
) -> String {
    let mut text = String::new();
    for (i, a) in allowed.iter().take(3).enumerate() {
        if i > 0 {
            text.push_str("; ");
        }
        let _ = write!(
            text,
            "rule {} allows {}/{} {direction} {}",
            a.rule_number,
            transport.name(),
            a.ports,
            describe(&a.remote)
        );
    }
    if allowed.len() > 3 {
        let _ = write!(text, "; ... ({} rules)", allowed.len());
    }
    text
}
