//! Patterns a template's values are matched against: partial objects,
//! wildcards, captures.

use indexmap::IndexMap;
use serde_json::Value as Json;

/// What a value must look like.
///
/// A `serde_json::Value` converts into a pattern where objects match
/// *partially* (the keys given must match, others may be present, at every
/// depth), and lists and scalars match exactly. The builders add what JSON
/// cannot say:
///
/// ```
/// use formwork::testing::Pattern;
/// use serde_json::json;
/// let p = Pattern::object([
///     ("BucketName", Pattern::glob("sfai-*-config-*")),
///     ("VersioningConfiguration", json!({"Status": "Enabled"}).into()),
///     ("WebsiteConfiguration", Pattern::absent()),
/// ]);
/// let value = json!({"BucketName": "sfai-prod-config-a1", "VersioningConfiguration": {"Status": "Enabled"}});
/// assert!(p.matches(&value).is_ok());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Pattern {
    /// Equal to this value (objects: every key, no other).
    Exact(Json),
    /// An object with at least these keys, each matching.
    Object(Vec<(String, Pattern)>),
    /// A list of exactly these items, in order.
    List(Vec<Pattern>),
    /// A list holding, in any order, an item matching each of these.
    ListWith(Vec<Pattern>),
    /// A string matching a wildcard (`*` any run, `?` one character).
    Glob(String),
    /// Anything present.
    Any,
    /// The key is not there (in an object pattern).
    Absent,
    /// Matches the inner pattern and records the value under a name.
    Capture(String, Box<Pattern>),
}

/// Values recorded by [`Pattern::capture`], by name.
pub type Captures = IndexMap<String, Json>;

/// One reason a value did not match: where, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The path in the value (`Properties.Tags[0].Key`).
    pub at: String,
    /// What was expected and what was found.
    pub what: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.at.is_empty() {
            "(top)"
        } else {
            &self.at
        };
        write!(f, "{at}: {}", self.what)
    }
}

impl From<Json> for Pattern {
    fn from(v: Json) -> Pattern {
        match v {
            Json::Object(m) => Pattern::Object(m.into_iter().map(|(k, v)| (k, v.into())).collect()),
            Json::Array(items) => Pattern::List(items.into_iter().map(Pattern::from).collect()),
            other => Pattern::Exact(other),
        }
    }
}

impl From<&str> for Pattern {
    fn from(s: &str) -> Pattern {
        Pattern::Exact(Json::String(s.to_owned()))
    }
}

impl Pattern {
    /// Equal to `value` as a whole (no partial objects).
    pub fn exact(value: Json) -> Pattern {
        Pattern::Exact(value)
    }

    /// An object with at least these keys.
    pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Pattern)>) -> Pattern {
        Pattern::Object(entries.into_iter().map(|(k, p)| (k.into(), p)).collect())
    }

    /// A list holding an item matching each pattern, in any order.
    pub fn list_with(items: impl IntoIterator<Item = Pattern>) -> Pattern {
        Pattern::ListWith(items.into_iter().collect())
    }

    /// A string matching a wildcard: `*` any run of characters, `?` one.
    pub fn glob(pattern: impl Into<String>) -> Pattern {
        Pattern::Glob(pattern.into())
    }

    /// Anything present.
    pub fn any() -> Pattern {
        Pattern::Any
    }

    /// The key must not be there.
    pub fn absent() -> Pattern {
        Pattern::Absent
    }

    /// Anything, recorded under `name`.
    pub fn capture(name: impl Into<String>) -> Pattern {
        Pattern::Capture(name.into(), Box::new(Pattern::Any))
    }

    /// Matching `self`, recorded under `name`.
    pub fn captured_as(self, name: impl Into<String>) -> Pattern {
        Pattern::Capture(name.into(), Box::new(self))
    }

    /// Matches a value: the captures, or every mismatch.
    pub fn matches(&self, value: &Json) -> Result<Captures, Vec<Mismatch>> {
        let mut caps = Captures::new();
        let mut miss = Vec::new();
        self.check(Some(value), "", &mut caps, &mut miss);
        if miss.is_empty() { Ok(caps) } else { Err(miss) }
    }

    fn check(&self, v: Option<&Json>, at: &str, caps: &mut Captures, miss: &mut Vec<Mismatch>) {
        let mut fail = |what: String| {
            miss.push(Mismatch {
                at: at.to_owned(),
                what,
            })
        };
        let Some(v) = v else {
            if *self != Pattern::Absent {
                fail(format!("missing; expected {}", self.describe()));
            }
            return;
        };
        match self {
            Pattern::Absent => fail(format!("expected no value, found {}", short(v))),
            Pattern::Any => {}
            Pattern::Exact(e) => {
                if e != v {
                    fail(format!("expected {}, found {}", short(e), short(v)));
                }
            }
            Pattern::Glob(g) => match v.as_str() {
                Some(s) if glob_match(g, s) => {}
                _ => fail(format!("expected a string like {g:?}, found {}", short(v))),
            },
            Pattern::Capture(name, inner) => {
                let before = miss.len();
                inner.check(Some(v), at, caps, miss);
                if miss.len() == before {
                    caps.insert(name.clone(), v.clone());
                }
            }
            Pattern::Object(entries) => {
                let Some(m) = v.as_object() else {
                    fail(format!("expected an object, found {}", short(v)));
                    return;
                };
                for (k, p) in entries {
                    p.check(m.get(k), &join(at, k), caps, miss);
                }
            }
            Pattern::List(items) => {
                let Some(list) = v.as_array() else {
                    fail(format!("expected a list, found {}", short(v)));
                    return;
                };
                if list.len() != items.len() {
                    fail(format!(
                        "expected {} items, found {}: {}",
                        items.len(),
                        list.len(),
                        short(v)
                    ));
                    return;
                }
                for (i, (p, item)) in items.iter().zip(list).enumerate() {
                    p.check(Some(item), &format!("{at}[{i}]"), caps, miss);
                }
            }
            Pattern::ListWith(items) => {
                let Some(list) = v.as_array() else {
                    fail(format!("expected a list, found {}", short(v)));
                    return;
                };
                for p in items {
                    let found = list.iter().find_map(|item| p.matches(item).ok());
                    match found {
                        Some(c) => caps.extend(c),
                        None => fail(format!("no item matches {}", p.describe())),
                    }
                }
            }
        }
    }

    fn describe(&self) -> String {
        match self {
            Pattern::Exact(v) => short(v),
            Pattern::Object(_) => "an object".to_owned(),
            Pattern::List(items) => format!("a list of {} items", items.len()),
            Pattern::ListWith(_) => "a list".to_owned(),
            Pattern::Glob(g) => format!("a string like {g:?}"),
            Pattern::Any => "a value".to_owned(),
            Pattern::Absent => "no value".to_owned(),
            Pattern::Capture(_, p) => p.describe(),
        }
    }
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

fn short(v: &Json) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

/// `*` matches any run of characters, `?` one character, everything else itself.
///
/// ```
/// use formwork::testing::glob_match;
/// assert!(glob_match("s3:*", "s3:GetObject"));
/// assert!(glob_match("arn:aws:s3:::sfai-??-*", "arn:aws:s3:::sfai-eu-data"));
/// assert!(!glob_match("s3:Get*", "s3:PutObject"));
/// ```
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_match_partially_lists_exactly() {
        let v = json!({"A": 1, "B": {"C": [1, 2], "D": "x"}});
        assert!(Pattern::from(json!({"B": {"D": "x"}})).matches(&v).is_ok());
        let miss = Pattern::from(json!({"B": {"C": [1]}}))
            .matches(&v)
            .unwrap_err();
        assert_eq!(miss[0].at, "B.C");
        let miss = Pattern::from(json!({"A": 2, "E": 1}))
            .matches(&v)
            .unwrap_err();
        assert_eq!(
            miss.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["A: expected 2, found 1", "E: missing; expected 1"]
        );
        assert!(Pattern::exact(json!({"A": 1})).matches(&v).is_err());
    }

    #[test]
    fn captures_wildcards_and_list_with() {
        let v = json!({"Roles": [{"Ref": "FnRole"}], "Action": ["s3:GetObject", "s3:ListBucket"]});
        let p = Pattern::object([
            (
                "Roles",
                Pattern::List(vec![Pattern::object([("Ref", Pattern::capture("role"))])]),
            ),
            ("Action", Pattern::list_with([Pattern::glob("s3:List*")])),
            ("Missing", Pattern::absent()),
        ]);
        let caps = p.matches(&v).unwrap();
        assert_eq!(caps["role"], "FnRole");
        assert!(
            Pattern::list_with([Pattern::glob("kms:*")])
                .matches(&v["Action"])
                .is_err()
        );
    }

    #[test]
    fn globs() {
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "aXXbYc"));
        assert!(!glob_match("a*b", "ab c"));
        assert!(glob_match("a?c", "abc"));
    }
}
