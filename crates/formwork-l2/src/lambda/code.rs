//! Where a function's code comes from: inline source, a local folder or
//! file packaged by the deploy, a zip in S3, a container image, or an image
//! built from a local folder.

use formwork_core::asset::BuildStep;
use formwork_core::typed::Str;

use crate::assets::ImageAsset;

/// A function's code.
///
/// ```
/// use formwork::lambda::Code;
/// let inline = Code::inline("def handler(event, context):\n    return {'ok': True}\n");
/// let zip: Code = Code::s3("artifacts-bucket", "chat-proxy/v42.zip").object_version("3sL4kqtJlcpXroDTDmJ").into();
/// let image = Code::image("123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/poc-mc-vision-fastapi@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
/// assert!(image.is_image() && !inline.is_image() && !zip.is_image());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Code(pub(crate) CodeKind);

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum CodeKind {
    Inline(String),
    S3 {
        bucket: Str,
        key: Str,
        version: Option<Str>,
    },
    Image(Str),
    Asset(AssetCode),
    ImageAsset(ImageAsset),
}

impl Code {
    /// Source code written into the template (`Code.ZipFile`): Node.js and
    /// Python only. CloudFormation puts it in a file named `index`, so the
    /// handler must be `index.<function>`.
    pub fn inline(source: impl Into<String>) -> Code {
        Code(CodeKind::Inline(source.into()))
    }

    /// A zip file in an S3 bucket of the function's region. Bucket and key
    /// may be references (`bucket.bucket_name()`); add
    /// [`S3Code::object_version`] to pin a version.
    pub fn s3(bucket: impl Into<Str>, key: impl Into<Str>) -> S3Code {
        S3Code {
            bucket: bucket.into(),
            key: key.into(),
            version: None,
        }
    }

    /// A container image in ECR (`PackageType: Image`). Pin it by digest
    /// (`repo@sha256:…`) so that a new image rolls out with the stack.
    pub fn image(image_uri: impl Into<Str>) -> Code {
        Code(CodeKind::Image(image_uri.into()))
    }

    /// Code from a local folder (or one file), relative to the project
    /// folder: packaged by `deploy` as a deterministic zip named by the
    /// content hash, uploaded to the assets bucket, and named in the
    /// template by that hash (`Code.S3Key`), so a changed folder always
    /// updates the function and an unchanged one uploads nothing. Add a
    /// build step with [`AssetCode::build`].
    ///
    /// ```no_run
    /// use formwork::lambda::Code;
    /// let code: Code = Code::asset("lambda/chat")
    ///     .build("npm ci && npm run build", "dist")
    ///     .exclude(["node_modules"])
    ///     .into();
    /// ```
    pub fn asset(path: impl Into<String>) -> AssetCode {
        AssetCode {
            path: path.into(),
            build: None,
            excludes: Vec::new(),
        }
    }

    /// A container image built from a local folder with a Dockerfile, for
    /// the function's architecture (see [`ImageAsset`]).
    pub fn image_asset(image: ImageAsset) -> Code {
        Code(CodeKind::ImageAsset(image))
    }

    /// True for container images.
    pub fn is_image(&self) -> bool {
        matches!(self.0, CodeKind::Image(_) | CodeKind::ImageAsset(_))
    }
}

/// A zip file in S3, from [`Code::s3`].
#[derive(Clone, Debug, PartialEq)]
pub struct S3Code {
    bucket: Str,
    key: Str,
    version: Option<Str>,
}

impl S3Code {
    /// The object version to deploy (for a versioned bucket).
    pub fn object_version(mut self, version: impl Into<Str>) -> S3Code {
        self.version = Some(version.into());
        self
    }
}

impl From<S3Code> for Code {
    fn from(c: S3Code) -> Code {
        Code(CodeKind::S3 {
            bucket: c.bucket,
            key: c.key,
            version: c.version,
        })
    }
}

/// Code from a local folder or file, from [`Code::asset`].
#[derive(Clone, Debug, PartialEq)]
pub struct AssetCode {
    pub(crate) path: String,
    pub(crate) build: Option<BuildStep>,
    pub(crate) excludes: Vec<String>,
}

impl AssetCode {
    /// Runs `command` in the folder before packaging (at deploy time, with
    /// `sh -c`, or `cmd /C` on Windows) and packages its `output`
    /// sub-folder (`"dist"`; `"."` for the folder itself). The hash covers
    /// the folder's sources (not the output), the command and the output.
    pub fn build(mut self, command: impl Into<String>, output: impl Into<String>) -> AssetCode {
        let output = output.into();
        let mut step = BuildStep::new(command);
        if output != "." && !output.is_empty() {
            step = step.output(output);
        }
        self.build = Some(step);
        self
    }

    /// Leaves out files matching these patterns, from the hash and the zip
    /// (see [`formwork_core::asset::Excludes`]).
    pub fn exclude<S: Into<String>>(mut self, patterns: impl IntoIterator<Item = S>) -> AssetCode {
        self.excludes.extend(patterns.into_iter().map(Into::into));
        self
    }
}

impl From<AssetCode> for Code {
    fn from(c: AssetCode) -> Code {
        Code(CodeKind::Asset(c))
    }
}
