//! From the tokens of a REF block to references.
//!
//! 1. Page-break noise (`TRIPOLI 00000402 001.2 OF 003`, `PAGE 02 ROME 01196
//!    01 OF 02 082030Z`, `SECTION 01 OF 03`) is dropped.
//! 2. The block is cut into items at enumeration bullets (`A.`, `B)`, `(C)`,
//!    `[D]`, `E -`, `F:`, a bare `G` before a station, doubled ones such as
//!    `A. A)` or `A. REF A`) and at semicolons. A bullet counts only when its
//!    letter comes next in the sequence, so initials (`J. Speaks`) do not.
//! 3. An item that names an e-mail, a telcon, a memo, a report, a manual or
//!    another kind of document is one reference of that kind (after any
//!    cables it starts with); any other item is searched for cables:
//!    `[year] station serial [year]`, glued ids, serial lists and
//!    continuations (`AND 2764`, `/935`, `, 12155`).

use super::lex::{lex, num_value, Kind, Tok};
use super::{Reference, ReferenceKind};
use crate::RefId;

/// Every reference of the REF block `src`.
pub(super) fn references(src: &str, year: u16, own: Option<&RefId>) -> Vec<Reference> {
    let toks = lex(src);
    let dead = page_noise(src, &toks);
    let items = items(src, &toks, &dead);
    let mut cx = Cx { src, toks: &toks, year, own, last_station: None, out: Vec::new() };
    for item in &items {
        cx.item(item);
    }
    cx.out
}

// ---------------------------------------------------------------- word lists

fn is_any(w: &str, list: &[&str]) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(w))
}

const REF_WORDS: &[&str] = &["REF", "REFS", "REFTEL", "REFTELS", "REFERENCE", "REFERENCES", "REFERENCED"];

#[rustfmt::skip]
const MONTHS: &[&str] = &[
    "JAN", "JANUARY", "FEB", "FEBRUARY", "MAR", "MARCH", "APR", "APRIL", "MAY", "JUN", "JUNE", "JUL",
    "JULY", "AUG", "AUGUST", "SEP", "SEPT", "SEPTEMBER", "OCT", "OCTOBER", "NOV", "NOVEMBER", "DEC",
    "DECEMBER",
];

/// Words that are never part of a station name.
#[rustfmt::skip]
const STOP: &[&str] = &[
    "AND", "OR", "OF", "TO", "FROM", "FOR", "ON", "IN", "AT", "BY", "WITH", "DATED", "SEE", "ALSO",
    "PREVIOUS", "PREVIOUSLY", "PRIOR", "OTHERS", "NOTAL", "PARA", "PARAS", "PARAGRAPH", "PARAGRAPHS",
    "PAGE", "SECTION", "NO", "NOS", "NR", "NUMBER", "NUMBERS", "TELEGRAM", "TELEGRAMS", "CONFIDENTIAL",
    "SECRET", "UNCLASSIFIED", "UNCLAS", "UNCLASS", "SBU", "NOFORN", "SIPDIS", "EXDIS", "NODIS",
    "LIMDIS", "STADIS", "THRU", "THROUGH", "AMEMBASSY", "EMBASSY", "AMCONSUL", "CONSULATE", "USMISSION",
    "IS", "ARE", "WAS", "AS", "AN", "CIRCULAR", "SEPTEL", "SEPTELS", "NIACT", "IMMEDIATE", "PRIORITY",
    "ROUTINE", "SUBJ", "SUBJECT", "CLASSIFIED", "NONE", "ITEM", "ITEMS", "ANNEX", "UNDER", "PER", "VIA",
    "AFTER", "BEFORE", "SINCE", "ABOUT", "RE", "PASS", "PLEASE", "PLS",
];

/// Words allowed between a station and its serial (`COLOMBO CABLES 0266`);
/// `TEL` too, but that also starts `TEL AVIV`.
const BETWEEN: &[&str] = &["CABLE", "CABLES"];
const BETWEEN_OR_STATION: &[&str] = &["TEL", "TELS"];

/// Classification markings and caveats that may stand in parentheses
/// inside a reference (`KUWAIT (C)02293`, `ANKARA 1561 (EXDIS)`).
#[rustfmt::skip]
const MARKS: &[&str] = &[
    "U", "C", "S", "SBU", "TS", "NF", "NOFORN", "FOUO", "REL", "ORCON", "NOTAL", "EXDIS", "NODIS",
    "LIMDIS", "STADIS", "SIPDIS",
];

const EMAIL: &[&str] = &["EMAIL", "EMAILS", "E-MAIL", "E-MAILS", "EMAILED", "E-MAILED"];
#[rustfmt::skip]
const TEL: &[&str] = &[
    "TELCON", "TELCONS", "TELECON", "TELECONS", "TELECONFERENCE", "TELEPHONE", "PHONE", "PHONECALL",
    "PHONECON",
];
#[rustfmt::skip]
const MEMO: &[&str] = &[
    "MEMO", "MEMOS", "MEMORANDUM", "MEMCON", "MEMCONS", "LETTER", "LETTERS", "DIPNOTE", "DIPNOTES",
    "NOTE", "O/I",
];
const BOOK: &[&str] = &["FAM", "FAH", "MANUAL", "HANDBOOK", "CFR"];
const REPORT: &[&str] =
    &["REPORT", "REPORTS", "IIR", "IIRS", "INCSR", "DAILY", "SITREP", "SITREPS", "TD", "TDX"];
#[rustfmt::skip]
const OTHER: &[&str] = &[
    "DTG", "MSG", "FAX", "MEETING", "MEETINGS", "MTG", "SVTC", "VTC", "DVC", "DVCS", "POINTS", "POINT",
    "OSC", "UNSCR", "RESOLUTION", "NONPAPER", "NON-PAPER", "PAPER", "STATEMENT", "SPEECH", "TESTIMONY",
    "ARTICLE", "WEBSITE", "SIPRNET", "CONVERSATION", "CONVERSATIONS", "DISCUSSION", "DISCUSSIONS",
    "BRIEFING", "AIRGRAM", "READOUT",
];

/// The kinds a non-cable reference can have, most specific first.
const KINDS: &[(ReferenceKind, &[&str])] = &[
    (ReferenceKind::Email, EMAIL),
    (ReferenceKind::Tel, TEL),
    (ReferenceKind::Memo, MEMO),
    (ReferenceKind::Book, BOOK),
    (ReferenceKind::Report, REPORT),
    (ReferenceKind::Other, OTHER),
];

/// Rank (index into `KINDS`) of the kind a word names.
fn word_kind(w: &str) -> Option<usize> {
    let whole = KINDS.iter().position(|(_, list)| is_any(w, list));
    if whole.is_some() || !w.contains(['-', '/', '.', '\'']) {
        return whole;
    }
    w.split(['-', '/', '.', '\'']).filter_map(|p| KINDS.iter().position(|(_, list)| is_any(p, list))).min()
}

const REPORT_RANK: usize = 4;

/// `314/21795-05`: the number of an intelligence report.
fn is_td_number(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: &[u8]| !r.is_empty() && r.iter().all(u8::is_ascii_digit);
    match (s.find('/'), s.rfind('-')) {
        (Some(3), Some(d)) if d > 4 => {
            digits(&b[..3]) && digits(&b[4..d]) && b.len() - d - 1 == 2 && digits(&b[d + 1..])
        }
        _ => false,
    }
}

fn is_keyword(w: &str) -> bool {
    word_kind(w).is_some()
}

fn is_redaction(w: &str) -> bool {
    w.len() >= 3 && w.bytes().all(|b| b == b'X' || b == b'x')
}

/// Can `w` be (part of) a station name? `prev` is the word before it in the name.
fn station_word(w: &str, prev: Option<&str>) -> bool {
    if !w.chars().next().is_some_and(char::is_alphabetic)
        || is_any(w, STOP)
        || is_any(w, BETWEEN)
        || is_any(w, REF_WORDS)
        || is_keyword(w)
        || is_redaction(w)
    {
        return false;
    }
    // "RIO DE JAN" is a station, "JULY 15" a date.
    !is_any(w, MONTHS) || prev.is_some_and(|p| p.eq_ignore_ascii_case("DE"))
}

/// A year as written before or after a serial: two digits, four digits
/// (1966-2030) or three with a leading zero (`094`).
fn year_value(v: u64, digits: usize) -> Option<u16> {
    match digits {
        2 => Some(v as u16),
        3 if v < 100 => Some(v as u16),
        4 if (1966..=2030).contains(&v) => Some(v as u16),
        _ => None,
    }
}

fn serial_ok(v: u64, digits: usize) -> bool {
    (1..=9_999_999).contains(&v) && digits <= 8
}

fn is_year_like(v: u64, digits: usize) -> bool {
    digits == 4 && (1966..=2030).contains(&v)
}

// ---------------------------------------------------------------- page noise

fn is_word(src: &str, t: &Tok, w: &str) -> bool {
    t.kind == Kind::Word && t.text(src).eq_ignore_ascii_case(w)
}

fn is_dtg(src: &str, t: &Tok) -> bool {
    let s = t.text(src).as_bytes();
    t.kind == Kind::Glued
        && s.len() == 7
        && s[..6].iter().all(u8::is_ascii_digit)
        && s[6].eq_ignore_ascii_case(&b'Z')
}

fn is_decimal(src: &str, t: &Tok) -> bool {
    t.kind == Kind::Code && t.text(src).bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Marks the tokens of page-break lines and section markers.
fn page_noise(src: &str, toks: &[Tok]) -> Vec<bool> {
    let n = toks.len();
    let mut dead = vec![false; n];
    let kind = |i: usize| toks.get(i).map(|t| t.kind);
    let mut i = 0;
    while i < n {
        let t = &toks[i];
        // PAGE 02 ROME 01196 01 OF 02 082030Z
        if is_word(src, t, "PAGE") && kind(i + 1) == Some(Kind::Num) {
            let to = (i + 2..n.min(i + 14)).find(|&k| is_dtg(src, &toks[k])).unwrap_or(i + 1);
            dead[i..=to].iter_mut().for_each(|d| *d = true);
            i = to + 1;
            continue;
        }
        // SECTION 01 OF 03
        if is_word(src, t, "SECTION")
            && kind(i + 1) == Some(Kind::Num)
            && toks.get(i + 2).is_some_and(|t| is_word(src, t, "OF"))
            && kind(i + 3) == Some(Kind::Num)
        {
            dead[i..i + 4].iter_mut().for_each(|d| *d = true);
            i += 4;
            continue;
        }
        // [station] 00000402 001.2 OF 003
        if t.kind == Kind::Num
            && toks.get(i + 1).is_some_and(|u| u.kind == Kind::Num || is_decimal(src, u))
            && toks.get(i + 2).is_some_and(|t| is_word(src, t, "OF"))
            && kind(i + 3) == Some(Kind::Num)
        {
            let mut from = i;
            while from > 0 && i - from < 4 && toks[from - 1].kind == Kind::Word && !dead[from - 1] {
                from -= 1;
            }
            dead[from..i + 4].iter_mut().for_each(|d| *d = true);
            i += 4;
            continue;
        }
        i += 1;
    }
    dead
}

// ---------------------------------------------------------------- items

/// One enumeration item (or one `;`-separated part of one).
struct Item {
    bullet: Option<char>,
    /// Indices into the token list, bullets and REF keywords left out.
    toks: Vec<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    Start,
    Bullet,
    Word,
    Other,
}

fn is_single_letter(src: &str, t: &Tok) -> Option<u8> {
    let s = t.text(src).as_bytes();
    (t.kind == Kind::Word && s.len() == 1 && s[0].is_ascii_alphabetic()).then(|| s[0].to_ascii_uppercase())
}

/// Cuts the live tokens into items.
fn items(src: &str, toks: &[Tok], dead: &[bool]) -> Vec<Item> {
    let live: Vec<usize> = (0..toks.len()).filter(|&i| !dead[i]).collect();
    let tk = |q: usize| live.get(q).map(|&i| &toks[i]);
    let mut out = Vec::new();
    let mut item = Item { bullet: None, toks: Vec::new() };
    let (mut cur, mut num, mut prev) = (None::<u8>, 0u64, Prev::Start);
    let mut p = 0;
    while let Some(t) = tk(p) {
        if t.kind == Kind::Word && is_any(t.text(src), REF_WORDS) {
            p += 1;
            if tk(p).is_some_and(|t| t.is_punct(':')) {
                p += 1;
            }
            if prev != Prev::Bullet {
                prev = Prev::Start;
            }
            continue;
        }
        if let Some((letter, len, punctuated)) = bullet_at(src, &tk, p) {
            let expected = cur.map_or(b'A', |c| c + 1);
            let merge = prev == Prev::Bullet && Some(letter) == cur;
            let ok = if punctuated {
                letter == expected
                    || merge
                    || (t.nl && (Some(letter) == cur || cur.is_some_and(|c| letter == c + 2)))
            } else {
                prev != Prev::Word && (letter == expected || merge)
            };
            if ok {
                if !merge {
                    out.push(std::mem::replace(
                        &mut item,
                        Item { bullet: Some(letter as char), toks: Vec::new() },
                    ));
                }
                cur = Some(letter);
                prev = Prev::Bullet;
                p += len;
                continue;
            }
        }
        // (1), (2): a numbered list
        if t.is_punct('(')
            && tk(p + 2).is_some_and(|t| t.is_punct(')'))
            && tk(p + 1).is_some_and(|t| t.kind == Kind::Num && num_value(t.text(src)) == Some((num + 1, 1)))
        {
            out.push(std::mem::replace(&mut item, Item { bullet: None, toks: Vec::new() }));
            num += 1;
            prev = Prev::Bullet;
            p += 3;
            continue;
        }
        if t.is_punct(';') {
            let bullet = item.bullet;
            out.push(std::mem::replace(&mut item, Item { bullet, toks: Vec::new() }));
            prev = Prev::Start;
            p += 1;
            continue;
        }
        item.toks.push(live[p]);
        prev = match t.kind {
            Kind::Word => Prev::Word,
            Kind::Punct('-') => prev,
            _ => Prev::Other,
        };
        p += 1;
    }
    out.push(item);
    out.retain(|i| !i.toks.is_empty());
    out
}

/// A bullet starting at live token `p`: its upper-case letter, how many
/// tokens it takes, and whether it is punctuated (`A.`, `B)`, `(C)`) rather
/// than a bare letter.
fn bullet_at<'t>(src: &str, tk: &impl Fn(usize) -> Option<&'t Tok>, p: usize) -> Option<(u8, usize, bool)> {
    let t0 = tk(p)?;
    if t0.is_punct('(') || t0.is_punct('[') {
        let close = if t0.is_punct('(') { ')' } else { ']' };
        let letter = is_single_letter(src, tk(p + 1)?)?;
        return tk(p + 2)?.is_punct(close).then_some((letter, 3, true));
    }
    let letter = is_single_letter(src, t0)?;
    // Not glued to what precedes it ("U.S." is one token anyway).
    if !t0.sp && p > 0 && !matches!(tk(p - 1).map(|t| t.kind), Some(Kind::Punct(_))) {
        return None;
    }
    let t1 = tk(p + 1)?;
    match t1.kind {
        Kind::Punct(')') | Kind::Punct(':') => Some((letter, 2, true)),
        Kind::Punct('.') => {
            Some((letter, if tk(p + 2).is_some_and(|t| t.is_punct(')')) { 3 } else { 2 }, true))
        }
        Kind::Word | Kind::Num | Kind::Glued | Kind::Code | Kind::Punct('-') if t1.sp => {
            Some((letter, 1, false))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------- atoms

/// What a token (or a parenthesised group) means inside an item.
#[derive(Debug, Clone)]
enum At {
    Word,
    Num {
        v: u64,
        digits: usize,
    },
    /// `(99)`, `(2002)`
    ParenYear(u16),
    /// `09DHAHRAN`, `HK05511`, `2005PANAMA2342`, `SANTIAG0`
    Glued {
        year: Option<u16>,
        station: String,
        serial: Option<u64>,
    },
    /// `10-OTTAWA-57`
    Id {
        year: u16,
        station: String,
        serial: u64,
    },
    /// `4525-91`, `00930/08`
    SerialYear {
        serial: u64,
        year: u16,
    },
    /// `692/317/274/162`
    List(Vec<u64>),
    Comma,
    Colon,
    Amp,
    Hash,
    Dot,
    /// `(C)`, `(NOTAL)`: allowed anywhere inside a reference.
    Mark,
    /// Anything that breaks a reference: comments in parentheses, codes, DTGs.
    Break,
}

#[derive(Debug, Clone)]
struct Atom {
    at: At,
    start: usize,
    end: usize,
}

/// Parses a glued token: `[year]station[serial]`, mending a zero typed for
/// the letter O (`SANTIAG0`, `COTON0U`, `0TTAWA`).
fn parse_glued(text: &str) -> Option<At> {
    if !text.is_ascii() {
        return None;
    }
    let mut b = text.as_bytes().to_vec();
    let n = b.len();
    let alpha = |b: &[u8], i: usize| b.get(i).is_some_and(u8::is_ascii_alphabetic);
    for i in 0..n {
        if b[i] != b'0' {
            continue;
        }
        let left = i > 0 && alpha(&b, i - 1);
        let right = alpha(&b, i + 1);
        let lead = i == 0 && right && b[1..].iter().take_while(|c| c.is_ascii_alphabetic()).count() >= 3;
        let trail =
            i + 1 == n && left && b[..i].iter().rev().take_while(|c| c.is_ascii_alphabetic()).count() >= 3;
        if (left && right) || lead || trail {
            b[i] = b'O';
        }
    }
    let d1 = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let l = b[d1..].iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let d2 = b[d1 + l..].iter().take_while(|c| c.is_ascii_digit()).count();
    if d1 + l + d2 != n || l < 2 {
        return None;
    }
    let s = std::str::from_utf8(&b).ok()?;
    let year = match d1 {
        0 => None,
        _ => Some(year_value(num_value(&s[..d1])?.0, d1)?),
    };
    let station = &s[d1..d1 + l];
    if !station_word(station, None) {
        return None;
    }
    let serial = match d2 {
        0 => None,
        _ => match num_value(&s[d1 + l..]) {
            Some((v, digits)) if serial_ok(v, digits) => Some(v),
            _ => return None,
        },
    };
    Some(At::Glued { year, station: station.to_owned(), serial })
}

/// Parses a code: `10-OTTAWA-57`, `4525-91`, `00930/08`, `692/317/274`;
/// dates, decimals and document numbers break.
fn parse_code(text: &str) -> At {
    let parts: Vec<&str> = text.split('-').collect();
    if let [y, st, se] = parts[..] {
        if y.bytes().all(|b| b.is_ascii_digit())
            && st.bytes().all(|b| b.is_ascii_alphabetic())
            && st.len() >= 2
        {
            if let (Some((yv, yd)), Some((sv, sd))) = (num_value(y), num_value(se)) {
                if let Some(year) = year_value(yv, yd).filter(|_| serial_ok(sv, sd)) {
                    return At::Id { year, station: st.to_owned(), serial: sv };
                }
            }
        }
    }
    if !text.bytes().all(|b| b.is_ascii_digit() || b == b'/' || b == b'-') {
        return At::Break;
    }
    if let [s, y] = parts[..] {
        if let (Some((sv, sd)), Some((yv, 2))) = (num_value(s), num_value(y)) {
            if sd >= 3 && serial_ok(sv, sd) && !s.contains('/') {
                return At::SerialYear { serial: sv, year: yv as u16 };
            }
        }
        return At::Break;
    }
    if parts.len() != 1 {
        return At::Break;
    }
    let nums: Vec<&str> = text.split('/').collect();
    let len = |i: usize| nums.get(i).map_or(0, |s| s.len());
    let is_date = (nums.len() == 2 && len(0) <= 2 && len(1) <= 2)
        || (nums.len() == 3 && len(0) <= 2 && len(1) <= 2 && matches!(len(2), 2 | 4));
    if is_date {
        return At::Break;
    }
    let values: Option<Vec<(u64, usize)>> = nums.iter().map(|s| num_value(s)).collect();
    let Some(values) = values else { return At::Break };
    if let [(sv, sd), (yv, 2)] = values[..] {
        if sd >= 3 && serial_ok(sv, sd) {
            return At::SerialYear { serial: sv, year: yv as u16 };
        }
    }
    if values.last().is_some_and(|&(v, d)| is_year_like(v, d))
        || !values.iter().all(|&(v, d)| serial_ok(v, d))
    {
        return At::Break;
    }
    At::List(values.into_iter().map(|(v, _)| v).collect())
}

// ---------------------------------------------------------------- matching

/// A cable reference found in an item, before canonicalisation.
struct Piece {
    year: Option<u16>,
    station: String,
    serial: u64,
    start: usize,
    end: usize,
}

struct Cx<'a> {
    src: &'a str,
    toks: &'a [Tok],
    year: u16,
    own: Option<&'a RefId>,
    /// Station of the last cable found, for a bare serial (`B. 2962`).
    last_station: Option<String>,
    out: Vec<Reference>,
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split(|c: char| c.is_whitespace() || c == '¶' || c == '\\').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

impl<'a> Cx<'a> {
    fn text(&self, start: usize, end: usize) -> &'a str {
        self.src.get(start..end).unwrap_or("")
    }

    fn word(&self, a: &Atom) -> Option<&'a str> {
        matches!(a.at, At::Word).then(|| self.text(a.start, a.end))
    }

    fn atoms(&self, item: &Item) -> Vec<Atom> {
        let src = self.src;
        let toks: Vec<&Tok> = item.toks.iter().map(|&i| &self.toks[i]).collect();
        let mut out = Vec::with_capacity(toks.len());
        let mut q = 0;
        while q < toks.len() {
            let t = toks[q];
            let text = t.text(src);
            let at = match t.kind {
                Kind::Word => At::Word,
                Kind::Num => match num_value(text) {
                    Some((v, digits)) => At::Num { v, digits },
                    None => At::Break,
                },
                Kind::Glued => parse_glued(text).unwrap_or(At::Break),
                Kind::Code => parse_code(text),
                Kind::Punct('(') => {
                    let (at, close) = self.paren(&toks, q);
                    out.push(Atom { at, start: t.start, end: toks[close].end });
                    q = close + 1;
                    continue;
                }
                Kind::Punct(',') => At::Comma,
                Kind::Punct(':') => At::Colon,
                Kind::Punct('&') => At::Amp,
                Kind::Punct('#') => At::Hash,
                Kind::Punct('.') => At::Dot,
                Kind::Punct('-' | '\'' | '"' | '`' | '*' | ')' | ']' | '_') => {
                    q += 1;
                    continue;
                }
                Kind::Punct(_) => At::Break,
            };
            out.push(Atom { at, start: t.start, end: t.end });
            q += 1;
        }
        out
    }

    /// Meaning of the parenthesised group opening at `toks[q]`, and the index
    /// of its closing parenthesis (`q` itself when it is not closed).
    fn paren(&self, toks: &[&Tok], q: usize) -> (At, usize) {
        let mut depth = 0;
        let mut close = None;
        for (r, t) in toks.iter().enumerate().skip(q).take(48) {
            if t.is_punct('(') {
                depth += 1;
            } else if t.is_punct(')') {
                depth -= 1;
                if depth == 0 {
                    close = Some(r);
                    break;
                }
            }
        }
        let Some(close) = close else { return (At::Break, q) };
        let inner = &toks[q + 1..close];
        let src = self.src;
        if let [t] = inner {
            if t.kind == Kind::Num {
                if let Some((v, digits)) = num_value(t.text(src)) {
                    if matches!(digits, 2 | 4) {
                        if let Some(y) = year_value(v, digits) {
                            return (At::ParenYear(y), close);
                        }
                    }
                    if digits == 1 {
                        return (At::Mark, close); // "406 (6)"
                    }
                }
            }
        }
        let mark = !inner.is_empty()
            && inner.iter().all(|t| {
                t.is_punct('/')
                    || (t.kind == Kind::Word
                        && t.text(src).split('/').all(|w| w.is_empty() || is_any(w, MARKS)))
            });
        (if mark { At::Mark } else { At::Break }, close)
    }

    /// Rank of the most specific kind named by the item's tokens from `from` on.
    fn kind_of(&self, item: &Item, from: usize) -> Option<usize> {
        let src = self.src;
        item.toks
            .iter()
            .map(|&i| &self.toks[i])
            .filter(|t| t.start >= from)
            .filter_map(|t| {
                let text = t.text(src);
                match t.kind {
                    Kind::Word => word_kind(text),
                    Kind::Code => {
                        // TD-314/21795-05, TDX-315/090481-08, 314/07696-07: intelligence reports.
                        let up = text.to_ascii_uppercase();
                        let number =
                            up.strip_prefix("TDX-").or_else(|| up.strip_prefix("TD-")).unwrap_or(&up);
                        let td = up.starts_with("TD") || is_td_number(number);
                        td.then_some(REPORT_RANK)
                    }
                    Kind::Glued => {
                        let dtg =
                            text.len() > 3 && text.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("DTG"));
                        dtg.then_some(KINDS.len() - 1)
                    }
                    _ => None,
                }
            })
            .min()
    }

    fn item(&mut self, item: &Item) {
        let atoms = self.atoms(item);
        if atoms.is_empty() {
            return;
        }
        if self.kind_of(item, 0).is_some() {
            self.document_item(item, &atoms);
            return;
        }
        let mut j = 0;
        if let Some((pieces, next)) = self.match_at(&atoms, 0).or_else(|| self.item_start(&atoms)) {
            self.emit(pieces, item.bullet);
            j = next;
        }
        while j < atoms.len() {
            match self.match_at(&atoms, j) {
                Some((pieces, next)) => {
                    self.emit(pieces, item.bullet);
                    j = next;
                }
                None => j += 1,
            }
        }
    }

    /// An item naming a document: the cables it starts with, then the
    /// document when it is joined to them (`STATE 12 AND SMITH EMAIL`) or
    /// the whole item.
    fn document_item(&mut self, item: &Item, atoms: &[Atom]) {
        let mut j = 0;
        let mut joined = true;
        loop {
            let from = j;
            while atoms.get(j).is_some_and(|a| matches!(a.at, At::Mark)) {
                j += 1;
            }
            match self.match_at(atoms, j) {
                Some((pieces, next)) => {
                    self.emit(pieces, item.bullet);
                    j = next;
                    joined = false;
                    while let Some(a) = atoms.get(j) {
                        let connector = matches!(a.at, At::Comma | At::Amp)
                            || self.word(a).is_some_and(|w| w.eq_ignore_ascii_case("AND"));
                        if !connector {
                            break;
                        }
                        joined = true;
                        j += 1;
                    }
                }
                None => {
                    j = from;
                    break;
                }
            }
        }
        let Some(first) = atoms.get(j) else { return };
        if !joined {
            return; // a title or comment after a cable
        }
        let Some(rank) = self.kind_of(item, first.start) else { return };
        let end = item
            .toks
            .iter()
            .map(|&i| &self.toks[i])
            .filter(|t| !t.is_punct(';') && !t.is_punct(','))
            .map(|t| t.end)
            .max()
            .unwrap_or(first.end);
        let text = collapse(self.text(first.start, end.max(first.end)));
        if !text.is_empty() {
            self.out.push(Reference {
                kind: KINDS[rank].0,
                cable: None,
                text,
                bullet: item.bullet,
                year_inferred: false,
            });
        }
    }

    fn station_starts(&self, atoms: &[Atom], j: usize) -> bool {
        match atoms.get(j).map(|a| &a.at) {
            Some(At::Word) => {
                let w = self.text(atoms[j].start, atoms[j].end);
                w.len() >= 2 && station_word(w, None)
            }
            Some(At::Glued { year: None, .. }) => true,
            _ => false,
        }
    }

    /// Is `atoms[j]` a number that is the year of the reference after it?
    fn is_year_before(&self, atoms: &[Atom], j: usize) -> bool {
        match atoms.get(j).map(|a| &a.at) {
            Some(&At::Num { v, digits }) => {
                year_value(v, digits).is_some() && self.cable_starts(atoms, j + 1)
            }
            _ => false,
        }
    }

    /// Does a station followed by a serial start at `atoms[j]`? (A cheap
    /// look ahead: `MANAGUA 49 -- ORTEGA ATTACKS` has no serial after the words.)
    fn cable_starts(&self, atoms: &[Atom], j: usize) -> bool {
        let k = match atoms.get(j).map(|a| &a.at) {
            Some(At::Glued { year: None, serial: Some(_), .. }) => return true,
            Some(At::Glued { year: None, .. }) => j + 1,
            Some(At::Word) if self.station_starts(atoms, j) => match self.station_run(atoms, j) {
                Some((_, k)) => k,
                None => return false,
            },
            _ => return false,
        };
        let k = (k..k + 3)
            .find(|&k| match atoms.get(k).map(|a| &a.at) {
                Some(At::Colon | At::Comma | At::Hash | At::Mark | At::ParenYear(_)) => false,
                Some(At::Word) => !is_any(self.text(atoms[k].start, atoms[k].end), BETWEEN),
                _ => true,
            })
            .unwrap_or(k + 3);
        matches!(atoms.get(k).map(|a| &a.at), Some(At::Num { .. } | At::List(_) | At::SerialYear { .. }))
    }

    /// The station name starting at word `atoms[j]` (up to four words) and
    /// the index after it.
    fn station_run(&self, atoms: &[Atom], j: usize) -> Option<(String, usize)> {
        let mut words: Vec<&str> = Vec::new();
        let mut k = j;
        while let Some(a) = atoms.get(k) {
            match a.at {
                At::Word => {
                    let w = self.text(a.start, a.end);
                    if !station_word(w, words.last().copied()) || (words.is_empty() && w.len() < 2) {
                        break;
                    }
                    if words.len() == 4 {
                        return None; // too long for a station: prose
                    }
                    words.push(w);
                    k += 1;
                }
                // "ST. PETERSBURG"
                At::Dot
                    if words.last().is_some_and(|w| w.eq_ignore_ascii_case("ST"))
                        && atoms.get(k + 1).is_some_and(|a| matches!(a.at, At::Word)) =>
                {
                    k += 1;
                }
                _ => break,
            }
        }
        while words.len() > 1 && words.last().is_some_and(|w| is_any(w, BETWEEN_OR_STATION)) {
            words.pop();
        }
        (!words.is_empty()).then(|| (words.join(" "), k))
    }

    /// A cable reference starting at `atoms[i]`, with any serials sharing its
    /// station, and the index after it.
    fn match_at(&self, atoms: &[Atom], i: usize) -> Option<(Vec<Piece>, usize)> {
        let start = atoms.get(i)?.start;
        let mut j = i;
        let mut year = None;
        if let At::Id { year: y, station, serial } = &atoms[j].at {
            let piece =
                Piece { year: Some(*y), station: station.clone(), serial: *serial, start, end: atoms[j].end };
            return Some(self.tail(atoms, j + 1, vec![piece], Some(*y), 4));
        }
        match atoms[j].at {
            At::Num { v, digits } if self.is_year_before(atoms, j) => {
                year = year_value(v, digits);
                j += 1;
            }
            At::ParenYear(y) if self.cable_starts(atoms, j + 1) => {
                year = Some(y);
                j += 1;
            }
            _ => {}
        }
        let station = match &atoms[j].at {
            At::Glued { year: gy, station, serial } => {
                if gy.is_some() {
                    year = *gy;
                }
                j += 1;
                if let Some(serial) = *serial {
                    let piece =
                        Piece { year, station: station.clone(), serial, start, end: atoms[j - 1].end };
                    return Some(self.tail(atoms, j, vec![piece], year, 4));
                }
                station.clone()
            }
            At::Word => {
                if j == i && i > 0 && self.word(&atoms[i - 1]).is_some_and(|w| station_word(w, None)) {
                    return None; // inside a longer run of words
                }
                let (station, k) = self.station_run(atoms, j)?;
                j = k;
                station
            }
            _ => return None,
        };
        // Between station and serial: "STATE: 73097", "PRAGUE, 1228", "BAGHDAD #3565",
        // "KUWAIT (C)02293", "STATE (01) 201265", "COLOMBO CABLES 0266".
        for _ in 0..3 {
            match atoms.get(j).map(|a| &a.at) {
                Some(At::Colon | At::Comma | At::Hash | At::Mark) => j += 1,
                Some(&At::ParenYear(y)) => {
                    year = Some(y);
                    j += 1;
                }
                Some(At::Word) if is_any(self.text(atoms[j].start, atoms[j].end), BETWEEN) => j += 1,
                _ => break,
            }
        }
        let a = atoms.get(j)?;
        let mut pieces = Vec::new();
        let mut digits_of_last = 0;
        match &a.at {
            &At::Num { v, digits } if serial_ok(v, digits) => {
                if self.is_year_before(atoms, j) {
                    return None;
                }
                if atoms.get(j + 1).and_then(|a| self.word(a)).is_some_and(|w| is_any(w, MONTHS)) {
                    return None; // "POINTS 20 SEPTEMBER 2007": a date
                }
                pieces.push(Piece { year, station: station.clone(), serial: v, start, end: a.end });
                digits_of_last = digits;
            }
            &At::SerialYear { serial, year: y } => {
                pieces.push(Piece { year: Some(y), station: station.clone(), serial, start, end: a.end });
            }
            At::List(serials) => {
                for (n, &serial) in serials.iter().enumerate() {
                    let start = if n == 0 { start } else { a.start };
                    pieces.push(Piece { year, station: station.clone(), serial, start, end: a.end });
                }
            }
            _ => return None,
        }
        Some(self.tail(atoms, j + 1, pieces, year, digits_of_last))
    }

    /// After a serial: a year written after it, then more serials of the
    /// same station (`AND 2764`, `, 12155`, `& 17`).
    fn tail(
        &self,
        atoms: &[Atom],
        mut j: usize,
        mut pieces: Vec<Piece>,
        year: Option<u16>,
        digits_of_last: usize,
    ) -> (Vec<Piece>, usize) {
        j = self.suffix_year(atoms, j, &mut pieces, digits_of_last);
        let station = pieces.last().map(|p| p.station.clone()).unwrap_or_default();
        while let Some(a) = atoms.get(j) {
            let connector = matches!(a.at, At::Comma | At::Amp)
                || self.word(a).is_some_and(|w| w.eq_ignore_ascii_case("AND"));
            if !connector {
                break;
            }
            let Some(b) = atoms.get(j + 1) else { break };
            match &b.at {
                &At::Num { v, digits }
                    if serial_ok(v, digits)
                        && !is_year_like(v, digits)
                        && !self.is_year_before(atoms, j + 1) =>
                {
                    pieces.push(Piece {
                        year,
                        station: station.clone(),
                        serial: v,
                        start: b.start,
                        end: b.end,
                    });
                    j = self.suffix_year(atoms, j + 2, &mut pieces, digits);
                }
                &At::SerialYear { serial, year: y } => {
                    pieces.push(Piece {
                        year: Some(y),
                        station: station.clone(),
                        serial,
                        start: b.start,
                        end: b.end,
                    });
                    j += 2;
                }
                At::List(serials) => {
                    for &serial in serials {
                        pieces.push(Piece {
                            year,
                            station: station.clone(),
                            serial,
                            start: b.start,
                            end: b.end,
                        });
                    }
                    j += 2;
                }
                _ => break,
            }
        }
        (pieces, j)
    }

    /// A year after the last serial: `ASUNCION 701 (08)`, `AMMAN 07718 99`,
    /// `MOSCOW 03242 2008`; then markings such as `(NOTAL)`.
    fn suffix_year(
        &self,
        atoms: &[Atom],
        mut j: usize,
        pieces: &mut [Piece],
        digits_of_last: usize,
    ) -> usize {
        let Some(last) = pieces.last_mut() else { return j };
        if let Some(a) = atoms.get(j) {
            let year = match a.at {
                At::ParenYear(y) if !self.cable_starts(atoms, j + 1) => Some(y),
                At::Num { v, digits }
                    if ((digits == 2 && digits_of_last >= 4) || is_year_like(v, digits))
                        && !self.cable_starts(atoms, j + 1)
                        && !matches!(atoms.get(j + 1).map(|a| &a.at), Some(At::Num { .. } | At::Break)) =>
                {
                    year_value(v, digits)
                }
                _ => None,
            };
            if let Some(y) = year {
                last.year = Some(y);
                last.end = a.end;
                j += 1;
            }
        }
        while atoms.get(j).is_some_and(|a| matches!(a.at, At::Mark)) {
            j += 1;
        }
        j
    }

    /// Forms only found at the start of an item: a serial before its station
    /// (`870 Ulaanbaatar`) and a bare serial of the station cited last
    /// (`B. 2962 AND PREVIOUS`).
    fn item_start(&self, atoms: &[Atom]) -> Option<(Vec<Piece>, usize)> {
        let a = atoms.first()?;
        let At::Num { v, digits } = a.at else { return None };
        if digits < 3 || !serial_ok(v, digits) || is_year_like(v, digits) || year_value(v, digits).is_some() {
            return None;
        }
        if self.station_starts(atoms, 1) {
            let (station, k) = self.station_run(atoms, 1)?;
            if matches!(
                atoms.get(k).map(|a| &a.at),
                Some(At::Num { .. } | At::List(_) | At::SerialYear { .. } | At::Glued { .. })
            ) {
                return None;
            }
            let piece = Piece { year: None, station, serial: v, start: a.start, end: atoms[k - 1].end };
            return Some((vec![piece], k));
        }
        let bare = match atoms.get(1) {
            None => true,
            Some(b) => {
                matches!(b.at, At::Comma | At::Mark | At::Break)
                    || self.word(b).is_some_and(|w| w.eq_ignore_ascii_case("AND"))
            }
        };
        if !bare {
            return None;
        }
        let station = self.last_station.clone().or_else(|| self.own.map(|id| id.station().to_owned()))?;
        Some((vec![Piece { year: None, station, serial: v, start: a.start, end: a.end }], 1))
    }

    fn emit(&mut self, pieces: Vec<Piece>, bullet: Option<char>) {
        for p in pieces {
            let year = p.year.unwrap_or(self.year);
            let Ok(mut id) = RefId::from_parts(year, &p.station, p.serial) else { continue };
            // A station's serials count up through the year: a cable citing
            // its own station's serial at or above its own, with no year
            // written, cites last year's.
            if let Some(own) = self.own.filter(|o| p.year.is_none() && o.station() == id.station()) {
                if id.serial() >= own.serial() && own.year() == year {
                    if let Ok(prev) = RefId::from_parts(year - 1, &p.station, p.serial) {
                        id = prev;
                    }
                }
            }
            self.last_station = Some(p.station);
            if self.own == Some(&id) {
                continue;
            }
            let text = collapse(self.text(p.start, p.end));
            self.out.push(Reference {
                kind: ReferenceKind::Cable,
                cable: Some(id),
                text,
                bullet,
                year_inferred: p.year.is_none(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_ranks() {
        assert_eq!(KINDS[REPORT_RANK].0, ReferenceKind::Report);
        assert_eq!(KINDS.last().map(|k| k.0), Some(ReferenceKind::Other));
        assert_eq!(word_kind("KHAN-MORIMOTO"), None);
        assert_eq!(word_kind("EMAILS/TELCONS").map(|r| KINDS[r].0), Some(ReferenceKind::Email));
        assert!(is_td_number("314/21795-05"));
        assert!(!is_td_number("201/2006"));
    }

    #[test]
    fn glued_and_codes() {
        let g = |s| match parse_glued(s) {
            Some(At::Glued { year, station, serial }) => Some((year, station, serial)),
            _ => None,
        };
        assert_eq!(g("09DHAHRAN"), Some((Some(9), "DHAHRAN".to_owned(), None)));
        assert_eq!(g("HK05511"), Some((None, "HK".to_owned(), Some(5511))));
        assert_eq!(g("SANTIAG0"), Some((None, "SANTIAGO".to_owned(), None)));
        assert_eq!(g("COTON0U"), Some((None, "COTONOU".to_owned(), None)));
        assert_eq!(g("082030Z"), None);
        assert_eq!(g("9TH"), None);
        assert_eq!(g("D328589"), None);
        assert!(matches!(parse_code("10-OTTAWA-57"), At::Id { year: 10, serial: 57, .. }));
        assert!(matches!(parse_code("4525-91"), At::SerialYear { serial: 4525, year: 91 }));
        assert!(matches!(parse_code("00930/08"), At::SerialYear { serial: 930, year: 8 }));
        assert!(matches!(parse_code("692/317/274"), At::List(ref v) if v == &[692, 317, 274]));
        assert!(matches!(parse_code("12/10/2008"), At::Break));
        assert!(matches!(parse_code("201/2006"), At::Break));
        assert!(matches!(parse_code("TD-314/21795-05"), At::Break));
    }
}
