//! The formwork command line: `synth`, `list`, `validate`, `diff` and
//! `deploy` for the app a program builds.
//!
//! It is the part of formwork that talks to the outside world (the AWS CLI,
//! files, the terminal); the engine in `formwork-core` models and
//! synthesizes and never shells out. A user's `main.rs` is one line, through
//! the `formwork` facade:
//!
//! ```no_run
//! # fn app(_: &formwork::Context) -> formwork::Result<formwork::App> { Ok(formwork::App::new()) }
//! fn main() -> std::process::ExitCode {
//!     formwork::run(app)
//! }
//! ```
//!
//! Modules, one job each: [`args`] parses the command line and writes its
//! help; [`outdir`] finds the output folder; [`output`] knows terminal from
//! pipe; [`aws`] runs the AWS CLI; [`plan`] orders the steps of a deploy;
//! [`diff`] compares templates; the commands themselves are private.
#![deny(missing_docs)]

pub mod args;
pub mod assets;
pub mod aws;
mod changeset;
mod commands;
pub mod deployed;
pub mod diff;
mod error;
pub mod outdir;
pub mod output;
mod par;
pub mod plan;
mod private;
mod progress;
mod s3objects;
pub mod secrets;
mod suggest;

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use formwork_core::{App, Assembly, Context};

pub use args::{Args, CommandName};
pub use error::{Error, Result};

use aws::Aws;
use output::Style;

/// What the command line reads from the process it runs in, so that tests
/// can give their own: the AWS CLI program and its environment, environment
/// variables, and the terminal style.
#[derive(Clone, Debug, Default)]
pub struct Host {
    /// The AWS CLI program (default: `FORMWORK_AWS` or `aws`).
    pub aws_program: Option<PathBuf>,
    /// Extra environment variables for AWS CLI calls.
    pub aws_env: Vec<(String, String)>,
    /// Environment variables that override the process's.
    pub vars: HashMap<String, String>,
    /// The output style (default: detected from the process).
    pub style: Option<Style>,
    /// The process ends as soon as the command returns ([`run`] sets it):
    /// the app and its assembly are then left for the operating system to
    /// reclaim with the process instead of being freed value by value
    /// (about 3 % of an example's synth in a debug build).
    pub exits_after: bool,
}

impl Host {
    /// An environment variable: the override, else the process's.
    pub fn var(&self, name: &str) -> Option<String> {
        self.vars
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok())
    }
}

/// Runs the command line of this process: parses it, builds the app with a
/// context from `-c` values and the environment, and does the command.
///
/// `build` may return the engine's [`App`] or anything that converts into
/// it (the `formwork` facade's `App`).
pub fn run<A: Into<App>>(build: impl FnOnce(&Context) -> formwork_core::Result<A>) -> ExitCode {
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    let host = Host {
        exits_after: true,
        ..Host::default()
    };
    let code = execute_with(
        &host,
        std::env::args().skip(1),
        Context::from_process(),
        build,
        &mut out,
        &mut err,
    );
    ExitCode::from(code)
}

/// [`run`] with explicit arguments, context and output streams; returns the
/// exit code: 0 success, 1 failure (for `diff`: changes), 2 usage error (for
/// `diff`: any error).
pub fn execute<A: Into<App>>(
    args: impl IntoIterator<Item = String>,
    ctx: Context,
    build: impl FnOnce(&Context) -> formwork_core::Result<A>,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> u8 {
    execute_with(&Host::default(), args, ctx, build, out, err)
}

/// [`execute`] in the given [`Host`].
pub fn execute_with<A: Into<App>>(
    host: &Host,
    args: impl IntoIterator<Item = String>,
    ctx: Context,
    build: impl FnOnce(&Context) -> formwork_core::Result<A>,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> u8 {
    // One instantiation of the whole command line, whatever the app type.
    execute_app(
        host,
        args,
        ctx,
        Box::new(|c| build(c).map(Into::into)),
        out,
        err,
    )
}

/// How an app is built from its context, once.
type BuildApp<'a> = Box<dyn FnOnce(&Context) -> formwork_core::Result<App> + 'a>;

fn execute_app(
    host: &Host,
    args: impl IntoIterator<Item = String>,
    mut ctx: Context,
    build: BuildApp<'_>,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> u8 {
    let args = match args::parse(args) {
        Ok(a) => a,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return 2;
        }
    };
    if args.version {
        let _ = writeln!(out, "formwork {}", env!("CARGO_PKG_VERSION"));
        return 0;
    }
    if args.help {
        let cmd = args.command_given.then_some(args.command);
        let _ = write!(out, "{}", args::help(cmd));
        return 0;
    }
    let style = host.style.unwrap_or_else(|| Style::detect(args.color));
    for (k, v) in &args.context {
        ctx = ctx.with_value(k, v);
    }
    if args.command == CommandName::Schema {
        return match ctx.config_schema_of(build) {
            Ok(schema) => {
                let _ = write!(out, "{schema}");
                0
            }
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                1
            }
        };
    }
    let options = if args.strict {
        formwork_core::SynthOptions::strict()
    } else {
        formwork_core::SynthOptions::default()
    };
    let built = build(&ctx).and_then(|app| {
        // A `-c` key that nothing read is a typo until proven otherwise.
        ctx.check_keys()?;
        let asm = app.synth_with(options)?;
        Ok((app, asm))
    });
    let error_code = if args.command == CommandName::Diff {
        2
    } else {
        1
    };
    let (app, asm) = match built {
        Ok(x) => x,
        Err(e) => {
            match e.diagnostics() {
                Some(ds) => {
                    let _ = write!(err, "{}", formwork_core::diag::render(&ds.0, style.color));
                }
                None => {
                    let _ = writeln!(err, "error: {e}");
                }
            }
            return error_code;
        }
    };
    run_assembly(host, args, app, asm, out, err)
}

/// Runs a parsed command on an app already synthesized (`asm` from
/// `app.synth()`): what [`execute_with`] does after the synth. Tests use it
/// to deploy an assembly they adjusted for a local engine.
pub fn run_assembly(
    host: &Host,
    args: Args,
    app: App,
    asm: Assembly,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> u8 {
    let style = host.style.unwrap_or_else(|| Style::detect(args.color));
    let error_code = if args.command == CommandName::Diff {
        2
    } else {
        1
    };
    if !asm.warnings.0.is_empty() {
        let _ = write!(
            err,
            "{}",
            formwork_core::diag::render(&asm.warnings.0, style.color)
        );
    }
    let mut aws = Aws::new(args.aws.clone());
    if let Some(p) = &host.aws_program {
        aws.program = p.clone();
    }
    aws.env = host.aws_env.clone();
    let owner = outdir::owner(&outdir::app_name(host.var("CARGO_PKG_NAME")), &args.context);
    let mut session = Session {
        owner,
        out_dir: outdir::resolve(args.out.as_deref()),
        args,
        app,
        asm,
        style,
        aws,
        host,
        out,
        err,
    };
    let code = match commands::run(&mut session) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(session.err, "error: {e}");
            match e {
                Error::Usage(_) => 2,
                _ => error_code,
            }
        }
    };
    if host.exits_after {
        // Plain data (no files, processes or locks behind it): nothing is
        // lost by not running its destructors.
        let Session { app, asm, .. } = session;
        std::mem::forget((app, asm));
    }
    code
}

/// Everything a command works with.
pub(crate) struct Session<'a> {
    pub args: Args,
    pub out_dir: PathBuf,
    /// Who writes the output folder (see [`outdir::owner`]).
    pub owner: String,
    pub app: App,
    pub asm: Assembly,
    pub style: Style,
    pub aws: Aws,
    #[allow(dead_code)]
    pub host: &'a Host,
    pub out: &'a mut (dyn Write + Send),
    pub err: &'a mut (dyn Write + Send),
}
