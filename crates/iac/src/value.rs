//! The neutral form every input is brought to before it becomes the model: values that
//! may be unknown (with the reason and the file:line), and resources with their line.

use ringfence_model::FileId;
use std::collections::BTreeMap;

/// A value after evaluation. `Unknown` carries why, naming the expression and where it
/// is, so a SKIP can say exactly what to look at.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    List(Vec<Val>),
    Map(BTreeMap<String, Val>),
    Unknown(String),
}

impl Val {
    pub fn get(&self, key: &str) -> &Val {
        match self {
            Val::Map(map) => map.get(key).unwrap_or(&Val::Null),
            _ => &Val::Null,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }

    pub fn unknown(&self) -> Option<&str> {
        match self {
            Val::Unknown(why) => Some(why),
            _ => None,
        }
    }

    /// A scalar as text: numbers and booleans as Terraform prints them.
    pub fn text(&self) -> Option<String> {
        match self {
            Val::Str(s) => Some(s.clone()),
            Val::Num(n) => Some(num_text(*n)),
            Val::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn int(&self) -> Option<i64> {
        match self {
            Val::Num(n) if n.fract() == 0.0 => Some(*n as i64),
            Val::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// `true`/`false`, also from the strings Terraform and CloudFormation accept.
    pub fn truth(&self) -> Option<bool> {
        match self {
            Val::Bool(b) => Some(*b),
            Val::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Val::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// The items of a list (a single scalar counts as a list of one; null as none).
    pub fn items(&self) -> Vec<&Val> {
        match self {
            Val::List(items) => items.iter().collect(),
            Val::Null => Vec::new(),
            other => vec![other],
        }
    }

    /// The first unknown anywhere inside, for values that must be wholly known.
    pub fn first_unknown(&self) -> Option<&str> {
        match self {
            Val::Unknown(why) => Some(why),
            Val::List(items) => items.iter().find_map(Val::first_unknown),
            Val::Map(map) => map.values().find_map(Val::first_unknown),
            _ => None,
        }
    }
}

pub(crate) fn num_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// One resource, its attributes evaluated. Nested blocks are lists of maps, as Terraform
/// plans write them; each block's map may carry its line under [`LINE`].
#[derive(Clone, Debug)]
pub(crate) struct Res {
    /// `aws_security_group` or `AWS::EC2::SecurityGroup`.
    pub kind: String,
    /// The synthetic id: Terraform address or CloudFormation logical id.
    pub address: String,
    pub file: FileId,
    pub line: u32,
    pub attrs: Val,
}

/// Key under which a nested block's map keeps its 1-based line.
pub(crate) const LINE: &str = "__line";

/// Byte offsets to 1-based lines.
pub(crate) struct Lines(Vec<usize>);

impl Lines {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(starts)
    }

    pub fn line(&self, offset: usize) -> u32 {
        match self.0.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }
}
