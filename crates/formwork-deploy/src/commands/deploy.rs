//! `deploy`: the selected stacks and their dependencies, in dependency
//! order, independent stacks in parallel; after checking prerequisites,
//! showing the diff, guarding data and asking for consent.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use formwork_core::{Assembly, StackArtifact};
use serde_json::Value as Json;

use crate::Session;
use crate::args::Approval;
use crate::assets;
use crate::aws::words;
use crate::changeset::{self, Ended, Event, StackDeploy};
use crate::deployed;
use crate::diff::StackDiff;
use crate::error::{Error, Result};
use crate::output::Color;
use crate::plan::{Outcome, Plan, StepKind, select_stacks};

use super::diff as diff_cmd;
use super::prereq;

/// At most this many steps at once.
const PARALLEL: usize = 4;

/// How often stack events are polled.
const POLL: Duration = Duration::from_secs(2);

const CAPABILITIES: &[&str] = &["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"];

/// `--parameters-file` then `-p` (which wins).
fn parameters(s: &Session<'_>) -> Result<Vec<(String, String)>> {
    let mut all: Vec<(String, String)> = Vec::new();
    if let Some(f) = &s.args.parameters_file {
        let text = std::fs::read_to_string(f)
            .map_err(|e| Error::usage(format!("--parameters-file {}: {e}", f.display())))?;
        let j: Json = serde_json::from_str(&text).map_err(|e| {
            Error::usage(format!("--parameters-file {}: not JSON: {e}", f.display()))
        })?;
        let bad = || {
            Error::usage(format!(
                "--parameters-file {}: expected {{\"Key\": \"value\"}} or [{{\"ParameterKey\": .., \"ParameterValue\": ..}}]",
                f.display()
            ))
        };
        match j {
            Json::Object(m) => {
                for (k, v) in m {
                    let v = match v {
                        Json::String(s) => s,
                        Json::Number(n) => n.to_string(),
                        Json::Bool(b) => b.to_string(),
                        _ => return Err(bad()),
                    };
                    all.push((k, v));
                }
            }
            Json::Array(a) => {
                for p in a {
                    let k = p
                        .get("ParameterKey")
                        .and_then(Json::as_str)
                        .ok_or_else(bad)?;
                    let v = p
                        .get("ParameterValue")
                        .and_then(Json::as_str)
                        .ok_or_else(bad)?;
                    all.push((k.to_owned(), v.to_owned()));
                }
            }
            _ => return Err(bad()),
        }
    }
    for (k, v) in &s.args.parameters {
        all.retain(|(x, _)| x != k);
        all.push((k.clone(), v.clone()));
    }
    Ok(all)
}

/// A parameter that no selected stack declares is an error.
fn check_parameters(
    asm: &Assembly,
    selected: &[String],
    parameters: &[(String, String)],
) -> Result<()> {
    for (k, _) in parameters {
        let declared = asm
            .stacks
            .iter()
            .filter(|s| selected.contains(&s.name))
            .any(|s| s.parameters.iter().any(|(n, _, _)| n == k));
        if !declared {
            return Err(Error::usage(format!(
                "-p {k}: no stack being deployed declares a parameter `{k}`"
            )));
        }
    }
    Ok(())
}

fn stack_deploy(
    s: &Session<'_>,
    st: &StackArtifact,
    parameters: &[(String, String)],
) -> Result<StackDeploy> {
    let missing: Vec<&str> = st
        .parameters
        .iter()
        .filter(|(n, _, has_default)| !has_default && !parameters.iter().any(|(k, _)| k == n))
        .map(|(n, _, _)| n.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(Error::usage(format!(
            "{} needs a value for parameter(s) {}: pass -p NAME=VALUE",
            st.name,
            missing.join(", ")
        )));
    }
    if st.needs_s3_upload() && s.args.s3_bucket.is_none() {
        return Err(Error::usage(format!(
            "{} is {} bytes, over the 51,200 bytes of an inline template: pass --s3-bucket",
            st.name,
            st.template.len()
        )));
    }
    Ok(StackDeploy {
        stack: st.name.clone(),
        region: st.env.region.clone(),
        template_file: s.out_dir.join(&st.file_name).to_string_lossy().into_owned(),
        s3_bucket: st
            .needs_s3_upload()
            .then(|| s.args.s3_bucket.clone())
            .flatten(),
        parameters: parameters
            .iter()
            .filter(|(k, _)| st.parameters.iter().any(|(n, _, _)| n == k))
            .cloned()
            .collect(),
        tags: s.args.tags.clone(),
        capabilities: CAPABILITIES.iter().map(|c| (*c).to_owned()).collect(),
    })
}

/// Refuses a change that destroys data or removes an export in use.
fn guard(s: &mut Session<'_>, diffs: &[StackDiff]) -> Result<()> {
    let blocked: Vec<String> = diffs
        .iter()
        .flat_map(|d| {
            d.blocked_exports().into_iter().map(move |e| {
                format!(
                    "{}: export {} is imported by {}",
                    d.stack,
                    e.name,
                    e.importers.as_deref().unwrap_or_default().join(", ")
                )
            })
        })
        .collect();
    if !blocked.is_empty() {
        return Err(Error::failed(format!(
            "CloudFormation would refuse to remove an export another stack imports:\n  {}\n\
             deploy the importing stacks first so that they stop importing it",
            blocked.join("\n  ")
        )));
    }
    let lost: Vec<String> = diffs
        .iter()
        .flat_map(|d| {
            d.destroyed_data().into_iter().map(move |r| {
                format!(
                    "{}: {} [{}]{} is {}",
                    d.stack,
                    r.logical_id,
                    r.type_name,
                    r.path
                        .as_deref()
                        .map(|p| format!(" ({p})"))
                        .unwrap_or_default(),
                    if r.impact == crate::diff::Impact::Delete {
                        "deleted"
                    } else {
                        "replaced"
                    }
                )
            })
        })
        .collect();
    if lost.is_empty() {
        return Ok(());
    }
    if s.args.allow_data_loss {
        let _ = writeln!(
            s.err,
            "{}",
            s.style.paint(
                Color::Red,
                &format!(
                    "--allow-data-loss: destroying the data of\n  {}",
                    lost.join("\n  ")
                )
            )
        );
        return Ok(());
    }
    Err(Error::failed(format!(
        "this deploy would destroy data:\n  {}\n\
         nothing was changed. Instead:\n  \
         - if the resource was renamed, pin its old logical id (.override_logical_id(\"OLD_ID\")) \
         or move it with the stack refactor shown above;\n  \
         - keep it when it leaves the stack: set its removal policy to Retain;\n  \
         - or take a backup first, then deploy again with --allow-data-loss",
        lost.join("\n  ")
    )))
}

/// Asks for consent when the approval level wants it.
fn approve(s: &mut Session<'_>, diffs: &[StackDiff]) -> Result<()> {
    let changing: Vec<&StackDiff> = diffs.iter().filter(|d| d.has_changes()).collect();
    let why: Option<&str> = match s.args.approval {
        Approval::Never => None,
        Approval::Any => (!changing.is_empty()).then_some("the stacks change"),
        Approval::Broadening => {
            if changing.iter().any(|d| d.broadens()) {
                Some("the change broadens IAM or network access")
            } else if changing.iter().any(|d| d.replaces_or_deletes()) {
                Some("the change replaces or deletes resources")
            } else {
                None
            }
        }
    };
    let Some(why) = why else { return Ok(()) };
    if !s.style.terminal {
        return Err(Error::failed(format!(
            "{why} and there is no terminal to ask: review the diff above and pass \
             --require-approval never to deploy it"
        )));
    }
    let _ = write!(s.out, "{why}. Deploy? [y/N] ");
    let _ = s.out.flush();
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        Err(Error::failed("not deployed: the change was not approved"))
    }
}

/// True when a stack's parameter values differ from the deployed ones.
fn parameters_changed(s: &Session<'_>, d: &StackDeploy) -> Result<bool> {
    if d.parameters.is_empty() {
        return Ok(false);
    }
    let info = deployed::describe(&s.aws, &d.stack, d.region.as_deref())?;
    Ok(info.is_none_or(|i| {
        d.parameters
            .iter()
            .any(|(k, v)| !i.parameters.iter().any(|(dk, dv)| dk == k && dv == v))
    }))
}

/// Merges outputs into the outputs file: `{"Stack": {"Key": "value"}}`.
pub(crate) fn write_outputs(
    path: &PathBuf,
    outputs: &[(String, Vec<(String, String)>)],
) -> Result<()> {
    let mut all: serde_json::Map<String, Json> = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<Json>(&t).ok())
        .and_then(|j| j.as_object().cloned())
        .unwrap_or_default();
    for (stack, kv) in outputs {
        let m: serde_json::Map<String, Json> = kv
            .iter()
            .map(|(k, v)| (k.clone(), Json::from(v.as_str())))
            .collect();
        all.insert(stack.clone(), Json::Object(m));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::failed(format!("{}: {e}", dir.display())))?;
    }
    let text = serde_json::to_string_pretty(&Json::Object(all)).unwrap_or_default() + "\n";
    std::fs::write(path, text)
        .map_err(|e| Error::failed(format!("cannot write {}: {e}", path.display())))
}

fn event_line(stack: &str, e: &Event) -> String {
    let reason = if e.reason.is_empty() {
        String::new()
    } else {
        format!("  {}", e.reason)
    };
    format!(
        "{stack}  {}  {}  {}{reason}",
        e.resource, e.type_name, e.status
    )
}

pub(crate) fn run(s: &mut Session<'_>) -> Result<u8> {
    let selected = select_stacks(&s.asm, &s.args.stacks, s.args.exclusively)?;
    let params = parameters(s)?;
    check_parameters(&s.asm, &selected, &params)?;
    let mut plan = Plan::for_stacks(&s.asm, &selected);
    assets::add_steps(&mut plan, &s.asm, s.aws.options.region.as_deref());
    let mut specs: Vec<Option<StackDeploy>> = Vec::new();
    for step in plan.steps() {
        specs.push(match &step.kind {
            StepKind::DeployStack { stack, .. } => {
                let st = s
                    .asm
                    .stacks
                    .iter()
                    .find(|x| &x.name == stack)
                    .ok_or_else(|| Error::failed(format!("no stack `{stack}`")))?;
                Some(stack_deploy(s, st, &params)?)
            }
            _ => None,
        });
    }
    s.asm.write_as(&s.out_dir, &s.owner)?;
    if s.args.dry_run {
        // Builds first: deploy runs them before anything changes.
        for step in plan.steps() {
            for line in assets::dry_run_prepare_lines(&s.asm, &s.out_dir, &step.kind) {
                let _ = writeln!(s.out, "{line}");
            }
        }
        for i in plan.order()? {
            if let Some(d) = &specs[i] {
                let line = s
                    .aws
                    .command_line(&changeset::dry_run_args(d), d.region.as_deref());
                let _ = writeln!(s.out, "{line}");
            } else {
                for line in assets::dry_run_lines(&s.asm, &s.aws, &s.out_dir, &plan.steps()[i].kind)
                {
                    let _ = writeln!(s.out, "{line}");
                }
            }
        }
        return Ok(0);
    }

    prereq::check(s, &selected)?;
    let diffs = diff_cmd::stack_diffs(s, &selected)?;
    diff_cmd::print(s, &diffs);
    guard(s, &diffs)?;
    approve(s, &diffs)?;

    let mut unchanged: HashSet<usize> = HashSet::new();
    for step in plan.steps() {
        if let (StepKind::DeployStack { stack, .. }, Some(d)) = (&step.kind, &specs[step.id]) {
            let diff = diffs.iter().find(|x| &x.stack == stack);
            if diff.is_some_and(|x| !x.has_changes()) && !parameters_changed(s, d)? {
                unchanged.insert(step.id);
            }
        }
    }

    let style = s.style;
    let docker = assets::docker::Docker {
        program: s
            .host
            .var("FORMWORK_DOCKER")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| "docker".into()),
    };
    let publisher = assets::Publisher::new(&s.asm, &s.aws, &s.out_dir).with_docker(docker);
    let out = Mutex::new(&mut *s.out);
    let log = |line: &str| {
        if let Ok(mut o) = out.lock() {
            let _ = writeln!(o, "{line}");
        }
    };
    // Everything local (builds, zips, images) before anything changes.
    publisher.prepare(&plan, &log)?;
    let step_errors: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());
    let aws = &s.aws;
    let counts: Vec<usize> = plan
        .steps()
        .iter()
        .map(|step| match &step.kind {
            StepKind::DeployStack { stack, .. } => s
                .asm
                .stacks
                .iter()
                .find(|x| &x.name == stack)
                .map(|x| x.resource_count)
                .unwrap_or(0),
            _ => 0,
        })
        .collect();
    let results: Mutex<Vec<(usize, Ended)>> = Mutex::new(Vec::new());
    let outcomes = plan.run(PARALLEL, |step| {
        let say = |line: String| log(&line);
        let Some(d) = &specs[step.id] else {
            return publisher
                .run_step(&step.kind, &log)
                .map(|_| ())
                .map_err(|e| {
                    if let Ok(mut v) = step_errors.lock() {
                        v.push((step.id, e.to_string()));
                    }
                });
        };
        if unchanged.contains(&step.id) {
            say(format!("{}: no changes, skipped", d.stack));
            if let Ok(mut r) = results.lock() {
                let outputs = deployed::describe(aws, &d.stack, d.region.as_deref())
                    .ok()
                    .flatten()
                    .map(|i| i.outputs)
                    .unwrap_or_default();
                r.push((
                    step.id,
                    Ended::Deployed {
                        status: "unchanged".into(),
                        outputs,
                    },
                ));
            }
            return Ok(());
        }
        say(format!("{}: deploying", d.stack));
        let done = Mutex::new(0usize);
        let total = counts[step.id];
        let on_event = |e: &Event| {
            let line = event_line(&d.stack, e);
            let colored = if e.failed() {
                style.paint(Color::Red, &line)
            } else if e.status.ends_with("_COMPLETE") {
                style.paint(Color::Green, &line)
            } else {
                line
            };
            if style.terminal {
                let mut n = done.lock().map(|g| *g).unwrap_or(0);
                if e.status.ends_with("_COMPLETE") && e.resource != d.stack {
                    n += 1;
                    if let Ok(mut g) = done.lock() {
                        *g = n;
                    }
                }
                say(format!("[{n:>3}/{total}] {colored}"));
            } else {
                say(colored);
            }
        };
        let ended = changeset::deploy(aws, d, POLL, &on_event);
        let ok = !matches!(ended, Ended::Failed { .. });
        if let Ok(mut r) = results.lock() {
            r.push((step.id, ended));
        }
        if ok { Ok(()) } else { Err(()) }
    })?;
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(id, _)| *id);
    let mut failed = false;
    let mut outputs: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for (id, ended) in &results {
        let stack = specs[*id]
            .as_ref()
            .map(|d| d.stack.clone())
            .unwrap_or_default();
        match ended {
            Ended::Deployed { status, outputs: o } => {
                let _ = writeln!(
                    s.out,
                    "{}",
                    style.paint(Color::Green, &format!("{stack}: {status}"))
                );
                outputs.push((stack, o.clone()));
            }
            Ended::Unchanged => {
                let _ = writeln!(s.out, "{stack}: no changes");
                let o = deployed::describe(
                    &s.aws,
                    &stack,
                    specs[*id].as_ref().and_then(|d| d.region.as_deref()),
                )
                .ok()
                .flatten()
                .map(|i| i.outputs)
                .unwrap_or_default();
                outputs.push((stack, o));
            }
            Ended::Failed {
                reason,
                failed_events,
                final_status,
            } => {
                failed = true;
                let _ = writeln!(
                    s.err,
                    "{}",
                    style.paint(Color::Red, &format!("{stack}: failed: {reason}"))
                );
                for e in failed_events {
                    let _ = writeln!(s.err, "  {}", event_line(&stack, e));
                }
                let _ = writeln!(s.err, "  final state: {final_status}");
            }
        }
    }
    for (step, outcome) in plan.steps().iter().zip(&outcomes) {
        if matches!(outcome, Outcome::Skipped) {
            failed = true;
            let _ = writeln!(
                s.err,
                "{}: not deployed (a stack it needs failed)",
                step.kind.label()
            );
        }
    }
    if !outputs.is_empty() {
        let _ = writeln!(s.out, "{}", style.paint(Color::Bold, "Outputs:"));
        for (stack, kv) in &outputs {
            for (k, v) in kv {
                let _ = writeln!(s.out, "  {stack}.{k} = {v}");
            }
        }
        let path = s
            .args
            .outputs_file
            .clone()
            .unwrap_or_else(|| s.out_dir.join("outputs.json"));
        write_outputs(&path, &outputs)?;
        let _ = writeln!(s.out, "outputs written to {}", path.display());
    }
    if !failed && !s.args.no_checks {
        // What the app says must hold once deployed.
        failed = !super::check::run_checks(s, &selected)?;
    }
    Ok(u8::from(failed))
}

/// The caller's account, for the prerequisite check.
pub(crate) fn caller_account(s: &Session<'_>) -> Result<String> {
    let j = s
        .aws
        .json(&words(&["sts", "get-caller-identity"]), None)
        .map_err(|e| {
            Error::failed(format!(
                "the AWS credentials are not valid: {}\n  configure them (`aws configure`, AWS_PROFILE, --profile NAME) and try again",
                e.stderr.trim()
            ))
        })?;
    j.get("Account")
        .and_then(Json::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Error::failed("sts get-caller-identity named no account"))
}
