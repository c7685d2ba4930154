//! Arbitrary bytes through the parser and converter of every snapshot file kind: the
//! first byte picks the kind, the rest is the file. It must never panic, and every error
//! must name the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringfence_model::ResourceKind;
use ringfence_snapshot::parse_file;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kind = ResourceKind::ALL[usize::from(selector) % ResourceKind::ALL.len()];
    let path = match kind {
        ResourceKind::PrefixListEntries => "get-managed-prefix-list-entries/pl-fuzz.json",
        _ => "snapshot/fuzz.json",
    };
    match parse_file(kind, bytes, Path::new(path)) {
        Ok(estate) => {
            // Lookups over what was read must work too.
            let _ = estate.index();
            assert_eq!(estate.scopes.len(), 1);
        }
        Err(error) => {
            let message = error.to_string();
            assert!(message.starts_with(path), "{message}");
            assert!(message.len() > path.len() + 2, "{message}");
        }
    }
});
