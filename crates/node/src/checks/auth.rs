//! What the authentication and authorization checks share.

pub(super) const AUTH_DOC: &str =
    "https://cassandra.apache.org/doc/latest/cassandra/managing/operating/security.html";
