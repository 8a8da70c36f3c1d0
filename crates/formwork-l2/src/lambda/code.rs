//! Where a function's code comes from: inline source, a zip in S3, or a
//! container image.

use formwork_core::typed::Str;

/// A function's code.
///
/// ```
/// use formwork_l2::lambda::Code;
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

    /// True for container images.
    pub fn is_image(&self) -> bool {
        matches!(self.0, CodeKind::Image(_))
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
