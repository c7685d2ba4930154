use super::FSBP_AUTHORIZED_PORTS;
use crate::openings::Openings;
use crate::verdict::per_group;
use crate::{Check, Context};
use ringfence_exposure::Transport;
use ringfence_exposure::addr::PortSet;
use ringfence_findings::{Alias, CheckMeta, Finding, ResourceType, Severity, Tool};
use ringfence_model::PortRange;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_allow_ingress_from_internet_to_uncommon_ports",
        title: "Security group admits the whole internet on uncommon ports",
        severity: Severity::High,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: graded!(
            "Fails for each security group that admits the whole IPv4 or IPv6 internet (the union \
of its rules, split CIDRs and prefix lists included) on any TCP or UDP port outside the \
common-ports list (20, 21, 22, 23, 25, 53, 80, 135, 137, 138, 139, 443, 445, 465, 587, 1433, \
1521, 3306, 3389, 5432), and lists the uncommon ports and ranges it opens."
        ),
        risk: "A service on an uncommon port is rarely meant for the public: debug endpoints, admin \
consoles, databases and message brokers end up there. Opening it to every address turns an \
internal service into an internet-facing one that nobody hardened as such.",
        remediation: "Narrow the rule's source to the clients that need the port (CIDRs, security groups \
or a prefix list), or remove the rule. If the service is meant to be public, put it behind a \
load balancer on a common port.",
        references: &[
            "https://www.trendmicro.com/cloudoneconformity/knowledge-base/aws/EC2/unrestricted-inbound-access-on-uncommon-ports.html",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18",
        ],
        categories: &["internet-exposed"],
        compliance: exposure_controls!(FSBP_AUTHORIZED_PORTS),
        aliases: &[
            Alias {
                tool: Tool::Conformity,
                id: "EC2-034",
            },
            Alias {
                tool: Tool::SecurityHub,
                id: "EC2.18",
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
        "uncommon port is open to the whole internet",
        |profile| {
            let mut openings = Openings::default();
            for transport in [Transport::Tcp, Transport::Udp] {
                for segment in profile.segments(transport) {
                    let common = &ctx.config.common_ports;
                    if common.contains_range(segment.ports.from, segment.ports.to) {
                        continue;
                    }
                    if segment.is_world() {
                        let uncommon = PortSet::from_range(segment.ports.from, segment.ports.to)
                            .difference(common);
                        for &(from, to) in uncommon.ranges() {
                            openings.add(transport.into(), PortRange { from, to }, None, segment);
                        }
                    } else {
                        openings.note_unresolved(segment, ctx);
                    }
                }
            }
            openings
        },
    )
}
