//! One resource schema to a [`ResourceType`].

use serde_json::{Map, Value};

use crate::model::{Attribute, Definition, Property, ResourceType, TagFormat, Tagging, Type};
use crate::normalize::{JsonUse, Normalizer, required_only, string_list};

/// A normalized resource type and where its schema fell back to [`Type::Json`].
#[derive(Debug)]
pub(crate) struct Normalized {
    pub resource: ResourceType,
    pub json_uses: Vec<JsonUse>,
}

/// Normalizes the resource schema `schema`, available in `regions`.
pub(crate) fn normalize_resource(
    schema: &Value,
    regions: Vec<String>,
) -> Result<Normalized, String> {
    let root = schema.as_object().ok_or("the schema is not an object")?;
    let type_name = root
        .get("typeName")
        .and_then(Value::as_str)
        .ok_or("the schema has no typeName")?
        .to_owned();
    let segments: Vec<&str> = type_name.split("::").collect();
    let [_, namespace, name] = segments.as_slice() else {
        return Err(format!("unexpected type name {type_name}"));
    };
    let empty = Map::new();
    let defs = root
        .get("definitions")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let props = root
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);

    let read_only = paths(root, "readOnlyProperties");
    let create_only = paths(root, "createOnlyProperties");
    let write_only = paths(root, "writeOnlyProperties");
    let required = string_list(root.get("required"));

    let mut normalizer = Normalizer::new(defs).with_properties(props);
    let mut properties = Vec::new();
    for (pname, pnode) in props {
        if read_only.iter().any(|p| p.len() == 1 && p[0] == *pname) {
            continue;
        }
        properties.push(
            normalizer
                .property("", pname, pnode, &required)
                .map_err(|e| format!("{type_name}: {e}"))?,
        );
    }
    let (mut definitions, json_uses) = normalizer.into_parts();

    for (list, flag) in [
        (&read_only, Only::Read),
        (&create_only, Only::Create),
        (&write_only, Only::Write),
    ] {
        for path in list {
            if let Some(Located { place, .. }) = locate(&properties, &definitions, path) {
                set_flag(&mut properties, &mut definitions, place, flag);
            }
        }
    }

    let attributes = read_only
        .iter()
        .filter(|p| !p.iter().any(|s| s == "*"))
        .map(|p| Attribute {
            name: p.join("."),
            ty: attribute_type(defs, props, p),
        })
        .collect();

    let tagging = tagging(root, &properties, &definitions);
    let one_of_required = ["oneOf", "anyOf"]
        .iter()
        .filter_map(|k| root.get(*k).and_then(required_only))
        .flatten()
        .collect();

    Ok(Normalized {
        resource: ResourceType {
            namespace: (*namespace).to_owned(),
            name: (*name).to_owned(),
            description: str_of(root, "description"),
            documentation_url: str_of(root, "documentationUrl")
                .or_else(|| str_of(root, "sourceUrl")),
            properties,
            definitions,
            attributes,
            create_only: joined(&create_only),
            write_only: joined(&write_only),
            primary_identifier: joined(&paths(root, "primaryIdentifier")),
            one_of_required,
            tagging,
            regions,
            type_name,
        },
        json_uses,
    })
}

fn str_of(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// A list of `/properties/A/B` pointers as segment lists (`["A", "B"]`).
fn paths(root: &Map<String, Value>, key: &str) -> Vec<Vec<String>> {
    string_list(root.get(key))
        .iter()
        .filter_map(|p| p.strip_prefix("/properties/"))
        .map(|p| p.split('/').map(str::to_owned).collect())
        .collect()
}

fn joined(paths: &[Vec<String>]) -> Vec<String> {
    paths.iter().map(|p| p.join(".")).collect()
}

#[derive(Debug, Clone, Copy)]
/// Which of the read-only, create-only, write-only flags.
enum Only {
    Read,
    Create,
    Write,
}

/// Where a property path ends.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// `properties[i]` of the resource.
    Top(usize),
    /// `definitions[d].properties[p]`.
    Nested(usize, usize),
    /// Inside a list or map (a path ending in `*`).
    Element,
}

#[derive(Debug)]
struct Located<'a> {
    place: Place,
    ty: &'a Type,
}

/// Follows a property path (`*` steps into list elements and map values)
/// through the normalized properties and definitions.
fn locate<'a>(
    properties: &'a [Property],
    definitions: &'a [Definition],
    path: &[String],
) -> Option<Located<'a>> {
    let (first, rest) = path.split_first()?;
    let top = properties.iter().position(|p| &p.name == first)?;
    let mut located = Located {
        place: Place::Top(top),
        ty: &properties[top].ty,
    };
    for segment in rest {
        located = if segment == "*" {
            match located.ty {
                Type::List { item, .. } => Located {
                    place: Place::Element,
                    ty: item,
                },
                Type::Map { value, .. } => Located {
                    place: Place::Element,
                    ty: value,
                },
                _ => return None,
            }
        } else {
            let Type::Object(name) = located.ty else {
                return None;
            };
            let d = definitions.iter().position(|d| &d.name == name)?;
            let p = definitions[d]
                .properties
                .iter()
                .position(|p| &p.name == segment)?;
            Located {
                place: Place::Nested(d, p),
                ty: &definitions[d].properties[p].ty,
            }
        };
    }
    Some(located)
}

fn set_flag(properties: &mut [Property], definitions: &mut [Definition], place: Place, flag: Only) {
    let property = match place {
        Place::Top(i) => &mut properties[i],
        Place::Nested(d, p) => &mut definitions[d].properties[p],
        Place::Element => return,
    };
    match flag {
        Only::Read => property.read_only = true,
        Only::Create => property.create_only = true,
        Only::Write => property.write_only = true,
    }
}

/// The type of a read-only property path, read from the raw schema; objects
/// (anywhere in it) become [`Type::Json`]. `None` if the path does not resolve.
fn attribute_type(
    defs: &Map<String, Value>,
    props: &Map<String, Value>,
    path: &[String],
) -> Option<Type> {
    let (first, rest) = path.split_first()?;
    let mut node = props.get(first)?;
    for segment in rest {
        node = deref(defs, node)?.get("properties")?.get(segment)?;
    }
    let mut scratch = Normalizer::new(defs).with_properties(props);
    let ty = scratch.resolve(node, "Attribute", "").ok()?;
    Some(without_objects(ty))
}

/// Follows `$ref`s (a bounded number of times).
fn deref<'a>(defs: &'a Map<String, Value>, mut node: &'a Value) -> Option<&'a Value> {
    for _ in 0..16 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => node = defs.get(r.strip_prefix("#/definitions/")?)?,
            None => return Some(node),
        }
    }
    None
}

fn without_objects(ty: Type) -> Type {
    match ty {
        Type::Object(_) => Type::Json,
        Type::List {
            item,
            min_items,
            max_items,
        } => Type::List {
            item: Box::new(without_objects(*item)),
            min_items,
            max_items,
        },
        Type::Map { value, key_pattern } => Type::Map {
            value: Box::new(without_objects(*value)),
            key_pattern,
        },
        other => other,
    }
}

/// `tagging.taggable` (else the deprecated top-level `taggable`, else whether
/// a `Tags` property exists); the tag property from `tagging.tagProperty`,
/// else `Tags`; the format from the tag property's type.
fn tagging(
    root: &Map<String, Value>,
    properties: &[Property],
    definitions: &[Definition],
) -> Tagging {
    let section = root.get("tagging");
    let has_tags = properties.iter().any(|p| p.name == "Tags");
    let taggable = section
        .and_then(|t| t.get("taggable"))
        .or_else(|| root.get("taggable"))
        .and_then(Value::as_bool)
        .unwrap_or(has_tags);
    let path: Option<Vec<String>> = match section
        .and_then(|t| t.get("tagProperty"))
        .and_then(Value::as_str)
    {
        Some(p) => p
            .strip_prefix("/properties/")
            .map(|p| p.split('/').map(str::to_owned).collect()),
        None if has_tags => Some(vec!["Tags".to_owned()]),
        None => None,
    };
    let path = path.filter(|_| taggable);
    let format = match path
        .as_deref()
        .and_then(|p| locate(properties, definitions, p))
    {
        Some(Located {
            ty: Type::List { .. },
            ..
        }) => TagFormat::List,
        Some(Located {
            ty: Type::Map { .. },
            ..
        }) => TagFormat::Map,
        _ => TagFormat::Other,
    };
    Tagging {
        taggable,
        tag_property: path.map(|p| p.join(".")),
        format,
    }
}
