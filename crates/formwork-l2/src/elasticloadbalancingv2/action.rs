//! Listener actions: forward, redirect, fixed response.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, ResourceRef, Result, Scope, Value};
use formwork_l1::elasticloadbalancingv2::{listener, listener_rule};

use super::alb_listener::ApplicationProtocol;
use super::alb_target_group::{ApplicationTargetGroup, TargetType};
use super::codes;
use crate::ec2::Connections;

/// The protocol a [`Redirect`] sends the client to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RedirectProtocol {
    /// `HTTP` (not from an HTTPS listener: `FW3106`).
    Http,
    /// `HTTPS`.
    Https,
}

/// A redirect: every part not set keeps the request's own (`#{host}`,
/// `#{path}`, …). Permanent (HTTP 301) unless [`Redirect::temporary`].
///
/// ```
/// use formwork::elasticloadbalancingv2::{Redirect, RedirectProtocol};
/// let to_https = Redirect::to_https(443);
/// let moved = Redirect::new().host("www.example.com").path("/new/#{path}").temporary();
/// # let _ = (to_https, moved, RedirectProtocol::Https);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Redirect {
    protocol: Option<RedirectProtocol>,
    port: Option<u16>,
    host: Option<Str>,
    path: Option<Str>,
    query: Option<Str>,
    temporary: bool,
}

impl Redirect {
    /// A redirect that keeps everything (set at least one part).
    pub fn new() -> Self {
        Redirect::default()
    }

    /// `HTTPS` on `port`, permanent: the usual HTTP→HTTPS redirect.
    pub fn to_https(port: u16) -> Self {
        Redirect::new().protocol(RedirectProtocol::Https).port(port)
    }

    /// The protocol.
    pub fn protocol(mut self, protocol: RedirectProtocol) -> Self {
        self.protocol = Some(protocol);
        self
    }

    /// The port.
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// The host name (may use `#{host}`).
    pub fn host(mut self, host: impl Into<Str>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// The path, starting with `/` (may use `#{path}`).
    pub fn path(mut self, path: impl Into<Str>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The query, without the leading `?` (may use `#{query}`).
    pub fn query(mut self, query: impl Into<Str>) -> Self {
        self.query = Some(query.into());
        self
    }

    /// HTTP 302 instead of 301.
    pub fn temporary(mut self) -> Self {
        self.temporary = true;
        self
    }
}

/// The content types a [`FixedResponse`] may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FixedResponseContentType {
    /// `text/plain`
    TextPlain,
    /// `text/css`
    TextCss,
    /// `text/html`
    TextHtml,
    /// `application/javascript`
    ApplicationJavascript,
    /// `application/json`
    ApplicationJson,
}

impl FixedResponseContentType {
    /// The MIME type.
    pub fn as_str(self) -> &'static str {
        match self {
            FixedResponseContentType::TextPlain => "text/plain",
            FixedResponseContentType::TextCss => "text/css",
            FixedResponseContentType::TextHtml => "text/html",
            FixedResponseContentType::ApplicationJavascript => "application/javascript",
            FixedResponseContentType::ApplicationJson => "application/json",
        }
    }
}

/// An answer the load balancer gives itself: a status code (2XX, 4XX or
/// 5XX; `FW3105`), and optionally a content type and a body of up to 1024
/// characters.
///
/// ```
/// use formwork::elasticloadbalancingv2::{FixedResponse, FixedResponseContentType};
/// let not_found = FixedResponse::new(404)
///     .content_type(FixedResponseContentType::ApplicationJson)
///     .message_body(r#"{"error":"not found"}"#);
/// # let _ = not_found;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct FixedResponse {
    status_code: u16,
    content_type: Option<FixedResponseContentType>,
    message_body: Option<String>,
}

impl FixedResponse {
    /// A response with this status code.
    pub fn new(status_code: u16) -> Self {
        FixedResponse {
            status_code,
            content_type: None,
            message_body: None,
        }
    }

    /// Its content type.
    pub fn content_type(mut self, content_type: FixedResponseContentType) -> Self {
        self.content_type = Some(content_type);
        self
    }

    /// Its body.
    pub fn message_body(mut self, body: impl Into<String>) -> Self {
        self.message_body = Some(body.into());
        self
    }
}

#[derive(Clone, Debug)]
enum Kind {
    Forward(Vec<(ApplicationTargetGroup, Option<u32>)>),
    Redirect(Redirect),
    Fixed(FixedResponse),
}

/// What a listener (or a listener rule) does with a request.
///
/// A target group, a [`Redirect`] and a [`FixedResponse`] convert into an
/// action, so `ListenerProps::http(80, &target_group)` reads directly.
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{Vpc, VpcProps};
/// use formwork::elasticloadbalancingv2::{ApplicationTargetGroup, FixedResponse, ListenerAction, Redirect, TargetGroupProps};
/// let app = App::new();
/// let stack = app.stack("Web")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let blue = ApplicationTargetGroup::new(&stack, "Blue", TargetGroupProps::new(&vpc).port(8080))?;
/// let green = ApplicationTargetGroup::new(&stack, "Green", TargetGroupProps::new(&vpc).port(8080))?;
/// let canary = ListenerAction::weighted_forward([(&blue, 90), (&green, 10)]).stickiness_seconds(300);
/// let https = ListenerAction::redirect(Redirect::to_https(443));
/// let gone = ListenerAction::fixed_response(FixedResponse::new(410));
/// # let _ = (canary, https, gone);
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ListenerAction {
    kind: Kind,
    stickiness: Option<u32>,
}

impl ListenerAction {
    /// True for a redirect to HTTPS.
    pub(crate) fn is_https_redirect(&self) -> bool {
        matches!(&self.kind, Kind::Redirect(r) if r.protocol == Some(RedirectProtocol::Https))
    }

    /// Forwards to one target group.
    pub fn forward(target_group: &ApplicationTargetGroup) -> Self {
        ListenerAction {
            kind: Kind::Forward(vec![(target_group.clone(), None)]),
            stickiness: None,
        }
    }

    /// Forwards to up to 5 target groups, each getting its weight's share
    /// of the requests (weights 0 to 999).
    pub fn weighted_forward<'a>(
        groups: impl IntoIterator<Item = (&'a ApplicationTargetGroup, u32)>,
    ) -> Self {
        ListenerAction {
            kind: Kind::Forward(
                groups
                    .into_iter()
                    .map(|(g, w)| (g.clone(), Some(w)))
                    .collect(),
            ),
            stickiness: None,
        }
    }

    /// Keeps a client on the target group it first went to for this many
    /// seconds (1 to 604800; forward actions only, `FW3104`).
    pub fn stickiness_seconds(mut self, seconds: u32) -> Self {
        self.stickiness = Some(seconds);
        self
    }

    /// Redirects.
    pub fn redirect(redirect: Redirect) -> Self {
        ListenerAction {
            kind: Kind::Redirect(redirect),
            stickiness: None,
        }
    }

    /// Answers with a fixed response.
    pub fn fixed_response(response: FixedResponse) -> Self {
        ListenerAction {
            kind: Kind::Fixed(response),
            stickiness: None,
        }
    }

    /// The target groups it forwards to.
    pub fn target_groups(&self) -> Vec<ApplicationTargetGroup> {
        match &self.kind {
            Kind::Forward(groups) => groups.iter().map(|(g, _)| g.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// Checks the action as used by a listener of `protocol` in the VPC
    /// `vpc_id`; reports on `node` under `property`.
    pub(crate) fn check(
        &self,
        node: &Scope,
        property: &str,
        protocol: ApplicationProtocol,
        vpc_id: &Str,
    ) {
        match &self.kind {
            Kind::Forward(groups) => check_forward(node, property, groups, self.stickiness, vpc_id),
            Kind::Redirect(r) => {
                self.check_no_stickiness(node, property);
                check_redirect(node, property, r, protocol);
            }
            Kind::Fixed(f) => {
                self.check_no_stickiness(node, property);
                check_fixed(node, property, f);
            }
        }
    }

    fn check_no_stickiness(&self, node: &Scope, property: &str) {
        if self.stickiness.is_some() {
            node.error(
                codes::FORWARD,
                &format!("{property}.ForwardConfig.TargetGroupStickinessConfig"),
                "stickiness is for forward actions; this action does not forward",
            );
        }
    }

    /// Records that `resource` forwards to this action's target groups.
    #[track_caller]
    pub(crate) fn register(
        &self,
        resource: &ResourceRef,
        lb_key: &str,
        lb: &Connections,
    ) -> Result<()> {
        for g in self.target_groups() {
            g.used_by(resource, lb_key, lb)?;
        }
        Ok(())
    }
}

impl From<&ApplicationTargetGroup> for ListenerAction {
    fn from(g: &ApplicationTargetGroup) -> Self {
        ListenerAction::forward(g)
    }
}

impl From<Redirect> for ListenerAction {
    fn from(r: Redirect) -> Self {
        ListenerAction::redirect(r)
    }
}

impl From<FixedResponse> for ListenerAction {
    fn from(f: FixedResponse) -> Self {
        ListenerAction::fixed_response(f)
    }
}

fn literal(s: &Str) -> Option<String> {
    Value::from(s.clone()).as_str().map(str::to_owned)
}

fn check_forward(
    node: &Scope,
    property: &str,
    groups: &[(ApplicationTargetGroup, Option<u32>)],
    stickiness: Option<u32>,
    vpc_id: &Str,
) {
    let code = codes::FORWARD;
    if groups.is_empty() {
        node.error(
            code,
            property,
            "a forward action needs a target group; found none",
        );
    }
    if groups.len() > 5 {
        node.error(
            code,
            property,
            format!(
                "a forward action has {} target groups; allowed: up to 5",
                groups.len()
            ),
        );
    }
    for (i, (g, w)) in groups.iter().enumerate() {
        let p = format!("{property}.ForwardConfig.TargetGroups[{i}]");
        if let Some(w) = w.filter(|w| *w > 999) {
            node.error(
                code,
                &format!("{p}.Weight"),
                format!("the weight {w} is out of range; allowed: 0 to 999"),
            );
        }
        if groups[..i].iter().any(|(o, _)| o.same_as(g)) {
            node.error(
                code,
                &p,
                format!(
                    "the target group {} is in the action twice",
                    g.scope().path()
                ),
            );
        }
        if g.target_type() != TargetType::Lambda {
            if let Some(v) = g.vpc_id() {
                if v != *vpc_id {
                    node.report(
                        Diagnostic::error(
                            codes::TARGET_GROUP_VPC,
                            node.path(),
                            format!("the target group {} is in another VPC than the load balancer", g.scope().path()),
                        )
                        .property(p)
                        .fix("make the target group with TargetGroupProps::new(&vpc) of the load balancer's VPC"),
                    );
                }
            }
        }
    }
    if let Some(s) = stickiness.filter(|s| !(1..=604_800).contains(s)) {
        node.error(
            code,
            &format!("{property}.ForwardConfig.TargetGroupStickinessConfig.DurationSeconds"),
            format!("the stickiness duration {s} s is out of range; allowed: 1 to 604800 s"),
        );
    }
}

fn check_redirect(node: &Scope, property: &str, r: &Redirect, protocol: ApplicationProtocol) {
    let code = codes::REDIRECT;
    let p = format!("{property}.RedirectConfig");
    if r.protocol.is_none()
        && r.port.is_none()
        && r.host.is_none()
        && r.path.is_none()
        && r.query.is_none()
    {
        node.report(
            Diagnostic::error(code, node.path(), "the redirect keeps protocol, port, host, path and query: it would send clients back here forever")
                .property(&p)
                .fix("set at least one part, e.g. Redirect::to_https(443)"),
        );
    }
    if r.port == Some(0) {
        node.error(
            code,
            &format!("{p}.Port"),
            "port 0 is out of range; allowed: 1 to 65535",
        );
    }
    if let Some(path) = r.path.as_ref().and_then(literal) {
        if !path.starts_with('/') {
            node.error(
                code,
                &format!("{p}.Path"),
                format!("the redirect path `{path}` does not start with `/`"),
            );
        }
    }
    if let Some(q) = r.query.as_ref().and_then(literal) {
        if q.starts_with('?') {
            node.report(
                Diagnostic::error(
                    code,
                    node.path(),
                    format!("the redirect query `{q}` starts with `?`"),
                )
                .property(format!("{p}.Query"))
                .fix("write the query without the leading `?`"),
            );
        }
    }
    if protocol == ApplicationProtocol::Https && r.protocol == Some(RedirectProtocol::Http) {
        node.error(
            code,
            &format!("{p}.Protocol"),
            "an HTTPS listener cannot redirect to HTTP; allowed: HTTPS",
        );
    }
}

fn check_fixed(node: &Scope, property: &str, f: &FixedResponse) {
    let code = codes::FIXED_RESPONSE;
    let p = format!("{property}.FixedResponseConfig");
    if !matches!(f.status_code, 200..=299 | 400..=599) {
        node.error(
            code,
            &format!("{p}.StatusCode"),
            format!(
                "the status code {} is not allowed; allowed: 2XX, 4XX or 5XX",
                f.status_code
            ),
        );
    }
    if let Some(b) = &f.message_body {
        let n = b.chars().count();
        if n > 1024 {
            node.error(
                code,
                &format!("{p}.MessageBody"),
                format!("the body has {n} characters; allowed: up to 1024"),
            );
        }
    }
}

/// Renders an action as the L1 `Action` of a listener or a listener rule
/// (two generated types of the same shape).
macro_rules! render {
    ($name:ident, $m:ident) => {
        impl ListenerAction {
            pub(crate) fn $name(&self) -> $m::Action {
                match &self.kind {
                    Kind::Forward(groups) => {
                        let simple =
                            groups.len() == 1 && groups[0].1.is_none() && self.stickiness.is_none();
                        let action = $m::Action::new().type_($m::Type::Forward);
                        if simple {
                            return action.target_group_arn(groups[0].0.target_group_arn());
                        }
                        let tuples = groups.iter().map(|(g, w)| {
                            let t =
                                $m::TargetGroupTuple::new().target_group_arn(g.target_group_arn());
                            match w {
                                Some(w) => t.weight(*w),
                                None => t,
                            }
                        });
                        let mut config = $m::ForwardConfig::new().target_groups(tuples);
                        if let Some(s) = self.stickiness {
                            config = config.target_group_stickiness_config(
                                $m::TargetGroupStickinessConfig::new()
                                    .enabled(true)
                                    .duration_seconds(s),
                            );
                        }
                        action.forward_config(config)
                    }
                    Kind::Redirect(r) => {
                        let mut c = $m::RedirectConfig::new().status_code(if r.temporary {
                            $m::StatusCode::Http302
                        } else {
                            $m::StatusCode::Http301
                        });
                        if let Some(p) = r.protocol {
                            c = c.protocol(match p {
                                RedirectProtocol::Http => "HTTP",
                                RedirectProtocol::Https => "HTTPS",
                            });
                        }
                        if let Some(p) = r.port.filter(|p| *p != 0) {
                            c = c.port(p.to_string());
                        }
                        if let Some(h) = &r.host {
                            c = c.host(h.clone());
                        }
                        if let Some(p) = &r.path {
                            c = c.path(p.clone());
                        }
                        if let Some(q) = &r.query {
                            c = c.query(q.clone());
                        }
                        $m::Action::new()
                            .type_($m::Type::Redirect)
                            .redirect_config(c)
                    }
                    Kind::Fixed(f) => {
                        let mut c =
                            $m::FixedResponseConfig::new().status_code(f.status_code.to_string());
                        if let Some(t) = f.content_type {
                            c = c.content_type(t.as_str());
                        }
                        if let Some(b) = f
                            .message_body
                            .as_ref()
                            .filter(|b| b.chars().count() <= 1024)
                        {
                            c = c.message_body(b.as_str());
                        }
                        $m::Action::new()
                            .type_($m::Type::FixedResponse)
                            .fixed_response_config(c)
                    }
                }
            }
        }
    };
}

render!(to_listener_action, listener);
render!(to_rule_action, listener_rule);
