//! StringParameter: a Parameter Store `String` parameter, created by the
//! stack or referenced by name.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Fn, Pseudo, Result, Scope, Value};
use formwork_l1::ssm::{CfnParameter, CfnParameterRef, parameter};

use super::codes;
use crate::iam::{self, GrantSpec, Grantee};

/// The storage tier of a parameter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ParameterTier {
    /// `Standard`: free, values up to 4 KB (the default).
    #[default]
    Standard,
    /// `Advanced`: values up to 8 KB and parameter policies, billed per parameter.
    Advanced,
    /// `Intelligent-Tiering`: Standard while the value fits, Advanced when it must.
    IntelligentTiering,
}

impl ParameterTier {
    fn l1(self) -> parameter::Tier {
        match self {
            ParameterTier::Standard => parameter::Tier::Standard,
            ParameterTier::Advanced => parameter::Tier::Advanced,
            ParameterTier::IntelligentTiering => parameter::Tier::IntelligentTiering,
        }
    }

    /// The largest value the tier holds, in bytes.
    fn max_value_bytes(self) -> usize {
        match self {
            ParameterTier::Standard => 4096,
            ParameterTier::Advanced | ParameterTier::IntelligentTiering => 8192,
        }
    }
}

/// What a [`StringParameter`] is made with: its value (a literal or a
/// reference), and optionally a name, a description and a tier.
///
/// Defaults: a name CloudFormation generates, no description, the
/// `Standard` tier. Give a name when something outside the stack reads the
/// parameter (and for local tests on moto, which requires one).
///
/// ```
/// use formwork::ssm::{ParameterTier, StringParameterProps};
/// let props = StringParameterProps::new("https://api.example.com")
///     .parameter_name("/hera/prod/API_URL")
///     .description("Base URL of the partner API")
///     .tier(ParameterTier::Standard);
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct StringParameterProps {
    value: Str,
    name: Option<Str>,
    description: Option<Str>,
    tier: Option<ParameterTier>,
}

impl StringParameterProps {
    /// A parameter holding `value`.
    pub fn new(value: impl Into<Str>) -> Self {
        StringParameterProps {
            value: value.into(),
            name: None,
            description: None,
            tier: None,
        }
    }

    /// The parameter name: `name` or a hierarchy `/a/b/name` (checked when
    /// literal, `FW3801`). A name given as a reference must not start with
    /// `/` (its ARN is built as `parameter/<name>`).
    pub fn parameter_name(mut self, name: impl Into<Str>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Its description (up to 1024 characters).
    pub fn description(mut self, description: impl Into<Str>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Its tier (default `Standard`).
    pub fn tier(mut self, tier: ParameterTier) -> Self {
        self.tier = Some(tier);
        self
    }
}

/// A Parameter Store `String` parameter: created by the stack
/// ([`StringParameter::new`]) or an existing one of the stack's account
/// and region ([`StringParameter::from_name`], which may also be a
/// `SecureString` encrypted with the AWS managed key).
#[derive(Clone, Debug)]
pub struct StringParameter {
    scope: Option<Scope>,
    cfn: Option<CfnParameterRef>,
    /// `Ref` of the parameter, or the name it was referenced by.
    name: Value,
    /// The name as written, when it is a literal.
    literal: Option<String>,
}

/// Reading the value: the three read actions that take a parameter ARN
/// (`ssm:DescribeParameters` takes none and is left out).
const READ: &[GrantSpec] = &[GrantSpec {
    actions: &[
        "ssm:GetParameter",
        "ssm:GetParameters",
        "ssm:GetParameterHistory",
    ],
    arn: 0,
}];

/// What is wrong with a literal parameter name, if anything.
fn name_problem(name: &str) -> Option<String> {
    let len = name.chars().count();
    if len == 0 || len > 1011 {
        return Some(format!(
            "parameter name `{name}` is {len} characters long; allowed: 1 to 1011 (counting the whole ARN)"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/')))
    {
        return Some(format!(
            "parameter name `{name}` contains `{c}`; allowed: a-z A-Z 0-9 _ . - and / between levels"
        ));
    }
    let hierarchical = name.contains('/');
    if hierarchical && !name.starts_with('/') {
        return Some(format!(
            "parameter name `{name}` has levels but does not start with `/`; a hierarchy is written /level/name"
        ));
    }
    let body = name.strip_prefix('/').unwrap_or(name);
    let levels: Vec<&str> = body.split('/').collect();
    if hierarchical && levels.iter().any(|l| l.is_empty()) {
        return Some(format!(
            "parameter name `{name}` has an empty level (`//` or a trailing `/`)"
        ));
    }
    if levels.len() > 15 {
        return Some(format!(
            "parameter name `{name}` has {} levels; allowed: up to 15",
            levels.len()
        ));
    }
    let first = levels
        .first()
        .map(|l| l.to_ascii_lowercase())
        .unwrap_or_default();
    if first.starts_with("aws") || first.starts_with("ssm") {
        return Some(format!(
            "parameter name `{name}` starts with `aws` or `ssm`, which Parameter Store keeps for itself"
        ));
    }
    None
}

impl StringParameter {
    /// Adds a `String` parameter at `scope/id`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ssm::{StringParameter, StringParameterProps};
    /// let app = App::new();
    /// let stack = app.stack("Config")?;
    /// let p = StringParameter::new(&stack, "Mode", StringParameterProps::new("cloud").parameter_name("/hera/STORAGE_MODE"))?;
    /// let t = app.synth()?.template_json("Config").ok_or("no template")?;
    /// assert_eq!(t["Resources"]["Mode"]["Properties"]["Type"], "String");
    /// # let _ = p;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: StringParameterProps) -> Result<StringParameter> {
        let node = scope.child(id)?;
        let tier = props.tier.unwrap_or_default();
        let value = props.value.clone().into_value();
        if let Some(v) = value.as_str() {
            let problem = if v.is_empty() {
                Some("the value is empty; a parameter holds 1 byte or more".to_owned())
            } else if v.len() > tier.max_value_bytes() {
                Some(format!(
                    "the value is {} bytes; the {tier:?} tier holds up to {} bytes",
                    v.len(),
                    tier.max_value_bytes()
                ))
            } else {
                None
            };
            if let Some(msg) = problem {
                node.report(
                    Diagnostic::error(codes::PARAMETER_VALUE, node.path(), msg)
                        .property("Value")
                        .fix("use the Advanced tier (8 KB), or keep large values in S3"),
                );
            }
        }
        let mut cfn = CfnParameter::new()
            .type_(parameter::Type::String)
            .value(props.value);
        let mut literal = None;
        if let Some(name) = props.name {
            if let Some(text) = name.clone().into_value().as_str() {
                if let Some(msg) = name_problem(text) {
                    node.report(
                        Diagnostic::error(codes::PARAMETER_NAME, node.path(), msg).property("Name"),
                    );
                }
                literal = Some(text.to_owned());
            }
            cfn = cfn.name(name);
        }
        if let Some(d) = props.description {
            cfn = cfn.description(d);
        }
        if let Some(t) = props.tier {
            cfn = cfn.tier(t.l1());
        }
        let cfn = node.add_here(cfn)?;
        Ok(StringParameter {
            name: cfn.ref_().into(),
            scope: Some(node),
            cfn: Some(cfn),
            literal,
        })
    }

    /// An existing parameter of the stack's account and region, by name
    /// (`/hera/prod/API_TOKEN`, or a reference that does not start with
    /// `/`). Nothing is created.
    ///
    /// ```
    /// use formwork::ssm::StringParameter;
    /// let token = StringParameter::from_name("/hera/prod/API_TOKEN");
    /// // arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/hera/prod/API_TOKEN
    /// # let _ = token.parameter_arn();
    /// ```
    pub fn from_name(name: impl Into<Str>) -> StringParameter {
        let name = name.into().into_value();
        let literal = name.as_str().map(str::to_owned);
        StringParameter {
            scope: None,
            cfn: None,
            name,
            literal,
        }
    }

    /// The L1 resource (`None` for a parameter referenced by name).
    pub fn cfn(&self) -> Option<&CfnParameterRef> {
        self.cfn.as_ref()
    }

    /// The construct's scope (`None` for a parameter referenced by name).
    pub fn scope(&self) -> Option<&Scope> {
        self.scope.as_ref()
    }

    /// The parameter name (`Ref` of a created parameter).
    pub fn parameter_name(&self) -> Str {
        Str::from(match &self.name {
            Value::Expr(e) => e.clone(),
            other => Fn::concat([other.clone()]),
        })
    }

    /// `arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/<name>`,
    /// the name without its leading `/`.
    pub fn parameter_arn(&self) -> Expr {
        let (prefix, name) = match (&self.literal, &self.cfn) {
            // A created parameter: `Ref` (for the dependency), after
            // `parameter` alone when the name already starts with `/`.
            (Some(l), Some(_)) if l.starts_with('/') => ("parameter", self.name.clone()),
            (_, Some(_)) => ("parameter/", self.name.clone()),
            (Some(l), None) => ("parameter/", Value::from(l.strip_prefix('/').unwrap_or(l))),
            (None, None) => ("parameter/", self.name.clone()),
        };
        Fn::concat([
            Value::from("arn:"),
            Pseudo::Partition.into(),
            Value::from(":ssm:"),
            Pseudo::Region.into(),
            Value::from(":"),
            Pseudo::AccountId.into(),
            Value::from(format!(":{prefix}")),
            name,
        ])
    }

    /// Lets the grantee read the value: `ssm:GetParameter`,
    /// `ssm:GetParameters` and `ssm:GetParameterHistory` on this parameter
    /// only. A grantee without a role gets warning `FW3803` on the
    /// parameter (on the grantee's role otherwise nothing changes).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// use formwork::ssm::StringParameter;
    /// let app = App::new();
    /// let stack = app.stack("Svc")?;
    /// let role = Role::new(&stack, "Task", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")))?;
    /// StringParameter::from_name("/svc/TOKEN").grant_read(&role)?;
    /// assert_eq!(role.policy().statements()[0].get_actions().len(), 3);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant_read(&self, grantee: &dyn Grantee) -> Result<()> {
        let arns = [self.parameter_arn().into()];
        match &self.scope {
            Some(scope) => {
                iam::grant_or_report(scope, grantee, READ, &arns);
            }
            // A parameter named with `from_name` has no construct to report
            // on: a grant that cannot be written fails here instead.
            None if !iam::grant(grantee, READ, &arns) => {
                return Err(formwork_core::Error::invalid(Diagnostic::error(
                    iam::codes::GRANT_NO_ROLE,
                    format!(
                        "ssm parameter {}",
                        self.literal.as_deref().unwrap_or("(named by a reference)")
                    ),
                    "the grantee has no role, so the read grant on this parameter was not applied",
                )));
            }
            None => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{Principal, Role, RoleProps};
    use formwork_core::App;
    use serde_json::json;

    use formwork_test_support::failed;

    #[test]
    fn a_parameter_is_a_string_with_its_name_and_tier() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let p = StringParameter::new(
            &s,
            "Mode",
            StringParameterProps::new("cloud")
                .parameter_name("/hera/prod/STORAGE_MODE")
                .description("Where sessions are stored")
                .tier(ParameterTier::Advanced),
        )
        .unwrap();
        let role = Role::new(
            &s,
            "Task",
            RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")),
        )
        .unwrap();
        p.grant_read(&role).unwrap();
        let asm = formwork_test_support::synth_and_lint(&app, "ssm-parameter");
        let t = formwork_test_support::template(&asm, "S");
        assert_eq!(
            t["Resources"]["Mode"],
            json!({"Type": "AWS::SSM::Parameter", "Properties": {
                "Description": "Where sessions are stored",
                "Name": "/hera/prod/STORAGE_MODE",
                "Tier": "Advanced",
                "Type": "String",
                "Value": "cloud"
            }})
        );
        assert_eq!(
            t["Resources"]["Task"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"],
            json!([{
                "Effect": "Allow",
                "Action": ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory"],
                "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${Mode}"}
            }])
        );
    }

    #[test]
    fn arns_drop_the_leading_slash() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let by_name = StringParameter::from_name("/a/b");
        let flat = StringParameter::from_name("plain");
        let generated = StringParameter::new(&s, "Gen", StringParameterProps::new("v")).unwrap();
        s.add_output("A", formwork_core::Output::new(by_name.parameter_arn()))
            .unwrap();
        s.add_output("B", formwork_core::Output::new(flat.parameter_arn()))
            .unwrap();
        s.add_output("C", formwork_core::Output::new(generated.parameter_arn()))
            .unwrap();
        s.add_output("D", formwork_core::Output::new(by_name.parameter_name()))
            .unwrap();
        let t = app.synth().unwrap().template_json("S").unwrap();
        let p = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter";
        assert_eq!(
            t["Outputs"]["A"]["Value"],
            json!({"Fn::Sub": format!("{p}/a/b")})
        );
        assert_eq!(
            t["Outputs"]["B"]["Value"],
            json!({"Fn::Sub": format!("{p}/plain")})
        );
        assert_eq!(
            t["Outputs"]["C"]["Value"],
            json!({"Fn::Sub": format!("{p}/${{Gen}}")})
        );
        assert_eq!(t["Outputs"]["D"]["Value"], "/a/b");
    }

    #[test]
    fn bad_names_are_errors_naming_the_rule() {
        let cases = [
            ("a b", "contains ` `"),
            ("a/b", "does not start with `/`"),
            ("/a//b", "empty level"),
            ("/aws/x", "starts with `aws` or `ssm`"),
            ("SSM-thing", "starts with `aws` or `ssm`"),
        ];
        for (name, expected) in cases {
            let app = App::new();
            let s = app.stack("S").unwrap();
            StringParameter::new(&s, "P", StringParameterProps::new("v").parameter_name(name))
                .unwrap();
            let d = failed(&app);
            let e = d.with_code(codes::PARAMETER_NAME).next().expect(name);
            assert_eq!(e.path, "S/P");
            assert_eq!(e.property.as_deref(), Some("Name"));
            assert!(e.message.contains(expected), "{name}: {}", e.message);
        }
        let deep = format!("/{}", vec!["l"; 16].join("/"));
        assert!(name_problem(&deep).is_some_and(|m| m.contains("16 levels")));
        assert!(name_problem(&"x".repeat(1012)).is_some());
        assert_eq!(name_problem("/hera/prod/GEMINI_API_KEY"), None);
    }

    #[test]
    fn values_must_fit_their_tier() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        StringParameter::new(
            &s,
            "Big",
            StringParameterProps::new("x".repeat(5000)).parameter_name("big"),
        )
        .unwrap();
        StringParameter::new(
            &s,
            "Empty",
            StringParameterProps::new("").parameter_name("empty"),
        )
        .unwrap();
        StringParameter::new(
            &s,
            "Fits",
            StringParameterProps::new("x".repeat(5000))
                .parameter_name("fits")
                .tier(ParameterTier::Advanced),
        )
        .unwrap();
        let d = failed(&app);
        let found: Vec<_> = d.with_code(codes::PARAMETER_VALUE).collect();
        assert_eq!(found.len(), 2, "{d}");
        assert_eq!(found[0].path, "S/Big");
        assert_eq!(found[0].property.as_deref(), Some("Value"));
        assert_eq!(
            found[0].message,
            "the value is 5000 bytes; the Standard tier holds up to 4096 bytes"
        );
        assert_eq!(found[1].path, "S/Empty");
    }

    #[test]
    fn a_grant_without_a_role_warns() {
        use crate::iam::testing::NoRole;
        let app = App::new();
        let s = app.stack("S").unwrap();
        let p = StringParameter::new(&s, "P", StringParameterProps::new("v").parameter_name("p"))
            .unwrap();
        p.grant_read(&NoRole).unwrap();
        let asm = app.synth().unwrap();
        let w: Vec<_> = asm.warnings.with_code(iam::codes::GRANT_NO_ROLE).collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].path, "S/P");
        assert!(
            StringParameter::from_name("/x")
                .grant_read(&NoRole)
                .is_err()
        );
    }
}
