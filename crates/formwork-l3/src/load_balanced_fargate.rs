//! A Fargate service behind an Application Load Balancer, wired in one
//! call: the cluster (or yours), the task definition (or yours), the load
//! balancer in the public subnets with its listener (HTTPS on 443 and a
//! redirect from 80 when a certificate is given, HTTP on 80 otherwise), the
//! target group with its health check, and the service in the private
//! subnets, reachable on its container port from the load balancer only.
//!
//! With [`domain_name`](ApplicationLoadBalancedFargateServiceProps::domain_name)
//! and a hosted zone it serves HTTPS on that name: a certificate validated
//! by DNS in the zone and an alias A record to the load balancer.
//! [`enable_execute_command`](ApplicationLoadBalancedFargateServiceProps::enable_execute_command)
//! turns on ECS Exec with its permissions and session logging; managed
//! tags, tag propagation and the listener's TLS policy
//! ([`SslPolicy`], TLS 1.2 and 1.3 by default) are options, and every
//! option of the L2 constructs underneath is passed through (the cluster's,
//! the load balancer's and the target group's with `*_props`, the
//! container's with [`TaskImageOptions::container_props`], the service's
//! and the task's one by one).
//!
//! ```
//! use formwork::App;
//! use formwork::ec2::{Vpc, VpcProps};
//! use formwork::ecs::ContainerImage;
//! use formwork::elasticloadbalancingv2::SslPolicy;
//! use formwork::route53::{HostedZone, HostedZoneProps};
//! use formwork::patterns::{
//!     ApplicationLoadBalancedFargateService, ApplicationLoadBalancedFargateServiceProps, TaskImageOptions,
//! };
//! let app = App::new();
//! let stack = app.stack("Api")?;
//! let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
//! let zone = HostedZone::new(&stack, "Zone", HostedZoneProps::new("example.com"))?;
//! let api = ApplicationLoadBalancedFargateService::new(
//!     &stack,
//!     "Api",
//!     ApplicationLoadBalancedFargateServiceProps::from_image(
//!         &vpc,
//!         TaskImageOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"), 80),
//!     )
//!     .domain_name("api.example.com", &zone)
//!     .ssl_policy(SslPolicy::Tls12AndTls13)
//!     .enable_execute_command(true)
//!     .enable_ecs_managed_tags(true)
//!     .load_balancer_props(|lb| lb.idle_timeout_seconds(120)),
//! )?;
//! assert!(api.dns_record().is_some());
//! # Ok::<(), formwork::Error>(())
//! ```
//!
//! Every part is reachable for changes:
//! [`ApplicationLoadBalancedFargateService::load_balancer`],
//! [`listener`](ApplicationLoadBalancedFargateService::listener),
//! [`target_group`](ApplicationLoadBalancedFargateService::target_group),
//! [`service`](ApplicationLoadBalancedFargateService::service),
//! [`task_definition`](ApplicationLoadBalancedFargateService::task_definition),
//! [`cluster`](ApplicationLoadBalancedFargateService::cluster).
//!
//! ```
//! use formwork::App;
//! use formwork::certificatemanager::Certificate;
//! use formwork::ec2::{Vpc, VpcProps};
//! use formwork::ecs::ContainerImage;
//! use formwork::patterns::{
//!     ApplicationLoadBalancedFargateService, ApplicationLoadBalancedFargateServiceProps, TaskImageOptions,
//! };
//! let app = App::new();
//! let stack = app.stack("Web")?;
//! let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
//! let certificate = Certificate::from_parameter(&stack, "CertificateArn")?;
//! let web = ApplicationLoadBalancedFargateService::new(
//!     &stack,
//!     "Web",
//!     ApplicationLoadBalancedFargateServiceProps::from_image(
//!         &vpc,
//!         TaskImageOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"), 80),
//!     )
//!     .certificate(&certificate),
//! )?;
//! assert_eq!(web.listener().port(), 443);
//! # Ok::<(), formwork::Error>(())
//! ```

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Fn, Result, Scope, Value};
use formwork_l2::certificatemanager::{Certificate, CertificateProps};
use formwork_l2::ec2::{SecurityGroup, SubnetSelection, Vpc};
use formwork_l2::ecs::{
    CircuitBreaker, Cluster, ClusterProps, ContainerImage, ContainerProps, CpuArchitecture,
    FargatePlatformVersion, FargateService, FargateServiceProps, FargateTaskDefinition,
    FargateTaskDefinitionProps, LogDriver, PortMapping, PropagateTags, Secret,
};
use formwork_l2::elasticloadbalancingv2::{
    ApplicationListener, ApplicationLoadBalancer, ApplicationLoadBalancerProps,
    ApplicationTargetGroup, HealthCheck, ListenerProps, LoadBalancerScheme, SslPolicy,
    TargetGroupProps,
};
use formwork_l2::logs::{LogGroup, LogGroupProps};
use formwork_l2::route53::{AliasTarget, HostedZone, Record, RecordProps};

/// Diagnostic codes of the load-balanced Fargate pattern (`FW48xx`).
pub mod codes {
    /// A TLS policy or an additional certificate for a listener without
    /// HTTPS (no certificate and no domain name).
    pub const TLS_WITHOUT_HTTPS: &str = "FW4801";
    /// Cluster options for a cluster the pattern does not make (one given
    /// with `cluster`).
    pub const CLUSTER_OPTIONS: &str = "FW4802";
}

/// The task of a pattern made from an image: one container, `web` by
/// default, listening on `container_port`.
///
/// Defaults: 256 cpu units and 512 MiB; no environment, no secret; logs
/// with `awslogs` into a log group made for the container (stream prefix:
/// the pattern's id).
///
/// ```
/// use formwork::Pseudo;
/// use formwork::ecs::ContainerImage;
/// use formwork::patterns::TaskImageOptions;
/// let options = TaskImageOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"), 80)
///     .container_name("nginx")
///     .cpu(512)
///     .memory_mib(1024)
///     .environment("AWS_REGION", Pseudo::Region);
/// # let _ = options;
/// ```
#[derive(Clone, Debug)]
pub struct TaskImageOptions {
    container_port: u16,
    container_name: String,
    family: Option<Str>,
    cpu: u32,
    memory: u32,
    cpu_architecture: Option<CpuArchitecture>,
    ephemeral_storage_gib: Option<u32>,
    container: ContainerProps,
}

impl TaskImageOptions {
    /// A container `web` running `image`, listening on `container_port`.
    pub fn new(image: ContainerImage, container_port: u16) -> Self {
        TaskImageOptions {
            container_port,
            container_name: "web".to_owned(),
            family: None,
            cpu: 256,
            memory: 512,
            cpu_architecture: None,
            ephemeral_storage_gib: None,
            container: ContainerProps::new(image).port_mapping(PortMapping::tcp(container_port)),
        }
    }

    /// The container name (default `web`).
    pub fn container_name(mut self, name: impl Into<String>) -> Self {
        self.container_name = name.into();
        self
    }

    /// The task definition family.
    pub fn family(mut self, family: impl Into<Str>) -> Self {
        self.family = Some(family.into());
        self
    }

    /// CPU units of the task (checked with the memory against Fargate's sizes).
    pub fn cpu(mut self, units: u32) -> Self {
        self.cpu = units;
        self
    }

    /// Memory of the task in MiB.
    pub fn memory_mib(mut self, mib: u32) -> Self {
        self.memory = mib;
        self
    }

    /// The task's CPU architecture (default: ECS's, x86-64).
    pub fn cpu_architecture(mut self, architecture: CpuArchitecture) -> Self {
        self.cpu_architecture = Some(architecture);
        self
    }

    /// The task's ephemeral storage in GiB (default: Fargate's 20).
    pub fn ephemeral_storage_gib(mut self, gib: u32) -> Self {
        self.ephemeral_storage_gib = Some(gib);
        self
    }

    /// Adds an environment variable (a literal or a reference).
    pub fn environment(mut self, name: impl Into<String>, value: impl Into<Str>) -> Self {
        self.container = self.container.environment(name, value);
        self
    }

    /// Adds a secret environment variable.
    pub fn secret(mut self, name: impl Into<String>, secret: Secret) -> Self {
        self.container = self.container.secret(name, secret);
        self
    }

    /// The container's logging (default `awslogs` into a new log group).
    pub fn logging(mut self, driver: LogDriver) -> Self {
        self.container = self.container.logging(driver);
        self
    }

    /// Any other container option of [`ContainerProps`] (health check,
    /// command, user, read-only root file system, …), applied to the
    /// container as built so far (image and port mapping set).
    ///
    /// ```
    /// use formwork::ecs::{ContainerImage, HealthCheck};
    /// use formwork::patterns::TaskImageOptions;
    /// let options = TaskImageOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"), 80)
    ///     .container_props(|c| c.readonly_root_filesystem(true).health_check(HealthCheck::shell("curl -fs http://localhost/ || exit 1")));
    /// # let _ = options;
    /// ```
    pub fn container_props(mut self, f: impl FnOnce(ContainerProps) -> ContainerProps) -> Self {
        self.container = f(self.container);
        self
    }
}

#[derive(Clone, Debug)]
enum TaskSource {
    Image(Box<TaskImageOptions>),
    Definition {
        task: FargateTaskDefinition,
        container: String,
        port: u16,
    },
}

/// What an [`ApplicationLoadBalancedFargateService`] is made with.
///
/// Defaults: a new cluster in `vpc`; an internet-facing load balancer in
/// the public subnets; **without a certificate** an HTTP listener on 80;
/// **with one** an HTTPS listener on 443 (TLS 1.2 and 1.3) and port 80
/// redirected to it; a target group of `ip` targets on the container port
/// with Elastic Load Balancing's default health check (`/` every 30 s);
/// one task in the private subnets, no public IP; the service's defaults
/// otherwise (see [`FargateServiceProps`]).
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{Vpc, VpcProps};
/// use formwork::ecs::{ContainerImage, FargateTaskDefinition, FargateTaskDefinitionProps};
/// use formwork::elasticloadbalancingv2::HealthCheck;
/// use formwork::patterns::ApplicationLoadBalancedFargateServiceProps;
/// let app = App::new();
/// let stack = app.stack("Web")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let task = FargateTaskDefinition::new(&stack, "TaskDefinition", FargateTaskDefinitionProps::new())?;
/// let props = ApplicationLoadBalancedFargateServiceProps::from_task_definition(&vpc, &task, "app", 8080)
///     .listener_port(8080)
///     .desired_count(2)
///     .health_check(HealthCheck::new().path("/health").interval_seconds(15));
/// # let _ = props;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ApplicationLoadBalancedFargateServiceProps {
    task: TaskSource,
    cluster: Option<Cluster>,
    cluster_props: ClusterProps,
    cluster_props_set: bool,
    certificate: Option<Certificate>,
    more_certificates: Vec<Certificate>,
    domain: Option<(String, HostedZone)>,
    listener_port: Option<u16>,
    ssl_policy: Option<SslPolicy>,
    listener_open: Option<bool>,
    redirect_http: bool,
    load_balancer: ApplicationLoadBalancerProps,
    target_group: TargetGroupProps,
    desired_count: u32,
    service_name: Option<Str>,
    min_healthy_percent: Option<u32>,
    max_healthy_percent: Option<u32>,
    circuit_breaker: Option<CircuitBreaker>,
    task_subnets: Option<SubnetSelection>,
    assign_public_ip: bool,
    security_groups: Vec<SecurityGroup>,
    platform_version: Option<FargatePlatformVersion>,
    health_check_grace_period: Option<u32>,
    execute_command: bool,
    propagate_tags: Option<PropagateTags>,
    managed_tags: bool,
}

impl ApplicationLoadBalancedFargateServiceProps {
    /// A service of one container made from an image.
    pub fn from_image(vpc: &Vpc, options: TaskImageOptions) -> Self {
        ApplicationLoadBalancedFargateServiceProps::with(vpc, TaskSource::Image(Box::new(options)))
    }

    /// A service of a task definition of yours; the load balancer forwards
    /// to `container_name`:`container_port` (which the task definition
    /// must map: checked, `FW3222`).
    pub fn from_task_definition(
        vpc: &Vpc,
        task_definition: &FargateTaskDefinition,
        container_name: impl Into<String>,
        container_port: u16,
    ) -> Self {
        ApplicationLoadBalancedFargateServiceProps::with(
            vpc,
            TaskSource::Definition {
                task: task_definition.clone(),
                container: container_name.into(),
                port: container_port,
            },
        )
    }

    fn with(vpc: &Vpc, task: TaskSource) -> Self {
        ApplicationLoadBalancedFargateServiceProps {
            task,
            cluster: None,
            cluster_props: ClusterProps::new(vpc),
            cluster_props_set: false,
            certificate: None,
            more_certificates: Vec::new(),
            domain: None,
            listener_port: None,
            ssl_policy: None,
            listener_open: None,
            redirect_http: true,
            load_balancer: ApplicationLoadBalancerProps::new(vpc)
                .scheme(LoadBalancerScheme::InternetFacing),
            target_group: TargetGroupProps::new(vpc),
            desired_count: 1,
            service_name: None,
            min_healthy_percent: None,
            max_healthy_percent: None,
            circuit_breaker: None,
            task_subnets: None,
            assign_public_ip: false,
            security_groups: Vec::new(),
            platform_version: None,
            health_check_grace_period: None,
            execute_command: false,
            propagate_tags: None,
            managed_tags: false,
        }
    }

    /// Runs the service in this cluster instead of a new one.
    pub fn cluster(mut self, cluster: &Cluster) -> Self {
        self.cluster = Some(cluster.clone());
        self
    }

    /// Options of the cluster the pattern makes ([`ClusterProps`]: name,
    /// Container Insights, ECS Exec logging). With a cluster of yours
    /// ([`cluster`](Self::cluster)) this is error `FW4802`.
    pub fn cluster_props(mut self, f: impl FnOnce(ClusterProps) -> ClusterProps) -> Self {
        self.cluster_props = f(self.cluster_props);
        self.cluster_props_set = true;
        self
    }

    /// Serves HTTPS with this certificate (and redirects HTTP on 80).
    pub fn certificate(mut self, certificate: &Certificate) -> Self {
        self.certificate = Some(certificate.clone());
        self
    }

    /// Another certificate of the HTTPS listener, chosen by SNI (may be
    /// given more than once). Without HTTPS this is error `FW4801`.
    pub fn additional_certificate(mut self, certificate: &Certificate) -> Self {
        self.more_certificates.push(certificate.clone());
        self
    }

    /// Serves the service at `name` (`api.example.com`, in `zone`): an
    /// alias A record to the load balancer (`<id>/DnsRecord`) and, unless
    /// a [`certificate`](Self::certificate) is given, a certificate for the
    /// name validated by DNS in the zone (`<id>/Certificate`), so the
    /// listener serves HTTPS.
    pub fn domain_name(mut self, name: impl Into<String>, zone: &HostedZone) -> Self {
        self.domain = Some((name.into(), zone.clone()));
        self
    }

    /// The HTTPS listener's TLS policy (default
    /// [`SslPolicy::Tls12AndTls13`]: TLS 1.2 and 1.3). Without HTTPS this is
    /// error `FW4801`.
    pub fn ssl_policy(mut self, policy: SslPolicy) -> Self {
        self.ssl_policy = Some(policy);
        self
    }

    /// Whether the listener's port is open to every address (default: on
    /// for an internet-facing load balancer, off for an internal one).
    pub fn listener_open(mut self, open: bool) -> Self {
        self.listener_open = Some(open);
        self
    }

    /// Any other option of the load balancer
    /// ([`ApplicationLoadBalancerProps`]: subnets, security group, name,
    /// idle timeout, deletion protection, access logs, IP address type,
    /// tags, …), applied after the scheme
    /// [`public_load_balancer`](Self::public_load_balancer) chose.
    pub fn load_balancer_props(
        mut self,
        f: impl FnOnce(ApplicationLoadBalancerProps) -> ApplicationLoadBalancerProps,
    ) -> Self {
        self.load_balancer = f(self.load_balancer);
        self
    }

    /// Any other option of the target group ([`TargetGroupProps`]:
    /// deregistration delay, stickiness, slow start, protocol version,
    /// name, tags, …). Its port is always the container port.
    pub fn target_group_props(
        mut self,
        f: impl FnOnce(TargetGroupProps) -> TargetGroupProps,
    ) -> Self {
        self.target_group = f(self.target_group);
        self
    }

    /// The listener's port (default 443 with a certificate, 80 without).
    pub fn listener_port(mut self, port: u16) -> Self {
        self.listener_port = Some(port);
        self
    }

    /// Whether port 80 redirects to the HTTPS listener when there is one
    /// (default on).
    pub fn redirect_http(mut self, redirect: bool) -> Self {
        self.redirect_http = redirect;
        self
    }

    /// Internet-facing in the public subnets (default), or internal in the
    /// private subnets (its listener is then open to nothing: allow clients
    /// with `load_balancer().connections()`).
    pub fn public_load_balancer(mut self, public: bool) -> Self {
        self.load_balancer = self.load_balancer.scheme(if public {
            LoadBalancerScheme::InternetFacing
        } else {
            LoadBalancerScheme::Internal
        });
        self
    }

    /// The target group's health check.
    pub fn health_check(mut self, health_check: HealthCheck) -> Self {
        self.target_group = self.target_group.health_check(health_check);
        self
    }

    /// How many tasks run (default 1).
    pub fn desired_count(mut self, count: u32) -> Self {
        self.desired_count = count;
        self
    }

    /// A fixed service name.
    pub fn service_name(mut self, name: impl Into<Str>) -> Self {
        self.service_name = Some(name.into());
        self
    }

    /// The deployment's minimum healthy percent (default 100).
    pub fn min_healthy_percent(mut self, percent: u32) -> Self {
        self.min_healthy_percent = Some(percent);
        self
    }

    /// The deployment's maximum percent (default 200).
    pub fn max_healthy_percent(mut self, percent: u32) -> Self {
        self.max_healthy_percent = Some(percent);
        self
    }

    /// The deployment circuit breaker (default: on, with rollback).
    pub fn circuit_breaker(mut self, breaker: CircuitBreaker) -> Self {
        self.circuit_breaker = Some(breaker);
        self
    }

    /// The subnets the tasks run in (default: the private ones).
    pub fn task_subnets(mut self, selection: impl Into<SubnetSelection>) -> Self {
        self.task_subnets = Some(selection.into());
        self
    }

    /// Gives the tasks public IPs (default off).
    pub fn assign_public_ip(mut self, assign: bool) -> Self {
        self.assign_public_ip = assign;
        self
    }

    /// A security group of the tasks instead of a new one (may be given
    /// more than once); the load balancer is let in on the container port.
    pub fn security_group(mut self, group: &SecurityGroup) -> Self {
        self.security_groups.push(group.clone());
        self
    }

    /// The Fargate platform version (default: ECS's).
    pub fn platform_version(mut self, version: FargatePlatformVersion) -> Self {
        self.platform_version = Some(version);
        self
    }

    /// Seconds ECS ignores failing load balancer health checks of a new
    /// task.
    pub fn health_check_grace_period_seconds(mut self, seconds: u32) -> Self {
        self.health_check_grace_period = Some(seconds);
        self
    }

    /// ECS Exec (`aws ecs execute-command`): the service allows it, the
    /// task role gets the `ssmmessages:` channel actions, and a cluster the
    /// pattern makes logs the sessions to a log group (`<id>/ExecLogs`,
    /// unless [`cluster_props`](Self::cluster_props) sets one) the task
    /// role may write to.
    pub fn enable_execute_command(mut self, on: bool) -> Self {
        self.execute_command = on;
        self
    }

    /// Which tags ECS copies onto the tasks (default: none).
    pub fn propagate_tags(mut self, from: PropagateTags) -> Self {
        self.propagate_tags = Some(from);
        self
    }

    /// ECS-managed tags on the tasks (`aws:ecs:clusterName`,
    /// `aws:ecs:serviceName`; default off).
    pub fn enable_ecs_managed_tags(mut self, on: bool) -> Self {
        self.managed_tags = on;
        self
    }
}

/// A Fargate service behind an Application Load Balancer (see the module
/// documentation). Parts are made below `scope/id`: `<id>/Cluster`,
/// `<id>/TaskDefinition`, `<id>/LoadBalancer` (with its `Https`/`Http`
/// listener and `Redirect80To443`), `<id>/TargetGroup`, `<id>/Service`.
#[derive(Clone, Debug)]
pub struct ApplicationLoadBalancedFargateService {
    scope: Scope,
    cluster: Cluster,
    task_definition: FargateTaskDefinition,
    container_name: String,
    container_port: u16,
    load_balancer: ApplicationLoadBalancer,
    listener: ApplicationListener,
    redirect_listener: Option<ApplicationListener>,
    target_group: ApplicationTargetGroup,
    service: FargateService,
    https: bool,
    certificate: Option<Certificate>,
    record: Option<Record>,
}

impl ApplicationLoadBalancedFargateService {
    /// Adds the pattern at `scope/id`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::ecs::ContainerImage;
    /// use formwork::patterns::{ApplicationLoadBalancedFargateService, ApplicationLoadBalancedFargateServiceProps, TaskImageOptions};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let web = ApplicationLoadBalancedFargateService::new(
    ///     &stack,
    ///     "Web",
    ///     ApplicationLoadBalancedFargateServiceProps::from_image(&vpc, TaskImageOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"), 80)),
    /// )?;
    /// assert_eq!(web.listener().port(), 80);
    /// assert!(web.redirect_listener().is_none());
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn new(
        scope: &Scope,
        id: &str,
        props: ApplicationLoadBalancedFargateServiceProps,
    ) -> Result<ApplicationLoadBalancedFargateService> {
        let node = scope.child(id)?;
        let cluster = match &props.cluster {
            Some(c) => {
                if props.cluster_props_set {
                    node.report(
                        Diagnostic::error(
                            codes::CLUSTER_OPTIONS,
                            node.path(),
                            format!(
                                "cluster options for the cluster {}, which the pattern does not make: they would be ignored",
                                c.scope().path()
                            ),
                        )
                        .property("Cluster")
                        .fix("set them where that cluster is made, or drop `cluster` to let the pattern make one"),
                    );
                }
                c.clone()
            }
            None => {
                let mut cp = props.cluster_props.clone();
                if props.execute_command && !props.cluster_props_set {
                    let logs = LogGroup::new(&node, "ExecLogs", LogGroupProps::new())?;
                    cp = cp.execute_command_logging(&logs);
                }
                Cluster::new(&node, "Cluster", cp)?
            }
        };
        let (task_definition, container_name, container_port) = match props.task {
            TaskSource::Definition {
                task,
                container,
                port,
            } => (task, container, port),
            TaskSource::Image(o) => {
                let mut tp = FargateTaskDefinitionProps::new()
                    .cpu(o.cpu)
                    .memory_mib(o.memory);
                if let Some(f) = o.family.clone() {
                    tp = tp.family(f);
                }
                if let Some(a) = o.cpu_architecture {
                    tp = tp.cpu_architecture(a);
                }
                if let Some(g) = o.ephemeral_storage_gib {
                    tp = tp.ephemeral_storage_gib(g);
                }
                let task = FargateTaskDefinition::new(&node, "TaskDefinition", tp)?;
                let mut container = o.container.clone();
                if !container.has_logging() {
                    container = container.logging(LogDriver::aws_logs(id));
                }
                task.add_container(&o.container_name, container)?;
                (task, o.container_name.clone(), o.container_port)
            }
        };

        let load_balancer =
            ApplicationLoadBalancer::new(&node, "LoadBalancer", props.load_balancer.clone())?;
        let target_group = ApplicationTargetGroup::new(
            &node,
            "TargetGroup",
            props.target_group.clone().port(container_port),
        )?;
        let certificate = match (&props.certificate, &props.domain) {
            (Some(c), _) => Some(c.clone()),
            (None, Some((name, zone))) => Some(Certificate::new(
                &node,
                "Certificate",
                CertificateProps::new(name.as_str()).hosted_zone(zone),
            )?),
            (None, None) => None,
        };
        let (listener, redirect_listener) = match &certificate {
            Some(cert) => {
                let port = props.listener_port.unwrap_or(443);
                let mut lp = ListenerProps::https(port, cert, &target_group);
                for c in &props.more_certificates {
                    lp = lp.certificate(c);
                }
                if let Some(p) = props.ssl_policy.clone() {
                    lp = lp.ssl_policy(p);
                }
                if let Some(o) = props.listener_open {
                    lp = lp.open(o);
                }
                let l = load_balancer.add_listener("Https", lp)?;
                let r = if props.redirect_http && port != 80 {
                    Some(load_balancer.add_redirect(80, port)?)
                } else {
                    None
                };
                (l, r)
            }
            None => {
                let tls_options = [
                    props
                        .ssl_policy
                        .as_ref()
                        .map(|p| format!("the TLS policy {}", p.as_str())),
                    (!props.more_certificates.is_empty())
                        .then(|| "additional certificates".to_owned()),
                ];
                for what in tls_options.into_iter().flatten() {
                    node.report(
                        Diagnostic::error(
                            codes::TLS_WITHOUT_HTTPS,
                            node.path(),
                            format!(
                                "{what}: an HTTPS listener's option, and this one serves HTTP (no certificate, no domain name)"
                            ),
                        )
                        .property("Listener")
                        .fix("give a certificate or a domain name, or drop the option"),
                    );
                }
                let port = props.listener_port.unwrap_or(80);
                let mut lp = ListenerProps::http(port, &target_group);
                if let Some(o) = props.listener_open {
                    lp = lp.open(o);
                }
                let l = load_balancer.add_listener("Http", lp)?;
                (l, None)
            }
        };
        let record = match &props.domain {
            Some((name, zone)) => Some(Record::new(
                &node,
                "DnsRecord",
                RecordProps::a(zone, AliasTarget::load_balancer(&load_balancer))
                    .record_name(name.as_str()),
            )?),
            None => None,
        };

        let mut sp =
            FargateServiceProps::new(&cluster, &task_definition).desired_count(props.desired_count);
        if let Some(n) = props.service_name.clone() {
            sp = sp.service_name(n);
        }
        if let Some(p) = props.min_healthy_percent {
            sp = sp.min_healthy_percent(p);
        }
        if let Some(p) = props.max_healthy_percent {
            sp = sp.max_healthy_percent(p);
        }
        if let Some(b) = props.circuit_breaker {
            sp = sp.circuit_breaker(b);
        }
        if let Some(sel) = props.task_subnets.clone() {
            sp = sp.vpc_subnets(sel);
        }
        if props.assign_public_ip {
            sp = sp.assign_public_ip(true);
        }
        for g in &props.security_groups {
            sp = sp.security_group(g);
        }
        if let Some(v) = props.platform_version.clone() {
            sp = sp.platform_version(v);
        }
        if let Some(g) = props.health_check_grace_period {
            sp = sp.health_check_grace_period_seconds(g);
        }
        if props.execute_command {
            sp = sp.enable_execute_command(true);
        }
        if let Some(t) = props.propagate_tags {
            sp = sp.propagate_tags(t);
        }
        if props.managed_tags {
            sp = sp.enable_ecs_managed_tags(true);
        }
        let service = FargateService::new(&node, "Service", sp)?;
        service.attach_to_target_group(&target_group, &container_name, container_port)?;
        Ok(ApplicationLoadBalancedFargateService {
            scope: node,
            cluster,
            task_definition,
            container_name,
            container_port,
            load_balancer,
            listener,
            redirect_listener,
            target_group,
            service,
            https: certificate.is_some(),
            certificate,
            record,
        })
    }

    /// The pattern's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The cluster (made here, or the one given).
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The task definition (made here, or the one given).
    pub fn task_definition(&self) -> &FargateTaskDefinition {
        &self.task_definition
    }

    /// The container the load balancer forwards to.
    pub fn container_name(&self) -> &str {
        &self.container_name
    }

    /// The port it forwards to.
    pub fn container_port(&self) -> u16 {
        self.container_port
    }

    /// The load balancer.
    pub fn load_balancer(&self) -> &ApplicationLoadBalancer {
        &self.load_balancer
    }

    /// The listener that forwards to the service (HTTPS with a certificate).
    pub fn listener(&self) -> &ApplicationListener {
        &self.listener
    }

    /// The HTTP listener that redirects to HTTPS, when there is one.
    pub fn redirect_listener(&self) -> Option<&ApplicationListener> {
        self.redirect_listener.as_ref()
    }

    /// The target group.
    pub fn target_group(&self) -> &ApplicationTargetGroup {
        &self.target_group
    }

    /// The service.
    pub fn service(&self) -> &FargateService {
        &self.service
    }

    /// The listener's certificate (given, or made for the domain name).
    pub fn certificate(&self) -> Option<&Certificate> {
        self.certificate.as_ref()
    }

    /// The alias record of the domain name, when there is one.
    pub fn dns_record(&self) -> Option<&Record> {
        self.record.as_ref()
    }

    /// `http(s)://<domain name or load balancer DNS name>[:port]`, for an
    /// output.
    pub fn url(&self) -> Expr {
        let scheme = if self.https { "https://" } else { "http://" };
        let port = self.listener.port();
        let default_port = if self.https { 443 } else { 80 };
        let host = match &self.record {
            Some(r) => Value::from(r.fqdn().trim_end_matches('.')),
            None => Value::from(self.load_balancer.dns_name()),
        };
        let mut parts = vec![Value::from(scheme), host];
        if port != default_port {
            parts.push(Value::from(format!(":{port}")));
        }
        Fn::concat(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use formwork_core::{App, Output, Stack};
    use formwork_l2::ecs::codes;
    use formwork_l2::ecs::{FargateTaskDefinitionProps, PortMapping};
    use serde_json::{Value as Json, json};
    use std::collections::BTreeSet;

    fn nginx() -> ContainerImage {
        ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27")
    }

    fn stack() -> (App, Stack, Vpc) {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let vpc = Vpc::new(&s, "Vpc", formwork_l2::ec2::VpcProps::new()).unwrap();
        (app, s, vpc)
    }

    fn group_ref(v: &Json) -> String {
        v["Fn::GetAtt"][0]
            .as_str()
            .map_or_else(|| v.to_string(), str::to_owned)
    }

    /// Every ingress rule: `group <- source port`.
    fn ingress(t: &Json) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (id, r) in t["Resources"].as_object().unwrap() {
            match r["Type"].as_str() {
                Some("AWS::EC2::SecurityGroup") => {
                    for i in r["Properties"]["SecurityGroupIngress"]
                        .as_array()
                        .into_iter()
                        .flatten()
                    {
                        out.insert(format!(
                            "{id} <- {} {}",
                            i["CidrIp"].as_str().unwrap(),
                            i["FromPort"]
                        ));
                    }
                }
                Some("AWS::EC2::SecurityGroupIngress") => {
                    let p = &r["Properties"];
                    out.insert(format!(
                        "{} <- {} {}",
                        group_ref(&p["GroupId"]),
                        group_ref(&p["SourceSecurityGroupId"]),
                        p["FromPort"]
                    ));
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn a_domain_name_gets_a_validated_certificate_and_an_alias_record() {
        let (app, s, vpc) = stack();
        let zone = HostedZone::new(
            &s,
            "Zone",
            formwork_l2::route53::HostedZoneProps::new("example.com"),
        )
        .unwrap();
        let web = ApplicationLoadBalancedFargateService::new(
            &s,
            "Web",
            ApplicationLoadBalancedFargateServiceProps::from_image(
                &vpc,
                TaskImageOptions::new(nginx(), 80),
            )
            .domain_name("api.example.com", &zone)
            .additional_certificate(
                &Certificate::from_parameter(&s, "LegacyCertificateArn").unwrap(),
            )
            .ssl_policy(SslPolicy::Tls13Only),
        )
        .unwrap();
        s.add_output("Url", Output::new(web.url())).unwrap();
        assert!(web.certificate().is_some() && web.dns_record().is_some());
        let asm = formwork_test_support::synth_and_lint(&app, "l3-alb-fargate-domain");
        let t = formwork_test_support::template(&asm, "S");
        let r = &t["Resources"];
        assert_eq!(
            r["WebCertificate"]["Properties"]["DomainValidationOptions"],
            json!([{"DomainName": "api.example.com", "HostedZoneId": {"Ref": "Zone"}}])
        );
        assert_eq!(r["WebCertificate"]["Properties"]["ValidationMethod"], "DNS");
        let https = &r["WebLoadBalancerHttps"]["Properties"];
        assert_eq!(
            https["Certificates"],
            json!([{"CertificateArn": {"Ref": "WebCertificate"}}])
        );
        assert_eq!(https["SslPolicy"], "ELBSecurityPolicy-TLS13-1-3-2021-06");
        let sni: Vec<&Json> = r
            .as_object()
            .unwrap()
            .values()
            .filter(|v| v["Type"] == "AWS::ElasticLoadBalancingV2::ListenerCertificate")
            .collect();
        assert_eq!(
            sni[0]["Properties"]["Certificates"],
            json!([{"CertificateArn": {"Ref": "LegacyCertificateArn"}}])
        );
        assert_eq!(
            r["WebDnsRecord"]["Properties"],
            json!({"AliasTarget": {
                    "DNSName": {"Fn::Sub": "dualstack.${WebLoadBalancer.DNSName}"},
                    "EvaluateTargetHealth": false,
                    "HostedZoneId": {"Fn::GetAtt": ["WebLoadBalancer", "CanonicalHostedZoneID"]}},
                   "HostedZoneId": {"Ref": "Zone"}, "Name": "api.example.com.", "Type": "A"})
        );
        assert_eq!(t["Outputs"]["Url"]["Value"], "https://api.example.com");
    }

    #[test]
    fn ecs_exec_tags_and_every_l2_option_pass_through() {
        let (app, s, vpc) = stack();
        let sg = formwork_l2::ec2::SecurityGroup::new(
            &s,
            "Tasks",
            formwork_l2::ec2::SecurityGroupProps::new(&vpc),
        )
        .unwrap();
        let web = ApplicationLoadBalancedFargateService::new(
            &s,
            "Web",
            ApplicationLoadBalancedFargateServiceProps::from_image(
                &vpc,
                TaskImageOptions::new(nginx(), 80)
                    .cpu_architecture(CpuArchitecture::Arm64)
                    .ephemeral_storage_gib(30)
                    .container_props(|c| c.readonly_root_filesystem(true)),
            )
            .enable_execute_command(true)
            .enable_ecs_managed_tags(true)
            .propagate_tags(PropagateTags::Service)
            .circuit_breaker(CircuitBreaker::DetectOnly)
            .platform_version(FargatePlatformVersion::Latest)
            .health_check_grace_period_seconds(60)
            .security_group(&sg)
            .listener_open(false)
            .cluster_props(|c| c.container_insights(formwork_l2::ecs::ContainerInsights::Enabled))
            .load_balancer_props(|l| l.idle_timeout_seconds(120).deletion_protection(true))
            .target_group_props(|t| t.deregistration_delay_seconds(10)),
        )
        .unwrap();
        assert!(web.cluster().execute_command_log_group().is_none());
        let asm = formwork_test_support::synth_and_lint(&app, "l3-alb-fargate-options");
        let t = formwork_test_support::template(&asm, "S");
        let r = &t["Resources"];
        let svc = &r["WebService"]["Properties"];
        assert_eq!(svc["EnableExecuteCommand"], true);
        assert_eq!(svc["EnableECSManagedTags"], true);
        assert_eq!(svc["PropagateTags"], "SERVICE");
        assert_eq!(svc["PlatformVersion"], "LATEST");
        assert_eq!(svc["HealthCheckGracePeriodSeconds"], 60);
        assert_eq!(
            svc["DeploymentConfiguration"]["DeploymentCircuitBreaker"]["Rollback"],
            false
        );
        assert_eq!(
            svc["NetworkConfiguration"]["AwsvpcConfiguration"]["SecurityGroups"],
            json!([{"Fn::GetAtt": ["Tasks", "GroupId"]}])
        );
        let task = &r["WebTaskDefinition"]["Properties"];
        assert_eq!(task["RuntimePlatform"]["CpuArchitecture"], "ARM64");
        assert_eq!(task["EphemeralStorage"]["SizeInGiB"], 30);
        assert_eq!(
            task["ContainerDefinitions"][0]["ReadonlyRootFilesystem"],
            true
        );
        assert_eq!(
            r["WebCluster"]["Properties"]["ClusterSettings"][0]["Value"],
            "enabled"
        );
        assert!(r["WebExecLogs"].is_null(), "cluster props given: theirs");
        let attrs = r["WebLoadBalancer"]["Properties"]["LoadBalancerAttributes"].to_string();
        assert!(
            attrs.contains("idle_timeout.timeout_seconds")
                && attrs.contains("deletion_protection.enabled")
        );
        assert!(
            r["WebTargetGroup"]["Properties"]["TargetGroupAttributes"]
                .to_string()
                .contains("deregistration_delay.timeout_seconds")
        );
        assert_eq!(
            ingress(&t),
            BTreeSet::from(["Tasks <- WebLoadBalancerSecurityGroup 80".to_owned()]),
            "listener_open(false): the load balancer is open to nothing"
        );

        let (app, s, vpc) = stack();
        ApplicationLoadBalancedFargateService::new(
            &s,
            "Web",
            ApplicationLoadBalancedFargateServiceProps::from_image(
                &vpc,
                TaskImageOptions::new(nginx(), 80),
            )
            .enable_execute_command(true),
        )
        .unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "l3-alb-fargate-exec");
        let t = formwork_test_support::template(&asm, "S");
        let r = &t["Resources"];
        assert_eq!(r["WebExecLogs"]["Type"], "AWS::Logs::LogGroup");
        assert_eq!(
            r["WebCluster"]["Properties"]["Configuration"]["ExecuteCommandConfiguration"],
            json!({"LogConfiguration": {"CloudWatchLogGroupName": {"Ref": "WebExecLogs"}}, "Logging": "OVERRIDE"})
        );
        let role = r["WebTaskDefinitionTaskRole"]["Properties"]["Policies"][0]["PolicyDocument"]
            ["Statement"]
            .to_string();
        for action in [
            "ssmmessages:CreateControlChannel",
            "ssmmessages:OpenDataChannel",
            "logs:PutLogEvents",
            "logs:DescribeLogGroups",
        ] {
            assert!(role.contains(action), "{action} in {role}");
        }
    }

    #[test]
    fn a_tls_policy_without_https_and_cluster_options_for_a_given_cluster_are_errors() {
        let (app, s, vpc) = stack();
        let cluster = Cluster::new(&s, "Cluster", ClusterProps::new(&vpc)).unwrap();
        ApplicationLoadBalancedFargateService::new(
            &s,
            "Web",
            ApplicationLoadBalancedFargateServiceProps::from_image(
                &vpc,
                TaskImageOptions::new(nginx(), 80),
            )
            .cluster(&cluster)
            .cluster_props(|c| c.cluster_name("ignored"))
            .ssl_policy(SslPolicy::Tls13Only)
            .additional_certificate(&Certificate::from_arn(
                "arn:aws:acm:us-east-1:123456789012:certificate/1",
            )),
        )
        .unwrap();
        let err = app.synth().unwrap_err();
        let d = err.diagnostics().unwrap();
        assert_eq!(d.with_code(super::codes::TLS_WITHOUT_HTTPS).count(), 2);
        let e = d.with_code(super::codes::CLUSTER_OPTIONS).next().unwrap();
        assert!(e.message.contains("S/Cluster"));
    }

    #[test]
    fn https_with_a_certificate_and_a_redirect_from_80() {
        let (app, s, vpc) = stack();
        let cert = Certificate::from_parameter(&s, "CertificateArn").unwrap();
        let web = ApplicationLoadBalancedFargateService::new(
            &s,
            "Web",
            ApplicationLoadBalancedFargateServiceProps::from_image(
                &vpc,
                TaskImageOptions::new(nginx(), 8080),
            )
            .certificate(&cert),
        )
        .unwrap();
        s.add_output("Url", Output::new(web.url())).unwrap();
        assert_eq!(web.listener().port(), 443);
        assert_eq!(web.redirect_listener().map(|l| l.port()), Some(80));
        assert_eq!((web.container_name(), web.container_port()), ("web", 8080));
        let asm = formwork_test_support::synth_and_lint(&app, "l3-alb-fargate-https");
        let t = formwork_test_support::template(&asm, "S");
        let r = &t["Resources"];
        assert_eq!(
            r["WebLoadBalancer"]["Properties"]["Scheme"],
            "internet-facing"
        );
        assert_eq!(
            r["WebLoadBalancer"]["Properties"]["Subnets"],
            json!([{"Ref": "VpcPublicSubnet1Subnet"}, {"Ref": "VpcPublicSubnet2Subnet"}])
        );
        assert_eq!(r["WebLoadBalancerHttps"]["Properties"]["Protocol"], "HTTPS");
        assert_eq!(
            r["WebLoadBalancerHttps"]["Properties"]["Certificates"],
            json!([{"CertificateArn": {"Ref": "CertificateArn"}}])
        );
        assert_eq!(
            r["WebLoadBalancerRedirect80To443"]["Properties"]["DefaultActions"][0]["RedirectConfig"]
                ["Port"],
            "443"
        );
        assert_eq!(
            r["WebTargetGroup"]["Properties"],
            json!({"Port": 8080, "Protocol": "HTTP", "TargetType": "ip", "VpcId": {"Ref": "Vpc"}})
        );
        let svc = &r["WebService"]["Properties"];
        assert_eq!(svc["Cluster"], json!({"Ref": "WebCluster"}));
        assert_eq!(
            svc["NetworkConfiguration"]["AwsvpcConfiguration"]["Subnets"],
            json!([{"Ref": "VpcPrivateSubnet1Subnet"}, {"Ref": "VpcPrivateSubnet2Subnet"}])
        );
        assert_eq!(
            svc["NetworkConfiguration"]["AwsvpcConfiguration"]["AssignPublicIp"],
            "DISABLED"
        );
        assert_eq!(
            svc["LoadBalancers"],
            json!([{"ContainerName": "web", "ContainerPort": 8080, "TargetGroupArn": {"Ref": "WebTargetGroup"}}])
        );
        assert!(
            r["WebService"]["DependsOn"]
                .as_array()
                .unwrap()
                .contains(&json!("WebLoadBalancerHttps"))
        );
        let c = &r["WebTaskDefinition"]["Properties"]["ContainerDefinitions"][0];
        assert_eq!(
            c["PortMappings"],
            json!([{"ContainerPort": 8080, "Protocol": "tcp"}])
        );
        assert_eq!(
            c["LogConfiguration"]["Options"]["awslogs-stream-prefix"],
            "Web"
        );
        let rules: Vec<String> = ingress(&t).into_iter().collect();
        assert_eq!(
            rules,
            [
                "WebLoadBalancerSecurityGroup <- 0.0.0.0/0 443",
                "WebLoadBalancerSecurityGroup <- 0.0.0.0/0 80",
                "WebServiceSecurityGroup <- WebLoadBalancerSecurityGroup 8080",
            ]
        );
        assert_eq!(
            t["Outputs"]["Url"]["Value"],
            json!({"Fn::Sub": "https://${WebLoadBalancer.DNSName}"})
        );
    }

    #[test]
    fn http_without_a_certificate_in_a_given_cluster() {
        let (app, s, vpc) = stack();
        let cluster = Cluster::new(&s, "Shared", ClusterProps::new(&vpc)).unwrap();
        let web = ApplicationLoadBalancedFargateService::new(
            &s,
            "Web",
            ApplicationLoadBalancedFargateServiceProps::from_image(
                &vpc,
                TaskImageOptions::new(nginx(), 80)
                    .container_name("nginx")
                    .family("web")
                    .cpu(512)
                    .memory_mib(1024)
                    .environment("MODE", "test")
                    .logging(LogDriver::aws_logs("nginx")),
            )
            .cluster(&cluster)
            .listener_port(8080)
            .desired_count(2)
            .service_name("web")
            .min_healthy_percent(50)
            .max_healthy_percent(100)
            .health_check(HealthCheck::new().path("/health").interval_seconds(15)),
        )
        .unwrap();
        s.add_output("Url", Output::new(web.url())).unwrap();
        assert!(web.redirect_listener().is_none());
        assert_eq!(web.cluster().cfn().logical_id(), "Shared");
        assert_eq!(web.task_definition().cpu(), 512);
        assert_eq!(web.service().cfn().logical_id(), "WebService");
        assert_eq!(web.target_group().port(), Some(80));
        assert_eq!(web.load_balancer().cfn().logical_id(), "WebLoadBalancer");
        assert_eq!(web.scope().path(), "S/Web");
        let asm = formwork_test_support::synth_and_lint(&app, "l3-alb-fargate-http");
        let t = formwork_test_support::template(&asm, "S");
        let r = &t["Resources"];
        assert!(r["WebCluster"].is_null());
        assert_eq!(r["WebLoadBalancerHttp"]["Properties"]["Port"], 8080);
        assert_eq!(r["WebLoadBalancerHttp"]["Properties"]["Protocol"], "HTTP");
        assert_eq!(
            r["WebTargetGroup"]["Properties"]["HealthCheckPath"],
            "/health"
        );
        assert_eq!(
            r["WebTargetGroup"]["Properties"]["HealthCheckIntervalSeconds"],
            15
        );
        let svc = &r["WebService"]["Properties"];
        assert_eq!(
            (svc["DesiredCount"].as_i64(), svc["ServiceName"].as_str()),
            (Some(2), Some("web"))
        );
        assert_eq!(svc["DeploymentConfiguration"]["MinimumHealthyPercent"], 50);
        assert_eq!(svc["DeploymentConfiguration"]["MaximumPercent"], 100);
        let td = &r["WebTaskDefinition"]["Properties"];
        assert_eq!(td["Family"], "web");
        assert_eq!(td["ContainerDefinitions"][0]["Name"], "nginx");
        assert_eq!(
            td["ContainerDefinitions"][0]["Environment"],
            json!([{"Name": "MODE", "Value": "test"}])
        );
        let rules: Vec<String> = ingress(&t).into_iter().collect();
        assert_eq!(
            rules,
            [
                "WebLoadBalancerSecurityGroup <- 0.0.0.0/0 8080",
                "WebServiceSecurityGroup <- WebLoadBalancerSecurityGroup 80"
            ]
        );
        assert_eq!(
            t["Outputs"]["Url"]["Value"],
            json!({"Fn::Sub": "http://${WebLoadBalancer.DNSName}:8080"})
        );
    }

    #[test]
    fn a_task_definition_of_yours_and_an_internal_load_balancer() {
        let (app, s, vpc) = stack();
        let task =
            FargateTaskDefinition::new(&s, "Task", FargateTaskDefinitionProps::new()).unwrap();
        task.add_container(
            "app",
            ContainerProps::new(nginx()).port_mapping(PortMapping::tcp(8501)),
        )
        .unwrap();
        let web = ApplicationLoadBalancedFargateService::new(
            &s,
            "Web",
            ApplicationLoadBalancedFargateServiceProps::from_task_definition(
                &vpc, &task, "app", 8501,
            )
            .public_load_balancer(false),
        )
        .unwrap();
        assert_eq!(web.task_definition().cfn().logical_id(), "Task");
        let asm = formwork_test_support::synth_and_lint(&app, "l3-alb-fargate-internal");
        let t = formwork_test_support::template(&asm, "S");
        assert_eq!(
            t["Resources"]["WebLoadBalancer"]["Properties"]["Scheme"],
            "internal"
        );
        assert!(t["Resources"]["WebTaskDefinition"].is_null());
        let rules: Vec<String> = ingress(&t).into_iter().collect();
        assert_eq!(
            rules,
            ["WebServiceSecurityGroup <- WebLoadBalancerSecurityGroup 8501"]
        );
    }

    #[test]
    fn a_container_port_the_task_does_not_map_is_an_error() {
        let (app, s, vpc) = stack();
        let task =
            FargateTaskDefinition::new(&s, "Task", FargateTaskDefinitionProps::new()).unwrap();
        task.add_container(
            "app",
            ContainerProps::new(nginx()).port_mapping(PortMapping::tcp(8501)),
        )
        .unwrap();
        ApplicationLoadBalancedFargateService::new(
            &s,
            "Web",
            ApplicationLoadBalancedFargateServiceProps::from_task_definition(
                &vpc, &task, "app", 8000,
            ),
        )
        .unwrap();
        let err = app.synth().unwrap_err();
        let d = err.diagnostics().unwrap();
        let e = d.with_code(codes::TARGET_GROUP).next().unwrap();
        assert_eq!(e.path, "S/Web/Service");
        assert_eq!(
            e.message,
            "the container `app` does not map TCP port 8000; its ports: 8501"
        );
    }

    #[test]
    fn fargate_sizes_are_checked_for_image_tasks() {
        let (app, s, vpc) = stack();
        ApplicationLoadBalancedFargateService::new(
            &s,
            "Web",
            ApplicationLoadBalancedFargateServiceProps::from_image(
                &vpc,
                TaskImageOptions::new(nginx(), 80).cpu(512).memory_mib(512),
            ),
        )
        .unwrap();
        let err = app.synth().unwrap_err();
        let d = err.diagnostics().unwrap();
        let e = d.with_code(codes::FARGATE_MEMORY).next().unwrap();
        assert_eq!(e.path, "S/Web/TaskDefinition");
    }
}
