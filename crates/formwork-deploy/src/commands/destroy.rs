//! `destroy`: delete the app's stacks, last deployed first, after a
//! confirmation; say what is kept; empty the buckets the app deployed
//! folders into when they are to be deleted.

use std::time::Duration;

use formwork_core::asset::Destination;
use serde_json::Value as Json;

use crate::Session;
use crate::aws::words;
use crate::deployed;
use crate::diff::show;
use crate::error::{Error, Result};
use crate::output::Color;
use crate::plan::select_dependents;

const POLL: Duration = Duration::from_secs(2);

/// A bucket that the app deploys files into (a folder asset with a
/// bucket destination): `destroy` empties it before deleting its stack when
/// the bucket itself is to be deleted (a bucket that holds objects cannot be).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FilledBucket {
    /// The stack that owns the bucket.
    pub stack: String,
    /// The bucket's logical id.
    pub logical_id: String,
}

pub(crate) fn filled_buckets(asm: &formwork_core::Assembly) -> Vec<FilledBucket> {
    let mut v: Vec<FilledBucket> = asm
        .assets
        .iter()
        .filter_map(|a| match &a.asset.destination {
            Destination::Bucket {
                stack, logical_id, ..
            } => Some(FilledBucket {
                stack: stack.clone(),
                logical_id: logical_id.clone(),
            }),
            _ => None,
        })
        .collect();
    v.sort_by(|a, b| (&a.stack, &a.logical_id).cmp(&(&b.stack, &b.logical_id)));
    v.dedup();
    v
}

/// The resources of a template that a stack deletion keeps.
pub(crate) fn retained(template: &Json) -> Vec<(String, String, Option<String>)> {
    template
        .get("Resources")
        .and_then(Json::as_object)
        .map(|m| {
            m.iter()
                .filter(|(_, r)| {
                    matches!(
                        r.get("DeletionPolicy").and_then(Json::as_str),
                        Some("Retain" | "RetainExceptOnCreate")
                    )
                })
                .map(|(id, r)| {
                    (
                        id.clone(),
                        r.get("Type").map(show).unwrap_or_default(),
                        r.pointer(&format!(
                            "/Metadata/{}",
                            formwork_core::synth::PATH_METADATA
                        ))
                        .and_then(Json::as_str)
                        .map(str::to_owned),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn physical_id(
    s: &Session<'_>,
    stack: &str,
    region: Option<&str>,
    logical: &str,
) -> Option<String> {
    s.aws
        .json(
            &words(&[
                "cloudformation",
                "describe-stack-resource",
                "--stack-name",
                stack,
                "--logical-resource-id",
                logical,
            ]),
            region,
        )
        .ok()?
        .pointer("/StackResourceDetail/PhysicalResourceId")
        .and_then(Json::as_str)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
}

pub(crate) fn run(s: &mut Session<'_>) -> Result<u8> {
    let selected = select_dependents(&s.asm, &s.args.stacks, s.args.exclusively)?;
    let mut stacks: Vec<(String, Option<String>, Json)> = Vec::new();
    for st in s
        .asm
        .stacks
        .iter()
        .rev()
        .filter(|st| selected.contains(&st.name))
    {
        let region = st.env.region.clone();
        match deployed::template(&s.aws, &st.name, region.as_deref())? {
            Some(t) => stacks.push((st.name.clone(), region, t)),
            None => {
                // Never created: remove a leftover REVIEW_IN_PROGRESS record.
                if deployed::describe(&s.aws, &st.name, region.as_deref())?.is_some() {
                    s.aws.run(
                        &words(&["cloudformation", "delete-stack", "--stack-name", &st.name]),
                        region.as_deref(),
                    )?;
                }
                let _ = writeln!(s.out, "{}: not deployed", st.name);
            }
        }
    }
    if stacks.is_empty() {
        return Ok(0);
    }
    let _ = writeln!(
        s.out,
        "{}",
        s.style.paint(Color::Bold, "To delete, in this order:")
    );
    for (name, _, t) in &stacks {
        let n = t
            .get("Resources")
            .and_then(Json::as_object)
            .map_or(0, |m| m.len());
        let _ = writeln!(s.out, "  {name} ({n} resources)");
        for (id, ty, path) in retained(t) {
            let _ = writeln!(
                s.out,
                "    kept: {id} [{ty}]{} (DeletionPolicy Retain: it stays, and is billed, until you delete it)",
                path.map(|p| format!(" {p}")).unwrap_or_default()
            );
        }
    }
    if !s.args.yes {
        if !s.style.terminal {
            return Err(Error::failed(
                "destroy deletes stacks and there is no terminal to ask: pass --yes to confirm",
            ));
        }
        let _ = write!(s.out, "Delete these stacks? [y/N] ");
        let _ = s.out.flush();
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            return Err(Error::failed("nothing deleted"));
        }
    }
    let filled = filled_buckets(&s.asm);
    for (name, region, t) in &stacks {
        let region = region.as_deref();
        for b in filled.iter().filter(|b| &b.stack == name) {
            let r = t.pointer(&format!("/Resources/{}", b.logical_id));
            let deleted = r.is_some_and(|r| {
                !matches!(
                    r.get("DeletionPolicy").and_then(Json::as_str),
                    Some("Retain" | "RetainExceptOnCreate")
                )
            });
            if !deleted {
                continue;
            }
            if let Some(bucket) = physical_id(s, name, region, &b.logical_id) {
                let _ = writeln!(s.out, "{name}: emptying bucket {bucket} (deployed files)");
                s.aws.run(
                    &words(&["s3", "rm", &format!("s3://{bucket}"), "--recursive"]),
                    region,
                )?;
            }
        }
        let _ = writeln!(s.out, "{name}: deleting");
        s.aws.run(
            &words(&["cloudformation", "delete-stack", "--stack-name", name]),
            region,
        )?;
        loop {
            match deployed::describe(&s.aws, name, region)? {
                None => break,
                Some(i) if i.status == "DELETE_COMPLETE" => break,
                Some(i) if i.status == "DELETE_FAILED" => {
                    return Err(Error::failed(format!(
                        "{name}: DELETE_FAILED; see `aws cloudformation describe-stack-events --stack-name {name}`"
                    )));
                }
                Some(_) => std::thread::sleep(POLL),
            }
        }
        let _ = writeln!(
            s.out,
            "{}",
            s.style.paint(Color::Green, &format!("{name}: deleted"))
        );
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_retained_resources() {
        let t = json!({"Resources": {
            "Fs": {"Type": "AWS::EFS::FileSystem", "DeletionPolicy": "Retain", "Metadata": {"formwork:path": "S/Fs"}},
            "Tmp": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Delete"}
        }});
        assert_eq!(
            retained(&t),
            [(
                "Fs".to_owned(),
                "AWS::EFS::FileSystem".to_owned(),
                Some("S/Fs".to_owned())
            )]
        );
    }
}
