//! Schema patterns are ECMA-262 regular expressions (written for Python by
//! cfn-lint's sources); a few use syntax the Rust engines spell differently.

/// Rewrites a schema pattern into one the Rust engines accept with the same
/// meaning: `\Z` → `\z`, `\p{Print}` → `[^\p{C}]`, a `[` inside a
/// character class escaped, and a repeated lookahead (`(?!x)+`, which
/// matches what `(?!x)` matches) written once.
pub fn translate(p: &str) -> String {
    drop_repeated_lookaround(&rewrite(p))
}

fn drop_repeated_lookaround(p: &str) -> String {
    let b: Vec<char> = p.chars().collect();
    let mut out = String::with_capacity(p.len());
    let mut i = 0;
    let mut skip_plus_at = Vec::new();
    while i < b.len() {
        if b[i] == '\\' {
            out.push(b[i]);
            if let Some(&n) = b.get(i + 1) {
                out.push(n);
            }
            i += 2;
            continue;
        }
        if b[i] == '('
            && b.get(i + 1) == Some(&'?')
            && matches!(b.get(i + 2), Some('!') | Some('='))
        {
            let mut depth = 0;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    '\\' => j += 1,
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            if matches!(b.get(j + 1), Some('+') | Some('*')) {
                skip_plus_at.push(j + 1);
            }
        }
        if !skip_plus_at.contains(&i) {
            out.push(b[i]);
        }
        i += 1;
    }
    out
}

fn rewrite(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut chars = p.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                if n == 'Z' {
                    out.push_str("\\z");
                } else if n == 'p' && chars.clone().take(7).collect::<String>() == "{Print}" {
                    for _ in 0..7 {
                        chars.next();
                    }
                    out.push_str(if in_class { "\\P{C}" } else { "[^\\p{C}]" });
                } else {
                    out.push('\\');
                    out.push(n);
                }
            }
            '[' if in_class => out.push_str("\\["),
            '[' => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push_str("\\]");
                    chars.next();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn rewrites_ecma_isms() {
        assert_eq!(translate("^a\\Z"), "^a\\z");
        assert_eq!(translate("^\\p{Print}+$"), "^[^\\p{C}]+$");
        assert_eq!(translate("^[a-z,[\\]+]*$"), "^[a-z,\\[\\]+]*$");
        assert_eq!(translate("^[^a]$"), "^[^a]$");
        assert_eq!(translate("^(\\/(?!\\.)+[a-z]+)$"), "^(\\/(?!\\.)[a-z]+)$");
        assert!(
            formwork_core::pattern::Pattern::new(&translate(
                "^([a-z,A-Z,0-9,. _\\-:/()#,@[\\]+=&;\\{\\}!$*])*$"
            ))
            .is_ok()
        );
    }
}
