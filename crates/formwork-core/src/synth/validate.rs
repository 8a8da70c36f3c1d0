//! Schema validation of literal values, at synth, and the pattern engine
//! it uses ([`Pattern`]).
//!
//! One walker checks every literal against the generated [`Shape`] tables:
//! required properties, kinds, allowed values, patterns, lengths, ranges and
//! list sizes. Intrinsic functions are passed over (their value is known only
//! at deploy time), as are values marked [`Value::Unchecked`].

use std::collections::HashMap;

use crate::diag::{Diagnostic, codes};
use crate::props::PropBag;
use crate::spec::{NumberRules, ObjectShape, ResourceSpec, Shape, StringRules};
use crate::value::Value;

/// Compiled schema patterns, shared across a synth.
#[derive(Default)]
pub(crate) struct Validator {
    patterns: HashMap<&'static str, Option<Pattern>>,
}

/// A compiled pattern: the regex crate where it can, fancy-regex for
/// lookaround.
#[derive(Debug)]
pub enum Pattern {
    /// A pattern the regex crate accepts.
    Plain(regex::Regex),
    /// A pattern with lookaround.
    Fancy(Box<fancy_regex::Regex>),
}

impl Pattern {
    /// Compiles a pattern; `None` when neither engine accepts it.
    pub fn compile(p: &str) -> Option<Pattern> {
        match regex::Regex::new(p) {
            Ok(r) => Some(Pattern::Plain(r)),
            Err(_) => fancy_regex::Regex::new(p)
                .ok()
                .map(|r| Pattern::Fancy(Box::new(r))),
        }
    }

    /// True when the pattern matches somewhere in `s`.
    pub fn is_match(&self, s: &str) -> bool {
        match self {
            Pattern::Plain(r) => r.is_match(s),
            // A pattern that exhausts the backtracking limit counts as a match:
            // the engine could not say the value is wrong.
            Pattern::Fancy(r) => r.is_match(s).unwrap_or(true),
        }
    }
}

struct Site<'a> {
    path: &'a str,
    out: &'a mut Vec<Diagnostic>,
}

impl Site<'_> {
    fn error(&mut self, code: &'static str, property: &str, message: String) -> &mut Diagnostic {
        self.out
            .push(Diagnostic::error(code, self.path, message).property(property));
        let last = self.out.len() - 1;
        &mut self.out[last]
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) if s.chars().count() > 80 => {
            format!("\"{}…\"", s.chars().take(80).collect::<String>())
        }
        Value::String(s) => format!("{s:?}"),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.kind().to_owned(),
    }
}

/// The letters of a name in lower case, for "did you mean" hints.
fn fold(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Validator {
    /// Checks one resource's properties; `overridden` names top-level
    /// properties set by raw overrides (not checked, but count as present).
    pub(crate) fn resource(
        &mut self,
        path: &str,
        spec: &ResourceSpec,
        props: &PropBag,
        overridden: &[&str],
        out: &mut Vec<Diagnostic>,
    ) {
        let mut site = Site { path, out };
        let shape = spec.object;
        for (i, p) in shape.properties.iter().enumerate() {
            match props.get(i as u16) {
                Some(v) => self.check(v, p.shape, p.name, &mut site),
                None if p.required && !overridden.contains(&p.name) => {
                    site.error(
                        codes::REQUIRED,
                        p.name,
                        format!("{} requires `{}`", spec.type_name, p.name),
                    )
                    .fix = Some(format!("set `{}` (a {})", p.name, p.shape.kind()));
                }
                None => {}
            }
        }
        self.one_of(
            shape,
            |n| props.get(n as u16).is_some() || overridden.contains(&shape.properties[n].name),
            "",
            &mut site,
        );
    }

    fn one_of(
        &self,
        shape: &ObjectShape,
        present: impl Fn(usize) -> bool,
        prop_path: &str,
        site: &mut Site<'_>,
    ) {
        if shape.one_of_required.is_empty() {
            return;
        }
        let has = |name: &str| shape.index_of(name).is_some_and(&present);
        let satisfied = shape
            .one_of_required
            .iter()
            .any(|set| set.iter().all(|n| has(n)));
        if !satisfied {
            let options: Vec<String> = shape
                .one_of_required
                .iter()
                .map(|set| set.join(" + "))
                .collect();
            site.error(
                codes::ONE_OF,
                if prop_path.is_empty() {
                    shape.name
                } else {
                    prop_path
                },
                format!("{} needs one of: {}", shape.name, options.join(" | ")),
            );
        }
    }

    fn check(&mut self, v: &Value, shape: Shape, at: &str, site: &mut Site<'_>) {
        match v {
            Value::Expr(_) | Value::Unchecked(_) => return,
            Value::Null => {
                site.error(codes::KIND, at, format!("null is not a {}", shape.kind()));
                return;
            }
            _ => {}
        }
        match shape {
            Shape::Json => {}
            Shape::String(rules) => self.string(v, rules, at, site),
            Shape::Integer(rules) => {
                let n = match v {
                    Value::Int(i) => Some(*i as f64),
                    Value::String(s) => s.parse::<i64>().ok().map(|i| i as f64),
                    _ => None,
                };
                match n {
                    Some(n) => range(n, rules, v, at, site),
                    None => {
                        site.error(
                            codes::KIND,
                            at,
                            format!("expected an integer, found {}", show(v)),
                        );
                    }
                }
            }
            Shape::Number(rules) => {
                let n = match v {
                    Value::Int(_) | Value::Float(_) => v.as_f64(),
                    Value::String(s) => s.parse::<f64>().ok(),
                    _ => None,
                };
                match n {
                    Some(n) => range(n, rules, v, at, site),
                    None => {
                        site.error(
                            codes::KIND,
                            at,
                            format!("expected a number, found {}", show(v)),
                        );
                    }
                }
            }
            Shape::Boolean => {
                let ok = matches!(v, Value::Bool(_))
                    || matches!(v, Value::String(s) if s == "true" || s == "false");
                if !ok {
                    site.error(
                        codes::KIND,
                        at,
                        format!("expected a boolean, found {}", show(v)),
                    );
                }
            }
            Shape::List(list) => {
                let Value::List(items) = v else {
                    site.error(
                        codes::KIND,
                        at,
                        format!("expected a list, found {}", v.kind()),
                    );
                    return;
                };
                let n = items.len() as u64;
                if list.min_items.is_some_and(|m| n < m) || list.max_items.is_some_and(|m| n > m) {
                    site.error(
                        codes::ITEMS,
                        at,
                        format!(
                            "{n} item(s); allowed: {} to {}",
                            list.min_items.unwrap_or(0),
                            list.max_items
                                .map_or("any number".to_owned(), |m| m.to_string())
                        ),
                    );
                }
                for (i, item) in items.iter().enumerate() {
                    self.check(item, list.item, &format!("{at}[{i}]"), site);
                }
            }
            Shape::Map(map) => {
                let Value::Map(entries) = v else {
                    site.error(
                        codes::KIND,
                        at,
                        format!("expected a map, found {}", v.kind()),
                    );
                    return;
                };
                for (k, item) in entries {
                    let key_at = format!("{at}.{k}");
                    if let Some(p) = map.key_pattern {
                        if self.regex(p).is_some_and(|r| !r.is_match(k)) {
                            site.error(
                                codes::PATTERN,
                                &key_at,
                                format!("key {k:?} does not match the pattern {p}"),
                            );
                        }
                    }
                    self.check(item, map.value, &key_at, site);
                }
            }
            Shape::Object(obj) => self.object(v, obj, at, site),
        }
    }

    fn object(&mut self, v: &Value, obj: &'static ObjectShape, at: &str, site: &mut Site<'_>) {
        let Value::Map(entries) = v else {
            site.error(
                codes::KIND,
                at,
                format!("expected a {} object, found {}", obj.name, v.kind()),
            );
            return;
        };
        for p in obj.properties {
            match entries.get(p.name) {
                Some(item) => self.check(item, p.shape, &join(at, p.name), site),
                None if p.required => {
                    site.error(
                        codes::REQUIRED,
                        &join(at, p.name),
                        format!("{} requires `{}`", obj.name, p.name),
                    );
                }
                None => {}
            }
        }
        if obj.closed {
            for k in entries.keys() {
                if obj.index_of(k).is_none() {
                    let hint = obj
                        .properties
                        .iter()
                        .find(|p| fold(p.name) == fold(k))
                        .map(|p| format!("did you mean `{}`?", p.name));
                    let names: Vec<&str> = obj.properties.iter().map(|p| p.name).collect();
                    let d = site.error(
                        codes::UNKNOWN_PROPERTY,
                        &join(at, k),
                        format!(
                            "{} has no property `{k}` (it has: {})",
                            obj.name,
                            names.join(", ")
                        ),
                    );
                    d.fix = hint;
                }
            }
        }
        self.one_of(
            obj,
            |i| entries.contains_key(obj.properties[i].name),
            at,
            site,
        );
    }

    fn string(&mut self, v: &Value, rules: &StringRules, at: &str, site: &mut Site<'_>) {
        let owned;
        let s: &str = match v {
            Value::String(s) => s,
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                owned = show(v);
                &owned
            }
            _ => {
                site.error(
                    codes::KIND,
                    at,
                    format!("expected a string, found {}", v.kind()),
                );
                return;
            }
        };
        if s.contains("{{resolve:") {
            return;
        }
        if !rules.values.is_empty() && !rules.values.contains(&s) {
            let hint = rules
                .values
                .iter()
                .find(|a| fold(a) == fold(s))
                .map(|a| format!("did you mean {a:?}?"));
            let d = site.error(
                codes::ENUM,
                at,
                format!(
                    "{} is not allowed; allowed: {}",
                    show(v),
                    rules.values.join(", ")
                ),
            );
            d.fix = hint;
            return;
        }
        let len = s.chars().count() as u64;
        if rules.min_length.is_some_and(|m| len < m) || rules.max_length.is_some_and(|m| len > m) {
            site.error(
                codes::LENGTH,
                at,
                format!(
                    "{} has {len} characters; allowed: {} to {}",
                    show(v),
                    rules.min_length.unwrap_or(0),
                    rules.max_length.map_or("any".to_owned(), |m| m.to_string())
                ),
            );
        }
        if let Some(p) = rules.pattern {
            if self.regex(p).is_some_and(|r| !r.is_match(s)) {
                site.error(
                    codes::PATTERN,
                    at,
                    format!("{} does not match the pattern {p}", show(v)),
                );
            }
        }
    }

    fn regex(&mut self, pattern: &'static str) -> Option<&Pattern> {
        self.patterns
            .entry(pattern)
            .or_insert_with(|| Pattern::compile(pattern))
            .as_ref()
    }
}

fn range(n: f64, rules: &NumberRules, v: &Value, at: &str, site: &mut Site<'_>) {
    let below =
        rules.minimum.is_some_and(|m| n < m) || rules.exclusive_minimum.is_some_and(|m| n <= m);
    let above =
        rules.maximum.is_some_and(|m| n > m) || rules.exclusive_maximum.is_some_and(|m| n >= m);
    if below || above {
        let fmt = |x: Option<f64>| x.map_or("any".to_owned(), |x| x.to_string());
        let lo = rules.minimum.or(rules.exclusive_minimum);
        let hi = rules.maximum.or(rules.exclusive_maximum);
        site.error(
            codes::RANGE,
            at,
            format!(
                "{} is out of range; allowed: {} to {}",
                show(v),
                fmt(lo),
                fmt(hi)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{ListShape, MapShape, PropSpec, Tagging};

    static NAME: StringRules = StringRules {
        min_length: Some(3),
        max_length: Some(5),
        pattern: Some("^[a-z]+$"),
        values: &[],
    };
    static MODE: StringRules = StringRules {
        values: &["BUFFERED", "RESPONSE_STREAM"],
        ..StringRules::NONE
    };
    static MEM: NumberRules = NumberRules {
        minimum: Some(128.0),
        maximum: Some(10240.0),
        ..NumberRules::NONE
    };
    static INNER: ObjectShape = ObjectShape {
        name: "Inner",
        properties: &[
            PropSpec {
                name: "Mode",
                shape: Shape::String(&MODE),
                required: true,
            },
            PropSpec {
                name: "Flag",
                shape: Shape::Boolean,
                required: false,
            },
        ],
        closed: true,
        one_of_required: &[],
    };
    static TOP: ObjectShape = ObjectShape {
        name: "Thing",
        properties: &[
            PropSpec {
                name: "Name",
                shape: Shape::String(&NAME),
                required: true,
            },
            PropSpec {
                name: "Memory",
                shape: Shape::Integer(&MEM),
                required: false,
            },
            PropSpec {
                name: "Items",
                shape: Shape::List(&ListShape {
                    item: Shape::Object(&INNER),
                    min_items: Some(1),
                    max_items: Some(2),
                }),
                required: false,
            },
            PropSpec {
                name: "Tags",
                shape: Shape::Map(&MapShape {
                    value: Shape::String(&StringRules::NONE),
                    key_pattern: Some("^[a-z]+$"),
                }),
                required: false,
            },
            PropSpec {
                name: "A",
                shape: Shape::Json,
                required: false,
            },
            PropSpec {
                name: "B",
                shape: Shape::Json,
                required: false,
            },
        ],
        closed: true,
        one_of_required: &[&["A"], &["B"]],
    };
    static SPEC: ResourceSpec = ResourceSpec {
        type_name: "AWS::Test::Thing",
        object: &TOP,
        attributes: &[],
        create_only: &[],
        write_only: &[],
        tagging: Tagging::None,
        regions: 0,
        region_table: &[],
        doc_url: None,
    };

    fn run(props: &[(u16, Value)]) -> Vec<Diagnostic> {
        let mut bag = PropBag::new();
        for (i, v) in props {
            bag.set(*i, Some(v.clone()));
        }
        let mut out = Vec::new();
        Validator::default().resource("S/T", &SPEC, &bag, &[], &mut out);
        out
    }

    fn codes_of(d: &[Diagnostic]) -> Vec<&'static str> {
        d.iter().map(|d| d.code).collect()
    }

    #[test]
    fn a_valid_resource_has_no_findings() {
        assert!(run(&[(0, "abcd".into()), (1, 512.into()), (4, Value::map())]).is_empty());
    }

    #[test]
    fn required_and_one_of() {
        let d = run(&[]);
        assert_eq!(codes_of(&d), [codes::REQUIRED, codes::ONE_OF]);
        assert_eq!(d[0].property.as_deref(), Some("Name"));
        assert!(d[1].message.contains("A | B"));
    }

    #[test]
    fn length_pattern_range() {
        let d = run(&[(0, "ABCDEFG".into()), (1, 64.into()), (4, Value::map())]);
        assert_eq!(codes_of(&d), [codes::LENGTH, codes::PATTERN, codes::RANGE]);
        assert!(
            d[2].message.contains("allowed: 128 to 10240"),
            "{}",
            d[2].message
        );
        assert_eq!(d[2].path, "S/T");
        assert_eq!(d[2].property.as_deref(), Some("Memory"));
    }

    #[test]
    fn nested_objects_enums_and_unknown_keys() {
        let item = Value::object([
            ("Mode", Value::from("buffered")),
            ("Flg", Value::from(true)),
        ]);
        let d = run(&[
            (0, "abc".into()),
            (2, Value::List(vec![item])),
            (4, Value::map()),
        ]);
        assert_eq!(codes_of(&d), [codes::ENUM, codes::UNKNOWN_PROPERTY]);
        assert_eq!(d[0].property.as_deref(), Some("Items[0].Mode"));
        assert_eq!(d[0].fix.as_deref(), Some("did you mean \"BUFFERED\"?"));
        assert_eq!(d[1].property.as_deref(), Some("Items[0].Flg"));
    }

    #[test]
    fn list_sizes_kinds_and_map_keys() {
        let items = Value::List(vec![]);
        let tags = Value::object([("OK", "x")]);
        let d = run(&[
            (0, "abc".into()),
            (1, "many".into()),
            (2, items),
            (3, tags),
            (4, Value::map()),
        ]);
        assert_eq!(codes_of(&d), [codes::KIND, codes::ITEMS, codes::PATTERN]);
    }

    #[test]
    fn lookaround_patterns_are_checked_too() {
        let p = Pattern::compile("^(?!aws:)[a-z:]+$").expect("fancy pattern");
        assert!(matches!(p, Pattern::Fancy(_)));
        assert!(p.is_match("team:x"));
        assert!(!p.is_match("aws:x"));
        assert!(matches!(
            Pattern::compile("^[a-z]+$"),
            Some(Pattern::Plain(_))
        ));
    }

    #[test]
    fn intrinsics_unchecked_and_dynamic_references_pass() {
        let d = run(&[
            (0, crate::Fn::ref_name("P").into()),
            (1, Value::from(1).unchecked()),
            (4, Value::map()),
        ]);
        assert!(d.is_empty(), "{d:?}");
        let d = run(&[(0, "{{resolve:ssm:/x}}".into()), (4, Value::map())]);
        assert!(d.is_empty(), "{d:?}");
    }
}
