//! What the Thrift and dual-port checks share.

pub(super) const DOC: &str =
    "https://cassandra.apache.org/doc/latest/cassandra/managing/configuration/cass_yaml_file.html";
