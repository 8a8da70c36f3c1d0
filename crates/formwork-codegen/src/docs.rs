//! Doc comments from schema text, made safe for rustdoc.

/// Turns schema prose into `///` lines: no HTML, no accidental code blocks
/// or links, URLs as autolinks.
pub fn doc_lines(text: &str, indent: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim();
        let mut s = String::with_capacity(line.len());
        for word in line.split(' ') {
            if !s.is_empty() {
                s.push(' ');
            }
            if word.starts_with("http://") || word.starts_with("https://") {
                let url = word.trim_end_matches(['.', ',', ')', ';']);
                let tail = &word[url.len()..];
                s.push('<');
                s.push_str(&url.replace(['<', '>'], ""));
                s.push('>');
                s.push_str(&escape(tail));
            } else {
                s.push_str(&escape(word));
            }
        }
        out.push_str(indent);
        out.push_str("///");
        if !s.is_empty() {
            out.push(' ');
            out.push_str(&s);
        }
        out.push('\n');
    }
    out
}

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '[' | ']' | '*' | '_' | '`' | '#' | '|' | '\\' => {
                o.push('\\');
                o.push(c);
            }
            '\t' | '\r' => o.push(' '),
            _ => o.push(c),
        }
    }
    o
}

/// A Rust string literal.
pub fn lit(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_links_urls() {
        let d = doc_lines("Use <b>x</b> [see](y) https://a.b/c.\n    indented", "");
        assert_eq!(
            d,
            "/// Use &lt;b&gt;x&lt;/b&gt; \\[see\\](y) <https://a.b/c>.\n/// indented\n"
        );
    }
}
