//! A stack's whole template, written into a [`Sink`] in CloudFormation's
//! section order.

use crate::Value;
use crate::fasthash::FastMap;

use indexmap::IndexMap;

use crate::diag::{Diagnostic, codes};

use super::overrides::Props;

use super::refs::{ExportInfo, ExportKey};
use super::render::Renderer;
use super::sink::Sink;
use super::view::StackView;

/// The exports of a stack that get an output: all but those whose output id
/// an output of the stack already has (an error each).
pub(crate) fn export_outputs<'e>(
    view: &StackView<'_>,
    exports: &'e IndexMap<ExportKey, ExportInfo>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(&'e ExportKey, &'e ExportInfo)> {
    // An id is taken by an output of the stack or an export before it:
    // plain scans, as a stack has few of either and a hash set of them
    // cost more to build than the scans in a debug build.
    let outputs = &view.data.outputs;
    let mut out: Vec<(&'e ExportKey, &'e ExportInfo)> = Vec::with_capacity(exports.len());
    for (key, info) in exports {
        let id = info.output_id.as_str();
        let mut taken = false;
        let mut k = 0;
        while let Some((name, _)) = outputs.get_index(k) {
            if name.len() == id.len() && name == id {
                taken = true;
                break;
            }
            k += 1;
        }
        let mut j = 0;
        while let (false, Some((_, earlier))) = (taken, out.get(j)) {
            taken = earlier.output_id == id;
            j += 1;
        }
        if taken {
            diags.push(
                Diagnostic::error(
                    codes::LOGICAL_ID_COLLISION,
                    format!("{}/{} (output)", view.name, info.output_id),
                    "an output has the id formwork gives an export for another stack",
                )
                .fix("rename the output"),
            );
            continue;
        }
        out.push((key, info));
    }
    out
}

/// Writes the template of `view`: `props` are the properties of its
/// resources as they will be written, `exports` the outputs it exports for
/// other stacks (see [`export_outputs`]); a resource in `patched` (by
/// index) gets that JSON as its `Metadata` (a resource with suppression
/// notes in its metadata).
pub(crate) fn write<S: Sink>(
    view: &StackView<'_>,
    r: &Renderer<'_>,
    props: &[Props<'_>],
    exports: &[(&ExportKey, &ExportInfo)],
    patched: &FastMap<usize, Value>,
    s: &mut S,
) {
    let d = &view.data;
    s.begin_object();
    s.str_entry("AWSTemplateFormatVersion", "2010-09-09");
    if let Some(desc) = &d.description {
        s.str_entry("Description", desc);
    }
    if !d.metadata.is_empty() {
        s.key("Metadata");
        s.begin_object();
        for (k, v) in &d.metadata {
            s.key(k);
            r.value(v, s);
        }
        s.end_object();
    }
    if !d.parameters.is_empty() {
        s.key("Parameters");
        s.begin_object();
        for (k, p) in &d.parameters {
            s.key(k);
            r.parameter(p, s);
        }
        s.end_object();
    }
    if !d.mappings.is_empty() {
        s.key("Mappings");
        s.begin_object();
        for (k, m) in &d.mappings {
            s.key(k);
            s.begin_object();
            for (top, second) in &m.entries {
                s.key(top);
                s.begin_object();
                for (k2, v) in second {
                    s.key(k2);
                    r.value(v, s);
                }
                s.end_object();
            }
            s.end_object();
        }
        s.end_object();
    }
    if !d.conditions.is_empty() {
        s.key("Conditions");
        s.begin_object();
        for (k, v) in &d.conditions {
            s.key(k);
            r.value(v, s);
        }
        s.end_object();
    }
    s.key("Resources");
    s.begin_object();
    let mut path = String::new();
    let empty = Props::default();
    for (i, e) in d.resources.iter().enumerate() {
        s.key(&e.logical_id);
        view.path_into(e, &mut path);
        r.resource_with_metadata(e, props.get(i).unwrap_or(&empty), &path, patched.get(&i), s);
    }
    s.end_object();
    if !d.outputs.is_empty() || !exports.is_empty() {
        s.key("Outputs");
        s.begin_object();
        for (k, o) in &d.outputs {
            s.key(k);
            s.begin_object();
            if let Some(desc) = &o.description {
                s.str_entry("Description", desc);
            }
            s.key("Value");
            r.value(&o.value, s);
            if let Some(n) = &o.export_name {
                s.key("Export");
                s.begin_object();
                s.key("Name");
                r.value(n, s);
                s.end_object();
            }
            if let Some(c) = &o.condition {
                s.str_entry("Condition", c);
            }
            s.end_object();
        }
        for (key, info) in exports {
            s.key(&info.output_id);
            r.export_output(key, info, s);
        }
        s.end_object();
    }
    s.end_object();
}
