//! Search queries: the query language ([`syntax`]), its translation into
//! tantivy queries, and running a search (ranked or by date, exact total,
//! facets, per-month histogram, highlighted snippets).

pub mod facets;
mod guard;
mod ordered;
mod ranked;
mod snippets;
pub mod spelling;
pub mod syntax;
pub mod word_forms;

use std::ops::Bound;

use serde::Serialize;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query as TQuery, RangeQuery,
    RegexQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Order, TantivyDocument, Term};

use crate::index::Fields;
use crate::{Archive, Error, Result};
use facets::{FacetCounter, FacetField, FacetTally};
use syntax::{Field as QField, PrivateField, Query};

/// What the newsroom fields of a query ([`PrivateField`]: `project:12`,
/// `note:...`, `starred:me`, `label:...`) mean for the person asking. The
/// index holds none of it: a search resolves each such clause to the
/// cables it stands for, through this, and filters by their ids. A search
/// without one refuses those fields.
pub trait PrivateScope {
    /// The canonical ids of the cables `field:value` stands for, for the
    /// person asking.
    ///
    /// # Errors
    ///
    /// [`Error::BadRequest`] for a value that means nothing to them (a
    /// project they are not a member of reads the same as one that does
    /// not exist).
    fn cables(&self, field: PrivateField, value: &str) -> Result<Vec<String>>;
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// BM25 relevance, subject matches weighing more (default).
    #[default]
    Relevance,
    /// Newest first.
    DateDesc,
    /// Oldest first.
    DateAsc,
}

/// The largest page size served.
pub const MAX_PER_PAGE: usize = 1_000;
/// The deepest result reachable by paging (offset + page size).
pub const MAX_DEPTH: usize = 100_000;

/// A search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// The query text (see [`syntax`]).
    pub query: String,
    /// Page number, from 1.
    pub page: usize,
    /// Hits per page (1 to [`MAX_PER_PAGE`]). Default 10.
    pub per_page: usize,
    /// Ordering.
    pub sort: Sort,
    /// Compute facet counts (tags, origins, classifications, years).
    pub facets: bool,
    /// Compute the per-month histogram.
    pub histogram: bool,
    /// Compute highlighted snippets.
    pub snippets: bool,
    /// Search words in the other spellings of their names too
    /// ([`crate::variants`]). Default true.
    pub variants: bool,
    /// Match words by their stem (`ratify` finds `ratified`). Default
    /// true; false searches every word as written (folded), as `=word`
    /// does for one word.
    pub stemming: bool,
}

impl SearchRequest {
    /// A first page of 10 ranked hits with snippets.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            page: 1,
            per_page: 10,
            sort: Sort::Relevance,
            facets: false,
            histogram: false,
            variants: true,
            stemming: true,
            snippets: true,
        }
    }
}

/// A snippet of matching text with the matched words marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Snippet {
    /// The text fragment.
    pub text: String,
    /// Byte ranges of `text` that matched.
    pub highlights: Vec<(usize, usize)>,
}

/// One hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    /// Canonical cable id.
    pub id: String,
    /// BM25 score (ranked searches only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    /// Created, ISO 8601.
    pub created: Option<String>,
    /// Origin.
    pub origin: String,
    /// Classification.
    pub classification: String,
    /// Subject.
    pub subject: String,
    /// Matching text with highlights (empty when only metadata matched).
    pub snippets: Vec<Snippet>,
}

/// A facet value and its count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    /// The value (`PARM`, `Embassy Kabul`, `SECRET`, `2008`).
    pub value: String,
    /// Matching cables with it.
    pub count: u64,
}

/// Facet counts over all matching cables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    /// TAGS, most frequent first (top 30).
    pub tags: Vec<FacetCount>,
    /// Origins, most frequent first (top 30).
    pub origins: Vec<FacetCount>,
    /// Classifications.
    pub classifications: Vec<FacetCount>,
    /// Handling caveats (`SIPDIS`, `NODIS`...).
    pub caveats: Vec<FacetCount>,
    /// Years, in order.
    pub years: Vec<FacetCount>,
}

/// The results of a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Exact number of matching cables.
    pub total: u64,
    /// Words also searched in other spellings of their name (none when the
    /// request turned variants off).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expanded: Vec<Expansion>,
    /// A close spelling of the query's words that finds more cables, when
    /// this one finds few ([`spelling::FEW`] or fewer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<spelling::Suggestion>,
    /// Page number.
    pub page: usize,
    /// Page size.
    pub per_page: usize,
    /// Ordering used.
    pub sort: Sort,
    /// The hits of this page.
    pub hits: Vec<Hit>,
    /// Facet counts, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    /// Matching cables per month (`YYYY-MM`), in order, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub histogram: Option<Vec<FacetCount>>,
}

/// Translates a parsed query into a tantivy query over an index's fields.
pub struct Translator<'a> {
    fields: &'a Fields,
    /// The index searched, when known: a stemmed phrase then looks up
    /// which of each word's terms exist and becomes plain phrase queries.
    searcher: Option<&'a tantivy::Searcher>,
    /// The body terms the query looks for outside a `NOT`: what snippets
    /// highlight.
    highlights: Vec<Term>,
    /// How many `NOT`s the clause being translated is under.
    negated: usize,
    /// Fuzzy words of the body outside a `NOT` and their edits: their
    /// close spellings are highlighted too.
    fuzzy_words: Vec<(String, u8)>,
    /// The spelling groups to search words in, when asked.
    variants: Option<&'a crate::variants::Variants>,
    /// The words searched in their other spellings too.
    expanded: Vec<Expansion>,
    /// Plain words and phrases match by stem (else as written).
    stemming: bool,
    /// Forms of words already looked up in this index.
    forms_cache: Option<&'a word_forms::FormsCache>,
    /// What newsroom fields mean for the person asking.
    private: Option<&'a dyn PrivateScope>,
}

/// A word of the query searched in its other spellings too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Expansion {
    /// The word as typed.
    pub word: String,
    /// The other spellings searched, each with the number of cables whose
    /// text holds it.
    pub also: Vec<Spelling>,
}

/// One spelling of a name and how many cables hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Spelling {
    /// The spelling (folded, lower case).
    pub word: String,
    /// Cables whose text holds it.
    pub cables: u64,
}

/// How the words of a text field are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// The word and every word of its stem (subject and body).
    Stem,
    /// The folded word as written.
    Exact,
}

const SUBJECT_BOOST: f32 = 3.0;

impl<'a> Translator<'a> {
    /// A translator for these fields (words folded and stemmed as
    /// [`crate::index::analysis`] indexes them).
    pub fn new(fields: &'a Fields) -> Translator<'a> {
        Translator {
            fields,
            searcher: None,
            highlights: Vec::new(),
            negated: 0,
            fuzzy_words: Vec::new(),
            variants: None,
            expanded: Vec::new(),
            stemming: true,
            forms_cache: None,
            private: None,
        }
    }

    /// Newsroom fields (`project:`, `note:`, ...) resolved by `scope`
    /// (without one, they are refused).
    pub fn with_private(mut self, scope: Option<&'a dyn PrivateScope>) -> Translator<'a> {
        self.private = scope;
        self
    }

    /// A translator for these fields of the index `searcher` reads.
    pub fn for_searcher(fields: &'a Fields, searcher: &'a tantivy::Searcher) -> Translator<'a> {
        Translator { searcher: Some(searcher), ..Translator::new(fields) }
    }

    /// The body terms to highlight, fuzzy words' close spellings in
    /// `searcher` included.
    fn highlights_in(&self, searcher: &tantivy::Searcher) -> Result<Vec<Term>> {
        let body = self.fields.body;
        let mut out = self.highlights.clone();
        for (word, edits) in &self.fuzzy_words {
            out.push(Term::from_field_text(body, word));
            for close in spelling::close_terms(searcher, body, word, *edits)?.into_iter().take(32) {
                out.push(Term::from_field_text(body, &close.text));
            }
        }
        Ok(out)
    }

    fn tokens(&mut self, text: &str) -> Vec<String> {
        crate::index::analysis::folded_words(text)
    }

    /// The tantivy query for a parsed query.
    pub fn translate(&mut self, q: &Query) -> Result<Box<dyn TQuery>> {
        Ok(match q {
            Query::All => Box::new(AllQuery),
            Query::Term { field, text } => {
                let form = self.plain_form();
                self.words(*field, std::slice::from_ref(text), 0, false, form)?
            }
            Query::Exact { field, text } => {
                self.words(*field, std::slice::from_ref(text), 0, false, Form::Exact)?
            }
            Query::Phrase { field, words, slop } => {
                let form = self.plain_form();
                self.words(*field, words, *slop, true, form)?
            }
            Query::Prefix { field, prefix } => self.prefix(*field, prefix)?,
            Query::Fuzzy { field, text, edits } => self.fuzzy(*field, text, *edits)?,
            Query::Created { from, until } => {
                let ts = |d: &cable::Date| d.days_since_epoch() * 86_400;
                let lower = from.as_ref().map_or(Bound::Unbounded, |d| {
                    Bound::Included(Term::from_field_i64(self.fields.created, ts(d)))
                });
                let upper = until.as_ref().map_or(Bound::Unbounded, |d| {
                    Bound::Excluded(Term::from_field_i64(self.fields.created, ts(d)))
                });
                if matches!((&lower, &upper), (Bound::Unbounded, Bound::Unbounded)) {
                    Box::new(AllQuery)
                } else {
                    Box::new(RangeQuery::new(lower, upper))
                }
            }
            Query::Private { field, value } => {
                let scope = self.private.ok_or_else(|| {
                    Error::BadRequest(format!(
                        "`{field}:` searches a newsroom's own data: sign in to a private instance \
                         (`demarche serve --private`) to use it"
                    ))
                })?;
                let ids = scope.cables(*field, value)?;
                if ids.is_empty() {
                    Box::new(EmptyQuery)
                } else {
                    let terms = ids.iter().map(|id| Term::from_field_text(self.fields.id, id));
                    Box::new(TermSetQuery::new(terms))
                }
            }
            Query::Boolean { must, should, must_not } => {
                let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
                for m in must {
                    clauses.push((Occur::Must, self.translate(m)?));
                }
                for s in should {
                    clauses.push((Occur::Should, self.translate(s)?));
                }
                self.negated += 1;
                for n in must_not {
                    clauses.push((Occur::MustNot, self.translate(n)?));
                }
                self.negated -= 1;
                if must.is_empty() && should.is_empty() {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
        })
    }

    /// Words or a phrase, in a field or (no field) in subject and body.
    fn words(
        &mut self,
        field: Option<QField>,
        words: &[String],
        slop: u32,
        phrase: bool,
        form: Form,
    ) -> Result<Box<dyn TQuery>> {
        let f = self.fields;
        let joined = words.join(" ");
        let raw = |field: Field, value: String| -> Box<dyn TQuery> {
            Box::new(TermQuery::new(Term::from_field_text(field, &value), IndexRecordOption::Basic))
        };
        Ok(match field {
            None => {
                let tokens = self.tokens(&joined);
                let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
                for spelling in self.spellings(&joined, tokens, phrase, form) {
                    let subject = self.analysed(f.subject, &spelling, slop, form)?;
                    clauses.push((Occur::Should, Box::new(BoostQuery::new(subject, SUBJECT_BOOST))));
                    clauses.push((Occur::Should, self.analysed(f.body, &spelling, slop, form)?));
                }
                // A bare cable id also finds the cable itself.
                if !phrase && words.len() == 1 {
                    if let Some(id) = looks_like_id(&words[0]) {
                        clauses.push((Occur::Should, Box::new(BoostQuery::new(raw(f.id, id), 10.0))));
                    }
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Some(field @ (QField::Subject | QField::Body)) => {
                let target = if field == QField::Subject { f.subject } else { f.body };
                let tokens = self.tokens(&joined);
                let mut each: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
                for spelling in self.spellings(&joined, tokens, phrase, form) {
                    each.push((Occur::Should, self.analysed(target, &spelling, slop, form)?));
                }
                match each.len() {
                    1 => each.pop().map(|(_, q)| q).unwrap_or_else(|| Box::new(tantivy::query::EmptyQuery)),
                    _ => Box::new(BooleanQuery::new(each)),
                }
            }
            Some(QField::Origin) => text_query(f.origin, &self.tokens(&joined), slop),
            Some(QField::From) => text_query(f.from, &self.tokens(&joined), slop),
            Some(QField::To) => text_query(f.to, &self.tokens(&joined), slop),
            Some(QField::Id) => raw(f.id, canonical_id(&joined)?),
            Some(QField::Ref) => raw(f.cites, canonical_id(&joined)?),
            Some(QField::Tag) => raw(f.tag, joined.trim().to_uppercase()),
            Some(QField::Class) => raw(f.class, class_value(&joined)),
            Some(QField::Caveat) => raw(f.caveat, crate::index::caveat_token(&joined)),
            Some(QField::Signer) => raw(f.signer, joined.trim().to_lowercase()),
        })
    }

    /// Folded words of the subject or body, by stem or as written; the
    /// body's terms are kept for highlighting. By stem, each word is any of
    /// its forms the index holds ([`word_forms`]); without an index to look
    /// them up in, the word as written.
    fn analysed(
        &mut self,
        field: Field,
        tokens: &[String],
        slop: u32,
        form: Form,
    ) -> Result<Box<dyn TQuery>> {
        let keep = field == self.fields.body && self.negated.is_multiple_of(2);
        let searcher = match (form, self.searcher) {
            (Form::Stem, Some(searcher)) => searcher,
            _ => {
                if keep {
                    self.highlights.extend(tokens.iter().map(|t| Term::from_field_text(field, t)));
                }
                return Ok(text_query(field, tokens, slop));
            }
        };
        let mut positions: Vec<Vec<String>> = Vec::with_capacity(tokens.len());
        for t in tokens {
            let forms = match self.forms_cache {
                Some(cache) => cache.forms(searcher, field, t)?.as_ref().clone(),
                None => word_forms::forms(searcher, field, t)?,
            };
            positions.push(forms);
        }
        if keep {
            self.highlights.extend(positions.iter().flatten().map(|t| Term::from_field_text(field, t)));
        }
        Ok(match positions.as_slice() {
            [] => Box::new(tantivy::query::EmptyQuery),
            [one] if one.is_empty() => Box::new(tantivy::query::EmptyQuery),
            [one] => any_term(field, one),
            many => stem_phrases(field, many, slop),
        })
    }

    /// The spellings a word is searched in: itself, and the other spellings
    /// of its name ([`crate::variants`]) when the search allows them (a
    /// word, not a phrase or an exact form); the others are recorded in
    /// [`Translator::expanded`].
    fn spellings(&mut self, typed: &str, tokens: Vec<String>, phrase: bool, form: Form) -> Vec<Vec<String>> {
        let (Some(variants), Some(searcher), [word]) = (self.variants, self.searcher, tokens.as_slice())
        else {
            return vec![tokens];
        };
        if phrase || form == Form::Exact || !self.negated.is_multiple_of(2) {
            return vec![tokens];
        }
        let others = variants.others(word);
        if others.is_empty() {
            return vec![tokens];
        }
        let body = self.fields.body;
        let also = others
            .iter()
            .map(|o| Spelling {
                word: (*o).to_owned(),
                cables: searcher.doc_freq(&Term::from_field_text(body, o)).unwrap_or(0),
            })
            .collect();
        if !self.expanded.iter().any(|e| e.word == typed) {
            self.expanded.push(Expansion { word: typed.to_owned(), also });
        }
        let mut out = vec![tokens.clone()];
        out.extend(others.into_iter().map(|o| vec![o.to_owned()]));
        out
    }

    /// The words searched in other spellings too, in the query last
    /// translated.
    pub fn expanded(&self) -> &[Expansion] {
        &self.expanded
    }

    /// Matches plain words and phrases as written (folded), not by stem:
    /// every word of the query is read as `=word`.
    pub fn without_stemming(mut self) -> Translator<'a> {
        self.stemming = false;
        self
    }

    /// How a plain word or phrase is matched.
    fn plain_form(&self) -> Form {
        if self.stemming {
            Form::Stem
        } else {
            Form::Exact
        }
    }

    /// Remembers the forms of words looked up in this index.
    pub fn with_forms_cache(mut self, cache: &'a word_forms::FormsCache) -> Translator<'a> {
        self.forms_cache = Some(cache);
        self
    }

    /// Searches the other spellings of names too.
    pub fn with_variants(mut self, variants: &'a crate::variants::Variants) -> Translator<'a> {
        self.variants = Some(variants);
        self
    }

    /// Words within `edits` edits of `text`, in a field of words.
    fn fuzzy(&mut self, field: Option<QField>, text: &str, edits: u8) -> Result<Box<dyn TQuery>> {
        let f = self.fields;
        let tokens = self.tokens(text);
        let [word] = tokens.as_slice() else {
            return Err(Error::BadRequest(format!(
                "{text}~{edits}: a fuzzy search takes one word of letters and digits (it reads {} words)",
                tokens.len()
            )));
        };
        let one = |field: Field| -> Box<dyn TQuery> {
            Box::new(tantivy::query::FuzzyTermQuery::new(Term::from_field_text(field, word), edits, true))
        };
        if matches!(field, None | Some(QField::Body)) && self.negated.is_multiple_of(2) {
            self.fuzzy_words.push((word.clone(), edits));
        }
        Ok(match field {
            None => Box::new(BooleanQuery::new(vec![
                (Occur::Should, Box::new(BoostQuery::new(one(f.subject), SUBJECT_BOOST)) as Box<dyn TQuery>),
                (Occur::Should, one(f.body)),
            ])),
            Some(QField::Subject) => one(f.subject),
            Some(QField::Body) => one(f.body),
            Some(QField::Origin) => one(f.origin),
            Some(QField::From) => one(f.from),
            Some(QField::To) => one(f.to),
            Some(other) => {
                return Err(Error::BadRequest(format!(
                    "{other}:{text}~{edits}: `~` finds close spellings of words of text (subject, body, \
                     origin, from, to), not of {other}: values; write {other}:{text}, or {other}:{}* for \
                     values starting with it",
                    text.chars().take(3).collect::<String>()
                )))
            }
        })
    }

    fn prefix(&mut self, field: Option<QField>, prefix: &str) -> Result<Box<dyn TQuery>> {
        let f = self.fields;
        let regex = |field: Field, p: &str| -> Result<Box<dyn TQuery>> {
            let pattern = format!("{}.*", regex_escape(p));
            Ok(Box::new(
                RegexQuery::from_pattern(&pattern, field).map_err(|e| Error::BadRequest(e.to_string()))?,
            ))
        };
        let token = || -> Result<String> {
            let t = prefix.to_lowercase();
            if t.chars().all(char::is_alphanumeric) {
                Ok(t)
            } else {
                Err(Error::BadRequest(format!(
                    "prefix {prefix:?}*: a prefix search takes one word of letters and digits"
                )))
            }
        };
        Ok(match field {
            None => Box::new(BooleanQuery::new(vec![
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(regex(f.subject, &token()?)?, SUBJECT_BOOST)) as Box<dyn TQuery>,
                ),
                (Occur::Should, regex(f.body, &token()?)?),
            ])),
            Some(QField::Subject) => regex(f.subject, &token()?)?,
            Some(QField::Body) => regex(f.body, &token()?)?,
            Some(QField::Origin) => regex(f.origin, &token()?)?,
            Some(QField::From) => regex(f.from, &token()?)?,
            Some(QField::To) => regex(f.to, &token()?)?,
            Some(QField::Id) => regex(f.id, &prefix.to_uppercase())?,
            Some(QField::Ref) => regex(f.cites, &prefix.to_uppercase())?,
            Some(QField::Tag) => regex(f.tag, &prefix.to_uppercase())?,
            Some(QField::Class) => regex(f.class, &prefix.to_lowercase())?,
            Some(QField::Caveat) => regex(f.caveat, &prefix.to_lowercase())?,
            Some(QField::Signer) => regex(f.signer, &prefix.to_lowercase())?,
        })
    }
}

/// A term or phrase query over tokens of one text field.
fn text_query(field: Field, tokens: &[String], slop: u32) -> Box<dyn TQuery> {
    match tokens {
        [] => Box::new(tantivy::query::EmptyQuery),
        [one] => Box::new(TermQuery::new(Term::from_field_text(field, one), IndexRecordOption::WithFreqs)),
        many => {
            let terms: Vec<(usize, Term)> =
                many.iter().enumerate().map(|(i, t)| (i, Term::from_field_text(field, t))).collect();
            Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop))
        }
    }
}

/// The most phrase queries a stemmed phrase becomes (one per choice of a
/// term at each position); beyond, one regular-expression phrase query.
const MAX_PHRASE_CHOICES: usize = 16;

/// A phrase whose positions each hold any of their terms: the union of a
/// phrase query per choice of terms (usually one: most words have only
/// their stem or only their form indexed).
fn stem_phrases(field: Field, positions: &[Vec<String>], slop: u32) -> Box<dyn TQuery> {
    if positions.iter().any(Vec::is_empty) {
        return Box::new(tantivy::query::EmptyQuery);
    }
    let choices =
        positions.iter().try_fold(1usize, |n, p| n.checked_mul(p.len()).filter(|&n| n <= MAX_PHRASE_CHOICES));
    let Some(choices) = choices else {
        let patterns: Vec<(usize, String)> = positions
            .iter()
            .enumerate()
            .map(|(i, terms)| (i, terms.iter().map(|t| regex_escape_term(t)).collect::<Vec<_>>().join("|")))
            .collect();
        return Box::new(tantivy::query::RegexPhraseQuery::new_with_offset_and_slop(field, patterns, slop));
    };
    let mut phrases: Vec<(Occur, Box<dyn TQuery>)> = Vec::with_capacity(choices);
    for mut k in 0..choices {
        let words: Vec<String> = positions
            .iter()
            .map(|p| {
                let w = p[k % p.len()].clone();
                k /= p.len();
                w
            })
            .collect();
        phrases.push((Occur::Should, text_query(field, &words, slop)));
    }
    match phrases.len() {
        1 => phrases.pop().map(|(_, q)| q).unwrap_or_else(|| Box::new(tantivy::query::EmptyQuery)),
        _ => Box::new(BooleanQuery::new(phrases)),
    }
}

/// Any of `terms` in `field` (one term query, or their union).
fn any_term(field: Field, terms: &[String]) -> Box<dyn TQuery> {
    let query = |t: &String| -> Box<dyn TQuery> {
        Box::new(TermQuery::new(Term::from_field_text(field, t), IndexRecordOption::WithFreqs))
    };
    match terms {
        [one] => query(one),
        many => Box::new(BooleanQuery::new(many.iter().map(|t| (Occur::Should, query(t))).collect())),
    }
}

/// An indexed term as a regular expression matching only itself.
fn regex_escape_term(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 4);
    for c in term.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.push('[');
            if matches!(c, '\\' | ']' | '[' | '^' | '-' | '&' | '~') {
                out.push('\\');
            }
            out.push(c);
            out.push(']');
        }
    }
    out
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

fn canonical_id(text: &str) -> Result<String> {
    cable::RefId::parse(text.trim())
        .map(|i| i.to_string())
        .map_err(|e| Error::BadRequest(format!("{e} (a cable id looks like 08STATE134777)")))
}

/// A word that is a cable id as written in URLs and citations (`08STATE134777`).
fn looks_like_id(word: &str) -> Option<String> {
    let b = word.as_bytes();
    let shaped = b.len() >= 5
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && b[2].is_ascii_alphabetic()
        && b.last().is_some_and(u8::is_ascii_digit);
    shaped.then(|| cable::RefId::parse(word).ok().map(|i| i.to_string())).flatten()
}

fn class_value(text: &str) -> String {
    let t = text.trim().to_lowercase();
    match t.as_str() {
        "u" => "unclassified".into(),
        "c" => "confidential".into(),
        "s" => "secret".into(),
        "ts" | "top secret" | "topsecret" => "top secret".into(),
        "fouo" | "sbu" => "unclassified//for official use only".into(),
        _ => t,
    }
}

/// The counts of one column, most first (then by value), at most `top`.
fn facet_counts(tally: &FacetTally, field: FacetField, top: Option<usize>) -> Vec<FacetCount> {
    let mut v: Vec<FacetCount> = tally
        .get(&field)
        .map(|m| m.iter().map(|(value, &count)| FacetCount { value: value.clone(), count }).collect())
        .unwrap_or_default();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    if let Some(k) = top {
        v.truncate(k);
    }
    v
}

/// Counts per month (`YYYY-MM`), in date order.
fn month_counts(tally: &FacetTally) -> Vec<FacetCount> {
    let mut v = facet_counts(tally, FacetField::Month, None);
    v.sort_by(|a, b| a.value.cmp(&b.value));
    v
}

/// Counts per year, summed from the months, in date order.
fn year_counts(tally: &FacetTally) -> Vec<FacetCount> {
    let mut years: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for m in month_counts(tally) {
        let year = m.value.split('-').next().unwrap_or_default().to_owned();
        *years.entry(year).or_default() += m.count;
    }
    years.into_iter().map(|(value, count)| FacetCount { value, count }).collect()
}

/// A request's query parsed and translated for `searcher`, with the
/// translator (what it expanded, what to highlight).
fn translate_request<'a>(
    index: &'a crate::index::SearchIndex,
    searcher: &'a tantivy::Searcher,
    req: &SearchRequest,
    scope: Option<&'a dyn PrivateScope>,
) -> Result<(Query, Translator<'a>, Box<dyn TQuery>)> {
    let parsed = syntax::parse(&req.query)?;
    let mut translator =
        Translator::for_searcher(&index.fields, searcher).with_forms_cache(&index.forms).with_private(scope);
    if req.variants {
        translator = translator.with_variants(&index.variants);
    }
    if !req.stemming {
        translator = translator.without_stemming();
    }
    let query = translator.translate(&parsed)?;
    Ok((parsed, translator, query))
}

impl Archive {
    /// Runs a search (newsroom fields refused: see [`Archive::search_scoped`]).
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        self.search_scoped(req, None)
    }

    /// Runs a search for the person `scope` speaks for: the newsroom fields
    /// of the query (`project:12`) mean what they mean for them.
    pub fn search_scoped(
        &self,
        req: &SearchRequest,
        scope: Option<&dyn PrivateScope>,
    ) -> Result<SearchResults> {
        guard::guarded(|| self.search_unguarded(req, scope))
    }

    fn search_unguarded(
        &self,
        req: &SearchRequest,
        scope: Option<&dyn PrivateScope>,
    ) -> Result<SearchResults> {
        if req.per_page == 0 || req.per_page > MAX_PER_PAGE {
            return Err(Error::BadRequest(format!("page size must be between 1 and {MAX_PER_PAGE}")));
        }
        if req.page == 0 {
            return Err(Error::BadRequest("pages are numbered from 1".into()));
        }
        let offset = (req.page - 1).saturating_mul(req.per_page);
        if offset.saturating_add(req.per_page) > MAX_DEPTH {
            return Err(Error::BadRequest(format!(
                "page {} is too deep: at most {MAX_DEPTH} results can be paged through; narrow the query or sort by date",
                req.page
            )));
        }
        let index = self.index()?;
        let searcher = index.searcher();
        let (parsed, translator, query) = translate_request(index, &searcher, req, scope)?;

        let mut counted_fields = Vec::new();
        if req.facets {
            counted_fields.extend([
                FacetField::Tag,
                FacetField::Origin,
                FacetField::Class,
                FacetField::Caveat,
            ]);
        }
        if req.facets || req.histogram {
            counted_fields.push(FacetField::Month);
        }
        let top = TopDocs::with_limit(req.per_page).and_offset(offset);
        let facets =
            (!counted_fields.is_empty()).then(|| FacetCounter::new(&counted_fields, &index.facet_cache));
        // Ties are broken by store version id (a u64 fast field, cheap to
        // read), so that the order does not depend on how documents happen
        // to be laid out in segments: reindex gives the same pages.
        let by_id = (SortByStaticFastValue::<u64>::for_field("version"), Order::Asc);
        type Found = (Vec<(Option<f32>, DocAddress)>, usize, Option<FacetTally>);
        // Ranked with pruning (see `ranked`), when it is safe and pays:
        // facets visit every hit anyway, and one scoring pass does it all.
        let pruning = match req.sort {
            Sort::Relevance if facets.is_none() && ranked::prunable(&parsed) => {
                ranked::pruning_slack(&searcher, &*query)?
            }
            _ => None,
        };
        let (docs, total, counted): Found = match (req.sort, pruning) {
            (Sort::Relevance, Some(slack)) => {
                let best = ranked::top_k(&searcher, &*query, offset + req.per_page, &slack)?;
                let page = best.into_iter().skip(offset).map(|(s, a)| (Some(s), a)).collect();
                (page, ranked::count(&searcher, &*query)?, None)
            }
            (Sort::Relevance, None) => {
                let (d, n, f) = searcher.search(
                    &query,
                    &(top.order_by(((SortBySimilarityScore, Order::Desc), by_id)), Count, facets),
                )?;
                (d.into_iter().map(|((s, _), a)| (Some(s), a)).collect(), n, f)
            }
            (Sort::DateDesc | Sort::DateAsc, _) => {
                let order = if req.sort == Sort::DateDesc { Order::Desc } else { Order::Asc };
                let by_date =
                    (tantivy::collector::sort_key::SortByStaticFastValue::<i64>::for_field("created"), order);
                let (d, n, f) = searcher.search(&query, &(top.order_by((by_date, by_id)), Count, facets))?;
                (d.into_iter().map(|(_, a)| (None, a)).collect(), n, f)
            }
        };

        let snippet_maker = if req.snippets {
            snippets::Snippets::new(&searcher, &translator.highlights_in(&searcher)?, index.fields.body)?
        } else {
            None
        };
        let mut found = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let id = doc.get_first(index.fields.id).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            found.push((score, id, doc));
        }
        let ids: Vec<&str> = found.iter().map(|(_, id, _)| id.as_str()).collect();
        let mut infos = self.store.latest_infos(&ids)?;
        let mut hits = Vec::with_capacity(found.len());
        for (score, id, doc) in found {
            let info = infos.remove(&id).ok_or_else(|| {
                Error::Corrupt(format!("{id} is in the index but not in the store: run `demarche check`"))
            })?;
            let mut snippets = Vec::new();
            if let Some(maker) = &snippet_maker {
                let body = doc.get_first(index.fields.body).and_then(|v| v.as_str()).unwrap_or_default();
                snippets.extend(maker.snippet(body));
            }
            hits.push(Hit {
                id,
                score,
                created: info.created.map(format_unix),
                origin: info.origin,
                classification: info.classification,
                subject: info.subject,
                snippets,
            });
        }
        let (facets, histogram) = match counted {
            Some(tally) => (
                req.facets.then(|| Facets {
                    tags: facet_counts(&tally, FacetField::Tag, Some(30)),
                    origins: facet_counts(&tally, FacetField::Origin, Some(30)),
                    classifications: facet_counts(&tally, FacetField::Class, None),
                    caveats: facet_counts(&tally, FacetField::Caveat, None),
                    years: year_counts(&tally),
                }),
                req.histogram.then(|| month_counts(&tally)),
            ),
            None => (None, None),
        };
        // Few cables: a close spelling that finds more is offered.
        let respelled = if total as u64 <= spelling::FEW {
            spelling::respelled(&searcher, index.fields.body, &parsed)?
        } else {
            None
        };
        let did_you_mean = match respelled {
            Some(better) => {
                let q = Translator::for_searcher(&index.fields, &searcher)
                    .with_forms_cache(&index.forms)
                    .with_private(scope)
                    .translate(&better)?;
                let n = searcher.search(&q, &Count)? as u64;
                (n > total as u64).then(|| spelling::Suggestion { query: better.to_string(), total: n })
            }
            _ => None,
        };
        Ok(SearchResults {
            query: req.query.clone(),
            expanded: translator.expanded().to_vec(),
            did_you_mean,
            total: total as u64,
            page: req.page,
            per_page: req.per_page,
            sort: req.sort,
            hits,
            facets,
            histogram,
        })
    }
}

/// What the whole archive can be browsed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BrowseBy {
    /// The originating post (`Embassy Kabul`).
    Origin,
    /// TAGS entries.
    Tag,
    /// Classification level (`SECRET`), as `class:` selects it.
    Classification,
    /// Handling caveats (`SIPDIS`, `NODIS`).
    Caveat,
    /// Year of creation.
    Year,
    /// Month of creation (`2008-12`).
    Month,
}

impl BrowseBy {
    /// Every way to browse.
    pub const ALL: [BrowseBy; 6] = [
        BrowseBy::Origin,
        BrowseBy::Tag,
        BrowseBy::Classification,
        BrowseBy::Caveat,
        BrowseBy::Year,
        BrowseBy::Month,
    ];

    /// The name used in URLs and on the command line (`origin`, `tag`...).
    pub fn name(self) -> &'static str {
        match self {
            BrowseBy::Origin => "origin",
            BrowseBy::Tag => "tag",
            BrowseBy::Classification => "classification",
            BrowseBy::Caveat => "caveat",
            BrowseBy::Year => "year",
            BrowseBy::Month => "month",
        }
    }

    /// Parses [`BrowseBy::name`].
    pub fn from_name(name: &str) -> Option<BrowseBy> {
        BrowseBy::ALL.into_iter().find(|b| b.name() == name)
    }

    /// The query (in the [`syntax`] language) selecting the cables with `value`.
    pub fn query_for(self, value: &str) -> String {
        let quoted = if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric()) {
            value.to_owned()
        } else {
            format!("\"{}\"", value.replace('"', ""))
        };
        match self {
            BrowseBy::Origin => format!("origin:{quoted}"),
            BrowseBy::Tag => format!("tag:{quoted}"),
            BrowseBy::Classification => format!("class:{quoted}"),
            BrowseBy::Caveat => format!("caveat:{quoted}"),
            BrowseBy::Year | BrowseBy::Month => format!("created:{value}"),
        }
    }
}

impl Archive {
    /// Every value of `by` in the archive with its number of cables: origins,
    /// tags and classifications by count (most first, then by name), years
    /// and months in date order.
    pub fn browse(&self, by: BrowseBy) -> Result<Vec<FacetCount>> {
        let index = self.index()?;
        let field = match by {
            BrowseBy::Origin => FacetField::Origin,
            BrowseBy::Tag => FacetField::Tag,
            BrowseBy::Classification => FacetField::Class,
            BrowseBy::Caveat => FacetField::Caveat,
            BrowseBy::Year | BrowseBy::Month => FacetField::Month,
        };
        let tally = index.searcher().search(&AllQuery, &FacetCounter::new(&[field], &index.facet_cache))?;
        Ok(match by {
            BrowseBy::Year => year_counts(&tally),
            BrowseBy::Month => month_counts(&tally),
            _ => facet_counts(&tally, field, None),
        })
    }
}

impl Archive {
    /// The ids of every cable matching a query, sorted, read from the index's
    /// id column (no stored documents are loaded): what a whole-result
    /// analysis such as a [campaign](crate::campaign) starts from.
    pub fn matching_ids(&self, query: &str) -> Result<Vec<String>> {
        self.matching_ids_scoped(query, None)
    }

    /// [`Archive::matching_ids`] for the person `scope` speaks for (see
    /// [`Archive::search_scoped`]).
    pub fn matching_ids_scoped(&self, query: &str, scope: Option<&dyn PrivateScope>) -> Result<Vec<String>> {
        guard::guarded(|| self.matching_ids_unguarded(query, scope))
    }

    fn matching_ids_unguarded(&self, query: &str, scope: Option<&dyn PrivateScope>) -> Result<Vec<String>> {
        let index = self.index()?;
        let parsed = syntax::parse(query)?;
        let searcher = index.searcher();
        let query = Translator::for_searcher(&index.fields, &searcher)
            .with_forms_cache(&index.forms)
            .with_variants(&index.variants)
            .with_private(scope)
            .translate(&parsed)?;
        let docs: Vec<DocAddress> =
            searcher.search(&query, &tantivy::collector::DocSetCollector)?.into_iter().collect();
        let mut ids = ordered::ids_of(&searcher, &docs)?;
        ids.sort();
        ids.dedup();
        Ok(ids)
    }
}

impl Archive {
    /// The cables matching a query whose indexed (latest) version is newer
    /// than store version id `after`, with that version id, sorted by id:
    /// what a saved search newly matches after an ingest.
    pub fn matching_versions_after(
        &self,
        query: &str,
        after: i64,
        scope: Option<&dyn PrivateScope>,
    ) -> Result<Vec<(String, i64)>> {
        guard::guarded(|| {
            let index = self.index()?;
            let parsed = syntax::parse(query)?;
            let searcher = index.searcher();
            let translated = Translator::for_searcher(&index.fields, &searcher)
                .with_forms_cache(&index.forms)
                .with_variants(&index.variants)
                .with_private(scope)
                .translate(&parsed)?;
            let newer = RangeQuery::new(
                Bound::Excluded(Term::from_field_u64(index.fields.version, after.max(0) as u64)),
                Bound::Unbounded,
            );
            let both = BooleanQuery::new(vec![(Occur::Must, translated), (Occur::Must, Box::new(newer))]);
            let docs = searcher.search(&both, &tantivy::collector::DocSetCollector)?;
            let mut out = Vec::with_capacity(docs.len());
            for addr in docs {
                let doc: TantivyDocument = searcher.doc(addr)?;
                let id =
                    doc.get_first(index.fields.id).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
                let version =
                    doc.get_first(index.fields.version).and_then(|v| v.as_u64()).unwrap_or(0) as i64;
                out.push((id, version));
            }
            out.sort();
            Ok(out)
        })
    }
}

/// ISO 8601 (`2008-12-29T16:04Z`) of unix seconds.
pub fn format_unix(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    // Civil from days (Howard Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}Z", secs / 3600, (secs % 3600) / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_unix_seconds() {
        let t = cable::DateTime::new(cable::Date::new(2008, 12, 29).unwrap(), 16, 4).unwrap();
        assert_eq!(format_unix(t.unix_seconds()), "2008-12-29T16:04Z");
        assert_eq!(format_unix(0), "1970-01-01T00:00Z");
        let t = cable::DateTime::new(cable::Date::new(1966, 12, 28).unwrap(), 18, 6).unwrap();
        assert_eq!(format_unix(t.unix_seconds()), "1966-12-28T18:06Z");
    }
}
