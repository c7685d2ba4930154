//! The live source: AWS accounts read through the official AWS SDK for Rust.
//!
//! It reads exactly what a snapshot folder holds and turns it into the same documents
//! (`describe-*` JSON, as the AWS CLI prints it), so the live scan runs through the same
//! loader as the offline one and `ringfence snapshot aws` writes what the CLI would. The
//! SDK is linked here and nowhere else: it is slow to compile.
//!
//! Nothing here fails the whole scan once options are valid: an account whose role
//! cannot be assumed, a region that denies access, a call that times out — each is
//! reported with its reason, and the rest is read.

mod accounts;
pub mod apply;
mod audit;
mod error;
mod fetch;
pub mod grant;
mod json;
mod progress;
pub mod respond;

pub use accounts::RoleSource;
pub use apply::{ApplyReport, GroupOutcome};
pub use json::Layout;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use ringfence_snapshot::RegionDocuments;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How to reach AWS: the AWS CLI's credential chain, optionally a profile, roles to
/// assume into other accounts, and an endpoint for emulators and VPC endpoints.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub profile: Option<String>,
    /// Regions to read; empty: every region the account has enabled (DescribeRegions).
    pub regions: Vec<String>,
    pub roles: RoleSource,
    pub external_id: Option<String>,
    pub endpoint_url: Option<String>,
    /// Calls in flight at once, across accounts, regions and resource kinds.
    pub concurrency: usize,
    /// Per call attempt.
    pub timeout: Duration,
    pub quiet: bool,
}

/// Something above one region that could not be read: an account's credentials, its
/// region list, the organization's account list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub account: Option<String>,
    pub region: Option<String>,
    /// The API call, e.g. `sts:AssumeRole`.
    pub call: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default)]
pub struct Collected {
    pub regions: Vec<RegionDocuments>,
    pub failures: Vec<Failure>,
}

/// Options that cannot work (an unreadable role file).
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("{path}: cannot read the role file: {source}")]
    RoleFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {what}")]
    RoleLine {
        path: PathBuf,
        line: usize,
        what: String,
    },
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

/// The region SDK clients start from when none is configured.
const HOME_REGION: &str = "us-east-1";

/// Reads every account and region the options name, each document printed compact (for
/// the live scan, which only parses them again).
pub fn collect(options: &Options) -> Result<Collected, LiveError> {
    collect_as(options, Layout::Compact)
}

/// Reads every account and region the options name, each document printed as `layout`
/// says (`Indented` for a snapshot folder people read).
pub fn collect_as(options: &Options, layout: Layout) -> Result<Collected, LiveError> {
    let roles = options.roles.resolve()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(LiveError::Runtime)?;
    Ok(runtime.block_on(collect_async(options, roles, layout)))
}

/// The caller's SDK configuration: profile, endpoint, standard retries, the timeouts
/// asked for, and the home region when none is configured. Every call ringfence makes
/// starts from it.
pub(crate) async fn sdk_config(options: &Options) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(5))
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(options.timeout)
                .operation_timeout(options.timeout * 4)
                .connect_timeout(Duration::from_secs(10))
                .build(),
        );
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(endpoint) = &options.endpoint_url {
        loader = loader.endpoint_url(endpoint);
    }
    let base = loader.load().await;
    if base.region().is_some() {
        base
    } else {
        base.into_builder()
            .region(aws_config::Region::new(HOME_REGION))
            .build()
    }
}

async fn collect_async(options: &Options, roles: Vec<accounts::Role>, layout: Layout) -> Collected {
    let base = sdk_config(options).await;

    let progress = progress::Progress::new(options.quiet);
    let limit = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let mut collected = Collected::default();
    let targets = accounts::targets(&base, options, roles, &mut collected.failures).await;

    let mut regions_of = Vec::new();
    for target in &targets {
        match regions_to_read(&target.config, options).await {
            Ok(regions) => regions_of.push(regions),
            Err(reason) => {
                collected.failures.push(Failure {
                    account: target.account.clone(),
                    region: None,
                    call: "ec2:DescribeRegions".into(),
                    reason,
                });
                regions_of.push(Vec::new());
            }
        }
    }

    let (progress, limit) = (&progress, &limit);
    let reads = targets
        .iter()
        .zip(&regions_of)
        .flat_map(|(target, regions)| {
            regions.iter().map(move |region| {
                let client = ec2_client(&target.config, region, options);
                let clients = audit::Clients {
                    ec2: client.clone(),
                    cloudtrail: cloudtrail_client(&target.config, region, options),
                    config: config_client(&target.config, region, options),
                };
                let bar = progress.region(target.account.as_deref(), region);
                let limit = Arc::clone(limit);
                async move {
                    let (mut docs, audit) = tokio::join!(
                        fetch::region(
                            client,
                            target.account.clone(),
                            region.clone(),
                            Arc::clone(&limit),
                            layout,
                            |_| bar.inc(1),
                        ),
                        audit::region(&clients, Arc::clone(&limit), layout, |_| bar.inc(1)),
                    );
                    audit.merge_into(&mut docs);
                    bar.finish(&docs);
                    docs
                }
            })
        });
    collected.regions = futures_util::future::join_all(reads).await;
    collected
}

fn ec2_client(
    config: &aws_config::SdkConfig,
    region: &str,
    options: &Options,
) -> aws_sdk_ec2::Client {
    let mut builder = aws_sdk_ec2::config::Builder::from(config)
        .region(aws_config::Region::new(region.to_string()));
    if let Some(endpoint) = &options.endpoint_url {
        builder = builder.endpoint_url(endpoint);
    }
    aws_sdk_ec2::Client::from_conf(builder.build())
}

fn cloudtrail_client(
    config: &aws_config::SdkConfig,
    region: &str,
    options: &Options,
) -> aws_sdk_cloudtrail::Client {
    let mut builder = aws_sdk_cloudtrail::config::Builder::from(config)
        .region(aws_config::Region::new(region.to_string()));
    if let Some(endpoint) = &options.endpoint_url {
        builder = builder.endpoint_url(endpoint);
    }
    aws_sdk_cloudtrail::Client::from_conf(builder.build())
}

fn config_client(
    config: &aws_config::SdkConfig,
    region: &str,
    options: &Options,
) -> aws_sdk_config::Client {
    let mut builder = aws_sdk_config::config::Builder::from(config)
        .region(aws_config::Region::new(region.to_string()));
    if let Some(endpoint) = &options.endpoint_url {
        builder = builder.endpoint_url(endpoint);
    }
    aws_sdk_config::Client::from_conf(builder.build())
}

/// The regions asked for, else every region enabled for the account.
async fn regions_to_read(
    config: &aws_config::SdkConfig,
    options: &Options,
) -> Result<Vec<String>, String> {
    if !options.regions.is_empty() {
        return Ok(options.regions.clone());
    }
    let home = config
        .region()
        .map_or(HOME_REGION.to_string(), |r| r.to_string());
    let client = ec2_client(config, &home, options);
    let out = client
        .describe_regions()
        .send()
        .await
        .map_err(error::reason)?;
    let mut regions: Vec<String> = out
        .regions()
        .iter()
        .filter(|r| r.opt_in_status().is_none_or(|s| s != "not-opted-in"))
        .filter_map(|r| r.region_name().map(str::to_string))
        .collect();
    regions.sort();
    Ok(regions)
}
