//! Any text as a cable id: canonicalisation never panics and is idempotent.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(id) = cable::RefId::parse(text) {
        let again = cable::RefId::parse(id.as_str()).expect("a canonical id parses");
        assert_eq!(again, id, "canonicalisation is idempotent");
    }
});
