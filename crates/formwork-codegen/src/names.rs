//! Rust identifiers from schema names.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "new",
];

/// `snake_case`, made a valid identifier (`type` → `type_`, `3d` → `n3d`).
pub fn snake(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let mut s = cleaned.to_snake_case();
    if s.is_empty() {
        s = "value".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// `UpperCamelCase`, made a valid type or variant name.
pub fn camel(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut s = cleaned.to_upper_camel_case();
    if s.is_empty() {
        s = "Empty".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if s == "Self" {
        s.push('_');
    }
    s
}

/// Namespaces whose lowercase name is taken by something else of the facade
/// crate `formwork`, with the module and cargo feature name they get instead:
/// `config` is the facade's typed configuration (`formwork::config`, feature
/// `config`), so `AWS::Config::*` lives in `awsconfig`.
const RENAMED_NAMESPACES: &[(&str, &str)] = &[("Config", "awsconfig")];

/// The module and cargo feature name of a CloudFormation namespace (`S3` →
/// `s3`, `Config` → `awsconfig`, see [`RENAMED_NAMESPACES`]).
pub fn namespace_module(namespace: &str) -> String {
    RENAMED_NAMESPACES
        .iter()
        .find(|(cfn, _)| *cfn == namespace)
        .map_or_else(|| namespace.to_ascii_lowercase(), |(_, m)| (*m).to_owned())
}

/// `Cfn` and a resource type's name as CloudFormation spells it
/// (`CfnDBInstance`, `CfnWebACL`), when that differs from the Rust type name
/// [`camel`] makes (`CfnDbInstance`) and is an identifier.
pub fn cfn_spelling(type_name: &str) -> Option<String> {
    let raw = format!("Cfn{type_name}");
    let ident = type_name.starts_with(|c: char| c.is_ascii_uppercase())
        && type_name.chars().all(|c| c.is_ascii_alphanumeric());
    (ident && raw != format!("Cfn{}", camel(type_name))).then_some(raw)
}

/// `UPPER_SNAKE` for statics.
pub fn upper(name: &str) -> String {
    snake(name).trim_end_matches('_').to_ascii_uppercase()
}

/// Names of the Rust prelude (and `fw`, the generated files' alias of
/// `formwork_core`) that a generated type must not shadow.
pub const PRELUDE: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Box",
    "String",
    "Vec",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "ToString",
    "ToOwned",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "FromIterator",
    "Debug",
    "Hash",
];

/// A type name from a schema name: [`camel`], with `Type` appended to a
/// name of the [`PRELUDE`] (`Option` → `OptionType`).
pub fn type_name(name: &str) -> String {
    let s = camel(name);
    if PRELUDE.contains(&s.as_str()) {
        s + "Type"
    } else {
        s
    }
}

/// Hands out unique names within one namespace of identifiers.
#[derive(Default)]
pub struct Taken(HashSet<String>);

impl Taken {
    /// Reserves names up front.
    pub fn with(names: &[&str]) -> Taken {
        Taken(names.iter().map(|s| (*s).to_owned()).collect())
    }

    /// `base`, or `base2`, `base3`, ... if taken.
    pub fn claim(&mut self, base: &str) -> String {
        if self.0.insert(base.to_owned()) {
            return base.to_owned();
        }
        (2..)
            .map(|i| format!("{base}{i}"))
            .find(|n| self.0.insert(n.clone()))
            .unwrap_or_default()
    }

    /// True when `name` is taken.
    pub fn has(&self, name: &str) -> bool {
        self.0.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_modules() {
        assert_eq!(namespace_module("S3"), "s3");
        assert_eq!(
            namespace_module("ElasticLoadBalancingV2"),
            "elasticloadbalancingv2"
        );
        assert_eq!(namespace_module("Config"), "awsconfig");
    }

    #[test]
    fn cloudformation_spellings() {
        assert_eq!(cfn_spelling("DBInstance").as_deref(), Some("CfnDBInstance"));
        assert_eq!(cfn_spelling("WebACL").as_deref(), Some("CfnWebACL"));
        assert_eq!(cfn_spelling("Bucket"), None);
    }

    #[test]
    fn identifiers() {
        assert_eq!(snake("SSEAlgorithm"), "sse_algorithm");
        assert_eq!(snake("Type"), "type_");
        assert_eq!(snake("VPCId"), "vpc_id");
        assert_eq!(snake("3DThing"), "n3d_thing");
        assert_eq!(camel("RESPONSE_STREAM"), "ResponseStream");
        assert_eq!(camel("nodejs20.x"), "Nodejs20X");
        assert_eq!(camel("1.0"), "V10");
        assert_eq!(camel("*"), "Empty");
        assert_eq!(upper("CorsRule"), "CORS_RULE");
        assert_eq!(type_name("option"), "OptionType");
        assert_eq!(type_name("Options"), "Options");
        let mut t = Taken::default();
        assert_eq!(t.claim("A"), "A");
        assert_eq!(t.claim("A"), "A2");
    }
}
