//! Any text as a search query: a parse or a syntax error whose position lies
//! within the query, never a panic; a parsed query prints and reparses to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match archive::query::syntax::parse(text) {
        Ok(q) => {
            let printed = q.to_string();
            if let Ok(again) = archive::query::syntax::parse(&printed) {
                assert_eq!(again, q, "printing and reparsing {text:?} as {printed:?} changed the query");
            }
        }
        Err(e) => assert!(e.position <= text.chars().count(), "error position beyond the query"),
    }
});
