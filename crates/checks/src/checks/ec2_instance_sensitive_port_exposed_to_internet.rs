use super::{FSBP_AUTHORIZED_PORTS, FSBP_HIGH_RISK_PORTS};
use crate::openings::Openings;
use crate::verdict::per_instance;
use crate::{Check, Context, Family};
use ringfence_findings::{Alias, CheckMeta, Finding, ResourceType, Severity, Tool};

const fn prowler(id: &'static str) -> Alias {
    Alias {
        tool: Tool::Prowler,
        id,
    }
}

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_sensitive_port_exposed_to_internet",
        title: "EC2 instance has database, remote-access, file-sharing or directory ports open to the internet",
        severity: Severity::Critical,
        resource_type: ResourceType::AwsEc2Instance,
        description: graded!(
            "Unions the ingress rules of every security group on every network interface of each \
instance and fails when a port of a catalogued database, remote-access, file-sharing or directory \
service admits the whole IPv4 or IPv6 internet, naming each service. One finding per instance \
covers what Prowler splits into one check per service."
        ),
        risk: "Each service listed is a known entry point: brute-forced logins, unauthenticated \
defaults, and vulnerabilities exploited at internet scale within hours of disclosure.",
        remediation: "Close the ports to the internet in the security groups named by the finding, and \
allow them only from the sources that need them.",
        references: &["https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html"],
        categories: &["internet-exposed"],
        compliance: exposure_controls!(FSBP_AUTHORIZED_PORTS, FSBP_HIGH_RISK_PORTS),
        aliases: &[
            prowler("ec2_instance_port_ssh_exposed_to_internet"),
            prowler("ec2_instance_port_rdp_exposed_to_internet"),
            prowler("ec2_instance_port_telnet_exposed_to_internet"),
            prowler("ec2_instance_port_mysql_exposed_to_internet"),
            prowler("ec2_instance_port_postgresql_exposed_to_internet"),
            prowler("ec2_instance_port_oracle_exposed_to_internet"),
            prowler("ec2_instance_port_sqlserver_exposed_to_internet"),
            prowler("ec2_instance_port_mongodb_exposed_to_internet"),
            prowler("ec2_instance_port_redis_exposed_to_internet"),
            prowler("ec2_instance_port_elasticsearch_kibana_exposed_to_internet"),
            prowler("ec2_instance_port_kafka_exposed_to_internet"),
            prowler("ec2_instance_port_memcached_exposed_to_internet"),
            prowler("ec2_instance_port_cifs_exposed_to_internet"),
            prowler("ec2_instance_port_ftp_exposed_to_internet"),
            prowler("ec2_instance_port_ldap_exposed_to_internet"),
            prowler("ec2_instance_port_kerberos_exposed_to_internet"),
        ],
        enablement: ringfence_findings::Enablement::Default,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    per_instance(
        ctx,
        &CHECK.meta,
        "sensitive port is open to the whole internet",
        |profile| {
            let sensitive = ctx
                .config
                .catalog
                .services
                .iter()
                .filter(|s| s.family != Family::Cassandra);
            Openings::of_services(ctx, profile, sensitive, |segment| segment.is_world())
        },
    )
}
