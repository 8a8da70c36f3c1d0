//! Schedule: when a scheduled rule fires, as a rate or a cron expression,
//! checked at synth against what EventBridge accepts.

use std::time::Duration;

/// When a scheduled [`Rule`](super::Rule) fires.
///
/// - [`Schedule::rate`]: every whole number of minutes, hours or days
///   (at least one minute), written `rate(5 minutes)`.
/// - [`Schedule::cron`]: EventBridge's six-field cron, in UTC:
///   `minutes hours day-of-month month day-of-week year`, with exactly one
///   of day-of-month and day-of-week `?`.
///
/// Both are checked when the rule is made; a bad one is error `FW4501`
/// ([`codes::SCHEDULE`](super::codes::SCHEDULE)).
///
/// ```
/// use std::time::Duration;
/// use formwork::events::Schedule;
/// assert_eq!(Schedule::rate(Duration::from_secs(3600)).expression().as_deref(), Ok("rate(1 hour)"));
/// assert_eq!(Schedule::cron("0 18 ? * MON-FRI *").expression().as_deref(), Ok("cron(0 18 ? * MON-FRI *)"));
/// assert!(Schedule::rate(Duration::from_secs(90)).expression().is_err());
/// assert!(Schedule::cron("0 18 * * MON *").expression().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule(Kind);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Rate(Duration),
    Cron(String),
}

impl Schedule {
    /// Every `period`: a whole number of minutes, at least one. Written in
    /// the largest unit that divides it (`rate(2 hours)`, `rate(1 day)`).
    pub fn rate(period: Duration) -> Schedule {
        Schedule(Kind::Rate(period))
    }

    /// A six-field EventBridge cron expression, without `cron( )`:
    /// `"0 12 * * ? *"` is every day at 12:00 UTC.
    pub fn cron(expression: impl Into<String>) -> Schedule {
        Schedule(Kind::Cron(expression.into()))
    }

    /// The `ScheduleExpression` (`rate(…)` or `cron(…)`), or what is wrong
    /// with it and what EventBridge allows.
    pub fn expression(&self) -> Result<String, String> {
        match &self.0 {
            Kind::Rate(d) => rate(*d),
            Kind::Cron(c) => cron(c).map(|()| format!("cron({})", c.trim())),
        }
    }
}

fn rate(d: Duration) -> Result<String, String> {
    let secs = d.as_secs();
    if secs < 60 || secs % 60 != 0 || d.subsec_nanos() != 0 {
        return Err(format!(
            "a rate of {d:?} is not a whole number of minutes; allowed: 1 minute or more, in whole minutes"
        ));
    }
    let minutes = secs / 60;
    let (n, unit) = if minutes % 1440 == 0 {
        (minutes / 1440, "day")
    } else if minutes % 60 == 0 {
        (minutes / 60, "hour")
    } else {
        (minutes, "minute")
    };
    let plural = if n == 1 { "" } else { "s" };
    Ok(format!("rate({n} {unit}{plural})"))
}

/// EventBridge's cron rules live once, in the engine's service facts
/// (which synth also checks every `AWS::Events::Rule` against).
fn cron(expression: &str) -> Result<(), String> {
    match formwork_core::synth::facts::cron_problem(expression) {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate_of(secs: u64) -> Result<String, String> {
        Schedule::rate(Duration::from_secs(secs)).expression()
    }

    #[test]
    fn rates_use_the_largest_unit_and_singular_for_one() {
        assert_eq!(rate_of(60).unwrap(), "rate(1 minute)");
        assert_eq!(rate_of(300).unwrap(), "rate(5 minutes)");
        assert_eq!(rate_of(7200).unwrap(), "rate(2 hours)");
        assert_eq!(rate_of(86_400).unwrap(), "rate(1 day)");
        assert_eq!(rate_of(90 * 60).unwrap(), "rate(90 minutes)");
        for bad in [0, 30, 90] {
            let e = rate_of(bad).unwrap_err();
            assert!(e.contains("whole number of minutes"), "{e}");
        }
        assert!(
            Schedule::rate(Duration::from_millis(60_500))
                .expression()
                .is_err()
        );
    }

    /// Every whole number of minutes up to 30 days renders to a rate that
    /// means the same period, in the largest unit that divides it.
    #[test]
    fn every_rate_renders_to_the_same_period() {
        for minutes in 1..=43_200u64 {
            let e = rate_of(minutes * 60).unwrap();
            let inner = e
                .strip_prefix("rate(")
                .and_then(|r| r.strip_suffix(')'))
                .unwrap();
            let (n, unit) = inner.split_once(' ').unwrap();
            let n: u64 = n.parse().unwrap();
            let per = match unit.trim_end_matches('s') {
                "minute" => 1,
                "hour" => 60,
                "day" => 1440,
                other => panic!("unit {other}"),
            };
            assert_eq!(n * per, minutes, "{e}");
            assert_eq!(unit.ends_with('s'), n != 1, "{e}");
            assert!(
                per == 1440 || minutes % (per * if per == 1 { 60 } else { 24 }) != 0,
                "{e}"
            );
        }
    }

    /// A cron schedule is checked by the engine's cron rules (tested field
    /// by field in `formwork_core::synth::facts`) and written trimmed in
    /// `cron( )`.
    #[test]
    fn cron_schedules_use_the_engine_cron_rules() {
        assert_eq!(
            Schedule::cron(" 0/15 * * * ? * ").expression().unwrap(),
            "cron(0/15 * * * ? *)"
        );
        for (bad, why) in [
            ("0 12 * * *", "has 5 fields"),
            ("0 24 * * ? *", "hours `24`"),
            ("0 12 * * MON *", "exactly one"),
        ] {
            let e = Schedule::cron(bad).expression().unwrap_err();
            assert_eq!(
                Some(e.clone()),
                formwork_core::synth::facts::cron_problem(bad)
            );
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
