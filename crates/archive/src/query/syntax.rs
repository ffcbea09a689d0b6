//! The search query language: text in, [`Query`] out, with error messages a
//! journalist can act on.
//!
//! The syntax is the one people know from Google and Lucene:
//!
//! | Written                         | Means                                                     |
//! |---------------------------------|-----------------------------------------------------------|
//! | `cluster munitions`             | both words (adjacent clauses are joined with AND)         |
//! | `"cluster munitions"`           | the phrase                                                |
//! | `"cluster munitions"~5`         | both words within 5 positions of each other (slop 5)      |
//! | `mines OR munitions`            | either word                                               |
//! | `cluster AND munitions`         | both words (the same as without `AND`)                    |
//! | `NOT mines`, `-mines`           | documents without the word                                |
//! | `+mines`                        | the word is required (the same as without `+`)            |
//! | `(mines OR munitions) cluster`  | grouping                                                  |
//! | `munit*`                        | words starting with `munit` (at least 2 characters)       |
//! | `munitions`                     | the word and the words of its stem (`munition`, `munitions`) |
//! | `=munition`                     | only that form of the word, not its stem's others          |
//! | `Qadhafi~`, `Qadhafi~2`         | words within 1 (or 2) edits (`Qaddafi`, `Qadafi`)          |
//! | `tag:PREL`, `subject:"a b"`     | the word or phrase in one field                           |
//! | `subject:(cluster OR mine)`     | the field applies to every word of the group              |
//! | `created:2008-12`               | created in December 2008 (also `2008`, `2008-12-29`)      |
//! | `created:2008-01..2009-06`      | created from January 2008 to June 2009, both included     |
//! | `created:..2008-06`, `created:2008..` | open-ended ranges                                   |
//! | `project:12`                    | cables collected in project 12 (newsroom members only)    |
//! | `note:"asked to remove"`        | cables with a note of one of your projects saying it      |
//! | `starred:me`, `label:urgent`    | cables you starred, or gave that label                    |
//!
//! `NOT`, `-` and `+` bind tightest, then `AND` (written or implied), then
//! `OR`: `a OR b c` is `a OR (b AND c)`. The keywords are upper case only:
//! `and`, `or` and `not` are ordinary words. The fields are `id`, `tag`,
//! `origin`, `from`, `to`, `class`, `caveat`, `subject`, `ref`, `signer`,
//! `created` and `body` (their names are not case-sensitive). A colon
//! preceded by anything other than letters (`12:30`) is part of a word, and
//! quotes turn off every operator: `"author:smith"` and `"AND"` are searched
//! as text.
//!
//! [`parse`] never panics. A query it rejects comes back as a
//! [`SyntaxError`] whose `Display` shows the query with a caret under the
//! offending spot and a hint. Queries are limited to
//! [`MAX_QUERY_CHARS`] characters and [`MAX_NESTING`] levels of parentheses.
//!
//! ```
//! use archive::query::syntax::{parse, Field, Query};
//!
//! # fn main() -> Result<(), archive::query::syntax::SyntaxError> {
//! let query = parse("subject:\"cluster munitions\" OR tag:PARM")?;
//! assert_eq!(
//!     query,
//!     Query::Boolean {
//!         must: vec![],
//!         should: vec![
//!             Query::Phrase {
//!                 field: Some(Field::Subject),
//!                 words: vec!["cluster".into(), "munitions".into()],
//!                 slop: 0,
//!             },
//!             Query::Term { field: Some(Field::Tag), text: "PARM".into() },
//!         ],
//!         must_not: vec![],
//!     }
//! );
//! // Queries print back as query syntax.
//! assert_eq!(query.to_string(), "subject:\"cluster munitions\" OR tag:PARM");
//!
//! let error = parse("tags:PARM").unwrap_err();
//! assert_eq!(error.position, 0);
//! assert!(error.hint.unwrap().contains("did you mean `tag:`?"));
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::str::FromStr;

mod created;
mod display;
mod error;
mod fields;
mod lexer;
mod parser;
#[cfg(test)]
mod tests;

pub use error::SyntaxError;
pub use fields::UnknownField;

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// The deepest nesting of parentheses accepted.
pub const MAX_NESTING: usize = 32;

/// A field a word, prefix or phrase can be restricted to (`tag:PREL`).
///
/// `created:` is not among them: it takes dates and parses into
/// [`Query::Created`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// `id:` — the cable's canonical id, e.g. `08STATE134777`.
    Id,
    /// `tag:` — a TAGS code, e.g. `PREL`, `PARM`, `AF`.
    Tag,
    /// `origin:` — the sending station, e.g. `STATE`, `LONDON`.
    Origin,
    /// `from:` — the FM line of the header.
    From,
    /// `to:` — the TO and INFO recipients.
    To,
    /// `class:` — the classification, e.g. `CONFIDENTIAL`.
    Class,
    /// `caveat:` — handling caveats, e.g. `NOFORN`.
    Caveat,
    /// `subject:` — the SUBJECT line.
    Subject,
    /// `ref:` — the cables this one references.
    Ref,
    /// `signer:` — the name signing the cable, e.g. `RICE`.
    Signer,
    /// `body:` — the text of the cable.
    Body,
}

impl Field {
    /// Every field, in the order they are listed to users.
    pub const ALL: [Field; 11] = [
        Field::Id,
        Field::Tag,
        Field::Origin,
        Field::From,
        Field::To,
        Field::Class,
        Field::Caveat,
        Field::Subject,
        Field::Ref,
        Field::Signer,
        Field::Body,
    ];

    /// The field's name as written in queries, lower case, without the colon
    /// (`"tag"`).
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Tag => "tag",
            Field::Origin => "origin",
            Field::From => "from",
            Field::To => "to",
            Field::Class => "class",
            Field::Caveat => "caveat",
            Field::Subject => "subject",
            Field::Ref => "ref",
            Field::Signer => "signer",
            Field::Body => "body",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Field {
    type Err = UnknownField;

    /// Reads a field name as [`Field::name`] gives it, ignoring ASCII case
    /// (`"tag"`, `"TAG"`). `"created"` is not a `Field`.
    fn from_str(name: &str) -> Result<Field, UnknownField> {
        Field::ALL
            .into_iter()
            .find(|field| field.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownField { name: name.to_owned() })
    }
}

/// A field whose values are the newsroom's private data (`project:12`,
/// `note:"asked to remove"`, `starred:me`, `label:urgent`): it is never in
/// the search index, and means something only for the person asking, who
/// must be signed in (see [`crate::newsroom`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrivateField {
    /// `project:ID` — the cables collected in a project the asker is a member of.
    Project,
    /// `note:WORDS` — cables with a note, in one of the asker's projects,
    /// containing these words.
    Note,
    /// `starred:me` — the cables the asker starred.
    Starred,
    /// `label:NAME` — the cables the asker gave this label.
    Label,
}

impl PrivateField {
    /// Every private field, in the order they are listed to users.
    pub const ALL: [PrivateField; 4] =
        [PrivateField::Project, PrivateField::Note, PrivateField::Starred, PrivateField::Label];

    /// The field's name as written in queries (`"project"`).
    pub fn name(self) -> &'static str {
        match self {
            PrivateField::Project => "project",
            PrivateField::Note => "note",
            PrivateField::Starred => "starred",
            PrivateField::Label => "label",
        }
    }
}

impl fmt::Display for PrivateField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A parsed search query.
///
/// [`parse`] returns it normalised: a single clause is never wrapped in a
/// [`Query::Boolean`], nested `AND`s and `OR`s are flattened into one
/// `Boolean` (`a OR b OR c` is one `should` list), a field applied to a
/// group is distributed to the words inside it, and a quoted single word is
/// a [`Query::Term`]. Printing a query (`Display`) gives query syntax that
/// parses back to the same value, for every query [`parse`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Every document: the empty query.
    All,
    /// A word.
    Term {
        /// The field it is restricted to; `None` is the default fields.
        field: Option<Field>,
        /// The word exactly as typed (not lower-cased or otherwise
        /// normalised: that is the index tokenizer's job). Never empty and
        /// never contains whitespace.
        text: String,
    },
    /// Words starting with a prefix (`munit*`).
    Prefix {
        /// The field it is restricted to; `None` is the default fields.
        field: Option<Field>,
        /// The prefix as typed, without the `*`: at least two characters.
        prefix: String,
    },
    /// A word in the form written only, without its stem's other forms
    /// (`=munition`).
    Exact {
        /// The field it is restricted to; `None` is the default fields.
        field: Option<Field>,
        /// The word as typed, without the `=`.
        text: String,
    },
    /// Words within a few edits of a word (`Qadhafi~`, `Qadhafi~2`).
    Fuzzy {
        /// The field it is restricted to; `None` is the default fields.
        field: Option<Field>,
        /// The word as typed, without the `~`: at least 3 characters.
        text: String,
        /// The edits allowed: 1 or 2.
        edits: u8,
    },
    /// Words in sequence (`"cluster munitions"`), optionally with a slop
    /// (`"cluster munitions"~5`).
    Phrase {
        /// The field it is restricted to; `None` is the default fields.
        field: Option<Field>,
        /// The words between the quotes, split on whitespace only: at least
        /// two (a quoted single word is a [`Query::Term`]).
        words: Vec<String>,
        /// How far the words may move from their positions (0: exact
        /// sequence), as in Lucene and tantivy.
        slop: u32,
    },
    /// Cables created in the half-open range `from <= date < until`
    /// (`created:2008` is `2008-01-01 <= date < 2009-01-01`). A missing
    /// bound is open; `until` is also `None` when the range runs to the end
    /// of [`cable::Date`]'s range (year 2199).
    Created {
        /// The first day included.
        from: Option<cable::Date>,
        /// The first day after the range.
        until: Option<cable::Date>,
    },
    /// A newsroom field and its value (`project:12`, `label:"to check"`):
    /// resolved for the person asking, never from the index.
    Private {
        /// The field.
        field: PrivateField,
        /// The value as typed (a word, or a phrase's words joined by one space).
        value: String,
    },
    /// A combination of clauses, in Lucene's terms.
    ///
    /// As [`parse`] builds it, a `Boolean` is either a conjunction (`must`
    /// and/or `must_not` clauses, `should` empty: every `must` clause
    /// matches and no `must_not` clause does) or a disjunction (only
    /// `should`, at least two: at least one matches). A `Boolean` with only
    /// `must_not` clauses means "every document except": it is the whole
    /// query for `-foo` or `NOT foo`, and can also be nested, as in
    /// `a OR -b` or `-(-a)`.
    Boolean {
        /// Clauses that must all match.
        must: Vec<Query>,
        /// Clauses of which at least one must match.
        should: Vec<Query>,
        /// Clauses none of which may match.
        must_not: Vec<Query>,
    },
}

/// Parses a search query.
///
/// An empty query (or only whitespace) is [`Query::All`]. See the [module
/// documentation](self) for the syntax.
///
/// # Errors
///
/// A [`SyntaxError`] pointing at the first problem found: unbalanced quotes
/// or parentheses, an operator with nothing to apply to, an empty phrase, a
/// bad proximity, a bad date or range, an unknown field or a field without a
/// value, a misplaced `*`, a query over [`MAX_QUERY_CHARS`] characters or
/// nested deeper than [`MAX_NESTING`] parentheses.
pub fn parse(input: &str) -> Result<Query, SyntaxError> {
    let length = input.chars().count();
    if length > MAX_QUERY_CHARS {
        return Err(SyntaxError::new(
            input,
            MAX_QUERY_CHARS,
            format!("the query is too long: {length} characters (the limit is {MAX_QUERY_CHARS})"),
            Some("search for fewer words, or split the search in two".to_owned()),
        ));
    }
    let chars: Vec<char> = input.chars().collect();
    let (tokens, lexical_problem) = lexer::tokenize(&chars);
    parser::parse(&tokens, lexical_problem).map_err(|e| e.into_error(input))
}
