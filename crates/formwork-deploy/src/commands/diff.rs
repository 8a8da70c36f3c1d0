//! `diff`: what a deploy would change.

use serde_json::Value as Json;

use crate::Session;
use crate::diff::{specs_of, stack_changes};
use crate::error::Result;
use crate::output::Color;
use crate::plan::select_stacks;

pub(crate) fn run(s: &mut Session<'_>) -> Result<u8> {
    let selected = select_stacks(&s.asm, &s.args.stacks, s.args.exclusively)?;
    let specs = specs_of(&s.app);
    let mut changed = false;
    for st in s.asm.stacks.iter().filter(|st| selected.contains(&st.name)) {
        let new: Json = serde_json::from_str(&st.template).unwrap_or(Json::Null);
        let old = std::fs::read_to_string(s.out_dir.join(&st.file_name))
            .ok()
            .and_then(|t| serde_json::from_str::<Json>(&t).ok());
        match old {
            None => {
                changed = true;
                let _ = writeln!(
                    s.out,
                    "{}: new stack ({} resources)",
                    st.name, st.resource_count
                );
            }
            Some(old) => {
                let lines = stack_changes(&old, &new, &specs);
                if lines.is_empty() {
                    let _ = writeln!(s.out, "{}: no changes", st.name);
                } else {
                    changed = true;
                    let _ = writeln!(s.out, "{}:", st.name);
                    for l in lines {
                        let color = match l.chars().next() {
                            Some('+') => Color::Green,
                            Some('-') => Color::Red,
                            _ => Color::Yellow,
                        };
                        let _ = writeln!(s.out, "  {}", s.style.paint(color, &l));
                    }
                }
            }
        }
    }
    Ok(u8::from(changed))
}
