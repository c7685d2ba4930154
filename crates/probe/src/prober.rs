//! The prober: one job per (host, port) the user named, every connection through the
//! rate limiter, every connect and every answer under the timeout.

use crate::cql::{self, Envelope, HEADER_LEN, Header};
use crate::outcome::{Cql, CqlAuth, Outcome, Service, Unidentified, classify};
use crate::rate::RateLimiter;
use crate::scope::{Limits, MAX_TARGETS, Port, ScopeError, TargetSpec};
use crate::tls;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinSet;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;

/// A host the user named, and the one address it was resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub spec: TargetSpec,
    pub ip: IpAddr,
}

/// The result for one host and port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeResult {
    pub target: Target,
    pub port: Port,
    pub outcome: Outcome,
}

/// Resolves each named host to one address (the first the resolver gives), so a name
/// never turns into several targets.
pub async fn resolve(specs: &[TargetSpec]) -> Result<Vec<Target>, ScopeError> {
    if specs.len() > MAX_TARGETS {
        return Err(ScopeError(format!(
            "{} hosts is a sweep, not a proof: at most {MAX_TARGETS}",
            specs.len()
        )));
    }
    let mut targets = Vec::with_capacity(specs.len());
    for spec in specs {
        let ip = match spec {
            TargetSpec::Ip(ip) => *ip,
            TargetSpec::Name(name) => tokio::net::lookup_host((name.as_str(), 0))
                .await
                .map_err(|e| ScopeError(format!("{name}: cannot resolve: {e}")))?
                .next()
                .map(|a| a.ip())
                .ok_or_else(|| ScopeError(format!("{name}: resolves to no address")))?,
        };
        if !targets.iter().any(|t: &Target| t.ip == ip) {
            targets.push(Target {
                spec: spec.clone(),
                ip,
            });
        }
    }
    Ok(targets)
}

/// Probes exactly its targets, each on its own ports, and refuses anything else.
pub struct Prober {
    plan: Vec<(Target, Vec<Port>)>,
    limits: Limits,
    limiter: RateLimiter,
    tls: TlsConnector,
    connections: AtomicUsize,
}

/// How a connection attempt failed.
enum ConnectError {
    Refused,
    Filtered,
    Other(String),
}

impl From<ConnectError> for Outcome {
    fn from(e: ConnectError) -> Outcome {
        match e {
            ConnectError::Refused => Outcome::Refused,
            ConnectError::Filtered => Outcome::Filtered,
            ConnectError::Other(m) => Outcome::Unreachable(m),
        }
    }
}

/// What reading a response envelope gave.
enum Read {
    Envelope(Envelope),
    /// The peer closed; what it had sent.
    Closed(Vec<u8>),
    /// Nothing more before the timeout; what it had sent.
    Silent(Vec<u8>),
    /// Bytes that are not an envelope header.
    NotCql(Vec<u8>),
}

/// One CQL handshake attempt on one connection.
enum Attempt {
    Done(Cql),
    /// The server refused this protocol version: try a lower one on a new connection.
    VersionRejected,
    NotCql(Unidentified),
}

impl Prober {
    /// Every target on every port.
    pub fn new(
        targets: Vec<Target>,
        ports: Vec<Port>,
        limits: Limits,
    ) -> Result<Prober, ScopeError> {
        let plan = targets.into_iter().map(|t| (t, ports.clone())).collect();
        Prober::with_plan(plan, limits)
    }

    /// Each target on its own ports (`scan --probe`: the ports found exposed on each
    /// instance, and no others).
    pub fn with_plan(plan: Vec<(Target, Vec<Port>)>, limits: Limits) -> Result<Prober, ScopeError> {
        if plan.is_empty() {
            return Err(ScopeError("no host to probe".into()));
        }
        if plan.len() > MAX_TARGETS {
            return Err(ScopeError(format!(
                "{} hosts is a sweep, not a proof: at most {MAX_TARGETS}",
                plan.len()
            )));
        }
        Ok(Prober {
            limiter: RateLimiter::new(limits.rate),
            tls: tls::connector().map_err(ScopeError)?,
            plan,
            limits,
            connections: AtomicUsize::new(0),
        })
    }

    /// The port, if this target was given with it.
    fn allowed(&self, ip: IpAddr, port: u16) -> Option<Port> {
        self.plan
            .iter()
            .filter(|(t, _)| t.ip == ip)
            .flat_map(|(_, ports)| ports.iter())
            .find(|p| p.number == port)
            .copied()
    }

    /// Connection attempts made so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::Relaxed)
    }

    /// Every target on every port, concurrently; the rate limiter spaces the
    /// connections. Results in target order, then port order.
    pub async fn run(self: &Arc<Self>) -> Vec<ProbeResult> {
        let mut jobs = JoinSet::new();
        for (ti, (target, ports)) in self.plan.iter().enumerate() {
            for (pi, port) in ports.iter().enumerate() {
                let prober = Arc::clone(self);
                let (target, port) = (target.clone(), *port);
                jobs.spawn(async move {
                    let outcome = prober
                        .probe_port(target.ip, port)
                        .await
                        .unwrap_or_else(|e| Outcome::Unreachable(e.to_string()));
                    (
                        ti,
                        pi,
                        ProbeResult {
                            target,
                            port,
                            outcome,
                        },
                    )
                });
            }
        }
        let mut results = Vec::new();
        while let Some(joined) = jobs.join_next().await {
            if let Ok(result) = joined {
                results.push(result);
            }
        }
        results.sort_by_key(|(ti, pi, _)| (*ti, *pi));
        results.into_iter().map(|(_, _, r)| r).collect()
    }

    /// Probes one address and port, if and only if that pair was given.
    pub async fn probe(&self, ip: IpAddr, port: u16) -> Result<Outcome, ScopeError> {
        let Some(port) = self.allowed(ip, port) else {
            return Err(refused(ip, port));
        };
        self.probe_port(ip, port).await
    }

    async fn probe_port(&self, ip: IpAddr, port: Port) -> Result<Outcome, ScopeError> {
        if self.allowed(ip, port.number).is_none() {
            return Err(refused(ip, port.number));
        }
        let addr = SocketAddr::new(ip, port.number);
        Ok(match port.service {
            Service::Cql => self.cql(addr, false).await,
            Service::CqlTls => self.cql(addr, true).await,
            Service::Internode => self.internode(addr).await,
            Service::Jmx => self.jmx(addr).await,
            Service::Thrift => self.thrift(addr).await,
            Service::Tcp => match self.connect(addr).await {
                Ok(_) => Outcome::Unidentified {
                    tls: false,
                    what: Unidentified::Accepted,
                },
                Err(e) => e.into(),
            },
        })
    }

    /// The one way a connection is opened: in scope (checked by the caller), after the
    /// rate limiter, under the timeout.
    async fn connect(&self, addr: SocketAddr) -> Result<TcpStream, ConnectError> {
        self.limiter.acquire().await;
        self.connections.fetch_add(1, Ordering::Relaxed);
        match timeout(self.limits.timeout, TcpStream::connect(addr)).await {
            Err(_) => Err(ConnectError::Filtered),
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                Err(ConnectError::Refused)
            }
            Ok(Err(e)) => Err(ConnectError::Other(e.to_string())),
            Ok(Ok(stream)) => {
                let _ = stream.set_nodelay(true);
                Ok(stream)
            }
        }
    }

    /// A TLS connection, or what stood in the way of the handshake: silence (it timed
    /// out) or a refusal (an alert or a close).
    async fn connect_tls(
        &self,
        addr: SocketAddr,
    ) -> Result<Result<tokio_rustls::client::TlsStream<TcpStream>, Unidentified>, ConnectError>
    {
        let tcp = self.connect(addr).await?;
        Ok(
            match timeout(
                self.limits.timeout,
                tls::handshake(&self.tls, tcp, addr.ip()),
            )
            .await
            {
                Ok(Ok(stream)) => Ok(stream),
                Ok(Err(_)) => Err(Unidentified::ClosedAtOnce),
                Err(_) => Err(Unidentified::Silent),
            },
        )
    }

    /// CQL with version negotiation: v5, then v4, then v3, each on a new connection, as
    /// drivers do. `tls_first` for the TLS port.
    async fn cql(&self, addr: SocketAddr, tls_first: bool) -> Outcome {
        let order: [bool; 2] = if tls_first {
            [true, false]
        } else {
            [false, true]
        };
        let mut misses: Vec<Outcome> = Vec::new();
        for use_tls in order {
            let outcome = self.cql_over(addr, use_tls).await;
            match &outcome {
                Outcome::Cassandra(_) => return outcome,
                // Nothing listens: no point trying the other transport.
                Outcome::Refused | Outcome::Filtered | Outcome::Unreachable(_) => return outcome,
                // Plaintext got an HTTP page or silence: that is the answer.
                Outcome::Unidentified {
                    what: Unidentified::Http(_) | Unidentified::Silent,
                    tls: false,
                } if !tls_first => return outcome,
                _ => {}
            }
            misses.push(outcome);
        }
        // The most telling miss: anything says more than a connection closed at once.
        let telling = misses.iter().position(|m| {
            !matches!(
                m,
                Outcome::Unidentified {
                    what: Unidentified::ClosedAtOnce,
                    ..
                }
            )
        });
        let index = telling.unwrap_or(0);
        if index < misses.len() {
            misses.swap_remove(index)
        } else {
            Outcome::Refused
        }
    }

    /// The handshake on one transport, with version fallback. A TLS handshake that
    /// fails is reported as the plaintext-side's miss would be, with `tls: true`.
    async fn cql_over(&self, addr: SocketAddr, use_tls: bool) -> Outcome {
        for version in [5u8, 4, 3] {
            let attempt = if use_tls {
                match self.connect_tls(addr).await {
                    Err(e) => return e.into(),
                    Ok(Err(what)) => return Outcome::Unidentified { tls: false, what },
                    Ok(Ok(mut stream)) => self.cql_attempt(&mut stream, version, true).await,
                }
            } else {
                match self.connect(addr).await {
                    Err(e) => return e.into(),
                    Ok(mut stream) => self.cql_attempt(&mut stream, version, false).await,
                }
            };
            match attempt {
                Attempt::Done(cql) => return Outcome::Cassandra(cql),
                Attempt::NotCql(what) => {
                    return Outcome::Unidentified { tls: use_tls, what };
                }
                Attempt::VersionRejected => continue,
            }
        }
        Outcome::Unidentified {
            tls: use_tls,
            what: Unidentified::Bytes("refused protocol versions 5, 4 and 3".into()),
        }
    }

    async fn cql_attempt<S>(&self, s: &mut S, version: u8, tls: bool) -> Attempt
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let options = Envelope::request(version, cql::OPTIONS, Vec::new()).encode();
        if s.write_all(&options).await.is_err() {
            return Attempt::NotCql(Unidentified::ClosedAtOnce);
        }
        let supported = match self.read_envelope(s).await {
            Read::Envelope(e) => e,
            Read::Closed(bytes) | Read::NotCql(bytes) => {
                return Attempt::NotCql(self.identify(s, bytes).await);
            }
            Read::Silent(bytes) if bytes.is_empty() => {
                return Attempt::NotCql(Unidentified::Silent);
            }
            Read::Silent(bytes) => return Attempt::NotCql(classify(&bytes)),
        };
        if rejects_version(&supported, version) {
            return Attempt::VersionRejected;
        }
        if supported.opcode != cql::SUPPORTED {
            return Attempt::NotCql(classify(&supported.encode()));
        }
        let Some(options) = cql::Reader::new(&supported.body).string_multimap() else {
            return Attempt::NotCql(classify(&supported.encode()));
        };
        let mut cql = Cql {
            tls,
            protocol: version,
            supported: options,
            auth: CqlAuth::NoAnswer,
            v5_framing: None,
            default_login: None,
        };
        let cql_version = cql
            .values("CQL_VERSION")
            .first()
            .cloned()
            .unwrap_or_else(|| "3.0.0".to_string());
        let startup = Envelope::request(
            version,
            cql::STARTUP,
            cql::string_map(&[("CQL_VERSION", &cql_version)]),
        )
        .encode();
        if s.write_all(&startup).await.is_err() {
            return Attempt::Done(cql);
        }
        let answer = match self.read_envelope(s).await {
            Read::Envelope(e) => e,
            _ => return Attempt::Done(cql),
        };
        if rejects_version(&answer, version) {
            return Attempt::VersionRejected;
        }
        cql.auth = match answer.opcode {
            cql::READY => CqlAuth::NotRequired,
            cql::AUTHENTICATE => CqlAuth::Required(
                cql::Reader::new(&answer.body)
                    .string()
                    .unwrap_or_else(|| "unnamed authenticator".into()),
            ),
            cql::ERROR => {
                let (code, message) = cql::parse_error(&answer.body).unwrap_or((0, String::new()));
                CqlAuth::Refused(code, message)
            }
            _ => CqlAuth::NoAnswer,
        };
        if version >= 5 && matches!(cql.auth, CqlAuth::NotRequired | CqlAuth::Required(_)) {
            cql.v5_framing = Some(self.framed_options(s, version).await);
        }
        if self.limits.try_default_credentials && matches!(cql.auth, CqlAuth::Required(_)) {
            cql.default_login = self.default_login(s, version).await;
        }
        Attempt::Done(cql)
    }

    /// One AUTH_RESPONSE with the default superuser's PLAIN token: AUTH_SUCCESS means the
    /// `cassandra` role still has its install-time password; a bad-credentials ERROR
    /// means not. Anything else (a challenge, silence) says nothing.
    async fn default_login<S>(&self, s: &mut S, version: u8) -> Option<bool>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let mut response = Envelope::request(
            version,
            cql::AUTH_RESPONSE,
            cql::plain_token("cassandra", "cassandra"),
        );
        response.stream = 2;
        let answer = if version >= 5 {
            let segment = cql::encode_segment(&response.encode(), true);
            s.write_all(&segment).await.ok()?;
            self.read_framed(s).await?
        } else {
            s.write_all(&response.encode()).await.ok()?;
            match self.read_envelope(s).await {
                Read::Envelope(e) => e,
                _ => return None,
            }
        };
        match answer.opcode {
            cql::AUTH_SUCCESS => Some(true),
            cql::ERROR => {
                let (code, _) = cql::parse_error(&answer.body)?;
                (code == cql::BAD_CREDENTIALS).then_some(false)
            }
            _ => None,
        }
    }

    /// One self-contained v5 segment, its CRCs checked, as an envelope.
    async fn read_framed<S>(&self, s: &mut S) -> Option<Envelope>
    where
        S: AsyncRead + Unpin,
    {
        let read = async {
            let mut header = [0u8; 6];
            s.read_exact(&mut header).await.ok()?;
            let (len, _self_contained) = cql::parse_segment_header(&header)?;
            let mut payload = vec![0u8; len];
            s.read_exact(&mut payload).await.ok()?;
            let mut trailer = [0u8; 4];
            s.read_exact(&mut trailer).await.ok()?;
            if !cql::payload_crc_ok(&payload, &trailer) {
                return None;
            }
            Envelope::decode(&payload)
        };
        timeout(self.limits.timeout, read).await.ok().flatten()
    }

    /// After READY or AUTHENTICATE, v5 traffic is framed: a framed OPTIONS must get a
    /// framed SUPPORTED whose header CRC24 and payload CRC32 hold.
    async fn framed_options<S>(&self, s: &mut S, version: u8) -> bool
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let mut options = Envelope::request(version, cql::OPTIONS, Vec::new());
        options.stream = 1;
        let segment = cql::encode_segment(&options.encode(), true);
        if s.write_all(&segment).await.is_err() {
            return false;
        }
        self.read_framed(s)
            .await
            .is_some_and(|e| e.opcode == cql::SUPPORTED && e.stream == 1)
    }

    async fn read_envelope<S>(&self, s: &mut S) -> Read
    where
        S: AsyncRead + Unpin,
    {
        let mut got = Vec::new();
        let header = match timeout(self.limits.timeout, read_up_to(s, &mut got, HEADER_LEN)).await {
            Err(_) => return Read::Silent(got),
            Ok(false) => return Read::Closed(got),
            Ok(true) => {
                let bytes: [u8; HEADER_LEN] = match got[..].try_into() {
                    Ok(b) => b,
                    Err(_) => return Read::NotCql(got),
                };
                match Header::parse(&bytes) {
                    Some(h) if h.version & cql::RESPONSE != 0 => h,
                    _ => return Read::NotCql(got),
                }
            }
        };
        let mut body = Vec::new();
        match timeout(self.limits.timeout, read_up_to(s, &mut body, header.length)).await {
            Ok(true) => Read::Envelope(Envelope {
                version: header.version,
                flags: header.flags,
                stream: header.stream,
                opcode: header.opcode,
                body,
            }),
            Ok(false) => Read::Closed(got),
            Err(_) => Read::Silent(got),
        }
    }

    /// Reads a little more of an unrecognised answer (an HTTP status line is longer
    /// than an envelope header) and names it.
    async fn identify<S>(&self, s: &mut S, mut bytes: Vec<u8>) -> Unidentified
    where
        S: AsyncRead + Unpin,
    {
        if !bytes.is_empty() {
            let mut more = [0u8; 128];
            let wait = self.limits.timeout.min(Duration::from_millis(300));
            if let Ok(Ok(n)) = timeout(wait, s.read(&mut more)).await {
                bytes.extend_from_slice(&more[..n]);
            }
        }
        classify(&bytes)
    }

    /// Internode: whether a plaintext connection survives the start of Cassandra's
    /// messaging handshake, and whether a TLS handshake succeeds. A node that requires
    /// TLS drops the plaintext bytes at once (its TLS layer cannot parse them); one that
    /// takes plaintext answers or waits for the rest of the handshake.
    async fn internode(&self, addr: SocketAddr) -> Outcome {
        let mut plain = match self.connect(addr).await {
            Ok(s) => s,
            Err(e) => return e.into(),
        };
        // PROTOCOL_MAGIC, then a 3.x-style header asking for messaging version 11.
        let mut hello = INTERNODE_MAGIC.to_be_bytes().to_vec();
        hello.extend_from_slice(&(11u32 << 8).to_be_bytes());
        let sent = plain.write_all(&hello).await.is_ok();
        let mut answer = [0u8; 64];
        let wait = self.limits.timeout.min(Duration::from_secs(1));
        let plaintext = sent
            && match timeout(wait, plain.read(&mut answer)).await {
                Err(_) => true,
                Ok(Ok(0)) | Ok(Err(_)) => false,
                Ok(Ok(_)) => answer[0] != 0x15,
            };
        drop(plain);
        let tls = match self.connect_tls(addr).await {
            Ok(result) => result.is_ok(),
            Err(_) => false,
        };
        Outcome::Internode { tls, plaintext }
    }

    /// JRMP: "JRMI", version 2, StreamProtocol (0x4b); ProtocolAck (0x4e) or
    /// ProtocolNotSupported (0x4f) back.
    async fn jmx(&self, addr: SocketAddr) -> Outcome {
        let mut s = match self.connect(addr).await {
            Ok(s) => s,
            Err(e) => return e.into(),
        };
        if s.write_all(b"JRMI\x00\x02\x4b").await.is_err() {
            return unidentified(Unidentified::ClosedAtOnce);
        }
        let mut first = Vec::new();
        match timeout(self.limits.timeout, read_up_to(&mut s, &mut first, 1)).await {
            Err(_) => unidentified(Unidentified::Silent),
            Ok(false) => unidentified(Unidentified::ClosedAtOnce),
            Ok(true) => match first[0] {
                0x4e => Outcome::Jmx { ack: true },
                0x4f => Outcome::Jmx { ack: false },
                _ => unidentified(self.identify(&mut s, first).await),
            },
        }
    }

    /// Thrift: a framed, strict binary-protocol call of `describe_version`.
    async fn thrift(&self, addr: SocketAddr) -> Outcome {
        let mut s = match self.connect(addr).await {
            Ok(s) => s,
            Err(e) => return e.into(),
        };
        if s.write_all(&thrift_describe_version()).await.is_err() {
            return unidentified(Unidentified::ClosedAtOnce);
        }
        let mut head = Vec::new();
        match timeout(self.limits.timeout, read_up_to(&mut s, &mut head, 4)).await {
            Err(_) => {
                return unidentified(if head.is_empty() {
                    Unidentified::Silent
                } else {
                    classify(&head)
                });
            }
            Ok(false) => return unidentified(classify(&head)),
            Ok(true) => {}
        }
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        if !(12..=64 * 1024).contains(&len) {
            return unidentified(self.identify(&mut s, head).await);
        }
        let mut frame = Vec::new();
        match timeout(self.limits.timeout, read_up_to(&mut s, &mut frame, len)).await {
            Ok(true) => match parse_thrift_reply(&frame) {
                Some(version) => Outcome::Thrift { version },
                None => unidentified(classify(&[head, frame].concat())),
            },
            _ => unidentified(classify(&head)),
        }
    }
}

fn refused(ip: IpAddr, port: u16) -> ScopeError {
    ScopeError(format!(
        "refusing {}: it was not given",
        SocketAddr::new(ip, port)
    ))
}

fn unidentified(what: Unidentified) -> Outcome {
    Outcome::Unidentified { tls: false, what }
}

/// A server refuses a protocol version with a protocol error, or by answering in
/// another version.
fn rejects_version(e: &Envelope, version: u8) -> bool {
    let other_version = e.version & 0x7f != version;
    let protocol_error = e.opcode == cql::ERROR
        && cql::parse_error(&e.body).is_some_and(|(code, _)| code == cql::PROTOCOL_ERROR);
    other_version || protocol_error
}

/// Reads until `buf` holds `n` bytes (true) or the peer closes (false); what arrived
/// stays in `buf` either way, and stays there if the caller's timeout drops this.
async fn read_up_to<S>(s: &mut S, buf: &mut Vec<u8>, n: usize) -> bool
where
    S: AsyncRead + Unpin,
{
    let mut chunk = [0u8; 4096];
    while buf.len() < n {
        let want = (n - buf.len()).min(chunk.len());
        match s.read(&mut chunk[..want]).await {
            Ok(0) | Err(_) => return false,
            Ok(k) => buf.extend_from_slice(&chunk[..k]),
        }
    }
    true
}

/// Cassandra's internode messaging magic number.
const INTERNODE_MAGIC: u32 = 0xCA55_2DFA;

const THRIFT_VERSION_1: u32 = 0x8001_0000;

fn thrift_describe_version() -> Vec<u8> {
    let name = b"describe_version";
    let mut message = (THRIFT_VERSION_1 | 1).to_be_bytes().to_vec();
    message.extend_from_slice(&(name.len() as u32).to_be_bytes());
    message.extend_from_slice(name);
    message.extend_from_slice(&1i32.to_be_bytes());
    message.push(0); // the empty argument struct's STOP
    let mut frame = (message.len() as u32).to_be_bytes().to_vec();
    frame.extend(message);
    frame
}

/// A REPLY (2) or EXCEPTION (3) to `describe_version`: `Some(Some(version))` when the
/// reply carries the version string, `Some(None)` for an exception, `None` if not Thrift.
fn parse_thrift_reply(frame: &[u8]) -> Option<Option<String>> {
    let word = u32::from_be_bytes(frame.get(..4)?.try_into().ok()?);
    if word & 0xffff_0000 != THRIFT_VERSION_1 {
        return None;
    }
    let kind = word & 0xff;
    let name_len = u32::from_be_bytes(frame.get(4..8)?.try_into().ok()?) as usize;
    let name = frame.get(8..8 + name_len)?;
    if name != b"describe_version" {
        return None;
    }
    let rest = frame.get(8 + name_len + 4..)?;
    match kind {
        2 => {
            // field 0 (success), type 11 (string)
            if rest.first() == Some(&11) && rest.get(1..3) == Some(&[0, 0]) {
                let len = u32::from_be_bytes(rest.get(3..7)?.try_into().ok()?) as usize;
                let value = rest.get(7..7 + len)?;
                Some(Some(String::from_utf8_lossy(value).into_owned()))
            } else {
                Some(None)
            }
        }
        3 => Some(None),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thrift_call_is_a_framed_strict_binary_message() {
        let frame = thrift_describe_version();
        let len = u32::from_be_bytes(frame[..4].try_into().expect("4 bytes")) as usize;
        assert_eq!(len, frame.len() - 4);
        assert_eq!(&frame[4..8], &[0x80, 0x01, 0x00, 0x01]);
    }

    #[test]
    fn thrift_replies_are_parsed_and_garbage_is_not() {
        let mut reply = (THRIFT_VERSION_1 | 2).to_be_bytes().to_vec();
        reply.extend_from_slice(&16u32.to_be_bytes());
        reply.extend_from_slice(b"describe_version");
        reply.extend_from_slice(&1i32.to_be_bytes());
        reply.extend_from_slice(&[11, 0, 0]);
        reply.extend_from_slice(&7u32.to_be_bytes());
        reply.extend_from_slice(b"20.1.0\0");
        reply.push(0);
        assert_eq!(
            parse_thrift_reply(&reply),
            Some(Some("20.1.0\0".to_string()))
        );
        for cut in 0..20 {
            assert_eq!(parse_thrift_reply(&reply[..cut]), None);
        }
        assert_eq!(parse_thrift_reply(b"HTTP/1.1 400 Bad Request"), None);
    }
}
