//! One test per feature of the syntax; the generator's differential test
//! (`crates/formwork-codegen/tests/pattern_differential.rs`) compares the
//! matcher with the regex crate on every schema pattern.

use super::{ErrorKind, Pattern};

fn yes(p: &str, texts: &[&str]) {
    let c = Pattern::new(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    for t in texts {
        assert!(c.is_match(t), "{p} should match {t:?}");
    }
}

fn no(p: &str, texts: &[&str]) {
    let c = Pattern::new(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    for t in texts {
        assert!(!c.is_match(t), "{p} should not match {t:?}");
    }
}

fn refused(p: &str, kind: ErrorKind) -> String {
    match Pattern::new(p) {
        Ok(_) => panic!("{p} should be refused"),
        Err(e) => {
            assert_eq!(e.kind, kind, "{p}: {e}");
            e.to_string()
        }
    }
}

#[test]
fn unanchored_unless_anchored() {
    yes("abc", &["abc", "xxabcxx"]);
    no("abc", &["ab", "acb", ""]);
    yes("^abc", &["abcx"]);
    no("^abc", &["xabc"]);
    yes("abc$", &["xabc"]);
    no("abc$", &["abcx", "abc\n"]);
    yes(r"\Aa\z", &["a"]);
    no(r"\Aa\z", &["a\n", "ba"]);
    yes("", &["", "x"]);
}

#[test]
fn literals_and_escapes() {
    yes(r"^a\.b\/c\\d\-e\_f\ g\:h\@$", &["a.b/c\\d-e_f g:h@"]);
    yes(r"^\n\t\r\f\v\a$", &["\n\t\r\x0C\x0B\x07"]);
    yes(r"^\x41\x{1F600}\u0042\u{43}\U00000044$", &["A😀BCD"]);
    yes(r"^\$\{x\}\(\)\[\]\*\+\?\|\^$", &["${x}()[]*+?|^"]);
    yes("^}]$", &["}]"]);
    no(r"^a\.b$", &["axb"]);
}

#[test]
fn dot_and_dot_all() {
    yes("^.$", &["a", "é", "😀", "\r"]);
    no("^.$", &["\n", ""]);
    yes("^(?s).$", &["\n"]);
    yes("^(?s:.)$", &["\n"]);
    no("^(?s:.).$", &["\n\n"]);
}

#[test]
fn classes() {
    yes("^[a-c]+$", &["abc", "cab"]);
    no("^[a-c]+$", &["abd", ""]);
    yes("^[^a-c]$", &["d", "\n"]);
    no("^[^a-c]$", &["a"]);
    // `-` first, last or after a range is a literal; `]` first is too.
    yes("^[-a]$", &["-"]);
    yes("^[a-]$", &["-"]);
    yes("^[0-9-_]$", &["-", "_", "5"]);
    yes("^[]a]$", &["]"]);
    yes("^[^]a]$", &["b"]);
    no("^[^]a]$", &["]"]);
    // `+-=` is a range.
    yes("^[+-=]$", &["+", "5", "="]);
    yes(r"^[\]\[\\\-]+$", &["][\\-"]);
    yes("^[a[bc]]+$", &["abc"]);
    yes(r"^[\d\s]+$", &["1 2\t٣"]);
    yes(r"^[\S]$", &["x"]);
    no(r"^[\S]$", &[" "]);
    yes(r"^[\w\W]$", &["x", " "]);
    yes(r"^[\x00-\x20\u00e9]+$", &["\u{0} é"]);
}

#[test]
fn named_classes() {
    yes(r"^\d+$", &["0123456789", "٣", "४"]);
    no(r"^\d$", &["a", "½", "Ⅳ"]);
    yes(r"^\w+$", &["a_Z9", "é", "ß", "漢", "\u{200D}"]);
    no(r"^\w$", &["-", " ", "."]);
    yes(r"^\s+$", &[" \t\n\r\x0B\x0C\u{A0}\u{2028}\u{3000}"]);
    no(r"^\s$", &["\u{200B}", "x"]);
    yes(r"^\D\W\S$", &["a-x"]);
    // General categories.
    yes(r"^\p{L}+$", &["aZéß漢ǅʰ"]);
    no(r"^\p{L}$", &["1", "_", "\u{0301}", "Ⅳ"]);
    yes(r"^\p{N}+$", &["1½Ⅳ٣"]);
    yes(r"^\p{M}$", &["\u{0301}"]);
    yes(r"^\p{P}+$", &["!-_\"«"]);
    yes(r"^\p{S}+$", &["$+<=>^`|~©"]);
    yes(r"^\p{Z}+$", &[" \u{A0}\u{2028}\u{2029}"]);
    no(r"^\p{Z}$", &["\t", "\n"]);
    yes(r"^\p{Zs}$", &[" "]);
    no(r"^\p{Zs}$", &["\u{2028}"]);
    yes(r"^\p{C}+$", &["\u{0}\u{7F}\u{200B}\u{E000}\u{378}"]);
    no(r"^\p{C}$", &["a", " "]);
    yes(r"^\P{C}+$", &["a b"]);
    yes(r"^[^\p{C}]+$", &["a b"]);
    yes(r"^\p{ASCII}+$", &["\u{0}~"]);
    no(r"^\p{ASCII}$", &["é"]);
    yes(r"^[\p{Graph}\x20]+$", &["a b!é"]);
    no(r"^\p{Graph}$", &[" ", "\t", "\u{0}"]);
    yes(r"^\pL\PL$", &["a1"]);
    yes(r"^[\P{L}]$", &["1"]);
}

#[test]
fn groups_alternation_and_repetition() {
    yes("^(ab|cd)+$", &["ab", "abcd", "cdab"]);
    no("^(ab|cd)+$", &["", "ac", "abc"]);
    yes("^(?:a|)b$", &["ab", "b"]);
    yes("^(?P<x>a)(?<y>b)$", &["ab"]);
    yes("^a{3}$", &["aaa"]);
    no("^a{3}$", &["aa", "aaaa"]);
    yes("^a{2,}$", &["aa", "aaaaa"]);
    no("^a{2,}$", &["a"]);
    yes("^a{1,3}$", &["a", "aaa"]);
    no("^a{1,3}$", &["", "aaaa"]);
    yes("^(ab){1,3}$", &["ab", "ababab"]);
    no("^(ab){1,3}$", &["abababab", "aba"]);
    yes("^(ab){2,}$", &["abab", "ababab"]);
    no("^(ab){2,}$", &["ab"]);
    yes("^a*?b+?c??d{1,2}?$", &["bd", "aabbcdd"]);
    yes("^(a*)*$", &["", "aaa"]);
    yes("^(a|b?)+c$", &["c", "abbac"]);
    yes("^a{0}b$", &["b"]);
}

#[test]
fn assertions() {
    yes(r"\bfoo\b", &["a foo b", "foo"]);
    no(r"\bfoo\b", &["afoo", "foob"]);
    yes(r"\Bfoo", &["afoo"]);
    no(r"\Bfoo", &["foo"]);
    // `^` and `$` mean the text's ends wherever they are.
    yes("(^a|b$)", &["ax", "xb"]);
    no("(^a|b$)", &["xa", "bx"]);
}

#[test]
fn lookaround() {
    yes("^(?!aws:).+$", &["awsx", "x"]);
    no("^(?!aws:).+$", &["aws:x"]);
    yes("^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d).{8,}$", &["abcD1234"]);
    no(
        "^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d).{8,}$",
        &["abcd1234", "aB1"],
    );
    yes("^[a-z.]*(?<!\\.)$", &["a.b", ""]);
    no("^[a-z.]*(?<!\\.)$", &["ab."]);
    yes("^[a-z.]+(?<!\\.git)$", &["repo", "a.gi"]);
    no("^[a-z.]+(?<!\\.git)$", &["repo.git"]);
    yes("(?<=a)b", &["ab"]);
    no("(?<=a)b", &["b", "cb"]);
    yes("^(?=.{1,5}$).*$", &["abcde"]);
    no("^(?=.{1,5}$).*$", &["abcdef", ""]);
    yes("((?!^[0-9]+$)([a-z0-9]+))", &["a1", "12a"]);
    no("^((?!^[0-9]+$)([a-z0-9]+))$", &["12"]);
}

#[test]
fn case_insensitive() {
    yes("^(?!(?i)aws)[a-zA-Z]+$", &["abc", "awx"]);
    no("^(?!(?i)aws)[a-zA-Z]+$", &["AWSx", "aWs", "aws"]);
    yes("^(?i)stop$", &["STOP", "sTop", "ſtop"]);
    yes("^(?i:k)$", &["K", "k", "\u{212A}"]);
    yes("^(?i:a)b$", &["Ab"]);
    yes("^(?i)[0-9a-f]{2}$", &["aF", "09"]);
    no("^(?i)[0-9a-f]{2}$", &["ag"]);
    yes("^(?i)[^a-f]$", &["g"]);
    no("^(?i)[^a-f]$", &["A", "a"]);
    yes("^(?i)[k]$", &["\u{212A}"]);
    no("^(?i:a)b$", &["AB"]);
}

#[test]
fn backreferences() {
    yes(
        r"^(-?)\d{2}\1\d{2}$",
        &["12-34".replace('-', "").as_str(), "-12-34", "1234"],
    );
    no(r"^(-?)\d{2}\1\d{2}$", &["12-34", "-1234"]);
    // An unset group matches nothing.
    no(r"^(?:(a)|b)\1$", &["b"]);
    yes(r"^(?:(a)|b)\1$", &["aa"]);
}

#[test]
fn long_texts_are_linear() {
    // Catastrophic for a plain backtracker: 2^n paths on a near miss.
    let p = Pattern::new("^(a|aa)*(a*)*b$").expect("supported");
    assert!(!p.is_match(&"a".repeat(5_000)));
    let p = Pattern::new("(?s).+").expect("supported");
    assert!(p.is_match(&"x".repeat(25_000)));
    let p = Pattern::new("^(?!.*--)[a-z-]*$").expect("supported");
    assert!(!p.is_match(&format!("{}--", "a-".repeat(2_000))));
    let p = Pattern::new("^((?!^[0-9]+$)([a-zA-Z0-9-_]+))$").expect("supported");
    assert!(!p.is_match(&"1".repeat(3_000)));
    let p = Pattern::new("(?:(?!ab).)*c").expect("supported");
    assert!(!p.is_match(&"ab".repeat(3_000)));
}

#[test]
fn a_backreference_pattern_that_runs_out_of_steps_counts_as_a_match() {
    let p = Pattern::new(r"^((a|aa)*)*\1b$").expect("supported");
    assert!(p.is_match(&"a".repeat(64)));
}

#[test]
fn refuses_what_it_does_not_support() {
    for p in [
        "(?>a)",
        "(?m)^a$",
        "a*+",
        r"\p{Greek}",
        r"\p{Lu}",
        "[[:alpha:]]",
        "[a-z&&[^b]]",
        "[a-z--b]",
        r"\k<x>",
        r"\G",
        r"(?<=a+)b",
        r"(?=(a)\1)",
        "(?i)[é]",
        "(?i)é",
        r"(?i)[\w]",
        "(ab){100000}",
    ] {
        let e = refused(p, ErrorKind::Unsupported);
        assert!(e.contains("not supported"), "{p}: {e}");
    }
    for p in [
        "(a", "a)", "*a", "a{2,1}", "[a", "[z-a]", r"a\", r"\2(a)", "a{", "a**", "[\\d-z]",
    ] {
        let e = refused(p, ErrorKind::Invalid);
        assert!(e.starts_with("not a valid pattern"), "{p}: {e}");
    }
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
    refused(&deep, ErrorKind::Unsupported);
    let deep = format!("{}a{}", "[".repeat(10_000), "]".repeat(10_000));
    refused(&deep, ErrorKind::Unsupported);
    yes(&format!("^{}a{}$", "(".repeat(50), ")".repeat(50)), &["a"]);
}

/// Property: any string is either refused with an error or compiles into a
/// pattern that answers on any text, without a panic.
#[test]
fn arbitrary_patterns_and_texts_never_panic() {
    const SOUP: &[&str] = &[
        "a",
        "b",
        "(",
        ")",
        "[",
        "]",
        "^",
        "$",
        "-",
        "\\",
        "\\d",
        "\\p{L}",
        "\\P{C}",
        "\\1",
        "\\x4",
        "\\u{1F600}",
        "{",
        "}",
        "{2}",
        "{1,3}",
        ",",
        "*",
        "+",
        "?",
        "|",
        ".",
        "(?",
        "(?=",
        "(?!",
        "(?<=",
        "(?<!",
        "(?i)",
        "(?s:",
        ":",
        "é",
        "\\b",
        "\\z",
        "&&",
        "--",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut compiled = 0;
    for _ in 0..5_000 {
        let p: String = (0..next(12)).map(|_| SOUP[next(SOUP.len())]).collect();
        let Ok(c) = Pattern::new(&p) else { continue };
        compiled += 1;
        for t in [
            "",
            "a",
            "ab-é1",
            "\n",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
        ] {
            let _ = c.is_match(t);
        }
    }
    assert!(compiled > 500, "{compiled} compiled");
}

/// Texts over characters the fast-path patterns below tell apart, and
/// short ones over the pattern's own letters in both cases (which hit its
/// literal words).
fn random_text(p: &str, rng: &mut crate::test_rng::Rng) -> String {
    const POOL: &[char] = &[
        'a', 'b', 'c', 'x', 'A', 'K', 'S', 's', '1', '9', '-', '_', '.', ':', ' ', '\n', '\t', 'é',
        '٣', 'ſ', '\u{212A}', '\u{A0}', '\u{0}',
    ];
    if rng.chance(50) {
        let own: Vec<char> = p
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(|c| [c, c.to_ascii_uppercase()])
            .collect();
        if !own.is_empty() {
            return (0..rng.index(5)).map(|_| *rng.pick(&own)).collect();
        }
    }
    (0..rng.index(9)).map(|_| *rng.pick(POOL)).collect()
}

/// Asserts that `p` matches exactly as the engine does on `texts` random
/// texts (and a few fixed ones), and returns whether it has a fast path.
fn same_as_engine(p: &str, rng: &mut crate::test_rng::Rng, texts: usize) -> bool {
    let Ok((engine, fast)) = Pattern::on_engine(p) else {
        assert!(Pattern::new(p).is_err(), "{p}: refused by one path only");
        return false;
    };
    let ours = Pattern::new(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    let fixed = [
        "",
        "a",
        "aa",
        "ab",
        "abc",
        "aaaaaaaaaa",
        "s3",
        "HTTPS",
        "-a-",
        "a\n",
    ];
    for t in fixed
        .iter()
        .map(|t| t.to_string())
        .chain((0..texts).map(|_| random_text(p, rng)))
    {
        assert_eq!(
            ours.is_match(&t),
            engine.is_match(&t),
            "{p} on {t:?} (fast path: {fast})"
        );
    }
    fast
}

#[test]
fn common_shapes_take_the_fast_path_and_match_as_the_engine_does() {
    let mut rng = crate::test_rng::Rng(0xFA57_0000_0000_0001);
    for p in [
        "^[a-zA-Z0-9-_]{1,64}$",
        r"^[\p{L}\p{N}_.:/=+\-@]*$",
        r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$",
        r"^[^\p{C}]+$",
        r"^[.\-_/#A-Za-z0-9]{1,512}\z",
        r"^[^\s]+$",
        "^.*$",
        "(?s).*",
        "^#[A-F0-9]{6}$",
        "^a{2}b{0,3}c$",
        "^a*a$",
        "^a{2}b{3}c*$",
        r"^([a-z])([A-Za-z0-9\_]*)$",
        "^[^:]",
        "^ab*",
        "^a{2,5}",
        "b*a$",
        "a{2,}b$",
        r"\S+",
        ".+",
        r".*\S.*",
        "ab",
        "a*b",
        "a{2,3}",
        "^$",
        "^",
        "$",
        "^(?i)ab$",
        "^(?i:s)+$",
        "^(s3|mediastore|lambda|mediapackagev2)$",
        "^(never|no-override|always)$",
        "^(sigv4)$",
        r"^(HTTPS?|#\{protocol\})$",
        "^(a|b)(c|)$",
        "^[*]x{0,2}$",
    ] {
        assert!(same_as_engine(p, &mut rng, 300), "{p} has no fast path");
    }
    // Shapes the fast paths leave to the engine.
    for p in [
        "^a+b?$",
        "ab*c",
        "^a*b",
        "^(ab)+$",
        "^(a|b*)$",
        "(a|b)",
        "^(?!x)a$",
        r"^(a)\1$",
        r"\ba",
        "^(?i:ab|cd)$",
        "^((?i:[s])|b)$",
        "^a*b*$",
    ] {
        assert!(!same_as_engine(p, &mut rng, 300), "{p} has a fast path");
    }
}

/// Property: random patterns built from the pieces the fast paths read
/// (anchors or not, positions with every kind of count, groups, literal
/// choices) match as the engine does on random texts.
#[test]
fn random_fast_shapes_match_as_the_engine_does() {
    const ATOMS: &[&str] = &[
        "a",
        "b",
        "x",
        "-",
        "é",
        "[a-c]",
        "[^a]",
        r"\d",
        r"\w",
        r"\s",
        r"\S",
        r"\p{L}",
        r"\P{C}",
        ".",
        "(?s:.)",
        "(?i:s)",
        "(?i:a)",
        "[a-z0-9-]",
        "[*]",
        "(x)",
        "(?:b)",
        "(a|b)",
        "(a|bc|)",
        "(xa?)",
        "[k]",
        "(?i:[s])",
        "(?i:[a-c])",
    ];
    const COUNTS: &[&str] = &[
        "", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}", "{0}",
    ];
    let mut rng = crate::test_rng::Rng(0xFA57_0000_0000_0002);
    let (mut fast, mut total) = (0, 0);
    for _ in 0..3_000 {
        let mut p = String::new();
        if rng.chance(60) {
            p.push('^');
        }
        for _ in 0..1 + rng.index(4) {
            let (atom, count) = (rng.pick(ATOMS), rng.pick(COUNTS));
            p.push_str(atom);
            p.push_str(count);
        }
        if rng.chance(60) {
            p.push_str(if rng.chance(50) { "$" } else { r"\z" });
        }
        total += 1;
        if same_as_engine(&p, &mut rng, 40) {
            fast += 1;
        }
    }
    // Most of them take a fast path, and some do not: both are compared.
    assert!(fast > total / 3 && fast < total, "{fast} of {total}");
}
