//! Finding the region folders of a snapshot: the folder itself, one sub-folder per region,
//! or one per account (12 digits) with region sub-folders.

use crate::error::SnapshotError;
use ringfence_model::ResourceKind;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A folder holding one region's describe-*.json, and what its place in the tree says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RegionDir {
    pub path: PathBuf,
    pub account: Option<String>,
    /// The folder name when it looks like a region; otherwise the data decides.
    pub region: Option<String>,
}

pub(crate) fn discover(root: &Path) -> Result<Vec<RegionDir>, SnapshotError> {
    let metadata = fs::metadata(root).map_err(|e| SnapshotError::io(root, "folder", e))?;
    if !metadata.is_dir() {
        return Err(SnapshotError::NotAFolder {
            path: root.to_path_buf(),
        });
    }
    let root_name = name_of(root);
    if holds_snapshot_files(root)? {
        // `<account>/<region>` passed directly still names its account.
        let parent_name = root
            .canonicalize()
            .ok()
            .and_then(|p| p.parent().map(name_of));
        let account =
            parent_name.filter(|name| is_account_id(name) && looks_like_region(&root_name));
        return Ok(vec![region_dir(root.to_path_buf(), account)]);
    }
    let root_account = is_account_id(&root_name).then_some(root_name);
    let mut regions = Vec::new();
    for sub in sub_folders(root)? {
        let sub_name = name_of(&sub);
        if holds_snapshot_files(&sub)? {
            regions.push(region_dir(sub, root_account.clone()));
        } else if is_account_id(&sub_name) {
            for region in sub_folders(&sub)? {
                if holds_snapshot_files(&region)? {
                    regions.push(region_dir(region, Some(sub_name.clone())));
                }
            }
        }
    }
    if regions.is_empty() {
        return Err(SnapshotError::NotASnapshot {
            path: root.to_path_buf(),
        });
    }
    Ok(regions)
}

fn region_dir(path: PathBuf, account: Option<String>) -> RegionDir {
    let name = name_of(&path);
    RegionDir {
        region: looks_like_region(&name).then_some(name),
        account,
        path,
    }
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A region folder holds at least one of the describe-*.json files the contract names.
fn holds_snapshot_files(dir: &Path) -> Result<bool, SnapshotError> {
    let entries = fs::read_dir(dir).map_err(|e| SnapshotError::io(dir, "folder", e))?;
    for entry in entries {
        let entry = entry.map_err(|e| SnapshotError::io(dir, "folder", e))?;
        let name = entry.file_name();
        let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
            continue;
        };
        if ResourceKind::ALL.iter().any(|kind| {
            !matches!(
                kind,
                ResourceKind::PrefixListEntries | ResourceKind::TrailStatus
            ) && kind.command() == stem
        }) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Sub-folders in name order, so that the estate does not depend on directory order.
fn sub_folders(dir: &Path) -> Result<Vec<PathBuf>, SnapshotError> {
    let entries = fs::read_dir(dir).map_err(|e| SnapshotError::io(dir, "folder", e))?;
    let mut folders = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| SnapshotError::io(dir, "folder", e))?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if !hidden && is_dir(&path)? {
            folders.push(path);
        }
    }
    folders.sort();
    Ok(folders)
}

fn is_dir(path: &Path) -> Result<bool, SnapshotError> {
    match fs::metadata(path) {
        Ok(metadata) => Ok(metadata.is_dir()),
        // A dangling symlink is not a region folder.
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(SnapshotError::io(path, "folder", e)),
    }
}

pub(crate) fn is_account_id(name: &str) -> bool {
    name.len() == 12 && name.bytes().all(|b| b.is_ascii_digit())
}

/// `us-east-1`, `eu-west-2`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-3`,
/// `us-iso-east-1`: a country code, optional partition words, a direction, a number.
pub(crate) fn looks_like_region(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    let letters = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
    let [first, middle @ .., direction, number] = parts.as_slice() else {
        return false;
    };
    (2..=4).contains(&first.len())
        && letters(first)
        && middle.len() <= 2
        && middle.iter().all(|m| letters(m))
        && ["east", "west", "north", "south", "central"]
            .iter()
            .any(|d| direction.contains(d))
        && letters(direction)
        && !number.is_empty()
        && number.len() <= 2
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// The region of an availability zone (`us-east-1a`) or local zone (`us-west-2-lax-1a`).
pub(crate) fn region_of_zone(zone: &str) -> Option<String> {
    let parts: Vec<&str> = zone.split('-').collect();
    (3..=parts.len().min(5)).find_map(|n| {
        let mut candidate = parts[..n].to_vec();
        let last = candidate.pop()?;
        let digits = last.trim_end_matches(|c: char| c.is_ascii_lowercase());
        candidate.push(digits);
        let region = candidate.join("-");
        looks_like_region(&region).then_some(region)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_are_recognised() {
        for name in [
            "us-east-1",
            "eu-west-2",
            "us-gov-west-1",
            "cn-north-1",
            "ap-southeast-3",
            "il-central-1",
            "us-iso-east-1",
            "ap-northeast-1",
        ] {
            assert!(looks_like_region(name), "{name}");
        }
        for name in [
            "snapshot",
            "123456789012",
            "us-east",
            "us-east-1a",
            "prod",
            "",
        ] {
            assert!(!looks_like_region(name), "{name}");
        }
    }

    #[test]
    fn zones_name_their_region() {
        assert_eq!(region_of_zone("us-east-1a").as_deref(), Some("us-east-1"));
        assert_eq!(
            region_of_zone("us-gov-west-1b").as_deref(),
            Some("us-gov-west-1")
        );
        assert_eq!(
            region_of_zone("us-west-2-lax-1a").as_deref(),
            Some("us-west-2")
        );
        assert_eq!(region_of_zone("nowhere"), None);
        assert_eq!(region_of_zone(""), None);
    }
}
