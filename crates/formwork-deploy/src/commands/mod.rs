//! One module per command; [`run`] picks it.

mod deploy;
mod diff;
mod list;
mod synth;
mod validate;

use crate::Session;
use crate::args::CommandName;
use crate::error::Result;

/// Runs the session's command; its exit code.
pub(crate) fn run(s: &mut Session<'_>) -> Result<u8> {
    match s.args.command {
        CommandName::Synth => synth::run(s),
        CommandName::List => list::run(s),
        CommandName::Validate => validate::run(s),
        CommandName::Diff => diff::run(s),
        CommandName::Deploy => deploy::run(s),
    }
}
