//! `ringfence-respond`: the Lambda function (runtime `provided.al2023`, the binary as
//! `bootstrap`). Settings come from environment variables, read once at cold start (a
//! wrong one fails the start, naming the variable). Each invocation's outcome is logged
//! as one JSON line and returned; an invocation in which an action failed, or whose
//! input could not be handled, returns an error after logging why, so Lambda's error
//! metric, retries and failure destination see it.

use lambda_runtime::{Diagnostic, Error, LambdaEvent, service_fn};
use ringfence_respond::{Responder, handle};
use serde_json::Value;
use std::sync::Arc;

/// The `errorType` Lambda records: `ringfence.ActionFailed`, `ringfence.BadInput`, ...
fn diagnostic(error_type: &str, message: String) -> Diagnostic {
    Diagnostic {
        error_type: format!("ringfence.{error_type}"),
        error_message: message,
    }
}

async fn invoke(responder: Arc<Responder>, event: LambdaEvent<Value>) -> Result<Value, Diagnostic> {
    let internal = |e: &dyn std::fmt::Display| diagnostic("Internal", e.to_string());
    let input = serde_json::to_vec(&event.payload).map_err(|e| internal(&e))?;
    let request_id = event.context.request_id.clone();
    let log = responder.log.clone();
    // The handler's AWS calls block on runtimes of their own: off the async workers.
    let result = tokio::task::spawn_blocking(move || handle(&input, &responder))
        .await
        .map_err(|e| internal(&e))?;
    match result {
        Ok(outcome) => {
            let value = serde_json::to_value(&outcome).map_err(|e| internal(&e))?;
            log.write(&serde_json::json!({"ringfence_outcome": &value}).to_string());
            if outcome.failed() {
                let failed: Vec<String> = outcome
                    .actions
                    .iter()
                    .filter(|a| a.status == ringfence_respond::Status::Failed)
                    .map(|a| format!("{:?} {}: {}", a.action, a.target, a.detail))
                    .collect();
                return Err(diagnostic(
                    "ActionFailed",
                    format!(
                        "request {request_id}: {} action(s) failed: {}",
                        failed.len(),
                        failed.join("; ")
                    ),
                ));
            }
            Ok(value)
        }
        Err(e) => {
            log.write(
                &serde_json::json!({"ringfence_error": e.to_string(), "request_id": request_id})
                    .to_string(),
            );
            let kind = match e {
                ringfence_respond::Error::Malformed(_)
                | ringfence_respond::Error::Event(_)
                | ringfence_respond::Error::Request(_) => "BadInput",
                ringfence_respond::Error::Config(_) => "Config",
                ringfence_respond::Error::Aws(_) => "Aws",
                ringfence_respond::Error::Internal(_) => "Internal",
            };
            Err(diagnostic(kind, e.to_string()))
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let responder = Arc::new(Responder::from_env()?);
    lambda_runtime::run(service_fn(move |event| {
        invoke(Arc::clone(&responder), event)
    }))
    .await
}
