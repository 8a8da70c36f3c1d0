//! Diagnostics as people read them: rustc's layout, coloured on a terminal.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::{Diagnostic, Severity};
use crate::env::Context;

const ERROR: Style = AnsiColor::BrightRed.on_default().bold();
const WARNING: Style = AnsiColor::BrightYellow.on_default().bold();
const ACCENT: Style = AnsiColor::BrightBlue.on_default().bold();
const BOLD: Style = Style::new().bold();
const PLAIN: Style = Style::new();

struct Paint(bool);

impl Paint {
    fn put(&self, out: &mut String, style: Style, text: &str) {
        if self.0 && style != PLAIN {
            let _ = write!(out, "{}{text}{}", style.render(), style.render_reset());
        } else {
            out.push_str(text);
        }
    }
}

/// Whether to colour what goes to a stream: never when `NO_COLOR` is set
/// (to anything but the empty string), always when `CLICOLOR_FORCE` is,
/// else only when the stream is a terminal.
///
/// ```
/// use formwork::{Context, diag::color_wanted};
/// assert!(!color_wanted(&Context::new().with_env("NO_COLOR", "1"), true));
/// assert!(color_wanted(&Context::new(), true));
/// assert!(!color_wanted(&Context::new(), false));
/// ```
pub fn color_wanted(ctx: &Context, is_terminal: bool) -> bool {
    if ctx.env("NO_COLOR").is_some() {
        return false;
    }
    if ctx.env("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    is_terminal
}

/// Renders diagnostics the way rustc does, followed by a summary line:
///
/// ```text
/// error[FW0106]: 1 is below the minimum 128
///   --> src/main.rs:12:5
///    = construct: Demo/Handler
///    = property: MemorySize
///    = help: use 128 to 10240
///
/// error: 1 error
/// ```
///
/// With `color` the severity, code and arrows are coloured with ANSI
/// escapes (see [`color_wanted`]); without, the text is plain.
///
/// ```
/// use formwork::{Diagnostic, diag::render};
/// let d = Diagnostic::error("FW0106", "Demo/Handler", "1 is below the minimum 128")
///     .property("MemorySize")
///     .fix("use 128 to 10240");
/// let text = render(&[d], false);
/// assert!(text.starts_with("error[FW0106]: 1 is below the minimum 128\n"));
/// assert!(text.ends_with("error: 1 error\n"));
/// ```
pub fn render(diagnostics: &[Diagnostic], color: bool) -> String {
    let p = Paint(color);
    let mut out = String::new();
    for d in diagnostics {
        let (word, style) = match d.severity {
            Severity::Error => ("error", ERROR),
            Severity::Warning => ("warning", WARNING),
        };
        p.put(&mut out, style, &format!("{word}[{}]", d.code));
        p.put(&mut out, BOLD, &format!(": {}", d.message));
        out.push('\n');
        if let Some(loc) = &d.location {
            p.put(&mut out, ACCENT, "  --> ");
            out.push_str(&loc.to_string());
            out.push('\n');
        }
        let mut note = |label: &str, text: &str| {
            p.put(&mut out, ACCENT, "   = ");
            p.put(&mut out, BOLD, label);
            out.push_str(": ");
            out.push_str(text);
            out.push('\n');
        };
        // Configuration problems are about a `-c` value or a file, not a construct.
        let source = d.path.starts_with("-c ")
            || [".toml", ".json"].iter().any(|e| d.path.ends_with(e))
            || d.path == "configuration";
        note(if source { "source" } else { "construct" }, &d.path);
        if let Some(prop) = &d.property {
            note("property", prop);
        }
        if let Some(fix) = &d.fix {
            note("help", fix);
        }
        out.push('\n');
    }
    if let Some(line) = summary(diagnostics) {
        let errors = diagnostics.iter().any(Diagnostic::is_error);
        let (word, style) = if errors {
            ("error", ERROR)
        } else {
            ("warning", WARNING)
        };
        p.put(&mut out, style, word);
        p.put(&mut out, BOLD, &format!(": {line}"));
        out.push('\n');
    }
    out
}

/// The counts of a list of diagnostics (`3 errors, 1 warning`), or `None`
/// when it is empty.
pub fn summary(diagnostics: &[Diagnostic]) -> Option<String> {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => None,
        (e, 0) => Some(count(e, "error")),
        (0, w) => Some(count(w, "warning")),
        (e, w) => Some(format!("{}, {}", count(e, "error"), count(w, "warning"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceLocation;

    fn sample() -> Vec<Diagnostic> {
        vec![
            Diagnostic::error("FW0106", "Demo/Handler", "1 is below the minimum 128")
                .property("MemorySize")
                .fix("use 128 to 10240")
                .at(SourceLocation::new("src/main.rs", 12, 5)),
            Diagnostic::warning("FW2001", "Demo/Table", "no role to grant to"),
        ]
    }

    #[test]
    fn plain_text_reads_like_rustc() {
        assert_eq!(
            render(&sample(), false),
            "error[FW0106]: 1 is below the minimum 128\n  --> src/main.rs:12:5\n   = construct: Demo/Handler\n   = property: MemorySize\n   = help: use 128 to 10240\n\nwarning[FW2001]: no role to grant to\n   = construct: Demo/Table\n\nerror: 1 error, 1 warning\n"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let coloured = render(&sample(), true);
        assert!(coloured.contains("\u{1b}["));
        assert!(!render(&sample(), false).contains('\u{1b}'));
        assert!(coloured.contains("src/main.rs:12:5"));
    }

    #[test]
    fn summary_counts_in_words() {
        assert_eq!(summary(&[]), None);
        let s = sample();
        assert_eq!(summary(&s[1..]).as_deref(), Some("1 warning"));
        let three: Vec<Diagnostic> = (0..3).map(|_| s[0].clone()).collect();
        assert_eq!(summary(&three).as_deref(), Some("3 errors"));
        assert!(render(&s[1..], false).ends_with("\nwarning: 1 warning\n"));
    }

    #[test]
    fn configuration_problems_name_their_source() {
        let d = Diagnostic::error("FW0601", "-c evn", "unknown context key `evn`");
        assert!(render(&[d], false).contains("   = source: -c evn\n"));
    }

    #[test]
    fn no_color_wins_over_a_terminal() {
        let ctx = Context::new().with_env("NO_COLOR", "1");
        assert!(!color_wanted(&ctx, true));
        let forced = Context::new().with_env("CLICOLOR_FORCE", "1");
        assert!(color_wanted(&forced, false));
    }
}
