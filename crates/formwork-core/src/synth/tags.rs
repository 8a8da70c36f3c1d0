//! The stack's tags, merged into the tag property of each resource that
//! takes tags (the resource's own tags win).

use indexmap::IndexMap;
use serde_json::{Map, Value as Json, json};

use crate::diag::{Diagnostic, codes};
use crate::spec::Tagging;
use crate::value::Value;

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
    stack_tags: &IndexMap<String, String>,
    diags: &mut Vec<Diagnostic>,
    path: &str,
) {
    let prop = match tagging {
        Tagging::None => return,
        _ if stack_tags.is_empty() => return,
        Tagging::List(p) | Tagging::Map(p) => p,
    };
    let rendered = props.swap_remove(prop).map(|v| r.json(&v));
    let merged = merge_json(rendered, tagging, stack_tags, diags, path);
    props.insert(prop, Value::from(merged));
}

/// The tag property once the stack's tags are merged into `existing` (the
/// property as rendered, if set).
fn merge_json(
    existing: Option<Json>,
    tagging: Tagging,
    stack_tags: &IndexMap<String, String>,
    diags: &mut Vec<Diagnostic>,
    path: &str,
) -> Json {
    match tagging {
        Tagging::None => existing.unwrap_or(Json::Null),
        Tagging::List(prop) => {
            let existing = existing.unwrap_or_else(|| Json::Array(Vec::new()));
            let Json::Array(mut own) = existing else {
                diags.push(warning(path, prop));
                return existing;
            };
            let own_keys: Vec<&str> = own
                .iter()
                .filter_map(|t| t.get("Key").and_then(Json::as_str))
                .collect();
            let mut merged: Vec<Json> = stack_tags
                .iter()
                .filter(|(k, _)| !own_keys.contains(&k.as_str()))
                .map(|(k, v)| json!({ "Key": k, "Value": v }))
                .collect();
            merged.append(&mut own);
            Json::Array(merged)
        }
        Tagging::Map(prop) => {
            let existing = existing.unwrap_or_else(|| Json::Object(Map::new()));
            let Json::Object(own) = existing else {
                diags.push(warning(path, prop));
                return existing;
            };
            if own.len() == 1 && own.keys().all(|k| k == "Ref" || k.starts_with("Fn::")) {
                diags.push(warning(path, prop));
                return Json::Object(own);
            }
            let mut merged: Map<String, Json> = stack_tags
                .iter()
                .filter(|(k, _)| !own.contains_key(*k))
                .map(|(k, v)| (k.clone(), Json::from(v.as_str())))
                .collect();
            merged.extend(own);
            Json::Object(merged)
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

    #[test]
    fn stack_tags_merge_without_overriding_own_tags() {
        let tags: IndexMap<String, String> = [
            ("team".to_owned(), "stack".to_owned()),
            ("app".to_owned(), "x".to_owned()),
        ]
        .into_iter()
        .collect();
        let mut d = Vec::new();
        let own = json!([{"Key": "team", "Value": "own"}]);
        assert_eq!(
            merge_json(Some(own), Tagging::List("Tags"), &tags, &mut d, "S/R"),
            json!([{"Key": "app", "Value": "x"}, {"Key": "team", "Value": "own"}])
        );
        assert_eq!(
            merge_json(None, Tagging::Map("Tags"), &tags, &mut d, "S/R"),
            json!({"team": "stack", "app": "x"})
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
            intrinsic
        );
        assert_eq!(
            merge_json(
                Some(intrinsic.clone()),
                Tagging::Map("Tags"),
                &tags,
                &mut d,
                "S/R"
            ),
            intrinsic
        );
        assert_eq!(d.len(), 2);
    }
}
