//! EventBus: a custom event bus that rules listen on and producers put
//! events to.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Result, Scope, Value};
use formwork_l1::events::{CfnEventBus, CfnEventBusRef, event_bus};

use super::codes;
use crate::iam::{self, GrantSpec, Grantee};

/// What an [`EventBus`] is made with: its name (required), a description
/// and tags.
///
/// ```
/// use formwork::events::EventBusProps;
/// let props = EventBusProps::new("orders").description("Order lifecycle events");
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct EventBusProps {
    name: Str,
    description: Option<Str>,
    tags: Vec<(String, String)>,
}

impl EventBusProps {
    /// A bus named `name` (1 to 256 characters of `A-Z a-z 0-9 . - _ /`;
    /// not `default`, which is the account's own bus).
    pub fn new(name: impl Into<Str>) -> Self {
        EventBusProps {
            name: name.into(),
            description: None,
            tags: Vec::new(),
        }
    }
    /// A description.
    pub fn description(mut self, d: impl Into<Str>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

/// A custom EventBridge event bus. Rules without a bus use the account's
/// default bus; [`RuleProps::event_bus`](super::RuleProps::event_bus)
/// puts a rule on this one.
///
/// | grant | on the bus |
/// |---|---|
/// | [`grant_put_events_to`](EventBus::grant_put_events_to) | `events:PutEvents` |
///
/// ```
/// use formwork::App;
/// use formwork::events::{EventBus, EventBusProps};
/// use formwork::iam::{User, UserProps};
/// let app = App::new();
/// let stack = app.stack("Shop")?;
/// let bus = EventBus::new(&stack, "Orders", EventBusProps::new("orders"))?;
/// let producer = User::new(&stack, "Producer", UserProps::new())?;
/// bus.grant_put_events_to(&producer)?;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct EventBus {
    scope: Scope,
    cfn: CfnEventBusRef,
}

impl PartialEq for EventBus {
    fn eq(&self, other: &Self) -> bool {
        self.scope.path() == other.scope.path()
    }
}

const PUT: &[GrantSpec] = &[GrantSpec {
    actions: &["events:PutEvents"],
    arn: 0,
}];

impl EventBus {
    /// Adds a bus at `scope/id`.
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: EventBusProps) -> Result<EventBus> {
        let node = scope.child(id)?;
        if let Some(s) = props.name.clone().into_value().as_str() {
            if s == "default" {
                node.report(
                    Diagnostic::error(
                        codes::BUS_NAME,
                        node.path(),
                        "`default` is the account's own event bus and cannot be created",
                    )
                    .property("Name")
                    .fix("leave RuleProps::event_bus unset to use the default bus, or choose another name"),
                );
            }
        }
        let mut cfn = CfnEventBus::new().name(props.name);
        if let Some(d) = props.description {
            cfn = cfn.description(d);
        }
        if !props.tags.is_empty() {
            cfn = cfn.tags(
                props
                    .tags
                    .iter()
                    .map(|(k, v)| event_bus::Tag::new().key(k.as_str()).value(v.as_str())),
            );
        }
        let cfn = node.add_here(cfn)?;
        Ok(EventBus { scope: node, cfn })
    }

    /// The L1 bus.
    pub fn cfn(&self) -> &CfnEventBusRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The bus name (`Ref`).
    pub fn name(&self) -> Expr {
        self.cfn.ref_()
    }

    /// The bus ARN (`Fn::GetAtt Arn`).
    pub fn arn(&self) -> Expr {
        self.cfn.arn()
    }

    /// Lets the grantee put events on this bus.
    pub fn grant_put_events_to(&self, grantee: &dyn Grantee) -> Result<()> {
        iam::grant_or_report(&self.scope, grantee, PUT, &[Value::from(self.arn())]);
        Ok(())
    }
}
