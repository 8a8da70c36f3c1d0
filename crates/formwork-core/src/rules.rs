//! Rules: checks of synthesized templates that anyone can write, run at
//! synth over every template (like the CDK's aspects), and suppressions.
//!
//! A [`Rule`] visits each template, resource and parameter as CloudFormation
//! JSON, with the construct path of each, and reports [`Diagnostic`]s:
//! errors fail synth, warnings print. An app runs the rules added to it
//! ([`App::add_rule`](crate::App::add_rule)); the `formwork` crate adds its
//! security rule pack to every app it makes.
//!
//! A finding can be suppressed on one construct, with a reason:
//! [`ResourceRef::suppress`](crate::ResourceRef::suppress) or
//! [`Scope::suppress`](crate::Scope::suppress). The suppression covers the
//! construct and everything inside it, and the reason is written into the
//! template's metadata (`Metadata.formwork.suppressed`), with
//! `Metadata.checkov.skip` for the checkov checks the rule stands for. An id
//! that starts with `CKV` suppresses that checkov check directly (on the
//! resource itself when made on a resource, on every resource inside a
//! scope when made on a scope). Errors of the engine (what CloudFormation
//! would refuse) cannot be suppressed.
//!
//! ```
//! use formwork::rules::{Findings, ResourceView, Rule};
//! use formwork::ssm::{CfnParameter, parameter::Type};
//! use formwork::{App, Diagnostic};
//!
//! /// Every SSM parameter needs a description.
//! struct Described;
//! impl Rule for Described {
//!     fn visit_resource(&self, r: &ResourceView<'_>, findings: &mut Findings) {
//!         if r.type_name() == "AWS::SSM::Parameter" && r.property("Description").is_none() {
//!             findings.report(Diagnostic::warning("FW9001", r.path(), "no description"));
//!         }
//!     }
//! }
//!
//! let app = App::new();
//! app.add_rule(Described);
//! let stack = app.stack("Demo")?;
//! let quiet = stack.add("Quiet", CfnParameter::new().type_(Type::String).value("on"))?;
//! stack.add("Loud", CfnParameter::new().type_(Type::String).value("on"))?;
//! quiet.suppress("FW9001", "read by a tool that needs no description");
//! let asm = app.synth()?;
//! assert_eq!(asm.warnings.with_code("FW9001").count(), 1);
//! let t = asm.template_json("Demo").ok_or("no template")?;
//! assert_eq!(
//!     t["Resources"]["Quiet"]["Metadata"]["formwork"]["suppressed"][0]["reason"],
//!     "read by a tool that needs no description"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;

use serde_json::Value as Json;

use crate::diag::Diagnostic;

/// A check of synthesized templates. Every method has an empty default:
/// implement the visits the rule needs.
pub trait Rule {
    /// Visits a template once, before its resources.
    fn visit_template(&self, _template: &TemplateView<'_>, _findings: &mut Findings) {}
    /// Visits each resource.
    fn visit_resource(&self, _resource: &ResourceView<'_>, _findings: &mut Findings) {}
    /// Visits each parameter.
    fn visit_parameter(&self, _parameter: &ParameterView<'_>, _findings: &mut Findings) {}
    /// The checkov checks a finding of `code` on a resource of
    /// `resource_type` stands for: written as `Metadata.checkov.skip` when
    /// the finding is suppressed.
    fn checkov(&self, _code: &str, _resource_type: &str) -> &'static [&'static str] {
        &[]
    }
}

/// What the rules report, each finding attached to the resource it is about.
#[derive(Debug, Default)]
pub struct Findings {
    pub(crate) items: Vec<(Option<String>, Diagnostic)>,
    pub(crate) current: Option<String>,
}

impl Findings {
    /// Reports a finding about the resource being visited (or the template).
    pub fn report(&mut self, d: Diagnostic) {
        self.items.push((self.current.clone(), d));
    }

    /// Reports a finding about another resource of the template, by logical id.
    pub fn report_on(&mut self, logical_id: &str, d: Diagnostic) {
        self.items.push((Some(logical_id.to_owned()), d));
    }
}

/// A synthesized template, with the construct path of each resource.
#[derive(Debug)]
pub struct TemplateView<'a> {
    pub(crate) stack: &'a str,
    pub(crate) region: Option<&'a str>,
    pub(crate) template: &'a Json,
    pub(crate) paths: &'a HashMap<String, String>,
}

impl<'a> TemplateView<'a> {
    /// A view of a template's JSON, to run rules on outside synth (a rule's
    /// tests): `paths` maps logical ids to construct paths; the others are
    /// named `<stack>/<logical id>`.
    pub fn new(
        stack: &'a str,
        region: Option<&'a str>,
        template: &'a Json,
        paths: &'a HashMap<String, String>,
    ) -> TemplateView<'a> {
        TemplateView {
            stack,
            region,
            template,
            paths,
        }
    }

    /// Runs a rule over the template as synth does (every visit), and
    /// returns its findings, before any suppression.
    pub fn check(&self, rule: &dyn Rule) -> Vec<Diagnostic> {
        let mut f = Findings::default();
        rule.visit_template(self, &mut f);
        for r in self.resources() {
            f.current = Some(r.logical_id.to_owned());
            rule.visit_resource(&r, &mut f);
        }
        f.current = None;
        for p in self.parameters() {
            rule.visit_parameter(&p, &mut f);
        }
        f.items.into_iter().map(|(_, d)| d).collect()
    }

    /// The stack name.
    pub fn stack(&self) -> &str {
        self.stack
    }

    /// The region the stack deploys to, when known.
    pub fn region(&self) -> Option<&str> {
        self.region
    }

    /// The whole template.
    pub fn json(&self) -> &Json {
        self.template
    }

    /// The construct path of a logical id (the stack name and the id when it
    /// is not a resource of the app, an export output say).
    pub fn path_of(&self, logical_id: &str) -> String {
        self.paths
            .get(logical_id)
            .cloned()
            .unwrap_or_else(|| format!("{}/{logical_id}", self.stack))
    }

    /// A resource by logical id.
    pub fn resource(&self, logical_id: &str) -> Option<ResourceView<'_>> {
        let (logical_id, json) = self
            .template
            .get("Resources")?
            .as_object()?
            .get_key_value(logical_id)?;
        Some(ResourceView {
            template: self,
            logical_id,
            json,
        })
    }

    /// Every resource, in template order.
    pub fn resources(&'a self) -> impl Iterator<Item = ResourceView<'a>> + 'a {
        self.template
            .get("Resources")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
            .map(move |(id, json)| ResourceView {
                template: self,
                logical_id: id,
                json,
            })
    }

    /// Every parameter, in template order.
    pub fn parameters(&'a self) -> impl Iterator<Item = ParameterView<'a>> + 'a {
        self.template
            .get("Parameters")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
            .map(move |(name, json)| ParameterView {
                template: self,
                name,
                json,
            })
    }
}

/// One resource of a synthesized template.
#[derive(Debug, Clone, Copy)]
pub struct ResourceView<'a> {
    /// The template it is in.
    pub template: &'a TemplateView<'a>,
    /// Its logical id.
    pub logical_id: &'a str,
    /// Its JSON (`Type`, `Properties`, `DeletionPolicy`, ...).
    pub json: &'a Json,
}

impl<'a> ResourceView<'a> {
    /// The construct path (`Stack/Api/Handler`).
    pub fn path(&self) -> String {
        self.template.path_of(self.logical_id)
    }

    /// The resource type (`AWS::S3::Bucket`).
    pub fn type_name(&self) -> &'a str {
        self.json.get("Type").and_then(Json::as_str).unwrap_or("")
    }

    /// A property by a dotted path (`VersioningConfiguration.Status`; digits
    /// index lists).
    pub fn property(&self, path: &str) -> Option<&'a Json> {
        let mut node = self.json.get("Properties")?;
        for seg in path.split('.') {
            node = match node {
                Json::Array(items) => items.get(seg.parse::<usize>().ok()?)?,
                other => other.get(seg)?,
            };
        }
        Some(node)
    }

    /// `DeletionPolicy`, when set.
    pub fn deletion_policy(&self) -> Option<&'a str> {
        self.json.get("DeletionPolicy").and_then(Json::as_str)
    }

    /// `UpdateReplacePolicy`, when set.
    pub fn update_replace_policy(&self) -> Option<&'a str> {
        self.json.get("UpdateReplacePolicy").and_then(Json::as_str)
    }
}

/// One parameter of a synthesized template.
#[derive(Debug, Clone, Copy)]
pub struct ParameterView<'a> {
    /// The template it is in.
    pub template: &'a TemplateView<'a>,
    /// Its logical id.
    pub name: &'a str,
    /// Its JSON (`Type`, `Default`, `NoEcho`, ...).
    pub json: &'a Json,
}

impl<'a> ParameterView<'a> {
    /// The path diagnostics name it by (`Stack/Name (parameter)`).
    pub fn path(&self) -> String {
        format!("{}/{} (parameter)", self.template.stack, self.name)
    }

    /// A field (`Type`, `Default`, `NoEcho`, ...).
    pub fn field(&self, name: &str) -> Option<&'a Json> {
        self.json.get(name)
    }
}

/// A suppression: a finding id not to report on a construct and below it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Suppression {
    /// The construct path below the stack (empty: the whole stack).
    pub(crate) path: String,
    pub(crate) id: String,
    pub(crate) reason: String,
    /// Made on a resource: a checkov id then goes on that resource alone.
    pub(crate) on_resource: bool,
}

impl Suppression {
    /// True when the suppression covers the construct at `path` (below the stack).
    pub(crate) fn covers(&self, path: &str) -> bool {
        self.path.is_empty()
            || path == self.path
            || path
                .strip_prefix(self.path.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }

    /// True for a checkov check id.
    pub(crate) fn is_checkov(&self) -> bool {
        self.id.starts_with("CKV")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suppression_covers_its_construct_and_below() {
        let s = Suppression {
            path: "Api/Handler".into(),
            id: "FW5001".into(),
            reason: "r".into(),
            on_resource: false,
        };
        assert!(s.covers("Api/Handler"));
        assert!(s.covers("Api/Handler/Role"));
        assert!(!s.covers("Api/HandlerRole"));
        assert!(!s.covers("Api"));
        let all = Suppression {
            path: String::new(),
            ..s
        };
        assert!(all.covers("Anything/At/All"));
    }
}
