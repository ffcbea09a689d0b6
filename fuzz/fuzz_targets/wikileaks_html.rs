//! Any bytes as a WikiLeaks cable page: an error or a cable, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parser = cable::Parser::default();
    let _ = parser.parse_html(data);
    let _ = parser.parse(data);
});
