//! The command line: which command, which flags, and the help text, all from
//! two tables ([`COMMANDS`], [`FLAGS`]) so that a new command or flag is one
//! row plus one match arm.
//!
//! Parsed with `lexopt`: `--flag=value` and `--flag value`, `-cKEY=VALUE`
//! and `-c KEY=VALUE`, flags before or after the command, `--` ends flags.
//! A misspelled command or flag gets a "did you mean".

use std::path::PathBuf;

use lexopt::Arg;

use crate::error::{Error, Result};
use crate::suggest;

/// A sub-command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CommandName {
    /// Write every stack's template and the manifest.
    Synth,
    /// List the stacks in deploy order.
    List,
    /// Synthesize and check; write nothing.
    Validate,
    /// Compare with what is deployed.
    Diff,
    /// Deploy stacks.
    Deploy,
    /// Delete stacks.
    Destroy,
    /// Print the JSON Schema of the app's configuration file.
    Schema,
    /// Estimate the monthly cost.
    Cost,
    /// Draw the architecture.
    Graph,
    /// Run the post-deploy checks.
    Check,
}

/// What the help says about a command.
#[derive(Debug)]
pub struct CommandInfo {
    /// The command.
    pub name: CommandName,
    /// The word that selects it.
    pub word: &'static str,
    /// Other words that select it.
    pub aliases: &'static [&'static str],
    /// One line on what it does.
    pub about: &'static str,
    /// Its positional arguments, for the usage line (empty: none).
    pub positional: &'static str,
    /// Example command lines, each with what it does.
    pub examples: &'static [(&'static str, &'static str)],
}

/// Every command, in help order.
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: CommandName::Synth,
        word: "synth",
        aliases: &[],
        about: "Write every stack's template and manifest.json (the default)",
        positional: "",
        examples: &[
            (
                "cargo run",
                "synthesize into formwork.out/ at the crate root",
            ),
            (
                "cargo run -- synth -c env=prod --out build/prod",
                "another environment, another folder",
            ),
        ],
    },
    CommandInfo {
        name: CommandName::List,
        word: "list",
        aliases: &["ls"],
        about: "List the stacks in deploy order, with region and dependencies",
        positional: "",
        examples: &[("cargo run -- list", "one line per stack")],
    },
    CommandInfo {
        name: CommandName::Validate,
        word: "validate",
        aliases: &[],
        about: "Synthesize and check everything; write nothing",
        positional: "",
        examples: &[("cargo run -- validate -c env=prod", "check the prod stacks")],
    },
    CommandInfo {
        name: CommandName::Diff,
        word: "diff",
        aliases: &[],
        about: "Show what a deploy would change (exit 0: none, 1: changes, 2: error)",
        positional: "[STACK...]",
        examples: &[
            (
                "cargo run -- diff",
                "every stack, against the templates in the output folder",
            ),
            ("cargo run -- diff Api", "one stack"),
        ],
    },
    CommandInfo {
        name: CommandName::Deploy,
        word: "deploy",
        aliases: &[],
        about: "Synthesize, then deploy the stacks (and their dependencies) with the AWS CLI",
        positional: "[STACK...]",
        examples: &[
            ("cargo run -- deploy", "every stack, in dependency order"),
            (
                "cargo run -- deploy Api --exclusively",
                "only Api, not the stacks it depends on",
            ),
            (
                "cargo run -- deploy --dry-run -p CertificateArn=arn:aws:acm:...",
                "print the AWS CLI commands instead of running them",
            ),
            (
                "cargo run -- deploy --profile dev --region eu-west-1",
                "with a named profile and region",
            ),
            (
                "cargo run -- deploy --require-approval never --allow-data-loss",
                "in CI: no questions, and a change that deletes a bucket is accepted",
            ),
        ],
    },
    CommandInfo {
        name: CommandName::Destroy,
        word: "destroy",
        aliases: &[],
        about: "Delete the stacks (and the stacks that depend on them), last deployed first; retained resources stay",
        positional: "[STACK...]",
        examples: &[
            (
                "cargo run -- destroy",
                "every stack of the app, after a confirmation",
            ),
            (
                "cargo run -- destroy Api --yes",
                "Api and the stacks that need it, without asking",
            ),
        ],
    },
    CommandInfo {
        name: CommandName::Schema,
        word: "schema",
        aliases: &[],
        about: "Print the JSON Schema of formwork.toml, the app's typed configuration",
        positional: "",
        examples: &[(
            "cargo run -- schema > formwork.schema.json",
            "a schema an editor checks and completes formwork.toml with",
        )],
    },
    CommandInfo {
        name: CommandName::Cost,
        word: "cost",
        aliases: &[],
        about: "Estimate what the app costs a month, line by line, against its budget",
        positional: "",
        examples: &[
            (
                "cargo run -- cost",
                "a table per stack, with each line's assumption",
            ),
            ("cargo run -- cost --json", "the same as JSON"),
        ],
    },
    CommandInfo {
        name: CommandName::Graph,
        word: "graph",
        aliases: &[],
        about: "Draw the architecture: graph.mmd (Mermaid) and graph.html (SVG, opens offline)",
        positional: "",
        examples: &[(
            "cargo run -- graph",
            "write formwork.out/graph.mmd and formwork.out/graph.html",
        )],
    },
    CommandInfo {
        name: CommandName::Check,
        word: "check",
        aliases: &[],
        about: "Run the app's post-deploy checks against the deployed stacks (deploy runs them too)",
        positional: "[STACK...]",
        examples: &[("cargo run -- check", "every stack's checks")],
    },
];

/// A flag: its names, its value, its help, and the commands that take it.
#[derive(Debug)]
pub struct Flag {
    /// `--long`.
    pub long: &'static str,
    /// `-s`.
    pub short: Option<char>,
    /// The value's placeholder, when the flag takes one.
    pub value: Option<&'static str>,
    /// One line of help.
    pub help: &'static str,
    /// The commands that take it; empty: every command.
    pub commands: &'static [CommandName],
}

use CommandName::{Check, Cost, Deploy, Destroy, Diff, Validate};

/// Every flag, in help order.
pub const FLAGS: &[Flag] = &[
    Flag {
        long: "out",
        short: Some('o'),
        value: Some("DIR"),
        help: "Output folder [default: formwork.out at the crate root]",
        commands: &[],
    },
    Flag {
        long: "context",
        short: Some('c'),
        value: Some("KEY=VALUE"),
        help: "A context value for the app (repeatable)",
        commands: &[],
    },
    Flag {
        long: "color",
        short: None,
        value: Some("WHEN"),
        help: "auto, always or never [default: auto: colour on a terminal unless NO_COLOR is set]",
        commands: &[],
    },
    Flag {
        long: "profile",
        short: None,
        value: Some("NAME"),
        help: "AWS CLI profile (passed to every aws call)",
        commands: &[Diff, Deploy, Destroy, Check],
    },
    Flag {
        long: "region",
        short: None,
        value: Some("REGION"),
        help: "AWS region for stacks that do not name one",
        commands: &[Diff, Deploy, Destroy, Cost, Check],
    },
    Flag {
        long: "endpoint-url",
        short: None,
        value: Some("URL"),
        help: "Send AWS calls to this endpoint (a local emulator)",
        commands: &[Diff, Deploy, Destroy, Check],
    },
    Flag {
        long: "exclusively",
        short: Some('e'),
        value: None,
        help: "Only the named stacks, not the stacks they depend on (destroy: that depend on them)",
        commands: &[Diff, Deploy, Destroy],
    },
    Flag {
        long: "against",
        short: None,
        value: Some("DIR"),
        help: "Compare with the templates in DIR (a saved synth) instead of the deployed stacks",
        commands: &[Diff],
    },
    Flag {
        long: "json",
        short: None,
        value: None,
        help: "Print JSON instead of text (the diff, the cost table)",
        commands: &[Diff, Cost],
    },
    Flag {
        long: "parameter",
        short: Some('p'),
        value: Some("KEY=VALUE"),
        help: "A parameter value for the stacks that declare KEY (repeatable)",
        commands: &[Deploy],
    },
    Flag {
        long: "parameters-file",
        short: None,
        value: Some("FILE"),
        help: "Parameter values from a JSON file: {\"Key\": \"value\"} or [{\"ParameterKey\", \"ParameterValue\"}]",
        commands: &[Deploy],
    },
    Flag {
        long: "tag",
        short: Some('t'),
        value: Some("KEY=VALUE"),
        help: "A stack tag (repeatable)",
        commands: &[Deploy],
    },
    Flag {
        long: "require-approval",
        short: None,
        value: Some("WHEN"),
        help: "Ask before deploying: never, broadening (access widened, resources replaced or deleted) or any change [default: broadening]",
        commands: &[Deploy],
    },
    Flag {
        long: "allow-data-loss",
        short: None,
        value: None,
        help: "Deploy even when a change destroys a stateful resource (bucket, table, file system...)",
        commands: &[Deploy],
    },
    Flag {
        long: "outputs-file",
        short: None,
        value: Some("FILE"),
        help: "Where to write the stacks' outputs [default: OUT/outputs.json]",
        commands: &[Deploy],
    },
    Flag {
        long: "s3-bucket",
        short: None,
        value: Some("NAME"),
        help: "Bucket for templates over 51,200 bytes",
        commands: &[Deploy],
    },
    Flag {
        long: "dry-run",
        short: None,
        value: None,
        help: "Print the AWS CLI commands instead of running them",
        commands: &[Deploy],
    },
    Flag {
        long: "no-checks",
        short: None,
        value: None,
        help: "Do not run the app's post-deploy checks after the deploy",
        commands: &[Deploy],
    },
    Flag {
        long: "yes",
        short: Some('y'),
        value: None,
        help: "Do not ask for confirmation",
        commands: &[Destroy],
    },
    Flag {
        long: "strict",
        short: None,
        value: None,
        help: "Fail on warnings and when the estimate is over the app's budget",
        commands: &[Validate],
    },
    Flag {
        long: "help",
        short: Some('h'),
        value: None,
        help: "Print help (of a command, after it)",
        commands: &[],
    },
    Flag {
        long: "version",
        short: Some('V'),
        value: None,
        help: "Print the version",
        commands: &[],
    },
];

/// When to colour the output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// When `deploy` asks before changing anything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Approval {
    /// Never ask.
    Never,
    /// When access broadens or a resource is replaced or deleted.
    #[default]
    Broadening,
    /// On any change.
    Any,
}

/// The AWS CLI options passed through to every call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AwsOptions {
    /// `--profile`.
    pub profile: Option<String>,
    /// `--region`, for stacks that do not name one.
    pub region: Option<String>,
    /// `--endpoint-url`.
    pub endpoint_url: Option<String>,
}

/// The parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    /// The command.
    pub command: CommandName,
    /// The command was named (not the default).
    pub command_given: bool,
    /// `--help`.
    pub help: bool,
    /// `--version`.
    pub version: bool,
    /// `--out`, when given (else the crate root's `formwork.out`).
    pub out: Option<PathBuf>,
    /// `-c` values.
    pub context: Vec<(String, String)>,
    /// `--color`.
    pub color: ColorChoice,
    /// `--profile`, `--region`, `--endpoint-url`.
    pub aws: AwsOptions,
    /// The stacks named on the command line (empty: all).
    pub stacks: Vec<String>,
    /// `--exclusively`.
    pub exclusively: bool,
    /// `--against`.
    pub against: Option<PathBuf>,
    /// `--json`.
    pub json: bool,
    /// `-p` values.
    pub parameters: Vec<(String, String)>,
    /// `--parameters-file`.
    pub parameters_file: Option<PathBuf>,
    /// `--tag` values.
    pub tags: Vec<(String, String)>,
    /// `--require-approval`.
    pub approval: Approval,
    /// `--allow-data-loss`.
    pub allow_data_loss: bool,
    /// `--outputs-file`.
    pub outputs_file: Option<PathBuf>,
    /// `--s3-bucket`.
    pub s3_bucket: Option<String>,
    /// `--yes`.
    pub yes: bool,
    /// `--dry-run`.
    pub dry_run: bool,
    /// `--no-checks`.
    pub no_checks: bool,
    /// `--strict` (validate): warnings fail as errors do.
    pub strict: bool,
}

impl Default for Args {
    fn default() -> Args {
        Args {
            command: CommandName::Synth,
            command_given: false,
            help: false,
            version: false,
            out: None,
            context: Vec::new(),
            color: ColorChoice::Auto,
            aws: AwsOptions::default(),
            stacks: Vec::new(),
            exclusively: false,
            against: None,
            json: false,
            parameters: Vec::new(),
            parameters_file: None,
            tags: Vec::new(),
            approval: Approval::Broadening,
            allow_data_loss: false,
            outputs_file: None,
            s3_bucket: None,
            yes: false,
            dry_run: false,
            no_checks: false,
            strict: false,
        }
    }
}

fn info(name: CommandName) -> &'static CommandInfo {
    COMMANDS
        .iter()
        .find(|c| c.name == name)
        .unwrap_or(&COMMANDS[0])
}

fn pair(flag: &str, v: String) -> Result<(String, String)> {
    match v.split_once('=') {
        Some((k, val)) if !k.is_empty() => Ok((k.to_owned(), val.to_owned())),
        _ => Err(Error::usage(format!("--{flag} needs KEY=VALUE, got `{v}`"))),
    }
}

fn usage_error(e: lexopt::Error) -> Error {
    Error::usage(e.to_string())
}

fn command_word(word: &str) -> Result<CommandName> {
    if word == "help" {
        // `help` alone or `help deploy`: handled by the caller.
        return Err(Error::usage(String::new()));
    }
    COMMANDS
        .iter()
        .find(|c| c.word == word || c.aliases.contains(&word))
        .map(|c| c.name)
        .ok_or_else(|| {
            let words = COMMANDS.iter().map(|c| c.word);
            let all: Vec<&str> = COMMANDS.iter().map(|c| c.word).collect();
            Error::usage(format!(
                "unknown command `{word}`{}; the commands are {}",
                suggest::hint(word, words),
                all.join(", ")
            ))
        })
}

/// Parses arguments (without the program name).
///
/// ```
/// use formwork::cli::args::{parse, CommandName};
/// let a = parse(["deploy", "Api", "--region=eu-west-1", "-c", "env=prod"].map(String::from))?;
/// assert_eq!(a.command, CommandName::Deploy);
/// assert_eq!(a.stacks, ["Api"]);
/// assert_eq!(a.aws.region.as_deref(), Some("eu-west-1"));
/// # Ok::<(), formwork::cli::Error>(())
/// ```
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args> {
    let mut a = Args::default();
    let mut command: Option<CommandName> = None;
    let mut help_word = false;
    let mut seen: Vec<&'static Flag> = Vec::new();
    let mut p = lexopt::Parser::from_args(args);
    while let Some(arg) = p.next().map_err(usage_error)? {
        let flag = match arg {
            Arg::Short(c) => FLAGS
                .iter()
                .find(|f| f.short == Some(c))
                .ok_or_else(|| Error::usage(format!("unknown flag `-{c}` (see --help)")))?,
            Arg::Long(name) => FLAGS.iter().find(|f| f.long == name).ok_or_else(|| {
                let longs = FLAGS.iter().map(|f| f.long);
                let hint = suggest::closest(name, longs)
                    .map(|c| format!("; did you mean `--{c}`?"))
                    .unwrap_or_default();
                Error::usage(format!("unknown flag `--{name}`{hint} (see --help)"))
            })?,
            Arg::Value(v) => {
                let v = v
                    .into_string()
                    .map_err(|v| Error::usage(format!("not UTF-8: {v:?}")))?;
                if command.is_none() && !help_word {
                    if v == "help" {
                        help_word = true;
                        a.help = true;
                    } else {
                        command = Some(command_word(&v)?);
                    }
                } else if help_word && command.is_none() {
                    command = Some(command_word(&v)?);
                } else {
                    a.stacks.push(v);
                }
                continue;
            }
        };
        seen.push(flag);
        let mut value = || -> Result<String> {
            p.value()
                .map_err(|_| {
                    Error::usage(format!(
                        "--{} needs a value ({})",
                        flag.long,
                        flag.value.unwrap_or("VALUE")
                    ))
                })?
                .into_string()
                .map_err(|v| Error::usage(format!("--{}: not UTF-8: {v:?}", flag.long)))
        };
        match flag.long {
            "out" => a.out = Some(PathBuf::from(value()?)),
            "context" => a.context.push(pair("context", value()?)?),
            "color" => {
                a.color = match value()?.as_str() {
                    "auto" => ColorChoice::Auto,
                    "always" => ColorChoice::Always,
                    "never" => ColorChoice::Never,
                    other => {
                        return Err(Error::usage(format!(
                            "--color takes auto, always or never, got `{other}`"
                        )));
                    }
                }
            }
            "profile" => a.aws.profile = Some(value()?),
            "region" => a.aws.region = Some(value()?),
            "endpoint-url" => a.aws.endpoint_url = Some(value()?),
            "exclusively" => a.exclusively = true,
            "against" => a.against = Some(PathBuf::from(value()?)),
            "json" => a.json = true,
            "parameter" => a.parameters.push(pair("parameter", value()?)?),
            "parameters-file" => a.parameters_file = Some(PathBuf::from(value()?)),
            "tag" => a.tags.push(pair("tag", value()?)?),
            "require-approval" => {
                a.approval = match value()?.as_str() {
                    "never" => Approval::Never,
                    "broadening" => Approval::Broadening,
                    "any" => Approval::Any,
                    other => {
                        return Err(Error::usage(format!(
                            "--require-approval takes never, broadening or any, got `{other}`"
                        )));
                    }
                }
            }
            "allow-data-loss" => a.allow_data_loss = true,
            "outputs-file" => a.outputs_file = Some(PathBuf::from(value()?)),
            "s3-bucket" => a.s3_bucket = Some(value()?),
            "dry-run" => a.dry_run = true,
            "no-checks" => a.no_checks = true,
            "yes" => a.yes = true,
            "strict" => a.strict = true,
            "help" => a.help = true,
            "version" => a.version = true,
            other => return Err(Error::usage(format!("flag --{other} is not handled"))),
        }
    }
    a.command_given = command.is_some();
    a.command = command.unwrap_or(CommandName::Synth);
    if a.help || a.version {
        return Ok(a);
    }
    for f in seen {
        if !f.commands.is_empty() && !f.commands.contains(&a.command) {
            let with: Vec<&str> = f.commands.iter().map(|c| info(*c).word).collect();
            return Err(Error::usage(format!(
                "--{} goes with {}, not {}",
                f.long,
                with.join(" or "),
                info(a.command).word
            )));
        }
    }
    if !a.stacks.is_empty() && info(a.command).positional.is_empty() {
        return Err(Error::usage(format!(
            "unexpected argument `{}`: {} takes no stack names",
            a.stacks[0],
            info(a.command).word
        )));
    }
    Ok(a)
}

fn flag_line(f: &Flag) -> String {
    let short = f
        .short
        .map(|c| format!("-{c}, "))
        .unwrap_or_else(|| "    ".into());
    let value = f.value.map(|v| format!(" {v}")).unwrap_or_default();
    format!("  {short}--{}{value}", f.long)
}

fn flag_table(flags: &[&Flag]) -> String {
    let lines: Vec<(String, &str)> = flags.iter().map(|f| (flag_line(f), f.help)).collect();
    let width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    lines
        .iter()
        .map(|(l, h)| format!("{l:width$}  {h}\n"))
        .collect()
}

/// The help of the whole command line, or of one command.
pub fn help(command: Option<CommandName>) -> String {
    let version = env!("CARGO_PKG_VERSION");
    match command {
        None => {
            let mut s = format!(
                "formwork {version}: synthesize and deploy this app's CloudFormation stacks.\n\n\
                 Usage: cargo run [-p PACKAGE] -- [COMMAND] [OPTIONS]\n\nCommands:\n"
            );
            for c in COMMANDS {
                s.push_str(&format!("  {:<10} {}\n", c.word, c.about));
            }
            s.push_str("\nOptions (every command):\n");
            let global: Vec<&Flag> = FLAGS.iter().filter(|f| f.commands.is_empty()).collect();
            s.push_str(&flag_table(&global));
            s.push_str(
                "\nSee `cargo run -- COMMAND --help` for a command's options and examples.\n",
            );
            s
        }
        Some(name) => {
            let c = info(name);
            let mut s = format!(
                "{}\n\nUsage: cargo run -- {}{} [OPTIONS]\n\nOptions:\n",
                c.about,
                c.word,
                if c.positional.is_empty() {
                    String::new()
                } else {
                    format!(" {}", c.positional)
                }
            );
            let flags: Vec<&Flag> = FLAGS
                .iter()
                .filter(|f| f.commands.is_empty() || f.commands.contains(&name))
                .collect();
            s.push_str(&flag_table(&flags));
            s.push_str("\nExamples:\n");
            for (cmd, what) in c.examples {
                s.push_str(&format!("  {cmd}\n      {what}\n"));
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: &[&str]) -> Result<Args> {
        parse(v.iter().map(|x| x.to_string()))
    }

    #[test]
    fn parses_commands_and_options_in_both_spellings() {
        let a = p(&[
            "deploy",
            "--dry-run",
            "-c",
            "env=prod",
            "--out=o",
            "-pA=b",
            "--region",
            "r",
        ])
        .unwrap();
        assert_eq!(a.command, CommandName::Deploy);
        assert!(a.dry_run);
        assert_eq!(a.context, vec![("env".into(), "prod".into())]);
        assert_eq!(a.out, Some(PathBuf::from("o")));
        assert_eq!(a.parameters, vec![("A".into(), "b".into())]);
        assert_eq!(a.aws.region.as_deref(), Some("r"));
        assert_eq!(p(&[]).unwrap().command, CommandName::Synth);
        assert!(p(&["--help"]).unwrap().help);
        assert!(p(&["-V"]).unwrap().version);
        let h = p(&["help", "deploy"]).unwrap();
        assert!(h.help);
        assert_eq!(h.command, CommandName::Deploy);
        let b = p(&["-c", "env=dev", "deploy", "A", "B", "--exclusively"]).unwrap();
        assert_eq!(b.stacks, ["A", "B"]);
        assert!(b.exclusively);
        assert!(!b.no_checks);
        assert!(p(&["deploy", "--no-checks"]).unwrap().no_checks);
        assert!(p(&["synth", "--no-checks"]).is_err(), "deploy only");
    }

    #[test]
    fn refuses_bad_command_lines_with_suggestions() {
        let e = |v: &[&str]| p(v).unwrap_err().to_string();
        assert_eq!(
            e(&["deplyo"]),
            "unknown command `deplyo`; did you mean `deploy`?; the commands are synth, list, validate, diff, deploy, destroy, schema, cost, graph, check"
        );
        assert!(
            e(&["--dry-rn"]).contains("did you mean `--dry-run`?"),
            "{}",
            e(&["--dry-rn"])
        );
        assert!(e(&["-c", "novalue"]).contains("KEY=VALUE"));
        assert!(e(&["--out"]).contains("--out needs a value"));
        assert_eq!(
            e(&["synth", "--dry-run"]),
            "--dry-run goes with deploy, not synth"
        );
        assert!(e(&["list", "Api"]).contains("takes no stack names"));
        assert!(e(&["-x"]).contains("unknown flag `-x`"));
        assert!(e(&["--color", "blue"]).contains("auto, always or never"));
        assert!(e(&["--dry-run=yes", "deploy"]).contains("dry-run"));
    }

    #[test]
    fn every_command_has_help_with_examples_and_every_flag_is_listed() {
        for c in COMMANDS {
            let h = help(Some(c.name));
            assert!(h.contains("Examples:"), "{}", c.word);
            assert!(!c.examples.is_empty(), "{}", c.word);
            assert!(h.contains("--help"));
        }
        let all = help(None);
        for c in COMMANDS {
            assert!(all.contains(c.word));
        }
        for f in FLAGS {
            assert!(
                COMMANDS
                    .iter()
                    .any(|c| help(Some(c.name)).contains(&format!("--{}", f.long))),
                "{}",
                f.long
            );
        }
    }
}
