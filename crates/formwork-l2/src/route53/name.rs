//! DNS names: the checks Route 53 applies to zone and record names, and the
//! fully qualified form records are written with.

/// Why a literal DNS name is refused, if it is (`*` only as a whole first
/// label).
pub(crate) fn dns_name_problem(name: &str) -> Option<String> {
    let n = name.strip_suffix('.').unwrap_or(name);
    if n.is_empty() {
        return Some("is empty".to_owned());
    }
    if n.len() > 253 {
        return Some(format!(
            "is {} characters long; allowed: up to 253",
            n.len()
        ));
    }
    for (i, label) in n.split('.').enumerate() {
        if label.is_empty() {
            return Some("has an empty label (`..`)".to_owned());
        }
        if label.len() > 63 {
            return Some(format!(
                "has a label of {} characters; allowed: up to 63",
                label.len()
            ));
        }
        if label == "*" && i == 0 {
            continue;
        }
        if !label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Some(format!(
                "has the label `{label}`; allowed: A-Z a-z 0-9 - _ (and `*` as the whole first label)"
            ));
        }
    }
    None
}

/// The zone name without its trailing dot, lower case.
pub(crate) fn normalize(zone: &str) -> String {
    zone.strip_suffix('.').unwrap_or(zone).to_ascii_lowercase()
}

/// The fully qualified name (with a trailing dot) of `record` in `zone`:
/// empty is the apex; a name that ends with the zone name is taken as
/// given; anything else is relative to the zone. Returns the name and
/// whether it is inside the zone (false only for a name ending with a dot
/// that is not under the zone).
pub(crate) fn qualify(record: &str, zone: &str) -> (String, bool) {
    let zone = normalize(zone);
    if record.is_empty() {
        return (format!("{zone}."), true);
    }
    let absolute = record.ends_with('.');
    let r = record.strip_suffix('.').unwrap_or(record);
    let lower = r.to_ascii_lowercase();
    let inside = lower == zone || lower.ends_with(&format!(".{zone}"));
    if inside {
        (format!("{r}."), true)
    } else if absolute {
        (format!("{r}."), false)
    } else {
        (format!("{r}.{zone}."), true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_qualified_in_their_zone() {
        assert_eq!(qualify("", "example.com"), ("example.com.".into(), true));
        assert_eq!(
            qualify("www", "example.com."),
            ("www.example.com.".into(), true)
        );
        assert_eq!(
            qualify("api.example.com", "example.com"),
            ("api.example.com.".into(), true)
        );
        assert_eq!(
            qualify("Example.com.", "example.com"),
            ("Example.com.".into(), true)
        );
        assert_eq!(
            qualify("api.other.com.", "example.com"),
            ("api.other.com.".into(), false)
        );
        assert_eq!(
            qualify("notexample.com.", "example.com"),
            ("notexample.com.".into(), false)
        );
    }

    #[test]
    fn dns_names_are_checked() {
        assert!(dns_name_problem("example.com").is_none());
        assert!(dns_name_problem("*.example.com.").is_none());
        assert!(dns_name_problem("_acme.example.com").is_none());
        assert!(dns_name_problem("").is_some());
        assert!(dns_name_problem("a..b").unwrap().contains("empty label"));
        assert!(dns_name_problem("a b.com").unwrap().contains("`a b`"));
        assert!(dns_name_problem("a.*.com").is_some());
        assert!(
            dns_name_problem(&format!("{}.com", "a".repeat(64)))
                .unwrap()
                .contains("63")
        );
    }
}
