//! The renderer templates were written with before the direct writer: a
//! `serde_json::Value` tree of each value and resource, pretty-printed by
//! serde_json. Kept for the tests only, as the reference the writer must
//! match byte for byte.

use crate::fasthash::FastMap;

use indexmap::IndexMap;
use serde_json::{Map, Value as Json, json};

use crate::diag::{Diagnostic, codes};
use crate::expr::{Expr, Intrinsic, StackId, SubPart, Target};
use crate::resource::ResourceEntry;
use crate::spec::Tagging;
use crate::value::Value;

use super::super::PATH_METADATA;
use super::super::refs::{ExportInfo, ExportKey};
use super::super::view::StackView;

pub(crate) struct Reference<'a> {
    pub(crate) me: usize,
    pub(crate) views: &'a [StackView<'a>],
    pub(crate) positions: &'a FastMap<StackId, usize>,
    pub(crate) exports: &'a [IndexMap<ExportKey, ExportInfo>],
}

impl Reference<'_> {
    /// The logical id of a target, when it is in this stack; else the
    /// producer stack and the export key. A target analysis refused (another
    /// app's stack, an index past the end) renders as a placeholder: synth
    /// fails with the error analysis reported.
    fn local_id(&self, t: &Target) -> Result<String, (usize, ExportKey)> {
        let (stack, local) = match t {
            Target::Named(n) => return Ok(n.clone()),
            Target::Resource { stack, index } => (stack, |v: &StackView<'_>| {
                v.data
                    .resources
                    .get(*index as usize)
                    .map(|e| e.logical_id.clone())
            }),
            Target::Parameter { stack, name } => {
                let name = name.clone();
                return match self.positions.get(stack).copied() {
                    Some(p) if p != self.me => Err((
                        p,
                        ExportKey {
                            target: t.clone(),
                            attribute: None,
                        },
                    )),
                    _ => Ok(name),
                };
            }
        };
        match self.positions.get(stack).copied() {
            Some(p) if p == self.me => {
                Ok(local(&self.views[p]).unwrap_or_else(|| "Invalid".to_owned()))
            }
            Some(p) => Err((
                p,
                ExportKey {
                    target: t.clone(),
                    attribute: None,
                },
            )),
            None => Ok("Invalid".to_owned()),
        }
    }

    fn import(&self, producer: usize, key: &ExportKey) -> Option<&ExportInfo> {
        self.exports[producer].get(key)
    }

    fn import_json(&self, producer: usize, key: &ExportKey) -> Json {
        match self.import(producer, key) {
            Some(info) => json!({"Fn::ImportValue": info.export_name}),
            // Analysis refused the reference (another environment) and
            // reported it; synth fails before this output is used.
            None => Json::Null,
        }
    }

    pub(crate) fn value(&self, v: &Value) -> Json {
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Value::String(s) => Json::String(s.clone()),
            Value::List(l) => Json::Array(l.iter().map(|v| self.value(v)).collect()),
            Value::Map(m) => {
                Json::Object(m.iter().map(|(k, v)| (k.clone(), self.value(v))).collect())
            }
            Value::Expr(e) => self.expr(e),
            Value::Unchecked(v) => self.value(v),
        }
    }

    fn expr(&self, e: &Expr) -> Json {
        let v = |x: &Value| self.value(x);
        match e.intrinsic() {
            Intrinsic::Ref(t) => match self.local_id(t) {
                Ok(id) => json!({ "Ref": id }),
                Err((p, key)) => self.import_json(p, &key),
            },
            Intrinsic::Pseudo(p) => json!({ "Ref": p.name() }),
            Intrinsic::GetAtt(t, a) => match self.local_id(t) {
                Ok(id) => json!({ "Fn::GetAtt": [id, a] }),
                Err((p, mut key)) => {
                    key.attribute = Some(a.clone());
                    self.import_json(p, &key)
                }
            },
            Intrinsic::Sub(parts, vars) => self.sub(parts, vars),
            Intrinsic::Join(d, l) => json!({ "Fn::Join": [d, v(l)] }),
            Intrinsic::Select(i, l) => json!({ "Fn::Select": [v(i), v(l)] }),
            Intrinsic::Split(d, s) => json!({ "Fn::Split": [d, v(s)] }),
            Intrinsic::If(c, a, b) => json!({ "Fn::If": [c, v(a), v(b)] }),
            Intrinsic::Equals(a, b) => json!({ "Fn::Equals": [v(a), v(b)] }),
            Intrinsic::And(l) => json!({ "Fn::And": l.iter().map(v).collect::<Vec<_>>() }),
            Intrinsic::Or(l) => json!({ "Fn::Or": l.iter().map(v).collect::<Vec<_>>() }),
            Intrinsic::Not(c) => json!({ "Fn::Not": [v(c)] }),
            Intrinsic::Condition(c) => json!({ "Condition": c }),
            Intrinsic::FindInMap(m, a, b) => json!({ "Fn::FindInMap": [m, v(a), v(b)] }),
            Intrinsic::ImportValue(n) => json!({ "Fn::ImportValue": v(n) }),
            Intrinsic::GetAzs(r) => json!({ "Fn::GetAZs": v(r) }),
            Intrinsic::Base64(s) => json!({ "Fn::Base64": v(s) }),
            Intrinsic::Cidr(a, b, c) => json!({ "Fn::Cidr": [v(a), v(b), v(c)] }),
        }
    }

    fn sub(&self, parts: &[SubPart], vars: &IndexMap<String, Value>) -> Json {
        let mut template = String::new();
        let mut out_vars: Map<String, Json> = vars
            .iter()
            .map(|(k, x)| (k.clone(), self.value(x)))
            .collect();
        let mut has_var = false;
        // Literal text: pieces next to each other joined, then escaped (a
        // `$` ending one and a `{` starting the next are a literal `${`).
        let mut literal = String::new();
        let mut plain = String::new();
        for part in parts {
            if let SubPart::Text(t) = part {
                literal.push_str(t);
                plain.push_str(t);
                continue;
            }
            template.push_str(&std::mem::take(&mut literal).replace("${", "${!"));
            match part {
                SubPart::Text(_) => {}
                SubPart::Pseudo(p) => {
                    has_var = true;
                    template.push_str(&format!("${{{}}}", p.name()));
                }
                SubPart::Var(n) => {
                    has_var = true;
                    template.push_str(&format!("${{{n}}}"));
                }
                SubPart::Ref(t) | SubPart::GetAtt(t, _) => {
                    has_var = true;
                    let attr = match part {
                        SubPart::GetAtt(_, a) => Some(a),
                        _ => None,
                    };
                    match self.local_id(t) {
                        Ok(id) => match attr {
                            Some(a) => template.push_str(&format!("${{{id}.{a}}}")),
                            None => template.push_str(&format!("${{{id}}}")),
                        },
                        Err((p, mut key)) => {
                            key.attribute = attr.cloned();
                            let name = self
                                .import(p, &key)
                                .map_or_else(|| "Import".to_owned(), |i| i.output_id.clone());
                            out_vars.insert(name.clone(), self.import_json(p, &key));
                            template.push_str(&format!("${{{name}}}"));
                        }
                    }
                }
            }
        }
        template.push_str(&literal.replace("${", "${!"));
        if !has_var {
            // A Sub without variables is a plain string (cfn-lint W1020).
            return Json::String(plain);
        }
        if out_vars.is_empty() {
            json!({ "Fn::Sub": template })
        } else {
            json!({ "Fn::Sub": [template, Json::Object(out_vars)] })
        }
    }

    pub(crate) fn resource(
        &self,
        entry: &ResourceEntry,
        merged: &Value,
        tagging: Tagging,
        stack_tags: &IndexMap<String, String, crate::fasthash::FastState>,
        diags: &mut Vec<Diagnostic>,
        path: &str,
    ) -> Json {
        let mut r = Map::new();
        r.insert("Type".into(), Json::from(entry.spec.type_name));
        if let Some(c) = &entry.condition {
            r.insert("Condition".into(), Json::from(c.as_str()));
        }
        let depends: Vec<Json> = entry
            .depends_on
            .iter()
            .filter_map(|t| self.local_id(t).ok())
            .map(Json::from)
            .collect();
        if !depends.is_empty() {
            r.insert("DependsOn".into(), Json::Array(depends));
        }
        let mut props = match self.value(merged) {
            Json::Object(m) => m,
            _ => Map::new(),
        };
        merge_tags(&mut props, tagging, stack_tags, diags, path);
        if !props.is_empty() {
            r.insert("Properties".into(), Json::Object(props));
        }
        // The construct path, so that a diff against a deployed template
        // can name the construct of a resource this synth no longer has.
        let mut m = Map::new();
        m.insert(PATH_METADATA.into(), Json::from(path));
        for (k, v) in &entry.metadata {
            m.insert(k.clone(), self.value(v));
        }
        r.insert("Metadata".into(), Json::Object(m));
        if let Some(p) = entry.deletion_policy {
            r.insert("DeletionPolicy".into(), Json::from(p.as_str()));
        }
        if let Some(p) = entry.update_replace_policy {
            r.insert("UpdateReplacePolicy".into(), Json::from(p.as_str()));
        }
        Json::Object(r)
    }
}

fn merge_tags(
    props: &mut Map<String, Json>,
    tagging: Tagging,
    stack_tags: &IndexMap<String, String, crate::fasthash::FastState>,
    diags: &mut Vec<Diagnostic>,
    path: &str,
) {
    if stack_tags.is_empty() {
        return;
    }
    match tagging {
        Tagging::None => {}
        Tagging::List(prop) => {
            let existing = props
                .remove(prop)
                .unwrap_or_else(|| Json::Array(Vec::new()));
            let Json::Array(mut own) = existing else {
                diags.push(tag_warning(path, prop));
                props.insert(prop.to_owned(), existing);
                return;
            };
            let own_keys: Vec<String> = own
                .iter()
                .filter_map(|t| t.get("Key").and_then(Json::as_str).map(str::to_owned))
                .collect();
            let mut merged: Vec<Json> = stack_tags
                .iter()
                .filter(|(k, _)| !own_keys.contains(k))
                .map(|(k, v)| json!({ "Key": k, "Value": v }))
                .collect();
            merged.append(&mut own);
            props.insert(prop.to_owned(), Json::Array(merged));
        }
        Tagging::Map(prop) => {
            let existing = props
                .remove(prop)
                .unwrap_or_else(|| Json::Object(Map::new()));
            let Json::Object(own) = existing.clone() else {
                diags.push(tag_warning(path, prop));
                props.insert(prop.to_owned(), existing);
                return;
            };
            if own.len() == 1 && own.keys().all(|k| k == "Ref" || k.starts_with("Fn::")) {
                diags.push(tag_warning(path, prop));
                props.insert(prop.to_owned(), existing);
                return;
            };
            let mut merged: Map<String, Json> = stack_tags
                .iter()
                .filter(|(k, _)| !own.contains_key(*k))
                .map(|(k, v)| (k.clone(), Json::from(v.as_str())))
                .collect();
            merged.extend(own);
            props.insert(prop.to_owned(), Json::Object(merged));
        }
    }
}

fn tag_warning(path: &str, prop: &str) -> Diagnostic {
    Diagnostic::warning(
        codes::TAGS,
        path,
        "the resource's tags are an intrinsic function, so the stack's tags were not merged into them",
    )
    .property(prop)
}
