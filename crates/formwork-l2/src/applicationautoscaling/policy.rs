//! Scaling policies: target tracking on a predefined or customized metric,
//! and step scaling driven by a CloudWatch alarm.

use formwork_core::typed::{Num, Str};
use formwork_core::{Diagnostic, Expr, Result, Scope, Value};
use formwork_l1::applicationautoscaling::{
    CfnScalingPolicy, CfnScalingPolicyRef, scaling_policy as l1,
};

use super::alarm::AlarmTrigger;
use super::codes;
use super::target::{ScalableTarget, ServiceNamespace};

/// A metric Application Auto Scaling defines for target tracking
/// (`PredefinedMetricType`).
///
/// ```
/// use formwork::applicationautoscaling::PredefinedMetric;
/// assert_eq!(PredefinedMetric::EcsServiceAverageCpuUtilization.as_str(), "ECSServiceAverageCPUUtilization");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PredefinedMetric {
    /// `ECSServiceAverageCPUUtilization`: average CPU of the service's
    /// tasks, in percent (1 to 100).
    EcsServiceAverageCpuUtilization,
    /// `ECSServiceAverageMemoryUtilization`: average memory of the
    /// service's tasks, in percent (1 to 100).
    EcsServiceAverageMemoryUtilization,
    /// `ALBRequestCountPerTarget`: requests per target of a load balancer's
    /// target group (ECS services and Spot Fleets). Needs the target group's
    /// resource label: use [`TargetTrackingProps::alb_request_count_per_target`].
    AlbRequestCountPerTarget,
    /// `LambdaProvisionedConcurrencyUtilization`: the share of provisioned
    /// concurrency in use, as a ratio (0.1 to 0.9, not a percentage).
    LambdaProvisionedConcurrencyUtilization,
    /// `DynamoDBReadCapacityUtilization`, in percent (20 to 90).
    DynamoDbReadCapacityUtilization,
    /// `DynamoDBWriteCapacityUtilization`, in percent (20 to 90).
    DynamoDbWriteCapacityUtilization,
    /// `ElastiCacheEngineCPUUtilization`, in percent.
    ElastiCacheEngineCpuUtilization,
    /// `ElastiCachePrimaryEngineCPUUtilization`, in percent.
    ElastiCachePrimaryEngineCpuUtilization,
    /// `ElastiCacheReplicaEngineCPUUtilization`, in percent.
    ElastiCacheReplicaEngineCpuUtilization,
    /// `ElastiCacheDatabaseMemoryUsagePercentage`, in percent.
    ElastiCacheDatabaseMemoryUsagePercentage,
    /// `ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage`, in percent.
    ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage,
    /// `ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage`, in percent.
    ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage,
    /// `RDSReaderAverageCPUUtilization`, in percent.
    RdsReaderAverageCpuUtilization,
    /// `RDSReaderAverageDatabaseConnections`: a count.
    RdsReaderAverageDatabaseConnections,
    /// `NeptuneReaderAverageCPUUtilization`, in percent.
    NeptuneReaderAverageCpuUtilization,
    /// `SageMakerVariantInvocationsPerInstance`: a count per minute.
    SageMakerVariantInvocationsPerInstance,
    /// `SageMakerVariantProvisionedConcurrencyUtilization`: a ratio (0 to 1).
    SageMakerVariantProvisionedConcurrencyUtilization,
    /// `SageMakerVariantConcurrentRequestsPerModelHighResolution`: a count.
    SageMakerVariantConcurrentRequestsPerModelHighResolution,
    /// `SageMakerInferenceComponentInvocationsPerCopy`: a count per minute.
    SageMakerInferenceComponentInvocationsPerCopy,
    /// `SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution`: a count.
    SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution,
    /// `EC2SpotFleetRequestAverageCPUUtilization`, in percent.
    Ec2SpotFleetRequestAverageCpuUtilization,
    /// `EC2SpotFleetRequestAverageNetworkIn`: bytes.
    Ec2SpotFleetRequestAverageNetworkIn,
    /// `EC2SpotFleetRequestAverageNetworkOut`: bytes.
    Ec2SpotFleetRequestAverageNetworkOut,
    /// `AppStreamAverageCapacityUtilization`, in percent.
    AppStreamAverageCapacityUtilization,
    /// `CassandraReadCapacityUtilization`, in percent (20 to 90).
    CassandraReadCapacityUtilization,
    /// `CassandraWriteCapacityUtilization`, in percent (20 to 90).
    CassandraWriteCapacityUtilization,
    /// `ComprehendInferenceUtilization`, in percent.
    ComprehendInferenceUtilization,
    /// `KafkaBrokerStorageUtilization`, in percent.
    KafkaBrokerStorageUtilization,
    /// `WorkSpacesAverageUserSessionsCapacityUtilization`, in percent.
    WorkSpacesAverageUserSessionsCapacityUtilization,
    /// A metric type newer than formwork: written as is, its target value
    /// only checked to be positive.
    Other(String),
}

/// What a target value of a metric may be.
#[derive(Clone, Copy, Debug, PartialEq)]
enum TargetRange {
    /// A percentage between the two bounds, both included.
    Percent(f64, f64),
    /// A ratio between the two bounds, both included.
    Ratio(f64, f64),
    /// Any positive number.
    Positive,
}

impl PredefinedMetric {
    /// The value as CloudFormation spells it.
    pub fn as_str(&self) -> &str {
        use PredefinedMetric as M;
        match self {
            M::EcsServiceAverageCpuUtilization => "ECSServiceAverageCPUUtilization",
            M::EcsServiceAverageMemoryUtilization => "ECSServiceAverageMemoryUtilization",
            M::AlbRequestCountPerTarget => "ALBRequestCountPerTarget",
            M::LambdaProvisionedConcurrencyUtilization => "LambdaProvisionedConcurrencyUtilization",
            M::DynamoDbReadCapacityUtilization => "DynamoDBReadCapacityUtilization",
            M::DynamoDbWriteCapacityUtilization => "DynamoDBWriteCapacityUtilization",
            M::ElastiCacheEngineCpuUtilization => "ElastiCacheEngineCPUUtilization",
            M::ElastiCachePrimaryEngineCpuUtilization => "ElastiCachePrimaryEngineCPUUtilization",
            M::ElastiCacheReplicaEngineCpuUtilization => "ElastiCacheReplicaEngineCPUUtilization",
            M::ElastiCacheDatabaseMemoryUsagePercentage => {
                "ElastiCacheDatabaseMemoryUsagePercentage"
            }
            M::ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage => {
                "ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage"
            }
            M::ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage => {
                "ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage"
            }
            M::RdsReaderAverageCpuUtilization => "RDSReaderAverageCPUUtilization",
            M::RdsReaderAverageDatabaseConnections => "RDSReaderAverageDatabaseConnections",
            M::NeptuneReaderAverageCpuUtilization => "NeptuneReaderAverageCPUUtilization",
            M::SageMakerVariantInvocationsPerInstance => "SageMakerVariantInvocationsPerInstance",
            M::SageMakerVariantProvisionedConcurrencyUtilization => {
                "SageMakerVariantProvisionedConcurrencyUtilization"
            }
            M::SageMakerVariantConcurrentRequestsPerModelHighResolution => {
                "SageMakerVariantConcurrentRequestsPerModelHighResolution"
            }
            M::SageMakerInferenceComponentInvocationsPerCopy => {
                "SageMakerInferenceComponentInvocationsPerCopy"
            }
            M::SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution => {
                "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution"
            }
            M::Ec2SpotFleetRequestAverageCpuUtilization => {
                "EC2SpotFleetRequestAverageCPUUtilization"
            }
            M::Ec2SpotFleetRequestAverageNetworkIn => "EC2SpotFleetRequestAverageNetworkIn",
            M::Ec2SpotFleetRequestAverageNetworkOut => "EC2SpotFleetRequestAverageNetworkOut",
            M::AppStreamAverageCapacityUtilization => "AppStreamAverageCapacityUtilization",
            M::CassandraReadCapacityUtilization => "CassandraReadCapacityUtilization",
            M::CassandraWriteCapacityUtilization => "CassandraWriteCapacityUtilization",
            M::ComprehendInferenceUtilization => "ComprehendInferenceUtilization",
            M::KafkaBrokerStorageUtilization => "KafkaBrokerStorageUtilization",
            M::WorkSpacesAverageUserSessionsCapacityUtilization => {
                "WorkSpacesAverageUserSessionsCapacityUtilization"
            }
            M::Other(s) => s,
        }
    }

    /// The namespaces whose targets the metric applies to (empty: any).
    fn namespaces(&self) -> &'static [ServiceNamespace] {
        use PredefinedMetric as M;
        match self {
            M::EcsServiceAverageCpuUtilization | M::EcsServiceAverageMemoryUtilization => {
                &[ServiceNamespace::Ecs]
            }
            M::AlbRequestCountPerTarget => &[ServiceNamespace::Ecs, ServiceNamespace::Ec2],
            M::LambdaProvisionedConcurrencyUtilization => &[ServiceNamespace::Lambda],
            M::DynamoDbReadCapacityUtilization | M::DynamoDbWriteCapacityUtilization => {
                &[ServiceNamespace::DynamoDb]
            }
            M::ElastiCacheEngineCpuUtilization
            | M::ElastiCachePrimaryEngineCpuUtilization
            | M::ElastiCacheReplicaEngineCpuUtilization
            | M::ElastiCacheDatabaseMemoryUsagePercentage
            | M::ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage
            | M::ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage => {
                &[ServiceNamespace::ElastiCache]
            }
            M::RdsReaderAverageCpuUtilization | M::RdsReaderAverageDatabaseConnections => {
                &[ServiceNamespace::Rds]
            }
            M::NeptuneReaderAverageCpuUtilization => &[ServiceNamespace::Neptune],
            M::SageMakerVariantInvocationsPerInstance
            | M::SageMakerVariantProvisionedConcurrencyUtilization
            | M::SageMakerVariantConcurrentRequestsPerModelHighResolution
            | M::SageMakerInferenceComponentInvocationsPerCopy
            | M::SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution => {
                &[ServiceNamespace::SageMaker]
            }
            M::Ec2SpotFleetRequestAverageCpuUtilization
            | M::Ec2SpotFleetRequestAverageNetworkIn
            | M::Ec2SpotFleetRequestAverageNetworkOut => &[ServiceNamespace::Ec2],
            M::AppStreamAverageCapacityUtilization => &[ServiceNamespace::AppStream],
            M::CassandraReadCapacityUtilization | M::CassandraWriteCapacityUtilization => {
                &[ServiceNamespace::Cassandra]
            }
            M::ComprehendInferenceUtilization => &[ServiceNamespace::Comprehend],
            M::KafkaBrokerStorageUtilization => &[ServiceNamespace::Kafka],
            M::WorkSpacesAverageUserSessionsCapacityUtilization => &[ServiceNamespace::WorkSpaces],
            M::Other(_) => &[],
        }
    }

    fn target_range(&self) -> TargetRange {
        use PredefinedMetric as M;
        match self {
            M::DynamoDbReadCapacityUtilization
            | M::DynamoDbWriteCapacityUtilization
            | M::CassandraReadCapacityUtilization
            | M::CassandraWriteCapacityUtilization => TargetRange::Percent(20.0, 90.0),
            M::LambdaProvisionedConcurrencyUtilization => TargetRange::Ratio(0.1, 0.9),
            M::SageMakerVariantProvisionedConcurrencyUtilization => TargetRange::Ratio(0.0, 1.0),
            M::AlbRequestCountPerTarget
            | M::RdsReaderAverageDatabaseConnections
            | M::SageMakerVariantInvocationsPerInstance
            | M::SageMakerVariantConcurrentRequestsPerModelHighResolution
            | M::SageMakerInferenceComponentInvocationsPerCopy
            | M::SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution
            | M::Ec2SpotFleetRequestAverageNetworkIn
            | M::Ec2SpotFleetRequestAverageNetworkOut
            | M::Other(_) => TargetRange::Positive,
            _ => TargetRange::Percent(1.0, 100.0),
        }
    }
}

/// The statistic of a customized metric.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum MetricStatistic {
    /// `Average` (the default).
    #[default]
    Average,
    /// `Maximum`
    Maximum,
    /// `Minimum`
    Minimum,
    /// `SampleCount`
    SampleCount,
    /// `Sum`
    Sum,
}

impl MetricStatistic {
    pub(super) fn l1(self) -> l1::Statistic {
        match self {
            MetricStatistic::Average => l1::Statistic::Average,
            MetricStatistic::Maximum => l1::Statistic::Maximum,
            MetricStatistic::Minimum => l1::Statistic::Minimum,
            MetricStatistic::SampleCount => l1::Statistic::SampleCount,
            MetricStatistic::Sum => l1::Statistic::Sum,
        }
    }
}

/// A CloudWatch metric of your own to track: namespace, name, dimensions,
/// statistic (`Average` by default) and unit. The metric must change in
/// proportion to the capacity (a per-task or per-instance figure).
///
/// ```
/// use formwork::applicationautoscaling::{CustomMetric, MetricStatistic};
/// let backlog = CustomMetric::new("Weather/Queue", "BacklogPerTask")
///     .dimension("Queue", "forecasts")
///     .statistic(MetricStatistic::Average);
/// # let _ = backlog;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CustomMetric {
    pub(super) namespace: Str,
    pub(super) metric_name: Str,
    pub(super) dimensions: Vec<(Str, Str)>,
    pub(super) statistic: MetricStatistic,
    unit: Option<Str>,
}

impl CustomMetric {
    /// The metric `metric_name` of the CloudWatch namespace `namespace`.
    pub fn new(namespace: impl Into<Str>, metric_name: impl Into<Str>) -> Self {
        CustomMetric {
            namespace: namespace.into(),
            metric_name: metric_name.into(),
            dimensions: Vec::new(),
            statistic: MetricStatistic::Average,
            unit: None,
        }
    }

    /// Adds a dimension.
    pub fn dimension(mut self, name: impl Into<Str>, value: impl Into<Str>) -> Self {
        self.dimensions.push((name.into(), value.into()));
        self
    }

    /// The statistic (`Average` by default).
    pub fn statistic(mut self, statistic: MetricStatistic) -> Self {
        self.statistic = statistic;
        self
    }

    /// The unit (`Percent`, `Count`, …).
    pub fn unit(mut self, unit: impl Into<Str>) -> Self {
        self.unit = Some(unit.into());
        self
    }

    fn check(&self, node: &Scope) {
        let prop = "TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification";
        let empty = |s: &Str| {
            Value::from(s.clone())
                .as_str()
                .is_some_and(|t| t.trim().is_empty())
        };
        for (what, value) in [
            ("Namespace", &self.namespace),
            ("MetricName", &self.metric_name),
        ] {
            if empty(value) {
                node.error(
                    codes::CUSTOM_METRIC,
                    &format!("{prop}.{what}"),
                    format!("the customized metric's {what} is empty; allowed: a CloudWatch {what} of 1 to 255 characters"),
                );
            }
        }
        for (i, (name, _)) in self.dimensions.iter().enumerate() {
            if empty(name) {
                node.error(
                    codes::CUSTOM_METRIC,
                    &format!("{prop}.Dimensions[{i}].Name"),
                    "a dimension of the customized metric has an empty name",
                );
            }
        }
    }

    fn to_l1(&self) -> l1::CustomizedMetricSpecification {
        let mut m = l1::CustomizedMetricSpecification::new()
            .namespace(self.namespace.clone())
            .metric_name(self.metric_name.clone())
            .statistic(self.statistic.l1());
        if !self.dimensions.is_empty() {
            m = m.dimensions(
                self.dimensions
                    .iter()
                    .map(|(n, v)| l1::MetricDimension::new().name(n.clone()).value(v.clone()))
                    .collect::<Vec<_>>(),
            );
        }
        if let Some(u) = &self.unit {
            m = m.unit(u.clone());
        }
        m
    }
}

#[derive(Clone, Debug, PartialEq)]
enum TrackedMetric {
    Predefined(PredefinedMetric),
    Custom(Box<CustomMetric>),
}

/// What a target-tracking policy is made with
/// ([`ScalableTarget::scale_on_metric`]): the metric, the value to keep it
/// at, and optional cooldowns.
///
/// Target values are checked (`FW3404`): utilization metrics are
/// percentages (1 to 100; 20 to 90 for DynamoDB and Keyspaces),
/// `LambdaProvisionedConcurrencyUtilization` is a ratio (0.1 to 0.9), every
/// other metric takes a positive number. Scale-in stays enabled unless
/// [`TargetTrackingProps::disable_scale_in`] says otherwise; cooldowns are
/// the service's defaults unless set.
///
/// ```
/// use formwork::applicationautoscaling::{PredefinedMetric, TargetTrackingProps};
/// let cpu = TargetTrackingProps::new(PredefinedMetric::EcsServiceAverageCpuUtilization, 70.0)
///     .scale_in_cooldown_secs(300)
///     .scale_out_cooldown_secs(60);
/// let requests = TargetTrackingProps::alb_request_count_per_target(
///     "app/weather-alb/50dc6c495c0c9188/targetgroup/weather-tg/943f017f100becff",
///     1000.0,
/// );
/// # let _ = (cpu, requests);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TargetTrackingProps {
    metric: TrackedMetric,
    resource_label: Option<Str>,
    target_value: f64,
    scale_in_cooldown: Option<u32>,
    scale_out_cooldown: Option<u32>,
    disable_scale_in: bool,
    policy_name: Option<Str>,
}

impl TargetTrackingProps {
    /// Keeps a predefined metric at `target_value`.
    pub fn new(metric: PredefinedMetric, target_value: f64) -> Self {
        TargetTrackingProps {
            metric: TrackedMetric::Predefined(metric),
            resource_label: None,
            target_value,
            scale_in_cooldown: None,
            scale_out_cooldown: None,
            disable_scale_in: false,
            policy_name: None,
        }
    }

    /// Keeps the requests per target of a load balancer target group at
    /// `target_value`. `resource_label` names the target group:
    /// `app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>`
    /// (checked when literal, `FW3406`), usually built from the load
    /// balancer's and target group's full names.
    pub fn alb_request_count_per_target(resource_label: impl Into<Str>, target_value: f64) -> Self {
        TargetTrackingProps::new(PredefinedMetric::AlbRequestCountPerTarget, target_value)
            .resource_label(resource_label)
    }

    /// Keeps a customized metric at `target_value`.
    pub fn custom(metric: CustomMetric, target_value: f64) -> Self {
        TargetTrackingProps {
            metric: TrackedMetric::Custom(Box::new(metric)),
            resource_label: None,
            target_value,
            scale_in_cooldown: None,
            scale_out_cooldown: None,
            disable_scale_in: false,
            policy_name: None,
        }
    }

    /// The resource label of a predefined metric (only
    /// `ALBRequestCountPerTarget` takes one).
    pub fn resource_label(mut self, label: impl Into<Str>) -> Self {
        self.resource_label = Some(label.into());
        self
    }

    /// Seconds after a scale-in before another scale-in may start.
    pub fn scale_in_cooldown_secs(mut self, seconds: u32) -> Self {
        self.scale_in_cooldown = Some(seconds);
        self
    }

    /// Seconds after a scale-out before another scale-out may start.
    pub fn scale_out_cooldown_secs(mut self, seconds: u32) -> Self {
        self.scale_out_cooldown = Some(seconds);
        self
    }

    /// With `true`, the policy only adds capacity; removing it is left to
    /// other policies or to you.
    pub fn disable_scale_in(mut self, disable: bool) -> Self {
        self.disable_scale_in = disable;
        self
    }

    /// The policy name (by default the policy's logical id; it must be
    /// unique per scalable target).
    pub fn policy_name(mut self, name: impl Into<Str>) -> Self {
        self.policy_name = Some(name.into());
        self
    }
}

/// How a step-scaling policy changes the capacity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AdjustmentType {
    /// `ChangeInCapacity`: add (or, negative, remove) that many units (the default).
    #[default]
    ChangeInCapacity,
    /// `PercentChangeInCapacity`: change by that percentage of the current capacity.
    PercentChangeInCapacity,
    /// `ExactCapacity`: set the capacity to that value.
    ExactCapacity,
}

impl AdjustmentType {
    fn l1(self) -> l1::AdjustmentType {
        match self {
            AdjustmentType::ChangeInCapacity => l1::AdjustmentType::ChangeInCapacity,
            AdjustmentType::PercentChangeInCapacity => l1::AdjustmentType::PercentChangeInCapacity,
            AdjustmentType::ExactCapacity => l1::AdjustmentType::ExactCapacity,
        }
    }
}

/// How the alarm's metric data points are aggregated for step scaling.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum MetricAggregation {
    /// `Average` (the service's default).
    #[default]
    Average,
    /// `Minimum`
    Minimum,
    /// `Maximum`
    Maximum,
}

impl MetricAggregation {
    fn l1(self) -> l1::MetricAggregationType {
        match self {
            MetricAggregation::Average => l1::MetricAggregationType::Average,
            MetricAggregation::Minimum => l1::MetricAggregationType::Minimum,
            MetricAggregation::Maximum => l1::MetricAggregationType::Maximum,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Step {
    lower: Option<f64>,
    upper: Option<f64>,
    adjustment: i64,
}

impl Step {
    fn lo(&self) -> f64 {
        self.lower.unwrap_or(f64::NEG_INFINITY)
    }
    fn hi(&self) -> f64 {
        self.upper.unwrap_or(f64::INFINITY)
    }
}

fn bound(v: Option<f64>) -> String {
    v.map_or_else(|| "unbounded".to_owned(), |v| v.to_string())
}

/// What a step-scaling policy is made with
/// ([`ScalableTarget::scale_on_steps`]): the adjustment type and the steps.
///
/// A step applies when the alarm's metric minus the alarm threshold is in
/// `[lower, upper)`; `None` is unbounded (only the lowest step may have no
/// lower bound, only the highest no upper bound). Steps are written in
/// ascending order whatever the order they are added in, and must neither
/// overlap nor leave a gap (`FW3408`).
///
/// ```
/// use formwork::applicationautoscaling::{AdjustmentType, MetricAggregation, StepScalingProps};
/// let out = StepScalingProps::new(AdjustmentType::PercentChangeInCapacity)
///     .step(Some(0.0), Some(20.0), 10)
///     .step(Some(20.0), None, 30)
///     .min_adjustment_magnitude(1)
///     .metric_aggregation(MetricAggregation::Maximum)
///     .cooldown_secs(60);
/// # let _ = out;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct StepScalingProps {
    adjustment_type: AdjustmentType,
    steps: Vec<Step>,
    cooldown: Option<u32>,
    aggregation: Option<MetricAggregation>,
    min_adjustment_magnitude: Option<u32>,
    policy_name: Option<Str>,
    trigger: Option<AlarmTrigger>,
}

impl StepScalingProps {
    /// A policy of that adjustment type, with no step yet.
    pub fn new(adjustment_type: AdjustmentType) -> Self {
        StepScalingProps {
            adjustment_type,
            steps: Vec::new(),
            cooldown: None,
            aggregation: None,
            min_adjustment_magnitude: None,
            policy_name: None,
            trigger: None,
        }
    }

    /// The CloudWatch alarm that runs the policy: created with it, its
    /// `AlarmActions` naming the policy. Step bounds are relative to the
    /// alarm's threshold. Without a trigger, only the policy is created
    /// (put [`ScalingPolicy::arn`] in an alarm of your own).
    pub fn trigger(mut self, trigger: AlarmTrigger) -> Self {
        self.trigger = Some(trigger);
        self
    }

    /// Adds a step: when the metric is between `lower` and `upper` above
    /// the alarm threshold (negative: below it), change the capacity by
    /// `adjustment`.
    pub fn step(mut self, lower: Option<f64>, upper: Option<f64>, adjustment: i64) -> Self {
        self.steps.push(Step {
            lower,
            upper,
            adjustment,
        });
        self
    }

    /// Seconds after a scaling activity before the next one may start.
    pub fn cooldown_secs(mut self, seconds: u32) -> Self {
        self.cooldown = Some(seconds);
        self
    }

    /// How the metric's data points are aggregated (`Average` by default).
    pub fn metric_aggregation(mut self, aggregation: MetricAggregation) -> Self {
        self.aggregation = Some(aggregation);
        self
    }

    /// The least a `PercentChangeInCapacity` step changes the capacity by.
    pub fn min_adjustment_magnitude(mut self, units: u32) -> Self {
        self.min_adjustment_magnitude = Some(units);
        self
    }

    /// The policy name (by default the policy's logical id).
    pub fn policy_name(mut self, name: impl Into<Str>) -> Self {
        self.policy_name = Some(name.into());
        self
    }

    /// Sorts the steps and reports what Application Auto Scaling refuses.
    fn checked_steps(&self, node: &Scope) -> Vec<Step> {
        let prop = "StepScalingPolicyConfiguration.StepAdjustments";
        let mut steps = self.steps.clone();
        if steps.is_empty() {
            node.report(
                Diagnostic::error(
                    codes::STEPS,
                    node.path(),
                    "a step-scaling policy needs at least one step",
                )
                .property(prop)
                .fix("add steps with .step(lower, upper, adjustment)"),
            );
            return steps;
        }
        let mut ok = true;
        for s in &steps {
            let finite = s.lower.is_none_or(f64::is_finite) && s.upper.is_none_or(f64::is_finite);
            if !finite || s.lo() >= s.hi() {
                node.error(
                    codes::STEPS,
                    prop,
                    format!(
                        "the step from {} to {} is empty; allowed: a lower bound below the upper bound",
                        bound(s.lower),
                        bound(s.upper)
                    ),
                );
                ok = false;
            }
        }
        if !ok {
            return steps;
        }
        steps.sort_by(|a, b| a.lo().total_cmp(&b.lo()));
        for pair in steps.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let what = if a.hi() > b.lo() {
                "overlap"
            } else if a.hi() < b.lo() {
                "leave a gap"
            } else {
                continue;
            };
            node.report(
                Diagnostic::error(
                    codes::STEPS,
                    node.path(),
                    format!(
                        "the steps {} to {} and {} to {} {what}; allowed: steps that meet, each upper bound the next step's lower bound",
                        bound(a.lower),
                        bound(a.upper),
                        bound(b.lower),
                        bound(b.upper)
                    ),
                )
                .property(prop)
                .fix(format!("end the first step where the second starts, at {}", bound(b.lower))),
            );
        }
        steps
    }

    fn check_adjustments(&self, node: &Scope) {
        if self.adjustment_type == AdjustmentType::ExactCapacity {
            for (i, s) in self
                .steps
                .iter()
                .enumerate()
                .filter(|(_, s)| s.adjustment < 0)
            {
                node.error(
                    codes::STEP_ADJUSTMENT,
                    &format!(
                        "StepScalingPolicyConfiguration.StepAdjustments[{i}].ScalingAdjustment"
                    ),
                    format!(
                        "an ExactCapacity step sets the capacity to {}; allowed: 0 or more",
                        s.adjustment
                    ),
                );
            }
        }
        if self.min_adjustment_magnitude.is_some()
            && self.adjustment_type != AdjustmentType::PercentChangeInCapacity
        {
            node.report(
                Diagnostic::error(
                    codes::STEP_ADJUSTMENT,
                    node.path(),
                    format!(
                        "a minimum adjustment magnitude applies only to PercentChangeInCapacity, not to {:?}",
                        self.adjustment_type
                    ),
                )
                .property("StepScalingPolicyConfiguration.MinAdjustmentMagnitude")
                .fix("remove min_adjustment_magnitude, or use AdjustmentType::PercentChangeInCapacity"),
            );
        }
    }
}

/// A scaling policy of a [`ScalableTarget`]
/// (`AWS::ApplicationAutoScaling::ScalingPolicy`).
#[derive(Clone, Debug)]
pub struct ScalingPolicy {
    cfn: CfnScalingPolicyRef,
    scope: Scope,
}

/// A target value as a template number: an integer when it is one.
fn number(v: f64) -> Num {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        Num::from(v as i64)
    } else {
        Num::from(v)
    }
}

fn check_target_value(node: &Scope, metric: &TrackedMetric, value: f64) {
    let prop = "TargetTrackingScalingPolicyConfiguration.TargetValue";
    let range = match metric {
        TrackedMetric::Predefined(m) => m.target_range(),
        TrackedMetric::Custom(_) => TargetRange::Positive,
    };
    let name = match metric {
        TrackedMetric::Predefined(m) => m.as_str().to_owned(),
        TrackedMetric::Custom(_) => "the customized metric".to_owned(),
    };
    let problem = match range {
        TargetRange::Percent(lo, hi) if !(lo..=hi).contains(&value) => Some((
            format!(
                "{value} is not a target {name} takes; allowed: a percentage from {lo} to {hi}"
            ),
            None,
        )),
        TargetRange::Ratio(lo, hi) if !(value > 0.0 && (lo..=hi).contains(&value)) => Some((
            format!("{value} is not a target {name} takes; allowed: a ratio from {lo} to {hi}"),
            (value > 1.0 && value <= 100.0).then(|| {
                format!(
                    "{name} is a ratio, not a percentage: write {}",
                    value / 100.0
                )
            }),
        )),
        TargetRange::Positive if !(value.is_finite() && value > 0.0) => Some((
            format!("{value} is not a target {name} takes; allowed: a positive number"),
            None,
        )),
        _ => None,
    };
    if let Some((message, fix)) = problem {
        let mut d = Diagnostic::error(codes::TARGET_VALUE, node.path(), message).property(prop);
        if let Some(f) = fix {
            d = d.fix(f);
        }
        node.report(d);
    }
}

fn check_metric_namespace(node: &Scope, metric: &PredefinedMetric, target: &ServiceNamespace) {
    let allowed = metric.namespaces();
    if allowed.is_empty()
        || matches!(target, ServiceNamespace::Other(_))
        || allowed.contains(target)
    {
        return;
    }
    let names: Vec<&str> = allowed.iter().map(ServiceNamespace::as_str).collect();
    node.error(
        codes::METRIC_NAMESPACE,
        "TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType",
        format!(
            "{} measures {} targets; this target is in the `{}` namespace",
            metric.as_str(),
            names.join(" and "),
            target.as_str()
        ),
    );
}

fn check_resource_label(node: &Scope, metric: &PredefinedMetric, label: Option<&Str>) {
    let prop =
        "TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.ResourceLabel";
    let form = "app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>";
    let is_alb = *metric == PredefinedMetric::AlbRequestCountPerTarget;
    match (is_alb, label) {
        (true, None) => {
            node.report(
                Diagnostic::error(
                    codes::RESOURCE_LABEL,
                    node.path(),
                    "ALBRequestCountPerTarget needs the target group's resource label",
                )
                .property(prop)
                .fix("use TargetTrackingProps::alb_request_count_per_target(label, value)"),
            );
        }
        (false, Some(_)) if !matches!(metric, PredefinedMetric::Other(_)) => {
            node.error(
                codes::RESOURCE_LABEL,
                prop,
                format!(
                    "{} takes no resource label; only ALBRequestCountPerTarget does",
                    metric.as_str()
                ),
            );
        }
        (true, Some(l)) => {
            let Some(text) = Value::from(l.clone()).as_str().map(str::to_owned) else {
                return;
            };
            let parts: Vec<&str> = text.split('/').collect();
            let ok = parts.len() == 6
                && parts[0] == "app"
                && parts[3] == "targetgroup"
                && parts.iter().all(|p| !p.is_empty());
            if !ok {
                node.report(
                    Diagnostic::error(
                        codes::RESOURCE_LABEL,
                        node.path(),
                        format!("the resource label `{text}` is not in the form {form}"),
                    )
                    .property(prop)
                    .fix("build it from the load balancer's and the target group's full names"),
                );
            }
        }
        _ => {}
    }
}

impl ScalingPolicy {
    #[track_caller]
    pub(crate) fn target_tracking(
        node: Scope,
        target: &ScalableTarget,
        props: TargetTrackingProps,
    ) -> Result<ScalingPolicy> {
        check_target_value(&node, &props.metric, props.target_value);
        let mut config = l1::TargetTrackingScalingPolicyConfiguration::new()
            .target_value(number(props.target_value));
        match &props.metric {
            TrackedMetric::Predefined(m) => {
                check_metric_namespace(&node, m, target.namespace());
                check_resource_label(&node, m, props.resource_label.as_ref());
                let mut spec = l1::PredefinedMetricSpecification::new()
                    .predefined_metric_type(l1::PredefinedMetricType::from(m.as_str()));
                if let Some(l) = &props.resource_label {
                    spec = spec.resource_label(l.clone());
                }
                config = config.predefined_metric_specification(spec);
            }
            TrackedMetric::Custom(c) => {
                c.check(&node);
                if props.resource_label.is_some() {
                    node.error(
                        codes::RESOURCE_LABEL,
                        "TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.ResourceLabel",
                        "a customized metric takes no resource label; only ALBRequestCountPerTarget does",
                    );
                }
                config = config.customized_metric_specification(c.to_l1());
            }
        }
        if let Some(s) = props.scale_in_cooldown {
            config = config.scale_in_cooldown(s);
        }
        if let Some(s) = props.scale_out_cooldown {
            config = config.scale_out_cooldown(s);
        }
        if props.disable_scale_in {
            config = config.disable_scale_in(true);
        }
        let cfn = CfnScalingPolicy::new()
            .policy_name(
                props
                    .policy_name
                    .unwrap_or_else(|| Str::from(node.logical_id())),
            )
            .policy_type(l1::PolicyType::TargetTrackingScaling)
            .scaling_target_id(target.scalable_target_id())
            .target_tracking_scaling_policy_configuration(config);
        let cfn = node.add_here(cfn)?;
        Ok(ScalingPolicy { cfn, scope: node })
    }

    #[track_caller]
    pub(crate) fn step_scaling(
        node: Scope,
        target: &ScalableTarget,
        props: StepScalingProps,
    ) -> Result<ScalingPolicy> {
        let steps = props.checked_steps(&node);
        props.check_adjustments(&node);
        let mut config = l1::StepScalingPolicyConfiguration::new()
            .adjustment_type(props.adjustment_type.l1())
            .step_adjustments(
                steps
                    .iter()
                    .map(|s| {
                        let mut a = l1::StepAdjustment::new().scaling_adjustment(s.adjustment);
                        if let Some(l) = s.lower {
                            a = a.metric_interval_lower_bound(number(l));
                        }
                        if let Some(u) = s.upper {
                            a = a.metric_interval_upper_bound(number(u));
                        }
                        a
                    })
                    .collect::<Vec<_>>(),
            );
        if let Some(c) = props.cooldown {
            config = config.cooldown(c);
        }
        if let Some(a) = props.aggregation {
            config = config.metric_aggregation_type(a.l1());
        }
        if let Some(m) = props.min_adjustment_magnitude {
            config = config.min_adjustment_magnitude(m);
        }
        let cfn = CfnScalingPolicy::new()
            .policy_name(
                props
                    .policy_name
                    .unwrap_or_else(|| Str::from(node.logical_id())),
            )
            .policy_type(l1::PolicyType::StepScaling)
            .scaling_target_id(target.scalable_target_id())
            .step_scaling_policy_configuration(config);
        let cfn = node.add_here(cfn)?;
        if let Some(trigger) = props.trigger {
            trigger.add(&node, cfn.arn())?;
        }
        Ok(ScalingPolicy { cfn, scope: node })
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnScalingPolicyRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// `Fn::GetAtt Arn`: what a CloudWatch alarm's `AlarmActions` name to
    /// trigger a step-scaling policy.
    pub fn arn(&self) -> Expr {
        self.cfn.arn()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::applicationautoscaling::{ScalableDimension, ScalableTargetProps};
    use formwork_core::App;
    use serde_json::json;

    fn ecs_target(app: &App) -> ScalableTarget {
        let s = app.stack("S").unwrap_or_else(|_| app.stacks()[0].clone());
        ScalableTarget::new(
            &s,
            "Scaling",
            ScalableTargetProps::new(
                ServiceNamespace::Ecs,
                "service/weather-cluster/weather-comment-generator",
                ScalableDimension::EcsServiceDesiredCount,
                1,
                4,
            ),
        )
        .unwrap()
    }

    fn errors(app: &App) -> Vec<Diagnostic> {
        app.synth().unwrap_err().diagnostics().unwrap().0.clone()
    }

    fn with_code<'a>(ds: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
        ds.iter().filter(|d| d.code == code).collect()
    }

    /// Reference C: 1 to 4 tasks, target tracking on average CPU 70 % and
    /// on average memory 80 %.
    #[test]
    fn reference_c_cpu_and_memory_target_tracking() {
        let app = App::new();
        let target = ecs_target(&app);
        let cpu = target
            .scale_on_metric(
                "Cpu",
                TargetTrackingProps::new(PredefinedMetric::EcsServiceAverageCpuUtilization, 70.0),
            )
            .unwrap();
        target
            .scale_on_metric(
                "Memory",
                TargetTrackingProps::new(
                    PredefinedMetric::EcsServiceAverageMemoryUtilization,
                    80.0,
                ),
            )
            .unwrap();
        assert_eq!(cpu.cfn().logical_id(), "ScalingCpu");
        assert_eq!(cpu.scope().path(), "S/Scaling/Cpu");
        let asm = formwork_test_support::synth_and_lint(&app, "aas-reference-c");
        let t = formwork_test_support::template(&asm, "S");
        assert_eq!(
            t["Resources"],
            json!({
                "Scaling": {
                    "Type": "AWS::ApplicationAutoScaling::ScalableTarget",
                    "Properties": {
                        "MaxCapacity": 4,
                        "MinCapacity": 1,
                        "ResourceId": "service/weather-cluster/weather-comment-generator",
                        "ScalableDimension": "ecs:service:DesiredCount",
                        "ServiceNamespace": "ecs"
                    }
                },
                "ScalingCpu": {
                    "Type": "AWS::ApplicationAutoScaling::ScalingPolicy",
                    "Properties": {
                        "PolicyName": "ScalingCpu",
                        "PolicyType": "TargetTrackingScaling",
                        "ScalingTargetId": {"Ref": "Scaling"},
                        "TargetTrackingScalingPolicyConfiguration": {
                            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
                            "TargetValue": 70
                        }
                    }
                },
                "ScalingMemory": {
                    "Type": "AWS::ApplicationAutoScaling::ScalingPolicy",
                    "Properties": {
                        "PolicyName": "ScalingMemory",
                        "PolicyType": "TargetTrackingScaling",
                        "ScalingTargetId": {"Ref": "Scaling"},
                        "TargetTrackingScalingPolicyConfiguration": {
                            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageMemoryUtilization"},
                            "TargetValue": 80
                        }
                    }
                }
            })
        );
    }

    #[test]
    fn options_cooldowns_labels_and_custom_metrics() {
        let app = App::new();
        let target = ecs_target(&app);
        target
            .scale_on_metric(
                "Requests",
                TargetTrackingProps::alb_request_count_per_target(
                    "app/alb/50dc6c495c0c9188/targetgroup/tg/943f017f100becff",
                    1000.0,
                )
                .scale_in_cooldown_secs(300)
                .scale_out_cooldown_secs(60)
                .disable_scale_in(true)
                .policy_name("requests-per-task"),
            )
            .unwrap();
        target
            .scale_on_metric(
                "Backlog",
                TargetTrackingProps::custom(
                    CustomMetric::new("Weather/Queue", "BacklogPerTask")
                        .dimension("Queue", "forecasts")
                        .statistic(MetricStatistic::Maximum)
                        .unit("Count"),
                    12.5,
                ),
            )
            .unwrap();
        let t = formwork_test_support::template(
            &formwork_test_support::synth_and_lint(&app, "aas-options"),
            "S",
        );
        assert_eq!(
            t["Resources"]["ScalingRequests"]["Properties"],
            json!({
                "PolicyName": "requests-per-task",
                "PolicyType": "TargetTrackingScaling",
                "ScalingTargetId": {"Ref": "Scaling"},
                "TargetTrackingScalingPolicyConfiguration": {
                    "DisableScaleIn": true,
                    "PredefinedMetricSpecification": {
                        "PredefinedMetricType": "ALBRequestCountPerTarget",
                        "ResourceLabel": "app/alb/50dc6c495c0c9188/targetgroup/tg/943f017f100becff"
                    },
                    "ScaleInCooldown": 300,
                    "ScaleOutCooldown": 60,
                    "TargetValue": 1000
                }
            })
        );
        assert_eq!(
            t["Resources"]["ScalingBacklog"]["Properties"]["TargetTrackingScalingPolicyConfiguration"],
            json!({
                "CustomizedMetricSpecification": {
                    "Dimensions": [{"Name": "Queue", "Value": "forecasts"}],
                    "MetricName": "BacklogPerTask",
                    "Namespace": "Weather/Queue",
                    "Statistic": "Maximum",
                    "Unit": "Count"
                },
                "TargetValue": 12.5
            })
        );
    }

    #[test]
    fn lambda_provisioned_concurrency_tracks_a_ratio() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let t = ScalableTarget::new(
            &s,
            "Pc",
            ScalableTargetProps::lambda_provisioned_concurrency("chat", "live", 1, 10),
        )
        .unwrap();
        t.scale_on_metric(
            "Util",
            TargetTrackingProps::new(
                PredefinedMetric::LambdaProvisionedConcurrencyUtilization,
                0.7,
            ),
        )
        .unwrap();
        let tpl = formwork_test_support::template(
            &formwork_test_support::synth_and_lint(&app, "aas-lambda"),
            "S",
        );
        assert_eq!(
            tpl["Resources"]["PcUtil"]["Properties"]["TargetTrackingScalingPolicyConfiguration"]["TargetValue"],
            json!(0.7)
        );
    }

    #[test]
    fn target_values_are_checked_per_metric() {
        let app = App::new();
        let target = ecs_target(&app);
        target
            .scale_on_metric(
                "Cpu",
                TargetTrackingProps::new(PredefinedMetric::EcsServiceAverageCpuUtilization, 150.0),
            )
            .unwrap();
        target
            .scale_on_metric(
                "Custom",
                TargetTrackingProps::custom(CustomMetric::new("N", "M"), 0.0),
            )
            .unwrap();
        let s = app.stacks()[0].clone();
        let pc = ScalableTarget::new(
            &s,
            "Pc",
            ScalableTargetProps::lambda_provisioned_concurrency("f", "live", 1, 2),
        )
        .unwrap();
        pc.scale_on_metric(
            "Util",
            TargetTrackingProps::new(
                PredefinedMetric::LambdaProvisionedConcurrencyUtilization,
                70.0,
            ),
        )
        .unwrap();
        let table = ScalableTarget::new(
            &s,
            "Table",
            ScalableTargetProps::new(
                ServiceNamespace::DynamoDb,
                "table/sessions",
                ScalableDimension::DynamoDbTableReadCapacityUnits,
                5,
                100,
            ),
        )
        .unwrap();
        table
            .scale_on_metric(
                "Read",
                TargetTrackingProps::new(PredefinedMetric::DynamoDbReadCapacityUtilization, 95.0),
            )
            .unwrap();
        let errs = errors(&app);
        let tv = with_code(&errs, codes::TARGET_VALUE);
        assert_eq!(tv.len(), 4, "{errs:?}");
        assert_eq!(tv[0].path, "S/Scaling/Cpu");
        assert_eq!(
            tv[0].property.as_deref(),
            Some("TargetTrackingScalingPolicyConfiguration.TargetValue")
        );
        assert_eq!(
            tv[0].message,
            "150 is not a target ECSServiceAverageCPUUtilization takes; allowed: a percentage from 1 to 100"
        );
        assert_eq!(
            tv[1].message,
            "0 is not a target the customized metric takes; allowed: a positive number"
        );
        assert_eq!(
            tv[2].message,
            "70 is not a target LambdaProvisionedConcurrencyUtilization takes; allowed: a ratio from 0.1 to 0.9"
        );
        assert_eq!(
            tv[2].fix.as_deref(),
            Some("LambdaProvisionedConcurrencyUtilization is a ratio, not a percentage: write 0.7")
        );
        assert_eq!(
            tv[3].message,
            "95 is not a target DynamoDBReadCapacityUtilization takes; allowed: a percentage from 20 to 90"
        );
    }

    #[test]
    fn metrics_must_fit_the_target() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let pc = ScalableTarget::new(
            &s,
            "Pc",
            ScalableTargetProps::lambda_provisioned_concurrency("f", "live", 1, 2),
        )
        .unwrap();
        pc.scale_on_metric(
            "Cpu",
            TargetTrackingProps::new(PredefinedMetric::EcsServiceAverageCpuUtilization, 50.0),
        )
        .unwrap();
        pc.scale_on_metric(
            "Alb",
            TargetTrackingProps::alb_request_count_per_target("app/a/1/targetgroup/t/2", 10.0),
        )
        .unwrap();
        let errs = errors(&app);
        let ns = with_code(&errs, codes::METRIC_NAMESPACE);
        assert_eq!(ns.len(), 2, "{errs:?}");
        assert_eq!(ns[0].path, "S/Pc/Cpu");
        assert_eq!(
            ns[0].property.as_deref(),
            Some(
                "TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType"
            )
        );
        assert_eq!(
            ns[0].message,
            "ECSServiceAverageCPUUtilization measures ecs targets; this target is in the `lambda` namespace"
        );
        assert_eq!(
            ns[1].message,
            "ALBRequestCountPerTarget measures ecs and ec2 targets; this target is in the `lambda` namespace"
        );
    }

    #[test]
    fn resource_labels_are_checked() {
        let app = App::new();
        let target = ecs_target(&app);
        target
            .scale_on_metric(
                "Missing",
                TargetTrackingProps::new(PredefinedMetric::AlbRequestCountPerTarget, 100.0),
            )
            .unwrap();
        target
            .scale_on_metric(
                "Bad",
                TargetTrackingProps::alb_request_count_per_target("targetgroup/tg/1", 100.0),
            )
            .unwrap();
        target
            .scale_on_metric(
                "Extra",
                TargetTrackingProps::new(PredefinedMetric::EcsServiceAverageCpuUtilization, 50.0)
                    .resource_label("x"),
            )
            .unwrap();
        target
            .scale_on_metric(
                "CustomLabel",
                TargetTrackingProps::custom(CustomMetric::new("N", "M"), 5.0).resource_label("x"),
            )
            .unwrap();
        let errs = errors(&app);
        let rl = with_code(&errs, codes::RESOURCE_LABEL);
        assert_eq!(rl.len(), 4, "{errs:?}");
        let prop = Some(
            "TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.ResourceLabel",
        );
        assert!(rl.iter().all(|d| d.property.as_deref() == prop));
        assert_eq!(rl[0].path, "S/Scaling/Missing");
        assert_eq!(
            rl[0].message,
            "ALBRequestCountPerTarget needs the target group's resource label"
        );
        assert_eq!(
            rl[1].message,
            "the resource label `targetgroup/tg/1` is not in the form app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>"
        );
        assert_eq!(
            rl[2].message,
            "ECSServiceAverageCPUUtilization takes no resource label; only ALBRequestCountPerTarget does"
        );
        assert_eq!(rl[3].path, "S/Scaling/CustomLabel");
    }

    #[test]
    fn custom_metrics_need_names() {
        let app = App::new();
        let target = ecs_target(&app);
        target
            .scale_on_metric(
                "Blank",
                TargetTrackingProps::custom(CustomMetric::new("", " ").dimension("", "v"), 5.0),
            )
            .unwrap();
        let errs = errors(&app);
        let cm = with_code(&errs, codes::CUSTOM_METRIC);
        assert_eq!(cm.len(), 3, "{errs:?}");
        assert_eq!(
            cm[0].property.as_deref(),
            Some(
                "TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.Namespace"
            )
        );
        assert_eq!(
            cm[0].message,
            "the customized metric's Namespace is empty; allowed: a CloudWatch Namespace of 1 to 255 characters"
        );
        assert_eq!(
            cm[1].property.as_deref(),
            Some(
                "TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.MetricName"
            )
        );
        assert_eq!(
            cm[2].property.as_deref(),
            Some(
                "TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.Dimensions[0].Name"
            )
        );
    }

    #[test]
    fn step_scaling_sorts_steps_and_exposes_the_arn() {
        let app = App::new();
        let target = ecs_target(&app);
        let p = target
            .scale_on_steps(
                "Out",
                StepScalingProps::new(AdjustmentType::PercentChangeInCapacity)
                    .step(Some(20.0), None, 30)
                    .step(Some(0.0), Some(20.0), 10)
                    .cooldown_secs(120)
                    .metric_aggregation(MetricAggregation::Maximum)
                    .min_adjustment_magnitude(1),
            )
            .unwrap();
        target
            .scale_on_steps(
                "In",
                StepScalingProps::new(AdjustmentType::ChangeInCapacity).step(None, Some(-0.5), -1),
            )
            .unwrap();
        let s = app.stacks()[0].clone();
        s.add_output("OutArn", formwork_core::Output::new(p.arn()))
            .unwrap();
        let t = formwork_test_support::template(
            &formwork_test_support::synth_and_lint(&app, "aas-steps"),
            "S",
        );
        assert_eq!(
            t["Resources"]["ScalingOut"]["Properties"],
            json!({
                "PolicyName": "ScalingOut",
                "PolicyType": "StepScaling",
                "ScalingTargetId": {"Ref": "Scaling"},
                "StepScalingPolicyConfiguration": {
                    "AdjustmentType": "PercentChangeInCapacity",
                    "Cooldown": 120,
                    "MetricAggregationType": "Maximum",
                    "MinAdjustmentMagnitude": 1,
                    "StepAdjustments": [
                        {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 20, "ScalingAdjustment": 10},
                        {"MetricIntervalLowerBound": 20, "ScalingAdjustment": 30}
                    ]
                }
            })
        );
        assert_eq!(
            t["Resources"]["ScalingIn"]["Properties"]["StepScalingPolicyConfiguration"]["StepAdjustments"],
            json!([{"MetricIntervalUpperBound": -0.5, "ScalingAdjustment": -1}])
        );
        assert_eq!(
            t["Outputs"]["OutArn"]["Value"],
            json!({"Fn::GetAtt": ["ScalingOut", "Arn"]})
        );
    }

    #[test]
    fn step_intervals_are_checked() {
        let app = App::new();
        let target = ecs_target(&app);
        let new = || StepScalingProps::new(AdjustmentType::ChangeInCapacity);
        target.scale_on_steps("None", new()).unwrap();
        target
            .scale_on_steps("Empty", new().step(Some(5.0), Some(5.0), 1))
            .unwrap();
        target
            .scale_on_steps(
                "Overlap",
                new()
                    .step(Some(0.0), Some(10.0), 1)
                    .step(Some(5.0), None, 2),
            )
            .unwrap();
        target
            .scale_on_steps(
                "Gap",
                new()
                    .step(Some(0.0), Some(10.0), 1)
                    .step(Some(20.0), None, 2),
            )
            .unwrap();
        target
            .scale_on_steps(
                "TwoOpen",
                new().step(None, Some(0.0), -1).step(None, Some(-10.0), -2),
            )
            .unwrap();
        let errs = errors(&app);
        let st = with_code(&errs, codes::STEPS);
        assert_eq!(st.len(), 5, "{errs:?}");
        assert!(st.iter().all(
            |d| d.property.as_deref() == Some("StepScalingPolicyConfiguration.StepAdjustments")
        ));
        assert_eq!(st[0].path, "S/Scaling/None");
        assert_eq!(
            st[0].message,
            "a step-scaling policy needs at least one step"
        );
        assert_eq!(
            st[1].message,
            "the step from 5 to 5 is empty; allowed: a lower bound below the upper bound"
        );
        assert_eq!(
            st[2].message,
            "the steps 0 to 10 and 5 to unbounded overlap; allowed: steps that meet, each upper bound the next step's lower bound"
        );
        assert_eq!(
            st[2].fix.as_deref(),
            Some("end the first step where the second starts, at 5")
        );
        assert_eq!(
            st[3].message,
            "the steps 0 to 10 and 20 to unbounded leave a gap; allowed: steps that meet, each upper bound the next step's lower bound"
        );
        assert_eq!(st[4].path, "S/Scaling/TwoOpen");
        assert!(st[4].message.ends_with(
            "overlap; allowed: steps that meet, each upper bound the next step's lower bound"
        ));
    }

    #[test]
    fn step_adjustments_fit_the_adjustment_type() {
        let app = App::new();
        let target = ecs_target(&app);
        target
            .scale_on_steps(
                "Exact",
                StepScalingProps::new(AdjustmentType::ExactCapacity).step(Some(0.0), None, -2),
            )
            .unwrap();
        target
            .scale_on_steps(
                "Magnitude",
                StepScalingProps::new(AdjustmentType::ChangeInCapacity)
                    .step(Some(0.0), None, 2)
                    .min_adjustment_magnitude(2),
            )
            .unwrap();
        let errs = errors(&app);
        let sa = with_code(&errs, codes::STEP_ADJUSTMENT);
        assert_eq!(sa.len(), 2, "{errs:?}");
        assert_eq!(sa[0].path, "S/Scaling/Exact");
        assert_eq!(
            sa[0].property.as_deref(),
            Some("StepScalingPolicyConfiguration.StepAdjustments[0].ScalingAdjustment")
        );
        assert_eq!(
            sa[0].message,
            "an ExactCapacity step sets the capacity to -2; allowed: 0 or more"
        );
        assert_eq!(
            sa[1].property.as_deref(),
            Some("StepScalingPolicyConfiguration.MinAdjustmentMagnitude")
        );
        assert_eq!(
            sa[1].message,
            "a minimum adjustment magnitude applies only to PercentChangeInCapacity, not to ChangeInCapacity"
        );
    }
}
