//! Where the output folder is.
//!
//! The rule: `--out DIR` is taken as given (relative to the current folder,
//! like any path on a command line). Without it, the output folder is
//! `formwork.out` at the **crate root**: the folder in `CARGO_MANIFEST_DIR`,
//! which cargo sets for the program under `cargo run`; otherwise the nearest
//! folder with a `Cargo.toml`, from the current folder up; otherwise the
//! current folder. So `cargo run -p my-app` from a workspace root writes
//! `my-app/formwork.out/`, not `./formwork.out/`.

use std::path::{Path, PathBuf};

/// The default name of the output folder.
pub const DEFAULT_OUT: &str = "formwork.out";

/// The crate root, per the rule above, from the given environment.
pub fn crate_root(manifest_dir: Option<&Path>, cwd: &Path) -> PathBuf {
    if let Some(d) = manifest_dir.filter(|d| d.join("Cargo.toml").is_file()) {
        return d.to_path_buf();
    }
    cwd.ancestors()
        .find(|d| d.join("Cargo.toml").is_file())
        .unwrap_or(cwd)
        .to_path_buf()
}

/// The output folder of this process: `--out` or `formwork.out` at the
/// crate root.
pub fn resolve(out: Option<&Path>) -> PathBuf {
    if let Some(o) = out {
        return o.to_path_buf();
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    crate_root(manifest.as_deref(), &cwd).join(DEFAULT_OUT)
}

/// Who writes an output folder: the app (its package name under
/// `cargo run`, else its program name) and the `-c` values that select its
/// environment. A synth removes only files its own owner wrote before.
pub fn owner(app: &str, context: &[(String, String)]) -> String {
    let mut c: Vec<String> = context
        .iter()
        .map(|(k, v)| format!(" -c {k}={v}"))
        .collect();
    c.sort();
    format!("{app}{}", c.concat())
}

/// The name of the running app: `CARGO_PKG_NAME` (set by `cargo run`),
/// else the program's file name.
pub fn app_name(pkg: Option<String>) -> String {
    pkg.filter(|p| !p.is_empty())
        .or_else(|| {
            std::env::current_exe()
                .ok()
                .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        })
        .unwrap_or_else(|| "app".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crate_root_comes_from_cargo_then_from_the_nearest_manifest() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let src = here.join("src");
        assert_eq!(crate_root(None, &src), here);
        assert_eq!(crate_root(Some(here), Path::new("/")), here);
        // A manifest dir without a Cargo.toml is not believed.
        assert_eq!(crate_root(Some(&src), &src), here);
        assert_eq!(resolve(Some(Path::new("x"))), PathBuf::from("x"));
    }

    #[test]
    fn the_owner_is_the_app_and_its_context() {
        let c = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        assert_eq!(
            owner("chat-proxy", &[c("env", "prod"), c("a", "1")]),
            "chat-proxy -c a=1 -c env=prod"
        );
        assert_eq!(owner("x", &[]), "x");
        assert_eq!(app_name(Some("chat-proxy".into())), "chat-proxy");
    }
}
