//! docs/troubleshooting.md lists every diagnostic code the source defines.
//!
//! Codes are declared as `pub const NAME: &str = "FWnnnn";` in the `codes`
//! modules of the crates (engine, constructs, deploy tool, rules) and of the
//! examples. This test reads the source tree as it is, so a code added
//! anywhere fails it until the page has a row for it; the failure prints
//! rows to paste, made from the constants' doc comments.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A code defined in the source: its doc comment and the file.
struct Defined {
    doc: String,
    file: String,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            // Build output and tests are not where codes are defined.
            if name != "target" && name != "tests" && name != "node_modules" {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `FWnnnn` when `line` declares a code constant.
fn declared_code(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix("pub const ")?;
    let (_, value) = rest.split_once(": &str = \"")?;
    let code = value.strip_suffix("\";")?;
    let digits = code.strip_prefix("FW")?;
    (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

fn defined_codes(root: &Path) -> BTreeMap<String, Defined> {
    let mut files = Vec::new();
    rust_files(&root.join("crates"), &mut files);
    rust_files(&root.join("examples"), &mut files);
    files.sort();
    let mut codes = BTreeMap::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let rel = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        let mut doc: Vec<&str> = Vec::new();
        for line in text.lines() {
            let t = line.trim();
            if let Some(d) = t.strip_prefix("///") {
                doc.push(d.trim());
                continue;
            }
            if let Some(code) = declared_code(t) {
                codes.entry(code.to_owned()).or_insert_with(|| Defined {
                    doc: doc.join(" "),
                    file: rel.clone(),
                });
            }
            if !t.starts_with("#[") {
                doc.clear();
            }
        }
    }
    codes
}

#[test]
fn the_declaration_reader_finds_codes_and_only_codes() {
    assert_eq!(
        declared_code(r#"    pub const REQUIRED: &str = "FW0101";"#),
        Some("FW0101")
    );
    assert_eq!(declared_code(r#"pub const X: &str = "FW01";"#), None);
    assert_eq!(declared_code(r#"pub const X: &str = "hello";"#), None);
    assert_eq!(declared_code(r#"let x = "FW0101";"#), None);
}

#[test]
fn troubleshooting_lists_every_diagnostic_code() {
    let root = workspace();
    let page = std::fs::read_to_string(root.join("docs/troubleshooting.md"))
        .expect("docs/troubleshooting.md");
    let codes = defined_codes(&root);
    // The engine's own codes are always there: a reader that finds none is broken.
    assert!(
        codes.contains_key("FW0101") && codes.len() > 100,
        "found only {} codes under crates/ and examples/",
        codes.len()
    );
    let missing: Vec<String> = codes
        .iter()
        .filter(|(code, _)| !page.contains(&format!("| {code} |")))
        .map(|(code, d)| format!("| {code} | {} | `{}` |", d.doc, d.file))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/troubleshooting.md has no row for {} code(s); rows to add to its table \
         (check the wording):\n{}",
        missing.len(),
        missing.join("\n")
    );
}
