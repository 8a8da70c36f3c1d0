//! Monthly cost estimates of a formwork app, offline.
//!
//! - [`PriceTable`]: on-demand unit prices per region, shipped in the crate
//!   (`prices/aws-prices.json`, with its date and source) and refreshed
//!   from the public AWS Price List files by `scripts/refresh-prices.py`.
//! - [`Usage`], [`assume`], [`assume_for_app`], [`set_budget`]: what the app
//!   assumes (hours, tasks, requests, GB) and what it may spend, declared
//!   next to its constructs and recorded in the templates' `Metadata`
//!   (`Formwork::Cost`), never in a resource. Defaults are in
//!   [`assumptions`].
//! - [`estimate`]: one line per charge of each resource, with the
//!   assumption behind it, totals, the minimum and maximum under
//!   autoscaling, the budget gap, the largest lines and the cheapest fix.
//!   A type without a price model is listed as not priced, never counted
//!   as zero.
//!
//! ```
//! use formwork::cost::{PriceTable, StackInput, estimate_stack};
//! let template = serde_json::json!({
//!     "Metadata": {"Formwork::Cost": {"Usage": {"Logs": {"gb": 5.0}}, "Budget": {"MonthlyUsd": 2.0}}},
//!     "Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {}}}
//! });
//! let table = PriceTable::builtin()?;
//! let s = estimate_stack(&StackInput { name: "Cache", region: Some("us-east-1"), template: &template }, &table);
//! assert_eq!(s.lines[0].assumption, "5 GB × $0.5/GB");
//! assert_eq!(format!("{:.2}", s.total()), "2.65");
//! assert_eq!(s.budget, Some(2.0));
//! # Ok::<(), String>(())
//! ```
#![deny(missing_docs)]

pub mod assumptions;
mod estimate;
mod prices;
mod report;
mod usage;

pub use estimate::{
    FALLBACK_REGION, Fix, Line, NotPriced, StackEstimate, StackInput, estimate_stack,
};
pub use prices::{BUILTIN, PriceTable, RegionPrices};
pub use report::Estimate;
pub use usage::{ALL, METADATA_KEY, Usage, assume, assume_for_app, set_budget};

use formwork_core::Assembly;

/// Prices every stack of a synthesized app.
pub fn estimate(asm: &Assembly, table: &PriceTable) -> Estimate {
    let stacks = asm
        .stacks
        .iter()
        .map(|s| {
            let template: serde_json::Value =
                serde_json::from_str(&s.template).unwrap_or(serde_json::Value::Null);
            estimate_stack(
                &StackInput {
                    name: &s.name,
                    region: s.env.region.as_deref(),
                    template: &template,
                },
                table,
            )
        })
        .collect();
    Estimate {
        stacks,
        prices_date: table.date().to_owned(),
        prices_source: table.source().to_owned(),
    }
}
