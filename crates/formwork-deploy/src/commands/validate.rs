//! `validate`: synthesize and check; write nothing.

use crate::Session;
use crate::error::Result;

pub(crate) fn run(s: &mut Session<'_>) -> Result<u8> {
    let n: usize = s.asm.stacks.iter().map(|st| st.resource_count).sum();
    let _ = writeln!(
        s.out,
        "valid: {} stack(s), {n} resource(s), {} warning(s)",
        s.asm.stacks.len(),
        s.asm.warnings.0.len()
    );
    Ok(0)
}
