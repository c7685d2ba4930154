use std::path::PathBuf;

/// Index into [`crate::Estate::scopes`]: resources from different accounts or regions may
/// share ids, so lookups are keyed by scope and id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ScopeId(pub u32);

/// Index into [`crate::Estate::files`]; keeps every resource's origin a few bytes wide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// An account and region: the unit AWS ids are unique in.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope {
    /// The 12-digit account id, when the input says it.
    pub account: Option<String>,
    pub region: String,
}

/// Where inside its file a resource was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Position {
    #[default]
    Unknown,
    /// Index of the resource in the file's top-level list (`/SecurityGroups/12`).
    Item(u32),
    /// 1-based line, for text sources such as Terraform.
    Line(u32),
}

/// Where a resource came from, so that findings can point back at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Origin {
    pub scope: ScopeId,
    pub file: FileId,
    pub position: Position,
}

impl Origin {
    pub fn new(scope: ScopeId, file: FileId, position: Position) -> Self {
        Origin {
            scope,
            file,
            position,
        }
    }
}

/// The files an estate was read from, kept once.
pub type Files = Vec<PathBuf>;
