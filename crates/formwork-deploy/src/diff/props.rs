//! Property trees compared leaf by leaf, with the old and new values.

use serde_json::{Map, Value as Json};

/// One changed value at a property path (`A.B.0.C`).
#[derive(Clone, Debug, PartialEq)]
pub struct PropertyChange {
    /// The path, dot-separated, list items by index.
    pub path: String,
    /// The deployed value (`None`: absent).
    pub old: Option<Json>,
    /// The new value (`None`: absent).
    pub new: Option<Json>,
}

/// True for `{"Ref": ..}`, `{"Fn::...": ..}` and `{"Condition": ..}`.
pub fn is_intrinsic(m: &Map<String, Json>) -> bool {
    m.len() == 1
        && m.keys()
            .all(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
}

/// True when the value holds an intrinsic function anywhere.
pub fn has_intrinsic(v: &Json) -> bool {
    match v {
        Json::Object(m) => is_intrinsic(m) || m.values().any(has_intrinsic),
        Json::Array(a) => a.iter().any(has_intrinsic),
        _ => false,
    }
}

/// The leaf changes between two property trees. An intrinsic function is a
/// leaf; a list is compared item by item.
pub fn changes(
    old: Option<&Json>,
    new: Option<&Json>,
    prefix: &str,
    out: &mut Vec<PropertyChange>,
) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match (old, new) {
        (Some(Json::Object(a)), Some(Json::Object(b))) if !is_intrinsic(a) && !is_intrinsic(b) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                changes(a.get(k), b.get(k), &join(k), out);
            }
        }
        (Some(Json::Array(a)), Some(Json::Array(b))) => {
            for i in 0..a.len().max(b.len()) {
                changes(a.get(i), b.get(i), &join(&i.to_string()), out);
            }
        }
        (x, y) if x != y => out.push(PropertyChange {
            path: prefix.to_owned(),
            old: x.cloned(),
            new: y.cloned(),
        }),
        _ => {}
    }
}

/// The logical ids a value refers to with `Ref`, `Fn::GetAtt` or a
/// `${Id}`/`${Id.Attr}` in `Fn::Sub`.
pub fn references(v: &Json, out: &mut Vec<String>) {
    match v {
        Json::Object(m) => {
            if let Some(Json::String(id)) = m.get("Ref") {
                out.push(id.clone());
            }
            match m.get("Fn::GetAtt") {
                Some(Json::Array(a)) => {
                    if let Some(Json::String(id)) = a.first() {
                        out.push(id.clone());
                    }
                }
                Some(Json::String(s)) => {
                    out.push(s.split('.').next().unwrap_or_default().to_owned());
                }
                _ => {}
            }
            let sub = match m.get("Fn::Sub") {
                Some(Json::String(s)) => Some(s.as_str()),
                Some(Json::Array(a)) => a.first().and_then(Json::as_str),
                _ => None,
            };
            if let Some(s) = sub {
                let mut rest = s;
                while let Some(i) = rest.find("${") {
                    rest = &rest[i + 2..];
                    let end = rest.find('}').unwrap_or(rest.len());
                    let name = &rest[..end];
                    if !name.starts_with('!') {
                        out.push(name.split('.').next().unwrap_or_default().to_owned());
                    }
                    rest = &rest[end..];
                }
            }
            for x in m.values() {
                references(x, out);
            }
        }
        Json::Array(a) => a.iter().for_each(|x| references(x, out)),
        _ => {}
    }
}

/// A value for a person: strings bare, `Ref`/`GetAtt` as `${Id}`/`${Id.Attr}`,
/// anything else as compact JSON.
pub fn show(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Object(m) if m.len() == 1 => {
            if let Some(Json::String(id)) = m.get("Ref") {
                return format!("${{{id}}}");
            }
            if let Some(Json::Array(a)) = m.get("Fn::GetAtt")
                && let [Json::String(id), Json::String(attr)] = a.as_slice()
            {
                return format!("${{{id}.{attr}}}");
            }
            if let Some(Json::String(s)) = m.get("Fn::Sub") {
                return s.clone();
            }
            if let Some(Json::Array(a)) = m.get("Fn::Join")
                && let [Json::String(sep), Json::Array(parts)] = a.as_slice()
            {
                return parts.iter().map(show).collect::<Vec<_>>().join(sep);
            }
            v.to_string()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn leaf_changes_carry_both_values() {
        let mut out = Vec::new();
        changes(
            Some(&json!({"A": 1, "L": [1, 2], "R": {"Ref": "X"}, "Gone": true})),
            Some(&json!({"A": 2, "L": [1], "R": {"Ref": "Y"}, "New": {"K": "v"}})),
            "",
            &mut out,
        );
        let paths: Vec<&str> = out.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["A", "Gone", "L.1", "New", "R"]);
        assert_eq!(out[0].old, Some(json!(1)));
        assert_eq!(out[0].new, Some(json!(2)));
        assert_eq!(out[2].new, None);
        assert_eq!(out[4].new, Some(json!({"Ref": "Y"})));
    }

    #[test]
    fn finds_references_and_shows_values() {
        let mut r = Vec::new();
        references(
            &json!([{"Ref": "A"}, {"Fn::GetAtt": ["B", "Arn"]}, {"Fn::Sub": "${C.Arn}/${AWS::Region}/${!x}"}]),
            &mut r,
        );
        assert_eq!(r, ["A", "B", "C", "AWS::Region"]);
        assert_eq!(show(&json!({"Fn::GetAtt": ["B", "Arn"]})), "${B.Arn}");
        assert_eq!(
            show(&json!({"Fn::Join": ["", ["a", {"Ref": "X"}]]})),
            "a${X}"
        );
        assert_eq!(show(&json!(3)), "3");
    }
}
