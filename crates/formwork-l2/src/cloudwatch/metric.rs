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

/// A CloudWatch metric: namespace (`AWS/Lambda`), metric name, dimensions
/// (values may be references, `Ref Function`), statistic (default
/// `Average`) and period (default 300 seconds). A plain value: constructs
/// hand it out, alarms and dashboards read it.
///
/// ```
/// use formwork::cloudwatch::{Metric, Statistic};
/// let m = Metric::new("AWS/Lambda", "Errors")
///     .dimension("FunctionName", "chat")
///     .statistic(Statistic::Sum)
///     .period_seconds(60);
/// assert_eq!(m.namespace(), "AWS/Lambda");
/// assert_eq!(m.get_statistic().as_str(), "Sum");
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
    /// A metric with the default statistic and period.
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

    /// Adds a dimension.
    pub fn dimension(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.dimensions.push((name.into(), value.into()));
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

    /// The unit (`Milliseconds`, `Count`).
    pub fn unit(mut self, unit: impl Into<String>) -> Self {
        self.unit = Some(unit.into());
        self
    }

    /// Its namespace.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// Its name.
    pub fn metric_name(&self) -> &str {
        &self.name
    }

    /// Its dimensions.
    pub fn dimensions(&self) -> &[(String, Value)] {
        &self.dimensions
    }

    /// Its statistic.
    pub fn get_statistic(&self) -> &Statistic {
        &self.statistic
    }

    /// Its period.
    pub fn get_period_seconds(&self) -> u32 {
        self.period_seconds
    }

    /// Its unit.
    pub fn get_unit(&self) -> Option<&str> {
        self.unit.as_deref()
    }
}
