//! The files of an asset and their content hash.
//!
//! [`walk`] lists the files of a folder (or one file) in a fixed order,
//! without what the excludes name; [`Fingerprint`] hashes them with SHA-256
//! together with every other input of the asset (its build command, its
//! Docker options), so the hash changes when and only when an input does.
//! Timestamps, owners and the order the file system lists entries in never
//! reach the hash. The deploy tool packages the same list, so what is
//! hashed is what is shipped.

use std::path::{Path, PathBuf};

use formwork_kernels::{Sha256, hash_file};

use super::glob::Excludes;

/// One file of an asset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    /// The path relative to the asset's folder, `/`-separated (the file
    /// name when the asset is one file).
    pub rel: String,
    /// Where it is on disk.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// True when it is executable (any `x` bit on Unix; never on Windows,
    /// where a file has no such bit).
    pub executable: bool,
}

/// Lists the files under `root` (or `root` itself when it is a file),
/// sorted by relative path, leaving out what `excludes` names. Symbolic
/// links are followed.
pub fn walk(root: &Path, excludes: &Excludes) -> std::io::Result<Vec<FileEntry>> {
    let meta = std::fs::metadata(root)?;
    let mut out = Vec::new();
    if meta.is_file() {
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push(entry(root.to_path_buf(), name, &meta));
        return Ok(out);
    }
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        for e in std::fs::read_dir(&dir)? {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if excludes.is_excluded(&rel) {
                continue;
            }
            let path = e.path();
            let meta = std::fs::metadata(&path)?;
            if meta.is_dir() {
                stack.push((path, rel));
            } else if meta.is_file() {
                out.push(entry(path, rel, &meta));
            }
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

fn entry(path: PathBuf, rel: String, meta: &std::fs::Metadata) -> FileEntry {
    FileEntry {
        executable: is_executable(meta),
        size: meta.len(),
        path,
        rel,
    }
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    false
}

/// A SHA-256 over an asset's files and inputs, in a framing where no two
/// different inputs give the same byte stream.
///
/// ```
/// use formwork::assets::Fingerprint;
/// let mut a = Fingerprint::new("zip");
/// a.input("build", "npm run build");
/// let mut b = Fingerprint::new("zip");
/// b.input("build", "npm run build ");
/// assert_ne!(a.finish(), b.finish());
/// ```
#[derive(Clone, Debug)]
pub struct Fingerprint {
    hasher: Sha256,
}

impl Fingerprint {
    /// A fingerprint for an asset of `kind`.
    pub fn new(kind: &str) -> Fingerprint {
        let mut f = Fingerprint {
            hasher: Sha256::new(),
        };
        f.field(b"formwork-asset/1");
        f.field(kind.as_bytes());
        f
    }

    fn field(&mut self, bytes: &[u8]) {
        self.hasher.update(&(bytes.len() as u64).to_le_bytes());
        self.hasher.update(bytes);
    }

    /// Adds a named input (a build command, a Docker option).
    pub fn input(&mut self, name: &str, value: &str) {
        self.field(b"input");
        self.field(name.as_bytes());
        self.field(value.as_bytes());
    }

    /// Adds the files, their relative paths, executable bits and content.
    pub fn files(&mut self, files: &[FileEntry]) -> std::io::Result<()> {
        for f in files {
            self.field(b"file");
            self.field(f.rel.as_bytes());
            self.field(if f.executable { b"755" } else { b"644" });
            let mut h = Sha256::new();
            let len = hash_file(&f.path, &mut h)?;
            self.hasher.update(&len.to_le_bytes());
            self.hasher.update(&h.finalize());
        }
        Ok(())
    }

    /// The hash, 64 lowercase hexadecimal digits.
    pub fn finish(self) -> String {
        hex(&self.hasher.finalize())
    }
}

/// Lowercase hexadecimal.
///
/// ```
/// assert_eq!(formwork::assets::hex(&[0x0f, 0xa0]), "0fa0");
/// ```
pub fn hex(bytes: &[u8]) -> String {
    formwork_kernels::hex(bytes)
}

/// The SHA-256 of a file, hex.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut h = Sha256::new();
    hash_file(path, &mut h)?;
    Ok(hex(&h.finalize()))
}
