//! Application Auto Scaling: scalable targets (an ECS service's task count,
//! a Lambda alias's provisioned concurrency, a DynamoDB table's capacity, …)
//! and the policies that scale them, checked the way the service checks
//! them.
//!
//! Targets use the service-linked role Application Auto Scaling creates for
//! itself (no `RoleARN`), as AWS recommends.
//!
//! ```
//! use formwork::App;
//! use formwork::applicationautoscaling::{
//!     PredefinedMetric, ScalableTarget, ScalableTargetProps, TargetTrackingProps,
//! };
//! let app = App::new();
//! let stack = app.stack("Weather")?;
//! // 1 to 4 tasks of the service `weather` in the cluster `weather-cluster`.
//! let target = ScalableTarget::new(
//!     &stack,
//!     "Scaling",
//!     ScalableTargetProps::ecs_service("weather-cluster", "weather", 1, 4),
//! )?;
//! target.scale_on_metric("Cpu", TargetTrackingProps::new(PredefinedMetric::EcsServiceAverageCpuUtilization, 70.0))?;
//! target.scale_on_metric("Memory", TargetTrackingProps::new(PredefinedMetric::EcsServiceAverageMemoryUtilization, 80.0))?;
//! # Ok::<(), formwork::Error>(())
//! ```

mod alarm;
mod policy;
mod target;

pub use alarm::{AlarmTrigger, Comparison};
pub use policy::{
    AdjustmentType, CustomMetric, MetricAggregation, MetricStatistic, PredefinedMetric,
    ScalingPolicy, StepScalingProps, TargetTrackingProps,
};
pub use target::{ScalableDimension, ScalableTarget, ScalableTargetProps, ServiceNamespace};

/// The diagnostic codes of the Application Auto Scaling constructs (`FW34xx`).
pub mod codes {
    /// A minimum or maximum capacity below zero, or a minimum above the maximum.
    pub const CAPACITY: &str = "FW3401";
    /// A scalable dimension of another service than the target's namespace
    /// (`lambda:function:ProvisionedConcurrency` on an `ecs` target).
    pub const DIMENSION_NAMESPACE: &str = "FW3402";
    /// A resource id that is not in the form the scalable dimension takes
    /// (`service/<cluster>/<service>` for ECS, `function:<name>:<alias>` for
    /// Lambda, …).
    pub const RESOURCE_ID: &str = "FW3403";
    /// A target-tracking target value out of range: a utilization metric
    /// outside its percentage range (1 to 100, 20 to 90 for DynamoDB and
    /// Keyspaces), a ratio metric outside 0.1 to 0.9, or any other value
    /// that is not a positive number.
    pub const TARGET_VALUE: &str = "FW3404";
    /// A predefined metric of another service than the target's
    /// (`ECSServiceAverageCPUUtilization` on a Lambda target).
    pub const METRIC_NAMESPACE: &str = "FW3405";
    /// An `ALBRequestCountPerTarget` resource label that is not
    /// `app/<load-balancer>/<id>/targetgroup/<target-group>/<id>`.
    pub const RESOURCE_LABEL: &str = "FW3406";
    /// A customized metric with an empty namespace or metric name, or a
    /// dimension with an empty name.
    pub const CUSTOM_METRIC: &str = "FW3407";
    /// Step-scaling steps Application Auto Scaling refuses: none, a step
    /// whose lower bound is not below its upper bound, steps that overlap or
    /// leave a gap, or an unbounded side on a step that is not first or last.
    pub const STEPS: &str = "FW3408";
    /// A step adjustment that does not fit the adjustment type: a negative
    /// `ExactCapacity`, or a minimum adjustment magnitude without
    /// `PercentChangeInCapacity`.
    pub const STEP_ADJUSTMENT: &str = "FW3409";
}
