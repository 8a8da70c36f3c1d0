//! The tag limits judged on properties as synth holds them, against the
//! first version of the check, which judged the rendered property.

use crate::diag::{Diagnostic, codes};
use crate::test_rng::Rng;
use crate::value::Value;

use super::super::checks::{TAG_KEY_CHARS, TAG_VALUE_CHARS, TAGS_PER_RESOURCE, tags};
use super::writer::{Gen, app, with_renderers};

/// Tags as written in a resource: at most 50, keys up to 128 characters,
/// values up to 256, no key starting with `aws:` (reserved for AWS).
fn reference(path: &str, prop: &str, tags: &Value, out: &mut Vec<Diagnostic>) {
    let pairs: Vec<(Option<&str>, Option<&str>)> = match tags {
        Value::List(items) => items
            .iter()
            .map(|t| {
                (
                    t.get("Key").and_then(Value::as_str),
                    t.get("Value").and_then(Value::as_str),
                )
            })
            .collect(),
        Value::Map(m) if !m.keys().any(|k| k == "Ref" || k.starts_with("Fn::")) => m
            .iter()
            .map(|(k, v)| (Some(k.as_str()), v.as_str()))
            .collect(),
        _ => return,
    };
    let mut err = |msg: String| {
        out.push(
            Diagnostic::error(codes::TAG_LIMITS, path, msg)
                .property(prop)
                .fix("AWS takes at most 50 tags per resource, keys of 1 to 128 characters, values of up to 256, and keys not starting with `aws:`"),
        );
    };
    if pairs.len() > TAGS_PER_RESOURCE {
        err(format!(
            "{} tags (stack tags included); AWS takes at most {TAGS_PER_RESOURCE} per resource",
            pairs.len()
        ));
    }
    for (k, v) in pairs {
        if let Some(k) = k {
            let n = k.chars().count();
            if n == 0 || n > TAG_KEY_CHARS {
                err(format!(
                    "tag key {k:?} has {n} characters; allowed: 1 to {TAG_KEY_CHARS}"
                ));
            }
            if k.to_ascii_lowercase().starts_with("aws:") {
                err(format!(
                    "tag key {k:?} starts with `aws:`, which is reserved for AWS"
                ));
            }
        }
        if let Some(v) = v {
            let n = v.chars().count();
            if n > TAG_VALUE_CHARS {
                err(format!(
                    "the value of tag {:?} has {n} characters; allowed: at most {TAG_VALUE_CHARS}",
                    k.unwrap_or("")
                ));
            }
        }
    }
}

/// A key or value near the limits: empty, `aws:` in any case, long in
/// bytes or in characters.
fn text(g: &mut Rng) -> Value {
    Value::String(match g.below(7) {
        0 => String::new(),
        1 => (*g.pick(&["aws:x", "AWS:y", "Aws:", "aws", "awsx:"])).to_owned(),
        2 => "k".repeat(*g.pick(&[127, 128, 129, 255, 256, 257])),
        3 => "é".repeat(*g.pick(&[64, 65, 128, 129, 200])),
        4 => "✓".repeat(*g.pick(&[43, 86, 100])),
        _ => (*g.pick(&["team", "app", "v"])).to_owned(),
    })
}

#[test]
fn tags_are_judged_as_the_rendered_property_was() {
    let (app, _, targets) = app();
    let mut g = Gen {
        rng: Rng(0x1234_5678_9ABC_DEF1),
        targets,
    };
    let mut reported = 0;
    with_renderers(&app, |_, r, _| {
        for case in 0..4000 {
            let v = match g.rng.below(5) {
                0 => g.tags(),
                1 => g.value(3),
                2 => Value::List(
                    (0..*g.rng.pick(&[1, 3, 50, 51]))
                        .map(|_| {
                            let mut m = crate::ValueMap::new();
                            if g.rng.chance(90) {
                                m.insert("Key".to_owned(), text(&mut g.rng));
                            }
                            if g.rng.chance(90) {
                                m.insert("Value".to_owned(), text(&mut g.rng));
                            }
                            let item = Value::Map(m);
                            if g.rng.chance(10) {
                                Value::Unchecked(Box::new(item))
                            } else {
                                item
                            }
                        })
                        .collect(),
                ),
                3 => Value::Map(
                    (0..*g.rng.pick(&[1, 2, 50, 51]))
                        .map(|i| {
                            let k = match text(&mut g.rng) {
                                Value::String(s) => format!("{s}{i}"),
                                _ => format!("{i}"),
                            };
                            (k, text(&mut g.rng))
                        })
                        .collect(),
                ),
                _ => Value::Unchecked(Box::new(g.tags())),
            };
            let mut expected = Vec::new();
            reference("S/R", "Tags", &r.tree(&v), &mut expected);
            let mut got = Vec::new();
            tags("S/R", "Tags", &v, &mut got);
            assert_eq!(got, expected, "case {case}: {v:?}");
            reported += got.len();
        }
    });
    assert!(reported > 1000, "{reported}");
}
