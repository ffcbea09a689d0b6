//! Builds a [`Query`] from tokens by recursive descent, normalising as it
//! goes.
//!
//! ```text
//! query       = alternatives
//! alternatives = conjunction ("OR" conjunction)*
//! conjunction = clause ("AND"? clause)*
//! clause      = ("NOT" | "-" | "+")? primary
//! primary     = "(" alternatives ")" | word | prefix | phrase | created
//!             | field (word | prefix | phrase | "(" alternatives ")")
//! ```
//!
//! Recursion only goes through parentheses, which are limited to
//! [`MAX_NESTING`] levels, so the stack is safe.

use super::error::{Problem, Result};
use super::lexer::{Spanned, Token};
use super::{Field, Query, MAX_NESTING};

/// Parses tokens into a query. `lexical_problem` is what stopped the lexer
/// after the last token, if anything: it is reported when the parser gets
/// there.
pub(super) fn parse(tokens: &[Spanned], lexical_problem: Option<Problem>) -> Result<Query> {
    if tokens.is_empty() && lexical_problem.is_none() {
        return Ok(Query::All);
    }
    let mut parser = Parser { tokens, lexical_problem, next: 0, depth: 0 };
    parser.expect_clause(After::Start, true)?;
    let query = parser.alternatives(None)?;
    match parser.peek()? {
        None => Ok(query),
        Some((Token::Close, position)) => Err(unmatched_close(*position)),
        // `alternatives` stops only at `)` or the end.
        Some((token, position)) => Err(Problem::at(*position, format!("unexpected {}", token.describe()))),
    }
}

/// What came before the place a clause is expected, for error messages.
#[derive(Debug, Clone, Copy)]
enum After<'a> {
    /// The start of the query.
    Start,
    /// `(` at this position.
    Open(usize),
    /// An operator at this position.
    Operator(&'a Token, usize),
}

/// How a clause takes part in a conjunction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Occur {
    Must,
    MustNot,
}

/// A field applied to a group, and where it was written.
type Context = Option<(Field, usize)>;

struct Parser<'a> {
    tokens: &'a [Spanned],
    lexical_problem: Option<Problem>,
    next: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    /// The next token; `None` at the end of the query, and the lexical
    /// problem if there was one there.
    fn peek(&self) -> Result<Option<&'a Spanned>> {
        match (self.tokens.get(self.next), &self.lexical_problem) {
            (None, Some(problem)) => Err(problem.clone()),
            (token, _) => Ok(token),
        }
    }

    fn bump(&mut self) -> Result<Option<&'a Spanned>> {
        let token = self.peek()?;
        self.next += usize::from(token.is_some());
        Ok(token)
    }

    /// Checks that a clause (`unary`: possibly with `NOT`, `-` or `+`)
    /// starts at the next token.
    fn expect_clause(&self, after: After<'_>, unary: bool) -> Result<()> {
        match self.peek()? {
            Some((token, _)) if starts_primary(token) => Ok(()),
            Some((Token::Not | Token::Plus | Token::Minus, _)) if unary => Ok(()),
            found => Err(missing_clause(after, found)),
        }
    }

    fn alternatives(&mut self, context: Context) -> Result<Query> {
        let mut alternatives = vec![self.conjunction(context)?];
        while let Some(or @ (Token::Or, position)) = self.peek()? {
            self.bump()?;
            self.expect_clause(After::Operator(&or.0, *position), true)?;
            alternatives.push(self.conjunction(context)?);
        }
        Ok(disjunction(alternatives))
    }

    fn conjunction(&mut self, context: Context) -> Result<Query> {
        let mut clauses = Vec::new();
        loop {
            clauses.push(self.clause(context)?);
            match self.peek()? {
                Some(and @ (Token::And, position)) => {
                    self.bump()?;
                    self.expect_clause(After::Operator(&and.0, *position), true)?;
                }
                Some((token, _)) if starts_clause(token) => {}
                _ => break,
            }
        }
        Ok(conjunction(clauses))
    }

    fn clause(&mut self, context: Context) -> Result<(Occur, Query)> {
        match self.peek()? {
            Some(operator @ (Token::Not | Token::Minus | Token::Plus, position)) => {
                self.bump()?;
                self.expect_clause(After::Operator(&operator.0, *position), false)?;
                let occur = if operator.0 == Token::Plus { Occur::Must } else { Occur::MustNot };
                Ok((occur, self.primary(context)?))
            }
            _ => Ok((Occur::Must, self.primary(context)?)),
        }
    }

    fn primary(&mut self, context: Context) -> Result<Query> {
        let field = context.map(|(field, _)| field);
        match self.bump()? {
            Some((Token::Open, position)) => self.group(context, *position),
            Some((Token::Word(text), _)) => Ok(Query::Term { field, text: text.clone() }),
            Some((Token::Prefix(prefix), _)) => Ok(Query::Prefix { field, prefix: prefix.clone() }),
            Some((Token::Exact(text), _)) => Ok(Query::Exact { field, text: text.clone() }),
            Some((Token::Fuzzy(text, edits), _)) => {
                Ok(Query::Fuzzy { field, text: text.clone(), edits: *edits })
            }
            Some((Token::Phrase(words, slop), _)) => Ok(phrase(field, words, *slop)),
            Some((Token::Created(from, until), position)) => match context {
                Some(outer) => Err(nested_field("created", *position, outer)),
                None => Ok(Query::Created { from: *from, until: *until }),
            },
            Some((Token::Private(private), position)) => {
                if let Some(outer) = context {
                    return Err(nested_field(private.name(), *position, outer));
                }
                let (private, position) = (*private, *position);
                match self.bump()? {
                    Some((Token::Word(text), _)) => {
                        Ok(Query::Private { field: private, value: text.clone() })
                    }
                    Some((Token::Phrase(words, 0), _)) => {
                        Ok(Query::Private { field: private, value: words.join(" ") })
                    }
                    _ => Err(Problem::at(
                        position,
                        format!("`{private}:` takes one word or a quoted phrase, as written"),
                    )
                    .hint(format!("for example {private}:{}", super::lexer::private_example(private)))),
                }
            }
            Some((Token::Field(inner), position)) => {
                if let Some(outer) = context {
                    return Err(nested_field(inner.name(), *position, outer));
                }
                let field = Some(*inner);
                match self.bump()? {
                    Some((Token::Word(text), _)) => Ok(Query::Term { field, text: text.clone() }),
                    Some((Token::Prefix(prefix), _)) => Ok(Query::Prefix { field, prefix: prefix.clone() }),
                    Some((Token::Exact(text), _)) => Ok(Query::Exact { field, text: text.clone() }),
                    Some((Token::Fuzzy(text, edits), _)) => {
                        Ok(Query::Fuzzy { field, text: text.clone(), edits: *edits })
                    }
                    Some((Token::Phrase(words, slop), _)) => Ok(phrase(field, words, *slop)),
                    Some((Token::Open, open)) => self.group(Some((*inner, *position)), *open),
                    // The lexer puts a value after every field.
                    _ => Err(Problem::at(
                        *position,
                        format!("`{inner}:` needs something to search for after it"),
                    )),
                }
            }
            // `expect_clause` has checked that a primary comes next.
            Some((token, position)) => {
                Err(Problem::at(*position, format!("unexpected {}", token.describe())))
            }
            None => Err(Problem::at(self.end(), "the query ends too early")),
        }
    }

    /// The group whose `(` at `open` has just been read.
    fn group(&mut self, context: Context, open: usize) -> Result<Query> {
        if self.depth >= MAX_NESTING {
            return Err(Problem::at(open, format!("too many nested parentheses (the limit is {MAX_NESTING})"))
                .hint("simplify the query: parentheses around a single clause or an AND inside an AND are not needed"));
        }
        self.depth += 1;
        self.expect_clause(After::Open(open), true)?;
        let query = self.alternatives(context)?;
        match self.bump()? {
            Some((Token::Close, _)) => {}
            _ => return Err(unclosed(open)),
        }
        self.depth -= 1;
        Ok(query)
    }

    /// The column just past the last token (used only for broken
    /// invariants).
    fn end(&self) -> usize {
        self.tokens.last().map_or(0, |(_, position)| position + 1)
    }
}

/// Whether `token` can start a clause without an operator.
fn starts_primary(token: &Token) -> bool {
    matches!(
        token,
        Token::Open
            | Token::Word(_)
            | Token::Prefix(_)
            | Token::Exact(_)
            | Token::Fuzzy(..)
            | Token::Phrase(..)
            | Token::Created(..)
            | Token::Field(_)
            | Token::Private(_)
    )
}

/// Whether `token` can start a clause, operator included.
fn starts_clause(token: &Token) -> bool {
    starts_primary(token) || matches!(token, Token::Not | Token::Plus | Token::Minus)
}

fn phrase(field: Option<Field>, words: &[String], slop: u32) -> Query {
    match words {
        [word] => Query::Term { field, text: word.clone() },
        _ => Query::Phrase { field, words: words.to_vec(), slop },
    }
}

/// `a b -c`: nested conjunctions are merged in, a single clause stands alone.
fn conjunction(clauses: Vec<(Occur, Query)>) -> Query {
    let (mut must, mut must_not) = (Vec::new(), Vec::new());
    for clause in clauses {
        match clause {
            (Occur::Must, Query::Boolean { must: inner_must, should, must_not: inner_must_not })
                if should.is_empty() =>
            {
                must.extend(inner_must);
                must_not.extend(inner_must_not);
            }
            (Occur::Must, query) => must.push(query),
            (Occur::MustNot, query) => must_not.push(query),
        }
    }
    if must.len() == 1 && must_not.is_empty() {
        if let Some(query) = must.pop() {
            return query;
        }
    }
    Query::Boolean { must, should: Vec::new(), must_not }
}

/// `a OR b`: nested disjunctions are merged in, a single clause stands alone.
fn disjunction(alternatives: Vec<Query>) -> Query {
    let mut should = Vec::new();
    for alternative in alternatives {
        match alternative {
            Query::Boolean { must, should: inner, must_not } if must.is_empty() && must_not.is_empty() => {
                should.extend(inner);
            }
            query => should.push(query),
        }
    }
    if should.len() == 1 {
        if let Some(query) = should.pop() {
            return query;
        }
    }
    Query::Boolean { must: Vec::new(), should, must_not: Vec::new() }
}

fn unmatched_close(position: usize) -> Problem {
    Problem::at(position, "this `)` has no matching `(`")
        .hint("remove it, or add a `(` where the group starts")
}

fn unclosed(open: usize) -> Problem {
    Problem::at(open, "this `(` is never closed").hint("add a `)` where the group ends, or remove the `(`")
}

fn nested_field(inner: &str, position: usize, (outer, _): (Field, usize)) -> Problem {
    Problem::at(position, format!("`{inner}:` cannot be used inside `{outer}:(…)`")).hint(format!(
        "move `{inner}:…` out of the parentheses: `{outer}:(…)` applies `{outer}:` to everything inside"
    ))
}

/// The error for a missing clause after `after`, where `found` is instead.
fn missing_clause(after: After<'_>, found: Option<&Spanned>) -> Problem {
    match (after, found) {
        (_, Some((token @ (Token::And | Token::Or), position))) => {
            let operator = token.describe();
            let problem = match after {
                After::Start => Problem::at(*position, format!("{operator} at the start of the query")),
                After::Open(_) => Problem::at(*position, format!("{operator} right after `(`")),
                After::Operator(previous, _) => {
                    Problem::at(*position, format!("{operator} right after {}", previous.describe()))
                }
            };
            problem.hint(operator_hint(token))
        }
        (After::Operator(operator, _), Some((token @ (Token::Not | Token::Plus | Token::Minus), at))) => {
            Problem::at(*at, format!("{} right after {}", token.describe(), operator.describe()))
                .hint("use one of the two: one NOT, - or + applies to the word, phrase or group after it")
        }
        (After::Operator(operator, position), Some((Token::Close, _))) => {
            Problem::at(position, format!("nothing after {} before `)`", operator.describe()))
                .hint(operator_hint(operator))
        }
        (After::Operator(operator, position), _) => {
            Problem::at(position, format!("nothing after {}", operator.describe()))
                .hint(operator_hint(operator))
        }
        (After::Open(open), Some((Token::Close, _))) => Problem::at(open, "empty parentheses")
            .hint("put something to search for between them, or remove them"),
        (After::Open(open), None) => unclosed(open),
        (After::Start, Some((Token::Close, position))) => unmatched_close(*position),
        (_, Some((token, position))) => Problem::at(*position, format!("unexpected {}", token.describe())),
        (After::Start, None) => Problem::at(0, "the query is empty"),
    }
}

/// How an operator is used.
fn operator_hint(operator: &Token) -> &'static str {
    match operator {
        Token::And => "AND goes between two things that must both match: cluster AND munitions",
        Token::Or => "OR goes between alternatives: mines OR munitions",
        Token::Not => "NOT goes before what to exclude: munitions NOT cluster",
        Token::Minus => "- goes directly before what to exclude: munitions -cluster",
        Token::Plus => "+ goes directly before what is required: +munitions",
        _ => "",
    }
}
