//! The secrets step of a stack: create the secrets alone when the stack
//! does not hold them yet, then put their values, before the stack's own
//! deploy creates what reads them.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{Map, Value as Json};

use super::{Need, Seed, codes};
use crate::aws::{Aws, words};
use crate::changeset::{self, Ended, OnEvent, StackDeploy};
use crate::error::{Error, Result};
use crate::private::Private;

/// The logical ids a resource definition refers to (`Ref`, `Fn::GetAtt`,
/// `${X}` in `Fn::Sub`, `DependsOn`) among `known`.
fn references(v: &Json, known: &Map<String, Json>, out: &mut BTreeSet<String>) {
    let add = |out: &mut BTreeSet<String>, id: &str| {
        let id = id.split('.').next().unwrap_or(id);
        if known.contains_key(id) {
            out.insert(id.to_owned());
        }
    };
    match v {
        Json::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("Ref", Json::String(id)) => add(out, id),
                    ("Fn::GetAtt", Json::Array(a)) => {
                        if let Some(id) = a.first().and_then(Json::as_str) {
                            add(out, id);
                        }
                    }
                    ("Fn::GetAtt", Json::String(s)) => add(out, s),
                    ("DependsOn", Json::String(id)) => add(out, id),
                    ("DependsOn", Json::Array(a)) => {
                        for id in a.iter().filter_map(Json::as_str) {
                            add(out, id);
                        }
                    }
                    ("Fn::Sub", sub) => {
                        let text = match sub {
                            Json::String(s) => Some(s.as_str()),
                            Json::Array(a) => a.first().and_then(Json::as_str),
                            _ => None,
                        };
                        for part in text.unwrap_or_default().split("${").skip(1) {
                            if let Some(end) = part.find('}') {
                                add(out, &part[..end]);
                            }
                        }
                    }
                    _ => {}
                }
                references(x, known, out);
            }
        }
        Json::Array(a) => {
            for x in a {
                references(x, known, out);
            }
        }
        _ => {}
    }
}

/// The template that creates `secrets` (logical ids of `full`) and what
/// they reference, on top of `base` (the deployed template; `None`: a new
/// stack, which gets `full`'s parameters, conditions, mappings and
/// metadata and no other resource, and no outputs).
pub(crate) fn seed_template(full: &Json, base: Option<&Json>, secrets: &[String]) -> Json {
    let empty = Map::new();
    let all = full
        .get("Resources")
        .and_then(Json::as_object)
        .unwrap_or(&empty);
    let mut out = match base {
        Some(b) => b.clone(),
        None => {
            let mut t = full.clone();
            if let Some(o) = t.as_object_mut() {
                o.remove("Outputs");
                o.insert("Resources".into(), Json::Object(Map::new()));
            }
            t
        }
    };
    let mut wanted: Vec<String> = secrets.to_vec();
    let mut i = 0;
    while i < wanted.len() {
        if let Some(r) = all.get(&wanted[i]) {
            let mut refs = BTreeSet::new();
            references(r, all, &mut refs);
            for id in refs {
                if !wanted.contains(&id) {
                    wanted.push(id);
                }
            }
        }
        i += 1;
    }
    if let Some(resources) = out
        .as_object_mut()
        .and_then(|o| o.get_mut("Resources"))
        .and_then(Json::as_object_mut)
    {
        for id in &wanted {
            if let (false, Some(r)) = (resources.contains_key(id), all.get(id)) {
                resources.insert(id.clone(), r.clone());
            }
        }
    }
    out
}

fn seed_error(stack: &str, what: String) -> Error {
    Error::failed(format!("error[{}] {stack}: {what}", codes::SEED))
}

/// Runs the secrets step of one stack: `seeds` are its secrets that need a
/// value; `full` its template; `spec` how its deploy is done (parameters,
/// tags, capabilities).
pub(crate) fn run_step(
    aws: &Aws,
    seeds: &[Seed],
    full: &Json,
    spec: &StackDeploy,
    poll: Duration,
    on_event: OnEvent<'_>,
    say: &dyn Fn(String),
) -> Result<()> {
    let stack = &spec.stack;
    let region = spec.region.as_deref();
    let dir = Private::new("secrets").map_err(|e| {
        seed_error(
            stack,
            format!("cannot make a private temporary folder: {e}"),
        )
    })?;
    let to_create: Vec<String> = seeds
        .iter()
        .filter(|s| matches!(s.need, Need::NoStack | Need::NotInStack))
        .map(|s| s.secret.logical_id.clone())
        .collect();
    if !to_create.is_empty() {
        let base = if seeds.iter().any(|s| s.need == Need::NotInStack) {
            crate::deployed::template(aws, stack, region)?
        } else {
            None
        };
        let t = seed_template(full, base.as_ref(), &to_create);
        let text = serde_json::to_string_pretty(&t).unwrap_or_default();
        let file = dir
            .write(&format!("{stack}.secrets.template.json"), &text)
            .map_err(|e| seed_error(stack, format!("cannot write the secrets' template: {e}")))?;
        say(format!(
            "{stack}: creating its secrets first ({})",
            to_create.join(", ")
        ));
        let mut d = spec.clone();
        d.template_file = file.to_string_lossy().into_owned();
        if text.len() <= formwork_core::synth::limits::INLINE_TEMPLATE_BYTES {
            d.s3_bucket = None;
        }
        if let Ended::Failed {
            reason,
            final_status,
            ..
        } = changeset::deploy(aws, &d, poll, on_event)
        {
            return Err(seed_error(
                stack,
                format!("creating its secrets failed: {reason} (final state: {final_status})"),
            ));
        }
    }
    for (i, seed) in seeds.iter().enumerate() {
        let arn = match &seed.need {
            Need::Empty(arn) => arn.clone(),
            _ => crate::deployed::physical_id(aws, stack, &seed.secret.logical_id, region)?
                .or_else(|| seed.secret.name.clone())
                .ok_or_else(|| {
                    seed_error(stack, format!("{} was not created", seed.secret.logical_id))
                })?,
        };
        let file = dir
            .write(&format!("value-{i}"), &seed.value)
            .map_err(|e| seed_error(stack, format!("cannot write a private value file: {e}")))?;
        let put = aws.run(
            &words(&[
                "secretsmanager",
                "put-secret-value",
                "--secret-id",
                &arn,
                "--secret-string",
                &format!("file://{}", file.to_string_lossy()),
            ]),
            region,
        );
        let _ = std::fs::remove_file(&file);
        put.map_err(|e| {
            seed_error(
                stack,
                format!("putting the value of {} failed: {e}", seed.secret.path),
            )
        })?;
        say(format!(
            "{stack}: value of {} put (from {})",
            seed.secret.path,
            seed.secret.wanted.describe()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn full() -> Json {
        json!({
            "Parameters": {"P": {"Type": "String"}},
            "Resources": {
                "Key": {"Type": "AWS::KMS::Key"},
                "Secret": {"Type": "AWS::SecretsManager::Secret", "Properties": {"KmsKeyId": {"Fn::GetAtt": ["Key", "Arn"]}, "Description": {"Fn::Sub": "for ${P}"}}},
                "Plain": {"Type": "AWS::SecretsManager::Secret", "DependsOn": "Log"},
                "Log": {"Type": "AWS::Logs::LogGroup"},
                "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"X": {"Ref": "Secret"}}}
            },
            "Outputs": {"O": {"Value": {"Ref": "Task"}}}
        })
    }

    #[test]
    fn a_new_stack_gets_the_secrets_and_what_they_reference_only() {
        let t = seed_template(&full(), None, &["Secret".into(), "Plain".into()]);
        let ids: Vec<&String> = t["Resources"].as_object().unwrap().keys().collect();
        assert_eq!(ids, ["Secret", "Plain", "Key", "Log"]);
        assert!(t.get("Outputs").is_none());
        assert_eq!(t["Parameters"], full()["Parameters"]);
    }

    #[test]
    fn a_deployed_stack_keeps_what_it_has_and_gains_the_secret() {
        let deployed = json!({"Resources": {"Log": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 7}}}, "Outputs": {"X": {"Value": "1"}}});
        let t = seed_template(&full(), Some(&deployed), &["Plain".into()]);
        assert_eq!(t["Resources"]["Log"], deployed["Resources"]["Log"]);
        assert!(t["Resources"].get("Plain").is_some());
        assert!(t["Resources"].get("Task").is_none());
        assert_eq!(t["Outputs"], deployed["Outputs"]);
    }
}
