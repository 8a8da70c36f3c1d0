//! formwork's hot text kernels: writing a template as pretty JSON,
//! escaping JSON string literals, and matching the schemas' patterns.
//!
//! An app runs its synth from a debug build, where every `Vec::push` and
//! slice index is a call and a check. Writing a template's text is a few
//! calls per byte there; optimized, it is a small part of a synth. This
//! crate holds that work alone, with no dependencies, so that the dev
//! profile can build it at `opt-level = 3` (a second of build, once)
//! while everything else stays quick to build:
//!
//! ```toml
//! [profile.dev.package.formwork-text]
//! opt-level = 3
//! ```
//!
//! Its functions are `#[inline(never)]`: an optimized crate's small
//! functions may otherwise be inlined into their callers and built there,
//! at the callers' `opt-level`.
//!
//! The output is byte for byte what `serde_json::to_string_pretty` writes.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod escape;
pub mod pattern;
mod pretty;
#[doc(hidden)]
pub mod test_rng;

pub use escape::{push_decimal, push_escaped};
pub use pretty::PrettyJson;
