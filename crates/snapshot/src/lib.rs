//! Reads a snapshot folder — the raw JSON that `aws ec2 describe-*` prints — into the
//! model, so that anyone can produce ringfence's offline input without ringfence.
//!
//! Bad input is an error that names the file, the place inside it and what was
//! expected; a missing file is not an error but an [`ringfence_model::Incomplete`] entry,
//! so that what could not be judged is never reported as safe.

mod aws_json;
mod cidr;
mod convert;
mod documents;
mod error;
mod layout;
mod region;
mod stream;

pub use cidr::{InvalidCidr, parse_cidr, parse_cidr_v4, parse_cidr_v6};
pub use documents::{Failure, RegionDocuments};
pub use error::{Place, SnapshotError};

use rayon::prelude::*;
use ringfence_model::{Estate, ResourceKind};
use std::path::Path;

/// Loads a snapshot folder: a region folder, a folder of region folders, or a folder of
/// account folders (12 digits) of region folders. Every region becomes its own scope.
pub fn load(path: &Path) -> Result<Estate, SnapshotError> {
    let regions = layout::discover(path)?;
    // Regions in parallel, merged in folder order: the first error in that order wins.
    let loaded: Vec<Result<Estate, SnapshotError>> =
        regions.par_iter().map(region::load_region).collect();
    let mut estate = Estate::default();
    for region in loaded {
        estate.merge(region?);
    }
    Ok(estate)
}

/// Runs one file's bytes through the same parsing and conversion as [`load`], without a
/// folder: for fuzzing, and for tools that hold the JSON in memory. `path` is only named
/// in errors and origins, except for [`ResourceKind::PrefixListEntries`], whose file stem
/// is the prefix-list id. Cross-file work that needs the rest of the folder (rule ids
/// matched onto groups, missing-file notes) does not happen.
pub fn parse_file(kind: ResourceKind, bytes: &[u8], path: &Path) -> Result<Estate, SnapshotError> {
    let mut builder = convert::Builder::new();
    builder.add(kind, bytes, path)?;
    Ok(builder.finish(None, None))
}
