//! The naming rule ECS shares between clusters, services, families,
//! containers and volumes.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Scope};

/// What is wrong with a name under ECS's rule (1 to 255 letters, digits,
/// hyphens and underscores), if anything.
pub(crate) fn problem(kind: &str, name: &str) -> Option<String> {
    let len = name.chars().count();
    if len == 0 || len > 255 {
        return Some(format!(
            "{kind} `{name}` is {len} characters long; allowed: 1 to 255 letters, digits, hyphens and underscores"
        ));
    }
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        .map(|c| {
            format!(
                "{kind} `{name}` contains `{c}`; allowed: 1 to 255 letters, digits, hyphens and underscores"
            )
        })
}

/// Reports `code` on `node` when a literal name breaks ECS's rule; returns
/// false then.
pub(crate) fn check(
    node: &Scope,
    code: &'static str,
    property: &str,
    kind: &str,
    name: &Str,
) -> bool {
    let value = name.clone().into_value();
    let Some(text) = value.as_str() else {
        return true;
    };
    match problem(kind, text) {
        Some(msg) => {
            node.report(Diagnostic::error(code, node.path(), msg).property(property));
            false
        }
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_ecs_rule() {
        assert_eq!(problem("cluster name", "weather_cluster-1"), None);
        assert_eq!(
            problem("cluster name", "weather.cluster").as_deref(),
            Some(
                "cluster name `weather.cluster` contains `.`; allowed: 1 to 255 letters, digits, hyphens and underscores"
            )
        );
        assert!(problem("family", "").is_some_and(|m| m.contains("0 characters")));
        assert!(problem("family", &"a".repeat(256)).is_some_and(|m| m.contains("256 characters")));
    }
}
