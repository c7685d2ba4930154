//! The probe against test responders on 127.0.0.1, one per kind of thing that can sit
//! on a Cassandra port. Each is identified right, and nothing hangs: every test runs
//! under an outer deadline well above the probe's own timeouts.

use ringfence_findings::Status;
use ringfence_node::endpoint::{
    CQL_EXPOSED, CQL_NO_AUTH, INTERNODE_EXPOSED, JMX_EXPOSED, PORT_OPEN, THRIFT_EXPOSED,
};
use ringfence_probe::findings::to_findings;
use ringfence_probe::testing::{Behaviour, CqlServer, Responder};
use ringfence_probe::{
    CqlAuth, Limits, Outcome, Port, ProbeResult, Prober, Service, Target, TargetSpec, Unidentified,
};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
/// The outer deadline: a probe that outlives it has hung.
const DEADLINE: Duration = Duration::from_secs(20);

fn limits() -> Limits {
    Limits::new(50.0, Duration::from_millis(800)).expect("valid limits")
}

fn prober(ports: Vec<Port>, limits: Limits) -> Arc<Prober> {
    let target = Target {
        spec: TargetSpec::Ip(LOCALHOST),
        ip: LOCALHOST,
    };
    Arc::new(Prober::new(vec![target], ports, limits).expect("prober"))
}

/// Probes one responder as `service`; returns the result and the connections it saw.
async fn probe(behaviour: Behaviour, service: Service) -> (ProbeResult, usize) {
    let responder = Responder::start(behaviour).await.expect("responder");
    let port = Port {
        number: responder.addr.port(),
        service,
    };
    let prober = prober(vec![port], limits());
    let results = tokio::time::timeout(DEADLINE, prober.run())
        .await
        .expect("the probe finishes: no hang");
    assert_eq!(results.len(), 1);
    let result = results.into_iter().next().expect("one result");
    assert_eq!(
        prober.connections(),
        responder.accepted().len(),
        "every connection the prober counts reached the responder, and no other"
    );
    (result, responder.accepted().len())
}

fn cql(outcome: &Outcome) -> &ringfence_probe::Cql {
    match outcome {
        Outcome::Cassandra(cql) => cql,
        other => panic!("expected Cassandra, got {other:?}"),
    }
}

fn only_failure(result: &ProbeResult) -> ringfence_findings::Finding {
    let findings = to_findings(std::slice::from_ref(result));
    let failing: Vec<_> = findings
        .into_iter()
        .filter(|f| f.status == Status::Fail)
        .collect();
    assert_eq!(failing.len(), 1, "{failing:?}");
    failing.into_iter().next().expect("one")
}

#[tokio::test]
async fn v5_without_authentication_is_identified_with_framing_verified() {
    let (result, connections) = probe(Behaviour::Cql(CqlServer::v5(None)), Service::Cql).await;
    let cql = cql(&result.outcome);
    assert_eq!(cql.protocol, 5);
    assert_eq!(cql.auth, CqlAuth::NotRequired);
    assert_eq!(
        cql.v5_framing,
        Some(true),
        "a framed OPTIONS got a framed SUPPORTED"
    );
    assert!(!cql.tls);
    assert_eq!(cql.release_hint(), Some("4.1"));
    assert_eq!(cql.values("PROTOCOL_VERSIONS"), ["3/v3", "4/v4", "5/v5"]);
    assert_eq!(connections, 1);
    let finding = only_failure(&result);
    assert_eq!(finding.check_id, CQL_NO_AUTH.id);
    let port = result.port.number;
    assert!(
        finding.message.starts_with(&format!(
            "{port} answers as Cassandra 4.1 (CQL 3.4.6, native protocol v5"
        )),
        "{}",
        finding.message
    );
    assert!(
        finding.message.ends_with("no authentication required"),
        "{}",
        finding.message
    );
}

#[tokio::test]
async fn v5_with_password_authenticator_names_it() {
    let class = "org.apache.cassandra.auth.PasswordAuthenticator";
    let (result, _) = probe(Behaviour::Cql(CqlServer::v5(Some(class))), Service::Cql).await;
    let cql = cql(&result.outcome);
    assert_eq!(cql.auth, CqlAuth::Required(class.to_string()));
    assert_eq!(cql.v5_framing, Some(true));
    let finding = only_failure(&result);
    assert_eq!(finding.check_id, CQL_EXPOSED.id);
    assert!(
        finding
            .message
            .contains("authentication required (PasswordAuthenticator)"),
        "{}",
        finding.message
    );
    let findings = to_findings(std::slice::from_ref(&result));
    assert!(
        findings
            .iter()
            .any(|f| f.check_id == CQL_NO_AUTH.id && f.status == Status::Pass)
    );
}

#[tokio::test]
async fn a_v4_only_server_is_reached_by_falling_back_from_v5() {
    let (result, connections) = probe(Behaviour::Cql(CqlServer::v4(None)), Service::Cql).await;
    let cql = cql(&result.outcome);
    assert_eq!(cql.protocol, 4);
    assert_eq!(cql.auth, CqlAuth::NotRequired);
    assert_eq!(cql.v5_framing, None);
    assert_eq!(cql.release_hint(), Some("3.11"));
    assert_eq!(connections, 2, "one refused v5, one v4");
}

#[tokio::test]
async fn a_v4_only_server_with_authentication() {
    let (result, _) = probe(
        Behaviour::Cql(CqlServer::v4(Some(
            "org.apache.cassandra.auth.PasswordAuthenticator",
        ))),
        Service::Cql,
    )
    .await;
    let cql = cql(&result.outcome);
    assert_eq!(cql.protocol, 4);
    assert!(matches!(cql.auth, CqlAuth::Required(_)));
}

#[tokio::test]
async fn tls_on_the_tls_port_is_spoken_first() {
    let server = CqlServer::v5(Some("PasswordAuthenticator")).with_tls();
    let (result, connections) = probe(Behaviour::Cql(server), Service::CqlTls).await;
    let cql = cql(&result.outcome);
    assert!(cql.tls);
    assert_eq!(cql.protocol, 5);
    assert_eq!(cql.v5_framing, Some(true), "framing inside TLS");
    assert_eq!(connections, 1);
    assert!(only_failure(&result).message.contains("over TLS"));
}

#[tokio::test]
async fn tls_only_cql_on_the_plain_port_is_found_after_the_plaintext_attempt() {
    let server = CqlServer::v4(None).with_tls();
    let (result, connections) = probe(Behaviour::Cql(server), Service::Cql).await;
    let cql = cql(&result.outcome);
    assert!(cql.tls);
    assert_eq!(cql.auth, CqlAuth::NotRequired);
    // plaintext (cut off), then TLS v5 (refused), then TLS v4.
    assert_eq!(connections, 3);
}

#[tokio::test]
async fn an_http_server_is_not_cassandra() {
    let (result, connections) = probe(Behaviour::Http, Service::Cql).await;
    assert_eq!(
        result.outcome,
        Outcome::Unidentified {
            tls: false,
            what: Unidentified::Http("HTTP/1.1 400 Bad Request".into())
        }
    );
    assert_eq!(connections, 1);
    let finding = only_failure(&result);
    assert_eq!(finding.check_id, PORT_OPEN.id);
    assert!(
        finding.message.contains("HTTP server") && finding.message.ends_with("not as Cassandra")
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let started = std::time::Instant::now();
    let (result, connections) = probe(Behaviour::Silent, Service::Cql).await;
    assert_eq!(
        result.outcome,
        Outcome::Unidentified {
            tls: false,
            what: Unidentified::Silent
        }
    );
    assert_eq!(connections, 1, "silence is the answer: no second attempt");
    assert!(started.elapsed() < DEADLINE);
    assert!(only_failure(&result).message.contains("never answers"));
}

#[tokio::test]
async fn a_silent_server_on_the_tls_port_is_reported_silent() {
    let (result, connections) = probe(Behaviour::Silent, Service::CqlTls).await;
    assert_eq!(
        result.outcome,
        Outcome::Unidentified {
            tls: false,
            what: Unidentified::Silent
        }
    );
    assert_eq!(connections, 2, "a TLS attempt, then plaintext");
}

#[tokio::test]
async fn an_http_server_on_the_tls_port_is_named() {
    let (result, _) = probe(Behaviour::Http, Service::CqlTls).await;
    assert!(
        matches!(
            &result.outcome,
            Outcome::Unidentified {
                what: Unidentified::Http(_),
                ..
            }
        ),
        "{:?}",
        result.outcome
    );
}

#[tokio::test]
async fn a_server_that_closes_at_once() {
    let (result, connections) = probe(Behaviour::CloseAtOnce, Service::Cql).await;
    assert_eq!(
        result.outcome,
        Outcome::Unidentified {
            tls: false,
            what: Unidentified::ClosedAtOnce
        }
    );
    assert_eq!(connections, 2, "plaintext, then a TLS attempt");
    assert!(
        only_failure(&result)
            .message
            .contains("closes them at once")
    );
}

#[tokio::test]
async fn jmx_answers_the_jrmp_handshake() {
    let (result, _) = probe(Behaviour::Jmx, Service::Jmx).await;
    assert_eq!(result.outcome, Outcome::Jmx { ack: true });
    assert_eq!(only_failure(&result).check_id, JMX_EXPOSED.id);
}

#[tokio::test]
async fn jmx_port_with_http_behind_it_is_not_jmx() {
    let (result, _) = probe(Behaviour::Http, Service::Jmx).await;
    assert!(matches!(
        result.outcome,
        Outcome::Unidentified {
            what: Unidentified::Http(_),
            ..
        }
    ));
}

#[tokio::test]
async fn thrift_answers_describe_version() {
    let (result, _) = probe(Behaviour::Thrift, Service::Thrift).await;
    assert_eq!(
        result.outcome,
        Outcome::Thrift {
            version: Some("20.1.0".into())
        }
    );
    let finding = only_failure(&result);
    assert_eq!(finding.check_id, THRIFT_EXPOSED.id);
    assert!(finding.message.contains("describe_version: 20.1.0"));
}

#[tokio::test]
async fn internode_says_whether_tls_is_spoken_and_plaintext_refused() {
    // A TLS-only listener: the handshake completes, plaintext bytes are dropped at once.
    let (tls, connections) = probe(Behaviour::TlsOnly, Service::Internode).await;
    assert_eq!(
        tls.outcome,
        Outcome::Internode {
            tls: true,
            plaintext: false
        }
    );
    assert_eq!(connections, 2, "one plaintext, one TLS");
    assert!(only_failure(&tls).message.contains("TLS likely required"));
    // A plaintext listener that waits for the rest of the handshake.
    let (plain, _) = probe(Behaviour::Silent, Service::Internode).await;
    assert_eq!(
        plain.outcome,
        Outcome::Internode {
            tls: false,
            plaintext: true
        }
    );
    let finding = only_failure(&plain);
    assert_eq!(finding.check_id, INTERNODE_EXPOSED.id);
    assert!(finding.message.contains("plaintext internode"));
}

#[tokio::test]
async fn a_closed_port_passes() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let prober = prober(vec![Port::new(port)], limits());
    let results = tokio::time::timeout(DEADLINE, prober.run())
        .await
        .expect("no hang");
    assert_eq!(results[0].outcome, Outcome::Refused);
    let findings = to_findings(&results);
    assert!(findings.iter().all(|f| f.status == Status::Pass));
}

#[tokio::test]
async fn a_target_or_port_not_given_is_refused_without_a_connection() {
    let responder = Responder::start(Behaviour::Cql(CqlServer::v5(None)))
        .await
        .expect("responder");
    let port = responder.addr.port();
    let ipv6_only = Target {
        spec: TargetSpec::Ip("::1".parse().expect("ip")),
        ip: "::1".parse().expect("ip"),
    };
    let prober = Prober::new(vec![ipv6_only], vec![Port::new(port)], limits()).expect("prober");
    assert!(
        prober.probe(LOCALHOST, port).await.is_err(),
        "127.0.0.1 was not given"
    );
    let local_target = Target {
        spec: TargetSpec::Ip(LOCALHOST),
        ip: LOCALHOST,
    };
    let prober = Prober::new(vec![local_target], vec![Port::new(port)], limits()).expect("prober");
    assert!(
        prober.probe(LOCALHOST, port.wrapping_add(1)).await.is_err(),
        "that port was not given"
    );
    assert_eq!(prober.connections(), 0);
    // A plan gives each host its own ports: another host's port is not this one's.
    let other = Target {
        spec: TargetSpec::Ip("::1".parse().expect("ip")),
        ip: "::1".parse().expect("ip"),
    };
    let local = Target {
        spec: TargetSpec::Ip(LOCALHOST),
        ip: LOCALHOST,
    };
    let prober = Prober::with_plan(
        vec![
            (local, vec![Port::new(port.wrapping_add(1))]),
            (other, vec![Port::new(port)]),
        ],
        limits(),
    )
    .expect("prober");
    assert!(
        prober.probe(LOCALHOST, port).await.is_err(),
        "the port was given for ::1 only"
    );
    assert_eq!(prober.connections(), 0);
    assert!(
        responder.accepted().is_empty(),
        "no connection reached the responder"
    );
}

#[tokio::test]
async fn connections_are_never_faster_than_the_rate() {
    // Five responders, one connection each (HTTP answers at once): five connections in
    // one run at 8 per second must be at least 125 ms apart.
    let mut responders = Vec::new();
    for _ in 0..5 {
        responders.push(Responder::start(Behaviour::Http).await.expect("responder"));
    }
    let ports = responders
        .iter()
        .map(|r| Port::new(r.addr.port()))
        .collect();
    let rate = 8.0;
    let prober = prober(
        ports,
        Limits::new(rate, Duration::from_millis(800)).expect("limits"),
    );
    tokio::time::timeout(DEADLINE, prober.run())
        .await
        .expect("no hang");
    let mut accepted: Vec<_> = responders.iter().flat_map(|r| r.accepted()).collect();
    accepted.sort();
    assert_eq!(accepted.len(), 5);
    let interval = Duration::from_secs_f64(1.0 / rate);
    // The limiter spaces connection starts by the interval; accept times can jitter by
    // the scheduler's delay, so allow a little slack per gap.
    let slack = Duration::from_millis(25);
    for pair in accepted.windows(2) {
        assert!(
            pair[1] - pair[0] + slack >= interval,
            "gap {:?} < {interval:?}",
            pair[1] - pair[0]
        );
    }
    let span = accepted[4] - accepted[0];
    assert!(span + slack >= interval * 4, "5 connections in {span:?}");
}

/// Probes one CQL responder with the default-credentials attempt on or off.
async fn probe_login(server: CqlServer, try_default: bool) -> ProbeResult {
    let responder = Responder::start(Behaviour::Cql(server))
        .await
        .expect("responder");
    let port = Port {
        number: responder.addr.port(),
        service: Service::Cql,
    };
    let mut limits = limits();
    limits.try_default_credentials = try_default;
    let results = tokio::time::timeout(DEADLINE, prober(vec![port], limits).run())
        .await
        .expect("the probe finishes: no hang");
    results.into_iter().next().expect("one result")
}

#[tokio::test]
async fn the_default_superuser_is_tried_only_when_asked_and_judged_on_v4_and_v5() {
    use ringfence_node::endpoint::CQL_DEFAULT_SUPERUSER;
    let password = "org.apache.cassandra.auth.PasswordAuthenticator";
    for server in [CqlServer::v5(Some(password)), CqlServer::v4(Some(password))] {
        let version = server.max_version;
        let open = probe_login(
            server.clone().with_credentials("cassandra", "cassandra"),
            true,
        )
        .await;
        assert_eq!(cql(&open.outcome).default_login, Some(true), "v{version}");
        let failing: Vec<_> = to_findings(std::slice::from_ref(&open))
            .into_iter()
            .filter(|f| f.status == Status::Fail)
            .map(|f| f.check_id)
            .collect();
        assert!(
            failing.contains(&CQL_DEFAULT_SUPERUSER.id),
            "v{version}: {failing:?}"
        );

        let changed =
            probe_login(server.clone().with_credentials("cassandra", "s3cret"), true).await;
        assert_eq!(
            cql(&changed.outcome).default_login,
            Some(false),
            "v{version}"
        );
        let passing = to_findings(std::slice::from_ref(&changed))
            .into_iter()
            .any(|f| f.check_id == CQL_DEFAULT_SUPERUSER.id && f.status == Status::Pass);
        assert!(passing, "v{version}");

        // Not asked: never tried, even where it would work.
        let untried = probe_login(server.with_credentials("cassandra", "cassandra"), false).await;
        assert_eq!(cql(&untried.outcome).default_login, None, "v{version}");
    }
}
