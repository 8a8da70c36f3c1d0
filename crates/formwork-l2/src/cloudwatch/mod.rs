//! CloudWatch: the [`Metric`] value that constructs hand out
//! (`queue.metric_approximate_age_of_oldest_message()`), for alarms and
//! dashboards to build on.

mod metric;

pub use metric::{Metric, Statistic};
