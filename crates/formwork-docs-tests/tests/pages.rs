//! Every page of docs/ is compiled: this crate includes it, or it is one of
//! the pages tested elsewhere (getting started by the facade's test, the
//! service pages as the facade's module docs).

use std::path::Path;

#[test]
fn every_page_of_docs_is_compiled_somewhere() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let docs = root.join("docs");
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("src/lib.rs");
    let facade = std::fs::read_to_string(root.join("crates/formwork/src/lib.rs"))
        .expect("the facade's lib.rs");
    let pages = formwork_docs_tests::files_with_extension(&docs, "md");
    assert!(pages.len() > 10, "found only {} pages", pages.len());
    let missing: Vec<String> = pages
        .iter()
        .filter_map(|p| {
            let rel = p
                .strip_prefix(&docs)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let included = format!("docs/{rel}\")");
            let tested = rel == "getting-started.md"
                || lib.contains(&included)
                || (rel.starts_with("services/") && facade.contains(&included));
            (!tested).then_some(rel)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "pages whose code blocks nothing compiles (add them to crates/formwork-docs-tests/src/lib.rs): {missing:?}"
    );
}
