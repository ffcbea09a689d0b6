//! Highlighted snippets, cut from a window of the text around the first
//! occurrence of the rarest matched word instead of tokenising a whole
//! cable per hit (which was most of the cost of a search).

use std::collections::BTreeMap;

use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Score, Searcher};

use super::Snippet;
use crate::Result;

/// The longest snippet.
const MAX_CHARS: usize = 240;
/// Characters of text kept on each side of the chosen occurrence: every
/// snippet holding it fits, and no more text is cut into words.
const WINDOW: usize = MAX_CHARS;

/// Makes the snippets of one search.
pub struct Snippets {
    /// Matched words of the body field (lower case) and their weight (rarer weighs more), rarest first.
    words: Vec<String>,
    generator: SnippetGenerator,
}

impl Snippets {
    /// The snippet maker for the `terms` a query looks for in `field`
    /// (the forms of its words), or `None` when the query has no words in
    /// that field (a `tag:` or date filter alone).
    pub fn new(searcher: &Searcher, terms: &[tantivy::Term], field: Field) -> Result<Option<Snippets>> {
        let terms: Vec<&tantivy::Term> = terms.iter().filter(|t| t.field() == field).collect();
        let mut weights: BTreeMap<String, Score> = BTreeMap::new();
        for term in terms {
            let value = term.value();
            let Some(text) = value.as_str() else { continue };
            let df = searcher.doc_freq(term)?;
            if df > 0 {
                weights.insert(text.to_owned(), 1.0 / (1.0 + df as Score));
            }
        }
        if weights.is_empty() {
            return Ok(None);
        }
        let mut words: Vec<(String, Score)> = weights.iter().map(|(w, s)| (w.clone(), *s)).collect();
        words.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let tokenizer = searcher.index().tokenizer_for_field(field)?;
        let generator = SnippetGenerator::new(weights, tokenizer, field, MAX_CHARS);
        Ok(Some(Snippets { words: words.into_iter().map(|(w, _)| w).collect(), generator }))
    }

    /// The snippet of `text`, if any matched word is in it.
    pub fn snippet(&self, text: &str) -> Option<Snippet> {
        let window = window(text, &self.words);
        let s = self.generator.snippet(window.unwrap_or(text));
        if s.is_empty() {
            return None;
        }
        Some(Snippet {
            text: s.fragment().to_owned(),
            highlights: s.highlighted().iter().map(|r| (r.start, r.end)).collect(),
        })
    }
}

/// The part of `text` around the first whole-word occurrence of the first
/// of `words` (rarest first) found in it; `None` when none is found as is
/// (the caller then looks at the whole text).
fn window<'t>(text: &'t str, words: &[String]) -> Option<&'t str> {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
    for w in words {
        if w.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(found) = lower.get(from..).and_then(|rest| rest.find(w)) {
            let at = from + found;
            let end = at + w.len();
            let starts = at == 0 || !is_word(bytes[at - 1]);
            let ends = end >= bytes.len() || !is_word(bytes[end]);
            if starts && ends {
                let mut a = at.saturating_sub(WINDOW);
                let mut b = (end + WINDOW).min(text.len());
                while !text.is_char_boundary(a) {
                    a -= 1;
                }
                while !text.is_char_boundary(b) {
                    b += 1;
                }
                return text.get(a..b);
            }
            from = end;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn the_window_is_around_the_first_whole_word_of_the_rarest() {
        let text = format!(
            "{}Cluster munitions. {}munitionsx and munitions end",
            "a ".repeat(1000),
            "b ".repeat(1000)
        );
        let w = window(&text, &["munitions".into()]).unwrap();
        assert!(w.contains("Cluster munitions.") && w.len() <= 2 * 600 + 9);
        let w = window(&text, &["end".into(), "munitions".into()]).unwrap();
        assert!(w.ends_with("munitions end"), "rarest first");
        assert!(window(&text, &["absent".into()]).is_none());
        let accents = "é".repeat(400) + " word " + &"é".repeat(400);
        assert!(window(&accents, &["word".into()]).is_some(), "cut on character boundaries");
    }
}
