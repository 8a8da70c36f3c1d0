//! Runs an asset's build step in its folder, through the system shell.

use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};

/// The shell and its flag: `sh -c` on Linux and macOS, `cmd /C` on Windows.
pub fn shell(command: &str) -> Command {
    if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.arg("/C").arg(command);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c").arg(command);
        c
    }
}

/// Runs `command` in `dir`; on failure the error names the construct path
/// and shows what the command printed (the last 40 lines).
pub fn run_build(path: &str, dir: &Path, command: &str) -> Result<()> {
    let out = shell(command).current_dir(dir).output().map_err(|e| {
        Error::failed(format!(
            "{path}: cannot run the build step `{command}` in {}: {e}",
            dir.display()
        ))
    })?;
    if out.status.success() {
        return Ok(());
    }
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(40)..].join("\n    ");
    Err(Error::failed(format!(
        "[{}] {path}: the build step `{command}` failed in {} ({}):\n    {tail}\nnothing was published or deployed",
        formwork_core::asset::codes::BUILD_FAILED,
        dir.display(),
        out.status
    )))
}
