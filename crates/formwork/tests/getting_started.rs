//! Follows docs/getting-started.md: copies `templates/minimal` (as the page
//! says) into a scratch folder under the target dir, points its formwork
//! dependency at this checkout, and runs every `cargo` command of the
//! page's bash blocks, offline, from the registry the workspace build has
//! already downloaded. Fails when the page and the template disagree,
//! when a step stops working, or when a step warns (the template we ship
//! synthesizes clean).

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The fenced blocks of a markdown page: (info string, body).
fn blocks(page: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in page.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_owned(), String::new())),
            (Some(_), Some("")) => out.extend(current.take()),
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read template") {
        let entry = entry.expect("template entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy template file");
        }
    }
}

/// Removes the scratch folder however the test ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_getting_started_page_works_verbatim() {
    let root = workspace();
    let page = std::fs::read_to_string(root.join("docs/getting-started.md")).expect("the page");
    let template = root.join("templates/minimal");
    let blocks = blocks(&page);

    // Every file the page shows is the template's file, byte for byte.
    let mut shown = 0;
    for (info, body) in &blocks {
        if let Some(title) = info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("title="))
        {
            let file = std::fs::read_to_string(template.join(title))
                .unwrap_or_else(|e| panic!("the page shows {title}, the template has none: {e}"));
            assert_eq!(
                body, &file,
                "docs/getting-started.md shows {title} unlike templates/minimal"
            );
            shown += 1;
        }
    }
    assert!(shown >= 4, "the page shows the template's files");

    // Step 1 as the page says it: a copy of the template.
    let scratch = Scratch(root.join(format!(
        "target/formwork-tests/getting-started-{}",
        std::process::id()
    )));
    let _ = std::fs::remove_dir_all(&scratch.0);
    let project = scratch.0.join("hello-formwork");
    copy_dir(&template, &project);
    let _ = std::fs::remove_dir_all(project.join("formwork.out"));
    let _ = std::fs::remove_dir_all(project.join("target"));
    // The page's path dependency expects the clone beside the project; here
    // it is this checkout. `[workspace]` keeps cargo from taking the
    // scratch folder for part of this workspace (it lies under target/).
    let manifest = project.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("template manifest");
    let facade = root
        .join("crates/formwork")
        .canonicalize()
        .expect("facade path");
    let rewritten = text.replace(
        "path = \"../formwork/crates/formwork\"",
        &format!("path = {:?}", facade.to_string_lossy()),
    );
    assert_ne!(
        rewritten, text,
        "the template depends on ../formwork/crates/formwork"
    );
    std::fs::write(&manifest, format!("{rewritten}\n[workspace]\n")).expect("write manifest");
    // The versions the workspace resolved (and downloaded).
    std::fs::copy(root.join("Cargo.lock"), project.join("Cargo.lock")).expect("copy Cargo.lock");

    let commands: Vec<String> = blocks
        .iter()
        .filter(|(info, _)| info == "bash")
        .flat_map(|(_, body)| {
            body.lines()
                .map(str::trim)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|l| l.starts_with("cargo ") && !l.ends_with("# needs AWS credentials"))
        .collect();
    for needed in ["cargo run", "cargo test", "cargo run -- deploy --dry-run"] {
        assert!(
            commands.iter().any(|c| c == needed),
            "the page no longer says `{needed}`"
        );
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    for line in &commands {
        let words: Vec<&str> = line.split_whitespace().collect();
        let out = Command::new(&cargo)
            .args(&words[1..])
            .current_dir(&project)
            .env("CARGO_NET_OFFLINE", "true")
            .env("CARGO_TARGET_DIR", root.join("target/getting-started"))
            .env("INSTA_UPDATE", "no")
            .env_remove("CARGO_MANIFEST_DIR")
            .env_remove("FORMWORK_PROJECT_DIR")
            .output()
            .expect("run cargo");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "`{line}` failed:\n{stdout}\n{stderr}");
        // The template synthesizes clean: no diagnostic (`warning[FW5060]: …`,
        // `warning: 1 warning`) and no compiler or cargo warning either.
        let warnings: Vec<&str> = stderr
            .lines()
            .filter(|l| l.trim_start().starts_with("warning"))
            .collect();
        assert!(
            warnings.is_empty(),
            "`{line}` warns:\n{}\n\n{stderr}",
            warnings.join("\n")
        );
        if line == "cargo run" {
            assert!(
                project.join("formwork.out/Hello.template.json").is_file(),
                "{stdout}"
            );
        }
        if line.contains("--dry-run") {
            assert!(
                stdout.contains("cloudformation deploy"),
                "{stdout}\n{stderr}"
            );
        }
    }
}
