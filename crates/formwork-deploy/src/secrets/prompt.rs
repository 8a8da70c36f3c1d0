//! The prompt for a secret's value on the terminal, without echo.
//!
//! On unix the terminal is put in a mode where keys are read one by one
//! and nothing is echoed, before the prompt shows (so that nothing typed
//! or pasted at once is shown), and a guard puts it back as it was however
//! the read ends. In that mode Ctrl-C and Ctrl-\\ are keys, not signals:
//! they end the read with an [`ErrorKind::Interrupted`](std::io::ErrorKind)
//! error after the guard has restored the terminal, where a signal would
//! have ended the process with the guard not run, leaving the terminal
//! without echo. Standard input that is not a terminal is an error, with
//! nothing printed and nothing run.

use std::io::Write;

#[cfg(not(unix))]
use super::value::strip_newline;

/// Asks for a value on the terminal, without echo. Ctrl-C or Ctrl-\\ at
/// the prompt is an error of kind [`Interrupted`](std::io::ErrorKind).
pub(super) fn prompt(label: &str) -> std::io::Result<String> {
    let mut err = std::io::stderr();
    let mut asked = false;
    let value = read_hidden(|| {
        asked = true;
        write!(err, "Value of secret {label} (not shown): ")?;
        err.flush()
    });
    // The line the prompt is on ends, whatever the read gave.
    if asked {
        writeln!(err)?;
    }
    value
}

/// Reads one line from standard input with echo off, after `ask` has
/// shown the prompt.
#[cfg(unix)]
fn read_hidden(ask: impl FnOnce() -> std::io::Result<()>) -> std::io::Result<String> {
    use std::io::{IsTerminal, Read};
    if !std::io::stdin().is_terminal() {
        return Err(std::io::Error::other("standard input is not a terminal"));
    }
    let _restore = unix::Keys::start()?;
    ask()?;
    let mut line = unix::Line::default();
    for byte in std::io::stdin().lock().bytes() {
        if line.key(byte?)? {
            break;
        }
    }
    line.finish()
}

#[cfg(windows)]
fn read_hidden(ask: impl FnOnce() -> std::io::Result<()>) -> std::io::Result<String> {
    ask()?;
    // PowerShell reads a SecureString without echo; the plain text comes
    // back on its standard output, to this process only.
    let out = std::process::Command::new("powershell")
        .args([
            "-NoProfile",
            "-Command",
            "$s = Read-Host -AsSecureString; \
             [Runtime.InteropServices.Marshal]::PtrToStringBSTR([Runtime.InteropServices.Marshal]::SecureStringToBSTR($s))",
        ])
        .stderr(std::process::Stdio::inherit())
        .output()?;
    if !out.status.success() {
        return Err(std::io::Error::other("PowerShell's Read-Host failed"));
    }
    Ok(strip_newline(&String::from_utf8_lossy(&out.stdout)).to_owned())
}

#[cfg(not(any(unix, windows)))]
fn read_hidden(ask: impl FnOnce() -> std::io::Result<()>) -> std::io::Result<String> {
    use std::io::BufRead;
    ask()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(strip_newline(&line).to_owned())
}

/// The terminal in key-by-key mode without echo, and the line the keys
/// make.
///
/// Why not `stty -echo` around a line read, as before: Ctrl-C there is
/// SIGINT, whose default action ends the process without running the
/// guard that turns echo back on (a shell that restores the terminal after
/// a killed job hides it; other parents, and scripts, do not). Catching
/// the signal to restore the terminal needs unsafe code (a handler, or
/// termios calls from one) or a signal-handling crate whose handler stays
/// installed for the rest of the process; with ISIG off no key sends a
/// signal, so the guard always runs. The cost is reading keys one by one:
/// Enter, Backspace, Ctrl-U and Ctrl-W edit as the terminal would, Ctrl-D
/// on an empty line ends the input, Ctrl-Z does nothing while the prompt
/// waits. A signal from elsewhere (`kill`) still ends the process as it
/// would have.
#[cfg(unix)]
mod unix {
    use std::io;
    use std::process::{Command, Stdio};

    /// While alive: keys come one by one, without echo or signals.
    pub(super) struct Keys {
        /// The settings before (`stty -g`), restored on drop.
        saved: String,
    }

    /// Runs `stty` on the terminal of standard input; its standard output.
    fn stty(args: &[&str]) -> io::Result<String> {
        let out = Command::new("stty")
            .args(args)
            .stdin(Stdio::inherit())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()?;
        if !out.status.success() {
            return Err(io::Error::other(format!(
                "`stty {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }

    impl Keys {
        /// Saves the terminal's settings, then turns echo, line editing,
        /// signal keys and `Ctrl-V` off (one key per read).
        pub(super) fn start() -> io::Result<Keys> {
            let saved = stty(&["-g"])?;
            let keys = Keys { saved };
            stty(&[
                "-echo", "-icanon", "-isig", "-iexten", "min", "1", "time", "0",
            ])?;
            Ok(keys)
        }
    }

    impl Drop for Keys {
        fn drop(&mut self) {
            // Nothing to report to: a failure leaves what `stty sane` fixes.
            let _ = stty(&[&self.saved]);
        }
    }

    /// The bytes typed so far.
    #[derive(Default)]
    pub(super) struct Line(Vec<u8>);

    impl Line {
        /// Takes one byte; `Ok(true)` when the line is complete.
        pub(super) fn key(&mut self, byte: u8) -> io::Result<bool> {
            match byte {
                b'\r' | b'\n' => return Ok(true),
                // Ctrl-C, Ctrl-\: what would have been SIGINT, SIGQUIT.
                0x03 | 0x1c => {
                    return Err(io::Error::new(
                        io::ErrorKind::Interrupted,
                        "interrupted with Ctrl-C",
                    ));
                }
                // Ctrl-D: the end of the input on an empty line.
                0x04 => return Ok(self.0.is_empty()),
                // Backspace (DEL or Ctrl-H): the last character, whole.
                0x7f | 0x08 => {
                    while let Some(b) = self.0.pop() {
                        if b & 0xc0 != 0x80 {
                            break;
                        }
                    }
                }
                // Ctrl-U: the whole line.
                0x15 => self.0.clear(),
                // Ctrl-W: the last word and the spaces after it.
                0x17 => {
                    while self.0.last() == Some(&b' ') {
                        self.0.pop();
                    }
                    while self.0.last().is_some_and(|b| *b != b' ') {
                        self.0.pop();
                    }
                }
                // Ctrl-Z: the process does not stop in the middle of a
                // secret.
                0x1a => {}
                b => self.0.push(b),
            }
            Ok(false)
        }

        /// The value, which must be UTF-8.
        pub(super) fn finish(self) -> io::Result<String> {
            String::from_utf8(self.0)
                .map_err(|_| io::Error::other("what was typed is not UTF-8 text"))
        }
    }
}

/// The prompt on a real terminal: each test runs this test binary again as
/// a child ([`child`](tests::child)) on a pseudo-terminal that
/// `tests/pty/drive.py` (python3's `pty` support) opens, types into and
/// watches; or with its standard input piped.
#[cfg(all(test, unix))]
mod tests {
    use std::io::{self, Read as _, Write as _};
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};

    use serde_json::Value as Json;

    use super::*;
    use crate::args::ColorChoice;
    use crate::output::Style;
    use crate::secrets::value::{Reader, read_all};
    use crate::secrets::{Need, Owned, Source, Wanted};

    /// The child's test name and the variable that gives it its mode.
    const CHILD: &str = "secrets::prompt::tests::child";
    const MODE: &str = "FORMWORK_PROMPT_CHILD";
    /// What the prompt says.
    const PROMPT: &str = "Value of secret S/Key (not shown): ";

    fn hex(text: &str) -> String {
        text.bytes().map(|b| format!("{b:02x}")).collect()
    }

    /// The child process of the tests below, not a test of its own: reads
    /// the value of secret `S/Key` as `deploy` does (mode `deploy`: the
    /// terminal detected as `deploy` detects it, then the prompt) or with
    /// the prompt alone (mode `direct`), and prints it in hex (so that the
    /// value on the terminal is only what was echoed), or the error.
    #[test]
    #[ignore = "the child process of the prompt tests, which run it"]
    fn child() {
        let mode = std::env::var(MODE)
            .unwrap_or_else(|_| panic!("run by the prompt tests, which set {MODE}"));
        let read = match mode.as_str() {
            "deploy" => {
                let var = |_: &str| None;
                let reader = Reader {
                    var: &var,
                    project_dir: PathBuf::new(),
                    terminal: Style::detect(ColorChoice::Never).terminal,
                };
                let secret = Owned {
                    stack: "S".into(),
                    region: None,
                    path: "S/Key".into(),
                    logical_id: "Key".into(),
                    name: None,
                    wanted: Wanted::Whole(Source::Prompt),
                };
                read_all(&reader, vec![(secret, Need::NoStack)])
                    .map(|mut seeds| seeds.remove(0).value)
                    .map_err(|e| e.to_string())
            }
            "direct" => prompt("S/Key").map_err(|e| e.to_string()),
            other => panic!("unknown mode {other}"),
        };
        match read {
            Ok(v) => println!("value-hex: {}", hex(&v)),
            Err(e) => println!("error: {e}"),
        }
    }

    /// `program` with the child's mode in its environment.
    fn child_command(program: &str, mode: &str) -> Command {
        let mut c = Command::new(program);
        c.env(MODE, mode);
        c
    }

    /// The test binary and the arguments that run the child alone.
    fn child_args() -> Vec<String> {
        let me = std::env::current_exe().expect("the test binary");
        vec![
            me.display().to_string(),
            "--ignored".into(),
            "--exact".into(),
            CHILD.into(),
            "--nocapture".into(),
            "--test-threads=1".into(),
        ]
    }

    /// Runs the child in `mode` on a pseudo-terminal, types `send` (a
    /// Python string literal body) at the prompt; the driver's report, or
    /// `None` when python3 is missing (a skip line, or a failure under CI).
    fn on_terminal(test: &str, mode: &str, send: &str) -> Option<Json> {
        if !formwork_test_support::tool_or_skip("python3", test) {
            return None;
        }
        let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pty/drive.py");
        let out = child_command("python3", mode)
            .arg(&driver)
            .arg(send)
            .arg("--")
            .args(child_args())
            .stdin(Stdio::null())
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "the driver failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Json = serde_json::from_slice(&out.stdout).expect("the driver's JSON");
        assert_eq!(report["timed_out"], false, "the child hung: {report:#}");
        assert_eq!(report["prompted"], true, "no prompt: {report:#}");
        assert_eq!(report["echo_before"], true, "{report:#}");
        Some(report)
    }

    #[test]
    fn the_value_typed_at_the_prompt_is_read_exactly_and_not_shown() {
        // Ctrl-U clears `zz`; Backspace takes `é` (two bytes) back.
        let Some(r) = on_terminal(
            "the_value_typed_at_the_prompt_is_read_exactly_and_not_shown",
            "deploy",
            r"zz\x15pa ss-w\u00e9\x7f\u00f6rd \\ x\r",
        ) else {
            return;
        };
        let shown = r["output"].as_str().unwrap_or_default();
        assert!(shown.contains(PROMPT), "{r:#}");
        assert_eq!(
            r["echo_at_prompt"], false,
            "echo is on at the prompt: {r:#}"
        );
        for typed in ["zz", "pa ss", "w\u{e9}", "\u{f6}rd", "\\ x"] {
            assert!(!shown.contains(typed), "`{typed}` was echoed: {r:#}");
        }
        let want = format!("value-hex: {}\r\n", hex("pa ss-w\u{f6}rd \\ x"));
        assert!(shown.contains(&want), "want {want}: {r:#}");
        assert_eq!(r["status"], 0, "{r:#}");
        assert_eq!(r["echo_after"], true, "echo stays off: {r:#}");
        assert_eq!(r["settings_restored"], true, "{r:#}");
    }

    #[test]
    fn ctrl_c_at_the_prompt_stops_the_reading_and_restores_the_terminal() {
        for (key, send) in [("Ctrl-C", r"abc\x03"), ("Ctrl-\\", r"abc\x1c")] {
            let Some(r) = on_terminal(
                "ctrl_c_at_the_prompt_stops_the_reading_and_restores_the_terminal",
                "deploy",
                send,
            ) else {
                return;
            };
            let shown = r["output"].as_str().unwrap_or_default();
            assert_eq!(r["echo_at_prompt"], false, "{key}: {r:#}");
            assert!(
                shown.contains(
                    "error: the prompt for the value of secret S/Key was interrupted (Ctrl-C): nothing was created"
                ),
                "{key}: {r:#}"
            );
            assert!(!shown.contains("abc"), "{key}: echoed: {r:#}");
            assert_eq!(r["signal"], Json::Null, "{key}: {r:#}");
            assert_eq!(r["echo_after"], true, "{key}: echo stays off: {r:#}");
            assert_eq!(r["settings_restored"], true, "{key}: {r:#}");
        }
    }

    #[test]
    fn keys_edit_the_line_as_a_terminal_would() {
        fn typed(keys: &[u8]) -> io::Result<(bool, String)> {
            let mut line = unix::Line::default();
            let mut done = false;
            for k in keys {
                if line.key(*k)? {
                    done = true;
                    break;
                }
            }
            Ok((done, line.finish()?))
        }
        let ok = |keys: &[u8]| typed(keys).expect("a value");
        assert_eq!(ok(b"ab c\r"), (true, "ab c".into()));
        assert_eq!(ok(b"abc\nlater"), (true, "abc".into()));
        assert_eq!(ok("x\u{e9}\x7f\x08y\r".as_bytes()), (true, "y".into()));
        assert_eq!(ok(b"\x7fa\x15b\r"), (true, "b".into()));
        assert_eq!(ok(b"one two  \x17\x17three\r"), (true, "three".into()));
        assert_eq!(ok(b"a\x1ab\x04c\r"), (true, "abc".into()));
        assert_eq!(ok(b"\x04"), (true, String::new()));
        for interrupt in [b"ab\x03".as_slice(), b"\x1c"] {
            let e = typed(interrupt).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::Interrupted, "{e}");
        }
        let e = typed(b"\xff\r").unwrap_err();
        assert!(e.to_string().contains("not UTF-8"), "{e}");
    }

    /// Runs the child in `mode` with `input` piped to it; its exit status,
    /// standard output and standard error. A child that does not end within
    /// a minute (a hang: it must not wait on a terminal it does not have) is
    /// killed and fails the test.
    fn piped(mode: &str, input: &str) -> (std::process::ExitStatus, String, String) {
        let args = child_args();
        let mut child = child_command(&args[0], mode)
            .args(&args[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the child starts");
        let mut stdin = child.stdin.take().expect("stdin");
        let _ = stdin.write_all(input.as_bytes());
        drop(stdin);
        let (mut out, mut err) = (
            child.stdout.take().expect("out"),
            child.stderr.take().expect("err"),
        );
        let reader = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err.read_to_string(&mut s);
            s
        });
        let mut stdout = String::new();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let status = loop {
            if let Some(s) = child.try_wait().expect("wait") {
                break s;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("the child hung with its input piped (mode {mode})");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let _ = out.read_to_string(&mut stdout);
        (status, stdout, reader.join().unwrap_or_default())
    }

    #[test]
    fn with_input_piped_there_is_no_prompt_no_stty_message_and_no_wait() {
        let (status, out, err) = piped("deploy", "typed\n");
        assert!(status.success(), "{out}\n{err}");
        assert!(
            out.contains("error: error[FW0904] S/Key")
                && out.contains("it is asked on a terminal and there is none (CI, a pipe)"),
            "{out}"
        );
        // The prompt alone, with no terminal to turn echo off on.
        let (status, direct, direct_err) = piped("direct", "typed\n");
        assert!(status.success(), "{direct}\n{direct_err}");
        assert!(
            direct.contains("error: standard input is not a terminal\n"),
            "{direct}"
        );
        assert_eq!(direct_err, "", "the prompt alone printed");
        for text in [&out, &err, &direct, &direct_err] {
            assert!(!text.contains("stty"), "{text}");
            assert!(!text.contains("Value of secret"), "{text}");
            assert!(!text.contains("value-hex"), "{text}");
        }
    }
}
