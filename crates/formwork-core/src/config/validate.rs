//! Checks settings against the JSON Schema that `schemars` makes of the
//! settings struct: the keywords it emits (types, enums, consts, patterns,
//! lengths, ranges, items, properties, required, additional properties,
//! references, alternatives).

use serde_json::{Map, Value as Json};

use super::file::{ConfigFile, Origin, kind_of};
use crate::diag::{self, Diagnostic, codes};

/// One problem, at a dotted field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) code: &'static str,
    pub(crate) path: String,
    pub(crate) message: String,
    pub(crate) fix: Option<String>,
}

impl Problem {
    fn new(code: &'static str, path: &str, message: String) -> Problem {
        Problem {
            code,
            path: path.to_owned(),
            message,
            fix: None,
        }
    }

    /// The diagnostic, naming where the value came from: the file (with
    /// its line) or the `-c` key.
    pub(crate) fn into_diagnostic(
        self,
        origins: &[(String, Origin)],
        file: Option<&ConfigFile>,
    ) -> Diagnostic {
        let origin = origins
            .iter()
            .rev()
            .filter(|(k, _)| {
                *k == self.path
                    || self.path.starts_with(&format!("{k}."))
                    || k.starts_with(&format!("{}.", self.path))
            })
            .max_by_key(|(k, _)| k.len())
            .map(|(_, o)| o.clone());
        let file_name = file.map_or_else(|| "configuration".to_owned(), ConfigFile::display);
        let (source, property, location) = match origin {
            Some(Origin::File { section, .. }) => {
                let loc = file.and_then(|f| f.location_of(section.as_deref(), &self.path));
                let prop = match &section {
                    Some(s) => format!("env.{s}.{}", self.path),
                    None => self.path.clone(),
                };
                (file_name, prop, loc)
            }
            Some(Origin::Flag(k)) => (format!("-c {k}"), self.path.clone(), None),
            Some(Origin::EnvName) => ("-c env".to_owned(), self.path.clone(), None),
            None => (file_name, self.path.clone(), None),
        };
        let mut d = Diagnostic::error(self.code, source, self.message).property(property);
        d.fix = self.fix;
        d.location = location;
        d
    }
}

/// Every problem of `value` against the root `schema`; `partial` skips
/// `required` (an environment section gives only what it changes).
pub(crate) fn check(schema: &Json, value: &Json, partial: bool) -> Vec<Problem> {
    let mut out = Vec::new();
    Checker {
        root: schema,
        partial,
    }
    .value(schema, value, "", &mut out);
    out
}

struct Checker<'a> {
    root: &'a Json,
    partial: bool,
}

fn show(v: &Json) -> String {
    match v {
        Json::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// `s[key]` of a schema object, found by comparing keys: a schema object
/// holds a handful of keywords, and serde_json's map hashes a key with
/// SipHash for a lookup (over a thousand instructions in a debug build).
fn field<'j>(s: &'j Json, key: &str) -> Option<&'j Json> {
    match s {
        Json::Object(m) => entry(m, key),
        _ => None,
    }
}

/// `m[key]`, by comparing keys when the map is small.
fn entry<'j>(m: &'j Map<String, Json>, key: &str) -> Option<&'j Json> {
    if m.len() > 16 {
        return m.get(key);
    }
    for (k, v) in m {
        if k == key {
            return Some(v);
        }
    }
    None
}

fn type_matches(ty: &str, v: &Json) -> bool {
    match ty {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        "null" => v.is_null(),
        _ => true,
    }
}

impl<'a> Checker<'a> {
    fn resolve(&self, mut s: &'a Json) -> &'a Json {
        for _ in 0..32 {
            let Some(r) = field(s, "$ref").and_then(Json::as_str) else {
                return s;
            };
            let target = r
                .strip_prefix("#/")
                .and_then(|p| p.split('/').try_fold(self.root, |acc, seg| field(acc, seg)));
            match target {
                Some(t) => s = t,
                None => return s,
            }
        }
        s
    }

    fn value(&self, schema: &'a Json, v: &Json, path: &str, out: &mut Vec<Problem>) {
        let before = out.len();
        self.value_inner(schema, v, path, out);
        if out.len() == before {
            return;
        }
        // The field's own description says what it is for: the best help.
        let description = field(schema, "description")
            .or_else(|| field(self.resolve(schema), "description"))
            .and_then(Json::as_str)
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "));
        if let Some(d) = description {
            for p in out[before..]
                .iter_mut()
                .filter(|p| p.path == path && p.fix.is_none())
            {
                p.fix = Some(format!("`{path}`: {d}"));
            }
        }
    }

    fn value_inner(&self, schema: &'a Json, v: &Json, path: &str, out: &mut Vec<Problem>) {
        let s = self.resolve(schema);
        if s == &Json::Bool(false) {
            out.push(Problem::new(
                codes::CONFIG_VALUE,
                path,
                "no value is allowed here".into(),
            ));
            return;
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(Json::Array(branches)) = field(s, key) {
                self.alternatives(branches, v, path, out);
            }
        }
        if let Some(Json::Array(all)) = field(s, "allOf") {
            for b in all {
                self.value(b, v, path, out);
            }
        }
        if let Some(Json::Array(allowed)) = field(s, "enum") {
            if !allowed.contains(v) {
                out.push(not_allowed(v, allowed, path));
                return;
            }
        }
        if let Some(c) = field(s, "const") {
            if c != v {
                out.push(not_allowed(v, std::slice::from_ref(c), path));
                return;
            }
        }
        let types: Vec<&str> = match field(s, "type") {
            Some(Json::String(t)) => vec![t.as_str()],
            Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
            _ => Vec::new(),
        };
        if !types.is_empty() && !types.iter().any(|t| type_matches(t, v)) {
            let expected: Vec<String> = types
                .iter()
                .map(|t| match *t {
                    "object" => "a table".to_owned(),
                    "array" => "a list".to_owned(),
                    "integer" => "an integer".to_owned(),
                    other => format!("a {other}"),
                })
                .collect();
            out.push(Problem::new(
                codes::CONFIG_VALUE,
                path,
                format!(
                    "expected {}, found {} {}",
                    expected.join(" or "),
                    kind_of(v),
                    show(v)
                ),
            ));
            return;
        }
        match v {
            Json::String(text) => self.string(s, text, path, out),
            Json::Number(_) => self.number(s, v, path, out),
            Json::Array(items) => self.array(s, items, path, out),
            Json::Object(m) => self.object(s, m, path, out),
            _ => {}
        }
    }

    fn alternatives(&self, branches: &'a [Json], v: &Json, path: &str, out: &mut Vec<Problem>) {
        let mut first_of_kind: Option<Vec<Problem>> = None;
        for b in branches {
            let mut p = Vec::new();
            self.value(b, v, path, &mut p);
            if p.is_empty() {
                return;
            }
            let r = self.resolve(b);
            let same_kind = match field(r, "type") {
                Some(Json::String(t)) => type_matches(t, v),
                _ => false,
            };
            if same_kind && first_of_kind.is_none() {
                first_of_kind = Some(p);
            }
        }
        let consts: Vec<Json> = branches
            .iter()
            .flat_map(|b| {
                let r = self.resolve(b);
                match (field(r, "const"), field(r, "enum")) {
                    (Some(c), _) => vec![c.clone()],
                    (None, Some(Json::Array(e))) => e.clone(),
                    _ => Vec::new(),
                }
            })
            .collect();
        if !consts.is_empty() && !v.is_null() {
            out.push(not_allowed(v, &consts, path));
        } else if let Some(p) = first_of_kind {
            out.extend(p);
        } else {
            out.push(Problem::new(
                codes::CONFIG_VALUE,
                path,
                format!("{} {} is not one of the allowed forms", kind_of(v), show(v)),
            ));
        }
    }

    fn string(&self, s: &Json, text: &str, path: &str, out: &mut Vec<Problem>) {
        let len = text.chars().count() as u64;
        let min = field(s, "minLength").and_then(Json::as_u64);
        let max = field(s, "maxLength").and_then(Json::as_u64);
        if min.is_some_and(|m| len < m) || max.is_some_and(|m| len > m) {
            let allowed = match (min, max) {
                (Some(a), Some(b)) => format!("{a} to {b} characters"),
                (Some(a), None) => format!("at least {a} characters"),
                (None, Some(b)) => format!("at most {b} characters"),
                (None, None) => String::new(),
            };
            out.push(Problem::new(
                codes::CONFIG_VALUE,
                path,
                format!("{text:?} is {len} characters; allowed: {allowed}"),
            ));
        }
        if let Some(p) = field(s, "pattern").and_then(Json::as_str) {
            match crate::pattern::Pattern::new(p) {
                Ok(re) if !re.is_match(text) => out.push(Problem::new(
                    codes::CONFIG_VALUE,
                    path,
                    format!("{text:?} does not match the pattern {p}"),
                )),
                Ok(_) => {}
                // The settings type's own pattern: said, not skipped.
                Err(e) => out.push(Problem::new(
                    codes::CONFIG_VALUE,
                    path,
                    format!("{text:?} cannot be checked against the pattern {p}: {e}"),
                )),
            }
        }
    }

    fn number(&self, s: &Json, v: &Json, path: &str, out: &mut Vec<Problem>) {
        let Some(n) = v.as_f64() else { return };
        let num = |k: &str| field(s, k).and_then(Json::as_f64);
        let (min, max) = (num("minimum"), num("maximum"));
        let shown = v.to_string();
        let range = match (min, max) {
            (Some(a), Some(b)) => format!("{a} to {b}"),
            (Some(a), None) => format!("{a} or more"),
            (None, Some(b)) => format!("{b} or less"),
            (None, None) => String::new(),
        };
        if let Some(m) = min.filter(|m| n < *m) {
            out.push(Problem::new(
                codes::CONFIG_VALUE,
                path,
                format!("{shown} is below the minimum {m}; allowed: {range}"),
            ));
        }
        if let Some(m) = max.filter(|m| n > *m) {
            out.push(Problem::new(
                codes::CONFIG_VALUE,
                path,
                format!("{shown} is above the maximum {m}; allowed: {range}"),
            ));
        }
        if let Some(m) = num("exclusiveMinimum").filter(|m| n <= *m) {
            out.push(Problem::new(
                codes::CONFIG_VALUE,
                path,
                format!("{shown} must be above {m}"),
            ));
        }
        if let Some(m) = num("exclusiveMaximum").filter(|m| n >= *m) {
            out.push(Problem::new(
                codes::CONFIG_VALUE,
                path,
                format!("{shown} must be below {m}"),
            ));
        }
    }

    fn array(&self, s: &'a Json, items: &[Json], path: &str, out: &mut Vec<Problem>) {
        let n = items.len() as u64;
        if let Some(m) = field(s, "minItems")
            .and_then(Json::as_u64)
            .filter(|m| n < *m)
        {
            out.push(Problem::new(
                codes::CONFIG_VALUE,
                path,
                format!("{n} items; at least {m} are needed"),
            ));
        }
        if let Some(m) = field(s, "maxItems")
            .and_then(Json::as_u64)
            .filter(|m| n > *m)
        {
            out.push(Problem::new(
                codes::CONFIG_VALUE,
                path,
                format!("{n} items; at most {m} are allowed"),
            ));
        }
        if let Some(item) = field(s, "items").filter(|i| i.is_object() || i.is_boolean()) {
            for (i, v) in items.iter().enumerate() {
                self.value(item, v, &format!("{path}[{i}]"), out);
            }
        }
    }

    fn object(&self, s: &'a Json, m: &Map<String, Json>, path: &str, out: &mut Vec<Problem>) {
        let empty = Map::new();
        let props = field(s, "properties")
            .and_then(Json::as_object)
            .unwrap_or(&empty);
        if !self.partial {
            if let Some(Json::Array(req)) = field(s, "required") {
                for r in req.iter().filter_map(Json::as_str) {
                    if !m.contains_key(r) {
                        let at = join(path, r);
                        out.push(Problem {
                            fix: Some(format!(
                                "set `{at}` in formwork.toml, or pass `-c {at}=VALUE`"
                            )),
                            ..Problem::new(
                                codes::CONFIG_REQUIRED,
                                &at,
                                format!("`{at}` is required and has no value"),
                            )
                        });
                    }
                }
            }
        }
        let extra = field(s, "additionalProperties");
        for (k, v) in m {
            let at = join(path, k);
            if let Some(p) = entry(props, k) {
                self.value(p, v, &at, out);
                continue;
            }
            match extra {
                Some(x @ Json::Object(_)) => self.value(x, v, &at, out),
                Some(Json::Bool(true)) => {}
                // No `additionalProperties`, or `false`: a field nobody reads
                // is a mistake, not something to ignore.
                _ => {
                    let fix = match diag::closest(k, props.keys().map(String::as_str)) {
                        Some(c) => format!("did you mean `{}`?", join(path, c)),
                        None if props.is_empty() => "this table takes no settings".to_owned(),
                        None => {
                            let names: Vec<&str> = props.keys().map(String::as_str).collect();
                            format!("the settings here are: {}", names.join(", "))
                        }
                    };
                    out.push(Problem {
                        fix: Some(fix),
                        ..Problem::new(
                            codes::CONFIG_UNKNOWN_FIELD,
                            &at,
                            format!("`{at}` is not a setting"),
                        )
                    });
                }
            }
        }
    }
}

fn not_allowed(v: &Json, allowed: &[Json], path: &str) -> Problem {
    let names: Vec<String> = allowed.iter().map(show).collect();
    let fix = v.as_str().and_then(|s| {
        let strs: Vec<&str> = allowed.iter().filter_map(Json::as_str).collect();
        diag::closest(s, strs).map(|c| format!("did you mean {c:?}?"))
    });
    Problem {
        fix,
        ..Problem::new(
            codes::CONFIG_VALUE,
            path,
            format!("{} is not allowed; allowed: {}", show(v), names.join(", ")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Rng;

    #[test]
    fn keys_found_by_comparing_are_the_hashed_ones() {
        let mut g = Rng(0x5C4E_3A00_0000_0007);
        for _ in 0..500 {
            let mut m = Map::new();
            for _ in 0..g.below(40) {
                m.insert(format!("k{}", g.below(50)), Json::from(g.below(9)));
            }
            let schema = Json::Object(m.clone());
            for k in 0..60 {
                let key = format!("k{k}");
                assert_eq!(entry(&m, &key), m.get(&key), "{key}");
                assert_eq!(field(&schema, &key), m.get(&key), "{key}");
            }
        }
        assert_eq!(field(&Json::from(1), "k1"), None);
    }
}
