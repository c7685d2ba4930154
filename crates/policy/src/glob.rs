/// Shell-style pattern matching: `*` matches any run of characters (none included), `?`
/// any one character; everything else matches itself. `*` alone matches everything.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    // Where the last `*` was, and the text position it is currently taken to reach.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs_match_as_a_shell_does() {
        assert!(glob_match("*", ""));
        assert!(glob_match("*", "sg-123"));
        assert!(glob_match("sg-*", "sg-123"));
        assert!(!glob_match("sg-*", "i-123"));
        assert!(glob_match("us-*-1", "us-east-1"));
        assert!(!glob_match("us-*-1", "us-east-2"));
        assert!(glob_match("i-??", "i-12"));
        assert!(!glob_match("i-??", "i-123"));
        assert!(glob_match(
            "*cassandra*",
            "ec2_instance_port_cassandra_exposed_to_internet"
        ));
        assert!(glob_match("a*b*c", "aXbYbZc"));
        assert!(!glob_match("a*b*c", "aXbYbZ"));
        assert!(glob_match("exact", "exact"));
        assert!(!glob_match("exact", "exactly"));
    }
}
