//! Ranked top-k with Block-WAND pruning and a deterministic tie-break.
//!
//! Ranking by score alone lets tantivy skip most of the documents of a
//! common word (Block-WAND): only documents that can still enter the top k
//! are scored. Ties are broken by store version (lowest first), as in the
//! unpruned path, so that pages do not depend on segment layout: the
//! pruning threshold is kept just *below* the k-th score, so documents
//! scoring exactly that much are still seen and compared by version.
//!
//! Other queries gain little from pruning and would need a second pass to
//! count; the caller keeps them on the single-pass path ([`prunable`]).
//!
//! tantivy's block maxima are not an upper bound on every index: for each
//! block of 128 postings, a segment stores the (length, frequency) pair
//! that scores best under *that segment's* average field length, and a
//! search rescores that pair under the average of the whole index. When
//! the averages differ (several segments, say after new versions were
//! indexed), another pair of the block may score more, and Block-WAND
//! would skip a document that belongs on the page. [`block_max_slack`]
//! bounds how much more: pruning uses the threshold divided by it, so that
//! no block that could reach the threshold is skipped, and pages are exact.
//! And a field indexed without frequencies (tags, classification, ids) has
//! no block maxima at all (they read as 0): a query reading one is never
//! pruned.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::query::{EnableScoring, Query as TQuery};
use tantivy::schema::Field;
use tantivy::{DocAddress, Score, Searcher};

use super::syntax::Query;
use crate::Result;

/// Whether a query is worth ranking with pruning: a word, a prefix, or
/// words joined by OR. Each word searches several fields (a union), so
/// tantivy's Block-WAND applies to these; a conjunction of such unions, a
/// phrase or a filter is scored in full anyway, and counting it would be a
/// second pass.
pub fn prunable(q: &Query) -> bool {
    let word = |q: &Query| matches!(q, Query::Term { .. } | Query::Exact { .. } | Query::Prefix { .. });
    match q {
        Query::Boolean { must, should, must_not } => {
            must.is_empty() && must_not.is_empty() && should.iter().all(word)
        }
        q => word(q),
    }
}

/// The slack of each segment to prune `query` with ([`top_k`]), or `None`
/// when it must not be pruned: it reads a field indexed without
/// frequencies, whose blocks have no maxima.
pub fn pruning_slack(searcher: &Searcher, query: &dyn TQuery) -> Result<Option<Vec<Score>>> {
    let schema = searcher.schema();
    let mut fields = Vec::new();
    let mut has_maxima = true;
    query.query_terms(&mut |term, _| {
        let entry = schema.get_field_entry(term.field());
        has_maxima &= entry.field_type().get_index_record_option().is_some_and(|o| o.has_freq());
        if !fields.contains(&term.field()) {
            fields.push(term.field());
        }
    });
    if !has_maxima {
        return Ok(None);
    }
    block_max_slack(searcher, &fields).map(Some)
}

/// A candidate; the heap's greatest element is the worst one kept.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: Score,
    version: u64,
    addr: DocAddress,
}

impl Candidate {
    /// `Greater` when `self` ranks *below* `other`.
    fn worse(&self, other: &Candidate) -> Ordering {
        other.score.total_cmp(&self.score).then(self.version.cmp(&other.version))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.worse(other) == Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.worse(other)
    }
}

/// How far the true best score of a block of each segment may exceed the
/// block maximum tantivy computes for it, as a factor (1 on a single
/// segment): the largest ratio, either way, between the segment's average
/// length of one of `fields`, under which its block maxima were chosen,
/// and the index's, under which a search scores (see the module
/// documentation).
///
/// BM25 scores a posting `tf / (tf + k1 (1 - b + b len / avg))` (times
/// what every posting of the term shares). Changing `avg` by a factor `r`
/// changes every posting's score by a factor between 1 and `r`, so the
/// posting that scored best under one average scores at least `1 / r` of
/// the best under the other.
pub fn block_max_slack(searcher: &Searcher, fields: &[Field]) -> Result<Vec<Score>> {
    let readers = searcher.segment_readers();
    let docs: u64 = readers.iter().map(|r| u64::from(r.max_doc())).sum();
    let mut slack = vec![1.0f64; readers.len()];
    for &field in fields {
        let mut tokens = Vec::with_capacity(readers.len());
        for r in readers {
            tokens.push(r.inverted_index(field)?.total_num_tokens());
        }
        let all: u64 = tokens.iter().sum();
        if all == 0 || docs == 0 {
            continue;
        }
        let index_avg = all as f64 / docs as f64;
        for ((slack, r), t) in slack.iter_mut().zip(readers).zip(tokens) {
            if t > 0 && r.max_doc() > 0 {
                let segment_avg = t as f64 / f64::from(r.max_doc());
                *slack = slack.max(segment_avg / index_avg).max(index_avg / segment_avg);
            }
        }
    }
    // And room for rounding: scores are f32.
    Ok(slack.into_iter().map(|s| (s * 1.0001) as Score).collect())
}

/// The `k` best documents by (score descending, store version ascending),
/// best first. `slack` is [`block_max_slack`] of the fields `query` reads,
/// one for each segment.
pub fn top_k(
    searcher: &Searcher,
    query: &dyn TQuery,
    k: usize,
    slack: &[Score],
) -> Result<Vec<(Score, DocAddress)>> {
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut heap: BinaryHeap<Candidate> = BinaryHeap::with_capacity(k + 1);
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        // Below the k-th score once the heap is full, by the segment's
        // slack: ties with it still arrive, and no block that could reach
        // it is skipped.
        let slack = slack.get(ord).copied().unwrap_or(Score::INFINITY);
        let threshold = |heap: &BinaryHeap<Candidate>| match heap.peek() {
            Some(worst) if heap.len() >= k => worst.score.next_down() / slack,
            _ => Score::MIN,
        };
        let versions = reader.fast_fields().u64("version")?;
        let alive = reader.alive_bitset();
        weight.for_each_pruning(threshold(&heap), reader, &mut |doc, score| {
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                return threshold(&heap);
            }
            let c = Candidate {
                score,
                version: versions.first(doc).unwrap_or(u64::MAX),
                addr: DocAddress::new(ord as u32, doc),
            };
            if heap.len() < k {
                heap.push(c);
            } else if heap.peek().is_some_and(|worst| c.worse(worst) == Ordering::Less) {
                heap.pop();
                heap.push(c);
            }
            threshold(&heap)
        })?;
    }
    Ok(heap.into_sorted_vec().into_iter().map(|c| (c.score, c.addr)).collect())
}

/// The exact number of matching (live) documents, without scoring: a single
/// word's count is read off its posting list when nothing is deleted.
pub fn count(searcher: &Searcher, query: &dyn TQuery) -> Result<usize> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut n = 0usize;
    for reader in searcher.segment_readers() {
        n += weight.count(reader)? as usize;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::indexer::NoMergePolicy;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, NumericOptions, Schema, TEXT};
    use tantivy::{doc, Index, Term};

    /// The store version of the document at `a`.
    fn version_of(searcher: &Searcher, a: DocAddress) -> u64 {
        let versions = searcher.segment_reader(a.segment_ord).fast_fields().u64("version").unwrap();
        versions.first(a.doc_id).unwrap()
    }

    /// Every document of `query`, ranked as the unpruned search ranks them.
    fn exhaustive(searcher: &Searcher, query: &dyn TQuery) -> Vec<(Score, u64)> {
        let all = searcher.search(query, &TopDocs::with_limit(100_000).order_by_score()).unwrap();
        let mut ranked: Vec<(Score, u64)> =
            all.into_iter().map(|(score, a)| (score, version_of(searcher, a))).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked
    }

    #[test]
    fn pages_are_exact_when_segments_disagree_on_the_average_length() {
        // Segment one: short documents, so its block maxima are chosen
        // under a short average length; in each block of 128 the one-word
        // documents score best there. Its long documents with many
        // mentions, more of them block after block, score best under the
        // index's average, which segment two's very long documents raise.
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let version = b.add_u64_field("version", NumericOptions::default().set_fast());
        let index = Index::create_in_ram(b.build());
        let mut w: tantivy::IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
        w.set_merge_policy(Box::new(NoMergePolicy));
        let mut v = 0u64;
        for block in 0..8usize {
            for i in 0..128usize {
                v += 1;
                let text = if i == 64 {
                    format!("{}{}", "x ".repeat(10 + block), "y ".repeat(90 - block))
                } else {
                    "x".to_owned()
                };
                w.add_document(doc!(body => text, version => v)).unwrap();
            }
        }
        w.commit().unwrap();
        for _ in 0..300 {
            v += 1;
            w.add_document(doc!(body => "z ".repeat(2000), version => v)).unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);

        let query = TermQuery::new(Term::from_field_text(body, "x"), IndexRecordOption::WithFreqs);
        let slack = pruning_slack(&searcher, &query).unwrap().expect("a text field has block maxima");
        assert!(slack.iter().all(|&s| s > 1.5), "the segments' averages differ: slack {slack:?}");
        let expected = exhaustive(&searcher, &query);
        for k in [1, 3, 8, 20] {
            let pruned: Vec<(Score, u64)> = top_k(&searcher, &query, k, &slack)
                .unwrap()
                .into_iter()
                .map(|(score, a)| (score, version_of(&searcher, a)))
                .collect();
            assert_eq!(pruned, expected[..k], "top {k}");
        }
    }

    #[test]
    fn a_field_without_frequencies_is_never_pruned() {
        let mut b = Schema::builder();
        let tag = b.add_text_field("tag", tantivy::schema::STRING);
        let index = Index::create_in_ram(b.build());
        let searcher = index.reader().unwrap().searcher();
        let query = TermQuery::new(Term::from_field_text(tag, "PARM"), IndexRecordOption::Basic);
        assert_eq!(pruning_slack(&searcher, &query).unwrap(), None);
    }
}
