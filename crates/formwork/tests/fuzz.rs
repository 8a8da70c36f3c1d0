//! A property harness over the public builder API: random construct trees,
//! ids, values, intrinsic functions, references across stacks and apps,
//! overrides, suppressions and rules. Whatever a program builds, synth must
//! not panic; when it succeeds, the templates are JSON and byte-identical
//! on a second synth; when it fails, every diagnostic names a path.
//!
//! The generator is a small seeded PRNG (no dependency: nothing to build),
//! so every case replays from its seed. The budget is bounded:
//! `FORMWORK_FUZZ_CASES` cases (default 300, a few seconds), starting at
//! seed `FORMWORK_FUZZ_SEED` (default 1). A failure prints the seed:
//! `FORMWORK_FUZZ_SEED=<seed> FORMWORK_FUZZ_CASES=1 cargo test -p formwork --test fuzz`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use formwork::rules::{Findings, ResourceView, Rule};
use formwork::{
    App, Context, Diagnostic, Environment, Expr, Fn, Mapping, Output, Parameter, Pseudo,
    RemovalPolicy, ResourceRef, Scope, Stack, Value,
};
use formwork_core::testing::CfnThing;

/// xorshift64*: small, deterministic, good enough to pick shapes.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

const IDS: &[&str] = &[
    "A",
    "B",
    "Fn",
    "Api",
    "Handler",
    "Role",
    "x",
    "a-b",
    "a_b",
    "Ünï",
    "",
    "a/b",
    "...",
    "1",
    "Data",
    "Bucket",
    "Log Group",
    "Z9",
];
const STRINGS: &[&str] = &[
    "",
    "v",
    "String",
    "StringList",
    "Strng",
    "sk-abcdefghijklmnopqrstuvwx",
    "${Missing}",
    "${!Lit}",
    "{{resolve:ssm:/p}}",
    "x{{resolve:vault:y}}",
    "{{resolve:ssm:",
    "10.0.0.1/16",
    "aws:tag",
    "ünïcödé",
    "a b",
    "/aws/lambda/x",
    "arn:aws:iam::123456789012:role/r",
];
const PATHS: &[&str] = &[
    "Value",
    "Name",
    "Type",
    "Tags",
    "Tags.k",
    "Value.Deep",
    "A.0",
    "A.0.B",
    "A.5",
    "Nmae",
    "",
    "A..B",
    "Tags.0",
    "Description",
];
const REGIONS: &[&str] = &[
    "ap-northeast-1",
    "us-east-1",
    "us-west-1",
    "xx-nowhere-1",
    "",
    "eu-west-1",
];

/// What a case has built so far: stacks and resources to refer to.
struct World {
    stacks: Vec<Stack>,
    resources: Vec<ResourceRef>,
    foreign: Vec<ResourceRef>,
    scopes: Vec<Scope>,
}

fn value(r: &mut Rng, w: &World, depth: u32) -> Value {
    let leaf = depth > 3 || r.chance(45);
    if leaf {
        return match r.below(9) {
            0 => Value::from(r.word(STRINGS)),
            1 => Value::from(r.next() as i64 % 100_000 - 50_000),
            2 => Value::from(*r.pick(&[f64::NAN, f64::INFINITY, 1.5, -0.0, 1e300])),
            3 => Value::from(r.chance(50)),
            4 => Value::Null,
            5 => Value::from(r.word(STRINGS)).unchecked(),
            6 => Value::from(i64::MAX),
            _ => Value::from(expr(r, w, depth + 1)),
        };
    }
    match r.below(3) {
        0 => Value::list(
            (0..r.below(4))
                .map(|_| value(r, w, depth + 1))
                .collect::<Vec<_>>(),
        ),
        1 => Value::object(
            (0..r.below(4))
                .map(|_| {
                    (
                        r.word(&["Key", "Value", "Name", "x", "aws:k", ""])
                            .to_string(),
                        value(r, w, depth + 1),
                    )
                })
                .collect::<Vec<_>>(),
        ),
        _ => Value::from(expr(r, w, depth + 1)),
    }
}

fn target(r: &mut Rng, w: &World) -> Option<ResourceRef> {
    if !w.foreign.is_empty() && r.chance(10) {
        return Some(r.pick(&w.foreign).clone());
    }
    (!w.resources.is_empty()).then(|| r.pick(&w.resources).clone())
}

fn expr(r: &mut Rng, w: &World, depth: u32) -> Expr {
    let simple = |r: &mut Rng| match r.below(3) {
        0 => Fn::ref_name(r.word(IDS)),
        1 => Fn::get_att_name(r.word(IDS), r.word(&["Value", "Arn", "Type"])),
        _ => Pseudo::Region.into(),
    };
    if depth > 4 {
        return simple(r);
    }
    match r.below(14) {
        0 | 1 => match target(r, w) {
            Some(t) => t.ref_(),
            None => simple(r),
        },
        2 => match target(r, w) {
            Some(t) => t.get_att(r.word(&["Value", "Type", "Nope"])),
            None => simple(r),
        },
        3 => Fn::sub(r.word(&[
            "${A}",
            "x-${AWS::Region}",
            "${Fn.Value}",
            "${!x}",
            "${",
            "}",
            "${A.B.C}",
        ])),
        4 => Fn::concat([value(r, w, depth + 1), Value::from(r.word(STRINGS))]),
        5 => Fn::select(
            r.next() as i64 % 8 - 1,
            if r.chance(50) {
                Value::from(Fn::get_azs(r.word(REGIONS)))
            } else {
                value(r, w, depth + 1)
            },
        ),
        6 => Fn::join(
            r.word(&[",", ""]),
            [value(r, w, depth + 1), value(r, w, depth + 1)],
        ),
        7 => Fn::split(",", value(r, w, depth + 1)),
        8 => Fn::get_azs(if r.chance(50) {
            Value::from(r.word(REGIONS))
        } else {
            Pseudo::Region.into()
        }),
        9 => Fn::base64(value(r, w, depth + 1)),
        10 => Fn::cidr(
            value(r, w, depth + 1),
            value(r, w, depth + 1),
            value(r, w, depth + 1),
        ),
        11 => Fn::import_value(value(r, w, depth + 1)),
        12 => formwork::Dynamic::secret(value(r, w, depth + 1)),
        _ => Fn::equals(value(r, w, depth + 1), value(r, w, depth + 1)),
    }
}

/// A rule of the user's, to have user rules run over random templates.
struct EveryThird;
impl Rule for EveryThird {
    fn visit_resource(&self, r: &ResourceView<'_>, f: &mut Findings) {
        if r.logical_id.len() % 3 == 0 {
            f.report(Diagnostic::warning("FW9001", r.path(), "third"));
        }
    }
}

fn thing(r: &mut Rng, w: &World) -> CfnThing {
    let mut t = CfnThing::new();
    if r.chance(50) {
        t = t.name(value(r, w, 1).as_str().unwrap_or("n").to_owned());
    }
    if r.chance(30) {
        t = t.kind(r.word(&["String", "StringList", "Nope"]));
    }
    if r.chance(40) {
        t = t.value(expr(r, w, 1));
    }
    if r.chance(10) {
        t = t.without_value();
    }
    if r.chance(20) {
        t = t.tags([(r.word(&["k", "aws:x", ""]), r.word(STRINGS))]);
    }
    t
}

/// Builds a random program; returns the app (any error of a builder call
/// is a fine outcome: the call refused the input).
fn program(seed: u64) -> App {
    let mut r = Rng::new(seed);
    let ctx = Context::new().with_env("FORMWORK_REGION", r.word(REGIONS));
    let app = App::with_context(ctx);
    if r.chance(30) {
        app.add_rule(EveryThird);
    }
    let other = App::new();
    let mut w = World {
        stacks: Vec::new(),
        resources: Vec::new(),
        foreign: Vec::new(),
        scopes: Vec::new(),
    };
    if let Ok(s) = other.stack("Other") {
        for i in 0..r.below(6) {
            if let Ok(x) = s.add(&format!("X{i}"), CfnThing::new()) {
                w.foreign.push((*x).clone());
            }
        }
    }
    for _ in 0..1 + r.below(3) {
        let name = r.word(&["Net", "App", "Data", "Net", "1bad", "With-Dash"]);
        let env = if r.chance(30) {
            Environment::agnostic().region(r.word(REGIONS))
        } else {
            Environment::agnostic()
        };
        if let Ok(s) = app.stack_in(name, env) {
            if r.chance(20) {
                s.set_description("d".repeat(r.below(1100)));
            }
            if r.chance(20) {
                s.add_tag(r.word(&["team", "aws:x", ""]), r.word(STRINGS));
            }
            w.scopes.push((*s).clone());
            w.stacks.push(s);
        }
    }
    if w.stacks.is_empty() {
        return app;
    }
    for _ in 0..r.below(12) {
        let scope = r.pick(&w.scopes).clone();
        match r.below(12) {
            0 | 1 | 2 | 3 => {
                let t = thing(&mut r, &w);
                if let Ok(x) = scope.add(r.word(IDS), t) {
                    w.resources.push((*x).clone());
                }
            }
            4 => {
                if let Ok(c) = scope.child(r.word(IDS)) {
                    w.scopes.push(c);
                }
            }
            5 => {
                if let Some(x) = target(&mut r, &w) {
                    let path = r.word(PATHS);
                    let v = value(&mut r, &w, 0);
                    x.add_property_override(path, v);
                }
            }
            6 => {
                if let (Some(a), Some(b)) = (target(&mut r, &w), target(&mut r, &w)) {
                    a.add_depends_on(&b);
                }
            }
            7 => {
                let s = r.pick(&w.stacks).clone();
                let v = value(&mut r, &w, 0);
                let mut o = Output::new(v);
                if r.chance(40) {
                    o = o.export_name(r.word(&["shared", "other", "bad name", "A:B"]));
                }
                let _ = s.add_output(r.word(IDS), o);
            }
            8 => {
                let s = r.pick(&w.stacks).clone();
                let mut p = Parameter::string();
                if r.chance(50) {
                    p = p.default_value(value(&mut r, &w, 2));
                }
                if r.chance(30) {
                    p = p.no_echo();
                }
                let _ = s.add_parameter(r.word(&["DbPassword", "Size", "A", ""]), p);
                let _ = s.add_mapping(
                    r.word(&["M", "N"]),
                    Mapping::new().entry(
                        r.word(&["us-east-1", "a b"]),
                        [("Ami", value(&mut r, &w, 2))],
                    ),
                );
                if let Ok(c) = s.add_condition(r.word(&["C", "D"]), Fn::equals(Pseudo::Region, "x"))
                {
                    if let Some(x) = target(&mut r, &w) {
                        x.set_condition(&c);
                    }
                }
            }
            9 => {
                if let Some(x) = target(&mut r, &w) {
                    match r.below(5) {
                        0 => {
                            x.suppress(
                                r.word(&["FW9001", "FW5004", "CKV_AWS_1", "FW0103"]),
                                "a reason",
                            );
                        }
                        1 => {
                            x.override_logical_id(r.word(IDS));
                        }
                        2 => {
                            x.apply_removal_policy(RemovalPolicy::Retain);
                        }
                        3 => {
                            x.add_metadata("m", value(&mut r, &w, 1));
                        }
                        _ => {
                            // Re-entrancy: build while the resource is lent out.
                            let inner = scope.clone();
                            let _ = x.inspect(|_: &CfnThing| {
                                inner.add("Inside", CfnThing::new()).is_ok()
                            });
                            let _ = x.update(|t: CfnThing| {
                                let _ = inner.add("Updated", CfnThing::new());
                                t
                            });
                        }
                    }
                }
            }
            10 => {
                let (a, b) = (r.pick(&w.stacks).clone(), r.pick(&w.stacks).clone());
                a.add_dependency(&b);
            }
            _ => {
                scope.suppress(r.word(&["FW9001", "FW5002", "CKV_AWS_2"]), "scope reason");
            }
        }
    }
    app
}

fn cases() -> (u64, u64) {
    let n = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    (n("FORMWORK_FUZZ_SEED", 1), n("FORMWORK_FUZZ_CASES", 300))
}

#[test]
fn random_programs_never_panic_and_synth_deterministically() {
    let (first, count) = cases();
    let (mut ok, mut refused) = (0, 0);
    for seed in first..first + count {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let app = program(seed);
            let a = app.synth();
            let b = app.synth();
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    for (x, y) in a.stacks.iter().zip(&b.stacks) {
                        assert_eq!(x.template, y.template, "synth is not deterministic");
                        serde_json::from_str::<serde_json::Value>(&x.template)
                            .expect("a template is JSON");
                    }
                    true
                }
                (Err(a), Err(b)) => {
                    assert_eq!(
                        a.to_string(),
                        b.to_string(),
                        "diagnostics are not deterministic"
                    );
                    if let Some(d) = a.diagnostics() {
                        assert!(
                            d.0.iter().all(|d| !d.path.is_empty()),
                            "a diagnostic without a path:\n{d}"
                        );
                    }
                    false
                }
                (a, b) => panic!("two synths disagree: {a:?} / {b:?}"),
            }
        }));
        match outcome {
            Ok(true) => ok += 1,
            Ok(false) => refused += 1,
            Err(_) => panic!(
                "seed {seed} panicked; replay with FORMWORK_FUZZ_SEED={seed} FORMWORK_FUZZ_CASES=1 cargo test -p formwork --test fuzz"
            ),
        }
    }
    // The generator reaches both outcomes, so the harness can fail.
    assert!(
        count < 50 || (ok > 0 && refused > 0),
        "ok {ok}, refused {refused}"
    );
}
