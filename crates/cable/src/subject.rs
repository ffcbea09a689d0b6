//! The SUBJECT line.

/// The subject of a cable body: the text after `SUBJECT:` / `SUBJ:` (before
/// the first numbered paragraph), joined over continuation lines, with runs
/// of white space collapsed. With `clean`, leading and trailing
/// classification markings (`(C)`, `(U)`) and backslashes are removed.
/// Empty when the cable has no subject.
pub fn parse_subject(body: &str, clean: bool) -> String {
    let _ = (body, clean);
    String::new()
}
