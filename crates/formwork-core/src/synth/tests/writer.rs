//! Property tests: random values and resources, written by the renderer
//! into pretty text and into a tree, against the reference renderer (a
//! serde_json tree, pretty-printed by serde_json): the same bytes, the same
//! tree, the same diagnostics. Strings needing escapes, unicode, floats and
//! integers at their limits, empty objects and lists, nested intrinsic
//! functions, references inside and across stacks.

use crate::fasthash::FastMap;

use indexmap::IndexMap;
use serde_json::Value as Json;

use crate::expr::{Expr, Intrinsic, Pseudo, SubPart, Target};
use crate::spec::Tagging;
use crate::test_rng::Rng;
use crate::testing::CfnThing;
use crate::value::Value;
use crate::{App, Output, Parameter, RemovalPolicy};

use super::super::pretty::PrettyWriter;
use super::super::refs::analyze;
use super::super::render::Renderer;
use super::super::value_tree::ValueBuilder;
use super::super::view::StackView;
use super::super::{overrides, tags, template};
use super::reference::Reference;

/// A tree the renderer built (plain JSON, no intrinsics left) as a
/// `serde_json` value, to compare with the reference renderer's.
fn plain_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null | Value::Expr(_) => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(l) => serde_json::Value::Array(l.iter().map(plain_json).collect()),
        Value::Map(m) => {
            serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), plain_json(v))).collect())
        }
        Value::Unchecked(inner) => plain_json(inner),
    }
}

const PIECES: &[&str] = &[
    "",
    "a",
    "Name",
    "Tags",
    "Key",
    "Value",
    "q\"uote",
    "back\\slash",
    "tab\t",
    "nl\n\r",
    "\u{0}\u{1f}\u{7f}",
    "é",
    "✓",
    "😀",
    "\u{2028}",
    "${",
    "${!",
    "${Var}",
    "$",
    "{!",
    "}",
    ".",
    "Ref",
    "Fn::Join",
    "formwork:path",
    "</script>",
];

const FLOATS: &[f64] = &[
    0.0,
    -0.0,
    0.1,
    1.5,
    -2.5,
    2.0,
    1e300,
    1e-300,
    1e15,
    123_456_789.125,
    f64::MAX,
    f64::MIN_POSITIVE,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
];

const INTS: &[i64] = &[0, 1, -1, 42, i64::MAX, i64::MIN];

/// Random values, with references to a fixed set of targets.
pub(super) struct Gen {
    pub(super) rng: Rng,
    pub(super) targets: Vec<Target>,
}

impl Gen {
    pub(super) fn string(&mut self) -> String {
        (0..self.rng.below(4))
            .map(|_| *self.rng.pick(PIECES))
            .collect()
    }

    fn float(&mut self) -> f64 {
        if self.rng.chance(30) {
            f64::from_bits(self.rng.next_u64())
        } else {
            *self.rng.pick(FLOATS)
        }
    }

    fn int(&mut self) -> i64 {
        if self.rng.chance(30) {
            self.rng.next_u64() as i64
        } else {
            *self.rng.pick(INTS)
        }
    }

    fn target(&mut self) -> Target {
        self.rng.pick(&self.targets).clone()
    }

    fn list(&mut self, depth: u32) -> Vec<Value> {
        (0..self.rng.below(4)).map(|_| self.value(depth)).collect()
    }

    fn map(&mut self, depth: u32) -> IndexMap<String, Value> {
        (0..self.rng.below(4))
            .map(|_| (self.string(), self.value(depth)))
            .collect()
    }

    pub(super) fn value(&mut self, depth: u32) -> Value {
        let kinds = if depth == 0 { 5 } else { 9 };
        let d = depth.saturating_sub(1);
        match self.rng.below(kinds) {
            0 => Value::Null,
            1 => Value::Bool(self.rng.chance(50)),
            2 => Value::Int(self.int()),
            3 => Value::Float(self.float()),
            4 => Value::String(self.string()),
            5 => Value::List(self.list(d)),
            6 => Value::Map(self.map(d).into_iter().collect()),
            7 => Value::Expr(self.expr(d)),
            _ => Value::Unchecked(Box::new(self.value(d))),
        }
    }

    fn sub_parts(&mut self) -> Vec<SubPart> {
        (0..self.rng.below(5))
            .map(|_| match self.rng.below(6) {
                0 | 1 => SubPart::Text(self.string()),
                2 => SubPart::Ref(self.target()),
                3 => SubPart::GetAtt(self.target(), self.string()),
                4 => SubPart::Pseudo(Pseudo::Region),
                // Variables named as the imports are, so that an import
                // replaces a variable of the map in place.
                _ => SubPart::Var(
                    self.rng
                        .pick(&["Var", "ExportsOutputRefB", "Import"])
                        .to_string(),
                ),
            })
            .collect()
    }

    fn expr(&mut self, depth: u32) -> Expr {
        let d = depth;
        let i = match self.rng.below(19) {
            0 => Intrinsic::Ref(self.target()),
            1 => Intrinsic::Pseudo(Pseudo::AccountId),
            2 => Intrinsic::GetAtt(
                self.target(),
                self.rng.pick(&["Value", "Arn", "é\""]).to_string(),
            ),
            3 | 4 => {
                let mut vars: IndexMap<String, Value> = self.map(d);
                if self.rng.chance(50) {
                    vars.insert(
                        self.rng
                            .pick(&["Var", "ExportsOutputRefB", "Import"])
                            .to_string(),
                        self.value(d),
                    );
                }
                Intrinsic::Sub(self.sub_parts(), vars)
            }
            5 => Intrinsic::Join(self.string(), self.value(d)),
            6 => Intrinsic::Select(self.value(d), self.value(d)),
            7 => Intrinsic::Split(self.string(), self.value(d)),
            8 => Intrinsic::If(self.string(), self.value(d), self.value(d)),
            9 => Intrinsic::Equals(self.value(d), self.value(d)),
            10 => Intrinsic::And(self.list(d)),
            11 => Intrinsic::Or(self.list(d)),
            12 => Intrinsic::Not(self.value(d)),
            13 => Intrinsic::Condition(self.string()),
            14 => Intrinsic::FindInMap(self.string(), self.value(d), self.value(d)),
            15 => Intrinsic::ImportValue(self.value(d)),
            16 => Intrinsic::GetAzs(self.value(d)),
            17 => Intrinsic::Base64(self.value(d)),
            _ => Intrinsic::Cidr(self.value(d), self.value(d), self.value(d)),
        };
        i.into()
    }

    /// A tag list or map, as users write them, or anything else.
    pub(super) fn tags(&mut self) -> Value {
        match self.rng.below(4) {
            0 => Value::List(
                (0..self.rng.below(3))
                    .map(|_| {
                        Value::Map(
                            [
                                ("Key".to_owned(), self.value(0)),
                                ("Value".to_owned(), self.value(0)),
                            ]
                            .into_iter()
                            .collect(),
                        )
                    })
                    .collect(),
            ),
            1 => Value::Map(
                (0..self.rng.below(3))
                    .map(|_| {
                        (
                            self.rng.pick(&["team", "app", "Ref"]).to_string(),
                            self.value(0),
                        )
                    })
                    .collect(),
            ),
            _ => self.value(2),
        }
    }
}

/// `v` as serde_json pretty-prints it, with the trailing newline.
fn reference_text(v: &Json) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("a tree serializes");
    s.push('\n');
    s
}

/// An app of two stacks: `One` (where values are rendered) with a resource
/// and a parameter, `Two` with a resource and a parameter `One` refers to,
/// so that `Two` exports them. Returns the app, `One` and the targets
/// values may refer to.
pub(super) fn app() -> (App, crate::Stack, Vec<Target>) {
    let app = App::new();
    let one = app.stack("One").expect("a stack");
    let two = app.stack("Two").expect("a stack");
    let a = one.add("A", CfnThing::new()).expect("a resource");
    let b = two.add("B", CfnThing::new()).expect("a resource");
    let p = two
        .add_parameter("P", Parameter::string())
        .expect("a parameter");
    let q = one
        .add_parameter("Q", Parameter::string())
        .expect("a parameter");
    one.add_output("UsesB", Output::new(b.ref_()))
        .expect("an output");
    one.add_output("UsesBValue", Output::new(b.value_attr()))
        .expect("an output");
    one.add_output("UsesP", Output::new(p.ref_()))
        .expect("an output");
    let other = App::new();
    let stranger = other
        .stack("Stranger")
        .expect("a stack")
        .add("S", CfnThing::new())
        .expect("a resource");
    let target = |e: Expr| match e.intrinsic() {
        Intrinsic::Ref(t) => t.clone(),
        _ => Target::Named("Unreachable".to_owned()),
    };
    let targets = vec![
        target(a.ref_()),
        target(b.ref_()),
        target(p.ref_()),
        target(q.ref_()),
        target(stranger.ref_()),
        Target::Resource {
            stack: one.id(),
            index: 99,
        },
        Target::Named("A".to_owned()),
        Target::Named("Nope".to_owned()),
    ];
    drop(other);
    (app, one, targets)
}

/// Runs `f` with the renderer of stack `One` and the reference renderer.
pub(super) fn with_renderers(
    app: &App,
    f: impl FnOnce(&StackView<'_>, &Renderer<'_>, &Reference<'_>),
) {
    let stacks = app.stacks();
    let mut diags = Vec::new();
    let positions: FastMap<_, _> = stacks
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id(), i))
        .collect();
    let views: Vec<StackView<'_>> = stacks
        .iter()
        .map(|s| StackView::new(s.name(), s.data(), &mut diags))
        .collect();
    let ids: Vec<_> = stacks.iter().map(|s| s.id()).collect();
    let analysis = analyze(&views, &ids, &positions, app.regions(), &mut diags);
    assert!(
        analysis.exports.iter().map(|e| e.len()).sum::<usize>() >= 3,
        "the cross-stack references are exported"
    );
    let r = Renderer {
        me: 0,
        views: &views,
        positions: &positions,
        exports: &analysis.exports,
    };
    let old = Reference {
        me: 0,
        views: &views,
        positions: &positions,
        exports: &analysis.exports,
    };
    f(&views[0], &r, &old);
}

#[test]
fn random_values_are_written_as_the_reference_writes_them() {
    let (app, _, targets) = app();
    let mut g = Gen {
        rng: Rng(0x9E37_79B9_7F4A_7C15),
        targets,
    };
    with_renderers(&app, |_, r, old| {
        for case in 0..3000 {
            let v = g.value(4);
            let expected = old.value(&v);
            let mut w = PrettyWriter::with_capacity(64);
            r.value(&v, &mut w);
            assert_eq!(w.finish(), reference_text(&expected), "case {case}: {v:?}");
            let mut t = ValueBuilder::default();
            r.value(&v, &mut t);
            assert_eq!(plain_json(&t.finish()), expected, "case {case}: {v:?}");
        }
    });
}

#[test]
fn random_resources_are_written_as_the_reference_writes_them() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for case in 0..300 {
        let (app, one, targets) = app();
        let mut g = Gen {
            rng: Rng(rng.next_u64() | 1),
            targets,
        };
        if g.rng.chance(60) {
            for _ in 0..=g.rng.below(3) {
                one.add_tag(*g.rng.pick(&["team", "app", "aws:x", "é\""]), g.string());
            }
        }
        let mut made: Vec<crate::testing::CfnThingRef> = Vec::new();
        for i in 0..g.rng.below(4) {
            let mut thing = CfnThing::new();
            if g.rng.chance(50) {
                thing = thing.name(g.string());
            }
            let e = one.add(&format!("R{i}"), thing).expect("a resource");
            for _ in 0..g.rng.below(3) {
                let key = g
                    .rng
                    .pick(&["formwork:path", "Doc", "checkov", "é"])
                    .to_string();
                e.add_metadata(key, g.value(2));
            }
            for _ in 0..g.rng.below(7) {
                let path = g.rng.pick(&[
                    "Tags",
                    "Tags.0",
                    "Tags.team",
                    "Tags.0.Key",
                    "Name",
                    "X.Y",
                    "Value",
                    "Z",
                    "W.0",
                ]);
                let v = if path.starts_with("Tags") && g.rng.chance(50) {
                    g.tags()
                } else {
                    g.value(2)
                };
                e.add_property_override(*path, v);
            }
            if let Some(prev) = made.last() {
                if g.rng.chance(40) {
                    e.add_depends_on(prev);
                }
            }
            if g.rng.chance(30) {
                e.apply_removal_policy(RemovalPolicy::Retain);
            }
            made.push(e);
        }
        for i in 0..g.rng.below(3) {
            let out = Output::new(g.value(3)).description(g.string());
            one.add_output(&format!("Out{i}"), out).expect("an output");
        }
        if g.rng.chance(50) {
            one.add_metadata(g.string(), g.value(3));
        }
        with_renderers(&app, |view, r, old| {
            // The whole template: text written directly, and the tree
            // pretty-printed by serde_json.
            let props: Vec<overrides::Props<'_>> = view
                .data
                .resources
                .iter()
                .map(|e| overrides::merged_props(e).0)
                .collect();
            let exports = template::export_outputs(view, &r.exports[0], &mut Vec::new());
            let mut w = PrettyWriter::with_capacity(64);
            template::write(view, r, &props, &exports, &Default::default(), &mut w);
            let mut t = ValueBuilder::default();
            template::write(view, r, &props, &exports, &Default::default(), &mut t);
            assert_eq!(
                w.finish(),
                reference_text(&plain_json(&t.finish())),
                "case {case}"
            );
            let mut path = String::new();
            for e in &view.data.resources {
                view.path_into(e, &mut path);
                let tagging =
                    *g.rng
                        .pick(&[Tagging::None, Tagging::List("Tags"), Tagging::Map("Tags")]);
                let (merged, _) = overrides::merged_props(e);
                let (mut old_diags, mut new_diags) = (Vec::new(), Vec::new());
                let expected = old.resource(
                    e,
                    &merged.to_value(),
                    tagging,
                    &view.data.tags,
                    &mut old_diags,
                    &path,
                );
                let mut props = merged.clone();
                tags::merge(
                    r,
                    &mut props,
                    tagging,
                    &view.data.tags,
                    &mut new_diags,
                    &path,
                );
                let mut w = PrettyWriter::with_capacity(64);
                r.resource(e, &props, &path, &mut w);
                assert_eq!(
                    w.finish(),
                    reference_text(&expected),
                    "case {case}: {merged:?}"
                );
                let mut t = ValueBuilder::default();
                r.resource(e, &props, &path, &mut t);
                assert_eq!(plain_json(&t.finish()), expected, "case {case}");
                assert_eq!(old_diags, new_diags, "case {case}");
            }
        });
    }
}
