//! How text is cut into the words the index holds and queries look up.
//!
//! Cables are written in ASCII, readers' queries are not: every text field
//! is **folded** (lower case; accents, other diacritics and ligatures
//! replaced by their ASCII letters: `Chávez` -> `chavez`, `Erdoğan` ->
//! `erdogan`, `ﬁnance` -> `finance`; typographic quotes and dashes separate
//! words like their ASCII forms). The subject and body also hold, at the
//! same position as each word, its English **stem** when that differs from
//! the word, marked by a leading [`STEM_MARK`] (`munitions` is indexed as
//! `munitions` and `~munit`): a word query looks up the stem, so
//! `munition`, `munitions` find each other, and phrase and proximity
//! queries work on stems and on exact forms alike; `=munition` looks up
//! only the form as written. The displayed text is never changed.

use std::borrow::Cow;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter,
    TokenStream, Tokenizer,
};

/// The tokenizer of the subject and body: folded words and their stems.
pub const STEMMED: &str = "demarche_stemmed";

/// The tokenizer of the other text fields (origin, from, to): folded words.
pub const FOLDED: &str = "demarche_folded";

/// The mark before an indexed stem (never part of a word: the tokenizer
/// splits on it).
pub const STEM_MARK: char = '~';

/// Words longer than this (in bytes) are not indexed (base64 and other
/// noise).
const LONGEST_WORD: usize = 40;

/// The folded-words analyzer: what the index holds of origin, from and to,
/// and the exact forms of the subject and body.
pub fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The subject and body analyzer: folded words, each followed by its
/// marked stem when the stem differs.
pub fn stemmed() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StemBeside)
        .build()
}

/// Registers the analyzers with an index (on every open: tantivy keeps
/// only their names in the schema).
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(STEMMED, stemmed());
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

/// The indexed term of a word's stem: the word itself when it is its own
/// stem, else the marked stem (`munition` -> `~munit`). A stem query looks
/// up both: the word as written and every other word with that stem.
pub fn stem_terms(word: &str) -> Vec<String> {
    let s = stem(word);
    let mut out = Vec::with_capacity(2);
    // the words whose stem is `s` and which are written `s` (their own
    // stem) are indexed as written; every other word with that stem, marked
    if stem(&s) == s {
        out.push(s.to_string());
    }
    out.push(format!("{STEM_MARK}{s}"));
    out
}

fn english() -> &'static frostem::Stemmer {
    static STEMMER: std::sync::LazyLock<frostem::Stemmer> =
        std::sync::LazyLock::new(|| frostem::Stemmer::new(frostem::Algorithm::English));
    &STEMMER
}

/// The stem of a folded word when it differs from the word, from a
/// per-thread cache (the words of cables repeat: most are looked up, not
/// stemmed again).
fn cached_stem(word: &str) -> Option<std::rc::Rc<str>> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;
    /// Words cached per thread before the cache starts again.
    const CACHED: usize = 200_000;
    thread_local! {
        static STEMS: RefCell<HashMap<Box<str>, Option<Rc<str>>>> = RefCell::new(HashMap::new());
    }
    STEMS.with(|cell| {
        let mut map = cell.borrow_mut();
        if let Some(found) = map.get(word) {
            return found.clone();
        }
        let s = english().stem(word);
        let stem = (s != word && !s.is_empty()).then(|| Rc::<str>::from(s.as_ref()));
        if map.len() >= CACHED {
            map.clear();
        }
        map.insert(word.into(), stem.clone());
        stem
    })
}

/// A filter that follows each word with its marked stem, at the same
/// position, when the stem differs from the word.
#[derive(Clone, Copy)]
struct StemBeside;

impl TokenFilter for StemBeside {
    type Tokenizer<T: Tokenizer> = StemBesideFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemBesideFilter<T> {
        StemBesideFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
struct StemBesideFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StemBesideFilter<T> {
    type TokenStream<'a> = StemBesideStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemBesideStream { inner: self.inner.token_stream(text), stem: None, word: Token::default() }
    }
}

struct StemBesideStream<S> {
    inner: S,
    /// The marked stem still to give, after the word just given.
    stem: Option<Token>,
    /// The token given last when it is a stem.
    word: Token,
}

impl<S: TokenStream> TokenStream for StemBesideStream<S> {
    fn advance(&mut self) -> bool {
        if let Some(stem) = self.stem.take() {
            self.word = stem;
            return true;
        }
        self.word.text.clear();
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token();
        if let Some(s) = cached_stem(&token.text) {
            let mut t = token.clone();
            t.text.clear();
            t.text.push(STEM_MARK);
            t.text.push_str(&s);
            self.stem = Some(t);
        }
        true
    }

    fn token(&self) -> &Token {
        if self.word.text.is_empty() {
            self.inner.token()
        } else {
            &self.word
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.word.text.is_empty() {
            self.inner.token_mut()
        } else {
            &mut self.word
        }
    }
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
    fn stems_sit_beside_their_words() {
        let t = tokens(stemmed(), "Cluster munitions ratified");
        assert_eq!(
            t,
            [
                ("cluster".into(), 0),
                ("munitions".into(), 1),
                ("~munit".into(), 1),
                ("ratified".into(), 2),
                ("~ratifi".into(), 2)
            ]
        );
        // a word that is its own stem is given once
        assert_eq!(tokens(stemmed(), "kabul"), [("kabul".into(), 0)]);
    }

    #[test]
    fn a_stem_query_looks_up_the_marked_stem_and_the_word_that_is_it() {
        assert_eq!(stem_terms("munitions"), ["munit", "~munit"]);
        assert_eq!(stem_terms("ratification"), ["ratif", "~ratif"]);
        assert_eq!(stem_terms("kabul"), ["kabul", "~kabul"]);
    }
}
