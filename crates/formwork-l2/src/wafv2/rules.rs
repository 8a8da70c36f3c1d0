//! The rules of a [`WebAcl`](super::WebAcl): AWS managed rule groups, a
//! rate limit per client IP, and IP set rules.

use formwork_core::Scope;
use formwork_l1::wafv2::web_acl as l1;
use serde_json::json;

use super::{IpSet, codes, error};

/// A rule of a web ACL: what [`WebAclProps::rule`](super::WebAclProps::rule)
/// takes (each kind
/// converts into it).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Rule {
    /// A managed rule group.
    Managed(ManagedRuleGroup),
    /// A rate limit.
    Rate(RateLimit),
    /// An IP set rule.
    IpSet(IpSetRule),
}

impl From<ManagedRuleGroup> for Rule {
    fn from(r: ManagedRuleGroup) -> Self {
        Rule::Managed(r)
    }
}

impl From<RateLimit> for Rule {
    fn from(r: RateLimit) -> Self {
        Rule::Rate(r)
    }
}

impl From<IpSetRule> for Rule {
    fn from(r: IpSetRule) -> Self {
        Rule::IpSet(r)
    }
}

/// What every rule kind has: a name and an optional explicit priority.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Common {
    name: Option<String>,
    priority: Option<u32>,
}

impl Rule {
    fn common(&self) -> &Common {
        match self {
            Rule::Managed(r) => &r.common,
            Rule::Rate(r) => &r.common,
            Rule::IpSet(r) => &r.common,
        }
    }

    /// The rule's name: the one given, else derived from what it does
    /// (`AWS-AWSManagedRulesCommonRuleSet`, `RateLimit`, `Allow<IP set id>`).
    pub fn name(&self) -> String {
        if let Some(n) = &self.common().name {
            return n.clone();
        }
        let derived = match self {
            Rule::Managed(r) => format!("{}-{}", r.vendor, r.group),
            Rule::Rate(_) => "RateLimit".to_owned(),
            Rule::IpSet(r) => format!(
                "{}{}",
                if r.allow { "Allow" } else { "Block" },
                r.set.scope().logical_id()
            ),
        };
        derived
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .take(128)
            .collect()
    }

    /// The priority given explicitly, if any.
    pub fn priority(&self) -> Option<u32> {
        self.common().priority
    }

    /// Reports what AWS WAF would refuse in the rule itself (names and
    /// limits; scope and uniqueness are the web ACL's checks).
    pub(crate) fn validate(&self, node: &Scope, property: &str) {
        match self {
            Rule::Managed(r) => r.validate(node, property),
            Rule::Rate(r) => r.validate(node, property),
            Rule::IpSet(_) => {}
        }
    }

    /// The L1 rule with its priority and visibility.
    pub(crate) fn to_cfn(&self, priority: u32, visibility: l1::VisibilityConfig) -> l1::Rule {
        let rule = l1::Rule::new()
            .name(self.name())
            .priority(priority)
            .visibility_config(visibility);
        match self {
            Rule::Managed(r) => rule
                .statement(l1::Statement::new().managed_rule_group_statement(r.statement()))
                .override_action(if r.count_only {
                    l1::OverrideAction::new().count(json!({}))
                } else {
                    l1::OverrideAction::new().none(json!({}))
                }),
            Rule::Rate(r) => rule
                .statement(
                    l1::Statement::new().rate_based_statement(
                        l1::RateBasedStatement::new()
                            .limit(r.limit)
                            .aggregate_key_type(l1::AggregateKeyType::Ip)
                            .evaluation_window_sec(r.window.seconds()),
                    ),
                )
                .action(if r.count_only {
                    l1::RuleAction::new().count(l1::CountAction::new())
                } else {
                    l1::RuleAction::new().block(l1::BlockAction::new())
                }),
            Rule::IpSet(r) => rule
                .statement(l1::Statement::new().ip_set_reference_statement(
                    l1::IpSetReferenceStatement::new().arn(r.set.arn()),
                ))
                .action(if r.allow {
                    l1::RuleAction::new().allow(l1::AllowAction::new())
                } else {
                    l1::RuleAction::new().block(l1::BlockAction::new())
                }),
        }
    }

    /// The web ACL capacity units (WCUs) the rule uses, when known: AWS's
    /// documented figures for the groups of [`ManagedRuleGroup`]'s
    /// constructors, 2 for a rate limit per IP, 1 for an IP set rule.
    pub(crate) fn capacity(&self) -> Option<u32> {
        match self {
            Rule::Managed(r) if r.vendor == "AWS" => KNOWN_CAPACITY
                .iter()
                .find(|(g, _)| *g == r.group)
                .map(|(_, w)| *w),
            Rule::Managed(_) => None,
            Rule::Rate(_) => Some(2),
            Rule::IpSet(_) => Some(1),
        }
    }

    /// True for AWS's known-bad-inputs group acting on its matches (what
    /// checkov's Log4j check, `CKV_AWS_192`, looks for).
    pub(crate) fn blocks_known_bad_inputs(&self) -> bool {
        matches!(self, Rule::Managed(r) if r.vendor == "AWS"
            && r.group == "AWSManagedRulesKnownBadInputsRuleSet"
            && !r.count_only)
    }

    /// The IP set a rule reads, for the web ACL's scope check.
    pub(crate) fn ip_set(&self) -> Option<&IpSet> {
        match self {
            Rule::IpSet(r) => Some(&r.set),
            _ => None,
        }
    }
}

/// The capacity (WCUs) of the AWS managed rule groups with a constructor,
/// as AWS documents them.
const KNOWN_CAPACITY: &[(&str, u32)] = &[
    ("AWSManagedRulesCommonRuleSet", 700),
    ("AWSManagedRulesKnownBadInputsRuleSet", 200),
    ("AWSManagedRulesAmazonIpReputationList", 25),
    ("AWSManagedRulesAnonymousIpList", 50),
    ("AWSManagedRulesSQLiRuleSet", 200),
    ("AWSManagedRulesLinuxRuleSet", 200),
    ("AWSManagedRulesAdminProtectionRuleSet", 100),
];

/// Characters AWS WAF takes in rule, group and rule-override names.
fn name_ok(n: &str) -> bool {
    (1..=128).contains(&n.len())
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Reports a name outside AWS WAF's `[0-9A-Za-z_-]{1,128}`.
pub(crate) fn check_name(node: &Scope, code: &'static str, property: &str, what: &str, n: &str) {
    if !name_ok(n) {
        error(
            node,
            code,
            property,
            format!("{what} `{n}`; allowed: 1 to 128 characters of A-Z a-z 0-9 - _"),
            None,
        );
    }
}

/// A rule group of a vendor of managed rules (AWS's, free with AWS WAF, or
/// a Marketplace seller's, by subscription). Its rules act as they are
/// written (`OverrideAction: None`) unless [`count_only`](Self::count_only);
/// single rules that misfire on an application are switched to count with
/// [`count_rule`](Self::count_rule).
///
/// The default rule name is `<vendor>-<group>`
/// (`AWS-AWSManagedRulesCommonRuleSet`), as the console names them.
///
/// ```
/// use formwork::wafv2::ManagedRuleGroup;
/// let common = ManagedRuleGroup::common_rule_set()
///     .count_rule("SizeRestrictions_BODY")
///     .count_rule("NoUserAgent_HEADER");
/// # let _ = common;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedRuleGroup {
    common: Common,
    vendor: String,
    group: String,
    version: Option<String>,
    count_rules: Vec<String>,
    count_only: bool,
}

impl ManagedRuleGroup {
    /// An AWS managed rule group by name (`AWSManagedRulesLinuxRuleSet`).
    pub fn aws(group: impl Into<String>) -> Self {
        ManagedRuleGroup::vendor("AWS", group)
    }

    /// A rule group of `vendor` (a Marketplace seller, subscribed to).
    pub fn vendor(vendor: impl Into<String>, group: impl Into<String>) -> Self {
        ManagedRuleGroup {
            common: Common::default(),
            vendor: vendor.into(),
            group: group.into(),
            version: None,
            count_rules: Vec::new(),
            count_only: false,
        }
    }

    /// `AWSManagedRulesCommonRuleSet`: the OWASP-style baseline (cross-site
    /// scripting, bad paths, oversized bodies), 700 WCUs.
    pub fn common_rule_set() -> Self {
        ManagedRuleGroup::aws("AWSManagedRulesCommonRuleSet")
    }

    /// `AWSManagedRulesKnownBadInputsRuleSet`: request patterns known to be
    /// malicious (Log4j, Java deserialization), 200 WCUs.
    pub fn known_bad_inputs() -> Self {
        ManagedRuleGroup::aws("AWSManagedRulesKnownBadInputsRuleSet")
    }

    /// `AWSManagedRulesAmazonIpReputationList`: addresses Amazon threat
    /// intelligence flags (bots, reconnaissance), 25 WCUs.
    pub fn amazon_ip_reputation_list() -> Self {
        ManagedRuleGroup::aws("AWSManagedRulesAmazonIpReputationList")
    }

    /// `AWSManagedRulesAnonymousIpList`: VPNs, proxies, Tor and hosting
    /// providers, 50 WCUs.
    pub fn anonymous_ip_list() -> Self {
        ManagedRuleGroup::aws("AWSManagedRulesAnonymousIpList")
    }

    /// `AWSManagedRulesSQLiRuleSet`: SQL injection, 200 WCUs.
    pub fn sql_injection() -> Self {
        ManagedRuleGroup::aws("AWSManagedRulesSQLiRuleSet")
    }

    /// `AWSManagedRulesLinuxRuleSet`: Linux-specific exploits (local file
    /// inclusion), 200 WCUs.
    pub fn linux() -> Self {
        ManagedRuleGroup::aws("AWSManagedRulesLinuxRuleSet")
    }

    /// `AWSManagedRulesAdminProtectionRuleSet`: requests for administrative
    /// pages, 100 WCUs.
    pub fn admin_protection() -> Self {
        ManagedRuleGroup::aws("AWSManagedRulesAdminProtectionRuleSet")
    }

    /// Pins a version of the group (`Version_1.0`); by default the
    /// vendor's default version, updated by the vendor.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// Counts the matches of the group's rule `rule` instead of acting on
    /// them (a `RuleActionOverride` to `Count`, what AWS recommends over
    /// the older `ExcludedRules`, which did the same): how a rule that
    /// blocks legitimate traffic of the application is taken out.
    pub fn count_rule(mut self, rule: impl Into<String>) -> Self {
        self.count_rules.push(rule.into());
        self
    }

    /// Counts the matches of every rule of the group instead of acting on
    /// them (`OverrideAction: Count`): to watch a group's metrics before
    /// letting it block.
    pub fn count_only(mut self) -> Self {
        self.count_only = true;
        self
    }

    /// The rule's name in the web ACL (default `<vendor>-<group>`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.common.name = Some(name.into());
        self
    }

    /// An explicit priority (default: after the rules added before it).
    pub fn priority(mut self, priority: u32) -> Self {
        self.common.priority = Some(priority);
        self
    }

    fn validate(&self, node: &Scope, property: &str) {
        let at = format!("{property}.Statement.ManagedRuleGroupStatement");
        check_name(
            node,
            codes::MANAGED_RULE_GROUP,
            &format!("{at}.Name"),
            "rule group name",
            &self.group,
        );
        if self.vendor.trim().is_empty() || self.vendor.chars().count() > 128 {
            error(
                node,
                codes::MANAGED_RULE_GROUP,
                &format!("{at}.VendorName"),
                format!(
                    "vendor name `{}`; allowed: 1 to 128 characters, not all blank",
                    self.vendor
                ),
                None,
            );
        }
        if let Some(v) = &self.version {
            let ok = (1..=64).contains(&v.len())
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_#:.-/".contains(c));
            if !ok {
                error(
                    node,
                    codes::MANAGED_RULE_GROUP,
                    &format!("{at}.Version"),
                    format!(
                        "version `{v}`; allowed: 1 to 64 characters of A-Z a-z 0-9 _ # : . - / (such as Version_1.0)"
                    ),
                    None,
                );
            }
        }
        if self.count_rules.len() > 100 {
            error(
                node,
                codes::MANAGED_RULE_GROUP,
                &format!("{at}.RuleActionOverrides"),
                format!(
                    "{} rule overrides; allowed: at most 100",
                    self.count_rules.len()
                ),
                Some("count the whole group with count_only() instead"),
            );
        }
        for (i, r) in self.count_rules.iter().enumerate() {
            let p = format!("{at}.RuleActionOverrides[{i}].Name");
            check_name(node, codes::MANAGED_RULE_GROUP, &p, "rule name", r);
            if self.count_rules[..i].contains(r) {
                error(
                    node,
                    codes::MANAGED_RULE_GROUP,
                    &p,
                    format!("rule `{r}` of {} is overridden twice", self.group),
                    None,
                );
            }
        }
    }

    fn statement(&self) -> l1::ManagedRuleGroupStatement {
        let mut s = l1::ManagedRuleGroupStatement::new()
            .vendor_name(self.vendor.as_str())
            .name(self.group.as_str());
        if let Some(v) = &self.version {
            s = s.version(v.as_str());
        }
        if !self.count_rules.is_empty() {
            s = s.rule_action_overrides(
                self.count_rules
                    .iter()
                    .map(|r| {
                        l1::RuleActionOverride::new()
                            .name(r.as_str())
                            .action_to_use(l1::RuleAction::new().count(l1::CountAction::new()))
                    })
                    .collect::<Vec<_>>(),
            );
        }
        s
    }
}

/// The window over which a [`RateLimit`] counts requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RateWindow {
    /// 60 seconds.
    OneMinute,
    /// 120 seconds.
    TwoMinutes,
    /// 300 seconds (AWS WAF's default).
    #[default]
    FiveMinutes,
    /// 600 seconds.
    TenMinutes,
}

impl RateWindow {
    fn seconds(self) -> u32 {
        match self {
            RateWindow::OneMinute => 60,
            RateWindow::TwoMinutes => 120,
            RateWindow::FiveMinutes => 300,
            RateWindow::TenMinutes => 600,
        }
    }
}

/// A rate-based rule: a client IP that sends more than `limit` requests in
/// the window (five minutes by default) is blocked until its rate falls
/// under the limit. AWS WAF takes limits of 10 to 2,000,000,000; anything
/// else is error `FW4706`. The default rule name is `RateLimit`.
///
/// ```
/// use formwork::wafv2::{RateLimit, RateWindow};
/// let limit = RateLimit::per_ip(300).window(RateWindow::OneMinute);
/// # let _ = limit;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimit {
    common: Common,
    limit: u64,
    window: RateWindow,
    count_only: bool,
}

impl RateLimit {
    /// At most `limit` requests per client IP in the window.
    pub fn per_ip(limit: u64) -> Self {
        RateLimit {
            common: Common::default(),
            limit,
            window: RateWindow::default(),
            count_only: false,
        }
    }

    /// The window the limit counts over (five minutes by default).
    pub fn window(mut self, window: RateWindow) -> Self {
        self.window = window;
        self
    }

    /// Counts the requests over the limit instead of blocking them: to
    /// see what a limit would do before enforcing it.
    pub fn count_only(mut self) -> Self {
        self.count_only = true;
        self
    }

    /// The rule's name in the web ACL (default `RateLimit`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.common.name = Some(name.into());
        self
    }

    /// An explicit priority (default: after the rules added before it).
    pub fn priority(mut self, priority: u32) -> Self {
        self.common.priority = Some(priority);
        self
    }

    fn validate(&self, node: &Scope, property: &str) {
        if !(10..=2_000_000_000).contains(&self.limit) {
            error(
                node,
                codes::RATE_LIMIT,
                &format!("{property}.Statement.RateBasedStatement.Limit"),
                format!(
                    "a limit of {} requests per {} seconds; allowed: 10 to 2,000,000,000",
                    self.limit,
                    self.window.seconds()
                ),
                None,
            );
        }
    }
}

/// A rule that allows or blocks the requests from the addresses of an
/// [`IpSet`] of the web ACL's scope. The default rule name is
/// `Allow<IP set id>` or `Block<IP set id>`.
///
/// An allowlist is a web ACL whose default action blocks, with an allow
/// rule; a blocklist, the reverse. The rule matches the address the
/// request comes from: behind a proxy or a CloudFront distribution in
/// front of a load balancer, that is the proxy's (put the web ACL on the
/// distribution instead, or match the forwarded header on the L1 rule,
/// `IPSetForwardedIPConfig`).
#[derive(Clone, Debug)]
pub struct IpSetRule {
    common: Common,
    set: IpSet,
    allow: bool,
}

impl IpSetRule {
    /// Allows the requests from `set`'s addresses (later rules do not see
    /// them).
    pub fn allow(set: &IpSet) -> Self {
        IpSetRule {
            common: Common::default(),
            set: set.clone(),
            allow: true,
        }
    }

    /// Blocks the requests from `set`'s addresses.
    pub fn block(set: &IpSet) -> Self {
        IpSetRule {
            common: Common::default(),
            set: set.clone(),
            allow: false,
        }
    }

    /// The rule's name in the web ACL.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.common.name = Some(name.into());
        self
    }

    /// An explicit priority (default: after the rules added before it).
    pub fn priority(mut self, priority: u32) -> Self {
        self.common.priority = Some(priority);
        self
    }
}
