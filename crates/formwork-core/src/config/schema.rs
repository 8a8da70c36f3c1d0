//! The settings' JSON Schema: the one the file is checked against, the one
//! printed for editors, and what `-c` values are parsed as.

use schemars::JsonSchema;
use serde_json::{Map, Value as Json, json};

/// The JSON Schema of the configuration file for settings `T`, pretty
/// printed: `T`'s fields at the top level (none required there, since an
/// environment section may give them) and `env`, one table per environment
/// with the same fields. Point an editor at it (Taplo's `#:schema` comment,
/// or VS Code's `json.schemas`) to get completion and checks.
///
/// ```
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Settings {
///     /// Bucket name suffix.
///     suffix: Option<String>,
/// }
/// let text = formwork::config::schema::<Settings>();
/// let schema: serde_json::Value = serde_json::from_str(&text)?;
/// assert!(schema["properties"]["suffix"].is_object());
/// assert!(schema["properties"]["env"]["additionalProperties"].is_object());
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn schema<T: JsonSchema>() -> String {
    let root = serde_json::to_value(schemars::schema_for!(T)).unwrap_or(Json::Null);
    file_schema_text(&root)
}

/// The file schema of a settings schema, as pretty text.
pub(crate) fn file_schema_text(root: &Json) -> String {
    let mut s = pretty(&file_schema(root));
    s.push('\n');
    s
}

fn pretty(v: &Json) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn file_schema(root: &Json) -> Json {
    let mut props: Map<String, Json> = root
        .get("properties")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    // The environment name comes from `-c env`, not from the file.
    props.remove("env");
    let mut defs: Map<String, Json> = root
        .get("$defs")
        .and_then(Json::as_object)
        .cloned()
        .unwrap_or_default();
    defs.insert(
        "EnvironmentSettings".to_owned(),
        json!({
            "description": "Settings for one environment; they override the top-level ones.",
            "type": "object",
            "properties": props.clone(),
            "additionalProperties": false,
        }),
    );
    let mut top = props;
    top.insert(
        "env".to_owned(),
        json!({
            "description": "One table per environment ([env.dev], [env.prod]); `-c env=<name>` selects one.",
            "type": "object",
            "additionalProperties": { "$ref": "#/$defs/EnvironmentSettings" },
        }),
    );
    let mut out = Map::new();
    out.insert(
        "$schema".to_owned(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    for k in ["title", "description"] {
        if let Some(v) = root.get(k) {
            out.insert(k.to_owned(), v.clone());
        }
    }
    out.insert("type".to_owned(), json!("object"));
    out.insert("properties".to_owned(), Json::Object(top));
    out.insert("additionalProperties".to_owned(), json!(false));
    out.insert("$defs".to_owned(), Json::Object(defs));
    Json::Object(out)
}

/// The top-level field names of a settings schema.
pub(crate) fn property_names(root: &Json) -> Vec<String> {
    root.get("properties")
        .and_then(Json::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn resolve<'a>(root: &'a Json, s: &'a Json) -> &'a Json {
    match s.get("$ref").and_then(Json::as_str) {
        Some(r) => r
            .strip_prefix("#/")
            .and_then(|p| p.split('/').try_fold(root, |acc, seg| acc.get(seg)))
            .unwrap_or(s),
        None => s,
    }
}

/// The types a field's schema allows (through references and alternatives).
fn types_at(root: &Json, dotted: &str) -> Vec<String> {
    let mut s = root;
    for seg in dotted.split('.') {
        let here = resolve(root, s);
        match here.get("properties").and_then(|p| p.get(seg)) {
            Some(next) => s = next,
            None => return Vec::new(),
        }
    }
    let mut out = Vec::new();
    collect_types(root, s, &mut out);
    out
}

fn collect_types(root: &Json, s: &Json, out: &mut Vec<String>) {
    let s = resolve(root, s);
    match s.get("type") {
        Some(Json::String(t)) => out.push(t.clone()),
        Some(Json::Array(ts)) => out.extend(ts.iter().filter_map(Json::as_str).map(str::to_owned)),
        _ => {}
    }
    for k in ["anyOf", "oneOf", "allOf"] {
        if let Some(Json::Array(bs)) = s.get(k) {
            for b in bs {
                collect_types(root, b, out);
            }
        }
    }
}

/// A `-c` value as the field's type: a number, a boolean, a list or table
/// (written as JSON), else the text itself. What does not parse stays text,
/// and the schema check says what was expected.
pub(crate) fn coerce(root: &Json, dotted: &str, raw: &str) -> Json {
    let types = types_at(root, dotted);
    let has = |t: &str| types.iter().any(|x| x == t);
    if has("string") {
        return Json::String(raw.to_owned());
    }
    if has("integer") || has("number") {
        if let Ok(n) = raw.parse::<i64>() {
            return json!(n);
        }
        if let Ok(f) = raw.parse::<f64>() {
            if let Some(n) = serde_json::Number::from_f64(f) {
                return Json::Number(n);
            }
        }
    }
    if has("boolean") {
        match raw {
            "true" => return Json::Bool(true),
            "false" => return Json::Bool(false),
            _ => {}
        }
    }
    if has("array") || has("object") {
        if let Ok(v) = serde_json::from_str::<Json>(raw) {
            return v;
        }
    }
    Json::String(raw.to_owned())
}
