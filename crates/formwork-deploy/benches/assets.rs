//! `cargo bench -p formwork-deploy --bench assets`: hashing (what synth
//! does) and zipping (what deploy does) a 50 MB folder of 5,000 small
//! files, on every core and on one thread; with `-- --large`, zipping a
//! 1 GB folder while reporting peak resident memory (from
//! `/proc/self/status`), to show it stays flat. `cargo test -p
//! formwork-deploy --bench assets` runs the same in the debug profile,
//! which is what an app's `cargo run -- deploy` uses.
//!
//! No timing is asserted anywhere: figures go to `docs/performance.md`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use formwork_core::asset::{Excludes, Fingerprint, walk};
use formwork_deploy::assets::zip::{write_zip, write_zip_with};

fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// `files` files of `size` bytes of text-like data (deflates like code).
fn make(dir: &Path, files: usize, size: usize) {
    let _ = std::fs::remove_dir_all(dir);
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let words = [
        "const ", "return ", "handler", "(event)", " => ", "{\n", "}\n", "await ", "items", ".map",
    ];
    for i in 0..files {
        let sub = dir.join(format!("d{:03}", i % 100));
        std::fs::create_dir_all(&sub).expect("mkdir");
        let mut body = String::with_capacity(size);
        while body.len() < size {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            body.push_str(words[(seed % words.len() as u64) as usize]);
            body.push_str(&format!("{}", seed % 1000));
        }
        body.truncate(size);
        std::fs::write(sub.join(format!("f{i:05}.js")), body).expect("write");
    }
}

/// User plus system CPU time of this process, seconds (Linux).
fn cpu_s() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    // The fields after the command name (which may hold spaces).
    let rest = s.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|x| x.parse().ok())
        .collect();
    f.iter().sum::<f64>() / 100.0
}

fn run(label: &str, dir: &Path, zip: &Path) {
    let t = Instant::now();
    let files = walk(dir, &Excludes::default()).expect("walk");
    let mut fp = Fingerprint::new("zip");
    fp.files(&files).expect("hash");
    let hash = fp.finish();
    let hashed = t.elapsed();
    let t = Instant::now();
    let cpu = cpu_s();
    let stats = write_zip(&files, zip).expect("zip");
    let zipped = t.elapsed();
    let zip_cpu = cpu_s() - cpu;
    let t = Instant::now();
    write_zip_with(&files, zip, 1).expect("zip");
    let serial = t.elapsed();
    println!(
        "{label}: {} files, {} MB: hash {:.3} s, zip {:.3} s ({:.2} s CPU; one thread {:.3} s; {} MB zipped), peak RSS {:.1} MiB, hash {}…",
        stats.files,
        stats.unzipped_bytes / 1_000_000,
        hashed.as_secs_f64(),
        zipped.as_secs_f64(),
        zip_cpu,
        serial.as_secs_f64(),
        stats.zipped_bytes / 1_000_000,
        peak_rss_mib().unwrap_or(f64::NAN),
        &hash[..12]
    );
}

fn main() {
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/formwork-bench-assets");
    let large = std::env::args().any(|a| a == "--large");
    let dir = base.join("small");
    make(&dir, 5_000, 10_000);
    run(
        "50 MB of small files (first run)",
        &dir,
        &base.join("small.zip"),
    );
    run(
        "50 MB of small files (cached)",
        &dir,
        &base.join("small.zip"),
    );
    if large {
        let dir = base.join("large");
        make(&dir, 1_000, 1_000_000);
        run("1 GB of 1 MB files", &dir, &base.join("large.zip"));
    }
    let _ = std::fs::remove_dir_all(&base);
}
