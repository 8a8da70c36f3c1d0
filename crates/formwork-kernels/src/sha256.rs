//! SHA-256 for asset fingerprints: the `sha2` crate's compression function,
//! fed by a plain block buffer of our own, and the hashing of files.
//!
//! `sha2::Sha256` reaches that same function through the `digest` crate's
//! generic buffering, which is compiled into the calling crate: at the
//! debug builds' `opt-level = 0` that glue cost about 12,000 instructions to
//! finish a hash and 1,000 for each small update, and every synth hashes
//! each file of each asset. The buffer below is the standard padding
//! (FIPS 180-4, 5.1.1) and nothing else; the tests check it against
//! `sha2::Sha256` on every length around the block boundaries.

use std::fs::File;
use std::path::Path;

use sha2::digest::generic_array::GenericArray;

/// The initial hash value (FIPS 180-4, 5.3.3).
const H0: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// A SHA-256 being computed.
///
/// ```
/// let mut h = formwork_kernels::Sha256::new();
/// h.update(b"ab");
/// h.update(b"c");
/// assert_eq!(
///     formwork_kernels::hex(&h.finalize()),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
#[derive(Clone, Debug)]
pub struct Sha256 {
    state: [u32; 8],
    /// The bytes of the block not yet compressed.
    block: [u8; 64],
    /// How many bytes of `block` are filled.
    filled: usize,
    /// Bytes hashed so far.
    total: u64,
}

impl Default for Sha256 {
    fn default() -> Self {
        Sha256 {
            state: H0,
            block: [0; 64],
            filled: 0,
            total: 0,
        }
    }
}

impl Sha256 {
    /// A new hash.
    #[inline(never)]
    pub fn new() -> Sha256 {
        Sha256::default()
    }

    fn compress(state: &mut [u32; 8], block: &[u8]) {
        sha2::compress256(state, std::slice::from_ref(GenericArray::from_slice(block)));
    }

    /// Adds `data`.
    #[inline(never)]
    pub fn update(&mut self, mut data: &[u8]) {
        self.total = self.total.wrapping_add(data.len() as u64);
        if self.filled > 0 {
            let take = data.len().min(64 - self.filled);
            let (head, rest) = data.split_at(take);
            self.block[self.filled..self.filled + take].copy_from_slice(head);
            self.filled += take;
            data = rest;
            if self.filled < 64 {
                return;
            }
            Sha256::compress(&mut self.state, &self.block);
            self.filled = 0;
        }
        while data.len() >= 64 {
            let (block, rest) = data.split_at(64);
            Sha256::compress(&mut self.state, block);
            data = rest;
        }
        self.block[..data.len()].copy_from_slice(data);
        self.filled = data.len();
    }

    /// The digest.
    #[inline(never)]
    pub fn finalize(mut self) -> [u8; 32] {
        let bits = self.total.wrapping_mul(8);
        let filled = self.filled;
        self.block[filled] = 0x80;
        self.block[filled + 1..].fill(0);
        if filled >= 56 {
            Sha256::compress(&mut self.state, &self.block);
            self.block = [0; 64];
        }
        self.block[56..].copy_from_slice(&bits.to_be_bytes());
        Sha256::compress(&mut self.state, &self.block);
        let mut out = [0u8; 32];
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.state) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

/// Lowercase hexadecimal.
///
/// ```
/// assert_eq!(formwork_kernels::hex(&[0x0f, 0xa0]), "0fa0");
/// ```
#[inline(never)]
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Feeds the file at `path` to `h` in 64 KiB reads; returns its length.
/// The buffer is not zeroed first, so a small file costs the pages it
/// fills, not 64 KiB of writes.
#[inline(never)]
pub fn hash_file(path: &Path, h: &mut Sha256) -> std::io::Result<u64> {
    /// Writes into the hash.
    struct HashWriter<'h>(&'h mut Sha256);
    impl std::io::Write for HashWriter<'_> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.update(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut file = std::io::BufReader::with_capacity(64 * 1024, File::open(path)?);
    std::io::copy(&mut file, &mut HashWriter(h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Rng;
    use sha2::Digest;

    fn reference(data: &[u8]) -> [u8; 32] {
        sha2::Sha256::digest(data).into()
    }

    #[test]
    fn known_digests() {
        let hex = |d: [u8; 32]| hex(&d);
        assert_eq!(
            hex(Sha256::new().finalize()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let mut h = Sha256::new();
        h.update(b"abc");
        assert_eq!(
            hex(h.finalize()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn every_length_and_split_matches_sha2() {
        let mut rng = Rng(0x5EED_05A2_5600_0001);
        let data: Vec<u8> = (0..300).map(|_| rng.below(256) as u8).collect();
        for len in 0..=data.len() {
            let whole = &data[..len];
            let mut one = Sha256::new();
            one.update(whole);
            assert_eq!(one.finalize(), reference(whole), "length {len}");
            // The same bytes in random pieces.
            let mut h = Sha256::new();
            let mut rest = whole;
            while !rest.is_empty() {
                let n = (rng.below(80) as usize).min(rest.len());
                let (piece, tail) = rest.split_at(n);
                h.update(piece);
                rest = tail;
            }
            assert_eq!(h.finalize(), reference(whole), "pieces, length {len}");
        }
    }
}

#[cfg(test)]
mod file_tests {
    use super::*;

    #[test]
    fn a_file_hashes_as_its_bytes_do() {
        let dir = std::env::temp_dir().join(format!("formwork-kernels-sha-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        let path = dir.join("data.bin");
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).expect("write");
        let mut h = Sha256::new();
        let len = hash_file(&path, &mut h);
        std::fs::remove_dir_all(&dir).expect("remove scratch folder");
        assert_eq!(len.expect("read"), data.len() as u64);
        let mut want = Sha256::new();
        want.update(&data);
        assert_eq!(h.finalize(), want.finalize());
    }
}
