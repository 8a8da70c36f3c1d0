//! Where stacks deploy, and the context an app is built with.

use std::cell::RefCell;
use std::rc::Rc;

use indexmap::{IndexMap, IndexSet};

use crate::diag::{self, Diagnostic, Diagnostics, codes};
use crate::error::{Error, Result};

/// The account and region of a stack. `None` means environment-agnostic:
/// the template uses the `AWS::AccountId` / `AWS::Region` pseudo parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Environment {
    /// The 12-digit account id.
    pub account: Option<String>,
    /// The region name (`ap-northeast-1`).
    pub region: Option<String>,
}

impl Environment {
    /// An environment-agnostic stack.
    pub fn agnostic() -> Environment {
        Environment::default()
    }

    /// Sets the region.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets the account.
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.account = Some(account.into());
        self
    }

    /// Fills what is unset from the context: `FORMWORK_ACCOUNT`/`FORMWORK_REGION`,
    /// else `CDK_DEFAULT_ACCOUNT`/`CDK_DEFAULT_REGION`, else `AWS_REGION`.
    pub fn or_from(mut self, ctx: &Context) -> Self {
        if self.account.is_none() {
            self.account = ctx
                .env("FORMWORK_ACCOUNT")
                .or_else(|| ctx.env("CDK_DEFAULT_ACCOUNT"))
                .map(str::to_owned);
        }
        if self.region.is_none() {
            self.region = ctx
                .env("FORMWORK_REGION")
                .or_else(|| ctx.env("CDK_DEFAULT_REGION"))
                .or_else(|| ctx.env("AWS_REGION"))
                .map(str::to_owned);
        }
        self
    }

    /// True when both account and region are unset.
    pub fn is_agnostic(&self) -> bool {
        self.account.is_none() && self.region.is_none()
    }
}

/// The configuration schema an app's build recorded.
#[derive(Debug)]
enum ConfigSchema {
    /// The file's schema, as text.
    Text(String),
    /// The settings type's schema, to make the file's from when asked.
    #[cfg(feature = "config")]
    Settings(schemars::Schema),
}

/// What an app is built from besides its code: `-c key=value` values from
/// the command line and the process environment.
///
/// Tests build one by hand, so a template never depends on the machine:
///
/// ```
/// use formwork::Context;
/// let ctx = Context::new().with_env("SFAI_ENV", "prod").with_value("suffix", "a1b2");
/// assert_eq!(ctx.env("SFAI_ENV"), Some("prod"));
/// assert_eq!(ctx.value("suffix"), Some("a1b2"));
/// ```
///
/// An app says which `-c` keys it understands: reading a key with
/// [`value`](Context::value) (or [`value_or_env`](Context::value_or_env))
/// records it, and [`declare`](Context::declare) names a key read some other
/// way. After the app is built, [`check_keys`](Context::check_keys) turns
/// every given key that nobody read or declared into an error with a "did
/// you mean", so `-c evn=prod` is not silently ignored. Clones share the
/// record, so what a stack's constructs read counts too.
///
/// ```
/// use formwork::Context;
/// let ctx = Context::new().with_value("evn", "prod");
/// let env = ctx.value("env").unwrap_or("dev");
/// assert_eq!(env, "dev");
/// let err = ctx.check_keys().unwrap_err();
/// assert!(err.to_string().contains("did you mean `env`?"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Context {
    values: IndexMap<String, String>,
    /// Shared between the clones every stack keeps: the process has
    /// dozens of variables, and a context is cloned per stack.
    env: Rc<Vars>,
    known: Rc<RefCell<IndexSet<String>>>,
    schema: Rc<RefCell<Option<ConfigSchema>>>,
    project_dir: Option<std::path::PathBuf>,
}

/// Environment variables by name: a list, the last setting of a name
/// winning. A process has a few dozen and a synth looks up a handful:
/// hashing them all into a map cost more, in a debug build, than every
/// lookup a synth makes.
#[derive(Clone, Debug, Default)]
struct Vars(Vec<(String, String)>);

impl Vars {
    fn get(&self, key: &str) -> Option<&str> {
        let mut i = self.0.len();
        while i > 0 {
            i -= 1;
            let (k, v) = &self.0[i];
            if k.len() == key.len() && k == key {
                return Some(v);
            }
        }
        None
    }

    fn set(&mut self, key: String, value: String) {
        self.0.push((key, value));
    }
}

impl PartialEq for Vars {
    /// The same value for every name either sets.
    fn eq(&self, other: &Vars) -> bool {
        self.0.iter().all(|(k, _)| self.get(k) == other.get(k))
            && other.0.iter().all(|(k, _)| self.get(k) == other.get(k))
    }
}

impl PartialEq for Context {
    fn eq(&self, other: &Context) -> bool {
        self.values == other.values
            && self.env == other.env
            && self.project_dir == other.project_dir
    }
}

impl Eq for Context {}

impl Context {
    /// An empty context: no values, no environment variables.
    pub fn new() -> Context {
        Context::default()
    }

    /// The context of this process: its environment variables, no values.
    pub fn from_process() -> Context {
        // Looked up by name only, never listed: no order to keep. A
        // variable whose name or value is not UTF-8 cannot be one formwork
        // reads: left out (`std::env::vars` would panic on it).
        let mut env = Vars::default();
        for (k, v) in std::env::vars_os() {
            if let (Ok(k), Ok(v)) = (k.into_string(), v.into_string()) {
                env.set(k, v);
            }
        }
        let project_dir = ["FORMWORK_PROJECT_DIR", "CARGO_MANIFEST_DIR"]
            .iter()
            .find_map(|k| env.get(k).filter(|v| !v.is_empty()))
            .map(std::path::PathBuf::from);
        Context {
            values: IndexMap::new(),
            env: Rc::new(env),
            known: Rc::default(),
            schema: Rc::default(),
            project_dir,
        }
    }

    /// Adds a context value.
    pub fn with_value(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.values.insert(key.into(), value.into());
        self
    }

    /// Adds an environment variable.
    pub fn with_env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        Rc::make_mut(&mut self.env).set(key.into(), value.into());
        self
    }

    /// Sets the project folder, against which asset paths are resolved.
    pub fn with_project_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.project_dir = Some(dir.into());
        self
    }

    /// Sets the project folder when none is set: an example passes
    /// `env!("CARGO_MANIFEST_DIR")` so that its tests, which build a context
    /// by hand, find its asset folders.
    pub fn or_project_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        if self.project_dir.is_none() {
            self.project_dir = Some(dir.into());
        }
        self
    }

    /// The project folder when one was set or came from the process (not
    /// the current folder): where the configuration file is looked for.
    pub fn project_dir_if_set(&self) -> Option<&std::path::Path> {
        self.project_dir.as_deref()
    }

    /// The folder asset paths are relative to: the one set with
    /// [`with_project_dir`](Context::with_project_dir), else (for a context
    /// from the process) `FORMWORK_PROJECT_DIR`, else `CARGO_MANIFEST_DIR`
    /// (set by `cargo run` to the package's folder), else the current folder.
    pub fn project_dir(&self) -> std::path::PathBuf {
        match &self.project_dir {
            Some(d) => d.clone(),
            None => std::env::current_dir().unwrap_or_else(|_| ".".into()),
        }
    }

    /// A context value (`-c key=value`). Reading a key declares it.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.declare(key);
        self.values.get(key).map(String::as_str)
    }

    /// All context values (declares every given key: the caller sees them all).
    pub fn values(&self) -> &IndexMap<String, String> {
        for k in self.values.keys() {
            self.declare(k);
        }
        &self.values
    }

    /// The given context values without declaring them (for tools that
    /// pass them on, like a configuration loader that checks them itself).
    pub fn given_values(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Says the app understands `key` without reading it here.
    pub fn declare(&self, key: &str) -> &Self {
        let mut known = self.known.borrow_mut();
        if !known.contains(key) {
            known.insert(key.to_owned());
        }
        drop(known);
        self
    }

    /// Records the JSON Schema of the app's configuration file (the
    /// configuration loader does, before it reads the file).
    pub fn set_config_schema(&self, schema: String) {
        *self.schema.borrow_mut() = Some(ConfigSchema::Text(schema));
    }

    /// Records the JSON Schema of the app's settings type (what
    /// `schemars` gives); the file's schema is made from it only when
    /// [`Context::config_schema`] is asked.
    #[cfg(feature = "config")]
    pub(crate) fn set_settings_schema(&self, root: schemars::Schema) {
        *self.schema.borrow_mut() = Some(ConfigSchema::Settings(root));
    }

    /// The JSON Schema of the configuration file of the app built with
    /// this context, if it loads typed configuration.
    pub fn config_schema(&self) -> Option<String> {
        match &*self.schema.borrow() {
            Some(ConfigSchema::Text(s)) => Some(s.clone()),
            #[cfg(feature = "config")]
            Some(ConfigSchema::Settings(root)) => {
                // Serialized, for schemars' keyword order (`$schema`,
                // `title`, `description` first).
                let root = serde_json::to_value(root).unwrap_or_default();
                Some(crate::config::schema::file_schema_text(&root))
            }
            None => None,
        }
    }

    /// Builds an app to learn the JSON Schema of its configuration file
    /// (what the command line's `schema` prints). A build that fails
    /// after the configuration loader ran, even on a bad file, still
    /// gives the schema.
    pub fn config_schema_of<T>(&self, build: impl FnOnce(&Context) -> Result<T>) -> Result<String> {
        let built = build(self);
        match (self.config_schema(), built) {
            (Some(s), _) => Ok(s),
            (None, Err(e)) => Err(e),
            (None, Ok(_)) => Err(Error::Usage(
                "this app loads no typed configuration (formwork::config), so it has no schema"
                    .to_owned(),
            )),
        }
    }

    /// The keys read or declared so far, in the order first seen.
    pub fn declared_keys(&self) -> Vec<String> {
        self.known.borrow().iter().cloned().collect()
    }

    /// The given keys that nothing read or declared, each an error
    /// (`FW0601`) with the closest declared key as a suggestion.
    pub fn unknown_keys(&self) -> Vec<Diagnostic> {
        let known = self.known.borrow();
        self.values
            .keys()
            .filter(|k| !known.contains(k.as_str()))
            .map(|k| {
                let mut d = Diagnostic::error(
                    codes::UNKNOWN_CONTEXT_KEY,
                    format!("-c {k}"),
                    format!("unknown context key `{k}`"),
                );
                let fix = match diag::closest(k, known.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if known.is_empty() => "this app reads no context keys".to_owned(),
                    None => {
                        let all: Vec<&str> = known.iter().map(String::as_str).collect();
                        format!("this app reads: {}", all.join(", "))
                    }
                };
                d.fix = Some(fix);
                d
            })
            .collect()
    }

    /// Fails with every given key that nothing read or declared: call it
    /// after the app is built (the command line does).
    pub fn check_keys(&self) -> Result<()> {
        let unknown = self.unknown_keys();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(Diagnostics(unknown)))
        }
    }

    /// An environment variable (empty values count as unset).
    pub fn env(&self, key: &str) -> Option<&str> {
        self.env.get(key).filter(|v| !v.is_empty())
    }

    /// A context value, else an environment variable, else `default`
    /// (declares `key`).
    pub fn value_or_env(&self, key: &str, env_key: &str, default: &str) -> String {
        self.value(key)
            .or_else(|| self.env(env_key))
            .unwrap_or(default)
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The process's environment, read in a child process that has a
    /// variable whose value is not UTF-8 (`std::env::vars` panics on one).
    #[cfg(unix)]
    #[test]
    fn a_variable_that_is_not_utf8_is_left_out() {
        use std::os::unix::ffi::OsStrExt;
        let exe = std::env::current_exe().expect("the test binary");
        let out = std::process::Command::new(exe)
            .args(["--exact", "env::tests::from_process_in_a_child"])
            .args(["--ignored", "--test-threads=1"])
            .env("FW_TEST_BAD", std::ffi::OsStr::from_bytes(b"\xff\xfe"))
            .env("FW_TEST_GOOD", "yes")
            .output()
            .expect("the child runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("1 passed"), "{text}");
    }

    #[test]
    fn a_variable_set_again_takes_the_new_value_and_equality_ignores_order() {
        let a = Context::new()
            .with_env("A", "1")
            .with_env("B", "2")
            .with_env("A", "3");
        assert_eq!(a.env("A"), Some("3"));
        assert_eq!(a.env("B"), Some("2"));
        assert_eq!(a.env("C"), None);
        let b = Context::new().with_env("B", "2").with_env("A", "3");
        assert_eq!(a, b);
        assert_ne!(a, Context::new().with_env("A", "3"));
        assert_ne!(a, b.clone().with_env("C", "4"));
        assert_ne!(a, b.with_env("A", "1"));
    }

    #[test]
    #[ignore = "the child process of a_variable_that_is_not_utf8_is_left_out, which runs it"]
    fn from_process_in_a_child() {
        let ctx = Context::from_process();
        assert_eq!(ctx.env("FW_TEST_GOOD"), Some("yes"));
        assert_eq!(ctx.env("FW_TEST_BAD"), None);
    }

    #[test]
    fn code_wins_then_formwork_then_cdk_then_aws() {
        let ctx = Context::new()
            .with_env("CDK_DEFAULT_REGION", "eu-west-1")
            .with_env("AWS_REGION", "us-west-2")
            .with_env("CDK_DEFAULT_ACCOUNT", "111111111111");
        let e = Environment::agnostic().or_from(&ctx);
        assert_eq!(e.region.as_deref(), Some("eu-west-1"));
        assert_eq!(e.account.as_deref(), Some("111111111111"));
        let e = Environment::agnostic()
            .region("ap-northeast-1")
            .or_from(&ctx.clone().with_env("FORMWORK_ACCOUNT", "222222222222"));
        assert_eq!(e.region.as_deref(), Some("ap-northeast-1"));
        assert_eq!(e.account.as_deref(), Some("222222222222"));
        let e =
            Environment::agnostic().or_from(&Context::new().with_env("AWS_REGION", "us-west-2"));
        assert_eq!(e.region.as_deref(), Some("us-west-2"));
        assert!(
            Environment::agnostic()
                .or_from(&Context::new())
                .is_agnostic()
        );
    }

    #[test]
    fn unread_keys_are_errors_with_suggestions() {
        let ctx = Context::new()
            .with_value("evn", "prod")
            .with_value("sufix", "a")
            .with_value("x", "1")
            .with_value("later", "2");
        assert_eq!(ctx.value_or_env("env", "E", "dev"), "dev");
        let _ = ctx.clone().value("suffix");
        ctx.declare("later");
        let ds = ctx.unknown_keys();
        let fixes: Vec<(&str, &str)> = ds
            .iter()
            .map(|d| (d.path.as_str(), d.fix.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            fixes,
            [
                ("-c evn", "did you mean `env`?"),
                ("-c sufix", "did you mean `suffix`?"),
                ("-c x", "this app reads: env, suffix, later"),
            ]
        );
        assert!(ctx.check_keys().is_err());
        let quiet = Context::new().with_value("anything", "1");
        assert_eq!(
            quiet.unknown_keys()[0].fix.as_deref(),
            Some("this app reads no context keys")
        );
        let fine = Context::new().with_value("env", "prod");
        let _ = fine.values();
        assert!(fine.check_keys().is_ok());
    }

    #[test]
    fn empty_env_values_are_unset() {
        let ctx = Context::new().with_env("X", "");
        assert_eq!(ctx.env("X"), None);
        assert_eq!(ctx.value_or_env("k", "X", "d"), "d");
    }
}
