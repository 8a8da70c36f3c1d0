//! One stack deployed through a change set: create it, wait for it, execute
//! it, follow the stack events until the stack settles, and clean up what a
//! failure leaves (an empty change set, a stack that was never created).

use std::collections::HashSet;
use std::time::Duration;

use serde_json::Value as Json;

use crate::aws::{Aws, AwsError, words};
use crate::deployed;

/// What to deploy.
#[derive(Clone, Debug)]
pub struct StackDeploy {
    /// The stack name.
    pub stack: String,
    /// Its region, when it names one.
    pub region: Option<String>,
    /// The template file.
    pub template_file: String,
    /// A bucket to upload the template to first (templates over 51,200 bytes).
    pub s3_bucket: Option<String>,
    /// Parameter values.
    pub parameters: Vec<(String, String)>,
    /// Stack tags.
    pub tags: Vec<(String, String)>,
    /// Capabilities to acknowledge.
    pub capabilities: Vec<String>,
}

/// One stack event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The logical id.
    pub resource: String,
    /// The resource type.
    pub type_name: String,
    /// The status (`CREATE_IN_PROGRESS`...).
    pub status: String,
    /// Why, when CloudFormation says.
    pub reason: String,
}

impl Event {
    /// True for a `*_FAILED` status.
    pub fn failed(&self) -> bool {
        self.status.ends_with("_FAILED")
    }
}

/// How a stack deploy ended.
#[derive(Clone, Debug)]
pub enum Ended {
    /// Deployed: the final status and the outputs.
    Deployed {
        /// The final status.
        status: String,
        /// Outputs: key, value.
        outputs: Vec<(String, String)>,
    },
    /// Nothing to change.
    Unchanged,
    /// Failed: why, the failed events, the final status.
    Failed {
        /// What went wrong.
        reason: String,
        /// The events with a `*_FAILED` status.
        failed_events: Vec<Event>,
        /// The stack's status at the end (`none` when it was removed).
        final_status: String,
    },
}

fn terminal(status: &str) -> bool {
    status.ends_with("_COMPLETE") || status.ends_with("_FAILED")
}

/// Reports progress: one call per new event.
pub type OnEvent<'a> = &'a (dyn Fn(&Event) + Sync);

fn events(aws: &Aws, stack: &str, region: Option<&str>) -> Result<Vec<(String, Event)>, AwsError> {
    let j = aws.json(
        &words(&[
            "cloudformation",
            "describe-stack-events",
            "--stack-name",
            stack,
        ]),
        region,
    )?;
    let s = |e: &Json, k: &str| {
        e.get(k)
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut v: Vec<(String, Event)> = j
        .get("StackEvents")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        s(e, "EventId"),
                        Event {
                            resource: s(e, "LogicalResourceId"),
                            type_name: s(e, "ResourceType"),
                            status: s(e, "ResourceStatus"),
                            reason: s(e, "ResourceStatusReason"),
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    v.reverse(); // oldest first
    Ok(v)
}

/// Deploys one stack; never returns with the stack in `REVIEW_IN_PROGRESS`
/// by its doing.
pub fn deploy(aws: &Aws, d: &StackDeploy, poll: Duration, on_event: OnEvent<'_>) -> Ended {
    match run(aws, d, poll, on_event) {
        Ok(e) => e,
        Err(e) => Ended::Failed {
            reason: e.to_string(),
            failed_events: Vec::new(),
            final_status: "unknown".into(),
        },
    }
}

fn run(
    aws: &Aws,
    d: &StackDeploy,
    poll: Duration,
    on_event: OnEvent<'_>,
) -> Result<Ended, AwsError> {
    let region = d.region.as_deref();
    let before = deployed::describe(aws, &d.stack, region)?;
    let creating = before.as_ref().is_none_or(|i| i.never_created());
    if let Some(i) = &before
        && i.status == "ROLLBACK_COMPLETE"
    {
        return Ok(Ended::Failed {
            reason: format!(
                "{} is in ROLLBACK_COMPLETE (its first deploy failed) and can only be deleted: \
                 aws cloudformation delete-stack --stack-name {}",
                d.stack, d.stack
            ),
            failed_events: Vec::new(),
            final_status: i.status.clone(),
        });
    }
    // Events from before this deploy are not printed again.
    let mut seen: HashSet<String> = if before.is_some() {
        events(aws, &d.stack, region)?
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    } else {
        HashSet::new()
    };
    let name = format!(
        "formwork-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|t| t.as_millis())
            .unwrap_or_default()
    );
    let mut args = words(&[
        "cloudformation",
        "create-change-set",
        "--stack-name",
        &d.stack,
        "--change-set-name",
        &name,
        "--change-set-type",
        if creating { "CREATE" } else { "UPDATE" },
    ]);
    match &d.s3_bucket {
        None => args.extend([
            "--template-body".into(),
            format!("file://{}", d.template_file),
        ]),
        Some(bucket) => {
            let key = format!("formwork/{}/{name}.template.json", d.stack);
            aws.run(
                &words(&[
                    "s3",
                    "cp",
                    &d.template_file,
                    &format!("s3://{bucket}/{key}"),
                ]),
                region,
            )?;
            let host = match region {
                Some(r) => format!("{bucket}.s3.{r}.amazonaws.com"),
                None => format!("{bucket}.s3.amazonaws.com"),
            };
            args.extend(["--template-url".into(), format!("https://{host}/{key}")]);
        }
    }
    if !d.parameters.is_empty() {
        args.push("--parameters".into());
        args.extend(
            d.parameters
                .iter()
                .map(|(k, v)| format!("ParameterKey={k},ParameterValue={v}")),
        );
    }
    if !d.capabilities.is_empty() {
        args.push("--capabilities".into());
        args.extend(d.capabilities.iter().cloned());
    }
    if !d.tags.is_empty() {
        args.push("--tags".into());
        args.extend(d.tags.iter().map(|(k, v)| format!("Key={k},Value={v}")));
    }
    let cleanup = |why: String, failed_events: Vec<Event>| -> Ended {
        // A stack that a failed change set leaves in REVIEW_IN_PROGRESS (or
        // a first create rolled back) was never created: remove it.
        let status = deployed::describe(aws, &d.stack, region).ok().flatten();
        let mut final_status = status
            .as_ref()
            .map(|s| s.status.clone())
            .unwrap_or_else(|| "none".into());
        if creating
            && status
                .as_ref()
                .is_some_and(|s| s.never_created() || s.status == "ROLLBACK_COMPLETE")
        {
            let del = aws.run(
                &words(&["cloudformation", "delete-stack", "--stack-name", &d.stack]),
                region,
            );
            final_status = match del {
                Ok(_) => format!("{final_status}, then deleted (it was never created)"),
                Err(e) => format!("{final_status}; deleting it failed: {e}"),
            };
        }
        Ended::Failed {
            reason: why,
            failed_events,
            final_status,
        }
    };
    if let Err(e) = aws.run(&args, region) {
        return Ok(cleanup(e.to_string(), Vec::new()));
    }
    let cs = words(&["--stack-name", &d.stack, "--change-set-name", &name]);
    // Wait for the change set.
    loop {
        let mut a = words(&["cloudformation", "describe-change-set"]);
        a.extend(cs.iter().cloned());
        let j = aws.json(&a, region)?;
        let status = j.get("Status").and_then(Json::as_str).unwrap_or_default();
        if status == "FAILED" {
            let reason = j
                .get("StatusReason")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned();
            let mut del = words(&["cloudformation", "delete-change-set"]);
            del.extend(cs.iter().cloned());
            let _ = aws.run(&del, region);
            if reason.contains("didn't contain changes") || reason.contains("No updates") {
                if creating {
                    let _ = cleanup(String::new(), Vec::new());
                }
                return Ok(Ended::Unchanged);
            }
            return Ok(cleanup(
                format!("the change set failed: {reason}"),
                Vec::new(),
            ));
        }
        if status == "CREATE_COMPLETE" {
            break;
        }
        std::thread::sleep(poll);
    }
    let mut exec = words(&["cloudformation", "execute-change-set"]);
    exec.extend(cs.iter().cloned());
    let executed = aws.run(&exec, region);
    let mut failed_events = Vec::new();
    let mut follow = |seen: &mut HashSet<String>| -> Result<(), AwsError> {
        for (id, e) in events(aws, &d.stack, region)? {
            if seen.insert(id) {
                on_event(&e);
                if e.failed() {
                    failed_events.push(e);
                }
            }
        }
        Ok(())
    };
    if let Err(e) = executed {
        let _ = follow(&mut seen);
        return Ok(cleanup(e.to_string(), failed_events));
    }
    loop {
        follow(&mut seen)?;
        let info = deployed::describe(aws, &d.stack, region)?;
        let status = info.as_ref().map(|i| i.status.clone()).unwrap_or_default();
        if terminal(&status) {
            follow(&mut seen)?;
            let ok = !status.contains("ROLLBACK") && !status.ends_with("_FAILED");
            if ok {
                return Ok(Ended::Deployed {
                    status,
                    outputs: info.map(|i| i.outputs).unwrap_or_default(),
                });
            }
            return Ok(cleanup(
                format!("the stack ended in {status}"),
                failed_events,
            ));
        }
        std::thread::sleep(poll);
    }
}

/// The equivalent one-line command, for `--dry-run`.
pub fn dry_run_args(d: &StackDeploy) -> Vec<String> {
    let mut a = words(&[
        "cloudformation",
        "deploy",
        "--template-file",
        &d.template_file,
        "--stack-name",
        &d.stack,
    ]);
    if let Some(b) = &d.s3_bucket {
        a.extend(["--s3-bucket".into(), b.clone()]);
    }
    if !d.capabilities.is_empty() {
        a.push("--capabilities".into());
        a.extend(d.capabilities.iter().cloned());
    }
    a.push("--no-fail-on-empty-changeset".into());
    if !d.parameters.is_empty() {
        a.push("--parameter-overrides".into());
        a.extend(d.parameters.iter().map(|(k, v)| format!("{k}={v}")));
    }
    if !d.tags.is_empty() {
        a.push("--tags".into());
        a.extend(d.tags.iter().map(|(k, v)| format!("{k}={v}")));
    }
    a
}
