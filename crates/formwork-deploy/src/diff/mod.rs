//! Comparing two templates: what a deploy would change.
//!
//! Resources are compared by logical id. A changed create-only property
//! (from the schemas) means CloudFormation replaces the resource; a removed
//! and an added resource of the same type and properties is reported as a
//! rename, which also replaces it.

use std::collections::HashMap;

use formwork_core::App;
use formwork_core::spec::ResourceSpec;
use serde_json::Value as Json;

/// The resource specs an app uses, by type name.
pub fn specs_of(app: &App) -> HashMap<&'static str, &'static ResourceSpec> {
    let mut m = HashMap::new();
    for s in app.stacks() {
        for r in s.resources() {
            let spec = r.spec();
            m.insert(spec.type_name, spec);
        }
    }
    m
}

/// Leaf paths where two property trees differ.
fn changed_paths(old: &Json, new: &Json, prefix: &str, out: &mut Vec<String>) {
    match (old, new) {
        (Json::Object(a), Json::Object(b)) if !is_intrinsic(a) && !is_intrinsic(b) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => changed_paths(x, y, &p, out),
                    _ => out.push(p),
                }
            }
        }
        (x, y) if x != y => out.push(prefix.to_owned()),
        _ => {}
    }
}

fn is_intrinsic(m: &serde_json::Map<String, Json>) -> bool {
    m.len() == 1
        && m.keys()
            .all(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
}

/// One line per change of one stack.
pub fn stack_changes(
    old: &Json,
    new: &Json,
    specs: &HashMap<&'static str, &'static ResourceSpec>,
) -> Vec<String> {
    let empty = serde_json::Map::new();
    let res = |t: &Json| {
        t.get("Resources")
            .and_then(Json::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (a, b) = (res(old), res(new));
    let mut lines = Vec::new();
    let removed: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let added: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    let mut renamed_from: Vec<&String> = Vec::new();
    for id in &added {
        let r = &b[id.as_str()];
        let twin = removed
            .iter()
            .find(|old_id| !renamed_from.contains(old_id) && a[old_id.as_str()] == *r);
        match twin {
            Some(old_id) => {
                renamed_from.push(old_id);
                lines.push(format!(
                    "~ {id} renamed from {old_id} [{}] (replacement: the logical id changed; pin the old one with override_logical_id to keep the resource)",
                    r["Type"].as_str().unwrap_or("?")
                ));
            }
            None => lines.push(format!("+ {id} [{}]", r["Type"].as_str().unwrap_or("?"))),
        }
    }
    for id in removed.iter().filter(|id| !renamed_from.contains(id)) {
        lines.push(format!(
            "- {id} [{}]",
            a[id.as_str()]["Type"].as_str().unwrap_or("?")
        ));
    }
    for (id, old_r) in &a {
        let Some(new_r) = b.get(id) else { continue };
        if old_r == new_r {
            continue;
        }
        let ty = new_r["Type"].as_str().unwrap_or("?");
        if old_r["Type"] != new_r["Type"] {
            lines.push(format!(
                "~ {id} type {} → {ty} (replacement)",
                old_r["Type"]
            ));
            continue;
        }
        let null = Json::Null;
        let mut paths = Vec::new();
        changed_paths(
            old_r.get("Properties").unwrap_or(&null),
            new_r.get("Properties").unwrap_or(&null),
            "",
            &mut paths,
        );
        let replaced: Vec<&String> = paths
            .iter()
            .filter(|p| specs.get(ty).is_some_and(|s| s.is_create_only(p)))
            .collect();
        let other = [
            "DependsOn",
            "DeletionPolicy",
            "UpdateReplacePolicy",
            "Condition",
            "Metadata",
        ]
        .iter()
        .filter(|k| old_r.get(**k) != new_r.get(**k))
        .map(|k| (*k).to_owned());
        let all: Vec<String> = paths.iter().cloned().chain(other).collect();
        let note = if replaced.is_empty() {
            String::new()
        } else {
            format!(
                " (replacement: {} cannot change in place)",
                replaced
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        lines.push(format!("~ {id} [{ty}] {}{note}", all.join(", ")));
    }
    for section in ["Parameters", "Outputs", "Conditions", "Mappings"] {
        if old.get(section) != new.get(section) {
            lines.push(format!("~ {section} changed"));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_additions_removals_renames_and_replacements() {
        let specs: HashMap<&'static str, &'static ResourceSpec> = [(
            "AWS::SSM::Parameter",
            <formwork_core::testing::CfnThing as formwork_core::Resource>::SPEC,
        )]
        .into_iter()
        .collect();
        let old = json!({"Resources": {
            "A": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "a", "Value": "1"}},
            "B": {"Type": "AWS::SSM::Parameter", "Properties": {"Value": "2"}},
            "Gone": {"Type": "AWS::S3::Bucket"}
        }});
        let new = json!({"Resources": {
            "A": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "b", "Value": "1"}},
            "B2": {"Type": "AWS::SSM::Parameter", "Properties": {"Value": "2"}},
            "New": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "n"}}
        }});
        let lines = stack_changes(&old, &new, &specs);
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(lines.iter().any(|l| l.starts_with("~ B2 renamed from B")));
        assert!(lines.iter().any(|l| l == "+ New [AWS::S3::Bucket]"));
        assert!(lines.iter().any(|l| l == "- Gone [AWS::S3::Bucket]"));
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("~ A [AWS::SSM::Parameter] Name (replacement: Name"))
        );
    }

    #[test]
    fn in_place_changes_are_not_replacements() {
        let specs = HashMap::new();
        let old = json!({"Resources": {"A": {"Type": "T", "Properties": {"V": {"Ref": "X"}}}}});
        let new = json!({"Resources": {"A": {"Type": "T", "Properties": {"V": {"Ref": "Y"}}}}});
        assert_eq!(
            stack_changes(&old, &new, &specs),
            vec!["~ A [T] V".to_owned()]
        );
    }
}
