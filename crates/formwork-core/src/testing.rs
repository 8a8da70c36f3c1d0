//! A small hand-written resource type in the exact shape the code generator
//! emits, for the engine's own tests and examples (the engine knows no AWS
//! service). It mirrors part of `AWS::SSM::Parameter`.

use std::fmt;

use crate::expr::Expr;
use crate::props::PropBag;
use crate::resource::{Resource, ResourceRef, sealed};
use crate::spec::{ObjectShape, PropSpec, ResourceSpec, Shape, StringRules, Tagging};
use crate::typed::{IntoMap, Str};

static NAME: StringRules = StringRules {
    min_length: Some(1),
    max_length: Some(2048),
    pattern: Some("^[a-zA-Z0-9_.\\-/]+$"),
    ..StringRules::NONE
};
static TYPE: StringRules = StringRules {
    values: &["String", "StringList"],
    ..StringRules::NONE
};
static SHAPE: ObjectShape = ObjectShape {
    name: "CfnThing",
    properties: &[
        PropSpec {
            name: "Name",
            shape: Shape::String(&NAME),
            required: false,
        },
        PropSpec {
            name: "Type",
            shape: Shape::String(&TYPE),
            required: true,
        },
        PropSpec {
            name: "Value",
            shape: Shape::String(&StringRules::NONE),
            required: true,
        },
        PropSpec {
            name: "Tags",
            shape: Shape::Map(&crate::spec::MapShape {
                value: Shape::String(&StringRules::NONE),
                key_pattern: None,
            }),
            required: false,
        },
    ],
    closed: true,
    one_of_required: &[],
};
static SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::SSM::Parameter",
    object: &SHAPE,
    attributes: &["Type", "Value"],
    create_only: &["Name"],
    write_only: &[],
    tagging: Tagging::Map("Tags"),
    regions: 0b1,
    region_table: &["us-east-1"],
    doc_url: None,
};

/// A test resource (`AWS::SSM::Parameter` subset).
#[derive(Clone, Default)]
pub struct CfnThing {
    props: PropBag,
}

impl fmt::Debug for CfnThing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.props.debug_fmt(&SHAPE, "CfnThing", f)
    }
}

impl CfnThing {
    /// An empty resource; `Type` defaults to `String` to keep tests short.
    pub fn new() -> Self {
        CfnThing::default().kind("String").value("v")
    }
    /// `Name`
    pub fn name(mut self, v: impl Into<Str>) -> Self {
        self.props.set(0, Some(v.into().into()));
        self
    }
    /// `Type`
    pub fn kind(mut self, v: impl Into<Str>) -> Self {
        self.props.set(1, Some(v.into().into()));
        self
    }
    /// `Value`
    pub fn value(mut self, v: impl Into<Str>) -> Self {
        self.props.set(2, Some(v.into().into()));
        self
    }
    /// Removes `Value`.
    pub fn without_value(mut self) -> Self {
        self.props.set(2, None);
        self
    }
    /// `Tags`
    pub fn tags(mut self, v: impl IntoMap<Str>) -> Self {
        self.props.set(3, Some(v.into_map()));
        self
    }
}

impl sealed::Sealed for CfnThing {}
impl Resource for CfnThing {
    type Ref = CfnThingRef;
    const SPEC: &'static ResourceSpec = &SPEC;
    fn props(&self) -> &PropBag {
        &self.props
    }
    fn props_mut(&mut self) -> &mut PropBag {
        &mut self.props
    }
    fn from_props(props: PropBag) -> Self {
        CfnThing { props }
    }
}

/// Handle to a [`CfnThing`].
#[derive(Clone, Debug)]
pub struct CfnThingRef(ResourceRef);

impl From<ResourceRef> for CfnThingRef {
    fn from(r: ResourceRef) -> Self {
        CfnThingRef(r)
    }
}
impl std::ops::Deref for CfnThingRef {
    type Target = ResourceRef;
    fn deref(&self) -> &ResourceRef {
        &self.0
    }
}
impl CfnThingRef {
    /// `Fn::GetAtt Value`
    pub fn value_attr(&self) -> Expr {
        self.0.get_att("Value")
    }
}
