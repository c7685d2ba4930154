//! Reading one region folder: one function with no shared state, so that regions can be
//! loaded in parallel and merged in order.

use crate::convert::Builder;
use crate::error::SnapshotError;
use crate::layout::RegionDir;
use ringfence_model::{Estate, ResourceKind};
use std::fs;
use std::io;
use std::path::Path;

/// Security groups first: the rule ids and the prefix lists they name depend on them.
pub(crate) const ORDER: [ResourceKind; 11] = [
    ResourceKind::SecurityGroups,
    ResourceKind::SecurityGroupRules,
    ResourceKind::ManagedPrefixLists,
    ResourceKind::Instances,
    ResourceKind::NetworkInterfaces,
    ResourceKind::Subnets,
    ResourceKind::Vpcs,
    ResourceKind::RouteTables,
    ResourceKind::NetworkAcls,
    ResourceKind::InternetGateways,
    ResourceKind::Addresses,
];

pub(crate) fn load_region(dir: &RegionDir) -> Result<Estate, SnapshotError> {
    let mut builder = Builder::new();
    for kind in ORDER {
        let path = dir.path.join(format!("{}.json", kind.command()));
        match read(&path)? {
            Some(bytes) => builder.add(kind, &bytes, &path)?,
            // Rule ids only name rules; without them nothing goes unjudged.
            None if kind == ResourceKind::SecurityGroupRules => {}
            None => builder.missing(kind),
        }
    }
    let entries_dir = dir.path.join(ResourceKind::PrefixListEntries.command());
    for id in builder.prefix_lists_wanted() {
        // An id that could leave the folder is no prefix list AWS printed.
        let plausible = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let path = entries_dir.join(format!("{id}.json"));
        match plausible.then(|| read(&path)).transpose()?.flatten() {
            Some(bytes) => builder.add_prefix_list_entries(&id, &bytes, &path)?,
            None => builder.missing_prefix_list_entries(&id),
        }
    }
    Ok(builder.finish(dir.account.as_deref(), dir.region.as_deref()))
}

/// `None` when the file does not exist: a missing file narrows the scan, it does not stop it.
fn read(path: &Path) -> Result<Option<Vec<u8>>, SnapshotError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SnapshotError::io(path, "file", e)),
    }
}
