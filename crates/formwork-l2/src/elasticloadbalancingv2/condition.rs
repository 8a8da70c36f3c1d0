//! Listener rule conditions.

use formwork_core::{Diagnostic, Scope};
use formwork_l1::elasticloadbalancingv2::listener_rule;

use super::codes;
use crate::ec2::Peer;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    PathPatterns(Vec<String>),
    HostHeaders(Vec<String>),
    HttpHeader(String, Vec<String>),
    Methods(Vec<String>),
    QueryStrings(Vec<(Option<String>, String)>),
    SourceIps(Vec<String>),
}

/// What a listener rule matches a request on. A rule matches when all its
/// conditions do; a condition matches when any of its values does.
///
/// Elastic Load Balancing's rules, checked (`FW3107`): at least one
/// condition per rule, at most one host, path, method and source-ip
/// condition each, at most 5 values over all conditions; paths and hosts of
/// up to 128 characters (`*` and `?` as wildcards), header names of up to
/// 40, methods in upper case, source blocks as CIDR.
///
/// ```
/// use formwork::elasticloadbalancingv2::ListenerCondition;
/// let api = ListenerCondition::path_patterns(["/api/*"]);
/// let host = ListenerCondition::host_headers(["api.example.com"]);
/// let office = ListenerCondition::source_ips(["203.0.113.0/24"]);
/// # let _ = (api, host, office);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListenerCondition {
    kind: Kind,
}

fn strings<S: Into<String>>(values: impl IntoIterator<Item = S>) -> Vec<String> {
    values.into_iter().map(Into::into).collect()
}

impl ListenerCondition {
    /// The request path matches one of the patterns (`/api/*`).
    pub fn path_patterns<S: Into<String>>(patterns: impl IntoIterator<Item = S>) -> Self {
        ListenerCondition {
            kind: Kind::PathPatterns(strings(patterns)),
        }
    }

    /// The `Host` header matches one of the names (`*.example.com`).
    pub fn host_headers<S: Into<String>>(hosts: impl IntoIterator<Item = S>) -> Self {
        ListenerCondition {
            kind: Kind::HostHeaders(strings(hosts)),
        }
    }

    /// The header `name` matches one of the values.
    pub fn http_header<S: Into<String>>(
        name: impl Into<String>,
        values: impl IntoIterator<Item = S>,
    ) -> Self {
        ListenerCondition {
            kind: Kind::HttpHeader(name.into(), strings(values)),
        }
    }

    /// The request method is one of these (`GET`, `POST`).
    pub fn http_request_methods<S: Into<String>>(methods: impl IntoIterator<Item = S>) -> Self {
        ListenerCondition {
            kind: Kind::Methods(strings(methods)),
        }
    }

    /// The query string has one of these key/value pairs.
    pub fn query_strings<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        ListenerCondition {
            kind: Kind::QueryStrings(
                pairs
                    .into_iter()
                    .map(|(k, v)| (Some(k.into()), v.into()))
                    .collect(),
            ),
        }
    }

    /// The query string has one of these values, under any key.
    pub fn query_string_values<S: Into<String>>(values: impl IntoIterator<Item = S>) -> Self {
        ListenerCondition {
            kind: Kind::QueryStrings(strings(values).into_iter().map(|v| (None, v)).collect()),
        }
    }

    /// The client address is in one of the blocks (IPv4 or IPv6 CIDR).
    pub fn source_ips<S: Into<String>>(blocks: impl IntoIterator<Item = S>) -> Self {
        ListenerCondition {
            kind: Kind::SourceIps(strings(blocks)),
        }
    }

    fn field(&self) -> &'static str {
        match self.kind {
            Kind::PathPatterns(_) => "path-pattern",
            Kind::HostHeaders(_) => "host-header",
            Kind::HttpHeader(..) => "http-header",
            Kind::Methods(_) => "http-request-method",
            Kind::QueryStrings(_) => "query-string",
            Kind::SourceIps(_) => "source-ip",
        }
    }

    fn value_count(&self) -> usize {
        match &self.kind {
            Kind::PathPatterns(v)
            | Kind::HostHeaders(v)
            | Kind::HttpHeader(_, v)
            | Kind::Methods(v)
            | Kind::SourceIps(v) => v.len(),
            Kind::QueryStrings(v) => v.len(),
        }
    }

    /// The L1 condition.
    pub(crate) fn to_cfn(&self) -> listener_rule::RuleCondition {
        let c = listener_rule::RuleCondition::new().field(self.field());
        match &self.kind {
            Kind::PathPatterns(v) => {
                c.path_pattern_config(listener_rule::PathPatternConfig::new().values(v.clone()))
            }
            Kind::HostHeaders(v) => {
                c.host_header_config(listener_rule::HostHeaderConfig::new().values(v.clone()))
            }
            Kind::HttpHeader(name, v) => c.http_header_config(
                listener_rule::HttpHeaderConfig::new()
                    .http_header_name(name.as_str())
                    .values(v.clone()),
            ),
            Kind::Methods(v) => c.http_request_method_config(
                listener_rule::HttpRequestMethodConfig::new().values(v.clone()),
            ),
            Kind::QueryStrings(v) => c.query_string_config(
                listener_rule::QueryStringConfig::new().values(v.iter().map(|(k, val)| {
                    let kv = listener_rule::QueryStringKeyValue::new().value(val.as_str());
                    match k {
                        Some(k) => kv.key(k.as_str()),
                        None => kv,
                    }
                })),
            ),
            Kind::SourceIps(v) => {
                c.source_ip_config(listener_rule::SourceIpConfig::new().values(v.clone()))
            }
        }
    }

    /// What is wrong with one value, if anything.
    fn value_problem(&self, value: &str) -> Option<String> {
        let too_long = |max: usize| {
            (value.chars().count() > max).then(|| {
                format!(
                    "`{value}` has {} characters; allowed: up to {max}",
                    value.chars().count()
                )
            })
        };
        match &self.kind {
            Kind::PathPatterns(_) => too_long(128).or_else(|| {
                let bad: String = value
                    .chars()
                    .filter(|c| !(c.is_ascii_alphanumeric() || "_-.$/~\"'@:+&*?".contains(*c)))
                    .collect();
                (!bad.is_empty()).then(|| format!("the path pattern `{value}` has characters Elastic Load Balancing refuses ({bad:?}); allowed: letters, digits and _-.$/~\"'@:+&*?"))
            }),
            Kind::HostHeaders(_) => too_long(128).or_else(|| {
                if !value.chars().all(|c| c.is_ascii_alphanumeric() || "-.*?".contains(c)) {
                    Some(format!("the host `{value}` has characters Elastic Load Balancing refuses; allowed: letters, digits and -.*?"))
                } else if !value.contains('.') {
                    Some(format!("the host `{value}` has no `.`; allowed: a name with at least one dot"))
                } else {
                    None
                }
            }),
            Kind::HttpHeader(..) => too_long(128),
            Kind::Methods(_) => too_long(40).or_else(|| {
                (!value.chars().all(|c| c.is_ascii_uppercase() || c == '-' || c == '_')).then(|| {
                    format!("the method `{value}` is not upper-case letters, `-` and `_` (methods are case-sensitive)")
                })
            }),
            Kind::QueryStrings(_) => too_long(128),
            Kind::SourceIps(_) => {
                let peer = if value.contains(':') { Peer::ipv6(value) } else { Peer::ipv4(value) };
                peer.problem().map(|(msg, _)| msg)
            }
        }
    }
}

/// Checks the conditions of one rule; reports on `node`.
pub(crate) fn check(node: &Scope, conditions: &[ListenerCondition]) {
    let code = codes::RULE_CONDITION;
    if conditions.is_empty() {
        node.report(
            Diagnostic::error(code, node.path(), "a listener rule needs at least one condition; found none")
                .property("Conditions")
                .fix("add a condition, e.g. ListenerCondition::path_patterns([\"/api/*\"]); a catch-all belongs in the listener's default action"),
        );
        return;
    }
    for (i, c) in conditions.iter().enumerate() {
        let p = format!("Conditions[{i}]");
        let once = !matches!(c.kind, Kind::HttpHeader(..) | Kind::QueryStrings(_));
        if once && conditions[..i].iter().any(|o| o.field() == c.field()) {
            node.error(
                code,
                &p,
                format!("a second {} condition; allowed: one per rule (put every value in one condition)", c.field()),
            );
        }
        if c.value_count() == 0 {
            node.error(
                code,
                &p,
                format!("the {} condition has no value", c.field()),
            );
        }
        if let Kind::HttpHeader(name, _) = &c.kind {
            let n = name.chars().count();
            if n == 0 || n > 40 || !name.chars().all(|ch| ch.is_ascii_graphic() && ch != ':') {
                node.error(
                    code,
                    &format!("{p}.HttpHeaderConfig.HttpHeaderName"),
                    format!("the header name `{name}` is not allowed; allowed: 1 to 40 visible characters without `:`"),
                );
            }
        }
        let values: Vec<&str> = match &c.kind {
            Kind::PathPatterns(v)
            | Kind::HostHeaders(v)
            | Kind::HttpHeader(_, v)
            | Kind::Methods(v)
            | Kind::SourceIps(v) => v.iter().map(String::as_str).collect(),
            Kind::QueryStrings(v) => {
                for (j, (k, _)) in v.iter().enumerate() {
                    if let Some(msg) = k.as_deref().and_then(|k| c.value_problem(k)) {
                        node.error(code, &format!("{p}.QueryStringConfig.Values[{j}].Key"), msg);
                    }
                }
                v.iter().map(|(_, val)| val.as_str()).collect()
            }
        };
        for (j, value) in values.iter().enumerate() {
            let problem = if value.is_empty() {
                Some("a condition value cannot be empty".to_owned())
            } else {
                c.value_problem(value)
            };
            if let Some(msg) = problem {
                node.error(code, &format!("{p}.Values[{j}]"), msg);
            }
        }
    }
    let total: usize = conditions.iter().map(ListenerCondition::value_count).sum();
    if total > 5 {
        node.report(
            Diagnostic::error(
                code,
                node.path(),
                format!("the rule's conditions have {total} values; allowed: up to 5 per rule"),
            )
            .property("Conditions")
            .fix("split the rule into several rules with the same action"),
        );
    }
}
