//! ACM: public TLS certificates validated by DNS (with the validation
//! records written into Route 53 when the hosted zone is given), and
//! existing certificates by ARN, literal or a stack parameter.
//!
//! ```
//! use formwork::App;
//! use formwork::certificatemanager::{Certificate, CertificateProps};
//! let app = App::new();
//! let stack = app.stack("Web")?;
//! // A new certificate, validated through a Route 53 zone of the account.
//! let cert = Certificate::new(
//!     &stack,
//!     "SiteCertificate",
//!     CertificateProps::new("example.com")
//!         .subject_alternative_name("*.example.com")
//!         .hosted_zone("Z0123456789ABCDEFGHIJ"),
//! )?;
//! // An existing one, whose ARN is given at deploy time.
//! let given = Certificate::from_parameter(&stack, "CertificateArn")?;
//! # let _ = (cert.certificate_arn(), given);
//! # Ok::<(), formwork::Error>(())
//! ```

mod cert;

pub use cert::{Certificate, CertificateProps, KeyAlgorithm};

/// The diagnostic codes of the ACM constructs (`FW37xx`).
pub mod codes {
    /// A domain name ACM refuses: empty, more than 253 characters (64 for
    /// the certificate's main name), a label that is empty, longer than 63
    /// characters, or has characters other than letters, digits and
    /// hyphens (or starts or ends with one), a `*` anywhere but a leading
    /// `*.`, a single label, or an IP address.
    pub const DOMAIN_NAME: &str = "FW3701";
    /// A Route 53 hosted zone for a name that is not on the certificate,
    /// hosted zones beside email validation, or a zone id that is not one
    /// (`Z0123456789ABCDEFGHIJ`).
    pub const HOSTED_ZONE: &str = "FW3702";
    /// A literal certificate ARN that is not an ACM certificate ARN
    /// (`arn:<partition>:acm:<region>:<account>:certificate/<id>`).
    pub const CERTIFICATE_ARN: &str = "FW3703";
    /// A certificate used in a region other than its own (ACM certificates
    /// are regional: a load balancer needs one of its region, CloudFront one
    /// of `us-east-1`).
    pub const CERTIFICATE_REGION: &str = "FW3704";
    /// More than 100 names on one certificate (the domain name and its
    /// subject alternative names), or the same name twice.
    pub const NAMES: &str = "FW3705";
}
