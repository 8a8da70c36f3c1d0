//! Certificate: an ACM certificate, requested by the stack or existing.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Parameter, Result, Scope, Value};
use formwork_l1::certificatemanager::{CfnCertificate, CfnCertificateRef, certificate};

use super::codes;

/// The key algorithm of a requested certificate (ACM issues public
/// certificates with these three).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum KeyAlgorithm {
    /// RSA 2048-bit (`RSA_2048`), what ACM uses when none is given and what
    /// every client accepts.
    #[default]
    Rsa2048,
    /// ECDSA on P-256 (`EC_prime256v1`): smaller and faster handshakes.
    EcPrime256v1,
    /// ECDSA on P-384 (`EC_secp384r1`).
    EcSecp384r1,
}

impl KeyAlgorithm {
    /// The CloudFormation spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyAlgorithm::Rsa2048 => "RSA_2048",
            KeyAlgorithm::EcPrime256v1 => "EC_prime256v1",
            KeyAlgorithm::EcSecp384r1 => "EC_secp384r1",
        }
    }
}

/// What a [`Certificate`] is requested with.
///
/// Defaults: DNS validation; no hosted zone, so the stack waits (up to 72
/// hours) until the validation CNAME records that ACM shows in the console
/// are created by hand, unless a Route 53 zone is given with
/// [`hosted_zone`](CertificateProps::hosted_zone) or
/// [`hosted_zone_for`](CertificateProps::hosted_zone_for), in which case
/// CloudFormation writes them itself; ACM's default key algorithm
/// (RSA 2048) and certificate transparency logging (on).
///
/// Literal names are checked (`FW3701`, `FW3705`); names given as
/// references are not.
///
/// ```
/// use formwork::certificatemanager::{CertificateProps, KeyAlgorithm};
/// let props = CertificateProps::new("weather.example.com")
///     .subject_alternative_names(["api.example.com", "www.example.com"])
///     .hosted_zone("Z0123456789ABCDEFGHIJ")
///     .key_algorithm(KeyAlgorithm::EcPrime256v1);
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CertificateProps {
    domain_name: Str,
    subject_alternative_names: Vec<Str>,
    email_validation: bool,
    hosted_zone: Option<Str>,
    hosted_zones: Vec<(String, Str)>,
    key_algorithm: Option<KeyAlgorithm>,
    transparency_logging: Option<bool>,
    tags: Vec<(String, String)>,
}

impl CertificateProps {
    /// A certificate for `domain_name` (`example.com`, `*.example.com`),
    /// validated by DNS.
    pub fn new(domain_name: impl Into<Str>) -> Self {
        CertificateProps {
            domain_name: domain_name.into(),
            subject_alternative_names: Vec::new(),
            email_validation: false,
            hosted_zone: None,
            hosted_zones: Vec::new(),
            key_algorithm: None,
            transparency_logging: None,
            tags: Vec::new(),
        }
    }

    /// Adds another name the certificate is valid for.
    pub fn subject_alternative_name(mut self, name: impl Into<Str>) -> Self {
        self.subject_alternative_names.push(name.into());
        self
    }

    /// Adds other names the certificate is valid for.
    pub fn subject_alternative_names<S: Into<Str>>(
        mut self,
        names: impl IntoIterator<Item = S>,
    ) -> Self {
        self.subject_alternative_names
            .extend(names.into_iter().map(Into::into));
        self
    }

    /// The Route 53 hosted zone (id `Z…`) in which CloudFormation writes
    /// the validation record of every name of the certificate (unless
    /// [`hosted_zone_for`](CertificateProps::hosted_zone_for) names another
    /// zone for a name).
    pub fn hosted_zone(mut self, zone_id: impl Into<Str>) -> Self {
        self.hosted_zone = Some(zone_id.into());
        self
    }

    /// The Route 53 hosted zone of one name of the certificate (its domain
    /// name or a subject alternative name, written the same way).
    pub fn hosted_zone_for(
        mut self,
        domain_name: impl Into<String>,
        zone_id: impl Into<Str>,
    ) -> Self {
        self.hosted_zones.push((domain_name.into(), zone_id.into()));
        self
    }

    /// Validates by email to the domain's contacts instead of DNS (no
    /// hosted zone then; the stack waits until someone follows the link).
    pub fn email_validation(mut self) -> Self {
        self.email_validation = true;
        self
    }

    /// The key algorithm (default RSA 2048).
    pub fn key_algorithm(mut self, algorithm: KeyAlgorithm) -> Self {
        self.key_algorithm = Some(algorithm);
        self
    }

    /// Whether the certificate is logged in public certificate transparency
    /// logs (default on; browsers distrust public certificates that are not).
    pub fn transparency_logging(mut self, enabled: bool) -> Self {
        self.transparency_logging = Some(enabled);
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

/// An ACM certificate: one the stack requests ([`Certificate::new`]) or an
/// existing one ([`Certificate::from_arn`], [`Certificate::from_parameter`]).
///
/// Constructs that use a certificate (listeners, distributions) take a
/// `&Certificate` and call [`Certificate::validate_use`], which checks a
/// literal ARN and its region where it is used.
#[derive(Clone, Debug)]
pub struct Certificate {
    arn: Str,
    cfn: Option<CfnCertificateRef>,
    scope: Option<Scope>,
}

/// Why a literal domain name cannot be on a certificate, if it cannot.
/// `limit` is 64 for the main name and 253 for the others.
pub(crate) fn domain_name_problem(name: &str, limit: usize) -> Option<String> {
    if name.is_empty() {
        return Some("a domain name cannot be empty".to_owned());
    }
    if name.len() > limit {
        return Some(format!(
            "`{name}` is {} characters long; allowed: up to {limit}{}",
            name.len(),
            if limit == 64 {
                " for the certificate's domain name (subject alternative names may have 253)"
            } else {
                ""
            }
        ));
    }
    let rest = name.strip_prefix("*.").unwrap_or(name);
    if rest.contains('*') {
        return Some(format!(
            "`{name}` has a `*` that is not a leading `*.`; allowed: one wildcard label first"
        ));
    }
    let labels: Vec<&str> = rest.split('.').collect();
    if labels.len() < 2 {
        return Some(format!(
            "`{name}` is a single label; allowed: a fully qualified name such as example.com"
        ));
    }
    for label in &labels {
        if label.is_empty() {
            return Some(format!(
                "`{name}` has an empty label (two dots in a row, or a dot at an end)"
            ));
        }
        if label.len() > 63 {
            return Some(format!(
                "`{name}` has a label of {} characters; allowed: up to 63",
                label.len()
            ));
        }
        if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Some(format!(
                "`{name}` has characters ACM refuses in `{label}`; allowed: letters, digits and hyphens"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!(
                "`{name}` has a label that starts or ends with a hyphen (`{label}`)"
            ));
        }
    }
    if labels.iter().all(|l| l.chars().all(|c| c.is_ascii_digit())) {
        return Some(format!(
            "`{name}` is an IP address; ACM certificates are for domain names"
        ));
    }
    let tld = labels.last().copied().unwrap_or_default();
    if tld.len() < 2 {
        return Some(format!(
            "`{name}` ends with a one-character label; allowed: a top-level domain of 2 or more characters"
        ));
    }
    None
}

fn literal(s: &Str) -> Option<String> {
    s.clone().into_value().as_str().map(str::to_owned)
}

/// True for a literal Route 53 hosted zone id (`Z0123456789ABCDEFGHIJ`).
fn is_zone_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// The parts of a literal ACM certificate ARN: partition, region, account.
fn parse_arn(arn: &str) -> Option<(&str, &str, &str)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts.as_slice() else {
        return None;
    };
    let id = resource.strip_prefix("certificate/")?;
    let ok = *prefix == "arn"
        && partition.starts_with("aws")
        && *service == "acm"
        && !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && account.len() == 12
        && account.chars().all(|c| c.is_ascii_digit())
        && !id.is_empty()
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    ok.then_some((partition, region, account))
}

/// The `AllowedPattern` of the parameter made by [`Certificate::from_parameter`].
pub(crate) const ARN_PATTERN: &str =
    "^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$";

impl Certificate {
    /// Requests a certificate at `scope/id`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::certificatemanager::{Certificate, CertificateProps};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let cert = Certificate::new(
    ///     &stack,
    ///     "Certificate",
    ///     CertificateProps::new("weather.example.com").hosted_zone("Z0123456789ABCDEFGHIJ"),
    /// )?;
    /// let t = app.synth()?.template_json("Web").ok_or("no template")?;
    /// assert_eq!(t["Resources"]["Certificate"]["Properties"]["ValidationMethod"], "DNS");
    /// # let _ = cert;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: CertificateProps) -> Result<Certificate> {
        let node = scope.child(id)?;
        let names = check_names(&node, &props);
        let mut cfn = CfnCertificate::new().domain_name(props.domain_name.clone());
        if !props.subject_alternative_names.is_empty() {
            cfn = cfn.subject_alternative_names(props.subject_alternative_names.clone());
        }
        if props.email_validation {
            cfn = cfn.validation_method("EMAIL");
            if props.hosted_zone.is_some() || !props.hosted_zones.is_empty() {
                node.report(
                    Diagnostic::error(
                        codes::HOSTED_ZONE,
                        node.path(),
                        "hosted zones are for DNS validation, and this certificate is validated by email",
                    )
                    .property("DomainValidationOptions")
                    .fix("drop email_validation() to have CloudFormation write the DNS records, or drop the hosted zones"),
                );
            }
        } else {
            cfn = cfn.validation_method("DNS");
            let options = validation_options(&node, &props, &names);
            if !options.is_empty() {
                cfn = cfn.domain_validation_options(options);
            }
        }
        if let Some(k) = props.key_algorithm {
            cfn = cfn.key_algorithm(k.as_str());
        }
        if let Some(t) = props.transparency_logging {
            cfn = cfn.certificate_transparency_logging_preference(if t {
                "ENABLED"
            } else {
                "DISABLED"
            });
        }
        if !props.tags.is_empty() {
            cfn = cfn.tags(
                props
                    .tags
                    .iter()
                    .map(|(k, v)| certificate::Tag::new().key(k.as_str()).value(v.as_str())),
            );
        }
        let cfn = node.add_here(cfn)?;
        Ok(Certificate {
            arn: cfn.ref_().into(),
            cfn: Some(cfn),
            scope: Some(node),
        })
    }

    /// An existing certificate by ARN (a literal or a reference): nothing
    /// is created. A literal ARN is checked where the certificate is used
    /// (`FW3703`, `FW3704`).
    ///
    /// ```
    /// use formwork::certificatemanager::Certificate;
    /// let cert = Certificate::from_arn(
    ///     "arn:aws:acm:ap-northeast-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555",
    /// );
    /// assert_eq!(cert.region().as_deref(), Some("ap-northeast-1"));
    /// ```
    pub fn from_arn(arn: impl Into<Str>) -> Certificate {
        Certificate {
            arn: arn.into(),
            cfn: None,
            scope: None,
        }
    }

    /// An existing certificate whose ARN is a `String` parameter `name` of
    /// the scope's stack, declared here with a description and an
    /// `AllowedPattern` that only accepts ACM certificate ARNs, so a wrong
    /// value is refused before anything is deployed:
    ///
    /// ```text
    /// aws cloudformation deploy ... --parameter-overrides CertificateArn=arn:aws:acm:...
    /// ```
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::certificatemanager::Certificate;
    /// let app = App::new();
    /// let stack = app.stack("Weather")?;
    /// # stack.add("Thing", formwork_core::testing::CfnThing::new())?;
    /// let cert = Certificate::from_parameter(&stack, "CertificateArn")?;
    /// let t = app.synth()?.template_json("Weather").ok_or("no template")?;
    /// assert_eq!(t["Parameters"]["CertificateArn"]["Type"], "String");
    /// # let _ = cert;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[track_caller]
    pub fn from_parameter(scope: &Scope, name: &str) -> Result<Certificate> {
        let parameter = scope.stack().add_parameter(
            name,
            Parameter::string()
                .description(
                    "ARN of an existing ACM certificate in this stack's region \
                     (arn:aws:acm:<region>:<account>:certificate/<id>)",
                )
                .allowed_pattern(ARN_PATTERN)
                .constraint_description("must be an ACM certificate ARN: arn:aws:acm:<region>:<account-id>:certificate/<id>"),
        )?;
        Ok(Certificate::from_arn(parameter.ref_()))
    }

    /// The L1 certificate, for what this construct does not model (`None`
    /// for an existing certificate).
    pub fn cfn(&self) -> Option<&CfnCertificateRef> {
        self.cfn.as_ref()
    }

    /// The construct's scope (`None` for an existing certificate).
    pub fn scope(&self) -> Option<&Scope> {
        self.scope.as_ref()
    }

    /// The certificate ARN: `Ref` of a requested certificate, the given
    /// value of an existing one.
    pub fn certificate_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The region of a literal ARN (`None` for a reference or a requested
    /// certificate, whose region is its stack's).
    pub fn region(&self) -> Option<String> {
        let arn = literal(&self.arn)?;
        parse_arn(&arn).map(|(_, region, _)| region.to_owned())
    }

    /// Checks the certificate where `user` uses it in `property`: a literal
    /// ARN that is not an ACM certificate ARN (`FW3703`), or of a region
    /// other than `region` when the user needs one (`FW3704`; a requested
    /// certificate is checked against its stack's region when that is
    /// known). Returns false when it reported something.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::certificatemanager::Certificate;
    /// let app = App::new();
    /// let stack = app.stack("Edge")?;
    /// let user = stack.child("Distribution")?;
    /// let cert = Certificate::from_arn("arn:aws:acm:eu-west-1:123456789012:certificate/abc");
    /// assert!(!cert.validate_use(&user, "ViewerCertificate", Some("us-east-1")));
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn validate_use(&self, user: &Scope, property: &str, region: Option<&str>) -> bool {
        let own_region = match (&self.scope, literal(&self.arn)) {
            (Some(scope), _) => scope.env().region,
            (None, Some(arn)) => match parse_arn(&arn) {
                Some((_, r, _)) => Some(r.to_owned()),
                None => {
                    user.report(
                        Diagnostic::error(
                            codes::CERTIFICATE_ARN,
                            user.path(),
                            format!("`{arn}` is not an ACM certificate ARN"),
                        )
                        .property(property)
                        .fix("an ACM certificate ARN looks like arn:aws:acm:<region>:<account-id>:certificate/<id>"),
                    );
                    return false;
                }
            },
            (None, None) => None,
        };
        match (own_region, region) {
            (Some(own), Some(needed)) if own != needed => {
                user.report(
                    Diagnostic::error(
                        codes::CERTIFICATE_REGION,
                        user.path(),
                        format!("the certificate is in {own}, and this needs one in {needed}"),
                    )
                    .property(property)
                    .fix(format!("request or import the certificate in {needed}")),
                );
                false
            }
            _ => true,
        }
    }
}

/// Checks the literal names; returns every literal name of the certificate.
fn check_names(node: &Scope, props: &CertificateProps) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(d) = literal(&props.domain_name) {
        if let Some(msg) = domain_name_problem(&d, 64) {
            node.error(codes::DOMAIN_NAME, "DomainName", msg);
        }
        names.push(d);
    }
    for (i, san) in props.subject_alternative_names.iter().enumerate() {
        let Some(s) = literal(san) else { continue };
        if let Some(msg) = domain_name_problem(&s, 253) {
            node.error(
                codes::DOMAIN_NAME,
                &format!("SubjectAlternativeNames[{i}]"),
                msg,
            );
        }
        if names.iter().any(|n| n.eq_ignore_ascii_case(&s)) {
            node.report(
                Diagnostic::error(
                    codes::NAMES,
                    node.path(),
                    format!("`{s}` is on the certificate twice"),
                )
                .property(format!("SubjectAlternativeNames[{i}]"))
                .fix("list each name once (the domain name is on the certificate already)"),
            );
        }
        names.push(s);
    }
    let total = 1 + props.subject_alternative_names.len();
    if total > 100 {
        node.error(
            codes::NAMES,
            "SubjectAlternativeNames",
            format!("the certificate has {total} names; allowed: up to 100 (the domain name and 99 others)"),
        );
    }
    names
}

/// The `DomainValidationOptions` of a DNS-validated certificate.
fn validation_options(
    node: &Scope,
    props: &CertificateProps,
    names: &[String],
) -> Vec<certificate::DomainValidationOption> {
    let zone_ok = |zone: &Str, property: &str| {
        if let Some(z) = literal(zone) {
            if !is_zone_id(&z) {
                let fix = match z.strip_prefix("/hostedzone/") {
                    Some(id) => format!("write the id alone: {id}"),
                    None => "a hosted zone id is upper-case letters and digits, like Z0123456789ABCDEFGHIJ".to_owned(),
                };
                node.report(
                    Diagnostic::error(
                        codes::HOSTED_ZONE,
                        node.path(),
                        format!("`{z}` is not a Route 53 hosted zone id"),
                    )
                    .property(property)
                    .fix(fix),
                );
            }
        }
    };
    if let Some(z) = &props.hosted_zone {
        zone_ok(z, "DomainValidationOptions");
    }
    for (i, (name, zone)) in props.hosted_zones.iter().enumerate() {
        let property = format!("DomainValidationOptions[{i}]");
        zone_ok(zone, &property);
        let all_literal = literal(&props.domain_name).is_some()
            && props
                .subject_alternative_names
                .iter()
                .all(|s| literal(s).is_some());
        if all_literal && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            node.report(
                Diagnostic::error(
                    codes::HOSTED_ZONE,
                    node.path(),
                    format!("a hosted zone is given for `{name}`, which is not on the certificate (names: {})", names.join(", ")),
                )
                .property(property)
                .fix("name the zone of the certificate's domain name or of one of its subject alternative names"),
            );
        }
    }
    let mut all: Vec<Str> = vec![props.domain_name.clone()];
    all.extend(props.subject_alternative_names.iter().cloned());
    let mut out = Vec::new();
    let mut seen: Vec<Value> = Vec::new();
    for name in all {
        let value = name.clone().into_value();
        if seen.contains(&value) {
            continue;
        }
        seen.push(value);
        let own = literal(&name).and_then(|n| {
            props
                .hosted_zones
                .iter()
                .find(|(d, _)| d.eq_ignore_ascii_case(&n))
                .map(|(_, z)| z.clone())
        });
        if let Some(zone) = own.or_else(|| props.hosted_zone.clone()) {
            out.push(
                certificate::DomainValidationOption::new()
                    .domain_name(name)
                    .hosted_zone_id(zone),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use formwork_core::{App, Context, Environment};
    use serde_json::json;

    fn diags(app: &App) -> Vec<Diagnostic> {
        app.synth().unwrap_err().diagnostics().unwrap().0.clone()
    }

    #[test]
    fn defaults_are_dns_validation_without_zones() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let c = Certificate::new(&s, "Cert", CertificateProps::new("example.com")).unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "acm-defaults");
        let t = formwork_test_support::template(&asm, "S");
        assert_eq!(
            t["Resources"]["Cert"],
            json!({"Type": "AWS::CertificateManager::Certificate", "Properties": {"DomainName": "example.com", "ValidationMethod": "DNS"}})
        );
        assert!(c.cfn().is_some());
        assert_eq!(c.scope().map(Scope::path).as_deref(), Some("S/Cert"));
        assert_eq!(
            Value::from(c.certificate_arn()),
            Value::from(c.cfn().unwrap().ref_())
        );
        assert_eq!(c.region(), None);
    }

    #[test]
    fn zones_names_key_and_tags_are_written() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Certificate::new(
            &s,
            "Cert",
            CertificateProps::new("example.com")
                .subject_alternative_names(["*.example.com", "example.org"])
                .hosted_zone("ZAAAAAAAAAAAAA")
                .hosted_zone_for("example.org", "ZBBBBBBBBBBBBB")
                .key_algorithm(KeyAlgorithm::EcPrime256v1)
                .transparency_logging(true)
                .tag("team", "weather"),
        )
        .unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "acm-full");
        let t = formwork_test_support::template(&asm, "S");
        assert_eq!(
            t["Resources"]["Cert"]["Properties"],
            json!({
                "CertificateTransparencyLoggingPreference": "ENABLED",
                "DomainName": "example.com",
                "DomainValidationOptions": [
                    {"DomainName": "example.com", "HostedZoneId": "ZAAAAAAAAAAAAA"},
                    {"DomainName": "*.example.com", "HostedZoneId": "ZAAAAAAAAAAAAA"},
                    {"DomainName": "example.org", "HostedZoneId": "ZBBBBBBBBBBBBB"}
                ],
                "KeyAlgorithm": "EC_prime256v1",
                "SubjectAlternativeNames": ["*.example.com", "example.org"],
                "Tags": [{"Key": "team", "Value": "weather"}],
                "ValidationMethod": "DNS"
            })
        );
    }

    #[test]
    fn email_validation_has_no_options() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Certificate::new(
            &s,
            "Cert",
            CertificateProps::new("example.com")
                .email_validation()
                .transparency_logging(false),
        )
        .unwrap();
        let t = app.synth().unwrap().template_json("S").unwrap();
        assert_eq!(
            t["Resources"]["Cert"]["Properties"]["ValidationMethod"],
            "EMAIL"
        );
        assert_eq!(
            t["Resources"]["Cert"]["Properties"]["CertificateTransparencyLoggingPreference"],
            "DISABLED"
        );
        assert!(
            t["Resources"]["Cert"]["Properties"]
                .get("DomainValidationOptions")
                .is_none()
        );
    }

    #[test]
    fn domain_names_are_checked() {
        assert_eq!(domain_name_problem("example.com", 64), None);
        assert_eq!(domain_name_problem("*.example.com", 64), None);
        assert_eq!(domain_name_problem("a-b.c9.example.co.jp", 64), None);
        for bad in [
            "",
            "localhost",
            "a..b.com",
            "example.com.",
            "-a.example.com",
            "a-.example.com",
            "a_b.example.com",
            "www.*.example.com",
            "**.example.com",
            "10.0.0.1",
            "example.c",
        ] {
            assert!(
                domain_name_problem(bad, 253).is_some(),
                "{bad} should be refused"
            );
        }
        let long_label = format!("{}.com", "a".repeat(64));
        assert!(
            domain_name_problem(&long_label, 253)
                .unwrap()
                .contains("63")
        );
        let long = format!("{}.example.com", "a".repeat(60));
        assert!(domain_name_problem(&long, 253).is_none());
        assert!(
            domain_name_problem(&long, 64)
                .unwrap()
                .contains("up to 64 for the certificate's domain name")
        );
    }

    #[test]
    fn bad_names_are_reported_with_their_property() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let long = format!("{}.example.com", "a".repeat(60));
        Certificate::new(
            &s,
            "Cert",
            CertificateProps::new(long.as_str())
                .subject_alternative_names(["ok.example.com", "bad_name.example.com"]),
        )
        .unwrap();
        let ds = diags(&app);
        let d: Vec<_> = ds.iter().filter(|d| d.code == codes::DOMAIN_NAME).collect();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].path, "S/Cert");
        assert_eq!(d[0].property.as_deref(), Some("DomainName"));
        assert!(d[0].message.contains("72 characters long"));
        assert_eq!(d[1].property.as_deref(), Some("SubjectAlternativeNames[1]"));
        assert!(d[1].message.contains("bad_name"));
    }

    #[test]
    fn references_are_not_checked() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let p = s.add_parameter("Domain", Parameter::string()).unwrap();
        Certificate::new(
            &s,
            "Cert",
            CertificateProps::new(p.ref_()).hosted_zone_for("anything.example.com", "ZAAAA"),
        )
        .unwrap();
        formwork_test_support::synth_and_lint(&app, "acm-ref");
    }

    #[test]
    fn duplicate_and_too_many_names() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let many: Vec<String> = (0..100).map(|i| format!("n{i}.example.com")).collect();
        Certificate::new(
            &s,
            "Many",
            CertificateProps::new("example.com").subject_alternative_names(many),
        )
        .unwrap();
        Certificate::new(
            &s,
            "Twice",
            CertificateProps::new("example.com").subject_alternative_name("EXAMPLE.com"),
        )
        .unwrap();
        let ds = diags(&app);
        let d: Vec<_> = ds.iter().filter(|d| d.code == codes::NAMES).collect();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].path, "S/Many");
        assert_eq!(d[0].property.as_deref(), Some("SubjectAlternativeNames"));
        assert!(d[0].message.contains("101 names; allowed: up to 100"));
        assert_eq!(d[1].path, "S/Twice");
        assert_eq!(d[1].property.as_deref(), Some("SubjectAlternativeNames[0]"));
        assert!(d[1].message.contains("twice"));
    }

    #[test]
    fn hosted_zone_problems() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Certificate::new(
            &s,
            "Path",
            CertificateProps::new("example.com").hosted_zone("/hostedzone/Z123"),
        )
        .unwrap();
        Certificate::new(
            &s,
            "Other",
            CertificateProps::new("example.com").hosted_zone_for("example.org", "Z123"),
        )
        .unwrap();
        Certificate::new(
            &s,
            "Email",
            CertificateProps::new("example.com")
                .email_validation()
                .hosted_zone("Z123"),
        )
        .unwrap();
        let ds = diags(&app);
        let d: Vec<_> = ds.iter().filter(|d| d.code == codes::HOSTED_ZONE).collect();
        assert_eq!(d.len(), 3);
        assert_eq!(
            (d[0].path.as_str(), d[0].property.as_deref()),
            ("S/Path", Some("DomainValidationOptions"))
        );
        assert_eq!(d[0].fix.as_deref(), Some("write the id alone: Z123"));
        assert_eq!(
            (d[1].path.as_str(), d[1].property.as_deref()),
            ("S/Other", Some("DomainValidationOptions[0]"))
        );
        assert!(
            d[1].message
                .contains("`example.org`, which is not on the certificate")
        );
        assert_eq!(d[2].path, "S/Email");
        assert!(d[2].message.contains("validated by email"));
    }

    #[test]
    fn parameter_certificate() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        formwork_test_support::filler(&s);
        let c = Certificate::from_parameter(&s, "CertificateArn").unwrap();
        assert!(
            Certificate::from_parameter(&s, "CertificateArn").is_err(),
            "a second parameter of one name"
        );
        assert!(c.cfn().is_none() && c.scope().is_none() && c.region().is_none());
        s.add_output("Arn", formwork_core::Output::new(c.certificate_arn()))
            .unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "acm-param");
        let t = formwork_test_support::template(&asm, "S");
        assert_eq!(t["Parameters"]["CertificateArn"]["Type"], "String");
        assert_eq!(
            t["Parameters"]["CertificateArn"]["AllowedPattern"],
            ARN_PATTERN
        );
        assert!(
            t["Parameters"]["CertificateArn"]["Description"]
                .as_str()
                .unwrap()
                .contains("ACM certificate")
        );
        assert_eq!(
            t["Outputs"]["Arn"]["Value"],
            json!({"Ref": "CertificateArn"})
        );
    }

    #[test]
    fn arns_are_parsed_and_checked_where_used() {
        let good = "arn:aws:acm:ap-northeast-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555";
        assert_eq!(
            parse_arn(good),
            Some(("aws", "ap-northeast-1", "123456789012"))
        );
        assert!(parse_arn("arn:aws-cn:acm:cn-north-1:123456789012:certificate/x").is_some());
        for bad in [
            "arn:aws:iam::123456789012:server-certificate/x",
            "arn:aws:acm:ap-northeast-1:1234:certificate/x",
            "arn:aws:acm:ap-northeast-1:123456789012:certificate/",
            "certificate/x",
        ] {
            assert!(parse_arn(bad).is_none(), "{bad}");
        }
        let app = App::new();
        let s = app.stack("S").unwrap();
        formwork_test_support::filler(&s);
        let user = s.child("User").unwrap();
        assert!(Certificate::from_arn(good).validate_use(
            &user,
            "Certificates",
            Some("ap-northeast-1")
        ));
        assert!(Certificate::from_arn(good).validate_use(&user, "Certificates", None));
        assert!(!Certificate::from_arn("arn:aws:acm:x").validate_use(
            &user,
            "Certificates[0]",
            None
        ));
        assert!(!Certificate::from_arn(good).validate_use(
            &user,
            "Certificates[1]",
            Some("us-east-1")
        ));
        let ds = diags(&app);
        assert_eq!(ds.len(), 2);
        assert_eq!(
            (ds[0].code, ds[0].path.as_str()),
            (codes::CERTIFICATE_ARN, "S/User")
        );
        assert_eq!(ds[0].property.as_deref(), Some("Certificates[0]"));
        assert_eq!(
            ds[0].message,
            "`arn:aws:acm:x` is not an ACM certificate ARN"
        );
        assert_eq!(ds[1].code, codes::CERTIFICATE_REGION);
        assert_eq!(ds[1].property.as_deref(), Some("Certificates[1]"));
        assert_eq!(
            ds[1].message,
            "the certificate is in ap-northeast-1, and this needs one in us-east-1"
        );
    }

    #[test]
    fn requested_certificates_are_checked_against_their_stack_region() {
        let app = App::with_context(Context::new());
        let s = app
            .stack_in("S", Environment::agnostic().region("eu-west-1"))
            .unwrap();
        let c = Certificate::new(&s, "Cert", CertificateProps::new("example.com")).unwrap();
        let user = s.child("Cdn").unwrap();
        assert!(c.validate_use(&user, "ViewerCertificate", Some("eu-west-1")));
        assert!(!c.validate_use(&user, "ViewerCertificate", Some("us-east-1")));
        let ds = diags(&app);
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].code, codes::CERTIFICATE_REGION);
    }

    #[test]
    fn key_algorithm_spelling() {
        assert_eq!(KeyAlgorithm::default().as_str(), "RSA_2048");
        assert_eq!(KeyAlgorithm::EcSecp384r1.as_str(), "EC_secp384r1");
    }
}
