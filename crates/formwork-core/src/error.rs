//! The one error type of formwork.

use std::path::PathBuf;

use crate::diag::{Diagnostic, Diagnostics};

/// Everything that can go wrong while building or synthesizing an app.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Synth found errors; every one of them is listed.
    #[error("synth failed with {count} error(s):\n{0}", count = .0.error_count())]
    Invalid(Diagnostics),
    /// A construct id is already taken in its scope.
    #[error("duplicate construct id `{id}`: {path} already exists")]
    DuplicateId {
        /// The id.
        id: String,
        /// The full path that is taken.
        path: String,
    },
    /// A construct id is empty or contains `/`.
    #[error("invalid construct id `{id}` in {scope}: {reason}")]
    InvalidId {
        /// The id.
        id: String,
        /// The scope it was added to.
        scope: String,
        /// Why it is refused.
        reason: String,
    },
    /// A stack name CloudFormation refuses.
    #[error("invalid stack name `{name}`: {reason}")]
    InvalidStackName {
        /// The name.
        name: String,
        /// Why it is refused.
        reason: String,
    },
    /// Two stacks of one app with the same name.
    #[error("the app already has a stack named `{0}`")]
    DuplicateStack(String),
    /// Writing the output failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A command line that cannot be understood.
    #[error("{0}")]
    Usage(String),
    /// A context value (`-c key=value` or an environment variable) that is missing or wrong.
    #[error("context `{key}`: {message}")]
    Context {
        /// The key.
        key: String,
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// An error of one diagnostic.
    pub fn invalid(d: Diagnostic) -> Error {
        Error::Invalid(Diagnostics(vec![d]))
    }

    /// The diagnostics, when synth failed.
    pub fn diagnostics(&self) -> Option<&Diagnostics> {
        match self {
            Error::Invalid(d) => Some(d),
            _ => None,
        }
    }
}

/// `Result` with formwork's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
