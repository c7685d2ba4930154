//! Test responders, written from the protocol specifications, on 127.0.0.1 only: a CQL
//! server (v4-only like 3.11, or v5 like 4.1, with or without PasswordAuthenticator,
//! plaintext or TLS), an HTTP server, one that accepts and never answers, one that
//! closes at once, a JMX/RMI endpoint and a Thrift server. Each records when it accepted
//! each connection, so tests can check the probe's rate.
//!
//! The certificate and key beside this file are a self-signed test pair for 127.0.0.1;
//! they protect nothing.

use crate::cql::{self, Envelope, HEADER_LEN, Header};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

const CERT: &[u8] = include_bytes!("test-cert.pem");
const KEY: &[u8] = include_bytes!("test-key.pem");

/// What a responder does with a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Behaviour {
    Cql(CqlServer),
    /// Reads a request and answers `400 Bad Request`.
    Http,
    /// Accepts and never sends a byte (holds the connection open).
    Silent,
    /// Accepts and closes at once.
    CloseAtOnce,
    /// A JRMP endpoint: ProtocolAck to the JRMI header.
    Jmx,
    /// A framed Thrift server answering `describe_version`.
    Thrift,
    /// TLS with nothing behind it: completes the handshake, then closes.
    TlsOnly,
}

/// A CQL server's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CqlServer {
    /// The highest protocol version it speaks (4 like 3.11, 5 like 4.0+).
    pub max_version: u8,
    /// `Some(class)`: answers STARTUP with AUTHENTICATE naming it.
    pub authenticator: Option<String>,
    pub tls: bool,
    pub cql_version: String,
    /// The one role and password it accepts (AUTH_RESPONSE, SASL PLAIN).
    pub credentials: Option<(String, String)>,
}

impl CqlServer {
    /// Like Cassandra 4.1: protocol v5, CQL 3.4.6.
    pub fn v5(authenticator: Option<&str>) -> CqlServer {
        CqlServer {
            max_version: 5,
            authenticator: authenticator.map(str::to_string),
            tls: false,
            cql_version: "3.4.6".into(),
            credentials: None,
        }
    }

    /// Like Cassandra 3.11: protocol v4, CQL 3.4.4.
    pub fn v4(authenticator: Option<&str>) -> CqlServer {
        CqlServer {
            max_version: 4,
            authenticator: authenticator.map(str::to_string),
            tls: false,
            cql_version: "3.4.4".into(),
            credentials: None,
        }
    }

    pub fn with_tls(mut self) -> CqlServer {
        self.tls = true;
        self
    }

    /// Accepts this role and password (and no other).
    pub fn with_credentials(mut self, user: &str, password: &str) -> CqlServer {
        self.credentials = Some((user.into(), password.into()));
        self
    }

    /// AUTH_SUCCESS for the configured credentials, else a bad-credentials ERROR.
    fn authenticate(&self, version: u8, request: &Envelope) -> Envelope {
        let given = cql::parse_plain_token(&request.body);
        match (&self.credentials, given) {
            (Some(expected), Some(given)) if *expected == given => Envelope::response(
                version,
                request.stream,
                cql::AUTH_SUCCESS,
                (-1i32).to_be_bytes().to_vec(),
            ),
            _ => Envelope::response(
                version,
                request.stream,
                cql::ERROR,
                cql::error_body(
                    cql::BAD_CREDENTIALS,
                    "Provided username and/or password are incorrect",
                ),
            ),
        }
    }
}

/// A running responder; stops when dropped.
pub struct Responder {
    pub addr: SocketAddr,
    accepted: Arc<Mutex<Vec<Instant>>>,
    task: JoinHandle<()>,
}

impl Drop for Responder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Responder {
    /// Listens on 127.0.0.1, on a port the system picks.
    pub async fn start(behaviour: Behaviour) -> std::io::Result<Responder> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let accepted = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&accepted);
        let acceptor = tls_acceptor();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                if let Ok(mut times) = log.lock() {
                    times.push(Instant::now());
                }
                let behaviour = behaviour.clone();
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    serve(stream, behaviour, acceptor).await;
                });
            }
        });
        Ok(Responder {
            addr,
            accepted,
            task,
        })
    }

    /// When each connection was accepted.
    pub fn accepted(&self) -> Vec<Instant> {
        self.accepted.lock().map(|t| t.clone()).unwrap_or_default()
    }
}

fn tls_acceptor() -> Option<tokio_rustls::TlsAcceptor> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let cert = CertificateDer::from_pem_slice(CERT).ok()?;
    let key = PrivateKeyDer::from_pem_slice(KEY).ok()?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .ok()?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .ok()?;
    Some(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

async fn serve(
    mut stream: TcpStream,
    behaviour: Behaviour,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
) {
    match behaviour {
        Behaviour::Cql(server) if server.tls => {
            let Some(acceptor) = acceptor else { return };
            if let Ok(mut tls) = acceptor.accept(stream).await {
                cql_server(&mut tls, &server).await;
            }
        }
        Behaviour::Cql(server) => cql_server(&mut stream, &server).await,
        Behaviour::Http => {
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf).await;
            let _ = stream
                .write_all(
                    b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )
                .await;
        }
        Behaviour::Silent => {
            let mut buf = [0u8; 1024];
            // Read and discard until the peer leaves; never answer.
            while let Ok(n) = stream.read(&mut buf).await {
                if n == 0 {
                    break;
                }
            }
        }
        Behaviour::CloseAtOnce => drop(stream),
        Behaviour::Jmx => {
            let mut header = [0u8; 7];
            if stream.read_exact(&mut header).await.is_ok() && &header[..4] == b"JRMI" {
                // ProtocolAck, then the client's host as seen (writeUTF) and port (int).
                let host = b"127.0.0.1";
                let mut ack = vec![0x4e];
                ack.extend_from_slice(&(host.len() as u16).to_be_bytes());
                ack.extend_from_slice(host);
                ack.extend_from_slice(&0i32.to_be_bytes());
                let _ = stream.write_all(&ack).await;
            }
        }
        Behaviour::Thrift => thrift_server(&mut stream).await,
        Behaviour::TlsOnly => {
            if let Some(acceptor) = acceptor {
                let _ = acceptor.accept(stream).await;
            }
        }
    }
}

async fn read_envelope<S: AsyncRead + Unpin>(s: &mut S) -> Option<Envelope> {
    let mut header = [0u8; HEADER_LEN];
    s.read_exact(&mut header).await.ok()?;
    let h = Header::parse(&header)?;
    let mut body = vec![0u8; h.length];
    s.read_exact(&mut body).await.ok()?;
    Some(Envelope {
        version: h.version,
        flags: h.flags,
        stream: h.stream,
        opcode: h.opcode,
        body,
    })
}

fn supported(server: &CqlServer, version: u8, stream: i16) -> Envelope {
    let versions: Vec<&str> = ["3/v3", "4/v4", "5/v5"]
        .into_iter()
        .take(usize::from(server.max_version.saturating_sub(2)))
        .collect();
    let cql_version = [server.cql_version.as_str()];
    let mut pairs: Vec<(&str, &[&str])> = vec![
        ("COMPRESSION", &["snappy", "lz4"]),
        ("CQL_VERSION", &cql_version),
    ];
    // 4.0 added PROTOCOL_VERSIONS; 3.11 does not send it.
    if server.max_version >= 5 {
        pairs.push(("PROTOCOL_VERSIONS", &versions));
    }
    Envelope::response(
        version,
        stream,
        cql::SUPPORTED,
        cql::string_multimap(&pairs),
    )
}

/// The server side of the handshake: unframed OPTIONS/SUPPORTED and STARTUP, then for
/// v5 framed segments (spec 2.3.1), answering framed OPTIONS.
async fn cql_server<S: AsyncRead + AsyncWrite + Unpin>(s: &mut S, server: &CqlServer) {
    loop {
        let Some(request) = read_envelope(s).await else {
            return;
        };
        let version = request.version & 0x7f;
        if request.version & cql::RESPONSE != 0 || version < 3 || version > server.max_version {
            let supported: Vec<String> = (3..=server.max_version)
                .map(|v| format!("{v}/v{v}"))
                .collect();
            let error = Envelope::response(
                server.max_version,
                request.stream,
                cql::ERROR,
                cql::error_body(
                    cql::PROTOCOL_ERROR,
                    &format!(
                        "Invalid or unsupported protocol version ({version}); supported versions are ({})",
                        supported.join(", ")
                    ),
                ),
            );
            let _ = s.write_all(&error.encode()).await;
            return;
        }
        match request.opcode {
            cql::OPTIONS => {
                if s.write_all(&supported(server, version, request.stream).encode())
                    .await
                    .is_err()
                {
                    return;
                }
            }
            cql::STARTUP => {
                let options = cql::Reader::new(&request.body)
                    .string_map()
                    .unwrap_or_default();
                if !options.iter().any(|(k, _)| k == "CQL_VERSION") {
                    let error = Envelope::response(
                        version,
                        request.stream,
                        cql::ERROR,
                        cql::error_body(cql::PROTOCOL_ERROR, "CQL_VERSION is mandatory"),
                    );
                    let _ = s.write_all(&error.encode()).await;
                    return;
                }
                let answer = match &server.authenticator {
                    None => Envelope::response(version, request.stream, cql::READY, Vec::new()),
                    Some(class) => {
                        let mut body = Vec::new();
                        body.extend_from_slice(&(class.len() as u16).to_be_bytes());
                        body.extend_from_slice(class.as_bytes());
                        Envelope::response(version, request.stream, cql::AUTHENTICATE, body)
                    }
                };
                if s.write_all(&answer.encode()).await.is_err() {
                    return;
                }
                if version >= 5 {
                    framed(s, server, version).await;
                    return;
                }
            }
            cql::AUTH_RESPONSE if server.authenticator.is_some() => {
                if s.write_all(&server.authenticate(version, &request).encode())
                    .await
                    .is_err()
                {
                    return;
                }
            }
            _ => {
                let error = Envelope::response(
                    version,
                    request.stream,
                    cql::ERROR,
                    cql::error_body(cql::PROTOCOL_ERROR, "unexpected message before STARTUP"),
                );
                let _ = s.write_all(&error.encode()).await;
                return;
            }
        }
    }
}

async fn framed<S: AsyncRead + AsyncWrite + Unpin>(s: &mut S, server: &CqlServer, version: u8) {
    loop {
        let mut header = [0u8; 6];
        if s.read_exact(&mut header).await.is_err() {
            return;
        }
        let Some((len, _)) = cql::parse_segment_header(&header) else {
            return;
        };
        let mut payload = vec![0u8; len];
        let mut trailer = [0u8; 4];
        if s.read_exact(&mut payload).await.is_err() || s.read_exact(&mut trailer).await.is_err() {
            return;
        }
        if !cql::payload_crc_ok(&payload, &trailer) {
            return;
        }
        let Some(request) = Envelope::decode(&payload) else {
            return;
        };
        let answer = if request.opcode == cql::OPTIONS {
            supported(server, version, request.stream)
        } else if request.opcode == cql::AUTH_RESPONSE && server.authenticator.is_some() {
            server.authenticate(version, &request)
        } else {
            Envelope::response(
                version,
                request.stream,
                cql::ERROR,
                cql::error_body(0x0100, "authentication required"),
            )
        };
        if s.write_all(&cql::encode_segment(&answer.encode(), true))
            .await
            .is_err()
        {
            return;
        }
    }
}

async fn thrift_server(s: &mut TcpStream) {
    let mut len = [0u8; 4];
    if s.read_exact(&mut len).await.is_err() {
        return;
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > 64 * 1024 {
        return;
    }
    let mut frame = vec![0u8; len];
    if s.read_exact(&mut frame).await.is_err() {
        return;
    }
    let Some(seqid) = frame.get(8 + 16..8 + 16 + 4) else {
        return;
    };
    let mut reply = 0x8001_0002u32.to_be_bytes().to_vec();
    reply.extend_from_slice(&16u32.to_be_bytes());
    reply.extend_from_slice(b"describe_version");
    reply.extend_from_slice(seqid);
    let version = b"20.1.0";
    reply.extend_from_slice(&[11, 0, 0]);
    reply.extend_from_slice(&(version.len() as u32).to_be_bytes());
    reply.extend_from_slice(version);
    reply.push(0);
    let mut out = (reply.len() as u32).to_be_bytes().to_vec();
    out.extend(reply);
    let _ = s.write_all(&out).await;
}
