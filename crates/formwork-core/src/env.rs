//! Where stacks deploy, and the context an app is built with.

use indexmap::IndexMap;

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

/// What an app is built from besides its code: `-c key=value` values from
/// the command line and the process environment.
///
/// Tests build one by hand, so a template never depends on the machine:
///
/// ```
/// use formwork_core::Context;
/// let ctx = Context::new().with_env("SFAI_ENV", "prod").with_value("suffix", "a1b2");
/// assert_eq!(ctx.env("SFAI_ENV"), Some("prod"));
/// assert_eq!(ctx.value("suffix"), Some("a1b2"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    values: IndexMap<String, String>,
    env: IndexMap<String, String>,
    project_dir: Option<std::path::PathBuf>,
}

impl Context {
    /// An empty context: no values, no environment variables.
    pub fn new() -> Context {
        Context::default()
    }

    /// The context of this process: its environment variables, no values.
    pub fn from_process() -> Context {
        let mut env: IndexMap<String, String> = std::env::vars().collect();
        env.sort_keys();
        let project_dir = ["FORMWORK_PROJECT_DIR", "CARGO_MANIFEST_DIR"]
            .iter()
            .find_map(|k| env.get(*k).filter(|v| !v.is_empty()))
            .map(std::path::PathBuf::from);
        Context {
            values: IndexMap::new(),
            env,
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
        self.env.insert(key.into(), value.into());
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

    /// A context value (`-c key=value`).
    pub fn value(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// All context values.
    pub fn values(&self) -> &IndexMap<String, String> {
        &self.values
    }

    /// An environment variable (empty values count as unset).
    pub fn env(&self, key: &str) -> Option<&str> {
        self.env
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// A context value, else an environment variable, else `default`.
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
    fn empty_env_values_are_unset() {
        let ctx = Context::new().with_env("X", "");
        assert_eq!(ctx.env("X"), None);
        assert_eq!(ctx.value_or_env("k", "X", "d"), "d");
    }
}
