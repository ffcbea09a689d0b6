//! Reading each published format into a [`SourceCable`]: the metadata the
//! source gives and the raw header and body text, before any decoding.
//!
//! Formats are detected from the first bytes of the input ([`detect`]).

pub mod csv;
pub mod html;
pub mod telegram;
pub mod text;

use crate::{Classification, DateTime, Error, Format, Result};

/// What a source gives for one cable, before the body is decoded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceCable {
    /// The format it was read from.
    pub format: Option<Format>,
    /// The reference id as published, when the source gives one.
    pub published_id: Option<String>,
    /// Creation date-time, when the source gives one.
    pub created: Option<DateTime>,
    /// Release date-time, when the source gives one.
    pub released: Option<DateTime>,
    /// Classification, when the source's metadata gives one.
    pub classification: Option<Classification>,
    /// Origin as named by the source (`Embassy Kabul`).
    pub origin: Option<String>,
    /// Subject, when the source's metadata gives one.
    pub subject: Option<String>,
    /// Referenced ids, when the source's metadata lists them (`cables.csv`).
    pub referenced_ids: Vec<String>,
    /// Media links.
    pub media: Vec<String>,
    /// The routing header text.
    pub header: String,
    /// The body text.
    pub body: String,
}

impl SourceCable {
    /// What the source gave for a cable already decoded: its raw header and
    /// body and the metadata the cable keeps. [`crate::Parser::build`] of it
    /// decodes the cable again (see [`crate::Parser::reparse`]).
    pub fn of(c: &crate::Cable) -> SourceCable {
        SourceCable {
            format: Some(c.format),
            published_id: Some(c.published_id.clone()),
            created: c.created,
            released: c.released,
            classification: Some(c.classification),
            origin: Some(c.origin.clone()),
            subject: (!c.subject.is_empty()).then(|| c.subject.clone()),
            // A source's own list of references (`cables.csv`) was added
            // after those of the body, each with its text as written: given
            // again, those the body yields are skipped as before.
            referenced_ids: c
                .references
                .iter()
                .filter(|r| r.cable.is_some())
                .map(|r| r.text.clone())
                .collect(),
            media: c.media.clone(),
            header: c.raw_header.clone(),
            body: c.raw_body.clone(),
        }
    }
}

/// The longest line accepted in cable text; longer lines are taken for binary junk.
pub const MAX_LINE_BYTES: usize = 256 * 1024;

/// Guesses the format of an input from its first bytes. `None` when it is
/// none of the four formats (binary data, an unrelated HTML page, ...).
pub fn detect(prefix: &[u8]) -> Option<Format> {
    let head = &prefix[..prefix.len().min(8192)];
    if head.contains(&0) {
        return None;
    }
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('<') {
        let lower = t.to_ascii_lowercase();
        return (lower.starts_with("<?xml")
            || lower.starts_with("<!doctype html")
            || lower.starts_with("<html"))
        .then_some(Format::WikileaksHtml);
    }
    if csv::looks_like_record_start(t.as_bytes()) {
        return Some(Format::CablesCsv);
    }
    let first_line = t.lines().next().unwrap_or("").trim();
    if text::looks_like_id_line(first_line) {
        return Some(Format::TextFile);
    }
    if telegram::find_banner(t).is_some() {
        return Some(Format::Telegram);
    }
    None
}

/// Checks that bytes are UTF-8 text without absurdly long lines.
pub(crate) fn check_text(bytes: &[u8]) -> Result<&str> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 { offset: e.valid_up_to() })?;
    check_line_lengths(text)?;
    Ok(text)
}

/// Rejects text with a line longer than [`MAX_LINE_BYTES`].
pub(crate) fn check_line_lengths(text: &str) -> Result<()> {
    if text.len() <= MAX_LINE_BYTES {
        return Ok(());
    }
    let mut start = 0usize;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for (line, nl) in (1u64..).zip(ends) {
        if nl - start > MAX_LINE_BYTES {
            return Err(Error::LineTooLong { line, len: nl - start, limit: MAX_LINE_BYTES });
        }
        start = nl + 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        assert_eq!(detect(b"<?xml version='1.0' ?>\n<html>"), Some(Format::WikileaksHtml));
        assert_eq!(detect(b"\"1\",\"12/28/1966 18:48\",\"66BUENOSAIRES2481\""), Some(Format::CablesCsv));
        assert_eq!(
            detect(b"08STATE134777\nDEMARCHE\n2008-12-29\nCONFIDENTIAL\nSecretary of State\n"),
            Some(Format::TextFile)
        );
        assert_eq!(
            detect(b"O 291637Z DEC 08\nFM SECSTATE WASHDC\n\nC O N F I D E N T I A L STATE 134777\n"),
            Some(Format::Telegram)
        );
        assert_eq!(detect(b"\x00\x01\x02binary"), None);
        assert_eq!(detect(b"just some words"), None);
    }
}
