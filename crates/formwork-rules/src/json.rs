//! Reading CloudFormation JSON: literals, lists that may be one item, and
//! booleans that may be strings.

use std::borrow::Cow;

use formwork_core::Value;

/// The items of a value that is a list or a single item (seen through an
/// unchecked wrapper, as a value read with `ResourceView::held` may have).
pub(crate) fn items(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::List(a)) => a.iter().collect(),
        Some(Value::Unchecked(inner)) => items(Some(inner)),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

/// The string a value is written as, when a literal one (an `Fn::Sub`
/// without variables too): for values read with `ResourceView::held`.
pub(crate) fn lit(v: Option<&Value>) -> Option<Cow<'_, str>> {
    v.and_then(Value::literal_str)
}

/// A literal string.
pub(crate) fn str_of(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
}

/// A literal boolean (CloudFormation takes `"true"` too); `None` when unset
/// or an intrinsic function.
pub(crate) fn bool_of(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A literal integer (numbers or digit strings).
pub(crate) fn int_of(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Int(i) => Some(*i),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// True for an intrinsic function or a dynamic reference (a value known at
/// deploy time).
pub(crate) fn is_dynamic(v: &Value) -> bool {
    match v {
        Value::Map(m) => m.keys().any(|k| k == "Ref" || k.starts_with("Fn::")),
        Value::String(s) => s.contains("{{resolve:"),
        _ => false,
    }
}

/// The logical id a `Ref` or `Fn::GetAtt` points at.
pub(crate) fn target(v: &Value) -> Option<&str> {
    if let Some(r) = v.get("Ref").and_then(Value::as_str) {
        return Some(r);
    }
    v.get("Fn::GetAtt")
        .and_then(|g| g.at(0))
        .and_then(Value::as_str)
}

/// True when a key or a string anywhere in `v` contains `needle`.
pub(crate) fn mentions(v: &Value, needle: &str) -> bool {
    match v {
        Value::String(s) => s.contains(needle),
        Value::List(items) => items.iter().any(|i| mentions(i, needle)),
        Value::Map(m) => m
            .iter()
            .any(|(k, i)| k.contains(needle) || mentions(i, needle)),
        Value::Unchecked(i) => mentions(i, needle),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_finds_keys_and_strings_at_any_depth() {
        let doc = Value::from(serde_json::json!({
            "Statement": [{"Condition": {"Bool": {"aws:SecureTransport": "false"}}}]
        }));
        assert!(mentions(&doc, "aws:SecureTransport"));
        assert!(mentions(&doc, "false"));
        assert!(!mentions(&doc, "aws:SourceIp"));
        assert!(mentions(
            &Value::list(["x", "in aws:SecureTransport"]),
            "aws:SecureTransport"
        ));
        assert!(!mentions(&Value::Int(1), "1"));
    }
}
