//! HostedZone: a public Route 53 hosted zone, created by the stack or
//! imported by id and name.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, RemovalPolicy, Result, Scope};
use formwork_l1::route53::{CfnHostedZone, CfnHostedZoneRef, hosted_zone};

use super::codes;
use super::name::{dns_name_problem, normalize};

/// What a [`HostedZone`] is made with: its domain name, and optionally a
/// comment and tags.
///
/// Defaults: a public zone, `DeletionPolicy` / `UpdateReplacePolicy:
/// Retain` (a new zone gets new name servers, which breaks the delegation
/// from the parent domain).
///
/// ```
/// use formwork::route53::HostedZoneProps;
/// let props = HostedZoneProps::new("example.com").comment("Public zone of the shop");
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct HostedZoneProps {
    zone_name: String,
    comment: Option<String>,
    removal_policy: RemovalPolicy,
    tags: Vec<(String, String)>,
}

impl HostedZoneProps {
    /// A public zone for `zone_name` (`example.com`).
    pub fn new(zone_name: impl Into<String>) -> Self {
        HostedZoneProps {
            zone_name: zone_name.into(),
            comment: None,
            removal_policy: RemovalPolicy::Retain,
            tags: Vec::new(),
        }
    }
    /// A comment.
    pub fn comment(mut self, c: impl Into<String>) -> Self {
        self.comment = Some(c.into());
        self
    }
    /// What happens to the zone when it leaves the stack (`Retain` by default).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }
    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

/// A Route 53 hosted zone. Records are added with
/// [`Record::new`](super::Record::new); certificates validate in it with
/// `CertificateProps::new(..).hosted_zone(&zone)`.
///
/// ```
/// use formwork::App;
/// use formwork::route53::{HostedZone, HostedZoneProps, Record, RecordProps};
/// let app = App::new();
/// let stack = app.stack("Dns")?;
/// let zone = HostedZone::new(&stack, "Zone", HostedZoneProps::new("example.com"))?;
/// Record::new(&stack, "Spf", RecordProps::txt(&zone, "", ["v=spf1 -all"]))?;
/// let t = app.synth()?.template_json("Dns").ok_or("no template")?;
/// assert_eq!(t["Resources"]["Zone"]["Properties"]["Name"], "example.com");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct HostedZone {
    scope: Scope,
    cfn: Option<CfnHostedZoneRef>,
    zone_id: Str,
    zone_name: String,
}

impl HostedZone {
    /// Adds a hosted zone at `scope/id`.
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: HostedZoneProps) -> Result<HostedZone> {
        let node = scope.child(id)?;
        check_zone_name(&node, &props.zone_name);
        let mut cfn = CfnHostedZone::new().name(props.zone_name.as_str());
        if let Some(c) = props.comment {
            cfn = cfn.hosted_zone_config(hosted_zone::HostedZoneConfig::new().comment(c));
        }
        if !props.tags.is_empty() {
            cfn = cfn.hosted_zone_tags(props.tags.iter().map(|(k, v)| {
                hosted_zone::HostedZoneTag::new()
                    .key(k.as_str())
                    .value(v.as_str())
            }));
        }
        let cfn = node.add_here(cfn)?;
        cfn.apply_removal_policy(props.removal_policy);
        Ok(HostedZone {
            zone_id: Str::from(cfn.ref_()),
            scope: node,
            cfn: Some(cfn),
            zone_name: normalize(&props.zone_name),
        })
    }

    /// An existing zone, by its id (`Z0123456789ABCDEFGHIJ`) and its name
    /// (`example.com`): no resource is created; records and certificates
    /// can use it.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::route53::HostedZone;
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let zone = HostedZone::from_attributes(&stack, "Zone", "Z0123456789ABCDEFGHIJ", "example.com")?;
    /// assert_eq!(zone.zone_name(), "example.com");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn from_attributes(
        scope: &Scope,
        id: &str,
        zone_id: impl Into<Str>,
        zone_name: impl Into<String>,
    ) -> Result<HostedZone> {
        let node = scope.child(id)?;
        let zone_name = zone_name.into();
        check_zone_name(&node, &zone_name);
        Ok(HostedZone {
            scope: node,
            cfn: None,
            zone_id: zone_id.into(),
            zone_name: normalize(&zone_name),
        })
    }

    /// The L1 zone (`None` for an imported zone).
    pub fn cfn(&self) -> Option<&CfnHostedZoneRef> {
        self.cfn.as_ref()
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The zone id (`Ref`, or the given id).
    pub fn hosted_zone_id(&self) -> Str {
        self.zone_id.clone()
    }

    /// The zone's domain name, without a trailing dot.
    pub fn zone_name(&self) -> &str {
        &self.zone_name
    }

    /// The name servers to delegate to (`Fn::GetAtt NameServers`; `None`
    /// for an imported zone).
    pub fn name_servers(&self) -> Option<Expr> {
        self.cfn.as_ref().map(|c| c.name_servers())
    }
}

impl From<&HostedZone> for Str {
    /// The zone id.
    fn from(z: &HostedZone) -> Str {
        z.hosted_zone_id()
    }
}

fn check_zone_name(node: &Scope, name: &str) {
    if let Some(problem) = dns_name_problem(name).or_else(|| {
        name.starts_with("*.")
            .then(|| "is a wildcard; a zone is named by its domain".to_owned())
    }) {
        node.report(
            Diagnostic::error(
                codes::NAME,
                node.path(),
                format!("the zone name `{name}` {problem}"),
            )
            .property("Name"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use formwork_core::App;
    use formwork_test_support::{failed, one_at, synth_and_lint, template};
    use serde_json::json;

    #[test]
    fn a_zone_is_public_and_retained() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let z = HostedZone::new(
            &s,
            "Zone",
            HostedZoneProps::new("Example.com.")
                .comment("shop")
                .tag("team", "web"),
        )
        .unwrap();
        assert_eq!(z.zone_name(), "example.com");
        assert!(z.name_servers().is_some());
        let t = template(&synth_and_lint(&app, "route53-zone"), "S");
        assert_eq!(
            t["Resources"]["Zone"],
            json!({
                "Type": "AWS::Route53::HostedZone",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "HostedZoneConfig": {"Comment": "shop"},
                    "HostedZoneTags": [{"Key": "team", "Value": "web"}],
                    "Name": "Example.com."
                }
            })
        );
    }

    #[test]
    fn zone_names_are_checked() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        HostedZone::new(&s, "Bad", HostedZoneProps::new("exa mple.com")).unwrap();
        let imported = HostedZone::from_attributes(&s, "Imported", "Z1", "example.org").unwrap();
        assert_eq!(Str::from(&imported), Str::from("Z1"));
        assert!(imported.cfn().is_none() && imported.name_servers().is_none());
        let errs = failed(&app);
        let e = one_at(&errs, codes::NAME, "S/Bad", "Name");
        assert!(e.message.contains("`exa mple`"), "{}", e.message);
    }
}
