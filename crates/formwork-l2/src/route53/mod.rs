//! Route 53: hosted zones (created or imported by id and name) and their
//! records: A/AAAA aliases to load balancers and CloudFront distributions,
//! CNAME and TXT records. A [`HostedZone`] converts into the zone id that
//! [`CertificateProps::hosted_zone`](crate::certificatemanager::CertificateProps::hosted_zone)
//! takes, so a certificate's DNS validation records are written in it.

mod name;
mod record;
mod zone;

pub use record::{AliasTarget, Record, RecordProps, RecordTarget, RecordType};
pub use zone::{HostedZone, HostedZoneProps};

/// Diagnostic codes of the Route 53 constructs (`FW40xx`).
pub mod codes {
    /// A zone or record name that is not a DNS name (empty labels, a label
    /// over 63 characters, over 255 characters in all, characters other
    /// than `A-Z a-z 0-9 - _ *`).
    pub const NAME: &str = "FW4001";
    /// A record whose name is outside its zone (`api.other.com` in zone
    /// `example.com`).
    pub const OUTSIDE_ZONE: &str = "FW4002";
    /// A CNAME at the zone apex, which DNS forbids (use an A/AAAA alias).
    pub const CNAME_AT_APEX: &str = "FW4003";
    /// A record without values, or a TTL over 2147483647 seconds.
    pub const RECORD_VALUES: &str = "FW4004";
}
