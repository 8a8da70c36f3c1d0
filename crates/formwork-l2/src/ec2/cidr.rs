//! IPv4 and IPv6 CIDR blocks: parsing, checking and carving subnets out of a
//! VPC range at synth.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// An IPv4 CIDR block whose address is its network address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Ipv4Cidr {
    addr: u32,
    prefix: u8,
}

/// Why a CIDR string is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CidrError {
    /// Not `a.b.c.d/n` (or not `x:y::/n` for IPv6).
    Syntax,
    /// The prefix length is over 32 (IPv4) or 128 (IPv6).
    Prefix,
    /// Bits are set after the prefix: the block is written as this instead.
    HostBits(String),
}

impl CidrError {
    /// What is wrong, for a diagnostic about `text`, and a fix when there is one.
    pub(crate) fn explain(&self, text: &str, family: &str) -> (String, Option<String>) {
        match self {
            CidrError::Syntax => (
                format!("`{text}` is not an {family} CIDR block"),
                Some(if family == "IPv4" {
                    "write an address and a prefix length, such as 10.0.0.0/16".to_owned()
                } else {
                    "write an address and a prefix length, such as 2001:db8::/32".to_owned()
                }),
            ),
            CidrError::Prefix => (
                format!("`{text}` has a prefix length out of range"),
                Some(if family == "IPv4" {
                    "an IPv4 prefix length is 0 to 32".to_owned()
                } else {
                    "an IPv6 prefix length is 0 to 128".to_owned()
                }),
            ),
            CidrError::HostBits(canonical) => (
                format!("`{text}` has bits set after its prefix length"),
                Some(format!("write the block's network address: {canonical}")),
            ),
        }
    }
}

#[track_caller]
fn split(text: &str) -> Result<(&str, u8), CidrError> {
    let (addr, prefix) = text.split_once('/').ok_or(CidrError::Syntax)?;
    if prefix.is_empty() || prefix.len() > 3 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CidrError::Syntax);
    }
    let prefix: u8 = prefix.parse().map_err(|_| CidrError::Syntax)?;
    Ok((addr, prefix))
}

impl Ipv4Cidr {
    /// Parses `a.b.c.d/n`, refusing host bits after the prefix.
    #[track_caller]
    pub(crate) fn parse(text: &str) -> Result<Ipv4Cidr, CidrError> {
        let (addr, prefix) = split(text)?;
        let addr: Ipv4Addr = addr.parse().map_err(|_| CidrError::Syntax)?;
        if prefix > 32 {
            return Err(CidrError::Prefix);
        }
        let addr = u32::from(addr);
        let cidr = Ipv4Cidr::new(addr, prefix);
        if cidr.addr != addr {
            return Err(CidrError::HostBits(cidr.to_string()));
        }
        Ok(cidr)
    }

    /// The block of `prefix` bits holding `addr` (host bits cleared).
    pub(crate) fn new(addr: u32, prefix: u8) -> Ipv4Cidr {
        let prefix = prefix.min(32);
        Ipv4Cidr {
            addr: addr & mask(prefix),
            prefix,
        }
    }

    /// The prefix length.
    pub(crate) fn prefix(self) -> u8 {
        self.prefix
    }

    /// The first address, as a number.
    pub(crate) fn first(self) -> u64 {
        u64::from(self.addr)
    }

    /// The number of addresses.
    pub(crate) fn size(self) -> u64 {
        1u64 << (32 - u32::from(self.prefix))
    }

    /// One past the last address, as a number.
    pub(crate) fn end(self) -> u64 {
        self.first() + self.size()
    }

    /// True when `other` lies inside this block.
    #[cfg(test)]
    pub(crate) fn contains(self, other: Ipv4Cidr) -> bool {
        other.first() >= self.first() && other.end() <= self.end()
    }

    /// True when the two blocks share an address.
    #[cfg(test)]
    pub(crate) fn overlaps(self, other: Ipv4Cidr) -> bool {
        self.first() < other.end() && other.first() < self.end()
    }
}

fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix))
    }
}

impl fmt::Display for Ipv4Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", Ipv4Addr::from(self.addr), self.prefix)
    }
}

/// Checks an IPv6 CIDR block (`2001:db8::/32`), refusing host bits.
#[track_caller]
pub(crate) fn check_ipv6(text: &str) -> Result<(), CidrError> {
    let (addr, prefix) = split(text)?;
    let addr: Ipv6Addr = addr.parse().map_err(|_| CidrError::Syntax)?;
    if prefix > 128 {
        return Err(CidrError::Prefix);
    }
    let bits = u128::from(addr);
    let m = if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(prefix))
    };
    if bits & m != bits {
        return Err(CidrError::HostBits(format!(
            "{}/{prefix}",
            Ipv6Addr::from(bits & m)
        )));
    }
    Ok(())
}

/// The subnets did not fit: where carving stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NoRoom {
    /// The index of the request that did not fit.
    pub(crate) index: usize,
    /// The addresses every request needs, counting alignment, from the
    /// start of the VPC block.
    pub(crate) needed: u64,
}

/// Carves one block per requested prefix length out of `vpc`, in order:
/// each block starts at the first address after the previous one that is
/// aligned to its own size. Deterministic; the blocks never overlap.
#[track_caller]
pub(crate) fn carve(vpc: Ipv4Cidr, prefixes: &[u8]) -> Result<Vec<Ipv4Cidr>, NoRoom> {
    let mut out = Vec::with_capacity(prefixes.len());
    let mut cursor = vpc.first();
    let mut failed = None;
    for (i, &p) in prefixes.iter().enumerate() {
        let p = p.clamp(vpc.prefix(), 32);
        let size = 1u64 << (32 - u32::from(p));
        let start = cursor.div_ceil(size) * size;
        cursor = start + size;
        if cursor > vpc.end() {
            failed.get_or_insert(i);
        } else if failed.is_none() {
            // `start` fits in 32 bits here: it is below the end of the VPC block.
            out.push(Ipv4Cidr::new(u32::try_from(start).unwrap_or(0), p));
        }
    }
    match failed {
        Some(index) => Err(NoRoom {
            index,
            needed: cursor - vpc.first(),
        }),
        None => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Ipv4Cidr {
        Ipv4Cidr::parse(s).unwrap()
    }

    #[test]
    fn parses_and_prints() {
        assert_eq!(c("10.0.0.0/16").to_string(), "10.0.0.0/16");
        assert_eq!(c("0.0.0.0/0").size(), 1 << 32);
        assert_eq!(c("192.168.4.0/22").prefix(), 22);
    }

    #[test]
    fn refuses_bad_blocks() {
        for bad in [
            "10.0.0.0",
            "10.0.0/16",
            "10.0.0.0/",
            "10.0.0.0/x",
            "256.0.0.0/8",
            "a.b.c.d/8",
            "10.0.0.0/1234",
            "",
            "/16",
            "10.0.0.0/-1",
            "010.0.0.0/8",
        ] {
            assert_eq!(Ipv4Cidr::parse(bad), Err(CidrError::Syntax), "{bad}");
        }
        assert_eq!(Ipv4Cidr::parse("10.0.0.0/33"), Err(CidrError::Prefix));
        assert_eq!(
            Ipv4Cidr::parse("10.0.0.1/16"),
            Err(CidrError::HostBits("10.0.0.0/16".into()))
        );
    }

    #[test]
    fn ipv6_blocks() {
        assert_eq!(check_ipv6("::/0"), Ok(()));
        assert_eq!(check_ipv6("2001:db8::/32"), Ok(()));
        assert_eq!(
            check_ipv6("2001:db8::1/32"),
            Err(CidrError::HostBits("2001:db8::/32".into()))
        );
        assert_eq!(check_ipv6("2001:db8::/129"), Err(CidrError::Prefix));
        assert_eq!(check_ipv6("10.0.0.0/8"), Err(CidrError::Syntax));
    }

    #[test]
    fn carving_aligns_each_block_to_its_size() {
        let got = carve(c("10.0.0.0/16"), &[24, 24, 20, 28]).unwrap();
        let got: Vec<String> = got.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            ["10.0.0.0/24", "10.0.1.0/24", "10.0.16.0/20", "10.0.32.0/28"]
        );
    }

    #[test]
    fn carving_reports_what_did_not_fit() {
        let err = carve(c("10.0.0.0/24"), &[25, 25, 26]).unwrap_err();
        assert_eq!(
            err,
            NoRoom {
                index: 2,
                needed: 320
            }
        );
    }

    /// Property: for many VPC blocks, zone counts and masks, the subnets lie
    /// inside the VPC, never overlap, are aligned, and carving fails only
    /// when they cannot fit (exactly when the total is too large, for
    /// requests in non-increasing size order, where aligned carving wastes
    /// nothing).
    #[test]
    fn carving_property_over_generated_cases() {
        // A small deterministic generator (xorshift), so that the cases are
        // many and varied but the test is reproducible without a dependency.
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut checked_ok = 0;
        let mut checked_err = 0;
        for case in 0..4000 {
            let vpc_prefix = 16 + (next() % 13) as u8; // 16..=28
            let base = (next() as u32) & mask(vpc_prefix);
            let vpc = Ipv4Cidr::new(base, vpc_prefix);
            let zones = 1 + (next() % 6) as usize;
            let groups = 1 + (next() % 4) as usize;
            let mut prefixes = Vec::new();
            let mut group_masks = Vec::new();
            for _ in 0..groups {
                let m = vpc_prefix + (next() % u64::from(29 - vpc_prefix)) as u8;
                group_masks.push(m.min(28));
            }
            if case % 2 == 0 {
                group_masks.sort_unstable();
            }
            for m in &group_masks {
                prefixes.extend(std::iter::repeat_n(*m, zones));
            }
            let total: u64 = prefixes.iter().map(|&p| 1u64 << (32 - u32::from(p))).sum();
            match carve(vpc, &prefixes) {
                Ok(blocks) => {
                    checked_ok += 1;
                    assert!(total <= vpc.size(), "case {case}: {vpc} {prefixes:?}");
                    assert_eq!(blocks.len(), prefixes.len());
                    for (i, b) in blocks.iter().enumerate() {
                        assert_eq!(b.prefix(), prefixes[i]);
                        assert!(vpc.contains(*b), "case {case}: {b} outside {vpc}");
                        assert_eq!(b.first() % b.size(), 0, "case {case}: {b} unaligned");
                        for other in &blocks[i + 1..] {
                            assert!(!b.overlaps(*other), "case {case}: {b} overlaps {other}");
                        }
                    }
                    assert_eq!(carve(vpc, &prefixes), Ok(blocks), "deterministic");
                }
                Err(e) => {
                    checked_err += 1;
                    assert!(e.needed > vpc.size(), "case {case}: {e:?}");
                    if case % 2 == 0 {
                        assert!(
                            total > vpc.size(),
                            "case {case}: sorted requests of {total} addresses fit in {vpc} but carving failed"
                        );
                    }
                }
            }
        }
        assert!(
            checked_ok > 500 && checked_err > 500,
            "{checked_ok} ok, {checked_err} errors"
        );
    }
}
