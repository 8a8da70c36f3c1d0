//! The stack's tags, merged into the tag property of each resource that
//! takes tags (the resource's own tags win).

use indexmap::IndexMap;

use crate::diag::{Diagnostic, codes};
use crate::spec::Tagging;
use crate::value::Value;
use crate::value_map::ValueMap;

use super::overrides::Props;
use super::render::Renderer;

/// Merges `stack_tags` into the tag property of `props` (a resource's
/// properties as they will be written). The property is merged as it is
/// rendered, so a tag given by an intrinsic function is seen as CloudFormation
/// sees it; such tags are left alone, with a warning.
pub(crate) fn merge(
    r: &Renderer<'_>,
    props: &mut Props<'_>,
    tagging: Tagging,
    stack_tags: &IndexMap<String, String, crate::fasthash::FastState>,
    diags: &mut Vec<Diagnostic>,
    path: &str,
) {
    let prop = match tagging {
        Tagging::None => return,
        _ if stack_tags.is_empty() => return,
        Tagging::List(p) | Tagging::Map(p) => p,
    };
    let rendered = props.swap_remove(prop).map(|v| r.tree(&v));
    let merged = merge_tree(rendered, tagging, stack_tags, diags, path);
    props.insert(prop, merged);
}

/// The tag property once the stack's tags are merged into `existing` (the
/// property as rendered, if set).
fn merge_tree(
    existing: Option<Value>,
    tagging: Tagging,
    stack_tags: &IndexMap<String, String, crate::fasthash::FastState>,
    diags: &mut Vec<Diagnostic>,
    path: &str,
) -> Value {
    match tagging {
        Tagging::None => existing.unwrap_or(Value::Null),
        Tagging::List(prop) => {
            let existing = existing.unwrap_or_else(|| Value::List(Vec::new()));
            let Value::List(mut own) = existing else {
                diags.push(warning(path, prop));
                return existing;
            };
            let own_keys: Vec<&str> = own
                .iter()
                .filter_map(|t| t.get("Key").and_then(Value::as_str))
                .collect();
            let mut merged: Vec<Value> = stack_tags
                .iter()
                .filter(|(k, _)| !own_keys.contains(&k.as_str()))
                .map(|(k, v)| {
                    Value::Map(ValueMap::from([
                        ("Key".to_owned(), Value::from(k)),
                        ("Value".to_owned(), Value::from(v)),
                    ]))
                })
                .collect();
            merged.append(&mut own);
            Value::List(merged)
        }
        Tagging::Map(prop) => {
            let existing = existing.unwrap_or_else(Value::map);
            let Value::Map(own) = existing else {
                diags.push(warning(path, prop));
                return existing;
            };
            if own.len() == 1 && own.keys().all(|k| k == "Ref" || k.starts_with("Fn::")) {
                diags.push(warning(path, prop));
                return Value::Map(own);
            }
            let mut merged: ValueMap = stack_tags
                .iter()
                .filter(|(k, _)| !own.contains_key(k))
                .map(|(k, v)| (k.clone(), Value::from(v)))
                .collect();
            merged.extend(own);
            Value::Map(merged)
        }
    }
}

fn warning(path: &str, prop: &str) -> Diagnostic {
    Diagnostic::warning(
        codes::TAGS,
        path,
        "the resource's tags are an intrinsic function, so the stack's tags were not merged into them",
    )
    .property(prop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn merge_json(
        existing: Option<serde_json::Value>,
        tagging: Tagging,
        stack_tags: &IndexMap<String, String, crate::fasthash::FastState>,
        diags: &mut Vec<Diagnostic>,
        path: &str,
    ) -> Value {
        merge_tree(existing.map(Value::from), tagging, stack_tags, diags, path)
    }

    #[test]
    fn stack_tags_merge_without_overriding_own_tags() {
        let tags: IndexMap<String, String, crate::fasthash::FastState> = [
            ("team".to_owned(), "stack".to_owned()),
            ("app".to_owned(), "x".to_owned()),
        ]
        .into_iter()
        .collect();
        let mut d = Vec::new();
        let own = json!([{"Key": "team", "Value": "own"}]);
        assert_eq!(
            merge_json(Some(own), Tagging::List("Tags"), &tags, &mut d, "S/R"),
            Value::from(json!([{"Key": "app", "Value": "x"}, {"Key": "team", "Value": "own"}]))
        );
        assert_eq!(
            merge_json(None, Tagging::Map("Tags"), &tags, &mut d, "S/R"),
            Value::from(json!({"team": "stack", "app": "x"}))
        );
        let intrinsic = json!({"Ref": "P"});
        assert_eq!(
            merge_json(
                Some(intrinsic.clone()),
                Tagging::List("Tags"),
                &tags,
                &mut d,
                "S/R"
            ),
            Value::from(intrinsic.clone())
        );
        assert_eq!(
            merge_json(
                Some(intrinsic.clone()),
                Tagging::Map("Tags"),
                &tags,
                &mut d,
                "S/R"
            ),
            Value::from(intrinsic.clone())
        );
        assert_eq!(d.len(), 2);
    }
}
