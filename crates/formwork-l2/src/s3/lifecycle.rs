//! Lifecycle rules: typed, and checked the way S3 checks them when the
//! bucket is created, so that a rule S3 refuses fails synth instead of the
//! deploy.

use std::collections::HashMap;

use formwork_core::Scope;
use formwork_l1::s3::bucket;

use super::{codes, report};

/// S3 accepts at most this many lifecycle rules per bucket.
const MAX_RULES: usize = 1000;
/// The minimum age (days) for a transition to an infrequent-access class,
/// and the minimum stay in one before the next transition.
const IA_MIN_DAYS: u32 = 30;

/// A storage class objects can transition to.
///
/// Listed in S3's waterfall order: within one rule, transitions go down
/// this list (`STANDARD_IA` → `INTELLIGENT_TIERING` → `ONEZONE_IA` →
/// `GLACIER_IR` → `GLACIER` → `DEEP_ARCHIVE`), except that `ONEZONE_IA`
/// cannot move to `GLACIER_IR`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StorageClass {
    /// `STANDARD_IA`: infrequent access; at least 30 days after creation.
    StandardIa,
    /// `INTELLIGENT_TIERING`: any age.
    IntelligentTiering,
    /// `ONEZONE_IA`: infrequent access in one zone; at least 30 days after creation.
    OnezoneIa,
    /// `GLACIER_IR`: Glacier Instant Retrieval; any age.
    GlacierInstantRetrieval,
    /// `GLACIER`: Glacier Flexible Retrieval; any age.
    Glacier,
    /// `DEEP_ARCHIVE`: Glacier Deep Archive; any age.
    DeepArchive,
}

impl StorageClass {
    /// The class as S3 spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            StorageClass::StandardIa => "STANDARD_IA",
            StorageClass::IntelligentTiering => "INTELLIGENT_TIERING",
            StorageClass::OnezoneIa => "ONEZONE_IA",
            StorageClass::GlacierInstantRetrieval => "GLACIER_IR",
            StorageClass::Glacier => "GLACIER",
            StorageClass::DeepArchive => "DEEP_ARCHIVE",
        }
    }

    const ALL: [StorageClass; 6] = [
        StorageClass::StandardIa,
        StorageClass::IntelligentTiering,
        StorageClass::OnezoneIa,
        StorageClass::GlacierInstantRetrieval,
        StorageClass::Glacier,
        StorageClass::DeepArchive,
    ];

    /// True for the classes S3 makes objects wait 30 days for (and stay 30 days in).
    fn is_infrequent_access(self) -> bool {
        matches!(self, StorageClass::StandardIa | StorageClass::OnezoneIa)
    }

    /// True when S3 can move objects from `self` to `next`.
    fn can_move_to(self, next: StorageClass) -> bool {
        next > self
            && !(self == StorageClass::OnezoneIa && next == StorageClass::GlacierInstantRetrieval)
    }

    fn allowed_after(self) -> String {
        let next: Vec<&str> = StorageClass::ALL
            .iter()
            .filter(|c| self.can_move_to(**c))
            .map(|c| c.as_str())
            .collect();
        if next.is_empty() {
            "none".to_owned()
        } else {
            next.join(", ")
        }
    }

    fn to_cfn(self) -> bucket::StorageClass {
        match self {
            StorageClass::StandardIa => bucket::StorageClass::StandardIa,
            StorageClass::IntelligentTiering => bucket::StorageClass::IntelligentTiering,
            StorageClass::OnezoneIa => bucket::StorageClass::OnezoneIa,
            StorageClass::GlacierInstantRetrieval => bucket::StorageClass::GlacierIr,
            StorageClass::Glacier => bucket::StorageClass::Glacier,
            StorageClass::DeepArchive => bucket::StorageClass::DeepArchive,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Expiration {
    Days(u32),
    Date(String),
}

/// One lifecycle rule: which objects (a key prefix and/or tags) and what
/// happens to them (expiration, transitions, noncurrent-version actions,
/// aborting incomplete multipart uploads).
///
/// Checked at synth the way S3 checks it: a transition to `STANDARD_IA` or
/// `ONEZONE_IA` needs at least 30 days; expiration comes after every
/// transition; transitions follow S3's storage-class order with increasing
/// days and stay 30 days in an infrequent-access class; a rule needs an
/// action; days are at least 1.
///
/// ```
/// use formwork::s3::{LifecycleRule, StorageClass};
/// let rule = LifecycleRule::new()
///     .id("archive-logs")
///     .prefix("logs/")
///     .transition(StorageClass::StandardIa, 30)
///     .transition(StorageClass::Glacier, 90)
///     .expiration_days(365)
///     .abort_incomplete_multipart_upload_after_days(7);
/// # let _ = rule;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LifecycleRule {
    id: Option<String>,
    enabled: bool,
    prefix: Option<String>,
    tag_filters: Vec<(String, String)>,
    expiration: Option<Expiration>,
    expired_object_delete_marker: bool,
    transitions: Vec<(StorageClass, u32)>,
    noncurrent_expiration: Option<(u32, Option<u32>)>,
    noncurrent_transitions: Vec<(StorageClass, u32)>,
    abort_multipart_days: Option<u32>,
}

impl Default for LifecycleRule {
    fn default() -> Self {
        LifecycleRule::new()
    }
}

impl LifecycleRule {
    /// An enabled rule for every object of the bucket, with no action yet.
    pub fn new() -> Self {
        LifecycleRule {
            id: None,
            enabled: true,
            prefix: None,
            tag_filters: Vec::new(),
            expiration: None,
            expired_object_delete_marker: false,
            transitions: Vec::new(),
            noncurrent_expiration: None,
            noncurrent_transitions: Vec::new(),
            abort_multipart_days: None,
        }
    }

    /// The rule's id (unique in the bucket, up to 255 characters).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Enables or disables the rule (enabled by default).
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = enabled;
        self
    }

    /// Applies the rule to keys starting with `prefix` (`sessions/`).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// Applies the rule to objects with this tag (several tags: all of them).
    pub fn tag_filter(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tag_filters.push((key.into(), value.into()));
        self
    }

    /// Deletes objects `days` days after their creation (at least 1).
    pub fn expiration_days(mut self, days: u32) -> Self {
        self.expiration = Some(Expiration::Days(days));
        self
    }

    /// Deletes objects on a date, `YYYY-MM-DD` (midnight UTC).
    pub fn expiration_date(mut self, date: impl Into<String>) -> Self {
        self.expiration = Some(Expiration::Date(date.into()));
        self
    }

    /// Removes delete markers that have no noncurrent version left
    /// (versioned buckets; not with an expiration or tag filters).
    pub fn expired_object_delete_marker(mut self) -> Self {
        self.expired_object_delete_marker = true;
        self
    }

    /// Moves objects to `class` `days` days after creation (at least 30 for
    /// `STANDARD_IA` and `ONEZONE_IA`; 0 or more for the others).
    pub fn transition(mut self, class: StorageClass, days: u32) -> Self {
        self.transitions.push((class, days));
        self
    }

    /// Deletes versions `days` days after they become noncurrent (versioned buckets).
    pub fn noncurrent_version_expiration_days(mut self, days: u32) -> Self {
        self.noncurrent_expiration = Some((days, None));
        self
    }

    /// Deletes versions `days` days after they become noncurrent, but keeps
    /// the `newer_versions` most recent noncurrent ones (1 to 100).
    pub fn noncurrent_version_expiration_keeping(mut self, days: u32, newer_versions: u32) -> Self {
        self.noncurrent_expiration = Some((days, Some(newer_versions)));
        self
    }

    /// Moves versions to `class` `days` days after they become noncurrent
    /// (at least 30 for `STANDARD_IA` and `ONEZONE_IA`, at least 1 otherwise).
    pub fn noncurrent_version_transition(mut self, class: StorageClass, days: u32) -> Self {
        self.noncurrent_transitions.push((class, days));
        self
    }

    /// Aborts multipart uploads still incomplete `days` days after they
    /// started (at least 1; not with tag filters).
    pub fn abort_incomplete_multipart_upload_after_days(mut self, days: u32) -> Self {
        self.abort_multipart_days = Some(days);
        self
    }

    fn has_action(&self) -> bool {
        self.expiration.is_some()
            || self.expired_object_delete_marker
            || !self.transitions.is_empty()
            || self.noncurrent_expiration.is_some()
            || !self.noncurrent_transitions.is_empty()
            || self.abort_multipart_days.is_some()
    }

    fn needs_versioning(&self) -> bool {
        self.expired_object_delete_marker
            || self.noncurrent_expiration.is_some()
            || !self.noncurrent_transitions.is_empty()
    }

    fn name(&self, index: usize) -> String {
        match &self.id {
            Some(id) => format!("lifecycle rule {index} (`{id}`)"),
            None => format!("lifecycle rule {index}"),
        }
    }

    pub(crate) fn to_cfn(&self) -> bucket::Rule {
        let mut r = bucket::Rule::new().status(if self.enabled {
            bucket::RuleStatus::Enabled
        } else {
            bucket::RuleStatus::Disabled
        });
        if let Some(id) = &self.id {
            r = r.id(id.as_str());
        }
        if let Some(p) = &self.prefix {
            r = r.prefix(p.as_str());
        }
        if !self.tag_filters.is_empty() {
            r = r.tag_filters(
                self.tag_filters
                    .iter()
                    .map(|(k, v)| bucket::TagFilter::new().key(k.as_str()).value(v.as_str())),
            );
        }
        match &self.expiration {
            Some(Expiration::Days(d)) => r = r.expiration_in_days(*d),
            Some(Expiration::Date(d)) => r = r.expiration_date(format!("{d}T00:00:00Z")),
            None => {}
        }
        if self.expired_object_delete_marker {
            r = r.expired_object_delete_marker(true);
        }
        if !self.transitions.is_empty() {
            r = r.transitions(self.transitions.iter().map(|(c, d)| {
                bucket::Transition::new()
                    .storage_class(c.to_cfn())
                    .transition_in_days(*d)
            }));
        }
        if let Some((days, newer)) = self.noncurrent_expiration {
            let mut e = bucket::NoncurrentVersionExpiration::new().noncurrent_days(days);
            if let Some(n) = newer {
                e = e.newer_noncurrent_versions(n);
            }
            r = r.noncurrent_version_expiration(e);
        }
        if !self.noncurrent_transitions.is_empty() {
            r = r.noncurrent_version_transitions(self.noncurrent_transitions.iter().map(
                |(c, d)| {
                    bucket::NoncurrentVersionTransition::new()
                        .storage_class(c.to_cfn())
                        .transition_in_days(*d)
                },
            ));
        }
        if let Some(d) = self.abort_multipart_days {
            r = r.abort_incomplete_multipart_upload(
                bucket::AbortIncompleteMultipartUpload::new().days_after_initiation(d),
            );
        }
        r
    }
}

/// True for `YYYY-MM-DD` with a plausible month and day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    matches!((num(0..4), num(5..7), num(8..10)), (Some(_), Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d))
}

/// Which of a rule's two transition lists is being checked.
struct TransitionList<'a> {
    /// `Transitions` or `NoncurrentVersionTransitions`.
    property: &'static str,
    /// "objects" or "noncurrent versions".
    what: &'static str,
    /// "after creation" or "after they become noncurrent".
    since: &'static str,
    items: &'a [(StorageClass, u32)],
    /// The rule's expiration in days for this list, if any.
    expiration: Option<u32>,
    /// The smallest number of days allowed for a class that has no 30-day minimum.
    min_days: u32,
}

fn check_transitions(node: &Scope, rule: &str, base: &str, list: &TransitionList<'_>) {
    let TransitionList {
        property,
        what,
        since,
        items,
        expiration,
        min_days,
    } = *list;
    for (j, &(class, days)) in items.iter().enumerate() {
        let prop = format!("{base}.{property}[{j}]");
        if class.is_infrequent_access() && days < IA_MIN_DAYS {
            let mut message = format!(
                "{rule} moves {what} to {c} {days} days {since}; S3 allows a transition to {c} only at {IA_MIN_DAYS} days or later",
                c = class.as_str()
            );
            let fix = match expiration {
                Some(exp) if exp <= IA_MIN_DAYS => {
                    message.push_str(&format!(
                        ", and the rule expires the {what} at {exp} days, so they would never reach {c}",
                        c = class.as_str()
                    ));
                    format!("remove the transition: the {what} are deleted at {exp} days anyway")
                }
                Some(exp) => format!(
                    "transition at {IA_MIN_DAYS} to {} days, before the expiration at {exp} days",
                    exp - 1
                ),
                None => format!("transition at {IA_MIN_DAYS} days or later"),
            };
            report(node, codes::LIFECYCLE_IA_MINIMUM, &prop, message, Some(fix));
        } else if days < min_days {
            report(
                node,
                codes::LIFECYCLE_RANGE,
                &prop,
                format!(
                    "{rule} moves {what} to {} at {days} days; the number of days must be at least {min_days}",
                    class.as_str()
                ),
                None,
            );
        } else if let Some(exp) = expiration.filter(|exp| days >= *exp) {
            report(
                node,
                codes::LIFECYCLE_EXPIRATION_NOT_AFTER_TRANSITION,
                &prop,
                format!(
                    "{rule} moves {what} to {} at {days} days but expires them at {exp} days; S3 requires the expiration to be later than every transition of the rule",
                    class.as_str()
                ),
                Some(format!(
                    "expire after more than {days} days, or remove the transition"
                )),
            );
        }
    }
    // Order: by days, the classes must go down S3's waterfall.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&j| (items[j].1, j));
    for pair in order.windows(2) {
        let (p, n) = (pair[0], pair[1]);
        let ((pc, pd), (nc, nd)) = (items[p], items[n]);
        let prop = format!("{base}.{property}[{n}]");
        if pd == nd {
            report(
                node,
                codes::LIFECYCLE_TRANSITION_ORDER,
                &prop,
                format!(
                    "{rule} has two transitions at {nd} days ({} and {}); transitions of a rule must be on different days",
                    pc.as_str(),
                    nc.as_str()
                ),
                None,
            );
        } else if !pc.can_move_to(nc) {
            report(
                node,
                codes::LIFECYCLE_TRANSITION_ORDER,
                &prop,
                format!(
                    "{rule} moves {what} to {} at {pd} days, then to {} at {nd} days; S3 cannot transition from {} to {} (allowed after {}: {}; order: STANDARD_IA, INTELLIGENT_TIERING, ONEZONE_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE)",
                    pc.as_str(),
                    nc.as_str(),
                    pc.as_str(),
                    nc.as_str(),
                    pc.as_str(),
                    pc.allowed_after()
                ),
                None,
            );
        } else if pc.is_infrequent_access() && nd - pd < IA_MIN_DAYS {
            report(
                node,
                codes::LIFECYCLE_IA_STAY,
                &prop,
                format!(
                    "{rule} moves {what} to {} at {pd} days, then to {} at {nd} days; S3 requires {IA_MIN_DAYS} days in {} before the next transition",
                    pc.as_str(),
                    nc.as_str(),
                    pc.as_str()
                ),
                Some(format!(
                    "transition to {} at {} days or later",
                    nc.as_str(),
                    pd + IA_MIN_DAYS
                )),
            );
        }
    }
}

/// Checks lifecycle rules the way S3 does; reports on `node`.
pub(crate) fn validate(node: &Scope, rules: &[LifecycleRule], versioned: bool) {
    if rules.len() > MAX_RULES {
        node.error(
            codes::LIFECYCLE_TOO_MANY_RULES,
            "LifecycleConfiguration.Rules",
            format!(
                "{} lifecycle rules; S3 allows at most {MAX_RULES} per bucket",
                rules.len()
            ),
        );
    }
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, r) in rules.iter().enumerate() {
        let base = format!("LifecycleConfiguration.Rules[{i}]");
        let rule = r.name(i);
        if let Some(id) = &r.id {
            if let Some(first) = ids.get(id.as_str()) {
                node.error(
                    codes::LIFECYCLE_RULE_ID,
                    &format!("{base}.Id"),
                    format!("{rule} has the same id as lifecycle rule {first}; rule ids must be unique in a bucket"),
                );
            } else {
                ids.insert(id, i);
            }
        }
        if !r.has_action() {
            report(
                node,
                codes::LIFECYCLE_NO_ACTION,
                &base,
                format!(
                    "{rule} has no action; a rule needs at least one of: expiration (days or date), transitions, expired object delete marker, noncurrent version expiration or transitions, abort incomplete multipart uploads"
                ),
                Some("add an action, or remove the rule".to_owned()),
            );
        }
        let expiration_days = match &r.expiration {
            Some(Expiration::Days(0)) => {
                node.error(
                    codes::LIFECYCLE_RANGE,
                    &format!("{base}.ExpirationInDays"),
                    format!(
                        "{rule} expires objects after 0 days; the number of days must be at least 1"
                    ),
                );
                None
            }
            Some(Expiration::Days(d)) => Some(*d),
            Some(Expiration::Date(date)) => {
                if !is_date(date) {
                    node.error(
                        codes::LIFECYCLE_DATE,
                        &format!("{base}.ExpirationDate"),
                        format!("{rule} expires objects on `{date}`; write the date as YYYY-MM-DD (midnight UTC)"),
                    );
                } else if !r.transitions.is_empty() {
                    node.error(
                        codes::LIFECYCLE_DATE,
                        &format!("{base}.ExpirationDate"),
                        format!(
                            "{rule} expires objects on a date ({date}) but transitions them after a number of days; S3 refuses a rule that mixes dates and days"
                        ),
                    );
                }
                None
            }
            None => None,
        };
        if r.expired_object_delete_marker {
            let prop = format!("{base}.ExpiredObjectDeleteMarker");
            if r.expiration.is_some() {
                node.error(
                    codes::LIFECYCLE_CONFLICT,
                    &prop,
                    format!(
                        "{rule} both expires objects and removes expired object delete markers; S3 refuses the delete-marker action beside an expiration in days or on a date: put them in two rules"
                    ),
                );
            }
            if !r.tag_filters.is_empty() {
                node.error(
                    codes::LIFECYCLE_CONFLICT,
                    &prop,
                    format!(
                        "{rule} removes expired object delete markers but filters on tags; S3 refuses that action in a rule with a tag filter"
                    ),
                );
            }
        }
        if let Some(days) = r.abort_multipart_days {
            let prop = format!("{base}.AbortIncompleteMultipartUpload");
            if days == 0 {
                node.error(
                    codes::LIFECYCLE_RANGE,
                    &format!("{prop}.DaysAfterInitiation"),
                    format!("{rule} aborts incomplete multipart uploads after 0 days; the number of days must be at least 1"),
                );
            }
            if !r.tag_filters.is_empty() {
                node.error(
                    codes::LIFECYCLE_CONFLICT,
                    &prop,
                    format!(
                        "{rule} aborts incomplete multipart uploads but filters on tags; S3 refuses that action in a rule with a tag filter (uploads in progress have no tags)"
                    ),
                );
            }
        }
        check_transitions(
            node,
            &rule,
            &base,
            &TransitionList {
                property: "Transitions",
                what: "objects",
                since: "after creation",
                items: &r.transitions,
                expiration: expiration_days,
                min_days: 0,
            },
        );
        let mut noncurrent_days = None;
        if let Some((days, newer)) = r.noncurrent_expiration {
            let prop = format!("{base}.NoncurrentVersionExpiration");
            if days == 0 {
                node.error(
                    codes::LIFECYCLE_RANGE,
                    &format!("{prop}.NoncurrentDays"),
                    format!("{rule} expires noncurrent versions after 0 days; the number of days must be at least 1"),
                );
            } else {
                noncurrent_days = Some(days);
            }
            if let Some(n) = newer.filter(|n| !(1..=100).contains(n)) {
                node.error(
                    codes::LIFECYCLE_RANGE,
                    &format!("{prop}.NewerNoncurrentVersions"),
                    format!("{rule} keeps {n} newer noncurrent versions; S3 allows 1 to 100"),
                );
            }
        }
        check_transitions(
            node,
            &rule,
            &base,
            &TransitionList {
                property: "NoncurrentVersionTransitions",
                what: "noncurrent versions",
                since: "after they become noncurrent",
                items: &r.noncurrent_transitions,
                expiration: noncurrent_days,
                min_days: 1,
            },
        );
        if !versioned && r.needs_versioning() {
            node.warn(
                codes::LIFECYCLE_UNVERSIONED,
                &base,
                format!(
                    "{rule} acts on noncurrent versions or delete markers, but the bucket is not versioned, so it never applies (enable versioning with `BucketProps::versioned(true)`)"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use formwork_core::{App, Diagnostic};
    use serde_json::json;

    use super::*;
    use crate::s3::{Bucket, BucketProps};

    /// Synthesizes one bucket with `rules` and returns every diagnostic
    /// (errors and warnings) with the given code.
    fn diags(rules: Vec<LifecycleRule>, versioned: bool, code: &str) -> Vec<Diagnostic> {
        let app = App::new();
        let stack = app.stack("Stack").unwrap();
        let props = rules.into_iter().fold(
            BucketProps::new().versioned(versioned),
            BucketProps::lifecycle_rule,
        );
        Bucket::new(&stack, "Data", props).unwrap();
        let all = match app.synth() {
            Ok(asm) => asm.warnings.0,
            Err(e) => e.diagnostics().unwrap().0.clone(),
        };
        all.into_iter().filter(|d| d.code == code).collect()
    }

    fn one(rules: Vec<LifecycleRule>, code: &str) -> Diagnostic {
        let mut ds = diags(rules, true, code);
        assert_eq!(ds.len(), 1, "expected one {code}: {ds:#?}");
        ds.remove(0)
    }

    #[test]
    fn reference_e_sessions_rule_is_a_clear_error() {
        let app = App::new();
        let stack = app.stack("Stack").unwrap();
        Bucket::new(
            &stack,
            "SessionsBucket",
            BucketProps::new().lifecycle_rule(
                LifecycleRule::new()
                    .prefix("sessions/")
                    .expiration_days(7)
                    .transition(StorageClass::StandardIa, 7),
            ),
        )
        .unwrap();
        let err = app.synth().unwrap_err();
        let ds = err.diagnostics().unwrap();
        assert_eq!(ds.error_count(), 1, "{ds}");
        let d = &ds.0[0];
        assert_eq!(d.code, codes::LIFECYCLE_IA_MINIMUM);
        assert_eq!(d.path, "Stack/SessionsBucket");
        assert_eq!(
            d.property.as_deref(),
            Some("LifecycleConfiguration.Rules[0].Transitions[0]")
        );
        assert_eq!(
            d.message,
            "lifecycle rule 0 moves objects to STANDARD_IA 7 days after creation; S3 allows a transition to \
             STANDARD_IA only at 30 days or later, and the rule expires the objects at 7 days, so they would \
             never reach STANDARD_IA"
        );
        assert_eq!(
            d.fix.as_deref(),
            Some("remove the transition: the objects are deleted at 7 days anyway")
        );
    }

    #[test]
    fn ia_minimum_without_expiration() {
        let d = one(
            vec![LifecycleRule::new().transition(StorageClass::OnezoneIa, 29)],
            codes::LIFECYCLE_IA_MINIMUM,
        );
        assert_eq!(
            d.property.as_deref(),
            Some("LifecycleConfiguration.Rules[0].Transitions[0]")
        );
        assert!(
            d.message.contains("to ONEZONE_IA 29 days after creation"),
            "{}",
            d.message
        );
        assert_eq!(d.fix.as_deref(), Some("transition at 30 days or later"));
        let d = one(
            vec![
                LifecycleRule::new()
                    .transition(StorageClass::StandardIa, 10)
                    .expiration_days(90),
            ],
            codes::LIFECYCLE_IA_MINIMUM,
        );
        assert_eq!(
            d.fix.as_deref(),
            Some("transition at 30 to 89 days, before the expiration at 90 days")
        );
        let d = one(
            vec![LifecycleRule::new().noncurrent_version_transition(StorageClass::StandardIa, 5)],
            codes::LIFECYCLE_IA_MINIMUM,
        );
        assert_eq!(
            d.property.as_deref(),
            Some("LifecycleConfiguration.Rules[0].NoncurrentVersionTransitions[0]")
        );
        assert!(d.message.contains(
            "moves noncurrent versions to STANDARD_IA 5 days after they become noncurrent"
        ));
    }

    #[test]
    fn archive_classes_have_no_minimum() {
        let rules = vec![
            LifecycleRule::new().transition(StorageClass::Glacier, 0),
            LifecycleRule::new().transition(StorageClass::IntelligentTiering, 0),
            LifecycleRule::new()
                .transition(StorageClass::GlacierInstantRetrieval, 1)
                .transition(StorageClass::DeepArchive, 2),
        ];
        let app = App::new();
        let stack = app.stack("Stack").unwrap();
        let props = rules
            .into_iter()
            .fold(BucketProps::new(), BucketProps::lifecycle_rule);
        Bucket::new(&stack, "Data", props).unwrap();
        let asm = app.synth().unwrap();
        assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
    }

    #[test]
    fn expiration_must_be_after_every_transition() {
        let d = one(
            vec![
                LifecycleRule::new()
                    .transition(StorageClass::Glacier, 90)
                    .expiration_days(60),
            ],
            codes::LIFECYCLE_EXPIRATION_NOT_AFTER_TRANSITION,
        );
        assert_eq!(d.path, "Stack/Data");
        assert_eq!(
            d.property.as_deref(),
            Some("LifecycleConfiguration.Rules[0].Transitions[0]")
        );
        assert_eq!(
            d.message,
            "lifecycle rule 0 moves objects to GLACIER at 90 days but expires them at 60 days; S3 requires the \
             expiration to be later than every transition of the rule"
        );
        let d = one(
            vec![
                LifecycleRule::new()
                    .noncurrent_version_transition(StorageClass::Glacier, 30)
                    .noncurrent_version_expiration_days(30),
            ],
            codes::LIFECYCLE_EXPIRATION_NOT_AFTER_TRANSITION,
        );
        assert_eq!(
            d.property.as_deref(),
            Some("LifecycleConfiguration.Rules[0].NoncurrentVersionTransitions[0]")
        );
    }

    #[test]
    fn transitions_follow_the_waterfall() {
        let d = one(
            vec![
                LifecycleRule::new()
                    .id("archive")
                    .transition(StorageClass::Glacier, 60)
                    .transition(StorageClass::StandardIa, 90),
            ],
            codes::LIFECYCLE_TRANSITION_ORDER,
        );
        assert_eq!(
            d.property.as_deref(),
            Some("LifecycleConfiguration.Rules[0].Transitions[1]")
        );
        assert!(
            d.message.starts_with(
                "lifecycle rule 0 (`archive`) moves objects to GLACIER at 60 days, then to STANDARD_IA at 90 days; \
                 S3 cannot transition from GLACIER to STANDARD_IA (allowed after GLACIER: DEEP_ARCHIVE;"
            ),
            "{}",
            d.message
        );
        let d = one(
            vec![
                LifecycleRule::new()
                    .transition(StorageClass::OnezoneIa, 30)
                    .transition(StorageClass::GlacierInstantRetrieval, 90),
            ],
            codes::LIFECYCLE_TRANSITION_ORDER,
        );
        assert!(
            d.message
                .contains("allowed after ONEZONE_IA: GLACIER, DEEP_ARCHIVE"),
            "{}",
            d.message
        );
        let d = one(
            vec![
                LifecycleRule::new()
                    .transition(StorageClass::Glacier, 90)
                    .transition(StorageClass::DeepArchive, 90),
            ],
            codes::LIFECYCLE_TRANSITION_ORDER,
        );
        assert!(
            d.message
                .contains("two transitions at 90 days (GLACIER and DEEP_ARCHIVE)"),
            "{}",
            d.message
        );
        // Listed out of day order but in a valid sequence: fine.
        assert!(
            diags(
                vec![
                    LifecycleRule::new()
                        .transition(StorageClass::Glacier, 120)
                        .transition(StorageClass::StandardIa, 30)
                ],
                true,
                codes::LIFECYCLE_TRANSITION_ORDER
            )
            .is_empty()
        );
    }

    #[test]
    fn objects_stay_thirty_days_in_infrequent_access() {
        let d = one(
            vec![
                LifecycleRule::new()
                    .transition(StorageClass::StandardIa, 30)
                    .transition(StorageClass::Glacier, 45),
            ],
            codes::LIFECYCLE_IA_STAY,
        );
        assert_eq!(
            d.property.as_deref(),
            Some("LifecycleConfiguration.Rules[0].Transitions[1]")
        );
        assert_eq!(
            d.message,
            "lifecycle rule 0 moves objects to STANDARD_IA at 30 days, then to GLACIER at 45 days; S3 requires 30 \
             days in STANDARD_IA before the next transition"
        );
        assert_eq!(
            d.fix.as_deref(),
            Some("transition to GLACIER at 60 days or later")
        );
    }

    #[test]
    fn a_rule_needs_an_action() {
        let d = one(
            vec![LifecycleRule::new().prefix("tmp/")],
            codes::LIFECYCLE_NO_ACTION,
        );
        assert_eq!(
            d.property.as_deref(),
            Some("LifecycleConfiguration.Rules[0]")
        );
        assert!(
            d.message
                .starts_with("lifecycle rule 0 has no action; a rule needs at least one of:")
        );
    }

    #[test]
    fn days_are_at_least_one() {
        let cases = [
            (
                LifecycleRule::new().expiration_days(0),
                "LifecycleConfiguration.Rules[0].ExpirationInDays",
            ),
            (
                LifecycleRule::new().abort_incomplete_multipart_upload_after_days(0),
                "LifecycleConfiguration.Rules[0].AbortIncompleteMultipartUpload.DaysAfterInitiation",
            ),
            (
                LifecycleRule::new().noncurrent_version_expiration_days(0),
                "LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration.NoncurrentDays",
            ),
            (
                LifecycleRule::new().noncurrent_version_transition(StorageClass::Glacier, 0),
                "LifecycleConfiguration.Rules[0].NoncurrentVersionTransitions[0]",
            ),
            (
                LifecycleRule::new().noncurrent_version_expiration_keeping(30, 101),
                "LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration.NewerNoncurrentVersions",
            ),
        ];
        for (rule, prop) in cases {
            let d = one(vec![rule], codes::LIFECYCLE_RANGE);
            assert_eq!(d.property.as_deref(), Some(prop));
            assert!(
                d.message.contains("must be at least 1")
                    || d.message.contains("S3 allows 1 to 100"),
                "{}",
                d.message
            );
        }
    }

    #[test]
    fn at_most_a_thousand_rules() {
        let rules = (0..1001)
            .map(|i| {
                LifecycleRule::new()
                    .prefix(format!("p{i}/"))
                    .expiration_days(1)
            })
            .collect();
        let d = one(rules, codes::LIFECYCLE_TOO_MANY_RULES);
        assert_eq!(d.property.as_deref(), Some("LifecycleConfiguration.Rules"));
        assert_eq!(
            d.message,
            "1001 lifecycle rules; S3 allows at most 1000 per bucket"
        );
    }

    #[test]
    fn dates_are_checked() {
        let d = one(
            vec![LifecycleRule::new().expiration_date("2030-13-01")],
            codes::LIFECYCLE_DATE,
        );
        assert_eq!(
            d.property.as_deref(),
            Some("LifecycleConfiguration.Rules[0].ExpirationDate")
        );
        assert!(d.message.contains("write the date as YYYY-MM-DD"));
        let d = one(
            vec![
                LifecycleRule::new()
                    .expiration_date("2030-01-01")
                    .transition(StorageClass::Glacier, 30),
            ],
            codes::LIFECYCLE_DATE,
        );
        assert!(d.message.contains("mixes dates and days"));
    }

    #[test]
    fn conflicting_actions() {
        let d = one(
            vec![
                LifecycleRule::new()
                    .expiration_days(30)
                    .expired_object_delete_marker(),
            ],
            codes::LIFECYCLE_CONFLICT,
        );
        assert_eq!(
            d.property.as_deref(),
            Some("LifecycleConfiguration.Rules[0].ExpiredObjectDeleteMarker")
        );
        assert!(d.message.contains("beside an expiration"));
        let d = one(
            vec![
                LifecycleRule::new()
                    .tag_filter("k", "v")
                    .expired_object_delete_marker(),
            ],
            codes::LIFECYCLE_CONFLICT,
        );
        assert!(d.message.contains("with a tag filter"));
        let d = one(
            vec![
                LifecycleRule::new()
                    .tag_filter("k", "v")
                    .abort_incomplete_multipart_upload_after_days(7),
            ],
            codes::LIFECYCLE_CONFLICT,
        );
        assert_eq!(
            d.property.as_deref(),
            Some("LifecycleConfiguration.Rules[0].AbortIncompleteMultipartUpload")
        );
    }

    #[test]
    fn rule_ids_are_unique() {
        let d = one(
            vec![
                LifecycleRule::new().id("a").expiration_days(1),
                LifecycleRule::new().id("a").expiration_days(2),
            ],
            codes::LIFECYCLE_RULE_ID,
        );
        assert_eq!(
            d.property.as_deref(),
            Some("LifecycleConfiguration.Rules[1].Id")
        );
        assert!(d.message.contains("same id as lifecycle rule 0"));
    }

    #[test]
    fn noncurrent_actions_on_an_unversioned_bucket_warn() {
        let ds = diags(
            vec![LifecycleRule::new().noncurrent_version_expiration_days(30)],
            false,
            codes::LIFECYCLE_UNVERSIONED,
        );
        assert_eq!(ds.len(), 1);
        assert!(!ds[0].is_error());
        assert_eq!(
            ds[0].property.as_deref(),
            Some("LifecycleConfiguration.Rules[0]")
        );
        assert!(ds[0].message.contains("the bucket is not versioned"));
    }

    #[test]
    fn rules_render_every_action() {
        let rule = LifecycleRule::new()
            .id("all")
            .prefix("logs/")
            .tag_filter("team", "data")
            .expiration_days(400)
            .transition(StorageClass::StandardIa, 30)
            .transition(StorageClass::Glacier, 90)
            .noncurrent_version_expiration_keeping(60, 3)
            .noncurrent_version_transition(StorageClass::GlacierInstantRetrieval, 10)
            .enabled(false);
        let app = App::new();
        let stack = app.stack("Stack").unwrap();
        Bucket::new(
            &stack,
            "Data",
            BucketProps::new().versioned(true).lifecycle_rule(rule),
        )
        .unwrap();
        let t = app.synth().unwrap().template_json("Stack").unwrap();
        assert_eq!(
            t["Resources"]["Data"]["Properties"]["LifecycleConfiguration"],
            json!({"Rules": [{
                "ExpirationInDays": 400,
                "Id": "all",
                "NoncurrentVersionExpiration": {"NewerNoncurrentVersions": 3, "NoncurrentDays": 60},
                "NoncurrentVersionTransitions": [{"StorageClass": "GLACIER_IR", "TransitionInDays": 10}],
                "Prefix": "logs/",
                "Status": "Disabled",
                "TagFilters": [{"Key": "team", "Value": "data"}],
                "Transitions": [
                    {"StorageClass": "STANDARD_IA", "TransitionInDays": 30},
                    {"StorageClass": "GLACIER", "TransitionInDays": 90}
                ]
            }]})
        );
        let app = App::new();
        let stack = app.stack("Stack").unwrap();
        let rule = LifecycleRule::new().expiration_date("2030-01-01");
        let marker = LifecycleRule::new()
            .expired_object_delete_marker()
            .abort_incomplete_multipart_upload_after_days(7);
        Bucket::new(
            &stack,
            "Data",
            BucketProps::new()
                .versioned(true)
                .lifecycle_rule(rule)
                .lifecycle_rule(marker),
        )
        .unwrap();
        let t = app.synth().unwrap().template_json("Stack").unwrap();
        assert_eq!(
            t["Resources"]["Data"]["Properties"]["LifecycleConfiguration"]["Rules"],
            json!([
                {"ExpirationDate": "2030-01-01T00:00:00Z", "Status": "Enabled"},
                {"AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}, "ExpiredObjectDeleteMarker": true, "Status": "Enabled"}
            ])
        );
    }
}
