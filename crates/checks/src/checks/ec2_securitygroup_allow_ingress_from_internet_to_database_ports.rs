use super::{FSBP_AUTHORIZED_PORTS, FSBP_HIGH_RISK_PORTS};
use crate::openings::Openings;
use crate::verdict::per_group;
use crate::{Check, Context, Family};
use ringfence_findings::{Alias, CheckMeta, Finding, ResourceType, Severity, Tool};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_allow_ingress_from_internet_to_database_ports",
        title: "Security group admits the whole internet on database ports",
        severity: Severity::Critical,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: graded!(
            "Fails for each security group that admits the whole IPv4 or IPv6 internet on a port of a catalogued database or data service (MySQL, PostgreSQL, Oracle, SQL Server, MongoDB, Redis, Elasticsearch and Kibana, Kafka, ZooKeeper, Memcached, CouchDB, etcd, DataStax OpsCenter, Search, Analytics and Graph, and more; see `ringfence catalog`), naming each service. Finding severity is the worst service's."
        ),
        risk: "Databases facing the internet are found by scanners within hours; default or weak credentials, unauthenticated defaults (Redis, Memcached, Elasticsearch, MongoDB) and unpatched servers lead to data theft, ransom notes and code execution.",
        remediation: "Allow database ports only from the application tier's security groups or private CIDRs; reach databases from outside through a bastion, VPN or AWS Systems Manager port forwarding.",
        references: &[
            "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.RDSSecurityGroups.html",
        ],
        categories: &["internet-exposed", "database"],
        compliance: exposure_controls!(FSBP_AUTHORIZED_PORTS, FSBP_HIGH_RISK_PORTS),
        aliases: &[
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_mysql_3306",
            },
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_postgres_5432",
            },
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_oracle_1521_2483",
            },
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_sql_server_1433_1434",
            },
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_mongodb_27017_27018",
            },
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_redis_6379",
            },
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_elasticsearch_kibana_9200_9300_5601",
            },
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_kafka_9092",
            },
            Alias {
                tool: Tool::Prowler,
                id: "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_memcached_11211",
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
        "database port is open to the whole internet",
        |profile| {
            Openings::of_services(
                ctx,
                profile,
                ctx.config.catalog.family(Family::Database),
                |segment| segment.is_world(),
            )
        },
    )
}
