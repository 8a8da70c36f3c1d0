//! Running the app's rules over a rendered template, and applying the
//! suppressions of its constructs: suppressed findings leave their reason in
//! the template's metadata instead of a diagnostic.

use std::collections::HashMap;
use std::rc::Rc;

use crate::Value;
use crate::diag::{Diagnostic, codes};
use crate::fasthash::FastMap;
use crate::rules::{Findings, LazyTemplate, Rule, TemplateView};
use crate::value_map::ValueMap;

use super::view::StackView;

/// A finding to judge: the resource it is about, the diagnostic, and the
/// checkov checks it stands for.
pub(crate) struct Finding {
    logical_id: Option<String>,
    diagnostic: Diagnostic,
    checkov: &'static [&'static str],
}

/// What a resource (or the template, under `None`) records in its metadata.
#[derive(Default)]
struct Notes {
    suppressed: Vec<(String, String)>,
    checkov: Vec<(String, String)>,
}

impl Notes {
    fn add(list: &mut Vec<(String, String)>, id: &str, reason: &str) {
        for (i, _) in list.iter() {
            if i == id {
                return;
            }
        }
        list.push((id.to_owned(), reason.to_owned()));
    }
}

/// Runs `rules` over a stack's template and returns their findings, in
/// rule order: over `whole` when given, else over `lazy` (each resource
/// rendered when a rule reads it), with the resources the rules read, by
/// index (`None`: not read, or not rendered apart).
pub(crate) fn rule_findings(
    rules: &[Rc<dyn Rule>],
    view: &StackView<'_>,
    lazy: &dyn LazyTemplate,
    whole: Option<&Value>,
) -> (Vec<Finding>, Vec<Option<Value>>) {
    let data = &view.data;
    let region = data.env.region.as_deref();
    let paths: HashMap<String, String>;
    let tv = match whole {
        Some(t) => {
            paths = data
                .resources
                .iter()
                .map(|e| (e.logical_id.clone(), format!("{}/{}", view.name, e.path)))
                .collect();
            TemplateView::new(view.name, region, t, &paths)
        }
        None => TemplateView::lazy(view.name, region, lazy),
    };
    let mut findings = Vec::new();
    for rule in rules {
        let mut f = Findings::default();
        rule.visit_template(&tv, &mut f);
        tv.for_each_resource(|r| {
            f.visiting(r.logical_id);
            rule.visit_resource(&r, &mut f);
        });
        f.current = None;
        for p in tv.parameters() {
            rule.visit_parameter(&p, &mut f);
        }
        for (logical_id, diagnostic) in f.items {
            let ty = logical_id
                .as_deref()
                .and_then(|id| tv.resource(id))
                .map_or("", |r| r.type_name());
            let checkov = rule.checkov(diagnostic.code, ty);
            findings.push(Finding {
                logical_id,
                diagnostic,
                checkov,
            });
        }
    }
    (findings, tv.into_read())
}

/// What suppressions write into a template's metadata: by resource index,
/// and the template's own.
#[derive(Default)]
pub(crate) struct AllNotes {
    resources: FastMap<usize, Notes>,
    template: Option<Notes>,
}

impl AllNotes {
    /// True when there is nothing to write.
    pub(crate) fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.template.is_none()
    }

    /// True when there are notes for the template's own metadata.
    pub(crate) fn on_template(&self) -> bool {
        self.template.is_some()
    }
}

/// The `Metadata` of each resource that gets notes (by index; `render`
/// gives a resource's metadata as written without notes) with its notes
/// written into it as [`write_notes`] writes them: for a template without
/// notes of its own, whose logical ids are unique.
pub(crate) fn patch_resources(
    notes: AllNotes,
    mut render: impl FnMut(usize) -> Value,
) -> FastMap<usize, Value> {
    let mut out = FastMap::default();
    for (i, n) in notes.resources {
        let mut meta = render(i);
        merge(&mut meta, &n);
        out.insert(i, meta);
    }
    out
}

/// Judges the rules' `findings` and the stack's `warnings` (construct
/// warnings, which suppressions also cover) against the stack's
/// suppressions: pushes what is not suppressed to `out`, with a warning for
/// each suppression that matched nothing, and returns the notes to write
/// (see [`write_notes`]).
pub(crate) fn judge(
    view: &StackView<'_>,
    findings: Vec<Finding>,
    warnings: Vec<Diagnostic>,
    out: &mut Vec<Diagnostic>,
) -> AllNotes {
    let data = &view.data;
    if data.suppressions.is_empty() {
        out.extend(findings.into_iter().map(|f| f.diagnostic));
        out.extend(warnings);
        return AllNotes::default();
    }
    let prefix = format!("{}/", view.name);
    // A finding's resource, by index: found by logical id (a rule's
    // finding) or by construct path (a construct's warning).
    let mut judged: Vec<(Option<usize>, Finding)> = findings
        .into_iter()
        .map(|f| {
            let index = f
                .logical_id
                .as_deref()
                .and_then(|id| view.logical_ids.get(id).copied().flatten());
            (index, f)
        })
        .collect();
    for w in warnings {
        let rel = w.path.strip_prefix(&prefix).unwrap_or("");
        let index = resource_at(&data.resources, rel);
        judged.push((
            index,
            Finding {
                logical_id: index.map(|i| data.resources[i].logical_id.clone()),
                diagnostic: w,
                checkov: &[],
            },
        ));
    }

    let mut used = vec![false; data.suppressions.len()];
    let mut notes = AllNotes::default();
    for (index, f) in judged {
        let rel = match (&f.logical_id, index) {
            (Some(_), Some(i)) => data.resources[i].path.as_str(),
            (Some(_), None) => "",
            (None, _) => f.diagnostic.path.strip_prefix(&prefix).unwrap_or(""),
        };
        let mut hit = None;
        let mut k = 0;
        while let Some(s) = data.suppressions.get(k) {
            if s.id == f.diagnostic.code
                && (s.covers(rel) || (s.path.is_empty() && f.logical_id.is_none()))
            {
                hit = Some((k, s));
                break;
            }
            k += 1;
        }
        match hit {
            Some((i, s)) => {
                used[i] = true;
                // Notes go on the resource, or the template; a finding on a
                // logical id that is no resource of the stack has nowhere
                // to write them.
                let n = match (&f.logical_id, index) {
                    (None, _) => Some(notes.template.get_or_insert_with(Notes::default)),
                    (Some(_), Some(r)) => Some(notes.resources.entry(r).or_default()),
                    (Some(_), None) => None,
                };
                if let Some(n) = n {
                    Notes::add(&mut n.suppressed, &s.id, &s.reason);
                    for c in f.checkov {
                        Notes::add(&mut n.checkov, c, &s.reason);
                    }
                }
            }
            None => out.push(f.diagnostic),
        }
    }
    // Checkov suppressions against every resource: plain loops, as an
    // iterator chain costs a few hundred instructions a resource in a debug
    // build.
    for (i, s) in data.suppressions.iter().enumerate() {
        if !s.is_checkov() {
            continue;
        }
        let mut r = 0;
        while let Some(e) = data.resources.get(r) {
            let hit = if s.on_resource {
                e.path.len() == s.path.len() && e.path == s.path
            } else {
                s.covers(&e.path)
            };
            if hit {
                used[i] = true;
                let n = notes.resources.entry(r).or_default();
                Notes::add(&mut n.checkov, &s.id, &s.reason);
            }
            r += 1;
        }
    }
    for (i, s) in data.suppressions.iter().enumerate() {
        if !used[i] {
            let path = if s.path.is_empty() {
                view.name.to_owned()
            } else {
                format!("{}/{}", view.name, s.path)
            };
            out.push(
                Diagnostic::warning(
                    codes::UNUSED_SUPPRESSION,
                    path,
                    format!("the suppression of {} matched no finding", s.id),
                )
                .fix("remove the suppression"),
            );
        }
    }
    notes
}

/// The index of the resource at construct path `rel` (below the stack).
fn resource_at(resources: &[crate::resource::ResourceEntry], rel: &str) -> Option<usize> {
    let mut r = 0;
    while let Some(e) = resources.get(r) {
        if e.path.len() == rel.len() && e.path == rel {
            return Some(r);
        }
        r += 1;
    }
    None
}

/// Writes the notes of [`judge`] into the template's metadata.
pub(crate) fn write_notes(
    template: &mut Value,
    resources: &[crate::resource::ResourceEntry],
    notes: AllNotes,
) {
    let AllNotes {
        resources: mut notes,
        template: own,
    } = notes;
    // Resource order keeps the output deterministic.
    for (i, e) in resources.iter().enumerate() {
        let Some(n) = notes.remove(&i) else {
            continue;
        };
        if let Some(Value::Map(r)) = template
            .as_map_mut()
            .and_then(|t| t.get_mut("Resources"))
            .and_then(Value::as_map_mut)
            .and_then(|rs| rs.get_mut(&e.logical_id))
        {
            let meta = r.entry("Metadata".to_owned()).or_insert_with(Value::map);
            merge(meta, &n);
        }
    }
    if let Some(n) = own {
        if let Value::Map(t) = template {
            let mut m = t.shift_remove("Metadata").unwrap_or_else(Value::map);
            merge(&mut m, &n);
            let mut out = std::mem::take(t);
            out.insert("Metadata".to_owned(), m);
            *t = reorder(out);
        }
    }
}

/// Puts `Metadata` where CloudFormation templates have it: after the
/// version and description, before parameters.
fn reorder(mut m: ValueMap) -> ValueMap {
    let order = [
        "AWSTemplateFormatVersion",
        "Description",
        "Metadata",
        "Parameters",
        "Mappings",
        "Conditions",
        "Resources",
        "Outputs",
    ];
    let mut out = ValueMap::with_capacity(m.len());
    for k in order {
        if let Some(v) = m.shift_remove(k) {
            out.insert(k.to_owned(), v);
        }
    }
    out.extend(m);
    out
}

/// `{"<a>": <x>, "<b>": <y>}`.
fn pair(a: &str, x: &str, b: &str, y: &str) -> Value {
    let mut m = ValueMap::with_capacity(2);
    m.insert(a.to_owned(), Value::String(x.to_owned()));
    m.insert(b.to_owned(), Value::String(y.to_owned()));
    Value::Map(m)
}

/// `{"<key>": <v>}`.
fn single(key: &str, v: Value) -> Value {
    let mut m = ValueMap::with_capacity(1);
    m.insert(key.to_owned(), v);
    Value::Map(m)
}

fn merge(meta: &mut Value, n: &Notes) {
    let Value::Map(meta) = meta else { return };
    if !n.suppressed.is_empty() {
        let mut list = Vec::with_capacity(n.suppressed.len());
        for (id, reason) in &n.suppressed {
            list.push(pair("id", id, "reason", reason));
        }
        meta.insert(
            "formwork".to_owned(),
            single("suppressed", Value::List(list)),
        );
    }
    if !n.checkov.is_empty() {
        let entry = meta
            .entry("checkov".to_owned())
            .or_insert_with(|| single("skip", Value::List(Vec::new())));
        let skip = match entry {
            Value::Map(o) => match o
                .entry("skip".to_owned())
                .or_insert_with(|| Value::List(Vec::new()))
            {
                Value::List(l) => Some(l),
                _ => None,
            },
            _ => None,
        };
        if let Some(skip) = skip {
            for (id, reason) in &n.checkov {
                let mut there = false;
                for s in skip.iter() {
                    if s.get("id").and_then(Value::as_str) == Some(id.as_str()) {
                        there = true;
                        break;
                    }
                }
                if !there {
                    skip.push(pair("id", id, "comment", reason));
                }
            }
        }
    }
}
