//! Property types and enums that several resource types of one namespace
//! define identically are generated once, in the namespace's `shared`
//! module, and re-exported by each resource type's module under the same
//! name (`ec2::instance::BlockDeviceMapping` and
//! `ec2::launch_template::BlockDeviceMapping` are one type).
//!
//! A unit (struct or enum) is shared when at least two resource types of the
//! namespace generate the same code for it under the same name, and every
//! unit it refers to is shared too. When one name has several different
//! shared candidates, the one most resource types use keeps the name (ties:
//! the first in type-name order) and the others stay per resource type.
//! Everything is keyed by name and code and walked in sorted order, so the
//! result is deterministic.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::emit::{Parts, Unit};

/// The files of one namespace: `shared.rs` (when anything is shared) and one
/// file per resource type, by module name.
pub fn files(parts: &[(String, Parts)]) -> (Option<String>, Vec<(String, String)>) {
    // (name, text) → the resource types (indexes) that define it.
    let mut users: BTreeMap<(&str, &str), BTreeSet<usize>> = BTreeMap::new();
    for (i, (_, p)) in parts.iter().enumerate() {
        for u in &p.units {
            users
                .entry((u.name.as_str(), u.text.as_str()))
                .or_default()
                .insert(i);
        }
    }
    // Per name, the candidate most resource types use.
    let mut chosen: BTreeMap<&str, (&str, usize, usize)> = BTreeMap::new();
    for ((name, text), who) in &users {
        if who.len() < 2 {
            continue;
        }
        let first = who.iter().next().copied().unwrap_or(usize::MAX);
        let better = match chosen.get(name) {
            None => true,
            Some((_, n, f)) => who.len() > *n || (who.len() == *n && first < *f),
        };
        if better {
            chosen.insert(name, (text, who.len(), first));
        }
    }
    let mut shared: BTreeMap<&str, &str> = chosen.iter().map(|(n, (t, _, _))| (*n, *t)).collect();
    // Drop units that refer to a name that is not shared (with the same code
    // in the resource types using it), until nothing changes.
    loop {
        let mut drop = Vec::new();
        for (i, (_, p)) in parts.iter().enumerate() {
            let _ = i;
            let here: BTreeMap<&str, &Unit> =
                p.units.iter().map(|u| (u.name.as_str(), u)).collect();
            for u in &p.units {
                if shared.get(u.name.as_str()) != Some(&u.text.as_str()) {
                    continue;
                }
                let ok = u.refs.iter().all(|r| {
                    here.get(r.as_str())
                        .is_some_and(|ru| shared.get(r.as_str()) == Some(&ru.text.as_str()))
                });
                if !ok {
                    drop.push(u.name.as_str());
                }
            }
        }
        if drop.is_empty() {
            break;
        }
        for n in drop {
            shared.remove(n);
        }
    }
    let is_shared = |u: &Unit| shared.get(u.name.as_str()) == Some(&u.text.as_str());

    let mut out = Vec::new();
    let mut shared_file = String::new();
    // name → the type names using it, for the doc line.
    let mut used_by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut emitted: BTreeMap<&str, &Unit> = BTreeMap::new();
    for (module, p) in parts {
        let mut reexport = Vec::new();
        let mut text = p.head.clone();
        let mut local = String::new();
        let mut needed_shapes = BTreeSet::new();
        let shared_here: BTreeSet<&str> = p
            .units
            .iter()
            .filter(|u| is_shared(u))
            .map(|u| u.name.as_str())
            .collect();
        let mut local_refs: Vec<&str> = p.local_refs.iter().map(String::as_str).collect();
        for u in &p.units {
            if is_shared(u) {
                reexport.push(u.name.as_str());
                used_by
                    .entry(u.name.as_str())
                    .or_default()
                    .push(&p.type_name);
                emitted.entry(u.name.as_str()).or_insert(u);
            } else {
                local_refs.extend(u.refs.iter().map(String::as_str));
                let doc = if u.is_enum {
                    format!(
                        "The values `{}` of `{}` allows.",
                        u.schema_name, p.type_name
                    )
                } else {
                    format!("`{}`, a property type of `{}`.", u.schema_name, p.type_name)
                };
                local.push_str(&u.with_doc(&doc));
            }
        }
        for r in local_refs {
            if shared_here.contains(r) {
                if let Some(u) = p.units.iter().find(|u| u.name == r && !u.is_enum) {
                    needed_shapes.insert(u.shape());
                }
            }
        }
        if !reexport.is_empty() {
            let _ = writeln!(
                text,
                "\npub use super::shared::{{{}}};",
                reexport.join(", ")
            );
        }
        if !needed_shapes.is_empty() {
            let list: Vec<String> = needed_shapes.into_iter().collect();
            let _ = writeln!(text, "use super::shared::{{{}}};", list.join(", "));
        }
        text.push('\n');
        text.push_str(&p.body);
        text.push_str(&local);
        out.push((module.clone(), text));
    }
    if emitted.is_empty() {
        return (None, out);
    }
    for (name, u) in &emitted {
        let users = &used_by[name];
        let list = users
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let doc = if u.is_enum {
            format!(
                "The values `{}` allows, shared by {list} (identical in their schemas, generated once).",
                u.schema_name
            )
        } else {
            format!(
                "`{}`, a property type shared by {list} (identical in their schemas, generated once).",
                u.schema_name
            )
        };
        let code = u.with_doc(&doc);
        // The shapes are read by the resource types' files.
        let code = match code.strip_prefix("static ") {
            Some(rest) if !u.is_enum => format!("pub(super) static {rest}"),
            _ => code,
        };
        shared_file.push_str(&code);
    }
    (Some(shared_file), out)
}
