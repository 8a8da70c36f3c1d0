//! `synth`: write the templates and the manifest.

use crate::Session;
use crate::error::Result;

pub(crate) fn run(s: &mut Session<'_>) -> Result<u8> {
    s.asm.write_as(&s.out_dir, &s.owner)?;
    for st in &s.asm.stacks {
        let _ = writeln!(
            s.out,
            "{}: {} ({} resources, {} bytes)",
            st.name,
            s.out_dir.join(&st.file_name).display(),
            st.resource_count,
            st.template.len()
        );
    }
    Ok(0)
}
