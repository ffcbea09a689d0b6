//! Quote attribution: for every quoted passage of an article, which cable
//! and paragraph it comes from, or that the archive does not hold its source.
//!
//! ```
//! # fn main() -> archive::Result<()> {
//! use archive::{Archive, AttributeOptions, IngestOptions, Verdict};
//! # let dir = tempfile::tempdir().map_err(|e| archive::Error::BadRequest(e.to_string()))?;
//! # let telegram = "O 291637Z DEC 08\nFM SECSTATE WASHDC\nTO RUEHBUL/AMEMBASSY KABUL IMMEDIATE 0000\n\n\
//! #     C O N F I D E N T I A L STATE 134777\n\nTAGS PARM, MOPS, PREL, AF\n\
//! #     SUBJECT: DEMARCHE TO AFGHANISTAN ON CLUSTER MUNITIONS\n\n1. (U) This is an action request.\n\n\
//! #     3. (SBU) -- Emphasize that a narrow interpretation of Article 21 by GIRoA will impair our\n\
//! #     ability to defend the lives of our soldiers.\n\nRICE\n";
//! # let file = dir.path().join("cable.txt");
//! # std::fs::write(&file, telegram).map_err(|e| archive::Error::BadRequest(e.to_string()))?;
//! # let mut archive = Archive::open_for_write(&dir.path().join("archive"))?;
//! # archive.ingest(&[file], &cable::Parser::default(), &IngestOptions::default(), &mut |_| {})?;
//! // an archive holding 08STATE134777
//! let article = "<p>The cable warned that “a narrow interpretation of Article 21 by \
//!     [the Afghan government] will impair our ability to defend the lives of our soldiers.”</p>";
//! let report = archive.attribute(article, &AttributeOptions::default())?;
//! let q = &report.quotes[0];
//! assert_eq!(q.verdict, Verdict::Exact);
//! let source = q.source.as_ref().expect("a source");
//! assert_eq!((source.cable_id.as_str(), source.paragraph), ("08STATE134777", 3));
//! assert_eq!(source.differences[0].quote, "[the Afghan government]");
//! assert_eq!(source.differences[0].cable, "GIRoA");
//! # Ok(())
//! # }
//! ```
//!
//! How it works:
//! 1. The article (HTML or plain text) is cut into paragraphs; navigation
//!    (blocks that are mostly links), scripts and the page head are left out.
//! 2. Quoted passages are found: straight and curly double quotes, single
//!    (British) quotes, guillemets; nested quotes stay inside their passage;
//!    a quote split by its attribution (`"...," he said, "..."`) is one
//!    quote with a gap. Ellipses and bracketed insertions become gaps,
//!    parenthesised words optional, redactions (`XXXXXXXXXXXX`) gaps.
//! 3. Words are normalised alike in quotes and cables (case, diacritics,
//!    apostrophes including the cable comma in `Afghanistan,s`, `U.S.` =
//!    `US`, hyphenation over line ends).
//! 4. The search index proposes cables holding most of the quote's rarest
//!    words, ranked by them and by the quote's phrases; in the best ranked
//!    cables (more only when those do not hold the quote), the paragraphs
//!    sharing most of its words are aligned word by word (gaps free where
//!    the quote marks them, differences costed elsewhere). Cables holding
//!    the matched text as well (filed twice, or quoting each other) are
//!    looked up by phrase and aligned too.
//! 5. A verdict: `exact` (every word, in order, only marked gaps), `close`
//!    (nearly all words, differences listed), `ambiguous` (more than one
//!    cable fits as well, only part of it fits, or the quote is under four
//!    words), `not_in_archive`. When unsure it says ambiguous or
//!    not_in_archive rather than attributing: a wrong source is worse than none.

mod article;
mod matching;
mod normalize;

use serde::Serialize;

use crate::{Archive, Result};
use article::ArticleQuote;
use matching::{Located, Matcher};

/// Options of an attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeOptions {
    /// Also report unquoted sentences that closely paraphrase a cable paragraph.
    pub paraphrases: bool,
    /// How many next-best candidates to report per quote (default 3).
    pub candidates: usize,
}

impl Default for AttributeOptions {
    fn default() -> AttributeOptions {
        AttributeOptions { paraphrases: false, candidates: 3 }
    }
}

/// How sure the attribution of a quote is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every word of the quote is in the source paragraph, in order; the
    /// only changes are marked ones (ellipses, brackets) and spelling that
    /// does not change words (case, punctuation, `U.S.`/`US`).
    Exact,
    /// Nearly all of the quote is in the source paragraph; the differences
    /// are listed.
    Close,
    /// The archive holds text like it, but not one sure source: several
    /// cables fit as well, only part of the quote fits, or the quote is too
    /// short (under four words) to tell.
    Ambiguous,
    /// The archive does not hold its source.
    NotInArchive,
}

impl Verdict {
    /// The verdict as written in reports (`exact`, `close`, `ambiguous`, `not_in_archive`).
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Exact => "exact",
            Verdict::Close => "close",
            Verdict::Ambiguous => "ambiguous",
            Verdict::NotInArchive => "not_in_archive",
        }
    }

    /// Whether the verdict names a source (exact or close).
    pub fn attributed(self) -> bool {
        matches!(self, Verdict::Exact | Verdict::Close)
    }
}

/// What differs between a quote and its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DifferenceKind {
    /// The quote has other words where the cable has these.
    Changed,
    /// Words of the quote that are not in the cable.
    Added,
    /// Parenthesised words of the quote that are not in the cable (an
    /// explanation inserted in parentheses rather than brackets).
    Inserted,
    /// Cable words left out of the quote without an ellipsis.
    Dropped,
    /// Cable words left out where the quote has an ellipsis.
    Elided,
    /// A bracketed insertion and the cable words it stands for (maybe none).
    Bracketed,
    /// A redaction in the quote and the cable words it stands for.
    Redacted,
}

/// One difference between a quote and its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Difference {
    /// What kind of difference.
    pub kind: DifferenceKind,
    /// The quote's words (or editorial mark), as the article writes them.
    pub quote: String,
    /// The cable's words, as the cable writes them.
    pub cable: String,
}

/// A place in the archive a quote (or sentence) matches.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceMatch {
    /// Canonical cable id.
    pub cable_id: String,
    /// Version number (1, 2, ...) of the cable matched (its latest).
    pub version: u32,
    /// Paragraph number as the cable writes it (0: text before paragraph 1,
    /// or the subject line).
    pub paragraph: u32,
    /// The text is in the cable's subject line, not in a paragraph.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub subject: bool,
    /// The matched cable text, as the cable writes it.
    pub text: String,
    /// Alignment score, 0 to 1: 1 is every word in order with no unmarked change.
    pub score: f32,
    /// Share of the quote's words found in the paragraph in order, 0 to 1
    /// (function words count half).
    pub coverage: f32,
    /// The differences, in order.
    pub differences: Vec<Difference>,
}

/// The attribution of one quote.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteAttribution {
    /// Number of the quote in the article, from 1.
    pub index: usize,
    /// Paragraph of the article it is in, from 1.
    pub article_paragraph: usize,
    /// The quote as the article writes it (the parts of a quote split by
    /// its attribution joined by ` / `).
    pub quote: String,
    /// The parts of a quote split by its attribution (one part otherwise).
    pub parts: Vec<String>,
    /// The attribution between the parts of a split quote (`he said`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// Number of words.
    pub words: usize,
    /// The verdict.
    pub verdict: Verdict,
    /// Why, in a few words.
    pub reason: String,
    /// The best source (for `ambiguous`, the best of those that fit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceMatch>,
    /// The next best places, best first.
    pub candidates: Vec<SourceMatch>,
}

/// An unquoted sentence of the article that closely follows a cable paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Paraphrase {
    /// Paragraph of the article it is in, from 1.
    pub article_paragraph: usize,
    /// The sentence.
    pub sentence: String,
    /// `close`, or `ambiguous` when several cables fit as well.
    pub verdict: Verdict,
    /// Share of the sentence's content words found close together in the
    /// paragraph, 0 to 1.
    pub shared_words: f32,
    /// The paragraph it follows.
    pub source: SourceMatch,
}

/// Counts of verdicts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerdictCounts {
    /// Quotes found.
    pub quotes: usize,
    /// Exact.
    pub exact: usize,
    /// Close.
    pub close: usize,
    /// Ambiguous.
    pub ambiguous: usize,
    /// Not in the archive.
    pub not_in_archive: usize,
}

/// The attribution of every quote of an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributionReport {
    /// Counts of verdicts.
    pub counts: VerdictCounts,
    /// The quotes, in article order.
    pub quotes: Vec<QuoteAttribution>,
    /// Paraphrased sentences, when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paraphrases: Vec<Paraphrase>,
}

/// Quotes shorter than this (words) are at most ambiguous.
pub const MIN_WORDS: usize = 4;
/// Least share of a quote found in order for `close`.
const CLOSE_COVERAGE: f32 = 0.85;
/// Least alignment score for `close`.
const CLOSE_SCORE: f32 = 0.6;
/// Least share for `ambiguous` (partly fits).
const PARTIAL_COVERAGE: f32 = 0.6;
/// Least alignment score of a place reported as a candidate.
const MIN_CANDIDATE_SCORE: f32 = 0.2;
/// Two places fit equally well when their scores differ by less than this
/// (about one content word).
const TIE_MARGIN: f32 = 1.0;

/// The quoted passages of an article (HTML or plain text) as they are
/// looked up: quotes split by an attribution joined with ` … `, without
/// consulting any archive. What `demarche attribute` would attribute.
///
/// ```
/// let q = archive::attribute::quoted_passages("He said \u{201c}we will not sign,\u{201d} and left.");
/// assert_eq!(q, ["we will not sign,"]);
/// ```
pub fn quoted_passages(article_text_or_html: &str) -> Vec<String> {
    article::quotes(&article::blocks(article_text_or_html)).into_iter().map(|q| q.text).collect()
}

impl Archive {
    /// Finds every quoted passage of an article (HTML or plain text) and
    /// tells for each which cable and paragraph it comes from, or that the
    /// archive does not hold its source. See the [module](crate::attribute)
    /// documentation.
    pub fn attribute(
        &self,
        article_text_or_html: &str,
        options: &AttributeOptions,
    ) -> Result<AttributionReport> {
        let blocks = article::blocks(article_text_or_html);
        let found = article::quotes(&blocks);
        let mut matcher = Matcher::new(self)?;
        let mut quotes = Vec::with_capacity(found.len());
        for (i, q) in found.iter().enumerate() {
            quotes.push(attribute_quote(&mut matcher, i + 1, q, options)?);
        }
        let paraphrases =
            if options.paraphrases { find_paraphrases(&mut matcher, &blocks)? } else { Vec::new() };
        let mut counts = VerdictCounts { quotes: quotes.len(), ..VerdictCounts::default() };
        for q in &quotes {
            match q.verdict {
                Verdict::Exact => counts.exact += 1,
                Verdict::Close => counts.close += 1,
                Verdict::Ambiguous => counts.ambiguous += 1,
                Verdict::NotInArchive => counts.not_in_archive += 1,
            }
        }
        Ok(AttributionReport { counts, quotes, paraphrases })
    }
}

/// Same cable and paragraph.
fn same_place(a: &Located, b: &Located) -> bool {
    a.cable.id == b.cable.id && a.paragraph == b.paragraph
}

fn attribute_quote(
    matcher: &mut Matcher<'_>,
    index: usize,
    q: &ArticleQuote,
    options: &AttributeOptions,
) -> Result<QuoteAttribution> {
    let located = matcher.locate(q, &q.words)?;
    let words = q.word_count();
    let (verdict, reason) = judge(q, &located);
    // not in the archive: no source, but the nearest places as candidates
    let skip = usize::from(verdict != Verdict::NotInArchive);
    let best = located.first().filter(|_| skip == 1);
    let source = best.map(|l| l.source(q, &q.words));
    let mut candidates: Vec<SourceMatch> = Vec::new();
    for l in located.iter().skip(skip) {
        if candidates.len() >= options.candidates {
            break;
        }
        // places that share only a few words say nothing
        let score = l.alignment.score / l.alignment.total.max(f32::EPSILON);
        if best.is_some_and(|b| same_place(b, l)) || score < MIN_CANDIDATE_SCORE {
            continue;
        }
        candidates.push(l.source(q, &q.words));
    }
    Ok(QuoteAttribution {
        index,
        article_paragraph: q.block,
        quote: q.display(),
        parts: q.parts.clone(),
        attribution: q.attribution.clone(),
        words,
        verdict,
        reason,
        source,
        candidates,
    })
}

/// The verdict on the places found for a quote, best first, and why.
fn judge(q: &ArticleQuote, located: &[Located]) -> (Verdict, String) {
    let words = q.word_count();
    let Some(best) = located.first() else {
        return (Verdict::NotInArchive, "no cable shares its words".into());
    };
    let a = &best.alignment;
    let cov = a.coverage();
    let score = a.score / a.total.max(f32::EPSILON);
    let content_total = q.words.iter().filter(|w| !w.token.stop && !w.optional).count();
    let enough_content =
        a.content_matched >= 2.min(content_total.max(1)) && a.matched_words >= MIN_WORDS.min(words);
    let strong = cov >= CLOSE_COVERAGE && score >= CLOSE_SCORE && enough_content;
    let rivals: Vec<&Located> = located
        .iter()
        .skip(1)
        .filter(|l| !same_place(best, l) && l.alignment.score >= a.score - TIE_MARGIN)
        .collect();
    let other_cables: Vec<&Located> =
        rivals.iter().copied().filter(|l| l.cable.id != best.cable.id).collect();
    let place = |l: &Located| format!("{} {}", l.cable.id, where_in(l));
    if words < MIN_WORDS {
        return if cov >= 0.999 && a.verbatim() {
            (
                Verdict::Ambiguous,
                format!("under {MIN_WORDS} words: too short to attribute (found in {})", place(best)),
            )
        } else {
            (Verdict::NotInArchive, format!("under {MIN_WORDS} words and not found verbatim"))
        };
    }
    if strong {
        if !other_cables.is_empty() {
            let names: Vec<String> = other_cables.iter().map(|l| place(l)).collect();
            return (
                Verdict::Ambiguous,
                format!("fits {} and {} equally well", place(best), names.join(", ")),
            );
        }
        let also = if rivals.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = rivals.iter().map(|l| where_in(l)).collect();
            format!("; the same text is also in {}", names.join(", "))
        };
        if cov >= 0.999 && a.verbatim() {
            return (Verdict::Exact, format!("all {} words, in order{also}", a.matched_words));
        }
        return (
            Verdict::Close,
            format!(
                "{} of {} words in order ({:.0}%), with differences{also}",
                a.matched_words,
                words,
                cov * 100.0
            ),
        );
    }
    if cov >= PARTIAL_COVERAGE && a.content_matched >= 3 {
        return (
            Verdict::Ambiguous,
            format!("only part of it fits {} ({:.0}% of its words)", place(best), cov * 100.0),
        );
    }
    (Verdict::NotInArchive, format!("no cable paragraph holds it (best: {:.0}% of its words)", cov * 100.0))
}

/// `¶3`, or `subject`.
fn where_in(l: &Located) -> String {
    match l.paragraph_text() {
        Some(p) if p.subject => "subject".into(),
        Some(p) => format!("¶{}", p.number),
        None => String::new(),
    }
}

/// Least share of a sentence's content words in a paragraph for a paraphrase.
const PARAPHRASE_SHARE: f32 = 0.5;
/// Least number of content words shared.
const PARAPHRASE_WORDS: usize = 6;

/// Least paraphrase score (see [`paraphrase_score`]).
const PARAPHRASE_SCORE: f32 = 0.45;

fn find_paraphrases(matcher: &mut Matcher<'_>, blocks: &[String]) -> Result<Vec<Paraphrase>> {
    let mut out = Vec::new();
    for (block, sentence) in article::unquoted_sentences(blocks) {
        let q = article::sentence_as_quote(block, &sentence);
        let content = q.words.iter().filter(|w| !w.token.stop).count();
        if q.words.len() < 8 || content < PARAPHRASE_WORDS {
            continue;
        }
        let located = matcher.locate_loosely(&q, &q.words)?;
        let Some(best) = located.iter().max_by(|a, b| paraphrase_score(a).total_cmp(&paraphrase_score(b)))
        else {
            continue;
        };
        let shared = best.local_share;
        if shared < PARAPHRASE_SHARE || (shared * content as f32) < PARAPHRASE_WORDS as f32 {
            continue;
        }
        let best_score = paraphrase_score(best);
        if best_score < PARAPHRASE_SCORE {
            continue;
        }
        let tie =
            located.iter().any(|l| l.cable.id != best.cable.id && paraphrase_score(l) >= best_score - 0.05);
        out.push(Paraphrase {
            article_paragraph: block,
            sentence,
            verdict: if tie { Verdict::Ambiguous } else { Verdict::Close },
            shared_words: (shared * 1000.0).round() / 1000.0,
            source: best.source(&q, &q.words),
        });
    }
    Ok(out)
}

/// How closely a sentence follows a paragraph: its content words close
/// together there, and in the same order.
fn paraphrase_score(l: &Located) -> f32 {
    0.5 * l.local_share + 0.5 * l.alignment.coverage()
}
