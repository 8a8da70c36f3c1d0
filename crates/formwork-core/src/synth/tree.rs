//! Builds a `serde_json::Value` tree from the renderer's events: the
//! writer's tests compare the text with serde_json's printing of it.

use serde_json::{Map, Number, Value as Json};

use super::sink::Sink;

/// One open container: an object with the key whose value comes next, or
/// an array.
enum Open {
    Object(Map<String, Json>, Option<String>),
    Array(Vec<Json>),
}

/// Collects events into a tree.
#[derive(Default)]
pub(crate) struct TreeBuilder {
    open: Vec<Open>,
    done: Option<Json>,
}

impl TreeBuilder {
    /// The tree written (`null` when nothing was).
    pub(crate) fn finish(self) -> Json {
        self.done.unwrap_or(Json::Null)
    }

    fn put(&mut self, v: Json) {
        match self.open.last_mut() {
            Some(Open::Object(m, key)) => {
                if let Some(k) = key.take() {
                    m.insert(k, v);
                }
            }
            Some(Open::Array(items)) => items.push(v),
            None => self.done = Some(v),
        }
    }
}

impl Sink for TreeBuilder {
    fn begin_object(&mut self) {
        self.open.push(Open::Object(Map::new(), None));
    }

    fn end_object(&mut self) {
        if let Some(Open::Object(m, _)) = self.open.pop() {
            self.put(Json::Object(m));
        }
    }

    fn begin_array(&mut self) {
        self.open.push(Open::Array(Vec::new()));
    }

    fn end_array(&mut self) {
        if let Some(Open::Array(items)) = self.open.pop() {
            self.put(Json::Array(items));
        }
    }

    fn key(&mut self, key: &str) {
        if let Some(Open::Object(_, k)) = self.open.last_mut() {
            *k = Some(key.to_owned());
        }
    }

    fn null(&mut self) {
        self.put(Json::Null);
    }

    fn bool(&mut self, b: bool) {
        self.put(Json::Bool(b));
    }

    fn number(&mut self, n: &Number) {
        self.put(Json::Number(n.clone()));
    }

    fn string(&mut self, s: &str) {
        self.put(Json::String(s.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rebuilds_the_tree_it_is_given() {
        let v = json!({"a": [1, {"b": null, "c": [[], {}]}, "s", 2.5, true], "d": {}});
        let mut t = TreeBuilder::default();
        t.json(&v);
        assert_eq!(t.finish(), v);
    }
}
