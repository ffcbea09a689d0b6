//! Close spellings: the words of the index near a typed word, for fuzzy
//! terms' highlights and for "did you mean".

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::schema::Field;
use tantivy::Searcher;

use super::syntax::Query;
use crate::index::analysis::folded_words;
use crate::Result;

/// A better-spelled query offered when a search finds little.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    /// The query with the close spellings put in.
    pub query: String,
    /// How many cables it finds.
    pub total: u64,
}

/// A search finding at most this many cables is offered a better spelling.
pub const FEW: u64 = 3;

/// A word of the index close to a typed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseTerm {
    /// The word as indexed (folded).
    pub text: String,
    /// How many documents hold it.
    pub docs: u64,
    /// Its edit distance from the typed word.
    pub edits: usize,
}

/// The words of `field` within `edits` edits of `word` (folded), nearest
/// first, then most frequent; `word` itself excluded. Reads the whole term dictionary: meant for the
/// rare search that asks (a fuzzy word, a search that found little).
pub fn close_terms(searcher: &Searcher, field: Field, word: &str, edits: u8) -> Result<Vec<CloseTerm>> {
    let mut found: BTreeMap<String, (u64, usize)> = BTreeMap::new();
    let cap = usize::from(edits);
    let len = word.len();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream().map_err(|e| crate::Error::io("search index terms", e))?;
        while stream.advance() {
            let key = stream.key();
            if key.len().abs_diff(len) > cap || key == word.as_bytes() {
                continue;
            }
            if let Some(d) = cable::edit_distance(key, word.as_bytes(), cap) {
                let Ok(text) = std::str::from_utf8(key) else { continue };
                let entry = found.entry(text.to_owned()).or_insert((0, d));
                entry.0 += u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut out: Vec<CloseTerm> =
        found.into_iter().map(|(text, (docs, edits))| CloseTerm { text, docs, edits }).collect();
    out.sort_by(|a, b| a.edits.cmp(&b.edits).then(b.docs.cmp(&a.docs)).then_with(|| a.text.cmp(&b.text)));
    Ok(out)
}

/// How many documents of `field` hold `word` as written.
fn doc_freq(searcher: &Searcher, field: Field, word: &str) -> Result<u64> {
    Ok(searcher.doc_freq(&tantivy::Term::from_field_text(field, word))?)
}

/// Whether a word is long enough to be respelled: under 4 letters every
/// word is near another.
fn respellable(word: &str) -> bool {
    word.chars().count() >= 4 && word.chars().all(|c| c.is_ascii_lowercase())
}

/// Every string one edit from `word` (a letter deleted, inserted, replaced,
/// or two neighbours swapped), letters `a`-`z` only, sorted.
fn one_edit(word: &str) -> Vec<String> {
    let w = word.as_bytes();
    let mut out = Vec::with_capacity(60 * (w.len() + 1));
    let mut push = |v: Vec<u8>| {
        if let Ok(s) = String::from_utf8(v) {
            out.push(s);
        }
    };
    for i in 0..w.len() {
        push([&w[..i], &w[i + 1..]].concat());
        if i + 1 < w.len() && w[i] != w[i + 1] {
            let mut t = w.to_vec();
            t.swap(i, i + 1);
            push(t);
        }
        for c in b'a'..=b'z' {
            if c != w[i] {
                let mut t = w.to_vec();
                t[i] = c;
                push(t);
            }
        }
    }
    for i in 0..=w.len() {
        for c in b'a'..=b'z' {
            push([&w[..i], &[c], &w[i..]].concat());
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The query with each of its plain words (no field, or subject and body)
/// found in few cables replaced by a close spelling found in many more;
/// `None` when no word has one. The caller counts what it finds.
pub fn respelled(searcher: &Searcher, body: Field, query: &Query) -> Result<Option<Query>> {
    let mut changed = false;
    let q = respell(searcher, body, query, &mut changed)?;
    Ok(changed.then_some(q))
}

fn respell(searcher: &Searcher, body: Field, q: &Query, changed: &mut bool) -> Result<Query> {
    use super::syntax::Field as QField;
    Ok(match q {
        Query::Term { field: field @ (None | Some(QField::Body) | Some(QField::Subject)), text } => {
            match better_word(searcher, body, text)? {
                Some(better) => {
                    *changed = true;
                    Query::Term { field: *field, text: better }
                }
                None => q.clone(),
            }
        }
        Query::Phrase { field: field @ (None | Some(QField::Body) | Some(QField::Subject)), words, slop } => {
            let mut out = Vec::with_capacity(words.len());
            for w in words {
                match better_word(searcher, body, w)? {
                    Some(better) => {
                        *changed = true;
                        out.push(better);
                    }
                    None => out.push(w.clone()),
                }
            }
            Query::Phrase { field: *field, words: out, slop: *slop }
        }
        Query::Boolean { must, should, must_not } => {
            let mut each = |list: &[Query]| -> Result<Vec<Query>> {
                list.iter().map(|c| respell(searcher, body, c, changed)).collect()
            };
            Query::Boolean { must: each(must)?, should: each(should)?, must_not: must_not.clone() }
        }
        other => other.clone(),
    })
}

/// A spelling one edit from `typed` that the body holds far more often
/// (the most frequent such). Looked up word by word (a few hundred point
/// lookups), not by reading the term dictionary.
fn better_word(searcher: &Searcher, body: Field, typed: &str) -> Result<Option<String>> {
    let words = folded_words(typed);
    let [word] = words.as_slice() else { return Ok(None) };
    if !respellable(word) {
        return Ok(None);
    }
    let own = doc_freq(searcher, body, word)?;
    let mut best: Option<(u64, String)> = None;
    for candidate in one_edit(word) {
        let n = doc_freq(searcher, body, &candidate)?;
        if n >= 3 && n >= 5 * own.max(1) && best.as_ref().is_none_or(|(m, _)| n > *m) {
            best = Some((n, candidate));
        }
    }
    Ok(best.map(|(_, w)| w))
}

#[cfg(test)]
mod tests {
    use super::{one_edit, respellable};

    #[test]
    fn short_words_are_not_respelled() {
        assert!(respellable("nato") && !respellable("un") && !respellable("1234"));
    }

    #[test]
    fn one_edit_away() {
        let near = one_edit("munitoins");
        for w in ["munitions", "munitins", "munitoin", "mnitoins", "munitoinss"] {
            assert!(near.binary_search(&w.to_owned()).is_ok(), "{w}");
        }
        assert!(!near.contains(&"munitoins".to_owned()) && !near.contains(&"mutinions".to_owned()));
    }
}
