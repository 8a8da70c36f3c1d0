//! Reading CloudFormation JSON: literals, lists that may be one item, and
//! booleans that may be strings.

use serde_json::Value as Json;

/// The items of a value that is a list or a single item.
pub(crate) fn items(v: Option<&Json>) -> Vec<&Json> {
    match v {
        Some(Json::Array(a)) => a.iter().collect(),
        Some(Json::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

/// A literal string.
pub(crate) fn str_of(v: Option<&Json>) -> Option<&str> {
    v.and_then(Json::as_str)
}

/// A literal boolean (CloudFormation takes `"true"` too); `None` when unset
/// or an intrinsic function.
pub(crate) fn bool_of(v: Option<&Json>) -> Option<bool> {
    match v? {
        Json::Bool(b) => Some(*b),
        Json::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Json::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A literal integer (numbers or digit strings).
pub(crate) fn int_of(v: Option<&Json>) -> Option<i64> {
    match v? {
        Json::Number(n) => n.as_i64(),
        Json::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// True for an intrinsic function or a dynamic reference (a value known at
/// deploy time).
pub(crate) fn is_dynamic(v: &Json) -> bool {
    match v {
        Json::Object(m) => m.keys().any(|k| k == "Ref" || k.starts_with("Fn::")),
        Json::String(s) => s.contains("{{resolve:"),
        _ => false,
    }
}

/// The logical id a `Ref` or `Fn::GetAtt` points at.
pub(crate) fn target(v: &Json) -> Option<&str> {
    if let Some(r) = v.get("Ref").and_then(Json::as_str) {
        return Some(r);
    }
    v.get("Fn::GetAtt")
        .and_then(|g| g.get(0))
        .and_then(Json::as_str)
}
