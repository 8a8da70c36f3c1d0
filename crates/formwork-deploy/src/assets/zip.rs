//! A deterministic zip writer: the same files give the same bytes on every
//! machine and every run.
//!
//! Entries are the files of [`formwork_core::asset::walk`] (sorted by
//! path, `/` separators), each with the fixed timestamp 1980-01-01 00:00
//! (the zip epoch), Unix permissions `0644`, or `0755` for an executable
//! file (so a bootstrap script stays runnable on Lambda), and no extra
//! fields. An entry is deflated (level 1, the fast level), or stored as it
//! is when it is already compressed: a file whose name says so (`.png`,
//! `.gz`, `.woff2`, ... see [`stored_by_name`]), or a file up to 2 MiB that
//! deflate does not make smaller.
//!
//! Files up to 2 MiB are compressed by one thread per core into memory and
//! written in path order; larger files are streamed by the writing thread
//! (the local header's CRC and sizes are written after the data by seeking
//! back, so no data descriptor is needed). Each entry's bytes depend on its
//! content alone, never on which thread compressed it, and at most two
//! entries per thread are held at once: memory stays flat whatever the
//! size of the folder.
//!
//! Why our own writer: the `zip` crate brings eight crates and timestamps
//! from the file system by default; this is 300 lines over `miniz_oxide`'s
//! deflate (the streaming loop in `assets/deflate.rs`) and `crc32fast`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

use formwork_core::asset::FileEntry;

use super::deflate::Deflater;

/// DOS date of 1980-01-01 (day 1, month 1, year 0).
const DOS_DATE: u16 = (1 << 5) | 1;
/// Bit 11: the names are UTF-8.
const FLAG_UTF8: u16 = 1 << 11;
/// Version 2.0 (deflate), made on Unix (3) so permissions are read.
const VERSION_NEEDED: u16 = 20;
const VERSION_MADE_BY: u16 = (3 << 8) | 20;
/// Compression methods.
const STORED: u16 = 0;
const DEFLATED: u16 = 8;
/// Files up to this size are compressed into memory by the worker threads.
const IN_MEMORY: u64 = 2 * 1024 * 1024;
/// Deflate's fast level.
const FAST: u8 = 1;
/// Files are read in blocks of this size.
const BLOCK: usize = 64 * 1024;
/// At most this many worker threads.
const MAX_WORKERS: usize = 8;

/// What was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ZipStats {
    /// Files in the archive.
    pub files: usize,
    /// Their total size before compression.
    pub unzipped_bytes: u64,
    /// The archive's size.
    pub zipped_bytes: u64,
}

/// True for a file whose name says its content is already compressed
/// (images, fonts, archives, audio and video): it is stored, not deflated.
///
/// ```
/// use formwork::cli::assets::zip::stored_by_name;
/// assert!(stored_by_name("img/logo.PNG"));
/// assert!(!stored_by_name("index.js"));
/// ```
pub fn stored_by_name(rel: &str) -> bool {
    let ext = rel
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "png"
            | "jpg"
            | "jpeg"
            | "gif"
            | "webp"
            | "avif"
            | "heic"
            | "woff"
            | "woff2"
            | "zip"
            | "gz"
            | "tgz"
            | "bz2"
            | "xz"
            | "zst"
            | "br"
            | "7z"
            | "jar"
            | "whl"
            | "mp3"
            | "mp4"
            | "m4a"
            | "ogg"
            | "webm"
            | "mov"
    )
}

/// Counts what goes through.
struct Counter<W> {
    inner: W,
    n: u64,
}

impl<W: Write> Write for Counter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.n += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// One entry's CRC and sizes.
#[derive(Clone, Copy)]
struct Sums {
    crc: u32,
    size: u64,
    compressed: u64,
}

/// Reads `input` in blocks into `out`, deflated or as it is. The blocks
/// are the same whatever `out` is, so the bytes are too.
fn pack(mut input: impl Read, out: impl Write, deflate: bool) -> std::io::Result<Sums> {
    let mut buf = vec![0u8; BLOCK];
    let mut crc = crc32fast::Hasher::new();
    let mut size = 0u64;
    let mut out = Counter { inner: out, n: 0 };
    if deflate {
        let mut enc = Deflater::new(&mut out, FAST);
        loop {
            let n = input.read(&mut buf)?;
            if n == 0 {
                break;
            }
            crc.update(&buf[..n]);
            size += n as u64;
            enc.write_all(&buf[..n])?;
        }
        enc.finish()?;
    } else {
        loop {
            let n = input.read(&mut buf)?;
            if n == 0 {
                break;
            }
            crc.update(&buf[..n]);
            size += n as u64;
            out.write_all(&buf[..n])?;
        }
    }
    Ok(Sums {
        crc: crc.finalize(),
        size,
        compressed: out.n,
    })
}

/// An entry compressed into memory.
struct Packed {
    method: u16,
    sums: Sums,
    data: Vec<u8>,
}

/// Compresses a small file into memory; stores it when deflate does not
/// make it smaller.
fn pack_in_memory(f: &FileEntry) -> std::io::Result<Packed> {
    let deflate = !stored_by_name(&f.rel);
    let mut data = Vec::new();
    let sums = pack(File::open(&f.path)?, &mut data, deflate)?;
    if !deflate || sums.compressed < sums.size {
        let method = if deflate { DEFLATED } else { STORED };
        return Ok(Packed { method, sums, data });
    }
    data.clear();
    let sums = pack(File::open(&f.path)?, &mut data, false)?;
    Ok(Packed {
        method: STORED,
        sums,
        data,
    })
}

struct Central {
    name: Vec<u8>,
    method: u16,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
    mode: u32,
}

fn too_big(what: &str) -> std::io::Error {
    std::io::Error::other(format!(
        "{what} is over the 4 GiB a zip without ZIP64 holds"
    ))
}

fn u32_of(n: u64, what: &str) -> std::io::Result<u32> {
    u32::try_from(n).map_err(|_| too_big(what))
}

/// A local file header.
fn local_header(name: &[u8], method: u16, crc: u32, compressed: u32, size: u32) -> Vec<u8> {
    let mut h = Vec::with_capacity(30 + name.len());
    h.extend(0x0403_4b50u32.to_le_bytes());
    h.extend(VERSION_NEEDED.to_le_bytes());
    h.extend(FLAG_UTF8.to_le_bytes());
    h.extend(method.to_le_bytes());
    h.extend(0u16.to_le_bytes());
    h.extend(DOS_DATE.to_le_bytes());
    h.extend(crc.to_le_bytes());
    h.extend(compressed.to_le_bytes());
    h.extend(size.to_le_bytes());
    h.extend((name.len() as u16).to_le_bytes());
    h.extend(0u16.to_le_bytes());
    h.extend(name);
    h
}

/// The archive being written, in path order.
struct Writer {
    w: BufWriter<File>,
    pos: u64,
    central: Vec<Central>,
    stats: ZipStats,
}

impl Writer {
    fn add(&mut self, f: &FileEntry, packed: Option<Packed>) -> std::io::Result<()> {
        let name = f.rel.as_bytes().to_vec();
        let offset = u32_of(self.pos, "the archive")?;
        let (method, sums, header_len) = match packed {
            Some(p) => {
                let h = local_header(
                    &name,
                    p.method,
                    p.sums.crc,
                    u32_of(p.sums.compressed, &f.rel)?,
                    u32_of(p.sums.size, &f.rel)?,
                );
                self.w.write_all(&h)?;
                self.w.write_all(&p.data)?;
                (p.method, p.sums, h.len() as u64)
            }
            None => {
                // Streamed: the CRC and sizes are patched in afterwards.
                let deflate = !stored_by_name(&f.rel);
                let method = if deflate { DEFLATED } else { STORED };
                let h = local_header(&name, method, 0, 0, 0);
                self.w.write_all(&h)?;
                let sums = pack(File::open(&f.path)?, &mut self.w, deflate)?;
                let end = self.pos + h.len() as u64 + sums.compressed;
                self.w.seek(SeekFrom::Start(self.pos + 14))?;
                self.w.write_all(&sums.crc.to_le_bytes())?;
                self.w
                    .write_all(&u32_of(sums.compressed, &f.rel)?.to_le_bytes())?;
                self.w
                    .write_all(&u32_of(sums.size, &f.rel)?.to_le_bytes())?;
                self.w.seek(SeekFrom::Start(end))?;
                (method, sums, h.len() as u64)
            }
        };
        self.pos += header_len + sums.compressed;
        self.stats.files += 1;
        self.stats.unzipped_bytes += sums.size;
        self.central.push(Central {
            name,
            method,
            crc: sums.crc,
            compressed: u32_of(sums.compressed, &f.rel)?,
            size: u32_of(sums.size, &f.rel)?,
            offset,
            mode: if f.executable { 0o100_755 } else { 0o100_644 },
        });
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<ZipStats> {
        let cd_start = self.pos;
        for e in &self.central {
            let mut h = Vec::with_capacity(46 + e.name.len());
            h.extend(0x0201_4b50u32.to_le_bytes());
            h.extend(VERSION_MADE_BY.to_le_bytes());
            h.extend(VERSION_NEEDED.to_le_bytes());
            h.extend(FLAG_UTF8.to_le_bytes());
            h.extend(e.method.to_le_bytes());
            h.extend(0u16.to_le_bytes());
            h.extend(DOS_DATE.to_le_bytes());
            h.extend(e.crc.to_le_bytes());
            h.extend(e.compressed.to_le_bytes());
            h.extend(e.size.to_le_bytes());
            h.extend((e.name.len() as u16).to_le_bytes());
            h.extend([0u8; 8]); // extra, comment, disk, internal attributes
            h.extend((e.mode << 16).to_le_bytes());
            h.extend(e.offset.to_le_bytes());
            h.extend(&e.name);
            self.w.write_all(&h)?;
            self.pos += h.len() as u64;
        }
        let cd_size = u32_of(self.pos - cd_start, "the central directory")?;
        let cd_offset = u32_of(cd_start, "the archive")?;
        let n = self.central.len() as u16;
        let mut h = Vec::with_capacity(22);
        h.extend(0x0605_4b50u32.to_le_bytes());
        h.extend([0u8; 4]);
        h.extend(n.to_le_bytes());
        h.extend(n.to_le_bytes());
        h.extend(cd_size.to_le_bytes());
        h.extend(cd_offset.to_le_bytes());
        h.extend(0u16.to_le_bytes());
        self.w.write_all(&h)?;
        self.pos += h.len() as u64;
        self.w.flush()?;
        self.stats.zipped_bytes = self.pos;
        Ok(self.stats)
    }
}

/// Writes `files` into a new zip at `out` (replacing it), compressing on
/// every core.
pub fn write_zip(files: &[FileEntry], out: &Path) -> std::io::Result<ZipStats> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_WORKERS);
    write_zip_with(files, out, workers)
}

/// [`write_zip`] with `workers` compressing threads (at least one); the
/// bytes are the same whatever their number.
pub fn write_zip_with(
    files: &[FileEntry],
    out: &Path,
    workers: usize,
) -> std::io::Result<ZipStats> {
    if files.len() > usize::from(u16::MAX) {
        return Err(std::io::Error::other(format!(
            "{} files: a zip without ZIP64 holds 65,535",
            files.len()
        )));
    }
    let mut writer = Writer {
        w: BufWriter::with_capacity(256 * 1024, File::create(out)?),
        pos: 0,
        central: Vec::with_capacity(files.len()),
        stats: ZipStats::default(),
    };
    let workers = workers.max(1);
    // Entries claimed ahead of the one being written, at most.
    let window = 2 * workers;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let written = Mutex::new(0usize);
    let moved = Condvar::new();
    let result = std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, std::io::Result<Option<Packed>>)>();
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, stop, written, moved) = (&next, &stop, &written, &moved);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(f) = files.get(i) else { break };
                    let Ok(mut w) = written.lock() else { break };
                    while i >= *w + window && !stop.load(Ordering::Relaxed) {
                        let Ok(g) = moved.wait(w) else { return };
                        w = g;
                    }
                    drop(w);
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    // Large files are streamed by the writer, in turn.
                    let r = if f.size > IN_MEMORY {
                        Ok(None)
                    } else {
                        pack_in_memory(f).map(Some)
                    };
                    if tx.send((i, r)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, std::io::Result<Option<Packed>>> = BTreeMap::new();
        let mut run = || -> std::io::Result<()> {
            for (i, f) in files.iter().enumerate() {
                let r = loop {
                    if let Some(r) = pending.remove(&i) {
                        break r;
                    }
                    let (j, r) = rx
                        .recv()
                        .map_err(|_| std::io::Error::other("a zip worker stopped"))?;
                    pending.insert(j, r);
                };
                let packed = r.map_err(|e| {
                    std::io::Error::new(e.kind(), format!("{}: {e}", f.path.display()))
                })?;
                writer.add(f, packed)?;
                if let Ok(mut w) = written.lock() {
                    *w = i + 1;
                }
                moved.notify_all();
            }
            Ok(())
        };
        let r = run();
        stop.store(true, Ordering::Relaxed);
        moved.notify_all();
        r
    });
    result?;
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use formwork_core::asset::{Excludes, walk};

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    fn dir(label: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("fw-zip-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// Same files written in another order, at other times, give the same
    /// bytes; any content change gives other bytes.
    #[test]
    fn zips_are_byte_identical_whatever_the_order_and_timestamps() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for case in 0..25 {
            let n = 1 + (rng.next() % 8) as usize;
            let files: Vec<(String, Vec<u8>)> = (0..n)
                .map(|i| {
                    let len = (rng.next() % 3000) as usize;
                    let body = (0..len).map(|_| (rng.next() % 7) as u8 + b'a').collect();
                    (format!("d{}/f{i}.txt", rng.next() % 3), body)
                })
                .collect();
            let a = dir(&format!("a{case}"));
            let b = dir(&format!("b{case}"));
            for (rel, body) in &files {
                let p = a.join(rel);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, body).unwrap();
            }
            for (rel, body) in files.iter().rev() {
                let p = b.join(rel);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, body).unwrap();
                let f = std::fs::File::options().write(true).open(&p).unwrap();
                f.set_modified(
                    std::time::SystemTime::UNIX_EPOCH
                        + std::time::Duration::from_secs(rng.next() % 1_000_000_000),
                )
                .unwrap();
            }
            let za = a.with_extension("zip");
            let zb = b.with_extension("zip");
            write_zip(&walk(&a, &Excludes::default()).unwrap(), &za).unwrap();
            write_zip(&walk(&b, &Excludes::default()).unwrap(), &zb).unwrap();
            let (ba, bb) = (std::fs::read(&za).unwrap(), std::fs::read(&zb).unwrap());
            assert_eq!(ba, bb, "case {case}");
            // Again, same bytes.
            write_zip(&walk(&a, &Excludes::default()).unwrap(), &za).unwrap();
            assert_eq!(std::fs::read(&za).unwrap(), bb, "rerun, case {case}");
            // Whatever the number of compressing threads, same bytes.
            let workers = 1 + (rng.next() % 4) as usize;
            write_zip_with(&walk(&a, &Excludes::default()).unwrap(), &za, workers).unwrap();
            assert_eq!(
                std::fs::read(&za).unwrap(),
                bb,
                "{workers} workers, case {case}"
            );
            // One byte more in one file: other bytes.
            let (rel, body) = &files[0];
            let mut changed = body.clone();
            changed.push(b'z');
            std::fs::write(b.join(rel), changed).unwrap();
            write_zip(&walk(&b, &Excludes::default()).unwrap(), &zb).unwrap();
            assert_ne!(std::fs::read(&zb).unwrap(), ba, "change, case {case}");
            for p in [&a, &b] {
                std::fs::remove_dir_all(p).ok();
            }
            for p in [&za, &zb] {
                std::fs::remove_file(p).ok();
            }
        }
    }

    /// Python's zipfile (a strict reader) reads the entries back, with their
    /// content, the fixed date and the permissions.
    #[cfg(unix)]
    #[test]
    fn a_standard_reader_reads_it_with_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir("read");
        std::fs::write(d.join("index.js"), "exports.handler = 1;\n".repeat(50)).unwrap();
        std::fs::create_dir_all(d.join("bin")).unwrap();
        std::fs::write(d.join("bin/run.sh"), "#!/bin/sh\necho hi\n").unwrap();
        std::fs::set_permissions(d.join("bin/run.sh"), std::fs::Permissions::from_mode(0o755))
            .unwrap();
        // Stored by name; stored because deflate does not shrink it (noise);
        // streamed (over 2 MiB), deflated.
        std::fs::write(d.join("logo.png"), "not really a png ".repeat(100)).unwrap();
        let mut rng = Rng(7);
        let noise: Vec<u8> = (0..5000).map(|_| rng.next() as u8).collect();
        std::fs::write(d.join("noise.bin"), &noise).unwrap();
        std::fs::write(d.join("big.txt"), "line of text\n".repeat(200_000)).unwrap();
        let z = d.with_extension("zip");
        let files = walk(&d, &Excludes::default()).unwrap();
        let stats = write_zip(&files, &z).unwrap();
        assert_eq!(stats.files, 5);
        let one = d.with_extension("one.zip");
        write_zip_with(&files, &one, 1).unwrap();
        assert_eq!(std::fs::read(&z).unwrap(), std::fs::read(&one).unwrap());
        std::fs::remove_file(&one).ok();
        let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nfor i in z.infolist():\n    print(i.filename, oct(i.external_attr >> 16), i.date_time, i.compress_type, len(z.read(i)))\n";
        if !formwork_test_support::tool_or_skip("python3", "the zip reader test") {
            return;
        }
        let out = std::process::Command::new("python3")
            .args(["-c", script])
            .arg(&z)
            .output()
            .expect("run python3");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            text,
            "big.txt 0o100644 (1980, 1, 1, 0, 0, 0) 8 2600000\n\
             bin/run.sh 0o100755 (1980, 1, 1, 0, 0, 0) 0 18\n\
             index.js 0o100644 (1980, 1, 1, 0, 0, 0) 8 1050\n\
             logo.png 0o100644 (1980, 1, 1, 0, 0, 0) 0 1700\n\
             noise.bin 0o100644 (1980, 1, 1, 0, 0, 0) 0 5000\n"
        );
        std::fs::remove_dir_all(&d).ok();
        std::fs::remove_file(&z).ok();
    }
}
