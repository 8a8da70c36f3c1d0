//! Bucket: an S3 bucket with safe defaults, its bucket policy, references
//! and least-privilege grants.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Fn, Pseudo, RemovalPolicy, Resource, Result, Scope, Value};
use formwork_l1::s3::{CfnBucket, CfnBucketPolicy, CfnBucketPolicyRef, CfnBucketRef, bucket};

use super::cors::{self, CorsRule};
use super::lifecycle::{self, LifecycleRule};
use super::naming::bucket_name_problem;
use super::{codes, report};
use crate::iam::{self, GrantSpec, Grantee, PolicyDocument, PolicyStatement, Principal};
use crate::kms::{Key, KeyProps, is_key_arn};

/// How objects are encrypted at rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Encryption {
    /// SSE-S3 (`AES256`): keys managed by S3. The default.
    #[default]
    S3Managed,
    /// SSE-KMS (`aws:kms`) with the AWS managed key `aws/s3` and an S3
    /// Bucket Key: KMS encryption without a key to manage, but its key
    /// policy cannot be changed (no access from other accounts) and IAM
    /// policies need no KMS statement to use it.
    KmsManaged,
    /// SSE-KMS (`aws:kms`) with a customer managed key and an S3 Bucket
    /// Key. With `key: None` the bucket creates its key at `<bucket>/Key`
    /// (see [`KeyProps`](crate::kms::KeyProps): rotation on, retained, a
    /// key policy that delegates to IAM); with `Some(key)`, that key
    /// ([`Key::new`](crate::kms::Key::new) or
    /// [`Key::from_arn`](crate::kms::Key::from_arn)). Grants on the bucket
    /// also grant the KMS actions they need on the key.
    Kms {
        /// The key; `None` creates one.
        key: Option<Key>,
    },
}

/// Which public-access blocks are on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum BlockPublicAccess {
    /// All four blocks: no public ACL, no public bucket policy. The default.
    #[default]
    BlockAll,
    /// Public ACLs blocked and ignored, public bucket policies allowed: for
    /// static website hosting straight from the bucket, where a policy
    /// statement grants `s3:GetObject` to everyone. Prefer a private bucket
    /// behind CloudFront with origin access control.
    BlockAclsOnly,
}

/// What a [`Bucket`] is made with.
///
/// Defaults: SSE-S3 encryption, all four public-access blocks, object
/// ownership `BucketOwnerEnforced` (ACLs disabled), a bucket policy denying
/// requests without TLS, no versioning, and `DeletionPolicy` /
/// `UpdateReplacePolicy: Retain`. No name: CloudFormation generates one, so
/// the stack can be deployed twice.
///
/// ```
/// use formwork::RemovalPolicy;
/// use formwork::s3::{BucketProps, CorsRule, HttpMethod, LifecycleRule};
/// let props = BucketProps::new()
///     .bucket_name("hera-sessions-prod")
///     .cors_rule(CorsRule::new(["https://yourdomain.com"], [HttpMethod::Get, HttpMethod::Put]))
///     .lifecycle_rule(LifecycleRule::new().prefix("sessions/").expiration_days(7))
///     .removal_policy(RemovalPolicy::Delete);
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct BucketProps {
    bucket_name: Option<Str>,
    encryption: Encryption,
    block_public_access: BlockPublicAccess,
    versioned: bool,
    cors: Vec<CorsRule>,
    lifecycle: Vec<LifecycleRule>,
    removal_policy: RemovalPolicy,
    tags: Vec<(String, String)>,
}

impl Default for BucketProps {
    fn default() -> Self {
        BucketProps::new()
    }
}

impl BucketProps {
    /// The safe defaults (see [`BucketProps`]).
    pub fn new() -> Self {
        BucketProps {
            bucket_name: None,
            encryption: Encryption::S3Managed,
            block_public_access: BlockPublicAccess::BlockAll,
            versioned: false,
            cors: Vec::new(),
            lifecycle: Vec::new(),
            removal_policy: RemovalPolicy::Retain,
            tags: Vec::new(),
        }
    }

    /// A fixed bucket name. A literal is checked against S3's naming rules
    /// at synth; a reference (a parameter, `Fn::sub`) is not.
    pub fn bucket_name(mut self, name: impl Into<Str>) -> Self {
        self.bucket_name = Some(name.into());
        self
    }

    /// The encryption at rest (SSE-S3 by default).
    pub fn encryption(mut self, encryption: Encryption) -> Self {
        self.encryption = encryption;
        self
    }

    /// Which public-access blocks are on (all four by default).
    pub fn block_public_access(mut self, block: BlockPublicAccess) -> Self {
        self.block_public_access = block;
        self
    }

    /// Keeps every version of every object (off by default).
    pub fn versioned(mut self, versioned: bool) -> Self {
        self.versioned = versioned;
        self
    }

    /// Adds a CORS rule.
    pub fn cors_rule(mut self, rule: CorsRule) -> Self {
        self.cors.push(rule);
        self
    }

    /// Adds a lifecycle rule (checked at synth the way S3 checks it).
    pub fn lifecycle_rule(mut self, rule: LifecycleRule) -> Self {
        self.lifecycle.push(rule);
        self
    }

    /// What happens to the bucket (and its policy) when it leaves the stack
    /// or is replaced. `Retain` by default; `RemovalPolicy::Delete` deletes
    /// it, which CloudFormation can only do when the bucket is empty;
    /// `RetainExceptOnCreate` deletes it only when the stack's creation
    /// fails (replacements are retained). `Snapshot` is an error: buckets
    /// have no snapshots.
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }

    /// Adds a tag to the bucket (stack tags are added too; this one wins on
    /// the same key).
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

/// The bucket's resources, when this stack owns it.
#[derive(Clone, Debug)]
struct Owned {
    cfn: CfnBucketRef,
    policy: CfnBucketPolicyRef,
    document: Rc<RefCell<PolicyDocument>>,
    /// The name given in the props, if any.
    given_name: Option<Str>,
    /// The event, prefix and suffix of each `LambdaConfigurations` entry
    /// an event source added.
    #[cfg_attr(not(feature = "lambda"), allow(dead_code))]
    notification_keys: Rc<RefCell<Vec<NotificationKey>>>,
}

/// What S3 compares to refuse overlapping notification configurations.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "lambda"), allow(dead_code))]
pub(crate) struct NotificationKey {
    pub(crate) event: String,
    pub(crate) prefix: Option<String>,
    pub(crate) suffix: Option<String>,
}

#[cfg_attr(not(feature = "lambda"), allow(dead_code))]
impl NotificationKey {
    /// S3's rule: two configurations overlap when their event types
    /// overlap (`s3:ObjectCreated:*` covers `s3:ObjectCreated:Put`) and
    /// so do their prefixes and suffixes (one starts, or ends, with the
    /// other, or is absent).
    pub(crate) fn overlaps(&self, other: &NotificationKey) -> bool {
        let covers =
            |a: &str, b: &str| a == b || a.strip_suffix('*').is_some_and(|p| b.starts_with(p));
        let events = covers(&self.event, &other.event) || covers(&other.event, &self.event);
        let prefixes = match (&self.prefix, &other.prefix) {
            (Some(a), Some(b)) => a.starts_with(b.as_str()) || b.starts_with(a.as_str()),
            _ => true,
        };
        let suffixes = match (&self.suffix, &other.suffix) {
            (Some(a), Some(b)) => a.ends_with(b.as_str()) || b.ends_with(a.as_str()),
            _ => true,
        };
        events && prefixes && suffixes
    }
}

/// An S3 bucket: one this stack creates ([`Bucket::new`]) or an existing
/// one ([`Bucket::from_name`], [`Bucket::from_arn`]).
///
/// Grants give exact actions on exact ARNs (object actions on `bucket/*`,
/// bucket actions on the bucket ARN):
///
/// | grant | on `bucket/*` | on the bucket | on the KMS key (customer managed key) |
/// |---|---|---|---|
/// | [`grant_read`](Bucket::grant_read) | `s3:GetObject` | `s3:ListBucket` | `kms:Decrypt` |
/// | [`grant_write`](Bucket::grant_write) | `s3:PutObject`, `s3:DeleteObject` | | `kms:GenerateDataKey`, `kms:Decrypt` |
/// | [`grant_put`](Bucket::grant_put) | `s3:PutObject` | | `kms:GenerateDataKey`, `kms:Decrypt` |
/// | [`grant_delete`](Bucket::grant_delete) | `s3:DeleteObject` | | |
/// | [`grant_read_write`](Bucket::grant_read_write) | `s3:GetObject`, `s3:PutObject`, `s3:DeleteObject` | `s3:ListBucket` | `kms:Decrypt`, `kms:GenerateDataKey` |
///
/// `kms:Decrypt` comes with writes because multipart uploads of
/// SSE-KMS objects need it. Versions (`s3:GetObjectVersion`), tagging and
/// ACL actions are not granted: add them with the role's `add_to_policy`.
#[derive(Clone, Debug)]
pub struct Bucket {
    scope: Scope,
    owned: Option<Owned>,
    /// The bucket name: a `Ref` for an owned bucket, the given name otherwise.
    name: Str,
    /// The customer managed key, for grants (boxed: most buckets have none).
    key: Option<Box<Key>>,
}

const BUCKET: usize = 0;
const OBJECTS: usize = 1;
const KEY: usize = 2;

const READ: &[GrantSpec] = &[
    GrantSpec {
        actions: &["s3:GetObject"],
        arn: OBJECTS,
    },
    GrantSpec {
        actions: &["s3:ListBucket"],
        arn: BUCKET,
    },
];
const READ_KMS: &[GrantSpec] = &[GrantSpec {
    actions: &["kms:Decrypt"],
    arn: KEY,
}];
const WRITE: &[GrantSpec] = &[GrantSpec {
    actions: &["s3:PutObject", "s3:DeleteObject"],
    arn: OBJECTS,
}];
const PUT: &[GrantSpec] = &[GrantSpec {
    actions: &["s3:PutObject"],
    arn: OBJECTS,
}];
const PUT_KMS: &[GrantSpec] = &[GrantSpec {
    actions: &["kms:GenerateDataKey", "kms:Decrypt"],
    arn: KEY,
}];
const DELETE: &[GrantSpec] = &[GrantSpec {
    actions: &["s3:DeleteObject"],
    arn: OBJECTS,
}];
const READ_WRITE: &[GrantSpec] = &[
    GrantSpec {
        actions: &["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        arn: OBJECTS,
    },
    GrantSpec {
        actions: &["s3:ListBucket"],
        arn: BUCKET,
    },
];
const READ_WRITE_KMS: &[GrantSpec] = &[GrantSpec {
    actions: &["kms:Decrypt", "kms:GenerateDataKey"],
    arn: KEY,
}];

/// `arn:${AWS::Partition}:s3:::<name><suffix>`.
fn s3_arn(name: &Str, suffix: &str) -> Expr {
    Fn::concat([
        Value::from("arn:"),
        Pseudo::Partition.into(),
        Value::from(":s3:::"),
        name.clone().into_value(),
        Value::from(suffix),
    ])
}

impl Bucket {
    /// Adds a bucket at `scope/id`, with its bucket policy at `scope/id/Policy`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::s3::{Bucket, BucketProps, Encryption};
    /// let app = App::new();
    /// let stack = app.stack("Data")?;
    /// let bucket = Bucket::new(
    ///     &stack,
    ///     "Images",
    ///     BucketProps::new().encryption(Encryption::Kms { key: None }).versioned(true),
    /// )?;
    /// let template = app.synth()?.template_json("Data").ok_or("no template")?;
    /// assert_eq!(template["Resources"]["Images"]["DeletionPolicy"], "Retain");
    /// assert_eq!(template["Resources"]["ImagesKey"]["Type"], "AWS::KMS::Key");
    /// assert_eq!(template["Resources"]["ImagesPolicy"]["Type"], "AWS::S3::BucketPolicy");
    /// # let _ = bucket;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: BucketProps) -> Result<Bucket> {
        let node = scope.child(id)?;
        let mut cfn = CfnBucket::new();
        let given_name = props.bucket_name.clone();
        if let Some(name) = props.bucket_name {
            set_name(&node, &mut cfn, name);
        }

        let (rule, key) = match props.encryption {
            Encryption::S3Managed => (
                bucket::ServerSideEncryptionRule::new().server_side_encryption_by_default(
                    bucket::ServerSideEncryptionByDefault::new()
                        .sse_algorithm(bucket::SseAlgorithm::Aes256),
                ),
                None,
            ),
            Encryption::KmsManaged => (
                bucket::ServerSideEncryptionRule::new()
                    .bucket_key_enabled(true)
                    .server_side_encryption_by_default(
                        bucket::ServerSideEncryptionByDefault::new()
                            .sse_algorithm(bucket::SseAlgorithm::AwsKms),
                    ),
                None,
            ),
            Encryption::Kms { key } => {
                let key = match key {
                    Some(k) => k,
                    None => Key::new(
                        &node,
                        "Key",
                        KeyProps::new()
                            .description(format!("Encrypts the objects of bucket {}", node.path()))
                            .removal_policy(match props.removal_policy {
                                RemovalPolicy::Delete => RemovalPolicy::Delete,
                                _ => RemovalPolicy::Retain,
                            }),
                    )?,
                };
                let d = bucket::ServerSideEncryptionByDefault::new()
                    .sse_algorithm(bucket::SseAlgorithm::AwsKms)
                    .kms_master_key_id(Str::from(&key));
                let rule = bucket::ServerSideEncryptionRule::new()
                    .bucket_key_enabled(true)
                    .server_side_encryption_by_default(d);
                (rule, Some(key))
            }
        };
        cfn = cfn.bucket_encryption(
            bucket::BucketEncryption::new().server_side_encryption_configuration([rule]),
        );

        let block_policy = props.block_public_access == BlockPublicAccess::BlockAll;
        cfn = cfn
            .public_access_block_configuration(
                bucket::PublicAccessBlockConfiguration::new()
                    .block_public_acls(true)
                    .block_public_policy(block_policy)
                    .ignore_public_acls(true)
                    .restrict_public_buckets(block_policy),
            )
            .ownership_controls(
                bucket::OwnershipControls::new().rules([bucket::OwnershipControlsRule::new()
                    .object_ownership(bucket::ObjectOwnership::BucketOwnerEnforced)]),
            );
        if props.versioned {
            cfn = cfn.versioning_configuration(
                bucket::VersioningConfiguration::new()
                    .status(bucket::VersioningConfigurationStatus::Enabled),
            );
        }
        if !props.cors.is_empty() {
            cors::validate(&node, &props.cors);
            cfn = cfn.cors_configuration(
                bucket::CorsConfiguration::new()
                    .cors_rules(props.cors.iter().map(CorsRule::to_cfn)),
            );
        }
        if !props.lifecycle.is_empty() {
            lifecycle::validate(&node, &props.lifecycle, props.versioned);
            cfn = cfn.lifecycle_configuration(
                bucket::LifecycleConfiguration::new()
                    .rules(props.lifecycle.iter().map(LifecycleRule::to_cfn)),
            );
        }
        if !props.tags.is_empty() {
            cfn = cfn.tags(
                props
                    .tags
                    .iter()
                    .map(|(k, v)| bucket::Tag::new().key(k.as_str()).value(v.as_str())),
            );
        }

        let cfn = node.add_here(cfn)?;
        // checkov's checks that are deliberate defaults here, each with why.
        cfn.suppress(
            "CKV_AWS_18",
            "server access logging needs a second bucket to log into; the Bucket construct does not create one (CloudTrail data events record object access when needed)",
        );
        if !props.versioned {
            cfn.suppress(
                "CKV_AWS_21",
                "versioning is off by default (it keeps every overwritten object, at a cost); BucketProps::versioned(true) turns it on",
            );
        }
        apply_removal_policy(&node, &cfn, props.removal_policy);
        let objects = Fn::concat([Value::from(cfn.arn()), Value::from("/*")]);
        let document = PolicyDocument::of([PolicyStatement::deny()
            .principal(Principal::Any)
            .actions(["s3:*"])
            .resources([Value::from(cfn.arn()), Value::from(objects)])
            .condition("Bool", "aws:SecureTransport", "false")]);
        let policy = node.add(
            "Policy",
            CfnBucketPolicy::new()
                .bucket(cfn.ref_())
                .policy_document(document.clone()),
        )?;
        apply_removal_policy(&node, &policy, props.removal_policy);
        let name = Str::from(cfn.ref_());
        Ok(Bucket {
            scope: node,
            owned: Some(Owned {
                cfn,
                policy,
                document: Rc::new(RefCell::new(document)),
                given_name,
                notification_keys: Rc::default(),
            }),
            name,
            key: key.map(Box::new),
        })
    }

    /// An existing bucket, by name: no resource is created; references and
    /// grants work. A literal name is checked against S3's naming rules.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// use formwork::s3::Bucket;
    /// let app = App::new();
    /// let stack = app.stack("Reader")?;
    /// let data = Bucket::from_name(&stack, "Data", "shared-datasets")?;
    /// let role = Role::new(&stack, "Fn", RoleProps::new(Principal::service("lambda.amazonaws.com")))?;
    /// data.grant_read(&role)?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn from_name(scope: &Scope, id: &str, name: impl Into<Str>) -> Result<Bucket> {
        Bucket::from_name_impl(scope, id, name.into())
    }

    #[track_caller]
    fn from_name_impl(scope: &Scope, id: &str, name: Str) -> Result<Bucket> {
        let b = Bucket::imported(scope, id, name)?;
        if let Some(s) = b.name.clone().into_value().as_str() {
            if let Some((message, fix)) = bucket_name_problem(s) {
                report(&b.scope, codes::BUCKET_NAME, "BucketName", message, fix);
            }
        }
        Ok(b)
    }

    /// An imported bucket, unchecked.
    #[track_caller]
    fn imported(scope: &Scope, id: &str, name: Str) -> Result<Bucket> {
        Ok(Bucket {
            scope: scope.child(id)?,
            owned: None,
            name,
            key: None,
        })
    }

    /// An existing bucket, by ARN (`arn:aws:s3:::name`): no resource is
    /// created. A literal ARN is parsed (its name checked; references use
    /// the stack's partition); a reference is split at deploy time.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::s3::Bucket;
    /// let app = App::new();
    /// let stack = app.stack("Reader")?;
    /// let logs = Bucket::from_arn(&stack, "Logs", "arn:aws:s3:::central-logs")?;
    /// # let _ = logs;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn from_arn(scope: &Scope, id: &str, arn: impl Into<Str>) -> Result<Bucket> {
        let arn = arn.into().into_value();
        match (&arn, arn.as_str()) {
            (_, Some(s)) => {
                let name = s
                    .strip_prefix("arn:")
                    .and_then(|rest| rest.split_once(":s3:::"))
                    .filter(|(partition, name)| {
                        !partition.contains(':') && !name.is_empty() && !name.contains('/')
                    });
                match name {
                    Some((_, name)) => Bucket::from_name_impl(scope, id, Str::from(name)),
                    None => {
                        let b = Bucket::imported(scope, id, Str::from(""))?;
                        b.scope.error(
                            codes::BUCKET_ARN,
                            "BucketArn",
                            format!("`{s}` is not an S3 bucket ARN; expected arn:<partition>:s3:::<bucket-name>"),
                        );
                        Ok(b)
                    }
                }
            }
            (Value::Expr(e), None) => Bucket::from_name_impl(
                scope,
                id,
                Str::from(Fn::select(5, Fn::split(":", e.clone()))),
            ),
            (other, None) => {
                let b = Bucket::imported(scope, id, Str::from(""))?;
                b.scope.error(
                    codes::BUCKET_ARN,
                    "BucketArn",
                    format!("a bucket ARN must be a string, found {}", other.kind()),
                );
                Ok(b)
            }
        }
    }

    /// The L1 bucket, for what this construct does not model (`None` for an
    /// imported bucket).
    pub fn cfn(&self) -> Option<&CfnBucketRef> {
        self.owned.as_ref().map(|o| &o.cfn)
    }

    /// The L1 bucket policy (`None` for an imported bucket).
    pub fn policy_cfn(&self) -> Option<&CfnBucketPolicyRef> {
        self.owned.as_ref().map(|o| &o.policy)
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The bucket ARN (`Fn::GetAtt Arn`; built from the name for an imported bucket).
    pub fn arn(&self) -> Expr {
        match &self.owned {
            Some(o) => o.cfn.arn(),
            None => s3_arn(&self.name, ""),
        }
    }

    /// The customer managed key the bucket is encrypted with, when it has one.
    pub fn encryption_key(&self) -> Option<&Key> {
        self.key.as_deref()
    }

    /// The name the bucket was given (in [`BucketProps::bucket_name`], or
    /// when imported), usable without referring to the bucket resource;
    /// `None` for a bucket whose name CloudFormation generates.
    pub fn given_name(&self) -> Option<Str> {
        match &self.owned {
            Some(o) => o.given_name.clone(),
            None => Some(self.name.clone()),
        }
    }

    /// Adds a Lambda destination to the bucket's notification
    /// configuration, beside what it holds (other destinations, an
    /// EventBridge configuration, entries set through the L1), and says
    /// whether that was possible and which configuration already there
    /// `key` overlaps (S3 refuses both), if any.
    #[cfg(feature = "lambda")]
    pub(crate) fn add_lambda_notification(
        &self,
        c: bucket::LambdaConfiguration,
        key: NotificationKey,
    ) -> Notified {
        let Some(o) = self.owned.as_ref() else {
            return Notified::Imported;
        };
        let added = merge_notifications(&o.cfn, |m| {
            match m
                .entry("LambdaConfigurations".to_owned())
                .or_insert_with(|| Value::List(Vec::new()))
            {
                Value::List(l) => {
                    l.push(c.into());
                    true
                }
                _ => false,
            }
        });
        if !added {
            return Notified::Intrinsic;
        }
        let mut keys = o.notification_keys.borrow_mut();
        let overlaps = keys.iter().find(|k| k.overlaps(&key)).cloned();
        keys.push(key);
        Notified::Added { overlaps }
    }

    /// Turns on the bucket's delivery of every object event to Amazon
    /// EventBridge (`NotificationConfiguration.EventBridgeConfiguration`,
    /// kept beside the other notification destinations). Rules on the
    /// account's default event bus then match them
    /// (`S3EventBridgeSource` in `formwork::lambda` does both).
    ///
    /// Returns false, changing nothing, for an imported bucket (turn it on
    /// where the bucket is managed) and for a bucket whose
    /// `NotificationConfiguration` was set to an intrinsic function through
    /// the L1.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::s3::{Bucket, BucketProps};
    /// let app = App::new();
    /// let stack = app.stack("Shared")?;
    /// let data = Bucket::new(&stack, "Data", BucketProps::new())?;
    /// assert!(data.enable_event_bridge_notifications());
    /// let t = app.synth()?.template_json("Shared").ok_or("no template")?;
    /// assert_eq!(
    ///     t["Resources"]["Data"]["Properties"]["NotificationConfiguration"],
    ///     serde_json::json!({"EventBridgeConfiguration": {"EventBridgeEnabled": true}})
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn enable_event_bridge_notifications(&self) -> bool {
        let Some(o) = self.owned.as_ref() else {
            return false;
        };
        merge_notifications(&o.cfn, |m| {
            m.insert(
                "EventBridgeConfiguration".to_owned(),
                Value::object([("EventBridgeEnabled", true)]),
            );
            true
        })
    }

    /// The bucket name (`Ref`; the given name for an imported bucket).
    pub fn bucket_name(&self) -> Str {
        self.name.clone()
    }

    /// `<name>.s3.<url suffix>` (`Fn::GetAtt DomainName`).
    pub fn domain_name(&self) -> Expr {
        match &self.owned {
            Some(o) => o.cfn.domain_name(),
            None => Fn::concat([
                self.name.clone().into_value(),
                Value::from(".s3."),
                Pseudo::UrlSuffix.into(),
            ]),
        }
    }

    /// `<name>.s3.<region>.<url suffix>` (`Fn::GetAtt RegionalDomainName`),
    /// what CloudFront origins use.
    pub fn regional_domain_name(&self) -> Expr {
        match &self.owned {
            Some(o) => o.cfn.regional_domain_name(),
            None => Fn::concat([
                self.name.clone().into_value(),
                Value::from(".s3."),
                Pseudo::Region.into(),
                Value::from("."),
                Pseudo::UrlSuffix.into(),
            ]),
        }
    }

    /// The ARN of the objects matching a key pattern: `arn_for_objects("*")`
    /// is `arn:…:s3:::bucket/*`, `arn_for_objects("data/*")` those under `data/`.
    pub fn arn_for_objects(&self, pattern: &str) -> Expr {
        let suffix = format!("/{pattern}");
        match &self.owned {
            Some(o) => Fn::concat([Value::from(o.cfn.arn()), Value::from(suffix)]),
            None => s3_arn(&self.name, &suffix),
        }
    }

    /// Adds a statement to the bucket policy (merged with the statements
    /// already there). A statement without a principal is an error (S3
    /// refuses it). Returns false, with a warning, for an imported bucket,
    /// whose policy this stack does not manage.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{PolicyStatement, Principal};
    /// use formwork::s3::{Bucket, BucketProps};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let site = Bucket::new(&stack, "Site", BucketProps::new())?;
    /// let added = site.add_to_resource_policy(
    ///     PolicyStatement::allow()
    ///         .principal(Principal::service("cloudfront.amazonaws.com"))
    ///         .actions(["s3:GetObject"])
    ///         .resource(site.arn_for_objects("*")),
    /// );
    /// assert!(added);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn add_to_resource_policy(&self, statement: PolicyStatement) -> bool {
        let Some(o) = &self.owned else {
            self.scope.report(Diagnostic::warning(
                codes::POLICY_NOT_MANAGED,
                self.scope.path(),
                "a bucket policy statement was not added: this is an imported bucket, whose policy this stack does not manage",
            ));
            return false;
        };
        if statement.get_principals().is_empty() {
            self.scope.error(
                codes::POLICY_STATEMENT,
                "Policy.PolicyDocument",
                format!(
                    "a bucket policy statement with actions {:?} names no principal; S3 refuses bucket policy statements without a Principal",
                    statement.get_actions()
                ),
            );
        }
        o.document.borrow_mut().add(statement);
        // Written once, when the resource is next read: not rebuilt at
        // every statement.
        let document = o.document.clone();
        o.policy
            .update_later::<CfnBucketPolicy>("PolicyDocument", move |p| {
                p.policy_document(&*document.borrow())
            });
        true
    }

    /// The bucket policy as it is now (`None` for an imported bucket).
    pub fn resource_policy(&self) -> Option<PolicyDocument> {
        self.owned.as_ref().map(|o| o.document.borrow().clone())
    }

    /// Lets the grantee read objects: `s3:GetObject` on `bucket/*`,
    /// `s3:ListBucket` on the bucket (and `kms:Decrypt` on a customer
    /// managed key).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// use formwork::s3::{Bucket, BucketProps};
    /// let app = App::new();
    /// let stack = app.stack("Proxy")?;
    /// let config = Bucket::new(&stack, "Config", BucketProps::new())?;
    /// let role = Role::new(&stack, "Fn", RoleProps::new(Principal::service("lambda.amazonaws.com")))?;
    /// config.grant_read(&role)?;
    /// assert_eq!(role.policy().statements()[0].get_actions(), ["s3:GetObject"]);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant_read(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, READ, READ_KMS)
    }

    /// Lets the grantee write and delete objects: `s3:PutObject` and
    /// `s3:DeleteObject` on `bucket/*` (and `kms:GenerateDataKey`,
    /// `kms:Decrypt` on a customer managed key).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// use formwork::s3::{Bucket, BucketProps};
    /// let app = App::new();
    /// let stack = app.stack("Proxy")?;
    /// let audit = Bucket::new(&stack, "Audit", BucketProps::new())?;
    /// let role = Role::new(&stack, "Fn", RoleProps::new(Principal::service("lambda.amazonaws.com")))?;
    /// audit.grant_write(&role)?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant_write(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, WRITE, PUT_KMS)
    }

    /// Lets the grantee put objects (not delete them): `s3:PutObject` on
    /// `bucket/*` (and `kms:GenerateDataKey`, `kms:Decrypt` on a customer
    /// managed key).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// use formwork::s3::{Bucket, BucketProps};
    /// let app = App::new();
    /// let stack = app.stack("Proxy")?;
    /// let audit = Bucket::new(&stack, "Audit", BucketProps::new())?;
    /// let role = Role::new(&stack, "Fn", RoleProps::new(Principal::service("lambda.amazonaws.com")))?;
    /// audit.grant_put(&role)?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant_put(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, PUT, PUT_KMS)
    }

    /// Lets the grantee delete objects: `s3:DeleteObject` on `bucket/*`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// use formwork::s3::{Bucket, BucketProps};
    /// let app = App::new();
    /// let stack = app.stack("Cleanup")?;
    /// let scratch = Bucket::new(&stack, "Scratch", BucketProps::new())?;
    /// let role = Role::new(&stack, "Fn", RoleProps::new(Principal::service("lambda.amazonaws.com")))?;
    /// scratch.grant_delete(&role)?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant_delete(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, DELETE, &[])
    }

    /// Lets the grantee read, write and delete objects: `s3:GetObject`,
    /// `s3:PutObject`, `s3:DeleteObject` on `bucket/*` and `s3:ListBucket`
    /// on the bucket, nothing else (and `kms:Decrypt`, `kms:GenerateDataKey`
    /// on a customer managed key).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// use formwork::s3::{Bucket, BucketProps};
    /// let app = App::new();
    /// let stack = app.stack("Backend")?;
    /// let sessions = Bucket::new(&stack, "Sessions", BucketProps::new())?;
    /// let role = Role::new(&stack, "Task", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")))?;
    /// sessions.grant_read_write(&role)?;
    /// assert_eq!(role.policy().statements().len(), 2);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant_read_write(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, READ_WRITE, READ_WRITE_KMS)
    }

    #[track_caller]
    fn grant(&self, grantee: &dyn Grantee, s3: &[GrantSpec], kms: &[GrantSpec]) -> Result<()> {
        let mut specs: Vec<GrantSpec> = s3.to_vec();
        let mut arns = vec![
            Value::from(self.arn()),
            Value::from(self.arn_for_objects("*")),
        ];
        // A literal that is not a key ARN was reported by `Key::from_arn`
        // (FW3903): IAM cannot grant on it, so it is left out.
        if let (Some(key), false) = (&self.key, kms.is_empty()) {
            let key = key.key_arn().into_value();
            if key.as_str().is_none_or(is_key_arn) {
                arns.push(key);
                specs.extend_from_slice(kms);
            }
        }
        iam::grant_or_report(&self.scope, grantee, &specs, &arns);
        Ok(())
    }
}

/// What adding a Lambda destination to a bucket's notifications did.
#[cfg(feature = "lambda")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Notified {
    /// Nothing: the bucket is imported, its configuration not this stack's.
    Imported,
    /// Nothing: the configuration, or its list, is an intrinsic function.
    Intrinsic,
    /// Added, overlapping the configuration of this key, if any.
    Added { overlaps: Option<NotificationKey> },
}

/// Changes the bucket's `NotificationConfiguration` object in place with
/// `f` (an empty one when unset), keeping what else it holds; false when
/// it is an intrinsic function or `f` refuses, leaving it unchanged.
fn merge_notifications(
    cfn: &CfnBucketRef,
    f: impl FnOnce(&mut formwork_core::ValueMap) -> bool,
) -> bool {
    let mut merged = false;
    cfn.update(|mut b: CfnBucket| {
        let mut v = b
            .get_notification_configuration()
            .cloned()
            .unwrap_or_else(Value::map);
        if let Value::Map(m) = &mut v {
            merged = f(m);
        }
        if merged {
            b.props_mut().set_by_name(
                <CfnBucket as Resource>::SPEC.object,
                "NotificationConfiguration",
                v,
            );
        }
        b
    });
    merged
}

/// Sets the bucket name; a literal S3 refuses is reported and passed over by
/// the schema check (one clear message instead of two).
fn set_name(node: &Scope, cfn: &mut CfnBucket, name: Str) {
    let value = name.into_value();
    let problem = value.as_str().and_then(bucket_name_problem);
    match problem {
        Some((message, fix)) => {
            report(node, codes::BUCKET_NAME, "BucketName", message, fix);
            cfn.props_mut().set_by_name(
                <CfnBucket as Resource>::SPEC.object,
                "BucketName",
                value.unchecked(),
            );
        }
        None => {
            cfn.props_mut()
                .set_by_name(<CfnBucket as Resource>::SPEC.object, "BucketName", value);
        }
    }
}

/// Sets `DeletionPolicy` and `UpdateReplacePolicy` from a removal policy
/// (`UpdateReplacePolicy` has no `RetainExceptOnCreate`: it becomes `Retain`;
/// buckets have no snapshots).
fn apply_removal_policy(node: &Scope, r: &formwork_core::ResourceRef, policy: RemovalPolicy) {
    match policy {
        RemovalPolicy::Snapshot => {
            node.error(
                codes::REMOVAL_POLICY,
                "DeletionPolicy",
                "S3 buckets have no snapshots; allowed removal policies: Retain, RetainExceptOnCreate, Delete",
            );
        }
        RemovalPolicy::RetainExceptOnCreate => {
            r.set_deletion_policy(policy)
                .set_update_replace_policy(RemovalPolicy::Retain);
        }
        RemovalPolicy::Delete | RemovalPolicy::Retain => {
            r.apply_removal_policy(policy);
        }
    }
}

#[cfg(test)]
mod tests {
    use formwork_core::{App, Parameter, Stack};
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::{Value as Json, json};

    use super::*;
    use crate::iam::{Role, RoleProps};
    use crate::s3::{CorsRule, HttpMethod, StorageClass};
    use formwork_test_support::of_type;

    fn new_stack() -> (App, Stack) {
        let app = App::new();
        let stack = app.stack("Stack").unwrap();
        (app, stack)
    }

    fn task_role(stack: &Stack) -> Role {
        Role::new(
            stack,
            "TaskRole",
            RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")),
        )
        .unwrap()
    }

    fn role_statements(t: &Json) -> Json {
        t["Resources"]["TaskRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
            .clone()
    }

    fn errors(app: &App) -> Vec<Diagnostic> {
        app.synth().unwrap_err().diagnostics().unwrap().0.clone()
    }

    #[test]
    fn defaults_are_safe() {
        let (app, stack) = new_stack();
        Bucket::new(&stack, "Data", BucketProps::new()).unwrap();
        let asm = synth_and_lint(&app, "s3-defaults");
        let t = template(&asm, "Stack");
        assert_eq!(
            t["Resources"]["Data"],
            json!({
                "Type": "AWS::S3::Bucket",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                    ]},
                    "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": true,
                        "BlockPublicPolicy": true,
                        "IgnorePublicAcls": true,
                        "RestrictPublicBuckets": true
                    }
                }
            })
        );
        assert_eq!(
            t["Resources"]["DataPolicy"],
            json!({
                "Type": "AWS::S3::BucketPolicy",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "Bucket": {"Ref": "Data"},
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [{"Fn::GetAtt": ["Data", "Arn"]}, {"Fn::Sub": "${Data.Arn}/*"}],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                        }]
                    }
                }
            })
        );
    }

    #[test]
    fn options_render() {
        let (app, stack) = new_stack();
        stack.add_tag("app", "hera");
        Bucket::new(
            &stack,
            "Data",
            BucketProps::new()
                .bucket_name("hera-sessions-prod")
                .encryption(Encryption::Kms {
                    key: Some(Key::from_arn(&stack, "Key", "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab").unwrap()),
                })
                .block_public_access(BlockPublicAccess::BlockAclsOnly)
                .versioned(true)
                .removal_policy(RemovalPolicy::Delete)
                .tag("team", "chat"),
        )
        .unwrap();
        let t = template(&synth_and_lint(&app, "s3-options"), "Stack");
        let b = &t["Resources"]["Data"];
        assert_eq!(b["DeletionPolicy"], "Delete");
        assert_eq!(b["UpdateReplacePolicy"], "Delete");
        assert_eq!(t["Resources"]["DataPolicy"]["DeletionPolicy"], "Delete");
        let p = &b["Properties"];
        assert_eq!(p["BucketName"], "hera-sessions-prod");
        assert_eq!(
            p["BucketEncryption"],
            json!({"ServerSideEncryptionConfiguration": [{
                "BucketKeyEnabled": true,
                "ServerSideEncryptionByDefault": {
                    "KMSMasterKeyID": "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    "SSEAlgorithm": "aws:kms"
                }
            }]})
        );
        assert_eq!(
            p["PublicAccessBlockConfiguration"],
            json!({"BlockPublicAcls": true, "BlockPublicPolicy": false, "IgnorePublicAcls": true, "RestrictPublicBuckets": false})
        );
        assert_eq!(p["VersioningConfiguration"], json!({"Status": "Enabled"}));
        let tags = p["Tags"].as_array().unwrap();
        assert!(
            tags.contains(&json!({"Key": "team", "Value": "chat"})),
            "{tags:?}"
        );
        assert!(
            tags.contains(&json!({"Key": "app", "Value": "hera"})),
            "{tags:?}"
        );
    }

    #[test]
    fn aws_managed_kms_key() {
        let (app, stack) = new_stack();
        let b = Bucket::new(
            &stack,
            "Data",
            BucketProps::new().encryption(Encryption::KmsManaged),
        )
        .unwrap();
        let role = task_role(&stack);
        b.grant_read_write(&role).unwrap();
        let t = template(&synth_and_lint(&app, "s3-kms-managed"), "Stack");
        assert!(of_type(&t, "AWS::KMS::Key").is_empty());
        assert_eq!(
            t["Resources"]["Data"]["Properties"]["BucketEncryption"],
            json!({"ServerSideEncryptionConfiguration": [{
                "BucketKeyEnabled": true,
                "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}
            }]})
        );
        // The AWS managed key needs no statement of its own.
        assert_eq!(role_statements(&t).as_array().unwrap().len(), 2);
    }

    #[test]
    fn invalid_literal_names_are_one_clear_error() {
        let (app, stack) = new_stack();
        Bucket::new(
            &stack,
            "Data",
            BucketProps::new().bucket_name("Hera_Sessions"),
        )
        .unwrap();
        let ds = errors(&app);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        assert_eq!(ds[0].code, codes::BUCKET_NAME);
        assert_eq!(ds[0].path, "Stack/Data");
        assert_eq!(ds[0].property.as_deref(), Some("BucketName"));
        assert_eq!(
            ds[0].message,
            "bucket name `Hera_Sessions` contains `H`; a bucket name has only lowercase letters, digits, dots (.) and hyphens (-)"
        );
        let (app, stack) = new_stack();
        Bucket::new(
            &stack,
            "Data",
            BucketProps::new().bucket_name("sthree-data"),
        )
        .unwrap();
        let ds = errors(&app);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        assert!(ds[0].message.contains("a prefix S3 reserves"));
    }

    #[test]
    fn referenced_names_are_not_checked() {
        let (app, stack) = new_stack();
        let env = stack
            .add_parameter("Env", Parameter::string().default_value("prod"))
            .unwrap();
        Bucket::new(
            &stack,
            "Data",
            BucketProps::new().bucket_name(Fn::concat([
                Value::from("hera-sessions-"),
                env.ref_().into(),
            ])),
        )
        .unwrap();
        let t = template(&synth_and_lint(&app, "s3-name-ref"), "Stack");
        assert_eq!(
            t["Resources"]["Data"]["Properties"]["BucketName"],
            json!({"Fn::Sub": "hera-sessions-${Env}"})
        );
    }

    #[test]
    fn reference_e_read_write_is_exactly_four_actions() {
        let (app, stack) = new_stack();
        let b = Bucket::new(&stack, "SessionsBucket", BucketProps::new()).unwrap();
        let role = task_role(&stack);
        b.grant_read_write(&role).unwrap();
        let t = template(&synth_and_lint(&app, "s3-grant-rw"), "Stack");
        assert_eq!(
            role_statements(&t),
            json!([
                {
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                    "Resource": {"Fn::Sub": "${SessionsBucket.Arn}/*"}
                },
                {
                    "Effect": "Allow",
                    "Action": "s3:ListBucket",
                    "Resource": {"Fn::GetAtt": ["SessionsBucket", "Arn"]}
                }
            ])
        );
    }

    #[test]
    fn each_grant_has_its_exact_actions() {
        type GrantFn = fn(&Bucket, &dyn Grantee) -> Result<()>;
        let cases: [(GrantFn, Json); 4] = [
            (
                Bucket::grant_read,
                json!([
                    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": "${Data.Arn}/*"}},
                    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::GetAtt": ["Data", "Arn"]}}
                ]),
            ),
            (
                Bucket::grant_write,
                json!([{"Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": {"Fn::Sub": "${Data.Arn}/*"}}]),
            ),
            (
                Bucket::grant_put,
                json!([{"Effect": "Allow", "Action": "s3:PutObject", "Resource": {"Fn::Sub": "${Data.Arn}/*"}}]),
            ),
            (
                Bucket::grant_delete,
                json!([{"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": {"Fn::Sub": "${Data.Arn}/*"}}]),
            ),
        ];
        for (grant, expected) in cases {
            let (app, stack) = new_stack();
            let b = Bucket::new(&stack, "Data", BucketProps::new()).unwrap();
            let role = task_role(&stack);
            grant(&b, &role).unwrap();
            let t = app.synth().unwrap().template_json("Stack").unwrap();
            assert_eq!(role_statements(&t), expected);
        }
    }

    #[test]
    fn separate_read_and_write_grants_merge_like_read_write() {
        let (app, stack) = new_stack();
        let b = Bucket::new(&stack, "SessionsBucket", BucketProps::new()).unwrap();
        let role = task_role(&stack);
        b.grant_read(&role).unwrap();
        b.grant_write(&role).unwrap();
        let t = app.synth().unwrap().template_json("Stack").unwrap();
        assert_eq!(
            role_statements(&t)[0]["Action"],
            json!(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
        );
        assert_eq!(role_statements(&t).as_array().unwrap().len(), 2);
    }

    #[test]
    fn customer_managed_key_grants_kms_actions() {
        let key =
            "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let (app, stack) = new_stack();
        let b = Bucket::new(
            &stack,
            "Data",
            BucketProps::new().encryption(Encryption::Kms {
                key: Some(Key::from_arn(&stack, "Key", key).unwrap()),
            }),
        )
        .unwrap();
        let role = task_role(&stack);
        b.grant_read_write(&role).unwrap();
        let t = template(&synth_and_lint(&app, "s3-kms-grant"), "Stack");
        assert_eq!(
            role_statements(&t)[2],
            json!({"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": key})
        );
        let (app, stack) = new_stack();
        let b = Bucket::new(
            &stack,
            "Data",
            BucketProps::new().encryption(Encryption::Kms {
                key: Some(Key::from_arn(&stack, "Key", key).unwrap()),
            }),
        )
        .unwrap();
        let role = task_role(&stack);
        b.grant_read(&role).unwrap();
        b.grant_delete(&role).unwrap();
        let t = app.synth().unwrap().template_json("Stack").unwrap();
        assert_eq!(
            role_statements(&t)[2],
            json!({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key})
        );
        assert_eq!(role_statements(&t).as_array().unwrap().len(), 3);
    }

    #[test]
    fn a_key_alias_cannot_be_granted_on() {
        let (app, stack) = new_stack();
        let b = Bucket::new(
            &stack,
            "Data",
            BucketProps::new().encryption(Encryption::Kms {
                key: Some(Key::from_arn(&stack, "Key", "alias/data").unwrap()),
            }),
        )
        .unwrap();
        let role = task_role(&stack);
        b.grant_read(&role).unwrap();
        let ds = errors(&app);
        assert_eq!(ds.len(), 1, "one clear error: {ds:#?}");
        assert_eq!(ds[0].code, crate::kms::codes::KEY_ARN);
        assert_eq!(ds[0].path, "Stack/Key");
        assert_eq!(
            role.policy().statements().len(),
            2,
            "no KMS statement on an alias"
        );
    }

    #[test]
    fn a_created_key_encrypts_the_bucket_and_follows_its_grants() {
        let (app, stack) = new_stack();
        let b = Bucket::new(
            &stack,
            "Data",
            BucketProps::new().encryption(Encryption::Kms { key: None }),
        )
        .unwrap();
        let user = crate::iam::User::new(&stack, "Partner", crate::iam::UserProps::new()).unwrap();
        b.grant_read_write(&user).unwrap();
        let t = template(&synth_and_lint(&app, "s3-kms-created"), "Stack");
        let key = &t["Resources"]["DataKey"];
        assert_eq!(key["Type"], "AWS::KMS::Key");
        assert_eq!(key["DeletionPolicy"], "Retain");
        assert_eq!(key["Properties"]["EnableKeyRotation"], true);
        assert_eq!(
            t["Resources"]["Data"]["Properties"]["BucketEncryption"],
            json!({"ServerSideEncryptionConfiguration": [{
                "BucketKeyEnabled": true,
                "ServerSideEncryptionByDefault": {
                    "KMSMasterKeyID": {"Fn::GetAtt": ["DataKey", "Arn"]},
                    "SSEAlgorithm": "aws:kms"
                }
            }]})
        );
        let st =
            &t["Resources"]["Partner"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
        assert_eq!(
            st[2],
            json!({"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": {"Fn::GetAtt": ["DataKey", "Arn"]}})
        );
        assert_eq!(
            b.encryption_key()
                .and_then(Key::cfn)
                .map(|c| c.logical_id())
                .as_deref(),
            Some("DataKey")
        );
    }

    #[test]
    fn resource_policy_statements_are_merged_with_the_tls_one() {
        let (app, stack) = new_stack();
        let b = Bucket::new(&stack, "Site", BucketProps::new()).unwrap();
        let cf = PolicyStatement::allow()
            .principal(Principal::service("cloudfront.amazonaws.com"))
            .actions(["s3:GetObject"])
            .resource(b.arn_for_objects("*"));
        assert!(b.add_to_resource_policy(cf.clone()));
        assert!(b.add_to_resource_policy(cf));
        assert_eq!(b.resource_policy().unwrap().statements().len(), 2);
        let t = template(&synth_and_lint(&app, "s3-policy"), "Stack");
        let st = &t["Resources"]["SitePolicy"]["Properties"]["PolicyDocument"]["Statement"];
        assert_eq!(st[0]["Effect"], "Deny");
        assert_eq!(
            st[1],
            json!({
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "s3:GetObject",
                "Resource": {"Fn::Sub": "${Site.Arn}/*"}
            })
        );
    }

    #[test]
    fn resource_policy_statements_need_a_principal() {
        let (app, stack) = new_stack();
        let b = Bucket::new(&stack, "Site", BucketProps::new()).unwrap();
        b.add_to_resource_policy(
            PolicyStatement::allow()
                .actions(["s3:GetObject"])
                .resource(b.arn_for_objects("*")),
        );
        let ds = errors(&app);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        assert_eq!(ds[0].code, codes::POLICY_STATEMENT);
        assert_eq!(ds[0].path, "Stack/Site");
        assert_eq!(ds[0].property.as_deref(), Some("Policy.PolicyDocument"));
        assert_eq!(
            ds[0].message,
            "a bucket policy statement with actions [\"s3:GetObject\"] names no principal; S3 refuses bucket policy statements without a Principal"
        );
    }

    #[test]
    fn references() {
        let (app, stack) = new_stack();
        let b = Bucket::new(&stack, "Data", BucketProps::new()).unwrap();
        assert!(b.cfn().is_some() && b.policy_cfn().is_some());
        for (name, v) in [
            ("Arn", Value::from(b.arn())),
            ("Name", b.bucket_name().into_value()),
            ("Domain", b.domain_name().into()),
            ("Regional", b.regional_domain_name().into()),
            ("Objects", b.arn_for_objects("data/*").into()),
        ] {
            stack
                .add_output(name, formwork_core::Output::new(v))
                .unwrap();
        }
        let t = template(&synth_and_lint(&app, "s3-refs"), "Stack");
        let o = &t["Outputs"];
        assert_eq!(o["Arn"]["Value"], json!({"Fn::GetAtt": ["Data", "Arn"]}));
        assert_eq!(o["Name"]["Value"], json!({"Ref": "Data"}));
        assert_eq!(
            o["Domain"]["Value"],
            json!({"Fn::GetAtt": ["Data", "DomainName"]})
        );
        assert_eq!(
            o["Regional"]["Value"],
            json!({"Fn::GetAtt": ["Data", "RegionalDomainName"]})
        );
        assert_eq!(
            o["Objects"]["Value"],
            json!({"Fn::Sub": "${Data.Arn}/data/*"})
        );
    }

    #[test]
    fn imported_buckets_create_nothing_and_grant_on_their_arns() {
        let (app, stack) = new_stack();
        let b = Bucket::from_name(&stack, "Shared", "shared-datasets").unwrap();
        let a = Bucket::from_arn(&stack, "Logs", "arn:aws:s3:::central-logs").unwrap();
        assert!(b.cfn().is_none() && b.policy_cfn().is_none() && b.resource_policy().is_none());
        let role = task_role(&stack);
        b.grant_read(&role).unwrap();
        a.grant_put(&role).unwrap();
        stack
            .add_output(
                "Regional",
                formwork_core::Output::new(b.regional_domain_name()),
            )
            .unwrap();
        stack
            .add_output("Domain", formwork_core::Output::new(a.domain_name()))
            .unwrap();
        stack
            .add_output("Name", formwork_core::Output::new(a.bucket_name()))
            .unwrap();
        let t = template(&synth_and_lint(&app, "s3-imported"), "Stack");
        assert_eq!(
            t["Resources"].as_object().unwrap().len(),
            1,
            "only the role"
        );
        assert_eq!(
            role_statements(&t),
            json!([
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::shared-datasets/*"}},
                {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::shared-datasets"}},
                {"Effect": "Allow", "Action": "s3:PutObject", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::central-logs/*"}}
            ])
        );
        assert_eq!(
            t["Outputs"]["Regional"]["Value"],
            json!({"Fn::Sub": "shared-datasets.s3.${AWS::Region}.${AWS::URLSuffix}"})
        );
        assert_eq!(
            t["Outputs"]["Domain"]["Value"],
            json!({"Fn::Sub": "central-logs.s3.${AWS::URLSuffix}"})
        );
        assert_eq!(t["Outputs"]["Name"]["Value"], "central-logs");
    }

    #[test]
    fn imported_by_referenced_arn_splits_the_name() {
        let (app, stack) = new_stack();
        formwork_test_support::filler(&stack);
        let p = stack.add_parameter("LogsArn", Parameter::string()).unwrap();
        let b = Bucket::from_arn(&stack, "Logs", p.ref_()).unwrap();
        stack
            .add_output("Name", formwork_core::Output::new(b.bucket_name()))
            .unwrap();
        let t = template(&synth_and_lint(&app, "s3-imported-ref"), "Stack");
        assert_eq!(
            t["Outputs"]["Name"]["Value"],
            json!({"Fn::Select": [5, {"Fn::Split": [":", {"Ref": "LogsArn"}]}]})
        );
    }

    #[test]
    fn imported_names_and_arns_are_checked() {
        let (app, stack) = new_stack();
        formwork_test_support::filler(&stack);
        Bucket::from_name(&stack, "A", "Bad..Name").unwrap();
        Bucket::from_arn(&stack, "B", "arn:aws:s3:::bucket/key").unwrap();
        Bucket::from_arn(&stack, "C", "central-logs").unwrap();
        let ds = errors(&app);
        assert_eq!(ds.len(), 3, "{ds:#?}");
        assert_eq!(
            (ds[0].code, ds[0].path.as_str()),
            (codes::BUCKET_NAME, "Stack/A")
        );
        for d in &ds[1..] {
            assert_eq!(d.code, codes::BUCKET_ARN);
            assert_eq!(d.property.as_deref(), Some("BucketArn"));
            assert!(
                d.message.contains(
                    "is not an S3 bucket ARN; expected arn:<partition>:s3:::<bucket-name>"
                )
            );
        }
        assert_eq!(ds[2].path, "Stack/C");
    }

    #[test]
    fn imported_bucket_policies_are_not_managed() {
        let (app, stack) = new_stack();
        formwork_test_support::filler(&stack);
        let b = Bucket::from_name(&stack, "Shared", "shared-datasets").unwrap();
        assert!(!b.add_to_resource_policy(PolicyStatement::allow().actions(["s3:GetObject"])));
        let asm = app.synth().unwrap();
        let w: Vec<_> = asm.warnings.with_code(codes::POLICY_NOT_MANAGED).collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].path, "Stack/Shared");
        assert!(w[0].message.contains("imported bucket"));
    }

    use crate::iam::testing::NoRole;

    #[test]
    fn grants_to_something_without_a_role_warn() {
        let (app, stack) = new_stack();
        let b = Bucket::new(&stack, "Data", BucketProps::new()).unwrap();
        b.grant_read(&NoRole).unwrap();
        let asm = app.synth().unwrap();
        let w: Vec<_> = asm.warnings.with_code(iam::codes::GRANT_NO_ROLE).collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].path, "Stack/Data");
        assert_eq!(
            w[0].message,
            "the grantee has no role, so s3:GetObject, s3:ListBucket was not granted"
        );
    }

    #[test]
    fn removal_policies() {
        let (app, stack) = new_stack();
        Bucket::new(
            &stack,
            "Data",
            BucketProps::new().removal_policy(RemovalPolicy::RetainExceptOnCreate),
        )
        .unwrap();
        let t = app.synth().unwrap().template_json("Stack").unwrap();
        for id in ["Data", "DataPolicy"] {
            assert_eq!(t["Resources"][id]["DeletionPolicy"], "RetainExceptOnCreate");
            assert_eq!(t["Resources"][id]["UpdateReplacePolicy"], "Retain");
        }
        let (app, stack) = new_stack();
        Bucket::new(
            &stack,
            "Data",
            BucketProps::new().removal_policy(RemovalPolicy::Snapshot),
        )
        .unwrap();
        let ds = errors(&app);
        assert_eq!(ds.len(), 2, "bucket and policy: {ds:#?}");
        assert_eq!(ds[0].code, codes::REMOVAL_POLICY);
        assert_eq!(ds[0].path, "Stack/Data");
        assert_eq!(ds[0].property.as_deref(), Some("DeletionPolicy"));
        assert!(ds[0].message.starts_with("S3 buckets have no snapshots"));
    }

    #[test]
    fn duplicate_ids_are_errors() {
        let (_app, stack) = new_stack();
        Bucket::new(&stack, "Data", BucketProps::new()).unwrap();
        assert!(Bucket::new(&stack, "Data", BucketProps::new()).is_err());
        assert!(Bucket::from_name(&stack, "Data", "x-bucket").is_err());
    }

    /// Reference E's sessions bucket as S3 accepts it, with the backend's
    /// least-privilege grant, through cfn-lint.
    #[test]
    fn reference_e_sessions_bucket_lints_clean() {
        let (app, stack) = new_stack();
        let env = stack
            .add_parameter("Env", Parameter::string().default_value("prod"))
            .unwrap();
        let b = Bucket::new(
            &stack,
            "SessionsBucket",
            BucketProps::new()
                .bucket_name(Fn::concat([
                    Value::from("hera-sessions-"),
                    env.ref_().into(),
                ]))
                .cors_rule(
                    CorsRule::new(
                        ["https://yourdomain.com"],
                        [HttpMethod::Get, HttpMethod::Put, HttpMethod::Post],
                    )
                    .allowed_headers(["*"])
                    .max_age_seconds(3000),
                )
                .lifecycle_rule(
                    LifecycleRule::new()
                        .id("expire-sessions")
                        .prefix("sessions/")
                        .expiration_days(7),
                ),
        )
        .unwrap();
        let role = task_role(&stack);
        b.grant_read_write(&role).unwrap();
        let t = template(&synth_and_lint(&app, "s3-reference-e"), "Stack");
        let p = &t["Resources"]["SessionsBucket"]["Properties"];
        assert_eq!(
            p["CorsConfiguration"],
            json!({"CorsRules": [{
                "AllowedHeaders": ["*"],
                "AllowedMethods": ["GET", "PUT", "POST"],
                "AllowedOrigins": ["https://yourdomain.com"],
                "MaxAge": 3000
            }]})
        );
        assert_eq!(
            p["LifecycleConfiguration"],
            json!({"Rules": [{"ExpirationInDays": 7, "Id": "expire-sessions", "Prefix": "sessions/", "Status": "Enabled"}]})
        );
    }

    /// Every option at once, through cfn-lint.
    #[test]
    fn fully_configured_bucket_lints_clean() {
        let (app, stack) = new_stack();
        let b = Bucket::new(
            &stack,
            "Archive",
            BucketProps::new()
                .bucket_name("media-search-archive-111122223333")
                .encryption(Encryption::Kms {
                    key: Some(Key::from_arn(&stack, "Key", "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab").unwrap()),
                })
                .versioned(true)
                .cors_rule(
                    CorsRule::new(["https://*.example.com"], [HttpMethod::Get, HttpMethod::Head])
                        .id("web")
                        .allowed_headers(["Authorization", "x-amz-*"])
                        .exposed_headers(["ETag"])
                        .max_age_seconds(600),
                )
                .lifecycle_rule(
                    LifecycleRule::new()
                        .id("tiering")
                        .prefix("data/")
                        .transition(StorageClass::StandardIa, 30)
                        .transition(StorageClass::GlacierInstantRetrieval, 60)
                        .transition(StorageClass::DeepArchive, 180)
                        .expiration_days(3650)
                        .noncurrent_version_transition(StorageClass::Glacier, 30)
                        .noncurrent_version_expiration_keeping(90, 5),
                )
                .lifecycle_rule(LifecycleRule::new().id("tagged").tag_filter("retention", "short").expiration_days(30))
                .lifecycle_rule(
                    LifecycleRule::new()
                        .id("housekeeping")
                        .expired_object_delete_marker()
                        .abort_incomplete_multipart_upload_after_days(7),
                )
                .lifecycle_rule(LifecycleRule::new().id("until").prefix("tmp/").expiration_date("2030-01-01"))
                .removal_policy(RemovalPolicy::RetainExceptOnCreate)
                .tag("project", "media-search"),
        )
        .unwrap();
        let role = task_role(&stack);
        b.grant_read(&role).unwrap();
        b.grant_put(&role).unwrap();
        let asm = synth_and_lint(&app, "s3-full");
        assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
    }
}
