//! What CloudFormation refuses about a template as a whole: a stack without
//! resources, a long description, an unknown region, tags past the limits,
//! export names used twice or spelt wrong, output descriptions, mappings and
//! parameter fields past their limits.

use crate::fasthash::FastMap;

use crate::diag::{Diagnostic, codes};
use crate::env::Environment;
use crate::value::Value;

use super::view::StackView;

/// The longest template description CloudFormation takes, in bytes.
pub const DESCRIPTION_BYTES: usize = 1024;
/// The most tags a resource takes.
pub const TAGS_PER_RESOURCE: usize = 50;
/// The longest tag key, in characters.
pub const TAG_KEY_CHARS: usize = 128;
/// The longest tag value, in characters.
pub const TAG_VALUE_CHARS: usize = 256;

/// Checks of the stack itself: resources, description.
pub(crate) fn stack(view: &StackView<'_>, out: &mut Vec<Diagnostic>) {
    let d = &view.data;
    if d.resources.is_empty() {
        out.push(
            Diagnostic::error(
                codes::EMPTY_STACK,
                view.name,
                "the stack has no resources; CloudFormation refuses a template without any",
            )
            .fix("add a resource, or remove the stack from the app"),
        );
    }
    if let Some(desc) = &d.description {
        if desc.len() > DESCRIPTION_BYTES {
            out.push(
                Diagnostic::error(
                    codes::DESCRIPTION,
                    view.name,
                    format!(
                        "the description is {} bytes; CloudFormation takes at most {DESCRIPTION_BYTES}",
                        desc.len()
                    ),
                )
                .fix("shorten the description"),
            );
        }
    }
    for (name, o) in &d.outputs {
        if let Some(desc) = &o.description {
            if desc.len() > DESCRIPTION_BYTES {
                out.push(Diagnostic::error(
                    codes::TEMPLATE_PART,
                    format!("{}/{name} (output)", view.name),
                    format!(
                        "the output description is {} bytes; CloudFormation takes at most {DESCRIPTION_BYTES}",
                        desc.len()
                    ),
                ));
            }
        }
    }
    mappings(view, out);
    parameters(view, out);
}

fn mappings(view: &StackView<'_>, out: &mut Vec<Diagnostic>) {
    let key_ok = |k: &str, extra: &[char]| {
        !k.is_empty()
            && k.len() <= 255
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
    };
    for (name, m) in &view.data.mappings {
        let path = format!("{}/{name} (mapping)", view.name);
        let mut err =
            |msg: String| out.push(Diagnostic::error(codes::TEMPLATE_PART, path.clone(), msg));
        if m.entries.is_empty() {
            err("a mapping needs at least one key".to_owned());
        }
        if m.entries.len() > 200 {
            err(format!(
                "{} keys; a mapping takes at most 200",
                m.entries.len()
            ));
        }
        for (top, second) in &m.entries {
            if !key_ok(top, &['-', '.']) {
                err(format!(
                    "key {top:?} is not allowed: a mapping's keys are 1 to 255 letters, digits, `-` and `.`"
                ));
            }
            if second.is_empty() {
                err(format!(
                    "key {top:?} has no attributes; it needs at least one"
                ));
            }
            if second.len() > 200 {
                err(format!(
                    "key {top:?} has {} attributes; at most 200",
                    second.len()
                ));
            }
            for (k, v) in second {
                if !key_ok(k, &[]) {
                    err(format!(
                        "attribute {top}.{k} is not allowed: attribute names are 1 to 255 letters and digits"
                    ));
                }
                if !mapping_value_ok(v) {
                    err(format!(
                        "{top}.{k} is a {}; a mapping value is a string, number, boolean or list of them",
                        v.kind()
                    ));
                }
            }
        }
    }
}

fn mapping_value_ok(v: &Value) -> bool {
    match v {
        Value::String(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_) => true,
        Value::List(items) => items.iter().all(|i| {
            matches!(
                i,
                Value::String(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_)
            )
        }),
        Value::Unchecked(inner) => mapping_value_ok(inner),
        _ => false,
    }
}

fn parameters(view: &StackView<'_>, out: &mut Vec<Diagnostic>) {
    for (name, p) in &view.data.parameters {
        let path = format!("{}/{name} (parameter)", view.name);
        let mut err =
            |msg: String| out.push(Diagnostic::error(codes::PARAMETER, path.clone(), msg));
        if let Some(d) = &p.description {
            if d.chars().count() > 4000 {
                err(format!(
                    "the description has {} characters; CloudFormation takes at most 4000",
                    d.chars().count()
                ));
            }
        }
        if let Some(d) = p.default.as_ref().and_then(Value::as_str) {
            if d.chars().count() > 4096 {
                err(format!(
                    "the default has {} characters; CloudFormation takes at most 4096",
                    d.chars().count()
                ));
            }
        }
        if p.max_length.is_some_and(|m| m > 4096) {
            err(
                "MaxLength is over 4096, the longest parameter value CloudFormation takes"
                    .to_owned(),
            );
        }
        for v in p.allowed_values.iter().filter_map(Value::as_str) {
            if v.chars().count() > 4096 {
                err("an allowed value is over 4096 characters".to_owned());
            }
        }
    }
}

/// Tags as written in a resource: at most 50, keys up to 128 characters,
/// values up to 256, no key starting with `aws:` (reserved for AWS).
///
/// `tags` is the property as synth holds it, intrinsics unrendered: only
/// literal keys and values are judged, and an intrinsic is never one (its
/// rendered object has no `Key` or `Value`, and is no tag map), so the
/// answers are those over the rendered property, without rendering it.
pub(crate) fn tags(path: &str, prop: &str, tags: &Value, out: &mut Vec<Diagnostic>) {
    let mut tags = tags;
    while let Value::Unchecked(inner) = tags {
        tags = inner;
    }
    let mut err = |msg: String| {
        out.push(
            Diagnostic::error(codes::TAG_LIMITS, path, msg)
                .property(prop)
                .fix("AWS takes at most 50 tags per resource, keys of 1 to 128 characters, values of up to 256, and keys not starting with `aws:`"),
        );
    };
    let count = match tags {
        Value::List(items) => items.len(),
        Value::Map(m) => {
            let mut k = 0;
            while let Some((key, _)) = m.get_index(k) {
                if key == "Ref" || key.starts_with("Fn::") {
                    return;
                }
                k += 1;
            }
            m.len()
        }
        _ => return,
    };
    if count > TAGS_PER_RESOURCE {
        err(format!(
            "{count} tags (stack tags included); AWS takes at most {TAGS_PER_RESOURCE} per resource"
        ));
    }
    for j in 0..count {
        let (k, v) = match tags {
            Value::List(items) => {
                let t = &items[j];
                (
                    t.get("Key").and_then(Value::as_str),
                    t.get("Value").and_then(Value::as_str),
                )
            }
            Value::Map(m) => match m.get_index(j) {
                Some((k, v)) => (Some(k.as_str()), v.as_str()),
                None => continue,
            },
            _ => return,
        };
        if let Some(k) = k {
            // The length in characters is at most the length in bytes: it
            // is counted only when the bytes are over the limit.
            if k.is_empty() || k.len() > TAG_KEY_CHARS {
                let n = k.chars().count();
                if n == 0 || n > TAG_KEY_CHARS {
                    err(format!(
                        "tag key {k:?} has {n} characters; allowed: 1 to {TAG_KEY_CHARS}"
                    ));
                }
            }
            if k.len() >= 4 && k.as_bytes()[..4].eq_ignore_ascii_case(b"aws:") {
                err(format!(
                    "tag key {k:?} starts with `aws:`, which is reserved for AWS"
                ));
            }
        }
        if let Some(v) = v {
            if v.len() > TAG_VALUE_CHARS {
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
}

/// One export: its name, the stack declaring it, where it is declared.
pub(crate) struct ExportUse<'a> {
    pub(crate) name: String,
    pub(crate) stack: &'a str,
    pub(crate) env: &'a Environment,
    pub(crate) path: String,
}

/// Export names are unique per account and region, and spelt with letters,
/// digits, `:` and `-`.
pub(crate) fn exports(uses: &[ExportUse<'_>], out: &mut Vec<Diagnostic>) {
    let mut seen: FastMap<&str, Vec<&ExportUse<'_>>> = FastMap::default();
    for u in uses {
        if u.name.is_empty()
            || !u
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '-')
        {
            out.push(
                Diagnostic::error(
                    codes::EXPORT_NAME,
                    u.path.clone(),
                    format!(
                        "export name {:?} is not allowed: CloudFormation takes letters, digits, `:` and `-`",
                        u.name
                    ),
                )
                .property("Export.Name"),
            );
        }
        let clash = seen
            .get(u.name.as_str())
            .and_then(|prev| prev.iter().find(|p| same_place(p.env, u.env)));
        if let Some(prev) = clash {
            let stacks = if prev.stack != u.stack {
                "two stacks of the app"
            } else {
                "two outputs of one stack"
            };
            let prev = prev.path.clone();
            out.push(
                Diagnostic::error(
                    codes::EXPORT_NAME,
                    u.path.clone(),
                    format!(
                        "export name {:?} is also exported by {prev}: {stacks} cannot export one name in one account and region",
                        u.name
                    ),
                )
                .property("Export.Name")
                .fix("give each export its own name"),
            );
        }
        seen.entry(u.name.as_str()).or_default().push(u);
    }
}

/// Two environments that may be the same account and region.
fn same_place(a: &Environment, b: &Environment) -> bool {
    let may = |x: &Option<String>, y: &Option<String>| match (x, y) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    may(&a.region, &b.region) && may(&a.account, &b.account)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tag_limits() {
        let mut out = Vec::new();
        tags(
            "S/R",
            "Tags",
            &Value::from(json!([{"Key": "a", "Value": "b"}])),
            &mut out,
        );
        assert!(out.is_empty());
        let many: Vec<Value> = (0..51)
            .map(|i| Value::from(json!({"Key": format!("k{i}"), "Value": "v"})))
            .collect();
        tags("S/R", "Tags", &Value::List(many), &mut out);
        assert_eq!(out.len(), 1);
        out.clear();
        tags(
            "S/R",
            "Tags",
            &Value::from(json!({"aws:x": "v", "k".repeat(129): "v", "ok": "v".repeat(257)})),
            &mut out,
        );
        assert_eq!(out.len(), 3, "{out:?}");
        assert!(out.iter().all(|d| d.code == codes::TAG_LIMITS));
        out.clear();
        tags("S/R", "Tags", &Value::from(json!({"Ref": "P"})), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn export_names_clash_only_where_they_may_meet() {
        let tokyo = Environment::agnostic().region("ap-northeast-1");
        let virginia = Environment::agnostic().region("us-east-1");
        let any = Environment::agnostic();
        let u = |name: &str, stack: &'static str, env| ExportUse {
            name: name.into(),
            stack,
            env,
            path: format!("{stack}/Out (output)"),
        };
        let mut out = Vec::new();
        exports(&[u("x", "A", &tokyo), u("x", "B", &virginia)], &mut out);
        assert!(out.is_empty(), "different regions");
        exports(&[u("x", "A", &tokyo), u("x", "B", &any)], &mut out);
        assert_eq!(out.len(), 1);
        assert!(
            out[0].message.contains("two stacks of the app"),
            "{}",
            out[0]
        );
        out.clear();
        exports(&[u("x", "A", &tokyo), u("x", "A", &tokyo)], &mut out);
        assert!(out[0].message.contains("two outputs of one stack"));
        out.clear();
        exports(&[u("bad name", "A", &tokyo)], &mut out);
        assert_eq!(out.len(), 1);
    }
}
