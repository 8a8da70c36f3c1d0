//! Record: one Route 53 record set: an A/AAAA alias to a load balancer or a
//! CloudFront distribution, or a record with values (CNAME, TXT, MX, …).

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Result, Scope};
use formwork_l1::route53::{CfnRecordSet, CfnRecordSetRef, record_set};

use super::codes;
use super::name::{dns_name_problem, qualify};
use super::zone::HostedZone;

/// The type of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordType {
    /// IPv4 addresses (or an alias).
    A,
    /// IPv6 addresses (or an alias).
    Aaaa,
    /// Another name (not at the zone apex).
    Cname,
    /// Text.
    Txt,
    /// Mail exchangers (`10 mail.example.com`).
    Mx,
    /// Certificate authorities allowed to issue (`0 issue "amazon.com"`).
    Caa,
    /// Name servers of a delegated subdomain.
    Ns,
    /// Services (`1 10 5269 xmpp.example.com`).
    Srv,
}

impl RecordType {
    /// The Route 53 spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
            RecordType::Cname => "CNAME",
            RecordType::Txt => "TXT",
            RecordType::Mx => "MX",
            RecordType::Caa => "CAA",
            RecordType::Ns => "NS",
            RecordType::Srv => "SRV",
        }
    }
}

/// Where an alias record points: an AWS resource's DNS name and the
/// Route 53 zone of that name. Route 53 answers with the resource's
/// current addresses; alias records have no TTL and cost nothing to query.
///
/// ```
/// use formwork::route53::AliasTarget;
/// let target = AliasTarget::new("d111111abcdef8.cloudfront.net", "Z2FDTNDATAQYW2");
/// # let _ = target;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct AliasTarget {
    dns_name: Str,
    hosted_zone_id: Str,
    evaluate_target_health: bool,
}

/// The hosted zone id of every CloudFront distribution's domain name
/// (outside the China regions).
#[cfg(any(feature = "cloudfront", test))]
const CLOUDFRONT_ZONE_ID: &str = "Z2FDTNDATAQYW2";

impl AliasTarget {
    /// An alias to any DNS name Route 53 can alias, in the zone that
    /// serves it.
    pub fn new(dns_name: impl Into<Str>, hosted_zone_id: impl Into<Str>) -> Self {
        AliasTarget {
            dns_name: dns_name.into(),
            hosted_zone_id: hosted_zone_id.into(),
            evaluate_target_health: false,
        }
    }

    /// An application load balancer: its `dualstack.` name (answers A and
    /// AAAA queries) in its canonical hosted zone.
    #[cfg(feature = "elasticloadbalancingv2")]
    pub fn load_balancer(lb: &crate::elasticloadbalancingv2::ApplicationLoadBalancer) -> Self {
        use formwork_core::{Fn, Value};
        AliasTarget::new(
            Fn::concat([Value::from("dualstack."), Value::from(lb.dns_name())]),
            lb.canonical_hosted_zone_id(),
        )
    }

    /// A CloudFront distribution: its `*.cloudfront.net` name in
    /// CloudFront's zone (`Z2FDTNDATAQYW2`). The record's name must be
    /// one of the distribution's domain names.
    #[cfg(feature = "cloudfront")]
    pub fn distribution(d: &crate::cloudfront::Distribution) -> Self {
        AliasTarget::new(d.domain_name(), CLOUDFRONT_ZONE_ID)
    }

    /// Route 53 checks the target's health before answering with it (off
    /// by default).
    pub fn evaluate_target_health(mut self, on: bool) -> Self {
        self.evaluate_target_health = on;
        self
    }

    fn to_cfn(&self) -> record_set::AliasTarget {
        record_set::AliasTarget::new()
            .dns_name(self.dns_name.clone())
            .hosted_zone_id(self.hosted_zone_id.clone())
            .evaluate_target_health(self.evaluate_target_health)
    }
}

/// What a record answers with.
#[derive(Clone, Debug, PartialEq)]
pub enum RecordTarget {
    /// An alias to an AWS resource (A and AAAA records).
    Alias(AliasTarget),
    /// Values, written as given (TXT values are quoted and split for you).
    Values(Vec<Str>),
}

impl RecordTarget {
    /// An alias.
    pub fn alias(target: AliasTarget) -> Self {
        RecordTarget::Alias(target)
    }
    /// Values.
    pub fn values<S: Into<Str>>(values: impl IntoIterator<Item = S>) -> Self {
        RecordTarget::Values(values.into_iter().map(Into::into).collect())
    }
}

/// What a [`Record`] is made with.
///
/// The name is relative to the zone (`www`), empty for the zone apex, or
/// a full name in the zone (`www.example.com`); it is written fully
/// qualified (`www.example.com.`). Records with values get a TTL of 1800
/// seconds unless told otherwise; alias records have none.
///
/// ```
/// use formwork::App;
/// use formwork::route53::{HostedZone, RecordProps};
/// let app = App::new();
/// let stack = app.stack("Dns")?;
/// let zone = HostedZone::from_attributes(&stack, "Zone", "Z0123456789ABCDEFGHIJ", "example.com")?;
/// let www = RecordProps::cname(&zone, "www", "example.netlify.app").ttl(300);
/// let mx = RecordProps::values(&zone, formwork::route53::RecordType::Mx, "", ["10 mail.example.com"]);
/// # let _ = (www, mx);
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct RecordProps {
    zone: HostedZone,
    record_type: RecordType,
    name: String,
    target: RecordTarget,
    ttl: Option<u32>,
    comment: Option<String>,
    txt_with_quote: bool,
}

impl RecordProps {
    /// A record of any type.
    pub fn new(
        zone: &HostedZone,
        record_type: RecordType,
        name: impl Into<String>,
        target: RecordTarget,
    ) -> Self {
        RecordProps {
            zone: zone.clone(),
            record_type,
            name: name.into(),
            target,
            ttl: None,
            comment: None,
            txt_with_quote: false,
        }
    }
    /// An A record: an alias (`AliasTarget::load_balancer(&alb)`) or IPv4
    /// addresses, at the zone apex until [`record_name`](Self::record_name)
    /// says otherwise.
    pub fn a(zone: &HostedZone, target: impl Into<RecordTarget>) -> Self {
        RecordProps::new(zone, RecordType::A, "", target.into())
    }
    /// An AAAA record: an alias or IPv6 addresses, at the zone apex until
    /// [`record_name`](Self::record_name) says otherwise.
    pub fn aaaa(zone: &HostedZone, target: impl Into<RecordTarget>) -> Self {
        RecordProps::new(zone, RecordType::Aaaa, "", target.into())
    }
    /// A CNAME record from `name` to `domain_name`.
    pub fn cname(zone: &HostedZone, name: impl Into<String>, domain_name: impl Into<Str>) -> Self {
        RecordProps::new(
            zone,
            RecordType::Cname,
            name,
            RecordTarget::Values(vec![domain_name.into()]),
        )
    }
    /// A TXT record: each value is quoted (and split into 255-character
    /// strings) as Route 53 requires.
    pub fn txt<S: Into<String>>(
        zone: &HostedZone,
        name: impl Into<String>,
        values: impl IntoIterator<Item = S>,
    ) -> Self {
        let raw: Vec<String> = values.into_iter().map(Into::into).collect();
        let txt_with_quote = raw.iter().any(|v| v.contains('"'));
        let values = raw.iter().map(|v| Str::from(quote_txt(v))).collect();
        RecordProps {
            txt_with_quote,
            ..RecordProps::new(zone, RecordType::Txt, name, RecordTarget::Values(values))
        }
    }
    /// A record of another type with values as Route 53 writes them.
    pub fn values<S: Into<Str>>(
        zone: &HostedZone,
        record_type: RecordType,
        name: impl Into<String>,
        values: impl IntoIterator<Item = S>,
    ) -> Self {
        RecordProps::new(zone, record_type, name, RecordTarget::values(values))
    }
    /// The record's name (see [`RecordProps`]).
    pub fn record_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
    /// The TTL in seconds of a record with values (default 1800).
    pub fn ttl(mut self, seconds: u32) -> Self {
        self.ttl = Some(seconds);
        self
    }
    /// A comment.
    pub fn comment(mut self, c: impl Into<String>) -> Self {
        self.comment = Some(c.into());
        self
    }
}

impl From<AliasTarget> for RecordTarget {
    fn from(a: AliasTarget) -> Self {
        RecordTarget::Alias(a)
    }
}

/// `"…"`, split into strings of 255 characters (a `"` inside is reported
/// by [`Record::new`]: the CloudFormation schema refuses it).
fn quote_txt(v: &str) -> String {
    let chars: Vec<char> = v.chars().collect();
    if chars.is_empty() {
        return "\"\"".to_owned();
    }
    chars
        .chunks(255)
        .map(|c| {
            let s: String = c.iter().collect();
            format!("\"{s}\"")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A Route 53 record set (`AWS::Route53::RecordSet`).
///
/// ```
/// use formwork::App;
/// use formwork::route53::{AliasTarget, HostedZone, HostedZoneProps, Record, RecordProps};
/// let app = App::new();
/// let stack = app.stack("Web")?;
/// let zone = HostedZone::new(&stack, "Zone", HostedZoneProps::new("example.com"))?;
/// let site = AliasTarget::new("d111111abcdef8.cloudfront.net", "Z2FDTNDATAQYW2");
/// Record::new(&stack, "Apex", RecordProps::a(&zone, site.clone()))?;
/// Record::new(&stack, "ApexV6", RecordProps::aaaa(&zone, site))?;
/// let t = app.synth()?.template_json("Web").ok_or("no template")?;
/// assert_eq!(t["Resources"]["Apex"]["Properties"]["Name"], "example.com.");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Record {
    cfn: CfnRecordSetRef,
    fqdn: String,
}

impl Record {
    /// Adds a record at `scope/id`.
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: RecordProps) -> Result<Record> {
        let node = scope.child(id)?;
        let zone = props.zone.zone_name().to_owned();
        let (fqdn, inside) = qualify(&props.name, &zone);
        let report = |code: &'static str, property: &str, message: String, fix: Option<&str>| {
            let mut d = Diagnostic::error(code, node.path(), message).property(property);
            if let Some(f) = fix {
                d = d.fix(f);
            }
            node.report(d);
        };
        if let Some(problem) = (!props.name.is_empty())
            .then(|| dns_name_problem(&props.name))
            .flatten()
        {
            report(
                codes::NAME,
                "Name",
                format!("the record name `{}` {problem}", props.name),
                None,
            );
        } else if !inside {
            report(
                codes::OUTSIDE_ZONE,
                "Name",
                format!(
                    "the record name `{}` is not in the zone `{zone}`",
                    props.name
                ),
                Some(
                    "write the name relative to the zone (`www`) or under it (`www.example.com`), or add the record to the zone of that name",
                ),
            );
        }
        let apex = fqdn.trim_end_matches('.').eq_ignore_ascii_case(&zone);
        if props.record_type == RecordType::Cname && apex {
            report(
                codes::CNAME_AT_APEX,
                "Type",
                format!(
                    "a CNAME record at the zone apex `{zone}` is forbidden by DNS (it would hide the zone's SOA and NS records)"
                ),
                Some(
                    "use an A (and AAAA) alias record to the AWS resource, or a CNAME on a subdomain such as `www`",
                ),
            );
        }
        let mut cfn = CfnRecordSet::new()
            .hosted_zone_id(props.zone.hosted_zone_id())
            .name(fqdn.as_str())
            .type_(props.record_type.as_str());
        match props.target {
            RecordTarget::Alias(a) => {
                if !matches!(props.record_type, RecordType::A | RecordType::Aaaa) {
                    report(
                        codes::RECORD_VALUES,
                        "AliasTarget",
                        format!(
                            "an alias on a {} record; formwork writes aliases as A and AAAA records",
                            props.record_type.as_str()
                        ),
                        Some("use RecordProps::a / RecordProps::aaaa for an alias"),
                    );
                }
                if props.ttl.is_some() {
                    report(
                        codes::RECORD_VALUES,
                        "TTL",
                        "an alias record has no TTL (Route 53 uses the target's)".to_owned(),
                        Some("drop the ttl"),
                    );
                }
                cfn = cfn.alias_target(a.to_cfn());
            }
            RecordTarget::Values(values) => {
                if props.txt_with_quote {
                    report(
                        codes::RECORD_VALUES,
                        "ResourceRecords",
                        "a TXT value contains a `\"`, which the CloudFormation schema of record sets refuses".to_owned(),
                        Some("leave the quotes out of the value (formwork adds the outer ones)"),
                    );
                }
                if values.is_empty() {
                    report(
                        codes::RECORD_VALUES,
                        "ResourceRecords",
                        format!("a {} record without values", props.record_type.as_str()),
                        None,
                    );
                }
                if props.record_type == RecordType::Cname && values.len() > 1 {
                    report(
                        codes::RECORD_VALUES,
                        "ResourceRecords",
                        format!(
                            "a CNAME record has {} values; allowed: exactly one",
                            values.len()
                        ),
                        None,
                    );
                }
                let ttl = props.ttl.unwrap_or(1800);
                if ttl > 2_147_483_647 {
                    report(
                        codes::RECORD_VALUES,
                        "TTL",
                        format!("a TTL of {ttl} seconds is out of range; allowed: 0 to 2147483647"),
                        None,
                    );
                }
                cfn = cfn.ttl(ttl.to_string()).resource_records(values);
            }
        }
        if let Some(c) = props.comment {
            cfn = cfn.comment(c);
        }
        Ok(Record {
            cfn: node.add_here(cfn)?,
            fqdn,
        })
    }

    /// The L1 resource.
    pub fn cfn(&self) -> &CfnRecordSetRef {
        &self.cfn
    }

    /// The record's fully qualified name (`www.example.com.`).
    pub fn fqdn(&self) -> &str {
        &self.fqdn
    }

    /// `Ref`: the record's domain name.
    pub fn domain_name(&self) -> Expr {
        self.cfn.ref_()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route53::HostedZoneProps;
    use formwork_core::App;
    use formwork_test_support::{failed, synth_and_lint, template, with_code};
    use serde_json::json;

    #[test]
    fn records_render_with_their_defaults() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let z = HostedZone::new(&s, "Zone", HostedZoneProps::new("example.com")).unwrap();
        let cf = AliasTarget::new("d111111abcdef8.cloudfront.net", CLOUDFRONT_ZONE_ID);
        Record::new(&s, "Apex", RecordProps::a(&z, cf.clone())).unwrap();
        Record::new(
            &s,
            "ApexV6",
            RecordProps::aaaa(&z, cf.evaluate_target_health(true)).record_name("example.com"),
        )
        .unwrap();
        let www = Record::new(
            &s,
            "Www",
            RecordProps::cname(&z, "www", "shop.example.net").comment("legacy"),
        )
        .unwrap();
        assert_eq!(www.fqdn(), "www.example.com.");
        let long = "k=".to_owned() + &"x".repeat(300);
        Record::new(
            &s,
            "Txt",
            RecordProps::txt(
                &z,
                "_dmarc",
                ["v=DMARC1; p=reject".to_owned(), long.clone()],
            )
            .ttl(60),
        )
        .unwrap();
        Record::new(
            &s,
            "Mx",
            RecordProps::values(&z, RecordType::Mx, "", ["10 mail.example.com"]),
        )
        .unwrap();
        let t = template(&synth_and_lint(&app, "route53-records"), "S");
        assert_eq!(
            t["Resources"]["Apex"]["Properties"],
            json!({
                "AliasTarget": {"DNSName": "d111111abcdef8.cloudfront.net", "EvaluateTargetHealth": false, "HostedZoneId": "Z2FDTNDATAQYW2"},
                "HostedZoneId": {"Ref": "Zone"},
                "Name": "example.com.",
                "Type": "A"
            })
        );
        assert_eq!(
            t["Resources"]["ApexV6"]["Properties"]["AliasTarget"]["EvaluateTargetHealth"],
            true
        );
        assert_eq!(t["Resources"]["ApexV6"]["Properties"]["Type"], "AAAA");
        assert_eq!(
            t["Resources"]["Www"]["Properties"],
            json!({
                "Comment": "legacy",
                "HostedZoneId": {"Ref": "Zone"},
                "Name": "www.example.com.",
                "ResourceRecords": ["shop.example.net"],
                "TTL": "1800",
                "Type": "CNAME"
            })
        );
        let txt = &t["Resources"]["Txt"]["Properties"];
        assert_eq!(txt["Name"], "_dmarc.example.com.");
        assert_eq!(txt["TTL"], "60");
        assert_eq!(txt["ResourceRecords"][0], "\"v=DMARC1; p=reject\"");
        let split = format!("\"{}\" \"{}\"", &long[..255], &long[255..]);
        assert_eq!(txt["ResourceRecords"][1], split.as_str());
        assert_eq!(t["Resources"]["Mx"]["Properties"]["Type"], "MX");
    }

    #[test]
    fn bad_records_are_errors() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let z = HostedZone::from_attributes(&s, "Zone", "Z1", "example.com").unwrap();
        Record::new(
            &s,
            "Outside",
            RecordProps::cname(&z, "api.other.com.", "x.example.net"),
        )
        .unwrap();
        Record::new(&s, "Apex", RecordProps::cname(&z, "", "x.example.net")).unwrap();
        Record::new(&s, "BadName", RecordProps::txt(&z, "a b", ["x"])).unwrap();
        Record::new(&s, "Quoted", RecordProps::txt(&z, "q", ["say \"hi\""])).unwrap();
        Record::new(
            &s,
            "Empty",
            RecordProps::values(&z, RecordType::A, "x", Vec::<String>::new()),
        )
        .unwrap();
        Record::new(
            &s,
            "AliasTtl",
            RecordProps::a(&z, AliasTarget::new("a.b", "Z2")).ttl(60),
        )
        .unwrap();
        Record::new(
            &s,
            "TwoCnames",
            RecordProps::values(&z, RecordType::Cname, "y", ["a.net", "b.net"]),
        )
        .unwrap();
        Record::new(
            &s,
            "AliasTxt",
            RecordProps::new(
                &z,
                RecordType::Txt,
                "z",
                AliasTarget::new("a.b", "Z2").into(),
            ),
        )
        .unwrap();
        let errs = failed(&app);
        let at = |code| {
            with_code(&errs.0, code)
                .iter()
                .map(|d| d.path.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(at(codes::OUTSIDE_ZONE), ["S/Outside"]);
        assert_eq!(at(codes::CNAME_AT_APEX), ["S/Apex"]);
        assert_eq!(at(codes::NAME), ["S/BadName"]);
        let mut v = at(codes::RECORD_VALUES);
        v.sort();
        assert_eq!(
            v,
            [
                "S/AliasTtl",
                "S/AliasTxt",
                "S/Empty",
                "S/Quoted",
                "S/TwoCnames"
            ]
        );
    }
}
