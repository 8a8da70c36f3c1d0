//! One `cfn-lint` process per test process.
//!
//! Starting `cfn-lint` costs about two seconds of CPU (Python and its
//! schemas) and linting one small template about 30 ms; the suite lints a few
//! hundred templates. [`lint`] sends each request to a Python process that
//! runs cfn-lint's own command-line code (`lint_server.py`: the same
//! configuration, rules and formatter as `cfn-lint --format parseable`),
//! started by the first request and ended when the test process exits (its
//! standard input closes). When that process cannot be started (a `cfn-lint`
//! without a Python next to it) or stops answering, the caller runs the
//! `cfn-lint` command instead: a template is always linted.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

const SCRIPT: &str = include_str!("lint_server.py");

struct Server {
    // Kept so the process is not reaped while in use.
    _child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

/// The server, `None` before the first request or after it failed (then
/// every later request goes to the command).
static SERVER: Mutex<Option<Result<Server, ()>>> = Mutex::new(None);

/// What cfn-lint said about some templates.
pub struct Verdict {
    /// No finding of any level.
    pub clean: bool,
    /// cfn-lint's parseable output.
    pub output: String,
}

/// The Python that runs a `cfn-lint` script: `python` (or `python.exe`)
/// next to it, as in a virtual environment.
fn python_beside(cfn_lint: &Path) -> Option<PathBuf> {
    let dir = cfn_lint.parent()?;
    ["python", "python3", "python.exe"]
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.exists())
}

fn start(cfn_lint: &Path) -> Result<Server, ()> {
    let python = python_beside(cfn_lint).ok_or(())?;
    let mut child = Command::new(python)
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|_| ())?;
    let stdin = child.stdin.take().ok_or(())?;
    let stdout = BufReader::new(child.stdout.take().ok_or(())?);
    Ok(Server {
        _child: child,
        stdin,
        stdout,
    })
}

fn ask(server: &mut Server, files: &[PathBuf]) -> Option<Verdict> {
    let paths: Vec<String> = files
        .iter()
        .map(|f| f.to_string_lossy().into_owned())
        .collect();
    let request = serde_json::to_string(&paths).ok()?;
    writeln!(server.stdin, "{request}").ok()?;
    server.stdin.flush().ok()?;
    let mut line = String::new();
    if server.stdout.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let answer: serde_json::Value = serde_json::from_str(&line).ok()?;
    Some(Verdict {
        clean: answer.get("clean")?.as_bool()?,
        output: answer.get("output")?.as_str()?.to_string(),
    })
}

/// Lints `files` with the running server (starting it when needed);
/// `None` when no server can answer, and the caller runs the command.
pub fn lint(cfn_lint: &Path, files: &[PathBuf]) -> Option<Verdict> {
    // A test that panicked while holding the lock leaves the server usable:
    // each request is one line out and one line back.
    let mut guard = SERVER.lock().unwrap_or_else(|e| e.into_inner());
    let server = guard.get_or_insert_with(|| start(cfn_lint));
    let Ok(s) = server else { return None };
    match ask(s, files) {
        Some(v) => Some(v),
        None => {
            *guard = Some(Err(()));
            None
        }
    }
}
