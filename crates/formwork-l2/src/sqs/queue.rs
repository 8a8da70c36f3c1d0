//! Queue: an SQS queue with safe defaults, its dead-letter queue, queue
//! policy, grants and metrics.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Fn, RemovalPolicy, Result, Scope, Value, ValueMap};
use formwork_l1::sqs::{CfnQueue, CfnQueuePolicy, CfnQueuePolicyRef, CfnQueueRef, queue};

use super::codes;
use crate::cloudwatch::Metric;
use crate::iam::{self, GrantSpec, Grantee, PolicyDocument, PolicyStatement, Principal};
use crate::kms::{Key, KeyProps};

/// How messages are encrypted at rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum QueueEncryption {
    /// SSE-SQS: keys managed by SQS, nothing to grant. The default.
    #[default]
    SqsManaged,
    /// SSE-KMS with the AWS managed key `alias/aws/sqs` (no key to manage;
    /// producers in other accounts and AWS services cannot use it).
    KmsManaged,
    /// SSE-KMS with a customer managed key; `key: None` creates one at
    /// `<queue>/Key`. Grants on the queue add the key's actions.
    Kms {
        /// The key; `None` creates one.
        key: Option<Key>,
    },
}

/// A dead-letter queue and how many receives move a message into it.
#[derive(Clone, Debug, PartialEq)]
pub struct DeadLetterQueue {
    queue: Queue,
    max_receive_count: u32,
}

impl DeadLetterQueue {
    /// Messages received `max_receive_count` times (1 to 1000) without
    /// being deleted move to `queue`.
    pub fn new(queue: &Queue, max_receive_count: u32) -> Self {
        DeadLetterQueue {
            queue: queue.clone(),
            max_receive_count,
        }
    }
}

/// What a [`Queue`] is made with.
///
/// Defaults: a standard queue, SSE-SQS encryption, a queue policy denying
/// requests without TLS, SQS's own defaults for timings (visibility 30 s,
/// retention 4 days, no delay, short polling), no dead-letter queue,
/// `DeletionPolicy` / `UpdateReplacePolicy: Retain` (messages are data).
///
/// ```
/// use formwork::sqs::{QueueEncryption, QueueProps};
/// let props = QueueProps::new()
///     .fifo(true)
///     .content_based_deduplication(true)
///     .visibility_timeout_seconds(120)
///     .encryption(QueueEncryption::Kms { key: None });
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct QueueProps {
    queue_name: Option<Str>,
    fifo: bool,
    content_based_deduplication: bool,
    high_throughput_fifo: bool,
    visibility_timeout: Option<u32>,
    retention_period: Option<u32>,
    delay: Option<u32>,
    receive_wait: Option<u32>,
    max_message_size: Option<u32>,
    dead_letter_queue: Option<DeadLetterQueue>,
    encryption: QueueEncryption,
    enforce_tls: bool,
    removal_policy: RemovalPolicy,
    tags: Vec<(String, String)>,
}

impl Default for QueueProps {
    fn default() -> Self {
        QueueProps::new()
    }
}

impl QueueProps {
    /// The safe defaults (see [`QueueProps`]).
    pub fn new() -> Self {
        QueueProps {
            queue_name: None,
            fifo: false,
            content_based_deduplication: false,
            high_throughput_fifo: false,
            visibility_timeout: None,
            retention_period: None,
            delay: None,
            receive_wait: None,
            max_message_size: None,
            dead_letter_queue: None,
            encryption: QueueEncryption::SqsManaged,
            enforce_tls: true,
            removal_policy: RemovalPolicy::Retain,
            tags: Vec::new(),
        }
    }
    /// A fixed name (a FIFO queue's ends with `.fifo`).
    pub fn queue_name(mut self, name: impl Into<Str>) -> Self {
        self.queue_name = Some(name.into());
        self
    }
    /// A FIFO queue: ordered, exactly-once processing.
    pub fn fifo(mut self, on: bool) -> Self {
        self.fifo = on;
        self
    }
    /// FIFO deduplication by a SHA-256 of the body (FIFO only).
    pub fn content_based_deduplication(mut self, on: bool) -> Self {
        self.content_based_deduplication = on;
        self
    }
    /// High-throughput FIFO: deduplication and throughput limits per
    /// message group (FIFO only).
    pub fn high_throughput_fifo(mut self, on: bool) -> Self {
        self.high_throughput_fifo = on;
        self
    }
    /// How long a received message is hidden (0 to 43200 s; default 30).
    /// A Lambda consumer needs at least its function's timeout.
    pub fn visibility_timeout_seconds(mut self, s: u32) -> Self {
        self.visibility_timeout = Some(s);
        self
    }
    /// How long messages are kept (60 to 1209600 s; default 345600).
    pub fn retention_period_seconds(mut self, s: u32) -> Self {
        self.retention_period = Some(s);
        self
    }
    /// Delay before a new message is visible (0 to 900 s; default 0).
    pub fn delivery_delay_seconds(mut self, s: u32) -> Self {
        self.delay = Some(s);
        self
    }
    /// Long polling wait (0 to 20 s; default 0).
    pub fn receive_message_wait_seconds(mut self, s: u32) -> Self {
        self.receive_wait = Some(s);
        self
    }
    /// Largest message in bytes (1024 to 1048576; default 1048576).
    pub fn max_message_size_bytes(mut self, b: u32) -> Self {
        self.max_message_size = Some(b);
        self
    }
    /// A dead-letter queue (of the same kind: FIFO for a FIFO queue).
    pub fn dead_letter_queue(mut self, dlq: DeadLetterQueue) -> Self {
        self.dead_letter_queue = Some(dlq);
        self
    }
    /// The encryption at rest (SSE-SQS by default).
    pub fn encryption(mut self, e: QueueEncryption) -> Self {
        self.encryption = e;
        self
    }
    /// Whether the queue policy denies requests without TLS (on by default).
    pub fn enforce_tls(mut self, on: bool) -> Self {
        self.enforce_tls = on;
        self
    }
    /// What happens to the queue when it leaves the stack (`Retain` by default).
    pub fn removal_policy(mut self, p: RemovalPolicy) -> Self {
        self.removal_policy = p;
        self
    }
    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

#[derive(Debug)]
struct PolicyState {
    cfn: Option<CfnQueuePolicyRef>,
    document: PolicyDocument,
}

#[derive(Debug)]
struct Inner {
    scope: Scope,
    cfn: Option<CfnQueueRef>,
    arn: Str,
    url: Str,
    name: Str,
    fifo: bool,
    visibility_timeout: u32,
    key: Option<Key>,
    policy: RefCell<PolicyState>,
}

/// An SQS queue: one this stack creates ([`Queue::new`]) or an existing
/// one ([`Queue::from_arn`]).
///
/// | grant | on the queue | on its KMS key (customer managed) |
/// |---|---|---|
/// | [`grant_send_messages`](Queue::grant_send_messages) | `sqs:SendMessage`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` | `kms:GenerateDataKey`, `kms:Decrypt` |
/// | [`grant_consume_messages`](Queue::grant_consume_messages) | `sqs:ReceiveMessage`, `sqs:ChangeMessageVisibility`, `sqs:DeleteMessage`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` | `kms:Decrypt` |
/// | [`grant_purge`](Queue::grant_purge) | `sqs:PurgeQueue`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` | |
///
/// ```
/// use formwork::App;
/// use formwork::iam::{User, UserProps};
/// use formwork::sqs::{DeadLetterQueue, Queue, QueueProps};
/// let app = App::new();
/// let stack = app.stack("Jobs")?;
/// let failed = Queue::new(&stack, "Failed", QueueProps::new())?;
/// let jobs = Queue::new(&stack, "Jobs", QueueProps::new().dead_letter_queue(DeadLetterQueue::new(&failed, 5)))?;
/// let producer = User::new(&stack, "Producer", UserProps::new())?;
/// jobs.grant_send_messages(&producer)?;
/// let t = app.synth()?.template_json("Jobs").ok_or("no template")?;
/// assert_eq!(t["Resources"]["Jobs"]["Properties"]["RedrivePolicy"]["maxReceiveCount"], 5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Queue {
    inner: Rc<Inner>,
}

impl PartialEq for Queue {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

const SEND: &[&str] = &[
    "sqs:SendMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
];
const SEND_KMS: &[&str] = &["kms:GenerateDataKey", "kms:Decrypt"];
const CONSUME: &[&str] = &[
    "sqs:ReceiveMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
];
const CONSUME_KMS: &[&str] = &["kms:Decrypt"];
const PURGE: &[&str] = &[
    "sqs:PurgeQueue",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
];

fn range(node: &Scope, property: &str, what: &str, v: Option<u32>, lo: u32, hi: u32) {
    if let Some(v) = v.filter(|v| !(lo..=hi).contains(v)) {
        node.report(
            Diagnostic::error(
                codes::RANGE,
                node.path(),
                format!("{what} of {v} is out of range; allowed: {lo} to {hi}"),
            )
            .property(property),
        );
    }
}

impl Queue {
    /// Adds a queue at `scope/id` (its policy at `scope/id/Policy`, a
    /// created key at `scope/id/Key`).
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: QueueProps) -> Result<Queue> {
        let node = scope.child(id)?;
        let mut cfn = CfnQueue::new();
        let fifo_rule = |message: String, property: &str, fix: &str| {
            node.report(
                Diagnostic::error(codes::FIFO, node.path(), message)
                    .property(property)
                    .fix(fix),
            );
        };
        if let Some(n) = &props.queue_name {
            if let Some(s) = n.clone().into_value().as_str() {
                let base = s.strip_suffix(".fifo").unwrap_or(s);
                if s.len() > 80
                    || base.is_empty()
                    || !base
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    node.report(
                        Diagnostic::error(
                            codes::NAME,
                            node.path(),
                            format!("the queue name `{s}` is refused by SQS; allowed: 1 to 80 characters of A-Z a-z 0-9 - _ (and .fifo at the end of a FIFO queue's)"),
                        )
                        .property("QueueName"),
                    );
                }
                match (props.fifo, s.ends_with(".fifo")) {
                    (true, false) => fifo_rule(
                        format!("the FIFO queue's name `{s}` does not end with `.fifo`"),
                        "QueueName",
                        "add `.fifo` to the name",
                    ),
                    (false, true) => fifo_rule(
                        format!(
                            "the standard queue's name `{s}` ends with `.fifo`, which SQS keeps for FIFO queues"
                        ),
                        "QueueName",
                        "make it a FIFO queue with `.fifo(true)`, or drop `.fifo` from the name",
                    ),
                    _ => {}
                }
            }
            cfn = cfn.queue_name(n.clone());
        }
        if props.fifo {
            cfn = cfn.fifo_queue(true);
            if props.content_based_deduplication {
                cfn = cfn.content_based_deduplication(true);
            }
            if props.high_throughput_fifo {
                cfn = cfn
                    .deduplication_scope("messageGroup")
                    .fifo_throughput_limit("perMessageGroupId");
            }
        } else {
            if props.content_based_deduplication {
                fifo_rule(
                    "content-based deduplication on a standard queue".to_owned(),
                    "ContentBasedDeduplication",
                    "make it a FIFO queue with `.fifo(true)`",
                );
            }
            if props.high_throughput_fifo {
                fifo_rule(
                    "high-throughput FIFO on a standard queue".to_owned(),
                    "FifoThroughputLimit",
                    "make it a FIFO queue with `.fifo(true)`",
                );
            }
        }
        range(
            &node,
            "VisibilityTimeout",
            "a visibility timeout",
            props.visibility_timeout,
            0,
            43_200,
        );
        range(
            &node,
            "MessageRetentionPeriod",
            "a retention period",
            props.retention_period,
            60,
            1_209_600,
        );
        range(
            &node,
            "DelaySeconds",
            "a delivery delay",
            props.delay,
            0,
            900,
        );
        range(
            &node,
            "ReceiveMessageWaitTimeSeconds",
            "a receive wait",
            props.receive_wait,
            0,
            20,
        );
        range(
            &node,
            "MaximumMessageSize",
            "a maximum message size",
            props.max_message_size,
            1024,
            1_048_576,
        );
        if let Some(v) = props.visibility_timeout {
            cfn = cfn.visibility_timeout(v);
        }
        if let Some(v) = props.retention_period {
            cfn = cfn.message_retention_period(v);
        }
        if let Some(v) = props.delay {
            cfn = cfn.delay_seconds(v);
        }
        if let Some(v) = props.receive_wait {
            cfn = cfn.receive_message_wait_time_seconds(v);
        }
        if let Some(v) = props.max_message_size {
            cfn = cfn.maximum_message_size(v);
        }
        if let Some(dlq) = &props.dead_letter_queue {
            range(
                &node,
                "RedrivePolicy.maxReceiveCount",
                "a max receive count",
                Some(dlq.max_receive_count),
                1,
                1000,
            );
            if dlq.queue.is_fifo() != props.fifo {
                fifo_rule(
                    format!(
                        "the dead-letter queue {} is a {} queue, but this one is a {} queue; SQS needs both of the same kind",
                        dlq.queue.scope().path(),
                        if dlq.queue.is_fifo() {
                            "FIFO"
                        } else {
                            "standard"
                        },
                        if props.fifo { "FIFO" } else { "standard" },
                    ),
                    "RedrivePolicy",
                    "give it a dead-letter queue of the same kind",
                );
            }
            let mut m = ValueMap::default();
            m.insert(
                "deadLetterTargetArn".to_owned(),
                Value::from(dlq.queue.arn()),
            );
            m.insert(
                "maxReceiveCount".to_owned(),
                Value::from(dlq.max_receive_count),
            );
            cfn = cfn.redrive_policy(Value::Map(m));
        }
        let key = match props.encryption {
            QueueEncryption::SqsManaged => {
                cfn = cfn.sqs_managed_sse_enabled(true);
                None
            }
            QueueEncryption::KmsManaged => {
                cfn = cfn.kms_master_key_id("alias/aws/sqs");
                None
            }
            QueueEncryption::Kms { key } => {
                let key = match key {
                    Some(k) => k,
                    None => Key::new(
                        &node,
                        "Key",
                        KeyProps::new()
                            .description(format!("Encrypts the messages of queue {}", node.path())),
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
                    .map(|(k, v)| queue::Tag::new().key(k.as_str()).value(v.as_str())),
            );
        }
        let cfn = node.add_here(cfn)?;
        match props.removal_policy {
            RemovalPolicy::Snapshot => {
                node.error(
                    codes::RANGE,
                    "DeletionPolicy",
                    "SQS queues have no snapshots; allowed removal policies: Retain, RetainExceptOnCreate, Delete",
                );
            }
            RemovalPolicy::RetainExceptOnCreate => {
                cfn.set_deletion_policy(props.removal_policy)
                    .set_update_replace_policy(RemovalPolicy::Retain);
            }
            p => {
                cfn.apply_removal_policy(p);
            }
        }
        let q = Queue {
            inner: Rc::new(Inner {
                arn: Str::from(cfn.arn()),
                url: Str::from(cfn.ref_()),
                name: Str::from(Fn::select(5, Fn::split(":", cfn.arn()))),
                scope: node,
                cfn: Some(cfn),
                fifo: props.fifo,
                visibility_timeout: props.visibility_timeout.unwrap_or(30),
                key,
                policy: RefCell::new(PolicyState {
                    cfn: None,
                    document: PolicyDocument::new(),
                }),
            }),
        };
        if props.enforce_tls {
            q.add_to_resource_policy(
                PolicyStatement::deny()
                    .principal(Principal::Any)
                    .actions(["sqs:*"])
                    .resource(q.arn())
                    .condition("Bool", "aws:SecureTransport", "false"),
            )?;
        }
        Ok(q)
    }

    /// An existing queue, by ARN (`arn:aws:sqs:<region>:<account>:<name>`):
    /// no resource is created; grants and references work. A FIFO queue is
    /// recognized by its `.fifo` name; give its key with
    /// [`with_encryption_key`](Queue::with_encryption_key).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::sqs::Queue;
    /// let app = App::new();
    /// let stack = app.stack("Reader")?;
    /// let q = Queue::from_arn(&stack, "Orders", "arn:aws:sqs:ap-northeast-1:123456789012:orders.fifo")?;
    /// assert!(q.is_fifo());
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn from_arn(scope: &Scope, id: &str, arn: impl Into<Str>) -> Result<Queue> {
        let node = scope.child(id)?;
        let arn: Str = arn.into();
        let v = arn.clone().into_value();
        let (name, url, fifo) = match v.as_str() {
            Some(s) => {
                let parts: Vec<&str> = s.split(':').collect();
                if parts.len() != 6 || parts[0] != "arn" || parts[2] != "sqs" {
                    node.report(
                        Diagnostic::error(
                            codes::NAME,
                            node.path(),
                            format!("`{s}` is not an SQS queue ARN; expected arn:<partition>:sqs:<region>:<account>:<name>"),
                        )
                        .property("QueueArn"),
                    );
                }
                let name = parts.last().copied().unwrap_or_default().to_owned();
                let url = format!(
                    "https://sqs.{}.amazonaws.com/{}/{}",
                    parts.get(3).copied().unwrap_or_default(),
                    parts.get(4).copied().unwrap_or_default(),
                    name
                );
                let fifo = name.ends_with(".fifo");
                (Str::from(name), Str::from(url), fifo)
            }
            None => {
                let e = match v {
                    Value::Expr(e) => e,
                    _ => Fn::sub(""),
                };
                let name = Fn::select(5, Fn::split(":", e.clone()));
                let url = Fn::concat([
                    Value::from("https://sqs."),
                    Value::from(Fn::select(3, Fn::split(":", e.clone()))),
                    Value::from(".amazonaws.com/"),
                    Value::from(Fn::select(4, Fn::split(":", e))),
                    Value::from("/"),
                    Value::from(name.clone()),
                ]);
                (Str::from(name), Str::from(url), false)
            }
        };
        Ok(Queue {
            inner: Rc::new(Inner {
                scope: node,
                cfn: None,
                arn,
                url,
                name,
                fifo,
                visibility_timeout: 30,
                key: None,
                policy: RefCell::new(PolicyState {
                    cfn: None,
                    document: PolicyDocument::new(),
                }),
            }),
        })
    }

    /// The same imported queue, encrypted with `key` (so grants include it).
    pub fn with_encryption_key(self, key: &Key) -> Queue {
        let i = &self.inner;
        Queue {
            inner: Rc::new(Inner {
                scope: i.scope.clone(),
                cfn: i.cfn.clone(),
                arn: i.arn.clone(),
                url: i.url.clone(),
                name: i.name.clone(),
                fifo: i.fifo,
                visibility_timeout: i.visibility_timeout,
                key: Some(key.clone()),
                policy: RefCell::new(PolicyState {
                    cfn: None,
                    document: PolicyDocument::new(),
                }),
            }),
        }
    }

    /// The L1 queue (`None` for an imported queue).
    pub fn cfn(&self) -> Option<&CfnQueueRef> {
        self.inner.cfn.as_ref()
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.inner.scope
    }

    /// The queue ARN (`Fn::GetAtt Arn`).
    pub fn arn(&self) -> Str {
        self.inner.arn.clone()
    }

    /// The queue URL (`Ref`).
    pub fn url(&self) -> Str {
        self.inner.url.clone()
    }

    /// The queue name (the last part of its ARN).
    pub fn name(&self) -> Str {
        self.inner.name.clone()
    }

    /// Whether it is a FIFO queue.
    pub fn is_fifo(&self) -> bool {
        self.inner.fifo
    }

    /// Its visibility timeout in seconds (30 unless set; 30 for an
    /// imported queue, whose setting is not known).
    pub fn visibility_timeout_seconds(&self) -> u32 {
        self.inner.visibility_timeout
    }

    /// Its customer managed key, if it has one.
    pub fn encryption_key(&self) -> Option<&Key> {
        self.inner.key.as_ref()
    }

    /// Adds a statement to the queue policy (created at `queue/Policy` on
    /// first use). Returns false, with a warning, for an imported queue.
    pub fn add_to_resource_policy(&self, statement: PolicyStatement) -> Result<bool> {
        let Some(cfn) = &self.inner.cfn else {
            self.scope().report(Diagnostic::warning(
                codes::POLICY_NOT_MANAGED,
                self.scope().path(),
                "a queue policy statement was not added: this is an imported queue, whose policy this stack does not manage",
            ));
            return Ok(false);
        };
        let mut st = self.inner.policy.borrow_mut();
        st.document.add(statement);
        let doc = st.document.clone();
        match &st.cfn {
            Some(p) => p.update(|p| p.policy_document(doc)),
            None => {
                let p = self.scope().add(
                    "Policy",
                    CfnQueuePolicy::new()
                        .queues([cfn.ref_()])
                        .policy_document(doc),
                )?;
                st.cfn = Some(p);
            }
        }
        Ok(true)
    }

    /// Lets an AWS service (`sns.amazonaws.com`, `events.amazonaws.com`)
    /// send to this queue on behalf of one resource only: an `Allow` of
    /// `sqs:SendMessage` in the queue policy with an `aws:SourceArn`
    /// condition, and, when the queue has a customer managed key, the key
    /// use it needs in the key's policy, for this account's resources (a
    /// condition on the source ARN there would make the key depend on the
    /// resource that sends, which often depends on the queue: a cycle).
    /// Returns false, with the warning of
    /// [`add_to_resource_policy`](Queue::add_to_resource_policy), for an
    /// imported queue.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::sqs::{Queue, QueueProps};
    /// let app = App::new();
    /// let stack = app.stack("Jobs")?;
    /// let q = Queue::new(&stack, "Jobs", QueueProps::new())?;
    /// q.allow_service_send("events.amazonaws.com", "arn:aws:events:ap-northeast-1:123456789012:rule/nightly")?;
    /// assert_eq!(q.resource_policy().statements().len(), 2);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn allow_service_send(&self, service: &str, source_arn: impl Into<Value>) -> Result<bool> {
        let source_arn: Value = source_arn.into();
        let added = self.add_to_resource_policy(
            PolicyStatement::allow()
                .principal(Principal::service(service))
                .actions(["sqs:SendMessage"])
                .resource(self.arn())
                .condition("ArnEquals", "aws:SourceArn", source_arn),
        )?;
        if let Some(k) = self.encryption_key() {
            k.add_to_resource_policy(
                PolicyStatement::allow()
                    .principal(Principal::service(service))
                    .actions(["kms:GenerateDataKey", "kms:Decrypt"])
                    .resource("*")
                    .condition(
                        "StringEquals",
                        "aws:SourceAccount",
                        Value::from(formwork_core::Pseudo::AccountId),
                    ),
            );
        }
        Ok(added)
    }

    /// The queue policy as it is now.
    pub fn resource_policy(&self) -> PolicyDocument {
        self.inner.policy.borrow().document.clone()
    }

    /// Lets the grantee send messages (see the table on [`Queue`]).
    pub fn grant_send_messages(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, SEND, SEND_KMS)
    }

    /// Lets the grantee receive and delete messages (see the table on [`Queue`]).
    pub fn grant_consume_messages(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, CONSUME, CONSUME_KMS)
    }

    /// Lets the grantee purge the queue.
    pub fn grant_purge(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, PURGE, &[])
    }

    fn grant(
        &self,
        grantee: &dyn Grantee,
        actions: &'static [&'static str],
        kms: &'static [&'static str],
    ) -> Result<()> {
        let mut specs = vec![GrantSpec { actions, arn: 0 }];
        let mut arns = vec![self.arn().into_value()];
        if let (Some(k), false) = (&self.inner.key, kms.is_empty()) {
            specs.push(GrantSpec {
                actions: kms,
                arn: 1,
            });
            arns.push(k.key_arn().into_value());
        }
        iam::grant_or_report(self.scope(), grantee, &specs, &arns);
        Ok(())
    }

    /// A metric of this queue in `AWS/SQS` (dimension `QueueName`).
    pub fn metric(&self, name: &str) -> Metric {
        Metric::new("AWS/SQS", name).dimension("QueueName", self.name().into_value())
    }

    /// `ApproximateNumberOfMessagesVisible` (Maximum): the backlog.
    pub fn metric_approximate_number_of_messages_visible(&self) -> Metric {
        self.metric("ApproximateNumberOfMessagesVisible")
            .statistic(crate::cloudwatch::Statistic::Maximum)
    }

    /// `ApproximateAgeOfOldestMessage` (Maximum, seconds): how far behind
    /// consumers are.
    pub fn metric_approximate_age_of_oldest_message(&self) -> Metric {
        self.metric("ApproximateAgeOfOldestMessage")
            .statistic(crate::cloudwatch::Statistic::Maximum)
            .unit("Seconds")
    }

    /// `NumberOfMessagesSent` (Sum).
    pub fn metric_number_of_messages_sent(&self) -> Metric {
        self.metric("NumberOfMessagesSent")
            .statistic(crate::cloudwatch::Statistic::Sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::testing::NoRole;
    use crate::iam::{Role, RoleProps, User, UserProps};
    use formwork_core::App;
    use formwork_test_support::{failed, synth_and_lint, template, with_code};
    use serde_json::json;

    #[test]
    fn a_queue_is_encrypted_tls_only_and_retained() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Queue::new(&s, "Q", QueueProps::new()).unwrap();
        let t = template(&synth_and_lint(&app, "sqs-defaults"), "S");
        assert_eq!(
            t["Resources"]["Q"],
            json!({"Type": "AWS::SQS::Queue", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
                   "Properties": {"SqsManagedSseEnabled": true}})
        );
        assert_eq!(
            t["Resources"]["QPolicy"]["Properties"],
            json!({
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Deny", "Principal": "*", "Action": "sqs:*",
                    "Resource": {"Fn::GetAtt": ["Q", "Arn"]},
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                }]},
                "Queues": [{"Ref": "Q"}]
            })
        );
    }

    #[test]
    fn fifo_dlq_kms_and_grants_render() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let dlq = Queue::new(
            &s,
            "Dlq",
            QueueProps::new()
                .fifo(true)
                .enforce_tls(false)
                .removal_policy(RemovalPolicy::Delete),
        )
        .unwrap();
        let q = Queue::new(
            &s,
            "Q",
            QueueProps::new()
                .queue_name("orders.fifo")
                .fifo(true)
                .content_based_deduplication(true)
                .high_throughput_fifo(true)
                .visibility_timeout_seconds(120)
                .retention_period_seconds(86_400)
                .delivery_delay_seconds(5)
                .receive_message_wait_seconds(20)
                .max_message_size_bytes(2048)
                .dead_letter_queue(DeadLetterQueue::new(&dlq, 3))
                .encryption(QueueEncryption::Kms { key: None })
                .tag("team", "shop"),
        )
        .unwrap();
        assert_eq!(q.visibility_timeout_seconds(), 120);
        let r = Role::new(
            &s,
            "R",
            RoleProps::new(Principal::service("lambda.amazonaws.com")),
        )
        .unwrap();
        let u = User::new(&s, "U", UserProps::new()).unwrap();
        q.grant_consume_messages(&r).unwrap();
        q.grant_send_messages(&u).unwrap();
        q.grant_purge(&u).unwrap();
        q.grant_purge(&NoRole).unwrap();
        let asm = synth_and_lint(&app, "sqs-options");
        assert_eq!(asm.warnings.with_code(iam::codes::GRANT_NO_ROLE).count(), 1);
        let t = template(&asm, "S");
        assert!(t["Resources"].get("DlqPolicy").is_none());
        assert_eq!(t["Resources"]["Dlq"]["DeletionPolicy"], "Delete");
        let p = &t["Resources"]["Q"]["Properties"];
        assert_eq!(p["QueueName"], "orders.fifo");
        assert_eq!(p["FifoQueue"], true);
        assert_eq!(p["ContentBasedDeduplication"], true);
        assert_eq!(p["DeduplicationScope"], "messageGroup");
        assert_eq!(p["FifoThroughputLimit"], "perMessageGroupId");
        assert_eq!(p["KmsMasterKeyId"], json!({"Fn::GetAtt": ["QKey", "Arn"]}));
        assert_eq!(
            p["RedrivePolicy"],
            json!({"deadLetterTargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}, "maxReceiveCount": 3})
        );
        assert_eq!(p["VisibilityTimeout"], 120);
        let role = &t["Resources"]["R"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
        assert_eq!(role[0]["Action"], json!(CONSUME));
        assert_eq!(
            role[1],
            json!({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": {"Fn::GetAtt": ["QKey", "Arn"]}})
        );
        let user = &t["Resources"]["U"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
        assert_eq!(user[1]["Action"], json!(SEND_KMS));
        assert_eq!(
            q.metric_approximate_age_of_oldest_message().dimensions()[0].1,
            Value::from(Fn::select(5, Fn::split(":", q.cfn().unwrap().arn())))
        );
    }

    #[test]
    fn fifo_rules_and_ranges_are_errors() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let std_dlq = Queue::new(&s, "StdDlq", QueueProps::new()).unwrap();
        Queue::new(&s, "A", QueueProps::new().fifo(true).queue_name("orders")).unwrap();
        Queue::new(&s, "B", QueueProps::new().queue_name("jobs.fifo")).unwrap();
        Queue::new(
            &s,
            "C",
            QueueProps::new()
                .content_based_deduplication(true)
                .high_throughput_fifo(true),
        )
        .unwrap();
        Queue::new(
            &s,
            "D",
            QueueProps::new()
                .fifo(true)
                .dead_letter_queue(DeadLetterQueue::new(&std_dlq, 0)),
        )
        .unwrap();
        Queue::new(
            &s,
            "E",
            QueueProps::new()
                .visibility_timeout_seconds(50_000)
                .retention_period_seconds(10)
                .delivery_delay_seconds(901)
                .receive_message_wait_seconds(21)
                .max_message_size_bytes(10),
        )
        .unwrap();
        Queue::new(&s, "F", QueueProps::new().queue_name("bad name")).unwrap();
        let imported = Queue::from_arn(&s, "G", "arn:aws:sqs:us-east-1:123456789012:ext").unwrap();
        assert_eq!(
            imported.url(),
            Str::from("https://sqs.us-east-1.amazonaws.com/123456789012/ext")
        );
        assert!(
            !imported
                .add_to_resource_policy(PolicyStatement::allow().actions(["sqs:SendMessage"]))
                .unwrap()
        );
        let errs = failed(&app);
        let paths = |code| {
            let mut v: Vec<String> = with_code(&errs.0, code)
                .iter()
                .map(|d| d.path.clone())
                .collect();
            v.sort();
            v
        };
        assert_eq!(paths(codes::FIFO), ["S/A", "S/B", "S/C", "S/C", "S/D"]);
        assert_eq!(
            paths(codes::RANGE),
            ["S/D", "S/E", "S/E", "S/E", "S/E", "S/E"]
        );
        assert_eq!(paths(codes::NAME), ["S/F"]);
    }
}
