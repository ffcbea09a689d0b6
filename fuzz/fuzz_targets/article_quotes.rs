//! Any text or HTML as a news article: quote extraction never panics and
//! finds only non-empty passages, no more than the article has quote marks.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let passages = archive::attribute::quoted_passages(text);
    let marks = text
        .chars()
        .filter(|c| matches!(c, '"' | '\'' | '“' | '”' | '„' | '‘' | '’' | '«' | '»' | '&'))
        .count();
    assert!(passages.len() <= marks, "{} passages from {marks} quote marks", passages.len());
    for p in &passages {
        assert!(!p.trim().is_empty(), "an empty passage from {text:?}");
    }
});
