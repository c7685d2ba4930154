//! `cassandra_jmx_remote_authentication_disabled`: Cassandra's remote JMX asks no password.

use super::jmx::{AUTHENTICATE, DOC, Jmx};
use super::meta;
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

pub static CHECK: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_jmx_remote_authentication_disabled",
        "Cassandra's remote JMX asks no password",
        Severity::Critical,
        "Fails when JMX is remote (LOCAL_JMX is not yes, or a remote JMX port is set) and \
`com.sun.management.jmxremote.authenticate=false` applies. Local-only JMX passes.",
        "Anyone who reaches port 7199 runs nodetool operations (decommission, truncate, \
snapshot) and, through JMX's MLet and deserialization paths, code on the node.",
        "Set LOCAL_JMX=yes and use nodetool over SSH, or keep \
`-Dcom.sun.management.jmxremote.authenticate=true` with a password file.",
        &[DOC],
        &[],
    ),
    run: authentication,
};

fn authentication(node: &Node) -> Vec<Judgement> {
    let id = CHECK.meta.id;
    let Some(jmx) = Jmx::of(node) else {
        return Jmx::skip(node, id);
    };
    if jmx.local() {
        return vec![jmx.judge(
            id,
            Status::Pass,
            None,
            format!("{}: JMX listens on 127.0.0.1 only", jmx.evidence.3),
            Vec::new(),
        )];
    }
    let option = jmx.option(AUTHENTICATE);
    let off = option.is_some_and(|o| o.value.as_deref() == Some("false"));
    vec![if off {
        jmx.judge(
            id,
            Status::Fail,
            option,
            format!(
                "remote JMX ({}) with {AUTHENTICATE}=false: no password",
                jmx.evidence.3
            ),
            vec![jmx.option_line(&format!("{AUTHENTICATE}=true"), option)],
        )
    } else {
        jmx.judge(
            id,
            Status::Pass,
            option,
            format!("remote JMX ({}) requires authentication", jmx.evidence.3),
            Vec::new(),
        )
    }]
}
