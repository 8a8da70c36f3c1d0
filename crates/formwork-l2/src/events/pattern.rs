//! EventPattern: which events a rule matches, built field by field or
//! given as raw JSON, checked at synth.

use serde_json::{Map, Value as Json};

/// Which events a [`Rule`](super::Rule) matches: a typed builder for the
/// common fields, or raw JSON ([`EventPattern::raw`]) for content
/// filtering (`prefix`, `anything-but`, `numeric`, …).
///
/// EventBridge matches a field against a list of values, so every leaf of
/// a pattern is a JSON array; a pattern that is empty, not an object, or
/// has a leaf that is not an array is error `FW4502`
/// ([`codes::PATTERN`](super::codes::PATTERN)).
///
/// ```
/// use formwork::events::EventPattern;
/// use serde_json::json;
/// let typed = EventPattern::new()
///     .source(["aws.s3"])
///     .detail_type(["Object Created"])
///     .detail(json!({"bucket": {"name": ["uploads"]}}));
/// assert_eq!(
///     typed.to_json(),
///     json!({"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"bucket": {"name": ["uploads"]}}})
/// );
/// let raw = EventPattern::raw(json!({"source": ["shop.orders"], "detail": {"total": [{"numeric": [">", 100]}]}}));
/// assert!(raw.problems().is_empty());
/// assert!(!EventPattern::raw(json!({"source": "shop.orders"})).problems().is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventPattern(Json);

impl EventPattern {
    /// An empty pattern, to fill with the setters (at least one is needed).
    pub fn new() -> EventPattern {
        EventPattern(Json::Object(Map::new()))
    }

    /// A pattern as EventBridge's JSON (checked when the rule is made).
    pub fn raw(pattern: Json) -> EventPattern {
        EventPattern(pattern)
    }

    fn list<S: Into<String>>(mut self, key: &str, values: impl IntoIterator<Item = S>) -> Self {
        let list: Vec<Json> = values.into_iter().map(|v| Json::String(v.into())).collect();
        if let Json::Object(m) = &mut self.0 {
            m.insert(key.to_owned(), Json::Array(list));
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

    /// The pattern of the event's `detail` (its leaves are arrays).
    pub fn detail(mut self, detail: Json) -> Self {
        if let Json::Object(m) = &mut self.0 {
            m.insert("detail".to_owned(), detail);
        }
        self
    }

    /// The pattern as JSON.
    pub fn to_json(&self) -> Json {
        self.0.clone()
    }

    /// What EventBridge would refuse in this pattern (empty when none).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        match &self.0 {
            Json::Object(m) if m.is_empty() => {
                out.push(
                    "the event pattern is empty; give at least one field (source, detail-type, …)"
                        .to_owned(),
                );
            }
            Json::Object(m) => leaves(m, "", &mut out),
            other => out.push(format!("the event pattern `{other}` is not a JSON object")),
        }
        out
    }
}

fn leaves(m: &Map<String, Json>, at: &str, out: &mut Vec<String>) {
    for (k, v) in m {
        let path = if at.is_empty() {
            k.clone()
        } else {
            format!("{at}.{k}")
        };
        match v {
            Json::Object(inner) if inner.is_empty() => {
                out.push(format!(
                    "`{path}` is an empty object; give it fields or remove it"
                ));
            }
            Json::Object(inner) => leaves(inner, &path, out),
            Json::Array(a) if a.is_empty() => {
                out.push(format!("`{path}` is an empty list, which matches nothing"));
            }
            Json::Array(_) => {}
            other => out.push(format!(
                "`{path}` is `{other}`; EventBridge matches against a list: write `[{other}]`"
            )),
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
    }
}
