//! No input makes the audit panic: arbitrary text as cassandra.yaml, cassandra-env.sh and
//! jvm options either loads and is judged, or is an error naming the file.

use proptest::prelude::*;
use ringfence_node::env::JvmSettings;
use ringfence_node::yaml::YamlFile;
use ringfence_node::{Node, audit};
use std::path::{Path, PathBuf};

fn judge(yaml: &str, env: &str, jvm: &str) {
    let yaml_path = Path::new("cassandra.yaml");
    let Ok(file) = YamlFile::parse(yaml, yaml_path) else {
        return;
    };
    let mut settings = JvmSettings::default();
    settings.read_env_sh(env, Path::new("cassandra-env.sh"));
    settings.read_jvm_options(jvm, Path::new("jvm.options"));
    let node = Node::from_parts(
        PathBuf::from("cassandra.yaml"),
        file,
        Some(PathBuf::from("cassandra-env.sh")),
        vec![PathBuf::from("jvm.options")],
        settings,
    );
    for judgement in audit(&node) {
        let _ = judgement.to_finding();
    }
}

/// YAML-ish text built from the setting names the checks read, so generated input
/// reaches the checks instead of failing to parse.
fn yamlish() -> impl Strategy<Value = String> {
    let keys = prop::sample::select(vec![
        "authenticator",
        "authorizer",
        "network_authorizer",
        "listen_address",
        "rpc_address",
        "broadcast_rpc_address",
        "start_rpc",
        "native_transport_port_ssl",
        "server_encryption_options",
        "client_encryption_options",
        "  enabled",
        "  optional",
        "  internode_encryption",
        "  require_client_auth",
        "  accepted_protocols",
        "  cipher_suites",
        "  keystore_password",
        "  class_name",
    ]);
    let values = prop::sample::select(vec![
        "",
        "true",
        "false",
        "0.0.0.0",
        "::",
        "10.0.0.1",
        "8.8.8.8",
        "none",
        "all",
        "dc",
        "[TLSv1, TLSv1.2]",
        "[]",
        "{}",
        "cassandra",
        "~",
        "'x'",
        "&a 1",
        "*a",
        "!!str 5",
        "[",
        "- a",
        "optional",
        "AllowAllAuthenticator",
    ]);
    prop::collection::vec((keys, values), 0..20).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(k, v)| format!("{k}: {v}\n"))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(yaml in ".{0,200}", env in ".{0,200}", jvm in ".{0,120}") {
        judge(&yaml, &env, &jvm);
    }

    #[test]
    fn settings_shaped_text_never_panics(yaml in yamlish(), env in "(LOCAL_JMX=(yes|no)\n|if \\[ \"\\$LOCAL_JMX\" = \"yes\" \\]; then\n|else\n|fi\n|JVM_OPTS=\"-Dcom.sun.management.jmxremote.(ssl|authenticate|port)=(true|false|7199)\"\n){0,12}") {
        judge(&yaml, &env, "-Dcom.sun.management.jmxremote.port=7199\n");
    }
}
