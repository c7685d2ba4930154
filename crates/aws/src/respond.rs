//! What `ringfence respond` does through the SDK besides scanning ([`crate::collect`]),
//! fixing ([`crate::apply::apply_with`]) and expiring grants ([`crate::grant::expire`]):
//! read one security group as it is now, restart a trail's logging, publish to an SNS
//! topic, put a report into S3.
//!
//! Each call is synchronous and runs on a small runtime of its own, as `apply` does, so
//! the responder can call it from a plain thread (the Lambda binary runs the handler on
//! tokio's blocking pool). Errors are one line: the service's code and message, never
//! the request or its credentials.

use crate::apply::{read_ingress, runtime};
use crate::{Options, error};
use ringfence_model::{Estate, FileId, Origin, Position, Rule, Scope, SecurityGroup, Tags};

fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, String> {
    Ok(runtime().map_err(|e| e.to_string())?.block_on(future))
}

/// One security group as it is now, as a one-group estate (the fix engine plans over
/// it); `None` when the group does not exist.
pub fn read_group(
    options: &Options,
    region: &str,
    group_id: &str,
) -> Result<Option<Estate>, String> {
    block_on(async {
        let config = crate::sdk_config(options).await;
        let client = crate::ec2_client(&config, region, options);
        let described = client
            .describe_security_groups()
            .group_ids(group_id)
            .send()
            .await;
        let group = match described {
            Ok(out) => match out.security_groups().first() {
                Some(g) => g.clone(),
                None => return Ok(None),
            },
            Err(e) => {
                let reason = error::reason(e);
                return if reason.contains("NotFound") {
                    Ok(None)
                } else {
                    Err(format!("ec2:DescribeSecurityGroups {group_id}: {reason}"))
                };
            }
        };
        let Some(permissions) = read_ingress(&client, group_id)
            .await
            .map_err(|e| format!("ec2:DescribeSecurityGroupRules {group_id}: {e}"))?
        else {
            return Ok(None);
        };
        let ingress: Vec<Rule> = permissions.iter().filter_map(|p| p.to_rule()).collect();
        let mut estate = Estate::default();
        let scope = estate.scope_id(Scope {
            account: group.owner_id().map(str::to_string),
            region: region.to_string(),
        });
        estate.security_groups.push(SecurityGroup {
            id: group_id.to_string(),
            name: group.group_name().unwrap_or_default().to_string(),
            description: group.description().unwrap_or_default().to_string(),
            vpc_id: group.vpc_id().map(str::to_string),
            owner_id: group.owner_id().map(str::to_string),
            ingress,
            egress: Vec::new(),
            tags: Tags::default(),
            origin: Origin::new(scope, FileId(0), Position::Unknown),
        });
        Ok(Some(estate))
    })?
}

/// A trail's logging before and after `StartLogging`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logging {
    /// `GetTrailStatus` before the call (`None`: it could not be read).
    pub was_logging: Option<bool>,
    /// After: `StartLogging` was sent and `GetTrailStatus` says it logs (always `true`
    /// on success; a trail that still does not log is an error).
    pub is_logging: bool,
    /// Nothing was sent: the trail already logged.
    pub already: bool,
}

/// Whether `trail` (a name or ARN) in `region` logs now.
pub fn trail_logging(options: &Options, region: &str, trail: &str) -> Result<bool, String> {
    block_on(async {
        let config = crate::sdk_config(options).await;
        let client = crate::cloudtrail_client(&config, region, options);
        is_logging(&client, trail).await
    })?
}

async fn is_logging(client: &aws_sdk_cloudtrail::Client, trail: &str) -> Result<bool, String> {
    client
        .get_trail_status()
        .name(trail)
        .send()
        .await
        .map(|out| out.is_logging().unwrap_or(false))
        .map_err(|e| format!("cloudtrail:GetTrailStatus {trail}: {}", error::reason(e)))
}

/// `StartLogging` on `trail` (a name or ARN) in `region`, verified with
/// `GetTrailStatus`; nothing is sent when it already logs.
pub fn start_logging(options: &Options, region: &str, trail: &str) -> Result<Logging, String> {
    block_on(async {
        let config = crate::sdk_config(options).await;
        let client = crate::cloudtrail_client(&config, region, options);
        let was_logging = is_logging(&client, trail).await.ok();
        if was_logging == Some(true) {
            return Ok(Logging {
                was_logging,
                is_logging: true,
                already: true,
            });
        }
        client
            .start_logging()
            .name(trail)
            .send()
            .await
            .map_err(|e| format!("cloudtrail:StartLogging {trail}: {}", error::reason(e)))?;
        if !is_logging(&client, trail).await? {
            return Err(format!(
                "cloudtrail:StartLogging {trail} answered, but GetTrailStatus still says it does not log"
            ));
        }
        Ok(Logging {
            was_logging,
            is_logging: true,
            already: false,
        })
    })?
}

/// The region of an ARN (`arn:aws:sns:eu-west-1:123456789012:alerts`).
pub fn arn_region(arn: &str) -> Option<&str> {
    let region = arn.split(':').nth(3)?;
    (!region.is_empty()).then_some(region)
}

/// Publishes `message` to `topic_arn` (in the topic's region); the message id.
pub fn publish(
    options: &Options,
    topic_arn: &str,
    subject: &str,
    message: &str,
) -> Result<String, String> {
    let region = arn_region(topic_arn)
        .ok_or_else(|| {
            format!("{topic_arn:?} is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)")
        })?
        .to_string();
    block_on(async {
        let config = crate::sdk_config(options).await;
        let mut builder =
            aws_sdk_sns::config::Builder::from(&config).region(aws_config::Region::new(region));
        if let Some(endpoint) = &options.endpoint_url {
            builder = builder.endpoint_url(endpoint);
        }
        let client = aws_sdk_sns::Client::from_conf(builder.build());
        client
            .publish()
            .topic_arn(topic_arn)
            .subject(subject)
            .message(message)
            .send()
            .await
            .map(|out| out.message_id().unwrap_or_default().to_string())
            .map_err(|e| format!("sns:Publish {topic_arn}: {}", error::reason(e)))
    })?
}

/// Puts `body` (JSON) at `bucket`/`key`. `region`: the bucket's, else the SDK's own.
/// With an endpoint override (an emulator, a VPC endpoint) the bucket goes in the path.
pub fn put_json(
    options: &Options,
    region: Option<&str>,
    bucket: &str,
    key: &str,
    body: Vec<u8>,
) -> Result<(), String> {
    block_on(async {
        let config = crate::sdk_config(options).await;
        let mut builder = aws_sdk_s3::config::Builder::from(&config);
        if let Some(region) = region {
            builder = builder.region(aws_config::Region::new(region.to_string()));
        }
        if let Some(endpoint) = &options.endpoint_url {
            builder = builder.endpoint_url(endpoint).force_path_style(true);
        }
        let client = aws_sdk_s3::Client::from_conf(builder.build());
        client
            .put_object()
            .bucket(bucket)
            .key(key)
            .content_type("application/json")
            .body(body.into())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("s3:PutObject s3://{bucket}/{key}: {}", error::reason(e)))
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_of_arns() {
        assert_eq!(
            arn_region("arn:aws:sns:eu-west-1:123456789012:alerts"),
            Some("eu-west-1")
        );
        assert_eq!(arn_region("arn:aws:s3:::bucket"), None);
        assert_eq!(arn_region("alerts"), None);
    }
}
