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

/// Resolves the named hosts and probes them on a runtime of its own, for callers that
/// are not async (the CLI).
pub fn probe_blocking(
    specs: &[TargetSpec],
    ports: Vec<Port>,
    limits: Limits,
) -> Result<Vec<ProbeResult>, ScopeError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ScopeError(format!("starting the probe: {e}")))?;
    runtime.block_on(async {
        let targets = resolve(specs).await?;
        let prober = std::sync::Arc::new(Prober::new(targets, ports, limits)?);
        Ok(prober.run().await)
    })
}

/// Probes each target on its own ports, on a runtime of its own (`scan --probe`).
pub fn probe_plan_blocking(
    plan: Vec<(Target, Vec<Port>)>,
    limits: Limits,
) -> Result<Vec<ProbeResult>, ScopeError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ScopeError(format!("starting the probe: {e}")))?;
    let prober = std::sync::Arc::new(Prober::with_plan(plan, limits)?);
    Ok(runtime.block_on(prober.run()))
}
