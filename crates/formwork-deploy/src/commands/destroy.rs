//! `destroy`: delete the app's stacks, last deployed first, after a
//! confirmation; say what is kept; empty the buckets the app deployed
//! folders into when they are to be deleted (every object version and
//! delete marker: see [`crate::s3objects`]).

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
use crate::s3objects;

const POLL: Duration = Duration::from_secs(2);

/// A bucket that the app deploys files into (a folder asset with a
/// bucket destination): `destroy` empties it before deleting its stack when
/// the bucket itself is to be deleted (a bucket that holds objects, object
/// versions or delete markers cannot be).
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

/// True when a stack deletion keeps this resource.
fn is_retained(resource: &Json) -> bool {
    matches!(
        resource.get("DeletionPolicy").and_then(Json::as_str),
        Some("Retain" | "RetainExceptOnCreate")
    )
}

/// A resource's construct path, from its metadata.
fn construct_path(resource: &Json) -> Option<String> {
    resource
        .pointer(&format!(
            "/Metadata/{}",
            formwork_core::synth::PATH_METADATA
        ))
        .and_then(Json::as_str)
        .map(str::to_owned)
}

/// The resources of a template that a stack deletion keeps.
pub(crate) fn retained(template: &Json) -> Vec<(String, String, Option<String>)> {
    template
        .get("Resources")
        .and_then(Json::as_object)
        .map(|m| {
            m.iter()
                .filter(|(_, r)| is_retained(r))
                .map(|(id, r)| {
                    (
                        id.clone(),
                        r.get("Type").map(show).unwrap_or_default(),
                        construct_path(r),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The buckets of one deployed stack that `destroy` empties before deleting
/// it: those the app deploys files into that are in its deployed template
/// and go with it. A retained bucket, and any bucket the app does not
/// deploy into, is never touched.
pub(crate) fn to_empty<'a>(
    filled: &'a [FilledBucket],
    stack: &str,
    template: &Json,
) -> Vec<&'a FilledBucket> {
    filled
        .iter()
        .filter(|b| b.stack == stack)
        .filter(|b| {
            template
                .get("Resources")
                .and_then(|r| r.get(&b.logical_id))
                .is_some_and(|r| !is_retained(r))
        })
        .collect()
}

/// What keeping one resource costs a month, from the cost engine's lines
/// (same prices and usage assumptions as `cost`): storage and monthly
/// fees, not the requests or ingestion of an app that no longer runs.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum KeepCost {
    /// USD a month, and the lines it is made of (`EFS Standard storage: 10 GB-month × $0.36/GB-month`).
    Monthly(f64, Vec<String>),
    /// The engine does not price this type (why).
    NotPriced(String),
}

/// True for a line that is billed while nothing uses the resource.
fn billed_when_idle(item: &str) -> bool {
    let i = item.to_ascii_lowercase();
    !(i.contains("request") || i.contains("ingestion") || i.contains("transfer"))
}

/// The keep cost of every retained resource of one deployed stack.
pub(crate) fn keep_costs(
    stack: &str,
    region: Option<&str>,
    template: &Json,
    table: &formwork_cost::PriceTable,
) -> Vec<(String, KeepCost)> {
    let estimate = formwork_cost::estimate_stack(
        &formwork_cost::StackInput {
            name: stack,
            region,
            template,
        },
        table,
    );
    retained(template)
        .into_iter()
        .map(|(id, _, _)| {
            if let Some(n) = estimate.not_priced.iter().find(|n| n.resource == id) {
                return (id, KeepCost::NotPriced(n.reason.clone()));
            }
            let lines: Vec<&formwork_cost::Line> = estimate
                .lines
                .iter()
                .filter(|l| l.resource == id && billed_when_idle(&l.item))
                .collect();
            let total = lines.iter().map(|l| l.monthly).sum();
            let what = lines
                .iter()
                .map(|l| format!("{}: {}", l.item, l.assumption))
                .collect();
            (id, KeepCost::Monthly(total, what))
        })
        .collect()
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
    let table = formwork_cost::PriceTable::builtin().map_err(Error::Failed)?;
    let mut keep_total = 0.0;
    let mut kept_any = false;
    let mut unpriced = 0usize;
    let filled = filled_buckets(&s.asm);
    for (name, region, t) in &stacks {
        let n = t
            .get("Resources")
            .and_then(Json::as_object)
            .map_or(0, |m| m.len());
        let _ = writeln!(s.out, "  {name} ({n} resources)");
        for b in to_empty(&filled, name, t) {
            let path = t
                .pointer(&format!("/Resources/{}", b.logical_id))
                .and_then(construct_path);
            let _ = writeln!(
                s.out,
                "    emptied first: {}{} (the app deploys files into it: every object, old version and delete marker in it is deleted)",
                b.logical_id,
                path.map(|p| format!(" {p}")).unwrap_or_default()
            );
        }
        let region = region.as_deref().or(s.args.aws.region.as_deref());
        let costs = keep_costs(name, region, t, &table);
        for (id, ty, path) in retained(t) {
            kept_any = true;
            let _ = writeln!(
                s.out,
                "    kept: {id} [{ty}]{} (DeletionPolicy Retain: it stays, and is billed, until you delete it)",
                path.map(|p| format!(" {p}")).unwrap_or_default()
            );
            let cost = match costs.iter().find(|(c, _)| c == &id).map(|(_, c)| c) {
                Some(KeepCost::Monthly(usd, what)) => {
                    keep_total += usd;
                    if what.is_empty() {
                        "      to keep: $0.00 a month (no charge of its own while unused)"
                            .to_owned()
                    } else {
                        format!(
                            "      to keep: about ${usd:.2} a month ({})",
                            what.join("; ")
                        )
                    }
                }
                Some(KeepCost::NotPriced(why)) => {
                    unpriced += 1;
                    format!("      to keep: not priced ({why})")
                }
                None => {
                    unpriced += 1;
                    "      to keep: not priced".to_owned()
                }
            };
            let _ = writeln!(s.out, "{cost}");
        }
    }
    if kept_any {
        let _ = writeln!(
            s.out,
            "What is kept costs about ${keep_total:.2} a month{} until you delete it \
             (prices of {}, usage as assumed by `cost`)",
            if unpriced > 0 {
                format!(" plus {unpriced} resource(s) not priced")
            } else {
                String::new()
            },
            table.date()
        );
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
    for (name, region, t) in &stacks {
        let region = region.as_deref();
        for b in to_empty(&filled, name, t) {
            if let Some(bucket) = deployed::physical_id(&s.aws, name, &b.logical_id, region)? {
                empty_bucket(s, name, &bucket, region)?;
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

/// Empties one bucket of `stack` before the stack is deleted; fails (and
/// the stack is not deleted) when anything in it could not be deleted.
fn empty_bucket(
    s: &mut Session<'_>,
    stack: &str,
    bucket: &str,
    region: Option<&str>,
) -> Result<()> {
    let refused = |e: Error| {
        Error::failed(format!(
            "{stack}: cannot empty bucket {bucket}, so the stack is not deleted: {e}"
        ))
    };
    let Some(contents) = s3objects::list(&s.aws, bucket, region).map_err(refused)? else {
        let _ = writeln!(
            s.out,
            "{stack}: bucket {bucket} (deployed files) no longer exists"
        );
        return Ok(());
    };
    if contents.is_empty() {
        let _ = writeln!(s.out, "{stack}: bucket {bucket} (deployed files) is empty");
        return Ok(());
    }
    let _ = writeln!(
        s.out,
        "{stack}: emptying bucket {bucket} (deployed files, {})",
        contents.describe()
    );
    s3objects::delete(&s.aws, bucket, region, &contents.all()).map_err(refused)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prices_what_is_kept_with_the_cost_assumptions() {
        let table = formwork_cost::PriceTable::builtin().unwrap();
        let t = json!({
            "Metadata": {formwork_cost::METADATA_KEY: {"Usage": {"Data": {"gb": 100.0, "put_requests": 1000000.0}}}},
            "Resources": {
                "Data": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"},
                "Key": {"Type": "AWS::SecretsManager::Secret", "DeletionPolicy": "Retain"},
                "Odd": {"Type": "AWS::Example::Thing", "DeletionPolicy": "Retain"},
                "Gone": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Delete"}
            }
        });
        let costs = keep_costs("S", Some("ap-northeast-1"), &t, &table);
        let ids: Vec<&str> = costs.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["Data", "Key", "Odd"]);
        let KeepCost::Monthly(usd, what) = &costs[0].1 else {
            panic!("{:?}", costs[0])
        };
        assert!(
            *usd > 0.0 && what.iter().all(|w| w.contains("storage")),
            "{what:?}"
        );
        assert!(
            !what.iter().any(|w| w.contains("request")),
            "no requests once kept: {what:?}"
        );
        assert!(
            matches!(&costs[1].1, KeepCost::Monthly(usd, _) if *usd > 0.0),
            "{:?}",
            costs[1]
        );
        assert!(
            matches!(&costs[2].1, KeepCost::NotPriced(_)),
            "{:?}",
            costs[2]
        );
    }

    #[test]
    fn empties_only_deployed_into_buckets_that_go_with_their_stack() {
        let filled = |stack: &str, id: &str| FilledBucket {
            stack: stack.into(),
            logical_id: id.into(),
        };
        let filled = [
            filled("S", "Site"),
            filled("S", "Kept"),
            filled("S", "Keep2"),
            filled("S", "NotDeployed"),
            filled("Other", "Logs"),
        ];
        let t = json!({"Resources": {
            "Site": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Delete"},
            "Kept": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"},
            "Keep2": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "RetainExceptOnCreate"},
            "Logs": {"Type": "AWS::S3::Bucket"},
            "Other": {"Type": "AWS::S3::Bucket"}
        }});
        let ids: Vec<&str> = to_empty(&filled, "S", &t)
            .iter()
            .map(|b| b.logical_id.as_str())
            .collect();
        assert_eq!(ids, ["Site"]);
        // No DeletionPolicy: CloudFormation deletes it.
        let ids: Vec<&str> = to_empty(&filled, "Other", &t)
            .iter()
            .map(|b| b.logical_id.as_str())
            .collect();
        assert_eq!(ids, ["Logs"]);
    }

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
