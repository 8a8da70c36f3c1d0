//! AccessKey: an IAM user's access key, whose secret goes straight into a
//! Secrets Manager secret (never into an output or the template).

use formwork_core::typed::Str;
use formwork_core::{Expr, Fn, Result, Scope, Value};
use formwork_l1::iam::{CfnAccessKey, CfnAccessKeyRef};

use super::user::User;
use crate::secretsmanager::{Secret, SecretProps};

/// What an [`AccessKey`] is made with. Defaults: active, serial 1 (bump
/// [`serial`](AccessKeyProps::serial) to rotate the key), a secret with a
/// generated name encrypted with `aws/secretsmanager`.
///
/// ```
/// use formwork::iam::AccessKeyProps;
/// let props = AccessKeyProps::new().serial(2).secret_name("ci/deployer-key");
/// # let _ = props;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccessKeyProps {
    serial: Option<u32>,
    inactive: bool,
    secret_name: Option<Str>,
    encryption_key: Option<Value>,
}

impl AccessKeyProps {
    /// The defaults (see [`AccessKeyProps`]).
    pub fn new() -> Self {
        AccessKeyProps::default()
    }
    /// The key's serial number: changing it replaces the key (and updates
    /// the secret), which is how a key is rotated.
    pub fn serial(mut self, serial: u32) -> Self {
        self.serial = Some(serial);
        self
    }
    /// Makes the key inactive (it stays, but AWS refuses requests signed
    /// with it).
    pub fn inactive(mut self) -> Self {
        self.inactive = true;
        self
    }
    /// The name of the secret that holds the key.
    pub fn secret_name(mut self, name: impl Into<Str>) -> Self {
        self.secret_name = Some(name.into());
        self
    }
    /// A customer managed KMS key ARN to encrypt the secret with.
    pub fn encryption_key(mut self, key_arn: impl Into<Value>) -> Self {
        self.encryption_key = Some(key_arn.into());
        self
    }
}

/// An access key of a [`User`]. Its secret access key is only ever written
/// into a Secrets Manager secret (`scope/id/Secret`), as the JSON object
/// `{"accessKeyId": …, "secretAccessKey": …}`: read it with
/// `aws secretsmanager get-secret-value`, or give it to a task or function
/// with the secret's grants and [`Secret::json_field`].
///
/// ```
/// use formwork::App;
/// use formwork::iam::{AccessKey, AccessKeyProps, User, UserProps};
/// let app = App::new();
/// let stack = app.stack("Partner")?;
/// let user = User::new(&stack, "Uploader", UserProps::new())?;
/// let key = AccessKey::new(&stack, "UploaderKey", &user, AccessKeyProps::new())?;
/// let t = app.synth()?.template_json("Partner").ok_or("no template")?;
/// assert_eq!(t["Resources"]["UploaderKeySecret"]["Type"], "AWS::SecretsManager::Secret");
/// assert!(t.get("Outputs").is_none());
/// # let _ = key.secret().arn();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct AccessKey {
    cfn: CfnAccessKeyRef,
    secret: Secret,
}

impl AccessKey {
    /// Adds an access key of `user` at `scope/id` and its secret at
    /// `scope/id/Secret`.
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, user: &User, props: AccessKeyProps) -> Result<AccessKey> {
        let node = scope.child(id)?;
        let mut cfn = CfnAccessKey::new().user_name(user.name());
        if let Some(s) = props.serial {
            cfn = cfn.serial(s);
        }
        if props.inactive {
            cfn = cfn.status("Inactive");
        }
        let cfn = node.add_here(cfn)?;
        let mut sp = SecretProps::new()
            .description("An IAM access key (accessKeyId, secretAccessKey)")
            .json_keys(["accessKeyId", "secretAccessKey"]);
        if let Some(n) = props.secret_name {
            sp = sp.name(n);
        }
        if let Some(k) = props.encryption_key {
            sp = sp.encryption_key(k);
        }
        let secret = Secret::new(&node, "Secret", sp)?;
        let value = Fn::concat([
            Value::from("{\"accessKeyId\":\""),
            Value::from(cfn.ref_()),
            Value::from("\",\"secretAccessKey\":\""),
            Value::from(cfn.secret_access_key()),
            Value::from("\"}"),
        ]);
        if let Some(s) = secret.cfn() {
            s.update(|c| c.secret_string(value));
        }
        Ok(AccessKey { cfn, secret })
    }

    /// The L1 access key.
    pub fn cfn(&self) -> &CfnAccessKeyRef {
        &self.cfn
    }

    /// `Ref`: the access key id (not a secret).
    pub fn access_key_id(&self) -> Expr {
        self.cfn.ref_()
    }

    /// The secret holding the key.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::UserProps;
    use formwork_core::App;
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    #[test]
    fn the_secret_access_key_goes_only_into_a_secret() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let u = User::new(&s, "Ci", UserProps::new()).unwrap();
        let k = AccessKey::new(
            &s,
            "Key",
            &u,
            AccessKeyProps::new()
                .serial(3)
                .inactive()
                .secret_name("ci/key"),
        )
        .unwrap();
        assert_eq!(
            k.secret().json_field("secretAccessKey").key(),
            "secretAccessKey"
        );
        let asm = synth_and_lint(&app, "iam-access-key");
        assert!(asm.warnings.0.is_empty(), "{:?}", asm.warnings);
        let t = template(&asm, "S");
        assert_eq!(
            t["Resources"]["Key"]["Properties"],
            json!({"Serial": 3, "Status": "Inactive", "UserName": {"Ref": "Ci"}})
        );
        let secret = &t["Resources"]["KeySecret"];
        assert_eq!(secret["DeletionPolicy"], "Retain");
        assert_eq!(secret["Properties"]["Name"], "ci/key");
        assert_eq!(
            secret["Properties"]["SecretString"],
            json!({"Fn::Sub": "{\"accessKeyId\":\"${Key}\",\"secretAccessKey\":\"${Key.SecretAccessKey}\"}"})
        );
        let text = serde_json::to_string(&t).unwrap();
        assert_eq!(
            text.matches("SecretAccessKey").count(),
            1,
            "only the secret reads it"
        );
        assert!(t.get("Outputs").is_none());
    }
}
