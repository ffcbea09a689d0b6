//! Any text as a treaty-events file (`demarche events import`): parsing
//! never panics, fails as a whole only on the header, and names a line of
//! the file for every event and every rejected row. Half the inputs get a
//! good header first, so that the fuzzer reaches the rows.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (bool, &str)| {
    let (with_header, rows) = input;
    let text = if with_header { format!("country,date,event,treaty,source\n{rows}") } else { rows.to_owned() };
    let Ok((events, errors, _ignored)) = archive::events::parse_events("fuzz.csv", &text) else {
        assert!(!with_header, "a good header was refused");
        return;
    };
    // A row can start on any line after the header, and on the line after a
    // last line break; a quoted field may span lines.
    let last_line = text.split('\n').count() as u64;
    for e in &events {
        assert!((2..=last_line).contains(&e.line), "event on line {} of {last_line}", e.line);
        assert!(e.date.first_day() <= e.date.last_day(), "{:?}", e.date);
        assert!(!e.event.is_empty() && !e.treaty.is_empty() && !e.source.is_empty(), "{e:?}");
    }
    for r in &errors {
        assert!((2..=last_line).contains(&r.line), "error on line {} of {last_line}: {r}", r.line);
        assert!(r.to_string().starts_with("fuzz.csv:"), "{r}");
    }
    assert!(events.len() + errors.len() < last_line as usize, "more rows than lines");
});
