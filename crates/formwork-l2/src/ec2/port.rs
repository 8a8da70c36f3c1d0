//! Port: the protocol and port range of a security group rule.

use std::fmt;

/// The IP protocol of a [`Port`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IpProtocol {
    /// TCP (`tcp`).
    Tcp,
    /// UDP (`udp`).
    Udp,
    /// ICMP for IPv4 (`icmp`).
    Icmp,
    /// ICMP for IPv6 (`58`).
    Icmpv6,
    /// Every protocol (`-1`).
    All,
}

impl IpProtocol {
    /// The `IpProtocol` value of a rule.
    pub fn as_str(self) -> &'static str {
        match self {
            IpProtocol::Tcp => "tcp",
            IpProtocol::Udp => "udp",
            IpProtocol::Icmp => "icmp",
            IpProtocol::Icmpv6 => "58",
            IpProtocol::All => "-1",
        }
    }
}

/// The traffic a security group rule allows: a protocol and a port range
/// (for ICMP, a type and a code).
///
/// TCP and UDP ports are `u16`, so 0 to 65535 by construction; a range
/// whose start is after its end is reported (`FW3020`) on the security group
/// the rule is added to.
///
/// ```
/// use formwork::ec2::Port;
/// assert_eq!(Port::tcp(443).to_string(), "TCP 443");
/// assert_eq!(Port::tcp_range(8000, 8010).to_string(), "TCP 8000-8010");
/// assert_eq!(Port::all_traffic().to_string(), "all traffic");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Port {
    protocol: IpProtocol,
    from: i32,
    to: i32,
}

impl Port {
    /// One TCP port.
    pub fn tcp(port: u16) -> Port {
        Port::tcp_range(port, port)
    }

    /// TCP ports `from` to `to`, both included.
    pub fn tcp_range(from: u16, to: u16) -> Port {
        Port {
            protocol: IpProtocol::Tcp,
            from: i32::from(from),
            to: i32::from(to),
        }
    }

    /// Every TCP port.
    pub fn all_tcp() -> Port {
        Port::tcp_range(0, u16::MAX)
    }

    /// One UDP port.
    pub fn udp(port: u16) -> Port {
        Port::udp_range(port, port)
    }

    /// UDP ports `from` to `to`, both included.
    pub fn udp_range(from: u16, to: u16) -> Port {
        Port {
            protocol: IpProtocol::Udp,
            from: i32::from(from),
            to: i32::from(to),
        }
    }

    /// Every UDP port.
    pub fn all_udp() -> Port {
        Port::udp_range(0, u16::MAX)
    }

    /// Every ICMP (IPv4) type and code.
    pub fn all_icmp() -> Port {
        Port {
            protocol: IpProtocol::Icmp,
            from: -1,
            to: -1,
        }
    }

    /// One ICMP (IPv4) type, every code.
    pub fn icmp_type(icmp_type: u8) -> Port {
        Port {
            protocol: IpProtocol::Icmp,
            from: i32::from(icmp_type),
            to: -1,
        }
    }

    /// One ICMP (IPv4) type and code.
    pub fn icmp_type_and_code(icmp_type: u8, code: u8) -> Port {
        Port {
            protocol: IpProtocol::Icmp,
            from: i32::from(icmp_type),
            to: i32::from(code),
        }
    }

    /// ICMP echo requests (`ping`, type 8).
    pub fn icmp_ping() -> Port {
        Port::icmp_type(8)
    }

    /// Every ICMPv6 type and code.
    pub fn all_icmpv6() -> Port {
        Port {
            protocol: IpProtocol::Icmpv6,
            from: -1,
            to: -1,
        }
    }

    /// Every protocol and port.
    pub fn all_traffic() -> Port {
        Port {
            protocol: IpProtocol::All,
            from: -1,
            to: -1,
        }
    }

    /// The protocol.
    pub fn protocol(&self) -> IpProtocol {
        self.protocol
    }

    /// `FromPort` of the rule: the first port, the ICMP type, or -1 for all.
    pub fn from_port(&self) -> i32 {
        self.from
    }

    /// `ToPort` of the rule: the last port, the ICMP code, or -1 for all.
    pub fn to_port(&self) -> i32 {
        self.to
    }

    /// True when the rule carries `FromPort`/`ToPort` (every protocol but
    /// "all traffic").
    pub(crate) fn has_ports(&self) -> bool {
        self.protocol != IpProtocol::All
    }

    /// Why the port cannot be used, if it cannot.
    pub(crate) fn problem(&self) -> Option<String> {
        let ranged = matches!(self.protocol, IpProtocol::Tcp | IpProtocol::Udp);
        (ranged && self.from > self.to).then(|| {
            format!(
                "the port range {}-{} starts after it ends; allowed: a start at or before the end, 0 to 65535",
                self.from, self.to
            )
        })
    }

    /// True when the rule lets TCP traffic reach `port`.
    pub(crate) fn covers_tcp(&self, port: i32) -> bool {
        match self.protocol {
            IpProtocol::All => true,
            IpProtocol::Tcp => self.from <= port && port <= self.to,
            _ => false,
        }
    }

    /// A short name for logical ids (`8501`, `8000to8010`, `Udp53`, `AllTraffic`).
    pub(crate) fn label(&self) -> String {
        let (prefix, all) = match self.protocol {
            IpProtocol::Tcp => ("", "AllTcp"),
            IpProtocol::Udp => ("Udp", "AllUdp"),
            IpProtocol::Icmp => ("Icmp", "AllIcmp"),
            IpProtocol::Icmpv6 => ("Icmpv6", "AllIcmpv6"),
            IpProtocol::All => return "AllTraffic".to_owned(),
        };
        match self.protocol {
            IpProtocol::Tcp | IpProtocol::Udp => {
                if self.from == 0 && self.to == 65535 {
                    all.to_owned()
                } else if self.from == self.to {
                    format!("{prefix}{}", self.from)
                } else {
                    format!("{prefix}{}to{}", self.from, self.to)
                }
            }
            _ => match (self.from, self.to) {
                (-1, _) => all.to_owned(),
                (t, -1) => format!("{prefix}Type{t}"),
                (t, c) => format!("{prefix}Type{t}Code{c}"),
            },
        }
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.protocol {
            IpProtocol::Tcp => "TCP",
            IpProtocol::Udp => "UDP",
            IpProtocol::Icmp => "ICMP",
            IpProtocol::Icmpv6 => "ICMPv6",
            IpProtocol::All => return f.write_str("all traffic"),
        };
        match self.protocol {
            IpProtocol::Tcp | IpProtocol::Udp => {
                if self.from == 0 && self.to == 65535 {
                    write!(f, "all {name}")
                } else if self.from == self.to {
                    write!(f, "{name} {}", self.from)
                } else {
                    write!(f, "{name} {}-{}", self.from, self.to)
                }
            }
            _ => match (self.from, self.to) {
                (-1, _) => write!(f, "all {name}"),
                (t, -1) => write!(f, "{name} type {t}"),
                (t, c) => write!(f, "{name} type {t} code {c}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_carry_protocol_and_range() {
        let p = Port::tcp(443);
        assert_eq!(
            (p.protocol().as_str(), p.from_port(), p.to_port()),
            ("tcp", 443, 443)
        );
        let p = Port::all_traffic();
        assert_eq!((p.protocol().as_str(), p.has_ports()), ("-1", false));
        assert_eq!(Port::icmp_ping().from_port(), 8);
        assert_eq!(Port::icmp_ping().to_port(), -1);
        assert_eq!(Port::all_icmpv6().protocol().as_str(), "58");
        assert_eq!(Port::all_tcp(), Port::tcp_range(0, 65535));
        assert_eq!(Port::udp(53).protocol(), IpProtocol::Udp);
    }

    #[test]
    fn labels_are_distinct_and_readable() {
        let ports = [
            Port::tcp(8501),
            Port::tcp_range(8000, 8010),
            Port::all_tcp(),
            Port::udp(53),
            Port::udp_range(1, 2),
            Port::all_udp(),
            Port::all_icmp(),
            Port::icmp_type(8),
            Port::icmp_type_and_code(3, 4),
            Port::all_icmpv6(),
            Port::all_traffic(),
        ];
        let labels: Vec<String> = ports.iter().map(Port::label).collect();
        assert_eq!(
            labels,
            [
                "8501",
                "8000to8010",
                "AllTcp",
                "Udp53",
                "Udp1to2",
                "AllUdp",
                "AllIcmp",
                "IcmpType8",
                "IcmpType3Code4",
                "AllIcmpv6",
                "AllTraffic"
            ]
        );
        let shown: Vec<String> = ports.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "TCP 8501",
                "TCP 8000-8010",
                "all TCP",
                "UDP 53",
                "UDP 1-2",
                "all UDP",
                "all ICMP",
                "ICMP type 8",
                "ICMP type 3 code 4",
                "all ICMPv6",
                "all traffic"
            ]
        );
    }

    #[test]
    fn reversed_ranges_are_problems() {
        assert!(
            Port::tcp_range(10, 1)
                .problem()
                .is_some_and(|m| m.contains("10-1 starts after it ends"))
        );
        assert!(Port::udp_range(10, 1).problem().is_some());
        assert_eq!(Port::tcp_range(1, 10).problem(), None);
        assert_eq!(Port::icmp_type_and_code(8, 0).problem(), None);
    }

    #[test]
    fn admin_port_coverage() {
        assert!(Port::tcp(22).covers_tcp(22));
        assert!(Port::all_traffic().covers_tcp(3389));
        assert!(Port::all_tcp().covers_tcp(22));
        assert!(!Port::udp(22).covers_tcp(22));
        assert!(!Port::tcp(443).covers_tcp(22));
    }
}
