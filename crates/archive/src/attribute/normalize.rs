//! Word tokens, normalised the same way for article quotes and cable
//! paragraphs, so that the differences between how a cable was typed and
//! how an article quotes it do not count as differences:
//!
//! - case and diacritics (`São` = `SAO`);
//! - apostrophes, including the comma WikiLeaks' conversion wrote for one
//!   (`don,t` = `don’t` = `don't`), and possessives (`Afghanistan,s` =
//!   `Afghanistan’s` = `Afghanistan'` = `Afghanistan`);
//! - acronyms with or without stops (`U.S.` = `U. S.` = `US`);
//! - digit groups (`200,000` = `200000`);
//! - all other punctuation, quote marks, dashes, line breaks.
//!
//! Hyphens split words; the matcher also tries two neighbouring words as
//! one ([`Token::joined_hash`]), so that a word hyphenated or broken at a
//! line end in a cable (`organ-` / `izations`, `inform` / `ation`) still
//! matches `organizations`, and `counter-productive` matches
//! `counterproductive`.
//!
//! A token keeps its byte span in the text it came from (to show the
//! source's own words) and a hash of its normalised form (compared instead
//! of strings). The hash is polynomial, so the hash of two tokens joined is
//! computable from theirs ([`Token::joined_hash`]).

use std::sync::LazyLock;

/// Base of the polynomial hash of normalised token text.
const BASE: u64 = 0x100_0000_01b3;

/// One word of a text, normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Hash of the normalised text.
    pub hash: u64,
    /// `BASE` to the power of the normalised length (for joining hashes).
    pub pow: u64,
    /// Byte offset of the first character in the source text.
    pub start: usize,
    /// Byte offset after the last character in the source text.
    pub end: usize,
    /// A function word (`the`, `of`, `will`): weighs less when matching.
    pub stop: bool,
    /// A run of `x` standing for a redacted name.
    pub redaction: bool,
    /// Normalised length, in characters.
    pub len: usize,
}

impl Token {
    fn new(hash: u64, len: usize, start: usize, end: usize, redaction: bool) -> Token {
        Token {
            hash,
            pow: power(len),
            start,
            end,
            stop: len <= 7 && STOP_HASHES.binary_search(&hash).is_ok(),
            redaction,
            len,
        }
    }

    /// The hash the two tokens would have as one word (`a` then `b`).
    pub fn joined_hash(a: &Token, b: &Token) -> u64 {
        a.hash.wrapping_mul(b.pow).wrapping_add(b.hash)
    }

    /// The token's text in its source.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

/// Incremental normalised-text hash.
#[derive(Debug, Clone, Copy)]
struct Hasher {
    hash: u64,
    len: usize,
    all_x: bool,
}

impl Hasher {
    fn new() -> Hasher {
        Hasher { hash: 0, len: 0, all_x: true }
    }

    #[inline]
    fn push(&mut self, c: char) {
        self.hash = self.hash.wrapping_mul(BASE).wrapping_add(c as u64 + 1);
        self.len += 1;
        self.all_x &= c == 'x';
    }

    #[inline(always)]
    fn push_folded(&mut self, c: char) {
        if c.is_ascii() {
            self.push(c.to_ascii_lowercase());
        } else {
            self.push_folded_wide(c);
        }
    }

    #[inline(never)]
    fn push_folded_wide(&mut self, c: char) {
        for l in c.to_lowercase() {
            match fold(l) {
                Fold::One(f) => self.push(f),
                Fold::Two(a, b) => {
                    self.push(a);
                    self.push(b);
                }
                Fold::Drop => {}
            }
        }
    }
}

/// `BASE` to the power `n`.
fn power(n: usize) -> u64 {
    static SMALL: LazyLock<[u64; 32]> = LazyLock::new(|| {
        let mut t = [1u64; 32];
        for i in 1..32 {
            t[i] = t[i - 1].wrapping_mul(BASE);
        }
        t
    });
    match SMALL.get(n) {
        Some(p) => *p,
        None => (0..n).fold(1u64, |p, _| p.wrapping_mul(BASE)),
    }
}

/// The hash of a word as the tokenizer would normalise it (for tests and
/// for looking words up).
pub fn word_hash(word: &str) -> u64 {
    let mut h = Hasher::new();
    for c in word.chars() {
        if c.is_alphanumeric() {
            h.push_folded(c);
        }
    }
    h.hash
}

enum Fold {
    One(char),
    Two(char, char),
    Drop,
}

/// Latin letters with diacritics to their base letter (lower case input).
fn fold(c: char) -> Fold {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' | 'ģ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ķ' => 'k',
        'ł' | 'ľ' | 'ļ' => 'l',
        'ñ' | 'ń' | 'ň' | 'ņ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ŕ' | 'ř' => 'r',
        'ś' | 'š' | 'ş' | 'ș' => 's',
        'ť' | 'ţ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'ß' => return Fold::Two('s', 's'),
        'æ' => return Fold::Two('a', 'e'),
        'œ' => return Fold::Two('o', 'e'),
        // combining marks (decomposed accents) add nothing
        '\u{300}'..='\u{36f}' => return Fold::Drop,
        other => other,
    };
    Fold::One(base)
}

/// Characters that stand for an apostrophe between two letters.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '`' | '´' | '‘' | ',')
}

/// Invisible characters that never separate words.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || matches!(c, '\u{300}'..='\u{36f}')
    }
}

const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "being",
    "both", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he",
    "her", "him", "his", "i", "if", "in", "into", "is", "it", "its", "may", "me", "more", "most", "must",
    "my", "no", "not", "of", "on", "only", "or", "other", "our", "out", "over", "s", "said", "she", "should",
    "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "to", "up", "was", "we", "were", "what", "when", "which", "while", "who", "will", "with",
    "would", "you", "your",
];

/// Hashes of the stop words, sorted.
static STOP_HASHES: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut v: Vec<u64> = STOP_WORDS.iter().map(|w| word_hash(w)).collect();
    v.sort_unstable();
    v
});

/// The character at byte `i` of `text` and its length (`i` on a boundary).
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        Some((b as char, 1))
    } else {
        text.get(i..)?.chars().next().map(|c| (c, c.len_utf8()))
    }
}

/// Splits a text into normalised word tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let n = text.len();
    let mut out: Vec<Token> = Vec::with_capacity(n / 6);
    // the last token is a run of single letters with stops (`U.S.`): where
    // its last letter ends, and whether a stop follows it
    let mut acronym: Option<(usize, bool)> = None;
    let mut i = 0;
    while i < n {
        let Some((c, len)) = char_at(text, i) else { break };
        if !is_word_char(c) {
            i += len;
            continue;
        }
        let start = i;
        let mut h = Hasher::new();
        let mut end = start;
        let mut prev = ' ';
        let mut j = i;
        while let Some((c, len)) = char_at(text, j) {
            if is_word_char(c) {
                h.push_folded(c);
                end = j + len;
                prev = c;
                j += len;
                continue;
            }
            let next = char_at(text, j + len).map_or(' ', |(c, _)| c);
            // a possessive `'s` (or the cable's `,s`) is dropped: Chavez's = Chavez' = Chavez
            if is_apostrophe(c)
                && prev.is_alphabetic()
                && matches!(next, 's' | 'S')
                && !char_at(text, j + len + 1).is_some_and(|(c, _)| is_word_char(c))
            {
                j += len + 1;
                break;
            }
            let joins = is_invisible(c)
                || (is_apostrophe(c) && prev.is_alphanumeric() && next.is_alphabetic())
                || (matches!(c, '.' | ',') && prev.is_ascii_digit() && next.is_ascii_digit());
            if joins && (is_invisible(c) || is_word_char(next)) {
                prev = c;
                j += len;
                continue;
            }
            break;
        }
        i = j.max(i + len);
        let dot_after = text.as_bytes().get(j) == Some(&b'.');
        let single = h.len == 1 && c.is_alphabetic() && end == start + c.len_utf8();
        // runs of single letters written with stops (`U.S.`, `U. S.`, `U.S`) are one word
        if let (true, Some((last_end, true)), Some(t)) = (single, acronym, out.last_mut()) {
            let between = text.get(last_end..start).unwrap_or("");
            if between == "." || (between == ". " && dot_after) {
                t.hash = t.hash.wrapping_mul(power(1)).wrapping_add(h.hash);
                let len = t.len + 1;
                // the stop is at `j`, after any invisible characters that
                // followed the letter (`a\u{feff}.`), not always at `end`
                *t = Token::new(t.hash, len, t.start, if dot_after { j + 1 } else { end }, false);
                acronym = Some((end, dot_after));
                continue;
            }
        }
        out.push(Token::new(h.hash, h.len, start, end, h.all_x && h.len >= 3));
        acronym = single.then_some((end, dot_after));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_acronym_ending_in_an_invisible_character_ends_on_a_character_boundary() {
        // Found by the property test: `U.S.a` + BYTE ORDER MARK + `.` made a
        // token ending inside the three bytes of the mark.
        let text = "U.S.a\u{feff}. . .";
        for t in tokenize(text) {
            assert!(text.get(t.start..t.end).is_some(), "{t:?} in {text:?}");
        }
    }

    fn words(text: &str) -> Vec<u64> {
        tokenize(text).iter().map(|t| t.hash).collect()
    }

    fn same(a: &str, b: &str) {
        assert_eq!(words(a), words(b), "{a:?} vs {b:?}");
    }

    #[test]
    fn apostrophes_and_the_cable_comma() {
        same("Afghanistan,s signature", "Afghanistan’s signature");
        same("Afghanistan's signature", "AFGHANISTAN,S SIGNATURE");
        same("the world,s cluster munitions", "the world's cluster munitions");
        assert_eq!(tokenize("victims, assistance").len(), 2);
        assert_eq!(tokenize("Honduras, current").len(), 2);
        same("Chavez' financial support", "Chavez’s financial support");
        same("don,t", "don't");
        assert_ne!(words("don't"), words("don t"));
        let t = tokenize("Afghanistan,s signature");
        assert_eq!(t[0].text("Afghanistan,s signature"), "Afghanistan");
    }

    #[test]
    fn acronyms_with_and_without_stops() {
        same("U.S. forces", "US forces");
        same("U. S. forces", "US forces");
        same("the U.S", "the US");
        same("U.S.-led", "US led");
        assert_eq!(tokenize("plan B. I think").len(), 4, "a sentence end is not an acronym");
        assert_eq!(tokenize("Mr. A. Smith").len(), 3);
    }

    #[test]
    fn case_diacritics_digits_and_punctuation() {
        same("São Paulo", "SAO PAULO");
        same("“Military cooperation and operations”", "military cooperation and operations");
        same("200,000 families", "200000 families");
        same("1.6 million", "16 million");
        same("co\u{ad}operation", "cooperation");
        same("e\u{301}te\u{301}", "été");
        same("line\nbreaks  and\ttabs", "line breaks and tabs");
    }

    #[test]
    fn hyphens_split_words_that_can_be_joined_again() {
        let t = tokenize("counter-\nproductive well-funded - dash");
        assert_eq!(t.len(), 5);
        let joined = Token::joined_hash(&t[0], &t[1]);
        assert_eq!(joined, word_hash("counterproductive"));
    }

    #[test]
    fn stop_words_and_redactions() {
        let t = tokenize("The XXXXXXXXXXXX said xx tax");
        assert!(t[0].stop && t[2].stop && !t[4].stop);
        assert!(t[1].redaction && !t[3].redaction && !t[4].redaction);
    }

    #[test]
    fn spans_are_char_boundaries() {
        let text = "«Ça va», dit-il — ‘très’ bien…";
        for t in tokenize(text) {
            assert!(text.get(t.start..t.end).is_some());
        }
        for s in ["", ",", "'", "a'", "'a", "a,", "1.", ".1", "U.", "-", "a-", "é-\n", "\u{ad}", "x.y.z."] {
            let _ = tokenize(s);
        }
    }
}
