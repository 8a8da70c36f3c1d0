//! Secrets written into templates: literal values in environment variables
//! and SSM `String` parameters, and parameters that echo or default a secret.

use formwork_core::Diagnostic;
use formwork_core::Value;
use formwork_core::rules::{Findings, ParameterView, ResourceView};

use crate::codes;
use crate::json::{bool_of, items, lit, str_of};

/// Words in a name that say the value is a secret.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "API_KEY",
    "PRIVATE_KEY",
    "PRIVATEKEY",
    "ACCESS_KEY",
    "ACCESSKEY",
    "CREDENTIAL",
    "AUTH_KEY",
    "CLIENT_SECRET",
];

/// Endings of a name whose value points at a secret without being one.
const POINTER_ENDINGS: &[&str] = &[
    "ARN",
    "NAME",
    "ID",
    "URL",
    "URI",
    "PATH",
    "REGION",
    "ENDPOINT",
    "FILE",
    "PARAMETER",
    "PARAM",
    "HEADER",
    "TTL",
    "LENGTH",
    "ENABLED",
    "TYPE",
    "VERSION",
];

/// True when a name (`OPENAI_API_KEY`, `dbPassword`) says its value is a secret.
///
/// Every variable of every function and container goes through here and
/// [`literal_secret`]: they work on bytes in plain loops, which stay cheap
/// in a debug build (character iterators, `str::contains` and
/// `strip_prefix` cost hundreds to thousands of instructions a call there).
pub(crate) fn secret_name(name: &str) -> bool {
    // camelCase to SNAKE_CASE, so `dbPassword` and `DB_PASSWORD` read alike.
    // Bytes of a character beyond ASCII are copied as they are, as the
    // character would be.
    let mut snake: Vec<u8> = Vec::with_capacity(name.len() + 8);
    let mut prev_lower = false;
    let mut rest = name.as_bytes();
    while let [c, tail @ ..] = rest {
        let c = *c;
        if c.is_ascii_uppercase() && prev_lower {
            snake.push(b'_');
        }
        prev_lower = matches!(c, b'a'..=b'z' | b'0'..=b'9');
        snake.push(match c {
            b'-' | b'.' | b'/' => b'_',
            b'a'..=b'z' => c - (b'a' - b'A'),
            _ => c,
        });
        rest = tail;
    }
    let mut endings = POINTER_ENDINGS;
    while let [e, tail @ ..] = endings {
        let e = e.as_bytes();
        if snake.len() >= e.len() && snake[snake.len() - e.len()..] == *e {
            let head = snake.len() - e.len();
            if head == 0 || snake[head - 1] == b'_' {
                return false;
            }
        }
        endings = tail;
    }
    let mut words = SECRET_WORDS;
    while let [w, tail @ ..] = words {
        if contains(&snake, w.as_bytes()) {
            return true;
        }
        words = tail;
    }
    false
}

/// True when `needle` (not empty) occurs in `hay`.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some(last) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    let Some(&first) = needle.first() else {
        return true;
    };
    let mut i = 0;
    while i <= last {
        if hay[i] == first && hay[i..i + needle.len()] == *needle {
            return true;
        }
        i += 1;
    }
    false
}

/// The rest of `v` after `prefix`, when it starts with it.
fn after<'v>(v: &'v str, prefix: &str) -> Option<&'v str> {
    if v.len() >= prefix.len() && v.as_bytes()[..prefix.len()] == *prefix.as_bytes() {
        v.get(prefix.len()..)
    } else {
        None
    }
}

/// True when `rest` is at least `min` bytes of ASCII letters, digits, `-`
/// and `_`.
fn token_tail(rest: &str, min: usize) -> bool {
    if rest.len() < min {
        return false;
    }
    let mut b = rest.as_bytes();
    while let [c, tail @ ..] = b {
        if !matches!(c, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_') {
            return false;
        }
        b = tail;
    }
    true
}

/// The kind of secret a value's shape shows (`sk-…` API keys, AWS access
/// keys, GitHub and Slack tokens, private keys), if any.
pub(crate) fn secret_shape(v: &str) -> Option<&'static str> {
    let v = v.trim();
    if let Some(rest) = after(v, "sk-") {
        if token_tail(rest, 16) {
            return Some("an API key (`sk-…`)");
        }
    }
    let mut tokens = TOKEN_PREFIXES;
    while let [(prefix, what), tail @ ..] = tokens {
        if let Some(rest) = after(v, prefix) {
            if token_tail(rest, 16) {
                return Some(what);
            }
        }
        tokens = tail;
    }
    if let Some(rest) = after(v, "AKIA").or_else(|| after(v, "ASIA")) {
        let mut b = rest.as_bytes();
        let mut ok = b.len() == 16;
        while let [c, tail @ ..] = b {
            ok &= matches!(c, b'A'..=b'Z' | b'0'..=b'9');
            b = tail;
        }
        if ok {
            return Some("an AWS access key id");
        }
    }
    if let Some(rest) = after(v, "AIza") {
        if token_tail(rest, 35) {
            return Some("a Google API key (`AIza…`)");
        }
    }
    if contains(v.as_bytes(), b"-----BEGIN") && contains(v.as_bytes(), b"PRIVATE KEY") {
        return Some("a private key");
    }
    None
}

/// Prefixes of tokens, with what they are.
const TOKEN_PREFIXES: &[(&str, &str)] = &[
    ("sk_live_", "a live API key (`sk_live_…`)"),
    ("ghp_", "a GitHub token (`ghp_…`)"),
    ("github_pat_", "a GitHub token (`github_pat_…`)"),
    ("glpat-", "a GitLab token (`glpat-…`)"),
    ("xoxb-", "a Slack token (`xoxb-…`)"),
    ("xoxp-", "a Slack token (`xoxp-…`)"),
];

/// Values that stand for nothing (compared ignoring ASCII case).
const PLACEHOLDERS: &[&str] = &["true", "false", "none", "null", "changeme", "-"];

/// Why a literal value under a name is a secret, if it is.
fn literal_secret(name: &str, value: &str) -> Option<String> {
    if value.is_empty() || contains(value.as_bytes(), b"{{resolve:") {
        return None;
    }
    if let Some(shape) = secret_shape(value) {
        return Some(format!("its value has the shape of {shape}"));
    }
    if !secret_name(name) {
        return None;
    }
    let mut placeholder = value.parse::<f64>().is_ok();
    let mut words = PLACEHOLDERS;
    while let [w, tail @ ..] = words {
        placeholder |= value.eq_ignore_ascii_case(w);
        words = tail;
    }
    (!placeholder).then(|| "its name says it is a secret".to_owned())
}

/// The first few characters, so that a message never holds the secret.
fn masked(value: &str) -> String {
    let head: String = value.chars().take(3).collect();
    format!("{head}…")
}

/// Reports `name=value` when it is a literal secret; `property` names it
/// (called only then: a `format!` costs thousands of instructions in a
/// debug build, and most variables are fine).
fn env_finding(
    r: &ResourceView<'_>,
    f: &mut Findings,
    property: impl FnOnce() -> String,
    name: &str,
    value: &str,
) {
    if let Some(why) = literal_secret(name, value) {
        f.report(
            Diagnostic::error(
                codes::LITERAL_SECRET,
                r.path(),
                format!(
                    "environment variable {name} holds a literal secret ({}; {why}): anyone who can read the template, the stack or the function's configuration can read it",
                    masked(value)
                ),
            )
            .property(property())
            .fix("keep the secret in Secrets Manager (or an SSM SecureString) and pass its ARN or name; let the code read it, or use an ECS secret"),
        );
    }
}

pub(crate) fn resource(r: &ResourceView<'_>, ty: &str, f: &mut Findings) {
    match ty {
        // Environments read as synth holds them (`held`): only literal
        // values can be literal secrets, so references need no rendering.
        "AWS::Lambda::Function" => {
            if let Some(Value::Map(vars)) = r.held("Environment.Variables") {
                for (k, v) in vars {
                    if let Some(s) = v.literal_str() {
                        env_finding(r, f, || format!("Environment.Variables.{k}"), k, &s);
                    }
                }
            }
        }
        "AWS::ECS::TaskDefinition" => {
            for (i, c) in items(r.held("ContainerDefinitions"))
                .into_iter()
                .enumerate()
            {
                for (j, e) in items(c.get("Environment")).into_iter().enumerate() {
                    if let (Some(n), Some(v)) = (lit(e.get("Name")), lit(e.get("Value"))) {
                        env_finding(
                            r,
                            f,
                            || format!("ContainerDefinitions[{i}].Environment[{j}]"),
                            &n,
                            &v,
                        );
                    }
                }
            }
        }
        "AWS::SSM::Parameter" => {
            let ty = str_of(r.property("Type")).unwrap_or("String");
            let name = str_of(r.property("Name")).unwrap_or(r.logical_id);
            if let Some(value) = str_of(r.property("Value")) {
                if let Some(why) = literal_secret(name, value) {
                    f.report(
                        Diagnostic::error(
                            codes::SSM_SECRET,
                            r.path(),
                            format!(
                                "SSM parameter {name} is a {ty} parameter holding a secret ({}; {why}): the value is in the template in plain text",
                                masked(value)
                            ),
                        )
                        .property("Value")
                        .fix("CloudFormation cannot create SecureString parameters: create the secret in Secrets Manager, or put a SecureString in SSM outside the template and reference it"),
                    );
                }
            }
        }
        _ => {}
    }
}

pub(crate) fn parameter(p: &ParameterView<'_>, f: &mut Findings) {
    let no_echo = bool_of(p.field("NoEcho")) == Some(true);
    let secret = secret_name(p.name);
    let ty = str_of(p.field("Type")).unwrap_or("");
    if ty.starts_with("AWS::SSM::Parameter::") {
        // The default is the name of an SSM parameter, not the value.
        return;
    }
    if (no_echo || secret) && p.field("Default").is_some_and(|d| *d != Value::Null) {
        f.report(
            Diagnostic::error(
                codes::PARAMETER_DEFAULT,
                p.path(),
                format!(
                    "parameter {} is {} but has a default: the default is in the template in plain text",
                    p.name,
                    if no_echo { "NoEcho" } else { "named like a secret" }
                ),
            )
            .property("Default")
            .fix("remove the default and pass the value at deploy time, or use a dynamic reference to Secrets Manager"),
        );
    }
    if secret && !no_echo {
        f.report(
            Diagnostic::warning(
                codes::PARAMETER_ECHO,
                p.path(),
                format!(
                    "parameter {} looks secret but is not NoEcho: the console and the API show its value",
                    p.name
                ),
            )
            .property("NoEcho")
            .fix("make it NoEcho (`Parameter::no_echo`), or rename it if it holds no secret"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first version of the name and value checks, written with
    /// `str` methods: the reference the byte loops are compared with.
    mod reference {
        use super::super::{POINTER_ENDINGS, SECRET_WORDS};

        /// True when a name (`OPENAI_API_KEY`, `dbPassword`) says its value is a secret.
        pub(super) fn secret_name(name: &str) -> bool {
            // camelCase to SNAKE_CASE, so `dbPassword` and `DB_PASSWORD` read alike.
            let mut snake = String::new();
            let mut prev_lower = false;
            for c in name.chars() {
                if c.is_ascii_uppercase() && prev_lower {
                    snake.push('_');
                }
                prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
                snake.push(if c == '-' || c == '.' || c == '/' {
                    '_'
                } else {
                    c.to_ascii_uppercase()
                });
            }
            if POINTER_ENDINGS.iter().any(|e| {
                snake == *e
                    || snake
                        .strip_suffix(e)
                        .is_some_and(|head| head.ends_with('_'))
            }) {
                return false;
            }
            SECRET_WORDS.iter().any(|w| snake.contains(w))
        }

        /// The kind of secret a value's shape shows (`sk-…` API keys, AWS access
        /// keys, GitHub and Slack tokens, private keys), if any.
        pub(super) fn secret_shape(v: &str) -> Option<&'static str> {
            let v = v.trim();
            let tail_ok = |rest: &str, min: usize| {
                rest.len() >= min
                    && rest
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            };
            if let Some(rest) = v.strip_prefix("sk-") {
                if tail_ok(rest, 16) {
                    return Some("an API key (`sk-…`)");
                }
            }
            for (prefix, what) in [
                ("sk_live_", "a live API key (`sk_live_…`)"),
                ("ghp_", "a GitHub token (`ghp_…`)"),
                ("github_pat_", "a GitHub token (`github_pat_…`)"),
                ("glpat-", "a GitLab token (`glpat-…`)"),
                ("xoxb-", "a Slack token (`xoxb-…`)"),
                ("xoxp-", "a Slack token (`xoxp-…`)"),
            ] {
                if let Some(rest) = v.strip_prefix(prefix) {
                    if tail_ok(rest, 16) {
                        return Some(what);
                    }
                }
            }
            if let Some(rest) = v.strip_prefix("AKIA").or_else(|| v.strip_prefix("ASIA")) {
                if rest.len() == 16
                    && rest
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                {
                    return Some("an AWS access key id");
                }
            }
            if let Some(rest) = v.strip_prefix("AIza") {
                if tail_ok(rest, 35) {
                    return Some("a Google API key (`AIza…`)");
                }
            }
            if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
                return Some("a private key");
            }
            None
        }

        /// Why a literal value under a name is a secret, if it is.
        pub(super) fn literal_secret(name: &str, value: &str) -> Option<String> {
            if value.is_empty() || value.contains("{{resolve:") {
                return None;
            }
            if let Some(shape) = secret_shape(value) {
                return Some(format!("its value has the shape of {shape}"));
            }
            let placeholder = matches!(
                value.to_ascii_lowercase().as_str(),
                "true" | "false" | "none" | "null" | "changeme" | "-"
            ) || value.parse::<f64>().is_ok();
            (secret_name(name) && !placeholder).then(|| "its name says it is a secret".to_owned())
        }
    }

    /// Random names and values made of the words, endings, prefixes and
    /// separators the checks look for, in any case, with characters
    /// beyond ASCII.
    fn texts() -> Vec<String> {
        const PIECES: &[&str] = &[
            "",
            "_",
            "-",
            ".",
            "/",
            " ",
            "\t",
            "db",
            "Db",
            "DB",
            "password",
            "Password",
            "PASSWORD",
            "secret",
            "Token",
            "api",
            "Api",
            "KEY",
            "key",
            "ARN",
            "arn",
            "Name",
            "_ID",
            "id",
            "Url",
            "ACCESS",
            "Private",
            "é",
            "ß",
            "Ⅻ",
            "9",
            "0",
            "x",
            "sk-",
            "sk_live_",
            "ghp_",
            "github_pat_",
            "glpat-",
            "xoxb-",
            "xoxp-",
            "AKIA",
            "ASIA",
            "AIza",
            "ABCDEFGHIJKLMNOP",
            "abcdefghijklmnop",
            "0123456789",
            "-----BEGIN",
            "PRIVATE KEY",
            "{{resolve:",
            "true",
            "FALSE",
            "None",
            "null",
            "changeme",
            "1.5",
            "-3",
            "1e9",
            "inf",
            "NaN",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut out: Vec<String> = PIECES.iter().map(|p| (*p).to_owned()).collect();
        for _ in 0..20_000 {
            let n = next() % 6;
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            out.push(s);
        }
        out
    }

    #[test]
    fn the_byte_loops_answer_as_the_str_methods_do() {
        let texts = texts();
        let (mut secret, mut shaped, mut literal) = (0, 0, 0);
        for (i, t) in texts.iter().enumerate() {
            let name = reference::secret_name(t);
            assert_eq!(secret_name(t), name, "{t:?}");
            let shape = reference::secret_shape(t);
            assert_eq!(secret_shape(t), shape, "{t:?}");
            let value = &texts[(i * 7919) % texts.len()];
            let expected = reference::literal_secret(t, value);
            assert_eq!(literal_secret(t, value), expected, "{t:?} = {value:?}");
            secret += usize::from(name);
            shaped += usize::from(shape.is_some());
            literal += usize::from(expected.is_some());
        }
        // Both answers came up often.
        assert!(secret > 2000 && secret < 18_000, "{secret}");
        assert!(shaped > 150, "{shaped}");
        assert!(literal > 1000, "{literal}");
    }

    #[test]
    fn names_and_shapes() {
        for s in [
            "OPENAI_API_KEY",
            "dbPassword",
            "GITHUB_TOKEN",
            "client-secret",
            "ApiKey",
            // A pointer ending counts after an underscore only.
            "APITOKENID",
            "DB_PASSWORDARN",
        ] {
            assert!(secret_name(s), "{s}");
        }
        for s in [
            "OPENAI_API_KEY_SECRET_ARN",
            "CONFIG_BUCKET_NAME",
            "TOKEN_URL",
            "MODEL_MAP_KEY",
            "LOG_LEVEL",
            "API_TOKEN_ID",
        ] {
            assert!(!secret_name(s), "{s}");
        }
        assert!(secret_shape("sk-proj-abcdefghijklmnopqrstuvwx").is_some());
        assert!(secret_shape("AKIAABCDEFGHIJKLMNOP").is_some());
        assert!(secret_shape("sk-short").is_none());
        assert!(secret_shape("config/model_map.json").is_none());
        assert_eq!(literal_secret("X", "{{resolve:secretsmanager:s}}"), None);
        assert_eq!(literal_secret("PASSWORD", "true"), None);
        assert!(literal_secret("NOTHING", "sk-abcdefghijklmnopqrstu").is_some());
        assert_eq!(masked("sk-abcdef"), "sk-…");
    }
}
