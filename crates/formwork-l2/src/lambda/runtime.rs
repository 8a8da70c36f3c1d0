//! Lambda runtimes, their lifecycle dates, and the civil date "today" they
//! are checked against.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use formwork_core::{Diagnostic, Scope};
use formwork_l1::RuntimeLifecycle;
use formwork_l1::lambda::{RUNTIME_LIFECYCLE, function};

use super::codes;

/// A Lambda runtime identifier, with the lifecycle dates AWS publishes for
/// it ([`Runtime::lifecycle`]).
///
/// A function on a runtime past its update-block date (when AWS refuses to
/// update functions on it) is a synth error (`FW2201`, naming the dates and
/// the successor); a deprecated one, or one past its create-block date, is
/// a warning (`FW2202`). The date checked against is `-c formwork:today`,
/// else `FORMWORK_TODAY`, else the system clock. [`Runtime::Other`] takes any identifier, for runtimes
/// newer than this list.
///
/// ```
/// use formwork::lambda::Runtime;
/// assert_eq!(Runtime::Nodejs24X.name(), "nodejs24.x");
/// assert_eq!(Runtime::from_name("python3.13"), Runtime::Python313);
/// let node20 = Runtime::Nodejs20X.lifecycle().ok_or("no lifecycle")?;
/// assert_eq!(node20.create_block, Some("2026-06-01"));
/// assert_eq!(node20.successor, Some("nodejs24.x"));
/// # Ok::<(), &str>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Runtime {
    /// `nodejs18.x`
    Nodejs18X,
    /// `nodejs20.x`
    Nodejs20X,
    /// `nodejs22.x`
    Nodejs22X,
    /// `nodejs24.x`
    Nodejs24X,
    /// `python3.9`
    Python39,
    /// `python3.10`
    Python310,
    /// `python3.11`
    Python311,
    /// `python3.12`
    Python312,
    /// `python3.13`
    Python313,
    /// `python3.14`
    Python314,
    /// `java8.al2`
    Java8Al2,
    /// `java11`
    Java11,
    /// `java17`
    Java17,
    /// `java21`
    Java21,
    /// `java25`
    Java25,
    /// `dotnet8`
    Dotnet8,
    /// `dotnet10`
    Dotnet10,
    /// `ruby3.2`
    Ruby32,
    /// `ruby3.3`
    Ruby33,
    /// `ruby3.4`
    Ruby34,
    /// `provided.al2` (custom runtime on Amazon Linux 2)
    ProvidedAl2,
    /// `provided.al2023` (custom runtime on Amazon Linux 2023)
    ProvidedAl2023,
    /// Any other identifier, written as is.
    Other(String),
}

const NAMED: [(Runtime, &str); 22] = [
    (Runtime::Nodejs18X, "nodejs18.x"),
    (Runtime::Nodejs20X, "nodejs20.x"),
    (Runtime::Nodejs22X, "nodejs22.x"),
    (Runtime::Nodejs24X, "nodejs24.x"),
    (Runtime::Python39, "python3.9"),
    (Runtime::Python310, "python3.10"),
    (Runtime::Python311, "python3.11"),
    (Runtime::Python312, "python3.12"),
    (Runtime::Python313, "python3.13"),
    (Runtime::Python314, "python3.14"),
    (Runtime::Java8Al2, "java8.al2"),
    (Runtime::Java11, "java11"),
    (Runtime::Java17, "java17"),
    (Runtime::Java21, "java21"),
    (Runtime::Java25, "java25"),
    (Runtime::Dotnet8, "dotnet8"),
    (Runtime::Dotnet10, "dotnet10"),
    (Runtime::Ruby32, "ruby3.2"),
    (Runtime::Ruby33, "ruby3.3"),
    (Runtime::Ruby34, "ruby3.4"),
    (Runtime::ProvidedAl2, "provided.al2"),
    (Runtime::ProvidedAl2023, "provided.al2023"),
];

impl Runtime {
    /// The identifier Lambda uses (`nodejs24.x`).
    pub fn name(&self) -> &str {
        match self {
            Runtime::Other(s) => s,
            known => NAMED
                .iter()
                .find(|(r, _)| r == known)
                .map_or("", |(_, n)| n),
        }
    }

    /// The runtime of an identifier; unknown ones are [`Runtime::Other`].
    pub fn from_name(name: &str) -> Runtime {
        NAMED
            .iter()
            .find(|(_, n)| *n == name)
            .map_or_else(|| Runtime::Other(name.to_owned()), |(r, _)| r.clone())
    }

    /// AWS's lifecycle dates for the runtime (deprecation, create and update
    /// blocks, successor), from the vendored cfn-lint data.
    pub fn lifecycle(&self) -> Option<&'static RuntimeLifecycle> {
        let name = self.name();
        RUNTIME_LIFECYCLE.iter().find(|l| l.runtime == name)
    }

    /// True for the runtimes CloudFormation accepts inline code
    /// (`Code::inline`) for: Node.js and Python.
    pub fn supports_inline_code(&self) -> bool {
        let n = self.name();
        n.starts_with("nodejs") || n.starts_with("python")
    }

    /// True when the identifier is one the vendored schema or lifecycle data
    /// knows.
    pub(crate) fn is_known(&self) -> bool {
        !matches!(
            function::Runtime::from(self.name()),
            function::Runtime::Other(_)
        ) || self.lifecycle().is_some()
    }

    pub(crate) fn l1(&self) -> function::Runtime {
        function::Runtime::from(self.name())
    }
}

impl fmt::Display for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A day of the proleptic Gregorian calendar (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct CivilDate {
    pub(crate) year: i64,
    pub(crate) month: u32,
    pub(crate) day: u32,
}

impl CivilDate {
    /// Parses `YYYY-MM-DD`.
    pub(crate) fn parse(s: &str) -> Option<CivilDate> {
        let mut it = s.trim().split('-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return None;
        }
        let date = CivilDate {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
        let days_in_month = match date.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (date.day >= 1 && date.day <= days_in_month).then_some(date)
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's
    /// `civil_from_days`).
    pub(crate) fn from_unix_days(days: i64) -> CivilDate {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097); // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
        let mp = (5 * doy + 2) / 153; // [0, 11]
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        CivilDate { year, month, day }
    }

    /// Today (UTC) by the system clock.
    pub(crate) fn from_system_clock() -> CivilDate {
        let days = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => (d.as_secs() / 86_400) as i64,
            Err(e) => -(e.duration().as_secs().div_ceil(86_400) as i64),
        };
        CivilDate::from_unix_days(days)
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The context value that pins the date runtimes are checked against
/// (`-c formwork:today=YYYY-MM-DD`, or `Context::with_value` in code: a
/// date pinned per app).
pub const TODAY_KEY: &str = "formwork:today";

/// The date runtimes are checked against and where it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Today {
    pub(crate) date: CivilDate,
    pub(crate) source: &'static str,
}

impl From<CivilDate> for Today {
    fn from(date: CivilDate) -> Today {
        Today {
            date,
            source: "a date given in code",
        }
    }
}

/// The date runtimes are checked against, from the value of
/// `FORMWORK_TODAY` (`YYYY-MM-DD`) when it is set, else the system clock.
/// The second part is an unusable `FORMWORK_TODAY`, for a warning.
#[cfg(test)]
pub(crate) fn today_from(formwork_today: Option<String>) -> (CivilDate, Option<String>) {
    let (t, bad) = today_of(None, formwork_today.as_deref());
    (t.date, bad)
}

/// The date runtimes are checked against: the `formwork:today` context
/// value (`-c`), else `FORMWORK_TODAY`, else the system clock; and the first
/// unusable value met, for a warning.
pub(crate) fn today_of(pinned: Option<&str>, env: Option<&str>) -> (Today, Option<String>) {
    let mut bad = None;
    for (v, source) in [(pinned, "-c formwork:today"), (env, "FORMWORK_TODAY")] {
        let Some(v) = v.filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        match CivilDate::parse(v) {
            Some(date) => return (Today { date, source }, bad),
            None => {
                bad.get_or_insert_with(|| v.to_owned());
            }
        }
    }
    (
        Today {
            date: CivilDate::from_system_clock(),
            source: "the system clock",
        },
        bad,
    )
}

/// Reports what the lifecycle of `runtime` means on `today`: error `FW2201`
/// from its update-block date (AWS refuses to update functions on it, so no
/// deploy can succeed), warning `FW2202` from its create-block date (new
/// functions fail; existing ones still update) or its deprecation, warning
/// `FW2203` for an identifier formwork does not know. Each message names
/// the dates and what each blocks, and the day it was checked on.
pub(crate) fn check_runtime(node: &Scope, runtime: &Runtime, today: Today) {
    let name = runtime.name();
    let Some(l) = runtime.lifecycle() else {
        if !runtime.is_known() {
            node.report(
                Diagnostic::warning(
                    codes::RUNTIME_UNKNOWN,
                    node.path(),
                    format!("runtime {name:?} is not one formwork knows; it is written as is and Lambda may refuse it"),
                )
                .property("Runtime"),
            );
        }
        return;
    };
    let successor = l.successor.unwrap_or("a supported runtime");
    let reached = |s: Option<&'static str>| {
        s.and_then(|s| CivilDate::parse(s).map(|d| (s, d)))
            .filter(|(_, d)| *d <= today.date)
            .map(|(s, _)| s)
    };
    let checked = format!("checked on {} from {}", today.date, today.source);
    let create = l.create_block.unwrap_or("a date AWS has not set");
    let update = l.update_block.unwrap_or("a date AWS has not set");
    if let Some(update) = reached(l.update_block) {
        node.report(
            Diagnostic::error(
                codes::RUNTIME_BLOCKED,
                node.path(),
                format!(
                    "runtime {name} is blocked: AWS refuses to update functions on it since {update} (and to create them since {create}), so the deploy would fail; its successor is {successor} ({checked})"
                ),
            )
            .property("Runtime")
            .fix(format!("use {successor}")),
        );
    } else if let Some(create) = reached(l.create_block) {
        node.report(
            Diagnostic::warning(
                codes::RUNTIME_DEPRECATED,
                node.path(),
                format!(
                    "runtime {name}: AWS refuses to create functions on it since {create}, so a new (or replaced) function fails to deploy; an existing one can be updated until {update}; move to {successor} ({checked})"
                ),
            )
            .property("Runtime")
            .fix(format!("use {successor}")),
        );
    } else if let Some(deprecated) = reached(l.deprecated) {
        node.report(
            Diagnostic::warning(
                codes::RUNTIME_DEPRECATED,
                node.path(),
                format!(
                    "runtime {name} is deprecated since {deprecated}; creating functions on it is blocked from {create}, updating them from {update}; move to {successor} ({checked})"
                ),
            )
            .property("Runtime")
            .fix(format!("use {successor}")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> CivilDate {
        CivilDate::parse(s).unwrap()
    }

    #[test]
    fn names_round_trip() {
        for (r, n) in NAMED.iter() {
            assert_eq!(r.name(), *n);
            assert_eq!(&Runtime::from_name(n), r);
            assert!(r.is_known(), "{n}");
            assert!(
                !matches!(r.l1(), function::Runtime::Other(_)),
                "{n} is in the schema"
            );
        }
        assert_eq!(
            Runtime::from_name("nodejs26.x"),
            Runtime::Other("nodejs26.x".into())
        );
        assert_eq!(
            Runtime::Other("go1.x".into())
                .lifecycle()
                .map(|l| l.runtime),
            Some("go1.x")
        );
        assert!(Runtime::Other("python2.7".into()).is_known());
        assert!(!Runtime::Other("cobol85".into()).is_known());
        assert_eq!(Runtime::Java21.to_string(), "java21");
    }

    #[test]
    fn inline_code_is_node_and_python_only() {
        assert!(Runtime::Nodejs24X.supports_inline_code());
        assert!(Runtime::Python313.supports_inline_code());
        assert!(!Runtime::Java21.supports_inline_code());
        assert!(!Runtime::ProvidedAl2023.supports_inline_code());
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(
            d("2026-11-22"),
            CivilDate {
                year: 2026,
                month: 11,
                day: 22
            }
        );
        assert_eq!(d("2024-02-29").day, 29);
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "26-01-01",
            "2026-01-01-01",
            "today",
            "2026-01-0a",
            "",
        ] {
            assert_eq!(CivilDate::parse(bad), None, "{bad}");
        }
        assert!(d("2026-06-01") < d("2026-11-22"));
        assert!(d("2025-12-31") < d("2026-01-01"));
        assert_eq!(d("2026-06-01").to_string(), "2026-06-01");
    }

    #[test]
    fn unix_days_convert_to_civil_dates() {
        assert_eq!(CivilDate::from_unix_days(0), d("1970-01-01"));
        assert_eq!(CivilDate::from_unix_days(-1), d("1969-12-31"));
        assert_eq!(CivilDate::from_unix_days(59), d("1970-03-01"));
        assert_eq!(CivilDate::from_unix_days(11_016), d("2000-02-29"));
        // 2026-11-22 is day 20_779 of the Unix epoch.
        assert_eq!(CivilDate::from_unix_days(20_779), d("2026-11-22"));
        assert_eq!(CivilDate::from_unix_days(20_780), d("2026-11-23"));
        // Every day of four centuries converts to a valid, increasing date.
        let mut prev = CivilDate::from_unix_days(-1);
        for n in 0..146_097 {
            let c = CivilDate::from_unix_days(n);
            assert_eq!(CivilDate::parse(&c.to_string()), Some(c));
            assert!(c > prev);
            prev = c;
        }
        assert!(CivilDate::from_system_clock() >= d("2025-01-01"));
    }

    #[test]
    fn today_comes_from_formwork_today_else_the_clock() {
        assert_eq!(
            today_from(Some("2026-11-22".into())),
            (d("2026-11-22"), None)
        );
        let clock = CivilDate::from_system_clock();
        let (t, bad) = today_from(Some("22/11/2026".into()));
        assert!(t >= clock);
        assert_eq!(bad.as_deref(), Some("22/11/2026"));
        assert_eq!(today_from(None).1, None);
        assert_eq!(today_from(Some("  ".into())).1, None);
    }
}
