//! `list`: the stacks in deploy order.

use crate::Session;
use crate::error::Result;

pub(crate) fn run(s: &mut Session<'_>) -> Result<u8> {
    for st in &s.asm.stacks {
        let region = st.env.region.as_deref().unwrap_or("(agnostic)");
        let deps = if st.dependencies.is_empty() {
            String::new()
        } else {
            format!(" after {}", st.dependencies.join(", "))
        };
        let _ = writeln!(
            s.out,
            "{}\t{region}\t{} resources{deps}",
            st.name, st.resource_count
        );
    }
    Ok(0)
}
