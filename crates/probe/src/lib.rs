//! `ringfence probe`: proves from outside what a scan says is reachable.
//!
//! Safety rules, enforced here rather than left to callers: only the hosts and ports
//! given ([`scope`]: no CIDR expansion, no port ranges, a cap on both); one address per
//! host name; every connection through one rate limiter ([`rate`]); every connect and
//! every answer awaited under a timeout; nothing sent but protocol handshakes (CQL
//! OPTIONS/STARTUP, a TLS ClientHello, the JRMP header, a Thrift `describe_version`),
//! never credentials or queries.

pub mod cql;
mod crc;
pub mod findings;
pub mod outcome;
mod prober;
pub mod rate;
pub mod scope;
mod tls;

#[cfg(feature = "testing")]
pub mod testing;

pub use outcome::{Cql, CqlAuth, Outcome, Service, Unidentified};
pub use prober::{ProbeResult, Prober, Target, resolve};
pub use scope::{Limits, Port, ScopeError, TargetSpec, parse_ports};
