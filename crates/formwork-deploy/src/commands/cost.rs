//! `cost`: the monthly estimate of what the app deploys (see
//! `formwork-cost`), as a table or JSON.

use formwork_cost::{Estimate, PriceTable};

use crate::Session;
use crate::error::{Error, Result};

/// The estimate of the session's app, priced with the shipped table; a
/// stack without a region is priced in `--region`'s when given.
pub(crate) fn estimate(s: &Session<'_>) -> Result<Estimate> {
    let table = PriceTable::builtin().map_err(Error::Failed)?;
    let mut asm = s.asm.clone();
    if let Some(r) = &s.args.aws.region {
        for st in &mut asm.stacks {
            if st.env.region.is_none() {
                st.env.region = Some(r.clone());
            }
        }
    }
    Ok(formwork_cost::estimate(&asm, &table))
}

pub(crate) fn run(s: &mut Session<'_>) -> Result<u8> {
    let e = estimate(s)?;
    if s.args.json {
        let text = serde_json::to_string_pretty(&e.to_json()).unwrap_or_default();
        let _ = writeln!(s.out, "{text}");
    } else {
        let _ = write!(s.out, "{}", e.to_text());
    }
    Ok(0)
}
