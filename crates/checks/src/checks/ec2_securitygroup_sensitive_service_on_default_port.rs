//! Policy check, off by default: sensitive services (databases, remote access, Cassandra,
//! file sharing, directories) listening on their well-known port. Moving them is no
//! defence on its own, but it takes them out of the internet-wide scans that find
//! default ports first — the "hidden listening port" practice some standards ask for.

use super::LEAST_FUNCTIONALITY;
use crate::hygiene::{describe_rule, finding, group_label, group_resource, list};
use crate::{Check, Context};
use ringfence_findings::{CheckMeta, Enablement, Finding, ResourceType, Severity, Status};
use ringfence_model::Traffic;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_securitygroup_sensitive_service_on_default_port",
        title: "Security group admits a sensitive service on its default port",
        severity: Severity::Info,
        resource_type: ResourceType::AwsEc2SecurityGroup,
        description: "Policy check, opt-in: fails for each security group with an inbound rule, from any source, that opens the well-known port of a catalogued service (every family of the port catalog: Cassandra, databases, remote access, file sharing, directories) through a rule of at most `hygiene.max_port_range` ports, i.e. a rule made for that service; wider ranges are the port-range check's business. Names the services.",
        risk: "Automated scanners and worms try the default ports first: a database or SSH daemon on its well-known port is found within minutes of becoming reachable, while one on an unusual port is skipped by most mass scans. Not a control on its own, but some standards require it.",
        remediation: "Move the service to a non-default port (in its own configuration), update the rule and the clients, and keep the real controls — private sources, authentication, TLS — in place.",
        references: &[
            "https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xhtml",
        ],
        categories: &["hygiene", "policy"],
        compliance: &[LEAST_FUNCTIONALITY],
        aliases: &[],
        enablement: Enablement::OptIn,
    },
    run,
};

fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let estate = ctx.estate;
    let max = ctx.config.hygiene.max_port_range;
    let services = &ctx.config.catalog.services;
    estate
        .security_groups
        .iter()
        .filter_map(|group| {
            let mut hits = Vec::new();
            for rule in &group.ingress {
                let (ports, transport) = match rule.traffic {
                    Traffic::Tcp(p) => (p, ringfence_exposure::Transport::Tcp),
                    Traffic::Udp(p) => (p, ringfence_exposure::Transport::Udp),
                    _ => continue,
                };
                if ports.len() > max {
                    continue;
                }
                let named: Vec<&str> = services
                    .iter()
                    .filter(|s| s.transport == transport)
                    .filter(|s| s.ports.iter().any(|r| ports.contains(r.from)))
                    .map(|s| s.name.as_str())
                    .collect();
                if !named.is_empty() {
                    hits.push(format!("{} ({})", describe_rule(rule), named.join(", ")));
                }
            }
            let label = group_label(group);
            let (status, message) = if hits.is_empty() {
                (Status::Pass, format!("Security group {label} opens no catalogued service on its default port."))
            } else {
                (Status::Fail, format!("Security group {label} opens sensitive services on their default ports: {}.", list(&hits, 4)))
            };
            finding(ctx, &CHECK.meta, status, || group_resource(estate, group), move || message)
        })
        .collect()
}
