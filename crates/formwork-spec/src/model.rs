//! The normalized model of the vendored schemas.
//!
//! See the crate documentation for how schema constructs map onto it.

use serde::{Deserialize, Serialize};

/// Every vendored resource type, plus the facts that come with them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Registry {
    /// Version of the cfn-lint package the schemas were taken from.
    pub source_version: String,
    /// Every region the source knows about, sorted.
    pub regions: Vec<String>,
    /// The resource types, sorted by [`ResourceType::type_name`].
    pub types: Vec<ResourceType>,
    /// Lambda runtime lifecycle dates, sorted by runtime.
    pub lambda_runtimes: Vec<RuntimeLifecycle>,
}

impl Registry {
    /// The resource type named `type_name` (`"AWS::S3::Bucket"`), if vendored.
    pub fn get(&self, type_name: &str) -> Option<&ResourceType> {
        self.types
            .binary_search_by(|t| t.type_name.as_str().cmp(type_name))
            .ok()
            .map(|i| &self.types[i])
    }

    /// The resource types of one namespace (`"S3"`), in type-name order.
    pub fn namespace<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a ResourceType> {
        self.types.iter().filter(move |t| t.namespace == namespace)
    }

    /// The lifecycle of a Lambda runtime (`"python3.12"`), if known.
    pub fn lambda_runtime(&self, runtime: &str) -> Option<&RuntimeLifecycle> {
        self.lambda_runtimes
            .binary_search_by(|r| r.runtime.as_str().cmp(runtime))
            .ok()
            .map(|i| &self.lambda_runtimes[i])
    }
}

/// One CloudFormation resource type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceType {
    /// The full name, `"AWS::S3::Bucket"`.
    pub type_name: String,
    /// The service segment, `"S3"`.
    pub namespace: String,
    /// The resource segment, `"Bucket"`.
    pub name: String,
    /// The schema's description (the vendored schemas rarely carry one).
    pub description: Option<String>,
    /// The schema's `documentationUrl`, else its `sourceUrl`.
    pub documentation_url: Option<String>,
    /// The settable properties, in schema order. Read-only properties are not
    /// here (see [`ResourceType::attributes`]).
    pub properties: Vec<Property>,
    /// The structs reachable from [`ResourceType::properties`], in the order a
    /// depth-first walk of the properties first reaches them.
    pub definitions: Vec<Definition>,
    /// What `Fn::GetAtt` can read: the read-only properties, nested ones
    /// joined with `.` (`"Endpoint.Address"`). Paths through lists are left out.
    pub attributes: Vec<Attribute>,
    /// Properties whose change replaces the resource (`"BucketName"`; nested
    /// paths joined with `.`, list elements written `*`).
    pub create_only: Vec<String>,
    /// Properties CloudFormation accepts but never returns (same path form).
    pub write_only: Vec<String>,
    /// The properties that identify a resource (same path form).
    pub primary_identifier: Vec<String>,
    /// Alternative sets of required properties from resource-level
    /// `oneOf`/`anyOf` blocks that only carry `required` lists.
    pub one_of_required: Vec<Vec<String>>,
    /// Whether and how the resource takes tags.
    pub tagging: Tagging,
    /// The regions that have this type, sorted.
    pub regions: Vec<String>,
}

impl ResourceType {
    /// The settable property named `name`.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// The definition named `name`.
    pub fn definition(&self, name: &str) -> Option<&Definition> {
        self.definitions.iter().find(|d| d.name == name)
    }

    /// The attribute named `name` (`"Arn"`, `"Endpoint.Address"`).
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// A property of a resource or of a [`Definition`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Property {
    /// The property name as written in a template.
    pub name: String,
    /// Its normalized type.
    pub ty: Type,
    /// Listed in the enclosing schema's `required`.
    pub required: bool,
    /// The schema's description, if any.
    pub description: Option<String>,
    /// Read-only: only ever `true` inside definitions (read-only resource
    /// properties are left out of [`ResourceType::properties`]).
    pub read_only: bool,
    /// Changing it replaces the resource.
    pub create_only: bool,
    /// Accepted on write, never returned.
    pub write_only: bool,
}

/// A struct: an object schema with named properties.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    /// The schema's definition key, or a name synthesized for an inline object.
    pub name: String,
    /// The schema's description, if any.
    pub description: Option<String>,
    /// Its properties, in schema order.
    pub properties: Vec<Property>,
    /// `false` when the schema says `additionalProperties: false`.
    pub additional_properties: bool,
    /// Alternative sets of required properties (from `oneOf`/`anyOf` blocks
    /// that only carry `required` lists, or from merged `oneOf` objects).
    pub one_of_required: Vec<Vec<String>>,
}

impl Definition {
    /// The property named `name`.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// A normalized property type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Type {
    /// A string, with its constraints.
    String(StringRules),
    /// An integer, with its constraints.
    Integer(NumberRules),
    /// A number, with its constraints.
    Number(NumberRules),
    /// A boolean.
    Boolean,
    /// Free-form JSON: anything the other kinds cannot express.
    Json,
    /// A list.
    List {
        /// The element type.
        item: Box<Type>,
        /// `minItems`.
        min_items: Option<u64>,
        /// `maxItems`.
        max_items: Option<u64>,
    },
    /// A map from string keys to values of one type.
    Map {
        /// The value type.
        value: Box<Type>,
        /// The key pattern (the `patternProperties` key), raw.
        key_pattern: Option<String>,
    },
    /// A struct: the name of a [`Definition`] of the same resource type.
    Object(String),
}

impl Type {
    /// A short name of the kind: `"String"`, `"List"`, `"Object"`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            Type::String(_) => "String",
            Type::Integer(_) => "Integer",
            Type::Number(_) => "Number",
            Type::Boolean => "Boolean",
            Type::Json => "Json",
            Type::List { .. } => "List",
            Type::Map { .. } => "Map",
            Type::Object(_) => "Object",
        }
    }
}

/// Constraints on a string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StringRules {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern`, raw (an ECMA-262 regular expression as written in the schema).
    pub pattern: Option<String>,
    /// `enum` (or `const`), in schema order; empty when unconstrained.
    pub enum_values: Vec<String>,
    /// `format` (JSON Schema formats and cfn-lint's, like `AWS::EC2::VPC.Id`).
    pub format: Option<String>,
}

/// Constraints on an integer or a number.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NumberRules {
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`.
    pub exclusive_minimum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: Option<f64>,
    /// `enum`, in schema order; empty when unconstrained.
    pub enum_values: Vec<f64>,
}

/// A value `Fn::GetAtt` can read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    /// `"Arn"`, or a nested path joined with `.`: `"Endpoint.Address"`.
    pub name: String,
    /// Its type where the schema resolves it; object values are [`Type::Json`].
    pub ty: Option<Type>,
}

/// Whether and how a resource takes tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tagging {
    /// The resource takes tags.
    pub taggable: bool,
    /// The property holding them (`"Tags"`; a nested path joined with `.`,
    /// like `"TagSpecifications.*.Tags"`), when taggable.
    pub tag_property: Option<String>,
    /// The shape of the tag property.
    pub format: TagFormat,
}

/// The shape of a tag property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TagFormat {
    /// A list of `{Key, Value}` objects.
    List,
    /// A map from key to value.
    Map,
    /// Anything else, or no tag property.
    Other,
}

/// Lifecycle dates of one Lambda runtime (ISO dates, `YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeLifecycle {
    /// The runtime identifier, `"python3.12"`.
    pub runtime: String,
    /// When it is (or was) deprecated.
    pub deprecated: Option<String>,
    /// From when new functions can no longer use it.
    pub create_block: Option<String>,
    /// From when existing functions can no longer be updated with it.
    pub update_block: Option<String>,
    /// The runtime to move to.
    pub successor: Option<String>,
}
