//! `cassandra.yaml` read into a flat table of dotted keys, each value with the line it is
//! on, so every verdict can point at `file:line`.

use crate::NodeError;
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::collections::BTreeMap;
use std::path::Path;

/// A value as written, reduced to what the checks compare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `key:` with nothing after it (YAML null): the setting takes its default.
    Null,
    /// A string, number or boolean, as text (`true`, `9042`, `0.0.0.0`).
    Scalar(String),
    /// A list of scalars (`accepted_protocols: [TLSv1.2, TLSv1.3]`).
    List(Vec<String>),
    /// A nested mapping (its members are entries of their own).
    Mapping,
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// `true`/`false` as Cassandra reads them (case-insensitive); anything else is None.
    pub fn as_bool(&self) -> Option<bool> {
        match self.as_str()?.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

/// One setting: its dotted key (`client_encryption_options.enabled`), value and line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: Value,
    /// 1-based.
    pub line: u32,
}

/// Every setting of one `cassandra.yaml`, by dotted key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct YamlFile {
    pub entries: BTreeMap<String, Entry>,
}

impl YamlFile {
    pub fn parse(text: &str, path: &Path) -> Result<YamlFile, NodeError> {
        let docs = MarkedYaml::load_from_str(text).map_err(|e| {
            NodeError::at(
                path,
                e.marker().line(),
                format!("not valid YAML: {}", e.info()),
            )
        })?;
        let mut file = YamlFile::default();
        match docs.as_slice() {
            // An empty file (or only comments): every setting at its default.
            [] => {}
            [root] => match &root.data {
                YamlData::Mapping(_) => file.flatten("", root, path)?,
                YamlData::Value(Scalar::Null) => {}
                _ => {
                    return Err(NodeError::at(
                        path,
                        root.span.start.line(),
                        "expected a mapping of settings (`key: value` lines)",
                    ));
                }
            },
            [_, second, ..] => {
                return Err(NodeError::at(
                    path,
                    second.span.start.line(),
                    "expected one YAML document, found several",
                ));
            }
        }
        Ok(file)
    }

    fn flatten(
        &mut self,
        prefix: &str,
        node: &MarkedYaml<'_>,
        path: &Path,
    ) -> Result<(), NodeError> {
        let Some(map) = node.data.as_mapping() else {
            return Ok(());
        };
        for (key_node, value_node) in map {
            let Some(key) = scalar_text(key_node) else {
                return Err(NodeError::at(
                    path,
                    key_node.span.start.line(),
                    "expected a setting name",
                ));
            };
            let dotted = if prefix.is_empty() {
                key
            } else {
                format!("{prefix}.{key}")
            };
            let line = u32::try_from(key_node.span.start.line()).unwrap_or(u32::MAX);
            let value = match &value_node.data {
                YamlData::Mapping(_) => Value::Mapping,
                YamlData::Sequence(items) => {
                    Value::List(items.iter().filter_map(scalar_text).collect())
                }
                YamlData::Value(Scalar::Null) => Value::Null,
                _ => scalar_text(value_node).map_or(Value::Null, Value::Scalar),
            };
            let is_mapping = value == Value::Mapping;
            self.entries.insert(
                dotted.clone(),
                Entry {
                    key: dotted.clone(),
                    value,
                    line,
                },
            );
            if is_mapping {
                self.flatten(&dotted, value_node, path)?;
            }
        }
        Ok(())
    }
}

fn scalar_text(node: &MarkedYaml<'_>) -> Option<String> {
    match &node.data {
        YamlData::Value(scalar) => match scalar {
            Scalar::Null => None,
            Scalar::Boolean(b) => Some(b.to_string()),
            Scalar::Integer(i) => Some(i.to_string()),
            Scalar::FloatingPoint(f) => Some(f.to_string()),
            Scalar::String(s) => Some(s.to_string()),
        },
        YamlData::Representation(text, _, _) => Some(text.to_string()),
        YamlData::Tagged(_, inner) => scalar_text(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<YamlFile, NodeError> {
        YamlFile::parse(text, Path::new("cassandra.yaml"))
    }

    #[test]
    fn nested_settings_keep_their_lines() {
        let file = parse(
            "cluster_name: 'Test'\n# comment\nclient_encryption_options:\n  enabled: false\n  accepted_protocols: [TLSv1.2, TLSv1.3]\nauthenticator:\n",
        )
        .expect("parses");
        let enabled = &file.entries["client_encryption_options.enabled"];
        assert_eq!((enabled.line, enabled.value.as_bool()), (4, Some(false)));
        assert_eq!(
            file.entries["client_encryption_options.accepted_protocols"].value,
            Value::List(vec!["TLSv1.2".into(), "TLSv1.3".into()])
        );
        assert_eq!(file.entries["authenticator"].value, Value::Null);
    }

    #[test]
    fn malformed_yaml_names_the_line() {
        let error = parse("a: 1\nb: [unclosed\nc: 2\n").expect_err("malformed");
        assert!(error.to_string().starts_with("cassandra.yaml:"), "{error}");
        assert!(error.line.is_some());
    }

    #[test]
    fn a_list_at_the_top_is_refused_with_its_line() {
        let error = parse("- a\n- b\n").expect_err("not a mapping");
        assert_eq!(error.line, Some(1));
    }

    #[test]
    fn an_empty_file_has_no_settings() {
        assert!(parse("# nothing\n").expect("parses").entries.is_empty());
    }
}
