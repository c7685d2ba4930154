//! One line per failure: the service's code and message, or what went wrong on the way.
//! Never the request, its headers or its credentials.

use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};

pub(crate) fn reason<E: ProvideErrorMetadata, R>(error: SdkError<E, R>) -> String {
    match &error {
        SdkError::ServiceError(service) => {
            let err = service.err();
            match (err.code(), err.message()) {
                (Some(code), Some(message)) => format!("{code}: {message}"),
                (Some(code), None) => code.to_string(),
                (None, Some(message)) => message.to_string(),
                (None, None) => {
                    "the service answered with an error it did not name (HTTP 5xx?)".to_string()
                }
            }
        }
        SdkError::TimeoutError(_) => "timed out".to_string(),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => "timed out".to_string(),
        SdkError::DispatchFailure(failure) if failure.is_io() => "connection failed".to_string(),
        SdkError::DispatchFailure(_) => "the request could not be sent".to_string(),
        SdkError::ResponseError(_) => "the response could not be read".to_string(),
        SdkError::ConstructionFailure(_) => "the request could not be built".to_string(),
        _ => "failed".to_string(),
    }
}
