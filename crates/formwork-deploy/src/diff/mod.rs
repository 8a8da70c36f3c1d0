//! Comparing a deployed template with a new one: what a deploy would
//! change, how (in place, replacement, may-replace), who gains access, and
//! which data would be lost.
//!
//! Pure functions over JSON: the commands fetch the deployed template and
//! render the result.

mod access;
mod data;
mod props;
mod render;

use std::collections::{BTreeSet, HashMap};

use formwork_core::App;
use formwork_core::spec::ResourceSpec;
use serde_json::{Map, Value as Json};

pub use access::{IamRow, SgRule, iam_rows, sg_rules};
pub use data::{Fate, STATEFUL_TYPES, fate, is_stateful};
pub use props::{PropertyChange, show};
pub use render::{to_json, write_text};

/// The resource specs by type name.
pub type Specs = HashMap<&'static str, &'static ResourceSpec>;

/// The resource specs an app uses, by type name.
pub fn specs_of(app: &App) -> Specs {
    let mut m = HashMap::new();
    for s in app.stacks() {
        for r in s.resources() {
            let spec = r.spec();
            m.insert(spec.type_name, spec);
        }
    }
    m
}

/// How a resource changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Impact {
    /// Created.
    Create,
    /// Deleted.
    Delete,
    /// Updated in place.
    InPlace,
    /// Replaced: a new one is created and the old one deleted.
    Replace,
    /// Replaced if a value only known at deploy time changes.
    MayReplace,
}

impl Impact {
    /// The word in the diff and in `--json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::Create => "create",
            Impact::Delete => "delete",
            Impact::InPlace => "in-place",
            Impact::Replace => "replacement",
            Impact::MayReplace => "may-replace",
        }
    }
}

/// One resource that changes.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceChange {
    /// Its logical id.
    pub logical_id: String,
    /// Its type.
    pub type_name: String,
    /// Its construct path, from the template's metadata.
    pub path: Option<String>,
    /// How it changes.
    pub impact: Impact,
    /// Changed properties, with old and new values.
    pub properties: Vec<PropertyChange>,
    /// Changed resource attributes (`DeletionPolicy`, `DependsOn`...).
    pub attributes: Vec<PropertyChange>,
    /// Why it is replaced.
    pub reasons: Vec<String>,
    /// What happens to its data, for a stateful resource deleted or replaced.
    pub data: Option<Fate>,
}

/// A resource whose logical id changed while nothing else did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rename {
    /// The deployed logical id.
    pub old_id: String,
    /// The new logical id.
    pub new_id: String,
    /// The type.
    pub type_name: String,
}

/// A named entry of `Outputs` or `Parameters` that changes.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedChange {
    /// Its name.
    pub name: String,
    /// The deployed definition.
    pub old: Option<Json>,
    /// The new definition.
    pub new: Option<Json>,
}

/// An export the new template no longer has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemovedExport {
    /// The export name.
    pub name: String,
    /// The stacks that import it (`None`: could not be found out).
    pub importers: Option<Vec<String>>,
}

/// Everything that changes in one stack.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StackDiff {
    /// The stack.
    pub stack: String,
    /// False when the stack is not deployed yet.
    pub deployed: bool,
    /// Resources created, deleted or changed.
    pub resources: Vec<ResourceChange>,
    /// Renames (also listed as a deletion and a creation).
    pub renames: Vec<Rename>,
    /// IAM statements added.
    pub iam_added: Vec<IamRow>,
    /// IAM statements removed.
    pub iam_removed: Vec<IamRow>,
    /// Security-group rules added.
    pub sg_added: Vec<SgRule>,
    /// Security-group rules removed.
    pub sg_removed: Vec<SgRule>,
    /// Outputs that change.
    pub outputs: Vec<NamedChange>,
    /// Parameters that change.
    pub parameters: Vec<NamedChange>,
    /// Exports removed.
    pub removed_exports: Vec<RemovedExport>,
    /// Other template sections that change (`Conditions`, `Mappings`...).
    pub sections: Vec<String>,
}

impl StackDiff {
    /// True when a deploy would change anything.
    pub fn has_changes(&self) -> bool {
        !self.deployed
            || !self.resources.is_empty()
            || !self.outputs.is_empty()
            || !self.parameters.is_empty()
            || !self.sections.is_empty()
    }

    /// True when the change grants more access: an IAM `Allow` or a
    /// security-group rule added, or a `Deny` removed.
    pub fn broadens(&self) -> bool {
        self.iam_added
            .iter()
            .any(|r| r.effect == "Allow" && !self.iam_removed.iter().any(|old| old.covers(r)))
            || self.iam_removed.iter().any(|r| r.effect == "Deny")
            || !self.sg_added.is_empty()
    }

    /// True when a deployed resource is replaced (or may be) or deleted.
    pub fn replaces_or_deletes(&self) -> bool {
        self.resources.iter().any(|r| {
            matches!(
                r.impact,
                Impact::Replace | Impact::MayReplace | Impact::Delete
            )
        })
    }

    /// The stateful resources whose data the change destroys.
    pub fn destroyed_data(&self) -> Vec<&ResourceChange> {
        self.resources
            .iter()
            .filter(|r| r.data == Some(Fate::Destroyed))
            .collect()
    }

    /// A removed export that another stack imports.
    pub fn blocked_exports(&self) -> Vec<&RemovedExport> {
        self.removed_exports
            .iter()
            .filter(|e| e.importers.as_ref().is_some_and(|i| !i.is_empty()))
            .collect()
    }
}

const ATTRIBUTES: &[&str] = &[
    "DependsOn",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "Condition",
    "Metadata",
    "UpdatePolicy",
    "CreationPolicy",
];

fn section(t: Option<&Json>, key: &str) -> Map<String, Json> {
    t.and_then(|t| t.get(key))
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default()
}

fn construct_path(r: &Json) -> Option<String> {
    r.pointer(&format!(
        "/Metadata/{}",
        formwork_core::synth::PATH_METADATA
    ))
    .and_then(Json::as_str)
    .map(str::to_owned)
}

fn type_of(r: &Json) -> String {
    r.get("Type")
        .and_then(Json::as_str)
        .unwrap_or("?")
        .to_owned()
}

/// The same resource under another id: same type, properties and policies.
fn same_but_id(a: &Json, b: &Json) -> bool {
    a.get("Type") == b.get("Type")
        && a.get("Properties") == b.get("Properties")
        && a.get("DeletionPolicy") == b.get("DeletionPolicy")
}

/// Compares the deployed template `old` (`None`: not deployed) with `new`.
/// `importers` answers which stacks import an export (`None`: unknown).
pub fn compare(
    stack: &str,
    old: Option<&Json>,
    new: &Json,
    specs: &Specs,
    importers: &dyn Fn(&str) -> Option<Vec<String>>,
) -> StackDiff {
    let mut d = StackDiff {
        stack: stack.to_owned(),
        deployed: old.is_some(),
        ..StackDiff::default()
    };
    let a = section(old, "Resources");
    let b = section(Some(new), "Resources");

    // Resources in both: property and attribute changes, direct replacements.
    let mut changes: Vec<ResourceChange> = Vec::new();
    for (id, old_r) in &a {
        let Some(new_r) = b.get(id) else { continue };
        let ty = type_of(new_r);
        let mut c = ResourceChange {
            logical_id: id.clone(),
            type_name: ty.clone(),
            path: construct_path(new_r),
            impact: Impact::InPlace,
            properties: Vec::new(),
            attributes: Vec::new(),
            reasons: Vec::new(),
            data: None,
        };
        if old_r.get("Type") != new_r.get("Type") {
            c.impact = Impact::Replace;
            c.reasons
                .push(format!("the type changes from {}", type_of(old_r)));
        } else {
            props::changes(
                old_r.get("Properties"),
                new_r.get("Properties"),
                "",
                &mut c.properties,
            );
            let spec = specs.get(ty.as_str());
            for p in &c.properties {
                if !spec.is_some_and(|s| s.is_create_only(&p.path)) {
                    continue;
                }
                let unknown = p.old.as_ref().is_some_and(props::has_intrinsic)
                    || p.new.as_ref().is_some_and(props::has_intrinsic);
                let top = p.path.split('.').next().unwrap_or_default();
                if unknown {
                    if c.impact != Impact::Replace {
                        c.impact = Impact::MayReplace;
                    }
                    c.reasons.push(format!(
                        "{top} cannot change in place and may resolve to a new value"
                    ));
                } else {
                    c.impact = Impact::Replace;
                    c.reasons.push(format!("{top} cannot change in place"));
                }
            }
            c.reasons.dedup();
        }
        for k in ATTRIBUTES {
            props::changes(old_r.get(*k), new_r.get(*k), k, &mut c.attributes);
        }
        if !c.properties.is_empty() || !c.attributes.is_empty() || c.impact != Impact::InPlace {
            changes.push(c);
        }
    }

    // Knock-on replacements: a create-only property that refers to a
    // replaced resource gets a new value, so its resource is replaced too.
    loop {
        let replaced: HashMap<String, Impact> = changes
            .iter()
            .filter(|c| matches!(c.impact, Impact::Replace | Impact::MayReplace))
            .map(|c| (c.logical_id.clone(), c.impact))
            .collect();
        let mut grew = false;
        for (id, new_r) in &b {
            if !a.contains_key(id) || replaced.contains_key(id) {
                continue;
            }
            let ty = type_of(new_r);
            let Some(spec) = specs.get(ty.as_str()) else {
                continue;
            };
            let Some(p) = new_r.get("Properties").and_then(Json::as_object) else {
                continue;
            };
            for (name, value) in p {
                if !spec.is_create_only(name) {
                    continue;
                }
                let mut refs = Vec::new();
                props::references(value, &mut refs);
                let Some((target, impact)) = refs
                    .iter()
                    .find_map(|r| replaced.get(r).map(|i| (r.clone(), *i)))
                else {
                    continue;
                };
                let reason = format!("{name} refers to {target}, which is replaced");
                let c = match changes.iter_mut().find(|c| &c.logical_id == id) {
                    Some(c) => c,
                    None => {
                        changes.push(ResourceChange {
                            logical_id: id.clone(),
                            type_name: ty.clone(),
                            path: construct_path(new_r),
                            impact: Impact::InPlace,
                            properties: Vec::new(),
                            attributes: Vec::new(),
                            reasons: Vec::new(),
                            data: None,
                        });
                        let last = changes.len() - 1;
                        &mut changes[last]
                    }
                };
                c.impact = if impact == Impact::Replace {
                    Impact::Replace
                } else {
                    Impact::MayReplace
                };
                c.reasons.push(reason);
                grew = true;
                break;
            }
        }
        if !grew {
            break;
        }
    }

    // Creations and deletions; renames among them.
    let removed: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let added: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    for id in &added {
        let r = &b[id.as_str()];
        if let Some(old_id) = removed.iter().find(|o| {
            same_but_id(&a[o.as_str()], r)
                && !d.renames.iter().any(|x| x.old_id.as_str() == o.as_str())
        }) {
            d.renames.push(Rename {
                old_id: (*old_id).clone(),
                new_id: (*id).clone(),
                type_name: type_of(r),
            });
        }
        changes.push(ResourceChange {
            logical_id: (*id).clone(),
            type_name: type_of(r),
            path: construct_path(r),
            impact: Impact::Create,
            properties: Vec::new(),
            attributes: Vec::new(),
            reasons: Vec::new(),
            data: None,
        });
    }
    for id in &removed {
        let r = &a[id.as_str()];
        changes.push(ResourceChange {
            logical_id: (*id).clone(),
            type_name: type_of(r),
            path: construct_path(r),
            impact: Impact::Delete,
            properties: Vec::new(),
            attributes: Vec::new(),
            reasons: Vec::new(),
            data: None,
        });
    }

    // Data: what a deletion or replacement does to a stateful resource.
    for c in &mut changes {
        if !is_stateful(&c.type_name) {
            continue;
        }
        c.data = match c.impact {
            Impact::Delete => Some(fate(&a[&c.logical_id], "DeletionPolicy")),
            Impact::Replace | Impact::MayReplace => {
                Some(fate(&b[&c.logical_id], "UpdateReplacePolicy"))
            }
            _ => None,
        };
    }
    let order = |c: &ResourceChange| {
        let rank = match c.impact {
            Impact::Delete => 0,
            Impact::Replace | Impact::MayReplace => 1,
            Impact::InPlace => 2,
            Impact::Create => 3,
        };
        (rank, c.logical_id.clone())
    };
    changes.sort_by_key(order);
    d.resources = changes;

    // Access.
    let empty = Json::Null;
    let old_t = old.unwrap_or(&empty);
    (d.iam_added, d.iam_removed) = access::added_removed(&iam_rows(old_t), &iam_rows(new));
    (d.sg_added, d.sg_removed) = access::added_removed(&sg_rules(old_t), &sg_rules(new));

    // Outputs, parameters, exports, other sections.
    for (key, out) in [
        ("Outputs", &mut d.outputs),
        ("Parameters", &mut d.parameters),
    ] {
        let (x, y) = (section(old, key), section(Some(new), key));
        let names: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
        for n in names {
            if x.get(n) != y.get(n) {
                out.push(NamedChange {
                    name: n.clone(),
                    old: x.get(n).cloned(),
                    new: y.get(n).cloned(),
                });
            }
        }
    }
    let exports = |t: Option<&Json>| -> Vec<String> {
        section(t, "Outputs")
            .values()
            .filter_map(|o| {
                o.pointer("/Export/Name")
                    .and_then(Json::as_str)
                    .map(str::to_owned)
            })
            .collect()
    };
    let new_exports = exports(Some(new));
    for name in exports(old) {
        if !new_exports.contains(&name) {
            d.removed_exports.push(RemovedExport {
                importers: importers(&name),
                name,
            });
        }
    }
    if old.is_some() {
        for key in [
            "Conditions",
            "Mappings",
            "Description",
            "Metadata",
            "Transform",
        ] {
            if old.and_then(|t| t.get(key)) != new.get(key) {
                d.sections.push(key.to_owned());
            }
        }
    }
    d
}

#[cfg(test)]
mod tests;
