//! Reference architecture E, **session-store**: a chat app's backend on ECS
//! Fargate, keeping session metadata in Redis (24 h TTL, set by the app)
//! and uploaded images in S3.
//!
//! One stack, `SessionStore-<env>`; `<env>` comes from `-c env=<name>`, else
//! `HERA_ENV`, else `prod`. Region `ap-northeast-1` unless `FORMWORK_REGION`
//! says otherwise.
//!
//! - **Sessions bucket** `hera-sessions-<env>`: CORS for
//!   `https://yourdomain.com` (GET, PUT, POST, any header, preflight cached
//!   3000 s); lifecycle rule `DeleteOldSessions`: objects under
//!   `sessions/` expire after 7 days; a bucket policy
//!   denying every request without TLS (`aws:SecureTransport` false), and
//!   the bucket defaults (SSE-S3, public access blocked, retained).
//! - **Least privilege**: the backend's task role may `s3:PutObject`,
//!   `s3:GetObject`, `s3:DeleteObject` on `bucket/*` and `s3:ListBucket` on
//!   the bucket, nothing else.
//! - **CloudFront** in front of the bucket, serving the images: it reads
//!   the private bucket through an origin access control (the bucket keeps
//!   its public access blocks; its policy lets only this distribution
//!   `s3:GetObject`), HTTPS only (HTTP redirected), `PriceClass_200` (edge
//!   locations in Japan, not the most expensive ones). Anyone with an
//!   object's URL can fetch it, as with any CDN: the app's keys must be
//!   unguessable. Output `ImagesDomainName`.
//! - **Redis**: ElastiCache cluster `hera-redis-<env>`, `cache.t3.micro`,
//!   one node, Redis 7.1, in the private subnets, reachable on 6379 only
//!   from the backend's security group. Eviction `allkeys-lru` and no
//!   persistence through the parameter group `RedisParameters` (family
//!   `redis7`; ElastiCache has no `CONFIG SET`): no automatic backups, and
//!   ElastiCache for Redis 7 writes no append-only file.
//! - **Backend**: Fargate task family `hera-backend`, 512 cpu units, 1024
//!   MiB, port 8080; `STORAGE_MODE=cloud`, `CLOUD_STORAGE_TYPE=s3`,
//!   `S3_BUCKET_NAME` (the bucket), `AWS_REGION` (the stack's region),
//!   `SESSION_TTL=86400` (24 h, read by the app); `GEMINI_API_KEY` from the
//!   secret `hera/gemini-api-key` and `REDIS_URL` from Secrets Manager; `awslogs` to
//!   `/ecs/hera-backend`; behind an internet-facing load balancer in the
//!   public subnets, built with the load-balanced Fargate pattern.
//! - **Network isolation**: the load balancer is public; the tasks and Redis
//!   are in private subnets; S3 is reached through a VPC gateway endpoint
//!   (no NAT traffic, no NAT charge for the images).
//!
//! The team's STANDARD_IA rule. They also wrote that sessions older than 7
//! days should move to STANDARD_IA:
//!
//! ```text
//! LifecycleRule::new()
//!     .prefix("sessions/")
//!     .expiration_days(7)
//!     .transition(StorageClass::StandardIa, 7)
//! ```
//!
//! S3 refuses a transition to STANDARD_IA before 30 days, and the objects
//! are gone at 7 days anyway. formwork says so at synth, before anything is
//! deployed (this is the exact output; a test checks it):
//!
//! ```text
//! error[FW2113] SessionStore-prod/SessionsBucket LifecycleConfiguration.Rules[0].Transitions[0]: lifecycle rule 0 moves objects to STANDARD_IA 7 days after creation; S3 allows a transition to STANDARD_IA only at 30 days or later, and the rule expires the objects at 7 days, so they would never reach STANDARD_IA
//!     help: remove the transition: the objects are deleted at 7 days anyway
//! ```
//!
//! So the rule below only expires them.
//!
//! Choices where the reference leaves a value open:
//!
//! - **Secrets**, both in place before the first task starts, with no
//!   manual step: the team's `hera/gemini-api-key` holds the Gemini key
//!   (one value, not JSON); the first `deploy` creates it alone and puts
//!   its value from the environment variable `GEMINI_API_KEY` before the
//!   service exists (a first deploy without it stops before anything is
//!   created; later deploys do not read it; rotate it with `aws
//!   secretsmanager put-secret-value`). `REDIS_URL` is the key of the same
//!   name in the JSON secret `hera/<env>/backend`, which the stack writes
//!   itself from the cluster it creates:
//!   `redis://<RedisEndpoint output>:6379/0`, no value to provide.
//! - **HTTPS**, with the certificate's ARN as the `CertificateArn`
//!   parameter, and port 80 redirected: the frontend is served from
//!   `https://yourdomain.com` (the CORS origin), and browsers block calls
//!   from an HTTPS page to an HTTP API (mixed content); sessions and
//!   uploaded images are user data that should not cross the internet in
//!   clear text.
//! - **The image** is built by `deploy` from [`BACKEND_DIR`] (`backend/`:
//!   `Dockerfile`, `server.py`) for the task's architecture (`linux/amd64`,
//!   `--provenance=false`) and pushed to the account's assets repository
//!   (created by `deploy` itself, immutable tags) before the stack deploys,
//!   tagged with its content hash: a changed backend is a new tag in the
//!   task definition, and the service rolls onto it (rolled back by the
//!   circuit breaker if the new tasks do not become healthy). No
//!   repository to create by hand, no tag parameter to pass.
//! - The load balancer's health check asks for `/` and takes any answer
//!   from 200 to 499 as healthy: the reference names no health endpoint,
//!   and a running server that answers at all is what it can tell.
//! - Logs are kept 30 days.
//!
//! **Cost.** The team priced the design at about **$28 a month**
//! (ElastiCache $12, S3 $0.03, transfer $0.90, Fargate 0.5 vCPU / 1 GB
//! $15). This design costs about **$127 a month** in ap-northeast-1
//! (on-demand, 730 h; 1 GB of images, 10 GB out a month), **$99 over the
//! budget**; `cargo run -p session-store -- cost` prints every line:
//!
//! - the team's four lines, at this region's prices: ElastiCache
//!   `cache.t3.micro` $18.98 (not $12), S3 $0.07 with requests ($0.03),
//!   transfer 10 GB $1.14 ($0.90), Fargate 0.5 vCPU / 1 GB $22.49 ($15):
//!   $42.68;
//! - what their table has no line for and the design needs: the load
//!   balancer $30.88 (hours $17.74, one LCU $5.84, its two public IPv4
//!   addresses $7.30) and, for private tasks to reach ECR, Secrets Manager
//!   and the Gemini API, one NAT gateway $49.53 (hours $45.26, 10 GB
//!   processed $0.62, its Elastic IP $3.65); CloudFront $2.34 (requests
//!   $1.20, transfer $1.14); two secrets $0.80; logs $0.79.
//!
//! The cheapest cut `cost` names is the NAT gateway (tasks in public
//! subnets with a public IP, reachable only from the load balancer's
//! group: $42.23 a month less); the example keeps the reference's private
//! tasks, so it stays over the $28.
//!
//! One command (bash or PowerShell; Docker running) builds and pushes the
//! backend image, then deploys the stack:
//!
//! ```text
//! cargo run -p session-store -- deploy -c env=prod -p CertificateArn=arn:aws:acm:...
//! ```
//!
//! After the deploy, `deploy` (and `check` alone) waits up to five minutes
//! for the backend to be steady (its newest deployment completed, its task
//! running, so both secrets were readable) and for its task to pass the
//! load balancer's health check.
//!
//! (The same team also deploys the backend to Google Cloud Run. That part
//! is outside CloudFormation and outside this library.)

use formwork::assets::ImageAsset;
use formwork::certificatemanager::Certificate;
use formwork::checks::{self, Check};
use formwork::cloudfront::{BehaviorOptions, Distribution, DistributionProps, Origin, PriceClass};
use formwork::config::{Config, Loaded};
use formwork::cost::{self, Usage};
use formwork::ec2::{Connectable, GatewayEndpointService, SubnetType, Vpc, VpcProps};
use formwork::ecs::{ContainerImage, LogDriver, Secret};
use formwork::elasticache::{CacheCluster, CacheClusterProps, ParameterGroup, ParameterGroupProps};
use formwork::elasticloadbalancingv2::HealthCheck;
use formwork::logs::{LogGroupProps, Retention};
use formwork::patterns::{
    ApplicationLoadBalancedFargateService, ApplicationLoadBalancedFargateServiceProps,
    TaskImageOptions,
};
use formwork::prelude::*;
use formwork::s3::{Bucket, BucketProps, CorsRule, HttpMethod, LifecycleRule};
use formwork::secretsmanager::{Secret as BackendSecrets, SecretProps, SecretSource};
use schemars::JsonSchema;
use serde::Deserialize;

/// The team's budget, USD a month.
pub const MONTHLY_BUDGET_USD: f64 = 28.0;

/// The settings of the session store: `formwork.toml` at the crate root
/// (`[env.<name>]` sections) and `-c key=value`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The environment name (`-c env=<name>`, else `HERA_ENV`, else
    /// `prod`): lowercase letters, digits and hyphens, starting with a
    /// letter, because it names the stack, the bucket and the secret.
    #[schemars(regex(pattern = r"^[a-z](?:[a-z0-9-]*[a-z0-9])?$"))]
    pub env: String,
}

/// Loads the settings for the context's environment.
pub fn settings(ctx: &Context) -> Result<Loaded<Settings>> {
    Config::new()
        .env_var("HERA_ENV")
        .default_env("prod")
        .load(ctx)
}

/// The environment name: `-c env=<name>`, else `HERA_ENV`, else `prod`
/// (checked against [`Settings`]).
pub fn environment_name(ctx: &Context) -> Result<String> {
    settings(ctx).map(|s| s.env)
}

/// What happens to sessions: rule `DeleteOldSessions`, objects under
/// `sessions/` expire after 7 days.
pub fn sessions_rule() -> LifecycleRule {
    LifecycleRule::new()
        .id("DeleteOldSessions")
        .prefix("sessions/")
        .expiration_days(7)
}

/// The sessions bucket `hera-sessions-<env>`: CORS for the frontend's
/// origin, the lifecycle rule given, and the bucket defaults (SSE-S3, public
/// access blocked, a policy denying requests without TLS, retained).
pub fn sessions_bucket_props(env: &str, rule: LifecycleRule) -> BucketProps {
    BucketProps::new()
        .bucket_name(format!("hera-sessions-{env}"))
        .cors_rule(
            CorsRule::new(
                ["https://yourdomain.com"],
                [HttpMethod::Get, HttpMethod::Put, HttpMethod::Post],
            )
            .allowed_headers(["*"])
            .max_age_seconds(3000),
        )
        .lifecycle_rule(rule)
}

/// The backend image's folder (Dockerfile), relative to this crate.
pub const BACKEND_DIR: &str = "backend";

/// Builds the app: one stack, `SessionStore-<env>`.
///
/// ```
/// let ctx = formwork::Context::new().with_value("env", "staging");
/// let asm = session_store::app(&ctx)?.synth()?;
/// assert_eq!(asm.stacks[0].name, "SessionStore-staging");
/// # Ok::<(), formwork::Error>(())
/// ```
pub fn app(ctx: &Context) -> Result<App> {
    let app = App::with_context(ctx.clone().or_project_dir(env!("CARGO_MANIFEST_DIR")));
    let env = environment_name(ctx)?;
    let region =
        Environment::agnostic().region(ctx.env("FORMWORK_REGION").unwrap_or("ap-northeast-1"));
    let stack = app.stack_in(&format!("SessionStore-{env}"), region)?;
    stack.set_description(
        "session-store (reference E): chat backend on Fargate, sessions in S3 and Redis",
    );

    // Network: the load balancer public; tasks and Redis private; S3
    // through a gateway endpoint on the private subnets' route tables.
    let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    vpc.add_gateway_endpoint(
        "S3Endpoint",
        GatewayEndpointService::S3,
        &vpc.select_subnets(SubnetType::Private),
    )?;

    // Sessions bucket: CORS, `sessions/` expiring after 7 days, TLS only.
    let sessions = Bucket::new(
        &stack,
        "SessionsBucket",
        sessions_bucket_props(&env, sessions_rule()),
    )?;

    // CloudFront in front of the bucket, for the images (origin access
    // control: the bucket stays private).
    let images = Distribution::new(
        &stack,
        "ImagesDistribution",
        DistributionProps::new(BehaviorOptions::new(Origin::s3_bucket(&sessions)))
            .price_class(PriceClass::Class200)
            .comment("hera session images"),
    )?;

    // Redis `hera-redis-<env>`: cache.t3.micro, one node, allkeys-lru and
    // no persistence, private subnets, the backend only (its ingress is
    // added once the backend exists).
    let redis_parameters = ParameterGroup::new(
        &stack,
        "RedisParameters",
        ParameterGroupProps::lru_cache("redis7"),
    )?;
    let redis = CacheCluster::new(
        &stack,
        "Redis",
        CacheClusterProps::new(&vpc, "cache.t3.micro")
            .num_cache_nodes(1)
            .engine_version("7.1")
            .parameter_group(&redis_parameters)
            .cluster_name(format!("hera-redis-{env}")),
    )?;
    // The team's `hera/gemini-api-key`, its value put by the first deploy
    // from GEMINI_API_KEY; REDIS_URL in a JSON secret the stack computes
    // from its own cluster. No value is ever in the template.
    let gemini = BackendSecrets::new(
        &stack,
        "GeminiApiKey",
        SecretProps::new()
            .name("hera/gemini-api-key")
            .description("hera-backend: the Gemini API key")
            .value_from(SecretSource::env("GEMINI_API_KEY")),
    )?;
    let secrets = BackendSecrets::new(
        &stack,
        "BackendSecrets",
        SecretProps::new()
            .name(format!("hera/{env}/backend"))
            .description("hera-backend: REDIS_URL")
            .computed_field(
                "REDIS_URL",
                Fn::concat([Value::from(redis.redis_url()), Value::from("/0")]),
            ),
    )?;

    // Backend: Fargate, hera-backend, 512 cpu units, 1024 MiB, port 8080,
    // behind an HTTPS load balancer in the public subnets.
    let certificate = Certificate::from_parameter(&stack, "CertificateArn")?;
    let backend = ApplicationLoadBalancedFargateService::new(
        &stack,
        "Backend",
        ApplicationLoadBalancedFargateServiceProps::from_image(
            &vpc,
            TaskImageOptions::new(
                ContainerImage::from_asset(ImageAsset::from_dir(BACKEND_DIR)),
                8080,
            )
            .container_name("backend")
            .family("hera-backend")
            .cpu(512)
            .memory_mib(1024)
            .environment("STORAGE_MODE", "cloud")
            .environment("CLOUD_STORAGE_TYPE", "s3")
            .environment("S3_BUCKET_NAME", sessions.bucket_name())
            .environment("AWS_REGION", Pseudo::Region)
            .environment("SESSION_TTL", "86400")
            .secret("GEMINI_API_KEY", Secret::from_secrets_manager(&gemini))
            .secret(
                "REDIS_URL",
                Secret::from_secrets_manager_field(&secrets, "REDIS_URL"),
            )
            .logging(LogDriver::aws_logs_with(
                "ecs",
                LogGroupProps::new()
                    .log_group_name("/ecs/hera-backend")
                    .retention(Retention::OneMonth),
            )),
        )
        .certificate(&certificate)
        .health_check(HealthCheck::new().path("/").healthy_http_codes("200-499")),
    )?;

    // Least privilege: objects read, written and deleted, the bucket listed.
    sessions.grant_read_write(backend.task_definition())?;

    redis
        .connections()
        .allow_default_port_from(backend.service(), "Redis from the backend")?;
    // Accepted findings, with their reasons (written into the template).
    let node = redis.cfn();
    node.suppress(
        "FW5031",
        "the backend's Redis client connects without TLS (REDIS_URL is redis://); the cache is reachable from the backend's security group only, inside private subnets",
    );
    node.suppress(
        "FW5090",
        "the cache holds sessions that the backend rebuilds from the sessions bucket; losing it logs users out, no data is lost",
    );

    // The team's budget and usage (1 GB of images, 10 GB to the internet
    // a month): `cargo run -- cost` prices the whole design against it.
    cost::assume(&stack, "", Usage::new().set("internet_gb", 10.0));
    cost::assume(
        &stack,
        "SessionsBucket",
        Usage::new().set("gb", 1.0).set("put_requests", 1000.0),
    );
    cost::set_budget(&app, MONTHLY_BUDGET_USD);

    stack.add_output(
        "LoadBalancerDnsName",
        Output::new(backend.load_balancer().dns_name())
            .description("Point the API's DNS name here (CNAME or alias)"),
    )?;
    stack.add_output("SessionsBucketName", Output::new(sessions.bucket_name()))?;
    stack.add_output(
        "ImagesDomainName",
        Output::new(images.domain_name())
            .description("https://<this>/<object key> serves an image"),
    )?;
    stack.add_output(
        "RedisEndpoint",
        Output::new(redis.endpoint_address()).description("REDIS_URL is redis://<this>:6379/0"),
    )?;
    stack.add_output("ClusterName", Output::new(backend.cluster().cluster_name()))?;
    stack.add_output("ServiceName", Output::new(backend.service().service_name()))?;
    stack.add_output(
        "TargetGroupArn",
        Output::new(backend.target_group().target_group_arn()),
    )?;

    // After a deploy, run by `deploy` and `check`: the backend rolled out
    // (its tasks started, so they read both secrets) and passes the load
    // balancer's health check.
    checks::declare(
        &stack,
        Check::service("the backend is steady", "ClusterName", "ServiceName"),
    );
    checks::declare(
        &stack,
        Check::targets_healthy(
            "the backend passes the load balancer's health check",
            "TargetGroupArn",
        ),
    );
    Ok(app)
}
