//! `cassandra_jmx_all_interfaces`: Cassandra's JMX port listens on every interface.

use super::jmx::{DOC, Jmx};
use super::meta;
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

pub static CHECK: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_jmx_all_interfaces",
        "Cassandra's JMX port listens on every interface",
        Severity::Medium,
        "Fails when JMX is remote (LOCAL_JMX is not yes, or a remote JMX port is set): the JMX \
and RMI ports then listen on every interface, public ones included.",
        "JMX is an administration interface with a long record of remote-code-execution \
issues; on every interface it is one security-group mistake from the internet.",
        "Set LOCAL_JMX=yes in cassandra-env.sh and run nodetool on the node (over SSH).",
        &[DOC],
        &[super::cis("3.5")],
    ),
    run: all_interfaces,
};

fn all_interfaces(node: &Node) -> Vec<Judgement> {
    let id = CHECK.meta.id;
    let Some(jmx) = Jmx::of(node) else {
        return Jmx::skip(node, id);
    };
    let port = node
        .jvm
        .jmx_port
        .as_ref()
        .map_or("7199".to_string(), |p| p.value.clone());
    vec![if jmx.remote {
        // Remote because of a port property: that line must go, LOCAL_JMX alone won't do.
        let mut fix = Vec::new();
        if jmx.evidence.0 != "LOCAL_JMX" {
            fix.push(format!(
                "# remove from {}: {}",
                jmx.evidence.1.display(),
                jmx.evidence.3
            ));
        }
        fix.push("LOCAL_JMX=yes".to_string());
        jmx.judge(
            id,
            Status::Fail,
            None,
            format!(
                "{}: JMX port {port} listens on every interface",
                jmx.evidence.3
            ),
            fix,
        )
    } else {
        jmx.judge(
            id,
            Status::Pass,
            None,
            format!(
                "{}: JMX port {port} listens on 127.0.0.1 only",
                jmx.evidence.3
            ),
            Vec::new(),
        )
    }]
}
