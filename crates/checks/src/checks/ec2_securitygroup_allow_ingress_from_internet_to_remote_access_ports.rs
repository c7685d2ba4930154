use super::{
    CIS_ADMIN_V4, CIS_ADMIN_V6, FSBP_ADMIN_V4, FSBP_ADMIN_V6, FSBP_AUTHORIZED_PORTS,
    FSBP_HIGH_RISK_PORTS, FSBP_RDP, FSBP_SSH,
};
use crate::openings::Openings;
use crate::verdict::per_group;
use crate::{Check, Context, Family};
use ringfence_findings::{Alias, CheckMeta, Finding, ResourceType, Severity, Tool};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_allow_ingress_from_internet_to_remote_access_ports",
        title: "Security group admits the whole internet on remote-access ports",
        severity: Severity::Critical,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: graded!(
            "Fails for each security group that admits the whole IPv4 or IPv6 internet on a remote-access or administration port (SSH 22, Telnet 23, RDP 3389, VNC, WinRM, the Docker API, the kubelet, X11), naming each service."
        ),
        risk: "Remote-access services are brute-forced around the clock and a single weak password or unpatched daemon gives an attacker a shell; administration APIs such as Docker's or the kubelet's are root on the host without any password at all.",
        remediation: "Close the port to the internet; administer through AWS Systems Manager Session Manager, a bastion host or a VPN, and allow the port only from those sources.",
        references: &[
            "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html",
        ],
        categories: &["internet-exposed", "remote-access"],
        compliance: exposure_controls!(
            FSBP_SSH,
            FSBP_RDP,
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
                id: "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22",
            },
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_3389",
            },
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_telnet_23",
            },
            Alias {
                tool: Tool::SecurityHub,
                id: "EC2.13",
            },
            Alias {
                tool: Tool::SecurityHub,
                id: "EC2.14",
            },
            Alias {
                tool: Tool::SecurityHub,
                id: "EC2.53",
            },
            Alias {
                tool: Tool::SecurityHub,
                id: "EC2.54",
            },
            Alias {
                tool: Tool::Checkov,
                id: "CKV_AWS_24",
            },
            Alias {
                tool: Tool::Checkov,
                id: "CKV_AWS_25",
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
        "remote-access port is open to the whole internet",
        |profile| {
            Openings::of_services(
                ctx,
                profile,
                ctx.config.catalog.family(Family::RemoteAccess),
                |segment| segment.is_world(),
            )
        },
    )
}
