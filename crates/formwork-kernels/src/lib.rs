//! formwork's hot kernels: the work every synth does over bytes, kept in
//! one small crate that is built optimized even in debug builds.
//!
//! - writing a template as pretty JSON ([`PrettyJson`]), byte for byte what
//!   `serde_json::to_string_pretty` writes, and escaping JSON string
//!   literals ([`push_escaped`]);
//! - matching the schemas' patterns ([`pattern`]);
//! - logical ids' characters ([`alphanumerics`], [`is_alphanumeric`]);
//! - hashing the keys of formwork's maps ([`FastHasher`]);
//! - SHA-256 of assets' files ([`Sha256`], [`hash_file`]);
//! - literal text of `Fn::Sub` templates ([`push_sub_literal`]);
//! - assets' exclude patterns ([`glob_matches`]).
//!
//! An app runs its synth from a debug build, where every `Vec::push` and
//! slice index is a call and a check: writing a template's text costs a few
//! calls per byte there. This crate holds such work alone, so that the dev
//! profile can build it at `opt-level = 3` (about two seconds of build, once)
//! while everything else stays quick to build:
//!
//! ```toml
//! [profile.dev.package.formwork-kernels]
//! opt-level = 3
//! ```
//!
//! Its one dependency, `sha2`, is optimized the same way. Its functions
//! are `#[inline(never)]`: an optimized crate's small functions may
//! otherwise be inlined into their callers and built there, at the
//! callers' `opt-level`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod escape;
mod glob;
mod hash;
mod ids;
pub mod pattern;
mod pretty;
mod sha256;
mod sub;
#[doc(hidden)]
pub mod test_rng;

pub use escape::{has_byte, push_decimal, push_escaped};
pub use glob::glob_matches;
pub use hash::FastHasher;
pub use ids::{alphanumerics, has_alphanumeric, is_alphanumeric};
pub use pretty::PrettyJson;
pub use sha256::{Sha256, hash_file, hex};
pub use sub::push_sub_literal;
