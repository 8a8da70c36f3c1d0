//! The estimate of an app: its stacks, totals, the budget gap, the largest
//! lines and the cheapest fix; as a table for people and JSON for tools.

use std::fmt::Write;

use serde_json::{Value as Json, json};

use crate::estimate::{Fix, Line, StackEstimate};

/// The estimate of every stack of an app.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// The stacks, in deploy order.
    pub stacks: Vec<StackEstimate>,
    /// The date of the prices.
    pub prices_date: String,
    /// Where the prices come from.
    pub prices_source: String,
}

fn usd(n: f64) -> String {
    format!("${n:.2}")
}

impl Estimate {
    /// USD a month at the assumed usage.
    pub fn total(&self) -> f64 {
        self.stacks.iter().map(StackEstimate::total).sum()
    }

    /// USD a month at minimum capacity.
    pub fn min(&self) -> f64 {
        self.stacks.iter().map(StackEstimate::min).sum()
    }

    /// USD a month at maximum capacity.
    pub fn max(&self) -> f64 {
        self.stacks.iter().map(StackEstimate::max).sum()
    }

    /// The budget the app declared (see [`crate::set_budget`]).
    pub fn budget(&self) -> Option<f64> {
        self.stacks.iter().filter_map(|s| s.budget).reduce(f64::max)
    }

    /// How far over budget the estimate is (negative: under), if a budget
    /// is declared.
    pub fn gap(&self) -> Option<f64> {
        self.budget().map(|b| self.total() - b)
    }

    /// True when a budget is declared and the estimate is over it.
    pub fn over_budget(&self) -> bool {
        self.gap().is_some_and(|g| g > 0.005)
    }

    /// Every line, with its stack.
    pub fn lines(&self) -> impl Iterator<Item = (&str, &Line)> {
        self.stacks
            .iter()
            .flat_map(|s| s.lines.iter().map(move |l| (s.name.as_str(), l)))
    }

    /// The `n` largest lines, largest first.
    pub fn largest(&self, n: usize) -> Vec<(&str, &Line)> {
        let mut all: Vec<(&str, &Line)> = self.lines().collect();
        all.sort_by(|a, b| b.1.monthly.total_cmp(&a.1.monthly));
        all.truncate(n);
        all
    }

    /// The fix that closes the gap with the smallest change (the smallest
    /// saving that still closes it), else the one that saves the most.
    pub fn cheapest_fix(&self) -> Option<&Fix> {
        let gap = self.gap().unwrap_or(0.0);
        let mut fixes: Vec<&Fix> = self
            .lines()
            .filter_map(|(_, l)| l.fix.as_ref())
            .filter(|f| f.saves > 0.005)
            .collect();
        fixes.sort_by(|a, b| a.saves.total_cmp(&b.saves));
        fixes
            .iter()
            .find(|f| f.saves >= gap)
            .or_else(|| fixes.last())
            .copied()
    }

    /// The table: one section per stack, a line per charge with its
    /// assumption, totals, the range under autoscaling, and the budget.
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "Monthly estimate (USD, on-demand prices of {}; {})",
            self.prices_date, self.prices_source
        );
        for s in &self.stacks {
            let assumed = if s.region_assumed {
                " (the stack names no region)"
            } else {
                ""
            };
            let _ = writeln!(o, "\n{} — {}{assumed}", s.name, s.region);
            let w_res = s
                .lines
                .iter()
                .map(|l| l.resource.len())
                .max()
                .unwrap_or(0)
                .max(8);
            let w_item = s
                .lines
                .iter()
                .map(|l| l.item.len())
                .max()
                .unwrap_or(0)
                .max(4);
            let w_as = s
                .lines
                .iter()
                .map(|l| l.assumption.chars().count())
                .max()
                .unwrap_or(0)
                .max(10);
            let _ = writeln!(
                o,
                "  {:w_res$}  {:w_item$}  {:w_as$}  {:>10}  {:>19}",
                "resource", "item", "assumption", "monthly", "min – max"
            );
            for l in &s.lines {
                let pad = w_as - l.assumption.chars().count();
                let range = if (l.max - l.min).abs() > 0.005 {
                    format!("{} – {}", usd(l.min), usd(l.max))
                } else {
                    String::new()
                };
                let _ = writeln!(
                    o,
                    "  {:w_res$}  {:w_item$}  {}{}  {:>10}  {:>19}",
                    l.resource,
                    l.item,
                    l.assumption,
                    " ".repeat(pad),
                    usd(l.monthly),
                    range
                );
            }
            let _ = writeln!(
                o,
                "  total {} (min {}, max {}); {} resource(s) free of charge",
                usd(s.total()),
                usd(s.min()),
                usd(s.max()),
                s.free
            );
            for n in &s.not_priced {
                let _ = writeln!(
                    o,
                    "  not priced: {} ({}): {}",
                    n.resource, n.resource_type, n.reason
                );
            }
        }
        let _ = writeln!(
            o,
            "\nTotal {} a month (min {}, max {} under autoscaling)",
            usd(self.total()),
            usd(self.min()),
            usd(self.max())
        );
        let not_priced: usize = self.stacks.iter().map(|s| s.not_priced.len()).sum();
        if not_priced > 0 {
            let _ = writeln!(
                o,
                "{not_priced} resource(s) not priced: the total leaves them out"
            );
        }
        if let (Some(b), Some(gap)) = (self.budget(), self.gap()) {
            if gap > 0.005 {
                let _ = writeln!(o, "Budget {}: over by {}", usd(b), usd(gap));
                let largest: Vec<String> = self
                    .largest(3)
                    .iter()
                    .map(|(_, l)| format!("{} {} {}", l.resource, l.item, usd(l.monthly)))
                    .collect();
                let _ = writeln!(o, "Largest lines: {}", largest.join("; "));
                match self.cheapest_fix() {
                    Some(f) => {
                        let _ = writeln!(
                            o,
                            "Cheapest fix: {} (saves {} a month)",
                            f.what,
                            usd(f.saves)
                        );
                    }
                    None => {
                        let _ = writeln!(o, "No known fix: lower the usage or raise the budget");
                    }
                }
            } else {
                let _ = writeln!(o, "Budget {}: within it by {}", usd(b), usd(-gap));
            }
        }
        o
    }

    /// The same as JSON (`cost --json`).
    pub fn to_json(&self) -> Json {
        let round = |n: f64| (n * 100.0).round() / 100.0;
        let line = |l: &Line| {
            json!({
                "resource": l.resource,
                "type": l.resource_type,
                "item": l.item,
                "assumption": l.assumption,
                "monthly": round(l.monthly),
                "min": round(l.min),
                "max": round(l.max),
                "fix": l.fix.as_ref().map(|f| json!({"what": f.what, "saves": round(f.saves)})),
            })
        };
        let stacks: Vec<Json> = self
            .stacks
            .iter()
            .map(|s| {
                json!({
                    "name": s.name,
                    "region": s.region,
                    "regionAssumed": s.region_assumed,
                    "lines": s.lines.iter().map(line).collect::<Vec<_>>(),
                    "notPriced": s.not_priced.iter().map(|n| json!({"resource": n.resource, "type": n.resource_type, "reason": n.reason})).collect::<Vec<_>>(),
                    "free": s.free,
                    "total": round(s.total()),
                    "min": round(s.min()),
                    "max": round(s.max()),
                })
            })
            .collect();
        json!({
            "prices": {"date": self.prices_date, "source": self.prices_source},
            "stacks": stacks,
            "total": round(self.total()),
            "min": round(self.min()),
            "max": round(self.max()),
            "budget": self.budget().map(|b| json!({
                "monthlyUsd": b,
                "gap": self.gap().map(round),
                "overBudget": self.over_budget(),
                "largest": self.largest(3).iter().map(|(s, l)| json!({"stack": s, "resource": l.resource, "item": l.item, "monthly": round(l.monthly)})).collect::<Vec<_>>(),
                "cheapestFix": self.cheapest_fix().map(|f| json!({"what": f.what, "saves": round(f.saves)})),
            })),
        })
    }
}
