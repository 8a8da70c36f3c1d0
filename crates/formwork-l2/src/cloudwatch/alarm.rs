//! Alarm: a CloudWatch alarm on a metric, or on metric math (an error
//! rate), notifying what its actions name.

use formwork_core::typed::Str;
use formwork_core::{Expr, Result, Scope, Value};
use formwork_l1::cloudwatch::{
    CfnAlarm, CfnAlarmRef, alarm::Dimension, alarm::Metric as CfnMetric, alarm::MetricDataQuery,
    alarm::MetricStat,
};

use formwork_l1::cloudwatch::alarm as l1;

use super::codes;
use super::metric::{Metric, Statistic};

/// How the value is compared with the threshold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ComparisonOperator {
    /// `>=` (the default).
    #[default]
    GreaterThanOrEqualToThreshold,
    /// `>`.
    GreaterThanThreshold,
    /// `<`.
    LessThanThreshold,
    /// `<=`.
    LessThanOrEqualToThreshold,
}

impl ComparisonOperator {
    /// The CloudFormation spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ComparisonOperator::GreaterThanOrEqualToThreshold => "GreaterThanOrEqualToThreshold",
            ComparisonOperator::GreaterThanThreshold => "GreaterThanThreshold",
            ComparisonOperator::LessThanThreshold => "LessThanThreshold",
            ComparisonOperator::LessThanOrEqualToThreshold => "LessThanOrEqualToThreshold",
        }
    }
}

/// What a period without data counts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TreatMissingData {
    /// Neither good nor bad (CloudWatch's default).
    Missing,
    /// Good: a function that was not called had no errors.
    NotBreaching,
    /// Bad.
    Breaching,
    /// Keep the current state.
    Ignore,
}

impl TreatMissingData {
    /// The CloudFormation spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TreatMissingData::Missing => "missing",
            TreatMissingData::NotBreaching => "notBreaching",
            TreatMissingData::Breaching => "breaching",
            TreatMissingData::Ignore => "ignore",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Source {
    Metric(Metric),
    Math {
        expression: String,
        label: String,
        metrics: Vec<(String, Metric)>,
    },
}

/// What an [`Alarm`] is made with.
///
/// Defaults: `>=` the threshold in 1 evaluation period of the metric's
/// own period, missing data treated as CloudWatch does, a name
/// CloudFormation generates, no action.
///
/// ```
/// use formwork::cloudwatch::{AlarmProps, Metric, Statistic, TreatMissingData};
/// let errors = Metric::new("AWS/Lambda", "Errors").statistic(Statistic::Sum);
/// let props = AlarmProps::new(errors, 1.0)
///     .evaluation_periods(3)
///     .datapoints_to_alarm(2)
///     .treat_missing_data(TreatMissingData::NotBreaching)
///     .alarm_action("arn:aws:sns:ap-northeast-1:123456789012:ops");
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct AlarmProps {
    source: Source,
    threshold: f64,
    comparison: ComparisonOperator,
    evaluation_periods: u32,
    datapoints_to_alarm: Option<u32>,
    treat_missing_data: Option<TreatMissingData>,
    name: Option<Str>,
    description: Option<String>,
    alarm_actions: Vec<Value>,
    ok_actions: Vec<Value>,
}

impl AlarmProps {
    fn with(source: Source, threshold: f64) -> Self {
        AlarmProps {
            source,
            threshold,
            comparison: ComparisonOperator::default(),
            evaluation_periods: 1,
            datapoints_to_alarm: None,
            treat_missing_data: None,
            name: None,
            description: None,
            alarm_actions: Vec::new(),
            ok_actions: Vec::new(),
        }
    }

    /// An alarm when `metric` reaches `threshold`.
    pub fn new(metric: Metric, threshold: f64) -> Self {
        AlarmProps::with(Source::Metric(metric), threshold)
    }

    /// An alarm on metric math: `expression` over the metrics, each named
    /// by an id that starts with a lower-case letter
    /// (`100 * errors / invocations`).
    pub fn math<S: Into<String>>(
        expression: &str,
        label: &str,
        metrics: impl IntoIterator<Item = (S, Metric)>,
        threshold: f64,
    ) -> Self {
        AlarmProps::with(
            Source::Math {
                expression: expression.to_owned(),
                label: label.to_owned(),
                metrics: metrics.into_iter().map(|(k, m)| (k.into(), m)).collect(),
            },
            threshold,
        )
    }

    /// How the value is compared with the threshold.
    pub fn comparison(mut self, op: ComparisonOperator) -> Self {
        self.comparison = op;
        self
    }

    /// How many periods are evaluated (1 by default).
    pub fn evaluation_periods(mut self, n: u32) -> Self {
        self.evaluation_periods = n;
        self
    }

    /// How many of them must breach ("M out of N"; all by default).
    pub fn datapoints_to_alarm(mut self, n: u32) -> Self {
        self.datapoints_to_alarm = Some(n);
        self
    }

    /// What a period without data counts as.
    pub fn treat_missing_data(mut self, t: TreatMissingData) -> Self {
        self.treat_missing_data = Some(t);
        self
    }

    /// A fixed alarm name.
    pub fn alarm_name(mut self, name: impl Into<Str>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Its description (what to do when it fires).
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// An action when it fires: an SNS topic ARN (`topic.arn()`).
    pub fn alarm_action(mut self, arn: impl Into<Value>) -> Self {
        self.alarm_actions.push(arn.into());
        self
    }

    /// An action when it recovers.
    pub fn ok_action(mut self, arn: impl Into<Value>) -> Self {
        self.ok_actions.push(arn.into());
        self
    }
}

fn str_of(v: &Value) -> Str {
    match v {
        Value::String(s) => Str::from(s.as_str()),
        Value::Expr(e) => Str::from(e),
        other => Str::from(format!("{other:?}")),
    }
}

fn dimensions(m: &Metric) -> Vec<Dimension> {
    m.dimensions()
        .iter()
        .map(|(k, v)| Dimension::new().name(k.as_str()).value(str_of(v)))
        .collect()
}

/// A CloudWatch alarm.
#[derive(Clone, Debug)]
pub struct Alarm {
    cfn: CfnAlarmRef,
    scope: Scope,
}

impl Alarm {
    /// Adds the alarm at `scope/id`. Evaluation settings CloudWatch refuses
    /// are error `FW4401`; math over an id it was not given, `FW4402`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::cloudwatch::{Alarm, AlarmProps, Metric, Statistic};
    /// let app = App::new();
    /// let stack = app.stack("Ops")?;
    /// let errors = Metric::new("AWS/Lambda", "Errors").dimension("FunctionName", "chat").statistic(Statistic::Sum);
    /// let invocations = Metric::new("AWS/Lambda", "Invocations").dimension("FunctionName", "chat").statistic(Statistic::Sum);
    /// Alarm::new(&stack, "ErrorRate", AlarmProps::math("100 * errors / invocations", "Error rate (%)",
    ///     [("errors", errors), ("invocations", invocations)], 5.0))?;
    /// let t = app.synth()?.template_json("Ops").ok_or("no template")?;
    /// let p = &t["Resources"]["ErrorRate"]["Properties"];
    /// assert_eq!(p["Metrics"][0]["Expression"], "100 * errors / invocations");
    /// assert_eq!(p["Metrics"][1]["MetricStat"]["Stat"], "Sum");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(scope: &Scope, id: &str, props: AlarmProps) -> Result<Alarm> {
        let node = scope.child(id)?;
        let mut cfn = CfnAlarm::new()
            .comparison_operator(l1::ComparisonOperator::from(props.comparison.as_str()))
            .threshold(props.threshold)
            .evaluation_periods(props.evaluation_periods);
        if props.evaluation_periods == 0 {
            node.error(
                codes::ALARM_EVALUATION,
                "EvaluationPeriods",
                "0 evaluation periods; allowed: 1 or more",
            );
        }
        if let Some(n) = props.datapoints_to_alarm {
            if n == 0 || n > props.evaluation_periods {
                node.error(
                    codes::ALARM_EVALUATION,
                    "DatapointsToAlarm",
                    format!(
                        "{n} datapoints to alarm out of {} evaluation periods; allowed: 1 to {}",
                        props.evaluation_periods, props.evaluation_periods
                    ),
                );
            }
            cfn = cfn.datapoints_to_alarm(n);
        }
        let mut periods = Vec::new();
        match &props.source {
            Source::Metric(m) => {
                periods.push(m.get_period_seconds());
                cfn = cfn
                    .namespace(m.namespace())
                    .metric_name(m.metric_name())
                    .period(m.get_period_seconds());
                if !m.dimensions().is_empty() {
                    cfn = cfn.dimensions(dimensions(m));
                }
                cfn = match m.get_statistic() {
                    Statistic::Extended(s) => cfn.extended_statistic(s.as_str()),
                    s => cfn.statistic(l1::Statistic::from(s.as_str())),
                };
            }
            Source::Math {
                expression,
                label,
                metrics,
            } => {
                let mut queries = vec![
                    MetricDataQuery::new()
                        .id("expr")
                        .expression(expression.as_str())
                        .label(label.as_str())
                        .return_data(true),
                ];
                for (qid, m) in metrics {
                    periods.push(m.get_period_seconds());
                    if !qid.starts_with(|c: char| c.is_ascii_lowercase())
                        || !qid.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        node.error(
                            codes::ALARM_MATH,
                            "Metrics",
                            format!("metric id `{qid}`; allowed: a lower-case letter, then letters, digits and `_`"),
                        );
                    }
                    if !expression.contains(qid.as_str()) {
                        node.error(
                            codes::ALARM_MATH,
                            "Metrics",
                            format!("metric `{qid}` is not used by `{expression}`"),
                        );
                    }
                    let mut metric = CfnMetric::new()
                        .namespace(m.namespace())
                        .metric_name(m.metric_name());
                    if !m.dimensions().is_empty() {
                        metric = metric.dimensions(
                            m.dimensions()
                                .iter()
                                .map(|(k, v)| {
                                    formwork_l1::cloudwatch::alarm::Dimension::new()
                                        .name(k.as_str())
                                        .value(str_of(v))
                                })
                                .collect::<Vec<_>>(),
                        );
                    }
                    queries.push(
                        MetricDataQuery::new()
                            .id(qid.as_str())
                            .metric_stat(
                                MetricStat::new()
                                    .metric(metric)
                                    .period(m.get_period_seconds())
                                    .stat(m.get_statistic().as_str()),
                            )
                            .return_data(false),
                    );
                }
                cfn = cfn.metrics(queries);
            }
        }
        // CloudWatch's period rule lives once, in the engine's service facts
        // (which synth also checks every alarm against, as FW0115): here it
        // is reported at the alarm, with the alarm's code.
        for p in periods {
            if let Some(problem) = formwork_core::synth::facts::alarm_period_problem(f64::from(p)) {
                node.error(codes::ALARM_EVALUATION, "Period", problem);
            }
        }
        if let Some(t) = props.treat_missing_data {
            cfn = cfn.treat_missing_data(l1::TreatMissingData::from(t.as_str()));
        }
        if let Some(n) = props.name {
            cfn = cfn.alarm_name(n);
        }
        if let Some(d) = props.description {
            cfn = cfn.alarm_description(d);
        }
        if !props.alarm_actions.is_empty() {
            cfn = cfn.alarm_actions(props.alarm_actions.iter().map(str_of).collect::<Vec<_>>());
        }
        if !props.ok_actions.is_empty() {
            cfn = cfn.ok_actions(props.ok_actions.iter().map(str_of).collect::<Vec<_>>());
        }
        let cfn = node.add_here(cfn)?;
        Ok(Alarm { cfn, scope: node })
    }

    /// The L1 resource.
    pub fn cfn(&self) -> &CfnAlarmRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// `Fn::GetAtt Arn`.
    pub fn arn(&self) -> Expr {
        self.cfn.arn()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluation_settings_and_math_are_checked() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        let m = Metric::new("AWS/Lambda", "Errors").period_seconds(45);
        Alarm::new(
            &s,
            "A",
            AlarmProps::new(m.clone(), 1.0)
                .evaluation_periods(2)
                .datapoints_to_alarm(3),
        )
        .unwrap();
        Alarm::new(
            &s,
            "B",
            AlarmProps::math("errors / calls", "rate", [("Errors", m)], 1.0),
        )
        .unwrap();
        let err = app.synth().unwrap_err().to_string();
        for want in [
            "S/A DatapointsToAlarm: 3 datapoints to alarm out of 2 evaluation periods; allowed: 1 to 2",
            "S/A Period: period 45 s; allowed: 10, 20, 30 or a multiple of 60",
            "S/B Metrics: metric id `Errors`",
            "S/B Metrics: metric `Errors` is not used by `errors / calls`",
        ] {
            assert!(err.contains(want), "{want} not in {err}");
        }
    }

    #[test]
    fn a_metric_alarm_names_its_dimensions_statistic_and_actions() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        let m = Metric::new("AWS/Lambda", "Duration")
            .dimension("FunctionName", "chat")
            .statistic(Statistic::Extended("p95".into()))
            .period_seconds(60);
        Alarm::new(
            &s,
            "Latency",
            AlarmProps::new(m, 10_000.0)
                .evaluation_periods(5)
                .datapoints_to_alarm(3)
                .treat_missing_data(TreatMissingData::NotBreaching)
                .alarm_action("arn:aws:sns:ap-northeast-1:123456789012:ops"),
        )
        .unwrap();
        let t = app.synth().unwrap().template_json("S").unwrap();
        assert_eq!(
            t["Resources"]["Latency"]["Properties"],
            serde_json::json!({
                "AlarmActions": ["arn:aws:sns:ap-northeast-1:123456789012:ops"],
                "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                "DatapointsToAlarm": 3,
                "Dimensions": [{"Name": "FunctionName", "Value": "chat"}],
                "EvaluationPeriods": 5,
                "ExtendedStatistic": "p95",
                "MetricName": "Duration",
                "Namespace": "AWS/Lambda",
                "Period": 60,
                "Threshold": 10000.0,
                "TreatMissingData": "notBreaching"
            })
        );
    }
}
