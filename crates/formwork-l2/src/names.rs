//! Literal names checked against a service's character set and length, with
//! one message shape for every construct that names things.

use formwork_core::{Scope, Value};

/// What a service accepts for a name: 1 to `max` characters of ASCII
/// letters, digits and `punctuation`.
pub(crate) struct NameRule {
    /// What is named, for the message (`secret name`).
    pub(crate) kind: &'static str,
    /// The maximum length.
    pub(crate) max: usize,
    /// The punctuation allowed besides letters and digits.
    pub(crate) punctuation: &'static str,
}

impl NameRule {
    /// Reports an error on `node` when a literal `name` breaks the rule;
    /// returns true when it does. References are not checked.
    pub(crate) fn check(
        &self,
        node: &Scope,
        code: &'static str,
        property: &str,
        name: &Value,
    ) -> bool {
        let Some(n) = name.as_str() else { return false };
        let len = n.chars().count();
        let bad: Vec<char> = n
            .chars()
            .filter(|c| !(c.is_ascii_alphanumeric() || self.punctuation.contains(*c)))
            .collect();
        if len > 0 && len <= self.max && bad.is_empty() {
            return false;
        }
        let found = if bad.is_empty() {
            format!("{len} characters")
        } else {
            let list: String = bad.iter().map(|c| format!("`{c}` ")).collect();
            format!("the characters {}", list.trim_end())
        };
        let allowed: Vec<String> = self.punctuation.chars().map(String::from).collect();
        node.error(
            code,
            property,
            format!(
                "{} `{n}` has {found}; allowed: 1 to {} characters of A-Z a-z 0-9 {}",
                self.kind,
                self.max,
                allowed.join(" ")
            ),
        );
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: NameRule = NameRule {
        kind: "thing name",
        max: 5,
        punctuation: "-_",
    };

    #[test]
    fn reports_length_and_characters_once() {
        let app = formwork_core::App::new();
        let s = app.stack("S").unwrap();
        formwork_test_support::filler(&s);
        let node = s.child("T").unwrap();
        assert!(!RULE.check(&node, "FW9999", "Name", &Value::from("a-b_c")));
        assert!(!RULE.check(
            &node,
            "FW9999",
            "Name",
            &formwork_core::Fn::ref_name("P").into()
        ));
        assert!(RULE.check(&node, "FW9999", "Name", &Value::from("abcdef")));
        assert!(RULE.check(&node, "FW9999", "Name", &Value::from("a b")));
        let d = formwork_test_support::failed(&app);
        assert_eq!(d.0.len(), 2);
        assert_eq!(
            d.0[0].message,
            "thing name `abcdef` has 6 characters; allowed: 1 to 5 characters of A-Z a-z 0-9 - _"
        );
        assert_eq!(
            d.0[1].message,
            "thing name `a b` has the characters ` `; allowed: 1 to 5 characters of A-Z a-z 0-9 - _"
        );
    }
}
