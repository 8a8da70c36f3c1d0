//! AWS Budgets: a monthly [`CostBudget`] that emails when actual or
//! forecasted spend passes a share of its limit (the teams' "cost alert").

mod cost_budget;

pub use cost_budget::{BudgetAlert, CostBudget, CostBudgetProps, Spend};

/// Diagnostic codes of the Budgets constructs (`FW49xx`).
pub mod codes {
    /// A budget limit that is not a positive, finite amount of USD.
    pub const LIMIT: &str = "FW4901";
    /// An alert threshold outside 0 % (exclusive) to 1,000 %, or more
    /// than five alerts on one budget (AWS Budgets' limit).
    pub const ALERT: &str = "FW4902";
    /// An alert without a subscriber, with more than ten email
    /// subscribers, or an address that is not an email address.
    pub const SUBSCRIBER: &str = "FW4903";
    /// A budget name AWS Budgets refuses (1 to 100 characters, no `:` or
    /// `\`).
    pub const NAME: &str = "FW4904";
}
