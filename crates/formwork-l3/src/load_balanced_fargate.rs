//! A Fargate service behind an Application Load Balancer, wired in one
//! call: the cluster (or yours), the task definition (or yours), the load
//! balancer in the public subnets with its listener (HTTPS on 443 and a
//! redirect from 80 when a certificate is given, HTTP on 80 otherwise), the
//! target group with its health check, and the service in the private
//! subnets, reachable on its container port from the load balancer only.
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
//! use formwork_core::App;
//! use formwork_l2::certificatemanager::Certificate;
//! use formwork_l2::ec2::{Vpc, VpcProps};
//! use formwork_l2::ecs::ContainerImage;
//! use formwork_l3::load_balanced_fargate::{
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
//! # Ok::<(), formwork_core::Error>(())
//! ```

use formwork_core::typed::Str;
use formwork_core::{Expr, Fn, Result, Scope, Value};
use formwork_l2::certificatemanager::Certificate;
use formwork_l2::ec2::Vpc;
use formwork_l2::ecs::{
    Cluster, ClusterProps, ContainerImage, ContainerProps, FargateService, FargateServiceProps,
    FargateTaskDefinition, FargateTaskDefinitionProps, LogDriver, PortMapping, Secret,
};
use formwork_l2::elasticloadbalancingv2::{
    ApplicationListener, ApplicationLoadBalancer, ApplicationLoadBalancerProps,
    ApplicationTargetGroup, HealthCheck, ListenerProps, LoadBalancerScheme, TargetGroupProps,
};

/// The task of a pattern made from an image: one container, `web` by
/// default, listening on `container_port`.
///
/// Defaults: 256 cpu units and 512 MiB; no environment, no secret; logs
/// with `awslogs` into a log group made for the container (stream prefix:
/// the pattern's id).
///
/// ```
/// use formwork_core::Pseudo;
/// use formwork_l2::ecs::ContainerImage;
/// use formwork_l3::load_balanced_fargate::TaskImageOptions;
/// let options = TaskImageOptions::new(ContainerImage::from_registry("public.ecr.aws/nginx/nginx:1.27"), 80)
///     .container_name("nginx")
///     .cpu(512)
///     .memory_mib(1024)
///     .environment("AWS_REGION", Pseudo::Region);
/// # let _ = options;
/// ```
#[derive(Clone, Debug)]
pub struct TaskImageOptions {
    image: ContainerImage,
    container_port: u16,
    container_name: String,
    family: Option<Str>,
    cpu: u32,
    memory: u32,
    environment: Vec<(String, Str)>,
    secrets: Vec<(String, Secret)>,
    logging: Option<LogDriver>,
}

impl TaskImageOptions {
    /// A container `web` running `image`, listening on `container_port`.
    pub fn new(image: ContainerImage, container_port: u16) -> Self {
        TaskImageOptions {
            image,
            container_port,
            container_name: "web".to_owned(),
            family: None,
            cpu: 256,
            memory: 512,
            environment: Vec::new(),
            secrets: Vec::new(),
            logging: None,
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

    /// Adds an environment variable (a literal or a reference).
    pub fn environment(mut self, name: impl Into<String>, value: impl Into<Str>) -> Self {
        self.environment.push((name.into(), value.into()));
        self
    }

    /// Adds a secret environment variable.
    pub fn secret(mut self, name: impl Into<String>, secret: Secret) -> Self {
        self.secrets.push((name.into(), secret));
        self
    }

    /// The container's logging (default `awslogs` into a new log group).
    pub fn logging(mut self, driver: LogDriver) -> Self {
        self.logging = Some(driver);
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
/// use formwork_core::App;
/// use formwork_l2::ec2::{Vpc, VpcProps};
/// use formwork_l2::ecs::{ContainerImage, FargateTaskDefinition, FargateTaskDefinitionProps};
/// use formwork_l2::elasticloadbalancingv2::HealthCheck;
/// use formwork_l3::load_balanced_fargate::ApplicationLoadBalancedFargateServiceProps;
/// let app = App::new();
/// let stack = app.stack("Web")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let task = FargateTaskDefinition::new(&stack, "TaskDefinition", FargateTaskDefinitionProps::new())?;
/// let props = ApplicationLoadBalancedFargateServiceProps::from_task_definition(&vpc, &task, "app", 8080)
///     .listener_port(8080)
///     .desired_count(2)
///     .health_check(HealthCheck::new().path("/health").interval_seconds(15));
/// # let _ = props;
/// # Ok::<(), formwork_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ApplicationLoadBalancedFargateServiceProps {
    vpc: Vpc,
    task: TaskSource,
    cluster: Option<Cluster>,
    certificate: Option<Certificate>,
    listener_port: Option<u16>,
    redirect_http: bool,
    public_load_balancer: bool,
    health_check: Option<HealthCheck>,
    desired_count: u32,
    service_name: Option<Str>,
    min_healthy_percent: Option<u32>,
    max_healthy_percent: Option<u32>,
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
            vpc: vpc.clone(),
            task,
            cluster: None,
            certificate: None,
            listener_port: None,
            redirect_http: true,
            public_load_balancer: true,
            health_check: None,
            desired_count: 1,
            service_name: None,
            min_healthy_percent: None,
            max_healthy_percent: None,
        }
    }

    /// Runs the service in this cluster instead of a new one.
    pub fn cluster(mut self, cluster: &Cluster) -> Self {
        self.cluster = Some(cluster.clone());
        self
    }

    /// Serves HTTPS with this certificate (and redirects HTTP on 80).
    pub fn certificate(mut self, certificate: &Certificate) -> Self {
        self.certificate = Some(certificate.clone());
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
        self.public_load_balancer = public;
        self
    }

    /// The target group's health check.
    pub fn health_check(mut self, health_check: HealthCheck) -> Self {
        self.health_check = Some(health_check);
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
}

impl ApplicationLoadBalancedFargateService {
    /// Adds the pattern at `scope/id`.
    ///
    /// ```
    /// use formwork_core::App;
    /// use formwork_l2::ec2::{Vpc, VpcProps};
    /// use formwork_l2::ecs::ContainerImage;
    /// use formwork_l3::load_balanced_fargate::{ApplicationLoadBalancedFargateService, ApplicationLoadBalancedFargateServiceProps, TaskImageOptions};
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
    /// # Ok::<(), formwork_core::Error>(())
    /// ```
    #[track_caller]
    pub fn new(
        scope: &Scope,
        id: &str,
        props: ApplicationLoadBalancedFargateServiceProps,
    ) -> Result<ApplicationLoadBalancedFargateService> {
        let node = scope.child(id)?;
        let vpc = props.vpc.clone();
        let cluster = match &props.cluster {
            Some(c) => c.clone(),
            None => Cluster::new(&node, "Cluster", ClusterProps::new(&vpc))?,
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
                let task = FargateTaskDefinition::new(&node, "TaskDefinition", tp)?;
                let mut container = ContainerProps::new(o.image.clone())
                    .port_mapping(PortMapping::tcp(o.container_port))
                    .logging(o.logging.clone().unwrap_or_else(|| LogDriver::aws_logs(id)));
                for (k, v) in &o.environment {
                    container = container.environment(k.as_str(), v.clone());
                }
                for (k, s) in &o.secrets {
                    container = container.secret(k.as_str(), s.clone());
                }
                task.add_container(&o.container_name, container)?;
                (task, o.container_name.clone(), o.container_port)
            }
        };

        let scheme = if props.public_load_balancer {
            LoadBalancerScheme::InternetFacing
        } else {
            LoadBalancerScheme::Internal
        };
        let load_balancer = ApplicationLoadBalancer::new(
            &node,
            "LoadBalancer",
            ApplicationLoadBalancerProps::new(&vpc).scheme(scheme),
        )?;
        let mut tg_props = TargetGroupProps::new(&vpc).port(container_port);
        if let Some(hc) = props.health_check.clone() {
            tg_props = tg_props.health_check(hc);
        }
        let target_group = ApplicationTargetGroup::new(&node, "TargetGroup", tg_props)?;
        let (listener, redirect_listener) = match &props.certificate {
            Some(cert) => {
                let port = props.listener_port.unwrap_or(443);
                let l = load_balancer
                    .add_listener("Https", ListenerProps::https(port, cert, &target_group))?;
                let r = if props.redirect_http && port != 80 {
                    Some(load_balancer.add_redirect(80, port)?)
                } else {
                    None
                };
                (l, r)
            }
            None => {
                let port = props.listener_port.unwrap_or(80);
                let l =
                    load_balancer.add_listener("Http", ListenerProps::http(port, &target_group))?;
                (l, None)
            }
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
            https: props.certificate.is_some(),
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

    /// `http(s)://<load balancer DNS name>[:port]`, for an output.
    pub fn url(&self) -> Expr {
        let scheme = if self.https { "https://" } else { "http://" };
        let port = self.listener.port();
        let default_port = if self.https { 443 } else { 80 };
        let mut parts = vec![
            Value::from(scheme),
            Value::from(self.load_balancer.dns_name()),
        ];
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
