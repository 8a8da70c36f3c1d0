//! A folder (or one file) deployed into a bucket of the app by `deploy`.
//!
//! After the bucket's stack is deployed, `deploy` builds the folder (when
//! it has a build step), uploads under the key prefix only the files whose
//! content differs from the objects there (compared by content, not
//! timestamps), deletes the objects under the prefix that are no longer in
//! the folder (unless [`BucketDeploymentProps::keep_removed`]), sets each
//! object's content type from its extension, and invalidates the named
//! CloudFront distributions when anything changed. Nothing is added to the
//! template: the deployment is an asset of kind `files` in
//! `manifest.json`, keyed by the bucket's logical id.

use formwork_core::asset::{AssetKind, AssetSpec, BuildStep, Destination, codes};
use formwork_core::{Diagnostic, Result, Scope};
use formwork_l2::s3::Bucket;

/// What to deploy and where.
///
/// ```
/// use formwork::App;
/// use formwork::s3::{Bucket, BucketProps};
/// use formwork::patterns::BucketDeploymentProps;
/// let app = App::new();
/// let stack = app.stack("Data")?;
/// let bucket = Bucket::new(&stack, "DataBucket", BucketProps::new())?;
/// let props = BucketDeploymentProps::new("data_preparation/extracted_data", &bucket).prefix("data/");
/// # let _ = props;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct BucketDeploymentProps {
    source: String,
    bucket: Bucket,
    prefix: String,
    build: Option<BuildStep>,
    excludes: Vec<String>,
    keep_removed: bool,
    invalidate: Vec<(String, String)>,
}

impl BucketDeploymentProps {
    /// Deploys `source` (a folder or a file, relative to the project folder)
    /// into `bucket`, at its root until [`prefix`](Self::prefix) is set.
    pub fn new(source: impl Into<String>, bucket: &Bucket) -> BucketDeploymentProps {
        BucketDeploymentProps {
            source: source.into(),
            bucket: bucket.clone(),
            prefix: String::new(),
            build: None,
            excludes: Vec::new(),
            keep_removed: false,
            invalidate: Vec::new(),
        }
    }

    /// The key prefix (`data/`, `config/`); a missing trailing `/` is added.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        let p = prefix.into().trim_start_matches('/').to_owned();
        self.prefix = if p.is_empty() || p.ends_with('/') {
            p
        } else {
            format!("{p}/")
        };
        self
    }

    /// Builds the folder first (`npm ci && npm run build`) and deploys its
    /// `output` sub-folder (`dist`; `.` for the folder itself).
    pub fn build(mut self, command: impl Into<String>, output: impl Into<String>) -> Self {
        let output = output.into();
        let mut step = BuildStep::new(command);
        if output != "." && !output.is_empty() {
            step = step.output(output);
        }
        self.build = Some(step);
        self
    }

    /// Leaves out files matching these patterns.
    pub fn exclude<S: Into<String>>(mut self, patterns: impl IntoIterator<Item = S>) -> Self {
        self.excludes.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Keeps objects under the prefix that are not in the folder (by
    /// default they are deleted).
    pub fn keep_removed(mut self, keep: bool) -> Self {
        self.keep_removed = keep;
        self
    }

    /// Invalidates this distribution (all paths) when the deployment
    /// changed anything.
    #[cfg(feature = "cloudfront")]
    pub fn invalidate(mut self, distribution: &formwork_l2::cloudfront::Distribution) -> Self {
        self.invalidate.push((
            distribution.scope().stack().name().to_owned(),
            distribution.cfn().logical_id(),
        ));
        self
    }
}

/// A folder deployed into a bucket (see the module documentation).
#[derive(Clone, Debug)]
pub struct BucketDeployment {
    scope: Scope,
    hash: Option<String>,
}

impl BucketDeployment {
    /// Declares the deployment at `scope/id`. The bucket must be created by
    /// the app (not imported), and every distribution to invalidate too.
    pub fn new(scope: &Scope, id: &str, props: BucketDeploymentProps) -> Result<BucketDeployment> {
        let node = scope.child(id)?;
        let Some(cfn) = props.bucket.cfn() else {
            node.report(
                Diagnostic::error(
                    codes::MISSING_SOURCE,
                    node.path(),
                    "the bucket is imported: the deploy finds a bucket through the stack that creates it",
                )
                .property("bucket")
                .fix("deploy into a bucket of the app"),
            );
            return Ok(BucketDeployment {
                scope: node,
                hash: None,
            });
        };
        let mut spec = AssetSpec::new(AssetKind::Files, props.source).exclude(props.excludes);
        if let Some(b) = props.build {
            spec = spec.build(b);
        }
        let stack = props.bucket.scope().stack().name().to_owned();
        let logical_id = cfn.logical_id();
        let prefix = props.prefix;
        let prune = !props.keep_removed;
        let invalidate = props.invalidate;
        let hash = node
            .add_asset(spec, |_| Destination::Bucket {
                stack,
                logical_id,
                prefix,
                prune,
                invalidate,
            })
            .map(|a| a.hash);
        Ok(BucketDeployment { scope: node, hash })
    }

    /// Its place in the construct tree.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The content hash of what is deployed (`None` after an error).
    pub fn hash(&self) -> Option<&str> {
        self.hash.as_deref()
    }
}
