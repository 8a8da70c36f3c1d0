//! The CloudWatch alarm that runs a step-scaling policy.

use formwork_core::typed::Str;
use formwork_core::{Expr, Result, Scope};
use formwork_l1::cloudwatch::{CfnAlarm, alarm};

use super::policy::CustomMetric;

/// How an alarm compares its metric with the threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Comparison {
    /// `GreaterThanOrEqualToThreshold`: scale out above a level.
    GreaterThanOrEqual,
    /// `GreaterThanThreshold`
    GreaterThan,
    /// `LessThanThreshold`: scale in below a level.
    LessThan,
    /// `LessThanOrEqualToThreshold`
    LessThanOrEqual,
}

impl Comparison {
    fn l1(self) -> alarm::ComparisonOperator {
        match self {
            Comparison::GreaterThanOrEqual => {
                alarm::ComparisonOperator::GreaterThanOrEqualToThreshold
            }
            Comparison::GreaterThan => alarm::ComparisonOperator::GreaterThanThreshold,
            Comparison::LessThan => alarm::ComparisonOperator::LessThanThreshold,
            Comparison::LessThanOrEqual => alarm::ComparisonOperator::LessThanOrEqualToThreshold,
        }
    }
}

/// An alarm on a metric that triggers a step-scaling policy: the steps'
/// bounds are relative to `threshold`.
///
/// ```
/// use formwork::applicationautoscaling::{AlarmTrigger, Comparison, CustomMetric};
/// let queue_depth = CustomMetric::new("AWS/SQS", "ApproximateNumberOfMessagesVisible")
///     .dimension("QueueName", "jobs");
/// let trigger = AlarmTrigger::new(queue_depth, Comparison::GreaterThanOrEqual, 100.0)
///     .evaluation_periods(2);
/// # let _ = trigger;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct AlarmTrigger {
    metric: CustomMetric,
    comparison: Comparison,
    threshold: f64,
    evaluation_periods: u32,
    period_secs: u32,
}

impl AlarmTrigger {
    /// An alarm when `metric` compares to `threshold` for one 60-second period.
    pub fn new(metric: CustomMetric, comparison: Comparison, threshold: f64) -> Self {
        AlarmTrigger {
            metric,
            comparison,
            threshold,
            evaluation_periods: 1,
            period_secs: 60,
        }
    }

    /// How many consecutive periods must breach (1 by default).
    pub fn evaluation_periods(mut self, n: u32) -> Self {
        self.evaluation_periods = n;
        self
    }

    /// The period in seconds (60 by default; 10, 20, 30 or a multiple of 60).
    pub fn period_secs(mut self, s: u32) -> Self {
        self.period_secs = s;
        self
    }

    /// Adds the alarm as `<policy>/Alarm`, its action the policy.
    pub(super) fn add(self, policy_node: &Scope, policy_arn: Expr) -> Result<()> {
        let m = self.metric;
        let dims: Vec<alarm::Dimension> = m
            .dimensions
            .into_iter()
            .map(|(n, v)| alarm::Dimension::new().name(n).value(v))
            .collect();
        let mut cfn = CfnAlarm::new()
            .alarm_description(Str::from(format!(
                "Runs the step-scaling policy {}",
                policy_node.path()
            )))
            .namespace(m.namespace)
            .metric_name(m.metric_name)
            .statistic(statistic(m.statistic))
            .comparison_operator(self.comparison.l1())
            .threshold(self.threshold)
            .evaluation_periods(self.evaluation_periods)
            .period(self.period_secs)
            .alarm_actions([policy_arn]);
        if !dims.is_empty() {
            cfn = cfn.dimensions(dims);
        }
        policy_node.add("Alarm", cfn)?;
        Ok(())
    }
}

fn statistic(s: super::policy::MetricStatistic) -> alarm::Statistic {
    use super::policy::MetricStatistic as M;
    match s {
        M::Average => alarm::Statistic::Average,
        M::Maximum => alarm::Statistic::Maximum,
        M::Minimum => alarm::Statistic::Minimum,
        M::SampleCount => alarm::Statistic::SampleCount,
        M::Sum => alarm::Statistic::Sum,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::applicationautoscaling::{
        AdjustmentType, ScalableTarget, ScalableTargetProps, StepScalingProps,
    };
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    #[test]
    fn a_trigger_creates_the_alarm_that_runs_the_policy() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        let target = ScalableTarget::new(
            &s,
            "Workers",
            ScalableTargetProps::ecs_service("jobs-cluster", "jobs", 1, 10),
        )
        .unwrap();
        let depth = CustomMetric::new("AWS/SQS", "ApproximateNumberOfMessagesVisible")
            .dimension("QueueName", "jobs");
        target
            .scale_on_steps(
                "ScaleOut",
                StepScalingProps::new(AdjustmentType::ChangeInCapacity)
                    .step(Some(0.0), Some(100.0), 1)
                    .step(Some(100.0), None, 3)
                    .trigger(
                        AlarmTrigger::new(depth, Comparison::GreaterThanOrEqual, 100.0)
                            .evaluation_periods(2),
                    ),
            )
            .unwrap();
        let t = template(&synth_and_lint(&app, "autoscaling-step-alarm"), "S");
        let a = &t["Resources"]["WorkersScaleOutAlarm"];
        assert_eq!(a["Type"], "AWS::CloudWatch::Alarm");
        assert_eq!(
            a["Properties"]["AlarmActions"],
            json!([{"Fn::GetAtt": ["WorkersScaleOut", "Arn"]}])
        );
        assert_eq!(
            a["Properties"]["ComparisonOperator"],
            "GreaterThanOrEqualToThreshold"
        );
        assert_eq!(a["Properties"]["Threshold"], 100.0);
        assert_eq!(a["Properties"]["EvaluationPeriods"], 2);
        assert_eq!(
            a["Properties"]["Dimensions"],
            json!([{"Name": "QueueName", "Value": "jobs"}])
        );
    }
}
