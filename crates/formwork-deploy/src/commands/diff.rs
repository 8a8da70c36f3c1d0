//! `diff`: what a deploy would change, against the deployed stacks or a
//! saved synth (`--against DIR`). Exit 0: no change; 1: changes.

use serde_json::Value as Json;

use crate::Session;
use crate::deployed;
use crate::diff::{StackDiff, compare, specs_of, to_json, write_text};
use crate::error::{Error, Result};
use crate::plan::select_stacks;

/// The diff of every selected stack.
pub(crate) fn stack_diffs(s: &Session<'_>, selected: &[String]) -> Result<Vec<StackDiff>> {
    let specs = specs_of(&s.app);
    let mut diffs = Vec::new();
    for st in s.asm.stacks.iter().filter(|st| selected.contains(&st.name)) {
        let new: Json = serde_json::from_str(&st.template)
            .map_err(|e| Error::failed(format!("the template of {} is not JSON: {e}", st.name)))?;
        let region = st.env.region.as_deref();
        let old = match &s.args.against {
            Some(dir) => {
                let p = dir.join(&st.file_name);
                match std::fs::read_to_string(&p) {
                    Ok(t) => Some(serde_json::from_str::<Json>(&t).map_err(|e| {
                        Error::failed(format!("{} is not a JSON template: {e}", p.display()))
                    })?),
                    Err(_) => None,
                }
            }
            None => deployed::template(&s.aws, &st.name, region)?,
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
