//! The TAGS line: subject tags, country codes, organisation and person tags.
//!
//! TAGS (Traffic Analysis by Geography and Subject) are the index terms of a
//! cable: four-letter subject codes (`PREL`, `ECON`, `KPAO`), two-letter
//! country codes (`AF`, `UK`), organisations (`NATO`, `UNESCO`) and people
//! (`STEINBERG, JAMES B.`). Posts type them by hand, so the line is often
//! damaged: a misspelt keyword, tags run together (`ITPHUM`), page-break
//! noise in the middle, person tags without their comma. [`parse_tags`]
//! repairs what general rules can repair; a few small hand-written tables
//! (country codes, common codes, multi-word tags, given names, typos) hold
//! what only a list can say.

mod country_reading;
mod meanings;
mod tables;

pub(crate) use country_reading::read_country_tags;
pub use country_reading::{ReadingBasis, TagCountry};

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::subject::{header_region, subject_keyword};

/// What a TAGS entry stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TagKind {
    /// A State Department subject code (`PREL` external political relations, `PARM` arms control).
    Subject,
    /// A two-letter cable country code (`AF` Afghanistan, `UK`, `NO` Norway, `JA` Japan).
    Country,
    /// An organisation (`NATO`, `UNSC`, `EU`).
    Organization,
    /// A person (`STEINBERG, JAMES B.`) or a program.
    PersonOrProgram,
}

/// One TAGS entry and what it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tag {
    /// The tag, upper case, canonical spelling.
    pub code: String,
    /// What it stands for.
    pub kind: TagKind,
    /// For a country code, the country it is read as in this cable, with
    /// the reasoning when the code means different countries in the
    /// Department's codes and in ISO 3166 (`CN`: Comoros or China).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<TagCountry>,
}

/// First letters of the State Department subject TAGS (administration,
/// business, consular, economic, program, military, operations,
/// political, social, technology).
const SUBJECT_PREFIXES: &[u8] = b"ABCEKMOPST";

/// Says what a canonical tag (as returned by [`parse_tags`]) stands for.
///
/// The subject and organisation lists of `refdata` are consulted first;
/// without them (or for a tag on neither list) the tag is classified by its
/// shape: two letters are a country code (except `EU` and `UN`), four
/// upper-case letters starting with a subject prefix (`A B C E K M O P S
/// T`) a subject, `SURNAME, GIVEN` a person, a short upper-case word an
/// organisation, anything else (`HUMAN RIGHTS`, `COUNTERTERRORISM`) a person
/// or program.
pub fn classify_tag(code: &str, refdata: &crate::ReferenceData) -> TagKind {
    let code = code.trim();
    if refdata.is_subject_tag(code) {
        return TagKind::Subject;
    }
    let letters = !code.is_empty() && code.bytes().all(|b| b.is_ascii_uppercase());
    if code.len() == 2 && letters {
        if tables::TWO_LETTER_ORGANIZATIONS.contains(&code) {
            return TagKind::Organization;
        }
        if !tables::is_country_code(code) && refdata.is_organization_tag(code) {
            return TagKind::Organization;
        }
        return TagKind::Country;
    }
    if refdata.is_organization_tag(code) {
        return TagKind::Organization;
    }
    if code.contains(',') {
        return TagKind::PersonOrProgram;
    }
    if code.len() == 4 && letters && SUBJECT_PREFIXES.contains(&code.as_bytes()[0]) {
        return TagKind::Subject;
    }
    let short_caps = code.len() <= 8
        && !code.contains(char::is_whitespace)
        && code.chars().any(|c| c.is_ascii_uppercase())
        && !code.chars().any(char::is_lowercase);
    if short_caps {
        TagKind::Organization
    } else {
        TagKind::PersonOrProgram
    }
}

/// The TAGS of a cable body in order of appearance, upper case.
///
/// With `canonicalize`, duplicates are removed, run-together tags split
/// (`ITPHUM` -> `IT`, `PHUM`), known typos fixed and person tags written
/// `SURNAME, GIVEN NAMES`; without it the tags are returned as written.
pub fn parse_tags(body: &str, canonicalize: bool) -> Vec<String> {
    let region = header_region(body);
    let Some(text) = tags_text(region) else {
        return Vec::new();
    };
    let tokens = tokenize(&text);
    if canonicalize {
        canonical_tags(tokens)
    } else {
        merge_phrases(tokens, false).into_iter().map(|t| t.text).collect()
    }
}

/// The TAGS keyword, often damaged: `TAGS`, `TAG`, `TAGES`, `TAS`, `TABS`,
/// `TGS`, `AGS`, followed by a colon, semicolon, comma or blank.
static TAGS_KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?mi)(?:^|[ \t])(?:TAGE?S|TAG|TAS|TABS|TGS|AGS)(?:[:;,]|[ \t]|\r?$)").expect("valid regex")
});

/// Where the TAGS text ends within a line: the subject keyword, a REF
/// block, a Classified By line or an E.O. line run on into it.
static TAGS_CUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i:(?:^|[ \t,])S?UBJ(?:ECT)?[ \t]*:)",
        r"|(?:^|[ \t,])SUBJECT[ \t]",
        r"|(?i:(?-u:\b)REF(?:S|TELS?)?(?:\(S\))?:)",
        r"|(?i:CLASSIFIED\s+BY)",
        r"|(?i:(?-u:\b)E\.[ \t]?O\.[ \t]?1[0-9]{3})",
        r"|(?-u:\b)EO 1[0-9]{4}",
    ))
    .expect("valid regex")
});

/// Page-break noise inside a TAGS list:
/// `UNCLASSIFIED    PAGE 02        ROME  01059  01 OF 04  281501Z`.
static PAGE_NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:(?:UN)?CLASSIFIED|CONFIDENTIAL|SECRET|UNCLAS|LIMITED OFFICIAL USE)?[ \t]*",
        r"PAGE[ \t]+[0-9]+[ \t]+[A-Z][A-Z ]*?[ \t]+[0-9]+",
        r"(?:[ \t]+[0-9]+[ \t]+OF[ \t]+[0-9]+)?(?:[ \t]+[0-9]{6}Z)?",
    ))
    .expect("valid regex")
});

/// The line of `region` that starts at `start`, as (start, end) byte
/// offsets, the end excluding the `\n`.
fn line_at(region: &str, start: usize) -> (usize, usize) {
    let end = memchr::memchr(b'\n', &region.as_bytes()[start..]).map_or(region.len(), |i| start + i);
    (start, end)
}

/// Finds the TAGS keyword (before the subject; failing that, at a line
/// start anywhere in the region) and returns the text of the TAGS list
/// with its continuation lines, page-break noise removed.
fn tags_text(region: &str) -> Option<String> {
    // where the subject starts, looked up only when a keyword inside a line
    // needs it
    let mut subject_at: Option<usize> = None;
    let mut found = None;
    for m in TAGS_KEYWORD.find_iter(region) {
        // the match is [blank] keyword [separator], all ASCII
        let lead = usize::from(matches!(region.as_bytes()[m.start()], b' ' | b'\t'));
        let kw_start = m.start() + lead;
        let kw_len =
            region.as_bytes()[kw_start..m.end()].iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let (kw, sep) = (&region[kw_start..kw_start + kw_len], &region[kw_start + kw_len..m.end()]);
        let punct = sep.starts_with([':', ';', ',']);
        let strong = kw.eq_ignore_ascii_case("TAGS") || kw.eq_ignore_ascii_case("TAG");
        let line_start = line_start_before(region, kw_start);
        if !punct && !(strong && (line_start || code_follows(region, kw, kw_start + kw_len))) {
            continue;
        }
        if !line_start {
            let subject =
                *subject_at.get_or_insert_with(|| subject_keyword(region).map_or(region.len(), |(k, _)| k));
            if kw_start >= subject {
                continue;
            }
        }
        found = Some(if punct { m.end() } else { kw_start + kw_len });
        break;
    }
    let after = found?;
    let (_, mut line_end) = line_at(region, after);
    let mut text = String::new();
    let mut piece = &region[after..line_end];
    if piece.trim().is_empty() {
        // 'TAGS:' alone on its line: the list is on the next one
        if line_end >= region.len() {
            return None;
        }
        let (s, e) = line_at(region, line_end + 1);
        piece = &region[s..e];
        line_end = e;
        if is_blank(piece) || starts_with_subject(piece) {
            return None;
        }
    }
    let mut more = push_piece(&mut text, piece);
    let mut lines = 0;
    while more && lines < 4 && line_end < region.len() {
        let (s, e) = line_at(region, line_end + 1);
        let next = &region[s..e];
        if is_blank(next) || starts_with_subject(next) {
            break;
        }
        let continues = text.trim_end().ends_with(',') || {
            let head = TAGS_CUT.find(next).map_or(next, |m| &next[..m.start()]);
            is_tag_like(head)
                && (head.contains(',') || head.len() < next.len() || {
                    let after_next = if e < region.len() { line_at(region, e + 1) } else { (e, e) };
                    starts_with_subject(&region[after_next.0..after_next.1])
                })
        };
        if !continues {
            break;
        }
        text.push(' ');
        more = push_piece(&mut text, next);
        line_end = e;
        lines += 1;
    }
    Some(text)
}

/// Whether an upper-case `TAG`/`TAGS` inside a line is followed by a code
/// (`DECL: 03/20/2019 TAG PTER, PGOV`), not by prose (`PRICE TAG OF`).
fn code_follows(region: &str, keyword: &str, end: usize) -> bool {
    let rest = region.as_bytes().get(end..).unwrap_or_default();
    let start = rest.iter().take(16).position(|b| !matches!(b, b' ' | b'\t' | b',')).unwrap_or(rest.len());
    let word_len = rest[start..].iter().take(5).take_while(|b| b.is_ascii_uppercase()).count();
    let after = rest.get(start + word_len).copied();
    let first = &region[end + start..end + start + word_len];
    keyword.bytes().all(|b| b.is_ascii_uppercase())
        && matches!(after, None | Some(b' ' | b'\t' | b',' | b'\r' | b'\n'))
        && (tables::is_common_code(first) || (first.len() == 2 && tables::is_country_code(first)))
}

/// Whether only blanks precede `pos` on its line.
fn line_start_before(text: &str, pos: usize) -> bool {
    text[..pos].bytes().rev().take_while(|&b| b != b'\n').all(|b| b == b' ' || b == b'\t' || b == b'\r')
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b.is_ascii_whitespace() || b == b'\\')
}

/// Whether a line starts with the subject keyword.
fn starts_with_subject(line: &str) -> bool {
    let t = line.trim_start().as_bytes();
    let t = t.strip_prefix(b"S").or_else(|| t.strip_prefix(b"s")).unwrap_or(t);
    t.len() >= 3 && t[..3].eq_ignore_ascii_case(b"UBJ")
}

/// Appends the part of a line that belongs to the TAGS list (page noise
/// removed); false when the list ended inside the line.
fn push_piece(text: &mut String, line: &str) -> bool {
    let (head, cut) = match TAGS_CUT.find(line) {
        Some(m) => (&line[..m.start()], true),
        None => (line, false),
    };
    if PAGE_NOISE.is_match(head) {
        text.push_str(&PAGE_NOISE.replace_all(head, " "));
    } else {
        text.push_str(head);
    }
    !cut
}

/// Whether a line looks like more TAGS: upper-case codes, commas and
/// blanks only (no lower case, no sentence punctuation).
fn is_tag_like(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.starts_with(|c: char| c.is_ascii_uppercase() || c == '(')
        && t.chars().any(|c| c.is_ascii_uppercase())
        && t.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || " \t\r,;/&()_-".contains(c))
}

/// One entry of the TAGS list as written.
#[derive(Debug, Clone)]
struct Token {
    /// Upper case.
    text: String,
    /// Separated from the previous token by a comma or semicolon (not just
    /// blanks), so it cannot be part of a multi-word tag with it.
    comma_before: bool,
    /// Written in parentheses (`OVIP (CLINTON, HILLARY)`) or already
    /// repaired: taken as it is.
    fixed: bool,
}

/// Longest parenthesised group taken as one tag, in bytes.
const MAX_PAREN: usize = 100;

/// Most tokens read from a TAGS list: real lists have a few dozen; the cap
/// bounds the work on damaged input.
const MAX_TOKENS: usize = 256;

/// Splits the TAGS text into tokens: runs of letters, digits and `-/&_`,
/// and parenthesised groups taken whole.
fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut comma = false;
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<Token>, comma: &mut bool| {
        let t = cur.trim_matches(|c| c == '-' || c == '/' || c == '_' || c == '&');
        if t.chars().any(char::is_alphabetic) {
            out.push(Token { text: t.to_uppercase(), comma_before: *comma, fixed: false });
            *comma = false;
        }
        cur.clear();
    };
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if out.len() >= MAX_TOKENS {
            break;
        }
        let len = c.len_utf8();
        if c.is_alphanumeric() || matches!(c, '-' | '/' | '&' | '_') {
            cur.push(c);
            rest = &rest[len..];
            continue;
        }
        flush(&mut cur, &mut out, &mut comma);
        if c == '(' {
            // a parenthesised tag is short: `(CLINTON, HILLARY)`
            if let Some(close) = rest.bytes().take(MAX_PAREN).position(|b| b == b')') {
                let inner = collapse_blanks(&rest[1..close]);
                let inner = inner.trim_matches(|c: char| c == ',' || c.is_whitespace());
                if inner.chars().any(char::is_alphabetic) {
                    out.push(Token { text: inner.to_uppercase(), comma_before: comma, fixed: true });
                    comma = false;
                }
                rest = &rest[close + 1..];
                continue;
            }
        }
        if c == ',' || c == ';' {
            comma = true;
        }
        rest = &rest[len..];
    }
    flush(&mut cur, &mut out, &mut comma);
    out
}

fn collapse_blanks(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a token is a plain word (letters, hyphen, apostrophe).
fn is_word(t: &Token) -> bool {
    !t.fixed && t.text.len() >= 3 && t.text.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'')
}

/// A word that can only be part of a descriptive tag: not a code, not of
/// the shape of a subject code.
fn is_plain_word(t: &Token) -> bool {
    is_word(t)
        && !is_code(&t.text)
        && !(t.text.len() == 4 && SUBJECT_PREFIXES.contains(&t.text.as_bytes()[0]))
}

/// Whether a token reads as a code rather than a word: two letters, or a
/// known TAGS code.
fn is_code(t: &str) -> bool {
    t.len() <= 2 || tables::is_common_code(t)
}

/// Joins multi-word tags (`HUMAN RIGHTS`, `GOI EXTERNAL`, `FOREIGN POL`,
/// `ECONOMY AND FINANCE`) and person tags written `SURNAME GIVEN`. With
/// `canonical`, person tags get their comma and phrase spellings are
/// normalised (`COUNTER TERRORISM` -> `COUNTERTERRORISM`).
fn merge_phrases(tokens: Vec<Token>, canonical: bool) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    // a list written with commas: words between two commas are one tag
    let commas = tokens.iter().skip(1).filter(|t| t.comma_before).count();
    let comma_style = commas > tokens.len().saturating_sub(1) - commas;
    let mut i = 0;
    // tokens i..i+n joinable: not fixed, separated by blanks only
    let joinable = |i: usize, n: usize| {
        i + n <= tokens.len() && (i..i + n).all(|k| !tokens[k].fixed && (k == i || !tokens[k].comma_before))
    };
    while i < tokens.len() {
        let mut merged: Option<(usize, String)> = None;
        for (words, canon) in tables::PHRASES {
            let n = words.len();
            if joinable(i, n) && (0..n).all(|k| tokens[i + k].text == words[k]) {
                let text = if canonical { canon.to_string() } else { words.join(" ") };
                merged = Some((n, text));
                break;
            }
        }
        if merged.is_none() && joinable(i, 3) {
            let (a, b, c) = (&tokens[i].text, &tokens[i + 1].text, &tokens[i + 2].text);
            let generic =
                (b == "AND" && is_word(&tokens[i]) && is_word(&tokens[i + 2]) && !is_code(a) && !is_code(c))
                    || (a == "TIP" && b == "IN" && is_word(&tokens[i + 2]))
                    || (a == "MEETINGS" && b == "WITH" && is_word(&tokens[i + 2]));
            if generic {
                merged = Some((3, format!("{a} {b} {c}")));
            }
        }
        if merged.is_none() && joinable(i, 2) && tokens[i].text == "FOREIGN" && is_word(&tokens[i + 1]) {
            merged = Some((2, format!("FOREIGN {}", tokens[i + 1].text)));
        }
        if merged.is_none() && joinable(i, 2) {
            merged = person(&tokens, i, out.last().map(|t| t.text.as_str()), canonical).map(|p| (2, p));
        }
        if merged.is_none() && comma_style {
            const CONNECTORS: [&str; 8] = ["IN", "OF", "AND", "THE", "FOR", "ON", "TO", "WITH"];
            let connector = |t: &Token| !t.fixed && CONNECTORS.contains(&t.text.as_str());
            let mut run = (i..tokens.len())
                .take_while(|&k| {
                    (is_plain_word(&tokens[k]) || (k > i && connector(&tokens[k])))
                        && (k == i || !tokens[k].comma_before)
                })
                .count();
            while run > 0 && connector(&tokens[i + run - 1]) {
                run -= 1;
            }
            if run >= 2 {
                let words: Vec<&str> = tokens[i..i + run].iter().map(|t| t.text.as_str()).collect();
                merged = Some((run, words.join(" ")));
            }
        }
        match merged {
            Some((n, text)) => {
                out.push(Token { text, comma_before: tokens[i].comma_before, fixed: true });
                i += n;
            }
            None => {
                out.push(tokens[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// A person tag written `SURNAME GIVEN` at `i`: the given name is a known
/// one, or the pair follows `OVIP` (official visit) and neither word is a
/// code.
fn person(tokens: &[Token], i: usize, previous: Option<&str>, canonical: bool) -> Option<String> {
    let (a, b) = (&tokens[i], &tokens[i + 1]);
    if !is_word(a) || !is_word(b) || is_code(&a.text) {
        return None;
    }
    let known_given = tables::GIVEN_NAMES.contains(&b.text.as_str());
    let after_ovip = previous == Some("OVIP") && !is_code(&b.text) && b.text.len() != 4;
    if !known_given && !after_ovip {
        return None;
    }
    Some(if canonical { format!("{}, {}", a.text, b.text) } else { format!("{} {}", a.text, b.text) })
}

/// The canonical tags: typos fixed, phrases and names joined, run-together
/// tags split, non-tags dropped, duplicates removed.
fn canonical_tags(tokens: Vec<Token>) -> Vec<String> {
    // codes written on their own in this list also validate split pieces
    let standalone: Vec<String> =
        tokens.iter().filter(|t| t.text.len() == 4).map(|t| t.text.clone()).collect();
    let mut fixed = Vec::with_capacity(tokens.len());
    for t in tokens {
        match (!t.fixed).then(|| tables::typo_fix(&t.text)).flatten() {
            // a single repair is final; the first piece of a split may still
            // join a phrase with what precedes it (`HUMAN RIGHTSPOLMIL`)
            Some(parts) => {
                for (k, p) in parts.iter().enumerate() {
                    let comma_before = if k == 0 { t.comma_before } else { true };
                    fixed.push(Token { text: (*p).to_owned(), comma_before, fixed: parts.len() == 1 });
                }
            }
            None => fixed.push(t),
        }
    }
    let merged = merge_phrases(fixed, true);
    let mut out: Vec<String> = Vec::with_capacity(merged.len());
    let push = |tag: String, out: &mut Vec<String>| {
        if !tables::NOT_TAGS.contains(&tag.as_str()) && !out.contains(&tag) {
            out.push(tag);
        }
    };
    for t in merged {
        if !t.fixed {
            if let Some(parts) = split_run_together(&t.text, &standalone) {
                for p in parts {
                    push(p, &mut out);
                }
                continue;
            }
        }
        let tag = tables::canonical_person(&t.text).map_or(t.text, str::to_owned);
        push(tag, &mut out);
    }
    out
}

/// Splits tags run together without blanks (`ITPHUM`, `KNNPMNUC`,
/// `ETRDEINVECINPGOVCS`) into two-letter country codes and four-letter
/// codes. A split is taken only when the four-letter pieces are known codes
/// (common TAGS, or written on their own in the same list), allowing one
/// unknown piece of subject shape among at least two known ones, and the
/// country codes do not outnumber the known codes.
fn split_run_together(token: &str, standalone: &[String]) -> Option<Vec<String>> {
    let b = token.as_bytes();
    let n = b.len();
    if n < 6
        || !n.is_multiple_of(2)
        || n > 64
        || !b.iter().all(u8::is_ascii_uppercase)
        || tables::is_common_code(token)
    {
        return None;
    }
    let known = |p: &str| tables::is_common_code(p) || standalone.iter().any(|s| s == p);
    // best[i]: (unknown4, known4, two, previous position) for the prefix of length i
    type Best = Option<(u32, u32, u32, usize)>;
    let mut best: Vec<Best> = vec![None; n + 1];
    best[0] = Some((0, 0, 0, 0));
    let better = |new: (u32, u32, u32), old: Best| match old {
        None => true,
        Some((u, k, t, _)) => (new.0, std::cmp::Reverse(new.1), new.2) < (u, std::cmp::Reverse(k), t),
    };
    for i in (0..n).step_by(2) {
        let Some((u, k, t, _)) = best[i] else {
            continue;
        };
        if i + 2 <= n && tables::is_country_code(&token[i..i + 2]) {
            let cand = (u, k, t + 1);
            if better(cand, best[i + 2]) {
                best[i + 2] = Some((cand.0, cand.1, cand.2, i));
            }
        }
        if i + 4 <= n {
            let piece = &token[i..i + 4];
            let cand = if known(piece) {
                Some((u, k + 1, t))
            } else if SUBJECT_PREFIXES.contains(&b[i]) {
                Some((u + 1, k, t))
            } else {
                None
            };
            if let Some(cand) = cand {
                if better(cand, best[i + 4]) {
                    best[i + 4] = Some((cand.0, cand.1, cand.2, i));
                }
            }
        }
    }
    let (unknown, known4, two, _) = best[n]?;
    let accepted = known4 >= 1 && two <= known4 && (unknown == 0 || (unknown == 1 && known4 >= 2));
    if !accepted {
        return None;
    }
    let mut parts = Vec::new();
    let mut at = n;
    while at > 0 {
        let (_, _, _, prev) = best[at]?;
        parts.push(token[prev..at].to_owned());
        at = prev;
    }
    parts.reverse();
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReferenceData;

    fn tags(s: &str) -> Vec<String> {
        parse_tags(s, true)
    }

    #[test]
    fn keyword_variants_and_continuations() {
        assert_eq!(tags("TAGS: something\nhere"), ["SOMETHING"]);
        assert_eq!(tags("TAGS: something,\nhere"), ["SOMETHING", "HERE"]);
        assert_eq!(tags("tAgs something"), ["SOMETHING"]);
        assert_eq!(tags("TAG PTER, PGOV"), ["PTER", "PGOV"]);
        assert_eq!(tags("X\nTAGS;  PGOV, TU \nSUBJ: X"), ["PGOV", "TU"]);
        assert_eq!(tags("DECL: 08/22/2017 AGS: PGOV, AR"), ["PGOV", "AR"]);
        assert_eq!(tags("TABS: EFIS, VE\n"), ["EFIS", "VE"]);
        assert_eq!(tags("TAGS: PREL SP\nEINV\nSUBJECT: X"), ["PREL", "SP", "EINV"]);
        assert_eq!(tags("TAGS: PREL\nE.O. 12958: N/A\nSUBJECT: X"), ["PREL"]);
        assert_eq!(tags("Tags: prel, tu Subject: turkish"), ["PREL", "TU"]);
        assert_eq!(tags("THE PRICE TAG OF IT\n"), Vec::<String>::new());
        assert_eq!(tags("DECL: 03/20/2019 TAG PTER, SW \n\nSUBJECT: X"), ["PTER", "SW"]);
        assert_eq!(tags("THE PRICE TAG OF THE DEAL\n"), Vec::<String>::new());
        assert_eq!(tags("no tags at all"), Vec::<String>::new());
    }

    #[test]
    fn canonical_repairs() {
        assert_eq!(tags("TAGS PHUM, IT, ITPHUM, HUMAN RIGHTS"), ["PHUM", "IT", "HUMAN RIGHTS"]);
        assert_eq!(tags("TAGS: KCRM PHUMBA"), ["KCRM", "PHUM", "BA"]);
        assert_eq!(tags("TAGS: ETRDEINVECINPGOVCS"), ["ETRD", "EINV", "ECIN", "PGOV", "CS"]);
        assert_eq!(tags("TAGS: PTER MARR, MOPPS"), ["PTER", "MARR", "MOPS"]);
        assert_eq!(tags("TAGS: OVIP STEINBERG JAMES PREL"), ["OVIP", "STEINBERG, JAMES B.", "PREL"]);
        assert_eq!(tags("TAGS: ovip (steinberg, james b.), prel"), ["OVIP", "STEINBERG, JAMES B.", "PREL"]);
        assert_eq!(tags("TAGS: PM ROOD JOHN LABOR"), ["PM", "ROOD, JOHN", "LABOR"]);
        assert_eq!(tags("TAGS: YM COUNTER TERRORISM"), ["YM", "COUNTERTERRORISM"]);
        assert_eq!(tags("TAGS: JO ECONOMY AND FINANCE"), ["JO", "ECONOMY AND FINANCE"]);
        assert_eq!(tags("TAGS: PM POL FOREIGN POL"), ["PM", "POL", "FOREIGN POL"]);
        assert_eq!(tags("TAGS: ECON CA SIPDIS"), ["ECON", "CA"]);
        assert_eq!(tags("TAGS: PREL, UNGA/C-6"), ["PREL", "UNGA/C-6"]);
        assert_eq!(tags("TAGS PINR, KCRM, BU, Organized Crime"), ["PINR", "KCRM", "BU", "ORGANIZED CRIME"]);
        assert_eq!(
            tags("TAGS PINR, KCRM, BU, Trafficking in Persons"),
            ["PINR", "KCRM", "BU", "TRAFFICKING IN PERSONS"]
        );
        assert_eq!(tags("TAGS PTER MARR, MOPS"), ["PTER", "MARR", "MOPS"]);
        assert_eq!(
            tags("TAGS: ECON, IT       UNCLASSIFIED    PAGE 02        ROME  01059  01 OF 04  281501Z ECON, EFIN"),
            ["ECON", "IT", "EFIN"]
        );
    }

    #[test]
    fn words_are_not_split() {
        for w in
            ["ROBERT", "ECONOMIC", "NATIONAL", "DOMESTIC", "AMBASSADOR", "POLITICS", "GLOBAL", "NATOIRAQ"]
        {
            assert_eq!(split_run_together(w, &[]), None, "{w}");
        }
        assert_eq!(split_run_together("KNNPMNUC", &[]).unwrap(), ["KNNP", "MNUC"]);
    }

    #[test]
    fn not_canonical() {
        assert_eq!(
            parse_tags("TAGS: AMEDCASCKFLO TBIO PREL PREL, TF \nSUBJECT: X", false),
            ["AMEDCASCKFLO", "TBIO", "PREL", "PREL", "TF"]
        );
    }

    #[test]
    fn classify_by_shape() {
        let r = ReferenceData::empty();
        assert_eq!(classify_tag("PREL", &r), TagKind::Subject);
        assert_eq!(classify_tag("KPAO", &r), TagKind::Subject);
        assert_eq!(classify_tag("AF", &r), TagKind::Country);
        assert_eq!(classify_tag("UK", &r), TagKind::Country);
        assert_eq!(classify_tag("EU", &r), TagKind::Organization);
        assert_eq!(classify_tag("NATO", &r), TagKind::Organization);
        assert_eq!(classify_tag("UNESCO", &r), TagKind::Organization);
        assert_eq!(classify_tag("STEINBERG, JAMES B.", &r), TagKind::PersonOrProgram);
        assert_eq!(classify_tag("HUMAN RIGHTS", &r), TagKind::PersonOrProgram);
        assert_eq!(classify_tag("COUNTERTERRORISM", &r), TagKind::PersonOrProgram);
    }

    #[test]
    fn classify_with_lists() {
        let r = ReferenceData::from_texts("", "PREL\nXYZW\n", "NATO\nUN\nAL\nABCD\n");
        assert_eq!(classify_tag("XYZW", &r), TagKind::Subject);
        assert_eq!(classify_tag("ABCD", &r), TagKind::Organization);
        assert_eq!(classify_tag("UN", &r), TagKind::Organization);
        assert_eq!(classify_tag("AL", &r), TagKind::Country);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in
            ["TAGS:", "TAGS: (", "TAGS: (é", "TAGS: é,\n", "TAGS:\n\n", "TAGS: ()", "TAGS: ÉÉÉÉÉÉ", "TAGS"]
        {
            let _ = parse_tags(s, true);
            let _ = parse_tags(s, false);
        }
    }
    use crate::test_fragments::FRAGMENTS;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn never_panics_on_fragments(parts in proptest::collection::vec(proptest::sample::select(FRAGMENTS.to_vec()), 0..60)) {
            let s: String = parts.concat();
            let _ = (super::parse_tags(&s, true), super::parse_tags(&s, false));
        }
    }
}
