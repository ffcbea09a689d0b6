//! Any bytes as a raw telegram, and any text through each body decoder.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cable::Parser::default().parse_telegram(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = cable::parse_references(text, 2008, None);
        let _ = cable::parse_subject(text, true);
        let _ = cable::parse_tags(text, true);
        let _ = cable::clean_content(text);
    }
});
