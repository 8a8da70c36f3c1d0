//! formwork's L1 layer: one Rust type per CloudFormation resource type and per
//! property type, generated from the official CloudFormation resource schemas
//! (vendored in `formwork-spec`). Every property of every covered type can be
//! set; every value position takes a literal or an intrinsic function.
//!
//! Every `AWS::*` type of the CloudFormation registry (1,598 types): one
//! module per namespace, each behind a cargo feature of its lowercase name
//! (`s3`, `lambda`, `rds`, `wafv2`, …; `full` for all 282). Inside a namespace,
//! one module per resource type (`s3::bucket`) holds the resource, its handle,
//! its property types and enums. A property type or enum that several
//! resource types of the namespace define identically is generated once and
//! re-exported by each of their modules under the same name (its doc names
//! the resource types sharing it): `ec2::instance::Tag` and `ec2::volume::Tag`
//! are one type. [`specs`] lists the shape data of every enabled type. The code under `src/generated/` is written by
//! `cargo run -p formwork-codegen` and never edited by hand; CI fails when it
//! differs from a fresh generation.
//!
//! ```
//! # #[cfg(feature = "s3")] {
//! use formwork_core::App;
//! use formwork_l1::s3::{CfnBucket, bucket::{BucketEncryption, ServerSideEncryptionRule, ServerSideEncryptionByDefault, SseAlgorithm}};
//! let app = App::new();
//! let stack = app.stack("Data")?;
//! let bucket = stack.add(
//!     "Data",
//!     CfnBucket::new().bucket_encryption(BucketEncryption::new().server_side_encryption_configuration([
//!         ServerSideEncryptionRule::new().server_side_encryption_by_default(
//!             ServerSideEncryptionByDefault::new().sse_algorithm(SseAlgorithm::Aes256),
//!         ),
//!     ])),
//! )?;
//! let arn = bucket.arn();
//! # let _ = arn;
//! # }
//! # Ok::<(), formwork_core::Error>(())
//! ```
#![deny(missing_docs)]

#[rustfmt::skip]
mod generated;

pub use generated::*;

/// The lifecycle of a Lambda runtime: when AWS deprecates it, blocks creating
/// and updating functions on it, and which runtime succeeds it (dates are
/// `YYYY-MM-DD`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RuntimeLifecycle {
    /// The runtime identifier (`nodejs20.x`).
    pub runtime: &'static str,
    /// When it was (or will be) deprecated.
    pub deprecated: Option<&'static str>,
    /// From when creating functions on it fails.
    pub create_block: Option<&'static str>,
    /// From when updating functions on it fails.
    pub update_block: Option<&'static str>,
    /// The runtime to move to.
    pub successor: Option<&'static str>,
}
