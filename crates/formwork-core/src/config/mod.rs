//! Typed configuration: a user's settings struct loaded from `formwork.toml`
//! (or `formwork.json`) at the crate root, with a section per environment
//! and `-c key=value` overrides, checked against the struct's JSON Schema.
//!
//! The struct derives `serde::Deserialize` and `schemars::JsonSchema`; its
//! doc comments, `#[serde(default)]`s and `#[schemars(...)]` rules (patterns,
//! ranges, enums) are what the file is checked against:
//!
//! ```
//! use formwork::Context;
//! use formwork::config::Config;
//! use serde::Deserialize;
//! use schemars::JsonSchema;
//!
//! /// Settings of the app.
//! #[derive(Debug, Deserialize, JsonSchema)]
//! #[serde(deny_unknown_fields)]
//! struct Settings {
//!     /// The environment name (filled in by the loader).
//!     #[schemars(regex(pattern = r"^[a-z][a-z0-9-]*$"))]
//!     env: String,
//!     /// Memory of the function, in MB.
//!     #[serde(default = "default_memory")]
//!     #[schemars(range(min = 128, max = 10240))]
//!     memory_mb: u32,
//! }
//! fn default_memory() -> u32 { 512 }
//!
//! let ctx = Context::new().with_value("env", "prod").with_value("memory_mb", "1024");
//! let loaded = Config::new().load::<Settings>(&ctx)?;
//! assert_eq!(loaded.env, "prod");
//! assert_eq!(loaded.settings.memory_mb, 1024);
//!
//! let bad = Context::new().with_value("memory_mb", "64");
//! let err = Config::new().load::<Settings>(&bad).unwrap_err();
//! assert!(err.to_string().contains("64 is below the minimum 128"));
//! # Ok::<(), formwork::Error>(())
//! ```
//!
//! The file: top-level values apply to every environment, a `[env.<name>]`
//! table overrides them for one environment, and `-c key=value` (or
//! `-c a.b=value` for a nested field) overrides both:
//!
//! ```toml
//! memory_mb = 512
//!
//! [env.prod]
//! memory_mb = 2048
//! ```
//!
//! The environment is `-c env=<name>`, else the environment variable the
//! app names ([`Config::env_var`]), else [`Config::default_env`] (`dev`).
//! A field of the struct named `env` receives the environment name, so its
//! schema checks the name too.

mod file;
pub(crate) mod schema;
mod validate;

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde_core::de::DeserializeOwned;
use serde_json::{Map, Value as Json};

use crate::diag::{Diagnostic, Diagnostics, SourceLocation, codes};
use crate::env::Context;
use crate::error::{Error, Result};

pub use schema::schema;

use file::{ConfigFile, Origin};

/// How to find and read an app's configuration.
#[derive(Clone, Debug)]
pub struct Config {
    stem: String,
    root: Option<PathBuf>,
    env_var: Option<String>,
    default_env: String,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

/// A loaded configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded<T> {
    /// The environment it was loaded for.
    pub env: String,
    /// The settings.
    pub settings: T,
    /// The file read, if there was one.
    pub file: Option<PathBuf>,
}

impl Config {
    /// `formwork.toml` or `formwork.json` in the project folder (the
    /// context's project folder: `FORMWORK_PROJECT_DIR` or the crate root
    /// `CARGO_MANIFEST_DIR` that `cargo run` sets), with
    /// the environment `dev` unless one is given.
    pub fn new() -> Config {
        Config {
            stem: "formwork".to_owned(),
            root: None,
            env_var: None,
            default_env: "dev".to_owned(),
        }
    }

    /// Reads the file from this folder instead of the crate root.
    pub fn root(mut self, folder: impl Into<PathBuf>) -> Self {
        self.root = Some(folder.into());
        self
    }

    /// The environment variable that names the environment when `-c env`
    /// is not given (`SFAI_ENV`).
    pub fn env_var(mut self, name: impl Into<String>) -> Self {
        self.env_var = Some(name.into());
        self
    }

    /// The environment when none is given (default `dev`).
    pub fn default_env(mut self, name: impl Into<String>) -> Self {
        self.default_env = name.into();
        self
    }

    fn folder(&self, ctx: &Context) -> Option<PathBuf> {
        self.root
            .clone()
            .or_else(|| ctx.project_dir_if_set().map(Path::to_path_buf))
            .or_else(|| ctx.env("CARGO_MANIFEST_DIR").map(PathBuf::from))
    }

    /// The environment name the context selects.
    pub fn env_name(&self, ctx: &Context) -> String {
        ctx.value("env")
            .map(str::to_owned)
            .or_else(|| {
                self.env_var
                    .as_deref()
                    .and_then(|v| ctx.env(v))
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| self.default_env.clone())
    }

    /// Loads the settings for the context's environment: the file's
    /// top-level values, then its `[env.<name>]` section, then `-c`
    /// overrides; checks them against `T`'s JSON Schema (every problem is
    /// reported, each naming the file or `-c` key, the field and what is
    /// allowed) and deserializes them. Declares the settings' field names
    /// as context keys.
    pub fn load<T: DeserializeOwned + JsonSchema>(&self, ctx: &Context) -> Result<Loaded<T>> {
        // schemars' schema is a JSON value already: read as it is (the
        // checks look keywords up by name), and serialized in schemars'
        // keyword order only if `schema` prints it.
        let root_schema = schemars::schema_for!(T);
        let merged = self.merged(ctx, root_schema.as_value());
        ctx.set_settings_schema(root_schema);
        let (env, merged, file) = merged?;
        match serde_json::from_value::<T>(merged) {
            Ok(settings) => Ok(Loaded {
                env,
                settings,
                file: file.map(|f| f.path),
            }),
            Err(e) => Err(Error::Invalid(Diagnostics(vec![Diagnostic::error(
                codes::CONFIG_VALUE,
                file.as_ref()
                    .map_or("configuration".to_owned(), |f| f.display()),
                e.to_string(),
            )]))),
        }
    }

    /// The settings of the environment as one JSON object checked against
    /// `root_schema` (with the environment's name and the file they came
    /// from), or every problem found: what [`Config::load`] deserializes.
    /// Not generic, so that each settings type adds only its own
    /// deserialization to a build.
    fn merged(
        &self,
        ctx: &Context,
        root_schema: &Json,
    ) -> Result<(String, Json, Option<ConfigFile>)> {
        let props = schema::property_names(root_schema);
        for p in &props {
            ctx.declare(p);
        }
        let env = self.env_name(ctx);
        let mut diags = Vec::new();
        let file = match self.folder(ctx) {
            Some(dir) => ConfigFile::find(&dir, &self.stem, &mut diags),
            None => None,
        };
        let mut merged = Map::new();
        let mut origins: Vec<(String, Origin)> = Vec::new();
        if props.iter().any(|p| p == "env") {
            merged.insert("env".to_owned(), Json::String(env.clone()));
            origins.push(("env".to_owned(), Origin::EnvName));
        }
        if let Some(f) = &file {
            f.merge_into(&env, &mut merged, &mut origins, &mut diags);
        }
        for (key, raw) in ctx.given_values() {
            if key == "env" {
                continue;
            }
            let first = key.split('.').next().unwrap_or_default();
            if !props.iter().any(|p| p == first) {
                continue; // left for the context's unknown-key check
            }
            ctx.declare(key);
            let value = schema::coerce(root_schema, key, raw);
            file::set_path(&mut merged, key, value);
            origins.push((key.to_owned(), Origin::Flag(key.to_owned())));
        }
        let merged = Json::Object(merged);
        for problem in validate::check(root_schema, &merged, false) {
            diags.push(problem.into_diagnostic(&origins, file.as_ref()));
        }
        // The other environments' sections are checked too: a typo in
        // [env.prod] must not wait for the first prod deploy.
        if let Some(f) = &file {
            for (name, section) in f.sections().into_iter().filter(|(n, _)| *n != env) {
                let origin = |k: &str| Origin::File {
                    section: Some(name.clone()),
                    key: k.to_owned(),
                };
                let mut section = section;
                if props.iter().any(|p| p == "env") {
                    if let Json::Object(m) = &mut section {
                        m.insert("env".to_owned(), Json::String(name.clone()));
                    }
                }
                let keys: Vec<(String, Origin)> = section
                    .as_object()
                    .map(|m| m.keys().map(|k| (k.clone(), origin(k))).collect())
                    .unwrap_or_default();
                for problem in validate::check(root_schema, &section, true) {
                    diags.push(problem.into_diagnostic(&keys, Some(f)));
                }
            }
        }
        if diags.is_empty() {
            Ok((env, merged, file))
        } else {
            Err(Error::Invalid(Diagnostics(diags)))
        }
    }
}

fn location(path: &Path, line: u32) -> SourceLocation {
    SourceLocation::new(path.to_string_lossy(), line, 1)
}

#[cfg(test)]
mod tests;
