//! One module per command; [`run`] picks it.

mod check;
mod cost;
mod deploy;
mod destroy;
mod diff;
mod graph;
mod list;
mod prereq;
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
        CommandName::Destroy => destroy::run(s),
        CommandName::Cost => cost::run(s),
        CommandName::Graph => graph::run(s),
        CommandName::Check => check::run(s),
        // Printed before the app is synthesized (see `execute_with`).
        CommandName::Schema => Ok(0),
    }
}
