//! Queries as readers type them, against the cables they expect.
//!
//! `tests/data/reader-queries.jsonl` holds queries typed the way
//! journalists type them (press spellings, accents, word forms,
//! misspellings, acronyms, other transliterations), each with the cables of
//! the shared corpus a reader expects (`relevant`, found by reading and by
//! grep over every spelling, not by this engine) and cables a careless
//! engine might return that the reader does not want (`irrelevant`). The
//! test prints recall (relevant cables found) and the share of irrelevant
//! cables kept out, for the default search and for the same words in their
//! exact forms only (`=word`: folded but not stemmed, no close spellings),
//! query by query and over the table.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::shared::{corpus_archive, labelled};

/// The recall the default search reached over the table when it was made
/// (0.593; exact forms 0.438), asserted so that it does not fall back.
/// Misspellings find nothing by themselves (the search offers the right
/// spelling instead) and several transliterations are not yet joined.
const RECALL_FLOOR: f64 = 0.58;

#[derive(Debug, Deserialize)]
struct Case {
    query: String,
    kind: String,
    relevant: Vec<String>,
    #[serde(default)]
    irrelevant: Vec<String>,
}

fn cases() -> Vec<Case> {
    labelled("reader-queries.jsonl")
}

/// The query with every bare word in its exact form (`=word`).
fn exact_forms(query: &str) -> String {
    let mut quoted = false;
    query
        .split(' ')
        .map(|w| {
            let starts_quote = w.starts_with('"');
            let bare = !quoted
                && !starts_quote
                && !w.contains(':')
                && !matches!(w, "AND" | "OR" | "NOT")
                && w.chars().next().is_some_and(char::is_alphanumeric);
            if w.matches('"').count() % 2 == 1 {
                quoted = !quoted;
            }
            if bare {
                format!("={w}")
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Default)]
struct Tally {
    relevant: usize,
    found: usize,
    irrelevant: usize,
    kept_out: usize,
}

impl Tally {
    fn add(&mut self, c: &Case, hits: &BTreeSet<String>) -> (usize, usize) {
        let found = c.relevant.iter().filter(|id| hits.contains(*id)).count();
        let kept_out = c.irrelevant.iter().filter(|id| !hits.contains(*id)).count();
        self.relevant += c.relevant.len();
        self.found += found;
        self.irrelevant += c.irrelevant.len();
        self.kept_out += kept_out;
        (found, kept_out)
    }

    fn recall(&self) -> f64 {
        self.found as f64 / self.relevant.max(1) as f64
    }

    fn kept_out(&self) -> f64 {
        if self.irrelevant == 0 {
            1.0
        } else {
            self.kept_out as f64 / self.irrelevant as f64
        }
    }
}

#[test]
fn reader_queries_find_the_cables_readers_expect() {
    let (archive, _) = corpus_archive();
    let cases = cases();
    assert!(cases.len() >= 40, "the table holds {} queries", cases.len());
    let ids = |q: &str| -> BTreeSet<String> {
        archive.matching_ids(q).unwrap_or_else(|e| panic!("{q}: {e}")).into_iter().collect()
    };
    let (mut default, mut exact) = (Tally::default(), Tally::default());
    println!("{:<36} {:<28} {:>9} {:>9} {:>9}", "query", "kind", "relevant", "default", "exact");
    for c in &cases {
        let (d, d_out) = default.add(c, &ids(&c.query));
        let (e, _) = exact.add(c, &ids(&exact_forms(&c.query)));
        let out = if c.irrelevant.is_empty() {
            String::new()
        } else {
            format!("  kept out {d_out}/{}", c.irrelevant.len())
        };
        println!("{:<36} {:<28} {:>9} {:>9} {:>9}{out}", c.query, c.kind, c.relevant.len(), d, e);
    }
    println!(
        "recall: default {:.3}, exact forms {:.3}; irrelevant kept out: default {:.3}, exact forms {:.3}",
        default.recall(),
        exact.recall(),
        default.kept_out(),
        exact.kept_out()
    );
    assert!(default.recall() >= exact.recall(), "folding, stems and variants never lose a relevant cable");
    assert!(default.recall() >= RECALL_FLOOR, "recall {:.3} fell under {RECALL_FLOOR}", default.recall());
}

#[test]
fn exact_forms_leave_operators_fields_and_phrases_alone() {
    assert_eq!(exact_forms("Gaddafi Libya"), "=Gaddafi =Libya");
    assert_eq!(exact_forms("\"cluster munition\" OR tag:PARM"), "\"cluster munition\" OR tag:PARM");
    assert_eq!(exact_forms("a AND \"b c d\" e"), "=a AND \"b c d\" =e");
}
