//! Any bytes as a one-cable text file: an error or a cable, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cable::Parser::default().parse_text_file(data);
});
