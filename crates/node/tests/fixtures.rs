//! Every fixture configuration, insecure and hardened, for each release line: each
//! setting's verdict pinned, so a change in any judgement shows up here by name.

use ringfence_findings::Status;
use ringfence_node::{Generation, Judgement, Node, audit};
use std::path::{Path, PathBuf};

const F: Status = Status::Fail;
const P: Status = Status::Pass;
const S: Status = Status::Skip;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn judge(name: &str) -> Vec<Judgement> {
    let node = Node::load(&fixture(name)).expect("the fixture loads");
    audit(&node)
}

/// (check id without the `cassandra_` prefix, setting, verdict).
type Expected = &'static [(&'static str, &'static str, Status)];

/// `fixtures/3.11/insecure`.
const V3_11_INSECURE: Expected = &[
    ("config_authenticator_allow_all", "authenticator", F),
    ("config_authorizer_allow_all", "authorizer", F),
    ("config_internode_address_exposed", "listen_address", F),
    ("config_internode_address_exposed", "broadcast_address", F),
    ("config_client_address_exposed", "rpc_address", F),
    ("config_client_address_exposed", "broadcast_rpc_address", F),
    (
        "config_internode_encryption_disabled",
        "server_encryption_options.internode_encryption",
        F,
    ),
    (
        "config_client_encryption_disabled",
        "client_encryption_options.enabled",
        F,
    ),
    (
        "config_tls_client_auth_not_required",
        "server_encryption_options.require_client_auth",
        S,
    ),
    (
        "config_tls_client_auth_not_required",
        "client_encryption_options.require_client_auth",
        S,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.keystore_password",
        F,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.truststore_password",
        F,
    ),
    (
        "config_keystore_default_password",
        "client_encryption_options.keystore_password",
        F,
    ),
    (
        "jmx_remote_authentication_disabled",
        "com.sun.management.jmxremote.authenticate",
        F,
    ),
    ("jmx_remote_ssl_disabled", "LOCAL_JMX", F),
    ("jmx_all_interfaces", "LOCAL_JMX", F),
    ("config_thrift_enabled", "start_rpc", F),
    (
        "config_native_transport_dual_port",
        "native_transport_port_ssl",
        P,
    ),
];

/// `fixtures/3.11/hardened`.
const V3_11_HARDENED: Expected = &[
    ("config_authenticator_allow_all", "authenticator", P),
    ("config_authorizer_allow_all", "authorizer", P),
    ("config_internode_address_exposed", "listen_address", P),
    ("config_client_address_exposed", "rpc_address", P),
    (
        "config_internode_encryption_disabled",
        "server_encryption_options.internode_encryption",
        P,
    ),
    (
        "config_client_encryption_disabled",
        "client_encryption_options.enabled",
        P,
    ),
    (
        "config_tls_client_auth_not_required",
        "server_encryption_options.require_client_auth",
        P,
    ),
    (
        "config_tls_client_auth_not_required",
        "client_encryption_options.require_client_auth",
        P,
    ),
    (
        "config_tls_weak_protocol",
        "server_encryption_options.protocol",
        P,
    ),
    (
        "config_tls_weak_protocol",
        "server_encryption_options.cipher_suites",
        P,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.keystore_password",
        P,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.truststore_password",
        P,
    ),
    (
        "config_keystore_default_password",
        "client_encryption_options.keystore_password",
        P,
    ),
    (
        "config_keystore_default_password",
        "client_encryption_options.truststore_password",
        P,
    ),
    ("jmx_remote_authentication_disabled", "LOCAL_JMX", P),
    ("jmx_remote_ssl_disabled", "LOCAL_JMX", P),
    ("jmx_all_interfaces", "LOCAL_JMX", P),
    ("config_thrift_enabled", "start_rpc", P),
    (
        "config_native_transport_dual_port",
        "native_transport_port_ssl",
        P,
    ),
];

/// `fixtures/4.0/insecure`.
const V4_0_INSECURE: Expected = &[
    ("config_authenticator_allow_all", "authenticator", F),
    ("config_authorizer_allow_all", "authorizer", F),
    (
        "config_network_authorizer_allow_all",
        "network_authorizer",
        F,
    ),
    ("config_internode_address_exposed", "listen_address", P),
    ("config_client_address_exposed", "rpc_address", F),
    ("config_client_address_exposed", "broadcast_rpc_address", F),
    (
        "config_internode_encryption_disabled",
        "server_encryption_options.internode_encryption",
        F,
    ),
    (
        "config_client_encryption_disabled",
        "client_encryption_options.optional",
        F,
    ),
    (
        "config_tls_client_auth_not_required",
        "server_encryption_options.require_client_auth",
        S,
    ),
    (
        "config_tls_client_auth_not_required",
        "client_encryption_options.require_client_auth",
        F,
    ),
    (
        "config_tls_weak_protocol",
        "client_encryption_options.protocol",
        F,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.keystore_password",
        F,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.truststore_password",
        F,
    ),
    (
        "config_keystore_default_password",
        "client_encryption_options.keystore_password",
        F,
    ),
    (
        "jmx_remote_authentication_disabled",
        "com.sun.management.jmxremote.authenticate",
        F,
    ),
    ("jmx_remote_ssl_disabled", "LOCAL_JMX", F),
    ("jmx_all_interfaces", "LOCAL_JMX", F),
    ("config_thrift_enabled", "start_rpc", P),
    (
        "config_native_transport_dual_port",
        "native_transport_port_ssl",
        F,
    ),
];

/// `fixtures/4.0/hardened`.
const V4_0_HARDENED: Expected = &[
    ("config_authenticator_allow_all", "authenticator", P),
    ("config_authorizer_allow_all", "authorizer", P),
    (
        "config_network_authorizer_allow_all",
        "network_authorizer",
        P,
    ),
    ("config_internode_address_exposed", "listen_address", P),
    ("config_internode_address_exposed", "broadcast_address", P),
    ("config_client_address_exposed", "rpc_address", P),
    (
        "config_internode_encryption_disabled",
        "server_encryption_options.internode_encryption",
        P,
    ),
    (
        "config_client_encryption_disabled",
        "client_encryption_options.enabled",
        P,
    ),
    (
        "config_tls_client_auth_not_required",
        "server_encryption_options.require_client_auth",
        P,
    ),
    (
        "config_tls_client_auth_not_required",
        "client_encryption_options.require_client_auth",
        P,
    ),
    (
        "config_tls_weak_protocol",
        "server_encryption_options.accepted_protocols",
        P,
    ),
    (
        "config_tls_weak_protocol",
        "client_encryption_options.accepted_protocols",
        P,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.keystore_password",
        P,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.truststore_password",
        P,
    ),
    (
        "config_keystore_default_password",
        "client_encryption_options.keystore_password",
        P,
    ),
    (
        "config_keystore_default_password",
        "client_encryption_options.truststore_password",
        P,
    ),
    ("jmx_remote_authentication_disabled", "LOCAL_JMX", P),
    ("jmx_remote_ssl_disabled", "LOCAL_JMX", P),
    ("jmx_all_interfaces", "LOCAL_JMX", P),
    ("config_thrift_enabled", "start_rpc", P),
    (
        "config_native_transport_dual_port",
        "native_transport_port_ssl",
        P,
    ),
];

/// `fixtures/4.1/insecure`.
const V4_1_INSECURE: Expected = &[
    ("config_authenticator_allow_all", "authenticator", F),
    ("config_authorizer_allow_all", "authorizer", P),
    (
        "config_network_authorizer_allow_all",
        "network_authorizer",
        P,
    ),
    ("config_internode_address_exposed", "listen_address", P),
    ("config_internode_address_exposed", "broadcast_address", F),
    ("config_client_address_exposed", "rpc_address", P),
    (
        "config_internode_encryption_disabled",
        "server_encryption_options.optional",
        F,
    ),
    (
        "config_client_encryption_disabled",
        "client_encryption_options.enabled",
        P,
    ),
    (
        "config_tls_client_auth_not_required",
        "server_encryption_options.require_client_auth",
        F,
    ),
    (
        "config_tls_client_auth_not_required",
        "client_encryption_options.require_client_auth",
        F,
    ),
    (
        "config_tls_weak_protocol",
        "server_encryption_options.accepted_protocols",
        F,
    ),
    (
        "config_tls_weak_protocol",
        "client_encryption_options.cipher_suites",
        F,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.keystore_password",
        F,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.truststore_password",
        F,
    ),
    (
        "config_keystore_default_password",
        "client_encryption_options.keystore_password",
        P,
    ),
    (
        "jmx_remote_authentication_disabled",
        "com.sun.management.jmxremote.authenticate",
        P,
    ),
    ("jmx_remote_ssl_disabled", "LOCAL_JMX", F),
    ("jmx_all_interfaces", "LOCAL_JMX", F),
    ("config_thrift_enabled", "start_rpc", P),
    (
        "config_native_transport_dual_port",
        "native_transport_port_ssl",
        P,
    ),
];

/// `fixtures/4.1/hardened`.
const V4_1_HARDENED: Expected = &[
    ("config_authenticator_allow_all", "authenticator", P),
    ("config_authorizer_allow_all", "authorizer", P),
    (
        "config_network_authorizer_allow_all",
        "network_authorizer",
        P,
    ),
    ("config_internode_address_exposed", "listen_address", P),
    ("config_client_address_exposed", "rpc_address", P),
    (
        "config_internode_encryption_disabled",
        "server_encryption_options.internode_encryption",
        P,
    ),
    (
        "config_client_encryption_disabled",
        "client_encryption_options.enabled",
        P,
    ),
    (
        "config_tls_client_auth_not_required",
        "server_encryption_options.require_client_auth",
        P,
    ),
    (
        "config_tls_client_auth_not_required",
        "client_encryption_options.require_client_auth",
        P,
    ),
    (
        "config_tls_weak_protocol",
        "server_encryption_options.accepted_protocols",
        P,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.keystore_password",
        P,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.truststore_password",
        P,
    ),
    (
        "config_keystore_default_password",
        "client_encryption_options.keystore_password",
        P,
    ),
    (
        "config_keystore_default_password",
        "client_encryption_options.truststore_password",
        P,
    ),
    ("jmx_remote_authentication_disabled", "LOCAL_JMX", P),
    ("jmx_remote_ssl_disabled", "LOCAL_JMX", P),
    ("jmx_all_interfaces", "LOCAL_JMX", P),
    ("config_thrift_enabled", "start_rpc", P),
    (
        "config_native_transport_dual_port",
        "native_transport_port_ssl",
        P,
    ),
];

/// `fixtures/5.0/insecure`.
const V5_0_INSECURE: Expected = &[
    (
        "config_authenticator_allow_all",
        "authenticator.class_name",
        F,
    ),
    ("config_authorizer_allow_all", "authorizer.class_name", F),
    (
        "config_network_authorizer_allow_all",
        "network_authorizer.class_name",
        F,
    ),
    ("config_internode_address_exposed", "listen_address", P),
    ("config_client_address_exposed", "rpc_address", F),
    ("config_client_address_exposed", "broadcast_rpc_address", F),
    (
        "config_internode_encryption_disabled",
        "server_encryption_options.internode_encryption",
        F,
    ),
    (
        "config_client_encryption_disabled",
        "client_encryption_options.enabled",
        F,
    ),
    (
        "config_tls_client_auth_not_required",
        "server_encryption_options.require_client_auth",
        S,
    ),
    (
        "config_tls_client_auth_not_required",
        "client_encryption_options.require_client_auth",
        S,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.keystore_password",
        F,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.truststore_password",
        F,
    ),
    (
        "config_keystore_default_password",
        "client_encryption_options.keystore_password",
        F,
    ),
    (
        "jmx_remote_authentication_disabled",
        "com.sun.management.jmxremote.authenticate",
        F,
    ),
    (
        "jmx_remote_ssl_disabled",
        "com.sun.management.jmxremote.ssl",
        F,
    ),
    ("jmx_all_interfaces", "com.sun.management.jmxremote.port", F),
    ("config_thrift_enabled", "start_rpc", P),
    (
        "config_native_transport_dual_port",
        "native_transport_port_ssl",
        P,
    ),
];

/// `fixtures/5.0/hardened`.
const V5_0_HARDENED: Expected = &[
    (
        "config_authenticator_allow_all",
        "authenticator.class_name",
        P,
    ),
    ("config_authorizer_allow_all", "authorizer.class_name", P),
    (
        "config_network_authorizer_allow_all",
        "network_authorizer.class_name",
        P,
    ),
    ("config_internode_address_exposed", "listen_address", P),
    ("config_client_address_exposed", "rpc_address", P),
    (
        "config_internode_encryption_disabled",
        "server_encryption_options.internode_encryption",
        P,
    ),
    (
        "config_client_encryption_disabled",
        "client_encryption_options.enabled",
        P,
    ),
    (
        "config_tls_client_auth_not_required",
        "server_encryption_options.require_client_auth",
        P,
    ),
    (
        "config_tls_client_auth_not_required",
        "client_encryption_options.require_client_auth",
        P,
    ),
    (
        "config_tls_weak_protocol",
        "server_encryption_options.accepted_protocols",
        P,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.keystore_password",
        P,
    ),
    (
        "config_keystore_default_password",
        "server_encryption_options.truststore_password",
        P,
    ),
    (
        "config_keystore_default_password",
        "client_encryption_options.keystore_password",
        P,
    ),
    ("jmx_remote_authentication_disabled", "LOCAL_JMX", P),
    ("jmx_remote_ssl_disabled", "LOCAL_JMX", P),
    ("jmx_all_interfaces", "LOCAL_JMX", P),
    ("config_thrift_enabled", "start_rpc", P),
    (
        "config_native_transport_dual_port",
        "native_transport_port_ssl",
        P,
    ),
];

fn assert_verdicts(name: &str, expected: Expected) {
    let mut got: Vec<(String, String, Status)> = judge(name)
        .into_iter()
        .map(|j| {
            (
                j.check_id.trim_start_matches("cassandra_").to_string(),
                j.setting,
                j.status,
            )
        })
        .collect();
    let mut want: Vec<(String, String, Status)> = expected
        .iter()
        .map(|(c, s, st)| (c.to_string(), s.to_string(), *st))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "verdicts of fixtures/{name}");
}

#[test]
fn verdicts_3_11_insecure() {
    assert_verdicts("3.11/insecure", V3_11_INSECURE);
}

#[test]
fn verdicts_3_11_hardened() {
    assert_verdicts("3.11/hardened", V3_11_HARDENED);
}

#[test]
fn verdicts_4_0_insecure() {
    assert_verdicts("4.0/insecure", V4_0_INSECURE);
}

#[test]
fn verdicts_4_0_hardened() {
    assert_verdicts("4.0/hardened", V4_0_HARDENED);
}

#[test]
fn verdicts_4_1_insecure() {
    assert_verdicts("4.1/insecure", V4_1_INSECURE);
}

#[test]
fn verdicts_4_1_hardened() {
    assert_verdicts("4.1/hardened", V4_1_HARDENED);
}

#[test]
fn verdicts_5_0_insecure() {
    assert_verdicts("5.0/insecure", V5_0_INSECURE);
}

#[test]
fn verdicts_5_0_hardened() {
    assert_verdicts("5.0/hardened", V5_0_HARDENED);
}

#[test]
fn hardened_configurations_have_no_failure_and_no_skip() {
    for version in ["3.11", "4.0", "4.1", "5.0"] {
        let name = format!("{version}/hardened");
        for j in judge(&name) {
            assert_eq!(
                j.status,
                Status::Pass,
                "{name}: {} {}: {}",
                j.check_id,
                j.setting,
                j.message
            );
            assert!(j.fix.is_empty(), "{name}: a pass carries no fix");
        }
    }
}

#[test]
fn every_failure_carries_a_fix_and_a_place() {
    for version in ["3.11", "4.0", "4.1", "5.0"] {
        let name = format!("{version}/insecure");
        for j in judge(&name)
            .into_iter()
            .filter(|j| j.status == Status::Fail)
        {
            assert!(!j.fix.is_empty(), "{name}: {} has no fix", j.check_id);
            assert!(
                j.file.is_file(),
                "{name}: {} points at a file that exists",
                j.check_id
            );
        }
    }
}

#[test]
fn release_lines_are_recognised_from_their_setting_names() {
    for (dir, generation) in [
        ("3.11", Generation::V3),
        ("4.0", Generation::V4_0),
        ("4.1", Generation::V4_1),
        ("5.0", Generation::V5_0),
    ] {
        for kind in ["insecure", "hardened"] {
            let node = Node::load(&fixture(&format!("{dir}/{kind}"))).expect("loads");
            assert_eq!(node.generation, Some(generation), "{dir}/{kind}");
        }
    }
}

fn find<'a>(judgements: &'a [Judgement], check: &str, setting: &str) -> &'a Judgement {
    judgements
        .iter()
        .find(|j| j.check_id == check && j.setting == setting)
        .unwrap_or_else(|| panic!("no judgement of {check} on {setting}"))
}

#[test]
fn findings_point_at_the_line_and_give_the_exact_yaml() {
    let all = judge("3.11/insecure");
    let auth = find(
        &all,
        "cassandra_config_authenticator_allow_all",
        "authenticator",
    );
    assert_eq!(auth.line, Some(6));
    assert_eq!(auth.file, fixture("3.11/insecure/cassandra.yaml"));
    assert_eq!(auth.fix, vec!["authenticator: PasswordAuthenticator"]);
    let internode = find(
        &all,
        "cassandra_config_internode_encryption_disabled",
        "server_encryption_options.internode_encryption",
    );
    assert_eq!(internode.line, Some(28));
    assert_eq!(
        internode.fix,
        vec!["server_encryption_options:", "  internode_encryption: all"]
    );
    let jmx = find(
        &all,
        "cassandra_jmx_remote_authentication_disabled",
        "com.sun.management.jmxremote.authenticate",
    );
    assert_eq!(jmx.file, fixture("3.11/insecure/cassandra-env.sh"));
    assert_eq!(jmx.line, Some(27));
    assert_eq!(
        jmx.fix,
        vec![r#"JVM_OPTS="$JVM_OPTS -Dcom.sun.management.jmxremote.authenticate=true""#]
    );
}

#[test]
fn an_unset_authenticator_fails_as_its_default() {
    let all = judge("4.0/insecure");
    let auth = find(
        &all,
        "cassandra_config_authenticator_allow_all",
        "authenticator",
    );
    assert_eq!((auth.status, auth.line), (Status::Fail, None));
    assert!(auth.message.contains("not set"), "{}", auth.message);
}

#[test]
fn start_rpc_is_judged_by_release_line() {
    let old = judge("3.11/insecure");
    assert_eq!(
        find(&old, "cassandra_config_thrift_enabled", "start_rpc").status,
        F
    );
    // 4.0 removed Thrift: the leftover `start_rpc: true` is no risk.
    let new = judge("4.0/insecure");
    let thrift = find(&new, "cassandra_config_thrift_enabled", "start_rpc");
    assert_eq!((thrift.status, thrift.line), (P, Some(20)));
    // Told it is a 3.x file, the same line fails.
    let node = Node::load(&fixture("4.0/insecure"))
        .expect("loads")
        .with_generation(Generation::V3);
    let as_3x = audit(&node);
    assert_eq!(
        find(&as_3x, "cassandra_config_thrift_enabled", "start_rpc").status,
        F
    );
}

#[test]
fn jmx_options_in_a_jvm_options_file_make_jmx_remote() {
    let all = judge("5.0/insecure");
    let port = find(
        &all,
        "cassandra_jmx_all_interfaces",
        "com.sun.management.jmxremote.port",
    );
    assert_eq!(port.file, fixture("5.0/insecure/jvm17-server.options"));
    assert_eq!(port.line, Some(2));
    let ssl = find(
        &all,
        "cassandra_jmx_remote_ssl_disabled",
        "com.sun.management.jmxremote.ssl",
    );
    assert_eq!(ssl.fix[0], "-Dcom.sun.management.jmxremote.ssl=true");
}

#[test]
fn remote_jmx_with_authentication_and_tls_passes_both_but_still_listens_everywhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        fixture("4.1/hardened/cassandra.yaml"),
        dir.path().join("cassandra.yaml"),
    )
    .expect("copy");
    std::fs::write(
        dir.path().join("cassandra-env.sh"),
        "LOCAL_JMX=no\nif [ \"$LOCAL_JMX\" = \"yes\" ]; then\n  JVM_OPTS=\"$JVM_OPTS -Dcom.sun.management.jmxremote.authenticate=false\"\nelse\n  JVM_OPTS=\"$JVM_OPTS -Dcassandra.jmx.remote.port=7199\"\n  JVM_OPTS=\"$JVM_OPTS -Dcom.sun.management.jmxremote.authenticate=true\"\n  JVM_OPTS=\"$JVM_OPTS -Dcom.sun.management.jmxremote.ssl=true\"\nfi\n",
    )
    .expect("write");
    let all = audit(&Node::load(dir.path()).expect("loads"));
    let status = |check: &str| {
        all.iter()
            .find(|j| j.check_id == check)
            .map(|j| j.status)
            .expect("judged")
    };
    assert_eq!(status("cassandra_jmx_remote_authentication_disabled"), P);
    assert_eq!(status("cassandra_jmx_remote_ssl_disabled"), P);
    assert_eq!(status("cassandra_jmx_all_interfaces"), F);
}

#[test]
fn a_lone_cassandra_yaml_is_audited_and_jmx_is_skipped_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let yaml = dir.path().join("cassandra.yaml");
    std::fs::write(&yaml, "authenticator: PasswordAuthenticator\n").expect("write");
    let all = audit(&Node::load(&yaml).expect("loads"));
    let jmx = all
        .iter()
        .find(|j| j.check_id == "cassandra_jmx_all_interfaces")
        .expect("judged");
    assert_eq!(jmx.status, S);
    assert!(jmx.message.contains("not judged"));
}

#[test]
fn malformed_yaml_is_an_error_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let yaml = dir.path().join("cassandra.yaml");
    std::fs::write(
        &yaml,
        "cluster_name: 'x'\nauthenticator: [unclosed\nauthorizer: x\n",
    )
    .expect("write");
    let error = Node::load(dir.path()).expect_err("malformed");
    assert_eq!(error.file, yaml);
    assert!(error.line.is_some(), "{error}");
    assert!(error.to_string().contains("not valid YAML"), "{error}");
}

#[test]
fn a_folder_without_cassandra_yaml_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let error = Node::load(dir.path()).expect_err("no yaml");
    assert!(error.to_string().contains("no cassandra.yaml"), "{error}");
}

#[test]
fn judgements_become_findings_with_the_check_metadata() {
    for j in judge("3.11/insecure") {
        let finding = j
            .to_finding()
            .expect("every judgement has registered metadata");
        assert_eq!(finding.check_id, j.check_id);
        assert_eq!(finding.status, j.status);
        assert_eq!(
            finding.resource.location.as_ref().and_then(|l| l.line),
            j.line
        );
    }
}
