//! The error of a command, and the exit code it maps to.

use std::fmt;

/// Why a command stopped.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A command line that cannot be understood (exit code 2).
    Usage(String),
    /// The app failed to build or synthesize.
    Synth(formwork_core::Error),
    /// The outside world said no: the AWS CLI, a file, a refused change.
    Failed(String),
}

impl Error {
    /// A usage error.
    pub fn usage(msg: impl Into<String>) -> Error {
        Error::Usage(msg.into())
    }

    /// A failure.
    pub fn failed(msg: impl Into<String>) -> Error {
        Error::Failed(msg.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) | Error::Failed(m) => f.write_str(m),
            Error::Synth(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<formwork_core::Error> for Error {
    fn from(e: formwork_core::Error) -> Error {
        match e {
            formwork_core::Error::Usage(m) => Error::Usage(m),
            other => Error::Synth(other),
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
