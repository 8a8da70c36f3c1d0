//! The CloudFormation resource schemas formwork is generated from, and a
//! normalized model of them that a code generator can walk.
//!
//! # The data
//!
//! `schemas/` (next to this crate's `Cargo.toml`, see [`schemas_dir`]) holds
//! the official CloudFormation registry schemas of the namespaces formwork
//! covers, as shipped by the `cfn-lint` PyPI package at the version pinned in
//! `scripts/refresh-schemas.py`. They are data: refresh them with
//! `python3 scripts/refresh-schemas.py`, never edit them by hand.
//! `schemas/SOURCE.md` says where they come from, `schemas/regions.json` which
//! regions have which type, `schemas/lambda-runtime-lifecycle.json` when Lambda
//! runtimes are deprecated.
//!
//! # The model
//!
//! [`load`] reads them into a [`Registry`]: every [`ResourceType`] sorted by
//! name, each with
//!
//! - its settable [`Property`]s in schema order (read-only ones are
//!   [`ResourceType::attributes`] instead), each with a normalized [`Type`],
//!   `required`, `create_only` (replacement) and `write_only` flags;
//! - the [`Definition`]s (structs) those properties reach, in the order a
//!   depth-first walk of the properties first reaches them, so every
//!   [`Type::Object`] names a definition of the same resource type;
//! - its attributes (`Fn::GetAtt` names such as `Arn` or `Endpoint.Address`),
//!   create-only, write-only and primary-identifier paths, [`Tagging`] and
//!   regions.
//!
//! A [`Type`] is one of `String`, `Integer`, `Number` (with their rules:
//! lengths, pattern, enum values, format, bounds), `Boolean`, `List`, `Map`,
//! `Object` (a struct) or `Json` (free-form).
//!
//! # Normalization rules
//!
//! - `$ref` (`#/definitions/X`) is followed. A definition that is an object
//!   with `properties` becomes a struct named `X`; any other definition (a
//!   primitive alias like `{"type": "string", "enum": [...]}`, a list) is
//!   inlined as its type, with its rules. Keywords written next to a `$ref`
//!   (`minItems`, `maxLength`, ...) narrow the referenced type.
//! - An inline object with `properties` becomes a struct with a synthesized
//!   name: the enclosing struct's name (nothing for resource properties)
//!   followed by the property name (`LifecycleConfiguration` + `Rules`). If
//!   that name is taken (by a schema definition or an earlier synthesized
//!   name), `Item` (list elements) or `Value` (map values) is appended, then
//!   a number from 2. An object right at the body of a non-struct definition
//!   `X` (the elements of a list definition) may be named `X`.
//! - An object with `patternProperties` (one pattern) is a `Map` whose value
//!   type is that pattern's schema and whose `key_pattern` is the pattern; an
//!   object whose `additionalProperties` is a schema is a `Map` without
//!   pattern. An object with neither (nor `properties`) is `Json`.
//! - A `type` array: with `object` or `array` in it, `Json`; only `integer`,
//!   `Integer`; only numeric kinds, `Number`; other primitives mixed,
//!   `String` (CloudFormation accepts strings for every primitive).
//! - A node without `type` whose `format` is `json` (cfn-lint's mark on
//!   policy documents, which take an object or a string) is `Json`.
//! - A node without `type` takes the kind its keywords imply (`properties` →
//!   object, `items` → list, `pattern`/`maxLength`/string `enum` → string),
//!   else it is `Json`.
//! - `oneOf`/`anyOf` blocks whose branches only carry `required` lists become
//!   [`Definition::one_of_required`] (at the resource level,
//!   [`ResourceType::one_of_required`]). Any other `oneOf`/`anyOf`: each
//!   branch is read together with its parent's keywords (a branch `{"format":
//!   ...}` under `"type": "string"` is a string). If every branch is an object
//!   with `properties`, they merge into one struct holding all their
//!   properties, each branch's `required` becoming one alternative in
//!   `one_of_required`. Otherwise, if all branches resolve to the same kind,
//!   the result is that kind with only the rules all branches agree on (for
//!   `Object`, the same struct), except string `format`s, which become
//!   alternatives joined by `|` (any one must match); if not, `Json`.
//! - `required` marks properties required; `additionalProperties: false` is
//!   recorded in [`Definition::additional_properties`].
//! - `const` is a one-value enum. Enum values keep schema order; patterns are
//!   kept as the raw string. Integer and number enums are kept too
//!   ([`NumberRules::enum_values`]).
//! - `insertionOrder`, `uniqueItems`, `arrayType`, `relationshipRef`,
//!   `default`, `examples`, `multipleOf`, `minProperties`, `maxProperties`,
//!   `prefixItems`, `uniqueKeys`, `allOf`/`if`/`then`, `dependencies` and
//!   cfn-lint's `requiredXor`/`requiredOr`/`dependentRequired`/
//!   `dependentExcluded` are ignored.
//! - Recursion is safe: a struct refers to itself by name; a non-struct
//!   definition that refers to itself becomes `Json` at the inner reference.
//! - Property paths (`/properties/A/B`, `*` for list elements) become `A.B`
//!   (`A.*.B`). Nested read-only, create-only and write-only paths also set
//!   the flags of the struct properties they reach (structs are shared within
//!   a resource type, so a flag applies wherever the struct is used).
//!   Read-only resource properties are left out of
//!   [`ResourceType::properties`]; inside structs they stay, flagged.
//! - Attributes are the read-only paths that do not go through a list (`*`),
//!   typed from the schema, with object values shown as `Json`.
//! - Tagging: `tagging.taggable` (else whether a `Tags` property exists), the
//!   tag property from `tagging.tagProperty` (else `Tags`), and its format
//!   from the tag property's type: `List`, `Map`, or `Other`.
//!
//! ```no_run
//! let registry = formwork_spec::load(&formwork_spec::schemas_dir())?;
//! let bucket = registry.get("AWS::S3::Bucket").expect("vendored");
//! for property in &bucket.properties {
//!     println!("{}: {}", property.name, property.ty.kind());
//! }
//! # Ok::<(), formwork_spec::SpecError>(())
//! ```

#![deny(missing_docs)]

mod error;
mod model;
mod normalize;
mod registry;
mod resource;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

pub use error::SpecError;
pub use model::{
    Attribute, Definition, NumberRules, Property, Registry, ResourceType, RuntimeLifecycle,
    StringRules, TagFormat, Tagging, Type,
};

/// The directory of the vendored schemas in this crate's source tree.
pub fn schemas_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas"))
}

/// Reads the vendored schemas in `dir` (see [`schemas_dir`]) into a [`Registry`].
///
/// Deterministic: the same files always give the same registry.
pub fn load(dir: &Path) -> Result<Registry, SpecError> {
    registry::load_all(dir).map(|loaded| loaded.registry)
}

/// The hand-maintained facts beside the vendored schemas (`data/`): the
/// availability zones per region.
pub fn data_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data"))
}

/// How many availability zones `Fn::GetAZs` lists in each region, sorted by
/// region, from `availability-zones.json` in `dir` (see [`data_dir`]).
pub fn availability_zones(dir: &Path) -> Result<Vec<(String, u8)>, SpecError> {
    let path = dir.join("availability-zones.json");
    let text = std::fs::read_to_string(&path).map_err(|source| SpecError::Io {
        path: path.clone(),
        source,
    })?;
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|source| SpecError::Json {
        path: path.clone(),
        source,
    })?;
    let zones = doc["zones"]
        .as_object()
        .ok_or_else(|| SpecError::invalid(&path, "`zones` is not an object"))?;
    let mut out = Vec::with_capacity(zones.len());
    for (region, n) in zones {
        let n = n
            .as_u64()
            .and_then(|n| u8::try_from(n).ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| SpecError::invalid(&path, format!("`{region}`: not a zone count")))?;
        out.push((region.clone(), n));
    }
    out.sort();
    Ok(out)
}
