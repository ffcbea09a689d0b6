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

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::query::{EnableScoring, Query as TQuery};
use tantivy::{DocAddress, Score, Searcher};

use super::syntax::Query;
use crate::Result;

/// Whether a query is worth ranking with pruning: a word, a prefix, or
/// words joined by OR. Each word searches several fields (a union), so
/// tantivy's Block-WAND applies to these; a conjunction of such unions, a
/// phrase or a filter is scored in full anyway, and counting it would be a
/// second pass.
pub fn prunable(q: &Query) -> bool {
    let word = |q: &Query| matches!(q, Query::Term { .. } | Query::Prefix { .. });
    match q {
        Query::Boolean { must, should, must_not } => {
            must.is_empty() && must_not.is_empty() && should.iter().all(word)
        }
        q => word(q),
    }
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

/// The `k` best documents by (score descending, store version ascending),
/// best first.
pub fn top_k(searcher: &Searcher, query: &dyn TQuery, k: usize) -> Result<Vec<(Score, DocAddress)>> {
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut heap: BinaryHeap<Candidate> = BinaryHeap::with_capacity(k + 1);
    // Below the k-th score once the heap is full: ties with it still arrive.
    let threshold = |heap: &BinaryHeap<Candidate>| match heap.peek() {
        Some(worst) if heap.len() >= k => worst.score.next_down(),
        _ => Score::MIN,
    };
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
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
