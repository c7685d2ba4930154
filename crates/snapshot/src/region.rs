//! Reading one region folder: one function with no shared state, so that regions can be
//! loaded in parallel and merged in order.

use crate::convert::Builder;
use crate::error::SnapshotError;
use crate::layout::RegionDir;
use rayon::prelude::*;
use ringfence_model::{Estate, ResourceKind};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Security groups first: the rule ids and the prefix lists they name depend on them.
pub(crate) const ORDER: [ResourceKind; 15] = [
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
    // Optional: missing ones are noted in `unread`, for the checks that need them.
    ResourceKind::FlowLogs,
    ResourceKind::Trails,
    ResourceKind::ConfigRecorders,
    ResourceKind::ConfigRecorderStatus,
];

/// Each file is read, parsed and converted on its own, in parallel (largest first, so
/// that the biggest file is not left for last), and its bytes dropped as soon as it is
/// converted; the parts are then merged in [`ORDER`], so the estate, and the first error
/// reported, are the same as reading the files one after another.
pub(crate) fn load_region(dir: &RegionDir) -> Result<Estate, SnapshotError> {
    let paths: Vec<PathBuf> = ORDER
        .iter()
        .map(|kind| dir.path.join(format!("{}.json", kind.command())))
        .collect();
    let size = |path: &PathBuf| fs::metadata(path).map_or(0, |m| m.len());
    let mut largest_first: Vec<usize> = (0..ORDER.len()).collect();
    largest_first.sort_by_key(|&i| std::cmp::Reverse(size(&paths[i])));
    let mut parts: Vec<(usize, Result<Option<Builder>, SnapshotError>)> = largest_first
        .into_par_iter()
        .with_max_len(1)
        .map(|i| (i, part(ORDER[i], &paths[i])))
        .collect();
    parts.sort_by_key(|(i, _)| *i);
    let mut builder = Builder::new();
    for (i, part) in parts {
        match part? {
            Some(part) => builder.absorb(part),
            // Rule ids only name rules; without them nothing goes unjudged.
            None if ORDER[i] == ResourceKind::SecurityGroupRules => {}
            None => builder.missing(ORDER[i]),
        }
    }
    let entries_dir = dir.path.join(ResourceKind::PrefixListEntries.command());
    let wanted = builder.prefix_lists_wanted();
    let files: Vec<Result<Option<Vec<u8>>, SnapshotError>> = wanted
        .par_iter()
        .map(|id| {
            // An id that could leave the folder is no prefix list AWS printed.
            let plausible = !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            let path = entries_dir.join(format!("{id}.json"));
            plausible
                .then(|| read(&path))
                .transpose()
                .map(Option::flatten)
        })
        .collect();
    for (id, bytes) in wanted.iter().zip(files) {
        match bytes? {
            Some(bytes) => {
                let path = entries_dir.join(format!("{id}.json"));
                builder.add_prefix_list_entries(id, &bytes, &path)?;
            }
            None => builder.missing_prefix_list_entries(id),
        }
    }
    trail_statuses(&mut builder, &dir.path)?;
    Ok(builder.finish(dir.account.as_deref(), dir.region.as_deref()))
}

/// `get-trail-status/<trail-name>.json` for each trail read; a missing one leaves that
/// trail's logging unknown.
pub(crate) fn trail_statuses(builder: &mut Builder, dir: &Path) -> Result<(), SnapshotError> {
    let status_dir = dir.join(ResourceKind::TrailStatus.command());
    for name in builder.trails_wanted() {
        // A name that could leave the folder is no trail AWS printed.
        let plausible = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && name != "."
            && name != "..";
        if !plausible {
            continue;
        }
        let path = status_dir.join(format!("{name}.json"));
        if let Some(bytes) = read(&path)? {
            builder.add_trail_status(&name, &bytes, &path)?;
        }
    }
    Ok(())
}

/// One file converted on its own: streamed when it is one of the big kinds, else (or when
/// streaming gave up) read whole. `None` when the file does not exist.
fn part(kind: ResourceKind, path: &Path) -> Result<Option<Builder>, SnapshotError> {
    let file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(SnapshotError::io(path, "file", e)),
    };
    if let Some(part) = Builder::part_streamed(kind, file, path)? {
        return Ok(Some(part));
    }
    read(path)?
        .map(|bytes| Builder::part(kind, &bytes, path))
        .transpose()
}

/// `None` when the file does not exist: a missing file narrows the scan, it does not stop it.
fn read(path: &Path) -> Result<Option<Vec<u8>>, SnapshotError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SnapshotError::io(path, "file", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file read whole and added in order, one after another: what `load_region`
    /// must equal.
    fn load_whole(dir: &RegionDir) -> Estate {
        let mut builder = Builder::new();
        for kind in ORDER {
            let path = dir.path.join(format!("{}.json", kind.command()));
            match read(&path).unwrap() {
                Some(bytes) => builder.add(kind, &bytes, &path).unwrap(),
                None if kind == ResourceKind::SecurityGroupRules => {}
                None => builder.missing(kind),
            }
        }
        let entries_dir = dir.path.join(ResourceKind::PrefixListEntries.command());
        for id in builder.prefix_lists_wanted() {
            let path = entries_dir.join(format!("{id}.json"));
            match read(&path).unwrap() {
                Some(bytes) => builder.add_prefix_list_entries(&id, &bytes, &path).unwrap(),
                None => builder.missing_prefix_list_entries(&id),
            }
        }
        trail_statuses(&mut builder, &dir.path).unwrap();
        builder.finish(dir.account.as_deref(), dir.region.as_deref())
    }

    #[test]
    fn streamed_in_parallel_is_the_same_as_read_whole_in_order() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/estate/us-east-1");
        let dir = RegionDir {
            path,
            account: None,
            region: Some("us-east-1".to_string()),
        };
        let streamed = load_region(&dir).unwrap();
        assert!(!streamed.security_groups.is_empty() && !streamed.instances.is_empty());
        assert!(
            streamed
                .security_groups
                .iter()
                .flat_map(|g| &g.ingress)
                .any(|r| r.id.is_some())
        );
        assert_eq!(format!("{streamed:#?}"), format!("{:#?}", load_whole(&dir)));
    }
}
