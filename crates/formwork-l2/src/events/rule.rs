//! Rule: an EventBridge rule that matches events or fires on a schedule,
//! and sends them to its targets.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Result, Scope};
use formwork_l1::events::{CfnRule, CfnRuleRef, rule};

use super::codes;
use super::{EventBus, EventPattern, RuleTarget, Schedule};
use crate::cloudwatch::{Metric, Statistic};
use crate::iam::{Principal, Role, RoleProps};

/// What fires a rule.
#[derive(Clone, Debug, PartialEq)]
enum Trigger {
    Pattern(EventPattern),
    Schedule(Schedule),
}

/// What a [`Rule`] is made with: an event pattern or a schedule.
///
/// Defaults: enabled, on the account's default event bus, no name
/// (CloudFormation generates one).
///
/// ```
/// use std::time::Duration;
/// use formwork::events::{EventPattern, RuleProps, Schedule};
/// let nightly = RuleProps::schedule(Schedule::cron("0 3 * * ? *")).description("Nightly export");
/// let every_5 = RuleProps::schedule(Schedule::rate(Duration::from_secs(300)));
/// let uploads = RuleProps::pattern(EventPattern::new().source(["aws.s3"]).detail_type(["Object Created"]));
/// # let _ = (nightly, every_5, uploads);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RuleProps {
    trigger: Trigger,
    rule_name: Option<Str>,
    description: Option<Str>,
    enabled: bool,
    event_bus: Option<EventBus>,
    tags: Vec<(String, String)>,
}

impl RuleProps {
    fn with(trigger: Trigger) -> Self {
        RuleProps {
            trigger,
            rule_name: None,
            description: None,
            enabled: true,
            event_bus: None,
            tags: Vec::new(),
        }
    }
    /// A rule matching events.
    pub fn pattern(pattern: EventPattern) -> Self {
        RuleProps::with(Trigger::Pattern(pattern))
    }
    /// A rule firing on a schedule (on the default bus only).
    pub fn schedule(schedule: Schedule) -> Self {
        RuleProps::with(Trigger::Schedule(schedule))
    }
    /// A fixed name (1 to 64 characters of `A-Z a-z 0-9 . - _`).
    pub fn rule_name(mut self, n: impl Into<Str>) -> Self {
        self.rule_name = Some(n.into());
        self
    }
    /// A description.
    pub fn description(mut self, d: impl Into<Str>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Whether the rule is enabled (yes by default).
    pub fn enabled(mut self, on: bool) -> Self {
        self.enabled = on;
        self
    }
    /// Listens on a custom bus instead of the default one (pattern rules
    /// only: EventBridge runs schedules on the default bus).
    pub fn event_bus(mut self, bus: &EventBus) -> Self {
        self.event_bus = Some(bus.clone());
        self
    }
    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

#[derive(Debug)]
struct Inner {
    scope: Scope,
    cfn: CfnRuleRef,
    targets: RefCell<Vec<rule::Target>>,
    role: RefCell<Option<Role>>,
}

/// An EventBridge rule: events matching a pattern, or a schedule, sent to
/// up to five targets ([`RuleTarget`]) that get the permissions they need.
///
/// A schedule that triggers a function (what other tools call a schedule
/// event source):
///
/// ```
/// # #[cfg(feature = "lambda")] {
/// use std::time::Duration;
/// use formwork::App;
/// use formwork::events::{Rule, RuleProps, RuleTarget, Schedule};
/// use formwork::lambda::{Code, Function, FunctionProps, Runtime};
/// let app = App::new();
/// let stack = app.stack("Jobs")?;
/// let cleanup = Function::new(&stack, "Cleanup", FunctionProps::new(Code::inline("def handler(e, c):\n    return 0\n")).runtime(Runtime::Python313).handler("index.handler"))?;
/// let hourly = Rule::new(&stack, "Hourly", RuleProps::schedule(Schedule::rate(Duration::from_secs(3600))))?;
/// hourly.add_target(RuleTarget::lambda(&cleanup))?;
/// let t = app.synth()?.template_json("Jobs").ok_or("no template")?;
/// assert_eq!(t["Resources"]["Hourly"]["Properties"]["ScheduleExpression"], "rate(1 hour)");
/// assert_eq!(t["Resources"]["CleanupHourlyInvoke"]["Properties"]["SourceArn"]["Fn::GetAtt"][0], "Hourly");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Rule {
    inner: Rc<Inner>,
}

impl Rule {
    /// Adds a rule at `scope/id` (a role for state machine targets at
    /// `scope/id/EventsRole`).
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: RuleProps) -> Result<Rule> {
        let node = scope.child(id)?;
        let mut cfn = CfnRule::new().state(if props.enabled {
            rule::State::Enabled
        } else {
            rule::State::Disabled
        });
        match &props.trigger {
            Trigger::Pattern(p) => {
                for problem in p.problems() {
                    node.report(
                        Diagnostic::error(codes::PATTERN, node.path(), problem)
                            .property("EventPattern"),
                    );
                }
                cfn = cfn.event_pattern(p.to_value());
            }
            Trigger::Schedule(s) => match s.expression() {
                Ok(e) => cfn = cfn.schedule_expression(e),
                Err(message) => node.report(
                    Diagnostic::error(codes::SCHEDULE, node.path(), message)
                        .property("ScheduleExpression"),
                ),
            },
        }
        if let Some(bus) = &props.event_bus {
            if matches!(props.trigger, Trigger::Schedule(_)) {
                node.report(
                    Diagnostic::error(
                        codes::SCHEDULE_BUS,
                        node.path(),
                        format!(
                            "a scheduled rule on the custom event bus {}; EventBridge runs schedules on the default bus only",
                            bus.scope().path()
                        ),
                    )
                    .property("EventBusName")
                    .fix("leave RuleProps::event_bus unset for a schedule"),
                );
            }
            cfn = cfn.event_bus_name(bus.name());
        }
        if let Some(n) = props.rule_name {
            cfn = cfn.name(n);
        }
        if let Some(d) = props.description {
            cfn = cfn.description(d);
        }
        if !props.tags.is_empty() {
            cfn = cfn.tags(
                props
                    .tags
                    .iter()
                    .map(|(k, v)| rule::Tag::new().key(k.as_str()).value(v.as_str())),
            );
        }
        let cfn = node.add_here(cfn)?;
        Ok(Rule {
            inner: Rc::new(Inner {
                scope: node,
                cfn,
                targets: RefCell::new(Vec::new()),
                role: RefCell::new(None),
            }),
        })
    }

    /// The L1 rule.
    pub fn cfn(&self) -> &CfnRuleRef {
        &self.inner.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.inner.scope
    }

    /// The rule ARN (`Fn::GetAtt Arn`).
    pub fn arn(&self) -> Expr {
        self.inner.cfn.arn()
    }

    /// The rule name (`Ref`; `<bus>|<name>` for a rule on a custom bus).
    pub fn name(&self) -> Expr {
        self.inner.cfn.ref_()
    }

    /// The role EventBridge assumes for targets that need one (state
    /// machines), once one was needed.
    pub fn events_role(&self) -> Option<Role> {
        self.inner.role.borrow().clone()
    }

    /// Adds a target (its id is `Target<n>`, in the order added) and the
    /// permission it needs (see [`RuleTarget`]). More than five targets is
    /// error `FW4504`.
    #[track_caller]
    pub fn add_target(&self, target: RuleTarget) -> Result<()> {
        let node = &self.inner.scope;
        let n = self.inner.targets.borrow().len();
        if n == 5 {
            node.report(
                Diagnostic::error(
                    codes::TARGETS,
                    node.path(),
                    "a sixth target; EventBridge allows at most 5 targets per rule",
                )
                .property("Targets")
                .fix("add another rule with the same pattern or schedule"),
            );
        }
        let role = || self.role();
        let t = target.bind(node, &self.arn(), n, &role)?;
        let list = {
            let mut targets = self.inner.targets.borrow_mut();
            targets.push(t);
            targets.clone()
        };
        self.inner.cfn.update(|r| r.targets(list));
        Ok(())
    }

    fn role(&self) -> Result<Role> {
        if let Some(r) = self.inner.role.borrow().as_ref() {
            return Ok(r.clone());
        }
        let role = Role::new(
            &self.inner.scope,
            "EventsRole",
            RoleProps::new(Principal::service("events.amazonaws.com")),
        )?;
        *self.inner.role.borrow_mut() = Some(role.clone());
        Ok(role)
    }

    /// A metric of this rule in `AWS/Events` (dimension `RuleName`).
    pub fn metric(&self, name: &str) -> Metric {
        Metric::new("AWS/Events", name).dimension("RuleName", self.name())
    }

    /// `Invocations` (Sum): deliveries to targets.
    pub fn metric_invocations(&self) -> Metric {
        self.metric("Invocations").statistic(Statistic::Sum)
    }

    /// `FailedInvocations` (Sum): deliveries that failed for good.
    pub fn metric_failed_invocations(&self) -> Metric {
        self.metric("FailedInvocations").statistic(Statistic::Sum)
    }

    /// `TriggeredRules` (Sum): how often the rule matched or fired.
    pub fn metric_triggered_rules(&self) -> Metric {
        self.metric("TriggeredRules").statistic(Statistic::Sum)
    }
}
