//! Table: a DynamoDB table with safe defaults, grants and metrics.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Fn, RemovalPolicy, Result, Scope, Value, ValueMap};
use formwork_l1::dynamodb::{CfnTable, CfnTableRef, table};

use super::codes;
use crate::cloudwatch::{Metric, Statistic};
use crate::iam::{self, GrantSpec, Grantee};
use crate::kms::{Key, KeyProps};

/// The type of a key attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttributeType {
    /// `S`: a string.
    String,
    /// `N`: a number.
    Number,
    /// `B`: binary.
    Binary,
}

impl AttributeType {
    fn l1(self) -> table::AttributeType {
        match self {
            AttributeType::String => table::AttributeType::S,
            AttributeType::Number => table::AttributeType::N,
            AttributeType::Binary => table::AttributeType::B,
        }
    }
}

/// A key attribute: its name and type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Attribute {
    name: String,
    kind: AttributeType,
}

impl Attribute {
    /// A string attribute.
    pub fn string(name: impl Into<String>) -> Self {
        Attribute {
            name: name.into(),
            kind: AttributeType::String,
        }
    }
    /// A number attribute.
    pub fn number(name: impl Into<String>) -> Self {
        Attribute {
            name: name.into(),
            kind: AttributeType::Number,
        }
    }
    /// A binary attribute.
    pub fn binary(name: impl Into<String>) -> Self {
        Attribute {
            name: name.into(),
            kind: AttributeType::Binary,
        }
    }
}

/// How capacity is paid for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Billing {
    /// On demand: per request, nothing to size. The default.
    #[default]
    PayPerRequest,
    /// Provisioned read and write capacity units.
    Provisioned {
        /// Read capacity units (at least 1).
        read: u32,
        /// Write capacity units (at least 1).
        write: u32,
    },
}

/// What a table's stream carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StreamView {
    /// Only the key attributes of the changed item.
    KeysOnly,
    /// The item after the change.
    NewImage,
    /// The item before the change.
    OldImage,
    /// Both.
    NewAndOldImages,
}

impl StreamView {
    fn as_str(self) -> &'static str {
        match self {
            StreamView::KeysOnly => "KEYS_ONLY",
            StreamView::NewImage => "NEW_IMAGE",
            StreamView::OldImage => "OLD_IMAGE",
            StreamView::NewAndOldImages => "NEW_AND_OLD_IMAGES",
        }
    }
}

/// How items are encrypted at rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum TableEncryption {
    /// A key owned by DynamoDB (free, nothing to grant). The default.
    #[default]
    AwsOwned,
    /// The AWS managed key `alias/aws/dynamodb`.
    KmsManaged,
    /// A customer managed key; `key: None` creates one at `<table>/Key`.
    /// Grants on the table add the key's actions.
    Kms {
        /// The key; `None` creates one.
        key: Option<Key>,
    },
}

/// What a [`Table`] is made with.
///
/// Defaults: on-demand capacity, point-in-time recovery on, deletion
/// protection on, encryption with a DynamoDB-owned key, no stream, no TTL,
/// `DeletionPolicy` / `UpdateReplacePolicy: Retain`.
///
/// ```
/// use formwork::dynamodb::{Attribute, StreamView, TableProps};
/// let props = TableProps::new(Attribute::string("pk"))
///     .sort_key(Attribute::number("ts"))
///     .time_to_live_attribute("expiresAt")
///     .stream(StreamView::NewAndOldImages);
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TableProps {
    partition_key: Attribute,
    sort_key: Option<Attribute>,
    table_name: Option<Str>,
    billing: Billing,
    point_in_time_recovery: bool,
    recovery_period_days: Option<u32>,
    deletion_protection: bool,
    ttl_attribute: Option<String>,
    stream: Option<StreamView>,
    encryption: TableEncryption,
    removal_policy: RemovalPolicy,
    tags: Vec<(String, String)>,
}

impl TableProps {
    /// A table keyed by `partition_key`, with the safe defaults.
    pub fn new(partition_key: Attribute) -> Self {
        TableProps {
            partition_key,
            sort_key: None,
            table_name: None,
            billing: Billing::PayPerRequest,
            point_in_time_recovery: true,
            recovery_period_days: None,
            deletion_protection: true,
            ttl_attribute: None,
            stream: None,
            encryption: TableEncryption::AwsOwned,
            removal_policy: RemovalPolicy::Retain,
            tags: Vec::new(),
        }
    }
    /// A sort key.
    pub fn sort_key(mut self, a: Attribute) -> Self {
        self.sort_key = Some(a);
        self
    }
    /// A fixed table name.
    pub fn table_name(mut self, n: impl Into<Str>) -> Self {
        self.table_name = Some(n.into());
        self
    }
    /// The billing mode (on demand by default).
    pub fn billing(mut self, b: Billing) -> Self {
        self.billing = b;
        self
    }
    /// Point-in-time recovery (on by default).
    pub fn point_in_time_recovery(mut self, on: bool) -> Self {
        self.point_in_time_recovery = on;
        self
    }
    /// Days of point-in-time recovery (1 to 35; default 35).
    pub fn recovery_period_days(mut self, days: u32) -> Self {
        self.recovery_period_days = Some(days);
        self
    }
    /// Deletion protection (on by default): the table cannot be deleted,
    /// not even by a stack update, until it is turned off.
    pub fn deletion_protection(mut self, on: bool) -> Self {
        self.deletion_protection = on;
        self
    }
    /// Items expire at the epoch seconds in this attribute.
    pub fn time_to_live_attribute(mut self, name: impl Into<String>) -> Self {
        self.ttl_attribute = Some(name.into());
        self
    }
    /// A stream of item changes (for a Lambda event source).
    pub fn stream(mut self, view: StreamView) -> Self {
        self.stream = Some(view);
        self
    }
    /// The encryption at rest (a DynamoDB-owned key by default).
    pub fn encryption(mut self, e: TableEncryption) -> Self {
        self.encryption = e;
        self
    }
    /// What happens to the table when it leaves the stack (`Retain` by
    /// default; `Snapshot` is an error: CloudFormation has none for tables).
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

/// A DynamoDB table.
///
/// | grant | actions (on the table and its indexes) | on its KMS key (customer managed) |
/// |---|---|---|
/// | [`grant_read_data`](Table::grant_read_data) | `dynamodb:GetItem`, `dynamodb:BatchGetItem`, `dynamodb:Query`, `dynamodb:Scan`, `dynamodb:ConditionCheckItem`, `dynamodb:DescribeTable` | `kms:Decrypt` |
/// | [`grant_write_data`](Table::grant_write_data) | `dynamodb:PutItem`, `dynamodb:UpdateItem`, `dynamodb:DeleteItem`, `dynamodb:BatchWriteItem`, `dynamodb:DescribeTable` | `kms:Encrypt`, `kms:Decrypt`, `kms:GenerateDataKey` |
/// | [`grant_read_write_data`](Table::grant_read_write_data) | both | both |
/// | [`grant_stream_read`](Table::grant_stream_read) | `dynamodb:DescribeStream`, `dynamodb:GetRecords`, `dynamodb:GetShardIterator` on the stream, `dynamodb:ListStreams` on `*` (no resource-level permission) | `kms:Decrypt` |
///
/// ```
/// use formwork::App;
/// use formwork::dynamodb::{Attribute, Table, TableProps};
/// use formwork::iam::{Group, GroupProps};
/// let app = App::new();
/// let stack = app.stack("Sessions")?;
/// let table = Table::new(&stack, "Sessions", TableProps::new(Attribute::string("id")).time_to_live_attribute("expires"))?;
/// let support = Group::new(&stack, "Support", GroupProps::new())?;
/// table.grant_read_data(&support)?;
/// let t = app.synth()?.template_json("Sessions").ok_or("no template")?;
/// assert_eq!(t["Resources"]["Sessions"]["Properties"]["BillingMode"], "PAY_PER_REQUEST");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Table {
    scope: Scope,
    cfn: CfnTableRef,
    stream: bool,
    key: Option<Key>,
}

const READ: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
];
const WRITE: &[&str] = &[
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:DescribeTable",
];
const READ_WRITE: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
];
const KMS_READ: &[&str] = &["kms:Decrypt"];
const KMS_WRITE: &[&str] = &["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"];
const STREAM: &[&str] = &[
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
];
const LIST_STREAMS: &[&str] = &["dynamodb:ListStreams"];

fn key_entry(name: &str, kind: &str) -> Value {
    let mut m = ValueMap::default();
    m.insert("AttributeName".to_owned(), Value::from(name));
    m.insert("KeyType".to_owned(), Value::from(kind));
    Value::Map(m)
}

impl Table {
    /// Adds a table at `scope/id` (a created key at `scope/id/Key`).
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: TableProps) -> Result<Table> {
        let node = scope.child(id)?;
        let err = |code: &'static str, property: &str, message: String| {
            node.report(Diagnostic::error(code, node.path(), message).property(property));
        };
        let mut attrs = vec![&props.partition_key];
        let mut keys = vec![key_entry(&props.partition_key.name, "HASH")];
        if let Some(sk) = &props.sort_key {
            if sk.name == props.partition_key.name {
                err(
                    codes::ATTRIBUTE,
                    "KeySchema",
                    format!("the sort key has the partition key's name `{}`", sk.name),
                );
            }
            attrs.push(sk);
            keys.push(key_entry(&sk.name, "RANGE"));
        }
        for a in attrs
            .iter()
            .map(|a| a.name.as_str())
            .chain(props.ttl_attribute.as_deref())
        {
            if a.is_empty() || a.len() > 255 {
                err(
                    codes::ATTRIBUTE,
                    "AttributeDefinitions",
                    format!(
                        "the attribute name `{a}` has {} bytes; allowed: 1 to 255",
                        a.len()
                    ),
                );
            }
        }
        let mut cfn = CfnTable::new()
            .attribute_definitions(attrs.iter().map(|a| {
                table::AttributeDefinition::new()
                    .attribute_name(a.name.as_str())
                    .attribute_type(a.kind.l1())
            }))
            .key_schema(Value::List(keys));
        if let Some(n) = &props.table_name {
            if let Some(s) = n.clone().into_value().as_str() {
                if !(3..=255).contains(&s.len())
                    || !s
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
                {
                    err(
                        codes::NAME,
                        "TableName",
                        format!(
                            "the table name `{s}` is refused by DynamoDB; allowed: 3 to 255 characters of A-Z a-z 0-9 _ . -"
                        ),
                    );
                }
            }
            cfn = cfn.table_name(n.clone());
        }
        match props.billing {
            Billing::PayPerRequest => cfn = cfn.billing_mode("PAY_PER_REQUEST"),
            Billing::Provisioned { read, write } => {
                if read == 0 || write == 0 {
                    err(
                        codes::CAPACITY,
                        "ProvisionedThroughput",
                        format!(
                            "provisioned capacity of {read} read and {write} write units; allowed: at least 1 of each"
                        ),
                    );
                }
                cfn = cfn.billing_mode("PROVISIONED").provisioned_throughput(
                    table::ProvisionedThroughput::new()
                        .read_capacity_units(read)
                        .write_capacity_units(write),
                );
            }
        }
        if props.point_in_time_recovery {
            let mut pitr =
                table::PointInTimeRecoverySpecification::new().point_in_time_recovery_enabled(true);
            if let Some(d) = props.recovery_period_days {
                if !(1..=35).contains(&d) {
                    err(
                        codes::CAPACITY,
                        "PointInTimeRecoverySpecification.RecoveryPeriodInDays",
                        format!("a recovery period of {d} days is out of range; allowed: 1 to 35"),
                    );
                }
                pitr = pitr.recovery_period_in_days(d);
            }
            cfn = cfn.point_in_time_recovery_specification(pitr);
        }
        if props.deletion_protection {
            cfn = cfn.deletion_protection_enabled(true);
        }
        if let Some(a) = &props.ttl_attribute {
            cfn = cfn.time_to_live_specification(
                table::TimeToLiveSpecification::new()
                    .attribute_name(a.as_str())
                    .enabled(true),
            );
        }
        if let Some(v) = props.stream {
            cfn = cfn.stream_specification(
                table::StreamSpecification::new().stream_view_type(v.as_str()),
            );
        }
        let key = match props.encryption {
            TableEncryption::AwsOwned => None,
            TableEncryption::KmsManaged => {
                cfn = cfn.sse_specification(
                    table::SseSpecification::new()
                        .sse_enabled(true)
                        .sse_type(table::SseType::Kms),
                );
                None
            }
            TableEncryption::Kms { key } => {
                let key = match key {
                    Some(k) => k,
                    None => Key::new(
                        &node,
                        "Key",
                        KeyProps::new()
                            .description(format!("Encrypts the items of table {}", node.path())),
                    )?,
                };
                cfn = cfn.sse_specification(
                    table::SseSpecification::new()
                        .sse_enabled(true)
                        .sse_type(table::SseType::Kms)
                        .kms_master_key_id(key.key_arn()),
                );
                Some(key)
            }
        };
        if !props.tags.is_empty() {
            cfn = cfn.tags(
                props
                    .tags
                    .iter()
                    .map(|(k, v)| table::Tag::new().key(k.as_str()).value(v.as_str())),
            );
        }
        let cfn = node.add_here(cfn)?;
        match props.removal_policy {
            RemovalPolicy::Snapshot => {
                node.report(
                    Diagnostic::error(
                        codes::REMOVAL_POLICY,
                        node.path(),
                        "DynamoDB tables have no Snapshot deletion policy; allowed removal policies: Retain, RetainExceptOnCreate, Delete",
                    )
                    .property("DeletionPolicy")
                    .fix("keep Retain (point-in-time recovery and backups are on the table), or take an on-demand backup before removing it"),
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
        Ok(Table {
            scope: node,
            cfn,
            stream: props.stream.is_some(),
            key,
        })
    }

    /// The L1 table.
    pub fn cfn(&self) -> &CfnTableRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The table name (`Ref`).
    pub fn name(&self) -> Expr {
        self.cfn.ref_()
    }

    /// The table ARN (`Fn::GetAtt Arn`).
    pub fn arn(&self) -> Expr {
        self.cfn.arn()
    }

    /// The stream ARN (`Fn::GetAtt StreamArn`; `None` without a stream).
    pub fn stream_arn(&self) -> Option<Expr> {
        self.stream.then(|| self.cfn.stream_arn())
    }

    /// Its customer managed key, if it has one.
    pub fn encryption_key(&self) -> Option<&Key> {
        self.key.as_ref()
    }

    /// Lets the grantee read items (see the table on [`Table`]).
    pub fn grant_read_data(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, READ, KMS_READ)
    }

    /// Lets the grantee write items.
    pub fn grant_write_data(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, WRITE, KMS_WRITE)
    }

    /// Lets the grantee read and write items.
    pub fn grant_read_write_data(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, READ_WRITE, KMS_WRITE)
    }

    fn grant(
        &self,
        grantee: &dyn Grantee,
        actions: &'static [&'static str],
        kms: &'static [&'static str],
    ) -> Result<()> {
        let mut specs = vec![GrantSpec { actions, arn: 0 }, GrantSpec { actions, arn: 1 }];
        let mut arns = vec![
            Value::from(self.arn()),
            Value::from(Fn::concat([
                Value::from(self.arn()),
                Value::from("/index/*"),
            ])),
        ];
        if let Some(k) = &self.key {
            specs.push(GrantSpec {
                actions: kms,
                arn: 2,
            });
            arns.push(k.key_arn().into_value());
        }
        iam::grant_or_report(&self.scope, grantee, &specs, &arns);
        Ok(())
    }

    /// Lets the grantee read the table's stream (what a Lambda event
    /// source needs). A table without a stream is an error
    /// ([`codes::NO_STREAM`]).
    pub fn grant_stream_read(&self, grantee: &dyn Grantee) -> Result<()> {
        let Some(stream) = self.stream_arn() else {
            self.scope.report(
                Diagnostic::error(
                    codes::NO_STREAM,
                    self.scope.path(),
                    "a grant on the stream of a table without a stream",
                )
                .property("StreamSpecification")
                .fix("give the table a stream with TableProps::stream"),
            );
            return Ok(());
        };
        let mut specs = vec![
            GrantSpec {
                actions: STREAM,
                arn: 0,
            },
            GrantSpec {
                actions: LIST_STREAMS,
                arn: 1,
            },
        ];
        let mut arns = vec![Value::from(stream), Value::from("*")];
        if let Some(k) = &self.key {
            specs.push(GrantSpec {
                actions: KMS_READ,
                arn: 2,
            });
            arns.push(k.key_arn().into_value());
        }
        iam::grant_or_report(&self.scope, grantee, &specs, &arns);
        Ok(())
    }

    /// A metric of this table in `AWS/DynamoDB` (dimension `TableName`).
    pub fn metric(&self, name: &str) -> Metric {
        Metric::new("AWS/DynamoDB", name).dimension("TableName", self.name())
    }

    /// `ConsumedReadCapacityUnits` (Sum).
    pub fn metric_consumed_read_capacity_units(&self) -> Metric {
        self.metric("ConsumedReadCapacityUnits")
            .statistic(Statistic::Sum)
    }

    /// `ConsumedWriteCapacityUnits` (Sum).
    pub fn metric_consumed_write_capacity_units(&self) -> Metric {
        self.metric("ConsumedWriteCapacityUnits")
            .statistic(Statistic::Sum)
    }

    /// `ThrottledRequests` (Sum).
    pub fn metric_throttled_requests(&self) -> Metric {
        self.metric("ThrottledRequests").statistic(Statistic::Sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{Principal, Role, RoleProps, User, UserProps};
    use formwork_core::App;
    use formwork_test_support::{failed, synth_and_lint, template, with_code};
    use serde_json::json;

    #[test]
    fn a_table_is_on_demand_recoverable_protected_and_retained() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Table::new(&s, "T", TableProps::new(Attribute::string("pk"))).unwrap();
        let t = template(&synth_and_lint(&app, "dynamodb-defaults"), "S");
        assert_eq!(
            t["Resources"]["T"],
            json!({
                "Type": "AWS::DynamoDB::Table",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                    "BillingMode": "PAY_PER_REQUEST",
                    "DeletionProtectionEnabled": true,
                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}
                }
            })
        );
    }

    #[test]
    fn options_grants_and_streams_render() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let table = Table::new(
            &s,
            "T",
            TableProps::new(Attribute::string("pk"))
                .sort_key(Attribute::number("ts"))
                .table_name("orders")
                .billing(Billing::Provisioned { read: 5, write: 2 })
                .recovery_period_days(7)
                .time_to_live_attribute("expires")
                .stream(StreamView::NewAndOldImages)
                .encryption(TableEncryption::Kms { key: None })
                .removal_policy(RemovalPolicy::Delete)
                .tag("team", "shop"),
        )
        .unwrap();
        let r = Role::new(
            &s,
            "R",
            RoleProps::new(Principal::service("lambda.amazonaws.com")),
        )
        .unwrap();
        let u = User::new(&s, "U", UserProps::new()).unwrap();
        table.grant_read_write_data(&u).unwrap();
        table.grant_stream_read(&r).unwrap();
        let t = template(&synth_and_lint(&app, "dynamodb-options"), "S");
        let p = &t["Resources"]["T"]["Properties"];
        assert_eq!(t["Resources"]["T"]["DeletionPolicy"], "Delete");
        assert_eq!(
            p["KeySchema"][1],
            json!({"AttributeName": "ts", "KeyType": "RANGE"})
        );
        assert_eq!(
            p["ProvisionedThroughput"],
            json!({"ReadCapacityUnits": 5, "WriteCapacityUnits": 2})
        );
        assert_eq!(
            p["TimeToLiveSpecification"],
            json!({"AttributeName": "expires", "Enabled": true})
        );
        assert_eq!(
            p["StreamSpecification"],
            json!({"StreamViewType": "NEW_AND_OLD_IMAGES"})
        );
        assert_eq!(
            p["SSESpecification"]["KMSMasterKeyId"],
            json!({"Fn::GetAtt": ["TKey", "Arn"]})
        );
        let us = &t["Resources"]["U"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
        assert_eq!(
            us[0]["Resource"],
            json!([{"Fn::GetAtt": ["T", "Arn"]}, {"Fn::Sub": "${T.Arn}/index/*"}])
        );
        assert_eq!(us[1]["Action"], json!(KMS_WRITE));
        let rs = &t["Resources"]["R"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
        assert_eq!(rs[0]["Resource"], json!({"Fn::GetAtt": ["T", "StreamArn"]}));
        assert_eq!(
            rs[1],
            json!({"Effect": "Allow", "Action": "dynamodb:ListStreams", "Resource": "*"})
        );
        assert_eq!(
            table.metric_throttled_requests().namespace(),
            "AWS/DynamoDB"
        );
    }

    #[test]
    fn bad_keys_capacity_names_and_stream_grants_are_errors() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Table::new(
            &s,
            "A",
            TableProps::new(Attribute::string("id")).sort_key(Attribute::string("id")),
        )
        .unwrap();
        Table::new(
            &s,
            "B",
            TableProps::new(Attribute::string(""))
                .billing(Billing::Provisioned { read: 0, write: 1 })
                .recovery_period_days(40),
        )
        .unwrap();
        let c = Table::new(
            &s,
            "C",
            TableProps::new(Attribute::string("id"))
                .table_name("a b")
                .removal_policy(RemovalPolicy::Snapshot),
        )
        .unwrap();
        c.grant_stream_read(&User::new(&s, "U", UserProps::new()).unwrap())
            .unwrap();
        let errs = failed(&app);
        let paths = |code| {
            with_code(&errs.0, code)
                .iter()
                .map(|d| d.path.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(paths(codes::ATTRIBUTE), ["S/A", "S/B"]);
        assert_eq!(paths(codes::CAPACITY), ["S/B", "S/B"]);
        assert_eq!(paths(codes::NAME), ["S/C"]);
        assert_eq!(paths(codes::NO_STREAM), ["S/C"]);
        assert_eq!(paths(codes::REMOVAL_POLICY), ["S/C"]);
    }
}
