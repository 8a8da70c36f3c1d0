//! The IAM and secrets rules read policies and environments as synth holds
//! them (`ResourceView::held`), without rendering their references. Their
//! findings at synth must be the findings over the template synth writes
//! (where every value is rendered JSON): random policies and environments,
//! with literals, references, `Fn::Sub`s with and without variables and
//! unchecked wrappers, compared both ways.

use std::collections::HashMap;

use formwork::ecs::CfnTaskDefinition;
use formwork::iam::CfnRole;
use formwork::lambda::CfnFunction;
use formwork::{Expr, Fn, Value};
use formwork_core::App;
use formwork_core::rules::TemplateView;
use formwork_kernels::test_rng::Rng;
use formwork_rules::{SecurityRules, codes};

const CODES: &[&str] = &[
    codes::IAM_STAR_ACTION,
    codes::IAM_STAR_RESOURCE,
    codes::LITERAL_SECRET,
];

/// A string as a template may hold it: literal, a `Fn::Sub` without
/// variables (written as plain text), one with a variable, a reference.
fn text(g: &mut Rng, pool: &[&str], target: &Expr) -> Value {
    let s = *g.pick(pool);
    let v = match g.below(6) {
        0..=2 => Value::from(s),
        3 => Value::from(Fn::sub(s)),
        4 => Value::from(Fn::sub(&format!("{s}${{AWS::Region}}"))),
        _ => Value::from(target.clone()),
    };
    wrap(g, v)
}

/// Sometimes wrapped as unchecked.
fn wrap(g: &mut Rng, v: Value) -> Value {
    if g.chance(15) {
        Value::Unchecked(Box::new(v))
    } else {
        v
    }
}

/// One item or a list of them.
fn one_or_list(g: &mut Rng, mut item: impl FnMut(&mut Rng) -> Value) -> Value {
    let v = if g.chance(30) {
        item(g)
    } else {
        Value::List((0..g.below(4)).map(|_| item(g)).collect())
    };
    wrap(g, v)
}

fn statement(g: &mut Rng, target: &Expr) -> Value {
    const EFFECTS: &[&str] = &["Allow", "Deny"];
    const ACTIONS: &[&str] = &[
        "*",
        "s3:GetObject",
        "s3:*",
        "logs:PutLogEvents",
        "kms:Decrypt",
        "SQS:*",
    ];
    const RESOURCES: &[&str] = &["*", "arn:aws:s3:::b/*", "arn:aws:sqs:*:1:q"];
    let mut m = Vec::new();
    if g.chance(90) {
        m.push(("Effect", text(g, EFFECTS, target)));
    }
    m.push(("Action", one_or_list(g, |g| text(g, ACTIONS, target))));
    if g.chance(90) {
        m.push(("Resource", one_or_list(g, |g| text(g, RESOURCES, target))));
    }
    if g.chance(5) {
        return Value::from(Fn::select(0, Value::List(vec![Value::object(m)])));
    }
    wrap(g, Value::object(m))
}

fn policies(g: &mut Rng, target: &Expr) -> Value {
    Value::List(
        (0..g.below(3))
            .map(|_| {
                let doc = Value::object([("Statement", one_or_list(g, |g| statement(g, target)))]);
                let policy =
                    Value::object([("PolicyName", Value::from("p")), ("PolicyDocument", doc)]);
                wrap(g, policy)
            })
            .collect(),
    )
}

fn environment_value(g: &mut Rng, target: &Expr) -> Value {
    const VALUES: &[&str] = &[
        "hunter2hunter2",
        "debug",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "",
        "300",
    ];
    text(g, VALUES, target)
}

const NAMES: &[&str] = &["DB_PASSWORD", "LOG_LEVEL", "API_KEY", "TOKEN_TTL"];

fn variables(g: &mut Rng, target: &Expr) -> Value {
    let vars: Vec<(String, Value)> = (0..g.below(4))
        .map(|k| {
            (
                format!("{}{k}", g.pick(NAMES)),
                environment_value(g, target),
            )
        })
        .collect();
    wrap(g, Value::object(vars))
}

/// Lists, as the schema wants them (items may still be unchecked).
fn containers(g: &mut Rng, target: &Expr) -> Value {
    Value::List(
        (0..g.below(3))
            .map(|_| {
                let env: Vec<Value> = (0..g.below(4))
                    .map(|_| {
                        let entry = Value::object([
                            ("Name", text(g, NAMES, target)),
                            ("Value", environment_value(g, target)),
                        ]);
                        wrap(g, entry)
                    })
                    .collect();
                Value::object([
                    ("Name", Value::from("app")),
                    (
                        "Image",
                        Value::from("public.ecr.aws/docker/library/nginx:1.27"),
                    ),
                    ("Environment", Value::List(env)),
                ])
            })
            .collect(),
    )
}

/// (code, path, property) of the findings of the compared rules.
fn keyed(ds: &[formwork::Diagnostic]) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = ds
        .iter()
        .filter(|d| CODES.contains(&d.code))
        .map(|d| {
            (
                d.code.to_owned(),
                d.path.clone(),
                d.property.clone().unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The app of one case: a role, a function and a task definition whose
/// policies and environments are random (unchecked, so that schema
/// validation lets every shape through to the rules).
fn app(seed: u64, rules: bool) -> App {
    let mut g = Rng(seed);
    // The engine's app: the facade's installs the rule pack.
    let app = App::new();
    let stack = app.stack("S").expect("a stack");
    let other = stack.add("Other", CfnRole::new()).expect("a role");
    other.add_property_override(
        "AssumeRolePolicyDocument",
        Value::Unchecked(Box::new(Value::object([("Version", "2012-10-17")]))),
    );
    let target = Fn::get_att_name("Other", "Arn");
    let role = stack.add("Role", CfnRole::new()).expect("a role");
    role.add_property_override(
        "AssumeRolePolicyDocument",
        Value::Unchecked(Box::new(Value::object([("Version", "2012-10-17")]))),
    );
    role.add_property_override(
        "Policies",
        Value::Unchecked(Box::new(policies(&mut g, &target))),
    );
    let function = stack
        .add("Function", CfnFunction::new())
        .expect("a function");
    function.add_property_override(
        "Code",
        Value::Unchecked(Box::new(Value::object([("ZipFile", "x")]))),
    );
    function.add_property_override("Role", Value::from(target.clone()));
    function.add_property_override(
        "Environment",
        Value::Unchecked(Box::new(Value::object([(
            "Variables",
            variables(&mut g, &target),
        )]))),
    );
    let task = stack
        .add("Task", CfnTaskDefinition::new())
        .expect("a task definition");
    task.add_property_override(
        "ContainerDefinitions",
        Value::Unchecked(Box::new(containers(&mut g, &target))),
    );
    if rules {
        formwork_rules::install(&app);
    }
    app
}

#[test]
fn findings_at_synth_are_the_findings_over_the_written_template() {
    let mut compared = 0;
    for case in 0..400u64 {
        let seed = 0x9E37_79B9_7F4A_7C15 ^ (case + 1);
        let at_synth = match app(seed, true).synth() {
            Ok(asm) => keyed(&asm.warnings.0),
            Err(e) => keyed(e.diagnostics().map_or(&[][..], |d| &d.0)),
        };
        let asm = app(seed, false)
            .synth()
            .unwrap_or_else(|e| panic!("case {case}: synth without rules: {e}"));
        let template = Value::from(asm.template_json("S").expect("the template"));
        let paths = HashMap::new();
        let over_text =
            keyed(&TemplateView::new("S", None, &template, &paths).check(&SecurityRules));
        assert_eq!(at_synth, over_text, "case {case}");
        compared += at_synth.len();
    }
    // Findings of every compared rule came up.
    assert!(compared > 300, "{compared} findings");
}
