//! `diff`: what a deploy would change, against the deployed stacks or a
//! saved synth (`--against DIR`). Exit 0: no change; 1: changes.

use std::collections::HashMap;

use formwork_core::Assembly;
use serde_json::Value as Json;

use crate::Session;
use crate::aws::Aws;
use crate::deployed::{self, StackInfo};
use crate::diff::{StackDiff, compare, specs_of, to_json, write_text};
use crate::error::{Error, Result};
use crate::par;
use crate::plan::select_stacks;

/// What is deployed of the selected stacks, read up front: one
/// `describe-stacks` per region (one per stack, in parallel, when the
/// credentials may not list the region's stacks), then the templates of
/// those that exist, in parallel.
#[derive(Debug, Default)]
pub(crate) struct Deployed {
    /// By stack name: the stacks that exist (never-created ones included).
    pub info: HashMap<String, StackInfo>,
    /// By stack name: the deployed templates.
    pub templates: HashMap<String, Json>,
}

/// The selected stacks and their regions.
fn stacks_of(asm: &Assembly, selected: &[String]) -> Vec<(String, Option<String>)> {
    asm.stacks
        .iter()
        .filter(|st| selected.contains(&st.name))
        .map(|st| (st.name.clone(), st.env.region.clone()))
        .collect()
}

/// Reads what is deployed of `selected` (see [`Deployed`]).
pub(crate) fn read_deployed(aws: &Aws, asm: &Assembly, selected: &[String]) -> Result<Deployed> {
    let info = describe_selected(aws, asm, selected)?;
    read_templates(aws, asm, selected, info)
}

/// The first half of [`read_deployed`]: the stacks that exist, by name.
pub(crate) fn describe_selected(
    aws: &Aws,
    asm: &Assembly,
    selected: &[String],
) -> Result<HashMap<String, StackInfo>> {
    let stacks = stacks_of(asm, selected);
    let mut regions: Vec<Option<String>> = stacks.iter().map(|(_, r)| r.clone()).collect();
    regions.sort();
    regions.dedup();
    let listed = par::map(&regions, |r| deployed::describe_all(aws, r.as_deref()));
    let mut info = HashMap::new();
    for (region, listed) in regions.iter().zip(listed) {
        let here: Vec<&(String, Option<String>)> =
            stacks.iter().filter(|(_, r)| r == region).collect();
        match listed {
            Ok(mut all) => {
                for (name, _) in here {
                    if let Some(i) = all.remove(name) {
                        info.insert(name.clone(), i);
                    }
                }
            }
            Err(_) => {
                // Credentials scoped to the app's stacks: one call each.
                let one = par::map(&here, |(name, r)| {
                    deployed::describe(aws, name, r.as_deref())
                });
                for ((name, _), i) in here.iter().zip(one) {
                    if let Some(i) = i? {
                        info.insert(name.clone(), i);
                    }
                }
            }
        }
    }
    Ok(info)
}

/// The second half of [`read_deployed`]: the templates of the stacks that
/// exist, in parallel.
pub(crate) fn read_templates(
    aws: &Aws,
    asm: &Assembly,
    selected: &[String],
    info: HashMap<String, StackInfo>,
) -> Result<Deployed> {
    let stacks = stacks_of(asm, selected);
    let existing: Vec<&(String, Option<String>)> = stacks
        .iter()
        .filter(|(n, _)| info.get(n).is_some_and(|i| !i.never_created()))
        .collect();
    let got = par::map(&existing, |(name, r)| {
        deployed::template_of(aws, name, r.as_deref())
    });
    let mut templates = HashMap::new();
    for ((name, _), t) in existing.iter().zip(got) {
        if let Some(t) = t? {
            templates.insert(name.clone(), t);
        }
    }
    Ok(Deployed { info, templates })
}

/// The diff of every selected stack.
pub(crate) fn stack_diffs(s: &Session<'_>, selected: &[String]) -> Result<Vec<StackDiff>> {
    let deployed = match &s.args.against {
        Some(_) => None,
        None => Some(read_deployed(&s.aws, &s.asm, selected)?),
    };
    diffs_from(s, selected, deployed.as_ref())
}

/// The diff of every selected stack against `deployed` (`None`: against
/// the saved synth of `--against`).
pub(crate) fn diffs_from(
    s: &Session<'_>,
    selected: &[String],
    deployed: Option<&Deployed>,
) -> Result<Vec<StackDiff>> {
    let specs = specs_of(&s.app);
    let mut diffs = Vec::new();
    for st in s.asm.stacks.iter().filter(|st| selected.contains(&st.name)) {
        let new: Json = serde_json::from_str(&st.template)
            .map_err(|e| Error::failed(format!("the template of {} is not JSON: {e}", st.name)))?;
        let region = st.env.region.as_deref();
        let old = match (&s.args.against, deployed) {
            (Some(dir), _) => {
                let p = dir.join(&st.file_name);
                match std::fs::read_to_string(&p) {
                    Ok(t) => Some(serde_json::from_str::<Json>(&t).map_err(|e| {
                        Error::failed(format!("{} is not a JSON template: {e}", p.display()))
                    })?),
                    Err(_) => None,
                }
            }
            (None, Some(d)) => d.templates.get(&st.name).cloned(),
            (None, None) => deployed::template(&s.aws, &st.name, region)?,
        };
        let importers = |name: &str| {
            if s.args.against.is_some() {
                None
            } else {
                deployed::importers(&s.aws, name, region)
            }
        };
        diffs.push(compare(&st.name, old.as_ref(), &new, &specs, &importers));
    }
    Ok(diffs)
}

/// Writes diffs as text.
pub(crate) fn print(s: &mut Session<'_>, diffs: &[StackDiff]) {
    for d in diffs {
        let file = s
            .asm
            .stacks
            .iter()
            .find(|st| st.name == d.stack)
            .map(|st| s.out_dir.join(&st.file_name).to_string_lossy().into_owned())
            .unwrap_or_default();
        write_text(d, &file, &s.style, s.out);
    }
}

pub(crate) fn run(s: &mut Session<'_>) -> Result<u8> {
    let selected = select_stacks(&s.asm, &s.args.stacks, s.args.exclusively)?;
    let diffs = stack_diffs(s, &selected)?;
    if s.args.json {
        let text = serde_json::to_string_pretty(&to_json(&diffs)).unwrap_or_default();
        let _ = writeln!(s.out, "{text}");
    } else {
        print(s, &diffs);
    }
    Ok(u8::from(diffs.iter().any(StackDiff::has_changes)))
}
