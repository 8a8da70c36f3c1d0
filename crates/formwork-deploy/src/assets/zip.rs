//! A deterministic zip writer: the same files give the same bytes on every
//! machine and every run.
//!
//! Entries are the files of [`formwork_core::asset::walk`] (sorted by
//! path, `/` separators), each with the fixed timestamp 1980-01-01 00:00
//! (the zip epoch), Unix permissions `0644`, or `0755` for an executable
//! file (so a bootstrap script stays runnable on Lambda), deflated, and no
//! extra fields. Files are streamed: memory stays flat whatever the size.
//! The local header's CRC and sizes are written after the data by seeking
//! back, so no data descriptor is needed (Lambda and every unzip read the
//! result).
//!
//! Why our own writer: the `zip` crate brings eight crates and timestamps
//! from the file system by default; this is 150 lines over `flate2`, which
//! we need for deflate anyway.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use flate2::Compression;
use flate2::write::DeflateEncoder;
use formwork_core::asset::FileEntry;

/// DOS date of 1980-01-01 (day 1, month 1, year 0).
const DOS_DATE: u16 = (1 << 5) | 1;
/// Bit 11: the names are UTF-8.
const FLAG_UTF8: u16 = 1 << 11;
/// Version 2.0 (deflate), made on Unix (3) so permissions are read.
const VERSION_NEEDED: u16 = 20;
const VERSION_MADE_BY: u16 = (3 << 8) | 20;

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

struct Central {
    name: Vec<u8>,
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

/// Writes `files` into a new zip at `out` (replacing it).
pub fn write_zip(files: &[FileEntry], out: &Path) -> std::io::Result<ZipStats> {
    if files.len() > usize::from(u16::MAX) {
        return Err(std::io::Error::other(format!(
            "{} files: a zip without ZIP64 holds 65,535",
            files.len()
        )));
    }
    let mut w = BufWriter::with_capacity(256 * 1024, File::create(out)?);
    let mut central = Vec::with_capacity(files.len());
    let mut pos: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    let mut stats = ZipStats::default();
    for f in files {
        let name = f.rel.as_bytes().to_vec();
        let offset = u32_of(pos, "the archive")?;
        // Local header with the CRC and sizes zeroed; patched below.
        let mut h = Vec::with_capacity(30 + name.len());
        h.extend(0x0403_4b50u32.to_le_bytes());
        h.extend(VERSION_NEEDED.to_le_bytes());
        h.extend(FLAG_UTF8.to_le_bytes());
        h.extend(8u16.to_le_bytes());
        h.extend(0u16.to_le_bytes());
        h.extend(DOS_DATE.to_le_bytes());
        h.extend([0u8; 12]);
        h.extend((name.len() as u16).to_le_bytes());
        h.extend(0u16.to_le_bytes());
        h.extend(&name);
        w.write_all(&h)?;
        let mut crc = flate2::Crc::new();
        let mut size = 0u64;
        let mut enc = DeflateEncoder::new(
            Counter {
                inner: &mut w,
                n: 0,
            },
            Compression::fast(),
        );
        let mut input = File::open(&f.path)?;
        loop {
            let n = input.read(&mut buf)?;
            if n == 0 {
                break;
            }
            crc.update(&buf[..n]);
            size += n as u64;
            enc.write_all(&buf[..n])?;
        }
        let compressed = enc.finish()?.n;
        let entry = Central {
            crc: crc.sum(),
            compressed: u32_of(compressed, &f.rel)?,
            size: u32_of(size, &f.rel)?,
            offset,
            mode: if f.executable { 0o100_755 } else { 0o100_644 },
            name,
        };
        let end = pos + h.len() as u64 + compressed;
        w.seek(SeekFrom::Start(pos + 14))?;
        w.write_all(&entry.crc.to_le_bytes())?;
        w.write_all(&entry.compressed.to_le_bytes())?;
        w.write_all(&entry.size.to_le_bytes())?;
        w.seek(SeekFrom::Start(end))?;
        pos = end;
        stats.files += 1;
        stats.unzipped_bytes += size;
        central.push(entry);
    }
    let cd_start = pos;
    for e in &central {
        let mut h = Vec::with_capacity(46 + e.name.len());
        h.extend(0x0201_4b50u32.to_le_bytes());
        h.extend(VERSION_MADE_BY.to_le_bytes());
        h.extend(VERSION_NEEDED.to_le_bytes());
        h.extend(FLAG_UTF8.to_le_bytes());
        h.extend(8u16.to_le_bytes());
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
        w.write_all(&h)?;
        pos += h.len() as u64;
    }
    let cd_size = u32_of(pos - cd_start, "the central directory")?;
    let cd_offset = u32_of(cd_start, "the archive")?;
    let n = central.len() as u16;
    let mut h = Vec::with_capacity(22);
    h.extend(0x0605_4b50u32.to_le_bytes());
    h.extend([0u8; 4]);
    h.extend(n.to_le_bytes());
    h.extend(n.to_le_bytes());
    h.extend(cd_size.to_le_bytes());
    h.extend(cd_offset.to_le_bytes());
    h.extend(0u16.to_le_bytes());
    w.write_all(&h)?;
    pos += h.len() as u64;
    w.flush()?;
    stats.zipped_bytes = pos;
    Ok(stats)
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
        let z = d.with_extension("zip");
        let stats = write_zip(&walk(&d, &Excludes::default()).unwrap(), &z).unwrap();
        assert_eq!(stats.files, 2);
        let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nfor i in z.infolist():\n    print(i.filename, oct(i.external_attr >> 16), i.date_time, len(z.read(i)))\n";
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
            "bin/run.sh 0o100755 (1980, 1, 1, 0, 0, 0) 18\nindex.js 0o100644 (1980, 1, 1, 0, 0, 0) 1050\n"
        );
        std::fs::remove_dir_all(&d).ok();
        std::fs::remove_file(&z).ok();
    }
}
