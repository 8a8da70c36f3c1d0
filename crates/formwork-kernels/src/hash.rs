//! The hasher of formwork's own maps: see `formwork::fasthash` for why it
//! is not SipHash.

use std::hash::Hasher;

/// The multiplier of rustc's `FxHasher` (64-bit).
const K: u64 = 0xf135_7aea_2e62_a9c5;

/// A fast, deterministic, non-cryptographic hasher (see the module
/// documentation).
///
/// Its methods are never inlined into their callers, so they run as this
/// crate is built (optimized) even from a debug build.
///
/// ```
/// use std::hash::{BuildHasher, Hash, Hasher};
/// use formwork::fasthash::{FastHasher, FastState};
/// let a = FastState::default().hash_one("Properties");
/// let b = FastState::default().hash_one("Properties");
/// assert_eq!(a, b);
/// assert_ne!(a, FastState::default().hash_one("Propertiez"));
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher {
    hash: u64,
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    #[inline(never)]
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.hash;
        let mut rest = bytes;
        while let [a, b, c, d, e, f, g, i, tail @ ..] = rest {
            let word = u64::from(*a)
                | u64::from(*b) << 8
                | u64::from(*c) << 16
                | u64::from(*d) << 24
                | u64::from(*e) << 32
                | u64::from(*f) << 40
                | u64::from(*g) << 48
                | u64::from(*i) << 56;
            h = (h ^ word).wrapping_mul(K);
            rest = tail;
        }
        let mut last = 0u64;
        let mut shift = 0u32;
        while let [b, tail @ ..] = rest {
            last |= u64::from(*b) << shift;
            shift += 8;
            rest = tail;
        }
        self.hash = (h ^ last ^ ((bytes.len() as u64) << 56)).wrapping_mul(K);
    }

    #[inline(never)]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline(never)]
    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    #[inline(never)]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline(never)]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline(never)]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline(never)]
    fn finish(&self) -> u64 {
        // The product's high bits are its best mixed: rotate them down,
        // where hash tables take their bucket index from.
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::hash::{BuildHasher, BuildHasherDefault};

    type FastState = BuildHasherDefault<FastHasher>;

    fn h(s: &str) -> u64 {
        FastState::default().hash_one(s)
    }

    #[test]
    fn the_same_key_hashes_the_same_on_every_run() {
        // A fixed value: no random keys, unlike the standard RandomState.
        assert_eq!(h("Properties"), h("Properties"));
        assert_eq!(h(""), h(""));
    }

    #[test]
    fn keys_that_differ_anywhere_hash_apart() {
        let mut keys = Vec::new();
        for a in [
            "",
            "a",
            "Tags",
            "Properties",
            "BucketEncryption",
            "x".repeat(17).as_str(),
        ] {
            for tail in ["", "0", "\0", "\0\0", "A", "1"] {
                keys.push(format!("{a}{tail}"));
            }
        }
        keys.sort();
        keys.dedup();
        let hashes: HashSet<u64> = keys.iter().map(|k| h(k)).collect();
        assert_eq!(hashes.len(), keys.len());
    }

    #[test]
    fn the_bucket_bits_spread_over_property_names() {
        // hashbrown takes the bucket from the low bits and a tag from the
        // top seven: both must vary over realistic keys.
        let names: Vec<String> = (0..256).map(|i| format!("Property{i}")).collect();
        let low: HashSet<u64> = names.iter().map(|n| h(n) & 0xff).collect();
        let top: HashSet<u64> = names.iter().map(|n| h(n) >> 57).collect();
        assert!(low.len() > 128, "{} distinct low bytes", low.len());
        assert!(top.len() > 64, "{} distinct top-7-bit tags", top.len());
    }
}
