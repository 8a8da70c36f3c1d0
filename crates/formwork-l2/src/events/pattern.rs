//! EventPattern: which events a rule matches, built field by field or
//! given as raw JSON, checked at synth.

use formwork_core::{Value, ValueMap};
use serde_json::Value as Json;

/// Which events a [`Rule`](super::Rule) matches: a typed builder for the
/// common fields, or raw JSON ([`EventPattern::raw`]) for content
/// filtering (`prefix`, `anything-but`, `numeric`, …). A value known only
/// at deploy time (a bucket's generated name, `bucket.bucket_name()`) goes
/// in a [`detail`](EventPattern::detail) given as a template
/// [`Value`](formwork_core::Value).
///
/// EventBridge matches a field against a list of values, so every leaf of
/// a pattern is a JSON array; a pattern that is empty, not an object, or
/// has a leaf that is not an array is error `FW4502`
/// ([`codes::PATTERN`](super::codes::PATTERN)).
///
/// ```
/// use formwork::events::EventPattern;
/// use formwork::{Fn, Value};
/// use serde_json::json;
/// let typed = EventPattern::new()
///     .source(["aws.s3"])
///     .detail_type(["Object Created"])
///     .detail(json!({"bucket": {"name": ["uploads"]}}));
/// assert_eq!(
///     typed.to_value(),
///     Value::from(json!({"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"bucket": {"name": ["uploads"]}}}))
/// );
/// let generated_name = Value::object([("bucket", Value::object([("name", Value::list([Fn::ref_name("Uploads")]))]))]);
/// assert!(EventPattern::new().source(["aws.s3"]).detail(generated_name).problems().is_empty());
/// let raw = EventPattern::raw(json!({"source": ["shop.orders"], "detail": {"total": [{"numeric": [">", 100]}]}}));
/// assert!(raw.problems().is_empty());
/// assert!(!EventPattern::raw(json!({"source": "shop.orders"})).problems().is_empty());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct EventPattern(Value);

impl Default for EventPattern {
    fn default() -> Self {
        EventPattern::new()
    }
}

impl EventPattern {
    /// An empty pattern, to fill with the setters (at least one is needed).
    pub fn new() -> EventPattern {
        EventPattern(Value::map())
    }

    /// A pattern as EventBridge's JSON (checked when the rule is made).
    pub fn raw(pattern: Json) -> EventPattern {
        EventPattern(pattern.into())
    }

    fn list<S: Into<String>>(mut self, key: &str, values: impl IntoIterator<Item = S>) -> Self {
        let list: Vec<Value> = values
            .into_iter()
            .map(|v| Value::String(v.into()))
            .collect();
        if let Value::Map(m) = &mut self.0 {
            m.insert(key.to_owned(), Value::List(list));
        }
        self
    }

    /// Events from these sources (`aws.s3`, `shop.orders`).
    pub fn source<S: Into<String>>(self, sources: impl IntoIterator<Item = S>) -> Self {
        self.list("source", sources)
    }

    /// Events of these detail types (`Object Created`).
    pub fn detail_type<S: Into<String>>(self, types: impl IntoIterator<Item = S>) -> Self {
        self.list("detail-type", types)
    }

    /// Events from these accounts.
    pub fn account<S: Into<String>>(self, accounts: impl IntoIterator<Item = S>) -> Self {
        self.list("account", accounts)
    }

    /// Events from these regions.
    pub fn region<S: Into<String>>(self, regions: impl IntoIterator<Item = S>) -> Self {
        self.list("region", regions)
    }

    /// Events about these resource ARNs.
    pub fn resources<S: Into<String>>(self, arns: impl IntoIterator<Item = S>) -> Self {
        self.list("resources", arns)
    }

    /// The pattern of the event's `detail` (its leaves are arrays): JSON
    /// (`json!({"state": ["running"]})`), or a template
    /// [`Value`](formwork_core::Value) holding values known at deploy time
    /// (a `Ref`), which CloudFormation writes into the pattern.
    pub fn detail(mut self, detail: impl Into<Value>) -> Self {
        if let Value::Map(m) = &mut self.0 {
            m.insert("detail".to_owned(), detail.into());
        }
        self
    }

    /// The pattern as a template value (JSON, with any deploy-time values
    /// as intrinsic functions).
    pub fn to_value(&self) -> Value {
        self.0.clone()
    }

    /// What EventBridge would refuse in this pattern (empty when none).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        match unchecked(&self.0) {
            Value::Map(m) if m.is_empty() => {
                out.push(
                    "the event pattern is empty; give at least one field (source, detail-type, …)"
                        .to_owned(),
                );
            }
            Value::Map(m) => leaves(m, "", &mut out),
            other => out.push(format!(
                "the event pattern `{}` is not a JSON object",
                shown(other)
            )),
        }
        out
    }
}

fn unchecked(v: &Value) -> &Value {
    match v {
        Value::Unchecked(inner) => unchecked(inner),
        other => other,
    }
}

/// A value as a message shows it: JSON for a literal, the function's name
/// for an intrinsic.
fn shown(v: &Value) -> String {
    match unchecked(v) {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::String(s) => Json::String(s.clone()).to_string(),
        Value::List(l) => format!("[{}]", l.iter().map(shown).collect::<Vec<_>>().join(",")),
        Value::Map(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}:{}", Json::String(k.clone()), shown(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
        Value::Expr(e) => format!("{{\"{}\": …}}", e.intrinsic().name()),
        Value::Unchecked(_) => String::new(),
    }
}

fn leaves(m: &ValueMap, at: &str, out: &mut Vec<String>) {
    for (k, v) in m {
        let path = if at.is_empty() {
            k.clone()
        } else {
            format!("{at}.{k}")
        };
        match unchecked(v) {
            Value::Map(inner) if inner.is_empty() => {
                out.push(format!(
                    "`{path}` is an empty object; give it fields or remove it"
                ));
            }
            Value::Map(inner) => leaves(inner, &path, out),
            Value::List(a) if a.is_empty() => {
                out.push(format!("`{path}` is an empty list, which matches nothing"));
            }
            Value::List(_) => {}
            other => {
                let other = shown(other);
                out.push(format!(
                    "`{path}` is `{other}`; EventBridge matches against a list: write `[{other}]`"
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patterns_are_checked_leaf_by_leaf() {
        assert!(
            EventPattern::new()
                .account(["123456789012"])
                .region(["ap-northeast-1"])
                .resources(["arn:aws:s3:::b"])
                .problems()
                .is_empty()
        );
        let p = |v| EventPattern::raw(v).problems();
        assert!(p(json!({}))[0].contains("empty"));
        assert!(p(json!(["a"]))[0].contains("not a JSON object"));
        assert_eq!(
            p(json!({"detail": {"state": "running", "x": []}, "source": {}})),
            [
                "`detail.state` is `\"running\"`; EventBridge matches against a list: write `[\"running\"]`",
                "`detail.x` is an empty list, which matches nothing",
                "`source` is an empty object; give it fields or remove it"
            ]
        );
        assert!(EventPattern::new().problems()[0].contains("at least one field"));
        let name = Value::from(formwork_core::Fn::ref_name("Uploads"));
        let detail = |v: Value| {
            EventPattern::new()
                .detail(Value::object([("bucket", Value::object([("name", v)]))]))
                .problems()
        };
        assert!(detail(Value::list([name.clone()])).is_empty());
        assert_eq!(
            detail(name),
            [
                "`detail.bucket.name` is `{\"Ref\": …}`; EventBridge matches against a list: write `[{\"Ref\": …}]`"
            ]
        );
    }
}
