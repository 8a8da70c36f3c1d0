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
//! The team's plan had one stack, `weather-comment-infra`; the repository
//! has its own stack here for the reason above. `-c
//! stack_name=weather-comment-infra` ([`TEAM_STACK_NAME`]) gives the
//! service stack the team's name, for scripts and consoles that use it;
//! the template is the same but for the construct paths in its metadata.
//!
//! One command, the same in bash and PowerShell (Docker running). The
//! first deploy also needs the four API keys, in the environment variables
//! `WXTECH_API_KEY`, `OPENAI_API_KEY`, `GEMINI_API_KEY` and
//! `ANTHROPIC_API_KEY` (in CI, from the repository's secrets):
//!
//! ```text
//! cargo run -p weather-service -- deploy -p CertificateArn=arn:aws:acm:...
//! ```
//!
//! It deploys `WeatherRepository`, builds the image from [`IMAGE_DIR`]
//! (`app/`: `Dockerfile`, `api.py`, `ui.py`) for the task's architecture
//! (`docker build --platform linux/amd64 --provenance=false`), pushes it to
//! `weather-comment-generator` (immutable tags) with the tag = its content
//! hash, then, on the first deploy, creates the secret
//! `weather-comment-generator/api-keys` alone and puts its JSON value
//! (`{"WXTECH_API_KEY": …}`, read from the four variables, never printed
//! or written to a file others can read), then deploys `WeatherService`,
//! whose task definition names that tag: a changed image is a new task definition revision and the service
//! rolls onto it; an unchanged one deploys nothing. `-- deploy --dry-run`
//! prints the steps as commands.
//!
//! The team's CI role is kept: the workflow assumes the role `DeployRoleArn` (output; the team's
//! `AWS_DEPLOY_ROLE` secret) through GitHub's OpenID Connect provider: no
//! access key is stored in GitHub. Only workflows of one repository on one
//! branch may assume it (`-c github_repo=<owner>/<name>`, default
//! `GITHUB_REPOSITORY`, else `weather-comment/weather-comment-generator`,
//! a stand-in the team replaces; `-c github_branch=`, default `main`), and
//! it may push to the `weather-comment-generator` repository and force a
//! new deployment of `weather-comment-service`, nothing else: ECR's push
//! actions on that repository (and `ecr:GetAuthorizationToken`, which has
//! no resource), `ecs:UpdateService` on that service, and
//! `ecs:DescribeServices` on the same service, read-only, so that CI can
//! wait for the rollout (`aws ecs wait services-stable`). An account
//! holds one GitHub provider: if it has one already, pass its ARN with
//! `-c github_oidc_provider_arn=arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com`
//! and the stack uses it instead of creating one.
//!
//! A departure from the team's CI flow (build and push the image, then
//! `aws ecs update-service --force-new-deployment`): here the task
//! definition names the image by its content hash, in a repository whose
//! tags are immutable (no `latest` moving under a running service), so a
//! new image reaches the service through a new task definition revision,
//! which `deploy` makes. `--force-new-deployment` with this role restarts
//! the tasks on the image their task definition names (which also makes
//! them read the secret again after a key changed). The role is enough for
//! the team's two steps, not for `deploy`, which also changes the stacks
//! through CloudFormation: a CI job that runs `deploy` needs a role allowed
//! to deploy these two stacks, which this example does not create.
//!
//! **Cost.** The team priced the design at about **$67 a month**
//! (ap-northeast-1): Fargate 1 vCPU / 2 GB × 1 task $36.72, ALB $22.62,
//! EFS 10 GB $3.00, CloudWatch Logs 5 GB $2.50, Secrets Manager × 4 $1.60;
//! 2 to 3 tasks under autoscaling $100 to $140. Their table has **no NAT
//! gateway**, so by default the tasks run in the **public subnets with a
//! public IP** (to reach ECR, Secrets Manager and the weather and LLM
//! APIs without a NAT gateway), and their security group lets in only
//! the load balancer's group, on 8501 and 8000: nothing on the internet
//! can reach a task directly. `cargo run -p weather-service -- cost` prints
//! the estimate line by line against the budget: about **$91 a month**
//! for one task ($90.58 on-demand in ap-northeast-1, 730 h), **$23.58
//! over** the $67:
//!
//! - the team's five lines at ap-northeast-1 prices come to $76.36:
//!   Fargate $44.98 (the team's $36.72 is us-east-1's price), the load
//!   balancer $23.58 with one LCU ($22.62), EFS $3.60 ($3.00), log
//!   ingestion $3.80 ($2.50), and Secrets Manager $0.40, not $1.60: the
//!   four keys are one JSON secret, as the team's design has it, billed
//!   as one;
//! - what the table has no line for adds $14.22: public IPv4 addresses
//!   (billed since February 2024) of the task, $3.65, and of the load
//!   balancer's two zones, $7.30; log storage $0.17; the dashboard $3.00;
//!   image storage in the repository $0.10.
//!
//! Under autoscaling each task adds $48.63 (Fargate and its address): the
//! team's 2 to 3 tasks are $139.21 to $187.84 here, and the scaling
//! maximum, 4 tasks, $236.47. The cheapest cut `cost` names is
//! ARM64 (Graviton) Fargate, $9.00 a month less, which needs an arm64
//! image of the app; the example keeps amd64, the team's platform.
//!
//! `-c private_subnets=true` gives the private-subnet variant: tasks and
//! file system in private subnets behind one NAT gateway. The NAT gateway
//! adds **$45.88 a month** (0.062 USD an hour × 730 h = $45.26 in
//! ap-northeast-1, plus 0.062 USD per GB processed: $0.62 for 10 GB), and
//! its Elastic IP replaces the task's public address, so `cost` gives
//! $136.46 a month for one task: $69.46 over the team's budget, the price
//! of tasks without public addresses.
//!
//! **Monitoring.** Container Insights is on for the cluster (CPU, memory,
//! task count per service; its metrics are billed as custom metrics).
//! The app sends its own metrics (comment success rate, cache hit rate,
//! parallel efficiency, API calls) with `PutMetricData`: the task role may
//! do that in the namespace `WeatherCommentGenerator` only (`-c
//! metrics_namespace=` to change it; the reference names none) and
//! nothing more. The dashboard `weather-comment-generator` graphs CPU and
//! memory, running tasks, the target group's p95 response time and the
//! app's own metrics, named here `CommentSuccessRate`, `CacheHitRate`,
//! `ParallelEfficiency` and `ApiCalls` (the reference names the measures,
//! not the metric names: the app must publish under these). A dashboard
//! costs $3 a month, in the cost estimate.
//!
//! **After a deploy**, `deploy` (and `check` on its own) checks what the
//! team looked at by hand once the service had rolled out: the service is
//! steady (its newest deployment completed, as many tasks running as it
//! wants) and every task registered in `weather-comment-tg` passes the
//! load balancer's health check on `/`. Both wait up to five minutes.
//! (An HTTP request to the site itself needs the team's domain name, which
//! the certificate is for; the load balancer's own DNS name fails TLS.)
//!
//! Departures from the team's document, and values it leaves open:
//!
//! - Port 80 is open on the load balancer too, and redirects to 443: the
//!   team opened only 443; a browser typing the bare name would otherwise
//!   time out.
//! - Log retention 30 days; untagged images expire after 14 days; the
//!   stacks' region is `ap-northeast-1` unless `FORMWORK_REGION` says
//!   otherwise.

use formwork::Error;
use formwork::assets::ImageAsset;
use formwork::certificatemanager::Certificate;
use formwork::checks::{self, Check};
use formwork::cloudwatch::{Dashboard, Graph, Metric, Statistic};
use formwork::cost::{self, Usage};
use formwork::ec2::{
    Connectable, Port, SecurityGroup, SecurityGroupProps, SubnetGroup, SubnetType, Vpc, VpcProps,
};
use formwork::ecr::{LifecycleRule, Repository, RepositoryProps, TagMutability};
use formwork::ecs::{
    Cluster, ClusterProps, ContainerImage, ContainerInsights, ContainerProps, EfsVolumeOptions,
    FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps,
    LogDriver, MountPoint, PortMapping, Secret,
};
use formwork::efs::{FileSystem, FileSystemProps, LifecycleAge, PerformanceMode, ThroughputMode};
use formwork::elasticloadbalancingv2::{
    ApplicationLoadBalancer, ApplicationLoadBalancerProps, ApplicationProtocol,
    ApplicationTargetGroup, HealthCheck, ListenerProps, TargetGroupProps, TargetType,
};
use formwork::iam::{GithubOidcProvider, MetricNamespace};
use formwork::logs::{LogGroupProps, Retention};
use formwork::prelude::*;
use formwork::secretsmanager::{Secret as ApiKeys, SecretProps, SecretSource};

/// The name of the image repository, the task family and the log group.
pub const NAME: &str = "weather-comment-generator";
/// The team's budget, USD a month.
pub const MONTHLY_BUDGET_USD: f64 = 67.0;

/// The image's folder (Dockerfile), relative to this crate.
pub const IMAGE_DIR: &str = "app";
/// The keys of the JSON secret `weather-comment-generator/api-keys`, each
/// put by the first deploy from the environment variable of the same name.
pub const API_KEYS: [&str; 4] = [
    "WXTECH_API_KEY",
    "OPENAI_API_KEY",
    "GEMINI_API_KEY",
    "ANTHROPIC_API_KEY",
];
/// The cluster the team's CI names in `aws ecs update-service --cluster`.
pub const CLUSTER_NAME: &str = "weather-comment-cluster";
/// The service the team's CI names in `aws ecs update-service --service`.
pub const SERVICE_NAME: &str = "weather-comment-service";
/// The load balancer's target group.
pub const TARGET_GROUP_NAME: &str = "weather-comment-tg";
/// The service stack's name by default.
pub const STACK_NAME: &str = "WeatherService";
/// The name of the team's stack in their plan, kept with `-c
/// stack_name=weather-comment-infra`.
pub const TEAM_STACK_NAME: &str = "weather-comment-infra";

/// Where the tasks run: `-c private_subnets=true` puts them (and the file
/// system) in private subnets behind a NAT gateway; by default they run in
/// public subnets with a public IP, as the team's budget has no NAT line.
///
/// ```
/// use formwork::Context;
/// assert!(!weather_service::private_subnets(&Context::new())?);
/// assert!(weather_service::private_subnets(&Context::new().with_value("private_subnets", "true"))?);
/// assert!(weather_service::private_subnets(&Context::new().with_value("private_subnets", "yes")).is_err());
/// # Ok::<(), formwork::Error>(())
/// ```
pub fn private_subnets(ctx: &Context) -> Result<bool> {
    match ctx.value("private_subnets").unwrap_or("false") {
        "false" => Ok(false),
        "true" => Ok(true),
        other => Err(Error::Context {
            key: "private_subnets".to_owned(),
            message: format!("`{other}` is not a boolean; use true or false"),
        }),
    }
}

/// Builds the app: the `WeatherRepository` and `WeatherService` stacks.
///
/// ```
/// let app = weather_service::app(&formwork::Context::new())?;
/// let names: Vec<String> = app.synth()?.stacks.iter().map(|s| s.name.clone()).collect();
/// assert_eq!(names, ["WeatherRepository", "WeatherService"]);
/// # Ok::<(), formwork::Error>(())
/// ```
pub fn app(ctx: &Context) -> Result<App> {
    let app = App::with_context(ctx.clone().or_project_dir(env!("CARGO_MANIFEST_DIR")));
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
            // A tag is a content hash: it always names the same image.
            .tag_mutability(TagMutability::Immutable)
            .lifecycle_rule(LifecycleRule::expire_untagged_after_days(14)),
    )?;
    images.add_output(
        "RepositoryUri",
        Output::new(repository.repository_uri())
            .description("The image repository (deploy pushes the app image here)"),
    )?;

    let stack = app.stack_in(ctx.value("stack_name").unwrap_or(STACK_NAME), region)?;
    stack.set_description(
        "weather-service (reference C): Streamlit and FastAPI on ECS Fargate behind HTTPS",
    );

    // Network over two availability zones. Within the team's budget: public
    // subnets only, no NAT gateway. `private_subnets=true`: public subnets
    // for the load balancer, private ones (one NAT gateway) for the tasks
    // and the file system.
    let private = private_subnets(ctx)?;
    let task_subnets = if private {
        SubnetType::Private
    } else {
        SubnetType::Public
    };
    let vpc_props = VpcProps::new().zone_count(2);
    let vpc_props = if private {
        vpc_props
    } else {
        vpc_props.subnet_groups([SubnetGroup::public("Public", 24)])
    };
    let vpc = Vpc::new(&stack, "Vpc", vpc_props)?;

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
            .target_group_name(TARGET_GROUP_NAME)
            .health_check(HealthCheck::new().path("/").interval_seconds(30)),
    )?;
    load_balancer.add_listener(
        "HttpsListener",
        ListenerProps::https(443, &certificate, &target_group),
    )?;
    load_balancer.add_redirect(80, 443)?;

    // Secret `weather-comment-generator/api-keys`: one JSON secret whose
    // four keys the first deploy takes from the environment variables of
    // the same names and puts before the service exists (never in the
    // template; later deploys leave it alone).
    let mut api_key_props = SecretProps::new()
        .name(format!("{NAME}/api-keys"))
        .description("Weather and LLM API keys of the weather-comment generator");
    for key in API_KEYS {
        api_key_props = api_key_props.field_from(key, SecretSource::env(key));
    }
    let api_keys = ApiKeys::new(&stack, "ApiKeys", api_key_props)?;

    // EFS: general purpose, bursting, Infrequent Access after 30 days,
    // Name=weather-comment-cache, a mount target in each subnet the tasks use.
    let cache = FileSystem::new(
        &stack,
        "CacheFileSystem",
        FileSystemProps::new(&vpc)
            .vpc_subnets(task_subnets)
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
    task.add_container(
        "app",
        ContainerProps::new(ContainerImage::from_asset(
            ImageAsset::from_dir(IMAGE_DIR).repository(&repository),
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

    // The app's own metrics: PutMetricData in its namespace, nothing more.
    let namespace = ctx
        .value("metrics_namespace")
        .unwrap_or("WeatherCommentGenerator");
    MetricNamespace::new(&stack, "AppMetrics", namespace)?.grant_put_metric_data(&task)?;

    // Cluster `weather-comment-cluster` with Container Insights; service
    // `weather-comment-service`: 1 task, minimum healthy 100 %, maximum
    // 200 %, behind the target group on the Streamlit port. In public
    // subnets the tasks need a public IP to reach ECR and the APIs.
    let cluster = Cluster::new(
        &stack,
        "Cluster",
        ClusterProps::new(&vpc)
            .cluster_name(CLUSTER_NAME)
            .container_insights(ContainerInsights::Enabled),
    )?;
    let service = FargateService::new(
        &stack,
        "Service",
        FargateServiceProps::new(&cluster, &task)
            .service_name(SERVICE_NAME)
            .desired_count(1)
            .min_healthy_percent(100)
            .max_healthy_percent(200)
            .vpc_subnets(task_subnets)
            .assign_public_ip(!private)
            .security_group(&task_group),
    )?;
    service.attach_to_target_group(&target_group, "app", 8501)?;

    // Autoscaling: 1 to 4 tasks on average CPU 70 % and memory 80 %.
    let scaling = service.auto_scale_task_count(1, 4)?;
    scaling.scale_on_cpu_utilization("Cpu", 70)?;
    scaling.scale_on_memory_utilization("Memory", 80)?;

    // The CI deploy role: GitHub Actions of one repository and branch may
    // push the image and force a new deployment of this service.
    let github = match ctx.value("github_oidc_provider_arn") {
        Some(arn) => GithubOidcProvider::from_arn(arn),
        None => GithubOidcProvider::new(&stack, "GithubOidcProvider")?,
    };
    let github_repo = ctx.value_or_env(
        "github_repo",
        "GITHUB_REPOSITORY",
        "weather-comment/weather-comment-generator",
    );
    let github_branch = ctx.value("github_branch").unwrap_or("main");
    let deploy_role = github.deploy_role(&stack, "DeployRole", &github_repo, github_branch)?;
    repository.grant_push(&deploy_role)?;
    service.grant_force_new_deployment(&deploy_role)?;

    // The metrics the team named: CPU, memory, task count, target response
    // time, and the app's own (in its namespace), on one dashboard.
    let app_metric = |name: &str| {
        Metric::new(namespace, name)
            .statistic(Statistic::Average)
            .period_seconds(300)
    };
    Dashboard::new(
        &stack,
        "Dashboard",
        NAME,
        [
            Graph::new("CPU and memory (%)")
                .metric(service.metric_cpu_utilization())
                .metric(service.metric_memory_utilization()),
            Graph::new("Running tasks").metric(service.metric_running_task_count()),
            Graph::new("Target response time (p95, s)")
                .metric(target_group.metric_target_response_time(&load_balancer)),
            Graph::new("Comments and cache")
                .metric(app_metric("CommentSuccessRate"))
                .metric(app_metric("CacheHitRate")),
            Graph::new("Parallel efficiency and API calls")
                .metric(app_metric("ParallelEfficiency"))
                .metric(app_metric("ApiCalls").statistic(Statistic::Sum)),
        ],
    )?;

    // The team's budget and usage (10 GB of cache, 5 GB of logs a month,
    // about one LCU): `cargo run -- cost` prices them.
    cost::assume(&stack, "CacheFileSystem", Usage::new().set("gb", 10.0));
    cost::assume(
        &stack,
        "TaskDefinition/AppLogGroup",
        Usage::new().set("gb", 5.0),
    );
    cost::assume(&stack, "LoadBalancer", Usage::new().set("lcu", 1.0));
    cost::set_budget(&app, MONTHLY_BUDGET_USD);

    stack.add_output(
        "DeployRoleArn",
        Output::new(deploy_role.arn())
            .description("GitHub Actions: role-to-assume (the AWS_DEPLOY_ROLE secret)"),
    )?;
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
    stack.add_output(
        "TargetGroupArn",
        Output::new(target_group.target_group_arn())
            .description("weather-comment-tg: the tasks behind the load balancer"),
    )?;

    // What the team checked by hand after a deploy, run by `deploy` and
    // `check`: the service rolled out, and its tasks pass the health check.
    checks::declare(
        &stack,
        Check::service("the service is steady", "ClusterName", "ServiceName"),
    );
    checks::declare(
        &stack,
        Check::targets_healthy(
            "the tasks pass the load balancer's health check",
            "TargetGroupArn",
        ),
    );
    Ok(app)
}
