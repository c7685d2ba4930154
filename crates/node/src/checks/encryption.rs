//! What the TLS checks share: the two option blocks, whether each side's TLS is on, and
//! what counts as a broken protocol or cipher suite.

use crate::Node;

pub(super) const DOC: &str = "https://cassandra.apache.org/doc/latest/cassandra/managing/operating/security.html#tls-ssl-encryption";
pub(super) const SERVER: &str = "server_encryption_options";
pub(super) const CLIENT_OPTS: &str = "client_encryption_options";

/// Whether each side's TLS is on, so the checks that refine it judge only where it is.
pub(super) fn tls_on(node: &Node, options: &str) -> bool {
    if options == SERVER {
        node.get("server_encryption_options.internode_encryption")
            .and_then(|e| e.value.as_str())
            .is_some_and(|m| !m.trim().eq_ignore_ascii_case("none"))
    } else {
        node.get("client_encryption_options.enabled")
            .is_some_and(|e| e.value.as_bool() == Some(true))
    }
}

pub(super) const WEAK_PROTOCOLS: &[&str] = &[
    "sslv2",
    "sslv2hello",
    "sslv3",
    "ssl",
    "tlsv1",
    "tlsv1.0",
    "tlsv1.1",
];
pub(super) const WEAK_CIPHER_MARKS: &[&str] = &[
    "_RC4_", "_DES_", "_3DES_", "DES40", "_NULL_", "EXPORT", "_anon_", "_MD5",
];
