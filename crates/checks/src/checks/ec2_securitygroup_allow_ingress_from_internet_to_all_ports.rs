use super::{
    CIS_ADMIN_V4, CIS_ADMIN_V6, FSBP_ADMIN_V4, FSBP_ADMIN_V6, FSBP_AUTHORIZED_PORTS,
    FSBP_HIGH_RISK_PORTS,
};
use crate::openings::{Openings, Proto};
use crate::verdict::per_group;
use crate::{Check, Context};
use ringfence_exposure::Transport;
use ringfence_exposure::addr::PortSet;
use ringfence_findings::{Alias, CheckMeta, Finding, ResourceType, Severity, Tool};
use ringfence_model::PortRange;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_allow_ingress_from_internet_to_all_ports",
        title: "Security group admits the whole internet on every port",
        severity: Severity::Critical,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: graded!(
            "Fails for each security group that admits the whole IPv4 or IPv6 internet on every \
protocol (protocol -1) or on every TCP or every UDP port, whether through one 0-65535 rule or \
several rules whose ranges and sources together cover everything."
        ),
        risk: "Every service on the instance, including the ones nobody knows are listening, faces the \
internet: the security group no longer filters anything.",
        remediation: "Remove the rule and allow only the ports the workload serves, from the sources that \
need them.",
        references: &["https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"],
        categories: &["internet-exposed"],
        compliance: exposure_controls!(
            FSBP_AUTHORIZED_PORTS,
            FSBP_HIGH_RISK_PORTS,
            FSBP_ADMIN_V4,
            FSBP_ADMIN_V6,
            CIS_ADMIN_V4,
            CIS_ADMIN_V6
        ),
        aliases: &[
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_allow_ingress_from_internet_to_all_ports",
            },
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_allow_ingress_from_internet_to_any_port",
            },
            Alias {
                tool: Tool::Checkov,
                id: "CKV_AWS_277",
            },
        ],
        enablement: ringfence_findings::Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    per_group(
        ctx,
        &CHECK.meta,
        "rule set opens every port to the whole internet",
        |profile| {
            let mut openings = Openings::default();
            if let Some(all) = &profile.all_protocols {
                if all.is_world() {
                    openings.add(Proto::All, PortRange::ALL, None, all);
                    return openings;
                }
                openings.note_unresolved(all, ctx);
            }
            for transport in [Transport::Tcp, Transport::Udp] {
                let segments = profile.segments(transport);
                let world: Vec<_> = segments.iter().filter(|s| s.is_world()).collect();
                let covered: PortSet = world.iter().map(|s| (s.ports.from, s.ports.to)).collect();
                if covered.is_full() {
                    for segment in world {
                        openings.add(transport.into(), segment.ports, None, segment);
                    }
                    continue;
                }
                // Unread prefix lists could fill the gaps: then the answer is unknown, not a pass.
                let unresolved: Vec<_> = segments
                    .iter()
                    .filter(|s| s.unresolved && !s.is_world())
                    .collect();
                let could_cover = unresolved.iter().fold(covered, |set, s| {
                    set.union(&PortSet::from_range(s.ports.from, s.ports.to))
                });
                if could_cover.is_full() {
                    for segment in unresolved {
                        openings.note_unresolved(segment, ctx);
                    }
                }
            }
            openings
        },
    )
}
