//! The forms of a word the index holds: every word of a field whose English
//! stem is the word's (`munition` -> `munition`, `munitions`), looked up in
//! the term dictionary when a query is translated, so that the index holds
//! each word once, as written (folded).
//!
//! A word's stem keeps the word's beginning: the English (Snowball) stemmer
//! removes and rewrites endings, and what it writes in place of an ending
//! (`y` -> `i`, an `e` put back) is at most two letters. So every form of a
//! stem starts with the stem less its last two letters (less one letter
//! for stems of four letters or fewer, where a wider range would read too
//! many words): the forms are found by reading that range of the term
//! dictionary and stemming each word in it. The rare irregular forms the
//! stemmer knows by heart (`dying` -> `die`) may be missed; the word as
//! typed is always looked up.
//!
//! Forms are remembered per index generation (a new commit reads them
//! again), up to [`CACHED`] words.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::schema::Field;
use tantivy::Searcher;

use crate::index::analysis::stem;
use crate::Result;

/// Words this short (in bytes) are looked up as written.
const SHORT: usize = 2;

/// Words whose forms are remembered before the memory starts again.
pub const CACHED: usize = 20_000;

/// Forms already looked up, for the index generation they were read from.
#[derive(Debug, Default)]
pub struct FormsCache {
    inner: Mutex<CacheState>,
}

#[derive(Debug, Default)]
struct CacheState {
    /// Segments the forms were read from (ids, in order).
    segments: Vec<tantivy::index::SegmentId>,
    forms: HashMap<(Field, String), Arc<Vec<String>>>,
}

impl FormsCache {
    /// The forms of `word` in `field` of the index `searcher` reads.
    pub fn forms(&self, searcher: &Searcher, field: Field, word: &str) -> Result<Arc<Vec<String>>> {
        let segments: Vec<tantivy::index::SegmentId> =
            searcher.segment_readers().iter().map(|s| s.segment_id()).collect();
        let key = (field, word.to_owned());
        if let Ok(state) = self.inner.lock() {
            if state.segments == segments {
                if let Some(found) = state.forms.get(&key) {
                    return Ok(found.clone());
                }
            }
        }
        let found = Arc::new(forms(searcher, field, word)?);
        if let Ok(mut state) = self.inner.lock() {
            if state.segments != segments || state.forms.len() >= CACHED {
                state.forms.clear();
                state.segments = segments;
            }
            state.forms.insert(key, found.clone());
        }
        Ok(found)
    }
}

/// The words of the dictionary range every form of `stem` lies in: those
/// starting with this.
fn range_prefix(stem: &str) -> &str {
    let n = stem.len();
    let keep = if n > 4 { n - 2 } else { n.saturating_sub(1).max(1) };
    let mut keep = keep.min(n);
    while !stem.is_char_boundary(keep) {
        keep -= 1;
    }
    &stem[..keep]
}

/// The words of `field` (in any segment) whose stem is `word`'s, most
/// documents first; `word` itself among them when the index holds it.
pub fn forms(searcher: &Searcher, field: Field, word: &str) -> Result<Vec<String>> {
    // Words of one or two letters (`us`, `un`, `eu`) are their own only
    // form: their range would be every word starting with their letter.
    if word.len() <= SHORT {
        let held = searcher.doc_freq(&tantivy::Term::from_field_text(field, word))? > 0;
        return Ok(if held { vec![word.to_owned()] } else { Vec::new() });
    }
    let target = stem(word);
    let prefix = range_prefix(&target);
    let mut upper = prefix.as_bytes().to_vec();
    // the first key after every key starting with the prefix
    while let Some(last) = upper.pop() {
        if last < u8::MAX {
            upper.push(last + 1);
            break;
        }
    }
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let dict = inverted.terms();
        let mut range = dict.range().ge(prefix.as_bytes());
        if !upper.is_empty() {
            range = range.lt(&upper);
        }
        let mut stream = range.into_stream().map_err(|e| crate::Error::io("search index terms", e))?;
        while stream.advance() {
            let Ok(text) = std::str::from_utf8(stream.key()) else { continue };
            if text == word || stem(text) == target {
                *found.entry(text.to_owned()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut out: Vec<(String, u64)> = found.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(out.into_iter().map(|(w, _)| w).collect())
}

#[cfg(test)]
mod tests {
    use super::range_prefix;
    use crate::index::analysis::stem;

    #[test]
    fn every_form_starts_with_the_range_of_its_stem() {
        for (word, forms) in [
            ("munition", &["munitions", "munition"][..]),
            ("ratify", &["ratified", "ratifies", "ratifying"][..]),
            ("country", &["countries", "country's"][..]),
            ("minister", &["ministers", "minister"][..]),
            ("relation", &["relations", "relational"][..]),
            ("negotiate", &["negotiated", "negotiating", "negotiation", "negotiations"][..]),
            ("fly", &["flies", "flying"][..]),
            ("agree", &["agreed", "agreeing", "agrees"][..]),
        ] {
            let s = stem(word);
            let p = range_prefix(&s);
            for f in forms {
                let f = f.split('\'').next().unwrap();
                if stem(f) == s {
                    assert!(f.starts_with(p), "{f} (stem {}) outside {p}* (stem of {word}: {s})", stem(f));
                }
            }
        }
    }
}
