//! ApplicationListener: a port of an Application Load Balancer, its default
//! action and its rules.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Result, Scope};
use formwork_l1::elasticloadbalancingv2::{
    CfnListener, CfnListenerCertificate, CfnListenerRef, CfnListenerRule, CfnListenerRuleRef,
    listener, listener_certificate, target_group,
};

use super::action::ListenerAction;
use super::alb::AlbShared;
use super::codes;
use super::condition::{self, ListenerCondition};
use crate::certificatemanager::Certificate;
use crate::ec2::{Peer, Port};

/// HTTP or HTTPS, for listeners and target groups.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ApplicationProtocol {
    /// `HTTP`
    #[default]
    Http,
    /// `HTTPS`
    Https,
}

impl ApplicationProtocol {
    /// The CloudFormation spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationProtocol::Http => "HTTP",
            ApplicationProtocol::Https => "HTTPS",
        }
    }

    /// 80 or 443.
    pub fn default_port(self) -> u16 {
        match self {
            ApplicationProtocol::Http => 80,
            ApplicationProtocol::Https => 443,
        }
    }

    pub(crate) fn listener_protocol(self) -> listener::Protocol {
        match self {
            ApplicationProtocol::Http => listener::Protocol::Http,
            ApplicationProtocol::Https => listener::Protocol::Https,
        }
    }

    pub(crate) fn target_group_protocol(self) -> target_group::Protocol {
        match self {
            ApplicationProtocol::Http => target_group::Protocol::Http,
            ApplicationProtocol::Https => target_group::Protocol::Https,
        }
    }

    pub(crate) fn health_check_protocol(self) -> target_group::HealthCheckProtocol {
        match self {
            ApplicationProtocol::Http => target_group::HealthCheckProtocol::Http,
            ApplicationProtocol::Https => target_group::HealthCheckProtocol::Https,
        }
    }
}

/// The TLS versions and ciphers an HTTPS listener negotiates.
///
/// The default is `ELBSecurityPolicy-TLS13-1-2-2021-06`: TLS 1.3 and 1.2
/// with forward-secret ciphers (CloudFormation's own default is the 2016
/// policy, which still accepts TLS 1.0). A named policy that accepts TLS
/// 1.0 or 1.1 is a warning (`FW3115`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum SslPolicy {
    /// `ELBSecurityPolicy-TLS13-1-2-2021-06`: TLS 1.3 and 1.2.
    #[default]
    Tls12AndTls13,
    /// `ELBSecurityPolicy-TLS13-1-2-Res-2021-06`: TLS 1.3 and 1.2 with the
    /// strongest ciphers only.
    Tls12AndTls13Restricted,
    /// `ELBSecurityPolicy-TLS13-1-3-2021-06`: TLS 1.3 only.
    Tls13Only,
    /// `ELBSecurityPolicy-TLS13-1-2-PQ-2025-09`: TLS 1.3 and 1.2 with
    /// post-quantum key exchange.
    Tls12AndTls13PostQuantum,
    /// `ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04`: TLS 1.3 and 1.2 with
    /// FIPS-validated cryptography.
    Tls12AndTls13Fips,
    /// Another policy, by name.
    Named(String),
}

impl SslPolicy {
    /// The policy name.
    pub fn as_str(&self) -> &str {
        match self {
            SslPolicy::Tls12AndTls13 => "ELBSecurityPolicy-TLS13-1-2-2021-06",
            SslPolicy::Tls12AndTls13Restricted => "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
            SslPolicy::Tls13Only => "ELBSecurityPolicy-TLS13-1-3-2021-06",
            SslPolicy::Tls12AndTls13PostQuantum => "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
            SslPolicy::Tls12AndTls13Fips => "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
            SslPolicy::Named(n) => n,
        }
    }

    /// True for the policies that accept TLS 1.0 or 1.1.
    pub fn allows_tls_below_1_2(&self) -> bool {
        let n = self.as_str();
        n.contains("-1-0-")
            || n.contains("-1-1-")
            || [
                "ELBSecurityPolicy-2016-08",
                "ELBSecurityPolicy-2015-05",
                "ELBSecurityPolicy-FS-2018-06",
            ]
            .contains(&n)
    }
}

/// What a listener is made with: a port, a protocol, a default action,
/// certificates and an SSL policy for HTTPS.
///
/// `open` (whether the port is opened to `0.0.0.0/0`, and `::/0` on a
/// dual-stack load balancer) defaults to on for an internet-facing load
/// balancer and off for an internal one.
///
/// ```
/// use formwork::App;
/// use formwork::certificatemanager::Certificate;
/// use formwork::elasticloadbalancingv2::{FixedResponse, ListenerProps, SslPolicy};
/// let cert = Certificate::from_arn("arn:aws:acm:ap-northeast-1:123456789012:certificate/0a1b2c3d");
/// let props = ListenerProps::https(443, &cert, FixedResponse::new(404))
///     .ssl_policy(SslPolicy::Tls13Only)
///     .open(false);
/// # let _ = props;
/// ```
#[derive(Clone, Debug)]
pub struct ListenerProps {
    port: u16,
    protocol: ApplicationProtocol,
    certificates: Vec<Certificate>,
    ssl_policy: Option<SslPolicy>,
    default_action: ListenerAction,
    open: Option<bool>,
}

impl ListenerProps {
    /// A listener on `port` with `protocol` and a default action.
    pub fn new(
        port: u16,
        protocol: ApplicationProtocol,
        default_action: impl Into<ListenerAction>,
    ) -> Self {
        ListenerProps {
            port,
            protocol,
            certificates: Vec::new(),
            ssl_policy: None,
            default_action: default_action.into(),
            open: None,
        }
    }

    /// An HTTP listener.
    pub fn http(port: u16, default_action: impl Into<ListenerAction>) -> Self {
        ListenerProps::new(port, ApplicationProtocol::Http, default_action)
    }

    /// An HTTPS listener with its default certificate.
    pub fn https(
        port: u16,
        certificate: &Certificate,
        default_action: impl Into<ListenerAction>,
    ) -> Self {
        ListenerProps::new(port, ApplicationProtocol::Https, default_action)
            .certificate(certificate)
    }

    /// Adds a certificate: the first is the default one, the others are
    /// chosen by SNI (an `AWS::ElasticLoadBalancingV2::ListenerCertificate`).
    pub fn certificate(mut self, certificate: &Certificate) -> Self {
        self.certificates.push(certificate.clone());
        self
    }

    /// The SSL policy of an HTTPS listener (default
    /// [`SslPolicy::Tls12AndTls13`]).
    pub fn ssl_policy(mut self, policy: SslPolicy) -> Self {
        self.ssl_policy = Some(policy);
        self
    }

    /// Whether the port is opened to every address (default: on for an
    /// internet-facing load balancer, off for an internal one).
    pub fn open(mut self, open: bool) -> Self {
        self.open = Some(open);
        self
    }
}

/// What a listener rule is made with: a priority (1 to 50000, lower first,
/// unique per listener: `FW3103`), an action and conditions.
///
/// ```
/// use formwork::App;
/// use formwork::elasticloadbalancingv2::{FixedResponse, ListenerCondition, ListenerRuleProps};
/// let props = ListenerRuleProps::new(10, FixedResponse::new(403))
///     .condition(ListenerCondition::path_patterns(["/admin/*"]));
/// # let _ = props;
/// ```
#[derive(Clone, Debug)]
pub struct ListenerRuleProps {
    priority: u32,
    action: ListenerAction,
    conditions: Vec<ListenerCondition>,
}

impl ListenerRuleProps {
    /// A rule with `priority` doing `action`; add at least one condition.
    pub fn new(priority: u32, action: impl Into<ListenerAction>) -> Self {
        ListenerRuleProps {
            priority,
            action: action.into(),
            conditions: Vec::new(),
        }
    }

    /// Adds a condition.
    pub fn condition(mut self, condition: ListenerCondition) -> Self {
        self.conditions.push(condition);
        self
    }

    /// Adds conditions.
    pub fn conditions(mut self, conditions: impl IntoIterator<Item = ListenerCondition>) -> Self {
        self.conditions.extend(conditions);
        self
    }
}

struct ListenerInner {
    node: Scope,
    cfn: CfnListenerRef,
    port: u16,
    protocol: ApplicationProtocol,
    lb: Rc<AlbShared>,
    priorities: RefCell<Vec<(u32, String)>>,
    rules: RefCell<Vec<ApplicationListenerRule>>,
}

/// A listener of an [`super::ApplicationLoadBalancer`]
/// ([`add_listener`](super::ApplicationLoadBalancer::add_listener)).
///
/// Its resource is what a service behind one of its target groups waits
/// for (see the module documentation); [`ApplicationListener::cfn`] gives
/// it for a `DependsOn` written by hand.
#[derive(Clone)]
pub struct ApplicationListener {
    inner: Rc<ListenerInner>,
}

impl fmt::Debug for ApplicationListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApplicationListener")
            .field("path", &self.inner.node.path())
            .field("port", &self.inner.port)
            .field("protocol", &self.inner.protocol)
            .finish()
    }
}

/// A rule of an [`ApplicationListener`].
#[derive(Clone, Debug)]
pub struct ApplicationListenerRule {
    node: Scope,
    cfn: CfnListenerRuleRef,
    priority: u32,
}

impl ApplicationListenerRule {
    /// The L1 rule.
    pub fn cfn(&self) -> &CfnListenerRuleRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.node
    }

    /// The rule ARN (`Ref`).
    pub fn rule_arn(&self) -> Str {
        self.cfn.ref_().into()
    }

    /// Its priority.
    pub fn priority(&self) -> u32 {
        self.priority
    }
}

/// Adds a listener below the load balancer's node; what
/// `ApplicationLoadBalancer::add_listener` does.
#[track_caller]
pub(crate) fn add_listener(
    lb: &Rc<AlbShared>,
    id: &str,
    props: ListenerProps,
) -> Result<ApplicationListener> {
    let node = lb.node.child(id)?;
    let port = props.port;
    let protocol = props.protocol;
    let taken = lb
        .ports
        .borrow()
        .iter()
        .find(|(p, _)| *p == port)
        .map(|(_, path)| path.clone());
    match taken {
        Some(other) => {
            node.report(
                Diagnostic::error(codes::LISTENER_PORT, node.path(), format!("port {port} has a listener already: {other}"))
                    .property("Port")
                    .fix("give each listener of a load balancer its own port, and route by host or path with rules"),
            );
        }
        None => lb.ports.borrow_mut().push((port, node.path())),
    }
    if port == 0 {
        node.error(
            codes::LISTENER_PORT,
            "Port",
            "port 0 is out of range; allowed: 1 to 65535",
        );
    }
    let mut cfn = CfnListener::new()
        .load_balancer_arn(lb.cfn.ref_())
        .protocol(protocol.listener_protocol())
        .default_actions([props.default_action.to_listener_action()]);
    if port != 0 {
        cfn = cfn.port(port);
    }
    props
        .default_action
        .check(&node, "DefaultActions[0]", protocol, &lb.vpc_id);
    match protocol {
        ApplicationProtocol::Https => {
            if props.certificates.is_empty() {
                node.report(
                    Diagnostic::error(
                        codes::LISTENER_CERTIFICATE,
                        node.path(),
                        "an HTTPS listener needs a certificate; found none",
                    )
                    .property("Certificates")
                    .fix("make it with ListenerProps::https(port, &certificate, action)"),
                );
            }
            let region = lb.node.env().region;
            for (i, c) in props.certificates.iter().enumerate() {
                c.validate_use(&node, &format!("Certificates[{i}]"), region.as_deref());
            }
            if let Some(first) = props.certificates.first() {
                cfn = cfn.certificates([
                    listener::Certificate::new().certificate_arn(first.certificate_arn())
                ]);
            }
            let policy = props.ssl_policy.clone().unwrap_or_default();
            if policy.allows_tls_below_1_2() {
                node.report(
                    Diagnostic::warning(
                        codes::WEAK_TLS,
                        node.path(),
                        format!("the SSL policy {} accepts TLS 1.0 or 1.1, which are deprecated", policy.as_str()),
                    )
                    .property("SslPolicy")
                    .fix("use SslPolicy::Tls12AndTls13 (the default) unless old clients need the older versions"),
                );
            }
            cfn = cfn.ssl_policy(policy.as_str());
        }
        ApplicationProtocol::Http => {
            if !props.certificates.is_empty() {
                node.report(
                    Diagnostic::error(
                        codes::LISTENER_CERTIFICATE,
                        node.path(),
                        "an HTTP listener takes no certificate",
                    )
                    .property("Certificates")
                    .fix("make it an HTTPS listener, or drop the certificate"),
                );
            }
            if props.ssl_policy.is_some() {
                node.report(
                    Diagnostic::error(
                        codes::LISTENER_CERTIFICATE,
                        node.path(),
                        "an HTTP listener takes no SSL policy",
                    )
                    .property("SslPolicy")
                    .fix("make it an HTTPS listener, or drop the SSL policy"),
                );
            }
        }
    }
    let cfn = node.add_here(cfn)?;
    if protocol == ApplicationProtocol::Https && props.certificates.len() > 1 {
        let extra = props.certificates[1..]
            .iter()
            .map(|c| listener_certificate::Certificate::new().certificate_arn(c.certificate_arn()));
        node.add(
            "Certificates",
            CfnListenerCertificate::new()
                .listener_arn(cfn.ref_())
                .certificates(extra),
        )?;
    }
    props
        .default_action
        .register(&cfn, &lb.node.path(), &lb.connections)?;
    if props.open.unwrap_or(lb.internet_facing) && port != 0 {
        let description = format!(
            "{} listener on port {port} from anywhere",
            protocol.as_str()
        );
        lb.connections
            .allow_from_any_ipv4(Port::tcp(port), &description)?;
        if port == 80 && props.default_action.is_https_redirect() {
            if let Some(sg) = lb
                .connections
                .security_groups()
                .first()
                .and_then(|g| g.cfn())
            {
                sg.suppress(
                    "CKV_AWS_260",
                    "port 80 is open to the internet for a listener that only redirects to HTTPS",
                );
            }
        }
        if lb.dualstack {
            lb.connections
                .allow_from(&Peer::any_ipv6(), Port::tcp(port), &description)?;
        }
    }
    Ok(ApplicationListener {
        inner: Rc::new(ListenerInner {
            node,
            cfn,
            port,
            protocol,
            lb: lb.clone(),
            priorities: RefCell::new(Vec::new()),
            rules: RefCell::new(Vec::new()),
        }),
    })
}

impl ApplicationListener {
    /// The L1 listener: what a service behind one of its target groups may
    /// `DependsOn` (`service.add_depends_on(&listener.cfn())`).
    pub fn cfn(&self) -> &CfnListenerRef {
        &self.inner.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.inner.node
    }

    /// The listener ARN (`Ref`).
    pub fn listener_arn(&self) -> Str {
        self.inner.cfn.ref_().into()
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.inner.port
    }

    /// Its protocol.
    pub fn protocol(&self) -> ApplicationProtocol {
        self.inner.protocol
    }

    /// Its rules so far.
    pub fn rules(&self) -> Vec<ApplicationListenerRule> {
        self.inner.rules.borrow().clone()
    }

    /// Adds a rule at `listener/id`: requests matching every condition get
    /// the rule's action; rules are tried by priority, lowest first, before
    /// the default action.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::elasticloadbalancingv2::{
    ///     ApplicationLoadBalancer, ApplicationLoadBalancerProps, ApplicationTargetGroup, FixedResponse,
    ///     ListenerCondition, ListenerProps, ListenerRuleProps, TargetGroupProps,
    /// };
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let alb = ApplicationLoadBalancer::new(&stack, "Alb", ApplicationLoadBalancerProps::new(&vpc))?;
    /// let api = ApplicationTargetGroup::new(&stack, "Api", TargetGroupProps::new(&vpc).port(8000))?;
    /// let http = alb.add_listener("Http", ListenerProps::http(80, FixedResponse::new(404)))?;
    /// let rule = http.add_rule(
    ///     "Api",
    ///     ListenerRuleProps::new(10, &api).condition(ListenerCondition::path_patterns(["/api/*"])),
    /// )?;
    /// assert_eq!(rule.cfn().logical_id(), "AlbHttpApi");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_rule(&self, id: &str, props: ListenerRuleProps) -> Result<ApplicationListenerRule> {
        let inner = &self.inner;
        let node = inner.node.child(id)?;
        let priority = props.priority;
        let taken = inner
            .priorities
            .borrow()
            .iter()
            .find(|(p, _)| *p == priority)
            .map(|(_, path)| path.clone());
        match taken {
            Some(other) => {
                node.report(
                    Diagnostic::error(
                        codes::RULE_PRIORITY,
                        node.path(),
                        format!("priority {priority} is taken by {other} on this listener"),
                    )
                    .property("Priority")
                    .fix("give each rule of a listener its own priority (1 to 50000, lower first)"),
                );
            }
            None => inner.priorities.borrow_mut().push((priority, node.path())),
        }
        condition::check(&node, &props.conditions);
        props
            .action
            .check(&node, "Actions[0]", inner.protocol, &inner.lb.vpc_id);
        let cfn = CfnListenerRule::new()
            .listener_arn(inner.cfn.ref_())
            .priority(priority)
            .conditions(props.conditions.iter().map(ListenerCondition::to_cfn))
            .actions([props.action.to_rule_action()]);
        let cfn = node.add_here(cfn)?;
        props
            .action
            .register(&cfn, &inner.lb.node.path(), &inner.lb.connections)?;
        let rule = ApplicationListenerRule {
            node,
            cfn,
            priority,
        };
        inner.rules.borrow_mut().push(rule.clone());
        Ok(rule)
    }
}
