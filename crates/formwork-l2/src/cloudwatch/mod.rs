//! CloudWatch: the [`Metric`] value that constructs hand out
//! (`function.metric_errors()`), [`Alarm`]s on a metric or on metric math,
//! and [`Dashboard`]s of graphs.

mod alarm;
mod dashboard;
mod metric;

pub use alarm::{Alarm, AlarmProps, ComparisonOperator, TreatMissingData};
pub use dashboard::{Dashboard, Graph};
pub use metric::{Metric, Statistic};

/// Diagnostic codes of the CloudWatch constructs (`FW44xx`).
pub mod codes {
    /// An alarm's evaluation settings CloudWatch refuses (no evaluation
    /// period, more datapoints than periods, a period that is not 10, 20, 30
    /// or a multiple of 60 seconds).
    pub const ALARM_EVALUATION: &str = "FW4401";
    /// Metric math naming a metric id it was not given, or an id
    /// CloudWatch refuses (it starts with a lower-case letter).
    pub const ALARM_MATH: &str = "FW4402";
}
