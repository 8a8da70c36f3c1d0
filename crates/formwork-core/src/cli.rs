//! The command line every app gets: `synth`, `list`, `validate`, `diff`,
//! `deploy`.
//!
//! A user's `main.rs` is one line:
//!
//! ```no_run
//! # fn app(_: &formwork_core::Context) -> formwork_core::Result<formwork_core::App> { Ok(formwork_core::App::new()) }
//! fn main() -> std::process::ExitCode {
//!     formwork_core::cli::run(app)
//! }
//! ```
//!
//! Parsed by hand: the grammar is small, and a parser dependency would add
//! to the build every user pays for on each edit.

mod diff;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::app::App;
use crate::env::Context;
use crate::error::{Error, Result};
use crate::synth::Assembly;

const HELP: &str = "\
Synthesize this app's CloudFormation templates.

Usage: cargo run [-p PACKAGE] -- [COMMAND] [OPTIONS]

Commands:
  synth             Write every stack's template and manifest.json (default)
  list              List the stacks in deploy order
  validate          Synthesize and check everything; write nothing
  diff              Compare with the templates in the output folder
  deploy            Synthesize, then deploy each stack in order with the AWS CLI
                    (`aws cloudformation deploy`)

Options:
  -o, --out DIR          Output folder [default: formwork.out]
  -c, --context KEY=VAL  A context value for the app (repeatable)
  -p, --parameter K=V    deploy: a parameter value, for stacks that declare K (repeatable)
      --s3-bucket NAME   deploy: bucket for templates over 51,200 bytes
      --dry-run          deploy: print the AWS CLI commands instead of running them
  -h, --help             Print this help
";

/// The parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// What to do.
    pub action: Action,
    /// Where templates go.
    pub out: PathBuf,
    /// `-c` values.
    pub context: Vec<(String, String)>,
    /// `-p` values for deploy.
    pub parameters: Vec<(String, String)>,
    /// `--s3-bucket` for deploy.
    pub s3_bucket: Option<String>,
    /// `--dry-run` for deploy.
    pub dry_run: bool,
}

/// The sub-command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Write templates.
    Synth,
    /// List stacks.
    List,
    /// Check only.
    Validate,
    /// Compare with the output folder.
    Diff,
    /// Deploy with the AWS CLI.
    Deploy,
    /// Print help.
    Help,
}

fn pair(flag: &str, v: Option<String>) -> Result<(String, String)> {
    let v = v.ok_or_else(|| Error::Usage(format!("{flag} needs KEY=VALUE")))?;
    match v.split_once('=') {
        Some((k, val)) if !k.is_empty() => Ok((k.to_owned(), val.to_owned())),
        _ => Err(Error::Usage(format!("{flag} needs KEY=VALUE, got `{v}`"))),
    }
}

/// Parses arguments (without the program name).
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command> {
    let mut cmd = Command {
        action: Action::Synth,
        out: PathBuf::from("formwork.out"),
        context: Vec::new(),
        parameters: Vec::new(),
        s3_bucket: None,
        dry_run: false,
    };
    let mut action: Option<Action> = None;
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "-h" | "--help" | "help" => action = Some(Action::Help),
            "-o" | "--out" => {
                cmd.out = args
                    .next()
                    .map(PathBuf::from)
                    .ok_or_else(|| Error::Usage("--out needs a folder".into()))?;
            }
            "-c" | "--context" => cmd.context.push(pair("--context", args.next())?),
            "-p" | "--parameter" => cmd.parameters.push(pair("--parameter", args.next())?),
            "--s3-bucket" => cmd.s3_bucket = args.next(),
            "--dry-run" => cmd.dry_run = true,
            s if s.starts_with("--out=") => cmd.out = PathBuf::from(&s[6..]),
            s if s.starts_with("--context=") => cmd
                .context
                .push(pair("--context", Some(s[10..].to_owned()))?),
            s if !s.starts_with('-') && action.is_none() => {
                action = Some(match s {
                    "synth" => Action::Synth,
                    "list" | "ls" => Action::List,
                    "validate" => Action::Validate,
                    "diff" => Action::Diff,
                    "deploy" => Action::Deploy,
                    other => {
                        return Err(Error::Usage(format!(
                            "unknown command `{other}`; expected synth, list, validate, diff or deploy"
                        )));
                    }
                });
            }
            other => {
                return Err(Error::Usage(format!(
                    "unexpected argument `{other}` (see --help)"
                )));
            }
        }
    }
    if cmd.dry_run && action != Some(Action::Deploy) {
        return Err(Error::Usage("--dry-run goes with deploy".into()));
    }
    cmd.action = action.unwrap_or(Action::Synth);
    Ok(cmd)
}

/// Runs the command line of this process: parses it, builds the app with a
/// context from `-c` values and the environment, and does the command.
pub fn run(build: impl FnOnce(&Context) -> Result<App>) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let code = execute(
        std::env::args().skip(1),
        Context::from_process(),
        build,
        &mut out,
        &mut err,
    );
    ExitCode::from(code)
}

/// [`run`] with explicit arguments, context and output streams; returns the
/// exit code (0 success, 1 synth or deploy failure, 2 usage error).
pub fn execute(
    args: impl IntoIterator<Item = String>,
    mut ctx: Context,
    build: impl FnOnce(&Context) -> Result<App>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let cmd = match parse(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return 2;
        }
    };
    if cmd.action == Action::Help {
        let _ = write!(out, "{HELP}");
        return 0;
    }
    for (k, v) in &cmd.context {
        ctx = ctx.with_value(k, v);
    }
    let result = build(&ctx).and_then(|app| {
        let asm = app.synth()?;
        Ok((app, asm))
    });
    let (app, asm) = match result {
        Ok(x) => x,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return 1;
        }
    };
    for w in &asm.warnings.0 {
        let _ = writeln!(err, "{w}");
    }
    let outcome = match cmd.action {
        Action::Synth => synth(&asm, &cmd.out, out),
        Action::List => {
            for s in &asm.stacks {
                let region = s.env.region.as_deref().unwrap_or("(agnostic)");
                let deps = if s.dependencies.is_empty() {
                    String::new()
                } else {
                    format!(" after {}", s.dependencies.join(", "))
                };
                let _ = writeln!(
                    out,
                    "{}\t{region}\t{} resources{deps}",
                    s.name, s.resource_count
                );
            }
            Ok(())
        }
        Action::Validate => {
            let n: usize = asm.stacks.iter().map(|s| s.resource_count).sum();
            let _ = writeln!(
                out,
                "valid: {} stack(s), {n} resource(s), {} warning(s)",
                asm.stacks.len(),
                asm.warnings.0.len()
            );
            Ok(())
        }
        Action::Diff => {
            let specs = diff::specs_of(&app);
            diff::print(&asm, &cmd.out, &specs, out)
        }
        Action::Deploy => deploy(&asm, &cmd, out),
        Action::Help => Ok(()),
    };
    match outcome {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            1
        }
    }
}

fn synth(asm: &Assembly, dir: &Path, out: &mut dyn Write) -> Result<()> {
    asm.write(dir)?;
    for s in &asm.stacks {
        let _ = writeln!(
            out,
            "{}: {} ({} resources, {} bytes)",
            s.name,
            dir.join(&s.file_name).display(),
            s.resource_count,
            s.template.len()
        );
    }
    Ok(())
}

/// The AWS CLI arguments that deploy one stack of a written assembly.
pub fn deploy_args(
    asm: &Assembly,
    stack: &str,
    dir: &Path,
    parameters: &[(String, String)],
    s3_bucket: Option<&str>,
) -> Result<Vec<String>> {
    let s = asm
        .stacks
        .iter()
        .find(|s| s.name == stack)
        .ok_or_else(|| Error::Usage(format!("no stack named `{stack}`")))?;
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
    if let Some(r) = &s.env.region {
        a.extend(["--region".to_owned(), r.clone()]);
    }
    if s.needs_s3_upload() {
        let b = s3_bucket.ok_or_else(|| {
            Error::Usage(format!(
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
        return Err(Error::Usage(format!(
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

fn deploy(asm: &Assembly, cmd: &Command, out: &mut dyn Write) -> Result<()> {
    asm.write(&cmd.out)?;
    let plans: Vec<Vec<String>> = asm
        .stacks
        .iter()
        .map(|s| {
            deploy_args(
                asm,
                &s.name,
                &cmd.out,
                &cmd.parameters,
                cmd.s3_bucket.as_deref(),
            )
        })
        .collect::<Result<_>>()?;
    for args in plans {
        let _ = writeln!(out, "aws {}", args.join(" "));
        if cmd.dry_run {
            continue;
        }
        let status = std::process::Command::new("aws")
            .args(&args)
            .status()
            .map_err(|e| Error::Usage(format!("cannot run the AWS CLI (`aws`): {e}")))?;
        if !status.success() {
            return Err(Error::Usage(format!(
                "`aws {}` failed with {status}",
                args.join(" ")
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Output, Parameter};

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn parses_commands_and_options() {
        let c = parse(s(&[
            "deploy",
            "--dry-run",
            "-c",
            "env=prod",
            "--out",
            "o",
            "-p",
            "A=b",
        ]))
        .unwrap();
        assert_eq!(c.action, Action::Deploy);
        assert!(c.dry_run);
        assert_eq!(c.context, vec![("env".into(), "prod".into())]);
        assert_eq!(c.out, PathBuf::from("o"));
        assert_eq!(c.parameters, vec![("A".into(), "b".into())]);
        assert_eq!(parse(s(&[])).unwrap().action, Action::Synth);
        assert_eq!(parse(s(&["--help"])).unwrap().action, Action::Help);
    }

    #[test]
    fn refuses_bad_command_lines() {
        assert!(parse(s(&["bogus"])).is_err());
        assert!(parse(s(&["-c", "novalue"])).is_err());
        assert!(parse(s(&["--out"])).is_err());
        assert!(parse(s(&["synth", "--dry-run"])).is_err());
        assert!(parse(s(&["--frobnicate"])).is_err());
    }

    fn demo(ctx: &Context) -> Result<App> {
        let app = App::with_context(ctx.clone());
        let st = app.stack("Demo")?;
        st.add("Thing", crate::testing::CfnThing::new())?;
        let env = ctx.value("env").unwrap_or("dev").to_owned();
        st.add_output("Env", Output::new(env))?;
        Ok(app)
    }

    #[test]
    fn synth_writes_and_context_reaches_the_app() {
        let dir = std::env::temp_dir().join(format!("formwork-cli-{}", std::process::id()));
        let (mut o, mut e) = (Vec::new(), Vec::new());
        let code = execute(
            s(&["synth", "-c", "env=prod", "--out", &dir.to_string_lossy()]),
            Context::new(),
            demo,
            &mut o,
            &mut e,
        );
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&e));
        let t = std::fs::read_to_string(dir.join("Demo.template.json")).unwrap();
        assert!(t.contains("\"prod\""));
        assert!(dir.join("manifest.json").exists());
        let (mut o, mut e) = (Vec::new(), Vec::new());
        assert_eq!(
            execute(
                s(&["diff", "-c", "env=prod", "--out", &dir.to_string_lossy()]),
                Context::new(),
                demo,
                &mut o,
                &mut e
            ),
            0
        );
        assert!(
            String::from_utf8_lossy(&o).contains("Demo: no changes"),
            "{}",
            String::from_utf8_lossy(&o)
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn failures_exit_non_zero_and_list_errors() {
        let (mut o, mut e) = (Vec::new(), Vec::new());
        let code = execute(
            s(&["validate"]),
            Context::new(),
            |_| Err(Error::Usage("boom".into())),
            &mut o,
            &mut e,
        );
        assert_eq!(code, 1);
        assert!(String::from_utf8_lossy(&e).contains("boom"));
        assert_eq!(
            execute(s(&["nope"]), Context::new(), demo, &mut o, &mut e),
            2
        );
    }

    #[test]
    fn deploy_dry_run_prints_aws_cli_commands_in_order() {
        let build = |_: &Context| -> Result<App> {
            let app = App::new();
            let st = app.stack("Web")?;
            st.add("Thing", crate::testing::CfnThing::new())?;
            st.add_parameter("CertificateArn", Parameter::string())?;
            Ok(app)
        };
        let dir = std::env::temp_dir().join(format!("formwork-cli-d-{}", std::process::id()));
        let (mut o, mut e) = (Vec::new(), Vec::new());
        let d = dir.to_string_lossy().to_string();
        assert_eq!(
            execute(
                s(&["deploy", "--dry-run", "--out", &d]),
                Context::new(),
                build,
                &mut o,
                &mut e
            ),
            1
        );
        assert!(String::from_utf8_lossy(&e).contains("CertificateArn"));
        let (mut o, mut e) = (Vec::new(), Vec::new());
        let code = execute(
            s(&[
                "deploy",
                "--dry-run",
                "--out",
                &d,
                "-p",
                "CertificateArn=arn:x",
            ]),
            Context::new(),
            build,
            &mut o,
            &mut e,
        );
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&e));
        let printed = String::from_utf8_lossy(&o);
        assert!(printed.contains("aws cloudformation deploy --template-file"));
        assert!(printed.contains("--parameter-overrides CertificateArn=arn:x"));
        std::fs::remove_dir_all(&dir).ok();
    }
}
