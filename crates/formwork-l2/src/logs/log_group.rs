//! LogGroup: a CloudWatch Logs log group with a typed retention, retained by
//! default, and a least-privilege write grant.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Fn, Pseudo, RemovalPolicy, Result, Scope, Value};
use formwork_l1::logs::{CfnLogGroup, CfnLogGroupRef, log_group};

use super::codes;
use crate::iam::{self, GrantSpec, Grantee};

/// How long CloudWatch Logs keeps the events of a log group: exactly the
/// periods the service accepts, or [`Retention::Infinite`] (never expire,
/// no `RetentionInDays`).
///
/// ```
/// use formwork::logs::Retention;
/// assert_eq!(Retention::days(14), Retention::TwoWeeks);
/// assert_eq!(Retention::TwoWeeks.in_days(), Some(14));
/// assert_eq!(Retention::Infinite.in_days(), None);
/// // Not a period CloudWatch accepts: a synth error (FW2301) where it is used.
/// assert_eq!(Retention::days(10), Retention::Unsupported(10));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Retention {
    /// 1 day.
    OneDay,
    /// 3 days.
    ThreeDays,
    /// 5 days.
    FiveDays,
    /// 7 days.
    OneWeek,
    /// 14 days.
    TwoWeeks,
    /// 30 days.
    OneMonth,
    /// 60 days.
    TwoMonths,
    /// 90 days.
    ThreeMonths,
    /// 120 days.
    FourMonths,
    /// 150 days.
    FiveMonths,
    /// 180 days.
    SixMonths,
    /// 365 days.
    OneYear,
    /// 400 days.
    ThirteenMonths,
    /// 545 days.
    EighteenMonths,
    /// 731 days.
    TwoYears,
    /// 1096 days.
    ThreeYears,
    /// 1827 days.
    FiveYears,
    /// 2192 days.
    SixYears,
    /// 2557 days.
    SevenYears,
    /// 2922 days.
    EightYears,
    /// 3288 days.
    NineYears,
    /// 3653 days.
    TenYears,
    /// Never expire (CloudWatch's default): no `RetentionInDays`.
    #[default]
    Infinite,
    /// A number of days CloudWatch Logs does not accept, as given to
    /// [`Retention::days`]. A construct that receives it reports error
    /// `FW2301` naming the allowed periods; nothing panics.
    Unsupported(u32),
}

const PERIODS: [(u32, Retention); 22] = [
    (1, Retention::OneDay),
    (3, Retention::ThreeDays),
    (5, Retention::FiveDays),
    (7, Retention::OneWeek),
    (14, Retention::TwoWeeks),
    (30, Retention::OneMonth),
    (60, Retention::TwoMonths),
    (90, Retention::ThreeMonths),
    (120, Retention::FourMonths),
    (150, Retention::FiveMonths),
    (180, Retention::SixMonths),
    (365, Retention::OneYear),
    (400, Retention::ThirteenMonths),
    (545, Retention::EighteenMonths),
    (731, Retention::TwoYears),
    (1096, Retention::ThreeYears),
    (1827, Retention::FiveYears),
    (2192, Retention::SixYears),
    (2557, Retention::SevenYears),
    (2922, Retention::EightYears),
    (3288, Retention::NineYears),
    (3653, Retention::TenYears),
];

impl Retention {
    /// The retention periods CloudWatch Logs accepts, in days.
    pub const ALLOWED_DAYS: [u32; 22] = [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
        2922, 3288, 3653,
    ];

    /// The retention of `n` days. A number CloudWatch does not accept gives
    /// [`Retention::Unsupported`], which the log group reports as error
    /// `FW2301` listing the allowed periods.
    pub fn days(n: u32) -> Retention {
        Retention::from_days(n).unwrap_or(Retention::Unsupported(n))
    }

    /// The retention of `n` days, or `None` when CloudWatch does not accept
    /// that number.
    pub fn from_days(n: u32) -> Option<Retention> {
        PERIODS.iter().find(|(d, _)| *d == n).map(|(_, r)| *r)
    }

    /// The period in days; `None` for [`Retention::Infinite`].
    pub fn in_days(self) -> Option<u32> {
        match self {
            Retention::Infinite => None,
            Retention::Unsupported(n) => Some(n),
            other => PERIODS.iter().find(|(_, r)| *r == other).map(|(d, _)| *d),
        }
    }

    /// Reports `FW2301` on `scope` when this is not a period CloudWatch
    /// accepts; `property` names where it was used.
    #[track_caller]
    pub(crate) fn check(self, scope: &Scope, property: &str) {
        if let Retention::Unsupported(n) = self {
            let allowed = Retention::ALLOWED_DAYS.map(|d| d.to_string()).join(", ");
            scope.report(
                Diagnostic::error(
                    codes::RETENTION,
                    scope.path(),
                    format!(
                        "{n} days is not a retention CloudWatch Logs accepts; allowed: {allowed} days, or Retention::Infinite"
                    ),
                )
                .property(property)
                .fix(nearest_fix(n)),
            );
        }
    }
}

fn nearest_fix(n: u32) -> String {
    let above = Retention::ALLOWED_DAYS.iter().find(|d| **d >= n);
    let below = Retention::ALLOWED_DAYS.iter().rev().find(|d| **d <= n);
    match (below, above) {
        (Some(b), Some(a)) => format!("use Retention::days({b}) or Retention::days({a})"),
        (None, Some(a)) => format!("use Retention::days({a})"),
        (Some(b), None) => format!("use Retention::days({b}) or Retention::Infinite"),
        (None, None) => "use one of the allowed periods".to_owned(),
    }
}

/// The storage class of a log group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LogGroupClass {
    /// `STANDARD`: every CloudWatch Logs feature (the default).
    #[default]
    Standard,
    /// `INFREQUENT_ACCESS`: cheaper ingestion, fewer features (no metric
    /// filters, no live tail, no subscription filters).
    InfrequentAccess,
}

impl LogGroupClass {
    fn l1(self) -> log_group::LogGroupClass {
        match self {
            LogGroupClass::Standard => log_group::LogGroupClass::Standard,
            LogGroupClass::InfrequentAccess => log_group::LogGroupClass::InfrequentAccess,
        }
    }
}

/// What a [`LogGroup`] is made with.
///
/// Defaults: a name CloudFormation generates, events never expire, the
/// standard class, encryption with a CloudWatch-owned key, and the group is
/// retained: `DeletionPolicy: RetainExceptOnCreate` (kept when the stack is
/// deleted or the group removed from it, deleted only when the deploy that
/// created it rolls back, so a failed first deploy leaves no group behind
/// whose fixed name would block the retry) and `UpdateReplacePolicy: Retain`.
///
/// ```
/// use formwork::RemovalPolicy;
/// use formwork::logs::{LogGroupClass, LogGroupProps, Retention};
/// let props = LogGroupProps::new()
///     .log_group_name("/ecs/weather-comment-generator")
///     .retention(Retention::OneMonth)
///     .log_group_class(LogGroupClass::Standard)
///     .removal_policy(RemovalPolicy::Delete);
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LogGroupProps {
    name: Option<Str>,
    retention: Retention,
    kms_key: Option<Str>,
    class: Option<LogGroupClass>,
    removal_policy: RemovalPolicy,
}

impl Default for LogGroupProps {
    fn default() -> Self {
        LogGroupProps::new()
    }
}

impl LogGroupProps {
    /// The safe defaults (see the type's documentation).
    pub fn new() -> Self {
        LogGroupProps {
            name: None,
            retention: Retention::Infinite,
            kms_key: None,
            class: None,
            removal_policy: RemovalPolicy::RetainExceptOnCreate,
        }
    }

    /// A fixed name: 1 to 512 of `a-z A-Z 0-9 . - _ / #`, not starting
    /// with `aws/`. Checked when it is a literal.
    pub fn log_group_name(mut self, name: impl Into<Str>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// How long events are kept.
    pub fn retention(mut self, retention: Retention) -> Self {
        self.retention = retention;
        self
    }

    /// A KMS key ARN to encrypt the events with (its key policy must let
    /// the `logs.<region>.amazonaws.com` principal use it).
    pub fn kms_key(mut self, key_arn: impl Into<Str>) -> Self {
        self.kms_key = Some(key_arn.into());
        self
    }

    /// The storage class.
    pub fn log_group_class(mut self, class: LogGroupClass) -> Self {
        self.class = Some(class);
        self
    }

    /// What happens to the group (and its events) when it leaves the stack.
    /// `Retain` keeps it always, `RetainExceptOnCreate` (the default) keeps
    /// it except when its creating deploy rolls back, `Delete` removes it
    /// with the stack; `Snapshot` is an error (FW2303).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }
}

/// A CloudWatch Logs log group.
///
/// ```
/// use formwork::App;
/// use formwork::iam::{Principal, Role, RoleProps};
/// use formwork::logs::{LogGroup, LogGroupProps, Retention};
/// let app = App::new();
/// let stack = app.stack("Svc")?;
/// let logs = LogGroup::new(&stack, "Logs", LogGroupProps::new().retention(Retention::TwoWeeks))?;
/// let role = Role::new(&stack, "Task", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")))?;
/// logs.grant_write(&role)?;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct LogGroup {
    cfn: CfnLogGroupRef,
    scope: Scope,
}

/// Writing events: create streams in the group, put events in its streams.
/// Both actions take the `log-group:<name>:*` ARN (the group's streams).
const WRITE: &[GrantSpec] = &[GrantSpec {
    actions: &["logs:CreateLogStream", "logs:PutLogEvents"],
    arn: 0,
}];

impl LogGroup {
    /// Adds a log group at `scope/id`.
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: LogGroupProps) -> Result<LogGroup> {
        let node = scope.child(id)?;
        let mut cfn = CfnLogGroup::new();
        if let Some(name) = props.name {
            check_name(&node, &name);
            cfn = cfn.log_group_name(name);
        }
        props.retention.check(&node, "RetentionInDays");
        if let Some(days) = props.retention.in_days() {
            cfn = cfn.retention_in_days(days);
        }
        let own_key = props.kms_key.is_some();
        if let Some(k) = props.kms_key {
            cfn = cfn.kms_key_id(k);
        }
        if let Some(c) = props.class {
            cfn = cfn.log_group_class(c.l1());
        }
        let cfn = node.add_here(cfn)?;
        if !own_key {
            cfn.suppress(
                "CKV_AWS_158",
                "CloudWatch Logs encrypts log data with its own key; a KMS key (LogGroupProps::kms_key) adds a key policy granting the logs service",
            );
        }
        match props.removal_policy {
            RemovalPolicy::RetainExceptOnCreate => {
                // UpdateReplacePolicy has no RetainExceptOnCreate.
                cfn.set_deletion_policy(RemovalPolicy::RetainExceptOnCreate)
                    .set_update_replace_policy(RemovalPolicy::Retain);
            }
            RemovalPolicy::Snapshot => {
                node.report(
                    Diagnostic::error(
                        codes::REMOVAL_POLICY,
                        node.path(),
                        "a log group cannot be snapshotted; allowed: Retain, RetainExceptOnCreate, Delete",
                    )
                    .property("DeletionPolicy")
                    .fix("use RemovalPolicy::Retain to keep the events"),
                );
            }
            other => {
                cfn.apply_removal_policy(other);
            }
        }
        Ok(LogGroup { cfn, scope: node })
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnLogGroupRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// `Ref`: the log group name.
    pub fn name(&self) -> Expr {
        self.cfn.ref_()
    }

    /// `Fn::GetAtt Arn`. CloudFormation returns it with the `:*` suffix
    /// (`arn:aws:logs:<region>:<account>:log-group:<name>:*`), the form
    /// IAM policies on its streams and Step Functions logging take.
    pub fn arn(&self) -> Expr {
        self.cfn.arn()
    }

    /// `arn:<partition>:logs:<region>:<account>:log-group:<name>:*`, built
    /// from the name: what `logs:CreateLogStream` (a log-group action that
    /// CloudWatch Logs authorizes on the `:*` form) and `logs:PutLogEvents`
    /// (a log-stream action, `log-group:<name>:log-stream:<stream>`) match.
    pub fn streams_arn(&self) -> Expr {
        // Built flat (not with `iam::arn`, which would nest a second
        // `Fn::Sub` for a resource part that is itself a reference).
        Fn::concat([
            Value::from("arn:"),
            Pseudo::Partition.into(),
            Value::from(":logs:"),
            Pseudo::Region.into(),
            Value::from(":"),
            Pseudo::AccountId.into(),
            Value::from(":log-group:"),
            self.name().into(),
            Value::from(":*"),
        ])
    }

    /// Lets the grantee write events: `logs:CreateLogStream` and
    /// `logs:PutLogEvents` on this group's streams only
    /// ([`streams_arn`](Self::streams_arn)). A grantee without a role
    /// formwork manages (a role imported by ARN) gets warning `FW2001`
    /// ([`iam::codes::GRANT_NO_ROLE`]) naming the actions to give it by hand.
    #[track_caller]
    pub fn grant_write(&self, grantee: &dyn Grantee) -> Result<()> {
        iam::grant_or_report(&self.scope, grantee, WRITE, &[self.streams_arn().into()]);
        Ok(())
    }
}

/// Checks a literal log group name against CloudWatch Logs' rules.
fn check_name(node: &Scope, name: &Str) {
    let value = name.clone().into_value();
    let Some(n) = value.as_str() else { return };
    let len = n.chars().count();
    let problem = if len == 0 || len > 512 {
        Some(format!("{len} characters; allowed: 1 to 512"))
    } else if let Some(c) = n
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | '#')))
    {
        Some(format!(
            "the character {c:?} is not allowed; allowed: a-z A-Z 0-9 . - _ / #"
        ))
    } else if n.starts_with("aws/") {
        Some("names starting with `aws/` are reserved for AWS".to_owned())
    } else {
        None
    };
    if let Some(p) = problem {
        node.report(
            Diagnostic::error(
                codes::LOG_GROUP_NAME,
                node.path(),
                format!("log group name {n:?}: {p}"),
            )
            .property("LogGroupName"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{Principal, Role, RoleProps};
    use formwork_core::App;
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    fn errors(app: &App) -> formwork_core::Diagnostics {
        match app.synth() {
            Ok(_) => panic!("synth should fail"),
            Err(e) => e.diagnostics().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn retention_has_exactly_the_cloudwatch_periods() {
        for d in Retention::ALLOWED_DAYS {
            let r = Retention::days(d);
            assert!(!matches!(r, Retention::Unsupported(_)), "{d}");
            assert_eq!(r.in_days(), Some(d));
        }
        assert_eq!(PERIODS.len(), Retention::ALLOWED_DAYS.len());
        assert_eq!(Retention::days(4), Retention::Unsupported(4));
        assert_eq!(Retention::from_days(0), None);
        assert_eq!(Retention::Infinite.in_days(), None);
        assert_eq!(Retention::default(), Retention::Infinite);
    }

    #[test]
    fn defaults_retain_and_never_expire() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let g = LogGroup::new(&s, "Logs", LogGroupProps::new()).unwrap();
        assert_eq!(g.cfn().logical_id(), "Logs");
        let asm = synth_and_lint(&app, "logs-defaults");
        assert_eq!(
            template(&asm, "S")["Resources"]["Logs"],
            json!({
                "Type": "AWS::Logs::LogGroup",
                "DeletionPolicy": "RetainExceptOnCreate",
                "UpdateReplacePolicy": "Retain"
            })
        );
    }

    #[test]
    fn every_option_is_written() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        LogGroup::new(
            &s,
            "Logs",
            LogGroupProps::new()
                .log_group_name("/ecs/hera-backend")
                .retention(Retention::TwoWeeks)
                .kms_key("arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
                .log_group_class(LogGroupClass::InfrequentAccess)
                .removal_policy(RemovalPolicy::Delete),
        )
        .unwrap();
        let asm = synth_and_lint(&app, "logs-options");
        assert_eq!(
            template(&asm, "S")["Resources"]["Logs"],
            json!({
                "Type": "AWS::Logs::LogGroup",
                "Properties": {
                    "KmsKeyId": "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    "LogGroupClass": "INFREQUENT_ACCESS",
                    "LogGroupName": "/ecs/hera-backend",
                    "RetentionInDays": 14
                },
                "DeletionPolicy": "Delete",
                "UpdateReplacePolicy": "Delete"
            })
        );
    }

    #[test]
    fn retain_sets_both_policies() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        LogGroup::new(
            &s,
            "Logs",
            LogGroupProps::new().removal_policy(RemovalPolicy::Retain),
        )
        .unwrap();
        let t = template(&app.synth().unwrap(), "S");
        assert_eq!(t["Resources"]["Logs"]["DeletionPolicy"], "Retain");
        assert_eq!(t["Resources"]["Logs"]["UpdateReplacePolicy"], "Retain");
    }

    #[test]
    fn unsupported_retention_is_fw2301_listing_the_allowed_periods() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        LogGroup::new(
            &s,
            "Logs",
            LogGroupProps::new().retention(Retention::days(10)),
        )
        .unwrap();
        let ds = errors(&app);
        let d = ds.with_code(codes::RETENTION).next().expect("FW2301");
        assert_eq!(d.path, "S/Logs");
        assert_eq!(d.property.as_deref(), Some("RetentionInDays"));
        assert!(
            d.message.starts_with("10 days is not a retention"),
            "{}",
            d.message
        );
        assert!(d.message.contains("1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"), "{}", d.message);
        assert_eq!(
            d.fix.as_deref(),
            Some("use Retention::days(7) or Retention::days(14)")
        );
        assert_eq!(nearest_fix(0), "use Retention::days(1)");
        assert_eq!(
            nearest_fix(4000),
            "use Retention::days(3653) or Retention::Infinite"
        );
    }

    #[test]
    fn bad_names_are_fw2302() {
        for (name, why) in [
            ("", "0 characters"),
            ("my group", "' '"),
            ("aws/mine", "reserved"),
        ] {
            let app = App::new();
            let s = app.stack("S").unwrap();
            LogGroup::new(&s, "Logs", LogGroupProps::new().log_group_name(name)).unwrap();
            let ds = errors(&app);
            let d = ds.with_code(codes::LOG_GROUP_NAME).next().expect("FW2302");
            assert_eq!(d.path, "S/Logs");
            assert_eq!(d.property.as_deref(), Some("LogGroupName"));
            assert!(d.message.contains(why), "{name:?}: {}", d.message);
        }
        let long = "a".repeat(513);
        let app = App::new();
        let s = app.stack("S").unwrap();
        LogGroup::new(&s, "Logs", LogGroupProps::new().log_group_name(long)).unwrap();
        assert!(
            errors(&app)
                .with_code(codes::LOG_GROUP_NAME)
                .any(|d| d.message.contains("513 characters"))
        );
        // A name that is a reference is not checked here.
        let app = App::new();
        let s = app.stack("S").unwrap();
        LogGroup::new(
            &s,
            "Logs",
            LogGroupProps::new().log_group_name(Fn::concat([
                Value::from("/app/"),
                formwork_core::Pseudo::StackName.into(),
            ])),
        )
        .unwrap();
        assert!(app.synth().is_ok());
    }

    #[test]
    fn snapshot_is_fw2303() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        LogGroup::new(
            &s,
            "Logs",
            LogGroupProps::new().removal_policy(RemovalPolicy::Snapshot),
        )
        .unwrap();
        let ds = errors(&app);
        let d = ds.with_code(codes::REMOVAL_POLICY).next().expect("FW2303");
        assert_eq!(d.path, "S/Logs");
        assert_eq!(d.property.as_deref(), Some("DeletionPolicy"));
        assert!(d.message.contains("cannot be snapshotted"));
    }

    #[test]
    fn grant_write_is_two_actions_on_the_streams_of_this_group() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let g = LogGroup::new(&s, "Logs", LogGroupProps::new().log_group_name("/app/x")).unwrap();
        let role = Role::new(
            &s,
            "Task",
            RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")),
        )
        .unwrap();
        g.grant_write(&role).unwrap();
        g.grant_write(&role).unwrap();
        let asm = synth_and_lint(&app, "logs-grant");
        let t = template(&asm, "S");
        assert_eq!(
            t["Resources"]["Task"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"],
            json!([{
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Logs}:*"}
            }])
        );
    }

    use crate::iam::testing::NoRole;

    #[test]
    fn grant_to_something_without_a_role_is_warning_fw2001() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let g = LogGroup::new(&s, "Logs", LogGroupProps::new()).unwrap();
        g.grant_write(&NoRole).unwrap();
        let asm = app.synth().unwrap();
        let d = asm
            .warnings
            .with_code(iam::codes::GRANT_NO_ROLE)
            .next()
            .expect("FW2001");
        assert_eq!(d.path, "S/Logs");
        assert_eq!(
            d.message,
            "the grantee has no role, so logs:CreateLogStream, logs:PutLogEvents was not granted"
        );
    }

    #[test]
    fn references() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let g = LogGroup::new(&s, "Logs", LogGroupProps::new()).unwrap();
        s.add_output("Name", formwork_core::Output::new(g.name()))
            .unwrap();
        s.add_output("Arn", formwork_core::Output::new(g.arn()))
            .unwrap();
        let t = template(&app.synth().unwrap(), "S");
        assert_eq!(t["Outputs"]["Name"]["Value"], json!({"Ref": "Logs"}));
        assert_eq!(
            t["Outputs"]["Arn"]["Value"],
            json!({"Fn::GetAtt": ["Logs", "Arn"]})
        );
        assert_eq!(g.scope().path(), "S/Logs");
    }
}
