use super::{FSBP_AUTHORIZED_PORTS, FSBP_HIGH_RISK_PORTS};
use crate::openings::Openings;
use crate::verdict::per_group;
use crate::{Check, Context, Family};
use ringfence_findings::{Alias, CheckMeta, Finding, ResourceType, Severity, Tool};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_allow_ingress_from_internet_to_file_sharing_ports",
        title: "Security group admits the whole internet on file-sharing ports",
        severity: Severity::Critical,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: graded!(
            "Fails for each security group that admits the whole IPv4 or IPv6 internet on a file-sharing port (FTP 20-21, TFTP, SMB/CIFS 139 and 445, NetBIOS, NFS, rsync), naming each service."
        ),
        risk: "File-sharing protocols carry cleartext credentials or trust the client's word; SMB exposure is how WannaCry and NotPetya spread.",
        remediation: "Close file-sharing ports to the internet; share files through S3 with IAM, or allow the ports only from private networks.",
        references: &[
            "https://www.cisa.gov/news-events/alerts/2017/01/16/smb-security-best-practices",
        ],
        categories: &["internet-exposed"],
        compliance: exposure_controls!(FSBP_AUTHORIZED_PORTS, FSBP_HIGH_RISK_PORTS),
        aliases: &[Alias {
            tool: Tool::Prowler,
            id: "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_ftp_20_21",
        }],
        enablement: ringfence_findings::Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    per_group(
        ctx,
        &CHECK.meta,
        "file-sharing port is open to the whole internet",
        |profile| {
            Openings::of_services(
                ctx,
                profile,
                ctx.config.catalog.family(Family::FileSharing),
                |segment| segment.is_world(),
            )
        },
    )
}
