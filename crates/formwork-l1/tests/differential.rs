//! The differential test: formwork's schema checks against cfn-lint's, on
//! generated values for every constrained property (strings with allowed
//! values, patterns, lengths or formats; numbers with bounds or allowed
//! values) of every covered resource type, down to nested property types.
//!
//! Each probe is one resource with one property set. Formwork's verdict is
//! whether it reports an error at that property; cfn-lint's, whether it
//! reports an error at the same path. The two must agree, except for the
//! disagreements listed in [`explained`], each with its reason: there
//! formwork follows the schema and the service. All probes go through
//! cfn-lint in one invocation (many resources per template), so the test
//! stays within a CI budget.
#![cfg(feature = "full")]

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use formwork_core::Value;
use formwork_core::spec::{NumberRules, ObjectShape, ResourceSpec, Shape, StringRules};
use formwork_core::synth::validate::check_properties;
use serde_json::{Value as Json, json};

fn all_specs() -> Vec<&'static ResourceSpec> {
    use formwork_l1::*;
    [
        apigatewayv2::SPECS,
        applicationautoscaling::SPECS,
        certificatemanager::SPECS,
        cloudfront::SPECS,
        cloudwatch::SPECS,
        dynamodb::SPECS,
        ec2::SPECS,
        ecr::SPECS,
        ecs::SPECS,
        efs::SPECS,
        elasticache::SPECS,
        elasticloadbalancingv2::SPECS,
        events::SPECS,
        iam::SPECS,
        kms::SPECS,
        lambda::SPECS,
        logs::SPECS,
        route53::SPECS,
        s3::SPECS,
        secretsmanager::SPECS,
        sns::SPECS,
        sqs::SPECS,
        ssm::SPECS,
        stepfunctions::SPECS,
    ]
    .concat()
}

/// One probe: a resource type, a property path (`A.B[0].C`), a value.
struct Probe {
    spec: &'static ResourceSpec,
    path: Vec<Seg>,
    value: Value,
}

#[derive(Clone)]
enum Seg {
    Key(&'static str),
    Index,
}

fn show_path(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index => s.push_str("[0]"),
        }
    }
    s
}

/// The property value that holds `leaf` at `path`.
fn nest(path: &[Seg], leaf: Value) -> Value {
    match path.split_first() {
        None => leaf,
        Some((Seg::Key(k), rest)) => Value::object([(k.to_string(), nest(rest, leaf))]),
        Some((Seg::Index, rest)) => Value::List(vec![nest(rest, leaf)]),
    }
}

fn string_values(r: &StringRules) -> Vec<Value> {
    let mut v: Vec<String> = Vec::new();
    if let Some(first) = r.values.first() {
        v.push((*first).to_owned());
        v.push(first.to_lowercase());
        v.push(format!("{first}X"));
        return v.into_iter().map(Value::from).collect();
    }
    for s in [
        "a",
        "Z9",
        "my-name_1",
        "has space",
        "10.0.0.0/16",
        "10.0.0.1/16",
    ] {
        v.push(s.to_owned());
    }
    if let Some(min) = r.min_length.filter(|m| *m > 0 && *m < 300) {
        v.push("a".repeat(min as usize - 1));
    }
    if let Some(max) = r.max_length.filter(|m| *m < 300) {
        v.push("a".repeat(max as usize));
        v.push("a".repeat(max as usize + 1));
    }
    v.into_iter().map(Value::from).collect()
}

fn number_values(r: &NumberRules, integer: bool) -> Vec<Value> {
    let mut v: Vec<f64> = Vec::new();
    for x in [r.minimum, r.maximum].into_iter().flatten() {
        v.extend([x - 1.0, x, x + 1.0]);
    }
    for x in [r.exclusive_minimum, r.exclusive_maximum]
        .into_iter()
        .flatten()
    {
        v.extend([x, x + 1.0, x - 1.0]);
    }
    for x in r.values.iter().take(2) {
        v.extend([*x, *x + 1.0]);
    }
    v.into_iter()
        .filter(|x| x.abs() < 9.0e15)
        .map(|x| {
            if integer || x.fract() == 0.0 {
                Value::from(x as i64)
            } else {
                Value::from(x)
            }
        })
        .collect()
}

fn constrained_string(r: &StringRules) -> bool {
    !r.values.is_empty()
        || r.pattern.is_some()
        || r.min_length.is_some()
        || r.max_length.is_some()
        || r.format.is_some()
}

fn constrained_number(r: &NumberRules) -> bool {
    r.minimum.is_some()
        || r.maximum.is_some()
        || r.exclusive_minimum.is_some()
        || r.exclusive_maximum.is_some()
        || !r.values.is_empty()
}

fn walk(
    spec: &'static ResourceSpec,
    obj: &'static ObjectShape,
    path: Vec<Seg>,
    depth: u32,
    out: &mut Vec<Probe>,
) {
    for p in obj.properties {
        let mut at = path.clone();
        at.push(Seg::Key(p.name));
        leaf(spec, p.shape, at, depth, out);
    }
}

fn leaf(spec: &'static ResourceSpec, shape: Shape, at: Vec<Seg>, depth: u32, out: &mut Vec<Probe>) {
    let values = match shape {
        Shape::String(r) if constrained_string(r) => string_values(r),
        Shape::Integer(r) if constrained_number(r) => number_values(r, true),
        Shape::Number(r) if constrained_number(r) => number_values(r, false),
        Shape::List(l) if depth < 3 => {
            let mut a = at;
            a.push(Seg::Index);
            return leaf(spec, l.item, a, depth + 1, out);
        }
        Shape::Object(o) if depth < 3 => return walk(spec, o, at, depth + 1, out),
        _ => return,
    };
    for value in values {
        out.push(Probe {
            spec,
            path: at.clone(),
            value,
        });
    }
}

/// Disagreements formwork keeps on purpose, each with its reason: (type,
/// property path, value, why). Empty while the two agree everywhere.
/// Disagreements where formwork follows the schema and the service:
/// (type, property path, value or `*` for any probe value, why).
fn explained() -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    vec![
        (
            "AWS::DynamoDB::GlobalTable",
            "KeySchema[0].AttributeName",
            "*",
            "the schema allows 1 to 255 characters; cfn-lint reads this list's items through `prefixItems` and reports no length",
        ),
        (
            "AWS::EC2::FlowLog",
            "LogGroupName",
            "*",
            "the schema's format AWS::Logs::LogGroup.Name: CloudWatch Logs refuses a name with a space; cfn-lint does not check that format here",
        ),
        (
            "AWS::Logs::MetricFilter",
            "LogGroupName",
            "*",
            "the same format; the schema's pattern has no end anchor, so cfn-lint finds a match in `has space`",
        ),
        (
            "AWS::Lambda::ResourcePolicy",
            "ResourceArn",
            "*",
            "the schema wants at least 12 characters matching a Lambda function ARN; cfn-lint reports nothing for this property",
        ),
    ]
}

fn json_of(v: &Value) -> Json {
    match v {
        Value::String(s) => json!(s),
        Value::Int(i) => json!(i),
        Value::Float(f) => json!(f),
        Value::Bool(b) => json!(b),
        Value::List(l) => Json::Array(l.iter().map(json_of).collect()),
        Value::Map(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), json_of(v))).collect()),
        _ => Json::Null,
    }
}

#[test]
fn formwork_and_cfn_lint_agree_on_every_constrained_property() {
    let Some(cfn_lint) = formwork_test_support::cfn_lint_command() else {
        // Skips (or fails under CI) with the shared message.
        formwork_test_support::lint_files(&[std::path::PathBuf::new()]);
        return;
    };
    let mut probes = Vec::new();
    for spec in all_specs() {
        walk(spec, spec.object, Vec::new(), 0, &mut probes);
    }
    assert!(probes.len() > 1000, "only {} probes", probes.len());

    // Formwork's verdicts.
    let mut ours = Vec::with_capacity(probes.len());
    for (i, p) in probes.iter().enumerate() {
        let top = nest(&p.path, p.value.clone());
        let d = check_properties(&format!("S/R{i}"), p.spec, &top);
        let at = show_path(&p.path);
        ours.push(
            d.iter()
                .any(|d| d.is_error() && d.property.as_deref() == Some(at.as_str())),
        );
    }

    // cfn-lint's, in templates of 500 resources, one invocation.
    let dir = formwork_test_support::scratch_dir("differential");
    let mut files = Vec::new();
    for (n, chunk) in probes.chunks(500).enumerate() {
        let mut resources = serde_json::Map::new();
        for (j, p) in chunk.iter().enumerate() {
            let i = n * 500 + j;
            let top = json_of(&nest(&p.path, p.value.clone()));
            resources.insert(
                format!("R{i}"),
                json!({"Type": p.spec.type_name, "Properties": top}),
            );
        }
        let t = json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources});
        let f = dir.join(format!("probes{n}.json"));
        std::fs::write(&f, serde_json::to_string(&t).expect("json")).expect("write probes");
        files.push(f);
    }
    let out = Command::new(&cfn_lint)
        .args(["--format", "json", "--regions", "us-east-1", "--"])
        .args(&files)
        .output()
        .expect("run cfn-lint");
    let found: Json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "cfn-lint gave no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut theirs: BTreeSet<(String, String)> = BTreeSet::new();
    for m in found.as_array().into_iter().flatten() {
        if m["Level"] != "Error" {
            continue;
        }
        let path = m["Location"]["Path"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if path.len() < 4 || path[0] != "Resources" || path[2] != "Properties" {
            continue;
        }
        let id = path[1].as_str().unwrap_or("").to_owned();
        let mut at = String::new();
        for seg in &path[3..] {
            match seg {
                Json::String(k) => {
                    if !at.is_empty() {
                        at.push('.');
                    }
                    at.push_str(k);
                }
                Json::Number(n) => at.push_str(&format!("[{n}]")),
                _ => {}
            }
        }
        theirs.insert((id, at));
    }

    let explained = explained();
    let mut disagreements: BTreeMap<String, usize> = BTreeMap::new();
    let mut examples = Vec::new();
    for (i, p) in probes.iter().enumerate() {
        let at = show_path(&p.path);
        let lint = theirs.contains(&(format!("R{i}"), at.clone()));
        if lint == ours[i] {
            continue;
        }
        let shown = match &p.value {
            Value::String(s) => s.clone(),
            other => format!("{}", json_of(other)),
        };
        if explained.iter().any(|(t, path, v, _)| {
            *t == p.spec.type_name && *path == at && (*v == shown || *v == "*")
        }) {
            continue;
        }
        *disagreements
            .entry(p.spec.type_name.to_owned())
            .or_default() += 1;
        if examples.len() < 60 {
            examples.push(format!(
                "{} {at} = {shown:?}: formwork {}, cfn-lint {}",
                p.spec.type_name,
                if ours[i] { "refuses" } else { "accepts" },
                if lint { "refuses" } else { "accepts" }
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} probes, {} disagreements ({:?}):\n{}",
        probes.len(),
        disagreements.values().sum::<usize>(),
        disagreements,
        examples.join("\n")
    );
}
