//! Finding where a quote comes from: candidate cables from the search index
//! (the quote's rarest words), then word-level alignment of the quote
//! against each promising paragraph of those cables, gaps allowed where the
//! quote marks them.

use std::collections::HashMap;
use std::rc::Rc;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::article::{ArticleQuote, GapKind, QuoteWord};
use super::normalize::{tokenize, Token};
use super::{Difference, DifferenceKind, SourceMatch};
use crate::{Archive, Result};

/// The parts of a stored cable that quotes are matched against: read
/// without the raw text (see [`crate::store::Store::latest_as`]).
#[derive(serde::Deserialize)]
struct ParsedText {
    id: cable::RefId,
    subject: String,
    paragraphs: Vec<cable::Paragraph>,
}

/// A cable's latest version, its paragraphs tokenised.
pub struct CableText {
    /// Canonical id.
    pub id: String,
    /// Version number (seq) of the latest version.
    pub version: u32,
    /// Its paragraphs.
    pub paragraphs: Vec<ParagraphText>,
}

/// One paragraph of a cable (or its subject line), tokenised.
pub struct ParagraphText {
    /// The paragraph number as written (0 for text before paragraph 1, and
    /// for the subject line).
    pub number: u32,
    /// This is the subject line, not a paragraph.
    pub subject: bool,
    /// Its clean text.
    pub text: String,
    /// Its words (redactions left out).
    pub tokens: Vec<Token>,
}

/// Retrieval and alignment over one archive, with the cables already read
/// kept for the next quote of the same article.
pub struct Matcher<'a> {
    archive: &'a Archive,
    searcher: tantivy::Searcher,
    fields: crate::index::Fields,
    analyzer: tantivy::tokenizer::TextAnalyzer,
    cache: HashMap<String, Option<Rc<CableText>>>,
    num_docs: u64,
}

/// A hasher for keys that are already hashes (token hashes).
#[derive(Default)]
struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        let x = self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        x ^ (x >> 29)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by token hashes.
type HashKeyed<V> = HashMap<u64, V, std::hash::BuildHasherDefault<PreHashed>>;

/// How many cables the index proposes for a quote.
const CANDIDATE_CABLES: usize = 10;
/// Cables scoring under this share of the best cable's score are not read.
const MIN_RELATIVE_SCORE: f32 = 0.25;
/// Length (words) of the phrases of a quote's runs asked for.
const RUN_PHRASE: usize = 10;
/// How many of the best ranked cables are read first.
const FIRST_CABLES: usize = 5;
/// How many are read for a quote too short to be attributed.
const FIRST_CABLES_SHORT: usize = 3;
/// Coverage of a place that makes reading lower ranked cables needless.
const STRONG_COVERAGE: f32 = 0.85;
/// Length (words) of the phrase looked up to find other cables with the same text.
const TWIN_PHRASE: usize = 10;
/// How many of the rarest words of a quote the index is asked for.
const QUERY_TERMS: usize = 12;
/// How many of the rarest pairs of consecutive words, as phrases.
const QUERY_PAIRS: usize = 8;
/// Rare words (in under 2% of the cables) a quote needs for only those to be asked for.
const RARE_WORDS_ENOUGH: usize = 4;
/// How many paragraphs are aligned word by word, at most, per quote.
const ALIGNED_PARAGRAPHS: usize = 8;
/// Paragraphs longer than this many alignment cells (quote words times
/// paragraph words) are aligned only in their most promising window.
const MAX_CELLS: usize = 1_000_000;
/// The longest quote aligned (words); longer quotes are cut.
const MAX_QUOTE_WORDS: usize = 400;

impl<'a> Matcher<'a> {
    /// A matcher over an archive's index and store.
    pub fn new(archive: &'a Archive) -> Result<Matcher<'a>> {
        let index = archive.index()?;
        let searcher = index.searcher();
        let analyzer = index.index().tokenizers().get("default").unwrap_or_else(|| {
            tantivy::tokenizer::TextAnalyzer::from(tantivy::tokenizer::SimpleTokenizer::default())
        });
        let num_docs = searcher.num_docs();
        Ok(Matcher { archive, searcher, fields: index.fields, analyzer, cache: HashMap::new(), num_docs })
    }

    /// Ids of the cables most likely to hold a text (given as runs of
    /// consecutive words), best first: cables holding at least the share
    /// `need` of its rarest indexed words, ranked by those words, by its
    /// pairs of consecutive words that are rarest together, and by its runs
    /// as phrases.
    fn candidate_ids(&mut self, runs: &[&str], limit: usize, need: f32) -> Result<Vec<String>> {
        let mut df: HashMap<String, u64> = HashMap::new();
        let mut run_tokens: Vec<Vec<String>> = Vec::with_capacity(runs.len());
        for text in runs {
            let mut tokens = Vec::new();
            let mut stream = self.analyzer.token_stream(text);
            while let Some(t) = stream.next() {
                tokens.push(t.text.clone());
            }
            for t in &tokens {
                if !df.contains_key(t) {
                    let n = self.searcher.doc_freq(&Term::from_field_text(self.fields.body, t))?;
                    df.insert(t.clone(), n);
                }
            }
            run_tokens.push(tokens);
        }
        let mut words: Vec<(u64, &String)> =
            df.iter().filter(|(_, &n)| n > 0).map(|(t, &n)| (n, t)).collect();
        words.sort();
        // words in most cables say nothing about which cable, unless nothing
        // else is left; when the quote has enough rare words (in under 2% of
        // the cables), only those are asked for: a common word's postings
        // are long, and at Cablegate scale reading them was most of the time
        let common = (self.num_docs / 2).max(1);
        let rare = (self.num_docs / 50).max(1);
        if words.iter().filter(|(n, _)| *n < rare).count() >= RARE_WORDS_ENOUGH {
            words.retain(|(n, _)| *n < rare);
        } else if words.iter().any(|(n, _)| *n < common) {
            words.retain(|(n, _)| *n < common);
        }
        // the postings read grow with the words asked for: beyond the
        // rarest few, a word is asked for only while the cables holding
        // the words add up to under a fifth of the archive (at Cablegate
        // scale, quotes of common words spent most of their time in the
        // union of those postings)
        let budget = (self.num_docs / 5).max(1);
        let mut held = 0u64;
        let keep = words
            .iter()
            .enumerate()
            .take_while(|(i, (n, _))| {
                held += n;
                *i < RARE_WORDS_ENOUGH || held <= budget
            })
            .count();
        words.truncate(keep.min(QUERY_TERMS));
        let mut pairs: Vec<(u64, &String, &String)> = Vec::new();
        for tokens in &run_tokens {
            for w in tokens.windows(2) {
                let (a, b) = (&w[0], &w[1]);
                let (da, db) = (df.get(a).copied().unwrap_or(0), df.get(b).copied().unwrap_or(0));
                if da > 0 && db > 0 && !pairs.iter().any(|(_, x, y)| *x == a && *y == b) {
                    pairs.push((da.max(db), a, b));
                }
            }
        }
        pairs.sort();
        // a pair with a common word is a long phrase search (positions of
        // every cable holding both words) for little: at Cablegate scale
        // such pairs were three quarters of the time; the runs below rank
        // cables holding the words in sequence anyway
        pairs.retain(|(n, _, _)| *n < rare);
        pairs.truncate(QUERY_PAIRS);
        if words.is_empty() && pairs.is_empty() {
            return Ok(Vec::new());
        }
        let body = self.fields.body;
        // a cable holding the quote holds (nearly) all of its rare words:
        // this share of them must be there (in the body or the subject)
        let mut word_clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (_, t) in &words {
            let either: Vec<(Occur, Box<dyn Query>)> = [body, self.fields.subject]
                .into_iter()
                .map(|field| {
                    let term = Term::from_field_text(field, t);
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
                    )
                })
                .collect();
            word_clauses.push((Occur::Should, Box::new(BooleanQuery::new(either))));
        }
        let need =
            ((words.len() as f32 * need).floor() as usize).clamp(1, words.len().saturating_sub(1).max(1));
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !word_clauses.is_empty() {
            clauses.push((
                Occur::Must,
                Box::new(BooleanQuery::with_minimum_required_clauses(word_clauses, need)),
            ));
        }
        for (_, a, b) in pairs {
            let terms = vec![Term::from_field_text(body, a), Term::from_field_text(body, b)];
            clauses.push((Occur::Should, Box::new(PhraseQuery::new(terms))));
        }
        // the quote's runs as phrases (their first and last words): a cable
        // holding them verbatim comes first
        for tokens in &run_tokens {
            let known = |t: &&String| df.get(*t).is_some_and(|&n| n > 0);
            if tokens.len() < 3 || !tokens.iter().all(|t| known(&t)) {
                continue;
            }
            let head = &tokens[..tokens.len().min(RUN_PHRASE)];
            let tail = &tokens[tokens.len().saturating_sub(RUN_PHRASE)..];
            for part in if tokens.len() > RUN_PHRASE { vec![head, tail] } else { vec![head] } {
                let terms: Vec<Term> = part.iter().map(|t| Term::from_field_text(body, t)).collect();
                let phrase: Box<dyn Query> = Box::new(PhraseQuery::new(terms));
                clauses.push((Occur::Should, Box::new(BoostQuery::new(phrase, 3.0))));
            }
        }
        let query = BooleanQuery::new(clauses);
        let top = self.searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        // cables scoring far below the best rarely hold the quote
        let best = top.first().map_or(0.0, |(score, _)| *score);
        let mut ids = Vec::with_capacity(top.len());
        let mut buf = String::new();
        for (score, addr) in top {
            if score < best * MIN_RELATIVE_SCORE {
                break;
            }
            let reader = self.searcher.segment_reader(addr.segment_ord);
            let Some(column) = reader.fast_fields().str("id")? else {
                return Err(crate::Error::Corrupt(
                    "the index has no id column: run `demarche reindex`".into(),
                ));
            };
            let ord = column.term_ords(addr.doc_id).next();
            if let Some(ord) = ord {
                column.ord_to_str(ord, &mut buf).map_err(|e| crate::Error::io("index id column", e))?;
                ids.push(buf.clone());
            }
        }
        Ok(ids)
    }

    /// A cable's latest version, tokenised (cached). `None` when the index
    /// names a cable the store lacks.
    fn cable(&mut self, id: &str) -> Result<Option<Rc<CableText>>> {
        if let Some(c) = self.cache.get(id) {
            return Ok(c.clone());
        }
        let store = self.archive.store();
        let found = match store.latest_info(id)? {
            None => None,
            Some(info) => {
                let cable: ParsedText = store.latest_as(id)?;
                let station = cable.id.station().to_owned();
                let subject = (!cable.subject.trim().is_empty()).then(|| {
                    let tokens = tokenize(&cable.subject);
                    ParagraphText { number: 0, subject: true, text: cable.subject.clone(), tokens }
                });
                let paragraphs = subject
                    .into_iter()
                    .chain(cable.paragraphs.into_iter().map(|p| {
                        let mut tokens = tokenize(&p.text);
                        tokens.retain(|t| !t.redaction);
                        let tokens = without_page_breaks(&p.text, tokens, &station);
                        ParagraphText { number: p.number, subject: false, text: p.text, tokens }
                    }))
                    .collect();
                Some(Rc::new(CableText { id: id.to_owned(), version: info.seq, paragraphs }))
            }
        };
        self.cache.insert(id.to_owned(), found.clone());
        Ok(found)
    }

    /// The best places of a quote in the archive, best first.
    pub fn locate(&mut self, quote: &ArticleQuote, words: &[QuoteWord]) -> Result<Vec<Located>> {
        self.locate_with(quote, words, 0.75)
    }

    /// The best places of a sentence that may paraphrase a cable: cables
    /// holding half of its rare words are read.
    pub fn locate_loosely(&mut self, quote: &ArticleQuote, words: &[QuoteWord]) -> Result<Vec<Located>> {
        self.locate_with(quote, words, 0.5)
    }

    /// The best places of a quote, reading cables that hold at least this
    /// share of its rarest words.
    fn locate_with(&mut self, quote: &ArticleQuote, words: &[QuoteWord], need: f32) -> Result<Vec<Located>> {
        let words = &words[..words.len().min(MAX_QUOTE_WORDS)];
        if words.is_empty() {
            return Ok(Vec::new());
        }
        // runs of words between gaps, as the article writes them
        let mut runs: Vec<&str> = Vec::new();
        let mut first = 0;
        for i in 1..=words.len() {
            if i == words.len() || words[i].gap_before.is_some() {
                let (s, e) = (words[first].token.start, words[i - 1].token.end);
                runs.push(quote.text.get(s..e).unwrap_or(""));
                first = i;
            }
        }
        let ids = self.candidate_ids(&runs, CANDIDATE_CABLES, need)?;
        let keys = KeyWords::new(words);
        // the best ranked cables first; the others only when those do not
        // hold the quote (short quotes are never attributed: no more)
        let first =
            ids.len().min(if words.len() < super::MIN_WORDS { FIRST_CABLES_SHORT } else { FIRST_CABLES });
        let mut out = self.align_in(&ids[..first], 0, words, &keys)?;
        if !is_strong(&out) && words.len() >= super::MIN_WORDS {
            out.extend(self.align_in(ids.get(first..).unwrap_or(&[]), first, words, &keys)?);
            sort_located(&mut out);
        }
        // other cables holding the same text (cables filed twice, cables
        // quoting each other): those with the matched words as a phrase
        if is_strong(&out) {
            let seen: Vec<String> = ids.clone();
            let twins: Vec<String> = match out.first() {
                Some(best) => {
                    self.ids_with_phrase(best)?.into_iter().filter(|id| !seen.contains(id)).collect()
                }
                None => Vec::new(),
            };
            if !twins.is_empty() {
                out.extend(self.align_in(&twins, ids.len(), words, &keys)?);
                sort_located(&mut out);
            }
        }
        Ok(out)
    }

    /// Aligns a quote with the paragraphs of these cables (ranked from
    /// `rank`) that share most of its words.
    fn align_in(
        &mut self,
        ids: &[String],
        rank: usize,
        words: &[QuoteWord],
        keys: &KeyWords,
    ) -> Result<Vec<Located>> {
        let mut promising: Vec<(f32, usize, Rc<CableText>, usize)> = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            let Some(c) = self.cable(id)? else { continue };
            for (pi, p) in c.paragraphs.iter().enumerate() {
                let share = keys.share(&p.tokens);
                if share >= 0.35 {
                    promising.push((share, rank + i, c.clone(), pi));
                }
            }
        }
        promising.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.3.cmp(&b.3)));
        promising.truncate(ALIGNED_PARAGRAPHS);
        let mut out = Vec::new();
        for (_, rank, c, pi) in promising {
            let Some(p) = c.paragraphs.get(pi) else { continue };
            let (lo, hi) = keys.window(&p.tokens, words.len());
            let Some(a) = align(words, p.tokens.get(lo..hi).unwrap_or(&[])) else { continue };
            let local_share = keys.local_share(&p.tokens, words.len());
            out.push(Located {
                cable: c.clone(),
                paragraph: pi,
                offset: lo,
                alignment: a,
                local_share,
                rank,
            });
        }
        sort_located(&mut out);
        Ok(out)
    }

    /// Cables whose body has the longest run of words a place matched
    /// verbatim (up to [`TWIN_PHRASE`] words), as a phrase.
    fn ids_with_phrase(&mut self, l: &Located) -> Result<Vec<String>> {
        let Some(p) = l.paragraph_text() else { return Ok(Vec::new()) };
        let tokens = p.tokens.get(l.offset..).unwrap_or(&[]);
        // the longest run of consecutive matched cable words
        let (mut best, mut cur): ((usize, usize), Option<(usize, usize)>) = ((0, 0), None);
        for s in &l.alignment.steps {
            match *s {
                Step::Same(_, j) => {
                    cur = Some(match cur {
                        Some((a, b)) if b + 1 == j => (a, j),
                        _ => (j, j),
                    });
                    if let Some((a, b)) = cur {
                        if b - a > best.1 - best.0 {
                            best = (a, b);
                        }
                    }
                }
                _ => cur = None,
            }
        }
        let (Some(s), Some(e)) = (tokens.get(best.0), tokens.get(best.1)) else { return Ok(Vec::new()) };
        let text = p.text.get(s.start..e.end).unwrap_or("");
        let mut terms: Vec<Term> = Vec::new();
        let mut stream = self.analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            terms.push(Term::from_field_text(self.fields.body, &t.text));
        }
        if terms.len() < 4 {
            return Ok(Vec::new());
        }
        // a phrase from the middle of the run (its ends may be cut words)
        let skip = (terms.len().saturating_sub(TWIN_PHRASE)) / 2;
        let terms: Vec<Term> = terms.into_iter().skip(skip).take(TWIN_PHRASE).collect();
        let query = PhraseQuery::new(terms);
        let top = self.searcher.search(&query, &TopDocs::with_limit(CANDIDATE_CABLES).order_by_score())?;
        let mut ids = Vec::new();
        let mut buf = String::new();
        for (_, addr) in top {
            let reader = self.searcher.segment_reader(addr.segment_ord);
            let Some(column) = reader.fast_fields().str("id")? else { continue };
            let ord = column.term_ords(addr.doc_id).next();
            if let Some(ord) = ord {
                column.ord_to_str(ord, &mut buf).map_err(|e| crate::Error::io("index id column", e))?;
                if buf != l.cable.id {
                    ids.push(buf.clone());
                }
            }
        }
        Ok(ids)
    }
}

/// Whether the best place found holds nearly all of the quote.
fn is_strong(located: &[Located]) -> bool {
    located.first().is_some_and(|l| l.alignment.coverage() >= STRONG_COVERAGE)
}

/// Best first: alignment score, then the index's rank, then paragraph order.
fn sort_located(out: &mut [Located]) {
    out.sort_by(|a, b| {
        b.alignment
            .score
            .total_cmp(&a.alignment.score)
            .then(a.rank.cmp(&b.rank))
            .then(a.paragraph.cmp(&b.paragraph))
    });
}

/// Removes page-break marks left inside a paragraph's lines
/// (`... that this  MOSCOW 00000228  002 OF 002   would entail ...`): the
/// station's name, a zero-padded serial, the page, `OF`, the page count.
fn without_page_breaks(text: &str, tokens: Vec<Token>, station: &str) -> Vec<Token> {
    if !text.contains(" OF ") {
        return tokens;
    }
    let digits = |t: &Token| {
        let s = t.text(text);
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    };
    let serial = |t: &Token| digits(t) && t.text(text).len() >= 5 && t.text(text).starts_with('0');
    let is_of = |t: &Token| t.text(text) == "OF";
    let mut drop = vec![false; tokens.len()];
    for i in 0..tokens.len() {
        let page = tokens.get(i..i + 4);
        let Some([s, p, of, n]) = page else { break };
        if !(serial(s) && digits(p) && is_of(of) && digits(n)) {
            continue;
        }
        // the station's name, in one to three words, before the serial
        let mut name = String::new();
        for back in 1..=3 {
            let Some(j) = i.checked_sub(back) else { break };
            let Some(t) = tokens.get(j) else { break };
            name.insert_str(0, t.text(text));
            if name.eq_ignore_ascii_case(station) {
                for d in drop.iter_mut().take(i + 4).skip(j) {
                    *d = true;
                }
                break;
            }
        }
    }
    tokens.into_iter().zip(drop).filter(|(_, d)| !d).map(|(t, _)| t).collect()
}

/// The quote's words that say most (content words, or all when it has none),
/// for finding promising paragraphs cheaply.
struct KeyWords {
    /// Word hash (and alternatives) to word number.
    index: HashKeyed<usize>,
    /// Number of distinct words.
    count: usize,
}

impl KeyWords {
    fn new(words: &[QuoteWord]) -> KeyWords {
        let content: Vec<&QuoteWord> = words.iter().filter(|w| !w.token.stop && !w.optional).collect();
        let chosen: Vec<&QuoteWord> = if content.is_empty() { words.iter().collect() } else { content };
        let mut index = HashKeyed::default();
        let mut count = 0;
        for w in chosen {
            let i = *index.entry(w.token.hash).or_insert(count);
            if i == count {
                count += 1;
            }
            if let Some(alt) = w.alt {
                index.entry(alt).or_insert(i);
            }
        }
        KeyWords { index, count }
    }

    /// Share of the key words found in a paragraph.
    fn share(&self, tokens: &[Token]) -> f32 {
        if self.count == 0 {
            return 0.0;
        }
        let mut seen = vec![false; self.count];
        let mut found = 0usize;
        for t in tokens {
            if let Some(&i) = self.index.get(&t.hash) {
                if let Some(s) = seen.get_mut(i) {
                    if !*s {
                        *s = true;
                        found += 1;
                    }
                }
            }
        }
        found as f32 / self.count as f32
    }

    /// The part of a paragraph worth aligning a quote of `m` words against:
    /// all of it, unless aligning all of it would be slow; then the window
    /// holding most distinct key words.
    fn window(&self, tokens: &[Token], m: usize) -> (usize, usize) {
        let w = 2 * m + 200;
        if tokens.len() <= w || m.saturating_mul(tokens.len()) <= MAX_CELLS {
            return (0, tokens.len());
        }
        let (_, at) = self.densest(tokens, w);
        (at, at + w)
    }

    /// Share of the key words found together within a stretch of the
    /// paragraph about as long as the quote (`m` words): a paraphrase keeps
    /// the words of its source close together.
    fn local_share(&self, tokens: &[Token], m: usize) -> f32 {
        if self.count == 0 {
            return 0.0;
        }
        let (found, _) = self.densest(tokens, m + m / 2 + 5);
        found as f32 / self.count as f32
    }

    /// The window of `w` tokens holding most distinct key words: how many, and where.
    fn densest(&self, tokens: &[Token], w: usize) -> (usize, usize) {
        let w = w.min(tokens.len());
        let key: Vec<Option<usize>> = tokens.iter().map(|t| self.index.get(&t.hash).copied()).collect();
        let mut inside = vec![0usize; self.count];
        let mut distinct = 0usize;
        let add = |k: Option<usize>, delta: isize, inside: &mut Vec<usize>, distinct: &mut usize| {
            let Some(slot) = k.and_then(|k| inside.get_mut(k)) else { return };
            if delta > 0 {
                *slot += 1;
                if *slot == 1 {
                    *distinct += 1;
                }
            } else {
                *slot = slot.saturating_sub(1);
                if *slot == 0 {
                    *distinct = distinct.saturating_sub(1);
                }
            }
        };
        for &k in &key[..w] {
            add(k, 1, &mut inside, &mut distinct);
        }
        let (mut best, mut best_at) = (distinct, 0);
        for s in 1..=tokens.len() - w {
            add(key[s - 1], -1, &mut inside, &mut distinct);
            add(key[s + w - 1], 1, &mut inside, &mut distinct);
            if distinct > best {
                best = distinct;
                best_at = s;
            }
        }
        (best, best_at)
    }
}

/// A place a quote was aligned to.
pub struct Located {
    /// The cable.
    pub cable: Rc<CableText>,
    /// Index of the paragraph in the cable's paragraphs.
    pub paragraph: usize,
    /// Index of the first paragraph token aligned against (window start).
    pub offset: usize,
    /// The alignment.
    pub alignment: Alignment,
    /// Share of the quote's key words found together in a stretch of the
    /// paragraph about as long as the quote.
    pub local_share: f32,
    /// Rank of the cable in the index's answer.
    pub rank: usize,
}

impl Located {
    /// The paragraph.
    pub fn paragraph_text(&self) -> Option<&ParagraphText> {
        self.cable.paragraphs.get(self.paragraph)
    }

    /// The source as reported, with differences.
    pub fn source(&self, quote: &ArticleQuote, words: &[QuoteWord]) -> SourceMatch {
        let para = self.paragraph_text();
        let (number, text) = para.map_or((0, ""), |p| (p.number, p.text.as_str()));
        let tokens = para.map_or(&[][..], |p| p.tokens.get(self.offset..).unwrap_or(&[]));
        let a = &self.alignment;
        let span = |from: usize, to: usize| -> String {
            match (tokens.get(from), tokens.get(to)) {
                (Some(s), Some(e)) => text.get(s.start..e.end).unwrap_or("").to_owned(),
                _ => String::new(),
            }
        };
        SourceMatch {
            cable_id: self.cable.id.clone(),
            version: self.cable.version,
            paragraph: number,
            subject: para.is_some_and(|p| p.subject),
            text: a.para_range.map_or(String::new(), |(s, e)| span(s, e)),
            score: round3((a.score / a.total.max(f32::EPSILON)).clamp(0.0, 1.0)),
            coverage: round3(a.coverage()),
            differences: differences(quote, words, a, &span),
        }
    }
}

/// Rounded to three decimals (for reports).
fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// Whether a quote word is a cable word.
fn same(q: &QuoteWord, p: &Token) -> bool {
    p.hash == q.token.hash || q.alt == Some(p.hash)
}

/// Weight of a quote word: function words count half.
fn weight(w: &QuoteWord) -> f32 {
    if w.token.stop {
        0.5
    } else {
        1.0
    }
}

/// Gain of a matched word, per weight.
const MATCH: f32 = 1.0;
/// Cost of a quote word the cable has another word for, per weight, plus a constant.
const SUBSTITUTE: f32 = 0.6;
const SUBSTITUTE_FIXED: f32 = 0.1;
/// Cost of a quote word the cable lacks, per weight.
const MISSING: f32 = 0.6;
/// Cost of a parenthesised quote word the cable lacks, per weight.
const MISSING_OPTIONAL: f32 = 0.05;
/// Cost of a cable word the quote leaves out without marking it.
const LEFT_OUT: f32 = 0.35;

/// One step of an alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Quote word `q` is cable word `p`.
    Same(usize, usize),
    /// Quote word `q` is cable words `p` and `p + 1` (hyphenated, or broken over a line).
    SameAsTwo(usize, usize),
    /// Quote words `q` and `q + 1` are cable word `p`.
    TwoAsOne(usize, usize),
    /// Quote word `q` stands where the cable has word `p`.
    Changed(usize, usize),
    /// Quote word `q` is not in the cable.
    Added(usize),
    /// Cable word `p` is left out of the quote; `Some(gap)` where the quote marks a gap.
    LeftOut(usize, Option<usize>),
}

/// The best alignment of a quote's words inside a paragraph's words.
#[derive(Debug, Clone)]
pub struct Alignment {
    /// Score: gains of matches less costs of differences.
    pub score: f32,
    /// Weight of the quote's words that count (parenthesised ones only when found).
    pub total: f32,
    /// Weight of the quote's words found.
    pub matched: f32,
    /// Number of quote words found.
    pub matched_words: usize,
    /// Number of content (not function) words found.
    pub content_matched: usize,
    /// First and last paragraph tokens aligned.
    pub para_range: Option<(usize, usize)>,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

impl Alignment {
    /// Share of the quote (by weight) found in order.
    pub fn coverage(&self) -> f32 {
        if self.total <= 0.0 {
            0.0
        } else {
            (self.matched / self.total).clamp(0.0, 1.0)
        }
    }

    /// Whether the quote is verbatim (up to marked gaps).
    pub fn verbatim(&self) -> bool {
        self.steps.iter().all(|s| {
            matches!(s, Step::Same(..) | Step::SameAsTwo(..) | Step::TwoAsOne(..) | Step::LeftOut(_, Some(_)))
        })
    }
}

const FROM_START: u8 = 0;
const FROM_DIAG: u8 = 1;
const FROM_UP: u8 = 2;
const FROM_LEFT: u8 = 3;
const FROM_MERGE_P: u8 = 4;
const FROM_MERGE_Q: u8 = 5;

/// Aligns all of a quote's words inside a paragraph (local in the
/// paragraph, global in the quote): words match after normalisation,
/// cable words may be skipped freely where the quote marks a gap, at a cost
/// elsewhere; quote words may be missing or changed at a cost.
pub fn align(q: &[QuoteWord], p: &[Token]) -> Option<Alignment> {
    let m = q.len();
    let n = p.len();
    if m == 0 || n == 0 {
        return None;
    }
    let cols = n + 1;
    let mut score = vec![0f32; (m + 1) * cols];
    let mut from = vec![FROM_START; (m + 1) * cols];
    let at = |i: usize, j: usize| i * cols + j;
    for i in 1..=m {
        let w = weight(&q[i - 1]);
        let missing = if q[i - 1].optional { MISSING_OPTIONAL } else { MISSING } * w;
        let substitute = SUBSTITUTE * w + SUBSTITUTE_FIXED;
        // skipping cable words after quote word i is free where the quote
        // marks an omission after it
        let skip = if i < m && q[i].omission_before { 0.0 } else { LEFT_OUT };
        score[at(i, 0)] = score[at(i - 1, 0)] - missing;
        from[at(i, 0)] = FROM_UP;
        let qh = q[i - 1].token.hash;
        for j in 1..=n {
            let diag =
                score[at(i - 1, j - 1)] + if same(&q[i - 1], &p[j - 1]) { MATCH * w } else { -substitute };
            let mut best = diag;
            let mut dir = FROM_DIAG;
            let up = score[at(i - 1, j)] - missing;
            if up > best {
                best = up;
                dir = FROM_UP;
            }
            // on a tie, the earlier match (skipped cable words stay together)
            let left = score[at(i, j - 1)] - skip;
            if left >= best {
                best = left;
                dir = FROM_LEFT;
            }
            if j >= 2 && Token::joined_hash(&p[j - 2], &p[j - 1]) == qh {
                let v = score[at(i - 1, j - 2)] + MATCH * w;
                if v > best {
                    best = v;
                    dir = FROM_MERGE_P;
                }
            }
            if i >= 2 && Token::joined_hash(&q[i - 2].token, &q[i - 1].token) == p[j - 1].hash {
                let v = score[at(i - 2, j - 1)] + MATCH * (w + weight(&q[i - 2]));
                if v > best {
                    best = v;
                    dir = FROM_MERGE_Q;
                }
            }
            score[at(i, j)] = best;
            from[at(i, j)] = dir;
        }
    }
    // best end in the paragraph
    let mut end = 0;
    for j in 1..=n {
        if score[at(m, j)] > score[at(m, end)] {
            end = j;
        }
    }
    // trace back
    let mut steps = Vec::new();
    let (mut i, mut j) = (m, end);
    while i > 0 {
        match from[at(i, j)] {
            FROM_DIAG if j > 0 => {
                if same(&q[i - 1], &p[j - 1]) {
                    steps.push(Step::Same(i - 1, j - 1));
                } else {
                    steps.push(Step::Changed(i - 1, j - 1));
                }
                i -= 1;
                j -= 1;
            }
            FROM_LEFT if j > 0 => {
                let gap = if i < m && q[i].omission_before { q[i].gap_before } else { None };
                steps.push(Step::LeftOut(j - 1, gap));
                j -= 1;
            }
            FROM_MERGE_P if j > 1 => {
                steps.push(Step::SameAsTwo(i - 1, j - 2));
                i -= 1;
                j -= 2;
            }
            FROM_MERGE_Q if i > 1 && j > 0 => {
                steps.push(Step::TwoAsOne(i - 2, j - 1));
                i -= 2;
                j -= 1;
            }
            _ => {
                steps.push(Step::Added(i - 1));
                i -= 1;
            }
        }
    }
    steps.reverse();
    // cable words skipped before the first aligned word are not part of it
    while let Some(Step::LeftOut(..)) = steps.first() {
        steps.remove(0);
    }
    let mut total = 0f32;
    let mut matched = 0f32;
    let mut matched_words = 0usize;
    let mut content_matched = 0usize;
    let mut first_p: Option<usize> = None;
    let mut last_p: Option<usize> = None;
    let mut found = vec![false; m];
    for s in &steps {
        let (qs, ps): (&[usize], Option<(usize, usize)>) = match s {
            Step::Same(a, b) => (std::slice::from_ref(a), Some((*b, *b))),
            Step::SameAsTwo(a, b) => (std::slice::from_ref(a), Some((*b, b + 1))),
            Step::TwoAsOne(a, b) => {
                if let Some(f) = found.get_mut(a + 1) {
                    *f = true;
                }
                (std::slice::from_ref(a), Some((*b, *b)))
            }
            Step::Changed(_, b) => (&[], Some((*b, *b))),
            Step::LeftOut(..) | Step::Added(_) => (&[], None),
        };
        for &a in qs {
            if let Some(f) = found.get_mut(a) {
                *f = true;
            }
        }
        if let Some((a, b)) = ps {
            first_p.get_or_insert(a);
            last_p = Some(b);
        }
    }
    for (w, f) in q.iter().zip(&found) {
        if *f {
            total += weight(w);
            matched += weight(w);
            matched_words += 1;
            content_matched += usize::from(!w.token.stop);
        } else if !w.optional {
            total += weight(w);
        }
    }
    let para_range = first_p.zip(last_p);
    Some(Alignment {
        score: score[at(m, end)],
        total,
        matched,
        matched_words,
        content_matched,
        para_range,
        steps,
    })
}

/// The differences between a quote and its source, from an alignment.
fn differences(
    quote: &ArticleQuote,
    words: &[QuoteWord],
    a: &Alignment,
    cable_span: &dyn Fn(usize, usize) -> String,
) -> Vec<Difference> {
    let quote_span = |from: usize, to: usize| -> String {
        match (words.get(from), words.get(to)) {
            (Some(s), Some(e)) => quote.text.get(s.token.start..e.token.end).unwrap_or("").to_owned(),
            _ => String::new(),
        }
    };
    let mut out = Vec::new();
    let mut reported_gaps: Vec<usize> = Vec::new();
    // a run of differing steps between two matches
    let mut run_q: Option<(usize, usize)> = None;
    let mut run_p: Option<(usize, usize)> = None;
    let mut run_optional = true;
    let mut gap_run: Option<(usize, usize, usize)> = None; // gap, first p, last p
    let extend = |r: &mut Option<(usize, usize)>, x: usize| {
        *r = Some(match *r {
            None => (x, x),
            Some((s, _)) => (s, x),
        });
    };
    let mut flush = |run_q: &mut Option<(usize, usize)>,
                     run_p: &mut Option<(usize, usize)>,
                     run_optional: &mut bool,
                     gap_run: &mut Option<(usize, usize, usize)>,
                     out: &mut Vec<Difference>| {
        if let Some((g, s, e)) = gap_run.take() {
            if let Some(gap) = quote.gaps.get(g) {
                let kind = match gap.kind {
                    GapKind::Ellipsis | GapKind::Attribution => DifferenceKind::Elided,
                    GapKind::Bracket => DifferenceKind::Bracketed,
                    GapKind::Redaction => DifferenceKind::Redacted,
                };
                out.push(Difference { kind, quote: gap.text.clone(), cable: cable_span(s, e) });
                reported_gaps.push(g);
            }
        }
        let kind = match (*run_q, *run_p) {
            (Some(_), Some(_)) => Some(DifferenceKind::Changed),
            (Some(_), None) if *run_optional => Some(DifferenceKind::Inserted),
            (Some(_), None) => Some(DifferenceKind::Added),
            (None, Some(_)) => Some(DifferenceKind::Dropped),
            (None, None) => None,
        };
        if let Some(kind) = kind {
            out.push(Difference {
                kind,
                quote: run_q.map_or(String::new(), |(s, e)| quote_span(s, e)),
                cable: run_p.map_or(String::new(), |(s, e)| cable_span(s, e)),
            });
        }
        *run_q = None;
        *run_p = None;
        *run_optional = true;
    };
    for s in &a.steps {
        match *s {
            Step::Same(..) | Step::SameAsTwo(..) | Step::TwoAsOne(..) => {
                flush(&mut run_q, &mut run_p, &mut run_optional, &mut gap_run, &mut out);
            }
            Step::Changed(qi, pj) => {
                extend(&mut run_q, qi);
                extend(&mut run_p, pj);
                run_optional = false;
            }
            Step::Added(qi) => {
                extend(&mut run_q, qi);
                run_optional &= words.get(qi).is_some_and(|w| w.optional);
            }
            Step::LeftOut(pj, Some(g)) => {
                gap_run = Some(match gap_run {
                    Some((g0, s, _)) if g0 == g => (g, s, pj),
                    _ => (g, pj, pj),
                });
            }
            Step::LeftOut(pj, None) => extend(&mut run_p, pj),
        }
    }
    flush(&mut run_q, &mut run_p, &mut run_optional, &mut gap_run, &mut out);
    // bracketed insertions that stand for no cable words (explanations)
    for (g, gap) in quote.gaps.iter().enumerate() {
        if gap.kind == GapKind::Bracket && !reported_gaps.contains(&g) {
            out.push(Difference {
                kind: DifferenceKind::Bracketed,
                quote: gap.text.clone(),
                cable: String::new(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::article::{blocks, quotes};
    use super::*;

    fn quote(text: &str) -> ArticleQuote {
        quotes(&blocks(text)).into_iter().next().expect("a quote")
    }

    fn run(q: &str, para: &str) -> (Alignment, SourceMatch) {
        let quote = quote(q);
        let tokens = tokenize(para);
        let a = align(&quote.words, &tokens).expect("aligned");
        let cable = Rc::new(CableText {
            id: "08STATE134777".into(),
            version: 1,
            paragraphs: vec![ParagraphText { number: 3, subject: false, text: para.into(), tokens }],
        });
        let l = Located { cable, paragraph: 0, offset: 0, alignment: a.clone(), local_share: 1.0, rank: 0 };
        let s = l.source(&quote, &quote.words);
        (a, s)
    }

    const P3: &str = "-- Emphasize that a narrow interpretation of Article 21 by GIRoA will impair our ability to defend \
        the lives of our soldiers as well as those of Afghanistan and Coalition partners.\n-- Share with GIRoA the U.S. \
        Department of Defense Policy on Cluster Munitions.";

    #[test]
    fn verbatim_with_case_and_punctuation() {
        let (a, s) = run("\"A NARROW INTERPRETATION of Article 21 by GIRoA will impair our ability to defend the lives of our soldiers\"", P3);
        assert!(a.verbatim(), "{:?}", s.differences);
        assert_eq!(a.coverage(), 1.0);
        assert!(
            s.text.starts_with("a narrow interpretation") && s.text.ends_with("our soldiers"),
            "{}",
            s.text
        );
        assert!(s.differences.is_empty());
    }

    #[test]
    fn ellipses_and_brackets_are_marked_gaps() {
        let (a, s) = run("“a narrow interpretation of Article 21 by [the Afghan government] will impair our ability … as well as those of Afghanistan”", P3);
        assert!(a.verbatim(), "{:?}", s.differences);
        let kinds: Vec<DifferenceKind> = s.differences.iter().map(|d| d.kind).collect();
        assert_eq!(kinds, [DifferenceKind::Bracketed, DifferenceKind::Elided]);
        assert_eq!(s.differences[0].cable, "GIRoA");
        assert_eq!(s.differences[1].cable, "to defend the lives of our soldiers");
    }

    #[test]
    fn changed_and_dropped_words_are_shown() {
        let (a, s) = run(
            "\"a narrow reading of Article 21 by GIRoA will impair our ability to defend our soldiers\"",
            P3,
        );
        assert!(!a.verbatim());
        assert!(a.coverage() > 0.85, "{}", a.coverage());
        let d: Vec<(DifferenceKind, &str, &str)> =
            s.differences.iter().map(|d| (d.kind, d.quote.as_str(), d.cable.as_str())).collect();
        assert_eq!(
            d,
            [
                (DifferenceKind::Changed, "reading", "interpretation"),
                (DifferenceKind::Dropped, "", "the lives of")
            ]
        );
    }

    #[test]
    fn cable_artifacts_are_not_differences() {
        let para = "minimizing any potential impact of Afghanistan,s signa-\nture of the Convention on U.S. operations";
        let (a, s) = run("'minimizing any potential impact of Afghanistan’s signature of the Convention on American operations'", para);
        assert_eq!(s.differences.len(), 1, "{:?}", s.differences);
        assert_eq!((s.differences[0].quote.as_str(), s.differences[0].cable.as_str()), ("American", "U.S."));
        assert!(a.coverage() > 0.9);
        let (a, _) = run(
            "'minimizing any potential impact of Afghanistan’s signature of the Convention on US operations'",
            para,
        );
        assert!(a.verbatim());
    }

    #[test]
    fn unrelated_text_scores_low() {
        let (a, _) = run("\"We neither condemn nor applaud these attacks on the targets\"", P3);
        assert!(a.coverage() < 0.5, "{}", a.coverage());
    }

    #[test]
    fn page_breaks_inside_paragraph_lines_are_left_out() {
        let text = "MinFin understands that this  MOSCOW 00000228  002 OF 002   would entail so much expense";
        let tokens = without_page_breaks(text, tokenize(text), "MOSCOW");
        let words: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
        assert_eq!(
            words,
            ["MinFin", "understands", "that", "this", "would", "entail", "so", "much", "expense"]
        );
        let text = "the plan of LA PAZ 00003449  002.2 OF 003 the GOB";
        assert_eq!(without_page_breaks(text, tokenize(text), "LAPAZ").len(), 5);
        let text = "sent 00000228 copies 2 OF 3 to MOSCOW";
        assert_eq!(
            without_page_breaks(text, tokenize(text), "MOSCOW").len(),
            8,
            "only after the station's name"
        );
    }

    #[test]
    fn key_word_window_of_long_paragraphs() {
        let filler = "word ".repeat(200_000);
        let para = format!("{filler} a narrow interpretation of Article 21 {filler}");
        let q = quote("\"a narrow interpretation of Article 21\"");
        let keys = KeyWords::new(&q.words);
        let tokens = tokenize(&para);
        let (lo, hi) = keys.window(&tokens, q.words.len());
        assert!(hi - lo < 300 && lo < 200_000 && hi > 200_005, "{lo}..{hi}");
        assert_eq!(keys.window(&tokens[..1000], q.words.len()), (0, 1000), "short enough to align whole");
    }

    const FRAGMENTS: &[&str] = &[
        "\"",
        "“",
        "”",
        "'",
        "‘",
        "’",
        "«",
        "»",
        "[",
        "]",
        "(",
        ")",
        "...",
        "…",
        ". . .",
        "<p>",
        "</p>",
        "<br>",
        "<a href='x'>",
        "</a>",
        "<script>",
        "</script>",
        "<article>",
        "&amp;",
        "&ldquo;",
        "&#8220;",
        "&#xZZ;",
        "&",
        "<",
        ">",
        "<!--",
        "-->",
        "U.S.",
        "U. S.",
        "US",
        "Afghanistan,s",
        "don't",
        "é",
        "ß",
        "e\u{301}",
        "\u{ad}",
        "XXXXXXXXXXXX",
        " ",
        "\n",
        "\n\n",
        "\r\n",
        "word",
        "Word",
        "WORD",
        "-",
        "-\n",
        "—",
        ",",
        ".",
        ";",
        ":",
        "1.5",
        "200,000",
        "a",
        "the",
        "of",
        "narrow",
        "interpretation",
        "he said,",
        "\u{0}",
        "\u{feff}",
        "𝔘",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
        /// Any text at all.
        #[test]
        fn never_panics_on_any_text(article in "\\PC{0,300}", cable_text in "\\PC{0,300}") {
            let b = blocks(&article);
            let _ = super::super::article::unquoted_sentences(&b);
            let tokens = tokenize(&cable_text);
            for q in quotes(&b) {
                let _ = align(&q.words, &tokens);
            }
        }

        /// Extraction, normalisation, alignment and differences never panic,
        /// whatever the article and the cable text.
        #[test]
        fn never_panics_on_odd_text(
            article in proptest::collection::vec(proptest::sample::select(FRAGMENTS.to_vec()), 0..80),
            cable in proptest::collection::vec(proptest::sample::select(FRAGMENTS.to_vec()), 0..80),
        ) {
            let article: String = article.concat();
            let cable_text: String = cable.concat();
            let b = blocks(&article);
            let _ = super::super::article::unquoted_sentences(&b);
            let tokens = without_page_breaks(&cable_text, tokenize(&cable_text), "MOSCOW");
            for t in &tokens {
                proptest::prop_assert!(cable_text.get(t.start..t.end).is_some());
            }
            let cable = Rc::new(CableText {
                id: "10MOSCOW228".into(),
                version: 1,
                paragraphs: vec![ParagraphText { number: 1, subject: false, text: cable_text.clone(), tokens: tokens.clone() }],
            });
            for q in quotes(&b) {
                let keys = KeyWords::new(&q.words);
                let _ = keys.local_share(&tokens, q.words.len());
                let _ = keys.window(&tokens, q.words.len());
                if let Some(a) = align(&q.words, &tokens) {
                    proptest::prop_assert!(a.coverage() >= 0.0 && a.coverage() <= 1.0);
                    let l = Located { cable: cable.clone(), paragraph: 0, offset: 0, alignment: a, local_share: 0.0, rank: 0 };
                    let s = l.source(&q, &q.words);
                    proptest::prop_assert!(s.score >= 0.0 && s.score <= 1.0);
                }
            }
        }
    }
}
