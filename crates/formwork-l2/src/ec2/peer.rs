//! Peer: the other side of a security group rule.

use std::fmt;

use formwork_core::Value;
use formwork_core::typed::Str;

use super::cidr::{Ipv4Cidr, check_ipv6};
use super::connections::{Connectable, Connections};
use super::security_group::SecurityGroup;

/// Where traffic of a security group rule comes from (ingress) or goes to
/// (egress): an IPv4 or IPv6 block, a managed prefix list, or another
/// security group.
///
/// Literal CIDR blocks are checked when the rule is added (`FW3021` on the
/// security group): a block with bits after its prefix length
/// (`10.0.0.1/16`) is refused, as EC2 does. Nothing is open to the world
/// unless [`Peer::any_ipv4`] or [`Peer::any_ipv6`] is asked for.
///
/// A peer is also [`Connectable`], so it can stand where a construct does:
/// `sg.connections().allow_from(&Peer::ipv4("10.0.0.0/8"), Port::tcp(443), "..")`.
///
/// ```
/// use formwork::ec2::Peer;
/// let office = Peer::ipv4("203.0.113.0/24");
/// let world = Peer::any_ipv4();
/// assert_eq!(world.to_string(), "0.0.0.0/0");
/// # let _ = office;
/// ```
#[derive(Clone, Debug)]
pub struct Peer {
    kind: PeerKind,
}

#[derive(Clone, Debug)]
pub(crate) enum PeerKind {
    Ipv4(Str),
    Ipv6(Str),
    PrefixList(Str),
    Group(SecurityGroup),
}

impl Peer {
    /// Every IPv4 address (`0.0.0.0/0`).
    pub fn any_ipv4() -> Peer {
        Peer::ipv4("0.0.0.0/0")
    }

    /// An IPv4 CIDR block (`10.0.0.0/8`), literal or a reference.
    pub fn ipv4(cidr: impl Into<Str>) -> Peer {
        Peer {
            kind: PeerKind::Ipv4(cidr.into()),
        }
    }

    /// Every IPv6 address (`::/0`).
    pub fn any_ipv6() -> Peer {
        Peer::ipv6("::/0")
    }

    /// An IPv6 CIDR block (`2001:db8::/32`), literal or a reference.
    pub fn ipv6(cidr: impl Into<Str>) -> Peer {
        Peer {
            kind: PeerKind::Ipv6(cidr.into()),
        }
    }

    /// A managed prefix list by id (`pl-…`), such as the CloudFront origin-facing list.
    pub fn prefix_list(id: impl Into<Str>) -> Peer {
        Peer {
            kind: PeerKind::PrefixList(id.into()),
        }
    }

    /// Another security group: its members.
    pub fn security_group(group: &SecurityGroup) -> Peer {
        Peer {
            kind: PeerKind::Group(group.clone()),
        }
    }

    pub(crate) fn kind(&self) -> &PeerKind {
        &self.kind
    }

    /// The security group, when the peer is one.
    pub fn as_security_group(&self) -> Option<&SecurityGroup> {
        match &self.kind {
            PeerKind::Group(g) => Some(g),
            _ => None,
        }
    }

    fn literal(s: &Str) -> Option<String> {
        Value::from(s.clone()).as_str().map(str::to_owned)
    }

    /// True for `0.0.0.0/0` and `::/0`.
    pub(crate) fn is_anywhere(&self) -> bool {
        match &self.kind {
            PeerKind::Ipv4(c) => Peer::literal(c).as_deref() == Some("0.0.0.0/0"),
            PeerKind::Ipv6(c) => Peer::literal(c).as_deref() == Some("::/0"),
            _ => false,
        }
    }

    /// What is wrong with a literal value, and a fix.
    pub(crate) fn problem(&self) -> Option<(String, Option<String>)> {
        match &self.kind {
            PeerKind::Ipv4(c) => {
                let text = Peer::literal(c)?;
                Ipv4Cidr::parse(&text)
                    .err()
                    .map(|e| e.explain(&text, "IPv4"))
            }
            PeerKind::Ipv6(c) => {
                let text = Peer::literal(c)?;
                check_ipv6(&text).err().map(|e| e.explain(&text, "IPv6"))
            }
            PeerKind::PrefixList(id) => {
                let text = Peer::literal(id)?;
                (!text.starts_with("pl-") || text.len() < 4).then(|| {
                    (
                        format!("`{text}` is not a prefix list id"),
                        Some("a managed prefix list id looks like pl-0123456789abcdef0".to_owned()),
                    )
                })
            }
            PeerKind::Group(_) => None,
        }
    }

    /// A key that tells rules apart (the same for equal peers).
    pub(crate) fn key(&self) -> String {
        match &self.kind {
            PeerKind::Ipv4(c) => format!("ipv4:{c:?}"),
            PeerKind::Ipv6(c) => format!("ipv6:{c:?}"),
            PeerKind::PrefixList(p) => format!("pl:{p:?}"),
            PeerKind::Group(g) => format!("sg:{}", g.scope().path()),
        }
    }

    /// A name for logical ids, for literal address peers (`AnyIpv4`,
    /// `10x0x0x0x8`, `Pl0123`); `None` for references.
    pub(crate) fn label(&self) -> Option<String> {
        if self.is_anywhere() {
            return Some(match self.kind {
                PeerKind::Ipv6(_) => "AnyIpv6".to_owned(),
                _ => "AnyIpv4".to_owned(),
            });
        }
        let text = match &self.kind {
            PeerKind::Ipv4(c) | PeerKind::Ipv6(c) | PeerKind::PrefixList(c) => Peer::literal(c)?,
            PeerKind::Group(_) => return None,
        };
        let prefix = match self.kind {
            PeerKind::Ipv6(_) => "Ipv6x",
            PeerKind::PrefixList(_) => "",
            _ => "Ipv4x",
        };
        // Separators become `x` so that `10.1.0.0/16` and `101.0.0.0/16` differ.
        let body: String = text
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { 'x' })
            .collect();
        let mut label = format!("{prefix}{body}");
        if let Some(first) = label.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        Some(label)
    }
}

impl From<&SecurityGroup> for Peer {
    fn from(g: &SecurityGroup) -> Peer {
        Peer::security_group(g)
    }
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            PeerKind::Ipv4(c) | PeerKind::Ipv6(c) => match Peer::literal(c) {
                Some(t) => f.write_str(&t),
                None => f.write_str("a CIDR block reference"),
            },
            PeerKind::PrefixList(p) => match Peer::literal(p) {
                Some(t) => write!(f, "prefix list {t}"),
                None => f.write_str("a prefix list reference"),
            },
            PeerKind::Group(g) => write!(f, "security group {}", g.scope().path()),
        }
    }
}

impl Connectable for Peer {
    fn connections(&self) -> Connections {
        match &self.kind {
            PeerKind::Group(g) => Connections::new([g.clone()]),
            _ => Connections::new([]).with_peer(self.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use formwork_core::Fn;

    #[test]
    fn literal_blocks_are_checked() {
        assert!(Peer::ipv4("10.0.0.0/8").problem().is_none());
        assert!(Peer::any_ipv4().problem().is_none());
        assert!(Peer::any_ipv6().problem().is_none());
        let (msg, fix) = Peer::ipv4("10.0.0.1/8").problem().unwrap();
        assert_eq!(msg, "`10.0.0.1/8` has bits set after its prefix length");
        assert_eq!(
            fix.as_deref(),
            Some("write the block's network address: 10.0.0.0/8")
        );
        assert!(Peer::ipv4("10.0.0.0").problem().is_some());
        assert!(Peer::ipv6("2001:db8::1/32").problem().is_some());
        assert!(Peer::prefix_list("sg-123").problem().is_some());
        assert!(Peer::prefix_list("pl-123").problem().is_none());
        assert!(
            Peer::ipv4(Fn::ref_name("Cidr")).problem().is_none(),
            "references are not checked"
        );
    }

    #[test]
    fn labels_tell_blocks_apart() {
        assert_eq!(Peer::any_ipv4().label().as_deref(), Some("AnyIpv4"));
        assert_eq!(Peer::any_ipv6().label().as_deref(), Some("AnyIpv6"));
        assert_eq!(
            Peer::ipv4("10.1.0.0/16").label().as_deref(),
            Some("Ipv4x10x1x0x0x16")
        );
        assert_ne!(
            Peer::ipv4("101.0.0.0/16").label(),
            Peer::ipv4("10.1.0.0/16").label()
        );
        assert_eq!(
            Peer::prefix_list("pl-0a1").label().as_deref(),
            Some("Plx0a1")
        );
        assert_eq!(Peer::ipv4(Fn::ref_name("Cidr")).label(), None);
        assert!(Peer::any_ipv4().is_anywhere());
        assert!(!Peer::ipv4("10.0.0.0/8").is_anywhere());
    }
}
