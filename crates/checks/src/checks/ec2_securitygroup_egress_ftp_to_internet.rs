//! Egress on FTP (20, 21) to the whole internet: cleartext file transfer out of the VPC,
//! a classic exfiltration and malware-download channel.

use super::{BOUNDARY_PROTECTION, NIST_FLOW_ENFORCEMENT};
use crate::hygiene::{
    Destinations, carries_tcp, describe_egress, finding, group_label, group_resource, list,
};
use crate::{Check, Context};
use ringfence_exposure::Reach;
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity, Status};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_egress_ftp_to_internet",
        title: "Security group allows outbound FTP to the whole internet",
        severity: Severity::Low,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: "Fails for each security group whose outbound rules, together, allow TCP port 20 or 21 (FTP data and control; through an exact rule, a range or protocol -1) to the whole public IPv4 or IPv6 internet. Opt-in: the allow-all egress rule AWS adds to every group also allows it.",
        risk: "FTP sends credentials and data in clear text and is a common way for malware to fetch payloads and for an intruder to move data out; few workloads need it towards arbitrary hosts.",
        remediation: "Remove FTP from the outbound rules (narrow an allow-all rule to the ports the workload needs), or allow it only to the partner hosts that require it; prefer SFTP or HTTPS.",
        references: &["https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"],
        categories: &["hygiene", "egress"],
        compliance: &[NIST_FLOW_ENFORCEMENT, BOUNDARY_PROTECTION],
        aliases: &[],
        enablement: Enablement::OptIn,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let estate = ctx.estate;
    let destinations = Destinations::of(estate);
    estate
        .security_groups
        .iter()
        .filter_map(|group| {
            let scope = group.origin.scope;
            let label = group_label(group);
            let mut unknown = false;
            let mut failing = Vec::new();
            for port in [20u16, 21] {
                let mut reach = Reach::default();
                let mut rules = Vec::new();
                for rule in group.egress.iter().filter(|r| carries_tcp(&r.traffic, port)) {
                    match destinations.resolve(scope, &rule.source) {
                        Some(r) if !r.is_empty() => {
                            reach.union_with(&r);
                            rules.push(describe_egress(rule));
                        }
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                if reach.is_world() {
                    failing.push(format!("tcp/{port} through {}", list(&rules, 3)));
                }
            }
            let (status, message) = if !failing.is_empty() {
                (Status::Fail, format!("Security group {label} allows outbound FTP to the internet: {}.", failing.join("; ")))
            } else if unknown {
                (Status::Skip, format!("Security group {label}: cannot tell whether outbound FTP reaches the internet: a prefix list's entries were not read."))
            } else {
                (Status::Pass, format!("Security group {label} does not allow outbound FTP to the whole internet."))
            };
            finding(ctx, &CHECK.meta, status, || group_resource(estate, group), move || message)
        })
        .collect()
}
