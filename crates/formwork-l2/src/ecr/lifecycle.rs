//! Lifecycle rules of a repository, rendered as the JSON policy text ECR
//! takes, and checked the way ECR checks them.

use std::collections::HashMap;

use formwork_core::{Scope, json_text};
#[cfg(test)]
use serde_json::json;

use super::codes;

/// ECR accepts at most this many rules in a lifecycle policy.
const MAX_RULES: usize = 50;
/// Where the diagnostics about lifecycle rules point.
const PROPERTY: &str = "LifecyclePolicy.LifecyclePolicyText";

#[derive(Clone, Debug, PartialEq)]
enum Selection {
    Any,
    Untagged,
    Tagged(Vec<String>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Count {
    ImagesMoreThan(u32),
    SincePushedDays(u32),
}

/// One rule of a repository's lifecycle policy: which images (any,
/// untagged, or tagged with a prefix) expire, by count or by age.
///
/// Rules are evaluated by priority, lowest first. Without an explicit
/// [`priority`](LifecycleRule::priority), rules get 1, 2, 3… in the order
/// they are added, except that rules on any image come after all the others
/// (ECR requires them to be evaluated last).
///
/// ```
/// use formwork::ecr::LifecycleRule;
/// let untagged = LifecycleRule::expire_untagged_after_days(7);
/// let releases = LifecycleRule::keep_last(50).tag_prefixes(["v", "release-"]);
/// let everything = LifecycleRule::keep_last(200);
/// # let _ = (untagged, releases, everything);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LifecycleRule {
    description: Option<String>,
    priority: Option<u32>,
    selection: Selection,
    count: Count,
}

impl LifecycleRule {
    /// Keeps the `images` most recently pushed images, expiring the older
    /// ones (of any tag status; narrow with [`tag_prefixes`](Self::tag_prefixes)
    /// or [`untagged`](Self::untagged)).
    pub fn keep_last(images: u32) -> Self {
        LifecycleRule {
            description: None,
            priority: None,
            selection: Selection::Any,
            count: Count::ImagesMoreThan(images),
        }
    }

    /// Expires images `days` days after they were pushed (of any tag
    /// status; narrow as for [`keep_last`](Self::keep_last)).
    pub fn expire_after_days(days: u32) -> Self {
        LifecycleRule {
            count: Count::SincePushedDays(days),
            ..LifecycleRule::keep_last(0)
        }
    }

    /// Expires untagged images `days` days after they were pushed.
    pub fn expire_untagged_after_days(days: u32) -> Self {
        LifecycleRule::expire_after_days(days).untagged()
    }

    /// Applies the rule to untagged images only.
    pub fn untagged(mut self) -> Self {
        self.selection = Selection::Untagged;
        self
    }

    /// Applies the rule to images with a tag starting with one of `prefixes`.
    pub fn tag_prefixes<S: Into<String>>(mut self, prefixes: impl IntoIterator<Item = S>) -> Self {
        self.selection = Selection::Tagged(prefixes.into_iter().map(Into::into).collect());
        self
    }

    /// A description shown in the console (one is written for you otherwise).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// An explicit priority (1 or more, unique in the repository; lower runs first).
    pub fn priority(mut self, priority: u32) -> Self {
        self.priority = Some(priority);
        self
    }

    fn default_description(&self) -> String {
        let which = match &self.selection {
            Selection::Any => "images".to_owned(),
            Selection::Untagged => "untagged images".to_owned(),
            Selection::Tagged(p) => format!(
                "images tagged {}",
                p.iter()
                    .map(|p| format!("{p}*"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        match self.count {
            Count::ImagesMoreThan(n) => format!("Keep the last {n} {which}"),
            Count::SincePushedDays(n) => format!("Expire {which} {n} days after push"),
        }
    }

    /// The rule as ECR's policy JSON, compact, keys in this order (what
    /// [`policy_text`] writes, straight into text).
    fn write_json(&self, priority: u32, out: &mut String) {
        out.push_str("{\"rulePriority\":");
        out.push_str(&priority.to_string());
        out.push_str(",\"description\":");
        match &self.description {
            Some(d) => out.push_str(&json_text::quoted(d)),
            None => out.push_str(&json_text::quoted(&self.default_description())),
        }
        out.push_str(",\"selection\":{\"tagStatus\":");
        match &self.selection {
            Selection::Any => out.push_str("\"any\""),
            Selection::Untagged => out.push_str("\"untagged\""),
            Selection::Tagged(prefixes) => {
                out.push_str("\"tagged\",\"tagPrefixList\":[");
                for (i, p) in prefixes.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&json_text::quoted(p));
                }
                out.push(']');
            }
        }
        let n = match self.count {
            Count::ImagesMoreThan(n) => {
                out.push_str(",\"countType\":\"imageCountMoreThan\",\"countNumber\":");
                n
            }
            Count::SincePushedDays(n) => {
                out.push_str(
                    ",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":",
                );
                n
            }
        };
        out.push_str(&n.to_string());
        out.push_str("},\"action\":{\"type\":\"expire\"}}");
    }

    /// The same through serde_json: the tests' reference for
    /// [`write_json`](Self::write_json).
    #[cfg(test)]
    fn to_json(&self, priority: u32) -> serde_json::Value {
        let mut selection = serde_json::Map::new();
        match &self.selection {
            Selection::Any => {
                selection.insert("tagStatus".into(), json!("any"));
            }
            Selection::Untagged => {
                selection.insert("tagStatus".into(), json!("untagged"));
            }
            Selection::Tagged(prefixes) => {
                selection.insert("tagStatus".into(), json!("tagged"));
                selection.insert("tagPrefixList".into(), json!(prefixes));
            }
        }
        match self.count {
            Count::ImagesMoreThan(n) => {
                selection.insert("countType".into(), json!("imageCountMoreThan"));
                selection.insert("countNumber".into(), json!(n));
            }
            Count::SincePushedDays(n) => {
                selection.insert("countType".into(), json!("sinceImagePushed"));
                selection.insert("countUnit".into(), json!("days"));
                selection.insert("countNumber".into(), json!(n));
            }
        }
        json!({
            "rulePriority": priority,
            "description": self.description.clone().unwrap_or_else(|| self.default_description()),
            "selection": selection,
            "action": {"type": "expire"},
        })
    }
}

/// The priority of each rule: explicit ones as given; the others the
/// smallest free numbers in order, rules on any image after everything else.
fn priorities(rules: &[LifecycleRule]) -> Vec<u32> {
    let mut out: Vec<u32> = rules.iter().map(|r| r.priority.unwrap_or(0)).collect();
    let mut used: Vec<u32> = rules.iter().filter_map(|r| r.priority).collect();
    let mut next = 1;
    for (i, r) in rules.iter().enumerate() {
        if r.priority.is_none() && r.selection != Selection::Any {
            while used.contains(&next) {
                next += 1;
            }
            out[i] = next;
            used.push(next);
        }
    }
    let mut last = used.iter().copied().max().unwrap_or(0);
    for (i, r) in rules.iter().enumerate() {
        if r.priority.is_none() && r.selection == Selection::Any {
            last += 1;
            out[i] = last;
        }
    }
    out
}

/// The lifecycle policy text, rules ordered by priority.
pub(crate) fn policy_text(rules: &[LifecycleRule]) -> String {
    let prio = priorities(rules);
    let mut order: Vec<usize> = (0..rules.len()).collect();
    order.sort_by_key(|&i| (prio[i], i));
    // Straight into text: a serde_json tree and its printer cost about ten
    // times as much in a debug build.
    let mut out = String::from("{\"rules\":[");
    for (n, &i) in order.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        rules[i].write_json(prio[i], &mut out);
    }
    out.push_str("]}");
    out
}

/// Checks the rules the way ECR does; reports on `node`.
pub(crate) fn validate(node: &Scope, rules: &[LifecycleRule]) {
    if rules.len() > MAX_RULES {
        node.error(
            codes::LIFECYCLE_TOO_MANY_RULES,
            PROPERTY,
            format!("{} lifecycle rules; ECR allows at most {MAX_RULES} in a repository's lifecycle policy", rules.len()),
        );
    }
    let prio = priorities(rules);
    let mut seen: HashMap<u32, usize> = HashMap::new();
    for (i, r) in rules.iter().enumerate() {
        if r.priority == Some(0) {
            node.error(
                codes::LIFECYCLE_PRIORITY,
                PROPERTY,
                format!("lifecycle rule {i} has priority 0; priorities are 1 or more"),
            );
            continue;
        }
        if let Some(first) = seen.get(&prio[i]) {
            node.error(
                codes::LIFECYCLE_PRIORITY,
                PROPERTY,
                format!("lifecycle rules {first} and {i} both have priority {}; priorities must be unique", prio[i]),
            );
        } else {
            seen.insert(prio[i], i);
        }
    }
    let highest = prio.iter().copied().max().unwrap_or(0);
    for (i, r) in rules.iter().enumerate() {
        if r.selection == Selection::Any && prio[i] != highest && prio[i] != 0 {
            node.error(
                codes::LIFECYCLE_ANY_LAST,
                PROPERTY,
                format!(
                    "lifecycle rule {i} applies to any image with priority {}, but priority {highest} is higher; ECR requires a rule on any image to have the highest priority (evaluated last)",
                    prio[i]
                ),
            );
        }
        let (n, unit) = match r.count {
            Count::ImagesMoreThan(n) => (n, "images"),
            Count::SincePushedDays(n) => (n, "days"),
        };
        if n == 0 {
            node.error(
                codes::LIFECYCLE_COUNT,
                PROPERTY,
                format!("lifecycle rule {i} counts 0 {unit}; the count must be at least 1"),
            );
        }
        if let Selection::Tagged(prefixes) = &r.selection {
            if prefixes.is_empty() {
                node.error(
                    codes::LIFECYCLE_TAG_PREFIXES,
                    PROPERTY,
                    format!("lifecycle rule {i} applies to tagged images but lists no tag prefix; give at least one"),
                );
            } else if prefixes.iter().any(String::is_empty) {
                node.error(
                    codes::LIFECYCLE_TAG_PREFIXES,
                    PROPERTY,
                    format!("lifecycle rule {i} has an empty tag prefix; to match every image use `keep_last`/`expire_after_days` without prefixes"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use formwork_core::{App, Diagnostic};
    use serde_json::json;

    use super::*;
    use crate::ecr::{Repository, RepositoryProps};

    fn errors(rules: Vec<LifecycleRule>, code: &str) -> Vec<Diagnostic> {
        let app = App::new();
        let stack = app.stack("Stack").unwrap();
        let props = rules
            .into_iter()
            .fold(RepositoryProps::new(), RepositoryProps::lifecycle_rule);
        Repository::new(&stack, "Repo", props).unwrap();
        let ds = app.synth().unwrap_err().diagnostics().unwrap().0.clone();
        assert!(ds.iter().all(|d| d.code == code), "{ds:#?}");
        ds
    }

    fn one(rules: Vec<LifecycleRule>, code: &str) -> Diagnostic {
        let mut ds = errors(rules, code);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        let d = ds.remove(0);
        assert_eq!(d.path, "Stack/Repo");
        assert_eq!(d.property.as_deref(), Some(PROPERTY));
        d
    }

    #[test]
    fn the_text_is_serde_jsons_printing_of_the_rules() {
        let rules = [
            LifecycleRule::keep_last(20),
            LifecycleRule::expire_untagged_after_days(7),
            LifecycleRule::keep_last(5)
                .tag_prefixes(["v", "re\"lease-"])
                .description("Keep \"releases\"\n"),
            LifecycleRule::expire_untagged_after_days(30).tag_prefixes(["tmp-"]),
            LifecycleRule::keep_last(3).tag_prefixes(Vec::<String>::new()),
        ];
        let prio = priorities(&rules);
        let mut order: Vec<usize> = (0..rules.len()).collect();
        order.sort_by_key(|&i| (prio[i], i));
        let reference: Vec<serde_json::Value> =
            order.iter().map(|&i| rules[i].to_json(prio[i])).collect();
        assert_eq!(
            policy_text(&rules),
            json!({ "rules": reference }).to_string()
        );
    }

    #[test]
    fn rules_render_as_ecr_policy_json_with_priorities() {
        let text = policy_text(&[
            LifecycleRule::keep_last(20),
            LifecycleRule::expire_untagged_after_days(7),
            LifecycleRule::keep_last(5)
                .tag_prefixes(["v", "release-"])
                .description("Releases"),
        ]);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v,
            json!({"rules": [
                {
                    "rulePriority": 1,
                    "description": "Expire untagged images 7 days after push",
                    "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7},
                    "action": {"type": "expire"}
                },
                {
                    "rulePriority": 2,
                    "description": "Releases",
                    "selection": {"tagStatus": "tagged", "tagPrefixList": ["v", "release-"], "countType": "imageCountMoreThan", "countNumber": 5},
                    "action": {"type": "expire"}
                },
                {
                    "rulePriority": 3,
                    "description": "Keep the last 20 images",
                    "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 20},
                    "action": {"type": "expire"}
                }
            ]})
        );
    }

    #[test]
    fn explicit_priorities_are_kept_and_others_fill_in() {
        let rules = [
            LifecycleRule::expire_untagged_after_days(1).priority(10),
            LifecycleRule::keep_last(3).tag_prefixes(["dev-"]),
            LifecycleRule::expire_after_days(365),
        ];
        assert_eq!(priorities(&rules), [10, 1, 11]);
        assert_eq!(
            LifecycleRule::keep_last(3)
                .tag_prefixes(["a"])
                .default_description(),
            "Keep the last 3 images tagged a*"
        );
    }

    #[test]
    fn priorities_are_unique_and_positive() {
        let ds = errors(
            vec![
                LifecycleRule::expire_untagged_after_days(1).priority(2),
                LifecycleRule::keep_last(3)
                    .tag_prefixes(["dev-"])
                    .priority(2),
                LifecycleRule::keep_last(3).tag_prefixes(["x-"]).priority(0),
            ],
            codes::LIFECYCLE_PRIORITY,
        );
        assert_eq!(ds.len(), 2, "{ds:#?}");
        assert_eq!(
            ds[0].message,
            "lifecycle rules 0 and 1 both have priority 2; priorities must be unique"
        );
        assert_eq!(
            ds[1].message,
            "lifecycle rule 2 has priority 0; priorities are 1 or more"
        );
    }

    #[test]
    fn a_rule_on_any_image_runs_last() {
        let d = one(
            vec![
                LifecycleRule::keep_last(10).priority(1),
                LifecycleRule::expire_untagged_after_days(1).priority(2),
            ],
            codes::LIFECYCLE_ANY_LAST,
        );
        assert!(
            d.message.starts_with(
                "lifecycle rule 0 applies to any image with priority 1, but priority 2 is higher"
            ),
            "{}",
            d.message
        );
    }

    #[test]
    fn counts_are_at_least_one() {
        let d = one(vec![LifecycleRule::keep_last(0)], codes::LIFECYCLE_COUNT);
        assert_eq!(
            d.message,
            "lifecycle rule 0 counts 0 images; the count must be at least 1"
        );
        let d = one(
            vec![LifecycleRule::expire_untagged_after_days(0)],
            codes::LIFECYCLE_COUNT,
        );
        assert_eq!(
            d.message,
            "lifecycle rule 0 counts 0 days; the count must be at least 1"
        );
    }

    #[test]
    fn tagged_rules_need_prefixes() {
        let d = one(
            vec![LifecycleRule::keep_last(1).tag_prefixes(Vec::<String>::new())],
            codes::LIFECYCLE_TAG_PREFIXES,
        );
        assert!(d.message.contains("lists no tag prefix"));
        let d = one(
            vec![LifecycleRule::keep_last(1).tag_prefixes([""])],
            codes::LIFECYCLE_TAG_PREFIXES,
        );
        assert!(d.message.contains("an empty tag prefix"));
    }

    #[test]
    fn at_most_fifty_rules() {
        let rules = (0..51)
            .map(|i| LifecycleRule::keep_last(1).tag_prefixes([format!("t{i}-")]))
            .collect();
        let d = one(rules, codes::LIFECYCLE_TOO_MANY_RULES);
        assert_eq!(
            d.message,
            "51 lifecycle rules; ECR allows at most 50 in a repository's lifecycle policy"
        );
    }
}
