//! Secrets Manager: secrets whose values never appear in a template.
//!
//! A [`Secret`] is created empty (its value is put later with
//! `aws secretsmanager put-secret-value`), with a value `deploy` puts from
//! an environment variable, a file or a prompt
//! ([`SecretProps::value_from`], [`SecretSource`]) before anything reads
//! it, with a value the stack computes from its own resources
//! ([`SecretProps::computed`]), or with a value Secrets Manager
//! generates at deploy time ([`GeneratedSecret`]). An existing secret is
//! adopted by name with [`Secret::adopt`]. A literal value is only
//! possible through [`SecretProps::unsafe_plain_text_value`], which warns.
//! Consumers read values by reference: the secret's ARN, a JSON field for
//! ECS `valueFrom` ([`SecretField::value_from`]) or a CloudFormation dynamic
//! reference ([`SecretField::dynamic_reference`]).

mod secret;
mod source;

pub use secret::{GeneratedSecret, Secret, SecretField, SecretProps};
pub use source::{DEPLOY_INPUT, SecretSource};

/// The diagnostic codes of Secrets Manager constructs (`FW24xx`).
pub mod codes {
    /// A secret name that Secrets Manager refuses (1 to 512 characters of
    /// `A-Z a-z 0-9 / _ + = . @ -`).
    pub const SECRET_NAME: &str = "FW2401";
    /// Warning: a literal secret value is written into the template.
    pub const PLAIN_TEXT_VALUE: &str = "FW2402";
    /// Generated-value options Secrets Manager refuses (length, template
    /// and key, every character type excluded).
    pub const GENERATE: &str = "FW2403";
    /// Warning: a secret name ending in a hyphen and six characters, which
    /// Secrets Manager confuses with the random suffix of an ARN.
    pub const NAME_SUFFIX: &str = "FW2404";
    /// A JSON key that cannot be referenced (empty, contains `:`, or not one
    /// of the keys the secret declares).
    pub const JSON_KEY: &str = "FW2406";
    /// A customer managed key given as something other than a key ARN (a
    /// key id or an alias), which grants cannot name.
    pub const KMS_KEY: &str = "FW2407";
    /// The value is set in more than one way (a source, a computed value,
    /// a generated value, a plain text value).
    pub const VALUE_CONFLICT: &str = "FW0901";
    /// A value source that cannot work: an environment variable name
    /// with other characters than letters, digits and `_`, an empty file
    /// path, an adopted secret without a literal name.
    pub const VALUE_SOURCE: &str = "FW0902";
    /// A JSON secret filled by `deploy` with a declared key that has no
    /// source.
    pub const FIELD_WITHOUT_SOURCE: &str = "FW0903";
}
