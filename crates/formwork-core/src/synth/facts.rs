//! What a service refuses that its schema does not say: facts of the
//! service's API, checked on literal values at synth beside the schema
//! (cfn-lint checks the same facts with rules of its own).
//!
//! - `AWS::CloudWatch::Alarm` `Period`: 10, 20, 30 or a multiple of 60
//!   seconds (CloudWatch's `PutMetricAlarm`).
//! - `AWS::Events::Rule` `ScheduleExpression`: `rate(N unit)` or a
//!   six-field `cron(...)` ([`schedule_expression_problem`]).

use crate::diag::{Diagnostic, codes};
use crate::value::Value;

/// What is wrong with an EventBridge schedule expression, or `None` when
/// EventBridge accepts it: `rate(1 minute)`, `rate(5 minutes)` (units
/// `minute`, `hour`, `day`, singular for 1 and plural otherwise), or
/// `cron(minutes hours day-of-month month day-of-week year)` with `?` in
/// exactly one of day-of-month and day-of-week.
///
/// ```
/// use formwork::synth::facts::schedule_expression_problem;
/// assert_eq!(schedule_expression_problem("rate(5 minutes)"), None);
/// assert_eq!(schedule_expression_problem("cron(0 12 * * ? *)"), None);
/// assert!(schedule_expression_problem("rate(1 minutes)").is_some());
/// assert!(schedule_expression_problem("every day").is_some());
/// ```
pub fn schedule_expression_problem(s: &str) -> Option<String> {
    if let Some(inner) = s.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
        let mut words = inner.split_whitespace();
        let (Some(n), Some(unit), None) = (words.next(), words.next(), words.next()) else {
            return Some(format!(
                "`{s}` is not `rate(<number> <unit>)`, as in `rate(5 minutes)`"
            ));
        };
        let Ok(n) = n.parse::<u64>() else {
            return Some(format!("`{s}`: the rate must be a whole number"));
        };
        if n == 0 {
            return Some(format!("`{s}`: the rate must be 1 or more"));
        }
        let singular = ["minute", "hour", "day"].contains(&unit);
        let plural = ["minutes", "hours", "days"].contains(&unit);
        return match (n == 1, singular, plural) {
            (true, true, _) | (false, _, true) => None,
            (true, _, true) => Some(format!(
                "`{s}`: a rate of 1 takes the singular unit (`rate(1 {})`)",
                unit.trim_end_matches('s')
            )),
            (false, true, _) => Some(format!(
                "`{s}`: a rate over 1 takes the plural unit (`rate({n} {unit}s)`)"
            )),
            _ => Some(format!(
                "`{s}`: the unit must be minute(s), hour(s) or day(s)"
            )),
        };
    }
    if let Some(inner) = s.strip_prefix("cron(").and_then(|r| r.strip_suffix(')')) {
        let fields: Vec<&str> = inner.split_whitespace().collect();
        if fields.len() != 6 {
            return Some(format!(
                "`{s}` has {} field(s); EventBridge's cron takes six: minutes hours day-of-month month day-of-week year",
                fields.len()
            ));
        }
        if (fields[2] == "?") == (fields[4] == "?") {
            return Some(format!(
                "`{s}`: exactly one of day-of-month and day-of-week must be `?`"
            ));
        }
        return None;
    }
    Some(format!(
        "`{s}` is neither `rate(...)` nor `cron(...)` (`rate(5 minutes)`, `cron(0 12 * * ? *)`)"
    ))
}

fn alarm_period_problem(n: f64) -> Option<String> {
    let ok = [10.0, 20.0, 30.0].contains(&n) || (n >= 60.0 && n % 60.0 == 0.0);
    (!ok).then(|| format!("a period of {n} s: CloudWatch takes 10, 20, 30 or a multiple of 60"))
}

/// Checks the facts above on a resource's literal properties.
pub(crate) fn check(path: &str, type_name: &str, props: &Value, out: &mut Vec<Diagnostic>) {
    let Value::Map(entries) = props else {
        return;
    };
    let (property, problem) = match (type_name, entries) {
        ("AWS::CloudWatch::Alarm", e) => match e.get("Period") {
            Some(Value::Int(n)) => ("Period", alarm_period_problem(*n as f64)),
            Some(Value::Float(n)) => ("Period", alarm_period_problem(*n)),
            _ => return,
        },
        ("AWS::Events::Rule", e) => match e.get("ScheduleExpression") {
            Some(Value::String(s)) if !s.is_empty() => {
                ("ScheduleExpression", schedule_expression_problem(s))
            }
            _ => return,
        },
        _ => return,
    };
    if let Some(message) = problem {
        out.push(
            Diagnostic::error(
                codes::SERVICE_RULE,
                path,
                format!("{type_name} {property}: {message}"),
            )
            .property(property),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates() {
        for ok in [
            "rate(1 minute)",
            "rate(2 minutes)",
            "rate(1 hour)",
            "rate(7 days)",
        ] {
            assert_eq!(schedule_expression_problem(ok), None, "{ok}");
        }
        for bad in [
            "rate(1 minutes)",
            "rate(5 minute)",
            "rate(0 minutes)",
            "rate(5 weeks)",
            "rate(x minutes)",
            "rate(5)",
            "a",
            "10.0.0.0/16",
        ] {
            assert!(schedule_expression_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn crons() {
        assert_eq!(schedule_expression_problem("cron(0 12 * * ? *)"), None);
        assert_eq!(
            schedule_expression_problem("cron(15 10 ? * MON-FRI *)"),
            None
        );
        assert!(schedule_expression_problem("cron(0 12 * * *)").is_some());
        assert!(schedule_expression_problem("cron(0 12 * * * *)").is_some());
        assert!(schedule_expression_problem("cron(0 12 ? * ? *)").is_some());
    }

    #[test]
    fn alarm_periods() {
        let mut out = Vec::new();
        for (p, bad) in [
            (10, false),
            (30, false),
            (60, false),
            (300, false),
            (1, true),
            (45, true),
            (90, true),
        ] {
            out.clear();
            check(
                "S/A",
                "AWS::CloudWatch::Alarm",
                &Value::object([("Period", Value::Int(p))]),
                &mut out,
            );
            assert_eq!(!out.is_empty(), bad, "{p}");
        }
        check(
            "S/A",
            "AWS::CloudWatch::Alarm",
            &Value::object([("Period", Value::Int(1))]),
            &mut out,
        );
        assert_eq!(out[0].code, codes::SERVICE_RULE);
        assert_eq!(out[0].property.as_deref(), Some("Period"));
    }
}
