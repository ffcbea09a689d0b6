//! One cable per text file: line 1 the reference id, line 2 the subject,
//! line 3 the date, line 4 the classification, line 5 the origin, then the
//! text (a telegram: routing header, if any, and body).

use crate::{Date, DateTime, Error, Format, Result};

use super::SourceCable;

/// Whether a line looks like a cable id (`08STATE134777`).
pub fn looks_like_id_line(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() >= 4
        && b.len() <= 64
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && b[2].is_ascii_alphabetic()
        && b.last().is_some_and(u8::is_ascii_digit)
        && b.iter().all(|c| c.is_ascii_alphanumeric())
}

/// Reads the date line: `2008-12-29 16:04`, `2008-12-29T16:04Z`, `12/29/2008 16:04`,
/// `2008-12-29` or `12/29/2008`.
fn parse_date(text: &str) -> Option<DateTime> {
    let t = text.trim();
    t.parse::<DateTime>()
        .ok()
        .or_else(|| DateTime::parse_us(t).ok())
        .or_else(|| t.parse::<Date>().ok().and_then(|d| DateTime::new(d, 0, 0)))
        .or_else(|| Date::parse_us(t).ok().and_then(|d| DateTime::new(d, 0, 0)))
}

/// Reads a one-cable text file.
pub fn read(text: &str) -> Result<SourceCable> {
    let mut lines = text.splitn(6, '\n');
    let mut next = |what: &str| {
        lines
            .next()
            .map(|l| l.trim_end_matches('\r').trim().to_owned())
            .ok_or_else(|| Error::NotACable(format!("text file ends before line {what}")))
    };
    let id = next("1 (reference id)")?;
    if !looks_like_id_line(&id) {
        return Err(Error::NotACable(format!(
            "line 1 is not a cable id: {:?}",
            id.chars().take(60).collect::<String>()
        )));
    }
    let subject = next("2 (subject)")?;
    let date_line = next("3 (date)")?;
    let created = parse_date(&date_line).ok_or_else(|| Error::InvalidDate {
        text: date_line.clone(),
        expected: "YYYY-MM-DD HH:MM or M/D/YYYY H:MM (line 3)",
    })?;
    let class_line = next("4 (classification)")?;
    let classification = class_line.parse().map_err(|e: Error| Error::NotACable(format!("line 4: {e}")))?;
    let origin = next("5 (origin)")?;
    let rest = lines.next().unwrap_or("");
    let (header, body) = match super::telegram::find_banner(rest) {
        Some(at) => (rest[..at].trim_end().to_owned(), rest[at..].to_owned()),
        None => (String::new(), rest.to_owned()),
    };
    Ok(SourceCable {
        format: Some(Format::TextFile),
        published_id: Some(id),
        created: Some(created),
        released: None,
        classification: Some(classification),
        origin: Some(origin),
        subject: (!subject.is_empty()).then_some(subject),
        referenced_ids: Vec::new(),
        media: Vec::new(),
        header,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_five_metadata_lines() {
        let s = read("08STATE134777\nDEMARCHE TO AFGHANISTAN\n2008-12-29 16:04\nCONFIDENTIAL\nSecretary of State\nC O N F I D E N T I A L STATE 134777\n\nTEXT\n").unwrap();
        assert_eq!(s.published_id.as_deref(), Some("08STATE134777"));
        assert_eq!(s.subject.as_deref(), Some("DEMARCHE TO AFGHANISTAN"));
        assert_eq!(s.created.unwrap().to_string(), "2008-12-29T16:04Z");
        assert!(s.body.starts_with("C O N F"));
        assert!(read("08STATE134777\nS\nnot a date\nCONFIDENTIAL\nX\n")
            .unwrap_err()
            .to_string()
            .contains("line 3"));
    }
}
