//! Terminal safety: names, descriptions and tags are user-controlled and must not be
//! able to move the cursor, recolour the screen or hide text.

/// Replaces control characters (ANSI escapes, carriage returns, bidi overrides) with
/// visible escapes.
pub fn sanitize(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if needs_escape(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn escape_sequences_are_made_visible() {
        assert_eq!(sanitize("db\u{1b}[2Jprod"), "db\\u{1b}[2Jprod");
        assert_eq!(sanitize("a\rb"), "a\\u{d}b");
        assert_eq!(sanitize("evil\u{202e}txt"), "evil\\u{202e}txt");
        assert_eq!(sanitize("cassandra-prod"), "cassandra-prod");
    }
}
