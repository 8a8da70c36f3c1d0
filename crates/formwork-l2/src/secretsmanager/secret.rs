//! Secret: a Secrets Manager secret, created empty or with a generated value,
//! read by reference only.

use std::rc::Rc;

use indexmap::IndexMap;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Dynamic, Expr, Fn, Pseudo, RemovalPolicy, Result, Scope, Value};
use formwork_l1::secretsmanager::{CfnSecret, CfnSecretRef, secret};

use super::codes;
use super::source::{DEPLOY_INPUT, SecretSource};
use crate::iam::{GrantSpec, Grantee, Identity, PolicyStatement, add_statements};

/// What [`Secret::grant_read`] allows on the secret.
const READ: &[GrantSpec] = &[GrantSpec {
    actions: &[
        "secretsmanager:GetSecretValue",
        "secretsmanager:DescribeSecret",
    ],
    arn: 0,
}];

/// What [`Secret::grant_write`] allows on the secret.
const WRITE: &[GrantSpec] = &[GrantSpec {
    actions: &["secretsmanager:PutSecretValue"],
    arn: 0,
}];

/// How Secrets Manager generates a value at deploy time
/// (`GenerateSecretString`): a random password, or a JSON object with one
/// generated key.
///
/// Only the options that are set are written; Secrets Manager's defaults
/// apply to the others (32 characters of upper case, lower case, digits and
/// punctuation).
///
/// ```
/// use formwork::secretsmanager::GeneratedSecret;
/// let password = GeneratedSecret::password().length(40).exclude_characters("\"@/\\");
/// let db = GeneratedSecret::json([("username", "app")], "password").exclude_punctuation();
/// # let _ = (password, db);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GeneratedSecret {
    length: Option<u32>,
    exclude_characters: Option<String>,
    exclude_punctuation: bool,
    exclude_numbers: bool,
    exclude_uppercase: bool,
    exclude_lowercase: bool,
    include_space: bool,
    require_each_included_type: Option<bool>,
    template: Option<(IndexMap<String, String>, String)>,
}

impl GeneratedSecret {
    /// A random string with Secrets Manager's defaults.
    pub fn password() -> Self {
        GeneratedSecret::default()
    }

    /// A JSON object: the `template` fields as given (no secret values
    /// here: they are written into the template) plus `generate_key` set to
    /// a generated string (`{"username": "app", "password": "<generated>"}`).
    pub fn json<K: Into<String>, V: Into<String>>(
        template: impl IntoIterator<Item = (K, V)>,
        generate_key: impl Into<String>,
    ) -> Self {
        let fields = template
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        GeneratedSecret {
            template: Some((fields, generate_key.into())),
            ..GeneratedSecret::default()
        }
    }

    /// The length of the generated string (1 to 4096; default 32).
    pub fn length(mut self, length: u32) -> Self {
        self.length = Some(length);
        self
    }

    /// Characters never to use (quotes, `@`, `/` and `\` break many
    /// connection strings).
    pub fn exclude_characters(mut self, characters: impl Into<String>) -> Self {
        self.exclude_characters = Some(characters.into());
        self
    }

    /// No punctuation.
    pub fn exclude_punctuation(mut self) -> Self {
        self.exclude_punctuation = true;
        self
    }

    /// No digits.
    pub fn exclude_numbers(mut self) -> Self {
        self.exclude_numbers = true;
        self
    }

    /// No upper case letters.
    pub fn exclude_uppercase(mut self) -> Self {
        self.exclude_uppercase = true;
        self
    }

    /// No lower case letters.
    pub fn exclude_lowercase(mut self) -> Self {
        self.exclude_lowercase = true;
        self
    }

    /// Spaces may be used.
    pub fn include_space(mut self) -> Self {
        self.include_space = true;
        self
    }

    /// Whether at least one character of every included type must appear
    /// (Secrets Manager's default: yes).
    pub fn require_each_included_type(mut self, require: bool) -> Self {
        self.require_each_included_type = Some(require);
        self
    }

    /// Reports what Secrets Manager would refuse.
    fn validate(&self, node: &Scope) {
        const PROP: &str = "GenerateSecretString";
        if let Some(n) = self.length {
            if !(1..=4096).contains(&n) {
                node.error(
                    codes::GENERATE,
                    "GenerateSecretString.PasswordLength",
                    format!("a generated length of {n} is out of range; allowed: 1 to 4096"),
                );
            }
        }
        let no_classes = self.exclude_punctuation
            && self.exclude_numbers
            && self.exclude_uppercase
            && self.exclude_lowercase
            && !self.include_space;
        if no_classes {
            node.error(
                codes::GENERATE,
                PROP,
                "every character type is excluded (punctuation, numbers, upper and lower case) \
                 and spaces are not included: nothing is left to generate from",
            );
        }
        if let Some((fields, key)) = &self.template {
            if key.is_empty() {
                node.error(
                    codes::GENERATE,
                    "GenerateSecretString.GenerateStringKey",
                    "the generated key of a JSON secret is empty; name the field that receives the generated string",
                );
            } else if fields.contains_key(key) {
                node.report(
                    Diagnostic::error(
                        codes::GENERATE,
                        node.path(),
                        format!(
                            "the template already has a field `{key}`, which is also the generated key"
                        ),
                    )
                    .property("GenerateSecretString.SecretStringTemplate")
                    .fix(format!("remove `{key}` from the template fields")),
                );
            }
        }
    }

    fn to_cfn(&self) -> secret::GenerateSecretString {
        let mut g = secret::GenerateSecretString::new();
        if let Some((fields, key)) = &self.template {
            let object: serde_json::Map<String, serde_json::Value> = fields
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            let text = serde_json::Value::Object(object).to_string();
            g = g
                .secret_string_template(text)
                .generate_string_key(key.as_str());
        }
        if let Some(c) = &self.exclude_characters {
            g = g.exclude_characters(c.as_str());
        }
        if self.exclude_lowercase {
            g = g.exclude_lowercase(true);
        }
        if self.exclude_numbers {
            g = g.exclude_numbers(true);
        }
        if self.exclude_punctuation {
            g = g.exclude_punctuation(true);
        }
        if self.exclude_uppercase {
            g = g.exclude_uppercase(true);
        }
        if self.include_space {
            g = g.include_space(true);
        }
        if let Some(n) = self.length {
            g = g.password_length(n);
        }
        if let Some(r) = self.require_each_included_type {
            g = g.require_each_included_type(r);
        }
        g
    }
}

/// Where the secret's first value comes from.
#[derive(Clone, Debug, PartialEq)]
enum Content {
    /// No value: put it later with `aws secretsmanager put-secret-value`.
    Empty,
    /// Generated by Secrets Manager at deploy time.
    Generated(GeneratedSecret),
    /// Written into the template (warned).
    PlainText(Str),
    /// Put by `deploy` from a source before anything reads it.
    Seeded(SecretSource),
    /// A JSON object put by `deploy`, one source per key.
    SeededFields(IndexMap<String, SecretSource>),
    /// Computed by the stack from its own resources.
    Computed(Expr),
    /// A JSON object computed by the stack, one expression per key.
    ComputedFields(IndexMap<String, Expr>),
}
/// What a [`Secret`] is made with.
///
/// Defaults: no name (CloudFormation generates one), no value (an empty
/// secret: CloudFormation creates it without a version and the value is put
/// later with `aws secretsmanager put-secret-value`; until then reading it
/// fails, so an ECS task that takes it from `valueFrom` does not start),
/// the AWS managed key `aws/secretsmanager`, and `DeletionPolicy` /
/// `UpdateReplacePolicy: Retain`.
///
/// ```
/// use formwork::secretsmanager::SecretProps;
/// let props = SecretProps::new()
///     .name("weather-comment-generator/api-keys")
///     .description("API keys of the weather comment generator")
///     .json_keys(["WXTECH_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY", "ANTHROPIC_API_KEY"]);
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SecretProps {
    name: Option<Str>,
    description: Option<Str>,
    encryption_key: Option<Value>,
    content: Content,
    /// Every way the value was set (more than one is an error).
    set_by: Vec<&'static str>,
    json_keys: Vec<String>,
    removal_policy: RemovalPolicy,
}

impl Default for SecretProps {
    fn default() -> Self {
        SecretProps::new()
    }
}

impl SecretProps {
    /// An empty secret with a generated name, retained when removed from
    /// the stack.
    pub fn new() -> Self {
        SecretProps {
            name: None,
            description: None,
            encryption_key: None,
            content: Content::Empty,
            set_by: Vec::new(),
            json_keys: Vec::new(),
            removal_policy: RemovalPolicy::Retain,
        }
    }

    /// The secret's name (`/sfai/prod/OPENAI_API_KEY`): 1 to 512 characters
    /// of `A-Z a-z 0-9 / _ + = . @ -`. A fixed name means the stack cannot
    /// be deployed twice in one account and region.
    pub fn name(mut self, name: impl Into<Str>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Its description.
    pub fn description(mut self, description: impl Into<Str>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// A customer managed KMS key to encrypt the value with, by **ARN**
    /// (grants add `kms:Decrypt` on it, so a key id or an alias is an
    /// error, [`codes::KMS_KEY`]). Default: `aws/secretsmanager`.
    pub fn encryption_key(mut self, key_arn: impl Into<Value>) -> Self {
        self.encryption_key = Some(key_arn.into());
        self
    }

    /// Records how the value is set; a second, different way is reported
    /// at [`Secret::new`].
    fn set(mut self, how: &'static str, content: Content) -> Self {
        if !self.set_by.contains(&how) {
            self.set_by.push(how);
        }
        self.content = content;
        self
    }

    /// Secrets Manager generates the value at deploy time.
    pub fn generate(self, generated: GeneratedSecret) -> Self {
        self.set("generate", Content::Generated(generated))
    }

    /// `deploy` puts the value from `source` (an environment variable, a
    /// file, a prompt) after creating the secret and before creating
    /// anything that reads it; later deploys leave it alone and do not need
    /// it. A first deploy without the value stops before anything is
    /// created. The value is never in the template, the manifest (which
    /// records only `source`), the output folder or a log.
    ///
    /// ```
    /// use formwork::secretsmanager::{SecretProps, SecretSource};
    /// let props = SecretProps::new()
    ///     .name("hera/gemini-api-key")
    ///     .value_from(SecretSource::env("GEMINI_API_KEY"));
    /// # let _ = props;
    /// ```
    pub fn value_from(self, source: SecretSource) -> Self {
        self.set("value_from", Content::Seeded(source))
    }

    /// Like [`SecretProps::value_from`] for one key of a JSON secret: the
    /// value is `{"<key>": "<value of source>", ...}`, one call per key
    /// (each declared by [`SecretProps::json_keys`] must have one).
    ///
    /// ```
    /// use formwork::secretsmanager::{SecretProps, SecretSource};
    /// let props = SecretProps::new()
    ///     .field_from("OPENAI_API_KEY", SecretSource::env("OPENAI_API_KEY"))
    ///     .field_from("GEMINI_API_KEY", SecretSource::file("secrets/gemini.txt"));
    /// # let _ = props;
    /// ```
    pub fn field_from(mut self, key: impl Into<String>, source: SecretSource) -> Self {
        let key = key.into();
        if !self.json_keys.contains(&key) {
            self.json_keys.push(key.clone());
        }
        let mut fields = match std::mem::replace(&mut self.content, Content::Empty) {
            Content::SeededFields(f) => f,
            _ => IndexMap::new(),
        };
        fields.insert(key, source);
        self.set("field_from", Content::SeededFields(fields))
    }

    /// A value the stack computes from its own resources (an endpoint,
    /// a name): no manual step, in place before anything that references
    /// the secret is created. The expression is in the template, so it
    /// must hold no secret: it names the resources it is built from.
    ///
    /// ```
    /// use formwork::Fn;
    /// use formwork::secretsmanager::SecretProps;
    /// let props = SecretProps::new().computed(Fn::sub("redis://${Redis.RedisEndpoint.Address}:6379"));
    /// # let _ = props;
    /// ```
    pub fn computed(self, value: Expr) -> Self {
        self.set("computed", Content::Computed(value))
    }

    /// Like [`SecretProps::computed`] for one key of a JSON secret
    /// (`{"REDIS_URL": "redis://..."}`). The expression's value is put
    /// between JSON quotes as it is: it must not contain `"` or `\`
    /// (endpoints, ports and ARNs do not).
    pub fn computed_field(mut self, key: impl Into<String>, value: Expr) -> Self {
        let key = key.into();
        if !self.json_keys.contains(&key) {
            self.json_keys.push(key.clone());
        }
        let mut fields = match std::mem::replace(&mut self.content, Content::Empty) {
            Content::ComputedFields(f) => f,
            _ => IndexMap::new(),
        };
        fields.insert(key, value);
        self.set("computed_field", Content::ComputedFields(fields))
    }

    /// Writes `value` into the template as `SecretString`: anyone who can
    /// read the template (or the stack in the console) sees it. Records a
    /// warning ([`codes::PLAIN_TEXT_VALUE`]). Prefer an empty secret and
    /// `put-secret-value`, or [`SecretProps::generate`].
    pub fn unsafe_plain_text_value(self, value: impl Into<Str>) -> Self {
        self.set("unsafe_plain_text_value", Content::PlainText(value.into()))
    }

    /// Declares the keys of a JSON secret (its value is put later):
    /// [`Secret::json_field`] then refuses any other key. Nothing about
    /// them is written to the template.
    pub fn json_keys<S: Into<String>>(mut self, keys: impl IntoIterator<Item = S>) -> Self {
        self.json_keys.extend(keys.into_iter().map(Into::into));
        self
    }

    /// What happens to the secret when it leaves the stack. Default:
    /// [`RemovalPolicy::Retain`]; [`RemovalPolicy::Delete`] schedules its
    /// deletion (7 to 30 days of recovery window).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }
}

/// A Secrets Manager secret, created by the stack or imported by name or
/// ARN.
///
/// The value is never in the template. Read it by reference:
/// [`Secret::arn`] (`Ref` of a secret is its ARN; ECS `valueFrom` of the
/// whole secret), [`Secret::json_field`] (one key of a JSON secret, for ECS
/// `valueFrom` or a dynamic reference), [`Secret::dynamic_reference`].
/// Grants are least privilege: `secretsmanager:GetSecretValue` and
/// `secretsmanager:DescribeSecret` on this secret only.
#[derive(Clone, Debug)]
pub struct Secret {
    scope: Scope,
    cfn: Option<CfnSecretRef>,
    /// The ARN (complete for owned secrets; partial for name imports).
    arn: Expr,
    /// The ARN IAM statements name (`<partial arn>-??????` for name imports).
    policy_arn: Expr,
    /// What dynamic references name (ARN or name).
    reference_id: Value,
    name: Option<Expr>,
    key_arn: Option<Value>,
    json_keys: Rc<[String]>,
}

/// A literal string or an expression, as an expression (a literal becomes
/// an `Fn::Sub` without variables, which is written as the plain string).
fn to_expr(v: Value) -> Expr {
    match v {
        Value::Expr(e) => e,
        other => Fn::concat([other]),
    }
}

/// Validates a literal secret name.
fn check_name(node: &Scope, name: &Value) {
    const RULE: crate::names::NameRule = crate::names::NameRule {
        kind: "secret name",
        max: 512,
        punctuation: "/_+=.@-",
    };
    let Some(n) = name.as_str() else { return };
    if RULE.check(node, codes::SECRET_NAME, "Name", name) {
        return;
    }
    if has_random_suffix(n) {
        node.report(
            Diagnostic::warning(
                codes::NAME_SUFFIX,
                node.path(),
                format!(
                    "secret name `{n}` ends with a hyphen and six characters, like the random \
                     suffix Secrets Manager adds to ARNs: lookups by partial ARN may pick the wrong secret"
                ),
            )
            .property("Name")
            .fix("end the name differently (`-key`, a path segment, ...)"),
        );
    }
}

/// Grants name the key, so a literal must be a key ARN (not a key id or
/// an alias, which IAM does not match against the key).
fn check_key_arn(node: &Scope, key: &Value) {
    let Some(k) = key.as_str() else { return };
    let parts: Vec<&str> = k.splitn(6, ':').collect();
    let is_key_arn =
        parts.len() == 6 && parts[0] == "arn" && parts[2] == "kms" && parts[5].starts_with("key/");
    if !is_key_arn {
        node.report(
            Diagnostic::error(
                codes::KMS_KEY,
                node.path(),
                format!(
                    "`{k}` is not a KMS key ARN; grants name the key, so it must be \
                     arn:<partition>:kms:<region>:<account>:key/<key id>"
                ),
            )
            .property("KmsKeyId")
            .fix("pass the key's ARN (`Fn::GetAtt <Key>.Arn`), not its id or an alias"),
        );
    }
}

/// A JSON key must be non-empty and without `:` (ECS `valueFrom` splits on it).
fn check_json_key(node: &Scope, key: &str) {
    if key.is_empty() || key.contains(':') {
        node.error(
            codes::JSON_KEY,
            &format!("SecretString.{key}"),
            format!(
                "JSON key `{key}` cannot be referenced: a key must be non-empty and without `:`"
            ),
        );
    }
}

/// True when `name` ends in `-` and six ASCII letters or digits.
fn has_random_suffix(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() > 7 && b[b.len() - 7] == b'-' && b[b.len() - 6..].iter().all(u8::is_ascii_alphanumeric)
}

/// `arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:<name>`.
fn partial_arn(name: Value) -> Expr {
    Fn::concat([
        Value::from("arn:"),
        Pseudo::Partition.into(),
        Value::from(":secretsmanager:"),
        Pseudo::Region.into(),
        Value::from(":"),
        Pseudo::AccountId.into(),
        Value::from(":secret:"),
        name,
    ])
}

/// `<arn>-??????`: every complete ARN of a secret known by partial ARN.
fn with_suffix_wildcard(arn: &Expr) -> Expr {
    Fn::concat([Value::from(arn.clone()), Value::from("-??????")])
}

impl Secret {
    /// Adds a secret at `scope/id`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::secretsmanager::{Secret, SecretProps};
    /// let app = App::new();
    /// let stack = app.stack("ChatProxy")?;
    /// let openai = Secret::new(&stack, "OpenAiKey", SecretProps::new().name("/sfai/prod/OPENAI_API_KEY"))?;
    /// # let _ = openai.arn();
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: SecretProps) -> Result<Secret> {
        let node = scope.child(id)?;
        let mut cfn = CfnSecret::new();
        if let Some(d) = props.description {
            cfn = cfn.description(d);
        }
        if props.set_by.len() > 1 {
            node.report(
                Diagnostic::error(
                    codes::VALUE_CONFLICT,
                    node.path(),
                    format!(
                        "the secret's value is set in {} ways ({}); a value comes from one place",
                        props.set_by.len(),
                        props.set_by.join(", ")
                    ),
                )
                .property("SecretString")
                .fix("keep one of them"),
            );
        }
        let mut deploy_input = None;
        match &props.content {
            Content::Empty => {}
            Content::Seeded(source) => {
                source.validate(&node, "SecretString");
                deploy_input = Some(("value", source.to_json()));
            }
            Content::SeededFields(fields) => {
                let mut map = serde_json::Map::new();
                for (key, source) in fields {
                    check_json_key(&node, key);
                    source.validate(&node, &format!("SecretString.{key}"));
                    map.insert(key.clone(), source.to_json());
                }
                let missing: Vec<&str> = props
                    .json_keys
                    .iter()
                    .filter(|k| !fields.contains_key(k.as_str()))
                    .map(String::as_str)
                    .collect();
                if !missing.is_empty() {
                    node.report(
                        Diagnostic::error(
                            codes::FIELD_WITHOUT_SOURCE,
                            node.path(),
                            format!(
                                "JSON key(s) {} have no source: the value `deploy` puts would lack them",
                                missing.join(", ")
                            ),
                        )
                        .property("SecretString")
                        .fix("add .field_from(KEY, SecretSource::env(..)) for each, or remove them from json_keys"),
                    );
                }
                deploy_input = Some(("fields", serde_json::Value::Object(map)));
            }
            Content::Computed(e) => {
                cfn = cfn.secret_string(e.clone());
            }
            Content::ComputedFields(fields) => {
                let mut parts: Vec<Value> = Vec::new();
                for (i, (key, value)) in fields.iter().enumerate() {
                    check_json_key(&node, key);
                    let quoted = formwork_core::json_text::quoted(key);
                    let open = if i == 0 { "{" } else { "," };
                    parts.push(Value::from(format!("{open}{quoted}:\"")));
                    parts.push(Value::from(value.clone()));
                    parts.push(Value::from("\""));
                }
                parts.push(Value::from("}"));
                cfn = cfn.secret_string(Fn::concat(parts));
            }
            Content::Generated(g) => {
                g.validate(&node);
                cfn = cfn.generate_secret_string(g.to_cfn());
            }
            Content::PlainText(v) => {
                node.report(
                    Diagnostic::warning(
                        codes::PLAIN_TEXT_VALUE,
                        node.path(),
                        "the secret value is written into the template in plain text: \
                         anyone who can read the template or the stack sees it",
                    )
                    .property("SecretString")
                    .fix(
                        "create the secret empty and put the value with \
                         `aws secretsmanager put-secret-value`, or let Secrets Manager generate it",
                    ),
                );
                cfn = cfn.secret_string(v.clone());
            }
        }
        if let Some(k) = &props.encryption_key {
            check_key_arn(&node, k);
            cfn = cfn.kms_key_id(to_expr(k.clone()));
        }
        let mut name = None;
        if let Some(n) = props.name {
            let v = n.clone().into_value();
            check_name(&node, &v);
            cfn = cfn.name(n);
            name = Some(v);
        }
        let cfn = node.add_here(cfn)?;
        if props.encryption_key.is_none() {
            cfn.suppress(
                "CKV_AWS_149",
                "encrypted with the AWS managed key aws/secretsmanager; a customer managed key (SecretProps::encryption_key) adds a key policy to maintain",
            );
        }
        cfn.apply_removal_policy(props.removal_policy);
        if let Some((key, source)) = deploy_input {
            let mut entry = serde_json::json!({
                "path": node.path(),
                "logicalId": node.logical_id(),
            });
            if let (Some(o), Some(n)) =
                (entry.as_object_mut(), name.as_ref().and_then(Value::as_str))
            {
                o.insert("name".into(), n.into());
            }
            if let Some(o) = entry.as_object_mut() {
                o.insert(key.into(), source);
            }
            node.stack().add_deploy_input(DEPLOY_INPUT, entry);
        }
        let arn = cfn.ref_();
        Ok(Secret {
            scope: node,
            cfn: Some(cfn),
            policy_arn: arn.clone(),
            reference_id: arn.clone().into(),
            arn,
            name: name.map(to_expr),
            key_arn: props.encryption_key,
            json_keys: props.json_keys.into(),
        })
    }

    /// An existing secret, by name (`weather-comment-generator/api-keys`),
    /// in the stack's account and region.
    ///
    /// Its [`Secret::arn`] is a *partial* ARN (no random suffix), which
    /// Secrets Manager and ECS resolve; IAM does not, so grants name
    /// `<partial arn>-??????` (the six-character suffix Secrets Manager
    /// adds). Dynamic references use the name.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::secretsmanager::Secret;
    /// let app = App::new();
    /// let stack = app.stack("Backend")?;
    /// let keys = Secret::from_name(&stack, "ApiKeys", "hera/api-keys")?;
    /// let gemini = keys.json_field("GEMINI_API_KEY");
    /// # let _ = gemini;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn from_name(scope: &Scope, id: &str, name: impl Into<Str>) -> Result<Secret> {
        let node = scope.child(id)?;
        let name = name.into().into_value();
        check_name(&node, &name);
        let arn = partial_arn(name.clone());
        Ok(Secret {
            scope: node,
            cfn: None,
            policy_arn: with_suffix_wildcard(&arn),
            arn,
            reference_id: name.clone(),
            name: Some(to_expr(name)),
            key_arn: None,
            json_keys: Rc::from([]),
        })
    }

    /// Adopts an existing secret by name: no resource is created (the
    /// secret is not the stack's and stays when the stack goes), grants
    /// and references work as with [`Secret::from_name`], and `deploy`
    /// checks before creating anything that the secret exists and has a
    /// value (a task or function reading it would otherwise fail to start).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::secretsmanager::Secret;
    /// let app = App::new();
    /// let stack = app.stack("ChatProxy")?;
    /// let key = Secret::adopt(&stack, "OpenAiKey", "/sfai/prod/OPENAI_API_KEY")?;
    /// # let _ = key.arn();
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn adopt(scope: &Scope, id: &str, name: impl Into<Str>) -> Result<Secret> {
        let name: Str = name.into();
        let literal = name.clone().into_value().as_str().map(str::to_owned);
        let secret = Secret::from_name(scope, id, name)?;
        match literal {
            Some(n) => {
                secret.scope.stack().add_deploy_input(
                    DEPLOY_INPUT,
                    serde_json::json!({ "path": secret.scope.path(), "adopt": n }),
                );
            }
            None => {
                secret.scope.error(
                    codes::VALUE_SOURCE,
                    "Name",
                    "an adopted secret is checked by name before deploying: its name must be a literal",
                );
            }
        }
        Ok(secret)
    }

    /// An existing secret, by its complete ARN (with the random suffix:
    /// `arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:app/keys-AbCdEf`).
    ///
    /// A literal ARN without the suffix is recognized as partial and
    /// granted as `<arn>-??????`; an ARN given as an expression (a
    /// parameter, an import) must be complete.
    #[track_caller]
    pub fn from_arn(scope: &Scope, id: &str, arn: impl Into<Str>) -> Result<Secret> {
        let node = scope.child(id)?;
        let arn_value = arn.into().into_value();
        let mut name = None;
        let mut partial = false;
        if let Some(s) = arn_value.as_str() {
            let parts: Vec<&str> = s.splitn(7, ':').collect();
            if parts.len() == 7
                && parts[0] == "arn"
                && parts[2] == "secretsmanager"
                && parts[5] == "secret"
            {
                let full = parts[6];
                if has_random_suffix(full) {
                    name = Some(Value::from(&full[..full.len() - 7]));
                } else {
                    partial = true;
                    name = Some(Value::from(full));
                }
            } else {
                node.error(
                    codes::SECRET_NAME,
                    "Arn",
                    format!(
                        "`{s}` is not a secret ARN; expected arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<suffix>"
                    ),
                );
            }
        }
        let reference_id = arn_value.clone();
        let arn = to_expr(arn_value);
        Ok(Secret {
            scope: node,
            cfn: None,
            policy_arn: if partial {
                with_suffix_wildcard(&arn)
            } else {
                arn.clone()
            },
            reference_id,
            arn,
            name: name.map(to_expr),
            key_arn: None,
            json_keys: Rc::from([]),
        })
    }

    /// Declares the customer managed KMS key (by ARN) an imported secret is
    /// encrypted with, so that grants include `kms:Decrypt` on it.
    pub fn with_encryption_key(mut self, key_arn: impl Into<Value>) -> Self {
        let key = key_arn.into();
        check_key_arn(&self.scope, &key);
        self.key_arn = Some(key);
        self
    }

    /// Declares the JSON keys of an imported secret (see [`SecretProps::json_keys`]).
    pub fn with_json_keys<S: Into<String>>(mut self, keys: impl IntoIterator<Item = S>) -> Self {
        self.json_keys = keys.into_iter().map(Into::into).collect::<Vec<_>>().into();
        self
    }

    /// The L1 resource, for what this construct does not model (`None` for
    /// an imported secret).
    pub fn cfn(&self) -> Option<&CfnSecretRef> {
        self.cfn.as_ref()
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The secret's ARN (`Ref`). For [`Secret::from_name`], a partial ARN.
    pub fn arn(&self) -> Expr {
        self.arn.clone()
    }

    /// The secret's name, when known: the name it was given or imported
    /// by. `None` for a secret whose name CloudFormation generates (the
    /// schema has no name attribute; pass [`Secret::arn`] instead, which
    /// every API accepts as a secret id).
    pub fn name(&self) -> Option<Expr> {
        self.name.clone()
    }

    /// The customer managed key, if one was set.
    pub fn encryption_key(&self) -> Option<&Value> {
        self.key_arn.as_ref()
    }

    /// One key of a JSON secret, for ECS `valueFrom`
    /// ([`SecretField::value_from`]) and dynamic references
    /// ([`SecretField::dynamic_reference`]). An empty key, a key with `:`,
    /// or a key the secret does not declare ([`SecretProps::json_keys`]) is
    /// an error ([`codes::JSON_KEY`]).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::secretsmanager::{Secret, SecretProps};
    /// let app = App::new();
    /// let stack = app.stack("Weather")?;
    /// let keys = Secret::new(&stack, "ApiKeys", SecretProps::new().name("weather-comment-generator/api-keys"))?;
    /// let wxtech = keys.json_field("WXTECH_API_KEY");
    /// // valueFrom: "${ApiKeys}:WXTECH_API_KEY::"
    /// # let _ = wxtech.value_from();
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn json_field(&self, key: &str) -> SecretField {
        let property = format!("SecretString.{key}");
        if key.is_empty() || key.contains(':') {
            self.scope.error(
                codes::JSON_KEY,
                &property,
                format!(
                    "JSON key `{key}` cannot be referenced: a key must be non-empty and without `:`"
                ),
            );
        } else if !self.json_keys.is_empty() && !self.json_keys.iter().any(|k| k == key) {
            self.scope.report(
                Diagnostic::error(
                    codes::JSON_KEY,
                    self.scope.path(),
                    format!(
                        "JSON key `{key}` is not one of the secret's keys: {}",
                        self.json_keys.join(", ")
                    ),
                )
                .property(property),
            );
        }
        SecretField {
            secret: self.clone(),
            key: key.to_owned(),
            version: Version::Current,
        }
    }

    /// `{{resolve:secretsmanager:<secret>}}`: the whole value, resolved by
    /// CloudFormation at deploy time (for properties that take a secret).
    pub fn dynamic_reference(&self) -> Expr {
        Dynamic::secret(self.reference_id.clone())
    }

    /// Lets the grantee read the value: `secretsmanager:GetSecretValue` and
    /// `secretsmanager:DescribeSecret` on this secret, and `kms:Decrypt` on
    /// its customer managed key (through Secrets Manager only) when it has one.
    /// A grantee without a role formwork manages gets warning `FW2001`
    /// ([`crate::iam::codes::GRANT_NO_ROLE`]) naming these actions.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// use formwork::secretsmanager::{Secret, SecretProps};
    /// let app = App::new();
    /// let stack = app.stack("ChatProxy")?;
    /// let key = Secret::new(&stack, "OpenAiKey", SecretProps::new())?;
    /// let role = Role::new(&stack, "Fn", RoleProps::new(Principal::service("lambda.amazonaws.com")))?;
    /// key.grant_read(&role)?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant_read(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, READ, &["kms:Decrypt"])
    }

    /// Lets the grantee put new values: `secretsmanager:PutSecretValue` on
    /// this secret, and `kms:GenerateDataKey` and `kms:Decrypt` on its
    /// customer managed key (through Secrets Manager only) when it has one.
    /// Changing the description or key (`UpdateSecret`) is not included.
    #[track_caller]
    pub fn grant_write(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, WRITE, &["kms:GenerateDataKey", "kms:Decrypt"])
    }

    /// Grants `specs` on the secret and `key_actions` on its customer
    /// managed key (when it has one); a grantee without a role gets
    /// warning `FW2001` naming all of them.
    #[track_caller]
    fn grant(
        &self,
        grantee: &dyn Grantee,
        specs: &[GrantSpec],
        key_actions: &[&str],
    ) -> Result<()> {
        let key_actions = if self.key_arn.is_some() {
            key_actions
        } else {
            &[]
        };
        let actions: Vec<&str> = specs
            .iter()
            .flat_map(|s| s.actions.iter().copied())
            .chain(key_actions.iter().copied())
            .collect();
        if let Some(identity) = grantee.identity_or_report(&self.scope, &actions) {
            add_statements(&identity, specs, &[self.policy_arn.clone().into()]);
            self.grant_key(&identity, key_actions);
        }
        Ok(())
    }

    fn grant_key(&self, identity: &Identity, actions: &[&str]) {
        let Some(key) = &self.key_arn else { return };
        let via = Fn::concat([
            Value::from("secretsmanager."),
            Pseudo::Region.into(),
            Value::from(".amazonaws.com"),
        ]);
        identity.add_to_policy(
            PolicyStatement::allow()
                .actions(actions.iter().copied())
                .resource(key.clone())
                .condition("StringEquals", "kms:ViaService", via),
        );
    }
}

/// Which version of the secret a field reference reads.
#[derive(Clone, Debug, PartialEq)]
enum Version {
    /// `AWSCURRENT`: both trailing fields empty.
    Current,
    /// A staging label.
    Stage(String),
    /// A version id.
    Id(String),
}

/// One key of a JSON secret, made by [`Secret::json_field`]. Converts into
/// a [`Value`] as its ECS `valueFrom`.
#[derive(Clone, Debug)]
pub struct SecretField {
    secret: Secret,
    key: String,
    version: Version,
}

impl SecretField {
    /// The JSON key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The secret it is a field of.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// Reads the version with this staging label instead of `AWSCURRENT`.
    pub fn version_stage(mut self, stage: impl Into<String>) -> Self {
        self.version = Version::Stage(stage.into());
        self
    }

    /// Reads the version with this id instead of `AWSCURRENT`.
    pub fn version_id(mut self, id: impl Into<String>) -> Self {
        self.version = Version::Id(id.into());
        self
    }

    /// `:<stage>:<id>` as both ECS and dynamic references spell it.
    fn version_suffix(&self) -> String {
        match &self.version {
            Version::Current => "::".to_owned(),
            Version::Stage(s) => format!(":{s}:"),
            Version::Id(i) => format!("::{i}"),
        }
    }

    /// ECS `valueFrom`: `<secret arn>:<key>:<version-stage>:<version-id>`
    /// (`<arn>:WXTECH_API_KEY::` for the current version).
    pub fn value_from(&self) -> Expr {
        Fn::concat([
            Value::from(self.secret.arn.clone()),
            Value::from(format!(":{}{}", self.key, self.version_suffix())),
        ])
    }

    /// `{{resolve:secretsmanager:<secret>:SecretString:<key>::}}`: the
    /// value, resolved by CloudFormation at deploy time, for the few
    /// properties that must hold a secret.
    pub fn dynamic_reference(&self) -> Expr {
        match self.version {
            Version::Current => {
                Dynamic::secret_json_key(self.secret.reference_id.clone(), &self.key)
            }
            _ => Fn::concat([
                Value::from("{{resolve:secretsmanager:"),
                self.secret.reference_id.clone(),
                Value::from(format!(
                    ":SecretString:{}{}}}}}",
                    self.key,
                    self.version_suffix()
                )),
            ]),
        }
    }

    /// Lets the grantee read the secret this field is in (see
    /// [`Secret::grant_read`]: IAM cannot grant a single key).
    #[track_caller]
    pub fn grant_read(&self, grantee: &dyn Grantee) -> Result<()> {
        self.secret.grant_read(grantee)
    }
}

impl From<SecretField> for Value {
    fn from(f: SecretField) -> Value {
        f.value_from().into()
    }
}

impl From<&SecretField> for Value {
    fn from(f: &SecretField) -> Value {
        f.value_from().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{Principal, Role, RoleProps};
    use formwork_core::{App, Severity};
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    fn role(scope: &Scope, id: &str) -> Role {
        Role::new(
            scope,
            id,
            RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")),
        )
        .unwrap()
    }

    fn policy(t: &serde_json::Value, role: &str) -> serde_json::Value {
        t["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].clone()
    }

    fn errors(app: &App) -> Vec<Diagnostic> {
        app.synth().unwrap_err().diagnostics().unwrap().0.clone()
    }

    #[test]
    fn defaults_are_an_empty_retained_secret() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Secret::new(
            &s,
            "Key",
            SecretProps::new().name("/sfai/prod/OPENAI_API_KEY"),
        )
        .unwrap();
        let asm = synth_and_lint(&app, "secret-defaults");
        assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
        let t = template(&asm, "S");
        assert_eq!(
            t["Resources"]["Key"],
            json!({
                "Type": "AWS::SecretsManager::Secret",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {"Name": "/sfai/prod/OPENAI_API_KEY"}
            })
        );
    }

    #[test]
    fn reference_b_and_c_secrets_lint_clean() {
        let app = App::new();
        let s = app.stack("Refs").unwrap();
        for (id, name) in [
            ("OpenAi", "/sfai/prod/OPENAI_API_KEY"),
            ("Anthropic", "/sfai/prod/ANTHROPIC_API_KEY"),
        ] {
            Secret::new(&s, id, SecretProps::new().name(name)).unwrap();
        }
        let keys = Secret::new(
            &s,
            "ApiKeys",
            SecretProps::new()
                .name("weather-comment-generator/api-keys")
                .description("API keys; values are put with put-secret-value")
                .json_keys([
                    "WXTECH_API_KEY",
                    "OPENAI_API_KEY",
                    "GEMINI_API_KEY",
                    "ANTHROPIC_API_KEY",
                ]),
        )
        .unwrap();
        let task_role = role(&s, "ExecutionRole");
        keys.json_field("WXTECH_API_KEY")
            .grant_read(&task_role)
            .unwrap();
        s.add_output(
            "WxTech",
            formwork_core::Output::new(keys.json_field("WXTECH_API_KEY")),
        )
        .unwrap();
        s.add_output(
            "OpenAi",
            formwork_core::Output::new(keys.json_field("OPENAI_API_KEY").value_from()),
        )
        .unwrap();
        let asm = synth_and_lint(&app, "secret-refs");
        let t = template(&asm, "Refs");
        assert_eq!(
            t["Outputs"]["WxTech"]["Value"],
            json!({"Fn::Sub": "${ApiKeys}:WXTECH_API_KEY::"})
        );
        assert_eq!(
            t["Outputs"]["OpenAi"]["Value"],
            json!({"Fn::Sub": "${ApiKeys}:OPENAI_API_KEY::"})
        );
        assert!(
            t["Resources"]["ApiKeys"]["Properties"]
                .get("SecretString")
                .is_none()
        );
        assert!(
            t["Resources"]["ApiKeys"]["Properties"]
                .get("GenerateSecretString")
                .is_none()
        );
    }

    #[test]
    fn generated_values_render_options_and_json_templates() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Secret::new(
            &s,
            "Db",
            SecretProps::new().generate(
                GeneratedSecret::json([("username", "app")], "password")
                    .length(40)
                    .exclude_characters("\"@/\\")
                    .exclude_punctuation(),
            ),
        )
        .unwrap();
        Secret::new(
            &s,
            "Token",
            SecretProps::new().generate(GeneratedSecret::password()),
        )
        .unwrap();
        let asm = synth_and_lint(&app, "secret-generated");
        let t = template(&asm, "S");
        assert_eq!(
            t["Resources"]["Db"]["Properties"]["GenerateSecretString"],
            json!({
                "ExcludeCharacters": "\"@/\\",
                "ExcludePunctuation": true,
                "GenerateStringKey": "password",
                "PasswordLength": 40,
                "SecretStringTemplate": "{\"username\":\"app\"}"
            })
        );
        assert_eq!(
            t["Resources"]["Token"]["Properties"]["GenerateSecretString"],
            json!({})
        );
    }

    #[test]
    fn removal_policy_delete_is_opt_in() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Secret::new(
            &s,
            "Tmp",
            SecretProps::new().removal_policy(RemovalPolicy::Delete),
        )
        .unwrap();
        let t = template(&synth_and_lint(&app, "secret-delete"), "S");
        assert_eq!(t["Resources"]["Tmp"]["DeletionPolicy"], "Delete");
        assert_eq!(t["Resources"]["Tmp"]["UpdateReplacePolicy"], "Delete");
    }

    #[test]
    fn plain_text_value_is_written_only_on_request_and_warned() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Secret::new(
            &s,
            "Legacy",
            SecretProps::new().unsafe_plain_text_value("not-a-real-value"),
        )
        .unwrap();
        let asm = app.synth().unwrap();
        let w: Vec<_> = asm.warnings.with_code(codes::PLAIN_TEXT_VALUE).collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].severity, Severity::Warning);
        assert_eq!(w[0].path, "S/Legacy");
        assert_eq!(w[0].property.as_deref(), Some("SecretString"));
        assert!(w[0].message.contains("plain text"), "{}", w[0].message);
        let t = template(&asm, "S");
        assert_eq!(
            t["Resources"]["Legacy"]["Properties"]["SecretString"],
            "not-a-real-value"
        );
    }

    #[test]
    fn bad_names_are_errors() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Secret::new(&s, "Spaces", SecretProps::new().name("my secret!")).unwrap();
        Secret::new(&s, "Long", SecretProps::new().name("a".repeat(513))).unwrap();
        Secret::from_name(&s, "Imported", "").unwrap();
        let d = errors(&app);
        let names: Vec<_> = d.iter().filter(|d| d.code == codes::SECRET_NAME).collect();
        assert_eq!(names.len(), 3, "{d:?}");
        assert_eq!(names[0].path, "S/Spaces");
        assert_eq!(names[0].property.as_deref(), Some("Name"));
        assert!(names[0].message.contains("` ` `!`"), "{}", names[0].message);
        assert!(
            names[1].message.contains("513 characters"),
            "{}",
            names[1].message
        );
        assert_eq!(names[2].path, "S/Imported");
    }

    #[test]
    fn names_ending_like_a_random_suffix_are_warned() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Secret::new(&s, "Key", SecretProps::new().name("app/api-key123")).unwrap();
        let asm = app.synth().unwrap();
        let w: Vec<_> = asm.warnings.with_code(codes::NAME_SUFFIX).collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].property.as_deref(), Some("Name"));
        assert!(w[0].fix.is_some());
    }

    #[test]
    fn generate_options_are_checked() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Secret::new(
            &s,
            "Short",
            SecretProps::new().generate(GeneratedSecret::password().length(0)),
        )
        .unwrap();
        Secret::new(
            &s,
            "Nothing",
            SecretProps::new().generate(
                GeneratedSecret::password()
                    .exclude_punctuation()
                    .exclude_numbers()
                    .exclude_uppercase()
                    .exclude_lowercase(),
            ),
        )
        .unwrap();
        Secret::new(
            &s,
            "Clash",
            SecretProps::new().generate(GeneratedSecret::json([("password", "x")], "password")),
        )
        .unwrap();
        Secret::new(
            &s,
            "NoKey",
            SecretProps::new().generate(GeneratedSecret::json([("user", "x")], "")),
        )
        .unwrap();
        let d = errors(&app);
        let g: Vec<_> = d.iter().filter(|d| d.code == codes::GENERATE).collect();
        assert_eq!(g.len(), 4, "{d:?}");
        assert_eq!(
            (g[0].path.as_str(), g[0].property.as_deref()),
            ("S/Short", Some("GenerateSecretString.PasswordLength"))
        );
        assert!(g[0].message.contains("1 to 4096"));
        assert_eq!(
            (g[1].path.as_str(), g[1].property.as_deref()),
            ("S/Nothing", Some("GenerateSecretString"))
        );
        assert_eq!(
            g[2].property.as_deref(),
            Some("GenerateSecretString.SecretStringTemplate")
        );
        assert!(g[2].message.contains("`password`"));
        assert_eq!(
            g[3].property.as_deref(),
            Some("GenerateSecretString.GenerateStringKey")
        );
    }

    #[test]
    fn json_fields_must_be_declared_keys() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let keys = Secret::new(&s, "Keys", SecretProps::new().json_keys(["A", "B"])).unwrap();
        let _ = keys.json_field("A");
        let _ = keys.json_field("C");
        let open = Secret::new(&s, "Open", SecretProps::new()).unwrap();
        let _ = open.json_field("anything");
        let _ = open.json_field("a:b");
        let d = errors(&app);
        let k: Vec<_> = d.iter().filter(|d| d.code == codes::JSON_KEY).collect();
        assert_eq!(k.len(), 2, "{d:?}");
        assert_eq!(
            (k[0].path.as_str(), k[0].property.as_deref()),
            ("S/Keys", Some("SecretString.C"))
        );
        assert!(k[0].message.contains("A, B"));
        assert_eq!(
            (k[1].path.as_str(), k[1].property.as_deref()),
            ("S/Open", Some("SecretString.a:b"))
        );
    }

    #[test]
    fn grant_read_and_write_are_exact() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let secret = Secret::new(&s, "Key", SecretProps::new()).unwrap();
        let reader = role(&s, "Reader");
        let writer = role(&s, "Writer");
        secret.grant_read(&reader).unwrap();
        secret.grant_read(&reader).unwrap();
        secret.grant_write(&writer).unwrap();
        let t = template(&synth_and_lint(&app, "secret-grants"), "S");
        assert_eq!(
            policy(&t, "Reader"),
            json!([{
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                "Resource": {"Ref": "Key"}
            }])
        );
        assert_eq!(
            policy(&t, "Writer"),
            json!([{"Effect": "Allow", "Action": "secretsmanager:PutSecretValue", "Resource": {"Ref": "Key"}}])
        );
    }

    #[test]
    fn customer_keys_are_granted_through_secrets_manager_only() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let key_arn =
            "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let secret = Secret::new(&s, "Key", SecretProps::new().encryption_key(key_arn)).unwrap();
        let reader = role(&s, "Reader");
        secret.grant_read(&reader).unwrap();
        let t = template(&synth_and_lint(&app, "secret-kms"), "S");
        assert_eq!(t["Resources"]["Key"]["Properties"]["KmsKeyId"], key_arn);
        assert_eq!(
            policy(&t, "Reader")[1],
            json!({
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": key_arn,
                "Condition": {"StringEquals": {"kms:ViaService": {"Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com"}}}
            })
        );
    }

    #[test]
    fn keys_must_be_given_by_arn() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Secret::new(
            &s,
            "ById",
            SecretProps::new().encryption_key("1234abcd-12ab-34cd-56ef-1234567890ab"),
        )
        .unwrap();
        let _ = Secret::from_name(&s, "Alias", "x")
            .unwrap()
            .with_encryption_key("arn:aws:kms:ap-northeast-1:123456789012:alias/app");
        let d = errors(&app);
        let k: Vec<_> = d.iter().filter(|d| d.code == codes::KMS_KEY).collect();
        assert_eq!(k.len(), 2, "{d:?}");
        assert_eq!(
            (k[0].path.as_str(), k[0].property.as_deref()),
            ("S/ById", Some("KmsKeyId"))
        );
        assert!(
            k[0].message.contains("is not a KMS key ARN"),
            "{}",
            k[0].message
        );
        assert_eq!(k[1].path, "S/Alias");
    }

    #[test]
    fn name_imports_grant_the_suffix_wildcard() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let keys = Secret::from_name(&s, "Keys", "hera/api-keys").unwrap();
        let r = role(&s, "Task");
        keys.grant_read(&r).unwrap();
        let field = keys.json_field("GEMINI_API_KEY");
        s.add_output("ValueFrom", formwork_core::Output::new(field.value_from()))
            .unwrap();
        let t = template(&synth_and_lint(&app, "secret-import"), "S");
        assert_eq!(
            policy(&t, "Task")[0]["Resource"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:hera/api-keys-??????"})
        );
        assert_eq!(
            t["Outputs"]["ValueFrom"]["Value"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:hera/api-keys:GEMINI_API_KEY::"})
        );
        assert_eq!(
            Value::from(field.dynamic_reference()),
            Value::from(Fn::concat([
                "{{resolve:secretsmanager:hera/api-keys:SecretString:GEMINI_API_KEY::}}"
            ]))
        );
        assert!(keys.cfn().is_none());
    }

    #[test]
    fn arn_imports_recognize_partial_arns() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let full = Secret::from_arn(
            &s,
            "Full",
            "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:app/keys-AbCdEf",
        )
        .unwrap();
        let partial = Secret::from_arn(
            &s,
            "Partial",
            "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:app/keys",
        )
        .unwrap();
        let _ = Secret::from_arn(&s, "Wrong", "arn:aws:s3:::bucket").unwrap();
        let r = role(&s, "Task");
        full.grant_read(&r).unwrap();
        partial.grant_read(&r).unwrap();
        assert!(full.name().is_some());
        assert_eq!(
            Value::from(full.name().unwrap()),
            Value::from(Fn::concat(["app/keys"]))
        );
        let d = errors(&app);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].code, d[0].path.as_str(), d[0].property.as_deref()),
            (codes::SECRET_NAME, "S/Wrong", Some("Arn"))
        );
        let doc = r.policy();
        assert_eq!(
            doc.statements()[0].get_resources(),
            [
                Value::from(Fn::concat([
                    "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:app/keys-AbCdEf"
                ])),
                Value::from(Fn::concat([
                    "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:app/keys-??????"
                ])),
            ]
        );
    }

    #[test]
    fn field_versions_and_dynamic_references() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let secret = Secret::new(&s, "Key", SecretProps::new()).unwrap();
        s.add_output(
            "Stage",
            formwork_core::Output::new(secret.json_field("K").version_stage("AWSPREVIOUS")),
        )
        .unwrap();
        s.add_output(
            "Id",
            formwork_core::Output::new(secret.json_field("K").version_id("v1").dynamic_reference()),
        )
        .unwrap();
        s.add_output(
            "Whole",
            formwork_core::Output::new(secret.dynamic_reference()),
        )
        .unwrap();
        s.add_output(
            "Current",
            formwork_core::Output::new(secret.json_field("K").dynamic_reference()),
        )
        .unwrap();
        // Dynamic references belong in resource properties (cfn-lint E1051 in
        // outputs): this checks their rendering only, without the linter.
        let t = app.synth().unwrap().template_json("S").unwrap();
        assert_eq!(
            t["Outputs"]["Stage"]["Value"],
            json!({"Fn::Sub": "${Key}:K:AWSPREVIOUS:"})
        );
        assert_eq!(
            t["Outputs"]["Id"]["Value"],
            json!({"Fn::Sub": "{{resolve:secretsmanager:${Key}:SecretString:K::v1}}"})
        );
        assert_eq!(
            t["Outputs"]["Whole"]["Value"],
            json!({"Fn::Sub": "{{resolve:secretsmanager:${Key}}}"})
        );
        assert_eq!(
            t["Outputs"]["Current"]["Value"],
            json!({"Fn::Sub": "{{resolve:secretsmanager:${Key}:SecretString:K::}}"})
        );
    }

    #[test]
    fn grants_to_something_without_a_role_warn_naming_every_action() {
        use crate::iam::testing::NoRole;
        let app = App::new();
        let s = app.stack("S").unwrap();
        let secret = Secret::new(&s, "Key", SecretProps::new()).unwrap();
        secret.grant_read(&NoRole).unwrap();
        let key_arn =
            "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let encrypted =
            Secret::new(&s, "Encrypted", SecretProps::new().encryption_key(key_arn)).unwrap();
        encrypted.grant_write(&NoRole).unwrap();
        let asm = synth_and_lint(&app, "secret-no-role");
        let w: Vec<_> = asm
            .warnings
            .with_code(crate::iam::codes::GRANT_NO_ROLE)
            .collect();
        assert_eq!(w.len(), 2, "{}", asm.warnings);
        assert_eq!(w[0].path, "S/Key");
        assert_eq!(
            w[0].message,
            "the grantee has no role, so secretsmanager:GetSecretValue, secretsmanager:DescribeSecret was not granted"
        );
        assert_eq!(w[1].path, "S/Encrypted");
        assert_eq!(
            w[1].message,
            "the grantee has no role, so secretsmanager:PutSecretValue, kms:GenerateDataKey, kms:Decrypt was not granted"
        );
    }

    fn with_code<'a>(d: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
        d.iter().filter(|x| x.code == code).collect()
    }

    #[test]
    fn a_value_source_is_in_the_manifest_and_never_in_the_template() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Secret::new(
            &s,
            "Gemini",
            SecretProps::new()
                .name("hera/gemini-api-key")
                .value_from(SecretSource::env("GEMINI_API_KEY")),
        )
        .unwrap();
        Secret::new(
            &s,
            "Keys",
            SecretProps::new()
                .json_keys(["A", "B"])
                .field_from("A", SecretSource::file("secrets/a.txt"))
                .field_from("B", SecretSource::prompt()),
        )
        .unwrap();
        let asm = synth_and_lint(&app, "secret-sources");
        assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
        let t = template(&asm, "S");
        assert_eq!(
            t["Resources"]["Gemini"]["Properties"],
            json!({"Name": "hera/gemini-api-key"})
        );
        assert!(t["Resources"]["Keys"]["Properties"].is_null(), "{t}");
        assert_eq!(
            asm.stacks[0].deploy_inputs[DEPLOY_INPUT],
            vec![
                json!({"path": "S/Gemini", "logicalId": "Gemini", "name": "hera/gemini-api-key", "value": {"env": "GEMINI_API_KEY"}}),
                json!({"path": "S/Keys", "logicalId": "Keys", "fields": {"A": {"file": "secrets/a.txt"}, "B": {"prompt": true}}}),
            ]
        );
        let manifest: serde_json::Value = serde_json::from_str(asm.manifest()).unwrap();
        assert_eq!(
            manifest["stacks"][0]["deploy"]["secrets"][0]["value"],
            json!({"env": "GEMINI_API_KEY"})
        );
    }

    #[test]
    fn a_value_set_twice_a_bad_source_and_a_key_without_source_are_errors() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        Secret::new(
            &s,
            "Twice",
            SecretProps::new()
                .generate(GeneratedSecret::password())
                .value_from(SecretSource::env("X")),
        )
        .unwrap();
        Secret::new(
            &s,
            "BadEnv",
            SecretProps::new().value_from(SecretSource::env("1-BAD")),
        )
        .unwrap();
        Secret::new(
            &s,
            "NoFile",
            SecretProps::new().value_from(SecretSource::file(" ")),
        )
        .unwrap();
        Secret::new(
            &s,
            "Partial",
            SecretProps::new()
                .json_keys(["A", "B"])
                .field_from("A", SecretSource::env("A")),
        )
        .unwrap();
        let e = errors(&app);
        let twice = with_code(&e, codes::VALUE_CONFLICT);
        assert_eq!(twice.len(), 1, "{e:?}");
        assert!(
            twice[0].message.contains("generate, value_from"),
            "{}",
            twice[0].message
        );
        let bad = with_code(&e, codes::VALUE_SOURCE);
        assert_eq!(bad.len(), 2, "{e:?}");
        assert!(bad.iter().any(|d| d.message.contains("`1-BAD`")));
        assert!(bad.iter().any(|d| d.path.ends_with("NoFile")));
        let partial = with_code(&e, codes::FIELD_WITHOUT_SOURCE);
        assert_eq!(partial.len(), 1, "{e:?}");
        assert!(
            partial[0].message.contains("B have no source"),
            "{}",
            partial[0].message
        );
    }

    #[test]
    fn a_computed_json_value_is_built_from_the_stack_resources() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let task = role(&s, "Task");
        Secret::new(
            &s,
            "Urls",
            SecretProps::new()
                .computed_field("ROLE", task.arn())
                .computed_field(
                    "REGION_URL",
                    Fn::concat([Value::from("https://"), Pseudo::Region.into()]),
                ),
        )
        .unwrap();
        let asm = synth_and_lint(&app, "secret-computed");
        assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
        let t = template(&asm, "S");
        assert_eq!(
            t["Resources"]["Urls"]["Properties"]["SecretString"],
            json!({"Fn::Sub": "{\"ROLE\":\"${Task.Arn}\",\"REGION_URL\":\"https://${AWS::Region}\"}"})
        );
        assert!(asm.stacks[0].deploy_inputs.is_empty());
    }

    #[test]
    fn an_adopted_secret_creates_nothing_and_is_checked_at_deploy() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let key = Secret::adopt(&s, "OpenAi", "/sfai/prod/OPENAI_API_KEY").unwrap();
        key.grant_read(&role(&s, "Task")).unwrap();
        let asm = synth_and_lint(&app, "secret-adopt");
        let t = template(&asm, "S");
        assert!(t["Resources"].get("OpenAi").is_none());
        assert_eq!(
            asm.stacks[0].deploy_inputs[DEPLOY_INPUT],
            vec![json!({"path": "S/OpenAi", "adopt": "/sfai/prod/OPENAI_API_KEY"})]
        );
        let statements = policy(&t, "Task");
        assert!(
            statements.to_string().contains("OPENAI_API_KEY-??????"),
            "{statements}"
        );
    }
}
