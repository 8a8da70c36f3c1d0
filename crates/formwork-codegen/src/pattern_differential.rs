//! formwork's pattern matcher (`formwork_core::pattern`) against the engines
//! it replaced in synth, the regex crate and fancy-regex (for lookaround and
//! backreferences), used here as references only.
//!
//! Every distinct pattern of the vendored schemas, as the generator
//! translates it, must compile in the matcher exactly when a reference
//! engine compiles it, and match exactly the texts the reference matches:
//! texts made by random walks over the pattern's structure (lookarounds and
//! backreferences set aside, then spliced back in), mutations of those, and
//! edge cases. Random patterns from a small grammar (property tests), the
//! named Unicode classes over sampled code points, and case folding are
//! compared the same way. The random source is seeded: every run tests the
//! same texts.

use std::collections::BTreeSet;

use formwork_core::pattern::{ErrorKind, Pattern};
use regex_syntax::hir::{Class, Hir, HirKind};

/// A reference engine, as formwork-core used them: the regex crate where it
/// compiles the pattern, fancy-regex otherwise. Their default size limit
/// refused a few large patterns (`^[\w]{1,2048}$`: 2,048 copies of the
/// Unicode class), which were left unchecked then; the matcher checks them,
/// so the references here have room enough to compile them.
enum Reference {
    Plain(regex::Regex),
    Fancy(Box<fancy_regex::Regex>),
}

/// Room for the references' compiled programs.
const ROOM: usize = 1 << 30;

impl Reference {
    fn new(p: &str) -> Option<Reference> {
        match regex::RegexBuilder::new(p).size_limit(ROOM).build() {
            Ok(r) => Some(Reference::Plain(r)),
            Err(_) => fancy_regex::RegexBuilder::new(p)
                .delegate_size_limit(ROOM)
                .build()
                .ok()
                .map(|r| Reference::Fancy(Box::new(r))),
        }
    }

    /// Whether the engines compiled the pattern with their default limits.
    fn compiled_before(p: &str) -> bool {
        regex::Regex::new(p).is_ok() || fancy_regex::Regex::new(p).is_ok()
    }

    fn is_match(&self, s: &str) -> bool {
        match self {
            Reference::Plain(r) => r.is_match(s),
            // Out of backtracking budget counted as a match.
            Reference::Fancy(r) => r.is_match(s).unwrap_or(true),
        }
    }
}

/// xorshift64*: a small seeded generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

/// Characters that tell classes apart: ASCII edges, letters and digits of
/// other scripts, marks, separators, controls, unassigned and private-use
/// code points, astral characters, case-folding oddities.
const POOL: &[char] = &[
    'a',
    'z',
    'A',
    'Z',
    '0',
    '9',
    '_',
    '-',
    '.',
    ':',
    '/',
    '@',
    '=',
    '+',
    ',',
    ' ',
    '\t',
    '\n',
    '\r',
    '\x0B',
    '\x0C',
    '\0',
    '\x7F',
    '\\',
    '[',
    ']',
    '(',
    ')',
    '{',
    '}',
    '*',
    '$',
    '^',
    '|',
    '?',
    '!',
    '#',
    '%',
    '&',
    '\'',
    '"',
    '<',
    '>',
    '~',
    '`',
    ';',
    'é',
    'ß',
    'ſ',
    'K',
    'Å',
    'İ',
    'ı',
    'ς',
    '漢',
    'ǅ',
    'ʰ',
    '٣',
    '४',
    '½',
    'Ⅳ',
    '\u{0301}',
    '\u{A0}',
    '\u{2028}',
    '\u{2029}',
    '\u{200B}',
    '\u{200D}',
    '\u{3000}',
    '\u{E000}',
    '\u{0378}',
    '😀',
    '«',
    '©',
    '€',
    '\u{85}',
    '\u{FEFF}',
    '\u{10FFFF}',
];

fn schema_patterns() -> BTreeSet<String> {
    fn collect(v: &serde_json::Value, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    if let ("pattern" | "key_pattern", Some(s)) = (k.as_str(), x.as_str()) {
                        out.insert(s.to_owned());
                    }
                    collect(x, out);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
            _ => {}
        }
    }
    let reg = formwork_spec::load(&formwork_spec::schemas_dir()).expect("schemas load");
    let v = serde_json::to_value(&reg.types).expect("the model serializes");
    let mut raw = BTreeSet::new();
    collect(&v, &mut raw);
    raw.iter().map(|p| crate::pattern::translate(p)).collect()
}

/// The pattern without its lookarounds and backreferences (which
/// regex-syntax cannot read), and the lookarounds' bodies.
fn skeleton(p: &str) -> (String, Vec<String>) {
    let c: Vec<char> = p.chars().collect();
    let mut out = String::new();
    let mut bodies = Vec::new();
    let mut i = 0;
    let mut in_class = false;
    while i < c.len() {
        match c[i] {
            '\\' if !in_class
                && c.get(i + 1)
                    .is_some_and(|d| d.is_ascii_digit() && *d != '0') =>
            {
                i += 1;
                while c.get(i).is_some_and(char::is_ascii_digit) {
                    i += 1;
                }
                continue;
            }
            '\\' => {
                out.push('\\');
                if let Some(n) = c.get(i + 1) {
                    out.push(*n);
                }
                i += 2;
                continue;
            }
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '(' if !in_class => {
                let head: String = c[i..c.len().min(i + 4)].iter().collect();
                let skip = ["(?<=", "(?<!", "(?=", "(?!"]
                    .iter()
                    .find(|h| head.starts_with(*h))
                    .map(|h| h.len());
                if let Some(skip) = skip {
                    let mut depth = 0;
                    let mut j = i;
                    let mut cls = false;
                    while j < c.len() {
                        match c[j] {
                            '\\' => j += 1,
                            '[' if !cls => cls = true,
                            ']' if cls => cls = false,
                            '(' if !cls => depth += 1,
                            ')' if !cls => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        j += 1;
                    }
                    bodies.push(c[(i + skip).min(j)..j.min(c.len())].iter().collect());
                    i = j + 1;
                    continue;
                }
            }
            _ => {}
        }
        out.push(c[i]);
        i += 1;
    }
    (out, bodies)
}

fn parse(p: &str) -> Option<Hir> {
    // fancy-regex's `\p{Graph}` is not a regex-syntax class: a stand-in
    // for walking.
    regex_syntax::parse(&p.replace(r"\p{Graph}", r"\p{L}")).ok()
}

/// A random text the pattern's structure produces.
fn walk(h: &Hir, rng: &mut Rng, out: &mut String) {
    if out.len() > 2_000 {
        return;
    }
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
        HirKind::Class(Class::Unicode(c)) => {
            let Some(r) = c.ranges().get(rng.below(c.ranges().len())) else {
                return;
            };
            let (a, b) = (r.start() as u32, r.end() as u32);
            let x = match rng.below(4) {
                0 => a,
                1 => b,
                2 => a + rng.below(((b - a) as usize).min(300) + 1) as u32,
                _ => a + rng.below((b - a) as usize + 1) as u32,
            };
            out.push(char::from_u32(x).unwrap_or(r.start()));
        }
        HirKind::Class(Class::Bytes(c)) => {
            if let Some(r) = c.ranges().get(rng.below(c.ranges().len())) {
                out.push(char::from(r.start()));
            }
        }
        HirKind::Repetition(r) => {
            let max = r.max.unwrap_or(r.min + 6);
            let n = if rng.below(8) == 0 {
                max.min(r.min + 80)
            } else {
                r.min + rng.below(((max - r.min) as usize).min(3) + 1) as u32
            };
            for _ in 0..n {
                walk(&r.sub, rng, out);
            }
        }
        HirKind::Capture(c) => walk(&c.sub, rng, out),
        HirKind::Concat(v) => v.iter().for_each(|h| walk(h, rng, out)),
        HirKind::Alternation(v) => walk(rng.pick(v), rng, out),
    }
}

fn mutate(s: &str, rng: &mut Rng) -> String {
    let mut c: Vec<char> = s.chars().collect();
    let at = rng.below(c.len() + 1);
    match rng.below(9) {
        0 if at < c.len() => {
            c.remove(at);
        }
        1 => c.insert(at, *rng.pick(POOL)),
        2 if at < c.len() => c[at] = *rng.pick(POOL),
        3 => {
            let tail: Vec<char> = c[at..].to_vec();
            c.extend(tail);
        }
        4 => c.truncate(at),
        5 => c.push('\n'),
        6 => c.splice(0..0, "aws:".chars()).for_each(drop),
        7 if at < c.len() => {
            let x = c[at];
            c[at] = if x.is_lowercase() {
                x.to_ascii_uppercase()
            } else {
                x.to_ascii_lowercase()
            };
        }
        _ => c.insert(at, '-'),
    }
    c.into_iter().collect()
}

/// Texts to try a pattern on.
fn texts(p: &str, rng: &mut Rng) -> Vec<String> {
    let mut out: Vec<String> = [
        "", " ", "\n", "a", "A", "0", "-", "aws:", "é", "😀", "a\n", "\0", "abc-123",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    out.push("x".repeat(300));
    out.push("a-".repeat(40));
    let (skel, bodies) = skeleton(p);
    let mut walks = Vec::new();
    if let Some(h) = parse(&skel) {
        let pieces: Vec<Hir> = bodies.iter().filter_map(|b| parse(b)).collect();
        for k in 0..40 {
            let mut s = String::new();
            walk(&h, rng, &mut s);
            if !pieces.is_empty() && k % 3 == 0 {
                let mut piece = String::new();
                walk(rng.pick(&pieces), rng, &mut piece);
                let cut = s
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(rng.below(s.chars().count() + 1))
                    .unwrap_or(s.len());
                s.insert_str(cut, &piece);
            }
            walks.push(s);
        }
    }
    for w in &walks {
        out.push(mutate(w, rng));
        out.push(mutate(&mutate(w, rng), rng));
    }
    out.extend(walks);
    out
}

struct Mismatches(Vec<String>);

/// The one known, deliberate difference: fancy-regex lets a flag group
/// inside a group (`(?!(?i)aws)`) run on to the end of the pattern, where
/// the regex crate (and Oniguruma, whose syntax fancy-regex follows) ends it
/// with the group. formwork's matcher ends it with the group. After such a
/// group in the schemas come only ASCII classes closed under case, so the
/// two differ only on the two non-ASCII characters that fold to ASCII
/// letters, `ſ` and the Kelvin sign, which the leaked flag lets into
/// `[A-Za-z0-9]`.
fn fancy_flag_leak(p: &str, reference: &Reference, text: &str) -> bool {
    matches!(reference, Reference::Fancy(_))
        && p.contains("(?i)")
        && text.contains(['\u{17F}', '\u{212A}'])
}

impl Mismatches {
    fn check(&mut self, p: &str, ours: &Pattern, reference: &Reference, text: &str) {
        let (a, b) = (ours.is_match(text), reference.is_match(text));
        if a != b && !fancy_flag_leak(p, reference, text) {
            self.0
                .push(format!("{p:?} on {text:?}: formwork {a}, reference {b}"));
        }
    }

    fn assert_none(&self, what: &str) {
        assert!(
            self.0.is_empty(),
            "{} {what} disagreements, first ones:\n{}",
            self.0.len(),
            self.0
                .iter()
                .take(30)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn every_schema_pattern_compiles_and_matches_as_the_reference_engines_do() {
    let patterns = schema_patterns();
    assert!(patterns.len() > 1_900, "{} patterns", patterns.len());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut compile_errors = Vec::new();
    let mut bad = Mismatches(Vec::new());
    let (mut compared, mut walked, mut compiled) = (0, 0, 0);
    let mut newly_checked = Vec::new();
    for p in &patterns {
        if Pattern::new(p).is_ok() && !Reference::compiled_before(p) {
            newly_checked.push(p.clone());
        }
        let ours = Pattern::new(p);
        let reference = Reference::new(p);
        let (ours, reference) = match (ours, reference) {
            (Ok(o), Some(r)) => (o, r),
            (Err(e), None) if e.kind == ErrorKind::Invalid => continue,
            (o, r) => {
                compile_errors.push(format!(
                    "{p:?}: formwork {:?}, reference compiles: {}",
                    o.err(),
                    r.is_some()
                ));
                continue;
            }
        };
        compiled += 1;
        if parse(&skeleton(p).0).is_some() {
            walked += 1;
        }
        for t in texts(p, &mut rng) {
            bad.check(p, &ours, &reference, &t);
            compared += 1;
        }
    }
    assert!(
        compile_errors.is_empty(),
        "compiles differently:\n{}",
        compile_errors.join("\n")
    );
    bad.assert_none("schema pattern");
    // The patterns too large for the engines' default limits, checked now.
    assert!(newly_checked.len() <= 20, "{newly_checked:#?}");
    // Nearly every pattern is walked (not only mutated edge cases).
    assert!(walked + 5 >= compiled, "{walked} of {compiled} walked");
    eprintln!(
        "{} schema patterns, {compiled} compiled, {walked} walked, {compared} texts compared, {} checked now that the engines' size limit refused",
        patterns.len(),
        newly_checked.len()
    );
    assert!(compared > 200_000, "{compared} comparisons");
}

/// A random pattern from a grammar of the supported syntax.
fn random_pattern(rng: &mut Rng, depth: usize) -> String {
    const ATOMS: &[&str] = &[
        "a",
        "b",
        "-",
        "1",
        ".",
        r"\d",
        r"\w",
        r"\s",
        r"\S",
        r"\W",
        "[ab]",
        "[^a]",
        "[a-c1]",
        r"[\p{L}\p{N}]",
        r"\p{L}",
        r"\P{N}",
        r"\p{Z}",
        r"[^\p{C}]",
        r"[\-.]",
        r"\.",
        "é",
        r"\x20",
        r"[\u00e0-\u00ff]",
    ];
    let mut s = String::new();
    for _ in 0..1 + rng.below(4) {
        let atom = match rng.below(if depth > 2 { 1 } else { 9 }) {
            0..=3 => rng.pick(ATOMS).to_string(),
            4 => format!("({})", random_pattern(rng, depth + 1)),
            5 => format!(
                "(?:{}|{})",
                random_pattern(rng, depth + 1),
                random_pattern(rng, depth + 1)
            ),
            6 => format!(
                "({}{})",
                rng.pick(&["?=", "?!", "?<=", "?<!"]),
                rng.pick(ATOMS)
            ),
            7 => format!("(?!{})", random_pattern(rng, depth + 1)),
            _ => rng.pick(&["^", "$", r"\b", r"\B"]).to_string(),
        };
        s.push_str(&atom);
        let quantified = !atom.starts_with("(?=")
            && !atom.starts_with("(?!")
            && !atom.starts_with("(?<")
            && !matches!(atom.as_str(), "^" | "$" | r"\b" | r"\B");
        if quantified {
            let q: &&str = rng.pick(&[
                "", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}?", "{2,}", "*?",
            ]);
            s.push_str(q);
        }
    }
    s
}

#[test]
fn random_patterns_match_as_the_reference_engines_do() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut bad = Mismatches(Vec::new());
    let mut compile_errors = Vec::new();
    let mut tried = 0;
    for _ in 0..600 {
        let p = random_pattern(&mut rng, 0);
        let (ours, reference) = match (Pattern::new(&p), Reference::new(&p)) {
            (Ok(o), Some(r)) => (o, r),
            (Err(_), None) => continue,
            (o, r) => {
                compile_errors.push(format!(
                    "{p:?}: formwork {:?}, reference {}",
                    o.err(),
                    r.is_some()
                ));
                continue;
            }
        };
        tried += 1;
        for _ in 0..40 {
            let n = rng.below(8);
            let t: String = (0..n)
                .map(|_| *rng.pick(&['a', 'b', '1', '-', ' ', '.', 'é', '\n', '٣', 'x']))
                .collect();
            bad.check(&p, &ours, &reference, &t);
        }
    }
    assert!(compile_errors.is_empty(), "{}", compile_errors.join("\n"));
    bad.assert_none("random pattern");
    assert!(tried > 500, "{tried} patterns compared");
}

#[test]
fn named_classes_match_the_reference_over_sampled_code_points() {
    let classes = [
        r"\d",
        r"\D",
        r"\w",
        r"\W",
        r"\s",
        r"\S",
        r"\p{L}",
        r"\P{L}",
        r"\p{M}",
        r"\p{N}",
        r"\p{P}",
        r"\p{S}",
        r"\p{Z}",
        r"\p{Zs}",
        r"\p{C}",
        r"\P{C}",
        r"\p{ASCII}",
        r"[\p{Graph}]",
        r"[^\p{C}]",
        ".",
    ];
    let mut bad = Mismatches(Vec::new());
    for class in classes {
        let p = format!("^{class}$");
        let ours = Pattern::new(&p).expect("supported");
        let reference = Reference::new(&p).expect("reference compiles");
        // Every boundary of the reference's ranges, and a sample between.
        let mut points: BTreeSet<u32> = (0..=0x10FFFF).step_by(37).collect();
        if let Some(Ok(h)) = Some(regex_syntax::parse(&p.replace(r"\p{Graph}", r"\p{L}"))) {
            fn bounds(h: &Hir, out: &mut BTreeSet<u32>) {
                match h.kind() {
                    HirKind::Class(Class::Unicode(c)) => {
                        for r in c.ranges() {
                            for x in [r.start() as u32, r.end() as u32] {
                                out.extend([x.saturating_sub(1), x, x + 1]);
                            }
                        }
                    }
                    HirKind::Concat(v) => v.iter().for_each(|h| bounds(h, out)),
                    _ => {}
                }
            }
            bounds(&h, &mut points);
        }
        for c in points.into_iter().filter_map(char::from_u32) {
            bad.check(&p, &ours, &reference, &c.to_string());
        }
    }
    bad.assert_none("class");
}

#[test]
fn case_folding_matches_the_reference() {
    let mut bad = Mismatches(Vec::new());
    let sample: Vec<char> = (0..=0x10FFFF)
        .step_by(97)
        .filter_map(char::from_u32)
        .chain(POOL.iter().copied())
        .chain('\u{80}'..='\u{24F}')
        .chain([
            '\u{212A}', '\u{212B}', '\u{1E9E}', '\u{3C2}', '\u{3A3}', '\u{3C3}',
        ])
        .collect();
    for lit in [
        "a", "k", "s", "z", "i", "K", "S", "1", "-", "[a-f]", "[k]", "[^s]", "[0-9a-f]", r"[\d]",
    ] {
        let p = format!("^(?i:{lit})$");
        let ours = Pattern::new(&p).expect("supported");
        let reference = Reference::new(&p).expect("reference compiles");
        for c in &sample {
            bad.check(&p, &ours, &reference, &c.to_string());
        }
    }
    bad.assert_none("case folding");
    // Beyond ASCII the matcher refuses the flag rather than guess.
    for p in ["(?i)å", "(?i)ß", "(?i)σ", "(?i)[å]", r"(?i)\p{L}"] {
        assert_eq!(
            Pattern::new(p).map_err(|e| e.kind).err(),
            Some(ErrorKind::Unsupported),
            "{p}"
        );
    }
}
