//! Container images by mutable tag (`:latest`, no tag), and repositories
//! whose tags can be moved.

use formwork_core::Diagnostic;
use formwork_core::Value;
use formwork_core::rules::{Findings, ResourceView};

use crate::codes;
use crate::json::{items, str_of};

/// The literal text at the end of an image reference: the string itself, or
/// the last literal part of an `Fn::Sub`/`Fn::Join`.
fn literal_tail(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Map(m) => {
            if let Some(sub) = m.get("Fn::Sub") {
                let text = sub.as_str().or_else(|| sub.at(0).and_then(Value::as_str))?;
                return Some(text.rsplit('}').next().unwrap_or("").to_owned());
            }
            let parts = m.get("Fn::Join")?.at(1)?.as_list()?;
            parts.last().and_then(Value::as_str).map(str::to_owned)
        }
        _ => None,
    }
}

/// Why an image reference is mutable, if it is.
pub(crate) fn mutable(v: &Value) -> Option<&'static str> {
    let tail = literal_tail(v)?;
    if tail.contains("@sha256:") {
        return None;
    }
    let last = tail.rsplit('/').next().unwrap_or(&tail);
    match last.rsplit_once(':') {
        Some((_, "latest")) => Some("the tag `latest` moves with every push"),
        Some(_) => None,
        // A whole literal without a tag means `latest`; a tail that is
        // only a suffix of an intrinsic may carry the tag elsewhere.
        None if v.as_str().is_some() && !last.is_empty() => {
            Some("no tag means `latest`, which moves with every push")
        }
        None => None,
    }
}

fn report(r: &ResourceView<'_>, f: &mut Findings, property: String, why: &str) {
    f.report(
        Diagnostic::warning(
            codes::MUTABLE_IMAGE,
            r.path(),
            format!("the image is referenced by a mutable tag ({why}): a redeploy can run other code than the one reviewed"),
        )
        .property(property)
        .fix("reference the image by digest (`@sha256:…`) or by a content-hash tag (an image asset does this)"),
    );
}

pub(crate) fn resource(r: &ResourceView<'_>, ty: &str, f: &mut Findings) {
    match ty {
        "AWS::ECS::TaskDefinition" => {
            for (i, c) in items(r.property("ContainerDefinitions"))
                .into_iter()
                .enumerate()
            {
                if let Some(why) = c.get("Image").and_then(mutable) {
                    report(r, f, format!("ContainerDefinitions[{i}].Image"), why);
                }
            }
        }
        "AWS::Lambda::Function" => {
            if let Some(why) = r.property("Code.ImageUri").and_then(mutable) {
                report(r, f, "Code.ImageUri".to_owned(), why);
            }
        }
        "AWS::ECR::Repository"
            if str_of(r.property("ImageTagMutability")).unwrap_or("MUTABLE") == "MUTABLE" =>
        {
            f.report(
                Diagnostic::warning(
                    codes::MUTABLE_IMAGE,
                    r.path(),
                    "the repository lets a push move an existing tag (ImageTagMutability MUTABLE)",
                )
                .property("ImageTagMutability")
                .fix("set IMMUTABLE and tag images by content hash"),
            );
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn mutable(j: &serde_json::Value) -> Option<&'static str> {
        super::mutable(&Value::from(j.clone()))
    }

    #[test]
    fn tags() {
        assert!(mutable(&json!("nginx")).is_some());
        assert!(mutable(&json!("public.ecr.aws/x/y:latest")).is_some());
        assert!(mutable(&json!("localhost:5000/app")).is_some());
        assert!(mutable(&json!("nginx:1.27")).is_none());
        assert!(mutable(&json!("x@sha256:abc")).is_none());
        assert!(mutable(&json!({"Fn::Sub": "${Repo.RepositoryUri}:latest"})).is_some());
        assert!(mutable(&json!({"Fn::Sub": "${Repo.RepositoryUri}:abc123"})).is_none());
        assert!(mutable(&json!({"Fn::Sub": "${Repo.RepositoryUri}@sha256:abc"})).is_none());
    }
}
