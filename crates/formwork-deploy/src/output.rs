//! Terminal or pipe: colour and live lines on a terminal, plain text
//! otherwise.

use std::io::IsTerminal;

use crate::args::ColorChoice;

/// A colour of the few the command line uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    /// Additions, success.
    Green,
    /// Removals, failures, destroyed data.
    Red,
    /// Changes, warnings.
    Yellow,
    /// Names and headings.
    Bold,
    /// Less important text.
    Dim,
}

/// How to write to the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// Colour escapes are written.
    pub color: bool,
    /// Standard output is a terminal (live counts, questions).
    pub terminal: bool,
}

impl Style {
    /// Plain text, not a terminal (tests, pipes).
    pub const PLAIN: Style = Style {
        color: false,
        terminal: false,
    };

    /// The style of this process: a terminal when stdout and stdin are one;
    /// colour per `--color`, `NO_COLOR` and the terminal.
    pub fn detect(choice: ColorChoice) -> Style {
        let terminal = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::io::stdout().is_terminal() && !no_color,
        };
        Style { color, terminal }
    }

    /// `text` in colour `c`, or as it is without colour.
    pub fn paint(&self, c: Color, text: &str) -> String {
        if !self.color {
            return text.to_owned();
        }
        let code = match c {
            Color::Green => "32",
            Color::Red => "31",
            Color::Yellow => "33",
            Color::Bold => "1",
            Color::Dim => "2",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paints_only_with_colour() {
        assert_eq!(Style::PLAIN.paint(Color::Red, "x"), "x");
        let c = Style {
            color: true,
            terminal: true,
        };
        assert_eq!(c.paint(Color::Red, "x"), "\x1b[31mx\x1b[0m");
    }
}
