//! FargateService: tasks of a task definition kept running in a VPC,
//! behind load balancers, scaled on their load.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Result, Scope};
use formwork_l1::ecs::{CfnService, CfnServiceRef, service};

use super::cluster::Cluster;
use super::scaling::ScalableTaskCount;
use super::task_definition::FargateTaskDefinition;
use super::{codes, names};
use crate::applicationautoscaling::{ScalableTarget, ScalableTargetProps};
use crate::ec2::{
    Connectable, Connections, SecurityGroup, SecurityGroupProps, SubnetSelection, SubnetType,
};
use crate::elasticloadbalancingv2::{ApplicationTargetGroup, TargetType};
use crate::iam::{Grantee, Identity, PolicyStatement};

/// What ECS does when a deployment's new tasks keep failing to start or
/// to become healthy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CircuitBreaker {
    /// Stop the deployment and roll back to the last one that worked (the
    /// default): a broken image never replaces a working one.
    #[default]
    RollbackOnFailure,
    /// Mark the deployment failed, without rolling back.
    DetectOnly,
    /// Keep trying (ECS's own default).
    Off,
}

/// The Fargate platform version tasks run on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FargatePlatformVersion {
    /// `LATEST`: the newest version (what ECS picks when none is given).
    Latest,
    /// A fixed version, such as `1.4.0`.
    Version(String),
}

/// Which tags ECS copies onto the tasks it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PropagateTags {
    /// The service's tags.
    Service,
    /// The task definition's tags.
    TaskDefinition,
}

/// What a [`FargateService`] is made with: its cluster and task
/// definition.
///
/// Defaults: a name CloudFormation generates; 1 task; rolling deployments
/// keeping 100 % of the tasks healthy and starting up to 200 %, with the
/// circuit breaker and rollback on ([`CircuitBreaker::RollbackOnFailure`]);
/// the **private** subnets of the cluster's VPC, **no public IP**; a new
/// security group (`<id>/SecurityGroup`) that lets nothing in and all
/// traffic out; the latest platform version; no health check grace period
/// (60 s once the service is behind a load balancer); ECS Exec off; no tag
/// propagation.
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{SubnetType, Vpc, VpcProps};
/// use formwork::ecs::{CircuitBreaker, Cluster, ClusterProps, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, PropagateTags};
/// let app = App::new();
/// let stack = app.stack("Weather")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new(&vpc))?;
/// let task = FargateTaskDefinition::new(&stack, "TaskDefinition", FargateTaskDefinitionProps::new())?;
/// let props = FargateServiceProps::new(&cluster, &task)
///     .service_name("weather-service")
///     .desired_count(1)
///     .min_healthy_percent(100)
///     .max_healthy_percent(200)
///     .circuit_breaker(CircuitBreaker::RollbackOnFailure)
///     .vpc_subnets(SubnetType::Private)
///     .health_check_grace_period_seconds(120)
///     .propagate_tags(PropagateTags::Service);
/// # let _ = props;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct FargateServiceProps {
    cluster: Cluster,
    task_definition: FargateTaskDefinition,
    service_name: Option<Str>,
    desired_count: u32,
    min_healthy_percent: u32,
    max_healthy_percent: u32,
    circuit_breaker: CircuitBreaker,
    subnets: SubnetSelection,
    assign_public_ip: bool,
    security_groups: Vec<SecurityGroup>,
    platform_version: Option<FargatePlatformVersion>,
    health_check_grace_period: Option<u32>,
    enable_execute_command: bool,
    propagate_tags: Option<PropagateTags>,
    managed_tags: bool,
}

impl FargateServiceProps {
    /// A service running `task_definition` in `cluster`, with the defaults above.
    pub fn new(cluster: &Cluster, task_definition: &FargateTaskDefinition) -> Self {
        FargateServiceProps {
            cluster: cluster.clone(),
            task_definition: task_definition.clone(),
            service_name: None,
            desired_count: 1,
            min_healthy_percent: 100,
            max_healthy_percent: 200,
            circuit_breaker: CircuitBreaker::default(),
            subnets: SubnetSelection::Type(SubnetType::Private),
            assign_public_ip: false,
            security_groups: Vec::new(),
            platform_version: None,
            health_check_grace_period: None,
            enable_execute_command: false,
            propagate_tags: None,
            managed_tags: false,
        }
    }

    /// A fixed name (1 to 255 letters, digits, hyphens and underscores;
    /// checked, `FW3224`). Changing it replaces the service.
    pub fn service_name(mut self, name: impl Into<Str>) -> Self {
        self.service_name = Some(name.into());
        self
    }

    /// How many tasks run (default 1).
    pub fn desired_count(mut self, count: u32) -> Self {
        self.desired_count = count;
        self
    }

    /// The share of the desired tasks that stays running during a
    /// deployment (default 100; at most 100 and below the maximum,
    /// checked, `FW3220`).
    pub fn min_healthy_percent(mut self, percent: u32) -> Self {
        self.min_healthy_percent = percent;
        self
    }

    /// The share of the desired tasks that may run during a deployment
    /// (default 200).
    pub fn max_healthy_percent(mut self, percent: u32) -> Self {
        self.max_healthy_percent = percent;
        self
    }

    /// The deployment circuit breaker (default rollback on failure).
    pub fn circuit_breaker(mut self, breaker: CircuitBreaker) -> Self {
        self.circuit_breaker = breaker;
        self
    }

    /// The subnets tasks run in (default: the private ones).
    pub fn vpc_subnets(mut self, selection: impl Into<SubnetSelection>) -> Self {
        self.subnets = selection.into();
        self
    }

    /// Gives tasks a public IP (default off; needed in public subnets
    /// without NAT to reach ECR).
    pub fn assign_public_ip(mut self, assign: bool) -> Self {
        self.assign_public_ip = assign;
        self
    }

    /// Runs the tasks in this security group instead of a new one (call
    /// again to add more).
    pub fn security_group(mut self, group: &SecurityGroup) -> Self {
        self.security_groups.push(group.clone());
        self
    }

    /// The Fargate platform version (default: the latest).
    pub fn platform_version(mut self, version: FargatePlatformVersion) -> Self {
        self.platform_version = Some(version);
        self
    }

    /// Seconds after a task starts during which failed load balancer health
    /// checks do not stop it (only for services behind a load balancer;
    /// 60 when unset and a target group is attached).
    pub fn health_check_grace_period_seconds(mut self, seconds: u32) -> Self {
        self.health_check_grace_period = Some(seconds);
        self
    }

    /// ECS Exec (`aws ecs execute-command`): the task role gets the four
    /// `ssmmessages:` channel actions, which take no resource (`*`), and,
    /// when the cluster logs sessions to a log group
    /// ([`ClusterProps::execute_command_logging`](super::ClusterProps::execute_command_logging)),
    /// write access to it.
    pub fn enable_execute_command(mut self, enable: bool) -> Self {
        self.enable_execute_command = enable;
        self
    }

    /// Copies the service's or the task definition's tags to the tasks.
    pub fn propagate_tags(mut self, from: PropagateTags) -> Self {
        self.propagate_tags = Some(from);
        self
    }

    /// ECS-managed tags on the tasks (`aws:ecs:clusterName`,
    /// `aws:ecs:serviceName`), for cost allocation (`EnableECSManagedTags`;
    /// off by default).
    pub fn enable_ecs_managed_tags(mut self, on: bool) -> Self {
        self.managed_tags = on;
        self
    }
}

#[derive(Debug, Default)]
struct State {
    load_balancers: Vec<service::LoadBalancer>,
    grace_set: bool,
}

#[derive(Debug)]
struct Inner {
    node: Scope,
    cfn: CfnServiceRef,
    cluster: Cluster,
    task_definition: FargateTaskDefinition,
    connections: Connections,
    state: RefCell<State>,
}

/// A Fargate service (`AWS::ECS::Service`, `LaunchType: FARGATE`,
/// `awsvpc` networking).
///
/// It is [`Connectable`] through its security groups:
/// `redis.connections().allow_default_port_from(&service, "..")`. It is a
/// [`Grantee`] through its task definition's task role. A task that mounts
/// EFS makes the service depend on the file system's mount targets and
/// lets it reach them on NFS (2049) only.
#[derive(Clone, Debug)]
pub struct FargateService {
    inner: Rc<Inner>,
}

const EXEC_ACTIONS: [&str; 4] = [
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
];

impl FargateService {
    /// Adds a service at `scope/id`, with its security group at
    /// `id/SecurityGroup` unless groups are given.
    ///
    /// Checked: the task definition has an essential container (`FW3213`),
    /// the deployment percentages (`FW3220`), the name (`FW3224`), the
    /// subnets (`FW3009` when none match; warning `FW3221` for public
    /// subnets without a public IP).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::ecs::{Cluster, ClusterProps, ContainerImage, ContainerProps, FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new(&vpc))?;
    /// let task = FargateTaskDefinition::new(&stack, "TaskDefinition", FargateTaskDefinitionProps::new())?;
    /// task.add_container("web", ContainerProps::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27")))?;
    /// let service = FargateService::new(&stack, "Service", FargateServiceProps::new(&cluster, &task))?;
    /// assert_eq!(service.cfn().logical_id(), "Service");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: FargateServiceProps) -> Result<FargateService> {
        let node = scope.child(id)?;
        let task = props.task_definition.clone();
        if !task.has_essential_container() {
            let msg = if task.containers().is_empty() {
                "the task definition has no container"
            } else {
                "the task definition has no essential container; a task stops when its essential containers stop, and needs one"
            };
            node.report(
                Diagnostic::error(codes::NO_ESSENTIAL_CONTAINER, node.path(), msg)
                    .property("TaskDefinition")
                    .fix("add the containers before the service, at least one essential (the default)"),
            );
        }
        let (min, max) = (props.min_healthy_percent, props.max_healthy_percent);
        let problem = if min > 100 {
            Some(format!(
                "a minimum healthy percent of {min}; allowed: 0 to 100"
            ))
        } else if min >= max {
            Some(format!(
                "a minimum healthy percent of {min} with a maximum percent of {max}: deployments could not start a new task; the minimum must be below the maximum"
            ))
        } else {
            None
        };
        if let Some(msg) = problem {
            node.report(
                Diagnostic::error(codes::DEPLOYMENT, node.path(), msg)
                    .property("DeploymentConfiguration")
                    .fix("ECS's defaults are 100 and 200"),
            );
        }

        let vpc = props.cluster.vpc().clone();
        let subnets = vpc.select_subnets(props.subnets.clone());
        let subnet_prop = "NetworkConfiguration.AwsvpcConfiguration.Subnets";
        if subnets.check_not_empty(&node, subnet_prop)
            && subnets.all_of_type(SubnetType::Public)
            && !props.assign_public_ip
        {
            node.report(
                Diagnostic::warning(
                    codes::PUBLIC_SUBNETS_WITHOUT_PUBLIC_IP,
                    node.path(),
                    "the tasks run in public subnets without a public IP: they cannot pull images or send logs unless the VPC has endpoints for ECR, S3 and CloudWatch Logs",
                )
                .property("NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp")
                .fix("run them in private subnets (the default), or assign_public_ip(true)"),
            );
        }
        let groups = if props.security_groups.is_empty() {
            vec![SecurityGroup::new(
                &node,
                "SecurityGroup",
                SecurityGroupProps::new(&vpc),
            )?]
        } else {
            props.security_groups.clone()
        };
        let connections = Connections::new(groups);

        let mut cfn = CfnService::new()
            .cluster(props.cluster.cluster_name())
            .task_definition(task.task_definition_arn())
            .launch_type(service::LaunchType::Fargate)
            .desired_count(props.desired_count)
            .network_configuration(
                service::NetworkConfiguration::new().awsvpc_configuration(
                    service::AwsVpcConfiguration::new()
                        .assign_public_ip(if props.assign_public_ip {
                            service::AssignPublicIp::Enabled
                        } else {
                            service::AssignPublicIp::Disabled
                        })
                        .security_groups(connections.security_group_ids())
                        .subnets(subnets.ids()),
                ),
            );
        let mut deployment = service::DeploymentConfiguration::new()
            .minimum_healthy_percent(min)
            .maximum_percent(max);
        match props.circuit_breaker {
            CircuitBreaker::RollbackOnFailure => {
                deployment = deployment.deployment_circuit_breaker(
                    service::DeploymentCircuitBreaker::new()
                        .enable(true)
                        .rollback(true),
                );
            }
            CircuitBreaker::DetectOnly => {
                deployment = deployment.deployment_circuit_breaker(
                    service::DeploymentCircuitBreaker::new()
                        .enable(true)
                        .rollback(false),
                );
            }
            CircuitBreaker::Off => {}
        }
        cfn = cfn.deployment_configuration(deployment);
        if let Some(name) = props.service_name {
            names::check(
                &node,
                codes::SERVICE_NAME,
                "ServiceName",
                "service name",
                &name,
            );
            cfn = cfn.service_name(name);
        }
        if let Some(v) = &props.platform_version {
            cfn = cfn.platform_version(match v {
                FargatePlatformVersion::Latest => "LATEST",
                FargatePlatformVersion::Version(s) => s.as_str(),
            });
        }
        if let Some(g) = props.health_check_grace_period {
            cfn = cfn.health_check_grace_period_seconds(g);
        }
        if props.enable_execute_command {
            cfn = cfn.enable_execute_command(true);
            let role = task.task_role();
            role.add_to_policy(PolicyStatement::allow().actions(EXEC_ACTIONS).resource("*"));
            if let Some(g) = props.cluster.execute_command_log_group() {
                g.grant_write(&role)?;
                // The agent looks the group up before it writes; this
                // action has no resource-level permissions.
                role.add_to_policy(
                    PolicyStatement::allow()
                        .actions(["logs:DescribeLogGroups"])
                        .resource("*"),
                );
            }
        }
        if props.managed_tags {
            cfn = cfn.enable_ecs_managed_tags(true);
        }
        if let Some(p) = props.propagate_tags {
            cfn = cfn.propagate_tags(match p {
                PropagateTags::Service => service::PropagateTags::Service,
                PropagateTags::TaskDefinition => service::PropagateTags::TaskDefinition,
            });
        }
        let cfn = node.add_here(cfn)?;
        // Tasks pull their image as soon as the service exists: wait for
        // the subnets' way out (the NAT or internet gateway route).
        subnets.add_internet_dependency(&cfn);
        task.link_service(&cfn, connections.clone(), &node.path())?;
        Ok(FargateService {
            inner: Rc::new(Inner {
                node,
                cfn,
                cluster: props.cluster,
                task_definition: task,
                connections,
                state: RefCell::new(State {
                    load_balancers: Vec::new(),
                    grace_set: props.health_check_grace_period.is_some(),
                }),
            }),
        })
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnServiceRef {
        &self.inner.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.inner.node
    }

    /// `Ref`: the service ARN.
    pub fn service_arn(&self) -> Expr {
        self.inner.cfn.ref_()
    }

    /// `Fn::GetAtt Name`: the service name.
    pub fn service_name(&self) -> Expr {
        self.inner.cfn.name()
    }

    /// The cluster it runs in.
    pub fn cluster(&self) -> &Cluster {
        &self.inner.cluster
    }

    /// The task definition it runs.
    pub fn task_definition(&self) -> &FargateTaskDefinition {
        &self.inner.task_definition
    }

    /// Its security groups.
    pub fn security_groups(&self) -> &[SecurityGroup] {
        self.inner.connections.security_groups()
    }

    /// Registers the tasks' `container_name`:`container_port` with a
    /// target group of an Application Load Balancer: the `LoadBalancers`
    /// entry, `DependsOn` the listeners and rules that forward to the group
    /// (ECS refuses a group no load balancer uses yet), and an ingress rule
    /// on the service's groups from each such load balancer's group, on
    /// that port only. The health check grace period becomes 60 s unless
    /// one was set.
    ///
    /// Checked (`FW3222`): the group's targets are `ip` (what `awsvpc`
    /// tasks register as); the container exists and maps the port (TCP).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::ecs::{Cluster, ClusterProps, ContainerImage, ContainerProps, FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, PortMapping};
    /// use formwork::elasticloadbalancingv2::{ApplicationLoadBalancer, ApplicationLoadBalancerProps, ApplicationTargetGroup, ListenerProps, TargetGroupProps};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new(&vpc))?;
    /// let task = FargateTaskDefinition::new(&stack, "TaskDefinition", FargateTaskDefinitionProps::new())?;
    /// task.add_container("web", ContainerProps::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27")).port_mapping(PortMapping::tcp(80)))?;
    /// let service = FargateService::new(&stack, "Service", FargateServiceProps::new(&cluster, &task))?;
    /// let alb = ApplicationLoadBalancer::new(&stack, "Alb", ApplicationLoadBalancerProps::new(&vpc))?;
    /// let targets = ApplicationTargetGroup::new(&stack, "Targets", TargetGroupProps::new(&vpc).port(80))?;
    /// alb.add_listener("Http", ListenerProps::http(80, &targets))?;
    /// service.attach_to_target_group(&targets, "web", 80)?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn attach_to_target_group(
        &self,
        target_group: &ApplicationTargetGroup,
        container_name: &str,
        container_port: u16,
    ) -> Result<()> {
        let node = &self.inner.node;
        let mut ok = true;
        if target_group.target_type() != TargetType::Ip {
            node.report(
                Diagnostic::error(
                    codes::TARGET_GROUP,
                    node.path(),
                    format!(
                        "the target group {} has `{}` targets; Fargate tasks register as `ip` targets",
                        target_group.scope().path(),
                        target_group.target_type().as_str()
                    ),
                )
                .property("LoadBalancers.TargetGroupArn")
                .fix("make the target group with TargetGroupProps::new(&vpc), whose targets are `ip`"),
            );
            ok = false;
        }
        if let Err(msg) = self
            .inner
            .task_definition
            .maps(container_name, container_port)
        {
            node.report(
                Diagnostic::error(codes::TARGET_GROUP, node.path(), msg)
                    .property("LoadBalancers.ContainerName")
                    .fix("add the container and its port mapping to the task definition first"),
            );
            ok = false;
        }
        if !ok {
            return Ok(());
        }
        let (list, set_grace) = {
            let mut st = self.inner.state.borrow_mut();
            st.load_balancers.push(
                service::LoadBalancer::new()
                    .target_group_arn(target_group.target_group_arn())
                    .container_name(container_name)
                    .container_port(container_port),
            );
            let set_grace = !st.grace_set;
            st.grace_set = true;
            (st.load_balancers.clone(), set_grace)
        };
        self.inner.cfn.update(|c| {
            let c = c.load_balancers(list);
            if set_grace {
                c.health_check_grace_period_seconds(60)
            } else {
                c
            }
        });
        target_group.register_service(&self.inner.cfn, self, container_port)
    }

    /// Scales the number of tasks between `min` and `max` with Application
    /// Auto Scaling (`<id>/TaskCount`, resource id
    /// `service/<cluster name>/<service name>` from references); add
    /// policies to the returned [`ScalableTaskCount`].
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::ecs::{Cluster, ClusterProps, ContainerImage, ContainerProps, FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps};
    /// let app = App::new();
    /// let stack = app.stack("Weather")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new(&vpc))?;
    /// let task = FargateTaskDefinition::new(&stack, "TaskDefinition", FargateTaskDefinitionProps::new())?;
    /// task.add_container("app", ContainerProps::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27")))?;
    /// let service = FargateService::new(&stack, "Service", FargateServiceProps::new(&cluster, &task))?;
    /// let scaling = service.auto_scale_task_count(1, 4)?;
    /// scaling.scale_on_cpu_utilization("Cpu", 70)?;
    /// scaling.scale_on_memory_utilization("Memory", 80)?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn auto_scale_task_count(&self, min: u32, max: u32) -> Result<ScalableTaskCount> {
        let target = ScalableTarget::new(
            &self.inner.node,
            "TaskCount",
            ScalableTargetProps::ecs_service(
                self.inner.cluster.cluster_name(),
                self.service_name(),
                min,
                max,
            ),
        )?;
        Ok(ScalableTaskCount::new(target))
    }
}

impl Connectable for FargateService {
    fn connections(&self) -> Connections {
        self.inner.connections.clone()
    }
}

impl Grantee for FargateService {
    fn grant_identity(&self) -> Option<Identity> {
        Some(Identity::Role(self.inner.task_definition.task_role()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec2::{Port, SubnetGroup, Vpc, VpcProps};
    use crate::ecs::testutil::{failed, ingress_rules, nginx, one, stack_with_vpc, statements};
    use crate::ecs::{
        ClusterProps, ContainerProps, EfsVolumeOptions, FargateTaskDefinitionProps, MountPoint,
        PortMapping,
    };
    use crate::efs::{FileSystem, FileSystemProps};
    use crate::elasticloadbalancingv2::{
        ApplicationLoadBalancer, ApplicationLoadBalancerProps, ListenerProps, TargetGroupProps,
    };
    use crate::s3::{Bucket, BucketProps};
    use formwork_core::Stack;
    use serde_json::json;

    fn web_task(s: &Stack) -> FargateTaskDefinition {
        let t = FargateTaskDefinition::new(s, "TaskDefinition", FargateTaskDefinitionProps::new())
            .unwrap();
        t.add_container(
            "web",
            ContainerProps::new(nginx())
                .port_mapping(PortMapping::tcp(8501))
                .port_mapping(PortMapping::tcp(8000)),
        )
        .unwrap();
        t
    }

    fn cluster(s: &Stack, vpc: &Vpc) -> Cluster {
        Cluster::new(s, "Cluster", ClusterProps::new(vpc)).unwrap()
    }

    #[test]
    fn defaults_private_subnets_no_public_ip_circuit_breaker_on() {
        let (app, s, vpc) = stack_with_vpc();
        let c = cluster(&s, &vpc);
        let t = web_task(&s);
        let svc = FargateService::new(&s, "Service", FargateServiceProps::new(&c, &t)).unwrap();
        assert_eq!(svc.security_groups().len(), 1);
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-service-defaults");
        let tpl = formwork_test_support::template(&asm, "S");
        assert_eq!(
            tpl["Resources"]["Service"],
            json!({
                "Type": "AWS::ECS::Service",
                "DependsOn": ["VpcPrivateSubnet1DefaultRoute", "VpcPrivateSubnet2DefaultRoute"],
                "Properties": {
                    "Cluster": {"Ref": "Cluster"},
                    "DeploymentConfiguration": {
                        "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true},
                        "MaximumPercent": 200,
                        "MinimumHealthyPercent": 100
                    },
                    "DesiredCount": 1,
                    "LaunchType": "FARGATE",
                    "NetworkConfiguration": {"AwsvpcConfiguration": {
                        "AssignPublicIp": "DISABLED",
                        "SecurityGroups": [{"Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]}],
                        "Subnets": [{"Ref": "VpcPrivateSubnet1Subnet"}, {"Ref": "VpcPrivateSubnet2Subnet"}]
                    }},
                    "TaskDefinition": {"Ref": "TaskDefinition"}
                }
            })
        );
        assert_eq!(
            tpl["Resources"]["ServiceSecurityGroup"]["Properties"],
            json!({
                "GroupDescription": "S/Service/SecurityGroup",
                "Tags": [{"Key": "Name", "Value": "S/Service/SecurityGroup"}],
                "VpcId": {"Ref": "Vpc"}
            })
        );
        assert!(ingress_rules(&tpl).is_empty(), "nothing is open by default");
    }

    #[test]
    fn exec_logging_and_managed_tags() {
        let (app, s, vpc) = stack_with_vpc();
        let logs =
            crate::logs::LogGroup::new(&s, "ExecLogs", crate::logs::LogGroupProps::new()).unwrap();
        let c = crate::ecs::Cluster::new(
            &s,
            "Cluster",
            crate::ecs::ClusterProps::new(&vpc).execute_command_logging(&logs),
        )
        .unwrap();
        assert!(c.execute_command_log_group().is_some());
        let t = web_task(&s);
        FargateService::new(
            &s,
            "Service",
            FargateServiceProps::new(&c, &t)
                .enable_execute_command(true)
                .enable_ecs_managed_tags(true),
        )
        .unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-exec-logging");
        let tpl = formwork_test_support::template(&asm, "S");
        assert_eq!(
            tpl["Resources"]["Service"]["Properties"]["EnableECSManagedTags"],
            true
        );
        assert_eq!(
            tpl["Resources"]["Cluster"]["Properties"]["Configuration"],
            json!({"ExecuteCommandConfiguration": {"LogConfiguration": {
                "CloudWatchLogGroupName": {"Ref": "ExecLogs"}}, "Logging": "OVERRIDE"}})
        );
        let st = statements(&tpl, "TaskDefinitionTaskRole");
        assert_eq!(
            st[1]["Action"],
            json!(["logs:CreateLogStream", "logs:PutLogEvents"])
        );
        assert_eq!(st.as_array().map(Vec::len), Some(2));
        assert!(
            st[0]["Action"]
                .as_array()
                .is_some_and(|a| a.contains(&json!("logs:DescribeLogGroups")))
        );
    }

    #[test]
    fn every_setting_is_written() {
        let (app, s, vpc) = stack_with_vpc();
        let c = cluster(&s, &vpc);
        let t = web_task(&s);
        let sg = SecurityGroup::new(&s, "Tasks", SecurityGroupProps::new(&vpc)).unwrap();
        FargateService::new(
            &s,
            "Service",
            FargateServiceProps::new(&c, &t)
                .service_name("weather-service")
                .desired_count(2)
                .min_healthy_percent(50)
                .max_healthy_percent(150)
                .circuit_breaker(CircuitBreaker::DetectOnly)
                .vpc_subnets(SubnetType::Public)
                .assign_public_ip(true)
                .security_group(&sg)
                .platform_version(FargatePlatformVersion::Version("1.4.0".into()))
                .health_check_grace_period_seconds(120)
                .enable_execute_command(true)
                .propagate_tags(PropagateTags::Service),
        )
        .unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-service-props");
        let tpl = formwork_test_support::template(&asm, "S");
        let p = &tpl["Resources"]["Service"]["Properties"];
        assert_eq!(p["ServiceName"], "weather-service");
        assert_eq!(p["DesiredCount"], 2);
        assert_eq!(
            p["DeploymentConfiguration"],
            json!({"DeploymentCircuitBreaker": {"Enable": true, "Rollback": false}, "MaximumPercent": 150, "MinimumHealthyPercent": 50})
        );
        assert_eq!(
            p["NetworkConfiguration"]["AwsvpcConfiguration"],
            json!({
                "AssignPublicIp": "ENABLED",
                "SecurityGroups": [{"Fn::GetAtt": ["Tasks", "GroupId"]}],
                "Subnets": [{"Ref": "VpcPublicSubnet1Subnet"}, {"Ref": "VpcPublicSubnet2Subnet"}]
            })
        );
        assert_eq!(p["PlatformVersion"], "1.4.0");
        assert_eq!(p["HealthCheckGracePeriodSeconds"], 120);
        assert_eq!(p["EnableExecuteCommand"], true);
        assert_eq!(p["PropagateTags"], "SERVICE");
        assert!(tpl["Resources"]["ServiceSecurityGroup"].is_null());
        assert_eq!(
            statements(&tpl, "TaskDefinitionTaskRole"),
            json!([{"Effect": "Allow", "Action": [
                "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"
            ], "Resource": "*"}])
        );
        let (app, s, vpc) = stack_with_vpc();
        let c = cluster(&s, &vpc);
        let t = web_task(&s);
        FargateService::new(
            &s,
            "Service",
            FargateServiceProps::new(&c, &t)
                .circuit_breaker(CircuitBreaker::Off)
                .platform_version(FargatePlatformVersion::Latest)
                .propagate_tags(PropagateTags::TaskDefinition),
        )
        .unwrap();
        let tpl = app.synth().unwrap().template_json("S").unwrap();
        let p = &tpl["Resources"]["Service"]["Properties"];
        assert_eq!(
            p["DeploymentConfiguration"],
            json!({"MaximumPercent": 200, "MinimumHealthyPercent": 100})
        );
        assert_eq!(p["PlatformVersion"], "LATEST");
        assert_eq!(p["PropagateTags"], "TASK_DEFINITION");
    }

    #[test]
    fn a_task_without_an_essential_container_is_an_error() {
        for with_container in [false, true] {
            let (app, s, vpc) = stack_with_vpc();
            let c = cluster(&s, &vpc);
            let t =
                FargateTaskDefinition::new(&s, "TaskDefinition", FargateTaskDefinitionProps::new())
                    .unwrap();
            if with_container {
                t.add_container("a", ContainerProps::new(nginx()).essential(false))
                    .unwrap();
            }
            FargateService::new(&s, "Service", FargateServiceProps::new(&c, &t)).unwrap();
            let d = failed(&app);
            let e = one(&d, codes::NO_ESSENTIAL_CONTAINER);
            assert_eq!(
                (e.path.as_str(), e.property.as_deref()),
                ("S/Service", Some("TaskDefinition"))
            );
            assert_eq!(
                e.message,
                if with_container {
                    "the task definition has no essential container; a task stops when its essential containers stop, and needs one"
                } else {
                    "the task definition has no container"
                }
            );
        }
    }

    #[test]
    fn deployment_percentages_are_checked() {
        for (min, max, msg) in [
            (
                101,
                200,
                "a minimum healthy percent of 101; allowed: 0 to 100",
            ),
            (
                100,
                100,
                "a minimum healthy percent of 100 with a maximum percent of 100: deployments could not start a new task; the minimum must be below the maximum",
            ),
        ] {
            let (app, s, vpc) = stack_with_vpc();
            let c = cluster(&s, &vpc);
            let t = web_task(&s);
            FargateService::new(
                &s,
                "Service",
                FargateServiceProps::new(&c, &t)
                    .min_healthy_percent(min)
                    .max_healthy_percent(max),
            )
            .unwrap();
            let d = failed(&app);
            let e = one(&d, codes::DEPLOYMENT);
            assert_eq!(
                (e.path.as_str(), e.property.as_deref()),
                ("S/Service", Some("DeploymentConfiguration"))
            );
            assert_eq!(e.message, msg);
        }
    }

    #[test]
    fn subnets_and_names_are_checked() {
        let (app, s, vpc) = stack_with_vpc();
        let c = cluster(&s, &vpc);
        let t = web_task(&s);
        FargateService::new(
            &s,
            "Public",
            FargateServiceProps::new(&c, &t).vpc_subnets(SubnetType::Public),
        )
        .unwrap();
        FargateService::new(
            &s,
            "Isolated",
            FargateServiceProps::new(&c, &t).vpc_subnets(SubnetType::Isolated),
        )
        .unwrap();
        FargateService::new(
            &s,
            "Named",
            FargateServiceProps::new(&c, &t).service_name("weather/service"),
        )
        .unwrap();
        let d = failed(&app);
        let e = one(&d, crate::ec2::codes::NO_SUBNETS);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            (
                "S/Isolated",
                Some("NetworkConfiguration.AwsvpcConfiguration.Subnets")
            )
        );
        let e = one(&d, codes::SERVICE_NAME);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("S/Named", Some("ServiceName"))
        );
        assert_eq!(
            e.message,
            "service name `weather/service` contains `/`; allowed: 1 to 255 letters, digits, hyphens and underscores"
        );
        let w = one(&d, codes::PUBLIC_SUBNETS_WITHOUT_PUBLIC_IP);
        assert!(!w.is_error());
        assert_eq!(
            (w.path.as_str(), w.property.as_deref()),
            (
                "S/Public",
                Some("NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp")
            )
        );
    }

    /// A service behind an HTTPS load balancer on 8501, plus 8000 from the
    /// load balancer: the rules of reference architecture C.
    #[test]
    fn a_service_behind_a_load_balancer_opens_only_the_container_port_to_it() {
        let (app, s, vpc) = stack_with_vpc();
        let c = cluster(&s, &vpc);
        let t = web_task(&s);
        let svc = FargateService::new(&s, "Service", FargateServiceProps::new(&c, &t)).unwrap();
        let alb = ApplicationLoadBalancer::new(&s, "Alb", ApplicationLoadBalancerProps::new(&vpc))
            .unwrap();
        let tg = ApplicationTargetGroup::new(&s, "Targets", TargetGroupProps::new(&vpc).port(8501))
            .unwrap();
        // The service is attached before the listener exists: it still waits for it.
        svc.attach_to_target_group(&tg, "web", 8501).unwrap();
        alb.add_listener("Http", ListenerProps::http(80, &tg))
            .unwrap();
        svc.connections()
            .allow_from(&alb, Port::tcp(8000), "API from the load balancer")
            .unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-service-alb");
        let tpl = formwork_test_support::template(&asm, "S");
        let r = &tpl["Resources"]["Service"];
        assert_eq!(
            r["DependsOn"],
            json!([
                "VpcPrivateSubnet1DefaultRoute",
                "VpcPrivateSubnet2DefaultRoute",
                "AlbHttp"
            ])
        );
        assert_eq!(
            r["Properties"]["LoadBalancers"],
            json!([{"ContainerName": "web", "ContainerPort": 8501, "TargetGroupArn": {"Ref": "Targets"}}])
        );
        assert_eq!(r["Properties"]["HealthCheckGracePeriodSeconds"], 60);
        let rules: Vec<String> = ingress_rules(&tpl).into_iter().collect();
        assert_eq!(
            rules,
            [
                "AlbSecurityGroup <- 0.0.0.0/0 tcp 80-80",
                "ServiceSecurityGroup <- AlbSecurityGroup tcp 8000-8000",
                "ServiceSecurityGroup <- AlbSecurityGroup tcp 8501-8501",
            ]
        );
    }

    #[test]
    fn a_grace_period_given_is_kept_when_attaching() {
        let (app, s, vpc) = stack_with_vpc();
        let c = cluster(&s, &vpc);
        let t = web_task(&s);
        let svc = FargateService::new(
            &s,
            "Service",
            FargateServiceProps::new(&c, &t).health_check_grace_period_seconds(300),
        )
        .unwrap();
        let alb = ApplicationLoadBalancer::new(&s, "Alb", ApplicationLoadBalancerProps::new(&vpc))
            .unwrap();
        let tg = ApplicationTargetGroup::new(&s, "Targets", TargetGroupProps::new(&vpc).port(8501))
            .unwrap();
        alb.add_listener("Http", ListenerProps::http(80, &tg))
            .unwrap();
        svc.attach_to_target_group(&tg, "web", 8501).unwrap();
        let tpl = app.synth().unwrap().template_json("S").unwrap();
        assert_eq!(
            tpl["Resources"]["Service"]["Properties"]["HealthCheckGracePeriodSeconds"],
            300
        );
    }

    #[test]
    fn target_groups_a_fargate_service_cannot_use_are_errors() {
        let (app, s, vpc) = stack_with_vpc();
        let c = cluster(&s, &vpc);
        let t = web_task(&s);
        let svc = FargateService::new(&s, "Service", FargateServiceProps::new(&c, &t)).unwrap();
        let instances = ApplicationTargetGroup::new(
            &s,
            "Instances",
            TargetGroupProps::new(&vpc)
                .port(8501)
                .target_type(TargetType::Instance),
        )
        .unwrap();
        let ip =
            ApplicationTargetGroup::new(&s, "Ip", TargetGroupProps::new(&vpc).port(8501)).unwrap();
        svc.attach_to_target_group(&instances, "web", 8501).unwrap();
        svc.attach_to_target_group(&ip, "api", 8501).unwrap();
        svc.attach_to_target_group(&ip, "web", 9000).unwrap();
        let d = failed(&app);
        let found: Vec<(&str, &str)> = d
            .with_code(codes::TARGET_GROUP)
            .map(|e| (e.property.as_deref().unwrap_or(""), e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "LoadBalancers.TargetGroupArn",
                    "the target group S/Instances has `instance` targets; Fargate tasks register as `ip` targets"
                ),
                (
                    "LoadBalancers.ContainerName",
                    "the task definition has no container `api`; its containers: `web`"
                ),
                (
                    "LoadBalancers.ContainerName",
                    "the container `web` does not map TCP port 9000; its ports: 8501, 8000"
                ),
            ]
        );
        assert!(
            d.with_code(codes::TARGET_GROUP)
                .all(|e| e.path == "S/Service")
        );
    }

    #[test]
    fn efs_volumes_make_the_service_wait_for_mount_targets_and_open_nfs_to_it_only() {
        for volume_first in [true, false] {
            let (app, s, vpc) = stack_with_vpc();
            let c = cluster(&s, &vpc);
            let fs = FileSystem::new(&s, "Cache", FileSystemProps::new(&vpc)).unwrap();
            let t =
                FargateTaskDefinition::new(&s, "TaskDefinition", FargateTaskDefinitionProps::new())
                    .unwrap();
            let mount = |t: &FargateTaskDefinition| {
                t.add_efs_volume("cache-storage", &fs, EfsVolumeOptions::new())
                    .unwrap();
            };
            if volume_first {
                mount(&t);
            }
            t.add_container("app", ContainerProps::new(nginx()))
                .unwrap();
            FargateService::new(&s, "Service", FargateServiceProps::new(&c, &t)).unwrap();
            if !volume_first {
                mount(&t);
            }
            let asm = formwork_test_support::synth_and_lint(&app, "ecs-service-efs");
            let tpl = formwork_test_support::template(&asm, "S");
            let deps = tpl["Resources"]["Service"]["DependsOn"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert!(
                deps.contains(&json!("CacheMountTarget1"))
                    && deps.contains(&json!("CacheMountTarget2")),
                "{deps:?}"
            );
            let rules: Vec<String> = ingress_rules(&tpl).into_iter().collect();
            assert_eq!(
                rules,
                ["CacheSecurityGroup <- ServiceSecurityGroup tcp 2049-2049"]
            );
        }
        // Mount points on the volume are fine when the volume comes first.
        let (app, s, vpc) = stack_with_vpc();
        let fs = FileSystem::new(&s, "Cache", FileSystemProps::new(&vpc)).unwrap();
        let t = FargateTaskDefinition::new(&s, "TaskDefinition", FargateTaskDefinitionProps::new())
            .unwrap();
        t.add_efs_volume("cache-storage", &fs, EfsVolumeOptions::new())
            .unwrap();
        t.add_container(
            "app",
            ContainerProps::new(nginx())
                .mount_point(MountPoint::new("cache-storage", "/app/cache")),
        )
        .unwrap();
        app.synth().unwrap();
    }

    #[test]
    fn grants_to_the_service_go_to_its_task_role() {
        let (app, s, vpc) = stack_with_vpc();
        let c = cluster(&s, &vpc);
        let t = web_task(&s);
        let svc = FargateService::new(&s, "Service", FargateServiceProps::new(&c, &t)).unwrap();
        let bucket = Bucket::new(&s, "Data", BucketProps::new()).unwrap();
        bucket.grant_read(&svc).unwrap();
        assert_eq!(svc.cluster().cfn().logical_id(), "Cluster");
        let tpl = app.synth().unwrap().template_json("S").unwrap();
        assert_eq!(
            statements(&tpl, "TaskDefinitionTaskRole"),
            json!([
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": "${Data.Arn}/*"}},
                {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::GetAtt": ["Data", "Arn"]}}
            ])
        );
    }

    #[test]
    fn services_in_other_subnet_groups() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        let vpc = Vpc::new(
            &s,
            "Vpc",
            VpcProps::new().subnet_groups([
                SubnetGroup::public("Public", 24),
                SubnetGroup::private_with_nat("App", 24),
                SubnetGroup::private_with_nat("Data", 24),
            ]),
        )
        .unwrap();
        let c = cluster(&s, &vpc);
        let t = web_task(&s);
        FargateService::new(
            &s,
            "Service",
            FargateServiceProps::new(&c, &t).vpc_subnets(SubnetSelection::group("App")),
        )
        .unwrap();
        let tpl = app.synth().unwrap().template_json("S").unwrap();
        assert_eq!(
            tpl["Resources"]["Service"]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]
                ["Subnets"],
            json!([{"Ref": "VpcAppSubnet1Subnet"}, {"Ref": "VpcAppSubnet2Subnet"}])
        );
    }
}
