//! Building and publishing assets during `deploy`.
//!
//! The plan gets a step per asset beside the stack steps
//! ([`add_steps`]): the assets stack of a region first when code or an
//! image goes to it; a zip or an image published before every stack that
//! runs it (after the stack of a repository the app declares); a folder
//! deployed after the stack of its bucket; an invalidation after the
//! folder deployments that name its distribution.
//!
//! Before any step runs, [`Publisher::prepare`] does everything local and
//! everything that can fail without changing anything: it checks what is
//! already published (by content hash, so an unchanged asset costs one
//! read), runs build steps, writes zips, checks Lambda's size limits,
//! checks docker and builds images. An error there stops the deploy with
//! nothing published and nothing deployed.

pub mod build;
mod deflate;
pub mod docker;
pub mod folder;
pub mod store;
pub mod zip;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use formwork_core::asset::{
    ASSETS_REPOSITORY, ASSETS_STACK, Asset, AssetKind, Destination, Excludes, FileEntry,
    LAMBDA_UNZIPPED_LIMIT, walk,
};
use formwork_core::{Assembly, AssetArtifact};

use crate::aws::{Aws, AwsError, words};
use crate::error::{Error, Result};
use crate::plan::{Plan, StepId, StepKind};
use crate::s3objects::{self, ObjectVersion};
use docker::Docker;

/// Adds the asset steps for the stacks of the plan, wiring publish before
/// use, bucket before upload and upload before invalidation.
pub fn add_steps(plan: &mut Plan, asm: &Assembly, default_region: Option<&str>) {
    let mut store_steps: BTreeMap<Option<String>, StepId> = BTreeMap::new();
    let mut invalidations: BTreeMap<(String, String), Vec<(usize, StepId)>> = BTreeMap::new();
    for (index, a) in asm.assets.iter().enumerate() {
        let region = region_of(asm, a).or_else(|| default_region.map(str::to_owned));
        let consumers: Vec<StepId> = a
            .consumers
            .iter()
            .filter_map(|c| plan.stack_step(c))
            .collect();
        match &a.asset.destination {
            Destination::AssetsBucket { .. } | Destination::AssetsRepository { .. } => {
                if consumers.is_empty() {
                    continue;
                }
                let store = *store_steps.entry(region.clone()).or_insert_with(|| {
                    plan.add(
                        StepKind::AssetsStack {
                            region: region.clone(),
                        },
                        &[],
                    )
                });
                let id = plan.add(
                    StepKind::PublishAsset {
                        index,
                        label: a.asset.id(),
                        region,
                    },
                    &[store],
                );
                for c in consumers {
                    plan.add_dependency(c, id);
                }
            }
            Destination::Repository { stack, .. } => {
                if consumers.is_empty() {
                    continue;
                }
                let after: Vec<StepId> = plan.stack_step(stack).into_iter().collect();
                let id = plan.add(
                    StepKind::PublishAsset {
                        index,
                        label: a.asset.id(),
                        region,
                    },
                    &after,
                );
                for c in consumers {
                    plan.add_dependency(c, id);
                }
            }
            Destination::Bucket {
                stack, invalidate, ..
            } => {
                let Some(bucket_step) = plan.stack_step(stack) else {
                    continue;
                };
                let mut after = vec![bucket_step];
                for step in invalidate.iter().filter_map(|(s, _)| plan.stack_step(s)) {
                    if !after.contains(&step) {
                        after.push(step);
                    }
                }
                let id = plan.add(
                    StepKind::DeployFiles {
                        index,
                        label: a.asset.id(),
                        region,
                    },
                    &after,
                );
                for d in invalidate {
                    invalidations
                        .entry(d.clone())
                        .or_default()
                        .push((index, id));
                }
            }
        }
    }
    for ((stack, logical_id), deployments) in invalidations {
        let region = asm
            .stacks
            .iter()
            .find(|s| s.name == stack)
            .and_then(|s| s.env.region.clone())
            .or_else(|| default_region.map(str::to_owned));
        let after: Vec<StepId> = deployments.iter().map(|(_, s)| *s).collect();
        plan.add(
            StepKind::Invalidate {
                stack,
                logical_id,
                assets: deployments.iter().map(|(i, _)| *i).collect(),
                region,
            },
            &after,
        );
    }
}

/// The region of an asset: its first consumer's, else its bucket's stack's.
fn region_of(asm: &Assembly, a: &AssetArtifact) -> Option<String> {
    let stack = a
        .consumers
        .first()
        .map(String::as_str)
        .or_else(|| a.asset.after_stack());
    stack.and_then(|n| {
        asm.stacks
            .iter()
            .find(|s| s.name == n)
            .and_then(|s| s.env.region.clone())
    })
}

/// What `prepare` left for a step to do.
#[derive(Clone, Debug)]
enum Ready {
    /// Already at its destination.
    Published,
    /// A zip to upload.
    Zip(PathBuf),
    /// A local image to tag and push.
    Image(String),
    /// Files to compare and upload.
    Files(Vec<FileEntry>),
}

/// Builds, packages and publishes the assets of one deploy.
#[derive(Debug)]
pub struct Publisher<'a> {
    asm: &'a Assembly,
    aws: &'a Aws,
    docker: Docker,
    out_dir: PathBuf,
    account: Mutex<Option<String>>,
    ready: Mutex<BTreeMap<usize, Ready>>,
    changed: Mutex<HashSet<usize>>,
    logged_in: Mutex<HashSet<String>>,
    /// What [`Publisher::read_published`] found: by asset index.
    found: Mutex<HashMap<usize, Found>>,
    /// The stacks this deploy leaves as they are (their buckets too).
    unchanged: Mutex<HashSet<String>>,
}

/// What is at an asset's destination, read before anything runs.
#[derive(Clone, Debug)]
enum Found {
    /// A zip or image: whether it is already published.
    Published(bool),
    /// A folder's bucket and its objects under the prefix (key → ETag).
    Objects {
        bucket: String,
        objects: BTreeMap<String, String>,
    },
}

/// The objects under `prefix` of a `list-objects-v2` answer: key → ETag.
fn objects_of(listed: &serde_json::Value) -> BTreeMap<String, String> {
    let mut remote = BTreeMap::new();
    if let Some(items) = listed["Contents"].as_array() {
        for o in items {
            if let (Some(k), Some(e)) = (o["Key"].as_str(), o["ETag"].as_str()) {
                remote.insert(k.to_owned(), e.trim_matches('"').to_owned());
            }
        }
    }
    remote
}

fn q(s: &str) -> String {
    crate::aws::shell_quote(s)
}

impl<'a> Publisher<'a> {
    /// A publisher writing zips under `out_dir/assets`.
    pub fn new(asm: &'a Assembly, aws: &'a Aws, out_dir: &Path) -> Publisher<'a> {
        Publisher {
            asm,
            aws,
            docker: Docker::new(),
            out_dir: out_dir.to_path_buf(),
            account: Mutex::new(None),
            ready: Mutex::new(BTreeMap::new()),
            changed: Mutex::new(HashSet::new()),
            logged_in: Mutex::new(HashSet::new()),
            found: Mutex::new(HashMap::new()),
            unchanged: Mutex::new(HashSet::new()),
        }
    }

    /// Uses an account already known (from the prerequisite check).
    pub fn with_account(self, account: Option<String>) -> Self {
        if let Ok(mut a) = self.account.lock() {
            *a = account;
        }
        self
    }

    /// Says which stacks this deploy leaves as they are: a folder's
    /// objects read by [`Publisher::read_published`] are used only when its
    /// bucket's stack is one of them.
    pub fn set_unchanged(&self, stacks: impl IntoIterator<Item = String>) {
        if let Ok(mut u) = self.unchanged.lock() {
            u.extend(stacks);
        }
    }

    /// Reads, all at once, the objects already in the bucket of every
    /// folder deployment of the plan whose bucket's stack is deployed
    /// (`existing` names those stacks), with `list-objects-v2`; the
    /// bucket's name comes from its template when that names it, else from
    /// `describe-stack-resource`. Nothing changes; a read that fails
    /// leaves the question to the step.
    pub fn read_published(&self, plan: &Plan, existing: &HashSet<String>) {
        let jobs: Vec<(usize, Option<String>)> = plan
            .steps()
            .iter()
            .filter_map(|step| match &step.kind {
                StepKind::DeployFiles { index, region, .. } => Some((*index, region.clone())),
                _ => None,
            })
            .collect();
        let found = crate::par::map(&jobs, |(index, region)| {
            let a = self.asset(*index).ok()?;
            let region = region.as_deref();
            let Destination::Bucket {
                stack,
                logical_id,
                prefix,
                ..
            } = &a.destination
            else {
                return None;
            };
            if !existing.contains(stack) {
                return None;
            }
            let bucket = match self.named_bucket(stack, logical_id, region) {
                Some(b) => b,
                None => self.physical_id(stack, logical_id, region).ok()?,
            };
            let listed = self.list(&bucket, prefix, region).ok()?;
            Some(Found::Objects {
                bucket,
                objects: objects_of(&listed),
            })
        });
        if let Ok(mut f) = self.found.lock() {
            for ((index, _), x) in jobs.iter().zip(found) {
                if let Some(x) = x {
                    f.insert(*index, x);
                }
            }
        }
    }

    /// The name of a bucket whose template gives it one: a literal, or a
    /// `Fn::Sub` of the account and region alone.
    fn named_bucket(&self, stack: &str, logical_id: &str, region: Option<&str>) -> Option<String> {
        let st = self.asm.stacks.iter().find(|s| s.name == stack)?;
        let t: serde_json::Value = serde_json::from_str(&st.template).ok()?;
        let name = t.pointer(&format!("/Resources/{logical_id}/Properties/BucketName"))?;
        let text = match name {
            serde_json::Value::String(s) => return Some(s.clone()),
            serde_json::Value::Object(o) if o.len() == 1 => o.get("Fn::Sub")?.as_str()?,
            _ => return None,
        };
        let mut out = text.to_owned();
        if out.contains("${AWS::AccountId}") {
            out = out.replace("${AWS::AccountId}", &self.account().ok()?);
        }
        if out.contains("${AWS::Region}") {
            out = out.replace("${AWS::Region}", &Publisher::region(region, self.aws).ok()?);
        }
        (!out.contains("${")).then_some(out)
    }

    /// True when every stack of the deploy that runs asset `index` is
    /// left as it is (see [`Publisher::set_unchanged`]).
    fn unused(&self, index: usize) -> bool {
        let Some(a) = self.asm.assets.get(index) else {
            return false;
        };
        let Ok(u) = self.unchanged.lock() else {
            return false;
        };
        !a.consumers.is_empty() && a.consumers.iter().all(|c| u.contains(c))
    }

    fn found(&self, index: usize) -> Option<Found> {
        self.found.lock().ok()?.get(&index).cloned()
    }

    /// True when every zip and image the plan publishes to an assets stack
    /// (of any region) is already there: the assets stacks exist and need
    /// no visit. Known after [`Publisher::prepare`].
    fn all_published(&self) -> bool {
        let Ok(r) = self.ready.lock() else {
            return false;
        };
        r.iter().all(|(i, ready)| {
            let to_store = self.asm.assets.get(*i).is_some_and(|a| {
                matches!(
                    a.asset.destination,
                    Destination::AssetsBucket { .. } | Destination::AssetsRepository { .. }
                )
            });
            !to_store || matches!(ready, Ready::Published)
        })
    }

    /// Uses another docker program.
    pub fn with_docker(mut self, docker: Docker) -> Self {
        self.docker = docker;
        self
    }

    fn asset(&self, index: usize) -> Result<&'a Asset> {
        self.asm
            .assets
            .get(index)
            .map(|a| &a.asset)
            .ok_or_else(|| Error::failed(format!("no asset {index}")))
    }

    /// The caller's account (`sts get-caller-identity`, once).
    pub fn account(&self) -> Result<String> {
        Ok(self.account_or_aws_error()?)
    }

    /// [`Publisher::account`] with the AWS CLI's own error.
    pub fn account_or_aws_error(&self) -> std::result::Result<String, AwsError> {
        let mut g = self.account.lock().map_err(|_| AwsError {
            command: "sts get-caller-identity".into(),
            stderr: "poisoned lock".into(),
        })?;
        if let Some(a) = &*g {
            return Ok(a.clone());
        }
        let args = words(&["sts", "get-caller-identity"]);
        let v = self.aws.json(&args, None)?;
        let a = v["Account"]
            .as_str()
            .ok_or_else(|| AwsError {
                command: self.aws.command_line(&args, None),
                stderr: "the answer names no account".into(),
            })?
            .to_owned();
        *g = Some(a.clone());
        Ok(a)
    }

    fn region(region: Option<&str>, aws: &Aws) -> Result<String> {
        region
            .map(str::to_owned)
            .filter(|r| !r.is_empty())
            .or_else(|| aws.known_region())
            .ok_or_else(|| {
                Error::usage(
                    "assets are published per region, and no region is known: give the stacks a region (FORMWORK_REGION) or pass --region",
                )
            })
    }

    fn assets_bucket(&self, region: Option<&str>) -> Result<String> {
        let r = Publisher::region(region, self.aws)?;
        Ok(store::bucket_name(&self.account()?, &r))
    }

    fn repository_name(a: &Asset) -> &str {
        match &a.destination {
            Destination::Repository { name, .. } => name,
            _ => ASSETS_REPOSITORY,
        }
    }

    /// Does every local part of the plan's asset steps before anything
    /// runs (see the module documentation).
    pub fn prepare(&self, plan: &Plan, log: &dyn Fn(&str)) -> Result<()> {
        // Whether each zip and image a changing stack needs is published:
        // read all at once.
        let reads: Vec<(usize, Option<String>)> = plan
            .steps()
            .iter()
            .filter_map(|step| match &step.kind {
                StepKind::PublishAsset { index, region, .. } if !self.unused(*index) => {
                    Some((*index, region.clone()))
                }
                _ => None,
            })
            .collect();
        let found = crate::par::map(&reads, |(index, region)| {
            let a = self.asset(*index).ok()?;
            match a.kind {
                AssetKind::Zip => self.zip_published(a, region.as_deref()).ok(),
                AssetKind::Image => Some(self.image_published(a, region.as_deref())),
                AssetKind::Files => None,
            }
        });
        if let Ok(mut f) = self.found.lock() {
            for ((index, _), p) in reads.iter().zip(found) {
                if let Some(p) = p {
                    f.insert(*index, Found::Published(p));
                }
            }
        }
        let mut docker_checked = false;
        for step in plan.steps() {
            if let StepKind::PublishAsset { index, .. } = &step.kind
                && self.unused(*index)
            {
                // Every stack that runs it is deployed already with this
                // very hash: it was published before them, and nothing
                // reads it again.
                let a = self.asset(*index)?;
                log(&format!(
                    "{}: its stacks are unchanged, nothing to publish",
                    a.id()
                ));
                self.ready
                    .lock()
                    .map_err(|_| Error::failed("poisoned lock"))?
                    .insert(*index, Ready::Published);
                continue;
            }
            let (index, region) = match &step.kind {
                StepKind::PublishAsset { index, region, .. }
                | StepKind::DeployFiles { index, region, .. } => (*index, region.as_deref()),
                _ => continue,
            };
            let a = self.asset(index)?;
            let ready = match a.kind {
                AssetKind::Zip => self.prepare_zip(index, a, region, log)?,
                AssetKind::Image => {
                    let published = match self.found(index) {
                        Some(Found::Published(p)) => p,
                        _ => self.image_published(a, region),
                    };
                    if published {
                        log(&format!(
                            "{}: image already in {}",
                            a.id(),
                            Publisher::repository_name(a)
                        ));
                        Ready::Published
                    } else {
                        if !docker_checked {
                            self.docker.check(&a.path)?;
                            docker_checked = true;
                        }
                        let tag = docker::local_tag(a);
                        log(&format!(
                            "{}: docker build {} for {}",
                            a.id(),
                            a.source,
                            a.platform
                                .map(|p| p.as_str())
                                .unwrap_or("the default platform")
                        ));
                        self.docker.build(a, &tag)?;
                        Ready::Image(tag)
                    }
                }
                AssetKind::Files => Ready::Files(self.built_files(a, log)?),
            };
            self.ready
                .lock()
                .map_err(|_| Error::failed("poisoned lock"))?
                .insert(index, ready);
        }
        Ok(())
    }

    /// Runs the build step (if any) and lists the files to package.
    fn built_files(&self, a: &Asset, log: &dyn Fn(&str)) -> Result<Vec<FileEntry>> {
        let mut root = a.source_dir.clone();
        if let Some(b) = &a.build {
            log(&format!("{}: building with `{}`", a.id(), b.command()));
            build::run_build(&a.path, &a.source_dir, b.command())?;
            if let Some(o) = b.output_dir() {
                root = root.join(o);
            }
        }
        let files = walk(&root, &Excludes::new(&a.excludes)).map_err(|e| {
            Error::failed(format!(
                "{}: cannot read {}{}: {e}",
                a.path,
                root.display(),
                if a.build.is_some() {
                    " (did the build step write it?)"
                } else {
                    ""
                }
            ))
        })?;
        if files.is_empty() {
            return Err(Error::failed(format!(
                "{}: {} has no file to publish{}",
                a.path,
                root.display(),
                if a.build.is_some() {
                    " after the build step"
                } else {
                    ""
                }
            )));
        }
        Ok(files)
    }

    /// Whether the zip of `a` is in the assets bucket.
    fn zip_published(&self, a: &Asset, region: Option<&str>) -> Result<bool> {
        let key = format!("{}.zip", a.hash);
        let bucket = self.assets_bucket(region)?;
        Ok(self
            .aws
            .run(
                &words(&["s3api", "head-object", "--bucket", &bucket, "--key", &key]),
                region,
            )
            .is_ok())
    }

    fn prepare_zip(
        &self,
        index: usize,
        a: &Asset,
        region: Option<&str>,
        log: &dyn Fn(&str),
    ) -> Result<Ready> {
        let key = format!("{}.zip", a.hash);
        let bucket = self.assets_bucket(region)?;
        let published = match self.found(index) {
            Some(Found::Published(p)) => p,
            _ => self.zip_published(a, region)?,
        };
        if published {
            log(&format!("{}: already in s3://{bucket}/{key}", a.id()));
            return Ok(Ready::Published);
        }
        let files = self.built_files(a, log)?;
        let unzipped: u64 = files.iter().map(|f| f.size).sum();
        if unzipped > LAMBDA_UNZIPPED_LIMIT {
            return Err(Error::failed(format!(
                "{}: the code is {unzipped} bytes unzipped; Lambda allows {LAMBDA_UNZIPPED_LIMIT} (250 MB): leave out what the function does not need, or use a container image",
                a.path
            )));
        }
        let dir = self.out_dir.join("assets");
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::failed(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join(&key);
        let stats = zip::write_zip(&files, &path).map_err(|e| {
            Error::failed(format!("{}: cannot write {}: {e}", a.path, path.display()))
        })?;
        log(&format!(
            "{}: {} files, {} bytes zipped to {}",
            a.id(),
            stats.files,
            stats.zipped_bytes,
            path.display()
        ));
        Ok(Ready::Zip(path))
    }

    fn image_published(&self, a: &Asset, region: Option<&str>) -> bool {
        let repo = Publisher::repository_name(a);
        self.aws
            .run(
                &words(&[
                    "ecr",
                    "describe-images",
                    "--repository-name",
                    repo,
                    "--image-ids",
                    &format!("imageTag={}", a.hash),
                ]),
                region,
            )
            .is_ok()
    }

    fn take(&self, index: usize) -> Result<Ready> {
        self.ready
            .lock()
            .map_err(|_| Error::failed("poisoned lock"))?
            .get(&index)
            .cloned()
            .ok_or_else(|| Error::failed(format!("asset {index} was not prepared")))
    }

    /// Runs one asset step of the plan; `false` for a step that is not one.
    pub fn run_step(&self, kind: &StepKind, log: &dyn Fn(&str)) -> Result<bool> {
        match kind {
            StepKind::AssetsStack { region } => self.ensure_store(region.as_deref(), log)?,
            StepKind::PublishAsset { index, region, .. } => {
                self.publish(*index, region.as_deref(), log)?
            }
            StepKind::DeployFiles { index, region, .. } => {
                self.deploy_files(*index, region.as_deref(), log)?
            }
            StepKind::Invalidate {
                stack,
                logical_id,
                assets,
                region,
            } => self.invalidate(stack, logical_id, assets, region.as_deref(), log)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn ensure_store(&self, region: Option<&str>, log: &dyn Fn(&str)) -> Result<()> {
        if self.all_published() {
            log(&format!(
                "{ASSETS_STACK}: not visited (every asset is already published)"
            ));
            return Ok(());
        }
        let current = self.aws.json(
            &words(&[
                "cloudformation",
                "get-template",
                "--stack-name",
                ASSETS_STACK,
            ]),
            region,
        );
        let wanted: serde_json::Value = serde_json::from_str(store::TEMPLATE)
            .map_err(|e| Error::failed(format!("the assets template: {e}")))?;
        if let Ok(v) = current {
            let body = match &v["TemplateBody"] {
                serde_json::Value::String(s) => serde_json::from_str(s).unwrap_or_default(),
                other => other.clone(),
            };
            if body == wanted {
                log(&format!("{ASSETS_STACK}: up to date"));
                return Ok(());
            }
        }
        let file = self.out_dir.join(format!("{ASSETS_STACK}.template.json"));
        std::fs::write(&file, store::TEMPLATE)
            .map_err(|e| Error::failed(format!("cannot write {}: {e}", file.display())))?;
        log(&format!(
            "{ASSETS_STACK}: deploying the assets bucket and repository"
        ));
        self.aws.run(&store_deploy_args(&file), region)?;
        Ok(())
    }

    fn publish(&self, index: usize, region: Option<&str>, log: &dyn Fn(&str)) -> Result<()> {
        let a = self.asset(index)?;
        match self.take(index)? {
            Ready::Published | Ready::Files(_) => Ok(()),
            Ready::Zip(path) => {
                let bucket = self.assets_bucket(region)?;
                let dest = format!("s3://{bucket}/{}.zip", a.hash);
                log(&format!("{}: uploading to {dest}", a.id()));
                self.aws.run(
                    &[
                        "s3".into(),
                        "cp".into(),
                        path.to_string_lossy().into_owned(),
                        dest,
                        "--only-show-errors".into(),
                    ],
                    region,
                )?;
                Ok(())
            }
            Ready::Image(local) => {
                let repo = Publisher::repository_name(a);
                let v = self.aws.json(
                    &words(&["ecr", "describe-repositories", "--repository-names", repo]),
                    region,
                )?;
                let uri = v["repositories"][0]["repositoryUri"]
                    .as_str()
                    .ok_or_else(|| Error::failed(format!("no repository {repo}")))?
                    .to_owned();
                let remote = format!("{uri}:{}", a.hash);
                let registry = docker::registry_of(&uri).to_owned();
                let login = || -> Result<()> {
                    let pw = self
                        .aws
                        .run(&words(&["ecr", "get-login-password"]), region)?;
                    self.docker.login(&registry, &pw)?;
                    if let Ok(mut l) = self.logged_in.lock() {
                        l.insert(registry.clone());
                    }
                    Ok(())
                };
                log(&format!("{}: docker push {remote}", a.id()));
                self.docker.push(&a.path, &local, &remote, &login)
            }
        }
    }

    fn list(&self, bucket: &str, prefix: &str, region: Option<&str>) -> Result<serde_json::Value> {
        Ok(self.aws.json(
            &words(&[
                "s3api",
                "list-objects-v2",
                "--bucket",
                bucket,
                "--prefix",
                prefix,
            ]),
            region,
        )?)
    }

    fn physical_id(&self, stack: &str, logical_id: &str, region: Option<&str>) -> Result<String> {
        crate::deployed::physical_id(self.aws, stack, logical_id, region)?
            .ok_or_else(|| Error::failed(format!("{stack}/{logical_id} has no physical id")))
    }

    fn deploy_files(&self, index: usize, region: Option<&str>, log: &dyn Fn(&str)) -> Result<()> {
        let a = self.asset(index)?;
        let Destination::Bucket {
            stack,
            logical_id,
            prefix,
            prune,
            ..
        } = &a.destination
        else {
            return Ok(());
        };
        let Ready::Files(files) = self.take(index)? else {
            return Ok(());
        };
        let settled = self
            .unchanged
            .lock()
            .is_ok_and(|u| u.contains(stack.as_str()));
        let (bucket, remote) = match self.found(index) {
            // Read before the deploy, and the bucket's stack did not change.
            Some(Found::Objects { bucket, objects }) if settled => (bucket, objects),
            _ => {
                let bucket = self.physical_id(stack, logical_id, region)?;
                let listed = self.list(&bucket, prefix, region)?;
                (bucket, objects_of(&listed))
            }
        };
        let changes = folder::compare(&files, prefix, &remote, *prune)
            .map_err(|e| Error::failed(format!("{}: {e}", a.path)))?;
        if changes.is_empty() {
            log(&format!("{}: s3://{bucket}/{prefix} is up to date", a.id()));
            return Ok(());
        }
        for (key, f) in &changes.upload {
            self.aws.run(
                &[
                    "s3api".into(),
                    "put-object".into(),
                    "--bucket".into(),
                    bucket.clone(),
                    "--key".into(),
                    key.clone(),
                    "--body".into(),
                    f.path.to_string_lossy().into_owned(),
                    "--content-type".into(),
                    folder::content_type(&f.rel).into(),
                ],
                region,
            )?;
        }
        let removed: Vec<ObjectVersion> = changes.delete.iter().map(ObjectVersion::key).collect();
        s3objects::delete(self.aws, &bucket, region, &removed).map_err(|e| {
            Error::failed(format!(
                "{}: removing from s3://{bucket}/{prefix} the files the folder no longer has: {e}",
                a.id()
            ))
        })?;
        log(&format!(
            "{}: s3://{bucket}/{prefix}: {} uploaded, {} deleted",
            a.id(),
            changes.upload.len(),
            changes.delete.len()
        ));
        if let Ok(mut c) = self.changed.lock() {
            c.insert(index);
        }
        Ok(())
    }

    fn invalidate(
        &self,
        stack: &str,
        logical_id: &str,
        assets: &[usize],
        region: Option<&str>,
        log: &dyn Fn(&str),
    ) -> Result<()> {
        let changed = self
            .changed
            .lock()
            .map(|c| assets.iter().any(|i| c.contains(i)))
            .unwrap_or(true);
        if !changed {
            log(&format!(
                "{stack}/{logical_id}: nothing changed, no invalidation"
            ));
            return Ok(());
        }
        let id = self.physical_id(stack, logical_id, region)?;
        log(&format!("{stack}/{logical_id}: invalidating /* of {id}"));
        self.aws.run(
            &words(&[
                "cloudfront",
                "create-invalidation",
                "--distribution-id",
                &id,
                "--paths",
                "/*",
            ]),
            region,
        )?;
        Ok(())
    }
}

fn store_deploy_args(file: &Path) -> Vec<String> {
    vec![
        "cloudformation".into(),
        "deploy".into(),
        "--template-file".into(),
        file.to_string_lossy().into_owned(),
        "--stack-name".into(),
        ASSETS_STACK.into(),
        "--no-fail-on-empty-changeset".into(),
    ]
}

/// The local commands of an asset step (build steps, `docker build`),
/// which `deploy` runs before any step of the plan.
pub fn dry_run_prepare_lines(asm: &Assembly, out_dir: &Path, kind: &StepKind) -> Vec<String> {
    let (StepKind::PublishAsset { index, .. } | StepKind::DeployFiles { index, .. }) = kind else {
        return Vec::new();
    };
    let Some(a) = asm.assets.get(*index).map(|a| &a.asset) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    if let Some(b) = &a.build {
        lines.push(format!(
            "cd {} && {} && cd {}",
            q(&a.source_dir.to_string_lossy()),
            b.command(),
            q(&std::env::current_dir()
                .unwrap_or_default()
                .to_string_lossy())
        ));
    }
    match a.kind {
        AssetKind::Image => {
            let mut build: Vec<String> = Docker::build_args(a, &docker::local_tag(a))
                .into_iter()
                .map(|w| q(&w))
                .collect();
            build.insert(0, "docker".into());
            lines.push(build.join(" "));
        }
        AssetKind::Zip => {
            let root = match a.build.as_ref().and_then(|b| b.output_dir()) {
                Some(o) => a.source_dir.join(o),
                None => a.source_dir.clone(),
            };
            let zip = out_dir.join("assets").join(format!("{}.zip", a.hash));
            lines.extend(zip_commands(&root, &zip, &a.excludes));
        }
        AssetKind::Files => {}
    }
    lines
}

/// Commands that package `root` as `zip`, leaving out `excludes`: with
/// `zip` (bash, on Linux and macOS) and with the `tar.exe` Windows ships
/// (PowerShell). The files are the ones formwork zips; formwork's own zip
/// has sorted entries and fixed times, so its bytes (and the function's
/// `CodeSha256`) are the same on every machine, which these are not.
fn zip_commands(root: &Path, zip: &Path, excludes: &[String]) -> Vec<String> {
    let mut zip_x = String::new();
    let mut tar_x = String::new();
    let mut included_again = Vec::new();
    for p in excludes.iter().map(|p| p.trim()) {
        if p.is_empty() || p.starts_with('#') {
            continue;
        }
        if let Some(again) = p.strip_prefix('!') {
            included_again.push(again.to_owned());
            continue;
        }
        let anchored = p.starts_with('/');
        let p = p.trim_start_matches('/').trim_end_matches('/');
        // zip's `*` crosses `/`, as formwork's `**` does.
        let z = p.replace("**", "*");
        let mut forms = vec![z.clone(), format!("{z}/*")];
        if !anchored && !p.contains('/') {
            forms.extend([format!("*/{z}"), format!("*/{z}/*")]);
        }
        for f in forms {
            zip_x.push_str(&format!(" -x {}", q(&f)));
        }
        tar_x.push_str(&format!(" --exclude {}", ps_quote(p)));
    }
    let mut lines = vec![
        format!(
            "(cd {} && zip -q -r -X -D {} .{zip_x})  # bash: zip the code",
            q(&root.to_string_lossy()),
            q(&zip.to_string_lossy())
        ),
        format!(
            "tar.exe -a -c -f {} -C {}{tar_x} .  # PowerShell: zip the code",
            ps_quote(&zip.to_string_lossy()),
            ps_quote(&root.to_string_lossy())
        ),
    ];
    if !included_again.is_empty() {
        lines.push(format!(
            "# then add back what the excludes include again: {}",
            included_again.join(", ")
        ));
    }
    lines
}

/// Quotes one word for PowerShell when it needs it.
fn ps_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:\\".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "''"))
    }
}

/// The commands of an asset step, to paste into bash or PowerShell
/// (`"$(…)"` substitutes in both), after [`dry_run_prepare_lines`].
pub fn dry_run_lines(asm: &Assembly, aws: &Aws, out_dir: &Path, kind: &StepKind) -> Vec<String> {
    let sub = |args: &[&str], region: Option<&str>| {
        format!("$({})", aws.command_line(&words(args), region))
    };
    let account = |region: Option<&str>| {
        sub(
            &[
                "sts",
                "get-caller-identity",
                "--query",
                "Account",
                "--output",
                "text",
            ],
            region,
        )
    };
    let resource = |stack: &str, id: &str, region: Option<&str>| {
        sub(
            &[
                "cloudformation",
                "describe-stack-resource",
                "--stack-name",
                stack,
                "--logical-resource-id",
                id,
                "--query",
                "StackResourceDetail.PhysicalResourceId",
                "--output",
                "text",
            ],
            region,
        )
    };
    let region_word = |region: Option<&str>| {
        region
            .map(str::to_owned)
            .or_else(|| aws.options.region.clone())
            .unwrap_or_else(|| "<region>".into())
    };
    let mut lines = Vec::new();
    match kind {
        StepKind::AssetsStack { region } => {
            let file = out_dir.join(format!("{ASSETS_STACK}.template.json"));
            lines.push(aws.command_line(&store_deploy_args(&file), region.as_deref()));
        }
        StepKind::PublishAsset { index, region, .. } => {
            let Some(a) = asm.assets.get(*index).map(|a| &a.asset) else {
                return lines;
            };
            let region = region.as_deref();
            match a.kind {
                AssetKind::Image => {
                    let repo = Publisher::repository_name(a);
                    let registry = format!(
                        "{}.dkr.ecr.{}.amazonaws.com",
                        account(region),
                        region_word(region)
                    );
                    let image = format!("{registry}/{repo}:{}", a.hash);
                    lines.push(format!(
                        "{} | docker login --username AWS --password-stdin \"{registry}\"",
                        aws.command_line(&words(&["ecr", "get-login-password"]), region)
                    ));
                    lines.push(format!(
                        "docker tag {} \"{image}\"",
                        q(&docker::local_tag(a))
                    ));
                    lines.push(format!("docker push \"{image}\""));
                }
                _ => {
                    let zip = out_dir.join("assets").join(format!("{}.zip", a.hash));
                    let dest = format!(
                        "\"s3://{}-{}-{}/{}.zip\"",
                        formwork_core::asset::ASSETS_BUCKET_PREFIX,
                        account(region),
                        region_word(region),
                        a.hash
                    );
                    let mut cp = aws.command_line(
                        &["s3".into(), "cp".into(), zip.to_string_lossy().into_owned()],
                        region,
                    );
                    // The destination goes right after the source.
                    let head = aws.command_line(
                        &["s3".into(), "cp".into(), zip.to_string_lossy().into_owned()],
                        None,
                    );
                    if let Some(rest) = cp.strip_prefix(&head) {
                        cp = format!("{head} {dest}{rest}");
                    }
                    lines.push(cp);
                }
            }
        }
        StepKind::DeployFiles { index, region, .. } => {
            let Some(a) = asm.assets.get(*index).map(|a| &a.asset) else {
                return lines;
            };
            let Destination::Bucket {
                stack,
                logical_id,
                prefix,
                prune,
                ..
            } = &a.destination
            else {
                return lines;
            };
            let region = region.as_deref();
            let root = match a.build.as_ref().and_then(|b| b.output_dir()) {
                Some(o) => a.source_dir.join(o),
                None => a.source_dir.clone(),
            };
            let dest = format!("\"s3://{}/{prefix}\"", resource(stack, logical_id, region));
            let single = root.is_file();
            let verb = if single { "cp" } else { "sync" };
            let src = root.to_string_lossy().into_owned();
            let head = aws.command_line(&["s3".into(), verb.into(), src.clone()], None);
            let full = aws.command_line(&["s3".into(), verb.into(), src], region);
            let rest = full.strip_prefix(&head).unwrap_or("");
            let dest = if single {
                format!(
                    "\"s3://{}/{prefix}{}\"",
                    resource(stack, logical_id, region),
                    root.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                )
            } else {
                dest
            };
            let delete = if *prune && !single { " --delete" } else { "" };
            lines.push(format!("{head} {dest}{delete}{rest}"));
        }
        StepKind::Invalidate {
            stack,
            logical_id,
            region,
            ..
        } => {
            let region = region.as_deref();
            let head = aws.command_line(&words(&["cloudfront", "create-invalidation"]), None);
            let full = aws.command_line(
                &words(&["cloudfront", "create-invalidation", "--paths", "/*"]),
                region,
            );
            let rest = full.strip_prefix(&head).unwrap_or("");
            lines.push(format!(
                "{head} --distribution-id \"{}\"{rest}",
                resource(stack, logical_id, region)
            ));
        }
        _ => {}
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dry run's bash command zips the files formwork zips: run with
    /// `sh` and read back with Python's zipfile.
    #[cfg(unix)]
    #[test]
    fn the_dry_run_zip_command_packages_the_same_files() {
        let d = formwork_test_support::scratch_dir("dry-run-zip");
        let root = d.join("code dir");
        for f in [
            "index.js",
            "lib/util.js",
            "node_modules/x/i.js",
            "src/node_modules/y.js",
            "debug.log",
            "keep/it.txt",
            "build/out.js",
            "src/build/in.js",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, f).expect("write");
        }
        let excludes: Vec<String> = ["node_modules", "*.log", "/build/"]
            .map(String::from)
            .to_vec();
        let want: Vec<String> = walk(&root, &Excludes::new(&excludes))
            .expect("walk")
            .into_iter()
            .map(|f| f.rel)
            .collect();
        let zip = d.join("out.zip");
        let lines = zip_commands(&root, &zip, &excludes);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[1].starts_with("tar.exe -a -c -f ")
                && lines[1].contains("--exclude node_modules --exclude '*.log' --exclude build"),
            "{}",
            lines[1]
        );
        if !formwork_test_support::tool_or_skip("zip", "the dry-run zip command test")
            || !formwork_test_support::tool_or_skip("python3", "the dry-run zip command test")
        {
            return;
        }
        let bash = lines[0].split("  # bash").next().expect("command");
        let out = std::process::Command::new("sh")
            .args(["-c", bash])
            .output()
            .expect("sh");
        assert!(out.status.success(), "{bash}: {out:?}");
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import sys, zipfile\nfor n in sorted(zipfile.ZipFile(sys.argv[1]).namelist()): print(n)",
            ])
            .arg(&zip)
            .output()
            .expect("python3");
        let got: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect();
        assert_eq!(got, want);
        assert_eq!(
            want,
            ["index.js", "keep/it.txt", "lib/util.js", "src/build/in.js"]
        );
    }
}
