//! `cassandra-env.sh` and `jvm*.options`, read line by line for the JMX settings.
//!
//! The shell script is not run: it is read the way an operator reads it. Stock scripts
//! put the JMX options in an `if [ "$LOCAL_JMX" = "yes" ]` block (local JMX with
//! authentication off, which is safe because it listens on 127.0.0.1) and its `else`
//! branch (remote JMX); each `-D` option remembers which branch it is in so that only the
//! options of the branch `LOCAL_JMX` selects count.

use std::path::{Path, PathBuf};

/// A `-Dname=value` system property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JvmOption {
    pub name: String,
    pub value: Option<String>,
    pub file: PathBuf,
    /// 1-based.
    pub line: u32,
    /// `Some(true)`: only when `LOCAL_JMX=yes`; `Some(false)`: only when it is not.
    pub when_local_jmx: Option<bool>,
}

/// Where `LOCAL_JMX` is set, and to what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub value: String,
    pub file: PathBuf,
    pub line: u32,
    /// The script's own fallback (`if [ "x$LOCAL_JMX" = "x" ]; then LOCAL_JMX=yes`),
    /// which the environment overrides.
    pub is_default: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JvmSettings {
    pub options: Vec<JvmOption>,
    pub local_jmx: Option<Assignment>,
    pub jmx_port: Option<Assignment>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    /// `if [ "$LOCAL_JMX" = "yes" ]`: `then` is local, `else` is remote.
    LocalJmx {
        then_branch: bool,
    },
    /// `if [ "x$LOCAL_JMX" = "x" ]`: the script's default.
    LocalJmxUnset,
    Other,
}

impl JvmSettings {
    /// The options that apply, given whether JMX is local only.
    pub fn effective(&self, local: bool) -> impl Iterator<Item = &JvmOption> {
        self.options
            .iter()
            .filter(move |o| o.when_local_jmx.is_none_or(|w| w == local))
    }

    /// The last effective value of a property (the JVM keeps the last one given).
    pub fn property(&self, local: bool, name: &str) -> Option<&JvmOption> {
        self.effective(local).filter(|o| o.name == name).last()
    }

    /// Reads `cassandra-env.sh`.
    pub fn read_env_sh(&mut self, text: &str, path: &Path) {
        let mut blocks: Vec<Block> = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let code = strip_comment(raw).trim();
            if code.is_empty() {
                continue;
            }
            let first = code.split_whitespace().next().unwrap_or("");
            match first {
                "if" => {
                    blocks.push(classify(code));
                    continue;
                }
                "elif" => {
                    if let Some(top) = blocks.last_mut() {
                        *top = Block::Other;
                    }
                    continue;
                }
                "else" => {
                    if let Some(Block::LocalJmx { then_branch }) = blocks.last_mut() {
                        *then_branch = false;
                    }
                    continue;
                }
                "fi" => {
                    blocks.pop();
                    continue;
                }
                _ => {}
            }
            let when_local_jmx = blocks.iter().rev().find_map(|b| match b {
                Block::LocalJmx { then_branch } => Some(*then_branch),
                _ => None,
            });
            for (name, value) in [
                ("LOCAL_JMX", &mut self.local_jmx),
                ("JMX_PORT", &mut self.jmx_port),
            ] {
                if let Some(v) = assignment(code, name) {
                    let is_default = blocks.contains(&Block::LocalJmxUnset);
                    // An explicit setting outside the fallback block wins over the fallback.
                    if !(is_default && value.as_ref().is_some_and(|a| !a.is_default)) {
                        *value = Some(Assignment {
                            value: v,
                            file: path.to_path_buf(),
                            line,
                            is_default,
                        });
                    }
                }
            }
            self.push_options(code, path, line, when_local_jmx);
        }
    }

    /// Reads a `jvm*.options` file: one option a line, `#` comments.
    pub fn read_jvm_options(&mut self, text: &str, path: &Path) {
        for (index, raw) in text.lines().enumerate() {
            let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let code = raw.trim();
            if code.starts_with('#') {
                continue;
            }
            self.push_options(code, path, line, None);
        }
    }

    fn push_options(&mut self, code: &str, path: &Path, line: u32, when: Option<bool>) {
        for (name, value) in system_properties(code) {
            self.options.push(JvmOption {
                name,
                value,
                file: path.to_path_buf(),
                line,
                when_local_jmx: when,
            });
        }
    }
}

fn classify(code: &str) -> Block {
    if !code.contains("LOCAL_JMX") {
        return Block::Other;
    }
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains("\"x$LOCAL_JMX\"=\"x\"") || compact.contains("-z\"$LOCAL_JMX\"") {
        Block::LocalJmxUnset
    } else if compact.contains("\"$LOCAL_JMX\"=\"yes\"") || compact.contains("$LOCAL_JMX=yes") {
        Block::LocalJmx { then_branch: true }
    } else {
        Block::Other
    }
}

/// Drops a `#` comment that starts the line or follows whitespace (a `#` inside a word,
/// like `$#`, is not one).
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

/// `NAME=value` or `export NAME=value` at the start of the code, quotes removed.
fn assignment(code: &str, name: &str) -> Option<String> {
    let code = code.strip_prefix("export ").unwrap_or(code).trim_start();
    let rest = code.strip_prefix(name)?.strip_prefix('=')?;
    let value = rest
        .split(|c: char| c.is_whitespace() || c == ';')
        .next()
        .unwrap_or("")
        .trim_matches(|c| c == '"' || c == '\'');
    Some(value.to_string())
}

/// Every `-Dname[=value]` in the line.
fn system_properties(code: &str) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("-D") {
        let preceded_ok = at == 0
            || rest[..at]
                .chars()
                .last()
                .is_some_and(|c| c.is_whitespace() || c == '"' || c == '\'');
        let after = &rest[at + 2..];
        let end = after
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .unwrap_or(after.len());
        let word = &after[..end];
        if preceded_ok && !word.is_empty() {
            match word.split_once('=') {
                Some((name, value)) => found.push((name.to_string(), Some(value.to_string()))),
                None => found.push((word.to_string(), None)),
            }
        }
        rest = &after[end..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const STOCK: &str = r#"
if [ "x$LOCAL_JMX" = "x" ]; then
    LOCAL_JMX=yes
fi
JMX_PORT="7199"
if [ "$LOCAL_JMX" = "yes" ]; then
  JVM_OPTS="$JVM_OPTS -Dcassandra.jmx.local.port=$JMX_PORT"
  JVM_OPTS="$JVM_OPTS -Dcom.sun.management.jmxremote.authenticate=false"
else
  JVM_OPTS="$JVM_OPTS -Dcassandra.jmx.remote.port=$JMX_PORT"
  JVM_OPTS="$JVM_OPTS -Dcom.sun.management.jmxremote.authenticate=true"
  #JVM_OPTS="$JVM_OPTS -Dcom.sun.management.jmxremote.ssl=true"
fi
"#;

    #[test]
    fn options_belong_to_the_branch_local_jmx_selects() {
        let mut s = JvmSettings::default();
        s.read_env_sh(STOCK, Path::new("cassandra-env.sh"));
        let local = s.local_jmx.as_ref().expect("assigned");
        assert_eq!((local.value.as_str(), local.is_default), ("yes", true));
        let auth = |local| {
            s.property(local, "com.sun.management.jmxremote.authenticate")
                .and_then(|o| o.value.clone())
        };
        assert_eq!(auth(true).as_deref(), Some("false"));
        assert_eq!(auth(false).as_deref(), Some("true"));
        assert!(
            s.property(false, "com.sun.management.jmxremote.ssl")
                .is_none()
        );
        assert_eq!(s.jmx_port.as_ref().map(|a| a.value.as_str()), Some("7199"));
    }

    #[test]
    fn an_explicit_local_jmx_beats_the_fallback_wherever_it_is() {
        let mut s = JvmSettings::default();
        s.read_env_sh(&format!("LOCAL_JMX=no\n{STOCK}"), Path::new("env.sh"));
        let local = s.local_jmx.expect("assigned");
        assert_eq!((local.value.as_str(), local.line), ("no", 1));
    }

    #[test]
    fn jvm_options_skip_comments() {
        let mut s = JvmSettings::default();
        s.read_jvm_options(
            "#-Dcom.sun.management.jmxremote.ssl=true\n-Dcom.sun.management.jmxremote.ssl=false\n",
            Path::new("jvm-server.options"),
        );
        let o = s
            .property(false, "com.sun.management.jmxremote.ssl")
            .expect("set");
        assert_eq!((o.value.as_deref(), o.line), (Some("false"), 2));
    }
}
