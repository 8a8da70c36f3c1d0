//! ContainerImage: where a container's image comes from.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Scope, Value};

use super::codes;
use crate::assets::ImageAsset;
use crate::ecr::Repository;
use crate::secretsmanager;

/// Which image of an ECR repository: a tag, or a digest that pins one
/// exact image.
///
/// ```
/// use formwork::ecs::ImageRef;
/// let latest = ImageRef::tag("latest");
/// let pinned = ImageRef::digest(format!("sha256:{}", "ab".repeat(32)));
/// # let _ = (latest, pinned);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum ImageRef {
    /// `<repository uri>:<tag>` (a literal tag is checked by the repository, `FW2502`).
    Tag(Str),
    /// `<repository uri>@<digest>` (`sha256:` and 64 hex digits, `FW2503`).
    Digest(Str),
}

impl ImageRef {
    /// A tag (`latest`, a version, a parameter CI sets).
    pub fn tag(tag: impl Into<Str>) -> ImageRef {
        ImageRef::Tag(tag.into())
    }

    /// A digest (`sha256:…`).
    pub fn digest(digest: impl Into<Str>) -> ImageRef {
        ImageRef::Digest(digest.into())
    }
}

#[derive(Clone, Debug)]
pub(crate) enum ImageSource {
    Ecr {
        repository: Repository,
        reference: ImageRef,
    },
    Registry {
        name: Str,
        credentials: Option<secretsmanager::Secret>,
    },
    Asset(ImageAsset),
}

/// The image a container runs.
///
/// - [`ContainerImage::from_ecr`]: an image of an ECR repository (created
///   in the app or imported with `Repository::from_name`); the task's
///   execution role gets the pull permissions for that repository.
/// - [`ContainerImage::from_registry`]: any other image name
///   (`public.ecr.aws/nginx/nginx:1.27`, `redis:7`), pulled anonymously.
/// - [`ContainerImage::from_registry_with_credentials`]: a private
///   registry, with a Secrets Manager secret holding
///   `{"username": …, "password": …}` that the execution role may read.
///
/// ```
/// use formwork::App;
/// use formwork::ecr::Repository;
/// use formwork::ecs::{ContainerImage, ImageRef};
/// let app = App::new();
/// let stack = app.stack("Weather")?;
/// let repo = Repository::from_name(&stack, "Repository", "weather-comment-generator")?;
/// let app_image = ContainerImage::from_ecr(&repo, ImageRef::tag("latest"));
/// let sidecar = ContainerImage::from_registry("public.ecr.aws/aws-observability/aws-otel-collector:latest");
/// # let _ = (app_image, sidecar);
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ContainerImage {
    pub(crate) source: ImageSource,
}

impl ContainerImage {
    /// An image of an ECR repository, by tag or digest.
    pub fn from_ecr(repository: &Repository, reference: ImageRef) -> ContainerImage {
        ContainerImage {
            source: ImageSource::Ecr {
                repository: repository.clone(),
                reference,
            },
        }
    }

    /// An image built by `deploy` from a local folder with a Dockerfile,
    /// for the task's CPU architecture (see [`ImageAsset`]), pushed to the
    /// assets repository (or the one set with [`ImageAsset::repository`])
    /// before the stack deploys, and named by its content hash. The
    /// execution role may pull from that repository.
    pub fn from_asset(image: ImageAsset) -> ContainerImage {
        ContainerImage {
            source: ImageSource::Asset(image),
        }
    }

    /// An image by name, from a public registry (checked: not empty, no
    /// whitespace, `FW3215`).
    pub fn from_registry(name: impl Into<Str>) -> ContainerImage {
        ContainerImage {
            source: ImageSource::Registry {
                name: name.into(),
                credentials: None,
            },
        }
    }

    /// An image by name from a private registry, whose credentials are in
    /// `credentials` (a Secrets Manager secret with `username` and
    /// `password`).
    pub fn from_registry_with_credentials(
        name: impl Into<Str>,
        credentials: &secretsmanager::Secret,
    ) -> ContainerImage {
        ContainerImage {
            source: ImageSource::Registry {
                name: name.into(),
                credentials: Some(credentials.clone()),
            },
        }
    }

    /// The image URI for `Image` (diagnostics of a literal tag or digest go
    /// to the repository; of a registry name to `node`).
    pub(crate) fn uri(
        &self,
        node: &Scope,
        property: &str,
        platform: formwork_core::asset::Platform,
    ) -> Str {
        match &self.source {
            ImageSource::Asset(image) => image
                .image_uri(node, platform, property)
                .unwrap_or_else(|| formwork_core::Fn::sub("unbuilt-image"))
                .into(),
            ImageSource::Ecr {
                repository,
                reference,
            } => match reference {
                ImageRef::Tag(t) => repository.image_uri_for_tag(t.clone()).into(),
                ImageRef::Digest(d) => repository.image_uri_for_digest(d.clone()).into(),
            },
            ImageSource::Registry { name, .. } => {
                let value: Value = name.clone().into();
                if let Some(text) = value.as_str() {
                    if text.is_empty() || text.chars().any(char::is_whitespace) {
                        node.report(
                            Diagnostic::error(
                                codes::IMAGE,
                                node.path(),
                                format!(
                                    "image name `{text}` is empty or has whitespace; an image is [registry/]repository[:tag|@digest]"
                                ),
                            )
                            .property(property),
                        );
                    }
                }
                name.clone()
            }
        }
    }
}
