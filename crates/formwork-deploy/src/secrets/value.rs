//! Reading a secret's value from where the app says it comes from. Every
//! missing value is reported, none is ever printed.

use std::path::PathBuf;

use super::prompt::prompt;
use super::{Need, Owned, Seed, Source, Wanted, codes};
use crate::error::{Error, Result};

/// What values are read from.
pub(crate) struct Reader<'a> {
    /// An environment variable (the host's overrides, else the process's).
    pub var: &'a dyn Fn(&str) -> Option<String>,
    /// The folder relative files are in (the app's project folder).
    pub project_dir: PathBuf,
    /// Whether a prompt can be shown (stdin is a terminal).
    pub terminal: bool,
}

/// Why a source gave no value.
enum Missing {
    /// What is wrong, for the list of missing values.
    Because(String),
    /// Ctrl-C at the prompt.
    Interrupted,
}

impl From<String> for Missing {
    fn from(why: String) -> Missing {
        Missing::Because(why)
    }
}

/// Ctrl-C at a prompt: no more values are asked for.
struct Interrupted;

impl Reader<'_> {
    /// The value of `source`, or why there is none.
    fn read(&self, source: &Source, label: &str) -> std::result::Result<String, Missing> {
        match source {
            Source::Env(n) => match (self.var)(n) {
                Some(v) if !v.is_empty() => Ok(v),
                Some(_) => Err(format!("environment variable {n} is empty").into()),
                None => Err(format!("environment variable {n} is not set").into()),
            },
            Source::File(p) => {
                let path = self.project_dir.join(p);
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("file {} cannot be read: {e}", path.display()))?;
                let v = strip_newline(&text);
                if v.is_empty() {
                    Err(format!("file {} is empty", path.display()).into())
                } else {
                    Ok(v.to_owned())
                }
            }
            Source::Prompt => {
                if !self.terminal {
                    return Err(Missing::Because(
                        "it is asked on a terminal and there is none (CI, a pipe): give it \
                         from an environment variable or a file (SecretSource::env, SecretSource::file) \
                         where no one can type it"
                            .to_owned(),
                    ));
                }
                let v = prompt(label).map_err(|e| match e.kind() {
                    std::io::ErrorKind::Interrupted => Missing::Interrupted,
                    _ => Missing::Because(format!("the prompt failed: {e}")),
                })?;
                if v.is_empty() {
                    Err("the prompt was answered with nothing".to_owned().into())
                } else {
                    Ok(v)
                }
            }
        }
    }

    /// The value a secret gets: one value, or a JSON object of its fields;
    /// or what is missing.
    fn value(
        &self,
        secret: &Owned,
    ) -> std::result::Result<std::result::Result<String, Vec<String>>, Interrupted> {
        Ok(match &secret.wanted {
            Wanted::Whole(s) => match self.read(s, &secret.path) {
                Ok(v) => Ok(v),
                Err(Missing::Because(e)) => Err(vec![format!("{} (from {})", e, s.describe())]),
                Err(Missing::Interrupted) => return Err(Interrupted),
            },
            Wanted::Fields(fields) => {
                let mut object = serde_json::Map::new();
                let mut errors = Vec::new();
                for (key, s) in fields {
                    match self.read(s, &format!("{} {key}", secret.path)) {
                        Ok(v) => {
                            object.insert(key.clone(), serde_json::Value::String(v));
                        }
                        Err(Missing::Because(e)) => errors.push(format!("key {key}: {e}")),
                        Err(Missing::Interrupted) => return Err(Interrupted),
                    }
                }
                if errors.is_empty() {
                    Ok(serde_json::Value::Object(object).to_string())
                } else {
                    Err(errors)
                }
            }
        })
    }
}

/// One trailing line break (`\n` or `\r\n`) removed, as editors add one.
pub(super) fn strip_newline(text: &str) -> &str {
    text.strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .unwrap_or(text)
}

/// Reads the value of every secret that needs one; fails listing every
/// missing value, before anything is created, or at once when a prompt is
/// interrupted (Ctrl-C).
pub(crate) fn read_all(reader: &Reader<'_>, needed: Vec<(Owned, Need)>) -> Result<Vec<Seed>> {
    let mut seeds = Vec::new();
    let mut problems = Vec::new();
    for (secret, need) in needed {
        match reader.value(&secret) {
            Err(Interrupted) => {
                return Err(Error::failed(format!(
                    "the prompt for the value of secret {} was interrupted (Ctrl-C): nothing was created",
                    secret.path
                )));
            }
            Ok(Ok(value)) => seeds.push(Seed {
                secret,
                need,
                value,
            }),
            Ok(Err(errors)) => {
                let why = match need {
                    Need::NoStack => "its stack is not deployed yet",
                    Need::NotInStack => "the deployed stack does not hold it yet",
                    Need::Empty(_) => "it has no value yet",
                };
                for e in errors {
                    problems.push(format!(
                        "error[{}] {}: the secret needs its value ({why}), expected from {}: {e}",
                        codes::MISSING_VALUE,
                        secret.path,
                        secret.wanted.describe()
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(seeds)
    } else {
        Err(Error::failed(format!(
            "{}\nnothing was created: give the value(s) and deploy again",
            problems.join("\n")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(wanted: Wanted) -> Owned {
        Owned {
            stack: "S".into(),
            region: None,
            path: "S/Key".into(),
            logical_id: "Key".into(),
            name: None,
            wanted,
        }
    }

    #[test]
    fn values_from_env_and_files_and_every_missing_one_is_listed() {
        let dir =
            std::env::temp_dir().join(format!("formwork-secret-values-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("v.txt"), "from-file\r\n").unwrap();
        let var = |n: &str| (n == "SET").then(|| "from-env".to_owned());
        let reader = Reader {
            var: &var,
            project_dir: dir.clone(),
            terminal: false,
        };
        let seeds = read_all(
            &reader,
            vec![
                (
                    owned(Wanted::Whole(Source::Env("SET".into()))),
                    Need::NoStack,
                ),
                (
                    owned(Wanted::Fields(vec![
                        ("A".into(), Source::Env("SET".into())),
                        ("B".into(), Source::File("v.txt".into())),
                    ])),
                    Need::NoStack,
                ),
            ],
        )
        .unwrap();
        assert_eq!(seeds[0].value, "from-env");
        assert_eq!(seeds[1].value, r#"{"A":"from-env","B":"from-file"}"#);

        let e = read_all(
            &reader,
            vec![
                (
                    owned(Wanted::Whole(Source::Env("UNSET".into()))),
                    Need::NoStack,
                ),
                (
                    owned(Wanted::Whole(Source::File("none.txt".into()))),
                    Need::NotInStack,
                ),
                (
                    owned(Wanted::Whole(Source::Prompt)),
                    Need::Empty("arn".into()),
                ),
            ],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("error[FW0904] S/Key"), "{e}");
        assert!(e.contains("environment variable UNSET is not set"), "{e}");
        assert!(e.contains("none.txt cannot be read"), "{e}");
        assert!(e.contains("there is none (CI, a pipe)"), "{e}");
        assert!(e.contains("nothing was created"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn one_trailing_line_break_goes() {
        assert_eq!(strip_newline("a\n"), "a");
        assert_eq!(strip_newline("a\r\n"), "a");
        assert_eq!(strip_newline("a\n\n"), "a\n");
        assert_eq!(strip_newline("a"), "a");
    }
}
