//! What a service refuses that its schema does not say: facts of the
//! service's API, checked on literal values at synth beside the schema
//! (cfn-lint checks the same facts with rules of its own).
//!
//! - `AWS::CloudWatch::Alarm` `Period`: 10, 20, 30 or a multiple of 60
//!   seconds ([`alarm_period_problem`]; CloudWatch's `PutMetricAlarm`,
//!   cfn-lint's alarm period rule).
//! - `AWS::Events::Rule` `ScheduleExpression`: `rate(N unit)` or a
//!   six-field `cron(...)` ([`schedule_expression_problem`],
//!   [`cron_problem`]).
//!
//! These functions are the one implementation of each fact: the L2
//! constructs call them to refuse a bad value where the user's code makes
//! it (`events::Schedule`, `cloudwatch::Alarm`), and synth calls them on
//! every resource's literal values (error `FW0115`).

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
        return cron_problem(inner);
    }
    Some(format!(
        "`{s}` is neither `rate(...)` nor `cron(...)` (`rate(5 minutes)`, `cron(0 12 * * ? *)`)"
    ))
}

/// What is wrong with a CloudWatch alarm's period in seconds, or `None`
/// when CloudWatch accepts it: 10, 20 or 30 (high-resolution metrics) or
/// a multiple of 60, as `PutMetricAlarm` documents. cfn-lint 1.51.0's
/// E3615 still lists 10, 30 and multiples of 60 only; CloudWatch is the
/// judge here.
///
/// ```
/// use formwork::synth::facts::alarm_period_problem;
/// assert_eq!(alarm_period_problem(300.0), None);
/// assert_eq!(alarm_period_problem(10.0), None);
/// assert_eq!(
///     alarm_period_problem(45.0).as_deref(),
///     Some("period 45 s; allowed: 10, 20, 30 or a multiple of 60")
/// );
/// ```
pub fn alarm_period_problem(seconds: f64) -> Option<String> {
    let ok = [10.0, 20.0, 30.0].contains(&seconds) || (seconds >= 60.0 && seconds % 60.0 == 0.0);
    (!ok).then(|| format!("period {seconds} s; allowed: 10, 20, 30 or a multiple of 60"))
}

const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// The six fields of EventBridge's cron: name, lowest, highest, names
/// allowed instead of numbers.
const CRON_FIELDS: [(&str, u32, u32, &[&str]); 6] = [
    ("minutes", 0, 59, &[]),
    ("hours", 0, 23, &[]),
    ("day-of-month", 1, 31, &[]),
    ("month", 1, 12, MONTHS),
    ("day-of-week", 1, 7, DAYS),
    ("year", 1970, 2199, &[]),
];

/// What is wrong with an EventBridge cron expression (the part inside
/// `cron( )`), or `None` when EventBridge accepts it: six fields,
/// `minutes hours day-of-month month day-of-week year`, each a value in its
/// range (month and day-of-week also by name), a range `a-b`, a list
/// `a,b`, `*` or a step `*/n`, with `L`, `W` and `#` where EventBridge
/// takes them, and `?` in exactly one of day-of-month and day-of-week.
///
/// ```
/// use formwork::synth::facts::cron_problem;
/// assert_eq!(cron_problem("0 18 ? * MON-FRI *"), None);
/// assert_eq!(cron_problem("15 10 ? * 6L 2030-2035"), None);
/// assert!(cron_problem("0 24 * * ? *").unwrap().contains("hours `24`"));
/// assert!(cron_problem("0 18 * * MON *").unwrap().contains("exactly one"));
/// ```
pub fn cron_problem(expression: &str) -> Option<String> {
    let fields: Vec<&str> = expression.split_whitespace().collect();
    if fields.len() != 6 {
        return Some(format!(
            "the cron expression `{expression}` has {} fields; EventBridge takes six: minutes hours day-of-month month day-of-week year (for example `0 12 * * ? *`)",
            fields.len()
        ));
    }
    let mut bad = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if !cron_field_ok(f, i) {
            let (name, lo, hi, names) = CRON_FIELDS[i];
            let mut allowed = format!("{lo}-{hi}");
            if let (Some(first), Some(last)) = (names.first(), names.last()) {
                allowed.push_str(&format!(" or {first}-{last}"));
            }
            allowed.push_str(", with , - * /");
            match i {
                2 => allowed.push_str(" ? L W"),
                4 => allowed.push_str(" ? L #"),
                _ => {}
            }
            bad.push(format!("{name} `{f}` (allowed: {allowed})"));
        }
    }
    if !bad.is_empty() {
        return Some(format!(
            "the cron expression `{expression}` has invalid fields: {}",
            bad.join("; ")
        ));
    }
    match (fields[2] == "?", fields[4] == "?") {
        (true, false) | (false, true) => None,
        _ => Some(format!(
            "the cron expression `{expression}` must have `?` in exactly one of day-of-month and day-of-week (EventBridge cannot take both)"
        )),
    }
}

fn cron_value(s: &str, lo: u32, hi: u32, names: &[&str]) -> bool {
    match s.parse::<u32>() {
        Ok(n) => (lo..=hi).contains(&n),
        Err(_) => names.iter().any(|n| n.eq_ignore_ascii_case(s)),
    }
}

fn cron_field_ok(f: &str, i: usize) -> bool {
    if f == "?" {
        return i == 2 || i == 4;
    }
    f.split(',').all(|item| cron_item_ok(item, i))
}

fn cron_item_ok(item: &str, i: usize) -> bool {
    let (_, lo, hi, names) = CRON_FIELDS[i];
    if i == 2 {
        if item == "L" || item == "LW" {
            return true;
        }
        if let Some(d) = item.strip_suffix('W') {
            return cron_value(d, 1, 31, &[]);
        }
    }
    if i == 4 {
        if item == "L" {
            return true;
        }
        if let Some(d) = item.strip_suffix('L') {
            return cron_value(d, 1, 7, DAYS);
        }
        if let Some((d, n)) = item.split_once('#') {
            return cron_value(d, 1, 7, DAYS) && cron_value(n, 1, 5, &[]);
        }
    }
    let (base, step) = match item.split_once('/') {
        Some((b, s)) => (b, Some(s)),
        None => (item, None),
    };
    if step.is_some_and(|s| !s.parse::<u32>().is_ok_and(|n| n >= 1 && n <= hi)) {
        return false;
    }
    if base == "*" {
        return true;
    }
    match base.split_once('-') {
        Some((a, b)) => cron_value(a, lo, hi, names) && cron_value(b, lo, hi, names),
        None => cron_value(base, lo, hi, names),
    }
}

/// Checks the facts above on a resource's literal properties.
pub(crate) fn check(
    path: &str,
    type_name: &str,
    props: &super::overrides::Props<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let (property, problem) = match (type_name, props) {
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
        assert!(schedule_expression_problem("cron(0 24 * * ? *)").is_some());
    }

    /// Each field accepts exactly its range, alone and in a range or list.
    #[test]
    fn every_cron_field_value_in_range_and_none_outside() {
        for (i, (name, lo, hi, _)) in CRON_FIELDS.iter().enumerate() {
            let with = |v: String| {
                let mut f: Vec<String> =
                    ["0", "0", "1", "1", "?", "2030"].map(String::from).to_vec();
                f[i] = v;
                if i == 4 {
                    f[2] = "?".into();
                }
                cron_problem(&f.join(" "))
            };
            for v in *lo..=*hi {
                assert_eq!(with(v.to_string()), None, "{name} {v}");
                assert_eq!(with(format!("{lo}-{v}")), None, "{name} {lo}-{v}");
                assert_eq!(with(format!("{v},{hi}")), None, "{name} {v},{hi}");
            }
            if *lo > 0 {
                assert!(with((lo - 1).to_string()).is_some(), "{name} {}", lo - 1);
            }
            assert!(with((hi + 1).to_string()).is_some(), "{name} {}", hi + 1);
        }
    }

    #[test]
    fn cron_fields_follow_eventbridge() {
        for ok in [
            "0 12 * * ? *",
            "0/15 * * * ? *",
            "0 18 ? * MON-FRI *",
            "0 8 1 * ? *",
            "15 10 ? * 6L 2030-2035",
            "0 10 ? * 2#1 *",
            "0 0 LW * ? *",
            "0 0 15W JAN,JUL ? *",
            "5,35 14 L * ? *",
        ] {
            assert_eq!(cron_problem(ok), None, "{ok}");
        }
        let cases = [
            ("0 12 * * *", "has 5 fields"),
            ("60 12 * * ? *", "minutes `60`"),
            ("0 24 * * ? *", "hours `24`"),
            ("0 12 32 * ? *", "day-of-month `32`"),
            ("0 12 * 13 ? *", "month `13`"),
            ("0 12 ? * 8 *", "day-of-week `8`"),
            ("0 12 * * ? 1969", "year `1969`"),
            ("0 12 * * MON *", "exactly one"),
            ("0 12 ? * ? *", "exactly one"),
            ("? 12 * * ? *", "minutes `?`"),
            ("0/0 12 * * ? *", "minutes `0/0`"),
            ("0 12 * FOO ? *", "month `FOO`"),
        ];
        for (bad, why) in cases {
            let e = cron_problem(bad).unwrap_or_default();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn alarm_periods() {
        let mut out = Vec::new();
        for (p, bad) in [
            (10, false),
            (20, false),
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
                &super::super::overrides::Props::owned(Value::object([("Period", Value::Int(p))])),
                &mut out,
            );
            assert_eq!(!out.is_empty(), bad, "{p}");
        }
        check(
            "S/A",
            "AWS::CloudWatch::Alarm",
            &super::super::overrides::Props::owned(Value::object([("Period", Value::Int(1))])),
            &mut out,
        );
        assert_eq!(out[0].code, codes::SERVICE_RULE);
        assert_eq!(out[0].property.as_deref(), Some("Period"));
    }
}
