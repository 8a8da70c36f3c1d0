//! ScalableTarget: what Application Auto Scaling scales, between a minimum
//! and a maximum capacity.

use formwork_core::typed::{Int, Str};
use formwork_core::{Diagnostic, Expr, Fn, Intrinsic, Result, Scope, SubPart, Value};
use formwork_l1::applicationautoscaling::{
    CfnScalableTarget, CfnScalableTargetRef, scalable_target,
};

use super::codes;
use super::policy::{ScalingPolicy, StepScalingProps, TargetTrackingProps};

/// The AWS service whose resource a target scales (`ServiceNamespace`).
///
/// ```
/// use formwork::applicationautoscaling::ServiceNamespace;
/// assert_eq!(ServiceNamespace::Ecs.as_str(), "ecs");
/// assert_eq!(ServiceNamespace::DynamoDb.as_str(), "dynamodb");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServiceNamespace {
    /// `ecs`: ECS services.
    Ecs,
    /// `lambda`: Lambda provisioned concurrency.
    Lambda,
    /// `dynamodb`: DynamoDB tables and global secondary indexes.
    DynamoDb,
    /// `elasticache`: ElastiCache clusters and replication groups.
    ElastiCache,
    /// `rds`: Aurora replicas.
    Rds,
    /// `neptune`: Neptune replicas.
    Neptune,
    /// `sagemaker`: SageMaker endpoint variants and inference components.
    SageMaker,
    /// `ec2`: Spot Fleet requests.
    Ec2,
    /// `appstream`: AppStream 2.0 fleets.
    AppStream,
    /// `cassandra`: Amazon Keyspaces tables.
    Cassandra,
    /// `comprehend`: Comprehend endpoints.
    Comprehend,
    /// `custom-resource`: your own resource behind an API Gateway endpoint.
    CustomResource,
    /// `elasticmapreduce`: EMR instance groups.
    Emr,
    /// `kafka`: Amazon MSK broker storage.
    Kafka,
    /// `workspaces`: WorkSpaces pools.
    WorkSpaces,
    /// A namespace newer than formwork: written as is, not checked.
    Other(String),
}

impl ServiceNamespace {
    /// The value as CloudFormation spells it.
    pub fn as_str(&self) -> &str {
        match self {
            ServiceNamespace::Ecs => "ecs",
            ServiceNamespace::Lambda => "lambda",
            ServiceNamespace::DynamoDb => "dynamodb",
            ServiceNamespace::ElastiCache => "elasticache",
            ServiceNamespace::Rds => "rds",
            ServiceNamespace::Neptune => "neptune",
            ServiceNamespace::SageMaker => "sagemaker",
            ServiceNamespace::Ec2 => "ec2",
            ServiceNamespace::AppStream => "appstream",
            ServiceNamespace::Cassandra => "cassandra",
            ServiceNamespace::Comprehend => "comprehend",
            ServiceNamespace::CustomResource => "custom-resource",
            ServiceNamespace::Emr => "elasticmapreduce",
            ServiceNamespace::Kafka => "kafka",
            ServiceNamespace::WorkSpaces => "workspaces",
            ServiceNamespace::Other(s) => s,
        }
    }

    fn l1(&self) -> scalable_target::ServiceNamespace {
        scalable_target::ServiceNamespace::from(self.as_str())
    }
}

/// The capacity of a resource that a target scales (`ScalableDimension`).
///
/// ```
/// use formwork::applicationautoscaling::{ScalableDimension, ServiceNamespace};
/// let d = ScalableDimension::EcsServiceDesiredCount;
/// assert_eq!(d.as_str(), "ecs:service:DesiredCount");
/// assert_eq!(d.namespace(), ServiceNamespace::Ecs);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ScalableDimension {
    /// `ecs:service:DesiredCount`: the task count of an ECS service.
    EcsServiceDesiredCount,
    /// `lambda:function:ProvisionedConcurrency`: the provisioned concurrency
    /// of a Lambda alias or version.
    LambdaFunctionProvisionedConcurrency,
    /// `dynamodb:table:ReadCapacityUnits`
    DynamoDbTableReadCapacityUnits,
    /// `dynamodb:table:WriteCapacityUnits`
    DynamoDbTableWriteCapacityUnits,
    /// `dynamodb:index:ReadCapacityUnits`
    DynamoDbIndexReadCapacityUnits,
    /// `dynamodb:index:WriteCapacityUnits`
    DynamoDbIndexWriteCapacityUnits,
    /// `elasticache:cache-cluster:Nodes`
    ElastiCacheCacheClusterNodes,
    /// `elasticache:replication-group:NodeGroups`
    ElastiCacheReplicationGroupNodeGroups,
    /// `elasticache:replication-group:Replicas`
    ElastiCacheReplicationGroupReplicas,
    /// `rds:cluster:ReadReplicaCount`
    RdsClusterReadReplicaCount,
    /// `neptune:cluster:ReadReplicaCount`
    NeptuneClusterReadReplicaCount,
    /// `sagemaker:variant:DesiredInstanceCount`
    SageMakerVariantDesiredInstanceCount,
    /// `sagemaker:variant:DesiredProvisionedConcurrency`
    SageMakerVariantDesiredProvisionedConcurrency,
    /// `sagemaker:inference-component:DesiredCopyCount`
    SageMakerInferenceComponentDesiredCopyCount,
    /// `ec2:spot-fleet-request:TargetCapacity`
    Ec2SpotFleetRequestTargetCapacity,
    /// `appstream:fleet:DesiredCapacity`
    AppStreamFleetDesiredCapacity,
    /// `cassandra:table:ReadCapacityUnits`
    CassandraTableReadCapacityUnits,
    /// `cassandra:table:WriteCapacityUnits`
    CassandraTableWriteCapacityUnits,
    /// `comprehend:document-classifier-endpoint:DesiredInferenceUnits`
    ComprehendDocumentClassifierEndpointDesiredInferenceUnits,
    /// `comprehend:entity-recognizer-endpoint:DesiredInferenceUnits`
    ComprehendEntityRecognizerEndpointDesiredInferenceUnits,
    /// `custom-resource:ResourceType:Property`
    CustomResourceProperty,
    /// `elasticmapreduce:instancegroup:InstanceCount`
    EmrInstanceGroupInstanceCount,
    /// `kafka:broker-storage:VolumeSize`
    KafkaBrokerStorageVolumeSize,
    /// `workspaces:workspacespool:DesiredUserSessions`
    WorkSpacesPoolDesiredUserSessions,
    /// A dimension newer than formwork (`<namespace>:<resource>:<property>`):
    /// written as is, not checked.
    Other(String),
}

impl ScalableDimension {
    /// The value as CloudFormation spells it.
    pub fn as_str(&self) -> &str {
        use ScalableDimension as D;
        match self {
            D::EcsServiceDesiredCount => "ecs:service:DesiredCount",
            D::LambdaFunctionProvisionedConcurrency => "lambda:function:ProvisionedConcurrency",
            D::DynamoDbTableReadCapacityUnits => "dynamodb:table:ReadCapacityUnits",
            D::DynamoDbTableWriteCapacityUnits => "dynamodb:table:WriteCapacityUnits",
            D::DynamoDbIndexReadCapacityUnits => "dynamodb:index:ReadCapacityUnits",
            D::DynamoDbIndexWriteCapacityUnits => "dynamodb:index:WriteCapacityUnits",
            D::ElastiCacheCacheClusterNodes => "elasticache:cache-cluster:Nodes",
            D::ElastiCacheReplicationGroupNodeGroups => "elasticache:replication-group:NodeGroups",
            D::ElastiCacheReplicationGroupReplicas => "elasticache:replication-group:Replicas",
            D::RdsClusterReadReplicaCount => "rds:cluster:ReadReplicaCount",
            D::NeptuneClusterReadReplicaCount => "neptune:cluster:ReadReplicaCount",
            D::SageMakerVariantDesiredInstanceCount => "sagemaker:variant:DesiredInstanceCount",
            D::SageMakerVariantDesiredProvisionedConcurrency => {
                "sagemaker:variant:DesiredProvisionedConcurrency"
            }
            D::SageMakerInferenceComponentDesiredCopyCount => {
                "sagemaker:inference-component:DesiredCopyCount"
            }
            D::Ec2SpotFleetRequestTargetCapacity => "ec2:spot-fleet-request:TargetCapacity",
            D::AppStreamFleetDesiredCapacity => "appstream:fleet:DesiredCapacity",
            D::CassandraTableReadCapacityUnits => "cassandra:table:ReadCapacityUnits",
            D::CassandraTableWriteCapacityUnits => "cassandra:table:WriteCapacityUnits",
            D::ComprehendDocumentClassifierEndpointDesiredInferenceUnits => {
                "comprehend:document-classifier-endpoint:DesiredInferenceUnits"
            }
            D::ComprehendEntityRecognizerEndpointDesiredInferenceUnits => {
                "comprehend:entity-recognizer-endpoint:DesiredInferenceUnits"
            }
            D::CustomResourceProperty => "custom-resource:ResourceType:Property",
            D::EmrInstanceGroupInstanceCount => "elasticmapreduce:instancegroup:InstanceCount",
            D::KafkaBrokerStorageVolumeSize => "kafka:broker-storage:VolumeSize",
            D::WorkSpacesPoolDesiredUserSessions => "workspaces:workspacespool:DesiredUserSessions",
            D::Other(s) => s,
        }
    }

    /// The service namespace the dimension belongs to (the part before the
    /// first `:`).
    pub fn namespace(&self) -> ServiceNamespace {
        let prefix = self.as_str().split(':').next().unwrap_or_default();
        [
            ServiceNamespace::Ecs,
            ServiceNamespace::Lambda,
            ServiceNamespace::DynamoDb,
            ServiceNamespace::ElastiCache,
            ServiceNamespace::Rds,
            ServiceNamespace::Neptune,
            ServiceNamespace::SageMaker,
            ServiceNamespace::Ec2,
            ServiceNamespace::AppStream,
            ServiceNamespace::Cassandra,
            ServiceNamespace::Comprehend,
            ServiceNamespace::CustomResource,
            ServiceNamespace::Emr,
            ServiceNamespace::Kafka,
            ServiceNamespace::WorkSpaces,
        ]
        .into_iter()
        .find(|n| n.as_str() == prefix)
        .unwrap_or_else(|| ServiceNamespace::Other(prefix.to_owned()))
    }

    /// The form of the resource id this dimension takes: a pattern whose
    /// `*` are non-empty names, its separator, and how to write it.
    fn resource_id_form(&self) -> Option<(&'static str, char, &'static str)> {
        use ScalableDimension as D;
        Some(match self {
            D::EcsServiceDesiredCount => {
                ("service/*/*", '/', "service/<cluster-name>/<service-name>")
            }
            D::LambdaFunctionProvisionedConcurrency => (
                "function:*:*",
                ':',
                "function:<function-name>:<alias-or-version>",
            ),
            D::DynamoDbTableReadCapacityUnits | D::DynamoDbTableWriteCapacityUnits => {
                ("table/*", '/', "table/<table-name>")
            }
            D::DynamoDbIndexReadCapacityUnits | D::DynamoDbIndexWriteCapacityUnits => (
                "table/*/index/*",
                '/',
                "table/<table-name>/index/<index-name>",
            ),
            D::ElastiCacheCacheClusterNodes => {
                ("cache-cluster/*", '/', "cache-cluster/<cluster-id>")
            }
            D::ElastiCacheReplicationGroupNodeGroups | D::ElastiCacheReplicationGroupReplicas => (
                "replication-group/*",
                '/',
                "replication-group/<replication-group-id>",
            ),
            D::RdsClusterReadReplicaCount | D::NeptuneClusterReadReplicaCount => {
                ("cluster:*", ':', "cluster:<db-cluster-id>")
            }
            D::SageMakerVariantDesiredInstanceCount
            | D::SageMakerVariantDesiredProvisionedConcurrency => (
                "endpoint/*/variant/*",
                '/',
                "endpoint/<endpoint-name>/variant/<variant-name>",
            ),
            D::SageMakerInferenceComponentDesiredCopyCount => (
                "inference-component/*",
                '/',
                "inference-component/<component-name>",
            ),
            D::Ec2SpotFleetRequestTargetCapacity => (
                "spot-fleet-request/*",
                '/',
                "spot-fleet-request/<request-id>",
            ),
            D::AppStreamFleetDesiredCapacity => ("fleet/*", '/', "fleet/<fleet-name>"),
            D::CassandraTableReadCapacityUnits | D::CassandraTableWriteCapacityUnits => (
                "keyspace/*/table/*",
                '/',
                "keyspace/<keyspace-name>/table/<table-name>",
            ),
            D::EmrInstanceGroupInstanceCount => (
                "instancegroup/*/*",
                '/',
                "instancegroup/<cluster-id>/<instance-group-id>",
            ),
            D::WorkSpacesPoolDesiredUserSessions => {
                ("workspacespool/*", '/', "workspacespool/<pool-id>")
            }
            _ => return None,
        })
    }

    fn l1(&self) -> scalable_target::ScalableDimension {
        scalable_target::ScalableDimension::from(self.as_str())
    }
}

/// What a [`ScalableTarget`] is made with: the resource and the capacity
/// range. The minimum and maximum are integers or references (parameters);
/// literals are checked (`FW3401`: not below zero, minimum at most the
/// maximum).
///
/// ```
/// use formwork::applicationautoscaling::{ScalableDimension, ScalableTargetProps, ServiceNamespace};
/// // A literal resource id…
/// let ecs = ScalableTargetProps::new(
///     ServiceNamespace::Ecs,
///     "service/weather-cluster/weather",
///     ScalableDimension::EcsServiceDesiredCount,
///     1,
///     4,
/// );
/// // …or one built from references by the helpers.
/// let lambda = ScalableTargetProps::lambda_provisioned_concurrency("chat", "live", 1, 10);
/// # let _ = (ecs, lambda);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ScalableTargetProps {
    namespace: ServiceNamespace,
    resource_id: Str,
    dimension: ScalableDimension,
    min_capacity: Int,
    max_capacity: Int,
}

/// Joins literal strings into a literal, or anything else with `Fn::concat`.
fn concat(parts: Vec<Value>) -> Str {
    if parts.iter().all(|p| p.as_str().is_some()) {
        Str::from(parts.iter().filter_map(Value::as_str).collect::<String>())
    } else {
        Str::from(Fn::concat(parts))
    }
}

impl ScalableTargetProps {
    /// Scales `dimension` of the resource `resource_id` in `namespace`
    /// between `min_capacity` and `max_capacity`.
    pub fn new(
        namespace: ServiceNamespace,
        resource_id: impl Into<Str>,
        dimension: ScalableDimension,
        min_capacity: impl Into<Int>,
        max_capacity: impl Into<Int>,
    ) -> Self {
        ScalableTargetProps {
            namespace,
            resource_id: resource_id.into(),
            dimension,
            min_capacity: min_capacity.into(),
            max_capacity: max_capacity.into(),
        }
    }

    /// The task count of an ECS service: resource id
    /// `service/<cluster-name>/<service-name>`, built with `Fn::Sub` when
    /// either name is a reference.
    ///
    /// ```
    /// use formwork::Fn;
    /// use formwork::applicationautoscaling::ScalableTargetProps;
    /// let props = ScalableTargetProps::ecs_service(Fn::ref_name("Cluster"), Fn::get_att_name("Service", "Name"), 1, 4);
    /// # let _ = props;
    /// ```
    pub fn ecs_service(
        cluster_name: impl Into<Str>,
        service_name: impl Into<Str>,
        min_capacity: impl Into<Int>,
        max_capacity: impl Into<Int>,
    ) -> Self {
        let id = concat(vec![
            Value::from("service/"),
            cluster_name.into().into_value(),
            Value::from("/"),
            service_name.into().into_value(),
        ]);
        ScalableTargetProps::new(
            ServiceNamespace::Ecs,
            id,
            ScalableDimension::EcsServiceDesiredCount,
            min_capacity,
            max_capacity,
        )
    }

    /// The provisioned concurrency of a Lambda alias or version: resource
    /// id `function:<function-name>:<qualifier>` (`$LATEST` cannot have
    /// provisioned concurrency).
    pub fn lambda_provisioned_concurrency(
        function_name: impl Into<Str>,
        qualifier: impl Into<Str>,
        min_capacity: impl Into<Int>,
        max_capacity: impl Into<Int>,
    ) -> Self {
        let id = concat(vec![
            Value::from("function:"),
            function_name.into().into_value(),
            Value::from(":"),
            qualifier.into().into_value(),
        ]);
        ScalableTargetProps::new(
            ServiceNamespace::Lambda,
            id,
            ScalableDimension::LambdaFunctionProvisionedConcurrency,
            min_capacity,
            max_capacity,
        )
    }
}

/// A scalable target: a resource's capacity that Application Auto Scaling
/// keeps between a minimum and a maximum, and moves with the policies added
/// by [`ScalableTarget::scale_on_metric`] and
/// [`ScalableTarget::scale_on_steps`].
///
/// No `RoleARN` is written: Application Auto Scaling uses (and creates on
/// first use) its service-linked role for the namespace, which is what AWS
/// recommends. A resource id built from references to the resource
/// (`ScalableTargetProps::ecs_service(cluster.ref_(), service.name(), ..)`)
/// also makes the target wait for the resource; with a literal id, add the
/// dependency yourself (`target.cfn().add_depends_on(..)`).
#[derive(Clone, Debug)]
pub struct ScalableTarget {
    cfn: CfnScalableTargetRef,
    scope: Scope,
    namespace: ServiceNamespace,
}

impl ScalableTarget {
    /// Adds a scalable target at `scope/id`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::applicationautoscaling::{ScalableTarget, ScalableTargetProps};
    /// let app = App::new();
    /// let stack = app.stack("Chat")?;
    /// let target = ScalableTarget::new(
    ///     &stack,
    ///     "Concurrency",
    ///     ScalableTargetProps::lambda_provisioned_concurrency("chat-completions", "live", 2, 20),
    /// )?;
    /// assert_eq!(target.cfn().logical_id(), "Concurrency");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: ScalableTargetProps) -> Result<ScalableTarget> {
        let node = scope.child(id)?;
        check_capacity(&node, &props.min_capacity, &props.max_capacity);
        check_dimension(&node, &props.namespace, &props.dimension);
        check_resource_id(&node, &props.resource_id, &props.dimension);
        let cfn = CfnScalableTarget::new()
            .service_namespace(props.namespace.l1())
            .resource_id(props.resource_id)
            .scalable_dimension(props.dimension.l1())
            .min_capacity(props.min_capacity)
            .max_capacity(props.max_capacity);
        let cfn = node.add_here(cfn)?;
        Ok(ScalableTarget {
            cfn,
            scope: node,
            namespace: props.namespace,
        })
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnScalableTargetRef {
        &self.cfn
    }

    /// The construct's scope (policies are added below it).
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The service namespace of the target.
    pub fn namespace(&self) -> &ServiceNamespace {
        &self.namespace
    }

    /// `Ref`: the scalable target id, what policies name as `ScalingTargetId`.
    pub fn scalable_target_id(&self) -> Expr {
        self.cfn.ref_()
    }

    /// Adds a target-tracking policy at `<target>/<id>`: Application Auto
    /// Scaling adds or removes capacity to keep the metric at the target
    /// value, and creates the CloudWatch alarms it needs itself.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::applicationautoscaling::{PredefinedMetric, ScalableTarget, ScalableTargetProps, TargetTrackingProps};
    /// let app = App::new();
    /// let stack = app.stack("Weather")?;
    /// let target = ScalableTarget::new(&stack, "Scaling", ScalableTargetProps::ecs_service("c", "s", 1, 4))?;
    /// let cpu = target.scale_on_metric(
    ///     "Cpu",
    ///     TargetTrackingProps::new(PredefinedMetric::EcsServiceAverageCpuUtilization, 70.0).scale_in_cooldown_secs(300),
    /// )?;
    /// assert_eq!(cpu.cfn().logical_id(), "ScalingCpu");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn scale_on_metric(&self, id: &str, props: TargetTrackingProps) -> Result<ScalingPolicy> {
        let node = self.scope.child(id)?;
        ScalingPolicy::target_tracking(node, self, props)
    }

    /// Adds a step-scaling policy at `<target>/<id>`. Step scaling acts when
    /// a CloudWatch alarm fires: create an `AWS::CloudWatch::Alarm` whose
    /// `AlarmActions` hold the returned policy's [`ScalingPolicy::arn`]
    /// (step bounds are relative to that alarm's threshold).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::applicationautoscaling::{AdjustmentType, ScalableTarget, ScalableTargetProps, StepScalingProps};
    /// let app = App::new();
    /// let stack = app.stack("Worker")?;
    /// let target = ScalableTarget::new(&stack, "Scaling", ScalableTargetProps::ecs_service("c", "s", 1, 10))?;
    /// let out = target.scale_on_steps(
    ///     "QueueDepthHigh",
    ///     StepScalingProps::new(AdjustmentType::ChangeInCapacity)
    ///         .step(Some(0.0), Some(100.0), 1)
    ///         .step(Some(100.0), None, 3)
    ///         .cooldown_secs(120),
    /// )?;
    /// # let _ = out.arn();
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn scale_on_steps(&self, id: &str, props: StepScalingProps) -> Result<ScalingPolicy> {
        let node = self.scope.child(id)?;
        ScalingPolicy::step_scaling(node, self, props)
    }
}

fn check_capacity(node: &Scope, min: &Int, max: &Int) {
    let min_v = min.clone().into_value().as_i64();
    let max_v = max.clone().into_value().as_i64();
    for (v, prop) in [(min_v, "MinCapacity"), (max_v, "MaxCapacity")] {
        if let Some(v) = v.filter(|v| *v < 0) {
            node.error(
                codes::CAPACITY,
                prop,
                format!("{prop} is {v}; allowed: 0 or more"),
            );
        }
    }
    if let (Some(lo), Some(hi)) = (min_v, max_v) {
        if lo > hi && lo >= 0 && hi >= 0 {
            node.report(
                Diagnostic::error(
                    codes::CAPACITY,
                    node.path(),
                    format!("the minimum capacity {lo} is above the maximum capacity {hi}"),
                )
                .property("MinCapacity")
                .fix(format!(
                    "use a minimum of at most {hi}, or a maximum of at least {lo}"
                )),
            );
        }
    }
}

fn check_dimension(node: &Scope, namespace: &ServiceNamespace, dimension: &ScalableDimension) {
    if matches!(namespace, ServiceNamespace::Other(_))
        || matches!(dimension, ScalableDimension::Other(_))
    {
        return;
    }
    let own = dimension.namespace();
    if own != *namespace {
        node.report(
            Diagnostic::error(
                codes::DIMENSION_NAMESPACE,
                node.path(),
                format!(
                    "the scalable dimension `{}` belongs to the `{}` namespace, not to `{}`",
                    dimension.as_str(),
                    own.as_str(),
                    namespace.as_str()
                ),
            )
            .property("ScalableDimension")
            .fix(format!(
                "use the service namespace `{}`, or a dimension of `{}`",
                own.as_str(),
                namespace.as_str()
            )),
        );
    }
}

/// The literal text a resource id starts with: all of it for a literal
/// (`true`), else the leading text of an `Fn::Sub`/`Fn::Join` (`false`).
fn leading_text(id: &Value) -> Option<(String, bool)> {
    if let Some(s) = id.as_str() {
        return Some((s.to_owned(), true));
    }
    match id.as_expr()?.intrinsic() {
        Intrinsic::Sub(parts, _) => match parts.first() {
            Some(SubPart::Text(t)) => Some((t.clone(), false)),
            _ => None,
        },
        Intrinsic::Join(delim, items) => {
            let mut text = String::new();
            for item in items.as_list()? {
                let s = item.as_str()?;
                text.push_str(s);
                text.push_str(delim);
            }
            Some((text, false))
        }
        _ => None,
    }
}

/// Whether a whole resource id matches a form such as `service/*/*`.
fn matches_form(id: &str, pattern: &str, sep: char) -> bool {
    let got: Vec<&str> = id.split(sep).collect();
    let want: Vec<&str> = pattern.split(sep).collect();
    got.len() == want.len()
        && got
            .iter()
            .zip(&want)
            .all(|(g, w)| if *w == "*" { !g.is_empty() } else { g == w })
}

fn check_resource_id(node: &Scope, id: &Str, dimension: &ScalableDimension) {
    let Some((pattern, sep, form)) = dimension.resource_id_form() else {
        return;
    };
    let Some((text, whole)) = leading_text(&id.clone().into_value()) else {
        return;
    };
    let prefix = pattern.split('*').next().unwrap_or_default();
    let ok = if whole {
        matches_form(&text, pattern, sep)
    } else {
        text.starts_with(prefix) || prefix.starts_with(text.as_str())
    };
    let message = if !ok {
        Some(format!(
            "the resource id `{text}{}` is not in the form `{form}` that `{}` takes",
            if whole { "" } else { "…" },
            dimension.as_str()
        ))
    } else if whole
        && *dimension == ScalableDimension::LambdaFunctionProvisionedConcurrency
        && text.ends_with(":$LATEST")
    {
        Some(format!(
            "the resource id `{text}` names `$LATEST`, which cannot have provisioned concurrency"
        ))
    } else {
        None
    };
    if let Some(m) = message {
        node.report(
            Diagnostic::error(codes::RESOURCE_ID, node.path(), m)
                .property("ResourceId")
                .fix(format!("write the resource id as {form}")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use formwork_core::App;
    use serde_json::json;

    fn errors(app: &App) -> Vec<Diagnostic> {
        app.synth().unwrap_err().diagnostics().unwrap().0.clone()
    }

    #[test]
    fn literal_ecs_target_uses_the_service_linked_role() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let t = ScalableTarget::new(
            &s,
            "Scaling",
            ScalableTargetProps::new(
                ServiceNamespace::Ecs,
                "service/weather-cluster/weather",
                ScalableDimension::EcsServiceDesiredCount,
                1,
                4,
            ),
        )
        .unwrap();
        assert_eq!(t.namespace(), &ServiceNamespace::Ecs);
        let tpl = formwork_test_support::template(
            &formwork_test_support::synth_and_lint(&app, "aas-target"),
            "S",
        );
        assert_eq!(
            tpl["Resources"]["Scaling"],
            json!({
                "Type": "AWS::ApplicationAutoScaling::ScalableTarget",
                "Properties": {
                    "MaxCapacity": 4,
                    "MinCapacity": 1,
                    "ResourceId": "service/weather-cluster/weather",
                    "ScalableDimension": "ecs:service:DesiredCount",
                    "ServiceNamespace": "ecs"
                }
            })
        );
    }

    #[test]
    fn helpers_build_resource_ids_from_references() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        s.add_parameter("Cluster", formwork_core::Parameter::string())
            .unwrap();
        s.add_parameter("Service", formwork_core::Parameter::string())
            .unwrap();
        s.add_parameter("Fn", formwork_core::Parameter::string())
            .unwrap();
        ScalableTarget::new(
            &s,
            "Tasks",
            ScalableTargetProps::ecs_service(
                Fn::ref_name("Cluster"),
                Fn::ref_name("Service"),
                1,
                4,
            ),
        )
        .unwrap();
        ScalableTarget::new(
            &s,
            "Concurrency",
            ScalableTargetProps::lambda_provisioned_concurrency(Fn::ref_name("Fn"), "live", 0, 5),
        )
        .unwrap();
        ScalableTarget::new(
            &s,
            "Literal",
            ScalableTargetProps::lambda_provisioned_concurrency("chat", "live", 0, 5),
        )
        .unwrap();
        let tpl = formwork_test_support::template(
            &formwork_test_support::synth_and_lint(&app, "aas-refs"),
            "S",
        );
        let r = &tpl["Resources"];
        assert_eq!(
            r["Tasks"]["Properties"]["ResourceId"],
            json!({"Fn::Sub": "service/${Cluster}/${Service}"})
        );
        assert_eq!(
            r["Concurrency"]["Properties"]["ResourceId"],
            json!({"Fn::Sub": "function:${Fn}:live"})
        );
        assert_eq!(
            r["Concurrency"]["Properties"]["ScalableDimension"],
            "lambda:function:ProvisionedConcurrency"
        );
        assert_eq!(
            r["Literal"]["Properties"]["ResourceId"],
            "function:chat:live"
        );
    }

    #[test]
    fn capacities_are_checked() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        ScalableTarget::new(
            &s,
            "Reversed",
            ScalableTargetProps::ecs_service("c", "s", 5, 2),
        )
        .unwrap();
        ScalableTarget::new(
            &s,
            "Negative",
            ScalableTargetProps::ecs_service("c", "s", -1, 2),
        )
        .unwrap();
        ScalableTarget::new(
            &s,
            "Param",
            ScalableTargetProps::ecs_service("c", "s", 1, Fn::ref_name("Max")),
        )
        .unwrap();
        s.add_parameter("Max", formwork_core::Parameter::number())
            .unwrap();
        let errs = errors(&app);
        let cap: Vec<_> = errs.iter().filter(|d| d.code == codes::CAPACITY).collect();
        assert_eq!(cap.len(), 2, "{errs:?}");
        assert_eq!(cap[0].path, "S/Reversed");
        assert_eq!(cap[0].property.as_deref(), Some("MinCapacity"));
        assert_eq!(
            cap[0].message,
            "the minimum capacity 5 is above the maximum capacity 2"
        );
        assert_eq!(cap[1].path, "S/Negative");
        assert_eq!(cap[1].message, "MinCapacity is -1; allowed: 0 or more");
    }

    #[test]
    fn dimension_must_belong_to_the_namespace() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        ScalableTarget::new(
            &s,
            "Mixed",
            ScalableTargetProps::new(
                ServiceNamespace::Ecs,
                "function:f:live",
                ScalableDimension::LambdaFunctionProvisionedConcurrency,
                0,
                1,
            ),
        )
        .unwrap();
        let errs = errors(&app);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].code, codes::DIMENSION_NAMESPACE);
        assert_eq!(errs[0].property.as_deref(), Some("ScalableDimension"));
        assert_eq!(
            errs[0].message,
            "the scalable dimension `lambda:function:ProvisionedConcurrency` belongs to the `lambda` namespace, not to `ecs`"
        );
    }

    #[test]
    fn resource_ids_are_checked_against_the_dimension() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        ScalableTarget::new(
            &s,
            "NoCluster",
            ScalableTargetProps::ecs_service("", "svc", 1, 2),
        )
        .unwrap();
        ScalableTarget::new(
            &s,
            "Latest",
            ScalableTargetProps::lambda_provisioned_concurrency("f", "$LATEST", 1, 2),
        )
        .unwrap();
        ScalableTarget::new(
            &s,
            "Arn",
            ScalableTargetProps::new(
                ServiceNamespace::DynamoDb,
                "arn:aws:dynamodb:ap-northeast-1:123456789012:table/t",
                ScalableDimension::DynamoDbTableReadCapacityUnits,
                5,
                50,
            ),
        )
        .unwrap();
        ScalableTarget::new(
            &s,
            "SubPrefix",
            ScalableTargetProps::new(
                ServiceNamespace::Ecs,
                Fn::sub("svc/${AWS::StackName}/x"),
                ScalableDimension::EcsServiceDesiredCount,
                1,
                2,
            ),
        )
        .unwrap();
        // Correct forms pass: an index, and a Sub with the right prefix.
        ScalableTarget::new(
            &s,
            "Index",
            ScalableTargetProps::new(
                ServiceNamespace::DynamoDb,
                "table/t/index/i",
                ScalableDimension::DynamoDbIndexReadCapacityUnits,
                5,
                50,
            ),
        )
        .unwrap();
        ScalableTarget::new(
            &s,
            "SubOk",
            ScalableTargetProps::new(
                ServiceNamespace::Ecs,
                Fn::sub("service/${AWS::StackName}/x"),
                ScalableDimension::EcsServiceDesiredCount,
                1,
                2,
            ),
        )
        .unwrap();
        let errs = errors(&app);
        let ids: Vec<_> = errs
            .iter()
            .filter(|d| d.code == codes::RESOURCE_ID)
            .collect();
        assert_eq!(ids.len(), 4, "{errs:?}");
        assert_eq!(ids[0].path, "S/NoCluster");
        assert_eq!(ids[0].property.as_deref(), Some("ResourceId"));
        assert_eq!(
            ids[0].message,
            "the resource id `service//svc` is not in the form `service/<cluster-name>/<service-name>` that `ecs:service:DesiredCount` takes"
        );
        assert_eq!(
            ids[0].fix.as_deref(),
            Some("write the resource id as service/<cluster-name>/<service-name>")
        );
        assert_eq!(
            ids[1].message,
            "the resource id `function:f:$LATEST` names `$LATEST`, which cannot have provisioned concurrency"
        );
        assert_eq!(ids[2].path, "S/Arn");
        assert_eq!(ids[3].path, "S/SubPrefix");
        assert!(
            ids[3].message.starts_with("the resource id `svc/…`"),
            "{}",
            ids[3].message
        );
    }

    #[test]
    fn forms_match_segment_by_segment() {
        assert!(matches_form("service/c/s", "service/*/*", '/'));
        assert!(!matches_form("service/c", "service/*/*", '/'));
        assert!(!matches_form("service/c/s/x", "service/*/*", '/'));
        assert!(matches_form("cluster:db-1", "cluster:*", ':'));
        assert!(!matches_form("cluster/db-1", "cluster:*", ':'));
        assert_eq!(
            ScalableDimension::Other("x:y:Z".into()).namespace(),
            ServiceNamespace::Other("x".into())
        );
        assert_eq!(
            ScalableDimension::EmrInstanceGroupInstanceCount.namespace(),
            ServiceNamespace::Emr
        );
    }
}
