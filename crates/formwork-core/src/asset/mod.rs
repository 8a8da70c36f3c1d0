//! Assets: files the deploy builds and publishes beside the templates.
//!
//! Three kinds, declared by constructs through [`Scope::add_asset`]:
//!
//! - [`AssetKind::Zip`]: a folder or a file packaged as a deterministic zip
//!   (Lambda code), stored in the assets bucket under `<hash>.zip`;
//! - [`AssetKind::Image`]: a container image built from a folder with a
//!   Dockerfile, pushed to the assets repository (or one the app declares)
//!   with the tag `<hash>`;
//! - [`AssetKind::Files`]: a folder (or one file) copied into a bucket of
//!   the app under a key prefix, after the bucket's stack.
//!
//! Each is identified by a content hash computed here, at synth, from the
//! inputs (the folder's files, the build command, the excludes, the Docker
//! options): the template names the zip and the image by it, so a changed
//! input always changes the template and an unchanged one never does.
//! Building (running a build step, `docker build`) and publishing happen in
//! the deploy tool, which never runs at synth. Everything the deploy needs
//! is in `manifest.json` (`assets`), so a deploy can be redone by hand.
//!
//! The assets bucket and repository belong to a stack the deploy tool
//! creates in each account and region on first use ([`ASSETS_STACK`]); their
//! names are fixed so templates can name them with pseudo parameters.

mod fingerprint;
mod glob;

use std::path::{Component, Path, PathBuf};

use serde_json::Value as Json;

use crate::diag::Diagnostic;
use crate::expr::{Expr, Fn};
use crate::stack::Scope;

pub use fingerprint::{FileEntry, Fingerprint, hex, sha256_file, walk};
pub use glob::Excludes;

/// The stack that holds the assets bucket and repository, one per account
/// and region, created by `deploy` when an app first needs it.
pub const ASSETS_STACK: &str = "FormworkAssets";
/// The assets bucket's name before `-<account>-<region>`.
pub const ASSETS_BUCKET_PREFIX: &str = "formwork-assets";
/// The assets repository's name.
pub const ASSETS_REPOSITORY: &str = "formwork-assets";
/// Lambda's limit on unzipped code, bytes.
pub const LAMBDA_UNZIPPED_LIMIT: u64 = 250 * 1024 * 1024;
/// Lambda's limit on a zip passed directly (formwork always goes through S3).
pub const LAMBDA_DIRECT_ZIP_LIMIT: u64 = 50 * 1024 * 1024;

/// Diagnostic codes of assets (FW0701-FW0709 at synth, FW0720-FW0739 at deploy).
pub mod codes {
    /// The source folder or file does not exist.
    pub const MISSING_SOURCE: &str = "FW0701";
    /// The source is outside the project folder.
    pub const OUTSIDE_PROJECT: &str = "FW0702";
    /// The source folder has no file (after the excludes).
    pub const EMPTY: &str = "FW0703";
    /// The Dockerfile is missing.
    pub const MISSING_DOCKERFILE: &str = "FW0704";
    /// A file could not be read.
    pub const UNREADABLE: &str = "FW0705";
    /// Code over Lambda's 250 MB unzipped limit.
    pub const TOO_LARGE: &str = "FW0706";
    /// An image for another architecture than what runs it.
    pub const PLATFORM: &str = "FW0707";
    /// A repository and an image consumer in the same stack.
    pub const SAME_STACK: &str = "FW0708";
    /// A build step that is not allowed (empty, or an output outside the folder).
    pub const BUILD: &str = "FW0709";
    /// `deploy`: docker is not installed (not on the `PATH`, or not at
    /// `FORMWORK_DOCKER`).
    pub const DOCKER_MISSING: &str = "FW0720";
    /// `deploy`: docker is installed but its daemon does not answer.
    pub const DOCKER_DAEMON: &str = "FW0721";
    /// `deploy`: `docker build` failed.
    pub const DOCKER_BUILD: &str = "FW0722";
    /// `deploy`: the registry refused the push, also after logging in again.
    pub const REGISTRY_LOGIN: &str = "FW0723";
    /// `deploy`: `docker push` failed for another reason.
    pub const DOCKER_PUSH: &str = "FW0724";
    /// `deploy`: an asset's build step failed.
    pub const BUILD_FAILED: &str = "FW0725";
}

/// What an asset is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AssetKind {
    /// A folder or file packaged as a zip (Lambda code).
    Zip,
    /// A container image built from a folder with a Dockerfile.
    Image,
    /// A folder or file copied into a bucket.
    Files,
}

impl AssetKind {
    /// `zip`, `image` or `files`.
    pub fn as_str(self) -> &'static str {
        match self {
            AssetKind::Zip => "zip",
            AssetKind::Image => "image",
            AssetKind::Files => "files",
        }
    }
}

/// A CPU platform for a container image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Platform {
    /// `linux/amd64` (x86_64).
    LinuxAmd64,
    /// `linux/arm64` (Graviton).
    LinuxArm64,
}

impl Platform {
    /// `linux/amd64` or `linux/arm64`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::LinuxAmd64 => "linux/amd64",
            Platform::LinuxArm64 => "linux/arm64",
        }
    }
}

/// A command run in the asset's folder before it is packaged or copied.
///
/// It runs at deploy time (never at synth) through the system shell
/// (`sh -c` on Linux and macOS, `cmd /C` on Windows), so `npm ci && npm run
/// build` works on all three.
///
/// ```
/// use formwork::assets::BuildStep;
/// let b = BuildStep::new("npm ci && npm run build").output("dist");
/// assert_eq!(b.output_dir(), Some("dist"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BuildStep {
    command: String,
    output: Option<String>,
}

impl BuildStep {
    /// A build command.
    pub fn new(command: impl Into<String>) -> BuildStep {
        BuildStep {
            command: command.into(),
            output: None,
        }
    }

    /// The sub-folder the build writes (`dist`); by default the folder itself.
    pub fn output(mut self, dir: impl Into<String>) -> BuildStep {
        self.output = Some(
            dir.into()
                .replace('\\', "/")
                .trim_end_matches('/')
                .to_owned(),
        );
        self
    }

    /// The command.
    pub fn command(&self) -> &str {
        &self.command
    }

    /// The output sub-folder, if any.
    pub fn output_dir(&self) -> Option<&str> {
        self.output.as_deref()
    }
}

/// Options of `docker build`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DockerBuild {
    /// The Dockerfile, relative to the folder (default `Dockerfile`).
    pub file: Option<String>,
    /// `--build-arg` values, in order.
    pub build_args: Vec<(String, String)>,
    /// `--target` stage.
    pub target: Option<String>,
}

/// Where a published asset goes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Destination {
    /// The assets bucket, under `key`.
    AssetsBucket {
        /// The object key (`<hash>.zip`).
        key: String,
    },
    /// The assets repository, with `tag`.
    AssetsRepository {
        /// The image tag (the hash).
        tag: String,
    },
    /// A repository the app declares, in its own stack.
    Repository {
        /// The stack that holds it (deployed before the push).
        stack: String,
        /// The repository's name.
        name: String,
        /// The image tag (the hash).
        tag: String,
    },
    /// A bucket of the app, under a key prefix.
    Bucket {
        /// The stack that holds the bucket (deployed before the upload).
        stack: String,
        /// The bucket's logical id (its physical id is the bucket name).
        logical_id: String,
        /// The key prefix (`data/`), empty for the bucket's root.
        prefix: String,
        /// True to delete objects under the prefix that are not in the folder.
        prune: bool,
        /// CloudFront distributions to invalidate when anything changed:
        /// (stack, logical id).
        invalidate: Vec<(String, String)>,
    },
}

/// An asset to declare with [`Scope::add_asset`].
///
/// ```
/// use formwork::assets::{AssetKind, AssetSpec, BuildStep};
/// let spec = AssetSpec::new(AssetKind::Zip, "lambda/chat")
///     .build(BuildStep::new("npm ci && npm run build").output("dist"))
///     .exclude(["node_modules"]);
/// assert_eq!(spec.kind(), AssetKind::Zip);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetSpec {
    kind: AssetKind,
    source: String,
    build: Option<BuildStep>,
    excludes: Vec<String>,
    docker: Option<DockerBuild>,
    platform: Option<Platform>,
}

impl AssetSpec {
    /// An asset of `kind` from `source`, a path relative to the project
    /// folder (see [`Context::project_dir`](crate::Context::project_dir)).
    pub fn new(kind: AssetKind, source: impl Into<String>) -> AssetSpec {
        AssetSpec {
            kind,
            source: source.into(),
            build: None,
            excludes: Vec::new(),
            docker: None,
            platform: None,
        }
    }

    /// Runs a build step before packaging.
    pub fn build(mut self, step: BuildStep) -> AssetSpec {
        self.build = Some(step);
        self
    }

    /// Leaves out files matching these patterns (see [`Excludes`]).
    pub fn exclude<S: Into<String>>(mut self, patterns: impl IntoIterator<Item = S>) -> AssetSpec {
        self.excludes.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Docker options (images).
    pub fn docker(mut self, docker: DockerBuild) -> AssetSpec {
        self.docker = Some(docker);
        self
    }

    /// The platform an image is built for.
    pub fn platform(mut self, platform: Platform) -> AssetSpec {
        self.platform = Some(platform);
        self
    }

    /// The kind.
    pub fn kind(&self) -> AssetKind {
        self.kind
    }

    /// The source path as given.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// A declared asset: what `manifest.json` lists and the deploy publishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asset {
    /// The construct path that declared it.
    pub path: String,
    /// Its kind.
    pub kind: AssetKind,
    /// The source, relative to the project folder, `/`-separated.
    pub source: String,
    /// The source on this machine (never written to a template or manifest).
    pub source_dir: PathBuf,
    /// The content hash (SHA-256 hex).
    pub hash: String,
    /// The build step.
    pub build: Option<BuildStep>,
    /// Exclude patterns.
    pub excludes: Vec<String>,
    /// Docker options (images).
    pub docker: Option<DockerBuild>,
    /// The platform (images).
    pub platform: Option<Platform>,
    /// Where it goes.
    pub destination: Destination,
    /// Files and bytes found at synth (before a build step).
    pub files: usize,
    /// Total bytes of those files.
    pub bytes: u64,
}

impl Asset {
    /// The stack that must be deployed before this asset is published, if any.
    pub fn after_stack(&self) -> Option<&str> {
        match &self.destination {
            Destination::Repository { stack, .. } | Destination::Bucket { stack, .. } => {
                Some(stack)
            }
            _ => None,
        }
    }

    /// A stable short id for the plan: `<kind>:<first 12 hex of the hash>`
    /// plus the destination for files.
    pub fn id(&self) -> String {
        match &self.destination {
            Destination::Bucket {
                stack,
                logical_id,
                prefix,
                ..
            } => format!("files:{stack}/{logical_id}/{prefix}"),
            _ => format!("{}:{}", self.kind.as_str(), &self.hash[..12]),
        }
    }

    /// The entry of `manifest.json`, as synth writes it there.
    pub fn manifest_json(&self, used_by: &[String]) -> Json {
        crate::synth::asset_manifest::json(self, used_by)
    }
}

/// The assets bucket's name in the stack's account and region.
pub fn assets_bucket_name() -> Expr {
    Fn::sub(&format!(
        "{ASSETS_BUCKET_PREFIX}-${{AWS::AccountId}}-${{AWS::Region}}"
    ))
}

/// The assets repository's image URI with a tag.
pub fn assets_image_uri(tag: &str) -> Expr {
    Fn::sub(&format!(
        "${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/{ASSETS_REPOSITORY}:{tag}"
    ))
}

/// Resolves `source` inside `project`, refusing `..` that leaves it and
/// absolute paths outside it.
fn resolve(project: &Path, source: &str) -> Result<PathBuf, String> {
    let p = Path::new(source);
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        project.join(p)
    };
    let mut clean = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                if !clean.pop() {
                    return Err("it goes above the root".into());
                }
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    let mut root = PathBuf::new();
    for c in project.components() {
        match c {
            Component::ParentDir => {
                root.pop();
            }
            Component::CurDir => {}
            other => root.push(other),
        }
    }
    if !clean.starts_with(&root) {
        return Err(format!(
            "it resolves outside the project folder {}",
            project.display()
        ));
    }
    Ok(clean)
}

/// The relative, `/`-separated form of `path` under `project`.
fn relative(project: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(project).unwrap_or(path);
    let s: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if s.is_empty() {
        ".".into()
    } else {
        s.join("/")
    }
}

impl Scope {
    /// Declares an asset of this construct: resolves its source under the
    /// project folder, checks it, hashes its inputs and records it for the
    /// manifest and the deploy. `destination` is given the hash.
    ///
    /// Returns `None` (with an error recorded at this construct's path,
    /// failing synth) when the source is missing, empty, outside the project,
    /// unreadable or too large.
    ///
    /// ```
    /// use formwork::assets::{AssetKind, AssetSpec, Destination};
    /// use formwork::{App, Context};
    /// let dir = std::env::temp_dir().join(format!("fw-asset-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(dir.join("code"))?;
    /// std::fs::write(dir.join("code/index.js"), "exports.handler = async () => 1;")?;
    /// let app = App::with_context(Context::new().with_project_dir(&dir));
    /// let stack = app.stack("Demo")?;
    /// # stack.add("Thing", formwork::ssm::CfnParameter::new().type_(formwork::ssm::parameter::Type::String).value("v"))?;
    /// let a = stack
    ///     .add_asset(AssetSpec::new(AssetKind::Zip, "code"), |h| Destination::AssetsBucket { key: format!("{h}.zip") })
    ///     .expect("an asset");
    /// assert_eq!(a.hash.len(), 64);
    /// assert_eq!(app.synth()?.assets.len(), 1);
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_asset(
        &self,
        spec: AssetSpec,
        destination: impl FnOnce(&str) -> Destination,
    ) -> Option<Asset> {
        let path = self.path();
        let err = |code: &'static str, msg: String, fix: &str| {
            let mut d = Diagnostic::error(code, path.clone(), msg).property("asset");
            if !fix.is_empty() {
                d = d.fix(fix);
            }
            self.report(d);
        };
        let project = self.context().project_dir();
        let source_dir = match resolve(&project, &spec.source) {
            Ok(p) => p,
            Err(why) => {
                err(
                    codes::OUTSIDE_PROJECT,
                    format!("the asset source {:?} is refused: {why}", spec.source),
                    "give a path inside the project folder (relative to the crate)",
                );
                return None;
            }
        };
        let meta = match std::fs::metadata(&source_dir) {
            Ok(m) => m,
            Err(e) => {
                err(
                    codes::MISSING_SOURCE,
                    format!(
                        "the asset source {:?} does not exist ({}: {e})",
                        spec.source,
                        source_dir.display()
                    ),
                    "create it, or fix the path (relative to the project folder)",
                );
                return None;
            }
        };
        let mut excludes = Excludes::new(&spec.excludes);
        if let Some(out) = spec.build.as_ref().and_then(BuildStep::output_dir) {
            if out.is_empty() || resolve(&source_dir, out).is_err() || out.starts_with('/') {
                err(
                    codes::BUILD,
                    format!("the build output {out:?} is not a sub-folder of the asset's folder"),
                    "name a folder inside it, such as `dist`",
                );
                return None;
            }
            // The build writes it: its content is an output, not an input.
            excludes.extend(&Excludes::new([format!("/{out}")]));
        }
        if spec
            .build
            .as_ref()
            .is_some_and(|b| b.command.trim().is_empty())
        {
            err(
                codes::BUILD,
                "the build command is empty".into(),
                "give a command, or no build step",
            );
            return None;
        }
        // The same source with the same options, declared again in this
        // stack (one image for two functions): its files were read and
        // hashed already.
        let known = self.stack().data().assets.iter().find_map(|a| {
            (a.kind == spec.kind
                && a.source_dir == source_dir
                && a.build == spec.build
                && a.excludes == spec.excludes
                && a.docker == spec.docker
                && a.platform == spec.platform)
                .then(|| (a.hash.clone(), a.files, a.bytes))
        });
        let (hash, files, bytes) = match known {
            Some(k) => k,
            None => hash_source(&spec, &source_dir, &meta, excludes, &err)?,
        };
        let asset = Asset {
            path: path.clone(),
            kind: spec.kind,
            source: relative(&project, &source_dir),
            source_dir,
            destination: destination(&hash),
            hash,
            build: spec.build,
            excludes: spec.excludes,
            docker: spec.docker,
            platform: spec.platform,
            files,
            bytes,
        };
        self.stack().data_mut().assets.push(asset.clone());
        Some(asset)
    }
}

/// Reads and hashes an asset's source (the Dockerfile and Docker options of
/// an image, its build step, its files): its hash, file count and bytes,
/// or `None` after reporting through `err` why it cannot be.
fn hash_source(
    spec: &AssetSpec,
    source_dir: &Path,
    meta: &std::fs::Metadata,
    mut excludes: Excludes,
    err: &dyn std::ops::Fn(&'static str, String, &str),
) -> Option<(String, usize, u64)> {
    let mut fp = Fingerprint::new(spec.kind.as_str());
    if spec.kind == AssetKind::Image {
        if !meta.is_dir() {
            err(
                codes::MISSING_SOURCE,
                format!(
                    "an image is built from a folder; {:?} is a file",
                    spec.source
                ),
                "give the folder that holds the Dockerfile",
            );
            return None;
        }
        let file = spec
            .docker
            .as_ref()
            .and_then(|d| d.file.clone())
            .unwrap_or_else(|| "Dockerfile".into());
        let dockerfile = match resolve(source_dir, &file) {
            Ok(p) if p.is_file() => p,
            _ => {
                err(
                    codes::MISSING_DOCKERFILE,
                    format!(
                        "no Dockerfile {file:?} in the image folder {:?}",
                        spec.source
                    ),
                    "add one, or name it with `dockerfile(...)`",
                );
                return None;
            }
        };
        if let Ok(text) = std::fs::read_to_string(source_dir.join(".dockerignore")) {
            excludes.extend(&Excludes::parse(&text));
        }
        match sha256_file(&dockerfile) {
            Ok(h) => fp.input("dockerfile", &format!("{file}\n{h}")),
            Err(e) => {
                err(
                    codes::UNREADABLE,
                    format!("cannot read {}: {e}", dockerfile.display()),
                    "",
                );
                return None;
            }
        }
        if let Some(d) = &spec.docker {
            for (k, v) in &d.build_args {
                fp.input("build-arg", &format!("{k}={v}"));
            }
            if let Some(t) = &d.target {
                fp.input("target", t);
            }
        }
        if let Some(p) = spec.platform {
            fp.input("platform", p.as_str());
        }
    }
    if let Some(b) = &spec.build {
        fp.input("build", &b.command);
        fp.input("output", b.output.as_deref().unwrap_or("."));
    }
    for e in &spec.excludes {
        fp.input("exclude", e);
    }
    let files = match walk(source_dir, &excludes) {
        Ok(f) => f,
        Err(e) => {
            err(
                codes::UNREADABLE,
                format!("cannot read the asset source {:?}: {e}", spec.source),
                "",
            );
            return None;
        }
    };
    if files.is_empty() {
        err(
            codes::EMPTY,
            format!(
                "the asset folder {:?} has no file{}",
                spec.source,
                if spec.excludes.is_empty() {
                    ""
                } else {
                    " once the excludes are applied"
                }
            ),
            "put the files in it, or fix the path or the excludes",
        );
        return None;
    }
    let bytes: u64 = files.iter().map(|f| f.size).sum();
    if spec.kind == AssetKind::Zip && spec.build.is_none() && bytes > LAMBDA_UNZIPPED_LIMIT {
        err(
            codes::TOO_LARGE,
            format!(
                "the code in {:?} is {bytes} bytes unzipped; Lambda allows {LAMBDA_UNZIPPED_LIMIT} (250 MB)",
                spec.source
            ),
            "leave out what the function does not need (`exclude`), or use a container image (up to 10 GB)",
        );
        return None;
    }
    if let Err(e) = fp.files(&files) {
        err(
            codes::UNREADABLE,
            format!("cannot read the asset source {:?}: {e}", spec.source),
            "",
        );
        return None;
    }
    Some((fp.finish(), files.len(), bytes))
}

#[cfg(test)]
mod tests;
