//! Cleaning a cable body for indexing and text analysis.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::subject::is_classification_marking;

/// A page-break line: `KABUL 00000346  002 OF 003`, `BLA 0000001 003.2 OF 39`,
/// `PAGE 02 ROME 01196 01 OF 02 082030Z`.
static PAGE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^[ \t]*[A-Z][A-Z .'-]*[ \t]+[0-9]+[ \t]+[0-9]+(?:\.[0-9]+)?[ \t]+OF[ \t]+[0-9]+[ \t\r]*$",
        r"|^[ \t]*(?:(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|UNCLAS|LIMITED OFFICIAL USE)[ \t]+)?",
        r"PAGE[ \t]+[0-9]+[ \t]+[A-Z].*[0-9]{6}Z[ \t\r]*$",
    ))
    .expect("valid regex")
});

/// A `Summary:`-style lead at the start of a paragraph.
static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:BEGIN[ \t]+)?(?:SUMMARY|COMMENT)",
        r"(?:[ \t]+AND[ \t]+(?:COMMENT|ACTION[ \t]+REQUEST(?:S|ED)?|INTRODUCTION|RECOMMENDATIONS?|BACKGROUND))?",
        r"[ \t]*(?:[:.]+|-+)[ \t]*",
    ))
    .expect("valid regex")
});

/// An `End Summary.` / `END COMMENT` / `(End Summary and Comment.)` trailer.
static TRAILER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?miR)\(?(?-u:\b)END[ \t]+(?:OF[ \t]+)?(?:SUMMARY|COMMENT)",
        r"(?:[ \t]+AND[ \t]+(?:COMMENT|ACTION[ \t]+REQUESTS?|INTRODUCTION|RECOMMENDATIONS?))?",
        r"[ \t]*(?:[.\-]+|\)\.?|$)\)?[ \t]*",
    ))
    .expect("valid regex")
});

/// Runs of `x` that redact text: three or more anywhere, or a word `xx`.
static REDACTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[xX]{3,}|(?-u:\b)[xX]{2}(?-u:\b)").expect("valid regex"));

/// A cable body cleaned for indexing: paragraph numbers and markings at the
/// start of lines, dashed rules, page-break lines, SIPDIS lines,
/// `Summary:`/`Comment:` leads with their `End Summary.` trailers and runs of
/// `x` used to redact text are removed; everything else is kept as is.
///
/// A removed page-break or SIPDIS line takes a blank line before it along;
/// a dashed rule leaves an empty line; line breaks are otherwise kept.
pub fn clean_content(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < text.len() {
        let (body, end) = match memchr::memchr(b'\n', &text.as_bytes()[at..]) {
            Some(i) => {
                let line = &text[at..at + i];
                at += i + 1;
                (line, "\n")
            }
            None => {
                let line = &text[at..];
                at = text.len();
                (line, "")
            }
        };
        let first = body.bytes().find(|b| !b.is_ascii_whitespace());
        if (first == Some(b'S') && is_sipdis(body)) || is_page_break(body) {
            drop_last_blank_line(&mut out);
            continue;
        }
        if matches!(first, Some(b'-' | b'=')) {
            if let Some(heading) = dashed_rule(body) {
                out.push_str(heading);
                out.push_str(end);
                continue;
            }
        }
        let body = strip_paragraph_number(body);
        let lead_like = body.as_bytes().get(..3).is_some_and(|w| {
            w.eq_ignore_ascii_case(b"SUM") || w.eq_ignore_ascii_case(b"COM") || w.eq_ignore_ascii_case(b"BEG")
        });
        let body = if lead_like { LEAD.find(body).map_or(body, |m| &body[m.end()..]) } else { body };
        out.push_str(body);
        out.push_str(end);
    }
    // trailers and redactions never span lines: one pass each over the text
    let out = match TRAILER.replace_all(&out, "") {
        Cow::Borrowed(_) => out,
        Cow::Owned(o) => o,
    };
    match REDACTION.replace_all(&out, "") {
        Cow::Borrowed(_) => out,
        Cow::Owned(o) => o,
    }
}

/// Removes the last line of `out` when it is blank (only white space).
fn drop_last_blank_line(out: &mut String) {
    let Some(without) = out.strip_suffix('\n') else {
        return;
    };
    let start = without.rfind('\n').map_or(0, |i| i + 1);
    if without[start..].trim().is_empty() {
        out.truncate(start);
    }
}

fn is_sipdis(line: &str) -> bool {
    let mut words = line.split_whitespace().peekable();
    words.peek().is_some() && words.all(|w| w == "SIPDIS")
}

fn is_page_break(line: &str) -> bool {
    let ends_right = line.trim_end().bytes().last().is_some_and(|b| b.is_ascii_digit() || b == b'Z');
    ends_right && (line.contains("OF") || line.contains("PAGE")) && PAGE_BREAK.is_match(line)
}

/// For a dashed rule line, what is left of it: nothing, or the heading
/// between two rules (`----- Summary -----`).
fn dashed_rule(line: &str) -> Option<&str> {
    let t = line.trim();
    let rule = |c: char| t.len() >= 3 && t.chars().all(|x| x == c);
    if rule('-') || rule('=') {
        return Some("");
    }
    let inner = t.strip_prefix("---")?.strip_suffix("---")?;
    let inner = inner.trim_matches('-').trim();
    (!inner.is_empty() && !inner.contains("---")).then_some(inner)
}

/// Removes a paragraph number with its classification marking from the
/// start of a line: `1. (C) `, `2. (SBU) `, `3. (SBU/N) `, damaged
/// `1. C) `, plain `1. `, with an optional pilcrow.
fn strip_paragraph_number(line: &str) -> &str {
    let s = line.trim_start_matches([' ', '\t']);
    let s = s.strip_prefix('¶').unwrap_or(s);
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return line;
    }
    let Some(after_dot) = s[digits..].strip_prefix('.') else {
        return line;
    };
    let rest = after_dot.trim_start_matches([' ', '\t']);
    let spaced = rest.len() < after_dot.len();
    let marking = rest.strip_prefix('(').unwrap_or(rest);
    if let Some(close) = marking.bytes().take(26).position(|b| b == b')') {
        let inner = &marking[..close];
        if !inner.contains(' ') && is_classification_marking(inner) {
            return marking[close + 1..].trim_start_matches([' ', '\t']);
        }
    }
    if spaced {
        rest
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_numbers() {
        assert_eq!(clean_content("1. (C) A\n2. (SBU) B\n3. (SBU/N) C\n"), "A\nB\nC\n");
        assert_eq!(clean_content("1. C) A\n2. SBU) B\n"), "A\nB\n");
        assert_eq!(clean_content("1. A\n10. B\n"), "A\nB\n");
        assert_eq!(clean_content("1.5 million\n1.4 (b)\n"), "1.5 million\n1.4 (b)\n");
        assert_eq!(clean_content("¶1. (S//NF) A"), "A");
    }

    #[test]
    fn leads_and_trailers() {
        assert_eq!(clean_content("1. (C) Summary. P [.\n..]. End Summary.\n"), "P [.\n..]. \n");
        assert_eq!(clean_content("11. (C) Comment: P\nL 2.  End Comment. \nL 3\n"), "P\nL 2.  \nL 3\n");
        assert_eq!(clean_content("1. (C) Summary and action request. P. END SUMMARY AND COMMENT."), "P. ");
        assert_eq!(clean_content("-------\nSummary\n-------\n"), "\nSummary\n\n");
        assert_eq!(clean_content("---- Heading ----\n"), "Heading\n");
        assert_eq!(clean_content("A. End Summary\r\nB\r\n"), "A. \r\nB\r\n");
        assert_eq!(clean_content("(END SUMMARY) Text\nthe weekend summary\n"), "Text\nthe weekend summary\n");
    }

    #[test]
    fn page_breaks_and_sipdis() {
        assert_eq!(clean_content("A\n\nBLA 0000001 003.2 OF 39\n\nB\n"), "A\n\nB\n");
        assert_eq!(clean_content("A\n\nSIPDIS\nB"), "A\nB");
        assert_eq!(clean_content("A\nNot SIPDIS"), "A\nNot SIPDIS");
        assert_eq!(clean_content("A\nPAGE 02 ROME 01196 01 OF 02 082030Z\nB"), "A\nB");
        assert_eq!(clean_content("SIPDIS\n"), "");
    }

    #[test]
    fn redactions() {
        assert_eq!(clean_content("gentlexxx"), "gentle");
        assert_eq!(clean_content("xx"), "");
        assert_eq!(clean_content("met XXXXXXXXXXXX today; EXXON"), "met  today; EXXON");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in ["", "\n", "1.", "1. (", "1. (é", "¶", "¶1.é)", "é\n\n", "---", "\r\n\r\n"] {
            let _ = clean_content(s);
        }
    }
    use crate::test_fragments::FRAGMENTS;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn never_panics_on_fragments(parts in proptest::collection::vec(proptest::sample::select(FRAGMENTS.to_vec()), 0..60)) {
            let s: String = parts.concat();
            let _ = super::clean_content(&s);
        }
    }
}
