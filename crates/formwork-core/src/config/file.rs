//! The configuration file: finding it, parsing it, merging its sections,
//! and finding the line a field is on.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};

use super::location;
use crate::diag::{Diagnostic, SourceLocation, codes};

/// Where a value of the merged settings came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The file: top level (`None`) or an `[env.<name>]` section.
    File {
        section: Option<String>,
        key: String,
    },
    /// A `-c key=value` override.
    Flag(String),
    /// The environment name the loader fills in.
    EnvName,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Toml,
    Json,
}

/// A parsed configuration file.
#[derive(Clone, Debug)]
pub(crate) struct ConfigFile {
    pub(crate) path: PathBuf,
    name: String,
    text: String,
    kind: Kind,
    value: Map<String, Json>,
}

impl ConfigFile {
    /// Reads `<stem>.toml` or `<stem>.json` in `dir`; `None` when neither
    /// exists or it cannot be read (the problem is in `diags`).
    pub(crate) fn find(dir: &Path, stem: &str, diags: &mut Vec<Diagnostic>) -> Option<ConfigFile> {
        let toml = dir.join(format!("{stem}.toml"));
        let json = dir.join(format!("{stem}.json"));
        let (path, kind) = match (toml.is_file(), json.is_file()) {
            (false, false) => return None,
            (true, true) => {
                diags.push(
                    Diagnostic::error(
                        codes::CONFIG_FILE,
                        format!("{stem}.toml"),
                        format!("both {stem}.toml and {stem}.json exist"),
                    )
                    .fix("keep one of them"),
                );
                return None;
            }
            (true, false) => (toml, Kind::Toml),
            (false, true) => (json, Kind::Json),
        };
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                diags.push(Diagnostic::error(
                    codes::CONFIG_FILE,
                    name,
                    format!("cannot read {}: {e}", path.display()),
                ));
                return None;
            }
        };
        let parsed: Result<Json, String> = match kind {
            Kind::Toml => basic_toml::from_str(&text).map_err(|e| e.to_string()),
            Kind::Json => serde_json::from_str(&text).map_err(|e| e.to_string()),
        };
        let value = match parsed {
            Ok(Json::Object(m)) => m,
            Ok(other) => {
                diags.push(Diagnostic::error(
                    codes::CONFIG_FILE,
                    name,
                    format!("expected a table of settings, found {}", kind_of(&other)),
                ));
                return None;
            }
            Err(e) => {
                diags.push(
                    Diagnostic::error(codes::CONFIG_FILE, name, format!("cannot parse: {e}"))
                        .at(location(&path, 1)),
                );
                return None;
            }
        };
        Some(ConfigFile {
            path,
            name,
            text,
            kind,
            value,
        })
    }

    /// The file name as diagnostics show it (`formwork.toml`).
    pub(crate) fn display(&self) -> String {
        self.name.clone()
    }

    /// The file's sections for `env`, merged into `merged`: top level first,
    /// then `[env.<env>]`. Every environment section is checked later; here
    /// only its shape.
    pub(crate) fn merge_into(
        &self,
        env: &str,
        merged: &mut Map<String, Json>,
        origins: &mut Vec<(String, Origin)>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let mut base = self.value.clone();
        let sections = base.remove("env");
        merge(
            merged,
            &base,
            "",
            &mut |k| Origin::File {
                section: None,
                key: k.to_owned(),
            },
            origins,
        );
        match sections {
            None => {}
            Some(Json::Object(sections)) => {
                for (name, section) in &sections {
                    if !section.is_object() {
                        diags.push(self.error_at(
                            codes::CONFIG_VALUE,
                            &format!("env.{name}"),
                            None,
                            "env",
                            format!(
                                "`env.{name}` must be a table of settings, found {}",
                                kind_of(section)
                            ),
                        ));
                    }
                }
                if let Some(Json::Object(section)) = sections.get(env) {
                    merge(
                        merged,
                        section,
                        "",
                        &mut |k| Origin::File {
                            section: Some(env.to_owned()),
                            key: k.to_owned(),
                        },
                        origins,
                    );
                }
            }
            Some(other) => diags.push(self.error_at(
                codes::CONFIG_VALUE,
                "env",
                None,
                "env",
                format!(
                    "`env` holds one table per environment ([env.dev], [env.prod]), found {}",
                    kind_of(&other)
                ),
            )),
        }
    }

    /// Every `[env.<name>]` section, for checks that apply to all of them.
    pub(crate) fn sections(&self) -> Vec<(String, Json)> {
        match self.value.get("env") {
            Some(Json::Object(m)) => m
                .iter()
                .filter(|(_, v)| v.is_object())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn error_at(
        &self,
        code: &'static str,
        property: &str,
        section: Option<&str>,
        key: &str,
        message: String,
    ) -> Diagnostic {
        let mut d = Diagnostic::error(code, self.display(), message).property(property);
        d.location = self.location_of(section, key);
        d
    }

    /// Where `key` (a dotted field path) is set: in a section
    /// (`[env.prod]`) or at the top level.
    pub(crate) fn location_of(&self, section: Option<&str>, key: &str) -> Option<SourceLocation> {
        let first = key.split('.').next().unwrap_or(key);
        let line = match self.kind {
            Kind::Toml => toml_line(&self.text, section, first),
            Kind::Json => json_line(&self.text, section, first),
        };
        line.map(|l| location(&self.path, l))
    }
}

fn toml_line(text: &str, section: Option<&str>, key: &str) -> Option<u32> {
    let target: Option<String> = section.map(|s| format!("env.{s}"));
    let mut current: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(header) = line.strip_prefix('[') {
            let name = header
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_owned();
            let full = match &target {
                Some(t) => format!("{t}.{key}"),
                None => key.to_owned(),
            };
            if name == full {
                return Some(i as u32 + 1);
            }
            current = Some(name);
            continue;
        }
        let in_place = match (&target, &current) {
            (None, None) => true,
            (Some(t), Some(c)) => t == c,
            _ => false,
        };
        let assigned = line
            .split('=')
            .next()
            .map(|k| k.trim().trim_matches('"'))
            .filter(|_| line.contains('='));
        if in_place && assigned == Some(key) {
            return Some(i as u32 + 1);
        }
        if !in_place && target.is_some() && current.is_none() {
            // Dotted keys at the top level: `env.prod.key = …`.
            let dotted = format!("{}.{key}", target.as_deref().unwrap_or_default());
            if assigned == Some(dotted.as_str()) {
                return Some(i as u32 + 1);
            }
        }
    }
    None
}

fn json_line(text: &str, section: Option<&str>, key: &str) -> Option<u32> {
    let quoted = format!("\"{key}\"");
    let start = match section {
        Some(s) => {
            let q = format!("\"{s}\"");
            text.lines().position(|l| l.contains(&q))?
        }
        None => 0,
    };
    text.lines()
        .enumerate()
        .skip(start)
        .find(|(_, l)| l.contains(&quoted))
        .map(|(i, _)| i as u32 + 1)
}

fn merge(
    dst: &mut Map<String, Json>,
    src: &Map<String, Json>,
    prefix: &str,
    origin: &mut dyn FnMut(&str) -> Origin,
    origins: &mut Vec<(String, Origin)>,
) {
    for (k, v) in src {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match (dst.get_mut(k), v) {
            (Some(Json::Object(d)), Json::Object(s)) => merge(d, s, &path, origin, origins),
            _ => {
                dst.insert(k.clone(), v.clone());
                origins.push((path.clone(), origin(&path)));
            }
        }
    }
}

/// Sets a dotted path (`database.size`) in a settings table.
pub(crate) fn set_path(map: &mut Map<String, Json>, path: &str, value: Json) {
    match path.split_once('.') {
        None => {
            map.insert(path.to_owned(), value);
        }
        Some((first, rest)) => {
            let slot = map
                .entry(first.to_owned())
                .or_insert_with(|| Json::Object(Map::new()));
            if !slot.is_object() {
                *slot = Json::Object(Map::new());
            }
            if let Json::Object(inner) = slot {
                set_path(inner, rest, value);
            }
        }
    }
}

pub(crate) fn kind_of(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(n) if n.is_f64() => "a number",
        Json::Number(_) => "an integer",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "a table",
    }
}
