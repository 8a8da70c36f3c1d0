//! The one place that runs the AWS CLI.
//!
//! Every call gets `--output json` and the `--profile`, `--region` and
//! `--endpoint-url` of the command line; a stack's own region wins over
//! `--region`. The program is `aws` on the `PATH`, or `FORMWORK_AWS` when
//! set (tests point it at the AWS CLI of a virtual environment).

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value as Json;

use crate::args::AwsOptions;
use crate::error::Error;

/// How to run the AWS CLI.
#[derive(Clone, Debug)]
pub struct Aws {
    /// The program.
    pub program: PathBuf,
    /// Passed through to every call.
    pub options: AwsOptions,
    /// Extra environment variables for every call.
    pub env: Vec<(String, String)>,
}

/// A failed AWS CLI call: its command line and what it printed.
#[derive(Clone, Debug)]
pub struct AwsError {
    /// The command line, paste-able.
    pub command: String,
    /// Its standard error (or why it could not start).
    pub stderr: String,
}

impl std::fmt::Display for AwsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` failed: {}", self.command, self.stderr.trim())
    }
}

impl From<AwsError> for Error {
    fn from(e: AwsError) -> Error {
        Error::Failed(e.to_string())
    }
}

/// Quotes one word for a POSIX shell when it needs it.
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@+%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

impl Aws {
    /// The AWS CLI with the command line's options.
    pub fn new(options: AwsOptions) -> Aws {
        let program = std::env::var_os("FORMWORK_AWS")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("aws"));
        Aws {
            program,
            options,
            env: Vec::new(),
        }
    }

    /// The full argument list of a call: `args`, then the passed-through
    /// options. `region` (a stack's) wins over `--region`.
    pub fn args(&self, args: &[String], region: Option<&str>) -> Vec<String> {
        let mut a = args.to_vec();
        if let Some(p) = &self.options.profile {
            a.extend(["--profile".into(), p.clone()]);
        }
        if let Some(r) = region.or(self.options.region.as_deref()) {
            a.extend(["--region".into(), r.to_owned()]);
        }
        if let Some(e) = &self.options.endpoint_url {
            a.extend(["--endpoint-url".into(), e.clone()]);
        }
        a
    }

    /// The call as a line to paste into a shell.
    ///
    /// ```
    /// use formwork::cli::aws::Aws;
    /// let aws = Aws::new(Default::default());
    /// let line = aws.command_line(&["s3".into(), "ls".into(), "a b".into()], Some("eu-west-1"));
    /// assert!(line.ends_with("s3 ls 'a b' --region eu-west-1"));
    /// ```
    pub fn command_line(&self, args: &[String], region: Option<&str>) -> String {
        std::iter::once(self.program.to_string_lossy().into_owned())
            .chain(self.args(args, region))
            .map(|w| shell_quote(&w))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The region a call without a stack region goes to, when this process
    /// can tell without asking the CLI: `--region`, else `AWS_REGION` or
    /// `AWS_DEFAULT_REGION` of the calls' environment, else of this
    /// process's.
    pub fn known_region(&self) -> Option<String> {
        let given = |name: &str| {
            self.env
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .or_else(|| std::env::var(name).ok())
                .filter(|r| !r.is_empty())
        };
        self.options
            .region
            .clone()
            .filter(|r| !r.is_empty())
            .or_else(|| given("AWS_REGION"))
            .or_else(|| given("AWS_DEFAULT_REGION"))
    }

    /// The region a call without a stack region goes to: [`Aws::known_region`],
    /// else the profile's (`aws configure get region`); `None` when none is
    /// set anywhere.
    pub fn default_region(&self) -> Option<String> {
        self.known_region().or_else(|| {
            self.run(&crate::aws::words(&["configure", "get", "region"]), None)
                .ok()
                .map(|s| s.trim().to_owned())
                .filter(|r| !r.is_empty())
        })
    }

    /// Runs a call; its standard output on success.
    pub fn run(
        &self,
        args: &[String],
        region: Option<&str>,
    ) -> std::result::Result<String, AwsError> {
        let full = self.args(args, region);
        let mut cmd = Command::new(&self.program);
        cmd.args(&full).args(["--output", "json"]);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let command = self.command_line(args, region);
        let out = cmd.output().map_err(|e| AwsError {
            command: command.clone(),
            stderr: format!(
                "cannot run the AWS CLI (`{}`): {e}; install it (https://aws.amazon.com/cli/) or set FORMWORK_AWS",
                self.program.display()
            ),
        })?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(AwsError {
                command,
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            })
        }
    }

    /// Runs a call and parses its JSON answer (`null` for an empty one).
    pub fn json(
        &self,
        args: &[String],
        region: Option<&str>,
    ) -> std::result::Result<Json, AwsError> {
        let text = self.run(args, region)?;
        if text.trim().is_empty() {
            return Ok(Json::Null);
        }
        serde_json::from_str(&text).map_err(|e| AwsError {
            command: self.command_line(args, region),
            stderr: format!("answered with something that is not JSON ({e}): {text}"),
        })
    }
}

/// Words from string slices.
pub fn words(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_known_region_is_the_flag_then_the_calls_environment() {
        let mut aws = Aws::new(AwsOptions {
            profile: None,
            region: None,
            endpoint_url: None,
        });
        aws.env = vec![
            ("AWS_DEFAULT_REGION".into(), "eu-central-1".into()),
            ("AWS_REGION".into(), "eu-west-1".into()),
        ];
        // AWS_REGION before AWS_DEFAULT_REGION, as the CLI reads them.
        assert_eq!(aws.known_region().as_deref(), Some("eu-west-1"));
        aws.env.push(("AWS_REGION".into(), "eu-west-3".into()));
        assert_eq!(
            aws.known_region().as_deref(),
            Some("eu-west-3"),
            "the last set wins"
        );
        aws.options.region = Some("us-east-2".into());
        assert_eq!(aws.known_region().as_deref(), Some("us-east-2"));
    }

    #[test]
    fn passes_options_through_and_the_stack_region_wins() {
        let aws = Aws::new(AwsOptions {
            profile: Some("dev".into()),
            region: Some("us-east-1".into()),
            endpoint_url: Some("http://127.0.0.1:5000".into()),
        });
        let a = aws.args(&words(&["sts", "get-caller-identity"]), Some("eu-west-1"));
        assert_eq!(
            a,
            words(&[
                "sts",
                "get-caller-identity",
                "--profile",
                "dev",
                "--region",
                "eu-west-1",
                "--endpoint-url",
                "http://127.0.0.1:5000"
            ])
        );
        assert!(aws.args(&[], None).contains(&"us-east-1".to_owned()));
    }

    #[test]
    fn quotes_what_a_shell_would_split() {
        assert_eq!(shell_quote("plain-word_1.json"), "plain-word_1.json");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn a_missing_program_is_a_clear_error() {
        let mut aws = Aws::new(AwsOptions::default());
        aws.program = PathBuf::from("/nonexistent/aws");
        let e = aws.run(&words(&["--version"]), None).unwrap_err();
        assert!(e.stderr.contains("cannot run the AWS CLI"), "{e}");
    }
}
