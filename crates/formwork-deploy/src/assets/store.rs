//! The assets stack: one per account and region, holding the bucket that
//! Lambda code zips go to and the repository images go to. `deploy`
//! creates or updates it when the app has such assets; there is no
//! bootstrap command.
//!
//! Its template is produced by formwork itself from L2 constructs (see the
//! test `the_assets_template_is_what_formwork_synthesizes`, which rebuilds
//! it and compares) and kept here as text, so the deploy tool does not
//! depend on the service constructs:
//!
//! - the bucket `formwork-assets-<account>-<region>`: SSE-S3, public
//!   access blocked, TLS required by its policy, owner-enforced; objects
//!   expire 90 days after upload (a zip is read once, when a function is
//!   created or updated; an expired one is uploaded again by the next
//!   deploy that needs it), incomplete uploads after 1 day; retained;
//! - the repository `formwork-assets`: immutable tags (a tag is a content
//!   hash), scan on push, untagged images expire after 1 day (tagged ones
//!   are never expired: a function may run them); retained.

/// The template of the assets stack.
pub const TEMPLATE: &str = include_str!("FormworkAssets.template.json");

/// The bucket name for an account and region.
pub fn bucket_name(account: &str, region: &str) -> String {
    format!(
        "{}-{account}-{region}",
        formwork_core::asset::ASSETS_BUCKET_PREFIX
    )
}
