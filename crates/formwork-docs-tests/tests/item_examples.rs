//! The examples on items of the engine, the L2 constructs, the L3
//! patterns and the rule, cost, check and command-line crates are written
//! as a user writes them: a user's crate depends on the `formwork` facade
//! alone, so a visible line of an example says `formwork::s3::Bucket`,
//! never `formwork_l2::s3::Bucket`. (The crates' doctests compile those
//! examples against the facade, a dev-dependency of each; hidden setup
//! lines, `# …`, may name what they need.)

use std::path::Path;

/// The crates whose items a user sees through the facade (as `formwork::…`,
/// `formwork::security`, `formwork::cost`, `formwork::checks`,
/// `formwork::cli`), and the facade.
const CRATES: &[&str] = &[
    "formwork-core",
    "formwork-l2",
    "formwork-l3",
    "formwork-rules",
    "formwork-cost",
    "formwork-check",
    "formwork-deploy",
    "formwork",
];

/// What a user's crate cannot name: the internal crates, and the engine's
/// test-only resource type.
const INTERNAL: &[&str] = &[
    "formwork_core::",
    "formwork_l1::",
    "formwork_l2::",
    "formwork_l3::",
    "formwork_rules::",
    "formwork_cost::",
    "formwork_check::",
    "formwork_deploy::",
    "CfnThing",
];

/// The attributes of a fenced block rustdoc compiles as Rust.
const RUST_ATTRIBUTES: &[&str] = &[
    "",
    "rust",
    "no_run",
    "ignore",
    "should_panic",
    "compile_fail",
    "test_harness",
    "standalone_crate",
    "edition2015",
    "edition2018",
    "edition2021",
    "edition2024",
];

fn is_rust_block(info: &str) -> bool {
    info.split([',', ' '])
        .map(str::trim)
        .all(|a| RUST_ATTRIBUTES.contains(&a))
}

/// The text of a doc comment line (`///` or `//!`), without its marker and
/// the one space after it.
fn doc_text(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let body = t.strip_prefix("///").or_else(|| t.strip_prefix("//!"))?;
    Some(body.strip_prefix(' ').unwrap_or(body))
}

/// Whether rustdoc hides a line of an example (`# use …;`, a lone `#`).
fn is_hidden(code: &str) -> bool {
    let t = code.trim_start();
    t == "#" || t.starts_with("# ")
}

/// The visible lines of Rust examples in doc comments that name an
/// internal crate: (line number, line).
fn internal_paths(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    // Inside a fenced block: whether it is Rust.
    let mut block: Option<bool> = None;
    for (i, line) in source.lines().enumerate() {
        let Some(text) = doc_text(line) else {
            block = None;
            continue;
        };
        let trimmed = text.trim();
        if let Some(info) = trimmed.strip_prefix("```") {
            block = match block {
                None => Some(is_rust_block(info.trim())),
                Some(_) => None,
            };
            continue;
        }
        if block == Some(true) && !is_hidden(text) && INTERNAL.iter().any(|p| text.contains(p)) {
            found.push((i + 1, trimmed.to_string()));
        }
    }
    found
}

#[test]
fn item_examples_use_the_facade_paths_a_user_crate_has() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files: Vec<_> = CRATES
        .iter()
        .flat_map(|krate| {
            formwork_docs_tests::files_with_extension(
                &root.join("crates").join(krate).join("src"),
                "rs",
            )
        })
        .collect();
    assert!(files.len() > 100, "found only {} source files", files.len());
    let mut bad = Vec::new();
    let mut examples = 0;
    for file in &files {
        let source = std::fs::read_to_string(file).expect("a source file");
        examples += source
            .lines()
            .filter(|l| doc_text(l).is_some_and(|t| t.trim() == "```"))
            .count();
        let rel = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        for (line, text) in internal_paths(&source) {
            bad.push(format!("{rel}:{line}: {text}"));
        }
    }
    assert!(
        examples > 200,
        "found only {examples} examples: is the scan still reading doc comments?"
    );
    assert!(
        bad.is_empty(),
        "examples that name an internal crate (a user's crate has `formwork::…`: `formwork::s3::Bucket`, \
         `formwork::App`, `formwork::testing::Template`, `formwork::patterns::StaticSite`; \
         a real resource type, not the engine's test-only `CfnThing`):\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_scan_finds_internal_paths_in_visible_lines_of_rust_examples_only() {
    let source = r#"
/// Prose may link [`formwork_l2::s3::Bucket`].
///
/// ```
/// # use formwork_core::testing::CfnThing;
/// use formwork::s3::Bucket;
/// use formwork_l2::s3::BucketProps;
/// stack.add("Thing", CfnThing::new())?;
/// ```
///
/// ```text
/// formwork_core::App
/// ```
fn f() {}
//! ```no_run
//!     let app = formwork_core::App::new();
//! ```
// ```
// formwork_l3::static_site
"#;
    let found = internal_paths(source);
    assert_eq!(
        found,
        vec![
            (7, "use formwork_l2::s3::BucketProps;".to_string()),
            (8, "stack.add(\"Thing\", CfnThing::new())?;".to_string()),
            (16, "let app = formwork_core::App::new();".to_string()),
        ]
    );
}
