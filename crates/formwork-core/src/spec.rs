//! Static descriptions of resource types, generated from the CloudFormation
//! resource schemas. Synth-time validation walks values against them.
//!
//! Generated L1 code holds one [`ResourceSpec`] per resource type and one
//! [`ObjectShape`] per property type, as `static` data: validation is a single
//! non-generic walker over these tables.

/// The type of a property and the constraints on its literal values.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// A string, with length, pattern and allowed-value rules.
    String(&'static StringRules),
    /// An integer, with bounds.
    Integer(&'static NumberRules),
    /// A number, with bounds.
    Number(&'static NumberRules),
    /// A boolean.
    Boolean,
    /// Free-form JSON (a policy document, say): not checked.
    Json,
    /// A list of one shape.
    List(&'static ListShape),
    /// An object with arbitrary keys and values of one shape.
    Map(&'static MapShape),
    /// A property type: an object with named properties.
    Object(&'static ObjectShape),
}

impl Shape {
    /// The name of the shape's kind, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Shape::String(_) => "string",
            Shape::Integer(_) => "integer",
            Shape::Number(_) => "number",
            Shape::Boolean => "boolean",
            Shape::Json => "JSON",
            Shape::List(_) => "list",
            Shape::Map(_) => "map",
            Shape::Object(o) => o.name,
        }
    }
}

/// Constraints on a string.
#[derive(Clone, Copy, Debug, Default)]
pub struct StringRules {
    /// Minimum length in characters.
    pub min_length: Option<u64>,
    /// Maximum length in characters.
    pub max_length: Option<u64>,
    /// A regular expression the value must match (searched, as JSON Schema does).
    pub pattern: Option<&'static str>,
    /// The allowed values; empty when any value is allowed.
    pub values: &'static [&'static str],
    /// The schema's `format` (`ipv4-network`, `date-time`,
    /// `AWS::IAM::Role.Arn`, ...); formats formwork does not know pass.
    pub format: Option<&'static str>,
}

impl StringRules {
    /// No constraint.
    pub const NONE: StringRules = StringRules {
        min_length: None,
        max_length: None,
        pattern: None,
        values: &[],
        format: None,
    };
}

/// Bounds on a number.
#[derive(Clone, Copy, Debug, Default)]
pub struct NumberRules {
    /// Inclusive minimum.
    pub minimum: Option<f64>,
    /// Inclusive maximum.
    pub maximum: Option<f64>,
    /// Exclusive minimum.
    pub exclusive_minimum: Option<f64>,
    /// Exclusive maximum.
    pub exclusive_maximum: Option<f64>,
    /// The allowed values (an integer `enum`); empty when any value is allowed.
    pub values: &'static [f64],
}

impl NumberRules {
    /// No constraint.
    pub const NONE: NumberRules = NumberRules {
        minimum: None,
        maximum: None,
        exclusive_minimum: None,
        exclusive_maximum: None,
        values: &[],
    };
}

/// What synth knows about a region: its name and how many availability
/// zones `Fn::GetAZs` returns there (generated from the spec data).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Region {
    /// The region name (`ap-northeast-1`).
    pub name: &'static str,
    /// The number of zones `Fn::GetAZs` lists for a new account.
    pub zones: u8,
}

/// A list and its item shape.
#[derive(Clone, Copy, Debug)]
pub struct ListShape {
    /// The shape of each item.
    pub item: Shape,
    /// Minimum number of items.
    pub min_items: Option<u64>,
    /// Maximum number of items.
    pub max_items: Option<u64>,
}

/// A map and its value shape.
#[derive(Clone, Copy, Debug)]
pub struct MapShape {
    /// The shape of each value.
    pub value: Shape,
    /// A pattern every key must match.
    pub key_pattern: Option<&'static str>,
}

/// A property type: an object with named properties.
#[derive(Debug)]
pub struct ObjectShape {
    /// The property type's name (`CorsRule`).
    pub name: &'static str,
    /// Its properties, in schema order.
    pub properties: &'static [PropSpec],
    /// False when the schema allows properties it does not name.
    pub closed: bool,
    /// Sets of properties of which exactly one set must be present (schema `oneOf` of `required`).
    pub one_of_required: &'static [&'static [&'static str]],
}

impl ObjectShape {
    /// The position of a property by name.
    ///
    /// A plain loop that compares lengths first: validation looks up every
    /// property of every object, and `iter().position(..)` cost several
    /// hundred instructions a lookup in a debug build.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        let name = name.as_bytes();
        let mut i = 0;
        while i < self.properties.len() {
            let p = self.properties[i].name.as_bytes();
            if p.len() == name.len() && p == name {
                return Some(i);
            }
            i += 1;
        }
        None
    }
}

/// One property of a resource or property type.
#[derive(Clone, Copy, Debug)]
pub struct PropSpec {
    /// The CloudFormation name (`BucketName`).
    pub name: &'static str,
    /// Its type and constraints.
    pub shape: Shape,
    /// True when the property must be set.
    pub required: bool,
}

/// How stack-wide tags reach a resource type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tagging {
    /// The type takes no tags.
    None,
    /// A list of `{Key, Value}` objects in the named property.
    List(&'static str),
    /// A map of key to value in the named property.
    Map(&'static str),
}

/// A CloudFormation resource type.
#[derive(Debug)]
pub struct ResourceSpec {
    /// The type name (`AWS::S3::Bucket`).
    pub type_name: &'static str,
    /// The properties, as an object shape.
    pub object: &'static ObjectShape,
    /// The attributes `Fn::GetAtt` accepts.
    pub attributes: &'static [&'static str],
    /// Property paths whose change replaces the resource.
    pub create_only: &'static [&'static str],
    /// Property paths CloudFormation never returns (secrets, for example).
    pub write_only: &'static [&'static str],
    /// How stack tags are applied.
    pub tagging: Tagging,
    /// The regions where the type exists, as a bit set over `region_table`.
    pub regions: u64,
    /// The region names the bit set refers to.
    pub region_table: &'static [&'static str],
    /// The user guide page of the type.
    pub doc_url: Option<&'static str>,
}

impl ResourceSpec {
    /// True when the type exists in the region (unknown regions count as available).
    pub fn available_in(&self, region: &str) -> bool {
        match self.region_index(region) {
            Some(i) => self.regions & (1 << i) != 0,
            None => true,
        }
    }

    /// True when `region` is a region the vendored schemas know.
    pub fn knows_region(&self, region: &str) -> bool {
        self.region_index(region).is_some()
    }

    /// True when `region` is a region the vendored schemas know and the
    /// type does not exist there (`knows_region && !available_in`, with
    /// one search of the table: synth asks it of every resource).
    pub fn missing_in(&self, region: &str) -> bool {
        match self.region_index(region) {
            Some(i) => self.regions & (1 << i) == 0,
            None => false,
        }
    }

    /// The position of `region` in the region table: a plain loop that
    /// compares lengths first (an iterator search cost a call per region
    /// in a debug build).
    fn region_index(&self, region: &str) -> Option<usize> {
        let t = self.region_table;
        let name = region.as_bytes();
        let mut i = 0;
        while i < t.len() {
            let r = t[i].as_bytes();
            if r.len() == name.len() && r == name {
                return Some(i);
            }
            i += 1;
        }
        None
    }

    /// True when a change to this property path replaces the resource.
    pub fn is_create_only(&self, property_path: &str) -> bool {
        self.create_only.iter().any(|p| {
            *p == property_path
                || property_path
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static OBJ: ObjectShape = ObjectShape {
        name: "T",
        properties: &[PropSpec {
            name: "A",
            shape: Shape::String(&StringRules::NONE),
            required: true,
        }],
        closed: true,
        one_of_required: &[],
    };
    static SPEC: ResourceSpec = ResourceSpec {
        type_name: "AWS::Test::T",
        object: &OBJ,
        attributes: &["Arn"],
        create_only: &["A", "B.C"],
        write_only: &[],
        tagging: Tagging::None,
        regions: 0b01,
        region_table: &["us-east-1", "eu-west-1"],
        doc_url: None,
    };

    #[test]
    fn region_bits() {
        assert!(SPEC.available_in("us-east-1"));
        assert!(!SPEC.available_in("eu-west-1"));
        assert!(SPEC.available_in("xx-test-1"));
        assert!(!SPEC.knows_region("xx-test-1"));
    }

    #[test]
    fn missing_in_is_known_and_not_available() {
        for r in [
            "us-east-1",
            "eu-west-1",
            "xx-test-1",
            "",
            "us-east-11",
            "eu-west",
        ] {
            assert_eq!(
                SPEC.missing_in(r),
                SPEC.knows_region(r) && !SPEC.available_in(r),
                "{r}"
            );
            assert_eq!(SPEC.knows_region(r), SPEC.region_table.contains(&r), "{r}");
        }
        assert!(SPEC.missing_in("eu-west-1"));
    }

    #[test]
    fn create_only_matches_nested_paths() {
        assert!(SPEC.is_create_only("A"));
        assert!(SPEC.is_create_only("B.C.D"));
        assert!(!SPEC.is_create_only("B"));
        assert!(!SPEC.is_create_only("AB"));
        assert_eq!(OBJ.index_of("A"), Some(0));
    }

    #[test]
    fn index_of_finds_exact_names_only() {
        const fn p(name: &'static str) -> PropSpec {
            PropSpec {
                name,
                shape: Shape::String(&StringRules::NONE),
                required: false,
            }
        }
        static PROPS: [PropSpec; 4] = [p("Name"), p("Names"), p("Nam"), p("Tags")];
        let obj = ObjectShape {
            name: "T",
            properties: &PROPS,
            closed: true,
            one_of_required: &[],
        };
        for (i, prop) in PROPS.iter().enumerate() {
            assert_eq!(obj.index_of(prop.name), Some(i), "{}", prop.name);
        }
        for missing in ["", "N", "name", "Tag", "TagsX", "Namé"] {
            assert_eq!(obj.index_of(missing), None, "{missing}");
        }
    }
}
