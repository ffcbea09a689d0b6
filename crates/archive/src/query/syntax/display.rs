//! Writes a [`Query`] back as query syntax.

use std::fmt::{self, Write};

use super::lexer::{field_colon, fuzzy_tilde};
use super::{created, Field, Query};

impl fmt::Display for Query {
    /// Writes the query in the syntax [`parse`](super::parse) reads, such
    /// that parsing it gives the same query back (for every query `parse`
    /// returns). [`Query::All`] is written as nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Query::All => Ok(()),
            Query::Term { field, text } => {
                write_field(f, *field)?;
                if is_bare(text, field.is_some()) {
                    f.write_str(text)
                } else {
                    write!(f, "\"{text}\"")
                }
            }
            Query::Prefix { field, prefix } => {
                write_field(f, *field)?;
                write!(f, "{prefix}*")
            }
            Query::Exact { field, text } => {
                write_field(f, *field)?;
                write!(f, "={text}")
            }
            Query::Fuzzy { field, text, edits } => {
                write_field(f, *field)?;
                write!(f, "{text}~{edits}")
            }
            Query::Phrase { field, words, slop } => {
                write_field(f, *field)?;
                write!(f, "\"{}\"", words.join(" "))?;
                if *slop > 0 {
                    write!(f, "~{slop}")?;
                }
                Ok(())
            }
            Query::Created { from, until } => write!(f, "created:{}", created::format(*from, *until)),
            Query::Private { field, value } => {
                // After a newsroom field a word is read as written (`*`,
                // `~`, `-` are part of it): quotes only for white space.
                if !value.chars().any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '"')) {
                    write!(f, "{field}:{value}")
                } else {
                    write!(f, "{field}:\"{value}\"")
                }
            }
            Query::Boolean { must, should, must_not } if must.is_empty() && must_not.is_empty() => {
                write_alternatives(f, should)
            }
            Query::Boolean { must, should, must_not } => {
                let mut separator = "";
                for query in must {
                    f.write_str(separator)?;
                    write_operand(f, query)?;
                    separator = " ";
                }
                for query in must_not {
                    f.write_str(separator)?;
                    f.write_char('-')?;
                    write_operand(f, query)?;
                    separator = " ";
                }
                if !should.is_empty() {
                    // Not something `parse` makes: optional clauses beside
                    // required ones (only for scoring in Lucene).
                    write!(f, "{separator}(")?;
                    write_alternatives(f, should)?;
                    f.write_char(')')?;
                }
                Ok(())
            }
        }
    }
}

fn write_field(f: &mut fmt::Formatter<'_>, field: Option<Field>) -> fmt::Result {
    match field {
        Some(field) => write!(f, "{field}:"),
        None => Ok(()),
    }
}

/// `a OR b c OR -d`: conjunctions bind tighter than `OR` and need no
/// parentheses.
fn write_alternatives(f: &mut fmt::Formatter<'_>, should: &[Query]) -> fmt::Result {
    if should.is_empty() {
        // An empty `Boolean`, which matches nothing: not something `parse`
        // makes, and with no syntax.
        return f.write_str("()");
    }
    for (i, query) in should.iter().enumerate() {
        if i > 0 {
            f.write_str(" OR ")?;
        }
        match query {
            Query::Boolean { should, .. } if !should.is_empty() => write!(f, "({query})")?,
            _ => write!(f, "{query}")?,
        }
    }
    Ok(())
}

/// A clause of a conjunction: a `Boolean` needs parentheses.
fn write_operand(f: &mut fmt::Formatter<'_>, query: &Query) -> fmt::Result {
    match query {
        Query::Boolean { .. } => write!(f, "({query})"),
        _ => write!(f, "{query}"),
    }
}

/// Whether a term can be written without quotes (after a field, when
/// `after_field`) and read back as the same term.
fn is_bare(text: &str, after_field: bool) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let Some(first) = chars.first() else {
        return false;
    };
    let plain = chars.iter().all(|&c| !(c.is_whitespace() || matches!(c, '(' | ')' | '"' | '*')))
        && !matches!(first, '+' | '-' | '=')
        && fuzzy_tilde(&chars).is_none();
    plain
        && (after_field
            || (!matches!(text, "AND" | "OR" | "NOT" | "&&" | "||") && field_colon(&chars).is_none()))
}
