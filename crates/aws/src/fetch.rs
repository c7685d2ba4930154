//! One account and region: every `describe-*` the model needs, concurrently (bounded),
//! every paginator followed, each failure kept with its reason.

use crate::error::reason;
use crate::json::{self, Cli, Layout};
use aws_sdk_ec2::Client;
use ringfence_model::ResourceKind;
use ringfence_snapshot::{Failure, RegionDocuments};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The outcome of one kind: its document, or why it could not be read.
type Fetched = (ResourceKind, Result<Vec<u8>, String>);

/// One paginated `describe-*`, all pages, as a document; `$done` is told when it ends.
macro_rules! paginated {
    ($limit:expr, $done:expr, $layout:expr, $kind:expr, $key:literal, $call:expr) => {
        async {
            let _permit = $limit.acquire().await;
            let result = $call
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>()
                .await
                .map(|items| json::document($layout, $key, &Cli(items.as_slice())))
                .map_err(reason);
            $done($kind);
            ($kind, result)
        }
    };
}

/// Reads one region. Never fails as a whole: what fails is listed in `failures`.
pub(crate) async fn region(
    client: Client,
    account: Option<String>,
    region: String,
    limit: Arc<Semaphore>,
    layout: Layout,
    on_done: impl Fn(ResourceKind) + Send + Sync,
) -> RegionDocuments {
    let c = &client;
    let (
        groups,
        rules,
        instances,
        interfaces,
        subnets,
        vpcs,
        tables,
        acls,
        gateways,
        addresses,
        lists,
    ) = tokio::join!(
        paginated!(
            limit,
            on_done,
            layout,
            ResourceKind::SecurityGroups,
            "SecurityGroups",
            c.describe_security_groups()
        ),
        paginated!(
            limit,
            on_done,
            layout,
            ResourceKind::SecurityGroupRules,
            "SecurityGroupRules",
            c.describe_security_group_rules()
        ),
        paginated!(
            limit,
            on_done,
            layout,
            ResourceKind::Instances,
            "Reservations",
            c.describe_instances()
        ),
        paginated!(
            limit,
            on_done,
            layout,
            ResourceKind::NetworkInterfaces,
            "NetworkInterfaces",
            c.describe_network_interfaces()
        ),
        paginated!(
            limit,
            on_done,
            layout,
            ResourceKind::Subnets,
            "Subnets",
            c.describe_subnets()
        ),
        paginated!(
            limit,
            on_done,
            layout,
            ResourceKind::Vpcs,
            "Vpcs",
            c.describe_vpcs()
        ),
        paginated!(
            limit,
            on_done,
            layout,
            ResourceKind::RouteTables,
            "RouteTables",
            c.describe_route_tables()
        ),
        paginated!(
            limit,
            on_done,
            layout,
            ResourceKind::NetworkAcls,
            "NetworkAcls",
            c.describe_network_acls()
        ),
        paginated!(
            limit,
            on_done,
            layout,
            ResourceKind::InternetGateways,
            "InternetGateways",
            c.describe_internet_gateways()
        ),
        async {
            let _permit = limit.acquire().await;
            let result = c
                .describe_addresses()
                .send()
                .await
                .map(|out| json::document(layout, "Addresses", &Cli(out.addresses())))
                .map_err(reason);
            on_done(ResourceKind::Addresses);
            (ResourceKind::Addresses, result)
        },
        async {
            let _permit = limit.acquire().await;
            let result = c
                .describe_managed_prefix_lists()
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>()
                .await
                .map_err(reason);
            on_done(ResourceKind::ManagedPrefixLists);
            result
        },
    );

    let mut docs = RegionDocuments {
        account,
        region,
        ..RegionDocuments::default()
    };
    let fetched: [Fetched; 10] = [
        groups, rules, instances, interfaces, subnets, vpcs, tables, acls, gateways, addresses,
    ];
    for (kind, result) in fetched {
        record(&mut docs, kind, result);
    }
    match lists {
        Ok(lists) => {
            let ids: Vec<String> = lists
                .iter()
                .filter_map(|l| l.prefix_list_id().map(str::to_string))
                .collect();
            let document = json::document(layout, "PrefixLists", &Cli(lists.as_slice()));
            docs.documents
                .insert(ResourceKind::ManagedPrefixLists, document);
            let entries = ids.into_iter().map(|id| {
                let limit = Arc::clone(&limit);
                async move {
                    let _permit = limit.acquire().await;
                    let result = c
                        .get_managed_prefix_list_entries()
                        .prefix_list_id(&id)
                        .into_paginator()
                        .items()
                        .send()
                        .collect::<Result<Vec<_>, _>>()
                        .await
                        .map(|entries| json::document(layout, "Entries", &Cli(entries.as_slice())))
                        .map_err(reason);
                    (id, result)
                }
            });
            for (id, result) in futures_util::future::join_all(entries).await {
                match result {
                    Ok(bytes) => {
                        docs.prefix_list_entries.insert(id, bytes);
                    }
                    Err(why) => docs.failures.push(Failure {
                        kind: ResourceKind::PrefixListEntries,
                        subject: Some(id),
                        reason: why,
                    }),
                }
            }
        }
        Err(why) => record(&mut docs, ResourceKind::ManagedPrefixLists, Err(why)),
    }
    docs
}

fn record(docs: &mut RegionDocuments, kind: ResourceKind, result: Result<Vec<u8>, String>) {
    match result {
        Ok(bytes) => {
            docs.documents.insert(kind, bytes);
        }
        Err(why) => docs.failures.push(Failure {
            kind,
            subject: None,
            reason: why,
        }),
    }
}
