//! The one error type of formwork.

use std::path::PathBuf;

use crate::diag::{Diagnostic, Diagnostics};

/// Everything that can go wrong while building or synthesizing an app.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Synth found errors; every one of them is listed.
    Invalid(Diagnostics),
    /// A construct id is already taken in its scope.
    DuplicateId {
        /// The id.
        id: String,
        /// The full path that is taken.
        path: String,
    },
    /// A construct id is empty or contains `/`.
    InvalidId {
        /// The id.
        id: String,
        /// The scope it was added to.
        scope: String,
        /// Why it is refused.
        reason: String,
    },
    /// A stack name CloudFormation refuses.
    InvalidStackName {
        /// The name.
        name: String,
        /// Why it is refused.
        reason: String,
    },
    /// Two stacks of one app with the same name.
    DuplicateStack(String),
    /// Writing the output failed.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A command line that cannot be understood.
    Usage(String),
    /// A context value (`-c key=value` or an environment variable) that is missing or wrong.
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

// Written by hand rather than derived: the derive macro's crates (syn,
// quote, proc-macro2) were the only proc-macro build in a user's app and sat
// on the critical path before formwork-core (4.3 s of CPU, 13 s wall on the
// loaded 2-core machine for a clean build of them alone).
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Invalid(d) => write!(f, "synth failed with {} error(s):\n{d}", d.error_count()),
            Error::DuplicateId { id, path } => {
                write!(f, "duplicate construct id `{id}`: {path} already exists")
            }
            Error::InvalidId { id, scope, reason } => {
                write!(f, "invalid construct id `{id}` in {scope}: {reason}")
            }
            Error::InvalidStackName { name, reason } => {
                write!(f, "invalid stack name `{name}`: {reason}")
            }
            Error::DuplicateStack(name) => {
                write!(f, "the app already has a stack named `{name}`")
            }
            Error::Io { path, source } => write!(f, "cannot write {}: {source}", path.display()),
            Error::Usage(message) => f.write_str(message),
            Error::Context { key, message } => write!(f, "context `{key}`: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// `Result` with formwork's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_sources() {
        let e = Error::DuplicateId {
            id: "A".into(),
            path: "S/A".into(),
        };
        assert_eq!(
            e.to_string(),
            "duplicate construct id `A`: S/A already exists"
        );
        let io = Error::Io {
            path: PathBuf::from("out/x.json"),
            source: std::io::Error::other("disk full"),
        };
        assert_eq!(io.to_string(), "cannot write out/x.json: disk full");
        assert!(std::error::Error::source(&io).is_some());
        assert!(std::error::Error::source(&e).is_none());
        let ctx = Error::Context {
            key: "env".into(),
            message: "missing".into(),
        };
        assert_eq!(ctx.to_string(), "context `env`: missing");
    }
}
