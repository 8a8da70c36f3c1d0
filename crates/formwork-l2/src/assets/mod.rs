//! Container images built from a folder with a Dockerfile, shared by Lambda
//! functions (`Code::image_asset`) and ECS containers
//! (`ContainerImage::from_asset`).
//!
//! The image is built by `deploy` for the platform of what runs it
//! (`linux/amd64` for x86_64, `linux/arm64` for arm64; an explicit
//! [`ImageAsset::platform`] that differs is error `FW0707`), with
//! `--provenance=false` so the registry gets a single-platform manifest
//! Lambda accepts, tagged with the content hash of the folder (minus
//! `.dockerignore`) and the build options, and pushed before any stack that
//! runs it. Templates name it by that tag in a repository with immutable
//! tags: a changed folder is a new tag, so the new image rolls out with the
//! stack, and an unchanged one changes nothing.

use formwork_core::asset::{
    AssetKind, AssetSpec, Destination, DockerBuild, Platform, assets_image_uri, codes,
};
use formwork_core::{Diagnostic, Expr, Scope};

/// A container image built from a local folder (see the module
/// documentation).
///
/// ```
/// use formwork::assets::ImageAsset;
/// use formwork::assets::Platform;
/// let image = ImageAsset::from_dir("app")
///     .dockerfile("docker/Dockerfile.lambda")
///     .build_arg("PYTHON_VERSION", "3.12")
///     .target("runtime")
///     .platform(Platform::LinuxAmd64);
/// assert_eq!(image.dir(), "app");
/// ```
#[derive(Clone, Debug)]
pub struct ImageAsset {
    dir: String,
    docker: DockerBuild,
    platform: Option<Platform>,
    excludes: Vec<String>,
    #[cfg(feature = "ecr")]
    repository: Option<crate::ecr::Repository>,
}

impl PartialEq for ImageAsset {
    fn eq(&self, other: &ImageAsset) -> bool {
        #[cfg(feature = "ecr")]
        let same_repo = self.repository.as_ref().map(|r| r.scope().path())
            == other.repository.as_ref().map(|r| r.scope().path());
        #[cfg(not(feature = "ecr"))]
        let same_repo = true;
        self.dir == other.dir
            && self.docker == other.docker
            && self.platform == other.platform
            && self.excludes == other.excludes
            && same_repo
    }
}

impl ImageAsset {
    /// An image built from `dir` (relative to the project folder), with its
    /// `Dockerfile`.
    pub fn from_dir(dir: impl Into<String>) -> ImageAsset {
        ImageAsset {
            dir: dir.into(),
            docker: DockerBuild::default(),
            platform: None,
            excludes: Vec::new(),
            #[cfg(feature = "ecr")]
            repository: None,
        }
    }

    /// The Dockerfile, relative to the folder (default `Dockerfile`).
    pub fn dockerfile(mut self, file: impl Into<String>) -> ImageAsset {
        self.docker.file = Some(file.into());
        self
    }

    /// A `--build-arg` (never a secret: build arguments are kept in the
    /// image's history and listed in `manifest.json`).
    pub fn build_arg(mut self, name: impl Into<String>, value: impl Into<String>) -> ImageAsset {
        self.docker.build_args.push((name.into(), value.into()));
        self
    }

    /// The `--target` stage of a multi-stage Dockerfile.
    pub fn target(mut self, stage: impl Into<String>) -> ImageAsset {
        self.docker.target = Some(stage.into());
        self
    }

    /// The platform the image must be built for. By default the platform of
    /// what runs it; set, it must be that platform (a check, not a choice).
    pub fn platform(mut self, platform: Platform) -> ImageAsset {
        self.platform = Some(platform);
        self
    }

    /// Leaves files out of the hash (on top of `.dockerignore`, which docker
    /// also applies to the build context).
    pub fn exclude<S: Into<String>>(mut self, patterns: impl IntoIterator<Item = S>) -> ImageAsset {
        self.excludes.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Pushes to a repository the app declares instead of the assets
    /// repository. The repository must have a name and be in another stack
    /// than the consumers (`FW0708`): that stack deploys first, then the
    /// image is pushed, then the consumers deploy. Give it immutable tags.
    #[cfg(feature = "ecr")]
    pub fn repository(mut self, repository: &crate::ecr::Repository) -> ImageAsset {
        self.repository = Some(repository.clone());
        self
    }

    /// The repository set with [`ImageAsset::repository`].
    #[cfg(feature = "ecr")]
    pub fn declared_repository(&self) -> Option<&crate::ecr::Repository> {
        self.repository.as_ref()
    }

    /// The folder, as given.
    pub fn dir(&self) -> &str {
        &self.dir
    }

    /// Declares the asset at `node` for a consumer on `platform` and returns
    /// the image URI (`None` when an error was recorded).
    pub(crate) fn image_uri(
        &self,
        node: &Scope,
        platform: Platform,
        property: &str,
    ) -> Option<Expr> {
        if let Some(p) = self.platform {
            if p != platform {
                node.report(
                    Diagnostic::error(
                        codes::PLATFORM,
                        node.path(),
                        format!(
                            "the image of {:?} is built for {}, but this runs on {}",
                            self.dir,
                            p.as_str(),
                            platform.as_str()
                        ),
                    )
                    .property(property)
                    .fix(format!(
                        "build it for {} (or drop `platform`), or set the architecture of what runs it to match",
                        platform.as_str()
                    )),
                );
                return None;
            }
        }
        let spec = AssetSpec::new(AssetKind::Image, self.dir.clone())
            .docker(self.docker.clone())
            .platform(platform)
            .exclude(self.excludes.clone());
        #[cfg(feature = "ecr")]
        if let Some(repo) = &self.repository {
            let Some(name) = repo.literal_name().map(str::to_owned) else {
                node.report(
                    Diagnostic::error(
                        codes::SAME_STACK,
                        node.path(),
                        "the image's repository has no literal name: the deploy pushes to it by name",
                    )
                    .property(property)
                    .fix("give the repository a name (RepositoryProps::repository_name)"),
                );
                return None;
            };
            let stack = repo.scope().stack().name().to_owned();
            let asset = node.add_asset(spec, |h| Destination::Repository {
                stack,
                name,
                tag: h.to_owned(),
            })?;
            return Some(repo.image_uri_for_tag(asset.hash));
        }
        let asset = node.add_asset(spec, |h| Destination::AssetsRepository {
            tag: h.to_owned(),
        })?;
        Some(assets_image_uri(&asset.hash))
    }
}

#[cfg(all(test, feature = "lambda", feature = "ecr"))]
mod tests;
