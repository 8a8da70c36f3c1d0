//! S3's bucket naming rules (general purpose buckets).

/// Prefixes S3 reserves.
const RESERVED_PREFIXES: &[&str] = &["xn--", "sthree-", "amzn-s3-demo-"];
/// Suffixes S3 reserves (access point aliases, Object Lambda, multi-region
/// access points, directory buckets, table buckets).
const RESERVED_SUFFIXES: &[&str] = &["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/// What is wrong with a literal bucket name: the message naming the rule it
/// breaks, and a fix when there is an obvious one. `None` when S3 accepts it.
pub(crate) fn bucket_name_problem(name: &str) -> Option<(String, Option<String>)> {
    let len = name.chars().count();
    if !(3..=63).contains(&len) {
        return Some((
            format!(
                "bucket name `{name}` is {len} characters long; a bucket name is 3 to 63 characters"
            ),
            None,
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        let lower = name.to_ascii_lowercase();
        let fix = (lower != name && bucket_name_problem(&lower).is_none())
            .then(|| format!("use `{lower}`"));
        return Some((
            format!(
                "bucket name `{name}` contains `{c}`; a bucket name has only lowercase letters, digits, dots (.) and hyphens (-)"
            ),
            fix,
        ));
    }
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !edge_ok(name.chars().next()) || !edge_ok(name.chars().last()) {
        return Some((
            format!("bucket name `{name}` must begin and end with a lowercase letter or a digit"),
            None,
        ));
    }
    if name.contains("..") {
        return Some((
            format!(
                "bucket name `{name}` has two adjacent periods; S3 refuses `..` in a bucket name"
            ),
            None,
        ));
    }
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return Some((
            format!("bucket name `{name}` is formatted as an IP address, which S3 refuses"),
            None,
        ));
    }
    if let Some(p) = RESERVED_PREFIXES.iter().find(|p| name.starts_with(**p)) {
        return Some((
            format!(
                "bucket name `{name}` starts with `{p}`, a prefix S3 reserves (reserved prefixes: {})",
                RESERVED_PREFIXES.join(", ")
            ),
            None,
        ));
    }
    if let Some(s) = RESERVED_SUFFIXES.iter().find(|s| name.ends_with(**s)) {
        return Some((
            format!(
                "bucket name `{name}` ends with `{s}`, a suffix S3 reserves (reserved suffixes: {})",
                RESERVED_SUFFIXES.join(", ")
            ),
            None,
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(name: &str) -> String {
        bucket_name_problem(name)
            .map(|(m, _)| m)
            .unwrap_or_default()
    }

    #[test]
    fn good_names_pass() {
        for ok in [
            "abc",
            "hera-sessions-prod",
            "my.bucket.v2",
            "a1b",
            &"a".repeat(63),
            "1.2.3.4a",
        ] {
            assert!(bucket_name_problem(ok).is_none(), "{ok} should be accepted");
        }
    }

    #[test]
    fn each_rule_is_named() {
        assert!(msg("ab").contains("3 to 63 characters"));
        assert!(msg(&"a".repeat(64)).contains("is 64 characters long"));
        assert!(msg("My-Bucket").contains("contains `M`"));
        assert!(
            msg("my_bucket").contains("only lowercase letters, digits, dots (.) and hyphens (-)")
        );
        assert!(msg("-bucket").contains("begin and end with a lowercase letter or a digit"));
        assert!(msg("bucket.").contains("begin and end"));
        assert!(msg("my..bucket").contains("two adjacent periods"));
        assert!(msg("192.168.5.4").contains("IP address"));
        assert!(msg("xn--bucket").contains("starts with `xn--`"));
        assert!(msg("sthree-bucket").contains("starts with `sthree-`"));
        assert!(msg("bucket-s3alias").contains("ends with `-s3alias`"));
        assert!(msg("bucket--ol-s3").contains("ends with `--ol-s3`"));
    }

    #[test]
    fn uppercase_names_suggest_the_lowercase_form() {
        let (_, fix) = bucket_name_problem("My-Bucket").unwrap();
        assert_eq!(fix.as_deref(), Some("use `my-bucket`"));
        let (_, fix) = bucket_name_problem("my_bucket").unwrap();
        assert_eq!(fix, None);
    }
}
