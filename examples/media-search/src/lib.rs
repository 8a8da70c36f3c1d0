//! Reference architecture A: **media-search**, scene search over the
//! embeddings of a driving dataset. A Lambda function runs a PyTorch model
//! from a container image and reads the dataset from a private bucket; a
//! static frontend is served by CloudFront from another private bucket.
//!
//! Two stacks, in `ap-northeast-1` unless the environment names another
//! region, deployed in this order:
//!
//! 1. **`MediaSearchRepository`**: the ECR repository `media-search`
//!    (output `RepositoryUri`).
//! 2. **`MediaSearch`**:
//!    - the **data bucket** (private), whose name the function gets in
//!      `DATA_BUCKET_NAME` (and the key prefix `data/` in `DATA_PREFIX`);
//!    - the **search function**, from the repository's image, which may
//!      read the data bucket (`s3:GetObject` on its objects, `s3:ListBucket`
//!      on it) and nothing else, with a **function URL**;
//!    - the **frontend**: a [`StaticSite`] (a private bucket, CloudFront
//!      with origin access control, HTTP redirected to HTTPS, `index.html`
//!      for `/`).
//!
//!    Outputs: `DataBucketName`, `SearchFunctionUrl`, `SearchFunctionName`,
//!    `FrontendBucketName`, `FrontendDistributionId`, `FrontendDomainName`.
//!
//! # Deploy
//!
//! The team's one command (prerequisites, build and push the image, deploy,
//! upload the data and the frontend, invalidate the cache) is, for now,
//! these steps; everything but the stacks is asset publishing, which comes
//! in a later version of formwork:
//!
//! ```text
//! # 1. the repository
//! cargo run -p media-search -- synth
//! aws cloudformation deploy --stack-name MediaSearchRepository \
//!     --template-file formwork.out/MediaSearchRepository.template.json
//! REPO=$(aws cloudformation describe-stacks --stack-name MediaSearchRepository \
//!     --query "Stacks[0].Outputs[?OutputKey=='RepositoryUri'].OutputValue" --output text)
//! # 2. the image (linux/amd64, the function's architecture)
//! aws ecr get-login-password | docker login --username AWS --password-stdin "${REPO%%/*}"
//! docker build --platform linux/amd64 --provenance=false -t "$REPO:latest" ./search
//! docker push "$REPO:latest"
//! DIGEST=$(aws ecr describe-images --repository-name media-search \
//!     --image-ids imageTag=latest --query 'imageDetails[0].imageDigest' --output text)
//! # 3. the buckets, the function and the distribution, pinned to that digest
//! cargo run -p media-search -- deploy -c image_digest="$DIGEST"
//! # 4. the data and the frontend (asset publishing, later: done by hand here)
//! aws s3 sync data_preparation/extracted_data "s3://$DATA_BUCKET/data/" --delete
//! aws s3 sync frontend/dist "s3://$FRONTEND_BUCKET/" --delete
//! aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths '/*'
//! ```
//!
//! (`DATA_BUCKET`, `FRONTEND_BUCKET`, `DISTRIBUTION_ID`: the `MediaSearch`
//! outputs.) The repository is its own stack because a function cannot be
//! created before its image exists; the function is pinned to the image's
//! digest, so a new image is a change of the template and rolls out with
//! the stack. `--provenance=false` keeps `docker buildx` from pushing a
//! multi-platform index, which Lambda refuses. The frontend learns the
//! search endpoint from the `SearchFunctionUrl` output (a `config.json`
//! uploaded with it, say); writing that file is asset publishing too.
//!
//! # Inputs
//!
//! - **Image**: `-c image_digest=sha256:<64 hex>` (else
//!   `MEDIA_SEARCH_IMAGE_DIGEST`) pins the function to `<repository
//!   uri>@sha256:…` (a digest that is not `sha256:` and 64 lowercase hex
//!   digits is error `FW2503`). Without a digest it runs `<repository
//!   uri>:<tag>`, the tag from `-c image_tag=` (else
//!   `MEDIA_SEARCH_IMAGE_TAG`, else `latest`), and synth warns with
//!   `FW2505`: a tag does not roll out by itself.
//! - **Account and region**: `FORMWORK_ACCOUNT` / `FORMWORK_REGION`, else
//!   `CDK_DEFAULT_ACCOUNT` / `CDK_DEFAULT_REGION`, else `AWS_REGION`; region
//!   `ap-northeast-1` when none is set.
//!
//! # Choices where the reference leaves a value open
//!
//! - **Memory [`MEMORY_MB`] (4096 MB)**: importing PyTorch and holding an
//!   embedding model takes 1.5 to 2.5 GB, and the dataset's embeddings are
//!   held in memory beside it. Lambda gives CPU in proportion to memory
//!   (one vCPU per 1,769 MB), and inference on CPU is CPU-bound, so 4 GB
//!   (about 2.3 vCPUs) also shortens the cold start and each query. Up to
//!   10,240 MB (6 vCPUs) if queries are slow. The image, several GB, is
//!   within Lambda's 10 GB limit for container images.
//! - **Timeout [`TIMEOUT_SECS`] (120 s)**: a query takes seconds, but the
//!   first one after a deploy or a scale-out also pulls the image's layers
//!   and loads the model, which can take tens of seconds. A function URL
//!   waits up to the function's timeout (API Gateway would cut at 30 s).
//! - **Function URL, auth `NONE`, CORS for the frontend only**: the
//!   frontend calls the search endpoint from the browser. `AWS_IAM` would
//!   need signed requests, so AWS credentials in the browser (a Cognito
//!   identity pool the reference does not have); an HTTP API adds a second
//!   service and its 30 s limit for one route. The URL is public: anyone
//!   may call it (CORS only keeps other sites' pages from reading the
//!   answers), so the search must be safe to expose, and a cost guard
//!   (reserved concurrency, a WAF in front) is the next step if it is
//!   abused. The allowed origin is the distribution's `https://` URL;
//!   methods `GET` and `POST`, header `content-type`, preflight cached 5
//!   minutes.
//! - **Data bucket `RemovalPolicy::Delete`**: the reference has the data
//!   go away with the stack, and the data is rebuilt from the local folder
//!   on each deploy. CloudFormation only deletes an empty bucket: emptying
//!   it on stack deletion is asset publishing's cleanup, which comes later;
//!   until then run `aws s3 rm "s3://$DATA_BUCKET" --recursive` before
//!   `aws cloudformation delete-stack`. Otherwise the safe defaults (SSE-S3,
//!   public access blocked, TLS only).
//! - **Frontend bucket retained** (the [`StaticSite`] default): the
//!   reference says nothing of its lifetime, and formwork keeps stateful
//!   resources unless told otherwise. It is reproducible from the built
//!   folder; set `StaticSiteProps::removal_policy(RemovalPolicy::Delete)`
//!   to have it go with the stack (emptied first, as above).
//! - **Frontend**: `PriceClass_200` (edge locations in Japan and the rest
//!   of Asia, North America and Europe, not the most expensive ones: the
//!   team and its users are in Japan, which `PriceClass_100` would leave
//!   out), no single-page-app error mapping (the reference names
//!   `index.html` as the root object only; a missing asset is a 403, not a
//!   page), CloudFront's own domain name (no custom domain given), the
//!   managed `SecurityHeadersPolicy`.
//! - **Repository** `media-search`, with the construct's defaults (scan on
//!   push, mutable tags so that `latest` can move, AES-256, retained) and no
//!   lifecycle rule: an expired image could be one the function still runs.
//!   Lambda pulls the image itself; in the same account it adds the
//!   statement it needs to the repository policy, so the execution role
//!   gets no ECR permission.
//! - **Logs** of the function kept 30 days.

use formwork::cloudfront::PriceClass;
use formwork::ecr::{Repository, RepositoryProps};
use formwork::lambda::url::{AllowMethods, Cors};
use formwork::lambda::{Code, Function, FunctionProps, FunctionUrlAuth, FunctionUrlProps};
use formwork::logs::Retention;
use formwork::patterns::{StaticSite, StaticSiteProps};
use formwork::prelude::*;
use formwork::s3::{Bucket, BucketProps};

/// The region when the environment names none.
pub const DEFAULT_REGION: &str = "ap-northeast-1";

/// The repository's name.
pub const REPOSITORY_NAME: &str = "media-search";

/// The key prefix of the dataset in the data bucket.
pub const DATA_PREFIX: &str = "data/";

/// The search function's memory (see the crate documentation).
pub const MEMORY_MB: u32 = 4096;

/// The search function's timeout (see the crate documentation).
pub const TIMEOUT_SECS: u32 = 120;

/// Builds the app (see the crate documentation).
///
/// ```
/// let digest = format!("sha256:{}", "0".repeat(64));
/// let ctx = formwork::Context::new().with_value("image_digest", digest);
/// let asm = media_search::app(&ctx)?.synth()?;
/// let names: Vec<&str> = asm.stacks.iter().map(|s| s.name.as_str()).collect();
/// assert_eq!(names, ["MediaSearchRepository", "MediaSearch"]);
/// assert!(asm.warnings.0.is_empty());
/// # Ok::<(), formwork::Error>(())
/// ```
pub fn app(ctx: &Context) -> Result<App> {
    let app = App::with_context(ctx.clone());
    let mut where_ = Environment::agnostic().or_from(ctx);
    if where_.region.is_none() {
        where_ = where_.region(DEFAULT_REGION);
    }

    let registry = app.stack_in("MediaSearchRepository", where_.clone())?;
    registry.set_description(
        "media-search: the search image's repository (deploy, then push the image)",
    );
    let repository = Repository::new(
        &registry,
        "Repository",
        RepositoryProps::new().repository_name(REPOSITORY_NAME),
    )?;
    if let Some(r) = repository.cfn() {
        r.suppress("FW5080", "the release build pushes `latest` again on every release, so the tag must move; the function stack pins the image by digest when CI passes it");
    }
    registry.add_output(
        "RepositoryUri",
        Output::new(repository.repository_uri()).description("Push the search image here"),
    )?;

    let stack = app.stack_in("MediaSearch", where_)?;
    stack.set_description(
        "media-search: the data bucket, the search function and the frontend behind CloudFront",
    );
    let digest = ctx
        .value("image_digest")
        .or_else(|| ctx.env("MEDIA_SEARCH_IMAGE_DIGEST"));
    let tag = ctx.value_or_env("image_tag", "MEDIA_SEARCH_IMAGE_TAG", "latest");
    let pinned = digest.is_some();
    let image = repository.pinned_image_uri(&stack, digest, &tag);

    // The objects go with the stack (see "Data bucket" in the crate documentation).
    let data = Bucket::new(
        &stack,
        "DataBucket",
        BucketProps::new().removal_policy(RemovalPolicy::Delete),
    )?;

    let frontend = StaticSite::new(
        &stack,
        "Frontend",
        StaticSiteProps::new()
            .price_class(PriceClass::Class200)
            .comment("media-search frontend"),
    )?;

    let search = Function::new(
        &stack,
        "SearchFunction",
        FunctionProps::new(Code::image(image))
            .description("media-search: scene search over the dataset's embeddings (PyTorch)")
            .memory_mb(MEMORY_MB)
            .timeout_secs(TIMEOUT_SECS)
            .environment("DATA_BUCKET_NAME", data.bucket_name())
            .environment("DATA_PREFIX", DATA_PREFIX)
            .log_retention(Retention::OneMonth),
    )?;
    data.grant_read(&search)?;
    // The findings this architecture accepts, each with its reason (they
    // are written into the template's metadata).
    if !pinned && tag == "latest" {
        // Warning FW2505 reports this image and says how to pin it.
        search.cfn().suppress(
            "FW5080",
            "the first deploy runs the image pushed as `latest`; CI passes `-c image_digest=` to pin each release (FW2505, see \"Image\")",
        );
    }
    data.cfn()
        .map(|b| b.suppress("FW5090", "the dataset is a copy of public data, re-uploaded by the loader; it goes with the stack (see \"Data bucket\")"));
    search.cfn().suppress(
        "FW5050",
        "the frontend's pages call the URL from browsers, which cannot sign requests; CORS admits the frontend's origin only (see \"Function URL\")",
    );
    // Public, called from the frontend's pages only (see "Function URL").
    let url = search.add_function_url(
        FunctionUrlProps::new()
            .auth_type(FunctionUrlAuth::None)
            .cors(
                Cors::new()
                    .allow_origins([frontend.url()])
                    .allow_methods([AllowMethods::Get, AllowMethods::Post])
                    .allow_headers(["content-type"])
                    .max_age(300),
            ),
    )?;

    stack.add_output(
        "DataBucketName",
        Output::new(data.bucket_name())
            .description("aws s3 sync data_preparation/extracted_data s3://<this>/data/ --delete"),
    )?;
    stack.add_output(
        "SearchFunctionUrl",
        Output::new(url.url()).description("The search endpoint the frontend calls"),
    )?;
    stack.add_output(
        "SearchFunctionName",
        Output::new(search.function_name()).description("The search function"),
    )?;
    Ok(app)
}
