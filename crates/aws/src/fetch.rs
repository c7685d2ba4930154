//! One account and region: every `describe-*` the model needs, concurrently (bounded),
//! every paginator followed, each failure kept with its reason.

use crate::error::reason;
use crate::json;
use aws_sdk_ec2::Client;
use ringfence_model::ResourceKind;
use ringfence_snapshot::{Failure, RegionDocuments};
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The outcome of one kind: its document, or why it could not be read.
type Fetched = (ResourceKind, Result<Vec<u8>, String>);

/// One paginated `describe-*`, all pages, as a document; `$done` is told when it ends.
macro_rules! paginated {
    ($limit:expr, $done:expr, $kind:expr, $key:literal, $call:expr, $convert:expr) => {
        async {
            let _permit = $limit.acquire().await;
            let result = $call
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>()
                .await
                .map(|items| json::document($key, items.iter().map($convert).collect()))
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
            ResourceKind::SecurityGroups,
            "SecurityGroups",
            c.describe_security_groups(),
            json::security_group
        ),
        paginated!(
            limit,
            on_done,
            ResourceKind::SecurityGroupRules,
            "SecurityGroupRules",
            c.describe_security_group_rules(),
            json::security_group_rule
        ),
        paginated!(
            limit,
            on_done,
            ResourceKind::Instances,
            "Reservations",
            c.describe_instances(),
            json::reservation
        ),
        paginated!(
            limit,
            on_done,
            ResourceKind::NetworkInterfaces,
            "NetworkInterfaces",
            c.describe_network_interfaces(),
            json::network_interface
        ),
        paginated!(
            limit,
            on_done,
            ResourceKind::Subnets,
            "Subnets",
            c.describe_subnets(),
            json::subnet
        ),
        paginated!(
            limit,
            on_done,
            ResourceKind::Vpcs,
            "Vpcs",
            c.describe_vpcs(),
            json::vpc
        ),
        paginated!(
            limit,
            on_done,
            ResourceKind::RouteTables,
            "RouteTables",
            c.describe_route_tables(),
            json::route_table
        ),
        paginated!(
            limit,
            on_done,
            ResourceKind::NetworkAcls,
            "NetworkAcls",
            c.describe_network_acls(),
            json::network_acl
        ),
        paginated!(
            limit,
            on_done,
            ResourceKind::InternetGateways,
            "InternetGateways",
            c.describe_internet_gateways(),
            json::internet_gateway
        ),
        async {
            let _permit = limit.acquire().await;
            let result = c
                .describe_addresses()
                .send()
                .await
                .map(|out| {
                    json::document(
                        "Addresses",
                        out.addresses().iter().map(json::address).collect(),
                    )
                })
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
            let document =
                json::document("PrefixLists", lists.iter().map(json::prefix_list).collect());
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
                        .map(|entries| {
                            json::document(
                                "Entries",
                                entries
                                    .iter()
                                    .map(json::prefix_list_entry)
                                    .collect::<Vec<Value>>(),
                            )
                        })
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
