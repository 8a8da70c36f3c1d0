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

static SEQ: AtomicU32 = AtomicU32::new(0);

fn required() -> bool {
    ["CI", "FORMWORK_REQUIRE_TOOLS"]
        .iter()
        .any(|k| std::env::var(k).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false"))
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

/// A fresh folder under the target directory for a test's files.
pub fn scratch_dir(label: &str) -> PathBuf {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/formwork-tests");
    let dir = base.join(format!(
        "{label}-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Runs `cfn-lint` on template files; panics with its findings (errors,
/// warnings or informational) when there are any.
pub fn lint_files(files: &[PathBuf]) {
    let Some(cmd) = cfn_lint_command() else {
        assert!(
            !required(),
            "cfn-lint is required here (CI or FORMWORK_REQUIRE_TOOLS is set) but not installed; run scripts/test"
        );
        eprintln!(
            "\n*** SKIPPED cfn-lint: not installed; run scripts/test to install the pinned version ***\n"
        );
        return;
    };
    if files.is_empty() {
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

/// Writes an assembly to a scratch folder and lints every template.
pub fn lint(asm: &Assembly, label: &str) -> PathBuf {
    let dir = scratch_dir(label);
    asm.write(&dir).expect("write assembly");
    let files: Vec<PathBuf> = asm.stacks.iter().map(|s| dir.join(&s.file_name)).collect();
    lint_files(&files);
    dir
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

/// The template of one stack as JSON.
pub fn template(asm: &Assembly, stack: &str) -> serde_json::Value {
    asm.template_json(stack)
        .unwrap_or_else(|| panic!("no stack {stack} in the assembly"))
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
            !required(),
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

/// `text` with the content hash of each asset of `asm` replaced by
/// `[asset N hash]` (N counts the assets from 1, in manifest order), so a
/// snapshot changes when the infrastructure does and not when the code in
/// an asset folder does. The deployed template keeps the real hash: a
/// changed asset still changes what is deployed.
///
/// ```
/// # let app = formwork_core::App::new();
/// # app.stack("S").unwrap().add("T", formwork_core::testing::CfnThing::new()).unwrap();
/// # let asm = app.synth().unwrap();
/// let text = formwork_test_support::redact_assets(&asm, "no asset here");
/// assert_eq!(text, "no asset here");
/// ```
pub fn redact_assets(asm: &Assembly, text: &str) -> String {
    let mut out = text.to_owned();
    for (i, h) in asm.asset_hashes().iter().enumerate() {
        out = out.replace(h, &format!("[asset {} hash]", i + 1));
    }
    out
}

/// The check every example gets: cfn-lint and checkov on every template,
/// then a snapshot of every template and of the manifest
/// (`<example>__<Stack>.snap`), with asset hashes redacted
/// ([`redact_assets`]).
pub fn check_example(example: &str, asm: &Assembly) {
    let dir = lint(asm, example);
    let files: Vec<PathBuf> = asm.stacks.iter().map(|s| dir.join(&s.file_name)).collect();
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
pub fn of_type<'a>(t: &'a serde_json::Value, ty: &str) -> Vec<(&'a str, &'a serde_json::Value)> {
    t["Resources"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, r)| r["Type"] == ty)
                .map(|(k, r)| (k.as_str(), r))
                .collect()
        })
        .unwrap_or_default()
}
