//! Test helpers: run `cfn-lint` on synthesized templates, and snapshot
//! whole templates with insta into the workspace's `snapshots/` folder.
//!
//! `cfn-lint` is the judge of template correctness. When it is not installed
//! the check is skipped with a loud message, unless `CI` or
//! `FORMWORK_REQUIRE_TOOLS` is set, where a missing linter fails the test.
//! `scripts/test` installs the pinned version.
#![deny(missing_docs)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use formwork_core::{App, Assembly};

mod lint_server;

static SEQ: AtomicU32 = AtomicU32::new(0);

/// True when a missing external tool must fail the test (`CI` or
/// `FORMWORK_REQUIRE_TOOLS` set to anything but empty, `0` or `false`).
pub fn tools_required() -> bool {
    ["CI", "FORMWORK_REQUIRE_TOOLS"]
        .iter()
        .any(|k| std::env::var(k).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false"))
}

/// Prints `*** SKIPPED <what> ***` where `cargo test` shows it: straight to
/// the process's standard error, which the test harness does not capture
/// (it captures only `print!`/`eprint!`), so the line is seen even when the
/// test passes.
pub fn skip_line(what: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "\n*** SKIPPED {what} ***");
}

/// For a test that needs an external program: `true` when `program
/// --version` runs. When it does not, the test fails under `CI` or
/// `FORMWORK_REQUIRE_TOOLS` (see [`tools_required`]) and otherwise prints a
/// skip line that `cargo test` shows, and this returns `false`.
pub fn tool_or_skip(program: &str, test: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            !tools_required(),
            "{test} needs `{program}`, which is not installed (CI or FORMWORK_REQUIRE_TOOLS is set)"
        );
        skip_line(&format!("{test}: `{program}` is not installed"));
    }
    found
}

/// Copies a folder (not its `node_modules` or `dist`) into a fresh scratch
/// folder and returns the copy: tests build and change asset folders there,
/// never in the repository.
pub fn copy_dir(src: &Path, label: &str) -> ScratchDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("create dir");
        for e in std::fs::read_dir(from).expect("read dir").flatten() {
            let name = e.file_name();
            if name == "node_modules" || name == "dist" {
                continue;
            }
            let p = e.path();
            if p.is_dir() {
                copy(&p, &to.join(&name));
            } else {
                std::fs::copy(&p, to.join(&name)).expect("copy file");
            }
        }
    }
    let dir = scratch_dir(label);
    copy(src, &dir);
    dir
}

/// The `cfn-lint` command, if installed (`.venv/bin` of the workspace first).
pub fn cfn_lint_command() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/cfn-lint");
    if venv.exists() {
        return Some(venv);
    }
    let ok = Command::new("cfn-lint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| PathBuf::from("cfn-lint"))
}

/// A fresh folder under the target directory for a test's files, removed
/// when the value is dropped (so a test leaves nothing behind, pass or
/// fail). It dereferences to the [`Path`].
#[derive(Debug)]
pub struct ScratchDir(PathBuf);

impl ScratchDir {
    /// The folder.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl std::ops::Deref for ScratchDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for ScratchDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh folder under the target directory for a test's files
/// (`target/formwork-tests/<label>-<pid>-<n>`), removed when dropped.
pub fn scratch_dir(label: &str) -> ScratchDir {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/formwork-tests");
    let dir = base.join(format!(
        "{label}-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    ScratchDir(dir)
}

/// Writes an executable script (a stand-in `docker`, a build command) that
/// a test runs right after.
///
/// The file is written by a `sh` child, never through a file descriptor
/// of the test process: a test binary runs its tests on several threads,
/// and a process another thread forks at the moment this one holds the
/// script open for writing inherits that descriptor until it execs, so
/// that running the script fails with "Text file busy" (`ETXTBSY`). With
/// the write done in a child, no other process can hold it.
pub fn write_executable(path: &Path, body: &str) {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let mut child = Command::new("sh")
            .args(["-c", "cat > \"$1\" && chmod 755 \"$1\"", "sh"])
            .arg(path)
            .stdin(Stdio::piped())
            .spawn()
            .expect("sh runs");
        child
            .stdin
            .take()
            .expect("the child's standard input")
            .write_all(body.as_bytes())
            .expect("the script written to sh");
        let status = child.wait().expect("sh ends");
        assert!(status.success(), "writing {} failed", path.display());
    }
    #[cfg(not(unix))]
    std::fs::write(path, body).expect("write the script");
}

/// Runs `cfn-lint` on template files; panics with its findings (errors,
/// warnings or informational) when there are any. One cfn-lint process
/// serves every call of a test process (see `lint_server.rs`); the
/// `cfn-lint` command runs when that process cannot.
pub fn lint_files(files: &[PathBuf]) {
    let Some(cmd) = cfn_lint_command() else {
        assert!(
            !tools_required(),
            "cfn-lint is required here (CI or FORMWORK_REQUIRE_TOOLS is set) but not installed; run scripts/test"
        );
        skip_line("cfn-lint: not installed; run scripts/test to install the pinned version");
        return;
    };
    if files.is_empty() {
        return;
    }
    if let Some(verdict) = lint_server::lint(&cmd, files) {
        assert!(verdict.clean, "cfn-lint findings:\n{}", verdict.output);
        return;
    }
    let out = Command::new(&cmd)
        .args(["--format", "parseable", "--"])
        .args(files)
        .output()
        .expect("run cfn-lint");
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && text.trim().is_empty(),
        "cfn-lint findings:\n{text}{err}"
    );
}

/// Writes an assembly to a scratch folder, lints every template, and
/// removes the folder.
pub fn lint(asm: &Assembly, label: &str) {
    let dir = scratch_dir(label);
    asm.write(&dir).expect("write assembly");
    let files: Vec<PathBuf> = asm.stacks.iter().map(|s| dir.join(&s.file_name)).collect();
    lint_files(&files);
}

/// Synthesizes an app (panicking with every diagnostic on failure) and lints it.
pub fn synth_and_lint(app: &App, label: &str) -> Assembly {
    let asm = match app.synth() {
        Ok(a) => a,
        Err(e) => panic!("{e}"),
    };
    lint(&asm, label);
    asm
}

/// The template of one stack as JSON (see the published
/// [`formwork_core::assertions::Template`] for assertions on it).
///
/// Each resource comes without the `formwork:path` metadata entry synth
/// writes on every resource and without the `checkov` suppressions a
/// construct records (a `Metadata` left empty goes too), so that a unit test
/// states a construct's properties and policies only; both entries are
/// covered by the engine's and the rules' tests, the snapshots and the
/// checkov test.
pub fn template(asm: &Assembly, stack: &str) -> serde_json::Value {
    let mut t = formwork_core::assertions::Template::from_assembly(asm, stack)
        .json()
        .clone();
    if let Some(resources) = t.get_mut("Resources").and_then(|r| r.as_object_mut()) {
        for r in resources.values_mut() {
            let Some(r) = r.as_object_mut() else { continue };
            let empty = match r.get_mut("Metadata").and_then(|m| m.as_object_mut()) {
                Some(m) => {
                    m.remove("formwork:path");
                    m.remove("checkov");
                    m.is_empty()
                }
                None => false,
            };
            if empty {
                r.remove("Metadata");
            }
        }
    }
    t
}

/// The workspace's `snapshots/` folder.
pub fn snapshots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../snapshots")
}

/// Snapshots a text as `snapshots/<name>.snap` (insta: review changes with
/// `cargo insta review`; CI runs with `INSTA_UPDATE=no`).
pub fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(snapshots_dir());
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// The `checkov` command, if installed (`.venv-checkov/bin` of the
/// workspace first, where `scripts/test` installs the pinned version).
pub fn checkov_command() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv-checkov/bin/checkov");
    if venv.exists() {
        return Some(venv);
    }
    let ok = Command::new("checkov")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| PathBuf::from("checkov"))
}

/// Runs checkov (offline: `--framework cloudformation --skip-download`,
/// `BC_SKIP_MAPPING=TRUE`) on template files; panics listing every failed
/// check. A check a template skips through `Metadata.checkov.skip` (a
/// formwork suppression, whose reason is in the code and the template) is
/// not a failure.
pub fn checkov_files(files: &[PathBuf]) {
    let Some(cmd) = checkov_command() else {
        assert!(
            !tools_required(),
            "checkov is required here (CI or FORMWORK_REQUIRE_TOOLS is set) but not installed; run scripts/test"
        );
        eprintln!(
            "\n*** SKIPPED checkov: not installed; run scripts/test to install the pinned version ***\n"
        );
        return;
    };
    if files.is_empty() {
        return;
    }
    let mut c = Command::new(&cmd);
    c.args([
        "--framework",
        "cloudformation",
        "--skip-download",
        "--quiet",
        "--compact",
        "--output",
        "json",
    ])
    .env("BC_SKIP_MAPPING", "TRUE")
    .env("CHECKOV_RUN_SCA_PACKAGE_SCAN_V2", "false");
    for f in files {
        c.arg("--file").arg(f);
    }
    let out = c.output().expect("run checkov");
    let text = String::from_utf8_lossy(&out.stdout);
    let parsed: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => panic!(
            "checkov gave no JSON ({e}):\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        ),
    };
    let reports = match parsed {
        serde_json::Value::Array(a) => a,
        other => vec![other],
    };
    let mut failed = Vec::new();
    for r in &reports {
        for c in r["results"]["failed_checks"]
            .as_array()
            .into_iter()
            .flatten()
        {
            failed.push(format!(
                "{} {} {}: {}",
                c["file_path"].as_str().unwrap_or(""),
                c["resource"].as_str().unwrap_or(""),
                c["check_id"].as_str().unwrap_or(""),
                c["check_name"].as_str().unwrap_or("")
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "checkov failed checks with no suppression (fix the default, or suppress with a reason):\n{}",
        failed.join("\n")
    );
}

/// `text` with asset hashes redacted: the published
/// [`formwork_core::assertions::redact_assets`].
pub use formwork_core::assertions::redact_assets;

/// The check every example gets: cfn-lint and checkov on every template,
/// then a snapshot of every template and of the manifest
/// (`<example>__<Stack>.snap`), with asset hashes redacted
/// ([`redact_assets`]).
pub fn check_example(example: &str, asm: &Assembly) {
    let dir = scratch_dir(example);
    asm.write(&dir).expect("write assembly");
    let files: Vec<PathBuf> = asm.stacks.iter().map(|s| dir.join(&s.file_name)).collect();
    lint_files(&files);
    checkov_files(&files);
    for s in &asm.stacks {
        snapshot(
            &format!("{example}__{}", s.name),
            &redact_assets(asm, &s.template),
        );
    }
    snapshot(
        &format!("{example}__manifest"),
        &redact_assets(asm, asm.manifest()),
    );
}

/// Adds a small resource to a scope, for tests of constructs that create
/// nothing (imported ones): CloudFormation refuses a stack without
/// resources (FW0404).
pub fn filler(scope: &formwork_core::Scope) {
    scope
        .add("Filler", formwork_core::testing::CfnThing::new())
        .expect("add the filler resource");
}

/// The diagnostics of an app whose synth must fail (panics when it succeeds).
pub fn failed(app: &App) -> formwork_core::Diagnostics {
    match app.synth() {
        Ok(_) => panic!("synth succeeded but errors were expected"),
        Err(e) => e
            .diagnostics()
            .cloned()
            .unwrap_or_else(|| panic!("synth failed without diagnostics: {e}")),
    }
}

/// The one diagnostic with `code` (panics when there are none or several).
pub fn one<'a>(d: &'a formwork_core::Diagnostics, code: &'a str) -> &'a formwork_core::Diagnostic {
    let found: Vec<&formwork_core::Diagnostic> = d.with_code(code).collect();
    assert_eq!(found.len(), 1, "expected one {code}, got:\n{d}");
    found[0]
}

/// The one diagnostic with `code`, checked for its path and property.
pub fn one_at(
    d: &formwork_core::Diagnostics,
    code: &str,
    path: &str,
    property: &str,
) -> formwork_core::Diagnostic {
    let found = one(d, code);
    assert_eq!(found.path, path, "{found}");
    assert_eq!(found.property.as_deref(), Some(property), "{found}");
    found.clone()
}

/// The diagnostics with `code`, in the order they were reported.
pub fn with_code<'a>(
    ds: &'a [formwork_core::Diagnostic],
    code: &str,
) -> Vec<&'a formwork_core::Diagnostic> {
    ds.iter().filter(|d| d.code == code).collect()
}

/// The resources of a type in a template, as (logical id, resource).
pub use formwork_core::assertions::resources_of_type as of_type;

/// A headless Chromium or Chrome, if installed (`FORMWORK_BROWSER` first).
pub fn browser_command() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("FORMWORK_BROWSER") {
        return Some(PathBuf::from(p));
    }
    ["chromium", "chromium-browser", "google-chrome", "chrome"]
        .iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(PathBuf::from)
}

/// Opens an HTML page in a headless browser and returns the DOM it
/// rendered (`--dump-dom`); `None` (with a loud skip line) when no browser
/// is installed, unless `CI` or `FORMWORK_REQUIRE_TOOLS` is set, where that
/// fails the test. The page is opened from a file with the network off.
pub fn render_html(html: &str, label: &str) -> Option<String> {
    let Some(browser) = browser_command() else {
        assert!(
            !tools_required(),
            "a headless browser is required here (CI or FORMWORK_REQUIRE_TOOLS is set) but none is installed (apt-get install chromium)"
        );
        eprintln!("\n*** SKIPPED browser rendering: no chromium or chrome installed ***\n");
        return None;
    };
    let dir = scratch_dir(label);
    let page = dir.join("page.html");
    std::fs::write(&page, html).expect("write the page");
    let page = page.canonicalize().expect("page path");
    let url = format!("file://{}", page.display());
    let out = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--proxy-server=127.0.0.1:9",
            &format!("--user-data-dir={}", dir.join("profile").display()),
            "--dump-dom",
            &url,
        ])
        .output()
        .expect("run the browser");
    assert!(
        out.status.success(),
        "{} failed: {}",
        browser.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_tool_fails_when_required_and_is_skipped_otherwise() {
        let missing = || tool_or_skip("formwork-no-such-program", "this test");
        if tools_required() {
            assert!(std::panic::catch_unwind(missing).is_err());
        } else {
            assert!(!missing());
        }
    }

    #[test]
    fn scratch_folders_go_away() {
        let dir = scratch_dir("scratch-check");
        let path = dir.path().to_path_buf();
        std::fs::write(dir.join("f"), "x").expect("write");
        drop(dir);
        assert!(!path.exists());
    }

    /// The long-running cfn-lint gives what the `cfn-lint` command gives:
    /// the same findings, in the same format, for a template with faults
    /// of three kinds (an unknown property, a number out of range, a reference to nothing), and nothing for a clean one, asked in turn on one
    /// process.
    #[test]
    fn the_lint_server_answers_as_the_command_does() {
        let Some(cmd) = cfn_lint_command() else {
            assert!(
                !tools_required(),
                "cfn-lint is required here but not installed"
            );
            skip_line("cfn-lint: not installed; run scripts/test");
            return;
        };
        let dir = scratch_dir("lint-server");
        let bad = dir.join("bad.json");
        let clean = dir.join("clean.json");
        std::fs::write(
            &bad,
            r#"{"Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"x","Nope":1}},"Q":{"Type":"AWS::SQS::Queue","Properties":{"DelaySeconds":"901"}}},"Outputs":{"O":{"Value":{"Ref":"Missing"}}}}"#,
        )
        .expect("write");
        std::fs::write(&clean, r#"{"Resources":{"B":{"Type":"AWS::SQS::Queue"}}}"#).expect("write");
        for _ in 0..2 {
            let served = lint_server::lint(&cmd, std::slice::from_ref(&bad))
                .expect("the lint server answers (Python beside cfn-lint)");
            let out = Command::new(&cmd)
                .args(["--format", "parseable", "--"])
                .arg(&bad)
                .output()
                .expect("run cfn-lint");
            assert!(!served.clean);
            assert!(!out.status.success());
            assert_eq!(
                served.output.trim(),
                String::from_utf8_lossy(&out.stdout).trim()
            );
            for code in ["E3002", "E3034", "E6101"] {
                assert!(served.output.contains(code), "{code} in {}", served.output);
            }
            let ok = lint_server::lint(&cmd, std::slice::from_ref(&clean)).expect("answer");
            assert!(ok.clean, "{}", ok.output);
            assert!(ok.output.trim().is_empty());
        }
    }
}
