//! `ringfence respond`: one input in, the same detectors as `ringfence trail`, and a
//! response per config.
//!
//! The input is one of:
//! - an EventBridge "AWS API Call via CloudTrail" event (or a bare CloudTrail record):
//!   the detectors judge it; an ingress finding's rules are revoked (the fix engine's
//!   plan, the backup written to the log before anything changes, verified after), a
//!   stopped trail gets `StartLogging`, and the findings go to an SNS topic;
//! - a scheduled scan request (`{"ringfence": "scan", "region": ..., ...}`): a live scan
//!   of one account and region, its JSON report put in S3;
//! - a scheduled expiry request (`{"ringfence": "expire", "region": ...}`): the expired
//!   time-boxed grants (`ringfence grant`) of the region revoked.
//!
//! [`handle`] is synchronous: the Lambda binary (`crates/respond-lambda`) runs it on a
//! blocking thread, `ringfence respond` calls it directly. Each invocation sees one
//! event, so the detectors that need a window of events (open-then-close, bursts) do
//! not run here; `ringfence trail` over the logs finds those.

pub mod config;
mod event;
mod notify;
pub mod outcome;
pub mod request;
mod scan;

pub use config::{Actions, Log, Mode, Responder, VARIABLES, WINDOWED};
pub use event::{INGRESS_OPENED, TRAIL_WEAKENED};
pub use outcome::{Action, ActionKind, Kind, Outcome, Status};
pub use request::Request;
pub use scan::report;

/// Why an invocation could not be handled at all. (An action that fails is not an
/// error: it is in the outcome, with the reason, beside the ones that worked.)
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not JSON.
    #[error("the input is not JSON: {0}")]
    Malformed(String),
    /// JSON, but not an event or request the responder knows.
    #[error("not a CloudTrail event the responder can read: {0}")]
    Event(String),
    #[error("bad request: {0}")]
    Request(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("AWS: {0}")]
    Aws(String),
    #[error("internal: {0}")]
    Internal(String),
}

/// Handles one input (the Lambda event's JSON).
pub fn handle(input: &[u8], responder: &Responder) -> Result<Outcome, Error> {
    let value: serde_json::Value = serde_json::from_slice(input).map_err(|e| {
        Error::Malformed(format!(
            "{} at line {} column {}",
            describe(&e),
            e.line(),
            e.column()
        ))
    })?;
    match Request::of(&value).map_err(Error::Request)? {
        Some(Request::Scan(request)) => scan::scan(&request, responder),
        Some(Request::Expire(request)) => scan::expire(&request, responder),
        None => event::handle(input, responder),
    }
}

/// serde_json's message without its own position suffix.
fn describe(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}
