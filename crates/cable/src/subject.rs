//! The SUBJECT line.
//!
//! The subject (and the TAGS, see [`crate::tags`]) live in the header region
//! of a cable body: the text before the first numbered paragraph. Only that
//! region, capped at 8 KiB, is ever scanned, so the cost per
//! cable does not grow with the length of the cable.

use std::sync::LazyLock;

use regex::Regex;

/// Upper bound of the header region in bytes: addressee lists can be long,
/// but a SUBJECT or TAGS line further into the body than this is not one.
pub(crate) const HEADER_MAX: usize = 8 * 1024;

/// The header region of a body: everything before the first numbered
/// paragraph (`1. (C) ...`, `¶2. (SBU) ...`, `1. Summary ...`), at most
/// [`HEADER_MAX`] bytes (cut on a character boundary).
pub(crate) fn header_region(body: &str) -> &str {
    let text = prefix_at_most(body, HEADER_MAX);
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        if is_numbered_paragraph(&text[start..end]) {
            return &text[..start];
        }
        start = end + 1;
    }
    text
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character
/// boundary.
pub(crate) fn prefix_at_most(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut cut = max;
    while cut > 0 && !s.is_char_boundary(cut) {
        cut -= 1;
    }
    &s[..cut]
}

/// Whether a line opens a numbered paragraph: a number followed by a
/// classification marking (`1. (C)`, `2.(SBU)`, `1 (U)`), or `1.` followed
/// by text (`1. Summary`, `1. Classified by ...`). A leading pilcrow is
/// allowed.
fn is_numbered_paragraph(line: &str) -> bool {
    let s = line.trim_start_matches([' ', '\t', '\r']);
    let s = s.strip_prefix('¶').unwrap_or(s).trim_start_matches([' ', '\t']);
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 2 || b[0] == b'0' {
        return false;
    }
    let mut i = digits;
    let dot = b.get(i) == Some(&b'.');
    if dot {
        i += 1;
    }
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    match b.get(i) {
        Some(b'(') => s
            .get(i + 1..)
            .and_then(|rest| rest.split_once(')'))
            .is_some_and(|(inner, _)| inner.len() <= 24 && is_classification_marking(inner)),
        Some(c) if c.is_ascii_alphabetic() => dot && digits == 1 && b[0] == b'1',
        _ => false,
    }
}

/// Whether the text inside parentheses is a classification marking such as
/// `C`, `SBU`, `S/NF`, `C//NOFORN`, `U//FOUO`, `SBU/N`, `TS`.
pub(crate) fn is_classification_marking(inner: &str) -> bool {
    let inner = inner.trim();
    if inner.is_empty() || inner.len() > 24 {
        return false;
    }
    let mut parts = inner.split(['/', '-', ' ', ',']).filter(|p| !p.is_empty());
    let Some(first) = parts.next() else {
        return false;
    };
    const FIRST: [&str; 13] = [
        "U",
        "C",
        "S",
        "TS",
        "SBU",
        "FOUO",
        "LOU",
        "NF",
        "CUI",
        "UNCLASSIFIED",
        "CONFIDENTIAL",
        "SECRET",
        "SENSITIVE",
    ];
    FIRST.iter().any(|m| m.eq_ignore_ascii_case(first))
        && parts.all(|p| p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// `SUBJECT:` / `SUBJ:` / damaged `UBJECT:` after a line start or a blank
/// (the colon may be missing at a line start).
static SUBJECT_KEYWORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?mi)(?:^|[ \t])S?UBJ(?:ECT)?[: \t\r\n]").expect("valid regex"));

/// Where a subject ends (searched from the first character of the subject).
static SUBJECT_STOP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // a blank line (white space and line-end backslashes only)
        r"\n[ \t\r\\]*(?:\n|$)",
        // spaced-out classification line: C O N F I D E N T I A L
        r"|C O N F|S E C R E T|U N C L A S",
        r"|(?i:SENSI?TIVE BUT)",
        // REF:, REFS:, REFTEL:, Ref(s): anywhere (also glued: 'PRIMEREF: A.')
        r"|(?i:REF(?:S|TELS?)?(?:\(S\))?:)",
        r"|(?i:REF\(S\))",
        // REF / REFS at a line start without a colon
        r"|(?i:\n[ \t]*REF(?:S|TELS?)?(?-u:\b))",
        r"|(?i:CLASSIFIED\s+BY)",
        // a paragraph number with its marking inside a run-on line
        r"|(?-u:\b)[1-9][0-9]?\.[ \t]*\((?:U|C|S|SBU|TS)[A-Z/ -]{0,10}\)",
        // Summary lead at a line start
        r"|(?i:\n[ \t]*(?:1\.?[ \t]*)?SUMMARY(?:[ \t]*[:.\-]|[ \t]*\r?\n|[ \t]+AND(?-u:\b)))",
        // page headers: 'PRETORIA 00000954 001.2 OF 004'
        r"|\n[ \t]*[A-Z][A-Z .'-]*[ \t]+[0-9]+[ \t]+[0-9]+(?:\.[0-9]+)?[ \t]+OF[ \t]+[0-9]",
        r"|[A-Z]{3,}[ \t]+[0-9]{3,}[ \t]+[0-9]{1,3}(?:\.[0-9]+)?[ \t]+OF[ \t]+[0-9]",
        r"|(?-u:\b)PAGE[ \t]+[0-9]",
        // dashed rules
        r"|-{4,}\s",
        r"|(?i:THIS IS AN? ACTION REQ)",
        // other header fields at a line start
        r"|(?i:\n[ \t]*(?:E\.?[ \t]?O\.?[ \t]*1[0-9]{4}|TAGS?[ \t:]|SIPDIS(?-u:\b)))",
    ))
    .expect("valid regex")
});

/// Position of the subject keyword in a header region: the byte offset of
/// the keyword and the byte offset where the subject text begins (after
/// the keyword, its colon and any white space, line breaks included).
pub(crate) fn subject_keyword(region: &str) -> Option<(usize, usize)> {
    for m in SUBJECT_KEYWORD.find_iter(region) {
        // the match is [blank] keyword separator, all ASCII
        let lead = usize::from(matches!(region.as_bytes()[m.start()], b' ' | b'\t'));
        let (kw_start, kw_end) = (m.start() + lead, m.end() - 1);
        let colon = region.as_bytes()[kw_end] == b':';
        let word = &region[kw_start..kw_end];
        let full = word.len() >= 6; // SUBJECT / UBJECT
        let starts_with_s = word.starts_with(['s', 'S']);
        if !(starts_with_s || full && colon) {
            continue; // 'UBJ' alone is too weak; 'UBJECT:' is a damaged keyword
        }
        if !colon && !at_line_start(region, kw_start) {
            continue; // 'SUBJECT TO ...' inside a line is prose
        }
        let after = if colon { m.end() } else { kw_end };
        let rest = &region[after..];
        let content = after + (rest.len() - rest.trim_start().len());
        let next = &region[content..];
        let line_word = next.len() >= 4
            && next.as_bytes()[..4].eq_ignore_ascii_case(b"LINE")
            && !next.as_bytes().get(4).is_some_and(|b| b.is_ascii_alphanumeric());
        if line_word {
            continue; // 'CORRECTED COPY - SUBJECT LINE'
        }
        return Some((kw_start, content));
    }
    None
}

/// Whether only blanks precede `pos` on its line.
fn at_line_start(text: &str, pos: usize) -> bool {
    text[..pos].bytes().rev().take_while(|&b| b != b'\n').all(|b| b == b' ' || b == b'\t' || b == b'\r')
}

/// The subject of a cable body: the text after `SUBJECT:` / `SUBJ:` (before
/// the first numbered paragraph), joined over continuation lines, with runs
/// of white space collapsed. With `clean`, leading and trailing
/// classification markings (`(C)`, `(U)`) and backslashes are removed.
/// Empty when the cable has no subject.
pub fn parse_subject(body: &str, clean: bool) -> String {
    let region = header_region(body);
    let Some((_, start)) = subject_keyword(region) else {
        return String::new();
    };
    let rest = &region[start..];
    let end = SUBJECT_STOP.find(rest).map_or(rest.len(), |m| m.start());
    let mut subject = decode_entities(&collapse_white_space(&rest[..end]));
    if clean {
        subject = clean_subject(&subject);
    }
    subject
}

/// Collapses every run of white space to one space and trims. A line that
/// ends in a hyphen glued to a word joins the next line without a space
/// (`US-` + `LATIN` -> `US-LATIN`).
fn collapse_white_space(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending = false;
    let mut newline = false;
    for c in raw.chars() {
        if c.is_whitespace() {
            pending = true;
            newline |= c == '\n';
            continue;
        }
        if pending && !out.is_empty() {
            let glue = newline && c.is_alphanumeric() && {
                let mut tail = out.chars().rev();
                tail.next() == Some('-') && tail.next().is_some_and(char::is_alphanumeric)
            };
            if !glue {
                out.push(' ');
            }
        }
        pending = false;
        newline = false;
        out.push(c);
    }
    out
}

/// Removes a leading and a trailing classification marking and
/// backslashes, then collapses white space again.
fn clean_subject(s: &str) -> String {
    let mut s = s.trim();
    if let Some(rest) = s.strip_prefix('(') {
        if let Some((inner, after)) = rest.split_once(')') {
            if is_classification_marking(inner) {
                s = after.trim_start();
            }
        }
    }
    if let Some(head) = s.strip_suffix(')') {
        if let Some(open) = head.rfind('(') {
            let before = &head[..open];
            if before.ends_with(char::is_whitespace) && is_classification_marking(&head[open + 1..]) {
                s = before.trim_end();
            }
        }
    }
    if s.contains('\\') {
        collapse_white_space(&s.replace('\\', ""))
    } else {
        s.to_owned()
    }
}

/// Decodes numeric character references (`&#39;`, `&#x2019;`) and the five
/// XML entities; anything else is left as written.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        match decode_one(tail) {
            Some((c, used)) => {
                out.push(c);
                rest = &tail[used..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes one entity at the start of `s` (which starts with `&`): the
/// character and the number of bytes used.
fn decode_one(s: &str) -> Option<(char, usize)> {
    let semi = s.get(..12.min(s.len())).unwrap_or(s).find(';')?;
    let name = s.get(1..semi)?;
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.len() <= 6 => u32::from_str_radix(hex, 16).ok()?,
            Some(_) => return None,
            None if !num.is_empty() && num.len() <= 7 && num.bytes().all(|b| b.is_ascii_digit()) => {
                num.parse().ok()?
            }
            None => return None,
        };
        char::from_u32(code).filter(|&c| c != '\0')?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_and_continued_lines() {
        assert_eq!(parse_subject("TAGS: X\nSUBJECT:  ONE LINE \n\nREF: A", true), "ONE LINE");
        assert_eq!(
            parse_subject("SUBJECT: FIRST PART\nSECOND PART\nREF: STATE 1", true),
            "FIRST PART SECOND PART"
        );
        assert_eq!(
            parse_subject("SUBJECT: THE US- \nLATIN AMERICAN TIES\n\n", true),
            "THE US-LATIN AMERICAN TIES"
        );
        assert_eq!(parse_subject("SUBJECT: FOO -\nBAR\n\n", true), "FOO - BAR");
    }

    #[test]
    fn keyword_variants() {
        assert_eq!(parse_subject("SUBJECT NO COLON\nREF A. X 1", true), "NO COLON");
        assert_eq!(parse_subject("SUBJ: SHORT\n\n", true), "SHORT");
        assert_eq!(parse_subject("X\nUBJECT: DAMAGED REF: A) B 1", true), "DAMAGED");
        assert_eq!(parse_subject("tags: prel Subject: lower case\n\n", true), "lower case");
        assert_eq!(parse_subject("SUBJECT:\n\nNEXT LINES\n1.(SBU) Body", true), "NEXT LINES");
        assert_eq!(parse_subject("C O R R E C T E D COPY (SUBJECT LINE)\nSUBJECT: REAL\n\n", true), "REAL");
        assert_eq!(parse_subject("COPY//SUBJECT LINE//\n\nSUBJECT: REAL\n\n", true), "REAL");
        assert_eq!(parse_subject("NO SUBJECT HERE\nTAGS: PREL\n", true), "");
        assert_eq!(parse_subject("", true), "");
    }

    #[test]
    fn stops() {
        assert_eq!(parse_subject("SUBJECT: UK PRIMEREF: A. LONDON 1", true), "UK PRIME");
        assert_eq!(parse_subject("SUBJECT: CAIROClassified By: DCM", true), "CAIRO");
        assert_eq!(parse_subject("SUBJECT: A\nPRETORIA 00000954 001.2 OF 004\n", true), "A");
        assert_eq!(parse_subject("SUBJECT: A \n----------- \n1. SUMMARY", true), "A");
        assert_eq!(parse_subject("SUBJECT: A\nC O N F I D E N T I A L X", true), "A");
        assert_eq!(parse_subject("SUBJECT: A Sensitive but unclassified", true), "A");
        assert_eq!(parse_subject("SUBJECT: A\nThis is an action request.", true), "A");
        assert_eq!(parse_subject("SUBJECT: A \\\n \\\nB", true), "A");
        assert_eq!(parse_subject("SUBJECT: A\n1. Classified by X", true), "A");
        assert_eq!(parse_subject("SUBJECT: A\n ZIMBABWE\nPAGE 02 HARARE", true), "A ZIMBABWE");
    }

    #[test]
    fn clean_markings() {
        assert_eq!(parse_subject("SUBJECT: (S) GERMANY ...", true), "GERMANY ...");
        assert_eq!(parse_subject("SUBJECT: (S) GERMANY ...", false), "(S) GERMANY ...");
        assert_eq!(parse_subject("SUBJECT: (C/NF) WHO", true), "WHO");
        assert_eq!(parse_subject("SUBJECT: GRANTS (Iceland) \n\n", true), "GRANTS (Iceland)");
        assert_eq!(parse_subject("SUBJECT: GRANTS (U)\n\n", true), "GRANTS");
        assert_eq!(parse_subject("SUBJECT: A \\\nB\n\n", true), "A B");
    }

    #[test]
    fn entities() {
        assert_eq!(
            parse_subject("SUBJECT: Bla &#8217; bla &#x201C;&amp;\n\n", true),
            "Bla \u{2019} bla \u{201C}&"
        );
        assert_eq!(decode_entities("&#0; &#xFFFFFFFF; &bogus; &"), "&#0; &#xFFFFFFFF; &bogus; &");
    }

    #[test]
    fn header_region_ends_at_first_paragraph() {
        assert_eq!(header_region("A\nB\n1. (C) text\n"), "A\nB\n");
        assert_eq!(header_region("A\n¶1. SUMMARY\n"), "A\n");
        assert_eq!(header_region("A\n1.4 (b)\n"), "A\n1.4 (b)\n");
        let long = "é".repeat(HEADER_MAX);
        assert!(header_region(&long).len() <= HEADER_MAX);
        assert_eq!(parse_subject(&long, true), "");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "SUBJECT:",
            "SUBJECT: é\u{0}(",
            "SUBJECT: (",
            "SUBJECT: ()",
            "SUBJECT: a (U",
            "&#",
            "SUBJECT: &#99999999;",
        ] {
            let _ = parse_subject(s, true);
            let _ = parse_subject(s, false);
        }
    }
    use crate::test_fragments::FRAGMENTS;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn never_panics_on_fragments(parts in proptest::collection::vec(proptest::sample::select(FRAGMENTS.to_vec()), 0..60)) {
            let s: String = parts.concat();
            let _ = (super::parse_subject(&s, true), super::parse_subject(&s, false));
        }
    }
}
