//! A raw telegram: the routing header (`VZCZC...`, precedence and DTG, `FM`,
//! `TO`, `INFO`) followed by the body, which starts at the classification
//! banner (`C O N F I D E N T I A L STATE 134777`).

use crate::{Error, Format, Result};

use super::SourceCable;

/// Byte offset of the banner line that starts the body, if any.
pub fn find_banner(text: &str) -> Option<usize> {
    let mut start = 0;
    for piece in text.split_inclusive('\n').take(400) {
        if crate::body::parse_banner(piece.trim_end()).is_some() {
            return Some(start);
        }
        start += piece.len();
    }
    None
}

/// Whether a line belongs to a routing header.
fn is_header_line(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("VZCZC")
        || t.starts_with("FM ")
        || t.starts_with("TO ")
        || t.starts_with("INFO ")
        || t.starts_with("DE ")
        || t.starts_with("ZNY ")
        || t.starts_with("ZNR ")
        || crate::header::parse_dtg(
            t.split_whitespace().skip_while(|w| w.len() <= 2).collect::<Vec<_>>().join(" ").as_str(),
        )
        .is_some()
}

/// Splits text without a banner line: when its first line is a routing
/// header line, the header is the run of lines up to the first blank line
/// (or the end of the text: a header alone is still a cable's header), and
/// the body the rest. `None` when the text does not start with a header.
pub(crate) fn split_unbannered(text: &str) -> Option<(String, String)> {
    let first = text.lines().find(|l| !l.trim().is_empty())?;
    if !is_header_line(first) {
        return None;
    }
    let start = text.find(first).unwrap_or(0);
    let rest = &text[start..];
    let end = rest.find("\n\n").or_else(|| rest.find("\n\r\n")).or_else(|| rest.find("\r\n\r\n"));
    Some(match end {
        Some(p) => (rest[..p].trim_end().to_owned(), rest[p..].trim_start_matches(['\r', '\n']).to_owned()),
        None => (rest.trim_end().to_owned(), String::new()),
    })
}

/// Splits a telegram into header and body.
pub fn split(text: &str) -> Result<(String, String)> {
    if let Some(at) = find_banner(text) {
        return Ok((text[..at].trim_end().to_owned(), text[at..].to_owned()));
    }
    // No banner: the header is the run of header lines at the top, up to the first blank line.
    split_unbannered(text)
        .ok_or_else(|| Error::NotACable("no classification banner and no routing header".into()))
}

/// Reads a raw telegram. The id, classification and date come from the
/// banner and the date-time group, so the caller needs nothing else.
pub fn read(text: &str) -> Result<SourceCable> {
    let (header, body) = split(text)?;
    Ok(SourceCable { format: Some(Format::Telegram), header, body, ..SourceCable::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_banner() {
        let (h, b) =
            split("O 291637Z DEC 08\nFM SECSTATE WASHDC\n\nC O N F I D E N T I A L STATE 134777\n\nTEXT")
                .unwrap();
        assert_eq!(h, "O 291637Z DEC 08\nFM SECSTATE WASHDC");
        assert!(b.starts_with("C O N F I D E N T I A L"));
        assert!(split("hello world").is_err());
    }
}
