//! Reference architecture C, **weather-service**: a weather-comment generator
//! (Streamlit frontend on 8501 and FastAPI backend on 8000, in one
//! container) on ECS Fargate behind an HTTPS Application Load Balancer, with
//! an EFS cache, API keys in Secrets Manager and CPU/memory autoscaling.
//!
//! Two stacks, deployed in this order:
//!
//! - `WeatherRepository`: the ECR repository `weather-comment-generator`.
//!   It is apart so that the first image can be pushed before the service
//!   exists: a service whose image is missing never becomes stable, and
//!   its deployment circuit breaker would fail the stack.
//! - `WeatherService`: the network, the load balancer, the secret, the
//!   file system, the cluster, the task definition, the service and its
//!   scaling. Its certificate is a stack parameter, `CertificateArn` (an
//!   ACM certificate of the same region).
//!
//! ```text
//! cargo run -p weather-service                      # writes formwork.out/
//! aws cloudformation deploy --stack-name WeatherRepository \
//!     --template-file formwork.out/WeatherRepository.template.json
//! # CI: build and push the first image (see below), then:
//! aws cloudformation deploy --stack-name WeatherService \
//!     --template-file formwork.out/WeatherService.template.json \
//!     --capabilities CAPABILITY_IAM --parameter-overrides CertificateArn=arn:aws:acm:...
//! aws secretsmanager put-secret-value --secret-id weather-comment-generator/api-keys \
//!     --secret-string '{"WXTECH_API_KEY":"…","OPENAI_API_KEY":"…","GEMINI_API_KEY":"…","ANTHROPIC_API_KEY":"…"}'
//! ```
//!
//! **Deploys happen from CI**, not from this program: build the image and
//! push it as `latest`, then roll the service onto it.
//!
//! ```text
//! aws ecr get-login-password | docker login --username AWS --password-stdin <account>.dkr.ecr.ap-northeast-1.amazonaws.com
//! docker build --platform linux/amd64 -t <RepositoryUri>:latest . && docker push <RepositoryUri>:latest
//! aws ecs update-service --cluster weather-comment-generator \
//!     --service weather-comment-generator --force-new-deployment
//! ```
//!
//! (The cluster and the service have fixed names for that command; the
//! reference left them open. The stacks output them too.)
//!
//! **Cost.** The team's target is about **$67 a month**. Three charges that
//! run every hour, used or not, make nearly all of it: the **NAT gateway**
//! that lets the private tasks reach ECR, Secrets Manager and the weather
//! and LLM APIs (one for both zones, the VPC default: about 0.062 USD an hour
//! in ap-northeast-1, some $45 a month, plus 0.062 USD per GB processed),
//! the **Application Load Balancer** (about 0.0243 USD an hour, some $18 a
//! month, plus LCUs), and the **Fargate task** (1 vCPU and 2 GB, billed per
//! vCPU-hour and GB-hour while it runs; autoscaling adds tasks only under
//! load). The rest is small: EFS (files unread for 30 days move to
//! Infrequent Access), the secret ($0.40), logs (kept 30 days) and images
//! (untagged ones expire after 14 days). Prices change: check the region's
//! price list; Fargate Spot, a Compute Savings Plan or ARM64 images lower
//! the task's share.
//!
//! Values the reference leaves open, as chosen here: log retention 30
//! days; untagged images expire after 14 days; the stacks' region is
//! `ap-northeast-1` unless `FORMWORK_REGION` says otherwise.

use formwork::certificatemanager::Certificate;
use formwork::ec2::{Connectable, Port, SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
use formwork::ecr::{LifecycleRule, Repository, RepositoryProps};
use formwork::ecs::{
    Cluster, ClusterProps, ContainerImage, ContainerProps, EfsVolumeOptions, FargateService,
    FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, ImageRef, LogDriver,
    MountPoint, PortMapping, Secret,
};
use formwork::efs::{FileSystem, FileSystemProps, LifecycleAge, PerformanceMode, ThroughputMode};
use formwork::elasticloadbalancingv2::{
    ApplicationLoadBalancer, ApplicationLoadBalancerProps, ApplicationProtocol,
    ApplicationTargetGroup, HealthCheck, ListenerProps, TargetGroupProps, TargetType,
};
use formwork::logs::{LogGroupProps, Retention};
use formwork::prelude::*;
use formwork::secretsmanager::{Secret as ApiKeys, SecretProps};

/// The name of the image repository, the task family, the cluster and the service.
pub const NAME: &str = "weather-comment-generator";

/// Builds the app: the `WeatherRepository` and `WeatherService` stacks.
///
/// ```
/// let app = weather_service::app(&formwork::Context::new())?;
/// let names: Vec<String> = app.synth()?.stacks.iter().map(|s| s.name.clone()).collect();
/// assert_eq!(names, ["WeatherRepository", "WeatherService"]);
/// # Ok::<(), formwork::Error>(())
/// ```
pub fn app(ctx: &Context) -> Result<App> {
    let app = App::with_context(ctx.clone());
    let region =
        Environment::agnostic().region(ctx.env("FORMWORK_REGION").unwrap_or("ap-northeast-1"));

    // ECR repository `weather-comment-generator`, in a stack of its own.
    let images = app.stack_in("WeatherRepository", region.clone())?;
    images.set_description("weather-service (reference C): the image repository");
    let repository = Repository::new(
        &images,
        "Repository",
        RepositoryProps::new()
            .repository_name(NAME)
            .lifecycle_rule(LifecycleRule::expire_untagged_after_days(14)),
    )?;
    if let Some(r) = repository.cfn() {
        r.suppress(
            "FW4080",
            "the team's build pushes `latest` on every release (reference C), so the tag must move",
        );
    }
    images.add_output(
        "RepositoryUri",
        Output::new(repository.repository_uri()).description("docker push <this>:latest"),
    )?;

    let stack = app.stack_in("WeatherService", region)?;
    stack.set_description(
        "weather-service (reference C): Streamlit and FastAPI on ECS Fargate behind HTTPS",
    );

    // Network: public subnets (load balancer) and private subnets (tasks,
    // file system) over two availability zones.
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().zone_count(2))?;

    // Security groups: the load balancer accepts 443 (and 80, redirected)
    // from anywhere; the tasks accept 8501 and 8000 only from the load
    // balancer; the file system accepts NFS only from the tasks.
    let lb_group = SecurityGroup::new(
        &stack,
        "LoadBalancerSecurityGroup",
        SecurityGroupProps::new(&vpc)
            .description("weather-service load balancer")
            .allow_all_outbound(false),
    )?;
    let task_group = SecurityGroup::new(
        &stack,
        "ServiceSecurityGroup",
        SecurityGroupProps::new(&vpc).description("weather-service tasks"),
    )?;
    let efs_group = SecurityGroup::new(
        &stack,
        "FileSystemSecurityGroup",
        SecurityGroupProps::new(&vpc)
            .description("weather-service cache file system")
            .allow_all_outbound(false),
    )?;
    lb_group
        .connections()
        .allow_from_any_ipv4(Port::tcp(443), "HTTPS from anywhere")?;
    lb_group
        .connections()
        .allow_from_any_ipv4(Port::tcp(80), "HTTP from anywhere, redirected to HTTPS")?;
    task_group.connections().allow_from(
        &lb_group,
        Port::tcp(8501),
        "Streamlit from the load balancer",
    )?;
    task_group.connections().allow_from(
        &lb_group,
        Port::tcp(8000),
        "FastAPI from the load balancer",
    )?;
    efs_group
        .connections()
        .allow_from(&task_group, Port::tcp(2049), "NFS from the tasks")?;

    // Application Load Balancer: HTTPS on 443 with the certificate given as
    // a parameter, forwarding to port 8501 (HTTP, ip targets, `/` every
    // 30 s); port 80 redirects to 443.
    let certificate = Certificate::from_parameter(&stack, "CertificateArn")?;
    let load_balancer = ApplicationLoadBalancer::new(
        &stack,
        "LoadBalancer",
        ApplicationLoadBalancerProps::new(&vpc).security_group(&lb_group),
    )?;
    let target_group = ApplicationTargetGroup::new(
        &stack,
        "TargetGroup",
        TargetGroupProps::new(&vpc)
            .port(8501)
            .protocol(ApplicationProtocol::Http)
            .target_type(TargetType::Ip)
            .health_check(HealthCheck::new().path("/").interval_seconds(30)),
    )?;
    load_balancer.add_listener(
        "HttpsListener",
        ListenerProps::https(443, &certificate, &target_group),
    )?;
    load_balancer.add_redirect(80, 443)?;

    // Secret `weather-comment-generator/api-keys`: one JSON secret, its
    // value put after deploy (never in the template).
    let api_keys = ApiKeys::new(
        &stack,
        "ApiKeys",
        SecretProps::new()
            .name(format!("{NAME}/api-keys"))
            .description("Weather and LLM API keys of the weather-comment generator")
            .json_keys([
                "WXTECH_API_KEY",
                "OPENAI_API_KEY",
                "GEMINI_API_KEY",
                "ANTHROPIC_API_KEY",
            ]),
    )?;

    // EFS: general purpose, bursting, Infrequent Access after 30 days,
    // Name=weather-comment-cache, a mount target in each private subnet.
    let cache = FileSystem::new(
        &stack,
        "CacheFileSystem",
        FileSystemProps::new(&vpc)
            .security_group(&efs_group)
            .performance_mode(PerformanceMode::GeneralPurpose)
            .throughput_mode(ThroughputMode::Bursting)
            .transition_to_ia(LifecycleAge::After30Days)
            .name("weather-comment-cache"),
    )?;

    // Task definition `weather-comment-generator`: Fargate, awsvpc, 1024
    // cpu units, 2048 MiB.
    let task = FargateTaskDefinition::new(
        &stack,
        "TaskDefinition",
        FargateTaskDefinitionProps::new()
            .family(NAME)
            .cpu(1024)
            .memory_mib(2048),
    )?;
    task.add_efs_volume(
        "cache-storage",
        &cache,
        EfsVolumeOptions::new().transit_encryption(true),
    )?;
    // Reference C runs `latest`, pushed by the team's build; a redeploy
    // (`aws ecs update-service --force-new-deployment`) picks it up.
    task.cfn().suppress(
        "FW4080",
        "reference C deploys by pushing `latest` and forcing a new deployment; the image digest is not known to the stack",
    );
    task.add_container(
        "app",
        ContainerProps::new(ContainerImage::from_ecr(
            &repository,
            ImageRef::tag("latest"),
        ))
        .port_mapping(PortMapping::tcp(8501))
        .port_mapping(PortMapping::tcp(8000))
        .environment("ENV", "production")
        .environment("MAX_PARALLEL_WORKERS", "4")
        .secret(
            "WXTECH_API_KEY",
            Secret::from_secrets_manager_field(&api_keys, "WXTECH_API_KEY"),
        )
        .secret(
            "OPENAI_API_KEY",
            Secret::from_secrets_manager_field(&api_keys, "OPENAI_API_KEY"),
        )
        .mount_point(MountPoint::new("cache-storage", "/app/cache"))
        .logging(LogDriver::aws_logs_with(
            "ecs",
            LogGroupProps::new()
                .log_group_name(format!("/ecs/{NAME}"))
                .retention(Retention::OneMonth),
        )),
    )?;

    // Service: 1 task, minimum healthy 100 %, maximum 200 %, in the private
    // subnets, behind the target group on the Streamlit port.
    let cluster = Cluster::new(
        &stack,
        "Cluster",
        ClusterProps::new(&vpc).cluster_name(NAME),
    )?;
    let service = FargateService::new(
        &stack,
        "Service",
        FargateServiceProps::new(&cluster, &task)
            .service_name(NAME)
            .desired_count(1)
            .min_healthy_percent(100)
            .max_healthy_percent(200)
            .security_group(&task_group),
    )?;
    service.attach_to_target_group(&target_group, "app", 8501)?;

    // Autoscaling: 1 to 4 tasks on average CPU 70 % and memory 80 %.
    let scaling = service.auto_scale_task_count(1, 4)?;
    scaling.scale_on_cpu_utilization("Cpu", 70)?;
    scaling.scale_on_memory_utilization("Memory", 80)?;

    stack.add_output(
        "LoadBalancerDnsName",
        Output::new(load_balancer.dns_name())
            .description("Point the site's DNS name here (CNAME or alias)"),
    )?;
    stack.add_output(
        "ClusterName",
        Output::new(cluster.cluster_name()).description("aws ecs update-service --cluster"),
    )?;
    stack.add_output(
        "ServiceName",
        Output::new(service.service_name()).description("aws ecs update-service --service"),
    )?;
    Ok(app)
}
