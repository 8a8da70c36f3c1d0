//! Key: a customer managed KMS key (symmetric, for encryption), created by
//! the stack or imported by ARN, with grants of its use.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, RemovalPolicy, Result, Scope, Value};
use formwork_l1::kms::{CfnKey, CfnKeyRef, key};

use super::alias::{Alias, AliasProps};
use super::codes;
use crate::iam::{self, GrantSpec, Grantee, PolicyDocument, PolicyStatement, Principal};

/// What a [`Key`] is made with.
///
/// Defaults: a symmetric encryption key, automatic rotation on (every 365
/// days), a key policy whose one statement gives the account (its root
/// principal) `kms:*`, so that the account's IAM policies, and the grants
/// formwork writes into them, decide who uses it; `DeletionPolicy` /
/// `UpdateReplacePolicy: Retain` (a deleted key makes everything encrypted
/// with it unreadable); a 30-day pending window if it is ever deleted.
///
/// ```
/// use formwork::kms::KeyProps;
/// let props = KeyProps::new().description("Session data").alias("alias/sessions");
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct KeyProps {
    description: Option<Str>,
    aliases: Vec<Str>,
    rotation: bool,
    rotation_period_days: Option<u32>,
    pending_window_days: Option<u32>,
    multi_region: bool,
    removal_policy: RemovalPolicy,
    tags: Vec<(String, String)>,
}

impl Default for KeyProps {
    fn default() -> Self {
        KeyProps::new()
    }
}

impl KeyProps {
    /// The safe defaults (see [`KeyProps`]).
    pub fn new() -> Self {
        KeyProps {
            description: None,
            aliases: Vec::new(),
            rotation: true,
            rotation_period_days: None,
            pending_window_days: None,
            multi_region: false,
            removal_policy: RemovalPolicy::Retain,
            tags: Vec::new(),
        }
    }
    /// Its description.
    pub fn description(mut self, d: impl Into<Str>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// An alias (`alias/sessions`) created with the key at `key/Alias`
    /// (`Alias2`, … for more).
    pub fn alias(mut self, name: impl Into<Str>) -> Self {
        self.aliases.push(name.into());
        self
    }
    /// Automatic yearly rotation of the key material (on by default).
    pub fn rotation(mut self, on: bool) -> Self {
        self.rotation = on;
        self
    }
    /// Days between automatic rotations (90 to 2560; default 365).
    pub fn rotation_period_days(mut self, days: u32) -> Self {
        self.rotation_period_days = Some(days);
        self
    }
    /// Days KMS waits before deleting a key removed from the stack with
    /// `RemovalPolicy::Delete` (7 to 30; default 30).
    pub fn pending_window_days(mut self, days: u32) -> Self {
        self.pending_window_days = Some(days);
        self
    }
    /// A multi-Region primary key.
    pub fn multi_region(mut self, on: bool) -> Self {
        self.multi_region = on;
        self
    }
    /// What happens to the key when it leaves the stack: `Retain` by
    /// default; `Delete` schedules its deletion after the pending window.
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }
    /// Adds a tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

#[derive(Clone, Debug)]
struct Owned {
    cfn: CfnKeyRef,
    policy: Rc<RefCell<PolicyDocument>>,
}

/// A KMS key: one this stack creates ([`Key::new`]) or an existing one
/// ([`Key::from_arn`]).
///
/// Grants give exact actions on the key ARN, through IAM (the key policy
/// of a created key delegates to the account's IAM policies):
///
/// | grant | actions |
/// |---|---|
/// | [`grant_decrypt`](Key::grant_decrypt) | `kms:Decrypt` |
/// | [`grant_encrypt`](Key::grant_encrypt) | `kms:Encrypt`, `kms:ReEncryptFrom`, `kms:ReEncryptTo`, `kms:GenerateDataKey`, `kms:GenerateDataKeyWithoutPlaintext` |
/// | [`grant_encrypt_decrypt`](Key::grant_encrypt_decrypt) | both of the above |
///
/// ```
/// use formwork::App;
/// use formwork::kms::{Key, KeyProps};
/// use formwork::iam::{User, UserProps};
/// let app = App::new();
/// let stack = app.stack("Data")?;
/// let key = Key::new(&stack, "DataKey", KeyProps::new().alias("alias/data"))?;
/// let ops = User::new(&stack, "Ops", UserProps::new())?;
/// key.grant_decrypt(&ops)?;
/// let t = app.synth()?.template_json("Data").ok_or("no template")?;
/// assert_eq!(t["Resources"]["DataKey"]["Properties"]["EnableKeyRotation"], true);
/// assert_eq!(t["Resources"]["DataKey"]["DeletionPolicy"], "Retain");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Key {
    scope: Scope,
    owned: Option<Owned>,
    arn: Str,
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.arn == other.arn
    }
}

const DECRYPT: &[&str] = &["kms:Decrypt"];
const ENCRYPT: &[&str] = &[
    "kms:Encrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
];
const ENCRYPT_DECRYPT: &[&str] = &[
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
];

/// True for a literal key ARN (`arn:…:kms:…:key/…`).
pub(crate) fn is_key_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    parts.len() == 6 && parts[0] == "arn" && parts[2] == "kms" && parts[5].starts_with("key/")
}

impl Key {
    /// Adds a key at `scope/id` (and its aliases at `scope/id/Alias`, …).
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: KeyProps) -> Result<Key> {
        let node = scope.child(id)?;
        let policy = PolicyDocument::of([PolicyStatement::allow()
            .principal(Principal::this_account())
            .actions(["kms:*"])
            .resource("*")]);
        let mut cfn = CfnKey::new()
            .enable_key_rotation(props.rotation)
            .key_policy(policy.clone());
        if let Some(d) = props.description {
            cfn = cfn.description(d);
        }
        if let Some(days) = props.rotation_period_days {
            if !(90..=2560).contains(&days) {
                node.report(
                    Diagnostic::error(
                        codes::KEY_DAYS,
                        node.path(),
                        format!(
                            "a rotation period of {days} days is out of range; allowed: 90 to 2560"
                        ),
                    )
                    .property("RotationPeriodInDays"),
                );
            }
            if !props.rotation {
                node.report(
                    Diagnostic::error(
                        codes::KEY_DAYS,
                        node.path(),
                        format!(
                            "a rotation period of {days} days is set on a key without rotation"
                        ),
                    )
                    .property("RotationPeriodInDays")
                    .fix("turn rotation on, or drop the rotation period"),
                );
            }
            cfn = cfn.rotation_period_in_days(days);
        }
        if let Some(days) = props.pending_window_days {
            if !(7..=30).contains(&days) {
                node.report(
                    Diagnostic::error(
                        codes::KEY_DAYS,
                        node.path(),
                        format!(
                            "a pending window of {days} days is out of range; allowed: 7 to 30"
                        ),
                    )
                    .property("PendingWindowInDays"),
                );
            }
            cfn = cfn.pending_window_in_days(days);
        }
        if props.multi_region {
            cfn = cfn.multi_region(true);
        }
        if !props.tags.is_empty() {
            cfn = cfn.tags(
                props
                    .tags
                    .iter()
                    .map(|(k, v)| key::Tag::new().key(k.as_str()).value(v.as_str())),
            );
        }
        let cfn = node.add_here(cfn)?;
        apply_removal_policy(&node, &cfn, props.removal_policy);
        let key = Key {
            arn: Str::from(cfn.arn()),
            scope: node,
            owned: Some(Owned {
                cfn,
                policy: Rc::new(RefCell::new(policy)),
            }),
        };
        for (i, name) in props.aliases.into_iter().enumerate() {
            let id = if i == 0 {
                "Alias".to_owned()
            } else {
                format!("Alias{}", i + 1)
            };
            Alias::new(&key.scope, &id, AliasProps::new(name, &key))?;
        }
        Ok(key)
    }

    /// An existing key, by ARN (`arn:aws:kms:<region>:<account>:key/<id>`):
    /// no resource is created; grants name the ARN. A literal that is not
    /// a key ARN (a key id, an alias) is an error ([`codes::KEY_ARN`]):
    /// IAM grants on key ARNs only.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::kms::Key;
    /// let app = App::new();
    /// let stack = app.stack("Reader")?;
    /// let key = Key::from_arn(&stack, "Shared", "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")?;
    /// # let _ = key;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn from_arn(scope: &Scope, id: &str, arn: impl Into<Str>) -> Result<Key> {
        let node = scope.child(id)?;
        let arn = arn.into();
        if let Some(s) = arn.clone().into_value().as_str().filter(|s| !is_key_arn(s)) {
            node.report(
                Diagnostic::error(
                    codes::KEY_ARN,
                    node.path(),
                    format!("`{s}` is not a KMS key ARN; expected arn:<partition>:kms:<region>:<account>:key/<key id>"),
                )
                .property("KeyArn")
                .fix("give the key ARN (IAM grants name keys by ARN, not by id or alias)"),
            );
        }
        Ok(Key {
            scope: node,
            owned: None,
            arn,
        })
    }

    /// The L1 key (`None` for an imported key).
    pub fn cfn(&self) -> Option<&CfnKeyRef> {
        self.owned.as_ref().map(|o| &o.cfn)
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The key ARN (`Fn::GetAtt Arn`, or the given ARN).
    pub fn key_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The key id (`Ref`; `None` for an imported key, whose id is the end
    /// of its ARN).
    pub fn key_id(&self) -> Option<Expr> {
        self.owned.as_ref().map(|o| o.cfn.key_id())
    }

    /// Adds an alias of this key at `scope/id`.
    #[track_caller]
    pub fn add_alias(&self, id: &str, name: impl Into<Str>) -> Result<Alias> {
        Alias::new(&self.scope, id, AliasProps::new(name, self))
    }

    /// Adds a statement to the key policy (for a service principal that
    /// must use the key, say). Returns false, with a warning, for an
    /// imported key.
    pub fn add_to_resource_policy(&self, statement: PolicyStatement) -> bool {
        let Some(o) = &self.owned else {
            self.scope.report(Diagnostic::warning(
                codes::POLICY_NOT_MANAGED,
                self.scope.path(),
                "a key policy statement was not added: this is an imported key, whose policy this stack does not manage",
            ));
            return false;
        };
        let doc = {
            let mut d = o.policy.borrow_mut();
            d.add(statement);
            d.clone()
        };
        o.cfn.update(|k| k.key_policy(doc));
        true
    }

    /// The key policy as it is now (`None` for an imported key).
    pub fn resource_policy(&self) -> Option<PolicyDocument> {
        self.owned.as_ref().map(|o| o.policy.borrow().clone())
    }

    /// Lets the grantee decrypt: `kms:Decrypt` on the key.
    pub fn grant_decrypt(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, DECRYPT)
    }

    /// Lets the grantee encrypt: `kms:Encrypt`, `kms:ReEncryptFrom`,
    /// `kms:ReEncryptTo`, `kms:GenerateDataKey`,
    /// `kms:GenerateDataKeyWithoutPlaintext` on the key.
    pub fn grant_encrypt(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, ENCRYPT)
    }

    /// Lets the grantee encrypt and decrypt (both of the above).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// use formwork::kms::{Key, KeyProps};
    /// let app = App::new();
    /// let stack = app.stack("App")?;
    /// let key = Key::new(&stack, "Key", KeyProps::new())?;
    /// let role = Role::new(&stack, "Task", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")))?;
    /// key.grant_encrypt_decrypt(&role)?;
    /// assert_eq!(role.policy().statements()[0].get_actions().len(), 6);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn grant_encrypt_decrypt(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, ENCRYPT_DECRYPT)
    }

    /// Grants `actions` (exact KMS actions) on the key: what services use
    /// to add the key's part to their own grants.
    pub fn grant(&self, grantee: &dyn Grantee, actions: &'static [&'static str]) -> Result<()> {
        iam::grant_or_report(
            &self.scope,
            grantee,
            &[GrantSpec { actions, arn: 0 }],
            &[self.arn.clone().into_value()],
        );
        Ok(())
    }
}

impl From<&Key> for Value {
    /// The key ARN.
    fn from(k: &Key) -> Value {
        k.key_arn().into_value()
    }
}

impl From<&Key> for Str {
    /// The key ARN.
    fn from(k: &Key) -> Str {
        k.key_arn()
    }
}

/// Sets `DeletionPolicy` and `UpdateReplacePolicy`; keys have no snapshots.
fn apply_removal_policy(node: &Scope, r: &formwork_core::ResourceRef, policy: RemovalPolicy) {
    match policy {
        RemovalPolicy::Snapshot => {
            node.error(
                codes::KEY_DAYS,
                "DeletionPolicy",
                "KMS keys have no snapshots; allowed removal policies: Retain, RetainExceptOnCreate, Delete",
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
    use super::*;
    use crate::iam::testing::NoRole;
    use crate::iam::{Group, GroupProps, Role, RoleProps, User, UserProps};
    use formwork_core::App;
    use formwork_test_support::{failed, synth_and_lint, template, with_code};
    use serde_json::json;

    #[test]
    fn a_key_rotates_is_retained_and_delegates_to_iam() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Key::new(&s, "Key", KeyProps::new()).unwrap();
        let t = template(&synth_and_lint(&app, "kms-key-defaults"), "S");
        assert_eq!(
            t["Resources"]["Key"],
            json!({
                "Type": "AWS::KMS::Key",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "EnableKeyRotation": true,
                    "KeyPolicy": {"Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow",
                        "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                        "Action": "kms:*",
                        "Resource": "*"
                    }]}
                }
            })
        );
    }

    #[test]
    fn options_aliases_and_policy_statements_render() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let k = Key::new(
            &s,
            "Key",
            KeyProps::new()
                .description("sessions")
                .alias("alias/sessions")
                .alias("alias/sessions-v2")
                .rotation_period_days(180)
                .pending_window_days(7)
                .multi_region(true)
                .removal_policy(RemovalPolicy::Delete)
                .tag("team", "chat"),
        )
        .unwrap();
        assert!(
            k.add_to_resource_policy(
                PolicyStatement::allow()
                    .principal(Principal::service("logs.amazonaws.com"))
                    .actions(["kms:Decrypt"])
                    .resource("*")
            )
        );
        let t = template(&synth_and_lint(&app, "kms-key-options"), "S");
        let p = &t["Resources"]["Key"]["Properties"];
        assert_eq!(t["Resources"]["Key"]["DeletionPolicy"], "Delete");
        assert_eq!(p["Description"], "sessions");
        assert_eq!(p["RotationPeriodInDays"], 180);
        assert_eq!(p["PendingWindowInDays"], 7);
        assert_eq!(p["MultiRegion"], true);
        assert_eq!(p["KeyPolicy"]["Statement"].as_array().unwrap().len(), 2);
        assert_eq!(
            t["Resources"]["KeyAlias"]["Properties"],
            json!({"AliasName": "alias/sessions", "TargetKeyId": {"Fn::GetAtt": ["Key", "Arn"]}})
        );
        assert_eq!(
            t["Resources"]["KeyAlias2"]["Properties"]["AliasName"],
            "alias/sessions-v2"
        );
    }

    #[test]
    fn grants_go_to_roles_users_and_groups() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let k = Key::new(&s, "Key", KeyProps::new()).unwrap();
        let r = Role::new(
            &s,
            "R",
            RoleProps::new(Principal::service("lambda.amazonaws.com")),
        )
        .unwrap();
        let u = User::new(&s, "U", UserProps::new()).unwrap();
        let g = Group::new(&s, "G", GroupProps::new()).unwrap();
        k.grant_decrypt(&r).unwrap();
        k.grant_encrypt(&u).unwrap();
        k.grant_encrypt_decrypt(&g).unwrap();
        k.grant_decrypt(&NoRole).unwrap();
        let asm = synth_and_lint(&app, "kms-key-grants");
        assert_eq!(
            asm.warnings
                .with_code(crate::iam::codes::GRANT_NO_ROLE)
                .count(),
            1
        );
        let t = template(&asm, "S");
        let st = |id: &str| {
            t["Resources"][id]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]
                .clone()
        };
        assert_eq!(
            st("R"),
            json!({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": {"Fn::GetAtt": ["Key", "Arn"]}})
        );
        assert_eq!(st("U")["Action"], json!(ENCRYPT));
        assert_eq!(st("G")["Action"], json!(ENCRYPT_DECRYPT));
    }

    #[test]
    fn bad_days_and_arns_are_errors() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Key::new(
            &s,
            "A",
            KeyProps::new()
                .rotation_period_days(30)
                .pending_window_days(40),
        )
        .unwrap();
        Key::new(
            &s,
            "B",
            KeyProps::new().rotation(false).rotation_period_days(100),
        )
        .unwrap();
        Key::new(
            &s,
            "C",
            KeyProps::new().removal_policy(RemovalPolicy::Snapshot),
        )
        .unwrap();
        let imported = Key::from_arn(&s, "D", "alias/mine").unwrap();
        assert!(
            !imported.add_to_resource_policy(PolicyStatement::allow().actions(["kms:Decrypt"]))
        );
        Key::from_arn(
            &s,
            "E",
            "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        )
        .unwrap();
        let errs = failed(&app);
        let days = with_code(&errs.0, codes::KEY_DAYS);
        assert_eq!(days.len(), 4, "{days:?}");
        assert!(
            days[0]
                .message
                .contains("30 days is out of range; allowed: 90 to 2560")
        );
        assert!(
            days[1]
                .message
                .contains("40 days is out of range; allowed: 7 to 30")
        );
        assert!(days[2].message.contains("without rotation"));
        let arn = with_code(&errs.0, codes::KEY_ARN);
        assert_eq!(arn.len(), 1);
        assert_eq!(arn[0].path, "S/D");
    }
}
