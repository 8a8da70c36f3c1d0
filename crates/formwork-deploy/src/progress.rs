//! Deploy output shared by parallel steps: whole lines, and on a terminal
//! one status line redrawn in place (carriage return, erase line) for the
//! stack events as they arrive. When piped, a status is a plain line, so
//! logs keep every event.

use std::io::Write;
use std::sync::Mutex;

/// Erases the current terminal line and returns to its start.
const ERASE: &str = "\r\x1b[2K";

/// Lines and a live status line on one output.
pub(crate) struct Lines<'a> {
    state: Mutex<State<'a>>,
    live: bool,
    width: usize,
}

struct State<'a> {
    out: &'a mut (dyn Write + Send),
    /// A status line is on screen (to erase before the next line).
    shown: bool,
}

impl<'a> Lines<'a> {
    /// `live`: redraw the status line in place (a terminal); `width`: the
    /// terminal's columns (a status is cut to fit, or `\r` would not get
    /// back to its start).
    pub(crate) fn new(out: &'a mut (dyn Write + Send), live: bool, width: usize) -> Lines<'a> {
        Lines {
            state: Mutex::new(State { out, shown: false }),
            live,
            width: width.max(20),
        }
    }

    /// The terminal's width from `COLUMNS`, else 80.
    pub(crate) fn width_from(columns: Option<String>) -> usize {
        columns.and_then(|c| c.trim().parse().ok()).unwrap_or(80)
    }

    /// A line that stays.
    pub(crate) fn line(&self, text: &str) {
        if let Ok(mut s) = self.state.lock() {
            if s.shown {
                let _ = write!(s.out, "{ERASE}");
                s.shown = false;
            }
            let _ = writeln!(s.out, "{text}");
        }
    }

    /// The status: redrawn in place on a terminal, a line otherwise.
    /// `paint` colours the (cut) text.
    pub(crate) fn status(&self, text: &str, paint: &dyn Fn(&str) -> String) {
        if !self.live {
            self.line(&paint(text));
            return;
        }
        let cut: String = text.chars().take(self.width - 1).collect();
        if let Ok(mut s) = self.state.lock() {
            let _ = write!(s.out, "{ERASE}{}", paint(&cut));
            let _ = s.out.flush();
            s.shown = true;
        }
    }

    /// Erases the status line, if one is shown.
    pub(crate) fn finish(&self) {
        if let Ok(mut s) = self.state.lock()
            && s.shown
        {
            let _ = write!(s.out, "{ERASE}");
            let _ = s.out.flush();
            s.shown = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(t: &str) -> String {
        t.to_owned()
    }

    #[test]
    fn piped_output_is_one_line_per_status() {
        let mut buf: Vec<u8> = Vec::new();
        {
            let l = Lines::new(&mut buf, false, 80);
            l.status("S  Bucket  CREATE_IN_PROGRESS", &plain);
            l.status("S  Bucket  CREATE_COMPLETE", &plain);
            l.line("S: CREATE_COMPLETE");
            l.finish();
        }
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "S  Bucket  CREATE_IN_PROGRESS\nS  Bucket  CREATE_COMPLETE\nS: CREATE_COMPLETE\n"
        );
    }

    #[test]
    fn a_terminal_redraws_one_status_line_cut_to_its_width() {
        let mut buf: Vec<u8> = Vec::new();
        {
            let l = Lines::new(&mut buf, true, 20);
            l.status("[ 1/2] S  Bucket  CREATE_IN_PROGRESS", &plain);
            l.status("[ 2/2] S  Bucket  CREATE_COMPLETE", &plain);
            l.line("S: CREATE_COMPLETE");
            l.status("[ 0/1] T", &plain);
            l.finish();
        }
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "\r\x1b[2K[ 1/2] S  Bucket  C\r\x1b[2K[ 2/2] S  Bucket  C\r\x1b[2KS: CREATE_COMPLETE\n\
             \r\x1b[2K[ 0/1] T\r\x1b[2K"
        );
    }

    #[test]
    fn width_comes_from_columns() {
        assert_eq!(Lines::width_from(Some("120".into())), 120);
        assert_eq!(Lines::width_from(Some("x".into())), 80);
        assert_eq!(Lines::width_from(None), 80);
    }
}
