//! `deploy`: the selected stacks and their dependencies, in dependency
//! order, independent stacks in parallel.

use std::path::Path;
use std::sync::Mutex;

use formwork_core::{Assembly, StackArtifact};

use crate::Session;
use crate::assets;
use crate::error::{Error, Result};
use crate::plan::{Outcome, Plan, StepKind, select_stacks};

/// At most this many steps at once.
const PARALLEL: usize = 4;

/// The AWS CLI arguments that deploy one stack of a written assembly.
pub(crate) fn deploy_args(
    s: &StackArtifact,
    dir: &Path,
    parameters: &[(String, String)],
    s3_bucket: Option<&str>,
) -> Result<Vec<String>> {
    let mut a: Vec<String> = [
        "cloudformation",
        "deploy",
        "--template-file",
        &dir.join(&s.file_name).to_string_lossy(),
        "--stack-name",
        &s.name,
        "--capabilities",
        "CAPABILITY_IAM",
        "CAPABILITY_NAMED_IAM",
        "--no-fail-on-empty-changeset",
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    if s.needs_s3_upload() {
        let b = s3_bucket.ok_or_else(|| {
            Error::usage(format!(
                "{} is {} bytes, over the 51,200 bytes of an inline template: pass --s3-bucket",
                s.name,
                s.template.len()
            ))
        })?;
        a.extend(["--s3-bucket".to_owned(), b.to_owned()]);
    }
    let overrides: Vec<String> = parameters
        .iter()
        .filter(|(k, _)| s.parameters.iter().any(|(n, _, _)| n == k))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let missing: Vec<&str> = s
        .parameters
        .iter()
        .filter(|(n, _, has_default)| !has_default && !parameters.iter().any(|(k, _)| k == n))
        .map(|(n, _, _)| n.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(Error::usage(format!(
            "{} needs a value for parameter(s) {}: pass -p NAME=VALUE",
            s.name,
            missing.join(", ")
        )));
    }
    if !overrides.is_empty() {
        a.push("--parameter-overrides".to_owned());
        a.extend(overrides);
    }
    Ok(a)
}

/// A `-p` that no selected stack declares is an error.
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

pub(crate) fn run(s: &mut Session<'_>) -> Result<u8> {
    let selected = select_stacks(&s.asm, &s.args.stacks, s.args.exclusively)?;
    check_parameters(&s.asm, &selected, &s.args.parameters)?;
    let mut plan = Plan::for_stacks(&s.asm, &selected);
    assets::add_steps(&mut plan, &s.asm, s.aws.options.region.as_deref());
    let mut calls = vec![None; plan.steps().len()];
    for step in plan.steps() {
        if let StepKind::DeployStack { stack, region } = &step.kind {
            let st = s
                .asm
                .stacks
                .iter()
                .find(|x| &x.name == stack)
                .ok_or_else(|| Error::failed(format!("no stack `{stack}`")))?;
            let args = deploy_args(
                st,
                &s.out_dir,
                &s.args.parameters,
                s.args.s3_bucket.as_deref(),
            )?;
            calls[step.id] = Some((args, region.clone()));
        }
    }
    s.asm.write(&s.out_dir)?;
    if s.args.dry_run {
        for i in plan.order()? {
            match &calls[i] {
                Some((args, region)) => {
                    let _ = writeln!(s.out, "{}", s.aws.command_line(args, region.as_deref()));
                }
                None => {
                    for line in
                        assets::dry_run_lines(&s.asm, &s.aws, &s.out_dir, &plan.steps()[i].kind)
                    {
                        let _ = writeln!(s.out, "{line}");
                    }
                }
            }
        }
        return Ok(0);
    }
    let publisher = assets::Publisher::new(&s.asm, &s.aws, &s.out_dir);
    let out = Mutex::new(&mut *s.out);
    let log = |line: &str| {
        if let Ok(mut o) = out.lock() {
            let _ = writeln!(o, "{line}");
        }
    };
    // Everything local (builds, zips, images) before anything changes.
    publisher.prepare(&plan, &log)?;
    let aws = &s.aws;
    let outcomes = plan.run(PARALLEL, |step| match &calls[step.id] {
        Some((args, region)) => {
            log(&format!("{}: deploying", step.kind.label()));
            aws.run(args, region.as_deref())
                .map(|_| ())
                .map_err(Error::from)
        }
        None => publisher.run_step(&step.kind, &log).map(|_| ()),
    })?;
    let mut failed = false;
    for (step, outcome) in plan.steps().iter().zip(outcomes) {
        let deploy = matches!(step.kind, StepKind::DeployStack { .. });
        match outcome {
            Outcome::Done => {
                if deploy {
                    let _ = writeln!(s.out, "{}: deployed", step.kind.label());
                }
            }
            Outcome::Failed(e) => {
                failed = true;
                let _ = writeln!(s.err, "{}: failed: {e}", step.kind.label());
            }
            Outcome::Skipped => {
                let _ = writeln!(
                    s.err,
                    "{}: not run (a step it needs failed)",
                    step.kind.label()
                );
            }
        }
    }
    Ok(u8::from(failed))
}
