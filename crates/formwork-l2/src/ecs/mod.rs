//! ECS on Fargate: clusters, task definitions with their containers, logs,
//! secrets and volumes, services in a VPC behind load balancers, and task
//! count autoscaling.
//!
//! - [`Cluster`]: a cluster in a VPC, with Container Insights.
//! - [`FargateTaskDefinition`]: cpu and memory checked against the pairs
//!   Fargate accepts, containers ([`FargateTaskDefinition::add_container`])
//!   from ECR or a registry, with environment, secrets from Secrets Manager
//!   or Parameter Store ([`Secret`]), `awslogs` logging into a log group
//!   made for them ([`LogDriver`]), health checks and mount points; EFS
//!   volumes ([`FargateTaskDefinition::add_efs_volume`]). Its **execution
//!   role** gets exactly what starting the containers needs (pulling from
//!   the ECR repositories they use, writing to their log groups, reading
//!   their secrets); its **task role** is what the application's code
//!   runs with, and what grants go to (the task definition is an
//!   [`iam::Grantee`](crate::iam::Grantee)).
//! - [`FargateService`]: tasks in private subnets (no public IP) in a
//!   security group of their own, rolling deployments with the circuit
//!   breaker and rollback on, attached to load balancer target groups
//!   ([`FargateService::attach_to_target_group`]: the `LoadBalancers`
//!   entry, the wait for the listener, the ingress rule from the load
//!   balancer), waiting for EFS mount targets and allowed to reach them,
//!   and scaled with [`FargateService::auto_scale_task_count`].
//!
//! Reference architecture C in short:
//!
//! ```
//! use formwork::App;
//! use formwork::ec2::{Vpc, VpcProps};
//! use formwork::ecr::{Repository, RepositoryProps};
//! use formwork::ecs::{
//!     Cluster, ClusterProps, ContainerImage, ContainerProps, FargateService, FargateServiceProps,
//!     FargateTaskDefinition, FargateTaskDefinitionProps, ImageRef, LogDriver, PortMapping, Secret,
//! };
//! use formwork::logs::LogGroupProps;
//! use formwork::secretsmanager::{Secret as ApiKeys, SecretProps};
//! let app = App::new();
//! let stack = app.stack("Weather")?;
//! let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
//! let repo = Repository::new(&stack, "Repository", RepositoryProps::new().repository_name("weather-comment-generator"))?;
//! let keys = ApiKeys::new(&stack, "ApiKeys", SecretProps::new().name("weather-comment-generator/api-keys"))?;
//! let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new(&vpc))?;
//! let task = FargateTaskDefinition::new(
//!     &stack,
//!     "TaskDefinition",
//!     FargateTaskDefinitionProps::new().family("weather-comment-generator").cpu(1024).memory_mib(2048),
//! )?;
//! task.add_container(
//!     "app",
//!     ContainerProps::new(ContainerImage::from_ecr(&repo, ImageRef::tag("latest")))
//!         .port_mapping(PortMapping::tcp(8501))
//!         .port_mapping(PortMapping::tcp(8000))
//!         .environment("ENV", "production")
//!         .secret("WXTECH_API_KEY", Secret::from_secrets_manager_field(&keys, "WXTECH_API_KEY"))
//!         .logging(LogDriver::aws_logs_with(
//!             "ecs",
//!             LogGroupProps::new().log_group_name("/ecs/weather-comment-generator"),
//!         )),
//! )?;
//! let service = FargateService::new(&stack, "Service", FargateServiceProps::new(&cluster, &task))?;
//! let scaling = service.auto_scale_task_count(1, 4)?;
//! scaling.scale_on_cpu_utilization("Cpu", 70)?;
//! # Ok::<(), formwork::Error>(())
//! ```

mod cluster;
mod container;
mod deploy_grant;
mod image;
mod logging;
#[cfg(feature = "cloudwatch")]
mod metrics;
mod names;
mod scaling;
mod secret;
mod service;
mod task_definition;
#[cfg(test)]
mod testutil;

pub use cluster::{Cluster, ClusterProps, ContainerInsights};
pub use container::{
    Container, ContainerProps, HealthCheck, MountPoint, PortMapping, PortProtocol,
};
pub use image::{ContainerImage, ImageRef};
pub use logging::{LogDriver, LogMode};
pub use scaling::ScalableTaskCount;
pub use secret::Secret;
pub use service::{
    CircuitBreaker, FargatePlatformVersion, FargateService, FargateServiceProps, PropagateTags,
};
pub use task_definition::{
    CpuArchitecture, EfsVolumeOptions, FargateTaskDefinition, FargateTaskDefinitionProps,
};

/// The diagnostic codes of the ECS constructs (`FW32xx`).
pub mod codes {
    /// A task cpu that Fargate does not offer (allowed: 256, 512, 1024,
    /// 2048, 4096, 8192, 16384 units).
    pub const FARGATE_CPU: &str = "FW3201";
    /// A task memory that Fargate does not offer with the task's cpu; the
    /// message lists the memory values allowed for that cpu.
    pub const FARGATE_MEMORY: &str = "FW3202";
    /// Ephemeral storage outside 21 to 200 GiB.
    pub const EPHEMERAL_STORAGE: &str = "FW3203";
    /// A task definition family ECS refuses (1 to 255 letters, digits,
    /// hyphens and underscores).
    pub const FAMILY: &str = "FW3204";
    /// A container name ECS refuses (1 to 255 letters, digits, hyphens and
    /// underscores), or one used twice in a task definition.
    pub const CONTAINER_NAME: &str = "FW3205";
    /// A port mapping on port 0, or a port (and protocol) mapped twice in a
    /// task definition (its containers share one network namespace).
    pub const PORT_MAPPING: &str = "FW3206";
    /// An environment variable or secret name that is empty, contains `=`,
    /// or is given twice in a container (environment and secrets share names).
    pub const ENVIRONMENT: &str = "FW3207";
    /// A container health check with an empty command, an interval outside
    /// 5 to 300 s, a timeout outside 2 to 120 s, retries outside 1 to 10, or
    /// a start period outside 0 to 300 s.
    pub const HEALTH_CHECK: &str = "FW3208";
    /// A mount point on a volume the task definition does not have (yet:
    /// add volumes before the containers that mount them), a container path
    /// that is not absolute, or a path mounted twice in a container.
    pub const MOUNT_POINT: &str = "FW3209";
    /// A volume name ECS refuses (1 to 255 letters, digits, hyphens and
    /// underscores), or one used twice in a task definition.
    pub const VOLUME: &str = "FW3210";
    /// EFS volume settings ECS refuses together: IAM authorization, an
    /// access point or a transit encryption port without transit
    /// encryption; a root directory other than `/` with an access point; a
    /// root directory that is not an absolute path.
    pub const EFS_VOLUME: &str = "FW3211";
    /// Container cpu or memory that does not fit the task: the containers'
    /// cpu adding up to more than the task's, a container memory limit (or
    /// reservations adding up to) more than the task's memory, a memory
    /// reservation above the container's own limit.
    pub const CONTAINER_RESOURCES: &str = "FW3212";
    /// A service of a task definition with no container, or with no
    /// essential container.
    pub const NO_ESSENTIAL_CONTAINER: &str = "FW3213";
    /// An `awslogs` stream prefix that is empty or has `:` or `*` (CloudWatch
    /// refuses them in log stream names).
    pub const LOG_STREAM_PREFIX: &str = "FW3214";
    /// A container image name that is empty or has whitespace.
    pub const IMAGE: &str = "FW3215";
    /// A log driver Fargate does not run (allowed: `awslogs`, `splunk`,
    /// `awsfirelens`).
    pub const LOG_DRIVER: &str = "FW3216";
    /// Deployment percentages ECS refuses: a minimum healthy percent above
    /// 100, or not below the maximum percent.
    pub const DEPLOYMENT: &str = "FW3220";
    /// Warning: a service in public subnets without a public IP (its tasks
    /// cannot reach ECR or CloudWatch without a NAT gateway or endpoints).
    pub const PUBLIC_SUBNETS_WITHOUT_PUBLIC_IP: &str = "FW3221";
    /// A target group a Fargate service cannot register with (target type
    /// other than `ip`), or a container name or port the task definition
    /// does not map.
    pub const TARGET_GROUP: &str = "FW3222";
    /// A cluster name ECS refuses (1 to 255 letters, digits, hyphens and
    /// underscores).
    pub const CLUSTER_NAME: &str = "FW3223";
    /// A service name ECS refuses (1 to 255 letters, digits, hyphens and
    /// underscores).
    pub const SERVICE_NAME: &str = "FW3224";
}
