//! Where the REF block is: from the REF keyword to the first thing that is
//! not part of it (`Classified By`, a numbered paragraph, a spaced-out
//! classification banner, a `SUMMARY` heading, prose after a blank line...).

use std::sync::LazyLock;

use regex::Regex;

/// The longest REF block looked at, in bytes.
const MAX_REGION: usize = 4096;
/// REF keywords without a colon are only taken this close to the start.
const MAX_LOOSE_KEYWORD_AT: usize = 3000;
/// Longest text before a keyword on its line that can still be a bullet
/// (indentation included).
const MAX_PREFIX: usize = 48;

/// Byte span of the REF block: from the keyword (or the bullet before it,
/// as in `A. REF AMMAN 222`) to its end. `None` when there is no REF keyword
/// before the first numbered paragraph.
pub(super) fn find(body: &str) -> Option<(usize, usize)> {
    let para = first_paragraph(body);
    let (start, after) = keyword(body, para)?;
    let end = block_end(body, after, para);
    Some((start, end.max(start)))
}

/// Offset of the first line that starts a numbered paragraph (`1.`, `¶1.`,
/// `1. (C)`, `1.(SBU)`), or the length of `body`.
pub(super) fn first_paragraph(body: &str) -> usize {
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        if is_numbered_paragraph(trim_lead(line)) {
            return at;
        }
        at += line.len();
    }
    body.len()
}

fn trim_lead(line: &str) -> &str {
    line.trim_start_matches(|c: char| c.is_whitespace() || c == '¶' || c == '\\')
}

fn is_numbered_paragraph(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 2 {
        return false;
    }
    let mut i = digits;
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    if b.get(i) != Some(&b'.') {
        return false;
    }
    match b.get(i + 1) {
        None => true,
        Some(&c) => c.is_ascii_whitespace() || c == b'(' || c.is_ascii_alphabetic(),
    }
}

#[derive(Clone, Copy)]
enum Strength {
    /// `REF:`, `Refs :`, `REF(S):`, `PRIMEREF:`.
    Colon,
    /// `REF A. ...`, `REF. STATE 1234` at the start of a line.
    LineStart,
    /// `REF ` in upper case anywhere.
    Loose,
}

/// Finds the REF keyword before `limit`; returns where the block starts and
/// the offset just after the keyword.
fn keyword(body: &str, limit: usize) -> Option<(usize, usize)> {
    let b = body.as_bytes();
    let limit = limit.min(b.len());
    let mut best: [Option<(usize, usize)>; 3] = [None, None, None];
    let mut i = 0;
    while i + 3 <= limit {
        if !(b[i].eq_ignore_ascii_case(&b'r')
            && b[i + 1].eq_ignore_ascii_case(&b'e')
            && b[i + 2].eq_ignore_ascii_case(&b'f'))
        {
            i += 1;
            continue;
        }
        if let Some((strength, start, after)) = keyword_at(body, i) {
            let slot = match strength {
                Strength::Colon => 0,
                Strength::LineStart => 1,
                Strength::Loose => 2,
            };
            if slot == 0 {
                return Some((start, after));
            }
            if best[slot].is_none() && i < MAX_LOOSE_KEYWORD_AT {
                best[slot] = Some((start, after));
            }
        }
        i += 3;
    }
    best[1].or(best[2])
}

/// Judges a possible keyword at `i` (where `ref` starts, any case).
fn keyword_at(body: &str, i: usize) -> Option<(Strength, usize, usize)> {
    let b = body.as_bytes();
    let glued = i > 0 && b[i - 1].is_ascii_alphanumeric();
    let rest = &b[i + 3..];
    let starts = |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
    let mut suffix = 0;
    for p in [&b"ERENCES"[..], b"ERENCE", b"TELS", b"TEL", b"(S)", b"S"] {
        if starts(p) && rest.get(p.len()).is_none_or(|c| !c.is_ascii_alphanumeric()) {
            suffix = p.len();
            break;
        }
    }
    let j = i + 3 + suffix;
    if b.get(j).is_some_and(|c| c.is_ascii_alphanumeric()) || (glued && suffix > 1) {
        return None;
    }
    let mut k = j;
    while b.get(k).is_some_and(|&c| c == b' ' || c == b'\t') {
        k += 1;
    }
    // Only a short prefix can be a bullet: look back a few bytes, not to the
    // start of a possibly huge line.
    let mut window = i.saturating_sub(MAX_PREFIX);
    while !body.is_char_boundary(window) {
        window += 1;
    }
    let (line_start, prefix) = match body[window..i].rfind('\n') {
        Some(p) => (window + p + 1, line_prefix(&body[window + p + 1..i])),
        None if window == 0 => (0, line_prefix(&body[..i])),
        None => (window, Prefix::Text),
    };
    // A bullet before the keyword belongs to the block.
    let start = |after: usize| if prefix == Prefix::Bullet { line_start } else { after };
    if b.get(k) == Some(&b':') {
        return Some((Strength::Colon, start(k + 1), k + 1));
    }
    if glued {
        return None;
    }
    let next = b.get(j).copied();
    if prefix != Prefix::Text && b[i] == b'R' {
        match next {
            Some(b'.') => return Some((Strength::LineStart, start(j + 1), j + 1)),
            None => return Some((Strength::LineStart, start(j), j)),
            Some(c) if c.is_ascii_whitespace() => return Some((Strength::LineStart, start(j), j)),
            _ => {}
        }
    }
    if &b[i..i + 3] == b"REF" && suffix == 0 && next == Some(b' ') {
        return Some((Strength::Loose, j, j));
    }
    None
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Prefix {
    Empty,
    /// `A.`, `(B)`, `¶C.`
    Bullet,
    Text,
}

/// What precedes a keyword on its line.
fn line_prefix(prefix: &str) -> Prefix {
    let t = prefix.trim_matches(|c: char| c.is_whitespace() || c == '¶' || c == '\\');
    if t.is_empty() {
        return Prefix::Empty;
    }
    let letters = t.chars().filter(char::is_ascii_alphabetic).count();
    let bulletish =
        t.chars().all(|c| c.is_ascii_alphabetic() || matches!(c, '.' | ')' | '(' | ':' | '[' | ']'));
    if letters == 1 && t.len() <= 4 && bulletish {
        Prefix::Bullet
    } else {
        Prefix::Text
    }
}

/// Something inside a line that ends the block.
static INLINE_STOP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bclass[a-z]*\s+by\b|\bsensitive\s+but\b|\bthis\s+(?:is|message|cable|telegram)\b|¶\s*\d|\b(?:begin|end)\s+summary\b",
    )
    .expect("valid regex")
});

/// A line that ends the block when it starts with this (leading white
/// space and pilcrows removed).
static LINE_STOP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[A-Za-z] [A-Za-z] [A-Za-z] [A-Za-z](?:\s|$)|(?:-\s*){3}|(?i:(?:summary|introduction|background|comment|classified|declassified|sipdis|noforn|subject|subj|tags?|eo\s+12958|derived\s+from)\b|e\.\s?o\.)|\((?:SBU|TS|FOUO|[SCU]\s*//?\s*[A-Za-z]+)[^)]{0,20}\))",
    )
    .expect("valid regex")
});

/// After a blank line the block goes on only with a line like this (leading
/// white space, pilcrows and dashes removed): a bullet, a number, `REF`, or a
/// few words and a number.
static CONTINUES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\(?[A-Za-z](?:[.):\]]|\.\))|\[[A-Za-z]\]|['(]?\d|(?i:ref)|(?:\S+\s+){0,4}[^\sA-Za-z]*\d)",
    )
    .expect("valid regex")
});

/// A classification banner line, which a page break leaves behind.
static BANNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:unclassified|unclas|confidential|secret|sensitive)(?:\s*//?\s*[A-Za-z ]+)?\s*$")
        .expect("valid regex")
});

/// End of the block that starts at `from` (just after the keyword).
fn block_end(body: &str, from: usize, para: usize) -> usize {
    let mut hard = para.min(from.saturating_add(MAX_REGION)).min(body.len()).max(from);
    while !body.is_char_boundary(hard) {
        hard -= 1;
    }
    let seg = &body[from..hard];
    let seg = match INLINE_STOP.find(seg) {
        Some(m) => without_trailing_marking(&seg[..m.start()]),
        None => seg,
    };
    let mut at = 0;
    let mut blank_before = false;
    for (n, line) in seg.split_inclusive('\n').enumerate() {
        let here = at;
        at += line.len();
        let content = trim_lead(line).trim_end();
        if content.is_empty() || (n > 0 && BANNER.is_match(content)) {
            blank_before = n > 0 || blank_before;
            continue;
        }
        if n > 0 {
            if is_numbered_paragraph(content) || LINE_STOP.is_match(content) {
                return from + here;
            }
            let dashless = content.trim_start_matches(|c: char| c == '-' || c.is_whitespace());
            if blank_before && !CONTINUES.is_match(dashless) {
                return from + here;
            }
        }
        blank_before = false;
    }
    from + seg.len()
}

/// `seg` without a paragraph marking that opens its last line (`(U)` before
/// `Classified by`).
fn without_trailing_marking(seg: &str) -> &str {
    let trimmed = seg.trim_end();
    let line_start = trimmed.rfind('\n').map_or(0, |p| p + 1);
    let last = trimmed[line_start..].trim_start();
    let is_marking = last.len() <= 12
        && last.starts_with('(')
        && last.ends_with(')')
        && last.len() >= 3
        && last[1..last.len() - 1].bytes().all(|b| b.is_ascii_alphabetic() || b == b'/');
    if is_marking && line_start > 0 {
        &seg[..line_start]
    } else {
        seg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(body: &str) -> Option<&str> {
        find(body).map(|(s, e)| &body[s..e])
    }

    #[test]
    fn keyword_forms() {
        assert_eq!(block("SUBJECT: X\nREF: STATE 1\n\n1. (C) Y"), Some(" STATE 1\n\n"));
        assert_eq!(block("UK PRIMEREF: A. LONDON 1939"), Some(" A. LONDON 1939"));
        assert_eq!(block("A. REF AMMAN 222\n B. 06 AMMAN 4685"), Some("A. REF AMMAN 222\n B. 06 AMMAN 4685"));
        assert_eq!(block("REF. STATE 184178 \n"), Some(" STATE 184178 \n"));
        assert_eq!(block("Ref(s): A) 08 RIO DE JAN 138"), Some(" A) 08 RIO DE JAN 138"));
        assert_eq!(block("SUBJECT: REFORM OF THE PREFECTURES\n\n1. REF: STATE 1"), None);
        assert_eq!(block("as noted in reftel, the"), None);
    }

    #[test]
    fn block_ends() {
        assert_eq!(block("REF: A. STATE 1 Classified By: X"), Some(" A. STATE 1 "));
        assert_eq!(
            block("REF: A. 08 STATE 81854\n\n\nS e c r e t nairobi 001938"),
            Some(" A. 08 STATE 81854\n\n\n")
        );
        assert_eq!(
            block("REF: A. STATE 1\n\nB. STATE 2\n\nThe minister said"),
            Some(" A. STATE 1\n\nB. STATE 2\n\n")
        );
        assert_eq!(block("REF: STATE 1\n(SBU) This"), Some(" STATE 1\n"));
    }
}
