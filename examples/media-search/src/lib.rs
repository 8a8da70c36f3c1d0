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
//!      with origin access control, `index.html` for `/`). The reference's
//!      "HTTPS only" is `redirect-to-https`: nothing is served over HTTP,
//!      and a browser that asks over HTTP is redirected to HTTPS rather
//!      than refused (`https-only` would answer 403).
//!
//!    Outputs: `DataBucketName`, `SearchFunctionUrl`, `SearchFunctionName`,
//!    `SiteUrl`, `FrontendBucketName`, `FrontendDistributionId`,
//!    `FrontendDomainName`.
//!
//! # Deploy
//!
//! The team's eight manual steps are one command, the same in bash and
//! PowerShell (Docker running, Node.js and npm on the `PATH`):
//!
//! ```text
//! cargo run -p media-search -- deploy
//! ```
//!
//! In order: deploy `MediaSearchRepository`; build the search image from
//! [`SEARCH_IMAGE_DIR`] (`search/`: `Dockerfile`, `search.py`) for the
//! function's architecture (`docker build --platform linux/amd64
//! --provenance=false`, a manifest Lambda accepts) and push it with the tag
//! = its content hash; deploy `MediaSearch`, whose function names that tag
//! (the repository's tags are immutable, so a new image is a new tag and
//! rolls out with the stack); upload [`DATA_DIR`] under `data/` in the data
//! bucket (only what changed, by content; files removed locally are
//! removed); build [`FRONTEND_DIR`] (`npm ci && npm run build`) and upload
//! its `dist/` to the frontend bucket the same way; invalidate the
//! distribution when the site changed. `-- deploy --dry-run` prints these
//! steps as commands. The repository is its own stack because a function
//! cannot be created before its image exists.
//!
//! Then the team's integration test, as post-deploy checks (`deploy` runs
//! them, `check` runs them alone): a search through the function URL
//! (`?q=pedestrian`) answers 200 with the dataset's scene `0001`, which
//! needs the image, the function's read grant and the uploaded `data/`;
//! and the site's URL answers 200 with the built page (`Scene search`).
//! The URLs they used are printed and saved in `outputs.json`.
//!
//! # Inputs
//!
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
//!   on each deploy. CloudFormation only deletes an empty bucket, so
//!   `cargo run -p media-search -- destroy` empties it (it holds the
//!   deployed dataset) before deleting the stacks; with `aws cloudformation
//!   delete-stack` instead, run `aws s3 rm "s3://$DATA_BUCKET" --recursive`
//!   first. Otherwise the safe defaults (SSE-S3, public access blocked, TLS
//!   only).
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
//! - **Repository** `media-search`: immutable tags (a tag is a content
//!   hash: it always names the same image), scan on push, AES-256,
//!   retained, and no lifecycle rule: an expired image could be one the
//!   function still runs.
//!   Lambda pulls the image itself; in the same account it adds the
//!   statement it needs to the repository policy, so the execution role
//!   gets no ECR permission.
//! - **Logs** of the function kept 30 days.

use formwork::assets::ImageAsset;
use formwork::checks::{self, Check};
use formwork::cloudfront::PriceClass;
use formwork::ecr::{Repository, RepositoryProps, TagMutability};
use formwork::lambda::url::{AllowMethods, Cors};
use formwork::lambda::{Code, Function, FunctionProps, FunctionUrlAuth, FunctionUrlProps};
use formwork::logs::Retention;
use formwork::patterns::{BucketDeployment, BucketDeploymentProps, StaticSite, StaticSiteProps};
use formwork::prelude::*;
use formwork::s3::{Bucket, BucketProps};

/// The region when the environment names none.
pub const DEFAULT_REGION: &str = "ap-northeast-1";

/// The repository's name.
pub const REPOSITORY_NAME: &str = "media-search";

/// The search image's folder (Dockerfile), relative to this crate.
pub const SEARCH_IMAGE_DIR: &str = "search";

/// The dataset deployed under [`DATA_PREFIX`], relative to this crate.
pub const DATA_DIR: &str = "data_preparation/extracted_data";

/// The frontend's folder, built with `npm ci && npm run build` into `dist/`.
pub const FRONTEND_DIR: &str = "frontend";

/// The key prefix of the dataset in the data bucket.
pub const DATA_PREFIX: &str = "data/";

/// The search function's memory (see the crate documentation).
pub const MEMORY_MB: u32 = 4096;

/// The search function's timeout (see the crate documentation).
pub const TIMEOUT_SECS: u32 = 120;

/// Builds the app (see the crate documentation).
///
/// ```
/// let asm = media_search::app(&formwork::Context::new())?.synth()?;
/// let names: Vec<&str> = asm.stacks.iter().map(|s| s.name.as_str()).collect();
/// assert_eq!(names, ["MediaSearchRepository", "MediaSearch"]);
/// assert!(asm.warnings.0.is_empty());
/// # Ok::<(), formwork::Error>(())
/// ```
pub fn app(ctx: &Context) -> Result<App> {
    let app = App::with_context(ctx.clone().or_project_dir(env!("CARGO_MANIFEST_DIR")));
    let mut where_ = Environment::agnostic().or_from(ctx);
    if where_.region.is_none() {
        where_ = where_.region(DEFAULT_REGION);
    }

    let registry = app.stack_in("MediaSearchRepository", where_.clone())?;
    registry.set_description(
        "media-search: the search image's repository (deployed before the image is pushed)",
    );
    let repository = Repository::new(
        &registry,
        "Repository",
        RepositoryProps::new()
            .repository_name(REPOSITORY_NAME)
            .tag_mutability(TagMutability::Immutable),
    )?;
    registry.add_output(
        "RepositoryUri",
        Output::new(repository.repository_uri()).description("Push the search image here"),
    )?;

    let stack = app.stack_in("MediaSearch", where_)?;
    stack.set_description(
        "media-search: the data bucket, the search function and the frontend behind CloudFront",
    );
    // Built by deploy for the function's architecture and pushed to the
    // repository before this stack deploys.
    let image = ImageAsset::from_dir(SEARCH_IMAGE_DIR).repository(&repository);

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
        FunctionProps::new(Code::image_asset(image))
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

    // The dataset under data/, and the built site, after this stack;
    // the distribution is invalidated when the site changed.
    BucketDeployment::new(
        &stack,
        "Dataset",
        BucketDeploymentProps::new(DATA_DIR, &data).prefix(DATA_PREFIX),
    )?;
    BucketDeployment::new(
        &stack,
        "Site",
        BucketDeploymentProps::new(FRONTEND_DIR, frontend.bucket())
            .build("npm ci && npm run build", "dist")
            .exclude(["node_modules"])
            .invalidate(frontend.distribution()),
    )?;

    stack.add_output(
        "DataBucketName",
        Output::new(data.bucket_name()).description("The dataset, under data/"),
    )?;
    stack.add_output(
        "SearchFunctionUrl",
        Output::new(url.url()).description("The search endpoint the frontend calls"),
    )?;
    stack.add_output(
        "SearchFunctionName",
        Output::new(search.function_name()).description("The search function"),
    )?;
    stack.add_output(
        "SiteUrl",
        Output::new(frontend.url()).description("The frontend"),
    )?;

    // The team's integration test after a deploy: a query through the
    // function URL finds a scene of the uploaded dataset, and the site
    // serves the built page.
    checks::declare(
        &stack,
        Check::http("a search finds a scene of the dataset", "SearchFunctionUrl")
            .path("?q=pedestrian")
            .expect_status(200)
            .expect_body_contains("\"0001\""),
    );
    checks::declare(
        &stack,
        Check::http("the site serves the built page", "SiteUrl")
            .expect_status(200)
            .expect_body_contains("<title>Scene search</title>"),
    );
    Ok(app)
}
