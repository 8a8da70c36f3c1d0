//! Folder deployment into a bucket: compare by content with what is there,
//! upload what changed with its content type, delete what was removed.
//!
//! S3's ETag of an object uploaded in one part is the MD5 of its content;
//! of a multipart upload, the MD5 of the parts' MD5s and `-<parts>`. The
//! AWS CLI uploads in parts of 8 MiB from 8 MiB on, so the local ETag is
//! computed the same way and a file is uploaded only when its ETag
//! differs. Timestamps play no part.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use formwork_core::asset::{FileEntry, hex};
use md5::{Digest, Md5};

/// The AWS CLI's multipart threshold and part size.
const PART: u64 = 8 * 1024 * 1024;

/// The ETag S3 gives a file uploaded by the AWS CLI.
pub fn local_etag(path: &Path) -> std::io::Result<String> {
    let mut file = File::open(path)?;
    let size = file.metadata()?.len();
    let mut buf = vec![0u8; 64 * 1024];
    let mut whole = Md5::new();
    let mut part = Md5::new();
    let mut parts: Vec<u8> = Vec::new();
    let mut in_part = 0u64;
    let mut count = 0usize;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        let mut chunk = &buf[..n];
        whole.update(chunk);
        while !chunk.is_empty() {
            let take = ((PART - in_part) as usize).min(chunk.len());
            part.update(&chunk[..take]);
            in_part += take as u64;
            chunk = &chunk[take..];
            if in_part == PART {
                parts.extend(part.finalize_reset());
                count += 1;
                in_part = 0;
            }
        }
    }
    if size < PART {
        return Ok(hex(&whole.finalize()));
    }
    if in_part > 0 {
        parts.extend(part.finalize_reset());
        count += 1;
    }
    Ok(format!("{}-{count}", hex(&Md5::digest(&parts))))
}

/// The content type of a file, from its extension (the same on every
/// platform, unlike the AWS CLI's guess, which reads the system's tables).
pub fn content_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "jsonl" | "ndjson" => "application/x-ndjson",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "yaml" | "yml" => "application/yaml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        _ => "application/octet-stream",
    }
}

/// What a deployment must do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files to upload: (key, file).
    pub upload: Vec<(String, FileEntry)>,
    /// Keys to delete.
    pub delete: Vec<String>,
}

impl Changes {
    /// True when nothing is to be done.
    pub fn is_empty(&self) -> bool {
        self.upload.is_empty() && self.delete.is_empty()
    }
}

/// Compares local files with the remote objects under `prefix`
/// (key → ETag without quotes).
pub fn compare(
    files: &[FileEntry],
    prefix: &str,
    remote: &BTreeMap<String, String>,
    prune: bool,
) -> std::io::Result<Changes> {
    let mut c = Changes::default();
    let mut local = std::collections::BTreeSet::new();
    for f in files {
        let key = format!("{prefix}{}", f.rel);
        let same = match remote.get(&key) {
            Some(etag) => *etag == local_etag(&f.path)?,
            None => false,
        };
        if !same {
            c.upload.push((key.clone(), f.clone()));
        }
        local.insert(key);
    }
    if prune {
        c.delete = remote
            .keys()
            .filter(|k| !local.contains(*k))
            .cloned()
            .collect();
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_match_s3() {
        let dir = std::env::temp_dir().join(format!("fw-etag-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.txt");
        std::fs::write(&p, b"hello\n").unwrap();
        assert_eq!(local_etag(&p).unwrap(), "b1946ac92492d2347c6235b4d2611184");
        // 9 MiB of zeros: two parts.
        std::fs::write(&p, vec![0u8; 9 * 1024 * 1024]).unwrap();
        assert!(local_etag(&p).unwrap().ends_with("-2"));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn content_types_come_from_extensions() {
        assert_eq!(content_type("index.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("model_map.json"), "application/json");
        assert_eq!(content_type("README"), "application/octet-stream");
    }

    #[test]
    fn compares_by_content_and_prunes() {
        let dir = std::env::temp_dir().join(format!("fw-cmp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("same.txt"), b"hello\n").unwrap();
        std::fs::write(dir.join("new.txt"), b"x").unwrap();
        let files = formwork_core::asset::walk(&dir, &Default::default()).unwrap();
        let remote: BTreeMap<String, String> = [
            (
                "data/same.txt".to_owned(),
                "b1946ac92492d2347c6235b4d2611184".to_owned(),
            ),
            ("data/gone.txt".to_owned(), "0".repeat(32)),
        ]
        .into();
        let c = compare(&files, "data/", &remote, true).unwrap();
        assert_eq!(c.upload.len(), 1);
        assert_eq!(c.upload[0].0, "data/new.txt");
        assert_eq!(c.delete, ["data/gone.txt"]);
        let kept = compare(&files, "data/", &remote, false).unwrap();
        assert!(kept.delete.is_empty());
        std::fs::remove_dir_all(&dir).ok();
    }
}
