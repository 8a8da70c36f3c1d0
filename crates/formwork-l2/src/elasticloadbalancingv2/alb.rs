//! ApplicationLoadBalancer: an Application Load Balancer in a VPC, with its
//! own security group.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Fn, Pseudo, Result, Scope, Value};
use formwork_l1::elasticloadbalancingv2::{CfnLoadBalancer, CfnLoadBalancerRef, load_balancer};
use formwork_l1::s3::CfnBucket;

use super::action::Redirect;
use super::alb_listener::{self, ApplicationListener, ApplicationProtocol, ListenerProps};
use super::alb_target_group::check_name;
use super::codes;
use crate::ec2::{
    Connectable, Connections, SecurityGroup, SecurityGroupProps, SubnetSelection, SubnetType, Vpc,
};
use crate::iam::{PolicyStatement, Principal};
use crate::s3::Bucket;

/// Whether a load balancer is reachable from the internet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LoadBalancerScheme {
    /// Public addresses, in public subnets (`internet-facing`).
    #[default]
    InternetFacing,
    /// Private addresses only, in private subnets (`internal`).
    Internal,
}

/// The addresses a load balancer has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LoadBalancerIpAddressType {
    /// IPv4 only (`ipv4`).
    #[default]
    Ipv4,
    /// IPv4 and IPv6 (`dualstack`; the subnets need IPv6 blocks).
    DualStack,
    /// IPv6 only for clients, no public IPv4 (`dualstack-without-public-ipv4`;
    /// internet-facing load balancers only).
    DualStackWithoutPublicIpv4,
}

impl LoadBalancerIpAddressType {
    fn cfn(self) -> load_balancer::IpAddressType {
        match self {
            LoadBalancerIpAddressType::Ipv4 => load_balancer::IpAddressType::Ipv4,
            LoadBalancerIpAddressType::DualStack => load_balancer::IpAddressType::Dualstack,
            LoadBalancerIpAddressType::DualStackWithoutPublicIpv4 => {
                load_balancer::IpAddressType::DualstackWithoutPublicIpv4
            }
        }
    }
}

/// What an [`ApplicationLoadBalancer`] is made with.
///
/// Defaults: internet-facing, in the VPC's public subnets (private ones
/// when internal), in a security group of its own that lets nothing in or
/// out until listeners and targets say so; invalid HTTP header fields
/// dropped (`routing.http.drop_invalid_header_fields.enabled`, against
/// request smuggling); Elastic Load Balancing's own defaults for the rest
/// (idle timeout 60 s, HTTP/2 on, no deletion protection, IPv4, no access
/// logs). No name, so the load balancer can be replaced.
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{Vpc, VpcProps};
/// use formwork::elasticloadbalancingv2::{ApplicationLoadBalancerProps, LoadBalancerScheme};
/// use formwork::s3::{Bucket, BucketProps};
/// let app = App::new();
/// let stack = app.stack("Web")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let logs = Bucket::new(&stack, "AlbLogs", BucketProps::new())?;
/// let props = ApplicationLoadBalancerProps::new(&vpc)
///     .idle_timeout_seconds(120)
///     .deletion_protection(true)
///     .access_logs(&logs, Some("alb"));
/// let internal = ApplicationLoadBalancerProps::new(&vpc).scheme(LoadBalancerScheme::Internal);
/// # let _ = (props, internal);
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ApplicationLoadBalancerProps {
    vpc: Vpc,
    scheme: LoadBalancerScheme,
    subnets: Option<SubnetSelection>,
    security_group: Option<SecurityGroup>,
    name: Option<Str>,
    idle_timeout: Option<u32>,
    deletion_protection: Option<bool>,
    drop_invalid_header_fields: bool,
    http2: Option<bool>,
    access_logs: Option<(Bucket, Option<String>)>,
    ip_address_type: Option<LoadBalancerIpAddressType>,
    tags: Vec<(String, String)>,
}

impl ApplicationLoadBalancerProps {
    /// An internet-facing load balancer in `vpc`, with the defaults above.
    pub fn new(vpc: &Vpc) -> Self {
        ApplicationLoadBalancerProps {
            vpc: vpc.clone(),
            scheme: LoadBalancerScheme::InternetFacing,
            subnets: None,
            security_group: None,
            name: None,
            idle_timeout: None,
            deletion_protection: None,
            drop_invalid_header_fields: true,
            http2: None,
            access_logs: None,
            ip_address_type: None,
            tags: Vec::new(),
        }
    }

    /// Internet-facing (default) or internal.
    pub fn scheme(mut self, scheme: LoadBalancerScheme) -> Self {
        self.scheme = scheme;
        self
    }

    /// The subnets (one per zone, at least two zones; default: public
    /// subnets when internet-facing, private ones when internal).
    pub fn subnets(mut self, selection: impl Into<SubnetSelection>) -> Self {
        self.subnets = Some(selection.into());
        self
    }

    /// Uses this security group instead of making one (rules for listeners
    /// and targets are added to it).
    pub fn security_group(mut self, group: &SecurityGroup) -> Self {
        self.security_group = Some(group.clone());
        self
    }

    /// A fixed name (checked, `FW3110`). Leave it unset unless something
    /// outside the stack looks the load balancer up by name.
    pub fn load_balancer_name(mut self, name: impl Into<Str>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Seconds a connection may stay idle (1 to 4000; default 60).
    pub fn idle_timeout_seconds(mut self, seconds: u32) -> Self {
        self.idle_timeout = Some(seconds);
        self
    }

    /// Refuses deletion through the API (and so stack deletion) while on.
    pub fn deletion_protection(mut self, on: bool) -> Self {
        self.deletion_protection = Some(on);
        self
    }

    /// Whether requests with header fields whose names are not valid are
    /// cleaned of them (default on).
    pub fn drop_invalid_header_fields(mut self, on: bool) -> Self {
        self.drop_invalid_header_fields = on;
        self
    }

    /// Whether HTTP/2 is offered to clients (default on).
    pub fn http2(mut self, on: bool) -> Self {
        self.http2 = Some(on);
        self
    }

    /// Writes access logs to `bucket` (same region, SSE-S3) under `prefix`,
    /// and allows Elastic Load Balancing to write there in the bucket policy.
    pub fn access_logs(mut self, bucket: &Bucket, prefix: Option<&str>) -> Self {
        self.access_logs = Some((bucket.clone(), prefix.map(str::to_owned)));
        self
    }

    /// IPv4 (default) or dual-stack.
    pub fn ip_address_type(mut self, ip_address_type: LoadBalancerIpAddressType) -> Self {
        self.ip_address_type = Some(ip_address_type);
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

/// What listeners share with their load balancer.
pub(crate) struct AlbShared {
    pub(crate) node: Scope,
    pub(crate) cfn: CfnLoadBalancerRef,
    pub(crate) connections: Connections,
    pub(crate) internet_facing: bool,
    pub(crate) dualstack: bool,
    pub(crate) vpc_id: Str,
    /// Listener ports taken, with the listener's path.
    pub(crate) ports: RefCell<Vec<(u16, String)>>,
    /// The AWS WAF web ACL associated with it.
    #[cfg(feature = "wafv2")]
    pub(crate) web_acl: crate::wafv2::AttachedAcl,
}

/// An Application Load Balancer.
///
/// It is [`Connectable`]: `tasks.connections().allow_from(&alb, Port::tcp(8501), "..")`
/// lets it reach targets (its own group allows no outbound traffic until
/// such a rule exists); target groups that forward to registered services
/// write those rules themselves (see the module documentation).
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{Vpc, VpcProps};
/// use formwork::elasticloadbalancingv2::{ApplicationLoadBalancer, ApplicationLoadBalancerProps};
/// let app = App::new();
/// let stack = app.stack("Web")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let alb = ApplicationLoadBalancer::new(&stack, "Alb", ApplicationLoadBalancerProps::new(&vpc))?;
/// let url = alb.dns_name();
/// # let _ = url;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone)]
pub struct ApplicationLoadBalancer {
    shared: Rc<AlbShared>,
    security_group: SecurityGroup,
    vpc: Vpc,
    listeners: Rc<RefCell<Vec<ApplicationListener>>>,
}

impl fmt::Debug for ApplicationLoadBalancer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApplicationLoadBalancer")
            .field("path", &self.shared.node.path())
            .field("internet_facing", &self.shared.internet_facing)
            .field("listeners", &self.listeners.borrow().len())
            .finish()
    }
}

/// A construct path as text EC2 accepts in a description.
fn ec2_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-:/()#,@[]+=&;{}!$* ".contains(c) {
                c
            } else {
                '-'
            }
        })
        .take(255)
        .collect()
}

/// True when a bucket's default encryption is KMS (access logs need SSE-S3).
fn bucket_uses_kms(bucket: &Bucket) -> bool {
    fn has_kms(v: &Value) -> bool {
        match v {
            Value::Map(m) => m.iter().any(|(k, v)| {
                (k == "SSEAlgorithm" && v.as_str().is_some_and(|s| s.starts_with("aws:kms")))
                    || has_kms(v)
            }),
            Value::List(l) => l.iter().any(has_kms),
            _ => false,
        }
    }
    bucket
        .cfn()
        .and_then(|c| c.inspect(|b: &CfnBucket| b.get_bucket_encryption().is_some_and(has_kms)))
        .unwrap_or(false)
}

impl ApplicationLoadBalancer {
    /// Adds a load balancer at `scope/id`, with its security group at
    /// `scope/id/SecurityGroup` unless one is given.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::elasticloadbalancingv2::{ApplicationLoadBalancer, ApplicationLoadBalancerProps};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let alb = ApplicationLoadBalancer::new(&stack, "Alb", ApplicationLoadBalancerProps::new(&vpc))?;
    /// let t = app.synth()?.template_json("Web").ok_or("no template")?;
    /// assert_eq!(t["Resources"]["Alb"]["Properties"]["Scheme"], "internet-facing");
    /// assert_eq!(t["Resources"]["AlbSecurityGroup"]["Type"], "AWS::EC2::SecurityGroup");
    /// # let _ = alb;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[track_caller]
    pub fn new(
        scope: &Scope,
        id: &str,
        props: ApplicationLoadBalancerProps,
    ) -> Result<ApplicationLoadBalancer> {
        let node = scope.child(id)?;
        let internet_facing = props.scheme == LoadBalancerScheme::InternetFacing;
        let security_group = match &props.security_group {
            Some(g) => g.clone(),
            None => SecurityGroup::new(
                &node,
                "SecurityGroup",
                SecurityGroupProps::new(&props.vpc)
                    .description(ec2_text(&format!("Load balancer {}", node.path())))
                    .allow_all_outbound(false),
            )?,
        };
        let selection =
            props
                .subnets
                .clone()
                .unwrap_or(SubnetSelection::Type(if internet_facing {
                    SubnetType::Public
                } else {
                    SubnetType::Private
                }));
        let subnets = props.vpc.select_subnets(selection);
        if subnets.check_not_empty(&node, "Subnets") && subnets.check_one_per_zone(&node, "Subnets")
        {
            if subnets.zone_count() < 2 {
                node.report(
                    Diagnostic::error(
                        codes::SUBNETS,
                        node.path(),
                        format!("the load balancer's subnets are in {} zone; allowed: two zones or more", subnets.zone_count()),
                    )
                    .property("Subnets")
                    .fix("use a VPC over at least two zones"),
                );
            }
            if internet_facing
                && subnets
                    .subnets()
                    .iter()
                    .any(|s| s.subnet_type() != SubnetType::Public)
            {
                node.report(
                    Diagnostic::error(
                        codes::SUBNETS,
                        node.path(),
                        "an internet-facing load balancer is in subnets that are not public: the internet cannot reach it",
                    )
                    .property("Subnets")
                    .fix("select public subnets, or make the load balancer internal"),
                );
            }
        }
        let ip_type = props.ip_address_type.unwrap_or_default();
        if ip_type == LoadBalancerIpAddressType::DualStackWithoutPublicIpv4 && !internet_facing {
            node.error(
                codes::IP_ADDRESS_TYPE,
                "IpAddressType",
                "dualstack-without-public-ipv4 is for internet-facing load balancers; allowed here: ipv4 or dualstack",
            );
        }

        let connections = Connections::new([security_group.clone()]);
        let mut cfn = CfnLoadBalancer::new()
            .type_(load_balancer::Type::Application)
            .scheme(if internet_facing {
                load_balancer::Scheme::InternetFacing
            } else {
                load_balancer::Scheme::Internal
            })
            .subnets(subnets.ids())
            .security_groups(connections.security_group_ids());
        if let Some(t) = props.ip_address_type {
            cfn = cfn.ip_address_type(t.cfn());
        }
        if let Some(name) = &props.name {
            check_name(&node, "Name", name, true);
            cfn = cfn.name(name.clone());
        }
        let (attributes, access_logs) = attributes(&node, &props);
        if !attributes.is_empty() {
            cfn = cfn.load_balancer_attributes(
                attributes
                    .into_iter()
                    .map(|(k, v)| load_balancer::LoadBalancerAttribute::new().key(k).value(v)),
            );
        }
        if !props.tags.is_empty() {
            cfn = cfn.tags(
                props
                    .tags
                    .iter()
                    .map(|(k, v)| load_balancer::Tag::new().key(k.as_str()).value(v.as_str())),
            );
        }
        let cfn = node.add_here(cfn)?;
        if !access_logs {
            cfn.suppress(
                "CKV_AWS_91",
                "access logs need a bucket to write to; turn them on with ApplicationLoadBalancerProps::access_logs",
            );
        }
        if internet_facing {
            subnets.add_internet_dependency(&cfn);
        }
        if let Some((bucket, prefix)) = props.access_logs.as_ref().filter(|_| access_logs) {
            allow_log_delivery(&cfn, bucket, prefix.as_deref());
        }
        Ok(ApplicationLoadBalancer {
            shared: Rc::new(AlbShared {
                node,
                cfn,
                connections,
                internet_facing,
                dualstack: ip_type != LoadBalancerIpAddressType::Ipv4,
                vpc_id: props.vpc.vpc_id(),
                ports: RefCell::new(Vec::new()),
                #[cfg(feature = "wafv2")]
                web_acl: Default::default(),
            }),
            security_group,
            vpc: props.vpc,
            listeners: Rc::new(RefCell::new(Vec::new())),
        })
    }

    /// The L1 load balancer, for what this construct does not model.
    pub fn cfn(&self) -> &CfnLoadBalancerRef {
        &self.shared.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.shared.node
    }

    /// The web ACL associated with it, shared by its clones.
    #[cfg(feature = "wafv2")]
    pub(crate) fn web_acl_slot(&self) -> crate::wafv2::AttachedAcl {
        self.shared.web_acl.clone()
    }

    /// The load balancer ARN (`Ref`).
    pub fn load_balancer_arn(&self) -> Str {
        self.shared.cfn.ref_().into()
    }

    /// Its DNS name (`Fn::GetAtt DNSName`), for a CNAME or an alias record.
    pub fn dns_name(&self) -> Expr {
        self.shared.cfn.dns_name()
    }

    /// The Route 53 zone of its DNS name (`Fn::GetAtt CanonicalHostedZoneID`),
    /// for an alias record.
    pub fn canonical_hosted_zone_id(&self) -> Expr {
        self.shared.cfn.canonical_hosted_zone_id()
    }

    /// `app/<name>/<id>` (`Fn::GetAtt LoadBalancerFullName`), the
    /// `LoadBalancer` dimension of CloudWatch metrics.
    pub fn load_balancer_full_name(&self) -> Expr {
        self.shared.cfn.load_balancer_full_name()
    }

    /// Its security group (made for it, or the one given).
    pub fn security_group(&self) -> &SecurityGroup {
        &self.security_group
    }

    /// Its VPC.
    pub fn vpc(&self) -> &Vpc {
        &self.vpc
    }

    /// True when it is internet-facing.
    pub fn is_internet_facing(&self) -> bool {
        self.shared.internet_facing
    }

    /// Its listeners so far.
    pub fn listeners(&self) -> Vec<ApplicationListener> {
        self.listeners.borrow().clone()
    }

    /// Adds a listener at `alb/id` (logical id `<Alb><Id>`).
    ///
    /// Checked: one listener per port (`FW3102`); a certificate on HTTPS
    /// listeners and none on HTTP ones (`FW3101`); literal certificate ARNs
    /// and their region (`FW3703`, `FW3704`); the default action. When the
    /// listener is `open` (the default for an internet-facing load
    /// balancer), its port is opened to `0.0.0.0/0` (and `::/0` for
    /// dual-stack) in the load balancer's security group.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::certificatemanager::Certificate;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::elasticloadbalancingv2::{ApplicationLoadBalancer, ApplicationLoadBalancerProps, FixedResponse, ListenerProps};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let alb = ApplicationLoadBalancer::new(&stack, "Alb", ApplicationLoadBalancerProps::new(&vpc))?;
    /// let cert = Certificate::from_parameter(&stack, "CertificateArn")?;
    /// let https = alb.add_listener("Https", ListenerProps::https(443, &cert, FixedResponse::new(503)))?;
    /// assert_eq!(https.port(), 443);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_listener(&self, id: &str, props: ListenerProps) -> Result<ApplicationListener> {
        let listener = alb_listener::add_listener(&self.shared, id, props)?;
        self.listeners.borrow_mut().push(listener.clone());
        Ok(listener)
    }

    /// Adds an HTTP listener on `from_port` whose only action is a
    /// permanent (301) redirect to HTTPS on `to_port`, keeping host, path
    /// and query: the usual `add_redirect(80, 443)`. Its id is
    /// `Redirect<from>To<to>`; it is open like any listener.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::elasticloadbalancingv2::{ApplicationLoadBalancer, ApplicationLoadBalancerProps};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let alb = ApplicationLoadBalancer::new(&stack, "Alb", ApplicationLoadBalancerProps::new(&vpc))?;
    /// let redirect = alb.add_redirect(80, 443)?;
    /// assert_eq!(redirect.cfn().logical_id(), "AlbRedirect80To443");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_redirect(&self, from_port: u16, to_port: u16) -> Result<ApplicationListener> {
        self.add_listener(
            &format!("Redirect{from_port}To{to_port}"),
            ListenerProps::new(
                from_port,
                ApplicationProtocol::Http,
                Redirect::to_https(to_port),
            ),
        )
    }
}

impl Connectable for ApplicationLoadBalancer {
    fn connections(&self) -> Connections {
        self.shared.connections.clone()
    }
}

/// The `LoadBalancerAttributes` the props ask for, checked; and whether
/// access logs are on.
fn attributes(
    node: &Scope,
    props: &ApplicationLoadBalancerProps,
) -> (Vec<(&'static str, Str)>, bool) {
    let mut out: Vec<(&'static str, Str)> = vec![(
        "routing.http.drop_invalid_header_fields.enabled",
        props.drop_invalid_header_fields.to_string().into(),
    )];
    if let Some(h) = props.http2 {
        out.push(("routing.http2.enabled", h.to_string().into()));
    }
    if let Some(d) = props.deletion_protection {
        out.push(("deletion_protection.enabled", d.to_string().into()));
    }
    if let Some(t) = props.idle_timeout {
        if (1..=4000).contains(&t) {
            out.push(("idle_timeout.timeout_seconds", t.to_string().into()));
        } else {
            node.error(
                codes::IDLE_TIMEOUT,
                "LoadBalancerAttributes",
                format!("the idle timeout {t} s is out of range; allowed: 1 to 4000 s"),
            );
        }
    }
    if let Some((bucket, prefix)) = &props.access_logs {
        let mut ok = true;
        if bucket_uses_kms(bucket) {
            node.report(
                Diagnostic::error(
                    codes::ACCESS_LOGS,
                    node.path(),
                    format!("the access log bucket {} is encrypted with KMS; Elastic Load Balancing writes only to SSE-S3 buckets", bucket.scope().path()),
                )
                .property("LoadBalancerAttributes")
                .fix("use a bucket with Encryption::S3Managed (the default) for the logs"),
            );
            ok = false;
        }
        if let Some(p) = prefix {
            let problem = if p.contains("AWSLogs") {
                Some("contains `AWSLogs`, which Elastic Load Balancing adds itself")
            } else if p.starts_with('/') || p.ends_with('/') {
                Some("starts or ends with `/`")
            } else if p.is_empty() {
                Some("is empty (leave it out instead)")
            } else {
                None
            };
            if let Some(why) = problem {
                node.error(
                    codes::ACCESS_LOGS,
                    "LoadBalancerAttributes",
                    format!("the access log prefix `{p}` {why}"),
                );
                ok = false;
            }
        }
        if ok {
            out.push(("access_logs.s3.enabled", "true".into()));
            out.push(("access_logs.s3.bucket", bucket.bucket_name()));
            if let Some(p) = prefix {
                out.push(("access_logs.s3.prefix", p.into()));
            }
        }
        return (out, ok);
    }
    (out, false)
}

/// Allows the log delivery in the bucket's policy; the load balancer
/// waits for the policy.
fn allow_log_delivery(cfn: &CfnLoadBalancerRef, bucket: &Bucket, prefix: Option<&str>) {
    let mut objects = vec![Value::from(bucket.arn()), Value::from("/")];
    if let Some(p) = prefix {
        objects.push(Value::from(format!("{p}/")));
    }
    objects.extend([
        Value::from("AWSLogs/"),
        Pseudo::AccountId.into(),
        Value::from("/*"),
    ]);
    let statement = PolicyStatement::allow()
        .principal(Principal::service(
            "logdelivery.elasticloadbalancing.amazonaws.com",
        ))
        .actions(["s3:PutObject"])
        .resource(Fn::concat(objects));
    if bucket.add_to_resource_policy(statement) {
        if let Some(policy) = bucket.policy_cfn() {
            cfn.add_depends_on(policy);
        }
    }
}
