//! An article as blocks of text (HTML or plain text), the quoted passages in
//! it, and the editorial marks inside each quote (ellipses, bracketed
//! insertions, parenthesised words, redactions).

use super::normalize::{tokenize, word_hash, Token};

/// The paragraphs of an article: HTML made text, or plain text split at
/// blank lines. White space is collapsed.
pub fn blocks(input: &str) -> Vec<String> {
    if looks_like_html(input) {
        html_blocks(input)
    } else {
        text_blocks(input)
    }
}

/// Whether an input is HTML rather than plain text.
pub fn looks_like_html(input: &str) -> bool {
    let head: String = input.chars().take(4_000).collect::<String>().to_ascii_lowercase();
    ["<html", "<body", "<!doctype", "<p>", "<p ", "<div", "<br", "<article", "<blockquote"]
        .iter()
        .any(|t| head.contains(t))
}

fn text_blocks(input: &str) -> Vec<String> {
    let text = input.replace("\r\n", "\n").replace('\r', "\n");
    let has_blank = text
        .lines()
        .collect::<Vec<_>>()
        .windows(2)
        .any(|w| w[1].trim().is_empty() && !w[0].trim().is_empty());
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        if line.trim().is_empty() || !has_blank {
            if !has_blank {
                cur.push_str(line);
            }
            push_block(&mut out, &cur);
            cur.clear();
        } else {
            cur.push_str(line);
            cur.push('\n');
        }
    }
    push_block(&mut out, &cur);
    out
}

fn push_block(out: &mut Vec<String>, raw: &str) {
    let t = collapse_ws(raw);
    if !t.is_empty() {
        out.push(t);
    }
}

/// Collapses runs of white space (no-break spaces included) into one space, trimmed.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Elements whose contents are never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "head", "noscript", "template", "svg", "math", "nav", "select", "iframe", "button",
    "object",
];

/// Elements that start and end a block of text.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "main",
    "figure",
    "figcaption",
    "hr",
    "dl",
    "dt",
    "dd",
    "form",
    "address",
    "caption",
    "fieldset",
    "legend",
    "center",
];

struct BlockBuilder {
    out: Vec<String>,
    text: String,
    chars: usize,
    link_chars: usize,
    pending_br: bool,
}

impl BlockBuilder {
    fn text(&mut self, t: &str, in_link: bool) {
        let n = t.chars().filter(|c| !c.is_whitespace()).count();
        if n > 0 {
            self.pending_br = false;
        }
        self.chars += n;
        if in_link {
            self.link_chars += n;
        }
        self.text.push_str(t);
    }

    fn flush(&mut self) {
        // navigation: blocks that are mostly link text
        if self.link_chars * 2 <= self.chars {
            push_block(&mut self.out, &self.text);
        }
        self.text.clear();
        self.chars = 0;
        self.link_chars = 0;
        self.pending_br = false;
    }
}

fn html_blocks(input: &str) -> Vec<String> {
    let lower = input.to_ascii_lowercase();
    let has_container = has_tag(&lower, "article") || has_tag(&lower, "main");
    let mut b =
        BlockBuilder { out: Vec::new(), text: String::new(), chars: 0, link_chars: 0, pending_br: false };
    let mut container_depth = 0usize;
    let mut link_depth = 0usize;
    let mut at = 0usize;
    let bytes = input.as_bytes();
    while at < input.len() {
        let Some(lt) = input[at..].find('<').map(|p| at + p) else {
            if !has_container || container_depth > 0 {
                b.text(&decode(&input[at..]), link_depth > 0);
            }
            break;
        };
        if lt > at && (!has_container || container_depth > 0) {
            b.text(&decode(&input[at..lt]), link_depth > 0);
        }
        // comments, doctype, processing instructions
        if lower[lt..].starts_with("<!--") {
            at = lower[lt + 4..].find("-->").map_or(input.len(), |e| lt + 4 + e + 3);
            continue;
        }
        let Some(end) = tag_end(bytes, lt) else {
            // a lone '<' in text
            if !has_container || container_depth > 0 {
                b.text("<", link_depth > 0);
            }
            at = lt + 1;
            continue;
        };
        let tag = &lower[lt + 1..end];
        at = end + 1;
        let closing = tag.starts_with('/');
        let name: String =
            tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if name.is_empty() {
            if !tag.starts_with('!') && !tag.starts_with('?') && (!has_container || container_depth > 0) {
                // not a tag: "a < b"
                b.text(&decode(&input[lt..at]), link_depth > 0);
            }
            continue;
        }
        if !closing && SKIPPED.contains(&name.as_str()) && !tag.ends_with('/') {
            let close = format!("</{name}");
            at = match lower[at..].find(&close) {
                Some(p) => lower[at + p..].find('>').map_or(input.len(), |e| at + p + e + 1),
                None => input.len(),
            };
            continue;
        }
        match name.as_str() {
            "a" => {
                if closing {
                    link_depth = link_depth.saturating_sub(1);
                } else if !tag.ends_with('/') {
                    link_depth += 1;
                }
            }
            "br" => {
                if b.pending_br {
                    b.flush();
                } else {
                    b.text.push(' ');
                    b.pending_br = true;
                }
            }
            n if BLOCK.contains(&n) => {
                b.flush();
                if n == "article" || n == "main" {
                    if closing {
                        container_depth = container_depth.saturating_sub(1);
                    } else {
                        container_depth += 1;
                    }
                }
            }
            _ => {}
        }
    }
    b.flush();
    b.out
}

fn has_tag(lower: &str, name: &str) -> bool {
    let open = format!("<{name}");
    lower.match_indices(&open).any(|(p, _)| {
        lower.as_bytes().get(p + open.len()).is_some_and(|&c| c == b'>' || c.is_ascii_whitespace())
    })
}

/// The index of the `>` ending the tag opened at `lt`, skipping quoted
/// attribute values; `None` when this `<` does not open a tag.
fn tag_end(bytes: &[u8], lt: usize) -> Option<usize> {
    let first = *bytes.get(lt + 1)?;
    if !(first.is_ascii_alphabetic() || first == b'/' || first == b'!' || first == b'?') {
        return None;
    }
    let mut quote: Option<u8> = None;
    let mut i = lt + 1;
    while let Some(&c) = bytes.get(i) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => {
                // quotes only delimit attribute values (after '=')
                let prev = bytes[..i].iter().rev().find(|b| !b.is_ascii_whitespace());
                if prev == Some(&b'=') {
                    quote = Some(c);
                }
            }
            None if c == b'>' => return Some(i),
            None => {}
        }
        i += 1;
        if i - lt > 10_000 {
            return None;
        }
    }
    None
}

/// Named entities common in articles, beyond those of cable pages.
const ENTITIES: &[(&str, &str)] = &[
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("sbquo", "‚"),
    ("bdquo", "„"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("lsaquo", "‹"),
    ("rsaquo", "›"),
    ("hellip", "…"),
    ("mdash", "—"),
    ("ndash", "–"),
    ("minus", "−"),
    ("shy", "\u{ad}"),
    ("nbsp", " "),
    ("thinsp", " "),
    ("ensp", " "),
    ("emsp", " "),
    ("zwj", ""),
    ("zwnj", ""),
    ("middot", "·"),
    ("bull", "•"),
    ("prime", "′"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("deg", "°"),
    ("para", "¶"),
    ("sect", "§"),
    ("euro", "€"),
    ("pound", "£"),
    ("aacute", "á"),
    ("agrave", "à"),
    ("acirc", "â"),
    ("atilde", "ã"),
    ("auml", "ä"),
    ("ccedil", "ç"),
    ("eacute", "é"),
    ("egrave", "è"),
    ("ecirc", "ê"),
    ("euml", "ë"),
    ("iacute", "í"),
    ("icirc", "î"),
    ("iuml", "ï"),
    ("ntilde", "ñ"),
    ("oacute", "ó"),
    ("ocirc", "ô"),
    ("otilde", "õ"),
    ("ouml", "ö"),
    ("uacute", "ú"),
    ("ucirc", "û"),
    ("uuml", "ü"),
    ("szlig", "ß"),
    ("Aacute", "Á"),
    ("Eacute", "É"),
    ("Oacute", "Ó"),
    ("Uacute", "Ú"),
    ("Ccedil", "Ç"),
    ("Ntilde", "Ñ"),
];

/// Decodes HTML entities: the named ones of [`ENTITIES`], then numeric and
/// XML ones as cable pages are decoded.
pub fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        let name_len = after.bytes().take(10).take_while(u8::is_ascii_alphanumeric).count();
        let name = &after[..name_len];
        let found = (after.as_bytes().get(name_len) == Some(&b';'))
            .then(|| ENTITIES.iter().find(|(n, _)| *n == name))
            .flatten();
        match found {
            Some((_, v)) => {
                out.push_str(v);
                rest = &after[name_len + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    cable::source::html::decode_entities(&out)
}

/// Double or single quotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Double,
    Single,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open(Family),
    Close(Family),
    /// Either, depending on what is open (a straight mark between spaces or letters).
    Either(Family),
}

fn opens_after(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | '“' | '‘' | '«' | '„' | ':')
}

fn closes_before(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '.' | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | ')'
                | ']'
                | '}'
                | '—'
                | '–'
                | '-'
                | '/'
                | '”'
                | '’'
                | '»'
                | '…'
        )
}

fn classify(prev: Option<char>, c: char, next: Option<char>) -> Option<Mark> {
    let before_ok = prev.is_none_or(opens_after);
    let after_ok = next.is_none_or(closes_before);
    let prev_alnum = prev.is_some_and(char::is_alphanumeric);
    let next_alnum = next.is_some_and(char::is_alphanumeric);
    Some(match c {
        '“' | '„' | '«' => Mark::Open(Family::Double),
        '”' | '»' => Mark::Close(Family::Double),
        '"' => match (before_ok, after_ok) {
            (true, false) => Mark::Open(Family::Double),
            (false, true) => Mark::Close(Family::Double),
            _ => Mark::Either(Family::Double),
        },
        '‘' => {
            if prev_alnum {
                return None; // an apostrophe typed as an opening mark
            }
            Mark::Open(Family::Single)
        }
        '’' | '\'' => {
            if prev_alnum && next_alnum {
                return None; // apostrophe: don't, Zelaya’s
            }
            match (before_ok, after_ok) {
                (true, false) if next_alnum || next.is_some_and(|n| matches!(n, '(' | '[' | '“' | '"')) => {
                    Mark::Open(Family::Single)
                }
                (false, true) => Mark::Close(Family::Single),
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// An open quotation mark waiting for its close.
struct OpenQuote {
    family: Family,
    straight: bool,
    mark: usize,
    start: usize,
    children: Vec<Span>,
}

/// A quoted passage in a block: the byte range of its text (without the
/// marks) and of the whole (with them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Start of the opening mark.
    pub mark: usize,
    /// Start of the quoted text.
    pub start: usize,
    /// End of the quoted text.
    pub end: usize,
    /// End of the closing mark (= `end` when unclosed).
    pub after: usize,
}

/// The top-level quoted passages of a block, in order. Nested quotes are
/// part of the passage that holds them. A quote still open at the end of a
/// block ends there (the convention for quotes running over paragraphs);
/// when an unclosed straight mark holds complete quotes, the mark is taken
/// for a stray one and the quotes inside it stand on their own.
pub fn quote_spans(block: &str) -> Vec<Span> {
    let chars: Vec<(usize, char)> = block.char_indices().collect();
    let mut stack: Vec<OpenQuote> = Vec::new();
    let mut out: Vec<Span> = Vec::new();
    for (i, &(pos, c)) in chars.iter().enumerate() {
        if !matches!(c, '"' | '“' | '”' | '„' | '«' | '»' | '‘' | '’' | '\'') {
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).map(|&(_, c)| c);
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let Some(mark) = classify(prev, c, next) else { continue };
        // a plural possessive (`the Ministers' view`) when a later mark closes the quote
        if mark == Mark::Close(Family::Single)
            && prev.is_some_and(|p| p == 's' || p == 'S')
            && next.is_some_and(char::is_whitespace)
            && later_single_close(&chars, i + 1)
        {
            continue;
        }
        let after = pos + c.len_utf8();
        let open_of = |f: Family, stack: &[OpenQuote]| stack.iter().rposition(|o| o.family == f);
        let mark = match mark {
            Mark::Either(f) => {
                // a straight mark closes an open quote of its kind when the
                // innermost open quote is of its kind, else opens one
                if stack.last().is_some_and(|o| o.family == f) {
                    Mark::Close(f)
                } else if next.is_some_and(|n| !n.is_whitespace()) {
                    Mark::Open(f)
                } else {
                    continue;
                }
            }
            m => m,
        };
        match mark {
            Mark::Open(f) => stack.push(OpenQuote {
                family: f,
                straight: !matches!(c, '“' | '„' | '«' | '‘'),
                mark: pos,
                start: after,
                children: Vec::new(),
            }),
            Mark::Close(f) => {
                let Some(idx) = open_of(f, &stack) else { continue };
                stack.truncate(idx + 1);
                let Some(o) = stack.pop() else { continue };
                let span = Span { mark: o.mark, start: o.start, end: pos, after };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(span),
                    None => out.push(span),
                }
            }
            Mark::Either(_) => {}
        }
    }
    if let Some(first) = stack.into_iter().next() {
        let end = block.len();
        if first.children.is_empty() || !first.straight {
            out.push(Span { mark: first.mark, start: first.start, end, after: end });
        } else {
            if let Some(c) = first.children.first() {
                if c.mark > first.start {
                    out.push(Span { mark: first.mark, start: first.start, end: c.mark, after: c.mark });
                }
            }
            out.extend(first.children);
        }
    }
    out.retain(|s| block.get(s.start..s.end).is_some_and(|t| t.chars().any(char::is_alphanumeric)));
    out
}

/// Whether a closing single mark follows (before any opening one).
fn later_single_close(chars: &[(usize, char)], from: usize) -> bool {
    for k in from..chars.len() {
        let c = chars[k].1;
        if !matches!(c, '’' | '\'' | '‘') {
            continue;
        }
        let prev = k.checked_sub(1).and_then(|p| chars.get(p)).map(|&(_, c)| c);
        let next = chars.get(k + 1).map(|&(_, c)| c);
        match classify(prev, c, next) {
            Some(Mark::Close(Family::Single)) => return true,
            Some(Mark::Open(Family::Single)) => return false,
            _ => {}
        }
    }
    false
}

/// What a gap inside a quote is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GapKind {
    /// An ellipsis: words left out.
    Ellipsis,
    /// A bracketed insertion (`[U.S. government]`), standing for cable words.
    Bracket,
    /// A redacted name (`XXXXXXXXXXXX`).
    Redaction,
    /// The attribution between two halves of a split quote (`he said`).
    Attribution,
}

/// A gap inside a quote and the text that marks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// What it is.
    pub kind: GapKind,
    /// The marker as written (`…`, `[U.S. government]`, `he said`).
    pub text: String,
}

/// A quote of an article, ready to match.
#[derive(Debug, Clone)]
pub struct ArticleQuote {
    /// Article block (paragraph) number, from 1.
    pub block: usize,
    /// The quoted text of each part (two for a quote split by its attribution).
    pub parts: Vec<String>,
    /// The attribution between the parts of a split quote.
    pub attribution: Option<String>,
    /// Words and gaps.
    pub words: Vec<QuoteWord>,
    /// The text the words' spans refer to.
    pub text: String,
    /// The gaps (indexed by [`QuoteWord::gap_before`]).
    pub gaps: Vec<Gap>,
}

/// A word of a quote.
#[derive(Debug, Clone, Copy)]
pub struct QuoteWord {
    /// The normalised token (spans into [`ArticleQuote::text`]).
    pub token: Token,
    /// The word without letters the journalist inserted (`fail(ing)`: `fail`).
    pub alt: Option<u64>,
    /// In parentheses: maybe the journalist's, maybe the cable's.
    pub optional: bool,
    /// A gap (index into [`ArticleQuote::gaps`]) right before this word.
    pub gap_before: Option<usize>,
    /// The gap before this word marks left-out words (an ellipsis, a
    /// bracket, a redaction; not the attribution inside a split quote): the
    /// cable may have words there that the quote does not.
    pub omission_before: bool,
}

impl ArticleQuote {
    /// The quote as shown: the parts of a split quote joined by ` / `.
    pub fn display(&self) -> String {
        self.parts.join(" / ")
    }

    /// Number of words.
    pub fn word_count(&self) -> usize {
        self.words.len()
    }
}

/// The quotes of an article's blocks, split quotes joined.
pub fn quotes(blocks: &[String]) -> Vec<ArticleQuote> {
    let mut out = Vec::new();
    for (bi, block) in blocks.iter().enumerate() {
        let spans = quote_spans(block);
        let mut i = 0;
        while i < spans.len() {
            let a = spans[i];
            let mut parts = vec![text_of(block, a)];
            let mut attribution = None;
            if let Some(&b) = spans.get(i + 1) {
                if let Some(gap) = split_attribution(block, a, b) {
                    parts.push(text_of(block, b));
                    attribution = Some(gap);
                    i += 1;
                }
            }
            i += 1;
            let q = build_quote(bi + 1, parts, attribution);
            if !q.words.is_empty() {
                out.push(q);
            }
        }
    }
    out
}

fn text_of(block: &str, s: Span) -> String {
    collapse_ws(block.get(s.start..s.end).unwrap_or(""))
}

/// When quote `b` continues quote `a` after a short attribution
/// (`"...," he said, "..."`), the attribution.
fn split_attribution(block: &str, a: Span, b: Span) -> Option<String> {
    let inner = block.get(a.start..a.end)?.trim_end();
    let gap = block.get(a.after..b.mark)?;
    let gap_t = gap.trim();
    let comma = inner.ends_with(',') || gap_t.starts_with(',');
    if !comma {
        return None;
    }
    let words = gap_t.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
    if words == 0 || words > 8 || gap_t.contains(['.', '!', '?', ';', ':', '(', ')']) {
        return None;
    }
    let first = block.get(b.start..b.end)?.chars().find(|c| c.is_alphabetic())?;
    first.is_lowercase().then(|| gap_t.trim_matches(|c: char| c == ',' || c.is_whitespace()).to_owned())
}

/// A piece of a quote between editorial marks.
struct Piece {
    text: String,
    optional: bool,
    gap: Option<Gap>,
    /// Byte ranges of `text` inserted inside words (`(T)he`, `fail(ing)`).
    inserted: Vec<(usize, usize)>,
}

/// Splits a quote part at ellipses and bracketed insertions; parenthesised
/// words become optional; brackets and parentheses inside a word
/// (`[A]ny`, `(T)he`, `fail(ing)`) are dropped, their letters kept.
fn pieces(part: &str, first_gap: Option<Gap>) -> Vec<Piece> {
    let chars: Vec<(usize, char)> = part.char_indices().collect();
    let mut out: Vec<Piece> = Vec::new();
    let mut cur = String::new();
    let mut inserted: Vec<(usize, usize)> = Vec::new();
    let mut pending_gap = first_gap;
    let flush = |cur: &mut String,
                 ins: &mut Vec<(usize, usize)>,
                 out: &mut Vec<Piece>,
                 pending: &mut Option<Gap>,
                 optional: bool| {
        if cur.chars().any(char::is_alphanumeric) || pending.is_some() {
            out.push(Piece {
                text: std::mem::take(cur),
                optional,
                gap: pending.take(),
                inserted: std::mem::take(ins),
            });
        }
        cur.clear();
        ins.clear();
    };
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let rest = &part[pos..];
        let prev_alnum = i > 0 && chars[i - 1].1.is_alphanumeric();
        // ellipses
        let ell = if rest.starts_with("...") {
            3
        } else if rest.starts_with(". . .") {
            5
        } else if c == '…' {
            c.len_utf8()
        } else {
            0
        };
        if ell > 0 {
            flush(&mut cur, &mut inserted, &mut out, &mut pending_gap, false);
            pending_gap = Some(Gap { kind: GapKind::Ellipsis, text: "…".into() });
            let end = pos + ell;
            while i < chars.len() && chars[i].0 < end {
                i += 1;
            }
            // a following run of stops ("....") belongs to it
            while i < chars.len() && chars[i].1 == '.' {
                i += 1;
            }
            continue;
        }
        if c == '[' || c == '(' {
            let close = if c == '[' { ']' } else { ')' };
            let Some(len) = rest[1..].find(close) else {
                cur.push(' ');
                i += 1;
                continue;
            };
            let inner = &rest[1..1 + len];
            let end = pos + 1 + len + 1;
            let next_alnum = part[end..].chars().next().is_some_and(char::is_alphanumeric);
            let j = chars.iter().position(|&(p, _)| p >= end).unwrap_or(chars.len());
            let inner_t = inner.trim();
            if inner_t.trim_matches('.').is_empty() || inner_t == "…" {
                flush(&mut cur, &mut inserted, &mut out, &mut pending_gap, false);
                pending_gap = Some(Gap { kind: GapKind::Ellipsis, text: format!("{c}{inner}{close}") });
            } else if prev_alnum || next_alnum {
                let from = cur.len();
                cur.push_str(inner);
                inserted.push((from, cur.len()));
            } else if c == '[' {
                flush(&mut cur, &mut inserted, &mut out, &mut pending_gap, false);
                pending_gap = Some(Gap { kind: GapKind::Bracket, text: format!("[{inner}]") });
            } else {
                flush(&mut cur, &mut inserted, &mut out, &mut pending_gap, false);
                cur.push_str(inner);
                flush(&mut cur, &mut inserted, &mut out, &mut pending_gap, true);
            }
            i = j;
            continue;
        }
        cur.push(c);
        i += 1;
    }
    flush(&mut cur, &mut inserted, &mut out, &mut pending_gap, false);
    out
}

fn build_quote(block: usize, parts: Vec<String>, attribution: Option<String>) -> ArticleQuote {
    let mut text = String::new();
    let mut words = Vec::new();
    let mut gaps: Vec<Gap> = Vec::new();
    for (pi, part) in parts.iter().enumerate() {
        let first_gap = if pi > 0 {
            Some(Gap { kind: GapKind::Attribution, text: attribution.clone().unwrap_or_default() })
        } else {
            None
        };
        for piece in pieces(part, first_gap) {
            if !text.is_empty() {
                text.push(' ');
            }
            let base = text.len();
            text.push_str(&piece.text);
            let mut gap = piece.gap.map(|g| {
                gaps.push(g);
                gaps.len() - 1
            });
            for mut t in tokenize(&piece.text) {
                if t.redaction {
                    if gap.is_none() {
                        gaps.push(Gap { kind: GapKind::Redaction, text: t.text(&piece.text).to_owned() });
                        gap = Some(gaps.len() - 1);
                    }
                    continue;
                }
                let alt = alternative(&piece.text, &t, &piece.inserted);
                t.start += base;
                t.end += base;
                let gap_before = gap.take();
                let omission_before =
                    gap_before.and_then(|g| gaps.get(g)).is_some_and(|g| g.kind != GapKind::Attribution);
                words.push(QuoteWord {
                    token: t,
                    alt,
                    optional: piece.optional,
                    gap_before,
                    omission_before,
                });
            }
            // a gap with no word after it (at the end) is dropped
        }
    }
    ArticleQuote { block, parts, attribution, words, text, gaps }
}

/// A sentence matched as if it were a quote (for paraphrase search).
pub fn sentence_as_quote(block: usize, sentence: &str) -> ArticleQuote {
    build_quote(block, vec![sentence.to_owned()], None)
}

/// For a word with letters inserted by the journalist (`fail(ing)`), the
/// hash of the word without them (`fail`).
fn alternative(text: &str, t: &Token, inserted: &[(usize, usize)]) -> Option<u64> {
    let inside: Vec<&(usize, usize)> =
        inserted.iter().filter(|(a, b)| *a >= t.start && *b <= t.end).collect();
    if inside.is_empty() {
        return None;
    }
    let mut word = String::new();
    let mut at = t.start;
    for &&(a, b) in &inside {
        word.push_str(text.get(at..a).unwrap_or(""));
        at = b;
    }
    word.push_str(text.get(at..t.end).unwrap_or(""));
    Some(word_hash(&word))
}

/// Sentences of the blocks outside any quote (for paraphrase search):
/// (block number from 1, sentence).
pub fn unquoted_sentences(blocks: &[String]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (bi, block) in blocks.iter().enumerate() {
        let spans = quote_spans(block);
        let mut start = 0;
        let chars: Vec<(usize, char)> = block.char_indices().collect();
        for (i, &(pos, c)) in chars.iter().enumerate() {
            let end_here = matches!(c, '.' | '!' | '?')
                && chars.get(i + 1).is_none_or(|&(_, n)| n.is_whitespace())
                && chars.get(i + 2).is_none_or(|&(_, n)| n.is_uppercase() || !n.is_alphanumeric())
                && !short_abbreviation(&block[start..pos]);
            let last = i + 1 == chars.len();
            if end_here || last {
                let end = pos + c.len_utf8();
                let overlaps = spans.iter().any(|s| s.mark < end && s.after > start);
                let s = block[start..end].trim();
                if !overlaps && !s.is_empty() {
                    out.push((bi + 1, s.to_owned()));
                }
                start = end;
            }
        }
    }
    out
}

/// Whether text ending just before a stop ends in an abbreviation (`U.S`, `Mr`).
fn short_abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters == 1
        || matches!(word, "Mr" | "Mrs" | "Ms" | "Dr" | "St" | "Gen" | "Col" | "Lt" | "No" | "Sen" | "Rep")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<String> {
        quotes(&blocks(text)).iter().map(ArticleQuote::display).collect()
    }

    #[test]
    fn straight_and_curly_double_quotes() {
        assert_eq!(q("He said \"a narrow interpretation\" would hurt."), ["a narrow interpretation"]);
        assert_eq!(q("He said “a narrow interpretation” would hurt."), ["a narrow interpretation"]);
        assert_eq!(q("Mixed “curly then straight\" marks."), ["curly then straight"]);
        assert_eq!(q("«Guillemets» too"), ["Guillemets"]);
    }

    #[test]
    fn single_quotes_and_apostrophes() {
        assert_eq!(
            q("The minister said 'Afghanistan's signature will not change the Ministers' view' yesterday."),
            ["Afghanistan's signature will not change the Ministers' view"]
        );
        assert_eq!(q("‘It’s the Kabul government’s call,’ he said."), ["It’s the Kabul government’s call,"]);
        assert!(q("Don't count the Ministers' apostrophes or the '90s.").len() <= 1);
    }

    #[test]
    fn nested_quotes_stay_in_their_passage() {
        assert_eq!(
            q("\"He was in \"serious\" condition,\" she said. \"The baby \"looked\" burned.\""),
            ["He was in \"serious\" condition,", "The baby \"looked\" burned."]
        );
        assert_eq!(
            q("“He reads ‘military cooperation and operations’ broadly,” a diplomat said."),
            ["He reads ‘military cooperation and operations’ broadly,"]
        );
        assert_eq!(q("'The word \"narrow\" matters,' she said."), ["The word \"narrow\" matters,"]);
    }

    #[test]
    fn quotes_spanning_sentences_and_unclosed_paragraphs() {
        assert_eq!(
            q("He wrote: \"One sentence. And another one.\" Then left."),
            ["One sentence. And another one."]
        );
        assert_eq!(
            q("“First paragraph of a long quote\n\n“Second paragraph.”"),
            ["First paragraph of a long quote", "Second paragraph."]
        );
    }

    #[test]
    fn a_stray_straight_mark_does_not_swallow_complete_quotes() {
        let got = q("\"He made no attempt to use his \"(M)ay photo ops in Washington,\" wrote the envoy. \"Most noticeable has been his avoidance.\"");
        assert_eq!(
            got,
            [
                "He made no attempt to use his",
                "(M)ay photo ops in Washington,",
                "Most noticeable has been his avoidance."
            ]
        );
    }

    #[test]
    fn split_quotes_are_joined() {
        let all = quotes(&blocks("\"A narrow interpretation,\" he said, \"will impair our ability.\""));
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].parts, ["A narrow interpretation,", "will impair our ability."]);
        assert_eq!(all[0].attribution.as_deref(), Some("he said"));
        assert!(all[0].words[3].gap_before.is_some());
        // British style, comma outside
        let all = quotes(&blocks("'A narrow interpretation', he said, 'will impair our ability.'"));
        assert_eq!(all.len(), 1);
        // a new sentence is a new quote
        assert_eq!(q("\"One thing,\" he said. \"Another thing.\"").len(), 2);
        assert_eq!(q("\"One thing,\" he said, \"Another thing.\"").len(), 2, "capital: a new sentence");
    }

    #[test]
    fn ellipses_brackets_and_parentheses() {
        let all = quotes(&blocks("“The [U.S. government] believes ... Article 21 (of the CCM) provides […] flexibility… [A]ny (T)he”"));
        let w = &all[0];
        let words: Vec<&str> = w.words.iter().map(|x| x.token.text(&w.text)).collect();
        assert_eq!(
            words,
            ["The", "believes", "Article", "21", "of", "the", "CCM", "provides", "flexibility", "Any", "The"]
        );
        let kinds: Vec<GapKind> = w.gaps.iter().map(|g| g.kind.clone()).collect();
        assert_eq!(kinds, [GapKind::Bracket, GapKind::Ellipsis, GapKind::Ellipsis, GapKind::Ellipsis]);
        assert_eq!(w.words[1].gap_before, Some(0));
        assert!(w.words[4].optional && w.words[6].optional && !w.words[7].optional);
        assert_eq!(w.words[8].gap_before, Some(2));
        assert_eq!(w.words[9].gap_before, Some(3));
        assert_eq!(w.gaps[0].text, "[U.S. government]");
    }

    #[test]
    fn letters_inserted_in_a_word_give_an_alternative() {
        let all = quotes(&blocks("\"(T)he Chavez administration may fail(ing) to deliver\""));
        let w = &all[0].words;
        assert_eq!(w[0].token.text(&all[0].text), "The");
        assert_eq!(w[0].alt, Some(word_hash("he")));
        assert_eq!(w[4].alt, Some(word_hash("fail")));
        assert_eq!(w[1].alt, None);
    }

    #[test]
    fn redactions_are_gaps() {
        let all = quotes(&blocks("\"XXXXXXXXXXXX who visited the father confirmed it\""));
        assert_eq!(all[0].words.len(), 6);
        assert_eq!(all[0].gaps[0].kind, GapKind::Redaction);
    }

    #[test]
    fn html_blocks_skip_navigation_scripts_and_head() {
        let html = "<html><head><title>\"Title quote here\"</title><script>var a = \"x y z w\";</script></head><body>\
            <div class='nav'><a href='/a'>\"Link one two three\"</a><br/><a href='/b'>Link two</a></div>\
            <p>The cable said &ldquo;a narrow interpretation&rdquo; &amp; more &#8220;here it is&#8221;.</p>\
            <p>Second <b>para</b><br>line</p></body></html>";
        let b = blocks(html);
        assert_eq!(b, ["The cable said “a narrow interpretation” & more “here it is”.", "Second para line"]);
        assert_eq!(q(html), ["a narrow interpretation", "here it is"]);
    }

    #[test]
    fn html_article_element_is_preferred() {
        let html = "<body><p>\"Outside the article text\"</p><article><p>\"Inside it\"</p></article></body>";
        assert_eq!(q(html), ["Inside it"]);
    }

    #[test]
    fn plain_text_blocks() {
        assert_eq!(blocks("One\nline.\n\nTwo\r\n\r\n\n"), ["One line.", "Two"]);
        assert_eq!(blocks("One\nTwo"), ["One", "Two"], "no blank lines: a line is a paragraph");
    }

    #[test]
    fn unquoted_sentences_skip_quotes() {
        let s = unquoted_sentences(&blocks(
            "The U.S. asked Kabul to interpret Article 21 broadly. It said \"no\" then. Last one",
        ));
        let texts: Vec<&str> = s.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, ["The U.S. asked Kabul to interpret Article 21 broadly.", "Last one"]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "",
            "\"",
            "“",
            "'",
            "[",
            "(",
            "...",
            "\"[\"",
            "\"(\"",
            "<",
            "<p",
            "<p>\"a",
            "&",
            "&#;",
            "&#xZZ;",
            "<!--",
            "\"a [b\"",
            "\"é…\"",
            "'é'",
            "<a href='x>\"q\"",
            "\"\"\"\"",
            "« »",
            "\"a\" \"b,\" c, \"d\"",
        ] {
            let b = blocks(s);
            let _ = quotes(&b);
            let _ = unquoted_sentences(&b);
        }
    }
}
