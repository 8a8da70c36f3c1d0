//! Secret values at deploy time: where they come from (`deploy.secrets` in
//! the manifest, written by `formwork_l2::secretsmanager`), whether a
//! secret still needs one, and putting it before anything reads it.
//!
//! A secret needs a value when its stack does not exist yet, when the
//! stack does not hold it yet, or when it exists without a current version.
//! Those values are read (environment variable, file, prompt) after the
//! prerequisites and **before anything is created**: one missing value
//! stops the deploy with every missing value listed. For each stack with
//! such secrets the plan gets a step before the stack's deploy: it creates
//! the secrets alone (a template with only them and what they reference, or
//! the deployed template plus them), puts each value with `aws
//! secretsmanager put-secret-value --secret-string file://…` (a file only
//! the user can read, removed right after), and only then does the stack
//! deploy create what reads them. A secret that has a value is never
//! written again.
//!
//! Values never reach a template, the output folder, a command line or a
//! log line; dry runs print a placeholder.

mod prompt;
mod seed;
mod value;

use serde_json::Value as Json;

use formwork_core::Assembly;

use crate::aws::{Aws, AwsError, words};
use crate::deployed;
use crate::error::{Error, Result};

pub(crate) use seed::run_step;
pub(crate) use value::{Reader, read_all};

/// The manifest section (see `formwork_l2::secretsmanager::DEPLOY_INPUT`).
const SECTION: &str = "secrets";

/// Diagnostic codes of secret values at deploy time.
pub mod codes {
    /// A secret that needs a value and whose source has none (unset
    /// environment variable, missing or empty file, no terminal to prompt).
    pub const MISSING_VALUE: &str = "FW0904";
    /// An adopted secret that does not exist or has no value.
    pub const ADOPTED: &str = "FW0905";
    /// The manifest's record of a secret cannot be read.
    pub const RECORD: &str = "FW0906";
    /// Creating a secret or putting its value failed.
    pub const SEED: &str = "FW0907";
}

/// Where a value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// An environment variable.
    Env(String),
    /// A file, relative to the project folder.
    File(String),
    /// The terminal.
    Prompt,
}

impl Source {
    fn parse(j: &Json) -> Option<Source> {
        if let Some(n) = j.get("env").and_then(Json::as_str) {
            return Some(Source::Env(n.to_owned()));
        }
        if let Some(p) = j.get("file").and_then(Json::as_str) {
            return Some(Source::File(p.to_owned()));
        }
        if j.get("prompt").and_then(Json::as_bool) == Some(true) {
            return Some(Source::Prompt);
        }
        None
    }

    /// `environment variable X`, `file Y`, `a prompt`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Source::Env(n) => format!("environment variable {n}"),
            Source::File(p) => format!("file {p}"),
            Source::Prompt => "a prompt on the terminal".to_owned(),
        }
    }
}

/// The whole value, or a JSON object with one source per key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Wanted {
    /// One value.
    Whole(Source),
    /// `{"KEY": value, ...}`.
    Fields(Vec<(String, Source)>),
}

impl Wanted {
    /// Where the value comes from, in words.
    pub(crate) fn describe(&self) -> String {
        match self {
            Wanted::Whole(s) => s.describe(),
            Wanted::Fields(f) => {
                let parts: Vec<String> = f
                    .iter()
                    .map(|(k, s)| format!("{k} from {}", s.describe()))
                    .collect();
                format!("JSON of {}", parts.join(", "))
            }
        }
    }
}

/// A secret the app creates and `deploy` fills.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Owned {
    /// Its stack.
    pub stack: String,
    /// The stack's region.
    pub region: Option<String>,
    /// Its construct path.
    pub path: String,
    /// Its logical id in the stack's template.
    pub logical_id: String,
    /// Its name, when literal.
    pub name: Option<String>,
    /// Where its value comes from.
    pub wanted: Wanted,
}

/// An existing secret the app adopts by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Adopted {
    /// The stack that adopts it.
    pub stack: String,
    /// The stack's region.
    pub region: Option<String>,
    /// Its construct path.
    pub path: String,
    /// Its name.
    pub name: String,
}

/// Every secret of the selected stacks with a deploy-time source or
/// adopted by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Inputs {
    pub owned: Vec<Owned>,
    pub adopted: Vec<Adopted>,
}

/// The logical id of the resource made at construct `path` (its
/// `formwork:path` metadata), so that an overridden id is followed.
fn logical_id_at(template: &Json, path: &str) -> Option<String> {
    template
        .get("Resources")
        .and_then(Json::as_object)?
        .iter()
        .find(|(_, r)| {
            r.pointer(&format!(
                "/Metadata/{}",
                formwork_core::synth::PATH_METADATA
            ))
            .and_then(Json::as_str)
                == Some(path)
        })
        .map(|(id, _)| id.clone())
}

/// Reads the manifest records of the `selected` stacks.
pub(crate) fn collect(asm: &Assembly, selected: &[String]) -> Result<Inputs> {
    let mut inputs = Inputs::default();
    for st in asm.stacks.iter().filter(|s| selected.contains(&s.name)) {
        let Some(entries) = st.deploy_inputs.get(SECTION) else {
            continue;
        };
        let template: Json = serde_json::from_str(&st.template).unwrap_or(Json::Null);
        for e in entries {
            let bad = || {
                Error::failed(format!(
                    "error[{}] {}: the manifest's record of a secret cannot be read: {e}",
                    codes::RECORD,
                    st.name
                ))
            };
            let path = e.get("path").and_then(Json::as_str).ok_or_else(bad)?;
            if let Some(name) = e.get("adopt").and_then(Json::as_str) {
                inputs.adopted.push(Adopted {
                    stack: st.name.clone(),
                    region: st.env.region.clone(),
                    path: path.to_owned(),
                    name: name.to_owned(),
                });
                continue;
            }
            let wanted = if let Some(v) = e.get("value") {
                Wanted::Whole(Source::parse(v).ok_or_else(bad)?)
            } else if let Some(f) = e.get("fields").and_then(Json::as_object) {
                let mut fields = Vec::new();
                for (k, v) in f {
                    fields.push((k.clone(), Source::parse(v).ok_or_else(bad)?));
                }
                Wanted::Fields(fields)
            } else {
                return Err(bad());
            };
            let logical_id = logical_id_at(&template, path)
                .or_else(|| e.get("logicalId").and_then(Json::as_str).map(str::to_owned))
                .ok_or_else(bad)?;
            inputs.owned.push(Owned {
                stack: st.name.clone(),
                region: st.env.region.clone(),
                path: path.to_owned(),
                logical_id,
                name: e.get("name").and_then(Json::as_str).map(str::to_owned),
                wanted,
            });
        }
    }
    Ok(inputs)
}

/// Why a secret needs its value now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Need {
    /// Its stack does not exist yet.
    NoStack,
    /// The stack exists without the secret.
    NotInStack,
    /// The secret exists without a current value (ARN).
    Empty(String),
}

/// `describe-secret` of `secret_id`; `None` when there is no such secret.
fn describe_secret(
    aws: &Aws,
    secret_id: &str,
    region: Option<&str>,
) -> std::result::Result<Option<Json>, AwsError> {
    match aws.json(
        &words(&[
            "secretsmanager",
            "describe-secret",
            "--secret-id",
            secret_id,
        ]),
        region,
    ) {
        Ok(j) => Ok(Some(j)),
        Err(e) if e.stderr.contains("ResourceNotFound") => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether a described secret has a current value.
fn current_value(j: &Json) -> bool {
    j.get("VersionIdsToStages")
        .and_then(Json::as_object)
        .is_some_and(|m| {
            m.values().any(|stages| {
                stages
                    .as_array()
                    .is_some_and(|s| s.iter().any(|s| s == "AWSCURRENT"))
            })
        })
}

/// Whether a described secret was made by CloudFormation for this stack
/// and logical id: the `aws:cloudformation:*` tags, which only
/// CloudFormation can write.
fn made_for(j: &Json, stack: &str, logical_id: &str) -> bool {
    let tag = |key: &str| {
        j.get("Tags")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .find(|t| t["Key"] == key)
            .and_then(|t| t["Value"].as_str())
            .map(str::to_owned)
    };
    tag("aws:cloudformation:stack-name").as_deref() == Some(stack)
        && tag("aws:cloudformation:logical-id").as_deref() == Some(logical_id)
}

/// True when the secret has a current value (a version staged
/// `AWSCURRENT`, from `describe-secret`); `None` when there is no such
/// secret.
pub(crate) fn has_value(
    aws: &Aws,
    secret_id: &str,
    region: Option<&str>,
) -> std::result::Result<Option<bool>, AwsError> {
    Ok(describe_secret(aws, secret_id, region)?.map(|j| current_value(&j)))
}

/// Whether `secret` needs its value on this deploy.
pub(crate) fn need(aws: &Aws, secret: &Owned) -> Result<Option<Need>> {
    let region = secret.region.as_deref();
    let stack = deployed::describe(aws, &secret.stack, region)?;
    if stack.is_none_or(|i| i.never_created()) {
        return Ok(Some(Need::NoStack));
    }
    let Some(arn) = deployed::physical_id(aws, &secret.stack, &secret.logical_id, region)? else {
        // The stack does not list the secret (yet): a secret of its name
        // counts only when CloudFormation made it for this stack and
        // logical id (its `aws:cloudformation:*` tags, which nobody else
        // can write). A secret someone else owns is never written.
        if let Some(name) = &secret.name {
            if let Some(j) = describe_secret(aws, name, region)? {
                if made_for(&j, &secret.stack, &secret.logical_id) {
                    return Ok((!current_value(&j)).then(|| Need::Empty(name.clone())));
                }
            }
        }
        return Ok(Some(Need::NotInStack));
    };
    Ok(match has_value(aws, &arn, region)? {
        Some(true) => None,
        _ => Some(Need::Empty(arn)),
    })
}

/// Checks that every adopted secret exists and has a value; every problem
/// in one error.
pub(crate) fn check_adopted(aws: &Aws, adopted: &[Adopted]) -> Result<()> {
    let mut problems = Vec::new();
    for a in adopted {
        let how = format!(
            "create it first: aws secretsmanager create-secret --name {} --secret-string file://VALUE_FILE",
            a.name
        );
        match has_value(aws, &a.name, a.region.as_deref())? {
            Some(true) => {}
            Some(false) => problems.push(format!(
                "error[{}] {}: the adopted secret `{}` has no value; put one: \
                 aws secretsmanager put-secret-value --secret-id {} --secret-string file://VALUE_FILE",
                codes::ADOPTED,
                a.path,
                a.name,
                a.name
            )),
            None => problems.push(format!(
                "error[{}] {}: the adopted secret `{}` does not exist; {how}",
                codes::ADOPTED,
                a.path,
                a.name
            )),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::failed(format!(
            "{}\nnothing was created",
            problems.join("\n")
        )))
    }
}

/// A secret that needs its value, with the value read.
#[derive(Clone)]
pub(crate) struct Seed {
    pub secret: Owned,
    pub need: Need,
    /// The value (never printed: `Debug` leaves it out).
    pub value: String,
}

impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seed")
            .field("secret", &self.secret)
            .field("need", &self.need)
            .field("value", &"<hidden>")
            .finish()
    }
}

/// The `--secret-id` of a secret: its name when literal, else its ARN
/// (known once the stack holds it).
fn secret_id_words(secret: &Owned) -> String {
    secret
        .name
        .clone()
        .unwrap_or_else(|| format!("<ARN of {}>", secret.path))
}

/// The dry-run lines of the secrets step of `stack`: a placeholder stands
/// for each value.
pub(crate) fn dry_run_lines(aws: &Aws, inputs: &Inputs, stack: &str) -> Vec<String> {
    let mine: Vec<&Owned> = inputs.owned.iter().filter(|o| o.stack == stack).collect();
    let Some(first) = mine.first() else {
        return Vec::new();
    };
    let mut lines = vec![format!(
        "# {stack}: on its first deploy (or while a secret has no value), the secrets are \
         created first, then their values are put, then the stack is deployed:"
    )];
    for o in &mine {
        let placeholder = format!("file://<{}>", o.wanted.describe());
        lines.push(aws.command_line(
            &words(&[
                "secretsmanager",
                "put-secret-value",
                "--secret-id",
                &secret_id_words(o),
                "--secret-string",
                &placeholder,
            ]),
            first.region.as_deref(),
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn asm() -> Assembly {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        // CloudFormation refuses a stack without resources.
        s.add("Thing", formwork_core::testing::CfnThing::new())
            .unwrap();
        s.add_deploy_input(
            SECTION,
            json!({"path": "S/Key", "logicalId": "Key", "name": "app/key", "value": {"env": "APP_KEY"}}),
        );
        s.add_deploy_input(
            SECTION,
            json!({"path": "S/Json", "logicalId": "Json", "fields": {"A": {"file": "a.txt"}, "B": {"prompt": true}}}),
        );
        s.add_deploy_input(SECTION, json!({"path": "S/Old", "adopt": "team/old"}));
        app.stack("Other")
            .unwrap()
            .add("Thing", formwork_core::testing::CfnThing::new())
            .unwrap();
        app.synth().unwrap()
    }

    #[test]
    fn reads_the_manifest_records() {
        let a = asm();
        let i = collect(&a, &["S".to_owned()]).unwrap();
        assert_eq!(i.owned.len(), 2);
        assert_eq!(
            i.owned[0].wanted,
            Wanted::Whole(Source::Env("APP_KEY".into()))
        );
        assert_eq!(i.owned[0].name.as_deref(), Some("app/key"));
        assert_eq!(
            i.owned[1].wanted,
            Wanted::Fields(vec![
                ("A".into(), Source::File("a.txt".into())),
                ("B".into(), Source::Prompt)
            ])
        );
        assert_eq!(i.adopted[0].name, "team/old");
        assert_eq!(
            collect(&a, &["Other".to_owned()]).unwrap(),
            Inputs::default()
        );
    }

    #[test]
    fn a_dry_run_shows_where_values_come_from_not_what_they_are() {
        let a = asm();
        let i = collect(&a, &["S".to_owned()]).unwrap();
        let aws = Aws::new(Default::default());
        let lines = dry_run_lines(&aws, &i, "S").join("\n");
        assert!(
            lines.contains("put-secret-value --secret-id app/key --secret-string 'file://<environment variable APP_KEY>'"),
            "{lines}"
        );
        assert!(
            lines.contains("'file://<JSON of A from file a.txt, B from a prompt on the terminal>'"),
            "{lines}"
        );
        assert!(lines.contains("--secret-id '<ARN of S/Json>'"), "{lines}");
        assert!(dry_run_lines(&aws, &i, "Other").is_empty());
    }

    #[test]
    fn a_seed_never_shows_its_value() {
        let s = Seed {
            secret: collect(&asm(), &["S".to_owned()]).unwrap().owned[0].clone(),
            need: Need::NoStack,
            value: "hunter2".into(),
        };
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
