//! `cassandra_jmx_remote_ssl_disabled`: Cassandra's remote JMX is not encrypted.

use super::jmx::{DOC, Jmx, SSL};
use super::meta;
use crate::{Judgement, Node, NodeCheck};
use ringfence_findings::{Severity, Status};

pub static CHECK: NodeCheck = NodeCheck {
    meta: meta(
        "cassandra_jmx_remote_ssl_disabled",
        "Cassandra's remote JMX is not encrypted",
        Severity::High,
        "Fails when JMX is remote and `com.sun.management.jmxremote.ssl=true` does not apply \
(Cassandra's remote JMX server is plaintext unless told otherwise). Local-only JMX passes.",
        "JMX passwords and every operation cross the network in the clear.",
        "Set LOCAL_JMX=yes, or `-Dcom.sun.management.jmxremote.ssl=true` with a keystore \
(`-Djavax.net.ssl.keyStore`, `-Djavax.net.ssl.keyStorePassword`).",
        &[DOC],
        &[],
    ),
    run: ssl,
};

fn ssl(node: &Node) -> Vec<Judgement> {
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
    let option = jmx.option(SSL);
    let on = option.is_some_and(|o| o.value.as_deref() == Some("true"));
    vec![if on {
        jmx.judge(
            id,
            Status::Pass,
            option,
            format!("remote JMX ({}) uses TLS", jmx.evidence.3),
            Vec::new(),
        )
    } else {
        jmx.judge(
            id,
            Status::Fail,
            option,
            format!(
                "remote JMX ({}) without {SSL}=true: plaintext",
                jmx.evidence.3
            ),
            vec![
                jmx.option_line(&format!("{SSL}=true"), option),
                jmx.option_line("javax.net.ssl.keyStore=<path to the keystore>", option),
                jmx.option_line("javax.net.ssl.keyStorePassword=<its password>", option),
            ],
        )
    }]
}
