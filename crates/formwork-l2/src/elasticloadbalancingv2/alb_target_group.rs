//! ApplicationTargetGroup: where an Application Load Balancer sends
//! requests, and how it checks the targets' health.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, ResourceRef, Result, Scope, Value};
use formwork_l1::elasticloadbalancingv2::{CfnTargetGroup, CfnTargetGroupRef, target_group};

use super::alb_listener::ApplicationProtocol;
use super::codes;
use crate::ec2::{Connectable, Connections, Port, Vpc};

/// What the targets of a group are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TargetType {
    /// IP addresses (`ip`): Fargate tasks and every `awsvpc` task.
    #[default]
    Ip,
    /// EC2 instance ids (`instance`).
    Instance,
    /// One Lambda function (`lambda`): no port, protocol or VPC.
    Lambda,
}

impl TargetType {
    /// The CloudFormation spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetType::Ip => "ip",
            TargetType::Instance => "instance",
            TargetType::Lambda => "lambda",
        }
    }

    fn cfn(self) -> target_group::TargetType {
        match self {
            TargetType::Ip => target_group::TargetType::Ip,
            TargetType::Instance => target_group::TargetType::Instance,
            TargetType::Lambda => target_group::TargetType::Lambda,
        }
    }
}

/// The HTTP version the load balancer speaks to the targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProtocolVersion {
    /// HTTP/1.1 (the default).
    Http1,
    /// HTTP/2.
    Http2,
    /// gRPC (health check success codes are gRPC codes).
    Grpc,
}

impl ProtocolVersion {
    /// The CloudFormation spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ProtocolVersion::Http1 => "HTTP1",
            ProtocolVersion::Http2 => "HTTP2",
            ProtocolVersion::Grpc => "GRPC",
        }
    }
}

/// The port health checks go to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum HealthCheckPort {
    /// The port each target receives traffic on (`traffic-port`).
    #[default]
    TrafficPort,
    /// A fixed port.
    Port(u16),
}

/// How the load balancer checks that a target is healthy.
///
/// Unset values are Elastic Load Balancing's defaults: path `/`, every 30 s
/// (35 s for Lambda), timeout 5 s (30 s for Lambda), 5 successes to become
/// healthy, 2 failures to become unhealthy, success code `200`, the traffic
/// port and protocol. Checked (`FW3108`): the timeout is shorter than the
/// interval, the ranges below, the path starts with `/`, success codes are
/// codes or ranges of 200 to 499 (`"200"`, `"200,204"`, `"200-399"`).
///
/// ```
/// use formwork::elasticloadbalancingv2::HealthCheck;
/// let hc = HealthCheck::new()
///     .path("/health")
///     .interval_seconds(30)
///     .timeout_seconds(5)
///     .healthy_threshold(2)
///     .healthy_http_codes("200-399");
/// # let _ = hc;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HealthCheck {
    enabled: Option<bool>,
    path: Option<String>,
    interval: Option<u32>,
    timeout: Option<u32>,
    healthy: Option<u32>,
    unhealthy: Option<u32>,
    http_codes: Option<String>,
    grpc_codes: Option<String>,
    port: Option<HealthCheckPort>,
    protocol: Option<ApplicationProtocol>,
}

impl HealthCheck {
    /// Elastic Load Balancing's defaults.
    pub fn new() -> Self {
        HealthCheck::default()
    }

    /// Switches health checks on or off (Lambda target groups have them
    /// off unless a health check is given).
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = Some(enabled);
        self
    }

    /// The path requested (starts with `/`).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Seconds between checks of one target (5 to 300).
    pub fn interval_seconds(mut self, seconds: u32) -> Self {
        self.interval = Some(seconds);
        self
    }

    /// Seconds without an answer that make a check fail (2 to 120, shorter
    /// than the interval).
    pub fn timeout_seconds(mut self, seconds: u32) -> Self {
        self.timeout = Some(seconds);
        self
    }

    /// Successes in a row that make an unhealthy target healthy (2 to 10).
    pub fn healthy_threshold(mut self, count: u32) -> Self {
        self.healthy = Some(count);
        self
    }

    /// Failures in a row that make a healthy target unhealthy (2 to 10).
    pub fn unhealthy_threshold(mut self, count: u32) -> Self {
        self.unhealthy = Some(count);
        self
    }

    /// The HTTP codes that mean healthy: `"200"`, `"200,204"` or
    /// `"200-399"`, within 200 to 499.
    pub fn healthy_http_codes(mut self, codes: impl Into<String>) -> Self {
        self.http_codes = Some(codes.into());
        self
    }

    /// The gRPC codes that mean healthy (`"0"`, `"0-99"`), for the
    /// [`ProtocolVersion::Grpc`] protocol version.
    pub fn healthy_grpc_codes(mut self, codes: impl Into<String>) -> Self {
        self.grpc_codes = Some(codes.into());
        self
    }

    /// The port checked (default: the traffic port).
    pub fn port(mut self, port: HealthCheckPort) -> Self {
        self.port = Some(port);
        self
    }

    /// The protocol of the checks (default: the target group's).
    pub fn protocol(mut self, protocol: ApplicationProtocol) -> Self {
        self.protocol = Some(protocol);
        self
    }
}

/// Sticky sessions: requests of one client go to the same target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stickiness {
    /// A cookie made by the load balancer (`AWSALB`), for this many seconds
    /// (1 to 604800).
    LoadBalancerCookie {
        /// How long a client sticks to its target.
        duration_seconds: u32,
    },
    /// The application's own cookie, for this many seconds (1 to 604800).
    ApplicationCookie {
        /// The cookie's name (not starting with `AWSALB`, `AWSALBAPP` or
        /// `AWSALBTG`, which the load balancer keeps for itself).
        cookie_name: String,
        /// How long a client sticks to its target.
        duration_seconds: u32,
    },
}

impl Stickiness {
    /// A load-balancer cookie lasting `duration_seconds`.
    pub fn lb_cookie(duration_seconds: u32) -> Stickiness {
        Stickiness::LoadBalancerCookie { duration_seconds }
    }

    /// The application's cookie `cookie_name`, sticking for `duration_seconds`.
    pub fn app_cookie(cookie_name: impl Into<String>, duration_seconds: u32) -> Stickiness {
        Stickiness::ApplicationCookie {
            cookie_name: cookie_name.into(),
            duration_seconds,
        }
    }
}

/// What an [`ApplicationTargetGroup`] is made with.
///
/// [`TargetGroupProps::new`] makes a group of **IP** targets (what Fargate
/// tasks register as) in a VPC, HTTP on port 80 unless
/// [`port`](TargetGroupProps::port) / [`protocol`](TargetGroupProps::protocol)
/// say otherwise; [`TargetGroupProps::lambda`] a group for one Lambda
/// function, which has no port, protocol or VPC (`FW3109` when one is set).
/// Deregistration delay, stickiness and slow start are left at Elastic Load
/// Balancing's defaults (300 s, off, off) unless set.
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{Vpc, VpcProps};
/// use formwork::elasticloadbalancingv2::{HealthCheck, Stickiness, TargetGroupProps};
/// let app = App::new();
/// let stack = app.stack("Web")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let props = TargetGroupProps::new(&vpc)
///     .port(8501)
///     .health_check(HealthCheck::new().path("/").interval_seconds(30))
///     .deregistration_delay_seconds(30)
///     .stickiness(Stickiness::lb_cookie(3600));
/// # let _ = props;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct TargetGroupProps {
    vpc: Option<Vpc>,
    port: Option<u16>,
    protocol: Option<ApplicationProtocol>,
    target_type: TargetType,
    protocol_version: Option<ProtocolVersion>,
    health_check: Option<HealthCheck>,
    deregistration_delay: Option<u32>,
    stickiness: Option<Stickiness>,
    slow_start: Option<u32>,
    name: Option<Str>,
    tags: Vec<(String, String)>,
}

impl TargetGroupProps {
    /// IP targets in `vpc`, HTTP on port 80 until set otherwise.
    pub fn new(vpc: &Vpc) -> Self {
        TargetGroupProps {
            vpc: Some(vpc.clone()),
            ..TargetGroupProps::lambda()
        }
        .target_type(TargetType::Ip)
    }

    /// A group for one Lambda function.
    pub fn lambda() -> Self {
        TargetGroupProps {
            vpc: None,
            port: None,
            protocol: None,
            target_type: TargetType::Lambda,
            protocol_version: None,
            health_check: None,
            deregistration_delay: None,
            stickiness: None,
            slow_start: None,
            name: None,
            tags: Vec::new(),
        }
    }

    /// The port targets receive traffic on (default: the protocol's, 80 or 443).
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// The protocol to the targets (default HTTP).
    pub fn protocol(mut self, protocol: ApplicationProtocol) -> Self {
        self.protocol = Some(protocol);
        self
    }

    /// The kind of targets (default [`TargetType::Ip`] for
    /// [`TargetGroupProps::new`]).
    pub fn target_type(mut self, target_type: TargetType) -> Self {
        self.target_type = target_type;
        self
    }

    /// The HTTP version to the targets (default HTTP/1.1).
    pub fn protocol_version(mut self, version: ProtocolVersion) -> Self {
        self.protocol_version = Some(version);
        self
    }

    /// The health check.
    pub fn health_check(mut self, health_check: HealthCheck) -> Self {
        self.health_check = Some(health_check);
        self
    }

    /// Seconds a deregistering target keeps its in-flight requests (0 to
    /// 3600; default 300). Shorter makes deployments faster.
    pub fn deregistration_delay_seconds(mut self, seconds: u32) -> Self {
        self.deregistration_delay = Some(seconds);
        self
    }

    /// Sticky sessions (default off).
    pub fn stickiness(mut self, stickiness: Stickiness) -> Self {
        self.stickiness = Some(stickiness);
        self
    }

    /// Seconds over which a new target's share of requests ramps up (30 to
    /// 900; default off).
    pub fn slow_start_seconds(mut self, seconds: u32) -> Self {
        self.slow_start = Some(seconds);
        self
    }

    /// A fixed name (checked, `FW3110`). Leave it unset so that the group
    /// can be replaced: a name forbids two groups existing at once.
    pub fn target_group_name(mut self, name: impl Into<Str>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

/// A load balancer that forwards to a group: its connections, and a key.
struct LoadBalancerUse {
    key: String,
    connections: Connections,
}

/// Targets with security groups that receive the group's traffic.
struct Receiver {
    connections: Connections,
    ports: Vec<Port>,
}

#[derive(Default)]
struct State {
    /// Listeners and rules that forward to the group.
    users: Vec<ResourceRef>,
    /// Resources that must wait for `users`.
    dependents: Vec<ResourceRef>,
    load_balancers: Vec<LoadBalancerUse>,
    receivers: Vec<Receiver>,
    targets: Vec<target_group::TargetDescription>,
}

struct Inner {
    node: Scope,
    cfn: CfnTargetGroupRef,
    target_type: TargetType,
    port: Option<u16>,
    protocol: Option<ApplicationProtocol>,
    health_check_port: Option<u16>,
    vpc_id: Option<Str>,
    state: RefCell<State>,
}

/// A target group of an Application Load Balancer.
///
/// Listeners forward to it with [`super::ListenerAction::forward`] (or by
/// passing `&target_group` where an action is asked for). Targets join it
/// by naming it (an ECS service's `LoadBalancers`), see the module
/// documentation for the calls a service makes; fixed targets with
/// [`ApplicationTargetGroup::add_target`].
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{Vpc, VpcProps};
/// use formwork::elasticloadbalancingv2::{ApplicationTargetGroup, HealthCheck, TargetGroupProps, TargetType};
/// let app = App::new();
/// let stack = app.stack("Weather")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let tg = ApplicationTargetGroup::new(
///     &stack,
///     "AppTargets",
///     TargetGroupProps::new(&vpc).port(8501).health_check(HealthCheck::new().path("/").interval_seconds(30)),
/// )?;
/// assert_eq!(tg.target_type(), TargetType::Ip);
/// assert_eq!(tg.port(), Some(8501));
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone)]
pub struct ApplicationTargetGroup {
    inner: Rc<Inner>,
}

impl fmt::Debug for ApplicationTargetGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApplicationTargetGroup")
            .field("path", &self.inner.node.path())
            .field("target_type", &self.inner.target_type)
            .field("port", &self.inner.port)
            .finish()
    }
}

/// Why a literal load balancer or target group name is refused, if it is.
pub(crate) fn name_problem(name: &str, load_balancer: bool) -> Option<String> {
    if name.is_empty() || name.len() > 32 {
        return Some(format!(
            "the name `{name}` has {} characters; allowed: 1 to 32",
            name.len()
        ));
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Some(format!(
            "the name `{name}` has characters Elastic Load Balancing refuses; allowed: letters, digits and hyphens"
        ));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some(format!("the name `{name}` starts or ends with a hyphen"));
    }
    if load_balancer && name.to_ascii_lowercase().starts_with("internal-") {
        return Some(format!(
            "the name `{name}` starts with `internal-`, which Elastic Load Balancing keeps for internal load balancers' DNS names"
        ));
    }
    None
}

/// Reports `FW3110` for a literal name Elastic Load Balancing refuses.
pub(crate) fn check_name(node: &Scope, property: &str, name: &Str, load_balancer: bool) -> bool {
    let Some(text) = Value::from(name.clone()).as_str().map(str::to_owned) else {
        return true;
    };
    match name_problem(&text, load_balancer) {
        Some(msg) => {
            node.report(
                Diagnostic::error(codes::NAME, node.path(), msg)
                    .property(property)
                    .fix("leave the name unset: CloudFormation generates a unique one"),
            );
            false
        }
        None => true,
    }
}

/// Checks success codes: `"200"`, `"200,202"`, `"200-299"` within `lo..=hi`.
fn codes_problem(text: &str, lo: u32, hi: u32) -> Option<String> {
    let bad = || {
        Some(format!(
            "the success codes `{text}` are not codes or a range of {lo} to {hi} (`{lo}`, `{lo},{}`, `{lo}-{hi}`)",
            lo + 1
        ))
    };
    let parse = |s: &str| {
        s.trim()
            .parse::<u32>()
            .ok()
            .filter(|v| (lo..=hi).contains(v))
    };
    if let Some((a, b)) = text.split_once('-') {
        match (parse(a), parse(b)) {
            (Some(a), Some(b)) if a <= b => None,
            _ => bad(),
        }
    } else if text.split(',').all(|c| parse(c).is_some()) {
        None
    } else {
        bad()
    }
}

/// An allowed range, for messages: what, bounds, unit.
struct Range(&'static str, u32, u32, &'static str);

/// `v` when it is in range; otherwise reports it and gives `None`.
fn check_range(
    node: &Scope,
    code: &'static str,
    property: &str,
    range: Range,
    v: Option<u32>,
) -> Option<u32> {
    let Range(what, lo, hi, unit) = range;
    let v = v?;
    if (lo..=hi).contains(&v) {
        Some(v)
    } else {
        node.error(
            code,
            property,
            format!("{what} {v}{unit} is out of range; allowed: {lo} to {hi}{unit}"),
        );
        None
    }
}

impl ApplicationTargetGroup {
    /// Adds a target group at `scope/id`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::elasticloadbalancingv2::{ApplicationTargetGroup, TargetGroupProps};
    /// let app = App::new();
    /// let stack = app.stack("Api")?;
    /// let tg = ApplicationTargetGroup::new(&stack, "FunctionTargets", TargetGroupProps::lambda())?;
    /// assert_eq!(tg.port(), None);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: TargetGroupProps) -> Result<ApplicationTargetGroup> {
        let node = scope.child(id)?;
        let lambda = props.target_type == TargetType::Lambda;
        let hc = props.health_check.clone().unwrap_or_default();
        let mut cfn = CfnTargetGroup::new().target_type(props.target_type.cfn());
        let (mut port, mut protocol, mut vpc_id) = (None, None, None);
        if lambda {
            let not_for_lambda = [
                (props.port.is_some(), "Port", "a port"),
                (props.protocol.is_some(), "Protocol", "a protocol"),
                (props.vpc.is_some(), "VpcId", "a VPC"),
                (
                    props.protocol_version.is_some(),
                    "ProtocolVersion",
                    "a protocol version",
                ),
                (hc.port.is_some(), "HealthCheckPort", "a health check port"),
                (
                    hc.protocol.is_some(),
                    "HealthCheckProtocol",
                    "a health check protocol",
                ),
                (
                    props.deregistration_delay.is_some(),
                    "TargetGroupAttributes",
                    "a deregistration delay",
                ),
                (
                    props.stickiness.is_some(),
                    "TargetGroupAttributes",
                    "stickiness",
                ),
                (
                    props.slow_start.is_some(),
                    "TargetGroupAttributes",
                    "slow start",
                ),
            ];
            for (set, property, what) in not_for_lambda {
                if set {
                    node.report(
                        Diagnostic::error(
                            codes::TARGET_GROUP,
                            node.path(),
                            format!(
                                "a Lambda target group takes no {}; found one",
                                what.trim_start_matches("a ")
                            ),
                        )
                        .property(property)
                        .fix("use TargetGroupProps::lambda() without it, or another target type"),
                    );
                }
            }
        } else {
            let p = props.protocol.unwrap_or_default();
            let n = props.port.unwrap_or(p.default_port());
            if n == 0 {
                node.error(
                    codes::TARGET_GROUP,
                    "Port",
                    "port 0 is out of range; allowed: 1 to 65535",
                );
            } else {
                cfn = cfn.port(n);
            }
            cfn = cfn.protocol(p.target_group_protocol());
            port = Some(n);
            protocol = Some(p);
            match &props.vpc {
                Some(vpc) => {
                    cfn = cfn.vpc_id(vpc.vpc_id());
                    vpc_id = Some(vpc.vpc_id());
                }
                None => {
                    node.report(
                        Diagnostic::error(
                            codes::TARGET_GROUP,
                            node.path(),
                            format!(
                                "a target group of {} targets needs a VPC",
                                props.target_type.as_str()
                            ),
                        )
                        .property("VpcId")
                        .fix("make the props with TargetGroupProps::new(&vpc)"),
                    );
                }
            }
            if let Some(v) = props.protocol_version {
                cfn = cfn.protocol_version(v.as_str());
            }
        }
        if let Some(name) = &props.name {
            check_name(&node, "Name", name, false);
            cfn = cfn.name(name.clone());
        }
        let (c, health_check_port) = health_check(&node, cfn, &props, &hc, lambda);
        cfn = c;
        let attributes = attributes(&node, &props);
        if !attributes.is_empty() {
            cfn = cfn.target_group_attributes(
                attributes
                    .into_iter()
                    .map(|(k, v)| target_group::TargetGroupAttribute::new().key(k).value(v)),
            );
        }
        if !props.tags.is_empty() {
            cfn = cfn.tags(
                props
                    .tags
                    .iter()
                    .map(|(k, v)| target_group::Tag::new().key(k.as_str()).value(v.as_str())),
            );
        }
        let cfn = node.add_here(cfn)?;
        Ok(ApplicationTargetGroup {
            inner: Rc::new(Inner {
                node,
                cfn,
                target_type: props.target_type,
                port,
                protocol,
                health_check_port,
                vpc_id,
                state: RefCell::new(State::default()),
            }),
        })
    }

    /// The L1 target group, for what this construct does not model.
    pub fn cfn(&self) -> &CfnTargetGroupRef {
        &self.inner.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.inner.node
    }

    /// The target group ARN (`Ref`), what an ECS service's
    /// `LoadBalancers[].TargetGroupArn` takes.
    pub fn target_group_arn(&self) -> Str {
        self.inner.cfn.ref_().into()
    }

    /// The ARNs of the load balancers that forward to the group
    /// (`Fn::GetAtt LoadBalancerArns`).
    pub fn load_balancer_arns(&self) -> Expr {
        self.inner.cfn.load_balancer_arns()
    }

    /// `targetgroup/<name>/<id>` (`Fn::GetAtt TargetGroupFullName`), the
    /// `TargetGroup` dimension of CloudWatch metrics and the second half of
    /// a request-count scaling metric's resource label.
    pub fn target_group_full_name(&self) -> Expr {
        self.inner.cfn.target_group_full_name()
    }

    /// The target group name (`Fn::GetAtt TargetGroupName`).
    pub fn target_group_name(&self) -> Expr {
        self.inner.cfn.target_group_name()
    }

    /// The kind of targets.
    pub fn target_type(&self) -> TargetType {
        self.inner.target_type
    }

    /// The port targets receive traffic on (`None` for Lambda).
    pub fn port(&self) -> Option<u16> {
        self.inner.port
    }

    /// The protocol to the targets (`None` for Lambda).
    pub fn protocol(&self) -> Option<ApplicationProtocol> {
        self.inner.protocol
    }

    /// The VPC id (`None` for Lambda).
    pub fn vpc_id(&self) -> Option<Str> {
        self.inner.vpc_id.clone()
    }

    /// The listeners and listener rules that forward to the group so far.
    pub fn listener_resources(&self) -> Vec<ResourceRef> {
        self.inner.state.borrow().users.clone()
    }

    /// Makes `resource` (an ECS service) `DependsOn` every listener and
    /// listener rule that forwards to this group: those that exist now and
    /// those added later. ECS refuses to create a service whose target group
    /// no load balancer uses yet.
    ///
    /// ```
    /// # use formwork::App;
    /// # use formwork::ec2::{Vpc, VpcProps};
    /// # use formwork::elasticloadbalancingv2::{ApplicationLoadBalancer, ApplicationLoadBalancerProps, ApplicationTargetGroup, ListenerProps, TargetGroupProps};
    /// # use formwork::ec2::CfnEip;
    /// # let app = App::new();
    /// # let stack = app.stack("Web")?;
    /// # let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let tg = ApplicationTargetGroup::new(&stack, "Targets", TargetGroupProps::new(&vpc).port(8080))?;
    /// # let service = stack.add("Service", CfnEip::new().domain("vpc"))?;
    /// tg.add_dependent(&service); // before the listener exists: still fine
    /// let alb = ApplicationLoadBalancer::new(&stack, "Alb", ApplicationLoadBalancerProps::new(&vpc))?;
    /// alb.add_listener("Http", ListenerProps::http(80, &tg))?;
    /// let t = app.synth()?.template_json("Web").ok_or("no template")?;
    /// assert_eq!(t["Resources"]["Service"]["DependsOn"], serde_json::json!(["AlbHttp"]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_dependent(&self, resource: &ResourceRef) {
        let users = {
            let mut st = self.inner.state.borrow_mut();
            if st
                .dependents
                .iter()
                .any(|d| d.target() == resource.target())
            {
                return;
            }
            st.dependents.push(resource.clone());
            st.users.clone()
        };
        for u in &users {
            resource.add_depends_on(u);
        }
    }

    /// Lets every load balancer that forwards to this group (now or later)
    /// reach `target` on `port`, and on the health check port when that is
    /// another fixed port: ingress on the target's groups from the load
    /// balancer's, egress on the load balancer's.
    #[track_caller]
    pub fn register_connectable(&self, target: &dyn Connectable, port: Port) -> Result<()> {
        let mut ports = vec![port];
        if let Some(hc) = self.inner.health_check_port {
            let hc = Port::tcp(hc);
            if hc != port {
                ports.push(hc);
            }
        }
        let connections = target.connections();
        let lbs: Vec<(String, Connections)> = {
            let mut st = self.inner.state.borrow_mut();
            st.receivers.push(Receiver {
                connections: connections.clone(),
                ports: ports.clone(),
            });
            st.load_balancers
                .iter()
                .map(|l| (l.key.clone(), l.connections.clone()))
                .collect()
        };
        for (key, lb) in &lbs {
            for p in &ports {
                connections.allow_from(lb, *p, &rule_description(key))?;
            }
        }
        Ok(())
    }

    /// What a service that runs the group's targets calls:
    /// [`ApplicationTargetGroup::add_dependent`] for its resource and
    /// [`ApplicationTargetGroup::register_connectable`] for its security
    /// groups on `container_port` (TCP).
    #[track_caller]
    pub fn register_service(
        &self,
        resource: &ResourceRef,
        service: &dyn Connectable,
        container_port: u16,
    ) -> Result<()> {
        self.add_dependent(resource);
        self.register_connectable(service, Port::tcp(container_port))
    }

    /// Registers one fixed target: an IP address, an instance id or a
    /// Lambda function ARN, as the target type says, with its port (`None`:
    /// the group's; Lambda targets take none, `FW3109`). A Lambda function
    /// also needs a permission for `elasticloadbalancing.amazonaws.com` to
    /// invoke it, which the group must `DependsOn`.
    ///
    /// ```
    /// # use formwork::App;
    /// # use formwork::ec2::{Vpc, VpcProps};
    /// # use formwork::elasticloadbalancingv2::{ApplicationTargetGroup, TargetGroupProps};
    /// # let app = App::new();
    /// # let stack = app.stack("Web")?;
    /// # let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let tg = ApplicationTargetGroup::new(&stack, "Legacy", TargetGroupProps::new(&vpc).port(8080))?;
    /// tg.add_target("10.0.3.15", None);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn add_target(&self, id: impl Into<Str>, port: Option<u16>) {
        let mut t = target_group::TargetDescription::new().id(id.into());
        if let Some(p) = port {
            if self.inner.target_type == TargetType::Lambda {
                self.inner.node.error(
                    codes::TARGET_GROUP,
                    "Targets",
                    format!("a Lambda target takes no port; found {p}"),
                );
            } else {
                t = t.port(p);
            }
        }
        let targets = {
            let mut st = self.inner.state.borrow_mut();
            st.targets.push(t);
            st.targets.clone()
        };
        self.inner.cfn.update(|c| c.targets(targets));
    }

    /// Records that `resource` (a listener or rule of the load balancer
    /// with `lb_key`) forwards to the group: dependents wait for it, and
    /// registered receivers let that load balancer in.
    #[track_caller]
    pub(crate) fn used_by(
        &self,
        resource: &ResourceRef,
        lb_key: &str,
        lb: &Connections,
    ) -> Result<()> {
        let (dependents, receivers) = {
            let mut st = self.inner.state.borrow_mut();
            if !st.users.iter().any(|u| u.target() == resource.target()) {
                st.users.push(resource.clone());
            }
            let dependents = st.dependents.clone();
            let receivers: Vec<(Connections, Vec<Port>)> =
                if st.load_balancers.iter().any(|l| l.key == lb_key) {
                    Vec::new()
                } else {
                    st.load_balancers.push(LoadBalancerUse {
                        key: lb_key.to_owned(),
                        connections: lb.clone(),
                    });
                    st.receivers
                        .iter()
                        .map(|r| (r.connections.clone(), r.ports.clone()))
                        .collect()
                };
            (dependents, receivers)
        };
        for d in &dependents {
            d.add_depends_on(resource);
        }
        for (target, ports) in &receivers {
            for p in ports {
                target.allow_from(lb, *p, &rule_description(lb_key))?;
            }
        }
        Ok(())
    }

    pub(crate) fn same_as(&self, other: &ApplicationTargetGroup) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

fn rule_description(lb_key: &str) -> String {
    let text: String = format!("From load balancer {lb_key}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-:/()#,@[]+=&;{}!$* ".contains(c) {
                c
            } else {
                '-'
            }
        })
        .take(255)
        .collect();
    text
}

/// Writes the health check properties; returns the fixed health check
/// port, if any.
fn health_check(
    node: &Scope,
    mut cfn: CfnTargetGroup,
    props: &TargetGroupProps,
    hc: &HealthCheck,
    lambda: bool,
) -> (CfnTargetGroup, Option<u16>) {
    let code = codes::HEALTH_CHECK;
    if let Some(e) = hc.enabled {
        cfn = cfn.health_check_enabled(e);
    } else if lambda && props.health_check.is_some() {
        cfn = cfn.health_check_enabled(true);
    }
    if let Some(path) = &hc.path {
        if path.starts_with('/') {
            cfn = cfn.health_check_path(path.as_str());
        } else {
            node.report(
                Diagnostic::error(
                    code,
                    node.path(),
                    format!("the health check path `{path}` does not start with `/`"),
                )
                .property("HealthCheckPath")
                .fix(format!("write /{path}")),
            );
        }
    }
    let interval = check_range(
        node,
        code,
        "HealthCheckIntervalSeconds",
        Range("the health check interval", 5, 300, " s"),
        hc.interval,
    );
    let timeout = check_range(
        node,
        code,
        "HealthCheckTimeoutSeconds",
        Range("the health check timeout", 2, 120, " s"),
        hc.timeout,
    );
    if let Some(i) = interval {
        cfn = cfn.health_check_interval_seconds(i);
    }
    if let Some(t) = timeout {
        cfn = cfn.health_check_timeout_seconds(t);
    }
    if interval.is_some() || timeout.is_some() {
        let i = interval.unwrap_or(if lambda { 35 } else { 30 });
        let t = timeout.unwrap_or(if lambda { 30 } else { 5 });
        if t >= i {
            node.report(
                Diagnostic::error(
                    code,
                    node.path(),
                    format!(
                        "the health check timeout ({t} s) is not shorter than its interval ({i} s)"
                    ),
                )
                .property("HealthCheckTimeoutSeconds")
                .fix("make the timeout shorter than the interval"),
            );
        }
    }
    if let Some(h) = check_range(
        node,
        code,
        "HealthyThresholdCount",
        Range("the healthy threshold", 2, 10, ""),
        hc.healthy,
    ) {
        cfn = cfn.healthy_threshold_count(h);
    }
    if let Some(u) = check_range(
        node,
        code,
        "UnhealthyThresholdCount",
        Range("the unhealthy threshold", 2, 10, ""),
        hc.unhealthy,
    ) {
        cfn = cfn.unhealthy_threshold_count(u);
    }
    let grpc = props.protocol_version == Some(ProtocolVersion::Grpc);
    match (&hc.http_codes, &hc.grpc_codes) {
        (Some(_), Some(_)) => {
            node.error(code, "Matcher", "both HTTP and gRPC success codes are given; allowed: the kind of the protocol version");
        }
        (Some(http), None) => {
            if grpc {
                node.error(
                    code,
                    "Matcher.HttpCode",
                    "HTTP success codes on a gRPC target group; use healthy_grpc_codes",
                );
            } else if let Some(msg) = codes_problem(http, 200, 499) {
                node.error(code, "Matcher.HttpCode", msg);
            } else {
                cfn = cfn.matcher(target_group::Matcher::new().http_code(http.as_str()));
            }
        }
        (None, Some(g)) => {
            if !grpc {
                node.error(
                    code,
                    "Matcher.GrpcCode",
                    "gRPC success codes on a target group whose protocol version is not gRPC",
                );
            } else if let Some(msg) = codes_problem(g, 0, 99) {
                node.error(code, "Matcher.GrpcCode", msg);
            } else {
                cfn = cfn.matcher(target_group::Matcher::new().grpc_code(g.as_str()));
            }
        }
        (None, None) => {}
    }
    let mut fixed_port = None;
    if !lambda {
        match hc.port {
            Some(HealthCheckPort::Port(0)) => {
                node.error(
                    code,
                    "HealthCheckPort",
                    "port 0 is out of range; allowed: 1 to 65535, or the traffic port",
                );
            }
            Some(HealthCheckPort::Port(p)) => {
                cfn = cfn.health_check_port(p.to_string());
                fixed_port = Some(p);
            }
            Some(HealthCheckPort::TrafficPort) => cfn = cfn.health_check_port("traffic-port"),
            None => {}
        }
        if let Some(p) = hc.protocol {
            cfn = cfn.health_check_protocol(p.health_check_protocol());
        }
    }
    (cfn, fixed_port)
}

/// The `TargetGroupAttributes` the props ask for, checked.
fn attributes(node: &Scope, props: &TargetGroupProps) -> Vec<(&'static str, String)> {
    let code = codes::TARGET_GROUP;
    let mut out = Vec::new();
    if props.target_type == TargetType::Lambda {
        return out;
    }
    let p = "TargetGroupAttributes";
    if let Some(d) = check_range(
        node,
        code,
        p,
        Range("the deregistration delay", 0, 3600, " s"),
        props.deregistration_delay,
    ) {
        out.push(("deregistration_delay.timeout_seconds", d.to_string()));
    }
    if let Some(s) = props.slow_start {
        if s == 0 || (30..=900).contains(&s) {
            out.push(("slow_start.duration_seconds", s.to_string()));
        } else {
            node.error(code, p, format!("the slow start duration {s} s is out of range; allowed: 30 to 900 s, or 0 for none"));
        }
    }
    match &props.stickiness {
        Some(Stickiness::LoadBalancerCookie { duration_seconds }) => {
            if let Some(d) = check_range(
                node,
                code,
                p,
                Range("the stickiness duration", 1, 604_800, " s"),
                Some(*duration_seconds),
            ) {
                out.push(("stickiness.enabled", "true".to_owned()));
                out.push(("stickiness.type", "lb_cookie".to_owned()));
                out.push(("stickiness.lb_cookie.duration_seconds", d.to_string()));
            }
        }
        Some(Stickiness::ApplicationCookie {
            cookie_name,
            duration_seconds,
        }) => {
            let d = check_range(
                node,
                code,
                p,
                Range("the stickiness duration", 1, 604_800, " s"),
                Some(*duration_seconds),
            );
            let reserved = ["AWSALB", "AWSALBAPP", "AWSALBTG"]
                .iter()
                .any(|r| cookie_name.starts_with(r));
            if cookie_name.is_empty() || reserved {
                node.error(
                    code,
                    p,
                    format!("the cookie name `{cookie_name}` is empty or reserved; allowed: a name not starting with AWSALB, AWSALBAPP or AWSALBTG"),
                );
            } else if let Some(d) = d {
                out.push(("stickiness.enabled", "true".to_owned()));
                out.push(("stickiness.type", "app_cookie".to_owned()));
                out.push(("stickiness.app_cookie.cookie_name", cookie_name.clone()));
                out.push(("stickiness.app_cookie.duration_seconds", d.to_string()));
            }
        }
        None => {}
    }
    out
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn success_codes() {
        for ok in ["200", "200,202", "200-299", "200-499", "499"] {
            assert_eq!(codes_problem(ok, 200, 499), None, "{ok}");
        }
        for bad in [
            "",
            "199",
            "500",
            "300-200",
            "200-",
            "2xx",
            "200,",
            "200-300-400",
        ] {
            assert!(codes_problem(bad, 200, 499).is_some(), "{bad}");
        }
        assert_eq!(codes_problem("0-99", 0, 99), None);
        assert!(codes_problem("100", 0, 99).is_some());
    }

    #[test]
    fn names() {
        assert_eq!(name_problem("weather-alb", true), None);
        assert!(name_problem("", false).is_some());
        assert!(name_problem(&"a".repeat(33), false).is_some());
        assert!(name_problem("a_b", false).is_some());
        assert!(name_problem("-ab", false).is_some());
        assert!(name_problem("ab-", false).is_some());
        assert!(name_problem("internal-x", true).is_some());
        assert_eq!(name_problem("internal-x", false), None);
    }

    #[test]
    fn descriptions_are_ec2_safe() {
        assert_eq!(rule_description("S/Alb"), "From load balancer S/Alb");
        assert_eq!(rule_description("S/A?b"), "From load balancer S/A-b");
    }
}
