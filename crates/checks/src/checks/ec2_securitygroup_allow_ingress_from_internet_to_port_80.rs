use super::FSBP_AUTHORIZED_PORTS;
use crate::openings::{Openings, Proto};
use crate::verdict::per_group;
use crate::{Check, Context};
use ringfence_exposure::Transport;
use ringfence_findings::{Alias, CheckMeta, Enablement, Finding, ResourceType, Severity, Tool};
use ringfence_model::PortRange;

/// Plain HTTP: the one port checked on its own, as Checkov (CKV_AWS_260) and Security Hub's
/// authorized-ports control do, because it is open on purpose more often than not.
const HTTP: PortRange = PortRange { from: 80, to: 80 };

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_allow_ingress_from_internet_to_port_80",
        title: "Security group admits the whole internet on plain HTTP (tcp/80)",
        severity: Severity::Low,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: graded!(
            "Fails for each security group that admits the whole IPv4 or IPv6 internet on TCP port 80, \
through a rule for port 80 or any range or all-traffic rule that contains it."
        ),
        risk: "Whatever answers on port 80 talks to anyone in clear text: credentials and session cookies \
cross the internet readable, and the server's HTTP stack is open to every scanner. Public web servers \
usually keep port 80 only to redirect to HTTPS; anything else on it is an accident.",
        remediation: "Serve HTTPS only, or keep port 80 open solely on a load balancer that redirects to \
HTTPS; allow port 80 on instances only from the load balancer's security group.",
        references: &[
            "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18",
        ],
        categories: &["internet-exposed"],
        compliance: exposure_controls!(FSBP_AUTHORIZED_PORTS),
        aliases: &[Alias {
            tool: Tool::Checkov,
            id: "CKV_AWS_260",
        }],
        enablement: Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    per_group(
        ctx,
        &CHECK.meta,
        "rule opens plain HTTP to the whole internet",
        |profile| {
            let mut openings = Openings::default();
            for (part, segment) in profile.within(Transport::Tcp, HTTP) {
                if segment.is_world() {
                    openings.add(Proto::Tcp, part, None, segment);
                } else {
                    openings.note_unresolved(segment, ctx);
                }
            }
            openings
        },
    )
}
