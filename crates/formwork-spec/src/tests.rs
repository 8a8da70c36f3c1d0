//! Tests against the vendored registry and small synthetic schemas.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::model::{Definition, Registry, ResourceType, TagFormat, Type};
use crate::normalize::JsonReason;
use crate::registry::{Loaded, load_all};
use crate::resource::normalize_resource;
use crate::{load, schemas_dir};

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| load_all(&schemas_dir()).expect("the vendored schemas load"))
}

fn registry() -> &'static Registry {
    &loaded().registry
}

fn resource(type_name: &str) -> &'static ResourceType {
    registry()
        .get(type_name)
        .unwrap_or_else(|| panic!("{type_name} is vendored"))
}

fn synthetic(schema: Value) -> ResourceType {
    normalize_resource(&schema, vec!["us-east-1".into()])
        .expect("the synthetic schema normalizes")
        .resource
}

/// Every type nested in `ty`, including itself.
fn walk<'a>(ty: &'a Type, out: &mut Vec<&'a Type>) {
    out.push(ty);
    match ty {
        Type::List { item, .. } => walk(item, out),
        Type::Map { value, .. } => walk(value, out),
        _ => {}
    }
}

fn all_types(rt: &ResourceType) -> Vec<&Type> {
    let mut out = Vec::new();
    let props = rt
        .properties
        .iter()
        .chain(rt.definitions.iter().flat_map(|d| &d.properties));
    for p in props {
        walk(&p.ty, &mut out);
    }
    out
}

fn list_item(ty: &Type) -> &Type {
    match ty {
        Type::List { item, .. } => item,
        other => panic!("not a list: {other:?}"),
    }
}

fn object_name(ty: &Type) -> &str {
    match ty {
        Type::Object(name) => name,
        other => panic!("not an object: {other:?}"),
    }
}

fn definition<'a>(rt: &'a ResourceType, name: &str) -> &'a Definition {
    rt.definition(name)
        .unwrap_or_else(|| panic!("{} has definition {name}", rt.type_name))
}

#[test]
fn source_and_regions() {
    let r = registry();
    assert_eq!(r.source_version, "1.51.0");
    assert!(r.regions.iter().any(|x| x == "us-east-1"));
    assert!(r.regions.windows(2).all(|w| w[0] < w[1]), "regions sorted");
    assert!(
        r.types.windows(2).all(|w| w[0].type_name < w[1].type_name),
        "types sorted"
    );
    let bucket = resource("AWS::S3::Bucket");
    assert!(bucket.regions.iter().any(|x| x == "eu-west-1"));
    // Only in other regions, still vendored.
    let policy = resource("AWS::Lambda::ResourcePolicy");
    assert!(!policy.regions.iter().any(|x| x == "us-east-1"));
}

#[test]
fn type_count() {
    let n = registry().types.len();
    // Every `AWS::*` resource type of cfn-lint 1.51.0.
    assert_eq!(n, 1598);
    let namespaces: HashSet<&str> = registry()
        .types
        .iter()
        .map(|t| t.namespace.as_str())
        .collect();
    assert_eq!(namespaces.len(), 282);
    assert_eq!(registry().namespace("DynamoDB").count(), 2);
}

#[test]
fn s3_bucket() {
    let bucket = resource("AWS::S3::Bucket");
    assert_eq!(bucket.namespace, "S3");
    assert_eq!(bucket.name, "Bucket");
    let name = bucket.property("BucketName").expect("BucketName");
    let Type::String(rules) = &name.ty else {
        panic!("BucketName is {:?}", name.ty)
    };
    assert_eq!(rules.max_length, Some(63));
    assert_eq!(
        rules.pattern.as_deref(),
        Some("^([a-z0-9][a-z0-9.-]*[a-z0-9])?$")
    );
    assert!(name.create_only);
    assert!(!name.required);
    for attribute in ["Arn", "DomainName", "RegionalDomainName"] {
        let a = bucket
            .attribute(attribute)
            .unwrap_or_else(|| panic!("{attribute}"));
        assert!(
            matches!(a.ty, Some(Type::String(_))),
            "{attribute}: {:?}",
            a.ty
        );
    }
    assert!(
        bucket.property("Arn").is_none(),
        "read-only properties are attributes"
    );
    assert_eq!(bucket.primary_identifier, ["BucketName"]);
    assert!(bucket.create_only.iter().any(|p| p == "BucketName"));
    assert!(
        bucket
            .write_only
            .iter()
            .any(|p| p == "LifecycleConfiguration.Rules.*.Transition")
    );
    assert!(bucket.tagging.taggable);
    assert_eq!(bucket.tagging.tag_property.as_deref(), Some("Tags"));
    assert_eq!(bucket.tagging.format, TagFormat::List);
    assert_eq!(bucket.documentation_url, None, "cfn-lint drops it for S3");
    let lb = resource("AWS::ElasticLoadBalancingV2::LoadBalancer");
    assert!(
        lb.documentation_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://docs.aws.amazon.com/"))
    );
    // Nested write-only paths flag the struct property they reach.
    let lifecycle = bucket
        .property("LifecycleConfiguration")
        .expect("LifecycleConfiguration");
    let config = definition(bucket, object_name(&lifecycle.ty));
    let rules = config.property("Rules").expect("Rules");
    let rule = definition(bucket, object_name(list_item(&rules.ty)));
    assert!(rule.property("Transition").expect("Transition").write_only);
    assert!(!rule.property("Status").expect("Status").write_only);
    assert!(rule.property("Status").expect("Status").required);
    assert!(!rule.additional_properties);
}

#[test]
fn s3_bucket_merged_one_of() {
    // TargetObjectKeyFormat is a oneOf of two objects: one struct with both
    // properties and each branch's `required` as an alternative.
    let bucket = resource("AWS::S3::Bucket");
    let format = bucket
        .definitions
        .iter()
        .find(|d| d.property("PartitionedPrefix").is_some() && d.property("SimplePrefix").is_some())
        .expect("the merged TargetObjectKeyFormat struct");
    assert_eq!(
        format.one_of_required,
        vec![
            vec!["SimplePrefix".to_owned()],
            vec!["PartitionedPrefix".to_owned()]
        ]
    );
}

#[test]
fn lambda_url_invoke_mode() {
    let url = resource("AWS::Lambda::Url");
    let mode = url.property("InvokeMode").expect("InvokeMode");
    let Type::String(rules) = &mode.ty else {
        panic!("InvokeMode is {:?}", mode.ty)
    };
    assert_eq!(rules.enum_values, ["BUFFERED", "RESPONSE_STREAM"]);
}

#[test]
fn lambda_function() {
    let function = resource("AWS::Lambda::Function");
    let required: Vec<&str> = function
        .properties
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.as_str())
        .collect();
    assert!(required.contains(&"Code"), "{required:?}");
    assert!(required.contains(&"Role"), "{required:?}");
    let code = definition(
        function,
        object_name(&function.property("Code").expect("Code").ty),
    );
    assert!(code.property("ZipFile").expect("ZipFile").write_only);
    // Environment.Variables is a map (its values are a type array with
    // `object`, hence Json).
    let env = definition(
        function,
        object_name(&function.property("Environment").expect("Environment").ty),
    );
    let variables = env.property("Variables").expect("Variables");
    assert!(
        matches!(
            &variables.ty,
            Type::Map {
                key_pattern: Some(_),
                ..
            }
        ),
        "{:?}",
        variables.ty
    );
    assert!(function.attribute("Arn").is_some());
}

#[test]
fn ecs_container_definitions() {
    let task = resource("AWS::ECS::TaskDefinition");
    let containers = task
        .property("ContainerDefinitions")
        .expect("ContainerDefinitions");
    let name = object_name(list_item(&containers.ty));
    let container = definition(task, name);
    assert!(container.property("Image").is_some_and(|p| p.required));
}

#[test]
fn maps_exist() {
    let parameter = resource("AWS::SSM::Parameter");
    let tags = parameter.property("Tags").expect("Tags");
    assert!(
        matches!(&tags.ty, Type::Map { value, .. } if matches!(**value, Type::String(_))),
        "{:?}",
        tags.ty
    );
    assert_eq!(parameter.tagging.format, TagFormat::Map);
    let maps = registry()
        .types
        .iter()
        .flat_map(all_types)
        .filter(|t| matches!(t, Type::Map { .. }))
        .count();
    assert!(maps > 10, "{maps} maps");
}

#[test]
fn integer_enums_and_attribute_types() {
    let log_group = resource("AWS::Logs::LogGroup");
    let retention = log_group
        .property("RetentionInDays")
        .expect("RetentionInDays");
    let Type::Integer(rules) = &retention.ty else {
        panic!("RetentionInDays is {:?}", retention.ty)
    };
    assert!(rules.enum_values.contains(&365.0));
    let cache = resource("AWS::ElastiCache::ServerlessCache");
    let address = cache
        .attribute("Endpoint.Address")
        .expect("Endpoint.Address");
    assert!(
        matches!(address.ty, Some(Type::String(_))),
        "{:?}",
        address.ty
    );
}

#[test]
fn every_object_refers_to_a_definition_of_its_type() {
    for rt in &registry().types {
        let names: HashSet<&str> = rt.definitions.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names.len(),
            rt.definitions.len(),
            "{}: duplicate definition names",
            rt.type_name
        );
        let mut used = HashSet::new();
        for ty in all_types(rt) {
            if let Type::Object(name) = ty {
                assert!(
                    names.contains(name.as_str()),
                    "{}: Object({name}) has no definition",
                    rt.type_name
                );
                used.insert(name.as_str());
            }
        }
        assert_eq!(used, names, "{}: every definition is reached", rt.type_name);
        for a in &rt.attributes {
            if let Some(ty) = &a.ty {
                let mut inner = Vec::new();
                walk(ty, &mut inner);
                assert!(
                    inner.iter().all(|t| !matches!(t, Type::Object(_))),
                    "{}.{}",
                    rt.type_name,
                    a.name
                );
            }
        }
    }
}

#[test]
fn loading_is_deterministic() {
    let again = load(&schemas_dir()).expect("the vendored schemas load");
    assert_eq!(&again, registry());
}

#[test]
fn lambda_runtimes() {
    let runtimes = &registry().lambda_runtimes;
    assert!(runtimes.windows(2).all(|w| w[0].runtime < w[1].runtime));
    let go = registry().lambda_runtime("go1.x").expect("go1.x");
    assert_eq!(go.deprecated.as_deref(), Some("2024-01-08"));
    assert!(go.successor.is_some());
}

#[test]
fn missing_dir_names_the_file() {
    let err = load(&schemas_dir().join("does-not-exist")).expect_err("no such dir");
    assert!(err.to_string().contains("regions.json"), "{err}");
}

/// Prints where and why schemas fell back to `Json`
/// (`cargo test -p formwork-spec json_report -- --nocapture`).
#[test]
fn json_report() {
    let mut by_reason: BTreeMap<JsonReason, Vec<String>> = BTreeMap::new();
    for (type_name, u) in &loaded().json_uses {
        by_reason
            .entry(u.reason)
            .or_default()
            .push(format!("{type_name} {}", u.at));
    }
    for (reason, places) in &by_reason {
        println!("{reason:?}: {}", places.len());
        for place in places.iter().take(100) {
            println!("    {place}");
        }
    }
    let total: usize = by_reason.values().map(Vec::len).sum();
    assert!(total < 400, "{total} Json fallbacks");
}

#[test]
fn synthetic_rules() {
    let rt = synthetic(json!({
        "typeName": "AWS::Test::Thing",
        "definitions": {
            "Node": {
                "type": "object",
                "properties": {
                    "Children": {"type": "array", "items": {"$ref": "#/definitions/Node"}},
                    "Name": {"$ref": "#/definitions/Name"}
                },
                "required": ["Name"],
                "additionalProperties": false
            },
            "Name": {"type": "string", "enum": ["b", "a"]},
            "Loop": {"type": "array", "items": {"$ref": "#/definitions/Loop"}}
        },
        "properties": {
            "Root": {"$ref": "#/definitions/Node"},
            "Mixed": {"type": ["integer", "string"]},
            "Numbers": {"type": ["integer", "number"], "minimum": 1},
            "Loose": {"type": ["object", "string"]},
            "Free": {"type": "object"},
            "Inline": {"type": "object", "properties": {"Inner": {"type": "object", "properties": {"X": {"type": "boolean"}}}}},
            "Same": {"type": "string", "anyOf": [{"format": "a", "maxLength": 3}, {"format": "b", "maxLength": 3}]},
            "Unlike": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "Loop": {"$ref": "#/definitions/Loop"},
            "Either": {
                "type": "object",
                "properties": {"A": {"type": "string"}, "B": {"type": "string"}},
                "oneOf": [{"required": ["A"]}, {"required": ["B"]}]
            },
            "Id": {"type": "string"}
        },
        "readOnlyProperties": ["/properties/Id"],
        "primaryIdentifier": ["/properties/Id"]
    }));
    let ty = |name: &str| &rt.property(name).expect(name).ty;
    assert_eq!(ty("Root"), &Type::Object("Node".into()));
    let node = definition(&rt, "Node");
    assert_eq!(
        list_item(&node.property("Children").expect("Children").ty),
        &Type::Object("Node".into())
    );
    let Type::String(name) = &node.property("Name").expect("Name").ty else {
        panic!("Name is inlined as a string")
    };
    assert_eq!(name.enum_values, ["b", "a"]);
    assert!(node.property("Name").expect("Name").required);
    assert!(!node.additional_properties);
    assert!(matches!(ty("Mixed"), Type::String(_)));
    assert!(matches!(ty("Numbers"), Type::Number(r) if r.minimum == Some(1.0)));
    assert_eq!(ty("Loose"), &Type::Json);
    assert_eq!(ty("Free"), &Type::Json);
    assert_eq!(ty("Inline"), &Type::Object("Inline".into()));
    assert_eq!(
        definition(&rt, "Inline")
            .property("Inner")
            .expect("Inner")
            .ty,
        Type::Object("InlineInner".into())
    );
    let Type::String(same) = ty("Same") else {
        panic!("Same is a string")
    };
    // Branches that differ in format accept either: the alternatives.
    assert_eq!(
        (same.max_length, same.format.as_deref()),
        (Some(3), Some("a|b"))
    );
    assert_eq!(ty("Unlike"), &Type::Json);
    assert_eq!(list_item(ty("Loop")), &Type::Json);
    assert_eq!(
        definition(&rt, "Either").one_of_required,
        vec![vec!["A".to_owned()], vec!["B".to_owned()]]
    );
    assert!(rt.property("Id").is_none());
    assert_eq!(
        rt.attribute("Id").expect("Id").ty,
        Some(Type::String(Default::default()))
    );
    let order: Vec<&str> = rt.definitions.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(order, ["Node", "Inline", "InlineInner", "Either"]);
    assert!(!rt.tagging.taggable);
}

#[test]
fn availability_zones_cover_every_region() {
    let reg = crate::load(&crate::schemas_dir()).expect("schemas load");
    let zones = crate::availability_zones(&crate::data_dir()).expect("zones load");
    let names: Vec<&str> = zones.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(names, reg.regions, "one zone count per known region");
    let count = |r: &str| zones.iter().find(|(n, _)| n == r).map(|(_, z)| *z);
    assert_eq!(count("ap-northeast-1"), Some(3));
    assert_eq!(count("us-east-1"), Some(6));
    assert_eq!(count("us-west-1"), Some(2));
}
