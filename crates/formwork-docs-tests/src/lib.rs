//! The Rust code blocks of `docs/`, compiled and run as doctests:
//! `cargo test -p formwork-docs-tests`. A ```` ```rust ```` block is
//! compiled (and run unless marked `no_run`, for code that would deploy or
//! read folders); ```` ```text ````, ```` ```bash ````, ```` ```powershell ````
//! and ```` ```toml ```` blocks are left alone.
//!
//! Pages tested elsewhere: `docs/getting-started.md` by
//! `crates/formwork/tests/getting_started.rs` (its blocks are the files of
//! `templates/minimal`, built and run in a scratch folder), and
//! `docs/services/*.md` as the rustdoc of the `formwork` facade's service
//! modules (`cargo test -p formwork --doc --all-features`).
//!
//! `tests/codes.rs` checks that `docs/troubleshooting.md` lists every
//! diagnostic code the source defines; `tests/item_examples.rs` that the
//! examples on items of the crates the facade re-exports use the
//! `formwork::` paths a user's crate has.
#![deny(missing_docs)]
// The testing pages show test files: their `#[test]` functions are compiled,
// and run by the tests that copy them (or by a user who does).
#![allow(clippy::test_attr_in_doctest)]

#[doc = include_str!("../../../docs/concepts.md")]
pub mod concepts {}

#[doc = include_str!("../../../docs/guide.md")]
pub mod guide {}

#[doc = include_str!("../../../docs/configuration.md")]
pub mod configuration {}

#[doc = include_str!("../../../docs/operations.md")]
pub mod operations {}

#[doc = include_str!("../../../docs/writing-constructs.md")]
pub mod writing_constructs {}

#[doc = include_str!("../../../docs/architecture.md")]
pub mod architecture {}

#[doc = include_str!("../../../docs/deploying.md")]
pub mod deploying {}

#[doc = include_str!("../../../docs/diagnostics.md")]
pub mod diagnostics {}

#[doc = include_str!("../../../docs/performance.md")]
pub mod performance {}

#[doc = include_str!("../../../docs/testing.md")]
pub mod testing {}

#[doc = include_str!("../../../docs/troubleshooting.md")]
pub mod troubleshooting {}

#[doc = include_str!("../../../docs/migrating-from-cdk.md")]
pub mod migrating_from_cdk {}

/// One walkthrough per reference architecture.
pub mod walkthroughs {
    #[doc = include_str!("../../../docs/walkthroughs/media-search.md")]
    pub mod media_search {}

    #[doc = include_str!("../../../docs/walkthroughs/chat-proxy.md")]
    pub mod chat_proxy {}

    #[doc = include_str!("../../../docs/walkthroughs/weather-service.md")]
    pub mod weather_service {}

    #[doc = include_str!("../../../docs/walkthroughs/vision-pipeline.md")]
    pub mod vision_pipeline {}

    #[doc = include_str!("../../../docs/walkthroughs/session-store.md")]
    pub mod session_store {}
}

/// The files under `dir` (and its folders) whose name ends in `.{extension}`,
/// sorted: what the tests read.
pub fn files_with_extension(dir: &std::path::Path, extension: &str) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, extension: &str, out: &mut Vec<std::path::PathBuf>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, extension, out);
            } else if path.extension().is_some_and(|e| e == extension) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, extension, &mut out);
    out.sort();
    out
}
