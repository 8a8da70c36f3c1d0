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
    if !s.args.strict {
        return Ok(0);
    }
    let mut failed = !s.asm.warnings.0.is_empty();
    if failed {
        let _ = writeln!(s.err, "error: --strict: warnings count as errors");
    }
    let estimate = super::cost::estimate(s)?;
    if let (true, Some(budget), Some(gap)) =
        (estimate.over_budget(), estimate.budget(), estimate.gap())
    {
        failed = true;
        let _ = writeln!(
            s.err,
            "error: --strict: the estimate, ${:.2} a month, is over the budget of ${budget:.2} by ${gap:.2} (see `cost`)",
            estimate.total()
        );
    }
    Ok(u8::from(failed))
}
