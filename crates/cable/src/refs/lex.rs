//! Tokens of a REF block.
//!
//! A token is a maximal run of letters and digits, where `-`, `/`, `.` and
//! apostrophes join two alphanumeric characters (`E-MAIL`, `N'DJAMENA`,
//! `692/317`, `001.2`, `TD-314/21795-05`), or a single punctuation character.
//! White space, pilcrows and backslashes only separate tokens.

/// The shape of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Letters only, possibly joined by connectors: `KABUL`, `E-MAIL`, `ST`.
    Word,
    /// Digits only; a leading letter `O` counts as a zero (`O1512`).
    Num,
    /// Letters and digits without connectors: `09DHAHRAN`, `HK05511`, `082030Z`.
    Glued,
    /// Digits joined by connectors: `4525-91`, `692/317`, `001.2`, `TD-314/21795-05`.
    Code,
    /// One punctuation character.
    Punct(char),
}

/// One token: its shape, byte span in the lexed text and what precedes it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tok {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// A line break separates it from the previous token.
    pub nl: bool,
    /// White space (or the start of the text) separates it from the previous token.
    pub sp: bool,
}

impl Tok {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start..self.end).unwrap_or("")
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }
}

fn is_connector(c: char) -> bool {
    matches!(c, '-' | '/' | '.' | '\'' | '’')
}

fn is_wordish(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphabetic())
}

/// Splits `src` into tokens.
pub(super) fn lex(src: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(src.len() / 4 + 1);
    let mut chars = src.char_indices().peekable();
    let (mut nl, mut sp) = (false, true);
    while let Some(&(i, c)) = chars.peek() {
        if c == '\n' {
            nl = true;
            sp = true;
            chars.next();
            continue;
        }
        if c == '\\' {
            chars.next();
            // A literal "\n" left over from an escaped line break.
            if let Some(&(_, 'n')) = chars.peek() {
                let after = src.get(i + 2..).and_then(|s| s.chars().next());
                if after.is_none_or(|a| !a.is_ascii_lowercase()) {
                    chars.next();
                    nl = true;
                }
            }
            sp = true;
            continue;
        }
        if c.is_whitespace() || c == '¶' {
            sp = true;
            chars.next();
            continue;
        }
        if is_wordish(c) {
            let start = i;
            let mut end = i + c.len_utf8();
            chars.next();
            let (mut letters, mut digits, mut conn) =
                (u32::from(!c.is_ascii_digit()), u32::from(c.is_ascii_digit()), false);
            while let Some(&(j, d)) = chars.peek() {
                if is_wordish(d) {
                    if d.is_ascii_digit() {
                        digits += 1;
                    } else {
                        letters += 1;
                    }
                    end = j + d.len_utf8();
                    chars.next();
                    continue;
                }
                if is_connector(d) {
                    let next = src.get(j + d.len_utf8()..).and_then(|s| s.chars().next());
                    if let Some(n) = next.filter(|n| is_wordish(*n)) {
                        // "D.01": a bullet letter glued to the year that follows.
                        if d == '.'
                            && letters == 1
                            && digits == 0
                            && !conn
                            && end - start == 1
                            && n.is_ascii_digit()
                        {
                            break;
                        }
                        conn = true;
                        chars.next();
                        continue;
                    }
                }
                break;
            }
            let text = &src[start..end];
            let kind = classify(text, letters > 0, digits > 0, conn);
            out.push(Tok { kind, start, end, nl, sp });
            nl = false;
            sp = false;
            continue;
        }
        chars.next();
        if c.is_ascii() {
            out.push(Tok { kind: Kind::Punct(c), start: i, end: i + 1, nl, sp });
            nl = false;
            sp = false;
        } else {
            // Typographic quotes, dashes and the like separate tokens.
            sp = true;
        }
    }
    out
}

fn classify(text: &str, letters: bool, digits: bool, conn: bool) -> Kind {
    if conn {
        return if digits { Kind::Code } else { Kind::Word };
    }
    if !letters {
        return Kind::Num;
    }
    if !digits {
        return Kind::Word;
    }
    let b = text.as_bytes();
    if b.len() >= 2 && (b[0] == b'O' || b[0] == b'o') && b[1..].iter().all(u8::is_ascii_digit) {
        return Kind::Num;
    }
    Kind::Glued
}

/// Value and digit count of a `Num` token (a leading `O` is a zero).
/// `None` when it has more than 18 digits.
pub(super) fn num_value(text: &str) -> Option<(u64, usize)> {
    let b = text.as_bytes();
    if b.is_empty() || b.len() > 18 {
        return None;
    }
    let mut v: u64 = 0;
    for (i, &c) in b.iter().enumerate() {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'O' | b'o' if i == 0 => 0,
            _ => return None,
        };
        v = v * 10 + u64::from(d);
    }
    Some((v, b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(Kind, &str)> {
        lex(s).iter().map(|t| (t.kind, t.text(s))).collect()
    }

    #[test]
    fn shapes() {
        assert_eq!(
            kinds("A. STATE 125608  B) 09DHAHRAN TD-314/21795-05 E-MAIL D.01 O4"),
            vec![
                (Kind::Word, "A"),
                (Kind::Punct('.'), "."),
                (Kind::Word, "STATE"),
                (Kind::Num, "125608"),
                (Kind::Word, "B"),
                (Kind::Punct(')'), ")"),
                (Kind::Glued, "09DHAHRAN"),
                (Kind::Code, "TD-314/21795-05"),
                (Kind::Word, "E-MAIL"),
                (Kind::Word, "D"),
                (Kind::Punct('.'), "."),
                (Kind::Num, "01"),
                (Kind::Num, "O4"),
            ]
        );
        assert_eq!(
            kinds("N'DJAMENA ST. X"),
            vec![(Kind::Word, "N'DJAMENA"), (Kind::Word, "ST"), (Kind::Punct('.'), "."), (Kind::Word, "X")]
        );
        assert_eq!(num_value("O1512"), Some((1512, 5)));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["", "\\", "\\n", "¶", "’", "a’", "é-1", "1-é", "x\u{0}y", "A.\u{301}"] {
            let _ = lex(s);
        }
    }
}
