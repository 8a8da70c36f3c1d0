//! A diff for people (text, coloured on a terminal) and for machines (JSON).

use std::io::Write;

use serde_json::{Value as Json, json};

use super::props::show;
use super::{Fate, Impact, NamedChange, PropertyChange, StackDiff};
use crate::output::{Color, Style};

fn value(v: &Option<Json>) -> String {
    match v {
        None => "(none)".to_owned(),
        Some(v) => {
            let s = show(v);
            if s.chars().count() > 120 {
                format!("{}…", s.chars().take(119).collect::<String>())
            } else {
                s
            }
        }
    }
}

fn table(
    rows: &[(char, Vec<String>)],
    header: &[&str],
    style: &Style,
    out: &mut dyn Write,
    indent: &str,
) {
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for (_, r) in rows {
        for (i, c) in r.iter().enumerate() {
            width[i] = width[i].max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:w$}", w = width[i]))
            .collect::<Vec<_>>()
            .join(" │ ")
            .trim_end()
            .to_owned()
    };
    let head: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    let _ = writeln!(out, "{indent}  {}", style.paint(Color::Bold, &line(&head)));
    for (sign, r) in rows {
        let color = if *sign == '+' {
            Color::Green
        } else {
            Color::Red
        };
        let _ = writeln!(
            out,
            "{indent}{} {}",
            style.paint(color, &sign.to_string()),
            line(r)
        );
    }
}

fn prop_lines(changes: &[PropertyChange], style: &Style, out: &mut dyn Write) {
    for p in changes {
        let _ = writeln!(
            out,
            "      {}: {} → {}",
            p.path,
            style.paint(Color::Red, &value(&p.old)),
            style.paint(Color::Green, &value(&p.new))
        );
    }
}

fn named(title: &str, changes: &[NamedChange], style: &Style, out: &mut dyn Write) {
    if changes.is_empty() {
        return;
    }
    let _ = writeln!(out, "  {}", style.paint(Color::Bold, title));
    for c in changes {
        let (sign, color) = match (&c.old, &c.new) {
            (None, _) => ('+', Color::Green),
            (_, None) => ('-', Color::Red),
            _ => ('~', Color::Yellow),
        };
        let v = |x: &Option<Json>| {
            value(
                &x.as_ref()
                    .map(|j| j.get("Value").cloned().unwrap_or(j.clone())),
            )
        };
        let _ = writeln!(
            out,
            "  {} {}: {} → {}",
            style.paint(color, &sign.to_string()),
            c.name,
            v(&c.old),
            v(&c.new)
        );
    }
}

/// The refactor mapping that moves a renamed resource to its new id.
pub fn refactor_mapping(d: &StackDiff) -> Json {
    Json::Array(
        d.renames
            .iter()
            .map(|r| {
                json!({
                    "Source": {"StackName": d.stack, "LogicalResourceId": r.old_id},
                    "Destination": {"StackName": d.stack, "LogicalResourceId": r.new_id},
                })
            })
            .collect(),
    )
}

/// Writes one stack's diff as text.
pub fn write_text(d: &StackDiff, template_file: &str, style: &Style, out: &mut dyn Write) {
    let title = style.paint(Color::Bold, &format!("Stack {}", d.stack));
    if !d.deployed {
        let _ = writeln!(out, "{title}: new stack ({} resources)", d.resources.len());
    } else if !d.has_changes() {
        let _ = writeln!(out, "{title}: no changes");
        return;
    } else {
        let _ = writeln!(out, "{title}");
    }
    if d.deployed && !d.resources.is_empty() {
        let _ = writeln!(out, "  {}", style.paint(Color::Bold, "Resources"));
    }
    for r in d.resources.iter().filter(|_| d.deployed) {
        let (sign, color) = match r.impact {
            Impact::Create => ("+", Color::Green),
            Impact::Delete => ("-", Color::Red),
            Impact::Replace | Impact::MayReplace => ("±", Color::Red),
            Impact::InPlace => ("~", Color::Yellow),
        };
        let path = r
            .path
            .as_deref()
            .map(|p| format!(" {p}"))
            .unwrap_or_default();
        let impact = match r.impact {
            Impact::Replace | Impact::MayReplace => {
                format!(" {} ({})", r.impact.as_str(), r.reasons.join("; "))
            }
            Impact::InPlace => " in-place".to_owned(),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "  {} {} [{}]{}{}",
            style.paint(color, sign),
            r.logical_id,
            r.type_name,
            style.paint(Color::Dim, &path),
            style.paint(color, &impact)
        );
        prop_lines(&r.properties, style, out);
        prop_lines(&r.attributes, style, out);
        if let Some(f) = r.data {
            let c = if f == Fate::Destroyed {
                Color::Red
            } else {
                Color::Yellow
            };
            let what = if r.impact == Impact::Delete {
                "deleted"
            } else {
                "replaced"
            };
            let _ = writeln!(
                out,
                "      {}",
                style.paint(
                    c,
                    &format!("data: {what}; the old {} is {}", r.type_name, f.as_str())
                )
            );
        }
    }
    if !d.renames.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            style.paint(
                Color::Bold,
                "Renamed (same type and properties under a new logical id)"
            )
        );
        for r in &d.renames {
            let _ = writeln!(out, "    {} → {} [{}]", r.old_id, r.new_id, r.type_name);
        }
        let mapping = refactor_mapping(d);
        let _ = writeln!(
            out,
            "    keep the resources: move them to the new ids with a stack refactor (AWS CLI v2):\n      \
             aws cloudformation create-stack-refactor --stack-definitions StackName={},TemplateBody@=file://{template_file} \
             --resource-mappings '{mapping}'",
            d.stack
        );
        for r in &d.renames {
            let _ = writeln!(
                out,
                "    or pin the old id in the app: .override_logical_id(\"{}\") on the construct of {}",
                r.old_id, r.new_id
            );
        }
    }
    if !d.iam_added.is_empty() || !d.iam_removed.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            style.paint(Color::Bold, "IAM statements (+ broadens access)")
        );
        let rows: Vec<(char, Vec<String>)> = d
            .iam_added
            .iter()
            .map(|r| ('+', r))
            .chain(d.iam_removed.iter().map(|r| ('-', r)))
            .map(|(s, r)| {
                (
                    s,
                    vec![
                        r.holder.clone(),
                        r.effect.clone(),
                        r.actions.clone(),
                        r.resources.clone(),
                        r.principal.clone(),
                        r.condition.clone(),
                    ],
                )
            })
            .collect();
        table(
            &rows,
            &[
                "Holder",
                "Effect",
                "Actions",
                "Resources",
                "Principal",
                "Condition",
            ],
            style,
            out,
            "  ",
        );
    }
    if !d.sg_added.is_empty() || !d.sg_removed.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            style.paint(Color::Bold, "Security group rules (+ broadens access)")
        );
        let rows: Vec<(char, Vec<String>)> = d
            .sg_added
            .iter()
            .map(|r| ('+', r))
            .chain(d.sg_removed.iter().map(|r| ('-', r)))
            .map(|(s, r)| {
                let mut peer = r.peer.clone();
                if s == '+' && r.open_to_world() {
                    peer.push_str(" (the internet)");
                }
                (
                    s,
                    vec![r.group.clone(), r.direction.clone(), r.ports.clone(), peer],
                )
            })
            .collect();
        table(
            &rows,
            &["Group", "Dir", "Protocol/ports", "Peer"],
            style,
            out,
            "  ",
        );
    }
    named("Outputs", &d.outputs, style, out);
    named("Parameters", &d.parameters, style, out);
    for e in &d.removed_exports {
        let note = match &e.importers {
            Some(i) if !i.is_empty() => style.paint(
                Color::Red,
                &format!(
                    "imported by {}: CloudFormation will refuse to remove it",
                    i.join(", ")
                ),
            ),
            Some(_) => "imported by no stack".to_owned(),
            None => "could not list its importers".to_owned(),
        };
        let _ = writeln!(
            out,
            "  {} export {}: {note}",
            style.paint(Color::Red, "-"),
            e.name
        );
    }
    for s in &d.sections {
        let _ = writeln!(out, "  {} {s} changed", style.paint(Color::Yellow, "~"));
    }
}

fn prop_json(p: &PropertyChange) -> Json {
    json!({"path": p.path, "old": p.old, "new": p.new})
}

/// The diffs as JSON (`diff --json`).
pub fn to_json(diffs: &[StackDiff]) -> Json {
    let stacks: Vec<Json> = diffs
        .iter()
        .map(|d| {
            json!({
                "stack": d.stack,
                "deployed": d.deployed,
                "changed": d.has_changes(),
                "broadens": d.broadens(),
                "resources": d.resources.iter().map(|r| json!({
                    "logicalId": r.logical_id,
                    "type": r.type_name,
                    "path": r.path,
                    "impact": r.impact.as_str(),
                    "reasons": r.reasons,
                    "properties": r.properties.iter().map(prop_json).collect::<Vec<_>>(),
                    "attributes": r.attributes.iter().map(prop_json).collect::<Vec<_>>(),
                    "data": r.data.map(Fate::key),
                })).collect::<Vec<_>>(),
                "renames": refactor_mapping(d),
                "iam": d.iam_added.iter().map(|r| ("added", r)).chain(d.iam_removed.iter().map(|r| ("removed", r))).map(|(c, r)| json!({
                    "change": c, "holder": r.holder, "effect": r.effect, "actions": r.actions,
                    "resources": r.resources, "principal": r.principal, "condition": r.condition,
                })).collect::<Vec<_>>(),
                "securityGroupRules": d.sg_added.iter().map(|r| ("added", r)).chain(d.sg_removed.iter().map(|r| ("removed", r))).map(|(c, r)| json!({
                    "change": c, "group": r.group, "direction": r.direction, "ports": r.ports, "peer": r.peer,
                })).collect::<Vec<_>>(),
                "outputs": d.outputs.iter().map(|c| json!({"name": c.name, "old": c.old, "new": c.new})).collect::<Vec<_>>(),
                "parameters": d.parameters.iter().map(|c| json!({"name": c.name, "old": c.old, "new": c.new})).collect::<Vec<_>>(),
                "removedExports": d.removed_exports.iter().map(|e| json!({"name": e.name, "importers": e.importers})).collect::<Vec<_>>(),
                "sections": d.sections,
            })
        })
        .collect();
    json!({ "stacks": stacks })
}
