//! Decoding what a cable body says about itself: the classification banner,
//! caveats, the E.O. line, TAGS, SUBJECT, REF, `Classified By`, numbered
//! paragraphs with their markings, page breaks, redactions, summary, signer.

mod classified_by;
mod heading;
mod signer;
mod summary;

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{ClassifiedBy, Declassification, Paragraph, Redaction};
use crate::{Caveat, Classification, Date, Marking, RefId, Reference, ReferenceData, Tag};
use classified_by::find_classified_by;
use signer::find_signer;
use summary::find_summary;

/// Everything decoded from a body.
#[derive(Debug, Default)]
pub(crate) struct Body {
    /// Classification from the banner line, when there is one.
    pub banner_classification: Option<Classification>,
    /// Station and serial from the banner (`STATE 134777`), when there is one.
    pub banner_id: Option<(String, u64)>,
    pub caveats: Vec<Caveat>,
    pub declassification: Option<Declassification>,
    pub tags: Vec<Tag>,
    pub subject: String,
    pub references: Vec<Reference>,
    pub classified_by: Option<ClassifiedBy>,
    pub signer: Option<String>,
    pub summary: Option<String>,
    pub paragraphs: Vec<Paragraph>,
    pub redactions: Vec<Redaction>,
}

/// A line of the body with its byte offset.
#[derive(Clone, Copy)]
struct Line<'a> {
    start: usize,
    text: &'a str,
}

fn lines(body: &str) -> Vec<Line<'_>> {
    let mut out = Vec::with_capacity(body.len() / 48 + 1);
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', body.as_bytes()) {
        // `nl` is an ASCII newline, so both slices end on char boundaries.
        let text = &body[start..nl];
        out.push(Line { start, text: text.strip_suffix('\r').unwrap_or(text) });
        start = nl + 1;
    }
    if start < body.len() {
        out.push(Line { start, text: &body[start..] });
    }
    out
}

/// Decodes a body. `year` is the year the cable was written, when known
/// (for references without a year); `own_id` the cable's id when known.
pub(crate) fn parse_body(
    body: &str,
    year: Option<u16>,
    own_id: Option<&RefId>,
    refdata: &ReferenceData,
) -> Body {
    let all = lines(body);
    let mut b = Body::default();

    // The banner: one of the first non-blank lines, when it is a classification line
    // (some pages put a date line above it).
    if let Some((class, id)) =
        all.iter().filter(|l| !l.text.trim().is_empty()).take(3).find_map(|l| parse_banner(l.text))
    {
        b.banner_classification = Some(class);
        b.banner_id = id;
    }

    let first_para = all.iter().position(|l| paragraph_start(l.text).is_some()).unwrap_or(all.len());
    let head_end = all.get(first_para).map_or(body.len(), |l| l.start);
    let head = &body[..head_end];

    b.caveats = find_caveats(&all[..first_para], b.banner_classification);
    b.declassification = find_declassification(&all[..first_para]);
    b.subject = crate::subject::parse_subject(head, true);
    b.tags = crate::tags::parse_tags(head, true)
        .into_iter()
        .map(|code| Tag { kind: crate::tags::classify_tag(&code, refdata), code, reading: None })
        .collect();
    let year = year.or_else(|| b.declassification.as_ref().and_then(|d| d.date).map(|d| d.year() - 10));
    b.references = match year {
        Some(y) => crate::refs::parse_references(head, y, own_id),
        None => Vec::new(),
    };
    b.classified_by = find_classified_by(&all[..first_para], &all);

    // Paragraphs: unnumbered text after the header block as paragraph 0,
    // then every numbered paragraph.
    let preamble_from = header_block_end(&all[..first_para]);
    // Every paragraph as a range of lines, paragraph 0 (the unnumbered
    // text) first.
    let mut spans = vec![Span {
        number: 0,
        marking: None,
        start: preamble_from,
        text_at: None,
        end: first_para.min(all.len()).max(preamble_from),
    }];
    let mut expected_next = 1u32;
    for (i, l) in all.iter().enumerate().skip(first_para) {
        if let Some((n, marking, text_at)) = paragraph_start(l.text) {
            // Accept the next number, or a jump forward within reason; a
            // list item "1." inside paragraph 5 is not a new paragraph.
            let first = spans.len() == 1;
            let plausible = n == expected_next || (n > expected_next && n <= expected_next + 3) || first;
            if plausible {
                if let Some(last) = spans.last_mut().filter(|_| !first) {
                    last.end = i;
                }
                spans.push(Span { number: n, marking, start: i, text_at: Some(text_at), end: all.len() });
                expected_next = n + 1;
            }
        }
    }
    // A section heading at the end of a span belongs to the paragraph after it.
    let mut heading: Option<String> = None;
    let count = spans.len();
    for (k, span) in spans.into_iter().enumerate() {
        let own_heading = heading.take();
        let mut end = span.end;
        if k + 1 < count {
            if let Some((own, next_heading)) =
                heading::tail_heading(&all[span.start..end], span.text_at.is_none())
            {
                end = span.start + own;
                heading = Some(next_heading);
            }
        }
        let text = collect_text(&all[span.start..end], span.text_at);
        if span.number == 0 && text.trim().is_empty() {
            continue;
        }
        b.paragraphs.push(Paragraph {
            number: span.number,
            marking: span.marking,
            text: text.trim().to_owned(),
            offset: all.get(span.start).map_or(0, |l| l.start),
            heading: own_heading,
        });
    }

    b.signer = find_signer(&all);
    b.summary = find_summary(&b.paragraphs);
    b.redactions = find_redactions(body, &b.paragraphs);
    b
}

/// A paragraph as lines of the body: `start..end`, its text from byte
/// `text_at` of the first line (after number and marking; `None` for
/// paragraph 0, whose text is whole lines).
struct Span {
    number: u32,
    marking: Option<Marking>,
    start: usize,
    text_at: Option<usize>,
    end: usize,
}

/// Joins lines into paragraph text, skipping page-break and section lines.
/// `first_at` is where the text starts in the first line (after number and marking).
fn collect_text(lines: &[Line<'_>], first_at: Option<usize>) -> String {
    let mut out = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
    for (i, l) in lines.iter().enumerate() {
        let text = match (i, first_at) {
            (0, Some(at)) => l.text.get(at..).unwrap_or(""),
            _ => l.text,
        };
        let text = match strip_page_break(text) {
            Some(rest) if rest.trim().is_empty() => continue,
            Some(rest) => rest,
            None => text,
        };
        let t = text.trim_end();
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(t);
    }
    // Collapse the blank lines left at the end.
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

static PARAGRAPH_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[ \t]*¶?[ \t]*(\d{1,3})[ \t]*\.(?:[ \t]*\(([A-Za-z/ ]{1,12})\)|[ \t]*([A-Z]{1,3})\)|[ \t]+|$)",
    )
    .expect("regex")
});

/// A paragraph whose marking comes before its number: `(C) 1. The Embassy...`.
static MARKED_FIRST_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t]*\(([A-Za-z/ ]{1,12})\)[ \t]*(\d{1,3})[ \t]*\.[ \t]+").expect("regex")
});

/// If the line starts a numbered paragraph: its number, marking and the
/// byte offset where its text starts.
pub(crate) fn paragraph_start(line: &str) -> Option<(u32, Option<Marking>, usize)> {
    let b = line.as_bytes();
    // Fast reject: a paragraph line starts with optional blanks/pilcrow and a digit.
    let first = line.trim_start_matches([' ', '\t', '¶']).as_bytes().first()?;
    if *first == b'(' {
        let caps = MARKED_FIRST_RE.captures(line)?;
        let marking = Marking::parse(caps.get(1)?.as_str())?;
        let n: u32 = caps.get(2)?.as_str().parse().ok()?;
        return (n > 0).then(|| (n, Some(marking), caps.get(0).map_or(0, |m| m.end())));
    }
    if !first.is_ascii_digit() || b.len() < 2 {
        return None;
    }
    let caps = PARAGRAPH_RE.captures(line)?;
    let n: u32 = caps.get(1)?.as_str().parse().ok()?;
    if n == 0 {
        return None;
    }
    let marking = caps.get(2).or_else(|| caps.get(3)).and_then(|m| Marking::parse(m.as_str()));
    // "(see below)" is not a marking: then the text starts after the number.
    let end = match (caps.get(2).or_else(|| caps.get(3)), &marking) {
        (Some(_), Some(_)) => caps.get(0)?.end(),
        (Some(m), None) => m.start().saturating_sub(1),
        (None, _) => caps.get(0)?.end(),
    };
    // "2008. " or "1.5 million" are not paragraph numbers: require text after a blank or a marking.
    let rest = &line[caps.get(1)?.end()..];
    if rest.starts_with(".") && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let end = end.min(line.len());
    let end = end + (line[end..].len() - line[end..].trim_start().len());
    Some((n, marking, end))
}

static PAGE_BREAK_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\s+)?(?:PAGE\s+\d+\s+)?[A-Z][A-Z .'\-]{0,40}?\s+\d{2,8}\s+\d{1,3}(?:\.\d+)?\s+(?i:OF)\s+\d{1,3}(?:\s+\d{6}Z)?(?:\s+|$)",
    )
    .expect("regex")
});

/// The page header of older printed telegrams, a line of its own:
/// `PAGE 02        STATE   015113  182333Z`, `CONFIDENTIAL PAGE 03 TEHRAN 02069`.
static OLD_PAGE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\s+)?PAGE\s+\d{1,3}\s+(?:[A-Z][A-Z .'\-]{0,40}?\s+\d{2,8}(?:\s+\d{6}Z)?\s*$|R[A-Z]{3,6}\d{1,6}\b)",
    )
    .expect("regex")
});

static SECTION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[A-Z](?: [A-Z])+ |UNCLASSIFIED |UNCLAS |CONFIDENTIAL |SECRET )?\s*SECTION \d+ OF \d+\b[A-Z0-9 ]*$").expect("regex")
});

/// If the line starts with a page-break marker (`KABUL 00000346  002 OF 003`,
/// `PAGE 02 ROME 01196 01 OF 02 082030Z`) or is a section line (`SECTION 01
/// OF 03`), the text after it (often empty; WikiLeaks' conversion sometimes
/// ran the next line into the marker).
pub(crate) fn strip_page_break(line: &str) -> Option<&str> {
    // Fast reject: every marker but the older page header has a
    // blank-delimited "OF" (any case) after digits.
    let b = line.as_bytes();
    if b.len() < 8 || b.len() > 4096 {
        return None;
    }
    if has_of_word(b) {
        if let Some(m) = PAGE_BREAK_RE.find(line) {
            return Some(&line[m.end()..]);
        }
        if line.len() <= 120 && SECTION_RE.is_match(line) {
            return Some("");
        }
    }
    if line.len() <= 120 && memchr::memmem::find(b, b"PAGE ").is_some() && OLD_PAGE_RE.is_match(line) {
        return Some("");
    }
    None
}

/// Whether the bytes hold " OF " in any letter case.
fn has_of_word(b: &[u8]) -> bool {
    memchr::memchr2_iter(b'O', b'o', b).any(|i| {
        i > 0 && b[i - 1] == b' ' && matches!(b.get(i + 1), Some(b'F' | b'f')) && b.get(i + 2) == Some(&b' ')
    })
}

/// Whether a line is only a page-break or section line.
pub(crate) fn is_page_break(line: &str) -> bool {
    strip_page_break(line).is_some_and(|rest| rest.trim().is_empty())
}

/// The spaced or plain classification word at the start of a banner line,
/// and the rest of the line.
fn split_banner(line: &str) -> Option<(Classification, &str)> {
    let t = line.trim_start();
    const BANNERS: [(&str, &str); 7] = [
        ("U N C L A S S I F I E D", "UNCLASSIFIED"),
        ("C O N F I D E N T I A L", "CONFIDENTIAL"),
        ("S E C R E T", "SECRET"),
        ("UNCLASSIFIED", "UNCLASSIFIED"),
        ("CONFIDENTIAL", "CONFIDENTIAL"),
        ("SECRET", "SECRET"),
        ("UNCLAS ", "UNCLASSIFIED"),
    ];
    for (spelled, level) in BANNERS {
        // Some pages were re-cased ("C o n f i d e n t i a l section 01 of 04").
        let prefix = t.as_bytes().get(..spelled.len());
        if let Some(rest) =
            prefix.filter(|p| p.eq_ignore_ascii_case(spelled.as_bytes())).map(|_| &t[spelled.len()..])
        {
            let mut class: Classification = level.parse().ok()?;
            let mut rest = rest.trim_start();
            if let Some(r) = rest.strip_prefix("//NOFORN").or_else(|| rest.strip_prefix("NOFORN ")) {
                class.noforn = true;
                rest = r.trim_start();
            }
            if let Some(r) =
                rest.strip_prefix("//FOR OFFICIAL USE ONLY").or_else(|| rest.strip_prefix("//FOUO"))
            {
                class.fouo = true;
                rest = r.trim_start();
            }
            return Some((class, rest));
        }
    }
    if let Some(rest) = t.strip_prefix("LIMITED OFFICIAL USE") {
        return Some((Classification { fouo: true, ..Classification::default() }, rest.trim_start()));
    }
    None
}

/// Reads a banner line: `C O N F I D E N T I A L STATE 134777`,
/// `S E C R E T SECTION 01 OF 05 PANAMA 08545`, `UNCLASSIFIED BUENOS AIRES 2481`.
pub(crate) fn parse_banner(line: &str) -> Option<(Classification, Option<(String, u64)>)> {
    let (class, rest) = split_banner(line)?;
    let mut words: Vec<&str> = rest.split_whitespace().collect();
    if words.len() >= 4 && words[0].eq_ignore_ascii_case("SECTION") && words[2].eq_ignore_ascii_case("OF") {
        words.drain(..4);
    }
    // Station words then a serial number.
    let serial_pos = words.iter().position(|w| w.bytes().all(|b| b.is_ascii_digit()))?;
    if serial_pos == 0
        || !words[..serial_pos].iter().all(|w| w.bytes().all(|b| b.is_ascii_uppercase() || b == b'-'))
    {
        return Some((class, None));
    }
    let serial: u64 = words[serial_pos].parse().ok()?;
    Some((class, Some((words[..serial_pos].join(" "), serial))))
}

fn find_caveats(head: &[Line<'_>], banner: Option<Classification>) -> Vec<Caveat> {
    let mut out: Vec<Caveat> = Vec::new();
    let mut push = |c: Caveat| {
        if !out.contains(&c) {
            out.push(c);
        }
    };
    if banner.is_some_and(|c| c.noforn) {
        push(Caveat::Noforn);
    }
    for l in head {
        let t = l.text.trim();
        if t.is_empty() || t.len() > 60 {
            continue;
        }
        let up = t.to_ascii_uppercase();
        if up.starts_with("SENSITIVE BUT UNCLASSIFIED") {
            push(Caveat::Sensitive);
            continue;
        }
        if up.starts_with("FOR OFFICIAL USE ONLY") {
            push(Caveat::ForOfficialUseOnly);
            continue;
        }
        // A line made only of caveat words: "SIPDIS", "NOFORN", "EXDIS", "SENSITIVE SIPDIS".
        let words: Vec<&str> = up.split([' ', ',', '/']).filter(|w| !w.is_empty()).collect();
        if let Some(parsed) = words.iter().map(|w| Caveat::from_word(w)).collect::<Option<Vec<_>>>() {
            parsed.into_iter().for_each(&mut push);
        }
    }
    out
}

/// The executive orders a declassification line cites (and `12598`, the
/// usual transposition of 12958).
static EO_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bE\.?\s?O\.?\s*(?:12958|12356|13526|12065|11652|12598)\b").expect("regex")
});

fn find_declassification(head: &[Line<'_>]) -> Option<Declassification> {
    let line = head.iter().find(|l| l.text.len() < 400 && EO_RE.is_match(l.text))?;
    let m = EO_RE.find(line.text)?;
    let text = line.text[m.start()..].trim().to_owned();
    let after = &line.text[m.end()..];
    let after = after.trim_start_matches([':', ' ', ';', '.']);
    let upper = after.to_ascii_uppercase();
    let instruction_text = match upper.find("DECL") {
        Some(p) => after[p + 4..].trim_start_matches([':', ' ', '.', ';']).to_owned(),
        None => after.to_owned(),
    };
    let instruction_text = instruction_text.trim();
    // `DNG: CO 01/26/2021` is a date to downgrade on, not to declassify on.
    let downgrade_only = upper.contains("DNG") && !upper.contains("DECL");
    let written_date = |w: &str| {
        let w = w.trim_end_matches(['.', ';', ',', ')']).trim_start_matches('(');
        Date::parse_us(w).ok().or_else(|| w.parse::<Date>().ok()).or_else(|| {
            let mut parts = w.splitn(3, '/');
            let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
            (y.len() == 4).then(|| Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))?
        })
    };
    let date = if downgrade_only {
        None
    } else {
        instruction_text.split(|c: char| c.is_whitespace() || c == ',').find_map(written_date)
    };
    let instruction = if date.is_some() {
        let rest: String = instruction_text
            .split_whitespace()
            .filter(|w| written_date(w).is_none())
            .collect::<Vec<_>>()
            .join(" ");
        (!rest.is_empty()).then_some(rest)
    } else {
        (!instruction_text.is_empty()).then(|| instruction_text.to_owned())
    };
    Some(Declassification { text, date, instruction })
}

/// Where the header block (banner, caveats, E.O., TAGS, SUBJECT, REF,
/// Classified By) ends, as a line index into `head`.
fn header_block_end(head: &[Line<'_>]) -> usize {
    #[derive(PartialEq)]
    enum Field {
        None,
        Subject,
        Ref,
        ClassifiedBy,
    }
    let mut field = Field::None;
    let mut end = 0;
    let mut blank_run = 0;
    for (i, l) in head.iter().enumerate() {
        let t = l.text.trim();
        if t.is_empty() {
            blank_run += 1;
            if field != Field::Ref {
                field = Field::None;
            }
            continue;
        }
        let up = t.to_ascii_uppercase();
        if starts_with_marking(t) {
            // An unnumbered marked paragraph: "(SBU) Poloff delivered...".
            break;
        }
        let keyword = i < 4 && split_banner(t).is_some()
            || up.starts_with("SIPDIS")
            || up.starts_with("TAGS")
            || up.starts_with("TAG ")
            || up.starts_with("SUBJ")
            || up.starts_with("REF")
            || up.starts_with("CLASSIFIED BY")
            || EO_RE.is_match(t)
            || is_page_break(t)
            || split_banner(t).is_some_and(|(_, rest)| rest.is_empty() || rest.starts_with("SECTION"))
            || up.split_whitespace().all(|w| Caveat::from_word(w).is_some());
        if keyword {
            field = if up.starts_with("SUBJ") {
                Field::Subject
            } else if up.starts_with("REF") {
                Field::Ref
            } else if up.starts_with("CLASSIFIED BY") {
                Field::ClassifiedBy
            } else {
                Field::None
            };
            end = i + 1;
        } else if field == Field::Subject && blank_run == 0
            || field == Field::ClassifiedBy && blank_run == 0 && classified_by::continues(head[i - 1].text, t)
            || field == Field::Ref && ((blank_run == 0 && t.len() <= 90) || looks_like_ref_item(t))
        {
            end = i + 1;
        } else if end > 0 && i > end + 3 {
            break;
        } else if field == Field::Ref {
            field = Field::None;
        }
        blank_run = 0;
    }
    end
}

/// Whether a line starts with a classification marking: `(SBU) text`.
fn starts_with_marking(t: &str) -> bool {
    after_marking(t).is_some()
}

/// The text after the paragraph marking a line starts with (`(C) text`,
/// `(S/REL NATO) text`, `(SECRET//REL Armenia) NAME`), white space
/// trimmed before it; `None` when it starts with none.
fn after_marking(t: &str) -> Option<&str> {
    let (inner, rest) = t.trim_start().strip_prefix('(')?.split_once(')')?;
    Marking::parse(inner).map(|_| rest.trim_start())
}

fn looks_like_ref_item(t: &str) -> bool {
    let t = t.trim_start_matches(['¶', '(', '[']);
    let mut chars = t.chars();
    matches!((chars.next(), chars.next()), (Some(c), Some('.' | ')' | ']' | ' ')) if c.is_ascii_uppercase())
}

fn find_redactions(body: &str, paragraphs: &[Paragraph]) -> Vec<Redaction> {
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'X', &bytes[i..]) {
        let start = i + p;
        let mut end = start;
        while end < bytes.len() && (bytes[end] == b'X' || bytes[end] == b'x') {
            end += 1;
        }
        let len = end - start;
        let bounded = (start == 0 || !bytes[start - 1].is_ascii_alphanumeric())
            && (end == bytes.len() || !bytes[end].is_ascii_alphanumeric());
        if len >= 6 || (len >= 3 && bounded) {
            let paragraph = paragraphs.iter().rev().find(|p| p.offset <= start).map_or(0, |p| p.number);
            out.push(Redaction { offset: start, len, paragraph });
        }
        i = end.max(start + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_starts() {
        let (n, m, at) = paragraph_start("1. (U) This is an action request.").unwrap();
        assert_eq!(
            (n, m.unwrap().text.as_str(), &"1. (U) This is an action request."[at..]),
            (1, "U", "This is an action request.")
        );
        let (n, m, _) = paragraph_start("12.(S//NF) text").unwrap();
        assert_eq!((n, m.unwrap().text.as_str()), (12, "S//NF"));
        assert_eq!(paragraph_start("3. Plain paragraph").map(|p| (p.0, p.1.is_none())), Some((3, true)));
        assert!(
            paragraph_start("2008. was a year").is_none()
                || paragraph_start("2008. was a year").unwrap().0 != 2008
        );
        assert!(paragraph_start("1.5 million people").is_none());
        assert!(paragraph_start("A. STATE 125608").is_none());
        let (n, m, at) = paragraph_start("(C) 1. The Embassy obtained").unwrap();
        assert_eq!(
            (n, m.unwrap().text.as_str(), &"(C) 1. The Embassy obtained"[at..]),
            (1, "C", "The Embassy obtained")
        );
        assert!(paragraph_start("(see below) 1. text").is_none());
    }

    #[test]
    fn page_breaks() {
        assert!(is_page_break("KABUL 00000346  002 OF 003"));
        assert!(is_page_break("PAGE 02 ROME 01196 01 OF 02 082030Z"));
        assert!(is_page_break("SECTION 01 OF 03"));
        assert!(is_page_break("TRIPOLI 00000402  001.2 OF 003"));
        assert!(!is_page_break("ONE OF THE BEST 100 OF 200 PEOPLE SAID THIS AND MORE"));
        assert!(is_page_break("BERLIN 00001403 003 of 003"));
        assert_eq!(
            strip_page_break("RABAT 00001657 002 OF 002 French companies Alstom."),
            Some("French companies Alstom.")
        );
        assert!(!is_page_break("The minister said one of them was there."));
        assert!(is_page_break("PAGE 02        STATE   015113  182333Z"));
        assert!(is_page_break("PAGE 01        STATE   015113"));
        assert!(is_page_break("CONFIDENTIAL PAGE 03 TEHRAN 02069"));
        assert!(!is_page_break("PAGE 3 of the report says so."));
        assert!(is_page_break("PAGE 02 RUEHFRA2440 C O N F I D E N T I A L PARIS 002440 "));
    }

    #[test]
    fn banners() {
        let (c, id) = parse_banner("C O N F I D E N T I A L STATE 134777 ").unwrap();
        assert_eq!(c.to_string(), "CONFIDENTIAL");
        assert_eq!(id, Some(("STATE".to_owned(), 134777)));
        let (c, id) = parse_banner("S E C R E T SECTION 01 OF 05 PANAMA 08545").unwrap();
        assert_eq!((c.to_string(), id), ("SECRET".to_owned(), Some(("PANAMA".to_owned(), 8545))));
        let (_, id) = parse_banner("UNCLASSIFIED BUENOS AIRES 2481").unwrap();
        assert_eq!(id, Some(("BUENOS AIRES".to_owned(), 2481)));
        assert!(parse_banner("SUBJECT: FOO").is_none());
    }

    #[test]
    fn signer_and_redactions() {
        let body = "1. (C) Source XXXXXXXXXXXX said so.\n\n2. (C) Comment: fine.\n\nRICE\n";
        let b = parse_body(body, Some(2008), None, &ReferenceData::empty());
        assert_eq!(b.signer.as_deref(), Some("RICE"));
        assert_eq!(b.redactions.len(), 1);
        assert_eq!(b.redactions[0].paragraph, 1);
        assert_eq!(
            &body[b.redactions[0].offset..b.redactions[0].offset + b.redactions[0].len],
            "XXXXXXXXXXXX"
        );
        assert_eq!(b.paragraphs.len(), 2);
        assert_eq!(b.paragraphs[1].text, "Comment: fine.\n\nRICE");
    }
}
