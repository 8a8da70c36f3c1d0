//! Secret: a container environment variable whose value ECS reads from
//! Secrets Manager or Parameter Store when the task starts.

use formwork_core::{Expr, Fn, Pseudo, Result, Value};

use crate::iam::{PolicyStatement, Role};
use crate::{secretsmanager, ssm};

#[derive(Clone, Debug)]
pub(crate) enum SecretSource {
    SecretsManager(secretsmanager::Secret),
    Parameter(ssm::StringParameter),
}

/// Where a container secret comes from: its `valueFrom`, and what the
/// task's execution role must be allowed to read for it.
///
/// The value never appears in the template: ECS reads it when the task
/// starts, with the execution role, which [`super::FargateTaskDefinition::add_container`]
/// grants exactly this: `secretsmanager:GetSecretValue` on the secret
/// (and `kms:Decrypt` through Secrets Manager when it has a customer
/// managed key), or `ssm:GetParameters` on the parameter. A secret
/// imported by name or ARN gets the secret's own read grant instead
/// (`GetSecretValue` and `DescribeSecret` on `<partial arn>-??????`), since
/// only the secrets module knows which ARN form IAM matches for it.
///
/// ```
/// use formwork::App;
/// use formwork::ecs::Secret;
/// use formwork::secretsmanager::{Secret as SmSecret, SecretProps};
/// use formwork::ssm::StringParameter;
/// let app = App::new();
/// let stack = app.stack("Weather")?;
/// let keys = SmSecret::new(&stack, "ApiKeys", SecretProps::new().name("weather-comment-generator/api-keys"))?;
/// let whole = Secret::from_secrets_manager(&keys);                        // valueFrom: <arn>
/// let one_key = Secret::from_secrets_manager_field(&keys, "OPENAI_API_KEY"); // valueFrom: <arn>:OPENAI_API_KEY::
/// let token = Secret::from_ssm_parameter(&StringParameter::from_name("/weather/TOKEN"));
/// # let _ = (whole, one_key, token);
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Secret {
    value_from: Expr,
    pub(crate) source: SecretSource,
}

impl Secret {
    /// The whole secret string (`valueFrom: <secret arn>`).
    pub fn from_secrets_manager(secret: &secretsmanager::Secret) -> Secret {
        Secret {
            value_from: secret.arn(),
            source: SecretSource::SecretsManager(secret.clone()),
        }
    }

    /// One key of a JSON secret (`valueFrom: <secret arn>:<key>::`). The
    /// key is checked by the secret (`FW2406`).
    pub fn from_secrets_manager_field(secret: &secretsmanager::Secret, key: &str) -> Secret {
        Secret {
            value_from: secret.json_field(key).value_from(),
            source: SecretSource::SecretsManager(secret.clone()),
        }
    }

    /// A Parameter Store parameter (`valueFrom: <parameter arn>`), a
    /// `String` or a `SecureString` encrypted with the AWS managed key.
    pub fn from_ssm_parameter(parameter: &ssm::StringParameter) -> Secret {
        Secret {
            value_from: parameter.parameter_arn(),
            source: SecretSource::Parameter(parameter.clone()),
        }
    }

    /// The `valueFrom` of the container's `Secrets` entry.
    pub fn value_from(&self) -> Expr {
        self.value_from.clone()
    }

    /// Lets the execution role read the value, and nothing more.
    #[track_caller]
    pub(crate) fn grant_to(&self, role: &Role) -> Result<()> {
        match &self.source {
            SecretSource::SecretsManager(s) => grant_secret_value(s, role),
            SecretSource::Parameter(p) => {
                role.add_to_policy(
                    PolicyStatement::allow()
                        .actions(["ssm:GetParameters"])
                        .resource(p.parameter_arn()),
                );
                Ok(())
            }
        }
    }
}

/// `secretsmanager:GetSecretValue` on a secret of the app (its `Ref` is its
/// complete ARN), with `kms:Decrypt` through Secrets Manager on its
/// customer managed key. An imported secret may be known by a partial ARN
/// that IAM does not match, so it gets the secret's own read grant, which
/// knows the ARN form to name (it adds `secretsmanager:DescribeSecret`).
#[track_caller]
pub(crate) fn grant_secret_value(secret: &secretsmanager::Secret, role: &Role) -> Result<()> {
    if secret.cfn().is_none() {
        return secret.grant_read(role);
    }
    role.add_to_policy(
        PolicyStatement::allow()
            .actions(["secretsmanager:GetSecretValue"])
            .resource(secret.arn()),
    );
    if let Some(key) = secret.encryption_key() {
        let via = Fn::concat([
            Value::from("secretsmanager."),
            Pseudo::Region.into(),
            Value::from(".amazonaws.com"),
        ]);
        role.add_to_policy(
            PolicyStatement::allow()
                .actions(["kms:Decrypt"])
                .resource(key.clone())
                .condition("StringEquals", "kms:ViaService", via),
        );
    }
    Ok(())
}
