//! Schema patterns explained in words, for messages: most schema patterns
//! are one character class with a length (`^[a-zA-Z0-9_-]{1,64}$`), which
//! reads better as "1 to 64 of: letters, digits, `_` and `-`".

use super::validate::Pattern;

/// A pattern of one character class repeated, possibly after a literal prefix.
struct Simple {
    prefix: String,
    class: String,
    min: Option<u64>,
    max: Option<u64>,
}

fn parse(pattern: &str) -> Option<Simple> {
    let p = pattern.strip_prefix('^')?;
    let p = p.strip_suffix('$').or_else(|| p.strip_suffix("\\z"))?;
    let open = p.find('[')?;
    let prefix = &p[..open];
    if prefix
        .chars()
        .any(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '/')))
    {
        return None;
    }
    let rest = &p[open + 1..];
    // The class ends at the first `]` that is not escaped and not first.
    let bytes: Vec<char> = rest.chars().collect();
    let mut i = 0;
    let mut end = None;
    while i < bytes.len() {
        match bytes[i] {
            '\\' => i += 2,
            ']' if i > 0 => {
                end = Some(i);
                break;
            }
            _ => i += 1,
        }
    }
    let end = end?;
    let class: String = bytes[..end].iter().collect();
    let quant: String = bytes[end + 1..].iter().collect();
    let (min, max) = match quant.as_str() {
        "+" => (Some(1), None),
        "*" => (None, None),
        q if q.starts_with('{') && q.ends_with('}') => {
            let inner = &q[1..q.len() - 1];
            match inner.split_once(',') {
                Some((a, b)) => (a.parse().ok(), b.parse().ok()),
                None => {
                    let n = inner.parse().ok()?;
                    (Some(n), Some(n))
                }
            }
        }
        _ => return None,
    };
    Some(Simple {
        prefix: prefix.to_owned(),
        class,
        min,
        max,
    })
}

fn class_words(class: &str) -> String {
    let (negated, body) = match class.strip_prefix('^') {
        Some(b) => (true, b),
        None => (false, class),
    };
    let chars: Vec<char> = body.chars().collect();
    let (mut lower, mut upper, mut digits) = (false, false, false);
    let mut others: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            match chars[i + 1] {
                'w' => {
                    lower = true;
                    upper = true;
                    digits = true;
                    others.push("`_`".into());
                }
                'd' => digits = true,
                's' => others.push("whitespace".into()),
                e => others.push(format!("`{e}`")),
            }
            i += 2;
            continue;
        }
        if i + 2 < chars.len() && chars[i + 1] == '-' {
            match (c, chars[i + 2]) {
                ('a', 'z') => lower = true,
                ('A', 'Z') => upper = true,
                ('0', '9') => digits = true,
                (a, b) => others.push(format!("`{a}`–`{b}`")),
            }
            i += 3;
            continue;
        }
        others.push(if c == ' ' {
            "spaces".into()
        } else {
            format!("`{c}`")
        });
        i += 1;
    }
    let mut parts: Vec<String> = Vec::new();
    match (lower, upper) {
        (true, true) => parts.push("letters".into()),
        (true, false) => parts.push("lowercase letters".into()),
        (false, true) => parts.push("uppercase letters".into()),
        _ => {}
    }
    if digits {
        parts.push("digits".into());
    }
    others.dedup();
    parts.extend(others);
    let list = match parts.len() {
        0 => String::from("nothing"),
        1 => parts.remove(0),
        n => format!("{} and {}", parts[..n - 1].join(", "), parts[n - 1]),
    };
    if negated {
        format!("anything but {list}")
    } else {
        list
    }
}

/// Says in words what a value must look like to match `pattern`, and names
/// the first character of `value` that breaks it when that is clear.
pub(crate) fn explain(pattern: &str, value: &str) -> String {
    let Some(s) = parse(pattern) else {
        return "it does not have the form the schema requires".to_owned();
    };
    let count = match (s.min, s.max) {
        (Some(a), Some(b)) if a == b => format!("{a} of"),
        (Some(a), Some(b)) => format!("{a} to {b} of"),
        (Some(a), None) if a <= 1 => "one or more of".to_owned(),
        (Some(a), None) => format!("at least {a} of"),
        (None, Some(b)) => format!("at most {b} of"),
        (None, None) => "any number of".to_owned(),
    };
    let mut text = String::from("it must be ");
    if !s.prefix.is_empty() {
        text.push_str(&format!("`{}` followed by ", s.prefix));
    }
    text.push_str(&format!("{count}: {}", class_words(&s.class)));
    let one = Pattern::compile(&format!("^[{}]$", s.class));
    let body = value.strip_prefix(s.prefix.as_str());
    match (one, body) {
        (_, None) => text.push_str(&format!(" (it does not start with `{}`)", s.prefix)),
        (Some(one), Some(body)) => {
            if let Some(bad) = body.chars().find(|c| !one.is_match(&c.to_string())) {
                let shown = if bad == ' ' {
                    "a space".to_owned()
                } else {
                    format!("`{bad}`")
                };
                text.push_str(&format!(" (found {shown})"));
            } else {
                let n = body.chars().count() as u64;
                if s.min.is_some_and(|m| n < m) || s.max.is_some_and(|m| n > m) {
                    text.push_str(&format!(" (found {n})"));
                }
            }
        }
        (None, Some(_)) => {}
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_class_patterns_read_as_words() {
        assert_eq!(
            explain("^[a-zA-Z0-9-_]+$", "my fn"),
            "it must be one or more of: letters, digits, `-` and `_` (found a space)"
        );
        assert_eq!(
            explain("^[a-z0-9.-]{3,63}$", "ab"),
            "it must be 3 to 63 of: lowercase letters, digits, `.` and `-` (found 2)"
        );
        assert_eq!(
            explain("^arn:[a-z]+$", "urn:x"),
            "it must be `arn:` followed by one or more of: lowercase letters (it does not start with `arn:`)"
        );
        assert_eq!(
            explain("^[^\\s]*$", "a b"),
            "it must be any number of: anything but whitespace (found a space)"
        );
    }

    #[test]
    fn other_patterns_fall_back_to_a_plain_sentence() {
        assert_eq!(
            explain("^(a|b)$", "c"),
            "it does not have the form the schema requires"
        );
    }
}
