//! Section headings in the body: `BACKGROUND` standing alone, or a title
//! over (or between) dashed rules, printed between paragraphs:
//!
//! ```text
//! Financial Reforms, Debt, and Social Measures
//! -------------------- -----------------------
//! ```
//!
//! They are headings of the paragraph that follows, not text of the one
//! before.

use super::{is_page_break, paragraph_start, Line};

/// A dashed (or `=`) rule: `-----`, `-------- ---------`.
fn is_rule(t: &str) -> bool {
    t.bytes().filter(|b| *b == b'-' || *b == b'=').count() >= 3
        && t.bytes().all(|b| matches!(b, b'-' | b'=' | b' ' | b'\t'))
}

/// `---- Heading ----` on one line: the heading.
fn ruled_line(t: &str) -> Option<&str> {
    let inner = t.strip_prefix("--")?.strip_suffix("--")?.trim_matches(['-', ' ']);
    (!inner.is_empty() && !inner.contains("--") && inner.len() <= 100).then_some(inner)
}

/// Text that can be a heading over a rule.
fn is_heading_text(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 100
        && !is_rule(t)
        && paragraph_start(t).is_none()
        && !is_page_break(t)
        && t.chars().any(char::is_alphabetic)
}

/// A heading standing alone without a rule: short, upper case, not a
/// marking, a caveat, an `END ...` line or a redaction.
fn is_caps_heading(t: &str) -> bool {
    let t = t.trim_end_matches(':');
    let words = t.split_whitespace().count();
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    (1..=8).contains(&words)
        && t.len() <= 60
        && letters >= 4
        && !t.chars().any(char::is_lowercase)
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '&' | '-' | '/' | ',' | '\'' | '(' | ')'))
        && !t.starts_with("END")
        && !t.starts_with('(')
        && !t.chars().filter(|c| c.is_alphabetic()).all(|c| c == 'X')
        && paragraph_start(t).is_none()
        && !is_page_break(t)
        && !super::signer::is_marking_line(t)
}

fn clean(t: &str) -> String {
    t.trim().trim_matches(['-', '=', ' ']).trim_end_matches(':').trim().to_owned()
}

/// If the lines of a paragraph end with the heading of the next one: the
/// number of lines that are the paragraph's own, and the heading.
/// `may_start` says whether the heading may be the first line (not for a
/// numbered paragraph, whose first line is its text).
pub(super) fn tail_heading(lines: &[Line<'_>], may_start: bool) -> Option<(usize, String)> {
    let mut j = lines.len();
    while j > 0 && lines[j - 1].text.trim().is_empty() {
        j -= 1;
    }
    let min_start = usize::from(!may_start);
    if j <= min_start {
        return None;
    }
    let blank_before =
        |i: usize| i == 0 || lines[i - 1].text.trim().is_empty() || is_rule(lines[i - 1].text.trim());
    let last = lines[j - 1].text.trim();
    if is_rule(last) {
        // TEXT over a rule, perhaps between two rules.
        if j >= 2 + min_start {
            let t = lines[j - 2].text.trim();
            // Over a rule a heading needs no blank line above it, unless it
            // reads like the end of a sentence.
            if is_heading_text(t) && (blank_before(j - 2) || !t.ends_with(['.', ',', ';', ':'])) {
                let mut start = j - 2;
                if start > min_start && is_rule(lines[start - 1].text.trim()) {
                    start -= 1;
                }
                return Some((start, clean(t)));
            }
        }
        return None;
    }
    if let Some(inner) = ruled_line(last) {
        return blank_before(j - 1).then(|| (j - 1, clean(inner)));
    }
    (is_caps_heading(last) && blank_before(j - 1)).then(|| (j - 1, clean(last)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tail(text: &str, may_start: bool) -> Option<(usize, String)> {
        tail_heading(&super::super::lines(text), may_start)
    }

    #[test]
    fn headings_at_the_end_of_a_paragraph() {
        let p = "1. (U) Text. End Summary.\n\nFinancial Reforms, Debt, and Social Measures\n-------------------- ----------------------- \n\n";
        assert_eq!(tail(p, false), Some((2, "Financial Reforms, Debt, and Social Measures".into())));
        assert_eq!(tail("2. Text.\n\nBACKGROUND\n", false), Some((2, "BACKGROUND".into())));
        assert_eq!(
            tail("2. Text.\n\nREPORTING DEADLINE:\n\n", false),
            Some((2, "REPORTING DEADLINE".into()))
        );
        assert_eq!(tail("2. Text.\n\n-------\nOBJECTIVES\n-------\n", false), Some((2, "OBJECTIVES".into())));
        assert_eq!(tail("2. Text.\n\n---- Comment ----\n", false), Some((2, "Comment".into())));
        assert_eq!(tail("Summary\n-------\n", true), Some((0, "Summary".into())));
        assert_eq!(tail("1. Text.\nSummary\n------- \n", false), Some((1, "Summary".into())));
        assert_eq!(tail("1. Text ends here.\n-------\n", false), None);
    }

    #[test]
    fn text_is_not_a_heading() {
        assert_eq!(tail("2. Text.\n\nEND SUMMARY\n", false), None);
        assert_eq!(tail("2. Text.\n\nCONFIDENTIAL\n", false), None);
        assert_eq!(tail("2. Text.\n\nXXXXXXXXXXXX\n", false), None);
        assert_eq!(tail("2. TEXT OF THE CABLE\nGOES ON HERE\n", false), None);
        assert_eq!(tail("2. Text.\n\nthe rest of it\n", false), None);
        assert_eq!(tail("2. BACKGROUND\n", false), None);
        assert_eq!(tail("2. Text.\nKABUL 00000346  002 OF 003\n", false), None);
    }
}
