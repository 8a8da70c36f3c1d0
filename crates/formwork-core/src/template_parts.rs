//! Parameters, outputs, conditions and mappings: the parts of a template
//! beside its resources.

use indexmap::IndexMap;

use crate::expr::{Expr, StackId, Target};
use crate::value::Value;

/// The type of a template parameter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ParameterType {
    /// `String`
    String,
    /// `Number`
    Number,
    /// `List<Number>`
    NumberList,
    /// `CommaDelimitedList`
    CommaDelimitedList,
    /// An AWS-specific type (`AWS::EC2::VPC::Id`, `List<AWS::EC2::Subnet::Id>`, …).
    Aws(String),
    /// An SSM parameter type (`AWS::SSM::Parameter::Value<String>`, …).
    Ssm(String),
}

impl ParameterType {
    /// The CloudFormation spelling.
    pub fn as_str(&self) -> &str {
        match self {
            ParameterType::String => "String",
            ParameterType::Number => "Number",
            ParameterType::NumberList => "List<Number>",
            ParameterType::CommaDelimitedList => "CommaDelimitedList",
            ParameterType::Aws(s) | ParameterType::Ssm(s) => s,
        }
    }

    /// True for the types whose value is a list.
    pub fn is_list(&self) -> bool {
        match self {
            ParameterType::NumberList | ParameterType::CommaDelimitedList => true,
            ParameterType::Aws(s) | ParameterType::Ssm(s) => {
                s.starts_with("List<")
                    || s.contains("<List<")
                    || s.ends_with("<CommaDelimitedList>")
            }
            _ => false,
        }
    }
}

/// A template parameter: a value given at deploy time.
///
/// ```
/// use formwork::Parameter;
/// let p = Parameter::string()
///     .description("ARN of the ACM certificate for the HTTPS listener")
///     .allowed_pattern("^arn:aws[a-z-]*:acm:.*$");
/// # let _ = p;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    pub(crate) ty: ParameterType,
    pub(crate) default: Option<Value>,
    pub(crate) description: Option<String>,
    pub(crate) no_echo: bool,
    pub(crate) allowed_values: Vec<Value>,
    pub(crate) allowed_pattern: Option<String>,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) min_value: Option<f64>,
    pub(crate) max_value: Option<f64>,
    pub(crate) constraint_description: Option<String>,
}

impl Parameter {
    /// A parameter of the given type.
    pub fn new(ty: ParameterType) -> Parameter {
        Parameter {
            ty,
            default: None,
            description: None,
            no_echo: false,
            allowed_values: Vec::new(),
            allowed_pattern: None,
            min_length: None,
            max_length: None,
            min_value: None,
            max_value: None,
            constraint_description: None,
        }
    }
    /// A `String` parameter.
    pub fn string() -> Parameter {
        Parameter::new(ParameterType::String)
    }
    /// A `Number` parameter.
    pub fn number() -> Parameter {
        Parameter::new(ParameterType::Number)
    }
    /// A `CommaDelimitedList` parameter.
    pub fn comma_delimited_list() -> Parameter {
        Parameter::new(ParameterType::CommaDelimitedList)
    }
    /// A `List<Number>` parameter.
    pub fn number_list() -> Parameter {
        Parameter::new(ParameterType::NumberList)
    }
    /// An AWS-specific parameter type, such as `AWS::EC2::VPC::Id`.
    pub fn aws(type_name: impl Into<String>) -> Parameter {
        Parameter::new(ParameterType::Aws(type_name.into()))
    }
    /// An SSM parameter type, such as `AWS::SSM::Parameter::Value<String>`;
    /// the default is the SSM parameter name.
    pub fn ssm(type_name: impl Into<String>) -> Parameter {
        Parameter::new(ParameterType::Ssm(type_name.into()))
    }
    /// The default value.
    pub fn default_value(mut self, v: impl Into<Value>) -> Self {
        self.default = Some(v.into());
        self
    }
    /// The description shown by the console and the CLI.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Masks the value in the console and in API answers.
    pub fn no_echo(mut self) -> Self {
        self.no_echo = true;
        self
    }
    /// The values allowed.
    pub fn allowed_values<V: Into<Value>>(mut self, values: impl IntoIterator<Item = V>) -> Self {
        self.allowed_values = values.into_iter().map(Into::into).collect();
        self
    }
    /// A regular expression the value must match (String types).
    pub fn allowed_pattern(mut self, p: impl Into<String>) -> Self {
        self.allowed_pattern = Some(p.into());
        self
    }
    /// Minimum length (String types).
    pub fn min_length(mut self, n: u64) -> Self {
        self.min_length = Some(n);
        self
    }
    /// Maximum length (String types).
    pub fn max_length(mut self, n: u64) -> Self {
        self.max_length = Some(n);
        self
    }
    /// Minimum value (Number types).
    pub fn min_value(mut self, n: f64) -> Self {
        self.min_value = Some(n);
        self
    }
    /// Maximum value (Number types).
    pub fn max_value(mut self, n: f64) -> Self {
        self.max_value = Some(n);
        self
    }
    /// The message shown when a constraint fails.
    pub fn constraint_description(mut self, d: impl Into<String>) -> Self {
        self.constraint_description = Some(d.into());
        self
    }
    /// The type.
    pub fn parameter_type(&self) -> &ParameterType {
        &self.ty
    }
    /// The default, if any.
    pub fn get_default(&self) -> Option<&Value> {
        self.default.as_ref()
    }
}

/// A handle to a parameter of a stack.
#[derive(Clone, Debug, PartialEq)]
pub struct ParameterRef {
    pub(crate) stack: StackId,
    pub(crate) name: String,
}

impl ParameterRef {
    /// `Ref` of the parameter: its value.
    pub fn ref_(&self) -> Expr {
        Expr::reference(Target::Parameter {
            stack: self.stack,
            name: self.name.clone(),
        })
    }
    /// The parameter's logical id.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl From<&ParameterRef> for Expr {
    fn from(p: &ParameterRef) -> Expr {
        p.ref_()
    }
}
impl From<&ParameterRef> for Value {
    fn from(p: &ParameterRef) -> Value {
        Value::Expr(p.ref_())
    }
}

/// A handle to a condition of a stack, for `Fn::If` and resource conditions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionRef {
    pub(crate) stack: StackId,
    pub(crate) name: String,
}

impl ConditionRef {
    /// The condition's logical id.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The stack that declares it.
    pub fn stack(&self) -> StackId {
        self.stack
    }
}

/// A mapping: top-level keys to second-level keys to values.
///
/// ```
/// use formwork::Mapping;
/// let m = Mapping::new()
///     .entry("ap-northeast-1", [("Ami", "ami-0123")])
///     .entry("us-east-1", [("Ami", "ami-4567")]);
/// # let _ = m;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mapping {
    pub(crate) entries: IndexMap<String, IndexMap<String, Value>>,
}

impl Mapping {
    /// An empty mapping.
    pub fn new() -> Mapping {
        Mapping::default()
    }
    /// Adds a top-level key with its second-level entries.
    pub fn entry<K: Into<String>, V: Into<Value>>(
        mut self,
        top: impl Into<String>,
        values: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.entries.insert(
            top.into(),
            values
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        );
        self
    }
}

/// A handle to a mapping of a stack, for `Fn::FindInMap`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingRef {
    pub(crate) stack: StackId,
    pub(crate) name: String,
}

impl MappingRef {
    /// The mapping's logical id.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A stack output.
///
/// ```
/// use formwork::{Output, Fn};
/// let o = Output::new(Fn::ref_name("Bucket"))
///     .description("Name of the data bucket")
///     .export_name("media-search-data-bucket");
/// # let _ = o;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub(crate) value: Value,
    pub(crate) description: Option<String>,
    pub(crate) export_name: Option<Value>,
    pub(crate) condition: Option<String>,
}

impl Output {
    /// An output of a value.
    pub fn new(value: impl Into<Value>) -> Output {
        Output {
            value: value.into(),
            description: None,
            export_name: None,
            condition: None,
        }
    }
    /// Its description.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Exports the value under a name, for `Fn::ImportValue` from stacks
    /// outside the app.
    pub fn export_name(mut self, name: impl Into<Value>) -> Self {
        self.export_name = Some(name.into());
        self
    }
    /// Emits the output only when the condition holds.
    pub fn condition(mut self, c: &ConditionRef) -> Self {
        self.condition = Some(c.name.clone());
        self
    }
}
