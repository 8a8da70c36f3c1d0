//! Topic: an SNS topic with encryption and TLS enforced, its
//! subscriptions, grants and metrics.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Fn, Result, Scope, Value};
use formwork_l1::sns::{
    CfnSubscription, CfnSubscriptionRef, CfnTopic, CfnTopicPolicy, CfnTopicPolicyRef, CfnTopicRef,
    topic,
};

use super::codes;
use crate::cloudwatch::{Metric, Statistic};
use crate::iam::{self, GrantSpec, Grantee, PolicyDocument, PolicyStatement, Principal};
use crate::kms::{Key, KeyProps};

/// How messages are encrypted at rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum TopicEncryption {
    /// SSE with the AWS managed key `alias/aws/sns`. The default. AWS
    /// services that publish (EventBridge, CloudWatch alarms, S3) cannot
    /// use it: give such topics a customer managed key.
    #[default]
    KmsManaged,
    /// SSE with a customer managed key; `key: None` creates one at
    /// `<topic>/Key`. Publishers' grants add the key's actions.
    Kms {
        /// The key; `None` creates one.
        key: Option<Key>,
    },
}

/// What a [`Topic`] is made with.
///
/// Defaults: a standard topic encrypted with `alias/aws/sns`, a topic
/// policy denying publishing without TLS, no name (generated).
///
/// ```
/// use formwork::sns::TopicProps;
/// let props = TopicProps::new().display_name("Orders");
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TopicProps {
    topic_name: Option<Str>,
    display_name: Option<Str>,
    fifo: bool,
    content_based_deduplication: bool,
    encryption: TopicEncryption,
    enforce_tls: bool,
    tags: Vec<(String, String)>,
}

impl Default for TopicProps {
    fn default() -> Self {
        TopicProps::new()
    }
}

impl TopicProps {
    /// The safe defaults (see [`TopicProps`]).
    pub fn new() -> Self {
        TopicProps {
            topic_name: None,
            display_name: None,
            fifo: false,
            content_based_deduplication: false,
            encryption: TopicEncryption::KmsManaged,
            enforce_tls: true,
            tags: Vec::new(),
        }
    }
    /// A fixed name (a FIFO topic's ends with `.fifo`).
    pub fn topic_name(mut self, n: impl Into<Str>) -> Self {
        self.topic_name = Some(n.into());
        self
    }
    /// The display name (the sender of SMS and email).
    pub fn display_name(mut self, n: impl Into<Str>) -> Self {
        self.display_name = Some(n.into());
        self
    }
    /// A FIFO topic (delivers to FIFO queues only).
    pub fn fifo(mut self, on: bool) -> Self {
        self.fifo = on;
        self
    }
    /// FIFO deduplication by a hash of the body (FIFO only).
    pub fn content_based_deduplication(mut self, on: bool) -> Self {
        self.content_based_deduplication = on;
        self
    }
    /// The encryption at rest (`alias/aws/sns` by default).
    pub fn encryption(mut self, e: TopicEncryption) -> Self {
        self.encryption = e;
        self
    }
    /// Whether the topic policy denies publishing without TLS (on by default).
    pub fn enforce_tls(mut self, on: bool) -> Self {
        self.enforce_tls = on;
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
    cfn: CfnTopicRef,
    fifo: bool,
    key: Option<Key>,
    policy: RefCell<(Option<CfnTopicPolicyRef>, PolicyDocument)>,
}

/// An SNS topic.
///
/// | grant | on the topic | on its KMS key (customer managed) |
/// |---|---|---|
/// | [`grant_publish`](Topic::grant_publish) | `sns:Publish` | `kms:GenerateDataKey`, `kms:Decrypt` |
/// | [`grant_subscribe`](Topic::grant_subscribe) | `sns:Subscribe` | |
///
/// ```
/// use formwork::App;
/// use formwork::sns::{Topic, TopicProps};
/// use formwork::sqs::{Queue, QueueProps};
/// let app = App::new();
/// let stack = app.stack("Orders")?;
/// let topic = Topic::new(&stack, "Placed", TopicProps::new())?;
/// let queue = Queue::new(&stack, "Billing", QueueProps::new())?;
/// topic.add_email_subscription("Ops", "ops@example.com")?;
/// topic.add_sqs_subscription("Billing", &queue)?;
/// let t = app.synth()?.template_json("Orders").ok_or("no template")?;
/// assert_eq!(t["Resources"]["PlacedBilling"]["Properties"]["Protocol"], "sqs");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Topic {
    inner: Rc<Inner>,
}

/// A subscription of a topic.
#[derive(Clone, Debug)]
pub struct Subscription {
    cfn: CfnSubscriptionRef,
}

impl Subscription {
    /// The L1 subscription.
    pub fn cfn(&self) -> &CfnSubscriptionRef {
        &self.cfn
    }
}

const PUBLISH: &[&str] = &["sns:Publish"];
const PUBLISH_KMS: &[&str] = &["kms:GenerateDataKey", "kms:Decrypt"];
const SUBSCRIBE: &[&str] = &["sns:Subscribe"];

impl Topic {
    /// Adds a topic at `scope/id` (its policy at `scope/id/Policy`, a
    /// created key at `scope/id/Key`).
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: TopicProps) -> Result<Topic> {
        let node = scope.child(id)?;
        let mut cfn = CfnTopic::new();
        let fifo_rule = |message: String, property: &str| {
            node.report(Diagnostic::error(codes::FIFO, node.path(), message).property(property));
        };
        if let Some(n) = &props.topic_name {
            if let Some(s) = n.clone().into_value().as_str() {
                match (props.fifo, s.ends_with(".fifo")) {
                    (true, false) => fifo_rule(
                        format!("the FIFO topic's name `{s}` does not end with `.fifo`"),
                        "TopicName",
                    ),
                    (false, true) => fifo_rule(
                        format!(
                            "the standard topic's name `{s}` ends with `.fifo`, which SNS keeps for FIFO topics"
                        ),
                        "TopicName",
                    ),
                    _ => {}
                }
            }
            cfn = cfn.topic_name(n.clone());
        }
        if let Some(d) = props.display_name {
            cfn = cfn.display_name(d);
        }
        if props.fifo {
            cfn = cfn.fifo_topic(true);
            if props.content_based_deduplication {
                cfn = cfn.content_based_deduplication(true);
            }
        } else if props.content_based_deduplication {
            fifo_rule(
                "content-based deduplication on a standard topic".to_owned(),
                "ContentBasedDeduplication",
            );
        }
        let key = match props.encryption {
            TopicEncryption::KmsManaged => {
                cfn = cfn.kms_master_key_id("alias/aws/sns");
                None
            }
            TopicEncryption::Kms { key } => {
                let key = match key {
                    Some(k) => k,
                    None => Key::new(
                        &node,
                        "Key",
                        KeyProps::new()
                            .description(format!("Encrypts the messages of topic {}", node.path())),
                    )?,
                };
                cfn = cfn.kms_master_key_id(key.key_arn());
                Some(key)
            }
        };
        if !props.tags.is_empty() {
            cfn = cfn.tags(
                props
                    .tags
                    .iter()
                    .map(|(k, v)| topic::Tag::new().key(k.as_str()).value(v.as_str())),
            );
        }
        let cfn = node.add_here(cfn)?;
        let t = Topic {
            inner: Rc::new(Inner {
                scope: node,
                cfn,
                fifo: props.fifo,
                key,
                policy: RefCell::new((None, PolicyDocument::new())),
            }),
        };
        if props.enforce_tls {
            t.add_to_resource_policy(
                PolicyStatement::deny()
                    .principal(Principal::Any)
                    .actions(["sns:Publish"])
                    .resource(t.arn())
                    .condition("Bool", "aws:SecureTransport", "false"),
            )?;
        }
        Ok(t)
    }

    /// The L1 topic.
    pub fn cfn(&self) -> &CfnTopicRef {
        &self.inner.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.inner.scope
    }

    /// The topic ARN (`Ref`).
    pub fn arn(&self) -> Expr {
        self.inner.cfn.ref_()
    }

    /// The topic name (the last part of its ARN).
    pub fn name(&self) -> Expr {
        Fn::select(5, Fn::split(":", self.arn()))
    }

    /// Whether it is a FIFO topic.
    pub fn is_fifo(&self) -> bool {
        self.inner.fifo
    }

    /// Its customer managed key, if it has one.
    pub fn encryption_key(&self) -> Option<&Key> {
        self.inner.key.as_ref()
    }

    /// Adds a statement to the topic policy (created at `topic/Policy` on
    /// first use).
    pub fn add_to_resource_policy(&self, statement: PolicyStatement) -> Result<()> {
        let mut st = self.inner.policy.borrow_mut();
        st.1.add(statement);
        let doc = st.1.clone();
        match &st.0 {
            Some(p) => p.update(|p| p.policy_document(doc)),
            None => {
                let p = self.scope().add(
                    "Policy",
                    CfnTopicPolicy::new()
                        .topics([self.arn()])
                        .policy_document(doc),
                )?;
                st.0 = Some(p);
            }
        }
        Ok(())
    }

    /// Lets an AWS service (`events.amazonaws.com`,
    /// `cloudwatch.amazonaws.com`) publish to this topic on behalf of one
    /// resource only: an `Allow` of `sns:Publish` in the topic policy with
    /// an `aws:SourceArn` condition, and the use of the topic's customer
    /// managed key in the key's policy, for this account's resources (see
    /// `sqs::Queue::allow_service_send` for why not by source ARN). A topic encrypted with the AWS
    /// managed key `alias/aws/sns` cannot be published to by AWS services
    /// (its key policy cannot be changed): check
    /// [`encryption_key`](Topic::encryption_key) first.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::sns::{Topic, TopicEncryption, TopicProps};
    /// let app = App::new();
    /// let stack = app.stack("Alerts")?;
    /// let t = Topic::new(&stack, "Alerts", TopicProps::new().encryption(TopicEncryption::Kms { key: None }))?;
    /// t.allow_service_publish("events.amazonaws.com", "arn:aws:events:ap-northeast-1:123456789012:rule/alerts")?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn allow_service_publish(&self, service: &str, source_arn: impl Into<Value>) -> Result<()> {
        let source_arn: Value = source_arn.into();
        self.add_to_resource_policy(
            PolicyStatement::allow()
                .principal(Principal::service(service))
                .actions(["sns:Publish"])
                .resource(self.arn())
                .condition("ArnEquals", "aws:SourceArn", source_arn),
        )?;
        if let Some(k) = self.encryption_key() {
            k.add_to_resource_policy(
                PolicyStatement::allow()
                    .principal(Principal::service(service))
                    .actions(PUBLISH_KMS.iter().copied())
                    .resource("*")
                    .condition(
                        "StringEquals",
                        "aws:SourceAccount",
                        Value::from(formwork_core::Pseudo::AccountId),
                    ),
            );
        }
        Ok(())
    }

    /// Lets the grantee publish (and use the topic's key to).
    pub fn grant_publish(&self, grantee: &dyn Grantee) -> Result<()> {
        let mut specs = vec![GrantSpec {
            actions: PUBLISH,
            arn: 0,
        }];
        let mut arns = vec![Value::from(self.arn())];
        if let Some(k) = &self.inner.key {
            specs.push(GrantSpec {
                actions: PUBLISH_KMS,
                arn: 1,
            });
            arns.push(k.key_arn().into_value());
        }
        iam::grant_or_report(self.scope(), grantee, &specs, &arns);
        Ok(())
    }

    /// Lets the grantee subscribe endpoints to the topic.
    pub fn grant_subscribe(&self, grantee: &dyn Grantee) -> Result<()> {
        iam::grant_or_report(
            self.scope(),
            grantee,
            &[GrantSpec {
                actions: SUBSCRIBE,
                arn: 0,
            }],
            &[Value::from(self.arn())],
        );
        Ok(())
    }

    fn subscribe(&self, id: &str, protocol: &str, endpoint: Str) -> Result<Subscription> {
        let cfn = self.scope().add(
            id,
            CfnSubscription::new()
                .topic_arn(self.arn())
                .protocol(protocol)
                .endpoint(endpoint),
        )?;
        Ok(Subscription { cfn })
    }

    /// Subscribes an email address at `topic/id` (the owner confirms by
    /// following the link SNS mails). Not for FIFO topics.
    #[track_caller]
    pub fn add_email_subscription(&self, id: &str, address: &str) -> Result<Subscription> {
        let at = address.split_once('@');
        if !at.is_some_and(|(u, d)| {
            !u.is_empty() && d.contains('.') && !address.contains(char::is_whitespace)
        }) {
            self.scope().report(
                Diagnostic::error(
                    codes::ENDPOINT,
                    self.scope().path(),
                    format!("`{address}` is not an email address"),
                )
                .property("Subscription.Endpoint"),
            );
        }
        self.not_fifo("an email subscription");
        self.subscribe(id, "email", Str::from(address))
    }

    /// Subscribes a queue at `topic/id`: the queue's policy lets this topic
    /// send to it, and a customer managed key of the queue lets SNS use it.
    /// A FIFO topic needs a FIFO queue.
    #[cfg(feature = "sqs")]
    #[track_caller]
    pub fn add_sqs_subscription(
        &self,
        id: &str,
        queue: &crate::sqs::Queue,
    ) -> Result<Subscription> {
        if self.is_fifo() && !queue.is_fifo() {
            self.scope().report(
                Diagnostic::error(
                    codes::FIFO,
                    self.scope().path(),
                    format!(
                        "the FIFO topic cannot deliver to the standard queue {}",
                        queue.scope().path()
                    ),
                )
                .property("Subscription.Endpoint")
                .fix("subscribe a FIFO queue"),
            );
        }
        queue.allow_service_send("sns.amazonaws.com", self.arn())?;
        self.subscribe(id, "sqs", queue.arn())
    }

    /// Subscribes a function at `topic/id`, with the permission that lets
    /// this topic invoke it (added to the function as
    /// `<topic id><id>Invoke`). Not for FIFO topics.
    #[cfg(feature = "lambda")]
    #[track_caller]
    pub fn add_lambda_subscription(
        &self,
        id: &str,
        function: &crate::lambda::Function,
    ) -> Result<Subscription> {
        self.not_fifo("a Lambda subscription");
        let perm_id = format!("{}{}Invoke", self.scope().id(), id);
        function.add_permission(
            &perm_id,
            crate::lambda::PermissionProps::new("sns.amazonaws.com").source_arn(self.arn()),
        )?;
        self.subscribe(id, "lambda", Str::from(function.arn()))
    }

    fn not_fifo(&self, what: &str) {
        if self.is_fifo() {
            self.scope().report(
                Diagnostic::error(
                    codes::FIFO,
                    self.scope().path(),
                    format!("{what} on a FIFO topic; FIFO topics deliver to SQS FIFO queues"),
                )
                .property("Subscription.Protocol"),
            );
        }
    }

    /// A metric of this topic in `AWS/SNS` (dimension `TopicName`).
    pub fn metric(&self, name: &str) -> Metric {
        Metric::new("AWS/SNS", name).dimension("TopicName", self.name())
    }

    /// `NumberOfNotificationsFailed` (Sum).
    pub fn metric_number_of_notifications_failed(&self) -> Metric {
        self.metric("NumberOfNotificationsFailed")
            .statistic(Statistic::Sum)
    }

    /// `NumberOfMessagesPublished` (Sum).
    pub fn metric_number_of_messages_published(&self) -> Metric {
        self.metric("NumberOfMessagesPublished")
            .statistic(Statistic::Sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{User, UserProps};
    use crate::sqs::{Queue, QueueEncryption, QueueProps};
    use formwork_core::App;
    use formwork_test_support::{failed, synth_and_lint, template, with_code};
    use serde_json::json;

    #[test]
    fn a_topic_is_encrypted_and_tls_only() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Topic::new(&s, "T", TopicProps::new()).unwrap();
        let t = template(&synth_and_lint(&app, "sns-defaults"), "S");
        assert_eq!(
            t["Resources"]["T"]["Properties"],
            json!({"KmsMasterKeyId": "alias/aws/sns"})
        );
        assert_eq!(
            t["Resources"]["TPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]["Condition"],
            json!({"Bool": {"aws:SecureTransport": "false"}})
        );
    }

    #[test]
    fn subscriptions_get_their_permissions_and_grants_their_key() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let t = Topic::new(
            &s,
            "T",
            TopicProps::new()
                .display_name("Orders")
                .encryption(TopicEncryption::Kms { key: None })
                .tag("a", "b"),
        )
        .unwrap();
        let q = Queue::new(
            &s,
            "Q",
            QueueProps::new().encryption(QueueEncryption::Kms { key: None }),
        )
        .unwrap();
        t.add_sqs_subscription("Billing", &q).unwrap();
        t.add_email_subscription("Ops", "ops@example.com").unwrap();
        let u = User::new(&s, "U", UserProps::new()).unwrap();
        t.grant_publish(&u).unwrap();
        t.grant_subscribe(&u).unwrap();
        let tpl = template(&synth_and_lint(&app, "sns-subscriptions"), "S");
        let r = &tpl["Resources"];
        assert_eq!(
            r["TBilling"]["Properties"],
            json!({"Endpoint": {"Fn::GetAtt": ["Q", "Arn"]}, "Protocol": "sqs", "TopicArn": {"Ref": "T"}})
        );
        assert_eq!(r["TOps"]["Properties"]["Endpoint"], "ops@example.com");
        assert_eq!(
            r["T"]["Properties"]["KmsMasterKeyId"],
            json!({"Fn::GetAtt": ["TKey", "Arn"]})
        );
        let qp = &r["QPolicy"]["Properties"]["PolicyDocument"]["Statement"][1];
        assert_eq!(qp["Principal"], json!({"Service": "sns.amazonaws.com"}));
        assert_eq!(
            qp["Condition"],
            json!({"ArnEquals": {"aws:SourceArn": {"Ref": "T"}}})
        );
        assert_eq!(
            r["QKey"]["Properties"]["KeyPolicy"]["Statement"][1]["Action"],
            json!(["kms:GenerateDataKey", "kms:Decrypt"])
        );
        let st = &r["U"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
        assert_eq!(
            st[0],
            json!({"Effect": "Allow", "Action": ["sns:Publish", "sns:Subscribe"], "Resource": {"Ref": "T"}})
        );
        assert_eq!(st[1]["Resource"], json!({"Fn::GetAtt": ["TKey", "Arn"]}));
        assert_eq!(
            t.metric_number_of_notifications_failed().namespace(),
            "AWS/SNS"
        );
    }

    #[test]
    fn fifo_rules_and_endpoints_are_checked() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let f = Topic::new(&s, "F", TopicProps::new().fifo(true).topic_name("orders")).unwrap();
        let q = Queue::new(&s, "Q", QueueProps::new()).unwrap();
        f.add_sqs_subscription("Q", &q).unwrap();
        f.add_email_subscription("Mail", "not-an-address").unwrap();
        Topic::new(&s, "G", TopicProps::new().content_based_deduplication(true)).unwrap();
        let errs = failed(&app);
        assert_eq!(with_code(&errs.0, codes::FIFO).len(), 4);
        assert_eq!(with_code(&errs.0, codes::ENDPOINT).len(), 1);
    }
}
