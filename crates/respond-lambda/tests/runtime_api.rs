//! The Lambda binary against a stand-in for the Lambda Runtime API on 127.0.0.1 (the
//! HTTP interface `provided.al2023` gives a `bootstrap`): it fetches each event, answers
//! with the outcome, reports a bad input as an invocation error, and refuses to start on
//! a wrong setting. No AWS call is made: the events need none in a dry run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// What the function posted: (request id, "response" or "error", body).
type Posted = (String, String, Value);

fn event(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../respond/tests/events")
            .join(name),
    )
    .unwrap()
}

/// Serves `events` one per `next`, then holds the next `next` open; sends every post.
fn serve(listener: TcpListener, events: Vec<String>, posted: mpsc::Sender<Posted>) {
    let mut queue = events.into_iter().enumerate();
    for stream in listener.incoming() {
        let Ok(stream) = stream else { return };
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut out = stream;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            if parts.len() < 2 {
                break;
            }
            let (method, path) = (parts[0].to_string(), parts[1].to_string());
            let mut length = 0;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = header.split_once(':')
                    && k.eq_ignore_ascii_case("content-length")
                {
                    length = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            if method == "GET" && path.ends_with("/runtime/invocation/next") {
                let Some((n, event)) = queue.next() else {
                    // Nothing more: keep the function waiting until the test ends.
                    std::thread::sleep(Duration::from_secs(3600));
                    return;
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: req-{n}\r\nLambda-Runtime-Deadline-Ms: 4102444800000\r\nLambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:ringfence-respond\r\nContent-Length: {}\r\n\r\n",
                    event.len()
                );
                out.write_all(head.as_bytes()).unwrap();
                out.write_all(event.as_bytes()).unwrap();
            } else if method == "POST" {
                let segments: Vec<&str> = path.split('/').collect();
                let id = segments[segments.len() - 2].to_string();
                let kind = segments[segments.len() - 1].to_string();
                let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                out.write_all(b"HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}")
                    .unwrap();
                posted.send((id, kind, value)).unwrap();
            } else {
                out.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                    .unwrap();
            }
            out.flush().unwrap();
        }
    }
}

fn function(api: &str, mode: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ringfence-respond"));
    cmd.env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", api)
        .env("AWS_LAMBDA_FUNCTION_NAME", "ringfence-respond")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("RINGFENCE_MODE", mode)
        // Nothing listens there: a call made by mistake fails instead of leaving.
        .env("RINGFENCE_ENDPOINT_URL", "http://127.0.0.1:9")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn the_function_answers_each_event_through_the_runtime_api() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let api = listener.local_addr().unwrap().to_string();
    let (tx, rx) = mpsc::channel();
    let events = vec![
        event("describe-instances.json"),
        event("stop-logging.json").replace("__TRAIL__", "org-trail"),
        r#"{"hello": "world"}"#.to_string(),
        // Calls AWS (to read the group) from the blocking thread: the endpoint refuses,
        // so the revoke fails and the invocation is an error naming it.
        event("authorize-ssh-to-world.json")
            .replace("__GROUP__", "sg-0abc")
            .replace("__RULE__", "sgr-0abc"),
    ];
    std::thread::spawn(move || serve(listener, events, tx));
    let mut child = function(&api, "dry-run").spawn().unwrap();

    let mut posted = Vec::new();
    for _ in 0..4 {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(p) => posted.push(p),
            Err(_) => break,
        }
    }
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        posted.len(),
        4,
        "posted {posted:?}; stdout {stdout}; stderr {}",
        String::from_utf8_lossy(&output.stderr)
    );

    let (id, kind, benign) = &posted[0];
    assert_eq!((id.as_str(), kind.as_str()), ("req-0", "response"));
    assert!(
        benign["note"]
            .as_str()
            .unwrap()
            .contains("no detector reads"),
        "{benign}"
    );

    let (id, kind, stopped) = &posted[1];
    assert_eq!((id.as_str(), kind.as_str()), ("req-1", "response"));
    assert_eq!(stopped["mode"], "dry-run");
    assert_eq!(
        stopped["findings"][0]["check_id"],
        "trail_cloudtrail_stopped_or_weakened"
    );
    assert_eq!(stopped["actions"][0]["action"], "start-logging");
    assert_eq!(stopped["actions"][0]["status"], "planned");

    let (id, kind, error) = &posted[2];
    assert_eq!((id.as_str(), kind.as_str()), ("req-2", "error"));
    assert!(
        error["errorMessage"]
            .as_str()
            .unwrap()
            .contains("not CloudTrail"),
        "{error}"
    );
    assert_eq!(error["errorType"], "ringfence.BadInput");

    let (id, kind, failed) = &posted[3];
    assert_eq!((id.as_str(), kind.as_str()), ("req-3", "error"));
    assert_eq!(failed["errorType"], "ringfence.ActionFailed");
    let message = failed["errorMessage"].as_str().unwrap();
    assert!(
        message.contains("1 action(s) failed") && message.contains("sg-0abc"),
        "{failed}"
    );

    // Every outcome and error is in the log (stdout: CloudWatch Logs), one JSON line each.
    let lines: Vec<Value> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.get("ringfence_outcome").is_some())
            .count(),
        3,
        "{stdout}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.get("ringfence_error").is_some())
            .count(),
        1,
        "{stdout}"
    );
}

#[test]
fn a_wrong_setting_stops_the_cold_start_naming_it() {
    // Never reaches the API: the settings are read first.
    let probe = TcpStream::connect("127.0.0.1:9").is_err();
    assert!(probe, "something listens on 127.0.0.1:9");
    let output = function("127.0.0.1:9", "yolo").output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("RINGFENCE_MODE"), "{stderr}");
}
