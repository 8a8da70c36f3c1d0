//! Property overrides (`add_property_override`) applied to a resource's
//! typed values, so that what is validated is what is written.

use crate::resource::ResourceEntry;
use crate::value::Value;

/// The properties of a resource as they will be written: its typed values
/// with every override applied in order, and the overrides that could not
/// be applied (path, reason).
pub(crate) fn merged_props(entry: &ResourceEntry) -> (Value, Vec<(String, String)>) {
    let mut props = match entry.props() {
        Some(bag) => bag.to_value(entry.spec.object),
        None => Value::map(),
    };
    let mut problems = Vec::new();
    for (path, v) in &entry.overrides {
        if let Err(why) = apply(&mut props, path, v.clone()) {
            problems.push((path.clone(), why));
        }
    }
    (props, problems)
}

/// Sets `path` (dot-separated; digits index lists) inside `root`, creating
/// objects on the way. A list index may be at most the list's length (to
/// append); a path through a scalar or an intrinsic function is refused.
pub(crate) fn apply(root: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let segs: Vec<&str> = path.split('.').collect();
    if segs.iter().any(|s| s.is_empty()) {
        return Err("the path has an empty segment".to_owned());
    }
    let mut node = root;
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        if let Value::Unchecked(inner) = node {
            node = inner.as_mut();
        }
        if matches!(node, Value::Null) {
            *node = Value::map();
        }
        node = match node {
            Value::Map(m) => {
                let slot = m.entry((*seg).to_owned()).or_insert(Value::Null);
                if last {
                    *slot = value;
                    return Ok(());
                }
                slot
            }
            Value::List(items) => {
                let Ok(index) = seg.parse::<usize>() else {
                    return Err(format!("`{seg}` is not an index into a list"));
                };
                if index > items.len() {
                    return Err(format!(
                        "index {index} is past the end of a list of {} item(s)",
                        items.len()
                    ));
                }
                if index == items.len() {
                    items.push(Value::Null);
                }
                if last {
                    items[index] = value;
                    return Ok(());
                }
                &mut items[index]
            }
            Value::Expr(_) => {
                return Err(format!(
                    "`{}` is an intrinsic function; a path cannot go inside it",
                    segs[..i].join(".")
                ));
            }
            other => {
                return Err(format!(
                    "`{}` is a {}; a path cannot go inside it",
                    segs[..i].join("."),
                    other.kind()
                ));
            }
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_create_index_and_append() {
        let mut v = Value::object([("A", Value::list([Value::object([("x", 1)])]))]);
        apply(&mut v, "A.0.y", Value::from(2)).unwrap();
        apply(&mut v, "A.1.z", Value::from(3)).unwrap();
        apply(&mut v, "B.C", Value::from("z")).unwrap();
        apply(&mut v, "D", Value::from(true)).unwrap();
        assert_eq!(
            v,
            Value::object([
                (
                    "A",
                    Value::list([
                        Value::object([("x", 1), ("y", 2)]),
                        Value::object([("z", 3)])
                    ])
                ),
                ("B", Value::object([("C", "z")])),
                ("D", Value::from(true)),
            ])
        );
    }

    #[test]
    fn impossible_paths_are_refused_not_guessed() {
        let mut v = Value::object([("A", Value::list([1])), ("S", Value::from("s"))]);
        assert!(
            apply(&mut v, "A.5", Value::from(1))
                .unwrap_err()
                .contains("past the end")
        );
        assert!(
            apply(&mut v, "A.99999999999.x", Value::from(1))
                .unwrap_err()
                .contains("past the end")
        );
        assert!(
            apply(&mut v, "A.x", Value::from(1))
                .unwrap_err()
                .contains("not an index")
        );
        assert!(
            apply(&mut v, "S.x", Value::from(1))
                .unwrap_err()
                .contains("is a string")
        );
        assert!(apply(&mut v, "", Value::from(1)).is_err());
        assert!(apply(&mut v, "A..B", Value::from(1)).is_err());
        let mut e = Value::object([("R", crate::Fn::ref_name("X"))]);
        assert!(
            apply(&mut e, "R.x", Value::from(1))
                .unwrap_err()
                .contains("intrinsic")
        );
    }
}
