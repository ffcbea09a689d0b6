//! Small helpers for readable terminal output.

use std::io::IsTerminal;

/// Marks highlighted byte ranges of a text: bold on a terminal, `«...»` otherwise.
pub fn highlight(text: &str, ranges: &[(usize, usize)], terminal: bool) -> String {
    let (open, close) = if terminal { ("\x1b[1m", "\x1b[0m") } else { ("«", "»") };
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut at = 0;
    for &(s, e) in ranges {
        if s < at || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        out.push_str(&text[at..s]);
        out.push_str(open);
        out.push_str(&text[s..e]);
        out.push_str(close);
        at = e;
    }
    out.push_str(&text[at..]);
    out.replace('\n', " ")
}

/// Whether stdout is a terminal.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Cuts a string to at most `n` characters, marking the cut with `…`.
pub fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The date part of an ISO date-time.
pub fn date_of(iso: Option<&str>) -> &str {
    iso.map_or("-", |s| s.get(..10).unwrap_or(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_ranges() {
        assert_eq!(
            highlight("cluster munitions here", &[(0, 7), (8, 17)], false),
            "«cluster» «munitions» here"
        );
        assert_eq!(highlight("abc", &[(1, 9)], false), "abc", "bad ranges are skipped");
        assert_eq!(cut("abcdef", 4), "abc…");
    }
}
