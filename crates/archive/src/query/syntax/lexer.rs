//! Splits a query into tokens. Works on a slice of chars, so positions are
//! char columns and no string is ever sliced inside a character.

use cable::Date;

use super::created;
use super::error::{Problem, Result};
use super::fields::{unknown_field_hint, FieldName};

/// A token of the query language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    /// `(`
    Open,
    /// `)`
    Close,
    /// `AND`
    And,
    /// `OR`
    Or,
    /// `NOT`
    Not,
    /// `+` directly before a clause.
    Plus,
    /// `-` directly before a clause.
    Minus,
    /// `name:` of a text field, directly followed by the token it applies to
    /// (a word, a prefix, a phrase or `(`).
    Field(super::Field),
    /// A word.
    Word(String),
    /// A word ending in `*`, without the `*`.
    Prefix(String),
    /// A word after `=`: its exact form, without stemming.
    Exact(String),
    /// A word ending in `~` or `~1`, `~2`: the word and the edits allowed.
    Fuzzy(String, u8),
    /// A quoted phrase and its slop.
    Phrase(Vec<String>, u32),
    /// `created:` and its value.
    Created(Option<Date>, Option<Date>),
    /// `name:` of a newsroom field, directly followed by its value (a word
    /// or a phrase).
    Private(super::PrivateField),
}

impl Token {
    /// How the token is named in messages.
    pub(super) fn describe(&self) -> String {
        match self {
            Token::Open => "`(`".to_owned(),
            Token::Close => "`)`".to_owned(),
            Token::And => "`AND`".to_owned(),
            Token::Or => "`OR`".to_owned(),
            Token::Not => "`NOT`".to_owned(),
            Token::Plus => "`+`".to_owned(),
            Token::Minus => "`-`".to_owned(),
            Token::Field(field) => format!("`{field}:`"),
            Token::Word(_) | Token::Prefix(_) | Token::Exact(_) | Token::Fuzzy(..) => "a word".to_owned(),
            Token::Phrase(..) => "a phrase".to_owned(),
            Token::Created(..) => "`created:`".to_owned(),
            Token::Private(field) => format!("`{field}:`"),
        }
    }
}

/// A token and the char column it starts at.
pub(super) type Spanned = (Token, usize);

/// Whether `c` ends a word.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"')
}

/// Splits `chars` into tokens: those before the first lexical error, and the
/// error. The parser reports the error only when it reaches it, so that an
/// earlier problem is reported first.
pub(super) fn tokenize(chars: &[char]) -> (Vec<Spanned>, Option<Problem>) {
    let mut tokens = Vec::new();
    let problem = tokenize_into(chars, &mut tokens).err();
    (tokens, problem)
}

fn tokenize_into(chars: &[char], tokens: &mut Vec<Spanned>) -> Result<()> {
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                tokens.push((Token::Open, i));
                i += 1;
            }
            ')' => {
                tokens.push((Token::Close, i));
                i += 1;
            }
            '"' => {
                let (token, end) = phrase(chars, i)?;
                tokens.push((token, i));
                i = end;
            }
            '+' | '-' => {
                if chars.get(i + 1).is_none_or(|next| next.is_whitespace()) {
                    let what = if c == '-' { "exclude" } else { "require" };
                    return Err(Problem::at(i, format!("`{c}` must be directly followed by what to {what}"))
                        .hint(format!("write {c}word, with no space after `{c}`, or remove it")));
                }
                tokens.push((if c == '-' { Token::Minus } else { Token::Plus }, i));
                i += 1;
            }
            _ => {
                let end = (i..chars.len()).find(|&j| ends_word(chars[j])).unwrap_or(chars.len());
                word(&chars[i..end], i, chars, tokens)?;
                i = end;
            }
        }
    }
    Ok(())
}

/// Reads the phrase whose opening quote is at `start`, and its slop; returns
/// the token and the index after it.
fn phrase(chars: &[char], start: usize) -> Result<(Token, usize)> {
    let Some(close) = (start + 1..chars.len()).find(|&j| chars[j] == '"') else {
        return Err(Problem::at(start, "this quote is never closed")
            .hint("add a closing `\"` at the end of the phrase, or remove this one"));
    };
    let inside = &chars[start + 1..close];
    if let Some(star) = inside.iter().position(|&c| c == '*') {
        return Err(Problem::at(start + 1 + star, "`*` does not work inside quotes").hint(
            "quotes search for exact words; to find words starting with munit, write munit* without quotes",
        ));
    }
    let text: String = inside.iter().collect();
    let words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    if words.is_empty() {
        return Err(Problem::at(start, "the quotes are empty").hint("put words between them, or remove them"));
    }
    let mut end = close + 1;
    let mut slop = 0;
    if chars.get(end) == Some(&'~') {
        let tilde = end;
        let digits_start = tilde + 1;
        end = (digits_start..chars.len()).find(|&j| ends_word(chars[j])).unwrap_or(chars.len());
        let digits = &chars[digits_start..end];
        let example = "\"cluster munitions\"~5 finds the two words at most 5 words apart";
        if digits.is_empty() {
            return Err(Problem::at(tilde, "`~` after a phrase needs a number").hint(example));
        }
        if let Some(bad) = digits.iter().position(|c| !c.is_ascii_digit()) {
            return Err(Problem::at(digits_start + bad, "the proximity after `~` must be a whole number")
                .hint(example));
        }
        let digits: String = digits.iter().collect();
        slop = digits.parse().map_err(|_| {
            Problem::at(digits_start, format!("the proximity {digits} is too large")).hint(example)
        })?;
    }
    Ok((Token::Phrase(words, slop), end))
}

/// Reads the word `text` starting at char column `start` (`chars` is the
/// whole query, to see what follows it) into one or two tokens.
fn word(text: &[char], start: usize, chars: &[char], tokens: &mut Vec<Spanned>) -> Result<()> {
    let written: String = text.iter().collect();
    match written.as_str() {
        "AND" => return push(tokens, Token::And, start),
        "OR" => return push(tokens, Token::Or, start),
        "NOT" => return push(tokens, Token::Not, start),
        "&&" | "||" => {
            let keyword = if written == "&&" { "AND" } else { "OR" };
            return Err(Problem::at(start, format!("`{written}` is not an operator here"))
                .hint(format!("write {keyword} (in capitals)")));
        }
        _ => {}
    }
    let Some(colon) = field_colon(text) else {
        return value(text, start, tokens);
    };
    let name: String = text[..colon].iter().collect();
    let rest = &text[colon + 1..];
    let rest_start = start + colon + 1;
    let Some(field) = FieldName::lookup(&name) else {
        if rest.starts_with(&['/', '/']) {
            // A URL (`http://…`): a word.
            return value(text, start, tokens);
        }
        return Err(
            Problem::at(start, format!("unknown field `{name}:`")).hint(unknown_field_hint(&name, &written))
        );
    };
    let next = chars.get(rest_start).copied();
    if rest.is_empty() && !matches!(next, Some('(' | '"')) {
        let problem =
            Problem::at(start, format!("`{}:` needs something to search for after it", field.name()));
        let example = match field {
            FieldName::Created => "created:2008-12".to_owned(),
            FieldName::Text(field) => format!("{field}:{}", example_value(field)),
            FieldName::Private(field) => format!("{field}:{}", private_example(field)),
        };
        return Err(if next.is_some_and(char::is_whitespace) {
            problem.hint(format!("remove the space after the colon: {example}"))
        } else {
            problem.hint(format!("for example {example}"))
        });
    }
    match field {
        FieldName::Created => {
            if rest.is_empty() {
                return Err(Problem::at(
                    rest_start,
                    "`created:` takes a date or a range of dates, not quotes or parentheses",
                )
                .hint("for example created:2008-12 or created:2008-01..2009-06"));
            }
            let (from, until) = created::parse(rest, rest_start)?;
            push(tokens, Token::Created(from, until), start)
        }
        FieldName::Text(field) => {
            tokens.push((Token::Field(field), start));
            if rest.is_empty() {
                // `(` or `"` follows: the next token.
                return Ok(());
            }
            if let Some(&sign @ ('-' | '+')) = rest.first() {
                let value: String = rest[1..].iter().collect();
                return Err(Problem::at(
                    rest_start,
                    format!("`{sign}` goes before the field, not after the colon"),
                )
                .hint(format!("write {sign}{field}:{value}")));
            }
            value(rest, rest_start, tokens)
        }
        FieldName::Private(field) => {
            tokens.push((Token::Private(field), start));
            if rest.is_empty() {
                // `"` follows (a phrase), or `(`, which the parser refuses.
                return Ok(());
            }
            push(tokens, Token::Word(rest.iter().collect()), rest_start)
        }
    }
}

/// A plausible value for a newsroom field, for hints.
pub(super) fn private_example(field: super::PrivateField) -> &'static str {
    use super::PrivateField;
    match field {
        PrivateField::Project => "12",
        PrivateField::Note => "\"asked to remove\"",
        PrivateField::Starred => "me",
        PrivateField::Label => "urgent",
    }
}

/// The index of the colon ending a field name at the start of `text`: one or
/// more ASCII letters and a colon.
pub(super) fn field_colon(text: &[char]) -> Option<usize> {
    let colon = text.iter().position(|&c| c == ':')?;
    (colon > 0 && text[..colon].iter().all(char::is_ascii_alphabetic)).then_some(colon)
}

/// A plausible value for a field, for hints.
fn example_value(field: super::Field) -> &'static str {
    use super::Field;
    match field {
        Field::Id => "08STATE134777",
        Field::Tag => "PREL",
        Field::Origin | Field::From => "LONDON",
        Field::To => "KABUL",
        Field::Class => "CONFIDENTIAL",
        Field::Caveat => "NOFORN",
        Field::Subject | Field::Body => "munitions",
        Field::Ref => "08STATE134777",
        Field::Signer => "RICE",
    }
}

/// Reads a word (or a field's value) that is not a keyword: a word or a
/// prefix.
fn value(text: &[char], start: usize, tokens: &mut Vec<Spanned>) -> Result<()> {
    let written: String = text.iter().collect();
    if let Some(star) = text.iter().position(|&c| c == '*') {
        if star + 1 != text.len() {
            let before: String = text[..star].iter().collect();
            let hint = if before.chars().count() >= 2 {
                format!("`*` finds words starting with what is before it: {before}*")
            } else {
                "`*` can only end a word, as in munit* (words starting with munit)".to_owned()
            };
            return Err(Problem::at(start + star, "`*` can only be at the end of a word").hint(hint));
        }
        if text.len() == 1 {
            return Err(Problem::at(start, "`*` on its own is not a search")
                .hint("`*` ends a word, as in munit* (words starting with munit); an empty search finds every cable"));
        }
        if star < 2 {
            return Err(Problem::at(
                start,
                format!("`{written}`: a prefix needs at least 2 characters before `*`"),
            )
            .hint("type more of the word, as in munit* (words starting with munit)"));
        }
        let prefix: String = text[..star].iter().collect();
        return push(tokens, Token::Prefix(prefix), start);
    }
    if let Some(tilde) = fuzzy_tilde(text) {
        let word: String = text[..tilde].iter().collect();
        let digits: String = text[tilde + 1..].iter().collect();
        let example = format!("{word}~ or {word}~1 finds words one letter away, {word}~2 two letters away");
        let edits = match digits.as_str() {
            "" | "1" => 1,
            "2" => 2,
            "0" => {
                return Err(Problem::at(start + tilde, "`~0` allows no difference")
                    .hint(format!("write {word} for the word itself, or {}", example)))
            }
            _ => {
                return Err(Problem::at(
                    start + tilde,
                    format!("`~{digits}`: a fuzzy word allows at most 2 edits"),
                )
                .hint(example))
            }
        };
        if let Some(exact) = word.strip_prefix('=') {
            return Err(Problem::at(
                start,
                "`=` (this exact form) and `~` (close spellings) contradict each other",
            )
            .hint(format!("write ={exact} or {exact}~{edits}")));
        }
        if word.chars().count() < 3 {
            return Err(Problem::at(start, format!("`{word}~`: a fuzzy word needs at least 3 letters"))
                .hint("type more of the word: with so few letters almost every word is close"));
        }
        return push(tokens, Token::Fuzzy(word, edits), start);
    }
    if let Some(exact) = written.strip_prefix('=') {
        if exact.is_empty() {
            return Err(Problem::at(start, "`=` must be directly followed by one word").hint(
                "write =munition (no space) to find only that spelling; `=` does not apply to a phrase, \
                 which matches its words as written or stemmed",
            ));
        }
        return push(tokens, Token::Exact(exact.to_owned()), start);
    }
    push(tokens, Token::Word(written), start)
}

/// The index of a `~` that ends a word, optionally followed by digits
/// (`mine~`, `mine~2`: Lucene's fuzzy search), if there is one.
pub(super) fn fuzzy_tilde(text: &[char]) -> Option<usize> {
    let tilde = text.iter().rposition(|&c| c == '~')?;
    (tilde > 0 && text[tilde + 1..].iter().all(char::is_ascii_digit)).then_some(tilde)
}

fn push(tokens: &mut Vec<Spanned>, token: Token, position: usize) -> Result<()> {
    tokens.push((token, position));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::syntax::Field;

    fn lex(query: &str) -> Vec<Spanned> {
        let chars: Vec<char> = query.chars().collect();
        let (tokens, problem) = tokenize(&chars);
        assert!(problem.is_none(), "{problem:?}");
        tokens
    }

    #[test]
    fn tokens_before_an_error_are_kept() {
        let chars: Vec<char> = "a tag:* b".chars().collect();
        let (tokens, problem) = tokenize(&chars);
        assert_eq!(tokens, vec![(Token::Word("a".into()), 0), (Token::Field(Field::Tag), 2)]);
        assert_eq!(problem.map(|p| p.position), Some(6));
    }

    #[test]
    fn tokens_and_positions() {
        assert_eq!(
            lex(" (a OR -b) AND NOT \"c d\"~2 +e tag:fo* subject:(g)"),
            vec![
                (Token::Open, 1),
                (Token::Word("a".into()), 2),
                (Token::Or, 4),
                (Token::Minus, 7),
                (Token::Word("b".into()), 8),
                (Token::Close, 9),
                (Token::And, 11),
                (Token::Not, 15),
                (Token::Phrase(vec!["c".into(), "d".into()], 2), 19),
                (Token::Plus, 27),
                (Token::Word("e".into()), 28),
                (Token::Field(Field::Tag), 30),
                (Token::Prefix("fo".into()), 34),
                (Token::Field(Field::Subject), 38),
                (Token::Open, 46),
                (Token::Word("g".into()), 47),
                (Token::Close, 48),
            ]
        );
    }

    #[test]
    fn positions_are_char_columns() {
        assert_eq!(
            lex("é ü:x «ok»"),
            vec![
                (Token::Word("é".into()), 0),
                (Token::Word("ü:x".into()), 2),
                (Token::Word("«ok»".into()), 6)
            ]
        );
    }

    #[test]
    fn dashes_inside_words_are_text() {
        assert_eq!(
            lex("al-Qaeda a- 1-2"),
            vec![
                (Token::Word("al-Qaeda".into()), 0),
                (Token::Word("a-".into()), 9),
                (Token::Word("1-2".into()), 12),
            ]
        );
        assert_eq!(lex("--a"), vec![(Token::Minus, 0), (Token::Minus, 1), (Token::Word("a".into()), 2)]);
    }

    #[test]
    fn fuzzy_tilde_is_found_only_at_the_end() {
        let find = |text: &str| fuzzy_tilde(&text.chars().collect::<Vec<_>>());
        assert_eq!(find("mine~"), Some(4));
        assert_eq!(find("mine~2"), Some(4));
        assert_eq!(find("~"), None);
        assert_eq!(find("~2"), None);
        assert_eq!(find("a~b"), None);
        assert_eq!(find("a~2b"), None);
    }
}
