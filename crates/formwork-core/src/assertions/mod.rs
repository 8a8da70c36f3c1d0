//! Assertions on synthesized templates, for an app's tests: find resources
//! by type and partial properties, count them, read outputs, list what a
//! role may do, match with wildcards and captures. A failed assertion
//! panics with the closest resource and how it differs, as a test wants.
//!
//! ```
//! use formwork::ssm::{CfnParameter, parameter::Type};
//! use formwork::testing::{Pattern, Template};
//! use formwork::{App, Output};
//! use serde_json::json;
//!
//! let app = App::new();
//! let stack = app.stack("Demo")?;
//! let thing = stack.add("Config", CfnParameter::new().name("/app/config").type_(Type::String).value("on"))?;
//! stack.add_output("ConfigName", Output::new(thing.ref_()))?;
//! let t = Template::from_assembly(&app.synth()?, "Demo");
//!
//! t.resource_count_is("AWS::SSM::Parameter", 1);
//! t.has_resource_properties("AWS::SSM::Parameter", json!({"Type": "String"}));
//! let caps = t.has_resource_properties(
//!     "AWS::SSM::Parameter",
//!     Pattern::object([("Name", Pattern::glob("/app/*").captured_as("name"))]),
//! );
//! assert_eq!(caps["name"], "/app/config");
//! assert_eq!(t.output("ConfigName"), Some(&json!({"Ref": "Config"})));
//! # Ok::<(), formwork::Error>(())
//! ```
//!
//! Snapshots of whole templates (with `insta`) pair with
//! [`redact_hashes`], which hides content hashes that change with every
//! build of an asset.

mod iam;
mod pattern;

use std::path::Path;

use serde_json::Value as Json;

use crate::synth::Assembly;

pub use pattern::{Captures, Mismatch, Pattern, glob_match};

/// A synthesized template, parsed, with assertions on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    json: Json,
}

impl Template {
    /// The template of `stack` in an assembly.
    ///
    /// # Panics
    /// When the assembly has no such stack (the message lists those it has).
    pub fn from_assembly(assembly: &Assembly, stack: &str) -> Template {
        match assembly.template_json(stack) {
            Some(json) => Template { json },
            None => {
                let names: Vec<&str> = assembly.stacks.iter().map(|s| s.name.as_str()).collect();
                panic!(
                    "no stack `{stack}` in the assembly; it has: {}",
                    names.join(", ")
                )
            }
        }
    }

    /// A template from JSON text (a `formwork.out/<Stack>.template.json`).
    pub fn parse(text: &str) -> Result<Template, serde_json::Error> {
        serde_json::from_str(text).map(Template::from_json)
    }

    /// A template read from a file.
    ///
    /// # Panics
    /// When the file cannot be read or is not JSON.
    pub fn from_file(path: impl AsRef<Path>) -> Template {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        Template::parse(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
    }

    /// A template from a JSON value.
    pub fn from_json(json: Json) -> Template {
        Template { json }
    }

    /// The whole template.
    pub fn json(&self) -> &Json {
        &self.json
    }

    /// Every resource, as (logical id, resource), in template order.
    pub fn resources(&self) -> Vec<(&str, &Json)> {
        self.json["Resources"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default()
    }

    /// The resources of a type (`AWS::S3::Bucket`), as (logical id, resource).
    pub fn resources_of_type(&self, type_name: &str) -> Vec<(&str, &Json)> {
        resources_of_type(&self.json, type_name)
    }

    /// A resource by logical id.
    ///
    /// # Panics
    /// When there is none (the message suggests the closest id).
    pub fn resource(&self, logical_id: &str) -> &Json {
        match self.json["Resources"].get(logical_id) {
            Some(r) => r,
            None => {
                let ids: Vec<&str> = self.resources().into_iter().map(|(k, _)| k).collect();
                let hint = crate::diag::closest(logical_id, ids.iter().copied())
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                panic!("no resource `{logical_id}`{hint}")
            }
        }
    }

    /// How many resources of a type there are.
    pub fn count(&self, type_name: &str) -> usize {
        self.resources_of_type(type_name).len()
    }

    /// Asserts the number of resources of a type.
    ///
    /// # Panics
    /// When the count differs.
    #[track_caller]
    pub fn resource_count_is(&self, type_name: &str, expected: usize) {
        let found = self.resources_of_type(type_name);
        if found.len() != expected {
            let ids: Vec<&str> = found.iter().map(|(k, _)| *k).collect();
            panic!(
                "expected {expected} {type_name}, found {}: {}",
                found.len(),
                ids.join(", ")
            );
        }
    }

    /// The resources of a type whose `Properties` match, with their captures.
    pub fn find_resources(
        &self,
        type_name: &str,
        properties: impl Into<Pattern>,
    ) -> Vec<(&str, Captures)> {
        let p = properties.into();
        self.resources_of_type(type_name)
            .into_iter()
            .filter_map(|(id, r)| {
                p.matches(r.get("Properties").unwrap_or(&Json::Null))
                    .ok()
                    .map(|c| (id, c))
            })
            .collect()
    }

    /// Asserts that a resource of the type has properties matching the
    /// pattern (partially: other properties may be present); returns the
    /// captures of the first that does.
    ///
    /// # Panics
    /// When none matches: the message shows the closest resource of the
    /// type and every difference.
    #[track_caller]
    pub fn has_resource_properties(
        &self,
        type_name: &str,
        properties: impl Into<Pattern>,
    ) -> Captures {
        self.has(type_name, properties.into(), |r| {
            r.get("Properties").unwrap_or(&Json::Null)
        })
    }

    /// Like [`has_resource_properties`](Template::has_resource_properties),
    /// on the whole resource (`DeletionPolicy`, `DependsOn`, …).
    ///
    /// # Panics
    /// When none matches, with the closest resource and the differences.
    #[track_caller]
    pub fn has_resource(&self, type_name: &str, resource: impl Into<Pattern>) -> Captures {
        self.has(type_name, resource.into(), |r| r)
    }

    #[track_caller]
    fn has(&self, type_name: &str, p: Pattern, part: impl Fn(&Json) -> &Json) -> Captures {
        let mut closest: Option<(&str, Vec<Mismatch>)> = None;
        let candidates = self.resources_of_type(type_name);
        for (id, r) in &candidates {
            match p.matches(part(r)) {
                Ok(c) => return c,
                Err(m) => {
                    if closest
                        .as_ref()
                        .is_none_or(|(_, best)| m.len() < best.len())
                    {
                        closest = Some((id, m));
                    }
                }
            }
        }
        match closest {
            None => panic!("no {type_name} in the template (it has {})", self.types()),
            Some((id, misses)) => {
                let lines: Vec<String> = misses.iter().map(|m| format!("  {m}")).collect();
                panic!(
                    "no {type_name} matches ({} of that type); the closest is `{id}`:\n{}\n{id} is:\n{}",
                    candidates.len(),
                    lines.join("\n"),
                    serde_json::to_string_pretty(self.resource(id)).unwrap_or_default()
                )
            }
        }
    }

    fn types(&self) -> String {
        let mut types: Vec<&str> = self
            .resources()
            .into_iter()
            .filter_map(|(_, r)| r["Type"].as_str())
            .collect();
        types.sort_unstable();
        types.dedup();
        if types.is_empty() {
            "no resources".to_owned()
        } else {
            types.join(", ")
        }
    }

    /// An output's `Value`.
    pub fn output(&self, name: &str) -> Option<&Json> {
        self.json["Outputs"].get(name).map(|o| &o["Value"])
    }

    /// The output names, in template order.
    pub fn outputs(&self) -> Vec<&str> {
        self.json["Outputs"]
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Asserts an output whose value matches; returns the captures.
    ///
    /// # Panics
    /// When there is no such output or its value differs.
    #[track_caller]
    pub fn has_output(&self, name: &str, value: impl Into<Pattern>) -> Captures {
        let Some(v) = self.output(name) else {
            panic!("no output `{name}`; outputs: {}", self.outputs().join(", "))
        };
        match value.into().matches(v) {
            Ok(c) => c,
            Err(m) => {
                let lines: Vec<String> = m.iter().map(|m| format!("  {m}")).collect();
                panic!("output `{name}` differs:\n{}", lines.join("\n"))
            }
        }
    }
}

/// Replaces content hashes (runs of 64 hexadecimal digits, as asset hashes
/// and image digests are) with `[hash]`, so a snapshot changes with the
/// infrastructure and not with every rebuild of an asset.
///
/// ```
/// let t = r#""ImageUri": "1.dkr.ecr.ap-northeast-1.amazonaws.com/r@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef""#;
/// assert_eq!(
///     formwork::testing::redact_hashes(t),
///     r#""ImageUri": "1.dkr.ecr.ap-northeast-1.amazonaws.com/r@sha256:[hash]""#
/// );
/// ```
pub fn redact_hashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() >= 64 {
            out.push_str("[hash]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_hexdigit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The resources of a type in a template's JSON, as (logical id,
/// resource), in template order.
pub fn resources_of_type<'a>(template: &'a Json, type_name: &str) -> Vec<(&'a str, &'a Json)> {
    template["Resources"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, r)| r["Type"] == type_name)
                .map(|(k, r)| (k.as_str(), r))
                .collect()
        })
        .unwrap_or_default()
}

/// `text` with the content hash of each asset of `assembly` replaced by
/// `[asset N hash]` (N counts the assets from 1, in manifest order), so a
/// snapshot changes when the infrastructure does and not when the code in
/// an asset folder does. The deployed template keeps the real hash: a
/// changed asset still changes what is deployed.
///
/// ```
/// # let asm = formwork::App::new().synth().unwrap();
/// let text = formwork::testing::redact_assets(&asm, "no asset here");
/// assert_eq!(text, "no asset here");
/// ```
pub fn redact_assets(assembly: &Assembly, text: &str) -> String {
    let mut out = text.to_owned();
    for (i, h) in assembly.asset_hashes().iter().enumerate() {
        out = out.replace(h, &format!("[asset {} hash]", i + 1));
        // Asset ids in the manifest carry the first 12 digits.
        if let Some(short) = h.get(..12) {
            out = out.replace(short, &format!("[asset {}]", i + 1));
        }
    }
    out
}

/// Replaces every occurrence of `needle` (an account id, a machine's path)
/// with `[name]`.
///
/// ```
/// let t = "arn:aws:iam::111122223333:role/x";
/// assert_eq!(formwork::testing::redact(t, "111122223333", "account"), "arn:aws:iam::[account]:role/x");
/// ```
pub fn redact(text: &str, needle: &str, name: &str) -> String {
    if needle.is_empty() {
        return text.to_owned();
    }
    text.replace(needle, &format!("[{name}]"))
}

#[cfg(test)]
mod tests;
