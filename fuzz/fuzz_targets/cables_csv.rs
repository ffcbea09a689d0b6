//! Any bytes as a cables.csv stream: every record an error or a cable, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parser = cable::Parser::default();
    for r in parser.csv_cables(data).take(10_000) {
        let _ = r;
    }
});
