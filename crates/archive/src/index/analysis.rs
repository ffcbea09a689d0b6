//! How text is cut into the words the index holds and queries look up.
//!
//! Cables are written in ASCII, readers' queries are not: every text field
//! is **folded** (lower case; accents, other diacritics and ligatures
//! replaced by their ASCII letters: `Chávez` -> `chavez`, `Erdoğan` ->
//! `erdogan`, `ﬁnance` -> `finance`; typographic quotes and dashes separate
//! words like their ASCII forms). Each word is indexed once, as written
//! (folded); a query finds the other forms of a word by its English
//! **stem** ([`stem`]) in the term dictionary
//! ([`crate::query::word_forms`]), so `munition` and `munitions` find each
//! other, phrase and proximity queries work on every form, and `=munition`
//! looks up only the form as written. The displayed text is never changed.

use std::borrow::Cow;

use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};

/// The tokenizer of every text field (subject, body, origin, from, to):
/// folded words.
pub const FOLDED: &str = "demarche_folded";

/// Words longer than this (in bytes) are not indexed (base64 and other
/// noise).
const LONGEST_WORD: usize = 40;

/// The folded-words analyzer: what the index holds of every text field.
pub fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the analyzers with an index (on every open: tantivy keeps
/// only their names in the schema).
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(FOLDED, folded());
}

/// The folded words of `text`, as a query looks them up.
pub fn folded_words(text: &str) -> Vec<String> {
    let mut analyzer = folded();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// The English stem of a folded word (`munitions` -> `munit`).
pub fn stem(word: &str) -> Cow<'_, str> {
    english().stem(word)
}

fn english() -> &'static frostem::Stemmer {
    static STEMMER: std::sync::LazyLock<frostem::Stemmer> =
        std::sync::LazyLock::new(|| frostem::Stemmer::new(frostem::Algorithm::English));
    &STEMMER
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(mut a: TextAnalyzer, text: &str) -> Vec<(String, usize)> {
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    #[test]
    fn accents_ligatures_and_case_fold() {
        let words: Vec<String> =
            tokens(folded(), "Chávez, Erdoğan’s “ﬁnance” São-Paulo").into_iter().map(|t| t.0).collect();
        assert_eq!(words, ["chavez", "erdogan", "s", "finance", "sao", "paulo"]);
    }

    #[test]
    fn a_stem_is_shared_by_the_forms_of_a_word() {
        assert_eq!(stem("munitions"), stem("munition"));
        assert_eq!(stem("ratified"), stem("ratify"));
        assert_ne!(stem("ratification"), stem("munition"));
    }
}
