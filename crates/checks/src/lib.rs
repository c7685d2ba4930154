//! The check registry: each check is metadata plus one function from the evaluated
//! estate to findings. Listing, docs and every report format read the metadata.

pub mod catalog;
mod checks;
pub mod config;
mod hygiene;
mod openings;
mod order;
mod path;
mod registry;
mod verdict;

pub use catalog::{Catalog, Family, Service};
pub use config::{Config, Hygiene, NamingRules, REVEALING_WORDS};
pub use order::report_of;
pub use registry::{REGISTRY, Selection, SelectionError, find};

use rayon::prelude::*;
use ringfence_exposure::{Evaluation, Network};
use ringfence_findings::{CheckMeta, Finding};
use ringfence_model::Estate;

/// What every check reads: the estate, its exposure evaluated once, the network lookups
/// for reachability, and the settings.
pub struct Context<'a> {
    pub estate: &'a Estate,
    pub eval: &'a Evaluation,
    pub network: &'a Network<'a>,
    pub config: &'a Config,
}

/// A check: its metadata, and the function that judges the estate.
pub struct Check {
    pub meta: CheckMeta,
    pub run: fn(&Context<'_>) -> Vec<Finding>,
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Check").field("id", &self.meta.id).finish()
    }
}

/// The optional inputs a check reads (the audit-trail files): when one was not read, the
/// check answers SKIP, and a scan that ran the check lists the gap as incomplete.
pub fn optional_inputs(check: &Check) -> &'static [ringfence_model::ResourceKind] {
    use ringfence_model::ResourceKind as K;
    match check.meta.id {
        "vpc_flow_logs_enabled" => &[K::FlowLogs],
        "cloudtrail_multi_region_enabled" => &[K::Trails, K::TrailStatus],
        "config_recorder_all_regions_enabled" => &[K::ConfigRecorders, K::ConfigRecorderStatus],
        _ => &[],
    }
}

/// Runs `checks` over the estate, in parallel; findings come out in check order, then
/// in the order of the resources.
pub fn run(checks: &[&'static Check], ctx: &Context<'_>) -> Vec<Finding> {
    checks
        .par_iter()
        .flat_map_iter(|check| (check.run)(ctx))
        .collect()
}
