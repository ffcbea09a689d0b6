//! Search queries: the query language ([`syntax`]), its translation into
//! tantivy queries, and running a search (ranked or by date, exact total,
//! facets, per-month histogram, highlighted snippets).

pub mod facets;
mod ranked;
mod snippets;
pub mod syntax;

use std::ops::Bound;

use serde::Serialize;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query as TQuery, RangeQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Order, TantivyDocument, Term};

use crate::index::Fields;
use crate::{Archive, Error, Result};
use facets::{FacetCounter, FacetField, FacetTally};
use syntax::{Field as QField, Query};

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
    tokenizer: tantivy::tokenizer::TextAnalyzer,
}

const SUBJECT_BOOST: f32 = 3.0;

impl<'a> Translator<'a> {
    /// A translator for these fields (the "default" tokenizer, as indexed).
    pub fn new(fields: &'a Fields) -> Translator<'a> {
        let tokenizer =
            tantivy::tokenizer::TokenizerManager::default().get("default").expect("default tokenizer exists");
        Translator { fields, tokenizer }
    }

    fn tokens(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = self.tokenizer.token_stream(text);
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    /// The tantivy query for a parsed query.
    pub fn translate(&mut self, q: &Query) -> Result<Box<dyn TQuery>> {
        Ok(match q {
            Query::All => Box::new(AllQuery),
            Query::Term { field, text } => self.words(*field, std::slice::from_ref(text), 0, false)?,
            Query::Phrase { field, words, slop } => self.words(*field, words, *slop, true)?,
            Query::Prefix { field, prefix } => self.prefix(*field, prefix)?,
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
            Query::Boolean { must, should, must_not } => {
                let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
                for m in must {
                    clauses.push((Occur::Must, self.translate(m)?));
                }
                for s in should {
                    clauses.push((Occur::Should, self.translate(s)?));
                }
                for n in must_not {
                    clauses.push((Occur::MustNot, self.translate(n)?));
                }
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
    ) -> Result<Box<dyn TQuery>> {
        let f = self.fields;
        let joined = words.join(" ");
        let raw = |field: Field, value: String| -> Box<dyn TQuery> {
            Box::new(TermQuery::new(Term::from_field_text(field, &value), IndexRecordOption::Basic))
        };
        Ok(match field {
            None => {
                let tokens = self.tokens(&joined);
                let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = vec![
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(text_query(f.subject, &tokens, slop), SUBJECT_BOOST)),
                    ),
                    (Occur::Should, text_query(f.body, &tokens, slop)),
                ];
                // A bare cable id also finds the cable itself.
                if !phrase && words.len() == 1 {
                    if let Some(id) = looks_like_id(&words[0]) {
                        clauses.push((Occur::Should, Box::new(BoostQuery::new(raw(f.id, id), 10.0))));
                    }
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Some(QField::Subject) => text_query(f.subject, &self.tokens(&joined), slop),
            Some(QField::Body) => text_query(f.body, &self.tokens(&joined), slop),
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

impl Archive {
    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
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
        let parsed = syntax::parse(&req.query)?;
        let query = Translator::new(&index.fields).translate(&parsed)?;
        let searcher = index.searcher();

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

        let snippet_maker =
            if req.snippets { snippets::Snippets::new(&searcher, &*query, index.fields.body)? } else { None };
        let mut hits = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let id = doc.get_first(index.fields.id).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            let info = self.store.latest_info(&id)?.ok_or_else(|| {
                Error::Corrupt(format!("{id} is in the index but not in the store: run `demarche check`"))
            })?;
            let mut snippets = Vec::new();
            if let Some(maker) = &snippet_maker {
                snippets.extend(maker.snippet(&self.store.latest_text(&id)?));
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
        Ok(SearchResults {
            query: req.query.clone(),
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
        let index = self.index()?;
        let parsed = syntax::parse(query)?;
        let query = Translator::new(&index.fields).translate(&parsed)?;
        let searcher = index.searcher();
        let docs = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let mut by_segment: std::collections::BTreeMap<u32, Vec<u32>> = std::collections::BTreeMap::new();
        for d in docs {
            by_segment.entry(d.segment_ord).or_default().push(d.doc_id);
        }
        let mut ids = Vec::new();
        let mut buf = String::new();
        for (segment, docs) in by_segment {
            let column =
                searcher.segment_reader(segment).fast_fields().str("id")?.ok_or_else(|| {
                    Error::Corrupt("the index has no id column: run `demarche reindex`".into())
                })?;
            for doc in docs {
                if let Some(ord) = column.term_ords(doc).next() {
                    column.ord_to_str(ord, &mut buf).map_err(|e| Error::io("index id column", e))?;
                    ids.push(buf.clone());
                }
            }
        }
        ids.sort();
        ids.dedup();
        Ok(ids)
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
