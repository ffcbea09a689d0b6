//! [`SyntaxError`] and how it is shown.

use std::fmt;

use super::MAX_QUERY_CHARS;

/// Why a query could not be parsed, and where.
///
/// `Display` shows it on several lines, ready for a terminal or a `<pre>`:
///
/// ```text
/// unknown field `tags:` (at column 10)
///   cluster tags:PARM
///           ^
/// hint: did you mean `tag:`? The fields are: id, tag, origin, …
/// ```
///
/// A web page can instead render [`message`](Self::message),
/// [`position`](Self::position) and [`hint`](Self::hint) itself (it is
/// `Serialize` for a JSON API).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyntaxError {
    /// What is wrong, in one sentence without a final full stop.
    pub message: String,
    /// Where: the 0-based column, counted in characters (not bytes), of the
    /// offending spot in the query. It can be the query's length, pointing
    /// just past the end.
    pub position: usize,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
    /// The query as given, cut after [`MAX_QUERY_CHARS`] + 100 characters
    /// (the excerpt `Display` shows around the position).
    pub query: String,
}

/// How many characters of a long query are shown either side of the caret.
const CONTEXT: usize = 36;

impl SyntaxError {
    pub(super) fn new(query: &str, position: usize, message: String, hint: Option<String>) -> SyntaxError {
        SyntaxError { message, position, hint, query: query.chars().take(MAX_QUERY_CHARS + 100).collect() }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} (at column {})", self.message, self.position + 1)?;
        // Show the query on one line (control characters as spaces, so the
        // caret stays under its character), cut to a window around the
        // position when it is long.
        let chars: Vec<char> = self.query.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let position = self.position.min(chars.len());
        let start = position.saturating_sub(CONTEXT).min(chars.len().saturating_sub(2 * CONTEXT));
        let end = chars.len().min(start + 2 * CONTEXT);
        let mut caret = position - start + 2;
        let mut line = String::from("  ");
        if start > 0 {
            line.push('…');
            caret += 1;
        }
        line.extend(&chars[start..end]);
        if end < chars.len() {
            line.push('…');
        }
        writeln!(f, "{}", line.trim_end())?;
        write!(f, "{:caret$}^", "")?;
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SyntaxError {}

/// A [`SyntaxError`] before it knows its query: what the lexer and parser
/// return.
#[derive(Debug, Clone)]
pub(super) struct Problem {
    pub(super) position: usize,
    pub(super) message: String,
    pub(super) hint: Option<String>,
}

impl Problem {
    /// A problem at `position` (a char index).
    pub(super) fn at(position: usize, message: impl Into<String>) -> Problem {
        Problem { position, message: message.into(), hint: None }
    }

    /// Adds a hint.
    pub(super) fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }

    pub(super) fn into_error(self, query: &str) -> SyntaxError {
        SyntaxError::new(query, self.position, self.message, self.hint)
    }
}

/// What the lexer and parser return.
pub(super) type Result<T> = std::result::Result<T, Problem>;
