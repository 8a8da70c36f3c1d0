//! Where a secret's value comes from at deploy time: an environment
//! variable, a file or a prompt. The deploy tool reads it only when the
//! secret has no value yet, and puts it with `put-secret-value` before
//! anything that reads the secret is created. Only where the value comes
//! from is recorded (in `manifest.json`), never the value.

use formwork_core::{Diagnostic, Scope};
use serde_json::{Value as Json, json};

use super::codes;

/// The manifest section the deploy tool reads (see
/// [`formwork_core::Stack::add_deploy_input`]).
pub const DEPLOY_INPUT: &str = "secrets";

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Env(String),
    File(String),
    Prompt,
}

/// Where `deploy` takes a secret's value from, the first time (later
/// deploys leave the value in place and do not need it).
///
/// ```
/// use formwork::secretsmanager::SecretSource;
/// let from_env = SecretSource::env("GEMINI_API_KEY");
/// let from_file = SecretSource::file("secrets/gemini.txt");
/// let asked = SecretSource::prompt();
/// # let _ = (from_env, from_file, asked);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SecretSource(Kind);

impl SecretSource {
    /// The value of the environment variable `name` when `deploy` runs
    /// (letters, digits and `_`, not starting with a digit).
    pub fn env(name: impl Into<String>) -> SecretSource {
        SecretSource(Kind::Env(name.into()))
    }

    /// The content of a file (a trailing newline is dropped). A relative
    /// path is relative to the project folder (the app's crate). Keep the
    /// file out of version control.
    pub fn file(path: impl Into<String>) -> SecretSource {
        SecretSource(Kind::File(path.into()))
    }

    /// Asked on the terminal when `deploy` runs, without echo. Without a
    /// terminal (CI), `deploy` refuses with an error naming the secret:
    /// use [`SecretSource::env`] there.
    pub fn prompt() -> SecretSource {
        SecretSource(Kind::Prompt)
    }

    /// How the manifest records it: `{"env": NAME}`, `{"file": PATH}` or
    /// `{"prompt": true}`.
    pub fn to_json(&self) -> Json {
        match &self.0 {
            Kind::Env(n) => json!({ "env": n }),
            Kind::File(p) => json!({ "file": p }),
            Kind::Prompt => json!({ "prompt": true }),
        }
    }

    /// Reports a name or path that cannot work.
    pub(super) fn validate(&self, node: &Scope, property: &str) {
        match &self.0 {
            Kind::Env(n) => {
                let ok = !n.is_empty()
                    && !n.starts_with(|c: char| c.is_ascii_digit())
                    && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if !ok {
                    node.report(
                        Diagnostic::error(
                            codes::VALUE_SOURCE,
                            node.path(),
                            format!(
                                "`{n}` is not an environment variable name; allowed: letters, \
                                 digits and `_`, not starting with a digit"
                            ),
                        )
                        .property(property),
                    );
                }
            }
            Kind::File(p) => {
                if p.trim().is_empty() {
                    node.error(
                        codes::VALUE_SOURCE,
                        property,
                        "the file a secret's value comes from is empty; name a file",
                    );
                }
            }
            Kind::Prompt => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_where_not_what() {
        assert_eq!(SecretSource::env("K").to_json(), json!({"env": "K"}));
        assert_eq!(SecretSource::file("a/b").to_json(), json!({"file": "a/b"}));
        assert_eq!(SecretSource::prompt().to_json(), json!({"prompt": true}));
    }
}
