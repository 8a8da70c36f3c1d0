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
use crate::changeset::{self, Ended, Event, StackDeploy};
use crate::deployed;
use crate::diff::StackDiff;
use crate::error::{Error, Result};
use crate::output::{Color, Style};
use crate::plan::{Outcome, Plan, StepKind, select_stacks};
use crate::progress::Lines;
use crate::secrets;

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
fn parameters_changed(d: &StackDeploy, deployed: &diff_cmd::Deployed) -> bool {
    if d.parameters.is_empty() {
        return false;
    }
    deployed.info.get(&d.stack).is_none_or(|i| {
        d.parameters
            .iter()
            .any(|(k, v)| !i.parameters.iter().any(|(dk, dv)| dk == k && dv == v))
    })
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

/// Shows the events of one stack's deploy: on a terminal a status line
/// with a live count of settled resources (failures stay as lines); when
/// piped, one line per event.
fn show_events<'a>(
    lines: &'a Lines<'_>,
    style: Style,
    stack: &'a str,
    total: usize,
) -> impl Fn(&Event) + Sync + 'a {
    let done = Mutex::new(0usize);
    move |e: &Event| {
        let line = event_line(stack, e);
        let color = if e.failed() {
            Some(Color::Red)
        } else if e.status.ends_with("_COMPLETE") {
            Some(Color::Green)
        } else {
            None
        };
        let paint = |t: &str| match color {
            Some(c) => style.paint(c, t),
            None => t.to_owned(),
        };
        if !style.terminal {
            lines.line(&paint(&line));
            return;
        }
        if e.failed() {
            lines.line(&paint(&line));
            return;
        }
        let mut n = done.lock().map(|g| *g).unwrap_or(0);
        if e.status.ends_with("_COMPLETE") && e.resource != stack {
            n += 1;
            if let Ok(mut g) = done.lock() {
                *g = n;
            }
        }
        lines.status(&format!("[{n:>3}/{total}] {line}"), &paint);
    }
}

/// The secrets of the selected stacks that need a value, read now (before
/// anything is created); a step before each such stack's deploy.
fn plan_seeds(
    s: &Session<'_>,
    inputs: &secrets::Inputs,
    plan: &mut Plan,
    specs: &mut Vec<Option<StackDeploy>>,
) -> Result<Vec<secrets::Seed>> {
    secrets::check_adopted(&s.aws, &inputs.adopted)?;
    let mut needed = Vec::new();
    for o in &inputs.owned {
        if let Some(n) = secrets::need(&s.aws, o)? {
            needed.push((o.clone(), n));
        }
    }
    let var = |n: &str| s.host.var(n);
    let reader = secrets::Reader {
        var: &var,
        project_dir: s.app.context().project_dir(),
        terminal: s.style.terminal,
    };
    let seeds = secrets::read_all(&reader, needed)?;
    add_seed_steps(plan, specs, seeds.iter().map(|x| &x.secret));
    Ok(seeds)
}

/// A secrets step before the deploy of each stack of `owned`.
fn add_seed_steps<'a>(
    plan: &mut Plan,
    specs: &mut Vec<Option<StackDeploy>>,
    owned: impl Iterator<Item = &'a secrets::Owned>,
) {
    let mut stacks: Vec<(&str, Option<String>)> = Vec::new();
    for o in owned {
        if !stacks.iter().any(|(n, _)| *n == o.stack) {
            stacks.push((&o.stack, o.region.clone()));
        }
    }
    for (stack, region) in stacks {
        if let Some(step) = plan.stack_step(stack) {
            plan.add_before(
                step,
                StepKind::SeedSecrets {
                    stack: stack.to_owned(),
                    region,
                },
            );
            specs.push(None);
        }
    }
}

pub(crate) fn run(s: &mut Session<'_>) -> Result<u8> {
    let selected = select_stacks(&s.asm, &s.args.stacks, s.args.exclusively)?;
    let params = parameters(s)?;
    check_parameters(&s.asm, &selected, &params)?;
    let inputs = secrets::collect(&s.asm, &selected)?;
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
        add_seed_steps(&mut plan, &mut specs, inputs.owned.iter());
        // Builds first: deploy runs them before anything changes.
        for step in plan.steps() {
            for line in assets::dry_run_prepare_lines(&s.asm, &s.out_dir, &step.kind) {
                let _ = writeln!(s.out, "{line}");
            }
        }
        for i in plan.order()? {
            let kind = &plan.steps()[i].kind;
            let lines = if let Some(d) = &specs[i] {
                vec![
                    s.aws
                        .command_line(&changeset::dry_run_args(d), d.region.as_deref()),
                ]
            } else if let StepKind::SeedSecrets { stack, .. } = kind {
                secrets::dry_run_lines(&s.aws, &inputs, stack)
            } else {
                assets::dry_run_lines(&s.asm, &s.aws, &s.out_dir, kind)
            };
            for line in lines {
                let _ = writeln!(s.out, "{line}");
            }
        }
        return Ok(0);
    }

    let docker = assets::docker::Docker {
        program: s
            .host
            .var("FORMWORK_DOCKER")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| "docker".into()),
    };
    // The reads, at once where they do not depend on each other (see
    // docs/performance.md): the deployed stacks first (their ids name the
    // account, so no `sts` call when one exists), then their templates,
    // the objects of the folder deployments' buckets and, when no stack
    // named it, the caller's account.
    let described = diff_cmd::describe_selected(&s.aws, &s.asm, &selected);
    let known = described
        .as_ref()
        .ok()
        .and_then(|i| i.values().find_map(|x| x.account().map(str::to_owned)));
    let existing: HashSet<String> = described
        .as_ref()
        .map(|i| {
            i.iter()
                .filter(|(_, x)| !x.never_created())
                .map(|(n, _)| n.clone())
                .collect()
        })
        .unwrap_or_default();
    // The publisher works beside the session, which prints and asks.
    let (asm, aws) = (s.asm.clone(), s.aws.clone());
    let publisher = assets::Publisher::new(&asm, &aws, &s.out_dir)
        .with_docker(docker)
        .with_account(known);
    let (account, deployed) = std::thread::scope(|scope| {
        let (aws, asm, selected, publisher) = (&s.aws, &s.asm, &selected, &publisher);
        let plan = &plan;
        let existing = &existing;
        let reads = scope.spawn(move || publisher.read_published(plan, existing));
        let stacks = scope.spawn(move || {
            described.and_then(|info| diff_cmd::read_templates(aws, asm, selected, info))
        });
        let account = publisher.account_or_aws_error();
        let _ = reads.join();
        let stacks = stacks
            .join()
            .unwrap_or_else(|_| Err(Error::failed("reading the deployed stacks failed")));
        (account, stacks)
    });
    prereq::check(s, &selected, account)?;
    // Every value a secret needs now is read before anything is created.
    let seeds = plan_seeds(s, &inputs, &mut plan, &mut specs)?;
    let deployed = deployed?;
    let diffs = diff_cmd::diffs_from(s, &selected, Some(&deployed))?;
    diff_cmd::print(s, &diffs);
    guard(s, &diffs)?;
    approve(s, &diffs)?;

    let mut unchanged: HashSet<usize> = HashSet::new();
    for step in plan.steps() {
        if let (StepKind::DeployStack { stack, .. }, Some(d)) = (&step.kind, &specs[step.id]) {
            let diff = diffs.iter().find(|x| &x.stack == stack);
            if diff.is_some_and(|x| !x.has_changes()) && !parameters_changed(d, &deployed) {
                unchanged.insert(step.id);
            }
        }
    }
    publisher.set_unchanged(
        unchanged
            .iter()
            .filter_map(|i| specs[*i].as_ref().map(|d| d.stack.clone())),
    );

    let style = s.style;
    let width = Lines::width_from(s.host.var("COLUMNS"));
    let lines = Lines::new(&mut *s.out, style.terminal, width);
    let log = |line: &str| lines.line(line);
    // Everything local (builds, zips, images) before anything changes.
    publisher.prepare(&plan, &log)?;
    let step_errors: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());
    let aws = &s.aws;
    let asm = &s.asm;
    let counts: Vec<usize> = plan
        .steps()
        .iter()
        .map(|step| match &step.kind {
            StepKind::DeployStack { stack, .. } => asm
                .stacks
                .iter()
                .find(|x| &x.name == stack)
                .map(|x| x.resource_count)
                .unwrap_or(0),
            _ => 0,
        })
        .collect();
    let results: Mutex<Vec<(usize, Ended)>> = Mutex::new(Vec::new());
    let plan_ref = &plan;
    let specs_ref = &specs;
    let outcomes = plan.run(PARALLEL, |step| {
        let say = |line: String| log(&line);
        let fail = |e: Error| {
            if let Ok(mut v) = step_errors.lock() {
                v.push((step.id, e.to_string()));
            }
        };
        let Some(d) = &specs_ref[step.id] else {
            if let StepKind::SeedSecrets { stack, .. } = &step.kind {
                let mine: Vec<secrets::Seed> = seeds
                    .iter()
                    .filter(|x| &x.secret.stack == stack)
                    .cloned()
                    .collect();
                let spec = plan_ref
                    .stack_step(stack)
                    .and_then(|i| specs_ref[i].as_ref());
                let (Some(spec), Some(full)) = (spec, asm.template_json(stack)) else {
                    fail(Error::failed(format!("no stack `{stack}`")));
                    return Err(());
                };
                let on_event = show_events(&lines, style, stack, mine.len());
                let r = secrets::run_step(aws, &mine, &full, spec, POLL, &on_event, &say);
                lines.finish();
                return r.map_err(fail);
            }
            return publisher
                .run_step(&step.kind, &log)
                .map(|_| ())
                .map_err(fail);
        };
        if unchanged.contains(&step.id) {
            say(format!("{}: no changes, skipped", d.stack));
            if let Ok(mut r) = results.lock() {
                let outputs = deployed
                    .info
                    .get(&d.stack)
                    .map(|i| i.outputs.clone())
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
        let on_event = show_events(&lines, style, &d.stack, counts[step.id]);
        let ended = changeset::deploy(aws, d, POLL, &on_event);
        lines.finish();
        let ok = !matches!(ended, Ended::Failed { .. });
        if let Ok(mut r) = results.lock() {
            r.push((step.id, ended));
        }
        if ok { Ok(()) } else { Err(()) }
    })?;
    lines.finish();
    let mut failed = false;
    for (id, e) in step_errors.into_inner().unwrap_or_default() {
        failed = true;
        let _ = writeln!(
            s.err,
            "{}",
            style.paint(
                Color::Red,
                &format!("{}: failed: {e}", plan.steps()[id].kind.label())
            )
        );
    }
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(id, _)| *id);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(stack: &str, id: &str) -> secrets::Owned {
        secrets::Owned {
            stack: stack.into(),
            region: None,
            path: format!("{stack}/{id}"),
            logical_id: id.into(),
            name: None,
            wanted: secrets::Wanted::Whole(secrets::Source::Prompt),
        }
    }

    #[test]
    fn a_secrets_step_runs_once_per_stack_after_its_dependencies_and_before_it() {
        let app = formwork_core::App::new();
        let net = app.stack("Net").unwrap();
        let svc = app.stack("Svc").unwrap();
        for st in [&net, &svc] {
            st.add("Thing", formwork_core::testing::CfnThing::new())
                .unwrap();
        }
        svc.add_dependency(&net);
        let asm = app.synth().unwrap();
        let mut plan = Plan::for_stacks(&asm, &["Net".into(), "Svc".into()]);
        let mut specs: Vec<Option<StackDeploy>> = vec![None, None];
        let secrets = [owned("Svc", "A"), owned("Svc", "B")];
        add_seed_steps(&mut plan, &mut specs, secrets.iter());
        assert_eq!(
            plan.steps().len(),
            3,
            "one step for the stack's two secrets"
        );
        assert_eq!(specs.len(), 3);
        let (net, svc, seed) = (0, 1, 2);
        assert_eq!(plan.steps()[seed].after, vec![net]);
        assert_eq!(plan.order().unwrap(), vec![net, seed, svc]);
    }
}
