//! ScalableTaskCount: the task count of a service, scaled by Application
//! Auto Scaling.

use formwork_core::{Result, Value};

use crate::applicationautoscaling::{
    PredefinedMetric, ScalableTarget, ScalingPolicy, StepScalingProps, TargetTrackingProps,
};
use crate::elasticloadbalancingv2::{ApplicationLoadBalancer, ApplicationTargetGroup};

/// The task count of a [`super::FargateService`], from
/// [`super::FargateService::auto_scale_task_count`]. Policies are added
/// below its target (`<service>/TaskCount/<id>`).
///
/// ```
/// use formwork::App;
/// use formwork::applicationautoscaling::{AdjustmentType, StepScalingProps};
/// use formwork::ec2::{Vpc, VpcProps};
/// use formwork::ecs::{Cluster, ClusterProps, ContainerImage, ContainerProps, FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps};
/// let app = App::new();
/// let stack = app.stack("Worker")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new(&vpc))?;
/// let task = FargateTaskDefinition::new(&stack, "TaskDefinition", FargateTaskDefinitionProps::new())?;
/// task.add_container("worker", ContainerProps::new(ContainerImage::from_registry("public.ecr.aws/docker/library/busybox:1.36")))?;
/// let service = FargateService::new(&stack, "Service", FargateServiceProps::new(&cluster, &task))?;
/// let count = service.auto_scale_task_count(1, 10)?;
/// count.scale_on_cpu_utilization("Cpu", 70)?;
/// // Step scaling, driven by a CloudWatch alarm whose action is the policy's ARN.
/// let steps = count.scale_on_steps(
///     "QueueDepth",
///     StepScalingProps::new(AdjustmentType::ChangeInCapacity).step(Some(0.0), Some(100.0), 1).step(Some(100.0), None, 3),
/// )?;
/// # let _ = steps.arn();
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ScalableTaskCount {
    target: ScalableTarget,
}

impl ScalableTaskCount {
    pub(crate) fn new(target: ScalableTarget) -> ScalableTaskCount {
        ScalableTaskCount { target }
    }

    /// The scalable target (`AWS::ApplicationAutoScaling::ScalableTarget`).
    pub fn scalable_target(&self) -> &ScalableTarget {
        &self.target
    }

    /// Keeps the service's average CPU utilization at `percent` (1 to 100,
    /// checked by Application Auto Scaling's constructs, `FW3404`).
    #[track_caller]
    pub fn scale_on_cpu_utilization(&self, id: &str, percent: u32) -> Result<ScalingPolicy> {
        self.target.scale_on_metric(
            id,
            TargetTrackingProps::new(
                PredefinedMetric::EcsServiceAverageCpuUtilization,
                f64::from(percent),
            ),
        )
    }

    /// Keeps the service's average memory utilization at `percent`.
    #[track_caller]
    pub fn scale_on_memory_utilization(&self, id: &str, percent: u32) -> Result<ScalingPolicy> {
        self.target.scale_on_metric(
            id,
            TargetTrackingProps::new(
                PredefinedMetric::EcsServiceAverageMemoryUtilization,
                f64::from(percent),
            ),
        )
    }

    /// Keeps the requests per task at `requests_per_target`, counted by
    /// `target_group` of `load_balancer` (the metric's resource label is
    /// `<load balancer full name>/<target group full name>`). The policy
    /// waits for the listeners that forward to the group: Application Auto
    /// Scaling refuses a target group no load balancer uses yet.
    #[track_caller]
    pub fn scale_on_request_count(
        &self,
        id: &str,
        requests_per_target: u32,
        load_balancer: &ApplicationLoadBalancer,
        target_group: &ApplicationTargetGroup,
    ) -> Result<ScalingPolicy> {
        let label = formwork_core::Fn::concat([
            Value::from(load_balancer.load_balancer_full_name()),
            Value::from("/"),
            Value::from(target_group.target_group_full_name()),
        ]);
        let policy = self.target.scale_on_metric(
            id,
            TargetTrackingProps::alb_request_count_per_target(
                label,
                f64::from(requests_per_target),
            ),
        )?;
        for l in target_group.listener_resources() {
            policy.cfn().add_depends_on(&l);
        }
        Ok(policy)
    }

    /// Adds any target-tracking policy.
    #[track_caller]
    pub fn scale_on_metric(&self, id: &str, props: TargetTrackingProps) -> Result<ScalingPolicy> {
        self.target.scale_on_metric(id, props)
    }

    /// Adds a step-scaling policy (act on it from a CloudWatch alarm).
    #[track_caller]
    pub fn scale_on_steps(&self, id: &str, props: StepScalingProps) -> Result<ScalingPolicy> {
        self.target.scale_on_steps(id, props)
    }
}

#[cfg(test)]
mod tests {
    use crate::applicationautoscaling::{
        AdjustmentType, PredefinedMetric, StepScalingProps, TargetTrackingProps,
    };
    use crate::ecs::testutil::{nginx, stack_with_vpc};
    use crate::ecs::{
        Cluster, ClusterProps, ContainerProps, FargateService, FargateServiceProps,
        FargateTaskDefinition, FargateTaskDefinitionProps, PortMapping,
    };
    use crate::elasticloadbalancingv2::{
        ApplicationLoadBalancer, ApplicationLoadBalancerProps, ApplicationTargetGroup,
        ListenerProps, TargetGroupProps,
    };
    use serde_json::json;

    #[test]
    fn task_count_scales_on_cpu_memory_requests_and_steps() {
        let (app, s, vpc) = stack_with_vpc();
        let cluster = Cluster::new(&s, "Cluster", ClusterProps::new(&vpc)).unwrap();
        let task =
            FargateTaskDefinition::new(&s, "TaskDefinition", FargateTaskDefinitionProps::new())
                .unwrap();
        task.add_container(
            "web",
            ContainerProps::new(nginx()).port_mapping(PortMapping::tcp(80)),
        )
        .unwrap();
        let service =
            FargateService::new(&s, "Service", FargateServiceProps::new(&cluster, &task)).unwrap();
        let alb = ApplicationLoadBalancer::new(&s, "Alb", ApplicationLoadBalancerProps::new(&vpc))
            .unwrap();
        let tg = ApplicationTargetGroup::new(&s, "Targets", TargetGroupProps::new(&vpc).port(80))
            .unwrap();
        alb.add_listener("Http", ListenerProps::http(80, &tg))
            .unwrap();
        service.attach_to_target_group(&tg, "web", 80).unwrap();

        let count = service.auto_scale_task_count(1, 4).unwrap();
        assert_eq!(
            count.scalable_target().cfn().logical_id(),
            "ServiceTaskCount"
        );
        count.scale_on_cpu_utilization("Cpu", 70).unwrap();
        count.scale_on_memory_utilization("Memory", 80).unwrap();
        count
            .scale_on_request_count("Requests", 500, &alb, &tg)
            .unwrap();
        count
            .scale_on_metric(
                "Custom",
                TargetTrackingProps::new(PredefinedMetric::EcsServiceAverageCpuUtilization, 50.0)
                    .disable_scale_in(true),
            )
            .unwrap();
        count
            .scale_on_steps(
                "Steps",
                StepScalingProps::new(AdjustmentType::ChangeInCapacity)
                    .step(Some(0.0), Some(10.0), 1)
                    .step(Some(10.0), None, 2),
            )
            .unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-scaling");
        let t = formwork_test_support::template(&asm, "S");
        assert_eq!(
            t["Resources"]["ServiceTaskCount"],
            json!({"Type": "AWS::ApplicationAutoScaling::ScalableTarget", "Properties": {
                "MaxCapacity": 4,
                "MinCapacity": 1,
                "ResourceId": {"Fn::Sub": "service/${Cluster}/${Service.Name}"},
                "ScalableDimension": "ecs:service:DesiredCount",
                "ServiceNamespace": "ecs"
            }})
        );
        let tracking = |id: &str| {
            t["Resources"][id]["Properties"]["TargetTrackingScalingPolicyConfiguration"].clone()
        };
        assert_eq!(
            tracking("ServiceTaskCountCpu"),
            json!({"PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}, "TargetValue": 70})
        );
        assert_eq!(
            tracking("ServiceTaskCountMemory"),
            json!({"PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageMemoryUtilization"}, "TargetValue": 80})
        );
        assert_eq!(
            tracking("ServiceTaskCountRequests"),
            json!({"PredefinedMetricSpecification": {
                "PredefinedMetricType": "ALBRequestCountPerTarget",
                "ResourceLabel": {"Fn::Sub": "${Alb.LoadBalancerFullName}/${Targets.TargetGroupFullName}"}
            }, "TargetValue": 500})
        );
        assert_eq!(
            t["Resources"]["ServiceTaskCountRequests"]["DependsOn"],
            json!(["AlbHttp"])
        );
        assert_eq!(tracking("ServiceTaskCountCustom")["DisableScaleIn"], true);
        assert_eq!(
            t["Resources"]["ServiceTaskCountSteps"]["Properties"]["PolicyType"],
            "StepScaling"
        );
        for id in [
            "ServiceTaskCountCpu",
            "ServiceTaskCountMemory",
            "ServiceTaskCountSteps",
        ] {
            assert_eq!(
                t["Resources"][id]["Properties"]["ScalingTargetId"],
                json!({"Ref": "ServiceTaskCount"})
            );
        }
    }
}
