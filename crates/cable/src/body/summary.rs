//! The summary: the text after `SUMMARY:` (`Summary:`, `1. (C) Summary:`,
//! `Summary and Comment:`, a `Summary` heading) up to `End Summary` or the
//! next heading, without the lead word, its marking or a following
//! section's title.

use std::sync::LazyLock;

use regex::Regex;

use crate::Paragraph;

static LEAD_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:begin\s+|executive\s+|introduction\s+and\s+)?summary(?:\s*(?:and|&|/)\s*(?:action\s+requests?|comments?|recommendations?|background|introduction|action|objectives?|overview|key\s+points))?\s*(?:[:.\-–—]+|\s*$)",
    )
    .expect("regex")
});
static END_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bend\s+(?:of\s+)?(?:comment\s+and\s+)?summary\b").expect("regex"));
static CONTINUED_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*summary,?\s*(?:cont'?d|continued|\(cont(?:'d|inued)?\))\.?\s*[:.\-]*\s*")
        .expect("regex")
});
/// `SUMMARY  During their trip...`: the word alone, then the text (taken
/// only when an `End Summary` follows).
static BARE_LEAD_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:SUMMARY|Summary)\s+").expect("regex"));
/// Where a summary without an end marker stops inside its paragraph: a
/// comment (`Comment:`), or a lettered or marked sub-paragraph after a blank line.
static INNER_STOP_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[.!?”\x22]\s+|\n\s*)(?:Comment|COMMENT)\s*[:.\-]|\n\s*\n\s*(?:[A-Z]\.\s*)?\((?:U|C|S|SBU|S/NF|C/NF|S//NF|C//NF|SBU/NF)\)").expect("regex")
});

static COMMENT_LEAD_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*comments?\s*[:.\-]").expect("regex"));

/// How many paragraphs a summary may run over.
const MAX_PARAGRAPHS: usize = 8;

fn strip_marking(t: &str) -> &str {
    super::after_marking(t).unwrap_or(t)
}

/// The text of a paragraph under a summary heading, without a marking and
/// a repeated lead (`Summary: During...`).
fn under_heading_text(t: &str) -> &str {
    let t = strip_marking(t);
    match LEAD_RE.find(t) {
        Some(m) if !t[m.end()..].trim().is_empty() => strip_marking(t[m.end()..].trim_start()),
        _ => t,
    }
}

fn is_summary_heading(h: &str) -> bool {
    LEAD_RE.find(h).is_some_and(|m| h[m.end()..].trim().is_empty())
}

pub(super) fn find_summary(paragraphs: &[Paragraph]) -> Option<String> {
    for (i, p) in paragraphs.iter().enumerate() {
        if p.heading.as_deref().is_some_and(is_summary_heading) {
            return Some(collect(paragraphs, i, under_heading_text(&p.text), true));
        }
        let text = strip_marking(&p.text);
        // Unnumbered text before the first paragraph may hold other lines first.
        let bare = || {
            let m = BARE_LEAD_RE.find(text)?;
            let later = paragraphs.iter().skip(i).take(MAX_PARAGRAPHS).any(|q| END_RE.is_match(&q.text));
            later.then_some(m.end())
        };
        let lead = LEAD_RE.find(text).map(|m| m.end()).or_else(bare).or_else(|| {
            (p.number == 0).then(|| {
                let mut at = 0;
                text.split_inclusive('\n').find_map(|line| {
                    let found = LEAD_RE.find(line).map(|m| at + m.end());
                    at += line.len();
                    found
                })
            })?
        });
        if let Some(end) = lead {
            let rest = strip_marking(text[end..].trim_start());
            if rest.trim().is_empty() {
                // "SUMMARY" alone: the summary is what follows.
                let next = paragraphs.get(i + 1)?;
                return Some(collect(paragraphs, i + 1, under_heading_text(&next.text), true));
            }
            return Some(collect(paragraphs, i, rest, false));
        }
        // A "-- SUMMARY --" line at the end of a paragraph.
        if let Some(last) = p.text.lines().rev().find(|l| !l.trim_matches(['-', ' ']).is_empty()) {
            if last.trim_matches(['-', ' ']).eq_ignore_ascii_case("summary") {
                let next = paragraphs.get(i + 1)?;
                return Some(collect(paragraphs, i + 1, under_heading_text(&next.text), true));
            }
        }
    }
    // No lead: an early paragraph that ends "End summary." is the summary.
    paragraphs.iter().filter(|p| p.number > 0).take(2).find_map(|p| {
        let e = END_RE.find(&p.text)?;
        let own = tidy(&p.text[..e.start()]);
        (!own.is_empty()).then_some(own)
    })
}

/// The summary starting with `first` (the text of paragraph `i`): up to
/// `End Summary`, over later paragraphs while no heading intervenes. Without
/// an end marker: the paragraphs up to the next heading when it started
/// under one, else the first paragraph alone.
fn collect(paragraphs: &[Paragraph], i: usize, first: &str, under_heading: bool) -> String {
    if let Some(e) = END_RE.find(first) {
        return tidy(&first[..e.start()]);
    }
    let mut text = first.to_owned();
    let mut reached_heading = false;
    for q in paragraphs.iter().skip(i + 1).take(MAX_PARAGRAPHS) {
        if q.heading.is_some() {
            reached_heading = true;
            break;
        }
        if COMMENT_LEAD_RE.is_match(&q.text) {
            // The comment that follows is not the summary.
            return tidy(&text);
        }
        let body = CONTINUED_RE.find(&q.text).map_or(q.text.as_str(), |m| &q.text[m.end()..]);
        if let Some(e) = END_RE.find(body) {
            let part = tidy(&body[..e.start()]);
            if !part.is_empty() {
                text.push_str("\n\n");
                text.push_str(&part);
            }
            return tidy(&text);
        }
        text.push_str("\n\n");
        text.push_str(body);
    }
    let ends_at_section = reached_heading || paragraphs.len() <= i + 1 + MAX_PARAGRAPHS && under_heading;
    if under_heading && ends_at_section {
        tidy(&text)
    } else {
        let own = INNER_STOP_RE.find(first).map_or(first, |m| &first[..m.start() + 1]);
        tidy(own)
    }
}

fn tidy(text: &str) -> String {
    let t = text.trim().trim_start_matches([':', '-', '.', ' ']).trim();
    let t = t.trim_end_matches(['-', ' ', '(', '[', '\n']).trim();
    t.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(number: u32, text: &str, heading: Option<&str>) -> Paragraph {
        Paragraph { number, marking: None, text: text.into(), offset: 0, heading: heading.map(Into::into) }
    }

    #[test]
    fn leads_and_ends() {
        let s = |ps: &[Paragraph]| find_summary(ps);
        assert_eq!(
            s(&[para(1, "Summary: The demarche was made. End Summary.", None)]).as_deref(),
            Some("The demarche was made.")
        );
        assert_eq!(
            s(&[para(1, "SUMMARY AND COMMENT: (C) Text here. END SUMMARY AND COMMENT.", None)]).as_deref(),
            Some("Text here.")
        );
        assert_eq!(
            s(&[
                para(1, "Summary. First part.", None),
                para(2, "Second part. (End Summary)", None),
                para(3, "Rest.", None)
            ])
            .as_deref(),
            Some("First part.\n\nSecond part.")
        );
        // No end marker: the first paragraph only.
        assert_eq!(
            s(&[para(1, "Summary: Only this.", None), para(2, "Not this.", None)]).as_deref(),
            Some("Only this.")
        );
        // A heading ends it, and is never part of it.
        assert_eq!(
            s(&[
                para(1, "Summary: One.", None),
                para(2, "Two.", None),
                para(3, "Three.", Some("Background")),
                para(4, "x. End Summary", None)
            ])
            .as_deref(),
            Some("One.")
        );
        // A Summary heading: the paragraphs under it.
        assert_eq!(
            s(&[
                para(0, "Intro.", None),
                para(1, "One.", Some("Summary")),
                para(2, "Two.", None),
                para(3, "Three.", Some("Comment"))
            ])
            .as_deref(),
            Some("One.\n\nTwo.")
        );
        // Older cables: the summary before paragraph 1, after other lines.
        assert_eq!(
            s(&[para(0, "COUNTRY TEAM MESSAGE\n\nSUMMARY: SHAH ACTS.\nEND SUMMARY.", None)]).as_deref(),
            Some("SHAH ACTS.")
        );
        assert_eq!(
            s(&[para(1, "Summary: A.", None), para(2, "Summary cont'd: B. End Summary.", None)]).as_deref(),
            Some("A.\n\nB.")
        );
        assert_eq!(s(&[para(1, "A summary of the meeting follows.", None)]), None);
        assert_eq!(
            s(&[para(1, "SUMMARY  During the trip. END SUMMARY", None)]).as_deref(),
            Some("During the trip.")
        );
        assert_eq!(s(&[para(1, "SUMMARY  During the trip.", None)]), None);
        assert_eq!(
            s(&[
                para(1, "Summary. A.", None),
                para(2, "Comment. B.", None),
                para(3, "C. End Summary and Comment.", None)
            ])
            .as_deref(),
            Some("A.")
        );
        assert_eq!(
            s(&[para(1, "Staffdel Kessler visited. End summary.", None), para(2, "More.", None)]).as_deref(),
            Some("Staffdel Kessler visited.")
        );
        assert_eq!(
            s(&[para(1, "Summary: A. COMMENT: B. END COMMENT AND SUMMARY.", None)]).as_deref(),
            Some("A. COMMENT: B.")
        );
        assert_eq!(
            s(&[para(1, "Summary. Prawit agreed. Comment. Since then.", None)]).as_deref(),
            Some("Prawit agreed.")
        );
        assert_eq!(
            s(&[para(1, "Summary: (paragraph 2).\n\nA. (S/NF) The NHCD.", None)]).as_deref(),
            Some("(paragraph 2).")
        );
        assert_eq!(
            s(&[
                para(1, "Action request.", None),
                para(2, "One.\n-- two", Some("SUMMARY AND OBJECTIVES")),
                para(3, "x", Some("Background"))
            ])
            .as_deref(),
            Some("One.\n-- two")
        );
    }
}
