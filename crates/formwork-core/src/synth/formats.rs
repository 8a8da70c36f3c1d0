//! The `format`s the schemas declare on strings: CIDR blocks, dates, URIs
//! and the AWS identifier formats cfn-lint adds (`AWS::IAM::Role.Arn`, ...).

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

use super::validate::Pattern;
use crate::fasthash::FastMap;

/// The ARN prefix every AWS ARN format starts with (any partition).
const ARN: &str = r"^arn:aws[a-zA-Z-]*:";

/// The patterns of the AWS identifier formats, as cfn-lint checks them.
fn aws_pattern(format: &str) -> Option<(String, &'static str)> {
    let (p, words): (String, &str) = match format {
        "AWS::IAM::Role.Arn" => (format!(r"{ARN}iam::\d{{12}}:role/.+$"), "an IAM role ARN"),
        "AWS::KMS::Key.Arn" => (
            format!(r"{ARN}kms:[a-z0-9-]+:\d{{12}}:(key|alias)/.+$"),
            "a KMS key or alias ARN",
        ),
        "AWS::ACM::Certificate.Arn" => (
            format!(r"{ARN}acm:[a-z0-9-]+:\d{{12}}:certificate/.+$"),
            "an ACM certificate ARN",
        ),
        "AWS::Lambda::Function.Arn" => (
            format!(r"{ARN}lambda:[a-z0-9-]+:\d{{12}}:function:.+(:.+)?$"),
            "a Lambda function ARN",
        ),
        "AWS::SNS::Topic.Arn" => (
            format!(r"{ARN}sns:[a-z0-9-]+:\d{{12}}:.+$"),
            "an SNS topic ARN",
        ),
        "AWS::SQS::Queue.Arn" => (
            format!(r"{ARN}sqs:[a-z0-9-]+:\d{{12}}:.+$"),
            "an SQS queue ARN",
        ),
        "AWS::EC2::SecurityGroup.Id" => (
            r"^sg-([a-fA-F0-9]{8}|[a-fA-F0-9]{17})$".into(),
            "a security group id (sg- and 8 or 17 hex digits)",
        ),
        "AWS::EC2::Subnet.Id" => (
            r"^subnet-(([0-9A-Fa-f]{8})|([0-9A-Fa-f]{17}))$".into(),
            "a subnet id (subnet- and 8 or 17 hex digits)",
        ),
        "AWS::EC2::VPC.Id" => (
            r"^vpc-(([0-9A-Fa-f]{8})|([0-9A-Fa-f]{17}))$".into(),
            "a VPC id (vpc- and 8 or 17 hex digits)",
        ),
        "AWS::EC2::Image.Id" => (
            r"^ami-([0-9a-z]{8}|[0-9a-z]{17})$".into(),
            "an AMI id (ami- and 8 or 17 characters)",
        ),
        "AWS::EC2::SecurityGroup.Name" => (
            r"^[a-zA-Z0-9 \._\-:\/()#\,@\[\]+=&;\{\}!\$\*]+$".into(),
            "a security group name",
        ),
        "AWS::KMS::Key.Id" => (
            r"^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias/[a-zA-Z0-9/_-]+)$"
                .into(),
            "a KMS key id, multi-Region key id or alias/ name",
        ),
        "AWS::KMS::Alias.AliasName" => (r"^alias/[a-zA-Z0-9:/_-]+$".into(), "a KMS alias name (alias/...)"),
        "AWS::Lambda::Function.Name" => (r"^[a-zA-Z0-9_-]{1,140}$".into(), "a Lambda function name"),
        "AWS::Logs::LogGroup.Name" => (
            r"^[\.\-_\/#A-Za-z0-9]{1,512}$".into(),
            "a log group name (1 to 512 of letters, digits and . - _ / #)",
        ),
        _ => return None,
    };
    Some((p, words))
}

fn ipv4_network(s: &str) -> bool {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, p),
        None => (s, "32"),
    };
    let Ok(addr) = addr.parse::<Ipv4Addr>() else {
        return false;
    };
    let Some(prefix) = prefix_len(prefix, 32) else {
        return false;
    };
    let bits = u32::from(addr);
    let host = if prefix == 0 {
        u32::MAX
    } else {
        (1u32 << (32 - prefix)) - 1
    };
    prefix == 32 || bits & host == 0
}

fn ipv6_network(s: &str) -> bool {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, p),
        None => (s, "128"),
    };
    let Ok(addr) = addr.parse::<Ipv6Addr>() else {
        return false;
    };
    let Some(prefix) = prefix_len(prefix, 128) else {
        return false;
    };
    let bits = u128::from(addr);
    let host = if prefix == 0 {
        u128::MAX
    } else {
        (1u128 << (128 - prefix)) - 1
    };
    prefix == 128 || bits & host == 0
}

fn prefix_len(p: &str, max: u32) -> Option<u32> {
    if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    p.parse().ok().filter(|n| *n <= max)
}

fn date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn date_time(s: &str) -> bool {
    static RE: OnceLock<Option<Pattern>> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Pattern::compile(
            r"^\d{4}-(0[1-9]|1[0-2])-\d{2}[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$",
        )
    });
    re.as_ref().is_some_and(|r| r.is_match(s)) && s.get(..10).is_some_and(date)
}

fn uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(char::is_whitespace)
}

/// What `s` should have been when it is not of `format`; `None` when it is,
/// or when formwork does not check that format. Alternatives (`a|b`, from
/// a schema's `anyOf` of formats): `None` when `s` is of any one of them.
pub(crate) fn problem(format: &'static str, s: &str, cache: &mut Patterns) -> Option<String> {
    if !format.contains('|') {
        return problem_of_one(format, s, cache);
    }
    let mut wanted = Vec::new();
    for f in format.split('|') {
        let p = problem_of_one(f, s, cache)?;
        wanted.push(p.trim_start_matches("it must be ").to_owned());
    }
    Some(format!("it must be {}", wanted.join(", or ")))
}

/// What an S3 bucket name is, in words.
const BUCKET_NAME: &str =
    "an S3 bucket name (3 to 63 of a-z 0-9 . -, starting and ending with a letter or digit)";

/// An S3 bucket name: 3 to 63 of `a-z 0-9 . -`, not starting or ending
/// with `.` or `-`, without `..`, `.-` or `-.`. Checked by hand: the
/// pattern (`^(?![.\-])(?!.*\.\.)(?!.*\-\.)(?!.*\.\-)[a-z0-9.\-]{3,63}(?<![.\-])$`,
/// the tests' reference) needs lookarounds, which cost tens of thousands of
/// instructions to compile and run in a debug build.
fn bucket_name(s: &str) -> bool {
    let b = s.as_bytes();
    if !(3..=63).contains(&b.len()) {
        return false;
    }
    let mut prev = b'a';
    let mut rest = b;
    while let [c, tail @ ..] = rest {
        let punct = matches!(c, b'.' | b'-');
        if !(c.is_ascii_lowercase() || c.is_ascii_digit() || punct) {
            return false;
        }
        if punct && matches!(prev, b'.' | b'-') && (*c == b'.' || prev == b'.') {
            return false;
        }
        prev = *c;
        rest = tail;
    }
    !matches!(b.first(), Some(b'.' | b'-')) && !matches!(b.last(), Some(b'.' | b'-'))
}

/// The compiled pattern of each AWS format met in one synth, with the
/// words that name it (compiling one costs tens of thousands of
/// instructions in a debug build; a template checks the same few formats
/// again and again).
pub(crate) type Patterns = FastMap<&'static str, Option<(Pattern, &'static str)>>;

fn problem_of_one(format: &'static str, s: &str, cache: &mut Patterns) -> Option<String> {
    let ok = match format {
        "ipv4-network" => ipv4_network(s),
        "ipv6-network" => ipv6_network(s),
        "date" => date(s),
        "date-time" => date_time(s),
        "uri" => uri(s),
        "AWS::S3::Bucket.Name" => {
            return (!bucket_name(s)).then(|| format!("it must be {BUCKET_NAME}"));
        }
        other => {
            let (p, words) = cache
                .entry(other)
                .or_insert_with(|| {
                    let (pattern, words) = aws_pattern(other)?;
                    Some((Pattern::compile(&pattern)?, words))
                })
                .as_ref()?;
            return (!p.is_match(s)).then(|| format!("it must be {words}"));
        }
    };
    if ok {
        return None;
    }
    Some(
        match format {
            "ipv4-network" => "it must be an IPv4 CIDR block with no host bits set (`10.0.0.0/16`)",
            "ipv6-network" => {
                "it must be an IPv6 CIDR block with no host bits set (`2001:db8::/32`)"
            }
            "date" => "it must be a date, `YYYY-MM-DD`",
            "date-time" => "it must be an RFC 3339 date and time (`2026-01-31T12:00:00Z`)",
            _ => "it must be a URI (`scheme:...`, no spaces)",
        }
        .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(format: &'static str, s: &str) -> Option<String> {
        super::problem(format, s, &mut Patterns::default())
    }

    #[test]
    fn a_format_pattern_is_compiled_once_per_synth() {
        let mut cache = Patterns::default();
        let vpc = "AWS::EC2::VPC.Id";
        assert_eq!(super::problem(vpc, "vpc-0123abcd", &mut cache), None);
        assert!(super::problem(vpc, "vpc-1", &mut cache).is_some());
        assert!(
            super::problem(
                "AWS::EC2::Subnet.Id|AWS::EC2::VPC.Id",
                "subnet-0123abcd",
                &mut cache
            )
            .is_none()
        );
        assert_eq!(cache.len(), 2);
        assert!(cache.values().all(Option::is_some));
        // A format formwork does not know checks nothing, and is remembered
        // as such.
        assert_eq!(
            super::problem("AWS::Unknown::Thing.Id", "x", &mut cache),
            None
        );
        assert_eq!(
            cache.get("AWS::Unknown::Thing.Id").map(Option::is_none),
            Some(true)
        );
    }

    #[test]
    fn cidr_blocks() {
        assert_eq!(problem("ipv4-network", "10.0.0.0/16"), None);
        assert_eq!(problem("ipv4-network", "0.0.0.0/0"), None);
        assert_eq!(problem("ipv4-network", "10.1.2.3"), None);
        for bad in [
            "10.0.0.1/16",
            "10.0.0.0/33",
            "10.0.0/16",
            "300.0.0.0/8",
            "10.0.0.0/",
            "x",
        ] {
            assert!(problem("ipv4-network", bad).is_some(), "{bad}");
        }
        assert_eq!(problem("ipv6-network", "::/0"), None);
        assert_eq!(problem("ipv6-network", "2001:db8::/32"), None);
        assert!(problem("ipv6-network", "2001:db8::1/32").is_some());
        assert!(problem("ipv6-network", "10.0.0.0/8").is_some());
    }

    #[test]
    fn dates_uris_and_arns() {
        assert_eq!(problem("date", "2026-02-28"), None);
        assert!(problem("date", "2026-02-29").is_some());
        assert_eq!(problem("date-time", "2026-01-31T12:00:00Z"), None);
        assert_eq!(problem("date-time", "2026-01-31T12:00:00.5+09:00"), None);
        assert!(problem("date-time", "2026-01-31 12:00").is_some());
        assert_eq!(problem("uri", "https://example.com/x"), None);
        assert!(problem("uri", "not a uri").is_some());
        assert_eq!(
            problem("AWS::IAM::Role.Arn", "arn:aws:iam::123456789012:role/x"),
            None
        );
        assert_eq!(
            problem("AWS::IAM::Role.Arn", "my-role").as_deref(),
            Some("it must be an IAM role ARN")
        );
        assert_eq!(problem("AWS::S3::Bucket.Name", "my-bucket"), None);
        assert!(problem("AWS::S3::Bucket.Name", "My_Bucket").is_some());
        assert_eq!(problem("int64", "anything"), None);
    }

    #[test]
    fn bucket_names_are_checked_as_the_pattern_checks_them() {
        let reference = Pattern::compile(
            r"^(?![.\-])(?!.*\.\.)(?!.*\-\.)(?!.*\.\-)[a-z0-9.\-]{3,63}(?<![.\-])$",
        )
        .expect("the reference pattern");
        let mut rng = crate::test_rng::Rng(0x00B0_C4E7_5EED);
        let mut fails = 0;
        for _ in 0..20_000 {
            // Half the names from valid characters only, so that both
            // answers come up often.
            let alphabet: &[u8] = if rng.chance(50) {
                b"abcz09abcz09.-"
            } else {
                b"ab9.-A_ /"
            };
            let n = rng.below(70) as usize;
            let s: String = (0..n)
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize] as char)
                .collect();
            assert_eq!(bucket_name(&s), reference.is_match(&s), "{s:?}");
            fails += usize::from(!bucket_name(&s));
        }
        assert!(
            fails > 100 && fails < 19_900,
            "both answers are tried: {fails}"
        );
        for ok in ["my-bucket", "a.b-c", "abc", &"a".repeat(63)] {
            assert!(bucket_name(ok), "{ok}");
        }
        for bad in [
            "ab",
            "a..b",
            "a.-b",
            "a-.b",
            "-ab",
            "ab.",
            "Ab1",
            "a_b",
            &"a".repeat(64),
        ] {
            assert!(!bucket_name(bad), "{bad}");
        }
        assert!(bucket_name("a--b"), "two hyphens are allowed");
    }

    #[test]
    fn alternatives_accept_a_value_of_any_one() {
        let kms = "AWS::KMS::Key.Arn|AWS::KMS::Key.Id|AWS::KMS::Alias.AliasName";
        assert_eq!(problem(kms, "alias/app"), None);
        assert_eq!(problem(kms, "1234abcd-12ab-34cd-56ef-1234567890ab"), None);
        assert_eq!(
            problem(kms, "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd"),
            None
        );
        assert_eq!(
            problem(kms, "my-key").as_deref(),
            Some(
                "it must be a KMS key or alias ARN, or a KMS key id, multi-Region key id or alias/ name, or a KMS alias name (alias/...)"
            )
        );
        let cidr = "ipv4-network|ipv6-network";
        assert_eq!(problem(cidr, "10.0.0.0/16"), None);
        assert_eq!(problem(cidr, "2001:db8::/32"), None);
        assert!(problem(cidr, "10.0.0.1/16").is_some());
        // An alternative formwork does not check accepts anything.
        assert_eq!(problem("ipv4-network|int64", "x"), None);
    }
}
