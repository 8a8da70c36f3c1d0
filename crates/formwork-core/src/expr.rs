//! Intrinsic functions and pseudo parameters as a typed tree.
//!
//! An [`Expr`] is a value CloudFormation computes at deploy time. Expressions
//! that point at a resource or a parameter carry a [`Target`] (which stack,
//! which resource), not a logical id string: the logical id is chosen at synth,
//! and a target in another stack becomes an export and `Fn::ImportValue`.

use std::borrow::Cow;
use std::fmt;

use indexmap::IndexMap;

use crate::value::Value;

/// Identifies a stack inside an [`App`](crate::App).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StackId(pub(crate) u32);

/// What a `Ref` or `Fn::GetAtt` points at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A resource added to a stack.
    Resource {
        /// The stack holding the resource.
        stack: StackId,
        /// Its position in the stack.
        index: u32,
    },
    /// A template parameter.
    Parameter {
        /// The stack declaring the parameter.
        stack: StackId,
        /// The parameter's logical id.
        name: String,
    },
    /// A logical id written by hand, checked at synth against the stack it is used in.
    Named(String),
}

/// The pseudo parameters CloudFormation defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pseudo {
    /// `AWS::AccountId`
    AccountId,
    /// `AWS::NotificationARNs`
    NotificationArns,
    /// `AWS::NoValue`: removes the property where it is used (in `Fn::If`).
    NoValue,
    /// `AWS::Partition`
    Partition,
    /// `AWS::Region`
    Region,
    /// `AWS::StackId`
    StackId,
    /// `AWS::StackName`
    StackName,
    /// `AWS::URLSuffix`
    UrlSuffix,
}

impl Pseudo {
    /// The name CloudFormation uses.
    pub fn name(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::NotificationArns => "AWS::NotificationARNs",
            Pseudo::NoValue => "AWS::NoValue",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::Region => "AWS::Region",
            Pseudo::StackId => "AWS::StackId",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
        }
    }

    /// Looks up a pseudo parameter by its CloudFormation name.
    pub fn from_name(name: &str) -> Option<Pseudo> {
        Some(match name {
            "AWS::AccountId" => Pseudo::AccountId,
            "AWS::NotificationARNs" => Pseudo::NotificationArns,
            "AWS::NoValue" => Pseudo::NoValue,
            "AWS::Partition" => Pseudo::Partition,
            "AWS::Region" => Pseudo::Region,
            "AWS::StackId" => Pseudo::StackId,
            "AWS::StackName" => Pseudo::StackName,
            "AWS::URLSuffix" => Pseudo::UrlSuffix,
            _ => return None,
        })
    }
}

/// One piece of an `Fn::Sub` template.
#[derive(Clone, Debug, PartialEq)]
pub enum SubPart {
    /// Literal text (written with `${` escaped as `${!`).
    Text(String),
    /// `${Name}` of a resource or parameter, or of a variable of the map.
    Ref(Target),
    /// `${Name.Attribute}` of a resource.
    GetAtt(Target, String),
    /// `${AWS::Region}` and the other pseudo parameters.
    Pseudo(Pseudo),
    /// `${Var}`: a variable of the `Fn::Sub` map.
    Var(String),
}

/// An intrinsic function.
#[derive(Clone, Debug, PartialEq)]
pub enum Intrinsic {
    /// `Ref`
    Ref(Target),
    /// `Ref` of a pseudo parameter.
    Pseudo(Pseudo),
    /// `Fn::GetAtt`
    GetAtt(Target, String),
    /// `Fn::Sub`, parsed into parts, with its variable map.
    Sub(Vec<SubPart>, IndexMap<String, Value>),
    /// `Fn::Join`
    Join(String, Value),
    /// `Fn::Select`
    Select(Value, Value),
    /// `Fn::Split`
    Split(String, Value),
    /// `Fn::If` on a named condition.
    If(String, Value, Value),
    /// `Fn::Equals`
    Equals(Value, Value),
    /// `Fn::And`
    And(Vec<Value>),
    /// `Fn::Or`
    Or(Vec<Value>),
    /// `Fn::Not`
    Not(Value),
    /// `{"Condition": name}` inside a condition expression.
    Condition(String),
    /// `Fn::FindInMap`
    FindInMap(String, Value, Value),
    /// `Fn::ImportValue`
    ImportValue(Value),
    /// `Fn::GetAZs`
    GetAzs(Value),
    /// `Fn::Base64`
    Base64(Value),
    /// `Fn::Cidr`
    Cidr(Value, Value, Value),
}

impl Intrinsic {
    /// Visits the values nested in this function (not the function itself).
    pub fn walk_values<'a>(&'a self, f: &mut dyn FnMut(&'a Value)) {
        match self {
            Intrinsic::Ref(_)
            | Intrinsic::Pseudo(_)
            | Intrinsic::GetAtt(..)
            | Intrinsic::Condition(_) => {}
            Intrinsic::Sub(_, vars) => vars.values().for_each(f),
            Intrinsic::Join(_, v)
            | Intrinsic::Split(_, v)
            | Intrinsic::Not(v)
            | Intrinsic::ImportValue(v)
            | Intrinsic::GetAzs(v)
            | Intrinsic::Base64(v) => f(v),
            Intrinsic::Select(a, b) | Intrinsic::Equals(a, b) | Intrinsic::If(_, a, b) => {
                f(a);
                f(b);
            }
            Intrinsic::FindInMap(_, a, b) => {
                f(a);
                f(b);
            }
            Intrinsic::And(vs) | Intrinsic::Or(vs) => vs.iter().for_each(f),
            Intrinsic::Cidr(a, b, c) => {
                f(a);
                f(b);
                f(c);
            }
        }
    }

    /// The CloudFormation name of the function.
    pub fn name(&self) -> &'static str {
        match self {
            Intrinsic::Ref(_) | Intrinsic::Pseudo(_) => "Ref",
            Intrinsic::GetAtt(..) => "Fn::GetAtt",
            Intrinsic::Sub(..) => "Fn::Sub",
            Intrinsic::Join(..) => "Fn::Join",
            Intrinsic::Select(..) => "Fn::Select",
            Intrinsic::Split(..) => "Fn::Split",
            Intrinsic::If(..) => "Fn::If",
            Intrinsic::Equals(..) => "Fn::Equals",
            Intrinsic::And(_) => "Fn::And",
            Intrinsic::Or(_) => "Fn::Or",
            Intrinsic::Not(_) => "Fn::Not",
            Intrinsic::Condition(_) => "Condition",
            Intrinsic::FindInMap(..) => "Fn::FindInMap",
            Intrinsic::ImportValue(_) => "Fn::ImportValue",
            Intrinsic::GetAzs(_) => "Fn::GetAZs",
            Intrinsic::Base64(_) => "Fn::Base64",
            Intrinsic::Cidr(..) => "Fn::Cidr",
        }
    }
}

/// A value computed by CloudFormation at deploy time.
///
/// Built with the functions of [`Fn`], by [`Pseudo`] parameters, or by the
/// attribute accessors of resources (`bucket.arn()`).
#[derive(Clone, PartialEq)]
pub struct Expr(Box<Intrinsic>);

impl Expr {
    /// The function this expression is.
    pub fn intrinsic(&self) -> &Intrinsic {
        &self.0
    }

    /// A `Ref` to a target.
    pub fn reference(target: Target) -> Expr {
        Intrinsic::Ref(target).into()
    }

    /// A `Fn::GetAtt` of a target's attribute.
    pub fn get_att(target: Target, attribute: impl Into<String>) -> Expr {
        Intrinsic::GetAtt(target, attribute.into()).into()
    }
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl From<Intrinsic> for Expr {
    fn from(i: Intrinsic) -> Self {
        Expr(Box::new(i))
    }
}

impl From<Pseudo> for Expr {
    fn from(p: Pseudo) -> Self {
        Intrinsic::Pseudo(p).into()
    }
}

impl From<Pseudo> for Value {
    fn from(p: Pseudo) -> Self {
        Value::Expr(p.into())
    }
}

/// Constructors of intrinsic functions.
///
/// ```
/// use formwork::{Fn, Pseudo};
/// let arn = Fn::sub("arn:${AWS::Partition}:s3:::my-bucket/*");
/// let azs = Fn::get_azs(Pseudo::Region);
/// let first = Fn::select(0, azs);
/// # let _ = (arn, first);
/// ```
#[derive(Debug)]
pub struct Fn;

impl Fn {
    /// `Ref` to a logical id written by hand. Prefer the handles returned when
    /// adding resources and parameters; a dangling name is a synth error.
    pub fn ref_name(logical_id: impl Into<String>) -> Expr {
        Expr::reference(Target::Named(logical_id.into()))
    }

    /// `Fn::GetAtt` on a logical id written by hand.
    pub fn get_att_name(logical_id: impl Into<String>, attribute: impl Into<String>) -> Expr {
        Expr::get_att(Target::Named(logical_id.into()), attribute)
    }

    /// `Fn::Sub` of a template string. `${AWS::…}` are pseudo parameters,
    /// `${Name}` and `${Name.Attr}` refer to logical ids of the stack (checked
    /// at synth), `${!Literal}` is a literal `${Literal}`.
    pub fn sub(template: &str) -> Expr {
        Fn::sub_with(template, Vec::<(String, Value)>::new())
    }

    /// `Fn::Sub` with a variable map. Variables may be any value, including
    /// references into other stacks.
    pub fn sub_with<K: Into<String>, V: Into<Value>>(
        template: &str,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Expr {
        let vars: IndexMap<String, Value> = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let parts = parse_sub(template, &vars);
        Intrinsic::Sub(parts, vars).into()
    }

    /// Concatenates literal strings and values into one string: an `Fn::Sub`
    /// whose references stay readable (`arn:${AWS::Partition}:s3:::${Bucket}/*`).
    pub fn concat<V: Into<Value>>(parts: impl IntoIterator<Item = V>) -> Expr {
        // The conversion only: the rest is one function, not a copy for
        // each kind of parts in each crate that concatenates.
        concat_values(parts.into_iter().map(Into::into).collect())
    }

    /// `Fn::Join` of values with a delimiter.
    pub fn join<V: Into<Value>>(delimiter: &str, values: impl IntoIterator<Item = V>) -> Expr {
        Intrinsic::Join(delimiter.to_owned(), Value::list(values)).into()
    }

    /// `Fn::Join` of a list-valued expression (a `CommaDelimitedList` parameter, say).
    pub fn join_list(delimiter: &str, list: impl Into<Value>) -> Expr {
        Intrinsic::Join(delimiter.to_owned(), list.into()).into()
    }

    /// `Fn::Select` of an index from a list.
    pub fn select(index: impl Into<Value>, list: impl Into<Value>) -> Expr {
        Intrinsic::Select(index.into(), list.into()).into()
    }

    /// `Fn::Split` of a string by a delimiter.
    pub fn split(delimiter: &str, source: impl Into<Value>) -> Expr {
        Intrinsic::Split(delimiter.to_owned(), source.into()).into()
    }

    /// `Fn::If`: `then` when the condition holds, else `otherwise`.
    pub fn if_(
        condition: &crate::template_parts::ConditionRef,
        then: impl Into<Value>,
        otherwise: impl Into<Value>,
    ) -> Expr {
        Intrinsic::If(condition.name().to_owned(), then.into(), otherwise.into()).into()
    }

    /// `Fn::Equals`, for conditions.
    pub fn equals(a: impl Into<Value>, b: impl Into<Value>) -> Expr {
        Intrinsic::Equals(a.into(), b.into()).into()
    }

    /// `Fn::And` of 2 to 10 conditions.
    pub fn and<V: Into<Value>>(conditions: impl IntoIterator<Item = V>) -> Expr {
        Intrinsic::And(conditions.into_iter().map(Into::into).collect()).into()
    }

    /// `Fn::Or` of 2 to 10 conditions.
    pub fn or<V: Into<Value>>(conditions: impl IntoIterator<Item = V>) -> Expr {
        Intrinsic::Or(conditions.into_iter().map(Into::into).collect()).into()
    }

    /// `Fn::Not` of a condition.
    pub fn not(condition: impl Into<Value>) -> Expr {
        Intrinsic::Not(condition.into()).into()
    }

    /// `{"Condition": name}`: another condition, inside a condition expression.
    pub fn condition(condition: &crate::template_parts::ConditionRef) -> Expr {
        Intrinsic::Condition(condition.name().to_owned()).into()
    }

    /// `Fn::FindInMap` in a mapping of the stack.
    pub fn find_in_map(
        mapping: &crate::template_parts::MappingRef,
        top_key: impl Into<Value>,
        second_key: impl Into<Value>,
    ) -> Expr {
        Intrinsic::FindInMap(mapping.name().to_owned(), top_key.into(), second_key.into()).into()
    }

    /// `Fn::ImportValue` of an export name. References between stacks of one
    /// app do this for you; use it for exports of stacks outside the app.
    pub fn import_value(export_name: impl Into<Value>) -> Expr {
        Intrinsic::ImportValue(export_name.into()).into()
    }

    /// `Fn::GetAZs` of a region (`Pseudo::Region` or `""` for the stack's region).
    pub fn get_azs(region: impl Into<Value>) -> Expr {
        Intrinsic::GetAzs(region.into()).into()
    }

    /// `Fn::Base64` of a string.
    pub fn base64(value: impl Into<Value>) -> Expr {
        Intrinsic::Base64(value.into()).into()
    }

    /// `Fn::Cidr`: `count` CIDR blocks of `cidr_bits` host bits carved from `ip_block`.
    pub fn cidr(
        ip_block: impl Into<Value>,
        count: impl Into<Value>,
        cidr_bits: impl Into<Value>,
    ) -> Expr {
        Intrinsic::Cidr(ip_block.into(), count.into(), cidr_bits.into()).into()
    }
}

/// The text of an `Fn::Sub` without variables, its literal pieces joined:
/// the plain string synth writes it as (cfn-lint W1020). `None` when it has
/// a variable.
pub(crate) fn plain_sub(parts: &[SubPart]) -> Option<Cow<'_, str>> {
    let mut len = 0;
    for part in parts {
        match part {
            SubPart::Text(t) => len += t.len(),
            _ => return None,
        }
    }
    if let [SubPart::Text(t)] = parts {
        return Some(Cow::Borrowed(t));
    }
    let mut text = String::with_capacity(len);
    for part in parts {
        if let SubPart::Text(t) = part {
            text.push_str(t);
        }
    }
    Some(Cow::Owned(text))
}

/// [`Fn::concat`] of values already converted.
fn concat_values(parts: Vec<Value>) -> Expr {
    let mut out = Vec::new();
    let mut vars = IndexMap::new();
    for part in parts {
        match part {
            Value::String(s) => push_text(&mut out, &s),
            Value::Int(i) => push_text(&mut out, &i.to_string()),
            Value::Expr(e) => match *e.0 {
                Intrinsic::Ref(t) => out.push(SubPart::Ref(t)),
                Intrinsic::GetAtt(t, a) => out.push(SubPart::GetAtt(t, a)),
                Intrinsic::Pseudo(p) => out.push(SubPart::Pseudo(p)),
                // A nested Fn::Sub is inlined, its variables renamed
                // into this one's map, so ARNs built from ARNs stay flat.
                Intrinsic::Sub(inner, inner_vars) => {
                    let mut renamed = IndexMap::new();
                    for (k, v) in inner_vars {
                        let name = format!("Part{}", vars.len());
                        vars.insert(name.clone(), v);
                        renamed.insert(k, name);
                    }
                    for part in inner {
                        match part {
                            SubPart::Text(t) => push_text(&mut out, &t),
                            SubPart::Var(v) => {
                                out.push(SubPart::Var(renamed.get(&v).cloned().unwrap_or(v)))
                            }
                            other => out.push(other),
                        }
                    }
                }
                other => {
                    let name = format!("Part{}", vars.len());
                    vars.insert(name.clone(), Value::from(Expr::from(other)));
                    out.push(SubPart::Var(name));
                }
            },
            other => {
                let name = format!("Part{}", vars.len());
                vars.insert(name.clone(), other);
                out.push(SubPart::Var(name));
            }
        }
    }
    Intrinsic::Sub(out, vars).into()
}

fn push_text(out: &mut Vec<SubPart>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(SubPart::Text(prev)) = out.last_mut() {
        prev.push_str(text);
    } else {
        out.push(SubPart::Text(text.to_owned()));
    }
}

/// Splits an `Fn::Sub` template into parts. `${!x}` stays literal.
fn parse_sub(template: &str, vars: &IndexMap<String, Value>) -> Vec<SubPart> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if let Some(lit) = name.strip_prefix('!') {
            push_text(&mut out, &rest[..start]);
            push_text(&mut out, &format!("${{{lit}}}"));
        } else {
            push_text(&mut out, &rest[..start]);
            let part = if vars.contains_key(name) {
                SubPart::Var(name.to_owned())
            } else if let Some(p) = Pseudo::from_name(name) {
                SubPart::Pseudo(p)
            } else if let Some((id, attr)) = name.split_once('.') {
                SubPart::GetAtt(Target::Named(id.to_owned()), attr.to_owned())
            } else {
                SubPart::Ref(Target::Named(name.to_owned()))
            };
            out.push(part);
        }
        rest = &after[end + 1..];
    }
    push_text(&mut out, rest);
    out
}

/// Dynamic references: values CloudFormation reads from Secrets Manager or
/// Systems Manager at deploy time, so they never appear in the template.
#[derive(Debug)]
pub struct Dynamic;

impl Dynamic {
    /// `{{resolve:secretsmanager:<secret>:SecretString:<json_key>::}}`. The
    /// secret may be a name, an ARN or a reference to a secret resource.
    pub fn secret_json_key(secret: impl Into<Value>, json_key: &str) -> Expr {
        Fn::concat([
            Value::from("{{resolve:secretsmanager:"),
            secret.into(),
            Value::from(format!(":SecretString:{json_key}::}}}}")),
        ])
    }

    /// `{{resolve:secretsmanager:<secret>}}`: the whole secret string.
    pub fn secret(secret: impl Into<Value>) -> Expr {
        Fn::concat([
            Value::from("{{resolve:secretsmanager:"),
            secret.into(),
            Value::from("}}"),
        ])
    }

    /// `{{resolve:ssm:<name>}}`: a plain SSM parameter (latest version).
    pub fn ssm(name: impl Into<Value>) -> Expr {
        Fn::concat([
            Value::from("{{resolve:ssm:"),
            name.into(),
            Value::from("}}"),
        ])
    }

    /// `{{resolve:ssm-secure:<name>:<version>}}`: a SecureString parameter
    /// (only some properties accept it; see the CloudFormation guide).
    pub fn ssm_secure(name: impl Into<Value>, version: u32) -> Expr {
        Fn::concat([
            Value::from("{{resolve:ssm-secure:"),
            name.into(),
            Value::from(format!(":{version}}}}}")),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_template_is_parsed_into_parts() {
        let e = Fn::sub("arn:${AWS::Partition}:s3:::${Bucket}/${!Literal}/${Role.Arn}");
        let Intrinsic::Sub(parts, _) = e.intrinsic() else {
            panic!("not a Sub: {e:?}")
        };
        assert_eq!(
            parts,
            &vec![
                SubPart::Text("arn:".into()),
                SubPart::Pseudo(Pseudo::Partition),
                SubPart::Text(":s3:::".into()),
                SubPart::Ref(Target::Named("Bucket".into())),
                SubPart::Text("/${Literal}/".into()),
                SubPart::GetAtt(Target::Named("Role".into()), "Arn".into()),
            ]
        );
    }

    #[test]
    fn sub_variables_shadow_logical_ids() {
        let e = Fn::sub_with("${Name}-x", [("Name", "v")]);
        let Intrinsic::Sub(parts, vars) = e.intrinsic() else {
            panic!()
        };
        assert_eq!(parts[0], SubPart::Var("Name".into()));
        assert_eq!(vars.len(), 1);
    }

    #[test]
    fn concat_merges_text_and_lifts_other_functions_into_vars() {
        let e = Fn::concat([
            Value::from("a"),
            Value::from("b"),
            Pseudo::Region.into(),
            Fn::select(0, Fn::get_azs("")).into(),
        ]);
        let Intrinsic::Sub(parts, vars) = e.intrinsic() else {
            panic!()
        };
        assert_eq!(parts[0], SubPart::Text("ab".into()));
        assert_eq!(parts[1], SubPart::Pseudo(Pseudo::Region));
        assert_eq!(parts[2], SubPart::Var("Part0".into()));
        assert!(vars["Part0"].is_expr());
    }

    #[test]
    fn concat_inlines_nested_subs_and_renames_their_variables() {
        let inner = Fn::sub_with(
            "log-group:${Name}:*",
            [("Name", Fn::select(0, Fn::split(",", "a,b")))],
        );
        let e = Fn::concat([
            Value::from("arn:"),
            Pseudo::Partition.into(),
            Value::from(":logs:"),
            inner.into(),
        ]);
        let Intrinsic::Sub(parts, vars) = e.intrinsic() else {
            panic!()
        };
        assert_eq!(
            parts,
            &vec![
                SubPart::Text("arn:".into()),
                SubPart::Pseudo(Pseudo::Partition),
                SubPart::Text(":logs:log-group:".into()),
                SubPart::Var("Part0".into()),
                SubPart::Text(":*".into()),
            ]
        );
        assert_eq!(vars.keys().collect::<Vec<_>>(), ["Part0"]);
    }

    #[test]
    fn pseudo_names_round_trip() {
        for p in [
            Pseudo::AccountId,
            Pseudo::NotificationArns,
            Pseudo::NoValue,
            Pseudo::Partition,
            Pseudo::Region,
            Pseudo::StackId,
            Pseudo::StackName,
            Pseudo::UrlSuffix,
        ] {
            assert_eq!(Pseudo::from_name(p.name()), Some(p));
        }
        assert_eq!(Pseudo::from_name("AWS::Nope"), None);
    }

    #[test]
    fn walk_values_visits_nested_values() {
        let e = Fn::cidr("10.0.0.0/16", 4, 8);
        let mut n = 0;
        e.intrinsic().walk_values(&mut |_| n += 1);
        assert_eq!(n, 3);
    }
}
