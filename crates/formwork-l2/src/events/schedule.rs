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

const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// The six fields: name, lowest, highest, names allowed instead of numbers.
const FIELDS: [(&str, u32, u32, &[&str]); 6] = [
    ("minutes", 0, 59, &[]),
    ("hours", 0, 23, &[]),
    ("day-of-month", 1, 31, &[]),
    ("month", 1, 12, MONTHS),
    ("day-of-week", 1, 7, DAYS),
    ("year", 1970, 2199, &[]),
];

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

fn cron(expression: &str) -> Result<(), String> {
    let fields: Vec<&str> = expression.split_whitespace().collect();
    if fields.len() != 6 {
        return Err(format!(
            "the cron expression `{expression}` has {} fields; EventBridge takes six: minutes hours day-of-month month day-of-week year (for example `0 12 * * ? *`)",
            fields.len()
        ));
    }
    let mut bad = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if !field_ok(f, i) {
            let (name, lo, hi, names) = FIELDS[i];
            let mut allowed = format!("{lo}-{hi}");
            if !names.is_empty() {
                allowed.push_str(&format!(" or {}-{}", names[0], names[names.len() - 1]));
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
        return Err(format!(
            "the cron expression `{expression}` has invalid fields: {}",
            bad.join("; ")
        ));
    }
    match (fields[2] == "?", fields[4] == "?") {
        (true, false) | (false, true) => Ok(()),
        _ => Err(format!(
            "the cron expression `{expression}` must have `?` in exactly one of day-of-month and day-of-week (EventBridge cannot take both)"
        )),
    }
}

fn value(s: &str, lo: u32, hi: u32, names: &[&str]) -> bool {
    match s.parse::<u32>() {
        Ok(n) => (lo..=hi).contains(&n),
        Err(_) => names.iter().any(|n| n.eq_ignore_ascii_case(s)),
    }
}

fn field_ok(f: &str, i: usize) -> bool {
    if f == "?" {
        return i == 2 || i == 4;
    }
    f.split(',').all(|item| item_ok(item, i))
}

fn item_ok(item: &str, i: usize) -> bool {
    let (_, lo, hi, names) = FIELDS[i];
    if i == 2 {
        if item == "L" || item == "LW" {
            return true;
        }
        if let Some(d) = item.strip_suffix('W') {
            return value(d, 1, 31, &[]);
        }
    }
    if i == 4 {
        if item == "L" {
            return true;
        }
        if let Some(d) = item.strip_suffix('L') {
            return value(d, 1, 7, DAYS);
        }
        if let Some((d, n)) = item.split_once('#') {
            return value(d, 1, 7, DAYS) && value(n, 1, 5, &[]);
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
        Some((a, b)) => value(a, lo, hi, names) && value(b, lo, hi, names),
        None => value(base, lo, hi, names),
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

    /// Each field accepts exactly its range, alone and in a range or list.
    #[test]
    fn every_field_value_in_range_and_none_outside() {
        for (i, (name, lo, hi, _)) in FIELDS.iter().enumerate() {
            let with = |v: String| {
                let mut f: Vec<String> =
                    ["0", "0", "1", "1", "?", "2030"].map(String::from).to_vec();
                f[i] = v;
                if i == 4 {
                    f[2] = "?".into();
                }
                cron(&f.join(" "))
            };
            for v in *lo..=*hi {
                assert!(with(v.to_string()).is_ok(), "{name} {v}");
                assert!(with(format!("{lo}-{v}")).is_ok(), "{name} {lo}-{v}");
                assert!(with(format!("{v},{hi}")).is_ok(), "{name} {v},{hi}");
            }
            if *lo > 0 {
                assert!(with((lo - 1).to_string()).is_err(), "{name} {}", lo - 1);
            }
            assert!(with((hi + 1).to_string()).is_err(), "{name} {}", hi + 1);
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
            assert!(cron(ok).is_ok(), "{ok}: {:?}", cron(ok));
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
            let e = cron(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
