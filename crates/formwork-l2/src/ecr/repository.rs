//! Repository: a private ECR repository, its image URIs and grants.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Fn, Pseudo, RemovalPolicy, Resource, Result, Scope, Value};
use formwork_l1::ecr::{CfnRepository, CfnRepositoryRef, repository};

use super::codes;
use super::lifecycle::{self, LifecycleRule};
use crate::iam::{self, GrantSpec, Grantee};

/// How images are encrypted at rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Encryption {
    /// `AES256`: keys managed by ECR. The default.
    #[default]
    Aes256,
    /// `KMS`: the AWS managed key `aws/ecr` (`key_arn: None`) or a customer
    /// managed key (id, ARN or alias).
    Kms {
        /// The customer managed key.
        key_arn: Option<Str>,
    },
}

/// Whether a tag can be pushed again to point at another image.
///
/// The default is [`Mutable`](TagMutability::Mutable) because deployments
/// that push `latest` and redeploy (references C and D) must be able to
/// move that tag. For release tags that must never change, use
/// [`Immutable`](TagMutability::Immutable), or
/// [`ImmutableExcept`](TagMutability::ImmutableExcept) to keep `latest`
/// movable while every other tag is fixed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TagMutability {
    /// Tags can be overwritten. The default.
    #[default]
    Mutable,
    /// Tags can never be overwritten.
    Immutable,
    /// Tags are immutable except those matching these filters (1 to 5;
    /// letters, digits, `._-` and `*` wildcards: `latest`, `dev-*`).
    ImmutableExcept(Vec<String>),
    /// Tags are mutable except those matching these filters (1 to 5).
    MutableExcept(Vec<String>),
}

/// What a [`Repository`] is made with.
///
/// Defaults: scan on push, mutable tags (see [`TagMutability`]), `AES256`
/// encryption, no lifecycle rules, and `DeletionPolicy` /
/// `UpdateReplacePolicy: Retain`. No name: CloudFormation generates one.
///
/// ```
/// use formwork::ecr::{LifecycleRule, RepositoryProps, TagMutability};
/// let props = RepositoryProps::new()
///     .repository_name("poc-mc-vision-fastapi")
///     .tag_mutability(TagMutability::ImmutableExcept(vec!["latest".into()]))
///     .lifecycle_rule(LifecycleRule::keep_last(30));
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RepositoryProps {
    repository_name: Option<Str>,
    scan_on_push: bool,
    tag_mutability: TagMutability,
    encryption: Encryption,
    lifecycle: Vec<LifecycleRule>,
    removal_policy: RemovalPolicy,
    empty_on_delete: bool,
    tags: Vec<(String, String)>,
}

impl Default for RepositoryProps {
    fn default() -> Self {
        RepositoryProps::new()
    }
}

impl RepositoryProps {
    /// The defaults (see [`RepositoryProps`]).
    pub fn new() -> Self {
        RepositoryProps {
            repository_name: None,
            scan_on_push: true,
            tag_mutability: TagMutability::Mutable,
            encryption: Encryption::Aes256,
            lifecycle: Vec::new(),
            removal_policy: RemovalPolicy::Retain,
            empty_on_delete: false,
            tags: Vec::new(),
        }
    }

    /// A fixed repository name (`team/app` paths allowed). A literal is
    /// checked against ECR's naming rules at synth; a reference is not.
    pub fn repository_name(mut self, name: impl Into<Str>) -> Self {
        self.repository_name = Some(name.into());
        self
    }

    /// Scans every pushed image for vulnerabilities (on by default).
    pub fn scan_on_push(mut self, scan: bool) -> Self {
        self.scan_on_push = scan;
        self
    }

    /// Whether tags can be overwritten (mutable by default).
    pub fn tag_mutability(mut self, mutability: TagMutability) -> Self {
        self.tag_mutability = mutability;
        self
    }

    /// The encryption at rest (`AES256` by default).
    pub fn encryption(mut self, encryption: Encryption) -> Self {
        self.encryption = encryption;
        self
    }

    /// Adds a lifecycle rule.
    pub fn lifecycle_rule(mut self, rule: LifecycleRule) -> Self {
        self.lifecycle.push(rule);
        self
    }

    /// What happens to the repository when it leaves the stack. `Retain` by
    /// default; with `RemovalPolicy::Delete`, CloudFormation can delete it
    /// only when it holds no image, unless [`empty_on_delete`](Self::empty_on_delete)
    /// is set. `Snapshot` is an error.
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }

    /// Deletes the images with the repository (off by default).
    pub fn empty_on_delete(mut self, empty: bool) -> Self {
        self.empty_on_delete = empty;
        self
    }

    /// Adds a tag to the repository (stack tags are added too).
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }
}

/// A private ECR repository: one this stack creates ([`Repository::new`])
/// or an existing one ([`Repository::from_name`]).
///
/// Grants give exact actions on the repository ARN. Pulling and pushing
/// also need `ecr:GetAuthorizationToken`, which IAM only evaluates against
/// `Resource: "*"` (the token is for the registry, not a repository): it is
/// granted in a statement of its own, the one `*` resource formwork writes
/// without being asked.
///
/// | grant | on the repository | on `*` |
/// |---|---|---|
/// | [`grant_pull`](Repository::grant_pull) | `ecr:BatchCheckLayerAvailability`, `ecr:GetDownloadUrlForLayer`, `ecr:BatchGetImage` | `ecr:GetAuthorizationToken` |
/// | [`grant_push`](Repository::grant_push) | `ecr:BatchCheckLayerAvailability`, `ecr:InitiateLayerUpload`, `ecr:UploadLayerPart`, `ecr:CompleteLayerUpload`, `ecr:PutImage` | `ecr:GetAuthorizationToken` |
/// | [`grant_pull_push`](Repository::grant_pull_push) | both | `ecr:GetAuthorizationToken` |
#[derive(Clone, Debug)]
pub struct Repository {
    scope: Scope,
    cfn: Option<CfnRepositoryRef>,
    name: Str,
    literal_name: Option<String>,
}

const REPOSITORY: usize = 0;
const ANY: usize = 1;

const AUTH: GrantSpec = GrantSpec {
    actions: &["ecr:GetAuthorizationToken"],
    arn: ANY,
};
const PULL: &[GrantSpec] = &[
    GrantSpec {
        actions: &[
            "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage",
        ],
        arn: REPOSITORY,
    },
    AUTH,
];
const PUSH: &[GrantSpec] = &[
    GrantSpec {
        actions: &[
            "ecr:BatchCheckLayerAvailability",
            "ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload",
            "ecr:PutImage",
        ],
        arn: REPOSITORY,
    },
    AUTH,
];
const PULL_PUSH: &[GrantSpec] = &[
    GrantSpec {
        actions: &[
            "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage",
            "ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload",
            "ecr:PutImage",
        ],
        arn: REPOSITORY,
    },
    AUTH,
];

/// What is wrong with a literal repository name, naming ECR's rule.
fn repository_name_problem(name: &str) -> Option<String> {
    let len = name.chars().count();
    if !(2..=256).contains(&len) {
        return Some(format!(
            "repository name `{name}` is {len} characters long; a repository name is 2 to 256 characters"
        ));
    }
    if let Some(c) = name.chars().find(|c| {
        !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '/'))
    }) {
        return Some(format!(
            "repository name `{name}` contains `{c}`; a repository name has only lowercase letters, digits, and the separators `.`, `_`, `-` and `/`"
        ));
    }
    for component in name.split('/') {
        let alnum =
            |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if component.is_empty()
            || !alnum(component.chars().next())
            || !alnum(component.chars().last())
        {
            return Some(format!(
                "repository name `{name}`: each `/`-separated part must start and end with a lowercase letter or a digit (found `{component}`)"
            ));
        }
        let bytes = component.as_bytes();
        if bytes
            .windows(2)
            .any(|w| matches!(w[0], b'.' | b'_' | b'-') && matches!(w[1], b'.' | b'_' | b'-'))
        {
            return Some(format!(
                "repository name `{name}` has two separators in a row in `{component}`; `.`, `_` and `-` go between letters or digits"
            ));
        }
    }
    None
}

/// True for a Docker image tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
fn is_image_tag(tag: &str) -> bool {
    let mut chars = tag.chars();
    tag.len() <= 128
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// True for `sha256:` and 64 lowercase hex digits.
fn is_digest(digest: &str) -> bool {
    digest.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

impl Repository {
    /// Adds a repository at `scope/id`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ecr::{Repository, RepositoryProps};
    /// let app = App::new();
    /// let stack = app.stack("Vision")?;
    /// let repo = Repository::new(&stack, "Repository", RepositoryProps::new().repository_name("poc-mc-vision-fastapi"))?;
    /// let template = app.synth()?.template_json("Vision").ok_or("no template")?;
    /// assert_eq!(template["Resources"]["Repository"]["DeletionPolicy"], "Retain");
    /// # let _ = repo;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: RepositoryProps) -> Result<Repository> {
        let node = scope.child(id)?;
        let mut cfn = CfnRepository::new();
        let mut literal_name = None;
        if let Some(name) = props.repository_name {
            let value = name.into_value();
            literal_name = value.as_str().map(str::to_owned);
            let value = match value.as_str().and_then(repository_name_problem) {
                Some(message) => {
                    node.error(codes::REPOSITORY_NAME, "RepositoryName", message);
                    value.unchecked()
                }
                None => value,
            };
            cfn.props_mut().set_by_name(
                <CfnRepository as Resource>::SPEC.object,
                "RepositoryName",
                value,
            );
        }
        cfn = cfn.image_scanning_configuration(
            repository::ImageScanningConfiguration::new().scan_on_push(props.scan_on_push),
        );
        cfn = match props.tag_mutability {
            TagMutability::Mutable => {
                cfn.image_tag_mutability(repository::ImageTagMutability::Mutable)
            }
            TagMutability::Immutable => {
                cfn.image_tag_mutability(repository::ImageTagMutability::Immutable)
            }
            TagMutability::ImmutableExcept(filters) => cfn
                .image_tag_mutability(repository::ImageTagMutability::ImmutableWithExclusion)
                .image_tag_mutability_exclusion_filters(exclusion_filters(&filters)),
            TagMutability::MutableExcept(filters) => cfn
                .image_tag_mutability(repository::ImageTagMutability::MutableWithExclusion)
                .image_tag_mutability_exclusion_filters(exclusion_filters(&filters)),
        };
        let aes = matches!(props.encryption, Encryption::Aes256);
        let encryption = match props.encryption {
            Encryption::Aes256 => repository::EncryptionConfiguration::new()
                .encryption_type(repository::EncryptionType::Aes256),
            Encryption::Kms { key_arn } => {
                let mut e = repository::EncryptionConfiguration::new()
                    .encryption_type(repository::EncryptionType::Kms);
                if let Some(k) = key_arn {
                    e = e.kms_key(k);
                }
                e
            }
        };
        cfn = cfn.encryption_configuration(encryption);
        if !props.lifecycle.is_empty() {
            lifecycle::validate(&node, &props.lifecycle);
            cfn = cfn.lifecycle_policy(
                repository::LifecyclePolicy::new()
                    .lifecycle_policy_text(lifecycle::policy_text(&props.lifecycle)),
            );
        }
        if props.empty_on_delete {
            cfn = cfn.empty_on_delete(true);
        }
        if !props.tags.is_empty() {
            cfn = cfn.tags(
                props
                    .tags
                    .iter()
                    .map(|(k, v)| repository::Tag::new().key(k.as_str()).value(v.as_str())),
            );
        }
        let cfn = node.add_here(cfn)?;
        if aes {
            cfn.suppress(
                "CKV_AWS_136",
                "images are encrypted at rest with AES-256 by ECR; KMS (Encryption::Kms) adds a key to manage",
            );
        }
        match props.removal_policy {
            RemovalPolicy::Snapshot => {
                node.error(
                    codes::REMOVAL_POLICY,
                    "DeletionPolicy",
                    "ECR repositories have no snapshots; allowed removal policies: Retain, RetainExceptOnCreate, Delete",
                );
            }
            RemovalPolicy::RetainExceptOnCreate => {
                cfn.set_deletion_policy(RemovalPolicy::RetainExceptOnCreate)
                    .set_update_replace_policy(RemovalPolicy::Retain);
            }
            p @ (RemovalPolicy::Delete | RemovalPolicy::Retain) => {
                cfn.apply_removal_policy(p);
            }
        }
        let name = Str::from(cfn.ref_());
        Ok(Repository {
            scope: node,
            cfn: Some(cfn),
            name,
            literal_name,
        })
    }

    /// An existing repository of the stack's account and region, by name:
    /// no resource is created; references and grants work. A literal name
    /// is checked against ECR's naming rules.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ecr::Repository;
    /// let app = App::new();
    /// let stack = app.stack("Weather")?;
    /// let repo = Repository::from_name(&stack, "Repository", "weather-comment-generator")?;
    /// let image = repo.image_uri_for_tag("latest");
    /// # let _ = image;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn from_name(scope: &Scope, id: &str, name: impl Into<Str>) -> Result<Repository> {
        let node = scope.child(id)?;
        let name = name.into();
        if let Some(message) = name
            .clone()
            .into_value()
            .as_str()
            .and_then(repository_name_problem)
        {
            node.error(codes::REPOSITORY_NAME, "RepositoryName", message);
        }
        let literal_name = name.clone().into_value().as_str().map(str::to_owned);
        Ok(Repository {
            scope: node,
            cfn: None,
            name,
            literal_name,
        })
    }

    /// The L1 repository, for what this construct does not model (`None`
    /// for an imported repository).
    pub fn cfn(&self) -> Option<&CfnRepositoryRef> {
        self.cfn.as_ref()
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The repository ARN (`Fn::GetAtt Arn`; built from the name for an
    /// imported repository).
    pub fn arn(&self) -> Expr {
        match &self.cfn {
            Some(c) => c.arn(),
            None => Fn::concat([
                Value::from("arn:"),
                Pseudo::Partition.into(),
                Value::from(":ecr:"),
                Pseudo::Region.into(),
                Value::from(":"),
                Pseudo::AccountId.into(),
                Value::from(":repository/"),
                self.name.clone().into_value(),
            ]),
        }
    }

    /// The name given in the code (a literal), if any: what the deploy
    /// pushes images to.
    pub fn literal_name(&self) -> Option<&str> {
        self.literal_name.as_deref()
    }

    /// The repository name (`Ref`; the given name for an imported repository).
    pub fn repository_name(&self) -> Str {
        self.name.clone()
    }

    /// `<account>.dkr.ecr.<region>.<url suffix>/<name>` (`Fn::GetAtt RepositoryUri`).
    pub fn repository_uri(&self) -> Expr {
        match &self.cfn {
            Some(c) => c.repository_uri(),
            None => Fn::concat(self.uri_parts()),
        }
    }

    /// The parts of the repository URI, for `Fn::concat`.
    fn uri_parts(&self) -> Vec<Value> {
        match &self.cfn {
            Some(c) => vec![c.repository_uri().into()],
            None => vec![
                Pseudo::AccountId.into(),
                Value::from(".dkr.ecr."),
                Pseudo::Region.into(),
                Value::from("."),
                Pseudo::UrlSuffix.into(),
                Value::from("/"),
                self.name.clone().into_value(),
            ],
        }
    }

    /// `<repository uri><separator><value>`.
    fn image_uri(&self, separator: &str, value: Value) -> Expr {
        let mut parts = self.uri_parts();
        parts.push(Value::from(separator));
        parts.push(value);
        Fn::concat(parts)
    }

    /// `<repository uri>:<tag>`. A literal tag is checked against Docker's
    /// tag rule; a reference (a parameter CI sets) is not.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ecr::{Repository, RepositoryProps};
    /// let app = App::new();
    /// let stack = app.stack("Weather")?;
    /// let repo = Repository::new(&stack, "Repository", RepositoryProps::new())?;
    /// let image = repo.image_uri_for_tag("latest"); // ${Repository.RepositoryUri}:latest
    /// # let _ = image;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn image_uri_for_tag(&self, tag: impl Into<Str>) -> Expr {
        let tag = tag.into().into_value();
        if let Some(t) = tag.as_str().filter(|t| !is_image_tag(t)) {
            self.scope.report(Diagnostic::error(
                codes::IMAGE_TAG,
                self.scope.path(),
                format!(
                    "image tag `{t}` is not a valid tag; a tag is 1 to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`"
                ),
            ));
        }
        self.image_uri(":", tag)
    }

    /// `<repository uri>@sha256:<digest>`: pins an exact image, so a new
    /// push rolls out when the digest changes. A literal digest must be
    /// `sha256:` and 64 lowercase hex digits; a reference is not checked.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ecr::{Repository, RepositoryProps};
    /// let app = App::new();
    /// let stack = app.stack("Vision")?;
    /// let repo = Repository::new(&stack, "Repository", RepositoryProps::new())?;
    /// let image = repo.image_uri_for_digest(format!("sha256:{}", "ab".repeat(32)));
    /// # let _ = image;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn image_uri_for_digest(&self, digest: impl Into<Str>) -> Expr {
        let digest = digest.into().into_value();
        if let Some(d) = digest.as_str().filter(|d| !is_digest(d)) {
            self.scope.report(
                Diagnostic::error(
                    codes::IMAGE_DIGEST,
                    self.scope.path(),
                    format!("image digest `{d}` is not `sha256:` followed by 64 lowercase hex digits"),
                )
                .fix("use the digest `docker push` or `aws ecr describe-images` prints (imageDigest)"),
            );
        }
        self.image_uri("@", digest)
    }

    /// The image URI to run: pinned to `digest` when one is given (a new
    /// digest changes the template, so a deploy rolls the image out), else
    /// `tag`, with warning `FW2505` on `consumer` (what runs the image):
    /// pushing a new image under the same tag changes nothing in the
    /// template, so the consumer keeps the old image until it is updated by
    /// hand.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ecr::{Repository, RepositoryProps};
    /// let app = App::new();
    /// let stack = app.stack("Vision")?;
    /// let repo = Repository::new(&stack, "Repository", RepositoryProps::new())?;
    /// let digest = format!("sha256:{}", "ab".repeat(32));
    /// let image = repo.pinned_image_uri(&stack, Some(&digest), "latest");
    /// let warnings = app.synth()?.warnings;
    /// assert!(warnings.0.iter().all(|w| w.code != formwork::ecr::codes::IMAGE_NOT_PINNED));
    /// # let _ = image;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn pinned_image_uri(&self, consumer: &Scope, digest: Option<&str>, tag: &str) -> Expr {
        if let Some(d) = digest {
            return self.image_uri_for_digest(d);
        }
        consumer.report(
            Diagnostic::warning(
                codes::IMAGE_NOT_PINNED,
                consumer.path(),
                format!(
                    "the image of {} runs by the tag `{tag}`, not a digest: pushing a new image under that tag changes nothing in the template, so what runs it keeps the old image until it is updated by hand",
                    self.scope.path()
                ),
            )
            .fix("pass the pushed image's digest (`imageDigest` of `aws ecr describe-images`)"),
        );
        self.image_uri_for_tag(tag)
    }

    /// Lets the grantee pull images (see the table on [`Repository`]).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ecr::{Repository, RepositoryProps};
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// let app = App::new();
    /// let stack = app.stack("Weather")?;
    /// let repo = Repository::new(&stack, "Repository", RepositoryProps::new())?;
    /// let execution = Role::new(&stack, "Execution", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")))?;
    /// repo.grant_pull(&execution)?;
    /// assert_eq!(execution.policy().statements().len(), 2);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant_pull(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, PULL)
    }

    /// Lets the grantee push images (see the table on [`Repository`]).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ecr::{Repository, RepositoryProps};
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// let app = App::new();
    /// let stack = app.stack("Ci")?;
    /// let repo = Repository::new(&stack, "Repository", RepositoryProps::new())?;
    /// let builder = Role::new(&stack, "Builder", RoleProps::new(Principal::service("codebuild.amazonaws.com")))?;
    /// repo.grant_push(&builder)?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant_push(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, PUSH)
    }

    /// Lets the grantee pull and push images (see the table on [`Repository`]).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ecr::{Repository, RepositoryProps};
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// let app = App::new();
    /// let stack = app.stack("Ci")?;
    /// let repo = Repository::new(&stack, "Repository", RepositoryProps::new())?;
    /// let builder = Role::new(&stack, "Builder", RoleProps::new(Principal::service("codebuild.amazonaws.com")))?;
    /// repo.grant_pull_push(&builder)?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant_pull_push(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, PULL_PUSH)
    }

    #[track_caller]
    fn grant(&self, grantee: &dyn Grantee, specs: &[GrantSpec]) -> Result<()> {
        let arns = [Value::from(self.arn()), Value::from("*")];
        iam::grant_or_report(&self.scope, grantee, specs, &arns);
        Ok(())
    }
}

fn exclusion_filters(filters: &[String]) -> Vec<repository::ImageTagMutabilityExclusionFilter> {
    filters
        .iter()
        .map(|f| {
            repository::ImageTagMutabilityExclusionFilter::new()
                .image_tag_mutability_exclusion_filter_type(
                    repository::ImageTagMutabilityExclusionFilterType::Wildcard,
                )
                .image_tag_mutability_exclusion_filter_value(f.as_str())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use formwork_core::{App, Output, Parameter, Stack};
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::{Value as Json, json};

    use super::*;
    use crate::iam::{Principal, Role, RoleProps};

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn new_stack() -> (App, Stack) {
        let app = App::new();
        let stack = app.stack("Stack").unwrap();
        (app, stack)
    }

    fn role(stack: &Stack) -> Role {
        Role::new(
            stack,
            "Execution",
            RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")),
        )
        .unwrap()
    }

    fn role_statements(t: &Json) -> Json {
        t["Resources"]["Execution"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
            .clone()
    }

    fn errors(app: &App) -> Vec<Diagnostic> {
        app.synth().unwrap_err().diagnostics().unwrap().0.clone()
    }

    #[test]
    fn defaults() {
        let (app, stack) = new_stack();
        Repository::new(&stack, "Repo", RepositoryProps::new()).unwrap();
        let t = template(&synth_and_lint(&app, "ecr-defaults"), "Stack");
        assert_eq!(
            t["Resources"]["Repo"],
            json!({
                "Type": "AWS::ECR::Repository",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "EncryptionConfiguration": {"EncryptionType": "AES256"},
                    "ImageScanningConfiguration": {"ScanOnPush": true},
                    "ImageTagMutability": "MUTABLE"
                }
            })
        );
    }

    #[test]
    fn options_render() {
        let (app, stack) = new_stack();
        Repository::new(
            &stack,
            "Repo",
            RepositoryProps::new()
                .repository_name("team/poc-mc-vision_fastapi.v2")
                .scan_on_push(false)
                .tag_mutability(TagMutability::ImmutableExcept(vec![
                    "latest".into(),
                    "dev-*".into(),
                ]))
                .encryption(Encryption::Kms {
                    key_arn: Some("alias/ecr".into()),
                })
                .removal_policy(RemovalPolicy::Delete)
                .empty_on_delete(true)
                .tag("team", "vision"),
        )
        .unwrap();
        let t = template(&synth_and_lint(&app, "ecr-options"), "Stack");
        let r = &t["Resources"]["Repo"];
        assert_eq!(r["DeletionPolicy"], "Delete");
        assert_eq!(
            r["Properties"],
            json!({
                "EmptyOnDelete": true,
                "EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": "alias/ecr"},
                "ImageScanningConfiguration": {"ScanOnPush": false},
                "ImageTagMutability": "IMMUTABLE_WITH_EXCLUSION",
                "ImageTagMutabilityExclusionFilters": [
                    {"ImageTagMutabilityExclusionFilterType": "WILDCARD", "ImageTagMutabilityExclusionFilterValue": "latest"},
                    {"ImageTagMutabilityExclusionFilterType": "WILDCARD", "ImageTagMutabilityExclusionFilterValue": "dev-*"}
                ],
                "RepositoryName": "team/poc-mc-vision_fastapi.v2",
                "Tags": [{"Key": "team", "Value": "vision"}]
            })
        );
        for (m, s) in [
            (TagMutability::Immutable, "IMMUTABLE"),
            (
                TagMutability::MutableExcept(vec!["v*".into()]),
                "MUTABLE_WITH_EXCLUSION",
            ),
        ] {
            let (app, stack) = new_stack();
            Repository::new(&stack, "Repo", RepositoryProps::new().tag_mutability(m)).unwrap();
            let t = app.synth().unwrap().template_json("Stack").unwrap();
            assert_eq!(
                t["Resources"]["Repo"]["Properties"]["ImageTagMutability"],
                s
            );
        }
        let (app, stack) = new_stack();
        Repository::new(
            &stack,
            "Repo",
            RepositoryProps::new().encryption(Encryption::Kms { key_arn: None }),
        )
        .unwrap();
        let t = app.synth().unwrap().template_json("Stack").unwrap();
        assert_eq!(
            t["Resources"]["Repo"]["Properties"]["EncryptionConfiguration"],
            json!({"EncryptionType": "KMS"})
        );
    }

    #[test]
    fn removal_policies() {
        let (app, stack) = new_stack();
        Repository::new(
            &stack,
            "Repo",
            RepositoryProps::new().removal_policy(RemovalPolicy::RetainExceptOnCreate),
        )
        .unwrap();
        let t = app.synth().unwrap().template_json("Stack").unwrap();
        assert_eq!(
            t["Resources"]["Repo"]["DeletionPolicy"],
            "RetainExceptOnCreate"
        );
        assert_eq!(t["Resources"]["Repo"]["UpdateReplacePolicy"], "Retain");
        let (app, stack) = new_stack();
        Repository::new(
            &stack,
            "Repo",
            RepositoryProps::new().removal_policy(RemovalPolicy::Snapshot),
        )
        .unwrap();
        let ds = errors(&app);
        assert_eq!(ds.len(), 1, "{ds:#?}");
        assert_eq!(ds[0].code, codes::REMOVAL_POLICY);
        assert_eq!(ds[0].property.as_deref(), Some("DeletionPolicy"));
        assert!(
            ds[0]
                .message
                .starts_with("ECR repositories have no snapshots")
        );
    }

    #[test]
    fn repository_names_follow_ecr_rules() {
        for ok in [
            "ab",
            "weather-comment-generator",
            "team/app",
            "a.b_c-d/e1",
            &"a".repeat(256),
        ] {
            assert_eq!(repository_name_problem(ok), None, "{ok}");
        }
        let cases = [
            (
                "a",
                "is 1 characters long; a repository name is 2 to 256 characters",
            ),
            (
                "Weather",
                "contains `W`; a repository name has only lowercase letters, digits",
            ),
            (
                "-app",
                "each `/`-separated part must start and end with a lowercase letter or a digit (found `-app`)",
            ),
            ("team//app", "(found ``)"),
            ("app/", "(found ``)"),
            ("my--app", "has two separators in a row in `my--app`"),
        ];
        for (name, message) in cases {
            let (app, stack) = new_stack();
            Repository::new(&stack, "Repo", RepositoryProps::new().repository_name(name)).unwrap();
            let ds = errors(&app);
            assert_eq!(ds.len(), 1, "one clear error for {name}: {ds:#?}");
            assert_eq!(ds[0].code, codes::REPOSITORY_NAME);
            assert_eq!(ds[0].path, "Stack/Repo");
            assert_eq!(ds[0].property.as_deref(), Some("RepositoryName"));
            assert!(ds[0].message.contains(message), "{name}: {}", ds[0].message);
        }
        let (app, stack) = new_stack();
        Repository::from_name(&stack, "Repo", "Bad Name").unwrap();
        assert_eq!(errors(&app)[0].code, codes::REPOSITORY_NAME);
    }

    #[test]
    fn referenced_names_are_not_checked() {
        let (app, stack) = new_stack();
        let p = stack
            .add_parameter("RepoName", Parameter::string())
            .unwrap();
        Repository::new(
            &stack,
            "Repo",
            RepositoryProps::new().repository_name(p.ref_()),
        )
        .unwrap();
        let t = template(&synth_and_lint(&app, "ecr-name-ref"), "Stack");
        assert_eq!(
            t["Resources"]["Repo"]["Properties"]["RepositoryName"],
            json!({"Ref": "RepoName"})
        );
    }

    #[test]
    fn references_and_image_uris() {
        let (app, stack) = new_stack();
        let r = Repository::new(&stack, "Repo", RepositoryProps::new()).unwrap();
        let i = Repository::from_name(&stack, "Shared", "weather-comment-generator").unwrap();
        assert!(r.cfn().is_some() && i.cfn().is_none());
        let tag = stack
            .add_parameter("ImageTag", Parameter::string())
            .unwrap();
        let outputs: [(&str, Value); 9] = [
            ("Arn", r.arn().into()),
            ("Name", r.repository_name().into_value()),
            ("Uri", r.repository_uri().into()),
            ("Latest", r.image_uri_for_tag("latest").into()),
            ("Pinned", r.image_uri_for_digest(DIGEST).into()),
            ("FromParam", r.image_uri_for_tag(tag.ref_()).into()),
            ("ImportedArn", i.arn().into()),
            ("ImportedName", i.repository_name().into_value()),
            ("ImportedLatest", i.image_uri_for_tag("latest").into()),
        ];
        for (name, v) in outputs {
            stack.add_output(name, Output::new(v)).unwrap();
        }
        let t = template(&synth_and_lint(&app, "ecr-refs"), "Stack");
        let o = |k: &str| t["Outputs"][k]["Value"].clone();
        assert_eq!(o("Arn"), json!({"Fn::GetAtt": ["Repo", "Arn"]}));
        assert_eq!(o("Name"), json!({"Ref": "Repo"}));
        assert_eq!(o("Uri"), json!({"Fn::GetAtt": ["Repo", "RepositoryUri"]}));
        assert_eq!(
            o("Latest"),
            json!({"Fn::Sub": "${Repo.RepositoryUri}:latest"})
        );
        assert_eq!(
            o("Pinned"),
            json!({"Fn::Sub": format!("${{Repo.RepositoryUri}}@{DIGEST}")})
        );
        assert_eq!(
            o("FromParam"),
            json!({"Fn::Sub": "${Repo.RepositoryUri}:${ImageTag}"})
        );
        assert_eq!(
            o("ImportedArn"),
            json!({"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/weather-comment-generator"})
        );
        assert_eq!(o("ImportedName"), json!("weather-comment-generator"));
        assert_eq!(
            o("ImportedLatest"),
            json!({"Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/weather-comment-generator:latest"})
        );
    }

    #[test]
    fn bad_tags_and_digests_are_errors() {
        let (app, stack) = new_stack();
        let r = Repository::new(&stack, "Repo", RepositoryProps::new()).unwrap();
        let _ = r.image_uri_for_tag(".latest");
        let _ = r.image_uri_for_tag("a".repeat(129));
        let _ = r.image_uri_for_digest("sha256:ABC");
        let _ = r.image_uri_for_digest(DIGEST.to_uppercase().replace("SHA256", "sha256"));
        let _ = r.image_uri_for_digest(DIGEST.replace("sha256:", ""));
        let ds = errors(&app);
        let codes: Vec<&str> = ds.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [
                codes::IMAGE_TAG,
                codes::IMAGE_TAG,
                codes::IMAGE_DIGEST,
                codes::IMAGE_DIGEST,
                codes::IMAGE_DIGEST
            ]
        );
        assert!(ds.iter().all(|d| d.path == "Stack/Repo"));
        assert_eq!(
            ds[0].message,
            "image tag `.latest` is not a valid tag; a tag is 1 to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`"
        );
        assert_eq!(
            ds[2].message,
            "image digest `sha256:ABC` is not `sha256:` followed by 64 lowercase hex digits"
        );
        assert!(ds[2].fix.is_some());
    }

    #[test]
    fn pull_grant_is_exact_and_auth_token_has_its_own_statement() {
        let (app, stack) = new_stack();
        let r = Repository::new(&stack, "Repo", RepositoryProps::new()).unwrap();
        let other = Repository::from_name(&stack, "Base", "base-images").unwrap();
        let execution = role(&stack);
        r.grant_pull(&execution).unwrap();
        other.grant_pull(&execution).unwrap();
        let t = template(&synth_and_lint(&app, "ecr-pull"), "Stack");
        assert_eq!(
            role_statements(&t),
            json!([
                {
                    "Effect": "Allow",
                    "Action": ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                    "Resource": [
                        {"Fn::GetAtt": ["Repo", "Arn"]},
                        {"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/base-images"}
                    ]
                },
                {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}
            ])
        );
    }

    #[test]
    fn push_grants_are_exact() {
        let (app, stack) = new_stack();
        let r = Repository::new(&stack, "Repo", RepositoryProps::new()).unwrap();
        let builder = role(&stack);
        r.grant_push(&builder).unwrap();
        let t = app.synth().unwrap().template_json("Stack").unwrap();
        assert_eq!(
            role_statements(&t),
            json!([
                {
                    "Effect": "Allow",
                    "Action": [
                        "ecr:BatchCheckLayerAvailability",
                        "ecr:InitiateLayerUpload",
                        "ecr:UploadLayerPart",
                        "ecr:CompleteLayerUpload",
                        "ecr:PutImage"
                    ],
                    "Resource": {"Fn::GetAtt": ["Repo", "Arn"]}
                },
                {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}
            ])
        );
        let (app, stack) = new_stack();
        let r = Repository::new(&stack, "Repo", RepositoryProps::new()).unwrap();
        let builder = role(&stack);
        r.grant_pull_push(&builder).unwrap();
        let t = app.synth().unwrap().template_json("Stack").unwrap();
        let st = role_statements(&t);
        assert_eq!(st.as_array().unwrap().len(), 2);
        assert_eq!(st[0]["Action"].as_array().unwrap().len(), 7);
        assert_eq!(
            st[1],
            json!({"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"})
        );
    }

    use crate::iam::testing::NoRole;

    #[test]
    fn grants_to_something_without_a_role_warn() {
        let (app, stack) = new_stack();
        let r = Repository::new(&stack, "Repo", RepositoryProps::new()).unwrap();
        r.grant_pull(&NoRole).unwrap();
        let asm = app.synth().unwrap();
        let w: Vec<_> = asm.warnings.with_code(iam::codes::GRANT_NO_ROLE).collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].path, "Stack/Repo");
        assert_eq!(
            w[0].message,
            "the grantee has no role, so ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer, ecr:BatchGetImage, ecr:GetAuthorizationToken was not granted"
        );
    }

    #[test]
    fn imported_repositories_create_nothing() {
        let (app, stack) = new_stack();
        Repository::from_name(&stack, "Repo", "weather-comment-generator").unwrap();
        assert!(Repository::from_name(&stack, "Repo", "again").is_err());
        assert_eq!(stack.resource_count(), 0);
        formwork_test_support::filler(&stack);
        app.synth().unwrap();
    }

    /// Every option at once, through cfn-lint.
    #[test]
    fn fully_configured_repository_lints_clean() {
        let (app, stack) = new_stack();
        let r = Repository::new(
            &stack,
            "Repository",
            RepositoryProps::new()
                .repository_name("weather-comment-generator")
                .tag_mutability(TagMutability::ImmutableExcept(vec!["latest".into()]))
                .encryption(Encryption::Kms { key_arn: None })
                .lifecycle_rule(LifecycleRule::expire_untagged_after_days(7))
                .lifecycle_rule(
                    LifecycleRule::keep_last(10)
                        .tag_prefixes(["dev-"])
                        .description("Keep ten dev images"),
                )
                .lifecycle_rule(LifecycleRule::keep_last(100))
                .removal_policy(RemovalPolicy::Delete)
                .empty_on_delete(true)
                .tag("service", "weather"),
        )
        .unwrap();
        let execution = role(&stack);
        r.grant_pull(&execution).unwrap();
        stack
            .add_output("Image", Output::new(r.image_uri_for_tag("latest")))
            .unwrap();
        let asm = synth_and_lint(&app, "ecr-full");
        assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
        let t = template(&asm, "Stack");
        let text =
            t["Resources"]["Repository"]["Properties"]["LifecyclePolicy"]["LifecyclePolicyText"]
                .as_str()
                .unwrap();
        let policy: Json = serde_json::from_str(text).unwrap();
        assert_eq!(policy["rules"].as_array().unwrap().len(), 3);
        assert_eq!(policy["rules"][2]["selection"]["tagStatus"], "any");
    }

    /// A fully configured bucket and repository in one template, through cfn-lint.
    #[cfg(feature = "s3")]
    #[test]
    fn bucket_and_repository_together_lint_clean() {
        use crate::s3::{self, Bucket, BucketProps, CorsRule, HttpMethod, StorageClass};
        let (app, stack) = new_stack();
        let images = Bucket::new(
            &stack,
            "Images",
            BucketProps::new()
                .bucket_name("poc-mc-vision-images-111122223333")
                .encryption(s3::Encryption::Kms {
                    key: Some(crate::kms::Key::from_arn(&stack, "Key", "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab").unwrap()),
                })
                .versioned(true)
                .cors_rule(CorsRule::new(["https://yourdomain.com"], [HttpMethod::Get, HttpMethod::Put]).max_age_seconds(3000))
                .lifecycle_rule(
                    s3::LifecycleRule::new()
                        .prefix("inputs/")
                        .transition(StorageClass::IntelligentTiering, 0)
                        .transition(StorageClass::Glacier, 90)
                        .expiration_days(365)
                        .noncurrent_version_expiration_days(30)
                        .abort_incomplete_multipart_upload_after_days(3),
                )
                .removal_policy(RemovalPolicy::Delete)
                .tag("project", "vision"),
        )
        .unwrap();
        let repo = Repository::new(
            &stack,
            "Repository",
            RepositoryProps::new()
                .repository_name("poc-mc-vision-fastapi")
                .lifecycle_rule(LifecycleRule::expire_untagged_after_days(1))
                .lifecycle_rule(LifecycleRule::keep_last(30))
                .tag("project", "vision"),
        )
        .unwrap();
        let worker = Role::new(
            &stack,
            "Worker",
            RoleProps::new(Principal::service("lambda.amazonaws.com")),
        )
        .unwrap();
        images.grant_read(&worker).unwrap();
        repo.grant_pull(&worker).unwrap();
        stack
            .add_output("Image", Output::new(repo.image_uri_for_digest(DIGEST)))
            .unwrap();
        stack
            .add_output("Bucket", Output::new(images.bucket_name()))
            .unwrap();
        let asm = synth_and_lint(&app, "s3-ecr-full");
        assert!(asm.warnings.0.is_empty(), "{}", asm.warnings);
        assert_eq!(asm.stacks[0].resource_count, 4);
    }
}

#[cfg(test)]
mod pinning_tests {
    use super::*;
    use formwork_core::App;

    #[test]
    fn a_digest_pins_the_image_and_a_tag_warns_fw2505() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let repo = Repository::new(&s, "Repo", RepositoryProps::new()).unwrap();
        let runner = s.child("Runner").unwrap();
        let digest = format!("sha256:{}", "0f".repeat(32));
        repo.pinned_image_uri(&runner, Some(&digest), "latest");
        assert!(app.synth().unwrap().warnings.0.is_empty());
        repo.pinned_image_uri(&runner, None, "v2");
        let asm = app.synth().unwrap();
        let w: Vec<_> = asm.warnings.with_code(codes::IMAGE_NOT_PINNED).collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].path, "S/Runner");
        assert!(
            w[0].message
                .starts_with("the image of S/Repo runs by the tag `v2`, not a digest"),
            "{}",
            w[0]
        );
    }
}
