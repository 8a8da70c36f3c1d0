//! Metric: a CloudWatch metric named by namespace, name and dimensions,
//! with the statistic and period to read it with.

use formwork_core::Value;

/// How a metric's data points are aggregated over a period.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Statistic {
    /// `Average` (the default).
    #[default]
    Average,
    /// `Sum`.
    Sum,
    /// `Minimum`.
    Minimum,
    /// `Maximum`.
    Maximum,
    /// `SampleCount`.
    SampleCount,
    /// A percentile or other extended statistic (`p99`, `tm90`).
    Extended(String),
}

impl Statistic {
    /// The CloudWatch spelling.
    pub fn as_str(&self) -> &str {
        match self {
            Statistic::Average => "Average",
            Statistic::Sum => "Sum",
            Statistic::Minimum => "Minimum",
            Statistic::Maximum => "Maximum",
            Statistic::SampleCount => "SampleCount",
            Statistic::Extended(s) => s,
        }
    }
}

/// A CloudWatch metric: namespace (`AWS/SQS`), metric name, dimensions
/// (values may be references, `Fn::GetAtt Queue.QueueName`), statistic
/// (default `Average`) and period (default 300 seconds). A plain value:
/// constructs hand it out, alarms and dashboards read it.
///
/// ```
/// use formwork_l2::cloudwatch::{Metric, Statistic};
/// let m = Metric::new("AWS/SQS", "ApproximateAgeOfOldestMessage")
///     .dimension("QueueName", "jobs")
///     .statistic(Statistic::Maximum)
///     .period_seconds(60);
/// assert_eq!(m.namespace(), "AWS/SQS");
/// assert_eq!(m.get_statistic().as_str(), "Maximum");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    namespace: String,
    name: String,
    dimensions: Vec<(String, Value)>,
    statistic: Statistic,
    period_seconds: u32,
    unit: Option<String>,
}

impl Metric {
    /// A metric with no dimensions, read as the `Average` over 300 seconds.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        Metric {
            namespace: namespace.into(),
            name: name.into(),
            dimensions: Vec::new(),
            statistic: Statistic::Average,
            period_seconds: 300,
            unit: None,
        }
    }
    /// Adds (or replaces) a dimension.
    pub fn dimension(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        let name = name.into();
        let value = value.into();
        match self.dimensions.iter_mut().find(|(n, _)| *n == name) {
            Some(d) => d.1 = value,
            None => self.dimensions.push((name, value)),
        }
        self
    }
    /// The statistic.
    pub fn statistic(mut self, s: Statistic) -> Self {
        self.statistic = s;
        self
    }
    /// The period in seconds.
    pub fn period_seconds(mut self, seconds: u32) -> Self {
        self.period_seconds = seconds;
        self
    }
    /// The unit (`Seconds`, `Count`, …).
    pub fn unit(mut self, unit: impl Into<String>) -> Self {
        self.unit = Some(unit.into());
        self
    }
    /// The namespace.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }
    /// The metric name.
    pub fn metric_name(&self) -> &str {
        &self.name
    }
    /// The dimensions, in the order they were added.
    pub fn dimensions(&self) -> &[(String, Value)] {
        &self.dimensions
    }
    /// The statistic.
    pub fn get_statistic(&self) -> &Statistic {
        &self.statistic
    }
    /// The period in seconds.
    pub fn get_period_seconds(&self) -> u32 {
        self.period_seconds
    }
    /// The unit, if one is set.
    pub fn get_unit(&self) -> Option<&str> {
        self.unit.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimensions_replace_by_name_and_defaults_hold() {
        let m = Metric::new("AWS/Lambda", "Errors")
            .dimension("FunctionName", "a")
            .dimension("FunctionName", "b")
            .unit("Count");
        assert_eq!(
            m.dimensions(),
            [("FunctionName".to_owned(), Value::from("b"))]
        );
        assert_eq!(m.get_statistic(), &Statistic::Average);
        assert_eq!(m.get_period_seconds(), 300);
        assert_eq!(m.get_unit(), Some("Count"));
        assert_eq!(m.metric_name(), "Errors");
        assert_eq!(Statistic::Extended("p99".into()).as_str(), "p99");
    }
}
